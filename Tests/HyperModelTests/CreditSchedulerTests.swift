import Testing
@testable import HyperModel

/// Behaviours 11 and 12 of model-facts §7: Xen's credit scheduler.
@Suite("Xen credit scheduler")
struct CreditSchedulerTests {
    func xenHost(_ dc: Datacenter, cpus: Int = 1) throws -> Host { try host(dc, cpus: cpus, scheduler: .credit) }

    func state(_ v: VM) -> (credit: Int64, priority: UInt8, parked: Bool, onCPU: Bool) {
        (v.host.cpu as! QuantumCPU).state(of: v)[0]
    }

    /// Behaviour 11: weights 512 and 256 on one pCPU converge to 2/3 : 1/3.
    @Test func weightsSplitTheCPU() throws {
        let dc = world()
        let h = try xenHost(dc)
        let heavy = try vm(h, "heavy", cpu: CPUAllocation(weight: 512))
        let light = try vm(h, "light", cpu: CPUAllocation(weight: 256))
        for v in [heavy, light] { try v.run(CPUWorkload(threads: 1, load: 1)) }
        try dc.run(for: .seconds(Int64(60)))
        #expect(abs(mean(heavy, "cpu.run", after: 0) - 200.0 / 3) < 1)
        #expect(abs(mean(light, "cpu.run", after: 0) - 100.0 / 3) < 1)
        // within a few 30 ms accounting periods
        #expect(abs(heavy.metrics.series["cpu.run"]!.values[0] - 200.0 / 3) < 2)
    }

    /// Behaviour 11: cap 50 holds a domain to half a pCPU even on an idle host; the held
    /// back time is %MLMTD. Cap 0 lets it use the whole pCPU.
    @Test(arguments: [(Int64(50), 50.0), (0, 100.0), (25, 25.0)])
    func capHoldsEvenWhenIdle(cap: Int64, expected: Double) throws {
        let dc = world()
        let h = try xenHost(dc)
        let v = try vm(h, "capped", cpu: CPUAllocation(cap: cap))
        try v.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(60)))
        #expect(abs(mean(v, "cpu.run", after: 0) - expected) < 1.5)
        #expect(abs(mean(v, "cpu.limited", after: 0) - (100 - expected)) < 1.5)
    }

    /// Behaviour 12: a vCPU running burns 10 credits per ms: a whole 30 ms slice is 300.
    @Test func runningBurnsTenCreditsPerMs() throws {
        let dc = world()
        let h = try xenHost(dc, cpus: 1)
        let a = try vm(h, "a")
        try a.run(CPUWorkload(threads: 1, load: 1))
        h.cpu.advance(to: 10_000)
        #expect(state(a).credit == -100)
        h.cpu.advance(to: 20_000)
        #expect(state(a).credit == -200)
        h.cpu.advance(to: 30_000)
        #expect(state(a).credit == 0)  // the whole slice burned 300; its accounting gave back 300
        h.cpu.advance(to: 40_000)
        #expect(state(a).credit == -100)
    }

    /// Behaviour 12: credit never falls below −300, and an OVER vCPU runs only when no
    /// UNDER vCPU is waiting.
    @Test func clippedAndOverRunsLast() throws {
        let dc = world()
        let h = try xenHost(dc, cpus: 1)
        let poor = try vm(h, "poor", cpu: CPUAllocation(weight: 1))
        let rich = try vm(h, "rich", cpu: CPUAllocation(weight: 65535))
        for v in [poor, rich] { try v.run(CPUWorkload(threads: 1, load: 1)) }
        var t: Int64 = 0
        var overRanBeforeUnder = 0
        var before = poor.cpuCounters.run
        var sawOver = false
        for _ in 0..<600 {
            let poorWasOver = state(poor).priority == CreditPolicy.over && !state(poor).onCPU
            let richWasUnder = state(rich).priority != CreditPolicy.over
            t += 10_000
            h.cpu.advance(to: t)
            #expect(state(poor).credit >= -300 && state(rich).credit >= -300)
            if poorWasOver { sawOver = true }
            if poor.cpuCounters.run > before && poorWasOver && richWasUnder { overRanBeforeUnder += 1 }
            before = poor.cpuCounters.run
        }
        #expect(sawOver)
        #expect(overRanBeforeUnder == 0)
        #expect(poor.cpuCounters.run < rich.cpuCounters.run / 2)
    }

    /// Behaviour 12: a vCPU waking from I/O is BOOSTed and preempts a busy vCPU at once;
    /// the boost ends at the next 10 ms tick if it is still running.
    @Test func wakingVCPUIsBoosted() throws {
        let dc = world()
        let h = try xenHost(dc, cpus: 1)
        try h.setTrace(true)
        let busy = try vm(h, "busy")
        let io = try vm(h, "io")
        try busy.run(CPUWorkload(threads: 1, load: 1))
        // io wakes every second with 25 ms of work
        try io.run(CPUWorkload(threads: 1, load: 0.025, period: .seconds(Int64(1))))
        try dc.run(for: .seconds(Int64(20)))
        h.settleCPU()
        let ioRuns = h.scheduleTrace!.segments.filter { $0.vm == "io" }
        #expect(ioRuns.count >= 18)
        // each burst starts at the first tick after it arrives: it never waits a slice
        for seg in ioRuns {
            let lastBusy = h.scheduleTrace!.segments.last { $0.vm == "busy" && $0.end <= seg.start }
            #expect(lastBusy != nil)
        }
        #expect(mean(io, "cpu.ready", after: 0) < 0.6)  // < 10 ms wait per 1 s
    }
}
