import HyperModel
import LuaKit

/// Statistics levels, real-time retention and series (real-time samples and rollups).
extension LabAPI {
    static let intervalType = "\"realtime\"|\"day\"|\"week\"|\"month\"|\"year\""
    static let rollupType = "\"average\"|\"summation\"|\"latest\"|\"minimum\"|\"maximum\""

    static let statisticsLevels = LuaRecord(
        "lab.StatisticsLevels", doc: "Levels of `lab.statistics_level{...}`, 1 to 4 each; an interval's level may not exceed the one before it.",
        fields: StatisticsInterval.allCases.map { i in
            LuaParam(i.name, "integer", i == .realtime
                     ? "What the samples record (3 and above: per-vCPU series)."
                     : "What the past \(i.name)'s rollups keep (4: minimum and maximum too).", optional: true)
        })

    func statisticsLevelFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "statistics_level",
            doc: """
                vCenter's statistics levels: 1 basic counters (CPU and memory usage, consumed, ballooned, swap rates, ready, disk latency), \
                2 all CPU and memory counters, 3 per-vCPU counters too, 4 minimum and maximum rollups too; 0 (as a number only) records \
                no series at all (the model still measures each interval: DRS, pools and alarms work as before). A number sets every interval \
                (default 3 for all: real-time samples record per-vCPU series from 3; level 1 saves memory in labs with thousands of VMs); \
                a table sets some intervals, e.g. `{ day = 2, week = 1, month = 1, year = 1 }`, refused when an interval's level \
                exceeds the level of the shorter interval before it (real-time, day, week, month, year), as vCenter refuses it. \
                Call it before creating hosts. Without an argument, returns the levels in force.
                """,
            params: [LuaParam("level", "integer|lab.StatisticsLevels", "0 to 4, or levels (1 to 4) by interval.", optional: true)],
            returns: [LuaParam("", "{ realtime: integer, day: integer, week: integer, month: integer, year: integer }?")]
        ) { [unowned(unsafe) self] call in
            let world = self.world(call)
            switch call.value(1) {
            case .none, .nil:
                call.pushTable { t in
                    for i in StatisticsInterval.allCases { t.set(i.name, Int64(world.statistics.level(i))) }
                }
                return 1
            case .table(let index):
                let o = try call.options(index, LabAPI.statisticsLevels, context: "lab.statistics_level")
                var levels = world.statistics.levels
                for i in StatisticsInterval.allCases where o.has(i.name) {
                    levels[i.rawValue] = Int(try Quantity.positiveInteger(o[i.name], "lab.statistics_level", i.name, range: 1...4))
                }
                let chosen = levels
                try model { try world.setStatisticsLevels(chosen) }
            default:
                let level = try call.integer(1, "level")
                try model { try world.setStatisticsLevel(Int(clamping: level)) }
            }
            return 0
        }
    }

    func realtimeRetentionFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "realtime_retention",
            doc: """
                How long real-time samples are kept: "run" (the default: every sample of the run, so checks can read it all) or a \
                duration; vCenter keeps 1 h (180 samples of 20 s). Samples are rolled up into the past day, week, month and year before \
                they are dropped, so a month of a large datacenter costs a bounded amount of memory per object.
                """,
            params: [LuaParam("keep", "number|string", "\"run\", or e.g. \"1 h\" (1 min to 366 days).")]
        ) { [unowned(unsafe) self] call in
            var keep: SimTime?
            if case .string("run") = call.value(1) {} else {
                keep = .seconds(try Quantity.seconds(call.value(1), "lab.realtime_retention", "keep", allowZero: false))
            }
            let chosen = keep
            try model { try self.world(call).setRealtimeRetention(chosen) }
            return 0
        }
    }

    func seriesFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "series",
            doc: """
                A metric of a VM or host, e.g. `lab.series(vm, "memory.consumed")`: every real-time sample, or with `interval` the \
                rollup of the past day (5 min points), week (30 min), month (2 h) or year (1 day), each point the mean (or sum, or \
                latest, as the counter rolls up) of the finer points in its period, stamped at its end; `rollup` "minimum" or \
                "maximum" reads the extremes kept at statistics level 4.
                """,
            params: [LuaParam("object", "lab.VM|lab.Host|lab.Container", "A container's metrics: cpu.usage (% of one CPU over the interval), cpu.throttled (% of its quota periods throttled), memory.usage, memory.swap."), LuaParam("metric", "string", "A metric name such as \"cpu.ready\"."),
                     LuaParam("interval", LabAPI.intervalType, "Default \"realtime\".", optional: true),
                     LuaParam("rollup", LabAPI.rollupType, "Default: the counter's own (average for most).", optional: true)],
            returns: [LuaParam("", "lab.Series")]
        ) { [unowned(unsafe) self] call in
            let name = try call.string(2, "metric")
            let set: SeriesSet
            let who: String
            switch call.value(1) {
            case .object(let o, let t) where t == call.state.typeID(of: self.vm):
                set = (o as! VM).metrics.series
                who = (o as! VM).description
            case .object(let o, let t) where t == call.state.typeID(of: self.host):
                set = (o as! Host).metrics.series
                who = (o as! Host).description
            case .object(let o, let t) where t == call.state.typeID(of: self.container):
                set = (o as! Container).series
                who = (o as! Container).description
            case let v:
                throw LuaError("lab.series: object \(call.describe(v)) is not a VM, a Host or a Container")
            }
            guard set.records else {
                throw LuaError("lab.series: \(who) has no series: this lab uses statistics level 0, which records none (lab.statistics_level)")
            }
            guard let s = set[name] else {
                if name.contains(".vcpu"), self.world(call).statisticsLevel < 3 {
                    throw LuaError(
                        "lab.series: \(who) has no metric \"\(name)\": per-vCPU series are recorded at statistics level 3 and above, and this lab uses level \(self.world(call).statisticsLevel) (lab.statistics_level)")
                }
                throw LuaError(
                    "lab.series: \(who) has no metric \"\(name)\"\(Suggest.didYouMean(name, set.names)) (metrics: \(set.names.joined(separator: ", ")))")
            }
            var result = s
            if !call.value(3).isNil {
                let interval = try LabAPI.interval(call.value(3), "lab.series", call)
                let stat = try call.optionalString(4, "rollup")
                result = try LabAPI.rolledUp(s, of: set, interval, stat, "lab.series", who, self.world(call))
            } else if !call.value(4).isNil {
                throw LuaError("lab.series: rollup \(call.describe(call.value(4))) needs an interval (\"day\", \"week\", \"month\" or \"year\")")
            }
            if case .object(let o, _) = call.value(1) { self.noteSeries(o, name) }
            call.push(result, self.series)
            return 1
        }
    }

    static func interval(_ v: LuaValue, _ ctx: String, _ call: LuaCall) throws -> StatisticsInterval {
        if case .string(let s) = v, let i = StatisticsInterval(name: s) { return i }
        var hint = ""
        if case .string(let s) = v { hint = Suggest.didYouMean(s, StatisticsInterval.names) }
        throw LuaError("\(ctx): interval \(call.describe(v)) is not an interval\(hint) (use \(StatisticsInterval.names.map { "\"\($0)\"" }.joined(separator: ", ")))")
    }

    /// The rollup of `s` for `interval`, or an error saying why this lab has none.
    static func rolledUp(_ s: MetricSeries, of set: SeriesSet, _ interval: StatisticsInterval, _ stat: String?,
                         _ ctx: String, _ who: String, _ world: Datacenter) throws -> MetricSeries {
        if interval == .realtime {
            guard stat == nil else { throw LuaError("\(ctx): real-time samples have no rollup (\"\(stat!)\"); ask for an interval such as \"day\"") }
            return s
        }
        if let r = set.series(s.name, interval: interval, stat: stat) { return r }
        let level = world.statistics.level(interval)
        let needs = CounterLevels.level(of: s.name)
        if needs > level {
            throw LuaError("\(ctx): \(who) has no \(interval.name) rollup of \"\(s.name)\": vCenter collects it from statistics level \(needs) and this lab's \(interval.name) level is \(level) (lab.statistics_level)")
        }
        let own = CounterLevels.rollup(of: s.name).rawValue
        if stat == "minimum" || stat == "maximum" {
            throw LuaError("\(ctx): \(who) has no \(stat!) rollup of \"\(s.name)\" for the past \(interval.name): minimum and maximum are kept at statistics level 4 and this lab's \(interval.name) level is \(level) (lab.statistics_level)")
        }
        throw LuaError("\(ctx): rollup \"\(stat ?? "")\" is not a rollup of \"\(s.name)\" (use \"\(own)\", its own, or \"minimum\" or \"maximum\" at statistics level 4)")
    }
}
