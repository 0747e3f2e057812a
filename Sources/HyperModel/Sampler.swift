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
        let s = m.series
        s.record("cpu.run", "%", t, m.cpu.run)
        s.record("cpu.ready", "%", t, m.cpu.ready)
        s.record("cpu.costop", "%", t, m.cpu.costop)
        s.record("cpu.wait", "%", t, m.cpu.wait)
        s.record("cpu.limited", "%", t, m.cpu.limited)
        s.record("cpu.used_mhz", "MHz", t, m.cpu.usedMHz)
        s.record("cpu.ready_ms", "ms", t, m.cpu.readyMs)
        s.record("memory.consumed", "bytes", t, Double(vm.consumed))
        s.record("memory.active", "bytes", t, Double(vm.active))
        s.record("memory.granted", "bytes", t, Double(vm.granted))
        s.record("memory.overhead", "bytes", t, Double(vm.overhead))
    }

    private func sample(_ host: Host, at t: SimTime, interval: Int64) {
        let run = host.cpu.totalRun
        host.metrics.cpuUsed = Double(run - host.metrics.lastRun) / (Double(interval) * Double(host.cpus)) * 100
        host.metrics.lastRun = run
        let s = host.metrics.series
        s.record("cpu.used", "%", t, host.metrics.cpuUsed)
        s.record("cpu.overcommit", "ratio", t, host.cpuOvercommit)
        s.record("memory.free", "bytes", t, Double(host.memory.free))
        s.record("memory.consumed", "bytes", t, Double(host.memory.consumed))
        s.record("memory.overcommit", "ratio", t, host.memory.overcommit)
    }
}
