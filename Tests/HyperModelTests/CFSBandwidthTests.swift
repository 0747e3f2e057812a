import Testing
@testable import HyperModel

/// CFS bandwidth control against the kernel's own examples
/// (Documentation/scheduler/sched-bwc.rst, "Examples"): a quota is refilled exactly once
/// per period, whatever the scheduler's step.
@Suite("CFS bandwidth: the kernel's examples")
struct CFSBandwidthTests {
    func run(quotaMicros: Int64, periodMicros: Int64) throws -> Double {
        let dc = world()
        let h = try host(dc, cpus: 2, scheduler: .cfs)
        try h.setPeriod(SimTime(micros: periodMicros))
        let v = try vm(h, "q", cpu: CPUAllocation(quota: SimTime(micros: quotaMicros)))
        try v.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(40)))
        return mean(v, "cpu.run", after: 0)
    }

    @Test func twentyPercentOfOneCPU() throws {
        // "cfs_quota_us = 10000, cfs_period_us = 50000": 20 % of one CPU
        #expect(abs(try run(quotaMicros: 10_000, periodMicros: 50_000) - 20) < 0.2)
    }

    @Test func oneWholeCPU() throws {
        // "cfs_quota_us = 250000, cfs_period_us = 250000": one CPU's worth
        #expect(abs(try run(quotaMicros: 250_000, periodMicros: 250_000) - 100) < 0.2)
    }

    @Test func periodsThatAreNoMultipleOfTheStep() throws {
        // 6 ms per 30 ms and 7 ms per 50 ms: boundaries fall inside 4 ms steps
        #expect(abs(try run(quotaMicros: 6_000, periodMicros: 30_000) - 20) < 0.2)
        #expect(abs(try run(quotaMicros: 7_000, periodMicros: 50_000) - 14) < 0.2)
    }

    @Test func theRefillArithmetic() {
        // a 4 ms step from 48 ms across the 50 ms boundary, 10 ms quota of which 9 ms used:
        // 1 ms before the boundary, then 2 ms of the new period
        let (ran, after) = CFSPolicy.bandwidth(want: 4_000, used: 9_000, quota: 10_000, t0: 48_000, dt: 4_000, period: 50_000)
        #expect(ran == 3_000 && after == 2_000)
        let (all, left) = CFSPolicy.bandwidth(want: 4_000, used: 0, quota: 10_000, t0: 0, dt: 4_000, period: 50_000)
        #expect(all == 4_000 && left == 4_000)
    }
}

/// The VM-wide quota (libvirt's `global_quota`: the VM cgroup's own cpu.max) against the
/// kernel's example "Limit a group to 2 CPUs worth of runtime on a multi-CPU machine:
/// cfs_quota_us = 1000000, cfs_period_us = 500000" (sched-bwc.rst).
@Suite("CFS bandwidth: a VM-wide quota")
struct CFSGroupQuotaTests {
    func run(vcpus: Int, threads: Int, quota: Int64, period: Int64, perVCPU: Int64? = nil) throws -> Double {
        let dc = world()
        let h = try host(dc, cpus: 4, mhz: 2000, scheduler: .cfs)
        try h.setPeriod(SimTime(micros: period))
        var a = CPUAllocation()
        a.globalQuota = SimTime(micros: quota)
        a.quota = perVCPU.map { SimTime(micros: $0) }
        let v = try vm(h, "g", vcpus: vcpus, cpu: a)
        try v.run(CPUWorkload(threads: threads, load: 1))
        try dc.run(for: .seconds(Int64(20)))
        return mean(v, "cpu.used_mhz", after: 0)
    }

    @Test func twoCPUsWorthOnAFourCPUHost() throws {
        // four busy vCPUs on four pCPUs, the VM capped at two CPUs: 4,000 of 8,000 MHz
        #expect(abs(try run(vcpus: 4, threads: 4, quota: 1_000_000, period: 500_000) - 4000) < 20)
    }

    @Test func theGroupQuotaAndEachVCPUsQuotaBothHold() throws {
        // 3 CPUs' worth for the VM, but each vCPU at most half a CPU: 4 × 0.5 = 2 CPUs
        #expect(abs(try run(vcpus: 4, threads: 4, quota: 300_000, period: 100_000, perVCPU: 50_000) - 4000) < 20)
        // one busy thread cannot use more than one CPU of a 2-CPU group quota
        #expect(abs(try run(vcpus: 4, threads: 1, quota: 200_000, period: 100_000) - 2000) < 20)
    }

    @Test func aGlobalQuotaIsACFSSettingWithinWhatTheVMCanRun() throws {
        let dc = world()
        var a = CPUAllocation()
        a.globalQuota = .milliseconds(200)
        let esx = try host(dc, "esx")
        let x = try vm(esx, "x", cpu: a, on: false)
        #expect(throws: ModelError.self) { try x.powerOn() }
        let kvm = try host(dc, "kvm", scheduler: .cfs)
        a.globalQuota = .milliseconds(300)   // 3 periods' worth for a 2-vCPU VM
        let y = try vm(kvm, "y", vcpus: 2, cpu: a, on: false)
        #expect(throws: ModelError.self) { try y.powerOn() }
    }
}
