/// Fluid CPU sharing for large simulations (the `fair` scheduler), as SimGrid's VM
/// model: on the host each VM is one flow of weight min(active threads, vCPUs), bounded
/// by that many pCPUs (and by its limit) — or, with `work_conserving`, by what its threads
/// want — and each thread of the host's own processes a flow of weight 1; inside the VM
/// its threads share what it got, each up to its demand. Both levels are max-min fair
/// (water-filling).
///
/// Nothing is stepped and nothing is scheduled: rates are constant between changes
/// (power, workloads), and a batch thread finishing a chunk starts the next one at the
/// same rate, which needs no new sharing. Each host keeps a heap of its threads'
/// completion times, worked through when the host is settled; accounting of run and
/// ready time is settled lazily from the rates.
final class FluidCPU: CPUEngine {
    unowned(unsafe) let host: Host
    private let mhz: Double

    /// A thread of a powered-on VM.
    private struct Thread {
        var vm: Int32  // index into vms
        var demand: Double  // cores the thread wants (≤ 1)
        var rate = 0.0  // cores it gets
        /// Its record in its batch workload; while the engine runs the thread it works on
        /// `state`, a copy kept here for locality, written back by `syncBatchThreads`.
        var batch: UnsafeMutablePointer<BatchThread>?
        var state = BatchThread()
        var work = 0.0, spread = 0.0
        var since: Int64 = 0  // when its chunk's remaining work was last updated
    }
    // the engine's state is touched by one thread at a time (its host's) and only
    // between events: no dynamic exclusivity checks in settle and the sampler's reads
    @exclusivity(unchecked) private var threads = FixedBuffer<Thread>([])
    @exclusivity(unchecked) private var heap = CompletionHeap(capacity: 0)

    private struct FluidVM {
        unowned(unsafe) var vm: VM
        /// Where its vCPU slots are in `vmSlots` (the VMs' lists end to end, so settling
        /// a host follows no pointer per VM).
        var slotStart: Int32
        var slotCount: Int32
        var rate = 0.0  // cores the VM gets
        var demand = 0.0  // cores its threads want
        var limited = false  // held back by its limit
    }
    @exclusivity(unchecked) private var vms: [FluidVM] = []
    @exclusivity(unchecked) private var vmSlots: [Int32] = []

    // per vCPU slot accounting, settled lazily
    @exclusivity(unchecked) private var slotVM: [Int32] = []
    @exclusivity(unchecked) private var counters: [CPUCounters] = []
    /// The fraction of a microsecond of run and ready time a VM carries to the next
    /// settlement (kept at its first slot), and where its next odd microseconds go:
    /// rounding each vCPU at every settlement added up (three vCPUs sharing 0.5 of a
    /// core gained 1 µs per second between them, and a limit of 500 MHz read 500.001).
    @exclusivity(unchecked) private var runCarry: [Double] = []
    @exclusivity(unchecked) private var readyCarry: [Double] = []
    @exclusivity(unchecked) private var spreadFrom: [Int] = []
    @exclusivity(unchecked) private var attachedAt: [Int64] = []
    @exclusivity(unchecked) private var freeSlots: [Int32] = []
    @exclusivity(unchecked) private var settledAt: Int64 = 0
    @exclusivity(unchecked) private(set) var totalRun: Int64 = 0
    @exclusivity(unchecked) private var runRemainder = 0.0
    let trace: ScheduleTrace? = nil

    init(host: Host) {
        self.host = host
        self.mhz = host.mhz
    }

    var attachedVCPUs: Int { slotVM.count - freeSlots.count }

    func attach(_ vm: VM, at now: SimTime) {
        settle(to: now.micros)
        var taken: [Int32] = []
        for _ in 0..<vm.vcpus {
            let s: Int
            if let free = freeSlots.popLast() {
                s = Int(free)
            } else {
                s = slotVM.count
                slotVM.append(-1)
                counters.append(CPUCounters())
                runCarry.append(0)
                readyCarry.append(0)
                spreadFrom.append(0)
                attachedAt.append(0)
            }
            counters[s] = CPUCounters()
            runCarry[s] = 0
            readyCarry[s] = 0
            spreadFrom[s] = 0
            attachedAt[s] = now.micros
            taken.append(Int32(s))
        }
        vm.cpuSlots = taken
        vms.append(FluidVM(vm: vm, slotStart: Int32(vmSlots.count), slotCount: Int32(taken.count)))
        vmSlots += taken
        reshare(at: now.micros)
    }

    func detach(_ vm: VM, at now: SimTime) -> [CPUCounters] {
        settle(to: now.micros)
        let result = vm.cpuSlots.map { counters(ofSlot: $0) }
        freeSlots += vm.cpuSlots
        vms.removeAll { $0.vm === vm }
        vmSlots.removeAll(keepingCapacity: true)
        for i in vms.indices {
            vms[i].slotStart = Int32(vmSlots.count)
            vmSlots += vms[i].vm.cpuSlots
        }
        vm.cpuSlots = []
        reshare(at: now.micros)
        return result
    }

    func refreshWorkloads(of vm: VM, at now: SimTime) {
        settle(to: now.micros)
        reshare(at: now.micros)
    }

    func counters(ofSlot s: Int32) -> CPUCounters {
        var c = counters[Int(s)]
        c.online = settledAt - attachedAt[Int(s)]
        return c
    }

    func advance(to t: Int64) { settle(to: t) }

    /// What settling reads first: the threads and their heap, the VMs and the slots'
    /// accounting (Kernel/Prefetch.swift).
    func prefetchState() {
        threads.prefetch()
        heap.prefetch()
        Prefetch.array(vms)
        Prefetch.array(vmSlots)
        Prefetch.array(counters)
        Prefetch.array(runCarry)
        Prefetch.array(readyCarry)
        Prefetch.array(spreadFrom)
        Prefetch.array(attachedAt)
    }

    func reconfigure(_ vm: VM, at now: SimTime) {
        settle(to: now.micros)
        reshare(at: now.micros)
    }

    func reapplySettings(at now: SimTime) {
        settle(to: now.micros)
        reshare(at: now.micros)
    }

    // MARK: accounting

    /// Adds run and ready time at the current rates from the last settlement to `t`.
    private func settle(to t: Int64) {
        guard t > settledAt else { return }
        completeChunks(through: t)
        let dt = Double(t - settledAt)
        var ran = runRemainder
        // the columns written in place: no uniqueness check or retain per VM and vCPU
        vms.withUnsafeBufferPointer { vms in
        vmSlots.withUnsafeBufferPointer { vmSlots in
        counters.withUnsafeMutableBufferPointer { counters in
        runCarry.withUnsafeMutableBufferPointer { runCarry in
        readyCarry.withUnsafeMutableBufferPointer { readyCarry in
        spreadFrom.withUnsafeMutableBufferPointer { spreadFrom in
            for v in vms.indices {
                let rate = vms[v].rate, demand = vms[v].demand, limited = vms[v].limited
                do {
                    let slots = UnsafeBufferPointer(rebasing: vmSlots[Int(vms[v].slotStart)..<Int(vms[v].slotStart + vms[v].slotCount)])
                    let first = Int(slots[0])
                    let r = runCarry[first] + rate * dt
                    let run = r.rounded(.down)
                    runCarry[first] = r - run
                    let q = readyCarry[first] + max(0, demand - rate) * dt
                    let waited = q.rounded(.down)
                    readyCarry[first] = q - waited
                    // whole microseconds, the same to each vCPU, the odd ones in turn
                    let n = slots.count
                    let runEach = Int64(run) / Int64(n), runOdd = Int(Int64(run) % Int64(n))
                    let waitEach = Int64(waited) / Int64(n), waitOdd = Int(Int64(waited) % Int64(n))
                    let from = spreadFrom[first]
                    for k in 0..<n {
                        let s = Int(slots[(from + k) % n])
                        counters[s].run += runEach + (k < runOdd ? 1 : 0)
                        let w = waitEach + (k < waitOdd ? 1 : 0)
                        counters[s].ready += w
                        if limited { counters[s].limited += w }
                    }
                    spreadFrom[first] = (from + max(runOdd, waitOdd)) % n
                }
                ran += rate * dt
            }
        }
        }
        }
        }
        }
        }
        totalRun += Int64(ran)
        runRemainder = ran - Double(Int64(ran))
        settledAt = t
    }

    // MARK: sharing

    /// Recomputes every rate after a change at `now`: batch threads first update their
    /// remaining work at the old rates.
    private func reshare(at now: Int64) {
        for t in 0..<threads.count {
            let th = threads.pointer(t)
            th.pointee.state.consume(th.pointee.rate * mhz * Double(now - th.pointee.since))
        }
        syncBatchThreads()
        var list: [Thread] = []
        for (i, f) in vms.enumerated() where f.vm.state == .on {
            for w in f.vm.workloads where w.isRunning {
                if let c = w as? CPUWorkload, c.load > 0 {
                    for _ in 0..<c.threads { list.append(Thread(vm: Int32(i), demand: min(c.load, 1), batch: nil, since: now)) }
                } else if let b = w as? BatchWorkload {
                    for k in 0..<b.threads {
                        let record = b.thread(k)
                        list.append(Thread(vm: Int32(i), demand: 1, batch: record, state: record.pointee, work: b.work, spread: b.spread, since: now))
                    }
                }
            }
        }
        threads = FixedBuffer(list)
        shareHost()
        for i in vms.indices where !vms[i].vm.isHostProcesses { shareVM(i) }
        heap = CompletionHeap(capacity: threads.count)
        for t in 0..<threads.count { scheduleCompletion(t, now: now) }
    }

    /// Host level: weighted max-min among flows. A VM is one flow of weight impact =
    /// min(active threads, vCPUs), bounded as SimGrid 3.32 bounds it
    /// (`VirtualMachineImpl::update_action_weight`: min(impact × core speed, user bound))
    /// or, with `work_conserving`, by its threads' demand; and by its limit. Each thread
    /// of the host's own processes is a flow of weight 1 bounded by its demand, as a
    /// task on SimGrid's physical machine.
    private func shareHost() {
        var weights: [Double] = [], bounds: [Double] = []
        var flowOf = [Int](repeating: -1, count: vms.count)
        var active = [Int](repeating: 0, count: vms.count)
        let conserving = host.scheduler.workConserving
        for i in vms.indices {
            vms[i].demand = 0
            vms[i].limited = false
            vms[i].rate = 0
        }
        for t in 0..<threads.count {
            let i = Int(threads[t].vm)
            active[i] += 1
            vms[i].demand += threads[t].demand
        }
        for i in vms.indices {
            if vms[i].vm.isHostProcesses { continue }
            let impact = Double(min(active[i], vms[i].vm.vcpus))
            vms[i].demand = min(vms[i].demand, impact)
            var bound = conserving ? vms[i].demand : impact
            if let limit = vms[i].vm.schedulingLimitMHz, limit / host.mhz < bound {
                bound = limit / host.mhz
                vms[i].limited = true
            }
            flowOf[i] = weights.count
            // in a pool tree the VM weighs what it is entitled to (in cores), not its threads
            weights.append(vms[i].vm.poolShares.map { Double($0) / VM.poolSharesPerMHz / host.mhz } ?? impact)
            bounds.append(bound)
        }
        let firstThreadFlow = weights.count
        var hostThreads: [Int] = []
        for t in 0..<threads.count where flowOf[Int(threads[t].vm)] < 0 {
            hostThreads.append(t)
            weights.append(1)
            bounds.append(threads[t].demand)
        }
        let rates = FluidCPU.waterFill(capacity: Double(host.cpus), weights: weights, bounds: bounds)
        for i in vms.indices where flowOf[i] >= 0 { vms[i].rate = rates[flowOf[i]] }
        for (k, t) in hostThreads.enumerated() {
            threads[t].rate = rates[firstThreadFlow + k]
            vms[Int(threads[t].vm)].rate += threads[t].rate
        }
    }

    /// VM level: its threads share the VM's rate equally, each up to its demand. What
    /// they cannot use is lost (SimGrid): the VM's rate becomes what they use.
    private func shareVM(_ i: Int) {
        let members = (0..<threads.count).filter { Int(threads[$0].vm) == i }
        guard !members.isEmpty else { return }
        let rates = FluidCPU.waterFill(
            capacity: vms[i].rate, weights: members.map { _ in 1 }, bounds: members.map { threads[$0].demand })
        var used = 0.0
        for (k, t) in members.enumerated() {
            threads[t].rate = rates[k]
            used += rates[k]
        }
        vms[i].rate = used
    }

    /// Weighted max-min fairness: flow i gets min(weight_i · λ, bound_i) with λ as large
    /// as the capacity allows.
    static func waterFill(capacity: Double, weights: [Double], bounds: [Double]) -> [Double] {
        var rates = [Double](repeating: 0, count: weights.count)
        var open = weights.indices.filter { weights[$0] > 0 && bounds[$0] > 0 }
        var left = capacity
        while !open.isEmpty && left > 1e-12 {
            let totalWeight = open.reduce(0) { $0 + weights[$1] }
            let lambda = left / totalWeight
            let saturated = open.filter { bounds[$0] - rates[$0] <= weights[$0] * lambda }
            if saturated.isEmpty {
                for i in open { rates[i] += weights[i] * lambda }
                break
            }
            for i in saturated {
                left -= bounds[i] - rates[i]
                rates[i] = bounds[i]
            }
            open.removeAll { i in saturated.contains(i) }
        }
        return rates
    }

    /// Writes the engine's copies of batch threads back to their workloads (chunks done,
    /// the current chunk and the random stream), for readers of `completed`.
    func syncBatchThreads() {
        for t in 0..<threads.count {
            let th = threads.pointer(t)
            th.pointee.batch?.pointee = th.pointee.state
        }
    }

    // MARK: events

    private func scheduleCompletion(_ t: Int, now: Int64) {
        let th = threads.pointer(t)
        guard th.pointee.batch != nil, th.pointee.rate > 0 else { return }
        // a slow host (fair takes clocks down to 1 Hz) can put a completion past any
        // horizon: keep it within the clock's range (about 3,000 years ahead)
        let wait = min((th.pointee.state.remaining / (th.pointee.rate * mhz)).rounded(.up), 1e17)
        heap.push(time: now + max(1, Int64(wait)), thread: Int32(t))
    }

    /// Finishes every chunk that ends at or before `t`, each at its own time and in the
    /// heap's order (time, then thread). A chunk's end changes nothing outside its thread
    /// (the next chunk runs at the same rate), so no event is scheduled for it: the
    /// completions are done when the host is next settled — at a sample, a change or a
    /// read of `completed` — in one pass over the host's own threads, whose records stay
    /// in cache, and hosts settled on several threads do them in parallel.
    private func completeChunks(through t: Int64) {
        while let top = heap.first, top.time <= t {
            heap.pop()
            let now = top.time
            let th = threads.pointer(Int(top.thread))
            // the chunk ended inside the microsecond it is done at: what the thread did in
            // the rest of it belongs to the next chunks (SimGrid keeps exact times), so no
            // chunk size loses work to the clock's resolution
            var over = th.pointee.rate * mhz * Double(now - th.pointee.since) - th.pointee.state.remaining
            th.pointee.state.finish(th.pointee.work, th.pointee.spread)
            while over > 0 && over >= th.pointee.state.remaining {
                over -= th.pointee.state.remaining
                th.pointee.state.finish(th.pointee.work, th.pointee.spread)
            }
            if over > 0 { th.pointee.state.consume(over) }
            th.pointee.since = now
            scheduleCompletion(Int(top.thread), now: now)
        }
    }
}
