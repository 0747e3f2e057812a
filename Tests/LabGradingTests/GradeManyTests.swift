import Foundation
import Testing
@testable import LabGrading
@testable import LabRuntime

/// grade-many loses nothing: killed, interrupted or out of time, the same command with
/// --resume grades only what is missing and writes the gradebook of an uninterrupted run.
@Suite("Class grading that loses nothing", .serialized)
struct GradeManyTests {
    static let lab = "labs/01-lazy-allocation"

    /// A class: copies of the solution and the starter (partial scores), and one submission
    /// that cannot be loaded.
    static func makeClass(_ count: Int) throws -> (folder: String, names: [String]) {
        let dir = temporaryFolder()
        var names: [String] = []
        for i in 1...count {
            let name = String(format: "s%03d", i)
            let from = i == 3 ? nil : i % 4 == 0 ? "starter" : "solution"
            try FileManager.default.createDirectory(atPath: dir + "/" + name, withIntermediateDirectories: true)
            if let from {
                try FileManager.default.copyItem(atPath: "\(CommandTests.root.path)/\(lab)/\(from)/answer.lua", toPath: "\(dir)/\(name)/answer.lua")
            } else {
                try "return {".write(toFile: "\(dir)/\(name)/answer.lua", atomically: true, encoding: .utf8)
            }
            names.append(name)
        }
        return (dir, names)
    }

    /// The submissions that have a result file in `out`.
    static func graded(_ out: String) -> Set<String> {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        return Set(files.filter { !$0.hasPrefix(".") && $0.hasSuffix(".json") }.map { String($0.dropLast(5)) })
    }

    /// The submissions a run printed a progress line for (standard output is not a terminal).
    static func progressLines(_ output: String, _ names: [String]) -> [String] {
        output.split(separator: "\n").compactMap { line in
            let first = line.split(separator: " ").first.map(String.init) ?? ""
            return !line.hasPrefix(" ") && names.contains(first) ? first : nil
        }
    }

    static func inode(_ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.systemFileNumber] as? UInt64
    }

    /// An uninterrupted run: its gradebook and result files, to compare with.
    static func reference(_ subs: String, _ extra: [String] = []) throws -> (out: String, csv: String) {
        let out = temporaryFolder() + "/results"
        let r = try hyperlabCommand(["grade-many", lab, "--submissions", subs, "--jobs", "2", "--out", out, "--csv", out + "/grades.csv"] + extra)
        #expect(r.code == 2, "one submission cannot be loaded: \(r.out)")
        return (out, try String(contentsOfFile: out + "/grades.csv", encoding: .utf8))
    }

    static func expectSameResults(_ a: String, _ b: String, _ names: [String]) throws {
        for n in names {
            #expect(FileManager.default.contents(atPath: "\(a)/\(n).json") == FileManager.default.contents(atPath: "\(b)/\(n).json"),
                    "\(n).json")
        }
    }

    @Test func killedHalfwayThenResumedGivesTheGradebookOfAnUninterruptedRun() throws {
        let (subs, names) = try Self.makeClass(80)
        let reference = try Self.reference(subs)
        let out = temporaryFolder() + "/results"
        let args = ["grade-many", Self.lab, "--submissions", subs, "--jobs", "2", "--out", out, "--csv", out + "/grades.csv"]

        let p = Process()
        p.executableURL = CommandTests.binary
        p.arguments = args
        p.currentDirectoryURL = CommandTests.root
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        while Self.graded(out).count < 10 && p.isRunning && Date() < deadline { usleep(5_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL)
        let before = Self.graded(out)
        try #require(before.count >= 10 && before.count < names.count, "killed halfway: \(before.count) of \(names.count) results")
        #expect(!FileManager.default.fileExists(atPath: out + "/grades.csv"))
        // a temporary file a killed writer could leave
        try "{\"partial".write(toFile: out + "/.s080.json.99999.tmp", atomically: false, encoding: .utf8)
        let inodes = before.sorted().map { Self.inode("\(out)/\($0).json") }

        let resumed = try hyperlabCommand(args + ["--resume"])
        #expect(resumed.code == 2, "\(resumed.out)")
        #expect(resumed.out.contains("\(before.count) of \(names.count) submissions already graded, \(names.count - before.count) to grade"))
        // exactly what was missing was graded, once each; what was there was kept as it was
        let regraded = Self.progressLines(resumed.out, names)
        #expect(regraded.count == names.count - before.count)
        #expect(Set(regraded) == Set(names).subtracting(before))
        #expect(before.sorted().map { Self.inode("\(out)/\($0).json") } == inodes)
        #expect(!FileManager.default.fileExists(atPath: out + "/.s080.json.99999.tmp"))
        #expect(try String(contentsOfFile: out + "/grades.csv", encoding: .utf8) == reference.csv)
        try Self.expectSameResults(out, reference.out, names)
        // the class has full marks, partial scores and one that could not be loaded
        #expect(reference.csv.contains("\ns003,0,") && reference.csv.contains(",not_loaded,answer.lua"))
        #expect(reference.csv.contains(",failed,,") && reference.csv.contains(",passed,,"))
    }

    @Test func cutShortEmptyOrForeignResultFilesAreGradedAgainNeverTrusted() throws {
        let (subs, names) = try Self.makeClass(6)
        let reference = try Self.reference(subs, ["--format", "junit"])
        let out = temporaryFolder() + "/results"
        let args = ["grade-many", Self.lab, "--submissions", subs, "--jobs", "2", "--out", out, "--csv", out + "/grades.csv",
                    "--format", "junit"]
        #expect(try hyperlabCommand(args).code == 2)
        // s001 cut short by a crash, s002 emptied, s004 from another lab version, s005 gone,
        // s006 without its --format file
        let s1 = try Data(contentsOf: URL(fileURLWithPath: out + "/s001.json"))
        try s1.prefix(s1.count / 2).write(to: URL(fileURLWithPath: out + "/s001.json"))
        try Data().write(to: URL(fileURLWithPath: out + "/s002.json"))
        let s4 = try String(contentsOfFile: out + "/s004.json", encoding: .utf8)
        try s4.replacingOccurrences(of: #""bundle": "sha256:"#, with: #""bundle": "sha256:0ld"#)
            .write(toFile: out + "/s004.json", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: out + "/s005.json")
        try FileManager.default.removeItem(atPath: out + "/s006.xml")

        let resumed = try hyperlabCommand(args + ["--resume"])
        #expect(resumed.code == 2)
        #expect(resumed.out.contains("\(out)/s001.json is not a whole result file (cut short by a crash, or edited?): grading s001 again"))
        #expect(resumed.out.contains("\(out)/s002.json is empty (cut short by a crash?): grading s002 again"))
        #expect(resumed.out.contains("\(out)/s004.json is a result of another run (bundle sha256:0ld"))
        #expect(Set(Self.progressLines(resumed.out, names)) == ["s001", "s002", "s004", "s005", "s006"])
        #expect(try String(contentsOfFile: out + "/grades.csv", encoding: .utf8) == reference.csv)
        try Self.expectSameResults(out, reference.out, names)
        #expect(FileManager.default.fileExists(atPath: out + "/s006.xml"))
    }

    @Test func aResumeFolderFromAnotherLabEngineOrOptionsIsRefusedSayingWhy() throws {
        let (subs, _) = try Self.makeClass(3)
        // a copy of the lab, so that its script can change
        let labCopy = temporaryFolder() + "/01-lazy-allocation"
        try FileManager.default.copyItem(atPath: "\(CommandTests.root.path)/\(Self.lab)", toPath: labCopy)
        let out = temporaryFolder() + "/results"
        func grade(_ lab: String, _ extra: [String]) throws -> (code: Int32, out: String) {
            try hyperlabCommand(["grade-many", lab, "--submissions", subs, "--jobs", "2", "--out", out] + extra)
        }
        #expect(try grade(labCopy, []).code == 2)
        let snapshot = try folderContents(out)

        let again = try grade(labCopy, [])
        #expect(again.code == 4)
        #expect(again.out.contains("--out \(out) holds the results of an earlier grade-many run (.manifest.json): add --resume"))
        let other = try grade("labs/08-ballooning", ["--resume"])
        #expect(other.code == 4)
        #expect(other.out.contains("--resume refused: \(out) holds results of lab 01-lazy-allocation, not 08-ballooning"))
        let seed = try grade(labCopy, ["--resume", "--seed", "5", "--timeout", "20"])
        #expect(seed.code == 4)
        #expect(seed.out.contains("was graded with the lab's own seed, this run has --seed 5; was graded with --timeout 25, this run has --timeout 20"))

        let manifest = out + "/.manifest.json"
        let original = try String(contentsOfFile: manifest, encoding: .utf8)
        try original.replacingOccurrences(of: "\"engine\": \"\(Engine.description)\"", with: "\"engine\": \"hyperlab 0.0.1\"")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let engine = try grade(labCopy, ["--resume"])
        #expect(engine.code == 4)
        #expect(engine.out.contains("was graded by hyperlab 0.0.1, this is \(Engine.description) (another engine version may grade differently)"))
        try String(original.prefix(40)).write(toFile: manifest, atomically: true, encoding: .utf8)
        let cut = try grade(labCopy, ["--resume"])
        #expect(cut.code == 4)
        #expect(cut.out.contains("--resume refused: \(manifest) cannot be read as a grade-many manifest"))
        try original.write(toFile: manifest, atomically: true, encoding: .utf8)

        let script = labCopy + "/lab.lua"
        try (String(contentsOfFile: script, encoding: .utf8) + "\n-- a change\n").write(toFile: script, atomically: true, encoding: .utf8)
        let changed = try grade(labCopy, ["--resume"])
        #expect(changed.code == 4)
        #expect(changed.out.contains("was graded with another version of 01-lazy-allocation's scripts (lab.lua and hidden/*.lua): bundle sha256:"))
        // no refused run graded or wrote anything
        #expect(try folderContents(out) == snapshot)

        let noOut = try hyperlabCommand(["grade-many", Self.lab, "--submissions", subs, "--resume"])
        #expect(noOut.code == 4 && noOut.out.contains("--resume needs --out DIR"))
        let empty = temporaryFolder()
        let nothing = try hyperlabCommand(["grade-many", Self.lab, "--submissions", subs, "--out", empty, "--resume"])
        #expect(nothing.code == 4 && nothing.out.contains("holds no .manifest.json, so it is not a grade-many results folder"))
    }

    func folderContents(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: dir) { out[f] = FileManager.default.contents(atPath: dir + "/" + f) }
        return out
    }

    @Test func outOfTimeOrInterruptedIsNotGradedNotZeroAndResumeFinishesIt() throws {
        let (subs, names) = try Self.makeClass(30)
        let reference = try Self.reference(subs, ["--format", "tap"])

        // the global time budget runs out at once: whatever did not start is not graded
        let late = temporaryFolder() + "/results"
        let args = ["grade-many", Self.lab, "--submissions", subs, "--jobs", "2", "--out", late, "--csv", late + "/grades.csv", "--format", "tap"]
        let r = try hyperlabCommand(args + ["--global-timeout", "0.001"])
        #expect(r.code == 124, "\(r.out)")
        let csv = try String(contentsOfFile: late + "/grades.csv", encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().filter { $0.contains(",not_graded,") }
        try #require(rows.count >= names.count - 2)
        for row in rows {
            let f = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect(f[1] == "" && f[3] == "not_graded" && f[4] == "the global time budget (--global-timeout 0.001 s) ran out")
            #expect(f[5...].allSatisfy { $0.isEmpty }, "no seed, event log or check score: \(row)")
            #expect(!FileManager.default.fileExists(atPath: "\(late)/\(f[0]).tap"), "no student-facing file for \(f[0])")
        }
        #expect(r.out.contains("Not graded (\(rows.count)); run the same command with --resume to grade only these:"))
        let resumed = try hyperlabCommand(args + ["--resume"])
        #expect(resumed.code == 2)
        #expect(Self.progressLines(resumed.out, names).count == rows.count)
        #expect(try String(contentsOfFile: late + "/grades.csv", encoding: .utf8) == reference.csv)
        try Self.expectSameResults(late, reference.out, names)

        // SIGTERM: the runs in flight and the rest are not graded, every result is written
        let stopped = temporaryFolder() + "/results"
        let stopArgs = ["grade-many", Self.lab, "--submissions", subs, "--jobs", "2", "--out", stopped, "--csv", stopped + "/grades.csv",
                        "--format", "tap"]
        let p = Process()
        p.executableURL = CommandTests.binary
        p.arguments = stopArgs
        p.currentDirectoryURL = CommandTests.root
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        while Self.graded(stopped).count < 3 && p.isRunning { usleep(5_000) }
        p.terminate()
        p.waitUntilExit()
        #expect(p.terminationStatus == 128 + SIGTERM)
        #expect(Self.graded(stopped).count == names.count, "a result for every submission")
        let stoppedCSV = try String(contentsOfFile: stopped + "/grades.csv", encoding: .utf8)
        #expect(stoppedCSV.contains(",not_graded,grading was interrupted (SIGTERM),"))
        #expect(try hyperlabCommand(stopArgs + ["--resume"]).code == 2)
        #expect(try String(contentsOfFile: stopped + "/grades.csv", encoding: .utf8) == reference.csv)
        try Self.expectSameResults(stopped, reference.out, names)
    }

    @Test func withoutATerminalEachSubmissionGetsOneLine() throws {
        let (subs, names) = try Self.makeClass(5)
        let r = try hyperlabCommand(["grade-many", Self.lab, "--submissions", subs, "--jobs", "2"], stdoutOnly: true)
        #expect(r.code == 2)
        let line = try Regex(#"^(s\d{3})  +(\S+)/(\S+)  +(passed|failed|error|not_loaded|not_graded)  +\d+\.\d\d s(  .*)?$"#)
        let matched = r.out.split(separator: "\n").compactMap { try? line.wholeMatch(in: String($0)) }
        #expect(matched.compactMap { $0.output[1].substring.map(String.init) }.sorted() == names)
        let statuses = Dictionary(uniqueKeysWithValues: matched.map { ($0.output[1].substring!, $0.output[4].substring!) })
        #expect(statuses == ["s001": "passed", "s002": "passed", "s003": "not_loaded", "s004": "failed", "s005": "passed"])
        let bad = try #require(matched.first { $0.output[1].substring == "s003" })
        #expect(bad.output[2].substring == "0" && bad.output[5].substring?.contains("answer.lua") == true, "the reason is on the line")
        // the summary counts the submission that could not be loaded among the errors
        let lines = r.out.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("Submissions") })
        let values = lines[header + 1].split(separator: " ", omittingEmptySubsequences: true)
        #expect(values.prefix(4) == ["5", "3", "1", "0"], "\(lines[header + 1])")
    }

    @Test func aResultThatCannotBeWrittenIsSaidAndExits3AfterGradingTheRest() throws {
        let (subs, names) = try Self.makeClass(4)
        let out = temporaryFolder() + "/results"
        // a folder where s002's result must go: rename(2) cannot replace it
        try FileManager.default.createDirectory(atPath: out + "/s002.json", withIntermediateDirectories: true)
        let r = try hyperlabCommand(["grade-many", Self.lab, "--submissions", subs, "--jobs", "2", "--out", out, "--csv", out + "/grades.csv"])
        #expect(r.code == 3, "\(r.out)")
        #expect(r.out.contains("hyperlab: cannot write \(out)/s002.json: Is a directory"))
        #expect(r.out.contains("Some results could not be written"))
        #expect(Self.graded(out) == Set(names))
        #expect(try String(contentsOfFile: out + "/grades.csv", encoding: .utf8).split(separator: "\n").count == names.count + 1)
        // a gradebook that could not be written is found out before anything is graded
        let csv = try hyperlabCommand(["grade-many", Self.lab, "--submissions", subs, "--csv", out + "/no/such/grades.csv"])
        #expect(csv.code == 4 && csv.out.contains("--csv \(out)/no/such/grades.csv: \(out)/no/such: no such folder"))
    }

    @Test func aResultsFolderAmongTheSubmissionsIsNotASubmission() throws {
        let (subs, names) = try Self.makeClass(3)
        let args = ["grade-many", Self.lab, "--submissions", subs, "--jobs", "2", "--out", subs + "/results"]
        let first = try hyperlabCommand(args)
        #expect(Self.progressLines(first.out, names + ["results"]).sorted() == names)
        let resumed = try hyperlabCommand(args + ["--resume"])
        #expect(resumed.code == 2)
        #expect(resumed.out.contains("3 of 3 submissions already graded, 0 to grade"))
        #expect(Self.progressLines(resumed.out, names + ["results"]).isEmpty)
    }
}
