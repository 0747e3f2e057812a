import Testing
@testable import HyperModel

/// Fair mode against SimGrid 3.32 itself: bench/peers/simgrid_host_tasks.cpp runs each
/// scenario with SimGrid's VM model (Debian's libsimgrid-dev) and prints the cores every
/// task got; the numbers below are its output. A task bounded at b (`Exec::set_bound`)
/// is a thread of load b; a task on the PM is a workload on the host itself.
@Suite("Fair mode gives what SimGrid 3.32 gives")
struct FairSimGridTests {
    /// Cores a thread set got over 10 s (µs of run time ÷ 10 s).
    static func cores(_ c: CPUCounters) -> Double { Double(c.run) / 10e6 }

    func scene(cpus: Int, mhz: Double = 1000, workConserving: Bool = false) throws -> (Datacenter, Host) {
        let dc = world()
        let h = try host(dc, cpus: cpus, mhz: mhz, scheduler: .fair)
        if workConserving { try h.setWorkConserving(true) }
        return (dc, h)
    }

    func settle(_ dc: Datacenter, _ h: Host) throws {
        try dc.run(for: .seconds(Int64(10)))
        h.settleCPU()
    }

    /// SimGrid's case A: a task on a 1-core PM and a VM whose one task is bounded at 0.25
    /// core: the VM is bounded by min(impact × speed, user bound) = 1 core
    /// (`VirtualMachineImpl::update_action_weight`), not by its task, so the PM task gets
    /// 0.5 and the 0.25 the VM's task cannot use is lost.
    @Test func capacityAVMCannotUseIsNotGivenAway() throws {
        let (dc, h) = try scene(cpus: 1)
        try h.run(CPUWorkload(threads: 1, load: 1))
        let v = try vm(h, "va")
        try v.run(CPUWorkload(threads: 1, load: 0.25))
        try settle(dc, h)
        #expect(abs(Self.cores(h.processCounters) - 0.5) < 1e-6)  // SimGrid: A.pm 0.500000
        #expect(abs(Self.cores(v.cpuCounters) - 0.25) < 1e-6)     // SimGrid: A.vm 0.250000
    }

    /// The same with `work_conserving = true`, HyperLab's own sharing: the VM is bounded
    /// by what its thread wants, so the PM task gets the other 0.75.
    @Test func workConservingGivesTheRestToTheHost() throws {
        let (dc, h) = try scene(cpus: 1, workConserving: true)
        try h.run(CPUWorkload(threads: 1, load: 1))
        let v = try vm(h, "va")
        try v.run(CPUWorkload(threads: 1, load: 0.25))
        try settle(dc, h)
        #expect(abs(Self.cores(h.processCounters) - 0.75) < 1e-6)
        #expect(abs(Self.cores(v.cpuCounters) - 0.25) < 1e-6)
    }

    /// Cases B and C: PM tasks weigh 1 each, a VM min(tasks, vCPUs).
    @Test func hostTasksShareWithVMsAsSimGrid() throws {
        let (dc, h) = try scene(cpus: 1)
        try h.run(CPUWorkload(threads: 1, load: 1))
        let v = try vm(h, "vb")
        try v.run(CPUWorkload(threads: 1, load: 1))
        let (dc2, h2) = try scene(cpus: 2)
        try h2.run(CPUWorkload(threads: 2, load: 1))
        let v2 = try vm(h2, "vc", vcpus: 2)
        try v2.run(CPUWorkload(threads: 2, load: 1))
        try settle(dc, h)
        try settle(dc2, h2)
        #expect(abs(Self.cores(h.processCounters) - 0.5) < 1e-6)   // B.pm 0.500000
        #expect(abs(Self.cores(v.cpuCounters) - 0.5) < 1e-6)       // B.vm 0.500000
        #expect(abs(Self.cores(h2.processCounters) - 1.0) < 1e-6)  // C.pm1 + C.pm2 = 0.5 + 0.5
        #expect(abs(Self.cores(v2.cpuCounters) - 1.0) < 1e-6)      // C.vm1 + C.vm2 = 0.5 + 0.5
    }

    /// Case G: a VM bounded by `set_bound(0.3 × speed)` (a limit of 300 MHz here) leaves
    /// the rest of the core to the PM task, in both modes.
    @Test(arguments: [false, true]) func aVMLimitLeavesTheRestToTheHost(workConserving: Bool) throws {
        let (dc, h) = try scene(cpus: 1, workConserving: workConserving)
        try h.run(CPUWorkload(threads: 1, load: 1))
        let v = try vm(h, "vg", cpu: CPUAllocation(limitMHz: 300))
        try v.run(CPUWorkload(threads: 1, load: 1))
        try settle(dc, h)
        #expect(abs(Self.cores(h.processCounters) - 0.7) < 1e-6)  // G.pm 0.700000
        #expect(abs(Self.cores(v.cpuCounters) - 0.3) < 1e-6)      // G.vm 0.300000
    }

    /// Case H: a PM task bounded at 0.5 core on 2 cores and a VM of 2 vCPUs with 2 tasks:
    /// max-min gives the VM the remaining 1.5 cores (0.75 each task).
    @Test func aBoundedHostTaskLeavesTheRestToTheVM() throws {
        let (dc, h) = try scene(cpus: 2)
        try h.run(CPUWorkload(threads: 1, load: 0.5))
        let v = try vm(h, "vh", vcpus: 2)
        try v.run(CPUWorkload(threads: 2, load: 1))
        try settle(dc, h)
        #expect(abs(Self.cores(h.processCounters) - 0.5) < 1e-6)  // H.pm 0.500000
        #expect(abs(Self.cores(v.vcpuCounters(0)) - 0.75) < 1e-6)  // H.vm1 0.750000
        #expect(abs(Self.cores(v.vcpuCounters(1)) - 0.75) < 1e-6)  // H.vm2 0.750000
    }
}
