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

    /// Behaviour 34: dirtying faster than the link, QEMU throttles as migration/ram.c
    /// does (QEMU 8.x, `migration_trigger_throttle`: dirty_rate_high_cnt >= 2 starts or
    /// raises it, then resets; cpu-throttle-initial 20, -increment 10, max-cpu-throttle 99)
    /// until (1 − t)·r < B; Xen without throttling stops after its live iterations with a
    /// large downtime.
    @Test func nonConvergenceAndThrottling() throws {
        let (dc, a, b) = try pair()
        let v = try busyVM(a, dirty: 1.5 * Double(GiB), active: 3 * GiB)
        try dc.run(for: .seconds(Int64(10)))
        let q = try v.migrate(to: b, engine: .qemu, bandwidth: Double(GiB))
        let throttles = q.rounds.map(\.throttle)
        #expect(throttles.prefix(7).map { ($0 * 100).rounded() / 100 } == [0, 0, 0.2, 0.2, 0.3, 0.3, 0.4])
        #expect(q.converged)
        try dc.run(for: .seconds(Int64(60)))
        // Xen 4.6+ migration v2 (xg_sr_save.c, SPP_MAX_ITERATIONS 5): five live iterations
        let x = try v.migrate(to: a, engine: .xen, bandwidth: Double(GiB))
        #expect(!x.converged)
        #expect(x.rounds.count == 5 && x.reason == "5 live iterations were sent")
        #expect(x.downtime >= 2.9)                      // the 3 GiB writable set, stopped
        try dc.run(for: .seconds(Int64(60)))
        // legacy xc_domain_save: 4 GiB, then 3 GiB a pass, until 3 × 4 GiB were sent
        let l = try v.migrate(to: b, engine: .xenLegacy, bandwidth: Double(GiB))
        #expect(l.rounds.count == 4 && l.reason == "3× the domain's memory was sent")
        let s = try { () throws -> Migration in try dc.run(for: .seconds(Int64(60))); return try v.migrate(to: a, engine: .vmotion, bandwidth: Double(GiB)) }()
        #expect(s.converged && s.rounds.dropFirst().allSatisfy { $0.throttle > 0.4 })   // SDPS
    }

    /// QEMU's auto-converge parameters, as `migrate-set-parameters` sets them.
    @Test func autoConvergeParameters() throws {
        let (dc, a, b) = try pair()
        let v = try busyVM(a, dirty: 1.5 * Double(GiB), active: 3 * GiB)
        try dc.run(for: .seconds(Int64(10)))
        var ac = AutoConverge()
        ac.initial = 0.5
        ac.increment = 0.25
        ac.maximum = 0.9
        let q = try v.migrate(to: b, engine: .qemu, bandwidth: Double(GiB), autoConverge: ac)
        #expect(q.rounds.prefix(7).map { ($0.throttle * 100).rounded() / 100 } == [0, 0, 0.5, 0.5, 0.75, 0.75, 0.9].prefix(q.rounds.count).map { $0 })
        var bad = AutoConverge()
        bad.initial = 0.95
        bad.maximum = 0.9
        #expect(throws: ModelError.self) { try v.migrate(to: b, engine: .qemu, autoConverge: bad) }
    }

    /// Xen's legacy cap: DEF_MAX_ITERS 29 is 29 live passes, the 30th the suspended copy.
    @Test func xenLegacyIterationCap() throws {
        let (dc, a, b) = try pair(profile: .xen)
        // a 64 MiB set rewritten faster than the link: every pass resends 64 MiB, so neither
        // 3× the memory (4 GiB + 28 × 64 MiB < 12 GiB) nor 50 pages stops it early
        let v = try busyVM(a, dirty: 2 * Double(GiB), active: 64 * MiB)
        try dc.run(for: .seconds(Int64(10)))
        let l = try v.migrate(to: b, engine: .xenLegacy, bandwidth: Double(GiB))
        #expect(l.rounds.count == 29 && l.reason == "29 live passes were sent")
        #expect(abs(l.downtime - 0.0625) < 1e-6)         // the 64 MiB set, suspended
        try dc.run(for: .seconds(Int64(60)))
        let x = try v.migrate(to: a, engine: .xen, bandwidth: Double(GiB))
        #expect(x.rounds.count == 5 && x.reason == "5 live iterations were sent")
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
