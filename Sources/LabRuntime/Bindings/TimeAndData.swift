import HyperModel
import LuaKit

extension LabAPI {
    func timeFunctions() -> [LuaFunctionDecl] {
        [
            LuaFunctionDecl(
                "run_for", doc: "Advances simulated time.", params: [LuaParam("duration", "number|string", "Seconds, or e.g. \"10 min\".")]
            ) { [unowned(unsafe) self] call in
                let d = try Quantity.seconds(call.value(1), "lab.run_for", "duration")
                guard self.world(call).now.adding(.seconds(d)) != nil else {
                    throw LuaError("lab.run_for: duration \(call.describe(call.value(1))) runs past the simulation's horizon")
                }
                try self.session.simulate(call) { stop in try self.world(call).run(for: .seconds(d), shouldStop: stop) }
                return 0
            },
            LuaFunctionDecl(
                "run_until",
                doc: "Advances time until `predicate()` returns true (checked now and then every `every`) or `limit` has passed. Returns whether it was met; time stops where it was met.",
                params: [
                    LuaParam("predicate", "fun(): boolean", "Called at each check."),
                    LuaParam("limit", "number|string", "Longest simulated time to wait, e.g. \"1 h\"."),
                    LuaParam("every", "number|string", "Simulated time between checks (default 1 s).", optional: true),
                ],
                returns: [LuaParam("met", "boolean")]
            ) { [unowned(unsafe) self] call in
                let fn = try call.function(1, "predicate")
                let limit = try Quantity.seconds(call.value(2), "lab.run_until", "limit", allowZero: false)
                let every = call.value(3).isNil ? 1.0 : try Quantity.seconds(call.value(3), "lab.run_until", "every", allowZero: false)
                // a step that rounds to 0 µs would never advance the clock
                guard SimTime.seconds(every).micros >= 1 else {
                    throw LuaError("lab.run_until: every \(call.describe(call.value(3))) is shorter than the clock's resolution of 1 µs")
                }
                guard let end = self.world(call).now.adding(.seconds(limit)) else {
                    throw LuaError("lab.run_until: limit \(call.describe(call.value(2))) runs past the simulation's horizon")
                }
                // the whole limit is checked once, before the first step (each step then passes)
                try model { try self.world(call).checkMemory(until: end) }
                let state = call.state
                while true {
                    // the predicate may be a C function, which no count hook sees: the
                    // limits are polled at every step
                    if state.limitReached() { throw LuaError(relayed: state.killReason) }
                    call.pushValue(fn)
                    let outcome = call.state.protectedCall(nargs: 0, nresults: 1, on: call.L)
                    guard outcome.isOK else { throw LuaError(relayed: outcome.message ?? "run_until: predicate failed") }
                    let met = call.value(-1)
                    call.pop(1)
                    if case .boolean(false) = met {} else if !met.isNil {
                        call.push(true)
                        return 1
                    }
                    if self.world(call).now >= end {
                        call.push(false)
                        return 1
                    }
                    let next = min(self.world(call).now + .seconds(every), end)
                    try self.session.simulate(call) { stop in try self.world(call).run(until: next, shouldStop: stop) }
                }
            },
            LuaFunctionDecl("now", doc: "Simulated seconds since the start.", returns: [LuaParam("", "number")]) { [unowned(unsafe) self] call in
                call.push(self.session.worldExists(for: call.state) ? self.world(call).now.seconds : 0)
                return 1
            },
            LuaFunctionDecl(
                "sample_interval", doc: "Sets how often metrics are sampled (default 20 s, vCenter's real-time interval).",
                params: [LuaParam("interval", "number|string", "e.g. \"5 s\".")]
            ) { [unowned(unsafe) self] call in
                let d = try Quantity.seconds(call.value(1), "lab.sample_interval", "interval", allowZero: false)
                try model { try self.world(call).setSampleInterval(.seconds(d)) }
                return 0
            },
            statisticsLevelFunction(),
            realtimeRetentionFunction(),
            memoryLimitFunction(),
            seriesFunction(),
            LuaFunctionDecl(
                "events", doc: "The event log: every decision of the model with its reason, oldest first, filtered by kind and subject.",
                params: [LuaParam("filter", "lab.EventFilter", "", optional: true)],
                returns: [LuaParam("", "{ time: number, kind: string, subject: string, message: string }[]")]
            ) { [unowned(unsafe) self] call in
                var kind: String?
                var subject: String?
                if !call.value(1).isNil {
                    let o = try call.options(1, LabAPI.eventFilter, context: "lab.events")
                    kind = try o.string("kind")
                    if let k = kind, !EventKinds.selectors.contains(k) {
                        let names = EventKinds.selectors.sorted()
                        throw LuaError("lab.events: kind \"\(k)\" is not an event kind\(Suggest.didYouMean(k, names)) (kinds: \(names.joined(separator: ", ")))")
                    }
                    switch o["subject"] {
                    case .none, .nil: break
                    case .string(let s): subject = s
                    case .object(let obj, let t): subject = call.state.classes[Int(t)].describe(obj)
                    case let v: throw o.bad("subject", v, expected: "a VM, a Host or a name")
                    }
                }
                let events = self.session.worldExists(for: call.state) ? self.world(call).log.events(kind: kind, subject: subject) : []
                call.pushArray(events) { e in
                    call.pushTable { t in
                        t.set("time", e.time.seconds)
                        t.set("kind", e.kind)
                        t.set("subject", e.subject)
                        t.set("message", e.message)
                    }
                }
                return 1
            },
        ]
    }

    func unitFunctions() -> [LuaFunctionDecl] {
        [
            LuaFunctionDecl(
                "hash",
                doc: "\"sha256:…\" of a value's canonical text — strings as they are, integers in decimal, other numbers with 10 significant digits (%.10g), booleans as true/false — for `expect(x):to_hash(h)`, which checks an answer without revealing it.",
                params: [LuaParam("value", "string|number|boolean")], returns: [LuaParam("", "string")]
            ) { call in
                call.push(try LabAPI.hash(call.value(1)))
                return 1
            },
            LuaFunctionDecl("bytes", doc: "Bytes of a size: `lab.bytes(\"4 GiB\")` is 4294967296.",
                            params: [LuaParam("size", "integer|string")], returns: [LuaParam("", "integer")]) { call in
                call.push(try Quantity.bytes(call.value(1), "lab.bytes", "size", allowZero: true))
                return 1
            },
            LuaFunctionDecl("seconds", doc: "Seconds of a duration: `lab.seconds(\"5 min\")` is 300.",
                            params: [LuaParam("duration", "number|string")], returns: [LuaParam("", "number")]) { call in
                call.push(try Quantity.seconds(call.value(1), "lab.seconds", "duration"))
                return 1
            },
            LuaFunctionDecl("mhz", doc: "MHz of a CPU speed: `lab.mhz(\"2.4 GHz\")` is 2400.",
                            params: [LuaParam("speed", "number|string")], returns: [LuaParam("", "number")]) { call in
                call.push(try Quantity.mhz(call.value(1), "lab.mhz", "speed"))
                return 1
            },
        ]
    }

    func formatModule() -> LuaModuleDecl {
        func f(_ name: String, _ doc: String, _ format: @escaping (Double) -> String) -> LuaFunctionDecl {
            LuaFunctionDecl(name, doc: doc, params: [LuaParam("value", "number")], returns: [LuaParam("", "string")]) { call in
                call.push(format(try call.number(1, "value")))
                return 1
            }
        }
        return LuaModuleDecl(
            "lab.format", doc: "Quantities as people read them.",
            functions: [
                f("bytes", "`4294967296` → `\"4.00 GiB\"`.") { Units.formatBytes($0) },
                f("seconds", "`0.05` → `\"50 ms\"`, `300` → `\"5.0 min\"`.") { Units.formatSeconds($0) },
                f("mhz", "`2400` → `\"2.40 GHz\"`.") { Units.formatMHz($0) },
                f("percent", "`66.666` → `\"66.7 %\"`.") { Units.formatPercent($0) },
            ])
    }

    /// Internal: formats a number in a unit ("bytes", "seconds", "MHz", "%"), or plainly.
    /// Internal: `format(v, unit, other)` shows `v` in a check's unit ("bytes", "seconds",
    /// "MHz", "%", "bytes/s", "cycles", "count", "fraction" or none), with enough digits to
    /// differ from `other` when given.
    func formatQuantityFunction() -> LuaFunctionDecl {
        LuaFunctionDecl("format", doc: "") { call in
            let unit = try call.optionalString(2, "unit")
            switch call.value(1) {
            case .integer, .number:
                // shown, not used: the display is total (NaN, inf and 1e300 read as such)
                let d = call.value(1).number ?? 0
                let other = call.value(3).number
                call.push(ValueText.show(d, unit: unit, other: other))
            case let v:
                call.push(call.describe(v))
            }
            return 1
        }
    }

    /// Internal: reads a quantity string; returns its value in base units and its unit, or nil.
    func parseQuantityFunction() -> LuaFunctionDecl {
        LuaFunctionDecl("quantity", doc: "") { call in
            guard case .string(let s) = call.value(1), let (value, unit) = ValueText.parse(s) else {
                call.pushNil()
                return 1
            }
            if unit == "bytes" { call.push(Int64(value)) } else { call.push(value) }
            call.push(unit)
            return 2
        }
    }

    /// Internal: " (did you mean 'x'?)" for `word` among candidates given one per line, or "".
    func suggestFunction() -> LuaFunctionDecl {
        LuaFunctionDecl("suggest", doc: "") { call in
            let word = try call.string(1, "word")
            let names = try call.string(2, "candidates").split(separator: "\n").map(String.init)
            call.push(Suggest.didYouMean(word, names))
            return 1
        }
    }

    /// The canonical text of a value, hashed (see `lab.hash`).
    static func hash(_ v: LuaValue) throws -> String {
        let text: String
        switch v {
        case .string(let s): text = s
        case .integer(let i): text = String(i)
        case .number(let d) where d == d.rounded() && abs(d) < 9e15: text = String(Int64(d))
        case .number(let d): text = String(format: "%.10g", d)
        case .boolean(let b): text = b ? "true" : "false"
        default: throw LuaError("lab.hash: \(v.describe()) cannot be hashed (use a string, a number or a boolean)")
        }
        var h = SHA256()
        h.update(text)
        return "sha256:" + h.hexDigest()
    }
}
