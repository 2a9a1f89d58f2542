/* css.c - each element's computed style from the rules that match it:
 * the cascade and inheritance per CSS 2.1 §6 (user-agent, author and
 * style-attribute declarations, !important), computed values in points,
 * a memo of the styles computed; the page box and margin boxes of each
 * kind of page per CSS Paged Media Level 3; the user-agent stylesheet;
 * and the public interface of css.h. Parsing is in css-syntax.c,
 * css-values.c and css-select.c. */
#include "css-int.h"

#include <libxml/tree.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xhtml.h"

/* ---- cascade and computed values ---- */

/* Memo of computed styles: same parent style, same rules, same style
 * attribute give the same result. */
struct centry {
    uint64_t        hash;
    const oc_style *parent;     /* one of ours (see intern), or NULL */
    rule          **rules;
    size_t          nrules;
    const block    *attr;
    const oc_style *style;
};

struct page_memo {
    unsigned             flags;
    const oc_style      *root;  /* a copy, or NULL */
    const oc_page_style *page;
    struct page_memo    *next;
};

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

    if (v->kind == V_KW && (v->kw == KW_AUTO || v->kw == KW_NONE))
        l.unit = OC_LEN_AUTO;
    else if (v->kind == V_PCT) {
        l.unit = OC_LEN_PERCENT;
        l.value = clampd(v->num, -MAX_LENGTH, MAX_LENGTH);
    } else if (v->kind == V_LEN) {
        l.value = len_pt(v, em, rem);
    }
    return l;
}

/* Copy property p's computed value from s (for inherit and initial): the
 * oc_style member css-props.h names for it, none for PROPAGATED and NONE
 * (decorations only add up; page-only properties have none). */
#define COPY_FIELD(p, f)        case p: d->f = s->f; break;
#define COPY_KEYWORD            COPY_FIELD
#define COPY_LENGTH             COPY_FIELD
#define COPY_SPACING            COPY_FIELD
#define COPY_COUNT              COPY_FIELD
#define COPY_OWN                COPY_FIELD
#define COPY_LIST(p, f)         case p: d->f = s->f; d->n##f = s->n##f; break;
#define COPY_PROPAGATED(p, f)
#define COPY_NONE(p, f)

static void
copy_prop(oc_style *d, const oc_style *s, int p)
{
    switch (p) {
#define OC_CSS_LONGHAND(id, name, parse, kws, flags, compute, field) \
    COPY_##compute(P_##id, field)
#include "css-props.h"
    default:
        break;
    }
}

/* Set property p from its specified value v: generated for each kind of
 * computed value in css-props.h, by hand for OWN; NONE is @page's. */
#define SET_KEYWORD(p, f)       case p: s->f = v->kw; break;
#define SET_LENGTH(p, f)        case p: s->f = length_of(v, fs, rem); break;
#define SET_SPACING(p, f) \
    case p: s->f = v->kind == V_LEN ? len_pt(v, fs, rem) : 0; break;
#define SET_COUNT(p, f)         case p: s->f = (int)v->num; break;
#define SET_LIST(p, f)          case p: s->f = v->ptr; s->n##f = v->n; break;
#define SET_PROPAGATED(p, f)    case p: s->f |= (unsigned)v->kw; break;
#define SET_OWN(p, f)
#define SET_NONE(p, f)

static void
set_prop(oc_style *s, int p, const sval *v, const oc_style *base)
{
    double fs = s->font_size, rem = s->root_font_size;

    switch (p) {
#define OC_CSS_LONGHAND(id, name, parse, kws, flags, compute, field) \
    SET_##compute(P_##id, field)
#include "css-props.h"
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
    case P_BACKGROUND_COLOR:        /* currentColor: the element's color */
        s->background_color = v->kind == V_COLOR ? v->color : s->color;
        break;
    case P_FONT_SIZE_ADJUST:
        s->font_size_adjust = v->kind == V_NUM ? v->num : 0;
        break;
    default:                    /* font-size: see compute_style */
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

    memcpy(s, base, sizeof *s);         /* inherited: the parent's */
    for (int p = 0; p < P_COUNT; p++)   /* the others: initial values */
        if (!(oc_css_prop_flags[p] & F_INHERITED))
            copy_prop(s, ini, p);
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
        s->font_size = clampd(s->font_size, MIN_FONT_SIZE, MAX_LENGTH);
    }
    if (parent == NULL)
        s->root_font_size = s->font_size;
    for (int p = 0; p < P_COUNT; p++) {
        if (p == P_FONT_SIZE || (v = sp[p]) == NULL)
            continue;
        if (v->kind == V_INHERIT ||
            (v->kind == V_UNSET && (oc_css_prop_flags[p] & F_INHERITED)))
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
    slot = oc_css_smap_slot(css->a, &css->interned, (const char *)s,
                            sizeof *s, true);
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
    if (!oc_css_matches(r, el))
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
    void **slot = oc_css_smap_slot(css->a, m, key, len, false);

    return slot ? *slot : NULL;
}

/* The rules that match el, sorted by cascade order, into css->matched
 * (returns how many), and its style attribute's block into *attr. */
static size_t
match_rules(oc_css *css, xmlNodePtr el, const block **attr)
{
    const char *id = NULL, *cls = NULL, *style = NULL;
    xmlChar *free_id = NULL, *free_cls = NULL, *free_style = NULL;
    char tag[128];
    size_t n = 0, tlen;

    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        if (a->ns != NULL)
            continue;
        if (strcmp((const char *)a->name, "id") == 0 && !id)
            id = oc_css_attr_text(a, &free_id);
        else if (strcmp((const char *)a->name, "class") == 0 && !cls)
            cls = oc_css_attr_text(a, &free_cls);
        else if (strcmp((const char *)a->name, "style") == 0 && !style)
            style = oc_css_attr_text(a, &free_style);
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
    *attr = style ? oc_css_style_attr(css, el, style) : NULL;
    if (free_id)
        xmlFree(free_id);
    if (free_cls)
        xmlFree(free_cls);
    if (free_style)
        xmlFree(free_style);
    return n;
}

bool
oc_css_origin(oc_css *css, xmlNodePtr el, const char *property,
              oc_css_where *at)
{
    const prop_def *def = oc_css_find_prop(property);

    if (def == NULL || def->prop < 0)
        return false;
    for (; el != NULL && el->type == XML_ELEMENT_NODE; el = el->parent) {
        const block *attr;
        const sval *sp[P_COUNT], *v;
        size_t n = match_rules(css, el, &attr);

        cascade(sp, css->matched, n, attr);
        if ((v = sp[def->prop]) == NULL) {
            if (!(oc_css_prop_flags[def->prop] & F_INHERITED))
                return false;
            continue;           /* inherited: its parent's */
        }
        for (size_t k = 0; k < n; k++) {
            const rule *r = css->matched[k];

            if (r->decls->n > 0 && v >= &r->decls->d[0].v &&
                v <= &r->decls->d[r->decls->n - 1].v && r->file != NULL) {
                at->file = r->file;
                at->line = r->line;
                return true;
            }
        }
        return false;           /* a style attribute's */
    }
    return false;
}

const oc_style *
oc_css_compute(oc_css *css, xmlNodePtr el, const oc_style *parent)
{
    const block *attr = NULL;
    const sval *sp[P_COUNT];
    size_t n;
    uint64_t h;
    centry *e;
    oc_style s;

    if (el == NULL || el->type != XML_ELEMENT_NODE)
        return parent ? parent : &css->initial;
    n = match_rules(css, el, &attr);
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

/* Facing margins *a and *b of a page 'size' points wide or high: when
 * they leave less than a quarter of it, both shrink in proportion until
 * they leave that ("margin: 1e38cm" is valid CSS, and the book is still
 * made). Whether they were shrunk. */
static bool
fit_margins(double *a, double *b, double size)
{
    double room = size * 3 / 4;

    if (*a + *b <= room || *a + *b <= 0)
        return false;
    *a = *a * room / (*a + *b);
    *b = room - *a;
    return true;
}

/* The rule of m[0..n) whose declarations hold value v, or NULL. */
static const page_rule *
rule_of(page_rule *const *m, size_t n, const sval *v)
{
    for (size_t k = 0; v != NULL && k < n; k++) {
        const block *b = &m[k]->decls;

        for (size_t d = 0; d < b->n; d++)
            if (&b->d[d].v == v)
                return m[k];
    }
    return NULL;
}

/* The margins' properties, by oc_side. */
static const int margin_props[4] = {P_MARGIN_TOP, P_MARGIN_RIGHT,
                                    P_MARGIN_BOTTOM, P_MARGIN_LEFT};

/* Where the rule of m[0..n) that holds value v is, into *at. */
static void
blame(oc_css_where *at, page_rule *const *m, size_t n, const sval *v)
{
    const page_rule *r = rule_of(m, n, v);

    if (r != NULL) {
        at->file = r->file;
        at->line = r->line;
    }
}

/* The page's size cut to OC_MAX_PAGE, margins under 0 made 0, facing
 * margins that leave too little shrunk (fit_margins): valid CSS, absurd
 * values, the book still made; where each comes from, for a warning. */
static void
clamp_page(oc_page_style *pg, page_rule *const *m, size_t n,
           const sval *const *sp)
{
    bool across, down;
    int worst = -1;

    blame(&pg->size_at, m, n, sp[P_SIZE]);
    if (pg->width > OC_MAX_PAGE || pg->height > OC_MAX_PAGE) {
        pg->too_large = true;
        pg->width = fmin(pg->width, OC_MAX_PAGE);
        pg->height = fmin(pg->height, OC_MAX_PAGE);
    }
    for (int k = 0; k < 4; k++)
        if (!(pg->margin[k] >= 0)) {
            if (!pg->negative)
                blame(&pg->negative_at, m, n, sp[margin_props[k]]);
            pg->negative = true;
            pg->margin[k] = 0;
        }
    across = fit_margins(&pg->margin[OC_SIDE_LEFT],
                         &pg->margin[OC_SIDE_RIGHT], pg->width);
    down = fit_margins(&pg->margin[OC_SIDE_TOP],
                       &pg->margin[OC_SIDE_BOTTOM], pg->height);
    pg->shrunk = across || down;
    for (int k = 0; k < 4; k++)     /* the largest margin shrunk */
        if ((k % 2 ? across : down) &&
            (worst < 0 || pg->asked[k] > pg->asked[worst]))
            worst = k;
    if (worst >= 0)
        blame(&pg->shrunk_at, m, n, sp[margin_props[worst]]);
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

        pg->asked[k] = pg->margin[k] = oc_css_length(ctx.margin[k], whole);
    }
    clamp_page(pg, m, n, sp);
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
 * paper (ruby as a reader without ruby layout shows it: rp's parentheses
 * around rt, after the base), and octavo's own: the default page, and figures of one width in
 * tables, so that columns of numbers align. */
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
    "param, source, track, area, noembed, noframes,\n"
    "[hidden] { display: none; }\n"
    "li { display: list-item; }\n"
    "rt, rp { font-size: 0.7em; }\n"
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
    "table { font-variant-numeric: tabular-nums; }\n"
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
    "mark { background-color: #fff59d; color: black; }\n"
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
    s->width.unit = OC_LEN_AUTO;
    s->height.unit = OC_LEN_AUTO;
    s->max_width.unit = OC_LEN_AUTO;
    oc_css_parse_sheet(css, ua_css, sizeof ua_css - 1,
                       "octavo:user-agent.css", ORIGIN_UA);
    return css;
}

oc_status
oc_css_parse(oc_css *css, const char *text, size_t len, const char *file,
             oc_error *err)
{
    (void)err;
    oc_css_parse_sheet(css, text, len, file, ORIGIN_AUTHOR);
    return OC_OK;
}

oc_status
oc_css_parse_file(oc_css *css, const char *path, oc_error *err)
{
    oc_buf b = {0};
    oc_status st = oc_buf_read_file(&b, path, 0, err);

    if (st == OC_OK)
        oc_css_parse_sheet(css, b.data, b.len, path, ORIGIN_AUTHOR);
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

/* Text of el's subtree, white space collapsed and trimmed; with the
 * text of its pictures (xhtml.h) or without. */
static void
element_text(xmlNodePtr el, oc_buf *b, bool pictures)
{
    xmlNodePtr n = el->children;
    bool space = false;

    while (n && n != el) {
        if (!pictures && oc_xhtml_is_picture(n)) {
            while (n != el && n->next == NULL)
                n = n->parent;
            if (n != el)
                n = n->next;
            continue;
        }
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
    return oc_css_content_text_as(a, c, el, NULL);
}

char *
oc_css_content_text_as(oc_arena *a, const oc_content *c, xmlNodePtr el,
                       const char *text)
{
    oc_buf b = {0};
    char *out;

    for (size_t k = 0; k < c->npieces; k++) {
        const oc_piece *pc = &c->pieces[k];

        if (pc->kind == OC_PIECE_TEXT) {
            oc_buf_puts(&b, pc->text);
        } else if (pc->kind == OC_PIECE_CONTENT && text) {
            oc_buf_puts(&b, text);
        } else if (pc->kind == OC_PIECE_CONTENT && el) {
            size_t at = b.len;

            /* A heading's badges do not head its pages, unless they are
             * all it holds. */
            element_text(el, &b, false);
            if (b.len == at)
                element_text(el, &b, true);
        } else if (pc->kind == OC_PIECE_ATTR && el &&
                   el->type == XML_ELEMENT_NODE) {
            xmlAttrPtr at = oc_css_find_attr(el, pc->text, NULL, false);
            xmlChar *tofree;

            if (at) {
                oc_buf_puts(&b, oc_css_attr_text(at, &tofree));
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
