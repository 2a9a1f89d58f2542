/* md-pass.c - the Markdown pass over cmark-gfm's tree before it becomes
 * XHTML: pandoc's attribute blocks after headings, images, links and
 * code spans, its bracketed spans [text]{.class} and definition lists
 * (term, then ": definition"), found in the text cmark-gfm leaves them
 * as; and a warning for what stays text ($...$ math, [TOC] markers). */
#include "md-int.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "sanitize.h"

#define MAX_PASS_DEPTH 200      /* deeper trees fail in markdown.c */

const char md_mark_term[] = "term", md_mark_entry[] = "entry";
const char md_mark_defs[] = "defs", md_mark_dd[] = "dd";
const char md_mark_title[] = "title";

enum { WARN_MATH = 1u << 0, WARN_TOC = 1u << 1, WARN_CITE = 1u << 2,
       WARN_LATEX = 1u << 3 };

static int
type_of(cmark_node *n)
{
    return n ? (int)cmark_node_get_type(n) : 0;
}

static bool
is_inline(cmark_node *n)
{
    return n != NULL &&
           (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) ==
               CMARK_NODE_TYPE_INLINE;
}

static md_attrs *
keep(md_pass *p, const md_attrs *a)
{
    md_attrs *m = oc_xmalloc(sizeof *m);

    *m = *a;
    p->made = oc_xrealloc(p->made, (p->nmade + 1) * sizeof *p->made);
    p->made[p->nmade++] = m;
    return m;
}

/* An attribute block in text node t at literal offset 'at' (an
 * unescaped '{'), read from the source; *end is the literal offset past
 * it. */
static bool
block_at(const md_aligned *al, size_t at, md_attrs *a, size_t *end)
{
    size_t from, n;

    if (at >= al->len || al->esc[at])
        return false;
    from = al->map[at];
    if (from >= al->srclen || al->src[from] != '{')
        return false;
    n = md_attrs_parse(al->src + from, al->srclen - from, a);
    if (n == 0)
        return false;
    for (*end = at; *end < al->len && al->map[*end] < from + n; (*end)++)
        ;
    return true;
}

static void
set_literal_n(cmark_node *t, const char *s, size_t n)
{
    char *copy = oc_xmalloc(n + 1);

    memcpy(copy, s, n);
    copy[n] = '\0';
    cmark_node_set_literal(t, copy);
    free(copy);
}

static cmark_node *
new_text(const char *s, size_t n)
{
    cmark_node *t = md_node_new(CMARK_NODE_TEXT);

    set_literal_n(t, s, n);
    return t;
}

/* {…} right after an image, a link or a code span: its attributes. */
static void
trailing_attrs(md_pass *p, cmark_node *k)
{
    cmark_node *t = cmark_node_next(k);
    const char *lit;
    md_aligned al;
    md_attrs a;
    size_t end;

    if (type_of(t) != CMARK_NODE_TEXT ||
        (lit = cmark_node_get_literal(t)) == NULL || lit[0] != '{' ||
        cmark_node_get_user_data(k) != NULL || !md_align(p->src, t, &al))
        return;
    if (block_at(&al, 0, &a, &end)) {
        cmark_node_set_user_data(k, keep(p, &a));
        if (lit[end] == '\0') {
            cmark_node_free(t);
        } else {
            char *rest = oc_xstrdup(lit + end);

            cmark_node_set_literal(t, rest);
            free(rest);
        }
    }
    md_aligned_free(&al);
}

/* pandoc's raw inline, code span k followed by "{=format}": the code
 * as raw HTML for html (or html5), nothing for another format (latex,
 * typst...). Returns the node after what it took, or k when k is none. */
static cmark_node *
raw_inline(cmark_node *k)
{
    cmark_node *t = cmark_node_next(k), *after;
    const char *lit = type_of(t) == CMARK_NODE_TEXT
                          ? cmark_node_get_literal(t) : NULL;
    size_t f = 2, rest;

    if (lit == NULL || lit[0] != '{' || lit[1] != '=')
        return k;
    while (isalnum((unsigned char)lit[f]) || lit[f] == '_' || lit[f] == '-')
        f++;
    if (f == 2 || lit[f] != '}')
        return k;
    rest = f + 1;
    if ((f == 6 && strncmp(lit + 2, "html", 4) == 0) ||
        (f == 7 && strncmp(lit + 2, "html5", 5) == 0)) {
        cmark_node *h = md_node_new(CMARK_NODE_HTML_INLINE);

        cmark_node_set_literal(h, cmark_node_get_literal(k));
        cmark_node_insert_before(k, h);
    }
    cmark_node_free(k);
    if (lit[rest] == '\0') {
        after = cmark_node_next(t);
        cmark_node_free(t);
        return after;
    }
    {
        char *keep = oc_xstrdup(lit + rest);

        cmark_node_set_literal(t, keep);
        free(keep);
    }
    return t;
}

/* {…} at the end of a heading: its attributes. */
static void
heading_attrs(md_pass *p, cmark_node *h)
{
    cmark_node *t = cmark_node_last_child(h);
    const char *lit;
    md_aligned al;
    md_attrs a;
    size_t len, end;

    if (type_of(t) != CMARK_NODE_TEXT ||
        (lit = cmark_node_get_literal(t)) == NULL ||
        (len = strlen(lit)) < 3 || lit[len - 1] != '}' ||
        !md_align(p->src, t, &al))
        return;
    for (size_t i = len - 1; i-- > 0;) {
        if (lit[i] != '{')
            continue;
        if (block_at(&al, i, &a, &end)) {
            if (end == len) {
                while (i > 0 && (lit[i - 1] == ' ' || lit[i - 1] == '\t'))
                    i--;
                cmark_node_set_user_data(h, keep(p, &a));
                set_literal_n(t, lit, i);
            } else {
                md_attrs_clear(&a);
            }
        }
        break;
    }
    md_aligned_free(&al);
}

/* ---- bracketed spans ---- */

typedef struct span_ev {
    size_t   at, end;       /* literal offsets: '[' or "]{…}" */
    md_attrs attrs;         /* of a closing event */
    bool     close;
} span_ev;

/* The '[' and "]{…}" of text node t, in order; their count. */
static size_t
span_events(md_pass *p, cmark_node *t, span_ev **out)
{
    const char *lit = cmark_node_get_literal(t);
    span_ev *ev = NULL;
    size_t n = 0, end;
    md_aligned al;
    md_attrs a;

    *out = NULL;
    if (lit == NULL || strpbrk(lit, "[]") == NULL ||
        !md_align(p->src, t, &al))
        return 0;
    for (size_t i = 0; i < al.len; i++) {
        bool open = lit[i] == '[' && !al.esc[i];
        bool close = lit[i] == ']' && !al.esc[i] && lit[i + 1] == '{' &&
                     al.map[i + 1] == al.map[i] + 1 &&
                     block_at(&al, i + 1, &a, &end);

        if (!open && !close)
            continue;
        ev = oc_xrealloc(ev, (n + 1) * sizeof *ev);
        memset(&ev[n], 0, sizeof ev[n]);
        ev[n].at = i;
        ev[n].end = close ? end : i + 1;
        ev[n].close = close;
        if (close) {
            ev[n].attrs = a;
            i = end - 1;
        }
        n++;
    }
    md_aligned_free(&al);
    *out = ev;
    return n;
}

/* The HTML of a span's start tag, for a paragraph that cmark-gfm renders
 * itself (one with raw HTML); a script's <sup> or <sub>. */
static void
span_html(cmark_node *span, const md_attrs *a)
{
    oc_buf b = {0};
    const char *v[2] = {a->id, a->classes};
    const char *name[2] = {"id", "class"};

    if (a->id == NULL && a->n == 0 && a->classes != NULL &&
        (strcmp(a->classes, "octavo-sup") == 0 ||
         strcmp(a->classes, "octavo-sub") == 0)) {
        bool sup = a->classes[9] == 'p';    /* ^super^ or ~sub~ */

        cmark_node_set_on_enter(span, sup ? "<sup>" : "<sub>");
        cmark_node_set_on_exit(span, sup ? "</sup>" : "</sub>");
        return;
    }
    oc_buf_puts(&b, "<span");
    for (int i = 0; i < 2; i++) {
        if (v[i] == NULL)
            continue;
        oc_buf_printf(&b, " %s=\"", name[i]);
        for (const char *s = v[i]; *s; s++)
            oc_buf_puts(&b, *s == '"' ? "&quot;" : *s == '&' ? "&amp;"
                            : *s == '<' ? "&lt;" : (char[2]){*s, 0});
        oc_buf_puts(&b, "\"");
    }
    oc_buf_puts(&b, ">");
    cmark_node_set_on_enter(span, b.data);
    cmark_node_set_on_exit(span, "</span>");
    oc_buf_free(&b);
}

typedef struct frames {
    cmark_node **v;         /* v[0] is the parent; others open spans */
    size_t       n;
    cmark_node_type span;   /* the node type of a span: see span_type */
} frames;

/* A span is a CUSTOM_INLINE node, except where cmark-gfm lets none be
 * (a table cell): there an EMPH node with attributes. 0: neither. */
static cmark_node_type
span_type(cmark_node *parent)
{
    static const cmark_node_type types[] = {CMARK_NODE_CUSTOM_INLINE,
                                            CMARK_NODE_EMPH};

    for (size_t i = 0; i < 2; i++) {
        cmark_node *probe = md_node_new(types[i]);
        bool ok = cmark_node_append_child(parent, probe) != 0;

        cmark_node_free(probe);
        if (ok)
            return types[i];
    }
    return (cmark_node_type)0;
}

static void
frame_append(frames *f, cmark_node *k)
{
    cmark_node_append_child(f->v[f->n - 1], k);
}

/* Close the innermost open span with attributes a. */
static void
frame_close(md_pass *p, frames *f, md_attrs *a)
{
    cmark_node *span = f->v[--f->n];
    md_attrs *m = keep(p, a);

    cmark_node_set_user_data(span, m);
    span_html(span, m);
    frame_append(f, span);
}

/* Text node t cut at its events, into the open frames. */
static void
split_text(md_pass *p, frames *f, cmark_node *t, span_ev *ev, size_t n)
{
    const char *lit = cmark_node_get_literal(t);
    size_t pos = 0;

    for (size_t i = 0; i < n; i++) {
        if (ev[i].at > pos)
            frame_append(f, new_text(lit + pos, ev[i].at - pos));
        pos = ev[i].end;
        if (!ev[i].close) {
            f->v = oc_xrealloc(f->v, (f->n + 1) * sizeof *f->v);
            f->v[f->n++] = md_node_new(f->span);
        } else if (f->n > 1) {
            frame_close(p, f, &ev[i].attrs);
        } else {
            md_attrs_clear(&ev[i].attrs);
            frame_append(f, new_text(lit + ev[i].at, ev[i].end - ev[i].at));
        }
    }
    if (lit[pos] != '\0')
        frame_append(f, new_text(lit + pos, strlen(lit + pos)));
}

/* [text]{attributes} among the children of 'parent': a span. */
static void
bracketed_spans(md_pass *p, cmark_node *parent)
{
    cmark_node *k, *hold;
    frames f = {0};
    bool any = false;

    for (k = cmark_node_first_child(parent); k && !any;
         k = cmark_node_next(k))
        any = type_of(k) == CMARK_NODE_TEXT &&
              strstr(cmark_node_get_literal(k), "]{") != NULL;
    if (!any || (f.span = span_type(parent)) == 0)
        return;
    f.v = oc_xmalloc(sizeof *f.v);
    f.v[f.n++] = parent;
    /* The children, taken off and put back in their frames. */
    hold = md_node_new(CMARK_NODE_CUSTOM_INLINE);
    while ((k = cmark_node_first_child(parent)) != NULL) {
        cmark_node_unlink(k);
        cmark_node_append_child(hold, k);
    }
    while ((k = cmark_node_first_child(hold)) != NULL) {
        span_ev *ev = NULL;
        size_t n = 0;

        if (type_of(k) == CMARK_NODE_TEXT)
            n = span_events(p, k, &ev);
        cmark_node_unlink(k);
        if (n > 0) {
            split_text(p, &f, k, ev, n);
            cmark_node_free(k);
        } else {
            frame_append(&f, k);
        }
        free(ev);
    }
    while (f.n > 1) {               /* '[' never closed: text again */
        cmark_node *open = f.v[--f.n], *c;

        frame_append(&f, new_text("[", 1));
        while ((c = cmark_node_first_child(open)) != NULL) {
            cmark_node_unlink(c);
            frame_append(&f, c);
        }
        cmark_node_free(open);
    }
    cmark_node_free(hold);
    free(f.v);
}

/* ---- what stays text: a warning, once per kind ---- */

static void
notice(md_pass *p, cmark_node *t, size_t at, unsigned kind, const char *msg)
{
    if (p->warned & kind)
        return;
    p->warned |= kind;
    oc_warn(p->file, p->line0 + md_prep_line(p->prep,
                                             cmark_node_get_start_line(t)),
            cmark_node_get_start_column(t) + (int)at, "%s", msg);
}

/* TeX math as pandoc reads it: $ not followed by a space, a closing $
 * not preceded by one nor followed by a digit; or $$…$$. */
static bool
has_math(const char *s, const md_aligned *al, size_t *at)
{
    for (size_t i = 0; s[i]; i++) {
        size_t j;

        if (s[i] != '$' || al->esc[i] || s[i + 1] == ' ' || !s[i + 1])
            continue;
        for (j = i + 1; s[j]; j++)
            if (s[j] == '$' && !al->esc[j] && s[j - 1] != ' ' &&
                !(s[j + 1] >= '0' && s[j + 1] <= '9') && j > i + 1)
                break;
        if (s[j] == '$') {
            *at = al->map[i];
            return true;
        }
    }
    return false;
}

static bool
is_toc_marker(const char *s)
{
    static const char *const marks[] = {"[toc]", "[[_toc_]]", "{{toc}}",
                                        "[[toc]]", "${toc}", NULL};

    while (*s == ' ')
        s++;
    for (size_t i = 0; marks[i] != NULL; i++) {
        size_t n = strlen(marks[i]);

        if (strncasecmp(s, marks[i], n) == 0 &&
            s[n + strspn(s + n, " ")] == '\0')
            return true;
    }
    return false;
}

/* The text of inline n and what it holds, into b (at most 32 bytes:
 * enough to tell a marker). */
static void
short_text(cmark_node *n, oc_buf *b, int depth)
{
    for (cmark_node *k = n; k != NULL && b->len < 32 && depth < 8;
         k = cmark_node_next(k)) {
        if (type_of(k) == CMARK_NODE_TEXT)
            oc_buf_puts(b, cmark_node_get_literal(k));
        else
            short_text(cmark_node_first_child(k), b, depth + 1);
    }
}

/* Where a pandoc citation ([@key], [-@key], [see @key, p. 4]) starts in
 * s, or (size_t)-1. */
static size_t
citation_at(const char *s)
{
    for (const char *b = strchr(s, '['); b != NULL; b = strchr(b + 1, '[')) {
        const char *e = strchr(b, ']'), *at = b + 1;

        while (e != NULL && (at = strchr(at, '@')) != NULL && at < e) {
            if ((at == b + 1 || at[-1] == ' ' || at[-1] == '-' ||
                 at[-1] == ';') &&
                (isalnum((unsigned char)at[1]) || at[1] == '_'))
                return (size_t)(b - s);
            at++;
        }
    }
    return (size_t)-1;
}

/* Where a LaTeX command with an argument (\textbf{...}, \begin{center},
 * \cite[p.~4]{key}) starts in s outside TeX math, or (size_t)-1: what
 * pandoc takes for raw LaTeX. */
static size_t
latex_at(const char *s)
{
    bool math = false;

    for (size_t i = 0; s[i]; i++) {
        size_t k = i + 1;

        if (s[i] == '$')
            math = !math;
        if (math || s[i] != '\\' || !isalpha((unsigned char)s[k]))
            continue;
        while (isalpha((unsigned char)s[k]))
            k++;
        if (s[k] == '*')
            k++;
        if (s[k] == '{' || s[k] == '[')
            return i;
    }
    return (size_t)-1;
}

static void
notices(md_pass *p, cmark_node *parent)
{
    cmark_node *first = cmark_node_first_child(parent);
    oc_buf b = {0};

    if (type_of(parent) == CMARK_NODE_PARAGRAPH && !(p->warned & WARN_TOC)) {
        short_text(first, &b, 0);       /* [[_TOC_]] has an <em> */
        if (b.data != NULL && b.len < 32 && is_toc_marker(b.data))
            notice(p, first, 0, WARN_TOC, "a table-of-contents marker is "
                   "kept as text: octavo makes the book's contents itself");
        oc_buf_free(&b);
    }
    for (cmark_node *k = first; k != NULL; k = cmark_node_next(k)) {
        const char *lit = cmark_node_get_literal(k);
        md_aligned al;
        size_t at;

        if (type_of(k) == CMARK_NODE_TEXT && !(p->warned & WARN_CITE) &&
            (at = citation_at(lit)) != (size_t)-1)
            notice(p, k, at, WARN_CITE, "a citation ([@key]) is kept as "
                   "text: octavo reads no bibliography");
        if (type_of(k) == CMARK_NODE_TEXT && !(p->warned & WARN_LATEX) &&
            (at = latex_at(lit)) != (size_t)-1)
            notice(p, k, at, WARN_LATEX, "a LaTeX command (\\name{...}) is "
                   "kept as text: octavo reads no LaTeX");
        if (type_of(k) != CMARK_NODE_TEXT || (p->warned & WARN_MATH) ||
            strchr(lit, '$') == NULL || !md_align(p->src, k, &al))
            continue;
        if (has_math(lit, &al, &at))
            notice(p, k, at, WARN_MATH, "TeX math ($...$) is not typeset: "
                   "kept as text");
        md_aligned_free(&al);
    }
}

/* ---- definition lists ---- */

/* The line of a paragraph that starts at text node t opens a definition
 * (an unescaped ':' and a space): strip them and say so. */
static bool
dd_line(md_pass *p, cmark_node *t, bool strip)
{
    const char *lit = cmark_node_get_literal(t);
    md_aligned al;
    bool yes;

    if (type_of(t) != CMARK_NODE_TEXT || lit == NULL || lit[0] != ':' ||
        (lit[1] != ' ' && lit[1] != '\t') || !md_align(p->src, t, &al))
        return false;
    yes = !al.esc[0];
    md_aligned_free(&al);
    if (yes && strip) {
        char *rest = oc_xstrdup(lit + 1 + strspn(lit + 1, " \t"));

        cmark_node_set_literal(t, rest);
        free(rest);
    }
    return yes;
}

static bool
has_html(cmark_node *n)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        if (type_of(k) == CMARK_NODE_HTML_INLINE || has_html(k))
            return true;
    return false;
}

static int
count_lines(cmark_node *para)
{
    int n = 1;

    for (cmark_node *k = cmark_node_first_child(para); k;
         k = cmark_node_next(k))
        n += type_of(k) == CMARK_NODE_SOFTBREAK ||
             type_of(k) == CMARK_NODE_LINEBREAK;
    return n;
}

/* Mark the soft breaks before definition lines and strip their ':'. */
static void
mark_dds(md_pass *p, cmark_node *para)
{
    for (cmark_node *k = cmark_node_first_child(para); k;
         k = cmark_node_next(k))
        if (type_of(k) == CMARK_NODE_SOFTBREAK &&
            dd_line(p, cmark_node_next(k), true))
            cmark_node_set_user_data(k, (void *)md_mark_dd);
}

static void
mark_deflist(md_pass *p, cmark_node *n)
{
    cmark_node *first = cmark_node_first_child(n), *prev, *k;
    const void *pm;

    if (type_of(n) != CMARK_NODE_PARAGRAPH || has_html(n))
        return;
    if (dd_line(p, first, false)) {
        prev = cmark_node_previous(n);
        pm = type_of(prev) == CMARK_NODE_PARAGRAPH
                 ? cmark_node_get_user_data(prev) : NULL;
        if (pm == NULL && (type_of(prev) != CMARK_NODE_PARAGRAPH ||
                           count_lines(prev) != 1 || has_html(prev) ||
                           dd_line(p, cmark_node_first_child(prev), false)))
            return;
        if (pm == NULL)
            cmark_node_set_user_data(prev, (void *)md_mark_term);
        dd_line(p, first, true);
        cmark_node_set_user_data(n, (void *)md_mark_defs);
        mark_dds(p, n);
        return;
    }
    for (k = first; k && type_of(k) != CMARK_NODE_SOFTBREAK;
         k = cmark_node_next(k))
        ;
    if (k != NULL && dd_line(p, cmark_node_next(k), false)) {
        cmark_node_set_user_data(n, (void *)md_mark_entry);
        mark_dds(p, n);
    }
}

/* ---- GitHub's alerts ---- */

const char *const md_alerts[] = {"note", "tip", "important", "warning",
                                 "caution", NULL};

int
md_alert_of(cmark_node *quote)
{
    const void *u = cmark_node_get_user_data(quote);

    for (int i = 0; md_alerts[i] != NULL; i++)
        if (u == &md_alerts[i])
            return i;
    return -1;
}

/* Obsidian's callout types, as the kinds of GitHub's alerts. */
static const struct {
    const char *type;
    int         kind;
} callouts[] = {
    {"abstract", 0}, {"summary", 0}, {"tldr", 0}, {"info", 0},
    {"todo", 0}, {"example", 0}, {"quote", 0}, {"cite", 0},
    {"question", 0}, {"help", 0}, {"faq", 0}, {"hint", 1},
    {"success", 1}, {"check", 1}, {"done", 1}, {"attention", 3},
    {"failure", 4}, {"fail", 4}, {"missing", 4}, {"danger", 4},
    {"error", 4}, {"bug", 4},
};

/* The kind of alert that "[!type]" at the start of w names, or -1; *n
 * is set to the marker's length, with a '+' or '-' (a callout that
 * folds) and the spaces after it. */
static int
marker_kind(const char *w, size_t len, size_t *n)
{
    size_t e = 2, t;

    if (len < 4 || w[0] != '[' || w[1] != '!')
        return -1;
    while (e < len && (isalpha((unsigned char)w[e]) || w[e] == '-'))
        e++;
    if (e == 2 || e >= len || w[e] != ']')
        return -1;
    t = e + 1;
    if (t < len && (w[t] == '+' || w[t] == '-'))
        t++;
    if (t < len && w[t] != ' ' && w[t] != '\t')
        return -1;
    while (t < len && (w[t] == ' ' || w[t] == '\t'))
        t++;
    *n = t;
    for (int i = 0; md_alerts[i] != NULL; i++)
        if (strlen(md_alerts[i]) == e - 2 &&
            strncasecmp(w + 2, md_alerts[i], e - 2) == 0)
            return i;
    for (size_t i = 0; i < sizeof callouts / sizeof *callouts; i++)
        if (strlen(callouts[i].type) == e - 2 &&
            strncasecmp(w + 2, callouts[i].type, e - 2) == 0)
            return callouts[i].kind;
    return -1;
}

/* The words of paragraph para's first line, up to 'stop' (its first
 * soft or hard break, or NULL), that follow a marker of 'n' bytes
 * (cmark-gfm may have cut it at the brackets, in text nodes of their
 * own): when there are some, the paragraph is left holding them alone,
 * marked as the title, its lines after 'stop' moved into a paragraph of
 * their own after it, and true is returned. Its nodes stay where cmark
 * put them or in the paragraph after, which it outlives: their text is
 * the paragraph's content, which goes with it. */
static bool
callout_title(cmark_node *para, cmark_node *stop, size_t n)
{
    cmark_node *k, *body;
    size_t left = n;

    for (k = cmark_node_first_child(para); k != stop && left > 0;
         k = cmark_node_next(k)) {
        size_t len = strlen(cmark_node_get_literal(k));

        if (len > left)
            break;
        left -= len;
    }
    if (k == stop)
        return false;               /* no words after the marker */
    while ((k = cmark_node_first_child(para)) != stop && n > 0) {
        const char *lit = cmark_node_get_literal(k);
        size_t len = strlen(lit);

        if (len > n) {
            char *rest = oc_xstrdup(lit + n);

            cmark_node_set_literal(k, rest);
            free(rest);
            break;
        }
        n -= len;
        cmark_node_free(k);
    }
    if (stop != NULL && cmark_node_next(stop) != NULL) {
        body = md_node_new(CMARK_NODE_PARAGRAPH);
        while ((k = cmark_node_next(stop)) != NULL)
            cmark_node_append_child(body, k);
        cmark_node_insert_after(para, body);
    }
    if (stop != NULL)
        cmark_node_free(stop);
    cmark_node_set_user_data(para, (void *)md_mark_title);
    return true;
}

static void
mark_alert(cmark_node *quote)
{
    cmark_node *para = cmark_node_first_child(quote), *stop, *k;
    oc_buf w = {0};
    size_t n = 0;
    int kind;

    if (type_of(quote) != CMARK_NODE_BLOCK_QUOTE ||
        type_of(para) != CMARK_NODE_PARAGRAPH)
        return;
    for (stop = cmark_node_first_child(para);
         stop != NULL && type_of(stop) != CMARK_NODE_SOFTBREAK &&
         type_of(stop) != CMARK_NODE_LINEBREAK;
         stop = cmark_node_next(stop))
        ;
    /* The marker's text, cut by cmark-gfm or not: the leading text
     * nodes, up to the first ']' and what follows it in its node. */
    for (k = cmark_node_first_child(para);
         k != stop && type_of(k) == CMARK_NODE_TEXT &&
         (w.len == 0 || memchr(w.data, ']', w.len) == NULL) && w.len < 64;
         k = cmark_node_next(k))
        oc_buf_puts(&w, cmark_node_get_literal(k));
    kind = w.len > 0 ? marker_kind(w.data, w.len, &n) : -1;
    oc_buf_free(&w);
    if (kind < 0)
        return;
    cmark_node_set_user_data(quote, (void *)&md_alerts[kind]);
    if (callout_title(para, stop, n))
        return;
    while ((k = cmark_node_first_child(para)) != stop)
        cmark_node_free(k);
    if (stop != NULL)
        cmark_node_free(stop);
    if (cmark_node_first_child(para) == NULL)
        cmark_node_free(para);
}

/* ---- raw tags that are text ---- */

/* The element name a raw inline tag opens or closes ("<T>", "</string>",
 * "<br/>"), in name[0..*len); NULL for a comment, a declaration or what
 * is no tag. *closing: it is an end tag; *alone: it closes itself. */
static const char *
tag_name(const char *lit, size_t *len, bool *closing, bool *alone)
{
    const char *name;
    size_t n;

    if (lit == NULL || lit[0] != '<')
        return NULL;
    *closing = lit[1] == '/';
    name = lit + 1 + *closing;
    if (!isalpha((unsigned char)name[0]))
        return NULL;
    for (n = 1; isalnum((unsigned char)name[n]) || name[n] == '-'; n++)
        ;
    *len = n;
    n = strlen(lit);
    *alone = n >= 2 && lit[n - 2] == '/';
    return name;
}

/* Raw inline tags of no element of HTML, outside an inline <svg> or
 * <math>, made text: "Cell<T>" and "Array<string>" are what the author
 * wrote, not elements (HTML's parser would make <t> and <string> of
 * them, which no reading system knows). '*foreign': the <svg> and
 * <math> open. */
static void
stray_tags(cmark_node *parent, int *foreign, int depth)
{
    cmark_node *k, *next;

    if (depth > MAX_PASS_DEPTH)
        return;
    for (k = cmark_node_first_child(parent); k != NULL; k = next) {
        const char *name;
        size_t len;
        bool closing, alone;

        next = cmark_node_next(k);
        if (type_of(k) != CMARK_NODE_HTML_INLINE) {
            if (cmark_node_first_child(k) != NULL)
                stray_tags(k, foreign, depth + 1);
            continue;
        }
        name = tag_name(cmark_node_get_literal(k), &len, &closing, &alone);
        if (name == NULL)
            continue;
        if ((len == 3 && strncasecmp(name, "svg", 3) == 0) ||
            (len == 4 && strncasecmp(name, "math", 4) == 0)) {
            if (closing && *foreign > 0)
                (*foreign)--;
            else if (!closing && !alone)
                (*foreign)++;
        } else if (*foreign == 0 && !oc_html_element_known(name, len)) {
            const char *lit = cmark_node_get_literal(k);
            cmark_node *t = new_text(lit, strlen(lit));

            cmark_node_replace(k, t);
            cmark_node_free(k);
        }
    }
}

/* ---- the walk ---- */

static void
inlines(md_pass *p, cmark_node *parent, int depth)
{
    cmark_node *k, *next;

    if (depth > MAX_PASS_DEPTH)
        return;
    notices(p, parent);
    if (type_of(parent) == CMARK_NODE_HEADING)
        heading_attrs(p, parent);
    for (k = cmark_node_first_child(parent); k != NULL; k = next) {
        next = cmark_node_next(k);
        if (type_of(k) == CMARK_NODE_CODE && (next = raw_inline(k)) != k)
            continue;
        if (type_of(k) == CMARK_NODE_IMAGE || type_of(k) == CMARK_NODE_LINK ||
            type_of(k) == CMARK_NODE_CODE) {
            trailing_attrs(p, k);
            next = cmark_node_next(k);
        }
    }
    bracketed_spans(p, parent);
    for (k = cmark_node_first_child(parent); k != NULL; k = next) {
        next = cmark_node_next(k);
        if (cmark_node_first_child(k) != NULL)
            inlines(p, k, depth + 1);
    }
}

static void
blocks(md_pass *p, cmark_node *parent, int depth)
{
    cmark_node *k;

    if (depth > MAX_PASS_DEPTH)
        return;
    for (k = cmark_node_first_child(parent); k; k = cmark_node_next(k)) {
        mark_deflist(p, k);
        mark_alert(k);
    }
    for (k = cmark_node_first_child(parent); k; k = cmark_node_next(k)) {
        cmark_node *first = cmark_node_first_child(k);

        if (first == NULL)
            continue;
        if (is_inline(first)) {
            int foreign = 0;

            stray_tags(k, &foreign, depth + 1);
            inlines(p, k, depth + 1);
        } else
            blocks(p, k, depth + 1);
    }
}

void
md_pass_run(md_pass *p, cmark_node *root)
{
    blocks(p, root, 0);
}

void
md_pass_free(md_pass *p)
{
    for (size_t i = 0; i < p->nmade; i++) {
        md_attrs_clear(p->made[i]);
        free(p->made[i]);
    }
    free(p->made);
    p->made = NULL;
    p->nmade = 0;
}
