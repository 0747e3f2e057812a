import Testing
@testable import LabRuntime

/// Every bad alarm definition and statistics setting is refused at the script's
/// file:line with the alarm, the field, the value and what is allowed, and defines
/// nothing (issue 14, "Bad input").
@Suite("Alarms and statistics: bad input")
struct AlarmBadInputTests {
    let setup = #"""
        local ds = lab.datastore{ name = "ds1", capacity = "100 GiB" }
        local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB", datastores = { ds } }
        local vm = h:create_vm{ name = "web01", memory = "4 GiB" }
        local c = lab.cluster{ name = "prod", hosts = { h } }
        """#

    @Test(arguments: [
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usag", warning = 75 }"#,
         #"lab.lua:5: lab.alarm "A": metric "cpu.usag" is not a metric of VMs (did you mean 'cpu.usage'?) (metrics: cpu.usage, memory.usage, disk.max_latency, cpu.run"#),
        (#"lab.alarm{ name = "A", on = "datastore", metric = "cpu.usage", warning = 75 }"#,
         #"lab.lua:5: lab.alarm "A": metric "cpu.usage" is not a metric of datastores (metrics: usage, used, free)"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 90, critical = 75 }"#,
         #"lab.lua:5: lab.alarm "A": warning 90.0 % is above critical 75.0 % (for "is above", warning must be at most critical)"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 10, critical = 20, below = true }"#,
         #"lab.lua:5: lab.alarm "A": warning 10.0 % is below critical 20.0 % (for "is below", warning must be at least critical)"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, lasting = "-5 min" }"#,
         #"lab.lua:5: lab.alarm "A": lasting "-5 min" is a negative duration"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, lasting = "five minutes" }"#,
         #"lab.lua:5: lab.alarm "A": lasting "five minutes""#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, lasting = -1 }"#,
         #"lab.lua:5: lab.alarm "A": lasting -1 is not a duration of 0 s or more"#),
        (#"lab.alarm{ name = "A", on = "vms", metric = "cpu.usage", warning = 75 }"#,
         #"lab.lua:5: lab.alarm "A": on "vms" is not an object or a kind (use a VM, Host, Datastore or Cluster, or "vm", "host", "datastore", "cluster")"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, duration = "5 min" }"#,
         #"lab.lua:5: lab.alarm "A": unknown option 'duration'"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage" }"#,
         #"lab.lua:5: lab.alarm "A": metric cpu.usage needs a threshold (warning = ..., critical = ... or both)"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 0.75 }"#,
         #"lab.lua:5: lab.alarm "A": warning 0.75 looks like a fraction, but warning is in percent"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "memory.usage", counter = "granted", warning = 75 }"#,
         #"lab.lua:5: lab.alarm "A": counter "granted" is not a counter (use "active" or "consumed")"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", counter = "consumed", warning = 75 }"#,
         #"lab.lua:5: lab.alarm "A": counter is an option of a VM's memory.usage only, not of cpu.usage"#),
        (#"lab.alarm{ name = "A", on = vm, target = "host", metric = "cpu.usage", warning = 75 }"#,
         #"lab.lua:5: lab.alarm "A": target "host" is not a kind this alarm can watch (on VM(web01) use "vm")"#),
        (#"lab.alarm{ name = "A", on = vm }"#,
         #"lab.lua:5: lab.alarm "A": it needs a trigger (metric = ..., state = ..., event = ... or triggers = { ... })"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, event = "host.fail" }"#,
         #"lab.lua:5: lab.alarm "A": a trigger is one of metric, state or event, not metric and event (use triggers = { ... } for several)"#),
        (#"lab.alarm{ name = "A", on = h, state = "connection", is = "dead" }"#,
         #"lab.lua:5: lab.alarm "A": is "dead" is not a value of connection (use "connected", "not responding")"#),
        (#"lab.alarm{ name = "A", on = h, state = "conection", is = "not responding" }"#,
         #"lab.lua:5: lab.alarm "A": state "conection" is not a state of hosts (did you mean 'connection'?) (states: connection, power)"#),
        (#"lab.alarm{ name = "A", on = h, state = "connection", is = "not responding", is_not = "connected" }"#,
         #"lab.lua:5: lab.alarm "A": a state trigger needs is = ... or is_not = ... (one of them)"#),
        (#"lab.alarm{ name = "A", on = h, state = "connection", is = "not responding", level = "green" }"#,
         #"lab.lua:5: lab.alarm "A": level "green" is not a level a trigger sets (use "yellow" or "red")"#),
        (#"lab.alarm{ name = "A", on = h, event = "host.fial" }"#,
         #"lab.lua:5: lab.alarm "A": event "host.fial" is not an event kind an alarm can watch (did you mean 'host.fail'?)"#),
        (#"lab.alarm{ name = "A", on = h, event = "alarm" }"#,
         #"lab.lua:5: lab.alarm "A": event "alarm" is not an event kind an alarm can watch"#),
        (#"lab.alarm{ name = "A", on = c, metric = "cpu.usage", warning = 75, combine = "both" }"#,
         #"lab.lua:5: lab.alarm "A": combine "both" is not a way to combine triggers (use "any" or "all")"#),
        (#"lab.alarm{ name = "A", on = vm, triggers = { { metric = "cpu.usage", warning = 75 }, { metric = "cpu.usage", warning = 90, critical = 80 } } }"#,
         #"lab.lua:5: lab.alarm "A": triggers[2]: warning 90.0 % is above critical 80.0 %"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, triggers = { { metric = "cpu.usage", warning = 75 } } }"#,
         #"lab.lua:5: lab.alarm "A": give one trigger in the options or a list in triggers, not both"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, actions = { { run = "explode" } } }"#,
         #"lab.lua:5: lab.alarm "A": actions[1]: run "explode" is not an action on VMs (use "power_off", "power_on", "reset", "suspend" or a Lua function)"#),
        (#"lab.alarm{ name = "A", on = h, metric = "cpu.usage", warning = 75, actions = { { run = "reboot" } } }"#,
         #"lab.lua:5: lab.alarm "A": actions[1]: run "reboot" is a vCenter action HyperLab does not model yet"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, actions = { { run = "power_off", transitions = "green->red" } } }"#,
         #"lab.lua:5: lab.alarm "A": actions[1]: transitions "green->red" is not a transition"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, actions = { { run = "power_off", every = "1 min" } } }"#,
         #"lab.lua:5: lab.alarm "A": actions[1]: every needs repeats = true"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75, actions = { { run = "power_off", repeats = true, every = 0 } } }"#,
         #"lab.lua:5: lab.alarm "A": actions[1]: every 0 is not a duration of more than 0 s"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "disk.max_latency", warning = "fast" }"#,
         #"lab.lua:5: lab.alarm "A": warning "fast""#),
        (#"lab.alarm{ on = vm, metric = "cpu.usage", warning = 75 }"#,
         #"lab.lua:5: lab.alarm: option 'name' is required"#),
        (#"lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75 }; lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75 }"#,
         #"lab.lua:5: lab.alarm "A": an alarm with this name already exists"#),
        (#"local a = lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75 }; a:state(h)"#,
         #"lab.lua:5: Alarm(A):state: the alarm does not watch Host(esx01) (it watches VM(web01))"#),
        (#"lab.statistics_level{ day = 5 }"#, #"lab.lua:5: lab.statistics_level: day 5 is not a whole number from 1 to 4"#),
        (#"lab.statistics_level{ hour = 2 }"#, #"lab.lua:5: lab.statistics_level: unknown option 'hour'"#),
        (#"lab.realtime_retention("10 s")"#, #"lab.lua:5: lab.realtime_retention: 10.00 s is not allowed (use 1 min to 366 days, or "run" to keep every sample)"#),
        (#"lab.series(vm, "cpu.usage", nil, "maximum")"#, #"lab.lua:5: lab.series: rollup "maximum" needs an interval"#),
    ])
    func refused(code: String, message: String) {
        let r = runLab(setup + "\n" + code + "\n" + #"""
            check("nothing defined", function() expect(#lab.alarms(), "alarms", "count"):to_equal(0) end)
            """#)
        #expect(r.scriptError?.hasPrefix(message) == true, "\(r.scriptError ?? "nil")")
    }

    /// A refused definition leaves nothing behind: the next one with the same name works.
    @Test func nothingHalfApplied() {
        let r = runLab(setup + "\n" + #"""
            local ok = pcall(lab.alarm, { name = "A", on = vm, metric = "cpu.usage", warning = 75, actions = { { run = "explode" } } })
            local ok2 = pcall(lab.alarm, { name = "A", on = vm, triggers = { { metric = "cpu.usage", warning = 75 }, { state = "power", is = "of" } } })
            check("refused, then defined", function()
              expect(ok):to_be_false()
              expect(ok2):to_be_false()
              expect(#lab.alarms(), "alarms", "count"):to_equal(0)
              local a = lab.alarm{ name = "A", on = vm, metric = "cpu.usage", warning = 75 }
              expect(#lab.alarms(), "alarms", "count"):to_equal(1)
              expect(a:state(vm)):to_equal("green")
            end)
            """#)
        #expect(r.check("refused, then defined")?.status == .passed, "\(r.check("refused, then defined")?.message ?? r.scriptError ?? "")")
    }
}
