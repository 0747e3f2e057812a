import Testing
@testable import LabRuntime

/// `host:run`, `host:stop`, `host.workloads`, `host.cpu.processes` and
/// `scheduler.work_conserving` from Lua, on SimGrid 3.32's case A
/// (bench/peers/simgrid_host_tasks.cpp): a task on a 1-core PM and a VM whose one task
/// is bounded at 0.25 core — SimGrid gives the PM task 0.5 core, work-conserving 0.75.
@Suite("Work on the host from Lua")
struct HostWorkAPITests {
    func run(_ conserving: Bool) -> LabRunResult {
        runLab(#"""
            local h = lab.host{ name = "pm", cpus = 1, mhz = 1000, memory = "8 GiB", scheduler = "fair" }
            h.scheduler.work_conserving = \#(conserving)
            local t = h:run(lab.workload.batch{ work = 1e6 })
            local v = h:create_vm{ name = "va", memory = "1 GiB" }
            v:power_on()
            v:run(lab.workload.cpu{ load = 0.25 })
            lab.run_for(10)
            print(h.cpu.processes.run, t.completed, tostring(t.vm), t.host.name, #h.workloads)
            h:stop(t)
            print(#h.workloads, select(2, pcall(h.stop, h, t)))
            print(select(2, pcall(h.run, h, lab.workload.memory{ size = "1 GiB" })))
            """#)
    }

    @Test func simGridsShareByDefault() {
        let r = run(false)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        let lines = r.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "5.0\t5000\tnil\tpm\t1")  // 0.5 core × 10 s; 1 ms chunks
        #expect(lines.dropFirst().first?.hasPrefix("0\t") == true)
        #expect(r.output.contains("has already stopped"))
        #expect(r.output.contains("a memory workload runs in a guest"))
    }

    @Test func workConservingGivesTheRestToTheHost() {
        let r = run(true)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.output.hasPrefix("7.5\t7500\tnil\tpm\t1"))
    }

    @Test func workConservingIsFairOnly() {
        let r = runLab(#"""
            local h = lab.host{ name = "e", cpus = 1, memory = "8 GiB", scheduler = "esx" }
            h.scheduler.work_conserving = true
            """#)
        #expect(r.scriptError?.contains("only the fair scheduler has this setting") == true)
    }
}
