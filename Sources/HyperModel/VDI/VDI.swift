/// VDI desktop pools and their mornings (datacenter-facts §5, behaviours 75–78).
///
/// A pool's desktops are ordinary VMs cloned from a template, so the CPU engine gives
/// their %RDY and the memory model their sharing; this clock adds what desktops do to a
/// datastore's random I/O, once a simulated second while any desktop boots or logs in
/// (every sample interval otherwise): it starts desktops when their time comes, moves
/// them from boot to login to steady as their I/O completes, and keeps each pool's
/// peaks. Work per tick is O(pools + datastores + desktops changing phase); the mean
/// %RDY is read once per sample interval.
public final class VDI: SimProcess {
    unowned(unsafe) let datacenter: Datacenter
    private var id: Int32 = -1
    private var scheduled: SimTime?
    private var lastTick = SimTime.zero
    private var nextSample = SimTime.zero
    public internal(set) var pools: [DesktopPool] = []
    var io: [DatastoreIO] = []
    private var ioIndex: [ObjectIdentifier: Int] = [:]
    var poolIO: [Int] = []
    // scratch reused every tick
    private var demand: [Double] = []

    init(datacenter: Datacenter) { self.datacenter = datacenter }

    public func pool(named name: String) -> DesktopPool? { pools.first { $0.name == name } }

    // MARK: datastores

    func ioSlot(_ ds: Datastore) -> Int {
        if let i = ioIndex[ObjectIdentifier(ds)] { return i }
        io.append(DatastoreIO(ds))
        ioIndex[ObjectIdentifier(ds)] = io.count - 1
        return io.count - 1
    }

    public func io(of ds: Datastore) -> DatastoreIO { ioIndex[ObjectIdentifier(ds)].map { io[$0] } ?? DatastoreIO(ds) }

    /// The datastore's random-I/O capacity (default by kind: ssd 40,000, san 5,000, nfs
    /// 2,000, hdd 150 IOPS).
    public func setIOPS(_ iops: Double, of ds: Datastore) throws {
        guard iops.isFinite, iops >= 1, iops <= 10_000_000 else {
            throw ModelError("\(ds.description).iops: \(Units.trim(iops)) is not allowed (use 1 to 10000000 I/Os per second)")
        }
        io[ioSlot(ds)].capacityIOPS = iops
        datacenter.log.record(datacenter.now, "vdi", ds.description, "random-I/O capacity set to \(Units.trim(iops)) IOPS")
    }

    // MARK: the clock

    func wake(at t: SimTime) {
        if id < 0 { id = datacenter.sim.register(self); lastTick = datacenter.now; nextSample = datacenter.now }
        if let s = scheduled, s <= t { return }
        scheduled = t
        datacenter.sim.schedule(id, at: t)
    }

    public func fire(token: Int64, sim: Simulation) {
        guard let s = scheduled, s == sim.now else { return }   // a stale, earlier wake-up
        scheduled = nil
        let now = sim.now
        let seconds = Double(now.micros - lastTick.micros) / 1e6
        lastTick = now
        var busy = false
        // the past interval's demand per datastore and the progress it allowed, then
        // phase ends, then the desktops whose start has come
        if demand.count != io.count { demand = Array(repeating: 0, count: io.count) }
        for i in demand.indices { demand[i] = 0 }
        for (k, p) in pools.enumerated() {
            demand[poolIO[k]] += Double(p.count(.booting)) * p.profile.boot.iops + Double(p.count(.loggingIn)) * p.profile.login.iops
                + Double(p.count(.steady)) * p.profile.steady.iops
        }
        for i in io.indices {
            let ds = datastore(at: i)
            io[i].step(demand: demand[i], seconds: seconds, base: ds?.kind.baseLatencyMs ?? 1)
            let over = io[i].demandIOPS > io[i].capacityIOPS
            if over != io[i].saturated, let ds {
                io[i].saturated = over
                datacenter.log.record(now, "vdi", ds.description, over
                    ? "saturated: desktops ask \(Units.trim(io[i].demandIOPS.rounded())) IOPS of \(Units.trim(io[i].capacityIOPS)); latency \(Units.trim((io[i].latencyMs * 10).rounded() / 10)) ms, boots and logins slow down"
                    : "keeps up again: \(Units.trim(io[i].demandIOPS.rounded())) IOPS asked of \(Units.trim(io[i].capacityIOPS))")
            }
        }
        for (k, p) in pools.enumerated() {
            let d = io[poolIO[k]]
            p.peakIOPS = max(p.peakIOPS, d.demandIOPS)
            p.peakLatencyMs = max(p.peakLatencyMs, d.latencyMs)
            endPhases(p, progress: d.progress)
            if startDue(p, now) { busy = true }
            if p.count(.booting) + p.count(.loggingIn) > 0 || p.nextStart < p.desktops.count { busy = true }
            if p.allSteadyAt == nil, p.count(.steady) + p.count(.failed) == p.desktops.count {
                p.allSteadyAt = now
                datacenter.log.record(now, "vdi", p.description, "every desktop is in steady state (\(p.count(.failed)) failed); peak \(Units.trim(p.peakIOPS.rounded())) IOPS, \(Units.trim((p.peakLatencyMs * 10).rounded() / 10)) ms")
            }
        }
        if now >= nextSample {
            for (k, p) in pools.enumerated() { sample(p, now, io[poolIO[k]]) }
            nextSample = now + datacenter.sampleInterval
        }
        let second = SimTime(micros: (now.micros / 1_000_000 + 1) * 1_000_000)
        var next = busy ? second : nextSample
        for p in pools where p.nextStart < p.desktops.count { next = min(next, max(second, p.startTimes[p.nextStart])) }
        wake(at: max(next, second))
    }

    private func datastore(at i: Int) -> Datastore? {
        for (k, p) in pools.enumerated() where poolIO[k] == i { return p.datastore }
        return nil
    }

    /// Starts the desktops whose time has come; true if some wait for their disks.
    private func startDue(_ p: DesktopPool, _ now: SimTime) -> Bool {
        if p.forkPending {
            do { try forkIfReady(p) } catch {
                datacenter.log.record(now, "vdi", p.description, "cannot fork its parents: \((error as? ModelError)?.message ?? "\(error)")")
            }
            if p.forkPending { return true }
        }
        while p.nextStart < p.desktops.count, p.startTimes[p.nextStart] <= now {
            let i = p.nextStart
            let vm = p.desktops[i]
            if p.kind == .instant {
                if p.states[i] == .failed {
                } else if vm.state == .on { enter(p, i, .loggingIn) } else { p.move(i, to: .failed) }
            } else {
                // a full clone still being copied, or the replica, cannot boot yet
                if vm.disks.contains(where: { !$0.ready }) || p.replica?.disks.contains(where: { !$0.ready }) == true { return true }
                do {
                    try vm.powerOn()
                    enter(p, i, .booting)
                } catch let e as ModelError {
                    p.move(i, to: .failed)
                    datacenter.log.record(now, "vdi", vm.description, "cannot boot: \(e.message)")
                } catch {}
            }
            p.nextStart += 1
        }
        return false
    }

    private func endPhases(_ p: DesktopPool, progress: Double) {
        while p.bootHead < p.bootQueue.count, p.phaseEnds[p.bootQueue[p.bootHead]] <= progress + 1e-9 {
            let i = p.bootQueue[p.bootHead]
            p.bootHead += 1
            if p.states[i] == .booting { enter(p, i, .loggingIn) }
        }
        while p.loginHead < p.loginQueue.count, p.phaseEnds[p.loginQueue[p.loginHead]] <= progress + 1e-9 {
            let i = p.loginQueue[p.loginHead]
            p.loginHead += 1
            if p.states[i] == .loggingIn { enter(p, i, .steady) }
        }
    }

    private func enter(_ p: DesktopPool, _ i: Int, _ s: DesktopState) {
        let vm = p.desktops[i]
        guard vm.state == .on else { p.move(i, to: .failed); return }
        let phase = s == .booting ? p.profile.boot : s == .loggingIn ? p.profile.login : p.profile.steady
        p.move(i, to: s)
        let progress = io[poolIO[pools.firstIndex { $0 === p } ?? 0]].progress
        p.phaseEnds[i] = progress + phase.duration.seconds
        if s == .booting { p.bootQueue.append(i) } else if s == .loggingIn { p.loginQueue.append(i) }
        do {
            try setWork(p, i, phase)
            let room = vm.guest.available
            if phase.memory > 0 { try vm.guestTouch(min(phase.memory, room)) }
        } catch {
            datacenter.log.record(datacenter.now, "vdi", vm.description, "\(s.name): \((error as? ModelError)?.message ?? "\(error)")")
        }
    }

    func setWork(_ p: DesktopPool, _ i: Int, _ phase: DesktopPhase) throws {
        let vm = p.desktops[i]
        if let w = p.phaseWork[i], w.isRunning { try vm.stop(w) }
        p.phaseWork[i] = nil
        guard phase.cpuLoad > 0 else { return }
        let w = try CPUWorkload(threads: vm.vcpus, load: phase.cpuLoad)
        try vm.run(w)
        p.phaseWork[i] = w
    }

    private func sample(_ p: DesktopPool, _ now: SimTime, _ d: DatastoreIO) {
        var sum = 0.0, top = 0.0, on = 0
        for vm in p.desktops where vm.state == .on {
            let r = vm.metrics.cpu.ready
            sum += r
            top = max(top, r)
            on += 1
        }
        p.readyNow = on > 0 ? sum / Double(on) : 0
        p.maxReadyNow = top
        p.peakReady = max(p.peakReady, p.readyNow)
        p.history.append(PoolSample(time: now, demandIOPS: d.demandIOPS, deliveredIOPS: d.deliveredIOPS, latencyMs: d.latencyMs,
                                    booting: p.count(.booting), loggingIn: p.count(.loggingIn), steady: p.count(.steady),
                                    ready: p.readyNow, maxReady: top))
    }
}
