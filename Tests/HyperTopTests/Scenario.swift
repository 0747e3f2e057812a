import HyperModel
@testable import HyperTop

/// A known host for the top tests: 2 pCPUs at 2,000 MHz and 16 GiB, three busy 1-vCPU
/// VMs (3 vCPUs wanting 2 pCPUs: each runs about 2/3 of the time and is ready 1/3), a
/// 2-vCPU VM at 25 % load, a VM writing its disk and one sending on its NIC; recorded
/// for `seconds` of simulated time (one frame per 20 s sample).
struct Scenario {
    let dc: Datacenter
    let recorder: TopRecorder
    var recording: TopRecording { recorder.recording }

    init(seconds: Int64 = 120) throws {
        dc = Datacenter(seed: 7)
        recorder = TopRecorder(attachingTo: dc)
        let ds = try dc.addDatastore(name: "ds1", capacity: 500 * Units.GiB, kind: .ssd)
        let h = try dc.addHost(HostSpec(name: "esx01", cpus: 2, mhz: 2000, memory: 16 * Units.GiB, datastores: [ds]))
        for i in 1...3 {
            let v = try h.createVM(VMSpec(name: "busy\(i)", vcpus: 1, memory: 2 * Units.GiB))
            try v.powerOn()
            try v.run(CPUWorkload(threads: 1, load: 1))
        }
        let smp = try h.createVM(VMSpec(name: "smp", vcpus: 2, memory: 4 * Units.GiB))
        try smp.powerOn()
        try smp.run(CPUWorkload(threads: 2, load: 0.25))
        var spec = VMSpec(name: "writer", vcpus: 1, memory: 1 * Units.GiB)
        spec.disks = [DiskSpec(size: 40 * Units.GiB, provisioning: .thin, datastore: ds)]
        let w = try h.createVM(spec)
        try w.powerOn()
        try w.run(DiskWorkload(write: 10 * Units.GiB, rate: 50 * Double(Units.MiB)))
        var nspec = VMSpec(name: "sender", vcpus: 2, memory: 1 * Units.GiB)
        nspec.devices = [DeviceSpec(kind: .nic, adapter: .vmxnet3)]
        let s = try h.createVM(nspec)
        try s.powerOn()
        try s.run(NetworkWorkload(rate: 1e9))
        let off = try h.createVM(VMSpec(name: "off", vcpus: 1, memory: 1 * Units.GiB))
        _ = off
        try dc.run(for: .seconds(seconds))
    }

    func vm(_ name: String) -> VM { dc.vms.first { $0.name == name }! }
}
