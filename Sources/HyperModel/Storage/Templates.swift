/// Templates and clones (model-facts §3.4): a template is a VM that cannot be powered on;
/// a full clone copies its disks (time ∝ data ÷ write bandwidth), a linked clone shares
/// them read-only and starts with an empty delta of its own.
extension VM {
    public func toTemplate() throws {
        let who = "to_template: \(description)"
        guard !isTemplate else { throw ModelError("\(who) is already a template") }
        guard state == .off else { throw ModelError("\(who) is \(state.rawValue); power it off first") }
        guard snapshots.isEmpty else { throw ModelError("\(who) has snapshots; delete them first so the template is one disk") }
        isTemplate = true
        datacenter.log.record(now, "vm.template", description, "converted to a template: it can no longer be powered on, only cloned")
    }

    /// A new VM with this one's configuration (an appliance deployed with its settings).
    public func clone(name: String, linked: Bool, host target: Host? = nil, datastore: Datastore? = nil) throws -> VM {
        let who = "clone: \(description)"
        guard state == .off || isTemplate else { throw ModelError("\(who) is \(state.rawValue); clone a powered-off VM or a template") }
        try refusePassthrough("clone")
        if linked {
            guard isTemplate else { throw ModelError("\(who): linked clones are made from a template (use to_template first)") }
            guard datastore == nil || disks.allSatisfy({ $0.datastore === datastore }) else {
                throw ModelError("\(who): a linked clone's delta lives with the template's disks on \(disks.first?.datastore.name ?? "?")")
            }
        }
        let h = target ?? host
        var spec = self.spec
        spec.name = name
        spec.disks = []   // made below from this VM's disks
        let store = datastore ?? disks.first?.datastore ?? home
        if let ds = store, !h.datastores.contains(where: { $0 === ds }) && ds !== h.localDatastoreIfUsed {
            throw ModelError("\(who): \(h.name) does not mount \(ds.name)")
        }
        if !linked {
            let need = disks.reduce(Int64(0)) { $0 + ($1.provisioning == .thin ? $1.written : $1.size) }
            if let ds = store, need > ds.free {
                throw ModelError("\(who): a full clone needs \(Units.formatBytes(need)) on \(ds.name), which has \(Units.formatBytes(ds.free)) free")
            }
        }
        // a linked clone allocates nothing up front; a full clone as its disks' types say
        spec.disks = disks.map { DiskSpec(size: $0.size, provisioning: linked ? .thin : $0.provisioning, datastore: store) }
        // the clone joins this VM's pool when its host is in the same tree
        spec.pool = pool.flatMap { $0.accepts(h) ? $0 : nil }
        try spec.validate(on: h)
        let vm = VM(host: h, spec: spec)
        h.vms.append(vm)
        datacenter.register(vm)
        (spec.pool ?? h.defaultPool).adopt(vm)
        vm.addConfigFiles(on: store ?? h.datastores.first ?? h.localDatastore)
        var copied: Int64 = 0
        for (i, d) in disks.enumerated() {
            let diskName = i == 0 ? name : "\(name)_\(i)"
            let copy: VirtualDisk
            if linked {
                copy = VirtualDisk(name: diskName, vm: vm, datastore: d.datastore, size: d.size, provisioning: .thin, parent: d)
            } else {
                copy = VirtualDisk(name: diskName, vm: vm, datastore: store ?? d.datastore, size: d.size, provisioning: d.provisioning)
                // the data is copied (and an eager disk's rest zeroed) before it can be used
                var data = BlockSet()
                for layer in d.layers { data.formUnion(layer) }
                if let p = d.parent { data.formUnion(p.layers[0]) }
                copy.layers = [data]
                copy.zeroed = data
                copy.highWater = d.highWater
                copy.zeroingLeft = data.count * VirtualDisk.blockSize + (copy.provisioning == .thickEager ? copy.size - data.count * VirtualDisk.blockSize : 0)
                copy.preparationTotal = copy.zeroingLeft
                copy.preparing = "copied"
                copied += data.count * VirtualDisk.blockSize
            }
            vm.disks.append(copy)
            copy.datastore.disks.append(copy)
            if !copy.ready { copy.datastore.zeroing += 1 }
        }
        datacenter.log.record(now, "vm.clone", vm.description,
                              linked ? "linked clone of \(description): shares its disks read-only, writes go to its own delta"
                                     : "full clone of \(description): \(Units.formatBytes(copied)) of data copied to \(vm.home.name)")
        if vm.disks.contains(where: { !$0.ready }) { datacenter.storageClock.wake() }
        for d in vm.disks { d.datastore.checkAlarm(at: now, log: datacenter.log) }
        return vm
    }
}
