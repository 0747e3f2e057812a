import HyperModel
import LuaKit

/// One action a submission took, or tried, on the lab's world during `lab.operate`.
struct OperateAction {
    var time: Double
    var object: String
    var action: String
    var binding: String
    var arguments: [String]
    var outcome: String
    var ok: Bool

    /// One line of the log as feedback shows it.
    var line: String {
        let args = arguments.isEmpty ? "" : " " + arguments.joined(separator: ", ")
        return "\(Units.formatSeconds(time))  \(object)\(binding.contains(":") ? ":" : ".")\(action)\(args): \(outcome)"
    }
}

/// The state of one `lab.operate` call: what the lab allows and what was done.
final class OperateRun {
    let allowed: [String]
    var actions: [OperateAction] = []
    /// A submission that loops over actions is stopped by its instruction limit; the log
    /// is bounded too, so its memory is.
    static let maxActions = 1000
    /// A controller is called at most this often in one lab.operate.
    static let maxCalls = 1000
    /// How many times the function was called.
    var calls = 0

    init(allowed: [String]) { self.allowed = allowed }

    /// The gate put on a submission state's writes to the lab's objects: an allowed
    /// action runs and is logged with its outcome; anything else is logged and refused,
    /// naming the action and why.
    func gate(_ w: LuaForeignWrite, now: Double) throws -> LuaForeignWriteDone {
        let cls = String(w.binding.prefix { $0 != "." && $0 != ":" })
        var entry = OperateAction(time: now, object: w.object, action: w.member, binding: w.binding,
                                  arguments: w.arguments, outcome: "", ok: false)
        guard actions.count < OperateRun.maxActions else {
            throw LuaError("\(w.target): more than \(OperateRun.maxActions) actions in one lab.operate; nothing more is done")
        }
        if w.writable, allowed.contains(w.binding) {
            let index = actions.count
            entry.outcome = "running"
            actions.append(entry)
            return { [unowned self] message in
                self.actions[index].ok = message == nil
                self.actions[index].outcome = message.map { "failed: " + $0 } ?? "ok"
            }
        }
        let why: String
        if w.writable, let what = OperateActions.catalogue[w.binding] {
            why = "this lab does not allow \(w.binding) (\(what)); it allows " + (allowed.isEmpty ? "no action" : allowed.joined(separator: ", "))
        } else {
            why = OperateActions.reason((w.binding, cls, w.member, w.writable))
        }
        entry.outcome = "refused: " + why
        actions.append(entry)
        throw LuaError("\(w.target): \(why)")
    }

    /// A module function called while operating: reads and pure helpers pass, anything
    /// that would build, configure or advance a world is logged and refused.
    func guardModule(_ name: String, now: Double) throws {
        guard name.hasPrefix("lab."), !LabAPI.allowedWithoutSimulation(name) else { return }
        let why = OperateActions.moduleReason(name)
        if actions.count < OperateRun.maxActions {
            actions.append(OperateAction(time: now, object: "lab", action: String(name.dropFirst(4)), binding: name,
                                         arguments: [], outcome: "refused: " + why, ok: false))
        }
        throw LuaError("\(name): \(why)")
    }
}

extension LabAPI {
    static let operateOptions = LuaRecord(
        "lab.OperateOptions", doc: "Options of `lab.operate(fn, world, {...})`.",
        fields: [
            LuaParam("allow", "string[]", """
                The administrator's actions the submission may take, by binding name as docs/api.md lists them: \
                properties as "VMCPU.limit", methods as "VM:migrate". Only actions of the engine's catalogue \
                (shares, reservations, limits, pools, vMotion, power operations, DRS, snapshots, a paused VM's \
                question, maintenance) may be listed; everything else is refused.
                """),
            LuaParam("every", "number|string", """
                Calls the function as a controller: now, then every `every` of simulated time while the lab's world                 runs for `run` (e.g. every = "5 min", run = "30 min"); the world has run `run` when lab.operate returns.                 Without it the function is called once and time does not pass.
                """, optional: true),
            LuaParam("run", "number|string", "How long the world runs with a controller (required with `every`).", optional: true),
        ])

    func operateFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "operate",
            doc: """
                Calls a submission's function once with `world` (a table of the lab's objects), letting it take the \
                administrator's actions listed in `allow` on those objects, and returns the action log: { ok, error, \
                actions = { { time, object, action, binding, arguments, outcome, ok } … }, text }. Every write to a lab \
                object is logged with its outcome; one not allowed is refused (an ordinary error in the student's code) \
                naming the action and why an administrator could not take it. Time does not pass during the call; the \
                submission must be loaded with `simulate = false`. A function that errors or runs out of its limits \
                returns ok = false with the error, never ending the run; what it did before stays done. With \
                `every` and `run` it is a controller, called now and then every `every` while the world runs.
                """,
            params: [LuaParam("fn", "function", "A function of the submission (e.g. answer.fix)."),
                     LuaParam("world", "table", "What the function receives, e.g. { hosts = …, vms = … }."),
                     LuaParam("options", "lab.OperateOptions")],
            returns: [LuaParam("", "{ ok: boolean, error: string?, calls: integer, actions: { time: number, object: string, action: string, binding: string, arguments: string[], outcome: string, ok: boolean }[], text: string }")]
        ) { [unowned(unsafe) self] call in
            _ = try call.function(1, "fn")
            _ = try call.table(2, "world")
            let o = try call.options(3, LabAPI.operateOptions, context: "lab.operate")
            var allowed: [String] = []
            for v in try o.array("allow") ?? [] {
                guard case .string(let name) = v else {
                    throw LuaError("lab.operate: allow: \(call.describe(v)) is not an action name such as \"VM:migrate\"")
                }
                guard OperateActions.catalogue[name] != nil else {
                    let known = OperateActions.catalogue.keys.sorted()
                    throw LuaError("lab.operate: allow: \"\(name)\" is not an administrator's action lab.operate can allow\(Suggest.didYouMean(name, known)) (allowed: \(known.joined(separator: ", ")))")
                }
                if !allowed.contains(name) { allowed.append(name) }
            }
            guard self.session.operating == nil else {
                throw LuaError("lab.operate: already operating (a submission's function cannot start another)")
            }
            let states = self.session.submissions.keys.sorted().compactMap { self.session.submissions[$0] }
            if let open = states.first(where: { $0.simulate && $0.state != nil }) {
                throw LuaError("lab.operate: load \(open.file) with lab.submission(\"\(open.file)\", { simulate = false }) so the student's code cannot build and run a world of its own")
            }
            let run = OperateRun(allowed: allowed)
            var error: String?
            if o["every"].isNil {
                guard o["run"].isNil else { throw LuaError("lab.operate: run is the length of a controller's run: give every too") }
                error = try self.session.operate(run, call)
            } else {
                error = try self.controller(run, o, call)
            }
            self.pushLog(run, error, call)
            return 1
        }
    }

    /// Calls the function every `every` while the world runs for `run`. A call that fails
    /// ends the calls (its error is returned), not the run: the world still runs to the end.
    private func controller(_ run: OperateRun, _ o: LuaOptions, _ call: LuaCall) throws -> String? {
        let every = try Quantity.seconds(o["every"], "lab.operate", "every", allowZero: false)
        guard !o["run"].isNil else { throw LuaError("lab.operate: every needs run, how long the world runs (e.g. run = \"30 min\")") }
        let length = try Quantity.seconds(o["run"], "lab.operate", "run", allowZero: false)
        guard every > 0, length > 0, length / every <= Double(OperateRun.maxCalls) else {
            throw LuaError("lab.operate: every and run must be positive, with at most \(OperateRun.maxCalls) calls (run ÷ every)")
        }
        let w = session.world
        guard let end = w.now.adding(.seconds(length)), SimTime.seconds(every).micros >= 1 else {
            throw LuaError("lab.operate: run \(call.describe(o["run"])) runs past the simulation's horizon")
        }
        var error: String?
        while w.now < end {
            if error == nil {
                run.calls += 1
                error = try session.operate(run, call)
            }
            let step = min(SimTime.seconds(every).micros, end.micros - w.now.micros)
            try session.simulate(call) { stop in try w.run(for: SimTime(micros: step), shouldStop: stop) }
        }
        return error
    }

    private func pushLog(_ run: OperateRun, _ error: String?, _ call: LuaCall) {
        call.pushTable { t in
            t.set("ok", error == nil)
            t.set("calls", Int64(max(run.calls, 1)))
            if let e = error { t.set("error", e) }
            t.set("actions") {
                call.pushArray(run.actions) { a in
                    call.pushTable { e in
                        e.set("time", a.time)
                        e.set("object", a.object)
                        e.set("action", a.action)
                        e.set("binding", a.binding)
                        e.set("arguments") { call.pushArray(a.arguments) { call.push($0) } }
                        e.set("outcome", a.outcome)
                        e.set("ok", a.ok)
                    }
                }
            }
            var lines = run.actions.map(\.line)
            if lines.isEmpty { lines = ["(no action)"] }
            if let e = error { lines.append("the function stopped: " + e) }
            t.set("text", lines.joined(separator: "\n"))
        }
    }
}

extension LabSession {
    /// Runs the function at 1 of `call` with the value at 2, with every submission state's
    /// writes to foreign objects put to `run`'s gate and its module functions guarded;
    /// returns the function's error, or nil. Limits stay the submission's per call.
    func operate(_ run: OperateRun, _ call: LuaCall) throws -> String? {
        let states = submissions.keys.sorted().compactMap { submissions[$0]?.state }
        let saved = states.map { $0.mutationGuard }
        let w = world
        operating = run
        for s in states {
            let old = s.mutationGuard
            s.foreignWriteGate = { [unowned run] write in try run.gate(write, now: w.now.seconds) }
            s.mutationGuard = { [unowned run] name in
                try run.guardModule(name, now: w.now.seconds)
                try old?(name)
            }
        }
        defer {
            operating = nil
            for (s, g) in zip(states, saved) {
                s.foreignWriteGate = nil
                s.mutationGuard = g
            }
        }
        call.pushValue(1)
        call.pushValue(2)
        let outcome = call.state.protectedCall(nargs: 1, nresults: 0, limits: LuaLimits(), on: call.L)
        switch outcome {
        case .ok: return nil
        case .error(let m, _): return m
        case .limit(let m):
            // the lab's own limit ends the run; the submission's per-call limit only this call
            if call.state.isKilled { throw LuaError(relayed: m) }
            return m
        }
    }
}
