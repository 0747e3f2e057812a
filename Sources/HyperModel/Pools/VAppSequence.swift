/// A vApp's start and stop sequences (VApp.swift): groups in order on the way up, in
/// reverse on the way down, each step at its simulated time through the datacenter's
/// timers. Group 1 starts inside `powerOn`, so a refusal there raises, with the members
/// it had started powered off again (nothing half-applied); a later group's refusal is an
/// event and ends the sequence, as vCenter's task fails with what already runs left on.
extension VApp {
    /// `app:power_on()`.
    public func powerOn() throws {
        let who = "\(description):power_on"
        try pool.requireUsable(who)
        guard state == .stopped else {
            throw ModelError("\(who): the vApp is \(state.rawValue); it powers on from \"stopped\"\(state == .stopping ? " (wait until it has stopped)" : "")")
        }
        let groups = self.groups
        guard let first = groups.first else {
            throw ModelError("\(who): the vApp has no VMs (create them with pool = the vApp, or app:add(vm, {...}))")
        }
        sequence += 1
        state = .starting
        datacenter.log.record(datacenter.now, "vapp", description, "start sequence: groups \(groups.map(String.init).joined(separator: ", ")), \(pool.vms.count) VM\(pool.vms.count == 1 ? "" : "s")")
        do {
            try startGroup(first, rollback: true)
        } catch {
            state = .stopped
            datacenter.log.record(datacenter.now, "vapp", description, "start sequence stopped at group \(first): nothing left started")
            throw error
        }
    }

    /// Starts every member of `group`, then waits for them before the next group.
    private func startGroup(_ group: Int, rollback: Bool) throws {
        let dc = datacenter
        let members = order.filter { $0.member.group == group }
        var started: [(vm: VM, wasSuspended: Bool)] = []
        var waits: [(VM, VAppMember)] = []
        for (vm, m) in members {
            guard m.powerOn else {
                dc.log.record(dc.now, "vapp.start", vm.description, "\(description) group \(group): start action none, not powered on")
                continue
            }
            if vm.state == .on || vm.state == .paused {
                dc.log.record(dc.now, "vapp.start", vm.description, "\(description) group \(group): already \(vm.state.rawValue)")
                continue
            }
            let wasSuspended = vm.state == .suspended
            do {
                if wasSuspended { try vm.resume() } else { try vm.powerOn() }
            } catch let e as ModelError {
                if rollback {
                    // back to how they were: powered off, or suspended again
                    for (v, suspended) in started.reversed() where v.state == .on {
                        if suspended, (try? v.suspend()) != nil { continue }
                        try? v.powerOff()
                    }
                    throw ModelError("\(description):power_on: group \(group), \(vm.name): \(e.message)")
                }
                dc.log.record(dc.now, "vapp.start", vm.description, "\(description) group \(group): could not start: \(e.message)")
                endStart(failedAt: group)
                return
            }
            started.append((vm, wasSuspended))
            waits.append((vm, m))
            let until = !groups.contains(where: { $0 > group }) ? "the last group"
                : m.waitForTools
                ? "the next group waits for VMware Tools (\(vm.state == .on ? "in \(Units.formatSeconds(max(0, (vm.toolsReadyAt - dc.now).seconds)))" : "not running")), at most \(Units.formatSeconds(m.startDelay))"
                : "the next group waits \(Units.formatSeconds(m.startDelay))"
            dc.log.record(dc.now, "vapp.start", vm.description,
                          "\(description) group \(group): \(vm.state == .on ? "powered on on \(vm.host.name)" : "power-on requested (\(vm.state.rawValue))"); \(until)")
        }
        guard let next = groups.first(where: { $0 > group }) else {
            endStart(failedAt: nil)
            return
        }
        continueWhenReady(group, next, waits, since: dc.now, sequence: sequence)
    }

    /// Starts `next` once every member of `group` is ready: its delay has passed, or it
    /// waits for Tools and they run. Checked again when the earliest possible time comes
    /// (a guest that went down meanwhile is waited for until its delay).
    private func continueWhenReady(_ group: Int, _ next: Int, _ waits: [(VM, VAppMember)], since: SimTime, sequence seq: Int) {
        let dc = datacenter
        guard seq == sequence else { return }
        var latest = dc.now
        var why: [String] = []
        for (vm, m) in waits {
            let deadline = since + .seconds(m.startDelay)
            if m.waitForTools && vm.toolsReady {
                why.append("\(vm.name): VMware Tools running")
                continue
            }
            if deadline <= dc.now {
                why.append("\(vm.name): \(Units.formatSeconds(m.startDelay)) passed")
                continue
            }
            let ready = m.waitForTools && vm.state == .on && vm.tools ? min(vm.toolsReadyAt, deadline) : deadline
            latest = max(latest, ready)
        }
        if latest > dc.now {
            dc.timers.after((latest - dc.now).seconds) { [unowned(unsafe) self] in
                self.continueWhenReady(group, next, waits, since: since, sequence: seq)
            }
            return
        }
        dc.log.record(dc.now, "vapp", description, "group \(group) done after \(Units.formatSeconds((dc.now - since).seconds))\(why.isEmpty ? "" : " (\(why.joined(separator: "; ")))"): group \(next) starts")
        try? startGroup(next, rollback: false)
    }

    private func endStart(failedAt group: Int?) {
        let dc = datacenter
        let running = pool.vms.filter { $0.state.holdsResources }.count
        if let group {
            state = running > 0 ? .started : .stopped
            dc.log.record(dc.now, "vapp", description, "start sequence stopped at group \(group): \(running) VM\(running == 1 ? "" : "s") running; the vApp is \(state.rawValue)")
        } else {
            state = .started
            dc.log.record(dc.now, "vapp", description, "started: \(running) VM\(running == 1 ? "" : "s") running")
        }
    }

    /// `app:power_off()`: stops the members in reverse start order; stopping a vApp that
    /// is still starting ends its start sequence first.
    public func powerOff() throws {
        let who = "\(description):power_off"
        try pool.requireUsable(who)
        guard state == .started || state == .starting else {
            throw ModelError("\(who): the vApp is \(state.rawValue); it powers off from \"started\" or \"starting\"")
        }
        sequence += 1
        stopSequenceDone = false
        if state == .starting { datacenter.log.record(datacenter.now, "vapp", description, "start sequence stopped by power-off") }
        state = .stopping
        let groups = self.groups
        datacenter.log.record(datacenter.now, "vapp", description, "stop sequence: groups \(groups.reversed().map(String.init).joined(separator: ", "))")
        stopGroups(groups.reversed(), sequence: sequence)
    }

    /// Stops the first of `groups`, then the rest once its guest shutdowns are done or
    /// their delays have passed.
    private func stopGroups(_ groups: [Int], sequence seq: Int) {
        let dc = datacenter
        guard seq == sequence else { return }
        guard let group = groups.first else {
            stopSequenceDone = true
            finishStop()
            return
        }
        var wait = 0.0
        for (vm, m) in order where m.group == group {
            if !vm.state.holdsResources {
                dc.log.record(dc.now, "vapp.stop", vm.description, "\(description) group \(group): already \(vm.state.rawValue)")
                continue
            }
            switch m.stopAction {
            case .none:
                dc.log.record(dc.now, "vapp.stop", vm.description, "\(description) group \(group): stop action none, left running")
            case .powerOff:
                try? vm.powerOff()
                dc.log.record(dc.now, "vapp.stop", vm.description, "\(description) group \(group): powered off")
            case .suspend:
                if vm.state == .on, (try? vm.suspend()) != nil {
                    dc.log.record(dc.now, "vapp.stop", vm.description, "\(description) group \(group): suspended")
                } else {
                    try? vm.powerOff()
                    dc.log.record(dc.now, "vapp.stop", vm.description, "\(description) group \(group): could not be suspended (\(vm.hasPassthrough ? "a pass-through device" : "paused")), powered off")
                }
            case .guestShutdown:
                guard vm.toolsReady else {
                    try? vm.powerOff()
                    dc.log.record(dc.now, "vapp.stop", vm.description, "\(description) group \(group): VMware Tools not running yet, so no guest shutdown: powered off")
                    continue
                }
                let t = vm.spec.shutdownSeconds
                shuttingDown.append(vm)
                dc.timers.after(t) { [unowned(unsafe) self, unowned(unsafe) vm] in self.guestShutdownDone(vm) }
                wait = max(wait, min(t, m.stopDelay))
                dc.log.record(dc.now, "vapp.stop", vm.description, "\(description) group \(group): guest shutdown (\(Units.formatSeconds(t))); the next group waits at most \(Units.formatSeconds(m.stopDelay))")
            }
        }
        let rest = Array(groups.dropFirst())
        if wait > 0 {
            dc.timers.after(wait) { [unowned(unsafe) self] in self.stopGroups(rest, sequence: seq) }
        } else {
            stopGroups(rest, sequence: seq)
        }
    }

    private func guestShutdownDone(_ vm: VM) {
        guard let i = shuttingDown.firstIndex(where: { $0 === vm }) else { return }
        shuttingDown.remove(at: i)
        if vm.state.holdsResources {
            try? vm.powerOff()
            datacenter.log.record(datacenter.now, "vapp.stop", vm.description, "\(description): the guest has shut down")
        }
        if state == .stopping { finishStop() }
    }

    /// The vApp is stopped once every group was stopped and no guest is still shutting down.
    private func finishStop() {
        guard shuttingDown.isEmpty, state == .stopping, stopSequenceDone else { return }
        state = .stopped
        datacenter.log.record(datacenter.now, "vapp", description, "stopped")
    }
}
