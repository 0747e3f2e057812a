/// The one conversion of a number from Lua into Swift. Lua numbers are doubles or 64-bit
/// integers with no range of their own: NaN, ±inf and 1e300 are ordinary values there,
/// while Swift traps on `Int64(1e300)` and the model's integer clock overflows. Every
/// binding reads numbers through these functions, so no value a script can make reaches
/// a conversion that traps: each is refused with a message that names the function, the
/// field and the value.
public enum LuaNumber {
    /// The magnitude allowed when a binding gives no range of its own: every quantity of
    /// the model (bytes, cycles, MHz, seconds) fits, and any such number converts to an
    /// `Int64` and back without trapping.
    public static let magnitude = 1e15

    /// `d` when finite and within `range`; otherwise a `LuaError` saying why.
    public static func check(
        _ d: Double, _ context: String, _ field: String, range: ClosedRange<Double>? = nil, shown: String? = nil
    ) throws -> Double {
        let text = shown ?? LuaValue.format(d)
        if d.isNaN {
            throw LuaError("\(context): \(field) is NaN (not a number, as 0/0 gives), not a value it can use")
        }
        if d.isInfinite {
            throw LuaError("\(context): \(field) \(text) is not a finite number")
        }
        let r = range ?? -magnitude...magnitude
        guard r.contains(d) else {
            throw LuaError("\(context): \(field) \(text) is out of range (allowed: \(show(r.lowerBound)) to \(show(r.upperBound)))")
        }
        return d
    }

    /// The value as a finite Double within `range`; nil when it is not a number at all
    /// (the caller says what else it accepts).
    public static func double(
        _ v: LuaValue, _ context: String, _ field: String, range: ClosedRange<Double>? = nil
    ) throws -> Double? {
        switch v {
        case .integer(let i): return try check(Double(i), context, field, range: range, shown: String(i))
        case .number(let d): return try check(d, context, field, range: range)
        default: return nil
        }
    }

    /// The value as a whole number within `range`; nil when it is not a number at all.
    /// A float must be whole (3.0 is 3, 3.5 is refused).
    public static func integer(
        _ v: LuaValue, _ context: String, _ field: String, range: ClosedRange<Int64>? = nil
    ) throws -> Int64? {
        let r = range ?? -Int64(magnitude)...Int64(magnitude)
        let n: Int64
        switch v {
        case .integer(let i): n = i
        case .number(let d):
            _ = try check(d, context, field, range: Double(r.lowerBound)...Double(r.upperBound))
            guard let exact = Int64(exactly: d) else {
                throw LuaError("\(context): \(field) \(LuaValue.format(d)) is not a whole number")
            }
            n = exact
        default: return nil
        }
        guard r.contains(n) else {
            throw LuaError("\(context): \(field) \(n) is out of range (allowed: \(r.lowerBound) to \(r.upperBound))")
        }
        return n
    }

    /// A bound as people read it: 1000000000000000 as 1e+15.
    static func show(_ d: Double) -> String {
        if d == d.rounded(), abs(d) <= 1e15 { return String(Int64(d)) }
        return LuaValue.format(d)
    }
}
