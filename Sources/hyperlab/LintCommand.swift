import ArgumentParser
import Foundation
import LabGrading

/// luacheck with the lab globals (unknown globals, unused variables), then the lab's own
/// rules: checks without points, unreachable `depends`, timeouts above the cap, missing
/// solution/, starter/ or README.md.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a lab before giving it out: unknown globals, checks without points, unreachable depends, missing solution or starter.",
        discussion: "Exit code 0 when clean, 1 when there are findings, 4 on a usage error. Needs luacheck (Debian's lua-check) for the globals.")

    @Argument(help: "Lab folders or .lua lab scripts.")
    var labs: [String]

    func run() throws {
        var count = 0
        for path in labs {
            let lab = try LabLocation(path)
            var files = [lab.file]
            for sub in ["hidden", "solution", "starter"] {
                let dir = (lab.directory as NSString).appendingPathComponent(sub)
                if FileManager.default.fileExists(atPath: dir) { files.append(dir) }
            }
            count += luacheck(files)
            for f in LabLint.findings(lab) {
                print(f.description)
                count += 1
            }
        }
        print(count == 0 ? "no findings" : "\(count) finding\(count == 1 ? "" : "s")")
        throw ExitCode(count == 0 ? 0 : 1)
    }

    /// luacheck's warnings count as findings; without luacheck, a note.
    func luacheck(_ files: [String]) -> Int {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["luacheck", "--no-color", "--codes", "--formatter", "plain", "--std", "lua54",
                       "--read-globals", "lab", "check", "expect", "partial", "--no-max-line-length"] + files
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch {
            print("note: luacheck is not installed (apt-get install lua-check); unknown globals were not checked")
            return 0
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus == 127 {
            print("note: luacheck is not installed (apt-get install lua-check); unknown globals were not checked")
            return 0
        }
        // starters leave arguments unused on purpose (W212)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !($0.contains("/starter/") && $0.contains("(W212)")) }
        for l in lines { print(l) }
        return lines.count
    }
}
