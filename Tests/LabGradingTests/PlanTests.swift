import Foundation
import Testing
@testable import LabGrading
@testable import LabRuntime

/// Every submission sees the same checks and the same maximum, whatever stops a run.
@Suite("A stable check plan")
struct PlanTests {
    /// A lab whose hidden script fails only for some submissions.
    func lab() throws -> (LabLocation, String) {
        let dir = temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/hidden", withIntermediateDirectories: true)
        try #"""
            local a = lab.submission("answer.lua")
            check("public", { points = 2 }, function() expect(a.x, "M.x", "count"):to_equal(1) end)
            """#.write(toFile: dir + "/lab.lua", atomically: true, encoding: .utf8)
        // the instructor's script errors when the student's value is not a number
        try #"""
            local a = lab.submission("answer.lua")
            local doubled = a.x * 2
            check("hidden one", { points = 2 }, function() expect(doubled, "2x", "count"):to_equal(2) end)
            check("hidden two", { points = 1, visibility = "after_due_date" }, function() end)
            """#.write(toFile: dir + "/hidden/a.lua", atomically: true, encoding: .utf8)
        try #"check("hidden three", { points = 1 }, function() end)"#.write(toFile: dir + "/hidden/b.lua", atomically: true, encoding: .utf8)
        return (try LabLocation(dir), dir)
    }

    func grade(_ lab: LabLocation, _ dir: String, answer: String) throws -> GradeResult {
        let sub = temporaryFolder()
        try answer.write(toFile: sub + "/answer.lua", atomically: true, encoding: .utf8)
        var options = LabRunner.options(for: lab, submission: sub, seed: nil, params: [:])
        options.hiddenDirectory = dir + "/hidden"
        return LabRunner.run(lab, options: options)
    }

    @Test func aHiddenScriptThatErrorsKeepsItsChecksAndTheMaximum() throws {
        let (lab, dir) = try lab()
        let good = try grade(lab, dir, answer: "return { x = 1 }")
        let bad = try grade(lab, dir, answer: #"return { x = "one" }"#)
        #expect(good.maxScore == 6 && good.score == 6)
        #expect(bad.maxScore == 6)
        #expect(bad.run.checks.map(\.name).sorted() == good.run.checks.map(\.name).sorted())
        let one = bad.run.checks.first { $0.name == "hidden one" }
        #expect(one?.status == .error && one?.score == 0)
        #expect(one?.message?.contains("not run: the lab stopped before this check (hidden/a.lua:2:") == true)
        #expect(bad.run.checks.first { $0.name == "hidden two" }?.visibility == .afterDueDate)
        // the next hidden script still ran
        #expect(bad.run.checks.first { $0.name == "hidden three" }?.status == .passed)
        // the instructor sees why; a student sees no file of hidden/
        #expect(bad.run.scriptError?.contains("hidden/a.lua:2") == true)
        #expect(StudentView.redacted(bad).run.scriptError?.contains("hidden/") == false)
        #expect(!GradescopeReport.render(bad).contains("hidden/a.lua"))
    }

    @Test func aSubmissionThatCannotLoadKeepsTheMaximum() throws {
        let (lab, dir) = try lab()
        let broken = try grade(lab, dir, answer: "return {")
        #expect(broken.maxScore == 6)
        #expect(broken.run.scriptError == nil)
        #expect(broken.run.submissionProblems.count == 1)
        #expect(broken.run.checks.filter { $0.status == .skipped }.map(\.name) == ["public", "hidden one", "hidden two"])
        let gs = GradescopeReport.render(broken)
        #expect(gs.contains("Your submission could not be used"))
        #expect(gs.components(separatedBy: "unexpected symbol").count == 2, "the load error is said once")
    }

    /// What lab.lua returns reaches each hidden script as `...`: helpers are written once.
    @Test func hiddenScriptsGetWhatTheLabReturns() throws {
        let dir = temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/hidden", withIntermediateDirectories: true)
        try #"""
            local function double(x) return 2 * x end
            check("public", function() expect(double(2), "2x", "count"):to_equal(4) end)
            return { double = double }
            """#.write(toFile: dir + "/lab.lua", atomically: true, encoding: .utf8)
        try #"""
            local shared = ...
            check("hidden", function() expect(shared.double(21), "2x", "count"):to_equal(42) end)
            """#.write(toFile: dir + "/hidden/a.lua", atomically: true, encoding: .utf8)
        let r = try grade(try LabLocation(dir), dir, answer: "return {}")
        #expect(r.run.scriptError == nil, "\(r.run.scriptError ?? "")")
        #expect(r.run.checks.map(\.status) == [.passed, .passed])
    }
}
