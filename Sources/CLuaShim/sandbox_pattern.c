#define _GNU_SOURCE /* memmem */
/* string.find, string.match, string.gmatch and string.gsub of the sandbox, on the
   counted matcher of pattern.c. Arguments, results and errors are those of Lua 5.4's;
   the difference is that their work is charged to the instruction budget. */
#include <string.h>
#include "hl_pattern.h"

/* Plain searches are linear (memmem) and cost one step per this many bytes of subject
   scanned and of needle; copying a replacement, one per this many bytes too. Measured:
   memmem takes about 2.5 ns a byte on a pathological needle, a VM instruction 2-5 ns. */
#define HL_PLAIN_BYTES_PER_STEP 2

/* A 1-based start position as Lua 5.4 reads it: negative counts from the end, and
   anything before the start is 1. */
static size_t start_position(lua_Integer pos, size_t len) {
    if (pos > 0) return (size_t)pos;
    if (pos == 0 || pos < -(lua_Integer)len) return 1;
    return len + (size_t)pos + 1;
}

static int has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++) {
        switch (p[i]) {
        case '^': case '$': case '*': case '+': case '?': case '.': case '(': case '[': case '%': case '-':
            return 1;
        default:
            break;
        }
    }
    return 0;
}

/* memchr for the first byte and memcmp for the rest, as fast as the stock search on
   ordinary text; when the comparisons add up to more than a few passes over the subject
   (the stock search's O(n*m) case), memmem finishes the search in linear time. */
static const char *plain_find(lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    const char *last = s + (ls - lp); /* the last place a match can start */
    const char *q = s, *hit = NULL;
    size_t compared = 0, enough = 4 * ls + 256;
    while (q <= last) {
        q = (const char *)memchr(q, p[0], (size_t)(last - q) + 1);
        if (q == NULL) break;
        if (memcmp(q + 1, p + 1, lp - 1) == 0) {
            hit = q;
            break;
        }
        q++;
        compared += lp;
        if (compared > enough) {
            hit = (const char *)memmem(q, (size_t)(s + ls - q), p, lp);
            break;
        }
    }
    size_t scanned = hit != NULL ? (size_t)(hit - s) + lp : ls;
    hl_charge(L, (int64_t)((scanned + (compared < enough ? compared : enough)) / HL_PLAIN_BYTES_PER_STEP) + 1);
    return hit;
}

static int find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char *hit = plain_find(L, s + init, ls - init, p, lp);
        if (hit != NULL) {
            lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
            lua_pushinteger(L, (lua_Integer)(hit - s + lp));
            return 2;
        }
        luaL_pushfail(L);
        return 1;
    }
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    hl_matcher m;
    hl_matcher_init(&m, L, s, ls, p, lp);
    for (const char *from = s + init;; from++) {
        const char *e = hl_match_at(&m, from);
        if (e != NULL) {
            hl_matcher_flush(&m);
            if (!find) return hl_push_captures(&m, from, e);
            lua_pushinteger(L, (lua_Integer)(from - s) + 1);
            lua_pushinteger(L, (lua_Integer)(e - s));
            return 2 + hl_push_captures(&m, NULL, NULL);
        }
        if (anchored || from >= m.src_end) break;
    }
    hl_matcher_flush(&m);
    luaL_pushfail(L);
    return 1;
}

static int hl_find_lua(lua_State *L) { return find_or_match(L, 1); }
static int hl_match_lua(lua_State *L) { return find_or_match(L, 0); }

/* The iterator of gmatch. Upvalues: subject, pattern, state. The subject and pattern
   upvalues keep the strings the state points into alive. */
typedef struct hl_gmatch {
    const char *next;   /* where the next search starts */
    const char *last;   /* end of the last match: an empty match there does not count */
    hl_matcher m;
} hl_gmatch;

static int hl_gmatch_next(lua_State *L) {
    hl_gmatch *g = (hl_gmatch *)lua_touserdata(L, lua_upvalueindex(3));
    g->m.L = L; /* the loop may run in another coroutine than the one that made it */
    for (const char *from = g->next; from <= g->m.src_end; from++) {
        const char *e = hl_match_at(&g->m, from);
        if (e != NULL && e != g->last) {
            g->next = g->last = e;
            hl_matcher_flush(&g->m);
            return hl_push_captures(&g->m, from, e);
        }
    }
    g->next = g->m.src_end + 1;
    hl_matcher_flush(&g->m);
    return 0;
}

static int hl_gmatch_lua(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) init = ls + 1; /* past the end: no match at all */
    lua_settop(L, 2);
    hl_gmatch *g = (hl_gmatch *)lua_newuserdatauv(L, sizeof(hl_gmatch), 0);
    hl_matcher_init(&g->m, L, s, ls, p, lp);
    g->next = s + init;
    g->last = NULL;
    lua_pushcclosure(L, hl_gmatch_next, 3);
    return 1;
}

/* Appends the replacement string (argument 3) for the match s..e: %0 to %9 and %%. */
static void add_template(hl_matcher *m, luaL_Buffer *b, const char *s, const char *e) {
    lua_State *L = m->L;
    size_t l;
    const char *r = lua_tolstring(L, 3, &l);
    const char *end = r + l;
    hl_matcher_count(m, (int64_t)l / HL_PLAIN_BYTES_PER_STEP);
    while (r < end) {
        const char *pct = memchr(r, '%', (size_t)(end - r));
        if (pct == NULL) {
            luaL_addlstring(b, r, (size_t)(end - r));
            return;
        }
        luaL_addlstring(b, r, (size_t)(pct - r));
        char d = pct + 1 < end ? pct[1] : 0;
        if (d == '%') {
            luaL_addchar(b, '%');
        } else if (d == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (d >= '1' && d <= '9') {
            const char *text;
            ptrdiff_t len = hl_capture_text(m, d - '1', s, e, &text);
            if (len == HL_CAP_POSITION) {
                lua_pushinteger(L, (lua_Integer)(text - m->src) + 1);
                lua_tolstring(L, -1, NULL);
                luaL_addvalue(b); /* the one value a buffer may take from the top */
            } else {
                luaL_addlstring(b, text, (size_t)len);
            }
        } else {
            luaL_error(L, "invalid use of '%%' in replacement string");
        }
        r = pct + 2;
    }
}

/* Appends the replacement of the match s..e; returns whether it differs from the match. */
static int add_replacement(hl_matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = m->L;
    if (kind == LUA_TSTRING || kind == LUA_TNUMBER) {
        add_template(m, b, s, e);
        return 1;
    }
    /* The buffer allows one value pushed on top of it, taken with luaL_addvalue; the
       call or lookup below leaves exactly that. */
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = hl_push_captures(m, s, e);
        lua_call(L, n, 1);
    } else {
        hl_push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    }
    if (!lua_toboolean(L, -1)) { /* nil or false: keep the match */
        lua_settop(L, -2);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int hl_gsub_lua(lua_State *L) {
    size_t ls, lp;
    const char *src = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    lua_Integer most = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                     3, "string/function/table");
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    hl_matcher m;
    hl_matcher_init(&m, L, src, ls, p, lp);
    const char *last = NULL;
    lua_Integer n = 0;
    int changed = 0;
    while (n < most) {
        const char *e = hl_match_at(&m, src);
        if (e != NULL && e != last) {
            n++;
            hl_matcher_flush(&m); /* the replacement may run Lua code */
            changed |= add_replacement(&m, &b, src, e, kind);
            src = last = e;
        } else if (src < m.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchored) break;
    }
    hl_matcher_flush(&m);
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(m.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

void hl_sandbox_patterns(lua_State *L, int strings) {
    static const luaL_Reg fns[] = {
        {"find", hl_find_lua}, {"match", hl_match_lua}, {"gmatch", hl_gmatch_lua}, {"gsub", hl_gsub_lua}, {NULL, NULL}};
    for (int i = 0; fns[i].name; i++) {
        lua_pushstring(L, fns[i].name);
        lua_pushcclosure(L, fns[i].func, 0);
        lua_rawset(L, strings);
    }
}
