#ifndef HYPERLAB_HL_INTERNAL_H
#define HYPERLAB_HL_INTERNAL_H
#include <stdatomic.h>
#include "include/CLuaShim.h"

/* Per-state controller, reached from every thread (coroutine) of the state through
   lua_getextraspace, which lua_newthread copies from the main thread. */
typedef struct hl_ctl {
    /* memory */
    size_t mem_used, mem_peak, mem_limit;
    int relax;                 /* > 0 while host code runs: the cap does not apply */
    /* instructions and time */
    int hook_interval;
    int64_t budget;            /* instructions left */
    int64_t executed;          /* instructions run so far (in hook intervals) */
    int64_t limit;             /* the budget the current scope began with, for the message */
    int64_t deadline_ns;       /* 0 = none */
    int64_t unclocked;         /* steps charged by C code since the clock was last read */
    char deadline_msg[160];
    atomic_int interrupt;
    int killed;
    char kill_reason[256];
    /* sandbox */
    size_t string_limit;
    lua_Integer random_seed;
    char internal_prefix[64];
    /* host */
    hl_dispatch_fn dispatch;
    hl_release_fn release;
    void *host;
    lua_State *main;
} hl_ctl;

static inline hl_ctl *hl_ctl_of(lua_State *L) { return *(hl_ctl **)lua_getextraspace(L); }

/* Shared between the files of the shim. */
void hl_hook(lua_State *L, lua_Debug *ar);
void hl_arm_kill_hook(lua_State *L);
void hl_push_user_position(lua_State *L);
int hl_raise_killed(lua_State *L);
int hl_call_host(lua_State *L, int kind, int id);
const char *hl_safe_tolstring(lua_State *L, int idx, size_t *len);
int hl_open_sandbox_cf(lua_State *L);
void hl_sandbox_string(lua_State *L);
void hl_sandbox_table(lua_State *L);
/* Puts find, match, gmatch and gsub into the string table at index `strings`. */
void hl_sandbox_patterns(lua_State *L, int strings);
/* Charges work done in C to the instruction budget; raises when a limit is reached. */
void hl_charge(lua_State *L, int64_t steps);
/* Steps charged per table element a library function reads or writes (it may run a
   metamethod written in C, which the hook never sees). */
#define HL_ELEMENT_STEPS 8
/* ... and per element of a value with a metatable, whose __index or __newindex may be a C
   function (rawlen, rawequal) costing a call each, and per comparison a C sort makes. */
#define HL_META_ELEMENT_STEPS 32

#endif
