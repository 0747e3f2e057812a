import HyperModel
import LuaKit

/// Reading quantities from Lua values: numbers are in the base unit (bytes, seconds,
/// MHz, bytes/s, percent), strings carry a unit ("4 GiB", "50 ms", "2.4 GHz", "65%").
/// Every error names the context, the field, the value and what is allowed. Numbers,
/// given or parsed from a string, pass `LuaNumber.check`: no NaN, infinity or value out
/// of the model's range reaches it.
enum Quantity {
    /// The longest duration a script can ask for (100 years): far beyond any lab, and its
    /// microseconds fit the model's integer clock many times over.
    static let maxSeconds = 3.2e9
    /// The largest size: 1 EiB, so sums of a few sizes cannot overflow `Int64`.
    static let maxBytes: Int64 = 1 << 60

    static func bytes(_ v: LuaValue, _ context: String, _ field: String, allowZero: Bool = false) throws -> Int64 {
        let n: Int64
        switch v {
        case .integer, .number:
            n = try LuaNumber.integer(v, context, field, range: -maxBytes...maxBytes) ?? 0
        case .string(let s):
            do { n = try Units.parseBytes(s) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default:
            throw bad(context, field, v, "a size (use e.g. \"4 GiB\", \"512 MiB\" or a whole number of bytes)")
        }
        if n < 0 || (n == 0 && !allowZero) {
            throw bad(context, field, v, allowZero ? "a size of 0 or more" : "a size of more than 0 bytes")
        }
        guard n <= maxBytes else { throw bad(context, field, v, "a size the model can hold (at most 1 EiB)") }
        return n
    }

    static func seconds(_ v: LuaValue, _ context: String, _ field: String, allowZero: Bool = true) throws -> Double {
        let s: Double
        switch v {
        case .integer, .number: s = try LuaNumber.double(v, context, field, range: -maxSeconds...maxSeconds)!
        case .string(let text):
            do { s = try Units.parseSeconds(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default:
            throw bad(context, field, v, "a duration (use e.g. \"50 ms\", \"10 s\", \"5 min\" or a number of seconds)")
        }
        _ = try LuaNumber.check(s, context, field, range: -maxSeconds...maxSeconds, shown: v.describe())
        guard s > 0 || (allowZero && s == 0) else {
            throw bad(context, field, v, allowZero ? "a duration of 0 s or more" : "a duration of more than 0 s")
        }
        return s
    }

    static func mhz(_ v: LuaValue, _ context: String, _ field: String) throws -> Double {
        let m: Double
        switch v {
        case .integer, .number: m = try LuaNumber.double(v, context, field)!
        case .string(let text):
            do { m = try Units.parseMHz(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default:
            throw bad(context, field, v, "a CPU speed (use e.g. \"2.4 GHz\", \"500 MHz\" or a number of MHz)")
        }
        _ = try LuaNumber.check(m, context, field, shown: v.describe())
        guard m >= 0 else { throw bad(context, field, v, "a CPU speed of 0 MHz or more") }
        return m
    }

    static func rate(_ v: LuaValue, _ context: String, _ field: String) throws -> Double {
        let r: Double
        switch v {
        case .integer, .number: r = try LuaNumber.double(v, context, field)!
        case .string(let text):
            do { r = try Units.parseRate(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default: throw bad(context, field, v, "a rate (use e.g. \"200 MB/s\" or a number of bytes per second)")
        }
        _ = try LuaNumber.check(r, context, field, shown: v.describe())
        guard r > 0 else { throw bad(context, field, v, "a rate of more than 0") }
        return r
    }

    static func percent(_ v: LuaValue, _ context: String, _ field: String) throws -> Double {
        let r: Double
        switch v {
        case .integer, .number: r = try LuaNumber.double(v, context, field)!
        case .string(let text):
            do { r = try Units.parsePercent(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default: throw bad(context, field, v, "a percentage (use e.g. 65 or \"65%\")")
        }
        _ = try LuaNumber.check(r, context, field, range: -1e6...1e6, shown: v.describe())
        // 0.65 for 65 % is the usual slip; a percentage under one is written with its sign
        if case .string = v {} else if r > 0 && r < 1 {
            throw LuaError("\(context): \(field) \(v.describe()) looks like a fraction, but \(field) is in percent: write \(Units.trim(r * 100)) for \(Units.trim(r * 100)) %, or \"\(Units.trim(r))%\" if you mean less than one percent")
        }
        return r
    }

    static func cycles(_ v: LuaValue, _ context: String, _ field: String) throws -> Double {
        let c: Double
        switch v {
        case .integer, .number: c = try LuaNumber.double(v, context, field)!
        case .string(let text):
            do { c = try Units.parseCycles(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default: throw bad(context, field, v, "an amount of work (use e.g. \"10 Gcycles\" or a number of cycles)")
        }
        _ = try LuaNumber.check(c, context, field, shown: v.describe())
        guard c > 0 else { throw bad(context, field, v, "an amount of work of more than 0 cycles") }
        return c
    }

    static func shares(_ v: LuaValue, _ context: String, _ field: String) throws -> Shares {
        switch v {
        case .string("low"): return .low
        case .string("normal"): return .normal
        case .string("high"): return .high
        case .integer, .number:
            // converted checked, then the range says what shares are
            if let n = try LuaNumber.integer(v, context, field), (1...1_000_000).contains(n) { return .custom(n) }
            fallthrough
        default: throw bad(context, field, v, "a shares value (use \"low\", \"normal\", \"high\" or a number from 1 to 1000000)")
        }
    }

    static func positiveInteger(_ v: LuaValue, _ context: String, _ field: String, range: ClosedRange<Int64>) throws -> Int {
        if let n = try LuaNumber.integer(v, context, field), range.contains(n) { return Int(n) }
        throw bad(context, field, v, "a whole number from \(range.lowerBound) to \(range.upperBound)")
    }

    static func bad(_ context: String, _ field: String, _ v: LuaValue, _ expected: String) -> LuaError {
        LuaError("\(context): \(field) \(v.describe()) is not \(expected)")
    }
}
