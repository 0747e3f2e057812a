import Testing
@testable import HyperModel

/// The container model's own guarantees: determinism, reads that change nothing, Docker's
/// option mapping, and refusals that leave nothing behind.
@Suite("Containers: model")
struct ContainerModelTests {
    /// A mixed node: weights, quotas, memory limits with swap, high and OOM kills.
    func scenario(readEverySecond: Bool) throws -> (String, [CPUStat], [MemoryEvents]) {
        let dc = world(seed: 3)
        let node = try linuxNode(dc, cpus: 4, memory: 4 * GiB)
        var ks: [Container] = []
        for i in 0..<12 {
            let k = try node.runContainer(name: "k\(i)", image: nil, options: docker {
                $0.cpuWeight = 50 * (1 + i % 4)
                if i % 3 == 0 { $0.cpus = 0.5 + Double(i % 4) * 0.25 }
                $0.memory = Int64(128 + 64 * (i % 5)) * MiB
                if i % 2 == 0 { $0.memoryHigh = Int64(96 + 32 * (i % 5)) * MiB }
                if i % 4 == 1 { $0.memorySwap = $0.memory }
            })
            try k.run(CPUWorkload(threads: 1 + i % 3, load: 0.3 + 0.1 * Double(i % 7)))
            try k.run(MemoryWorkload(size: Int64(100 + 50 * (i % 6)) * MiB, rate: Double(40 * MiB)))
            ks.append(k)
        }
        for _ in 0..<120 {
            try dc.run(for: .seconds(Int64(1)))
            if readEverySecond { for k in ks { _ = (k.stat, k.memoryUsage, k.memoryEventsNow, k.swapUsage, k.cpuRate) } }
        }
        return (dc.log.digest, ks.map(\.stat), ks.map(\.memoryEventsNow))
    }

    /// Same seed, same results — whether or not a lab reads the counters meanwhile.
    @Test func readsChangeNothing() throws {
        let quiet = try scenario(readEverySecond: false)
        let watched = try scenario(readEverySecond: true)
        #expect(quiet.0 == watched.0)
        #expect(quiet.1 == watched.1)
        #expect(quiet.2 == watched.2)
        #expect(quiet.2.contains { $0.oomKill > 0 } && quiet.2.contains { $0.high > 0 }, "the scenario exercises kills and high")
    }

    /// Docker's mapping (resource_constraints.md): --cpus, --memory-swap's three meanings,
    /// the v1 names, namespaces by cgroup version.
    @Test func dockerMapping() throws {
        let dc = world()
        let v2 = try linuxNode(dc).kernel!, v1 = try linuxNode(dc, "old", cgroup: .v1).kernel!
        let (cpu, mem, ns) = try docker { $0.cpus = 1.5; $0.memory = 300 * MiB }.cgroup(on: v2, who: "t")
        #expect(cpu.quota == 150_000 && cpu.period == 100_000 && cpu.maxText == "150000 100000")
        #expect(mem.max == 300 * MiB && mem.swapMax == 300 * MiB, "unset --memory-swap: 600m in all")
        #expect(ns == ["cgroup", "ipc", "mnt", "net", "pid", "uts"])
        #expect(try docker { $0.memory = 300 * MiB; $0.memorySwap = -1 }.cgroup(on: v2, who: "t").1.swapMax == nil)
        #expect(try docker { $0.memory = 300 * MiB; $0.memorySwap = 300 * MiB }.cgroup(on: v2, who: "t").1.swapMax == 0)
        let (c1, _, ns1) = try docker { $0.cpuShares = 2048; $0.cpuQuota = 50_000; $0.cpuPeriod = 200_000 }.cgroup(on: v1, who: "t")
        #expect(c1.weight == 2048 && c1.quota == 50_000 && c1.period == 200_000 && !ns1.contains("cgroup"))
        #expect(try docker { $0.cpuShares = 1024 }.cgroup(on: v2, who: "t").0.weight == 100)
        #expect(throws: ModelError("t: cpu_max is a cgroup v2 file; old's kernel uses cgroup v1 (use cpu_quota and cpu_period)")) {
            try docker { $0.cpuMax = "max" }.cgroup(on: v1, who: "t")
        }
    }

    /// Behaviour 74's container part (datacenter-facts §4.6, [M] defaults): with its image
    /// present a container starts in 0.5 s; a missing image is pulled first at the
    /// datastore's bandwidth (120 MiB on a 120 MB/s hdd: 1 s), once for containers started
    /// together; each live container costs 20 MiB outside its cgroup; ten containers of
    /// one image hold its layers once on disk and in the page cache.
    @Test func startUpAndOverhead() throws {
        let dc = world()
        let hdd = try dc.addDatastore(name: "hdd", capacity: 100 * GiB, kind: .hdd)
        var spec = HostSpec(name: "n", cpus: 4, mhz: 2400, memory: 8 * GiB, datastores: [hdd])
        spec.hypervisor = .none
        let node = try dc.addHost(spec)
        let bytes = Int64(DatastoreKind.hdd.writeBytesPerSecond)
        let img = try dc.addImage(name: "i", layers: [try ImageLayer(size: bytes / 2), try ImageLayer(size: bytes / 2)])
        let first = try (0..<10).map { try node.runContainer(name: "k\($0)", image: img, options: docker()) }
        try dc.run(for: .seconds(Int64(5)))
        #expect(first.allSatisfy { ($0.startTime! - $0.createdAt) == .milliseconds(1500) })
        let late = try node.runContainer(name: "late", image: img, options: docker())
        try dc.run(for: .seconds(Int64(1)))
        #expect(late.startTime! - late.createdAt == .milliseconds(500))
        let k = node.kernel!
        #expect(k.imageBytes == img.size && k.pageCache == img.size)
        #expect(k.residentUsed == 11 * 20 * MiB)
        let stopped = dc.now
        try k.stop(late)
        try dc.run(for: .seconds(Int64(1)))
        #expect(late.state == .exited && late.exitTime! - stopped == .milliseconds(100) && late.exitCode == 143)
        #expect(k.residentUsed == 10 * 20 * MiB)
    }

    /// Inside a VM the containers share what the VM receives: two 1-vCPU VMs on one pCPU
    /// each get half of it, and the guest's CFS splits that half 2 : 1 by weight.
    @Test func guestSharesWhatTheVMReceives() throws {
        let dc = world()
        let h = try host(dc, cpus: 1, mhz: 2000, memory: 16 * GiB)
        let a = try vm(h, "a", memory: 2 * GiB), b = try vm(h, "b", memory: 2 * GiB)
        try b.run(CPUWorkload(threads: 1, load: 1))
        let heavy = try a.runContainer(name: "heavy", image: nil, options: docker { $0.cpuWeight = 200 })
        let light = try a.runContainer(name: "light", image: nil, options: docker { $0.cpuWeight = 100 })
        try heavy.run(CPUWorkload(threads: 1, load: 1))
        try light.run(CPUWorkload(threads: 1, load: 1))
        try dc.run(for: .seconds(Int64(60)))
        let u0 = (heavy.stat.usageUsec, light.stat.usageUsec)
        try dc.run(for: .seconds(Int64(60)))
        let hv = Double(heavy.stat.usageUsec - u0.0) / 60e6, lt = Double(light.stat.usageUsec - u0.1) / 60e6
        #expect(abs(hv + lt - 0.5) < 0.03, "the VM's containers got \(hv + lt) CPUs of the VM's half")
        #expect(abs(hv / lt - 2) < 0.1, "split \(hv) : \(lt)")
    }

    /// A container on a type 1 host outside a VM, a VM on a Linux node, overlapping
    /// cpusets, a duplicate name: refused, nothing made.
    @Test func refusals() throws {
        let dc = world()
        let esx = try host(dc)
        let node = try linuxNode(dc, cpus: 4)
        #expect(throws: ModelError.self) { try esx.runContainer(name: "x", image: nil, options: docker()) }
        #expect(throws: ModelError.self) { try node.createVM(VMSpec(name: "v", memory: GiB)) }
        _ = try node.runContainer(name: "a", image: nil, options: docker { $0.cpuset = [0, 1] })
        #expect(throws: ModelError.self) { try node.runContainer(name: "b", image: nil, options: docker { $0.cpuset = [1, 2] }) }
        #expect(throws: ModelError.self) { try node.runContainer(name: "a", image: nil, options: docker()) }
        #expect(node.kernel!.containers.map(\.name) == ["a"] && esx.kernel == nil && node.vms.isEmpty)
        #expect(throws: ModelError("cluster c: host node1 has hypervisor \"none\" (a Linux node for containers); a vSphere cluster holds hypervisor hosts")) {
            try dc.addCluster(name: "c", hosts: [esx, node])
        }
        #expect(dc.clusters.isEmpty)
        // nor later, through c:add_host (EVCHostJoin)
        let c = try dc.addCluster(name: "c", hosts: [esx])
        #expect(throws: ModelError("Cluster(c):add_host: host node1 has hypervisor \"none\" (a Linux node for containers); a vSphere cluster holds hypervisor hosts")) {
            try c.addHost(node)
        }
        #expect(c.hosts.count == 1 && node.clusterMembership == nil)
    }
}
