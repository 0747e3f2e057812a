import Testing
@testable import HyperModel

/// Maintenance mode beyond the reference's behaviours: every reason a VM stays, the
/// automation levels, cold moves, cancelling, and refusals that change nothing
/// (datacenter-facts §2.5; vSphere 7.0/8.0 GUID-8F705E83, 6.5 GUID-19B8D767).
@Suite("Maintenance mode: evacuation, blockers and refusals")
struct MaintenanceModeTests {
    @Test func enteringTwiceAndExitingWhenNotInAreRefused() throws {
        let w = try MaintenanceWorld()
        let h = w.hosts[0]
        let e1 = #expect(throws: ModelError.self) { try h.exitMaintenance() }
        #expect(e1?.message == "Host(esx01):exit_maintenance: esx01 is not in maintenance mode (maintenance is \"none\"; h:enter_maintenance() enters it)")
        try w.vm("stays", on: h)
        try h.enterMaintenance()
        let events = w.dc.log.total
        let e2 = #expect(throws: ModelError.self) { try h.enterMaintenance() }
        #expect(e2?.message == "Host(esx01):enter_maintenance: esx01 is already entering maintenance mode (maintenance is \"entering\"; wait for it, or cancel with h:exit_maintenance())")
        #expect(w.dc.log.total == events && h.maintenance == .entering)
        try h.vms[0].powerOff()
        let e3 = #expect(throws: ModelError.self) { try h.enterMaintenance() }
        #expect(e3?.message.contains("already in maintenance mode (maintenance is \"in\"") == true)
        let e4 = #expect(throws: ModelError.self) { try h.enterStandby() }
        #expect(e4?.message == "Host(esx01):enter_standby: esx01 is in maintenance mode (maintenance is \"in\"); exit it first")
    }

    /// Manual DRS: the evacuation is shown as priority-1 `hostMaint` recommendations,
    /// made again after every pass until applied; applying them empties the host.
    @Test func manualDRSRecommendsTheEvacuation() throws {
        let w = try MaintenanceWorld()
        let a = try w.vm("a", on: w.hosts[0])
        try w.vm("b", on: w.hosts[0])
        try w.drs { $0.automation = .manual }
        let blockers = try w.hosts[0].enterMaintenance()
        #expect(blockers.map(\.reason) == [.recommended, .recommended])
        #expect(blockers[0].message.hasPrefix("DRS recommends moving it to esx02 (recommendation 1, priority 1, hostMaint)"))
        let drs = w.cluster.drs
        #expect(drs.recommendations.map(\.reason) == [.hostMaint, .hostMaint])
        try w.run(600)
        #expect(drs.passes == 2 && w.moves().isEmpty)
        #expect(drs.recommendations.count == 2 && drs.recommendations.allSatisfy { $0.priority == 1 && $0.from.host === w.hosts[0] })
        for r in drs.recommendations { _ = try drs.apply(r) }
        try w.run(30)
        #expect(a.host === w.hosts[1] && w.hosts[0].maintenance == .in)
    }

    /// Partially automated: migrations are recommended, as in manual mode (§2.1); a VM
    /// whose own level is fully automated moves at once only in a fully automated cluster.
    @Test func vmLevelsDecideWhatMoves() throws {
        let w = try MaintenanceWorld()
        let auto = try w.vm("auto", on: w.hosts[0])
        let manual = try w.vm("manual", on: w.hosts[0])
        let disabled = try w.vm("disabled", on: w.hosts[0])
        try w.drs()
        try w.cluster.drs.setAutomation(.manual, for: manual)
        try w.cluster.drs.setAutomation(.disabled, for: disabled)
        let blockers = try w.hosts[0].enterMaintenance()
        #expect(blockers.map(\.reason) == [.recommended, .drsDisabled])
        #expect(blockers[0].vm.vm === manual && blockers[1].vm.vm === disabled)
        #expect(blockers[1].message == "DRS is disabled for this VM (its automation level is \"disabled\"): migrate it yourself or power it off")
        try w.run(30)
        #expect(auto.host === w.hosts[1] && w.hosts[0].maintenance == .entering)
    }

    /// Pass-through devices and reservations no host can hold stay, named.
    @Test func passthroughAndNoRoomBlock() throws {
        let dc = world()
        let ds = try dc.addDatastore(name: "shared", capacity: 1024 * GiB, kind: .san)
        var spec = HostSpec(name: "esx01", cpus: 4, mhz: 2500, memory: 64 * GiB, datastores: [ds])
        spec.passthroughDevices = 1
        let h1 = try dc.addHost(spec)
        let h2 = try dc.addHost(HostSpec(name: "esx02", cpus: 4, mhz: 2500, memory: 16 * GiB, datastores: [ds]))
        let c = try dc.addCluster(name: "prod", hosts: [h1, h2])
        var gpu = VMSpec(name: "gpu", vcpus: 1, memory: 2 * GiB)
        gpu.devices = [DeviceSpec(kind: .nic, adapter: .passthrough)]
        gpu.mem.reservation = 2 * GiB
        try h1.createVM(gpu).powerOn()
        var big = VMSpec(name: "big", vcpus: 1, memory: 32 * GiB)
        big.mem.reservation = 20 * GiB
        try h1.createVM(big).powerOn()
        try c.enableDRS(DRSSettings())
        let blockers = try h1.enterMaintenance()
        #expect(blockers.map(\.reason) == [.passthrough, .resources])
        #expect(blockers[0].message == "it has a pass-through (DirectPath I/O) device, which vMotion cannot move; power it off")
        #expect(blockers[1].message.hasPrefix("no other host has room for its reservations: esx02: "))
        #expect(blockers[1].message.contains("insufficient memory resources"))
    }

    /// HA failover level (GUID-8F705E83): in a 2-host HA cluster, evacuating the VMs of
    /// one host would leave a cluster that tolerates no failure, so DRS moves none.
    @Test func haFailoverLevelBlocksEvacuation() throws {
        let w = try MaintenanceWorld()
        try w.vm("a", on: w.hosts[0])
        try w.cluster.enableHA(HASettings())
        try w.drs()
        let blockers = try w.hosts[0].enterMaintenance()
        #expect(blockers.map(\.reason) == [.ha])
        #expect(blockers[0].message == "evacuating it would break the HA failover level: with only esx02 left, cluster prod could tolerate 0 host failures, fewer than the 1 HA admission control keeps room for")
        // with three hosts it leaves
        let w3 = try MaintenanceWorld(hosts: 3)
        try w3.vm("a", on: w3.hosts[0])
        try w3.cluster.enableHA(HASettings())
        try w3.drs()
        #expect(try w3.hosts[0].enterMaintenance().isEmpty)
    }

    /// `strict`: a host with a blocked VM is refused, naming each VM and why, and
    /// nothing changes (the contract's "raises naming the VMs that block it").
    @Test func strictIsAllOrNothing() throws {
        let w = try MaintenanceWorld()
        let x = try w.vm("vm-x", on: w.hosts[0])
        try w.vm("other", on: w.hosts[0])
        try w.drs()
        try w.cluster.drs.addRule(DRSRuleSpec(name: "lic", kind: .vmHost, vms: [x], hosts: [w.hosts[0]], must: true))
        let events = w.dc.log.total
        let e = #expect(throws: ModelError.self) { try w.hosts[0].enterMaintenance(strict: true) }
        #expect(e?.message.hasPrefix("Host(esx01):enter_maintenance: 1 VM cannot be evacuated, so esx01 would stay entering maintenance mode: vm-x (rule: a DRS rule would be broken") == true)
        #expect(w.hosts[0].maintenance == .none && w.dc.log.total == events && w.cluster.drs.ineligibility(of: w.hosts[0]) == nil)
        #expect(try w.hosts[1].enterMaintenance(strict: true).isEmpty)
    }

    /// Powered-off and suspended VMs move too when asked (GUID-19B8D767), to the host
    /// with the fewest VMs; without the option they stay registered and do not block.
    @Test func poweredOffAndSuspendedVMsMoveWhenAsked() throws {
        let w = try MaintenanceWorld(hosts: 3)
        let off = try w.hosts[0].createVM(VMSpec(name: "off", vcpus: 1, memory: 2 * GiB))
        let sus = try w.vm("sus", on: w.hosts[0])
        try sus.suspend()
        try w.vm("busy", on: w.hosts[1])
        try w.drs()
        try w.hosts[0].enterMaintenance(movePoweredOff: true)
        #expect(w.hosts[0].maintenance == .in)
        // esx03 has no VM, then one each: off goes to esx03, sus to esx02 (first of the ties)
        #expect(off.host === w.hosts[2] && sus.host === w.hosts[1] && sus.state == .suspended)
        #expect(w.events("maintenance").contains { $0.subject == "VM(sus)" && $0.message == "re-registered on esx02 (suspended), off esx01 for maintenance" })
        try sus.resume()
        #expect(sus.state == .on)
        // without the option a powered-off VM stays registered and blocks nothing
        let w2 = try MaintenanceWorld()
        let kept = try w2.hosts[0].createVM(VMSpec(name: "kept", vcpus: 1, memory: 2 * GiB))
        try w2.hosts[0].enterMaintenance()
        #expect(w2.hosts[0].maintenance == .in && kept.host === w2.hosts[0])
    }

    /// Exiting while entering cancels: moves waiting for a vMotion slot are dropped,
    /// running ones finish; the host is eligible again. 20 VMs leave through 8 slots,
    /// with no cap on moves (behaviour 52's evacuation clause).
    @Test func evacuationUsesSlotsAndCanBeCancelled() throws {
        let w = try MaintenanceWorld()
        let vms = try (1...20).map { try w.vm("v\($0)", on: w.hosts[0], vcpus: 1, memory: 2 * GiB) }
        try w.drs()
        try w.hosts[0].enterMaintenance()
        let drs = w.cluster.drs
        #expect(drs.movesInFlight == 20)
        #expect(w.moves().count == 8)
        try w.hosts[0].exitMaintenance()
        #expect(drs.movesInFlight == 8)
        #expect(drs.ineligibility(of: w.hosts[0]) == nil && w.hosts[0].maintenance == .none)
        try w.run(30)
        #expect(vms.filter { $0.host === w.hosts[1] }.count == 8)
        try w.hosts[0].enterMaintenance()
        try w.run(120)
        #expect(vms.allSatisfy { $0.host === w.hosts[1] })
        #expect(w.hosts[0].maintenance == .in)
    }

    /// HA restarts only on hosts that are live and not in maintenance mode or standby.
    @Test func haSkipsHostsInMaintenanceOrStandby() throws {
        let w = try MaintenanceWorld(hosts: 3)
        let v = try w.vm("v", on: w.hosts[0])
        try w.cluster.enableHA(HASettings())
        try w.drs()
        try w.hosts[1].enterMaintenance()
        try w.hosts[0].fail()
        try w.run(120)
        #expect(v.state == .on && v.host === w.hosts[2])
        // again with the last host in standby: nowhere to go
        let w2 = try MaintenanceWorld(hosts: 3)
        let v2 = try w2.vm("v", on: w2.hosts[0])
        try w2.cluster.enableHA(HASettings { $0.admission = .none })
        try w2.drs()
        try w2.hosts[1].enterMaintenance()
        try w2.hosts[2].enterStandby()
        #expect(w2.hosts[2].power == .standby)
        try w2.hosts[0].fail()
        try w2.run(120)
        #expect(v2.state == .off)
        #expect(w2.events("ha.failover_failed").last?.message == "could not be restarted: no surviving host of prod admits it")
    }
    /// The evacuation is planned move by move: VM-VM rules see where partners go, and
    /// reservations count on the hosts they are going to (two 10 GiB reservations do not
    /// both go to the emptiest 16 GiB host).
    @Test func evacuationPlansRulesAndReservations() throws {
        let w = try MaintenanceWorld(hosts: 4)
        let a = try w.vm("a", on: w.hosts[0])
        let b = try w.vm("b", on: w.hosts[1])
        let c = try w.vm("c", on: w.hosts[0])
        let d = try w.vm("d", on: w.hosts[0])
        try w.drs()
        let drs = w.cluster.drs
        try drs.addRule(DRSRuleSpec(name: "apart", kind: .vmAntiAffinity, vms: [a, b]))
        try drs.addRule(DRSRuleSpec(name: "together", kind: .vmAffinity, vms: [c, d]))
        #expect(try w.hosts[0].enterMaintenance().isEmpty)
        try w.run(30)
        #expect(a.host !== w.hosts[1] && a.host !== w.hosts[0])
        #expect(c.host === d.host && c.host !== w.hosts[0])
        #expect(w.hosts[0].maintenance == .in)

        let dc = world()
        let ds = try dc.addDatastore(name: "shared", capacity: 1024 * GiB, kind: .san)
        let big = try dc.addHost(HostSpec(name: "big", cpus: 4, mhz: 2500, memory: 64 * GiB, datastores: [ds]))
        let s1 = try dc.addHost(HostSpec(name: "s1", cpus: 4, mhz: 2500, memory: 16 * GiB, datastores: [ds]))
        let s2 = try dc.addHost(HostSpec(name: "s2", cpus: 4, mhz: 2500, memory: 16 * GiB, datastores: [ds]))
        let cl = try dc.addCluster(name: "c", hosts: [big, s1, s2])
        var spec = VMSpec(name: "r1", vcpus: 1, memory: 12 * GiB)
        spec.mem.reservation = 10 * GiB
        let r1 = try big.createVM(spec)
        spec.name = "r2"
        let r2 = try big.createVM(spec)
        try r1.powerOn()
        try r2.powerOn()
        try cl.enableDRS(DRSSettings())
        #expect(try big.enterMaintenance().isEmpty)
        try dc.run(for: .seconds(Int64(60)))
        #expect(r1.host !== r2.host && r1.host !== big && r2.host !== big)
        #expect(big.maintenance == .in)
    }
    /// Turning DRS on while a host is entering maintenance evacuates it at the next sample.
    @Test func drsSwitchedOnLaterEvacuates() throws {
        let w = try MaintenanceWorld()
        let v = try w.vm("v", on: w.hosts[0])
        #expect(try w.hosts[0].enterMaintenance().map(\.reason) == [.drsOff])
        try w.run(60)
        try w.drs()
        try w.run(20)
        #expect(w.moves().count == 1 && w.hosts[0].maintenanceBlockers.isEmpty)
        try w.run(30)
        #expect(v.host === w.hosts[1] && w.hosts[0].maintenance == .in)
    }
}

extension HASettings {
    init(_ change: (inout HASettings) -> Void) {
        self.init()
        change(&self)
    }
}
