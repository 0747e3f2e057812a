import CLua
import CLuaShim

/// A write to a foreign object that a state's gate (`LuaState.foreignWriteGate`) is asked
/// about: a setter, a mutating method, or an assignment to a property that has no setter.
public struct LuaForeignWrite: Sendable {
    /// The binding's name: "VM:migrate" for a method, "VMCPU.limit" for a property.
    public var binding: String
    /// The object written, as it prints: "VM(web01)".
    public var object: String
    /// The method or property, without the class: "migrate", "limit".
    public var member: String
    /// Whether it is a property assignment (shown `object.member`) rather than a call.
    public var isAssignment: Bool
    /// The arguments, shortly described (the value assigned, for a property).
    public var arguments: [String]
    /// Whether the property or method exists and may write at all (false for an assignment
    /// to a read-only or missing property, which fails after the gate has seen it).
    public var writable: Bool

    /// How a message names it: `VM(web01):migrate` or `VMCPU(web01).limit`.
    public var target: String { object + (isAssignment ? "." : ":") + member }
}

/// What the gate returns for a write it lets through: called once with the binding's
/// error message, or nil when it succeeded.
public typealias LuaForeignWriteDone = (String?) -> Void

extension LuaState {
    /// The write a dispatch of `kind` would make on a foreign object at 1, or nil when it
    /// makes none (a read, a query, a call on the state's own object).
    func foreignWrite(_ L: OpaquePointer, kind: Int32, id: Int32) -> LuaForeignWrite? {
        guard isForeign(L, 1) else { return nil }
        let object = describeForeignObject(L, 1)
        switch Int(kind) {
        case Int(HL_SET):
            let name = propertyNames[Int(id)]
            let member = name.split(separator: ".").last.map(String.init) ?? name
            return LuaForeignWrite(binding: name, object: object, member: member, isAssignment: true,
                                   arguments: [shortDescription(L, 3, depth: 0)], writable: true)
        case Int(HL_NOFIELD):
            // an assignment (the trampoline pushed 4) to a property without a setter
            guard lua_gettop(L) >= 4, lua_tointegerx(L, -1, nil) == 4, Int(id) < classes.count else { return nil }
            let member = LuaStack.string(L, 2)
            return LuaForeignWrite(binding: "\(classes[Int(id)].name).\(member)", object: object, member: member,
                                   isAssignment: true, arguments: [shortDescription(L, 3, depth: 0)], writable: false)
        case Int(HL_CALL):
            guard functionAccess[Int(id)] == .mutates else { return nil }
            let name = functionNames[Int(id)]
            let member = name.split(separator: ":").last.map(String.init) ?? name
            let top = lua_gettop(L)
            let args = top >= 2 ? (2...top).map { shortDescription(L, $0, depth: 0) } : []
            return LuaForeignWrite(binding: name, object: object, member: member, isAssignment: false,
                                   arguments: args, writable: true)
        default:
            return nil
        }
    }

    func describeForeignObject(_ L: OpaquePointer, _ index: Int32) -> String {
        guard let o = hl_to_object(L, index), let p = o.pointee.object, Int(o.pointee.type_id) < classes.count else {
            return "?"
        }
        return classes[Int(o.pointee.type_id)].describe(Unmanaged<AnyObject>.fromOpaque(p).takeUnretainedValue())
    }

    /// A value as an action log shows it: objects by name, strings quoted, option tables
    /// one level deep with sorted keys (raw reads only: no student metamethod runs).
    private func shortDescription(_ L: OpaquePointer, _ index: Int32, depth: Int) -> String {
        switch lua_type(L, index) {
        case LUA_TUSERDATA:
            return hl_to_object(L, index) != nil ? describeForeignObject(L, index) : "<userdata>"
        case LUA_TTABLE:
            guard depth == 0 else { return "{…}" }
            let t = lua_absindex(L, index)
            guard (try? LuaStack.ensure(L, 4)) != nil else { return "{…}" }
            var parts: [(String, String)] = []
            lua_pushnil(L)
            while parts.count < 16 {
                let r = hl_next(L, t)
                if r < 0 { clua_pop(L, 1); break }
                if r == 0 { break }
                let key = lua_type(L, -2) == LUA_TSTRING ? LuaStack.string(L, -2) : LuaValue.read(L, -2).describe()
                parts.append((key, shortDescription(L, lua_gettop(L), depth: depth + 1)))
                clua_pop(L, 1)
            }
            if parts.count >= 16 { clua_pop(L, 1) }
            parts.sort { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            return parts.isEmpty ? "{}" : "{ " + parts.map { "\($0.0) = \($0.1)" }.joined(separator: ", ") + " }"
        default:
            return LuaValue.read(L, index).describe(classes: classes)
        }
    }
}
