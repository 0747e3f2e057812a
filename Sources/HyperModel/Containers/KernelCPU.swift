/// CFS between cgroups, fluid (datacenter-facts §4.2; cgroup-v2.rst, sched-bwc.rst).
///
/// Contended CPU is water-filled by weight (`cpu.weight`, or v1 `cpu.shares`): each
/// runnable cgroup gets min(its demand, its quota, level × weight), the level chosen so
/// the CPUs are used up — work-conserving, so CPU a cgroup does not use goes to the rest.
/// A quota (`cpu.max`) is not work-conserving: the cgroup never gets more than quota ÷
/// period on average, however idle the CPUs. Rates are constant between changes (a
/// workload, a limit, a container starting or ending), so the kernel recomputes only then,
/// in O(n log n) for its n containers, and accounts lazily.
///
/// Per-period counters come out exactly as the kernel counts them: every period boundary
/// crossed while the cgroup is runnable adds to `nr_periods`; when the quota binds (the
/// cgroup would run faster than quota ÷ period) it runs at that faster rate until the
/// quota is spent and is throttled to the period's end, so the period also adds to
/// `nr_throttled` and `burst × period − quota` to `throttled_usec` (the time each of its
/// per-CPU run queues sat throttled, summed as the kernel sums them).
extension LinuxKernel {
    /// Demand or limits changed: account up to now at the old rates, then share again.
    func cpuChanged() {
        settleCPU()
        for k in containers where k.state == .running {
            var d = 0.0
            for w in k.workloads where w.stopped == nil { if let c = w as? CPUWorkload { d += Double(c.threads) * c.load } }
            k.demand = min(d, Double(k.cpuControl.cpuset?.count ?? cpus))
        }
        if vm == nil { share(capacity: Double(cpus)) } else { updateHelper() }
    }

    /// Brings every container's usage and counters up to now.
    func settleCPU() {
        let now = datacenter.now.micros
        guard now > cpuSettled else { return }
        if let vm {
            // what the guest received since the last settle, shared by the guest's CFS
            vm.host.settleCPU()
            let run = vm.state == .on ? vm.cpuCounters.run : lastVMRun
            let delivered = Double(max(0, run - lastVMRun))
            lastVMRun = run
            let ours = helper.map { Double($0.threads) * $0.load } ?? 0
            var other = 0.0
            for w in vm.workloads where w !== helper && w.isRunning { if let c = w as? CPUWorkload { other += Double(c.threads) * c.load } }
            let fraction = ours + other > 0 ? ours / (ours + other) : 0
            // (the host accounts whole quanta, so one segment may see a quantum more than its length)
            share(capacity: min(Double(cpus), delivered * fraction / Double(now - cpuSettled)))
        }
        for k in containers where k.state == .running { account(k, from: cpuSettled, to: now) }
        cpuSettled = now
    }

    private func account(_ k: Container, from t0: Int64, to t1: Int64) {
        (k.usage, k.throttledTime, k.cpuStat) = advanced(k, from: t0, to: t1)
    }

    /// A container's CPU accounting advanced from t0 to t1 at its current rates (pure).
    private func advanced(_ k: Container, from t0: Int64, to t1: Int64) -> (Double, Double, CPUStat) {
        var (usage, throttledTime, stat) = (k.usage, k.throttledTime, k.cpuStat)
        usage += k.rate * Double(t1 - t0)
        stat.usageUsec = Int64(usage)
        guard k.cpuControl.quota != nil, k.demand > 0 else { return (usage, throttledTime, stat) }
        let p = k.cpuControl.period
        let anchor = k.startTime?.micros ?? 0
        let n = floorDiv(t1 - anchor, p) - floorDiv(t0 - anchor, p)
        guard n > 0 else { return (usage, throttledTime, stat) }
        stat.nrPeriods += n
        if k.throttled {
            stat.nrThrottled += n
            throttledTime += Double(n) * max(0, k.burst * Double(p) - Double(k.cpuControl.quota!))
            stat.throttledUsec = Int64(throttledTime)
        }
        return (usage, throttledTime, stat)
    }

    /// A read of one container's CPU now. On a node it changes nothing (the rates hold
    /// since the last change); in a guest it first accounts what the VM received.
    public func cpuNow(_ k: Container) -> (stat: CPUStat, rate: Double) {
        if vm != nil { settleCPU() }
        guard k.state == .running else { return (k.cpuStat, 0) }
        return (advanced(k, from: cpuSettled, to: datacenter.now.micros).2, k.rate)
    }

    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && a < 0) ? q - 1 : q
    }

    /// Water-fills `capacity` CPUs: each cpuset group on its own CPUs first (disjoint sets),
    /// then everyone else on what is left of the kernel.
    func share(capacity: Double) {
        scratch.removeAll(keepingCapacity: true)
        var pinnedUse = 0.0
        var groups: [[Int]] = []
        for k in containers where k.state == .running {
            if let set = k.cpuControl.cpuset, set.count < cpus {
                if !groups.contains(set) { groups.append(set) }
            } else {
                scratch.append(k.index)
            }
        }
        let unpinned = scratch
        for set in groups {
            scratch.removeAll(keepingCapacity: true)
            for k in containers where k.state == .running && k.cpuControl.cpuset == set { scratch.append(k.index) }
            pinnedUse += fill(scratch, capacity: capacity * Double(set.count) / Double(cpus), cpuLimit: Double(set.count))
        }
        scratch = unpinned
        _ = fill(scratch, capacity: max(0, capacity - pinnedUse), cpuLimit: Double(cpus))
    }

    /// Max-min fair by weight with bounds min(demand, quota); returns the CPUs given.
    private func fill(_ members: [Int], capacity: Double, cpuLimit: Double) -> Double {
        var sorted = members
        func bound(_ k: Container) -> Double { min(k.demand, k.cpuControl.capCPUs ?? .infinity) }
        let total = sorted.reduce(0.0) { $0 + bound(containers[$1]) }
        var level = Double.infinity
        if total > capacity {
            sorted.sort { a, b in
                let ka = containers[a], kb = containers[b]
                let ra = bound(ka) / Double(ka.cpuControl.weight), rb = bound(kb) / Double(kb.cpuControl.weight)
                return ra != rb ? ra < rb : a < b
            }
            var left = capacity
            var weights = sorted.reduce(0.0) { $0 + Double(containers[$1].cpuControl.weight) }
            for i in sorted {
                let k = containers[i], w = Double(k.cpuControl.weight)
                if bound(k) <= left / weights * w {
                    left -= bound(k)
                    weights -= w
                } else {
                    level = left / weights
                    break
                }
            }
        }
        var given = 0.0
        for i in members {
            let k = containers[i]
            let w = Double(k.cpuControl.weight)
            k.rate = min(bound(k), level * w)
            given += k.rate
            if let cap = k.cpuControl.capCPUs, k.rate >= cap * (1 - 1e-12) {
                k.burst = min(k.demand, level * w, cpuLimit)
                k.throttled = k.burst > cap * (1 + 1e-9)
            } else {
                k.burst = k.rate
                k.throttled = false
            }
        }
        return given
    }

    /// A guest kernel asks its VM for what its containers can use: one helper CPU workload
    /// of ⌈Σ demand⌉ threads (at most the vCPUs) at the matching duty cycle.
    private func updateHelper() {
        guard let vm else { return }
        var want = 0.0
        for k in containers where k.state == .running { want += min(k.demand, k.cpuControl.capCPUs ?? .infinity) }
        want = min(want, Double(cpus))
        if let h = helper, abs(Double(h.threads) * h.load - want) < 1e-9 { return }
        if let h = helper { vm.stopHelper(h) }
        helper = nil
        guard want > 0, vm.state == .on else { return }
        let threads = max(1, min(cpus, Int(want.rounded(.up))))
        if let h = try? CPUWorkload(threads: threads, load: min(1, want / Double(threads))) {
            try? vm.run(h)
            helper = h
        }
    }
}
