/// Provisioning a desktop pool (datacenter-facts §5): every option checked first, then
/// the replica (linked, instant), the parents (instant) and the desktops cloned, each
/// desktop given the salt of its TPS scope.
extension VDI {
    /// Provisions a pool: checks everything first, then clones its desktops (an instant
    /// pool's powered on at once, sharing their parent's memory).
    public func createPool(_ spec: DesktopPoolSpec) throws -> DesktopPool {
        let ds = try validate(spec)
        let plan = (0..<spec.count).map { i in
            SimTime(micros: spec.bootAt.micros + (spec.count > 1 ? spec.stagger.micros * Int64(i) / Int64(spec.count) : 0))
        }
        let t = spec.template
        let templateBytes = t.disks.reduce(Int64(0)) { $0 + $1.allocated }
        let pool = DesktopPool(spec: spec, datastore: ds, startTimes: plan, fullCloneBytes: templateBytes * Int64(spec.count))
        var base = t
        if spec.kind != .full {
            let r = try t.clone(name: "\(spec.name)-replica", linked: false, datastore: ds)
            try r.toTemplate()
            pool.replica = r
            base = r
        }
        if spec.kind == .instant {
            for (k, h) in spec.hosts.enumerated() {
                let p = try base.clone(name: "\(spec.name)-parent\(k + 1)", linked: true, host: h)
                p.memAllocation.shareSalt = forkSalt(spec.name, k)
                pool.parents.append(p)
            }
        }
        let width = String(spec.count).count
        for i in 0..<spec.count {
            let n = String(i + 1)
            let name = "\(spec.name)-\(String(repeating: "0", count: max(0, width - n.count)))\(n)"
            let h = spec.hosts[i % spec.hosts.count]
            let vm = try base.clone(name: name, linked: spec.kind != .full, host: h, datastore: spec.kind == .full ? ds : nil)
            vm.memAllocation.shareSalt = spec.kind == .instant
                ? forkSalt(spec.name, i % spec.hosts.count) : spec.tpsScope.salt(vm: name, pool: spec.name, pod: spec.pod)
            pool.desktops.append(vm)
            pool.states.append(.waiting)
            pool.phaseEnds.append(0)
            pool.phaseWork.append(nil)
            pool.counts[0] += 1
        }
        pools.append(pool)
        if spec.kind == .instant {
            pool.forkPending = true
            try forkIfReady(pool)
        }
        poolIO.append(ioSlot(ds))
        datacenter.log.record(datacenter.now, "vdi", pool.description,
                              "\(spec.count) \(spec.kind.rawValue)-clone desktops of \(t.description) on \(spec.hosts.count) host\(spec.hosts.count == 1 ? "" : "s"), disks on \(ds.name) (\(Units.formatBytes(pool.storage)) now), TPS scope \(spec.tpsScope.rawValue); first start at \(Units.formatSeconds(spec.bootAt.seconds)) spread over \(Units.formatSeconds(spec.stagger.seconds))")
        wake(at: pool.forkPending ? datacenter.now : max(datacenter.now, spec.bootAt))
        return pool
    }

    /// vmFork, once the replica is on the pool's datastore: the parents boot (touch their
    /// boot memory), then every desktop is forked running, its memory its parent's until
    /// it writes. A desktop whose start comes before that waits for it.
    func forkIfReady(_ pool: DesktopPool) throws {
        guard pool.forkPending, pool.replica?.disks.allSatisfy(\.ready) != false else { return }
        pool.forkPending = false
        for p in pool.parents {
            try p.powerOnHere()
            try fork(p, memory: pool.profile.boot.memory)
        }
        for (i, vm) in pool.desktops.enumerated() {
            do {
                try vm.powerOnHere()
                try fork(vm, memory: pool.profile.boot.memory)
                try setWork(pool, i, pool.profile.steady)
            } catch let e as ModelError {
                pool.move(i, to: .failed)
                datacenter.log.record(datacenter.now, "vdi", vm.description, "cannot be forked: \(e.message)")
            }
        }
        datacenter.log.record(datacenter.now, "vdi", pool.description,
                              "\(pool.desktops.count - pool.count(.failed)) instant clones forked running from \(pool.parents.count) parent\(pool.parents.count == 1 ? "" : "s")")
    }

    func forkSalt(_ pool: String, _ k: Int) -> String { "vdi:fork:\(pool):\(k)" }

    /// Gives a powered-on VM the forked guest: `memory` touched, every page of it (and the
    /// zeroed rest) backed by its parent's pages, copy-on-write.
    func fork(_ vm: VM, memory: Int64) throws {
        if memory > 0 { try vm.guestTouch(memory) }
        let g = vm.guest
        _ = g.share(g.pages.count(rows: RowSet(.image), columns: .privateBacked), rows: RowSet(.image), from: .privateBacked)
        _ = g.share(g.pages.count(rows: .zero, columns: .privateBacked), rows: .zero, from: .privateBacked)
        vm.host.memory.account()
    }

    func validate(_ spec: DesktopPoolSpec) throws -> Datastore {
        let who = "desktop_pool \(spec.name.isEmpty ? "(no name)" : spec.name)"
        guard !spec.name.isEmpty else { throw ModelError("desktop_pool: name must not be empty") }
        guard pool(named: spec.name) == nil else { throw ModelError("\(who): a desktop pool named \(spec.name) already exists") }
        let t = spec.template
        guard t.isTemplate else {
            throw ModelError("\(who): template \(t.description) is not a template (power it off and call to_template first)")
        }
        guard !t.disks.isEmpty else { throw ModelError("\(who): template \(t.description) has no disk to clone") }
        guard (1...10_000).contains(spec.count) else {
            throw ModelError("\(who): count \(spec.count) is not allowed (use 1 to 10000 desktops)")
        }
        guard !spec.hosts.isEmpty else { throw ModelError("\(who): hosts must name at least one host (or give a cluster)") }
        let ds = spec.datastore ?? t.disks[0].datastore
        for h in spec.hosts where !h.datastores.contains(where: { $0 === ds }) {
            throw ModelError("\(who): \(h.name) does not mount \(ds.name), where the desktops' disks go (it mounts \(h.datastores.map(\.name).joined(separator: ", ")))")
        }
        guard spec.bootAt >= datacenter.now else {
            throw ModelError("\(who): boot_at \(Units.formatSeconds(spec.bootAt.seconds)) is in the past (it is \(Units.formatSeconds(datacenter.now.seconds)) now)")
        }
        guard spec.stagger.micros >= 0, spec.stagger <= .seconds(Int64(86_400)) else {
            throw ModelError("\(who): stagger \(Units.formatSeconds(spec.stagger.seconds)) is not allowed (use 0 to 24 h)")
        }
        guard !spec.pod.isEmpty else { throw ModelError("\(who): pod must not be empty") }
        try spec.profile.validate(who, memory: t.memory)
        // names, space: nothing is cloned unless every clone can be
        var names = (1...spec.count).map { i -> String in
            let n = String(i), w = String(spec.count).count
            return "\(spec.name)-\(String(repeating: "0", count: max(0, w - n.count)))\(n)"
        }
        if spec.kind != .full { names.append("\(spec.name)-replica") }
        if spec.kind == .instant { names += spec.hosts.indices.map { "\(spec.name)-parent\($0 + 1)" } }
        for n in names {
            if let other = datacenter.vm(named: n) {
                throw ModelError("\(who): its VM \(n) would clash with the VM of that name on \(other.host.name); choose another pool name")
            }
        }
        let copy = t.disks.reduce(Int64(0)) { $0 + ($1.provisioning == .thin ? $1.written : $1.size) }
        let need = copy * Int64(spec.kind == .full ? spec.count : 1)
        guard need <= ds.free else {
            throw ModelError("\(who): \(spec.kind == .full ? "\(spec.count) full clones" : "the replica") need\(spec.kind == .full ? "" : "s") \(Units.formatBytes(need)) on \(ds.name), which has \(Units.formatBytes(ds.free)) free")
        }
        return ds
    }
}
