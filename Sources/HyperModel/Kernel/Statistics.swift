/// vCenter's performance intervals (datacenter-facts §3.3): real-time samples, then
/// rollups for the past day (5 min), week (30 min), month (2 h) and year (1 day).
public enum StatisticsInterval: Int, CaseIterable, Sendable {
    case realtime, day, week, month, year

    public var name: String {
        switch self {
        case .realtime: return "realtime"
        case .day: return "day"
        case .week: return "week"
        case .month: return "month"
        case .year: return "year"
        }
    }

    public init?(name: String) {
        guard let i = StatisticsInterval.allCases.first(where: { $0.name == name }) else { return nil }
        self = i
    }

    public static var names: [String] { allCases.map(\.name) }

    /// The period of one point; nil for real-time, whose period is the sample interval.
    public var period: SimTime? {
        switch self {
        case .realtime: return nil
        case .day: return .seconds(Int64(300))
        case .week: return .seconds(Int64(1800))
        // 4 × 30 min: vCenter's table says 12 week points make a month point, a typo
        // (datacenter-facts §8): 2 h / 30 min = 4
        case .month: return .seconds(Int64(7200))
        case .year: return .seconds(Int64(86_400))
        }
    }

    /// How long its points are kept: 1 h, 1 day, 7 days, 30 days, 365 days. Real-time data
    /// is kept for the whole run unless `realtimeRetention` says otherwise.
    public var span: SimTime {
        switch self {
        case .realtime: return .seconds(Int64(3600))
        case .day: return .seconds(Int64(86_400))
        case .week: return .seconds(Int64(7 * 86_400))
        case .month: return .seconds(Int64(30 * 86_400))
        case .year: return .seconds(Int64(365 * 86_400))
        }
    }
}

/// How a counter's finer points combine into a coarser one (vCenter's rollup types).
public enum RollupKind: String, Sendable {
    case average, summation, latest
}

/// What the datacenter collects: the statistics level of each interval and how long
/// real-time samples are kept. Shared by every series set of the datacenter.
public final class StatisticsSettings {
    /// Levels by interval (realtime, day, week, month, year). HyperLab's default is 3 for
    /// every interval (per-vCPU series recorded); vCenter's is 1.
    public internal(set) var levels: [Int] = [3, 3, 3, 3, 3]
    /// Real-time samples older than this are dropped (vCenter: 1 h); nil keeps the whole
    /// run, as HyperLab always has, so checks can read every sample.
    public internal(set) var realtimeRetention: SimTime?

    init() {}

    public func level(_ i: StatisticsInterval) -> Int { levels[i.rawValue] }

    /// Series are recorded: every level but 0 (`lab.statistics_level(0)`: none at all).
    public var records: Bool { levels[0] > 0 }

    /// Why these levels are not allowed, if they are not: each 1–4, and no interval above
    /// the one before it (vSphere: "the level of a longer interval cannot exceed that of
    /// a shorter one").
    public static func refusal(_ levels: [Int]) -> String? {
        if levels.allSatisfy({ $0 == 0 }) { return nil }  // no series at all
        for (i, l) in levels.enumerated() where !(1...4).contains(l) {
            return "\(StatisticsInterval.allCases[i].name) level \(l) is not a level (use 1 to 4)"
        }
        for i in 1..<levels.count where levels[i] > levels[i - 1] {
            let a = StatisticsInterval.allCases[i], b = StatisticsInterval.allCases[i - 1]
            return "the \(a.name) level \(levels[i]) exceeds the \(b.name) level \(levels[i - 1]): an interval's level may not exceed the level of the shorter interval before it (as vCenter)"
        }
        return nil
    }
}

/// The statistics level at which vCenter collects each counter of HyperLab's series, and
/// how it rolls up (vSphere "Data Collection Levels"): level 1 the basic usage counters,
/// 2 the rest of the CPU and memory counters, 3 per-device (per-vCPU) counters; level 4
/// adds minimum and maximum rollups.
public enum CounterLevels {
    static let basic: Set<String> = [
        "cpu.usage", "cpu.used_mhz", "cpu.ready_ms", "memory.usage", "memory.consumed", "memory.overhead",
        "memory.ballooned", "memory.swap_in_rate", "memory.swap_out_rate", "disk.max_latency",
        "cpu.used",
    ]

    /// The collection level of a channel.
    public static func level(of name: String) -> Int {
        // per-vCPU channels are "cpu.<state>.vcpu<n>"
        if let dot = name.lastIndex(of: "."), name[name.index(after: dot)...].hasPrefix("vcpu") { return 3 }
        return basic.contains(name) ? 1 : 2
    }

    /// How a channel rolls up: ready time is a summation (ms in the interval), the
    /// free-memory state and the maximum latency keep their latest value, the rest average.
    public static func rollup(of name: String) -> RollupKind {
        switch name {
        case "cpu.ready_ms": return .summation
        case "memory.state", "disk.max_latency": return .latest
        default: return .average
        }
    }
}
