import CLua
import Foundation
import CLuaShim

/// A Lua value read from the stack with non-raising calls only. Tables and functions
/// stay on the stack; they are referred to by their absolute index.
public enum LuaValue {
    case none
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case table(Int32)
    case function(Int32)
    case object(AnyObject, typeID: Int32)
    case other(String)

    public var isNil: Bool {
        switch self {
        case .none, .nil: return true
        default: return false
        }
    }

    /// The number as a Double, for integers and floats.
    public var number: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    public var typeName: String {
        switch self {
        case .none: return "no value"
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .function: return "function"
        case .object: return "object"
        case .other(let t): return t
        }
    }

    /// How the value is shown in an error message: strings quoted, numbers as written.
    public func describe(classes: [any LuaClassDecl] = []) -> String {
        switch self {
        case .none: return "(missing)"
        case .nil: return "nil"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return LuaValue.format(d)
        case .string(let s): return LuaValue.quote(s)
        case .table: return "a table"
        case .function: return "a function"
        case .object(_, let t):
            if t >= 0 && Int(t) < classes.count { return "a \(classes[Int(t)].name)" }
            return "an object"
        case .other(let t): return "a \(t)"
        }
    }

    /// The most bytes of a string a message quotes.
    public static let quotedBytes = 80

    /// `"text"`, or its first `quotedBytes` bytes (whole characters) and an ellipsis with
    /// its size: a message never grows with the value it quotes.
    public static func quote(_ s: String) -> String {
        let utf8 = s.utf8
        guard utf8.count > quotedBytes else { return "\"" + s + "\"" }
        var end = utf8.index(utf8.startIndex, offsetBy: quotedBytes)
        while end > utf8.startIndex, end.samePosition(in: s.unicodeScalars) == nil { end = utf8.index(before: end) }
        return "\"" + String(s[..<end]) + "…\" (\(utf8.count) bytes)"
    }

    /// A message cut to `limit` bytes (whole characters) with an ellipsis: what one
    /// error or failure may carry into results.
    public static func bounded(_ s: String, limit: Int = 4096) -> String {
        let utf8 = s.utf8
        guard utf8.count > limit else { return s }
        var end = utf8.index(utf8.startIndex, offsetBy: limit)
        while end > utf8.startIndex, end.samePosition(in: s.unicodeScalars) == nil { end = utf8.index(before: end) }
        return String(s[..<end]) + "… (\(utf8.count - s.utf8.distance(from: utf8.startIndex, to: end)) more bytes)"
    }

    /// Lua's own "%.14g" rendering, so numbers in messages read as the user wrote them.
    public static func format(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        var text = String(format: "%.14g", d)
        if !text.contains(".") && !text.contains("e") && !text.contains("n") { text += ".0" }
        return text
    }
}

extension LuaValue {
    /// Reads the value at `index` of `L`. Never raises.
    static func read(_ L: OpaquePointer, _ index: Int32) -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNONE: return .none
        case LUA_TNIL: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(lua_tointegerx(L, index, nil)) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING: return .string(LuaStack.string(L, index))
        case LUA_TTABLE: return .table(lua_absindex(L, index))
        case LUA_TFUNCTION: return .function(lua_absindex(L, index))
        case LUA_TUSERDATA:
            if let o = hl_to_object(L, index), let p = o.pointee.object {
                return .object(Unmanaged<AnyObject>.fromOpaque(p).takeUnretainedValue(), typeID: o.pointee.type_id)
            }
            return .other("userdata")
        default:
            return .other(String(cString: lua_typename(L, lua_type(L, index))))
        }
    }
}
