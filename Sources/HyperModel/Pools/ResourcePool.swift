/// A resource pool (datacenter-facts §1.1): a node of the tree that divides a cluster's
/// or a standalone host's CPU and memory. Every cluster and standalone host has an
/// invisible root pool equal to its total resources; child pools nest to any depth and
/// hold child pools, VMs, or both. Shares divide contended capacity among siblings only;
/// what a pool is entitled to is then divided among its children (`Entitlements`).
///
/// The pools of a tree and its root are owned by their parent (the root by its cluster or
/// host); back references (parent, VM → pool) are not counted, as elsewhere in the model.
public final class ResourcePool: CustomStringConvertible {
    public let name: String
    public internal(set) unowned(unsafe) var parent: ResourcePool?
    /// Child pools, in creation order.
    public internal(set) var pools: [ResourcePool] = []
    /// VMs directly in this pool (powered on or not), in the order they joined it.
    public internal(set) var vms: [VM] = []
    public internal(set) var cpu: PoolCPUSettings
    public internal(set) var mem: PoolMemorySettings
    unowned(unsafe) let datacenter: Datacenter
    /// A root's owner: the cluster, or the standalone host (nil on other pools).
    public private(set) unowned(unsafe) var ownerCluster: Cluster?
    public private(set) unowned(unsafe) var ownerHost: Host?

    /// What the tree's last solve gave this pool: MHz and bytes it is entitled to.
    public internal(set) var cpuEntitlementMHz = 0.0
    public internal(set) var memEntitlement: Int64 = 0
    /// The demand the last solve saw (MHz, bytes): Σ over its children, each bounded by
    /// its limit.
    public internal(set) var cpuDemandMHz = 0.0
    public internal(set) var memDemand: Int64 = 0
    /// The CPU shares the last solve gave it among its siblings (scalable shares scale them).
    public internal(set) var cpuEffectiveShares = 0.0

    /// Its start order when it is a vApp (Pools/VApp.swift), nil for a plain pool.
    public internal(set) var vapp: VApp?
    /// Removed from its tree (`destroy`): nothing may use it any more.
    public internal(set) var removed = false
    /// On a root: the pools removed from its tree, kept alive (a vApp's pending timers
    /// and Lua values may still name them).
    var removedPools: [ResourcePool] = []

    /// On a root: vSphere 7 scalable shares for the whole tree (datacenter-facts §1.3).
    var scalableSharesFlag = false
    /// On a root: the flattened tree and its solver, rebuilt when the tree changes.
    private(set) lazy var solver = Entitlements(root: self)

    init(rootOf cluster: Cluster, datacenter: Datacenter) {
        name = "Resources"
        self.datacenter = datacenter
        ownerCluster = cluster
        cpu = PoolCPUSettings(expandable: false)
        mem = PoolMemorySettings(expandable: false)
    }

    init(rootOf host: Host) {
        name = "Resources"
        datacenter = host.datacenter
        ownerHost = host
        cpu = PoolCPUSettings(expandable: false)
        mem = PoolMemorySettings(expandable: false)
    }

    init(name: String, parent: ResourcePool, cpu: PoolCPUSettings, mem: PoolMemorySettings) {
        self.name = name
        self.parent = parent
        self.datacenter = parent.datacenter
        self.cpu = cpu
        self.mem = mem
    }

    public var isRoot: Bool { parent == nil }

    /// The root of this pool's tree.
    public var root: ResourcePool {
        var p = self
        while let up = p.parent { p = up }
        return p
    }

    /// The hosts whose resources the tree divides.
    public var hosts: [Host] {
        let r = root
        if let c = r.ownerCluster { return c.hosts }
        if let h = r.ownerHost { return [h] }
        return []
    }

    /// Whose tree this is, for messages: "cluster prod" or "host esx01".
    var ownerName: String {
        let r = root
        if let c = r.ownerCluster { return "cluster \(c.name)" }
        if let h = r.ownerHost { return "host \(h.name)" }
        return "no owner"
    }

    public var description: String {
        isRoot ? "ResourcePool(Resources of \(ownerName))" : vapp != nil ? "VApp(\(name))" : "ResourcePool(\(name))"
    }

    /// The chain from the root, for messages: "Resources ▸ RP-MOM ▸ RP-KID".
    public var path: String {
        var names: [String] = []
        var p: ResourcePool? = self
        while let x = p {
            names.append(x.name)
            p = x.parent
        }
        return names.reversed().joined(separator: " ▸ ")
    }

    /// Whether the tree is switched to vSphere 7 scalable shares.
    public var scalableShares: Bool { root.scalableSharesFlag }

    /// Total resources of the root: Σ over the hosts that provide resources of CPU
    /// capacity (MHz) and of machine memory less what the hypervisor keeps for VM
    /// overhead. A failed host, one in maintenance mode, and one in (or booting out of)
    /// DPM's standby provide none, as vCenter's root pool shows; a host still being
    /// evacuated does until it is empty.
    var rootCPUCapacity: Double { hosts.reduce(0) { $0 + ($1.providesResources ? $1.capacityMHz : 0) } }
    var rootMemCapacity: Int64 { hosts.reduce(0) { $0 + ($1.providesResources ? $1.memory.capacity : 0) } }

    // MARK: usage

    /// MHz used in the last sample interval by the VMs of this pool and its descendants.
    public var cpuUsedMHz: Double {
        var total = 0.0
        forEachVM { if $0.state.holdsResources { total += $0.metrics.cpu.usedMHz } }
        return total
    }

    /// Memory consumed now by the VMs of this pool and its descendants.
    public var memConsumed: Int64 {
        var total: Int64 = 0
        forEachVM { if $0.state.holdsResources { total += $0.consumed } }
        return total
    }

    /// Every VM of this pool and its descendants, depth first (this pool's own first).
    public var allVMs: [VM] {
        var list: [VM] = []
        forEachVM { list.append($0) }
        return list
    }

    func forEachVM(_ body: (VM) -> Void) {
        for v in vms { body(v) }
        for p in pools { p.forEachVM(body) }
    }

    /// True when `other` is this pool or one of its descendants.
    public func contains(_ other: ResourcePool) -> Bool {
        var p: ResourcePool? = other
        while let x = p {
            if x === self { return true }
            p = x.parent
        }
        return false
    }

    /// Whether VMs of `host` may be placed in this pool's tree.
    func accepts(_ host: Host) -> Bool {
        let r = root
        if let c = r.ownerCluster { return c.hosts.contains { $0 === host } }
        return r.ownerHost === host && host.clusterMembership == nil
    }

    /// Solves this pool's whole tree now from the last sample's demand and delivers it
    /// to the hosts (the sampler does it every interval; DRS may before each pass).
    public func solveEntitlements() { root.solver.solve() }

    /// The tree changed (a pool, a VM, a setting): resolve at once with the last demand,
    /// so entitlements read now reflect it and the hosts deliver it.
    func treeChanged(topology: Bool) {
        let r = root
        if topology { r.solver.invalidate() }
        r.solver.solve()
    }
}

extension Host {
    /// Whether its CPU and memory count in its pool tree's root (see `rootCPUCapacity`).
    var providesResources: Bool {
        !failed && maintenance != .in && (power == .on || power == .enteringStandby)
    }

    /// The pool new VMs of this host join without a pool: its cluster's root, or its own.
    public var defaultPool: ResourcePool { clusterMembership?.root ?? root }
}

extension Host {
    /// A standalone host whose tree has no pools and nothing left to deliver: its
    /// entitlements depend on its own VMs only and its solve changes no scheduler or
    /// memory setting (which may schedule events), so the sampler solves it right after
    /// sampling the host, on whichever thread sampled it. Any other tree is solved after
    /// the pass, on the model's thread.
    var solvesWithSample: Bool { clusterMembership == nil && root.pools.isEmpty && root.solver.deliversNothing }
}
