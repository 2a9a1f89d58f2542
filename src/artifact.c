/* artifact.c - untagged content of a page's content stream marked as
 * artifacts (ISO 32000-1 §14.8.2.2), read with the lexical rules of
 * §7.2 and the graphics objects of §8.2 (Figure 9); and the zlib
 * streams it comes in. */
#include "artifact.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#include "arena.h"
#include "error.h"

static bool
is_white(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
           c == '\0';
}

static bool
is_delim(char c)
{
    return c != '\0' && strchr("()<>[]{}/%", c) != NULL;
}

enum { TK_OPERAND, TK_OPERATOR, TK_OPEN, TK_CLOSE };

typedef struct lexer {
    const char *s;
    size_t      len, pos;
} lexer;

/* The string at s[pos] == '(' whose parentheses balance (escapes
 * skipped): the offset past it, or 0 when it does not end. */
static size_t
string_end(const lexer *lx, size_t pos)
{
    int depth = 0;

    for (size_t i = pos; i < lx->len; i++) {
        if (lx->s[i] == '\\')
            i++;
        else if (lx->s[i] == '(')
            depth++;
        else if (lx->s[i] == ')' && --depth == 0)
            return i + 1;
    }
    return 0;
}

/* The next token into [*a, *b) and its kind; 0 at the end, -1 for bytes
 * that do not lex. */
static int
next_token(lexer *lx, size_t *a, size_t *b, int *kind)
{
    const char *s = lx->s;
    size_t i = lx->pos;

    for (;;) {
        while (i < lx->len && is_white(s[i]))
            i++;
        if (i < lx->len && s[i] == '%') {
            while (i < lx->len && s[i] != '\n' && s[i] != '\r')
                i++;
            continue;
        }
        break;
    }
    if (i >= lx->len)
        return 0;
    *a = i;
    *kind = TK_OPERAND;
    switch (s[i]) {
    case '(':
        if ((i = string_end(lx, i)) == 0)
            return -1;
        break;
    case '<':
        if (i + 1 < lx->len && s[i + 1] == '<') {
            *kind = TK_OPEN;
            i += 2;
            break;
        }
        while (i < lx->len && s[i] != '>')
            i++;
        if (i++ >= lx->len)
            return -1;
        break;
    case '>':
        if (i + 1 >= lx->len || s[i + 1] != '>')
            return -1;
        *kind = TK_CLOSE;
        i += 2;
        break;
    case '[': case '{':
        *kind = TK_OPEN;
        i++;
        break;
    case ']': case '}':
        *kind = TK_CLOSE;
        i++;
        break;
    case ')':
        return -1;
    default:                    /* a name, a number, a keyword */
        i++;
        while (i < lx->len && !is_white(s[i]) && !is_delim(s[i]))
            i++;
        if (s[*a] != '/' && !strchr("+-.0123456789", s[*a]) &&
            !(i - *a == 4 && (memcmp(s + *a, "true", 4) == 0 ||
                              memcmp(s + *a, "null", 4) == 0)) &&
            !(i - *a == 5 && memcmp(s + *a, "false", 5) == 0))
            *kind = TK_OPERATOR;
        break;
    }
    *b = i;
    lx->pos = i;
    return 1;
}

/* The end of inline image data that starts at 'pos' (after "ID" and
 * its white space): past the "EI" that follows white space and ends a
 * token; 0 when there is none. */
static size_t
image_end(const lexer *lx, size_t pos)
{
    for (size_t i = pos; i + 2 <= lx->len; i++)
        if (lx->s[i] == 'E' && lx->s[i + 1] == 'I' && i > 0 &&
            is_white(lx->s[i - 1]) &&
            (i + 2 == lx->len || is_white(lx->s[i + 2]) ||
             is_delim(lx->s[i + 2])))
            return i + 2;
    return 0;
}

typedef struct span {
    size_t a, b;
} span;

typedef OC_VEC(span) spanvec;

/* What the scan of a stream knows. */
typedef struct scan {
    oc_arena *arena;
    spanvec   wraps;            /* to mark, in order */
    spanvec   shows;            /* text shown outside marked content in
                                   the open text object */
    OC_VEC(bool) mc;            /* the open marked content: whether
                                   each is tagged (an MCID, an artifact) */
    size_t    tagged;           /* how many of them are */
    bool      in_text;
    size_t    bt;               /* where the text object begins */
    bool      bt_top;           /* it began outside marked content */
    size_t    bt_depth;         /* the marked content open at its start */
    bool      bt_marked;        /* tagged content opens in it, or what
                                   was open at its start ends in it */
    size_t    path;             /* where the open path began; SIZE_MAX */
} scan;

static bool
op_is(const char *s, size_t a, size_t b, const char *name)
{
    return b - a == strlen(name) && memcmp(s + a, name, b - a) == 0;
}

static bool
op_in(const char *s, size_t a, size_t b, const char *const *names)
{
    for (size_t i = 0; names[i] != NULL; i++)
        if (op_is(s, a, b, names[i]))
            return true;
    return false;
}

/* Whether bytes [a, b) of 's' hold 'needle'. */
static bool
holds(const char *s, size_t a, size_t b, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = a; i + n <= b; i++)
        if (memcmp(s + i, needle, n) == 0)
            return true;
    return false;
}

static void
wrap(scan *sc, spanvec *v, size_t a, size_t b)
{
    *OC_VEC_PUSH(sc->arena, v) = (span){ a, b };
}

/* Operator [a, b), its operands from 'from': what it opens, closes or
 * paints. Returns false for marked content that does not balance. */
static bool
operator(scan *sc, const char *s, size_t from, size_t a, size_t b)
{
    static const char *const shows[] = { "Tj", "TJ", "'", "\"", NULL };
    static const char *const builds[] = { "m", "l", "c", "v", "y", "h",
                                          "re", NULL };
    static const char *const paints[] = { "S", "s", "f", "F", "f*", "B",
                                          "B*", "b", "b*", NULL };

    if (op_is(s, a, b, "BMC") || op_is(s, a, b, "BDC")) {
        /* Content is tagged when it has an MCID (a structure element's)
         * or is an artifact; a span that only gives its text
         * (/ActualText) is neither. */
        bool tagged = holds(s, from, a, "/MCID") ||
                      holds(s, from, a, "/Artifact");

        *OC_VEC_PUSH(sc->arena, &sc->mc) = tagged;
        sc->tagged += tagged;
        sc->bt_marked |= sc->in_text && tagged;
    } else if (op_is(s, a, b, "EMC")) {
        if (sc->mc.n == 0)
            return false;
        sc->tagged -= sc->mc.v[--sc->mc.n];
        sc->bt_marked |= sc->in_text && sc->mc.n < sc->bt_depth;
    } else if (op_is(s, a, b, "BT")) {
        sc->in_text = true;
        sc->bt = a;
        sc->bt_top = sc->tagged == 0;
        sc->bt_depth = sc->mc.n;
        sc->bt_marked = false;
        sc->shows.n = 0;
    } else if (op_is(s, a, b, "ET") && sc->in_text) {
        sc->in_text = false;
        if (sc->bt_top && !sc->bt_marked && sc->mc.n == sc->bt_depth &&
            sc->shows.n > 0)
            wrap(sc, &sc->wraps, sc->bt, b);
        else
            for (size_t i = 0; i < sc->shows.n; i++)
                wrap(sc, &sc->wraps, sc->shows.v[i].a, sc->shows.v[i].b);
    } else if (op_in(s, a, b, shows)) {
        if (sc->in_text && sc->tagged == 0)
            wrap(sc, &sc->shows, from, b);
    } else if (op_in(s, a, b, builds)) {
        if (sc->path == SIZE_MAX)
            sc->path = from;
    } else if (op_in(s, a, b, paints)) {
        if (sc->tagged == 0)
            wrap(sc, &sc->wraps, sc->path != SIZE_MAX ? sc->path : from, b);
        sc->path = SIZE_MAX;
    } else if (op_is(s, a, b, "n")) {
        sc->path = SIZE_MAX;
    } else if (op_is(s, a, b, "Do") || op_is(s, a, b, "sh")) {
        if (sc->tagged == 0)
            wrap(sc, &sc->wraps, from, b);
    }
    return true;
}

/* Scan the stream for what to mark; false when it does not read. */
static bool
scan_stream(scan *sc, const char *s, size_t len)
{
    lexer lx = { s, len, 0 };
    size_t a = 0, b = 0, from = SIZE_MAX;
    long nest = 0;
    int kind, r;

    while ((r = next_token(&lx, &a, &b, &kind)) > 0) {
        if (from == SIZE_MAX)
            from = a;
        if (kind == TK_OPEN || kind == TK_CLOSE) {
            nest += kind == TK_OPEN ? 1 : -1;
            if (nest < 0)
                return false;
            continue;
        }
        if (kind != TK_OPERATOR || nest > 0)
            continue;
        if (op_is(s, a, b, "BI")) {     /* BI ... ID data EI */
            size_t img = a, end;

            while ((r = next_token(&lx, &a, &b, &kind)) > 0 &&
                   !(kind == TK_OPERATOR && op_is(s, a, b, "ID")))
                ;
            if (r <= 0 || (end = image_end(&lx, b + 1)) == 0)
                return false;
            lx.pos = end;
            if (sc->tagged == 0)
                wrap(sc, &sc->wraps, img, end);
        } else if (!operator(sc, s, from, a, b)) {
            return false;
        }
        from = SIZE_MAX;
    }
    return r == 0 && nest == 0 && sc->mc.n == 0 && !sc->in_text;
}

long
oc_mark_artifacts(const char *in, size_t len, oc_buf *out)
{
    scan sc = { .arena = oc_arena_new(), .path = SIZE_MAX };
    size_t at = 0;
    long n = -1;

    if (scan_stream(&sc, in, len)) {
        for (size_t i = 0; i < sc.wraps.n; i++) {
            const span *w = &sc.wraps.v[i];

            oc_buf_put(out, in + at, w->a - at);
            oc_buf_puts(out, "/Artifact BMC\n");
            oc_buf_put(out, in + w->a, w->b - w->a);
            oc_buf_puts(out, "\nEMC");
            at = w->b;
        }
        oc_buf_put(out, in + at, len - at);
        n = (long)sc.wraps.n;
    }
    oc_arena_free(sc.arena);
    return n;
}

/* libdeflate's, which is twice zlib's speed or more at either end. */
oc_status
oc_inflate(const char *in, size_t len, oc_buf *out, oc_error *err)
{
    struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
    enum libdeflate_result r = LIBDEFLATE_INSUFFICIENT_SPACE;
    size_t room = len * 4 + 4096, got = 0;

    if (z == NULL)
        oc_out_of_memory(sizeof z);
    /* The size inflated is not told: a guess, doubled until it holds. */
    while (r == LIBDEFLATE_INSUFFICIENT_SPACE && room < ((size_t)1 << 40)) {
        oc_buf_reserve(out, room);
        r = libdeflate_zlib_decompress(z, in, len, out->data + out->len, room,
                                       &got);
        room *= 2;
    }
    libdeflate_free_decompressor(z);
    if (r != LIBDEFLATE_SUCCESS) {
        out->data[out->len] = '\0';
        return oc_error_set(err, OC_ERR_LIB, NULL, 0, 0, "zlib: %s",
                            "bad data");
    }
    out->len += got;
    out->data[out->len] = '\0';
    return OC_OK;
}

void
oc_zlib_pack(const void *in, size_t len, int level, oc_buf *out)
{
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(level);
    size_t bound;

    if (z == NULL)
        oc_out_of_memory(sizeof z);
    bound = libdeflate_zlib_compress_bound(z, len);
    oc_buf_reserve(out, bound);
    out->len += libdeflate_zlib_compress(z, in, len, out->data + out->len,
                                         bound);
    out->data[out->len] = '\0';
    libdeflate_free_compressor(z);
}

oc_status
oc_deflate(const char *in, size_t len, oc_buf *out, oc_error *err)
{
    (void)err;
    oc_zlib_pack(in, len, 6, out);
    return OC_OK;
}
