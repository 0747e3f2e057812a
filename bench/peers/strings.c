/* Bounded string and table functions against the stock ones, side by side, on ordinary
   inputs (`strings [ROUNDS]`, 15 by default). Both run in the same sandboxed state (same hook, same allocator): the stock
   C functions are taken from a plain state (they are plain lua_CFunctions) and passed to
   the same Lua loop as the sandbox's own. Prints the time per call of each and the
   ratio; the target is at most 1.3x. Built with -O2 by bench/run.sh:
     cc -O2 -ISources/CLuaShim/include $(pkg-config --cflags lua5.4) Sources/CLuaShim/ *.c \
        bench/peers/strings.c $(pkg-config --libs lua5.4) -o bench/out/strings */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "CLuaShim.h"

static int dispatch(lua_State *L, void *host, int kind, int id) {
    (void)host; (void)kind; (void)id;
    lua_pushliteral(L, "no host");
    return HL_ERROR;
}
static void release(void *o) { (void)o; }

typedef struct { const char *name, *body; int calls; } workload;

/* `S` is the string library under test, `T` the table library; `text` a paragraph. */
static const workload loads[] = {
    {"find, plain word", "return S.find(text, 'lazy dog')", 1},
    {"find, plain=true", "return S.find(text, 'fox.', 1, true)", 1},
    {"find %d+", "return S.find(line, '%d+')", 1},
    {"match trim ^%s*(.-)%s*$", "return S.match(padded, '^%s*(.-)%s*$')", 1},
    {"match (%w+)%s*=%s*(%w+)", "return S.match(line, '(%w+)%s*=%s*(%w+)')", 1},
    {"match date (%d+)-(%d+)-(%d+)", "return S.match(stamp, '(%d+)-(%d+)-(%d+)')", 1},
    {"match %b() and %f[%w]", "return S.match(code, '%f[%w]%w+%b()')", 1},
    {"gmatch %a+ over a paragraph", "local n = 0 for w in S.gmatch(text, '%a+') do n = n + 1 end return n", 1},
    {"gsub %s+ -> ' '", "return S.gsub(text, '%s+', ' ')", 1},
    {"gsub %w+ with a function", "return S.gsub(line, '%w+', upper)", 1},
    {"gsub %w+ with a table", "return S.gsub(line, '%w+', names)", 1},
    {"gsub template (%w+)=(%w+)", "return S.gsub(line, '(%w+)%s*=%s*(%w+)', '%2=%1')", 1},
    {"rep('ab', 100, ',')", "return S.rep('ab', 100, ',')", 1},
    {"concat of 100", "return T.concat(list, ',')", 1},
    {"insert + remove at the end", "T.insert(list, 1) return T.remove(list)", 2},
    {"insert + remove at the front of 100", "T.insert(list, 1, 0) return T.remove(list, 1)", 2},
    {"unpack of 10", "return T.unpack(list, 1, 10)", 1},
    {"move of 100", "return T.move(list, 1, 100, 1, dst)", 1},
    {"sort of 100", "for i = 1, 100 do shuffled[i] = (i * 7919) % 100 end T.sort(shuffled)", 1},
    {NULL, NULL, 0}};

static const char *setup =
    "text = string.rep('The quick brown fox jumps over the lazy dog. ', 20)\n"
    "line = 'width = 1280, height = 720, depth = 24'\n"
    "padded = '   some text to trim   '\n"
    "stamp = 'created 2024-01-15T10:30:00Z'\n"
    "code = 'local x = compute(a, f(b), c) + 1'\n"
    "upper = string.upper\n"
    "names = { width = 'w', height = 'h' }\n"
    "list, dst, shuffled = {}, {}, {}\n"
    "for i = 1, 100 do list[i] = tostring(i) end\n";

static lua_State *state(void) {
    hl_config cfg = {0};
    cfg.string_limit = 16 << 20;
    cfg.hook_interval = 1000;
    cfg.random_seed = 1;
    cfg.internal_prefix = "=hyperlab/";
    lua_State *L = hl_newstate(&cfg, dispatch, release, NULL);
    hl_opensandbox(L);
    return L;
}

/* A table of the stock functions of library `lib`, copied from a plain state. */
static void push_stock(lua_State *L, lua_State *plain, const char *lib) {
    lua_newtable(L);
    lua_getglobal(plain, lib);
    lua_pushnil(plain);
    while (lua_next(plain, -2)) {
        if (lua_tocfunction(plain, -1) != NULL && lua_type(plain, -2) == LUA_TSTRING) {
            lua_pushcfunction(L, lua_tocfunction(plain, -1));
            lua_setfield(L, -2, lua_tostring(plain, -2));
        }
        lua_settop(plain, -2);
    }
    lua_settop(plain, -2);
}

/* Seconds per iteration of `body` with S and T bound to the stock or the bounded tables. */
static double time_body(lua_State *L, const char *body, int stock, long iterations) {
    char src[1024];
    snprintf(src, sizeof src,
             "local S, T = %s, %s\n"
             "local f = function() %s end\n"
             "local t0 = now() for _ = 1, %ld do f() end return now() - t0",
             stock ? "stock_string" : "string", stock ? "stock_table" : "table", body, iterations);
    if (hl_load(L, src, strlen(src), "=bench") != LUA_OK || hl_pcall(L, 0, 1) != LUA_OK) {
        fprintf(stderr, "benchmark failed: %s\n", lua_tostring(L, -1));
        return -1;
    }
    double t = lua_tonumber(L, -1);
    lua_settop(L, 0);
    return t / (double)iterations;
}

/* CPU time of this thread: time the machine gives to other work does not count. */
static int now_lua(lua_State *L) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    lua_pushnumber(L, (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
    return 1;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 15;
    lua_State *plain = luaL_newstate();
    luaL_openlibs(plain);
    lua_State *L = state();
    push_stock(L, plain, "string");
    lua_setglobal(L, "stock_string");
    push_stock(L, plain, "table");
    lua_setglobal(L, "stock_table");
    lua_pushcfunction(L, now_lua);
    lua_setglobal(L, "now");
    if (hl_load(L, setup, strlen(setup), "=setup") != LUA_OK || hl_pcall(L, 0, 0) != LUA_OK) {
        fprintf(stderr, "setup failed: %s\n", lua_tostring(L, -1));
        return 1;
    }
    printf("%-36s %10s %10s %7s\n", "call (ordinary input)", "stock", "bounded", "ratio");
    double worst = 0, logsum = 0;
    int n = 0;
    for (int i = 0; loads[i].name; i++) {
        /* Interleaved, best of `rounds`: the machine may be shared. */
        long iterations = 5000;
        double a = 1e9, b = 1e9;
        for (int r = 0; r < rounds; r++) {
            double x = time_body(L, loads[i].body, 1, iterations), y = time_body(L, loads[i].body, 0, iterations);
            if (x < 0 || y < 0) return 1;
            if (x < a) a = x;
            if (y < b) b = y;
        }
        double ratio = b / a;
        printf("%-36s %8.0f ns %8.0f ns %6.2fx\n", loads[i].name, a * 1e9 / loads[i].calls, b * 1e9 / loads[i].calls,
               ratio);
        if (ratio > worst) worst = ratio;
        logsum += __builtin_log(ratio);
        n++;
    }
    printf("geometric mean %.2fx, worst %.2fx (target: at most 1.30x)\n", __builtin_exp(logsum / n), worst);
    hl_close(L);
    lua_close(plain);
    return 0;
}
