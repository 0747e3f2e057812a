/// Building and changing a pool tree: child pools, VMs joining and leaving. Every
/// change is checked whole before anything changes.
extension ResourcePool {
    static let maxShares = VMSpec.maxShares

    /// Creates a child pool. Refuses an empty or duplicate name, bad settings, and a
    /// reservation admission control cannot grant (datacenter-facts §1.2).
    @discardableResult
    public func createPool(name: String, cpu: PoolCPUSettings = PoolCPUSettings(),
                           mem: PoolMemorySettings = PoolMemorySettings()) throws -> ResourcePool {
        try addChild(name: name, cpu: cpu, mem: mem, who: "\(description):create_pool", vapp: nil)
    }

    /// A child pool, or a vApp when `vapp` gives its default delay (seconds).
    func addChild(name: String, cpu: PoolCPUSettings, mem: PoolMemorySettings, who: String, vapp delay: Double?) throws -> ResourcePool {
        try requireUsable(who)
        if self.vapp != nil {
            throw ModelError("\(who): \(description) is a vApp; a vApp holds VMs in its start order, not resource pools or nested vApps (create it in a resource pool or the root)")
        }
        guard !name.isEmpty else { throw ModelError("\(who): name must not be empty") }
        if pools.contains(where: { $0.name == name }) {
            throw ModelError("\(who): \(self.name) already has a child pool named \(name) (names are unique among siblings)")
        }
        let ctx = "\(who) \(name)"
        try ResourcePool.check(cpu, ctx)
        try ResourcePool.check(mem, ctx)
        if let r = reservationRefusal(cpu.reservationMHz, .cpu, asking: "the new pool \(name)") {
            throw ModelError("\(ctx): \(r)")
        }
        if let r = reservationRefusal(Double(mem.reservation), .memory, asking: "the new pool \(name)") {
            throw ModelError("\(ctx): \(r)")
        }
        let p = ResourcePool(name: name, parent: self, cpu: cpu, mem: mem)
        if let delay { p.vapp = VApp(pool: p, delay: delay) }
        pools.append(p)
        datacenter.log.record(datacenter.now, p.vapp == nil ? "pool.create" : "vapp", p.description, "created in \(path) (\(ownerName)): CPU \(cpu.summary); memory \(mem.summary)")
        treeChanged(topology: true)
        return p
    }

    /// Settings a pool may have, whatever its parent can grant.
    static func check(_ c: PoolCPUSettings, _ who: String) throws {
        try checkShares(c.shares, "cpu.shares", who)
        guard c.reservationMHz.isFinite, c.reservationMHz >= 0 else {
            throw ModelError("\(who): cpu.reservation \(Units.formatMHz(c.reservationMHz)) is not allowed (use 0 MHz or more)")
        }
        if let l = c.limitMHz {
            guard l.isFinite, l > 0 else { throw ModelError("\(who): cpu.limit \(Units.formatMHz(l)) is not allowed (use more than 0 MHz, or leave it out for unlimited)") }
            guard l >= c.reservationMHz else {
                throw ModelError("\(who): cpu.limit \(Units.formatMHz(l)) is below cpu.reservation \(Units.formatMHz(c.reservationMHz)) (a limit must be at least the reservation)")
            }
        }
    }

    static func check(_ m: PoolMemorySettings, _ who: String) throws {
        try checkShares(m.shares, "mem.shares", who)
        guard m.reservation >= 0 else {
            throw ModelError("\(who): mem.reservation \(m.reservation) bytes is not allowed (use 0 bytes or more)")
        }
        if let l = m.limit {
            guard l > 0 else { throw ModelError("\(who): mem.limit \(l) bytes is not allowed (use more than 0 bytes, or leave it out for unlimited)") }
            guard l >= m.reservation else {
                throw ModelError("\(who): mem.limit \(Units.formatBytes(l)) is below mem.reservation \(Units.formatBytes(m.reservation)) (a limit must be at least the reservation)")
            }
        }
    }

    private static func checkShares(_ s: Shares, _ field: String, _ who: String) throws {
        if case .custom(let n) = s, !(1...maxShares).contains(n) {
            throw ModelError("\(who): \(field) \(n) is not allowed (use \"low\", \"normal\", \"high\" or 1 to \(maxShares))")
        }
    }

    /// A VM joins this pool (at creation, or moved here).
    func adopt(_ vm: VM) {
        vms.append(vm)
        vm.pool = self
        root.solver.invalidate()
    }
}

extension Host {
    /// The pool a new VM joins: the one its spec names, which must be of this host's tree.
    func placementPool(for spec: VMSpec) throws -> ResourcePool {
        guard let p = spec.pool else { return defaultPool }
        try p.requireUsable("create_vm \(spec.name): pool")
        guard p.accepts(self) else {
            throw ModelError("create_vm \(spec.name): pool \(p.name) belongs to \(p.ownerName), not to \(name)'s \(clusterMembership.map { "cluster \($0.name)" } ?? "tree (it stands alone)") (a VM's pool must be in the tree of its host)")
        }
        return p
    }

    /// A host joins a cluster only while it has no pools of its own: the cluster's root
    /// takes over its VMs.
    func checkCanJoinCluster(_ cluster: String) throws {
        if !root.pools.isEmpty {
            throw ModelError("cluster \(cluster): host \(name) has resource pools of its own (\(root.pools.map(\.name).joined(separator: ", "))); make the cluster first and create the pools in its root (c.root)")
        }
    }
}

extension Cluster {
    /// The cluster's root takes the VMs its hosts had at their own roots.
    func adoptHostPools() {
        for h in hosts {
            h.clusterMembership = self
            for vm in h.root.vms {
                root.vms.append(vm)
                vm.pool = root
            }
            h.root.vms.removeAll()
            h.root.solver.invalidate()
        }
        root.solver.invalidate()
    }

    /// vSphere 7 scalable shares for the cluster's pools (datacenter-facts §1.3).
    public var scalableShares: Bool { root.scalableSharesFlag }
}

extension VM {
    /// After a migration or an HA restart: a VM whose pool is not of its new host's tree
    /// goes to that tree's default pool, as vCenter asks for a pool on such a move.
    func followHostIntoPoolTree() {
        guard let old = pool, !old.accepts(host) else { return }
        old.vms.removeAll { $0 === self }
        old.root.solver.invalidate()
        let target = host.defaultPool
        target.adopt(self)
        if !old.isRoot {
            datacenter.log.record(now, "pool.move", description, "left \(old.path) (\(old.ownerName)) for \(target.path) of \(target.ownerName): its host \(host.name) is not in the tree of \(old.name)")
        }
    }
}
