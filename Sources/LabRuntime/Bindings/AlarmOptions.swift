import HyperModel
import LuaKit

/// Reading `lab.alarm{...}`: every field is checked and the whole definition built
/// before the model sees it, so a bad field changes nothing.
extension LabAPI {
    static let triggerFields: [LuaParam] = [
        LuaParam("metric", "string", "A metric of the target kind (see docs/datacenter.md): \"cpu.usage\", \"memory.usage\", \"disk.max_latency\", \"usage\"…", optional: true),
        LuaParam("warning", "number|string", "Yellow beyond this, in the metric's unit (e.g. 75 or \"75%\", \"50 ms\").", optional: true),
        LuaParam("critical", "number|string", "Red beyond this.", optional: true),
        LuaParam("lasting", "number|string", "Condition length: how long the condition must hold (default 0: at once), e.g. \"5 min\".", optional: true),
        LuaParam("below", "boolean", "\"Is below\" instead of \"is above\" (default false).", optional: true),
        LuaParam("counter", "\"active\"|\"consumed\"", "For a VM's memory.usage: the counter divided by configured memory (default \"active\", as vCenter).", optional: true),
        LuaParam("state", "string", "A state of the target kind: \"power\", \"heartbeat\" (VM), \"connection\", \"power\" (host), \"ha_resources\" (cluster).", optional: true),
        LuaParam("is", "string|string[]", "The state values that trigger it.", optional: true),
        LuaParam("is_not", "string|string[]", "Or: the values that do not.", optional: true),
        LuaParam("level", "\"yellow\"|\"red\"", "What a state or event trigger turns the alarm (default \"red\").", optional: true),
        LuaParam("event", "string", "An event kind of `lab.events` (or its category) about the object, e.g. \"host.fail\" (also \"host.failure\"), \"ha.failover_failed\".", optional: true),
        LuaParam("message", "string", "Only events whose message holds this text.", optional: true),
        LuaParam("reset", "string", "An event kind that turns it green again (else `a:reset(object)`).", optional: true),
        LuaParam("reset_message", "string", "Only reset events whose message holds this text.", optional: true),
    ]

    static let alarmTrigger = LuaRecord("lab.AlarmTrigger", doc: "One trigger of `lab.alarm{ triggers = { ... } }`.", fields: triggerFields)

    static let alarmAction = LuaRecord(
        "lab.AlarmAction", doc: "One action of `lab.alarm{ actions = { ... } }`.",
        fields: [
            LuaParam("run", "string|fun(event: { alarm: lab.Alarm, subject: any, from: string, to: string, value: number|string|nil, time: number, repeated: boolean })",
                     "A Lua function, or an action on the object: \"power_off\", \"suspend\", \"reset\", \"power_on\" (VMs)."),
            LuaParam("transitions", "string|string[]", "Which of \"green->yellow\", \"yellow->red\", \"red->yellow\", \"yellow->green\" run it (default \"yellow->red\"); green → red passes through yellow.", optional: true),
            LuaParam("repeats", "boolean", "Run again every `every` while the state holds (default false: once).", optional: true),
            LuaParam("every", "number|string", "Repeat period (default \"5 min\").", optional: true),
        ])

    static let alarmOptions = LuaRecord(
        "lab.AlarmOptions", doc: "Options of `lab.alarm{...}`: where it is set, one trigger (or `triggers`), and actions.",
        fields: [
            LuaParam("name", "string", "Unique name."),
            LuaParam("on", "lab.VM|lab.Host|lab.Datastore|lab.Cluster|\"vm\"|\"host\"|\"datastore\"|\"cluster\"", "An object, or every object of a kind."),
            LuaParam("target", "\"vm\"|\"host\"|\"datastore\"|\"cluster\"", "For an alarm on a host or cluster: the kind of its children it watches (default: the object's own kind).", optional: true),
        ] + triggerFields + [
            LuaParam("triggers", "lab.AlarmTrigger[]", "Several triggers instead of one.", optional: true),
            LuaParam("combine", "\"any\"|\"all\"", "How triggers combine (default \"any\"): with \"all\", the least severe level wins.", optional: true),
            LuaParam("actions", "lab.AlarmAction[]", "What runs on its transitions (default none, as vCenter's default alarms).", optional: true),
        ])

    func alarmSpec(_ call: LuaCall) throws -> AlarmSpec {
        guard case .table(let t) = call.value(1) else {
            throw LuaError("lab.alarm: expected a table of options {\(LabAPI.alarmOptions.fieldNames.joined(separator: ", "))}, got \(call.describe(call.value(1)))")
        }
        let ctx = call.rawString(t, "name").map { "lab.alarm \"\($0)\"" } ?? "lab.alarm"
        let o = try call.options(t, LabAPI.alarmOptions, context: ctx)
        let name = try o.string("name")!
        guard !name.isEmpty else { throw LuaError("lab.alarm: name must not be empty") }
        let scope: AlarmScope
        switch o["on"] {
        case .string(let k):
            guard let kind = AlarmTarget(rawValue: k) else {
                throw o.bad("on", o["on"], expected: "an object or a kind", hint: "use a VM, Host, Datastore or Cluster, or \(AlarmTarget.names.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            scope = .all(kind)
        case let v:
            switch subject(v, call) {
            case .vm(let x)?: scope = .vm(x)
            case .host(let x)?: scope = .host(x)
            case .datastore(let x)?: scope = .datastore(x)
            case .cluster(let x)?: scope = .cluster(x)
            case nil: throw o.bad("on", v, expected: "an object or a kind", hint: "use a VM, Host, Datastore or Cluster, or \(AlarmTarget.names.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
        }
        var target = scope.kind
        if let k = try o.string("target") {
            guard let kind = AlarmTarget(rawValue: k), scope.targets.contains(kind) else {
                throw o.bad("target", o["target"], expected: "a kind this alarm can watch",
                            hint: "on \(scope.description) use \(scope.targets.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            }
            target = kind
        }
        let own = LabAPI.triggerFields.contains { o.has($0.name) }
        var triggers: [AlarmTrigger] = []
        if let list = try o.array("triggers") {
            guard !own else {
                let given = LabAPI.triggerFields.map(\.name).filter { o.has($0) }.joined(separator: ", ")
                throw LuaError("\(ctx): give one trigger in the options or a list in triggers, not both (\(given) given besides triggers)")
            }
            guard !list.isEmpty else { throw LuaError("\(ctx): triggers is empty (give at least one trigger table)") }
            for (i, item) in list.enumerated() {
                guard case .table(let ti) = item else {
                    throw o.bad("triggers", item, expected: "a list of trigger tables such as { metric = \"cpu.usage\", warning = 75 }")
                }
                let to = try call.options(ti, LabAPI.alarmTrigger, context: "\(ctx): triggers[\(i + 1)]")
                triggers.append(try trigger(to, target))
            }
        } else if own {
            triggers.append(try trigger(o, target))
        } else {
            throw LuaError("\(ctx): it needs a trigger (metric = ..., state = ..., event = ... or triggers = { ... })")
        }
        var all = false
        if let c = try o.string("combine") {
            guard c == "any" || c == "all" else { throw o.bad("combine", o["combine"], expected: "a way to combine triggers", hint: "use \"any\" or \"all\"") }
            all = c == "all"
        }
        var actions: [AlarmAction] = []
        for (i, item) in (try o.array("actions") ?? []).enumerated() {
            guard case .table(let ti) = item else {
                throw o.bad("actions", item, expected: "a list of action tables such as { run = \"power_off\" }")
            }
            let ao = try call.options(ti, LabAPI.alarmAction, context: "\(ctx): actions[\(i + 1)]")
            actions.append(try action(ao, target, call))
        }
        return AlarmSpec(name: name, scope: scope, target: target, triggers: triggers, all: all, actions: actions)
    }

    private func trigger(_ o: LuaOptions, _ target: AlarmTarget) throws -> AlarmTrigger {
        let kinds = ["metric", "state", "event"].filter { o.has($0) }
        guard kinds.count == 1 else {
            if kinds.isEmpty { throw LuaError("\(o.context): a trigger needs metric, state or event") }
            throw LuaError("\(o.context): a trigger is one of metric, state or event, not \(kinds.joined(separator: " and ")) (use triggers = { ... } for several)")
        }
        func refuse(_ fields: [String], for kind: String) throws {
            for f in fields where o.has(f) { throw LuaError("\(o.context): \(f) is not an option of a \(kind) trigger") }
        }
        switch kinds[0] {
        case "metric":
            try refuse(["is", "is_not", "level", "message", "reset", "reset_message"], for: "metric")
            let name = try o.string("metric")!
            let counter = try o.string("counter")
            guard let base = AlarmMetrics.find(name, target) else {
                let names = AlarmMetrics.names(target)
                throw LuaError("\(o.context): metric \"\(name)\" is not a metric of \(target.plural)\(Suggest.didYouMean(name, names)) (metrics: \(names.joined(separator: ", ")))")
            }
            if let counter {
                guard base.counter != nil else { throw LuaError("\(o.context): counter is an option of a VM's memory.usage only, not of \(name)") }
                guard AlarmMetrics.memoryCounters.contains(counter) else {
                    throw o.bad("counter", o["counter"], expected: "a counter", hint: "use \(AlarmMetrics.memoryCounters.map { "\"\($0)\"" }.joined(separator: " or "))")
                }
            }
            let metric = AlarmMetrics.find(name, target, counter: counter)!
            let warning = o.has("warning") ? try threshold(o, "warning", metric.unit) : nil
            let critical = o.has("critical") ? try threshold(o, "critical", metric.unit) : nil
            let lasting = o.has("lasting") ? try Quantity.seconds(o["lasting"], o.context, "lasting") : 0
            return .metric(MetricTrigger(metric: metric, warning: warning, critical: critical, lasting: .seconds(lasting),
                                         below: try o.boolean("below") ?? false))
        case "state":
            try refuse(["warning", "critical", "lasting", "below", "counter", "message", "reset", "reset_message"], for: "state")
            let name = try o.string("state")!
            guard let state = AlarmStates.find(name, target) else {
                let names = AlarmStates.names(target)
                throw LuaError("\(o.context): state \"\(name)\" is not a state of \(target.plural)\(Suggest.didYouMean(name, names)) (states: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
            }
            guard o.has("is") != o.has("is_not") else {
                throw LuaError("\(o.context): a state trigger needs is = ... or is_not = ... (one of them), e.g. is = \"\(state.values.last!)\"")
            }
            let field = o.has("is") ? "is" : "is_not"
            let values = try strings(o, field)
            for v in values where !state.values.contains(v) {
                throw LuaError("\(o.context): \(field) \"\(v)\" is not a value of \(name)\(Suggest.didYouMean(v, state.values)) (use \(state.values.map { "\"\($0)\"" }.joined(separator: ", ")))")
            }
            return .state(StateTrigger(state: state, values: values, negate: field == "is_not", level: try level(o)))
        default:
            try refuse(["warning", "critical", "lasting", "below", "counter", "is", "is_not"], for: "event")
            var kind = try o.string("event")!
            var reset = try o.string("reset")
            kind = EventTrigger.aliases[kind] ?? kind
            reset = reset.map { EventTrigger.aliases[$0] ?? $0 }
            for (field, k) in [("event", kind), ("reset", reset)] {
                guard let k else { continue }
                let names = EventKinds.selectors.filter { $0 != "alarm" && !$0.hasPrefix("alarm.") }.sorted()
                guard names.contains(k) else {
                    throw LuaError("\(o.context): \(field) \"\(k)\" is not an event kind an alarm can watch\(Suggest.didYouMean(k, names)) (kinds: \(names.joined(separator: ", ")))")
                }
            }
            if o.has("reset_message") && reset == nil { throw LuaError("\(o.context): reset_message needs reset = \"<event kind>\"") }
            return .event(EventTrigger(kind: kind, message: try o.string("message"), level: try level(o), reset: reset,
                                       resetMessage: try o.string("reset_message")))
        }
    }

    private func threshold(_ o: LuaOptions, _ field: String, _ unit: String) throws -> Double {
        let v = o[field]
        switch unit {
        case "%": return try Quantity.percent(v, o.context, field)
        case "bytes": return Double(try Quantity.bytes(v, o.context, field, allowZero: true))
        case "MHz": return try Quantity.mhz(v, o.context, field)
        case "bytes/s": return try Quantity.rate(v, o.context, field)
        case "ms":
            if case .string = v { return try Quantity.seconds(v, o.context, field) * 1000 }
            fallthrough
        default:
            guard let d = try LuaNumber.double(v, o.context, field) else { throw o.bad(field, v, expected: "a number in \(unit)") }
            return d
        }
    }

    private func level(_ o: LuaOptions) throws -> AlarmLevel {
        guard let l = try o.string("level") else { return .red }
        guard let level = AlarmLevel(name: l), level != .green else {
            throw o.bad("level", o["level"], expected: "a level a trigger sets", hint: "use \"yellow\" or \"red\"")
        }
        return level
    }

    private func strings(_ o: LuaOptions, _ field: String) throws -> [String] {
        switch o[field] {
        case .string(let s): return [s]
        case .table:
            let items = try o.array(field) ?? []
            guard !items.isEmpty else { throw o.bad(field, o[field], expected: "a value or a list of values") }
            return try items.map { item in
                guard case .string(let s) = item else { throw o.bad(field, item, expected: "a state value (a string)") }
                return s
            }
        case let v: throw o.bad(field, v, expected: "a value or a list of values")
        }
    }

    private func action(_ o: LuaOptions, _ target: AlarmTarget, _ call: LuaCall) throws -> AlarmAction {
        let body: AlarmAction.Body
        switch o["run"] {
        case .string(let name):
            let have = AlarmActions.names(for: target)
            guard have.contains(name) else {
                if AlarmActions.notModelled[target]?.contains(name) == true {
                    throw LuaError("\(o.context): run \"\(name)\" is a vCenter action HyperLab does not model yet (actions on \(target.plural): \(have.isEmpty ? "none yet" : have.map { "\"\($0)\"" }.joined(separator: ", ")); or a Lua function)")
                }
                throw o.bad("run", o["run"], expected: "an action on \(target.plural)",
                            hint: "use \(have.isEmpty ? "" : have.map { "\"\($0)\"" }.joined(separator: ", ") + " or ")a Lua function")
            }
            body = .builtin(name)
        case .function(let i):
            body = .script(LuaAlarmAction(state: call.state, ref: call.ref(i), session: session, api: self))
        case let v: throw o.bad("run", v, expected: "an action", hint: "use a Lua function or the name of an action such as \"power_off\"")
        }
        var transitions: [AlarmTransitionKind] = [.yellowToRed]
        if o.has("transitions") {
            transitions = try strings(o, "transitions").map { s in
                guard let k = AlarmTransitionKind(rawValue: s) else {
                    throw LuaError("\(o.context): transitions \"\(s)\" is not a transition\(Suggest.didYouMean(s, AlarmTransitionKind.names)) (use \(AlarmTransitionKind.names.map { "\"\($0)\"" }.joined(separator: ", ")))")
                }
                return k
            }
        }
        let repeats = try o.boolean("repeats") ?? false
        if o.has("every") && !repeats { throw LuaError("\(o.context): every needs repeats = true") }
        let every = o.has("every") ? try Quantity.seconds(o["every"], o.context, "every", allowZero: false) : 300
        return AlarmAction(body: body, transitions: transitions, repeats: repeats, every: .seconds(every))
    }
}
