import Testing
@testable import HyperModel

@Suite("MicroVMs: behaviour 74 of datacenter-facts §7 (Firecracker SPECIFICATION.md, docs/design.md)")
struct MicroVMTests {
    func kvmHost(cpus: Int = 36) throws -> (Datacenter, Host) {
        let dc = world()
        try dc.setProfile(.kvm)
        return (dc, try host(dc, "kvm01", cpus: cpus, mhz: 2400, memory: 256 * GiB))
    }

    /// Behaviour 74: a 1-vCPU, 128 MiB microVM reaches /sbin/init ≤ 125 ms after
    /// InstanceStart with ≤ 5 MiB VMM overhead, the VMM start taking ≈ 12 ms of wall clock
    /// and ≤ 8 CPU-ms; from then on it is a VM to the CPU engine and the memory model.
    @Test func bootAndOverhead() throws {
        let (dc, h) = try kvmHost()
        let v = try dc.microVMs.create(on: h, spec: VMSpec(name: "fn1", memory: 128 * MiB), profile: MicroVMProfile())
        let m = try #require(dc.microVMs.microVM(of: v))
        #expect(v.state == .off && m.state == .queued)
        _ = try dc.run(for: .milliseconds(11))
        #expect(v.state == .off)                      // the VMM is still starting
        _ = try dc.run(for: .milliseconds(2))
        #expect(v.state == .on && m.state == .booting)   // InstanceStart at 12 ms
        #expect(m.instanceStart.micros == 12_000)
        #expect(m.profile.vmmCPU <= .milliseconds(8))
        _ = try dc.run(for: .milliseconds(125))
        #expect(m.state == .running)
        #expect((m.initReached - m.instanceStart) <= .milliseconds(125))
        #expect(v.overheadReservation <= 5 * MiB)
        #expect(v.overhead == 5 * MiB)
        #expect(v.consumed >= 32 * MiB)              // the guest touched its boot memory
        // a VM to the scheduler: a busy thread runs and is accounted
        try v.run(try CPUWorkload(threads: 1, load: 1))
        _ = try dc.run(for: .seconds(Int64(40)))
        #expect(v.metrics.cpu.run > 90)
        // a VM to memory reclamation: KVM's virtio-balloon takes a target as for any guest
        try v.setMemoryTarget(64 * MiB)
        _ = try dc.run(for: .seconds(Int64(60)))
        #expect(v.guest.balloonPages * Units.pageSize == 64 * MiB)
    }

    /// Behaviour 74's last sentence: with the defaults a container starts in 0.5 s (its
    /// image already on the node; ContainerModelTests.startUpAndOverhead times pulls) and a
    /// full VM boots in 30 s (VMware Tools ready then; docs/datacenter.md, vApps).
    @Test func containerAndFullVMDefaults() throws {
        let dc = world()
        var spec = HostSpec(name: "node", cpus: 4, mhz: 2400, memory: 8 * GiB)
        spec.hypervisor = .none
        let node = try dc.addHost(spec)
        let esx = try host(dc, "esx01", cpus: 4, mhz: 2400, memory: 16 * GiB)
        let k = try node.runContainer(name: "web", image: nil, options: DockerOptions())
        let vm = try esx.createVM(VMSpec(name: "vm", memory: GiB))
        try vm.powerOn()
        try dc.run(for: .milliseconds(499))
        #expect(k.state != .running)
        try dc.run(for: .milliseconds(1))
        #expect(k.state == .running && k.startTime! - k.createdAt == .milliseconds(500))
        try dc.run(for: .seconds(Int64(29)))
        #expect(!vm.toolsReady)
        try dc.run(for: .milliseconds(500))
        #expect(vm.toolsReady && vm.toolsReadyAt == .seconds(Int64(30)))
    }

    /// Behaviour 74: a 36-core host creates at most 5 × 36 = 180 microVMs per second.
    @Test func creationRateIsAQueue() throws {
        let (dc, h) = try kvmHost(cpus: 36)
        let vms = try (1...360).map { try dc.microVMs.create(on: h, spec: VMSpec(name: "fn\($0)", memory: 128 * MiB), profile: MicroVMProfile()) }
        let started = { (t: Int64) in vms.filter { dc.microVMs.microVM(of: $0)!.vmmStarted.micros < t }.count }
        #expect(started(1_000_000) == 180)
        #expect(started(2_000_000) == 360)
        _ = try dc.run(for: .seconds(Int64(1)))
        #expect(vms.filter { $0.state == .on }.count <= 180)
        _ = try dc.run(for: .seconds(Int64(2)))
        #expect(vms.allSatisfy { dc.microVMs.microVM(of: $0)!.state == .running })
        // the last one waited for its slot: ≈ 2 s from request to /sbin/init
        let last = dc.microVMs.microVM(of: vms[359])!
        #expect(abs(last.startLatency.seconds - (359.0 / 180 + 0.012 + 0.125)) < 0.001)
        // a slower queue is a parameter
        try dc.microVMs.setRatePerCore(1, of: h)
        let late = try dc.microVMs.create(on: h, spec: VMSpec(name: "late", memory: 128 * MiB), profile: MicroVMProfile())
        let late2 = try dc.microVMs.create(on: h, spec: VMSpec(name: "late2", memory: 128 * MiB), profile: MicroVMProfile())
        #expect((dc.microVMs.microVM(of: late2)!.vmmStarted - dc.microVMs.microVM(of: late)!.vmmStarted).micros == 27_778)
    }

    /// Bad input: not KVM, too many vCPUs, bad timings; nothing is created.
    @Test func refusals() throws {
        let dc = world()
        let esx = try host(dc, "esx01")
        #expect(throws: ModelError.self) { try dc.microVMs.create(on: esx, spec: VMSpec(name: "a", memory: 128 * MiB), profile: MicroVMProfile()) }
        do {
            _ = try dc.microVMs.create(on: esx, spec: VMSpec(name: "a", memory: 128 * MiB), profile: MicroVMProfile())
        } catch let e as ModelError {
            #expect(e.message.contains("esxi profile") && e.message.contains("KVM"))
        }
        let (kdc, k) = try kvmHost()
        #expect(throws: ModelError.self) { try kdc.microVMs.create(on: k, spec: VMSpec(name: "b", vcpus: 33, memory: 128 * MiB), profile: MicroVMProfile()) }
        var p = MicroVMProfile()
        p.bootMemory = 256 * MiB
        #expect(throws: ModelError.self) { try kdc.microVMs.create(on: k, spec: VMSpec(name: "c", memory: 128 * MiB), profile: p) }
        #expect(throws: ModelError.self) { try kdc.microVMs.setRatePerCore(0, of: k) }
        #expect(throws: ModelError.self) { try dc.microVMs.setRatePerCore(5, of: esx) }
        #expect(kdc.vms.isEmpty && kdc.microVMs.all.isEmpty && dc.vms.isEmpty)
    }
}
