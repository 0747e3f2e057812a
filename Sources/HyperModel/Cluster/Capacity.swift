/// N+1 capacity planning (datacenter-facts §6.1, behaviour 79). Usable capacity is what
/// is left when the largest `failures` hosts are gone (4 × 64 GB with N+1 → 192 GB,
/// quest.com "DIY Capacity Management in 5 Simple Steps"), per resource: the largest
/// hosts by CPU and by memory may differ, and each resource loses its own largest. The
/// planning target (80 % by default [M]) keeps headroom on top; the HA "percentage of
/// cluster resources" that reserves the same failures is the lost share, rounded up to a
/// whole percent as vSphere's setting takes it (2 of 10 equal hosts → 20 %, MF §4.3).
/// The plan counts every host of the cluster, installed capacity, whatever its state.
public struct CapacityPlan: Sendable, Equatable {
    public struct Resource: Sendable, Equatable {
        /// Σ host capacity (MHz or bytes).
        public let total: Double
        /// After the largest `failures` hosts are gone.
        public let usable: Double
        /// `usable` × target.
        public let planned: Double
        /// The lost share, % of `total` (unrounded).
        public let failoverPercent: Double
        /// What the running VMs reserve now (MHz or bytes), and how much of `planned` that is, %.
        public let reserved: Double
        public var reservedPercent: Double { planned > 0 ? reserved / planned * 100 : 0 }
    }

    public let hosts: Int
    public let failures: Int
    /// Planning target, % of usable capacity.
    public let target: Double
    public let cpu: Resource
    public let memory: Resource
    /// The HA percentage (CPU and memory alike) that keeps room for `failures`: the larger
    /// lost share, rounded up.
    public let haPercent: Int
}

extension Cluster {
    /// `c:capacity{ target = 80, failures = 1 }`.
    public func capacity(target: Double = 80, failures: Int = 1) throws -> CapacityPlan {
        let who = "\(description):capacity"
        guard target.isFinite, target > 0, target <= 100 else {
            throw ModelError("\(who): target \(Units.trim(target)) % is not allowed (use more than 0 up to 100 %, e.g. 80: the planning target after N+\(failures))")
        }
        guard failures >= 0, failures < hosts.count else {
            throw ModelError("\(who): failures \(failures) is not allowed (use 0 to \(hosts.count - 1) for \(hosts.count) host\(hosts.count == 1 ? "" : "s"): at least one host must be left)")
        }
        func resource(_ cap: (Host) -> Double, _ reserved: (VM) -> Double) -> CapacityPlan.Resource {
            let caps = hosts.map(cap).sorted(by: >)
            let total = caps.reduce(0, +)
            let usable = total - caps.prefix(failures).reduce(0, +)
            let res = hosts.flatMap(\.vms).filter { $0.state.holdsResources }.reduce(0) { $0 + reserved($1) }
            return .init(total: total, usable: usable, planned: usable * target / 100,
                         failoverPercent: total > 0 ? (total - usable) / total * 100 : 0, reserved: res)
        }
        let cpu = resource({ $0.capacityMHz }, { $0.cpuAllocation.reservationMHz })
        let mem = resource({ Double($0.memory.capacity) }, { Double($0.memAllocation.reservation + $0.overheadReservation) })
        // 20.000000000000004 is 20: round away floating-point dust before rounding up
        let share = (max(cpu.failoverPercent, mem.failoverPercent) * 1e6).rounded() / 1e6
        return CapacityPlan(hosts: hosts.count, failures: failures, target: target, cpu: cpu, memory: mem,
                            haPercent: Int(share.rounded(.up)))
    }
}
