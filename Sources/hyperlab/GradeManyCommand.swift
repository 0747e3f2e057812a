import ArgumentParser
import Dispatch
import Foundation
import LabGrading
import LabRuntime

/// Grades every submission folder of a class in parallel workers, saving each result the
/// moment it finishes so that no crash loses more than the runs in flight, and `--resume`
/// finishes what an earlier run left. Results do not depend on --jobs, the shard or how
/// often the run was interrupted.
struct GradeManyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade-many",
        abstract: "Grade a folder of submissions in parallel: a result file each, a CSV gradebook, a summary; --resume finishes an interrupted run.",
        discussion: """
            Each folder in --submissions is one submission, graded in its own worker process. With --out DIR every \
            result is written to DIR/NAME.json as soon as it finishes, atomically (a crash never leaves half a file), \
            and DIR/.manifest.json names the lab's bundle hash, the engine version and the options that change results. \
            After a crash, a kill -9, a SIGTERM or a global timeout, run the same command with --resume: it grades only \
            the submissions whose result is missing, unreadable (cut short) or not graded, and writes the gradebook an \
            uninterrupted run would have written, byte for byte. It refuses a folder graded by another lab, another \
            version of the lab's scripts, another engine version, or other --seed, --param, --timeout or --memory.

            The CSV has one row per submission: score, max_score, status (passed, failed, error, not_loaded, \
            not_graded), reason, seed, event_log and one column per check. A not_graded row (interrupted, or the \
            global time budget ran out) has no score: it is not a zero. The summary's Errors counts submissions that \
            could not be graded (error) or loaded (not_loaded).

            On a terminal a progress line is redrawn; otherwise one line per finished submission is printed (name, \
            score/max, status, seconds, reason), so CI logs show progress.

            Exit codes: 0 every submission was graded; 2 some could not be graded or loaded; 3 a result file or the \
            CSV could not be written; 4 the command was used wrongly, or --resume was refused; 124 the global time \
            budget ran out before every submission was graded (--resume grades the rest); 128+N interrupted by \
            signal N (results are written first).
            """)

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

    @Option(help: "The results folder: NAME.json per submission (and --format's file), written as each finishes, and .manifest.json.")
    var out: String?

    @Flag(help: "Finish the run whose results are in --out: grade only the submissions missing there, unreadable or not graded.")
    var resume = false

    @Option(help: "Format of each result file besides the JSON one (needs --out).")
    var format: ReportFormat?

    @Option(help: "Stop starting new runs after this many seconds; the rest are reported as not graded (exit 124).")
    var globalTimeout: Double?

    @OptionGroup var grading: GradingOptions

    func run() throws {
        let location = try LabLocation(lab)
        try requireFolder(submissions, "--submissions")
        guard (1...256).contains(jobs) else { throw UsageError("--jobs \(jobs): use 1 to 256") }
        if resume && out == nil { throw UsageError("--resume needs --out DIR: the results folder of the run to finish") }
        if format != nil && out == nil { throw UsageError("--format needs --out DIR: the folder its files go to") }
        if let g = globalTimeout, !(g > 0) { throw UsageError("--global-timeout \(g): use more than 0 s") }
        if let csv {  // found out before grading a class, not after (--out is created below)
            let dir = (csv as NSString).deletingLastPathComponent.isEmpty ? "." : (csv as NSString).deletingLastPathComponent
            if out.map({ resolved($0) != resolved(dir) }) ?? true { try requireFolder(dir, "--csv \(csv):") }
        }
        let (names, nonUTF8Copies) = try submissionNames()
        let grader = try grading.grader(location)
        let identity = ResultsFolder.Identity(grader)
        let folder = try out.map { try resume ? ResultsFolder.resume($0, identity: identity) : ResultsFolder.create($0, identity: identity) }

        // what an earlier run finished is kept; everything else is graded
        let rows = Rows(count: names.count)
        var todo: [Int] = []
        for (i, name) in names.enumerated() {
            switch folder?.stored(name, format: format) ?? .missing {
            case .done(let row): rows.set(i, row)
            case .missing, .notGraded: todo.append(i)
            case .untrusted(let why):
                FileHandle.standardError.write(Data("hyperlab: \(folder!.resultPath(name)) \(why): grading \(name) again\n".utf8))
                todo.append(i)
            }
        }
        let kept = names.count - todo.count
        IsolatedRun.catchSignals()
        let progress = GradeManyProgress(total: names.count, alreadyDone: kept, names: names, terminal: isatty(STDOUT_FILENO) != 0)
        if let out, resume { progress.note("resuming \(out): \(kept) of \(names.count) submissions already graded, \(todo.count) to grade") }

        let started = Date()
        let next = Counter()
        let unwritten = Counter()
        let workers = min(jobs, max(1, todo.count))
        let (budget, pending, selected) = (globalTimeout, todo, format)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let k = next.take()
                guard k < pending.count else { return }
                let i = pending[k]
                let path = nonUTF8Copies[names[i]] ?? (submissions as NSString).appendingPathComponent(names[i])
                let began = Date()
                let r: GradeResult
                if IsolatedRun.interrupted != 0 {
                    r = notGraded(grader, names[i], "grading was interrupted (\(IsolatedRun.interrupted == SIGINT ? "SIGINT" : "SIGTERM"))")
                } else if let budget, Date().timeIntervalSince(started) > budget {
                    r = notGraded(grader, names[i], "the global time budget (--global-timeout \(JSON.number(budget)) s) ran out")
                } else {
                    r = grader.grade(submission: path)
                }
                do { try folder?.write(r, as: names[i], format: selected) } catch {
                    _ = unwritten.take()
                    progress.note("\(error)", error: true)
                }
                let row = GradebookRow(r)
                rows.set(i, row)
                progress.finished(row, seconds: Date().timeIntervalSince(began))
            }
        }
        progress.finish()

        let all = rows.all
        var writeFailed = unwritten.value > 0
        if let csv {
            do { try AtomicFile.write(Gradebook.csv(all, plan: grader.plan), to: csv) } catch {
                FileHandle.standardError.write(Data("hyperlab: \(error)\n".utf8))
                writeFailed = true
            }
        }
        print(Gradebook.summary(all, seconds: Date().timeIntervalSince(started), jobs: workers, kept: kept, resumable: out != nil),
              terminator: "")
        if writeFailed { print("\nSome results could not be written (see the messages above): the gradebook is incomplete.") }
        if IsolatedRun.interrupted != 0 { throw ExitCode(128 + IsolatedRun.interrupted) }
        if writeFailed { throw ExitCode(3) }
        if all.contains(where: { $0.status == .notGraded }) { throw ExitCode(124) }
        throw ExitCode(all.contains { $0.status.isError } ? 2 : 0)
    }

    /// The submission folders, in name order, of this shard: never the results folder,
    /// which may sit among them.
    func submissionNames() throws -> (names: [String], copies: [String: String]) {
        let results = out.map(resolved)
        var names = try FileManager.default.contentsOfDirectory(atPath: submissions).filter { name in
            var isDir: ObjCBool = false
            let path = (submissions as NSString).appendingPathComponent(name)
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
                && resolved(path) != results
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
        return (names, copies)
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

    /// A result for a submission never run, from the same code as a failed worker's:
    /// every planned check, none with points, and why.
    func notGraded(_ g: Grader, _ name: String, _ why: String) -> GradeResult {
        let request = WorkerRequest(lab: g.lab, submission: nil, hidden: g.hidden, seed: g.seed, params: g.params)
        var r = IsolatedRun.failed(request, name, g.plan, checks: [], reason: why + " before this check ran")
        r.bundleHash = g.bundleHash
        r.notGraded = why
        return r
    }
}

/// A path as the file system names it, to tell whether two paths are one folder.
func resolved(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }

final class Counter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func take() -> Int { lock.lock(); defer { count += 1; lock.unlock() }; return count }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

final class Rows: @unchecked Sendable {
    private var items: [GradebookRow?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: GradebookRow) { lock.lock(); items[i] = r; lock.unlock() }
    var all: [GradebookRow] { lock.lock(); defer { lock.unlock() }; return items.compactMap { $0 } }
}
