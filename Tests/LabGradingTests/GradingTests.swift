import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import LabGrading
@testable import LabRuntime

/// Runs the hyperlab binary from the repository root; returns its exit code and output.
func hyperlabCommand(_ args: [String], stdoutOnly: Bool = false) throws -> (code: Int32, out: String) {
    let p = Process()
    p.executableURL = CommandTests.binary
    p.arguments = args
    p.currentDirectoryURL = CommandTests.root
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = stdoutOnly ? FileHandle.nullDevice : pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

func temporaryFolder() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hyperlab-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

@Suite("Grading in workers", .serialized)
struct GradingTests {
    /// Every hostile submission ends as failed or errored checks within its limits; the
    /// good one keeps full marks; the runner finishes, with a result for every check.
    @Test func hostileSubmissionsAreContained() throws {
        let out = temporaryFolder()
        let started = Date()
        let r = try hyperlabCommand(["grade-many", "Tests/Hostile/lab", "--submissions", "Tests/Hostile/subs", "--jobs", "2",
                                     "--timeout", "8", "--csv", out + "/grades.csv", "--out", out])
        #expect(Date().timeIntervalSince(started) < 120)
        #expect(r.code == 0 || r.code == 2, "\(r.out)")
        let rows = try String(contentsOfFile: out + "/grades.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let subs = try FileManager.default.contentsOfDirectory(atPath: "\(CommandTests.root.path)/Tests/Hostile/subs")
        #expect(subs.count >= 60)   // the issue asks for at least 60 hostile submissions
        #expect(rows.count == subs.count)
        for row in rows {
            let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(f[2] == "4", "\(f[0]): every planned check has a result")
            // submissions that attack the lab's world but answer right: contained, they keep full marks
            let contained = ["70-", "71-", "72-", "73-", "74-", "78-"].contains { f[0].hasPrefix($0) }
            if f[0] == "00-good" || f[0] == "34-hidden-global" || contained {
                #expect(f[1] == "4", "\(f[0]) keeps full marks")
            } else {
                #expect(Double(f[1])! < 4, "\(f[0]) must not score full marks")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/hyperlab-pwned"))
        // the pattern that once held its worker until the timeout now stops at the budget
        let json = try String(contentsOfFile: out + "/09-uninterruptible-pattern.json", encoding: .utf8)
        #expect(json.contains("instruction limit exceeded"))
        #expect(!json.contains("timed out"))
    }

    @Test func sameResultsWithOneOrTwoJobs() throws {
        let subs = temporaryFolder()
        for (name, from) in [("a", "solution"), ("b", "starter"), ("c", "solution"), ("d", "starter")] {
            let dst = subs + "/" + name
            try FileManager.default.createDirectory(atPath: dst, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(CommandTests.root.path)/labs/08-ballooning/\(from)/answer.lua", toPath: dst + "/answer.lua")
        }
        var outputs: [String] = []
        for jobs in ["1", "2"] {
            let out = temporaryFolder()
            let r = try hyperlabCommand(["grade-many", "labs/08-ballooning", "--submissions", subs, "--jobs", jobs, "--csv", out + "/g.csv", "--out", out])
            #expect(r.code == 0)
            var all = try String(contentsOfFile: out + "/g.csv", encoding: .utf8)
            for n in ["a", "b", "c", "d"] { all += try String(contentsOfFile: "\(out)/\(n).json", encoding: .utf8) }
            outputs.append(all)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].contains("a,10,10,passed"))
        // shard 2 of 2 is every second submission from the second: b and d
        let shard = try hyperlabCommand(["grade-many", "labs/08-ballooning", "--submissions", subs, "--shard", "2/2"], stdoutOnly: true)
        let lines = shard.out.split(separator: "\n")
        #expect(lines.compactMap { $0.split(separator: " ").first }.filter { ["a", "b", "c", "d"].contains($0) }.sorted() == ["b", "d"])
        let header = try #require(lines.firstIndex { $0.hasPrefix("Submissions") })
        #expect(lines[header + 1].hasPrefix("2  "))
    }

    @Test func everyFormat() throws {
        let args = ["grade", "labs/08-ballooning", "--submission", "labs/08-ballooning/starter", "--format"]
        let tap = try hyperlabCommand(args + ["tap"], stdoutOnly: true)
        #expect(tap.code == 1)
        let lines = tap.out.split(separator: "\n")
        #expect(lines.first == "TAP version 14")
        #expect(lines[1] == "1..6")
        #expect(lines.filter { $0.hasPrefix("not ok ") }.count == 6)
        #expect(tap.out.contains("# seed: 1"))

        let junit = try hyperlabCommand(args + ["junit"], stdoutOnly: true).out
        let doc = try XMLDocument(xmlString: junit)
        #expect(try doc.nodes(forXPath: "//testcase").count == 6)
        #expect(try doc.nodes(forXPath: "//testcase/failure").count == 6)
        #expect(try doc.nodes(forXPath: "//testsuite/properties/property[@name='seed']").count == 1)

        let gs = try JSONSerialization.jsonObject(with: Data(try hyperlabCommand(args + ["gradescope"], stdoutOnly: true).out.utf8)) as! [String: Any]
        #expect((gs["tests"] as! [Any]).count == 6)
        #expect(gs["score"] as! Double == 0)
        #expect((gs["extra_data"] as! [String: Any])["bundle"] as! String != "")

        let pl = try JSONSerialization.jsonObject(with: Data(try hyperlabCommand(args + ["prairielearn"], stdoutOnly: true).out.utf8)) as! [String: Any]
        #expect(pl["score"] as! Double == 0)
        #expect(pl["gradable"] as! Bool == true)

        let gh = try hyperlabCommand(args + ["github"], stdoutOnly: true).out
        #expect(gh.contains("::error file=lab.lua,line="))
        #expect(gh.contains("::notice title=Autograding complete::Points 0/10"))
    }

    @Test func hiddenChecksStayHidden() throws {
        let bad = temporaryFolder()
        try "return { value = 42, f = function() return 41 end }".write(toFile: bad + "/answer.lua", atomically: true, encoding: .utf8)
        let gs = try hyperlabCommand(["grade", "Tests/Hostile/lab", "--submission", bad, "--format", "gradescope"], stdoutOnly: true).out
        #expect(gs.contains("A hidden check did not pass."))
        #expect(!gs.contains("secret sum"))
        #expect(!gs.contains("hidden/secret.lua"))
        let object = try JSONSerialization.jsonObject(with: Data(gs.utf8)) as! [String: Any]
        let secret = (object["tests"] as! [[String: Any]]).first { $0["name"] as? String == "secret hidden check" }
        #expect(secret?["visibility"] as? String == "hidden")
        // the student's own check never runs hidden checks
        let check = try hyperlabCommand(["check", "Tests/Hostile/lab", "--submission", bad])
        #expect(!check.out.contains("secret"))
        #expect(check.out.contains("Hidden checks, if the lab has any, run when your work is graded."))
        // the instructor's JSON shows everything
        let json = try hyperlabCommand(["grade", "Tests/Hostile/lab", "--submission", bad], stdoutOnly: true).out
        #expect(json.contains("the secret sum: expected 84, got 83"))
    }

    @Test func aWorkerOutOfTimeStillGivesEveryCheck() throws {
        let r = try hyperlabCommand(["grade", "labs/10-reservations-limits-idle-tax", "--submission",
                                     "labs/10-reservations-limits-idle-tax/solution", "--timeout", "0.3"], stdoutOnly: true)
        #expect(r.code == 2)
        let o = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let checks = o["checks"] as! [[String: Any]]
        let lab = try LabLocation("labs/10-reservations-limits-idle-tax")
        let plan = CheckPlan(lab: lab, hidden: LabRunner.hiddenFolder(of: lab))
        #expect(checks.count == plan.entries.count)
        #expect(o["max_score"] as! Double == plan.maxScore)
        #expect(checks.contains { $0["status"] as? String == "timeout" && ($0["message"] as? String)?.contains("timed out after 0.3 s") == true })
    }

    @Test func resultsAreWrittenOnSIGTERM() throws {
        let out = temporaryFolder() + "/r.json"
        // Runs each call to its 10 s wall limit: formatting 1e308 with 99 decimals takes
        // microseconds for a few instructions.
        let slow = temporaryFolder()
        try """
            return { value = 42, f = function()
              for _ = 1, 1e9 do local _ = string.format("%99.99f", 1e308) end
              return 42
            end }
            """.write(toFile: slow + "/answer.lua", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = CommandTests.binary
        p.arguments = ["grade", "Tests/Hostile/lab", "--submission", slow,
                       "--report", "json:" + out, "--format", "tap"]
        p.currentDirectoryURL = CommandTests.root
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 1.5)
        p.terminate()
        p.waitUntilExit()
        #expect(p.terminationStatus == 128 + SIGTERM)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("grading was interrupted (SIGTERM)"))
        #expect(text.contains("\"secret hidden check\""))
    }
}
