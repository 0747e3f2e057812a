/// The load-balancing pass (datacenter-facts §2.2–2.3): greedy hill-climbing. While the
/// imbalance is above the threshold's target (its priority ≤ threshold), take the move
/// that lowers it most among those that pass the filters, plan it, and look again:
///
/// * MinGoodness: the move must lower the LIM × N/2 by at least `minGoodness`. The
///   reference measures goodness as the drop of the LIM, which on two hosts is exactly
///   this; one VM's move changes the deviation of N hosts about N/2 times less than that
///   of two, so on 64 hosts no move would reach 0.01, while scaled by N/2 the filter keeps
///   its meaning whatever the cluster's size: about the share of a host's capacity the
///   move shifts [M];
/// * CostBenefit: the entitlement it puts where it balances, over `stableTime`, must
///   outweigh the CPU its vMotion costs on both hosts (migration time from the
///   migration model's pre-copy, × the vMotion CPU share) [M];
/// * MaxMovesPerHost: a host takes part in at most that many moves per pass;
/// * a VM moves at most once per pass; only powered-on VMs whose level is not Disabled,
///   not migrating, without pass-through devices, to a host that fits its reservations,
///   mounts its datastores and keeps its rules.
///
/// Automatic VMs are preferred: a move of a VM whose level only recommends is chosen
/// only when no automatic VM's move passes the filters (Denneman 2012/07/27). To keep a
/// pass cheap on large clusters the candidates are the VMs of the `width` most loaded
/// hosts (in the dominant resource) towards the `width` least loaded [M].
extension DRS {
    static let width = 8

    /// Moves the built-in balancer chooses on `L` (and plans on it), in order.
    func balance(_ L: inout DRSLoads) -> [DRSMove] {
        let n = L.count
        let t = settings.threshold
        guard t >= 2, n >= 2 else { return [] }
        let cap = maxMovesPerHost
        var moved = [Int](repeating: 0, count: n)
        var movedVM = [Bool](repeating: false, count: L.vms.count)
        var movable = [Bool](repeating: false, count: L.vms.count)
        for k in 0..<L.vms.count { movable[k] = balanceCandidate(L.vms[k]) }
        let totals = L.totals
        let cpuTotal = totals.cpuC
        var moves: [DRSMove] = []
        var order = Array(0..<n)
        while true {
            let lim = L.imbalance
            guard let p = DRSPriority.of(imbalance: lim, hosts: n, reading: settings.reading), p <= t else { break }
            let cpuDom = L.cpuDominates
            order.sort { a, b in
                let la = cpuDom ? L.cpuLoad(a) : L.memLoad(a), lb = cpuDom ? L.cpuLoad(b) : L.memLoad(b)
                return la != lb ? la > lb : a < b
            }
            // the widest hosts that may still take part in a move
            let open = order.filter { moved[$0] < cap }
            let w = min(open.count, DRS.width)
            let sources = open.prefix(w), destinations = Array(open.suffix(w).reversed())
            let m = L.moments()
            let scale = Double(n) / 2
            var best: (k: Int, d: Int, good: Double, auto: Bool, after: Double)?
            for s in sources {
                for k in L.members[s] where movable[k] && !movedVM[k] {
                    let auto = movesAutomatically(L.vms[k])
                    if let b = best, b.auto && !auto { continue }
                    for d in destinations where d != s {
                        let after = L.imbalance(moving: k, to: d, m)
                        let good = lim - after
                        guard good * scale >= settings.minGoodness, good > 1e-12 else { continue }
                        if let b = best, b.auto == auto && good <= b.good { continue }
                        guard fits(k, on: d, L) else { continue }
                        guard worthIt(k, to: d, L, totals, cpuTotal) else { continue }
                        best = (k, d, good, auto, after)
                    }
                }
            }
            guard let b = best else { break }
            let s = L.vmHost[b.k]
            moves.append(DRSMove(vm: L.vms[b.k], from: L.hosts[s], to: L.hosts[b.d], priority: p,
                                 reason: cpuDom ? .fairnessCpuAvg : .fairnessMemAvg, before: lim, after: b.after))
            L.apply(moving: b.k, to: b.d)
            moved[s] += 1
            moved[b.d] += 1
            movedVM[b.k] = true
        }
        return moves
    }

    /// A VM balancing may move: on, its level not Disabled, not migrating or queued,
    /// without pass-through devices.
    func balanceCandidate(_ v: VM) -> Bool {
        v.state == .on && automation(of: v) != nil && !v.isMigrating && !v.hasPassthrough && !flight.isQueued(v)
    }

    /// Host `d` can take VM `k` now: its reservations (with the planned moves), its
    /// vCPUs, its datastores, and its rules.
    func fits(_ k: Int, on d: Int, _ L: DRSLoads) -> Bool {
        let v = L.vms[k], h = L.hosts[d]
        guard L.reservationsFit(k, on: d) else { return false }
        if v.vcpus > h.cpus && h.scheduler.kind != .fair { return false }
        if v.cpuRefusal(on: h) != nil { return false }
        for disk in v.disks where !h.datastores.contains(where: { $0 === disk.datastore }) { return false }
        return ruleRefusal(v, on: h, L) == nil
    }

    /// CostBenefit [M]: benefit × stable time > cost, both as fractions of the cluster's
    /// capacity. Benefit: how much less entitlement sits away from where it balances
    /// (CPU and memory); cost: the vMotion's CPU on both hosts for its estimated time.
    func worthIt(_ k: Int, to d: Int, _ L: DRSLoads, _ totals: (cpuE: Double, cpuC: Double, memE: Double, memC: Double),
                 _ cpuTotal: Double) -> Bool {
        guard settings.costBenefit else { return true }
        let s = L.vmHost[k]
        let c = L.vmCPU[k], m = L.vmMem[k]
        let before = L.misplaced(s, cpuDelta: 0, memDelta: 0, totals) + L.misplaced(d, cpuDelta: 0, memDelta: 0, totals)
        let after = L.misplaced(s, cpuDelta: -c, memDelta: -m, totals) + L.misplaced(d, cpuDelta: c, memDelta: m, totals)
        let benefit = before - after
        guard benefit > 0 else { return false }
        let v = L.vms[k]
        let cost = estimatedMigrationSeconds(v) * settings.vmotionCPUCores * (L.hosts[s].mhz + L.hosts[d].mhz) / max(cpuTotal, 1)
        return benefit * settings.stableTime > cost
    }

    /// Pre-copy time at the full link: the memory, resent as the guest dirties it (a
    /// geometric series of rounds, model-facts §4.2), its ratio capped at 0.9 (SDPS).
    func estimatedMigrationSeconds(_ v: VM) -> Double {
        let b = settings.vmotionBandwidth
        let ratio = min(0.9, v.dirtyRate / b)
        return Double(v.memory) / b / (1 - ratio)
    }

    /// The pass's cap on moves per host: fixed, or (vSphere 4.1+) as many as the host's
    /// concurrent vMotions can finish in one period at the average migration time seen.
    var maxMovesPerHost: Int {
        guard settings.adaptiveMaxMoves, flight.observedCount > 0 else { return settings.maxMovesPerHost }
        let mean = flight.observedSeconds / Double(flight.observedCount)
        let fit = Double(settings.vmotionsPerHost) * settings.interval.seconds / max(mean, 1)
        return max(1, min(100, Int(fit)))
    }
}

/// A move a pass or a caller decided, before it runs.
public struct DRSMove {
    public unowned(unsafe) let vm: VM
    public unowned(unsafe) let from: Host
    public unowned(unsafe) let to: Host
    public let priority: Int
    public let reason: DRSReason
    /// The LIM before and after it (planned).
    public let before: Double
    public let after: Double
}

extension VM {
    /// A live migration is running.
    public var isMigrating: Bool { migration.map { !$0.done } ?? false }
}
