/* The count hook: instruction budget, wall-time deadline and asynchronous interrupts.
   A kill re-arms the hook on every event with count 1, so the error is raised again at
   once wherever the code goes, and the sandbox's pcall/xpcall/resume re-raise it. */
#include <stdio.h>
#include <string.h>
#include "hl_internal.h"

#define HL_CLOCK_STEPS 16384

void hl_arm_kill_hook(lua_State *L) {
    lua_sethook(L, hl_hook, LUA_MASKCOUNT | LUA_MASKLINE | LUA_MASKCALL | LUA_MASKRET, 1);
}

static void hl_set_killed(hl_ctl *c, const char *reason) {
    c->killed = 1;
    snprintf(c->kill_reason, sizeof c->kill_reason, "%s", reason);
}

int hl_raise_killed(lua_State *L) {
    hl_ctl *c = hl_ctl_of(L);
    hl_arm_kill_hook(L);
    lua_pushstring(L, c->kill_reason);
    return lua_error(L);
}

/* 100000000 -> "100,000,000", as the engine's messages write counts. */
static void hl_group_digits(char *out, size_t size, int64_t v) {
    char raw[24];
    int len = snprintf(raw, sizeof raw, "%lld", (long long)(v < 0 ? 0 : v));
    size_t o = 0;
    for (int i = 0; i < len && o + 1 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 2 < size) out[o++] = ',';
        out[o++] = raw[i];
    }
    out[o] = 0;
}

/* Marks the state killed when the budget, an interrupt or the deadline says so. */
static void hl_check_limits(hl_ctl *c, int clock) {
    if (c->budget < 0) {
        char msg[128], n[32];
        if (c->limit == INT64_MAX) {
            snprintf(msg, sizeof msg, "instruction limit exceeded");
        } else {
            hl_group_digits(n, sizeof n, c->limit);
            snprintf(msg, sizeof msg, "instruction limit exceeded (this call may run %s instructions)", n);
        }
        hl_set_killed(c, msg);
    }
    if (!c->killed && atomic_load(&c->interrupt)) hl_set_killed(c, "interrupted");
    if (clock && !c->killed && c->deadline_ns != 0 && hl_now_ns() >= c->deadline_ns)
        hl_set_killed(c, c->deadline_msg);
}

/* Raises the kill, the first time with the position of the user code prefixed. */
static int hl_raise_new_kill(lua_State *L) {
    hl_ctl *c = hl_ctl_of(L);
    luaL_checkstack(L, 3, "no stack space to report a limit");
    hl_push_user_position(L);
    lua_pushstring(L, c->kill_reason);
    lua_concat(L, 2);
    snprintf(c->kill_reason, sizeof c->kill_reason, "%s", lua_tostring(L, -1));
    lua_settop(L, -2);
    return hl_raise_killed(L);
}

void hl_hook(lua_State *L, lua_Debug *ar) {
    hl_ctl *c = hl_ctl_of(L);
    if (!c->killed) {
        if (ar->event == LUA_HOOKCOUNT) {
            c->executed += c->hook_interval;
            c->budget -= c->hook_interval;
        }
        hl_check_limits(c, 1);
        if (!c->killed) return;
        hl_raise_new_kill(L);
    }
    hl_raise_killed(L);
}

/* Work done inside one C function never reaches the count hook, so the library's loops
   charge it here, in steps worth about one VM instruction each. */
void hl_charge(lua_State *L, int64_t steps) {
    hl_ctl *c = hl_ctl_of(L);
    if (c->killed) {
        hl_raise_killed(L);
        return;
    }
    if (steps > INT64_MAX / 4) steps = INT64_MAX / 4; /* no budget is that large; no overflow below */
    c->executed = c->executed > INT64_MAX - steps ? INT64_MAX : c->executed + steps;
    c->budget -= steps;
    /* The clock is read once per HL_CLOCK_STEPS charged (tens of microseconds of work),
       not on every charge: reading it costs as much as a short search. */
    c->unclocked += steps;
    int clock = c->unclocked >= HL_CLOCK_STEPS;
    if (clock) c->unclocked = 0;
    hl_check_limits(c, clock);
    if (c->killed) hl_raise_new_kill(L);
}
