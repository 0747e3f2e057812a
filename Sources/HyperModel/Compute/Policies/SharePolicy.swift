/// ESX's proportional-share scheduling (model-facts §1.1, §1.3), and round robin.
///
/// Each vCPU has a pass (virtual time) that advances by the CPU it receives divided by
/// its shares; the lowest pass runs first, so contended CPU is divided by shares and idle
/// capacity goes to whoever can use it. A VM's reservation is served before shares (its
/// vCPUs go first while the VM is owed reserved time), and its limit is a token bucket:
/// time held back by it is %MLMTD. Co-scheduling keeps the vCPUs of an SMP VM together:
/// strictly (ESX 2.x: all at once or not at all), relaxed per VM (ESX 3.x) or relaxed
/// per vCPU (ESX 4+: only vCPUs ahead of the slowest by more than the skew threshold
/// are co-stopped). Idle vCPUs count as making progress (ESX 3+).
final class SharePolicy: QuantumPolicy {
    enum Coscheduling { case none, strict, perVM, perVCPU }

    let config: SchedulerConfig
    let mode: Coscheduling
    let roundRobin: Bool
    private var vtime: Int64 = 0
    private var vtimeMax: Int64 = 0
    private var groupDone: [Bool] = []

    static let strideScale: Int64 = 1 << 24
    private static let reservedFirst: Int64 = 1 << 61

    init(config: SchedulerConfig) {
        self.config = config
        roundRobin = config.kind == .roundRobin
        switch config.kind {
        case .strict: mode = .strict
        case .relaxed: mode = .perVM
        case .esx: mode = .perVCPU
        default: mode = .none
        }
    }

    func attached(_ v: inout VCPUSlots, _ groups: inout [VMGroup], group g: Int, now: Int64) {
        let vm = groups[g].vm
        let perVCPU = max(vm.schedulingShares / Int64(vm.vcpus), 1)
        for s32 in groups[g].slots {
            let s = Int(s32)
            v.stride[s] = roundRobin ? SharePolicy.strideScale / 1000 : max(SharePolicy.strideScale / perVCPU, 1)
            v.pass[s] = roundRobin ? vtimeMax : vtime
        }
        groups[g].tokens = (groups[g].limitRate ?? 0) * Double(config.quantum.micros)
        groups[g].reserved = 0
    }

    /// New shares change the stride; a vCPU held back by a limit it no longer has banks
    /// no credit: it goes on from where the others are, not from where it lagged.
    func reconfigured(_ v: inout VCPUSlots, _ groups: inout [VMGroup], group g: Int, now: Int64) {
        let vm = groups[g].vm
        let perVCPU = max(vm.schedulingShares / Int64(vm.vcpus), 1)
        for s32 in groups[g].slots {
            let s = Int(s32)
            v.stride[s] = roundRobin ? SharePolicy.strideScale / 1000 : max(SharePolicy.strideScale / perVCPU, 1)
            v.pass[s] = max(v.pass[s], vtime)
        }
        groups[g].tokens = min(groups[g].tokens, (groups[g].limitRate ?? 0) * Double(config.quantum.micros))
        if groups[g].reservationRate == 0 { groups[g].reserved = 0 }
    }

    func allocate(_ v: inout VCPUSlots, _ groups: inout [VMGroup], t0: Int64, dt: Int64, pcpus: Int) throws {
        if groupDone.count < groups.count { groupDone = Array(repeating: false, count: groups.count) }
        let rated = refillRates(&groups, dt: dt)
        // woken vCPUs join the queue at its fair point (esx) or at its tail (round robin);
        // vCPUs owed reserved time go first
        let wakeAt = roundRobin ? vtimeMax : vtime
        for s32 in v.order {
            let s = Int(s32)
            v.alloc[s] = 0
            v.why[s] = .ready
            v.eligible[s] = true
            if v.demand[s] > 0 && !v.hadDemand[s] && v.pass[s] < wakeAt { v.pass[s] = wakeAt }
            v.rank[s] = rated && groups[Int(v.group[s])].reserved >= 1 ? v.pass[s] - SharePolicy.reservedFirst : v.pass[s]
        }
        sortByRank(&v)
        switch mode {
        case .none: serveFluid(&v, &groups, dt: dt, pcpus: pcpus)
        case .perVCPU:
            coStopLeaders(&v, groups)
            serveFluid(&v, &groups, dt: dt, pcpus: pcpus)
        case .strict, .perVM:
            serveGangs(&v, &groups, dt: dt, pcpus: pcpus)
            advancePasses(&v, dt: dt)
        }
        if mode != .none && mode != .strict { trackSkew(&v, &groups) }
    }

    /// Refills limit buckets and reservation credit; false when no VM has either.
    private func refillRates(_ groups: inout [VMGroup], dt: Int64) -> Bool {
        let q = Double(config.quantum.micros)
        var any = false
        for i in groups.indices where groups[i].live && (groups[i].limitRate != nil || groups[i].reservationRate > 0) {
            any = true
            if let rate = groups[i].limitRate { groups[i].tokens = min(groups[i].tokens + rate * Double(dt), rate * q) }
            if groups[i].reservationRate > 0 {
                groups[i].reserved = min(groups[i].reserved + groups[i].reservationRate * Double(dt), groups[i].reservationRate * q)
            }
        }
        return any
    }

    // MARK: serving

    /// Serves eligible vCPUs in rank order from the capacity p·dt, each up to dt, and
    /// advances their passes as it goes.
    private func serveFluid(_ v: inout VCPUSlots, _ groups: inout [VMGroup], dt: Int64, pcpus: Int) {
        var capacity = Int64(pcpus) * dt
        var minPass = Int64.max
        var maxPass = Int64.min
        for s32 in v.order {
            let s = Int(s32)
            let d = v.demand[s]
            guard d > 0 else { continue }
            if v.eligible[s] {
                give(&v, &groups, s, min(d, dt, capacity))
                let a = v.alloc[s]
                capacity -= a
                v.pass[s] += roundRobin ? (a > 0 ? v.stride[s] * dt : 0) : a * v.stride[s]
            } else {
                v.why[s] = .costop
            }
            // a vCPU held back by its limit lags by design: it must not drag the
            // virtual time that waking and reconfigured VMs start from
            if v.why[s] != .limit { minPass = min(minPass, v.pass[s]) }
            maxPass = max(maxPass, v.pass[s])
        }
        settleVirtualTime(&v, minPass, maxPass)
    }

    /// Runs up to `want` on slot s, within its VM's limit; records why it got less.
    @inline(__always)
    private func give(_ v: inout VCPUSlots, _ groups: inout [VMGroup], _ s: Int, _ want: Int64) {
        let g = Int(v.group[s])
        var a = want
        var limited = false
        if groups[g].limitRate != nil {
            let tokens = Int64(groups[g].tokens)
            if a > tokens {
                a = max(tokens, 0)
                limited = true
            }
            groups[g].tokens -= Double(a)
        }
        // Time run beyond the credit is a debt (up to one quantum's worth): a reservation
        // guarantees a minimum, so a VM that ran first on its credit must not run first
        // again until the credit has refilled, and competes by shares meanwhile.
        if groups[g].reservationRate > 0 {
            groups[g].reserved = max(-groups[g].reservationRate * Double(config.quantum.micros), groups[g].reserved - Double(a))
        }
        v.alloc[s] = a
        v.why[s] = limited ? .limit : .ready
    }

    /// Co-scheduling in whole pCPUs. A gang starts only when it fits at once: all the
    /// VM's vCPUs, busy or idle (strict), or the lagging vCPUs of a co-stopped VM
    /// (relaxed per VM, whose other vCPUs run one pCPU each while it is not co-stopped).
    private func serveGangs(_ v: inout VCPUSlots, _ groups: inout [VMGroup], dt: Int64, pcpus: Int) {
        for i in groups.indices { groupDone[i] = false }
        if mode == .perVM { decideVMCostops(&v, &groups) }
        var free = pcpus
        for s32 in v.order {
            let s = Int(s32)
            guard v.demand[s] > 0 else { continue }
            let g = Int(v.group[s])
            let members = groups[g].slots
            let gang = members.count > 1 && (mode == .strict || groups[g].costopped)
            guard gang else {
                if free > 0 {
                    free -= 1
                    give(&v, &groups, s, min(v.demand[s], dt))
                }
                continue
            }
            if groupDone[g] { continue }
            groupDone[g] = true
            var need = 0
            for m32 in members where mode == .strict || (v.eligible[Int(m32)] && v.demand[Int(m32)] > 0) { need += 1 }
            let starts = need <= free
            // waiting for a co-start while pCPUs are free is co-stop; with none free it is contention
            let waiting: WaitReason = free > 0 ? .costop : .ready
            if starts { free -= need }
            for m32 in members where v.demand[Int(m32)] > 0 {
                let m = Int(m32)
                if starts && v.eligible[m] {
                    give(&v, &groups, m, min(v.demand[m], dt))
                } else {
                    v.why[m] = v.eligible[m] ? waiting : .costop
                }
            }
        }
    }

    // MARK: skew

    /// ESX 4+: vCPUs ahead of their VM's slowest vCPU by more than the threshold wait.
    private func coStopLeaders(_ v: inout VCPUSlots, _ groups: [VMGroup]) {
        let threshold = config.skewThreshold.micros
        for g in groups.indices where groups[g].live && groups[g].maxBehind > threshold {
            let slowest = groups[g].maxBehind
            for m in groups[g].slots where slowest - v.behind[Int(m)] > threshold { v.eligible[Int(m)] = false }
        }
    }

    /// ESX 3.x: a VM whose skew exceeds the threshold is co-stopped until it has caught
    /// up: its leading vCPUs wait, and its lagging ones can only start together.
    private func decideVMCostops(_ v: inout VCPUSlots, _ groups: inout [VMGroup]) {
        let threshold = config.skewThreshold.micros
        for g in groups.indices where groups[g].live && groups[g].count > 1 {
            if groups[g].maxBehind > threshold { groups[g].costopped = true } else if groups[g].maxBehind == 0 { groups[g].costopped = false }
            guard groups[g].costopped else { continue }
            let slowest = groups[g].maxBehind
            for m in groups[g].slots where slowest - v.behind[Int(m)] > threshold { v.eligible[Int(m)] = false }
        }
    }

    /// Skew: a vCPU falls behind its siblings only while it waits (ready or co-stopped);
    /// running and idling both count as progress (ESX 3+). Kept relative to the VM's most
    /// advanced vCPU, so only VMs where someone waited need any work.
    private func trackSkew(_ v: inout VCPUSlots, _ groups: inout [VMGroup]) {
        for s32 in v.order {
            let s = Int(s32)
            let a = v.alloc[s]
            guard v.demand[s] > a else { continue }
            let g = Int(v.group[s])
            guard groups[g].count > 1 else { continue }
            v.behind[s] += v.window[s] - a
            var lo = Int64.max, hi = Int64.min
            for m in groups[g].slots {
                lo = min(lo, v.behind[Int(m)])
                hi = max(hi, v.behind[Int(m)])
            }
            if lo > 0 {
                for m in groups[g].slots { v.behind[Int(m)] -= lo }
            }
            groups[g].maxBehind = hi - lo
        }
    }

    // MARK: priority

    private func advancePasses(_ v: inout VCPUSlots, dt: Int64) {
        var minPass = Int64.max
        var maxPass = Int64.min
        for s32 in v.order {
            let s = Int(s32)
            guard v.demand[s] > 0 else { continue }
            let a = v.alloc[s]
            v.pass[s] += roundRobin ? (a > 0 ? v.stride[s] * dt : 0) : a * v.stride[s]
            if v.why[s] != .limit { minPass = min(minPass, v.pass[s]) }
            maxPass = max(maxPass, v.pass[s])
        }
        settleVirtualTime(&v, minPass, maxPass)
    }

    private func settleVirtualTime(_ v: inout VCPUSlots, _ minPass: Int64, _ maxPass: Int64) {
        if minPass != Int64.max {
            vtime = max(vtime, minPass)
            vtimeMax = maxPass
        }
        if vtime > (1 << 59) {  // keep passes far from overflow; only differences matter
            let base = vtime
            for s in 0..<v.count { v.pass[s] -= base }
            vtime = 0
            vtimeMax -= base
        }
    }

    /// Insertion sort by (rank, slot): only the vCPUs that ran moved, so the order is
    /// nearly sorted already.
    private func sortByRank(_ v: inout VCPUSlots) {
        var i = 1
        while i < v.order.count {
            let x = v.order[i]
            let rx = v.rank[Int(x)]
            var j = i - 1
            while j >= 0 {
                let y = v.order[j]
                let ry = v.rank[Int(y)]
                if ry < rx || (ry == rx && y < x) { break }
                v.order[j + 1] = y
                j -= 1
            }
            v.order[j + 1] = x
            i += 1
        }
    }
}
