/// The values of a VM's last sample interval, as esxtop and vCenter name them. CPU
/// percentages are averaged over the VM's vCPUs (per vCPU in `vcpu`).
public struct CPUSample: Equatable, Sendable {
    public var run = 0.0, ready = 0.0, costop = 0.0, wait = 0.0, limited = 0.0
    /// MHz used on average over the interval.
    public var usedMHz = 0.0
    /// vCenter's "CPU ready" summation: ms of ready time in the interval, summed over vCPUs.
    public var readyMs = 0.0
    public init() {}

    init(_ d: CPUCounters, interval: Int64, vcpus: Int, mhz: Double) {
        guard d.online > 0 else { return }
        let on = Double(d.online)
        run = Double(d.run) / on * 100
        ready = Double(d.ready) / on * 100
        costop = Double(d.costop) / on * 100
        limited = Double(d.limited) / on * 100
        wait = Double(d.wait) / on * 100
        usedMHz = Double(d.run) / Double(interval) * mhz
        readyMs = Double(d.ready) / 1000
    }
}

/// Memory traffic of a VM's last sample interval, in bytes per second, as esxtop's
/// SWR/s, SWW/s, ZIP/s and UNZIP/s (and the guest's own paging).
public struct MemoryRates: Equatable, Sendable {
    public var swapIn = 0.0, swapOut = 0.0, compress = 0.0, decompress = 0.0
    public var guestPageOut = 0.0, guestPageIn = 0.0
    public init() {}

    init(_ now: PageTraffic, _ before: PageTraffic, seconds: Double) {
        let k = Double(Units.pageSize) / seconds
        swapIn = Double(now.swapIns - before.swapIns) * k
        swapOut = Double(now.swapOuts - before.swapOuts) * k
        compress = Double(now.compressions - before.compressions) * k
        decompress = Double(now.decompressions - before.decompressions) * k
        guestPageOut = Double(now.guestPageOuts - before.guestPageOuts) * k
        guestPageIn = Double(now.guestPageIns - before.guestPageIns) * k
    }
}

/// A VM's sampled metrics: the last interval's values and every sample as series.
public final class VMMetrics {
    // written by the sampler once per sample (each VM's by one thread), read between
    // events: no exclusivity checks
    /// MHz its vCPUs wanted in the last interval: run + ready + co-stop, what it would
    /// have used unconstrained (resource pools' entitlements are computed from it);
    /// first, as the entitlement pass and DPM read nothing else here.
    @exclusivity(unchecked) public internal(set) var cpuDemandMHz = 0.0
    @exclusivity(unchecked) public internal(set) var cpu = CPUSample()
    @exclusivity(unchecked) public internal(set) var memory = MemoryRates()
    @exclusivity(unchecked) var lastTraffic = PageTraffic()
    @exclusivity(unchecked) public internal(set) var vcpu: [CPUSample]
    /// The VM's channels, then per vCPU `cpu.<state>.vcpu<n>` (n from 1).
    public let series: SeriesSet
    @exclusivity(unchecked) var lastCounters: [CPUCounters] = []

    /// Per-vCPU series are recorded from statistics level 3 (of the real-time interval),
    /// as vCenter collects per-instance counters from level 3.
    init(vcpus: Int, statistics: StatisticsSettings) {
        vcpu = Array(repeating: CPUSample(), count: vcpus)
        guard statistics.level(.realtime) >= 3 else {
            series = SeriesSet(layout: VMMetrics.layout, settings: statistics)
            return
        }
        var channels = VMMetrics.channels
        for n in 1...max(vcpus, 1) {
            for (state, unit) in VMMetrics.perVCPU { channels.append(("cpu.\(state).vcpu\(n)", unit)) }
        }
        series = SeriesSet(channels, settings: statistics)
    }

    /// The channels without per-vCPU ones, shared by every VM below level 3.
    static let layout = SeriesLayout(VMMetrics.channels)

    var recordsVCPUs: Bool { series.channels.count > VMMetrics.channels.count }

    /// The VM stopped running (powered off, suspended, paused, down with its host): it
    /// uses no CPU from this moment, whatever its last sample interval averaged. Its
    /// series keep that interval's average when the next sample records it.
    func stoppedRunning() {
        cpu = CPUSample()
        cpuDemandMHz = 0
        for i in vcpu.indices { vcpu[i] = CPUSample() }
    }

    public static let channels: [(name: String, unit: String)] = [
        ("cpu.run", "%"), ("cpu.ready", "%"), ("cpu.costop", "%"), ("cpu.wait", "%"), ("cpu.limited", "%"),
        ("cpu.used_mhz", "MHz"), ("cpu.ready_ms", "ms"),
        ("memory.consumed", "bytes"), ("memory.active", "bytes"), ("memory.granted", "bytes"), ("memory.overhead", "bytes"),
        ("memory.shared", "bytes"), ("memory.ballooned", "bytes"), ("memory.compressed", "bytes"), ("memory.swapped", "bytes"),
        ("memory.balloon_target", "bytes"), ("memory.swap_target", "bytes"), ("memory.target", "bytes"),
        ("memory.swap_in_rate", "bytes/s"), ("memory.swap_out_rate", "bytes/s"),
        ("memory.compress_rate", "bytes/s"), ("memory.decompress_rate", "bytes/s"),
        // vCenter's basic counters, which its default alarms watch (datacenter-facts §3.2)
        ("cpu.usage", "%"), ("memory.usage", "%"), ("disk.max_latency", "ms"),
    ]
    public static let perVCPU: [(String, String)] = [("run", "%"), ("ready", "%"), ("costop", "%"), ("wait", "%"), ("limited", "%"), ("used_mhz", "MHz")]
}

/// A host's sampled metrics.
public final class HostMetrics {
    /// % of the host's CPU capacity used in the last interval.
    public internal(set) var cpuUsed = 0.0
    public let series: SeriesSet
    var lastRun: Int64 = 0
    /// When the host was built (µs): its first interval starts there, not at the last sample.
    var createdAt: Int64 = 0

    init(statistics: StatisticsSettings) { series = SeriesSet(layout: HostMetrics.layout, settings: statistics) }
    static let layout = SeriesLayout(HostMetrics.channels)

    public static let channels: [(name: String, unit: String)] = [
        ("cpu.used", "%"), ("cpu.overcommit", "ratio"),
        ("memory.free", "bytes"), ("memory.consumed", "bytes"), ("memory.overcommit", "ratio"),
        ("memory.state", "state"), ("memory.shared_saved", "bytes"), ("memory.ballooned", "bytes"),
        ("memory.compressed", "bytes"), ("memory.swapped", "bytes"),
        ("memory.usage", "%"),
    ]
}
