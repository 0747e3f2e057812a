/* Trampolines: the registered lua_CFunctions that call into Swift and raise the Lua
   error only after the Swift frame has returned. */
#include <string.h>
#include "hl_internal.h"

/* Pushes "file:line: " of the innermost frame that belongs to user code (not to the
   engine's own Lua library), or "" when there is none. */
void hl_push_user_position(lua_State *L) {
    hl_ctl *c = hl_ctl_of(L);
    size_t plen = strlen(c->internal_prefix);
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar)) continue;
        if (ar.currentline <= 0) continue;
        if (plen > 0 && strncmp(ar.source, c->internal_prefix, plen) == 0) continue;
        lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
        return;
    }
    lua_pushliteral(L, "");
}

void hl_push_position(lua_State *L) { hl_push_user_position(L); }

int hl_call_host(lua_State *L, int kind, int id) {
    hl_ctl *c = hl_ctl_of(L);
    if (c->killed) return hl_raise_killed(L);
    c->relax++;
    int n = c->dispatch(L, c->host, kind, id);
    c->relax--;
    if (n >= 0) return n;
    if (c->killed) return hl_raise_killed(L); /* the host stopped the run (e.g. a deadline) */
    if (n == HL_ERROR && lua_type(L, -1) == LUA_TSTRING && lua_checkstack(L, 2)) {
        hl_push_user_position(L);
        lua_rotate(L, -2, 1);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

static int hl_trampoline(lua_State *L) {
    return hl_call_host(L, HL_CALL, (int)lua_tointeger(L, lua_upvalueindex(1)));
}

void hl_push_function(lua_State *L, int id) {
    lua_pushinteger(L, id);
    lua_pushcclosure(L, hl_trampoline, 1);
}

/* __index(self, key): methods first (a raw lookup in C), then values of stable
   properties cached in the object's user value, then getters in Swift. The value a
   stable property returns is cached, so reading it again never leaves C. */
static int hl_index(lua_State *L) {
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_settop(L, 2);
    if (lua_getiuservalue(L, 1, 1) == LUA_TTABLE) {
        lua_pushvalue(L, 2);
        if (lua_rawget(L, 3) != LUA_TNIL) return 1;
    }
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(2)) == LUA_TNUMBER) {
        int id = (int)lua_tointeger(L, -1);
        lua_settop(L, 2);
        lua_pushvalue(L, 2);
        int stable = lua_rawget(L, lua_upvalueindex(4)) != LUA_TNIL;
        lua_settop(L, 2);
        int n = hl_call_host(L, HL_GET, id);
        if (stable && n == 1) {
            /* stack: self, key, value */
            if (lua_getiuservalue(L, 1, 1) != LUA_TTABLE) {
                lua_settop(L, 3);
                lua_createtable(L, 0, 4);
                lua_pushvalue(L, -1);
                lua_setiuservalue(L, 1, 1);
            }
            lua_pushvalue(L, 2);
            lua_pushvalue(L, 3);
            lua_rawset(L, -3);
            lua_settop(L, 3);
        }
        return n;
    }
    lua_settop(L, 2);
    lua_pushinteger(L, 3);
    return hl_call_host(L, HL_NOFIELD, (int)lua_tointeger(L, lua_upvalueindex(3)));
}

/* __newindex(self, key, value): only declared writable properties. */
static int hl_newindex(lua_State *L) {
    lua_settop(L, 3);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER) {
        int id = (int)lua_tointeger(L, -1);
        lua_settop(L, 3);
        return hl_call_host(L, HL_SET, id);
    }
    lua_settop(L, 3);
    lua_pushinteger(L, 4);
    return hl_call_host(L, HL_NOFIELD, (int)lua_tointeger(L, lua_upvalueindex(3)));
}

static int hl_tostring_mm(lua_State *L) {
    lua_settop(L, 1);
    return hl_call_host(L, HL_TOSTRING, (int)lua_tointeger(L, lua_upvalueindex(1)));
}

static int hl_len_mm(lua_State *L) {
    lua_settop(L, 1);
    return hl_call_host(L, HL_LEN, (int)lua_tointeger(L, lua_upvalueindex(1)));
}

void hl_push_len(lua_State *L, int type_id) {
    lua_pushinteger(L, type_id);
    lua_pushcclosure(L, hl_len_mm, 1);
}

static int hl_gc_mm(lua_State *L) {
    hl_object *o = (hl_object *)lua_touserdata(L, 1);
    if (o != NULL && o->object != NULL) {
        void *p = o->object;
        o->object = NULL; /* a second finalisation is harmless */
        hl_ctl_of(L)->release(p);
    }
    return 0;
}

void hl_push_index(lua_State *L, int methods, int getters, int stable, int type_id) {
    methods = lua_absindex(L, methods);
    getters = lua_absindex(L, getters);
    stable = lua_absindex(L, stable);
    lua_pushvalue(L, methods);
    lua_pushvalue(L, getters);
    lua_pushinteger(L, type_id);
    lua_pushvalue(L, stable);
    lua_pushcclosure(L, hl_index, 4);
}

void hl_push_newindex(lua_State *L, int setters, int getters, int type_id) {
    setters = lua_absindex(L, setters);
    getters = lua_absindex(L, getters);
    lua_pushvalue(L, setters);
    lua_pushvalue(L, getters);
    lua_pushinteger(L, type_id);
    lua_pushcclosure(L, hl_newindex, 3);
}

void hl_push_tostring(lua_State *L, int type_id) {
    lua_pushinteger(L, type_id);
    lua_pushcclosure(L, hl_tostring_mm, 1);
}

void hl_push_gc(lua_State *L) { lua_pushcclosure(L, hl_gc_mm, 0); }

hl_object *hl_new_object(lua_State *L, void *object, int32_t type_id) {
    /* one user value: the cache of stable property values */
    hl_object *o = (hl_object *)lua_newuserdatauv(L, sizeof(hl_object), 1);
    o->object = object;
    o->type_id = type_id;
    o->reserved = 0;
    return o;
}

hl_object *hl_to_object(lua_State *L, int idx) {
    /* Lua code cannot create full userdata, so every one of this size is ours. */
    if (lua_type(L, idx) != LUA_TUSERDATA) return NULL;
    if (lua_rawlen(L, idx) != sizeof(hl_object)) return NULL;
    return (hl_object *)lua_touserdata(L, idx);
}
