import Testing
@testable import HyperModel

/// Rules as vCenter keeps them (datacenter-facts §2.4; vSphere 8 Resource Mgmt
/// GUID-793013E2, vSphere 6.7 page 99).
@Suite("DRS rules: repairs, placement, required and preferential rules")
struct DRSRuleTests {
    /// Two VMs to keep apart on one host: a priority-1 antiAffin move separates them,
    /// whatever the threshold (threshold 1 = mandatory moves only).
    @Test func antiAffinityIsRepairedAtPriorityOne() throws {
        let w = try DRSWorld(hosts: 3)
        let a = try w.vm("a", on: w.hosts[0], demand: 500)
        let b = try w.vm("b", on: w.hosts[0], demand: 500)
        w.solve()
        try w.cluster.enableDRS(w.settings { $0.threshold = 1 })
        let drs = w.cluster.drs
        let r = try drs.addRule(DRSRuleSpec(name: "apart", kind: .vmAntiAffinity, vms: [a, b]))
        #expect(drs.violations(of: r).count == 2)
        drs.runPass()
        let moves = w.drsMoves()
        #expect(moves.count == 1 && moves.first?.message.hasPrefix("priority 1, antiAffin: esx01 →") == true)
        try w.dc.run(for: .seconds(Int64(30)))
        #expect(a.host !== b.host && drs.violations(of: r).isEmpty)
    }

    /// A VM in two required VM-host rules runs only on the intersection of their host
    /// groups; a violation is repaired at priority 1 (vmHostHardAffinity); balancing
    /// never moves it out.
    @Test func mustRulesIntersect() throws {
        let w = try DRSWorld(hosts: 3)
        let db = try w.vm("db", on: w.hosts[0], demand: 3000)
        try w.vm("x", on: w.hosts[0], demand: 3000)
        w.solve()
        try w.cluster.enableDRS(w.settings { $0.threshold = 5 })
        let drs = w.cluster.drs
        try drs.addRule(DRSRuleSpec(name: "lic", kind: .vmHost, vms: [db], hosts: [w.hosts[1], w.hosts[2]], must: true))
        try drs.addRule(DRSRuleSpec(name: "rack", kind: .vmHost, vms: [db], hosts: [w.hosts[0], w.hosts[2]], must: true))
        #expect(drs.allowedHosts(db).map(\.name) == ["esx03"])
        drs.runPass()
        #expect(w.drsMoves().first?.message.hasPrefix("priority 1, vmHostHardAffinity: esx01 → esx03") == true)
        try w.dc.run(for: .seconds(Int64(30)))
        #expect(db.host === w.hosts[2])
        // the chosen host for a mandatory move of db: none other than esx03 qualifies
        if case .failure(let e) = drs.chooseHost(for: db, excluding: [w.hosts[2]]) {
            #expect(e.message.contains("rule lic says db must run on esx02, esx03") || e.message.contains("rule rack says"))
        } else {
            Issue.record("a host breaking a must rule was chosen")
        }
    }

    /// A preferential rule is kept by placement and balancing while a host allows it and
    /// broken (logged) when none does.
    @Test func shouldRulesBend() throws {
        let w = try DRSWorld(hosts: 2)
        try w.cluster.enableDRS(w.settings())
        let drs = w.cluster.drs
        let v = try w.cluster.createVM(VMSpec(name: "web", vcpus: 1, memory: 2 * GiB))
        try drs.addRule(DRSRuleSpec(name: "pref", kind: .vmHost, vms: [v], hosts: [w.hosts[1]]))
        try v.powerOn()
        #expect(v.host === w.hosts[1])
        drs.setEligibility(of: w.hosts[0], reason: "entering maintenance mode")
        #expect(throws: ModelError.self) { try drs.chooseHost(for: v, excluding: [w.hosts[1]]).get() }
        drs.setEligibility(of: w.hosts[0], reason: nil)
        drs.setEligibility(of: w.hosts[1], reason: "entering maintenance mode")
        let h = try drs.chooseHost(for: v, excluding: [w.hosts[1]]).get()
        #expect(h === w.hosts[0])
        #expect(w.dc.log.events(kind: "drs").contains { $0.message.contains("a preferential rule is broken") })
    }

    /// Placement at power-on keeps VM-VM rules: a partner kept together powers on where
    /// the other runs, one kept apart elsewhere.
    @Test func placementKeepsVMVMRules() throws {
        let w = try DRSWorld(hosts: 3)
        try w.cluster.enableDRS(w.settings())
        let drs = w.cluster.drs
        let a = try w.cluster.createVM(VMSpec(name: "a", vcpus: 1, memory: 2 * GiB))
        let b = try w.cluster.createVM(VMSpec(name: "b", vcpus: 1, memory: 2 * GiB))
        let c = try w.cluster.createVM(VMSpec(name: "c", vcpus: 1, memory: 2 * GiB))
        try drs.addRule(DRSRuleSpec(name: "tog", kind: .vmAffinity, vms: [a, b]))
        try drs.addRule(DRSRuleSpec(name: "apart", kind: .vmAntiAffinity, vms: [a, c]))
        try a.powerOn()
        try b.powerOn()
        try c.powerOn()
        #expect(a.host === b.host && c.host !== a.host)
        // an ineligible host is never chosen, and admission refuses power-on there
        drs.setEligibility(of: a.host, reason: "in maintenance mode")
        let d = try w.cluster.createVM(VMSpec(name: "d", vcpus: 1, memory: 2 * GiB))
        try d.powerOn()
        #expect(d.host !== a.host)
        #expect(Admission.refusal(for: d, on: a.host)?.contains("is in maintenance mode") == true)
    }
}

@Suite("DRS and HA")
struct DRSHATests {
    /// HA restarts a failed host's VMs itself: a manual DRS cluster does not turn the
    /// restart into a power-on recommendation.
    @Test func haRestartsInAManualDRSCluster() throws {
        let w = try DRSWorld(hosts: 3)
        let v = try w.vm("web", on: w.hosts[0], demand: 1000)
        try w.cluster.enableHA(HASettings())
        try w.cluster.enableDRS(w.settings { $0.automation = .manual })
        try w.hosts[0].fail()
        try w.dc.run(for: .seconds(Int64(60)))
        #expect(v.state == .on && v.host !== w.hosts[0])
        #expect(w.cluster.drs.recommendations.isEmpty)
    }
}
