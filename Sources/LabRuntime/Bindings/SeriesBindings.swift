import HyperModel
import LuaKit

extension LabAPI {
    func defineSeries() {
        series.property("name", "string", "The metric, e.g. \"cpu.ready\".", stable: true) { s, c in c.push(s.name) }
            .property("unit", "string", "\"bytes\", \"%\", \"MHz\", \"ms\" or \"ratio\".", stable: true) { s, c in c.push(s.unit) }
            .property("interval", LabAPI.intervalType, "\"realtime\" for samples, else the rollup interval.", stable: true) { s, c in
                c.push(s.interval.name)
            }
            .property("rollup_type", LabAPI.rollupType + "?", "How a rollup's points were made; nil for real-time samples.", stable: true) { s, c in
                if let r = s.rollup { c.push(r) } else { c.pushNil() }
            }
            .length { $0.count }
            .method("last", doc: "The latest sample (nil before the first).", returns: [LuaParam("", "number?")], mutates: false) { s, c in
                LabAPI.push(s.last, c)
            }
            .method("max", doc: "The largest sample.", returns: [LuaParam("", "number?")], mutates: false) { s, c in LabAPI.push(s.max, c) }
            .method("min", doc: "The smallest sample.", returns: [LuaParam("", "number?")], mutates: false) { s, c in LabAPI.push(s.min, c) }
            .method(
                "mean",
                doc: "The mean of the samples; with a window, of the samples taken after `from` up to `to` — those that measured the time between (a sample stands for the interval that ends at its time). nil when there are none.",
                params: [LuaParam("from", "number|string", "Seconds since the start, or e.g. \"5 min\": the window starts after it (default: the first sample).", optional: true),
                         LuaParam("to", "number|string", "Where the window ends, sample at `to` included (default: the last sample). Later than `from`.", optional: true)],
                returns: [LuaParam("", "number?")], mutates: false
            ) { s, c in
                if c.value(2).isNil && c.value(3).isNil { return LabAPI.push(s.mean, c) }
                return LabAPI.push(try LabAPI.mean(of: s, c), c)
            }
            .method(
                "at", doc: "The sample in force at time t (the last one at or before it).",
                params: [LuaParam("t", "number|string", "Seconds since the start, or e.g. \"5 min\".")], returns: [LuaParam("", "number?")],
                mutates: false
            ) { s, c in
                let t = try Quantity.seconds(c.value(2), "Series(\(s.name)):at", "t")
                return LabAPI.push(s.value(at: .seconds(t)), c)
            }
            .method(
                "rollup",
                doc: "The same metric rolled up for an interval: `s:rollup(\"day\")` (5 min points), \"week\" (30 min), \"month\" (2 h), \"year\" (1 day); `rollup` \"minimum\" or \"maximum\" at statistics level 4. Called on a real-time series.",
                params: [LuaParam("interval", LabAPI.intervalType), LuaParam("rollup", LabAPI.rollupType, "", optional: true)],
                returns: [LuaParam("", "lab.Series")], mutates: false
            ) { [unowned(unsafe) self] s, c in
                guard s.interval == .realtime, let set = s.realtimeSet else {
                    throw LuaError("Series(\(s.name), \(s.interval.name)):rollup: call it on a real-time series (lab.series(object, metric))")
                }
                let interval = try LabAPI.interval(c.value(2), "Series(\(s.name)):rollup", c)
                let stat = try c.optionalString(3, "rollup")
                let r = try LabAPI.rolledUp(s, of: set, interval, stat, "Series(\(s.name)):rollup", set.owner, self.world(c))
                c.push(r, self.series)
                return 1
            }
            .method(
                "points", doc: "Iterates the samples: `for t, v in s:points() do ... end` (t in seconds).",
                returns: [LuaParam("", "fun(): number, number")], mutates: false
            ) { s, c in
                c.pushShared("Series:points iterator", LabAPI.seriesIterator)
                // the state: t1, v1, t2, v2, ... and the position
                c.pushArray(zip(s.times, s.values).flatMap { [$0.0.seconds, $0.1] }) { c.push($0) }
                c.rawSet(-1, "i", 0)
                return 2
            }
    }

    /// `Series:mean(from, to)`: the mean of the samples with from < t <= to, summed in
    /// time order (as a lab's loop over `points` would).
    static func mean(of s: MetricSeries, _ c: LuaCall) throws -> Double? {
        let ctx = "\(s.interval == .realtime ? "Series(\(s.name))" : "Series(\(s.name), \(s.interval.name))"):mean"
        let from = c.value(2).isNil ? -Double.infinity : try Quantity.seconds(c.value(2), ctx, "from")
        let to = c.value(3).isNil ? Double.infinity : try Quantity.seconds(c.value(3), ctx, "to")
        guard to > from else {
            throw LuaError("\(ctx): to \(c.describe(c.value(3))) is not later than from \(c.describe(c.value(2))) (the window is the time after `from` up to `to`)")
        }
        let times = s.times
        // the first sample after `from`, by bisection: a window's cost is its own samples
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid].seconds > from { hi = mid } else { lo = mid + 1 }
        }
        guard lo < times.count, times[lo].seconds <= to else { return nil }
        let values = s.values
        var sum = 0.0, n = 0
        var i = lo
        while i < times.count && times[i].seconds <= to {
            sum += values[i]
            n += 1
            i += 1
        }
        return sum / Double(n)
    }

    @discardableResult
    static func push(_ d: Double?, _ c: LuaCall) -> Int32 {
        if let d { c.push(d) } else { c.pushNil() }
        return 1
    }

    /// The iterator of `points`: its state table holds the samples and a position.
    static func seriesIterator(_ c: LuaCall) throws -> Int32 {
        let state = try c.table(1, "state")
        let i = c.rawInteger(state, "i") + 1
        guard let t = c.rawNumber(state, 2 * i - 1), let v = c.rawNumber(state, 2 * i) else { return 0 }
        c.rawSet(state, "i", i)
        c.push(t)
        c.push(v)
        return 2
    }
}
