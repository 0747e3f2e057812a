#ifndef HYPERLAB_HL_PATTERN_H
#define HYPERLAB_HL_PATTERN_H
/* The sandbox's Lua-pattern matcher (Lua 5.4 manual §6.4.1), written for HyperLab: a
   backtracking matcher like the stock one, whose every step is counted and charged to
   the instruction budget, so a pathological pattern ends with "instruction limit
   exceeded" (or the deadline) instead of holding a worker. */
#include "hl_internal.h"

#define HL_MAXCAPTURES 32       /* as LUA_MAXCAPTURES */
#define HL_MAXDEPTH 200         /* nested items before "pattern too complex", as MAXCCALLS */
#define HL_CAP_OPEN (-1)        /* a capture whose ')' has not been reached */
#define HL_CAP_POSITION (-2)    /* a position capture, "()" */
#define HL_STEP_BATCH 4096      /* steps counted locally between two charges */
/* Instructions charged per step of the matcher (one attempt of one pattern item): a step
   takes about as long as this many VM instructions (measured: 5-8 ns against 1.5-2 ns).
   Characters a quantifier or %b scans cost one each. */
#define HL_STEP_COST 4

typedef struct hl_matcher {
    lua_State *L;
    const char *src, *src_end;  /* the subject */
    const char *pat, *pat_end;  /* the pattern, without a leading anchor */
    int depth_left;
    int ncap;
    int64_t steps;              /* counted since the last charge */
    struct {
        const char *start;
        ptrdiff_t len;          /* or HL_CAP_OPEN, HL_CAP_POSITION */
    } cap[HL_MAXCAPTURES];
} hl_matcher;

void hl_matcher_init(hl_matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp);
/* The end of a match of the whole pattern starting exactly at s, or NULL. Captures are
   left in m. Raises for a malformed pattern or when a limit is reached. */
const char *hl_match_at(hl_matcher *m, const char *s);
/* Charges the steps counted so far. */
void hl_matcher_flush(hl_matcher *m);
/* Adds n steps of work done outside the matcher (copying, scanning). */
void hl_matcher_count(hl_matcher *m, int64_t n);
/* Pushes capture i of the match s..e (the whole match when there are no captures and
   i is 0). Position captures are integers. */
void hl_push_capture(hl_matcher *m, int i, const char *s, const char *e);
/* Pushes every capture, or the whole match when there are none and s is not NULL;
   returns how many values were pushed. */
int hl_push_captures(hl_matcher *m, const char *s, const char *e);
/* The text of capture i: its length, or HL_CAP_POSITION for a position capture. */
ptrdiff_t hl_capture_text(hl_matcher *m, int i, const char *s, const char *e, const char **text);

#endif
