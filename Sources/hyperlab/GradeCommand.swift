import ArgumentParser
import Foundation
import LabGrading
import LabRuntime

extension ReportFormat: ExpressibleByArgument {}

/// Options every grading command shares.
struct GradingOptions: ParsableArguments {
    @Option(help: "Instructor-only checks: a folder of .lua scripts run after lab.lua (default: the lab's hidden/ when present).")
    var hidden: String?

    @Option(help: "Seed of every random choice (default: the lab's lab.seed, else 1).")
    var seed: UInt64?

    @Option(help: "Wall-clock limit of one run, in seconds (default 25 s, so one hostile submission costs a grader at most about half a minute; checks have their own, 20 s by default).")
    var timeout: Double = 25

    @Option(help: "Memory limit of the worker process (its address space), in MiB; a run whose estimate exceeds it is refused before it starts.")
    var memory: Int = 2048

    @Option(name: .customLong("param"), help: "A lab parameter, name=value (repeatable).")
    var params: [String] = []

    func grader(_ lab: LabLocation, allowHidden: Bool = true) throws -> Grader {
        guard timeout > 0, timeout <= 3600 else { throw UsageError("--timeout \(timeout): use more than 0 up to 3600 s") }
        guard (256...65536).contains(memory) else { throw UsageError("--memory \(memory): use 256 to 65536 MiB") }
        var dir = hidden
        if dir == nil && allowHidden {
            let h = (lab.directory as NSString).appendingPathComponent("hidden")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: h, isDirectory: &isDir), isDir.boolValue { dir = h }
        }
        if let d = dir { try requireFolder(d, "--hidden") }
        var g = Grader(lab: lab, hidden: dir, seed: seed, params: try parseParams(params))
        g.timeout = timeout
        g.memoryMiB = memory
        return g
    }
}

/// The folder a path argument names, usable by Foundation: a folder whose name is not
/// UTF-8 (Swift decoded its bytes with U+FFFD) is graded from a copy named with the
/// escaped name (`caf\xe9`), so its result names it losslessly.
func usableFolder(_ path: String) throws -> String {
    if FileManager.default.fileExists(atPath: path) { return path }
    guard let raw = ByteNames.rawArgument(decodedAs: path), ByteNames.isDirectory(raw) else { return path }
    do {
        return try ByteNames.utf8Copy(of: raw)
    } catch {
        throw UsageError("\(ByteNames.escaped(raw)): cannot read the folder: \(error.localizedDescription)")
    }
}

func requireFolder(_ path: String, _ option: String) throws {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
        throw UsageError("\(option) \(path): no such folder")
    }
}

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a submission in an isolated worker and write results for a grader.",
        discussion: """
            Runs lab.lua and the hidden checks against the submission in a worker process with CPU, memory and \
            wall-clock limits. A worker that crashes or times out still gives a result for every check. \
            --format writes to standard output (gradescope: /autograder/results/results.json when that folder \
            exists; prairielearn: /grade/results/results.json); each --report FORMAT:FILE writes one more file. \
            html is the student view: no hidden checks, nothing only the hidden checks looked at. \
            Results are written on SIGTERM and SIGINT too.
            """)

    @Argument(help: "A lab folder (holding lab.lua) or a .lua lab script.")
    var lab: String

    @Option(help: "The submission folder, or its answer.lua.")
    var submission: String

    @OptionGroup var grading: GradingOptions

    @Option(help: "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .json

    @Option(help: "Also write FORMAT:FILE (repeatable), e.g. junit:results.xml.")
    var report: [String] = []

    @Flag(help: "Exit 0 once results are written, whatever the checks gave (autograders).")
    var exitZero = false

    func run() throws {
        let location = try LabLocation(lab)
        let folder = try SubmissionChoice.resolve(try usableFolder(submission), lab: location)
        let reports = try report.map(parseReport)
        IsolatedRun.catchSignals()
        var grader = try grading.grader(location)
        grader.charts = format == .html || reports.contains { $0.0 == .html } || format == .pretty
        let result = grader.grade(submission: folder)
        for (f, path) in reports { try write(f, result, path) }
        if let fixed = format.platformPath, FileManager.default.fileExists(atPath: (fixed as NSString).deletingLastPathComponent) {
            try write(format, result, fixed)
        } else {
            print(format.render(result, color: isTerminal()), terminator: "")
            if format == .github { appendStepSummary(result) }
        }
        if IsolatedRun.interrupted != 0 { throw ExitCode(128 + IsolatedRun.interrupted) }
        throw ExitCode(exitZero ? 0 : result.exitCode)
    }
}

func parseReport(_ item: String) throws -> (ReportFormat, String) {
    guard let colon = item.firstIndex(of: ":"), let f = ReportFormat(rawValue: String(item[..<colon])),
          item.index(after: colon) < item.endIndex else {
        throw UsageError("--report \(item): use FORMAT:FILE with FORMAT one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return (f, String(item[item.index(after: colon)...]))
}

func write(_ f: ReportFormat, _ r: GradeResult, _ path: String, author: Bool = false) throws {
    do { try f.write(r, to: path, author: author) } catch { throw UsageError("cannot write \(path): \(error.localizedDescription)") }
    if f == .github { appendStepSummary(r) }
}

/// On GitHub Actions: the job summary, and the step output `result` that GitHub
/// Classroom's grading reporter reads (`<STEP ID>_RESULTS: ${{ steps.ID.outputs.result }}`).
func appendStepSummary(_ r: GradeResult) {
    let env = ProcessInfo.processInfo.environment
    append(GitHubReport.summary(r), to: env["GITHUB_STEP_SUMMARY"])
    append(ClassroomReport.stepOutput(r), to: env["GITHUB_OUTPUT"])
}

private func append(_ text: String, to path: String?) {
    guard let path, let h = FileHandle(forWritingAtPath: path) else { return }
    h.seekToEndOfFile()
    h.write(Data(text.utf8))
    h.closeFile()
}

extension ReportFormat {
    /// Where an autograder platform expects its results.
    var platformPath: String? {
        switch self {
        case .gradescope: return "/autograder/results/results.json"
        case .prairielearn: return "/grade/results/results.json"
        default: return nil
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check your work: the lab's public checks, run exactly as the grader runs them.",
        discussion: """
            Run with no arguments inside the unpacked student package (or a copy of a lab) to check its \
            answer.lua. LAB defaults to the current folder. Without --submission, your work is the first of: \
            the current folder when it holds answer.lua, the lab folder when it does, the lab's solution/; \
            when there is none you are told to copy the starter (`cp starter/answer.lua .`). \
            --submission takes a folder or its answer.lua. Hidden checks, if the lab has any, run only when \
            your work is graded.
            """)

    @Argument(help: "A lab folder (holding lab.lua) or a .lua lab script (default: the current folder).")
    var lab: String = "."

    @Option(help: "Your submission folder, or its answer.lua (default: see above).")
    var submission: String?

    @Option(help: "Seed of every random choice (default: the lab's lab.seed, else 1).")
    var seed: UInt64?

    /// What `check` writes: the student's view in the formats a person or a script reads.
    enum CheckFormat: String, CaseIterable, ExpressibleByArgument {
        case pretty, json, tap
        var report: ReportFormat { ReportFormat(rawValue: rawValue)! }
    }

    @Option(name: .customLong("format"), help: "Output format: pretty, json or tap (the student's view).")
    var checkFormat: CheckFormat = .pretty

    @Flag(help: "Do not color the output.")
    var noColor = false

    func run() throws {
        let location = try LabLocation(lab)
        let folder = try SubmissionChoice.resolve(try submission.map(usableFolder), lab: location)
        let format = checkFormat.report
        IsolatedRun.catchSignals()
        var grader = Grader(lab: location, hidden: nil, seed: seed, params: [:])
        grader.timeout = 25
        let result = grader.grade(submission: folder)
        let text = format == .pretty ? PrettyReport(color: !noColor && isTerminal(), student: true).render(result)
            : format.render(StudentView.redacted(result), color: false)
        print(text, terminator: "")
        if format == .pretty {
            print(result.status == .passed
                  ? "All public checks passed. Hidden checks, if the lab has any, run when your work is graded."
                  : "Hidden checks, if the lab has any, run when your work is graded.")
        }
        throw ExitCode(result.exitCode)
    }
}
