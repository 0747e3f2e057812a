import ArgumentParser
import Dispatch
import Foundation
import LabGrading
import LabRuntime

/// Grades every submission folder of a class in parallel workers: one result file per
/// submission, a CSV gradebook and a summary. `--shard K/N` splits a class across CI
/// jobs; results do not depend on --jobs or on the shard.
struct GradeManyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade-many",
        abstract: "Grade a folder of submissions in parallel: a result file each, a CSV gradebook, a summary.")

    @Argument(help: "A lab folder (holding lab.lua) or a .lua lab script.")
    var lab: String

    @Option(help: "A folder holding one folder per submission.")
    var submissions: String

    @Option(help: "Workers running at once.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Grade only shard K of N (submissions in name order, every Nth from the Kth), e.g. 2/4.")
    var shard: String?

    @Option(help: "Write the gradebook as CSV to this file.")
    var csv: String?

    @Option(help: "Write one result per submission to this folder (SUBMISSION.json, and --format's file).")
    var out: String?

    @Option(help: "Format of each result file besides the JSON one.")
    var format: ReportFormat?

    @Option(help: "Stop starting new runs after this many seconds; the rest are reported as not graded.")
    var globalTimeout: Double?

    @OptionGroup var grading: GradingOptions

    func run() throws {
        let location = try LabLocation(lab)
        try requireFolder(submissions, "--submissions")
        guard (1...256).contains(jobs) else { throw UsageError("--jobs \(jobs): use 1 to 256") }
        var names = try FileManager.default.contentsOfDirectory(atPath: submissions).filter { name in
            var isDir: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: (submissions as NSString).appendingPathComponent(name), isDirectory: &isDir)
                && isDir.boolValue
        }
        // folders whose names are not UTF-8 are graded from copies named escaped (ByteNames)
        let copies = try Self.nonUTF8Folders(in: submissions)
        names = (names + copies.keys).sorted()
        if let shard {
            let parts = shard.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
                throw UsageError("--shard \(shard): use K/N with 1 ≤ K ≤ N, e.g. 2/4")
            }
            names = names.enumerated().filter { $0.offset % parts[1] == parts[0] - 1 }.map(\.element)
        }
        if let out { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
        let grader = try grading.grader(location)
        IsolatedRun.catchSignals()
        let progress = Progress(total: names.count, visible: isatty(STDERR_FILENO) != 0)
        let results = Results(count: names.count)
        let started = Date()
        let next = Counter()
        let workers = min(jobs, max(1, names.count))
        let budget = globalTimeout
        let todo = names
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.take()
                guard i < todo.count else { return }
                let path = copies[todo[i]] ?? (submissions as NSString).appendingPathComponent(todo[i])
                var r: GradeResult
                if IsolatedRun.interrupted != 0 || budget.map({ Date().timeIntervalSince(started) > $0 }) == true {
                    r = notGraded(grader, todo[i], IsolatedRun.interrupted != 0 ? "grading was interrupted" : "the global time budget ran out")
                } else {
                    r = grader.grade(submission: path)
                }
                results.set(i, r)
                if let out {
                    try? ReportFormat.json.write(r, to: (out as NSString).appendingPathComponent(todo[i] + ".json"))
                    if let f = format, f != .json {
                        try? f.write(r, to: (out as NSString).appendingPathComponent(todo[i] + "." + f.fileExtension))
                    }
                }
                progress.advance(todo[i], r)
            }
        }
        progress.finish()
        let all = results.all
        if let csv { try Gradebook.csv(all, plan: grader.plan).write(toFile: csv, atomically: true, encoding: .utf8) }
        print(Gradebook.summary(all, seconds: Date().timeIntervalSince(started), jobs: workers), terminator: "")
        if IsolatedRun.interrupted != 0 { throw ExitCode(128 + IsolatedRun.interrupted) }
        throw ExitCode(all.contains { $0.status == .error } ? 2 : 0)
    }

    /// The student folders whose names are not UTF-8, by escaped name, each copied to a
    /// UTF-8 path that Foundation can open.
    static func nonUTF8Folders(in dir: String) throws -> [String: String] {
        let raw = ByteNames.rawArgument(decodedAs: dir) ?? Array(dir.utf8)
        var copies: [String: String] = [:]
        for name in ByteNames.entries(raw) where String(validating: name, as: UTF8.self) == nil && name.first != UInt8(ascii: ".") {
            let path = raw + [UInt8(ascii: "/")] + name
            guard ByteNames.isDirectory(path, followingLink: false) else { continue }
            copies[ByteNames.escaped(name)] = try ByteNames.utf8Copy(of: path)
        }
        return copies
    }

    func notGraded(_ g: Grader, _ name: String, _ why: String) -> GradeResult {
        let request = WorkerRequest(lab: g.lab, submission: nil, hidden: g.hidden, seed: g.seed, params: g.params)
        var r = IsolatedRun.failed(request, name, g.plan, checks: [], reason: why)
        r.bundleHash = g.bundleHash
        return r
    }
}

extension ReportFormat {
    var fileExtension: String {
        switch self {
        case .junit: return "xml"
        case .tap: return "tap"
        case .pretty, .github: return "txt"
        case .html: return "html"
        case .gradescope: return "gradescope.json"
        case .prairielearn: return "prairielearn.json"
        case .json: return "json"
        }
    }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take() -> Int { lock.lock(); defer { value += 1; lock.unlock() }; return value }
}

final class Results: @unchecked Sendable {
    private var items: [GradeResult?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: GradeResult) { lock.lock(); items[i] = r; lock.unlock() }
    var all: [GradeResult] { lock.lock(); defer { lock.unlock() }; return items.compactMap { $0 } }
}

/// A one-line progress bar on a terminal (standard error), nothing otherwise.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let visible: Bool
    private var done = 0
    private let lock = NSLock()

    init(total: Int, visible: Bool) {
        self.total = total
        self.visible = visible
    }

    func advance(_ name: String, _ r: GradeResult) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        guard visible else { return }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = "\r\(bar) \(done)/\(total)  \(name): \(JSON.number(r.score))/\(JSON.number(r.maxScore))"
        FileHandle.standardError.write(Data((line.count > 100 ? String(line.prefix(100)) : line).utf8 + Array("\u{1B}[K".utf8)))
    }

    func finish() {
        if visible { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
