import HyperModel
import LuaKit

/// vCenter's alarms from Lua: `lab.alarm{...}`, `lab.default_alarms()`, `lab.alarms()`
/// and the Alarm object (its states, history and reset).
extension LabAPI {
    func alarmFunctions() -> [LuaFunctionDecl] {
        [
            LuaFunctionDecl(
                "alarm",
                doc: """
                    Defines an alarm (vCenter's alarm model, docs/datacenter.md): set `on` an object or on a kind ("vm", "host", \
                    "datastore", "cluster"); on a host or cluster it watches that object's children of kind `target`. A trigger is a \
                    metric (`metric`, `warning`, `critical` in the metric's unit, `lasting` the condition length, `below` for "is \
                    below"), a state (`state`, `is` or `is_not`, `level`) or an event (`event`, `message`, `level`, `reset`); several go \
                    in `triggers` and combine with `combine` "any" (the most severe wins) or "all" (the least severe). States are \
                    evaluated at each sample; an event or state trigger turns yellow or red at once. Actions (`actions`) run on the \
                    transitions they name, once or every `every` while the state holds, after the sample, never inside a model step.
                    """,
                params: [LuaParam("options", "lab.AlarmOptions")], returns: [LuaParam("", "lab.Alarm")]
            ) { [unowned(unsafe) self] call in
                let spec = try self.alarmSpec(call)
                let world = self.world(call)
                let a = try model { try world.alarms.define(spec) }
                a.origin = call.position
                for case .script(let s as LuaAlarmAction) in spec.actions.map(\.body) { s.alarmName = a.name; s.origin = a.origin }
                call.push(a, self.alarm)
                return 1
            },
            LuaFunctionDecl(
                "default_alarms",
                doc: """
                    Defines vCenter's default alarms, without actions, and returns them by name: VM CPU and memory usage 75/90 % \
                    for 5 min, host CPU and memory usage 75/90 % for 5 min, datastore usage on disk 75/85 %, VM max total disk \
                    latency 50/75 ms for 5 min, host connection and power state, and the vSphere HA alarms (insufficient failover \
                    resources, failover in progress, VM failover failed). A second call returns the same alarms.
                    """,
                returns: [LuaParam("", "table<string, lab.Alarm>")]
            ) { [unowned(unsafe) self] call in
                let world = self.world(call)
                let list = try model { try world.alarms.defineDefaults() }
                let here = call.position
                for a in list where a.origin.isEmpty { a.origin = here }
                call.pushTable { t in for a in list { t.set(a.name) { call.push(a, self.alarm) } } }
                return 1
            },
            LuaFunctionDecl("alarms", doc: "Every alarm defined, in definition order.", returns: [LuaParam("", "lab.Alarm[]")]) {
                [unowned(unsafe) self] call in
                let list = self.session.worldExists(for: call.state) ? self.world(call).alarms.alarms : []
                call.pushArray(list) { call.push($0, self.alarm) }
                return 1
            },
        ]
    }

    func defineAlarm() {
        alarm.property("name", "string", "The alarm's name.", stable: true) { a, c in c.push(a.name) }
            .property("target", "\"vm\"|\"host\"|\"datastore\"|\"cluster\"", "The kind of object it watches.", stable: true) { a, c in
                c.push(a.target.rawValue)
            }
            .property("on", "lab.VM|lab.Host|lab.Datastore|lab.Cluster|string", "What it is set on: an object, or a kind.", stable: true) {
                [unowned(unsafe) self] a, c in
                switch a.spec.scope {
                case .all(let k): c.push(k.rawValue)
                case .vm(let v): c.push(v, self.vm)
                case .host(let h): c.push(h, self.host)
                case .datastore(let d): c.push(d, self.datastore)
                case .cluster(let x): c.push(x, self.cluster)
                }
            }
            .property("history", "{ time: number, subject: lab.VM|lab.Host|lab.Datastore|lab.Cluster, from: string, to: string, value: number|string|nil }[]",
                      "Every change of state, oldest first: the metric's value, the state's value or the event's message that made it.") {
                [unowned(unsafe) self] a, c in
                c.pushArray(a.history) { e in
                    c.pushTable { t in
                        t.set("time", e.time.seconds)
                        t.set("subject") { self.pushSubject(e.subject, c) }
                        t.set("from", e.from.name)
                        t.set("to", e.to.name)
                        switch e.value {
                        case .number(let v): t.set("value", v)
                        case .text(let s): t.set("value", s)
                        case .none: break
                        }
                    }
                }
            }
            .property("triggered", "{ subject: lab.VM|lab.Host|lab.Datastore|lab.Cluster, state: string }[]",
                      "The objects it watches that are yellow or red now, in creation order.") { [unowned(unsafe) self] a, c in
                let list = a.engine.triggered(a)
                c.pushArray(list) { s, l in
                    c.pushTable { t in
                        t.set("subject") { self.pushSubject(s, c) }
                        t.set("state", l.name)
                    }
                }
            }
            .method("state", doc: "Its state for an object it watches: \"green\", \"yellow\" or \"red\".",
                    params: [LuaParam("object", "lab.VM|lab.Host|lab.Datastore|lab.Cluster")], returns: [LuaParam("", "string")],
                    mutates: false) { [unowned(unsafe) self] a, c in
                let s = try self.watchedSubject(a, c, "state")
                c.push(a.engine.state(a, s)!.name)
                return 1
            }
            .method("reset", doc: "vCenter's \"Reset to green\" for an object: clears its event triggers (event alarms do not reset by themselves unless they name a `reset` event).",
                    params: [LuaParam("object", "lab.VM|lab.Host|lab.Datastore|lab.Cluster")]) { [unowned(unsafe) self] a, c in
                let s = try self.watchedSubject(a, c, "reset")
                _ = a.engine.reset(a, s)
                return 0
            }
    }

    func pushSubject(_ s: AlarmSubject, _ c: LuaCall) {
        switch s {
        case .vm(let v): c.push(v, vm)
        case .host(let h): c.push(h, host)
        case .datastore(let d): c.push(d, datastore)
        case .cluster(let x): c.push(x, cluster)
        }
    }

    func subject(_ v: LuaValue, _ c: LuaCall) -> AlarmSubject? {
        guard case .object(let o, let t) = v else { return nil }
        if t == c.state.typeID(of: vm) { return .vm(o as! VM) }
        if t == c.state.typeID(of: host) { return .host(o as! Host) }
        if t == c.state.typeID(of: datastore) { return .datastore(o as! Datastore) }
        if t == c.state.typeID(of: cluster) { return .cluster(o as! Cluster) }
        return nil
    }

    private func watchedSubject(_ a: Alarm, _ c: LuaCall, _ method: String) throws -> AlarmSubject {
        let who = "Alarm(\(a.name)):\(method)"
        guard let s = subject(c.value(2), c) else {
            throw LuaError("\(who): object \(c.describe(c.value(2))) is not a VM, a Host, a Datastore or a Cluster")
        }
        guard a.engine.state(a, s) != nil else {
            let watches: String
            switch a.spec.scope {
            case .all(let k): watches = "every \(k.rawValue)"
            case let scope where scope.kind == a.target: watches = scope.description
            case let scope: watches = "the \(a.target.plural) of \(scope.description)"
            }
            throw LuaError("\(who): the alarm does not watch \(s.description) (it watches \(watches))")
        }
        return s
    }
}
