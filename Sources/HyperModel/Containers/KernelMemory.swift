/// cgroup memory control, fluid (datacenter-facts §4.3; cgroup-v2.rst, cgroup-v1/memory.rst).
///
/// A container's anonymous memory grows at its memory workload's rate. Up to
/// min(memory.high, memory.max) it is resident; beyond, reclaim pushes the excess to swap
/// as far as memory.swap.max and the kernel's free swap allow; once swap is used up the
/// resident set grows again, and when it would pass memory.max the OOM killer runs inside
/// that cgroup only (exit code 137). Above memory.high allocation is throttled (slowed by
/// `highSlowdown`) and `memory.events: high` counts each 64-page charge batch
/// (MEMCG_CHARGE_BATCH) over it; it never kills. If the kernel as a whole runs out (the
/// containers' resident memory plus their overhead above its memory), the global OOM
/// killer kills the container with the largest footprint, weighted by oom_score_adj.
/// Every rate is constant between boundaries, so one kernel timer fires at the next one.
extension LinuxKernel {
    static let chargeBatch = 64.0 * Double(Units.pageSize)

    private func limit(_ k: Container) -> Double {
        Double(min(k.memoryControl.high ?? Int64.max, k.memoryControl.max ?? Int64.max))
    }

    func swapFree() -> Double {
        Double(swapCapacity) - containers.reduce(0.0) { $0 + ($1.state.isLive ? $1.swapped : 0) }
    }

    /// Swap this container may hold now: its own limit, and what the kernel has left.
    private func allowance(_ k: Container, free: Double) -> Double {
        min(Double(k.memoryControl.swapMax ?? Int64.max), k.swapped + max(0, free))
    }

    private func allocRate(_ k: Container) -> Double {
        guard k.state == .running, let head = k.memoryQueue.first else { return 0 }
        if let h = k.memoryControl.high, k.anon >= Double(h) { return head.rate * parameters.highSlowdown }
        return head.rate
    }

    /// Resident memory of live containers plus their per-instance overhead, as of the last settle.
    var residentTotal: Int64 {
        var total = 0.0
        for k in containers where k.state.isLive { total += k.anon - k.swapped + Double(parameters.overhead) }
        return Int64(total)
    }

    /// A container's memory as of now: its state at the last settle advanced by the time
    /// since (no boundary lies in between: the timer fires at each). Pure, so that reading
    /// a counter never splits the model's accounting.
    struct MemoryView {
        var anon: Double
        var swapped: Double
        var headProgress: Double
        var highCarry: Double
        var maxCarry: Double
        var events: MemoryEvents
        var peak: Int64
        var resident: Double { anon - swapped }
    }

    func view(_ k: Container, free: Double) -> MemoryView {
        var v = MemoryView(anon: k.anon, swapped: k.swapped, headProgress: k.headProgress, highCarry: k.highCarry,
                           maxCarry: k.maxCarry, events: k.memoryEvents, peak: k.peak)
        let now = datacenter.now.micros
        guard now > memorySettled, k.state == .running, let head = k.memoryQueue.first else { return v }
        let grow = min(allocRate(k) * Double(now - memorySettled) / 1e6, Double(head.size) - k.headProgress)
        guard grow > 0 else { return v }
        let before = v.anon
        v.anon += grow
        v.headProgress += grow
        v.swapped = min(max(0, v.anon - limit(k)), allowance(k, free: free))
        if let h = k.memoryControl.high {
            v.highCarry += max(0, v.anon - max(before, Double(h)))
            let n = (v.highCarry / LinuxKernel.chargeBatch).rounded(.down)
            v.events.high += Int64(n)
            v.highCarry -= n * LinuxKernel.chargeBatch
        }
        if let m = k.memoryControl.max, limit(k) >= Double(m) {
            v.maxCarry += max(0, v.anon - max(before, Double(m)))
            let n = (v.maxCarry / LinuxKernel.chargeBatch).rounded(.down)
            v.events.max += Int64(n)
            v.maxCarry -= n * LinuxKernel.chargeBatch
        }
        v.peak = max(v.peak, Int64(v.resident))
        return v
    }

    /// A read of one container's memory now (no state changes).
    public func memoryNow(_ k: Container) -> (resident: Int64, swapped: Int64, events: MemoryEvents, peak: Int64, headProgress: Double) {
        let v = view(k, free: swapFree())
        return (Int64(v.resident), Int64(v.swapped), v.events, v.peak, v.headProgress)
    }

    /// The containers' resident memory plus their overhead now (no state changes).
    public var residentUsed: Int64 {
        let free = swapFree()
        var total = 0.0
        for k in containers where k.state.isLive { total += view(k, free: free).resident + Double(parameters.overhead) }
        return Int64(total)
    }

    /// Brings every allocating container up to now.
    func settleMemory() {
        let now = datacenter.now.micros
        guard now > memorySettled else { return }
        var free = swapFree()
        for k in containers where k.state == .running && !k.memoryQueue.isEmpty {
            let v = view(k, free: free)
            free -= v.swapped - k.swapped
            (k.anon, k.swapped, k.headProgress, k.highCarry, k.maxCarry, k.memoryEvents, k.peak) =
                (v.anon, v.swapped, v.headProgress, v.highCarry, v.maxCarry, v.events, v.peak)
            let head = k.memoryQueue[0]
            head.allocated = k.headProgress >= Double(head.size) - 0.5 ? head.size : Int64(k.headProgress)
        }
        memorySettled = now
    }

    /// Something changed (a workload, a start, an end): act on boundaries reached now and
    /// set the timer for the next one.
    func memoryChanged() {
        settleMemory()
        enforce()
        syncGuest()
        scheduleMemoryTimer()
    }

    func memoryTimerFired(_ generation: Int64) {
        guard generation == memoryGeneration else { return }
        memoryChanged()
    }

    /// Allocations that finished move on; cgroups past memory.max with no swap left are
    /// OOM-killed; a kernel out of memory kills its largest container.
    private func enforce() {
        let free = swapFree()
        for k in containers where k.state == .running {
            while let head = k.memoryQueue.first, head.allocated >= head.size {
                k.memoryQueue.removeFirst()
                k.headProgress = 0
            }
            guard let m = k.memoryControl.max, !k.memoryQueue.isEmpty else { continue }
            let a = allowance(k, free: free)
            if k.anon - k.swapped >= Double(m) - 1, k.swapped >= a - 1 {
                oomKill(k, "memory.max \(Units.formatBytes(m)) reached with \(Units.formatBytes(Int64(k.swapped))) swapped\(k.memoryControl.swapMax == 0 ? " (memory.swap.max 0: no swap)" : " and no swap left")")
            }
        }
        while Int64(residentTotal) > memoryCapacity, let victim = globalVictim() {
            oomKill(victim, "\(description) is out of memory (\(Units.formatBytes(residentTotal)) resident of \(Units.formatBytes(memoryCapacity))): the global OOM killer chose its largest container", inCgroup: false)
        }
    }

    private func globalVictim() -> Container? {
        var best: Container?
        var bestScore = -Double.infinity
        for k in containers where k.state.isLive {
            let score = k.anon + Double(k.oomScoreAdj) * Double(memoryCapacity) / 1000
            if score > bestScore { (best, bestScore) = (k, score) }
        }
        return best
    }

    func oomKill(_ k: Container, _ why: String, inCgroup: Bool = true) {
        if inCgroup {
            k.memoryEvents.max += 1
            k.memoryEvents.oom += 1
        }
        k.memoryEvents.oomKill += 1
        end(k, state: .oomKilled, code: 137, reason: "OOM killed: \(why)")
    }

    /// The image's working set is resident as soon as the entry process runs: a limit
    /// below it with no swap kills the container at once, with that reason.
    func chargeWorkingSet(_ k: Container, _ bytes: Int64) {
        settleMemory()
        k.anon += Double(bytes)
        let s = min(max(0, k.anon - limit(k)), allowance(k, free: swapFree()))
        k.swapped = s
        k.peak = max(k.peak, Int64(k.anon - s))
        if let m = k.memoryControl.max, k.anon - s > Double(m) {
            oomKill(k, "memory.max \(Units.formatBytes(m)) is below the image's working set \(Units.formatBytes(bytes)) with \(Units.formatBytes(Int64(s))) of swap allowed; it started and was killed")
            return
        }
        memoryChanged()
    }

    /// Memory a workload frees goes from resident and swap in proportion.
    func release(_ bytes: Double, from k: Container) {
        guard k.anon > 0 else { return }
        let b = min(bytes, k.anon)
        k.swapped -= k.swapped * b / k.anon
        k.anon -= b
    }

    private func scheduleMemoryTimer() {
        memoryGeneration += 1
        var next = Double.infinity
        var residentGrowth = 0.0, swapGrowth = 0.0
        let free = swapFree()
        for k in containers where k.state == .running && !k.memoryQueue.isEmpty {
            let r = allocRate(k)
            guard r > 0 else { continue }
            let head = k.memoryQueue[0]
            let a = allowance(k, free: free)
            let lim = limit(k)
            // the nearest point ahead where its rate or where its bytes go changes
            var gap = Double(head.size) - k.headProgress
            for p in [lim, lim + a, Double(k.memoryControl.high ?? Int64.max), Double(k.memoryControl.max ?? Int64.max) + a]
            where p > k.anon + 0.5 { gap = min(gap, p - k.anon) }
            if gap > 0 { next = min(next, gap / r) }
            if k.anon >= lim && k.swapped < a - 0.5 { swapGrowth += r } else { residentGrowth += r }
        }
        let room = Double(memoryCapacity - residentTotal)
        if residentGrowth > 0 { next = min(next, max(0, room) / residentGrowth) }
        if swapGrowth > 0 { next = min(next, max(0, free) / swapGrowth) }
        // nothing to do before the horizon (a tiny rate, a huge gap): no timer
        guard next.isFinite, next * 1e6 < Double(SimTime.horizon.micros - datacenter.now.micros) else { return }
        let at = datacenter.now.micros + max(1, Int64((next * 1e6).rounded(.up)))
        datacenter.sim.schedule(process, at: SimTime(micros: at), token: -memoryGeneration)
    }

    /// A guest kernel's containers live in the guest's memory: the guest touches what
    /// they hold resident (and their overhead), and frees what they give back, so the
    /// hypervisor sees it and reclaims from the VM as it does for any guest.
    private func syncGuest() {
        guard let vm, vm.state == .on else { return }
        let want = residentTotal
        if want > guestTouched {
            let room = vm.guest.available
            let add = min(want - guestTouched, room)
            if add > 0, (try? vm.guestTouch(add)) != nil { guestTouched += add }
        } else if want < guestTouched {
            let give = min(guestTouched - want, Units.pages(vm.guest.used))
            if give > 0, (try? vm.guestFree(give)) != nil { guestTouched -= give }
        }
    }
}
