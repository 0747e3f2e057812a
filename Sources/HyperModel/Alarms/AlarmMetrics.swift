/// A metric an alarm can watch: its name for the target kind, its unit and what it is.
/// Metrics of VMs and hosts are read from the sample just taken (the same numbers their
/// series record); datastores and clusters are read from the model at the sample.
public struct AlarmMetric {
    public let name: String
    public let target: AlarmTarget
    public let unit: String
    public let meaning: String
    /// For `memory.usage` of VMs: the counter divided by configured memory.
    public let counter: String?
    let reader: Reader

    enum Reader {
        case vmChannel(Int)
        case vmMemory(channel: Int)
        case hostChannel(Int)
        case datastoreUsage, datastoreUsed, datastoreFree
        case clusterCPU, clusterMemory
    }

    /// "cpu.usage", or "memory.usage (consumed)" when the counter is not the default.
    public var label: String { counter.map { $0 == "active" ? name : "\(name) (\($0))" } ?? name }
}

public enum AlarmMetrics {
    static func channel(_ table: [(name: String, unit: String)], _ name: String) -> Int {
        table.firstIndex { $0.name == name }!
    }

    /// The metrics of each target kind: vCenter's alarm counters first, then every series
    /// channel of VMs and hosts.
    public static func catalogue(_ target: AlarmTarget) -> [AlarmMetric] {
        switch target {
        case .vm:
            let own = [
                AlarmMetric(name: "cpu.usage", target: .vm, unit: "%",
                            meaning: "CPU used as a share of the VM's vCPUs × its host's MHz (vCenter's cpu.usage), over the sample interval.",
                            counter: nil, reader: .vmChannel(channel(VMMetrics.channels, "cpu.usage"))),
                AlarmMetric(name: "memory.usage", target: .vm, unit: "%",
                            meaning: "Active memory as a share of configured memory (vCenter's mem.usage of a VM; `counter = \"consumed\"` divides consumed memory instead).",
                            counter: "active", reader: .vmMemory(channel: channel(VMMetrics.channels, "memory.active"))),
                AlarmMetric(name: "disk.max_latency", target: .vm, unit: "ms",
                            meaning: "The highest write latency of the VM's disks being written at the sample (vCenter's disk.maxTotalLatency); 0 while none is written.",
                            counter: nil, reader: .vmChannel(channel(VMMetrics.channels, "disk.max_latency"))),
            ]
            return own + channels(VMMetrics.channels, .vm, skipping: own.map(\.name)) { .vmChannel($0) }
        case .host:
            let own = [
                AlarmMetric(name: "cpu.usage", target: .host, unit: "%",
                            meaning: "CPU used as a share of the host's capacity (vCenter's cpu.usage of a host; the `cpu.used` series).",
                            counter: nil, reader: .hostChannel(channel(HostMetrics.channels, "cpu.used"))),
                AlarmMetric(name: "memory.usage", target: .host, unit: "%",
                            meaning: "Consumed machine memory as a share of the host's memory (vCenter's mem.usage of a host).",
                            counter: nil, reader: .hostChannel(channel(HostMetrics.channels, "memory.usage"))),
            ]
            return own + channels(HostMetrics.channels, .host, skipping: own.map(\.name)) { .hostChannel($0) }
        case .datastore:
            return [
                AlarmMetric(name: "usage", target: .datastore, unit: "%", meaning: "Space used as a share of capacity (vCenter's \"Datastore usage on disk\").",
                            counter: nil, reader: .datastoreUsage),
                AlarmMetric(name: "used", target: .datastore, unit: "bytes", meaning: "Space used by its files.", counter: nil, reader: .datastoreUsed),
                AlarmMetric(name: "free", target: .datastore, unit: "bytes", meaning: "Capacity minus space used.", counter: nil, reader: .datastoreFree),
            ]
        case .cluster:
            return [
                AlarmMetric(name: "cpu.usage", target: .cluster, unit: "%", meaning: "CPU used by the live hosts as a share of their capacity.",
                            counter: nil, reader: .clusterCPU),
                AlarmMetric(name: "memory.usage", target: .cluster, unit: "%", meaning: "Consumed memory of the live hosts as a share of their memory.",
                            counter: nil, reader: .clusterMemory),
            ]
        }
    }

    private static func channels(_ table: [(name: String, unit: String)], _ target: AlarmTarget, skipping: [String],
                                 _ reader: (Int) -> AlarmMetric.Reader) -> [AlarmMetric] {
        table.enumerated().filter { !skipping.contains($0.element.name) }.map { i, c in
            AlarmMetric(name: c.name, target: target, unit: c.unit, meaning: "The `\(c.name)` series (see Metrics).",
                        counter: nil, reader: reader(i))
        }
    }

    static let hostCPUUsed = channel(HostMetrics.channels, "cpu.used")
    static let hostConsumed = channel(HostMetrics.channels, "memory.consumed")

    public static func names(_ target: AlarmTarget) -> [String] { catalogue(target).map(\.name) }

    /// The counters `memory.usage` of a VM can divide by configured memory.
    public static let memoryCounters = ["active", "consumed"]

    /// The metric `name` of `target`, with `counter` for a VM's memory usage; nil when
    /// there is none.
    public static func find(_ name: String, _ target: AlarmTarget, counter: String? = nil) -> AlarmMetric? {
        guard let m = catalogue(target).first(where: { $0.name == name }) else { return nil }
        guard let counter, m.counter != nil else { return m }
        guard memoryCounters.contains(counter) else { return nil }
        return AlarmMetric(name: m.name, target: m.target, unit: m.unit, meaning: m.meaning, counter: counter,
                           reader: .vmMemory(channel: channel(VMMetrics.channels, "memory.\(counter)")))
    }

    // MARK: reading, at a sample

    /// The value a VM's sample at `t` gives; nil when it was not sampled then (it was off
    /// the whole interval): no data, so no condition holds.
    @inline(__always)
    static func read(_ r: AlarmMetric.Reader, vm: VM, at t: SimTime) -> Double? {
        let s = vm.metrics.series
        guard s.lastTime == t else { return nil }
        switch r {
        case .vmChannel(let c): return s.latest(c)
        case .vmMemory(let c): return vm.memory > 0 ? s.latest(c) / Double(vm.memory) * 100 : 0
        default: return nil
        }
    }

    /// A host's value at `t`; nil for a host that has failed (it reports nothing).
    @inline(__always)
    static func read(_ r: AlarmMetric.Reader, host: Host, at t: SimTime) -> Double? {
        guard !host.failed, case .hostChannel(let c) = r else { return nil }
        let s = host.metrics.series
        guard s.lastTime == t else { return nil }
        return s.latest(c)
    }

    static func read(_ r: AlarmMetric.Reader, datastore d: Datastore, used: Int64) -> Double? {
        switch r {
        case .datastoreUsage: return Double(used) / Double(d.capacity) * 100
        case .datastoreUsed: return Double(used)
        case .datastoreFree: return Double(d.capacity - used)
        default: return nil
        }
    }

    static func read(_ r: AlarmMetric.Reader, cluster c: Cluster, at t: SimTime) -> Double? {
        var used = 0.0, capacity = 0.0
        for h in c.hosts where !h.failed {
            let s = h.metrics.series
            guard s.lastTime == t else { continue }
            switch r {
            case .clusterCPU:
                used += s.latest(hostCPUUsed) / 100 * h.capacityMHz
                capacity += h.capacityMHz
            case .clusterMemory:
                used += s.latest(hostConsumed)
                capacity += Double(h.memory.capacity)
            default: return nil
            }
        }
        return capacity > 0 ? used / capacity * 100 : nil
    }
}
