import Testing
@testable import LabRuntime

/// vApps, pool removal and EVC from Lua: the names of docs/datacenter.md, their readings
/// and their errors.
@Suite("vApps, pool removal and EVC from Lua")
struct VAppAPITests {
    static let world = #"""
        local ds = lab.datastore{ name = "san", capacity = "1 TiB", kind = "san" }
        local old = lab.host{ name = "old", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds }, cpu_generation = "haswell" }
        local new = lab.host{ name = "new", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds }, cpu_generation = "ice-lake" }
        local c = lab.cluster{ name = "prod", hosts = { old, new } }
        local app = c.root:create_vapp{ name = "shop", cpu = { reservation = "1 GHz" } }
        local db = old:create_vm{ name = "db", memory = "4 GiB", pool = app, boot = "40 s" }
        local web = old:create_vm{ name = "web", memory = "2 GiB", shutdown = "5 s" }
        """#

    /// Behaviour 47 from Lua: the order, the Tools wait, the states and the events.
    @Test func startOrderFromLua() {
        let r = runLab(VAppAPITests.world + #"""
            app:add(db, { group = 1, start = "tools" })
            app:add(web, { group = 2, start = "30 s", stop = "guest-shutdown", stop_delay = "1 min" })
            check("a vApp is a pool", function()
              expect(app.vapp):to_be_true()
              expect(c.root.vapp):to_be_false()
              expect(tostring(app)):to_equal("VApp(shop)")
              expect(app.cpu.reservation, "reservation", "MHz"):to_equal(1000)
              expect(#app.vms, "members", "count"):to_equal(2)
              expect(app.order[2].vm == web):to_be_true()
              expect(app.order[2].stop):to_equal("guest-shutdown")
              expect(app.order[2].stop_delay, "stop delay", "seconds"):to_equal(60)
              expect(app.order[1].start):to_equal("tools")
              expect(app.state):to_equal("stopped")
              expect(c.root.state):to_be_nil()
            end)
            app:power_on()
            lab.run_until(function() return web.state == "on" end, "10 min")
            check("the app starts when the DB's Tools run", function()
              expect(lab.now(), "when web started", "seconds"):to_equal(40)
              expect(db.tools_ready):to_be_true()
              expect(db.tools_ready_at, "Tools ready at", "seconds"):to_equal(40)
              expect(app.state):to_equal("started")
              local starts = lab.events{ kind = "vapp.start" }
              expect(#starts, "vapp.start events", "count"):to_equal(2)
              expect(starts[1].subject):to_equal("VM(db)")
            end)
            lab.run_for("1 min")
            app:power_off()
            check("stopping", function()
              expect(app.state):to_equal("stopping")
              expect(db.state):to_equal("on")
            end)
            lab.run_for("10 s")
            check("stopped in reverse", function()
              expect(app.state):to_equal("stopped")
              local stops = lab.events{ kind = "vapp.stop" }
              expect(stops[1].subject):to_equal("VM(web)")
              expect(db.state):to_equal("off")
            end)
            app:destroy()
            check("destroyed", function()
              expect(db.pool == c.root):to_be_true()
              expect(function() app:power_on() end):to_error("pool shop was removed")
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }

    @Test(arguments: [
        ("app:add(db, { group = 0 })", "VApp(shop):add db: group 0 is not a whole number from 1 to 100"),
        ("app:add(db, { start = \"later\" })", "VApp(shop):add db: start \"later\" is not a start action (use \"tools\", \"none\", or a delay such as \"30 s\")"),
        ("app:add(db, { start = \"30 s\", start_delay = \"1 min\" })", "start gives a delay already; give start_delay only with start = \"tools\""),
        ("app:add(db, { start = -5 })", "VApp(shop):add db: start -5 is not a start action (use \"tools\", \"none\", or a delay such as \"30 s\")"),
        ("app:add(db, { start = \"2 h\" })", "VApp(shop):add db: start 7200 s is not allowed (use \"tools\", \"none\", or a delay of 0 s to 1 h)"),
        ("app:add(db, { stop = \"halt\" })", "VApp(shop):add db: stop \"halt\" is not a stop action (use \"power-off\", \"guest-shutdown\", \"suspend\" or \"none\")"),
        ("app:add(db, { stop_delay = \"1 min\" })", "stop_delay is the longest wait for a guest shutdown; give it with stop = \"guest-shutdown\""),
        ("app:add(db, { grup = 2 })", "unknown option 'grup' (did you mean 'group'?)"),
        ("c.root:add(db)", "ResourcePool(Resources of cluster prod):add: ResourcePool(Resources of cluster prod) is not a vApp (make one with pool:create_vapp{...})"),
        ("app:power_off()", "VApp(shop):power_off: the vApp is stopped; it powers off from \"started\" or \"starting\""),
        ("c.root:create_vapp{ name = \"x\", delay = \"2 h\" }", "create_vapp x: delay 7200 s is not allowed (use 0 s to 1 h"),
        ("app:create_pool{ name = \"inner\" }", "VApp(shop) is a vApp; a vApp holds VMs in its start order, not resource pools"),
        ("c.root:destroy()", "the root pool is the cluster prod's total resources and cannot be removed"),
        ("old:create_vm{ name = \"x\", memory = \"1 GiB\", boot = \"soon\" }", "create_vm x: boot \"soon\" is not a duration"),
        ("c:enable_evc(\"ice-lake\")", "Cluster(prod):enable_evc: the baseline \"ice-lake\" (Intel® \"Ice Lake\" Generation) needs every host's CPU to have its features; host old has haswell"),
        ("c:enable_evc(\"pentium\")", "Cluster(prod):enable_evc: baseline \"pentium\" is not a CPU generation (use one of Intel's \"merom\""),
        ("c:disable_evc()", "Cluster(prod):disable_evc: EVC is not enabled (c.evc is nil)"),
        ("lab.host{ name = \"x\", cpus = 1, memory = \"1 GiB\", cpu_generation = \"i386\" }", "lab.host: cpu_generation \"i386\" is not a CPU generation"),
    ])
    func badInputChangesNothing(code: String, message: String) {
        let r = runLab(VAppAPITests.world + """
            check("refused", function()
              local ok, err = pcall(function() \(code) end)
              expect(ok):to_be_false()
              print(err)
              expect(err:find(\(luaQuoted(message)), 1, true) ~= nil, "message"):to_be_true()
              expect(app.state):to_equal("stopped")
              expect(#c.root.pools, "pools", "count"):to_equal(1)
              expect(#app.order, "members", "count"):to_equal(1)
              expect(c.evc):to_be_nil()
            end)
            """)
        #expect(r.check("refused")?.status == .passed, "\(code): \(r.check("refused")?.output ?? "") \(r.check("refused")?.message ?? "")")
    }

    /// Behaviour 59 from Lua: the check, the refusal, EVC, a host joining later.
    @Test func evcFromLua() {
        let r = runLab(VAppAPITests.world + #"""
            local v = new:create_vm{ name = "v", memory = "2 GiB" }
            v:power_on()
            check("without EVC", function()
              expect(v.cpu_features):to_equal("ice-lake")
              local ok, why = v:cpu_compatible(old)
              expect(ok):to_be_false()
              expect(why):to_match("CPU incompatible")
              expect(function() v:migrate{ host = old } end):to_error("CPU incompatible")
              expect(new.cpu_generation):to_equal("ice-lake")
              expect(#old.cpu_features, "Haswell's features", "count"):to_equal(18)
            end)
            v:power_off()
            c:enable_evc("haswell")
            v:power_on()
            v:migrate{ host = old }
            lab.run_for("30 s")
            check("under EVC", function()
              expect(c.evc):to_equal("haswell")
              expect(v.cpu_features):to_equal("haswell")
              expect(v.host == old):to_be_true()
            end)
            local sandy = lab.host{ name = "sandy", cpus = 4, memory = "16 GiB", cpu_generation = "sandy-bridge" }
            local sky = lab.host{ name = "sky", cpus = 4, memory = "16 GiB", cpu_generation = "skylake" }
            check("joining later", function()
              expect(function() c:add_host(sandy) end):to_error("host sandy cannot join")
              c:add_host(sky)
              expect(#c.hosts, "hosts", "count"):to_equal(3)
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        for c in r.checks { #expect(c.status == .passed, "\(c.name): \(c.message ?? "")") }
    }
}

/// `s` as a Lua string literal.
func luaQuoted(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
