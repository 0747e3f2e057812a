import Testing
@testable import HyperModel

/// Behaviours 1–3, 5, 8, 9 of model-facts §7.
@Suite("Co-scheduling, limits and reservations")
struct CoschedulingTests {
    /// Two VMs with `vcpus` vCPUs each, `busy` of them CPU-bound, on 8 pCPUs.
    func pair(_ kind: SchedulerKind, vcpus: Int, busy: Int, seconds: Int64 = 300) throws -> (Host, VM, VM) {
        let dc = world()
        let h = try host(dc, cpus: 8, scheduler: kind)
        let a = try vm(h, "A", vcpus: vcpus)
        let b = try vm(h, "B", vcpus: vcpus)
        try a.run(CPUWorkload(threads: busy, load: 1))
        try b.run(CPUWorkload(threads: busy, load: 1))
        try dc.run(for: .seconds(seconds))
        return (h, a, b)
    }

    func busyVCPUMean(_ vm: VM, _ state: String, count: Int) -> Double {
        (1...count).map { mean(vm, "cpu.\(state).vcpu\($0)") }.reduce(0, +) / Double(count)
    }

    /// Behaviour 1: strict, two CPU-bound 6-vCPU VMs on 8 pCPUs never run together; each
    /// runs ≈ 50 %, each vCPU is ≈ 50 % ready + co-stopped, host use ≤ 75 %.
    @Test func strictSixAndSixAlternate() throws {
        let (h, a, b) = try pair(.strict, vcpus: 6, busy: 6)
        for v in [a, b] {
            #expect(abs(mean(v, "cpu.run") - 50) < 2)
            #expect(abs(mean(v, "cpu.ready") + mean(v, "cpu.costop") - 50) < 2)
        }
        let used = h.metrics.series["cpu.used"]!.values
        #expect(used.allSatisfy { $0 <= 75 + 1e-9 })
        #expect(abs(used.dropFirst(3).reduce(0, +) / Double(used.count - 3) - 75) < 2)
        // never at the same time: in every sample the runs add up to at most one VM's worth
        let ra = a.metrics.series["cpu.run"]!.values, rb = b.metrics.series["cpu.run"]!.values
        for (x, y) in zip(ra, rb) { #expect(x + y <= 100 + 1e-6) }
    }

    /// Behaviour 2: two CPU-bound 4-vCPU VMs fit on 8 pCPUs: no ready time, host at 100 %.
    @Test(arguments: [SchedulerKind.strict, .relaxed, .esx])
    func fourAndFourRunTogether(kind: SchedulerKind) throws {
        let (h, a, b) = try pair(kind, vcpus: 4, busy: 4)
        for v in [a, b] {
            #expect(mean(v, "cpu.ready") < 0.5)
            #expect(mean(v, "cpu.costop") < 0.5)
            #expect(abs(mean(v, "cpu.run") - 100) < 0.5)
        }
        #expect(abs(mean(h.vms[0], "cpu.used_mhz") - 4 * 2000) < 20)
        #expect(abs(h.metrics.series["cpu.used"]!.values.last! - 100) < 1e-9)
    }

    /// Behaviour 3: with 4 of 6 vCPUs busy, relaxed co-scheduling runs both VMs at once
    /// (idle vCPUs build no skew); strict still alternates them.
    @Test(arguments: [SchedulerKind.esx, .relaxed])
    func relaxedRunsFourOfSixTogether(kind: SchedulerKind) throws {
        let (_, a, b) = try pair(kind, vcpus: 6, busy: 4)
        for v in [a, b] {
            #expect(busyVCPUMean(v, "ready", count: 4) + busyVCPUMean(v, "costop", count: 4) < 1)
            #expect(abs(busyVCPUMean(v, "run", count: 4) - 100) < 1)
        }
    }

    @Test func strictStillAlternatesFourOfSix() throws {
        let (_, a, b) = try pair(.strict, vcpus: 6, busy: 4)
        for v in [a, b] {
            #expect(abs(busyVCPUMean(v, "run", count: 4) - 50) < 2)
            #expect(abs(busyVCPUMean(v, "ready", count: 4) + busyVCPUMean(v, "costop", count: 4) - 50) < 2)
        }
    }

    /// Relaxed per vCPU, six and six busy on 8 pCPUs: every vCPU gets its share (8/12),
    /// and leading vCPUs spend part of the wait co-stopped.
    @Test func relaxedSixAndSixShareFairly() throws {
        let (_, a, b) = try pair(.esx, vcpus: 6, busy: 6)
        for v in [a, b] {
            #expect(abs(mean(v, "cpu.run") - 100 * 8.0 / 12) < 2)
            #expect(mean(v, "cpu.costop") > 5)
            #expect(abs(mean(v, "cpu.run") + mean(v, "cpu.ready") + mean(v, "cpu.costop") - 100) < 1e-6)
        }
    }

    /// Behaviour 5: 2,000 ms of ready per vCPU per 20 s sample is 10 %; the same 10 % is
    /// 30,000 ms in a 5-minute sample.
    @Test func readySummationConversion() throws {
        for (interval, expectedMs) in [(Int64(20), 2000.0), (300, 30000.0)] {
            let dc = world()
            try dc.setSampleInterval(.seconds(interval))
            let h = try host(dc, cpus: 9)
            let vms = try (0..<10).map { try vm(h, "vm\($0)") }  // 10 busy on 9: ready = 10 %
            for v in vms { try v.run(CPUWorkload(threads: 1, load: 1)) }
            try dc.run(for: .seconds(interval * 6))
            for v in vms {
                #expect(abs(mean(v, "cpu.ready", after: 0) - 10) < 0.5)
                #expect(abs(mean(v, "cpu.ready_ms", after: 0) - expectedMs) < expectedMs * 0.05)
            }
        }
    }

    /// Behaviour 8: a VM limited to 1,000 MHz on an otherwise idle 2 GHz pCPU uses ≤ 50 %;
    /// the held-back time is %MLMTD (inside %RDY, as esxtop), not contention.
    @Test func limitShowsAsMLMTD() throws {
        let dc = world()
        let h = try host(dc, cpus: 1, mhz: 2000)
        let v = try vm(h, "capped", cpu: CPUAllocation(limitMHz: 1000))
        try v.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(120)))
        #expect(abs(mean(v, "cpu.run") - 50) < 0.5)
        #expect(abs(mean(v, "cpu.used_mhz") - 1000) < 10)
        #expect(abs(mean(v, "cpu.limited") - 50) < 0.5)
        #expect(mean(v, "cpu.ready") - mean(v, "cpu.limited") < 0.5)  // no contention
    }

    /// Behaviour 9: reservations are admission limits, not caps — an idle VM's unused
    /// reservation goes to others, and a reservation is honoured under contention.
    @Test func unusedReservationIsLentAndUsedReservationIsHonoured() throws {
        let dc = world()
        let h = try host(dc, cpus: 5, mhz: 2000)  // 10 GHz
        try vm(h, "A", vcpus: 4, cpu: CPUAllocation(reservationMHz: 6000))  // idle
        let b = try vm(h, "B", vcpus: 4, cpu: CPUAllocation(reservationMHz: 4000))
        try b.run(CPUWorkload(threads: 4, load: 1))
        try dc.run(for: .seconds(Int64(120)))
        #expect(mean(b, "cpu.used_mhz") > 7900)  // far above its 4 GHz reservation
        // under contention: C reserves 3 GHz of a 2-pCPU host shared with 3 normal busy VMs
        let h2 = try host(dc, "esx02", cpus: 2, mhz: 2000)
        let c = try vm(h2, "C", vcpus: 2, cpu: CPUAllocation(reservationMHz: 3000))
        try c.run(CPUWorkload(threads: 2, load: 1))
        for i in 0..<3 { try vm(h2, "n\(i)", vcpus: 2).run(CPUWorkload(threads: 2, load: 1)) }
        try dc.run(for: .seconds(Int64(300)))
        #expect(mean(c, "cpu.used_mhz", after: 150) >= 3000 * 0.98)
    }
}
