import HyperModel
import LuaKit

/// Reading quantities from Lua values: numbers are in the base unit (bytes, seconds,
/// MHz, bytes/s, percent), strings carry a unit ("4 GiB", "50 ms", "2.4 GHz", "65%").
/// Every error names the context, the field, the value and what is allowed.
enum Quantity {
    static func bytes(_ v: LuaValue, _ context: String, _ field: String, allowZero: Bool = false) throws -> Int64 {
        let n: Int64
        switch v {
        case .integer(let i): n = i
        case .number(let d) where d == d.rounded() && abs(d) < 9e18: n = Int64(d)
        case .string(let s):
            do { n = try Units.parseBytes(s) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default:
            throw bad(context, field, v, "a size (use e.g. \"4 GiB\", \"512 MiB\" or a whole number of bytes)")
        }
        if n < 0 || (n == 0 && !allowZero) {
            throw bad(context, field, v, allowZero ? "a size of 0 or more" : "a size of more than 0 bytes")
        }
        return n
    }

    static func seconds(_ v: LuaValue, _ context: String, _ field: String, allowZero: Bool = true) throws -> Double {
        let s: Double
        switch v {
        case .integer, .number: s = v.number!
        case .string(let text):
            do { s = try Units.parseSeconds(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default:
            throw bad(context, field, v, "a duration (use e.g. \"50 ms\", \"10 s\", \"5 min\" or a number of seconds)")
        }
        guard s.isFinite, s > 0 || (allowZero && s == 0) else {
            throw bad(context, field, v, allowZero ? "a duration of 0 s or more" : "a duration of more than 0 s")
        }
        return s
    }

    static func mhz(_ v: LuaValue, _ context: String, _ field: String) throws -> Double {
        let m: Double
        switch v {
        case .integer, .number: m = v.number!
        case .string(let text):
            do { m = try Units.parseMHz(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default:
            throw bad(context, field, v, "a CPU speed (use e.g. \"2.4 GHz\", \"500 MHz\" or a number of MHz)")
        }
        guard m.isFinite, m >= 0 else { throw bad(context, field, v, "a CPU speed of 0 MHz or more") }
        return m
    }

    static func rate(_ v: LuaValue, _ context: String, _ field: String) throws -> Double {
        let r: Double
        switch v {
        case .integer, .number: r = v.number!
        case .string(let text):
            do { r = try Units.parseRate(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default: throw bad(context, field, v, "a rate (use e.g. \"200 MB/s\" or a number of bytes per second)")
        }
        guard r.isFinite, r > 0 else { throw bad(context, field, v, "a rate of more than 0") }
        return r
    }

    static func percent(_ v: LuaValue, _ context: String, _ field: String) throws -> Double {
        let r: Double
        switch v {
        case .integer, .number: r = v.number!
        case .string(let text):
            do { r = try Units.parsePercent(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default: throw bad(context, field, v, "a percentage (use e.g. 65 or \"65%\")")
        }
        guard r.isFinite else { throw bad(context, field, v, "a percentage") }
        // 0.65 for 65 % is the usual slip; a percentage under one is written with its sign
        if case .string = v {} else if r > 0 && r < 1 {
            throw LuaError("\(context): \(field) \(v.describe()) looks like a fraction, but \(field) is in percent: write \(Units.trim(r * 100)) for \(Units.trim(r * 100)) %, or \"\(Units.trim(r))%\" if you mean less than one percent")
        }
        return r
    }

    static func cycles(_ v: LuaValue, _ context: String, _ field: String) throws -> Double {
        let c: Double
        switch v {
        case .integer, .number: c = v.number!
        case .string(let text):
            do { c = try Units.parseCycles(text) } catch let e as UnitError { throw LuaError("\(context): \(field) \(e.message)") }
        default: throw bad(context, field, v, "an amount of work (use e.g. \"10 Gcycles\" or a number of cycles)")
        }
        guard c.isFinite, c > 0 else { throw bad(context, field, v, "an amount of work of more than 0 cycles") }
        return c
    }

    static func shares(_ v: LuaValue, _ context: String, _ field: String) throws -> Shares {
        switch v {
        case .string("low"): return .low
        case .string("normal"): return .normal
        case .string("high"): return .high
        case .integer(let n) where n >= 1 && n <= 1_000_000: return .custom(n)
        default: throw bad(context, field, v, "a shares value (use \"low\", \"normal\", \"high\" or a number from 1 to 1000000)")
        }
    }

    static func positiveInteger(_ v: LuaValue, _ context: String, _ field: String, range: ClosedRange<Int64>) throws -> Int {
        switch v {
        case .integer(let n) where range.contains(n): return Int(n)
        case .number(let d) where d == d.rounded() && range.contains(Int64(exactly: d) ?? -1): return Int(d)
        default: throw bad(context, field, v, "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
    }

    static func bad(_ context: String, _ field: String, _ v: LuaValue, _ expected: String) -> LuaError {
        LuaError("\(context): \(field) \(v.describe()) is not \(expected)")
    }
}
