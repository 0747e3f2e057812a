#ifndef HYPERLAB_CLUASHIM_H
#define HYPERLAB_CLUASHIM_H
/*
 * The C half of the Lua boundary. Every function that may raise a Lua error (a longjmp)
 * is called here, in C, never from a Swift frame:
 *  - Swift bindings return HL_ERROR with a message on the stack; the trampoline raises
 *    after the Swift frame has returned;
 *  - the host's calls into Lua go through hl_pcall, which runs them protected and with
 *    the memory cap enforced (the cap is relaxed while Swift runs);
 *  - limits (instructions, wall time, memory) are enforced by the count hook and the
 *    allocator, and a kill cannot be swallowed by pcall, xpcall or coroutine.resume.
 */
#include <stddef.h>
#include <stdint.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the host is asked to do by a trampoline. */
enum {
    HL_CALL = 0,      /* call bound function `id`; arguments on the stack */
    HL_GET = 1,       /* read property `id` of the object at index 1 */
    HL_SET = 2,       /* write property `id` of the object at 1 with the value at 3 */
    HL_TOSTRING = 3,  /* describe the object at 1; `id` is its type */
    HL_NOFIELD = 4,   /* the key at 2 is not a member of type `id` (3 = read, 4 = write) */
    HL_PRINT = 5,     /* captured print: the line is on top of the stack */
    HL_LEN = 6        /* #object; `id` is its type */
};

/* Results a host callback returns besides a count of pushed values. */
#define HL_ERROR (-1)      /* message on top of the stack; the position of user code is prefixed */
#define HL_ERROR_RAW (-2)  /* error value on top of the stack, raised as is */

typedef int (*hl_dispatch_fn)(lua_State *L, void *host, int kind, int id);
typedef void (*hl_release_fn)(void *object);

/* A Swift object carried by a full userdata. */
typedef struct hl_object {
    void *object;     /* retained reference, released by __gc */
    int32_t type_id;  /* index of its class in the host's registry */
    int32_t reserved;
} hl_object;

typedef struct hl_config {
    size_t memory_limit;       /* bytes, 0 = unlimited */
    size_t string_limit;       /* largest string string.rep may build */
    int hook_interval;         /* instructions between two hook calls */
    lua_Integer random_seed;   /* math.random is seeded with this */
    const char *internal_prefix; /* chunks whose source starts with this are not user code */
} hl_config;

/* State lifecycle. hl_newstate returns NULL if the state cannot be created. */
lua_State *hl_newstate(const hl_config *cfg, hl_dispatch_fn dispatch, hl_release_fn release, void *host);
void hl_close(lua_State *L);
void hl_set_host(lua_State *L, void *host);
/* Opens the sandboxed standard library (protected). Returns a LUA_* status. */
int hl_opensandbox(lua_State *L);

/* Limits. Budgets count instructions; deadlines are CLOCK_MONOTONIC nanoseconds (0 = none). */
void hl_set_budget(lua_State *L, int64_t instructions);
int64_t hl_budget(lua_State *L);
/* The budget the running scope began with: the kill message names it (the state's own
   count, hl_instructions, runs across calls). */
void hl_set_limit(lua_State *L, int64_t instructions);
int64_t hl_limit(lua_State *L);
int64_t hl_instructions(lua_State *L);
void hl_set_deadline(lua_State *L, int64_t deadline_ns, const char *message);
int64_t hl_deadline(lua_State *L);
void hl_set_memory_limit(lua_State *L, size_t bytes);
size_t hl_memory_limit(lua_State *L);
size_t hl_memory_used(lua_State *L);
size_t hl_memory_peak(lua_State *L);
int hl_killed(lua_State *L);
const char *hl_kill_reason(lua_State *L);
/* Marks the state killed: any Lua code that runs next fails with `reason`, uncatchably. */
void hl_kill(lua_State *L, const char *reason);
void hl_clear_kill(lua_State *L);
/* The only call that may come from another thread: asks the running code to stop. */
void hl_interrupt(lua_State *L);
/* For host loops that run without Lua (the simulation): checks the interrupt flag and the
   deadline, kills the state when one is hit, and returns whether it is killed. */
int hl_poll_limits(lua_State *L);
int hl_interrupted(lua_State *L);
const char *hl_deadline_message(lua_State *L);
int64_t hl_now_ns(void);
/* Relaxing lifts the memory cap while host code builds values in this state. */
void hl_relax(lua_State *L, int delta);

/* Host calls into Lua. hl_pcall runs the function below its nargs arguments protected,
   with the memory cap in force; on error the message (with a traceback after
   "\nstack traceback:") is on top. */
int hl_pcall(lua_State *L, int nargs, int nresults);
/* Loads a text chunk; binary chunks are refused. The environment is the global table. */
int hl_load(lua_State *L, const char *buf, size_t len, const char *chunkname);
/* Protected lua_next: 1 with key and value pushed, 0 at the end, -1 with a message pushed. */
int hl_next(lua_State *L, int idx);

/* Objects and functions. */
void hl_push_function(lua_State *L, int id);
/* Pushes the __index, __newindex, __tostring and __gc metamethods of a class. The
   tables given by index are: methods (name -> function), getters (name -> id),
   stable (name -> true: properties whose value never changes for an object, cached
   per object), setters (name -> id). */
void hl_push_index(lua_State *L, int methods, int getters, int stable, int type_id);
void hl_push_newindex(lua_State *L, int setters, int getters, int type_id);
void hl_push_tostring(lua_State *L, int type_id);
void hl_push_gc(lua_State *L);
void hl_push_len(lua_State *L, int type_id);
/* Pushes "file:line: " of the innermost user-code frame ("" when none). */
void hl_push_position(lua_State *L);
hl_object *hl_new_object(lua_State *L, void *object, int32_t type_id);
/* The object of the userdata at idx, or NULL when it is not a host object. */
hl_object *hl_to_object(lua_State *L, int idx);

#ifdef __cplusplus
}
#endif
#endif
