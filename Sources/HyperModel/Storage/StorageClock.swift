/// Advances disk I/O once a simulated second while anything writes: every datastore's
/// write bandwidth is shared max-min fairly among the workloads writing to it and the
/// disks it is zeroing; a first write to a block of a thin or lazy-zeroed disk or a delta
/// costs a zero-fill too (twice the I/O, model-facts §3.2 [M]); a write that needs a new
/// block on a full datastore pauses its VM with a question (§3.3), the others go on.
final class StorageClock: SimProcess {
    unowned(unsafe) let datacenter: Datacenter
    private var id: Int32 = -1
    private var scheduled = false
    private(set) var writers: [DiskWorkload] = []
    private var lastTick = SimTime.zero
    // scratch reused every tick
    private var demand: [Double] = []
    private var grant: [Double] = []

    init(datacenter: Datacenter) { self.datacenter = datacenter }

    func start(_ w: DiskWorkload) {
        writers.append(w)
        wake()
    }

    /// Eager-zeroed disks being created, or anything writing: tick.
    func wake() {
        guard !scheduled else { return }
        if id < 0 { id = datacenter.sim.register(self) }
        scheduled = true
        lastTick = datacenter.now
        datacenter.sim.schedule(id, at: SimTime(micros: (datacenter.now.micros / 1_000_000 + 1) * 1_000_000))
    }

    func fire(token: Int64, sim: Simulation) {
        scheduled = false
        let now = sim.now
        let seconds = Double(now.micros - lastTick.micros) / 1e6
        lastTick = now
        writers.removeAll { !$0.isWriting }
        // each running writer to its datastore, in start order
        let stores = datacenter.allDatastores
        for ds in stores {
            ds.writers.removeAll(keepingCapacity: true)
            ds.utilization = 0
        }
        for w in writers where w.vm?.state == .on { w.vm!.disks[w.disk].datastore.writers.append(w) }
        var busy = false
        for ds in stores where step(ds, seconds: seconds) { busy = true }
        for ds in stores where !ds.writers.isEmpty || ds.zeroing > 0 { ds.checkAlarm(at: now, log: datacenter.log) }
        if busy || writers.contains(where: { $0.vm?.state == .on }) { wake() }
    }

    /// One datastore's second; true when something is still to write.
    private func step(_ ds: Datastore, seconds: Double) -> Bool {
        let zeroing = ds.zeroing > 0 ? ds.disks.filter { !$0.ready } : []
        ds.zeroing = zeroing.count
        let jobs = ds.writers
        guard !zeroing.isEmpty || !jobs.isEmpty else { return false }
        let bandwidth = ds.kind.writeBytesPerSecond * seconds
        demand.removeAll(keepingCapacity: true)
        for d in zeroing { demand.append(Double(d.zeroingLeft)) }
        for w in jobs {
            // device bytes: a first write of a block costs a zero-fill too
            let d = w.vm!.disks[w.disk]
            // a last, partial block costs a whole block of I/O: asking for its bytes alone
            // would never fill the block the write loop needs
            let bs = VirtualDisk.blockSize
            let want = min(w.rate * seconds, Double((w.write - w.written + bs - 1) / bs * bs))
            let p = d.plan(Int64((want / Double(VirtualDisk.blockSize)).rounded(.up)), rewrite: w.rewrite)
            let factor = p.range.isEmpty ? 1 : 1 + Double(p.zeroing) / Double(p.range.count)
            demand.append(want * factor / vm(w).host.hypervisor.diskEfficiency)
        }
        MaxMin.share(bandwidth, demand, into: &grant)
        ds.utilization = bandwidth > 0 ? min(1, grant.reduce(0, +) / bandwidth) : 0
        var free = ds.free
        for (i, d) in zeroing.enumerated() {
            d.zeroingLeft = max(0, d.zeroingLeft - Int64(grant[i]))
            if d.ready { ds.zeroing -= 1; datacenter.log.record(datacenter.now, "disk.zeroed", d.vm.description, "\(d.name)-flat.vmdk \(d.preparing) (\(Units.formatBytes(d.preparationTotal)))") }
        }
        for (j, w) in jobs.enumerated() {
            write(w, device: grant[zeroing.count + j] * vm(w).host.hypervisor.diskEfficiency, free: &free)
        }
        return true
    }

    /// Writes what `device` bytes of I/O allow, block by block range, stopping at a full
    /// datastore (the VM pauses with a question).
    private func write(_ w: DiskWorkload, device: Double, free: inout Int64) {
        let vm = w.vm!
        let disk = vm.disks[w.disk]
        var budget = device + w.carry
        let block = Double(VirtualDisk.blockSize)
        while budget >= block && w.written < w.write && !w.diskFull {
            let left = (w.write - w.written + VirtualDisk.blockSize - 1) / VirtualDisk.blockSize
            let p = disk.plan(min(left, Int64(budget / block)), rewrite: w.rewrite)
            guard !p.range.isEmpty else {
                // the disk is full: the guest's file system refuses more new data
                w.diskFull = true
                datacenter.log.record(datacenter.now, "disk.full", vm.description, "\(disk.name).vmdk is full (\(Units.formatBytes(disk.size))); the guest stops writing new data")
                break
            }
            let cost = Double(Int64(p.range.count) + p.zeroing) * block
            var range = p.range
            if cost > budget {
                // write fewer blocks: each block costs 1 or 2 block writes
                let n = Int64(budget / (block * (1 + Double(p.zeroing) / Double(p.range.count))))
                guard n > 0 else { break }
                range = p.range.lowerBound..<(p.range.lowerBound + n)
            }
            let need = disk.plan(Int64(range.count), rewrite: w.rewrite).newSpace * VirtualDisk.blockSize
            if need > free {
                let fits = free / VirtualDisk.blockSize
                if fits > 0 { range = range.lowerBound..<(range.lowerBound + min(Int64(range.count), fits)) }
                if fits <= 0 || Int64(range.count) == 0 {
                    vm.pauseForSpace(disk)
                    break
                }
            }
            let spent = disk.plan(Int64(range.count), rewrite: w.rewrite)
            free -= spent.newSpace * VirtualDisk.blockSize
            budget -= Double(Int64(range.count) + spent.zeroing) * block
            disk.commit(range, rewrite: w.rewrite)
            w.written = min(w.write, w.written + Int64(range.count) * VirtualDisk.blockSize)
        }
        w.carry = min(budget, block)
        if w.written >= w.write || w.diskFull {
            if let cpu = w.cpu { vm.stopHelper(cpu) }
            datacenter.log.record(datacenter.now, "workload", vm.description, "finished \(w.summary)")
        }
    }
}

private func vm(_ w: DiskWorkload) -> VM { w.vm! }

/// Max-min fair sharing of a capacity among demands (water-filling).
enum MaxMin {
    static func share(_ capacity: Double, _ demand: [Double], into grant: inout [Double]) {
        grant.removeAll(keepingCapacity: true)
        grant.append(contentsOf: repeatElement(0, count: demand.count))
        var left = capacity
        var open = demand.indices.filter { demand[$0] > 0 }
        while !open.isEmpty && left > 1e-9 {
            let each = left / Double(open.count)
            var next: [Int] = []
            for i in open {
                let want = demand[i] - grant[i]
                if want <= each { grant[i] += want; left -= want } else { next.append(i) }
            }
            if next.count == open.count {
                for i in next { grant[i] += each }
                left = 0
            }
            open = next
        }
    }
}
