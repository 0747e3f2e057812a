import Testing
@testable import HyperModel

/// Behaviours 41–46 of datacenter-facts §7 in simulation: what the VMs actually run
/// (`cpu.used_mhz` averaged after a warm-up), not only what the solver says.
@Suite("Resource pools: behaviours 41–46 of datacenter-facts §7")
struct PoolBehaviourTests {
    /// Mean used MHz of a VM over the samples after `warmup` seconds (and before `until`).
    func used(_ v: VM, after warmup: Double = 60, until: Double = .infinity) -> Double {
        let s = v.metrics.series["cpu.used_mhz"]!
        let values = zip(s.times, s.values).filter { $0.0.seconds > warmup && $0.0.seconds <= until }.map(\.1)
        return values.reduce(0, +) / Double(values.count)
    }

    func near(_ x: Double, _ y: Double, _ tol: Double = 0.05) -> Bool { abs(x - y) <= tol * y }

    /// Scenario 41 running: every VM CPU-bound.
    func paradox(scalable: Bool = false, scheduler: SchedulerKind? = nil, load: Double = 1) throws -> PoolParadox {
        let p = try PoolParadox(scalable: scalable, demand: nil, scheduler: scheduler)
        for v in p.all { try v.run(CPUWorkload(threads: 1, load: load)) }
        return p
    }

    /// Behaviour 41, the priority-pie paradox (datacenter-facts §1.3, worked example after
    /// Craig Risinger on yellow-bricks.com/2010/02/22/the-resource-pool-priority-pie-paradox):
    /// 0.364 GHz per Prod VM, 0.909 per Test VM and for the root VM; pools 7.273 / 1.818 GHz.
    /// Every share-based scheduler delivers it.
    @Test(arguments: [SchedulerKind.esx, .relaxed, .strict, .fair])
    func priorityPieParadox(scheduler: SchedulerKind) throws {
        let p = try paradox(scheduler: scheduler)
        try p.dc.run(for: .seconds(Int64(300)))
        for v in p.prodVMs { #expect(near(used(v), 363.6), "\(v.name) used \(used(v)) MHz") }
        for v in p.testVMs { #expect(near(used(v), 909.1), "\(v.name) used \(used(v)) MHz") }
        #expect(near(used(p.rootVM), 909.1), "root VM used \(used(p.rootVM)) MHz")
        let prodTotal = p.prodVMs.reduce(0) { $0 + used($1) }, testTotal = p.testVMs.reduce(0) { $0 + used($1) }
        #expect(near(prodTotal, 7272.7, 0.02) && near(testTotal, 1818.2, 0.05), "pools used \(prodTotal) / \(testTotal) MHz")
        #expect(abs(p.prod.cpuEntitlementMHz - 7272.7) < 1 && abs(p.test.cpuEntitlementMHz - 1818.2) < 1)
        #expect(near(p.prod.cpuUsedMHz, 7272.7, 0.05))
    }

    /// Behaviour 42: raising one Test VM to High (2000 vs 1000) splits RP-Test's 1.818 GHz
    /// as 1.212 / 0.606 GHz; every Prod VM and the root VM keep their values
    /// (datacenter-facts §1.1: shares divide capacity among siblings only).
    @Test func sharesStayInsideAPool() throws {
        let p = try paradox()
        try p.dc.run(for: .seconds(Int64(300)))
        let before = p.prodVMs.map { used($0) } + [used(p.rootVM)]
        try p.testVMs[0].setCPUAllocation(CPUAllocation(shares: .high))
        try p.dc.run(for: .seconds(Int64(300)))
        #expect(near(used(p.testVMs[0], after: 360), 1212.1), "high Test VM used \(used(p.testVMs[0], after: 360))")
        #expect(near(used(p.testVMs[1], after: 360), 606.1), "normal Test VM used \(used(p.testVMs[1], after: 360))")
        let after = p.prodVMs.map { used($0, after: 360) } + [used(p.rootVM, after: 360)]
        // ≤ 1 % for the pool's total and the root VM; a single Prod VM's 20 s samples vary more
        let prodBefore = before.dropLast().reduce(0, +), prodAfter = after.dropLast().reduce(0, +)
        #expect(abs(prodAfter - prodBefore) <= 0.01 * prodBefore, "RP-Prod \(prodBefore) → \(prodAfter) MHz")
        #expect(abs(after.last! - before.last!) <= 0.01 * before.last!, "root VM \(before.last!) → \(after.last!) MHz")
        for (b, a) in zip(before, after) { #expect(abs(a - b) <= 0.03 * b) }
    }

    /// Behaviour 43: vSphere 7 scalable shares (datacenter-facts §1.3, Epping's formula
    /// [M], yellow-bricks.com/2020/03/16): per VM 0.476 (Prod) / 0.238 (root) / 0.119
    /// (Test) GHz, 4 : 2 : 1 by share level.
    @Test func scalableShares() throws {
        let p = try paradox(scalable: true)
        try p.dc.run(for: .seconds(Int64(300)))
        for v in p.prodVMs { #expect(near(used(v), 476.2), "\(v.name) used \(used(v)) MHz") }
        #expect(near(used(p.rootVM), 238.1), "root VM used \(used(p.rootVM)) MHz")
        for v in p.testVMs { #expect(near(used(v), 119.0), "\(v.name) used \(used(v)) MHz") }
    }

    /// Behaviour 45: a pool limited to 4 GHz holding two CPU-bound 1-vCPU VMs on an idle
    /// 20 GHz cluster uses ≤ 4 GHz (≈ 2 GHz each) although 16 GHz stay idle
    /// (datacenter-facts §1.1; vSphere 4.1 "Resource Pool Attributes").
    @Test(arguments: [false, true])
    func poolLimitCapsAllChildren(sameHost: Bool) throws {
        let dc = world()
        let h1 = try host(dc, "esx01", cpus: 4, mhz: 2500), h2 = try host(dc, "esx02", cpus: 4, mhz: 2500)
        let c = try dc.addCluster(name: "c1", hosts: [h1, h2])
        let capped = try c.root.createPool(name: "capped", cpu: PoolCPUSettings(limitMHz: 4000))
        let a = try h1.createVM(pooledSpec("a", capped)), b = try (sameHost ? h1 : h2).createVM(pooledSpec("b", capped))
        for v in [a, b] {
            try v.powerOn()
            try v.run(CPUWorkload(threads: 1, load: 1))
        }
        try dc.run(for: .seconds(Int64(300)))
        // from the first sample on: the pool's headroom is shared before any demand is known
        #expect(used(a, after: 0) + used(b, after: 0) <= 4000 * 1.001, "pool used \(used(a, after: 0) + used(b, after: 0)) MHz")
        for v in [a, b] { #expect(near(used(v), 2000, 0.02), "\(v.name) used \(used(v)) MHz") }
        #expect(capped.cpuUsedMHz <= 4000 * 1.001)
    }

    /// Behaviour 46: when total demand ≤ capacity every VM of scenario 41 receives its
    /// full demand regardless of pool shares (datacenter-facts §1.1: shares matter only
    /// under contention).
    @Test func noContentionNoShares() throws {
        let p = try paradox(load: 0.15)  // 23 × 375 MHz = 8.6 GHz of 10
        try p.dc.run(for: .seconds(Int64(300)))
        for v in p.all { #expect(near(used(v), 375, 0.03), "\(v.name) used \(used(v)) MHz") }
        for v in p.all { #expect(abs(v.cpuEntitlementMHz - v.metrics.cpuDemandMHz) < 1e-6) }
    }
}
