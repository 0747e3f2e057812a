import Foundation
import Testing
@testable import LabGrading
@testable import LabRuntime

/// A huge value in one check costs that check at most, never the run (issue 12, defect 8).
@Suite("Worker lines", .serialized)
struct WorkerLineTests {
    @Test func aLineThatWouldPassTheLimitIsShrunk() throws {
        var c = CheckOutcome(name: "big", number: nil, points: 1, score: 0, status: .failed)
        c.message = String(repeating: "\u{1}", count: 20 << 20)
        c.output = String(repeating: "x", count: 20 << 20)
        let shrunk = WorkerMessage(check: c).shrunk(WorkerMessage.shrinkTo)
        let data = try JSONEncoder().encode(shrunk)
        #expect(data.count < WorkerMessage.lineLimit / 2)
        #expect(shrunk.check?.message?.hasSuffix("more bytes)") == true)
        #expect(shrunk.check?.status == .failed)
    }

    /// The 4 MiB string answer of the issue: only the check that quotes it fails; the
    /// engine's own check keeps its point and the result line is small.
    @Test func aHugeStringAnswerLosesOnlyItsCheck() throws {
        let r = try hyperlabCommand(["grade", "Tests/Hostile/lab", "--submission", "Tests/Hostile/subs/66-huge-quoted-string"], stdoutOnly: true)
        #expect(r.out.utf8.count < 1 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        let checks = (json?["tests"] as? [[String: Any]]) ?? (json?["checks"] as? [[String: Any]]) ?? []
        let untouched = checks.first { ($0["name"] as? String) == "the host is untouched" }
        #expect(untouched?["status"] as? String == "passed", "\(r.out.prefix(3000))")
        #expect(r.out.contains("(4194304 bytes)"))
    }
}
