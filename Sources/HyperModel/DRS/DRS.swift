/// A cluster's DRS (datacenter-facts §2.1–2.3): its settings, per-VM automation levels,
/// host eligibility, the recommendations of the last pass, and the moves in flight.
/// Every cluster has one, off until `Cluster.enableDRS`; host eligibility and mandatory
/// moves work with DRS off too (maintenance mode needs them).
public final class DRS: SimProcess {
    public unowned(unsafe) let cluster: Cluster
    public private(set) var enabled = false
    public private(set) var settings = DRSSettings()
    /// Per-VM overrides of the cluster's automation level.
    var overrides: [ObjectIdentifier: VMAutomation] = [:]
    /// Hosts DRS must neither place on nor move to, with why (maintenance, standby).
    var ineligible: [ObjectIdentifier: String] = [:]
    /// Rules in creation order (`c.rules`), and the enabled ones per VM.
    public internal(set) var rules: [DRSRule] = []
    var rulesByVM: [ObjectIdentifier: [DRSRule]] = [:]
    /// What the last pass recommended and nobody has applied yet.
    public internal(set) var recommendations: [DRSRecommendation] = []
    var nextRecommendation = 1
    /// Invocations so far.
    public internal(set) var passes = 0
    /// What the last pass saw and did, for `c.drs` and the event log.
    public internal(set) var lastPass: DRSPassSummary?
    /// The balancing policy that replaces the built-in balancer, if any (`setPolicy`).
    public internal(set) var policy: DRSPolicy?
    /// A policy's failures and refused moves, oldest first (the last 1000).
    public internal(set) var policyProblems: [DRSPolicyProblem] = []
    /// vMotions running and waiting for a slot.
    var flight = DRSFlight()
    var id: Int32 = -1
    private var generation: Int64 = 0

    init(cluster: Cluster) { self.cluster = cluster }

    var datacenter: Datacenter { cluster.hosts[0].datacenter }
    var now: SimTime { datacenter.now }
    public var description: String { "\(cluster.description).drs" }

    // MARK: switching on

    /// Turns DRS on with `s` (or changes its settings); the first pass runs one interval
    /// from now. Nothing changes when a setting is refused.
    func enable(_ s: DRSSettings) throws {
        try s.validate("\(cluster.description):enable_drs")
        settings = s
        enabled = true
        // vMotions take host CPU (`syncVMotionWork`): the hosts' own processes are made
        // now, once, rather than in the middle of the first pass that moves VMs
        if s.placement == .drs { for h in cluster.hosts where !h.failed { _ = h.hostProcesses() } }
        generation += 1
        if id < 0 { id = datacenter.sim.register(self) }
        scheduleNextPass()
        datacenter.log.record(now, "drs", cluster.description,
                              "DRS on: \(s.automation.rawValue) automation, threshold \(s.threshold) (target imbalance \(Units.trim(targetImbalance))), every \(s.interval), priority reading \(s.reading.rawValue), model \(s.model.rawValue), placement \(s.placement.rawValue), at most \(s.adaptiveMaxMoves ? "adaptive" : String(s.maxMovesPerHost)) moves per host per pass")
    }

    func disable() {
        guard enabled else { return }
        enabled = false
        generation += 1
        recommendations.removeAll()
        datacenter.log.record(now, "drs", cluster.description, "DRS off: no placement or balancing; moves in flight finish")
    }

    private func scheduleNextPass() {
        // after the sample of the same instant, so the pass sees fresh entitlements
        datacenter.sim.schedule(id, at: now + settings.interval, priority: EventPriority.sample + 10, token: -generation)
    }

    public func fire(token: Int64, sim: Simulation) {
        if token >= 0 {
            finished(token)
            return
        }
        guard enabled, -token == generation else { return }
        runPass()
        scheduleNextPass()
    }

    // MARK: what the lab reads

    /// Hosts that take part in balancing and placement: live and eligible.
    public var activeHosts: [Host] { cluster.hosts.filter { !$0.failed && ineligible[ObjectIdentifier($0)] == nil } }

    var loads: DRSLoads {
        DRSLoads(activeHosts, all: cluster.hosts) { v in
            if let m = v.migration, !m.done { return m.destination }
            return self.flight.waiting.first { $0.vm === v }?.to
        }
    }

    /// Current host-load standard deviation (the larger of CPU's and memory's).
    public var imbalance: Double { loads.imbalance }
    public var cpuImbalance: Double { loads.cpuSD }
    public var memoryImbalance: Double { loads.memSD }

    /// The largest imbalance the threshold tolerates (infinity at threshold 1).
    public var targetImbalance: Double {
        DRSPriority.target(threshold: settings.threshold, hosts: activeHosts.count, reading: settings.reading)
    }

    /// The priority a balancing recommendation would have now (nil: balanced).
    public var priority: Int? { DRSPriority.of(imbalance: imbalance, hosts: activeHosts.count, reading: settings.reading) }

    /// CPU (MHz) and memory (bytes) load of a host: Σ entitlements of its VMs / capacity.
    public func load(of h: Host) -> (cpu: Double, memory: Double) {
        var c = 0.0, m = 0.0
        for v in h.vms where v.state.holdsResources {
            c += v.cpuEntitlementMHz
            m += Double(v.memEntitlement)
        }
        return (c / h.capacityMHz, m / Double(h.memory.capacity))
    }

    // MARK: automation levels

    /// The level that applies to `vm`: its override, else the cluster's; nil = disabled.
    public func automation(of vm: VM) -> DRSSettings.Automation? {
        switch overrides[ObjectIdentifier(vm)] ?? .default {
        case .default: return settings.automation
        case .disabled: return nil
        case .fully: return .fully
        case .partially: return .partially
        case .manual: return .manual
        }
    }

    public func override(of vm: VM) -> VMAutomation { overrides[ObjectIdentifier(vm)] ?? .default }

    public func setAutomation(_ level: VMAutomation, for vm: VM) throws {
        guard vm.host.clusterMembership === cluster else {
            throw ModelError("\(description):set_automation: \(vm.description) runs on \(vm.host.name), which is not in \(cluster.name)")
        }
        overrides[ObjectIdentifier(vm)] = level == .default ? nil : level
        datacenter.log.record(now, "drs", vm.description, "DRS automation level \(level.rawValue)\(level == .default ? " (the cluster's, \(settings.automation.rawValue))" : "")")
    }

    /// Whether balancing would execute (not only recommend) a move of `vm`.
    func movesAutomatically(_ vm: VM) -> Bool { automation(of: vm) == .fully }

    // MARK: host eligibility (maintenance mode and DPM drive it)

    /// Makes `host` ineligible for placement and as a move's destination (`reason` says
    /// why, e.g. "entering maintenance mode"), or eligible again with nil. Its VMs still
    /// run; evacuating them is the caller's (mandatory moves).
    public func setEligibility(of host: Host, reason: String?) {
        let key = ObjectIdentifier(host)
        guard ineligible[key] != reason else { return }
        ineligible[key] = reason
        datacenter.log.record(now, "drs", host.description, reason.map { "not eligible for placement or migration: \($0)" } ?? "eligible for placement and migration again")
    }

    /// Why `host` is ineligible, nil when it is eligible.
    public func ineligibility(of host: Host) -> String? { ineligible[ObjectIdentifier(host)] }
}

extension Cluster {
    /// `c:enable_drs{...}`: checked whole, then applied.
    public func enableDRS(_ settings: DRSSettings) throws { try drs.enable(settings) }

    public func disableDRS() { drs.disable() }
}

/// One recommendation: a move (or a power-on placement) waiting to be applied.
public struct DRSRecommendation: Sendable {
    public let id: Int
    public let vm: VMRef
    /// The VM's host when recommended (its registered host for a power-on).
    public let from: HostRef
    public let to: HostRef
    /// 1 (mandatory) to 5.
    public let priority: Int
    public let reason: DRSReason
    /// The pass that made it.
    public let pass: Int

    /// Unowned references for a value type that leaves the model (Lua reads them).
    public struct VMRef: @unchecked Sendable { public unowned(unsafe) let vm: VM }
    public struct HostRef: @unchecked Sendable { public unowned(unsafe) let host: Host }
}

/// What one pass saw and decided.
public struct DRSPassSummary: Sendable {
    public var time: SimTime
    public var imbalanceBefore: Double
    public var imbalanceAfter: Double
    public var target: Double
    public var moves: Int
    public var recommended: Int
}

extension Cluster {
    /// The cluster's DRS when it is on (no DRS object is made to ask).
    var drsIfEnabled: DRS? { drsIfAny.flatMap { $0.enabled ? $0 : nil } }
}
