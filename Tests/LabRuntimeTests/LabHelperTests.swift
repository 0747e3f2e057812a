import Testing
@testable import LabRuntime

/// The helpers labs share instead of writing them again: feedback said once per key, and
/// the mean of a series over a window of time.
@Suite("Lab helpers")
struct LabHelperTests {
    @Test func feedbackOnceSaysEachKeyOncePerCheck() {
        let r = runLab(#"""
            lab.feedback_once("k", "outside", 1)
            lab.feedback_once("k", "outside again")
            check("a", function()
              for i = 1, 3 do lab.feedback_once("failed", "case", i, "failed: boom") end
              lab.feedback_once("kind", "case 4 gave", "x", "\nsecond line")
              lab.feedback_once("kind", "case 5 gave y")
            end)
            check("b", function()
              lab.feedback_once("failed", "case 1 failed in b")
            end)
            """#)
        #expect(r.scriptError == nil)
        #expect(r.studentOutput == "outside 1\n")
        #expect(r.check("a")?.studentOutput == "case 1 failed: boom\ncase 4 gave x \nsecond line\n")
        // every check starts with no key told
        #expect(r.check("b")?.studentOutput == "case 1 failed in b\n")
    }

    @Test func feedbackOnceRefusesBadInput() {
        #expect(runLab(#"lab.feedback_once(3, "text")"#).scriptError == "lab.lua:1: lab.feedback_once: key 3 is not a string")
        #expect(runLab(#"lab.feedback_once("k")"#).scriptError
            == #"lab.lua:1: lab.feedback_once: no message after the key "k" (write lab.feedback_once(key, text))"#)
        #expect(runLab(#"lab.feedback_once(nil, "text")"#).scriptError == "lab.lua:1: lab.feedback_once: key nil is not a string")
    }

    @Test func feedbackOnceIsNotInASubmission() {
        let r = runLab(#"""
            local a = lab.submission("answer.lua", { simulate = false })
            check("c", function() expect(a.has_it, "has it"):to_be_false() end)
            """#, submission: ["answer.lua": "return { has_it = lab.feedback_once ~= nil }"])
        #expect(r.check("c")?.status == .passed)
    }

    /// A VM whose used MHz steps from 600 to 2400 at 60 s (1-s samples): windows see each part.
    static let stepping = #"""
        lab.sample_interval("1 s")
        local h = lab.host{ name = "esx01", cpus = 1, mhz = 2400, memory = "16 GiB" }
        local vm = h:create_vm{ name = "a", vcpus = 1, memory = "1 GiB" }
        vm:power_on()
        local w = vm:run(lab.workload.cpu{ threads = 1, load = 0.25 })
        lab.run_for("60 s")
        w:stop()
        vm:run(lab.workload.cpu{ threads = 1, load = 1 })
        lab.run_for("60 s")
        local s = lab.series(vm, "cpu.used_mhz")
        -- what a lab's own loop over the points gives
        local function loop(from, to)
          local sum, n = 0, 0
          for t, v in s:points() do
            if t > from and t <= to then sum, n = sum + v, n + 1 end
          end
          return n > 0 and sum / n or nil
        end
        """#

    @Test func meanOverAWindow() {
        let r = runLab(Self.stepping + "\n" + #"""
            check("windows", function()
              expect(s:mean(), "whole"):to_equal(loop(-1, math.huge))
              expect(s:mean(nil, nil), "nil bounds"):to_equal(s:mean())
              expect(s:mean(70), "after 70 s", "MHz"):to_be_near(2400, 1)
              expect(s:mean(70), "after 70 s, exactly"):to_equal(loop(70, math.huge))
              expect(s:mean(5, 55), "5 to 55 s", "MHz"):to_be_near(600, 1)
              expect(s:mean("5 s", "55 s"), "strings"):to_equal(s:mean(5, 55))
              expect(s:mean(nil, 30), "up to 30 s"):to_equal(loop(-1, 30))
              expect(s:mean(30, 90), "across the step"):to_equal(loop(30, 90))
              -- the sample at `from` measured the second before it: left out; the one at `to` kept
              expect(s:mean(59, 60), "one sample"):to_equal(s:at(60))
              expect(s:mean(120, 121), "no samples"):to_be_nil()
              expect(s:mean(500), "after the end"):to_be_nil()
              local day = s:rollup("day")
              expect(day:mean(0), "a rollup"):to_equal(day:mean())
            end)
            """#)
        #expect(r.scriptError == nil)
        #expect(r.check("windows")?.status == .passed, "\(r.check("windows")?.message ?? "")")
    }

    @Test func meanRefusesBadBounds() {
        func error(_ call: String) -> String? { runLab(Self.stepping + "\n" + call).scriptError }
        #expect(error("s:mean(60, 30)")
            == "lab.lua:19: Series(cpu.used_mhz):mean: to 30 is not later than from 60 (the window is the time after `from` up to `to`)")
        #expect(error("s:mean(60, 60)")?.contains("to 60 is not later than from 60") == true)
        #expect(error("s:mean(-5)") == "lab.lua:19: Series(cpu.used_mhz):mean: from -5 is not a duration of 0 s or more")
        #expect(error(#"s:mean("soon")"#)?.hasPrefix(#"lab.lua:19: Series(cpu.used_mhz):mean: from "soon" is not a duration"#) == true)
        #expect(error("s:mean(0, {})")?.hasPrefix("lab.lua:19: Series(cpu.used_mhz):mean: to a table is not a duration") == true)
        #expect(error("s:mean(0 / 0)")?.contains("Series(cpu.used_mhz):mean: from") == true)
        #expect(error(#"s:rollup("day"):mean(10, 5)"#)?.contains("Series(cpu.used_mhz, day):mean: to 5 is not later than from 10") == true)
    }
}
