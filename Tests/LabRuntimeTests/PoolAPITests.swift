import Testing
@testable import LabRuntime

/// Resource pools from Lua (lua-api.md "Resource pools").
@Suite("Resource pools from Lua")
struct PoolAPITests {
    static let world = #"""
        local h = lab.host{ name = "esx01", cpus = 4, mhz = 2500, memory = "64 GiB" }
        local h2 = lab.host{ name = "esx02", cpus = 4, mhz = 2500, memory = "64 GiB" }
        local lone = lab.host{ name = "lone", cpus = 4, memory = "16 GiB" }
        local c = lab.cluster{ name = "c1", hosts = { h } }
        local c2 = lab.cluster{ name = "c2", hosts = { h2 } }
        local prod = c.root:create_pool{ name = "RP-Prod", cpu = { shares = "high" } }
        local test = c.root:create_pool{ name = "RP-Test", cpu = { shares = "low" }, mem = { reservation = "1 GiB" } }
        """#

    /// The priority-pie paradox read from Lua: entitlements, usage and the tree.
    @Test func paradoxFromLua() {
        let r = runLab(PoolAPITests.world + #"""
            for i = 1, 20 do h:create_vm{ name = "prod" .. i, memory = "1 GiB", pool = prod } end
            for i = 1, 2 do h:create_vm{ name = "test" .. i, memory = "1 GiB", pool = test } end
            local rootvm = h:create_vm{ name = "root1", memory = "1 GiB" }
            for _, v in ipairs(h.vms) do v:power_on(); v:run(lab.workload.cpu{ threads = 1 }) end
            lab.run_for("5 min")
            check("tree", function()
              expect(#prod.vms, "prod VMs", "count"):to_equal(20)
              expect(prod.parent == c.root, "parent is the root"):to_be_true()
              expect(rootvm.pool == c.root, "a VM without a pool is at the root"):to_be_true()
              expect(#c.root.pools, "root's pools", "count"):to_equal(2)
              expect(c.root.name):to_equal("Resources")
              expect(tostring(prod)):to_equal("ResourcePool(RP-Prod)")
            end)
            check("entitlements", function()
              expect(prod.cpu.entitlement, "RP-Prod", "MHz"):to_be_near(7272.73, 0.01)
              expect(test.cpu.entitlement, "RP-Test", "MHz"):to_be_near(1818.18, 0.01)
              expect(prod.vms[1].cpu.entitlement, "a Prod VM", "MHz"):to_be_near(363.64, 0.01)
              expect(rootvm.cpu.entitlement, "the root VM", "MHz"):to_be_near(909.09, 0.01)
              expect(prod.cpu.used, "RP-Prod used", "MHz"):to_be_near(7272.73, "5%")
              expect(prod.vms[1].cpu.used_mhz, "a Prod VM used", "MHz"):to_be_near(363.64, "5%")
            end)
            c.scalable_shares = true
            lab.run_for("1 min")
            check("scalable shares", function()
              expect(c.scalable_shares):to_be_true()
              expect(prod.cpu.effective_shares, "RP-Prod's shares", "count"):to_equal(40000)
              expect(prod.vms[1].cpu.entitlement, "a Prod VM", "MHz"):to_be_near(476.19, 0.01)
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
        #expect(r.checks.count == 3)
    }

    /// Settings writable at run time go through admission control; moves and events.
    @Test func changesAndEvents() {
        let r = runLab(PoolAPITests.world + #"""
            local v = h:create_vm{ name = "v", vcpus = 2, memory = "2 GiB", pool = prod, cpu = { reservation = "1 GHz" } }
            v:power_on()
            prod.cpu.limit = "6 GHz"
            prod.cpu.reservation = "2 GHz"
            prod.cpu.expandable = false
            check("settings", function()
              expect(prod.cpu.limit, "limit", "MHz"):to_equal(6000)
              expect(prod.cpu.reserved, "reserved", "MHz"):to_equal(1000)
              expect(prod.cpu.unreserved, "unreserved", "MHz"):to_equal(1000)
              expect(c.root.cpu.unreserved, "root unreserved", "MHz"):to_equal(8000)
              expect(test.mem.reservation, "test mem reservation", "bytes"):to_equal(lab.bytes("1 GiB"))
            end)
            v.pool = test
            check("moved", function()
              expect(v.pool == test):to_be_true()
              expect(#prod.vms, "prod VMs", "count"):to_equal(0)
            end)
            test:move(prod)
            check("pool moved", function() expect(prod.parent == test):to_be_true() end)
            lone.root.scalable_shares = true
            check("a standalone host's tree", function()
              expect(lone.root.scalable_shares):to_be_true()
              expect(c.scalable_shares):to_be_false()
              expect(lone.root.cpu.unreserved, "lone's capacity", "MHz"):to_equal(4 * 2400)
            end)
            check("events", function()
              expect(#lab.events{ kind = "pool.create" }, "pool.create events", "count"):to_equal(2)
              expect(#lab.events{ kind = "pool.move" }, "pool.move events", "count"):to_equal(2)
              expect(#lab.events{ kind = "pool.config" }, "pool.config events", "count"):to_equal(4)
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }

    /// Every bad input names the object, the field, the value and what is allowed, and
    /// changes nothing.
    @Test(arguments: [
        (#"c.root:create_pool{ name = "x", cpu = { shares = "hgh" } }"#,
         #"lab.lua:8: ResourcePool(Resources of cluster c1):create_pool: cpu: shares "hgh" is not a shares value (use "low", "normal", "high" or a number from 1 to 1000000)"#),
        (#"c.root:create_pool{ name = "x", cpu = { share = "high" } }"#,
         #"lab.lua:8: ResourcePool(Resources of cluster c1):create_pool: cpu: unknown option 'share' (did you mean 'shares'?)"#),
        (#"c.root:create_pool{ name = "x", colour = "red" }"#,
         #"lab.lua:8: ResourcePool(Resources of cluster c1):create_pool: unknown option 'colour'"#),
        (#"c.root:create_pool{ name = "x", cpu = { reservation = -5 } }"#,
         #"lab.lua:8: ResourcePool(Resources of cluster c1):create_pool: cpu: reservation -5 is not a CPU speed of 0 MHz or more"#),
        (#"c.root:create_pool{ name = "x", mem = { reservation = "-1 GiB" } }"#,
         #"lab.lua:8: ResourcePool(Resources of cluster c1):create_pool: mem: reservation"#),
        (#"c.root:create_pool{ name = "x", cpu = { reservation = "4 GHz", limit = "2 GHz" } }"#,
         #"lab.lua:8: ResourcePool(Resources of cluster c1):create_pool x: cpu.limit 2.00 GHz is below cpu.reservation 4.00 GHz (a limit must be at least the reservation)"#),
        (#"prod.cpu.reservation = "4 GHz"; prod.cpu.limit = "3 GHz""#,
         #"lab.lua:8: ResourcePool(RP-Prod).cpu: cpu.limit 3.00 GHz is below cpu.reservation 4.00 GHz"#),
        (#"c.root:create_pool{ name = "big", cpu = { reservation = "11 GHz" } }"#,
         #"lab.lua:8: ResourcePool(Resources of cluster c1):create_pool big: insufficient CPU resources: the new pool big needs 11.00 GHz reserved; the cluster c1 has no more unreserved (1.00 GHz short); pools consulted: Resources (capacity 10.00 GHz: 0 MHz reserved, 10.00 GHz unreserved)"#),
        (#"local f = c.root:create_pool{ name = "f", cpu = { reservation = "1 GHz", expandable = false } }; f:create_pool{ name = "g", cpu = { reservation = "2 GHz" } }"#,
         #"lab.lua:8: ResourcePool(f):create_pool g: insufficient CPU resources: the new pool g needs 2.00 GHz reserved; f's reservation is fixed, so it cannot borrow from Resources (1.00 GHz short); pools consulted: f (reservation 1.00 GHz, fixed: 0 MHz reserved, 1.00 GHz unreserved)"#),
        (#"local a = prod:create_pool{ name = "a" }; a:move(prod)"#,
         #"lab.lua:8: ResourcePool(a):move: a is inside RP-Prod (Resources ▸ RP-Prod ▸ a); moving RP-Prod under it would make a cycle in the pool tree"#),
        (#"local v = h2:create_vm{ name = "v", memory = "1 GiB" }; v.pool = prod"#,
         #"lab.lua:8: ResourcePool(RP-Prod):move: VM(v) runs on esx02, which is not in the tree of RP-Prod (cluster c1); a VM can only move to a pool of its own cluster or standalone host"#),
        (#"h2:create_vm{ name = "v", memory = "1 GiB", pool = prod }"#,
         #"lab.lua:8: create_vm v: pool RP-Prod belongs to cluster c1, not to esx02's cluster c2"#),
        (#"h:create_vm{ name = "v", memory = "1 GiB", pool = "prod" }"#,
         #"lab.lua:8: create_vm v: pool "prod" is not a ResourcePool (use c.root, h.root or a pool from create_pool)"#),
        (#"c.root:create_pool{ name = "RP-Prod" }"#,
         #"lab.lua:8: ResourcePool(Resources of cluster c1):create_pool: Resources already has a child pool named RP-Prod (names are unique among siblings)"#),
        (#"c.root.cpu.limit = "1 GHz""#,
         #"lab.lua:8: ResourcePool(Resources of cluster c1).cpu: the root pool is the cluster c1's total resources; its settings cannot change (create a child pool)"#),
        (#"c.scalable_shares = "yes""#, #"lab.lua:8: Cluster(c1): scalable_shares "yes" is not true or false"#),
        (#"prod.scalable_shares = true"#,
         #"lab.lua:8: ResourcePool(RP-Prod).scalable_shares: scalable shares are a setting of the whole tree; set it on the cluster (c.scalable_shares) or the standalone host"#),
        (#"prod.cpu.expandable = 1"#, #"lab.lua:8: ResourcePool(RP-Prod).cpu: expandable 1 is not true or false"#),
    ])
    func badInput(code: String, message: String) {
        let r = runLab(PoolAPITests.world + "\n" + code + "\n" + #"check("unchanged", function() expect(#c.root.pools, "pools", "count"):to_equal(2) end)"#)
        #expect(r.scriptError?.hasPrefix(message) == true, "\(r.scriptError ?? "nil")")
    }

    /// A refused change leaves everything as it was.
    @Test func nothingHalfApplied() {
        let r = runLab(PoolAPITests.world + #"""
            local f = c.root:create_pool{ name = "f", cpu = { reservation = "2 GHz", expandable = false } }
            local v = h:create_vm{ name = "v", memory = "1 GiB", pool = f, cpu = { reservation = "2 GHz" } }
            v:power_on()
            local ok = pcall(function() f.cpu.reservation = "1 GHz" end)
            local ok2 = pcall(function() v.cpu.reservation = "2.5 GHz" end)
            local ok3 = pcall(function() v.pool = test end)
            check("unchanged", function()
              expect(ok or ok2, "a change was accepted"):to_be_false()
              expect(f.cpu.reservation, "f's reservation", "MHz"):to_equal(2000)
              expect(v.cpu.reservation, "v's reservation", "MHz"):to_equal(2000)
              expect(ok3, "a move without room in the fixed target"):to_be_true()
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }
}
