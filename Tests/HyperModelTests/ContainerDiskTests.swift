import Testing
@testable import HyperModel

/// Container disk I/O (docs/containers.md "Disk"): writes share the datastore through the
/// storage clock, io.weight divides a kernel's share, io.max caps, copy-up takes time.
@Suite("Containers: disk I/O")
struct ContainerDiskTests {
    let mibps = Double(MiB)

    /// A 200 MiB/s datastore and `nodes` Linux nodes on it.
    func setup(nodes: Int = 1, rate: Double = 200 * Double(MiB)) throws -> (Datacenter, Datastore, [Host]) {
        let dc = world()
        let ds = try dc.addDatastore(name: "ds", capacity: 1000 * GiB, kind: .ssd, writeRate: rate)
        var hs: [Host] = []
        for i in 0..<nodes {
            var spec = HostSpec(name: "node\(i + 1)", cpus: 8, mhz: 2400, memory: 32 * GiB, datastores: [ds])
            spec.hypervisor = .none
            hs.append(try dc.addHost(spec))
        }
        return (dc, ds, hs)
    }

    func writer(_ h: Host, _ name: String, _ edit: (inout DockerOptions) -> Void = { _ in }) throws -> Container {
        let k = try h.runContainer(name: name, image: nil, options: docker(edit))
        try k.run(DiskWorkload(write: 40 * GiB, rate: 200 * mibps))
        return k
    }

    @Test func twoContainersShareFairly() throws {
        let (dc, ds, hs) = try setup()
        let a = try writer(hs[0], "a"), b = try writer(hs[0], "b")
        try dc.run(for: .seconds(Int64(10)))
        #expect(abs(a.diskRate - 100 * mibps) < 1 && abs(b.diskRate - 100 * mibps) < 1)
        #expect(ds.utilization > 0.999)
        #expect(abs(a.diskLatencyMs - 100 * DatastoreKind.ssd.baseLatencyMs) < 1e-6, "a full datastore: 100× its service time")
        // 9 full seconds after the 0.5 s start-up (the clock ticks on whole seconds)
        #expect(a.diskWritten == b.diskWritten && a.diskWritten >= 900 * MiB && a.diskWritten <= 950 * MiB)
    }

    @Test func alone_latencyAtHalfLoad() throws {
        let (dc, ds, hs) = try setup()
        let a = try hs[0].runContainer(name: "a", image: nil, options: docker())
        try a.run(DiskWorkload(write: 40 * GiB, rate: 100 * mibps))
        try dc.run(for: .seconds(Int64(5)))
        #expect(abs(a.diskRate - 100 * mibps) < 1 && abs(ds.utilization - 0.5) < 1e-9)
        #expect(abs(a.diskLatencyMs - 2 * DatastoreKind.ssd.baseLatencyMs) < 1e-9)
    }

    /// io.weight 200:100 among one node's containers: 2/3 and 1/3 of the node's share.
    @Test func weightsDivideANodesShare() throws {
        let (dc, _, hs) = try setup()
        let a = try writer(hs[0], "a") { $0.ioWeight = 200 }, b = try writer(hs[0], "b") { $0.ioWeight = 100 }
        try dc.run(for: .seconds(Int64(10)))
        #expect(abs(a.diskRate - 200 * mibps * 2 / 3) < 1 && abs(b.diskRate - 200 * mibps / 3) < 1)
        #expect(a.ioControl.weight == 200)
    }

    /// Weights act inside a kernel only: two nodes on one datastore get half each whatever their
    /// containers' weights (the datastore shares max-min fairly among claimants).
    @Test func weightsDoNotCrossNodes() throws {
        let (dc, _, hs) = try setup(nodes: 2)
        let a = try writer(hs[0], "a") { $0.ioWeight = 1000 }, b = try writer(hs[1], "b") { $0.ioWeight = 100 }
        try dc.run(for: .seconds(Int64(10)))
        #expect(abs(a.diskRate - 100 * mibps) < 1 && abs(b.diskRate - 100 * mibps) < 1)
    }

    /// A capped container's unused share goes to its neighbour (work-conserving weights).
    @Test func weightedShareIsWorkConserving() throws {
        let (dc, _, hs) = try setup()
        let a = try writer(hs[0], "a") { $0.ioWeight = 1000; $0.deviceWriteBps = 20 * Double(MiB) }
        let b = try writer(hs[0], "b") { $0.ioWeight = 10 }
        try dc.run(for: .seconds(Int64(10)))
        #expect(abs(a.diskRate - 20 * mibps) < 1 && abs(b.diskRate - 180 * mibps) < 1)
    }

    /// io.max is a ceiling even on an idle disk; the time it holds the container counts.
    @Test func ioMaxCapsOnAnIdleDisk() throws {
        let (dc, ds, hs) = try setup()
        let a = try writer(hs[0], "a") { $0.deviceWriteBps = 50 * Double(MiB) }
        let b = try writer(hs[0], "b") { $0.deviceWriteIops = 100 }
        try dc.run(for: .seconds(Int64(11)))
        #expect(abs(a.diskRate - 50 * mibps) < 1)
        #expect(abs(b.diskRate - 100 * 128 * Double(Units.KiB)) < 1, "100 IOPS of 128 KiB = 12.5 MiB/s")
        #expect(ds.utilization < 0.32)
        #expect(a.diskThrottled == 10.5 && b.diskThrottled == 10.5, "held from the start-up at 0.5 s to 11 s")
        #expect(a.ioControl.maxText == "8:0 rbps=max wbps=52428800 riops=max wiops=max")
    }

    /// A container beside a VM on the same datastore: each claimant gets half.
    @Test func besideAVM() throws {
        let (dc, ds, hs) = try setup()
        let esx = try dc.addHost(HostSpec(name: "esx01", cpus: 8, mhz: 2400, memory: 64 * GiB, datastores: [ds]))
        var spec = VMSpec(name: "db", memory: 1 * GiB, mem: MemoryAllocation(reservation: 1 * GiB))
        spec.disks = [DiskSpec(size: 100 * GiB, provisioning: .thickEager)]
        let v = try esx.createVM(spec)
        try dc.run(for: .seconds(Int64(600)))  // eager zeroing done
        try v.powerOn()
        let vw = try DiskWorkload(write: 40 * GiB, rate: 200 * mibps)
        try v.run(vw)
        let a = try writer(hs[0], "a")
        try dc.run(for: .seconds(Int64(10)))
        let before = vw.written
        try dc.run(for: .seconds(Int64(10)))
        #expect(abs(a.diskRate - 100 * mibps) < 1)
        #expect(abs(Double(vw.written - before) - 1000 * mibps) < 2 * Double(MiB), "the VM gets the other half")
    }

    /// In a VM guest a container's writes are its VM's I/O: they land on the VM's disk and
    /// compete with another VM as the VM would.
    @Test func inAGuestItIsTheVMsIO() throws {
        let (dc, ds, _) = try setup(nodes: 0)
        let esx = try dc.addHost(HostSpec(name: "esx01", cpus: 8, mhz: 2400, memory: 64 * GiB, datastores: [ds]))
        var vms: [VM] = []
        for n in ["g", "other"] {
            var spec = VMSpec(name: n, vcpus: 2, memory: 4 * GiB, mem: MemoryAllocation(reservation: 4 * GiB))
            spec.disks = [DiskSpec(size: 100 * GiB, provisioning: .thin)]
            let v = try esx.createVM(spec)
            try v.powerOn()
            vms.append(v)
        }
        let k = try vms[0].runContainer(name: "k", image: nil, options: docker())
        try k.run(DiskWorkload(write: 40 * GiB, rate: 200 * mibps))
        try vms[1].run(DiskWorkload(write: 40 * GiB, rate: 200 * mibps))
        try dc.run(for: .seconds(Int64(10)))
        // thin first writes cost a zero-fill too: half the datastore each, half of it data
        #expect(abs(k.diskRate - 50 * mibps) < 1)
        #expect(vms[0].disks[0].allocated == k.diskWritten)
        #expect(k.diskDatastore === ds)
    }

    /// Copy-up of a 1 GiB file on a 1.3 GiB/s store: ≈ 0.78 s (datacenter-facts §4.5), and the
    /// container's disk writes wait meanwhile.
    @Test func copyUpTakesTime() throws {
        let (dc, _, hs) = try setup(rate: 1.3 * Double(GiB))
        let img = try dc.addImage(name: "db", layers: [try ImageLayer(size: GiB + MiB, files: ["/data/db.bin": GiB])])
        let k = try hs[0].runContainer(name: "k", image: img, options: docker())
        try dc.run(for: .seconds(Int64(5)))
        let w = try DiskWorkload(write: 40 * GiB, rate: 100 * mibps)
        try k.run(w)
        let wait = try k.write("/data/db.bin", offset: 0, bytes: 4096)
        #expect(abs(wait - 1 / 1.3) < 1e-6 && abs(wait - 0.78) < 0.02)
        #expect(k.copyUpSeconds == wait && k.diskWritten == GiB)
        try dc.run(for: .seconds(Int64(1)))
        #expect(Double(w.written) < 0.25 * 100 * mibps, "the writes waited for the copy-up")
        #expect(try k.write("/data/db.bin", offset: 0, bytes: 4096) == 0, "copied once")
    }

    /// Bad input: clear errors, nothing half-applied.
    @Test func badInput() throws {
        let dc = world()
        let bare = try linuxNode(dc)  // no datastore
        #expect(throws: ModelError("run_container a: device_write_bps and device_write_iops limit a device, and node1's kernel has no disk (give the node a datastore: lab.host{ hypervisor = \"none\", datastores = { ds } })")) {
            try bare.runContainer(name: "a", image: nil, options: docker { $0.deviceWriteBps = 1e6 })
        }
        #expect(dc.containerRegistry.containerNames.isEmpty && bare.kernel!.containers.isEmpty)
        let k = try bare.runContainer(name: "b", image: nil, options: docker())
        #expect(throws: ModelError("Container(b):run: node1 has no datastore for the container's writes; give the node one (lab.host{ hypervisor = \"none\", datastores = { ds } })")) {
            try k.run(DiskWorkload(write: GiB))
        }
        #expect(k.workloads.isEmpty)
        let (dc2, _, hs) = try setup()
        for (edit, message) in [
            ({ (d: inout DockerOptions) in d.deviceWriteBps = -5 }, "device_write_bps -5 is not allowed (use more than 0)"),
            ({ (d: inout DockerOptions) in d.deviceWriteIops = 0 }, "device_write_iops 0 is not allowed (use more than 0)"),
            ({ (d: inout DockerOptions) in d.ioWeight = 0 }, "io_weight 0 is not allowed (use 1 to 10000, default 100)"),
            ({ (d: inout DockerOptions) in d.blkioWeight = 5 }, "blkio_weight 5 is not allowed (use 10 to 1000, as docker run --blkio-weight)"),
            ({ (d: inout DockerOptions) in d.ioWeight = 100; d.blkioWeight = 500 }, "io_weight and blkio_weight both set the I/O weight; give one"),
        ] {
            #expect(throws: ModelError("run_container x: " + message)) { try hs[0].runContainer(name: "x", image: nil, options: docker(edit)) }
        }
        #expect(hs[0].kernel!.containers.isEmpty)
        #expect(throws: ModelError("datastore bad: write_rate must be more than 0 bytes/s")) {
            try dc2.addDatastore(name: "bad", capacity: GiB, kind: .ssd, writeRate: -1)
        }
        #expect(IOControl.weight(blkio: 500) == 4950 && IOControl.weight(blkio: 10) == 1 && IOControl.weight(blkio: 1000) == 10_000)
    }

    /// 2,000 writers on 100 nodes of one datastore: each node a hundredth of it, split by weight inside; ten simulated minutes stay quick (O(writers) per second).
    @Test func manyNodesStayFairAndQuick() throws {
        let (dc, _, hs) = try setup(nodes: 100, rate: 1000 * Double(MiB))
        var ks: [Container] = []
        for (n, h) in hs.enumerated() {
            for c in 0..<20 { ks.append(try writer(h, "n\(n)c\(c)") { $0.ioWeight = c == 0 ? 1900 : 100 }) }
        }
        let clock = ContinuousClock()
        let took = try clock.measure { try dc.run(for: .seconds(Int64(600))) }
        // per node 10 MiB/s: the weight-1900 container half of it, the 19 others 1/38 each
        #expect(abs(ks[0].diskRate - 5 * mibps) < 1 && abs(ks[1].diskRate - 5 * mibps / 19) < 1)
        #expect(abs(ks[1999].diskRate - 5 * mibps / 19) < 1)
        #expect(took < .seconds(20), "took \(took)")
    }

    func scenario() throws -> (String, [Int64], [Double]) {
        let (dc, _, hs) = try setup(nodes: 2)
        var ks: [Container] = []
        for i in 0..<6 {
            let k = try hs[i % 2].runContainer(name: "k\(i)", image: nil, options: docker {
                $0.ioWeight = 50 * (1 + i % 3)
                if i % 4 == 1 { $0.deviceWriteBps = Double(30 + 10 * i) * Double(MiB) }
            })
            try k.run(DiskWorkload(write: Int64(1 + i) * GiB, rate: Double(60 + 20 * i) * mibps))
            ks.append(k)
        }
        try dc.run(for: .seconds(Int64(120)))
        return (dc.log.digest, ks.map(\.diskWritten), ks.map(\.diskThrottled))
    }

    @Test func deterministic() throws {
        let a = try scenario(), b = try scenario()
        #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2)
        #expect(a.1.allSatisfy { $0 > 0 })
    }
}
