import Foundation
import Testing
@testable import LabGrading
@testable import LabRuntime

/// The gradebook read back from result files equals the one made from fresh results; the
/// CSV tells not graded from zero; the summary is aligned; files are written whole.
@Suite("Gradebook and result files")
struct GradebookTests {
    static func result(_ name: String, checks: [(String, Double, Double, CheckStatus)], error: String? = nil,
                       problems: [String] = [], notGraded: String? = nil, seed: UInt64 = 1) -> GradeResult {
        let outcomes = checks.map { c in CheckOutcome(name: c.0, points: c.1, score: c.2, status: c.3) }
        var run = LabRunResult(checks: outcomes, scriptError: error, scriptTraceback: nil, seed: seed, output: "printed\n",
                               eventLogDigest: "sha256:abc", events: 12, simulatedSeconds: 60, params: ["k": "v"])
        run.submissionProblems = problems
        var r = GradeResult(lab: "lab-x", submission: name, run: run)
        r.bundleHash = "sha256:bundle"
        r.notGraded = notGraded
        return r
    }

    /// One of each standing, with the awkward cases: sums of fractions, a seed above 2^53,
    /// names with commas and quotes, a reason over several lines, a check not in the plan.
    static let results: [GradeResult] = [
        result("ann", checks: [("first, with a comma", 1, 1, .passed), ("\"quoted\" check", 2, 2, .passed)]),
        result("bob", checks: [("first, with a comma", 1, 0.1, .failed), ("\"quoted\" check", 2, 0.2, .failed)],
               seed: UInt64.max),
        result("cat", checks: [("first, with a comma", 1, 0, .error), ("\"quoted\" check", 2, 0, .error)],
               error: "the worker was killed\n  (SIGKILL; out of memory?)"),
        result("dan", checks: [("first, with a comma", 1, 0, .skipped), ("computed at run time", 1, 0, .skipped)],
               problems: ["answer.lua:3: unexpected symbol near 'end'", "policy.lua: missing"]),
        result("eve", checks: [("first, with a comma", 1, 0, .error), ("\"quoted\" check", 2, 0, .error)],
               error: "the global time budget ran out", notGraded: "the global time budget ran out"),
    ]

    static var plan: CheckPlan {
        var p = CheckPlan(lab: LabLocation(file: "/no/such/lab.lua", directory: "/no/such", name: "lab-x"), hidden: nil)
        p.entries = [.init(name: "first, with a comma", points: 1, number: nil, hidden: false),
                     .init(name: "\"quoted\" check", points: 2, number: nil, hidden: false)]
        return p
    }

    @Test func aRowReadBackFromItsFileEqualsTheFreshOne() throws {
        for r in Self.results {
            let fresh = GradebookRow(r)
            let read = try GradebookRow(json: Data(JSONReport.render(r).utf8))
            #expect(read == fresh, "\(r.submission!)")
            #expect(read.origin == GradebookRow.Origin(lab: "lab-x", engine: Engine.description, bundle: "sha256:bundle"))
        }
        let fresh = Self.results.map(GradebookRow.init)
        let read = try Self.results.map { try GradebookRow(json: Data(JSONReport.render($0).utf8)) }
        #expect(Gradebook.csv(read, plan: Self.plan) == Gradebook.csv(fresh, plan: Self.plan))
        #expect(fresh.map(\.status) == [.passed, .failed, .error, .notLoaded, .notGraded])
        #expect(fresh[1].seed == UInt64.max && fresh[1].score == 0.3)
    }

    @Test func theCSVTellsNotGradedFromAZeroAndSaysWhy() throws {
        let csv = Gradebook.csv(Self.results.map(GradebookRow.init), plan: Self.plan)
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == #"submission,score,max_score,status,reason,seed,event_log,"first, with a comma","""quoted"" check",computed at run time"#)
        #expect(lines[1] == "ann,3,3,passed,,1,sha256:abc,1,2,")
        #expect(lines[2] == "bob,0.3,3,failed,,18446744073709551615,sha256:abc,0.1,0.2,")
        #expect(lines[3] == "cat,0,3,error,the worker was killed (SIGKILL; out of memory?),1,sha256:abc,0,0,")
        #expect(lines[4] == "dan,0,2,not_loaded,answer.lua:3: unexpected symbol near 'end'; policy.lua: missing,1,sha256:abc,0,,0")
        // no score, seed, event log or check cells: a spreadsheet cannot take it for a zero
        #expect(lines[5] == "eve,,3,not_graded,the global time budget ran out,,,,,")
        #expect(lines.count == 6)
    }

    @Test func theSummaryIsAlignedAndCountsErrorsAndNotGradedApart() throws {
        let rows = Self.results.map(GradebookRow.init)
        let text = Gradebook.summary(rows, seconds: 1234.56, jobs: 2, kept: 2, resumable: true)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[1], values = lines[2]
        #expect(header.hasPrefix("Submissions  Full marks  Errors  Not graded  Mean"))
        let cells = columnStarts(values)
        #expect(cells == columnStarts(header), "every value starts under its heading:\n\(header)\n\(values)")
        #expect(values.split(separator: " ", omittingEmptySubsequences: true).prefix(4) == ["5", "1", "2", "1"])
        // mean, min and max leave out the not-graded submission: 3 + 0.3 + 0 + 0 over 4
        #expect(values.contains("0.83/3") && values.contains("1234.6 s (2 jobs)"))
        #expect(text.contains("2 results kept from the earlier run, 3 graded now."))
        #expect(text.contains("Could not be graded or loaded (2):\n  cat  error       the worker was killed"))
        #expect(text.contains("  dan  not_loaded  answer.lua:3"))
        #expect(text.contains("Not graded (1); run the same command with --resume to grade only these:\n  the global time budget ran out: eve\n"))
    }

    /// Where each cell of a table line begins (cells are two or more spaces apart).
    func columnStarts(_ line: String) -> [Int] {
        var starts: [Int] = []
        let chars = Array(line)
        for i in chars.indices where chars[i] != " " && (i == 0 || (i >= 2 && chars[i - 1] == " " && chars[i - 2] == " ")) {
            starts.append(i)
        }
        return starts
    }

    @Test func tablePadsEveryColumnToItsWidestCell() {
        let t = Gradebook.table([["a", "bbbb", "c"], ["aaaaaa", "b", "cc"]])
        #expect(t == "a       bbbb  c\naaaaaa  b     cc\n")
    }

    @Test func atomicWritesReplaceWholeFilesAndLeaveNothingBehind() throws {
        let dir = temporaryFolder()
        let path = dir + "/r.json"
        try AtomicFile.write("first version, a long one\n", to: path)
        try AtomicFile.write("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["r.json"])
        // what a killed writer leaves is recognised and removed; nothing else is
        for name in [".r.json.4242.tmp", ".manifest.json", "s.tmp", ".x.tmp"] { try "x".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
        #expect(AtomicFile.removeLeftovers(in: dir) == 1)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["r.json", ".manifest.json", "s.tmp", ".x.tmp"])
        #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: dir + "/no/such/folder/r.json") }
        do { try AtomicFile.write("x", to: dir + "/no/such/folder/r.json") } catch {
            #expect("\(error)" == "cannot write \(dir)/no/such/folder/r.json: No such file or directory")
        }
    }

    @Test func aManifestFromAnotherRunIsDescribedDifferenceByDifference() throws {
        var g = Grader(lab: LabLocation(file: "/no/such/lab.lua", directory: "/no/such", name: "lab-x"), hidden: nil, seed: nil, params: [:])
        g.timeout = 300
        let now = ResultsFolder.Identity(g)
        let same = ResultsFolder.Manifest(kind: ResultsFolder.kind, lab: "lab-x", bundle: now.bundle, engine: now.engine, seed: nil,
                                          params: [:], timeout_seconds: 300, memory_mib: now.memoryMiB)
        #expect(ResultsFolder.differences(same, now).isEmpty)
        var other = same
        other.engine = "hyperlab 0.0.1"
        other.seed = 7
        other.params = ["vms": "4"]
        other.bundle = "sha256:old"
        #expect(ResultsFolder.differences(other, now) == [
            "was graded by hyperlab 0.0.1, this is \(Engine.description) (another engine version may grade differently)",
            "was graded with another version of lab-x's scripts (lab.lua and hidden/*.lua): bundle sha256:old then, \(now.bundle) now",
            "was graded with --seed 7, this run has the lab's own seed",
            "was graded with --param vms=4, this run has no --param",
        ])
        other = same
        other.lab = "lab-y"
        #expect(ResultsFolder.differences(other, now) == ["holds results of lab lab-y, not lab-x"])
    }
}
