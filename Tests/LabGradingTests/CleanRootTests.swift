import Foundation
import Testing
@testable import LabGrading

/// The release tarball and the packages its binary makes, run where a course runs them:
/// a root with the base system only (no Swift toolchain, no Lua or libstdc++ library).
/// `make test` builds the tarball first (`make dist`).
@Suite(
    "The release in a clean root", .serialized,
    .enabled(if: CleanRoot.available, "bubblewrap cannot run here (apt-get install bubblewrap; it needs user namespaces): clean-root tests skipped"),
    .enabled(if: FileManager.default.fileExists(atPath: CleanRoot.tarball) || CleanRoot.distRequired,
             "no release tarball in dist/ (run `make dist`): clean-root tests skipped"))
struct CleanRootTests {
    static let labName = "08-ballooning"
    static let lab = "labs/\(labName)"
    static var solution: String { CommandTests.root.appendingPathComponent("\(lab)/solution/answer.lua").path }
    static var starter: String { CommandTests.root.appendingPathComponent("\(lab)/starter/answer.lua").path }

    /// The tarball unpacked on this machine once: its binary makes the packages.
    static let release: String? = {
        guard FileManager.default.fileExists(atPath: CleanRoot.tarball) else { return nil }
        let dir = temporaryFolder()
        guard (try? runHost("/bin/tar", ["-xzf", CleanRoot.tarball, "-C", dir, "--strip-components=1"]))?.code == 0 else { return nil }
        return dir + "/bin/hyperlab"
    }()

    func releaseBinary() throws -> String {
        try #require(Self.release, "\(CleanRoot.tarball) is missing or does not unpack: run `make dist`")
    }

    /// Packs the lab with the release binary; returns the zip.
    func pack(_ target: String) throws -> String {
        let zip = temporaryFolder() + "/\(target).zip"
        let r = try runHost(try releaseBinary(), ["pack", Self.lab, "--target", target, "--output", zip], in: CommandTests.root.path)
        try #require(r.code == 0, "pack --target \(target): \(r.out)")
        #expect(!r.out.contains("warning"), "\(r.out)")
        return zip
    }

    @Test func theBinaryNeedsOnlyGlibc235AndTheTarballIsSmall() throws {
        let elf = try #require(ELFLibraries(path: try releaseBinary()))
        #expect(elf.beyondGlibc.isEmpty, "needs \(elf.beyondGlibc)")
        let newest = try #require(elf.newestGlibc)
        #expect(newest <= (2, 35), "needs GLIBC_\(newest.0).\(newest.1); Ubuntu 22.04 has 2.35")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: CleanRoot.tarball)[.size] as? Int)
        #expect(size < 30_000_000, "the tarball is \(size) bytes")
    }

    /// The README's install command, then a student's loop in a lab of the release and in
    /// the student package: no answer yet, the starter, the solution, a file as --submission.
    @Test func theReleaseInstallsWithOneCommandAndChecksStudentsWork() throws {
        let work = temporaryFolder()
        try FileManager.default.copyItem(atPath: Self.solution, toPath: work + "/solution.lua")
        try FileManager.default.copyItem(atPath: try pack("student"), toPath: work + "/student.zip")
        let student = work + "/student"
        try unzip(work + "/student.zip", into: student)
        let dist = (CleanRoot.tarball as NSString).deletingLastPathComponent
        let root = try CleanRoot(binds: [(dist, "/dist"), (work, "/work")])
        let r = try root.run("""
            tar -xzf /dist/\((CleanRoot.tarball as NSString).lastPathComponent) -C /usr/local --strip-components=1 || exit 99
            echo "version: $(hyperlab --version)"
            test -f /usr/local/share/hyperlab/stdlib-lua/types/hyperlab.lua && echo "types: yes"
            test -e /usr/local/share/hyperlab/labs/\(Self.labName)/solution || test -e /usr/local/share/hyperlab/labs/\(Self.labName)/hidden || echo "no answers: yes"
            for dir in /usr/local/share/hyperlab/labs/\(Self.labName) /work/student/\(Self.labName); do
              cp -r "$dir" /tmp/lab && cd /tmp/lab
              hyperlab check > /tmp/none.txt 2>&1; echo "none: $?"
              grep -q 'cp starter/answer.lua .' /tmp/none.txt && echo "told to copy: yes"
              cp starter/answer.lua . && hyperlab check > /dev/null 2>&1; echo "starter: $?"
              cp /work/solution.lua answer.lua && hyperlab check > /dev/null 2>&1; echo "solution: $?"
              hyperlab check --submission answer.lua > /dev/null 2>&1; echo "answer file: $?"
              hyperlab run --submission lab.lua > /dev/null 2>&1; echo "other file: $?"
              cd /tmp && rm -rf /tmp/lab
            done
            """)
        #expect(r.out.contains("version: 0"), "\(r.out)")
        #expect(r.out.contains("types: yes") && r.out.contains("no answers: yes"), "\(r.out)")
        for expected in ["none: 4", "told to copy: yes", "starter: 1", "solution: 0", "answer file: 0", "other file: 4"] {
            #expect(r.out.components(separatedBy: "\n").filter { $0 == expected }.count == 2, "\(expected) twice in:\n\(r.out)")
        }
    }

    /// Gradescope's flow: setup.sh once, then run_autograder per submission; results.json
    /// gives the solution full marks and the starter less.
    @Test func gradescopeAutograderGradesInAStockRoot() throws {
        let zip = try pack("gradescope")
        var scores: [String: (Double, Double)] = [:]
        for (who, answer) in [("solution", Self.solution), ("starter", Self.starter)] {
            let ag = temporaryFolder()
            try unzip(zip, into: ag + "/source")
            for d in ["submission", "results"] { try FileManager.default.createDirectory(atPath: ag + "/" + d, withIntermediateDirectories: true) }
            try FileManager.default.copyItem(atPath: answer, toPath: ag + "/submission/answer.lua")
            let root = try CleanRoot(binds: [(ag, "/autograder")])
            let r = try root.run("""
                cd /autograder/source && ./setup.sh > /dev/null || exit 98
                cp /autograder/source/run_autograder /autograder/run_autograder
                cd /autograder && ./run_autograder > /autograder/results/stdout 2>&1; echo "exit: $?"
                """)
            #expect(r.out.contains("exit: 0"), "\(who): \(r.out)")
            let json = try #require(try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ag + "/results/results.json"))) as? [String: Any],
                                    "\(who): no results.json; \(r.out)")
            let tests = try #require(json["tests"] as? [[String: Any]])
            scores[who] = (json["score"] as? Double ?? -1, tests.compactMap { $0["max_score"] as? Double }.reduce(0, +))
        }
        let (solution, max) = try #require(scores["solution"])
        #expect(max > 0 && solution == max, "solution \(solution)/\(max)")
        #expect((scores["starter"]?.0 ?? max) < max, "starter \(String(describing: scores["starter"]))")
    }

    /// PrairieLearn's flow: /grade/serverFilesCourse, /grade/tests and /grade/student laid
    /// out from the package, the entry point made executable and run.
    @Test func prairieLearnEntryPointWritesResults() throws {
        let course = temporaryFolder()
        try unzip(try pack("prairielearn"), into: course)
        let info = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: course + "/questions/\(Self.labName)/info.json"))) as? [String: Any]
        let options = try #require(info?["externalGradingOptions"] as? [String: Any])
        let entry = try #require(options["entrypoint"] as? String)
        var scores: [String: Double] = [:]
        for (who, answer) in [("solution", Self.solution), ("starter", Self.starter)] {
            let grade = temporaryFolder()
            try FileManager.default.createDirectory(atPath: grade + "/serverFilesCourse", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: course + "/serverFilesCourse/hyperlab", toPath: grade + "/serverFilesCourse/hyperlab")
            try FileManager.default.copyItem(atPath: course + "/questions/\(Self.labName)/tests", toPath: grade + "/tests")
            try FileManager.default.createDirectory(atPath: grade + "/student", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: answer, toPath: grade + "/student/answer.lua")
            let root = try CleanRoot(binds: [(grade, "/grade")])
            let r = try root.run("chmod +x \(entry) && \(entry) > /tmp/out 2>&1; echo \"exit: $?\"")
            #expect(r.out.contains("exit: 0"), "\(who): \(r.out)")
            let json = try #require(try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: grade + "/results/results.json"))) as? [String: Any],
                                    "\(who): no /grade/results/results.json; \(r.out)")
            #expect(json["gradable"] as? Bool == true)
            scores[who] = json["score"] as? Double ?? -1
        }
        #expect(scores["solution"] == 1)
        #expect((scores["starter"] ?? 1) < 1, "starter \(String(describing: scores["starter"]))")
    }

    /// GitHub Classroom's flow: the workflow's step command in the template repository,
    /// its `result` output decoded as the grading reporter decodes it.
    @Test func classroomCommandHandsTheReporterItsResult() throws {
        let zip = try pack("github-classroom")
        var results: [String: (status: String, total: Double, max: Double, exit: String)] = [:]
        for (who, answer) in [("solution", Self.solution), ("starter", Self.starter)] {
            let repo = temporaryFolder()
            try unzip(zip, into: repo)
            try FileManager.default.removeItem(atPath: repo + "/answer.lua")
            try FileManager.default.copyItem(atPath: answer, toPath: repo + "/answer.lua")
            for f in ["output", "summary"] { FileManager.default.createFile(atPath: repo + "/.\(f)", contents: Data()) }
            let root = try CleanRoot(binds: [(repo, "/repo")])
            let r = try root.run("cd /repo && sh .hyperlab/grade; echo \"exit: $?\"",
                                 env: ["GITHUB_OUTPUT": "/repo/.output", "GITHUB_STEP_SUMMARY": "/repo/.summary", "RUNNER_TEMP": "/tmp", "GITHUB_ACTIONS": "true"])
            #expect(r.out.contains("::notice title=Autograding complete::Points"), "\(who): \(r.out)")
            let output = try String(contentsOfFile: repo + "/.output", encoding: .utf8)
            let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("result=") }, "\(who): no result output; \(r.out)")
            let decoded = try #require(Data(base64Encoded: String(line.dropFirst("result=".count))))
            let json = try #require(try JSONSerialization.jsonObject(with: decoded) as? [String: Any])
            let tests = try #require(json["tests"] as? [[String: Any]])
            #expect(json["version"] as? Double == 1)
            let exit = r.out.split(separator: "\n").last { $0.hasPrefix("exit: ") }.map(String.init) ?? "none"
            results[who] = (json["status"] as? String ?? "", tests.compactMap { $0["score"] as? Double }.reduce(0, +), json["max_score"] as? Double ?? 0, exit)
        }
        let s = try #require(results["solution"]), t = try #require(results["starter"])
        #expect(s.exit == "exit: 0" && t.exit == "exit: 0", "the step succeeds once results are written")
        #expect(s.status == "pass" && s.max > 0 && s.total == s.max, "solution \(s)")
        #expect(t.status == "fail" && t.total < t.max, "starter \(t)")
    }
}
