/* css-select.c - selectors per Selectors Level 3: a complex selector's
 * tokens into compounds joined by combinators, with its specificity
 * (§9); rules filed by their subject's id, class or element name; and
 * matching against the DOM right to left. Pseudo-elements and the
 * pseudo-classes of a screen (:hover...) are valid and never match;
 * :lang() is Selectors 4's, with a list of ranges. */
#include "css-int.h"

#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_COMPOUNDS 32
#define MAX_SIMPLES   16

/* Selectors: a complex selector is compounds joined by combinators. */
enum { C_NONE, C_DESC, C_CHILD, C_ADJ, C_SIB };
enum { S_ID, S_CLASS, S_ATTR, S_PSEUDO };
enum { A_EXISTS, A_EQ, A_INCLUDES, A_DASH, A_PREFIX, A_SUFFIX, A_SUBSTR };
enum {
    PC_FIRST_CHILD, PC_LAST_CHILD, PC_ONLY_CHILD, PC_FIRST_OF_TYPE,
    PC_LAST_OF_TYPE, PC_ONLY_OF_TYPE, PC_ROOT, PC_EMPTY, PC_LINK, PC_LANG
};

typedef struct simple {
    int         kind, op, pseudo;
    bool        icase;      /* ATTR: [a="v" i] */
    bool        any_ns;     /* ATTR: [*|a] */
    const char *ns;         /* ATTR: namespace URI; NULL: none */
    const char *name;       /* ID, CLASS: the name; ATTR: attribute */
    const char *value;      /* ATTR; PSEUDO :lang(): its ranges, lower
                               case, each followed by a ',' */
} simple;

struct compound {
    const char *tag;        /* lower-case local name; NULL: any */
    const char *ns;         /* element namespace URI required, or NULL */
    bool        no_ns;      /* |E: element in no namespace */
    simple     *s;
    size_t      ns_count;
    int         comb;       /* combinator to the compound on the left */
};

/* ---- parsing ---- */

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

/* The type or universal selector at t[*i], with its optional namespace
 * prefix (Selectors 3 §6.1, §6.2), into c; *any is set when there is
 * one. On SEL_OK *i is past it. */
static int
parse_type(parser *p, size_t *i, size_t end, compound *c, uint32_t *spec,
           bool *any, sel_error *e)
{
    size_t k = *i;
    const tok *t = &p->t[k];

    if (k + 2 < end && is_delim(&p->t[k + 1], '|') &&
        (t->type == T_IDENT || is_delim(t, '*')) &&
        (p->t[k + 2].type == T_IDENT || is_delim(&p->t[k + 2], '*'))) {
        if (t->type == T_IDENT &&
            (c->ns = ns_lookup(p, t->s)) == NULL)
            return sel_bad(e, t, "undeclared namespace prefix '%.60s' in "
                           "selector", t->s);
        k += 2;
    } else if (k + 1 < end && is_delim(t, '|') &&
               (p->t[k + 1].type == T_IDENT || is_delim(&p->t[k + 1], '*'))) {
        c->no_ns = true;
        k += 1;
    } else {
        c->ns = p->default_ns;  /* Selectors 3 §6.1.1 */
    }
    if (k < end && p->t[k].type == T_IDENT) {
        c->tag = lower_dup(p->a, p->t[k].s);
        bump(spec, 0);
        k++;
        *any = true;
    } else if (k < end && is_delim(&p->t[k], '*')) {
        k++;
        *any = true;
    } else if (k != *i) {
        return sel_bad(e, &p->t[k < end ? k : *i], "expected an element "
                       "name after '|'", NULL);
    }
    *i = k;
    return SEL_OK;
}

/* :lang() at t[*i], a ':' (Selectors 4 §7.2): a list of language
 * ranges, identifiers or strings, into s, counted in c. On SEL_OK *i is
 * past it. */
static int
parse_lang(parser *p, size_t *i, size_t end, compound *c, simple *s,
           uint32_t *spec, sel_error *e)
{
    size_t k = *i + 1, close = p->match[k], len = 0;
    bool want = true;           /* a range, not a comma, comes next */
    char *v;

    if (close >= end)
        return sel_bad(e, &p->t[k], "':lang(' without ')'", NULL);
    for (size_t j = skip_ws(p, k + 1, close); j < close;
         j = skip_ws(p, j + 1, close)) {
        const tok *t = &p->t[j];

        if (want && (t->type == T_IDENT || t->type == T_STRING))
            len += strlen(t->s) + 1;
        else if (!want && t->type == T_COMMA)
            ;
        else
            return sel_bad(e, t, "expected a language range in ':lang()'",
                           NULL);
        want = !want;
    }
    if (want)
        return sel_bad(e, &p->t[close], "expected a language range in "
                       "':lang()'", NULL);
    memset(s, 0, sizeof *s);
    s->kind = S_PSEUDO;
    s->pseudo = PC_LANG;
    s->value = v = oc_arena_alloc(p->a, len + 1);
    for (size_t j = k + 1; j < close; j++) {
        const tok *t = &p->t[j];

        if (t->type != T_IDENT && t->type != T_STRING)
            continue;
        for (const char *q = t->s; *q; q++)
            *v++ = (char)lower((unsigned char)*q);
        *v++ = ',';
    }
    bump(spec, 10);
    c->ns_count++;
    *i = close + 1;
    return SEL_OK;
}

/* The pseudo-class or pseudo-element at t[*i], a ':'. A pseudo-class we
 * match goes into s, counted in c; one that never matches on paper, and
 * any pseudo-element, is SEL_NEVER. Unless SEL_BAD, *i is past it. */
static int
parse_pseudo(parser *p, size_t *i, size_t end, compound *c, simple *s,
             uint32_t *spec, sel_error *e)
{
    size_t k = *i;
    const tok *t = &p->t[k];
    const tok *n = k + 1 < end ? &p->t[k + 1] : NULL;
    int rc = SEL_OK;

    if (n && n->type == T_COLON) {      /* ::pseudo-element */
        n = k + 2 < end ? &p->t[k + 2] : NULL;
        if (n == NULL || (n->type != T_IDENT && n->type != T_FUNCTION))
            return sel_bad(e, t, "expected a pseudo-element name after "
                           "'::'", NULL);
        bump(spec, 0);
        *i = next_cv(p, k + 2, end);
        return SEL_NEVER;
    }
    if (n && n->type == T_FUNCTION && ieq(n->s, "lang"))
        return parse_lang(p, i, end, c, s, spec, e);
    if (n && n->type == T_FUNCTION)
        return sel_bad(e, n, "unsupported pseudo-class ':%.60s()'", n->s);
    if (n == NULL || n->type != T_IDENT)
        return sel_bad(e, t, "expected a pseudo-class name after ':'",
                       NULL);
    if (ieq(n->s, "before") || ieq(n->s, "after") ||
        ieq(n->s, "first-line") || ieq(n->s, "first-letter")) {
        rc = SEL_NEVER;                 /* CSS 2 pseudo-element syntax */
        bump(spec, 0);
    } else if (dynamic_pseudo(n->s)) {
        rc = SEL_NEVER;
        bump(spec, 10);
    } else if (pseudo_class(n->s) >= 0) {
        memset(s, 0, sizeof *s);
        s->kind = S_PSEUDO;
        s->pseudo = pseudo_class(n->s);
        bump(spec, 10);
        c->ns_count++;
    } else {
        return sel_bad(e, n, "unsupported pseudo-class ':%.60s'", n->s);
    }
    *i = k + 2;
    return rc;
}

/* One compound selector at *k; on SEL_OK or SEL_NEVER *k is past it. */
static int
parse_compound(parser *p, size_t *k, size_t end, compound *c,
               simple *sbuf, uint32_t *spec, sel_error *e)
{
    size_t i = *k;
    bool any = false, never = false;
    const tok *t;

    memset(c, 0, sizeof *c);
    c->s = sbuf;
    if (parse_type(p, &i, end, c, spec, &any, e) != SEL_OK)
        return SEL_BAD;
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
            int rc = parse_pseudo(p, &i, end, c, s, spec, e);

            if (rc == SEL_BAD)
                return SEL_BAD;
            never |= rc == SEL_NEVER;
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

        oc_css_describe(&p->t[i < end ? i : p->n], what, sizeof what);
        e->at = &p->t[i < end ? i : p->n];
        snprintf(e->msg, sizeof e->msg, "expected a selector, found %s",
                 what);
        return SEL_BAD;
    }
    *k = i;
    return never ? SEL_NEVER : SEL_OK;
}

int
oc_css_parse_selector(parser *p, size_t i, size_t end, rule *r,
                      sel_error *e)
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

            oc_css_describe(t, what, sizeof what);
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
void
oc_css_index_rule(oc_css *css, rule *r)
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
    slot = (rlist **)oc_css_smap_slot(css->a, m, name, strlen(name),
                                      true);
    if (*slot == NULL)
        *slot = oc_arena_alloc(css->a, sizeof **slot);
    rlist_add(css->a, *slot, r);
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

const char *
oc_css_attr_text(xmlAttrPtr a, xmlChar **tofree)
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

xmlAttrPtr
oc_css_find_attr(xmlNodePtr el, const char *name, const char *ns,
                 bool any_ns)
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
ieqn(const char *a, size_t n, const char *b)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] == '\0' || lower((unsigned char)a[i]) !=
                            lower((unsigned char)b[i]))
            return false;
    return b[n] == '\0';
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
               oc_css_find_attr(el, "href", NULL, false) != NULL;
    default:
        return false;
    }
}

/* Does the language tag v start with the range r[0..n) (lower case),
 * followed by its end or a '-'? */
static bool
lang_prefix(const char *v, const char *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == '\0' || lower((unsigned char)v[i]) != r[i])
            return false;
    return v[n] == '\0' || v[n] == '-';
}

/* Selectors 4 §7.2: is el's language (its own or its nearest
 * ancestor's xml:lang, else lang) in one of the ranges ("zh,ja,")? A
 * range matches a tag equal to it or that starts with it and a '-',
 * case-insensitively; '*' matches any tag but the empty one. */
static bool
lang_matches(const char *ranges, xmlNodePtr el)
{
    xmlAttrPtr a = NULL;
    xmlChar *tofree = NULL;
    const char *v;
    bool ok = false;

    for (; el != NULL && el->type == XML_ELEMENT_NODE && a == NULL;
         el = el->parent) {
        a = oc_css_find_attr(el, "lang", XML_NS, false);
        if (a == NULL)
            a = oc_css_find_attr(el, "lang", NULL, false);
    }
    if (a == NULL)
        return false;
    v = oc_css_attr_text(a, &tofree);
    for (const char *r = ranges; *r && *v && !ok;) {
        size_t n = (size_t)(strchr(r, ',') - r);

        ok = (n == 1 && *r == '*') || lang_prefix(v, r, n);
        r += n + 1;
    }
    if (tofree)
        xmlFree(tofree);
    return ok;
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
            if (s->pseudo == PC_LANG ? !lang_matches(s->value, el)
                                     : !pseudo_matches(s->pseudo, el))
                return false;
            continue;
        }
        if (s->kind == S_ATTR)
            a = oc_css_find_attr(el, s->name, s->ns, s->any_ns);
        else
            a = oc_css_find_attr(el, s->kind == S_ID ? "id" : "class",
                                 NULL, false);
        if (a == NULL)
            return false;
        v = oc_css_attr_text(a, &tofree);
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

bool
oc_css_matches(const rule *r, xmlNodePtr el)
{
    return match_from(r, r->nc - 1, el) == M_MATCHED;
}
