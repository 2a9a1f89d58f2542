/* layout-paginate.c - pages cut from the vertical list first-fit, at the
 * last break the widow, orphan and keep rules allow, with each page's
 * footnotes set at its foot and a table's head rows repeated. */
#include "layout-int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

oc_page *
lay_new_page(lay *g, pagevec *pv)
{
    oc_page *p = OC_VEC_PUSH(g->L->arena, pv);

    p->number = (int)pv->n;
    p->recto = p->number % 2 == 1;
    p->chapter = -1;
    if (++g->paging.npages > g->paging.max_pages)
        g->paging.too_many = true;
    if (g->paging.npages % OC_PROGRESS_PAGES == 0 && g->b->progress != NULL)
        g->b->progress(g->paging.npages, g->b->progress_ctx);
    return p;
}

/* The page box (@page) of page 'p': ':first' for the document's first
 * page ('first') and for a page that opens after a forced break, ':left'
 * or ':right' by its side, ':blank' when it is left blank. */
const oc_page_style *
lay_page_style(lay *g, const oc_page *p, bool first)
{
    unsigned flags = p->recto ? OC_PAGE_RIGHT : OC_PAGE_LEFT;

    if (first || p->opening)
        flags |= OC_PAGE_FIRST;
    if (p->blank)
        flags |= OC_PAGE_BLANK;
    return oc_css_page(g->style.css, flags, g->style.root);
}

/* Page 'p', being made, is the document's first: the title page. */
static bool
first_page(lay *g, const oc_page *p)
{
    return g->paging.front.n > 0 && p == &g->paging.front.v[0];
}

/* Where the text block of page 'p' starts: its page's left and top
 * margins. Every text block is as wide as a right page's. */
double
lay_page_left(lay *g, const oc_page *p)
{
    return lay_page_style(g, p, first_page(g, p))->margin[OC_SIDE_LEFT];
}

double
lay_page_top(lay *g, const oc_page *p)
{
    return lay_page_style(g, p, first_page(g, p))->margin[OC_SIDE_TOP];
}

/* The height of the text block of page 'p': a whole number of body lines
 * between its top and bottom margins. */
double
lay_page_text_height(lay *g, const oc_page *p)
{
    const oc_page_style *ps = lay_page_style(g, p, first_page(g, p));
    double h = g->s->height - ps->margin[OC_SIDE_TOP] -
               ps->margin[OC_SIDE_BOTTOM];

    h = floor(h / g->s->leading + EPS) * g->s->leading;
    return h > g->s->leading ? h : g->s->leading;
}

void
lay_push_string(GArray *v, const oc_named_string *s, bool start)
{
    oc_named_string c = *s;

    c.at_start = start;
    g_array_append_val(v, c);
}

/* Copy the named strings gathered for a page into the arena. */
void
lay_set_page_strings(lay *g, oc_page *p, GArray *v)
{
    oc_named_string *s;

    if (v->len == 0)
        return;
    s = oc_arena_alloc(g->L->arena, v->len * sizeof *s);
    memcpy(s, v->data, v->len * sizeof *s);
    p->strings = s;
    p->nstrings = v->len;
}

/* Copy a row's items onto a page, in the row's structure element unless
 * they name their own; a repeated row leaves its named destinations
 * behind (they are on the page it first appeared on). It keeps its
 * structure elements: the painter opens a Table on each page, and the
 * part of the table on the next one has its head cells (TH) too. */
static void
place_row(lay *g, itemvec *items, const row *r, double left, double top,
          bool again)
{
    for (size_t i = 0; i < r->items.n; i++) {
        oc_item *it;

        if (again && r->items.v[i].kind == OC_ITEM_DEST)
            continue;
        it = lay_push_item(lay_arena(g), items);
        *it = r->items.v[i];
        if (it->tag == &lay_artifact)
            it->tag = NULL;
        else if (it->tag == NULL)
            it->tag = r->tag;
        it->x += left;
        it->y += top;
    }
}

static double
notes_height(lay *g, const row *r, bool *any)
{
    double h = 0;

    for (size_t i = 0; i < r->nnotes; i++) {
        h += g->notes[r->notes[i]]->height + (*any ? lay_note_gap(g) : 0);
        *any = true;
    }
    return h;
}

/* The height of the first lines of a note, which should not be parted
 * from its reference. */
static double
note_head(lay *g, const fnote *nt)
{
    double h = 0;

    (void)g;
    for (size_t k = 0; k < nt->rows.n && k < ORPHANS; k++)
        h += (k > 0 ? nt->rows.v[k].space : 0) + nt->rows.v[k].height;
    return h;
}

typedef struct noteline {
    const row *r;
    double     space;
} noteline;

/* The head rows of a table that row 'i' continues on a new page, and
 * their height. */
static double
head_rows(const rowvec *rows, size_t i, size_t *first, size_t *n)
{
    const row *r = &rows->v[i];
    double h = 0;

    *first = r->head;
    *n = r->nhead;
    if (*n == 0 || r->head + r->nhead > i) {
        *n = 0;
        return 0;
    }
    for (size_t k = 0; k < *n; k++)
        h += rows->v[*first + k].height;
    return h;
}

/* The end of what lay_paginate() may take: all of 'body' but its last 'tail'
 * rows (which a paragraph set again before them moves, but does not
 * change). */
static size_t
upto(const rowvec *body, size_t tail)
{
    return body->n - tail;
}

/* A page float's rows in the body: [start, start + n). */
typedef struct fgroup {
    size_t start, n;
} fgroup;

/* One page being cut from the body: where its rows start and end, the
 * footnote lines carried over from the page before, the page floats
 * waiting for a page and those at its top, and the geometry. */
typedef struct cut {
    lay        *g;
    rowvec     *body;
    size_t      tail;           /* rows at the end of 'body' left alone */
    GArray     *carry;          /* noteline: what did not fit before */
    double      sep;            /* from the text to the notes' top */
    size_t      i, end;         /* its rows: [i, end) */
    bool        only_notes;     /* the page only takes carried notes */
    bool        only_floats;    /* or floats that must not pass a break */
    GArray     *pending;        /* fgroup: floats moved on, in order */
    size_t      npending0;      /* of them, from before this page */
    GArray     *tops;           /* fgroup: those at the top of this page */
    GArray     *order;          /* size_t: the page's rows, in order */
    double      hh, top0;       /* a table's head rows; a chapter's top
                                   margin after a forced break */
    size_t      h0, nhr;        /* those head rows */
    double      left, top, H;   /* the text block on the page */
    double      recto_H;        /* > 0: the recto to come was cut (its
                                   refits and word at the turn done) by
                                   level_spread, to a text block this
                                   high */
    double      verso_depth;    /* where the verso before it ends, if
                                   plain_page; else < 0 */
    double      recto_h;        /* a verso's: its recto's text block */
    double      recto_fixed;    /* a verso's: where the recto that
                                   level_spread cut ends when nothing on
                                   it stretches; else < 0 */
    bool        room_below;     /* a spread may run a line long */
    int         chap;           /* the chapter of the last page cut */
} cut;

/* The height of the footnote lines carried over, with the separator. */
static double
carried_height(const cut *c)
{
    double h = 0;

    for (guint k = 0; k < c->carry->len; k++)
        h += g_array_index(c->carry, noteline, k).space +
             g_array_index(c->carry, noteline, k).r->height;
    return c->carry->len > 0 ? h + c->sep : h;
}

/* The height of page float 'fg' at a page's top: its rows and the
 * spaces between them. */
static double
group_height(const cut *c, const fgroup *fg)
{
    double h = 0;

    for (size_t k = 0; k < fg->n; k++)
        h += (k > 0 ? c->body->v[fg->start + k].space : 0) +
             c->body->v[fg->start + k].height;
    return h;
}

/* The space between the floats at a page's top and its text. */
static double
float_gap(const cut *c)
{
    return c->g->s->leading;
}

/* The height the floats at the top of the page take, with the space
 * after them, and their notes into *nh (*any: a note is set). */
static double
top_height(cut *c, double *nh, bool *any)
{
    double h = 0;

    for (guint k = 0; k < c->tops->len; k++) {
        const fgroup *fg = &g_array_index(c->tops, fgroup, k);

        h += (k > 0 ? c->body->v[fg->start].space : 0) +
             group_height(c, fg);
        for (size_t r = 0; r < fg->n; r++) {
            bool had = *any;

            *nh += notes_height(c->g, &c->body->v[fg->start + r], any);
            if (!had && *any)
                *nh += c->sep;
        }
    }
    return c->tops->len > 0 ? h + float_gap(c) : 0;
}

/* The float moved on from this page that row 'b' is in (NULL if none). */
static const fgroup *
moved_in(const cut *c, size_t b)
{
    for (guint k = c->npending0; k < c->pending->len; k++) {
        const fgroup *fg = &g_array_index(c->pending, fgroup, k);

        if (b >= fg->start && b < fg->start + fg->n)
            return fg;
    }
    return NULL;
}

/* The float moved on from this page that ends just before row 'b'. */
static const fgroup *
moved_before(const cut *c, size_t b)
{
    for (guint k = c->npending0; k < c->pending->len; k++) {
        const fgroup *fg = &g_array_index(c->pending, fgroup, k);

        if (fg->start + fg->n == b)
            return fg;
    }
    return NULL;
}

/* The first of the floats moved on that end just before row 'b', one
 * after the other; NULL if none. */
static const fgroup *
moved_run(const cut *c, size_t b)
{
    const fgroup *fg = moved_before(c, b), *prev;

    while (fg != NULL && (prev = moved_before(c, fg->start)) != NULL)
        fg = prev;
    return fg;
}

/* The space above row 'j': after floats that moved on, the larger of
 * the space before them and the row's own (what is more than the last
 * one's bottom margin), as if they were not there. */
static double
row_space(const cut *c, size_t j)
{
    const fgroup *first = moved_run(c, j), *last = moved_before(c, j);
    double own, before;

    if (first == NULL)
        return c->body->v[j].space;
    before = c->body->v[first->start].fbefore;
    own = c->body->v[j].space > c->body->v[last->start].fafter + EPS
              ? c->body->v[j].space : 0;
    return own > before ? own : before;
}

/* The break before row 'b' on a page from which floats moved on: none
 * inside a float; else the row's own, or after floats the stronger of
 * it and the break before the first of them. A break before a float
 * that moved on leaves it in the text, after the page. */
static int
break_before(const cut *c, size_t b)
{
    const fgroup *in = moved_in(c, b), *first = moved_run(c, b);
    int brk = c->body->v[b].brk;

    if (in != NULL && b > in->start)
        return BRK_KEEP;
    if (first != NULL && c->body->v[first->start].brk > brk)
        return c->body->v[first->start].brk;
    return brk;
}

/* Page float 'j' moves on to the top of a later page: floats keep their
 * order, so when another is waiting; or when it does not fit below 'y'
 * with its notes, on a page that holds something already. */
static bool
float_moves(cut *c, size_t j, double y, double nh, bool first)
{
    fgroup fg = { j, c->body->v[j].nfloat };
    double h = group_height(c, &fg) + (first ? 0 : c->body->v[j].space);
    bool any = nh > 0;

    for (size_t r = 0; r < fg.n; r++)
        nh += notes_height(c->g, &c->body->v[j + r], &any);
    if (c->pending->len == 0 &&
        ((first && c->tops->len == 0) || y + h + nh <= c->H + EPS))
        return false;
    g_array_append_val(c->pending, fg);
    return true;
}

/* Take rows from c->i first-fit; set c->end. Returns whether the page
 * overflowed (the row at *stop did not fit) rather than ending at a
 * forced break or the end of the range. */
static bool
fill_page(cut *c, size_t *stop)
{
    lay *g = c->g;
    const rowvec *body = c->body;
    size_t i = c->i, j;
    double nh = carried_height(c), y;
    bool any = c->carry->len > 0, first = true;

    y = c->hh + c->top0 + top_height(c, &nh, &any);
    g_array_set_size(c->pending, c->npending0);
    c->end = c->only_notes || c->only_floats ? i : upto(body, c->tail);
    for (j = i; j < c->end; j++) {
        const row *r = &body->v[j];
        bool had = any;
        double add, nadd;

        if (j > i && r->brk >= BRK_PAGE) {
            c->end = j;
            break;
        }
        if (r->nfloat > 0 && float_moves(c, j, y, nh, first)) {
            j += r->nfloat - 1;
            continue;
        }
        add = (!first ? row_space(c, j) : 0) + r->height;
        nadd = notes_height(g, r, &any);
        if (!had && any)
            nadd += c->sep;
        if (!first && y + add + nh + nadd > c->H + EPS) {
            *stop = j;
            /* The row fits but not all of its notes: it stays, with
             * the start of its first note, and ends the page. */
            if (r->nnotes > 0 &&
                y + add + nh + (had ? lay_note_gap(g) : c->sep) +
                    note_head(g, g->notes[r->notes[0]]) <= c->H + EPS &&
                (j + 1 == upto(body, c->tail) ||
                 body->v[j + 1].brk != BRK_KEEP)) {
                c->end = j + 1;
                return false;
            }
            c->end = j;
            for (size_t b = j; b > i; b--)
                if (break_before(c, b) == BRK_OK) {
                    c->end = b;
                    break;
                }
            /* Floats after the end go on in the text, as they are. */
            while (c->pending->len > c->npending0 &&
                   g_array_index(c->pending, fgroup,
                                 c->pending->len - 1).start >= c->end)
                g_array_set_size(c->pending, c->pending->len - 1);
            return true;
        }
        first = false;
        y += add;
        nh += nadd;
    }
    *stop = j;
    return false;
}

/* The page's rows in order into c->order: the floats at its top, then
 * its rows from c->i to c->end but the floats that moved on. */
static void
page_order(cut *c)
{
    g_array_set_size(c->order, 0);
    for (guint k = 0; k < c->tops->len; k++) {
        const fgroup *fg = &g_array_index(c->tops, fgroup, k);

        for (size_t r = fg->start; r < fg->start + fg->n; r++)
            g_array_append_val(c->order, r);
    }
    for (size_t j = c->i; j < c->end; j++) {
        const fgroup *fg = moved_in(c, j);

        if (fg != NULL) {
            j = fg->start + fg->n - 1;
            continue;
        }
        g_array_append_val(c->order, j);
    }
}

/* The rows of the floats at the page's top. */
static size_t
top_rows(const cut *c)
{
    size_t n = 0;

    for (guint k = 0; k < c->tops->len; k++)
        n += g_array_index(c->tops, fgroup, k).n;
    return n;
}

/* The page's k-th row (c->order). */
static const row *
order_row(const cut *c, guint k)
{
    return &c->body->v[g_array_index(c->order, size_t, k)];
}

/* The space above the page's k-th row: none at the top, the float gap
 * between the floats at the top and the text. */
static double
space_above(const cut *c, guint k)
{
    if (k == 0)
        return 0;
    if (c->tops->len > 0 && k == top_rows(c))
        return float_gap(c);
    return row_space(c, g_array_index(c->order, size_t, k));
}

/* Where the stretched spaces of a page whose text is 'used' high take
 * its end: the foot of its text block; but the foot of the facing page
 * instead when that is higher, the page reaches it and the facing page
 * cannot move (a recto after a plain verso; a verso before the recto
 * level_spread cut, when nothing on that recto stretches): a page of
 * lines that do not divide the text block, such as a letter in smaller
 * type, facing a page with a heading, so that the two end level. */
static double
stretch_foot(const cut *c, bool recto, double used)
{
    double v = recto ? c->verso_depth
                     : c->recto_H > 0 ? c->recto_fixed : -1;

    return v >= 0 && v < c->H - EPS && v >= used - EPS ? v : c->H;
}

/* A page that ends before a page break the rules chose (not at a
 * chapter's end) has the space it has left shared among the spaces
 * between its blocks, each at most doubled, so that facing pages end
 * level: the factor each space grows by. */
static double
level_stretch(const cut *c, bool recto)
{
    const rowvec *body = c->body;
    double spaces = 0, used = c->hh + c->top0 + carried_height(c), foot;
    bool some = c->carry->len > 0;

    if (c->end >= upto(body, c->tail) || body->v[c->end].brk >= BRK_PAGE)
        return 0;
    for (guint k = 0; k < c->order->len; k++) {
        bool had = some;

        used += space_above(c, k) + order_row(c, k)->height;
        used += notes_height(c->g, order_row(c, k), &some);
        if (!had && some)
            used += c->sep;
        spaces += space_above(c, k);
    }
    foot = stretch_foot(c, recto, used);
    if (spaces > EPS && foot - used > EPS)
        return foot - used < spaces ? (foot - used) / spaces : 1;
    return 0;
}

/* The page's body rows (after a table's head rows, if it continues one)
 * into 'items', their string-sets into 'strings'; headings get the
 * page's number. Returns the height used. */
static double
place_body(cut *c, oc_page *p, itemvec *items, GArray *strings)
{
    lay *g = c->g;
    double stretch = level_stretch(c, p->recto), y = 0;

    for (size_t k = 0; k < c->nhr; k++) {
        place_row(g, items, &c->body->v[c->h0 + k], c->left, c->top + y,
                  true);
        y += c->body->v[c->h0 + k].height;
    }
    y += c->top0;
    for (guint k = 0; k < c->order->len; k++) {
        const row *r = order_row(c, k);

        y += space_above(c, k) * (1 + stretch);
        place_row(g, items, r, c->left, c->top + y, false);
        for (size_t m = 0; m < r->nstrings; m++)
            lay_push_string(strings, &r->strings[m], k == 0);
        if (r->outline >= 0)
            g->outline[r->outline].page = p->number;
        y += r->height;
    }
    return y;
}

/* Footnote lines at the foot of the page, below the text's 'y': what was
 * carried over, then the notes of this page's rows, as many as fit (never
 * one line alone); the rest is carried to the next page. */
static void
place_notes(cut *c, itemvec *items, double y)
{
    lay *g = c->g;
    GArray *nl = g_array_new(FALSE, TRUE, sizeof(noteline));
    double room = c->H - y - c->sep, nh = 0, ny;
    guint k;

    g_array_append_vals(nl, c->carry->data, c->carry->len);
    g_array_set_size(c->carry, 0);
    for (guint o = 0; o < c->order->len; o++)
        for (k = 0; k < order_row(c, o)->nnotes; k++) {
            const fnote *nt = g->notes[order_row(c, o)->notes[k]];

            for (size_t m = 0; m < nt->rows.n; m++) {
                double gap = nl->len > 0 ? lay_note_gap(g) : 0;
                noteline ln = { &nt->rows.v[m],
                                m > 0 ? nt->rows.v[m].space : gap };

                g_array_append_val(nl, ln);
            }
        }
    for (k = 0; k < nl->len; k++) {
        noteline *ln = &g_array_index(nl, noteline, k);

        if (nh + ln->space + ln->r->height > room + EPS &&
            (k > 0 || c->order->len > 0))
            break;
        nh += ln->space + ln->r->height;
    }
    if (k + 1 == nl->len && k >= 2) {   /* no note line alone */
        k--;
        nh -= g_array_index(nl, noteline, k).space +
              g_array_index(nl, noteline, k).r->height;
    }
    if (k < nl->len) {
        g_array_append_vals(c->carry, &g_array_index(nl, noteline, k),
                            nl->len - k);
        g_array_index(c->carry, noteline, 0).space = 0;
        g_array_set_size(nl, k);
    }
    if (nl->len > 0) {
        ny = c->top + c->H - nh;
        lay_add_rule(g, items, c->left, ny - c->sep * 0.5, g->width * 0.3,
                     0.4);
        for (k = 0; k < nl->len; k++) {
            noteline *ln = &g_array_index(nl, noteline, k);

            ny += k > 0 ? ln->space : 0;
            place_row(g, items, ln->r, c->left, ny, false);
            ny += ln->r->height;
        }
    }
    g_array_free(nl, TRUE);
}

/* The floats waiting for a page that go at the top of this one, in
 * order: the first, and those after it that fit. */
static void
take_floats(cut *c)
{
    double h = c->hh + c->top0;
    guint n = 0;

    g_array_set_size(c->tops, 0);
    for (; n < c->pending->len; n++) {
        const fgroup *fg = &g_array_index(c->pending, fgroup, n);
        double add = (n > 0 ? c->body->v[fg->start].space : 0) +
                     group_height(c, fg);

        if (n > 0 && h + add > c->H + EPS)
            break;
        h += add;
        g_array_append_val(c->tops, *fg);
    }
    g_array_remove_range(c->pending, 0, n);
    c->npending0 = c->pending->len;
}

/* The last row of the page's text (not a float that moved on), or
 * SIZE_MAX. */
static size_t
last_text_row(const cut *c)
{
    for (size_t b = c->end; b > c->i; b--)
        if (moved_in(c, b - 1) == NULL)
            return b - 1;
    return SIZE_MAX;
}

/* Page 'c' ends at a whole word: its last line of text is not one that
 * ends with a hyphen. */
static bool
ends_whole(const cut *c)
{
    size_t last = last_text_row(c);

    return last == SIZE_MAX || !lay_row_hyphenated(&c->body->v[last]);
}

#define TURN_PARAS 4            /* paragraphs tried for a whole word */

/* The paragraphs of page 'c' that may be set again, by their first
 * rows into cand[TURN_PARAS], the nearest its end first: the one its
 * text ends in, if it began on the page, and those before it. Lines on
 * the pages before are final: a paragraph that began there is not set
 * again. Returns how many. */
static size_t
page_paras(const cut *c, size_t *cand)
{
    size_t last = last_text_row(c), n = 0, p0;

    if (last == SIZE_MAX)
        return 0;
    p0 = last - (size_t)c->body->v[last].pline;
    if (p0 >= c->i)
        cand[n++] = p0;
    for (size_t k = p0; k > c->i && n < TURN_PARAS; k--) {
        const row *r = &c->body->v[k - 1];

        if (r->para == NULL || (size_t)r->pline > k - 1 - c->i)
            continue;           /* not a paragraph all on the page */
        cand[n++] = k - 1 - (size_t)r->pline;
        k -= (size_t)r->pline;
    }
    return n;
}

/* Fill the page; when a widow or an orphan cost it a line and 'done'
 * is not NULL, set a paragraph on it again (into *done, at SIZE_MAX if
 * none) and fill it once more. */
static void
fill_refit(cut *c, size_t *stop, refit *done)
{
    if (done != NULL)
        done->at = SIZE_MAX;
    if (fill_page(c, stop) && done != NULL &&
        lay_refit_page(c->g, c->body, c->i, c->end, *stop, done))
        fill_page(c, stop);
}

/* Set back what fill_refit or whole_word_at_turn set again. */
static void
unrefit(cut *c, refit *done)
{
    if (done->at != SIZE_MAX)
        lay_reset_para(c->g, c->body, done->at, -done->delta,
                       LAY_UNDO_BADNESS);
    done->at = SIZE_MAX;
}

#define LEVEL_EPS   6.0         /* pt: facing pages ending closer are level */

/* Page 'c' ends its flow: the text goes on after a page break, or not
 * at all. */
static bool
ends_flow(const cut *c)
{
    return c->end >= upto(c->body, c->tail) ||
           c->body->v[c->end].brk >= BRK_PAGE;
}

/* Page 'c' is text alone, which level_spread may judge and cut again:
 * no notes, floats or a continued table's head rows, and it ends
 * where the next page goes on (not at a chapter's end). */
static bool
plain_page(const cut *c)
{
    if (c->carry->len > 0 || c->tops->len > 0 || c->pending->len > 0 ||
        c->only_notes || c->only_floats || c->nhr > 0 || ends_flow(c))
        return false;
    for (size_t j = c->i; j < c->end; j++) {
        const row *r = &c->body->v[j];

        if (r->nnotes > 0 || r->nfloat > 0 || r->floating)
            return false;
    }
    return true;
}

/* The height plain page 'c' takes unstretched, and its spaces. */
static void
page_extent(const cut *c, double *used, double *spaces)
{
    *used = c->hh + c->top0;
    *spaces = 0;
    for (size_t j = c->i; j < c->end; j++) {
        double s = j > c->i ? row_space(c, j) : 0;

        *used += s + c->body->v[j].height;
        *spaces += s;
    }
}

/* How far down plain page 'c' (a recto, or a verso) its text ends,
 * level_stretch's share of what is left included. */
static double
page_depth(const cut *c, bool recto)
{
    double used, spaces, foot;

    page_extent(c, &used, &spaces);
    foot = stretch_foot(c, recto, used);
    return used + (foot - used > spaces ? spaces
                   : foot > used ? foot - used : 0);
}

/* Recto 'c' ends level with the verso before it (c->verso_depth). */
static bool
level_with_verso(const cut *c)
{
    return c->verso_depth >= 0 && plain_page(c) &&
           fabs(page_depth(c, true) - c->verso_depth) <= LEVEL_EPS;
}

/* One round of whole_word_at_turn: each of the n paragraphs cand[] set
 * a line looser, then tighter, no line worse than 'bad'; true, the
 * setting kept in *done, once the page ends at a whole word (and level
 * with its verso, unless 'any'); each other try is set back. */
static bool
whole_word_round(cut *c, size_t *stop, const size_t *cand, size_t n,
                 double bad, bool any, refit *done)
{
    for (size_t m = 0; m < n; m++)
        for (int delta = 1; delta >= -1; delta -= 2) {
            refit tried = { cand[m], delta };

            if (!lay_reset_para(c->g, c->body, cand[m], delta, bad))
                continue;
            fill_page(c, stop);
            if (ends_whole(c) && (any || level_with_verso(c))) {
                *done = tried;
                return true;
            }
            unrefit(c, &tried);
            fill_page(c, stop);
        }
    return false;
}

/* A recto whose last line ends with a hyphen has a word cut across the
 * turn of the leaf. A paragraph of page_paras is set again with a line
 * more or fewer (into *done, at SIZE_MAX if none), when the page then
 * ends at a whole word (what TeX's \brokenpenalty asks, done by hand):
 * first a try that keeps the spread level, if it is, then any; each
 * within the pretolerance, then the tolerance. */
static void
whole_word_at_turn(cut *c, size_t *stop, refit *done)
{
    static const double bad[] = { LAY_REFIT_BADNESS, LAY_TURN_BADNESS };
    size_t cand[TURN_PARAS], n;

    done->at = SIZE_MAX;
    if (ends_whole(c))
        return;
    n = page_paras(c, cand);
    for (int any = !level_with_verso(c); any < 2; any++)
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++)
            if (whole_word_round(c, stop, cand, n, bad[b], any, done))
                return;
}

/* The recto cut for good still ends with a hyphen: the paragraph it
 * ends in, if it began on the page, is set again with as many lines,
 * its line at the turn ending at a whole word (lay_plain_row), so that
 * the page ends where it did and the spread stays as it was chosen:
 * within the tolerance, else with a line up to twice as bad. */
static void
plain_at_turn(cut *c, size_t *stop)
{
    size_t last = last_text_row(c);

    if (ends_whole(c) || last < c->i + (size_t)c->body->v[last].pline)
        return;
    if (lay_plain_row(c->g, c->body, last, LAY_TURN_BADNESS) ||
        lay_plain_row(c->g, c->body, last, LAY_PLAIN_TURN_BADNESS))
        fill_page(c, stop);
}

/* How well plain verso 'c' and the recto after it end, the recto cut
 * into *r as cut_page would cut it from c->end with a text block 'H'
 * high: 2 when they end level and the recto at a whole word, 1 when
 * only level, else 0. The paragraphs that cut sets again are left so,
 * in done[2]. */
static int
spread_score(cut *c, cut *r, double H, refit *done)
{
    size_t stop;
    double used, spaces, vused, vspaces;
    bool level;

    *r = *c;
    r->i = c->end;
    r->H = H;
    r->hh = r->top0 = 0;
    r->h0 = r->nhr = 0;
    r->npending0 = 0;
    r->verso_depth = page_depth(c, false);
    if (r->i < upto(c->body, c->tail))
        r->hh = head_rows(c->body, r->i, &r->h0, &r->nhr);
    fill_refit(r, &stop, &done[0]);
    whole_word_at_turn(r, &stop, &done[1]);
    page_extent(r, &used, &spaces);
    page_extent(c, &vused, &vspaces);
    c->recto_fixed = plain_page(r) && spaces <= EPS ? used : -1;
    /* Level: the recto reaches the verso, or the verso the recto; a
     * recto with notes (or floats) that goes on overleaf reaches its
     * foot, which the verso must reach too. */
    if (!plain_page(r))
        level = ends_flow(r) || r->verso_depth >= c->H - LEVEL_EPS;
    else
        level = level_with_verso(r) ||
                (c->recto_fixed >= vused - EPS &&
                 c->recto_fixed <= r->verso_depth + EPS);
    g_array_set_size(c->pending, 0);    /* floats it moved on */
    return level ? 1 + ends_whole(r) : 0;
}

/* Set back what spread_score set again, the last first. */
static void
unscore(cut *c, refit *done)
{
    unrefit(c, &done[1]);
    unrefit(c, &done[0]);
}

/* A line of page 'c': its last row's height when that is a line of a
 * paragraph (a CJK paragraph's lines are taller than the body's), else
 * the body's leading. */
static double
line_step(const cut *c)
{
    size_t last = last_text_row(c);

    if (last != SIZE_MAX && c->body->v[last].para != NULL)
        return c->body->v[last].height;
    return c->g->s->leading;
}

/* Cut verso 'c' again by its try 't' of level_spread (with 'cand', the
 * page's n paragraphs, its text block 'H' high and its lines 'step'),
 * into *v what that set again; returns the spread's score, or -1 when
 * the try cannot be made (nothing changed then). */
static int
try_spread(cut *c, size_t *stop, int t, const size_t *cand, size_t n,
           double H, double step, refit *v, refit *rr)
{
    cut r;

    v->at = SIZE_MAX;
    if ((size_t)t < 2 * n) {    /* a paragraph a line looser or tighter */
        int delta = t % 2 ? -1 : 1;

        if (!lay_reset_para(c->g, c->body, cand[t / 2], delta,
                            LAY_REFIT_BADNESS))
            return -1;
        v->at = cand[t / 2];
        v->delta = delta;
        c->H = H;
        fill_page(c, stop);
    } else {                    /* both pages a line short, or long */
        if (t > (int)(2 * n) && !c->room_below)
            return -1;
        c->H = H + (t == (int)(2 * n) ? -1 : 1) * step;
        fill_refit(c, stop, v);
    }
    if (!plain_page(c)) {
        rr[0].at = rr[1].at = SIZE_MAX;
        return 0;
    }
    return spread_score(c, &r, c->recto_h + (c->H - H), rr);
}

/* A chapter's opening recto that still ends with a hyphen, where no
 * verso is to end level with it, ends a line higher when its last line
 * then ends at a whole word (and the page is no shorter than that). */
static void
short_at_turn(cut *c, size_t *stop)
{
    double H = c->H;
    size_t end = c->end;

    if (ends_whole(c) || !plain_page(c))
        return;
    c->H = H - line_step(c);
    fill_page(c, stop);
    if (ends_whole(c) && c->end + 1 == end)
        return;
    c->H = H;
    fill_page(c, stop);
}

/* The page cut for good: each paragraph that begins on it with three
 * lines in a row ending in a hyphen is set again without (the same
 * lines, of the same heights: the page stays as it is), unless that
 * would cut a recto's last word across the turn. */
static void
unstack_page(cut *c, bool recto)
{
    for (size_t j = c->i; j < c->end; j++) {
        size_t last;
        bool whole;

        if (c->body->v[j].para == NULL || c->body->v[j].pline != 0 ||
            moved_in(c, j) != NULL)
            continue;
        whole = ends_whole(c);
        if (!lay_unstack_row(c->g, c->body, j))
            continue;
        last = last_text_row(c);
        if (recto && whole && !ends_whole(c) && last != SIZE_MAX &&
            c->body->v[last].para == c->body->v[j].para)
            lay_stack_row(c->g, c->body, j);
    }
}

/* Page box 'ps' has room below its text block for a line more: a
 * bottom margin of two lines or more, with no margin box along it. */
static bool
room_below(const lay *g, const oc_page_style *ps)
{
    if (ps->margin[OC_SIDE_BOTTOM] < 2 * g->s->leading)
        return false;
    for (int k = OC_MBOX_BOTTOM_RIGHT_CORNER; k <= OC_MBOX_BOTTOM_LEFT_CORNER;
         k++)
        if (ps->boxes[k].content.npieces > 0)
            return false;
    return true;
}

/* Facing pages end level, and a recto at a whole word. When a widow or
 * an orphan leaves verso 'c' or the recto after it a line short (and
 * setting a paragraph of that page again could not save it), or the
 * recto ends in a hyphen, the verso is cut again: a paragraph of it set
 * a line looser or tighter (page_paras, the nearest the turn first),
 * else both pages a line shorter, or else a line longer, as a
 * compositor makes a spread run short or long. The first try that makes
 * the spread level with a whole word at the turn is kept; failing that,
 * the first that makes it level, when it was not. Each other try is set
 * back. The recto is cut here to be judged, in its own text block
 * (c->recto_h, as much shorter or longer as the verso's), its refits
 * and word at the turn included; c->recto_H tells cut_page to keep that
 * cut when its turn comes. */
static void
level_spread(cut *c, size_t *stop)
{
    double H = c->H, step = line_step(c), used, spaces;
    size_t cand[TURN_PARAS], n;
    int base, best = -1, tries, short_recto = -1;
    refit v, rr[2];
    cut r;

    if (!plain_page(c))
        return;
    base = spread_score(c, &r, c->recto_h, rr);
    if (base == 2) {            /* the recto as it will be cut */
        c->recto_H = c->recto_h;
        return;
    }
    unscore(c, rr);             /* the recto is cut anew if none helps */
    /* A verso that cannot stretch and ends above its text block's foot
     * (lines that do not divide it): the recto cut to end there. */
    page_extent(c, &used, &spaces);
    if (spaces <= EPS && used < c->recto_h - EPS) {
        short_recto = spread_score(c, &r, used + EPS, rr);
        if (short_recto == 2) {
            c->recto_H = used + EPS;
            return;
        }
        unscore(c, rr);
    }
    n = page_paras(c, cand);
    tries = (int)(2 * n) + 2;
    for (int t = 0; t < tries; t++) {
        int score = try_spread(c, stop, t, cand, n, H, step, &v, rr);

        if (score == 2) {
            c->recto_H = c->recto_h + (c->H - H);
            return;
        }
        if (score > base && best < 0)
            best = t;
        if (score >= 0) {
            unscore(c, rr);
            unrefit(c, &v);
        }
    }
    if (best >= 0 &&
        try_spread(c, stop, best, cand, n, H, step, &v, rr) > base) {
        c->recto_H = c->recto_h + (c->H - H);
        return;
    }
    c->H = H;                   /* as it was */
    fill_page(c, stop);
    if (short_recto > base &&
        spread_score(c, &r, used + EPS, rr) == short_recto)
        c->recto_H = used + EPS;
    else if (short_recto > base)
        unscore(c, rr);
}

/* The next page of 'c' (c->i is where it starts) and its items. */
static void
cut_page(cut *c, pagevec *pv)
{
    lay *g = c->g;
    rowvec *body = c->body;
    itemvec items = { NULL, 0, 0 };
    GArray *strings = g_array_new(FALSE, TRUE, sizeof(oc_named_string));
    oc_page *p = lay_new_page(g, pv);
    size_t stop;
    refit done;
    double y;
    bool judged = c->recto_H > 0;

    c->hh = c->top0 = 0;
    c->h0 = c->nhr = 0;
    if (c->i < upto(body, c->tail) && !c->only_notes && !c->only_floats) {
        /* The body's first row opens a page, not one that rows before it
         * were dropped from. */
        p->opening = body->v[c->i].brk >= BRK_PAGE ||
                     (c->i == 0 &&
                      (body != &g->body || g->paging.dropped == 0));
        c->chap = body->v[c->i].chap;
        c->hh = head_rows(body, c->i, &c->h0, &c->nhr);
        /* Margins after a forced break are kept (CSS Fragmentation 3
         * §5.2): a chapter's title stands as low as its CSS says. */
        if (body->v[c->i].brk >= BRK_PAGE)
            c->top0 = body->v[c->i].space;
    }
    p->chapter = c->chap;
    c->left = lay_page_left(g, p);
    c->top = lay_page_top(g, p);
    c->H = lay_page_text_height(g, p);
    take_floats(c);
    if (judged) {               /* cut by level_spread: the same again */
        c->H = c->recto_H;
        fill_refit(c, &stop, NULL);
    } else {
        fill_refit(c, &stop, &done);
    }
    c->recto_H = 0;
    if (!p->recto && pv == &g->paging.pages) {
        oc_page recto = *p;

        recto.recto = true;
        recto.opening = false;
        c->recto_h = lay_page_text_height(g, &recto);
        c->room_below = room_below(g, lay_page_style(g, p, false)) &&
                        room_below(g, lay_page_style(g, &recto, false));
        level_spread(c, &stop);
        c->verso_depth = plain_page(c) ? page_depth(c, false) : -1;
    }
    if (p->recto && pv == &g->paging.pages && !judged)
        whole_word_at_turn(c, &stop, &done);
    if (p->recto && pv == &g->paging.pages)
        plain_at_turn(c, &stop);
    if (p->recto && p->opening && pv == &g->paging.pages)
        short_at_turn(c, &stop);
    if (pv == &g->paging.pages)
        unstack_page(c, p->recto);
    page_order(c);
    /* Where the page starts in the text: its first row after the floats
     * at its top (they belong to the text before it). */
    if (pv == &g->paging.pages)
        lay_page_start(g, pv, c->order->len > top_rows(c)
                                  ? order_row(c, (guint)top_rows(c)) : NULL);
    y = place_body(c, p, &items, strings);
    place_notes(c, &items, y);
    if (p->recto)
        c->verso_depth = -1;    /* the next recto's verso is to come */
    p = &pv->v[pv->n - 1];
    p->items = items.v;
    p->nitems = items.n;
    lay_set_page_strings(g, p, strings);
    g_array_free(strings, TRUE);
}

/* Are there rows of 'body' from 'i' to 'end' at least 'h' high, page
 * floats apart? A page takes rows until its text is full, and passes
 * over the floats that wait for a later page, however many. */
bool
lay_rows_ahead(const rowvec *body, size_t i, size_t end, double h)
{
    double sum = 0;

    for (size_t k = i; k < end; k++) {
        const row *r = &body->v[k];

        if (r->nfloat > 0) {
            k += r->nfloat - 1;
            continue;
        }
        sum += r->space + r->height;
        if (sum >= h)
            return true;
    }
    return false;
}

static bool
rows_ahead(const cut *c, double h)
{
    return lay_rows_ahead(c->body, c->i, upto(c->body, c->tail), h);
}

/* Nothing carried over to the page c->i: no footnote lines, page
 * floats or recto cut ahead, and a spread is not half cut. */
static bool
clean(const cut *c, const pagevec *pv)
{
    return pv->n % 2 == 1 && c->carry->len == 0 && c->pending->len == 0 &&
           c->tops->len == 0 && c->recto_H == 0;
}

/* When rows 'ahead' high are to come, may the pagination stop before
 * page c->i, to go on when there are more, with the pages the same as
 * though it had gone on? Each page is cut from its rows and the next few,
 * never from the end of the range while that stays so far off: it stops
 * where nothing is carried over, or else, rather than come near the end,
 * anywhere, the state of the cut held for the next call (lay_paginate). */
static bool
may_stop(const cut *c, const pagevec *pv, double ahead)
{
    return !rows_ahead(c, ahead / 2) ||
           (clean(c, pv) && !rows_ahead(c, ahead));
}

static void
cut_free(cut *c)
{
    g_array_free(c->carry, TRUE);
    g_array_free(c->pending, TRUE);
    g_array_free(c->tops, TRUE);
    g_array_free(c->order, TRUE);
}

void
lay_paginate_forget(lay *g)
{
    if (g->paging.held != NULL)
        cut_free(g->paging.held);
    free(g->paging.held);
    g->paging.held = NULL;
}

/* Cut the rows of 'body' from *from up to its last 'tail' into pages
 * appended to 'pv'; *from is then where it stopped. Each page takes rows
 * first-fit; when the next row (with the footnotes it brings) overflows,
 * the page ends at the last break the rules allow. A row that must open a
 * recto gets a blank verso before it when needed. Footnotes go to the
 * foot of the page of their reference; one too long for that page
 * continues on the next. A table that goes on to a new page has its head
 * rows set again at the top. Where a widow or an orphan would cost the
 * page a line, a paragraph on it is set again with a line fewer or more
 * (lay_refit_page), which changes 'body'. Stops when the book has too
 * many pages. The row after the range must open a page (a forced break),
 * so that the pages are those that the whole body would give; or, when
 * 'ahead' > 0, the rows go on later: the pagination stops where it may
 * (may_stop), which rows 'ahead' high must follow. */
void
lay_paginate(lay *g, rowvec *body, pagevec *pv, size_t *from, size_t tail,
             double ahead)
{
    cut c;
    bool stopped = false;

    if (body == &g->body && g->paging.held != NULL) {
        c = *g->paging.held;        /* where the last call stopped */
        free(g->paging.held);
        g->paging.held = NULL;
    } else {
        memset(&c, 0, sizeof c);
        c.g = g;
        c.body = body;
        c.carry = g_array_new(FALSE, TRUE, sizeof(noteline));
        c.sep = g->s->leading * 0.8;
        c.pending = g_array_new(FALSE, FALSE, sizeof(fgroup));
        c.tops = g_array_new(FALSE, FALSE, sizeof(fgroup));
        c.order = g_array_new(FALSE, FALSE, sizeof(size_t));
        c.i = *from;
        c.verso_depth = -1;
        c.recto_fixed = -1;
        c.chap = *from > 0 ? body->v[*from - 1].chap
                 : body == &g->body ? g->paging.prev_chap : -1;
    }
    c.tail = tail;
    while ((c.i < upto(body, tail) || c.carry->len > 0 ||
            c.pending->len > 0) && !g->paging.too_many) {
        bool at_break = c.i >= upto(body, tail) ||
                        body->v[c.i].brk >= BRK_PAGE;

        if (ahead > 0 && may_stop(&c, pv, ahead)) {
            stopped = true;
            break;
        }
        c.only_notes = c.carry->len > 0 && c.i < upto(body, tail) &&
                       body->v[c.i].brk >= BRK_PAGE;
        /* Floats do not pass a forced break or the end. */
        c.only_floats = c.pending->len > 0 && at_break;
        if (!c.only_notes && !c.only_floats && c.carry->len == 0 &&
            ((body->v[c.i].brk == BRK_RECTO && pv->n % 2 == 1) ||
             (body->v[c.i].brk == BRK_VERSO && pv->n % 2 == 0))) {
            oc_page *p = lay_new_page(g, pv);   /* a blank page */

            p->blank = true;
            p->chapter = c.chap;
            if (pv == &g->paging.pages)
                lay_page_start(g, pv, NULL);
            continue;
        }
        cut_page(&c, pv);
        c.i = c.end;
    }
    *from = c.i;
    if (stopped && !clean(&c, pv)) {
        g->paging.held = oc_xmalloc(sizeof c);
        *g->paging.held = c;
        return;
    }
    cut_free(&c);
}
