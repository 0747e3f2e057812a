/// A sampled metric of one object: one value per sample, at the times of its series set.
/// The view is cheap: the times are shared by every channel of the object.
public final class MetricSeries {
    public let name: String
    /// "bytes", "%", "MHz", "ms", "ratio" — for labels and messages.
    public let unit: String
    unowned let owner: SeriesSet
    let channel: Int

    init(name: String, unit: String, owner: SeriesSet, channel: Int) {
        self.name = name
        self.unit = unit
        self.owner = owner
        self.channel = channel
    }

    public var times: [SimTime] { owner.times }
    public var values: [Double] { owner.values[channel] }
    public var count: Int { owner.times.count }
    public var last: Double? { owner.values[channel].last }
    public var max: Double? { owner.values[channel].max() }
    public var min: Double? { owner.values[channel].min() }
    public var mean: Double? {
        let v = owner.values[channel]
        return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
    }

    /// The value of the last sample at or before `t` (nil before the first sample).
    public func value(at t: SimTime) -> Double? {
        let times = owner.times
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : owner.values[channel][lo - 1]
    }
}

/// The series of one object: a fixed set of channels sharing one time axis, appended by
/// index at each sample (no lookup by name on the sampling path), found by name for Lua.
public final class SeriesSet {
    public let channels: [(name: String, unit: String)]
    public private(set) var times: [SimTime] = []
    private(set) var values: [[Double]]
    private var views: [MetricSeries?]
    private let index: [String: Int]

    init(_ channels: [(name: String, unit: String)]) {
        self.channels = channels
        values = Array(repeating: [], count: channels.count)
        views = Array(repeating: nil, count: channels.count)
        var idx: [String: Int] = [:]
        for (i, c) in channels.enumerated() { idx[c.name] = i }
        index = idx
    }

    public var names: [String] { channels.map(\.name) }

    /// The series of a channel (the same object every time).
    public subscript(_ name: String) -> MetricSeries? {
        guard let i = index[name] else { return nil }
        if let v = views[i] { return v }
        let v = MetricSeries(name: channels[i].name, unit: channels[i].unit, owner: self, channel: i)
        views[i] = v
        return v
    }

    /// Starts a sample at `time`; every channel then gets its value with `set`.
    func begin(_ time: SimTime) { times.append(time) }

    @inline(__always)
    func set(_ channel: Int, _ value: Double) { values[channel].append(value) }
}
