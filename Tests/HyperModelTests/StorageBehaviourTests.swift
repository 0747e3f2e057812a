import Testing
@testable import HyperModel

@Suite("Storage: behaviours 29-31 of model-facts §7")
struct StorageBehaviourTests {
    func setup(capacity: Int64 = 100 * GiB, kind: DatastoreKind = .ssd) throws -> (Datacenter, Host, Datastore) {
        let dc = world()
        let ds = try dc.addDatastore(name: "ds1", capacity: capacity, kind: kind)
        let h = try dc.addHost(HostSpec(name: "esx01", cpus: 8, mhz: 2400, memory: 64 * GiB, datastores: [ds]))
        return (dc, h, ds)
    }

    func vm(_ h: Host, _ name: String, _ disks: [DiskSpec], on: Bool = true) throws -> VM {
        var spec = VMSpec(name: name, memory: 1 * GiB, mem: MemoryAllocation(reservation: 1 * GiB))
        spec.disks = disks
        let v = try h.createVM(spec)
        if on { try v.powerOn() }
        return v
    }

    /// Behaviour 29: thin disks grow only with first writes of new 1 MB blocks; provisioned
    /// may exceed capacity; when the datastore fills, only VMs needing new blocks pause
    /// with a question; freeing space and answering retry resumes them.
    @Test func thinGrowthAndOverSubscription() throws {
        let (dc, h, ds) = try setup()
        let a = try vm(h, "a", [DiskSpec(size: 80 * GiB, provisioning: .thin)])
        let b = try vm(h, "b", [DiskSpec(size: 80 * GiB, provisioning: .thin)])
        let c = try vm(h, "c", [DiskSpec(size: 10 * GiB, provisioning: .thickLazy)])
        let files = ds.used
        #expect(files == 10 * GiB + 3 * (3 * 1024 + 8684 + 256 * 1024 + 1024 + 100 * MiB))  // thick c, vmx/nvram/log/vmdk, vmx swap (.vswp 0: fully reserved)
        #expect(ds.provisioned > ds.capacity)  // 170 GiB of disks on 100 GiB
        try a.run(DiskWorkload(write: 10 * GiB, rate: Double(400 * MiB)))
        try dc.run(for: .seconds(Int64(120)))
        #expect(a.disks[0].allocated == 10 * GiB)
        #expect(ds.used == files + 10 * GiB)
        // rewriting written blocks grows nothing
        try a.run(DiskWorkload(write: 10 * GiB, rate: Double(400 * MiB), rewrite: true))
        try dc.run(for: .seconds(Int64(120)))
        #expect(a.disks[0].allocated == 10 * GiB)
        // both thin VMs write more than is free; c rewrites inside its thick disk
        try a.run(DiskWorkload(write: 60 * GiB, rate: Double(200 * MiB)))
        try b.run(DiskWorkload(write: 60 * GiB, rate: Double(200 * MiB)))
        try c.run(DiskWorkload(write: 100 * GiB, rate: Double(20 * MiB), rewrite: false))
        try dc.run(for: .seconds(Int64(600)))
        #expect(a.state == .paused && b.state == .paused)
        #expect(a.question?.contains("There is no more space for virtual disk a.vmdk") == true)
        #expect(c.state == .on)
        #expect(ds.free < VirtualDisk.blockSize)
        #expect(!dc.log.events(kind: "datastore.alarm").isEmpty)
        // retry without space: still paused; cancelling b powers it off, which deletes its
        // 100 MiB VMX swap file: a's retry then finds room
        try a.answer("retry")
        #expect(a.state == .paused)
        try b.answer("cancel")
        #expect(b.state == .off)
        #expect(throws: ModelError.self) { try a.answer("maybe") }
        try a.answer("retry")
        #expect(a.state == .on)
        try dc.run(for: .seconds(Int64(60)))
        #expect(a.state == .paused)  // filled the 100 MiB and paused again
    }

    /// Behaviour 30: lazy-zeroed and thin first writes cost a zero-fill (twice the I/O);
    /// rewrites cost the same as eager; eager zeroing at creation takes size / bandwidth.
    @Test func zeroingPolicies() throws {
        let (dc, h, _) = try setup(capacity: 500 * GiB)
        let eager = try vm(h, "eager", [DiskSpec(size: 40 * GiB, provisioning: .thickEager)], on: false)
        #expect(!eager.disks[0].ready)
        #expect(throws: ModelError.self) { try eager.powerOn() }
        try dc.run(for: .seconds(Int64(100)))
        #expect(!eager.disks[0].ready)              // 40 GiB / 400 MiB/s = 102.4 s
        try dc.run(for: .seconds(Int64(4)))
        #expect(eager.disks[0].ready)
        try eager.powerOn()
        let lazy = try vm(h, "lazy", [DiskSpec(size: 40 * GiB, provisioning: .thickLazy)])
        func timeToWrite(_ v: VM, _ bytes: Int64, rewrite: Bool) throws -> Double {
            let w = try DiskWorkload(write: bytes, rate: Double(4 * GiB), rewrite: rewrite)
            try v.run(w)
            let start = dc.now
            while w.isWriting { try dc.run(for: .seconds(Int64(1))) }
            v.stop()
            return (dc.now - start).seconds
        }
        let first = try timeToWrite(lazy, 10 * GiB, rewrite: false)
        let second = try timeToWrite(lazy, 10 * GiB, rewrite: true)
        let onEager = try timeToWrite(eager, 10 * GiB, rewrite: false)
        #expect(abs(first - 51.2) <= 1.5, "first write \(first) s")      // 2 × 10 GiB at 400 MiB/s
        #expect(abs(second - 25.6) <= 1.5, "second write \(second) s")   // 10 GiB at 400 MiB/s
        #expect(abs(onEager - 25.6) <= 1.5, "eager write \(onEager) s")
    }

    /// Behaviour 31: after a snapshot every write goes to the delta; rewrites of a block
    /// already in the delta do not grow it; delta ≤ base; revert discards the delta;
    /// delete merges it; worst case base × (1 + snapshots).
    @Test func snapshots() throws {
        let (dc, h, ds) = try setup(capacity: 500 * GiB)
        let v = try vm(h, "db", [DiskSpec(size: 20 * GiB, provisioning: .thin)])
        let d = v.disks[0]
        try v.run(DiskWorkload(write: 8 * GiB, rate: Double(400 * MiB)))
        try dc.run(for: .seconds(Int64(60)))
        try v.snapshot("before-upgrade")
        let base = d.layers[0]
        #expect(d.provisioned == 2 * 20 * GiB)
        try v.run(DiskWorkload(write: 2 * GiB, rate: Double(400 * MiB), rewrite: true))
        try v.run(DiskWorkload(write: 1 * GiB, rate: Double(400 * MiB)))
        try dc.run(for: .seconds(Int64(60)))
        #expect(d.layers[0] == base)                  // the base is never modified
        #expect(d.deltaAllocated == [3 * GiB])
        try v.run(DiskWorkload(write: 18 * GiB, rate: Double(400 * MiB), rewrite: true))  // two passes over 9 GiB
        try dc.run(for: .seconds(Int64(120)))
        #expect(d.deltaAllocated == [9 * GiB])        // each block once, ≤ the base's 20 GiB
        #expect(ds.files.contains { $0.name == "db-000001-delta.vmdk" && $0.used == 9 * GiB })
        try v.snapshot("after-upgrade")
        #expect(d.provisioned == 3 * 20 * GiB)
        #expect(throws: ModelError.self) { try v.revert("before-upgrade") }   // on
        try v.powerOff()
        #expect(throws: ModelError.self) { try v.revert("no-such") }
        let usedBefore = ds.used
        try v.revert("before-upgrade")
        #expect(v.snapshots.map(\.name) == ["before-upgrade"])
        #expect(d.deltaAllocated == [0])
        #expect(d.written == 8 * GiB)
        #expect(ds.used == usedBefore - 9 * GiB)
        try v.powerOn()
        try v.run(DiskWorkload(write: 1 * GiB, rate: Double(400 * MiB)))
        try dc.run(for: .seconds(Int64(10)))
        try v.deleteSnapshot("before-upgrade")
        #expect(d.layers.count == 1)
        #expect(d.allocated == 9 * GiB)
    }

    /// A write that ends inside a 1 MiB block finishes like any other: its last, partial
    /// block costs a whole block of I/O (it used to wait ~17 min for 1,000 bytes a second
    /// to fill the block).
    @Test func aPartialLastBlockFinishes() throws {
        let (dc, h, _) = try setup()
        let a = try vm(h, "a", [DiskSpec(size: 20 * GiB, provisioning: .thin)])
        let w = try DiskWorkload(write: GiB + 1000, rate: Double(200 * MiB))
        try a.run(w)
        try dc.run(for: .seconds(Int64(7)))
        #expect(w.written == GiB + 1000)
        #expect(!w.isWriting)
        #expect(a.disks[0].allocated == GiB + MiB)  // the block the last 1,000 bytes landed in
    }
}

@Suite("Datastore contention")
struct DatastoreContentionTests {
    /// Writers share a datastore's bandwidth max-min fairly; latency grows with utilization.
    @Test func bandwidthIsSharedAndLatencyGrows() throws {
        let dc = world()
        let ds = try dc.addDatastore(name: "hdd", capacity: 1024 * GiB, kind: .hdd)
        let h = try dc.addHost(HostSpec(name: "h", cpus: 8, mhz: 2400, memory: 64 * GiB, datastores: [ds]))
        #expect(ds.latencyMs == 8)
        var loads: [DiskWorkload] = []
        for (i, rate) in [10.0, 200, 200].enumerated() {
            var spec = VMSpec(name: "v\(i)", memory: 1 * GiB, mem: MemoryAllocation(reservation: 1 * GiB))
            spec.disks = [DiskSpec(size: 100 * GiB, provisioning: .thickEager)]
            let v = try h.createVM(spec)
            loads.append(try DiskWorkload(write: 50 * GiB, rate: rate * Double(MiB)))
            _ = v
        }
        try dc.run(for: .seconds(Int64(3600)))   // eager zeroing first
        for (i, w) in loads.enumerated() {
            try h.vms[i].powerOn()
            try h.vms[i].run(w)
        }
        try dc.run(for: .seconds(Int64(100)))
        // 120 MiB/s: the 10 MiB/s writer gets all it asks, the others split the rest
        #expect(abs(Double(loads[0].written) / Double(MiB) - 1000) <= 20)
        #expect(abs(Double(loads[1].written) / Double(MiB) - 5500) <= 60)
        #expect(loads[1].written == loads[2].written)
        #expect(ds.utilization > 0.99)
        #expect(ds.latencyMs > 100 * 8 - 1)
    }
}
