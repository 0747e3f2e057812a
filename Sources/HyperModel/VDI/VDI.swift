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
    public private(set) var pools: [DesktopPool] = []
    private var io: [DatastoreIO] = []
    private var ioIndex: [ObjectIdentifier: Int] = [:]
    private var poolIO: [Int] = []
    // scratch reused every tick
    private var demand: [Double] = []

    init(datacenter: Datacenter) { self.datacenter = datacenter }

    public func pool(named name: String) -> DesktopPool? { pools.first { $0.name == name } }

    // MARK: datastores

    private func ioSlot(_ ds: Datastore) -> Int {
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

    // MARK: pools

    /// Provisions a pool: checks everything first, then clones its desktops (an instant
    /// pool's powered on at once, sharing their parent's memory).
    public func createPool(_ spec: DesktopPoolSpec) throws -> DesktopPool {
        let ds = try validate(spec)
        let plan = (0..<spec.count).map { i in
            SimTime(micros: spec.bootAt.micros + (spec.count > 1 ? spec.stagger.micros * Int64(i) / Int64(spec.count) : 0))
        }
        let t = spec.template
        let templateBytes = t.disks.reduce(Int64(0)) { $0 + $1.allocated }
        let pool = DesktopPool(spec: spec, datastore: ds, startTimes: plan, fullCloneBytes: templateBytes * Int64(spec.count))
        var base = t
        if spec.kind != .full {
            let r = try t.clone(name: "\(spec.name)-replica", linked: false, datastore: ds)
            try r.toTemplate()
            pool.replica = r
            base = r
        }
        if spec.kind == .instant {
            for (k, h) in spec.hosts.enumerated() {
                let p = try base.clone(name: "\(spec.name)-parent\(k + 1)", linked: true, host: h)
                p.memAllocation.shareSalt = forkSalt(spec.name, k)
                pool.parents.append(p)
            }
        }
        let width = String(spec.count).count
        for i in 0..<spec.count {
            let n = String(i + 1)
            let name = "\(spec.name)-\(String(repeating: "0", count: max(0, width - n.count)))\(n)"
            let h = spec.hosts[i % spec.hosts.count]
            let vm = try base.clone(name: name, linked: spec.kind != .full, host: h, datastore: spec.kind == .full ? ds : nil)
            vm.memAllocation.shareSalt = spec.kind == .instant
                ? forkSalt(spec.name, i % spec.hosts.count) : spec.tpsScope.salt(vm: name, pool: spec.name, pod: spec.pod)
            pool.desktops.append(vm)
            pool.states.append(.waiting)
            pool.phaseEnds.append(0)
            pool.phaseWork.append(nil)
            pool.counts[0] += 1
        }
        pools.append(pool)
        if spec.kind == .instant {
            pool.forkPending = true
            try forkIfReady(pool)
        }
        poolIO.append(ioSlot(ds))
        datacenter.log.record(datacenter.now, "vdi", pool.description,
                              "\(spec.count) \(spec.kind.rawValue)-clone desktops of \(t.description) on \(spec.hosts.count) host\(spec.hosts.count == 1 ? "" : "s"), disks on \(ds.name) (\(Units.formatBytes(pool.storage)) now), TPS scope \(spec.tpsScope.rawValue); first start at \(Units.formatSeconds(spec.bootAt.seconds)) spread over \(Units.formatSeconds(spec.stagger.seconds))")
        wake(at: pool.forkPending ? datacenter.now : max(datacenter.now, spec.bootAt))
        return pool
    }

    /// vmFork, once the replica is on the pool's datastore: the parents boot (touch their
    /// boot memory), then every desktop is forked running, its memory its parent's until
    /// it writes. A desktop whose start comes before that waits for it.
    private func forkIfReady(_ pool: DesktopPool) throws {
        guard pool.forkPending, pool.replica?.disks.allSatisfy(\.ready) != false else { return }
        pool.forkPending = false
        for p in pool.parents {
            try p.powerOnHere()
            try fork(p, memory: pool.profile.boot.memory)
        }
        for (i, vm) in pool.desktops.enumerated() {
            do {
                try vm.powerOnHere()
                try fork(vm, memory: pool.profile.boot.memory)
                try setWork(pool, i, pool.profile.steady)
            } catch let e as ModelError {
                pool.move(i, to: .failed)
                datacenter.log.record(datacenter.now, "vdi", vm.description, "cannot be forked: \(e.message)")
            }
        }
        datacenter.log.record(datacenter.now, "vdi", pool.description,
                              "\(pool.desktops.count - pool.count(.failed)) instant clones forked running from \(pool.parents.count) parent\(pool.parents.count == 1 ? "" : "s")")
    }

    private func forkSalt(_ pool: String, _ k: Int) -> String { "vdi:fork:\(pool):\(k)" }

    /// Gives a powered-on VM the forked guest: `memory` touched, every page of it (and the
    /// zeroed rest) backed by its parent's pages, copy-on-write.
    private func fork(_ vm: VM, memory: Int64) throws {
        if memory > 0 { try vm.guestTouch(memory) }
        let g = vm.guest
        _ = g.share(g.pages.count(rows: RowSet(.image), columns: .privateBacked), rows: RowSet(.image), from: .privateBacked)
        _ = g.share(g.pages.count(rows: .zero, columns: .privateBacked), rows: .zero, from: .privateBacked)
        vm.host.memory.account()
    }

    private func validate(_ spec: DesktopPoolSpec) throws -> Datastore {
        let who = "desktop_pool \(spec.name.isEmpty ? "(no name)" : spec.name)"
        guard !spec.name.isEmpty else { throw ModelError("desktop_pool: name must not be empty") }
        guard pool(named: spec.name) == nil else { throw ModelError("\(who): a desktop pool named \(spec.name) already exists") }
        let t = spec.template
        guard t.isTemplate else {
            throw ModelError("\(who): template \(t.description) is not a template (power it off and call to_template first)")
        }
        guard !t.disks.isEmpty else { throw ModelError("\(who): template \(t.description) has no disk to clone") }
        guard (1...10_000).contains(spec.count) else {
            throw ModelError("\(who): count \(spec.count) is not allowed (use 1 to 10000 desktops)")
        }
        guard !spec.hosts.isEmpty else { throw ModelError("\(who): hosts must name at least one host (or give a cluster)") }
        let ds = spec.datastore ?? t.disks[0].datastore
        for h in spec.hosts where !h.datastores.contains(where: { $0 === ds }) {
            throw ModelError("\(who): \(h.name) does not mount \(ds.name), where the desktops' disks go (it mounts \(h.datastores.map(\.name).joined(separator: ", ")))")
        }
        guard spec.bootAt >= datacenter.now else {
            throw ModelError("\(who): boot_at \(Units.formatSeconds(spec.bootAt.seconds)) is in the past (it is \(Units.formatSeconds(datacenter.now.seconds)) now)")
        }
        guard spec.stagger.micros >= 0, spec.stagger <= .seconds(Int64(86_400)) else {
            throw ModelError("\(who): stagger \(Units.formatSeconds(spec.stagger.seconds)) is not allowed (use 0 to 24 h)")
        }
        guard !spec.pod.isEmpty else { throw ModelError("\(who): pod must not be empty") }
        try spec.profile.validate(who, memory: t.memory)
        // names, space: nothing is cloned unless every clone can be
        var names = (1...spec.count).map { i -> String in
            let n = String(i), w = String(spec.count).count
            return "\(spec.name)-\(String(repeating: "0", count: max(0, w - n.count)))\(n)"
        }
        if spec.kind != .full { names.append("\(spec.name)-replica") }
        if spec.kind == .instant { names += spec.hosts.indices.map { "\(spec.name)-parent\($0 + 1)" } }
        for n in names {
            if let other = datacenter.vm(named: n) {
                throw ModelError("\(who): its VM \(n) would clash with the VM of that name on \(other.host.name); choose another pool name")
            }
        }
        let copy = t.disks.reduce(Int64(0)) { $0 + ($1.provisioning == .thin ? $1.written : $1.size) }
        let need = copy * Int64(spec.kind == .full ? spec.count : 1)
        guard need <= ds.free else {
            throw ModelError("\(who): \(spec.kind == .full ? "\(spec.count) full clones" : "the replica") need\(spec.kind == .full ? "" : "s") \(Units.formatBytes(need)) on \(ds.name), which has \(Units.formatBytes(ds.free)) free")
        }
        return ds
    }

    // MARK: the clock

    private func wake(at t: SimTime) {
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
            do { try forkIfReady(p) } catch { datacenter.log.record(now, "vdi", p.description, "cannot fork its parents: \(error)") }
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
            datacenter.log.record(datacenter.now, "vdi", vm.description, "\(s.name): \(error)")
        }
    }

    private func setWork(_ p: DesktopPool, _ i: Int, _ phase: DesktopPhase) throws {
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
