/* md-styles.c - the emphasis that exported HTML gives by class: a word
 * processor in a browser (Google Docs), Scrivener or a converter writes
 * <span class="c3"> with ".c3{font-weight:700}" in a <style> element of
 * its head, which the chapter loses with its head. The classes' bold,
 * italic, underline, strike-through and raised or lowered text become
 * elements (b, i, u, s, sup, sub) around what they style, in both
 * outputs; nothing else of that stylesheet is kept (its fonts, sizes and
 * page margins are the exporting program's, not the book's). See
 * md-int.h. */
#include "md-int.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "error.h"

/* What a rule sets, each -1 when it sets nothing. */
enum { EM_BOLD, EM_ITALIC, EM_UNDERLINE, EM_STRIKE, EM_SUPER, EM_SUB,
       EM_COUNT };

static const char *const em_element[EM_COUNT] = {
    "b", "i", "u", "s", "sup", "sub"
};

typedef struct class_rule {
    char        *name;          /* the class */
    signed char  set[EM_COUNT]; /* 1 on, 0 off, -1 not said */
} class_rule;

typedef struct class_rules {
    class_rule *v;
    size_t      n, cap;
} class_rules;

/* Declaration 'name: value' (lower case, trimmed) into r. */
static void
declare(class_rule *r, const char *name, const char *value)
{
    if (strcmp(name, "font-weight") == 0) {
        int w = atoi(value);

        if (strcmp(value, "bold") == 0 || strcmp(value, "bolder") == 0)
            w = 700;
        else if (strcmp(value, "normal") == 0 ||
                 strcmp(value, "lighter") == 0)
            w = 400;
        if (w > 0)
            r->set[EM_BOLD] = w >= 600;
    } else if (strcmp(name, "font-style") == 0) {
        r->set[EM_ITALIC] = strcmp(value, "italic") == 0 ||
                            strncmp(value, "oblique", 7) == 0;
    } else if (strcmp(name, "text-decoration") == 0 ||
               strcmp(name, "text-decoration-line") == 0) {
        r->set[EM_UNDERLINE] = strstr(value, "underline") != NULL;
        r->set[EM_STRIKE] = strstr(value, "line-through") != NULL;
    } else if (strcmp(name, "vertical-align") == 0) {
        r->set[EM_SUPER] = strcmp(value, "super") == 0;
        r->set[EM_SUB] = strcmp(value, "sub") == 0;
    }
}

/* s[0, n) trimmed and lower-cased into out (size cap); "!important"
 * dropped. */
static void
trimmed(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    char *bang;

    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        out[k++] = (char)tolower((unsigned char)s[i]);
    out[k] = '\0';
    if ((bang = strchr(out, '!')) != NULL) {
        *bang = '\0';
        while (bang > out && isspace((unsigned char)bang[-1]))
            *--bang = '\0';
    }
}

/* The class a selector names alone ("span.c3", ".c3"), into out; false
 * for any other selector. */
static bool
class_of(const char *sel, size_t n, char *out, size_t cap)
{
    char s[128];
    const char *dot;

    trimmed(sel, n, s, sizeof s);
    dot = strchr(s, '.');
    if (dot == NULL || dot[1] == '\0' || strlen(dot + 1) >= cap)
        return false;
    for (const char *p = s; p < dot; p++)
        if (!isalnum((unsigned char)*p))
            return false;               /* "td .c3", "a:hover.c3" */
    for (const char *p = dot + 1; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return false;
    strcpy(out, dot + 1);
    return true;
}

/* The rule with selectors sel[0, sn) and declarations decl[0, dn). */
static void
add_rules(class_rules *rs, const char *sel, size_t sn, const char *decl,
          size_t dn)
{
    class_rule r;
    bool any = false;

    memset(r.set, -1, sizeof r.set);
    for (size_t i = 0; i < dn;) {
        size_t e = i, colon;
        char name[64], value[128];

        while (e < dn && decl[e] != ';')
            e++;
        for (colon = i; colon < e && decl[colon] != ':'; colon++)
            ;
        if (colon < e) {
            trimmed(decl + i, colon - i, name, sizeof name);
            trimmed(decl + colon + 1, e - colon - 1, value, sizeof value);
            declare(&r, name, value);
        }
        i = e + 1;
    }
    for (int k = 0; k < EM_COUNT; k++)
        any |= r.set[k] >= 0;
    if (!any)
        return;
    for (size_t i = 0; i < sn;) {
        size_t e = i;
        char name[64];

        while (e < sn && sel[e] != ',')
            e++;
        if (class_of(sel + i, e - i, name, sizeof name)) {
            if (rs->n == rs->cap) {
                rs->cap = rs->cap ? 2 * rs->cap : 16;
                rs->v = oc_xrealloc(rs->v, rs->cap * sizeof *rs->v);
            }
            r.name = oc_xstrdup(name);
            rs->v[rs->n++] = r;
        }
        i = e + 1;
    }
}

/* The rules of stylesheet css: comments skipped, at-rules (and the
 * blocks of @media and the like) passed over. */
static void
read_rules(class_rules *rs, const char *css)
{
    const char *p = css;

    while (*p != '\0') {
        const char *open, *close;

        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");

            p = e ? e + 2 : p + strlen(p);
            continue;
        }
        if (isspace((unsigned char)*p) || *p == '}') {
            p++;
            continue;
        }
        open = strpbrk(p, "{;");
        if (open == NULL)
            break;
        if (*p == '@' || *open == ';') {     /* an at-rule: its block */
            int depth = 0;

            for (p = open; *p != '\0'; p++) {
                depth += (*p == '{') - (*p == '}');
                if (depth <= 0 && (*p == ';' || *p == '}'))
                    break;
            }
            if (*p != '\0')
                p++;
            continue;
        }
        close = strchr(open, '}');
        if (close == NULL)
            break;
        add_rules(rs, p, (size_t)(open - p), open + 1,
                  (size_t)(close - open - 1));
        p = close + 1;
    }
}

/* The text of every <style> element under n. */
static void
collect_styles(class_rules *rs, xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcasecmp(n->name, BAD_CAST "style") == 0) {
            xmlChar *css = xmlNodeGetContent(n);

            if (css != NULL)
                read_rules(rs, (const char *)css);
            xmlFree(css);
        } else {
            collect_styles(rs, n->children);
        }
    }
}

/* Whether the class attribute value 'classes' holds 'name'. */
static bool
has_class(const char *classes, const char *name)
{
    size_t n = strlen(name);

    for (const char *c = classes; *c;) {
        size_t len = 0;

        while (isspace((unsigned char)*c))
            c++;
        while (c[len] && !isspace((unsigned char)c[len]))
            len++;
        if (len == n && strncmp(c, name, n) == 0)
            return true;
        c += len;
    }
    return false;
}

/* What n's classes say of emphasis k: 1 on, 0 off, -1 nothing (the
 * last rule that says something wins, as in the cascade). */
static int
class_says(const class_rules *rs, xmlNodePtr n, int k)
{
    xmlChar *cls = xmlGetProp(n, BAD_CAST "class");
    int v = -1;

    for (size_t i = 0; cls != NULL && i < rs->n; i++)
        if (rs->v[i].set[k] >= 0 &&
            has_class((const char *)cls, rs->v[i].name))
            v = rs->v[i].set[k];
    xmlFree(cls);
    return v;
}

/* Wrap the children of n in new elements 'name' of n's namespace, one
 * around each run of them that emphasis k does not turn off. */
static void
wrap_children(const class_rules *rs, xmlNodePtr n, int k)
{
    xmlNodePtr w = NULL, next;

    for (xmlNodePtr c = n->children; c != NULL; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE && class_says(rs, c, k) == 0) {
            w = NULL;
            continue;
        }
        if (w == NULL) {
            w = xmlNewDocNode(n->doc, n->ns, BAD_CAST em_element[k], NULL);
            if (w == NULL)
                return;
            xmlAddPrevSibling(c, w);
        }
        xmlUnlinkNode(c);
        xmlAddChild(w, c);
    }
}

/* Elements that hold blocks or a table's parts, not text: emphasis is
 * wrapped around the text inside them instead. */
static const char *const blocks[] = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details",
    "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", NULL
};

static bool
is_block(xmlNodePtr n)
{
    for (int i = 0; blocks[i] != NULL; i++)
        if (xmlStrcasecmp(n->name, BAD_CAST blocks[i]) == 0)
            return true;
    return false;
}

/* Whether an element may take an element around all of its content:
 * none of its children is a block. */
static bool
holds_text(xmlNodePtr n)
{
    if (n->children == NULL || xmlStrcasecmp(n->name, BAD_CAST "style") == 0)
        return false;
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE && is_block(k))
            return false;
    return true;
}

/* Each element under n: 'up' is the emphasis it inherits, 'done' what
 * of it elements already give. What its classes turn on is wrapped
 * around its content, or around that of the descendants that hold text.
 * The tree's depth is bounded by the parser's. */
static void
apply(const class_rules *rs, xmlNodePtr n, const signed char *up,
      const signed char *done)
{
    for (; n != NULL; n = n->next) {
        signed char em[EM_COUNT];
        bool wrap;
        xmlChar *cls;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        memcpy(em, up, sizeof em);
        cls = xmlGetProp(n, BAD_CAST "class");
        for (size_t i = 0; cls != NULL && i < rs->n; i++)
            if (has_class((const char *)cls, rs->v[i].name))
                for (int k = 0; k < EM_COUNT; k++)
                    if (rs->v[i].set[k] >= 0)
                        em[k] = rs->v[i].set[k];
        xmlFree(cls);
        wrap = holds_text(n);
        apply(rs, n->children, em, wrap ? em : done);
        for (int k = EM_COUNT - 1; k >= 0 && wrap; k--)
            if (em[k] == 1 && done[k] != 1)
                wrap_children(rs, n, k);
    }
}

void
md_style_classes(xmlNodePtr root)
{
    class_rules rs = {0};
    signed char none[EM_COUNT];
    xmlNodePtr body = root;

    collect_styles(&rs, root);
    if (rs.n == 0)
        return;
    for (xmlNodePtr n = root->children; n != NULL; n = n->next)
        if (n->type == XML_ELEMENT_NODE &&
            xmlStrcasecmp(n->name, BAD_CAST "body") == 0)
            body = n;
    memset(none, 0, sizeof none);
    apply(&rs, body->children, none, none);
    for (size_t i = 0; i < rs.n; i++)
        free(rs.v[i].name);
    free(rs.v);
}
