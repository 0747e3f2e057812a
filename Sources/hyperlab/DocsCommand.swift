import ArgumentParser
import Foundation
import LabGrading
import LabRuntime

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write the API reference and the LuaCATS types from the binding declarations.",
        discussion: "Writes ROOT/docs/api.md and ROOT/stdlib-lua/types/*.lua. With --check, only compares them.")

    @Option(help: "The repository root.")
    var root = "."

    @Flag(help: "Fail (exit 1) when the files differ from what would be generated.")
    var check = false

    func run() throws {
        let (markdown, types) = try APIDocs.generate()
        let files = [("docs/api.md", markdown)] + types.map { ($0.file, $0.text) }
        var stale: [String] = []
        for (path, text) in files {
            let full = (root as NSString).appendingPathComponent(path)
            let current = try? String(contentsOfFile: full, encoding: .utf8)
            if current == text { continue }
            if check {
                stale.append(path)
            } else {
                try FileManager.default.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
                print("wrote \(path)")
            }
        }
        if check && !stale.isEmpty {
            print("out of date: \(stale.joined(separator: ", ")) (run `hyperlab docs`)")
            throw ExitCode(1)
        }
    }
}
