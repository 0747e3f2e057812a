/// A VM's files, disks, out-of-space pauses and snapshots (model-facts §3).
public struct Snapshot: Sendable, Equatable {
    public var name: String
    public var taken: SimTime
    /// Per disk: the layer frozen by this snapshot and how much data the disk held.
    var layers: [Int]
    var highWater: [Int64]
}

extension VM {
    /// The configuration files [M sizes] and the disks, created with the VM.
    func createFiles(_ specs: [DiskSpec]) {
        addConfigFiles(on: specs.first?.datastore ?? host.datastores.first ?? host.localDatastore)
        for (i, s) in specs.enumerated() {
            let ds = s.datastore ?? home!
            let d = VirtualDisk(name: i == 0 ? name : "\(name)_\(i)", vm: self, datastore: ds, size: s.size, provisioning: s.provisioning)
            addDisk(d)
        }
    }

    /// The VM's home: .vmx, .nvram and its log [M sizes].
    func addConfigFiles(on ds: Datastore) {
        home = ds
        ds.add(DatastoreFile(name: "\(name).vmx", kind: "vmx", size: 3 * 1024, used: 3 * 1024, owner: name))
        ds.add(DatastoreFile(name: "\(name).nvram", kind: "nvram", size: 8684, used: 8684, owner: name))
        ds.add(DatastoreFile(name: "vmware.log", kind: "log", size: 256 * 1024, used: 256 * 1024, owner: name))
    }

    func addDisk(_ d: VirtualDisk) {
        disks.append(d)
        d.datastore.disks.append(d)
        let bw = d.datastore.writeBandwidth
        let detail: String
        switch d.provisioning {
        case .thin: detail = "thin: \(Units.formatBytes(d.size)) provisioned, nothing allocated until the guest writes"
        case .thickLazy: detail = "thick lazy-zeroed: \(Units.formatBytes(d.size)) allocated now, each block zeroed on its first write"
        case .thickEager: detail = "thick eager-zeroed: \(Units.formatBytes(d.size)) allocated and zeroed now, about \(Units.formatSeconds(Double(d.size) / bw)) at \(Units.formatBytes(Int64(bw)))/s"
        }
        datacenter.log.record(now, "disk.create", description, "\(d.name).vmdk on \(d.datastore.description), \(detail)")
        if !d.ready {
            d.datastore.zeroing += 1
            datacenter.storageClock.wake()
        }
        d.datastore.checkAlarm(at: now, log: datacenter.log)
    }

    // MARK: out of space

    /// A write needs a new block and the datastore is full: the VM stops with a question.
    func pauseForSpace(_ disk: VirtualDisk) {
        guard state == .on else { return }
        stopRunning()
        guest.running = false
        state = .paused
        question = "There is no more space for virtual disk \(disk.name).vmdk. You might be able to continue this session by freeing disk space on the relevant volume (\(disk.datastore.name)), and clicking Retry. Click Cancel to terminate this session."
        datacenter.log.record(now, "vm.question", description,
                              "paused: \(disk.datastore.description) is full (\(Units.formatBytes(disk.datastore.free)) free) and \(disk.name).vmdk needs a new block; answer retry or cancel")
    }

    /// Answers the pending question: "retry" resumes if the datastore has space again,
    /// "cancel" powers the VM off.
    public func answer(_ choice: String) throws {
        guard let q = question, state == .paused else {
            throw ModelError("answer: \(description) has no pending question (it is \(state.rawValue))")
        }
        switch choice {
        case "retry":
            let full = disks.first { $0.datastore.free < VirtualDisk.blockSize }
            if let d = full {
                datacenter.log.record(now, "vm.question", description, "retry: \(d.datastore.description) is still full; still paused")
                return
            }
            question = nil
            state = .on
            guest.running = true
            host.cpu.attach(self, at: now)
            host.memory.wakeEverySecond()
            datacenter.storageClock.wake()
            datacenter.log.record(now, "vm.question", description, "retry: space available again; running")
        case "cancel":
            datacenter.log.record(now, "vm.question", description, "cancel: the VM is powered off")
            try powerOff()
        default:
            _ = q
            throw ModelError("answer: \"\(choice)\" is not an answer to \(description)'s question (use \"retry\" or \"cancel\")")
        }
    }

    // MARK: snapshots

    public func snapshot(_ name: String) throws {
        let who = "snapshot: \(description)"
        guard !name.isEmpty else { throw ModelError("\(who): the snapshot needs a name") }
        guard !snapshots.contains(where: { $0.name == name }) else { throw ModelError("\(who) already has a snapshot named \"\(name)\"") }
        guard !disks.isEmpty else { throw ModelError("\(who) has no disk to snapshot") }
        guard snapshots.count < 32 else { throw ModelError("\(who) has 32 snapshots, the most a chain may have; delete some first") }
        guard state != .paused else { throw ModelError("\(who) is paused with a question; answer it first") }
        try refusePassthrough("snapshot")
        let s = Snapshot(name: name, taken: now, layers: disks.map { $0.layers.count - 1 }, highWater: disks.map(\.highWater))
        for d in disks { d.addDelta() }
        snapshots.append(s)
        datacenter.log.record(now, "snapshot.create", description,
                              "snapshot \"\(name)\": \(disks.map { "\($0.name).vmdk now read-only, writes go to \($0.name)-\(String(format: "%06d", $0.layers.count - 1))-delta.vmdk" }.joined(separator: "; "))")
    }

    /// Goes back to a snapshot: the deltas written since are discarded (and later
    /// snapshots with them). Disk state only, so the VM must be off [M].
    public func revert(_ name: String) throws {
        let who = "revert: \(description)"
        guard let i = snapshots.firstIndex(where: { $0.name == name }) else {
            throw ModelError("\(who) has no snapshot named \"\(name)\"\(snapshots.isEmpty ? " (it has none)" : " (it has \(snapshots.map { "\"\($0.name)\"" }.joined(separator: ", ")))")")
        }
        guard state == .off else {
            throw ModelError("\(who) is \(state.rawValue); power it off first (snapshots here hold disk state, not memory)")
        }
        let s = snapshots[i]
        var discarded: Int64 = 0
        for (k, d) in disks.enumerated() {
            discarded += d.deltaAllocated.dropFirst(s.layers[k]).reduce(0, +)
            d.revert(toLayer: s.layers[k], highWater: s.highWater[k])
        }
        snapshots.removeSubrange((i + 1)...)
        datacenter.log.record(now, "snapshot.revert", description,
                              "reverted to \"\(name)\": \(Units.formatBytes(discarded)) of deltas discarded\(snapshots.count > i + 1 ? ", later snapshots deleted" : "")")
        for ds in Set(disks.map { ObjectIdentifier($0.datastore) }).compactMap({ id in disks.first { ObjectIdentifier($0.datastore) == id }?.datastore }) {
            ds.checkAlarm(at: now, log: datacenter.log)
        }
    }

    /// Deletes a snapshot: its delta (the writes made after it) is merged into its parent.
    public func deleteSnapshot(_ name: String) throws {
        let who = "delete_snapshot: \(description)"
        guard let i = snapshots.firstIndex(where: { $0.name == name }) else {
            throw ModelError("\(who) has no snapshot named \"\(name)\"\(snapshots.isEmpty ? " (it has none)" : "")")
        }
        var merged: Int64 = 0
        for (k, d) in disks.enumerated() {
            merged += d.merge(delta: snapshots[i].layers[k] + 1)
            for j in snapshots.indices where j > i { snapshots[j].layers[k] -= 1 }
        }
        snapshots.remove(at: i)
        datacenter.log.record(now, "snapshot.delete", description, "deleted \"\(name)\": \(Units.formatBytes(merged)) of delta consolidated into its parent")
        for d in disks { d.datastore.checkAlarm(at: now, log: datacenter.log) }
    }

    /// vSphere's per-VM storage summary: what may be used, what only this VM uses, and
    /// what is used now (its files on every datastore).
    public var storage: (provisioned: Int64, notShared: Int64, used: Int64) {
        var stores: [Datastore] = []
        for d in [home] + disks.map(\.datastore) + [swapDatastore] where !stores.contains(where: { $0 === d }) { stores.append(d!) }
        let files = stores.flatMap(\.files).filter { $0.owner == name }
        let own = files.reduce(0) { $0 + $1.used }
        // a linked clone's base belongs to its template: counted, but shared
        let shared = disks.compactMap(\.parent).reduce(Int64(0)) { $0 + $1.baseAllocated }
        let sharedSize = disks.compactMap(\.parent).reduce(Int64(0)) { $0 + $1.size }
        return (files.reduce(0) { $0 + $1.size } + sharedSize, own, own + shared)
    }
}

extension Datastore {
    /// vCenter's "Datastore usage on disk" thresholds, which the default alarm of
    /// `lab.default_alarms()` uses too (datacenter-facts §3.2).
    public static let usageWarning = 75.0
    public static let usageCritical = 85.0

    /// The `datastore.alarm` events: the same thresholds checked at every change of the
    /// datastore's usage (the alarm model's "Datastore usage on disk" looks at each sample).
    func checkAlarm(at now: SimTime, log: EventLog) {
        changes += 1
        let share = Double(used) / Double(capacity)
        let level = share >= Datastore.usageCritical / 100 ? 2 : share >= Datastore.usageWarning / 100 ? 1 : 0
        guard level != alarm else { return }
        let was = alarm
        alarm = level
        let pct = String(format: "%.1f %%", share * 100)
        switch level {
        case 2: log.record(now, "datastore.alarm", description, "critical: \(pct) used (≥ 85 %), \(Units.formatBytes(free)) free")
        case 1: log.record(now, "datastore.alarm", description, was > 1 ? "back to warning: \(pct) used" : "warning: \(pct) used (≥ 75 %), \(Units.formatBytes(free)) free")
        default: log.record(now, "datastore.alarm", description, "cleared: \(pct) used")
        }
    }
}

extension VM {
    func refusePassthrough(_ operation: String) throws { try refusePassthroughDevices(operation) }
}

extension VirtualDisk {
    /// Inflates a thin disk to thick eager-zeroed: the rest is allocated now and zeroed
    /// (blocks never written), which takes time at the datastore's bandwidth. VM off.
    public func inflate() throws {
        let who = "\(description):inflate"
        guard provisioning == .thin else { throw ModelError("\(who): the disk is \(provisioning.rawValue); only a thin disk can be inflated") }
        guard vm.state == .off else { throw ModelError("\(who): \(vm.description) is \(vm.state.rawValue); power it off first") }
        guard layers.count == 1, parent == nil else { throw ModelError("\(who): delete \(vm.description)'s snapshots first") }
        guard datastore.kind != .nfs else { throw ModelError("\(who): \(datastore.name) is NFS, which supports thin disks only") }
        let need = size - allocated
        guard need <= datastore.free else {
            throw ModelError("\(who): needs \(Units.formatBytes(need)) more on \(datastore.name), which has \(Units.formatBytes(datastore.free)) free")
        }
        provisioning = .thickEager
        zeroingLeft = need
        preparationTotal = need
        if need > 0 { datastore.zeroing += 1 }
        let dc = vm.host.datacenter
        dc.log.record(dc.now, "disk.inflate", vm.description, "\(name).vmdk inflated to thick eager-zeroed: \(Units.formatBytes(need)) allocated and being zeroed")
        dc.storageClock.wake()
        datastore.checkAlarm(at: dc.now, log: dc.log)
    }
}
