import Testing
@testable import HyperModel

@Suite("Live migration: behaviours 33-35 of model-facts §7")
struct MigrationTests {
    func pair(profile: Profile = .esxi) throws -> (Datacenter, Host, Host) {
        let dc = world()
        if profile != .esxi { try dc.setProfile(profile) }
        let ds = try dc.addDatastore(name: "shared", capacity: 1024 * GiB, kind: .san)
        let a = try dc.addHost(HostSpec(name: "a", cpus: 8, mhz: 2400, memory: 64 * GiB, datastores: [ds]))
        let b = try dc.addHost(HostSpec(name: "b", cpus: 8, mhz: 2400, memory: 64 * GiB, datastores: [ds]))
        return (dc, a, b)
    }

    func busyVM(_ h: Host, dirty: Double, active: Int64) throws -> VM {
        let v = try h.createVM(VMSpec(name: "vm", vcpus: 2, memory: 4 * GiB))
        try v.powerOn()
        try v.run(MemoryWorkload(size: 3 * GiB, active: active, rate: Double(GiB), dirty: dirty))
        return v
    }

    /// Behaviour 33: 4 GiB at 1 GiB/s, 100 MiB/s dirtied, QEMU with 300 ms: round 0 sends
    /// 4,096 MiB in 4 s and leaves 400 MiB; round 1 sends them and leaves ≈ 39 MiB, under
    /// the 307 MiB threshold: downtime ≈ 38 ms, total ≈ 4.4 s.
    @Test func preCopyConverges() throws {
        let (dc, a, b) = try pair()
        let v = try busyVM(a, dirty: Double(100 * MiB), active: 2 * GiB)
        try dc.run(for: .seconds(Int64(10)))   // done allocating: only the 100 MiB/s of rewrites
        let m = try v.migrate(to: b, engine: .qemu, bandwidth: Double(GiB), downtimeLimit: 0.3)
        #expect(m.rounds.count == 2)
        #expect(m.rounds[0].sent == 4 * GiB && abs(m.rounds[0].seconds - 4) < 1e-9)
        #expect(abs(Double(m.rounds[0].dirtied) / Double(MiB) - 400) < 0.5)
        #expect(abs(Double(m.rounds[1].dirtied) / Double(MiB) - 39.06) < 0.1)
        #expect(abs(m.downtime * 1000 - 38.1) < 0.5)
        #expect(abs(m.total - 4.43) < 0.01)
        #expect(v.host === a)
        try dc.run(for: .seconds(Int64(5)))
        #expect(v.host === b && m.done && v.state == .on)
        #expect(b.vms.contains { $0 === v } && !a.vms.contains { $0 === v })
    }

    /// Behaviour 34: dirtying faster than the link, QEMU throttles 20 %, 30 %, 40 % until
    /// (1 − t)·r < B; Xen without throttling stops after 30 rounds (or 3× the memory) with
    /// a large downtime.
    @Test func nonConvergenceAndThrottling() throws {
        let (dc, a, b) = try pair()
        let v = try busyVM(a, dirty: 1.5 * Double(GiB), active: 3 * GiB)
        try dc.run(for: .seconds(Int64(10)))
        let q = try v.migrate(to: b, engine: .qemu, bandwidth: Double(GiB))
        let throttles = q.rounds.map(\.throttle)
        #expect(throttles.prefix(4).map { ($0 * 10).rounded() / 10 } == [0, 0.2, 0.3, 0.4])
        #expect(q.converged)
        try dc.run(for: .seconds(Int64(60)))
        let x = try v.migrate(to: a, engine: .xen, bandwidth: Double(GiB))
        #expect(!x.converged)
        #expect(x.reason == "3× the domain's memory was sent")
        #expect(x.downtime >= 2.9)                      // the 3 GiB writable set, stopped
        let s = try { () throws -> Migration in try dc.run(for: .seconds(Int64(60))); return try v.migrate(to: b, engine: .vmotion, bandwidth: Double(GiB)) }()
        #expect(s.converged && s.rounds.dropFirst().allSatisfy { $0.throttle > 0.4 })   // SDPS
    }

    /// Behaviour 35: an idle domain's second round has fewer than 50 pages: Xen stops.
    @Test func xenStopsEarly() throws {
        let (dc, a, b) = try pair(profile: .xen)
        let v = try a.createVM(VMSpec(name: "idle", memory: 2 * GiB))
        try v.powerOn()
        try dc.run(for: .seconds(Int64(5)))
        let m = try v.migrate(to: b, bandwidth: Double(GiB))
        #expect(m.engine == .xen)
        #expect(m.rounds.count == 1 && m.reason == "fewer than 50 pages were left to send")
        #expect(m.downtime < 0.001)
    }

    @Test func refusals() throws {
        let (dc, a, b) = try pair()
        let lonely = try dc.addHost(HostSpec(name: "c", cpus: 8, mhz: 2400, memory: 64 * GiB))
        var spec = VMSpec(name: "db", memory: 4 * GiB)
        spec.disks = [DiskSpec(size: 10 * GiB)]
        let v = try a.createVM(spec)
        #expect(throws: ModelError.self) { try v.migrate(to: b) }        // off
        try v.powerOn()
        #expect(throws: ModelError.self) { try v.migrate(to: a) }        // same host
        #expect(throws: ModelError.self) { try v.migrate(to: lonely) }   // no shared storage
        let small = try dc.addHost(HostSpec(name: "small", cpus: 1, mhz: 2400, memory: 64 * GiB, datastores: a.datastores))
        var wide = VMSpec(name: "wide", vcpus: 2, memory: 2 * GiB)
        wide.disks = [DiskSpec(size: 1 * GiB)]
        let w = try a.createVM(wide)
        try w.powerOn()
        #expect(throws: ModelError.self) { try w.migrate(to: small) }    // 2 vCPUs on 1 pCPU
    }
}
