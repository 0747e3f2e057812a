import CLua
import CLuaShim

/// How values cross from one state to another (a submission's state to the lab's): only
/// as data, read with raw calls so that no metamethod of the source runs in the host.
/// Host objects are re-wrapped in the target; functions become proxies that run in
/// their own state, under that state's limits.
public struct LuaTransferPolicy {
    /// Function values become proxies (results of a submission); when false they are refused.
    public var allowFunctions: Bool
    /// Limits of each call a proxy makes into the source state.
    public var callLimits: () -> LuaLimits
    /// Names the source in messages, e.g. "answer.lua".
    public var label: String
    public var maxDepth = 32
    public var maxItems = 100_000

    public init(allowFunctions: Bool, label: String, callLimits: @escaping () -> LuaLimits = { LuaLimits() }) {
        self.allowFunctions = allowFunctions
        self.label = label
        self.callLimits = callLimits
    }
}

extension LuaState {
    /// Pushes onto `thread` (of this state) a copy of the value at `index` of `source`.
    public func pushCopy(
        of index: Int32, from source: LuaState, sourceThread: OpaquePointer? = nil, onto thread: OpaquePointer? = nil,
        policy: LuaTransferPolicy
    ) throws {
        let from = sourceThread ?? source.L
        let to = thread ?? L
        var items = 0
        try relaxed {
            try source.relaxed {
                try copy(lua_absindex(from, index), from, source, to, policy, depth: 0, items: &items, path: "value")
            }
        }
    }

    private func copy(
        _ i: Int32, _ from: OpaquePointer, _ source: LuaState, _ to: OpaquePointer, _ policy: LuaTransferPolicy,
        depth: Int, items: inout Int, path: String
    ) throws {
        try LuaStack.ensure(to, 4)
        if lua_type(from, i) == LUA_TSTRING {
            // bytes as they are: a string need not be UTF-8, and re-encoding would change it
            var len = 0
            let p = lua_tolstring(from, i, &len)
            lua_pushlstring(to, p, len)
            return
        }
        let v = LuaValue.read(from, i)
        switch v {
        case .none, .nil: lua_pushnil(to)
        case .boolean(let b): lua_pushboolean(to, b ? 1 : 0)
        case .integer(let n): lua_pushinteger(to, n)
        case .number(let d): lua_pushnumber(to, d)
        case .string(let s): LuaStack.push(to, s)
        case .object(let o, let typeID):
            // an object this state has not seen came from the other state: foreign here
            let cls = source.classes[Int(typeID)]
            let foreign = foreignObjectsReadOnly != nil && !holdsWrapper(of: o, typeID: self.typeID(of: cls))
            pushObject(to, o, typeID: self.typeID(of: cls), foreign: foreign)
        case .function:
            guard policy.allowFunctions else {
                throw LuaError("\(path): a function cannot be passed to \(policy.label)")
            }
            lua_pushvalue(from, i)
            let ref = luaL_ref(from, clua_registryindex)
            pushProxy(to: to, source: source, ref: ref, policy: policy, name: path)
        case .table:
            guard depth < policy.maxDepth else {
                throw LuaError("\(path): tables nested more than \(policy.maxDepth) deep (or a cycle) cannot cross from \(policy.label)")
            }
            // count before reading or sorting anything: the size limit holds before the
            // work, and the work is charged to the instruction budget of the copying code
            let left = policy.maxItems - items
            let n = try LuaStack.count(from, table: i, upTo: left)
            guard n <= left else {
                throw LuaError("\(path): more than \(policy.maxItems) values cannot cross from \(policy.label)")
            }
            try charge(to, n)
            let keys = try LuaStack.keys(from, table: i).sorted(by: LuaState.keyOrder)
            lua_createtable(to, 0, Int32(min(keys.count, 1 << 16)))
            let t = lua_gettop(to)
            for key in keys {
                items += 1
                guard items <= policy.maxItems else {
                    throw LuaError("\(path): more than \(policy.maxItems) values cannot cross from \(policy.label)")
                }
                try LuaStack.ensure(from, 3)
                switch key {
                case .string(let s):
                    LuaStack.push(from, s)
                    LuaStack.push(to, s)
                case .integer(let n):
                    lua_pushinteger(from, n)
                    lua_pushinteger(to, n)
                case .number(let d):
                    lua_pushnumber(from, d)
                    lua_pushnumber(to, d)
                case .boolean(let b):
                    lua_pushboolean(from, b ? 1 : 0)
                    lua_pushboolean(to, b ? 1 : 0)
                default:
                    throw LuaError("\(path): a table key of type \(key.typeName) cannot cross from \(policy.label)")
                }
                _ = lua_rawget(from, i)
                let sub = key.describe()
                try copy(lua_gettop(from), from, source, to, policy, depth: depth + 1, items: &items, path: "\(path)[\(sub)]")
                clua_pop(from, 1)
                lua_rawset(to, t)
            }
        case .other(let type):
            throw LuaError("\(path): a \(type) cannot cross from \(policy.label)")
        }
    }

    /// Instructions charged per table entry copied: reading, sorting and rebuilding a key
    /// costs about as much as a few dozen Lua instructions.
    static let instructionsPerItem: Int64 = 40

    /// Charges the copy of `n` entries to the budget of the code doing it; an exhausted
    /// budget kills the state, as the count hook would.
    private func charge(_ thread: OpaquePointer, _ n: Int) throws {
        let budget = hl_budget(thread)
        guard budget != Int64.max else { return }
        let left = budget - Int64(n) * LuaState.instructionsPerItem
        hl_set_budget(thread, max(left, 0))
        if left <= 0 {
            hl_kill(thread, "instruction limit exceeded")
            throw LuaError(relayed: killReason)
        }
    }

    /// Deterministic key order: integers and floats by value, then strings, then booleans.
    static func keyOrder(_ a: LuaValue, _ b: LuaValue) -> Bool {
        func rank(_ v: LuaValue) -> Int {
            switch v {
            case .integer, .number: return 0
            case .string: return 1
            case .boolean: return 2
            default: return 3
            }
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb }
        switch (a, b) {
        case (.string(let x), .string(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        case (.boolean(let x), .boolean(let y)): return !x && y
        default: return (a.number ?? 0) < (b.number ?? 0)
        }
    }

    /// A function in this state that calls function `ref` of `source` with copied
    /// arguments, under the policy's limits, and copies its results back.
    private func pushProxy(to: OpaquePointer, source: LuaState, ref: Int32, policy: LuaTransferPolicy, name: String) {
        let target = self
        var argPolicy = policy
        argPolicy.allowFunctions = false
        pushFunction(name: "\(policy.label):\(name)") { [unowned source] call in
            let sL = source.L
            let base = lua_gettop(sL)
            try LuaStack.ensure(sL, call.count + 2)
            lua_rawgeti(sL, clua_registryindex, lua_Integer(ref))
            var a: Int32 = 1
            while a <= call.count {
                try source.pushCopy(of: a, from: target, sourceThread: call.L, onto: sL, policy: argPolicy)
                a += 1
            }
            let outcome = source.protectedCall(nargs: call.count, nresults: LUA_MULTRET, limits: policy.callLimits())
            guard outcome.isOK else {
                lua_settop(sL, base)
                throw LuaError(relayed: outcome.message ?? "error in \(policy.label)")
            }
            let results = lua_gettop(sL) - base
            defer { lua_settop(sL, base) }
            try LuaStack.ensure(call.L, results + 2)
            for r in 0..<results {
                try target.pushCopy(of: base + 1 + r, from: source, sourceThread: sL, onto: call.L, policy: policy)
            }
            return results
        }
        if to != L { lua_xmove(L, to, 1) }
    }
}
