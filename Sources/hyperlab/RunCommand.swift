import ArgumentParser
import Foundation
import LabGrading
import LabRuntime

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a lab and its checks (the author's loop).",
        discussion: """
            LAB is a lab folder (holding lab.lua) or a .lua lab script; without it, the current folder. \
            Without --submission, the submission is the first of: the current folder when it holds the \
            lab's answer file (answer.lua), the lab folder when it does, the lab's solution/; a lab with a \
            starter/ and none of these is refused with what to do. --submission FILE names answer.lua itself \
            (its folder is used). The lab's hidden/ checks run too, and every message shows what was \
            expected: this is the author's view (students use `hyperlab check`). The same lab, submission \
            and seed always give byte-identical JSON.
            """)

    @Argument(help: "A lab folder (holding lab.lua) or a .lua lab script (default: the current folder).")
    var lab: String = "."

    @Option(help: "The submission folder that lab.submission(file) reads, or its answer.lua.")
    var submission: String?

    @Option(help: "Instructor-only checks to run after lab.lua (default: the lab's hidden/ when present).")
    var hidden: String?

    @Option(help: "Seed of every random choice (default: the lab's lab.seed, else 1).")
    var seed: UInt64?

    @Option(help: "Output format.")
    var format: OutputFormat = .pretty

    @Option(name: .customLong("param"), help: "A lab parameter, name=value (repeatable).")
    var params: [String] = []

    @Option(help: "Threads that advance hosts in parallel (results do not depend on it).")
    var threads: Int = 1

    @Option(help: "Also write the JSON result to this file.")
    var output: String?

    @Option(help: "Also write FORMAT:FILE (repeatable), e.g. html:report.html (the author's view, hidden checks included) or junit:results.xml.")
    var report: [String] = []

    @Flag(help: "Do not color the output.")
    var noColor = false

    func run() throws {
        let location = try LabLocation(lab)
        let chosen = try SubmissionChoice.resolve(submission, lab: location)
        guard (1...256).contains(threads) else { throw UsageError("--threads \(threads): use 1 to 256") }
        var options = LabRunner.options(for: location, submission: chosen, seed: seed, params: try parseParams(params))
        options.threads = threads
        if let h = hidden { try requireFolder(h, "--hidden") }
        options.hiddenDirectory = hidden ?? LabRunner.hiddenFolder(of: location)
        let reports = try report.map(parseReport)
        options.charts = format == .pretty || reports.contains { $0.0 == .html }
        let result = LabRunner.run(location, options: options)
        for (f, path) in reports { try write(f, result, path, author: true) }
        let json = JSONReport.render(result)
        if let output {
            do { try json.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw UsageError("cannot write \(output): \(error.localizedDescription)")
            }
        }
        switch format {
        case .json: print(json, terminator: "")
        case .pretty: print(PrettyReport(color: !noColor && isTerminal()).render(result), terminator: "")
        }
        throw ExitCode(result.exitCode)
    }
}
