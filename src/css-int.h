/* css-int.h - what the files of the CSS module share, and nothing outside
 * them includes: tokens and the parser's state, specified values and
 * declaration blocks, rules and the stylesheet collection (struct oc_css),
 * a few small helpers, and the functions one css file calls in another,
 * named oc_css_* like the public ones but declared only here.
 *
 * The files, in the order a stylesheet goes through them:
 *   css-syntax.c   text → tokens (CSS Syntax 3 §4) → rules, @-rules and
 *                  declaration blocks (§5); the string map
 *   css-values.c   one declaration's value → specified values, by the
 *                  property table generated from css-props.h
 *   css-select.c   selectors (Selectors Level 3): parsed, filed by their
 *                  subject, and matched against the DOM
 *   css.c          the cascade and computed values (CSS 2.1 §6), @page,
 *                  the user-agent stylesheet and the public interface */
#ifndef OC_CSS_INT_H
#define OC_CSS_INT_H

#include "css.h"

#include <libxml/tree.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"

#define MAX_LENGTH  1e6         /* points; larger computed values clamp */
#define MIN_FONT_SIZE 1.0       /* points: no text smaller (nor of no size) */
#define MEDIUM      12.0        /* font-size: medium, in points */
#define EPUB_NS     "http://www.idpf.org/2007/ops"
#define XML_NS      "http://www.w3.org/XML/1998/namespace"

/* ---- small helpers ---- */

static inline int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static inline bool
ieq(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return *a == '\0' && *b == '\0';
}

static inline char *
lower_dup(oc_arena *a, const char *s)
{
    char *d = oc_arena_strdup(a, s);

    for (char *p = d; *p; p++)
        *p = (char)lower((unsigned char)*p);
    return d;
}

static inline double
clampd(double v, double lo, double hi)
{
    if (!isfinite(v))
        return v > 0 ? hi : (v < 0 ? lo : 0);
    return v < lo ? lo : (v > hi ? hi : v);
}

static inline int
hex_val(int32_t c)
{
    return c >= 0 && c < 128 ? oc_hex_digit((int)c) : -1;
}

/* HTML's ASCII white space, in attribute values and text. */
static inline bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

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

/* ---- stylesheet data ---- */

/* Flags of a longhand in css-props.h. */
enum { F_INHERITED = 1, F_PAGE_ONLY = 2 };

/* Properties, longhands only (shorthands expand at parse time): P_<ID>
 * for every row of css-props.h, in its order. */
enum {
#define OC_CSS_LONGHAND(id, ...) P_##id,
#include "css-props.h"
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

/* V_KW values shared by several properties, and font-weight's relative
 * keywords. */
enum { KW_NORMAL = 1, KW_AUTO = 2, KW_NONE = 3, KW_CURRENT = 4 };
enum { FW_BOLDER = -1, FW_LIGHTER = -2 };

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

enum { ORIGIN_UA, ORIGIN_AUTHOR };

typedef struct compound compound;   /* a compound selector: css-select.c */

typedef struct rule {
    compound    *c;         /* a complex selector: c[nc - 1] is the
                               subject */
    size_t       nc;
    uint32_t     spec;      /* a << 20 | b << 10 | c, each at most 1023 */
    uint32_t     order;
    int          origin;
    const block *decls;
    const char  *file;      /* where the rule is, for diagnostics */
    int          line;
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
    const char *file;       /* where the rule is, for diagnostics */
    int      line;
    block    decls;
    block    boxes[OC_MBOX_COUNT];
} page_rule;

typedef struct centry centry;       /* the memo of computed styles: css.c */
typedef struct page_memo page_memo;

struct oc_css {
    oc_arena   *a;
    uint32_t    norder;
    smap        by_id, by_class, by_tag;    /* rules by their subject */
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

/* Add one to the specificity component at bit 'shift', saturating. */
static inline void
bump(uint32_t *spec, int shift)
{
    if (((*spec >> shift) & 1023) < 1023)
        *spec += 1u << shift;
}

/* ---- parser state ---- */

typedef struct ns_decl {
    const char     *prefix;
    const char     *uri;
    struct ns_decl *next;
} ns_decl;

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

/* The index after the component value at i (a whole block for openers),
 * at most 'end'. */
static inline size_t
next_cv(const parser *p, size_t i, size_t end)
{
    tok_type ty = p->t[i].type;

    if (ty == T_LPAREN || ty == T_FUNCTION || ty == T_LBRACKET ||
        ty == T_LBRACE)
        i = p->match[i];
    return i + 1 < end ? i + 1 : end;
}

static inline size_t
skip_ws(const parser *p, size_t i, size_t end)
{
    while (i < end && p->t[i].type == T_WS)
        i++;
    return i;
}

static inline bool
is_delim(const tok *t, uint32_t c)
{
    return t->type == T_DELIM && t->delim == c;
}

/* A cursor over the component values of a declaration's value. */
typedef struct cur {
    const parser *p;
    size_t        i, end;
} cur;

static inline const tok *
peek(cur *c)
{
    c->i = skip_ws(c->p, c->i, c->end);
    return c->i < c->end ? &c->p->t[c->i] : NULL;
}

static inline const tok *
take(cur *c)
{
    const tok *t = peek(c);

    if (t)
        c->i = next_cv(c->p, c->i, c->end);
    return t;
}

static inline bool
at_end(cur *c)
{
    return peek(c) == NULL;
}

/* The arguments of function token 'fn' (taken from c). */
static inline cur
args_of(const cur *c, const tok *fn)
{
    size_t i = (size_t)(fn - c->p->t);
    size_t end = c->p->match[i] < c->end ? c->p->match[i] : c->end;
    cur a = {c->p, i + 1, end};

    return a;
}

static inline bool
take_comma(cur *c)
{
    const tok *t = peek(c);

    if (t && t->type == T_COMMA) {
        take(c);
        return true;
    }
    return false;
}

/* A keyword table, ending in {NULL, 0}. */
typedef struct kw {
    const char *name;
    int         value;
} kw;

static inline const kw *
find_kw(const kw *table, const char *name)
{
    for (; table->name; table++)
        if (ieq(name, table->name))
            return table;
    return NULL;
}

/* ---- css-syntax.c ---- */

/* The value slot for key[0..len) in m, created (NULL) when 'create';
 * NULL when absent and not created. */
void **oc_css_smap_slot(oc_arena *a, smap *m, const char *key, size_t len,
                        bool create);

/* Token t as a warning names it ("';'", "a string"...), into buf. */
void oc_css_describe(const tok *t, char *buf, size_t size);

/* Parse a whole stylesheet and add its rules to css (ORIGIN_*). */
void oc_css_parse_sheet(oc_css *css, const char *text, size_t len,
                        const char *file, int origin);

/* The declarations of el's style attribute 'text', parsed once per
 * distinct text; NULL when it has none. */
const block *oc_css_style_attr(oc_css *css, xmlNodePtr el,
                               const char *text);

/* ---- css-values.c ---- */

/* A property name (the longhand it sets, or the longhands a shorthand
 * sets) and the parser of its values. */
typedef bool (*value_fn)(parser *p, cur *c, int prop, dvec *out);

typedef struct prop_def {
    const char *name;
    value_fn    parse;
    int         prop;       /* the longhand, or -1 for a shorthand */
    const int  *longhands;  /* shorthands: the longhands, ending in -1 */
} prop_def;

/* Each longhand's F_* flags, by P_*. */
extern const unsigned oc_css_prop_flags[P_COUNT];

/* The property named 'name' (lower case), or NULL. */
const prop_def *oc_css_find_prop(const char *name);

/* Whether property 'name' (lower case) is ignored without a warning. */
bool oc_css_is_silent(const char *name);

/* Parse the value in c of property 'def' and append the declarations it
 * makes to out: a CSS-wide keyword for each longhand, or what def's
 * parser makes of it. False if the value is invalid; out may then hold
 * part of it. */
bool oc_css_parse_value(parser *p, const prop_def *def, cur *c, dvec *out);

/* ---- css-select.c ---- */

enum { SEL_OK, SEL_NEVER, SEL_BAD };    /* SEL_NEVER: valid, never matches
                                           on paper */

typedef struct sel_error {
    const tok  *at;
    char        msg[160];
} sel_error;

/* One complex selector in t[i..end) into r's selector and specificity.
 * On SEL_BAD, e says where and why. */
int oc_css_parse_selector(parser *p, size_t i, size_t end, rule *r,
                          sel_error *e);

/* File the rule in css by its subject, for oc_css_compute to find. */
void oc_css_index_rule(oc_css *css, rule *r);

/* Whether r's selector matches element el. */
bool oc_css_matches(const rule *r, xmlNodePtr el);

/* An attribute's value: borrowed when it is one text node, else built
 * into *tofree (xmlFree it). */
const char *oc_css_attr_text(xmlAttrPtr a, xmlChar **tofree);

/* el's attribute 'name' in namespace 'ns' (NULL: none; any if 'any_ns'),
 * or NULL. */
xmlAttrPtr oc_css_find_attr(xmlNodePtr el, const char *name, const char *ns,
                            bool any_ns);

#endif
