import Testing
@testable import LabRuntime

/// Maintenance mode, standby, DPM and the N+1 planner from Lua: the names of the
/// contract (lua-api.md "DRS, maintenance mode, DPM, rules") and every refusal.
@Suite("Maintenance mode, DPM and capacity from Lua")
struct MaintenanceAPITests {
    static let world = #"""
        local ds = lab.datastore{ name = "s", capacity = "4 TiB", kind = "san" }
        local a = lab.host{ name = "a", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
        local b = lab.host{ name = "b", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
        local c = lab.cluster{ name = "c", hosts = { a, b } }; local v = a:create_vm{ name = "v", vcpus = 1, memory = "2 GiB" }; v:power_on()
        """#

    @Test(arguments: [
        ("a:enter_maintenance{ strict = false }; a:enter_maintenance{ strict = false }",
         #"lab.lua:5: Host(a):enter_maintenance: a is already entering maintenance mode (maintenance is "entering"; wait for it, or cancel with h:exit_maintenance())"#),
        ("b:exit_maintenance()", #"lab.lua:5: Host(b):exit_maintenance: b is not in maintenance mode (maintenance is "none"; h:enter_maintenance() enters it)"#),
        ("a:enter_maintenance{ move_off = true }",
         "lab.lua:5: Host(a):enter_maintenance: unknown option 'move_off' (did you mean 'move_powered_off'?) (allowed: move_powered_off, strict)"),
        ("a:enter_maintenance{ strict = 1 }", "lab.lua:5: Host(a):enter_maintenance: strict 1 is not true or false"),
        ("a:enter_maintenance{ strict = true }",
         #"lab.lua:5: Host(a):enter_maintenance: 1 VM cannot be evacuated, so a would stay entering maintenance mode: v (drs-off: DRS is off in cluster c"#),
        ("c:enable_dpm{ target = 90 }",
         "lab.lua:5: Cluster(c):enable_dpm: target 90 % ± tolerance 18 % makes the band 72–108 %, which must stay inside 0–100 % (target − tolerance ≥ 0, target + tolerance ≤ 100)"),
        ("c:enable_dpm{ target = 63, tolerance = 70 }",
         "lab.lua:5: Cluster(c):enable_dpm: tolerance 70 % is not allowed (use more than 0 and less than 50 %, e.g. 18)"),
        ("c:enable_dpm{ target = 0.63 }", "lab.lua:5: Cluster(c):enable_dpm: target 0.63 looks like a fraction, but target is in percent"),
        (#"c:enable_dpm{ automation = "auto" }"#,
         #"lab.lua:5: Cluster(c):enable_dpm: automation "auto" is not a DPM automation level (use "automatic", "manual" or "off")"#),
        ("c:enable_dpm{ threshold = 0 }",
         "lab.lua:5: Cluster(c):enable_dpm: threshold 0 is not allowed (use 1 (conservative: only power-ons HA needs) to 5 (aggressive))"),
        ("c:enable_dpm{ targte = 50 }", "lab.lua:5: Cluster(c):enable_dpm: unknown option 'targte' (did you mean 'target'?)"),
        (#"c:enable_dpm{ power_off_window = "5 s" }"#,
         "lab.lua:5: Cluster(c):enable_dpm: power_off_window 5 s is not allowed (use 20 s to 1 day; vSphere uses 5 min for power-on, 40 min for power-off)"),
        ("c:enable_dpm{ exclude = { v } }", "lab.lua:5: Cluster(c):enable_dpm: exclude a VM is not a Host (a list of hosts of the cluster"),
        ("c:enable_dpm()",
         "lab.lua:5: Cluster(c):enable_dpm: DRS is off in c; DPM powers hosts off by evacuating them through DRS (turn DRS on first with c:enable_drs{...})"),
        ("c:disable_dpm()", "lab.lua:5: Cluster(c):disable_dpm: DPM is not on in c"),
        ("c:capacity{ failures = 2 }",
         "lab.lua:5: Cluster(c):capacity: failures 2 is not allowed (use 0 to 1 for 2 hosts: at least one host must be left)"),
        ("c:capacity{ target = 120 }", "lab.lua:5: Cluster(c):capacity: target 120 % is not allowed (use more than 0 up to 100 %"),
        ("a:exit_standby()", #"lab.lua:5: Host(a):exit_standby: a is not in standby (power is "on")"#),
        (#"b:enter_standby(); local w = b:create_vm{ name = "w", vcpus = 1, memory = "1 GiB" }; w:power_on()"#,
         "lab.lua:5: power_on: VM(w) cannot power on: host b is in standby mode (powered off by DPM; h:exit_standby() powers it on)"),
        ("a:enter_maintenance{ strict = false }; v:power_off(); v:power_on()",
         "lab.lua:5: power_on: VM(v) cannot power on: host a is in maintenance mode (no VM may power on or migrate to it until h:exit_maintenance())"),
        (#"a:enter_maintenance{ strict = false }; local w = b:create_vm{ name = "w", vcpus = 1, memory = "1 GiB" }; w:power_on(); w:migrate{ host = a }"#,
         "lab.lua:5: migrate: VM(w): a cannot admit it: host a is entering maintenance mode"),
    ])
    func badInput(code: String, message: String) {
        let r = runLab(MaintenanceAPITests.world + "\n" + code)
        #expect(r.scriptError?.hasPrefix(message) == true, "\(r.scriptError ?? "nil")")
    }

    /// A refused DPM setting leaves DPM off; a refused strict maintenance leaves the host as it was.
    @Test func refusalsChangeNothing() {
        let r = runLab(MaintenanceAPITests.world + "\n" + #"""
            assert(not pcall(function() c:enable_dpm{ target = 95 } end))
            assert(c.dpm == nil)
            assert(not pcall(function() a:enter_maintenance{ strict = true } end))
            assert(a.maintenance == "none" and #a.maintenance_blockers == 0)
            -- the contract (lua-api.md): by default it raises naming the VMs that block it
            local ok, err = pcall(function() a:enter_maintenance() end)
            assert(not ok and err:find("1 VM cannot be evacuated", 1, true) and err:find("v (drs-off", 1, true), err)
            assert(a.maintenance == "none" and #lab.events{ kind = "maintenance" } == 0)
            local w = b:create_vm{ name = "w", vcpus = 1, memory = "1 GiB" }; w:power_on()
            print("ok")
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.output.contains("ok"))
    }

    /// Without DRS the lab evacuates by hand: the blockers say so, the host is "in" once
    /// the last VM has left, and events name each step.
    @Test func manualEvacuationWithoutDRS() {
        let r = runLab(MaintenanceAPITests.world + "\n" + #"""
            local blockers = a:enter_maintenance{ strict = false }
            check("entering", function()
              expect(a.maintenance):to_equal("entering")
              expect(#blockers):to_equal(1)
              expect(blockers[1].vm):to_equal(v)
              expect(blockers[1].reason):to_equal("drs-off")
              expect(a.maintenance_blockers[1].reason):to_equal("drs-off")
            end)
            v:migrate{ host = b }
            lab.run_for("30 s")
            check("in", function()
              expect(a.maintenance):to_equal("in")
              expect(v.host):to_equal(b)
              expect(#a.maintenance_blockers):to_equal(0)
              expect(#lab.events{ kind = "maintenance" }):to_be_at_least(3)
            end)
            a:exit_maintenance()
            check("out", function() expect(a.maintenance):to_equal("none") end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { "\($0.name): \($0.message ?? "")" })")
        #expect(r.checks.count == 3)
    }

    /// Behaviour 79 from Lua: 5 × 256 GB, N+1, 80 % → 1,024 GB usable, 819 GB planned, HA 20 %.
    @Test func capacityPlanner() {
        let r = runLab(#"""
            local hs = {}
            for i = 1, 5 do hs[i] = lab.host{ name = "esx0" .. i, cpus = 16, mhz = 2500, memory = "256 GiB" } end
            local c = lab.cluster{ name = "c", hosts = hs }
            local p = c:capacity{ target = 80, failures = 1 }
            check("n+1", function()
              expect(p.memory.usable):to_equal(lab.bytes("1024 GiB"))
              expect(p.memory.planned / lab.bytes("1 GiB")):to_be_near(819.2, 1e-6)
              expect(p.ha_percent):to_equal(20)
              expect(p.cpu.usable):to_equal(4 * 16 * 2500)
              expect(p.hosts):to_equal(5)
              expect(c:capacity().target):to_equal(80)
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.checks.first?.status == .passed, "\(r.checks.first?.message ?? "")")
    }
    /// With DRS: a must rule keeps VM-X (named with the rule), a should rule bends, and
    /// the evacuation shows in lab.events as priority-1 hostMaint moves (behaviour 53).
    @Test func rulesAndEvacuationWithDRS() {
        let r = runLab(#"""
            local ds = lab.datastore{ name = "s", capacity = "4 TiB", kind = "san" }
            local h1 = lab.host{ name = "h1", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
            local h2 = lab.host{ name = "h2", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
            local h3 = lab.host{ name = "h3", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
            local c = lab.cluster{ name = "c", hosts = { h1, h2, h3 } }
            local x = h1:create_vm{ name = "x", vcpus = 1, memory = "2 GiB" }; x:power_on()
            local y = h1:create_vm{ name = "y", vcpus = 1, memory = "2 GiB" }; y:power_on()
            local z = h1:create_vm{ name = "z", vcpus = 1, memory = "2 GiB" }; z:power_on()
            c:enable_drs{ automation = "fully" }
            c:add_rule{ name = "lic", kind = "vm-host", vms = { x }, hosts = { h1 }, must = true }
            c:add_rule{ name = "pref", kind = "vm-host", vms = { y }, hosts = { h1 } }
            local b = h1:enter_maintenance{ strict = false }
            lab.run_for("10 min")
            check("must blocks, should bends", function()
              expect(#b):to_equal(1)
              expect(b[1].vm):to_equal(x)
              expect(b[1].reason):to_equal("rule")
              expect(b[1].message):to_match("rule lic says x must run on h1")
              expect(h1.maintenance):to_equal("entering")
              expect(x.host):to_equal(h1)
              expect(y.host == h1):to_be_false()
              expect(z.host == h1):to_be_false()
              local maint = 0
              for _, e in ipairs(lab.events{ kind = "drs.migrate" }) do
                if e.message:match("^priority 1, hostMaint") then maint = maint + 1 end
              end
              expect(maint):to_equal(2)
            end)
            x:power_off()
            check("in", function() expect(h1.maintenance):to_equal("in") end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.checks.count == 2 && r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { "\($0.name): \($0.message ?? "")" })")
    }

    /// Manual DPM: after 40 min of low demand a standby is recommended; applying it puts
    /// the host in standby; c.dpm reads the band and the utilisation.
    @Test func manualDPMFromLua() {
        let r = runLab(#"""
            local ds = lab.datastore{ name = "s", capacity = "4 TiB", kind = "san" }
            local hs = {}
            for i = 1, 3 do hs[i] = lab.host{ name = "h" .. i, cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } } end
            local c = lab.cluster{ name = "c", hosts = hs }
            c:enable_drs{}
            for i = 1, 3 do
              local v = hs[i]:create_vm{ name = "v" .. i, vcpus = 1, memory = "4 GiB" }; v:power_on()
              v:run(lab.workload.cpu{ threads = 1, load = 0.5 })
            end
            c:enable_dpm{ automation = "manual" }
            lab.run_for("39 min")
            check("nothing yet", function()
              expect(#c.dpm.recommendations):to_equal(0)
              expect(c.dpm.band.low):to_equal(45)
              expect(c.dpm.band.high):to_equal(81)
              expect(c.dpm.utilization.cpu):to_be_near(12.5, 1)
            end)
            lab.run_for("1 min")
            local rec = c.dpm.recommendations[1]
            check("recommended", function()
              expect(rec.action):to_equal("standby")
              expect(rec.priority):to_equal(3)
              expect(rec.reason):to_match("below 45 %%")
            end)
            c.dpm:apply(rec)
            lab.run_for("1 min")
            check("standby", function()
              expect(rec.host.power):to_equal("standby")
              expect(c.dpm.hosts_on):to_equal(2)
              expect(pcall(function() c.dpm:apply(rec) end)):to_be_false()
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.checks.count == 3 && r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { "\($0.name): \($0.message ?? "")" })")
    }
    /// Alarms beside maintenance and DPM: a host alarm's action puts the host in
    /// maintenance mode (DRS evacuates it), and vCenter's "Host connection and power state"
    /// stays green for a host in standby, whose power state reads "standby".
    @Test func alarmsActOnHostsAndIgnoreStandby() {
        let r = runLab(#"""
            local ds = lab.datastore{ name = "s", capacity = "4 TiB", kind = "san" }
            local a = lab.host{ name = "a", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
            local b = lab.host{ name = "b", cpus = 4, mhz = 2500, memory = "64 GiB", datastores = { ds } }
            local c = lab.cluster{ name = "c", hosts = { a, b } }
            local v = a:create_vm{ name = "v", vcpus = 4, memory = "2 GiB" }; v:power_on()
            v:run(lab.workload.cpu{ threads = 4, load = 1 })
            c:enable_drs{}
            lab.alarm{ name = "hot host", on = a, metric = "cpu.usage", critical = 90, lasting = "1 min",
                       actions = { { run = "enter_maintenance" } } }
            local power = lab.default_alarms()["Host connection and power state"]
            lab.run_for("2 min")
            check("the action evacuated the host", function()
              expect(a.maintenance):to_equal("in")
              expect(v.host):to_equal(b)
            end)
            a:exit_maintenance()
            a:enter_standby()
            lab.run_for("1 min")
            check("standby is no alarm", function()
              expect(a.power):to_equal("standby")
              expect(power:state(a)):to_equal("green")
              b:fail()
              expect(power:state(b)):to_equal("red")
            end)
            """#)
        #expect(r.scriptError == nil, "\(r.scriptError ?? "")")
        #expect(r.checks.count == 2 && r.checks.allSatisfy { $0.status == .passed }, "\(r.checks.map { "\($0.name): \($0.message ?? "")" })")
    }
}
