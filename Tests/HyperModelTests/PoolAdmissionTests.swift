import Testing
@testable import HyperModel

/// Admission control through pool reservations, and the pool tree's bad input.
@Suite("Resource pools: admission control and bad input")
struct PoolAdmissionTests {
    /// A 10 GHz single-host cluster.
    func cluster() throws -> (Datacenter, Host, Cluster) {
        let dc = world()
        let h = try host(dc, "esx01", cpus: 4, mhz: 2500)
        return (dc, h, try dc.addCluster(name: "c1", hosts: [h]))
    }

    func reserving(_ mhz: Double) -> CPUAllocation { CPUAllocation(reservationMHz: mhz) }

    func error(_ body: () throws -> Void) -> String {
        do { try body() } catch let e as ModelError { return e.message } catch { return "\(error)" }
        return "no error"
    }

    /// Behaviour 44, VMware's own example (datacenter-facts §1.2; vSphere Resource
    /// Management "Expandable Reservations Example", GUID-76691829): RP-MOM reserves
    /// 6 GHz and runs VM-M1 (1 GHz); RP-KID reserves 2 GHz, expandable. VM-K1 (2 GHz) and
    /// VM-K2 (2 GHz) both power on, K2 borrowing from RP-MOM's 6 − 1 − 2 = 3 GHz. With VMs
    /// reserving 3 GHz in RP-MOM only 1 GHz is left and K2 is refused; with RP-KID fixed,
    /// K2 is refused in both cases. RP-MOM's own reservation is fixed here, so what it
    /// cannot give is not borrowed from the cluster (VMware's example has no more above it).
    @Test(arguments: [(false, true, true), (true, true, false), (false, false, false), (true, false, false)])
    func expandableReservationExample(momReserves3: Bool, kidExpandable: Bool, k2PowersOn: Bool) throws {
        let (dc, h, c) = try cluster()
        defer { withExtendedLifetime(dc) {} }
        let mom = try c.root.createPool(name: "RP-MOM", cpu: PoolCPUSettings(reservationMHz: 6000, expandable: false))
        try h.createVM(pooledSpec("VM-M1", mom, cpu: reserving(1000))).powerOn()
        if momReserves3 { try h.createVM(pooledSpec("VM-M2", mom, cpu: reserving(2000))).powerOn() }
        let kid = try mom.createPool(name: "RP-KID", cpu: PoolCPUSettings(reservationMHz: 2000, expandable: kidExpandable))
        try h.createVM(pooledSpec("VM-K1", kid, cpu: reserving(2000))).powerOn()
        let k2 = try h.createVM(pooledSpec("VM-K2", kid, cpu: reserving(2000)))
        let message = error { try k2.powerOn() }
        if k2PowersOn {
            #expect(message == "no error")
            #expect(k2.state == .on)
            #expect(abs(mom.reservedByChildren(.cpu) - 5000) < 1e-9)  // M1 + RP-KID expanded to 4 GHz
        } else {
            #expect(k2.state == .off)
            #expect(message.contains("insufficient CPU resources"), "\(message)")
            #expect(message.contains("VM(VM-K2) needs 2.00 GHz reserved"), "\(message)")
            if kidExpandable {
                #expect(message.contains("RP-KID (reservation 2.00 GHz, expandable: 2.00 GHz reserved, 0 MHz unreserved) ▸ RP-MOM (reservation 6.00 GHz, fixed: 5.00 GHz reserved, 1.00 GHz unreserved)"), "\(message)")
            } else {
                #expect(message.contains("RP-KID's reservation is fixed"), "\(message)")
            }
        }
    }

    /// An expandable RP-MOM borrows what it lacks from the cluster's root instead.
    @Test func expandableParentBorrowsFromTheRoot() throws {
        let (dc, h, c) = try cluster()
        defer { withExtendedLifetime(dc) {} }
        let mom = try c.root.createPool(name: "RP-MOM", cpu: PoolCPUSettings(reservationMHz: 6000))
        try h.createVM(pooledSpec("VM-M1", mom, cpu: reserving(1000))).powerOn()
        try h.createVM(pooledSpec("VM-M2", mom, cpu: reserving(2000))).powerOn()
        let kid = try mom.createPool(name: "RP-KID", cpu: PoolCPUSettings(reservationMHz: 2000))
        try h.createVM(pooledSpec("VM-K1", kid, cpu: reserving(2000))).powerOn()
        try h.createVM(pooledSpec("VM-K2", kid, cpu: reserving(2000))).powerOn()
        #expect(abs(mom.effectiveReservation(.cpu) - 7000) < 1e-9)
        #expect(abs(c.root.unreserved(.cpu) - 3000) < 1e-9)
    }

    /// Creating a pool, raising a pool's reservation and raising a running VM's
    /// reservation all go through the same admission control.
    @Test func reservationsAtRunTime() throws {
        let (dc, h, c) = try cluster()
        defer { withExtendedLifetime(dc) {} }
        let a = try c.root.createPool(name: "A", cpu: PoolCPUSettings(reservationMHz: 8000, expandable: false))
        let tooMuch = error { try c.root.createPool(name: "B", cpu: PoolCPUSettings(reservationMHz: 4000)) }
        #expect(tooMuch.contains("the new pool B needs 4.00 GHz reserved") && tooMuch.contains("Resources (capacity 10.00 GHz: 8.00 GHz reserved, 2.00 GHz unreserved)"), "\(tooMuch)")
        #expect(c.root.pools.count == 1)
        let v = try h.createVM(pooledSpec("v", a, vcpus: 2, cpu: reserving(2000)))
        try v.powerOn()
        let raise = error { try v.setCPUAllocation(reserving(2500)) }
        #expect(raise == "no error", "\(raise)")
        try a.setCPU(PoolCPUSettings(reservationMHz: 2500, expandable: false))
        let over = error { try v.setCPUAllocation(reserving(2501)) }
        #expect(over.contains("insufficient CPU resources") && over.contains("A's reservation is fixed"), "\(over)")
        #expect(v.cpuAllocation.reservationMHz == 2500)
        let below = error { try a.setCPU(PoolCPUSettings(reservationMHz: 2000, expandable: false)) }
        #expect(below.contains("does not cover the 2.50 GHz its VMs and child pools reserve"), "\(below)")
        #expect(a.cpu.reservationMHz == 2500)
        let grow = error { try a.setCPU(PoolCPUSettings(reservationMHz: 10_001)) }
        #expect(grow.contains("insufficient CPU resources") && grow.contains("A's cpu.reservation 10.00 GHz"), "\(grow)")
    }

    /// Memory: a VM's reservation and its overhead count against its pool.
    @Test func memoryReservationsCountOverhead() throws {
        let (dc, h, c) = try cluster()
        defer { withExtendedLifetime(dc) {} }
        let p = try c.root.createPool(name: "small", mem: PoolMemorySettings(reservation: 1 * GiB, expandable: false))
        var spec = pooledSpec("big", p)
        spec.mem = MemoryAllocation(reservation: 1 * GiB)
        let v = try h.createVM(spec)
        let message = error { try v.powerOn() }
        #expect(message.contains("insufficient memory resources") && message.contains("small (reservation 1.00 GiB, fixed"), "\(message)")
        var fits = pooledSpec("fits", p)
        fits.mem = MemoryAllocation(reservation: 512 * MiB)
        try h.createVM(fits).powerOn()
    }

    // MARK: bad input

    @Test func badSettings() throws {
        let (dc, _, c) = try cluster()
        defer { withExtendedLifetime(dc) {} }
        #expect(error { try c.root.createPool(name: "x", cpu: PoolCPUSettings(reservationMHz: 2000, limitMHz: 1000)) }
            == "ResourcePool(Resources of cluster c1):create_pool x: cpu.limit 1.00 GHz is below cpu.reservation 2.00 GHz (a limit must be at least the reservation)")
        #expect(error { try c.root.createPool(name: "x", cpu: PoolCPUSettings(reservationMHz: -1)) }
            .contains("cpu.reservation -1 MHz is not allowed (use 0 MHz or more)"))
        #expect(error { try c.root.createPool(name: "x", mem: PoolMemorySettings(reservation: -1)) }
            .contains("mem.reservation -1 bytes is not allowed"))
        #expect(error { try c.root.createPool(name: "x", mem: PoolMemorySettings(reservation: 2 * GiB, limit: 1 * GiB)) }
            .contains("mem.limit 1.00 GiB is below mem.reservation 2.00 GiB"))
        #expect(error { try c.root.createPool(name: "x", cpu: PoolCPUSettings(shares: .custom(0))) }
            .contains("cpu.shares 0 is not allowed (use \"low\", \"normal\", \"high\" or 1 to 1000000)"))
        #expect(error { try c.root.createPool(name: "") }.contains("name must not be empty"))
        try c.root.createPool(name: "x")
        #expect(error { try c.root.createPool(name: "x") }.contains("already has a child pool named x"))
        #expect(c.root.pools.count == 1)
        #expect(error { try c.root.setCPU(PoolCPUSettings()) }.contains("the root pool is the cluster c1's total resources"))
    }

    @Test func aLimitBelowWhatIsReserved() throws {
        let (dc, h, c) = try cluster()
        defer { withExtendedLifetime(dc) {} }
        let p = try c.root.createPool(name: "p")
        try h.createVM(pooledSpec("v", p, cpu: reserving(2000))).powerOn()
        let message = error { try p.setCPU(PoolCPUSettings(limitMHz: 1000)) }
        #expect(message.contains("cpu.limit 1.00 GHz is below the 2.00 GHz its VMs and child pools reserve"), "\(message)")
        #expect(p.cpu.limitMHz == nil)
    }

    @Test func noCycles() throws {
        let (dc, _, c) = try cluster()
        defer { withExtendedLifetime(dc) {} }
        let a = try c.root.createPool(name: "a")
        let b = try a.createPool(name: "b")
        let message = error { try b.move(pool: a) }
        #expect(message.contains("b is inside a (Resources ▸ a ▸ b); moving a under it would make a cycle in the pool tree"), "\(message)")
        #expect(error { try a.move(pool: a) }.contains("cycle"))
        #expect(b.parent === a && a.parent === c.root)
        try c.root.move(pool: b)
        #expect(b.parent === c.root && a.pools.isEmpty)
    }

    @Test func noVMOrPoolFromAnotherTree() throws {
        let dc = world()
        let h1 = try host(dc, "esx01"), h2 = try host(dc, "esx02"), h3 = try host(dc, "lone")
        let c1 = try dc.addCluster(name: "c1", hosts: [h1]), c2 = try dc.addCluster(name: "c2", hosts: [h2])
        let p2 = try c2.root.createPool(name: "p2")
        let v = try h1.createVM(pooledSpec("v", nil))
        let message = error { try p2.move(v) }
        #expect(message == "ResourcePool(p2):move: VM(v) runs on esx01, which is not in the tree of p2 (cluster c2); a VM can only move to a pool of its own cluster or standalone host")
        #expect(v.pool === c1.root)
        #expect(error { _ = try h1.createVM(pooledSpec("w", p2)) }.contains("pool p2 belongs to cluster c2, not to esx01's cluster c1"))
        #expect(error { _ = try h3.createVM(pooledSpec("w", p2)) }.contains("not to lone's tree (it stands alone)"))
        #expect(dc.vm(named: "w") == nil)
        #expect(error { try c1.root.move(pool: p2) }.contains("pools move only within their tree"))
        let lonePool = try h3.root.createPool(name: "lp")
        #expect(error { _ = try dc.addCluster(name: "c3", hosts: [h3]) }.contains("host lone has resource pools of its own (lp)"))
        #expect(lonePool.parent === h3.root && dc.clusters.count == 2)
    }

    /// Credit and CFS hosts have no resource pools: a VM in a child pool is refused
    /// power-on there, with the reason; VMs at the root run as before.
    @Test(arguments: [SchedulerKind.credit, .cfs, .roundRobin])
    func schedulersWithoutPools(kind: SchedulerKind) throws {
        let dc = world()
        let h = try host(dc, "h", scheduler: kind)
        let p = try h.root.createPool(name: "p")
        let v = try h.createVM(pooledSpec("v", p))
        let message = error { try v.powerOn() }
        #expect(message.contains("it is in resource pool Resources ▸ p, but h runs the \(kind.rawValue) scheduler, which has no resource pools"), "\(message)")
        try h.createVM(pooledSpec("atRoot", nil)).powerOn()
    }

    /// VMs placed without a pool sit at the root: of their cluster, or of their host
    /// standing alone, and a host joining a cluster hands its VMs to the cluster's root.
    @Test func defaultPools() throws {
        let dc = world()
        let h1 = try host(dc, "esx01"), h2 = try host(dc, "esx02")
        let early = try h1.createVM(pooledSpec("early", nil))
        #expect(early.pool === h1.root)
        let c = try dc.addCluster(name: "c1", hosts: [h1])
        #expect(early.pool === c.root && c.root.vms.count == 1 && h1.root.vms.isEmpty)
        #expect(try h2.createVM(pooledSpec("lone", nil)).pool === h2.root)
    }
}
