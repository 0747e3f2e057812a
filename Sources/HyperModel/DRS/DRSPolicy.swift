/// A balancing policy supplied from outside (a student's Lua, `lab.drs_policy`): at
/// each pass it receives a read-only snapshot of the cluster and returns the moves it
/// wants; the engine checks every move and runs the valid ones as vMotions, as the
/// built-in balancer's. Mandatory moves (rule repairs) are still DRS's own and come first.
public protocol DRSPolicy: AnyObject {
    var name: String { get }
    func plan(_ view: DRSView) throws -> [DRSPolicyMove]
}

/// A policy's failure, by kind, so a lab can tell a policy that ran out of its limits from
/// one that returned nonsense or asked for an impossible move.
public struct DRSPolicyProblem: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The policy raised an error.
        case error
        /// It ran out of its instruction, memory or wall-time limits.
        case limit
        /// What it returned is not a list of moves `{ vm = name, to = host name }`.
        case result
        /// More moves than a pass can make: none was made.
        case tooMany = "too-many"
        /// A move names a VM the cluster does not run, or a host it does not have.
        case unknownVM = "unknown-vm", unknownHost = "unknown-host"
        /// A valid-looking move the model refuses (a rule, room, eligibility, …).
        case refused
    }
    public var time: SimTime
    public var kind: Kind
    public var message: String
    /// The move's place in the answer (from 1), its VM and destination, for move problems.
    public var move: Int?
    public var vm: String?
    public var to: String?
}

/// What a policy's `plan` throws when it fails: `kind` is `.error`, `.limit` or `.result`.
public struct DRSPolicyFailure: Error {
    public var kind: DRSPolicyProblem.Kind
    public var message: String
    public init(_ kind: DRSPolicyProblem.Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// One move a policy asks for, by names; `position` is its place in the answer.
public struct DRSPolicyMove: Sendable, Equatable {
    public var vm: String
    public var to: String
    public init(vm: String, to: String) {
        self.vm = vm
        self.to = to
    }
}

/// What a policy sees: plain values, no model objects.
public struct DRSView: Sendable {
    public struct HostView: Sendable {
        public var name: String
        public var cpus: Int
        public var cpuCapacity: Double
        public var memoryCapacity: Int64
        /// Σ entitlements of its VMs / capacity (0–1, above 1 when over-committed).
        public var cpuLoad: Double
        public var memoryLoad: Double
        public var cpuEntitled: Double
        public var memoryEntitled: Int64
        public var cpuReserved: Double
        public var memoryReserved: Int64
        /// May take VMs; when not, `state` says why ("entering maintenance mode"...).
        public var eligible: Bool
        public var state: String
        public var vms: [String]
    }

    public struct VMView: Sendable {
        public var name: String
        public var host: String
        public var vcpus: Int
        public var memory: Int64
        public var cpuEntitlement: Double
        public var cpuDemand: Double
        public var memoryEntitlement: Int64
        public var cpuReservation: Double
        public var memoryReservation: Int64
        /// "fully" | "partially" | "manual" | "disabled": its effective level.
        public var automation: String
        public var migrating: Bool
        /// DRS may move it (running, not disabled, not migrating, no pass-through device).
        public var movable: Bool
    }

    public struct RuleView: Sendable {
        public var name: String
        public var kind: String
        public var vms: [String]
        public var hosts: [String]
        public var must: Bool
        public var avoid: Bool
        public var enabled: Bool
    }

    public var now: SimTime
    public var cluster: String
    public var threshold: Int
    public var imbalance: Double
    public var target: Double
    public var maxMovesPerHost: Int
    public var hosts: [HostView]
    public var vms: [VMView]
    public var rules: [RuleView]
}

extension DRS {
    /// Sets (or with nil removes) the balancing policy.
    public func setPolicy(_ p: DRSPolicy?) {
        policy = p
        datacenter.log.record(now, "drs", cluster.description, p.map { "balancing policy \($0.name) replaces the built-in balancer" } ?? "built-in balancer restored")
    }

    /// The snapshot a policy sees, from the plan `L` (mandatory moves already in it).
    func view(_ L: DRSLoads) -> DRSView {
        var hostViews: [DRSView.HostView] = []
        for h in cluster.hosts {
            let i = L.hostIndex(h)
            let why = h.failed ? "failed" : ineligibility(of: h)
            hostViews.append(DRSView.HostView(
                name: h.name, cpus: h.cpus, cpuCapacity: h.capacityMHz, memoryCapacity: h.memory.capacity,
                cpuLoad: i.map { L.cpuLoad($0) } ?? 0, memoryLoad: i.map { L.memLoad($0) } ?? 0,
                cpuEntitled: i.map { L.cpu[$0] } ?? 0, memoryEntitled: Int64(i.map { L.mem[$0] } ?? 0),
                cpuReserved: i.map { L.resCPU[$0] } ?? h.reservedMHz, memoryReserved: Int64(i.map { L.resMem[$0] } ?? Double(h.memory.reserved)),
                eligible: why == nil, state: why ?? "connected",
                vms: i.map { L.members[$0].map { L.vms[$0].name } } ?? []))
        }
        let vmViews = L.vms.enumerated().map { k, v in
            DRSView.VMView(
                name: v.name, host: L.hosts[L.vmHost[k]].name, vcpus: v.vcpus, memory: v.memory,
                cpuEntitlement: L.vmCPU[k], cpuDemand: v.metrics.cpuDemandMHz, memoryEntitlement: Int64(L.vmMem[k]),
                cpuReservation: v.cpuAllocation.reservationMHz, memoryReservation: v.memAllocation.reservation,
                automation: automation(of: v)?.rawValue ?? "disabled", migrating: v.isMigrating || flight.isQueued(v),
                movable: balanceCandidate(v))
        }
        let ruleViews = rules.map { r in
            DRSView.RuleView(name: r.name, kind: r.kind.rawValue, vms: r.vms.map(\.name), hosts: r.hosts.map(\.name),
                             must: r.must, avoid: r.avoid, enabled: r.enabled)
        }
        return DRSView(now: now, cluster: cluster.name, threshold: settings.threshold, imbalance: L.imbalance,
                       target: DRSPriority.target(threshold: settings.threshold, hosts: L.count, reading: settings.reading),
                       maxMovesPerHost: maxMovesPerHost, hosts: hostViews, vms: vmViews, rules: ruleViews)
    }

    /// Runs the policy on `L`: its valid moves, planned on `L`. A policy that fails (an
    /// error, a wrong result, too many moves) makes no move this pass; each refused move
    /// and each failure is logged and kept in `policyProblems`.
    func policyMoves(_ p: DRSPolicy, _ L: inout DRSLoads) -> [DRSMove] {
        let asked: [DRSPolicyMove]
        do {
            asked = try p.plan(view(L))
        } catch let f as DRSPolicyFailure {
            problem(f.kind, "\(f.message); no balancing move this pass")
            return []
        } catch {
            problem(.error, "\((error as? ModelError)?.message ?? "balancing policy \(p.name) failed: \(error)"); no balancing move this pass")
            return []
        }
        let cap = maxMovesPerHost
        let most = max(1, cap * L.count / 2)
        guard asked.count <= most else {
            problem(.tooMany, "balancing policy \(p.name) returned \(asked.count) moves; at most \(most) are possible in one pass (MaxMovesPerHost \(cap) × \(L.count) hosts / 2): none was made")
            return []
        }
        var moved = [Int](repeating: 0, count: L.count)
        var movedVM = Set<Int>()
        var moves: [DRSMove] = []
        for (n, m) in asked.enumerated() {
            let who = "balancing policy \(p.name): move \(n + 1) (\(m.vm) → \(m.to))"
            guard let v = cluster.hosts.lazy.flatMap(\.vms).first(where: { $0.name == m.vm }) else {
                problem(.unknownVM, "\(who) refused: no VM named \(m.vm) runs in cluster \(cluster.name)", n + 1, m)
                continue
            }
            guard let h = cluster.hosts.first(where: { $0.name == m.to }) else {
                problem(.unknownHost, "\(who) refused: no host named \(m.to) in cluster \(cluster.name)", n + 1, m)
                continue
            }
            if let why = policyRefusal(v, to: h, L, moved: moved, movedVM: movedVM, cap: cap) {
                problem(.refused, "\(who) refused: \(why)", n + 1, m)
                continue
            }
            let k = L.vmIndex(v)!, d = L.hostIndex(h)!
            let lim = L.imbalance
            let priority = DRSPriority.of(imbalance: lim, hosts: L.count, reading: settings.reading) ?? 5
            moved[L.vmHost[k]] += 1
            moved[d] += 1
            movedVM.insert(k)
            let from = L.hosts[L.vmHost[k]]
            L.apply(moving: k, to: d)
            moves.append(DRSMove(vm: v, from: from, to: h, priority: priority, reason: .policy, before: lim, after: L.imbalance))
        }
        return moves
    }

    /// Why a policy's move of `v` to `h` is refused, nil when it is valid.
    private func policyRefusal(_ v: VM, to h: Host, _ L: DRSLoads, moved: [Int], movedVM: Set<Int>, cap: Int) -> String? {
        if h.failed { return "\(h.name) has failed" }
        if let why = ineligibility(of: h) { return "\(h.name) is not eligible (\(why))" }
        guard let d = L.hostIndex(h) else { return "\(h.name) takes no part in balancing" }
        guard let k = L.vmIndex(v) else { return "\(v.name) is \(v.state.rawValue); only running VMs move" }
        if movedVM.contains(k) { return "\(v.name) is already moved by an earlier move of this answer" }
        if L.vmHost[k] == d { return "\(v.name) already runs on \(h.name)" }
        if automation(of: v) == nil { return "\(v.name)'s DRS automation level is disabled" }
        if v.isMigrating || flight.isQueued(v) { return "\(v.name) is already migrating" }
        if v.hasPassthrough { return "\(v.name) has a pass-through (DirectPath I/O) device" }
        let s = L.vmHost[k]
        if moved[s] >= cap { return "\(L.hosts[s].name) already takes part in \(cap) moves this pass (MaxMovesPerHost)" }
        if moved[d] >= cap { return "\(h.name) already takes part in \(cap) moves this pass (MaxMovesPerHost)" }
        if !L.reservationsFit(k, on: d) { return "\(h.name) has too little unreserved CPU or memory for \(v.name)'s reservations" }
        if v.vcpus > h.cpus && h.scheduler.kind != .fair { return "\(v.name) has \(v.vcpus) vCPUs, \(h.name) only \(h.cpus) pCPUs" }
        if let why = v.cpuRefusal(on: h) { return "\(v.name): \(why)" }
        for disk in v.disks where !h.datastores.contains(where: { $0 === disk.datastore }) {
            return "\(h.name) does not mount \(disk.datastore.name), where \(disk.name).vmdk lives"
        }
        // required rules only: VM-VM rules and must VM-host rules (should rules may bend)
        if let why = ruleRefusal(v, on: h, L, preferential: false) { return "it breaks a required rule: \(why)" }
        return nil
    }

    func problem(_ kind: DRSPolicyProblem.Kind, _ message: String, _ move: Int? = nil, _ m: DRSPolicyMove? = nil) {
        policyProblems.append(DRSPolicyProblem(time: now, kind: kind, message: message, move: move, vm: m?.vm, to: m?.to))
        if policyProblems.count > 1000 { policyProblems.removeFirst(policyProblems.count - 1000) }
        datacenter.log.record(now, "drs.policy", cluster.description, message)
    }
}
