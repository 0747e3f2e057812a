import Testing
@testable import HyperModel

@Suite("CPU behaviours of model-facts §7")
struct CPUBehaviourTests {
    /// Behaviour 4: per vCPU per sample, %RUN + %RDY + %CSTP + %WAIT = 100 %.
    @Test(arguments: [SchedulerKind.esx, .roundRobin])
    func statesAddUpTo100(kind: SchedulerKind) throws {
        let dc = world()
        let h = try host(dc, cpus: 2, scheduler: kind)
        for i in 0..<5 {
            let v = try vm(h, "vm\(i)", vcpus: 2)
            try v.run(CPUWorkload(threads: 2, load: [1.0, 0.3, 0.5, 0.9, 0.1][i]))
        }
        try vm(h, "idle")
        for _ in 0..<30 {
            try dc.run(for: .seconds(Int64(20)))
            for v in h.vms {
                for s in v.metrics.vcpu + [v.metrics.cpu] {
                    #expect(abs(s.run + s.ready + s.costop + s.wait - 100) < 1e-9)
                    #expect(s.run >= 0 && s.ready >= 0 && s.wait >= -1e-9)
                }
            }
        }
    }

    /// Behaviour 7: two CPU-bound 1-vCPU VMs, Normal and High shares, on 2 pCPUs: each
    /// gets a whole pCPU, ready ≈ 0 — shares matter only under contention.
    @Test func sharesWithoutContention() throws {
        let dc = world()
        let h = try host(dc, cpus: 2)
        let a = try vm(h, "normal", cpu: CPUAllocation(shares: .normal))
        let b = try vm(h, "high", cpu: CPUAllocation(shares: .high))
        try a.run(CPUWorkload(threads: 1, load: 1))
        try b.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(300)))
        for v in [a, b] {
            #expect(abs(mean(v, "cpu.run") - 100) < 0.5)
            #expect(mean(v, "cpu.ready") < 0.5)
            #expect(abs(mean(v, "cpu.used_mhz") - 2000) < 10)
        }
    }

    /// Behaviour 6 (the other side of 7): on one pCPU the split follows shares 1:2 and
    /// the Normal VM is ready ≈ 67 % of the time.
    @Test func sharesUnderContention() throws {
        let dc = world()
        let h = try host(dc, cpus: 1)
        let a = try vm(h, "normal", cpu: CPUAllocation(shares: .normal))
        let b = try vm(h, "high", cpu: CPUAllocation(shares: .high))
        try a.run(CPUWorkload(threads: 1, load: 1))
        try b.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(600)))
        #expect(abs(mean(a, "cpu.run") - 100.0 / 3) < 1)
        #expect(abs(mean(b, "cpu.run") - 200.0 / 3) < 1)
        #expect(abs(mean(a, "cpu.ready") - 200.0 / 3) < 1)
    }

    /// Round robin ignores shares: the same two VMs split one pCPU evenly.
    @Test func roundRobinIgnoresShares() throws {
        let dc = world()
        let h = try host(dc, cpus: 1, scheduler: .roundRobin)
        let a = try vm(h, "normal")
        let b = try vm(h, "high", cpu: CPUAllocation(shares: .high))
        try a.run(CPUWorkload(threads: 1, load: 1))
        try b.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(300)))
        #expect(abs(mean(a, "cpu.run") - 50) < 1)
        #expect(abs(mean(b, "cpu.run") - 50) < 1)
    }

    /// Behaviour 10: n CPU-bound 1-vCPU VMs on p pCPUs are ready ≈ 1 − p/n of the time.
    @Test(arguments: [(4, 4), (4, 8), (4, 12), (4, 24), (2, 6)])
    func overcommitReady(p: Int, n: Int) throws {
        let dc = world()
        let h = try host(dc, cpus: p)
        let vms = try (0..<n).map { try vm(h, "vm\($0)") }
        for v in vms { try v.run(CPUWorkload(threads: 1, load: 1)) }
        try dc.run(for: .seconds(Int64(600)))
        let expected = max(0, 1 - Double(p) / Double(n)) * 100
        for v in vms {
            #expect(abs(mean(v, "cpu.ready") - expected) < 1.5, "\(v.name): \(mean(v, "cpu.ready")) vs \(expected)")
        }
        #expect(abs(h.cpuOvercommit - Double(n) / Double(p)) < 1e-12)
    }

    /// Behaviour 10, low duty: 20 %-duty VMs stay near zero ready until n·0.2 > p (5:1),
    /// then ready rises steeply.
    @Test func lowDutyVMsToleratesHighRatiosThenCollapse() throws {
        func readyAt(ratio: Int) throws -> Double {
            let dc = world()
            let h = try host(dc, cpus: 4)
            let vms = try (0..<(4 * ratio)).map { try vm(h, "vm\($0)") }
            for v in vms { try v.run(CPUWorkload(threads: 1, load: 0.2)) }
            try dc.run(for: .seconds(Int64(900)))
            return vms.map { mean($0, "cpu.ready", after: 300) }.reduce(0, +) / Double(vms.count)
        }
        let r3 = try readyAt(ratio: 3)
        let r4 = try readyAt(ratio: 4)
        let r6 = try readyAt(ratio: 6)
        let r8 = try readyAt(ratio: 8)
        #expect(r3 < 2)
        #expect(r4 < 5)
        #expect(r6 > 30)
        #expect(r8 > r6)
    }

    @Test func resultsAreDeterministic() throws {
        func run() throws -> [Double] {
            let dc = world(seed: 42)
            let h = try host(dc, cpus: 2)
            let vms = try (0..<5).map { try vm(h, "vm\($0)") }
            for (i, v) in vms.enumerated() { try v.run(CPUWorkload(threads: 1, load: 0.15 * Double(i + 1))) }
            try dc.run(for: .seconds(Int64(200)))
            return vms.flatMap { $0.metrics.series["cpu.ready"]!.values } + [dc.log.digest.hashValue == 0 ? 0 : 1]
        }
        #expect(try run() == run())
    }
}

@Suite("Sampling")
struct SamplingTests {
    /// As vCenter, a VM powered off for a whole interval gets no sample; a host always does.
    @Test func noSamplesWhileOff() throws {
        let dc = world()
        let h = try host(dc)
        let v = try vm(h, "a")
        try v.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(60)))
        #expect(v.metrics.series["cpu.run"]!.count == 3)
        try v.powerOff()
        try dc.run(for: .seconds(Int64(60)))
        #expect(v.metrics.series["cpu.run"]!.count == 3)
        #expect(v.metrics.cpu.run == 0)
        try v.powerOn()  // at t = 120 s; power-off stopped its workload
        try v.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(30)))
        #expect(v.metrics.series["cpu.run"]!.count == 4)  // 20, 40, 60, then 140
        #expect(h.metrics.series["cpu.used"]!.count == 7)
        #expect(v.metrics.series["cpu.run"]!.values.last! == 100)
    }

    @Test func seriesShareOneTimeAxis() throws {
        let dc = world()
        let h = try host(dc)
        try vm(h, "a")
        try dc.run(for: .seconds(Int64(100)))
        let s = h.vms[0].metrics.series
        #expect(s["cpu.run"]!.times == s["memory.consumed"]!.times)
        #expect(s["cpu.run"]! === s["cpu.run"]!)
        #expect(s["cpu.run"]!.value(at: .seconds(Int64(59))) == s["cpu.run"]!.values[1])
        #expect(s["nope"] == nil)
    }
}
