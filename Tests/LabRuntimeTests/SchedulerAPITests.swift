import Testing
@testable import LabRuntime

/// The schedulers through Lua: settings, policies written by students, the trace.
@Suite("Schedulers from Lua")
struct SchedulerAPITests {
    let fourVMs = #"""
        local h = lab.host{ name = "esx01", cpus = 1, memory = "16 GiB" }
        h.scheduler = answer.scheduler
        local vms = {}
        for i = 1, 3 do
          vms[i] = h:create_vm{ name = "vm" .. i, memory = "1 GiB" }
          vms[i]:power_on()
          vms[i]:run(lab.workload.busy())
        end
        check("policy runs", function()
          lab.run_for("1 min")
          for _, vm in ipairs(vms) do expect(lab.series(vm, "cpu.run"):mean(), vm.name):to_be_near(33.3, 2) end
        end)
        """#

    func withAnswer(_ policy: String) -> LabRunResult {
        runLab(#"local answer = lab.submission("answer.lua")"# + "\n" + fourVMs, submission: ["answer.lua": policy])
    }

    @Test func aStudentPolicyCanBeFair() {
        let r = withAnswer(#"""
            local M = {}
            M.scheduler = lab.scheduler{ name = "fifo", quantum = "50 ms", pick = function(view)
              table.sort(view.runnable, function(a, b) return a.waiting > b.waiting or (a.waiting == b.waiting and a.id < b.id) end)
              local out = {}
              for i = 1, math.min(view.pcpus, #view.runnable) do out[i] = view.runnable[i].id end
              return out
            end }
            return M
            """#)
        #expect(r.check("policy runs")?.status == .passed, "\(r.checks.map { $0.message ?? "" }) \(r.scriptError ?? "")")
    }

    @Test(arguments: [
        ("return nil", "scheduling policy bad: pick must return a list of vCPU ids, got nil"),
        ("return { 1, 1 }", "scheduling policy bad returned 2 vCPUs to run but the host has only 1 pCPUs"),
        ("return { 42 }", "returned vCPU id 42, which is not one of the runnable vCPUs"),
        ("return { 'x' }", #"scheduling policy bad: pick returned "x" at position 1, not a vCPU id"#),
        ("error('oops')", "scheduling policy bad failed: answer.lua:2: oops"),
        ("while true do end", "scheduling policy bad failed: answer.lua:2: instruction limit exceeded"),
    ])
    func aMisbehavingPolicyFailsItsCheck(body: String, message: String) {
        let r = withAnswer("return { scheduler = lab.scheduler{ name = \"bad\", pick = function(view)\n\(body)\nend } }")
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        let c = r.check("policy runs")
        #expect(c?.status == .error)
        #expect(c?.message?.contains(message) == true, "\(c?.message ?? "nil")")
    }

    /// The CPU model steps lazily, so a policy used to run (and fail) only at the next 20 s
    /// sample, in whichever check that fell: a run that covers the policy's first call
    /// must be the one that reports its error.
    @Test func aPolicyErrorBelongsToTheRunThatCalledIt() {
        let r = runLab(#"""
            local answer = lab.submission("answer.lua")
            local h = lab.host{ name = "esx01", cpus = 1, memory = "16 GiB" }
            h.scheduler = answer.scheduler
            local v = h:create_vm{ name = "vm1", memory = "1 GiB" }
            v:power_on()
            v:run(lab.workload.busy())
            check("first", function() lab.run_for("5 s") end)
            check("second", function() lab.run_for("30 s") end)
            """#, submission: ["answer.lua": "return { scheduler = lab.scheduler{ name = \"bad\", pick = function(view) error('oops') end } }"])
        #expect(r.check("first")?.status == .error, "\(r.checks.map { "\($0.name): \($0.status) \($0.message ?? "")" })")
        #expect(r.check("first")?.message?.contains("oops") == true)
    }

    @Test func schedulerSettingsFromLua() {
        let r = runLab(#"""
            local xen = lab.host{ name = "xen01", cpus = 1, memory = "8 GiB", scheduler = "credit" }
            local a = xen:create_vm{ name = "a", memory = "1 GiB", cpu = { weight = 512 } }
            local b = xen:create_vm{ name = "b", memory = "1 GiB", cpu = { cap = "25%" } }
            check("xen settings", function()
              expect(xen.scheduler.name):to_equal("credit")
              expect(xen.scheduler.quantum):to_equal(0.01)
              expect(xen.scheduler.time_slice):to_equal(0.03)
              a:power_on(); b:power_on()
              a:run(lab.workload.busy()); b:run(lab.workload.busy())
              lab.run_for("1 min")
              expect(lab.series(b, "cpu.run"):mean(), "capped run %"):to_be_at_most(25.5)
              expect(function() xen.scheduler.time_slice = "40 ms" end):to_error("can only change while no VM")
              expect(function() xen.scheduler.time_slice = "25 ms" end):to_error("multiple of the 10 ms tick")
            end)
            local kvm = lab.host{ name = "kvm01", cpus = 2, memory = "8 GiB", scheduler = "cfs" }
            check("cfs quota", function()
              local q = kvm:create_vm{ name = "q", memory = "1 GiB", cpu = { quota = "20 ms" } }
              q:power_on(); q:run(lab.workload.busy())
              lab.run_for("1 min")
              expect(q.cpu.run, "run %"):to_be_near(20, 0.5)
              expect(q.cpu.limited, "limited %"):to_be_near(80, 0.5)
            end)
            check("bad settings", function()
              local esx = lab.host{ name = "esx01", cpus = 2, memory = "8 GiB" }
              local w = esx:create_vm{ name = "w", memory = "1 GiB", cpu = { weight = 300 } }
              expect(function() w:power_on() end):to_error("weight and cpu.cap are settings of Xen's credit scheduler")
              expect(function() esx.scheduler.skew_threshold = "-1 ms" end):to_error("negative duration")
              expect(function() esx.scheduler = 42 end):to_error("is not a scheduler")
              expect(function() esx:create_vm{ name = "z", memory = "1 GiB", cpu = { cap = "half" } } end):to_error("is not a cap")
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { "\($0.name): \($0.message ?? "")" })")
    }

    @Test func traceGivesGanttSegments() {
        let r = runLab(#"""
            local h = lab.host{ name = "esx01", cpus = 2, memory = "8 GiB", scheduler = "round-robin" }
            h.scheduler.trace = true
            for i = 1, 3 do
              local vm = h:create_vm{ name = "vm" .. i, memory = "1 GiB" }
              vm:power_on()
              vm:run(lab.workload.busy())
            end
            lab.run_for("1 s")
            local segs = h.scheduler:segments{ to = 0.5 }
            check("segments", function()
              expect(#segs):to_be_at_least(10)
              local busy = 0
              for _, s in ipairs(segs) do
                expect(s.pcpu):to_be_between(1, 2)
                expect(s.finish > s.start):to_be_true()
                busy = busy + (math.min(s.finish, 0.5) - s.start)
              end
              expect(busy, "pCPU time traced", "seconds"):to_be_near(1.0, 0.06)
            end)
            """#)
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { "\($0.name): \($0.message ?? "")" }) \(r.scriptError ?? "")")
    }

    @Test func batchWorkloadFromLua() {
        let r = runLab(#"""
            local h = lab.host{ name = "esx01", cpus = 2, mhz = "2 GHz", memory = "8 GiB", scheduler = "fair" }
            local vm = h:create_vm{ name = "b", vcpus = 2, memory = "1 GiB" }
            vm:power_on()
            local w = vm:run(lab.workload.batch{ threads = 2, work = "2 Gcycles" })
            lab.run_for("10 s")
            check("completed", function() expect(w.completed):to_equal(20) end)
            check("bad batch", function()
              expect(function() lab.workload.batch{ threads = 2 } end):to_error("option 'work' is required")
              expect(function() lab.workload.batch{ work = "2 GB" } end):to_error("is not an amount of work")
              expect(function() lab.workload.batch{ work = "1 Gcycles", spread = 1.5 } end):to_error("is not a spread")
            end)
            """#)
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { "\($0.name): \($0.message ?? "")" }) \(r.scriptError ?? "")")
    }
}
