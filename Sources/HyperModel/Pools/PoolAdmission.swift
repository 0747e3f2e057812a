/// Admission control through pool reservations (datacenter-facts §1.2, vSphere 6.7
/// GUID-8D813BB8 and the RP-MOM/RP-KID example GUID-76691829).
///
/// What a pool's children reserve is its child pools' effective reservations plus the
/// reservations of its powered-on VMs (memory: reservation + overhead, as the host
/// counts it). A pool's effective reservation is the larger of its own setting and what
/// its children reserve: an expandable pool borrows the difference from its parent, and
/// so on up while each ancestor is expandable. A fixed pool grants only from its own
/// reservation; the root grants from the tree's total capacity.
enum PoolResource {
    case cpu, memory

    var label: String { self == .cpu ? "CPU" : "memory" }

    func format(_ x: Double) -> String { self == .cpu ? Units.formatMHz(x) : Units.formatBytes(Int64(x.rounded())) }
}

extension ResourcePool {
    func reservationSetting(_ r: PoolResource) -> Double { r == .cpu ? cpu.reservationMHz : Double(mem.reservation) }
    func isExpandable(_ r: PoolResource) -> Bool { r == .cpu ? cpu.expandable : mem.expandable }
    func limitSetting(_ r: PoolResource) -> Double? { r == .cpu ? cpu.limitMHz : mem.limit.map(Double.init) }
    func capacity(_ r: PoolResource) -> Double { r == .cpu ? rootCPUCapacity : Double(rootMemCapacity) }

    /// What its child pools and powered-on VMs reserve.
    func reservedByChildren(_ r: PoolResource) -> Double {
        var total = 0.0
        for p in pools { total += p.effectiveReservation(r) }
        for v in vms where v.state.holdsResources { total += v.poolReservation(r) }
        return total
    }

    func effectiveReservation(_ r: PoolResource) -> Double { max(reservationSetting(r), reservedByChildren(r)) }

    /// What it can still grant from its own reservation (the root: from its capacity).
    func unreserved(_ r: PoolResource) -> Double {
        max(0, (isRoot ? capacity(r) : reservationSetting(r)) - reservedByChildren(r))
    }

    /// Nil when `amount` more can be reserved under this pool, borrowing from ancestors
    /// where reservations are expandable; otherwise why not, naming every pool consulted
    /// with what it reserves and what is left.
    func reservationRefusal(_ amount: Double, _ r: PoolResource, asking who: String) -> String? {
        guard amount > 0 else { return nil }
        var need = amount
        var p = self
        var chain: [String] = []
        let eps = r == .cpu ? 1e-6 : 0.5
        while true {
            let reserved = p.reservedByChildren(r)
            let free = max(0, (p.isRoot ? p.capacity(r) : p.reservationSetting(r)) - reserved)
            let kind = p.isRoot ? "capacity" : "reservation"
            let type = p.isRoot ? "" : (p.isExpandable(r) ? ", expandable" : ", fixed")
            chain.append("\(p.name) (\(kind) \(r.format(p.isRoot ? p.capacity(r) : p.reservationSetting(r)))\(type): \(r.format(reserved)) reserved, \(r.format(free)) unreserved)")
            if !p.isRoot, let limit = p.limitSetting(r), reserved + need > limit + eps {
                return "insufficient \(r.label) resources: \(who) needs \(r.format(amount)) reserved, which would take \(p.name)'s reservation to \(r.format(reserved + need)), above its limit \(r.format(limit)); pools consulted: \(chain.joined(separator: " ▸ "))"
            }
            if need <= free + eps { return nil }
            if p.isRoot || !p.isExpandable(r) {
                let why = p.isRoot ? "the \(p.ownerName) has no more unreserved" : "\(p.name)'s reservation is fixed, so it cannot borrow from \(p.parent!.name)"
                return "insufficient \(r.label) resources: \(who) needs \(r.format(amount)) reserved; \(why) (\(r.format(need - free)) short); pools consulted: \(chain.joined(separator: " ▸ "))"
            }
            need -= free
            p = p.parent!
        }
    }
}

extension VM {
    /// What this VM reserves in its pool while it holds resources.
    func poolReservation(_ r: PoolResource) -> Double {
        r == .cpu ? cpuAllocation.reservationMHz : Double(memAllocation.reservation + overheadReservation)
    }

    /// Pool admission on `target`: at power-on, by its own pool; for a running VM moving
    /// there (vMotion), by nothing while `target` is in its pool's tree (its reservations
    /// stay where they are), else by the root of `target`'s tree, which it would join.
    /// Only in trees with child pools, where a pool can be short while the host is not
    /// (a tree without pools is the host's own check).
    func poolAdmissionRefusal(on target: Host) -> String? {
        if state.holdsResources && target !== host {
            guard let p = pool, !p.accepts(target) else { return nil }
            let dest = target.defaultPool
            guard !dest.root.pools.isEmpty else { return nil }
            let who = "\(description) moving into \(dest.ownerName)"
            if let r = dest.reservationRefusal(poolReservation(.cpu), .cpu, asking: who) { return r }
            return dest.reservationRefusal(poolReservation(.memory), .memory, asking: who)
        }
        guard let p = pool, !p.root.pools.isEmpty else { return nil }
        if !p.isRoot && !host.scheduler.kind.deliversPools {
            return "it is in resource pool \(p.path), but \(host.name) runs the \(host.scheduler.name) scheduler, which has no resource pools (pools need a proportional-share scheduler: esx, strict, relaxed or fair); move it to the root pool or change the host's scheduler"
        }
        if let r = p.reservationRefusal(poolReservation(.cpu), .cpu, asking: description) { return r }
        return p.reservationRefusal(poolReservation(.memory), .memory, asking: description)
    }
}

extension VM {
    /// A running VM's larger reservation must be granted by its pool (in a tree with
    /// child pools), as at power-on.
    func poolRefusal(raising r: PoolResource, by delta: Double, to value: String) -> String? {
        guard let p = pool, !p.root.pools.isEmpty,
              let refusal = p.reservationRefusal(delta, r, asking: "\(description)'s \(r == .cpu ? "cpu" : "memory").reservation \(value)")
        else { return nil }
        datacenter.log.record(now, "admission", description, "\(r.label) reservation \(value) refused by \(p.path)")
        return refusal
    }

    /// Its settings changed: a tree with child pools is solved again at once.
    func poolSettingsChanged() {
        guard let p = pool, !p.root.pools.isEmpty else { return }
        p.treeChanged(topology: false)
    }
}

extension ResourcePool {
    /// MHz and bytes its child pools and powered-on VMs reserve, and what it can still
    /// grant from its own reservation (a root: from its capacity).
    public var reservedMHz: Double { reservedByChildren(.cpu) }
    public var unreservedMHz: Double { unreserved(.cpu) }
    public var reservedBytes: Int64 { Int64(reservedByChildren(.memory)) }
    public var unreservedBytes: Int64 { Int64(unreserved(.memory)) }
}
