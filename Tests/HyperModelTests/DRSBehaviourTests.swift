import Testing
@testable import HyperModel

/// A DRS cluster of `hosts` hosts of 4 × 2.5 GHz (10 GHz) and 64 GiB on shared storage.
struct DRSWorld {
    let dc: Datacenter
    let hosts: [Host]
    let cluster: Cluster
    let ds: Datastore

    init(hosts n: Int = 2, cpus: Int = 4, mhz: Double = 2500, memory: Int64 = 64 * GiB) throws {
        let dc = world()
        let ds = try dc.addDatastore(name: "shared", capacity: 16 * 1024 * GiB, kind: .san)
        let hosts = try (1...n).map { try dc.addHost(HostSpec(name: "esx0\($0)", cpus: cpus, mhz: mhz, memory: memory, datastores: [ds])) }
        cluster = try dc.addCluster(name: "prod", hosts: hosts)
        (self.dc, self.ds, self.hosts) = (dc, ds, hosts)
    }

    /// A powered-on VM on `h` whose last-interval CPU demand is set by hand to `mhz`
    /// (the entitlement solver then gives it that, without contention).
    @discardableResult
    func vm(_ name: String, on h: Host, demand mhz: Double, vcpus: Int = 2, memory: Int64 = 4 * GiB) throws -> VM {
        let v = try h.createVM(VMSpec(name: name, vcpus: vcpus, memory: memory))
        try v.powerOnHere()
        v.metrics.cpuDemandMHz = mhz
        return v
    }

    func solve() { cluster.root.solver.solve() }

    func settings(_ change: (inout DRSSettings) -> Void = { _ in }) -> DRSSettings {
        var s = DRSSettings()
        change(&s)
        return s
    }

    func drsMoves() -> [LogEvent] { dc.log.events(kind: "drs.migrate").filter { $0.message.contains("vMotion") } }
}

@Suite("DRS: behaviours 48, 49, 51, 52, 54 of datacenter-facts §7")
struct DRSBehaviourTests {
    /// Behaviour 48 at the pass: two 10 GHz hosts at loads 0.8 and 0.2, LIM 0.30; at the
    /// default threshold 3 the move has priority 2 under reading A (6 − ceil(3·√2) = 1,
    /// clamped) and 3 under reading B (6 − ceil(2.12)); moving the 3 GHz VM leaves 0.5/0.5,
    /// LIM 0, and nothing else (datacenter-facts §2.2, KB "Calculating the priority level
    /// of a VMware DRS migration recommendation" via vbrownbag.com 2010/06).
    @Test(arguments: [(DRSSettings.PriorityReading.a, 2), (.b, 3)])
    func clearImbalanceAtThePass(reading: DRSSettings.PriorityReading, priority: Int) throws {
        let w = try DRSWorld()
        let big = try w.vm("big", on: w.hosts[0], demand: 3000)
        try w.vm("a2", on: w.hosts[0], demand: 2500)
        try w.vm("a3", on: w.hosts[0], demand: 2500)
        try w.vm("b1", on: w.hosts[1], demand: 2000)
        w.solve()
        try w.cluster.enableDRS(w.settings { $0.reading = reading })
        let drs = w.cluster.drs
        #expect(abs(drs.load(of: w.hosts[0]).cpu - 0.8) < 1e-9 && abs(drs.load(of: w.hosts[1]).cpu - 0.2) < 1e-9)
        #expect(abs(drs.cpuImbalance - 0.30) < 1e-9)
        #expect(drs.priority == priority)
        var L = drs.loads
        let moves = drs.balance(&L)
        #expect(moves.count == 1)
        #expect(moves.first?.vm === big && moves.first?.to === w.hosts[1])
        #expect(moves.first?.priority == priority && moves.first?.reason == .fairnessCpuAvg)
        #expect(L.imbalance < 1e-9)
    }

    /// Behaviour 48 in time: the same loads from running guests; within one 300 s pass a
    /// priority ≤ 3 vMotion moves the 3 GHz VM, after it the hosts sit near 0.5/0.5 and the
    /// next passes move nothing.
    @Test func clearImbalanceInTime() throws {
        let w = try DRSWorld()
        func start(_ name: String, _ h: Host, vcpus: Int, threads: Int, load: Double) throws -> VM {
            let v = try h.createVM(VMSpec(name: name, vcpus: vcpus, memory: 4 * GiB))
            try v.powerOn()
            try v.run(CPUWorkload(threads: threads, load: load))
            return v
        }
        let big = try start("big", w.hosts[0], vcpus: 2, threads: 2, load: 0.6)
        _ = try start("a2", w.hosts[0], vcpus: 1, threads: 1, load: 1.0)
        _ = try start("a3", w.hosts[0], vcpus: 1, threads: 1, load: 1.0)
        _ = try start("b1", w.hosts[1], vcpus: 1, threads: 1, load: 0.8)
        try w.cluster.enableDRS(w.settings())
        try w.dc.run(for: .seconds(Int64(301)))
        let moves = w.drsMoves()
        #expect(moves.count == 1)
        #expect(moves.first?.subject == "VM(big)" && moves.first?.message.hasPrefix("priority 2, fairnessCpuAvg: esx01 → esx02") == true)
        try w.dc.run(for: .seconds(Int64(60)))
        #expect(big.host === w.hosts[1])
        let drs = w.cluster.drs
        #expect(abs(drs.load(of: w.hosts[0]).cpu - 0.5) < 0.03 && abs(drs.load(of: w.hosts[1]).cpu - 0.5) < 0.03)
        try w.dc.run(for: .seconds(Int64(600)))
        #expect(w.drsMoves().count == 1)
        #expect(drs.passes == 3)
    }
}
