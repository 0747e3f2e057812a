/* The pattern matcher itself: classes, sets, items, captures, %b, %f and back
   references, as §6.4.1 of the Lua 5.4 manual describes them. Every pattern item tried
   costs HL_STEP_COST and every character a quantifier or %b scans costs one; the cost
   is charged in batches, so the budget and the deadline are checked every
   HL_STEP_BATCH instructions' worth of work. */
#include <ctype.h>
#include <string.h>
#include "hl_pattern.h"

void hl_matcher_init(hl_matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    m->L = L;
    m->src = s;
    m->src_end = s + ls;
    m->pat = p;
    m->pat_end = p + lp;
    m->depth_left = HL_MAXDEPTH;
    m->ncap = 0;
    m->steps = 0;
}

void hl_matcher_flush(hl_matcher *m) {
    if (m->steps > 0) {
        int64_t n = m->steps;
        m->steps = 0;
        hl_charge(m->L, n);
    }
}

void hl_matcher_count(hl_matcher *m, int64_t n) {
    m->steps += n;
    if (m->steps >= HL_STEP_BATCH) hl_matcher_flush(m);
}

static inline void step(hl_matcher *m) {
    m->steps += HL_STEP_COST;
    if (m->steps >= HL_STEP_BATCH) hl_matcher_flush(m);
}

/* Does character c belong to class %cl? An upper-case class is the complement of its
   lower-case one; any other character after '%' stands for itself. */
static int in_class(int c, int cl) {
    int r;
    switch (tolower(cl)) {
    case 'a': r = isalpha(c); break;
    case 'c': r = iscntrl(c); break;
    case 'd': r = isdigit(c); break;
    case 'g': r = isgraph(c); break;
    case 'l': r = islower(c); break;
    case 'p': r = ispunct(c); break;
    case 's': r = isspace(c); break;
    case 'u': r = isupper(c); break;
    case 'w': r = isalnum(c); break;
    case 'x': r = isxdigit(c); break;
    case 'z': r = c == 0; break; /* Lua 5.1's %z, which the stock 5.4 library still accepts */
    default: return cl == c;
    }
    if (isupper(cl)) r = !r;
    return r != 0;
}

/* Does c belong to the set [ ... ] that starts at open ('[') and ends at close (']')? */
static int in_set(int c, const char *open, const char *close) {
    const char *p = open + 1;
    int member = 1;
    if (*p == '^') {
        member = 0;
        p++;
    }
    while (p < close) {
        if (*p == '%') {
            if (in_class(c, (unsigned char)p[1])) return member;
            p += 2;
        } else if (p[1] == '-' && p + 2 < close) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return member;
            p += 3;
        } else {
            if ((unsigned char)*p == c) return member;
            p++;
        }
    }
    return !member;
}

/* The end of the single-character class that starts at p: ".", "%x", "[set]" or a
   plain character. The first character of a set, even ']', belongs to it. */
static const char *class_end(hl_matcher *m, const char *p) {
    const char *end = m->pat_end;
    char c = *p++;
    if (c == '%') {
        if (p >= end) luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c != '[') return p;
    if (p < end && *p == '^') p++;
    for (;;) {
        if (p >= end) luaL_error(m->L, "malformed pattern (missing ']')");
        c = *p++;
        if (c == '%') {
            if (p >= end) luaL_error(m->L, "malformed pattern (missing ']')");
            p++;
        }
        if (p >= end) luaL_error(m->L, "malformed pattern (missing ']')");
        if (*p == ']') return p + 1;
    }
}

/* Does the character at s (if any) match the class p..ep? */
static int matches_one(hl_matcher *m, const char *s, const char *p, const char *ep) {
    if (s >= m->src_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case '%': return in_class(c, (unsigned char)p[1]);
    case '[': return in_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

static const char *match_here(hl_matcher *m, const char *s, const char *p);

/* x* and x+: take as many as possible, then give back one at a time. */
static const char *longest(hl_matcher *m, const char *s, const char *p, const char *ep) {
    ptrdiff_t n = 0;
    while (matches_one(m, s + n, p, ep)) n++;
    hl_matcher_count(m, n);
    for (; n >= 0; n--) {
        const char *r = match_here(m, s + n, ep + 1);
        if (r != NULL) return r;
    }
    return NULL;
}

/* x-: take as few as possible, one more at a time. */
static const char *shortest(hl_matcher *m, const char *s, const char *p, const char *ep) {
    for (;;) {
        const char *r = match_here(m, s, ep + 1);
        if (r != NULL) return r;
        if (!matches_one(m, s, p, ep)) return NULL;
        s++;
    }
}

/* %bxy at s; p points at x. */
static const char *balanced(hl_matcher *m, const char *s, const char *p) {
    if (p + 1 >= m->pat_end) luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->src_end || *s != p[0]) return NULL;
    const char open = p[0], close = p[1];
    const char *start = s;
    int depth = 1;
    while (++s < m->src_end) {
        if (*s == close) {
            if (--depth == 0) {
                hl_matcher_count(m, s - start);
                return s + 1;
            }
        } else if (*s == open) {
            depth++;
        }
    }
    hl_matcher_count(m, s - start);
    return NULL;
}

static int capture_index(hl_matcher *m, int digit) {
    int i = digit - '1';
    if (i < 0 || i >= m->ncap || m->cap[i].len == HL_CAP_OPEN)
        return luaL_error(m->L, "invalid capture index %%%d", i + 1);
    return i;
}

/* %1 to %9: the text of an earlier, closed capture again. */
static const char *same_as(hl_matcher *m, const char *s, int digit) {
    int i = capture_index(m, digit);
    size_t len = (size_t)m->cap[i].len; /* a position capture is huge here and never matches */
    if ((size_t)(m->src_end - s) >= len && memcmp(m->cap[i].start, s, len) == 0) {
        hl_matcher_count(m, (int64_t)len);
        return s + len;
    }
    return NULL;
}

static const char *open_capture(hl_matcher *m, const char *s, const char *p, ptrdiff_t kind) {
    if (m->ncap >= HL_MAXCAPTURES) luaL_error(m->L, "too many captures");
    m->cap[m->ncap].start = s;
    m->cap[m->ncap].len = kind;
    m->ncap++;
    const char *r = match_here(m, s, p);
    if (r == NULL) m->ncap--;
    return r;
}

static const char *close_capture(hl_matcher *m, const char *s, const char *p) {
    int i = m->ncap - 1;
    while (i >= 0 && m->cap[i].len != HL_CAP_OPEN) i--;
    if (i < 0) luaL_error(m->L, "invalid pattern capture");
    m->cap[i].len = s - m->cap[i].start;
    const char *r = match_here(m, s, p);
    if (r == NULL) m->cap[i].len = HL_CAP_OPEN;
    return r;
}

/* Matches the pattern from p on against the subject from s on. Items without a
   quantifier loop here; quantifiers, captures and '?' recurse for the rest. */
static const char *match_here(hl_matcher *m, const char *s, const char *p) {
    if (m->depth_left-- == 0) luaL_error(m->L, "pattern too complex");
    const char *end = m->pat_end;
    while (p < end) {
        step(m);
        switch (*p) {
        case '(':
            if (p + 1 < end && p[1] == ')') s = open_capture(m, s, p + 2, HL_CAP_POSITION);
            else s = open_capture(m, s, p + 1, HL_CAP_OPEN);
            goto out;
        case ')':
            s = close_capture(m, s, p + 1);
            goto out;
        case '$':
            if (p + 1 == end) {
                if (s != m->src_end) s = NULL;
                goto out;
            }
            break; /* a '$' elsewhere is a plain character */
        case '%':
            if (p + 1 >= end) break; /* class_end reports it */
            if (p[1] == 'b') {
                s = balanced(m, s, p + 2);
                if (s == NULL) goto out;
                p += 4;
                continue;
            }
            if (p[1] == 'f') {
                const char *set = p + 2;
                if (set >= end || *set != '[') luaL_error(m->L, "missing '[' after '%%f' in pattern");
                const char *after = class_end(m, set);
                hl_matcher_count(m, after - set); /* two set tests */
                int before = s == m->src ? 0 : (unsigned char)s[-1];
                int here = s < m->src_end ? (unsigned char)*s : 0;
                if (in_set(before, set, after - 1) || !in_set(here, set, after - 1)) {
                    s = NULL;
                    goto out;
                }
                p = after;
                continue;
            }
            if ((unsigned char)(p[1] - '0') <= 9) {
                s = same_as(m, s, p[1]);
                if (s == NULL) goto out;
                p += 2;
                continue;
            }
            break;
        default:
            break;
        }
        /* A single-character class, maybe followed by a quantifier. */
        const char *ep = class_end(m, p);
        char q = ep < end ? *ep : 0;
        if (!matches_one(m, s, p, ep)) {
            if (q == '*' || q == '?' || q == '-') { /* zero repetitions are fine */
                p = ep + 1;
                continue;
            }
            s = NULL;
            goto out;
        }
        switch (q) {
        case '?': {
            const char *r = match_here(m, s + 1, ep + 1);
            if (r != NULL) {
                s = r;
                goto out;
            }
            p = ep + 1;
            continue;
        }
        case '+': s = longest(m, s + 1, p, ep); goto out;
        case '*': s = longest(m, s, p, ep); goto out;
        case '-': s = shortest(m, s, p, ep); goto out;
        default:
            s++;
            p = ep;
            continue;
        }
    }
out:
    m->depth_left++;
    return s;
}

const char *hl_match_at(hl_matcher *m, const char *s) {
    m->ncap = 0;
    m->depth_left = HL_MAXDEPTH;
    return match_here(m, s, m->pat);
}

ptrdiff_t hl_capture_text(hl_matcher *m, int i, const char *s, const char *e, const char **text) {
    if (i >= m->ncap) {
        if (i != 0) luaL_error(m->L, "invalid capture index %%%d", i + 1);
        *text = s;
        return e - s;
    }
    ptrdiff_t len = m->cap[i].len;
    if (len == HL_CAP_OPEN) luaL_error(m->L, "unfinished capture");
    *text = m->cap[i].start;
    return len;
}

void hl_push_capture(hl_matcher *m, int i, const char *s, const char *e) {
    const char *text;
    ptrdiff_t len = hl_capture_text(m, i, s, e, &text);
    if (len == HL_CAP_POSITION) lua_pushinteger(m->L, (lua_Integer)(text - m->src) + 1);
    else lua_pushlstring(m->L, text, (size_t)len);
}

int hl_push_captures(hl_matcher *m, const char *s, const char *e) {
    int n = (m->ncap == 0 && s != NULL) ? 1 : m->ncap;
    luaL_checkstack(m->L, n, "too many captures");
    for (int i = 0; i < n; i++) hl_push_capture(m, i, s, e);
    return n;
}
