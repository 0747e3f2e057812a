/// KVM's vCPUs as Linux threads under CFS with one cgroup per VM (model-facts §1.6).
///
/// Two levels of fair sharing: VMs by their cgroup weight (cpu.shares, 1024 by default),
/// then the VM's runnable vCPU threads equally. Each level keeps a virtual runtime
/// that advances by the CPU received divided by the weight; the lowest runs first, and
/// CPU nobody else wants goes to whoever can use it (work-conserving). A waking VM
/// starts at the current minimum so sleeping banks no credit. With a quota (libvirt's
/// vcpu_quota), each vCPU thread may run that much per period (100 ms by default); once
/// it has, it is throttled to the end of the period — %MLMTD. The quota is refilled at
/// every period boundary, wherever it falls inside a scheduling step (the kernel's
/// hrtimer does not wait for a tick: Documentation/scheduler/sched-bwc.rst).
final class CFSPolicy: QuantumPolicy {
    let config: SchedulerConfig
    private var minGroupVruntime: Int64 = 0
    private var busyBefore: [Bool] = []
    private var busyNow: [Bool] = []
    private var groupRan: [Int64] = []
    /// What each VM's cgroup may still run this step under its global quota.
    private var groupBudget: [Int64] = []
    /// The bandwidth period the slots' `periodUsed` counts in.
    private var periodIndex: Int64 = 0

    init(config: SchedulerConfig) { self.config = config }

    func attached(_ v: inout VCPUSlots, _ groups: inout [VMGroup], group g: Int, now: Int64) {
        groups[g].weight = groups[g].vm.cpuAllocation.shares.cgroupShares
        groups[g].vruntime = minGroupVruntime
        for s in groups[g].slots {
            v.pass[Int(s)] = 0
            v.periodUsed[Int(s)] = 0
        }
    }

    func reconfigured(_ v: inout VCPUSlots, _ groups: inout [VMGroup], group g: Int, now: Int64) {
        groups[g].weight = groups[g].vm.cpuAllocation.shares.cgroupShares
    }

    func allocate(_ v: inout VCPUSlots, _ groups: inout [VMGroup], t0: Int64, dt: Int64, pcpus: Int) throws {
        if busyNow.count < groups.count {
            let more = groups.count - busyNow.count
            busyBefore += Array(repeating: false, count: more)
            busyNow += Array(repeating: false, count: more)
            groupRan += Array(repeating: 0, count: more)
            groupBudget += Array(repeating: 0, count: more)
        }
        let period = config.period.micros
        let newPeriod = t0 / period > periodIndex
        for g in groups.indices {
            busyNow[g] = false
            groupRan[g] = 0
            if newPeriod { groups[g].groupUsed = 0 }
            if groups[g].groupQuota >= 0 {
                groupBudget[g] = CFSPolicy.bandwidth(want: Int64(groups[g].count) * dt, used: groups[g].groupUsed,
                                                     quota: groups[g].groupQuota, t0: t0, dt: dt, period: period,
                                                     threads: Int64(groups[g].count)).0
            }
        }
        if newPeriod { periodIndex = t0 / period }
        for s32 in v.order {
            let s = Int(s32)
            v.alloc[s] = 0
            v.why[s] = .ready
            if newPeriod { v.periodUsed[s] = 0 }
            if v.demand[s] > 0 { busyNow[Int(v.group[s])] = true }
        }
        for g in groups.indices where busyNow[g] && !busyBefore[g] {
            groups[g].vruntime = max(groups[g].vruntime, minGroupVruntime)  // no credit banked while asleep
        }
        var order = v.order
        v.order = []
        order.sort { a, b in
            let (ga, gb) = (Int(v.group[Int(a)]), Int(v.group[Int(b)]))
            if groups[ga].vruntime != groups[gb].vruntime { return groups[ga].vruntime < groups[gb].vruntime }
            if ga != gb { return ga < gb }
            return v.pass[Int(a)] != v.pass[Int(b)] ? v.pass[Int(a)] < v.pass[Int(b)] : a < b
        }
        v.order = order
        var capacity = Int64(pcpus) * dt
        for s32 in v.order {
            let s = Int(s32)
            let d = v.demand[s]
            guard d > 0 else { continue }
            let g = Int(v.group[s])
            var a = min(d, dt, capacity)
            if groups[g].quota >= 0 {
                let (allowed, usedAfter) = CFSPolicy.bandwidth(
                    want: a, used: v.periodUsed[s], quota: groups[g].quota, t0: t0, dt: dt, period: period)
                if allowed < a {
                    a = allowed
                    v.why[s] = .limit
                }
                v.periodUsed[s] = usedAfter
            }
            if groups[g].groupQuota >= 0 {
                let left = max(0, groupBudget[g] - groupRan[g])
                if a > left {
                    a = left
                    v.why[s] = .limit
                }
            }
            v.alloc[s] = a
            capacity -= a
            v.pass[s] += a
            groupRan[g] += a
        }
        var lowest = Int64.max
        for g in groups.indices where groups[g].live && groups[g].groupQuota >= 0 {
            groups[g].groupUsed = CFSPolicy.bandwidth(want: groupRan[g], used: groups[g].groupUsed, quota: groups[g].groupQuota,
                                                      t0: t0, dt: dt, period: period, threads: Int64(groups[g].count)).1
        }
        for g in groups.indices where groups[g].live && busyNow[g] {
            groups[g].vruntime += groupRan[g] * 1024 / max(groups[g].weight, 1)
            lowest = min(lowest, groups[g].vruntime)
        }
        if lowest != Int64.max { minGroupVruntime = max(minGroupVruntime, lowest) }
        swap(&busyBefore, &busyNow)
        // the step ran past a boundary: the slots now count in the last period it reached
        periodIndex = max(periodIndex, (t0 + dt - 1) / period)
    }

    /// What a thread that runs from `t0` may run in [t0, t0 + dt) under a quota per
    /// period, having used `used` of the current period, and what it has used of the
    /// period the step ends in: the quota refills at each boundary inside the step.
    static func bandwidth(want: Int64, used: Int64, quota: Int64, t0: Int64, dt: Int64, period: Int64,
                          threads: Int64 = 1) -> (Int64, Int64) {
        var left = want
        var ran: Int64 = 0
        var usedNow = used
        var start = t0
        let end = t0 + dt
        while start < end {
            let boundary = (start / period + 1) * period
            let segment = (min(end, boundary) - start) * threads
            let take = min(left, segment, max(0, quota - usedNow))
            ran += take
            left -= take
            usedNow += take
            if boundary < end { usedNow = 0 }
            start = min(end, boundary)
        }
        return (ran, usedNow)
    }
}
