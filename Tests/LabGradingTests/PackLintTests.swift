import Foundation
import Testing
@testable import LabGrading
import LabRuntime

/// Reads a stored (uncompressed) zip: name → (contents, Unix mode).
func readStoredZip(_ d: Data) -> [String: (Data, UInt32)] {
    var out: [String: (Data, UInt32)] = [:]
    let b = [UInt8](d)
    func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
    var modes: [String: UInt32] = [:]
    var i = 0
    // central directory for the modes
    while i + 4 <= b.count {
        if u32(i) == 0x0201_4B50 {
            let n = u16(i + 28), extra = u16(i + 30), comment = u16(i + 32)
            let name = String(decoding: b[(i + 46)..<(i + 46 + n)], as: UTF8.self)
            modes[name] = UInt32(u32(i + 38)) >> 16
            i += 46 + n + extra + comment
        } else { i += 1 }
    }
    i = 0
    while i + 30 <= b.count, u32(i) == 0x0403_4B50 {
        let size = u32(i + 18), n = u16(i + 26), extra = u16(i + 28)
        let name = String(decoding: b[(i + 30)..<(i + 30 + n)], as: UTF8.self)
        let start = i + 30 + n + extra
        out[name] = (Data(b[start..<(start + size)]), modes[name] ?? 0)
        i = start + size
    }
    return out
}

@Suite("pack and lint", .serialized)
struct PackLintTests {
    @Test func packBuildsAGradescopeAutograderThatGrades() throws {
        let dir = temporaryFolder()
        let zip = dir + "/ag.zip"
        // the hostile lab has no solution/ to verify
        let r = try hyperlabCommand(["pack", "Tests/Hostile/lab", "--output", zip, "--no-verify"])
        #expect(r.code == 0, "\(r.out)")
        #expect(r.out.contains("total max_score: 4 points in 4 checks"))
        let entries = readStoredZip(try Data(contentsOf: URL(fileURLWithPath: zip)))
        #expect(Set(entries.keys) == ["setup.sh", "run_autograder", "hyperlab.gz", "lab/lab.lua", "lab/hidden/secret.lua"])
        #expect(entries["run_autograder"]!.1 == 0o100755)
        #expect(ZipWriter.crc32(Data("123456789".utf8)) == 0xCBF4_3926)
        // lay it out as Gradescope does and run it (run_autograder unpacks the binary when setup.sh has not)
        let root = dir + "/autograder"
        for (name, (data, mode)) in entries {
            let path = root + "/source/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: Int(mode & 0o777)])
        }
        try FileManager.default.createDirectory(atPath: root + "/submission", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CommandTests.root.path + "/Tests/Hostile/subs/00-good/answer.lua", toPath: root + "/submission/answer.lua")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: root + "/source/run_autograder")
        p.environment = ["AUTOGRADER_ROOT": root, "PATH": "/usr/bin:/bin"]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/results/results.json"))) as! [String: Any]
        #expect(results["score"] as? Double == 4)
    }

    @Test func studentsPackagesNeverHoldHiddenOrSolution() throws {
        let zip = temporaryFolder() + "/s.zip"
        let r = try hyperlabCommand(["pack", "labs/08-ballooning", "--target", "student", "--output", zip])
        #expect(r.code == 0, "\(r.out)")
        let entries = readStoredZip(try Data(contentsOf: URL(fileURLWithPath: zip)))
        let types = try LabRuntime.APIDocs.generate().types.map { "08-ballooning/types/" + ($0.file as NSString).lastPathComponent }
        #expect(Set(entries.keys) == Set(["08-ballooning/README.md", "08-ballooning/lab.lua", "08-ballooning/starter/answer.lua",
                                          "08-ballooning/.luarc.json"] + types))
        let readme = String(decoding: entries["08-ballooning/README.md"]!.0, as: UTF8.self)
        #expect(readme.hasPrefix("# "), "the handout still opens with its title")
        #expect(readme.contains("`cp starter/answer.lua .`") && readme.contains("`hyperlab check`"))
        #expect(!readme.contains("labs/08-ballooning"), "paths match the package")
        let luarc = try JSONSerialization.jsonObject(with: entries["08-ballooning/.luarc.json"]!.0) as? [String: Any]
        #expect(luarc?["workspace.library"] as? [String] == ["types"])
    }

    @Test func lintFindsWhatWouldBreakALab() throws {
        let dir = temporaryFolder()
        try """
            check("a", { points = 0 }, function() end)
            check("b", { depends = "later" }, function() end)
            check("a", { timeout = 900 }, function() end)
            check("later", function() undefined_global() end)
            """.write(toFile: dir + "/lab.lua", atomically: true, encoding: .utf8)
        let r = try hyperlabCommand(["lint", dir])
        #expect(r.code == 1)
        #expect(r.out.contains("check \"a\" has 0 points"))
        #expect(r.out.contains("check \"b\" depends on \"later\", which is not declared before it"))
        #expect(r.out.contains("check \"a\" is declared twice"))
        #expect(r.out.contains("timeout of 900 s"))
        #expect(r.out.contains("no solution/ folder"))
        #expect(r.out.contains("no starter/ folder"))
        #expect(r.out.contains("undefined_global") || r.out.contains("luacheck is not installed"))
        #expect(try hyperlabCommand(["lint", "labs/08-ballooning"]).code == 0)
    }

    /// A lab must say whether the student's code may simulate (SimulateOptionTests).
    @Test func lintAsksWhetherTheSubmissionMaySimulate() throws {
        let dir = temporaryFolder()
        for d in ["solution", "starter"] { try FileManager.default.createDirectory(atPath: dir + "/" + d, withIntermediateDirectories: true) }
        try "# handout".write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        let lab = "local a = lab.submission(\"answer.lua\"%@)\ncheck(\"a\", { points = 1 }, function() expect(a.x):to_equal(1) end)\n"
        try lab.replacingOccurrences(of: "%@", with: "").write(toFile: dir + "/lab.lua", atomically: true, encoding: .utf8)
        let r = try hyperlabCommand(["lint", dir])
        #expect(r.code == 1)
        #expect(r.out.contains("lab.lua:1: lab.submission without `simulate`"), "\(r.out)")
        try lab.replacingOccurrences(of: "%@", with: ", { simulate = false }").write(toFile: dir + "/lab.lua", atomically: true, encoding: .utf8)
        let ok = try hyperlabCommand(["lint", dir])
        #expect(!ok.out.contains("simulate"), "\(ok.out)")
    }
}
