import HyperModel
import LuaKit

/// A balloon-target policy written in Lua (`lab.balloon_policy{ name, target }`). The
/// host calls `target(view)` every balance period and on each state change with a
/// snapshot of its memory and VMs; the function runs in the state that created it — a
/// submission's sandbox, with its limits, when a student wrote it — and returns a table
/// of balloon targets by VM name, which the model checks against each VM's cap.
final class LuaBalloonPolicy: BalloonPolicy {
    let name: String
    unowned(unsafe) let state: LuaState
    let ref: Int32
    unowned(unsafe) let session: LabSession

    init(name: String, state: LuaState, ref: Int32, session: LabSession) {
        self.name = name
        self.state = state
        self.ref = ref
        self.session = session
    }

    func targets(_ view: BalloonView) throws -> [String: Int64] {
        try session.callPolicy(state, ref, "balloon policy \(name)", push: { c in push(view, c) }, read: read)
    }

    private func read(_ c: LuaCall) throws -> [String: Int64] {
        guard case .table(let t) = c.value(-1) else {
            throw ModelError("balloon policy \(name): target must return a table of balloon targets by VM name, e.g. { web01 = \"1 GiB\" }, got \(c.describe(c.value(-1)))")
        }
        var chosen: [String: Int64] = [:]
        for (key, value) in c.rawPairs(t).sorted(by: { $0.key.describe() < $1.key.describe() }) {
            guard case .string(let vm) = key else {
                throw ModelError("balloon policy \(name): key \(key.describe()) is not a VM name (return { [vm.name] = bytes, ... })")
            }
            chosen[vm] = try bytes(value, vm)
        }
        return chosen
    }

    private func bytes(_ v: LuaValue, _ vm: String) throws -> Int64 {
        switch v {
        case .integer, .number:
            // fractions of a byte are dropped, as before; the size passes the one checked
            // conversion, and the model says which targets are allowed
            var whole = v
            if case .number(let d) = v, d.isFinite { whole = .number(d.rounded(.down)) }
            do {
                return try LuaNumber.integer(whole, "balloon policy \(name): target", vm, range: -Quantity.maxBytes...Quantity.maxBytes)!
            } catch let e as LuaError { throw ModelError(e.message) }
        case .string(let s):
            do { return try Units.parseBytes(s) } catch let e as UnitError {
                throw ModelError("balloon policy \(name): target of \(vm) \(e.message)")
            }
        default:
            throw ModelError("balloon policy \(name): target of \(vm) is \(v.describe()), not a size (bytes or e.g. \"512 MiB\")")
        }
    }

    private func push(_ view: BalloonView, _ c: LuaCall) {
        c.pushTable { t in
            t.set("now", view.now.seconds)
            t.set("state", view.state.name)
            t.set("capacity", view.capacity)
            t.set("free", view.free)
            t.set("min_free", view.minFree)
            t.set("thresholds") {
                c.pushTable { e in
                    for (i, s) in ["high", "clear", "soft", "hard"].enumerated() { e.set(s, view.edges[i]) }
                }
            }
            t.set("vms") {
                c.pushArray(view.vms) { v in
                    c.pushTable { e in
                        e.set("name", v.name)
                        e.set("configured", v.configured)
                        e.set("reservation", v.reservation)
                        if let l = v.limit { e.set("limit", l) }
                        e.set("shares", v.shares)
                        e.set("active", v.active)
                        e.set("consumed", v.consumed)
                        e.set("granted", v.granted)
                        e.set("ballooned", v.ballooned)
                        e.set("swapped", v.swapped)
                        e.set("compressed", v.compressed)
                        e.set("max_balloon", v.maxBalloon)
                        e.set("tools", v.tools)
                        e.set("target", v.target)
                    }
                }
            }
        }
    }
}
