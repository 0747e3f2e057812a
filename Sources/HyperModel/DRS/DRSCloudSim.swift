/// CloudSim-compatible consolidation (datacenter-facts §6.2, behaviour 80), the
/// `placement = "cloudsim-static"` switch: CloudSim Plus's
/// `VmAllocationPolicyMigrationStaticThreshold` (cloudsimplus/cloudsimplus
/// `allocationpolicies/migration/`) with `VmSelectionPolicyMinimumMigrationTime`, so labs
/// can compare VMware-style balancing with threshold consolidation.
///
/// At each pass: a host whose CPU utilisation (Σ its VMs' CPU demand / capacity, as
/// CloudSim's requested MIPS) is above `over` gives up VMs, smallest RAM first (MMT),
/// until it is not; each goes, largest CPU first, to a host that stays at or below `over`
/// after placement — with no power model in HyperLab every host's power increase is the
/// same (a linear model's), and CloudSim's strict "least increase" comparison keeps the
/// first such host in the cluster's order [M]. Then hosts below `under` are emptied, the
/// least utilised first, all of its VMs or none, never onto a host that would go above
/// `over` nor onto another host being emptied.
///
/// Migration time is CloudSim's: RAM / (bandwidth × 0.5 / 8) with RAM in MB and the link
/// in Mb/s (`Datacenter.DEF_BW_PERCENT_FOR_MIGRATION`, `DatacenterSimple.timeToMigrateVm`),
/// i.e. a 1,024 MB VM takes 16.384 s on 1 Gb/s. The move is still a live migration through
/// HyperLab's pre-copy on a link of that speed (so a guest that dirties nothing takes
/// exactly CloudSim's time); no per-host vMotion limit and no host CPU cost apply, as in
/// CloudSim.
extension DRS {
    /// CloudSim's migration link, bytes/s: half the link, its MB read as MiB.
    var cloudsimBandwidth: Double { settings.vmotionBandwidth * 8 / 1e6 * 0.5 / 8 * Double(Units.MiB) }

    /// CloudSim's migration time of `v` (seconds).
    public func cloudsimMigrationSeconds(_ v: VM) -> Double { Double(v.memory) / cloudsimBandwidth }

    /// CPU utilisation of host `i` in the plan: Σ demand / capacity.
    private func utilisation(_ i: Int, _ demand: [Double], _ L: DRSLoads) -> Double { demand[i] / L.cpuCap[i] }

    func cloudsimMoves(_ L: inout DRSLoads) -> [DRSMove] {
        let n = L.count
        guard n >= 2 else { return [] }
        let over = settings.overThreshold, under = settings.underThreshold
        var demand = [Double](repeating: 0, count: n)
        for k in 0..<L.vms.count { demand[L.vmHost[k]] += L.vms[k].metrics.cpuDemandMHz }
        var moves: [DRSMove] = []
        var involved = [Bool](repeating: false, count: n)
        func plan(_ k: Int, to d: Int, _ reason: DRSReason) {
            let s = L.vmHost[k], c = L.vms[k].metrics.cpuDemandMHz
            moves.append(DRSMove(vm: L.vms[k], from: L.hosts[s], to: L.hosts[d], priority: 2, reason: reason, before: .nan, after: .nan))
            demand[s] -= c
            demand[d] += c
            L.apply(moving: k, to: d)
        }
        func target(for k: Int, excluding: (Int) -> Bool) -> Int? {
            let c = L.vms[k].metrics.cpuDemandMHz
            for d in 0..<n where d != L.vmHost[k] && !excluding(d) {
                guard (demand[d] + c) / L.cpuCap[d] <= over + 1e-12, fits(k, on: d, L) else { continue }
                return d
            }
            return nil
        }
        // overloaded hosts: MMT until below the threshold
        let overloaded = (0..<n).filter { utilisation($0, demand, L) > over }
        for s in overloaded {
            var chosen: [Int] = []
            var left = demand[s]
            let candidates = L.members[s].filter { balanceCandidate(L.vms[$0]) }
                .sorted { L.vms[$0].memory != L.vms[$1].memory ? L.vms[$0].memory < L.vms[$1].memory : $0 < $1 }
            for k in candidates where left / L.cpuCap[s] > over {
                chosen.append(k)
                left -= L.vms[k].metrics.cpuDemandMHz
            }
            chosen.sort { L.vms[$0].metrics.cpuDemandMHz != L.vms[$1].metrics.cpuDemandMHz ? L.vms[$0].metrics.cpuDemandMHz > L.vms[$1].metrics.cpuDemandMHz : $0 < $1 }
            for k in chosen {
                guard let d = target(for: k, excluding: { overloaded.contains($0) }) else { continue }
                plan(k, to: d, .hostOverloaded)
                involved[s] = true
                involved[d] = true
            }
        }
        // underloaded hosts: empty the least utilised first, all or nothing
        var emptied = [Bool](repeating: false, count: n)
        while true {
            let open = (0..<n).filter { !involved[$0] && !emptied[$0] && !L.members[$0].isEmpty && utilisation($0, demand, L) < under }
            guard let s = open.min(by: { utilisation($0, demand, L) < utilisation($1, demand, L) }) else { break }
            emptied[s] = true
            let vms = L.members[s]
            guard vms.allSatisfy({ balanceCandidate(L.vms[$0]) }) else { continue }
            var trial = L, trialDemand = demand
            var planned: [(Int, Int)] = []
            for k in vms.sorted(by: { L.vms[$0].metrics.cpuDemandMHz > L.vms[$1].metrics.cpuDemandMHz }) {
                let c = L.vms[k].metrics.cpuDemandMHz
                guard let d = (0..<n).first(where: { d in
                    d != s && !emptied[d] && (trialDemand[d] + c) / trial.cpuCap[d] <= over + 1e-12 && fits(k, on: d, trial)
                }) else { planned.removeAll(); break }
                trialDemand[d] += c
                trialDemand[s] -= c
                trial.apply(moving: k, to: d)
                planned.append((k, d))
            }
            guard planned.count == vms.count else { continue }
            for (k, d) in planned {
                plan(k, to: d, .hostUnderloaded)
                involved[d] = true
            }
        }
        return moves
    }
}
