import Testing
@testable import HyperModel

/// Removing pools, pool admission for a vMotion into another tree (at its start and at
/// the switch-over), and a root that counts only hosts that provide resources.
@Suite("Resource pools: removal, vMotion admission, standby and maintenance hosts")
struct PoolRemovalTests {
    func error(_ body: () throws -> Void) -> String {
        do { try body() } catch let e as ModelError { return e.message } catch { return "\(error)" }
        return "no error"
    }

    /// vCenter's "Remove resource pool": VMs and child pools move to the parent with their
    /// settings; what the parent reserves is then what they reserve.
    @Test func destroyMovesItsContentsToTheParent() throws {
        let w = try MaintenanceWorld()
        let root = w.cluster.root!
        let dept = try root.createPool(name: "dept", cpu: PoolCPUSettings(reservationMHz: 6000))
        let team = try dept.createPool(name: "team", cpu: PoolCPUSettings(shares: .high, reservationMHz: 1000))
        var spec = VMSpec(name: "a", memory: 1 * GiB, cpu: CPUAllocation(reservationMHz: 500))
        spec.pool = dept
        let a = try w.hosts[0].createVM(spec)
        try a.powerOn()
        #expect(abs(root.reservedMHz - 6000) < 1e-9)
        try dept.destroy()
        #expect(dept.removed && root.pools.map(\.name) == ["team"] && team.parent === root)
        #expect(a.pool === root && root.vms.contains { $0 === a })
        #expect(team.cpu.shares == .high && team.cpu.reservationMHz == 1000)
        #expect(abs(root.reservedMHz - 1500) < 1e-9, "team's 1 GHz + a's 500 MHz")
        let e = w.events("pool.destroy")
        #expect(e.count == 1 && e[0].message == "removed from Resources; VMs a and pools team moved to Resources")
        // a removed pool cannot be used
        #expect(error { _ = try dept.createPool(name: "x") }.contains("pool dept was removed (pool:destroy())"))
        #expect(error { try dept.move(a) }.contains("was removed"))
        var s2 = VMSpec(name: "b", memory: 1 * GiB)
        s2.pool = dept
        #expect(error { _ = try w.hosts[0].createVM(s2) }.contains("create_vm b: pool: pool dept was removed"))
        #expect(error { try dept.destroy() }.contains("was removed"))
    }

    /// The root is refused; a child pool whose name its new siblings already use, and a
    /// running vApp, are refused with nothing changed.
    @Test func refusedRemovals() throws {
        let w = try MaintenanceWorld()
        let root = w.cluster.root!
        #expect(error { try root.destroy() } == "ResourcePool(Resources of cluster prod):destroy: the root pool is the cluster prod's total resources and cannot be removed (remove its child pools)")
        let outer = try root.createPool(name: "outer")
        _ = try root.createPool(name: "dup")
        _ = try outer.createPool(name: "dup")
        let m = error { try outer.destroy() }
        #expect(m.contains("its child pool dup would move to Resources, which already has a child pool named dup"), "\(m)")
        #expect(!outer.removed && outer.pools.count == 1 && root.pools.count == 2)
        let app = try root.createVApp(name: "app", delay: 5)
        var spec = VMSpec(name: "m", memory: 1 * GiB)
        spec.pool = app
        _ = try w.hosts[0].createVM(spec)
        try app.vapp!.powerOn()
        #expect(error { try app.destroy() }.contains("VApp(app):destroy: the vApp is started; power it off"))
        try app.vapp!.powerOff()
        try app.destroy()
        #expect(root.vms.map(\.name) == ["m"])
    }

    /// A running VM moving by vMotion within its tree keeps its reservation where it is: a
    /// pool that reserves exactly what its VM needs does not refuse the move.
    @Test func vMotionWithinTheTreeIsNotAdmittedTwice() throws {
        let w = try MaintenanceWorld()
        let tight = try w.cluster.root.createPool(name: "tight", cpu: PoolCPUSettings(reservationMHz: 2000, expandable: false))
        var spec = VMSpec(name: "v", memory: 1 * GiB, cpu: CPUAllocation(reservationMHz: 2000))
        spec.pool = tight
        let v = try w.hosts[0].createVM(spec)
        try v.powerOn()
        try v.migrate(to: w.hosts[1])
        try w.run(30)
        #expect(v.host === w.hosts[1] && v.pool === tight)
    }

    /// A VM moving into another tree (a standalone host's VM to a cluster) must be admitted
    /// by that tree's reservations: refused at the start when its root has no room, and
    /// abandoned at the switch-over when a pool reserved the room during the pre-copy.
    @Test func vMotionIntoAnotherTreeIsAdmittedThere() throws {
        let w = try MaintenanceWorld()
        let ds = w.hosts[0].datastores[0]
        let lone = try w.dc.addHost(HostSpec(name: "lone", cpus: 4, mhz: 2500, memory: 64 * GiB, datastores: [ds]))
        let v = try lone.createVM(VMSpec(name: "v", memory: 8 * GiB, cpu: CPUAllocation(reservationMHz: 2000)))
        try v.powerOn()
        let full = try w.cluster.root.createPool(name: "full", cpu: PoolCPUSettings(reservationMHz: 19_000))
        let m = error { _ = try v.migrate(to: w.hosts[0]) }
        #expect(m.contains("esx01 cannot admit it: insufficient CPU resources: VM(v) moving into cluster prod needs 2.00 GHz reserved"), "\(m)")
        #expect(v.host === lone)
        try full.setCPU(PoolCPUSettings(reservationMHz: 10_000))
        try v.run(MemoryWorkload(size: 6 * GiB, active: 6 * GiB, rate: Double(4 * GiB)))
        try w.run(5)
        let mig = try v.migrate(to: w.hosts[0], bandwidth: Double(GiB) / 4)
        #expect(mig.total > 5)
        try full.setCPU(PoolCPUSettings(reservationMHz: 19_000))
        try w.run(Int64(mig.total) + 5)
        #expect(v.host === lone && v.pool === lone.root)
        #expect(w.events("vm.migrate").last?.message.contains("abandoned at the switch-over: esx01's pool tree cannot admit it") == true)
        // with room it joins the cluster's root at the switch-over
        try full.setCPU(PoolCPUSettings(reservationMHz: 10_000))
        let again = try v.migrate(to: w.hosts[0])
        try w.run(Int64(again.total) + 5)
        #expect(v.host === w.hosts[0] && v.pool === w.cluster.root)
        #expect(abs(w.cluster.root.reservedMHz - 12_000) < 1e-9)
    }

    /// The root counts only hosts that provide resources: one in maintenance mode (or
    /// standby) takes its capacity out of the root, and pool admission sees it.
    @Test func maintenanceAndStandbyHostsProvideNothing() throws {
        let w = try MaintenanceWorld()
        let root = w.cluster.root!
        _ = try root.createPool(name: "p", cpu: PoolCPUSettings(reservationMHz: 6000))
        #expect(abs(root.unreservedMHz - 14_000) < 1e-9)
        try w.drs()
        try w.hosts[1].enterMaintenance()
        #expect(w.hosts[1].maintenance == .in)
        #expect(abs(root.capacity(.cpu) - 10_000) < 1e-9 && abs(root.unreservedMHz - 4000) < 1e-9)
        #expect(error { _ = try root.createPool(name: "q", cpu: PoolCPUSettings(reservationMHz: 5000)) }.contains("insufficient CPU resources"))
        try w.hosts[1].exitMaintenance()
        #expect(abs(root.unreservedMHz - 14_000) < 1e-9)
        _ = try w.hosts[1].enterStandby()
        try w.run(60)
        #expect(w.hosts[1].power == .standby && abs(root.capacity(.cpu) - 10_000) < 1e-9)
    }

    /// Behaviour 56's cluster (4 × 10 GHz at 30 %) with a pool reserving 25 GHz: DPM stops
    /// after one standby host, since without a second the other hosts' 20 GHz could not
    /// hold the reservation, and says so.
    @Test func dpmKeepsWhatPoolsReserve() throws {
        let w = try MaintenanceWorld(hosts: 4)
        _ = try w.cluster.root.createPool(name: "reserved", cpu: PoolCPUSettings(reservationMHz: 25_000))
        for i in 0..<8 { try w.busy("vm\(i + 1)", on: w.hosts[i / 2], load: 0.6, memory: 4 * GiB, active: 2 * GiB) }
        try w.drs()
        try w.cluster.enableDPM(DPMSettings())
        try w.run(until: 4 * 3600)
        #expect(w.standby.count == 1)
        #expect(w.cluster.dpm?.last.contains("the resource pools and VMs of cluster prod reserve 25.00 GHz of CPU, more than the 20.00 GHz the other hosts would provide") == true,
                "\(w.cluster.dpm?.last ?? "")")
    }
}
