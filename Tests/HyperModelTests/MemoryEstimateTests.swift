import Testing
@testable import HyperModel

/// A run that would not fit in memory is refused before it starts (issue 17, "Bad
/// input"): the estimate from object counts, the limit it is checked against, and a
/// refusal that names the figures and changes nothing.
@Suite("Memory estimate and the run's memory check")
struct MemoryEstimateTests {
    let hour = SimTime.seconds(Int64(3600))

    func world(hosts: Int = 1, vms: Int, level: Int = 1, keep: SimTime? = nil) throws -> Datacenter {
        let dc = Datacenter(seed: 1)
        try dc.setStatisticsLevel(level)
        if let keep { try dc.setRealtimeRetention(keep) }
        for h in 0..<hosts {
            let host = try dc.addHost(HostSpec(name: "h\(h)", cpus: 8, mhz: 2400, memory: 256 * GiB), scheduler: .fair)
            for v in 0..<vms {
                let vm = try host.createVM(VMSpec(name: "h\(h)v\(v)", vcpus: 2, memory: 4 * GiB))
                try vm.powerOn()
                try vm.run(CPUWorkload(threads: 2, load: [1.0, 0.5, 0.3][v % 3]))
            }
        }
        return dc
    }

    /// Each VM adds the same bytes, at least its samples' worst case (25 channels × 8
    /// bytes + time and row index, 180 samples of an hour).
    @Test func growsLinearlyWithVMs() throws {
        let e = try [10, 20, 30].map { try world(vms: $0).memoryEstimate(until: hour) }
        let step = e[1].total - e[0].total
        #expect(step > 0)
        #expect(e[2].total - e[1].total == step)
        #expect(step >= 10 * 180 * (25 * 8 + 12), "\(step) bytes for 10 VMs")
        #expect(e[2].largest == .init(kind: "VMs", objects: 30, channels: 25, samples: 180, bytes: e[2].largest!.bytes))
    }

    @Test func growsLinearlyWithSamples() throws {
        let dc = try world(vms: 10)
        let e = [1, 2, 3].map { dc.memoryEstimate(until: SimTime(micros: hour.micros * Int64($0))) }
        #expect(e.map(\.samples) == [180, 360, 540])
        #expect(e[1].series - e[0].series == e[2].series - e[1].series)
        #expect(e[1].series > e[0].series)
        #expect(e[0].model == e[2].model)
        // half the interval, twice the samples: twice the series
        try dc.setSampleInterval(.seconds(Int64(10)))
        let fine = dc.memoryEstimate(until: hour)
        #expect(fine.samples == 360)
        #expect(fine.series == e[1].series)
    }

    /// Level 0 stores no sample: only the model state, the same as level 1's.
    @Test func levelZeroStoresNothing() throws {
        let none = try world(vms: 10, level: 0)
        let some = try world(vms: 10, level: 1)
        for t in [hour, SimTime.seconds(Int64(86_400))] {
            #expect(none.memoryEstimate(until: t).series == 0)
            #expect(none.memoryEstimate(until: t).model == some.memoryEstimate(until: t).model)
            #expect(some.memoryEstimate(until: t).series > 0)
        }
    }

    /// With a retention the real-time samples held stop growing (only the rollups do),
    /// and the bound holds for the samples a real run keeps.
    @Test func retentionBoundsTheSamples() throws {
        let kept = try world(vms: 4, keep: hour)
        let all = try world(vms: 4)
        let day = SimTime.seconds(Int64(86_400)), twoDays = SimTime.seconds(Int64(2 * 86_400))
        let a = kept.memoryEstimate(until: day), b = kept.memoryEstimate(until: twoDays)
        #expect(a.largest?.samples == b.largest?.samples)
        #expect(a.largest!.samples < 400)   // 181 kept, dropped in batches: at most 363
        #expect(b.series * 5 < all.memoryEstimate(until: twoDays).series)
        // the bound against what a run holds: 4.5 h with 1 h kept (dropped in batches
        // of 180 at 360, 540 and 720 samples: 270 held at 810)
        let end = SimTime(micros: 9 * hour.micros / 2)
        let bound = kept.memoryEstimate(until: end).largest!.samples
        try kept.run(until: end)
        for vm in kept.vms { #expect(vm.metrics.series.heldSamples <= bound) }
        #expect(kept.vms[0].metrics.series.heldSamples == 270)
    }

    /// The estimate of what exists now covers what the series really store.
    @Test func coversWhatIsStored() throws {
        let dc = try world(vms: 6, level: 3)
        try dc.run(for: hour)
        let stored = (dc.vms.map(\.metrics.series) + dc.hosts.map(\.metrics.series)).reduce(0) { $0 + $1.storedValues } * 8
        let e = dc.memoryEstimate(until: dc.now)
        #expect(e.samples == 0)
        #expect(e.series >= Int64(stored))
    }

    /// The lower end never exceeds what a run holds: steady VMs (nothing running: every
    /// row repeats the one before) store about what `atLeast` counts, and a run is refused
    /// only above it, so a run that fits is never refused.
    @Test func theLeastIsWhatSteadyVMsStore() throws {
        let dc = try world(vms: 10)
        let before = dc.memoryEstimate(until: hour)
        try dc.run(for: hour)
        let sets = dc.vms.map(\.metrics.series) + dc.hosts.map(\.metrics.series)
        let stored = Int64(sets.reduce(0) { $0 + $1.storedValues } * 8)
        #expect(before.leastSeries > 0)
        #expect(before.leastSeries <= stored)
        #expect(before.leastSeries < before.series / 5, "\(before.leastSeries) of \(before.series)")
        #expect(before.atLeast < before.total)
    }

    @Test func refusedOverTheLimitWithTheFiguresAndNothingChanged() throws {
        let dc = try world(vms: 10)
        let e = dc.memoryEstimate(until: hour)
        dc.memoryCheck.limit = MemoryLimit(bytes: e.atLeast - 1, source: "test")
        let events = dc.log.total, ran = dc.sim.eventsRun
        #expect {
            try dc.run(for: hour)
        } throws: { error in
            let m = (error as? ModelError)?.message ?? ""
            return m.hasPrefix("this run needs at least \(MemoryCheck.about(e.atLeast)) (10 VMs × 25 series × 180 samples of 20 s, and model state; up to \(MemoryCheck.about(e.total)) if every sample differs from the one before)")
                && m.contains("more than the \(MemoryCheck.about(e.atLeast - 1)) available (test): use lab.statistics_level(0), lab.realtime_retention(\"1 h\"), a longer lab.sample_interval, a shorter run or fewer VMs")
        }
        #expect(dc.now == .zero)
        #expect(dc.log.total == events)
        #expect(dc.sim.eventsRun == ran)
        #expect(dc.vms.allSatisfy { $0.metrics.series.heldSamples == 0 })
        // the same run fits in its estimate
        dc.memoryCheck.limit = MemoryLimit(bytes: e.atLeast, source: "test")
        try dc.run(for: hour)
        #expect(dc.now == hour)
        #expect(dc.vms[0].metrics.series.heldSamples == 180)
    }

    /// A run that passed is not checked again for its own steps, but objects added since
    /// are counted; switching the check off lets anything run.
    @Test func objectsAddedAreCountedAndTheCheckCanBeOff() throws {
        let dc = try world(vms: 2)
        let two = SimTime(micros: 2 * hour.micros)
        dc.memoryCheck.limit = MemoryLimit(bytes: dc.memoryEstimate(until: two).atLeast, source: "test")
        try dc.run(until: hour)
        for v in 0..<20 { try dc.hosts[0].createVM(VMSpec(name: "more\(v)", vcpus: 1, memory: GiB)).powerOn() }
        #expect(throws: ModelError.self) { try dc.run(until: two) }
        #expect(dc.now == hour)
        dc.memoryCheck.enabled = false
        try dc.run(until: two)
        #expect(dc.now == two)
    }

    /// Level 0 has no series to blame: the message says fewer objects, nothing else.
    @Test func levelZeroMessage() throws {
        let dc = try world(vms: 3, level: 0)
        dc.memoryCheck.limit = MemoryLimit(bytes: 1 << 20, source: "test")
        #expect(throws: ModelError.self) { try dc.run(for: hour) }
        do { try dc.run(for: hour) } catch let e as ModelError {
            #expect(e.message.contains("(model state), more than the 1 MiB available (test): use fewer VMs"))
            #expect(!e.message.contains("statistics_level"))
        }
    }

    /// Containers' series count as they are made (at their first sample) and while live.
    @Test func containersCount() throws {
        let dc = Datacenter(seed: 1)
        let node = try linuxNode(dc, cpus: 4, memory: 8 * GiB)
        for i in 0..<12 {
            let k = try node.runContainer(name: "k\(i)", image: nil, options: docker { $0.memory = 256 * MiB })
            try k.run(CPUWorkload(threads: 1, load: 0.2 + 0.05 * Double(i)))
        }
        let e = dc.memoryEstimate(until: hour)
        let share = try #require(e.largest)
        #expect(share.kind == "containers" && share.objects == 12 && share.channels == 5 && share.samples == 180)
        try dc.run(until: hour)
        let ks = dc.containerRegistry.kernels.flatMap(\.containers)
        #expect(ks.allSatisfy { $0.series.heldSamples == 180 })
        #expect(Int64(ks.reduce(0) { $0 + $1.series.storedValues } * 8) <= share.bytes)
    }

    /// A lab that keeps an hour already is not told to; nor to run shorter, which
    /// would not help.
    @Test func retentionMessage() throws {
        let dc = try world(vms: 3, keep: hour)
        dc.memoryCheck.limit = MemoryLimit(bytes: 1 << 20, source: "test")
        do {
            try dc.run(for: hour)
            Issue.record("the run was not refused")
        } catch let e as ModelError {
            #expect(e.message.contains("available (test): use lab.statistics_level(0), a longer lab.sample_interval or fewer VMs"), "\(e.message)")
        }
    }

    @Test func figures() {
        #expect(MemoryCheck.about(Int64(5.4 * Double(GiB))) == "5.4 GiB")
        #expect(MemoryCheck.about(3 * GiB) == "3 GiB")
        #expect(MemoryCheck.about(850 * MiB) == "850 MiB")
        #expect(MemoryCheck.every(.seconds(Int64(20))) == "20 s")
        #expect(MemoryCheck.every(.seconds(Int64(300))) == "5 min")
        #expect(MemoryCheck.every(.seconds(Int64(7200))) == "2 h")
        #expect(MemoryCheck.every(.seconds(1.5)) == "1.5 s")
        #expect(MemoryCheck.grouped(100_000) == "100,000")
        #expect(MemoryCheck.grouped(999) == "999")
        #expect(MemoryCheck.grouped(1_234_567) == "1,234,567")
    }

    /// The system's files as they read, and the tightest limit chosen.
    @Test func limitSources() {
        #expect(MemoryLimit.memAvailable("MemTotal:       24576000 kB\nMemFree:  100 kB\nMemAvailable:    3212 kB\n") == Int64(3212 * 1024))
        #expect(MemoryLimit.memAvailable("MemTotal: 1 kB\n") == nil)
        #expect(MemoryLimit.number("max\n") == nil)
        #expect(MemoryLimit.number("1073741824\n") == GiB)
        #expect(MemoryLimit.number("9223372036854771712\n") == nil)   // v1's "unlimited"
        let s = ProcStatus("Name:\thyperlab\nVmSize:\t  400000 kB\nVmData:\t  100000 kB\nVmRSS:\t    2104 kB\n")
        #expect(s.rss == 2104 * 1024 && s.size == 400_000 * 1024 && s.data == 100_000 * 1024)
        let m = MemoryLimit.smallest(resident: GiB, candidates: [(8 * GiB, "MemAvailable"), (2 * GiB, "RLIMIT_AS of 4.00 GiB")])
        #expect(m == MemoryLimit(bytes: 3 * GiB, source: "RLIMIT_AS of 4.00 GiB"))
        #expect(MemoryLimit.smallest(resident: GiB, candidates: [(-5, "the cgroup's memory.max of 1.00 GiB")])?.bytes == GiB)
        let probed = MemoryLimit.probe()
        #expect(probed.bytes > 0 && !probed.source.isEmpty)
    }
}
