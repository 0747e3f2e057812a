/// Series of container metrics, sampled with the datacenter's interval (20 s by default)
/// right after the hosts and VMs: `lab.series(k, "cpu.usage")`. Each live container gets a
/// row per sample — the CPU it used over the interval (% of one CPU), the share of its
/// quota periods that were throttled, its resident memory and swap, the bytes/s it wrote to disk — O(live containers)
/// per sample and nothing between samples. Reads on a node change nothing (KernelCPU), so
/// sampling does not change what the containers do.
final class ContainerSampler: SimProcess {
    static let layout = SeriesLayout(channels)
    static let channels: [(name: String, unit: String)] = [
        ("cpu.usage", "%"), ("cpu.throttled", "%"), ("memory.usage", "bytes"), ("memory.swap", "bytes"),
        ("disk.rate", "bytes/s"),
    ]
    unowned(unsafe) let datacenter: Datacenter
    private var id: Int32 = -1
    private var scheduledFor: Int64 = -1

    init(datacenter: Datacenter) { self.datacenter = datacenter }

    func start() {
        if id < 0 { id = datacenter.sim.register(self) }
        schedule()
    }

    private func schedule() {
        let step = datacenter.sampleInterval.micros
        let next = (datacenter.now.micros / step + 1) * step
        guard next != scheduledFor else { return }
        scheduledFor = next
        // after the host sampler at the same instant
        datacenter.sim.schedule(id, at: SimTime(micros: next), priority: EventPriority.sample + 1)
    }

    func fire(token: Int64, sim: Simulation) {
        guard sim.now.micros == scheduledFor else { return }
        let now = sim.now
        for kernel in datacenter.containerRegistry.kernels {
            let free = kernel.swapFree()  // once per kernel, not per container
            for k in kernel.containers where !k.finalSampled {
                if !k.state.isLive { k.finalSampled = true }  // one last row after it ended
                sample(k, at: now, free: free)
            }
        }
        scheduledFor = -1
        schedule()
    }

    private func sample(_ k: Container, at t: SimTime, free: Double) {
        let stat = k.stat
        let mem = k.kernel.view(k, free: free)
        let since = k.sampledUntil ?? k.createdAt
        let dt = Double(max(1, t.micros - since.micros))
        let set = k.series
        set.begin(t)
        set.set(0, Double(stat.usageUsec - k.sampledStat.usageUsec) / dt * 100)
        let periods = stat.nrPeriods - k.sampledStat.nrPeriods
        set.set(1, periods > 0 ? Double(stat.nrThrottled - k.sampledStat.nrThrottled) / Double(periods) * 100 : 0)
        set.set(2, Double(mem.resident))
        set.set(3, Double(mem.swapped))
        set.set(4, (k.diskBytes - k.sampledDisk) / dt * 1e6)
        set.commit()
        k.sampledStat = stat
        k.sampledDisk = k.diskBytes
        k.sampledUntil = t
    }
}
