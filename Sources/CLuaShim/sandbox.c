/* The sandboxed standard library: safe subset, deterministic replacements, and
   pcall/xpcall/resume that cannot swallow a kill or an out-of-memory error. */
#include <string.h>
#include "hl_internal.h"

static int hl_finishpcall(lua_State *L, int status, lua_KContext extra) {
    if (status != LUA_OK && status != LUA_YIELD) {
        if (hl_ctl_of(L)->killed) return hl_raise_killed(L);
        if (status == LUA_ERRMEM) return lua_error(L);
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int hl_pcall_lua(lua_State *L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, hl_finishpcall);
    return hl_finishpcall(L, status, 0);
}

static int hl_xpcall_lua(lua_State *L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, hl_finishpcall);
    return hl_finishpcall(L, status, 2);
}

/* coroutine.resume returns (false, message) for an error inside the coroutine. */
static int hl_resume_lua(lua_State *L) {
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    if (hl_ctl_of(L)->killed) return hl_raise_killed(L);
    if (lua_gettop(L) >= 2 && lua_type(L, 1) == LUA_TBOOLEAN && !lua_toboolean(L, 1) &&
        lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "not enough memory") == 0) {
        lua_settop(L, 2);
        return lua_error(L);
    }
    return lua_gettop(L);
}

/* Addresses must not reach output: they differ between runs and leak the layout. */
const char *hl_safe_tolstring(lua_State *L, int idx, size_t *len) {
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TNIL: case LUA_TBOOLEAN: case LUA_TNUMBER: case LUA_TSTRING:
        return luaL_tolstring(L, idx, len);
    default:
        if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
            lua_settop(L, -2);
            return luaL_tolstring(L, idx, len);
        }
        /* Exactly one value is left pushed, whatever __name holds. */
        int t = luaL_getmetafield(L, idx, "__name");
        if (t == LUA_TSTRING) lua_pushfstring(L, "<%s>", lua_tostring(L, -1));
        else lua_pushfstring(L, "<%s>", luaL_typename(L, idx));
        if (t != LUA_TNIL) lua_remove(L, -2);
        return lua_tolstring(L, -1, len);
    }
}

static int hl_tostring_lua(lua_State *L) {
    luaL_checkany(L, 1);
    hl_safe_tolstring(L, 1, NULL);
    return 1;
}

static int hl_print_lua(lua_State *L) {
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        /* The text is pushed on top of the buffer, so it must go in with luaL_addvalue,
           the one call that may find a value above the buffer: luaL_addlstring from it
           would grow the buffer under the pushed string and read freed memory. */
        hl_safe_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return hl_call_host(L, HL_PRINT, 0);
}

static int hl_load_lua(lua_State *L) {
    size_t len;
    if (lua_type(L, 1) != LUA_TSTRING)
        return luaL_error(L, "load: only source text (a string) can be loaded, got %s", luaL_typename(L, 1));
    const char *s = lua_tolstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "(load)");
    const char *mode = luaL_optstring(L, 3, "t");
    if (strchr(mode, 't') == NULL)
        return luaL_error(L, "load: mode \"%s\" is not allowed: only text chunks (\"t\") can be loaded", mode);
    lua_pushfstring(L, "=%s", name); /* never '@' or the engine's own prefix rules */
    int status = luaL_loadbufferx(L, s, len, lua_tostring(L, -1), "t");
    if (status != LUA_OK) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    if (!lua_isnone(L, 4)) {
        lua_pushvalue(L, 4);
        if (!lua_setupvalue(L, -2, 1)) lua_settop(L, -2);
    }
    return 1;
}

static int hl_setmetatable_lua(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc metamethods are not allowed in the sandbox");
        lua_settop(L, -2);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int hl_collectgarbage_lua(lua_State *L) {
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "count") != 0)
        return luaL_error(L, "collectgarbage: only \"count\" is allowed in the sandbox, got \"%s\"", opt);
    int k = lua_gc(L, LUA_GCCOUNT);
    int b = lua_gc(L, LUA_GCCOUNTB);
    lua_pushnumber(L, (lua_Number)k + ((lua_Number)b / 1024));
    return 1;
}

static int hl_require_lua(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    if (strcmp(name, "hyperlab") == 0) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
        lua_pushliteral(L, "lab");
        lua_rawget(L, -2);
        return 1;
    }
    return luaL_error(L, "require: module '%s' is not available (only \"hyperlab\" can be required)", name);
}

static int hl_randomseed_lua(lua_State *L) {
    if (lua_isnone(L, 1))
        return luaL_error(L, "math.randomseed: give a seed; randomness must come from the lab seed");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 0);
    return 0;
}

/* Deterministic pairs: the hash seed of strings differs between runs, so plain `next`
   order does too. Keys are sorted: numbers, then strings, then booleans; keys of other
   types keep `next` order after those. */
static int hl_key_rank(lua_State *L, int i) {
    switch (lua_type(L, i)) {
    case LUA_TNUMBER: return 0;
    case LUA_TSTRING: return 1;
    case LUA_TBOOLEAN: return 2;
    default: return 3;
    }
}

static int hl_key_less(lua_State *L, int a, int b) {
    int ra = hl_key_rank(L, a), rb = hl_key_rank(L, b);
    if (ra != rb) return ra < rb;
    switch (ra) {
    case 0: return lua_compare(L, a, b, LUA_OPLT);
    case 1: {
        size_t la, lb;
        const char *sa = lua_tolstring(L, a, &la), *sb = lua_tolstring(L, b, &lb);
        int c = memcmp(sa, sb, la < lb ? la : lb);
        return c < 0 || (c == 0 && la < lb);
    }
    case 2: return !lua_toboolean(L, a) && lua_toboolean(L, b);
    default: return 0;
    }
}

static int hl_key_less_cf(lua_State *L) {
    hl_charge(L, HL_META_ELEMENT_STEPS); /* the sort below runs in C: each comparison is a call */
    lua_pushboolean(L, hl_key_less(L, 1, 2));
    return 1;
}

static int hl_sorted_next(lua_State *L) {
    /* upvalues: 1 = table, 2 = sorted keys, 3 = position */
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
    lua_Integer n = (lua_Integer)lua_rawlen(L, lua_upvalueindex(2));
    while (i < n) {
        i++;
        lua_rawgeti(L, lua_upvalueindex(2), i);
        lua_pushvalue(L, -1);
        if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
            lua_pushinteger(L, i);
            lua_replace(L, lua_upvalueindex(3));
            return 2;
        }
        lua_settop(L, -3);
    }
    lua_pushinteger(L, i);
    lua_replace(L, lua_upvalueindex(3));
    return 0;
}

static int hl_pairs_lua(lua_State *L) {
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L); /* 2: keys */
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_settop(L, -2);
        lua_pushvalue(L, -1);
        lua_rawseti(L, 2, ++n);
    }
    hl_charge(L, n * HL_ELEMENT_STEPS);
    if (n > 1) { /* the original table.sort, kept as an upvalue: user code may replace the global */
        lua_pushvalue(L, lua_upvalueindex(1));
        lua_pushvalue(L, 2);
        lua_pushcclosure(L, hl_key_less_cf, 0);
        lua_call(L, 2, 0);
    }
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, hl_sorted_next, 3);
    lua_pushnil(L);
    lua_pushnil(L);
    return 3;
}

static void hl_setfield_raw(lua_State *L, int t, const char *k) {
    /* value on top; t is absolute */
    lua_pushstring(L, k);
    lua_insert(L, -2);
    lua_rawset(L, t);
}

static void hl_wrap(lua_State *L, int t, const char *k, lua_CFunction f) {
    lua_pushstring(L, k);
    lua_rawget(L, t);
    lua_pushcclosure(L, f, 1);
    hl_setfield_raw(L, t, k);
}

int hl_open_sandbox_cf(lua_State *L) {
    hl_ctl *c = hl_ctl_of(L);
    luaL_requiref(L, "_G", luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    lua_settop(L, 0);

    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    int g = lua_gettop(L);
    static const char *const removed[] = {"dofile", "loadfile", "rawset", "warn", NULL};
    for (int i = 0; removed[i]; i++) { lua_pushnil(L); hl_setfield_raw(L, g, removed[i]); }
    lua_pushcclosure(L, hl_pcall_lua, 0); hl_setfield_raw(L, g, "pcall");
    lua_pushcclosure(L, hl_xpcall_lua, 0); hl_setfield_raw(L, g, "xpcall");
    lua_pushcclosure(L, hl_tostring_lua, 0); hl_setfield_raw(L, g, "tostring");
    lua_pushcclosure(L, hl_print_lua, 0); hl_setfield_raw(L, g, "print");
    lua_pushcclosure(L, hl_load_lua, 0); hl_setfield_raw(L, g, "load");
    lua_pushcclosure(L, hl_collectgarbage_lua, 0); hl_setfield_raw(L, g, "collectgarbage");
    lua_pushcclosure(L, hl_require_lua, 0); hl_setfield_raw(L, g, "require");
    lua_pushliteral(L, "table");
    lua_rawget(L, g);
    lua_pushliteral(L, "sort");
    lua_rawget(L, -2);
    lua_remove(L, -2);
    lua_pushcclosure(L, hl_pairs_lua, 1); hl_setfield_raw(L, g, "pairs");
    hl_wrap(L, g, "setmetatable", hl_setmetatable_lua);

    lua_pushliteral(L, "coroutine");
    lua_rawget(L, g);
    int co = lua_gettop(L);
    lua_pushnil(L); hl_setfield_raw(L, co, "close");
    hl_wrap(L, co, "resume", hl_resume_lua);
    lua_settop(L, g);

    lua_pushliteral(L, "math");
    lua_rawget(L, g);
    int m = lua_gettop(L);
    lua_pushliteral(L, "randomseed");
    lua_rawget(L, m);
    lua_pushinteger(L, c->random_seed);
    lua_call(L, 1, 0);
    hl_wrap(L, m, "randomseed", hl_randomseed_lua);
    lua_settop(L, g);

    hl_sandbox_string(L);
    hl_sandbox_table(L);
    return 0;
}
