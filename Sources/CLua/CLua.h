#ifndef HYPERLAB_CLUA_H
#define HYPERLAB_CLUA_H
/* Lua 5.4 from the system (pkg-config lua5.4). Swift cannot import function-like macros,
   so the ones Swift needs are re-expressed here, and only those that never raise
   (class '-' in the reference manual). Everything that can raise lives in CLuaShim. */
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>

static const int clua_registryindex = LUA_REGISTRYINDEX;

static inline int clua_upvalueindex(int i) { return lua_upvalueindex(i); }
/* lua_settop may run __close of to-be-closed slots; the host never creates them. */
static inline void clua_pop(lua_State *L, int n) { lua_settop(L, -(n) - 1); }
static inline void clua_newtable(lua_State *L) { lua_createtable(L, 0, 0); }
static inline const char *clua_tostring(lua_State *L, int i) { return lua_tolstring(L, i, NULL); }
static inline void clua_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcclosure(L, f, 0); }
static inline void clua_remove(lua_State *L, int i) { lua_rotate(L, i, -1); lua_settop(L, -2); }
static inline void clua_insert(lua_State *L, int i) { lua_rotate(L, i, 1); }
static inline int clua_isnoneornil(lua_State *L, int i) { return lua_type(L, i) <= 0; }
static inline void clua_pushglobaltable(lua_State *L) { lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS); }
static inline void *clua_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 0); }
static inline lua_Integer clua_tointeger(lua_State *L, int i, int *isnum) { return lua_tointegerx(L, i, isnum); }
static inline lua_Number clua_tonumber(lua_State *L, int i, int *isnum) { return lua_tonumberx(L, i, isnum); }

#endif
