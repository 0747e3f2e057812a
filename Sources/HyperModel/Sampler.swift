import Dispatch

/// Samples every host and VM each `interval` (20 s by default, vCenter's real-time
/// charts): the CPU counters are stepped up to the sample time and turned into the
/// interval's percentages, and every metric is appended to its series.
final class Sampler: SimProcess {
    unowned(unsafe) let datacenter: Datacenter
    private(set) var interval: SimTime
    private var id: Int32 = -1
    private var generation: Int64 = 0
    private(set) var lastSample: SimTime = .zero
    /// Each worker's entitlement columns, for the trees solved with their host's sample.
    private var scratch: [EntitlementScratch] = []

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
        if id >= 0 { schedule(after: datacenter.now) }  // else `start` schedules the first sample
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
        // each host is stepped, its VMs and itself sampled and its own pool tree solved in
        // one go, while its state is in cache (a datacenter's VMs do not fit in it); each
        // reads only its own state and writes only its own series, so hosts can be
        // sampled on several threads with the same result. Scheduling policies written in
        // Lua must run on the Lua thread: their hosts are stepped here first.
        for host in datacenter.hosts where host.scheduler.kind == .policy { host.cpu.advance(to: t.micros) }
        let hosts = datacenter.hosts
        let workers = min(datacenter.parallelism, hosts.count / 2)
        // the VM alarms set on every VM are evaluated as each VM is sampled
        let pass = datacenter.alarmEngine
        datacenter.alarmEngine?.prepareSample(workers: max(workers, 1))
        let start = lastSample
        while scratch.count < max(workers, 1) { scratch.append(EntitlementScratch()) }
        if workers > 1 {
            let box = UncheckedSendable((hosts, self, pass))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < box.value.0.count {
                    Prefetch.hosts(box.value.0, before: i, stride: workers)
                    box.value.1.sample(hostAndVMs: box.value.0[i], at: t, interval: elapsed, alarms: box.value.2, start: start, worker: w)
                    i += workers
                }
            }
        } else {
            for (i, host) in hosts.enumerated() {
                Prefetch.hosts(hosts, before: i, stride: 1)
                sample(hostAndVMs: host, at: t, interval: elapsed, alarms: pass, start: start, worker: 0)
            }
        }
        datacenter.alarmEngine?.evaluate(at: t, start: lastSample)
        lastSample = t
        // resource pools: entitlements from this interval's demand, delivered to the hosts
        // (a standalone host's tree without pools was solved with its sample)
        datacenter.solveEntitlements(skippingSampled: true)
    }

    private func sample(hostAndVMs host: Host, at t: SimTime, interval: Int64, alarms: AlarmEngine?, start: SimTime,
                        worker: Int) {
        // a datacenter's VMs do not fit in cache, and each VM's sample reads several objects
        // scattered over the heap: the VMs were asked for with the host before this one
        // (Prefetch.hosts), then their metrics and guest memory, then their series, CPU
        // counters and page counts, then the series' rows, so the misses overlap instead of
        // coming one after another (hints only)
        let vms = host.vms
        if host.scheduler.kind != .policy { host.cpu.advance(to: t.micros) }
        vms.forEachUnretained { vm in
            Prefetch.object(vm.metrics, lines: 4)
            Prefetch.object(vm.guest, lines: 4)
        }
        vms.forEachUnretained { vm in
            let m = vm.metrics
            Prefetch.object(m.series, lines: 4)
            Prefetch.arrayHead(&m.lastCounters, lines: 2)
            Prefetch.arrayHead(&m.vcpu, lines: 2)
            Prefetch.arrayHead(&vm.cpuHistory, lines: 2)
            Prefetch.arrayHead(&vm.cpuSlots, lines: 1)
            vm.guest.pages.prefetch()
        }
        vms.forEachUnretained { $0.metrics.series.prefetchRow() }
        // the alarms on every VM and host are evaluated from the rows just written (in cache)
        let vmPass = alarms.flatMap { $0.vmPass.isEmpty ? nil : $0.vmPass }
        // looked up once for the host's VMs, not once per VM
        let engine = host.cpu, memory: HostMemory = host.memory, mhz = host.mhz
        vms.forEachUnretained { vm in
            if sample(vm, at: t, interval: interval, engine: engine, memory: memory, mhz: mhz), let vmPass {
                vmPass.sampled(vm: vm, worker: worker)
            }
        }
        vmPass?.flush(worker: worker, at: t, start: start)
        sample(host, at: t, interval: interval)
        if let alarms, !alarms.hostPass.isEmpty { alarms.hostPass.sampled(host: host, at: t, start: start, worker: worker) }
        // its tree has nothing to deliver (no pools, its VMs reset), so solving it on this
        // thread touches nothing but its own VMs' entitlements
        if host.solvesWithSample { host.root.solver.solve(using: scratch[worker]) }
    }

    /// False when the VM has no sample for this interval.
    @discardableResult
    private func sample(_ vm: VM, at t: SimTime, interval: Int64, engine cpu: CPUEngine, memory: HostMemory,
                        mhz: Double) -> Bool {
        assert(vm.host.memory === memory)
        let m = vm.metrics
        // As vCenter, no sample for an interval the VM spent entirely powered off.
        if !vm.state.holdsResources && vm.cpuHistory == m.lastCounters { return false }
        let n = vm.vcpus
        if m.lastCounters.count != n { m.lastCounters = Array(repeating: CPUCounters(), count: n) }
        var total = CPUCounters()
        // vcpuCounters(i) for every vCPU, with the engine looked up once, the VM's arrays
        // read in place and the metrics' written in place (no retain, no uniqueness check
        // per write)
        let engine: CPUEngine? = vm.cpuSlots.isEmpty ? nil : cpu
        withUnsafePointer(to: &vm.cpuHistory) { h in Array.withElementsInPlace(h) { history in
            withUnsafePointer(to: &vm.cpuSlots) { sl in Array.withElementsInPlace(sl) { slots in
                m.lastCounters.withUnsafeMutableBufferPointer { last in
                    m.vcpu.withUnsafeMutableBufferPointer { vcpu in
                        for i in 0..<n {
                            var now = history[i]
                            if let engine { now = now + engine.counters(ofSlot: slots[i]) }
                            let delta = now - last[i]
                            vcpu[i] = CPUSample(delta, interval: interval, vcpus: 1, mhz: mhz)
                            total = total + delta
                            last[i] = now
                        }
                    }
                }
            } }
        } }
        m.cpu = CPUSample(total, interval: interval, vcpus: vm.vcpus, mhz: mhz)
        m.cpuDemandMHz = Double(total.run + total.ready + total.costop) / Double(interval) * mhz
        // the series set through a guaranteed reference: a retain would wait for every
        // miss before it (an atomic), and the VM's are hinted in flight
        Unmanaged.passUnretained(m.series)._withUnsafeGuaranteedRef { s in  // channels in the order of VMMetrics.channels
            s.begin(t)
            s.set(0, m.cpu.run)
            s.set(1, m.cpu.ready)
            s.set(2, m.cpu.costop)
            s.set(3, m.cpu.wait)
            s.set(4, m.cpu.limited)
            s.set(5, m.cpu.usedMHz)
            s.set(6, m.cpu.readyMs)
            s.set(7, Double(vm.consumed(in: memory)))
            s.set(8, Double(vm.active))
            s.set(9, Double(vm.granted))
            s.set(10, Double(vm.overhead))
            let traffic = vm.guest.traffic
            m.memory = MemoryRates(traffic, m.lastTraffic, seconds: Double(interval) / 1e6)
            m.lastTraffic = traffic
            s.set(11, Double(vm.shared))
            s.set(12, Double(vm.ballooned))
            s.set(13, Double(vm.compressed))
            s.set(14, Double(vm.swapped))
            s.set(15, Double(vm.balloonTarget))
            s.set(16, Double(vm.swapTarget))
            s.set(17, Double(vm.memoryTarget))
            s.set(18, m.memory.swapIn)
            s.set(19, m.memory.swapOut)
            s.set(20, m.memory.compress)
            s.set(21, m.memory.decompress)
            s.set(22, m.cpu.usedMHz / (Double(vm.vcpus) * mhz) * 100)
            s.set(23, vm.memory > 0 ? Double(vm.active) / Double(vm.memory) * 100 : 0)
            s.set(24, Sampler.maxDiskLatency(vm))
            var c = VMMetrics.channels.count  // then per vCPU, in the order of VMMetrics.perVCPU
            // the series keep the channels of the vCPUs the VM was created with (a series
            // set's channels are fixed): vCPUs added later have no series of their own
            let channelEnd = s.channels.count
            if m.recordsVCPUs {  // (the array is not even copied below level 3)
                for v in m.vcpu where c + 6 <= channelEnd {
                    s.set(c, v.run)
                    s.set(c + 1, v.ready)
                    s.set(c + 2, v.costop)
                    s.set(c + 3, v.wait)
                    s.set(c + 4, v.limited)
                    s.set(c + 5, v.usedMHz)
                    c += 6
                }
            }
            s.commit()
        }
        if vm.state != .on { m.stoppedRunning() }  // the interval's average is history; it uses no CPU now
        return true
    }

    private func sample(_ host: Host, at t: SimTime, interval: Int64) {
        let run = host.totalRun
        let span = max(1, min(interval, t.micros - host.metrics.createdAt))
        host.metrics.cpuUsed = Double(run - host.metrics.lastRun) / (Double(span) * Double(host.cpus)) * 100
        host.metrics.lastRun = run
        let s = host.metrics.series  // channels in the order of HostMetrics.channels
        s.begin(t)
        s.set(0, host.metrics.cpuUsed)
        s.set(1, host.cpuOvercommit)
        s.set(2, Double(host.memory.free))
        s.set(3, Double(host.memory.consumed))
        s.set(4, host.memory.overcommit)
        s.set(5, Double(host.memory.state.rawValue))
        s.set(6, Double(host.memory.sharedSaved))
        var ballooned: Int64 = 0, compressed: Int64 = 0, swapped: Int64 = 0
        host.vms.forEachUnretained { vm in
            guard vm.state.holdsResources else { return }
            ballooned += vm.ballooned
            compressed += vm.compressed
            swapped += vm.swapped
        }
        s.set(7, Double(ballooned))
        s.set(8, Double(compressed))
        s.set(9, Double(swapped))
        s.set(10, Double(host.memory.consumed) / Double(host.memory.capacity) * 100)
        s.commit()
    }

    /// vCenter's `disk.maxTotalLatency`: the highest latency of the VM's disks doing I/O,
    /// here the write latency of each disk being written now; 0 while none is.
    static func maxDiskLatency(_ vm: VM) -> Double {
        guard vm.state == .on, vm.hasDiskWorkloads else { return 0 }
        var worst = 0.0
        for w in vm.workloads {
            if let d = w as? DiskWorkload, d.isWriting { worst = max(worst, d.latencyMs) }
        }
        return worst
    }
}

/// Hands model objects to worker threads that each touch a different host.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
