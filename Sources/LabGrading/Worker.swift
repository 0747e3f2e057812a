import Foundation
import LabRuntime
import LuaKit

/// What a worker process runs: the binary re-executed as `hyperlab __worker REQUEST`,
/// with the request as JSON. The worker streams one JSON line per finished check on its
/// stdout (lab and student `print` is captured by the engine and never reaches it) and a
/// last line with the whole result.
public struct WorkerRequest: Codable, Sendable {
    public var labFile: String
    public var labDirectory: String
    public var labName: String
    public var submission: String?
    public var hidden: String?
    public var seed: UInt64?
    public var params: [String: String] = [:]
    /// Address-space limit of the worker (RLIMIT_AS), in MiB.
    public var memoryMiB: Int = 4096
    /// CPU-time limit of the worker (RLIMIT_CPU), in seconds.
    public var cpuSeconds: Int = 600
    /// Collect charts and panels (HTML reports).
    public var charts = false
    /// The grading process's pid: the worker ends when that process does.
    public var parent: Int32?

    public init(lab: LabLocation, submission: String?, hidden: String?, seed: UInt64?, params: [String: String]) {
        labFile = lab.file
        labDirectory = lab.directory
        labName = lab.name
        self.submission = submission
        self.hidden = hidden
        self.seed = seed
        self.params = params
    }

    var options: LabOptions {
        var o = LabOptions(labFile: labFile, labDirectory: labDirectory, submissionDirectory: submission, seed: seed)
        o.params = params
        o.hiddenDirectory = hidden
        o.charts = charts
        return o
    }
}

/// One line of the worker's stream.
struct WorkerMessage: Codable {
    var check: CheckOutcome?
    var result: LabRunResult?

    /// The longest line the parent reads; a longer one is skipped (its check is lost,
    /// the run goes on).
    static let lineLimit = 16 << 20
    /// What the worker aims below: texts of a message that would pass it are cut.
    static let shrinkTo = 256 << 10

    /// The message with every free text cut to `limit` bytes, for a line that would
    /// otherwise be too long (the engine bounds messages already; output and
    /// tracebacks can still be long).
    func shrunk(_ limit: Int) -> WorkerMessage {
        func cut(_ c: CheckOutcome) -> CheckOutcome {
            var c = c
            for field in [\CheckOutcome.message, \.studentMessage, \.expected, \.actual] {
                if let text = c[keyPath: field] { c[keyPath: field] = LuaValue.bounded(text, limit: limit) }
            }
            c.output = LuaValue.bounded(c.output, limit: limit)
            c.studentOutput = LuaValue.bounded(c.studentOutput, limit: limit)
            return c
        }
        var m = self
        m.check = check.map(cut)
        if var r = result {
            r.checks = r.checks.map(cut)
            r.output = LuaValue.bounded(r.output, limit: limit)
            r.studentOutput = LuaValue.bounded(r.studentOutput, limit: limit)
            r.scriptError = r.scriptError.map { LuaValue.bounded($0, limit: limit) }
            r.scriptTraceback = r.scriptTraceback.map { LuaValue.bounded($0, limit: limit) }
            r.submissionProblems = r.submissionProblems.map { LuaValue.bounded($0, limit: limit) }
            m.result = r
        }
        return m
    }
}

/// The worker's side: limits itself, closes stdin, runs the lab and streams results.
public enum WorkerMain {
    public static func run(_ encoded: String) -> Int32 {
        guard let data = encoded.data(using: .utf8), let request = try? JSONDecoder().decode(WorkerRequest.self, from: data) else {
            FileHandle.standardError.write(Data("hyperlab __worker: bad request\n".utf8))
            return 4
        }
        // a parent killed with kill -9 would otherwise leave its workers running up to their
        // CPU limit, taking cores from the run that resumes it
        dieWithParent()
        if let parent = request.parent, getppid() != parent { return 4 }  // it died before that took effect
        limit(RLIMIT_CORE, 0)
        limit(RLIMIT_CPU, rlim_t(request.cpuSeconds))
        limit(RLIMIT_AS, rlim_t(request.memoryMiB) << 20)
        let null = open("/dev/null", O_RDONLY)
        if null >= 0 { dup2(null, STDIN_FILENO); close(null) }
        var options = request.options
        options.onCheck = { outcome in emit(WorkerMessage(check: outcome)) }
        let lab = LabLocation(file: request.labFile, directory: request.labDirectory, name: request.labName)
        let result = LabRunner.run(lab, options: options)
        emit(WorkerMessage(result: result.run))
        return 0
    }

    /// prctl(PR_SET_PDEATHSIG, SIGKILL). Swift does not import the variadic prctl, so it is
    /// called through a fixed signature, as its arguments are all integers in registers.
    private static func dieWithParent() {
        #if os(Linux)
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return }
        let prctl = unsafeBitCast(symbol, to: Prctl.self)
        _ = prctl(1 /* PR_SET_PDEATHSIG */, UInt(SIGKILL), 0, 0, 0)
        #endif
    }

    private static func limit(_ resource: __rlimit_resource, _ value: rlim_t) {
        var r = rlimit(rlim_cur: value, rlim_max: value)
        var current = rlimit()
        if getrlimit(__rlimit_resource_t(resource.rawValue), &current) == 0, current.rlim_max != rlim_t.max, current.rlim_max < value {
            r = rlimit(rlim_cur: current.rlim_max, rlim_max: current.rlim_max)
        }
        setrlimit(__rlimit_resource_t(resource.rawValue), &r)
    }

    /// One whole line per write(2), so a kill never leaves half a line behind a whole one.
    private static func emit(_ message: WorkerMessage) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard var data = try? encoder.encode(message) else { return }
        if data.count >= WorkerMessage.lineLimit / 2, let smaller = try? encoder.encode(message.shrunk(WorkerMessage.shrinkTo)) {
            data = smaller
        }
        data.append(0x0A)
        data.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                let n = write(STDOUT_FILENO, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}
