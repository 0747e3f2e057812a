import HyperModel
import LuaKit

/// DRS from Lua: `c:enable_drs{...}`, `c.drs` (imbalance, recommendations, apply, a
/// policy), `c:create_vm{...}` placement, rules (`c:add_rule{...}`, `c.rules`),
/// `vm.drs_automation`, and `lab.drs_policy{...}`.
extension LabAPI {
    static let drsOptions = LuaRecord(
        "lab.DRSOptions", doc: "Options of `cluster:enable_drs{...}`; fields left out keep their current values (the defaults the first time).",
        fields: [
            LuaParam("automation", "\"manual\"|\"partially\"|\"fully\"", "Manual: placement and moves are recommended; partially: placement automatic, moves recommended; fully: both automatic (default).", optional: true),
            LuaParam("threshold", "integer", "Migration threshold 1 (conservative: mandatory moves only) to 5 (aggressive); default 3.", optional: true),
            LuaParam("interval", "number|string", "Between passes (default \"5 min\"; the score model's default \"1 min\").", optional: true),
            LuaParam("reading", "\"A\"|\"B\"", "How the priority formula is grouped: A `6 − ceil((LIM/0.1)·√N)` (default) or B `6 − ceil(LIM/(0.1·√N))`.", optional: true),
            LuaParam("model", "\"imbalance\"|\"score\"", "vSphere ≤ 6.7's load-imbalance metric (default) or vSphere 7's VM DRS score.", optional: true),
            LuaParam("placement", "\"drs\"|\"cloudsim-static\"", "VMware DRS (default) or CloudSim Plus's static-threshold consolidation.", optional: true),
            LuaParam("over", "number", "cloudsim-static: host CPU utilisation above which a host gives up VMs (0–1, default 0.9).", optional: true),
            LuaParam("under", "number", "cloudsim-static: utilisation below which a host is emptied (0–1, default 0.35).", optional: true),
            LuaParam("max_moves_per_host", "integer", "Load-balancing moves a host takes part in per pass (default 8; none for mandatory moves).", optional: true),
            LuaParam("adaptive_max_moves", "boolean", "vSphere 4.1+: the cap follows observed migration times (default false).", optional: true),
            LuaParam("min_goodness", "number", "Smallest imbalance reduction worth a move (default 0.01).", optional: true),
            LuaParam("stable_time", "number|string", "How long a move's benefit is expected to last, for cost–benefit (default \"5 min\").", optional: true),
            LuaParam("cost_benefit", "boolean", "Weigh each move's benefit against its vMotion's cost (default true).", optional: true),
            LuaParam("vmotion_bandwidth", "number|string", "The vMotion link (default \"10 Gb/s\" = 1.25 GB/s).", optional: true),
            LuaParam("concurrent_vmotions", "integer", "vMotions at once per host (default 8 on 10 GbE, 4 below).", optional: true),
        ])

    static let ruleOptions = LuaRecord(
        "lab.RuleOptions", doc: "Options of `cluster:add_rule{...}`.",
        fields: [
            LuaParam("name", "string", "Unique in the cluster."),
            LuaParam("kind", "\"vm-affinity\"|\"vm-anti-affinity\"|\"vm-host\"", "Keep the VMs together, keep them apart, or tie them to hosts."),
            LuaParam("vms", "lab.VM[]", "The VM group (VMs of this cluster)."),
            LuaParam("hosts", "lab.Host[]", "vm-host: the host group.", optional: true),
            LuaParam("must", "boolean", "vm-host: required (\"must\") instead of preferential (\"should\"); default false.", optional: true),
            LuaParam("avoid", "boolean", "vm-host: \"must/should not run on\" the hosts; default false.", optional: true),
        ])

    static let drsPolicyOptions = LuaRecord(
        "lab.DRSPolicyOptions", doc: "Options of `lab.drs_policy{...}`: a DRS balancing policy written in Lua.",
        fields: [
            LuaParam("name", "string", "Its name, shown in results and the event log."),
            LuaParam("plan", "fun(view: table): { vm: string, to: string }[]", "Called at each DRS pass with the cluster's snapshot; returns the moves to make."),
        ])

    func defineDRS() {
        cluster.property("drs", "lab.DRS", "The cluster's DRS (off until enable_drs).", stable: true) { [unowned(unsafe) self] x, c in
            c.push(x.drs, self.drs)
        }
        .property("rules", "lab.Rule[]", "DRS rules in creation order.") { [unowned(unsafe) self] x, c in
            c.pushArray(x.drs.rules) { c.push($0, self.rule) }
        }
        .method("enable_drs", doc: "Turns DRS on (or changes its settings): initial placement, load balancing every interval, rules kept. Every option is checked before anything changes.",
                params: [LuaParam("options", "lab.DRSOptions", "", optional: true)]) { [unowned(unsafe) self] x, call in
            let s = try self.drsSettings(x, call)
            try model { try x.enableDRS(s) }
            return 0
        }
        .method("disable_drs", doc: "Turns DRS off: no placement or balancing; moves in flight finish; rules stay defined.") { x, _ in
            x.disableDRS()
            return 0
        }
        .method("create_vm", doc: "Creates a VM in this DRS cluster, powered off, on the host DRS chooses (admission control first, then the least loaded host); its power-on is placed by DRS. Same options as host:create_vm.",
                params: [LuaParam("options", "lab.VMOptions")], returns: [LuaParam("", "lab.VM")]) { [unowned(unsafe) self] x, call in
            let spec = try self.vmSpec(call)
            let v = try model { try x.createVM(spec) }
            call.push(v, self.vm)
            return 1
        }
        .method("add_rule", doc: "Adds a DRS rule. A VM-VM rule conflicting with an older one is created disabled (rule.conflict says why); a rule contradicting a required rule is refused.",
                params: [LuaParam("options", "lab.RuleOptions")], returns: [LuaParam("", "lab.Rule")]) { [unowned(unsafe) self] x, call in
            let spec = try self.ruleSpec(x, call)
            let r = try model { try x.drs.addRule(spec) }
            call.push(r, self.rule)
            return 1
        }
        .method("remove_rule", doc: "Removes a DRS rule.", params: [LuaParam("rule", "lab.Rule")]) { [unowned(unsafe) self] x, call in
            let r = try call.object(2, self.rule, "\(x.description):remove_rule: rule")
            try model { try x.drs.removeRule(r) }
            return 0
        }

        vm.property(
            "drs_automation", "\"default\"|\"fully\"|\"partially\"|\"manual\"|\"disabled\"",
            "Its own DRS automation level (default: the cluster's). A disabled VM is never moved but its load counts.",
            get: { v, c in
                guard let cl = v.host.clusterMembership else { return c.push("default") }
                c.push(cl.drs.override(of: v).rawValue)
            },
            set: { v, c in
                let ctx = "\(v.description).drs_automation"
                guard case .string(let s) = c.value(3), let level = VMAutomation(rawValue: s) else {
                    throw LuaError("\(ctx): \(c.describe(c.value(3))) is not an automation level (use \(VMAutomation.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")))")
                }
                guard let cl = v.host.clusterMembership else { throw LuaError("\(ctx): \(v.host.name) is in no cluster; DRS automation levels belong to DRS clusters") }
                try model { try cl.drs.setAutomation(level, for: v) }
            })

        defineDRSObject()
        defineRule()
    }

    private func defineDRSObject() {
        drs.property("enabled", "boolean", "DRS is on.") { d, c in c.push(d.enabled) }
            .property("automation", "\"manual\"|\"partially\"|\"fully\"", "The cluster's automation level.") { d, c in c.push(d.settings.automation.rawValue) }
            .property("threshold", "integer", "Migration threshold 1–5.") { d, c in c.push(d.settings.threshold) }
            .property("interval", "number", "Seconds between passes.") { d, c in c.push(d.settings.interval.seconds) }
            .property("reading", "\"A\"|\"B\"", "The priority formula's reading.") { d, c in c.push(d.settings.reading.rawValue) }
            .property("model", "\"imbalance\"|\"score\"", "What decides moves.") { d, c in c.push(d.settings.model.rawValue) }
            .property("placement", "\"drs\"|\"cloudsim-static\"", "What places and balances.") { d, c in c.push(d.settings.placement.rawValue) }
            .property("imbalance", "number", "Current host load standard deviation (LoadImbalanceMetric): the larger of CPU's and memory's.") { d, c in c.push(d.imbalance) }
            .property("cpu_imbalance", "number", "Standard deviation of host CPU load (Σ VM CPU entitlements / capacity).") { d, c in c.push(d.cpuImbalance) }
            .property("memory_imbalance", "number", "Standard deviation of host memory load.") { d, c in c.push(d.memoryImbalance) }
            .property("target_imbalance", "number", "The largest imbalance the threshold tolerates (math.huge at threshold 1).") { d, c in c.push(d.targetImbalance) }
            .property("priority", "integer?", "The priority a balancing move would have now (2–5), nil when balanced.") { d, c in
                if let p = d.priority { c.push(p) } else { c.pushNil() }
            }
            .property("passes", "integer", "Passes run so far.") { d, c in c.push(d.passes) }
            .property("score", "number", "The cluster's DRS score (vSphere 7 model, 0–100): its VMs' scores weighted by CPU entitlement.") { d, c in
                c.push(d.clusterScore)
            }
            .property("moves_in_flight", "integer", "DRS vMotions running or waiting for a slot.") { d, c in c.push(d.movesInFlight) }
            .property("recommendations", "{ id: integer, vm: lab.VM, from: lab.Host, to: lab.Host, priority: integer, reason: string }[]",
                      "What the last pass (or a power-on) recommended and nobody applied; reason is vSphere's code (fairnessCpuAvg, fairnessMemAvg, jointAffin, antiAffin, hostMaint, powerOn…).") { [unowned(unsafe) self] d, c in
                c.pushArray(d.recommendations) { r in
                    c.pushTable { t in
                        t.set("id", Int64(r.id))
                        t.set("vm") { c.push(r.vm.vm, self.vm) }
                        t.set("from") { c.push(r.from.host, self.host) }
                        t.set("to") { c.push(r.to.host, self.host) }
                        t.set("priority", Int64(r.priority))
                        t.set("reason", r.reason.rawValue)
                    }
                }
            }
            .property("last_pass", "{ time: number, imbalance_before: number, imbalance_after: number, target: number, moves: integer, recommended: integer }?",
                      "What the last pass saw and did (imbalance_after as planned), nil before the first.") { d, c in
                guard let p = d.lastPass else { return c.pushNil() }
                c.pushTable { t in
                    t.set("time", p.time.seconds)
                    t.set("imbalance_before", p.imbalanceBefore)
                    t.set("imbalance_after", p.imbalanceAfter)
                    t.set("target", p.target)
                    t.set("moves", Int64(p.moves))
                    t.set("recommended", Int64(p.recommended))
                }
            }
            .property("policy_problems", "{ time: number, kind: string, message: string, move: integer?, vm: string?, to: string? }[]",
                      "A balancing policy's failures and refused moves (the last 1000). kind: \"error\" (it raised), \"limit\" (it ran out of its instructions, memory or time), \"result\" (not a list of moves), \"too-many\", \"unknown-vm\", \"unknown-host\", \"refused\"; move problems also give the move's place in the answer, its vm and to.") { d, c in
                c.pushArray(d.policyProblems) { p in
                    c.pushTable { t in
                        t.set("time", p.time.seconds)
                        t.set("kind", p.kind.rawValue)
                        t.set("message", p.message)
                        if let m = p.move { t.set("move", Int64(m)) }
                        if let v = p.vm { t.set("vm", v) }
                        if let to = p.to { t.set("to", to) }
                    }
                }
            }
            .property(
                "policy", "lab.DRSPolicy?", "A balancing policy from lab.drs_policy{...} replacing the built-in balancer; nil restores it.",
                get: { [unowned(unsafe) self] d, c in
                    if let p = d.policy as? LuaDRSPolicy { c.push(p, self.drsPolicy) } else { c.pushNil() }
                },
                set: { [unowned(unsafe) self] d, c in
                    switch c.value(3) {
                    case .nil, .none: d.setPolicy(nil)
                    case .object(let o, let t) where t == c.state.typeID(of: self.drsPolicy): d.setPolicy(o as! LuaDRSPolicy)
                    case let v: throw LuaError("\(d.description).policy: \(c.describe(v)) is not a DRS policy (use lab.drs_policy{...} or nil)")
                    }
                })
            .method("load", doc: "A host's load: Σ entitlements of its VMs / capacity, for CPU and memory.", params: [LuaParam("host", "lab.Host")],
                    returns: [LuaParam("", "{ cpu: number, memory: number }")], mutates: false) { [unowned(unsafe) self] d, call in
                let h = try call.object(2, self.host, "\(d.description):load: host")
                let l = d.load(of: h)
                call.pushTable { t in
                    t.set("cpu", l.cpu)
                    t.set("memory", l.memory)
                }
                return 1
            }
            .method("vm_score", doc: "A VM's DRS score where it runs (vSphere 7 model, 0–100); nil when it is not running.",
                    params: [LuaParam("vm", "lab.VM")], returns: [LuaParam("", "number?")], mutates: false) { [unowned(unsafe) self] d, call in
                let v = try call.object(2, self.vm, "\(d.description):vm_score: vm")
                if let s = d.score(of: v) { call.push(s) } else { call.pushNil() }
                return 1
            }
            .method("run", doc: "Runs a DRS pass now (as vCenter's \"Run DRS Now\"); the periodic passes go on.") { d, _ in
                guard d.enabled else { throw LuaError("\(d.description):run: DRS is off (enable it with c:enable_drs{...})") }
                d.runPass()
                return 0
            }
            .method("apply", doc: "Applies a recommendation from c.drs.recommendations: the move runs as a vMotion, or the VM powers on on its host. A stale one is refused.",
                    params: [LuaParam("recommendation", "table")]) { d, call in
                let ctx = "\(d.description):apply"
                guard case .table(let t) = call.value(2) else {
                    throw LuaError("\(ctx): \(call.describe(call.value(2))) is not a recommendation (use an element of c.drs.recommendations)")
                }
                let id = call.rawInteger(t, "id")
                guard let rec = d.recommendations.first(where: { $0.id == id }) else {
                    throw LuaError("\(ctx): recommendation \(id) is stale: it is no longer in c.drs.recommendations (a later pass replaced the list, or it was applied); read c.drs.recommendations again")
                }
                _ = try model { try d.apply(rec) }
                return 0
            }
    }

    private func defineRule() {
        rule.property("name", "string", "Its name.", stable: true) { r, c in c.push(r.name) }
            .property("kind", "\"vm-affinity\"|\"vm-anti-affinity\"|\"vm-host\"", "What it asks.", stable: true) { r, c in c.push(r.kind.rawValue) }
            .property("vms", "lab.VM[]", "Its VM group.", stable: true) { [unowned(unsafe) self] r, c in c.pushArray(r.vms) { c.push($0, self.vm) } }
            .property("hosts", "lab.Host[]", "Its host group (vm-host).", stable: true) { [unowned(unsafe) self] r, c in c.pushArray(r.hosts) { c.push($0, self.host) } }
            .property("must", "boolean", "Required (vm-host).", stable: true) { r, c in c.push(r.must) }
            .property("avoid", "boolean", "\"Must/should not run on\" (vm-host).", stable: true) { r, c in c.push(r.avoid) }
            .property("summary", "string", "What it asks, in words.", stable: true) { r, c in c.push(r.summary) }
            .property("enabled", "boolean", "In force (a rule conflicting with an older one is created disabled).") { r, c in c.push(r.enabled) }
            .property("conflict", "string?", "Why it is disabled, naming the older rule that won.") { r, c in
                if let x = r.conflict { c.push(x) } else { c.pushNil() }
            }
            .property("violations", "lab.VM[]", "Its VMs that break it where they run now (moves in flight counted at their destination).") { [unowned(unsafe) self] r, c in
                let vms = r.vms.first?.host.clusterMembership.map { $0.drs.violations(of: r) } ?? []
                c.pushArray(vms) { c.push($0, self.vm) }
            }
    }

    func drsPolicyFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "drs_policy",
            doc: """
                A DRS balancing policy written in Lua; assign it to `cluster.drs.policy`. At each DRS pass `plan(view)` \
                receives a snapshot: `view.now`, `view.cluster`, `view.threshold`, `view.imbalance`, `view.target`, \
                `view.max_moves_per_host`, `view.hosts` (a list of { name, cpus, cpu_capacity, memory_capacity, cpu_load, \
                memory_load, cpu_entitled, memory_entitled, cpu_reserved, memory_reserved, eligible, state, vms }), \
                `view.vms` ({ name, host, vcpus, memory, cpu_entitlement, cpu_demand, memory_entitlement, cpu_reservation, \
                memory_reservation, automation, migrating, movable }) and `view.rules` ({ name, kind, vms, hosts, must, \
                avoid, enabled }); MHz and bytes. It returns the moves to make, `{ { vm = name, to = host }, ... }` \
                (nil or {} for none). Each move is checked (the VM and host exist, the host is eligible, the VM may move, \
                at most max_moves_per_host per host, no required rule broken) and the valid ones run as vMotions; every \
                refused move and every failure of the policy is logged (drs.policy) and kept in `cluster.drs.policy_problems`.
                """,
            params: [LuaParam("options", "lab.DRSPolicyOptions")], returns: [LuaParam("", "lab.DRSPolicy")]
        ) { [unowned(unsafe) self] call in
            let o = try call.options(1, LabAPI.drsPolicyOptions, context: "lab.drs_policy")
            let name = try o.string("name")!
            guard case .function(let fn) = o["plan"] else { throw o.bad("plan", o["plan"], expected: "a function") }
            let p = LuaDRSPolicy(name: name, state: call.state, ref: call.ref(fn), session: self.session)
            call.push(p, self.drsPolicy)
            return 1
        }
    }

    /// Reads `enable_drs{...}` over the cluster's current settings.
    private func drsSettings(_ x: Cluster, _ call: LuaCall) throws -> DRSSettings {
        var s = x.drs.settings
        guard !call.value(2).isNil else { return s }
        let ctx = "\(x.description):enable_drs"
        let o = try call.options(2, LabAPI.drsOptions, context: ctx)
        func choice<E: RawRepresentable & CaseIterable>(_ field: String, _ type: E.Type) throws -> E? where E.RawValue == String {
            guard let text = try o.string(field) else { return nil }
            guard let e = E(rawValue: text) else {
                throw o.bad(field, o[field], expected: "allowed", hint: "use " + E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            return e
        }
        if let a = try choice("automation", DRSSettings.Automation.self) { s.automation = a }
        if let r = try choice("reading", DRSSettings.PriorityReading.self) { s.reading = r }
        if let m = try choice("model", DRSSettings.Model.self) {
            if m == .score && !o.has("interval") && s.model != .score { s.interval = .seconds(Int64(60)) }
            s.model = m
        }
        if let p = try choice("placement", DRSSettings.Placement.self) { s.placement = p }
        if let t = try o.integer("threshold") { s.threshold = Int(clamping: t) }
        if o.has("interval") { s.interval = .seconds(try Quantity.seconds(o["interval"], ctx, "interval", allowZero: false)) }
        if let v = try o.number("over") { s.overThreshold = v }
        if let v = try o.number("under") { s.underThreshold = v }
        if let v = try o.integer("max_moves_per_host") { s.maxMovesPerHost = Int(clamping: v) }
        if let v = try o.boolean("adaptive_max_moves") { s.adaptiveMaxMoves = v }
        if let v = try o.number("min_goodness") { s.minGoodness = v }
        if o.has("stable_time") { s.stableTime = try Quantity.seconds(o["stable_time"], ctx, "stable_time") }
        if let v = try o.boolean("cost_benefit") { s.costBenefit = v }
        if o.has("vmotion_bandwidth") { s.vmotionBandwidth = try Quantity.rate(o["vmotion_bandwidth"], ctx, "vmotion_bandwidth") }
        if let v = try o.integer("concurrent_vmotions") { s.concurrentPerHost = Int(clamping: v) }
        return s
    }

    /// Reads `add_rule{...}`: members must be VMs and hosts.
    private func ruleSpec(_ x: Cluster, _ call: LuaCall) throws -> DRSRuleSpec {
        let ctx = "\(x.description):add_rule"
        let o = try call.options(2, LabAPI.ruleOptions, context: ctx)
        let name = try o.string("name")!
        let kindText = try o.string("kind")!
        guard let kind = DRSRule.Kind(rawValue: kindText) else {
            throw o.bad("kind", o["kind"], expected: "a rule kind", hint: "use " + DRSRule.Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        let vms: [VM] = try (o.array("vms") ?? []).map { v in
            guard case .object(let obj, let t) = v, t == call.state.typeID(of: self.vm) else { throw o.bad("vms", v, expected: "a VM") }
            return obj as! VM
        }
        let hosts: [Host] = try (o.array("hosts") ?? []).map { v in
            guard case .object(let obj, let t) = v, t == call.state.typeID(of: self.host) else { throw o.bad("hosts", v, expected: "a Host") }
            return obj as! Host
        }
        return DRSRuleSpec(name: name, kind: kind, vms: vms, hosts: hosts, must: try o.boolean("must") ?? false,
                           avoid: try o.boolean("avoid") ?? false)
    }
}
