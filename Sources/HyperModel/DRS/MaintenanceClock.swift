/// Follows a cluster's DRS passes for maintenance mode and DPM. vCenter re-invokes DRS
/// for a host that is entering maintenance or standby, and runs DPM as part of each DRS
/// invocation (datacenter-facts §2.1, §2.6). This clock ticks after every sample (20 s by
/// default) while something needs it: DPM reads the demand of the interval, and when a
/// DRS pass has run since the last tick, the hosts being evacuated are re-evaluated (a
/// blocker may have gone; the pass replaced the recommendations, so evacuation
/// recommendations are made again) and DPM decides. A pass at a sample instant is
/// followed at that instant (DRS runs just after the sample, this clock just after DRS);
/// a pass between samples is followed at the next sample.
final class HostModes: SimProcess {
    unowned(unsafe) let cluster: Cluster
    var dpm: DPM?
    private var id: Int32 = -1
    private var next: SimTime?
    private var seenPasses: Int
    private var seenDRSOn: Bool

    init(cluster: Cluster) {
        self.cluster = cluster
        seenPasses = cluster.drsIfAny?.passes ?? 0
        seenDRSOn = cluster.drsIfEnabled != nil
    }

    private var datacenter: Datacenter { cluster.datacenter }

    /// Something needs the clock: make sure it ticks.
    func watch() {
        let dc = datacenter
        let interval = dc.sampleInterval.micros
        let t = SimTime(micros: (dc.now.micros / interval + 1) * interval)
        if let n = next, n <= t, n >= dc.now { return }
        if id < 0 { id = dc.sim.register(self) }
        next = t
        dc.sim.schedule(id, at: t, priority: EventPriority.sample + 11, token: t.micros)
    }

    private var needed: Bool {
        (dpm?.isActive ?? false) || cluster.hosts.contains { $0.evacuation != nil }
    }

    func fire(token: Int64, sim: Simulation) {
        guard token == next?.micros else { return }
        next = nil
        if let dpm, dpm.isActive { dpm.record() }
        let passes = cluster.drsIfAny?.passes ?? 0
        let drsOn = cluster.drsIfEnabled != nil
        // a pass ran, or DRS was switched on or off: evacuations are judged again
        if passes != seenPasses || drsOn != seenDRSOn {
            seenPasses = passes
            seenDRSOn = drsOn
            for h in cluster.hosts where h.evacuation != nil { h.evaluateEvacuation() }
            if let dpm, dpm.isActive { dpm.evaluate() }
        }
        if needed { watch() }
    }
}

extension Cluster {
    /// The cluster's maintenance/DPM clock, made on first use.
    var hostModes: HostModes {
        if let m = modes { return m }
        let m = HostModes(cluster: self)
        modes = m
        return m
    }

    /// DPM's state, nil until `enableDPM`.
    public var dpm: DPM? { modes?.dpm }
}
