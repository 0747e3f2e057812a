import Foundation

/// Choosing hosts (datacenter-facts §2.1): initial placement at power-on and the target
/// of a mandatory move. A host qualifies when it is live and eligible (not in or entering
/// maintenance, not in standby), admission control admits the VM there (reservations,
/// vCPUs, HA, pass-through devices, swap file), it mounts the VM's datastores, and no
/// required rule forbids it; among those the best is the one that leaves the cluster
/// least imbalanced, then the least loaded, then the first in the cluster's order.
extension DRS {
    /// A standard deviation for messages: three decimals.
    static func sd(_ x: Double) -> String { x.isFinite ? String(format: "%.3f", x) : "∞" }

    /// Why `vm` cannot go to `h` (nil when it can), with the moves planned in `L`.
    func placementRefusal(_ vm: VM, on h: Host, _ L: DRSLoads, preferential: Bool = true) -> String? {
        if h.failed { return "\(h.name) has failed" }
        if let why = ineligibility(of: h) { return "\(h.name) is not eligible (\(why))" }
        guard h.clusterMembership === cluster else { return "\(h.name) is not in cluster \(cluster.name)" }
        for d in vm.disks where !h.datastores.contains(where: { $0 === d.datastore }) {
            return "\(h.name) does not mount \(d.datastore.name), where \(d.name).vmdk lives"
        }
        if h !== vm.host || !vm.state.holdsResources {
            if let why = Admission.refusal(for: vm, on: h) { return "\(h.name): \(why)" }
            if let why = vm.cpuRefusal(on: h) { return "\(h.name): \(why)" }
            if let i = L.hostIndex(h), let k = L.vmIndex(vm), !L.reservationsFit(k, on: i) {
                return "\(h.name): the moves already planned leave too little unreserved CPU or memory for its reservations"
            }
        }
        if let why = ruleRefusal(vm, on: h, L, preferential: preferential) { return "\(h.name): \(why)" }
        return nil
    }

    /// The best host for `vm` other than those in `excluding`, or why none qualifies
    /// (every host's reason). For a running VM this is where a mandatory move would go.
    /// Preferential ("should") rules are kept when some host allows it, broken otherwise.
    public func chooseHost(for vm: VM, excluding: [Host] = []) -> Result<Host, ModelError> {
        let L = loads
        let kept = chooseHost(for: vm, excluding: excluding, L, preferential: true)
        if case .success = kept { return kept }
        if case .success(let h) = chooseHost(for: vm, excluding: excluding, L, preferential: false) {
            datacenter.log.record(now, "drs", vm.description, "a preferential rule is broken: no host that keeps it can take the VM, \(h.name) can")
            return .success(h)
        }
        return kept
    }

    private func chooseHost(for vm: VM, excluding: [Host], _ L: DRSLoads, preferential: Bool) -> Result<Host, ModelError> {
        var reasons: [String] = []
        var best: (h: Host, lim: Double, load: Double)?
        let extraCPU = vm.state.holdsResources ? vm.cpuEntitlementMHz : max(vm.cpuAllocation.reservationMHz, vm.cpuEntitlementMHz)
        let extraMem = Double(vm.state.holdsResources ? vm.memEntitlement : max(vm.memAllocation.reservation, vm.memEntitlement))
        for h in cluster.hosts where !excluding.contains(where: { $0 === h }) {
            if let why = placementRefusal(vm, on: h, L, preferential: preferential) {
                reasons.append(why)
                continue
            }
            guard let d = L.hostIndex(h) else { continue }
            var trial = L
            if let k = trial.vmIndex(vm) {
                if trial.vmHost[k] != d { trial.apply(moving: k, to: d) }
            } else {
                trial.cpu[d] += extraCPU
                trial.mem[d] += extraMem
            }
            let lim = trial.imbalance
            let load = max(trial.cpuLoad(d), trial.memLoad(d))
            // VMs with nothing measured yet (all loads 0) spread by powered-on vCPUs per pCPU
            let tie = load + Double(h.poweredOnVMs.reduce(0) { $0 + $1.vcpus }) / Double(h.cpus) * 1e-6
            if let b = best, lim > b.lim + 1e-12 || (abs(lim - b.lim) <= 1e-12 && tie >= b.load) { continue }
            best = (h, lim, tie)
        }
        if let b = best { return .success(b.h) }
        let list = reasons.isEmpty ? "it has no other host" : reasons.joined(separator: "; ")
        return .failure(ModelError("\(description): no host of \(cluster.name) can take \(vm.description): \(list)"))
    }

    /// A mandatory move (priority 1) of a running VM, e.g. evacuating a host entering
    /// maintenance or standby, or repairing a rule: to `target`, or to the best host.
    /// Executed as a vMotion when DRS is on and the VM's level is fully automated; a
    /// recommendation otherwise. Never capped by MaxMovesPerHost.
    @discardableResult
    public func requestMandatoryMove(_ vm: VM, to target: Host? = nil, reason: DRSReason) throws -> DRSOutcome {
        let who = "\(description): move \(vm.description)"
        guard vm.host.clusterMembership === cluster else { throw ModelError("\(who): it runs on \(vm.host.name), which is not in \(cluster.name)") }
        guard enabled else { throw ModelError("\(who): DRS is off in \(cluster.name) (enable it, or migrate the VM yourself)") }
        guard let level = automation(of: vm) else { throw ModelError("\(who): DRS is disabled for this VM (its automation level is disabled)") }
        guard vm.state == .on else { throw ModelError("\(who): it is \(vm.state.rawValue); DRS moves running VMs by vMotion") }
        guard !vm.isMigrating, !flight.isQueued(vm) else { throw ModelError("\(who): it is already migrating") }
        guard !vm.hasPassthrough else { throw ModelError("\(who): it has a pass-through (DirectPath I/O) device, which vMotion cannot move") }
        let dest: Host
        if let target {
            if let why = placementRefusal(vm, on: target, loads, preferential: false) { throw ModelError("\(who) to \(target.name): \(why)") }
            guard target !== vm.host else { throw ModelError("\(who): it already runs on \(target.name)") }
            dest = target
        } else {
            dest = try chooseHost(for: vm, excluding: [vm.host]).get()
        }
        let lim = imbalance
        let move = DRSMove(vm: vm, from: vm.host, to: dest, priority: 1, reason: reason, before: lim, after: .nan)
        if settings.automation == .fully && level == .fully {
            let outcome = execute(move)
            syncVMotionWork()
            return outcome
        }
        return .recommended(recommend(move))
    }

    /// Adds a recommendation for `move`.
    func recommend(_ move: DRSMove) -> DRSRecommendation {
        let r = DRSRecommendation(id: nextRecommendation, vm: .init(vm: move.vm), from: .init(host: move.from), to: .init(host: move.to),
                                  priority: move.priority, reason: move.reason, pass: passes)
        nextRecommendation += 1
        recommendations.append(r)
        datacenter.log.record(now, "drs.recommend", move.vm.description,
                              "recommendation \(r.id), priority \(r.priority), \(r.reason.rawValue): \(move.reason == .powerOn ? "power on on" : "\(move.from.name) →") \(move.to.name)")
        return r
    }
}
