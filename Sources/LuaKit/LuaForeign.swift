import CLua
import CLuaShim

/// What a bound function may do with foreign objects in a state that holds them
/// read-only (`LuaState.foreignObjectsReadOnly`). A state's own objects are never
/// restricted; the lab state, which sets no reason, never checks anything.
public enum LuaAccess: UInt8, Sendable {
    /// A method that only reads its object: callable on a foreign object, whose results
    /// are then foreign too.
    case query
    /// A method that changes its object: refused on a foreign object.
    case mutates
    /// A module function (`lab.host`, `lab.run_for`): it works on the calling state's own
    /// world, so no foreign object may be passed to it.
    case world
    /// An engine helper (an iterator, a proxy): unrestricted.
    case free
}

/// Bit of `hl_object.reserved`: this wrapper's object came from another state.
let foreignFlag: Int32 = 1

/// How deep and how large an argument table is searched for foreign objects. Option
/// tables are small; a larger argument is refused rather than searched without bound.
private let scanDepth = 4
private let scanItems = 4096

extension LuaState {
    /// Whether the wrapper at `index` holds a foreign object.
    func isForeign(_ L: OpaquePointer, _ index: Int32) -> Bool {
        guard let o = hl_to_object(L, index) else { return false }
        return o.pointee.reserved & foreignFlag != 0
    }

    /// Checks a call from Lua into a binding before it runs, in a state that holds foreign
    /// objects read-only; returns whether the objects it pushes are foreign (derived from
    /// a foreign object). `kind` is the trampoline's dispatch kind.
    func guardForeign(_ L: OpaquePointer, kind: Int32, id: Int32, reason: String) throws -> Bool {
        switch Int(kind) {
        case Int(HL_GET), Int(HL_TOSTRING), Int(HL_LEN), Int(HL_NOFIELD):
            return isForeign(L, 1)
        case Int(HL_SET):
            if isForeign(L, 1) {
                throw LuaError("\(describeObject(L, 1)).\(LuaStack.string(L, 2)): \(reason)")
            }
            try refuseForeignArguments(L, from: 3, in: "\(describeObject(L, 1)).\(LuaStack.string(L, 2))", reason: reason)
            return false
        case Int(HL_CALL):
            let access = functionAccess[Int(id)]
            switch access {
            case .free:
                return false
            case .query:
                return isForeign(L, 1)
            case .mutates:
                let name = functionNames[Int(id)]
                let method = name.split(separator: ":").last.map(String.init) ?? name
                if isForeign(L, 1) { throw LuaError("\(describeObject(L, 1)):\(method): \(reason)") }
                try refuseForeignArguments(L, from: 2, in: "\(describeObject(L, 1)):\(method)", reason: reason)
                return false
            case .world:
                try refuseForeignArguments(L, from: 1, in: functionNames[Int(id)], reason: reason)
                return false
            }
        default:
            return false
        }
    }

    private func describeObject(_ L: OpaquePointer, _ index: Int32) -> String {
        guard let o = hl_to_object(L, index), let p = o.pointee.object, Int(o.pointee.type_id) < classes.count else {
            return "?"
        }
        return classes[Int(o.pointee.type_id)].describe(Unmanaged<AnyObject>.fromOpaque(p).takeUnretainedValue())
    }

    /// Refuses the call when a foreign object is among the arguments from `first` on,
    /// directly or inside tables (option tables, lists of hosts).
    private func refuseForeignArguments(_ L: OpaquePointer, from first: Int32, in what: String, reason: String) throws {
        let top = lua_gettop(L)
        guard first <= top else { return }
        var items = 0
        for i in first...top {
            if let found = try foreignObject(L, i, depth: 0, items: &items, what: what) {
                throw LuaError("\(what): \(found) is not this sandbox's own object (\(reason))")
            }
        }
    }

    /// The description of a foreign object at `index` or inside it, or nil.
    private func foreignObject(_ L: OpaquePointer, _ index: Int32, depth: Int, items: inout Int, what: String) throws -> String? {
        switch lua_type(L, index) {
        case LUA_TUSERDATA:
            return isForeign(L, index) ? describeObject(L, index) : nil
        case LUA_TTABLE:
            guard depth < scanDepth else {
                throw LuaError("\(what): tables nested more than \(scanDepth) deep are not accepted here")
            }
            let t = lua_absindex(L, index)
            try LuaStack.ensure(L, 4)
            lua_pushnil(L)
            while true {
                let r = hl_next(L, t)
                if r < 0 {
                    let message = LuaStack.string(L, -1)
                    clua_pop(L, 1)
                    throw LuaError(message)
                }
                if r == 0 { return nil }
                items += 1
                if items > scanItems {
                    clua_pop(L, 2)
                    throw LuaError("\(what): an argument with more than \(scanItems) values is not accepted here")
                }
                // stack: key, value
                for slot: Int32 in [-2, -1] {
                    if let found = try foreignObject(L, lua_gettop(L) + 1 + slot, depth: depth + 1, items: &items, what: what) {
                        clua_pop(L, 2)
                        return found
                    }
                }
                clua_pop(L, 1)
            }
        default:
            return nil
        }
    }
}
