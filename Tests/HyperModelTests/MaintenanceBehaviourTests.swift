import Testing
@testable import HyperModel

@Suite("Maintenance mode and HA with rules: behaviours 50, 53, 55 of datacenter-facts §7")
struct MaintenanceBehaviourTests {
    /// Scenario 48: two 10 GHz hosts at loads 0.8 and 0.2 (a 3 GHz VM and two 2.5 GHz VMs
    /// on esx01, a 2 GHz VM on esx02).
    func scenario48(_ w: MaintenanceWorld) throws -> [VM] {
        [try w.vm("big", on: w.hosts[0], demand: 3000), try w.vm("a2", on: w.hosts[0], demand: 2500),
         try w.vm("a3", on: w.hosts[0], demand: 2500), try w.vm("b1", on: w.hosts[1], demand: 2000)]
    }

    /// Behaviour 50: threshold 1 (Conservative) applies mandatory moves only, so scenario
    /// 48 (LIM 0.30) gives no load-balancing move; entering maintenance on esx01 still
    /// evacuates every VM, as priority-1 `hostMaint` moves (datacenter-facts §2.2, vSphere
    /// 6.7 Resource Mgmt page 73; mindthevirt.com "vSphere DRS migration thresholds").
    @Test func behaviour50ConservativeThresholdStillEvacuates() throws {
        let w = try MaintenanceWorld()
        let vms = try scenario48(w)
        try w.drs { $0.threshold = 1 }
        let drs = w.cluster.drs
        #expect(abs(drs.cpuImbalance - 0.30) < 1e-9)
        #expect(drs.targetImbalance == .infinity)
        drs.runPass()
        #expect(w.moves().isEmpty && drs.recommendations.isEmpty)
        let blockers = try w.hosts[0].enterMaintenance()
        #expect(blockers.isEmpty)
        #expect(w.hosts[0].maintenance == .entering)
        let moves = w.moves()
        #expect(moves.count == 3)
        #expect(moves.allSatisfy { $0.message.hasPrefix("priority 1, hostMaint: esx01 → esx02") })
        try w.run(60)
        #expect(w.hosts[0].maintenance == .in)
        #expect(vms.allSatisfy { $0.host === w.hosts[1] && $0.state == .on })
        #expect(w.events("maintenance").last?.message == "in maintenance mode: no VM runs on it")
    }

    /// Behaviour 53, the must rule: VM-X must run on host group {esx01}; entering
    /// maintenance on esx01 moves the other VMs and leaves esx01 "entering" with VM-X
    /// running and named, with the rule, as why (no recommendation for it), pass after
    /// pass (datacenter-facts §2.4–2.5; vSphere 8 Resource Mgmt GUID-793013E2, GUID-8F705E83;
    /// NoMaintenanceModeDrsRecommendationForVM).
    @Test func behaviour53MustRuleBlocksEvacuation() throws {
        let w = try MaintenanceWorld()
        let x = try w.vm("vm-x", on: w.hosts[0], demand: 1000)
        let other = try w.vm("other", on: w.hosts[0], demand: 1000)
        try w.drs()
        try w.cluster.drs.addRule(DRSRuleSpec(name: "lic", kind: .vmHost, vms: [x], hosts: [w.hosts[0]], must: true))
        let blockers = try w.hosts[0].enterMaintenance()
        #expect(blockers.count == 1)
        let b = try #require(blockers.first)
        #expect(b.vm.vm === x && b.reason == .rule)
        #expect(b.message.contains("rule lic says vm-x must run on esx01"))
        try w.run(900)
        #expect(w.cluster.drs.passes == 3)
        #expect(w.hosts[0].maintenance == .entering)
        #expect(x.host === w.hosts[0] && x.state == .on && other.host === w.hosts[1])
        #expect(w.hosts[0].maintenanceBlockers.map(\.reason) == [.rule])
        #expect(w.cluster.drs.recommendations.isEmpty)
        #expect(w.events("maintenance").contains { $0.subject == "VM(vm-x)" && $0.message.hasPrefix("not evacuated from esx01 (rule)") })
        // removing the rule lets the next pass move it; then the host is in maintenance
        try w.cluster.drs.removeRule(try #require(w.cluster.drs.rules.first))
        try w.run(310)
        #expect(x.host === w.hosts[1])
        #expect(w.hosts[0].maintenance == .in)
    }

    /// Behaviour 53, HA: with VM-X required on {esx01}, HA does not restart VM-X on esx02
    /// after esx01 fails (DRS, HA and DPM never violate required rules, GUID-793013E2); a
    /// VM without the rule is restarted there.
    @Test func behaviour53HANeverBreaksAMustRule() throws {
        let w = try MaintenanceWorld()
        let x = try w.vm("vm-x", on: w.hosts[0])
        let free = try w.vm("free", on: w.hosts[0])
        try w.cluster.enableHA(HASettings())
        try w.drs()
        try w.cluster.drs.addRule(DRSRuleSpec(name: "lic", kind: .vmHost, vms: [x], hosts: [w.hosts[0]], must: true))
        try w.hosts[0].fail()
        try w.run(120)
        #expect(free.state == .on && free.host === w.hosts[1])
        #expect(x.state == .off && x.host === w.hosts[0])
        let down = w.events("ha").first { $0.subject == "VM(vm-x)" }
        #expect(down?.message.hasPrefix("could not be restarted: the required rule lic (vm-x must run on esx01) allows no surviving host") == true)
    }

    /// Behaviour 53, the "should" rule: the same rule made preferential is broken instead
    /// and VM-X moves; esx01 reaches maintenance mode (GUID-793013E2: preferential rules
    /// may be violated).
    @Test func behaviour53ShouldRuleIsBroken() throws {
        let w = try MaintenanceWorld()
        let x = try w.vm("vm-x", on: w.hosts[0], demand: 1000)
        try w.drs()
        try w.cluster.drs.addRule(DRSRuleSpec(name: "pref", kind: .vmHost, vms: [x], hosts: [w.hosts[0]], must: false))
        let blockers = try w.hosts[0].enterMaintenance()
        #expect(blockers.isEmpty)
        #expect(w.moves().first?.message.hasPrefix("priority 1, hostMaint: esx01 → esx02") == true)
        try w.run(30)
        #expect(x.host === w.hosts[1] && w.hosts[0].maintenance == .in)
        #expect(w.cluster.drs.violations(of: try #require(w.cluster.drs.rules.first)).count == 1)
    }

    /// Behaviour 55: while esx01 is entering maintenance mode (a VM still runs on it:
    /// DRS is off), power-on and vMotion to it are refused; once it is in maintenance mode
    /// no VM runs on it and power-on there fails (GUID-8F705E83).
    @Test func behaviour55NothingPowersOnOrMovesToIt() throws {
        let w = try MaintenanceWorld()
        let stays = try w.vm("stays", on: w.hosts[0])
        let off = try w.hosts[0].createVM(VMSpec(name: "off", vcpus: 1, memory: 2 * GiB))
        let mover = try w.vm("mover", on: w.hosts[1])
        let blockers = try w.hosts[0].enterMaintenance()
        #expect(blockers.map(\.reason) == [.drsOff])
        #expect(w.hosts[0].maintenance == .entering)
        let onError = #expect(throws: ModelError.self) { try off.powerOn() }
        #expect(onError?.message == "power_on: VM(off) cannot power on: host esx01 is entering maintenance mode (no VM may power on or migrate to it; h:exit_maintenance() cancels)")
        let moveError = #expect(throws: ModelError.self) { try mover.migrate(to: w.hosts[0]) }
        #expect(moveError?.message.contains("esx01 cannot admit it: host esx01 is entering maintenance mode") == true)
        // the last VM leaves (here it is powered off): the host is in maintenance mode
        try stays.powerOff()
        #expect(w.hosts[0].maintenance == .in)
        #expect(w.hosts[0].vms.allSatisfy { $0.state == .off })
        let inError = #expect(throws: ModelError.self) { try stays.powerOn() }
        #expect(inError?.message.contains("host esx01 is in maintenance mode (no VM may power on or migrate to it until h:exit_maintenance())") == true)
        try w.hosts[0].exitMaintenance()
        try stays.powerOn()
        #expect(stays.state == .on)
    }

    /// Behaviour 55 with DRS on: a VM registered on a host entering maintenance is placed
    /// on another host at power-on, never on that one; a vMotion started to the host
    /// before it entered still lands, and the host then evacuates that VM too.
    @Test func behaviour55PlacementAvoidsTheHost() throws {
        let w = try MaintenanceWorld(hosts: 3)
        try w.vm("running", on: w.hosts[0])
        let off = try w.hosts[0].createVM(VMSpec(name: "off", vcpus: 1, memory: 2 * GiB))
        let incoming = try w.vm("incoming", on: w.hosts[2])
        try w.drs()
        try incoming.migrate(to: w.hosts[0])
        try w.hosts[0].enterMaintenance()
        try off.powerOn()
        #expect(off.state == .on && off.host !== w.hosts[0])
        try w.run(20)
        #expect(incoming.host === w.hosts[0])
        #expect(w.hosts[0].maintenance == .entering)
        try w.run(300)
        #expect(incoming.host !== w.hosts[0])
        #expect(w.hosts[0].maintenance == .in)
    }
}
