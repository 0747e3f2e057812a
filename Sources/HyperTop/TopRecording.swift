import HyperModel

/// Every sample interval of a run, as esxtop would have shown it: one frame per sample,
/// each a block of host rows, VM rows and vCPU rows in flat arrays. Reaching any frame is
/// an index into the per-frame row offsets, so a viewer scrubs to any point of a long run in constant
/// time; a frame's rows are read in place, never copied.
public final class TopRecording {
    public private(set) var hostNames: [String] = []
    public private(set) var hostCPUs: [Int] = []
    public private(set) var hostMHz: [Double] = []
    public private(set) var vmNames: [String] = []
    /// The datastore of each VM's first disk, for the disk panel.
    public private(set) var vmDatastores: [String] = []
    /// The adapter of each VM's first NIC ("" without one), for the network panel.
    public private(set) var vmNICs: [String] = []
    /// Simulated time of each frame.
    public private(set) var times: [SimTime] = []
    /// The datacenter's sample interval at the last frame, seconds (the time between frames).
    public internal(set) var sampleInterval = 20.0

    // frame f's rows: hosts [hostStart[f], hostStart[f+1]), VMs and vCPUs likewise
    var hostStart: [Int] = [0]
    var vmStart: [Int] = [0]
    var vcpuStart: [Int] = [0]
    var hostValues: [Double] = []
    var vmValues: [Double] = []
    var vcpuValues: [Double] = []

    public init() {}

    public var frameCount: Int { times.count }

    public func frame(_ i: Int) -> TopFrame {
        precondition(times.indices.contains(i), "frame \(i) of \(times.count)")
        return TopFrame(recording: self, index: i)
    }

    /// The index of the last frame at or before `t` (0 before the first).
    public func frameIndex(at t: SimTime) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return max(0, lo - 1)
    }

    /// Numbers held, for the benchmark's memory figure.
    public var storedValues: Int { hostValues.count + vmValues.count + vcpuValues.count }

    // MARK: writing (the recorder)

    func hostID(_ h: Host, ids: inout [ObjectIdentifier: Int]) -> Int {
        if let i = ids[ObjectIdentifier(h)] { return i }
        ids[ObjectIdentifier(h)] = hostNames.count
        hostNames.append(h.name)
        hostCPUs.append(h.cpus)
        hostMHz.append(h.mhz)
        return hostNames.count - 1
    }

    func vmID(_ vm: VM, ids: inout [ObjectIdentifier: Int]) -> Int {
        if let i = ids[ObjectIdentifier(vm)] { return i }
        ids[ObjectIdentifier(vm)] = vmNames.count
        vmNames.append(vm.name)
        vmDatastores.append(vm.disks.first?.datastore.name ?? vm.home?.name ?? "")
        vmNICs.append(vm.devices.first { $0.kind == .nic }.map { $0.adapter.rawValue } ?? "")
        return vmNames.count - 1
    }

    func beginFrame(_ t: SimTime) { times.append(t) }

    func appendHost(_ row: UnsafeBufferPointer<Double>) { hostValues.append(contentsOf: row) }
    func appendVM(_ row: UnsafeBufferPointer<Double>) { vmValues.append(contentsOf: row) }
    func appendVCPU(_ row: UnsafeBufferPointer<Double>) { vcpuValues.append(contentsOf: row) }
    var vcpuRows: Int { vcpuValues.count / VCPUField.width }

    func endFrame() {
        hostStart.append(hostValues.count / HostField.width)
        vmStart.append(vmValues.count / VMField.width)
        vcpuStart.append(vcpuRows)
    }
}

/// One frame of a recording: its hosts' and VMs' rows, read in place.
public struct TopFrame {
    public let recording: TopRecording
    public let index: Int

    public var time: SimTime { recording.times[index] }
    public var hostCount: Int { recording.hostStart[index + 1] - recording.hostStart[index] }
    public var vmCount: Int { recording.vmStart[index + 1] - recording.vmStart[index] }

    public func host(_ row: Int) -> HostRow { HostRow(recording: recording, row: recording.hostStart[index] + row) }
    public func vm(_ row: Int) -> VMRow { VMRow(recording: recording, row: recording.vmStart[index] + row) }

    /// The row of host `id` in this frame (nil when it did not exist yet).
    public func hostRow(id: Int) -> HostRow? {
        for r in 0..<hostCount where host(r).id == id { return host(r) }
        return nil
    }

    /// The rows of the VMs running on host `id`, in creation order.
    public func vms(onHost id: Int) -> [VMRow] {
        var rows: [VMRow] = []
        for r in 0..<vmCount {
            let v = vm(r)
            if Int(v[.host]) == id { rows.append(v) }
        }
        return rows
    }
}

public struct HostRow {
    let recording: TopRecording
    let row: Int
    public subscript(_ f: HostField) -> Double { recording.hostValues[row * HostField.width + f.rawValue] }
    public var id: Int { Int(self[.host]) }
    public var name: String { recording.hostNames[id] }
    public var cpus: Int { recording.hostCPUs[id] }
    public var mhz: Double { recording.hostMHz[id] }
    public var state: MemoryState { MemoryState(rawValue: Int(self[.state])) ?? .high }
}

public struct VMRow {
    let recording: TopRecording
    let row: Int
    public subscript(_ f: VMField) -> Double { recording.vmValues[row * VMField.width + f.rawValue] }
    public var id: Int { Int(self[.vm]) }
    public var name: String { recording.vmNames[id] }
    public var datastore: String { recording.vmDatastores[id] }
    public var nic: String { recording.vmNICs[id] }
    public var vcpus: Int { Int(self[.vcpus]) }
    /// vCPU `n` (from 0) of the VM in this frame.
    public func vcpu(_ n: Int, _ f: VCPUField) -> Double {
        recording.vcpuValues[(Int(self[.vcpuStart]) + n) * VCPUField.width + f.rawValue]
    }
}
