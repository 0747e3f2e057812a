import HyperModel
import LuaKit

/// Live migration from Lua.
extension LabAPI {
    static let migrateOptions = LuaRecord(
        "lab.MigrateOptions", doc: "Options of `vm:migrate{...}`.",
        fields: [
            LuaParam("host", "lab.Host", "The destination; it must mount the VM's datastores and admit it."),
            LuaParam("engine", "\"vmotion\"|\"qemu\"|\"xen\"|\"xen-legacy\"",
                     "How pre-copy ends and throttles (default: the profile's): vMotion with SDPS, QEMU with auto-converge, Xen's migration v2 (4.6+) or its legacy xc_domain_save.", optional: true),
            LuaParam("bandwidth", "number|string", "The migration link, e.g. \"1 GiB/s\" (default 1 GiB/s).", optional: true),
            LuaParam("downtime_limit", "number|string", "QEMU's downtime-limit / vMotion's switchover target (default \"300 ms\").", optional: true),
            LuaParam("throttle_initial", "number|string", "QEMU's cpu-throttle-initial in percent (default 20).", optional: true),
            LuaParam("throttle_increment", "number|string", "QEMU's cpu-throttle-increment in percent (default 10).", optional: true),
            LuaParam("max_throttle", "number|string", "QEMU's max-cpu-throttle in percent (default 99).", optional: true),
        ])

    func defineMigration() {
        vm.property("migration", "lab.Migration?", "Its last live migration, nil if none.") { [unowned(unsafe) self] v, c in
            if let m = v.migration { c.push(m, self.migration) } else { c.pushNil() }
        }
        .method("migrate", doc: "Live-migrates the running VM by iterative pre-copy; it switches over to the destination when pre-copy ends (run time to get there). Returns the migration, planned from the guest's dirty rate.",
                params: [LuaParam("options", "lab.MigrateOptions")], returns: [LuaParam("", "lab.Migration")]) { [unowned(unsafe) self] v, call in
            let ctx = "\(v.description):migrate"
            let o = try call.options(2, LabAPI.migrateOptions, context: ctx)
            guard case .object(let h, let t) = o["host"], t == call.state.typeID(of: self.host) else {
                throw o.bad("host", o["host"], expected: "a Host (from lab.host{...})")
            }
            var engine: MigrationEngine?
            if let e = try o.string("engine") {
                guard let k = MigrationEngine(rawValue: e) else {
                    throw o.bad("engine", o["engine"], expected: "a migration engine",
                                hint: "use " + MigrationEngine.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
                }
                engine = k
            }
            let bandwidth = o.has("bandwidth") ? try Quantity.rate(o["bandwidth"], ctx, "bandwidth") : Double(Units.GiB)
            let limit = o.has("downtime_limit") ? try Quantity.seconds(o["downtime_limit"], ctx, "downtime_limit", allowZero: false) : 0.3
            var ac = AutoConverge()
            for (field, path) in [("throttle_initial", \AutoConverge.initial), ("throttle_increment", \AutoConverge.increment),
                                  ("max_throttle", \AutoConverge.maximum)] where o.has(field) {
                let pct = try Quantity.percent(o[field], ctx, field)
                guard pct >= 1, pct <= 99 else { throw o.bad(field, o[field], expected: "a throttle from 1 to 99 %") }
                ac[keyPath: path] = pct / 100
            }
            let target = h as! Host
            let kind = engine
            let converge = ac
            let m = try model { try v.migrate(to: target, engine: kind, bandwidth: bandwidth, downtimeLimit: limit, autoConverge: converge) }
            call.push(m, self.migration)
            return 1
        }

        migration.property("engine", "\"vmotion\"|\"qemu\"|\"xen\"|\"xen-legacy\"", "The engine.", stable: true) { m, c in c.push(m.engine.rawValue) }
            .property("source", "lab.Host", "Where it ran.", stable: true) { [unowned(unsafe) self] m, c in c.push(m.source, self.host) }
            .property("destination", "lab.Host", "Where it goes.", stable: true) { [unowned(unsafe) self] m, c in c.push(m.destination, self.host) }
            .property("done", "boolean", "Switched over.") { m, c in c.push(m.done) }
            .property("rounds", "{ sent: integer, seconds: number, dirtied: integer, throttle: number }[]",
                      "The pre-copy rounds: bytes sent, their time, bytes dirtied meanwhile, the guest's throttle (0 to 0.99).", stable: true) { m, c in
                c.pushArray(m.rounds) { r in
                    c.pushTable { t in
                        t.set("sent", r.sent)
                        t.set("seconds", r.seconds)
                        t.set("dirtied", r.dirtied)
                        t.set("throttle", r.throttle)
                    }
                }
            }
            .property("downtime", "number", "Seconds the VM is stopped at the switchover.", stable: true) { m, c in c.push(m.downtime) }
            .property("total", "number", "Seconds from start to switchover.", stable: true) { m, c in c.push(m.total) }
            .property("converged", "boolean", "Pre-copy shrank what was left below the limit.", stable: true) { m, c in c.push(m.converged) }
            .property("reason", "string", "Why pre-copy ended.", stable: true) { m, c in c.push(m.reason) }
    }
}
