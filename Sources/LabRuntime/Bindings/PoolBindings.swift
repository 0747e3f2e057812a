import HyperModel
import LuaKit

/// Resource pools from Lua (lua-api.md "Resource pools"): `c.root`, `h.root`,
/// `pool:create_pool{...}`, `h:create_vm{ pool = p }`, entitlements and usage, settings
/// writable at run time through admission control, scalable shares, and moving VMs.
extension LabAPI {
    static let poolOptions = LuaRecord(
        "lab.PoolOptions", doc: "Options of `pool:create_pool{...}`.",
        fields: [
            LuaParam("name", "string", "Unique among the pool's children."),
            LuaParam("cpu", "lab.PoolCPUOptions", "CPU shares, reservation, limit, expandable.", optional: true),
            LuaParam("mem", "lab.PoolMemoryOptions", "Memory shares, reservation, limit, expandable.", optional: true),
        ])

    static let poolCPUOptions = LuaRecord(
        "lab.PoolCPUOptions", doc: "A pool's CPU settings.",
        fields: [
            LuaParam("shares", "\"low\"|\"normal\"|\"high\"|integer", "2000/4000/8000 (as a 4-vCPU VM), or a number (default \"normal\").", optional: true),
            LuaParam("reservation", "number|string", "Guaranteed MHz, e.g. \"4 GHz\" (default 0).", optional: true),
            LuaParam("limit", "number|string", "Most MHz the pool's VMs may use together (default unlimited).", optional: true),
            LuaParam("expandable", "boolean", "The reservation may borrow from the parent (default true).", optional: true),
        ])

    static let poolMemoryOptions = LuaRecord(
        "lab.PoolMemoryOptions", doc: "A pool's memory settings.",
        fields: [
            LuaParam("shares", "\"low\"|\"normal\"|\"high\"|integer", "81920/163840/327680 (as a 16 GB VM), or a number (default \"normal\").", optional: true),
            LuaParam("reservation", "integer|string", "Guaranteed memory, e.g. \"8 GiB\" (default 0).", optional: true),
            LuaParam("limit", "integer|string", "Most machine memory the pool's VMs may use together (default unlimited).", optional: true),
            LuaParam("expandable", "boolean", "The reservation may borrow from the parent (default true).", optional: true),
        ])

    func definePools() {
        pool.property("name", "string", "Its name (\"Resources\" for a root).", stable: true) { p, c in c.push(p.name) }
            .property("path", "string", "The chain from the root, e.g. \"Resources ▸ prod ▸ web\".") { p, c in c.push(p.path) }
            .property("parent", "lab.ResourcePool?", "Its parent, nil for a root.") { [unowned(unsafe) self] p, c in
                if let up = p.parent { c.push(up, self.pool) } else { c.pushNil() }
            }
            .property("pools", "lab.ResourcePool[]", "Child pools, in creation order.") { [unowned(unsafe) self] p, c in
                c.pushArray(p.pools) { c.push($0, self.pool) }
            }
            .property("vms", "lab.VM[]", "VMs directly in the pool (powered on or not).") { [unowned(unsafe) self] p, c in
                c.pushArray(p.vms) { c.push($0, self.vm) }
            }
            .property("scalable_shares", "boolean", "Whether its tree uses vSphere 7 scalable shares; writable on a root (`h.root.scalable_shares = true` for a standalone host; `c.scalable_shares` is the same for a cluster).",
                      get: { p, c in c.push(p.scalableShares) },
                      set: { p, c in
                          let on = try LabAPI.flag(c, p.description, "scalable_shares")
                          try model { try p.setScalableShares(on) }
                      })
            .property("cpu", "lab.PoolCPU", "CPU settings (writable), entitlement and usage.", stable: true) { [unowned(unsafe) self] p, c in
                c.push(p, self.poolCPU)
            }
            .property("mem", "lab.PoolMemory", "Memory settings (writable), entitlement and usage.", stable: true) { [unowned(unsafe) self] p, c in
                c.push(p, self.poolMemory)
            }
            .method(
                "create_pool", doc: "Creates a child pool. A reservation must be granted by admission control (from this pool, and its ancestors where reservations are expandable); every option is checked before anything changes.",
                params: [LuaParam("options", "lab.PoolOptions")], returns: [LuaParam("", "lab.ResourcePool")]
            ) { [unowned(unsafe) self] p, call in
                let ctx = "\(p.description):create_pool"
                let o = try call.options(2, LabAPI.poolOptions, context: ctx)
                let name = try o.string("name")!
                var cpu = PoolCPUSettings(), mem = PoolMemorySettings()
                if let x = try o.options("cpu", LabAPI.poolCPUOptions) { cpu = try LabAPI.poolCPU(x, cpu) }
                if let x = try o.options("mem", LabAPI.poolMemoryOptions) { mem = try LabAPI.poolMemory(x, mem) }
                let (c, m) = (cpu, mem)
                let child = try model { try p.createPool(name: name, cpu: c, mem: m) }
                call.push(child, self.pool)
                return 1
            }
            .method(
                "move", doc: "Moves a VM, or a child pool with everything in it, into this pool, within the same tree (a powered-on VM's reservations are admitted here; a pool cannot move into its own subtree).",
                params: [LuaParam("what", "lab.VM|lab.ResourcePool")]
            ) { [unowned(unsafe) self] p, call in
                switch call.value(2) {
                case .object(let v, let t) where t == call.state.typeID(of: self.vm):
                    try model { try p.move(v as! VM) }
                case .object(let q, let t) where t == call.state.typeID(of: self.pool):
                    try model { try p.move(pool: q as! ResourcePool) }
                case let v: throw LuaError("\(p.description):move: \(call.describe(v)) is not a VM or a ResourcePool")
                }
                return 0
            }

        poolCPU.property("shares", "integer", "Shares among its siblings (8000/4000/2000 for high/normal/low); writable (\"low\", \"normal\", \"high\" or a number).",
                         get: { p, c in c.push(p.cpu.shares.poolCPUShares) }, set: { p, c in try LabAPI.setPoolCPU(p, c, "shares") })
            .property("effective_shares", "number", "The shares the last solve used: `shares`, or with scalable shares the level's per-vCPU value × vCPUs of its powered-on VMs.") { p, c in
                c.push(p.cpuEffectiveShares)
            }
            .property("reservation", "number", "Reserved MHz; writable (admission control applies).",
                      get: { p, c in c.push(p.cpu.reservationMHz) }, set: { p, c in try LabAPI.setPoolCPU(p, c, "reservation") })
            .property("limit", "number?", "MHz limit, nil when unlimited; writable (nil removes it).",
                      get: { p, c in if let l = p.cpu.limitMHz { c.push(l) } else { c.pushNil() } },
                      set: { p, c in try LabAPI.setPoolCPU(p, c, "limit") })
            .property("expandable", "boolean", "The reservation may borrow from the parent; writable.",
                      get: { p, c in c.push(p.cpu.expandable) }, set: { p, c in try LabAPI.setPoolCPU(p, c, "expandable") })
            .property("entitlement", "number", "MHz it is entitled to, from the last sample's demand (or the last change of the tree).") { p, c in
                c.push(p.cpuEntitlementMHz)
            }
            .property("demand", "number", "MHz its VMs wanted in the last sample interval, each child bounded by its limit.") { p, c in c.push(p.cpuDemandMHz) }
            .property("used", "number", "MHz its VMs (and those of its descendants) used in the last sample interval.") { p, c in c.push(p.cpuUsedMHz) }
            .property("reserved", "number", "MHz its child pools and powered-on VMs reserve.") { p, c in c.push(p.reservedMHz) }
            .property("unreserved", "number", "MHz it can still grant from its own reservation (a root: from its capacity).") { p, c in c.push(p.unreservedMHz) }

        poolMemory.property("shares", "integer", "Shares among its siblings (327680/163840/81920 for high/normal/low); writable.",
                            get: { p, c in c.push(p.mem.shares.poolMemoryShares) }, set: { p, c in try LabAPI.setPoolMemory(p, c, "shares") })
            .property("reservation", "integer", "Reserved memory; writable (admission control applies).",
                      get: { p, c in c.push(p.mem.reservation) }, set: { p, c in try LabAPI.setPoolMemory(p, c, "reservation") })
            .property("limit", "integer?", "Memory limit, nil when unlimited; writable (nil removes it).",
                      get: { p, c in if let l = p.mem.limit { c.push(l) } else { c.pushNil() } },
                      set: { p, c in try LabAPI.setPoolMemory(p, c, "limit") })
            .property("expandable", "boolean", "The reservation may borrow from the parent; writable.",
                      get: { p, c in c.push(p.mem.expandable) }, set: { p, c in try LabAPI.setPoolMemory(p, c, "expandable") })
            .property("entitlement", "integer", "Bytes it is entitled to, from the last sample (or the last change of the tree).") { p, c in c.push(p.memEntitlement) }
            .property("demand", "integer", "Bytes its VMs would hold unconstrained.") { p, c in c.push(p.memDemand) }
            .property("consumed", "integer", "Machine memory its VMs (and those of its descendants) consume now.") { p, c in c.push(p.memConsumed) }
            .property("reserved", "integer", "Bytes its child pools and powered-on VMs reserve (VMs: reservation + overhead).") { p, c in c.push(p.reservedBytes) }
            .property("unreserved", "integer", "Bytes it can still grant from its own reservation (a root: from its capacity).") { p, c in c.push(p.unreservedBytes) }

        cluster.property("root", "lab.ResourcePool", "The root resource pool: the cluster's total resources.", stable: true) { [unowned(unsafe) self] x, c in
            c.push(x.root, self.pool)
        }
        .property("scalable_shares", "boolean", "vSphere 7 scalable shares for the cluster's pools: a pool's shares become its level's per-vCPU value (2000/1000/500) × the vCPUs of its powered-on VMs; writable.",
                  get: { x, c in c.push(x.scalableShares) },
                  set: { x, c in
                      let on = try LabAPI.flag(c, x.description, "scalable_shares")
                      try model { try x.setScalableShares(on) }
                  })
        host.property("root", "lab.ResourcePool", "The root resource pool of the host standing alone (in a cluster, its VMs are in the cluster's tree: use c.root).", stable: true) { [unowned(unsafe) self] h, c in
            c.push(h.root, self.pool)
        }
        vm.property("pool", "lab.ResourcePool", "Its resource pool (the root of its cluster or standalone host unless placed); assign a pool of the same tree to move it (as `pool:move(vm)`).",
                    get: { [unowned(unsafe) self] v, c in if let p = v.pool { c.push(p, self.pool) } else { c.pushNil() } },
                    set: { [unowned(unsafe) self] v, c in
                        let p = try self.poolArgument(c.value(3), c, v.description)
                        try model { try p.move(v) }
                    })
        vmCPU.property("entitlement", "number", "MHz its pool tree entitles it to, from the last sample's demand.") { v, c in c.push(v.cpuEntitlementMHz) }
        vmMemory.property("entitlement", "integer", "Bytes its pool tree entitles it to, from the last sample.") { v, c in c.push(v.memEntitlement) }
    }

    /// A pool given as an option or a property value.
    func poolArgument(_ v: LuaValue, _ call: LuaCall, _ ctx: String, _ field: String = "pool") throws -> ResourcePool {
        guard case .object(let p, let t) = v, t == call.state.typeID(of: pool) else {
            throw LuaError("\(ctx): \(field) \(call.describe(v)) is not a ResourcePool (use c.root, h.root or a pool from create_pool)")
        }
        return p as! ResourcePool
    }

    /// A boolean assigned to a property.
    static func flag(_ c: LuaCall, _ ctx: String, _ field: String) throws -> Bool {
        guard case .boolean(let b) = c.value(3) else {
            throw LuaError("\(ctx): \(field) \(c.describe(c.value(3))) is not true or false")
        }
        return b
    }

    static func poolCPU(_ o: LuaOptions, _ base: PoolCPUSettings) throws -> PoolCPUSettings {
        var s = base
        if o.has("shares") { s.shares = try Quantity.shares(o["shares"], o.context, "shares") }
        if o.has("reservation") { s.reservationMHz = try Quantity.mhz(o["reservation"], o.context, "reservation") }
        if o.has("limit") { s.limitMHz = try Quantity.mhz(o["limit"], o.context, "limit") }
        if let e = try o.boolean("expandable") { s.expandable = e }
        return s
    }

    static func poolMemory(_ o: LuaOptions, _ base: PoolMemorySettings) throws -> PoolMemorySettings {
        var s = base
        if o.has("shares") { s.shares = try Quantity.shares(o["shares"], o.context, "shares") }
        if o.has("reservation") { s.reservation = try Quantity.bytes(o["reservation"], o.context, "reservation", allowZero: true) }
        if o.has("limit") { s.limit = try Quantity.bytes(o["limit"], o.context, "limit") }
        if let e = try o.boolean("expandable") { s.expandable = e }
        return s
    }

    static func setPoolCPU(_ p: ResourcePool, _ c: LuaCall, _ field: String) throws {
        var s = p.cpu
        let ctx = "\(p.description).cpu"
        let value = c.value(3)
        switch field {
        case "shares": s.shares = try Quantity.shares(value, ctx, field)
        case "reservation": s.reservationMHz = value.isNil ? 0 : try Quantity.mhz(value, ctx, field)
        case "expandable": s.expandable = try LabAPI.flag(c, ctx, "expandable")
        default: s.limitMHz = value.isNil ? nil : try Quantity.mhz(value, ctx, field)
        }
        let new = s
        try model { try p.setCPU(new) }
    }

    static func setPoolMemory(_ p: ResourcePool, _ c: LuaCall, _ field: String) throws {
        var s = p.mem
        let ctx = "\(p.description).mem"
        let value = c.value(3)
        switch field {
        case "shares": s.shares = try Quantity.shares(value, ctx, field)
        case "reservation": s.reservation = value.isNil ? 0 : try Quantity.bytes(value, ctx, field, allowZero: true)
        case "expandable": s.expandable = try LabAPI.flag(c, ctx, "expandable")
        default: s.limit = value.isNil ? nil : try Quantity.bytes(value, ctx, field)
        }
        let new = s
        try model { try p.setMemory(new) }
    }
}
