/// The CPU schedulers a host can run.
public enum SchedulerKind: String, CaseIterable, Sendable {
    /// ESXi's proportional-share scheduler: the runnable vCPU that has consumed least
    /// relative to its shares runs next (model-facts §1.1).
    case esx
    /// The textbook time slicer: runnable vCPUs take turns, one quantum each, whatever
    /// their shares.
    case roundRobin = "round-robin"

    public var summary: String {
        switch self {
        case .esx: return "proportional share by shares (ESXi)"
        case .roundRobin: return "round robin: equal turns of one quantum, shares ignored"
        }
    }
}

/// A host's scheduler and its parameters. Parameters may change only while no VM on the
/// host is powered on.
public final class SchedulerConfig {
    public internal(set) var kind: SchedulerKind
    /// The time slice; 50 ms by default (the ESX quantum, model-facts §1.1, [M]).
    public internal(set) var quantum: SimTime

    init(kind: SchedulerKind, quantum: SimTime = .milliseconds(50)) {
        self.kind = kind
        self.quantum = quantum
    }

    public static let quantumRange = SimTime.milliseconds(1)...SimTime.seconds(Int64(1))
}

/// Time a vCPU (or the sum over a VM's vCPUs) spent in each state, in µs. The four
/// esxtop states add up to the time it was powered on: run + ready + costop + wait, with
/// `limited` (%MLMTD) part of ready time held back by a limit.
public struct CPUCounters: Equatable, Sendable {
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
