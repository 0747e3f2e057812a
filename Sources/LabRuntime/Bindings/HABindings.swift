import HyperModel
import LuaKit

/// Host failures, vSphere HA and Fault Tolerance from Lua.
extension LabAPI {
    static let haOptions = LuaRecord(
        "lab.HAOptions", doc: "Options of `cluster:enable_ha{...}`.",
        fields: [
            LuaParam("admission", "\"slots\"|\"percentage\"|\"none\"", "Admission control policy (default \"slots\").", optional: true),
            LuaParam("failures", "integer", "Host failures to tolerate (slots; default 1).", optional: true),
            LuaParam("percent", "number|string", "Resources kept for failover (percentage; default 25).", optional: true),
            LuaParam("detection", "number|string", "From a failure to the restarts (default \"15 s\").", optional: true),
            LuaParam("boot", "number|string", "A restarted guest's boot time (default \"30 s\").", optional: true),
        ])

    static let ftOptions = LuaRecord(
        "lab.FTOptions", doc: "Options of `vm:enable_ft{...}`.",
        fields: [
            LuaParam("host", "lab.Host", "Where the secondary runs (default: the cluster's host with most unreserved memory).", optional: true),
            LuaParam("legacy", "boolean", "Legacy FT (vLockstep: 1 vCPU, eager-zeroed disks) instead of SMP-FT (default false).", optional: true),
        ])

    func defineHA() {
        host.property("failed", "boolean", "The host has failed.") { h, c in c.push(h.failed) }
            .method("fail", doc: "The host fails: its VMs stop and lose their memory; FT VMs continue on their secondary; in an HA cluster the others restart elsewhere.") { h, _ in
                try model { try h.fail() }
                return 0
            }
            .method("recover", doc: "The failed host is back, empty.") { h, _ in
                try model { try h.recover() }
                return 0
            }

        cluster.property("ha", "{ admission: string, failures: integer, percent: number, detection: number, boot: number }?",
                         "HA's settings, nil when HA is off.") { x, c in
            guard let ha = x.ha else { return c.pushNil() }
            c.pushTable { t in
                t.set("admission", ha.admission.rawValue)
                t.set("failures", Int64(ha.failures))
                t.set("percent", ha.percent)
                t.set("detection", ha.detection)
                t.set("boot", ha.boot)
            }
        }
        .property("slot", "{ cpu: number, memory: integer, per_host: integer[] }", "HA's slot size (MHz, bytes) and slots per live host.") { x, c in
            let s = x.slots()
            c.pushTable { t in
                t.set("cpu", s.cpu)
                t.set("memory", s.memory)
                t.set("per_host") { c.pushArray(s.perHost) { c.push(Int64($0)) } }
            }
        }
        .property("failover_capacity", "integer", "How many of the largest hosts may fail with the slots left covering every powered-on VM.") { x, c in
            c.push(Int64(x.failoverCapacity()))
        }
        .method("enable_ha", doc: "Turns vSphere HA on: failed hosts' VMs restart elsewhere; admission control keeps room for failures.",
                params: [LuaParam("options", "lab.HAOptions", "", optional: true)]) { x, call in
            var s = HASettings()
            if !call.value(2).isNil {
                let ctx = "\(x.description):enable_ha"
                let o = try call.options(2, LabAPI.haOptions, context: ctx)
                if let a = try o.string("admission") {
                    guard let k = HASettings.Admission(rawValue: a) else {
                        throw o.bad("admission", o["admission"], expected: "an admission policy", hint: "use \"slots\", \"percentage\" or \"none\"")
                    }
                    s.admission = k
                }
                if o.has("failures") { s.failures = try Quantity.positiveInteger(o["failures"], ctx, "failures", range: 1...64) }
                if o.has("percent") { s.percent = try Quantity.percent(o["percent"], ctx, "percent") }
                if o.has("detection") { s.detection = try Quantity.seconds(o["detection"], ctx, "detection", allowZero: false) }
                if o.has("boot") { s.boot = try Quantity.seconds(o["boot"], ctx, "boot") }
            }
            let settings = s
            try model { try x.enableHA(settings) }
            return 0
        }

        vm.property("ha_protection", "string", "\"protected by HA\", \"protected by FT … and HA\", or \"unprotected: \" and why.") { v, c in
            c.push(v.haProtection)
        }
        .property("ft", "lab.Host?", "The host of its FT secondary, nil when FT is off.") { [unowned(unsafe) self] v, c in
            if let s = v.ftSecondary { c.push(s, self.host) } else { c.pushNil() }
        }
        .method("enable_ft", doc: "Turns Fault Tolerance on: a secondary in lockstep on another host of its HA cluster takes over at once if the primary's host fails.",
                params: [LuaParam("options", "lab.FTOptions", "", optional: true)]) { [unowned(unsafe) self] v, call in
            var secondary: Host?
            var legacy = false
            if !call.value(2).isNil {
                let o = try call.options(2, LabAPI.ftOptions, context: "\(v.description):enable_ft")
                switch o["host"] {
                case .none, .nil: break
                case .object(let h, let t) where t == call.state.typeID(of: self.host): secondary = (h as! Host)
                case let x: throw o.bad("host", x, expected: "a Host")
                }
                legacy = try o.boolean("legacy") ?? false
            }
            let target = secondary
            let isLegacy = legacy
            try model { try v.enableFT(secondary: target, legacy: isLegacy) }
            return 0
        }
        .method("disable_ft", doc: "Turns Fault Tolerance off; the secondary is removed.") { v, _ in
            try model { try v.disableFT() }
            return 0
        }
    }
}
