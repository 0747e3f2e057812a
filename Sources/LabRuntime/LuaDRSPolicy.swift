import HyperModel
import LuaKit

/// A DRS balancing policy written in Lua (`lab.drs_policy{ name, plan }`). At each DRS
/// pass `plan(view)` receives a snapshot of the cluster (plain tables: hosts, VMs,
/// rules) and returns the moves it wants, `{ { vm = "web1", to = "esx02" }, ... }`. It
/// runs in the state that created it — a submission's sandbox, with its instruction,
/// memory and wall-time limits, when a student wrote it — with the world frozen; what it
/// returns is read raw and every move is checked by the model (`DRS.policyMoves`).
final class LuaDRSPolicy: DRSPolicy {
    let name: String
    unowned(unsafe) let state: LuaState
    let ref: Int32
    unowned(unsafe) let session: LabSession
    /// More entries than this in an answer are not read: it is refused whole.
    static let maxMoves = 100_000

    init(name: String, state: LuaState, ref: Int32, session: LabSession) {
        self.name = name
        self.state = state
        self.ref = ref
        self.session = session
    }

    func plan(_ view: DRSView) throws -> [DRSPolicyMove] {
        try session.callPolicy(state, ref, "balancing policy \(name)", push: { c in push(view, c) }, read: read) { outcome, message in
            if case .limit = outcome { return DRSPolicyFailure(.limit, message) }
            return DRSPolicyFailure(.error, message)
        }
    }

    private func read(_ c: LuaCall) throws -> [DRSPolicyMove] {
        let shape = "{ { vm = \"name\", to = \"host name\" }, ... }"
        let move = "{ vm = \"name\", to = \"host name\" }"
        switch c.value(-1) {
        case .nil, .none: return []
        case .table: break
        case let v: throw DRSPolicyFailure(.result, "balancing policy \(name): plan must return a list of moves \(shape), got \(c.describe(v))")
        }
        let t = c.count
        let n = c.rawLength(t)
        guard n <= LuaDRSPolicy.maxMoves else {
            throw DRSPolicyFailure(.tooMany, "balancing policy \(name): plan returned \(n) moves, far more than a pass can make; return at most a few per host")
        }
        var moves: [DRSPolicyMove] = []
        moves.reserveCapacity(n)
        for i in stride(from: 1, through: n, by: 1) {
            guard let e = c.rawTable(t, Int64(i)) else {
                throw DRSPolicyFailure(.result, "balancing policy \(name): move \(i) is \(c.describe(c.rawValue(t, Int64(i)))), not a move \(move)")
            }
            defer { c.pop() }
            guard let vm = c.rawString(e, "vm") else {
                throw DRSPolicyFailure(.result, "balancing policy \(name): move \(i) has no vm name (a string: the view's vms[k].name)")
            }
            guard let to = c.rawString(e, "to") else {
                throw DRSPolicyFailure(.result, "balancing policy \(name): move \(i) (\(vm)) has no destination `to` (a string: a host name from the view)")
            }
            moves.append(DRSPolicyMove(vm: vm, to: to))
        }
        return moves
    }

    private func push(_ view: DRSView, _ c: LuaCall) {
        c.pushTable { t in
            t.set("now", view.now.seconds)
            t.set("cluster", view.cluster)
            t.set("threshold", Int64(view.threshold))
            t.set("imbalance", view.imbalance)
            t.set("target", view.target)
            t.set("max_moves_per_host", Int64(view.maxMovesPerHost))
            t.set("hosts") {
                c.pushArray(view.hosts) { h in
                    c.pushTable { e in
                        e.set("name", h.name)
                        e.set("cpus", Int64(h.cpus))
                        e.set("cpu_capacity", h.cpuCapacity)
                        e.set("memory_capacity", h.memoryCapacity)
                        e.set("cpu_load", h.cpuLoad)
                        e.set("memory_load", h.memoryLoad)
                        e.set("cpu_entitled", h.cpuEntitled)
                        e.set("memory_entitled", h.memoryEntitled)
                        e.set("cpu_reserved", h.cpuReserved)
                        e.set("memory_reserved", h.memoryReserved)
                        e.set("eligible", h.eligible)
                        e.set("state", h.state)
                        e.set("vms") { c.pushArray(h.vms) { c.push($0) } }
                    }
                }
            }
            t.set("vms") {
                c.pushArray(view.vms) { v in
                    c.pushTable { e in
                        e.set("name", v.name)
                        e.set("host", v.host)
                        e.set("vcpus", Int64(v.vcpus))
                        e.set("memory", v.memory)
                        e.set("cpu_entitlement", v.cpuEntitlement)
                        e.set("cpu_demand", v.cpuDemand)
                        e.set("memory_entitlement", v.memoryEntitlement)
                        e.set("cpu_reservation", v.cpuReservation)
                        e.set("memory_reservation", v.memoryReservation)
                        e.set("automation", v.automation)
                        e.set("migrating", v.migrating)
                        e.set("movable", v.movable)
                    }
                }
            }
            t.set("rules") {
                c.pushArray(view.rules) { r in
                    c.pushTable { e in
                        e.set("name", r.name)
                        e.set("kind", r.kind)
                        e.set("vms") { c.pushArray(r.vms) { c.push($0) } }
                        e.set("hosts") { c.pushArray(r.hosts) { c.push($0) } }
                        e.set("must", r.must)
                        e.set("avoid", r.avoid)
                        e.set("enabled", r.enabled)
                    }
                }
            }
        }
    }
}
