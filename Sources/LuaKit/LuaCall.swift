import CLua
import CLuaShim

/// The context of one call from Lua into a binding: its arguments and its results.
/// Reading never raises; a bad argument throws a `LuaError` that names it.
public struct LuaCall {
    public let L: OpaquePointer
    /// The state outlives every call into it, so no reference counting is needed here.
    public unowned(unsafe) let state: LuaState
    let functionID: Int32

    init(_ L: OpaquePointer, _ state: LuaState, _ functionID: Int32) {
        self.L = L
        self.state = state
        self.functionID = functionID
    }

    /// The name of the bound function, for messages.
    public var name: String {
        functionID >= 0 && Int(functionID) < state.functionNames.count ? state.functionNames[Int(functionID)] : "?"
    }

    public var count: Int32 { lua_gettop(L) }

    public func value(_ index: Int32) -> LuaValue { LuaValue.read(L, index) }

    /// "file:line" of the user code that made this call ("" when unknown).
    public var position: String {
        hl_push_position(L)
        let p = LuaStack.string(L, -1)
        clua_pop(L, 1)
        return p.hasSuffix(": ") ? String(p.dropLast(2)) : p
    }

    public func describe(_ value: LuaValue) -> String { value.describe(classes: state.classes) }

    // MARK: arguments

    public func string(_ index: Int32, _ what: String) throws -> String {
        let v = value(index)
        if case .string(let s) = v { return s }
        throw LuaError.badValue(name, field: what, value: describe(v), expected: "a string")
    }

    public func optionalString(_ index: Int32, _ what: String) throws -> String? {
        value(index).isNil ? nil : try string(index, what)
    }

    /// A finite number within `range` (by default ±`LuaNumber.magnitude`), through the
    /// one checked conversion.
    public func number(_ index: Int32, _ what: String, range: ClosedRange<Double>? = nil) throws -> Double {
        let v = value(index)
        if let d = try LuaNumber.double(v, name, what, range: range) { return d }
        throw LuaError.badValue(name, field: what, value: describe(v), expected: "a number")
    }

    public func integer(_ index: Int32, _ what: String, range: ClosedRange<Int64>? = nil) throws -> Int64 {
        let v = value(index)
        if let n = try LuaNumber.integer(v, name, what, range: range) { return n }
        throw LuaError.badValue(name, field: what, value: describe(v), expected: "an integer")
    }

    public func boolean(_ index: Int32, _ what: String) throws -> Bool {
        let v = value(index)
        if case .boolean(let b) = v { return b }
        throw LuaError.badValue(name, field: what, value: describe(v), expected: "true or false")
    }

    /// The index of a function argument.
    public func function(_ index: Int32, _ what: String) throws -> Int32 {
        let v = value(index)
        if case .function(let i) = v { return i }
        throw LuaError.badValue(name, field: what, value: describe(v), expected: "a function")
    }

    public func table(_ index: Int32, _ what: String) throws -> Int32 {
        let v = value(index)
        if case .table(let i) = v { return i }
        throw LuaError.badValue(name, field: what, value: describe(v), expected: "a table")
    }

    /// The host object at `index`, which must be of class `cls`.
    public func object<T: AnyObject>(_ index: Int32, _ cls: LuaClass<T>, _ what: String) throws -> T {
        let v = value(index)
        if case .object(let o, let t) = v, t == state.typeID(of: cls) {
            return unsafeDowncast(o, to: T.self)
        }
        throw LuaError.badValue(name, field: what, value: describe(v), expected: "a \(cls.name)")
    }

    func selfObject<T: AnyObject>(_ cls: LuaClass<T>, method: String, className: String) throws -> T {
        let v = value(1)
        if case .object(let o, let t) = v, t == state.typeID(of: cls) {
            return unsafeDowncast(o, to: T.self)
        }
        throw LuaError(
            "\(className):\(method) must be called on a \(className) with ':' (as in x:\(method)(...)), "
                + "got \(describe(v))")
    }

    /// The option table at `index`, checked against `record`: unknown keys are refused
    /// with the list of allowed ones.
    public func options(_ index: Int32, _ record: LuaRecord, context: String) throws -> LuaOptions {
        let v = value(index)
        guard case .table(let t) = v else {
            throw LuaError("\(context): expected a table of options {\(record.fieldNames.joined(separator: ", "))}, got \(describe(v))")
        }
        return try LuaOptions(self, table: t, record: record, context: context)
    }

    // MARK: results

    public func push(_ s: String) { LuaStack.push(L, s) }
    public func push(_ i: Int64) { lua_pushinteger(L, i) }
    public func push(_ i: Int) { lua_pushinteger(L, lua_Integer(i)) }
    public func push(_ d: Double) { lua_pushnumber(L, d) }
    public func push(_ b: Bool) { lua_pushboolean(L, b ? 1 : 0) }
    public func pushNil() { lua_pushnil(L) }
    /// Pushes a host object as a userdata of `cls` (non-generic, so no type metadata is
    /// looked up per call).
    public func push(_ object: AnyObject, _ cls: any LuaClassDecl) { state.pushObject(L, object, cls) }
    public func pushValue(_ index: Int32) { lua_pushvalue(L, index) }
    public func pop(_ n: Int32 = 1) { clua_pop(L, n) }

    /// Anchors the value at `index` in the registry and returns its reference.
    public func ref(_ index: Int32) -> Int32 {
        lua_pushvalue(L, index)
        return luaL_ref(L, clua_registryindex)
    }

    public func pushRef(_ ref: Int32) { lua_rawgeti(L, clua_registryindex, lua_Integer(ref)) }

    /// Pushes a function registered once per state under `name` (for iterators and other
    /// helpers handed out repeatedly).
    public func pushShared(_ name: String, _ body: @escaping LuaBody) { state.pushShared(L, name, body) }

    // Raw table access without metamethods, for host-built tables.
    public func rawInteger(_ table: Int32, _ key: String) -> Int64 {
        LuaStack.rawGet(L, table: lua_absindex(L, table), key: key)
        defer { clua_pop(L, 1) }
        return lua_tointegerx(L, -1, nil)
    }

    /// t[key] read raw when it is a string, else nil.
    public func rawString(_ table: Int32, _ key: String) -> String? {
        LuaStack.rawGet(L, table: lua_absindex(L, table), key: key)
        defer { clua_pop(L, 1) }
        return lua_type(L, -1) == LUA_TSTRING ? LuaStack.string(L, -1) : nil
    }

    public func rawNumber(_ table: Int32, _ index: Int64) -> Double? {
        defer { clua_pop(L, 1) }
        return lua_rawgeti(L, lua_absindex(L, table), index) == LUA_TNUMBER ? lua_tonumberx(L, -1, nil) : nil
    }

    public func rawLength(_ table: Int32) -> Int { Int(lua_rawlen(L, table)) }

    /// t[index] read raw: when it is a table it stays on the stack and its index is
    /// returned (the caller pops it); otherwise nothing stays and nil is returned.
    public func rawTable(_ table: Int32, _ index: Int64) -> Int32? {
        if lua_rawgeti(L, lua_absindex(L, table), index) == LUA_TTABLE { return lua_gettop(L) }
        clua_pop(L, 1)
        return nil
    }

    /// t[index] read raw; tables and functions are described, not kept.
    public func rawValue(_ table: Int32, _ index: Int64) -> LuaValue {
        lua_rawgeti(L, lua_absindex(L, table), index)
        defer { clua_pop(L, 1) }
        return LuaValue.read(L, -1)
    }

    /// Every key and value of a table, read raw; tables and functions among them are
    /// only described (they are popped as the traversal moves on).
    public func rawPairs(_ table: Int32) -> [(key: LuaValue, value: LuaValue)] {
        let t = lua_absindex(L, table)
        var out: [(key: LuaValue, value: LuaValue)] = []
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            func kept(_ i: Int32) -> LuaValue {
                switch lua_type(L, i) {
                case LUA_TTABLE, LUA_TFUNCTION: return .other(String(cString: lua_typename(L, lua_type(L, i))))
                default: return LuaValue.read(L, i)
                }
            }
            out.append((kept(-2), kept(-1)))
            clua_pop(L, 1)
        }
        return out
    }

    public func rawSet(_ table: Int32, _ key: String, _ value: Int64) {
        let t = lua_absindex(L, table)
        lua_pushinteger(L, value)
        LuaStack.rawSet(L, table: t, key: key)
    }

    /// Pushes a sequence built by `element`, which pushes one value per item.
    public func pushArray<S: Sequence>(_ items: S, _ element: (S.Element) -> Void) {
        lua_createtable(L, 0, 0)
        var i: lua_Integer = 0
        for item in items {
            element(item)
            i += 1
            lua_rawseti(L, -2, i)
        }
    }

    /// Pushes a table; `fill` sets its fields with `field`.
    public func pushTable(_ fill: (LuaTableBuilder) -> Void) {
        lua_createtable(L, 0, 4)
        fill(LuaTableBuilder(call: self, index: lua_gettop(L)))
    }
}

/// Sets fields of a table under construction.
public struct LuaTableBuilder {
    let call: LuaCall
    let index: Int32

    public func set(_ key: String, _ push: () -> Void) {
        push()
        LuaStack.rawSet(call.L, table: index, key: key)
    }
    public func set(_ key: String, _ s: String) { set(key) { call.push(s) } }
    public func set(_ key: String, _ i: Int64) { set(key) { call.push(i) } }
    public func set(_ key: String, _ d: Double) { set(key) { call.push(d) } }
    public func set(_ key: String, _ b: Bool) { set(key) { call.push(b) } }
}

/// A checked option table. Values are read raw, so no metamethod of the caller runs.
public struct LuaOptions {
    public let call: LuaCall
    public let table: Int32
    public let record: LuaRecord
    public let context: String

    init(_ call: LuaCall, table: Int32, record: LuaRecord, context: String) throws {
        self.call = call
        self.table = table
        self.record = record
        self.context = context
        let allowed = record.fieldNames
        for key in try LuaStack.keys(call.L, table: table) {
            guard case .string(let k) = key else {
                throw LuaError("\(context): option keys are names, got \(key.describe()) (allowed: \(allowed.joined(separator: ", ")))")
            }
            if !allowed.contains(k) {
                throw LuaError("\(context): unknown option '\(k)'\(Suggest.didYouMean(k, allowed)) (allowed: \(allowed.joined(separator: ", ")))")
            }
        }
        for field in record.fields where !field.optional {
            if self[field.name].isNil {
                throw LuaError("\(context): option '\(field.name)' is required (\(field.type))")
            }
        }
    }

    /// The raw value of `key`; tables and functions stay on the stack while in use.
    public subscript(_ key: String) -> LuaValue {
        _ = try? LuaStack.ensure(call.L, 2)
        LuaStack.rawGet(call.L, table: table, key: key)
        let v = LuaValue.read(call.L, -1)
        switch v {
        case .table, .function: return v  // keep it on the stack
        default:
            clua_pop(call.L, 1)
            return v
        }
    }

    public func has(_ key: String) -> Bool { !self[key].isNil }

    /// "context: field value is not expected (hint)".
    public func bad(_ field: String, _ value: LuaValue, expected: String, hint: String? = nil) -> LuaError {
        var text = "\(context): \(field) \(call.describe(value)) is not \(expected)"
        if let hint { text += " (\(hint))" }
        return LuaError(text)
    }

    public func string(_ key: String) throws -> String? {
        let v = self[key]
        switch v {
        case .none, .nil: return nil
        case .string(let s): return s
        default: throw bad(key, v, expected: "a string")
        }
    }

    public func boolean(_ key: String) throws -> Bool? {
        let v = self[key]
        switch v {
        case .none, .nil: return nil
        case .boolean(let b): return b
        default: throw bad(key, v, expected: "true or false")
        }
    }

    /// A whole number within `range`, through the one checked conversion.
    public func integer(_ key: String, range: ClosedRange<Int64>? = nil) throws -> Int64? {
        let v = self[key]
        if v.isNil { return nil }
        if let n = try LuaNumber.integer(v, context, key, range: range) { return n }
        throw bad(key, v, expected: "an integer")
    }

    /// A finite number within `range`, through the one checked conversion.
    public func number(_ key: String, range: ClosedRange<Double>? = nil) throws -> Double? {
        let v = self[key]
        if v.isNil { return nil }
        if let d = try LuaNumber.double(v, context, key, range: range) { return d }
        throw bad(key, v, expected: "a number")
    }

    /// The elements of a sequence option, each as a raw value.
    public func array(_ key: String) throws -> [LuaValue]? {
        let v = self[key]
        switch v {
        case .none, .nil: return nil
        case .table(let t):
            var items: [LuaValue] = []
            let n = lua_rawlen(call.L, t)
            if n > 0 { try LuaStack.ensure(call.L, Int32(min(n, 1000)) + 2) }
            for i in 0..<n {
                lua_rawgeti(call.L, t, lua_Integer(i + 1))
                items.append(LuaValue.read(call.L, -1))
            }
            return items
        default: throw bad(key, v, expected: "a list (a table such as { a, b })")
        }
    }

    /// A nested option table, checked against its own record.
    public func options(_ key: String, _ record: LuaRecord) throws -> LuaOptions? {
        let v = self[key]
        switch v {
        case .none, .nil: return nil
        case .table(let t): return try LuaOptions(call, table: t, record: record, context: "\(context): \(key)")
        default: throw bad(key, v, expected: "a table of options {\(record.fieldNames.joined(separator: ", "))}")
        }
    }
}

extension LuaState {
    /// A context for host code that works on this state outside a call from Lua (to call
    /// back into Lua): pushes, reads and protected calls on `thread` (default: main).
    public func context(on thread: OpaquePointer? = nil) -> LuaCall { LuaCall(thread ?? L, self, -1) }
}
