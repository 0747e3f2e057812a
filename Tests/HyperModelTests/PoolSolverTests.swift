import Testing
@testable import HyperModel

/// The entitlement solver alone (datacenter-facts §1.1 "Entitlement flow"): demands set
/// by hand, one solve, no simulation.
/// Scenario 41 of datacenter-facts §7: a 10 GHz root (one host, 4 × 2.5 GHz), RP-Prod
/// (High) with 20 VMs, RP-Test (Low) with 2, one VM at the root; every VM 1 vCPU.
/// `demand` sets every VM's last-interval demand by hand (2.5 GHz = CPU-bound).
struct PoolParadox {
    let dc: Datacenter
    let host: Host
    let cluster: Cluster
    let prod: ResourcePool, test: ResourcePool
    let prodVMs: [VM], testVMs: [VM], rootVM: VM

    init(scalable: Bool = false, demand: Double? = 2500, scheduler: SchedulerKind? = nil) throws {
        let dc = world()
        let h = try HyperModelTests.host(dc, "esx01", cpus: 4, mhz: 2500, scheduler: scheduler)
        let c = try dc.addCluster(name: "c1", hosts: [h])
        if scalable { try c.setScalableShares(true) }
        let prod = try c.root.createPool(name: "RP-Prod", cpu: PoolCPUSettings(shares: .high))
        let test = try c.root.createPool(name: "RP-Test", cpu: PoolCPUSettings(shares: .low))
        prodVMs = try (1...20).map { try h.createVM(pooledSpec("prod\($0)", prod)) }
        testVMs = try (1...2).map { try h.createVM(pooledSpec("test\($0)", test)) }
        rootVM = try h.createVM(pooledSpec("root1", nil))
        for v in h.vms { try v.powerOn() }
        if let demand {
            for v in h.vms { v.metrics.cpuDemandMHz = demand }
            c.root.solver.solve()
        }
        (self.dc, self.host, self.cluster, self.prod, self.test) = (dc, h, c, prod, test)
    }

    var all: [VM] { prodVMs + testVMs + [rootVM] }
}

@Suite("Resource pools: the entitlement solver")
struct PoolSolverTests {
    /// Behaviour 41 at the solver: 0.364 / 0.909 / 0.909 GHz per VM, pools 7.273 / 1.818 GHz
    /// (datacenter-facts §1.3 worked example; yellow-bricks.com 2010/02/22, Craig Risinger).
    @Test func priorityPieParadox() throws {
        let p = try PoolParadox()
        #expect(abs(p.prod.cpuEntitlementMHz - 10_000 * 8000 / 11_000) < 0.01)
        #expect(abs(p.test.cpuEntitlementMHz - 10_000 * 2000 / 11_000) < 0.01)
        for v in p.prodVMs { #expect(abs(v.cpuEntitlementMHz - 363.64) < 0.01) }
        for v in p.testVMs { #expect(abs(v.cpuEntitlementMHz - 909.09) < 0.01) }
        #expect(abs(p.rootVM.cpuEntitlementMHz - 909.09) < 0.01)
        #expect(abs(p.cluster.root.cpuEntitlementMHz - 10_000) < 1e-6)
    }

    /// Behaviour 42 at the solver: one Test VM at High splits RP-Test's 1.818 GHz 2 : 1.
    @Test func sharesStayInsideThePool() throws {
        let p = try PoolParadox()
        try p.testVMs[0].setCPUAllocation(CPUAllocation(shares: .high))
        p.cluster.root.solver.solve()
        #expect(abs(p.testVMs[0].cpuEntitlementMHz - 1212.12) < 0.01)
        #expect(abs(p.testVMs[1].cpuEntitlementMHz - 606.06) < 0.01)
        for v in p.prodVMs { #expect(abs(v.cpuEntitlementMHz - 363.64) < 0.01) }
        #expect(abs(p.rootVM.cpuEntitlementMHz - 909.09) < 0.01)
    }

    /// Behaviour 43 at the solver: scalable shares give 0.476 / 0.238 / 0.119 GHz = 4 : 2 : 1.
    @Test func scalableShares() throws {
        let p = try PoolParadox(scalable: true)
        for v in p.prodVMs { #expect(abs(v.cpuEntitlementMHz - 10_000 * 2000 / 42_000) < 0.01) }
        #expect(abs(p.rootVM.cpuEntitlementMHz - 10_000 * 1000 / 42_000) < 0.01)
        for v in p.testVMs { #expect(abs(v.cpuEntitlementMHz - 10_000 * 500 / 42_000) < 0.01) }
    }

    /// Behaviour 46 at the solver: with total demand under capacity every VM is entitled
    /// to its demand, whatever the shares.
    @Test func noContentionNoShares() throws {
        let p = try PoolParadox()
        for v in p.prodVMs + p.testVMs + [p.rootVM] { v.metrics.cpuDemandMHz = 400 }
        p.cluster.root.solver.solve()
        for v in p.prodVMs + p.testVMs + [p.rootVM] { #expect(abs(v.cpuEntitlementMHz - 400) < 1e-9) }
        #expect(abs(p.prod.cpuEntitlementMHz - 8000) < 1e-9)
    }

    /// Behaviour 45 at the solver: a 4 GHz pool limit caps its two CPU-bound VMs at 2 GHz
    /// each on an idle 20 GHz cluster, and the pool is marked limit-bound for delivery.
    @Test func poolLimitCapsChildren() throws {
        let dc = world()
        let h1 = try host(dc, "esx01", cpus: 4, mhz: 2500), h2 = try host(dc, "esx02", cpus: 4, mhz: 2500)
        let c = try dc.addCluster(name: "c1", hosts: [h1, h2])
        let capped = try c.root.createPool(name: "capped", cpu: PoolCPUSettings(limitMHz: 4000))
        var vms: [VM] = []
        for (i, h) in [h1, h2].enumerated() {
            let v = try h.createVM(pooledSpec("vm\(i)", capped))
            try v.powerOn()
            v.metrics.cpuDemandMHz = 2500
            vms.append(v)
        }
        c.root.solver.solve()
        #expect(abs(capped.cpuEntitlementMHz - 4000) < 1e-9)
        for v in vms { #expect(abs(v.cpuEntitlementMHz - 2000) < 1e-9) }
    }

    /// A reservation is a floor among siblings: a 3 GHz reservation in a Low pool beats
    /// the shares of a High one, and a pool's unused capacity goes to its siblings.
    @Test func reservationFloorAndRedistribution() throws {
        let p = try PoolParadox()
        try p.test.setCPU(PoolCPUSettings(shares: .low, reservationMHz: 3000))
        p.cluster.root.solver.solve()
        #expect(abs(p.test.cpuEntitlementMHz - 3000) < 1e-6)
        // the rest, 7 GHz, by shares between RP-Prod (8000) and the root VM (1000)
        #expect(abs(p.prod.cpuEntitlementMHz - 7000 * 8 / 9) < 1e-6)
        // RP-Test's VMs idle: RP-Prod and the root VM take everything
        for v in p.testVMs { v.metrics.cpuDemandMHz = 0 }
        p.cluster.root.solver.solve()
        #expect(p.test.cpuEntitlementMHz == 0)
        #expect(abs(p.prod.cpuEntitlementMHz - 10_000 * 8 / 9) < 1e-6)
    }
}

/// A 1-vCPU, 1 GiB VM in `pool` (nil: the default pool).
func pooledSpec(_ name: String, _ pool: ResourcePool?, vcpus: Int = 1, memory: Int64 = 1 * GiB,
                cpu: CPUAllocation = CPUAllocation()) -> VMSpec {
    var s = VMSpec(name: name, vcpus: vcpus, memory: memory, cpu: cpu)
    s.pool = pool
    return s
}
