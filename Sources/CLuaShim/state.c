/* State creation, the capped allocator, limits and the host's protected entry points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hl_internal.h"

int64_t hl_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* lua_Alloc with a cap. When ptr is NULL, osize is a type tag, not a size. Only growth
   may fail; shrinking and freeing never do. */
static void *hl_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    hl_ctl *c = (hl_ctl *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        c->mem_used -= old;
        return NULL;
    }
    if (nsize > old && c->mem_limit != 0 && c->relax == 0 &&
        c->mem_used - old + nsize > c->mem_limit)
        return NULL;
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    c->mem_used = c->mem_used - old + nsize;
    if (c->mem_used > c->mem_peak) c->mem_peak = c->mem_used;
    return p;
}

/* An unprotected error is a bug in the host: never return into Swift after it. */
static int hl_panic(lua_State *L) {
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(error object is not a string)";
    fprintf(stderr, "hyperlab: unprotected Lua error: %s\n", msg);
    fflush(stderr);
    abort();
    return 0;
}

lua_State *hl_newstate(const hl_config *cfg, hl_dispatch_fn dispatch, hl_release_fn release, void *host) {
    hl_ctl *c = (hl_ctl *)calloc(1, sizeof(hl_ctl));
    if (c == NULL) return NULL;
    c->hook_interval = cfg->hook_interval > 0 ? cfg->hook_interval : 1000;
    c->budget = INT64_MAX;
    c->limit = INT64_MAX;
    c->string_limit = cfg->string_limit;
    c->random_seed = cfg->random_seed;
    if (cfg->internal_prefix)
        snprintf(c->internal_prefix, sizeof c->internal_prefix, "%s", cfg->internal_prefix);
    c->dispatch = dispatch;
    c->release = release;
    c->host = host;
    c->relax = 1; /* the host is in control until it calls into Lua */
    atomic_init(&c->interrupt, 0);
    lua_State *L = lua_newstate(hl_alloc, c);
    if (L == NULL) {
        free(c);
        return NULL;
    }
    c->main = L;
    *(hl_ctl **)lua_getextraspace(L) = c;
    lua_atpanic(L, hl_panic);
    /* Installed once and never removed: coroutines inherit it from their creator. */
    lua_sethook(L, hl_hook, LUA_MASKCOUNT, c->hook_interval);
    c->mem_limit = cfg->memory_limit;
    return L;
}

void hl_close(lua_State *L) {
    hl_ctl *c = hl_ctl_of(L);
    c->relax = 1;
    lua_close(L); /* runs __gc of host objects, which release them */
    free(c);
}

void hl_set_budget(lua_State *L, int64_t n) { hl_ctl_of(L)->budget = n; }
int64_t hl_budget(lua_State *L) { return hl_ctl_of(L)->budget; }
void hl_set_limit(lua_State *L, int64_t n) { hl_ctl_of(L)->limit = n; }
int64_t hl_limit(lua_State *L) { return hl_ctl_of(L)->limit; }
int64_t hl_instructions(lua_State *L) { return hl_ctl_of(L)->executed; }

void hl_set_deadline(lua_State *L, int64_t deadline_ns, const char *message) {
    hl_ctl *c = hl_ctl_of(L);
    c->deadline_ns = deadline_ns;
    snprintf(c->deadline_msg, sizeof c->deadline_msg, "%s", message ? message : "time limit exceeded");
}
int64_t hl_deadline(lua_State *L) { return hl_ctl_of(L)->deadline_ns; }
void hl_set_memory_limit(lua_State *L, size_t bytes) { hl_ctl_of(L)->mem_limit = bytes; }
size_t hl_memory_limit(lua_State *L) { return hl_ctl_of(L)->mem_limit; }
size_t hl_memory_used(lua_State *L) { return hl_ctl_of(L)->mem_used; }
size_t hl_memory_peak(lua_State *L) { return hl_ctl_of(L)->mem_peak; }
int hl_killed(lua_State *L) { return hl_ctl_of(L)->killed; }
const char *hl_kill_reason(lua_State *L) { return hl_ctl_of(L)->kill_reason; }

void hl_kill(lua_State *L, const char *reason) {
    hl_ctl *c = hl_ctl_of(L);
    if (!c->killed) {
        c->killed = 1;
        snprintf(c->kill_reason, sizeof c->kill_reason, "%s", reason);
    }
    hl_arm_kill_hook(L);
}

void hl_clear_kill(lua_State *L) {
    hl_ctl *c = hl_ctl_of(L);
    c->killed = 0;
    c->kill_reason[0] = 0;
    atomic_store(&c->interrupt, 0);
    lua_sethook(c->main, hl_hook, LUA_MASKCOUNT, c->hook_interval);
}

void hl_interrupt(lua_State *L) { atomic_store(&hl_ctl_of(L)->interrupt, 1); }
void hl_relax(lua_State *L, int delta) { hl_ctl_of(L)->relax += delta; }

/* Message handler for host calls: keeps the message and adds a traceback. */
static int hl_msghandler(lua_State *L) {
    if (lua_type(L, 1) == LUA_TSTRING) {
        luaL_traceback(L, L, lua_tostring(L, 1), 1);
    }
    return 1;
}

int hl_pcall(lua_State *L, int nargs, int nresults) {
    hl_ctl *c = hl_ctl_of(L);
    int base = lua_gettop(L) - nargs; /* the function */
    if (c->killed) { /* nothing runs in a killed state until the host clears it */
        lua_settop(L, base - 1);
        lua_pushstring(L, c->kill_reason);
        return LUA_ERRRUN;
    }
    if (!lua_checkstack(L, 1)) { /* no slot for the message handler: never push blind */
        lua_settop(L, base - 1);
        lua_pushliteral(L, "stack overflow (no room to call into Lua)");
        return LUA_ERRRUN;
    }
    lua_pushcclosure(L, hl_msghandler, 0);
    lua_rotate(L, base, 1);
    int saved = c->relax;
    c->relax = 0; /* Lua code never runs uncapped */
    int status = lua_pcall(L, nargs, nresults, base);
    c->relax = saved;
    lua_rotate(L, base, -1);
    lua_settop(L, -2);
    return status;
}

int hl_load(lua_State *L, const char *buf, size_t len, const char *chunkname) {
    return luaL_loadbufferx(L, buf, len, chunkname, "t");
}

static int hl_next_cf(lua_State *L) {
    if (lua_next(L, 1)) return 2;
    return 0;
}

int hl_next(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    int key = lua_gettop(L);
    lua_pushcclosure(L, hl_next_cf, 0);
    lua_pushvalue(L, idx);
    lua_pushvalue(L, key);
    int status = lua_pcall(L, 2, LUA_MULTRET, 0);
    int results = lua_gettop(L) - key;
    if (status != LUA_OK) {
        lua_rotate(L, key, -1); /* drop the old key, keep the message */
        lua_settop(L, -2);
        return -1;
    }
    lua_rotate(L, key, -1);
    lua_settop(L, -2);
    return results == 2 ? 1 : 0;
}

static int hl_opensandbox_entry(lua_State *L) { return hl_open_sandbox_cf(L); }

int hl_opensandbox(lua_State *L) {
    lua_pushcclosure(L, hl_opensandbox_entry, 0);
    return lua_pcall(L, 0, 0, 0);
}

int hl_poll_limits(lua_State *L) {
    hl_ctl *c = hl_ctl_of(L);
    if (c->killed) return 1;
    if (atomic_load(&c->interrupt)) {
        hl_kill(L, "interrupted");
    } else if (c->deadline_ns != 0 && hl_now_ns() >= c->deadline_ns) {
        hl_kill(L, c->deadline_msg);
    }
    return c->killed;
}

const char *hl_deadline_message(lua_State *L) { return hl_ctl_of(L)->deadline_msg; }

void hl_set_host(lua_State *L, void *host) { hl_ctl_of(L)->host = host; }

int hl_interrupted(lua_State *L) { return atomic_load(&hl_ctl_of(L)->interrupt); }
