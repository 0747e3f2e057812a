import Testing
@testable import LabRuntime

@Suite("Checks, expectations and partial credit")
struct CheckTests {
    @Test func statusesAndScores() {
        let r = runLab(#"""
            check("passes", { points = 2 }, function() expect(1):to_equal(1) end)
            check("fails", { points = 3, hint = "think" }, function() expect(2, "answer"):to_equal(3) end)
            check("errors", function() local t = nil; return t.x end)
            check("times out", { timeout = "0.3 s" }, function() while true do end end)
            check("skipped", { depends = "fails" }, function() end)
            check("runs after", { depends = "passes" }, function() end)
            check("partial", { points = 4 }, function() partial(0.25) expect(false):to_be_true() end)
            check("partial pass", { points = 4 }, function() partial(0.5) end)
            """#)
        #expect(r.scriptError == nil)
        let s = r.checks.map { "\($0.name):\($0.status.rawValue):\($0.score)/\($0.points)" }
        #expect(s == ["passes:passed:2.0/2.0", "fails:failed:0.0/3.0", "errors:error:0.0/1.0", "times out:timeout:0.0/1.0",
                      "skipped:skipped:0.0/1.0", "runs after:passed:1.0/1.0", "partial:failed:1.0/4.0", "partial pass:failed:2.0/4.0"])
        #expect(r.check("fails")?.message == "answer: expected 3, got 2")
        #expect(r.check("fails")?.hint == "think")
        #expect(r.check("errors")?.message == "lab.lua:3: attempt to index a nil value (local 't')")
        #expect(r.check("times out")?.message == "lab.lua:4: time limit of 0.30 s exceeded")
        #expect(r.check("skipped")?.message == #"skipped because "fails" did not pass"#)
        #expect(r.check("partial pass")?.message == "partial credit: 50 % of the points")
        #expect(r.check("passes")?.location == "lab.lua:1")
    }

    @Test func failureMessagesCarryUnits() {
        let r = runLab(host + #"""

            local vm = h:create_vm{ name = "web01", memory = "8 GiB" }
            vm:power_on()
            vm.guest:touch("6.1 GiB")
            check("bytes declared", function()
              expect(vm.memory.consumed, "ballooned memory", "bytes"):to_be_at_most(0.65 * vm.memory.configured)
            end)
            check("bytes from a quantity string", function() expect(vm.memory.consumed):to_be_at_most("5 GiB") end)
            check("percent", function() expect(12.5, "ready", "%"):to_be_at_most(10) end)
            check("seconds", function() expect(lab.now(), "elapsed time", "seconds"):to_be_at_least("2 min") end)
            check("near relative", function() expect(100):to_be_near(120, "5%") end)
            check("between", function() expect(5, "size", "bytes"):to_be_between("1 KiB", "2 KiB") end)
            check("contains", function() expect({ 1, 2 }):to_contain(3) end)
            check("error expected", function() expect(function() end):to_error() end)
            check("error pattern", function() expect(function() error("boom") end):to_error("bang") end)
            check("match", function() expect("abc"):to_match("^x") end)
            check("set", function() expect(nil, "M.answer"):to_be_set() end)
            check("no unit guessed from a label", function() expect(0.5, "ready fraction"):to_equal(0.25) end)
            check("a count", function() expect(3, "VMs", "count"):to_equal(4) end)
            """#)
        let m = r.checks.map { $0.message ?? "" }
        #expect(m == [
            "ballooned memory: expected at most 5.2 GiB, got 6.1 GiB",
            "expected at most 5 GiB, got 6.1 GiB",
            "ready: expected at most 10 %, got 12.5 %",
            "elapsed time: expected at least 2 min, got 0 s",
            "expected 120 ± 5 %, got 100",
            "size: expected between 1 KiB and 2 KiB, got 5 B",
            "expected { 1, 2 } to contain 3",
            "expected an error, but the call succeeded",
            #"expected an error matching "bang", got "lab.lua:15: boom""#,
            #"expected "abc" to match "^x""#,
            "M.answer: no answer (nil)",
            "ready fraction: expected 0.25, got 0.5",
            "VMs: expected 4, got 3",
        ])
        #expect(r.checks[0].expected == "at most 5.2 GiB" && r.checks[0].actual == "6.1 GiB")
    }

    @Test func checkMisuseIsAScriptError() {
        #expect(runLab(#"check("a", function() end) check("a", function() end)"#).scriptError
                == #"lab.lua:1: check "a": a check with this name already exists; names must be unique"#)
        #expect(runLab(#"check("a", { depends = "zz" }, function() end)"#).scriptError
                == #"lab.lua:1: check "a": depends on "zz", which is not an earlier check"#)
        #expect(runLab(#"check("a", { points = -1 }, function() end)"#).scriptError
                == #"lab.lua:1: check "a": points -1 is not a number of points of 0 or more"#)
        #expect(runLab(#"check("a", { visibility = "secret" }, function() end)"#).scriptError
                == #"lab.lua:1: check "a": visibility "secret" is not a visibility (use "visible", "hidden", "after_due_date", "after_published")"#)
        #expect(runLab(#"check("a", { pts = 1 }, function() end)"#).scriptError?.contains("unknown option 'pts' (did you mean 'points'?)") == true)
        let nested = runLab(#"check("outer", function() check("inner", function() end) end)"#)
        #expect(nested.check("outer")?.message == #"lab.lua:1: check "inner": checks cannot be nested inside another check"#)
        #expect(runLab("partial(0.5)").scriptError == "lab.lua:1: partial: only inside a check")
        #expect(runLab(#"check("p", function() partial(2) end)"#).check("p")?.message == "lab.lua:1: partial: fraction 2 is not between 0 and 1")
    }

    @Test func anErrorOutsideChecksKeepsTheChecksRunSoFar() {
        let r = runLab(#"check("first", function() end)"# + "\nerror('stop here')\n" + #"check("never", function() end)"#)
        #expect(r.scriptError == "lab.lua:2: stop here")
        #expect(r.checks.map(\.name) == ["first"])
    }

    @Test func outputGoesToItsCheck() {
        let r = runLab(#"print("outside") check("c", function() print("inside") end)"#)
        #expect(r.output == "outside\n")
        #expect(r.check("c")?.output == "inside\n")
    }
}

@Suite("Hashed expectations")
struct HashTests {
    @Test func toHashChecksWithoutRevealing() {
        let r = runLab(#"""
            check("right", function() expect("soft", "state"):to_hash(lab.hash("soft")) end)
            check("wrong", function() expect("hard", "state"):to_hash(lab.hash("soft")) end)
            check("numbers", function()
              expect(lab.hash(42)):to_equal(lab.hash(42.0))
              expect(lab.hash(0.1 + 0.2)):to_equal(lab.hash(0.3))
              expect(lab.hash(true)):to_equal(lab.hash("true"))
            end)
            check("bad hash", function() expect(1):to_hash("md5:x") end)
            """#)
        #expect(r.check("right")?.status == .passed)
        #expect(r.check("wrong")?.status == .failed)
        #expect(r.check("wrong")?.message?.contains("soft") == false)
        #expect(r.check("wrong")?.message?.contains("\"hard\" is not the right value") == true)
        #expect(r.check("numbers")?.status == .passed)
        #expect(r.check("bad hash")?.message?.contains("is not a hash") == true)
    }
}
