/// Keeping rules (datacenter-facts §2.4): DRS never places or moves a VM against a
/// required rule, nor, when it can help it, against a preferential one; rule violations
/// are repaired with priority-1 moves at each pass (anti-affinity before affinity, as
/// DRS favours avoiding anti-affinity violations), never capped by MaxMovesPerHost.
/// VM-VM rules concern VMs that hold resources; a partner on a host that takes no part
/// (entering maintenance, standby) is leaving it and does not bind.
extension DRS {
    /// Why a rule forbids `vm` on `h` in the plan `L`; `preferential` also keeps
    /// "should" rules (placement and balancing do; an evacuation may break them).
    func ruleRefusal(_ vm: VM, on h: Host, _ L: DRSLoads, preferential: Bool = true) -> String? {
        for r in rules(of: vm) {
            switch r.kind {
            case .vmHost:
                guard r.must || preferential, !r.allows(h) else { continue }
                return "rule \(r.name) says \(r.summary)"
            case .vmAntiAffinity:
                for p in r.vms where p !== vm && L.plannedHost(p) === h {
                    return "rule \(r.name) separates it from \(p.name), which runs there"
                }
            case .vmAffinity:
                for p in r.vms where p !== vm {
                    if let at = L.plannedHost(p), at !== h { return "rule \(r.name) keeps it with \(p.name), which runs on \(at.name)" }
                }
            }
        }
        return nil
    }

    /// Priority-1 moves that repair violated rules, planned on `L`.
    func mandatoryMoves(_ L: inout DRSLoads) -> [DRSMove] {
        guard !rules.isEmpty else { return [] }
        var moves: [DRSMove] = []
        let enabledRules = rules.filter(\.enabled)
        func move(_ v: VM, _ reason: DRSReason, priority: Int = 1, preferential: Bool, candidates: [Host]? = nil) {
            guard let k = L.vmIndex(v), balanceCandidate(v) else { return }
            let from = L.hosts[L.vmHost[k]]
            var best: (Int, Double)?
            let m = L.moments()
            for d in 0..<L.count where d != L.vmHost[k] {
                let h = L.hosts[d]
                if let c = candidates, !c.contains(where: { $0 === h }) { continue }
                guard L.reservationsFit(k, on: d), v.vcpus <= h.cpus || h.scheduler.kind == .fair,
                      v.disks.allSatisfy({ disk in h.datastores.contains { $0 === disk.datastore } }),
                      ruleRefusal(v, on: h, L, preferential: preferential) == nil else { continue }
                let after = L.imbalance(moving: k, to: d, m)
                if best == nil || after < best!.1 - 1e-12 { best = (d, after) }
            }
            guard let (d, after) = best else {
                datacenter.log.record(now, "drs", v.description, "cannot repair \(reason.rawValue): no host keeps its rules and fits it")
                return
            }
            moves.append(DRSMove(vm: v, from: from, to: L.hosts[d], priority: priority, reason: reason, before: L.imbalance, after: after))
            L.apply(moving: k, to: d)
        }
        // separate first
        for r in enabledRules where r.kind == .vmAntiAffinity {
            var seen: [ObjectIdentifier: VM] = [:]
            for v in r.vms {
                guard let h = L.plannedHost(v) else { continue }
                if seen[ObjectIdentifier(h)] != nil { move(v, .antiAffin, preferential: true) } else { seen[ObjectIdentifier(h)] = v }
            }
        }
        // then keep together, on the host holding most of the group (the first one's on ties)
        for r in enabledRules where r.kind == .vmAffinity {
            let placed = r.vms.compactMap { v in L.plannedHost(v).map { (v, $0) } }
            guard let first = placed.first, placed.contains(where: { $0.1 !== first.1 }) else { continue }
            var best = first.1
            var bestCount = 0
            for (_, h) in placed {
                let n = placed.filter { $0.1 === h }.count
                if n > bestCount { best = h; bestCount = n }
            }
            for (v, h) in placed where h !== best { move(v, .jointAffin, preferential: true, candidates: [best]) }
        }
        // then VM-host rules: required at priority 1, preferential at priority 2 [M]
        for r in enabledRules where r.kind == .vmHost {
            for v in r.vms {
                guard let h = L.plannedHost(v), !r.allows(h) else { continue }
                if r.must { move(v, .vmHostHardAffinity, preferential: false) } else if settings.threshold >= 2 {
                    move(v, .vmHostSoftAffinity, priority: 2, preferential: true)
                }
            }
        }
        return moves
    }

    /// Rules a VM breaks where it runs now (for `c.rules` readers and checks).
    public func violations(of rule: DRSRule) -> [VM] {
        let L = loads
        return rule.vms.filter { v in
            guard let h = L.plannedHost(v) else { return false }
            switch rule.kind {
            case .vmHost: return !rule.allows(h)
            case .vmAntiAffinity: return rule.vms.contains { $0 !== v && L.plannedHost($0) === h }
            case .vmAffinity: return rule.vms.contains { p in p !== v && L.plannedHost(p).map { $0 !== h } ?? false }
            }
        }
    }
}
