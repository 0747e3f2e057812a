import CLua
import CLuaShim

extension LuaState {
    /// Registers a bound function and pushes it.
    public func pushFunction(name: String, access: LuaAccess = .free, _ body: @escaping LuaBody) {
        let id = Int32(functions.count)
        functions.append(body)
        functionNames.append(name)
        functionAccess.append(access)
        hl_push_function(L, id)
    }

    func pushShared(_ thread: OpaquePointer, _ name: String, _ body: @escaping LuaBody) {
        if let ref = sharedFunctions[name] {
            lua_rawgeti(thread, clua_registryindex, lua_Integer(ref))
            return
        }
        relaxed {
            pushFunction(name: name, body)
            sharedFunctions[name] = luaL_ref(L, clua_registryindex)
        }
        lua_rawgeti(thread, clua_registryindex, lua_Integer(sharedFunctions[name]!))
    }

    /// Registers every class of `api` (once) and sets its modules as globals.
    public func install(_ api: LuaAPI) {
        relaxed {
            for cls in api.classes { register(cls) }
            clua_pushglobaltable(L)
            let globals = lua_gettop(L)
            for module in api.modules {
                if module.name == "_G" {
                    fill(table: globals, module: module, prefix: "")
                } else {
                    pushModuleTable(module)
                    LuaStack.rawSet(L, table: globals, key: module.name)
                }
            }
            lua_settop(L, globals - 1)
        }
    }

    /// Pushes a module as a table (for tables handed to code rather than set as globals).
    public func pushModule(_ module: LuaModuleDecl) {
        relaxed { pushModuleTable(module) }
    }

    private func pushModuleTable(_ module: LuaModuleDecl) {
        lua_createtable(L, 0, Int32(module.functions.count + module.submodules.count))
        let t = lua_gettop(L)
        fill(table: t, module: module, prefix: module.name + ".")
        for sub in module.submodules {
            pushModuleTable(sub)
            LuaStack.rawSet(L, table: t, key: sub.key)
        }
    }

    private func fill(table t: Int32, module: LuaModuleDecl, prefix: String) {
        for fn in module.functions {
            guard let body = fn.body else { continue }  // written in the Lua library
            pushFunction(name: prefix + fn.name, access: fn.access, body)
            LuaStack.rawSet(L, table: t, key: fn.name)
        }
    }

    /// The type id of `cls` in this state (registering it if needed).
    @discardableResult
    public func register(_ cls: any LuaClassDecl) -> Int32 {
        if let id = typeIDs[ObjectIdentifier(cls)] { return id }
        return relaxed {
            let typeID = Int32(classes.count)
            classes.append(cls)
            typeIDs[ObjectIdentifier(cls)] = typeID
            let top = lua_gettop(L)
            // methods, getters and setters tables
            lua_createtable(L, 0, Int32(cls.methods.count))
            let methods = lua_gettop(L)
            for m in cls.methods {
                guard let body = m.body else { continue }
                pushFunction(name: "\(cls.name):\(m.name)", access: m.access, body)
                LuaStack.rawSet(L, table: methods, key: m.name)
            }
            lua_createtable(L, 0, Int32(cls.properties.count))
            let getters = lua_gettop(L)
            lua_createtable(L, 0, 2)
            let setters = lua_gettop(L)
            lua_createtable(L, 0, 2)
            let stable = lua_gettop(L)
            for p in cls.properties {
                let id = Int64(self.getters.count)
                self.getters.append(cls.installedGetter(p))
                self.setters.append(p.set)
                self.propertyNames.append("\(cls.name).\(p.name)")
                lua_pushinteger(L, id)
                LuaStack.rawSet(L, table: getters, key: p.name)
                if p.set != nil {
                    lua_pushinteger(L, id)
                    LuaStack.rawSet(L, table: setters, key: p.name)
                }
                if p.stable && p.set == nil {
                    lua_pushboolean(L, 1)
                    LuaStack.rawSet(L, table: stable, key: p.name)
                }
            }
            // the metatable
            lua_createtable(L, 0, 6)
            let mt = lua_gettop(L)
            LuaStack.push(L, cls.name)
            LuaStack.rawSet(L, table: mt, key: "__name")
            LuaStack.push(L, "locked")
            LuaStack.rawSet(L, table: mt, key: "__metatable")
            hl_push_index(L, methods, getters, stable, typeID)
            LuaStack.rawSet(L, table: mt, key: "__index")
            hl_push_newindex(L, setters, getters, typeID)
            LuaStack.rawSet(L, table: mt, key: "__newindex")
            hl_push_tostring(L, typeID)
            LuaStack.rawSet(L, table: mt, key: "__tostring")
            hl_push_gc(L)
            LuaStack.rawSet(L, table: mt, key: "__gc")
            if cls.length != nil {
                hl_push_len(L, typeID)
                LuaStack.rawSet(L, table: mt, key: "__len")
            }
            metatableRefs.append(luaL_ref(L, clua_registryindex))
            // a weak cache, so one host object is one userdata while Lua holds it
            lua_createtable(L, 0, 0)
            lua_createtable(L, 0, 1)
            LuaStack.push(L, "v")
            LuaStack.rawSet(L, table: -2, key: "__mode")
            lua_setmetatable(L, -2)
            cacheRefs.append(luaL_ref(L, clua_registryindex))
            lua_settop(L, top)
            return typeID
        }
    }

    /// The type id of `cls` in this state. States that installed the same API give its
    /// classes their index in it, which is checked with one comparison; other classes are
    /// looked up.
    @inline(__always)
    public func typeID(of cls: any LuaClassDecl) -> Int32 {
        let hint = cls.apiIndex
        if hint >= 0 && hint < classes.count && classes[hint] === cls { return Int32(hint) }
        return typeIDs[ObjectIdentifier(cls)] ?? register(cls)
    }

    /// Pushes `object` as a userdata of class `cls`; the same object gives the same userdata.
    /// While a binding of a foreign object runs (`pushingForeign`), the object is marked
    /// foreign, as it is when `foreign` is true (it came from another state).
    public func pushObject(_ L: OpaquePointer, _ object: AnyObject, _ cls: any LuaClassDecl) {
        pushObject(L, object, typeID: typeID(of: cls), foreign: pushingForeign)
    }

    func pushObject(_ L: OpaquePointer, _ object: AnyObject, typeID: Int32, foreign: Bool) {
        let key = Unmanaged.passUnretained(object).toOpaque()
        lua_rawgeti(L, clua_registryindex, lua_Integer(cacheRefs[Int(typeID)]))
        if lua_rawgetp(L, -1, key) == LUA_TUSERDATA {
            // foreign is sticky: an object once seen as another state's stays read-only
            if foreign, let o = hl_to_object(L, -1) { o.pointee.reserved |= foreignFlag }
            lua_rotate(L, -2, 1)
            clua_pop(L, 1)
            return
        }
        clua_pop(L, 1)
        let o = hl_new_object(L, Unmanaged.passRetained(object).toOpaque(), typeID)
        if foreign { o?.pointee.reserved |= foreignFlag }
        lua_rawgeti(L, clua_registryindex, lua_Integer(metatableRefs[Int(typeID)]))
        lua_setmetatable(L, -2)
        lua_pushvalue(L, -1)
        lua_rawsetp(L, -3, key)
        lua_rotate(L, -2, 1)
        clua_pop(L, 1)
    }
}

extension LuaState {
    /// Whether this state holds a wrapper of `object` now.
    func holdsWrapper(of object: AnyObject, typeID: Int32) -> Bool {
        let key = Unmanaged.passUnretained(object).toOpaque()
        lua_rawgeti(L, clua_registryindex, lua_Integer(cacheRefs[Int(typeID)]))
        let found = lua_rawgetp(L, -1, key) == LUA_TUSERDATA
        clua_pop(L, 2)
        return found
    }
}
