import HyperModel
import LuaKit

/// A CPU scheduling policy written in Lua (`lab.scheduler{ name, quantum, pick }`). The
/// model calls `pick` every quantum with a snapshot of the runnable vCPUs; the function
/// runs in the state that created it — a submission's sandbox, with its limits, when a
/// student wrote it — and what it returns is read raw and checked by the model.
final class LuaPolicy: SchedulingPolicy {
    let name: String
    let quantum: SimTime
    unowned(unsafe) let state: LuaState
    let ref: Int32
    unowned(unsafe) let session: LabSession

    init(name: String, quantum: SimTime, state: LuaState, ref: Int32, session: LabSession) {
        self.name = name
        self.quantum = quantum
        self.state = state
        self.ref = ref
        self.session = session
    }

    func pick(_ view: SchedulerView) throws -> [Int] {
        try session.callPolicy(state, ref, "scheduling policy \(name)", push: { c in push(view, c) }, read: { c in try read(c, pcpus: view.pcpus) })
    }

    private func push(_ view: SchedulerView, _ c: LuaCall) {
        c.pushTable { t in
            t.set("now", view.now.seconds)
            t.set("quantum", view.quantum.seconds)
            t.set("pcpus", Int64(view.pcpus))
            t.set("runnable") {
                c.pushArray(view.runnable) { r in
                    c.pushTable { e in
                        e.set("id", Int64(r.id))
                        e.set("vm", r.vm)
                        e.set("vcpu", Int64(r.vcpu))
                        e.set("vcpus", Int64(r.vcpus))
                        e.set("shares", r.shares)
                        e.set("run", r.run)
                        e.set("ready", r.ready)
                        e.set("waiting", r.waiting)
                    }
                }
            }
        }
    }

    private func read(_ c: LuaCall, pcpus: Int) throws -> [Int] {
        guard case .table(let t) = c.value(-1) else {
            throw ModelError("scheduling policy \(name): pick must return a list of vCPU ids, got \(c.describe(c.value(-1)))")
        }
        let n = c.rawLength(t)
        guard n <= pcpus else {
            throw ModelError("scheduling policy \(name) returned \(n) vCPUs to run but the host has only \(pcpus) pCPUs")
        }
        return try (0..<n).map { i in
            let v = c.rawValue(t, Int64(i + 1))
            do {
                // ids are small positive integers; anything else is refused before the model sees it
                if let id = try LuaNumber.integer(v, "scheduling policy \(name): pick", "result[\(i + 1)]", range: 1...Int64(Int32.max)) {
                    return Int(id)
                }
            } catch let e as LuaError { throw ModelError(e.message) }
            throw ModelError("scheduling policy \(name): pick returned \(c.describe(v)) at position \(i + 1), not a vCPU id")
        }
    }
}

extension LabSession {
    /// Calls a policy function written in Lua with one argument (pushed by `push`) in the
    /// state that made it — a submission's sandbox, with its per-call limits, when a
    /// student wrote it — and reads its one result; the stack is left as it was.
    func callPolicy<T>(_ state: LuaState, _ ref: Int32, _ what: String, push: (LuaCall) -> Void,
                       read: (LuaCall) throws -> T,
                       failure: (LuaOutcome, String) -> Error = { _, m in ModelError(m) }) throws -> T {
        let inLab = state === labState
        let c = state.context(on: inLab ? activeThread : nil)
        let base = c.count
        defer { c.pop(c.count - base) }
        c.pushRef(ref)
        push(c)
        let callLimits = inLab
            ? LuaLimits()
            : LuaLimits(instructions: options.limits.submissionCallInstructions, wallSeconds: options.limits.submissionCallWallSeconds)
        // the world is frozen while the policy runs: it sees a snapshot and may read, not change
        let (depth, who) = (choosing, choosingWhat)
        choosing += 1
        choosingWhat = what
        defer { (choosing, choosingWhat) = (depth, who) }
        let outcome = state.protectedCall(nargs: 1, nresults: 1, limits: callLimits, on: c.L)
        guard outcome.isOK else { throw failure(outcome, "\(what) failed: \(outcome.message ?? "error")") }
        return try read(c)
    }
}

extension LabAPI {
    /// Bindings a policy may call while the model waits for its choice: reads and pure
    /// functions. Every other binding and every property assignment is refused then —
    /// deny by default, so a binding added later is frozen until it is listed here.
    static func allowedWhileChoosing(_ name: String) -> Bool {
        readOnlyBindings.contains(name) || name.hasPrefix("Series:") || name.hasPrefix("lab.format.")
            || name.hasPrefix("__hyperlab.")
    }

    /// Module functions a submission run with `simulate = false` may call: pure helpers,
    /// descriptions (policies, ISAs, workloads) and reads of its empty world. Allowed by
    /// name, so a builder added later is refused until it is listed here.
    static func allowedWithoutSimulation(_ name: String) -> Bool {
        !name.hasPrefix("lab.") || withoutSimulation.contains(name) || name.hasPrefix("lab.format.")
            || name.hasPrefix("lab.workload.")
    }

    static let withoutSimulation: Set<String> = [
        "lab.now", "lab.bytes", "lab.seconds", "lab.mhz", "lab.hash", "lab.size_of", "lab.answer", "lab.answer_bytes",
        "lab.scheduler", "lab.isa", "lab.balloon_policy", "lab.drs_policy", "lab.hosts", "lab.vms", "lab.datastores",
        "lab.series", "lab.events", "lab.alarms",
    ]

    static let readOnlyBindings: Set<String> = [
        "lab.now", "lab.bytes", "lab.seconds", "lab.mhz", "lab.hash", "lab.series", "lab.events", "lab.param",
        "lab.feedback", "lab.feedback_once", "VMCPU:vcpu", "print", "Alarm:state", "lab.alarms",
    ]
}
