import Testing
@testable import HyperModel

@Suite("Devices, templates and clones")
struct DeviceTemplateTests {
    func host(_ dc: Datacenter, devices: Int = 1) throws -> (Host, Datastore) {
        let ds = try dc.addDatastore(name: "ds1", capacity: 500 * GiB, kind: .ssd)
        var spec = HostSpec(name: "esx01", cpus: 4, mhz: 2000, memory: 64 * GiB, datastores: [ds])
        spec.passthroughDevices = devices
        return (try dc.addHost(spec), ds)
    }

    func nicVM(_ h: Host, _ name: String, _ adapter: Adapter) throws -> VM {
        var spec = VMSpec(name: name, vcpus: 2, memory: 2 * GiB, mem: MemoryAllocation(reservation: 2 * GiB))
        spec.devices = [DeviceSpec(kind: .nic, adapter: adapter)]
        spec.disks = [DiskSpec(size: 10 * GiB)]
        return try h.createVM(spec)
    }

    /// Behaviour 32: snapshot and suspend (and clone) are refused for a VM with a
    /// DirectPath device; the same VM with a paravirtual NIC allows them. A pass-through
    /// device belongs to one powered-on VM at a time and needs all memory reserved.
    @Test func passthroughRulesOutMobility() throws {
        let dc = world()
        let (h, ds) = try host(dc)
        let other = try dc.addHost(HostSpec(name: "esx02", cpus: 4, mhz: 2000, memory: 64 * GiB, datastores: [ds]))
        let p = try nicVM(h, "p", .passthrough)
        let v = try nicVM(h, "v", .vmxnet3)
        try p.powerOn()
        try v.powerOn()
        #expect(throws: ModelError.self) { try p.snapshot("s") }
        #expect(throws: ModelError.self) { try p.suspend() }
        #expect(throws: ModelError.self) { try p.migrate(to: other) }
        try v.migrate(to: other)
        try dc.run(for: .seconds(Int64(30)))
        #expect(v.host === other)
        try v.snapshot("s")
        try v.suspend()
        #expect(v.state == .suspended && p.state == .on)
        let rival = try nicVM(h, "rival", .passthrough)
        #expect(throws: ModelError.self) { try rival.powerOn() }     // the device is owned
        try p.powerOff()
        #expect(throws: ModelError.self) { _ = try p.clone(name: "copy", linked: false) }
        try rival.powerOn()
        var half = VMSpec(name: "half", memory: 2 * GiB, mem: MemoryAllocation(reservation: 1 * GiB))
        half.devices = [DeviceSpec(kind: .nic, adapter: .passthrough)]
        #expect(throws: ModelError.self) { _ = try h.createVM(half) }
    }

    /// Emulated < paravirtual < pass-through: throughput up, CPU per Gb/s and latency down.
    @Test func adaptersCost() throws {
        let dc = world()
        let (h, _) = try host(dc)
        var results: [Adapter: NetworkWorkload] = [:]
        for a in [Adapter.e1000, .vmxnet3, .passthrough] {
            let vm = try nicVM(h, a.rawValue, a)
            try vm.powerOn()
            let w = try NetworkWorkload(rate: 5e9)
            try vm.run(w)
            results[a] = w
            try dc.run(for: .seconds(Int64(60)))
            try vm.powerOff()
        }
        #expect(results[.e1000]!.achieved == 1e9)
        #expect(results[.vmxnet3]!.achieved == 5e9 && results[.passthrough]!.achieved == 5e9)
        #expect(results[.passthrough]!.cpuMHz < results[.vmxnet3]!.cpuMHz)
        #expect(results[.vmxnet3]!.cpuMHz / 5 < results[.e1000]!.cpuMHz)
        #expect(results[.passthrough]!.latencyMicros < results[.vmxnet3]!.latencyMicros)
    }

    /// Full clones copy the data at the datastore's bandwidth; linked clones share the
    /// template's disk read-only and write to their own delta.
    @Test func templatesAndClones() throws {
        let dc = world()
        let (h, ds) = try host(dc)
        var spec = VMSpec(name: "gold", memory: 2 * GiB, mem: MemoryAllocation(shares: .high, reservation: 1 * GiB))
        spec.disks = [DiskSpec(size: 20 * GiB, provisioning: .thin)]
        let gold = try h.createVM(spec)
        try gold.powerOn()
        try gold.run(DiskWorkload(write: 8 * GiB, rate: Double(GiB)))
        try dc.run(for: .seconds(Int64(60)))
        try gold.powerOff()
        #expect(throws: ModelError.self) { _ = try gold.clone(name: "l", linked: true) }
        try gold.toTemplate()
        #expect(throws: ModelError.self) { try gold.powerOn() }
        let full = try gold.clone(name: "full", linked: false)
        #expect(full.memAllocation == gold.memAllocation)        // deployed with its settings
        #expect(!full.disks[0].ready)
        try dc.run(for: .seconds(Int64(19)))
        #expect(!full.disks[0].ready)                            // 8 GiB at 400 MiB/s = 20.5 s
        try dc.run(for: .seconds(Int64(3)))
        #expect(full.disks[0].ready)
        #expect(full.disks[0].allocated == 8 * GiB)
        let usedBefore = ds.used
        let linked = try gold.clone(name: "linked", linked: true)
        #expect(linked.disks[0].ready && linked.disks[0].allocated == 0)
        #expect(ds.used - usedBefore < 1 * MiB)                  // its small files only
        try linked.powerOn()
        try linked.run(DiskWorkload(write: 2 * GiB, rate: Double(GiB), rewrite: true))
        try dc.run(for: .seconds(Int64(15)))   // 2 GiB of first writes to the delta: 2 × 2 GiB at 400 MiB/s
        #expect(linked.disks[0].deltaAllocated == [2 * GiB])
        #expect(gold.disks[0].allocated == 8 * GiB)              // the template is never written
        let s = linked.storage
        #expect(s.used - s.notShared == 8 * GiB)                 // the shared base
    }
}

@Suite("Type 1 and type 2 hypervisors")
struct HypervisorTypeTests {
    /// A hosted hypervisor's OS keeps memory and CPU, and VM I/O pays for going through it.
    @Test func type2CostsMemoryCPUAndIO() throws {
        var outcome: [HypervisorType: (unreserved: Int64, mhz: Double, writeSeconds: Double, cpuPerGbps: Double)] = [:]
        for hv in [HypervisorType.type1, .type2] {  // "none" runs no VM (Containers/)
            let dc = world()
            let ds = try dc.addDatastore(name: "ds", capacity: 500 * GiB, kind: .ssd)
            var hs = HostSpec(name: "h", cpus: 2, mhz: 2000, memory: 16 * GiB, datastores: [ds])
            hs.hypervisor = hv
            let h = try dc.addHost(hs)
            var vms: [VM] = []
            for i in 0..<2 {
                var spec = VMSpec(name: "vm\(i)", memory: 4 * GiB)
                spec.disks = [DiskSpec(size: 20 * GiB)]
                spec.devices = [DeviceSpec(kind: .nic, adapter: .vmxnet3)]
                let v = try h.createVM(spec)
                try v.powerOn()
                try v.run(CPUWorkload(threads: 1, load: 1))
                vms.append(v)
            }
            let w = try DiskWorkload(write: 10 * GiB, rate: Double(GiB))
            try vms[0].run(w)
            let t0 = dc.now
            while w.isWriting { try dc.run(for: .seconds(Int64(1))) }
            let writeSeconds = (dc.now - t0).seconds
            let net = try NetworkWorkload(rate: 1e9)
            let probe = try h.createVM({ var s = VMSpec(name: "probe", memory: 1 * GiB); s.devices = [DeviceSpec(kind: .nic, adapter: .vmxnet3)]; return s }())
            try probe.powerOn()
            try probe.run(net)
            try dc.run(for: .seconds(Int64(120)))
            outcome[hv] = (h.memory.unreserved + probe.overheadReservation, mean(vms[1], "cpu.used_mhz"), writeSeconds, net.cpuMHz)
        }
        let t1 = outcome[.type1]!, t2 = outcome[.type2]!
        #expect(t1.unreserved - t2.unreserved == 2 * GiB)             // max(2 GiB, 16/8 GiB)
        #expect(t2.mhz < t1.mhz * 0.95)                                // the host OS competes for pCPUs
        #expect(t2.writeSeconds > t1.writeSeconds * 1.25)              // 75 % of the bandwidth
        #expect(t2.cpuPerGbps == t1.cpuPerGbps * 1.5)
    }
}

@Suite("Disk controllers")
struct ControllerTests {
    /// An emulated controller costs more CPU per byte and adds more latency than a
    /// paravirtual one; the CPU work stops when the write ends.
    @Test func controllersCostCPUAndLatency() throws {
        var seen: [Adapter: (mhz: Double, latency: Double, after: Int)] = [:]
        for a in [Adapter.lsilogic, .pvscsi] {
            let dc = world()
            let ds = try dc.addDatastore(name: "ds", capacity: 500 * GiB, kind: .ssd)
            let h = try dc.addHost(HostSpec(name: "h", cpus: 4, mhz: 2000, memory: 64 * GiB, datastores: [ds]))
            var spec = VMSpec(name: "v", vcpus: 2, memory: 4 * GiB)
            spec.disks = [DiskSpec(size: 40 * GiB)]
            spec.devices = [DeviceSpec(kind: .controller, adapter: a)]
            let v = try h.createVM(spec)
            try v.powerOn()
            let w = try DiskWorkload(write: 4 * GiB, rate: Double(100 * MiB))
            try v.run(w)
            try dc.run(for: .seconds(Int64(5)))
            let latency = w.latencyMs
            try dc.run(for: .seconds(Int64(120)))
            seen[a] = (w.cpuMHz, latency, v.workloads.filter { $0.isRunning && $0.kind == "cpu" }.count)
        }
        #expect(seen[.lsilogic]!.mhz > 4 * seen[.pvscsi]!.mhz)
        #expect(seen[.lsilogic]!.latency > seen[.pvscsi]!.latency)
        #expect(seen[.lsilogic]!.after == 0 && seen[.pvscsi]!.after == 0)
    }
}
