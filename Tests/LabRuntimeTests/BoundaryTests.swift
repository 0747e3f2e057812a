import Foundation
import Testing
@testable import LabRuntime
@testable import LuaKit
import HyperModel

/// Numbers from Lua pass one checked conversion; no value a script can make traps Swift
/// (issue 12, defect 5).
@Suite("Numbers from Lua")
struct NumberBoundaryTests {
    @Test(arguments: [
        ("lab.run_for(1e300)", "lab.lua:1: lab.run_for: duration 1e+300 is out of range (allowed: -3200000000 to 3200000000)"),
        ("lab.run_for(0/0)", "lab.lua:1: lab.run_for: duration is NaN (not a number, as 0/0 gives), not a value it can use"),
        (#"lab.run_for("1e300 s")"#, #"lab.lua:1: lab.run_for: duration "1e300 s" is out of range (allowed: -3200000000 to 3200000000)"#),
        ("lab.format.bytes(0/0)", "lab.lua:1: lab.format.bytes: value is NaN (not a number, as 0/0 gives), not a value it can use"),
        ("lab.format.bytes(1e30)", "lab.lua:1: lab.format.bytes: value 1e+30 is out of range (allowed: -1000000000000000 to 1000000000000000)"),
        ("lab.format.seconds(-math.huge)", "lab.lua:1: lab.format.seconds: value -inf is not a finite number"),
        ("lab.bytes(2^62)", "lab.lua:1: lab.bytes: size 4.6116860184274e+18 is out of range (allowed: -1.1529215046068e+18 to 1.1529215046068e+18)"),
        ("lab.seconds(math.huge)", "lab.lua:1: lab.seconds: duration inf is not a finite number"),
        (#"lab.profile("xen"); local h = lab.host{ name = "x", cpus = 2, memory = "8 GiB" }; h:create_vm{ name = "v", memory = "1 GiB", cpu = { cap = math.huge } }"#,
         "lab.lua:1: create_vm: cpu: cap inf is not a finite number"),
        (#"lab.host{ name = "x", cpus = 2^53, memory = "8 GiB" }"#, "lab.lua:1: lab.host: cpus 9.007199254741e+15 is out of range (allowed: -1000000000000000 to 1000000000000000)"),
    ])
    func refused(code: String, message: String) {
        #expect(runLab(code).scriptError == message)
    }

    @Test func aSchedulingPolicyReturningHugeIsRefused() {
        let r = runLab(#"""
            local p = lab.scheduler{ name = "p", quantum = "50 ms", pick = function(view) return { math.huge } end }
            local h = lab.host{ name = "x", cpus = 2, memory = "8 GiB", scheduler = p }
            local vm = h:create_vm{ name = "v", memory = "1 GiB" }
            vm:power_on()
            vm:run(lab.workload.cpu{ load = 1 })
            lab.run_for(30)
            """#)
        #expect(r.scriptError == "lab.lua:6: scheduling policy p: pick: result[1] inf is not a finite number")
    }

    @Test func aBalloonPolicyReturningHugeIsRefused() {
        let r = runLab(#"""
            local pol = lab.balloon_policy{ name = "b", target = function(view)
              local t = {}
              for _, v in ipairs(view.vms) do t[v.name] = 1e300 end
              return t
            end }
            local h = lab.host{ name = "x", cpus = 2, memory = "4 GiB" }
            h.reclaim.balloon.policy = pol
            for i = 1, 3 do local vm = h:create_vm{ name = "v" .. i, memory = "2 GiB" }; vm:power_on(); vm.guest:touch("2 GiB") end
            lab.run_for("2 min")
            """#)
        #expect(r.scriptError?.contains("balloon policy b: target: v1 1e+300 is out of range") == true, "\(r.scriptError ?? "")")
    }

    /// A student's 0/0 or 1e300 is shown in the failure message, not a crash of the grading.
    @Test func aNaNAnswerIsShownInItsFailure() {
        let r = runLab(#"""
            local answer = lab.submission("answer.lua")
            check("size", function() expect(answer.provisioned, "provisioned", "bytes"):to_equal(lab.bytes("1 GiB")) end)
            check("huge", function() expect(answer.huge, "huge", "bytes"):to_equal(lab.bytes("1 GiB")) end)
            """#, submission: ["answer.lua": "return { provisioned = 0/0, huge = 1e300 }"])
        #expect(r.scriptError == nil)
        #expect(r.check("size")?.status == .failed)
        #expect(r.check("size")?.message?.contains("NaN") == true, "\(r.check("size")?.message ?? "")")
        #expect(r.check("huge")?.status == .failed)
    }

    @Test func theCheckedConversionSaysWhy() throws {
        #expect(throws: LuaError.self) { try LuaNumber.check(.nan, "f", "x") }
        #expect(try LuaNumber.integer(.number(3.0), "f", "x") == 3)
        #expect(throws: LuaError("f: x 3.5 is not a whole number")) { try LuaNumber.integer(.number(3.5), "f", "x") }
        #expect(throws: LuaError("f: x 7 is out of range (allowed: 1 to 5)")) { try LuaNumber.integer(.integer(7), "f", "x", range: 1...5) }
        #expect(try LuaNumber.double(.string("1"), "f", "x") == nil)
        #expect(Units.formatBytes(.nan) == "NaN B")
        #expect(Units.formatBytes(1e30).hasSuffix("TiB"))
    }
}

/// `lab.run_until` cannot spin in the host (defect 4).
@Suite("run_until")
struct RunUntilBoundaryTests {
    @Test func aStepBelowTheClockResolutionIsRefused() {
        let r = runLab("lab.run_until(math.random, 10, 1e-9)")
        #expect(r.scriptError == "lab.lua:1: lab.run_until: every 1e-09 is shorter than the clock's resolution of 1 µs")
    }

    /// A C predicate runs no Lua instruction, so no hook sees it: the loop itself polls
    /// the wall-time limit at each step.
    @Test func aCPredicateLoopEndsAtTheWallLimit() {
        var limits = LabLimits()
        limits.labWallSeconds = 1
        let started = Date()
        let r = runLab(#"lab.host{ name = "x", cpus = 1, memory = "1 GiB" }; lab.run_until(coroutine.isyieldable, 3e9, 1e-6)"#, limits: limits)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(r.scriptError?.contains("time limit") == true, "\(r.scriptError ?? "")")
    }
}

/// While a policy runs, the world is frozen (defect 6).
@Suite("Frozen world")
struct FrozenWorldTests {
    @Test func aPolicyCannotChangeTheDatacenter() {
        let r = runLab(#"""
            local vms, h = {}, nil
            local p = lab.scheduler{ name = "evil", quantum = "50 ms", pick = function(view)
              for _, vm in ipairs(vms) do vm:power_off() end
              return { view.runnable[1].id }
            end }
            h = lab.host{ name = "x", cpus = 2, memory = "64 GiB", scheduler = p }
            for i = 1, 3 do
              local vm = h:create_vm{ name = "v" .. i, memory = "1 GiB" }
              vm:power_on(); vm:run(lab.workload.cpu{ load = 1 }); vms[i] = vm
            end
            lab.run_for(30)
            """#)
        #expect(r.scriptError == "lab.lua:11: scheduling policy evil failed: lab.lua:3: VM:power_off: cannot change the datacenter while the scheduler is choosing (scheduling policy evil is running)")
    }

    @Test(arguments: [
        #"h:create_vm{ name = "n" .. view.now, memory = "64 MiB" }"#,
        #"lab.host{ name = "other", cpus = 1, memory = "1 GiB" }"#,
        "lab.run_for(1)",
        #"h.scheduler = "fair""#,
        #"h.reclaim.reading = "B""#,
    ])
    func everyMutationIsRefused(code: String) {
        let r = runLab(#"""
            local vms, h = {}, nil
            local p = lab.scheduler{ name = "evil", quantum = "50 ms", pick = function(view)
              \#(code)
              return { view.runnable[1].id }
            end }
            h = lab.host{ name = "x", cpus = 2, memory = "64 GiB", scheduler = p }
            local vm = h:create_vm{ name = "v", memory = "1 GiB" }
            vm:power_on(); vm:run(lab.workload.cpu{ load = 1 }); vms[1] = vm
            lab.run_for(30)
            """#)
        #expect(r.scriptError?.contains("cannot change the datacenter while the scheduler is choosing") == true, "\(r.scriptError ?? "")")
    }

    @Test func aPolicyMayRead() {
        let r = runLab(#"""
            local vm
            local p = lab.scheduler{ name = "reader", quantum = "50 ms", pick = function(view)
              local _ = vm.memory.consumed + lab.now() + lab.bytes("1 GiB")
              local _ = lab.format.bytes(vm.memory.consumed) .. tostring(lab.series(vm, "cpu.run"):mean())
              return { view.runnable[1].id }
            end }
            local h = lab.host{ name = "y", cpus = 2, memory = "64 GiB", scheduler = p }
            vm = h:create_vm{ name = "w", memory = "1 GiB" }
            vm:power_on(); vm:run(lab.workload.cpu{ load = 1 })
            lab.run_for(45)
            check("ran", function() expect(lab.series(vm, "cpu.run"):mean(), "run"):to_be_at_least(50) end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.check("ran")?.status == .passed)
    }
}

/// Values quoted in messages are bounded (defect 8) and copying a student table is
/// bounded before any sorting (defect 7).
@Suite("Bounded messages and copies")
struct BoundedCopyTests {
    @Test func aHugeStringIsQuotedShort() {
        let r = runLab(#"""
            local answer = lab.submission("answer.lua")
            check("ratio", function() expect(answer.ratio, "ratio"):to_equal(0.5) end)
            check("label", function() expect(answer.ratio, "ratio"):to_be_nil() end)
            check("raised", function() error(answer.ratio) end)
            """#, submission: ["answer.lua": #"return { ratio = string.rep("\1", 4 << 20) }"#])
        for name in ["ratio", "label", "raised"] {
            let m = r.check(name)?.message ?? ""
            #expect(!m.isEmpty && m.utf8.count < 5000, "\(name): \(m.utf8.count) bytes")
        }
        #expect(r.check("ratio")?.message?.contains("…\" (4194304 bytes)") == true, "\(r.check("ratio")?.message ?? "")")
    }

    @Test func quotingCutsBetweenCharacters() {
        let s = String(repeating: "é", count: 100)
        let q = LuaValue.quote(s)
        #expect(q.hasPrefix("\"éé") && q.hasSuffix("…\" (200 bytes)"))
        #expect(LuaValue.bounded(String(repeating: "x", count: 5000), limit: 10) == "xxxxxxxxxx… (4990 more bytes)")
        #expect(LuaValue.quote("short") == "\"short\"")
    }

    /// 2^19 string keys with a self-reference under the smallest: refused by size at the
    /// first level, without reading or sorting the keys 32 times.
    @Test func aWideCyclicTableIsRefusedQuickly() {
        let started = Date()
        let r = runLab(#"""
            local answer = lab.submission("answer.lua")
            check("copy", function() local _ = answer.t end)
            """#, submission: ["answer.lua": #"""
            local t = {}
            for i = 1, 1 << 19 do t["k" .. i] = i end
            t["a"] = t
            return { t = t }
            """#])
        #expect(Date().timeIntervalSince(started) < 15)
        let m = r.submissionProblems.joined()
        #expect(m.contains("more than 100000 values cannot cross"), "\(m)")
    }

    @Test func copyingIsChargedToTheBudget() throws {
        let lua = try LuaState(config: LuaConfig())
        let student = try LuaState(config: LuaConfig())
        #expect(student.run("t = {} for i = 1, 50000 do t[i] = i end return t", chunkname: "=s", nresults: 1) == .ok)
        let top = lua.top
        lua.pushFunction(name: "copy") { call in
            try call.state.pushCopy(of: -1, from: student, policy: LuaTransferPolicy(allowFunctions: false, label: "s"))
            return 1
        }
        let outcome = lua.protectedCall(nargs: 0, nresults: 1, limits: LuaLimits(instructions: 100_000))
        #expect(outcome.message?.contains("instruction limit exceeded") == true, "\(outcome)")
        lua.setTop(top)
    }
}

/// An API fuzz test: random calls of every binding with random, extreme and wrong-typed
/// arguments under a fixed seed; zero crashes, every failure a Lua error.
@Suite("API fuzz")
struct APIFuzzTests {
    @Test func everyBindingIsListed() throws {
        let session = try LabSession(options: LabOptions(labFile: "/dev/null", labDirectory: "/tmp"))
        let list = APIFuzz.bindings(session.api.labAPI).joined(separator: "\n")
        for name in ["lab.run_until", "lab.format.bytes", "\"power_on\"", "\"create_vm\"", "lab.workload.cpu", "\"mean\""] {
            #expect(list.contains(name), "\(name)")
        }
    }

    @Test func randomCallsOfEveryBindingNeverCrash() throws {
        let r = runLab(try APIFuzz.script(calls: 3000, seed: 12))
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.output.contains("fuzz: 3000 calls"), "\(r.output.prefix(2000))")
        #expect(r.check("every failure is a Lua error with a message")?.status == .passed, "\(r.output.prefix(2000))")
    }
}
