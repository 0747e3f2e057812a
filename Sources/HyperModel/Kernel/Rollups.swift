/// The points of one rollup interval of a series set: each is made of the finer points
/// whose times fall in its period ((k−1)·P, k·P], stamped k·P, for the channels its
/// statistics level collects; at level 4 with their minimum and maximum too. The day is
/// fed with real-time samples; each coarser interval with the points of the one before
/// (15 × 20 s → 5 min, 6 × 5 min → 30 min, 4 × 30 min → 2 h, 12 × 2 h → 1 day).
public final class RollupStore: SeriesStore {
    public let interval: StatisticsInterval
    /// The series set's channels it keeps, and how each rolls up.
    let channels: [Int]
    let kinds: [RollupKind]
    /// Where each of its channels sits in the rows it is fed: the series set's channel for
    /// the day, the position in the finer interval's channels for the others.
    private var source: FixedBuffer<Int>
    private let kind: FixedBuffer<UInt8>
    /// Minimum and maximum are kept (level 4).
    public let extremes: Bool
    private let period: Int64
    private let span: Int64
    @exclusivity(unchecked) private var times: [SimTime] = []
    /// One row per point: the values, then (with extremes) the minima, then the maxima.
    @exclusivity(unchecked) private var rows: [Double] = []
    private var start = 0
    private let width: Int
    // the point being built
    private var bucket: Int64 = -1
    private var count = 0
    private let acc: FixedBuffer<Double>
    private let lo: FixedBuffer<Double>
    private let hi: FixedBuffer<Double>
    private var views: [String: MetricSeries] = [:]
    unowned let owner: SeriesSet
    /// The next coarser interval, fed with this one's points, and where each of its
    /// channels sits in this one's.
    private(set) var next: RollupStore?

    init(interval: StatisticsInterval, channels: [Int], owner: SeriesSet, extremes: Bool) {
        self.interval = interval
        self.channels = channels
        self.kinds = channels.map { CounterLevels.rollup(of: owner.channels[$0].name) }
        self.owner = owner
        self.extremes = extremes
        period = interval.period!.micros
        span = interval.span.micros
        width = channels.count * (extremes ? 3 : 1)
        acc = FixedBuffer(repeating: 0, count: channels.count)
        lo = FixedBuffer(repeating: 0, count: channels.count)
        hi = FixedBuffer(repeating: 0, count: channels.count)
        source = FixedBuffer(channels)
        kind = FixedBuffer(kinds.map { $0 == .average ? 0 : $0 == .summation ? 1 : 2 })
    }

    /// Makes `store` the next coarser interval, fed with this one's points.
    func feed(_ store: RollupStore) {
        next = store
        store.source = FixedBuffer(store.channels.map { c in channels.firstIndex(of: c)! })
    }

    /// Adds a finer point at `t`, read from `row` (the finer store's row of `width`
    /// channels, followed by their minima and maxima when it has `extremes`; a real-time
    /// sample has none: its value stands for both).
    func add(_ t: SimTime, row: UnsafePointer<Double>, width: Int, extremes ext: Bool) {
        // (k−1)·P < t ≤ k·P belongs to the point stamped k·P
        let b = t.micros <= 0 ? 0 : (t.micros - 1) / period
        if b != bucket && count > 0 { close() }
        bucket = b
        let first = count == 0
        for i in 0..<channels.count {
            let s = source[i]
            let v = row[s]
            if kind[i] == 2 || first { acc[i] = v } else { acc[i] += v }   // latest, or the first value
            if extremes {
                let l = ext ? row[width + s] : v, h = ext ? row[2 * width + s] : v
                lo[i] = first ? l : Swift.min(lo[i], l)
                hi[i] = first ? h : Swift.max(hi[i], h)
            }
        }
        count += 1
        if t.micros == (b + 1) * period { close() }  // the period's last point: the point is complete
    }

    /// Emits the point being built and feeds it to the next interval.
    private func close() {
        let t = SimTime(micros: (bucket + 1) * period)
        times.append(t)
        let n = channels.count
        for i in 0..<n { rows.append(kind[i] == 0 ? acc[i] / Double(count) : acc[i]) }
        if extremes {
            rows.append(contentsOf: lo.buffer)
            rows.append(contentsOf: hi.buffer)
        }
        count = 0
        // points older than the interval's span are dropped, in batches
        while start < times.count && times[start].micros <= t.micros - span { start += 1 }
        if start >= 64 && start * 2 >= times.count {
            times.removeFirst(start)
            rows.removeFirst(start * width)
            start = 0
        }
        guard let next else { return }
        let row = (times.count - 1) * width
        let ext = extremes
        rows.withUnsafeBufferPointer { p in next.add(t, row: p.baseAddress! + row, width: n, extremes: ext) }
    }

    // MARK: reading

    /// Numbers it holds (point times included), for memory accounting.
    var storedValues: Int { rows.count + times.count + channels.count * 3 }

    // every read first feeds the samples taken since the last one (the series set feeds
    // its rollups lazily), so a series held across a run reads every point
    public var pointTimes: [SimTime] {
        owner.rollUp()
        return start == 0 ? times : Array(times[start...])
    }
    public var pointCount: Int {
        owner.rollUp()
        return times.count - start
    }
    public func pointTime(_ point: Int) -> SimTime { times[start + point] }

    public func value(_ column: Int, _ point: Int) -> Double {
        owner.rollUp()
        return rows[(start + point) * width + column]
    }

    public func column(_ column: Int) -> [Double] {
        owner.rollUp()
        return (start..<times.count).map { rows[$0 * width + column] }
    }

    /// The series of a channel's rollup: its own kind, or (with extremes) "minimum" or
    /// "maximum"; nil when this interval does not keep it.
    func series(_ name: String, stat: String?) -> MetricSeries? {
        guard let c = owner.channelIndex(name), let pos = channels.firstIndex(of: c) else { return nil }
        let kind = kinds[pos].rawValue
        let which = stat ?? kind
        let column: Int
        switch which {
        case kind: column = pos
        case "minimum" where extremes: column = channels.count + pos
        case "maximum" where extremes: column = 2 * channels.count + pos
        default: return nil
        }
        let key = "\(name)/\(which)"
        if let v = views[key] { return v }
        let v = MetricSeries(name: name, unit: owner.channels[c].unit, store: self, column: column,
                             interval: interval, rollup: which)
        views[key] = v
        return v
    }
}
