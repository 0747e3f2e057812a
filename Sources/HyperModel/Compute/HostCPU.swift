/// The physical CPUs of one host and the vCPUs of its powered-on VMs.
///
/// Time advances in quanta on a fixed grid (multiples of the quantum since time 0). In
/// each quantum the scheduler picks which runnable vCPUs get the pCPUs: with p pCPUs
/// and a quantum q the capacity is p·q, no vCPU gets more than q, and the vCPUs are
/// served in the scheduler's priority order (capacity a vCPU leaves unused in its slice
/// goes to the next one, which is always feasible on p pCPUs by McNaughton's rule).
/// Accounting is lazy: nothing happens until someone needs the state at a time
/// (sampling, a power operation), and then the quanta up to that time are stepped in a
/// tight loop over flat arrays, without allocation. Reads of sampled metrics never step,
/// so observing the model cannot change it.
final class HostCPU {
    unowned let host: Host
    let config: SchedulerConfig
    private(set) var accountedUntil: Int64 = 0

    /// The vCPU slots. The step loop takes them out into a local while it runs, so that
    /// the hot loop works on a uniquely held value without dynamic exclusivity checks.
    private var slots = VCPUSlots()
    private var freeSlots: [Int32] = []
    private var vtime: Int64 = 0
    private var vtimeMax: Int64 = 0

    /// Run time of all vCPUs since the start, for host %used.
    private(set) var totalRun: Int64 = 0

    static let strideScale: Int64 = 1 << 24
    static let backlogCap: Int64 = 60_000_000  // a minute of work: beyond it a thread is saturated anyway

    init(host: Host, config: SchedulerConfig) {
        self.host = host
        self.config = config
    }

    var attachedVCPUs: Int { slots.count - freeSlots.count }

    // MARK: attaching VMs

    func attach(_ vm: VM, at now: SimTime) {
        advance(to: now.micros)
        let perVCPU = max(vm.cpuShares / Int64(vm.vcpus), 1)
        var taken: [Int32] = []
        for _ in 0..<vm.vcpus {
            let s: Int
            if let free = freeSlots.popLast() {
                s = Int(free)
            } else {
                s = slots.count
                slots.grow()
            }
            slots.owner[s] = vm
            slots.stride[s] = config.kind == .roundRobin ? HostCPU.strideScale / 1000 : max(HostCPU.strideScale / perVCPU, 1)
            slots.pass[s] = vtime
            slots.backlog[s] = 0
            slots.streams[s] = []
            slots.saturated[s] = false
            slots.hadDemand[s] = false
            slots.attachedAt[s] = now.micros
            slots.counters[s] = CPUCounters()
            taken.append(Int32(s))
        }
        vm.cpuSlots = taken
        refreshStreams(of: vm, at: now)
    }

    /// Detaches a VM's vCPUs; returns their counters up to `now`.
    func detach(_ vm: VM, at now: SimTime) -> [CPUCounters] {
        advance(to: now.micros)
        var result: [CPUCounters] = []
        for s32 in vm.cpuSlots {
            let s = Int(s32)
            result.append(slotCounters(s))
            slots.owner[s] = nil
            slots.streams[s] = []
            freeSlots.append(s32)
            slots.order.removeAll { $0 == s32 }
        }
        vm.cpuSlots = []
        return result
    }

    /// Recomputes the work streams of a VM's vCPUs after its workloads changed.
    func refreshStreams(of vm: VM, at now: SimTime) {
        advance(to: now.micros)
        for s in vm.cpuSlots {
            slots.streams[Int(s)] = []
            slots.saturated[Int(s)] = false
            slots.backlog[Int(s)] = 0
        }
        for w in vm.workloads {
            guard let cpu = w as? CPUWorkload, cpu.isRunning else { continue }
            for (vcpu, stream) in cpu.streams(vcpus: vm.vcpus, random: vm.random.split("cpu/\(cpu.index)")) {
                let s = Int(vm.cpuSlots[vcpu])
                if stream.saturating { slots.saturated[s] = true } else if stream.work > 0 { slots.streams[s].append(stream) }
            }
        }
        for s in vm.cpuSlots {
            let busy = slots.saturated[Int(s)] || !slots.streams[Int(s)].isEmpty
            let listed = slots.order.contains(s)
            if busy && !listed { slots.order.append(s) }
            if !busy && listed { slots.order.removeAll { $0 == s } }
        }
    }

    /// Counters of a slot up to `accountedUntil`.
    func slotCounters(_ s: Int) -> CPUCounters {
        var c = slots.counters[s]
        c.online = accountedUntil - slots.attachedAt[s]
        return c
    }

    // MARK: stepping

    /// Steps every quantum up to `t` (µs).
    func advance(to t: Int64) {
        guard accountedUntil < t else { return }
        if slots.order.isEmpty {  // nothing runnable: nothing to account
            accountedUntil = t
            return
        }
        let q = config.quantum.micros
        let roundRobin = config.kind == .roundRobin
        let pcpus = Int64(host.cpus)
        var table = slots
        slots = VCPUSlots()
        defer { slots = table }
        while accountedUntil < t {
            let next = min(t, (accountedUntil / q + 1) * q)
            step(&table, from: accountedUntil, to: next, pcpus: pcpus, roundRobin: roundRobin)
            accountedUntil = next
        }
    }

    private func step(_ v: inout VCPUSlots, from t0: Int64, to t1: Int64, pcpus: Int64, roundRobin: Bool) {
        let dt = t1 - t0
        // demand of each vCPU with work
        for s32 in v.order {
            let s = Int(s32)
            if v.saturated[s] {
                v.demand[s] = dt
                v.window[s] = dt
                continue
            }
            var arrived: Int64 = 0
            var first = t1
            for st in v.streams[s] {
                let (k, f) = st.arrivals(after: t0, upTo: t1)
                if k > 0 {
                    arrived += k * st.work
                    if f < first { first = f }
                }
            }
            let b = v.backlog[s]
            let w = b > 0 ? dt : (arrived > 0 ? t1 - first : 0)
            v.window[s] = w
            v.demand[s] = min(b + arrived, w)
            v.backlog[s] = min(b + arrived, HostCPU.backlogCap)  // served work is taken off below
        }
        // woken vCPUs join the queue: at the fair point (esx) or at its tail (round robin)
        for s32 in v.order where v.demand[Int(s32)] > 0 && !v.hadDemand[Int(s32)] {
            let s = Int(s32)
            v.pass[s] = roundRobin ? max(v.pass[s], vtimeMax) : max(v.pass[s], vtime)
        }
        HostCPU.sortOrder(&v)
        // serve in priority order
        var capacity = pcpus * dt
        var minPass = Int64.max
        var maxPass = Int64.min
        var ran: Int64 = 0
        for s32 in v.order {
            let s = Int(s32)
            let d = v.demand[s]
            v.hadDemand[s] = d > 0
            if d == 0 { continue }
            let a = min(d, dt, capacity)
            capacity -= a
            v.counters[s].run += a
            if a < d { v.counters[s].ready += v.window[s] - a }
            if !v.saturated[s] { v.backlog[s] -= a }
            v.pass[s] += roundRobin ? (a > 0 ? v.stride[s] * dt : 0) : a * v.stride[s]
            ran += a
            if v.pass[s] < minPass { minPass = v.pass[s] }
            if v.pass[s] > maxPass { maxPass = v.pass[s] }
        }
        totalRun += ran
        if minPass != Int64.max {
            vtime = max(vtime, minPass)
            vtimeMax = maxPass
        }
        if vtime > (1 << 60) { rebase(&v) }
    }

    /// Keeps passes far from overflow; only differences between them matter.
    private func rebase(_ v: inout VCPUSlots) {
        let base = vtime
        for s in 0..<v.pass.count { v.pass[s] -= base }
        vtime = 0
        vtimeMax -= base
    }

    /// Insertion sort: only the vCPUs that ran moved, so the order is nearly sorted.
    private static func sortOrder(_ v: inout VCPUSlots) {
        var i = 1
        while i < v.order.count {
            let x = v.order[i]
            let px = v.pass[Int(x)]
            var j = i - 1
            while j >= 0 {
                let y = v.order[j]
                let py = v.pass[Int(y)]
                if py < px || (py == px && y < x) { break }
                v.order[j + 1] = y
                j -= 1
            }
            v.order[j + 1] = x
            i += 1
        }
    }
}

/// Per-vCPU scheduler state as parallel arrays (a free slot has owner == nil), plus the
/// slots with work in priority order and per-step scratch.
struct VCPUSlots {
    var owner: [VM?] = []
    var stride: [Int64] = []
    var pass: [Int64] = []
    var backlog: [Int64] = []
    var streams: [[ArrivalStream]] = []
    var saturated: [Bool] = []
    var hadDemand: [Bool] = []
    var attachedAt: [Int64] = []
    var counters: [CPUCounters] = []
    var demand: [Int64] = []
    var window: [Int64] = []
    /// Slots with work, kept sorted by (pass, slot).
    var order: [Int32] = []

    var count: Int { owner.count }

    mutating func grow() {
        owner.append(nil)
        stride.append(0)
        pass.append(0)
        backlog.append(0)
        streams.append([])
        saturated.append(false)
        hadDemand.append(false)
        attachedAt.append(0)
        counters.append(CPUCounters())
        demand.append(0)
        window.append(0)
    }
}
