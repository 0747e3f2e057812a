import Testing
@testable import LabRuntime

/// A submission runs in its own sandbox; whatever it does ends as failed checks with a
/// clear reason, never as a crash or a hang of the run.
@Suite("Submissions")
struct SubmissionTests {
    let lab = #"""
        local a = lab.submission("answer.lua")
        check("uses the answer", function() expect(a.value, "value"):to_equal(42) end)
        check("calls a function", function() expect(a.double(21)):to_equal(42) end)
        """#

    @Test func aGoodSubmissionPasses() {
        let r = runLab(lab, submission: ["answer.lua": "return { value = 42, double = function(x) return 2 * x end }"])
        #expect(r.checks.allSatisfy { $0.status == .passed })
    }

    @Test(arguments: [
        ("missing", nil, "answer.lua was not found in the submission; it holds other.lua"),
        ("syntax", "return {", "answer.lua:1: unexpected symbol near <eof>"),
        ("error", "error('nope')", "answer.lua:1: nope"),
        ("nothing", "local x = 1", "it returned nothing (end it with a `return` of your answers, as the starter does)"),
        ("loop", "while true do end", "answer.lua:1: instruction limit exceeded"),
        ("os", "os.execute('rm -rf /')", "answer.lua:1: attempt to index a nil value (global 'os')"),
        ("io", "return io.open('/etc/passwd')", "answer.lua:1: attempt to index a nil value (global 'io')"),
        ("bytecode", #"return load("\27Lua\84\0")()"#, "answer.lua:1: attempt to call a nil value"),
        ("memory", "local t = {} while true do t[#t + 1] = ('x'):rep(1000) .. #t end", "memory limit of 64 MiB exceeded"),
        ("rep", "return { value = string.rep('x', 1 << 30) }", "answer.lua:1: string.rep: the result would be 1073741824 bytes"),
        ("gc", "setmetatable({}, { __gc = function() while true do end end }) return {}", "answer.lua:1: setmetatable: __gc metamethods are not allowed in the sandbox"),
        ("pcall", "while true do pcall(function() while true do end end) end", "answer.lua:1: instruction limit exceeded"),
    ] as [(String, String?, String)])
    func hostileOrBrokenSubmissionsFailTheirChecks(name: String, source: String?, message: String) {
        let files = source.map { ["answer.lua": $0] } ?? ["other.lua": "return {}"]
        let r = runLab(lab, submission: files)
        #expect(r.scriptError == nil, "\(name): \(r.scriptError ?? "")")
        #expect(r.checks.count == 2, "\(name)")
        // said once for the run; the checks that needed it did not run
        #expect(r.submissionProblems.count == 1 && r.submissionProblems[0].contains(message), "\(name): \(r.submissionProblems)")
        for c in r.checks {
            #expect(c.status == .skipped, "\(name)")
            #expect(c.message == "not run: answer.lua could not be used (see the message about the submission)", "\(name): \(c.message ?? "nil")")
            #expect(c.score == 0)
        }
    }

    @Test func aLoopingFunctionFailsOnlyItsCheck() {
        let r = runLab(#"""
            local a = lab.submission("answer.lua")
            check("loops", function() a.spin() end)
            check("still works", function() expect(a.ok()):to_equal(1) end)
            """#, submission: ["answer.lua": "return { spin = function() while true do end end, ok = function() return 1 end }"])
        #expect(r.check("loops")?.status == .error)
        #expect(r.check("loops")?.message?.contains("answer.lua:1: instruction limit exceeded") == true)
        #expect(r.check("still works")?.status == .passed)
    }

    @Test func modelObjectsCrossBothWays() {
        let r = runLab(host + #"""

            local vm = h:create_vm{ name = "web01", vcpus = 2, memory = "4 GiB" }
            vm:power_on()
            vm.guest:touch("1 GiB")
            local a = lab.submission("answer.lua")
            check("the submission reads the model", function()
              expect(a.consumed(vm)):to_equal(vm.memory.consumed)
              expect(a.same(vm, vm)):to_be_true()
              expect(a.make().name):to_equal("from-student")
              expect(#lab.vms()):to_equal(1)   -- made in the submission's own scratch world
              expect(function() a.make_on(h) end):to_error("a submission cannot change the lab's datacenter")
            end)
            check("functions cannot be passed in", function()
              expect(function() a.consumed(function() end) end):to_error("cannot be passed to answer.lua")
            end)
            """#, submission: ["answer.lua": #"""
                local M = {}
                function M.consumed(vm) return vm.memory.consumed end
                function M.same(x, y) return x == y and tostring(x) == "VM(web01)" end
                function M.make() return lab.host{ name = "own", cpus = 1, memory = "4 GiB" }:create_vm{ name = "from-student", memory = "1 GiB" } end
                function M.make_on(h) return h:create_vm{ name = "from-student", memory = "1 GiB" } end
                return M
                """#])
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { $0.message ?? "" })")
    }

    @Test func studentErrorsKeepTheirPosition() {
        let r = runLab(#"""
            local a = lab.submission("answer.lua")
            check("c", function() a.f() end)
            """#, submission: ["answer.lua": "local M = {}\nfunction M.f()\n  local x = nil\n  return x.y\nend\nreturn M"])
        #expect(r.check("c")?.message == "answer.lua:4: attempt to index a nil value (local 'x')")
    }

    @Test func submissionPathsStayInside() {
        let r = runLab(#"""
            local a = lab.submission("../lab.lua")
            check("c", function() return a.x end)
            """#, submission: ["answer.lua": "return {}"])
        #expect(r.check("c")?.status == .skipped)
        #expect(r.submissionProblems == ["../lab.lua: the path must stay inside the submission folder"])
    }

    @Test func printsOfTheSubmissionAreMarked() {
        let r = runLab(#"local a = lab.submission("answer.lua")"#, submission: ["answer.lua": "print('hello') return {}"])
        #expect(r.output == "[answer.lua] hello\n")
    }
}
