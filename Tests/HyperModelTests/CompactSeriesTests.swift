import Testing
@testable import HyperModel

/// Compact series (issue 17 item 3): a row equal to the one before is stored once, rollups
/// are fed lazily in batches, and statistics level 0 records nothing. None of it may
/// change a value read back.
@Suite("Statistics: compact series, lazy rollups and level 0")
struct CompactSeriesTests {
    func fed(_ channels: Int, keep: SimTime? = nil, samples: Int, _ value: (Int, Int) -> Double) -> SeriesSet {
        let settings = StatisticsSettings()
        settings.realtimeRetention = keep
        let s = SeriesSet((0..<channels).map { (name: "cpu.c\($0)", unit: "%") }, settings: settings)
        for n in 1...samples {
            s.begin(.seconds(Int64(20 * n)))
            for c in 0..<channels { s.set(c, value(c, n)) }
            s.commit()
        }
        return s
    }

    /// Values that repeat in runs (a VM at rest) read back exactly, cost a fraction of a
    /// row each, and a zero of the other sign or another NaN is a new row, not a repeat.
    @Test func repeatedRowsAreStoredOnceAndReadBackExactly() {
        let value: (Int, Int) -> Double = { c, n in
            switch (n / 50) % 4 {
            case 0: return Double(c)
            case 1: return c == 0 ? -0.0 : Double(c)
            case 2: return c == 1 ? .nan : Double(c) + 0.1
            default: return Double(n % 3)
            }
        }
        let s = fed(25, samples: 1000, value)
        #expect(s.pointCount == 1000)
        for c in [0, 1, 24] {
            let column = s["cpu.c\(c)"]!.values
            for n in 1...1000 { #expect(column[n - 1].bitPattern == value(c, n).bitPattern, "channel \(c) sample \(n)") }
        }
        #expect(s.value(0, 50).sign == .minus)     // sample 51: -0.0, not the 0.0 before it
        let full = 1000 * 25 + 1000
        #expect(s.storedValues * 2 < full, "\(s.storedValues) of \(full)")
    }

    /// With retention, the samples kept and every rollup are those of the same run kept
    /// whole, while repeats and drops interleave; and a rollup series held across the run
    /// reads every point made since (rollups are fed lazily, when read or before a drop).
    @Test func retentionWithRepeatsChangesNothing() {
        let value: (Int, Int) -> Double = { c, n in Double((n / 7) % 5 + c) }
        let kept = fed(3, samples: 4320, value)
        let dropped = fed(3, keep: .seconds(Int64(3600)), samples: 4320, value)
        #expect(dropped.pointCount == 180)
        #expect(kept["cpu.c2"]!.values.suffix(180) == dropped["cpu.c2"]!.values)
        for interval in [StatisticsInterval.day, .week, .month] {
            let a = kept.series("cpu.c1", interval: interval)!, b = dropped.series("cpu.c1", interval: interval)!
            #expect(a.times == b.times && a.values == b.values, "\(interval.name)")
        }
        let settings = StatisticsSettings()
        settings.realtimeRetention = .seconds(Int64(3600))
        let s = SeriesSet([(name: "cpu.usage", unit: "%")], settings: settings)
        let day = s.series("cpu.usage", interval: .day)!
        #expect(day.count == 0)
        for n in 1...450 {
            s.begin(.seconds(Int64(20 * n)))
            s.set(0, Double(n))
            s.commit()
        }
        #expect(day.count == 30 && day.last == 443)   // the mean of samples 436…450
    }

    /// Level 0: no series at all, while the model still measures every interval (DRS,
    /// pools and alarms read the measurements, not the series).
    @Test func levelZeroRecordsNothing() throws {
        let dc = Datacenter(seed: 1)
        try dc.setStatisticsLevel(0)
        let h = try dc.addHost(HostSpec(name: "esx01", cpus: 4, mhz: 2000, memory: 16 * Units.GiB), scheduler: .fair)
        let v = try h.createVM(VMSpec(name: "web01", vcpus: 2, memory: 4 * Units.GiB))
        try v.powerOn()
        try v.run(try CPUWorkload(threads: 1, load: 0.5))
        try dc.run(for: .seconds(Int64(600)))
        #expect(v.metrics.series.pointCount == 0 && h.metrics.series.pointCount == 0)
        #expect(v.metrics.series.storedValues == 0)
        #expect(v.metrics.series.series("cpu.usage", interval: .day)?.count ?? 0 == 0)
        #expect(abs(v.metrics.cpu.usedMHz - 1000) < 1)    // half of one 2 GHz vCPU
        #expect(v.metrics.cpuDemandMHz > 0 && h.metrics.cpuUsed > 0)
        #expect(StatisticsSettings.refusal([0, 0, 0, 0, 0]) == nil)
        #expect(StatisticsSettings.refusal([0, 1, 1, 1, 1]) != nil)
        #expect(throws: ModelError.self) { try Datacenter(seed: 1).setStatisticsLevel(5) }
    }
}
