import Testing
@testable import HyperModel

/// The run-length store of a series set's sample times and row indices: whatever is
/// appended, dropped from the front or shifted reads back as a plain array would.
@Suite("Statistics: sample times and row indices held as runs")
struct StepRunsTests {
    /// Checks every read against the plain array it stands for.
    func expectSame(_ runs: StepRuns<Int64>, _ plain: [Int64], _ context: String) {
        #expect(runs.count == plain.count, "\(context)")
        for i in plain.indices where runs[i] != plain[i] {
            Issue.record("\(context): value \(i) is \(runs[i]), not \(plain[i])")
            return
        }
        var seen: [Int64] = []
        runs.forEach(in: 0..<plain.count) { seen.append($0) }
        #expect(seen == plain, "\(context): forEach")
        if plain.count > 3 {
            var middle: [Int64] = []
            runs.forEach(in: 1..<(plain.count - 1)) { middle.append($0) }
            #expect(middle == Array(plain[1..<(plain.count - 1)]), "\(context): forEach of a middle range")
        }
        if let last = plain.last { #expect(runs.last == last, "\(context): last") }
    }

    /// Samples every 20 s, a pause, then every 5 s: two runs, whatever their length.
    @Test func timesAtFixedIntervalsAreAFewRuns() {
        var runs = StepRuns<Int64>()
        var plain: [Int64] = []
        for t in stride(from: Int64(20_000_000), through: 3_600_000_000, by: 20_000_000) { runs.append(t); plain.append(t) }
        for t in stride(from: Int64(7_200_000_000), through: 7_300_000_000, by: 5_000_000) { runs.append(t); plain.append(t) }
        expectSame(runs, plain, "times")
        #expect(runs.runCount == 2)  // the first sample after the pause starts the 5 s run
    }

    /// Random appends in runs of repeats, of steps and of jumps, with drops from the front
    /// and shifts in between, against a plain array.
    @Test func randomSequencesReadBackAsTheArrayTheyStandFor() {
        var rng = SimRandom(seed: 17)
        for round in 0..<40 {
            var runs = StepRuns<Int64>()
            var plain: [Int64] = []
            var v: Int64 = Int64(rng.next(below: 100))
            for op in 0..<400 {
                switch rng.next(below: 10) {
                case 0:
                    let k = Int(rng.next(below: Int64(plain.count + 1)))
                    runs.removeFirst(k)
                    plain.removeFirst(k)
                case 1:
                    let d = rng.next(below: 7)
                    runs.subtract(d)
                    plain = plain.map { $0 - d }
                default:
                    let step = [0, 0, 0, 1, 20, -3][Int(rng.next(below: 6))]
                    for _ in 0..<Int(rng.next(below: 6)) {
                        v += Int64(step)
                        if rng.next(below: 8) == 0 { v += rng.next(below: 1000) }
                        runs.append(v)
                        plain.append(v)
                    }
                }
                expectSame(runs, plain, "round \(round), step \(op)")
            }
        }
    }

    /// A row index that repeats for long stretches (a VM at rest) costs one run per stretch.
    @Test func repeatedRowsCostARunPerStretch() {
        var rows = StepRuns<Int32>()
        for stretch in 0..<10 { for _ in 0..<100 { rows.append(Int32(stretch)) } }
        #expect(rows.count == 1000)
        #expect(rows.runCount == 10)
        #expect(rows[0] == 0 && rows[99] == 0 && rows[100] == 1 && rows[999] == 9)
    }
}
