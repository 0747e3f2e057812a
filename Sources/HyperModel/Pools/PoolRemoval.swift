/// Removing a pool (vCenter's "Remove resource pool", `pool:destroy()`): its VMs and child
/// pools move to its parent, keeping their settings, as vCenter does; the root cannot be
/// removed. Nothing needs admitting: the parent's children then reserve what the removed
/// pool's children reserved, never more than its effective reservation was. A vApp is
/// removed the same way once it is stopped (its start order goes with it).
extension ResourcePool {
    public func destroy() throws {
        let who = "\(description):destroy"
        guard !isRoot else {
            throw ModelError("\(who): the root pool is the \(ownerName)'s total resources and cannot be removed (remove its child pools)")
        }
        try requireUsable(who)
        let up = parent!
        for p in pools where up.pools.contains(where: { $0 !== self && $0.name == p.name }) {
            throw ModelError("\(who): its child pool \(p.name) would move to \(up.name), which already has a child pool named \(p.name) (names are unique among siblings); rename or move one first")
        }
        if up.vapp != nil, !pools.isEmpty {
            throw ModelError("\(who): its child pools cannot move into \(up.description), a vApp (move them elsewhere first)")
        }
        if let a = vapp, a.state != .stopped {
            throw ModelError("\(who): the vApp is \(a.state.rawValue); power it off (app:power_off()) and wait until it is stopped before removing it")
        }
        let movedVMs = vms, movedPools = pools
        up.pools.removeAll { $0 === self }
        for p in movedPools {
            p.parent = up
            up.pools.append(p)
        }
        for v in movedVMs {
            v.pool = up
            up.vms.append(v)
        }
        pools = []
        vms = []
        vapp?.sequence += 1
        removed = true
        root.removedPools.append(self)
        let what = [movedVMs.isEmpty ? nil : "VMs \(movedVMs.map(\.name).joined(separator: ", "))",
                    movedPools.isEmpty ? nil : "pools \(movedPools.map(\.name).joined(separator: ", "))"].compactMap { $0 }
        datacenter.log.record(datacenter.now, "pool.destroy", description,
                              "removed from \(up.path)" + (what.isEmpty ? " (it was empty)" : "; \(what.joined(separator: " and ")) moved to \(up.name)"))
        up.treeChanged(topology: true)
    }

    /// Refuses any use of a removed pool.
    public func requireUsable(_ who: String) throws {
        guard removed else { return }
        throw ModelError("\(who): pool \(name) was removed (pool:destroy()); use its former parent or another pool")
    }

    /// Why `h` may not leave this root's capacity (DPM standby), nil when it may: what
    /// the tree reserves must still fit in what the other hosts provide.
    func standbyRefusal(without h: Host) -> String? {
        guard isRoot, h.providesResources, !pools.isEmpty else { return nil }
        for r in [PoolResource.cpu, .memory] {
            let left = capacity(r) - (r == .cpu ? h.capacityMHz : Double(h.memory.capacity))
            let reserved = reservedByChildren(r)
            if reserved > left + (r == .cpu ? 1e-6 : 0.5) {
                return "the resource pools and VMs of \(ownerName) reserve \(r.format(reserved)) of \(r.label), more than the \(r.format(max(0, left))) the other hosts would provide"
            }
        }
        return nil
    }
}
