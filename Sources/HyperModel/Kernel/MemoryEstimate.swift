/// The memory the process holds at the end of a run, from object counts alone: the model
/// state of every host, VM, container, datastore and disk, plus every series set's
/// samples (those held now and those the run adds), so a scenario that cannot fit is
/// refused before it starts instead of being killed by the kernel.
///
/// How much a sample costs depends on the run: a row equal to the one before is stored
/// once (Series.swift), and sample times at a fixed interval and repeated row indices are
/// held as runs (StepRuns.swift), so a steady VM's samples cost nothing past its one row
/// and two runs, and a busy one's 8 bytes per channel and at most a run (12 bytes) each.
/// Both ends are computed: `atLeast` with every row compacted, `total` with none. A run
/// is refused only when even `atLeast` does not fit — a run that may fit is never refused
/// (the fair benchmark stores about one row in ten). Nothing here reads a series' values: O(objects) counts, once per run call.
public struct MemoryEstimate: Equatable, Sendable {
    /// The process before any object: runtime, Lua, the binary.
    public var base: Int64
    /// Hosts, VMs, containers, datastores, disks and the event log, as they exist now.
    public var model: Int64
    /// Real-time samples and rollups held at the end of the run, if no row repeats the
    /// one before (the most, with every schedule trace full), and if every row does (the
    /// least).
    public var series: Int64
    public var leastSeries: Int64 = 0
    public var total: Int64 { base + model + series }
    /// What the run needs whatever its samples hold: refused above the limit.
    public var atLeast: Int64 { base + model + leastSeries }

    /// Samples the run takes (of `interval` each).
    public var samples: Int
    public var interval: SimTime
    /// The largest share of the series, which the message names.
    public var largest: Share?

    /// The series of one kind of object (VMs, hosts, containers).
    public struct Share: Equatable, Sendable {
        /// "VMs", "hosts", "containers".
        public var kind: String
        public var objects: Int
        /// Channels per object (the mean, rounded: VMs at level 3 have per-vCPU channels).
        public var channels: Int
        /// Samples each holds at the end of the run (the most any holds).
        public var samples: Int
        public var bytes: Int64
    }
}

/// The constants of the estimate, measured on Linux x86-64 (Swift 6.3, release build,
/// peak RSS by /usr/bin/time -f %M of `hyperlab run` — the fair scenario with its
/// terminal report, the touch scenario with `--format json` — 1 h of 20 s samples;
/// docs/datacenter.md, "Memory: a run that cannot fit", has the table and the ratios):
///
///   - the fair scenario (HOSTS × 10 VMs × 2 vCPUs on 8 pCPUs, batch workloads), level 0:
///     27.6 MiB with 1 host, 37.2 / 56.4 / 123.8 / 318.8 MiB with 100 / 300 / 1,000 /
///     3,000 hosts: 96–99 KiB per host and its 10 VMs, without series;
///   - every sample different (HOSTS × 20 VMs whose guests touch 1 MiB per interval):
///     level 1 − level 0 is 49.1 MiB at 1,000 VMs and 147.1 MiB at 3,000, level 3 − level
///     0 is 213.3 MiB at 3,000: 1.28 × the bytes of `sample(channels:)`; its level 0 is
///     35.4 / 63.0 / 79.4 MiB at 200 / 1,000 / 3,000 VMs, mostly the event log (a
///     `guest.memory` event per touch, 36,000 to the 200,000 kept);
///   - the fair scenario stores about one row in ten (its VMs are steady): level 1 adds
///     only 37.6 MiB at 1,000 hosts and 113.6 MiB at 3,000, a tenth of the worst case.
enum MemoryCosts {
    // Model state is counted at what it was measured to cost at the least, so that the
    // estimate's lower end (`atLeast`, what a run is refused on) never exceeds what the
    // run will hold.
    /// The process with one host of 10 VMs (27.6 MiB at level 0), rounded down.
    static let base: Int64 = 24 << 20
    /// A host and its pCPUs, a VM and its vCPUs: 16 + 8 × 0.5 + 10 × (3 + 2 × 0.5) = 60 KiB
    /// for the fair scenario's host and its 10 VMs, measured 96–99 KiB; an idle 2-vCPU VM
    /// at level 0 measured 4.0 KiB (benchmark 14, `HyperLabBench scale idle`).
    static let host: Int64 = 16 << 10
    static let pcpu: Int64 = 512
    static let vm: Int64 = 3 << 10
    static let vcpu: Int64 = 512
    /// Not measured apart (none in the scenarios above): their objects' sizes, rounded down.
    static let datastore: Int64 = 2 << 10
    static let disk: Int64 = 1 << 10
    static let container: Int64 = 2 << 10
    /// A schedule trace (a host of at most 16 pCPUs when charts are collected): its
    /// segment limit × 64 bytes (a segment is 48, its array grows by doubling). The esx
    /// scenario with charts (20 VMs per host) measured 9.3 MiB per host after 1 h.
    static let traceSegment: Int64 = 64
    /// An event the log keeps (at most `EventLog.retainLimit`): its record and its texts.
    /// The touch scenario's level 0 grew 140 bytes per `guest.memory` event kept.
    static let event: Int64 = 128
    /// A sample of a set at the most: its row (8 bytes a channel) and a run of row
    /// indices (12 bytes; its time continues the run of times unless the interval changed).
    static func sample(channels: Int) -> Int64 { Int64(channels) * 8 + 12 }
    /// Arrays grow by doubling and the copies they leave stay in the allocator: measured
    /// 1.28 × the bytes above when every sample differs; 1.5 for margin.
    static let growth: Double = 1.5
}

extension Datacenter {
    /// The estimate of running to `t` from now (Kernel/MemoryEstimate.swift).
    public func memoryEstimate(until t: SimTime) -> MemoryEstimate {
        let interval = sampleInterval
        let step = interval.micros
        let start = now.micros, end = max(t.micros, start)
        // samples are taken at the multiples of the interval, only once a host exists
        let added = hosts.isEmpty ? 0 : Int(end / step - start / step)
        let bound = SeriesBound(settings: statistics, interval: step, end: end, added: added)

        // the event log as it is: what the run will add to it is not known from counts
        var model = Int64(allDatastores.count) * MemoryCosts.datastore + Int64(log.events.count) * MemoryCosts.event
        var traces: Int64 = 0
        var hostShare = ShareSum(kind: "hosts"), vmShare = ShareSum(kind: "VMs"), containerShare = ShareSum(kind: "containers")
        for h in hosts {
            model += MemoryCosts.host + Int64(h.cpus) * MemoryCosts.pcpu
            // a trace holds what it recorded so far at the least, its limit at the most
            if let trace = h.scheduleTrace {
                model += Int64(trace.segments.count) * MemoryCosts.traceSegment
                traces += Int64(trace.limit - trace.segments.count) * MemoryCosts.traceSegment
            }
            hostShare.add(h.metrics.series, bound, sampled: true)
        }
        for vm in vms {
            model += MemoryCosts.vm + Int64(vm.vcpus) * MemoryCosts.vcpu + Int64(vm.disks.count) * MemoryCosts.disk
            // worst case: every VM is sampled (one powered off now may be powered on by HA
            // or an alarm action during the run)
            vmShare.add(vm.metrics.series, bound, sampled: true)
        }
        for kernel in containerRegistry.kernels {
            for k in kernel.containers {
                model += MemoryCosts.container
                // a container's series is made at its first sample: none yet, none held
                let held = k.sampledUntil == nil ? nil : k.series
                containerShare.add(held, channels: ContainerSampler.channels.count, bound, sampled: !k.finalSampled)
            }
        }
        let shares = [vmShare, hostShare, containerShare].filter { $0.objects > 0 }
        let largest = shares.max { $0.bytes < $1.bytes }
        return MemoryEstimate(
            base: MemoryCosts.base, model: model, series: shares.reduce(0) { $0 + $1.bytes } + traces,
            leastSeries: shares.reduce(0) { $0 + $1.least },
            samples: added, interval: interval,
            largest: largest.map {
                .init(kind: $0.kind, objects: $0.objects, channels: Int((Double($0.channels) / Double($0.objects)).rounded()),
                      samples: $0.samples, bytes: $0.bytes)
            })
    }
}

/// How many samples and rollup points a series set holds at the end of the run.
struct SeriesBound {
    let records: Bool
    let added: Int
    /// The most real-time samples a set holds with a retention (nil: every sample).
    let cap: Int?
    /// Rollup intervals' widths factor (3 at level 4: minimum and maximum too) and most points.
    let rollups: [(factor: Int, points: Int)]
    let retained: Bool

    init(settings: StatisticsSettings, interval: Int64, end: Int64, added: Int) {
        records = settings.records
        self.added = added
        retained = settings.realtimeRetention != nil
        if let keep = settings.realtimeRetention {
            // samples past the retention are dropped in batches, once they are at least
            // 64 and at least as many as those kept (SeriesSet.commit)
            let k = Int(keep.micros / interval) + 1
            cap = max(k + 64, 2 * k) + 1
        } else {
            cap = nil
        }
        var r: [(Int, Int)] = []
        for i in StatisticsInterval.allCases where i != .realtime && settings.level(i) > 0 {
            let period = i.period!.micros
            let span = Int(i.span.micros / period)
            r.append((settings.level(i) >= 4 ? 3 : 1, min(Int(end / period) + 1, max(span + 64, 2 * span) + 1)))
        }
        rollups = r
    }

    /// Samples a set holding `held` now holds at the end.
    func samples(held: Int, sampled: Bool) -> Int {
        guard records else { return 0 }
        let n = held + (sampled ? added : 0)
        return cap.map { min(n, $0) } ?? n
    }

    /// Bytes of a set of `channels` holding `samples` at the end when every row repeats
    /// the one before: one row, a run of times and a run of row indices, whatever the
    /// number of samples (no rollups, which average the same rows: counted with `bytes`).
    func leastBytes(channels: Int, samples: Int) -> Int64 {
        samples == 0 ? 0 : Int64(channels) * 8 + Int64(StepRuns<Int64>.runBytes + StepRuns<Int32>.runBytes)
    }

    /// Bytes of a set of `channels` holding `samples` at the end, with its rollups when
    /// it has them (made when samples are dropped, or when one was read).
    func bytes(channels: Int, samples: Int, rolledUp: Bool) -> Int64 {
        var values = Double(samples) * Double(MemoryCosts.sample(channels: channels))
        if records && (retained || rolledUp) {
            for r in rollups { values += Double(r.points) * Double(channels * r.factor + 1) * 8 }
        }
        return Int64(values * MemoryCosts.growth)
    }
}

/// The series of one kind of object, summed.
struct ShareSum {
    let kind: String
    var objects = 0, channels = 0, samples = 0
    var bytes: Int64 = 0, least: Int64 = 0

    mutating func add(_ set: SeriesSet, _ bound: SeriesBound, sampled: Bool) {
        add(set, channels: set.channels.count, bound, sampled: sampled)
    }

    mutating func add(_ set: SeriesSet?, channels n: Int, _ bound: SeriesBound, sampled: Bool) {
        let s = bound.samples(held: set?.heldSamples ?? 0, sampled: sampled)
        objects += 1
        channels += n
        samples = max(samples, s)
        bytes += bound.bytes(channels: n, samples: s, rolledUp: set?.hasRollups ?? false)
        least += bound.leastBytes(channels: n, samples: s)
    }
}
