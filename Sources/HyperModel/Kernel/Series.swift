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
    public var values: [Double] { owner.column(channel) }
    public var count: Int { owner.times.count }
    public var last: Double? { count == 0 ? nil : owner.value(channel, count - 1) }
    public var max: Double? { values.max() }
    public var min: Double? { values.min() }
    public var mean: Double? {
        let v = values
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
        return lo == 0 ? nil : owner.value(channel, lo - 1)
    }
}

/// The series of one object: a fixed set of channels sharing one time axis, found by
/// name for Lua. A sample is written channel by channel into a row, then appended in one
/// go; rows are stored one after the other (no lookup or growth per value).
public final class SeriesSet {
    public let channels: [(name: String, unit: String)]
    public private(set) var times: [SimTime] = []
    private var rows: [Double] = []
    private let row: FixedBuffer<Double>
    private var views: [MetricSeries?]
    private let index: [String: Int]

    init(_ channels: [(name: String, unit: String)]) {
        self.channels = channels
        row = FixedBuffer(repeating: 0, count: channels.count)
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

    /// Starts a sample at `time`; every channel then gets its value with `set`, and
    /// `commit` stores the row.
    func begin(_ time: SimTime) { times.append(time) }

    @inline(__always)
    func set(_ channel: Int, _ value: Double) { row[channel] = value }

    func commit() { rows.append(contentsOf: row.buffer) }

    func value(_ channel: Int, _ sample: Int) -> Double { rows[sample * channels.count + channel] }

    func column(_ channel: Int) -> [Double] {
        stride(from: channel, to: rows.count, by: channels.count).map { rows[$0] }
    }

}
