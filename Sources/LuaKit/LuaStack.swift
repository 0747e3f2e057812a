import CLua
import CLuaShim

/// Stack helpers over the non-raising (and, while the host is relaxed, allocating) API.
public enum LuaStack {
    public static func string(_ L: OpaquePointer, _ index: Int32) -> String {
        var len = 0
        guard let p = lua_tolstring(L, index, &len) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
    }

    public static func push(_ L: OpaquePointer, _ s: String) {
        var s = s
        s.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }

    public static func push(_ L: OpaquePointer, _ i: Int64) { lua_pushinteger(L, i) }
    public static func push(_ L: OpaquePointer, _ d: Double) { lua_pushnumber(L, d) }
    public static func push(_ L: OpaquePointer, _ b: Bool) { lua_pushboolean(L, b ? 1 : 0) }

    /// Sets t[key] = value (value on top) without metamethods.
    public static func rawSet(_ L: OpaquePointer, table: Int32, key: String) {
        let t = lua_absindex(L, table)
        push(L, key)
        lua_rotate(L, -2, 1)
        lua_rawset(L, t)
    }

    /// Pushes t[key] without metamethods and returns its type.
    @discardableResult
    public static func rawGet(_ L: OpaquePointer, table: Int32, key: String) -> Int32 {
        let t = lua_absindex(L, table)
        push(L, key)
        return lua_rawget(L, t)
    }

    public static func ensure(_ L: OpaquePointer, _ n: Int32) throws {
        if lua_checkstack(L, n) == 0 { throw LuaError("Lua stack overflow") }
    }

    /// How many entries the table at `index` has, counting no further than `limit + 1`
    /// (so that a huge table costs no more than the limit to refuse).
    public static func count(_ L: OpaquePointer, table index: Int32, upTo limit: Int) throws -> Int {
        let t = lua_absindex(L, index)
        try ensure(L, 4)
        var n = 0
        lua_pushnil(L)
        while true {
            let r = hl_next(L, t)
            if r < 0 {
                let message = string(L, -1)
                clua_pop(L, 1)
                throw LuaError(message)
            }
            if r == 0 { break }
            clua_pop(L, 1)
            n += 1
            if n > limit {
                clua_pop(L, 1)
                break
            }
        }
        return n
    }

    /// The keys of the table at `index`, read with a protected `next`.
    public static func keys(_ L: OpaquePointer, table index: Int32) throws -> [LuaValue] {
        let t = lua_absindex(L, index)
        var keys: [LuaValue] = []
        try ensure(L, 4)
        lua_pushnil(L)
        while true {
            let r = hl_next(L, t)
            if r < 0 {
                let message = string(L, -1)
                clua_pop(L, 1)
                throw LuaError(message)
            }
            if r == 0 { break }
            clua_pop(L, 1)  // value; the key stays for the next round
            let key = LuaValue.read(L, -1)
            switch key {
            case .string, .integer, .number, .boolean: keys.append(key)
            default: keys.append(.other(key.typeName))
            }
        }
        return keys
    }
}

extension LuaState {
    /// The index of the top of the main thread's stack.
    public var top: Int32 { lua_gettop(L) }
    public func setTop(_ index: Int32) { lua_settop(L, index) }
    public func pushCopy(at index: Int32) { lua_pushvalue(L, index) }
    public func pushNil() { lua_pushnil(L) }
    public func push(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
    /// Moves the top value below the value at `index`.
    public func insert(at index: Int32) { lua_rotate(L, index, 1) }
    public func value(at index: Int32) -> LuaValue { LuaValue.read(L, index) }
    /// The value at `index` as plain text, without running any metamethod.
    public func text(at index: Int32) -> String {
        switch value(at: index) {
        case .string(let s): return s
        case let v: return v.describe(classes: classes)
        }
    }
}
