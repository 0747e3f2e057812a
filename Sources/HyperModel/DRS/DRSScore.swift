/// vSphere 7's DRS score (datacenter-facts §2.7, behaviour 58), `model = "score"`: DRS
/// runs every minute, computes for each VM the score it would have on each host, and
/// moves a VM when another host gives it a higher score; the cluster's score is the mean
/// of its VMs' scores weighted by their CPU entitlement. VMware does not publish the
/// formula; HyperLab's [M]:
///
///     score = 100 × (1 − CPU penalty) × (1 − memory penalty)
///
/// where a host's CPU penalty is the share of its VMs' CPU demand it cannot serve,
/// max(0, 1 − capacity / Σ demand) (what shows as ready time), and its memory penalty
/// the share of its VMs' memory entitlement above its memory (what balloons, compresses
/// or swaps). Network saturation is not modelled per host: its penalty is 0. A move's
/// gain is the VM's score there minus its score where it is; its priority follows the
/// gain (40 points or more: 2, 20: 3, 10: 4, more than 1: 5) and it is made when that
/// priority is at most the threshold, at most `maxMovesPerHost` per host per pass.
extension DRS {
    /// Per-host Σ CPU demand and Σ memory entitlement in the plan.
    private func demands(_ L: DRSLoads) -> (cpu: [Double], mem: [Double]) {
        var cpu = [Double](repeating: 0, count: L.count)
        for k in 0..<L.vms.count { cpu[L.vmHost[k]] += L.vms[k].metrics.cpuDemandMHz }
        return (cpu, L.mem)
    }

    private static func score(cpuDemand: Double, cpuCap: Double, mem: Double, memCap: Double) -> Double {
        let cpuPenalty = cpuDemand > cpuCap ? 1 - cpuCap / cpuDemand : 0
        let memPenalty = mem > memCap ? 1 - memCap / mem : 0
        return 100 * (1 - cpuPenalty) * (1 - memPenalty)
    }

    /// VM `k`'s score on host `d` of the plan (as if it ran there).
    private func score(_ k: Int, on d: Int, _ L: DRSLoads, _ dem: (cpu: [Double], mem: [Double])) -> Double {
        let here = L.vmHost[k] == d
        let c = dem.cpu[d] + (here ? 0 : L.vms[k].metrics.cpuDemandMHz)
        let m = dem.mem[d] + (here ? 0 : L.vmMem[k])
        return DRS.score(cpuDemand: c, cpuCap: L.cpuCap[d], mem: m, memCap: L.memCap[d])
    }

    /// The VM DRS score of `vm` where it runs now (0–100), nil when it holds no resources.
    public func score(of vm: VM) -> Double? {
        let L = loads
        guard let k = L.vmIndex(vm) else { return nil }
        return score(k, on: L.vmHost[k], L, demands(L))
    }

    /// The cluster's DRS score: its VMs' scores weighted by CPU entitlement (equal
    /// weights when nothing is entitled yet); 100 for a cluster with no running VM.
    public var clusterScore: Double {
        let L = loads
        let dem = demands(L)
        var sum = 0.0, weights = 0.0, plain = 0.0
        for k in 0..<L.vms.count {
            let s = score(k, on: L.vmHost[k], L, dem)
            sum += s * L.vmCPU[k]
            weights += L.vmCPU[k]
            plain += s
        }
        if L.vms.isEmpty { return 100 }
        return weights > 0 ? sum / weights : plain / Double(L.vms.count)
    }

    static func scorePriority(gain: Double) -> Int? {
        if gain >= 40 { return 2 }
        if gain >= 20 { return 3 }
        if gain >= 10 { return 4 }
        return gain > 1 ? 5 : nil
    }

    /// The score model's moves, planned on `L`: repeatedly the move with the largest gain
    /// whose priority the threshold allows.
    func scoreMoves(_ L: inout DRSLoads) -> [DRSMove] {
        let n = L.count
        guard n >= 2, settings.threshold >= 2 else { return [] }
        let cap = maxMovesPerHost
        var moved = [Int](repeating: 0, count: n)
        var movedVM = [Bool](repeating: false, count: L.vms.count)
        var moves: [DRSMove] = []
        while true {
            let dem = demands(L)
            var best: (k: Int, d: Int, gain: Double)?
            for k in 0..<L.vms.count where !movedVM[k] && balanceCandidate(L.vms[k]) {
                let s = L.vmHost[k]
                guard moved[s] < cap else { continue }
                let now = score(k, on: s, L, dem)
                for d in 0..<n where d != s && moved[d] < cap && fits(k, on: d, L) {
                    let gain = score(k, on: d, L, dem) - now
                    if gain > (best?.gain ?? 0) { best = (k, d, gain) }
                }
            }
            guard let b = best, let p = DRS.scorePriority(gain: b.gain), p <= settings.threshold else { break }
            let s = L.vmHost[b.k]
            moves.append(DRSMove(vm: L.vms[b.k], from: L.hosts[s], to: L.hosts[b.d], priority: p,
                                 reason: L.cpuDominates ? .fairnessCpuAvg : .fairnessMemAvg, before: .nan, after: .nan))
            L.apply(moving: b.k, to: b.d)
            moved[s] += 1
            moved[b.d] += 1
            movedVM[b.k] = true
        }
        return moves
    }
}
