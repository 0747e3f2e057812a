import Testing
@testable import HyperModel

/// DPM beyond behaviours 56–57: automation levels, the threshold, hosts it must not
/// touch, standby by hand, and settings it refuses (datacenter-facts §2.6).
@Suite("DPM: automation, threshold, standby and refusals")
struct DPMTests {
    /// 4 hosts at 30 % CPU (two 1.5 GHz VMs each), DRS on; DPM with `change`.
    func lowDemand(_ change: (inout DPMSettings) -> Void = { _ in }) throws -> MaintenanceWorld {
        let w = try MaintenanceWorld(hosts: 4)
        for i in 0..<8 { try w.busy("vm\(i + 1)", on: w.hosts[i / 2], load: 0.6, memory: 4 * GiB, active: 2 * GiB) }
        try w.drs()
        var s = DPMSettings()
        change(&s)
        try w.cluster.enableDPM(s)
        return w
    }

    @Test func manualAutomationRecommends() throws {
        let w = try lowDemand { $0.automation = .manual }
        try w.run(until: 2401)
        let dpm = try #require(w.cluster.dpm)
        #expect(w.standby.isEmpty)
        let rec = try #require(dpm.recommendations.first)
        #expect(dpm.recommendations.count == 1 && rec.action == .standby && rec.priority == 3)
        try dpm.apply(rec)
        #expect(rec.host.host.power == .enteringStandby)
        let stale = #expect(throws: ModelError.self) { try dpm.apply(rec) }
        #expect(stale?.message.contains("is stale: it is no longer in c.dpm.recommendations") == true)
        try w.run(60)
        #expect(rec.host.host.power == .standby)
    }

    /// Threshold 2 applies power-ons only; threshold 1 only power-ons HA needs.
    @Test func conservativeThresholdPowersNothingOff() throws {
        let w = try lowDemand { $0.threshold = 2 }
        try w.run(until: 3 * 3600)
        #expect(w.standby.isEmpty)
        #expect(w.cluster.dpm?.last.contains("has priority 3, above threshold 2") == true)
    }

    /// Excluded hosts (per-host override "disabled") and hosts with a VM a required rule
    /// keeps there never go to standby.
    @Test func excludedAndRuleBoundHostsStayOn() throws {
        let w = try MaintenanceWorld(hosts: 4)
        var vms: [VM] = []
        for i in 0..<8 { vms.append(try w.busy("vm\(i + 1)", on: w.hosts[i / 2], load: 0.1, memory: 4 * GiB, active: 1 * GiB)) }
        try w.drs()
        try w.cluster.drs.addRule(DRSRuleSpec(name: "pin", kind: .vmHost, vms: [vms[0]], hosts: [w.hosts[0]], must: true))
        var s = DPMSettings()
        s.excluded = [.init(w.hosts[1])]
        try w.cluster.enableDPM(s)
        try w.run(until: 4 * 3600)
        #expect(w.hosts[0].power == .on && w.hosts[1].power == .on)
        #expect(w.hosts[2].power == .standby && w.hosts[3].power == .standby)
        #expect(w.cluster.dpm?.last.contains("esx01: vm1 cannot leave (rule)") == true)
    }

    /// A host failure that leaves fewer hosts on than HA needs powers a standby host on
    /// at once (priority 1).
    @Test func haFloorPowersAStandbyHostOn() throws {
        let w = try MaintenanceWorld(hosts: 3)
        try w.busy("a", on: w.hosts[0], load: 0.1, memory: 2 * GiB, active: 1 * GiB)
        try w.cluster.enableHA(HASettings { $0.admission = .none })
        try w.drs()
        try w.cluster.enableDPM(DPMSettings())
        try w.hosts[2].enterStandby()
        try w.hosts[1].fail()
        try w.run(until: 301)
        #expect(w.events("dpm").last?.message.hasPrefix("priority 1: power-on esx03: HA tolerates 1 host failure, so 2 hosts must be on; 1 is") == true)
        #expect(w.hosts[2].power == .poweringOn)
        try w.run(until: 602)
        #expect(w.hosts[2].power == .on)
    }

    @Test func badSettingsChangeNothing() throws {
        let w = try MaintenanceWorld()
        let noDRS = #expect(throws: ModelError.self) { try w.cluster.enableDPM(DPMSettings()) }
        #expect(noDRS?.message == "Cluster(prod):enable_dpm: DRS is off in prod; DPM powers hosts off by evacuating them through DRS (turn DRS on first with c:enable_drs{...})")
        try w.drs()
        func refused(_ change: (inout DPMSettings) -> Void) -> String? {
            var s = DPMSettings()
            change(&s)
            return (#expect(throws: ModelError.self) { try w.cluster.enableDPM(s) })?.message
        }
        #expect(refused { $0.target = 0 } == "Cluster(prod):enable_dpm: target 0 % is not allowed (use more than 0 and less than 100 %, e.g. 63)")
        #expect(refused { $0.tolerance = 50 } == "Cluster(prod):enable_dpm: tolerance 50 % is not allowed (use more than 0 and less than 50 %, e.g. 18)")
        #expect(refused { $0.target = 90; $0.tolerance = 18 } == "Cluster(prod):enable_dpm: target 90 % ± tolerance 18 % makes the band 72–108 %, which must stay inside 0–100 % (target − tolerance ≥ 0, target + tolerance ≤ 100)")
        #expect(refused { $0.target = 10 } == "Cluster(prod):enable_dpm: target 10 % ± tolerance 18 % makes the band -8–28 %, which must stay inside 0–100 % (target − tolerance ≥ 0, target + tolerance ≤ 100)")
        #expect(refused { $0.threshold = 6 } == "Cluster(prod):enable_dpm: threshold 6 is not allowed (use 1 (conservative: only power-ons HA needs) to 5 (aggressive))")
        #expect(refused { $0.offWindow = 10 }?.hasPrefix("Cluster(prod):enable_dpm: power_off_window 10 s is not allowed") == true)
        #expect(w.cluster.dpm == nil)
        #expect(throws: ModelError.self) { try w.cluster.disableDPM() }
    }

    /// A VM registered on a standby host cannot power on there (no DRS to place it);
    /// standby by hand is refused when it does not apply.
    @Test func standbyRefusals() throws {
        let w = try MaintenanceWorld()
        let v = try w.hosts[1].createVM(VMSpec(name: "v", vcpus: 1, memory: 2 * GiB))
        try w.hosts[1].enterStandby()
        #expect(w.hosts[1].power == .standby)
        let e = #expect(throws: ModelError.self) { try v.powerOn() }
        #expect(e?.message == "power_on: VM(v) cannot power on: host esx02 is in standby mode (powered off by DPM; h:exit_standby() powers it on)")
        let twice = #expect(throws: ModelError.self) { try w.hosts[1].enterStandby() }
        #expect(twice?.message == "Host(esx02):enter_standby: esx02 is already in standby (power is \"standby\")")
        let maint = #expect(throws: ModelError.self) { try w.hosts[1].enterMaintenance() }
        #expect(maint?.message.contains("a host enters maintenance mode from power \"on\" (h:exit_standby() first)") == true)
        let notStandby = #expect(throws: ModelError.self) { try w.hosts[0].exitStandby() }
        #expect(notStandby?.message == "Host(esx01):exit_standby: esx01 is not in standby (power is \"on\")")
        try w.hosts[1].exitStandby()
        #expect(w.hosts[1].power == .poweringOn)
        #expect(throws: ModelError.self) { try v.powerOn() }
        try w.run(301)
        #expect(w.hosts[1].power == .on)
        try v.powerOn()
        #expect(v.state == .on)
        let alone = try w.dc.addHost(HostSpec(name: "alone", cpus: 2, mhz: 2000, memory: 8 * GiB))
        let e2 = #expect(throws: ModelError.self) { try alone.enterStandby() }
        #expect(e2?.message == "Host(alone):enter_standby: alone is in no cluster; standby is DPM's, for hosts of a DRS cluster")
    }
    /// A power-on brings up as many standby hosts as put the window's demand back at the
    /// target: 19 GHz on 2 × 10 GHz needs both standby hosts (63.3 % with one, 47.5 % with two).
    @Test func powerOnBringsEnoughHosts() throws {
        let w = try MaintenanceWorld(hosts: 4)
        for i in 0..<8 { try w.busy("vm\(i + 1)", on: w.hosts[i / 4], load: 0.95, memory: 4 * GiB, active: 2 * GiB) }
        try w.drs()
        try w.hosts[2].enterStandby()
        try w.hosts[3].enterStandby()
        try w.cluster.enableDPM(DPMSettings())
        try w.run(until: 301)
        #expect(w.hosts[2].power == .poweringOn && w.hosts[3].power == .poweringOn)
        #expect(w.cluster.dpm?.last.contains("power-on esx03, esx04, priority 2") == true)
        #expect(w.cluster.dpm?.last.contains("with them at least 47.") == true)
        try w.run(until: 1200)
        #expect(w.on.count == 4)
        #expect(w.hosts.allSatisfy { !$0.vms.isEmpty })
    }
}
