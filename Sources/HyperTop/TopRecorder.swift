import HyperModel

/// Records a frame right after each sample of a datacenter: an observer process that runs
/// at the sampler's times, after it (`EventPriority.observe`), and copies what esxtop
/// would show from the values the sample just produced. It changes nothing in the model,
/// so a run recorded gives the same results and event log as one that is not.
public final class TopRecorder: SimProcess {
    public let recording = TopRecording()
    private unowned(unsafe) let datacenter: Datacenter
    private var id: Int32 = -1
    private var hostIDs: [ObjectIdentifier: Int] = [:]
    private var vmIDs: [ObjectIdentifier: Int] = [:]
    /// Bytes each disk workload had written at the last frame, for the interval's rate.
    private var lastWritten: [ObjectIdentifier: Int64] = [:]
    private var lastFrame: SimTime?
    private var hostRow = [Double](repeating: 0, count: HostField.width)
    private var vmRow = [Double](repeating: 0, count: VMField.width)
    private var vcpuRow = [Double](repeating: 0, count: VCPUField.width)

    /// Bytes of one network packet: the standard 1,500-byte MTU, for PKTTX/s.
    public static let packetBytes = 1500.0

    /// Starts recording `datacenter` from now on.
    public init(attachingTo datacenter: Datacenter) {
        self.datacenter = datacenter
        id = datacenter.sim.register(self)
        // first at the next whole second: a lab sets its sample interval after the world
        // exists, and the first wake-up must not skip the samples of a shorter one
        scheduleNext(every: 1_000_000)
    }

    private func scheduleNext(every step: Int64? = nil) {
        let interval = min(step ?? Int64.max, datacenter.sampleInterval.micros)
        let next = (datacenter.now.micros / interval + 1) * interval
        datacenter.sim.schedule(id, at: SimTime(micros: next), priority: EventPriority.observe)
    }

    public func fire(token: Int64, sim: Simulation) {
        // the sampler may skip an instant (its interval changed): record only real samples
        if datacenter.lastSample == sim.now, lastFrame != sim.now { record(at: sim.now) }
        scheduleNext()
    }

    /// Records the current values as a frame (the recorder does it after each sample).
    public func record(at t: SimTime) {
        let seconds = lastFrame.map { Double(t.micros - $0.micros) / 1e6 } ?? datacenter.sampleInterval.seconds
        lastFrame = t
        let r = recording
        r.sampleInterval = datacenter.sampleInterval.seconds
        r.beginFrame(t)
        for h in datacenter.hosts {
            let hid = r.hostID(h, ids: &hostIDs)
            recordHost(h, id: hid)
            for vm in h.vms where vm.state == .on || vm.state == .paused {
                recordVM(vm, host: hid, seconds: seconds)
            }
        }
        r.endFrame()
    }

    private func recordHost(_ h: Host, id: Int) {
        func set(_ f: HostField, _ v: Double) { hostRow[f.rawValue] = v }
        func set(_ f: HostField, bytes v: Int64) { hostRow[f.rawValue] = Double(v) }
        let m = h.memory!
        set(.host, Double(id))
        set(.cpuUsed, h.metrics.cpuUsed)
        set(.capacity, bytes: m.capacity)
        set(.free, bytes: m.free)
        set(.minFree, bytes: m.minFree)
        set(.consumed, bytes: m.consumed)
        set(.state, Double(m.state.rawValue))
        set(.sharedSaved, bytes: m.sharedSaved)
        var sums = [Double](repeating: 0, count: 8)
        var running = 0
        for vm in h.vms where vm.state == .on || vm.state == .paused {
            running += 1
            sums[0] += Double(vm.ballooned)
            sums[1] += Double(vm.balloonTarget)
            sums[2] += Double(vm.swapped)
            sums[3] += Double(vm.swapTarget)
            sums[4] += Double(vm.compressed)
            sums[5] += Double(vm.compressionSaved)
            sums[6] += vm.metrics.memory.swapIn
            sums[7] += vm.metrics.memory.swapOut
        }
        set(.ballooned, sums[0])
        set(.balloonTarget, sums[1])
        set(.swapped, sums[2])
        set(.swapTarget, sums[3])
        set(.compressed, sums[4])
        set(.compressionSaved, sums[5])
        set(.swapInRate, sums[6])
        set(.swapOutRate, sums[7])
        set(.vms, Double(running))
        hostRow.withUnsafeBufferPointer { recording.appendHost($0) }
    }

    private func recordVM(_ vm: VM, host: Int, seconds: Double) {
        func set(_ f: VMField, _ v: Double) { vmRow[f.rawValue] = v }
        func set(_ f: VMField, bytes v: Int64) { vmRow[f.rawValue] = Double(v) }
        let r = recording
        let m = vm.metrics
        let n = Double(vm.vcpus)
        set(.vm, Double(r.vmID(vm, ids: &vmIDs)))
        set(.host, Double(host))
        set(.power, vm.state == .on ? 1 : 2)
        set(.vcpus, n)
        set(.vcpuStart, Double(r.vcpuRows))
        // esxtop shows a VM's group as the sum over its vCPU worlds; the model averages
        set(.used, m.cpu.usedMHz / vm.host.mhz * 100)
        set(.run, m.cpu.run * n)
        set(.ready, m.cpu.ready * n)
        set(.costop, m.cpu.costop * n)
        set(.limited, m.cpu.limited * n)
        set(.wait, m.cpu.wait * n)
        set(.usedMHz, m.cpu.usedMHz)
        set(.memsz, bytes: vm.memory)
        set(.grant, bytes: vm.granted)
        set(.consumed, bytes: vm.consumed)
        set(.sztgt, bytes: vm.memoryTarget)
        set(.touched, bytes: vm.active)
        set(.shared, bytes: vm.shared)
        set(.overhead, bytes: vm.overhead)
        set(.ballooned, bytes: vm.ballooned)
        set(.balloonTarget, bytes: vm.balloonTarget)
        set(.swapped, bytes: vm.swapped)
        set(.swapTarget, bytes: vm.swapTarget)
        set(.compressed, bytes: vm.compressed)
        set(.swapInRate, m.memory.swapIn)
        set(.swapOutRate, m.memory.swapOut)
        set(.compressRate, m.memory.compress)
        set(.decompressRate, m.memory.decompress)
        var bytes: Int64 = 0, latency = 0.0, bits = 0.0
        for w in vm.workloads {
            if let d = w as? DiskWorkload {
                let key = ObjectIdentifier(d)
                bytes += d.written - (lastWritten[key] ?? 0)
                lastWritten[key] = d.written
                if d.isWriting { latency = max(latency, d.latencyMs) }
            } else if let nw = w as? NetworkWorkload, nw.isRunning, vm.state == .on {
                bits += nw.achieved
            }
        }
        let rate = seconds > 0 ? Double(bytes) / seconds : 0
        set(.diskBytesRate, rate)
        set(.diskCommandsRate, rate / Double(VirtualDisk.blockSize))
        set(.diskLatency, latency)
        set(.netBitsRate, bits)
        set(.netPacketsRate, bits / 8 / TopRecorder.packetBytes)
        vmRow.withUnsafeBufferPointer { r.appendVM($0) }
        for i in 0..<min(vm.vcpus, m.vcpu.count) {
            let c = m.vcpu[i]
            vcpuRow[VCPUField.run.rawValue] = c.run
            vcpuRow[VCPUField.ready.rawValue] = c.ready
            vcpuRow[VCPUField.costop.rawValue] = c.costop
            vcpuRow[VCPUField.limited.rawValue] = c.limited
            vcpuRow[VCPUField.wait.rawValue] = c.wait
            vcpuRow.withUnsafeBufferPointer { r.appendVCPU($0) }
        }
        // a VM whose vCPU count changed before its next sample: pad so rows stay aligned
        for _ in min(vm.vcpus, m.vcpu.count)..<vm.vcpus {
            for i in vcpuRow.indices { vcpuRow[i] = 0 }
            vcpuRow.withUnsafeBufferPointer { r.appendVCPU($0) }
        }
    }
}
