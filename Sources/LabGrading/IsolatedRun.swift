import Foundation
import HyperModel
import LabRuntime

/// Set by SIGTERM/SIGINT: the parent stops its workers and still writes every result.
nonisolated(unsafe) private var interruptSignal: Int32 = 0

/// Runs untrusted code in a worker process — the binary re-executed — with CPU, memory
/// and wall-clock limits, reading its results check by check. A worker that crashes, is
/// killed or runs out of time still yields a full result: the checks it did not reach
/// (from the lab's `CheckPlan`) are errors that say why.
public enum IsolatedRun {
    /// Installs the SIGTERM/SIGINT handlers once: they only record the signal.
    public static func catchSignals() {
        let handler: @convention(c) (Int32) -> Void = { sig in interruptSignal = sig }
        signal(SIGTERM, handler)
        signal(SIGINT, handler)
        signal(SIGPIPE, SIG_IGN)
        // a parent may have started us with these blocked (test runners do)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    public static var interrupted: Int32 { interruptSignal }

    /// The path of this executable, re-executed as the worker.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    public static func run(_ request: WorkerRequest, plan: CheckPlan, timeout: Double) -> GradeResult {
        let started = Date()
        let submission = request.submission.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }
        var checks: [CheckOutcome] = []
        var final: LabRunResult?
        var stopReason: String?
        var interruptedBy: String?

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var request = request
        request.parent = getpid()
        process.arguments = ["__worker", String(decoding: try! encoder.encode(request), as: UTF8.self)]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return failed(request, submission, plan, checks: [], reason: "the worker could not start: \(error.localizedDescription)")
        }
        let fd = pipe.fileHandleForReading.fileDescriptor
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        // a line over the limit is skipped up to its end: it costs its own check only
        var skipping = false
        var dropped = 0
        let deadline = started.addingTimeInterval(timeout)
        reading: while true {
            if interruptSignal != 0 {
                interruptedBy = "grading was interrupted (\(interruptSignal == SIGINT ? "SIGINT" : "SIGTERM"))"
                stopReason = interruptedBy! + " before this check ran"
                break
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 {
                stopReason = "timed out after \(Units.trim(timeout)) s (the run's limit) before this check finished"
                break
            }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(min(left, 0.25) * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }  // the worker closed its end: it exited
            var fresh = chunk[0..<n]
            if skipping {
                guard let nl = fresh.firstIndex(of: 0x0A) else { continue }
                fresh = fresh[(nl + 1)...]
                skipping = false
            }
            buffer.append(contentsOf: fresh)
            while let nl = buffer.firstIndex(of: 0x0A) {
                let line = Data(buffer[..<nl])
                buffer.removeSubrange(...nl)
                guard let message = try? JSONDecoder().decode(WorkerMessage.self, from: line) else { continue }
                if let c = message.check { checks.append(c) }
                if let r = message.result { final = r; break reading }
            }
            if buffer.count > WorkerMessage.lineLimit {
                buffer.removeAll(keepingCapacity: false)
                skipping = true
                dropped += 1
            }
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        if let final, stopReason == nil {
            return GradeResult(lab: request.labName, submission: submission, run: plan.complete(final))
        }
        if stopReason == nil, dropped > 0, process.terminationReason == .exit, process.terminationStatus == 0 {
            // the worker finished, but a line (perhaps the last, with the whole result)
            // was too long: the checks that came through keep their results
            let partial = LabRunResult(
                checks: checks, scriptError: nil, scriptTraceback: nil, seed: request.seed ?? 1, output: "", eventLogDigest: "",
                events: 0, simulatedSeconds: 0, params: request.params)
            var run = partial
            run.checks += plan.missing(
                from: partial, reason: "its result was longer than the \(WorkerMessage.lineLimit >> 20) MiB a worker line may hold and was dropped",
                status: .error)
            return GradeResult(lab: request.labName, submission: submission, run: run)
        }
        let reason = stopReason ?? describeExit(process, request)
        var result = failed(request, submission, plan, checks: checks, reason: reason)
        result.notGraded = interruptedBy
        return result
    }

    /// Why a worker ended without its result.
    static func describeExit(_ p: Process, _ r: WorkerRequest) -> String {
        guard p.terminationReason == .uncaughtSignal else {
            return "the worker exited with code \(p.terminationStatus) before this check ran"
        }
        switch p.terminationStatus {
        case SIGXCPU: return "used more than \(r.cpuSeconds) s of CPU time; the worker was stopped before this check ran"
        case SIGKILL: return "the worker was killed (SIGKILL; out of memory?) before this check ran"
        case SIGSEGV, SIGBUS: return "the worker crashed (signal \(p.terminationStatus), memory limit \(r.memoryMiB) MiB?) before this check ran"
        case SIGABRT, SIGTRAP, SIGILL: return "the worker aborted (signal \(p.terminationStatus)) before this check ran"
        default: return "the worker stopped on signal \(p.terminationStatus) before this check ran"
        }
    }

    /// A result from what arrived, with every planned check not reached as an error.
    public static func failed(_ r: WorkerRequest, _ submission: String?, _ plan: CheckPlan, checks: [CheckOutcome],
                              reason: String) -> GradeResult {
        let partial = LabRunResult(
            checks: checks, scriptError: nil, scriptTraceback: nil, seed: r.seed ?? 1, output: "", eventLogDigest: "", events: 0,
            simulatedSeconds: 0, params: r.params)
        let all = checks + plan.missing(from: partial, reason: reason, status: reason.contains("timed out") ? .timeout : .error)
        let run = LabRunResult(
            checks: all, scriptError: reason.replacingOccurrences(of: " before this check ran", with: "")
                .replacingOccurrences(of: " before this check finished", with: ""),
            scriptTraceback: nil, seed: r.seed ?? 1, output: "", eventLogDigest: "", events: 0, simulatedSeconds: 0,
            params: r.params)
        return GradeResult(lab: r.labName, submission: submission, run: run)
    }
}
