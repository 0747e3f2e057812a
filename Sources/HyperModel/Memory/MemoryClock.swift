import Dispatch

/// Ticks every host's memory management on shared whole seconds, with one event for all
/// the hosts due, and — with `Datacenter.parallelism` — on several threads.
///
/// Hosts are independent within a tick except where they share a datastore (its swap
/// I/O budget) or run a balloon policy written in Lua (which must run on the lab's
/// thread): those tick one after the other first, the rest in parallel. Every host
/// buffers its event-log records during a tick and the clock appends them in host order
/// afterwards, so the log and every result are the same with any number of threads.
final class MemoryClock: SimProcess {
    unowned(unsafe) let datacenter: Datacenter
    private var id: Int32 = -1
    private var generation: Int64 = 0
    /// When the pending event fires (Int64.max: none).
    private var scheduledAt = Int64.max
    /// True while hosts tick: wake-ups only note the host's next time then.
    private(set) var ticking = false
    private var due: [HostMemory] = []
    private var serial: [HostMemory] = []
    private var parallel: [HostMemory] = []

    init(datacenter: Datacenter) { self.datacenter = datacenter }

    /// Asks for `memory` to tick at `t` (or earlier, if it already was).
    func wake(_ memory: HostMemory, at t: SimTime) {
        memory.due = min(memory.due, t)
        guard !ticking, t.micros < scheduledAt else { return }
        if id < 0 { id = datacenter.sim.register(self) }
        scheduledAt = t.micros
        generation += 1
        datacenter.sim.schedule(id, at: t, token: generation)
    }

    func fire(token: Int64, sim: Simulation) {
        guard token == generation else { return }
        let t = sim.now
        scheduledAt = .max
        due.removeAll(keepingCapacity: true)
        // every host is looked at each second: without a retain and release of each
        datacenter.hosts.forEachUnretained { host in
            let m: HostMemory = host.memory
            if m.due <= t { due.append(m) }
        }
        serial.removeAll(keepingCapacity: true)
        parallel.removeAll(keepingCapacity: true)
        for m in due {
            if m.mustTickSerially { serial.append(m) } else { parallel.append(m) }
        }
        ticking = true
        for (i, m) in serial.enumerated() {
            MemoryClock.prefetch(serial, before: i, stride: 1)
            m.runTick(at: t)
        }
        let workers = min(datacenter.parallelism, parallel.count / 4)
        if workers > 1 {
            let box = UncheckedSendable(parallel)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < box.value.count {
                    MemoryClock.prefetch(box.value, before: i, stride: workers)
                    box.value[i].runTick(at: t)
                    i += workers
                }
            }
        } else {
            for (i, m) in parallel.enumerated() {
                MemoryClock.prefetch(parallel, before: i, stride: 1)
                m.runTick(at: t)
            }
        }
        ticking = false
        // the log in host order, whatever ran where
        for m in due { m.flushLog() }
        var next = Int64.max, first: HostMemory?  // the first host due soonest
        datacenter.hosts.forEachUnretained { host in
            let m: HostMemory = host.memory
            if m.due.micros < next {
                next = m.due.micros
                first = m
            }
        }
        if let first { wake(first, at: SimTime(micros: next)) }
    }

    /// The hints' pipeline before host `i` ticks, on this thread's hosts (every
    /// `stride`-th): each stage reads only what the stage before brought in, one host
    /// earlier — the memory object six hosts ahead, its list of VMs five ahead, the VMs
    /// four ahead, their guests three ahead, their page counts and lists of allocating
    /// workloads two ahead, and those workloads one ahead — so no stage waits for a miss.
    @inline(__always)
    static func prefetch(_ list: [HostMemory], before i: Int, stride s: Int) {
        let n = list.count
        if i < s {  // a thread's first hosts: nothing was asked for before them
            var j = i
            while j < min(n, i + 6 * s) {
                let m = list[j]
                m.prefetchResident()
                m.prefetchGuests()
                m.prefetchInner()
                m.prefetchWorkloads()
                j += s
            }
        }
        if i + 6 * s < n { Prefetch.object(list[i + 6 * s], lines: 2) }
        if i + 5 * s < n { list[i + 5 * s].prefetchResidentList() }
        if i + 4 * s < n { list[i + 4 * s].prefetchResident() }
        if i + 3 * s < n { list[i + 3 * s].prefetchGuests() }
        if i + 2 * s < n { list[i + 2 * s].prefetchInner() }
        if i + s < n { list[i + s].prefetchWorkloads() }
    }
}
