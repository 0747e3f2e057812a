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
    private var group: [Int] = []
    private var groupDemand: [Double] = []
    private var groupGrant: [Double] = []
    private var inner: [Double] = []
    private var innerWeight: [Double] = []
    private var innerGrant: [Double] = []
    private var members: [Int] = []
    private var kernelGroup: [ObjectIdentifier: Int] = [:]
    /// Containers whose disk rate was set last second (reset before the next).
    private var rated: [Container] = []

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
        for k in rated { k.diskRateNow = 0 }
        rated.removeAll(keepingCapacity: true)
        for w in writers { target(w)?.writers.append(w) }
        var busy = false
        for ds in stores where step(ds, seconds: seconds) { busy = true }
        for ds in stores where !ds.writers.isEmpty || ds.zeroing > 0 { ds.checkAlarm(at: now, log: datacenter.log) }
        if busy || writers.contains(where: { target($0) != nil }) { wake() }
    }

    /// The VM whose disk a writer writes: its own, or its container's guest's.
    private func vm(_ w: DiskWorkload) -> VM? { w.vm ?? w.container?.kernel.vm }

    /// The datastore a writer writes to now (nil = it cannot write now).
    private func target(_ w: DiskWorkload) -> Datastore? {
        if let k = w.container {
            guard k.state == .running else { return nil }
            if let v = k.kernel.vm { return v.state == .on ? v.disks[w.disk].datastore : nil }
            return k.diskDatastore
        }
        guard let v = w.vm, v.state == .on else { return nil }
        return v.disks[w.disk].datastore
    }

    /// One datastore's second; true when something is still to write.
    private func step(_ ds: Datastore, seconds: Double) -> Bool {
        let zeroing = ds.zeroing > 0 ? ds.disks.filter { !$0.ready } : []
        ds.zeroing = zeroing.count
        let jobs = ds.writers
        guard !zeroing.isEmpty || !jobs.isEmpty else { return false }
        let bandwidth = ds.writeBandwidth * seconds
        demand.removeAll(keepingCapacity: true)
        for d in zeroing { demand.append(Double(d.zeroingLeft)) }
        for w in jobs {
            let k = w.container
            // a container waits for its copy-ups; io.max caps what it asks
            var rate = w.rate
            if let cap = k?.ioControl.capBytesPerSecond { rate = min(rate, cap) }
            var span = seconds
            if let k, k.copyUpUntil > datacenter.now - .seconds(seconds) {
                span = max(0, seconds - (k.copyUpUntil - (datacenter.now - .seconds(seconds))).seconds)
            }
            guard let v = vm(w) else {
                // a bare node's root disk: bytes as asked
                demand.append(min(rate * span, Double(w.write - w.written)))
                continue
            }
            // device bytes: a first write of a block costs a zero-fill too
            let d = v.disks[w.disk]
            // a last, partial block costs a whole block of I/O: asking for its bytes alone
            // would never fill the block the write loop needs
            let bs = VirtualDisk.blockSize
            let want = min(rate * span, Double((w.write - w.written + bs - 1) / bs * bs))
            let p = d.plan(Int64((want / Double(VirtualDisk.blockSize)).rounded(.up)), rewrite: w.rewrite)
            let factor = p.range.isEmpty ? 1 : 1 + Double(p.zeroing) / Double(p.range.count)
            demand.append(want * factor / v.host.hypervisor.diskEfficiency)
        }
        share(bandwidth, zeroing: zeroing.count, jobs: jobs)
        ds.utilization = bandwidth > 0 ? min(1, grant.reduce(0, +) / bandwidth) : 0
        var free = ds.free
        for (i, d) in zeroing.enumerated() {
            d.zeroingLeft = max(0, d.zeroingLeft - Int64(grant[i]))
            if d.ready { ds.zeroing -= 1; datacenter.log.record(datacenter.now, "disk.zeroed", d.vm.description, "\(d.name)-flat.vmdk \(d.preparing) (\(Units.formatBytes(d.preparationTotal)))") }
        }
        for (j, w) in jobs.enumerated() {
            let g = grant[zeroing.count + j]
            let before = w.written
            if let v = vm(w) {
                write(w, vm: v, device: g * v.host.hypervisor.diskEfficiency, free: &free)
            } else {
                writeRoot(w, bytes: g)
            }
            if let k = w.container { account(k, w, data: Double(w.written - before), seconds: seconds) }
        }
        return true
    }

    /// Max-min fair among claimants — each zeroing disk, each VM's workload, each kernel's
    /// containers together — then a kernel's share among its containers by io.weight.
    private func share(_ bandwidth: Double, zeroing: Int, jobs: [DiskWorkload]) {
        // no container writes: every demand is its own claimant, as before containers wrote
        guard jobs.contains(where: { $0.container != nil }) else { return MaxMin.share(bandwidth, demand, into: &grant) }
        group.removeAll(keepingCapacity: true)
        groupDemand.removeAll(keepingCapacity: true)
        kernelGroup.removeAll(keepingCapacity: true)
        for i in 0..<zeroing { group.append(i); groupDemand.append(demand[i]) }
        for (j, w) in jobs.enumerated() {
            let i = zeroing + j
            if let k = w.container {
                let key = ObjectIdentifier(k.kernel)
                if let g = kernelGroup[key] {
                    group.append(g)
                    groupDemand[g] += demand[i]
                    continue
                }
                kernelGroup[key] = groupDemand.count
            }
            group.append(groupDemand.count)
            groupDemand.append(demand[i])
        }
        MaxMin.share(bandwidth, groupDemand, into: &groupGrant)
        grant.removeAll(keepingCapacity: true)
        grant.append(contentsOf: repeatElement(0, count: demand.count))
        for i in demand.indices where i < zeroing || jobs[i - zeroing].container == nil { grant[i] = groupGrant[group[i]] }
        // each kernel's share among its containers, by io.weight: container jobs in runs
        // of one group (a stable sort keeps start order inside a kernel)
        members.removeAll(keepingCapacity: true)
        for i in zeroing..<demand.count where jobs[i - zeroing].container != nil { members.append(i) }
        members.sort { group[$0] != group[$1] ? group[$0] < group[$1] : $0 < $1 }
        var start = 0
        while start < members.count {
            let g = group[members[start]]
            var end = start
            inner.removeAll(keepingCapacity: true)
            innerWeight.removeAll(keepingCapacity: true)
            while end < members.count && group[members[end]] == g {
                inner.append(demand[members[end]])
                innerWeight.append(Double(jobs[members[end] - zeroing].container!.ioControl.weight))
                end += 1
            }
            MaxMin.share(groupGrant[g], inner, weights: innerWeight, into: &innerGrant)
            for n in start..<end { grant[members[n]] = innerGrant[n - start] }
            start = end
        }
    }

    /// A container's data bytes, rate and io.max time for this second.
    private func account(_ k: Container, _ w: DiskWorkload, data: Double, seconds: Double) {
        if k.diskRateNow == 0 { rated.append(k) }
        k.diskBytes += data
        k.diskRateNow += data / max(seconds, 1e-9)
        // held by io.max: it asked more than its cap and the disk gave it the whole cap
        // (a block's rounding aside)
        if let cap = k.ioControl.capBytesPerSecond, w.rate > cap, data >= cap * seconds - Double(VirtualDisk.blockSize) {
            k.throttledDisk += seconds
        }
    }

    /// A bare node's container writing to the node's root disk (space is not tracked).
    private func writeRoot(_ w: DiskWorkload, bytes: Double) {
        guard let k = w.container else { return }
        let budget = bytes + w.carry
        let n = min(Int64(budget), w.write - w.written)
        w.written += n
        w.carry = budget - Double(n)
        if w.written >= w.write {
            datacenter.log.record(datacenter.now, "container.workload", k.description, "finished \(w.summary)")
        }
    }

    /// Writes what `device` bytes of I/O allow, block by block range, stopping at a full
    /// datastore (the VM pauses with a question).
    private func write(_ w: DiskWorkload, vm: VM, device: Double, free: inout Int64) {
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
            datacenter.log.record(datacenter.now, "workload", w.container?.description ?? vm.description, "finished \(w.summary)")
        }
    }
}

/// Max-min fair sharing of a capacity among demands (water-filling), optionally weighted:
/// each open demand gets capacity in proportion to its weight until it is met.
enum MaxMin {
    static func share(_ capacity: Double, _ demand: [Double], weights: [Double]? = nil, into grant: inout [Double]) {
        grant.removeAll(keepingCapacity: true)
        grant.append(contentsOf: repeatElement(0, count: demand.count))
        var left = capacity
        var open = demand.indices.filter { demand[$0] > 0 }
        while !open.isEmpty && left > 1e-9 {
            var total = 0.0
            for i in open { total += weights?[i] ?? 1 }
            let unit = left / total
            var next: [Int] = []
            for i in open {
                let each = unit * (weights?[i] ?? 1)
                let want = demand[i] - grant[i]
                if want <= each { grant[i] += want; left -= want } else { next.append(i) }
            }
            if next.count == open.count {
                for i in next { grant[i] += unit * (weights?[i] ?? 1) }
                left = 0
            }
            open = next
        }
    }
}
