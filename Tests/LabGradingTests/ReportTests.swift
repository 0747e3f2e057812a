import Foundation
import Testing
@testable import LabGrading
@testable import LabRuntime

@Suite("Result formats")
struct ReportTests {
    func sample() -> GradeResult {
        var failed = CheckOutcome(name: "balloon \"bound\"", points: 2, score: 0.5, status: .failed)
        failed.message = "ballooned memory: expected at most 5.20 GiB, got 6.10 GiB"
        failed.expected = "at most 5.20 GiB"
        failed.actual = "6.10 GiB"
        failed.hint = "Apply\tmore pressure.\n"
        failed.tags = ["memory"]
        let run = LabRunResult(
            checks: [CheckOutcome(name: "ok", points: 1, score: 1, status: .passed), failed], scriptError: nil,
            scriptTraceback: nil, seed: 7, output: "line\n", eventLogDigest: "sha256:abc", events: 3, simulatedSeconds: 600,
            params: ["hosts": "10"])
        return GradeResult(lab: "01-lab", submission: "alice", run: run)
    }

    @Test func jsonIsStableSortedAndEscaped() {
        let json = JSONReport.render(sample())
        #expect(json == JSONReport.render(sample()))
        #expect(json.contains(#""name": "balloon \"bound\"""#))
        #expect(json.contains(#""hint": "Apply\tmore pressure.\n""#))
        #expect(json.contains(#""score": 1.5"#))
        #expect(json.contains(#""max_score": 3"#))
        #expect(json.contains(#""status": "failed""#))
        #expect(json.contains(#""seed": 7"#))
        #expect(json.contains(#""engine": "hyperlab \#(Engine.version)""#))
        let keys = json.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == keys.sorted())
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(parsed?["lab"] as? String == "01-lab")
    }

    @Test func exitCodes() {
        var r = sample()
        #expect(r.exitCode == 1)
        r.run.checks = [CheckOutcome(name: "ok", points: 1, score: 1, status: .passed)]
        #expect(r.exitCode == 0)
        r.run.scriptError = "lab.lua:3: boom"
        #expect(r.exitCode == 2)
        #expect(r.status == .error)
    }

    @Test func prettyShowsWhyAndHints() {
        let text = PrettyReport(color: false).render(sample())
        #expect(text.contains("✓ ok"))
        #expect(text.contains("✗ balloon \"bound\""))
        #expect(text.contains("0.5/2"))
        #expect(text.contains("ballooned memory: expected at most 5.20 GiB, got 6.10 GiB"))
        #expect(text.contains("hint: Apply"))
        #expect(text.contains("Score: 1.5/3 — 1 of 2 checks passed"))
        #expect(!text.contains("\u{1B}["))
        #expect(PrettyReport(color: true).render(sample()).contains("\u{1B}[32m"))
    }

    @Test func labLocations() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lab = try LabLocation(root.appendingPathComponent("labs/01-lazy-allocation").path)
        #expect(lab.name == "01-lazy-allocation")
        #expect(lab.file.hasSuffix("labs/01-lazy-allocation/lab.lua"))
        #expect(lab.defaultSubmission?.hasSuffix("solution") == true)
        #expect(throws: UsageError.self) { try LabLocation("/no/such/lab") }
        #expect(throws: UsageError.self) { try LabLocation(root.appendingPathComponent("docs").path) }
    }
}

@Suite("The hyperlab command")
struct CommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary built next to the test bundle.
    static var binary: URL {
        let dir = Bundle.main.bundleURL.deletingLastPathComponent()
        let near = dir.appendingPathComponent("hyperlab")
        return FileManager.default.fileExists(atPath: near.path) ? near : root.appendingPathComponent(".build/debug/hyperlab")
    }

    func hyperlab(_ args: String...) throws -> (code: Int32, out: String) {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = args
        p.currentDirectoryURL = Self.root
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func exitCodesOfRun() throws {
        #expect(try hyperlab("run", "labs/01-lazy-allocation").code == 0)
        #expect(try hyperlab("run", "labs/01-lazy-allocation", "--submission", "labs/01-lazy-allocation/starter").code == 1)
        let broken = try hyperlab("run", "Tests/Fixtures/broken-lab.lua")
        #expect(broken.code == 2)
        #expect(broken.out.contains(#"lab.host: memory "4 GIG" is not a size"#))
        let missing = try hyperlab("run", "no/such/lab")
        #expect(missing.code == 4)
        #expect(missing.out.contains("no lab at no/such/lab"))
        #expect(try hyperlab("run", "labs/01-lazy-allocation", "--bogus").code == 4)
        #expect(try hyperlab("run", "labs/01-lazy-allocation", "--submission", "nowhere").code == 4)
        #expect(try hyperlab("run", "labs/01-lazy-allocation", "--param", "novalue").code == 4)
    }

    @Test func sameLabAndSeedGiveByteIdenticalJSON() throws {
        let a = try hyperlab("run", "labs/02-cpu-overcommit", "--format", "json", "--seed", "5")
        let b = try hyperlab("run", "labs/02-cpu-overcommit", "--format", "json", "--seed", "5")
        #expect(a.out == b.out)
        #expect(a.out.contains(#""seed": 5"#))
        #expect(a.out.contains(#""sha256": "sha256:"#))
    }

    @Test func verifyChecksSolutionsAndStarters() throws {
        let r = try hyperlab("verify", "--no-color")
        #expect(r.code == 0, "\(r.out)")
        #expect(r.out.contains("01-lazy-allocation"))
    }
}
