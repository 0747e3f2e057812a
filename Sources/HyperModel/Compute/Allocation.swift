/// Shares as vSphere sets them: a level, or a custom number.
public enum Shares: Equatable, Sendable, CustomStringConvertible {
    case low, normal, high
    case custom(Int64)

    /// CPU shares of a VM: 500 / 1000 / 2000 per vCPU (GUID-C0D2EFAE), or the number given.
    public func cpuShares(vcpus: Int) -> Int64 {
        switch self {
        case .low: return 500 * Int64(vcpus)
        case .normal: return 1000 * Int64(vcpus)
        case .high: return 2000 * Int64(vcpus)
        case .custom(let n): return n
        }
    }

    /// KVM cgroup cpu.shares of a VM: 512 / 1024 / 2048 (1024 is the cgroup v1 default,
    /// model-facts §1.6), or the number given.
    public var cgroupShares: Int64 {
        switch self {
        case .low: return 512
        case .normal: return 1024
        case .high: return 2048
        case .custom(let n): return n
        }
    }

    /// Memory shares: 5 / 10 / 20 per MB of configured memory, or the number given.
    public func memoryShares(configured: Int64) -> Int64 {
        let mb = configured / Units.MiB
        switch self {
        case .low: return 5 * mb
        case .normal: return 10 * mb
        case .high: return 20 * mb
        case .custom(let n): return n
        }
    }

    public var description: String {
        switch self {
        case .low: return "low"
        case .normal: return "normal"
        case .high: return "high"
        case .custom(let n): return String(n)
        }
    }
}

/// CPU shares, reservation and limit of a VM (MHz of the whole VM; nil limit =
/// unlimited), and the settings of the Xen and KVM schedulers.
public struct CPUAllocation: Equatable, Sendable {
    public var shares: Shares = .normal
    public var reservationMHz: Double = 0
    public var limitMHz: Double? = nil
    /// Xen credit weight, 1–65535 (default 256).
    public var weight: Int64? = nil
    /// Xen cap in % of one pCPU (100 = one pCPU); 0 or nil = no cap.
    public var cap: Int64? = nil
    /// KVM: CPU time each vCPU may use per CFS period; nil = unlimited.
    public var quota: SimTime? = nil
    /// KVM: CPU time all the VM's vCPUs together may use per CFS period (libvirt's
    /// `global_quota`, the VM cgroup's `cpu.max`); more than the period for more than one
    /// CPU's worth. nil = unlimited.
    public var globalQuota: SimTime? = nil

    public init(shares: Shares = .normal, reservationMHz: Double = 0, limitMHz: Double? = nil,
                weight: Int64? = nil, cap: Int64? = nil, quota: SimTime? = nil) {
        self.shares = shares
        self.reservationMHz = reservationMHz
        self.limitMHz = limitMHz
        self.weight = weight
        self.cap = cap
        self.quota = quota
    }
}

/// Memory shares, reservation and limit of a VM, in bytes; nil limit = unlimited.
public struct MemoryAllocation: Equatable, Sendable {
    public var shares: Shares = .normal
    public var reservation: Int64 = 0
    public var limit: Int64? = nil
    /// `sched.mem.maxmemctl`: the most this VM's balloon may hold; nil = no VM cap.
    public var maxBalloon: Int64? = nil
    /// `sched.mem.pshare.salt`: VMs with the same salt may share pages under salting 1 and 2.
    public var shareSalt: String? = nil
    /// Xen's maxmem: the most a domain may grow to by ballooning (nil = its memory).
    public var max: Int64? = nil

    public init(shares: Shares = .normal, reservation: Int64 = 0, limit: Int64? = nil,
                maxBalloon: Int64? = nil, shareSalt: String? = nil, max: Int64? = nil) {
        self.shares = shares
        self.reservation = reservation
        self.limit = limit
        self.maxBalloon = maxBalloon
        self.shareSalt = shareSalt
        self.max = max
    }
}

extension CPUAllocation {
    /// Refuses settings the host's scheduler would ignore, so a lab never believes a
    /// setting took effect when it did not.
    func check(for kind: SchedulerKind, vm: VM, who: String? = nil) throws {
        let who = who ?? "power_on: \(vm.description)"
        let host = vm.host
        if (weight != nil || cap != nil) && kind != .credit {
            throw ModelError("\(who): cpu.weight and cpu.cap are settings of Xen's credit scheduler, but \(host.name) runs \(host.scheduler.name) (set the host's scheduler to \"credit\")")
        }
        if (quota != nil || globalQuota != nil) && kind != .cfs {
            throw ModelError("\(who): cpu.quota and cpu.global_quota are settings of KVM's CFS scheduler, but \(host.name) runs \(host.scheduler.name) (set the host's scheduler to \"cfs\")")
        }
        if kind == .credit && shares != .normal {
            throw ModelError("\(who): Xen's credit scheduler divides CPU by cpu.weight (default 256), not by cpu.shares (\(shares)); set cpu.weight instead")
        }
        if kind == .credit && (limitMHz != nil || reservationMHz > 0) {
            throw ModelError("\(who): Xen's credit scheduler has no CPU reservation or limit; use cpu.weight and cpu.cap")
        }
        if kind == .cfs && limitMHz != nil {
            throw ModelError("\(who): under CFS a CPU limit is a quota per period; use cpu.quota")
        }
        if let q = globalQuota, q > SimTime(micros: host.scheduler.period.micros * Int64(vm.vcpus)) {
            throw ModelError("\(who): cpu.global_quota \(q) is more than its \(vm.vcpus) vCPU\(vm.vcpus == 1 ? "" : "s") can run in a CFS period of \(host.scheduler.period)")
        }
        if let q = quota, q > host.scheduler.period {
            throw ModelError("\(who): cpu.quota \(q) is more than the CFS period \(host.scheduler.period): one vCPU thread can run at most one period per period")
        }
    }
}
