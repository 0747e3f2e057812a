/// Evacuating a host (datacenter-facts §2.4–2.5): for each VM running on it, in the
/// order it was registered, either a way out — a priority-1 DRS move to the host DRS
/// would choose, planned with the moves already chosen (a "should" rule is broken when
/// no host keeps it, a "must" rule never is) —
/// or the reason it stays, as vCenter's `NoMaintenanceModeDrsRecommendationForVM` names
/// it. Checked in this order: paused, a pass-through device, no DRS, DRS disabled for
/// the VM, the HA failover level (DRS does not recommend an evacuation that would break
/// it, GUID-8F705E83), an existing recommendation, then the hosts: a rule, no room for
/// its reservations, or no compatible host. VMs already migrating away, or waiting for a
/// vMotion slot, are on their way and block nothing.
struct Evacuator {
    unowned(unsafe) let host: Host
    let evacuation: Evacuation
    /// VMs a dry run would move, so the HA check counts them where they would go.
    private var planned: [VM] = []
    private var dryLoads: DRSLoads?
    /// The evacuation's plan: the cluster's loads with the moves chosen so far.
    private var plan: DRSLoads?
    /// Moves were added to `plan` by hand since it was made.
    private var stale = false
    /// A vMotion was started (DRS then sets the hosts' vMotion CPU work once).
    private var started = false

    init(_ host: Host, _ evacuation: Evacuation) {
        self.host = host
        self.evacuation = evacuation
    }

    /// What blocks, having requested every move that can be made (or, in a dry run,
    /// without changing anything: each VM is judged alone against the hosts as they are).
    mutating func blockers(dryRun: Bool) -> [EvacuationBlocker] {
        let c = host.clusterMembership
        if evacuation.movePoweredOff && !dryRun, let c { moveStoppedVMs(c) }
        var out: [EvacuationBlocker] = []
        for v in host.vms where v.state.holdsResources {
            if v.isMigrating { continue }
            if let drs = c?.drsIfAny, drs.flight.isQueued(v) { continue }
            if let (reason, message) = blocker(v, c, dryRun: dryRun) {
                out.append(EvacuationBlocker(vm: .init(vm: v), reason: reason, message: message))
            }
        }
        if started { c?.drsIfAny?.syncVMotionWork() }
        return out
    }

    private mutating func blocker(_ v: VM, _ c: Cluster?, dryRun: Bool) -> (EvacuationBlocker.Reason, String)? {
        if v.state == .paused { return (.paused, "it is paused with a question waiting for an answer; vMotion moves running VMs") }
        if v.hasPassthrough {
            return (.passthrough, "it has a pass-through (DirectPath I/O) device, which vMotion cannot move; power it off")
        }
        guard let c else {
            return (.drsOff, "\(host.name) is in no cluster, so no DRS evacuates it: migrate it with vm:migrate{...} or power it off")
        }
        guard let drs = c.drsIfEnabled else {
            return (.drsOff, "DRS is off in cluster \(c.name): migrate it with vm:migrate{...} or power it off (or turn DRS on)")
        }
        guard drs.automation(of: v) != nil else {
            return (.drsDisabled, "DRS is disabled for this VM (its automation level is \"disabled\"): migrate it yourself or power it off")
        }
        if let why = c.haEvacuationRefusal(adding: v, leaving: host, alsoMoving: planned) { return (.ha, why) }
        let reason = evacuation.reason
        if let r = drs.recommendations.first(where: { $0.vm.vm === v && $0.from.host === host && $0.reason == reason }) {
            return (.recommended, recommended(r))
        }
        let candidates = c.hosts.filter { $0 !== host }
        if dryRun {
            // nothing changes in a dry run: one snapshot serves every VM
            if dryLoads == nil {
                // as if the host already took no part: its VMs bind no partner
                dryLoads = DRSLoads(drs.activeHosts.filter { $0 !== host }, all: drs.cluster.hosts) { w in
                    if let m = w.migration, !m.done { return m.destination }
                    return drs.flight.waiting.first { $0.vm === w }?.to
                }
            }
            let L = dryLoads!
            guard candidates.contains(where: { drs.placementRefusal(v, on: $0, L, preferential: false) == nil }) else {
                return refusal(v, drs, L, candidates)
            }
            planned.append(v)
            return nil
        }
        // the host DRS would choose, on the evacuation's plan
        let L = plan(for: v, drs)
        guard let (d, after) = destination(v, drs, L) else { return refusal(v, drs, L, candidates) }
        let move = DRSMove(vm: v, from: host, to: L.hosts[d], priority: 1, reason: reason, before: L.imbalance, after: after)
        let outcome: (EvacuationBlocker.Reason, String)?
        if drs.settings.automation == .fully && drs.automation(of: v) == .fully {
            _ = drs.execute(move)
            started = true
            outcome = nil
        } else {
            outcome = (.recommended, recommended(drs.recommend(move)))
        }
        // the VM's entitlements and reservations now count on its destination
        plan!.cpu[d] += v.cpuEntitlementMHz
        plan!.mem[d] += Double(v.memEntitlement)
        plan!.resCPU[d] += v.cpuAllocation.reservationMHz
        plan!.resMem[d] += Double(v.memAllocation.reservation + v.overheadReservation)
        stale = true
        return outcome
    }

    /// The cluster's loads with the moves chosen so far: made once per evaluation, and
    /// again before a VM with VM-VM rules (whose partners must be seen where they go).
    /// VMs on the host being evacuated are not in it (the host takes no part).
    private mutating func plan(for v: VM, _ drs: DRS) -> DRSLoads {
        if plan == nil || (stale && !drs.rules(of: v).filter({ $0.kind != .vmHost }).isEmpty) {
            var waiting: [ObjectIdentifier: Host] = [:]
            for m in drs.flight.waiting { waiting[ObjectIdentifier(m.vm)] = m.to }
            plan = DRSLoads(drs.activeHosts, all: drs.cluster.hosts) { w in
                if let m = w.migration, !m.done { return m.destination }
                return waiting[ObjectIdentifier(w)]
            }
            stale = false
        }
        return plan!
    }

    /// As `DRS.chooseHost` for a VM leaving a host that takes no part: among the hosts
    /// that admit it (reservations with the planned moves, rules, datastores), the one
    /// that leaves the cluster least imbalanced, then the least loaded, then the first;
    /// "should" rules kept when some host can. O(1) per host on the plan's moments.
    private func destination(_ v: VM, _ drs: DRS, _ L: DRSLoads) -> (Int, Double)? {
        let c = v.cpuEntitlementMHz, m = Double(v.memEntitlement)
        let rc = v.cpuAllocation.reservationMHz, rm = Double(v.memAllocation.reservation + v.overheadReservation)
        let mo = L.moments()
        let n = Double(L.count)
        func sd(_ s1: Double, _ s2: Double) -> Double { (max(0, s2 / n - (s1 / n) * (s1 / n))).squareRoot() }
        for preferential in [true, false] {
            var best: (d: Int, lim: Double, tie: Double)?
            for d in 0..<L.count {
                let h = L.hosts[d]
                guard L.resCPU[d] + rc <= L.cpuCap[d] + 1e-6, L.resMem[d] + rm <= Double(h.memory.capacity),
                      drs.placementRefusal(v, on: h, L, preferential: preferential) == nil else { continue }
                let lc = L.cpuLoad(d), dc = c / L.cpuCap[d], lm = L.memLoad(d), dm = m / L.memCap[d]
                let lim = max(sd(mo.s1c + dc, mo.s2c - lc * lc + (lc + dc) * (lc + dc)),
                              sd(mo.s1m + dm, mo.s2m - lm * lm + (lm + dm) * (lm + dm)))
                let tie = max(lc + dc, lm + dm) + Double(h.poweredOnVMs.reduce(0) { $0 + $1.vcpus }) / Double(h.cpus) * 1e-6
                if let b = best, lim > b.lim + 1e-12 || (abs(lim - b.lim) <= 1e-12 && tie >= b.tie) { continue }
                best = (d, lim, tie)
            }
            if let b = best {
                if !preferential {
                    host.datacenter.log.record(host.datacenter.now, "drs", v.description,
                                               "a preferential rule is broken: no host that keeps it can take the VM, \(L.hosts[b.d].name) can")
                }
                return (b.d, b.lim)
            }
        }
        return nil
    }

    private func recommended(_ r: DRSRecommendation) -> String {
        "DRS recommends moving it to \(r.to.host.name) (recommendation \(r.id), priority \(r.priority), \(r.reason.rawValue)); apply it with c.drs:apply(rec), or migrate it yourself"
    }

    /// Why no host takes `v`: a rule on some eligible host, else no room for its
    /// reservations on some eligible host, else nothing compatible; with every host's reason.
    private func refusal(_ v: VM, _ drs: DRS, _ L: DRSLoads, _ candidates: [Host]) -> (EvacuationBlocker.Reason, String) {
        var reasons: [String] = []
        var rule = false, room = false, eligible = 0
        for x in candidates {
            guard let why = drs.placementRefusal(v, on: x, L, preferential: false) else { continue }
            reasons.append(why)
            guard !x.failed, drs.ineligibility(of: x) == nil, x.unavailability == nil else { continue }
            eligible += 1
            if drs.ruleRefusal(v, on: x, L, preferential: false) != nil { rule = true }
            if lacksRoom(v, on: x, L) { room = true }
        }
        let list = reasons.isEmpty ? "it has no other host" : reasons.joined(separator: "; ")
        if eligible == 0 { return (.incompatible, "no other host of \(drs.cluster.name) can take VMs now: \(list)") }
        if rule { return (.rule, "a DRS rule would be broken on every host that could take it: \(list)") }
        if room { return (.resources, "no other host has room for its reservations: \(list)") }
        return (.incompatible, "no compatible host: \(list)")
    }

    private func lacksRoom(_ v: VM, on x: Host, _ L: DRSLoads) -> Bool {
        if v.cpuAllocation.reservationMHz > x.unreservedMHz + 1e-9 { return true }
        if v.memAllocation.reservation + v.overheadReservation > x.memory.unreserved { return true }
        if let k = L.vmIndex(v), let i = L.hostIndex(x), !L.reservationsFit(k, on: i) { return true }
        return false
    }

    /// Re-registers powered-off and suspended VMs on other hosts (GUID-19B8D767): on the
    /// eligible host that mounts their datastores and keeps their required rules, with the
    /// fewest VMs registered (the first in the cluster's order on ties) [M].
    private func moveStoppedVMs(_ c: Cluster) {
        let dc = host.datacenter
        for v in host.vms where (v.state == .off || v.state == .suspended) && !v.isTemplate {
            let allowed = c.drsIfAny?.allowedHosts(v) ?? c.hosts
            let target = c.hosts.filter { x in
                x !== host && !x.failed && x.unavailability == nil && allowed.contains { $0 === x }
                    && (v.state != .suspended || v.cpuRefusal(on: x) == nil)
                    && v.disks.allSatisfy { d in x.datastores.contains { $0 === d.datastore } }
            }.min { $0.vms.count < $1.vms.count }
            guard let t = target else {
                dc.log.record(dc.now, "maintenance", v.description, "stays registered on \(host.name) (\(v.state.rawValue)): no other eligible host mounts its datastores and keeps its required rules")
                continue
            }
            v.move(to: t)
            dc.log.record(dc.now, "maintenance", v.description, "re-registered on \(t.name) (\(v.state.rawValue)), off \(host.name) for maintenance")
        }
    }
}
