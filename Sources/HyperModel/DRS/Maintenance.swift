/// Maintenance mode (datacenter-facts §2.5, vSphere 7.0/8.0 Resource Mgmt GUID-8F705E83).
///
/// Entered only on request. The host is "entering" while a VM runs on it: DRS evacuates
/// the running VMs by vMotion as priority-1 moves (reason `hostMaint`, never capped by
/// MaxMovesPerHost, within the vMotion slots per host), executed in fully automated mode
/// and recommended otherwise; nothing may power on or migrate to the host meanwhile. What
/// cannot leave stays, with the reason vCenter's `NoMaintenanceModeDrsRecommendationForVM`
/// event gives (a rule, a pass-through device, no room for its reservations, DRS
/// disabled for the VM, the HA failover level…), in `maintenanceBlockers`, and the host
/// stays "entering" (behaviour 53), as vCenter's task waits. Once no VM runs on it the host
/// is "in" maintenance mode: no VM can power on there until it exits.
public enum MaintenanceState: String, CaseIterable, Sendable {
    case none, entering
    case `in`
}

/// A host's power as DPM sees it (§2.6): on, being evacuated before standby, in standby
/// (powered off, woken by IPMI/iLO/WoL), or booting out of standby.
public enum HostPower: String, CaseIterable, Sendable {
    case on
    case enteringStandby = "entering-standby"
    case standby
    case poweringOn = "powering-on"
}

/// Why a VM still runs on a host being evacuated: the reasons of vSphere's
/// `NoMaintenanceModeDrsRecommendationForVM`, and what the lab must do about the others.
public struct EvacuationBlocker: Sendable, Equatable {
    public enum Reason: String, CaseIterable, Sendable {
        /// A DRS rule would be broken: a required VM-host rule, or a VM-VM rule.
        case rule
        /// A pass-through (DirectPath I/O) device: vMotion cannot move it.
        case passthrough
        /// No other host has room for its reservations.
        case resources
        /// No compatible host: none mounts its datastores, has its vCPUs, or is eligible.
        case incompatible
        /// Its DRS automation level is disabled.
        case drsDisabled = "drs-disabled"
        /// Moving it would leave fewer host failures tolerated than HA is configured for.
        case ha
        /// DRS is off (or the host is in no cluster): migrate or power it off yourself.
        case drsOff = "drs-off"
        /// DRS recommends the move (manual or partially automated): apply it.
        case recommended
        /// Paused (a question waits for an answer): vMotion moves running VMs.
        case paused
    }

    public let vm: VMRef
    public let reason: Reason
    public let message: String

    public struct VMRef: @unchecked Sendable, Equatable {
        public unowned(unsafe) let vm: VM
        public static func == (a: VMRef, b: VMRef) -> Bool { a.vm === b.vm }
    }
}

/// A host being evacuated, for maintenance or for standby.
final class Evacuation {
    enum Purpose { case maintenance, standby }
    let purpose: Purpose
    /// Powered-off and suspended VMs are re-registered on other hosts too.
    let movePoweredOff: Bool
    /// DPM chose it (DPM cancels a standby it cannot finish).
    let byDPM: Bool
    var blockers: [EvacuationBlocker] = []

    init(_ purpose: Purpose, movePoweredOff: Bool = false, byDPM: Bool = false) {
        self.purpose = purpose
        self.movePoweredOff = movePoweredOff
        self.byDPM = byDPM
    }

    var reason: DRSReason { purpose == .maintenance ? .hostMaint : .hostStandby }
}

extension Host {
    /// Why nothing may power on or migrate to this host now, nil when it may (admission
    /// control refuses with "host esx01 is …").
    var unavailability: String? {
        switch maintenance {
        case .entering: return "entering maintenance mode (no VM may power on or migrate to it; h:exit_maintenance() cancels)"
        case .in: return "in maintenance mode (no VM may power on or migrate to it until h:exit_maintenance())"
        case .none: break
        }
        switch power {
        case .on: return nil
        case .enteringStandby: return "entering standby mode (DPM is evacuating it; no VM may power on or migrate to it)"
        case .standby: return "in standby mode (powered off by DPM; h:exit_standby() powers it on)"
        case .poweringOn: return "powering on from standby (no VM may power on or migrate to it until it has booted)"
        }
    }

    /// Why each VM that still runs here could not be evacuated (maintenance or standby),
    /// as the last evaluation found; empty when nothing blocks.
    public var maintenanceBlockers: [EvacuationBlocker] { evacuation?.blockers ?? [] }

    /// `h:enter_maintenance{...}`: the host enters maintenance mode, evacuating its running
    /// VMs (and, with `movePoweredOff`, re-registering its powered-off and suspended ones
    /// elsewhere). Returns what cannot leave; the host stays "entering" while anything
    /// runs on it. With `strict`, a host with a blocked VM is refused instead, naming each
    /// VM and why, and nothing changes (all or nothing).
    @discardableResult
    public func enterMaintenance(movePoweredOff: Bool = false, strict: Bool = false) throws -> [EvacuationBlocker] {
        let who = "\(description):enter_maintenance"
        switch maintenance {
        case .entering: throw ModelError("\(who): \(name) is already entering maintenance mode (maintenance is \"entering\"; wait for it, or cancel with h:exit_maintenance())")
        case .in: throw ModelError("\(who): \(name) is already in maintenance mode (maintenance is \"in\"; h:exit_maintenance() leaves it)")
        case .none: break
        }
        guard !failed else { throw ModelError("\(who): \(name) has failed; recover it first") }
        guard power == .on else {
            throw ModelError("\(who): \(name) is \(power.rawValue) (power is \"\(power.rawValue)\"); a host enters maintenance mode from power \"on\" (h:exit_standby() first)")
        }
        if strict {
            var trial = Evacuator(self, Evacuation(.maintenance, movePoweredOff: movePoweredOff))
            let dry = trial.blockers(dryRun: true)
            if !dry.isEmpty {
                throw ModelError("\(who): \(dry.count) VM\(dry.count == 1 ? "" : "s") cannot be evacuated, so \(name) would stay entering maintenance mode: " + dry.map { "\($0.vm.vm.name) (\($0.reason.rawValue): \($0.message))" }.joined(separator: "; "))
            }
        }
        maintenance = .entering
        evacuation = Evacuation(.maintenance, movePoweredOff: movePoweredOff)
        let running = vms.filter { $0.state.holdsResources }.count
        datacenter.log.record(datacenter.now, "maintenance", description,
                              "entering maintenance mode: \(running) running VM\(running == 1 ? "" : "s") to evacuate\(movePoweredOff ? ", powered-off and suspended VMs moved too" : ""); no VM may power on or migrate to it")
        clusterMembership?.drs.setEligibility(of: self, reason: "entering maintenance mode")
        clusterMembership?.hostModes.watch()
        evaluateEvacuation()
        return maintenanceBlockers
    }

    /// `h:exit_maintenance()`: leaves maintenance mode, or cancels entering it (vMotions
    /// already running finish; moves still waiting for a slot are dropped).
    public func exitMaintenance() throws {
        let who = "\(description):exit_maintenance"
        guard maintenance != .none else {
            throw ModelError("\(who): \(name) is not in maintenance mode (maintenance is \"none\"; h:enter_maintenance() enters it)")
        }
        let was = maintenance
        maintenance = .none
        evacuation = nil
        clusterMembership?.drs.setEligibility(of: self, reason: nil)
        clusterMembership?.dropEvacuationMoves(from: self)
        datacenter.log.record(datacenter.now, "maintenance", description,
                              was == .in ? "exited maintenance mode: eligible for VMs again" : "entering maintenance mode cancelled: eligible for VMs again")
    }

    /// Re-evaluates the evacuation: VMs that can leave are moved (or recommended), the
    /// others are listed with why; then the host settles if nothing runs on it.
    func evaluateEvacuation() {
        guard let e = evacuation else { return }
        var evacuator = Evacuator(self, e)
        let found = evacuator.blockers(dryRun: false)
        for b in found where !e.blockers.contains(where: { $0.vm == b.vm && $0.reason == b.reason }) {
            datacenter.log.record(datacenter.now, "maintenance", b.vm.vm.description,
                                  "not evacuated from \(name) (\(b.reason.rawValue)): \(b.message)")
        }
        e.blockers = found
        settleEvacuation()
    }

    /// A VM stopped running here or left: a host being evacuated may be empty now.
    func vmLeft() {
        if evacuation != nil { settleEvacuation() }
    }

    /// Finishes the evacuation when no VM runs on the host and none is migrating to it:
    /// maintenance mode is reached, or the host goes to standby.
    func settleEvacuation() {
        guard let e = evacuation else { return }
        guard !vms.contains(where: { $0.state.holdsResources }) else { return }
        if let c = clusterMembership, c.hosts.contains(where: { $0.vms.contains { $0.migration.map { !$0.done && $0.destination === self } ?? false } }) {
            return
        }
        evacuation = nil
        switch e.purpose {
        case .maintenance:
            maintenance = .in
            datacenter.log.record(datacenter.now, "maintenance", description, "in maintenance mode: no VM runs on it")
        case .standby:
            enterStandbyNow(byDPM: e.byDPM)
        }
    }
}

extension Cluster {
    /// Drops evacuation moves from `h` that wait for a vMotion slot, and its recommendations.
    func dropEvacuationMoves(from h: Host) {
        guard let drs = drsIfAny else { return }
        drs.flight.waiting.removeAll { $0.from === h && ($0.reason == .hostMaint || $0.reason == .hostStandby) }
        drs.recommendations.removeAll { $0.from.host === h && ($0.reason == .hostMaint || $0.reason == .hostStandby) }
    }
}
