/// Samples every host and VM each `interval` (20 s by default, vCenter's real-time
/// charts): the CPU counters are stepped up to the sample time and turned into the
/// interval's percentages, and every metric is appended to its series.
final class Sampler: SimProcess {
    unowned let datacenter: Datacenter
    private(set) var interval: SimTime
    private var id: Int32 = -1
    private var generation: Int64 = 0
    private(set) var lastSample: SimTime = .zero

    init(datacenter: Datacenter, interval: SimTime) {
        self.datacenter = datacenter
        self.interval = interval
    }

    func start() {
        if id < 0 { id = datacenter.sim.register(self) }
        schedule(after: datacenter.now)
    }

    func setInterval(_ i: SimTime) {
        interval = i
        generation += 1
        schedule(after: datacenter.now)
    }

    private func schedule(after t: SimTime) {
        let next = (t.micros / interval.micros + 1) * interval.micros
        datacenter.sim.schedule(id, at: SimTime(micros: next), priority: EventPriority.sample, token: generation)
    }

    func fire(token: Int64, sim: Simulation) {
        guard token == generation else { return }  // an interval change superseded it
        sample(at: sim.now)
        schedule(after: sim.now)
    }

    private func sample(at t: SimTime) {
        let elapsed = t.micros - lastSample.micros
        guard elapsed > 0 else { return }
        for host in datacenter.hosts {
            host.cpu.advance(to: t.micros)
            for vm in host.vms { sample(vm, at: t, interval: elapsed) }
            sample(host, at: t, interval: elapsed)
        }
        lastSample = t
    }

    private func sample(_ vm: VM, at t: SimTime, interval: Int64) {
        let now = vm.vcpuCounters
        let m = vm.metrics
        if m.lastCounters.count != now.count { m.lastCounters = Array(repeating: CPUCounters(), count: now.count) }
        let mhz = vm.host.mhz
        m.vcpu = zip(now, m.lastCounters).map { CPUSample($0 - $1, interval: interval, vcpus: 1, mhz: mhz) }
        let total = now.reduce(CPUCounters(), +) - m.lastCounters.reduce(CPUCounters(), +)
        m.cpu = CPUSample(total, interval: interval, vcpus: vm.vcpus, mhz: mhz)
        m.lastCounters = now
        // in the order of VMMetrics.channels
        let s = m.series
        s.record(0, t, m.cpu.run)
        s.record(1, t, m.cpu.ready)
        s.record(2, t, m.cpu.costop)
        s.record(3, t, m.cpu.wait)
        s.record(4, t, m.cpu.limited)
        s.record(5, t, m.cpu.usedMHz)
        s.record(6, t, m.cpu.readyMs)
        s.record(7, t, Double(vm.consumed))
        s.record(8, t, Double(vm.active))
        s.record(9, t, Double(vm.granted))
        s.record(10, t, Double(vm.overhead))
    }

    private func sample(_ host: Host, at t: SimTime, interval: Int64) {
        let run = host.cpu.totalRun
        host.metrics.cpuUsed = Double(run - host.metrics.lastRun) / (Double(interval) * Double(host.cpus)) * 100
        host.metrics.lastRun = run
        // in the order of HostMetrics.channels
        let s = host.metrics.series
        s.record(0, t, host.metrics.cpuUsed)
        s.record(1, t, host.cpuOvercommit)
        s.record(2, t, Double(host.memory.free))
        s.record(3, t, Double(host.memory.consumed))
        s.record(4, t, host.memory.overcommit)
    }
}
