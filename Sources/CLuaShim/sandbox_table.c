/* table.insert, remove, move, concat and unpack of the sandbox, and a deterministic
   sort whose work is charged up front. The stock functions loop in C over ranges a student
   chooses (table.move({}, 1, 1 << 60, 1, {}), or a __len that answers 2^62), and each
   element may run a metamethod written in C (__index = rawlen), which the count hook
   never sees. These loop the same way but charge HL_ELEMENT_STEPS per element read or
   written, so the budget and the deadline stop them. Results, errors and the order of
   metamethod calls are Lua 5.4's (sort's, below, within what the manual allows). */
#include <limits.h>
#include "hl_internal.h"

enum { NEED_READ = 1, NEED_WRITE = 2, NEED_LEN = 4 };

/* A counter of elements, charged in batches. */
typedef struct {
    lua_State *L;
    int64_t count;
    int64_t cost;   /* steps per element */
} elements;

/* Elements of the values at a and b (0 = none) cost more when either has a metatable. */
static elements counter(lua_State *L, int a, int b) {
    int meta = 0;
    for (int i = 0; i < 2; i++) {
        int idx = i == 0 ? a : b;
        if (idx != 0 && lua_getmetatable(L, idx)) {
            meta = 1;
            lua_settop(L, -2);
        }
    }
    elements e = {L, 0, meta ? HL_META_ELEMENT_STEPS : HL_ELEMENT_STEPS};
    return e;
}

static inline void touch(elements *e) {
    if (++e->count >= 1024) {
        hl_charge(e->L, e->count * e->cost);
        e->count = 0;
    }
}

static void done(elements *e) {
    if (e->count > 0) hl_charge(e->L, e->count * e->cost);
    e->count = 0;
}

static int has_metafield(lua_State *L, const char *name) {
    lua_pushstring(L, name);
    int t = lua_rawget(L, -2);
    lua_settop(L, -2);
    return t != LUA_TNIL;
}

/* A table, or a value whose metatable has what the operation needs. */
static void check_table(lua_State *L, int arg, int need) {
    if (lua_type(L, arg) == LUA_TTABLE) return;
    int ok = 0;
    if (lua_getmetatable(L, arg)) {
        ok = (!(need & NEED_READ) || has_metafield(L, "__index")) &&
             (!(need & NEED_WRITE) || has_metafield(L, "__newindex")) &&
             (!(need & NEED_LEN) || has_metafield(L, "__len"));
        lua_settop(L, -2);
    }
    if (!ok) luaL_checktype(L, arg, LUA_TTABLE); /* raises the usual "table expected" */
}

static lua_Integer length_of(lua_State *L, int arg, int need) {
    check_table(L, arg, need | NEED_LEN);
    return luaL_len(L, arg);
}

static int hl_insert_lua(lua_State *L) {
    lua_Integer pos;
    /* first empty slot; wraps like Lua's integer arithmetic when __len says maxinteger */
    lua_Integer e = (lua_Integer)((lua_Unsigned)length_of(L, 1, NEED_READ | NEED_WRITE) + 1u);
    elements el = counter(L, 1, 0);
    switch (lua_gettop(L)) {
    case 2:
        pos = e;
        break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        for (lua_Integer i = e; i > pos; i--) { /* shift up */
            touch(&el);
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
        }
        break;
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    done(&el);
    lua_seti(L, 1, pos);
    return 0;
}

static int hl_remove_lua(lua_State *L) {
    lua_Integer size = length_of(L, 1, NEED_READ | NEED_WRITE);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size)
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1, /* #1, as Lua 5.4.4 says */
                      "position out of bounds");
    elements el = counter(L, 1, 0);
    lua_geti(L, 1, pos);
    for (; pos < size; pos++) { /* shift down */
        touch(&el);
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    done(&el);
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

static int hl_move_lua(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int dst = lua_isnoneornil(L, 5) ? 1 : 5;
    check_table(L, 1, NEED_READ);
    check_table(L, dst, NEED_WRITE);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1;
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        elements el = counter(L, 1, dst);
        if (t > e || t <= f || (dst != 1 && !lua_compare(L, 1, dst, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++) {
                touch(&el);
                lua_geti(L, 1, f + i);
                lua_seti(L, dst, t + i);
            }
        } else { /* overlapping, destination after the source: copy from the end */
            for (lua_Integer i = n - 1; i >= 0; i--) {
                touch(&el);
                lua_geti(L, 1, f + i);
                lua_seti(L, dst, t + i);
            }
        }
        done(&el);
    }
    lua_pushvalue(L, dst);
    return 1;
}

static void add_element(lua_State *L, luaL_Buffer *b, lua_Integer i) {
    lua_geti(L, 1, i);
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid value (%s) at index %I in table for 'concat'", luaL_typename(L, -1), (LUAI_UACINT)i);
    luaL_addvalue(b); /* the value on top is the one push a buffer allows */
}

static int hl_concat_lua(lua_State *L) {
    lua_Integer last = length_of(L, 1, NEED_READ);
    size_t lsep;
    const char *sep = luaL_optlstring(L, 2, "", &lsep);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    last = luaL_optinteger(L, 4, last);
    elements el = counter(L, 1, 0);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (; i < last; i++) {
        touch(&el);
        add_element(L, &b, i);
        luaL_addlstring(&b, sep, lsep);
    }
    if (i == last) add_element(L, &b, last);
    done(&el);
    luaL_pushresult(&b);
    return 1;
}

static int hl_unpack_lua(lua_State *L) {
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer e = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
    if (i > e) return 0;
    lua_Unsigned n = (lua_Unsigned)e - (lua_Unsigned)i;
    if (n >= (unsigned int)INT_MAX || !lua_checkstack(L, (int)(++n)))
        return luaL_error(L, "too many results to unpack");
    hl_charge(L, (int64_t)n * counter(L, 1, 0).cost);
    for (; i < e; i++) lua_geti(L, 1, i);
    lua_geti(L, 1, e);
    return (int)n;
}

/* a < b for the values at absolute stack indices a and b, by the order function at cmp
   (0 = the < operator, metamethods included). */
static int sort_less(lua_State *L, int cmp, int a, int b) {
    if (cmp == 0) return lua_compare(L, a, b, LUA_OPLT);
    lua_pushvalue(L, cmp);
    lua_pushvalue(L, a);
    lua_pushvalue(L, b);
    lua_call(L, 2, 1);
    int r = lua_toboolean(L, -1);
    lua_settop(L, -2);
    return r;
}

/* table.sort: a stable bottom-up merge sort, not the stock quicksort, because the stock
   one chooses pivots of ranges over 100 elements from clock() and time(): elements that
   compare equal (records sorted by one field) would come out in a different order from
   run to run, and results must be byte-identical. Any order a valid order function
   allows is a correct sort, so this is still Lua 5.4's table.sort. The elements are read
   once, merged between two raw work tables and written back once; the expected work
   (n log2 n comparisons, each reading elements) is charged before it starts: a
   comparison that is not a Lua function never reaches the hook, and __len may claim
   2^31 elements that a C __index invents. */
static int hl_sort_lua(lua_State *L) {
    lua_Integer n = length_of(L, 1, NEED_READ | NEED_WRITE);
    if (n <= 1) return 0;
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    int cmp = 0;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TFUNCTION);
        cmp = 2;
    }
    lua_settop(L, 2);
    int64_t log2n = 1;
    while (log2n < 63 && ((lua_Integer)1 << log2n) < n) log2n++;
    int64_t cost = counter(L, 1, 0).cost;
    int64_t work = n > INT64_MAX / (log2n * cost) ? INT64_MAX / 2 : n * log2n * cost;
    hl_charge(L, work);
    luaL_checkstack(L, 8, "table.sort");
    lua_createtable(L, (int)n, 0); /* 3 */
    lua_createtable(L, (int)n, 0); /* 4 */
    int src = 3, dst = 4;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        lua_rawseti(L, src, i);
    }
    for (lua_Integer width = 1; width < n; width *= 2) {
        for (lua_Integer lo = 1; lo <= n; lo += 2 * width) {
            lua_Integer mid = lo + width > n + 1 ? n + 1 : lo + width;
            lua_Integer hi = mid + width > n + 1 ? n + 1 : mid + width;
            lua_Integer a = lo, b = mid, k = lo;
            while (a < mid && b < hi) {
                lua_rawgeti(L, src, a);
                lua_rawgeti(L, src, b);
                int top = lua_gettop(L);
                if (sort_less(L, cmp, top, top - 1)) { /* b before a only if strictly less: stable */
                    lua_rawseti(L, dst, k++);
                    lua_settop(L, -2);
                    b++;
                } else {
                    lua_settop(L, -2);
                    lua_rawseti(L, dst, k++);
                    a++;
                }
            }
            for (; a < mid; a++, k++) {
                lua_rawgeti(L, src, a);
                lua_rawseti(L, dst, k);
            }
            for (; b < hi; b++, k++) {
                lua_rawgeti(L, src, b);
                lua_rawseti(L, dst, k);
            }
        }
        int t = src;
        src = dst;
        dst = t;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, src, i);
        lua_seti(L, 1, i);
    }
    return 0;
}

void hl_sandbox_table(lua_State *L) {
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushliteral(L, "table");
    lua_rawget(L, -2);
    int t = lua_gettop(L);
    static const luaL_Reg fns[] = {{"insert", hl_insert_lua}, {"remove", hl_remove_lua}, {"move", hl_move_lua},
                                   {"concat", hl_concat_lua}, {"unpack", hl_unpack_lua}, {NULL, NULL}};
    for (int i = 0; fns[i].name; i++) {
        lua_pushstring(L, fns[i].name);
        lua_pushcclosure(L, fns[i].func, 0);
        lua_rawset(L, t);
    }
    lua_pushliteral(L, "sort");
    lua_pushcclosure(L, hl_sort_lua, 0);
    lua_rawset(L, t);
    lua_settop(L, top);
}
