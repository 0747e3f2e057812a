import Testing
@testable import LabRuntime

/// A submission sees only what the lab passes it: its own scratch world, and the lab's
/// objects read-only. Each check here passes only when the lab's world is untouched.
@Suite struct IsolationTests {
    /// A lab that builds its world after loading the submission, as every lab does, and
    /// hands the student's function its VM.
    static let lab = #"""
        local a = lab.submission("answer.lua")
        local ds = lab.datastore{ name = "san", capacity = "1 TiB" }
        local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB", datastores = { ds } }
        local vm = h:create_vm{ name = "web01", vcpus = 2, memory = "4 GiB" }
        vm:power_on()
        check("the world is the lab's", function()
          expect(lab.now()):to_equal(0)
          expect(#lab.hosts()):to_equal(1)
          expect(#lab.vms()):to_equal(1)
          expect(h.scheduler.name):to_equal("esx")
        end)
        check("the student's function", function()
          local ok, err = pcall(a.f, vm, h)
          if not ok then error(err, 0) end
          expect(vm.state):to_equal("on")
          expect(h.scheduler.quantum):to_equal(0.05)
          expect(ds.used):to_equal(ds.used)
          expect(lab.now()):to_equal(0)
          expect(#lab.vms()):to_equal(1)
          expect(#lab.hosts()):to_equal(1)
        end)
        """#

    static func run(_ answer: String) -> LabRunResult {
        runLab(lab, submission: ["answer.lua": answer])
    }

    @Test(arguments: [
        ("profile", #"lab.profile("xen")"#),
        ("host with the lab's name", #"lab.host{ name = "esx01", cpus = 1, memory = "1 GiB" }"#),
        ("datastore and cluster", #"local ds = lab.datastore{ name = "ds", capacity = "1 TiB" }; lab.cluster{ name = "c", hosts = { lab.host{ name = "x", cpus = 1, memory = "1 GiB", datastores = { ds } } } }"#),
        ("time", #"lab.run_for("1 h")"#),
        ("sample interval", #"lab.sample_interval("1 s")"#),
        ("statistics level", "lab.statistics_level(1)"),
    ])
    func buildingAtLoadStaysInTheScratchWorld(name: String, line: String) {
        let r = Self.run(line + "\nreturn { f = function() end }")
        #expect(r.scriptError == nil, "\(name): \(r.scriptError ?? "")")
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(name): \(r.checks.map { $0.message ?? "" })")
        #expect(r.simulatedSeconds == 0)
    }

    @Test func theScratchWorldIsUsable() {
        let r = Self.run(#"""
            local h = lab.host{ name = "esx01", cpus = 2, memory = "8 GiB" }
            local vm = h:create_vm{ name = "web01", memory = "2 GiB" }
            vm:power_on()
            vm.guest:touch("1 GiB")
            lab.run_for("1 min")
            assert(lab.now() == 60 and #lab.hosts() == 1 and vm.memory.consumed == 1 << 30)
            assert(#lab.events{ kind = "vm.power" } >= 1)
            assert(lab.series(vm, "memory.consumed"):last() ~= nil)
            assert(lab.isa{ name = "x", instructions = { { name = "add", privileged = false, sensitive = "none" } } }.name == "x")
            return { f = function() assert(#lab.vms() == 1 and lab.vms()[1] == vm and lab.now() == 60) end }
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }

    @Test(arguments: [
        ("method", "vm:power_off()", "answer.lua:2: VM(web01):power_off: a submission cannot change the lab's datacenter"),
        ("setter", #"h.scheduler.quantum = 1"#, "answer.lua:2: Scheduler(esx01: esx).quantum: a submission cannot change the lab's datacenter"),
        ("derived object", #"vm.host:create_vm{ name = "x", memory = "1 GiB" }"#, "answer.lua:2: Host(esx01):create_vm: a submission cannot change the lab's datacenter"),
        ("argument", "h:create_vm{ name = 'y', memory = '1 GiB' }", "answer.lua:2: Host(esx01):create_vm: a submission cannot change the lab's datacenter"),
        ("module function", #"lab.cluster{ name = "c", hosts = { h } }"#, "answer.lua:2: lab.cluster: Host(esx01) is not this sandbox's own object (a submission cannot change the lab's datacenter)"),
        ("own object given a foreign one", #"lab.host{ name = "o", cpus = 1, memory = "1 GiB" }:create_vm{ name = "z", memory = "1 GiB", disks = { { size = "1 GiB", datastore = vm.host.datastores[1] } } }"#, "is not this sandbox's own object"),
        ("series of a lab object", #"lab.series(vm, "memory.consumed")"#, "lab.series: VM(web01) is not this sandbox's own object"),
        ("time", #"lab.run_for(60)  assert(lab.now() == 60)  error("time ran in the scratch world", 0)"#, "time ran in the scratch world"),
        ("seed", "lab.seed(5)", "answer.lua:2: lab.seed: a submission cannot read or change the lab's configuration"),
        ("param", #"lab.param("x", 1)"#, "lab.param: a submission cannot read or change the lab's configuration"),
    ])
    func theLabsObjectsAreReadOnly(name: String, body: String, message: String) {
        let r = Self.run("local M = {}\nfunction M.f(vm, h) \(body) end\nreturn M")
        let c = r.check("the student's function")
        #expect(c?.status == .error || c?.status == .failed, "\(name)")
        #expect(c?.message?.contains(message) == true, "\(name): \(c?.message ?? "nil")")
        #expect(r.check("the world is the lab's")?.status == .passed)
    }

    @Test func readingTheLabsObjectsWorks() {
        let r = Self.run(#"""
            local M = {}
            function M.f(vm, h)
              assert(vm.name == "web01" and vm.host == h and h.name == "esx01" and vm.state == "on")
              assert(vm.memory.configured == 4 << 30 and vm.cpu.limit == nil and #h.vms == 1)
              assert(tostring(vm) == "VM(web01)" and h.scheduler.name == "esx")
              -- the refusal is an ordinary error that pcall catches, and changes nothing
              assert(not pcall(vm.power_off, vm))
              assert(vm.state == "on")
            end
            return M
            """#)
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }

    @Test func objectsTheSubmissionMadeStayItsOwn() {
        // the lab may hand a submission's own object back: it stays writable there
        let r = runLab(#"""
            local a = lab.submission("answer.lua")
            check("round trip", function()
              local vm = a.make()
              expect(a.stop(vm)):to_equal("off")
              expect(#lab.vms()):to_equal(0)
            end)
            """#, submission: ["answer.lua": #"""
                local keep
                return {
                  make = function()
                    keep = lab.host{ name = "own", cpus = 1, memory = "4 GiB" }:create_vm{ name = "mine", memory = "1 GiB" }
                    keep:power_on()
                    return keep
                  end,
                  stop = function(vm) vm:power_off() return vm.state end,
                }
                """#])
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }

    @Test func aPolicyKeepsItsReadOnlyView() {
        // a Lua scheduling policy made in a submission still runs on the lab's host
        let r = runLab(#"""
            local a = lab.submission("answer.lua")
            local h = lab.host{ name = "esx01", cpus = 1, memory = "8 GiB", scheduler = a.policy }
            local vm = h:create_vm{ name = "web01", memory = "1 GiB" }
            vm:power_on()
            vm:run(lab.workload.cpu{ threads = 1 })
            lab.run_for("1 min")
            check("the policy ran", function() expect(vm.cpu.run):to_be_at_least(50) end)
            """#, submission: ["answer.lua": #"""
                return { policy = lab.scheduler{ name = "first", pick = function(view)
                  local ids = {}
                  for i = 1, math.min(view.pcpus, #view.runnable) do ids[i] = view.runnable[i].id end
                  return ids
                end } }
                """#])
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }
}
