import Foundation
import Testing

/// `hyperlab top` from outside: its refusals, exit codes and batch output.
@Suite struct TopCommandTests {
    func hyperlab(_ args: String...) throws -> (code: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = CommandTests.binary
        p.arguments = args
        p.currentDirectoryURL = CommandTests.root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func withoutATerminalItRefusesAndPointsAtBatch() throws {
        let r = try hyperlab("top", "Tests/Fixtures/top-scenario.lua")
        #expect(r.code == 2)
        #expect(r.err.contains("needs a terminal") && r.err.contains("--batch"))
        #expect(r.out.isEmpty)
    }

    @Test func batchWritesTheCSV() throws {
        let r = try hyperlab("top", "Tests/Fixtures/top-scenario.lua", "--batch", "--interval", "60", "--iterations", "4")
        #expect(r.code == 0, "\(r.err)")
        let lines = r.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\esx01\\Physical Cpu(_Total)\\% Util Time\""))
        #expect(lines[0].contains("\"\\\\esx01\\Group Cpu(4:smp)\\% CoStop\""))
        #expect(lines.dropFirst().map { String($0.prefix(22)) } == [
            "\"01/01/2026 00:00:20\",", "\"01/01/2026 00:01:20\",", "\"01/01/2026 00:02:20\",", "\"01/01/2026 00:03:20\",",
        ])
        // the same lab and seed give the same file
        #expect(try hyperlab("top", "Tests/Fixtures/top-scenario.lua", "--batch", "--interval", "60", "--iterations", "4").out == r.out)
    }

    @Test func badOptionsAreUsageErrors() throws {
        let a = try hyperlab("top", "Tests/Fixtures/top-scenario.lua", "--interval", "20")
        #expect(a.code == 4 && a.err.contains("--interval and --iterations go with --batch"))
        let b = try hyperlab("top", "Tests/Fixtures/top-scenario.lua", "--batch", "--interval", "30")
        #expect(b.code == 4 && b.err.contains("--interval 30: the lab samples every 20 s; use a multiple of it"))
        let c = try hyperlab("top", "Tests/Fixtures/top-scenario.lua", "--batch", "--iterations", "0")
        #expect(c.code == 4 && c.err.contains("--iterations 0: use 1 or more"))
        let d = try hyperlab("top", "/no/such/lab", "--batch")
        #expect(d.code == 4)
    }

    @Test func aLabThatRunsNoTimeHasNothingToShow() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("top-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("still.lua")
        try "lab.host{ name = \"h\", cpus = 1, memory = \"1 GiB\" }\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try hyperlab("top", file.path, "--batch")
        #expect(r.code == 2 && r.err.contains("nothing to show"))
    }
}
