/* css.c - parse the CSS subset in styles/ and compute each element's style:
 * tokens per CSS Syntax Level 3 §4, rules and error recovery per §5,
 * selectors per Selectors Level 3, cascade and inheritance per CSS 2.1 §6,
 * @page per CSS Paged Media Level 3 and named strings per CSS GCPM 3. */
#include "css.h"

#include <libxml/tree.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

#define MAX_NESTING 32          /* at-rule blocks inside at-rule blocks */
#define MAX_LENGTH  1e6         /* points; larger computed values clamp */
#define MEDIUM      12.0        /* font-size: medium, in points */
#define XHTML_NS    "http://www.w3.org/1999/xhtml"
#define EPUB_NS     "http://www.idpf.org/2007/ops"
#define XML_NS      "http://www.w3.org/XML/1998/namespace"

/* ---- small helpers ---- */

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
ieq(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return *a == '\0' && *b == '\0';
}

static bool
ieqn(const char *a, size_t n, const char *b)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] == '\0' || lower((unsigned char)a[i]) !=
                            lower((unsigned char)b[i]))
            return false;
    return b[n] == '\0';
}

static char *
lower_dup(oc_arena *a, const char *s)
{
    char *d = oc_arena_strdup(a, s);

    for (char *p = d; *p; p++)
        *p = (char)lower((unsigned char)*p);
    return d;
}

static double
clampd(double v, double lo, double hi)
{
    if (!isfinite(v))
        return v > 0 ? hi : (v < 0 ? lo : 0);
    return v < lo ? lo : (v > hi ? hi : v);
}

static uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#define HASH_SEED 0xcbf29ce484222325ull

/* ---- string map (open addressing, arena memory) ---- */

typedef struct smap_ent {
    const char *key;
    size_t      len;
    uint64_t    hash;
    void       *val;
} smap_ent;

typedef struct smap {
    smap_ent *e;
    size_t    cap, n;
} smap;

/* The value slot for key[0..len), created (NULL) when 'create'; NULL when
 * absent and not created. */
static void **
smap_slot(oc_arena *a, smap *m, const char *key, size_t len, bool create)
{
    uint64_t h = hash_bytes(HASH_SEED, key, len);
    size_t i;

    if (m->cap == 0) {
        if (!create)
            return NULL;
        m->cap = 16;
        m->e = oc_arena_alloc(a, m->cap * sizeof *m->e);
    }
    for (i = h & (m->cap - 1); m->e[i].key; i = (i + 1) & (m->cap - 1))
        if (m->e[i].hash == h && m->e[i].len == len &&
            memcmp(m->e[i].key, key, len) == 0)
            return &m->e[i].val;
    if (!create)
        return NULL;
    if ((m->n + 1) * 2 > m->cap) {
        smap bigger = {oc_arena_alloc(a, m->cap * 2 * sizeof *m->e),
                       m->cap * 2, m->n};

        for (size_t k = 0; k < m->cap; k++) {
            size_t j;

            if (!m->e[k].key)
                continue;
            j = m->e[k].hash & (bigger.cap - 1);
            while (bigger.e[j].key)
                j = (j + 1) & (bigger.cap - 1);
            bigger.e[j] = m->e[k];
        }
        *m = bigger;
        for (i = h & (m->cap - 1); m->e[i].key; i = (i + 1) & (m->cap - 1))
            ;
    }
    m->e[i].key = oc_arena_strndup(a, key, len);
    m->e[i].len = len;
    m->e[i].hash = h;
    m->n++;
    return &m->e[i].val;
}

/* ---- tokens (CSS Syntax 3 §4) ---- */

typedef enum tok_type {
    T_EOF, T_WS, T_IDENT, T_FUNCTION, T_AT, T_HASH, T_STRING, T_BAD_STRING,
    T_URL, T_BAD_URL, T_DELIM, T_NUMBER, T_PERCENT, T_DIMENSION,
    T_CDO, T_CDC, T_COLON, T_SEMI, T_COMMA, T_LBRACKET, T_RBRACKET,
    T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE
} tok_type;

typedef struct tok {
    tok_type    type;
    bool        id;         /* HASH: the name would start an identifier */
    int         line, col;
    uint32_t    delim;      /* DELIM: the code point */
    double      num;        /* NUMBER, PERCENT, DIMENSION */
    const char *s;          /* IDENT, FUNCTION, AT, HASH, STRING, URL:
                               the value; DIMENSION: the unit */
} tok;

typedef struct lexer {
    const int32_t *cp;      /* code points after preprocessing; -1 = EOF */
    size_t         n, i;
    int            line, col;
} lexer;

static int32_t
at(const lexer *lx, size_t k)
{
    return lx->i + k < lx->n ? lx->cp[lx->i + k] : -1;
}

static void
adv(lexer *lx)
{
    if (lx->i >= lx->n)
        return;
    if (lx->cp[lx->i] == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->i++;
}

static bool
is_ws(int32_t c)
{
    return c == '\n' || c == '\t' || c == ' ';
}

static bool
is_digit(int32_t c)
{
    return c >= '0' && c <= '9';
}

static int
hex_val(int32_t c)
{
    return c >= 0 && c < 128 ? oc_hex_digit((int)c) : -1;
}

static bool
is_name_start(int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80;
}

static bool
is_name(int32_t c)
{
    return is_name_start(c) || is_digit(c) || c == '-';
}

static bool
valid_escape(int32_t a, int32_t b)
{
    return a == '\\' && b != '\n';
}

static bool
starts_ident(int32_t a, int32_t b, int32_t c)
{
    if (a == '-')
        return is_name_start(b) || b == '-' || valid_escape(b, c);
    if (a == '\\')
        return valid_escape(a, b);
    return is_name_start(a);
}

static bool
starts_number(int32_t a, int32_t b, int32_t c)
{
    if (a == '+' || a == '-')
        return is_digit(b) || (b == '.' && is_digit(c));
    if (a == '.')
        return is_digit(b);
    return is_digit(a);
}

static void
buf_clear(oc_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void
put_cp(oc_buf *b, uint32_t c)
{
    char u[4];
    size_t n;

    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    oc_buf_put(b, u, n);
}

/* §4.3.7, after the backslash. */
static uint32_t
consume_escape(lexer *lx)
{
    int32_t c = at(lx, 0);
    uint32_t v = 0;

    if (c < 0)
        return 0xFFFD;
    if (hex_val(c) < 0) {
        adv(lx);
        return (uint32_t)c;
    }
    for (int k = 0; k < 6 && hex_val(at(lx, 0)) >= 0; k++) {
        v = v * 16 + (uint32_t)hex_val(at(lx, 0));
        adv(lx);
    }
    if (is_ws(at(lx, 0)))
        adv(lx);
    if (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
        v = 0xFFFD;
    return v;
}

static void
consume_name(lexer *lx, oc_buf *b)
{
    buf_clear(b);
    for (;;) {
        int32_t c = at(lx, 0);

        if (is_name(c)) {
            put_cp(b, (uint32_t)c);
            adv(lx);
        } else if (valid_escape(c, at(lx, 1))) {
            adv(lx);
            put_cp(b, consume_escape(lx));
        } else {
            return;
        }
    }
}

/* §4.3.12 and §4.3.13, without strtod (which follows the locale). */
static double
consume_number(lexer *lx)
{
    double sign = 1, v = 0, scale = 1;
    int e = 0, esign = 1;

    if (at(lx, 0) == '+' || at(lx, 0) == '-') {
        sign = at(lx, 0) == '-' ? -1 : 1;
        adv(lx);
    }
    while (is_digit(at(lx, 0))) {
        v = v * 10 + (at(lx, 0) - '0');
        adv(lx);
    }
    if (at(lx, 0) == '.' && is_digit(at(lx, 1))) {
        adv(lx);
        while (is_digit(at(lx, 0))) {
            scale /= 10;
            v += (at(lx, 0) - '0') * scale;
            adv(lx);
        }
    }
    if ((at(lx, 0) == 'e' || at(lx, 0) == 'E') &&
        (is_digit(at(lx, 1)) ||
         ((at(lx, 1) == '+' || at(lx, 1) == '-') && is_digit(at(lx, 2))))) {
        adv(lx);
        if (at(lx, 0) == '+' || at(lx, 0) == '-') {
            esign = at(lx, 0) == '-' ? -1 : 1;
            adv(lx);
        }
        while (is_digit(at(lx, 0))) {
            if (e < 1000)
                e = e * 10 + (at(lx, 0) - '0');
            adv(lx);
        }
    }
    for (int k = 0; k < e && k < 400 && v != 0 && isfinite(v); k++)
        v = esign > 0 ? v * 10 : v / 10;
    return sign * v;
}

static bool
non_printable(int32_t c)
{
    return (c >= 0 && c <= 8) || c == 0x0B || (c >= 0x0E && c <= 0x1F) ||
           c == 0x7F;
}

/* §4.3.14: what is left of a bad URL. */
static void
consume_bad_url(lexer *lx)
{
    for (;;) {
        int32_t c = at(lx, 0);

        if (c < 0)
            return;
        adv(lx);
        if (c == ')')
            return;
        if (valid_escape(c, at(lx, 0)))
            consume_escape(lx);
    }
}

/* §4.3.6, after "url(". */
static tok_type
consume_url(lexer *lx, oc_buf *b)
{
    buf_clear(b);
    while (is_ws(at(lx, 0)))
        adv(lx);
    for (;;) {
        int32_t c = at(lx, 0);

        if (c < 0)
            return T_URL;
        if (c == ')') {
            adv(lx);
            return T_URL;
        }
        if (is_ws(c)) {
            while (is_ws(at(lx, 0)))
                adv(lx);
            if (at(lx, 0) == ')' || at(lx, 0) < 0) {
                adv(lx);
                return T_URL;
            }
            consume_bad_url(lx);
            return T_BAD_URL;
        }
        if (c == '"' || c == '\'' || c == '(' || non_printable(c)) {
            consume_bad_url(lx);
            return T_BAD_URL;
        }
        if (c == '\\') {
            if (!valid_escape(c, at(lx, 1))) {
                consume_bad_url(lx);
                return T_BAD_URL;
            }
            adv(lx);
            put_cp(b, consume_escape(lx));
            continue;
        }
        put_cp(b, (uint32_t)c);
        adv(lx);
    }
}

/* Decode UTF-8 (invalid sequences become U+FFFD) and preprocess (§3.3):
 * CR LF, CR and FF become LF, NUL becomes U+FFFD. Caller frees. */
static int32_t *
decode_text(const char *text, size_t len, size_t *n)
{
    const unsigned char *s = (const unsigned char *)text;
    int32_t *cp = oc_xmalloc((len + 1) * sizeof *cp);
    size_t i = 0, k = 0;

    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    while (i < len) {
        uint32_t c = s[i], min;
        size_t need;

        if (c < 0x80) {
            i++;
            if (c == '\r') {
                if (i < len && s[i] == '\n')
                    i++;
                c = '\n';
            } else if (c == '\f') {
                c = '\n';
            } else if (c == 0) {
                c = 0xFFFD;
            }
            cp[k++] = (int32_t)c;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, c &= 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, c &= 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, c &= 0x07, min = 0x10000;
        else
            need = 0, min = 0;
        if (need == 0 || i + need >= len) {
            cp[k++] = 0xFFFD;
            i++;
            continue;
        }
        {
            size_t j;

            for (j = 1; j <= need; j++) {
                if ((s[i + j] & 0xC0) != 0x80)
                    break;
                c = (c << 6) | (s[i + j] & 0x3F);
            }
            if (j <= need || c < min || c > 0x10FFFF ||
                (c >= 0xD800 && c <= 0xDFFF)) {
                cp[k++] = 0xFFFD;
                i++;
                continue;
            }
            cp[k++] = (int32_t)c;
            i += need + 1;
        }
    }
    *n = k;
    return cp;
}

/* ---- stylesheet data ---- */

/* Properties, longhands only (shorthands expand at parse time). */
enum {
    P_FONT_FAMILY, P_FONT_SIZE, P_FONT_WEIGHT, P_FONT_STYLE, P_FONT_VARIANT,
    P_LINE_HEIGHT, P_COLOR, P_TEXT_ALIGN, P_TEXT_INDENT, P_HYPHENS,
    P_WHITE_SPACE, P_LIST_STYLE_TYPE, P_LIST_STYLE_POSITION,
    P_TEXT_TRANSFORM, P_LETTER_SPACING, P_WORD_SPACING, P_DIRECTION,
    P_WIDOWS, P_ORPHANS,
    P_FIRST_NONINHERITED,
    P_DISPLAY = P_FIRST_NONINHERITED,
    P_MARGIN_TOP, P_MARGIN_RIGHT, P_MARGIN_BOTTOM, P_MARGIN_LEFT,
    P_PADDING_TOP, P_PADDING_RIGHT, P_PADDING_BOTTOM, P_PADDING_LEFT,
    P_BREAK_BEFORE, P_BREAK_AFTER, P_BREAK_INSIDE, P_VERTICAL_ALIGN,
    P_TEXT_DECORATION, P_STRING_SET,
    P_CONTENT,                  /* page-margin boxes only */
    P_SIZE,                     /* @page only */
    P_MARGIN_INSIDE, P_MARGIN_OUTSIDE,  /* @page only; mirrored */
    P_COUNT
};

/* Specified values. */
typedef enum vkind {
    V_KW,           /* keyword: 'kw' (a property's enum or flags) */
    V_LEN,          /* length: 'num' in 'unit' */
    V_NUM,          /* plain number */
    V_PCT,          /* percentage */
    V_COLOR,
    V_STR,          /* font family list */
    V_CONTENT,      /* 'ptr' is an oc_piece array of 'n' */
    V_STRSET,       /* 'ptr' is an oc_string_set array of 'n' */
    V_SIZE,         /* page size: num x num2 points (0: auto), kw: 1
                       portrait, 2 landscape */
    V_INHERIT, V_INITIAL, V_UNSET
} vkind;

enum { U_PT, U_EM, U_REM };         /* V_LEN units after conversion */

typedef struct sval {
    vkind       kind;
    int         unit;
    int         kw;
    double      num, num2;
    oc_color    color;
    const void *ptr;
    size_t      n;
} sval;

typedef struct decl {
    int  prop;
    bool important;
    sval v;
} decl;

typedef struct block {
    decl  *d;
    size_t n;
} block;

/* Selectors: a complex selector is compounds joined by combinators. */
enum { C_NONE, C_DESC, C_CHILD, C_ADJ, C_SIB };
enum { S_ID, S_CLASS, S_ATTR, S_PSEUDO };
enum { A_EXISTS, A_EQ, A_INCLUDES, A_DASH, A_PREFIX, A_SUFFIX, A_SUBSTR };
enum {
    PC_FIRST_CHILD, PC_LAST_CHILD, PC_ONLY_CHILD, PC_FIRST_OF_TYPE,
    PC_LAST_OF_TYPE, PC_ONLY_OF_TYPE, PC_ROOT, PC_EMPTY, PC_LINK
};

typedef struct simple {
    int         kind, op, pseudo;
    bool        icase;      /* ATTR: [a="v" i] */
    bool        any_ns;     /* ATTR: [*|a] */
    const char *ns;         /* ATTR: namespace URI; NULL: none */
    const char *name;       /* ID, CLASS: the name; ATTR: attribute */
    const char *value;      /* ATTR */
} simple;

typedef struct compound {
    const char *tag;        /* lower-case local name; NULL: any */
    const char *ns;         /* element namespace URI required, or NULL */
    bool        no_ns;      /* |E: element in no namespace */
    simple     *s;
    size_t      ns_count;
    int         comb;       /* combinator to the compound on the left */
} compound;

enum { ORIGIN_UA, ORIGIN_AUTHOR };

typedef struct rule {
    compound    *c;         /* c[nc - 1] is the subject */
    size_t       nc;
    uint32_t     spec;      /* a << 20 | b << 10 | c, each at most 1023 */
    uint32_t     order;
    int          origin;
    const block *decls;
} rule;

typedef struct rlist {
    rule  **v;
    size_t  n, cap;
} rlist;

typedef struct page_rule {
    unsigned need;          /* OC_PAGE_* flags the page must have */
    uint32_t spec;
    uint32_t order;
    int      origin;
    block    decls;
    block    boxes[OC_MBOX_COUNT];
} page_rule;

/* Memo of computed styles: same parent style, same rules, same style
 * attribute give the same result. */
typedef struct centry {
    uint64_t        hash;
    const oc_style *parent;     /* one of ours (see intern), or NULL */
    rule          **rules;
    size_t          nrules;
    const block    *attr;
    const oc_style *style;
} centry;

typedef struct page_memo {
    unsigned             flags;
    const oc_style      *root;  /* a copy, or NULL */
    const oc_page_style *page;
    struct page_memo    *next;
} page_memo;

struct oc_css {
    oc_arena   *a;
    uint32_t    norder;
    smap        by_id, by_class, by_tag;
    rlist       universal;
    page_rule **pages;
    size_t      npages, pages_cap;
    smap        warned;         /* property names already reported */
    smap        style_attrs;    /* style attribute text -> block */
    smap        interned;       /* foreign parent styles, by content */
    centry     *memo;
    size_t      memo_cap, memo_n;
    const oc_style **ours;      /* set of styles this module made */
    size_t      ours_cap, ours_n;
    page_memo  *page_memos;
    rule      **matched;        /* scratch for oc_css_compute */
    size_t      matched_cap;
    oc_style    initial;
};

/* ---- parser state ---- */

typedef struct ns_decl {
    const char     *prefix;
    const char     *uri;
    struct ns_decl *next;
} ns_decl;

enum { CTX_STYLE, CTX_PAGE, CTX_MBOX };

typedef struct dvec {
    decl  *d;
    size_t n, cap;
} dvec;

typedef struct parser {
    oc_css     *css;
    oc_arena   *a;
    const char *file;
    int         fixed_line;     /* not 0: report this line (0 if < 0) and
                                   no column, for style attributes */
    tok        *t;              /* t[n] is EOF */
    size_t      n;
    size_t     *match;          /* opener -> index of its closer, or n */
    int         origin;
    ns_decl    *ns;
    const char *default_ns;
    int         depth;
    bool        eof_warned;
} parser;

static void
pwarn(const parser *p, const tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pwarn(const parser *p, const tok *t, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->fixed_line != 0)
        oc_warn(p->file, p->fixed_line > 0 ? p->fixed_line : 0, 0, "%s",
                msg);
    else
        oc_warn(p->file, t ? t->line : 0, t ? t->col : 0, "%s", msg);
}

static void
push_tok(parser *p, size_t *cap, const tok *t)
{
    if (p->n + 1 >= *cap) {
        *cap = *cap ? *cap * 2 : 256;
        p->t = oc_xrealloc(p->t, *cap * sizeof *p->t);
    }
    p->t[p->n++] = *t;
}

/* Ident-like token (§4.3.4), the name in b. */
static void
ident_like(parser *p, lexer *lx, oc_buf *b, tok *t)
{
    consume_name(lx, b);
    if (ieq(b->data ? b->data : "", "url") && at(lx, 0) == '(') {
        adv(lx);
        while (is_ws(at(lx, 0)) && is_ws(at(lx, 1)))
            adv(lx);
        if (at(lx, 0) == '"' || at(lx, 0) == '\'' ||
            (is_ws(at(lx, 0)) && (at(lx, 1) == '"' || at(lx, 1) == '\''))) {
            t->type = T_FUNCTION;
            t->s = "url";
            return;
        }
        t->type = consume_url(lx, b);
        t->s = oc_arena_strndup(p->a, b->data ? b->data : "", b->len);
        return;
    }
    t->s = oc_arena_strndup(p->a, b->data ? b->data : "", b->len);
    if (at(lx, 0) == '(') {
        adv(lx);
        t->type = T_FUNCTION;
    } else {
        t->type = T_IDENT;
    }
}

static void
string_tok(parser *p, lexer *lx, oc_buf *b, tok *t)
{
    int32_t end = at(lx, 0);

    adv(lx);
    buf_clear(b);
    t->type = T_STRING;
    for (;;) {
        int32_t c = at(lx, 0);

        if (c == end) {
            adv(lx);
            break;
        }
        if (c < 0) {
            pwarn(p, t, "unterminated string");
            break;
        }
        if (c == '\n') {
            pwarn(p, t, "unterminated string");
            t->type = T_BAD_STRING;
            break;
        }
        if (c == '\\') {
            if (at(lx, 1) == '\n') {
                adv(lx);
                adv(lx);
            } else {
                adv(lx);
                if (at(lx, 0) >= 0)
                    put_cp(b, consume_escape(lx));
            }
            continue;
        }
        put_cp(b, (uint32_t)c);
        adv(lx);
    }
    t->s = oc_arena_strndup(p->a, b->data ? b->data : "", b->len);
}

/* Turn the text into p->t and pair every opener with its closer: a closer
 * of another kind inside a block is an ordinary token (§5.4.8), and an
 * opener left open at the end pairs with EOF. */
static void
tokenize(parser *p, const char *text, size_t len)
{
    size_t ncp, cap = 0, *stack, depth = 0;
    int32_t *cp = decode_text(text, len, &ncp);
    lexer lx = {cp, ncp, 0, 1, 1};
    oc_buf b = {0};

    for (;;) {
        tok t = {0};
        int32_t c = at(&lx, 0);

        t.line = lx.line;
        t.col = lx.col;
        if (c == '/' && at(&lx, 1) == '*') {
            adv(&lx);
            adv(&lx);
            while (!(at(&lx, 0) == '*' && at(&lx, 1) == '/')) {
                if (at(&lx, 0) < 0) {
                    pwarn(p, &t, "unterminated comment");
                    break;
                }
                adv(&lx);
            }
            adv(&lx);
            adv(&lx);
            continue;
        }
        if (c < 0)
            break;
        if (is_ws(c)) {
            while (is_ws(at(&lx, 0)))
                adv(&lx);
            t.type = T_WS;
        } else if (c == '"' || c == '\'') {
            string_tok(p, &lx, &b, &t);
        } else if (c == '#' && (is_name(at(&lx, 1)) ||
                                valid_escape(at(&lx, 1), at(&lx, 2)))) {
            t.id = starts_ident(at(&lx, 1), at(&lx, 2), at(&lx, 3));
            adv(&lx);
            consume_name(&lx, &b);
            t.type = T_HASH;
            t.s = oc_arena_strndup(p->a, b.data ? b.data : "", b.len);
        } else if (starts_number(c, at(&lx, 1), at(&lx, 2))) {
            t.num = consume_number(&lx);
            if (starts_ident(at(&lx, 0), at(&lx, 1), at(&lx, 2))) {
                consume_name(&lx, &b);
                t.type = T_DIMENSION;
                t.s = oc_arena_strndup(p->a, b.data ? b.data : "", b.len);
            } else if (at(&lx, 0) == '%') {
                adv(&lx);
                t.type = T_PERCENT;
            } else {
                t.type = T_NUMBER;
            }
        } else if (c == '-' && at(&lx, 1) == '-' && at(&lx, 2) == '>') {
            adv(&lx);
            adv(&lx);
            adv(&lx);
            t.type = T_CDC;
        } else if (c == '<' && at(&lx, 1) == '!' && at(&lx, 2) == '-' &&
                   at(&lx, 3) == '-') {
            for (int k = 0; k < 4; k++)
                adv(&lx);
            t.type = T_CDO;
        } else if (c == '@' && starts_ident(at(&lx, 1), at(&lx, 2),
                                            at(&lx, 3))) {
            adv(&lx);
            consume_name(&lx, &b);
            t.type = T_AT;
            t.s = oc_arena_strndup(p->a, b.data ? b.data : "", b.len);
        } else if (starts_ident(c, at(&lx, 1), at(&lx, 2))) {
            ident_like(p, &lx, &b, &t);
        } else {
            static const char singles[] = "()[]{},:;";
            static const tok_type types[] = {
                T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_LBRACE,
                T_RBRACE, T_COMMA, T_COLON, T_SEMI
            };
            const char *s = c < 0x80 ? strchr(singles, (int)c) : NULL;

            adv(&lx);
            if (s && c != 0) {
                t.type = types[s - singles];
            } else {
                t.type = T_DELIM;
                t.delim = (uint32_t)c;
            }
        }
        push_tok(p, &cap, &t);
    }
    {
        tok eof = {0};

        eof.type = T_EOF;
        eof.line = lx.line;
        eof.col = lx.col;
        push_tok(p, &cap, &eof);
        p->n--;                 /* t[n] is EOF */
    }
    p->match = oc_xmalloc((p->n + 1) * sizeof *p->match);
    stack = oc_xmalloc((p->n + 1) * sizeof *stack);
    for (size_t i = 0; i <= p->n; i++) {
        tok_type ty = p->t[i].type, want;

        p->match[i] = p->n;
        if (ty == T_LPAREN || ty == T_FUNCTION || ty == T_LBRACKET ||
            ty == T_LBRACE) {
            stack[depth++] = i;
            continue;
        }
        if (depth == 0)
            continue;
        switch (p->t[stack[depth - 1]].type) {
        case T_LBRACKET: want = T_RBRACKET; break;
        case T_LBRACE:   want = T_RBRACE; break;
        default:         want = T_RPAREN; break;
        }
        if (ty == want)
            p->match[stack[--depth]] = i;
    }
    free(stack);
    oc_buf_free(&b);
    free(cp);
}

/* The index after the component value at i (a whole block for openers),
 * at most 'end'. */
static size_t
next_cv(const parser *p, size_t i, size_t end)
{
    tok_type ty = p->t[i].type;

    if (ty == T_LPAREN || ty == T_FUNCTION || ty == T_LBRACKET ||
        ty == T_LBRACE)
        i = p->match[i];
    return i + 1 < end ? i + 1 : end;
}

static size_t
skip_ws(const parser *p, size_t i, size_t end)
{
    while (i < end && p->t[i].type == T_WS)
        i++;
    return i;
}

static bool
is_delim(const tok *t, uint32_t c)
{
    return t->type == T_DELIM && t->delim == c;
}

/* ---- values ---- */

/* A cursor over the component values of a declaration's value. */
typedef struct cur {
    const parser *p;
    size_t        i, end;
} cur;

static const tok *
peek(cur *c)
{
    c->i = skip_ws(c->p, c->i, c->end);
    return c->i < c->end ? &c->p->t[c->i] : NULL;
}

static const tok *
take(cur *c)
{
    const tok *t = peek(c);

    if (t)
        c->i = next_cv(c->p, c->i, c->end);
    return t;
}

static bool
at_end(cur *c)
{
    return peek(c) == NULL;
}

/* The arguments of function token 'fn' (taken from c). */
static cur
args_of(const cur *c, const tok *fn)
{
    size_t i = (size_t)(fn - c->p->t);
    size_t end = c->p->match[i] < c->end ? c->p->match[i] : c->end;
    cur a = {c->p, i + 1, end};

    return a;
}

static bool
take_comma(cur *c)
{
    const tok *t = peek(c);

    if (t && t->type == T_COMMA) {
        take(c);
        return true;
    }
    return false;
}

typedef struct kw {
    const char *name;
    int         value;
} kw;

static const kw *
find_kw(const kw *table, const char *name)
{
    for (; table->name; table++)
        if (ieq(name, table->name))
            return table;
    return NULL;
}

static const kw kw_font_style[] = {
    {"normal", OC_FONT_STYLE_NORMAL}, {"italic", OC_FONT_STYLE_ITALIC},
    {"oblique", OC_FONT_STYLE_OBLIQUE}, {NULL, 0}
};
static const kw kw_font_variant[] = {
    {"normal", OC_FONT_VARIANT_NORMAL},
    {"small-caps", OC_FONT_VARIANT_SMALL_CAPS},
    {"all-small-caps", OC_FONT_VARIANT_ALL_SMALL_CAPS}, {NULL, 0}
};
static const kw kw_text_align[] = {
    {"start", OC_ALIGN_START}, {"end", OC_ALIGN_END},
    {"left", OC_ALIGN_LEFT}, {"right", OC_ALIGN_RIGHT},
    {"center", OC_ALIGN_CENTER}, {"justify", OC_ALIGN_JUSTIFY}, {NULL, 0}
};
static const kw kw_hyphens[] = {
    {"manual", OC_HYPHENS_MANUAL}, {"none", OC_HYPHENS_NONE},
    {"auto", OC_HYPHENS_AUTO}, {NULL, 0}
};
static const kw kw_white_space[] = {
    {"normal", OC_WS_NORMAL}, {"pre", OC_WS_PRE},
    {"pre-wrap", OC_WS_PRE_WRAP}, {"break-spaces", OC_WS_PRE_WRAP},
    {"pre-line", OC_WS_PRE_LINE}, {"nowrap", OC_WS_NOWRAP}, {NULL, 0}
};
static const kw kw_list_style[] = {
    {"disc", OC_LIST_DISC}, {"circle", OC_LIST_CIRCLE},
    {"square", OC_LIST_SQUARE}, {"decimal", OC_LIST_DECIMAL},
    {"lower-roman", OC_LIST_LOWER_ROMAN},
    {"upper-roman", OC_LIST_UPPER_ROMAN},
    {"lower-alpha", OC_LIST_LOWER_ALPHA},
    {"lower-latin", OC_LIST_LOWER_ALPHA},
    {"upper-alpha", OC_LIST_UPPER_ALPHA},
    {"upper-latin", OC_LIST_UPPER_ALPHA}, {"none", OC_LIST_NONE}, {NULL, 0}
};
static const kw kw_list_position[] = {
    {"outside", OC_LIST_OUTSIDE}, {"inside", OC_LIST_INSIDE}, {NULL, 0}
};
static const kw kw_text_transform[] = {
    {"none", OC_TRANSFORM_NONE}, {"uppercase", OC_TRANSFORM_UPPERCASE},
    {"lowercase", OC_TRANSFORM_LOWERCASE},
    {"capitalize", OC_TRANSFORM_CAPITALIZE}, {NULL, 0}
};
static const kw kw_direction[] = {
    {"ltr", OC_DIR_LTR}, {"rtl", OC_DIR_RTL}, {NULL, 0}
};
/* break-before/after and page-break-before/after. */
static const kw kw_break[] = {
    {"auto", OC_BREAK_AUTO}, {"avoid", OC_BREAK_AVOID},
    {"avoid-page", OC_BREAK_AVOID}, {"always", OC_BREAK_PAGE},
    {"page", OC_BREAK_PAGE}, {"left", OC_BREAK_LEFT},
    {"right", OC_BREAK_RIGHT}, {"recto", OC_BREAK_RECTO},
    {"verso", OC_BREAK_VERSO}, {"column", OC_BREAK_AUTO},
    {"avoid-column", OC_BREAK_AUTO}, {"region", OC_BREAK_AUTO},
    {"avoid-region", OC_BREAK_AUTO}, {NULL, 0}
};
static const kw kw_break_inside[] = {
    {"auto", OC_BREAK_AUTO}, {"avoid", OC_BREAK_AVOID},
    {"avoid-page", OC_BREAK_AVOID}, {"avoid-column", OC_BREAK_AUTO},
    {"avoid-region", OC_BREAK_AUTO}, {NULL, 0}
};
static const kw kw_display[] = {
    {"inline", OC_DISPLAY_INLINE}, {"block", OC_DISPLAY_BLOCK},
    {"none", OC_DISPLAY_NONE}, {"list-item", OC_DISPLAY_LIST_ITEM},
    {"inline-block", OC_DISPLAY_INLINE_BLOCK},
    {"table", OC_DISPLAY_TABLE}, {"inline-table", OC_DISPLAY_INLINE_TABLE},
    {"table-caption", OC_DISPLAY_TABLE_CAPTION},
    {"table-header-group", OC_DISPLAY_TABLE_HEADER_GROUP},
    {"table-row-group", OC_DISPLAY_TABLE_ROW_GROUP},
    {"table-footer-group", OC_DISPLAY_TABLE_FOOTER_GROUP},
    {"table-row", OC_DISPLAY_TABLE_ROW},
    {"table-cell", OC_DISPLAY_TABLE_CELL},
    {"table-column-group", OC_DISPLAY_TABLE_COLUMN_GROUP},
    {"table-column", OC_DISPLAY_TABLE_COLUMN},
    {"flex", OC_DISPLAY_BLOCK}, {"grid", OC_DISPLAY_BLOCK},
    {"flow-root", OC_DISPLAY_BLOCK},
    {"inline-flex", OC_DISPLAY_INLINE_BLOCK},
    {"inline-grid", OC_DISPLAY_INLINE_BLOCK}, {NULL, 0}
};
static const kw kw_vertical_align[] = {
    {"baseline", OC_VALIGN_BASELINE}, {"super", OC_VALIGN_SUPER},
    {"sub", OC_VALIGN_SUB}, {"top", OC_VALIGN_TOP},
    {"middle", OC_VALIGN_MIDDLE}, {"bottom", OC_VALIGN_BOTTOM},
    {"text-top", OC_VALIGN_TEXT_TOP}, {"text-bottom", OC_VALIGN_TEXT_BOTTOM},
    {NULL, 0}
};

/* font-size keywords, as factors of medium (CSS Fonts 4 §2.5); the
 * relative ones are negative: -1 smaller, -2 larger. */
static const struct {
    const char *name;
    double      factor;
} font_size_kw[] = {
    {"xx-small", 3.0 / 5}, {"x-small", 3.0 / 4}, {"small", 8.0 / 9},
    {"medium", 1}, {"large", 6.0 / 5}, {"x-large", 3.0 / 2},
    {"xx-large", 2}, {"xxx-large", 3}, {"smaller", -1}, {"larger", -2},
    {NULL, 0}
};

enum { FW_BOLDER = -1, FW_LIGHTER = -2 };
enum { LEN_PCT = 1, LEN_NEG = 2 };
enum { KW_NORMAL = 1, KW_AUTO = 2, KW_NONE = 3, KW_CURRENT = 4 };

/* A length token into v: absolute units become points, ex and ch become
 * half an em. Unitless zero is a length. */
static bool
parse_length(const tok *t, sval *v, unsigned allow)
{
    static const struct {
        const char *unit;
        int         u;
        double      f;
    } units[] = {
        {"pt", U_PT, 1}, {"px", U_PT, 0.75}, {"in", U_PT, 72},
        {"cm", U_PT, 72 / 2.54}, {"mm", U_PT, 72 / 25.4},
        {"q", U_PT, 72 / 101.6}, {"pc", U_PT, 12}, {"em", U_EM, 1},
        {"ex", U_EM, 0.5}, {"ch", U_EM, 0.5}, {"rem", U_REM, 1},
    };

    if (t == NULL || !isfinite(t->num))
        return false;
    if (t->num < 0 && !(allow & LEN_NEG))
        return false;
    memset(v, 0, sizeof *v);
    if (t->type == T_NUMBER && t->num == 0) {
        v->kind = V_LEN;
        v->unit = U_PT;
        return true;
    }
    if (t->type == T_PERCENT && (allow & LEN_PCT)) {
        v->kind = V_PCT;
        v->num = t->num;
        return true;
    }
    if (t->type != T_DIMENSION)
        return false;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        if (ieq(t->s, units[k].unit)) {
            v->kind = V_LEN;
            v->unit = units[k].u;
            v->num = t->num * units[k].f;
            return true;
        }
    }
    return false;
}

static const struct {
    const char *name;
    uint32_t    rgb;
} named_colors[] = {
    {"aliceblue", 0xf0f8ff}, {"antiquewhite", 0xfaebd7},
    {"aqua", 0x00ffff}, {"aquamarine", 0x7fffd4}, {"azure", 0xf0ffff},
    {"beige", 0xf5f5dc}, {"bisque", 0xffe4c4}, {"black", 0x000000},
    {"blanchedalmond", 0xffebcd}, {"blue", 0x0000ff},
    {"blueviolet", 0x8a2be2}, {"brown", 0xa52a2a}, {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0}, {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e}, {"coral", 0xff7f50},
    {"cornflowerblue", 0x6495ed}, {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c}, {"cyan", 0x00ffff}, {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b}, {"darkgoldenrod", 0xb8860b},
    {"darkgray", 0xa9a9a9}, {"darkgreen", 0x006400},
    {"darkgrey", 0xa9a9a9}, {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b}, {"darkolivegreen", 0x556b2f},
    {"darkorange", 0xff8c00}, {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000}, {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f}, {"darkslateblue", 0x483d8b},
    {"darkslategray", 0x2f4f4f}, {"darkslategrey", 0x2f4f4f},
    {"darkturquoise", 0x00ced1}, {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493}, {"deepskyblue", 0x00bfff},
    {"dimgray", 0x696969}, {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff}, {"firebrick", 0xb22222},
    {"floralwhite", 0xfffaf0}, {"forestgreen", 0x228b22},
    {"fuchsia", 0xff00ff}, {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff}, {"gold", 0xffd700},
    {"goldenrod", 0xdaa520}, {"gray", 0x808080}, {"green", 0x008000},
    {"greenyellow", 0xadff2f}, {"grey", 0x808080},
    {"honeydew", 0xf0fff0}, {"hotpink", 0xff69b4},
    {"indianred", 0xcd5c5c}, {"indigo", 0x4b0082}, {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c}, {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5}, {"lawngreen", 0x7cfc00},
    {"lemonchiffon", 0xfffacd}, {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080}, {"lightcyan", 0xe0ffff},
    {"lightgoldenrodyellow", 0xfafad2}, {"lightgray", 0xd3d3d3},
    {"lightgreen", 0x90ee90}, {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1}, {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa}, {"lightskyblue", 0x87cefa},
    {"lightslategray", 0x778899}, {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de}, {"lightyellow", 0xffffe0},
    {"lime", 0x00ff00}, {"limegreen", 0x32cd32}, {"linen", 0xfaf0e6},
    {"magenta", 0xff00ff}, {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa}, {"mediumblue", 0x0000cd},
    {"mediumorchid", 0xba55d3}, {"mediumpurple", 0x9370db},
    {"mediumseagreen", 0x3cb371}, {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a}, {"mediumturquoise", 0x48d1cc},
    {"mediumvioletred", 0xc71585}, {"midnightblue", 0x191970},
    {"mintcream", 0xf5fffa}, {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5}, {"navajowhite", 0xffdead}, {"navy", 0x000080},
    {"oldlace", 0xfdf5e6}, {"olive", 0x808000}, {"olivedrab", 0x6b8e23},
    {"orange", 0xffa500}, {"orangered", 0xff4500}, {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa}, {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee}, {"palevioletred", 0xdb7093},
    {"papayawhip", 0xffefd5}, {"peachpuff", 0xffdab9}, {"peru", 0xcd853f},
    {"pink", 0xffc0cb}, {"plum", 0xdda0dd}, {"powderblue", 0xb0e0e6},
    {"purple", 0x800080}, {"rebeccapurple", 0x663399}, {"red", 0xff0000},
    {"rosybrown", 0xbc8f8f}, {"royalblue", 0x4169e1},
    {"saddlebrown", 0x8b4513}, {"salmon", 0xfa8072},
    {"sandybrown", 0xf4a460}, {"seagreen", 0x2e8b57},
    {"seashell", 0xfff5ee}, {"sienna", 0xa0522d}, {"silver", 0xc0c0c0},
    {"skyblue", 0x87ceeb}, {"slateblue", 0x6a5acd},
    {"slategray", 0x708090}, {"slategrey", 0x708090}, {"snow", 0xfffafa},
    {"springgreen", 0x00ff7f}, {"steelblue", 0x4682b4}, {"tan", 0xd2b48c},
    {"teal", 0x008080}, {"thistle", 0xd8bfd8}, {"tomato", 0xff6347},
    {"turquoise", 0x40e0d0}, {"violet", 0xee82ee}, {"wheat", 0xf5deb3},
    {"white", 0xffffff}, {"whitesmoke", 0xf5f5f5}, {"yellow", 0xffff00},
    {"yellowgreen", 0x9acd32},
};

static uint8_t
unit_byte(double x)             /* 0..1 -> 0..255 */
{
    x = clampd(x, 0, 1);
    return (uint8_t)(x * 255 + 0.5);
}

/* One channel of rgb(): a number 0..255 or a percentage. */
static bool
rgb_channel(const tok *t, uint8_t *out)
{
    if (t == NULL || !isfinite(t->num))
        return false;
    if (t->type == T_NUMBER)
        *out = unit_byte(t->num / 255);
    else if (t->type == T_PERCENT)
        *out = unit_byte(t->num / 100);
    else
        return false;
    return true;
}

static bool
alpha_value(const tok *t, uint8_t *out)
{
    if (t == NULL || !isfinite(t->num))
        return false;
    if (t->type == T_NUMBER)
        *out = unit_byte(t->num);
    else if (t->type == T_PERCENT)
        *out = unit_byte(t->num / 100);
    else
        return false;
    return true;
}

static double
hue_to_rgb(double m1, double m2, double h)
{
    if (h < 0)
        h += 1;
    if (h > 1)
        h -= 1;
    if (h * 6 < 1)
        return m1 + (m2 - m1) * h * 6;
    if (h * 2 < 1)
        return m2;
    if (h * 3 < 2)
        return m1 + (m2 - m1) * (2.0 / 3 - h) * 6;
    return m1;
}

/* rgb(), rgba(), hsl(), hsla(): legacy comma syntax or the modern space
 * syntax with an optional "/ alpha". */
static bool
color_function(cur *c, const tok *fn, oc_color *out)
{
    bool hsl = ieq(fn->s, "hsl") || ieq(fn->s, "hsla");
    cur a = args_of(c, fn);
    const tok *v[4] = {NULL, NULL, NULL, NULL};
    bool commas = false;
    size_t n = 0;
    uint8_t alpha = 255;

    if (!hsl && !ieq(fn->s, "rgb") && !ieq(fn->s, "rgba"))
        return false;
    while (!at_end(&a) && n < 4) {
        if (n > 0) {
            bool comma = take_comma(&a);

            if (n == 1)
                commas = comma;
            else if (comma != commas)
                return false;
            if (n == 3 && !comma) {
                if (!is_delim(peek(&a), '/'))
                    return false;
                take(&a);
            }
        }
        v[n++] = take(&a);
    }
    if (!at_end(&a) || n < 3)
        return false;
    for (size_t k = 0; k < n; k++)
        if (v[k] == NULL)
            return false;
    if (n == 4 && !alpha_value(v[3], &alpha))
        return false;
    if (!hsl) {
        if (!rgb_channel(v[0], &out->r) || !rgb_channel(v[1], &out->g) ||
            !rgb_channel(v[2], &out->b))
            return false;
    } else {
        double h, s, l, m1, m2;

        if (v[0]->type != T_NUMBER &&
            !(v[0]->type == T_DIMENSION && ieq(v[0]->s, "deg")))
            return false;
        if (v[1]->type != T_PERCENT || v[2]->type != T_PERCENT ||
            !isfinite(v[0]->num) || !isfinite(v[1]->num) ||
            !isfinite(v[2]->num))
            return false;
        h = clampd(v[0]->num, -1e9, 1e9) / 360;
        h -= (double)(long long)h;
        if (h < 0)
            h += 1;
        s = clampd(v[1]->num / 100, 0, 1);
        l = clampd(v[2]->num / 100, 0, 1);
        m2 = l <= 0.5 ? l * (s + 1) : l + s - l * s;
        m1 = l * 2 - m2;
        out->r = unit_byte(hue_to_rgb(m1, m2, h + 1.0 / 3));
        out->g = unit_byte(hue_to_rgb(m1, m2, h));
        out->b = unit_byte(hue_to_rgb(m1, m2, h - 1.0 / 3));
    }
    out->a = alpha;
    return true;
}

/* A colour into v: V_COLOR, or V_KW KW_CURRENT for currentcolor. */
static bool
parse_color(cur *c, sval *v)
{
    const tok *t = take(c);

    memset(v, 0, sizeof *v);
    v->kind = V_COLOR;
    if (t == NULL)
        return false;
    if (t->type == T_HASH) {
        size_t n = strlen(t->s);
        int d[8];

        if (n != 3 && n != 4 && n != 6 && n != 8)
            return false;
        for (size_t k = 0; k < n; k++)
            if ((d[k] = hex_val((unsigned char)t->s[k])) < 0)
                return false;
        if (n <= 4) {
            v->color.r = (uint8_t)(d[0] * 17);
            v->color.g = (uint8_t)(d[1] * 17);
            v->color.b = (uint8_t)(d[2] * 17);
            v->color.a = (uint8_t)(n == 4 ? d[3] * 17 : 255);
        } else {
            v->color.r = (uint8_t)(d[0] * 16 + d[1]);
            v->color.g = (uint8_t)(d[2] * 16 + d[3]);
            v->color.b = (uint8_t)(d[4] * 16 + d[5]);
            v->color.a = (uint8_t)(n == 8 ? d[6] * 16 + d[7] : 255);
        }
        return true;
    }
    if (t->type == T_FUNCTION)
        return color_function(c, t, &v->color);
    if (t->type != T_IDENT)
        return false;
    if (ieq(t->s, "currentcolor")) {
        v->kind = V_KW;
        v->kw = KW_CURRENT;
        return true;
    }
    if (ieq(t->s, "transparent")) {
        v->color = (oc_color){0, 0, 0, 0};
        return true;
    }
    for (size_t k = 0; k < sizeof named_colors / sizeof named_colors[0];
         k++) {
        if (ieq(t->s, named_colors[k].name)) {
            uint32_t rgb = named_colors[k].rgb;

            v->color = (oc_color){(uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8),
                                  (uint8_t)rgb, 255};
            return true;
        }
    }
    return false;
}

/* ---- property values ---- */

static void
push_decl(dvec *dv, int prop, const sval *v)
{
    if (dv->n == dv->cap) {
        dv->cap = dv->cap ? dv->cap * 2 : 16;
        dv->d = oc_xrealloc(dv->d, dv->cap * sizeof *dv->d);
    }
    dv->d[dv->n].prop = prop;
    dv->d[dv->n].important = false;
    dv->d[dv->n].v = *v;
    dv->n++;
}

static void
push_kw(dvec *dv, int prop, int k)
{
    sval v = {0};

    v.kind = V_KW;
    v.kw = k;
    push_decl(dv, prop, &v);
}

typedef bool (*value_fn)(parser *p, cur *c, int prop, dvec *out);

static const kw *
kw_table(int prop)
{
    switch (prop) {
    case P_FONT_STYLE:          return kw_font_style;
    case P_FONT_VARIANT:        return kw_font_variant;
    case P_TEXT_ALIGN:          return kw_text_align;
    case P_HYPHENS:             return kw_hyphens;
    case P_WHITE_SPACE:         return kw_white_space;
    case P_LIST_STYLE_TYPE:     return kw_list_style;
    case P_LIST_STYLE_POSITION: return kw_list_position;
    case P_TEXT_TRANSFORM:      return kw_text_transform;
    case P_DIRECTION:           return kw_direction;
    case P_BREAK_BEFORE:
    case P_BREAK_AFTER:         return kw_break;
    case P_BREAK_INSIDE:        return kw_break_inside;
    case P_DISPLAY:             return kw_display;
    case P_VERTICAL_ALIGN:      return kw_vertical_align;
    default:                    return NULL;
    }
}

static bool
v_keyword(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = take(c);
    const kw *k;

    (void)p;
    if (t == NULL || t->type != T_IDENT || !at_end(c))
        return false;
    if ((k = find_kw(kw_table(prop), t->s)) == NULL)
        return false;
    push_kw(out, prop, k->value);
    return true;
}

/* Family names, each a string or a run of identifiers, joined with ", "
 * for Pango (which splits on commas, so a comma in a name is dropped). */
static bool
family_list(cur *c, oc_buf *b)
{
    for (;;) {
        const tok *t = take(c);
        size_t start = b->len;

        if (t == NULL)
            return false;
        if (t->type == T_STRING) {
            oc_buf_puts(b, t->s);
        } else if (t->type == T_IDENT) {
            oc_buf_puts(b, t->s);
            while ((t = peek(c)) && t->type == T_IDENT) {
                oc_buf_puts(b, " ");
                oc_buf_puts(b, take(c)->s);
            }
        } else {
            return false;
        }
        for (size_t k = start; k < b->len; k++)
            if (b->data[k] == ',')
                b->data[k] = ' ';
        if (at_end(c))
            return true;
        if (!take_comma(c))
            return false;
        oc_buf_puts(b, ", ");
    }
}

static bool
v_font_family(parser *p, cur *c, int prop, dvec *out)
{
    oc_buf b = {0};
    sval v = {0};
    bool ok = family_list(c, &b);

    if (ok) {
        v.kind = V_STR;
        v.ptr = oc_arena_strndup(p->a, b.data ? b.data : "", b.len);
        push_decl(out, prop, &v);
    }
    oc_buf_free(&b);
    return ok;
}

static bool
font_size_value(const tok *t, sval *v)
{
    memset(v, 0, sizeof *v);
    if (t == NULL)
        return false;
    if (t->type == T_IDENT) {
        for (size_t k = 0; font_size_kw[k].name; k++) {
            if (!ieq(t->s, font_size_kw[k].name))
                continue;
            if (font_size_kw[k].factor < 0) {
                v->kind = V_KW;
                v->kw = (int)font_size_kw[k].factor;
            } else {
                v->kind = V_LEN;
                v->unit = U_PT;
                v->num = MEDIUM * font_size_kw[k].factor;
            }
            return true;
        }
        return false;
    }
    return parse_length(t, v, LEN_PCT);
}

static bool
v_font_size(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!font_size_value(take(c), &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

static bool
font_weight_value(const tok *t, sval *v)
{
    memset(v, 0, sizeof *v);
    if (t == NULL)
        return false;
    if (t->type == T_NUMBER) {
        if (!(t->num >= 1 && t->num <= 1000))
            return false;
        v->kind = V_NUM;
        v->num = t->num;
        return true;
    }
    if (t->type != T_IDENT)
        return false;
    if (ieq(t->s, "normal") || ieq(t->s, "bold")) {
        v->kind = V_NUM;
        v->num = ieq(t->s, "bold") ? 700 : 400;
    } else if (ieq(t->s, "bolder") || ieq(t->s, "lighter")) {
        v->kind = V_KW;
        v->kw = ieq(t->s, "bolder") ? FW_BOLDER : FW_LIGHTER;
    } else {
        return false;
    }
    return true;
}

static bool
v_font_weight(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!font_weight_value(take(c), &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

static bool
line_height_value(const tok *t, sval *v)
{
    memset(v, 0, sizeof *v);
    if (t == NULL)
        return false;
    if (t->type == T_IDENT && ieq(t->s, "normal")) {
        v->kind = V_KW;
        v->kw = KW_NORMAL;
        return true;
    }
    if (t->type == T_NUMBER) {
        if (!(t->num >= 0) || !isfinite(t->num))
            return false;
        v->kind = V_NUM;
        v->num = t->num;
        return true;
    }
    return parse_length(t, v, LEN_PCT);
}

static bool
v_line_height(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!line_height_value(take(c), &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

static bool
v_color(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!parse_color(c, &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

/* margin-*: length, percentage or auto; padding-*: no auto, no negative;
 * text-indent: no auto. */
static bool
side_value(const tok *t, int prop, sval *v)
{
    memset(v, 0, sizeof *v);
    if (t == NULL)
        return false;
    if (t->type == T_IDENT && ieq(t->s, "auto") && prop != P_TEXT_INDENT &&
        (prop < P_PADDING_TOP || prop > P_PADDING_LEFT)) {
        v->kind = V_KW;
        v->kw = KW_AUTO;
        return true;
    }
    if (prop >= P_PADDING_TOP && prop <= P_PADDING_LEFT)
        return parse_length(t, v, LEN_PCT);
    return parse_length(t, v, LEN_PCT | LEN_NEG);
}

static bool
v_side(parser *p, cur *c, int prop, dvec *out)
{
    sval v;

    (void)p;
    if (!side_value(take(c), prop, &v) || !at_end(c))
        return false;
    push_decl(out, prop, &v);
    return true;
}

/* margin and padding: one to four values, top right bottom left. */
static bool
v_box_shorthand(parser *p, cur *c, int first, dvec *out)
{
    static const int from[4][4] = {
        {0, 0, 0, 0}, {0, 1, 0, 1}, {0, 1, 2, 1}, {0, 1, 2, 3}
    };
    sval v[4];
    size_t n = 0;

    (void)p;
    while (!at_end(c)) {
        if (n == 4 || !side_value(take(c), first, &v[n]))
            return false;
        n++;
    }
    if (n == 0)
        return false;
    for (int k = 0; k < 4; k++)
        push_decl(out, first + k, &v[from[n - 1][k]]);
    return true;
}

static bool
v_integer(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = take(c);
    sval v = {0};

    (void)p;
    if (t == NULL || t->type != T_NUMBER || !at_end(c))
        return false;
    if (!(t->num >= 1 && t->num <= 1e6) || t->num != (double)(long)t->num)
        return false;
    v.kind = V_NUM;
    v.num = t->num;
    push_decl(out, prop, &v);
    return true;
}

static bool
v_spacing(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = take(c);
    sval v = {0};

    (void)p;
    if (t == NULL || !at_end(c))
        return false;
    if (t->type == T_IDENT && ieq(t->s, "normal")) {
        v.kind = V_KW;
        v.kw = KW_NORMAL;
    } else if (!parse_length(t, &v, LEN_NEG)) {
        return false;
    }
    push_decl(out, prop, &v);
    return true;
}

/* text-decoration: the line part (flags); colour, style and thickness are
 * accepted and not used. text-decoration-line: the line part only. */
static bool
decoration(cur *c, bool line_only, unsigned *flags)
{
    static const kw lines[] = {
        {"underline", OC_DECORATION_UNDERLINE},
        {"overline", OC_DECORATION_OVERLINE},
        {"line-through", OC_DECORATION_LINE_THROUGH}, {"blink", 0},
        {NULL, 0}
    };
    static const kw styles[] = {
        {"solid", 0}, {"double", 0}, {"dotted", 0}, {"dashed", 0},
        {"wavy", 0}, {"from-font", 0}, {"auto", 0}, {NULL, 0}
    };
    const tok *t = peek(c);
    bool none = false;

    *flags = 0;
    if (t && t->type == T_IDENT && ieq(t->s, "none")) {
        take(c);
        none = true;
    }
    while ((t = peek(c)) != NULL) {
        const kw *k = t->type == T_IDENT ? find_kw(lines, t->s) : NULL;
        sval v;

        if (k && !none) {
            *flags |= (unsigned)k->value;
            take(c);
            continue;
        }
        if (line_only)
            return false;
        if (t->type == T_IDENT && find_kw(styles, t->s)) {
            take(c);
            continue;
        }
        if (parse_length(t, &v, LEN_PCT)) {
            take(c);
            continue;
        }
        {
            cur save = *c;

            if (!parse_color(c, &v)) {
                *c = save;
                return false;
            }
        }
    }
    return none || *flags != 0 || !line_only;
}

static bool
decoration_decl(cur *c, bool line_only, dvec *out)
{
    unsigned flags;
    cur probe = *c;

    if (at_end(&probe) || !decoration(c, line_only, &flags))
        return false;
    push_kw(out, P_TEXT_DECORATION, (int)flags);
    return true;
}

static bool
v_decoration(parser *p, cur *c, int prop, dvec *out)
{
    (void)p, (void)prop;
    return decoration_decl(c, false, out);
}

static bool
v_decoration_line(parser *p, cur *c, int prop, dvec *out)
{
    (void)p, (void)prop;
    return decoration_decl(c, true, out);
}

/* list-style: [type || position || image], 'none' filling type or
 * image; unset parts go back to their initial values. */
static bool
v_list_style(parser *p, cur *c, int prop, dvec *out)
{
    int type = -1, pos = -1, nones = 0, images = 0;
    const tok *t;

    (void)p, (void)prop;
    if (at_end(c))
        return false;
    while ((t = take(c)) != NULL) {
        const kw *k;

        if (t->type == T_IDENT && ieq(t->s, "none")) {
            nones++;
        } else if (t->type == T_IDENT && type < 0 &&
                   (k = find_kw(kw_list_style, t->s)) != NULL) {
            type = k->value;
        } else if (t->type == T_IDENT && pos < 0 &&
                   (k = find_kw(kw_list_position, t->s)) != NULL) {
            pos = k->value;
        } else if ((t->type == T_URL || t->type == T_FUNCTION) &&
                   images == 0) {
            images++;
        } else {
            return false;
        }
    }
    if (nones + images > 2 || (nones == 2 && type >= 0) ||
        (nones && type >= 0 && images))
        return false;
    if (nones && type < 0)
        type = OC_LIST_NONE;
    push_kw(out, P_LIST_STYLE_TYPE, type < 0 ? OC_LIST_DISC : type);
    push_kw(out, P_LIST_STYLE_POSITION, pos < 0 ? OC_LIST_OUTSIDE : pos);
    return true;
}

/* font: [style || variant || weight || stretch]? size [/ line-height]?
 * family; the parts not given are reset. */
static bool
v_font(parser *p, cur *c, int prop, dvec *out)
{
    static const char *stretch[] = {
        "ultra-condensed", "extra-condensed", "condensed", "semi-condensed",
        "semi-expanded", "expanded", "extra-expanded", "ultra-expanded",
        NULL
    };
    sval style = {0}, variant = {0}, weight = {0}, size, lh = {0}, fam = {0};
    bool has_style = false, has_variant = false, has_weight = false;
    const tok *t;
    oc_buf b = {0};
    bool ok;

    (void)prop;
    style.kind = variant.kind = lh.kind = V_KW;
    lh.kw = KW_NORMAL;
    weight.kind = V_NUM;
    weight.num = 400;
    for (int n = 0; n < 4 && (t = peek(c)) != NULL; n++) {
        const kw *k;
        bool stretchy = false;

        if (t->type == T_NUMBER && font_weight_value(t, &weight)) {
            has_weight = true;
            take(c);
            continue;
        }
        if (t->type != T_IDENT)
            break;
        for (size_t s = 0; stretch[s]; s++)
            stretchy |= ieq(t->s, stretch[s]);
        if (ieq(t->s, "normal") || stretchy) {
            take(c);
        } else if (!has_style && (k = find_kw(kw_font_style, t->s))) {
            style.kw = k->value;
            has_style = true;
            take(c);
        } else if (!has_variant && ieq(t->s, "small-caps")) {
            variant.kw = OC_FONT_VARIANT_SMALL_CAPS;
            has_variant = true;
            take(c);
        } else if (!has_weight && font_weight_value(t, &weight)) {
            has_weight = true;
            take(c);
        } else {
            break;
        }
    }
    if (!font_size_value(take(c), &size))
        return false;
    if ((t = peek(c)) != NULL && is_delim(t, '/')) {
        take(c);
        if (!line_height_value(take(c), &lh))
            return false;
    }
    ok = family_list(c, &b);
    if (ok) {
        fam.kind = V_STR;
        fam.ptr = oc_arena_strndup(p->a, b.data ? b.data : "", b.len);
        push_decl(out, P_FONT_STYLE, &style);
        push_decl(out, P_FONT_VARIANT, &variant);
        push_decl(out, P_FONT_WEIGHT, &weight);
        push_decl(out, P_FONT_SIZE, &size);
        push_decl(out, P_LINE_HEIGHT, &lh);
        push_decl(out, P_FONT_FAMILY, &fam);
    }
    oc_buf_free(&b);
    return ok;
}

/* One piece of generated text; 'mbox' is true in page-margin boxes
 * (counters and named strings) and false in string-set (content(),
 * attr()). */
static bool
content_piece(parser *p, cur *c, bool mbox, oc_piece *pc)
{
    const tok *t = take(c);
    cur a;
    const tok *name, *extra = NULL;

    memset(pc, 0, sizeof *pc);
    pc->counter_style = OC_LIST_DECIMAL;
    if (t == NULL)
        return false;
    if (t->type == T_STRING) {
        pc->kind = OC_PIECE_TEXT;
        pc->text = t->s;
        return true;
    }
    if (t->type != T_FUNCTION)
        return false;
    a = args_of(c, t);
    name = take(&a);
    if (name && take_comma(&a) && (extra = take(&a)) == NULL)
        return false;
    if (!at_end(&a))
        return false;
    if (!mbox && ieq(t->s, "content")) {
        pc->kind = OC_PIECE_CONTENT;
        return name == NULL ||
               (name->type == T_IDENT && ieq(name->s, "text") && !extra);
    }
    if (name == NULL || name->type != T_IDENT)
        return false;
    if (!mbox && ieq(t->s, "attr") && !extra) {
        pc->kind = OC_PIECE_ATTR;
        pc->text = name->s;
        return true;
    }
    if (mbox && ieq(t->s, "counter")) {
        const kw *k = NULL;

        if (ieq(name->s, "page"))
            pc->kind = OC_PIECE_PAGE;
        else if (ieq(name->s, "pages"))
            pc->kind = OC_PIECE_PAGES;
        else
            return false;
        if (extra && (extra->type != T_IDENT ||
                      (k = find_kw(kw_list_style, extra->s)) == NULL))
            return false;
        if (k)
            pc->counter_style = (oc_list_style)k->value;
        return true;
    }
    if (mbox && ieq(t->s, "string")) {
        static const kw which[] = {
            {"first", OC_STRING_FIRST}, {"start", OC_STRING_START},
            {"last", OC_STRING_LAST}, {"first-except", OC_STRING_FIRST_EXCEPT},
            {NULL, 0}
        };
        const kw *k = NULL;

        if (extra && (extra->type != T_IDENT ||
                      (k = find_kw(which, extra->s)) == NULL))
            return false;
        pc->kind = OC_PIECE_STRING;
        pc->text = name->s;
        pc->which = k ? (oc_string_which)k->value : OC_STRING_FIRST;
        return true;
    }
    (void)p;
    return false;
}

/* Pieces up to a comma or the end, into arena memory. */
static bool
content_list(parser *p, cur *c, bool mbox, oc_content *out)
{
    oc_piece buf[64];
    size_t n = 0;
    const tok *t;

    while ((t = peek(c)) != NULL && t->type != T_COMMA) {
        if (n == sizeof buf / sizeof buf[0] ||
            !content_piece(p, c, mbox, &buf[n]))
            return false;
        n++;
    }
    if (n == 0)
        return false;
    out->pieces = memcpy(oc_arena_alloc(p->a, n * sizeof *buf), buf,
                         n * sizeof *buf);
    out->npieces = n;
    return true;
}

static bool
v_content(parser *p, cur *c, int prop, dvec *out)
{
    const tok *t = peek(c);
    oc_content ct = {NULL, 0};
    sval v = {0};

    if (t && t->type == T_IDENT &&
        (ieq(t->s, "none") || ieq(t->s, "normal"))) {
        take(c);
        if (!at_end(c))
            return false;
    } else if (!content_list(p, c, true, &ct) || !at_end(c)) {
        return false;
    }
    v.kind = V_CONTENT;
    v.ptr = ct.pieces;
    v.n = ct.npieces;
    push_decl(out, prop, &v);
    return true;
}

static bool
v_string_set(parser *p, cur *c, int prop, dvec *out)
{
    oc_string_set buf[16];
    size_t n = 0;
    const tok *t = peek(c);
    sval v = {0};

    if (t && t->type == T_IDENT && ieq(t->s, "none")) {
        take(c);
        if (!at_end(c))
            return false;
    } else {
        for (;;) {
            t = take(c);
            if (t == NULL || t->type != T_IDENT ||
                n == sizeof buf / sizeof buf[0])
                return false;
            buf[n].name = t->s;
            if (!content_list(p, c, false, &buf[n].value))
                return false;
            n++;
            if (at_end(c))
                break;
            if (!take_comma(c))
                return false;
        }
    }
    v.kind = V_STRSET;
    v.n = n;
    if (n)
        v.ptr = memcpy(oc_arena_alloc(p->a, n * sizeof *buf), buf,
                       n * sizeof *buf);
    push_decl(out, prop, &v);
    return true;
}

/* @page size (CSS Paged Media 3 §7.1). */
static bool
v_size(parser *p, cur *c, int prop, dvec *out)
{
    static const struct {
        const char *name;
        double      w, h;       /* points */
    } sizes[] = {
        {"A3", 297 * 72 / 25.4, 420 * 72 / 25.4},
        {"A4", 210 * 72 / 25.4, 297 * 72 / 25.4},
        {"A5", 148 * 72 / 25.4, 210 * 72 / 25.4},
        {"A6", 105 * 72 / 25.4, 148 * 72 / 25.4},
        {"B4", 250 * 72 / 25.4, 353 * 72 / 25.4},
        {"B5", 176 * 72 / 25.4, 250 * 72 / 25.4},
        {"JIS-B4", 257 * 72 / 25.4, 364 * 72 / 25.4},
        {"JIS-B5", 182 * 72 / 25.4, 257 * 72 / 25.4},
        {"letter", 8.5 * 72, 11 * 72}, {"legal", 8.5 * 72, 14 * 72},
        {"ledger", 11 * 72, 17 * 72},
    };
    sval v = {0}, len[2];
    size_t nlen = 0;
    bool named = false, oriented = false, autos = false;
    const tok *t;

    (void)p;
    v.kind = V_SIZE;
    while ((t = take(c)) != NULL) {
        if (t->type == T_IDENT) {
            size_t k;

            if (ieq(t->s, "auto") && !autos && !named && !oriented &&
                nlen == 0) {
                autos = true;
                continue;
            }
            if ((ieq(t->s, "portrait") || ieq(t->s, "landscape")) &&
                !oriented && !autos && nlen == 0) {
                oriented = true;
                v.kw = ieq(t->s, "portrait") ? 1 : 2;
                continue;
            }
            for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
                if (ieq(t->s, sizes[k].name))
                    break;
            if (k == sizeof sizes / sizeof sizes[0] || named || autos ||
                nlen)
                return false;
            named = true;
            v.num = sizes[k].w;
            v.num2 = sizes[k].h;
            continue;
        }
        if (nlen == 2 || named || oriented || autos ||
            !parse_length(t, &len[nlen], 0) || len[nlen].unit != U_PT ||
            !(len[nlen].num > 0))
            return false;
        nlen++;
    }
    if (nlen == 0 && !named && !oriented && !autos)
        return false;
    if (nlen) {
        v.num = clampd(len[0].num, 1, MAX_LENGTH);
        v.num2 = clampd(len[nlen - 1].num, 1, MAX_LENGTH);
    }
    push_decl(out, prop, &v);
    return true;
}

/* ---- the property table ---- */

enum { F_PAGE_ONLY = 1 };

typedef struct prop_def {
    const char *name;
    value_fn    parse;
    int         prop;       /* the longhand, or the first of a group */
    const int  *longhands;  /* shorthands: the longhands, ending in -1 */
    int         flags;
} prop_def;

static const int lh_margin[] = {
    P_MARGIN_TOP, P_MARGIN_RIGHT, P_MARGIN_BOTTOM, P_MARGIN_LEFT, -1
};
static const int lh_padding[] = {
    P_PADDING_TOP, P_PADDING_RIGHT, P_PADDING_BOTTOM, P_PADDING_LEFT, -1
};
static const int lh_list_style[] = {
    P_LIST_STYLE_TYPE, P_LIST_STYLE_POSITION, -1
};
static const int lh_font[] = {
    P_FONT_STYLE, P_FONT_VARIANT, P_FONT_WEIGHT, P_FONT_SIZE,
    P_LINE_HEIGHT, P_FONT_FAMILY, -1
};

static bool
v_margin(parser *p, cur *c, int prop, dvec *out)
{
    (void)prop;
    return v_box_shorthand(p, c, P_MARGIN_TOP, out);
}

static bool
v_padding(parser *p, cur *c, int prop, dvec *out)
{
    (void)prop;
    return v_box_shorthand(p, c, P_PADDING_TOP, out);
}

static const prop_def props[] = {
    {"font-family", v_font_family, P_FONT_FAMILY, NULL, 0},
    {"font-size", v_font_size, P_FONT_SIZE, NULL, 0},
    {"font-weight", v_font_weight, P_FONT_WEIGHT, NULL, 0},
    {"font-style", v_keyword, P_FONT_STYLE, NULL, 0},
    {"font-variant", v_keyword, P_FONT_VARIANT, NULL, 0},
    {"font-variant-caps", v_keyword, P_FONT_VARIANT, NULL, 0},
    {"font", v_font, -1, lh_font, 0},
    {"line-height", v_line_height, P_LINE_HEIGHT, NULL, 0},
    {"color", v_color, P_COLOR, NULL, 0},
    {"margin", v_margin, -1, lh_margin, 0},
    {"margin-top", v_side, P_MARGIN_TOP, NULL, 0},
    {"margin-right", v_side, P_MARGIN_RIGHT, NULL, 0},
    {"margin-bottom", v_side, P_MARGIN_BOTTOM, NULL, 0},
    {"margin-left", v_side, P_MARGIN_LEFT, NULL, 0},
    {"margin-inside", v_side, P_MARGIN_INSIDE, NULL, F_PAGE_ONLY},
    {"margin-outside", v_side, P_MARGIN_OUTSIDE, NULL, F_PAGE_ONLY},
    {"padding", v_padding, -1, lh_padding, 0},
    {"padding-top", v_side, P_PADDING_TOP, NULL, 0},
    {"padding-right", v_side, P_PADDING_RIGHT, NULL, 0},
    {"padding-bottom", v_side, P_PADDING_BOTTOM, NULL, 0},
    {"padding-left", v_side, P_PADDING_LEFT, NULL, 0},
    {"text-indent", v_side, P_TEXT_INDENT, NULL, 0},
    {"text-align", v_keyword, P_TEXT_ALIGN, NULL, 0},
    {"hyphens", v_keyword, P_HYPHENS, NULL, 0},
    {"-webkit-hyphens", v_keyword, P_HYPHENS, NULL, 0},
    {"-epub-hyphens", v_keyword, P_HYPHENS, NULL, 0},
    {"white-space", v_keyword, P_WHITE_SPACE, NULL, 0},
    {"list-style-type", v_keyword, P_LIST_STYLE_TYPE, NULL, 0},
    {"list-style-position", v_keyword, P_LIST_STYLE_POSITION, NULL, 0},
    {"list-style", v_list_style, -1, lh_list_style, 0},
    {"page-break-before", v_keyword, P_BREAK_BEFORE, NULL, 0},
    {"page-break-after", v_keyword, P_BREAK_AFTER, NULL, 0},
    {"page-break-inside", v_keyword, P_BREAK_INSIDE, NULL, 0},
    {"break-before", v_keyword, P_BREAK_BEFORE, NULL, 0},
    {"break-after", v_keyword, P_BREAK_AFTER, NULL, 0},
    {"break-inside", v_keyword, P_BREAK_INSIDE, NULL, 0},
    {"widows", v_integer, P_WIDOWS, NULL, 0},
    {"orphans", v_integer, P_ORPHANS, NULL, 0},
    {"display", v_keyword, P_DISPLAY, NULL, 0},
    {"vertical-align", v_keyword, P_VERTICAL_ALIGN, NULL, 0},
    {"text-transform", v_keyword, P_TEXT_TRANSFORM, NULL, 0},
    {"letter-spacing", v_spacing, P_LETTER_SPACING, NULL, 0},
    {"word-spacing", v_spacing, P_WORD_SPACING, NULL, 0},
    {"text-decoration", v_decoration, P_TEXT_DECORATION, NULL, 0},
    {"text-decoration-line", v_decoration_line, P_TEXT_DECORATION, NULL, 0},
    {"direction", v_keyword, P_DIRECTION, NULL, 0},
    {"string-set", v_string_set, P_STRING_SET, NULL, 0},
    {"content", v_content, P_CONTENT, NULL, 0},
    {"size", v_size, P_SIZE, NULL, F_PAGE_ONLY},
    {NULL, NULL, 0, NULL, 0}
};

/* Properties ignored without a word: what only matters on a screen, or
 * decoration the PDF engine does not paint. Vendor-prefixed (-x-) and
 * custom (--x) properties are ignored silently too. */
static const char *silent_prefixes[] = {
    "-", "background", "border", "outline", "transition", "animation",
    "scroll-", "mask", NULL
};
static const char *silent_names[] = {
    "box-shadow", "box-sizing", "max-width", "min-width", "max-height",
    "min-height", "quotes", "counter-reset", "counter-increment",
    "counter-set", "cursor", "pointer-events", "user-select",
    "text-decoration-color", "text-decoration-style",
    "text-decoration-thickness", "text-decoration-skip",
    "text-decoration-skip-ink", "text-underline-offset",
    "text-underline-position", "text-rendering", "text-shadow",
    "font-kerning", "font-feature-settings", "font-variant-ligatures",
    "font-variant-numeric", "font-variation-settings", "font-optical-sizing",
    "font-synthesis", "opacity", "speak", "speak-as", "print-color-adjust",
    "color-adjust", "unicode-bidi", "adobe-hyphenate", "caret-color",
    "accent-color", "will-change", "resize", "appearance", "filter",
    "clip-path", "isolation", "mix-blend-mode", "touch-action",
    "image-rendering", NULL
};

static bool
is_silent(const char *name)
{
    for (size_t k = 0; silent_prefixes[k]; k++)
        if (strncmp(name, silent_prefixes[k],
                    strlen(silent_prefixes[k])) == 0)
            return true;
    for (size_t k = 0; silent_names[k]; k++)
        if (strcmp(name, silent_names[k]) == 0)
            return true;
    return false;
}

static const prop_def *
find_prop(const char *name)
{
    for (const prop_def *d = props; d->name; d++)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

/* ---- declarations (§5.4.5) ---- */

static void
describe(const tok *t, char *buf, size_t size)
{
    switch (t->type) {
    case T_EOF:       snprintf(buf, size, "end of input"); break;
    case T_IDENT:     snprintf(buf, size, "'%.40s'", t->s); break;
    case T_FUNCTION:  snprintf(buf, size, "'%.40s('", t->s); break;
    case T_AT:        snprintf(buf, size, "'@%.40s'", t->s); break;
    case T_HASH:      snprintf(buf, size, "'#%.40s'", t->s); break;
    case T_STRING:
    case T_BAD_STRING: snprintf(buf, size, "a string"); break;
    case T_URL:
    case T_BAD_URL:   snprintf(buf, size, "a url()"); break;
    case T_NUMBER:
    case T_PERCENT:
    case T_DIMENSION: snprintf(buf, size, "a number"); break;
    case T_DELIM:
        if (t->delim >= 0x20 && t->delim < 0x7F)
            snprintf(buf, size, "'%c'", (char)t->delim);
        else
            snprintf(buf, size, "U+%04X", (unsigned)t->delim);
        break;
    default: {
        static const char *names[] = {
            [T_WS] = "white space", [T_CDO] = "'<!--'", [T_CDC] = "'-->'",
            [T_COLON] = "':'", [T_SEMI] = "';'", [T_COMMA] = "','",
            [T_LBRACKET] = "'['", [T_RBRACKET] = "']'", [T_LPAREN] = "'('",
            [T_RPAREN] = "')'", [T_LBRACE] = "'{'", [T_RBRACE] = "'}'",
        };

        snprintf(buf, size, "%s", names[t->type] ? names[t->type] : "?");
    }
    }
}

/* Report property 'name' once per collection. */
static void
warn_once(parser *p, const tok *t, const char *name, const char *fmt)
{
    void **slot = smap_slot(p->a, &p->css->warned, name, strlen(name), true);

    if (*slot)
        return;
    *slot = (void *)1;
    pwarn(p, t, fmt, name);
}

static bool
global_keyword(const tok *t, vkind *k)
{
    if (t == NULL || t->type != T_IDENT)
        return false;
    if (ieq(t->s, "inherit"))
        *k = V_INHERIT;
    else if (ieq(t->s, "initial"))
        *k = V_INITIAL;
    else if (ieq(t->s, "unset") || ieq(t->s, "revert") ||
             ieq(t->s, "revert-layer"))
        *k = V_UNSET;
    else
        return false;
    return true;
}

/* The declaration in t[i..end), t[i] its name. */
static void
parse_declaration(parser *p, size_t i, size_t end, int ctx, dvec *out)
{
    const tok *name = &p->t[i];
    char *lname;
    size_t k = skip_ws(p, i + 1, end), vend = end, e;
    bool important = false;
    const prop_def *def;
    size_t before = out->n;
    cur c;
    vkind gk;

    if (k >= end || p->t[k].type != T_COLON) {
        char what[64];

        describe(k < end ? &p->t[k] : &p->t[p->n], what, sizeof what);
        pwarn(p, k < end ? &p->t[k] : name,
              "expected ':' after '%.60s', found %s; declaration ignored",
              name->s, what);
        return;
    }
    lname = lower_dup(p->a, name->s);
    if (strncmp(lname, "--", 2) == 0)
        return;                         /* custom property: unused */
    /* "! important" at the end (§5.4.6) */
    e = vend;
    while (e > k + 1 && p->t[e - 1].type == T_WS)
        e--;
    if (e > k + 1 && p->t[e - 1].type == T_IDENT &&
        ieq(p->t[e - 1].s, "important")) {
        size_t b = e - 1;

        while (b > k + 1 && p->t[b - 1].type == T_WS)
            b--;
        if (b > k + 1 && is_delim(&p->t[b - 1], '!')) {
            important = true;
            vend = b - 1;
        }
    }
    c = (cur){p, k + 1, vend};
    if (at_end(&c)) {
        pwarn(p, name, "empty value for '%s'; declaration ignored", lname);
        return;
    }
    if ((def = find_prop(lname)) == NULL) {
        if (!is_silent(lname))
            warn_once(p, name, lname,
                      "unsupported property '%s' ignored (reported once)");
        return;
    }
    if ((def->flags & F_PAGE_ONLY) && ctx != CTX_PAGE) {
        warn_once(p, name, lname, "property '%s' applies in @page only; "
                  "ignored (reported once)");
        return;
    }
    if (def->prop == P_CONTENT && ctx != CTX_MBOX)
        return;                 /* generated content: not rendered */
    {
        cur g = c;

        if (global_keyword(take(&g), &gk) && at_end(&g)) {
            sval v = {0};

            v.kind = gk;
            if (def->longhands)
                for (const int *l = def->longhands; *l >= 0; l++)
                    push_decl(out, *l, &v);
            else
                push_decl(out, def->prop, &v);
        } else if (!def->parse(p, &c, def->prop, out)) {
            out->n = before;
            pwarn(p, &p->t[skip_ws(p, k + 1, vend)],
                  "invalid value for '%s'; declaration ignored", lname);
            return;
        }
    }
    for (size_t d = before; d < out->n; d++)
        out->d[d].important = important;
}

static const char *mbox_names[OC_MBOX_COUNT] = {
    "top-left-corner", "top-left", "top-center", "top-right",
    "top-right-corner", "right-top", "right-middle", "right-bottom",
    "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left",
    "bottom-left-corner", "left-bottom", "left-middle", "left-top"
};

static void
warn_unclosed(parser *p, size_t brace)
{
    if (p->match[brace] != p->n || p->eof_warned)
        return;
    p->eof_warned = true;
    pwarn(p, &p->t[brace], "'}' missing: the block opened here runs to the "
          "end of the stylesheet");
}

/* Declarations in t[i..end); in @page (ctx CTX_PAGE), margin boxes go
 * to boxes[]. */
static void
parse_decl_list(parser *p, size_t i, size_t end, int ctx, dvec *out,
                dvec *boxes)
{
    while (i < end) {
        const tok *t = &p->t[i];
        size_t j = i;

        if (t->type == T_WS || t->type == T_SEMI) {
            i++;
            continue;
        }
        if (t->type == T_AT) {
            int box = -1;

            j = i + 1;
            while (j < end && p->t[j].type != T_SEMI &&
                   p->t[j].type != T_LBRACE)
                j = next_cv(p, j, end);
            for (int b = 0; ctx == CTX_PAGE && b < OC_MBOX_COUNT; b++)
                if (ieq(t->s, mbox_names[b]))
                    box = b;
            if (box >= 0 && j < end && p->t[j].type == T_LBRACE &&
                skip_ws(p, i + 1, j) == j) {
                size_t bend = p->match[j] < end ? p->match[j] : end;

                warn_unclosed(p, j);
                parse_decl_list(p, j + 1, bend, CTX_MBOX, &boxes[box],
                                NULL);
            } else {
                pwarn(p, t, "unexpected at-rule '@%.60s' in a declaration "
                      "block; ignored", t->s);
            }
            i = j < end ? next_cv(p, j, end) : end;
            continue;
        }
        while (j < end && p->t[j].type != T_SEMI)
            j = next_cv(p, j, end);
        if (t->type == T_IDENT) {
            parse_declaration(p, i, j, ctx, out);
        } else {
            char what[64];

            describe(t, what, sizeof what);
            pwarn(p, t, "unexpected %s in a declaration block; skipped to "
                  "the next ';'", what);
        }
        i = j;
    }
}

static void
finish_block(oc_arena *a, dvec *dv, block *b)
{
    b->n = dv->n;
    b->d = NULL;
    if (dv->n)
        b->d = memcpy(oc_arena_alloc(a, dv->n * sizeof *dv->d), dv->d,
                      dv->n * sizeof *dv->d);
    free(dv->d);
    memset(dv, 0, sizeof *dv);
}

/* ---- selectors ---- */

enum { SEL_OK, SEL_NEVER, SEL_BAD };
#define MAX_COMPOUNDS 32
#define MAX_SIMPLES   16

typedef struct sel_error {
    const tok  *at;
    char        msg[160];
} sel_error;

static int
sel_bad(sel_error *e, const tok *t, const char *fmt, const char *arg)
{
    e->at = t;
    snprintf(e->msg, sizeof e->msg, fmt, arg ? arg : "");
    return SEL_BAD;
}

static const char *
ns_lookup(const parser *p, const char *prefix)
{
    for (const ns_decl *d = p->ns; d; d = d->next)
        if (strcmp(d->prefix, prefix) == 0)
            return d->uri;
    return NULL;
}

static void
bump(uint32_t *spec, int shift)
{
    if (((*spec >> shift) & 1023) < 1023)
        *spec += 1u << shift;
}

/* [attr], [ns|attr op value flag] in t[i..end). */
static int
parse_attr(parser *p, size_t i, size_t end, simple *s, sel_error *e)
{
    const tok *t;

    memset(s, 0, sizeof *s);
    s->kind = S_ATTR;
    i = skip_ws(p, i, end);
    if (i + 2 < end && is_delim(&p->t[i + 1], '|') &&
        p->t[i + 2].type == T_IDENT &&
        (p->t[i].type == T_IDENT || is_delim(&p->t[i], '*'))) {
        if (p->t[i].type == T_IDENT) {
            if ((s->ns = ns_lookup(p, p->t[i].s)) == NULL)
                return sel_bad(e, &p->t[i], "undeclared namespace prefix "
                               "'%.60s' in selector", p->t[i].s);
        } else {
            s->any_ns = true;
        }
        i += 2;
    } else if (i + 1 < end && is_delim(&p->t[i], '|') &&
               p->t[i + 1].type == T_IDENT) {
        i += 1;
    }
    if (i >= end || p->t[i].type != T_IDENT)
        return sel_bad(e, i < end ? &p->t[i] : NULL,
                       "expected an attribute name in '[...]'", NULL);
    s->name = p->t[i].s;
    i = skip_ws(p, i + 1, end);
    if (i >= end) {
        s->op = A_EXISTS;
        return SEL_OK;
    }
    t = &p->t[i];
    if (is_delim(t, '=')) {
        s->op = A_EQ;
        i++;
    } else if (t->type == T_DELIM && i + 1 < end &&
               is_delim(&p->t[i + 1], '=') && strchr("~|^$*", (int)t->delim)
               && t->delim != 0) {
        s->op = t->delim == '~' ? A_INCLUDES : t->delim == '|' ? A_DASH :
                t->delim == '^' ? A_PREFIX : t->delim == '$' ? A_SUFFIX :
                A_SUBSTR;
        i += 2;
    } else {
        return sel_bad(e, t, "bad operator in attribute selector", NULL);
    }
    i = skip_ws(p, i, end);
    if (i >= end || (p->t[i].type != T_IDENT && p->t[i].type != T_STRING))
        return sel_bad(e, i < end ? &p->t[i] : t,
                       "expected a value in attribute selector", NULL);
    s->value = p->t[i].s;
    i = skip_ws(p, i + 1, end);
    if (i < end && p->t[i].type == T_IDENT &&
        (ieq(p->t[i].s, "i") || ieq(p->t[i].s, "s"))) {
        s->icase = ieq(p->t[i].s, "i");
        i = skip_ws(p, i + 1, end);
    }
    if (i < end)
        return sel_bad(e, &p->t[i], "unexpected token in attribute "
                       "selector", NULL);
    return SEL_OK;
}

static int
pseudo_class(const char *name)
{
    static const kw pcs[] = {
        {"first-child", PC_FIRST_CHILD}, {"last-child", PC_LAST_CHILD},
        {"only-child", PC_ONLY_CHILD}, {"first-of-type", PC_FIRST_OF_TYPE},
        {"last-of-type", PC_LAST_OF_TYPE}, {"only-of-type", PC_ONLY_OF_TYPE},
        {"root", PC_ROOT}, {"empty", PC_EMPTY}, {"link", PC_LINK},
        {"any-link", PC_LINK}, {NULL, 0}
    };
    const kw *k = find_kw(pcs, name);

    return k ? k->value : -1;
}

/* Pseudo-classes that never match on paper: the rule is kept, silently,
 * for an element state a printed page has not got. */
static bool
dynamic_pseudo(const char *name)
{
    static const char *names[] = {
        "hover", "active", "focus", "focus-within", "focus-visible",
        "visited", "target", "target-within", NULL
    };

    for (size_t k = 0; names[k]; k++)
        if (ieq(name, names[k]))
            return true;
    return false;
}

/* One compound selector at *k; on SEL_OK or SEL_NEVER *k is past it. */
static int
parse_compound(parser *p, size_t *k, size_t end, compound *c,
               simple *sbuf, uint32_t *spec, sel_error *e)
{
    size_t i = *k;
    bool any = false, never = false;
    const tok *t = &p->t[i];

    memset(c, 0, sizeof *c);
    c->s = sbuf;
    /* type or universal selector, with an optional namespace prefix */
    if (i + 2 < end && is_delim(&p->t[i + 1], '|') &&
        (t->type == T_IDENT || is_delim(t, '*')) &&
        (p->t[i + 2].type == T_IDENT || is_delim(&p->t[i + 2], '*'))) {
        if (t->type == T_IDENT &&
            (c->ns = ns_lookup(p, t->s)) == NULL)
            return sel_bad(e, t, "undeclared namespace prefix '%.60s' in "
                           "selector", t->s);
        i += 2;
    } else if (i + 1 < end && is_delim(t, '|') &&
               (p->t[i + 1].type == T_IDENT || is_delim(&p->t[i + 1], '*'))) {
        c->no_ns = true;
        i += 1;
    } else {
        c->ns = p->default_ns;  /* Selectors 3 §6.1.1 */
    }
    if (i < end && p->t[i].type == T_IDENT) {
        c->tag = lower_dup(p->a, p->t[i].s);
        bump(spec, 0);
        i++;
        any = true;
    } else if (i < end && is_delim(&p->t[i], '*')) {
        i++;
        any = true;
    } else if (i != *k) {
        return sel_bad(e, &p->t[i < end ? i : *k], "expected an element "
                       "name after '|'", NULL);
    }
    while (i < end) {
        simple *s = &sbuf[c->ns_count];

        t = &p->t[i];
        if (c->ns_count == MAX_SIMPLES &&
            (t->type == T_HASH || is_delim(t, '.') ||
             t->type == T_LBRACKET || t->type == T_COLON))
            return sel_bad(e, t, "selector too long", NULL);
        if (t->type == T_HASH) {
            if (!t->id)
                return sel_bad(e, t, "'#%.60s' is not a valid id selector",
                               t->s);
            memset(s, 0, sizeof *s);
            s->kind = S_ID;
            s->name = t->s;
            bump(spec, 20);
            i++;
        } else if (is_delim(t, '.')) {
            if (i + 1 >= end || p->t[i + 1].type != T_IDENT)
                return sel_bad(e, t, "expected a class name after '.'",
                               NULL);
            memset(s, 0, sizeof *s);
            s->kind = S_CLASS;
            s->name = p->t[i + 1].s;
            bump(spec, 10);
            i += 2;
        } else if (t->type == T_LBRACKET) {
            if (p->match[i] >= end)
                return sel_bad(e, t, "'[' without ']' in selector", NULL);
            if (parse_attr(p, i + 1, p->match[i], s, e) != SEL_OK)
                return SEL_BAD;
            bump(spec, 10);
            i = p->match[i] + 1;
        } else if (t->type == T_COLON) {
            const tok *n = i + 1 < end ? &p->t[i + 1] : NULL;

            if (n && n->type == T_COLON) {      /* ::pseudo-element */
                n = i + 2 < end ? &p->t[i + 2] : NULL;
                if (n == NULL ||
                    (n->type != T_IDENT && n->type != T_FUNCTION))
                    return sel_bad(e, t, "expected a pseudo-element name "
                                   "after '::'", NULL);
                never = true;
                bump(spec, 0);
                i = next_cv(p, i + 2, end);
                any = true;
                continue;
            }
            if (n && n->type == T_FUNCTION)
                return sel_bad(e, n, "unsupported pseudo-class ':%.60s()'",
                               n->s);
            if (n == NULL || n->type != T_IDENT)
                return sel_bad(e, t, "expected a pseudo-class name after "
                               "':'", NULL);
            if (ieq(n->s, "before") || ieq(n->s, "after") ||
                ieq(n->s, "first-line") || ieq(n->s, "first-letter")) {
                never = true;           /* CSS 2 pseudo-element syntax */
                bump(spec, 0);
            } else if (dynamic_pseudo(n->s)) {
                never = true;
                bump(spec, 10);
            } else if (pseudo_class(n->s) >= 0) {
                memset(s, 0, sizeof *s);
                s->kind = S_PSEUDO;
                s->pseudo = pseudo_class(n->s);
                bump(spec, 10);
                c->ns_count++;
            } else {
                return sel_bad(e, n, "unsupported pseudo-class ':%.60s'",
                               n->s);
            }
            i += 2;
            any = true;
            continue;
        } else {
            break;
        }
        c->ns_count++;
        any = true;
    }
    if (!any) {
        char what[64];

        describe(&p->t[i < end ? i : p->n], what, sizeof what);
        e->at = &p->t[i < end ? i : p->n];
        snprintf(e->msg, sizeof e->msg, "expected a selector, found %s",
                 what);
        return SEL_BAD;
    }
    *k = i;
    return never ? SEL_NEVER : SEL_OK;
}

/* One complex selector in t[i..end) into r. */
static int
parse_complex(parser *p, size_t i, size_t end, rule *r, sel_error *e)
{
    compound cs[MAX_COMPOUNDS];
    simple sbuf[MAX_COMPOUNDS][MAX_SIMPLES];
    size_t nc = 0;
    int comb = C_NONE, result = SEL_OK;
    uint32_t spec = 0;

    i = skip_ws(p, i, end);
    while (end > i && p->t[end - 1].type == T_WS)
        end--;
    if (i >= end)
        return sel_bad(e, &p->t[i < p->n ? i : p->n], "empty selector",
                       NULL);
    for (;;) {
        int rc;
        bool ws;
        size_t k;
        const tok *t;

        if (nc == MAX_COMPOUNDS)
            return sel_bad(e, &p->t[i], "selector too long", NULL);
        rc = parse_compound(p, &i, end, &cs[nc], sbuf[nc], &spec, e);
        if (rc == SEL_BAD)
            return SEL_BAD;
        if (rc == SEL_NEVER)
            result = SEL_NEVER;
        cs[nc++].comb = comb;
        k = skip_ws(p, i, end);
        ws = k > i;
        i = k;
        if (i >= end)
            break;
        t = &p->t[i];
        if (is_delim(t, '>') || is_delim(t, '+') || is_delim(t, '~')) {
            comb = t->delim == '>' ? C_CHILD : t->delim == '+' ? C_ADJ :
                   C_SIB;
            i = skip_ws(p, i + 1, end);
            if (i >= end)
                return sel_bad(e, t, "selector ends with a combinator",
                               NULL);
        } else if (ws) {
            comb = C_DESC;
        } else {
            char what[64];

            describe(t, what, sizeof what);
            e->at = t;
            snprintf(e->msg, sizeof e->msg, "unexpected %s in selector",
                     what);
            return SEL_BAD;
        }
    }
    if (result == SEL_NEVER)
        return SEL_NEVER;
    r->c = oc_arena_alloc(p->a, nc * sizeof *r->c);
    for (size_t k = 0; k < nc; k++) {
        r->c[k] = cs[k];
        r->c[k].s = NULL;
        if (cs[k].ns_count)
            r->c[k].s = memcpy(oc_arena_alloc(p->a, cs[k].ns_count *
                                              sizeof(simple)),
                               sbuf[k], cs[k].ns_count * sizeof(simple));
    }
    r->nc = nc;
    r->spec = spec;
    return SEL_OK;
}

static void
rlist_add(oc_arena *a, rlist *l, rule *r)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;

        l->v = oc_arena_grow(a, l->v, l->cap, cap, sizeof *l->v);
        l->cap = cap;
    }
    l->v[l->n++] = r;
}

/* File the rule under its subject's id, else a class, else its element
 * name, else with the rules every element must try. */
static void
index_rule(oc_css *css, rule *r)
{
    const compound *c = &r->c[r->nc - 1];
    const char *name = NULL;
    smap *m = NULL;
    rlist **slot;

    for (size_t k = 0; k < c->ns_count; k++) {
        if (c->s[k].kind == S_ID) {
            name = c->s[k].name;
            m = &css->by_id;
            break;
        }
        if (c->s[k].kind == S_CLASS && name == NULL) {
            name = c->s[k].name;
            m = &css->by_class;
        }
    }
    if (name == NULL && c->tag) {
        name = c->tag;
        m = &css->by_tag;
    }
    if (name == NULL) {
        rlist_add(css->a, &css->universal, r);
        return;
    }
    slot = (rlist **)smap_slot(css->a, m, name, strlen(name), true);
    if (*slot == NULL)
        *slot = oc_arena_alloc(css->a, sizeof **slot);
    rlist_add(css->a, *slot, r);
}

/* ---- rules (§5.4.1 to §5.4.4) ---- */

static void parse_rules(parser *p, size_t i, size_t end, bool top);

/* A style rule: selector list t[i..brace), then its block. Returns the
 * index after the rule. */
static size_t
parse_style_rule(parser *p, size_t i, size_t end)
{
    size_t j = i, bend, next, nrules = 0;
    rule rules[64], *rs;
    sel_error e = {NULL, ""};
    bool bad = false, too_many = false;
    dvec dv = {0};
    block *b;

    while (j < end && p->t[j].type != T_LBRACE)
        j = next_cv(p, j, end);
    if (j >= end) {
        pwarn(p, &p->t[i], "expected '{' after a selector; the rest of the "
              "%s is ignored", p->depth ? "block" : "stylesheet");
        return end;
    }
    warn_unclosed(p, j);
    bend = p->match[j] < end ? p->match[j] : end;
    next = next_cv(p, j, end);
    for (size_t k = i; k < j && !bad;) {
        size_t c = k;
        rule r = {0};
        int rc;

        while (c < j && p->t[c].type != T_COMMA)
            c = next_cv(p, c, j);
        rc = parse_complex(p, k, c, &r, &e);
        if (rc == SEL_BAD)
            bad = true;
        else if (rc == SEL_OK && nrules < sizeof rules / sizeof rules[0])
            rules[nrules++] = r;
        else if (rc == SEL_OK)
            too_many = true;
        k = c + 1;
        if (c < j && k >= j) {
            e.at = &p->t[c];
            snprintf(e.msg, sizeof e.msg, "selector list ends with ','");
            bad = true;
        }
    }
    if (bad) {
        pwarn(p, e.at ? e.at : &p->t[i], "%s; rule ignored", e.msg);
        return next;
    }
    if (too_many)
        pwarn(p, &p->t[i], "more than %zu selectors in one rule; the rest "
              "are ignored", sizeof rules / sizeof rules[0]);
    parse_decl_list(p, j + 1, bend, CTX_STYLE, &dv, NULL);
    if (nrules == 0) {
        free(dv.d);
        return next;                    /* pseudo-elements only */
    }
    b = oc_arena_alloc(p->a, sizeof *b);
    finish_block(p->a, &dv, b);
    rs = oc_arena_alloc(p->a, nrules * sizeof *rs);
    for (size_t k = 0; k < nrules; k++) {
        rs[k] = rules[k];
        rs[k].order = p->css->norder;
        rs[k].origin = p->origin;
        rs[k].decls = b;
        index_rule(p->css, &rs[k]);
    }
    p->css->norder++;
    return next;
}

/* One media query (Media Queries 4 §3): the media type must be print or
 * all; media features are not evaluated and make the query false. */
static bool
query_matches(parser *p, size_t i, size_t end)
{
    cur c = {p, i, end};
    const tok *t = take(&c);
    bool neg = false, ok;

    if (t && t->type == T_IDENT && (ieq(t->s, "not") || ieq(t->s, "only"))) {
        neg = ieq(t->s, "not");
        t = take(&c);
    }
    if (t == NULL)
        return false;
    if (t->type == T_IDENT && !ieq(t->s, "and") && !ieq(t->s, "or") &&
        !ieq(t->s, "not") && !ieq(t->s, "only"))
        ok = ieq(t->s, "print") || ieq(t->s, "all");
    else if (t->type == T_LPAREN && !neg)
        ok = false;
    else
        return false;
    while ((t = take(&c)) != NULL) {
        if (t->type != T_IDENT || !ieq(t->s, "and"))
            return false;
        if ((t = take(&c)) == NULL || t->type != T_LPAREN)
            return false;
        ok = false;
    }
    return neg ? !ok : ok;
}

static bool
media_matches(parser *p, size_t i, size_t end)
{
    bool any = false;

    if (skip_ws(p, i, end) >= end)
        return true;
    while (i < end) {
        size_t j = i;

        while (j < end && p->t[j].type != T_COMMA)
            j = next_cv(p, j, end);
        any |= query_matches(p, i, j);
        i = j + 1;
    }
    return any;
}

static void
parse_namespace(parser *p, const tok *at, size_t i, size_t end)
{
    cur c = {p, i, end};
    const tok *t = take(&c);
    const char *prefix = NULL, *uri = NULL;

    if (t && t->type == T_IDENT) {
        prefix = t->s;
        t = take(&c);
    }
    if (t && (t->type == T_STRING || t->type == T_URL)) {
        uri = t->s;
    } else if (t && t->type == T_FUNCTION && ieq(t->s, "url")) {
        cur a = args_of(&c, t);
        const tok *s = take(&a);

        if (s && s->type == T_STRING && at_end(&a))
            uri = s->s;
    }
    if (uri == NULL || !at_end(&c)) {
        pwarn(p, at, "malformed @namespace rule; ignored");
        return;
    }
    if (prefix) {
        ns_decl *d = oc_arena_alloc(p->a, sizeof *d);

        d->prefix = prefix;
        d->uri = uri;
        d->next = p->ns;
        p->ns = d;
    } else {
        p->default_ns = uri;
    }
}

/* @page selectors (CSS Paged Media 3 §3.1) and block. */
static void
parse_page(parser *p, const tok *at, size_t i, size_t end, size_t bi,
           size_t bend)
{
    unsigned need[16];
    uint32_t spec[16];
    size_t nsel = 0;
    dvec dv = {0}, boxes[OC_MBOX_COUNT];
    page_rule pr;

    if (skip_ws(p, i, end) >= end) {
        need[0] = 0;
        spec[0] = 0;
        nsel = 1;
    }
    while (skip_ws(p, i, end) < end) {
        size_t j = i;
        cur c;
        const tok *t;

        while (j < end && p->t[j].type != T_COMMA)
            j = next_cv(p, j, end);
        c = (cur){p, i, j};
        t = peek(&c);
        if (nsel == sizeof need / sizeof need[0] || t == NULL) {
            pwarn(p, at, "malformed @page selector; rule ignored");
            return;
        }
        if (t->type == T_IDENT) {
            pwarn(p, t, "named pages (@page %.60s) are not supported; rule "
                  "ignored", t->s);
            return;
        }
        need[nsel] = 0;
        spec[nsel] = 0;
        for (size_t k = c.i; k < j; k += 2) {
            const tok *n = k + 1 < j ? &p->t[k + 1] : NULL;
            unsigned f;

            if (p->t[k].type != T_COLON || n == NULL ||
                n->type != T_IDENT) {
                if (p->t[k].type == T_WS && skip_ws(p, k, j) == j)
                    break;
                pwarn(p, &p->t[k], "malformed @page selector; rule "
                      "ignored");
                return;
            }
            f = ieq(n->s, "first") ? OC_PAGE_FIRST :
                ieq(n->s, "left") ? OC_PAGE_LEFT :
                ieq(n->s, "right") ? OC_PAGE_RIGHT :
                ieq(n->s, "blank") ? OC_PAGE_BLANK : 0;
            if (f == 0) {
                pwarn(p, n, "unsupported page selector ':%.60s'; rule "
                      "ignored", n->s);
                return;
            }
            need[nsel] |= f;
            bump(&spec[nsel], f & (OC_PAGE_FIRST | OC_PAGE_BLANK) ? 10 : 0);
        }
        nsel++;
        i = j + 1;
    }
    memset(boxes, 0, sizeof boxes);
    memset(&pr, 0, sizeof pr);
    parse_decl_list(p, bi, bend, CTX_PAGE, &dv, boxes);
    finish_block(p->a, &dv, &pr.decls);
    for (int b = 0; b < OC_MBOX_COUNT; b++)
        finish_block(p->a, &boxes[b], &pr.boxes[b]);
    pr.order = p->css->norder++;
    pr.origin = p->origin;
    for (size_t k = 0; k < nsel; k++) {
        page_rule *r = oc_arena_alloc(p->a, sizeof *r);
        oc_css *css = p->css;

        *r = pr;
        r->need = need[k];
        r->spec = spec[k];
        if (css->npages == css->pages_cap) {
            size_t cap = css->pages_cap ? css->pages_cap * 2 : 8;

            css->pages = oc_arena_grow(p->a, css->pages, css->pages_cap,
                                       cap, sizeof *css->pages);
            css->pages_cap = cap;
        }
        css->pages[css->npages++] = r;
    }
}

/* An at-rule at t[i]; returns the index after it. */
static size_t
parse_at_rule(parser *p, size_t i, size_t end)
{
    const tok *at = &p->t[i];
    size_t j = i + 1, bend = end, next;
    bool has_block;

    while (j < end && p->t[j].type != T_SEMI && p->t[j].type != T_LBRACE)
        j = next_cv(p, j, end);
    has_block = j < end && p->t[j].type == T_LBRACE;
    next = j < end ? next_cv(p, j, end) : end;
    if (has_block) {
        warn_unclosed(p, j);
        bend = p->match[j] < end ? p->match[j] : end;
    }
    if (ieq(at->s, "media")) {
        if (!has_block)
            pwarn(p, at, "@media without a block; ignored");
        else if (p->depth >= MAX_NESTING)
            pwarn(p, at, "@media nested too deeply; ignored");
        else if (media_matches(p, i + 1, j)) {
            p->depth++;
            parse_rules(p, j + 1, bend, false);
            p->depth--;
        }
    } else if (ieq(at->s, "page")) {
        if (!has_block)
            pwarn(p, at, "@page without a block; ignored");
        else
            parse_page(p, at, i + 1, j, j + 1, bend);
    } else if (ieq(at->s, "namespace")) {
        if (has_block)
            pwarn(p, at, "malformed @namespace rule; ignored");
        else
            parse_namespace(p, at, i + 1, j);
    } else if (ieq(at->s, "import")) {
        pwarn(p, at, "@import is not followed (list the stylesheet in the "
              "manifest instead); ignored");
    } else if (ieq(at->s, "font-face") || ieq(at->s, "charset") ||
               ieq(at->s, "keyframes") || ieq(at->s, "-webkit-keyframes") ||
               ieq(at->s, "-moz-keyframes")) {
        /* fonts are the EPUB's (the PDF engine uses fontconfig); the rest
           has no effect on paper */
    } else {
        pwarn(p, at, "unsupported at-rule '@%.60s' ignored", at->s);
    }
    return next;
}

static void
parse_rules(parser *p, size_t i, size_t end, bool top)
{
    while (i < end) {
        tok_type ty = p->t[i].type;

        if (ty == T_WS || (top && (ty == T_CDO || ty == T_CDC)))
            i++;
        else if (ty == T_AT)
            i = parse_at_rule(p, i, end);
        else
            i = parse_style_rule(p, i, end);
    }
}

static void
parser_init(parser *p, oc_css *css, const char *file, int origin)
{
    static ns_decl xml_ns = {"xml", XML_NS, NULL};
    static ns_decl epub_ns = {"epub", EPUB_NS, &xml_ns};

    memset(p, 0, sizeof *p);
    p->css = css;
    p->a = css->a;
    p->file = file;
    p->origin = origin;
    p->ns = &epub_ns;           /* predeclared, for EPUB stylesheets */
}

static void
parse_sheet(oc_css *css, const char *text, size_t len, const char *file,
            int origin)
{
    parser p;

    parser_init(&p, css, file ? oc_arena_strdup(css->a, file) : NULL,
                origin);
    tokenize(&p, text ? text : "", text ? len : 0);
    parse_rules(&p, 0, p.n, true);
    free(p.t);
    free(p.match);
}

/* The style attribute's declarations, parsed once per distinct text;
 * NULL when it has none. */
static const block *
style_attr_block(oc_css *css, xmlNodePtr el, const char *text)
{
    void **slot = smap_slot(css->a, &css->style_attrs, text, strlen(text),
                            true);
    parser p;
    dvec dv = {0};
    block *b;
    long line;

    if (*slot)
        return ((block *)*slot)->n ? *slot : NULL;
    parser_init(&p, css, el->doc ? (const char *)el->doc->URL : NULL,
                ORIGIN_AUTHOR);
    line = xmlGetLineNo(el);
    p.fixed_line = line > 0 && line < 1000000000 ? (int)line : -1;
    tokenize(&p, text, strlen(text));
    parse_decl_list(&p, 0, p.n, CTX_STYLE, &dv, NULL);
    free(p.t);
    free(p.match);
    b = oc_arena_alloc(css->a, sizeof *b);
    finish_block(css->a, &dv, b);
    *slot = b;
    return b->n ? b : NULL;
}

/* ---- matching (Selectors 3; right to left) ---- */

static xmlNodePtr
parent_el(xmlNodePtr n)
{
    n = n->parent;
    return n && n->type == XML_ELEMENT_NODE ? n : NULL;
}

static xmlNodePtr
prev_el(xmlNodePtr n)
{
    for (n = n->prev; n; n = n->prev)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

static xmlNodePtr
next_el(xmlNodePtr n)
{
    for (n = n->next; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

/* An attribute's value: borrowed when it is one text node, else built
 * into *tofree (xmlFree it). NULL when absent. */
static const char *
attr_text(xmlAttrPtr a, xmlChar **tofree)
{
    xmlNodePtr c = a->children;

    *tofree = NULL;
    if (c == NULL)
        return "";
    if (c->next == NULL && c->type == XML_TEXT_NODE && c->content)
        return (const char *)c->content;
    *tofree = xmlNodeListGetString(a->doc, c, 1);
    return *tofree ? (const char *)*tofree : "";
}

static xmlAttrPtr
find_attr(xmlNodePtr el, const char *name, const char *ns, bool any_ns)
{
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        if (strcmp((const char *)a->name, name) != 0)
            continue;
        if (any_ns)
            return a;
        if (ns == NULL ? a->ns == NULL
                       : a->ns && a->ns->href &&
                         strcmp((const char *)a->ns->href, ns) == 0)
            return a;
    }
    return NULL;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
span_eq(const char *a, size_t n, const char *b, bool icase)
{
    if (icase)
        return ieqn(a, n, b);
    return strncmp(a, b, n) == 0 && b[n] == '\0';
}

static bool
has_word(const char *list, const char *w, bool icase)
{
    const char *s = list;

    if (*w == '\0')
        return false;
    for (const char *q = w; *q; q++)
        if (is_space(*q))
            return false;
    while (*s) {
        size_t n;

        while (is_space(*s))
            s++;
        for (n = 0; s[n] && !is_space(s[n]); n++)
            ;
        if (n && span_eq(s, n, w, icase))
            return true;
        s += n;
    }
    return false;
}

static bool
attr_matches(const simple *s, const char *v)
{
    size_t n, vn = strlen(v);

    if (s->op == A_EXISTS)
        return true;
    n = strlen(s->value);
    switch (s->op) {
    case A_EQ:
        return span_eq(v, vn, s->value, s->icase);
    case A_INCLUDES:
        return has_word(v, s->value, s->icase);
    case A_DASH:
        return span_eq(v, vn, s->value, s->icase) ||
               (vn > n && v[n] == '-' && span_eq(v, n, s->value, s->icase));
    case A_PREFIX:
        return n && vn >= n && span_eq(v, n, s->value, s->icase);
    case A_SUFFIX:
        return n && vn >= n && span_eq(v + vn - n, n, s->value, s->icase);
    case A_SUBSTR:
        for (size_t k = 0; n && k + n <= vn; k++)
            if (span_eq(v + k, n, s->value, s->icase))
                return true;
        return false;
    default:
        return false;
    }
}

static bool
same_type(xmlNodePtr a, xmlNodePtr b)
{
    const char *na = a->ns ? (const char *)a->ns->href : NULL;
    const char *nb = b->ns ? (const char *)b->ns->href : NULL;

    return strcmp((const char *)a->name, (const char *)b->name) == 0 &&
           (na == nb || (na && nb && strcmp(na, nb) == 0));
}

static bool
pseudo_matches(int pc, xmlNodePtr el)
{
    xmlNodePtr n;

    switch (pc) {
    case PC_FIRST_CHILD:
        return prev_el(el) == NULL;
    case PC_LAST_CHILD:
        return next_el(el) == NULL;
    case PC_ONLY_CHILD:
        return prev_el(el) == NULL && next_el(el) == NULL;
    case PC_FIRST_OF_TYPE:
    case PC_ONLY_OF_TYPE:
        for (n = prev_el(el); n; n = prev_el(n))
            if (same_type(n, el))
                return false;
        if (pc == PC_FIRST_OF_TYPE)
            return true;
        /* fall through */
    case PC_LAST_OF_TYPE:
        for (n = next_el(el); n; n = next_el(n))
            if (same_type(n, el))
                return false;
        return true;
    case PC_ROOT:
        return parent_el(el) == NULL;
    case PC_EMPTY:
        for (n = el->children; n; n = n->next) {
            if (n->type == XML_ELEMENT_NODE ||
                n->type == XML_ENTITY_REF_NODE)
                return false;
            if ((n->type == XML_TEXT_NODE ||
                 n->type == XML_CDATA_SECTION_NODE) &&
                n->content && n->content[0])
                return false;
        }
        return true;
    case PC_LINK:
        return (ieq((const char *)el->name, "a") ||
                ieq((const char *)el->name, "area")) &&
               find_attr(el, "href", NULL, false) != NULL;
    default:
        return false;
    }
}

static bool
compound_matches(const compound *c, xmlNodePtr el)
{
    if (c->tag && strcmp((const char *)el->name, c->tag) != 0 &&
        !ieq((const char *)el->name, c->tag))
        return false;
    if (c->ns && (el->ns == NULL || el->ns->href == NULL ||
                  strcmp((const char *)el->ns->href, c->ns) != 0))
        return false;
    if (c->no_ns && el->ns != NULL)
        return false;
    for (size_t k = 0; k < c->ns_count; k++) {
        const simple *s = &c->s[k];
        xmlAttrPtr a;
        xmlChar *tofree;
        const char *v;
        bool ok;

        if (s->kind == S_PSEUDO) {
            if (!pseudo_matches(s->pseudo, el))
                return false;
            continue;
        }
        if (s->kind == S_ATTR)
            a = find_attr(el, s->name, s->ns, s->any_ns);
        else
            a = find_attr(el, s->kind == S_ID ? "id" : "class", NULL, false);
        if (a == NULL)
            return false;
        v = attr_text(a, &tofree);
        if (s->kind == S_ID)
            ok = strcmp(v, s->name) == 0;
        else if (s->kind == S_CLASS)
            ok = has_word(v, s->name, false);
        else
            ok = attr_matches(s, v);
        if (tofree)
            xmlFree(tofree);
        if (!ok)
            return false;
    }
    return true;
}

/* Match r->c[0..k] with c[k] at el. The failure kinds let a failed
 * attempt skip alternatives that cannot succeed, which keeps matching
 * linear in the depth of the tree (as in Servo's selectors crate). */
enum { M_MATCHED, M_RESTART_SIBLING, M_RESTART_DESCENDANT, M_GLOBAL_FAIL };

static int
match_from(const rule *r, size_t k, xmlNodePtr el)
{
    const compound *c = &r->c[k];
    xmlNodePtr n = el;
    int comb, miss;

    if (!compound_matches(c, el))
        return M_RESTART_SIBLING;
    if (k == 0)
        return M_MATCHED;
    comb = c->comb;
    miss = comb == C_ADJ || comb == C_SIB ? M_RESTART_DESCENDANT
                                          : M_GLOBAL_FAIL;
    for (;;) {
        int rc;

        n = comb == C_CHILD || comb == C_DESC ? parent_el(n) : prev_el(n);
        if (n == NULL)
            return miss;
        rc = match_from(r, k - 1, n);
        if (rc == M_MATCHED || rc == M_GLOBAL_FAIL || comb == C_ADJ)
            return rc;
        if (comb == C_CHILD)
            return M_RESTART_DESCENDANT;
        if (rc == M_RESTART_DESCENDANT && comb == C_SIB)
            return rc;
    }
}

/* ---- cascade and computed values ---- */

static uint64_t
rule_key(const rule *r)
{
    return (uint64_t)r->origin << 62 | (uint64_t)r->spec << 32 | r->order;
}

static void
apply_block(const sval **sp, const block *b, bool important)
{
    for (size_t k = 0; k < b->n; k++)
        if (b->d[k].important == important)
            sp[b->d[k].prop] = &b->d[k].v;
}

/* CSS 2.1 §6.4.1: user-agent normal, author normal (the style attribute
 * last), author !important (the style attribute last), user-agent
 * !important; within each, rules sorted by specificity then order. */
static void
cascade(const sval **sp, rule *const *m, size_t n, const block *attr)
{
    memset(sp, 0, P_COUNT * sizeof *sp);
    for (size_t k = 0; k < n; k++)
        apply_block(sp, m[k]->decls, false);
    if (attr)
        apply_block(sp, attr, false);
    for (size_t k = 0; k < n; k++)
        if (m[k]->origin == ORIGIN_AUTHOR)
            apply_block(sp, m[k]->decls, true);
    if (attr)
        apply_block(sp, attr, true);
    for (size_t k = 0; k < n; k++)
        if (m[k]->origin == ORIGIN_UA)
            apply_block(sp, m[k]->decls, true);
}

static double
len_pt(const sval *v, double em, double rem)
{
    double x = v->num;

    if (v->unit == U_EM)
        x *= em;
    else if (v->unit == U_REM)
        x *= rem;
    return clampd(x, -MAX_LENGTH, MAX_LENGTH);
}

static oc_length
length_of(const sval *v, double em, double rem)
{
    oc_length l = {0, OC_LEN_PT};

    if (v->kind == V_KW && v->kw == KW_AUTO)
        l.unit = OC_LEN_AUTO;
    else if (v->kind == V_PCT) {
        l.unit = OC_LEN_PERCENT;
        l.value = clampd(v->num, -MAX_LENGTH, MAX_LENGTH);
    } else if (v->kind == V_LEN) {
        l.value = len_pt(v, em, rem);
    }
    return l;
}

/* Copy property p's computed value from src (for inherit and initial). */
static void
copy_prop(oc_style *d, const oc_style *s, int p)
{
    switch (p) {
    case P_FONT_FAMILY:     d->font_family = s->font_family; break;
    case P_FONT_SIZE:       d->font_size = s->font_size; break;
    case P_FONT_WEIGHT:     d->font_weight = s->font_weight; break;
    case P_FONT_STYLE:      d->font_style = s->font_style; break;
    case P_FONT_VARIANT:    d->font_variant = s->font_variant; break;
    case P_LINE_HEIGHT:     d->line_height = s->line_height; break;
    case P_COLOR:           d->color = s->color; break;
    case P_TEXT_ALIGN:      d->text_align = s->text_align; break;
    case P_TEXT_INDENT:     d->text_indent = s->text_indent; break;
    case P_HYPHENS:         d->hyphens = s->hyphens; break;
    case P_WHITE_SPACE:     d->white_space = s->white_space; break;
    case P_LIST_STYLE_TYPE: d->list_style_type = s->list_style_type; break;
    case P_LIST_STYLE_POSITION:
        d->list_style_position = s->list_style_position;
        break;
    case P_TEXT_TRANSFORM:  d->text_transform = s->text_transform; break;
    case P_LETTER_SPACING:  d->letter_spacing = s->letter_spacing; break;
    case P_WORD_SPACING:    d->word_spacing = s->word_spacing; break;
    case P_DIRECTION:       d->direction = s->direction; break;
    case P_WIDOWS:          d->widows = s->widows; break;
    case P_ORPHANS:         d->orphans = s->orphans; break;
    case P_DISPLAY:         d->display = s->display; break;
    case P_MARGIN_TOP:
    case P_MARGIN_RIGHT:
    case P_MARGIN_BOTTOM:
    case P_MARGIN_LEFT:
        d->margin[p - P_MARGIN_TOP] = s->margin[p - P_MARGIN_TOP];
        break;
    case P_PADDING_TOP:
    case P_PADDING_RIGHT:
    case P_PADDING_BOTTOM:
    case P_PADDING_LEFT:
        d->padding[p - P_PADDING_TOP] = s->padding[p - P_PADDING_TOP];
        break;
    case P_BREAK_BEFORE:    d->break_before = s->break_before; break;
    case P_BREAK_AFTER:     d->break_after = s->break_after; break;
    case P_BREAK_INSIDE:    d->break_inside = s->break_inside; break;
    case P_VERTICAL_ALIGN:  d->vertical_align = s->vertical_align; break;
    case P_STRING_SET:
        d->string_set = s->string_set;
        d->nstring_set = s->nstring_set;
        break;
    default:                /* decorations only add up; page-only */
        break;
    }
}

static void
set_prop(oc_style *s, int p, const sval *v, const oc_style *base)
{
    double fs = s->font_size, rem = s->root_font_size;

    switch (p) {
    case P_FONT_FAMILY:
        if (v->kind == V_STR)
            s->font_family = v->ptr;
        break;
    case P_FONT_WEIGHT: {
        int w = base->font_weight;

        if (v->kind == V_NUM)
            s->font_weight = (int)clampd(v->num, 1, 1000);
        else if (v->kw == FW_BOLDER)    /* CSS Fonts 4 §2.2 */
            s->font_weight = w < 350 ? 400 : w < 550 ? 700 : w < 900 ? 900
                                                                      : w;
        else if (v->kw == FW_LIGHTER)
            s->font_weight = w < 100 ? w : w < 550 ? 100 : w < 750 ? 400
                                                                    : 700;
        break;
    }
    case P_FONT_STYLE:      s->font_style = (oc_font_style)v->kw; break;
    case P_FONT_VARIANT:    s->font_variant = (oc_font_variant)v->kw; break;
    case P_TEXT_ALIGN:      s->text_align = (oc_text_align)v->kw; break;
    case P_HYPHENS:         s->hyphens = (oc_hyphens)v->kw; break;
    case P_WHITE_SPACE:     s->white_space = (oc_white_space)v->kw; break;
    case P_LIST_STYLE_TYPE:
        s->list_style_type = (oc_list_style)v->kw;
        break;
    case P_LIST_STYLE_POSITION:
        s->list_style_position = (oc_list_position)v->kw;
        break;
    case P_TEXT_TRANSFORM:
        s->text_transform = (oc_text_transform)v->kw;
        break;
    case P_DIRECTION:       s->direction = (oc_direction)v->kw; break;
    case P_DISPLAY:         s->display = (oc_display)v->kw; break;
    case P_BREAK_BEFORE:    s->break_before = (oc_break)v->kw; break;
    case P_BREAK_AFTER:     s->break_after = (oc_break)v->kw; break;
    case P_BREAK_INSIDE:    s->break_inside = (oc_break)v->kw; break;
    case P_VERTICAL_ALIGN:
        s->vertical_align = (oc_vertical_align)v->kw;
        break;
    case P_LINE_HEIGHT:
        if (v->kind == V_KW) {
            s->line_height.kind = OC_LINE_HEIGHT_NORMAL;
            s->line_height.value = 0;
        } else if (v->kind == V_NUM) {
            s->line_height.kind = OC_LINE_HEIGHT_FACTOR;
            s->line_height.value = clampd(v->num, 0, MAX_LENGTH);
        } else {
            s->line_height.kind = OC_LINE_HEIGHT_PT;
            s->line_height.value = v->kind == V_PCT
                ? clampd(v->num * fs / 100, 0, MAX_LENGTH)
                : clampd(len_pt(v, fs, rem), 0, MAX_LENGTH);
        }
        break;
    case P_COLOR:
        s->color = v->kind == V_COLOR ? v->color : base->color;
        break;
    case P_TEXT_INDENT:
        s->text_indent = length_of(v, fs, rem);
        break;
    case P_MARGIN_TOP:
    case P_MARGIN_RIGHT:
    case P_MARGIN_BOTTOM:
    case P_MARGIN_LEFT:
        s->margin[p - P_MARGIN_TOP] = length_of(v, fs, rem);
        break;
    case P_PADDING_TOP:
    case P_PADDING_RIGHT:
    case P_PADDING_BOTTOM:
    case P_PADDING_LEFT:
        s->padding[p - P_PADDING_TOP] = length_of(v, fs, rem);
        break;
    case P_LETTER_SPACING:
        s->letter_spacing = v->kind == V_LEN ? len_pt(v, fs, rem) : 0;
        break;
    case P_WORD_SPACING:
        s->word_spacing = v->kind == V_LEN ? len_pt(v, fs, rem) : 0;
        break;
    case P_WIDOWS:          s->widows = (int)v->num; break;
    case P_ORPHANS:         s->orphans = (int)v->num; break;
    case P_TEXT_DECORATION: s->text_decoration |= (unsigned)v->kw; break;
    case P_STRING_SET:
        s->string_set = v->ptr;
        s->nstring_set = v->n;
        break;
    default:
        break;
    }
}

/* The computed style from the specified values sp[] (NULL: not set) and
 * the parent's style (NULL: the root). */
static void
compute_style(const oc_css *css, const sval *const *sp,
              const oc_style *parent, oc_style *s)
{
    const oc_style *base = parent ? parent : &css->initial;
    const oc_style *ini = &css->initial;
    const sval *v = sp[P_FONT_SIZE];

    memcpy(s, base, sizeof *s);
    s->display = ini->display;
    memcpy(s->margin, ini->margin, sizeof s->margin);
    memcpy(s->padding, ini->padding, sizeof s->padding);
    s->break_before = s->break_after = s->break_inside = OC_BREAK_AUTO;
    s->vertical_align = ini->vertical_align;
    s->string_set = NULL;
    s->nstring_set = 0;
    /* font-size first: em in the other properties is relative to it */
    if (v && v->kind != V_INHERIT && v->kind != V_UNSET) {
        double pfs = base->font_size;
        double rfs = parent ? parent->root_font_size : MEDIUM;

        if (v->kind == V_INITIAL)
            s->font_size = MEDIUM;
        else if (v->kind == V_KW)       /* CSS Fonts 4 §2.5: 1.2 steps */
            s->font_size = v->kw == -1 ? pfs / 1.2 : pfs * 1.2;
        else if (v->kind == V_PCT)
            s->font_size = v->num * pfs / 100;
        else
            s->font_size = len_pt(v, pfs, rfs);
        s->font_size = clampd(s->font_size, 0, MAX_LENGTH);
    }
    if (parent == NULL)
        s->root_font_size = s->font_size;
    for (int p = 0; p < P_COUNT; p++) {
        if (p == P_FONT_SIZE || (v = sp[p]) == NULL)
            continue;
        if (v->kind == V_INHERIT ||
            (v->kind == V_UNSET && p < P_FIRST_NONINHERITED))
            copy_prop(s, base, p);
        else if (v->kind == V_INITIAL || v->kind == V_UNSET)
            copy_prop(s, ini, p);
        else
            set_prop(s, p, v, base);
    }
    if (parent == NULL) {           /* CSS 2.1 §9.7: the root is a block */
        if (s->display == OC_DISPLAY_INLINE ||
            s->display == OC_DISPLAY_INLINE_BLOCK)
            s->display = OC_DISPLAY_BLOCK;
        else if (s->display == OC_DISPLAY_INLINE_TABLE)
            s->display = OC_DISPLAY_TABLE;
    }
}

static oc_style *
style_copy(oc_arena *a, const oc_style *s)
{
    return memcpy(oc_arena_alloc(a, sizeof *s), s, sizeof *s);
}

static bool
same_style(const oc_style *a, const oc_style *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return a == b || memcmp(a, b, sizeof *a) == 0;
}

static uint64_t
hash_ptr(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p;

    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static bool
is_ours(const oc_css *css, const oc_style *s)
{
    size_t mask = css->ours_cap - 1;

    if (css->ours_cap == 0)
        return false;
    for (size_t i = hash_ptr(s) & mask; css->ours[i]; i = (i + 1) & mask)
        if (css->ours[i] == s)
            return true;
    return false;
}

static void
add_ours(oc_css *css, const oc_style *s)
{
    if ((css->ours_n + 1) * 2 > css->ours_cap) {
        const oc_style **old = css->ours;
        size_t oldcap = css->ours_cap;

        css->ours_cap = oldcap ? oldcap * 2 : 256;
        css->ours = oc_arena_alloc(css->a, css->ours_cap * sizeof *old);
        css->ours_n = 0;
        for (size_t k = 0; k < oldcap; k++)
            if (old[k])
                add_ours(css, old[k]);
    }
    for (size_t i = hash_ptr(s) & (css->ours_cap - 1);;
         i = (i + 1) & (css->ours_cap - 1)) {
        if (css->ours[i] == NULL) {
            css->ours[i] = s;
            css->ours_n++;
            return;
        }
    }
}

/* Our copy of a parent style. Styles this module returned are immutable,
 * so their address stands for their content; any other is looked up by
 * content among the copies made before, or copied. */
static const oc_style *
intern(oc_css *css, const oc_style *s)
{
    void **slot;
    oc_style *copy;

    if (s == NULL || is_ours(css, s))
        return s;
    slot = smap_slot(css->a, &css->interned, (const char *)s, sizeof *s,
                     true);
    if (*slot)
        return *slot;
    copy = memcpy(oc_arena_alloc(css->a, sizeof *s), s, sizeof *s);
    add_ours(css, copy);
    *slot = copy;
    return copy;
}

static uint64_t
memo_hash(const oc_style *parent, rule *const *m, size_t n,
          const block *attr)
{
    uint64_t h = hash_ptr(parent) ^ hash_ptr(attr);

    for (size_t k = 0; k < n; k++)
        h = (h ^ hash_ptr(m[k])) * 0x100000001b3ull;
    return h;
}

static centry *
memo_slot(oc_css *css, uint64_t h, const oc_style *parent, rule *const *m,
          size_t n, const block *attr)
{
    size_t mask = css->memo_cap - 1;

    for (size_t i = h & mask;; i = (i + 1) & mask) {
        centry *e = &css->memo[i];

        if (e->style == NULL)
            return e;
        if (e->hash == h && e->nrules == n && e->attr == attr &&
            e->parent == parent &&
            (n == 0 || memcmp(e->rules, m, n * sizeof *m) == 0))
            return e;
    }
}

static void
memo_grow(oc_css *css)
{
    centry *old = css->memo;
    size_t oldcap = css->memo_cap;

    css->memo_cap = oldcap ? oldcap * 2 : 256;
    css->memo = oc_arena_alloc(css->a, css->memo_cap * sizeof *css->memo);
    for (size_t k = 0; k < oldcap; k++) {
        size_t i;

        if (old[k].style == NULL)
            continue;
        for (i = old[k].hash & (css->memo_cap - 1); css->memo[i].style;
             i = (i + 1) & (css->memo_cap - 1))
            ;
        css->memo[i] = old[k];
    }
}

static void
add_matched(oc_css *css, size_t *n, rule *r, xmlNodePtr el)
{
    if (match_from(r, r->nc - 1, el) != M_MATCHED)
        return;
    for (size_t k = 0; k < *n; k++)
        if (css->matched[k] == r)
            return;
    if (*n == css->matched_cap) {
        size_t cap = css->matched_cap ? css->matched_cap * 2 : 32;

        css->matched = oc_arena_grow(css->a, css->matched, css->matched_cap,
                                     cap, sizeof *css->matched);
        css->matched_cap = cap;
    }
    css->matched[(*n)++] = r;
}

static void
try_rules(oc_css *css, size_t *n, const rlist *l, xmlNodePtr el)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->n; k++)
        add_matched(css, n, l->v[k], el);
}

static const rlist *
bucket(oc_css *css, smap *m, const char *key, size_t len)
{
    void **slot = smap_slot(css->a, m, key, len, false);

    return slot ? *slot : NULL;
}

const oc_style *
oc_css_compute(oc_css *css, xmlNodePtr el, const oc_style *parent)
{
    const char *id = NULL, *cls = NULL, *style = NULL;
    xmlChar *free_id = NULL, *free_cls = NULL, *free_style = NULL;
    const block *attr = NULL;
    const sval *sp[P_COUNT];
    char tag[128];
    size_t n = 0, tlen;
    uint64_t h;
    centry *e;
    oc_style s;

    if (el == NULL || el->type != XML_ELEMENT_NODE)
        return parent ? parent : &css->initial;
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        if (a->ns != NULL)
            continue;
        if (strcmp((const char *)a->name, "id") == 0 && !id)
            id = attr_text(a, &free_id);
        else if (strcmp((const char *)a->name, "class") == 0 && !cls)
            cls = attr_text(a, &free_cls);
        else if (strcmp((const char *)a->name, "style") == 0 && !style)
            style = attr_text(a, &free_style);
    }
    if (id && *id)
        try_rules(css, &n, bucket(css, &css->by_id, id, strlen(id)), el);
    for (const char *c = cls; c && *c;) {
        size_t len = 0;

        while (is_space(*c))
            c++;
        while (c[len] && !is_space(c[len]))
            len++;
        if (len)
            try_rules(css, &n, bucket(css, &css->by_class, c, len), el);
        c += len;
    }
    tlen = strlen((const char *)el->name);
    if (tlen < sizeof tag) {
        for (size_t k = 0; k <= tlen; k++)
            tag[k] = (char)lower((unsigned char)el->name[k]);
        try_rules(css, &n, bucket(css, &css->by_tag, tag, tlen), el);
    }
    try_rules(css, &n, &css->universal, el);
    for (size_t k = 1; k < n; k++) {            /* few: insertion sort */
        rule *r = css->matched[k];
        size_t j = k;

        for (; j > 0 && rule_key(css->matched[j - 1]) > rule_key(r); j--)
            css->matched[j] = css->matched[j - 1];
        css->matched[j] = r;
    }
    if (style)
        attr = style_attr_block(css, el, style);
    if (free_id)
        xmlFree(free_id);
    if (free_cls)
        xmlFree(free_cls);
    if (free_style)
        xmlFree(free_style);

    if (css->memo_n * 2 >= css->memo_cap)
        memo_grow(css);
    parent = intern(css, parent);
    h = memo_hash(parent, css->matched, n, attr);
    e = memo_slot(css, h, parent, css->matched, n, attr);
    if (e->style)
        return e->style;
    cascade(sp, css->matched, n, attr);
    memset(&s, 0, sizeof s);
    compute_style(css, sp, parent, &s);
    e->hash = h;
    e->parent = parent;
    e->nrules = n;
    e->rules = NULL;
    if (n)
        e->rules = memcpy(oc_arena_alloc(css->a, n * sizeof *e->rules),
                          css->matched, n * sizeof *e->rules);
    e->attr = attr;
    e->style = style_copy(css->a, &s);
    add_ours(css, e->style);
    css->memo_n++;
    return e->style;
}

/* ---- @page ---- */

static uint64_t
page_key(const page_rule *r)
{
    return (uint64_t)r->origin << 62 | (uint64_t)r->spec << 32 | r->order;
}

/* Like cascade(), for the @page rules m[0..n) (block 'box' of each, or
 * its page declarations when box < 0); margin-inside and -outside land on
 * the side they mean for this page. */
static void
page_cascade(const sval **sp, page_rule *const *m, size_t n, int box,
             bool right)
{
    memset(sp, 0, P_COUNT * sizeof *sp);
    for (int pass = 0; pass < 3; pass++) {
        for (size_t k = 0; k < n; k++) {
            const block *b = box < 0 ? &m[k]->decls : &m[k]->boxes[box];
            bool imp = pass > 0;

            if (pass == 1 && m[k]->origin != ORIGIN_AUTHOR)
                continue;
            if (pass == 2 && m[k]->origin != ORIGIN_UA)
                continue;
            for (size_t d = 0; d < b->n; d++) {
                int p = b->d[d].prop;

                if (b->d[d].important != imp)
                    continue;
                if (p == P_MARGIN_INSIDE)
                    p = right ? P_MARGIN_LEFT : P_MARGIN_RIGHT;
                else if (p == P_MARGIN_OUTSIDE)
                    p = right ? P_MARGIN_RIGHT : P_MARGIN_LEFT;
                sp[p] = &b->d[d].v;
            }
        }
    }
}

static const oc_page_style *
build_page(oc_css *css, unsigned flags, const oc_style *root)
{
    static const oc_text_align box_align[OC_MBOX_COUNT] = {
        OC_ALIGN_LEFT, OC_ALIGN_LEFT, OC_ALIGN_CENTER, OC_ALIGN_RIGHT,
        OC_ALIGN_RIGHT, OC_ALIGN_CENTER, OC_ALIGN_CENTER, OC_ALIGN_CENTER,
        OC_ALIGN_RIGHT, OC_ALIGN_RIGHT, OC_ALIGN_CENTER, OC_ALIGN_LEFT,
        OC_ALIGN_LEFT, OC_ALIGN_CENTER, OC_ALIGN_CENTER, OC_ALIGN_CENTER
    };
    oc_page_style *pg = oc_arena_alloc(css->a, sizeof *pg);
    page_rule **m = oc_arena_alloc(css->a, (css->npages + 1) * sizeof *m);
    const sval *sp[P_COUNT], *size;
    bool right = !(flags & OC_PAGE_LEFT);
    size_t n = 0;
    oc_style ctx;

    for (size_t k = 0; k < css->npages; k++) {
        page_rule *r = css->pages[k];
        size_t j;

        if (r->need & ~flags)
            continue;
        for (j = n++; j > 0 && page_key(m[j - 1]) > page_key(r); j--)
            m[j] = m[j - 1];
        m[j] = r;
    }
    page_cascade(sp, m, n, -1, right);
    memset(&ctx, 0, sizeof ctx);
    compute_style(css, sp, root, &ctx);
    pg->context = style_copy(css->a, &ctx);
    pg->width = 148 * 72 / 25.4;         /* A5 when nothing says */
    pg->height = 210 * 72 / 25.4;
    if ((size = sp[P_SIZE]) != NULL && size->kind == V_SIZE) {
        double w = size->num ? size->num : pg->width;
        double h = size->num2 ? size->num2 : pg->height;

        if ((size->kw == 1 && w > h) || (size->kw == 2 && w < h)) {
            double t = w;

            w = h;
            h = t;
        }
        pg->width = w;
        pg->height = h;
    }
    for (int k = 0; k < 4; k++) {
        double whole = k == OC_SIDE_LEFT || k == OC_SIDE_RIGHT ? pg->width
                                                               : pg->height;

        pg->margin[k] = oc_css_length(ctx.margin[k], whole);
    }
    for (int b = 0; b < OC_MBOX_COUNT; b++) {
        oc_style bs;
        const sval *c;

        page_cascade(sp, m, n, b, right);
        memset(&bs, 0, sizeof bs);
        compute_style(css, sp, pg->context, &bs);
        if (sp[P_TEXT_ALIGN] == NULL)
            bs.text_align = box_align[b];
        pg->boxes[b].style = style_copy(css->a, &bs);
        if ((c = sp[P_CONTENT]) != NULL && c->kind == V_CONTENT) {
            pg->boxes[b].content.pieces = c->ptr;
            pg->boxes[b].content.npieces = c->n;
        }
    }
    return pg;
}

const oc_page_style *
oc_css_page(oc_css *css, unsigned flags, const oc_style *root)
{
    page_memo *pm;

    flags &= OC_PAGE_FIRST | OC_PAGE_LEFT | OC_PAGE_RIGHT | OC_PAGE_BLANK;
    for (pm = css->page_memos; pm; pm = pm->next)
        if (pm->flags == flags && same_style(pm->root, root))
            return pm->page;
    pm = oc_arena_alloc(css->a, sizeof *pm);
    pm->flags = flags;
    pm->root = root ? style_copy(css->a, root) : NULL;
    pm->page = build_page(css, flags, root);
    pm->next = css->page_memos;
    css->page_memos = pm;
    return pm->page;
}

/* ---- the user-agent stylesheet ---- */

/* HTML's rendering defaults (HTML Living Standard §15.3) that matter on
 * paper, and octavo's default page. */
static const char ua_css[] =
    "@namespace epub \"" EPUB_NS "\";\n"
    "@page { size: A5; margin: 54pt 45pt 63pt 54pt; }\n"
    "@page :left { margin-left: 45pt; margin-right: 54pt; }\n"
    "html, body, address, article, aside, blockquote, center, details,\n"
    "dialog, dd, dir, div, dl, dt, fieldset, figcaption, figure, footer,\n"
    "form, h1, h2, h3, h4, h5, h6, header, hgroup, hr, legend, listing,\n"
    "main, menu, nav, ol, p, plaintext, pre, search, section, summary,\n"
    "ul, xmp { display: block; }\n"
    "head, script, style, title, meta, link, base, template, datalist,\n"
    "param, source, track, area, noembed, noframes, rp,\n"
    "[hidden] { display: none; }\n"
    "li { display: list-item; }\n"
    "table { display: table; text-indent: initial; }\n"
    "caption { display: table-caption; text-align: center; }\n"
    "thead { display: table-header-group; }\n"
    "tbody { display: table-row-group; }\n"
    "tfoot { display: table-footer-group; }\n"
    "tr { display: table-row; }\n"
    "td, th { display: table-cell; }\n"
    "col { display: table-column; }\n"
    "colgroup { display: table-column-group; }\n"
    "th { font-weight: bold; text-align: center; }\n"
    "p, dl, pre, listing, xmp, plaintext { margin: 1em 0; }\n"
    "blockquote, figure { margin: 1em 40px; }\n"
    "dd { margin-left: 40px; }\n"
    "ul, ol, menu, dir { margin: 1em 0; padding-left: 40px; }\n"
    "ul ul, ul ol, ol ul, ol ol, ul menu, ol menu, menu ul, menu ol\n"
    "{ margin-top: 0; margin-bottom: 0; }\n"
    "ul, menu, dir { list-style-type: disc; }\n"
    "ol { list-style-type: decimal; }\n"
    "ol[type=\"1\"] { list-style-type: decimal; }\n"
    "ol[type=\"a\"] { list-style-type: lower-alpha; }\n"
    "ol[type=\"A\"] { list-style-type: upper-alpha; }\n"
    "ol[type=\"i\"] { list-style-type: lower-roman; }\n"
    "ol[type=\"I\"] { list-style-type: upper-roman; }\n"
    "ul ul, ol ul, menu ul, ul menu { list-style-type: circle; }\n"
    "ul ul ul, ul ol ul, ol ul ul, ol ol ul { list-style-type: square; }\n"
    "h1 { font-size: 2em; margin: 0.67em 0; }\n"
    "h2 { font-size: 1.5em; margin: 0.83em 0; }\n"
    "h3 { font-size: 1.17em; margin: 1em 0; }\n"
    "h4 { font-size: 1em; margin: 1.33em 0; }\n"
    "h5 { font-size: 0.83em; margin: 1.67em 0; }\n"
    "h6 { font-size: 0.67em; margin: 2.33em 0; }\n"
    "h1, h2, h3, h4, h5, h6 { font-weight: bold; break-after: avoid;\n"
    "  break-inside: avoid; }\n"
    "hr { margin: 0.5em 0; }\n"
    "pre, listing, xmp, plaintext { white-space: pre; }\n"
    "pre, code, kbd, samp, tt, listing, xmp, plaintext\n"
    "{ font-family: monospace; }\n"
    "em, i, cite, var, dfn, address { font-style: italic; }\n"
    "strong, b { font-weight: bolder; }\n"
    "small { font-size: smaller; }\n"
    "big { font-size: larger; }\n"
    "sup { vertical-align: super; font-size: smaller; }\n"
    "sub { vertical-align: sub; font-size: smaller; }\n"
    "del, s, strike { text-decoration: line-through; }\n"
    "u, ins { text-decoration: underline; }\n"
    "center { text-align: center; }\n"
    "nobr { white-space: nowrap; }\n"
    "aside[epub|type~=\"footnote\"], aside[epub|type~=\"endnote\"],\n"
    "[role~=\"doc-footnote\"], [role~=\"doc-endnote\"]\n"
    "{ font-size: smaller; }\n"
    "[dir=\"rtl\" i] { direction: rtl; }\n"
    "[dir=\"ltr\" i] { direction: ltr; }\n";

/* ---- the public interface ---- */

oc_css *
oc_css_new(oc_arena *a)
{
    oc_css *css = oc_arena_alloc(a, sizeof *css);
    oc_style *s = &css->initial;

    css->a = a;
    s->font_family = "serif";
    s->font_size = MEDIUM;
    s->font_weight = 400;
    s->line_height.kind = OC_LINE_HEIGHT_NORMAL;
    s->color = (oc_color){0, 0, 0, 255};
    s->widows = 2;
    s->orphans = 2;
    s->root_font_size = MEDIUM;
    parse_sheet(css, ua_css, sizeof ua_css - 1, "octavo:user-agent.css",
                ORIGIN_UA);
    return css;
}

oc_status
oc_css_parse(oc_css *css, const char *text, size_t len, const char *file,
             oc_error *err)
{
    (void)err;
    parse_sheet(css, text, len, file, ORIGIN_AUTHOR);
    return OC_OK;
}

oc_status
oc_css_parse_file(oc_css *css, const char *path, oc_error *err)
{
    oc_buf b = {0};
    oc_status st = oc_buf_read_file(&b, path, 0, err);

    if (st == OC_OK)
        parse_sheet(css, b.data, b.len, path, ORIGIN_AUTHOR);
    oc_buf_free(&b);
    return st;
}

double
oc_css_line_height(const oc_style *s)
{
    switch (s->line_height.kind) {
    case OC_LINE_HEIGHT_FACTOR: return s->line_height.value * s->font_size;
    case OC_LINE_HEIGHT_PT:     return s->line_height.value;
    default:                    return 1.2 * s->font_size;
    }
}

double
oc_css_length(oc_length l, double width)
{
    switch (l.unit) {
    case OC_LEN_PT:      return l.value;
    case OC_LEN_PERCENT: return l.value * width / 100;
    default:             return 0;
    }
}

/* Text of el's subtree, white space collapsed and trimmed. */
static void
element_text(xmlNodePtr el, oc_buf *b)
{
    xmlNodePtr n = el->children;
    bool space = false;

    while (n && n != el) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            && n->content) {
            for (const char *c = (const char *)n->content; *c; c++) {
                if (is_space(*c)) {
                    space = b->len > 0;
                    continue;
                }
                if (space)
                    oc_buf_put(b, " ", 1);
                space = false;
                oc_buf_put(b, c, 1);
            }
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n != el && n->next == NULL)
            n = n->parent;
        if (n != el)
            n = n->next;
    }
}

char *
oc_css_content_text(oc_arena *a, const oc_content *c, xmlNodePtr el)
{
    oc_buf b = {0};
    char *out;

    for (size_t k = 0; k < c->npieces; k++) {
        const oc_piece *pc = &c->pieces[k];

        if (pc->kind == OC_PIECE_TEXT) {
            oc_buf_puts(&b, pc->text);
        } else if (pc->kind == OC_PIECE_CONTENT && el) {
            element_text(el, &b);
        } else if (pc->kind == OC_PIECE_ATTR && el &&
                   el->type == XML_ELEMENT_NODE) {
            xmlAttrPtr at = find_attr(el, pc->text, NULL, false);
            xmlChar *tofree;

            if (at) {
                oc_buf_puts(&b, attr_text(at, &tofree));
                if (tofree)
                    xmlFree(tofree);
            }
        }
    }
    out = oc_arena_strndup(a, b.data ? b.data : "", b.len);
    oc_buf_free(&b);
    return out;
}

size_t
oc_css_counter_format(int n, oc_list_style s, char *buf, size_t size)
{
    static const struct {
        int         v;
        const char *lo, *up;
    } roman[] = {
        {1000, "m", "M"}, {900, "cm", "CM"}, {500, "d", "D"},
        {400, "cd", "CD"}, {100, "c", "C"}, {90, "xc", "XC"},
        {50, "l", "L"}, {40, "xl", "XL"}, {10, "x", "X"}, {9, "ix", "IX"},
        {5, "v", "V"}, {4, "iv", "IV"}, {1, "i", "I"}
    };
    char tmp[64];
    size_t len = 0;

    switch (s) {
    case OC_LIST_DISC:   return (size_t)snprintf(buf, size, "\u2022");
    case OC_LIST_CIRCLE: return (size_t)snprintf(buf, size, "\u25E6");
    case OC_LIST_SQUARE: return (size_t)snprintf(buf, size, "\u25AA");
    case OC_LIST_NONE:   return (size_t)snprintf(buf, size, "%s", "");
    case OC_LIST_LOWER_ROMAN:
    case OC_LIST_UPPER_ROMAN:
        if (n < 1 || n > 3999)
            break;
        for (size_t k = 0; k < sizeof roman / sizeof roman[0]; k++) {
            while (n >= roman[k].v) {
                const char *r = s == OC_LIST_LOWER_ROMAN ? roman[k].lo
                                                         : roman[k].up;

                memcpy(tmp + len, r, strlen(r));
                len += strlen(r);
                n -= roman[k].v;
            }
        }
        tmp[len] = '\0';
        return (size_t)snprintf(buf, size, "%s", tmp);
    case OC_LIST_LOWER_ALPHA:
    case OC_LIST_UPPER_ALPHA: {
        char base = s == OC_LIST_LOWER_ALPHA ? 'a' : 'A';
        unsigned v = (unsigned)n;

        if (n < 1)
            break;
        while (v > 0) {                 /* bijective base 26 */
            v--;
            tmp[len++] = (char)(base + v % 26);
            v /= 26;
        }
        for (size_t k = 0; k < len / 2; k++) {
            char t = tmp[k];

            tmp[k] = tmp[len - 1 - k];
            tmp[len - 1 - k] = t;
        }
        tmp[len] = '\0';
        return (size_t)snprintf(buf, size, "%s", tmp);
    }
    default:
        break;
    }
    return (size_t)snprintf(buf, size, "%d", n);
}
