import Foundation
import HyperModel
import LuaKit

/// A file of the student's submission, run in its own sandboxed state.
final class Submission {
    let file: String
    /// Why it cannot be used (missing, syntax error, error, limit), or nil.
    var problem: String?
    var state: LuaState?
    /// The value it returned, anchored in the lab state.
    var resultRef: Int32?
    /// Whether it may build and run a simulated world of its own (`simulate = false`
    /// refuses, so a student cannot ask the simulator for the answers of a quiz).
    let simulate: Bool

    init(file: String, simulate: Bool) {
        self.file = file
        self.simulate = simulate
    }
}

extension LabAPI {
    func defineSubmission() {
        submission.property("file", "string", "The submission file.") { s, c in c.push(s.file) }
            .property("problem", "string", "Why it cannot be used.") { s, c in c.push(s.problem ?? "") }
            .fallback { [unowned(unsafe) self] s, key, _ in
                if let running = self.session.runningCheck {
                    if running.needsSubmission == nil { running.needsSubmission = s.file }
                } else if self.session.scriptNeededSubmission == nil {
                    self.session.scriptNeededSubmission = s.file
                }
                throw LuaError("\(s.file) cannot be used: \(s.problem ?? "unknown problem") (reading \(key.describe()))")
            }
    }

    static let submissionOptions = LuaRecord(
        "lab.SubmissionOptions", doc: "Options of `lab.submission(file, {...})`.",
        fields: [
            LuaParam("simulate", "boolean", """
                Whether the student's code may build and run a simulated world of its own (`lab.host{}`, `lab.run_for`, …; \
                default true). A quiz passes false: otherwise a student's function can build the scenario it is asked \
                about and return the simulator's own answer. Pure helpers (`lab.bytes`, `lab.format`, policy \
                constructors, `lab.isa`, workload descriptions) keep working.
                """, optional: true),
        ])

    func submissionFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "submission",
            doc: """
                Runs a file of the student's submission in its own sandbox (with instruction, memory and time limits) \
                and returns what it returns: data is copied, functions become proxies that run in the sandbox. When \
                the file is missing or fails, returns a Submission object whose every use raises the reason, so \
                each check that needs it fails with a clear message. The same file is run once.
                """,
            params: [LuaParam("file", "string", "A path inside the submission folder, e.g. \"answer.lua\"."),
                     LuaParam("options", "lab.SubmissionOptions", "", optional: true)],
            returns: [LuaParam("", "any")]
        ) { [unowned(unsafe) self] call in
            let file = try call.string(1, "file")
            var simulate: Bool?
            if !call.value(2).isNil {
                let o = try call.options(2, LabAPI.submissionOptions, context: "lab.submission")
                simulate = try o.boolean("simulate")
            }
            if let cached = self.session.submissions[file] {
                if let s = simulate, s != cached.simulate {
                    throw LuaError("lab.submission: \(file) was already run with simulate = \(cached.simulate); it runs once, so ask for simulate = \(s) at its first lab.submission (or leave the option out)")
                }
                if let ref = cached.resultRef { call.pushRef(ref) } else { call.push(cached, self.submission) }
                return 1
            }
            let sub = Submission(file: file, simulate: simulate ?? true)
            self.session.submissions[file] = sub
            self.load(sub, call)
            if sub.problem == nil, let ref = sub.resultRef {
                call.pushRef(ref)
            } else {
                call.push(sub, self.submission)
            }
            return 1
        }
    }

    private func load(_ sub: Submission, _ call: LuaCall) {
        let limits = session.options.limits
        guard let dir = session.options.submissionDirectory else {
            sub.problem = "no submission was given (run with --submission DIR)"
            return
        }
        guard !sub.file.hasPrefix("/"), !sub.file.split(separator: "/").contains(".."), !sub.file.isEmpty else {
            sub.problem = "the path must stay inside the submission folder"
            return
        }
        let root = URL(fileURLWithPath: dir).standardizedFileURL.resolvingSymlinksInPath()
        let path: String
        switch SubmissionFiles.find(sub.file, in: root.path) {
        case .found(let p, _): path = p
        case .missing(let why):
            sub.problem = why
            return
        }
        let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        guard url.path.hasPrefix(root.path + "/") else {
            sub.problem = "the path must stay inside the submission folder"
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            sub.problem = "\(sub.file) could not be read"
            return
        }
        guard data.count <= limits.submissionFileBytes else {
            sub.problem = "the file is larger than \(limits.submissionFileBytes >> 10) KiB"
            return
        }
        let source = SubmissionFiles.source(data)
        let seed = SimRandom(seed: session.effectiveSeed).split("submission/\(sub.file)").seed
        let state: LuaState
        do {
            state = try session.makeState(
                memory: limits.submissionMemory, strings: limits.submissionStringLimit, seed: seed,
                prefix: "[\(sub.file)] ", lab: false, simulate: sub.simulate)
        } catch {
            sub.problem = "the sandbox could not start: \(error)"
            return
        }
        sub.state = state
        let top = state.top
        defer { state.setTop(top) }
        let outcome = state.run(
            bytes: source, chunkname: "@" + sub.file,
            limits: LuaLimits(instructions: limits.submissionLoadInstructions, wallSeconds: limits.submissionCallWallSeconds),
            nresults: 1)
        guard outcome.isOK else {
            sub.problem = outcome.message ?? "it failed"
            return
        }
        switch state.value(at: -1) {
        case .table: break
        case .nil, .none:
            sub.problem = "it returned nothing (end it with a `return` of your answers, as the starter does)"
            return
        case let v:
            sub.problem = "it returned \(v.typeName == "number" ? "a number" : v.typeName == "object" ? "an object" : "a " + v.typeName) (\(v.describe())), not a table of answers: end it with `return M`, as the starter does"
            return
        }
        let policy = LuaTransferPolicy(allowFunctions: true, label: sub.file) {
            LuaLimits(instructions: limits.submissionCallInstructions, wallSeconds: limits.submissionCallWallSeconds)
        }
        do {
            try call.state.pushCopy(of: -1, from: state, onto: call.L, policy: policy)
            sub.resultRef = call.ref(-1)
            call.pop(1)
        } catch let e as LuaError {
            sub.problem = e.message
        } catch {
            sub.problem = "\(error)"
        }
    }
}
