import Foundation
import Testing
@testable import LabGrading

/// Names and bytes that are not UTF-8: folders are found, results name them escaped, and
/// sources keep their bytes.
@Suite("Byte names", .serialized)
struct ByteNamesTests {
    @Test(arguments: [
        ([0x63, 0x61, 0x66, 0xE9] as [UInt8], "caf\\xe9"),
        ([0x61, 0xFF, 0xFE] as [UInt8], "a\\xff\\xfe"),
        (Array("café ✓".utf8), "café ✓"),
        ([0xC3, 0xA9, 0xC3] as [UInt8], "é\\xc3"),
    ])
    func escapedNamesAreLossless(bytes: [UInt8], shown: String) {
        #expect(ByteNames.escaped(bytes) == shown)
    }

    /// A folder `caf\xe9` (Latin-1) holding the good hostile answer, made with raw bytes.
    static func latin1Folder(in parent: String) throws -> String {
        let raw = Array(parent.utf8) + Array("/caf".utf8) + [0xE9]
        let made = (raw + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } }
        #expect(made == 0)
        let good = try Data(contentsOf: CommandTests.root.appendingPathComponent("Tests/Hostile/subs/00-good/answer.lua"))
        let file = (raw + Array("/answer.lua".utf8) + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
        }
        #expect(file >= 0)
        FileHandle(fileDescriptor: file, closeOnDealloc: true).write(good)
        return parent
    }

    /// Runs hyperlab through the shell so that an argument can hold raw bytes.
    static func shell(_ script: String) throws -> (code: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script, "sh", CommandTests.binary.path]
        p.currentDirectoryURL = CommandTests.root
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func gradeFindsALatin1FolderAndNamesItEscaped() throws {
        let parent = try Self.latin1Folder(in: temporaryFolder())
        let r = try Self.shell(#""$1" grade Tests/Hostile/lab --submission "$(printf '\#(parent)/caf\351')""#)
        #expect(r.code == 0, "\(r.out)")
        let o = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        #expect(o["submission"] as? String == "caf\\xe9")
        #expect(o["score"] as? Double == 4)
    }

    @Test func gradeManyKeepsTheStudent() throws {
        let parent = try Self.latin1Folder(in: temporaryFolder())
        try FileManager.default.createDirectory(atPath: parent + "/bob", withIntermediateDirectories: true)
        try "return {}".write(toFile: parent + "/bob/answer.lua", atomically: true, encoding: .utf8)
        let out = temporaryFolder()
        let r = try Self.shell(#""$1" grade-many Tests/Hostile/lab --submissions '\#(parent)' --csv '\#(out)/g.csv' --out '\#(out)'"#)
        #expect(r.code == 0 || r.code == 2, "\(r.out)")
        let csv = try String(contentsOfFile: out + "/g.csv", encoding: .utf8)
        #expect(csv.contains("bob,"))
        #expect(csv.contains("caf\\xe9,4,4"), "\(csv)")
        #expect(FileManager.default.fileExists(atPath: out + "/caf\\xe9.json"))
    }

    @Test func aLatin1SourceKeepsItsBytes() throws {
        let r = try hyperlabCommand(["grade", "Tests/Hostile/lab", "--submission", "Tests/Hostile/subs/78-latin1-source"], stdoutOnly: true)
        #expect(r.code == 0, "\(r.out)")
    }
}
