import Testing
@testable import HyperModel

/// Behaviours 75–78 of datacenter-facts §7 (VDI, §5): IOPS per desktop from the Windows 7
/// era sources (millennia.it, Schulz, Atlantis/Moyle; [M] defaults), clone savings from
/// View 5.2 / Horizon 7.13 planning, salting from KB 2097593 and the Horizon 6.1 TPS scope,
/// density from Horizon 6.x architecture planning.
@Suite("VDI: behaviours 75-78 of datacenter-facts §7")
struct VDIBehaviourTests {
    func world(hosts n: Int, cpus: Int = 32, memory: Int64 = 512 * GiB, dsKind: DatastoreKind = .ssd,
               capacity: Int64 = 20 * 1024 * GiB) throws -> (Datacenter, [Host], Datastore) {
        let dc = Datacenter(seed: 1)
        let ds = try dc.addDatastore(name: "vdi", capacity: capacity, kind: dsKind)
        let hosts = try (1...n).map { try dc.addHost(HostSpec(name: "esx\($0)", cpus: cpus, mhz: 2400, memory: memory, datastores: [ds])) }
        return (dc, hosts, ds)
    }

    func template(_ h: Host, _ ds: Datastore, memory: Int64 = 2 * GiB, disk: Int64 = 40 * GiB, guest: String = "windows10") throws -> VM {
        var spec = VMSpec(name: "gold", vcpus: 1, memory: memory, guest: guest)
        spec.disks = [DiskSpec(size: disk, provisioning: .thickLazy, datastore: ds)]
        let t = try h.createVM(spec)
        try t.toTemplate()
        return t
    }

    /// I/O only: no CPU or memory, so the behaviour's arithmetic is the whole story; login
    /// at the steady rate so that only boot stands out, as the behaviour counts.
    func ioOnly() -> DesktopProfile {
        var p = DesktopProfile()
        p.boot.cpuLoad = 0; p.boot.memory = 0
        p.login = DesktopPhase(iops: 10, readPercent: 20, cpuLoad: 0, memory: 0, duration: .seconds(Int64(1)))
        p.steady.cpuLoad = 0
        return p
    }

    func storm(stagger: SimTime) throws -> DesktopPool {
        let (dc, hosts, ds) = try world(hosts: 4)
        try dc.vdi.setIOPS(1_000_000, of: ds)   // a datastore that keeps up: demand as asked
        let t = try template(hosts[0], ds, memory: 512 * MiB, disk: 1 * GiB, guest: "linux")
        var spec = DesktopPoolSpec(name: "vdi", template: t, count: 500, hosts: hosts, bootAt: .seconds(Int64(60)))
        spec.stagger = stagger
        spec.profile = ioOnly()
        let p = try dc.vdi.createPool(spec)
        _ = try dc.run(for: .seconds(Int64(60 + 600 + 180)))
        #expect(p.count(.steady) == 500)
        #expect(abs(dc.vdi.io(of: ds).demandIOPS - 5_000) < 1)   // 500 × 10 steady
        return p
    }

    /// Behaviour 75: 500 desktops boot within one 60 s window at 50 IOPS: 25,000 IOPS (5×
    /// the 5,000 of steady state); spread over 10 min, ≈ 50 × 50 + 450 × 10 = 7,000.
    @Test func bootStormPeaks() throws {
        let all = try storm(stagger: .zero)
        #expect(abs(all.peakIOPS - 25_000) < 1)
        let spread = try storm(stagger: .seconds(Int64(600)))
        #expect(abs(spread.peakIOPS - 7_000) <= 0.03 * 7_000)
    }

    /// Behaviour 75 on a datastore that cannot keep up: latency rises and boots stretch.
    @Test func saturationStretchesBoots() throws {
        let (dc, hosts, ds) = try world(hosts: 2, dsKind: .san)   // 5,000 IOPS
        let t = try template(hosts[0], ds, memory: 512 * MiB, disk: 1 * GiB, guest: "linux")
        var spec = DesktopPoolSpec(name: "vdi", template: t, count: 200, hosts: hosts, bootAt: .seconds(Int64(120)))
        spec.profile = ioOnly()
        let p = try dc.vdi.createPool(spec)
        _ = try dc.run(for: .seconds(Int64(120 + 90)))
        #expect(p.count(.booting) == 200)   // 10,000 IOPS asked of 5,000: 60 s of boot take 120 s
        #expect(p.peakLatencyMs > 50)
        _ = try dc.run(for: .seconds(Int64(60)))
        #expect(p.count(.booting) == 0)
        #expect(p.peakIOPS == 10_000)
    }

    /// Behaviour 76: 100 desktops from a 40 GB image take 4,000 GB as full clones; as
    /// linked clones with 2 GB deltas 40 + 100 × 2 = 240 GB (94 % saved, ≥ 50 %).
    @Test func cloneSavings() throws {
        let (dc, hosts, ds) = try world(hosts: 2)
        let t = try template(hosts[0], ds)
        var fullSpec = DesktopPoolSpec(name: "full", template: t, count: 100, hosts: hosts, bootAt: .seconds(Int64(86_400)))
        fullSpec.kind = .full
        let full = try dc.vdi.createPool(fullSpec)
        #expect(full.storage == 4_000 * GiB)
        var spec = DesktopPoolSpec(name: "lc", template: t, count: 100, hosts: hosts, bootAt: .zero)
        spec.profile = ioOnly()
        let linked = try dc.vdi.createPool(spec)
        #expect(linked.storage == 40 * GiB)   // the replica; empty deltas
        _ = try dc.run(for: .seconds(Int64(300)))
        #expect(linked.count(.steady) == 100)
        for d in linked.desktops { try d.run(try DiskWorkload(write: 2 * GiB, rate: 100 * Double(MiB))) }
        _ = try dc.run(for: .seconds(Int64(3_000)))
        #expect(linked.storage == 240 * GiB)
        #expect(abs(linked.saving - 94) < 0.1)
        #expect(linked.saving >= 50)
    }

    /// Behaviour 76: an instant clone is there already powered on; its private memory
    /// starts near 0 and grows only with the pages it writes.
    @Test func instantClonesForkRunning() throws {
        let (dc, hosts, ds) = try world(hosts: 1)
        let t = try template(hosts[0], ds)
        var spec = DesktopPoolSpec(name: "ic", template: t, count: 20, hosts: hosts, bootAt: .seconds(Int64(600)))
        spec.kind = .instant
        let p = try dc.vdi.createPool(spec)
        #expect(p.desktops.allSatisfy { $0.state == .on })
        #expect(p.parents.count == 1 && p.parents[0].state == .on)
        let d = p.desktops[0]
        let privateBytes = { d.guest.pages.count(rows: .all, columns: .privateBacked) * Units.pageSize }
        #expect(privateBytes() < 20 * MiB)
        #expect(p.sharedAcross >= 20 * GiB)   // 2 GiB each, all the parent's
        try d.guestTouch(256 * MiB)
        #expect(privateBytes() >= 256 * MiB && privateBytes() < 280 * MiB)
        // instant clones share the replica on disk too
        #expect(p.storage == 40 * GiB)
        #expect(p.saving > 90)
    }

    /// Behaviour 77: 100 identical desktops on one host share no pages across VMs with
    /// Mem.ShareForceSalting 2 and the default scope (VM); with scope "pool" (a common
    /// salt) inter-VM sharing is above 0 once large pages are broken.
    @Test func saltingScopes() throws {
        func shared(_ scope: TPSScope) throws -> Int64 {
            let (dc, hosts, ds) = try world(hosts: 1)
            hosts[0].memory.settings.sharing.largePages = false   // as after they are broken
            let t = try template(hosts[0], ds, disk: 1 * GiB)
            var spec = DesktopPoolSpec(name: "p", template: t, count: 100, hosts: hosts, bootAt: .zero)
            spec.tpsScope = scope
            spec.profile.boot.cpuLoad = 0; spec.profile.login.cpuLoad = 0; spec.profile.steady.cpuLoad = 0
            let p = try dc.vdi.createPool(spec)
            _ = try dc.run(for: .seconds(Int64(900)))
            #expect(p.count(.steady) == 100)
            return p.sharedAcross
        }
        #expect(try shared(.vm) == 0)
        let pool = try shared(.pool)
        #expect(pool > 0)
        #expect(try shared(.global) == pool)   // one pool: the same desktops share a salt
    }

    /// Behaviour 77, the other scopes and settings: scope "pod" gives the pools of one pod
    /// a common salt (they share with each other, not with another pod's); with
    /// Mem.ShareForceSalting 0 the salt is ignored and even scope "vm" shares.
    @Test func podScopeAndSaltingZero() throws {
        func run(salting: Int, pods: [(String, TPSScope)]) throws -> [Int64] {
            let (dc, hosts, ds) = try world(hosts: 1)
            hosts[0].memory.settings.sharing.largePages = false
            hosts[0].memory.settings.sharing.salting = salting
            let t = try template(hosts[0], ds, disk: 1 * GiB)
            var pools: [DesktopPool] = []
            for (i, (pod, scope)) in pods.enumerated() {
                var spec = DesktopPoolSpec(name: "p\(i)", template: t, count: 1, hosts: hosts, bootAt: .zero)
                spec.tpsScope = scope
                spec.pod = pod
                spec.profile.boot.cpuLoad = 0; spec.profile.login.cpuLoad = 0; spec.profile.steady.cpuLoad = 0
                pools.append(try dc.vdi.createPool(spec))
            }
            _ = try dc.run(for: .seconds(Int64(900)))
            return pools.map(\.sharedAcross)
        }
        // one desktop per pool: only sharing across pools can share across VMs
        let samePod = try run(salting: 2, pods: [("east", .pod), ("east", .pod)])
        #expect(samePod.allSatisfy { $0 > 0 })
        let twoPods = try run(salting: 2, pods: [("east", .pod), ("west", .pod)])
        #expect(twoPods.allSatisfy { $0 == 0 })
        let poolScope = try run(salting: 2, pods: [("east", .pool), ("east", .pool)])
        #expect(poolScope.allSatisfy { $0 == 0 })
        let unsalted = try run(salting: 0, pods: [("east", .vm), ("west", .vm)])
        #expect(unsalted.allSatisfy { $0 > 0 })
    }

    /// Behaviour 78: a 2 × 16-core host at 8–10 desktops per core supports 256–320
    /// one-vCPU desktops by CPU; 300 desktops of 2 GB need 600 GB, so a 512 GB host is
    /// memory-bound first at ≤ 1:1 memory over-commitment.
    @Test func densityLimit() throws {
        let d = try DesktopDensity(cores: 32, memory: 512 * GiB, desktopVCPUs: 1, desktopMemory: 2 * GiB)
        #expect(d.byCPU == 256...320)
        #expect(d.byMemory == 256)
        #expect(d.memoryBound)
        #expect(300 * 2 * GiB > 512 * GiB)
        // the model agrees: 300 such desktops over-commit the host's memory, not its CPU band
        let (dc, hosts, ds) = try world(hosts: 1)
        let t = try template(hosts[0], ds, disk: 1 * GiB)
        var spec = DesktopPoolSpec(name: "dense", template: t, count: 300, hosts: hosts, bootAt: .zero)
        spec.profile = ioOnly()
        _ = try dc.vdi.createPool(spec)
        _ = try dc.run(for: .seconds(Int64(120)))
        #expect(hosts[0].cpuOvercommit > 8 && hosts[0].cpuOvercommit < 10)
        #expect(hosts[0].memory.overcommit > 1)
    }

    /// Determinism: the same morning twice gives the same samples, peaks and %RDY.
    @Test func sameSeedSameMorning() throws {
        func morning() throws -> DesktopPool {
            let (dc, hosts, ds) = try world(hosts: 2, cpus: 8, dsKind: .san)
            let t = try template(hosts[0], ds, disk: 1 * GiB)
            var spec = DesktopPoolSpec(name: "d", template: t, count: 60, hosts: hosts, bootAt: .seconds(Int64(30)))
            spec.stagger = .seconds(Int64(120))
            let p = try dc.vdi.createPool(spec)
            _ = try dc.run(for: .seconds(Int64(600)))
            return p
        }
        let a = try morning(), b = try morning()
        #expect(a.history == b.history)
        #expect(a.history.contains { $0.ready > 0 })   // 60 desktops booting on 16 cores queue
        #expect(a.peakReady == b.peakReady && a.peakLatencyMs == b.peakLatencyMs && a.allSteadyAt == b.allSteadyAt)
    }

    /// Bad input: each refusal names the field and what is allowed, and nothing is cloned.
    @Test func refusals() throws {
        let (dc, hosts, ds) = try world(hosts: 1, capacity: 200 * GiB)
        let notTemplate = try hosts[0].createVM(VMSpec(name: "plain", memory: 2 * GiB))
        func refused(_ spec: DesktopPoolSpec, _ text: String) {
            do {
                _ = try dc.vdi.createPool(spec)
                Issue.record("accepted: \(text)")
            } catch let e as ModelError {
                #expect(e.message.contains(text), "\(e.message)")
            } catch { Issue.record("\(error)") }
        }
        refused(DesktopPoolSpec(name: "a", template: notTemplate, count: 2, hosts: hosts, bootAt: .zero), "is not a template")
        let t = try template(hosts[0], ds)
        refused(DesktopPoolSpec(name: "a", template: t, count: 0, hosts: hosts, bootAt: .zero), "count 0 is not allowed")
        var full = DesktopPoolSpec(name: "a", template: t, count: 10, hosts: hosts, bootAt: .zero)
        full.kind = .full
        refused(full, "10 full clones need 400.00 GiB")
        var big = DesktopPoolSpec(name: "a", template: t, count: 2, hosts: hosts, bootAt: .zero)
        big.profile.boot.memory = 4 * GiB
        refused(big, "more than the template's 2.00 GiB")
        var bad = DesktopPoolSpec(name: "a", template: t, count: 2, hosts: hosts, bootAt: .zero)
        bad.profile.steady.cpuLoad = 2
        refused(bad, "steady.cpu 2 is not allowed")
        let other = try dc.addDatastore(name: "other", capacity: 100 * GiB, kind: .ssd)
        var away = DesktopPoolSpec(name: "a", template: t, count: 2, hosts: hosts, bootAt: .zero)
        away.datastore = other
        refused(away, "does not mount other")
        _ = try dc.run(for: .seconds(Int64(10)))
        refused(DesktopPoolSpec(name: "a", template: t, count: 2, hosts: hosts, bootAt: .seconds(Int64(5))), "is in the past")
        #expect(dc.vms.count == 2 && dc.vdi.pools.isEmpty)
        #expect(throws: ModelError.self) { try dc.vdi.setIOPS(0, of: ds) }
    }
}
