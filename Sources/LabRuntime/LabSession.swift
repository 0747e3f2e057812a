import Foundation
import HyperModel
import LuaKit

/// One run of a lab script: the trusted lab state, the submission states it opens, the
/// simulated world they share, and the checks it records.
public final class LabSession {
    public let options: LabOptions
    public private(set) var labState: LuaState!
    private var worldStorage: Datacenter?
    private(set) var scriptSeed: UInt64?
    var api: LabAPI!
    var submissions: [String: Submission] = [:]
    var checks: [CheckOutcome] = []
    var runningCheck: RunningCheck?
    /// The keys `lab.feedback_once` has shown outside any check.
    var feedbackKeysOutside: Set<String> = []
    /// A submission file that could not be used was read outside any check.
    var scriptNeededSubmission: String?
    /// Where lab.lua's return value sits on the lab state's stack, for hidden scripts.
    private var sharedIndex: Int32?
    /// Parameters the script asked for with `lab.param`, to refuse a `--param` it never reads.
    var paramsAsked: [String] = []
    /// The Lua thread whose call is running the simulation: a Lua scheduling policy is
    /// called on it.
    var activeThread: OpaquePointer?
    /// How many policies (scheduling, balloon) the model is running now: while one runs
    /// the world is frozen, so the model is never changed under its own feet.
    var choosing = 0
    /// What is choosing, for the message.
    var choosingWhat = ""
    /// An alarm action written in Lua is running: time cannot advance from inside it.
    var runningAlarmAction = false
    /// What checks reveal unless they say otherwise (`lab.reveal`).
    var defaultReveal: Reveal = .none
    /// What the report draws: the objects Lua code read, and what `lab.report` named.
    let focus = ReportFocus()
    /// The instructor's hidden scripts are running (outside their checks too).
    var inHiddenScripts = false
    /// A submission is operating the lab's world (`lab.operate`): its writes are logged here.
    var operating: OperateRun?
    private var outputLines: [String] = []
    private var studentLines: [String] = []
    private var outputBytes = 0
    private var outputDropped = 0

    public init(options: LabOptions) throws {
        self.options = options
        api = LabAPI(session: self)
        // what the report draws is chosen from what the lab reads: noted only when a
        // report or panels are asked for, so plain runs and grading pay nothing per read
        if options.charts { api.trackReads() }
        labState = try makeState(
            memory: options.limits.labMemory, strings: 64 << 20, seed: effectiveSeed, prefix: "", lab: true)
    }

    /// The seed in force: `--seed`, else `lab.seed(n)`, else 1.
    public var effectiveSeed: UInt64 { options.seed ?? scriptSeed ?? 1 }

    /// The simulated world, created on first use with the seed in force then.
    var world: Datacenter {
        if let w = worldStorage { return w }
        let w = Datacenter(seed: effectiveSeed)
        w.parallelism = options.threads
        w.traceSmallHosts = options.charts
        worldStorage = w
        options.onWorld?(w)
        return w
    }

    var worldExists: Bool { worldStorage != nil }

    /// The world of each submission state: its own, empty at first, so `lab.host{}` in a
    /// submission builds there, `lab.run_for` advances only it and `lab.hosts()` lists
    /// only it. Kept for the whole run, since objects of it may reach the lab state.
    private var scratchWorlds: [ObjectIdentifier: Datacenter] = [:]

    /// The world code running in `state` works on.
    func world(for state: LuaState) -> Datacenter {
        scratchWorlds.isEmpty ? world : scratchWorlds[ObjectIdentifier(state)] ?? world
    }

    func worldExists(for state: LuaState) -> Bool {
        scratchWorlds[ObjectIdentifier(state)] != nil || worldExists
    }

    /// Refuses, from a submission, a call that reads or sets the run's configuration (the
    /// seed, the lab's parameters): a submission sees only what the lab passes it.
    func refuseFromSubmission(_ state: LuaState, _ what: String) throws {
        if scratchWorlds[ObjectIdentifier(state)] != nil {
            throw LuaError("\(what): a submission cannot read or change the lab's configuration")
        }
    }

    func setScriptSeed(_ seed: UInt64) throws {
        guard !worldExists else {
            throw LuaError("lab.seed: call it before building the world (hosts, datastores) so every object draws from it")
        }
        scriptSeed = seed
    }

    /// A fresh sandboxed state with the lab API and the engine's Lua library.
    func makeState(memory: Int, strings: Int, seed: UInt64, prefix: String, lab: Bool, simulate: Bool = true) throws -> LuaState {
        var config = LuaConfig()
        config.memoryLimit = memory
        config.stringLimit = strings
        config.randomSeed = Int64(bitPattern: seed)
        config.outputPrefix = prefix
        let state = try LuaState(config: config)
        if !lab {
            state.foreignObjectsReadOnly = "a submission cannot change the lab's datacenter"
            scratchWorlds[ObjectIdentifier(state)] = Datacenter(seed: seed)
        }
        state.outputSink = { [unowned(unsafe) self] line in self.emit(line, student: !lab) }
        state.mutationGuard = { [unowned(unsafe) self] name in
            if !simulate, !LabAPI.allowedWithoutSimulation(name) {
                throw LuaError("\(name): this lab does not let a submission build or run a simulation of its own (it asks you to work the answer out); to experiment, run a script of your own with `hyperlab run`")
            }
            guard self.choosing > 0, !LabAPI.allowedWhileChoosing(name) else { return }
            throw LuaError("\(name): cannot change the datacenter while the scheduler is choosing (\(self.choosingWhat) is running)")
        }
        state.install(lab ? api.labAPI : api.submissionAPI)
        try Stdlib.load(into: state, internals: api.internalModule, lab: lab)
        return state
    }

    // MARK: output

    /// Captured `print` output of every state, in order, capped. Lines printed while a
    /// check runs belong to that check's result; the others to the run's. A submission's
    /// own prints and `lab.feedback` reach students too; the lab script's prints do not.
    func emit(_ line: String, student: Bool) {
        let size = line.utf8.count + 1
        if outputBytes + size > options.limits.outputBytes {
            outputDropped += size
            return
        }
        outputBytes += size
        if let check = runningCheck {
            check.output.append(line)
            if student { check.studentOutput.append(line) }
        } else {
            outputLines.append(line)
            if student { studentLines.append(line) }
        }
    }

    /// Whether `lab.feedback_once` has not yet shown `key`: in the running check, which
    /// starts with none, else in the run outside checks.
    func firstTime(feedbackKey key: String) -> Bool {
        if let check = runningCheck { return check.feedbackKeys.insert(key).inserted }
        return feedbackKeysOutside.insert(key).inserted
    }

    var output: String { text(outputLines) }
    var studentOutput: String { text(studentLines) }

    private func text(_ lines: [String]) -> String {
        var text = lines.map { $0 + "\n" }.joined()
        if outputDropped > 0 { text += "... (\(outputDropped) more bytes of output dropped)\n" }
        return text
    }

    // MARK: running

    /// Runs the lab script to its end. Errors outside checks end the run; the checks
    /// recorded so far are kept.
    public func run() -> LabRunResult {
        var scriptError: String?
        var traceback: String?
        do {
            let source = try String(contentsOfFile: options.labFile, encoding: .utf8)
            // what lab.lua returns (its helpers, say) stays on the stack for hidden/ scripts
            let outcome = labState.run(
                source, chunkname: "@" + LabSession.relativeName(options.labFile, in: options.labDirectory),
                limits: LuaLimits(instructions: options.limits.labInstructions, wallSeconds: options.limits.labWallSeconds),
                nresults: 1)
            switch outcome {
            case .ok: sharedIndex = labState.top
            case .error(let m, let t):
                scriptError = m
                traceback = t
            case .limit(let m): scriptError = m
            }
        } catch {
            scriptError = "cannot read the lab script \(options.labFile): \(error.localizedDescription)"
        }
        // the lab script stopped because it read a submission that cannot be used: the
        // student's problem, said once, not a lab failure
        if scriptError == nil, let dir = options.hiddenDirectory {
            (scriptError, traceback) = runHidden(dir)
        }
        var stoppedBy: String?
        if scriptError != nil, let file = scriptNeededSubmission {
            stoppedBy = file
            scriptError = nil
            traceback = nil
        }
        if scriptError == nil, stoppedBy == nil {
            let unknown = options.params.keys.filter { !paramsAsked.contains($0) }.sorted()
            if let name = unknown.first {
                let reads = paramsAsked.isEmpty ? "this lab reads no parameters" : "this lab reads " + paramsAsked.joined(separator: ", ")
                scriptError = "unknown --param \(name)\(Suggest.didYouMean(name, paramsAsked)) (\(reads))"
            }
        }
        let w = worldStorage
        var result = LabRunResult(
            checks: checks, scriptError: scriptError, scriptTraceback: traceback, seed: effectiveSeed, output: output,
            eventLogDigest: w?.log.digest ?? EventLog().digest, events: w?.log.total ?? 0,
            simulatedSeconds: w?.now.seconds ?? 0, params: options.params)
        result.studentOutput = studentOutput
        result.stoppedBySubmission = stoppedBy
        result.submissionProblems = submissions.keys.sorted().compactMap { file in
            submissions[file]!.problem.map { $0.hasPrefix(file) ? $0 : "\(file): \($0)" }
        }
        if options.charts, let w { result.charts = RunCharts(w, focus: focus) }
        return result
    }

    /// Runs the instructor's hidden scripts in name order, in the lab's state. Each runs
    /// even when one before it failed, so an error costs only that script's checks; the
    /// first error is the run's.
    private func runHidden(_ dir: String) -> (String?, String?) {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".lua") }.sorted()
        } catch {
            return ("cannot read the hidden checks in \(dir): \(error.localizedDescription)", nil)
        }
        var first: (String?, String?) = (nil, nil)
        if let w = worldStorage {
            focus.hiddenStart = (w.hosts.count, w.vms.count, Set(w.allDatastores.map(ObjectIdentifier.init)), w.log.total)
        } else {
            focus.hiddenStart = (0, 0, [], 0)
        }
        inHiddenScripts = true
        defer { inHiddenScripts = false }
        for file in files {
            let path = (dir as NSString).appendingPathComponent(file)
            guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
                if first.0 == nil { first = ("cannot read the hidden script \(path)", nil) }
                continue
            }
            // each hidden script gets what lab.lua returned as its `...`
            let top = labState.top
            var outcome = labState.load(source, chunkname: "@hidden/" + file)
            if outcome.isOK {
                if let i = sharedIndex { labState.pushCopy(at: i) } else { labState.pushNil() }
                outcome = labState.protectedCall(
                    nargs: 1, nresults: 0,
                    limits: LuaLimits(instructions: options.limits.labInstructions, wallSeconds: options.limits.labWallSeconds))
            }
            labState.setTop(top)
            guard first.0 == nil else { continue }
            switch outcome {
            case .ok: continue
            case .error(let m, let t): first = (m, t)
            case .limit(let m): first = (m, nil)
            }
        }
        return first
    }

    func record(_ outcome: CheckOutcome) {
        checks.append(outcome)
        options.onCheck?(outcome)
    }

    /// `path` relative to `directory` when inside it, else its last component.
    static func relativeName(_ path: String, in directory: String) -> String {
        let file = URL(fileURLWithPath: path).standardizedFileURL.path
        let dir = URL(fileURLWithPath: directory).standardizedFileURL.path
        if file.hasPrefix(dir + "/") { return String(file.dropFirst(dir.count + 1)) }
        return URL(fileURLWithPath: path).lastPathComponent
    }

    /// Runs a long model operation from Lua: the state's limits are polled while the
    /// simulation runs, and a hit stops it with the state's kill reason.
    func simulate(_ call: LuaCall, _ body: (@escaping () -> Bool) throws -> Bool) throws {
        guard !runningAlarmAction else {
            throw LuaError("\(call.name): an alarm action cannot advance time (it runs between two events of the simulation)")
        }
        let state = call.state
        let previous = activeThread
        activeThread = call.L
        defer { activeThread = previous }
        let finished = try model { try body { state.limitReached() } }
        if !finished || state.isKilled { throw LuaError(relayed: state.killReason) }
    }
}
