/// vSphere HA (model-facts §4.3): when a host of an HA cluster fails, its VMs are
/// restarted on the surviving hosts after the failure is detected; their memory state is
/// lost. Admission control keeps enough room for `failures` hosts: by slots (the largest
/// reservations) or by a percentage of the cluster's resources.
public struct HASettings: Sendable {
    public enum Admission: String, CaseIterable, Sendable { case slots, percentage, none }
    public var admission = Admission.slots
    /// Host failures the cluster tolerates (slots).
    public var failures = 1
    /// Resources kept for failover (percentage), in %.
    public var percent = 25.0
    /// Seconds from a host failure to the restarts (heartbeats lost and ping failed).
    public var detection = 15.0
    /// Seconds a restarted guest takes to boot [M].
    public var boot = 30.0

    public init() {}
}

extension Cluster {
    /// Turns HA on (or changes it); VMs with a pass-through device stay unprotected.
    public func enableHA(_ settings: HASettings) throws {
        guard settings.failures >= 1, settings.failures < hosts.count else {
            throw ModelError("cluster \(name): failures \(settings.failures) is not allowed (use 1 to \(hosts.count - 1) for \(hosts.count) hosts)")
        }
        guard settings.percent > 0, settings.percent <= 50 else {
            throw ModelError("cluster \(name): percent \(Units.trim(settings.percent)) is not allowed (use more than 0 up to 50)")
        }
        ha = settings
        let dc = hosts[0].datacenter
        var note = "HA on: admission \(settings.admission.rawValue)"
        if settings.admission == .slots {
            let s = slots()
            note += ", slot \(Units.formatMHz(s.cpu)) / \(Units.formatBytes(s.memory)), failover capacity \(failoverCapacity()) host(s)"
        }
        dc.log.record(dc.now, "ha", description, note)
        for vm in hosts.flatMap(\.vms) where vm.hasPassthrough && vm.state.holdsResources {
            dc.log.record(dc.now, "ha", vm.description, "not protected: it has a pass-through (DirectPath I/O) device")
        }
    }

    public var description: String { "Cluster(\(name))" }
    /// Hosts HA counts and restarts on: not failed, not in maintenance mode, not in or
    /// booting out of standby (HARules.swift).
    var liveHosts: [Host] { hosts.filter { !$0.failed && $0.maintenance != .in && ($0.power == .on || $0.power == .enteringStandby) } }

    /// Slot size (§4.3): the largest CPU reservation (32 MHz without one) and the largest
    /// memory reservation (the largest overhead without one [M]) of the powered-on VMs,
    /// counting `extra`, a VM about to power on.
    public func slots(with extra: VM? = nil) -> (cpu: Double, memory: Int64, perHost: [Int]) {
        let vms = liveHosts.flatMap(\.vms).filter { $0.state.holdsResources } + (extra.map { [$0] } ?? [])
        let cpu = max(32, vms.map(\.cpuAllocation.reservationMHz).max() ?? 0)
        let reserved = vms.map(\.memAllocation.reservation).max() ?? 0
        let memory = reserved > 0 ? reserved : (vms.map(\.overheadReservation).max() ?? Units.MiB)
        let per = liveHosts.map { h in min(Int(h.capacityMHz / cpu), Int(h.memory.capacity / max(memory, 1))) }
        return (cpu, memory, per)
    }

    /// How many of the largest hosts may fail with the rest's slots still covering every
    /// powered-on VM (and `extra`).
    public func failoverCapacity(with extra: VM? = nil) -> Int {
        let s = slots(with: extra)
        let needed = liveHosts.flatMap(\.vms).filter { $0.state.holdsResources }.count + (extra == nil ? 0 : 1)
        var left = s.perHost.sorted(by: >)
        var failures = 0
        while !left.isEmpty {
            left.removeFirst()
            guard left.reduce(0, +) >= needed else { break }
            failures += 1
        }
        return failures
    }

    /// Why HA admission control refuses `vm`, if it does.
    func haRefusal(for vm: VM) -> String? {
        guard let ha, !vm.hasPassthrough else { return nil }
        switch ha.admission {
        case .none: return nil
        case .slots:
            let capacity = failoverCapacity(with: vm)
            guard capacity < ha.failures else { return nil }
            let s = slots(with: vm)
            return "HA admission control: with it the cluster \(name) could tolerate \(capacity) host failure(s), fewer than the \(ha.failures) configured (slot \(Units.formatMHz(s.cpu)) / \(Units.formatBytes(s.memory)); slots \(s.perHost.map(String.init).joined(separator: " + ")))"
        case .percentage:
            let cpu = liveHosts.reduce(0) { $0 + $1.capacityMHz }
            let mem = liveHosts.reduce(Int64(0)) { $0 + $1.memory.capacity }
            let usedCPU = liveHosts.reduce(0) { $0 + $1.reservedMHz } + vm.cpuAllocation.reservationMHz
            let usedMem = liveHosts.reduce(Int64(0)) { $0 + $1.memory.reserved } + vm.memAllocation.reservation + vm.overheadReservation
            let freeCPU = (cpu - usedCPU) / cpu * 100, freeMem = Double(mem - usedMem) / Double(mem) * 100
            guard min(freeCPU, freeMem) < ha.percent else { return nil }
            return "HA admission control: it would leave \(Units.trim(min(freeCPU, freeMem).rounded())) % of cluster \(name)'s resources unreserved, below the \(Units.trim(ha.percent)) % kept for failover"
        }
    }
}

extension VM {
    /// Whether HA would restart this VM if its host failed, and why not.
    public var haProtection: String {
        guard let c = host.cluster else { return "unprotected: its host is in no cluster" }
        guard c.ha != nil else { return "unprotected: HA is off in \(c.name)" }
        if hasPassthrough { return "unprotected: it has a pass-through (DirectPath I/O) device, which HA cannot restart elsewhere" }
        guard state.holdsResources else { return "unprotected: it is \(state.rawValue)" }
        return ftSecondary != nil ? "protected by FT (secondary on \(ftSecondary!.name)) and HA" : "protected by HA"
    }
}
