import ArgumentParser
import Foundation
import LabGrading
import LabRuntime

/// Runs labs against their reference solution (which must score full marks) and their
/// starter (which must not), and prints a table: the instructor's check that a lab is
/// gradable, and `make demo` / `make test`.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that each lab's solution scores full marks and its starter does not.",
        discussion: "Exit code 0 when every lab passes both tests, 1 otherwise.")

    @Argument(help: "Lab folders (default: every folder under labs/).")
    var labs: [String] = []

    @Flag(help: "Run only the solutions (a demo of the labs).")
    var solutionsOnly = false

    @Flag(help: "Do not color the output.")
    var noColor = false

    func run() throws {
        let folders = labs.isEmpty ? try Self.allLabs() : labs
        let color = !noColor && isTerminal()
        let mark = { (ok: Bool) in color ? (ok ? "\u{1B}[32m✓\u{1B}[0m" : "\u{1B}[31m✗\u{1B}[0m") : (ok ? "✓" : "✗") }
        var rows: [[String]] = [["Lab", "Solution", "Starter", "Checks", "Verdict"]]
        var allOK = true
        for folder in folders {
            let lab = try LabLocation(folder)
            let solutionDir = (lab.directory as NSString).appendingPathComponent("solution")
            let starterDir = (lab.directory as NSString).appendingPathComponent("starter")
            // hidden checks count: the solution must pass them too
            var solutionOptions = LabRunner.options(for: lab, submission: solutionDir, seed: nil, params: [:])
            solutionOptions.hiddenDirectory = LabRunner.hiddenFolder(of: lab)
            let solution = LabRunner.run(lab, options: solutionOptions)
            let solutionOK = solution.status == .passed && solution.maxScore > 0
            var problems: [String] = []
            if !solutionOK {
                if let e = solution.run.scriptError { problems.append("solution: \(e)") }
                let failing = solution.run.checks.filter { $0.status != .passed }
                    .map { "\"\($0.name)\" (\($0.status.rawValue)\($0.message.map { ": " + $0 } ?? ""))" }
                if !failing.isEmpty { problems.append("the solution does not pass " + failing.joined(separator: ", ")) }
                if solution.maxScore == 0 { problems.append("the lab declares no points") }
            }
            var starterText = "-"
            if !solutionsOnly {
                var starterOptions = LabRunner.options(for: lab, submission: starterDir, seed: nil, params: [:])
                starterOptions.hiddenDirectory = LabRunner.hiddenFolder(of: lab)
                let starter = LabRunner.run(lab, options: starterOptions)
                let starterOK = starter.run.scriptError == nil && starter.score < starter.maxScore
                if starter.run.scriptError != nil { problems.append("starter: \(starter.run.scriptError!)") }
                if starter.score >= starter.maxScore {
                    let passing = starter.run.checks.filter { $0.status == .passed }.map { "\"\($0.name)\"" }
                    problems.append("the starter scores full marks (it passes \(passing.joined(separator: ", ")))")
                }
                starterText = "\(Self.points(starter.score))/\(Self.points(starter.maxScore)) \(mark(starterOK))"
            }
            allOK = allOK && problems.isEmpty
            rows.append([
                lab.name, "\(Self.points(solution.score))/\(Self.points(solution.maxScore)) \(mark(solutionOK))", starterText,
                "\(solution.run.checks.count)", problems.isEmpty ? "ok" : problems.joined(separator: "; "),
            ])
        }
        print(Self.table(rows))
        if !allOK { throw ExitCode(1) }
    }

    static func allLabs() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: "labs").sorted()
        let labs = names.map { "labs/\($0)" }.filter { FileManager.default.fileExists(atPath: "\($0)/lab.lua") }
        guard !labs.isEmpty else { throw UsageError("no labs under labs/ (give lab folders as arguments)") }
        return labs
    }

    static func points(_ d: Double) -> String { JSON.number((d * 100).rounded() / 100) }

    /// Columns padded to the widest cell (escape sequences do not count).
    static func table(_ rows: [[String]]) -> String {
        func width(_ s: String) -> Int { s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression).count }
        let widths = (0..<rows[0].count).map { c in rows.map { width($0[c]) }.max()! }
        return rows.map { row in
            row.enumerated().map { c, cell in c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - width(cell)) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
