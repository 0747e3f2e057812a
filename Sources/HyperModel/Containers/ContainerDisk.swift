/// The io controller of one container's cgroup (cgroup-v2.rst "IO"), as Docker sets it:
/// `--blkio-weight` / `io.weight` and `--device-write-bps` / `--device-write-iops` (`io.max`
/// wbps/wiops on the device behind the container's root filesystem).
public struct IOControl: Equatable, Sendable {
    /// `io.weight` default: 1–10000, default 100.
    public var weight = 100
    /// `io.max` wbps, bytes/s (nil = max).
    public var wbps: Double?
    /// `io.max` wiops, write requests/s (nil = max).
    public var wiops: Double?
    public init() {}

    /// Bytes of one write request under wiops: a sequential writer's requests are merged
    /// up to the block layer's usual 128 KiB (max_sectors_kb on many devices) [M].
    public static let requestBytes = 128.0 * Double(Units.KiB)

    /// The io.max ceiling in bytes/s (nil = none): the tighter of wbps and wiops × request.
    public var capBytesPerSecond: Double? {
        switch (wbps, wiops) {
        case let (b?, i?): return min(b, i * IOControl.requestBytes)
        case let (b?, nil): return b
        case let (nil, i?): return i * IOControl.requestBytes
        default: return nil
        }
    }

    /// runc's `ConvertBlkIOToIOWeightValue`: blkio.weight 10–1000 → io.weight 1–10000.
    public static func weight(blkio: Int) -> Int { 1 + (blkio - 10) * 9999 / 990 }

    /// `cat io.max` for the device, e.g. "8:0 rbps=max wbps=104857600 riops=max wiops=max".
    public var maxText: String {
        "8:0 rbps=max wbps=\(wbps.map { String(Int64($0)) } ?? "max") riops=max wiops=\(wiops.map { String(Int64($0)) } ?? "max")"
    }
}

extension Container {
    /// Where its writes land: a guest's on the VM's first disk's datastore (the VM's I/O to
    /// the hypervisor), a bare node's on the node's first datastore (nil = it has none).
    public var diskDatastore: Datastore? {
        if let vm = kernel.vm { return vm.disks.first?.datastore }
        return kernel.host.datastores.first
    }

    /// Bytes written to disk since it started (disk workloads and copy-ups).
    public var diskWritten: Int64 { Int64(diskBytes) }
    /// Bytes/s it wrote in the last storage second.
    public var diskRate: Double { state == .running ? diskRateNow : 0 }
    /// Write latency it sees now: its datastore's, plus a type 2 host's in a VM guest, ms.
    public var diskLatencyMs: Double {
        guard let ds = diskDatastore ?? (kernel.vm == nil ? kernel.host.localDatastore : nil) else { return 0 }
        return ds.latencyMs + (kernel.vm.map { $0.host.hypervisor.addedLatencyMicros / 1000 } ?? 0)
    }
    /// Seconds its disk workloads were held back by io.max (asked more than its cap).
    public var diskThrottled: Double { throttledDisk }

    /// A copy-up of `bytes` at the datastore's write bandwidth: the container's disk writes
    /// wait until it is done. Returns the seconds it takes.
    func copyUp(_ bytes: Int64) -> Double {
        let ds = diskDatastore ?? kernel.host.localDatastore
        let seconds = Double(bytes) / ds.writeBandwidth
        let now = kernel.datacenter.now
        let from = max(now, copyUpUntil)
        copyUpUntil = from + .seconds(seconds)
        copyUpSeconds += (copyUpUntil - from).seconds
        diskBytes += Double(bytes)
        return (copyUpUntil - now).seconds
    }
}
