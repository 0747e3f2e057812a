import Foundation
import Testing
@testable import LabGrading
import LabRuntime

/// What each package holds, what pack refuses, and the one rule for the default submission.
/// Packing here uses a small file as --binary: the contents are what is tested; the real
/// binary runs in the clean-root tests.
@Suite("pack targets and submissions", .serialized)
struct PackageTests {
    func fakeBinary() throws -> String {
        let path = temporaryFolder() + "/hyperlab"
        try "not an ELF file".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func entries(_ args: [String]) throws -> [String: (Data, UInt32)] {
        let zip = temporaryFolder() + "/p.zip"
        let r = try hyperlabCommand(["pack"] + args + ["--output", zip, "--binary", try fakeBinary()])
        try #require(r.code == 0, "\(r.out)")
        return readStoredZip(try Data(contentsOf: URL(fileURLWithPath: zip)))
    }

    @Test func prairieLearnQuestionHasTheExternalGraderLayout() throws {
        let e = try entries(["labs/08-ballooning", "--target", "prairielearn"])
        let q = "questions/08-ballooning/"
        #expect(Set(e.keys) == Set([
            "serverFilesCourse/hyperlab/hyperlab.gz", q + "info.json", q + "question.html", q + "tests/run.sh",
            q + "tests/lab/lab.lua", q + "tests/lab/README.md", q + "tests/lab/hidden/more-caps.lua",
            q + "clientFilesQuestion/README.md", q + "clientFilesQuestion/lab.lua", q + "clientFilesQuestion/answer.lua",
        ]))
        let info = try #require(try JSONSerialization.jsonObject(with: e[q + "info.json"]!.0) as? [String: Any])
        let options = try #require(info["externalGradingOptions"] as? [String: Any])
        #expect(options["entrypoint"] as? String == "/grade/tests/run.sh")
        #expect(options["image"] as? String == "ubuntu:22.04")
        #expect((options["timeout"] as? Double ?? 0) <= 600)
        #expect(info["uuid"] as? String == PrairieLearnPackage.uuid("08-ballooning"))
        #expect(PrairieLearnPackage.uuid("a") != PrairieLearnPackage.uuid("b"))
        let run = String(decoding: e[q + "tests/run.sh"]!.0, as: UTF8.self)
        #expect(run.contains("/student") && run.contains("prairielearn:$ROOT/results/results.json"))
        #expect(e[q + "tests/run.sh"]!.1 == 0o100755)
        #expect(!e.keys.contains { $0.contains("clientFiles") && $0.contains("hidden") }, "students never get hidden/")
    }

    @Test func classroomTemplateIsTheStudentsRepository() throws {
        let e = try entries(["labs/08-ballooning", "--target", "github-classroom"])
        #expect(e.keys.contains("answer.lua") && e.keys.contains("lab.lua") && e.keys.contains(".hyperlab/hyperlab.gz"))
        #expect(!e.keys.contains { $0.contains("hidden") || $0.contains("solution") || $0.hasPrefix("starter/") })
        let workflow = String(decoding: e[".github/workflows/classroom.yml"]!.0, as: UTF8.self)
        #expect(workflow.contains("classroom-resources/autograding-grading-reporter@v1"))
        #expect(workflow.contains("HYPERLAB_RESULTS: \"${{ steps.hyperlab.outputs.result }}\"") && workflow.contains("runners: hyperlab"))
        let readme = String(decoding: e["README.md"]!.0, as: UTF8.self)
        #expect(!readme.contains("Copy `starter/`") && !readme.contains("labs/08-ballooning"))
    }

    @Test func packRefusesWhatWouldMakeABrokenPackage() throws {
        let dir = temporaryFolder()
        // no solution/ to verify
        var r = try hyperlabCommand(["pack", "Tests/Hostile/lab", "--output", dir + "/a.zip"])
        #expect(r.code == 4 && r.out.contains("has no solution/"), "\(r.out)")
        // a solution that loses points: nothing written
        let lab = dir + "/lab"
        try FileManager.default.createDirectory(atPath: lab + "/solution", withIntermediateDirectories: true)
        try "check(\"wrong\", { points = 1 }, function() expect(1, \"one\"):to_equal(2) end)\n".write(toFile: lab + "/lab.lua", atomically: true, encoding: .utf8)
        r = try hyperlabCommand(["pack", lab, "--output", dir + "/b.zip"])
        #expect(r.code == 1 && r.out.contains("not packed: the solution scores 0/1") && r.out.contains("wrong"), "\(r.out)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/b.zip"))
        // the student package needs a starter
        r = try hyperlabCommand(["pack", lab, "--target", "student", "--output", dir + "/c.zip"])
        #expect(r.code == 4 && r.out.contains("has no starter/"), "\(r.out)")
        // a zip that cannot be written
        r = try hyperlabCommand(["pack", "labs/08-ballooning", "--target", "student", "--output", dir + "/no/such/folder/s.zip"])
        #expect(r.code == 3 && r.out.contains("does not exist"), "\(r.out)")
        r = try hyperlabCommand(["pack", "labs/08-ballooning", "--target", "student", "--output", dir])
        #expect(r.code == 3 && r.out.contains("it is a folder"), "\(r.out)")
        r = try hyperlabCommand(["pack", "labs/08-ballooning", "--target", "moodle"])
        #expect(r.code == 4 && r.out.contains("github-classroom"), "\(r.out)")
    }

    @Test func aDynamicBinaryIsWarnedAbout() throws {
        let elf = try #require(ELFLibraries(path: CommandTests.binary.path))
        #expect(elf.needed.contains("libc.so.6"))
        #expect(ELFLibraries(path: try fakeBinary()) == nil)
        let zip = temporaryFolder() + "/d.zip"
        let r = try hyperlabCommand(["pack", "labs/08-ballooning", "--target", "student", "--output", zip])
        #expect(!r.out.contains("warning"))
        if !elf.beyondGlibc.isEmpty {  // the debug build links the Swift runtime dynamically
            let g = try hyperlabCommand(["pack", "Tests/Hostile/lab", "--no-verify", "--output", zip])
            #expect(g.out.contains("will not start in a stock grader image") && g.out.contains(elf.beyondGlibc[0]), "\(g.out)")
        }
    }

    /// The rule `run`, `check` and `grade` share (SubmissionChoice).
    @Test func defaultSubmissionFollowsOneRule() throws {
        let lab = temporaryFolder()
        try FileManager.default.createDirectory(atPath: lab + "/starter", withIntermediateDirectories: true)
        try "return {}\n".write(toFile: lab + "/starter/answer.lua", atomically: true, encoding: .utf8)
        try "check(\"c\", { points = 1 }, function() end)\n".write(toFile: lab + "/lab.lua", atomically: true, encoding: .utf8)
        let location = try LabLocation(lab)
        let elsewhere = temporaryFolder()
        #expect(SubmissionChoice.answerFiles(of: location) == ["answer.lua"])
        // nothing yet: told to copy the starter
        #expect(throws: UsageError.self) { try SubmissionChoice.resolve(nil, lab: location, currentFolder: elsewhere) }
        do { _ = try SubmissionChoice.resolve(nil, lab: location, currentFolder: lab) } catch let e as UsageError {
            #expect(e.message.contains("the current folder holds none") && e.message.contains("cp starter/answer.lua ."))
        }
        // a solution/ is the author's default
        try FileManager.default.createDirectory(atPath: lab + "/solution", withIntermediateDirectories: true)
        #expect(try SubmissionChoice.resolve(nil, lab: location, currentFolder: elsewhere) == lab + "/solution")
        // answer.lua beside lab.lua wins over solution/; the current folder's wins over both
        try "return {}\n".write(toFile: lab + "/answer.lua", atomically: true, encoding: .utf8)
        #expect(try SubmissionChoice.resolve(nil, lab: location, currentFolder: elsewhere) == lab)
        try "return {}\n".write(toFile: elsewhere + "/answer.lua", atomically: true, encoding: .utf8)
        #expect(try SubmissionChoice.resolve(nil, lab: location, currentFolder: elsewhere) == ".")
        // --submission: a folder, its answer.lua, never another file
        #expect(try SubmissionChoice.resolve(elsewhere, lab: location) == elsewhere)
        #expect(try SubmissionChoice.resolve(elsewhere + "/answer.lua", lab: location) == elsewhere)
        do { _ = try SubmissionChoice.resolve(lab + "/lab.lua", lab: location); Issue.record("a file that is not answer.lua was taken") } catch let e as UsageError {
            #expect(e.message.contains("is a file, not a folder") && e.message.contains("answer.lua"))
        }
        #expect(throws: UsageError.self) { try SubmissionChoice.resolve(lab + "/nothing", lab: location) }
        // a lab without starter/ reads no submission: nothing is required
        let single = try LabLocation(CommandTests.root.appendingPathComponent("Tests/Fixtures/broken-lab.lua").path)
        #expect(try SubmissionChoice.resolve(nil, lab: single, currentFolder: elsewhere + "/..") == nil)
    }

    @Test func checkAndRunShareTheRuleOnTheCommandLine() throws {
        let r = try hyperlabCommand(["check", "labs/08-ballooning", "--submission", "labs/08-ballooning/solution/answer.lua"])
        #expect(r.code == 0, "\(r.out)")
        let run = try hyperlabCommand(["run", "labs/08-ballooning", "--submission", "labs/08-ballooning/lab.lua"])
        #expect(run.code == 4 && run.out.contains("is a file, not a folder"), "\(run.out)")
        let grade = try hyperlabCommand(["grade", "labs/08-ballooning", "--submission", "labs/08-ballooning/README.md"])
        #expect(grade.code == 4 && grade.out.contains("is a file, not a folder"), "\(grade.out)")
    }

    /// GitHub Classroom's runner result, as the grading reporter reads it.
    @Test func classroomResultIsWhatTheReporterAddsUp() throws {
        var run = LabRunResult(checks: [], scriptError: nil, scriptTraceback: nil, seed: 1, output: "", eventLogDigest: "sha256:0",
                               events: 0, simulatedSeconds: 0, params: [:])
        var a = CheckOutcome(name: "a", points: 2, score: 2, status: .passed)
        a.location = "lab.lua:3"
        var b = CheckOutcome(name: "secret", points: 3, score: 1, status: .failed)
        b.hidden = true
        b.message = "expected 42"
        run.checks = [a, b, CheckOutcome(name: "slow", points: 1, score: 0, status: .timeout)]
        let r = GradeResult(lab: "l", submission: "s", run: run)
        let line = ClassroomReport.stepOutput(r)
        #expect(line.hasPrefix("result=") && line.hasSuffix("\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(base64Encoded: String(line.dropFirst(7).dropLast()))!) as? [String: Any])
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(json["version"] as? Double == 1 && json["max_score"] as? Double == 6 && json["status"] as? String == "error")
        #expect(tests.compactMap { $0["score"] as? Double }.reduce(0, +) == 3)
        #expect(tests.map { $0["status"] as? String } == ["pass", "fail", "error"])
        #expect(tests[0]["filename"] as? String == "lab.lua" && tests[0]["line_no"] as? Double == 3)
        #expect(tests[1]["name"] as? String == "hidden check" && !(tests[1]["message"] as? String ?? "").contains("42"))
    }
}
