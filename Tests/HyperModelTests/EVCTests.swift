import Testing
@testable import HyperModel

/// EVC (datacenter-facts §2.8, behaviour 59): a VM's CPU features are fixed at power-on
/// (the baseline under EVC, else its host's generation); moves to a host lacking them are
/// refused (vMotion) or skipped (DRS, evacuation), and hosts lacking the baseline cannot
/// join.
@Suite("EVC: CPU compatibility (behaviour 59)")
struct EVCTests {
    /// A cluster of an old (Haswell) and a new (Ice Lake) host, 4 × 2.5 GHz and 64 GiB each.
    struct Generations {
        let dc: Datacenter
        let old: Host
        let new: Host
        let cluster: Cluster
        let ds: Datastore

        init(evc: String? = nil) throws {
            dc = world()
            ds = try dc.addDatastore(name: "shared", capacity: 1024 * GiB, kind: .san)
            old = try Generations.host(dc, "old", "haswell", ds)
            new = try Generations.host(dc, "new", "ice-lake", ds)
            cluster = try dc.addCluster(name: "prod", hosts: [old, new], evc: evc.map { CPUGeneration.named($0)! })
        }

        static func host(_ dc: Datacenter, _ name: String, _ generation: String, _ ds: Datastore) throws -> Host {
            var spec = HostSpec(name: name, cpus: 4, mhz: 2500, memory: 64 * GiB, datastores: [ds])
            spec.cpuGeneration = CPUGeneration.named(generation)!
            return try dc.addHost(spec)
        }

        func busy(_ name: String, on h: Host) throws -> VM {
            let v = try h.createVM(VMSpec(name: name, vcpus: 1, memory: 2 * GiB))
            try v.powerOnHere()
            try v.run(CPUWorkload(threads: 1, load: 1))
            return v
        }
    }

    func error(_ body: () throws -> Void) -> String {
        do { try body() } catch let e as ModelError { return e.message } catch { return "\(error)" }
        return "no error"
    }

    /// Behaviour 59, part 1: under an EVC baseline a VM started on the newest host gets
    /// the baseline's features and migrates to the oldest host.
    @Test func underEVCaVMFromTheNewestHostMovesToTheOldest() throws {
        let g = try Generations(evc: "haswell")
        let v = try g.busy("app", on: g.new)
        #expect(v.cpuFeatures?.name == "haswell")
        #expect(v.cpuRefusal(on: g.old) == nil)
        try v.migrate(to: g.old)
        try g.dc.run(for: .seconds(Int64(60)))
        #expect(v.host === g.old)
    }

    /// Part 2: a host whose CPU lacks a baseline feature cannot join, at creation or
    /// later, and the message names the host, its CPU and what it lacks; nothing changes.
    @Test func aHostLackingTheBaselineIsRefused() throws {
        let g = try Generations(evc: "haswell")
        let sandy = try Generations.host(g.dc, "sandy", "sandy-bridge", g.ds)
        let m = error { try g.cluster.addHost(sandy) }
        #expect(m == "Cluster(prod):add_host: host sandy cannot join: its CPU (sandy-bridge, Intel® \"Sandy Bridge\" Generation) cannot present the cluster's EVC baseline \"haswell\": it lacks F16C, RDRAND, FSGSBASE, AVX2, FMA3, BMI1 and 2 more (a host joins an EVC cluster only if it can present the baseline)", "\(m)")
        #expect(g.cluster.hosts.count == 2 && sandy.clusterMembership == nil)
        let amd = try Generations.host(g.dc, "epyc", "zen3", g.ds)
        #expect(error { try g.cluster.addHost(amd) }.contains("it is an AMD CPU and cannot present an Intel baseline (EVC never mixes vendors)"))
        let sky = try Generations.host(g.dc, "sky", "skylake", g.ds)
        try g.cluster.addHost(sky)
        #expect(g.cluster.hosts.count == 3 && sky.clusterMembership === g.cluster)
        #expect(error { try g.cluster.addHost(sky) }.contains("host sky is already in prod"))
        let m2 = error { _ = try g.dc.addCluster(name: "mixed", hosts: [sandy], evc: CPUGeneration.named("ivy-bridge")) }
        #expect(m2.contains("cluster mixed: evc: the baseline \"ivy-bridge\""), "\(m2)")
        #expect(m2.contains("host sandy has sandy-bridge"), "\(m2)")
        #expect(g.dc.clusters.count == 1)
        // enabling a baseline newer than a host is refused, naming the host
        #expect(error { try g.cluster.enableEVC(CPUGeneration.named("ice-lake")!) }.contains("host old has haswell"))
        #expect(g.cluster.evc?.name == "haswell")
    }

    /// Part 3: without EVC, a VM booted on the newer host uses its extra features and fails
    /// the compatibility check towards the older one; powered off and on there, it boots
    /// with the older features and moves both ways.
    @Test func withoutEVCtheNewerFeaturesPinTheVM() throws {
        let g = try Generations()
        let v = try g.busy("app", on: g.new)
        #expect(v.cpuFeatures?.name == "ice-lake")
        let m = error { _ = try v.migrate(to: g.old) }
        #expect(m.hasPrefix("migrate: VM(app): CPU incompatible: the guest booted with ice-lake features and uses ADX, RDSEED, PREFETCHW"), "\(m)")
        #expect(m.contains("which old (haswell) does not present"), "\(m)")
        #expect(v.host === g.new && v.migration == nil)
        try v.powerOff()
        let cold = try g.old.createVM(VMSpec(name: "cold", memory: 1 * GiB))
        try cold.powerOn()
        #expect(cold.cpuFeatures?.name == "haswell")
        try cold.migrate(to: g.new)
        try g.dc.run(for: .seconds(Int64(30)))
        #expect(cold.host === g.new)
        #expect(cold.cpuRefusal(on: g.old) == nil, "a Haswell guest runs on both")
    }

    /// EVC is turned on only while no running VM uses features above the baseline; a
    /// suspended VM keeps its features through resume.
    @Test func enablingEVCOverRunningVMs() throws {
        let g = try Generations()
        let v = try g.busy("app", on: g.new)
        let m = error { try g.cluster.enableEVC(CPUGeneration.named("haswell")!) }
        #expect(m.contains("1 VM running or suspended with CPU features above the baseline \"haswell\" would lose them: app (ice-lake"), "\(m)")
        #expect(g.cluster.evc == nil)
        try v.suspend()
        #expect(error { try g.cluster.enableEVC(CPUGeneration.named("haswell")!) }.contains("would lose them"))
        try v.resume()
        #expect(v.cpuFeatures?.name == "ice-lake")
        try v.powerOff()
        try g.cluster.enableEVC(CPUGeneration.named("haswell")!)
        try v.powerOn()
        #expect(v.cpuFeatures?.name == "haswell")
        try g.cluster.disableEVC()
        #expect(v.cpuFeatures?.name == "haswell", "running VMs keep what they booted with")
        #expect(error { try g.cluster.disableEVC() }.contains("EVC is not enabled"))
        // a cluster made with EVC over a host running such a VM is refused the same way
        let sky = try Generations.host(g.dc, "sky", "skylake", g.ds)
        let fast = try sky.createVM(VMSpec(name: "fast", memory: 1 * GiB))
        try fast.powerOn()
        #expect(error { _ = try g.dc.addCluster(name: "late", hosts: [sky], evc: CPUGeneration.named("haswell")) }
            .contains("cluster late: evc: 1 VM running or suspended with CPU features above the baseline \"haswell\" would lose them: fast (skylake"))
        #expect(g.dc.clusters.count == 1)
    }

    /// DRS balancing honours it: four CPU-bound VMs booted on the new host stay there
    /// without EVC (no compatible destination), and spread to the old host under EVC.
    @Test(arguments: [false, true])
    func drsBalancingSkipsIncompatibleHosts(evc: Bool) throws {
        let g = try Generations(evc: evc ? "haswell" : nil)
        let vms = try (1...4).map { try g.busy("vm\($0)", on: g.new) }
        var s = DRSSettings()
        s.threshold = 5
        try g.cluster.enableDRS(s)
        try g.dc.run(for: .seconds(Int64(900)))
        let moved = vms.filter { $0.host === g.old }.count
        if evc { #expect(moved >= 1) } else { #expect(moved == 0) }
    }

    /// Maintenance names it: the only other host lacks the VM's features, so the VM is not
    /// evacuated and the blocker says "no compatible host" with the CPU reason.
    @Test func evacuationNamesTheCPU() throws {
        let g = try Generations()
        let v = try g.busy("app", on: g.new)
        try g.cluster.enableDRS(DRSSettings())
        let blockers = try g.new.enterMaintenance()
        #expect(blockers.count == 1 && blockers[0].vm.vm === v)
        #expect(blockers[0].reason == .incompatible)
        #expect(blockers[0].message.contains("no compatible host: old: CPU incompatible: the guest booted with ice-lake features"), "\(blockers[0].message)")
        #expect(g.new.maintenance == .entering)
    }

    /// A suspended guest keeps its features: maintenance does not re-register it on a host
    /// lacking them (it stays, said in the log), while a powered-off VM moves.
    @Test func suspendedVMsStayWithCompatibleCPUs() throws {
        let g = try Generations()
        let v = try g.busy("app", on: g.new)
        try v.suspend()
        let off = try g.new.createVM(VMSpec(name: "cold", memory: 1 * GiB))
        try g.cluster.enableDRS(DRSSettings())
        try g.new.enterMaintenance(movePoweredOff: true)
        #expect(v.host === g.new && off.host === g.old)
        #expect(g.dc.log.events(kind: "maintenance", subject: "VM(app)").contains { $0.message.hasPrefix("stays registered on new (suspended)") })
        #expect(v.cpuRefusal(on: g.old) != nil)
    }

    /// HA restarts are boots: a VM of the failed new host restarts on the old one and
    /// gets its features.
    @Test func haRestartBootsWithTheNewHostsFeatures() throws {
        let g = try Generations()
        try g.cluster.enableHA(HASettings())
        let v = try g.busy("app", on: g.new)
        try g.new.fail()
        try g.dc.run(for: .seconds(Int64(120)))
        #expect(v.host === g.old && v.state == .on)
        #expect(v.cpuFeatures?.name == "haswell")
    }

    /// FT's secondary runs the same guest: it needs a host presenting its features.
    @Test func ftSecondaryNeedsTheFeatures() throws {
        let g = try Generations()
        try g.cluster.enableHA(HASettings())
        let v = try g.busy("app", on: g.new)
        let m = error { try v.enableFT(secondary: g.old) }
        #expect(m.hasPrefix("enable_ft: VM(app): the secondary cannot run on old: CPU incompatible"), "\(m)")
        #expect(error { try v.enableFT() }.contains("no other host of prod has room for the secondary (and the CPU features its guest uses)"))
        let w = try g.busy("web", on: g.old)
        try w.enableFT()
        #expect(w.ftSecondary === g.new)
    }

    /// The catalogue: ordered per vendor, cumulative, names parsed or refused with the list.
    @Test func catalogue() throws {
        #expect(CPUGeneration.intel.first?.name == "merom" && CPUGeneration.intel.last?.name == "sapphire-rapids")
        #expect(CPUGeneration.amd.first?.name == "opteron-g1" && CPUGeneration.amd.last?.name == "zen4")
        let haswell = CPUGeneration.named("haswell")!, broadwell = CPUGeneration.named("broadwell")!
        #expect(broadwell.has(haswell) && !haswell.has(broadwell))
        #expect(haswell.lacking(broadwell) == ["ADX", "RDSEED", "PREFETCHW"])
        #expect(haswell.features.contains("AVX") && haswell.features.contains("AVX2"))
        #expect(!CPUGeneration.named("zen4")!.has(CPUGeneration.named("merom")!))
        #expect(error { _ = try CPUGeneration.parse("pentium", "lab.host", "cpu_generation") }
            .hasPrefix("lab.host: cpu_generation \"pentium\" is not a CPU generation (use one of Intel's \"merom\""))
    }
}
