/// What alarms write in the event log, and the checks of a definition.
enum AlarmText {
    static func format(_ v: Double, _ unit: String) -> String {
        switch unit {
        case "%": return Units.formatPercent(v)
        case "ms": return "\(Units.trim((v * 10).rounded() / 10)) ms"
        case "bytes": return Units.formatBytes(v)
        case "MHz": return Units.formatMHz(v)
        case "bytes/s": return Units.formatRate(v)
        default: return Units.trim(v)
        }
    }

    /// "5 min", "90 s".
    static func duration(_ t: SimTime) -> String {
        let s = t.seconds
        return s >= 60 && s.truncatingRemainder(dividingBy: 60) == 0 ? "\(Units.trim(s / 60)) min" : "\(Units.trim(s)) s"
    }

    /// "VM CPU usage: green → yellow: cpu.usage 80.0 %, above warning 75.0 % for 5 min".
    static func transition(_ a: Alarm, from: AlarmLevel, to: AlarmLevel, value: AlarmValue, trigger k: Int) -> String {
        var s = "\(a.name): \(from.name) → \(to.name)"
        switch (a.spec.triggers[k], value) {
        case (.metric(let m), .number(let v)):
            let dir = m.below ? "below" : "above"
            s += ": \(m.metric.label) \(format(v, m.metric.unit))"
            let lasting = m.lasting > .zero ? " for \(duration(m.lasting))" : ""
            switch (from, to) {
            case (_, .red): s += ", \(dir) critical \(format(m.critical!, m.metric.unit))\(lasting)"
            case (.green, .yellow): s += ", \(dir) warning \(format(m.warning!, m.metric.unit))\(lasting)"
            case (.red, .yellow): s += ", no longer \(dir) critical \(format(m.critical!, m.metric.unit))"
            default:
                let t = m.warning ?? m.critical!
                s += ", no longer \(dir) \(m.warning == nil ? "critical" : "warning") \(format(t, m.metric.unit))"
            }
        case (.metric(let m), _):
            s += ": \(m.metric.label) has no data (the object was not sampled)"
        case (.state(let st), .text(let v)):
            s += ": \(st.state.name) is \"\(v)\""
        case (.event(let e), .text(let message)):
            s += to == .green ? ": reset by \(e.reset ?? "a manual reset") (\(message))" : ": \(e.kind) (\(message))"
        case (.event, _):
            s += ": reset to green"
        default: break
        }
        return s
    }

    // MARK: checking a definition

    static func validate(_ spec: AlarmSpec, existing: [String]) throws {
        guard !spec.name.isEmpty else { throw ModelError("lab.alarm: name must not be empty") }
        let who = "lab.alarm \"\(spec.name)\""
        guard !existing.contains(spec.name) else { throw ModelError("\(who): an alarm with this name already exists") }
        guard spec.scope.targets.contains(spec.target) else {
            throw ModelError("\(who): target \"\(spec.target.rawValue)\" is not possible on \(spec.scope.description) (use \(spec.scope.targets.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")))")
        }
        guard !spec.triggers.isEmpty else {
            throw ModelError("\(who): it needs a trigger (metric = ..., state = ..., event = ... or triggers = { ... })")
        }
        for (i, t) in spec.triggers.enumerated() {
            let at = spec.triggers.count > 1 ? "\(who): triggers[\(i + 1)]" : who
            switch t {
            case .metric(let m): try validate(m, spec.target, at)
            case .state(let s):
                guard s.state.target == spec.target else { throw ModelError("\(at): state \(s.state.name) is not a state of \(spec.target.plural)") }
                guard !s.values.isEmpty else { throw ModelError("\(at): it needs a value of \(s.state.name) (is = ... or is_not = ...)") }
                for v in s.values where !s.state.values.contains(v) {
                    throw ModelError("\(at): \"\(v)\" is not a value of \(s.state.name) (use \(s.state.values.map { "\"\($0)\"" }.joined(separator: ", ")))")
                }
                guard s.level != .green else { throw ModelError("\(at): level \"green\" is not allowed (use \"yellow\" or \"red\")") }
            case .event(let e):
                for (field, kind) in [("event", e.kind), ("reset", e.reset)] {
                    guard let kind else { continue }
                    guard EventKinds.selectors.contains(kind), kind != "alarm", !kind.hasPrefix("alarm.") else {
                        throw ModelError("\(at): \(field) \"\(kind)\" is not an event kind an alarm can watch (kinds of lab.events, except alarm's own)")
                    }
                }
                guard e.level != .green else { throw ModelError("\(at): level \"green\" is not allowed (use \"yellow\" or \"red\")") }
            }
        }
        for (i, a) in spec.actions.enumerated() {
            let at = "\(who): actions[\(i + 1)]"
            guard !a.transitions.isEmpty else {
                throw ModelError("\(at): transitions must name at least one of \(AlarmTransitionKind.names.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            if a.repeats { guard a.every > .zero else { throw ModelError("\(at): every must be more than 0 s") } }
            if case .builtin(let name) = a.body, !AlarmActions.names(for: spec.target).contains(name) {
                let have = AlarmActions.names(for: spec.target)
                let list = have.isEmpty ? "none yet" : have.map { "\"\($0)\"" }.joined(separator: ", ")
                if AlarmActions.notModelled[spec.target]?.contains(name) == true {
                    throw ModelError("\(at): \"\(name)\" is a vCenter action HyperLab does not model yet (actions on \(spec.target.plural): \(list); or a Lua function)")
                }
                throw ModelError("\(at): \"\(name)\" is not an action on \(spec.target.plural) (use \(list), or a Lua function)")
            }
        }
    }

    private static func validate(_ m: MetricTrigger, _ target: AlarmTarget, _ at: String) throws {
        guard m.metric.target == target else { throw ModelError("\(at): metric \(m.metric.name) is not a metric of \(target.plural)") }
        guard m.warning != nil || m.critical != nil else {
            throw ModelError("\(at): metric \(m.metric.label) needs a threshold (warning = ..., critical = ... or both)")
        }
        for (field, v) in [("warning", m.warning), ("critical", m.critical)] {
            if let v, !v.isFinite { throw ModelError("\(at): \(field) \(v) is not a finite number") }
        }
        if let w = m.warning, let c = m.critical {
            let unit = m.metric.unit
            if !m.below && w > c {
                throw ModelError("\(at): warning \(format(w, unit)) is above critical \(format(c, unit)) (for \"is above\", warning must be at most critical)")
            }
            if m.below && w < c {
                throw ModelError("\(at): warning \(format(w, unit)) is below critical \(format(c, unit)) (for \"is below\", warning must be at least critical)")
            }
        }
        guard m.lasting >= .zero else { throw ModelError("\(at): lasting \(m.lasting) is negative (use 0 s or more)") }
    }
}

extension AlarmEngine {
    static func validate(_ spec: AlarmSpec, existing: [String]) throws { try AlarmText.validate(spec, existing: existing) }
}
