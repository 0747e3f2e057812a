/// The physical CPUs of one host stepped in quanta, with a scheduling policy choosing
/// which vCPUs run in each.
///
/// Time advances on a fixed grid (multiples of the step since time 0). In each step the
/// policy decides how much of the step each runnable vCPU runs, within the capacity p·q
/// of p pCPUs, no vCPU getting more than q (any such allocation fits on p pCPUs by
/// McNaughton's wrap-around rule), and why the others waited. The engine computes the
/// demand, accounts run/ready/co-stop/limited time and batch progress, and records the
/// schedule when asked. Accounting is lazy: the steps up to a time are run in one loop
/// over flat arrays when something needs the state (a sample, a power operation), never
/// on a read, so observing the model cannot change it.
final class QuantumCPU: CPUEngine {
    unowned(unsafe) let host: Host
    let config: SchedulerConfig
    let policy: QuantumPolicy
    private(set) var accountedUntil: Int64 = 0
    /// The step loop takes the slots out into a local while it runs, so that the hot loop
    /// works on a uniquely held value without dynamic exclusivity checks.
    private var slots = VCPUSlots()
    /// Stands in for `slots` while the step loop holds them.
    private let placeholder = VCPUSlots()
    private var groups: [VMGroup] = []
    /// Freed runs of consecutive slots, reused by VMs with as many vCPUs.
    private var freeRuns: [(first: Int32, count: Int32)] = []
    private var freeGroups: [Int32] = []
    private var attachedCount = 0
    private(set) var totalRun: Int64 = 0
    let trace: ScheduleTrace?

    static let backlogCap: Int64 = 60_000_000  // a minute of work: beyond it a thread is saturated anyway

    init(host: Host, config: SchedulerConfig) {
        self.host = host
        self.config = config
        self.trace = config.trace ? ScheduleTrace() : nil
        switch config.kind {
        case .credit: policy = CreditPolicy(config: config, pcpus: host.cpus)
        case .cfs: policy = CFSPolicy(config: config)
        case .policy: policy = ExternalPolicy(config: config, host: host)
        default: policy = SharePolicy(config: config)
        }
    }

    var attachedVCPUs: Int { attachedCount }

    /// The scheduler state of a VM's vCPUs, for white-box tests of policies.
    func state(of vm: VM) -> [(credit: Int64, priority: UInt8, parked: Bool, onCPU: Bool)] {
        vm.cpuSlots.map { s in (slots.credit[Int(s)], slots.priority[Int(s)], slots.parked[Int(s)], slots.onCPU[Int(s)]) }
    }

    // MARK: attaching VMs

    func attach(_ vm: VM, at now: SimTime) {
        advance(to: now.micros)
        let first: Int32
        if let run = freeRuns.firstIndex(where: { Int($0.count) == vm.vcpus }) {
            first = freeRuns.remove(at: run).first
        } else {
            first = Int32(slots.count)
            for _ in 0..<vm.vcpus { slots.grow() }
        }
        let g: Int
        if let free = freeGroups.popLast() {
            g = Int(free)
            groups[g] = VMGroup(vm: vm, first: first, count: Int32(vm.vcpus))
        } else {
            g = groups.count
            groups.append(VMGroup(vm: vm, first: first, count: Int32(vm.vcpus)))
        }
        attachedCount += vm.vcpus
        var taken: [Int32] = []
        for i in 0..<vm.vcpus {
            let s = Int(first) + i
            slots.owner[s] = vm
            slots.group[s] = Int32(g)
            slots.vcpuIndex[s] = Int32(i)
            slots.clearWork(s)
            slots.hadDemand[s] = false
            slots.behind[s] = 0
            slots.demand[s] = 0
            slots.attachedAt[s] = now.micros
            slots.lastRan[s] = now.micros
            slots.counters[s] = CPUCounters()
            taken.append(Int32(s))
        }
        vm.cpuSlots = taken
        applySettings(of: vm, group: g)
        policy.attached(&slots, &groups, group: g, now: now.micros)
        refreshWorkloads(of: vm, at: now)
    }

    private func applySettings(of vm: VM, group g: Int) {
        let a = vm.cpuAllocation
        groups[g].reservationRate = a.reservationMHz / host.mhz
        groups[g].limitRate = vm.schedulingLimitMHz.map { $0 / host.mhz }
        groups[g].weight = a.weight ?? 256
        groups[g].cap = a.cap ?? 0
        groups[g].quota = a.quota?.micros ?? -1
        groups[g].groupQuota = a.globalQuota?.micros ?? -1
    }

    func reconfigure(_ vm: VM, at now: SimTime) {
        advance(to: now.micros)
        guard let first = vm.cpuSlots.first, case let g = Int(slots.group[Int(first)]), g >= 0 else { return }
        applySettings(of: vm, group: g)
        policy.reconfigured(&slots, &groups, group: g, now: now.micros)
    }

    func reapplySettings(at now: SimTime) {
        advance(to: now.micros)
        for g in groups.indices where groups[g].live {
            applySettings(of: groups[g].vm, group: g)
            policy.reconfigured(&slots, &groups, group: g, now: now.micros)
        }
    }

    func detach(_ vm: VM, at now: SimTime) -> [CPUCounters] {
        advance(to: now.micros)
        var result: [CPUCounters] = []
        for s32 in vm.cpuSlots {
            let s = Int(s32)
            result.append(counters(ofSlot: s32))
            let g = Int(slots.group[s])
            if g >= 0 && groups[g].live {
                groups[g].live = false
                freeGroups.append(Int32(g))
            }
            slots.owner[s] = nil
            slots.group[s] = -1
            slots.clearWork(s)
            slots.demand[s] = 0
            slots.onCPU[s] = false
            slots.order.removeAll { $0 == s32 }
        }
        if let first = vm.cpuSlots.first { freeRuns.append((first, Int32(vm.cpuSlots.count))) }
        attachedCount -= vm.cpuSlots.count
        vm.cpuSlots = []
        return result
    }

    func refreshWorkloads(of vm: VM, at now: SimTime) {
        advance(to: now.micros)
        for s in vm.cpuSlots { slots.clearWork(Int(s)) }
        for w in vm.workloads where w.isRunning {
            if let cpu = w as? CPUWorkload {
                for (vcpu, stream) in cpu.streams(vcpus: vm.vcpus, random: vm.random.split("cpu/\(cpu.index)")) {
                    let s = Int(vm.cpuSlots[vcpu])
                    if stream.saturating { slots.saturated[s] = true } else if stream.work > 0 { slots.addStream(s, stream) }
                }
            } else if let batch = w as? BatchWorkload {
                for t in 0..<batch.threads {
                    let s = Int(vm.cpuSlots[t % vm.vcpus])
                    slots.batch[s].append(BatchBinding(workload: batch, thread: t))
                    slots.hasBatch[s] = true
                    slots.saturated[s] = true
                }
            }
        }
        for s in vm.cpuSlots {
            slots.nextArrival[Int(s)] = slots.streams(Int(s)).map { $0.firstArrival(after: now.micros) }.min() ?? Int64.max
            let busy = slots.saturated[Int(s)] || slots.streamCount[Int(s)] > 0
            let listed = slots.order.contains(s)
            if busy && !listed { slots.order.append(s) }
            if !busy && listed {
                slots.order.removeAll { $0 == s }
                slots.demand[Int(s)] = 0
            }
        }
    }

    func counters(ofSlot s32: Int32) -> CPUCounters {
        let s = Int(s32)
        var c = slots.counters[s]
        c.online = accountedUntil - slots.attachedAt[s]
        return c
    }

    // MARK: stepping

    func advance(to t: Int64) {
        guard accountedUntil < t else { return }
        if slots.order.isEmpty {  // nothing runnable: nothing to account
            accountedUntil = t
            return
        }
        let q = config.quantum.micros
        var table = placeholder
        var vmGroups: [VMGroup] = []
        swap(&table, &slots)
        swap(&vmGroups, &groups)
        defer {
            swap(&table, &slots)
            swap(&vmGroups, &groups)
        }
        policyFailed = false
        while accountedUntil < t {
            let next = min(t, (accountedUntil / q + 1) * q)
            step(&table, &vmGroups, from: accountedUntil, to: next)
            accountedUntil = next
        }
    }

    /// After a policy fails, the rest of the steps of this pass run nothing rather than
    /// ask it again: the run stops at this event anyway.
    private var policyFailed = false

    private func step(_ v: inout VCPUSlots, _ g: inout [VMGroup], from t0: Int64, to t1: Int64) {
        let dt = t1 - t0
        offeredWork(&v, from: t0, to: t1)
        do {
            guard !policyFailed else { throw ModelError("") }
            try policy.allocate(&v, &g, t0: t0, dt: dt, pcpus: host.cpus)
        } catch {
            if !policyFailed {
                policyFailed = true
                host.datacenter.fail(error as? ModelError ?? ModelError("\(host.description): scheduler failed: \(error)"))
            }
            for s32 in v.order {
                v.alloc[Int(s32)] = 0
                v.why[Int(s32)] = .ready
            }
        }
        account(&v, from: t0, to: t1)
    }

    /// The work each vCPU is offered in (t0, t1] and the window it is runnable in.
    private func offeredWork(_ v: inout VCPUSlots, from t0: Int64, to t1: Int64) {
        let dt = t1 - t0
        for s32 in v.order {
            let s = Int(s32)
            if v.saturated[s] {
                v.demand[s] = dt
                v.window[s] = dt
                continue
            }
            let b = v.backlog[s]
            if b == 0 && v.nextArrival[s] > t1 {  // nothing to do until the next arrival
                v.demand[s] = 0
                v.window[s] = 0
                continue
            }
            var arrived: Int64 = 0
            var first = t1
            var next = Int64.max
            let st = v.stream[s]
            let (k, f) = st.arrivals(after: t0, upTo: t1)
            if k > 0 {
                arrived = k * st.work
                first = f
            }
            next = f + (k > 0 ? k * st.period : 0)
            if v.streamCount[s] > 1 {
                for st in v.extraStreams[s] {
                    let (k, f) = st.arrivals(after: t0, upTo: t1)
                    if k > 0 {
                        arrived += k * st.work
                        if f < first { first = f }
                    }
                    next = min(next, f + (k > 0 ? k * st.period : 0))
                }
            }
            v.nextArrival[s] = next
            let w = b > 0 ? dt : (arrived > 0 ? t1 - first : 0)
            v.window[s] = w
            v.demand[s] = min(b + arrived, w)
            v.backlog[s] = min(b + arrived, QuantumCPU.backlogCap)  // served work is taken off below
        }
    }

    private func account(_ v: inout VCPUSlots, from t0: Int64, to t1: Int64) {
        var ran: Int64 = 0
        var pcpu = 0
        var cursor = t0
        let mhz = host.mhz
        for s32 in v.order {
            let s = Int(s32)
            let d = v.demand[s]
            v.hadDemand[s] = d > 0
            guard d > 0 else { continue }
            let a = v.alloc[s]
            v.counters[s].run += a
            if a < d {
                let waited = v.window[s] - a
                switch v.why[s] {
                case .ready: v.counters[s].ready += waited
                case .costop: v.counters[s].costop += waited
                case .limit:
                    v.counters[s].ready += waited
                    v.counters[s].limited += waited
                }
            }
            guard a > 0 else { continue }
            ran += a
            v.lastRan[s] = t1
            if !v.saturated[s] { v.backlog[s] -= a }
            if v.hasBatch[s] {
                let share = Double(a) * mhz / Double(v.batch[s].count)  // cycles per thread
                for b in v.batch[s] { b.workload.run(b.thread, cycles: share) }
            }
            if let trace {
                var left = a
                while left > 0 && pcpu < host.cpus {
                    let piece = min(left, t1 - cursor)
                    trace.record(pcpu: pcpu, vm: v.owner[s]!.name, vcpu: Int(v.vcpuIndex[s]) + 1, start: cursor, end: cursor + piece)
                    left -= piece
                    cursor += piece
                    if cursor == t1 {
                        pcpu += 1
                        cursor = t0
                    }
                }
            }
        }
        totalRun += ran
    }
}

/// A scheduling policy of the quantum engine: each step it sets `alloc` (µs run) and
/// `why` (the reason for the rest of the window) of every slot in `order`, and may
/// reorder `order` (accounting follows that order).
protocol QuantumPolicy: AnyObject {
    func attached(_ v: inout VCPUSlots, _ groups: inout [VMGroup], group g: Int, now: Int64)
    /// The VM's settings changed while it runs (its group's rates are already updated).
    func reconfigured(_ v: inout VCPUSlots, _ groups: inout [VMGroup], group g: Int, now: Int64)
    func allocate(_ v: inout VCPUSlots, _ groups: inout [VMGroup], t0: Int64, dt: Int64, pcpus: Int) throws
}

extension QuantumPolicy {
    func reconfigured(_ v: inout VCPUSlots, _ groups: inout [VMGroup], group g: Int, now: Int64) {}
}
