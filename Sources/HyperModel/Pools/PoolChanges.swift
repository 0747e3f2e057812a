/// Changing a pool tree while it runs, as vCenter allows: a pool's settings, scalable
/// shares, and moving a VM between pools. Each change is checked whole (settings, then
/// admission control) and refused with nothing changed; an accepted one is solved at
/// once, so entitlements and the hosts' delivery follow it.
extension ResourcePool {
    public func setCPU(_ new: PoolCPUSettings) throws {
        let who = "\(description).cpu"
        try requireChild(who)
        try requireUsable(who)
        try ResourcePool.check(new, who)
        let reserved = reservedByChildren(.cpu)
        try checkReservationChange(who, .cpu, reservation: new.reservationMHz, limit: new.limitMHz,
                                   expandable: new.expandable, reserved: reserved)
        guard new != cpu else { return }
        cpu = new
        datacenter.log.record(datacenter.now, "pool.config", description, "CPU settings changed: \(new.summary)")
        treeChanged(topology: false)
    }

    public func setMemory(_ new: PoolMemorySettings) throws {
        let who = "\(description).mem"
        try requireChild(who)
        try requireUsable(who)
        try ResourcePool.check(new, who)
        let reserved = reservedByChildren(.memory)
        try checkReservationChange(who, .memory, reservation: Double(new.reservation), limit: new.limit.map(Double.init),
                                   expandable: new.expandable, reserved: reserved)
        guard new != mem else { return }
        mem = new
        datacenter.log.record(datacenter.now, "pool.config", description, "memory settings changed: \(new.summary)")
        treeChanged(topology: false)
    }

    private func requireChild(_ who: String) throws {
        guard !isRoot else {
            throw ModelError("\(who): the root pool is the \(ownerName)'s total resources; its settings cannot change (create a child pool)")
        }
    }

    /// A new reservation, limit or type must still cover what the children reserve, and a
    /// larger effective reservation must be granted by the parent.
    private func checkReservationChange(_ who: String, _ r: PoolResource, reservation: Double, limit: Double?,
                                        expandable: Bool, reserved: Double) throws {
        let field = r == .cpu ? "cpu" : "mem"
        if let limit, limit < reserved - 1e-6 {
            throw ModelError("\(who): \(field).limit \(r.format(limit)) is below the \(r.format(reserved)) its VMs and child pools reserve (a limit must be at least the reservation)")
        }
        if !expandable && reservation < reserved - 1e-6 {
            throw ModelError("\(who): a fixed \(field).reservation of \(r.format(reservation)) does not cover the \(r.format(reserved)) its VMs and child pools reserve (raise it, or make it expandable)")
        }
        let delta = max(reservation, reserved) - effectiveReservation(r)
        if delta > 0, let refusal = parent!.reservationRefusal(delta, r, asking: "\(name)'s \(field).reservation \(r.format(reservation))") {
            datacenter.log.record(datacenter.now, "admission", description, "\(field).reservation \(r.format(reservation)) refused")
            throw ModelError("\(who): \(refusal)")
        }
    }

    /// vSphere 7 scalable shares on this tree (a root only): a pool's shares become the
    /// per-vCPU value of its level times the vCPUs of its powered-on VMs.
    public func setScalableShares(_ on: Bool) throws {
        guard isRoot else {
            throw ModelError("\(description).scalable_shares: scalable shares are a setting of the whole tree; set it on the cluster (c.scalable_shares) or the standalone host")
        }
        guard on != scalableSharesFlag else { return }
        scalableSharesFlag = on
        datacenter.log.record(datacenter.now, "pool.config", description, "scalable shares \(on ? "on: pool shares scale with the vCPUs of their powered-on VMs" : "off")")
        treeChanged(topology: false)
    }

    /// Moves a VM into this pool, from another pool of the same tree. A powered-on VM's
    /// reservations must be granted here (they are released where it was).
    public func move(_ vm: VM) throws {
        let who = "\(description):move"
        try requireUsable(who)
        guard !vm.isHostProcesses, let old = vm.pool else { throw ModelError("\(who): \(vm.description) is not a VM of the lab") }
        guard accepts(vm.host) else {
            throw ModelError("\(who): \(vm.description) runs on \(vm.host.name), which is not in the tree of \(name) (\(ownerName)); a VM can only move to a pool of its own cluster or standalone host")
        }
        guard old !== self else { return }
        let index = old.vms.firstIndex { $0 === vm }!
        old.vms.remove(at: index)
        if vm.state.holdsResources {
            for r in [PoolResource.cpu, .memory] {
                if let refusal = reservationRefusal(vm.poolReservation(r), r, asking: vm.description) {
                    old.vms.insert(vm, at: index)
                    datacenter.log.record(datacenter.now, "admission", vm.description, "move to \(path) refused")
                    throw ModelError("\(who): \(refusal)")
                }
            }
        }
        vms.append(vm)
        vm.pool = self
        datacenter.log.record(datacenter.now, "pool.move", vm.description, "moved from \(old.path) to \(path)")
        treeChanged(topology: true)
    }
}

extension Cluster {
    public func setScalableShares(_ on: Bool) throws { try root.setScalableShares(on) }
}

extension ResourcePool {
    /// Moves a child pool, with everything in it, under this pool (vCenter's drag and
    /// drop in the inventory). Refuses a move into itself or its own subtree (a cycle),
    /// into another tree, onto a sibling's name, and an effective reservation this pool
    /// cannot grant.
    public func move(pool child: ResourcePool) throws {
        let who = "\(description):move"
        guard !child.isRoot else { throw ModelError("\(who): \(child.description) is a root pool; only child pools can move") }
        try requireUsable(who)
        try child.requireUsable(who)
        if vapp != nil { throw ModelError("\(who): \(description) is a vApp; it holds VMs, not resource pools") }
        guard child.root === root else {
            throw ModelError("\(who): \(child.name) belongs to \(child.ownerName), not to \(ownerName); pools move only within their tree")
        }
        guard !child.contains(self) else {
            throw ModelError("\(who): \(name) is \(child === self ? "\(child.name) itself" : "inside \(child.name) (\(path))"); moving \(child.name) under it would make a cycle in the pool tree")
        }
        let old = child.parent!
        guard old !== self else { return }
        if pools.contains(where: { $0.name == child.name }) {
            throw ModelError("\(who): \(name) already has a child pool named \(child.name) (names are unique among siblings)")
        }
        let index = old.pools.firstIndex { $0 === child }!
        old.pools.remove(at: index)
        for r in [PoolResource.cpu, .memory] {
            if let refusal = reservationRefusal(child.effectiveReservation(r), r, asking: "pool \(child.name)") {
                old.pools.insert(child, at: index)
                throw ModelError("\(who): \(refusal)")
            }
        }
        pools.append(child)
        child.parent = self
        datacenter.log.record(datacenter.now, "pool.move", child.description, "moved from \(old.path) to \(path)")
        treeChanged(topology: true)
    }
}
