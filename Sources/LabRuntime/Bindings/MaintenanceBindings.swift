import HyperModel
import LuaKit

/// Maintenance mode, standby and DPM, and the N+1 planner from Lua.
extension LabAPI {
    static let maintenanceOptions = LuaRecord(
        "lab.MaintenanceOptions", doc: "Options of `host:enter_maintenance{...}`.",
        fields: [
            LuaParam("move_powered_off", "boolean", "Also re-register its powered-off and suspended VMs on other hosts of the cluster (default false: they stay registered and block nothing).", optional: true),
            LuaParam("strict", "boolean", "Refuse, changing nothing, when a running VM cannot be evacuated, naming each and why (default true); false enters anyway and the host stays \"entering\" with those VMs running, as vCenter's task waits.", optional: true),
        ])

    static let dpmOptions = LuaRecord(
        "lab.DPMOptions", doc: "Options of `cluster:enable_dpm{...}` (datacenter-facts §2.6).",
        fields: [
            LuaParam("target", "number|string", "Target utilisation of the powered-on hosts in % (default 63).", optional: true),
            LuaParam("tolerance", "number|string", "Half-width of the band in % (default 18: hosts go to standby below 45 %, come back above 81 %). The band must stay inside 0–100 %.", optional: true),
            LuaParam("automation", "\"automatic\"|\"manual\"|\"off\"", "Automatic acts; manual only recommends (`c.dpm.recommendations`, `c.dpm:apply(rec)`); off watches (default \"automatic\").", optional: true),
            LuaParam("threshold", "integer", "1 (only power-ons HA needs) to 5 (aggressive); default 3: power-ons, and power-offs that leave the rest at or below the target.", optional: true),
            LuaParam("power_on_window", "number|string", "Demand must stay above the band this long for a power-on (default \"5 min\").", optional: true),
            LuaParam("power_off_window", "number|string", "Demand must stay below the band this long for a power-off (default \"40 min\").", optional: true),
            LuaParam("boot", "number|string", "How long a host takes to boot out of standby (default \"5 min\").", optional: true),
            LuaParam("exclude", "lab.Host[]", "Hosts DPM never puts in standby (vSphere's per-host override \"Disabled\").", optional: true),
        ])

    static let capacityOptions = LuaRecord(
        "lab.CapacityOptions", doc: "Options of `cluster:capacity{...}`: N+1 planning (datacenter-facts §6.1).",
        fields: [
            LuaParam("target", "number|string", "Planning target in % of what is usable after the failures (default 80).", optional: true),
            LuaParam("failures", "integer", "Host failures to plan for: the largest hosts are taken away (default 1, N+1).", optional: true),
        ])

    static let dpmRecommendation = LuaRecord(
        "lab.DPMRecommendation", doc: "A DPM recommendation, as `cluster.dpm.recommendations` lists it; give it back to `cluster.dpm:apply`.",
        fields: [
            LuaParam("id", "integer", "Its number."),
            LuaParam("host", "lab.Host", "The host to put in standby or power on.", optional: true),
            LuaParam("action", "\"standby\"|\"power-on\"", "What to do.", optional: true),
            LuaParam("priority", "integer", "1 (HA needs it) to 5.", optional: true),
            LuaParam("reason", "string", "The demand (or HA rule) that decided it.", optional: true),
        ])

    func pushBlockers(_ list: [EvacuationBlocker], _ c: LuaCall) {
        c.pushArray(list) { b in
            c.pushTable { t in
                t.set("vm") { c.push(b.vm.vm, self.vm) }
                t.set("reason", b.reason.rawValue)
                t.set("message", b.message)
            }
        }
    }

    func defineMaintenance() {
        let blockersType = "{ vm: lab.VM, reason: \"rule\"|\"passthrough\"|\"resources\"|\"incompatible\"|\"drs-disabled\"|\"ha\"|\"drs-off\"|\"recommended\"|\"paused\", message: string }[]"
        host.property("maintenance", "\"none\"|\"entering\"|\"in\"",
                      "Maintenance mode: \"entering\" while VMs still run on it (nothing may power on or migrate to it), \"in\" once none runs.") { h, c in
            c.push(h.maintenance.rawValue)
        }
        .property("maintenance_blockers", blockersType,
                  "Each VM that still runs on a host entering maintenance or standby and why, as the last evaluation found (rule, passthrough, resources, incompatible, drs-disabled, ha, drs-off, recommended, paused); empty otherwise.") {
            [unowned(unsafe) self] h, c in self.pushBlockers(h.maintenanceBlockers, c)
        }
        .property("power", "\"on\"|\"entering-standby\"|\"standby\"|\"powering-on\"", "Power as DPM sees it.") { h, c in c.push(h.power.rawValue) }
        .method("enter_maintenance",
                doc: "Enters maintenance mode: DRS evacuates its running VMs by vMotion (priority-1 `hostMaint` moves; recommended unless fully automated). Raises, naming each VM and why, when a running VM cannot leave, and changes nothing; with `strict = false` it enters anyway and returns those VMs, and the host stays \"entering\" while any runs on it.",
                params: [LuaParam("options", "lab.MaintenanceOptions", "", optional: true)], returns: [LuaParam("", blockersType)]) {
            [unowned(unsafe) self] h, call in
            var moveOff = false, strict = true
            if !call.value(2).isNil {
                let o = try call.options(2, LabAPI.maintenanceOptions, context: "\(h.description):enter_maintenance")
                moveOff = try o.boolean("move_powered_off") ?? false
                strict = try o.boolean("strict") ?? true
            }
            let (m, s) = (moveOff, strict)
            let list = try model { try h.enterMaintenance(movePoweredOff: m, strict: s) }
            self.pushBlockers(list, call)
            return 1
        }
        .method("exit_maintenance", doc: "Leaves maintenance mode, or cancels entering it (running vMotions finish, waiting ones are dropped).") { h, _ in
            try model { try h.exitMaintenance() }
            return 0
        }
        .method("enter_standby", doc: "Evacuates the host as for maintenance (reason `hostStandby`) and powers it off, as DPM does. Returns the VMs that cannot leave.",
                returns: [LuaParam("", blockersType)]) { [unowned(unsafe) self] h, call in
            let list = try model { try h.enterStandby() }
            self.pushBlockers(list, call)
            return 1
        }
        .method("exit_standby", doc: "Powers a standby host on (it takes VMs once booted, after DPM's `boot`), or cancels entering standby.") { h, _ in
            try model { try h.exitStandby() }
            return 0
        }

        cluster.property("dpm", "lab.DPM?", "DPM, nil when it is off.") { [unowned(unsafe) self] x, c in
            if let d = x.dpm, d.isOn { c.push(d, self.dpm) } else { c.pushNil() }
        }
        .method("enable_dpm", doc: "Turns DPM on (DRS must be on): hosts go to standby when demand stays below the band and come back when it rises above it, never below what HA needs.",
                params: [LuaParam("options", "lab.DPMOptions", "", optional: true)]) { [unowned(unsafe) self] x, call in
            let s = try self.dpmSettings(x, call)
            try model { try x.enableDPM(s) }
            return 0
        }
        .method("disable_dpm", doc: "Turns DPM off; hosts in standby stay there until `h:exit_standby()`.") { x, _ in
            try model { try x.disableDPM() }
            return 0
        }
        .method("capacity", doc: "N+1 planning: capacity left after the largest `failures` hosts fail, what the planning target leaves for VMs, and the HA percentage that keeps the same room (MHz, bytes, %).",
                params: [LuaParam("options", "lab.CapacityOptions", "", optional: true)],
                returns: [LuaParam("", "{ hosts: integer, failures: integer, target: number, ha_percent: integer, cpu: { total: number, usable: number, planned: number, reserved: number, failover_percent: number, reserved_percent: number }, memory: { total: number, usable: number, planned: number, reserved: number, failover_percent: number, reserved_percent: number } }")],
                mutates: false) { x, call in
            var target = 80.0, failures = 1
            if !call.value(2).isNil {
                let ctx = "\(x.description):capacity"
                let o = try call.options(2, LabAPI.capacityOptions, context: ctx)
                if o.has("target") { target = try Quantity.percent(o["target"], ctx, "target") }
                if let f = try o.integer("failures", range: -1_000_000...1_000_000) { failures = Int(f) }
            }
            let (t, f) = (target, failures)
            let plan = try model { try x.capacity(target: t, failures: f) }
            call.pushTable { r in
                r.set("hosts", Int64(plan.hosts))
                r.set("failures", Int64(plan.failures))
                r.set("target", plan.target)
                r.set("ha_percent", Int64(plan.haPercent))
                for (key, res, bytes) in [("cpu", plan.cpu, false), ("memory", plan.memory, true)] {
                    r.set(key) {
                        call.pushTable { t in
                            for (k, v) in [("total", res.total), ("usable", res.usable), ("planned", res.planned), ("reserved", res.reserved)] {
                                if bytes { t.set(k, Int64(v.rounded(.down))) } else { t.set(k, v) }
                            }
                            t.set("failover_percent", res.failoverPercent)
                            t.set("reserved_percent", res.reservedPercent)
                        }
                    }
                }
            }
            return 1
        }

        dpm.property("automation", "\"automatic\"|\"manual\"|\"off\"", "Its automation level.") { d, c in c.push(d.settings.automation.rawValue) }
            .property("target", "number", "Target utilisation, %.") { d, c in c.push(d.settings.target) }
            .property("tolerance", "number", "Half-width of the band, %.") { d, c in c.push(d.settings.tolerance) }
            .property("threshold", "integer", "1 to 5.") { d, c in c.push(Int64(d.settings.threshold)) }
            .property("band", "{ low: number, high: number }", "Utilisation below which hosts go to standby and above which they come back, %.") { d, c in
                c.pushTable { t in
                    t.set("low", d.settings.low)
                    t.set("high", d.settings.high)
                }
            }
            .property("utilization", "{ cpu: number, memory: number }", "Demand at the last sample as % of the powered-on hosts' capacity.") { d, c in
                let u = d.utilization
                c.pushTable { t in
                    t.set("cpu", u.cpu)
                    t.set("memory", u.memory)
                }
            }
            .property("demand", "{ cpu: number, memory: integer }", "The VMs' demand now: MHz (CPU demand or reservation) and bytes (active memory or reservation).") { d, c in
                let x = d.demand
                c.pushTable { t in
                    t.set("cpu", x.cpu)
                    t.set("memory", Int64(x.memory))
                }
            }
            .property("hosts_on", "integer", "Hosts whose capacity DPM counts: on, live, not in maintenance mode.") { d, c in c.push(Int64(d.poweredOn.count)) }
            .property("last", "string", "What the last evaluation (at a DRS pass) saw and decided.") { d, c in c.push(d.last) }
            .property("recommendations", "lab.DPMRecommendation[]", "What the last evaluation recommended (manual automation), not yet applied.") {
                [unowned(unsafe) self] d, c in
                c.pushArray(d.recommendations) { r in
                    c.pushTable { t in
                        t.set("id", Int64(r.id))
                        t.set("host") { c.push(r.host.host, self.host) }
                        t.set("action", r.action.rawValue)
                        t.set("priority", Int64(r.priority))
                        t.set("reason", r.reason)
                    }
                }
            }
            .method("apply", doc: "Applies a recommendation of `recommendations` (a stale one is refused).",
                    params: [LuaParam("rec", "lab.DPMRecommendation")]) { d, call in
                let o = try call.options(2, LabAPI.dpmRecommendation, context: "\(d.description):apply")
                let id = try o.integer("id", range: 0...Int64(Int32.max))!
                guard let rec = d.recommendations.first(where: { $0.id == Int(id) }) else {
                    throw LuaError("\(d.description):apply: recommendation \(id) is stale: it is no longer in c.dpm.recommendations (a later evaluation replaced the list, or it was applied); read c.dpm.recommendations again")
                }
                try model { try d.apply(rec) }
                return 0
            }
    }

    private func dpmSettings(_ x: Cluster, _ call: LuaCall) throws -> DPMSettings {
        var s = DPMSettings()
        guard !call.value(2).isNil else { return s }
        let ctx = "\(x.description):enable_dpm"
        let o = try call.options(2, LabAPI.dpmOptions, context: ctx)
        if o.has("target") { s.target = try Quantity.percent(o["target"], ctx, "target") }
        if o.has("tolerance") { s.tolerance = try Quantity.percent(o["tolerance"], ctx, "tolerance") }
        if let a = try o.string("automation") {
            guard let k = DPMSettings.Automation(rawValue: a) else {
                throw o.bad("automation", o["automation"], expected: "a DPM automation level",
                            hint: "use \"automatic\", \"manual\" or \"off\"")
            }
            s.automation = k
        }
        if let t = try o.integer("threshold", range: -1_000_000...1_000_000) { s.threshold = Int(t) }
        if o.has("power_on_window") { s.onWindow = try Quantity.seconds(o["power_on_window"], ctx, "power_on_window") }
        if o.has("power_off_window") { s.offWindow = try Quantity.seconds(o["power_off_window"], ctx, "power_off_window") }
        if o.has("boot") { s.boot = try Quantity.seconds(o["boot"], ctx, "boot") }
        s.excluded = try (o.array("exclude") ?? []).map { v in
            guard case .object(let h, let t) = v, t == call.state.typeID(of: self.host) else {
                throw o.bad("exclude", v, expected: "a Host", hint: "a list of hosts of the cluster, e.g. { h1, h2 }")
            }
            return DPMSettings.HostRef(h as! Host)
        }
        return s
    }
}
