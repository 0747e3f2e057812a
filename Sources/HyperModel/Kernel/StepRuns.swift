/// A sequence of integers held as runs of arithmetic progressions: a series set's sample
/// times (one run per stretch at the same interval) and the row each sample points to
/// (one run per stretch of equal rows, or of rows each new). Appending a value that
/// continues the last run writes only the run kept inline — no array is touched — which
/// is what nearly every sample does: in a steady datacenter 98 % of rows repeat the one
/// before, and samples come at a fixed interval.
struct StepRuns<Value: FixedWidthInteger> {
    struct Run {
        var start: Int32
        var first: Value
        var step: Value
    }

    /// The runs before the last one, by their first index.
    private var runs: [Run] = []
    private(set) var count = 0
    // the last run, for indices tailStart..<count
    private var tailStart = 0
    private var tailFirst: Value = 0
    private var tailStep: Value = 0

    /// Runs held, the last one included: what the sequence costs.
    var runCount: Int { count == 0 ? 0 : runs.count + 1 }
    static var runBytes: Int { MemoryLayout<Run>.stride }

    @inline(__always)
    mutating func append(_ v: Value) {
        let n = count - tailStart
        if n == 0 {
            tailFirst = v
        } else if n == 1 {
            tailStep = v &- tailFirst
        } else if v != tailFirst &+ tailStep &* Value(truncatingIfNeeded: n) {
            runs.append(Run(start: Int32(tailStart), first: tailFirst, step: tailStep))
            tailStart = count
            tailFirst = v
            tailStep = 0
        }
        count += 1
    }

    /// The last value appended (the sequence must not be empty).
    var last: Value { tailFirst &+ tailStep &* Value(truncatingIfNeeded: count - 1 - tailStart) }

    subscript(i: Int) -> Value {
        if i >= tailStart { return tailFirst &+ tailStep &* Value(truncatingIfNeeded: i - tailStart) }
        let r = runs[run(containing: i)]
        return r.first &+ r.step &* Value(truncatingIfNeeded: i - Int(r.start))
    }

    /// Calls `body` with each value of `range` in order, one run at a time.
    func forEach(in range: Range<Int>, _ body: (Value) -> Void) {
        guard !range.isEmpty else { return }
        var i = range.lowerBound
        var r = i >= tailStart ? runs.count : run(containing: i)
        while i < range.upperBound {
            let (start, first, step) = r < runs.count ? (Int(runs[r].start), runs[r].first, runs[r].step) : (tailStart, tailFirst, tailStep)
            let end = min(range.upperBound, r + 1 < runs.count ? Int(runs[r + 1].start) : (r < runs.count ? tailStart : count))
            while i < end {
                body(first &+ step &* Value(truncatingIfNeeded: i - start))
                i += 1
            }
            r += 1
        }
    }

    /// Drops the first `k` values; the rest keep their order, from index 0.
    mutating func removeFirst(_ k: Int) {
        guard k > 0 else { return }
        precondition(k <= count)
        var kept: [Run] = []
        for (r, run) in runs.enumerated() {
            let end = r + 1 < runs.count ? Int(runs[r + 1].start) : tailStart
            guard end > k else { continue }
            let start = Int(run.start)
            let skip = max(0, k - start)
            kept.append(Run(start: Int32(start + skip - k), first: run.first &+ run.step &* Value(truncatingIfNeeded: skip), step: run.step))
        }
        if k > tailStart {
            tailFirst = tailFirst &+ tailStep &* Value(truncatingIfNeeded: k - tailStart)
            tailStart = 0
        } else {
            tailStart -= k
        }
        count -= k
        if count - tailStart <= 1 { tailStep = 0 }
        runs = kept
    }

    /// Subtracts `d` from every value.
    mutating func subtract(_ d: Value) {
        for r in runs.indices { runs[r].first = runs[r].first &- d }
        tailFirst = tailFirst &- d
    }

    /// The run holding index `i`, which is before the last run.
    private func run(containing i: Int) -> Int {
        var lo = 0, hi = runs.count  // the first run starting after i
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(runs[mid].start) <= i { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }
}
