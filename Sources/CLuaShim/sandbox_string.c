/* The string library in the sandbox: no dump, a capped rep, a format that never prints
   addresses, pattern functions whose work is charged to the budget (sandbox_pattern.c),
   and a locked string metatable. The wrappers replace the functions in the
   real `string` table, which is also the string metatable's __index, so method calls
   such as ("x"):rep(n) go through them too. */
#include <stdio.h>
#include <string.h>
#include "hl_internal.h"

#define MAX_SIZE_T_HALF (((size_t)-1) >> 1)


/* string.rep that checks the size first and builds the result itself: the stock one
   loops n times even when every piece is empty (string.rep("", math.maxinteger)). */
static int hl_rep_lua(lua_State *L) {
    size_t l, lsep;
    const char *s = luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    const char *sep = luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || l + lsep == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    size_t cap = hl_ctl_of(L)->string_limit;
    double total = (double)l * (double)n + (double)lsep * (double)(n - 1);
    if (cap > 0 && total > (double)cap) {
        char msg[160];
        snprintf(msg, sizeof msg, "string.rep: the result would be %.0f bytes, more than the limit of %zu bytes",
                 total, cap);
        return luaL_error(L, "%s", msg);
    }
    if (total >= (double)(MAX_SIZE_T_HALF)) return luaL_error(L, "resulting string too large");
    size_t size = l * (size_t)n + lsep * (size_t)(n - 1);
    hl_charge(L, n + (lua_Integer)(size / 16));
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, size);
    for (lua_Integer i = 0; i < n; i++) {
        memcpy(out, s, l);
        out += l;
        if (i + 1 < n && lsep > 0) {
            memcpy(out, sep, lsep);
            out += lsep;
        }
    }
    luaL_pushresultsize(&b, size);
    return 1;
}

/* Walks the format: %p is refused, and a %s argument that is not a string or a number
   is replaced by its safe text before the original format sees it. */
static int hl_format_lua(lua_State *L) {
    size_t fl;
    const char *f = luaL_checklstring(L, 1, &fl);
    const char *end = f + fl;
    int arg = 1;
    for (const char *p = f; p < end; p++) {
        if (*p != '%') continue;
        p++;
        if (p >= end) break;
        if (*p == '%') continue;
        arg++;
        while (p < end && strchr("-+ #0", *p)) p++;
        while (p < end && ((*p >= '0' && *p <= '9') || *p == '.')) p++;
        if (p >= end) break;
        if (*p == 'p')
            return luaL_error(L, "string.format: %%p is not available (addresses differ between runs)");
        if (*p == 's' && arg <= lua_gettop(L)) {
            int t = lua_type(L, arg);
            if (t != LUA_TSTRING && t != LUA_TNUMBER) {
                hl_safe_tolstring(L, arg, NULL);
                lua_replace(L, arg);
            }
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

void hl_sandbox_string(lua_State *L) {
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushliteral(L, "string");
    lua_rawget(L, -2);
    int s = lua_gettop(L);
    lua_pushliteral(L, "dump");
    lua_pushnil(L);
    lua_rawset(L, s);

    lua_pushliteral(L, "rep");
    lua_pushcclosure(L, hl_rep_lua, 0);
    lua_rawset(L, s);
    hl_sandbox_patterns(L, s);

    lua_pushliteral(L, "format");
    lua_pushliteral(L, "format");
    lua_rawget(L, s);
    lua_pushcclosure(L, hl_format_lua, 1);
    lua_rawset(L, s);

    /* getmetatable("") now answers "locked" and setmetatable cannot replace it. */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushliteral(L, "__metatable");
        lua_pushliteral(L, "locked");
        lua_rawset(L, -3);
    }
    lua_settop(L, top);
}
