/// Where a series' points live: the real-time samples of a series set, or one of its
/// rollup intervals.
public protocol SeriesStore: AnyObject {
    var pointTimes: [SimTime] { get }
    var pointCount: Int { get }
    /// The time of one point, without making the array of all of them.
    func pointTime(_ point: Int) -> SimTime
    func value(_ column: Int, _ point: Int) -> Double
    func column(_ column: Int) -> [Double]
}

/// A sampled metric of one object: one value per sample (or per rollup point), at the
/// times of its store. The view is cheap: the times are shared by every channel.
public final class MetricSeries {
    public let name: String
    /// "bytes", "%", "MHz", "ms", "ratio" — for labels and messages.
    public let unit: String
    /// Real-time samples, or the rollup of an interval.
    public let interval: StatisticsInterval
    /// For rollups: "average", "summation", "latest", "minimum" or "maximum".
    public let rollup: String?
    unowned let store: any SeriesStore
    let channel: Int

    init(name: String, unit: String, store: any SeriesStore, column: Int, interval: StatisticsInterval = .realtime,
         rollup: String? = nil) {
        self.name = name
        self.unit = unit
        self.store = store
        self.channel = column
        self.interval = interval
        self.rollup = rollup
    }

    /// The series set of a real-time series (nil for a rollup), to roll it up.
    public var realtimeSet: SeriesSet? { store as? SeriesSet }
    public var times: [SimTime] { store.pointTimes }
    public var values: [Double] { store.column(channel) }
    public var count: Int { store.pointCount }
    public var last: Double? { count == 0 ? nil : store.value(channel, count - 1) }
    public var max: Double? { values.max() }
    public var min: Double? { values.min() }
    public var mean: Double? {
        let v = values
        return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
    }

    /// The value of the last point at or before `t` (nil before the first).
    public func value(at t: SimTime) -> Double? {
        var lo = 0, hi = store.pointCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if store.pointTime(mid) <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : store.value(channel, lo - 1)
    }
}

/// The series of one object: a fixed set of channels sharing one time axis, found by
/// name for Lua. A sample is written channel by channel into a row, then appended in one
/// go; rows are stored one after the other (no lookup or growth per value).
///
/// Compact and exact: a row bit for bit equal to the row before it (a VM whose demand,
/// allocation and memory did not change in the interval — most of them, most of the time)
/// is not stored again: the sample points to the stored row, and both the sample times
/// and those row indices are held as runs (StepRuns.swift), so a run of repeated samples
/// costs nothing past its row. No value is rounded: every value read back is the value
/// written.
///
/// Rollups (past day, week, month, year) are made from the samples by one incremental
/// path: as samples arrive when real-time samples are dropped after `realtimeRetention`
/// (they must be rolled up before they go), otherwise only when a rollup is first read,
/// from the samples kept — so labs that never read one pay nothing, and both ways give
/// the same points.
/// The channels of a kind of series set and their index by name: one object shared by
/// every VM (or host, or container) with the same channels, not a copy per object.
public final class SeriesLayout: @unchecked Sendable {
    public let channels: [(name: String, unit: String)]
    let index: [String: Int]

    public init(_ channels: [(name: String, unit: String)]) {
        self.channels = channels
        var idx: [String: Int] = [:]
        for (i, c) in channels.enumerated() { idx[c.name] = i }
        index = idx
    }
}

public final class SeriesSet: SeriesStore {
    public let layout: SeriesLayout
    public var channels: [(name: String, unit: String)] { layout.channels }
    /// The object, as Lua shows it ("VM(web01)"), for messages.
    public var owner = ""
    // written once per sample, read by the alarms right after: no exclusivity checks
    /// The time of each sample, in microseconds.
    @exclusivity(unchecked) private var sampleTimes = StepRuns<Int64>()
    /// The rows, each stored once for a run of equal consecutive samples.
    @exclusivity(unchecked) private var rows: [Double] = []
    /// For each sample, the index of its row in `rows`.
    @exclusivity(unchecked) private var rowOf = StepRuns<Int32>()
    /// Samples before this index have passed the real-time retention.
    @exclusivity(unchecked) private var start = 0
    /// Samples rolled up so far, and dropped so far (counted from the first sample).
    @exclusivity(unchecked) private var fed = 0
    @exclusivity(unchecked) private var dropped = 0
    /// The row being written, then (from index `width`) the last row stored: a sample is
    /// compared with it without reading `rows`. Held here, not in a FixedBuffer, and with
    /// the width and the rows stored: a sample reads no other object before its row.
    private let row: UnsafeMutablePointer<Double>
    private let width: Int
    @exclusivity(unchecked) private var storedRows = 0
    /// The series objects handed out, made on first use.
    private var views: [MetricSeries?] = []
    let settings: StatisticsSettings
    /// Rollup stores by interval (day first), made on first use.
    private var rollups: [RollupStore]?

    /// False at statistics level 0: the row is still written at each sample (the
    /// alarms read it) but never stored.
    public let records: Bool

    convenience init(_ channels: [(name: String, unit: String)], settings: StatisticsSettings) {
        self.init(layout: SeriesLayout(channels), settings: settings)
    }

    init(layout: SeriesLayout, settings: StatisticsSettings) {
        self.layout = layout
        self.settings = settings
        records = settings.records
        width = layout.channels.count
        row = .allocate(capacity: max(1, 2 * width))
        row.initialize(repeating: 0, count: max(1, 2 * width))
    }

    deinit { row.deallocate() }

    public var names: [String] { channels.map(\.name) }
    func channelIndex(_ name: String) -> Int? { layout.index[name] }

    /// The series of a channel (the same object every time).
    public subscript(_ name: String) -> MetricSeries? {
        guard let i = layout.index[name] else { return nil }
        if views.isEmpty { views = Array(repeating: nil, count: channels.count) }
        if let v = views[i] { return v }
        let v = MetricSeries(name: channels[i].name, unit: channels[i].unit, store: self, column: i)
        views[i] = v
        return v
    }

    // MARK: SeriesStore

    public var times: [SimTime] { pointTimes }
    public var pointTimes: [SimTime] {
        var times: [SimTime] = []
        times.reserveCapacity(pointCount)
        sampleTimes.forEach(in: start..<sampleTimes.count) { times.append(SimTime(micros: $0)) }
        return times
    }
    public var pointCount: Int { sampleTimes.count - start }
    public func pointTime(_ point: Int) -> SimTime { SimTime(micros: sampleTimes[start + point]) }
    public func value(_ channel: Int, _ sample: Int) -> Double { rows[Int(rowOf[start + sample]) * channels.count + channel] }
    public func column(_ channel: Int) -> [Double] {
        let n = channels.count
        var values: [Double] = []
        values.reserveCapacity(pointCount)
        rows.withUnsafeBufferPointer { p in
            rowOf.forEach(in: start..<rowOf.count) { values.append(p[Int($0) * n + channel]) }
        }
        return values
    }

    /// Numbers held, real-time samples and rollups (8 bytes each; the runs of sample
    /// times and row indices in as many): what a series set costs in memory.
    public var storedValues: Int {
        let runs = sampleTimes.runCount * StepRuns<Int64>.runBytes + rowOf.runCount * StepRuns<Int32>.runBytes
        return rows.count + (runs + 7) / 8 + (rollups ?? []).reduce(0) { $0 + $1.storedValues }
    }

    /// Samples held now (including those past the retention, not yet dropped), for the
    /// memory estimate: a count, O(1).
    var heldSamples: Int { sampleTimes.count }
    /// Its rollup stores exist (real-time samples are dropped, or a rollup was read).
    var hasRollups: Bool { rollups != nil }

    /// Time of the latest sample (kept at level 0 too, where no sample is stored).
    @exclusivity(unchecked) private(set) var lastTime: SimTime?

    /// Value of `channel` in the latest sample, which must exist: the row last written,
    /// which the next sample overwrites (stored or not).
    @inline(__always)
    func latest(_ channel: Int) -> Double {
        assert(channel >= 0 && channel < width)
        return row[channel]
    }

    // MARK: writing

    /// Starts a sample at `time`; every channel then gets its value with `set`, and
    /// `commit` stores the row.
    func begin(_ time: SimTime) {
        lastTime = time
        if records { sampleTimes.append(time.micros) }
    }

    @inline(__always)
    func set(_ channel: Int, _ value: Double) {
        assert(channel >= 0 && channel < width)
        row[channel] = value
    }

    /// Asks for the row's cache lines (a hint, Kernel/Prefetch.swift).
    @inline(__always)
    func prefetchRow() { Prefetch.bytes(row, 2 * width * MemoryLayout<Double>.stride) }

    /// The row being written, or just committed.
    var currentRow: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: row, count: width) }

    func commit() {
        guard records else { return }
        let n = width
        let stored = storedRows
        if stored > 0 && sameAsLastRow() {
            rowOf.append(Int32(stored - 1))
        } else {
            if n > 0 {
                rows.append(contentsOf: UnsafeBufferPointer(start: row, count: n))
                (row + n).update(from: row, count: n)
                storedRows += 1
            }
            rowOf.append(Int32(stored))
        }
        guard let keep = settings.realtimeRetention else { return }
        let t = sampleTimes.last
        while start < sampleTimes.count && sampleTimes[start] <= t - keep.micros { start += 1 }
        if start >= 64 && start * 2 >= sampleTimes.count {
            // samples about to be dropped are rolled up first, in one batch: feeding them
            // one at a time or together gives the same points, and a rollup read catches up
            rollUp()
            // the rows before the first kept sample's go; the kept samples' indices shift
            let first = rowOf[start]
            sampleTimes.removeFirst(start)
            rowOf.removeFirst(start)
            rows.removeFirst(Int(first) * n)
            if n > 0 { storedRows -= Int(first) }
            if first > 0 { rowOf.subtract(first) }
            dropped += start
            start = 0
        }
    }

    /// The row being written is bit for bit the last stored one (so -0.0 is not 0.0 and
    /// a NaN equals the same NaN: what is read back is exactly what was written).
    @inline(__always)
    private func sameAsLastRow() -> Bool {
        let n = width
        let new = row
        let last = new + n
        for c in 0..<n where last[c].bitPattern != new[c].bitPattern { return false }
        return true
    }

    // MARK: rollups

    /// The rollup store of an interval up to the latest sample, nil when its level
    /// collects nothing of this set.
    func rollup(_ interval: StatisticsInterval) -> RollupStore? {
        guard interval != .realtime else { return nil }
        rollUp()
        return rollups?.first { $0.interval == interval }
    }

    /// The series of `name` rolled up for `interval` (its own rollup kind, or "minimum"
    /// or "maximum" at level 4); nil when the interval does not keep it.
    public func series(_ name: String, interval: StatisticsInterval, stat: String? = nil) -> MetricSeries? {
        if interval == .realtime { return stat == nil ? self[name] : nil }
        return rollup(interval)?.series(name, stat: stat)
    }

    /// Feeds every sample not yet rolled up into the day's store (which feeds the rest):
    /// before samples are dropped, and before any rollup is read.
    func rollUp() {
        if rollups == nil { rollups = makeRollups() }
        let total = dropped + sampleTimes.count
        guard fed < total else { return }
        guard let day = rollups!.first else {
            fed = total
            return
        }
        let n = channels.count
        rows.withUnsafeBufferPointer { p in
            while fed < total {
                let i = fed - dropped
                day.add(SimTime(micros: sampleTimes[i]), row: p.baseAddress! + Int(rowOf[i]) * n, width: n, extremes: false)
                fed += 1
            }
        }
    }

    private func makeRollups() -> [RollupStore] {
        var stores: [RollupStore] = []
        for interval in StatisticsInterval.allCases where interval != .realtime {
            let level = settings.level(interval)
            let kept = channels.indices.filter { CounterLevels.level(of: channels[$0].name) <= level }
            guard !kept.isEmpty else { break }
            let s = RollupStore(interval: interval, channels: kept, owner: self, extremes: level >= 4)
            stores.last?.feed(s)
            stores.append(s)
        }
        return stores
    }
}
