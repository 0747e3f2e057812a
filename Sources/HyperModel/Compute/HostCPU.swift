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

    // vCPU slots (structure of arrays); a free slot has owner == nil.
    private(set) var owner: [VM?] = []
    private var stride: [Int64] = []
    private var pass: [Int64] = []
    private var backlog: [Int64] = []
    private var streams: [[ArrivalStream]] = []
    private var saturated: [Bool] = []
    private var hadDemand: [Bool] = []
    private var attachedAt: [Int64] = []
    private(set) var counters: [CPUCounters] = []
    private var freeSlots: [Int32] = []

    // per-step scratch, reused
    private var order: [Int32] = []  // slots with work, kept sorted by (pass, slot)
    private var demand: [Int64] = []
    private var window: [Int64] = []
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

    var attachedVCPUs: Int { owner.count - freeSlots.count }

    // MARK: attaching VMs

    func attach(_ vm: VM, at now: SimTime) {
        advance(to: now.micros)
        let perVCPU = max(vm.cpuShares / Int64(vm.vcpus), 1)
        var slots: [Int32] = []
        for _ in 0..<vm.vcpus {
            let s: Int
            if let free = freeSlots.popLast() {
                s = Int(free)
            } else {
                s = owner.count
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
            owner[s] = vm
            stride[s] = config.kind == .roundRobin ? HostCPU.strideScale / 1000 : max(HostCPU.strideScale / perVCPU, 1)
            pass[s] = vtime
            backlog[s] = 0
            streams[s] = []
            saturated[s] = false
            hadDemand[s] = false
            attachedAt[s] = now.micros
            counters[s] = CPUCounters()
            slots.append(Int32(s))
        }
        vm.cpuSlots = slots
        refreshStreams(of: vm, at: now)
    }

    /// Detaches a VM's vCPUs; returns their counters up to `now`.
    func detach(_ vm: VM, at now: SimTime) -> [CPUCounters] {
        advance(to: now.micros)
        var result: [CPUCounters] = []
        for s32 in vm.cpuSlots {
            let s = Int(s32)
            result.append(slotCounters(s))
            owner[s] = nil
            streams[s] = []
            freeSlots.append(s32)
            order.removeAll { $0 == s32 }
        }
        vm.cpuSlots = []
        return result
    }

    /// Recomputes the work streams of a VM's vCPUs after its workloads changed.
    func refreshStreams(of vm: VM, at now: SimTime) {
        advance(to: now.micros)
        for s in vm.cpuSlots {
            streams[Int(s)] = []
            saturated[Int(s)] = false
            backlog[Int(s)] = 0
        }
        for w in vm.workloads {
            guard let cpu = w as? CPUWorkload, cpu.isRunning else { continue }
            for (vcpu, stream) in cpu.streams(vcpus: vm.vcpus, random: vm.random.split("cpu/\(cpu.index)")) {
                let s = Int(vm.cpuSlots[vcpu])
                if stream.saturating { saturated[s] = true } else if stream.work > 0 { streams[s].append(stream) }
            }
        }
        for s in vm.cpuSlots {
            let busy = saturated[Int(s)] || !streams[Int(s)].isEmpty
            let listed = order.contains(s)
            if busy && !listed { order.append(s) }
            if !busy && listed { order.removeAll { $0 == s } }
        }
    }

    /// Counters of a slot up to `accountedUntil`.
    func slotCounters(_ s: Int) -> CPUCounters {
        var c = counters[s]
        c.online = accountedUntil - attachedAt[s]
        return c
    }

    // MARK: stepping

    /// Steps every quantum up to `t` (µs).
    func advance(to t: Int64) {
        let q = config.quantum.micros
        while accountedUntil < t {
            let next = min(t, (accountedUntil / q + 1) * q)
            step(from: accountedUntil, to: next)
            accountedUntil = next
        }
    }

    private func step(from t0: Int64, to t1: Int64) {
        let dt = t1 - t0
        if order.isEmpty { return }
        // demand of each vCPU with work
        for s32 in order {
            let s = Int(s32)
            if saturated[s] {
                demand[s] = dt
                window[s] = dt
                continue
            }
            var arrived: Int64 = 0
            var first = t1
            for st in streams[s] {
                let (k, f) = st.arrivals(after: t0, upTo: t1)
                if k > 0 {
                    arrived += k * st.work
                    if f < first { first = f }
                }
            }
            let b = backlog[s]
            let w = b > 0 ? dt : (arrived > 0 ? t1 - first : 0)
            window[s] = w
            demand[s] = min(b + arrived, w)
            backlog[s] = min(b + arrived, HostCPU.backlogCap)  // served work is taken off below
        }
        // woken vCPUs join the queue: at the fair point (esx) or at its tail (round robin)
        for s32 in order where demand[Int(s32)] > 0 && !hadDemand[Int(s32)] {
            let s = Int(s32)
            pass[s] = config.kind == .roundRobin ? max(pass[s], vtimeMax) : max(pass[s], vtime)
        }
        sortOrder()
        // serve in priority order
        var capacity = Int64(host.cpus) * dt
        var minPass = Int64.max
        var maxPass = Int64.min
        for s32 in order {
            let s = Int(s32)
            let d = demand[s]
            hadDemand[s] = d > 0
            if d == 0 { continue }
            let a = min(d, dt, capacity)
            capacity -= a
            counters[s].run += a
            if a < d { counters[s].ready += window[s] - a }
            if !saturated[s] { backlog[s] -= a }
            pass[s] += config.kind == .roundRobin ? (a > 0 ? stride[s] * dt : 0) : a * stride[s]
            totalRun += a
            if pass[s] < minPass { minPass = pass[s] }
            if pass[s] > maxPass { maxPass = pass[s] }
        }
        if minPass != Int64.max {
            vtime = max(vtime, minPass)
            vtimeMax = maxPass
        }
        if vtime > (1 << 60) { rebase() }
    }

    /// Keeps passes far from overflow; only differences between them matter.
    private func rebase() {
        let base = vtime
        for s in 0..<pass.count { pass[s] -= base }
        vtime = 0
        vtimeMax -= base
    }

    /// Insertion sort: only the vCPUs that ran moved, so the order is nearly sorted.
    private func sortOrder() {
        var i = 1
        while i < order.count {
            let x = order[i]
            let px = pass[Int(x)]
            var j = i - 1
            while j >= 0 {
                let y = order[j]
                let py = pass[Int(y)]
                if py < px || (py == px && y < x) { break }
                order[j + 1] = y
                j -= 1
            }
            order[j + 1] = x
            i += 1
        }
    }
}
