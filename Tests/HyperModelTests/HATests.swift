import Testing
@testable import HyperModel

@Suite("HA and FT: behaviours 36 and 37 of model-facts §7")
struct HATests {
    /// Behaviour 37: hosts 9/9, 9/6 and 6/6 (GHz/GB), VMs 2/1, 2/1, 1/2, 1/1, 1/1: slot
    /// 2 GHz / 2 GB, slots 4 + 3 + 3, failover capacity 1; tolerating one failure, a 6th VM
    /// of that size powers on and a 7th is refused.
    @Test func slotAdmission() throws {
        let dc = world()
        let hs = try [(9, 9), (9, 6), (6, 6)].enumerated().map { i, h in
            try dc.addHost(HostSpec(name: "h\(i)", cpus: 3, mhz: Double(h.0) * 1000 / 3, memory: Int64(h.1) * GiB))
        }
        let c = try dc.addCluster(name: "prod", hosts: hs)
        var n = 0
        func vm(_ ghz: Double, _ gb: Int64, on h: Host) throws -> VM {
            n += 1
            return try h.createVM(VMSpec(name: "vm\(n)", memory: gb * GiB,
                                         cpu: CPUAllocation(reservationMHz: ghz * 1000), mem: MemoryAllocation(reservation: gb * GiB)))
        }
        for (g, m, h) in [(2.0, Int64(1), 0), (2, 1, 0), (1, 2, 1), (1, 1, 1), (1, 1, 2)] { try vm(g, m, on: hs[h]).powerOn() }
        try c.enableHA(HASettings())
        let s = c.slots()
        #expect(s.cpu == 2000 && s.memory == 2 * GiB)
        #expect(s.perHost == [4, 3, 3])
        #expect(c.failoverCapacity() == 1)
        let sixth = try vm(2, 2, on: hs[2])
        try sixth.powerOn()
        let seventh = try vm(2, 2, on: hs[2])
        #expect(throws: ModelError.self) { try seventh.powerOn() }
        #expect(dc.log.events(kind: "admission").last?.message.contains("HA admission control") == true)
    }

    /// Behaviour 36: a host fails. The HA-protected VM restarts on another host after
    /// detection (15 s) and boot, its memory lost; the FT VM continues on its secondary
    /// with no downtime and its memory, and gets a new secondary on a third host; the VM
    /// with a pass-through device stays down.
    @Test func haRestartsFTContinues() throws {
        let dc = world()
        var specs = (0..<3).map { HostSpec(name: "h\($0)", cpus: 8, mhz: 2400, memory: 64 * GiB) }
        specs[0].passthroughDevices = 1
        let hs = try specs.map { try dc.addHost($0) }
        let c = try dc.addCluster(name: "prod", hosts: hs)
        try c.enableHA(HASettings())
        let web = try hs[0].createVM(VMSpec(name: "web", memory: 4 * GiB))
        let db = try hs[0].createVM(VMSpec(name: "db", vcpus: 2, memory: 4 * GiB))
        var gpuSpec = VMSpec(name: "gpu", memory: 2 * GiB, mem: MemoryAllocation(reservation: 2 * GiB))
        gpuSpec.devices = [DeviceSpec(kind: .nic, adapter: .passthrough)]
        let gpu = try hs[0].createVM(gpuSpec)
        for v in [web, db, gpu] {
            try v.powerOn()
            try v.guestTouch(1 * GiB)
        }
        #expect(throws: ModelError.self) { try gpu.enableFT() }
        #expect(gpu.haProtection.hasPrefix("unprotected: it has a pass-through"))
        #expect(web.haProtection == "protected by HA")
        try db.enableFT(secondary: hs[1])
        #expect(hs[1].memory.reserved >= 4 * GiB)
        try dc.run(for: .seconds(Int64(10)))
        try hs[0].fail()
        #expect(db.state == .on && db.host === hs[1] && db.consumed == 1 * GiB)   // no downtime, state kept
        #expect(db.ftSecondary === hs[2])                                           // a new secondary
        #expect(web.state == .off && gpu.state == .off)
        try dc.run(for: .seconds(Int64(20)))
        #expect(web.state == .off)                                                  // detected at 15 s, booting
        try dc.run(for: .seconds(Int64(30)))
        #expect(web.state == .on && web.host !== hs[0] && web.consumed == 0)        // restarted, memory lost
        #expect(gpu.state == .off)
        #expect(dc.log.events(kind: "ha").contains { $0.message.contains("restarted on") && $0.message.contains("45") })
        #expect(throws: ModelError.self) { try hs[0].createVM(VMSpec(name: "late", memory: 1 * GiB)).powerOn() }
    }

    /// Legacy FT needs 1 vCPU and eager-zeroed disks; FT needs an HA cluster.
    @Test func ftRequirements() throws {
        let dc = world()
        let ds = try dc.addDatastore(name: "ds", capacity: 500 * GiB, kind: .san)
        let hs = try (0..<2).map { try dc.addHost(HostSpec(name: "h\($0)", cpus: 8, mhz: 2400, memory: 64 * GiB, datastores: [ds])) }
        var spec = VMSpec(name: "erp", memory: 4 * GiB)
        spec.disks = [DiskSpec(size: 10 * GiB, provisioning: .thin)]
        let v = try hs[0].createVM(spec)
        try v.powerOn()
        #expect(throws: ModelError.self) { try v.enableFT() }                 // no cluster
        let c = try dc.addCluster(name: "c", hosts: hs)
        try c.enableHA(HASettings())
        #expect(throws: ModelError.self) { try v.enableFT(legacy: true) }     // thin disk
        try v.enableFT()                                                      // SMP-FT takes any disk
        #expect(v.ftSecondary === hs[1])
        try v.disableFT()
        #expect(v.ftSecondary == nil)
    }
}
