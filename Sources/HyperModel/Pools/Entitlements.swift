/// The entitlement solver of one pool tree (datacenter-facts §1.1 "Entitlement flow",
/// model-facts §1.1): top-down water-filling. Each node's entitlement is divided among
/// its children by shares, each child clamped to [reservation, min(limit, demand)], what
/// clamped children leave going to the others; then each child pool's entitlement is
/// divided the same way. A VM's demand bounds its entitlement; a pool's demand is the sum
/// of its children's, each bounded by its limit. The root divides the tree's capacity.
///
/// Reservations count only up to demand here: a reservation guarantees CPU or memory
/// to whoever wants it, and what a reserved VM does not use goes to the others
/// (MF §1.1: "unused reserved CPU can be used by others"); admission control
/// (`PoolAdmission`) is where reservations are held whole.
///
/// The tree is flattened breadth first, so a node's children are consecutive and every
/// child comes after its parent: one backward pass sums demands and floors, one forward
/// pass divides. The columns are scratch, used only during a solve: they belong to the
/// thread that solves (`EntitlementScratch`), not to each tree, so a datacenter of many
/// small trees keeps one set of them, warm in cache.
final class Entitlements {
    unowned(unsafe) let root: ResourcePool
    private var valid = false
    /// Something changed since the last solve (a VM joined, powered on or off): solved
    /// before simulated time next advances.
    private(set) var pending = false
    private(set) var count = 0
    // topology: unretained references (the tree owns its pools and the datacenter its
    // VMs), so a pass does no reference counting
    private struct Node {
        /// Unmanaged, not unowned(unsafe): a pass reads it through a guaranteed reference
        /// (no retain and release of a VM that is not in cache); the tree is rebuilt
        /// before a VM it holds goes.
        var vmRef: Unmanaged<VM>?
        unowned(unsafe) var pool: ResourcePool?
        init(vm: VM?, pool: ResourcePool?) {
            vmRef = vm.map { Unmanaged.passUnretained($0) }
            self.pool = pool
        }
        var vm: VM? { vmRef?.takeUnretainedValue() }
    }
    private var nodes: [Node] = []
    private var parent: [Int32] = []
    private var childStart: [Int32] = []
    private var childCount: [Int32] = []
    // one resource's pass, in the columns of the solving thread (set at the start of
    // `solve`; EntitlementScratch documents them)
    private var k: EntitlementScratch?
    private var shares: UnsafeMutablePointer<Double> { k!.shares }
    private var lo: UnsafeMutablePointer<Double> { k!.lo }
    private var hi: UnsafeMutablePointer<Double> { k!.hi }
    private var demand: UnsafeMutablePointer<Double> { k!.demand }
    private var ent: UnsafeMutablePointer<Double> { k!.ent }
    private var floors: UnsafeMutablePointer<Double> { k!.floors }
    private var units: UnsafeMutablePointer<Double> { k!.units }
    private var reserve: UnsafeMutablePointer<Double> { k!.reserve }
    var protect: UnsafeMutablePointer<Double> { k!.protect }
    var weight: UnsafeMutablePointer<Double> { k!.weight }
    var cap: UnsafeMutablePointer<Double> { k!.cap }
    private var limits: UnsafeMutablePointer<Double> { k!.limits }
    private var open: UnsafeMutablePointer<Bool> { k!.open }
    /// Each resource's inputs at its last pass (shares, lo, hi, units, reserve, limits by
    /// node, then the delivery key of each VM node, then capacity and the scalable-shares
    /// flag): a pass whose inputs are all equal would give the same entitlements and
    /// deliver nothing new, so it stops there (most samples of a steady datacenter).
    /// Kept only in trees with pools (a pass of a tree without them is cheap, and its
    /// delivery is skipped): allocated on first use, for `inputsCapacity` nodes.
    private var inputs: [UnsafeMutablePointer<Double>] = []
    private var inputsCapacity = 0
    private var inputsValid = [false, false]
    /// Whether the last delivery gave some VM pool settings (or the tree's VMs changed
    /// since): a tree without pools then delivers once more, to reset them.
    var cpuDelivered = true
    var memoryDelivered = true
    /// Flattened, and its last delivery reset its VMs: a solve without pools writes
    /// entitlements and delivers nothing.
    var deliversNothing: Bool { valid && !cpuDelivered && !memoryDelivered }

    init(root: ResourcePool) { self.root = root }

    deinit { for c in inputs { c.deallocate() } }

    /// The tree's shape changed: flatten it again before the next pass.
    func invalidate() {
        valid = false
        pending = true
    }

    func markPending() { pending = true }

    /// Solves CPU then memory and writes every node's entitlement, in `scratch` (the
    /// calling thread's; the datacenter's own on the model's thread).
    func solve(using scratch: EntitlementScratch? = nil) {
        if !valid { rebuild() }
        pending = false
        let columns = scratch ?? root.datacenter.entitlementScratch
        columns.reserve(count)
        k = columns
        defer { k = nil }  // the columns are the thread's: not kept past the solve
        guard count > 1 else {
            root.cpuEntitlementMHz = 0
            root.memEntitlement = 0
            return
        }
        if pass(.cpu) {
            writeCPU()
            deliver()
        }
        if pass(.memory) {
            writeMemory()
            deliverMemory()
        }
    }

    // MARK: the pass

    /// False when the inputs are those of the last pass of `r`: nothing to write.
    private func pass(_ r: PoolResource) -> Bool {
        // locals, not stored properties, in the loops: no exclusivity checks per access
        let (nodes, parent, childStart, childCount) = (self.nodes, self.parent, self.childStart, self.childCount)
        let (shares, lo, hi, demand, ent, floors, units) = (self.shares, self.lo, self.hi, self.demand, self.ent, self.floors, self.units)
        let (reserve, protect, weight, cap, limits, open) = (self.reserve, self.protect, self.weight, self.cap, self.limits, self.open)
        let n = count
        let scalable = root.scalableSharesFlag
        for i in 0..<n {
            demand[i] = 0
            floors[i] = 0
            units[i] = 0
        }
        // leaves up: a node's demand and floor are complete once every child (all later
        // in the order) has added to them
        var i = n - 1
        while i >= 0 {
            // the VMs are not in cache (they were sampled host by host): each is asked for
            // eight nodes ahead, and what the pass reads of it behind it four nodes ahead
            // (hints only, Kernel/Prefetch.swift)
            if i >= 8, let ahead = nodes[i - 8].vmRef { Prefetch.bytes(ahead.toOpaque(), 256) }
            if i >= 4, let ahead = nodes[i - 4].vmRef {
                ahead._withUnsafeGuaranteedRef { vm in
                    if r == .cpu {
                        Prefetch.object(vm.metrics, lines: 2)
                    } else {
                        Prefetch.object(vm.guest, lines: 4)
                        vm.guest.pages.prefetch()
                    }
                }
            }
            var s = 0.0, res = 0.0, limit = Double.infinity, d = 0.0, u = 0.0
            if let ref = nodes[i].vmRef {
                (s, res, limit, d, u) = ref._withUnsafeGuaranteedRef { Entitlements.inputs(of: $0, r) }
                hi[i] = min(limit, d)
                lo[i] = min(res, hi[i])
            } else if let p = nodes[i].pool {
                d = demand[i]
                u = units[i]
                if i > 0 {
                    let setting = r == .cpu ? p.cpu.shares : p.mem.shares
                    if scalable, let per = r == .cpu ? setting.scalableCPUPerVCPU : setting.scalableMemoryPerMB {
                        s = Double(per) * u
                    } else {
                        s = Double(r == .cpu ? setting.poolCPUShares : setting.poolMemoryShares)
                    }
                    res = p.reservationSetting(r)
                    limit = p.limitSetting(r) ?? .infinity
                }
                hi[i] = min(limit, d)
                lo[i] = min(max(res, floors[i]), hi[i])
            }
            shares[i] = s
            units[i] = u
            reserve[i] = res
            // a VM's own limit is applied by its own settings: only pools' limits cap here
            limits[i] = nodes[i].vmRef == nil ? limit : .infinity
            if i > 0 {
                let up = Int(parent[i])
                demand[up] += hi[i]
                floors[up] += lo[i]
                units[up] += u
            }
            i -= 1
        }
        let total = root.capacity(r)
        guard inputsChanged(r, total: total, scalable: scalable) else { return false }
        // root down
        weight[0] = total
        cap[0] = .infinity
        protect[0] = 0
        for i in 0..<n {
            let c = Int(childCount[i])
            guard c > 0 else { continue }
            let first = Int(childStart[i])
            let room = i == 0 ? total : ent[i]
            let lambda = WaterFill.divide(room, first: first, count: c, shares: shares, lo: lo, hi: hi, out: ent, open: open)
            // without contention one share is worth what the node may get over the
            // shares of its active children (powered-off VMs do not dilute it)
            var shareSum = 0.0, allShares = 0.0
            for k in first..<(first + c) {
                allShares += shares[k]
                if units[k] > 0 { shareSum += shares[k] }
            }
            let level = lambda ?? (shareSum > 0 ? weight[i] / shareSum : 0)
            let headroom = max(0, cap[i] - ent[i])
            for k in first..<(first + c) {
                weight[k] = max(ent[k], level * shares[k])
                let part = headroom.isInfinite ? Double.infinity : (allShares > 0 ? headroom * shares[k] / allShares : 0)
                cap[k] = min(limits[k], ent[k] + part)
                let inherited = ent[i] > 0 ? protect[i] * ent[k] / ent[i] : 0
                protect[k] = min(ent[k], max(reserve[k], inherited))
            }
        }
        var rootEnt = 0.0
        for k in Int(childStart[0])..<(Int(childStart[0]) + Int(childCount[0])) { rootEnt += ent[k] }
        ent[0] = rootEnt
        return true
    }

    /// Compares the pass's inputs with the last pass's of the same resource and keeps
    /// them. A VM node's delivery key is its host and whether that host's scheduler and
    /// memory deliver pools: delivery depends on them beyond the entitlements.
    private func inputsChanged(_ r: PoolResource, total: Double, scalable: Bool) -> Bool {
        let n = count
        let delivering = !root.pools.isEmpty
        guard delivering else {
            inputsValid = [false, false]  // compared again from scratch once pools exist
            return true
        }
        if inputsCapacity < n {
            for c in inputs { c.deallocate() }
            inputs = [UnsafeMutablePointer<Double>.allocate(capacity: 7 * n + 2), UnsafeMutablePointer<Double>.allocate(capacity: 7 * n + 2)]
            inputsCapacity = n
            inputsValid = [false, false]
        }
        let saved = inputs[r == .cpu ? 0 : 1]
        var changed = !inputsValid[r == .cpu ? 0 : 1]
        func keep(_ c: UnsafeMutablePointer<Double>, at k: Int) {
            let base = saved + k * n
            for i in 0..<n where base[i].bitPattern != c[i].bitPattern {
                changed = true
                base[i] = c[i]
            }
        }
        keep(shares, at: 0)
        keep(lo, at: 1)
        keep(hi, at: 2)
        keep(units, at: 3)
        keep(reserve, at: 4)
        keep(limits, at: 5)
        let keys = saved + 6 * n
        for i in 0..<n {
            var key = 0.0
            if delivering, let ref = nodes[i].vmRef {
                key = ref._withUnsafeGuaranteedRef { vm in
                    let h = vm.host
                    return Double(h.index) * 4 + (h.scheduler.kind.deliversPools ? 2 : 0) + (h.memory.settings.usesTargets ? 1 : 0)
                }
            }
            if keys[i] != key {
                changed = true
                keys[i] = key
            }
        }
        let tail = saved + 7 * n
        let flags = scalable ? 1.0 : 0.0
        if tail[0].bitPattern != total.bitPattern || tail[1] != flags {
            changed = true
            tail[0] = total
            tail[1] = flags
        }
        inputsValid[r == .cpu ? 0 : 1] = true
        return changed
    }

    private func writeCPU() {
        let (nodes, ent, demand, shares) = (self.nodes, self.ent, self.demand, self.shares)
        for i in 0..<count {
            if let ref = nodes[i].vmRef {
                ref._withUnsafeGuaranteedRef { $0.cpuEntitlementMHz = ent[i] }
            } else if let p = nodes[i].pool {
                p.cpuEntitlementMHz = ent[i]
                p.cpuDemandMHz = demand[i]
                p.cpuEffectiveShares = shares[i]
            }
        }
    }

    private func writeMemory() {
        let (nodes, ent, demand) = (self.nodes, self.ent, self.demand)
        for i in 0..<count {
            if let ref = nodes[i].vmRef {
                ref._withUnsafeGuaranteedRef { $0.memEntitlement = Int64(ent[i].rounded(.down)) }
            } else if let p = nodes[i].pool {
                p.memEntitlement = Int64(ent[i].rounded(.down))
                p.memDemand = Int64(demand[i])
            }
        }
    }

    /// The VMs of the tree, with their node index, for delivery.
    func forEachVMNode(_ body: (VM, Int) -> Void) {
        let nodes = self.nodes
        for i in 0..<count { if let vm = nodes[i].vm { body(vm, i) } }
    }

    // MARK: flattening

    private func rebuild() {
        nodes = [Node(vm: nil, pool: root)]
        parent = [-1]
        childStart = []
        childCount = []
        var i = 0
        while i < nodes.count {
            childStart.append(Int32(nodes.count))
            if let p = nodes[i].pool {
                for c in p.pools {
                    nodes.append(Node(vm: nil, pool: c))
                    parent.append(Int32(i))
                }
                for v in p.vms {
                    nodes.append(Node(vm: v, pool: nil))
                    parent.append(Int32(i))
                }
                childCount.append(Int32(p.pools.count + p.vms.count))
            } else {
                childCount.append(0)
            }
            i += 1
        }
        count = nodes.count
        cpuDelivered = true
        memoryDelivered = true
        inputsValid = [false, false]   // the nodes moved: the next pass of each resource is made
        valid = true
    }
}

/// The columns of a solve (Entitlements), owned by the thread that solves: the model's
/// thread has the datacenter's, each of the sampler's workers its own. Grown by doubling,
/// never shrunk; nothing is kept in them from one solve to the next.
final class EntitlementScratch {
    private(set) var capacity = 16
    // per node: shares, bounds, demand, entitlement, floor and units of one resource
    private(set) var shares: UnsafeMutablePointer<Double>, lo: UnsafeMutablePointer<Double>, hi: UnsafeMutablePointer<Double>
    private(set) var demand: UnsafeMutablePointer<Double>, ent: UnsafeMutablePointer<Double>, floors: UnsafeMutablePointer<Double>
    private(set) var units: UnsafeMutablePointer<Double>
    /// Its own reservation, and what reservations of it and its ancestors protect of its
    /// entitlement (an ancestor's share to each child in proportion to entitlement).
    private(set) var reserve: UnsafeMutablePointer<Double>, protect: UnsafeMutablePointer<Double>
    /// What one share was worth where the node was divided, times its shares: the CPU it
    /// would be entitled to if it wanted more (delivery weights a VM whose demand is
    /// about to rise by it, not by the little it used last interval).
    private(set) var weight: UnsafeMutablePointer<Double>
    /// The most the node may use until the next solve, under its ancestors' limits: its
    /// entitlement plus its shares' part of what its parent may use beyond its own
    /// entitlement, within its own limit (infinite outside limited pools). A VM whose
    /// demand rises grows into its pool's headroom at once, and the VMs of a pool
    /// together never pass the pool's limit.
    private(set) var cap: UnsafeMutablePointer<Double>
    /// A pool's own limit (infinite when none, and for VMs).
    private(set) var limits: UnsafeMutablePointer<Double>
    private(set) var open: UnsafeMutablePointer<Bool>

    init() {
        (shares, lo, hi, demand, ent, floors, units, reserve, protect, weight, cap, limits, open) = EntitlementScratch.columns(capacity)
    }

    private static func columns(_ n: Int) -> (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                               UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                               UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                               UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                               UnsafeMutablePointer<Bool>) {
        func c() -> UnsafeMutablePointer<Double> { .allocate(capacity: n) }
        return (c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), .allocate(capacity: n))
    }

    func reserve(_ n: Int) {
        guard n > capacity else { return }
        free()
        capacity = max(n, 2 * capacity)
        (shares, lo, hi, demand, ent, floors, units, reserve, protect, weight, cap, limits, open) = EntitlementScratch.columns(capacity)
    }

    private func free() {
        for c in [shares, lo, hi, demand, ent, floors, units, reserve, protect, weight, cap, limits] { c.deallocate() }
        open.deallocate()
    }

    deinit { free() }
}
