import Testing
@testable import LabRuntime

/// Alarms and statistics through Lua (the "Alarms" contract of lua-api.md).
@Suite("Alarms and statistics from Lua")
struct AlarmAPITests {
    let setup = #"""
        local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB" }
        local vm = h:create_vm{ name = "web01", vcpus = 1, memory = "4 GiB" }
        vm:power_on()
        """#

    @Test func contract() {
        let r = runLab(setup + "\n" + #"""
            local a = lab.alarm{ name = "VM CPU usage", on = vm, metric = "cpu.usage", warning = 75, critical = 90, lasting = "5 min" }
            lab.alarm{ name = "Datastore usage", on = "datastore", metric = "usage", warning = 75, critical = 85 }
            local failed = lab.alarm{ name = "Host failed", on = "host", event = "host.failure" }
            local defaults = lab.default_alarms()
            check("definitions", function()
              expect(tostring(a)):to_equal("Alarm(VM CPU usage)")
              expect(a.name):to_equal("VM CPU usage")
              expect(a.target):to_equal("vm")
              expect(a.on == vm):to_be_true()
              expect(failed.on):to_equal("host")
              expect(defaults["Virtual machine CPU usage"].target):to_equal("vm")
              expect(lab.default_alarms()["Host CPU usage"] == defaults["Host CPU usage"]):to_be_true()
              expect(#lab.alarms(), "alarms", "count"):to_equal(13)
            end)
            vm:run(lab.workload.cpu{ threads = 1, load = 0.8 })
            lab.run_for("5 min")
            check("states", function()
              expect(a:state(vm)):to_equal("yellow")
              expect(defaults["Virtual machine CPU usage"]:state(vm)):to_equal("yellow")
              expect(failed:state(h)):to_equal("green")
              h:fail()
              expect(failed:state(h)):to_equal("red")
              expect(defaults["Host connection and power state"]:state(h)):to_equal("red")
            end)
            check("history and events", function()
              local e = a.history[1]
              expect(#a.history, "transitions", "count"):to_equal(1)
              expect(e.time, "time", "seconds"):to_equal(300)
              expect(e.subject == vm):to_be_true()
              expect(e.from):to_equal("green")
              expect(e.to):to_equal("yellow")
              expect(e.value, "value", "%"):to_equal(80)
              local events = lab.events{ kind = "alarm", subject = vm }
              expect(events[1].message):to_match("^VM CPU usage: green → yellow: cpu.usage 80.0 %%")
              expect(#a.triggered, "triggered", "count"):to_equal(1)
              expect(a.triggered[1].state):to_equal("yellow")
            end)
            """#)
        for name in ["definitions", "states", "history and events"] {
            #expect(r.check(name)?.status == .passed, "\(name): \(r.check(name)?.message ?? r.scriptError ?? "")")
        }
    }

    /// A Lua action runs after the sample, may change the world, is told the transition,
    /// and cannot advance time; its error ends the run at the alarm's definition.
    @Test func luaActions() {
        let r = runLab(setup + "\n" + #"""
            local seen = {}
            lab.alarm{ name = "runaway", on = vm, metric = "cpu.usage", critical = 90, lasting = "1 min",
              actions = { { run = function(e)
                seen[#seen + 1] = ("%s %s>%s %.0f %d"):format(tostring(e.subject), e.from, e.to, e.value, e.time)
                e.subject:power_off()
              end } } }
            vm:run(lab.workload.cpu{ threads = 1, load = 1 })
            lab.run_for("2 min")
            check("ran once and powered off", function()
              expect(seen[1]):to_equal("VM(web01) yellow>red 100 60")
              expect(#seen, "runs", "count"):to_equal(1)
              expect(vm.state):to_equal("off")
            end)
            lab.alarm{ name = "clock", on = h, metric = "cpu.usage", warning = 0,
              actions = { { run = function() lab.run_for("1 s") end, transitions = "green->yellow" } } }
            local w = vm:power_on()
            vm:run(lab.workload.cpu{ threads = 1, load = 1 })
            check("no time travel", function() lab.run_for("1 min") end)
            """#)
        #expect(r.check("ran once and powered off")?.status == .passed, "\(r.check("ran once and powered off")?.message ?? r.scriptError ?? "")")
        let m = r.check("no time travel")?.message ?? ""
        #expect(m.contains(#"lab.lua:17: alarm "clock": its action for green → yellow on Host(esx01) at "#), "\(m)")
        #expect(m.contains("an alarm action cannot advance time"), "\(m)")
    }

    /// An event outside a run (the script fails a host) triggers its alarm at once; the
    /// action runs when time next advances, and the run goes on.
    @Test func actionAfterAnEventOutsideARun() {
        let r = runLab(setup + "\n" + #"""
            local ran = {}
            lab.alarm{ name = "down", on = "host", state = "connection", is = "not responding",
              actions = { { run = function(e) ran[#ran + 1] = lab.now() end } } }
            lab.run_for("30 s")
            h:fail()
            check("red at once, action at the next step", function()
              expect(lab.alarms()[1]:state(h)):to_equal("red")
              expect(#ran, "runs", "count"):to_equal(0)
              lab.run_for("1 min")
              expect(#ran, "runs", "count"):to_equal(1)
              expect(ran[1], "time", "seconds"):to_equal(30)
              expect(lab.now(), "now", "seconds"):to_equal(90)
            end)
            """#)
        #expect(r.check("red at once, action at the next step")?.status == .passed,
                "\(r.check("red at once, action at the next step")?.message ?? r.scriptError ?? "")")
    }

    @Test func actionErrorNamesTheDefinition() {
        let r = runLab(setup + "\n" + #"""
            lab.alarm{ name = "boom", on = vm, metric = "cpu.usage", warning = 10,
              actions = { { run = function() error("no pager") end, transitions = { "green->yellow" } } } }
            vm:run(lab.workload.cpu{ threads = 1, load = 1 })
            lab.run_for("1 min")
            """#)
        #expect(r.scriptError?.hasPrefix(#"lab.lua:4: alarm "boom": its action for green → yellow on VM(web01) at 20 s failed: lab.lua:5: no pager"#) == true,
                "\(r.scriptError ?? "nil")")
    }

    @Test func rollupsAndLevels() {
        let r = runLab(#"""
            lab.statistics_level{ week = 2, month = 1, year = 1 }
            lab.realtime_retention("1 h")
            local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB", scheduler = "fair" }
            local vm = h:create_vm{ name = "web01", vcpus = 2, memory = "4 GiB" }
            vm:power_on()
            vm:run(lab.workload.cpu{ threads = 1, load = 0.5 })
            lab.run_for("1 d")
            check("points", function()
              local s = lab.series(vm, "cpu.usage")
              expect(#s, "real-time samples", "count"):to_equal(180)
              expect(s.interval):to_equal("realtime")
              local day = s:rollup("day")
              expect(#day, "day points", "count"):to_equal(288)
              expect(day:mean(), "day mean", "%"):to_equal(25)
              expect(tostring(day)):to_equal("Series(cpu.usage, day)")
              expect(day.rollup_type):to_equal("average")
              expect(#lab.series(vm, "cpu.usage", "week"), "week points", "count"):to_equal(48)
              expect(#lab.series(vm, "memory.active", "week"), "memory.active week points", "count"):to_equal(48)
              expect(lab.series(vm, "cpu.ready_ms", "day").rollup_type):to_equal("summation")
              expect(lab.statistics_level().month, "month level", "count"):to_equal(1)
            end)
            check("not at this level", function() lab.series(vm, "memory.active", "month") end)
            check("no extremes", function() lab.series(vm, "cpu.usage", "day", "maximum") end)
            check("not an interval", function() lab.series(vm, "cpu.usage", "hour") end)
            check("refused", function() lab.statistics_level{ month = 2 } end)
            """#)
        #expect(r.check("points")?.status == .passed, "\(r.check("points")?.message ?? r.scriptError ?? "")")
        #expect(r.check("not at this level")?.message?.contains(#"has no month rollup of "memory.active": vCenter collects it from statistics level 2 and this lab's month level is 1"#) == true,
                "\(r.check("not at this level")?.message ?? "")")
        #expect(r.check("no extremes")?.message?.contains("minimum and maximum are kept at statistics level 4 and this lab's day level is 3") == true)
        #expect(r.check("not an interval")?.message?.contains(#"interval "hour" is not an interval (use "realtime", "day", "week", "month", "year")"#) == true)
        #expect(r.check("refused")?.message?.contains("set it before building hosts") == true, "\(r.check("refused")?.message ?? "")")
    }

    /// Level 0: no series at all; the alarms still see each sample (they read the row
    /// the sampler writes, which is never stored), and reading a series says why not.
    @Test func levelZeroFromLua() {
        let r = runLab(#"""
            lab.statistics_level(0)
            local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB", scheduler = "fair" }
            local vm = h:create_vm{ name = "web01", vcpus = 2, memory = "4 GiB" }
            vm:power_on()
            local a = lab.alarm{ name = "busy", on = vm, metric = "cpu.usage", warning = 40 }
            vm:run(lab.workload.cpu{ threads = 2, load = 0.9 })
            lab.run_for("5 min")
            check("levels", function()
              expect(lab.statistics_level().realtime, "real-time level", "count"):to_equal(0)
              expect(a:state(vm)):to_equal("yellow")
            end)
            check("no series", function() lab.series(vm, "cpu.usage") end)
            """#)
        #expect(r.check("levels")?.status == .passed, "\(r.check("levels")?.message ?? r.scriptError ?? "")")
        #expect(r.check("no series")?.message?.contains("has no series: this lab uses statistics level 0, which records none") == true,
                "\(r.check("no series")?.message ?? r.scriptError ?? "")")
    }

    @Test func levelRuleFromLua() {
        let r = runLab(#"""
            lab.statistics_level{ month = 3 }
            lab.statistics_level{ year = 4 }
            """#)
        #expect(r.scriptError?.hasPrefix("lab.lua:2: lab.statistics_level: the year level 4 exceeds the month level 3") == true, "\(r.scriptError ?? "")")
    }
}
