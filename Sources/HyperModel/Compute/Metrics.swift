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

/// Named series of one object, created on first use.
public final class SeriesSet {
    public private(set) var byName: [String: MetricSeries] = [:]
    public private(set) var names: [String] = []

    func series(_ name: String, unit: String) -> MetricSeries {
        if let s = byName[name] { return s }
        let s = MetricSeries(name: name, unit: unit)
        byName[name] = s
        names.append(name)
        return s
    }

    func record(_ name: String, _ unit: String, _ time: SimTime, _ value: Double) {
        series(name, unit: unit).append(time, value)
    }

    public subscript(_ name: String) -> MetricSeries? { byName[name] }
}

/// A VM's sampled metrics: the last interval's values and every sample as series.
public final class VMMetrics {
    public internal(set) var cpu = CPUSample()
    public internal(set) var vcpu: [CPUSample] = []
    public let series = SeriesSet()
    var lastCounters: [CPUCounters] = []
}

/// A host's sampled metrics.
public final class HostMetrics {
    /// % of the host's CPU capacity used in the last interval.
    public internal(set) var cpuUsed = 0.0
    public let series = SeriesSet()
    var lastRun: Int64 = 0
}
