/// Host failures, HA restarts and Fault Tolerance (model-facts §4.3–4.4, behaviour 36).
extension Host {
    public var cluster: Cluster? { datacenter.clusters.first { $0.hosts.contains { $0 === self } } }

    /// The host fails: every VM on it stops at once and loses its memory. FT VMs continue
    /// on their secondary; in an HA cluster the others restart on surviving hosts after
    /// the failure is detected and they boot.
    public func fail() throws {
        guard !failed else { throw ModelError("fail: \(description) has already failed") }
        failed = true
        datacenter.log.record(datacenter.now, "host.fail", description, "failed: \(vms.filter { $0.state.holdsResources }.count) VM(s) stop")
        let running = vms.filter { $0.state.holdsResources }
        stopWorkloads()  // the host's own processes die with it
        var lost: [VM] = []
        for vm in running {
            if let sec = vm.ftSecondary, !sec.failed {
                vm.ftFailover(to: sec)
            } else {
                vm.crash()
                lost.append(vm)
            }
        }
        // FT secondaries that lived here are gone: make new ones
        for vm in ftSecondaries {
            ftSecondaries.removeAll { $0 === vm }
            memory.releaseForSecondary(vm)
            vm.ftSecondary = nil
            datacenter.log.record(datacenter.now, "ft", vm.description, "its secondary on \(name) is lost")
            vm.placeNewSecondary()
        }
        guard let c = cluster, let ha = c.ha else {
            for vm in lost { datacenter.log.record(datacenter.now, "ha", vm.description, "stays down: \(cluster == nil ? "its host is in no cluster" : "HA is off in \(cluster!.name)")") }
            return
        }
        for vm in lost where vm.hasPassthrough {
            datacenter.log.record(datacenter.now, "ha", vm.description, "stays down: a VM with a pass-through device is not protected by HA")
        }
        let restart = lost.filter { !$0.hasPassthrough }
        guard !restart.isEmpty else { return }
        datacenter.timers.after(ha.detection) { [unowned(unsafe) self] in
            self.datacenter.log.record(self.datacenter.now, "ha.failover", c.description,
                                       "\(self.name) declared failed (no heartbeats for \(Units.trim(ha.detection)) s): restarting \(restart.count) VM(s)")
            self.datacenter.timers.after(ha.boot) { c.restart(restart) }
        }
    }

    /// The host is back, empty.
    public func recover() throws {
        guard failed else { throw ModelError("recover: \(description) has not failed") }
        failed = false
        datacenter.log.record(datacenter.now, "host.recover", description, "back online")
        if hypervisor == .type2 { try? run(CPUWorkload(threads: 1, load: 0.2)) }  // its OS boots again
    }
}

extension Cluster {
    /// HA restarts: each VM on the live host with the most unreserved memory that admits it.
    func restart(_ vms: [VM]) {
        let dc = hosts[0].datacenter
        var restarted = 0
        defer { dc.log.record(dc.now, "ha.failover_done", description, "failover done: \(restarted) of \(vms.count) VM(s) restarted") }
        for vm in vms where vm.state == .off && vm.host.failed {
            let (candidates, why) = restartTargets(for: vm)
            guard let target = candidates.max(by: { $0.memory.unreserved < $1.memory.unreserved }) else {
                dc.log.record(dc.now, "ha.failover_failed", vm.description, "could not be restarted: \(why)")
                continue
            }
            vm.move(to: target)
            do {
                try vm.powerOnForHA()
                let down = vm.lostAt.map { (dc.now - $0).seconds } ?? 0
                restarted += 1
                dc.log.record(dc.now, "ha.restart", vm.description, "restarted on \(target.name) after \(Units.formatSeconds(down)) down; its memory state was lost")
            } catch {
                dc.log.record(dc.now, "ha.failover_failed", vm.description, "could not be restarted on \(target.name): \(error)")
            }
        }
    }
}

extension VM {
    /// Stops with its host: memory and CPU state are lost.
    func crash() {
        guestKernel?.guestGoingDown(code: nil, reason: "\(host.name) failed")
        for w in workloads where w.isRunning { w.stopped = now }
        if state == .on { stopRunning() }
        host.memory.deleteSwapFile(of: self)
        host.memory.detach(self, keepGuest: false)
        state = .off
        question = nil
        lostAt = now
        datacenter.log.record(now, "vm.power", description, "down: \(host.name) failed")
    }

    /// Re-registers a powered-off VM on another host (HA restart).
    func move(to target: Host) {
        let old = host
        host.vms.removeAll { $0 === self }
        host = target
        host.vms.append(self)
        followHostIntoPoolTree()
        old.vmLeft()
    }

    // MARK: Fault Tolerance

    /// Turns FT on: a secondary in lockstep on another host of the HA cluster.
    public func enableFT(secondary: Host? = nil, legacy: Bool = false) throws {
        let who = "enable_ft: \(description)"
        guard ftSecondary == nil else { throw ModelError("\(who) already has FT on (secondary on \(ftSecondary!.name))") }
        guard state == .on else { throw ModelError("\(who) is \(state.rawValue); turn FT on for a running VM") }
        try refusePassthroughDevices("FT")
        guard let c = host.cluster, c.ha != nil else { throw ModelError("\(who): FT needs its host in a cluster with HA on") }
        if legacy {
            guard vcpus == 1 else { throw ModelError("\(who): legacy FT (vLockstep) supports 1 vCPU; it has \(vcpus) (use SMP-FT: legacy = false)") }
            if let d = disks.first(where: { $0.provisioning != .thickEager }) {
                throw ModelError("\(who): legacy FT needs eager-zeroed thick disks; \(d.name).vmdk is \(d.provisioning.rawValue) (inflate or convert it)")
            }
        } else {
            guard vcpus <= 4 else { throw ModelError("\(who): SMP-FT supports up to 4 vCPUs; it has \(vcpus)") }
            guard memory <= 64 * Units.GiB else { throw ModelError("\(who): SMP-FT supports up to 64 GB; it has \(Units.formatBytes(memory))") }
        }
        let target: Host
        if let s = secondary {
            guard c.hosts.contains(where: { $0 === s }), s !== host, !s.failed else {
                throw ModelError("\(who): the secondary must run on another live host of \(c.name)")
            }
            guard s.memory.unreserved >= memory + overheadReservation else {
                throw ModelError("\(who): \(s.name) has \(Units.formatBytes(s.memory.unreserved)) unreserved; the secondary needs \(Units.formatBytes(memory + overheadReservation))")
            }
            // the secondary runs the same guest: it needs every CPU feature the guest uses
            if let why = cpuRefusal(on: s) { throw ModelError("\(who): the secondary cannot run on \(s.name): \(why)") }
            target = s
        } else {
            guard let s = secondaryCandidate() else { throw ModelError("\(who): no other host of \(c.name) has room for the secondary (and the CPU features its guest uses)") }
            target = s
        }
        ftLegacy = legacy
        placeSecondary(on: target)
    }

    public func disableFT() throws {
        guard let s = ftSecondary else { throw ModelError("disable_ft: \(description) has FT off") }
        s.ftSecondaries.removeAll { $0 === self }
        s.memory.releaseForSecondary(self)
        ftSecondary = nil
        datacenter.log.record(now, "ft", description, "FT off: the secondary on \(s.name) is removed")
    }

    private func secondaryCandidate() -> Host? {
        host.cluster?.liveHosts.filter { $0 !== host && $0.memory.unreserved >= memory + overheadReservation && cpuRefusal(on: $0) == nil }
            .max { $0.memory.unreserved < $1.memory.unreserved }
    }

    private func placeSecondary(on s: Host) {
        s.memory.reserveForSecondary(self)
        s.ftSecondaries.append(self)
        ftSecondary = s
        datacenter.log.record(now, "ft", description, "\(ftLegacy ? "legacy FT (vLockstep)" : "SMP-FT") on: secondary on \(s.name), its memory reserved there")
    }

    func placeNewSecondary() {
        if let s = secondaryCandidate() { placeSecondary(on: s) } else {
            datacenter.log.record(now, "ft", description, "no host has room for a new secondary: not protected")
        }
    }

    /// The primary's host failed: the secondary takes over at once, with the guest's
    /// state, and a new secondary is made on a third host.
    func ftFailover(to s: Host) {
        s.ftSecondaries.removeAll { $0 === self }
        s.memory.releaseForSecondary(self)
        ftSecondary = nil
        releaseCPU()
        host.memory.deleteSwapFile(of: self)
        host.memory.detach(self, keepGuest: true)
        move(to: s)
        host.cpu.attach(self, at: now)
        host.memory.attach(self, resuming: true)
        host.memory.createSwapFile(for: self)
        for w in workloads.compactMap({ $0 as? MemoryWorkload }) where w.isAllocating { host.memory.start(w) }
        host.cpu.refreshWorkloads(of: self, at: now)
        datacenter.log.record(now, "ft", description, "the secondary on \(s.name) took over: no downtime, no state lost")
        placeNewSecondary()
    }
}

extension HostMemory {
    func reserveForSecondary(_ vm: VM) { reserved += vm.memory + vm.overheadReservation }
    func releaseForSecondary(_ vm: VM) { reserved -= vm.memory + vm.overheadReservation }
}

/// One-off actions at later simulated times (HA detection and restarts).
final class Timers: SimProcess {
    unowned(unsafe) let datacenter: Datacenter
    private var id: Int32 = -1
    private var actions: [() -> Void] = []

    init(datacenter: Datacenter) { self.datacenter = datacenter }

    func after(_ seconds: Double, _ action: @escaping () -> Void) {
        if id < 0 { id = datacenter.sim.register(self) }
        actions.append(action)
        datacenter.sim.schedule(id, at: datacenter.now + .seconds(seconds), token: Int64(actions.count - 1))
    }

    func fire(token: Int64, sim: Simulation) { actions[Int(token)]() }
}
