/// Standby mode (datacenter-facts §2.6): a host of a cluster is evacuated like a host
/// entering maintenance (priority-1 DRS moves, reason `hostStandby`), then powered off;
/// it takes no VM, no placement and no HA restart until powered on again, which takes
/// the boot time (DPM's `boot`, 5 min by default [M]). DPM does this itself; a lab may
/// too (`h:enter_standby()`, `h:exit_standby()`), as vCenter's "Enter Standby Mode" and
/// "Power On". Powered-off VMs stay registered on a standby host; a DRS cluster places
/// them elsewhere at power-on.
extension Host {
    /// `h:enter_standby()`: evacuates the host and powers it off. Returns what cannot
    /// leave (the host stays "entering-standby" while anything runs on it).
    @discardableResult
    public func enterStandby() throws -> [EvacuationBlocker] { try enterStandby(byDPM: false) }

    @discardableResult
    func enterStandby(byDPM: Bool) throws -> [EvacuationBlocker] {
        let who = "\(description):enter_standby"
        guard let c = clusterMembership else {
            throw ModelError("\(who): \(name) is in no cluster; standby is DPM's, for hosts of a DRS cluster")
        }
        guard !failed else { throw ModelError("\(who): \(name) has failed; recover it first") }
        guard maintenance == .none else {
            throw ModelError("\(who): \(name) is \(maintenance == .in ? "in" : "entering") maintenance mode (maintenance is \"\(maintenance.rawValue)\"); exit it first")
        }
        switch power {
        case .on: break
        case .enteringStandby: throw ModelError("\(who): \(name) is already entering standby (power is \"entering-standby\"; h:exit_standby() cancels)")
        case .standby: throw ModelError("\(who): \(name) is already in standby (power is \"standby\")")
        case .poweringOn: throw ModelError("\(who): \(name) is powering on from standby (power is \"powering-on\"); wait until it is on")
        }
        power = .enteringStandby
        evacuation = Evacuation(.standby, byDPM: byDPM)
        let running = vms.filter { $0.state.holdsResources }.count
        datacenter.log.record(datacenter.now, "host.power", description,
                              "entering standby\(byDPM ? " (DPM)" : ""): \(running) running VM\(running == 1 ? "" : "s") to evacuate")
        c.drs.setEligibility(of: self, reason: "entering standby mode")
        c.hostModes.watch()
        evaluateEvacuation()
        return maintenanceBlockers
    }

    /// The evacuation is done: the host powers off.
    func enterStandbyNow(byDPM: Bool) {
        power = .standby
        clusterMembership?.drs.setEligibility(of: self, reason: "in standby mode")
        datacenter.log.record(datacenter.now, "host.power", description, "in standby: powered off\(byDPM ? " by DPM" : ""), no VM runs on it")
    }

    /// DPM gives up a standby it cannot finish: the host stays on and eligible.
    func cancelStandby(_ why: String) {
        guard power == .enteringStandby else { return }
        power = .on
        evacuation = nil
        clusterMembership?.drs.setEligibility(of: self, reason: nil)
        clusterMembership?.dropEvacuationMoves(from: self)
        datacenter.log.record(datacenter.now, "host.power", description, "standby cancelled, the host stays on: \(why)")
    }

    /// `h:exit_standby()`: powers a standby host on (it is eligible once booted), or
    /// cancels entering standby.
    public func exitStandby() throws {
        let who = "\(description):exit_standby"
        switch power {
        case .on: throw ModelError("\(who): \(name) is not in standby (power is \"on\")")
        case .poweringOn: throw ModelError("\(who): \(name) is already powering on (power is \"powering-on\")")
        case .enteringStandby:
            cancelStandby("h:exit_standby() was called")
            return
        case .standby: break
        }
        guard !failed else { throw ModelError("\(who): \(name) has failed; recover it first") }
        let boot = clusterMembership?.dpm?.settings.boot ?? DPMSettings().boot
        power = .poweringOn
        clusterMembership?.drs.setEligibility(of: self, reason: "powering on from standby")
        datacenter.log.record(datacenter.now, "host.power", description, "powering on from standby: boots in \(DPMSettings.span(boot))")
        let started = datacenter.now
        datacenter.timers.after(boot) { [unowned(unsafe) self] in
            guard self.power == .poweringOn, !self.failed else { return }
            self.power = .on
            self.clusterMembership?.drs.setEligibility(of: self, reason: nil)
            self.datacenter.log.record(self.datacenter.now, "host.power", self.description,
                                       "on: booted out of standby after \(DPMSettings.span((self.datacenter.now - started).seconds)); eligible for VMs again")
        }
    }
}
