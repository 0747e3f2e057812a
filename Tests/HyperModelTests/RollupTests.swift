import Testing
@testable import HyperModel

/// Rollups of series (datacenter-facts §3.3): how points are made, which counters each
/// level keeps, and that dropping real-time samples changes no rollup.
@Suite("Statistics: rollups, levels and real-time retention")
struct RollupTests {
    /// A series set of the given channels fed `samples` samples 20 s apart, each value
    /// from `value(channel, n)` (n from 1).
    func fed(_ channels: [(String, String)], levels: [Int] = [3, 3, 3, 3, 3], keep: SimTime? = nil, samples: Int,
             _ value: (Int, Int) -> Double) -> SeriesSet {
        let settings = StatisticsSettings()
        settings.levels = levels
        settings.realtimeRetention = keep
        let s = SeriesSet(channels.map { (name: $0.0, unit: $0.1) }, settings: settings)
        for n in 1...samples {
            s.begin(.seconds(Int64(20 * n)))
            for c in channels.indices { s.set(c, value(c, n)) }
            s.commit()
        }
        return s
    }

    /// Each counter rolls up as vCenter's: ready time is summed, the memory state keeps
    /// its latest value, the rest average; a point is stamped at the end of its period.
    @Test func rollupKinds() {
        let s = fed([("cpu.usage", "%"), ("cpu.ready_ms", "ms"), ("memory.state", "state")], samples: 45) { c, n in
            c == 2 ? Double(n % 4) : Double(n)
        }
        let day = s.series("cpu.usage", interval: .day)!
        #expect(day.times.map(\.seconds) == [300, 600, 900])
        #expect(day.values == [8, 23, 38])                                    // means of 1…15, 16…30, 31…45
        #expect(day.rollup == "average")
        let ready = s.series("cpu.ready_ms", interval: .day)!
        #expect(ready.values == [120, 345, 570])                              // sums
        #expect(ready.rollup == "summation")
        #expect(s.series("memory.state", interval: .day)!.values == [3, 2, 1])  // latest: 15 % 4, 30 % 4, 45 % 4
        // the point being built (after the last full period) is not shown
        let partial = fed([("cpu.usage", "%")], samples: 20) { _, n in Double(n) }
        #expect(partial.series("cpu.usage", interval: .day)!.count == 1)
    }

    /// Levels: per interval, the counters collected (1 basic, 2 all CPU and memory, 3
    /// per-vCPU) and at 4 minimum and maximum rollups.
    @Test func levelsDecideWhatIsKept() {
        let basic = fed([("cpu.usage", "%"), ("memory.active", "bytes")], levels: [3, 2, 1, 1, 1], samples: 90 * 6) { _, n in Double(n) }
        #expect(basic.series("memory.active", interval: .day) != nil)    // level 2 counter at day level 2
        #expect(basic.series("memory.active", interval: .week) == nil)   // not at week level 1
        #expect(basic.series("cpu.usage", interval: .week) != nil)
        #expect(basic.series("cpu.usage", interval: .day, stat: "maximum") == nil)
        let full = fed([("cpu.usage", "%")], levels: [4, 4, 4, 4, 4], samples: 90) { _, n in Double(n % 7) }
        let max = full.series("cpu.usage", interval: .day, stat: "maximum")!
        let min = full.series("cpu.usage", interval: .day, stat: "minimum")!
        #expect(max.values.allSatisfy { $0 == 6 } && min.values.allSatisfy { $0 == 0 })
        #expect(full.series("cpu.usage", interval: .week, stat: "maximum")!.values == [6])   // cascaded from the day's maxima
        #expect(full.series("cpu.usage", interval: .day, stat: "latest") == nil)             // not this counter's rollup
    }

    /// Rolling up as samples arrive (they are dropped after the retention) and only when
    /// read (every sample kept) give the same points.
    @Test func droppingSamplesChangesNoRollup() {
        let value: (Int, Int) -> Double = { c, n in Double((n * 7919 + c * 31) % 1000) / 10 }
        let kept = fed([("cpu.usage", "%"), ("memory.consumed", "bytes")], samples: 3 * 4320, value)
        let dropped = fed([("cpu.usage", "%"), ("memory.consumed", "bytes")], keep: .seconds(Int64(3600)), samples: 3 * 4320, value)
        #expect(kept.pointCount == 3 * 4320 && dropped.pointCount == 180)
        for interval in [StatisticsInterval.day, .week, .month, .year] {
            for name in ["cpu.usage", "memory.consumed"] {
                let a = kept.series(name, interval: interval)!, b = dropped.series(name, interval: interval)!
                #expect(a.times == b.times && a.values == b.values, "\(name) \(interval.name)")
            }
        }
        #expect(kept["cpu.usage"]!.values.suffix(180) == dropped["cpu.usage"]!.values)
    }

    /// Memory: a month of 20 s samples of 25 channels kept whole is 129,600 rows; with
    /// vCenter's 1 h of real-time data and the rollups it is a few thousand points.
    @Test func retentionMakesAMonthCheap() {
        let channels = (0..<25).map { ("c\($0)", "%") }
        let month = 30 * 4320
        let whole = fed(channels, samples: month) { c, n in Double(c + n) }
        let bounded = fed(channels, keep: .seconds(Int64(3600)), samples: month) { c, n in Double(c + n) }
        _ = whole.series("c0", interval: .year)   // rollups made, as a lab reading one would
        #expect(whole.storedValues > month * 25)
        #expect(bounded.storedValues * 50 < whole.storedValues, "\(bounded.storedValues) vs \(whole.storedValues)")
    }

    /// Without a retention, a VM's series keep every sample, as before rollups existed,
    /// and a VM off for a while has no points for the periods it did not run.
    @Test func realtimeUnchangedAndGaps() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "web01")
        try v.run(try CPUWorkload(threads: 1, load: 0.5))
        try dc.run(for: .seconds(Int64(7200)))
        #expect(v.metrics.series["cpu.usage"]!.count == 360)
        try v.powerOff()
        try dc.run(for: .seconds(Int64(3600)))
        try v.powerOn()
        try v.run(try CPUWorkload(threads: 1, load: 0.5))
        try dc.run(for: .seconds(Int64(3600)))
        let day = v.metrics.series.series("cpu.usage", interval: .day)!
        #expect(day.count == 24 + 12)   // 2 h on, 1 h off (no samples), 1 h on
        #expect(!day.times.contains { $0 > .seconds(Int64(7200)) && $0 <= .seconds(Int64(10_800)) })
        #expect(day.times.contains(.seconds(Int64(11_100))))
        #expect(v.metrics.series["cpu.usage"]!.count == 360 + 180)
    }
}
