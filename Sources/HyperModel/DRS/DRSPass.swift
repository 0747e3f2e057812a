/// One DRS invocation (every `interval`, or when asked): recommendations of the last
/// pass are replaced, mandatory moves come first (rules), then load balancing; each move
/// is executed as a vMotion when both the cluster and the VM are fully automated, and
/// recommended otherwise (datacenter-facts §2.1). Power-on recommendations stay until
/// applied or until the VM powers on.
extension DRS {
    public func runPass() {
        passes += 1
        recommendations.removeAll { $0.reason != .powerOn || $0.vm.vm.state != .off }
        var L = loads
        let before = L.imbalance
        let cpuBefore = L.cpuSD, memBefore = L.memSD
        var moves = mandatoryMoves(&L)
        if let p = policy {
            moves += policyMoves(p, &L)
        } else if settings.placement == .cloudsimStatic {
            moves += cloudsimMoves(&L)
        } else if settings.model == .score {
            moves += scoreMoves(&L)
        } else {
            moves += balance(&L)
        }
        var executed = 0, recommended = 0
        for m in moves {
            if settings.automation == .fully && movesAutomatically(m.vm) {
                execute(m)
                executed += 1
            } else {
                _ = recommend(m)
                recommended += 1
            }
        }
        syncVMotionWork()
        let target = targetImbalance
        lastPass = DRSPassSummary(time: now, imbalanceBefore: before, imbalanceAfter: L.imbalance, target: target,
                                  moves: executed, recommended: recommended)
        let p = DRSPriority.of(imbalance: before, hosts: L.count, reading: settings.reading)
        datacenter.log.record(now, "drs", cluster.description,
                              "pass \(passes): imbalance \(DRS.sd(before)) (CPU \(DRS.sd(cpuBefore)), memory \(DRS.sd(memBefore))), target \(DRS.sd(target)) for threshold \(settings.threshold), priority \(p.map(String.init) ?? "none (balanced)")\(settings.model == .score ? ", cluster DRS score \(Units.trim(clusterScore))" : ""); \(executed) move\(executed == 1 ? "" : "s") started, \(recommended) recommended; planned imbalance \(DRS.sd(L.imbalance))")
    }

    /// Applies a recommendation of the current list: the move runs as a vMotion (or the
    /// VM powers on on its host). A stale one (replaced by a later pass, already applied,
    /// or the VM no longer where it was) is refused, with nothing changed.
    public func apply(_ rec: DRSRecommendation) throws -> DRSOutcome? {
        let who = "\(description):apply: recommendation \(rec.id) (\(rec.vm.vm.name) → \(rec.to.host.name))"
        guard let i = recommendations.firstIndex(where: { $0.id == rec.id }) else {
            throw ModelError("\(who) is stale: it is no longer in c.drs.recommendations (pass \(passes) replaced the list made by pass \(rec.pass), or it was applied); read c.drs.recommendations again")
        }
        let v = rec.vm.vm
        if rec.reason == .powerOn {
            guard v.state == .off else { throw ModelError("\(who) is stale: \(v.description) is already \(v.state.rawValue)") }
            if let why = placementRefusal(v, on: rec.to.host, loads) { throw ModelError("\(who): \(why)") }
            try register(v, on: rec.to.host)
            try v.powerOnHere()
            recommendations.remove(at: i)
            return nil
        }
        guard v.state == .on, v.host === rec.from.host, !v.isMigrating else {
            throw ModelError("\(who) is stale: \(v.description) is \(v.state.rawValue) on \(v.host.name)\(v.isMigrating ? ", migrating" : ""), not running on \(rec.from.host.name)")
        }
        if let why = placementRefusal(v, on: rec.to.host, loads) { throw ModelError("\(who): \(why)") }
        recommendations.remove(at: i)
        let outcome = execute(DRSMove(vm: v, from: rec.from.host, to: rec.to.host, priority: rec.priority, reason: rec.reason,
                                      before: imbalance, after: .nan))
        syncVMotionWork()
        return outcome
    }
}
