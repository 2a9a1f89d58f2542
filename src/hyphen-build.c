/* hyphen-build.c - a pattern file's text -> libhyphen's HyphenDict.
 *
 * The automaton is a trie of the patterns' bytes: a state for every
 * prefix of a pattern, a transition for every next byte, and at a state
 * where a pattern ends its digits ('match', leading zeros dropped). A
 * state's fallback is the state of its longest proper suffix that is a
 * state too ("" is state 0), found breadth first as Aho and Corasick do,
 * from the fallbacks of the shorter states. libhyphen finds the same
 * states by looking up every suffix of every state in its hash table.
 * State numbers and the order of a state's transitions differ from
 * libhyphen's; neither changes what a word's hyphenation is. Unlike
 * libhyphen's, a level's transitions and strings are one block. */
#include "hyphen-build.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

/* A transition while the automaton is built: a state's transitions are
 * a list through one array, and the patterns' digits and replacements
 * are in one pool, where a state's 'match' and 'repl' hold their offset
 * plus one (0: none) until the level is packed (pack): German's 78,000
 * patterns make 290,000 states, whose own mallocs and reallocs were
 * half of the time building them and half of the memory they kept. */
typedef struct link {
    char ch;
    int  to;
    int  next;              /* the state's next transition, or -1 */
} link;

typedef struct level {
    HyphenDict *d;
    int         cap;        /* states allocated */
    link       *links;
    int         nlinks, caplinks;
    int        *first, *last;   /* per state: its list, -1 if empty */
    oc_buf      pool;
} level;

static void
level_init(level *l, const char *cset, int utf8)
{
    HyphenDict *d = oc_xcalloc(1, sizeof *d);

    snprintf(d->cset, sizeof d->cset, "%s", cset);
    d->utf8 = utf8;
    memset(l, 0, sizeof *l);
    l->d = d;
    l->cap = 64;
    d->states = oc_xcalloc((size_t)l->cap, sizeof *d->states);
    d->states[0].fallback_state = -1;
    d->num_states = 1;
    l->first = oc_xmalloc((size_t)l->cap * sizeof *l->first);
    l->last = oc_xmalloc((size_t)l->cap * sizeof *l->last);
    l->first[0] = l->last[0] = -1;
}

/* String s into the pool, as the offset plus one that stands for it. */
static char *
pooled(level *l, const char *s)
{
    size_t at = l->pool.len;

    oc_buf_put(&l->pool, s, strlen(s) + 1);
    return (char *)(uintptr_t)(at + 1);
}

/* The state reached from 'from' by byte ch while building, or -1. */
static int
next_link(const level *l, int from, char ch)
{
    for (int k = l->first[from]; k >= 0; k = l->links[k].next)
        if (l->links[k].ch == ch)
            return l->links[k].to;
    return -1;
}

/* The state reached from 'from' by byte ch, or -1. */
static int
next_state(const HyphenState *s, char ch)
{
    for (int k = 0; k < s->num_trans; k++)
        if (s->trans[k].ch == ch)
            return s->trans[k].new_state;
    return -1;
}

/* The state reached from 'from' by ch, made (with its transition) if new. */
static int
grow(level *l, int from, char ch)
{
    HyphenDict *d = l->d;
    int to = next_link(l, from, ch);
    link *k;

    if (to >= 0)
        return to;
    if (d->num_states == l->cap) {
        l->cap *= 2;
        d->states = oc_xrealloc(d->states,
                                (size_t)l->cap * sizeof *d->states);
        l->first = oc_xrealloc(l->first, (size_t)l->cap * sizeof *l->first);
        l->last = oc_xrealloc(l->last, (size_t)l->cap * sizeof *l->last);
    }
    to = d->num_states++;
    memset(&d->states[to], 0, sizeof d->states[to]);
    d->states[to].fallback_state = -1;
    l->first[to] = l->last[to] = -1;
    if (l->nlinks == l->caplinks) {
        l->caplinks = l->caplinks ? 2 * l->caplinks : 1024;
        l->links = oc_xrealloc(l->links,
                               (size_t)l->caplinks * sizeof *l->links);
    }
    k = &l->links[l->nlinks];
    k->ch = ch;
    k->to = to;
    k->next = -1;
    if (l->last[from] >= 0)
        l->links[l->last[from]].next = l->nlinks;
    else
        l->first[from] = l->nlinks;
    l->last[from] = l->nlinks++;
    d->states[from].num_trans++;
    return to;
}

/* The value after keyword 'kw' on line 's', as atoi reads it. */
static bool
keyword(const char *s, const char *kw, char *value)
{
    size_t n = strlen(kw);

    if (strncmp(s, kw, n) != 0)
        return false;
    *value = (char)atoi(s + n);
    return true;
}

/* NOHYPHEN's list: what follows the keyword and its blanks, its last byte
 * (the newline) cut, split at commas (not at its first byte). */
static void
no_hyphen(HyphenDict *d, const char *s)
{
    s += strlen("NOHYPHEN");
    while (*s == ' ' || *s == '\t')
        s++;
    free(d->nohyphen);
    d->nohyphen = NULL;
    d->nohyphenl = 0;
    if (*s == '\0')
        return;
    d->nohyphen = oc_xstrdup(s);
    {
        char *end = d->nohyphen + strlen(d->nohyphen) - 1;

        *end = '\0';
        for (char *p = end - 1; p > d->nohyphen; p--) {
            if (*p == ',') {
                *p = '\0';
                d->nohyphenl++;
            }
        }
    }
}

/* A replacement's byte offset and length from its character ones, in a
 * UTF-8 pattern of letters 'word'. */
static void
repl_bytes(const char *word, signed char *index, signed char *cut)
{
    int chars = -1, first = -1;
    size_t n = strlen(word);

    for (size_t b = word[0] == '.'; b <= n; b++) {
        if (((unsigned char)word[b] >> 6) != 2)
            chars++;
        if (first < 0 && *index == chars) {
            first = *index;
            *index = (signed char)b;
        }
        if (first >= 0 && chars - first == *cut) {
            *cut = (signed char)(b - (size_t)*index);
            break;
        }
    }
    if (word[0] == '.')
        (*index)--;
}

/* One line of the file, with its newline, as libhyphen reads it. */
static void
add_line(level *l, char *s)
{
    HyphenDict *d = l->d;
    HyphenState *st;
    char word[MAX_CHARS], digits[MAX_CHARS];
    char *repl, *cut_at;
    signed char index = 0, cut = 0;
    int j = 0, state = 0;
    size_t skip = 0;

    /* The keywords, which start with one of these letters. */
    if (s[0] != '\0' && strchr("LRCN", s[0]) != NULL) {
        if (keyword(s, "LEFTHYPHENMIN", &d->lhmin) ||
            keyword(s, "RIGHTHYPHENMIN", &d->rhmin) ||
            keyword(s, "COMPOUNDLEFTHYPHENMIN", &d->clhmin) ||
            keyword(s, "COMPOUNDRIGHTHYPHENMIN", &d->crhmin))
            return;
        if (strncmp(s, "NOHYPHEN", 8) == 0) {
            no_hyphen(d, s);
            return;
        }
    }
    /* "pattern/replacement,index,cut": index counts from 1, in
     * characters; without them the replacement is of the whole
     * pattern, its length counted in bytes with the digits. */
    if ((repl = strchr(s, '/')) != NULL) {
        *repl++ = '\0';
        if ((cut_at = strchr(repl, ',')) != NULL) {
            char *c2;

            *cut_at++ = '\0';
            if ((c2 = strchr(cut_at, ',')) != NULL) {
                *c2++ = '\0';
                index = (signed char)(atoi(cut_at) - 1);
                cut = (signed char)atoi(c2);
            }
        } else {
            repl[strcspn(repl, "\r\n")] = '\0';
            cut = (signed char)strlen(s);
        }
    }
    digits[0] = '0';
    for (size_t i = 0; (unsigned char)s[i] > ' ' && j < MAX_CHARS - 2; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            digits[j] = s[i];
        } else {
            word[j] = s[i];
            digits[++j] = '0';
        }
    }
    word[j] = '\0';
    digits[j + 1] = '\0';
    if (repl == NULL) {
        while (digits[skip] == '0')
            skip++;
    } else {
        skip = word[0] == '.';
        if (d->utf8)
            repl_bytes(word, &index, &cut);
    }
    for (int k = 0; k < j; k++)
        state = grow(l, state, word[k]);
    st = &d->states[state];
    st->match = pooled(l, digits + skip);
    st->repl = repl != NULL ? pooled(l, repl) : NULL;
    st->replindex = index;
    st->replcut = cut ? cut : (signed char)strlen(word);
}

/* Every state's fallback, breadth first: a state reached by ch from s
 * falls back to where ch leads from s's fallback, or from its fallback's,
 * and so on; to "" if from none. */
static void
set_fallbacks(HyphenDict *d)
{
    int *queue = oc_xmalloc((size_t)d->num_states * sizeof *queue);
    int head = 0, tail = 0;

    queue[tail++] = 0;
    while (head < tail) {
        const HyphenState *s = &d->states[queue[head++]];

        for (int k = 0; k < s->num_trans; k++) {
            int to = s->trans[k].new_state, f = s->fallback_state, g = -1;

            while (f >= 0 && (g = next_state(&d->states[f],
                                             s->trans[k].ch)) < 0)
                f = d->states[f].fallback_state;
            d->states[to].fallback_state = g >= 0 ? g : 0;
            queue[tail++] = to;
        }
    }
    free(queue);
}

/* Lines from *at up to 'end' into level l, until NEXTLEVEL (true) or the
 * end (false). */
static bool
add_lines(level *l, const char **at, const char *end)
{
    char line[MAX_CHARS + 1];

    while (*at < end) {
        const char *s = *at, *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);

        *at = s + n;
        if (n - (nl != NULL) >= MAX_CHARS - 1)
            continue;                   /* too long for libhyphen */
        memcpy(line, s, n);
        line[n] = '\0';
        if (strncmp(line, "NEXTLEVEL", 9) == 0)
            return true;
        if (line[0] != '%')
            add_line(l, line);
    }
    return false;
}

static const char *const utf8_defaults[] = {
    "NOHYPHEN ',\xe2\x80\x93,\xe2\x80\x99,-\n", "1-1\n", "1'1\n",
    "1\xe2\x80\x93" "1\n", "1\xe2\x80\x99" "1\n",
};
static const char *const byte_defaults[] = {
    "NOHYPHEN ',-\n", "1-1\n", "1'1\n",
};

/* Level l packed as libhyphen reads it: each state's transitions (in the
 * order they were made) an array, all of them in one block with the
 * pool's strings after them, which state 0's transitions start
 * (oc_hyphen_build_free); the states' array cut to its length. */
static void
pack(level *l)
{
    HyphenDict *d = l->d;
    HyphenTrans *t = oc_xmalloc((size_t)l->nlinks * sizeof *t +
                                l->pool.len + 1);
    char *str = (char *)(t + l->nlinks);

    if (l->pool.len > 0)
        memcpy(str, l->pool.data, l->pool.len);
    for (int i = 0; i < d->num_states; i++) {
        HyphenState *st = &d->states[i];

        st->trans = t;
        for (int k = l->first[i]; k >= 0; k = l->links[k].next) {
            t->ch = l->links[k].ch;
            t->new_state = l->links[k].to;
            t++;
        }
        if (st->match != NULL)
            st->match = str + ((uintptr_t)st->match - 1);
        if (st->repl != NULL)
            st->repl = str + ((uintptr_t)st->repl - 1);
    }
    d->states = oc_xrealloc(d->states,
                            (size_t)d->num_states * sizeof *d->states);
    free(l->links);
    free(l->first);
    free(l->last);
    oc_buf_free(&l->pool);
}

void
oc_hyphen_build_free(HyphenDict *d)
{
    while (d != NULL) {
        HyphenDict *next = d->nextlevel;

        free(d->states[0].trans);
        free(d->states);
        free(d->nohyphen);
        free(d);
        d = next;
    }
}

HyphenDict *
oc_hyphen_build(const char *text, size_t len)
{
    const char *at = text, *end = text + len;
    const char *nl = memchr(text, '\n', len);
    char cset[MAX_NAME] = "";
    size_t n = nl ? (size_t)(nl - text) : len;
    level first, second;
    bool two;

    /* The encoding: the first line, as much of it as fits. */
    memcpy(cset, text, n < MAX_NAME - 1 ? n : MAX_NAME - 1);
    cset[strcspn(cset, "\r\n")] = '\0';
    at = n < MAX_NAME - 1 ? text + n + (nl != NULL) : text + MAX_NAME - 1;
    level_init(&first, cset, strcmp(cset, "UTF-8") == 0);
    level_init(&second, cset, first.d->utf8);
    two = add_lines(&first, &at, end);
    if (two) {
        add_lines(&second, &at, end);
    } else {
        /* libhyphen's first level: a break at hyphens and apostrophes. */
        size_t k = first.d->utf8 ? 5 : 3;

        for (size_t i = 0; i < k; i++) {
            char line[MAX_CHARS + 1];

            snprintf(line, sizeof line, "%s", first.d->utf8
                     ? utf8_defaults[i] : byte_defaults[i]);
            add_line(&second, line);
        }
    }
    pack(&first);
    pack(&second);
    set_fallbacks(first.d);
    set_fallbacks(second.d);
    if (two) {
        first.d->nextlevel = second.d;
        return first.d;
    }
    second.d->nextlevel = first.d;
    second.d->lhmin = first.d->lhmin;
    second.d->rhmin = first.d->rhmin;
    second.d->clhmin = first.d->clhmin ? first.d->clhmin
                     : first.d->lhmin ? first.d->lhmin : 3;
    second.d->crhmin = first.d->crhmin ? first.d->crhmin
                     : first.d->rhmin ? first.d->rhmin : 3;
    return second.d;
}
