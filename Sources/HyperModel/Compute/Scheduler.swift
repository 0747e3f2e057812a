/// The CPU schedulers a host can run (model-facts §1).
public enum SchedulerKind: String, CaseIterable, Sendable {
    /// ESXi 4+: proportional share by shares, reservations and limits, with relaxed
    /// co-scheduling (per-vCPU skew; only leading vCPUs co-stopped).
    case esx
    /// ESX 2.x strict co-scheduling: an SMP VM runs only when all its vCPUs can run at once.
    case strict
    /// ESX 3.x relaxed co-scheduling: skew per VM; when it grows too large the VM is
    /// co-stopped and co-started with its lagging vCPUs together.
    case relaxed
    /// Xen's credit scheduler (credit1): weights, caps, 30 ms slices, 10 ms ticks.
    case credit
    /// KVM: vCPUs are threads under Linux CFS, with cgroup shares and quota/period.
    case cfs
    /// The textbook time slicer: equal turns of one quantum, shares ignored.
    case roundRobin = "round-robin"
    /// Fluid two-level max-min sharing (host, then VM) advancing by events only, as
    /// SimGrid's VM model: for thousands of hosts.
    case fair
    /// A policy supplied from outside (a Lua `pick` function).
    case policy

    public var summary: String {
        switch self {
        case .esx: return "proportional share with relaxed co-scheduling (ESXi 4+)"
        case .strict: return "proportional share with strict co-scheduling (ESX 2.x)"
        case .relaxed: return "proportional share with relaxed co-scheduling (ESX 3.x)"
        case .credit: return "Xen credit scheduler: weights, caps, 30 ms slices"
        case .cfs: return "Linux CFS (KVM): cgroup shares, quota and period"
        case .roundRobin: return "round robin: equal turns of one quantum, shares ignored"
        case .fair: return "fluid max-min fair sharing, host then VM (SimGrid's VM model)"
        case .policy: return "a scheduling policy written in Lua"
        }
    }

    /// The names a lab may choose (a policy is given as an object, not a name).
    public static var names: [String] { allCases.filter { $0 != .policy }.map(\.rawValue) }

    /// The default time step of the kind (its quantum, tick or granularity).
    var defaultQuantum: SimTime {
        switch self {
        case .credit: return .milliseconds(10)
        case .cfs: return .milliseconds(4)
        default: return .milliseconds(50)
        }
    }

    var usesShares: Bool { self == .esx || self == .strict || self == .relaxed || self == .cfs }
}

/// A scheduler and its parameters. They may change only while no VM on the host is
/// powered on.
public final class SchedulerConfig {
    public internal(set) var kind: SchedulerKind
    /// The time step: the quantum (esx, strict, relaxed, round-robin, policy; 50 ms,
    /// model-facts §1.1 [M]), the tick (credit; 10 ms) or the granularity (cfs; 4 ms).
    public internal(set) var quantum: SimTime
    /// Co-scheduling skew threshold (esx, relaxed): 3 ms by default (§1.3, [M]).
    public internal(set) var skewThreshold = SimTime.milliseconds(3)
    /// Xen: the time slice (30 ms) and the accounting period, which equals it.
    public internal(set) var timeSlice = SimTime.milliseconds(30)
    /// Xen credit's `sched_ratelimit_us` (1 ms): a running vCPU is not preempted before
    /// it has run this long. The model steps by the 10 ms tick, so values up to the tick
    /// change nothing; larger ones keep a waking BOOST vCPU waiting [M].
    public internal(set) var ratelimit = SimTime.milliseconds(1)
    /// CFS bandwidth period (100 ms); a VM's quota applies per period.
    public internal(set) var period = SimTime.milliseconds(100)
    /// fair: bound each VM by its threads' demand (CPU a VM cannot use goes to others)
    /// instead of SimGrid's min(active threads, vCPUs) cores.
    public internal(set) var workConserving = false
    /// Record which vCPU ran on which pCPU, for Gantt charts of small labs.
    public internal(set) var trace = false
    /// The Lua policy when `kind` is `.policy`.
    public internal(set) var policy: SchedulingPolicy?

    init(kind: SchedulerKind) {
        self.kind = kind
        self.quantum = kind.defaultQuantum
    }

    public var name: String { kind == .policy ? (policy?.name ?? "policy") : kind.rawValue }

    public static let quantumRange = SimTime(micros: 100)...SimTime.seconds(Int64(1))
}

/// Time a vCPU (or the sum over a VM's vCPUs) spent in each state, in µs. As esxtop,
/// run + ready + costop + wait = the time it was powered on, and `limited` (%MLMTD, held
/// back by a limit or cap) is the part of ready time not due to contention.
public struct CPUCounters: Equatable, Sendable, BitwiseCopyable {
    public var run: Int64 = 0
    public var ready: Int64 = 0
    public var costop: Int64 = 0
    public var limited: Int64 = 0
    public var online: Int64 = 0

    public init() {}

    public var wait: Int64 { online - run - ready - costop }

    public static func + (a: CPUCounters, b: CPUCounters) -> CPUCounters {
        var c = a
        c.run += b.run
        c.ready += b.ready
        c.costop += b.costop
        c.limited += b.limited
        c.online += b.online
        return c
    }

    public static func - (a: CPUCounters, b: CPUCounters) -> CPUCounters {
        var c = a
        c.run -= b.run
        c.ready -= b.ready
        c.costop -= b.costop
        c.limited -= b.limited
        c.online -= b.online
        return c
    }
}
