/* Tests of the C shim on its own, built with AddressSanitizer and
   UndefinedBehaviorSanitizer by `make test-asan` (no Swift in the way, so the build
   takes seconds):
     oracle  - corpus.lua in a plain Lua state (the stock library) and in the sandbox
               gives identical output;
     print   - long lines, many arguments and odd __name values come out exactly;
     limits  - every attack on the string and table functions ends with "instruction
               limit exceeded" (or the deadline) within seconds, and the state still works.
   Usage: cshim-tests DIR (the folder of corpus.lua). Exit 0 when every test passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CLuaShim.h"

static int failures;
static char printed[1 << 20];
static size_t printed_len;

static void fail(const char *what, const char *detail) {
    failures++;
    fprintf(stderr, "FAIL: %s: %s\n", what, detail);
}

static int dispatch(lua_State *L, void *host, int kind, int id) {
    (void)host;
    (void)id;
    if (kind == HL_PRINT) {
        size_t l;
        const char *s = lua_tolstring(L, -1, &l);
        if (printed_len + l + 1 < sizeof printed) {
            memcpy(printed + printed_len, s, l);
            printed_len += l;
            printed[printed_len++] = '\n';
        }
        return 0;
    }
    lua_pushliteral(L, "the harness has no host functions");
    return HL_ERROR;
}

static void release(void *object) { (void)object; }

static lua_State *sandbox(void) {
    hl_config cfg = {0};
    cfg.string_limit = 4 << 20;
    cfg.hook_interval = 1000;
    cfg.random_seed = 1;
    cfg.internal_prefix = "=hyperlab/";
    lua_State *L = hl_newstate(&cfg, dispatch, release, NULL);
    if (L == NULL || hl_opensandbox(L) != LUA_OK) {
        fprintf(stderr, "cannot open the sandbox\n");
        exit(2);
    }
    hl_set_memory_limit(L, 64 << 20);
    return L;
}

/* Runs src in the sandbox within the limits; returns its status, the result or the
   message on top. */
static int run(lua_State *L, const char *src, size_t len, const char *name, int64_t budget, double seconds) {
    if (hl_load(L, src, len, name) != LUA_OK) return LUA_ERRSYNTAX;
    hl_set_budget(L, budget);
    hl_set_deadline(L, seconds > 0 ? hl_now_ns() + (int64_t)(seconds * 1e9) : 0, "time limit exceeded");
    int status = hl_pcall(L, 0, 1);
    hl_set_deadline(L, 0, NULL);
    hl_set_budget(L, INT64_MAX);
    if (hl_killed(L)) hl_clear_kill(L);
    return status;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

/* Prints the first lines where a and b differ. */
static void show_diff(const char *a, const char *b) {
    int shown = 0, line = 1;
    while (*a && *b && shown < 8) {
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
        if (la != lb || memcmp(a, b, la) != 0) {
            fprintf(stderr, "  line %d\n    stock:   %.*s\n    sandbox: %.*s\n", line, (int)la, a, (int)lb, b);
            shown++;
        }
        a += la + (ea != NULL);
        b += lb + (eb != NULL);
        line++;
    }
}

static void test_oracle(const char *dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/corpus.lua", dir);
    size_t len;
    char *src = read_file(path, &len);
    if (src == NULL) {
        fail("oracle", "cannot read corpus.lua");
        return;
    }
    lua_State *plain = luaL_newstate();
    luaL_openlibs(plain);
    if (luaL_loadbufferx(plain, src, len, "=corpus", "t") != LUA_OK || lua_pcall(plain, 0, 1, 0) != LUA_OK) {
        fail("oracle (stock)", lua_tostring(plain, -1));
        lua_close(plain);
        free(src);
        return;
    }
    lua_State *L = sandbox();
    if (run(L, src, len, "=corpus", 2000000000, 60) != LUA_OK) {
        fail("oracle (sandbox)", lua_tostring(L, -1));
    } else {
        const char *a = lua_tostring(plain, -1), *b = lua_tostring(L, -1);
        if (strcmp(a, b) != 0) {
            fail("oracle", "the sandbox's string and table functions differ from the stock ones:");
            show_diff(a, b);
        } else {
            int lines = 1;
            for (const char *p = a; *p; p++) lines += *p == '\n';
            printf("ok: oracle: %d lines of results identical to the stock library\n", lines);
        }
    }
    hl_close(L);
    lua_close(plain);
    free(src);
}

static void expect_printed(lua_State *L, const char *what, const char *src, const char *expected) {
    printed_len = 0;
    if (run(L, src, strlen(src), "=print", 100000000, 10) != LUA_OK) {
        fail(what, lua_tostring(L, -1));
        return;
    }
    size_t got = printed_len;
    if (got != strlen(expected) || memcmp(printed, expected, got) != 0) {
        char detail[160];
        snprintf(detail, sizeof detail, "printed %zu bytes, expected %zu (%.40s...)", got, strlen(expected), printed);
        fail(what, detail);
        return;
    }
    printf("ok: print: %s\n", what);
}

static void test_print(void) {
    lua_State *L = sandbox();
    static char expected[200000];
    /* one line past the buffer's first box */
    memset(expected, 'x', 1500);
    strcpy(expected + 1500, "\n");
    expect_printed(L, "a 1,500-byte line", "print(string.rep('x', 1500))", expected);
    /* fifteen lines of 1 to 6 KiB, each of several arguments */
    size_t n = 0;
    for (int i = 1; i <= 15; i++) {
        int size = 1024 + (i * 5 * 1024) / 15;
        for (int k = 0; k < 3; k++) {
            if (k) expected[n++] = '\t';
            memset(expected + n, 'a' + (i + k) % 26, (size_t)size / 3);
            n += (size_t)size / 3;
        }
        expected[n++] = '\n';
    }
    expected[n] = 0;
    expect_printed(L, "fifteen lines of 1-6 KiB",
                   "for i = 1, 15 do local s = 1024 + (i * 5 * 1024) // 15; local p = {}\n"
                   "  for k = 0, 2 do p[#p + 1] = string.rep(string.char(97 + (i + k) % 26), s // 3) end\n"
                   "  print(table.unpack(p)) end",
                   expected);
    /* 300 arguments: the buffer grows many times while values come and go */
    n = 0;
    for (int i = 1; i <= 300; i++) n += (size_t)sprintf(expected + n, i > 1 ? "\t%d" : "%d", i);
    strcpy(expected + n, "\n");
    expect_printed(L, "300 arguments",
                   "local t = {} for i = 1, 300 do t[i] = i end print(table.unpack(t))", expected);
    expect_printed(L, "__name that is not a string",
                   "print(setmetatable({}, {__name = 5}), 1, setmetatable({}, {__name = 'Box'}), "
                   "string.format('%s|%s', setmetatable({}, {__name = {}}), 'x'))",
                   "<table>\t1\t<Box>\t<table>|x\n");
    memset(expected, 't', 2000);
    strcpy(expected + 2000, "\tnil\n");
    expect_printed(L, "__tostring and nil",
                   "print(setmetatable({}, {__tostring = function() return string.rep('t', 2000) end}), nil)",
                   expected);
    hl_close(L);
}

typedef struct {
    const char *name;
    const char *src;
} attack;

/* Calls the stock library loops on for as long as their arguments say, which the
   sandbox's answer at once: {source, text the result or the error contains}. */
static const attack instant[] = {
    {"return '[' .. string.rep('', math.maxinteger) .. ']'", "[]"},
    {"return '[' .. string.rep('', math.maxinteger, '') .. ']'", "[]"},
    {"return string.rep('x', math.maxinteger)", "more than the limit of 4194304 bytes"},
    {"return string.rep('', math.maxinteger, 'x')", "more than the limit of 4194304 bytes"},
    {"return select('#', table.unpack({}, 1, 1e8))", "too many results to unpack"},
    {"return table.move({}, math.mininteger, -1, 1, {})", "too many elements to move"},
    {NULL, NULL}};

/* Every one of these held a worker for the whole run timeout with the stock library. */
static const attack attacks[] = {
    {"rep, many pieces", "local n = 0 for i = 1, 1e9 do n = n + #string.rep('ab', 1 << 20) end"},
    {"table.move of 2^60 elements", "table.move({}, 1, 1 << 60, 1, {})"},
    {"%b() over 1 MiB of '('", "return string.find(string.rep('(', 1 << 20), '%b()')"},
    {"a*a*a*a*c", "return string.find(string.rep('a', 5000), 'a*a*a*a*c')"},
    {".-.-.-.-b", "return string.find(string.rep('a', 300), '.-.-.-.-b')"},
    {"frontier with .-", "return string.match(string.rep('ab ', 3000), '%f[%w].-%f[%W].-%f[%w].-%f[%W]x')"},
    {"gmatch loop", "for w in string.gmatch(string.rep('a', 3000), 'a-a-a-b') do end"},
    {"six greedy captures", "return string.match(string.rep('x', 2000), '(.*)(.*)(.*)(.*)(.*)(.*)y')"},
    {"gsub with a slow pattern", "return string.gsub(string.rep('a', 2000), '.-.-.-x', '')"},
    {"plain find, O(n*m) for the stock one",
     "local s = string.rep('a', 4 << 20) local p = string.rep('a', 1 << 20) .. 'b'\n"
     "for i = 1, 1e6 do s:find(p, 1, true) end"},
    {"backreference chain", "return string.find(string.rep('a', 3000), '(a*)%1%1%1b')"},
    {"table.insert under a huge __len",
     "table.insert(setmetatable({}, {__len = function() return 1 << 62 end}), 1, 'x')"},
    {"table.remove under a huge __len", "table.remove(setmetatable({}, {__len = function() return 1 << 62 end}), 1)"},
    {"table.concat through a C __index",
     "return table.concat(setmetatable({}, {__index = rawlen}), '', 1, 1 << 50)"},
    {"table.unpack through a C __index", "for i = 1, 1e9 do table.unpack(setmetatable({}, {__index = rawlen}), 1, 1e5) end"},
    {"table.sort of 2^31 invented elements",
     "table.sort(setmetatable({}, {__len = function() return (1 << 31) - 2 end, __index = rawlen, __newindex = rawequal}))"},
    {"gmatch iterator resumed in a coroutine",
     "local it = string.gmatch(string.rep('a', 3000), 'a-a-a-b')\n"
     "local co = coroutine.wrap(function() return it() end) return co()"},
    {"sorted pairs over many keys, again and again",
     "local t = {} for i = 1, 2e5 do t[i * 7 % 200003] = i end\n"
     "for i = 1, 1e6 do for k in pairs(t) do break end end"},
    {NULL, NULL}};

static void test_limits(void) {
    lua_State *L = sandbox();
    for (int i = 0; instant[i].name; i++) {
        int64_t t0 = hl_now_ns();
        run(L, instant[i].name, strlen(instant[i].name), "=instant", 1000000, 10);
        double s = (double)(hl_now_ns() - t0) / 1e9;
        const char *got = lua_tostring(L, -1);
        if (got == NULL || strstr(got, instant[i].src) == NULL) fail(instant[i].name, got ? got : "(no text)");
        else if (s > 0.1) fail(instant[i].name, "took more than 0.1 s");
        else printf("ok: at once: %s -> %s\n", instant[i].name, got);
        lua_settop(L, 0);
    }
    for (int i = 0; attacks[i].name; i++) {
        int64_t t0 = hl_now_ns();
        int status = run(L, attacks[i].src, strlen(attacks[i].src), "=attack", 20000000, 10);
        double s = (double)(hl_now_ns() - t0) / 1e9;
        const char *msg = status == LUA_OK ? "(it ended normally)" : lua_tostring(L, -1);
        if (msg == NULL) msg = "(no message)";
        if (strstr(msg, "instruction limit exceeded") == NULL) fail(attacks[i].name, msg);
        else if (s > 5) fail(attacks[i].name, "took more than 5 s");
        else printf("ok: limit: %-45s %.3f s\n", attacks[i].name, s);
        lua_settop(L, 0);
        if (run(L, "return ('ok'):rep(2)", 20, "=after", 1000000, 10) != LUA_OK ||
            strcmp(lua_tostring(L, -1), "okok") != 0)
            fail(attacks[i].name, "the state does not work after the limit");
        lua_settop(L, 0);
    }
    /* With no budget at all, the deadline stops a match too. */
    int64_t t0 = hl_now_ns();
    const char *src = "return string.find(string.rep('a', 5000), 'a*a*a*a*c')";
    int status = run(L, src, strlen(src), "=deadline", INT64_MAX, 0.3);
    double s = (double)(hl_now_ns() - t0) / 1e9;
    if (status == LUA_OK || strstr(lua_tostring(L, -1), "time limit exceeded") == NULL || s > 1.5)
        fail("deadline inside a match", status == LUA_OK ? "ended normally" : lua_tostring(L, -1));
    else
        printf("ok: limit: %-45s %.3f s\n", "the deadline, inside a match", s);
    /* Without a budget, a charge of about 2^62 steps must not overflow the counters. */
    src = "local t = setmetatable({}, {__len = function() return 1 << 62 end}) table.sort(t)";
    status = run(L, src, strlen(src), "=huge", INT64_MAX, 10);
    if (status == LUA_OK || strstr(lua_tostring(L, -1), "array too big") == NULL)
        fail("a huge charge without a budget", status == LUA_OK ? "ended normally" : lua_tostring(L, -1));
    else
        printf("ok: limit: %-45s %s\n", "a huge charge without a budget", "array too big");
    hl_close(L);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "Tests/CShim";
    if (argc > 2) { /* cshim-tests DIR 'source': runs one chunk in the sandbox, for debugging */
        lua_State *L = sandbox();
        int status = run(L, argv[2], strlen(argv[2]), "=arg", 100000000, 10);
        printf("%s: %s\n", status == LUA_OK ? "ok" : "error", luaL_tolstring(L, -1, NULL));
        hl_close(L);
        return status != LUA_OK;
    }
    test_oracle(dir);
    test_print();
    test_limits();
    if (failures) {
        fprintf(stderr, "%d test(s) failed\n", failures);
        return 1;
    }
    printf("all C shim tests passed\n");
    return 0;
}
