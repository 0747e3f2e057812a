import Testing
@testable import HyperModel

/// Work on the host itself (`Host.run`) in every engine, the type 2 host OS as such a
/// workload, and fair mode's SimGrid shapes (more vCPUs than cores, slow clocks). The
/// SimGrid figures are bench/peers/simgrid_host_tasks.cpp's output (SimGrid 3.32).
@Suite("Work on the host itself")
struct HostWorkTests {
    static let engines: [SchedulerKind] = [.esx, .strict, .relaxed, .credit, .cfs, .roundRobin, .fair]

    /// On one pCPU, a host batch workload and a busy VM: the host's work advances, the
    /// VM gets less than the whole pCPU, and together they use all of it.
    @Test(arguments: engines) func hostWorkSharesThePCPUs(kind: SchedulerKind) throws {
        let dc = world()
        let h = try host(dc, cpus: 1, mhz: 1000, scheduler: kind)
        let w = try BatchWorkload(threads: 1, work: 1e6)  // 1 ms chunks at 1,000 MHz
        try h.run(w)
        let v = try vm(h, "v")
        try v.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(10)))
        h.settleCPU()
        let hostCores = Double(h.processCounters.run) / 10e6
        let vmCores = Double(v.cpuCounters.run) / 10e6
        #expect(w.onHost && w.host === h && h.hostWorkloads.count == 1)
        #expect(hostCores >= 0.45, "\(kind): the host's work got \(hostCores) of a core")
        #expect(vmCores <= 0.55, "\(kind): the VM got \(vmCores) of a core")
        #expect(abs(hostCores + vmCores - 1) < 0.01, "\(kind): \(hostCores) + \(vmCores) of one pCPU")
        #expect(abs(Double(w.completed) - hostCores * 10_000) <= 2, "\(kind): \(w.completed) chunks of 1 ms")
        #expect(h.cpuOvercommit == 1, "the host's processes are not a VM's vCPUs")
    }

    @Test func stoppingHostWorkGivesTheCPUBack() throws {
        let dc = world()
        let h = try host(dc, cpus: 1, mhz: 1000, scheduler: .fair)
        let w = try CPUWorkload(threads: 1, load: 1)
        try h.run(w)
        let v = try vm(h, "v")
        try v.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(10)))
        try h.stop(w)
        #expect(throws: ModelError.self) { try h.stop(w) }
        try dc.run(for: .seconds(Int64(10)))
        h.settleCPU()
        #expect(abs(Double(v.cpuCounters.run) / 20e6 - 0.75) < 1e-6)  // half, then all
        #expect(h.hostWorkloads.isEmpty)
    }

    @Test func onlyCPUWorkRunsOnTheHost() throws {
        let dc = world()
        let h = try host(dc, cpus: 1, scheduler: .fair)
        let m = try MemoryWorkload(size: GiB)
        #expect { try h.run(m) } throws: { ($0 as! ModelError).message.contains("runs in a guest") }
        let v = try vm(h, "v")
        let w = try CPUWorkload(threads: 1, load: 1)
        try v.run(w)
        #expect { try h.run(w) } throws: { ($0 as! ModelError).message.contains("already runs on VM(v)") }
        #expect { try h.stop(w) } throws: { ($0 as! ModelError).message.contains("does not run on the host itself") }
    }

    /// A type 2 host's OS is a workload of the host (a fifth of one pCPU), and it goes on
    /// when the scheduler changes.
    @Test func theType2OSIsAHostWorkload() throws {
        let dc = world()
        var spec = HostSpec(name: "ws01", cpus: 2, mhz: 2000, memory: 16 * GiB)
        spec.hypervisor = .type2
        let h = try dc.addHost(spec)
        #expect(h.hostWorkloads.count == 1)
        try h.setScheduler(.fair)
        try dc.run(for: .seconds(Int64(10)))
        h.settleCPU()
        #expect(abs(Double(h.processCounters.run) / 10e6 - 0.2) < 1e-6)
    }

    /// A failed host's processes die with it; a type 2 host's OS starts again on recovery.
    @Test func hostWorkStopsWhenTheHostFails() throws {
        let dc = world()
        var spec = HostSpec(name: "ws01", cpus: 1, mhz: 1000, memory: 16 * GiB)
        spec.hypervisor = .type2
        let h = try dc.addHost(spec, scheduler: .fair)
        let w = try BatchWorkload(threads: 1, work: 1e6)
        try h.run(w)
        try h.fail()
        #expect(h.hostWorkloads.isEmpty && !w.isRunning)
        #expect { try h.run(BatchWorkload(threads: 1, work: 1e6)) } throws: { ($0 as! ModelError).message.contains("has failed") }
        try h.recover()
        #expect(h.hostWorkloads.count == 1)  // the OS's fifth of a pCPU
    }

    // MARK: fair mode's SimGrid shapes (issue 13, item 11)

    /// SimGrid case D: a VM of 2 vCPUs with 2 tasks beside a PM task on one core gets
    /// weight 2: 1/3 of the core for each task. ESXi's rule refuses it elsewhere.
    @Test func moreVCPUsThanCores() throws {
        let dc = world()
        let h = try host(dc, cpus: 1, mhz: 1000, scheduler: .fair)
        try h.run(CPUWorkload(threads: 1, load: 1))
        let v = try vm(h, "vd", vcpus: 2)
        try v.run(CPUWorkload(threads: 2, load: 1))
        let h2 = try host(dc, "pm2", cpus: 2, mhz: 1000, scheduler: .fair)
        let v2 = try vm(h2, "ve", vcpus: 4)
        try v2.run(CPUWorkload(threads: 4, load: 1))
        try dc.run(for: .seconds(Int64(10)))
        h.settleCPU()
        h2.settleCPU()
        #expect(abs(Double(h.processCounters.run) / 10e6 - 1.0 / 3) < 1e-6)  // D.pm 0.333333
        for i in 0..<2 { #expect(abs(Double(v.vcpuCounters(i).run) / 10e6 - 1.0 / 3) < 1e-6) }  // D.vm1, D.vm2
        for i in 0..<4 { #expect(abs(Double(v2.vcpuCounters(i).run) / 10e6 - 0.5) < 1e-6) }  // E.vm1…4 0.500000

        let esx = try host(dc, "esx", cpus: 1, mhz: 1000, scheduler: .esx)
        #expect { try vm(esx, "wide", vcpus: 2) } throws: { ($0 as! ModelError).message.contains("only 1 pCPUs") }
    }

    /// SimGrid case F: a 50 MHz core, a PM task and a VM task: half each, 250 Mcycles in
    /// 10 s; a batch chunk of 10 Mcycles takes 0.4 s there.
    @Test func slowHostsInFairMode() throws {
        let dc = world()
        let h = try host(dc, cpus: 1, mhz: 50, scheduler: .fair)
        let w = try BatchWorkload(threads: 1, work: 1e7)
        try h.run(w)
        let v = try vm(h, "vf")
        try v.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(10)))
        h.settleCPU()
        #expect(abs(Double(v.cpuCounters.run) / 10e6 - 0.5) < 1e-6)  // F.vm 0.500000
        #expect(w.completed == 25)                                    // F.pm: 2.5e8 flops / 1e7
        let slow = try host(dc, "slow", cpus: 1, mhz: 0.001, scheduler: .fair)
        #expect(slow.mhz == 0.001)
        #expect { try host(dc, "esx", cpus: 1, mhz: 50, scheduler: .esx) } throws: {
            ($0 as! ModelError).message.contains("slower hosts need scheduler = \"fair\"")
        }
        #expect { try h.setScheduler(.esx) } throws: { ($0 as! ModelError).message.contains("needs a clock of 100 MHz") }
        #expect { try host(dc, "zero", cpus: 1, mhz: 0, scheduler: .fair) } throws: { ($0 as! ModelError).message.contains("1 Hz to 10 GHz") }
    }
}
