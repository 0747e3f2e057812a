/// An application writing `write` bytes to one of the VM's disks at up to `rate`: new
/// data (the disk fills from the start, growing thin disks and deltas) or, with
/// `rewrite`, updates cycling over data already written (which grow nothing but a delta).
public final class DiskWorkload: Workload {
    public let write: Int64
    public let rate: Double
    public let rewrite: Bool
    /// Which disk, from 0.
    public let disk: Int
    /// Bytes written so far.
    public internal(set) var written: Int64 = 0
    /// Device bytes owed to a partly written block, carried to the next second.
    var carry = 0.0
    /// The disk filled up: the guest's file system refuses more new data.
    public internal(set) var diskFull = false
    /// The VM's disk controller, when it declares one: its CPU per Gb/s (sized for the
    /// rate asked [M]) runs in the guest, and its latency adds to the datastore's.
    public internal(set) var controller: Adapter?
    public internal(set) var cpuMHz = 0.0
    var cpu: CPUWorkload?

    /// Write latency now: the datastore's, plus the controller's, plus a type 2 host's, ms.
    public var latencyMs: Double {
        guard let vm, vm.disks.indices.contains(disk) else { return 0 }
        let d = vm.disks[disk].datastore
        return d.latencyMs + ((controller?.latencyMicros ?? 0) + vm.host.hypervisor.addedLatencyMicros) / 1000
    }

    /// Sizes the controller's CPU work for `vm`.
    func prepare(on vm: VM) throws {
        guard let c = vm.devices.first(where: { $0.kind == .controller }) else { return }
        controller = c.adapter
        let gbps = rate * 8 / 1e9
        cpuMHz = gbps * c.adapter.mhzPerGbps * vm.host.hypervisor.networkCPUFactor
        let capacity = Double(vm.vcpus) * vm.host.mhz
        cpu = try CPUWorkload(threads: vm.vcpus, load: min(1, cpuMHz / capacity))
    }

    public init(write: Int64, rate: Double = 200 * Double(Units.MiB), rewrite: Bool = false, disk: Int = 0) throws {
        guard write > 0 else { throw ModelError("workload.disk: write \(Units.formatBytes(write)) must be more than 0") }
        guard rate > 0, rate.isFinite else { throw ModelError("workload.disk: rate must be more than 0 bytes/s") }
        guard disk >= 0 else { throw ModelError("workload.disk: disk \(disk + 1) is not a disk number (use 1 or more)") }
        self.write = write
        self.rate = rate
        self.rewrite = rewrite
        self.disk = disk
        super.init(kind: "disk")
    }

    public override var summary: String {
        "disk{write=\(Units.formatBytes(write)), rate=\(Units.formatBytes(Int64(rate)))/s\(rewrite ? ", rewrite" : "")}"
    }

    public var isWriting: Bool { isRunning && written < write && !diskFull }
}
