/* layout-para.c - paragraphs of the body set by total fit (paragraph.h)
 * and turned into rows, with what each line carries (links, anchors,
 * images, note references); and a paragraph set again with a line more or
 * fewer when a widow or an orphan would otherwise cost a page a line. */
#include "layout-int.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fontlock.h"
#include "xhtml.h"

/* A paragraph of the body set by paragraph.h, remembered with its rows
 * so that the paginator can set it again with a line more or fewer
 * (reset_para) where a widow or an orphan would otherwise cost a page a
 * line. Its rows are found from any of them: row.para, row.pline. */
typedef struct pararec {
    oc_para        *p;
    bstyle          st;
    bool            kept;           /* its rows stay together anyway */
    size_t          nrows;
    size_t          nfixed;         /* items of its first row that are
                                       not its own (lay_add_row's) */
    size_t          tlen;
    const linkspan *links;          /* copies in the arena */
    size_t          nlinks;
    const anchor   *anchors;
    size_t          nanchors;
    const object   *objects;
    size_t          nobjects;
    size_t         *ref_at;         /* each reference's byte, and the */
    size_t        **ref_notes;      /* notes it brought to its row */
    size_t         *ref_nnotes;
    size_t          nrefs;
    const srcmark  *srcs;           /* where its text came from */
    size_t          nsrcs;
} pararec;

/* A text item for a line of a paragraph. */
static void
add_para_item(lay *g, itemvec *items, const oc_para_line *line, double x,
              double y)
{
    oc_item *it = lay_push_item(lay_arena(g), items);

    it->kind = OC_ITEM_TEXT;
    it->para = line;
    it->x = x;
    it->y = y;
}

/* lay_line_extras for a line set by paragraph.h, but for notes: link areas,
 * destinations (not registered again when 'again'), inline images; x0
 * is the left end of its glyphs. */
static void
para_line_extras(lay *g, row *r, const pararec *pr, const oc_para_line *l,
                 bool last, double x0, double top, double asc, double desc,
                 bool again)
{
    size_t lo = l->start, end = l->end;
    size_t hi = last ? pr->tlen + 1 : end;
    double xs[16];

    for (size_t i = 0; i < pr->nlinks; i++) {
        const linkspan *sp = &pr->links[i];
        size_t a = sp->start > lo ? sp->start : lo;
        size_t b = sp->end < end ? sp->end : end;
        size_t nr;

        if (a >= b)
            continue;
        nr = oc_para_line_ranges(l, a, b, xs, 8);
        for (size_t j = 0; j < nr; j++)
            lay_add_link(g, r, sp, x0 + xs[2 * j], top,
                         xs[2 * j + 1] - xs[2 * j], asc + desc, pr->st.size);
    }
    for (size_t i = 0; i < pr->nanchors; i++) {
        const anchor *an = &pr->anchors[i];
        double x;
        oc_item *it;

        if (an->at < lo || an->at >= hi)
            continue;
        x = x0 + oc_para_line_index_x(l, an->at < pr->tlen ? an->at
                                                            : pr->tlen);
        if (!again) {
            lay_add_dest(g, &r->items, an->dest, x, top);
            continue;
        }
        it = lay_push_item(lay_arena(g), &r->items);
        it->kind = OC_ITEM_DEST;
        it->dest = an->dest;
        it->x = x;
    }
    for (size_t i = 0; i < pr->nobjects; i++) {
        const object *ob = &pr->objects[i];

        if (ob->at < lo || ob->at >= end ||
            oc_para_line_ranges(l, ob->at, ob->at + strlen("\uFFFC"), xs,
                                1) == 0)
            continue;
        lay_add_image(g, &r->items, ob->pic, x0 + xs[0],
                      top + asc - ob->h + ob->desc, ob->w, ob->h);
    }
}

/* The line of paragraph 'l[0..n)' that holds byte 'at'. */
static size_t
line_of(const oc_para_line *l, size_t n, size_t at)
{
    size_t lo = 0, hi = n ? n - 1 : 0;

    /* The lines cover the text in order: the first whose end is past
     * 'at' (the last line for any later byte), by halves, for a
     * paragraph may hold thousands of note calls. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (at >= l[mid].end)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The mark of a line of preformatted text that continues a wrapped
 * one, at the start of the room its hanging indent leaves, inside the
 * block (lay_emit_pre). */
static void
wrap_mark(lay *g, row *r, const bstyle *st, double y)
{
    double mw;
    PangoLayoutLine *mark = lay_wrap_mark(g, st, &mw);

    lay_add_text_item(g, &r->items, mark,
                      st->rtl ? g->width - st->right - mw : st->left, y);
    r->items.v[r->items.n - 1].tag = &lay_artifact;
}

/* Copy 'n' elements of 'size' into the arena. */
static void *
arena_copy(lay *g, const void *v, size_t n, size_t size)
{
    void *c;

    if (n == 0)
        return NULL;
    c = oc_arena_alloc(lay_arena(g), n * size);
    memcpy(c, v, n * size);
    return c;
}

/* Rows for the lines of paragraph 'p' of 'in': as lay_emit_lines. Lines of
 * the body are remembered for the paginator (pararec). */
static void
emit_para_lines(flow *f, oc_para *p, const inl *in, const bstyle *st,
                bool keep)
{
    lay *g = f->g;
    oc_arena *a = lay_arena(g);
    size_t n;
    const oc_para_line *lines = oc_para_lines(p, &n);
    pararec *pr = oc_arena_alloc(a, sizeof *pr);
    guint next = 0;             /* the first note call not yet placed */

    pr->p = p;
    pr->st = *st;
    pr->kept = keep || in->pre || f->keep > 0 || f->out != &g->body;
    pr->nrows = n;
    pr->tlen = in->text->len;
    pr->links = arena_copy(g, in->links->data, in->links->len,
                           sizeof(linkspan));
    pr->nlinks = in->links->len;
    pr->anchors = arena_copy(g, in->anchors->data, in->anchors->len,
                             sizeof(anchor));
    pr->nanchors = in->anchors->len;
    pr->objects = arena_copy(g, in->objects->data, in->objects->len,
                             sizeof(object));
    pr->nobjects = in->objects->len;
    pr->srcs = arena_copy(g, in->srcs->data, in->srcs->len, sizeof(srcmark));
    pr->nsrcs = in->srcs->len;
    pr->nrefs = in->refs->len;
    if (pr->nrefs > 0) {
        pr->ref_at = oc_arena_alloc(a, pr->nrefs * sizeof *pr->ref_at);
        pr->ref_notes = oc_arena_alloc(a, pr->nrefs *
                                              sizeof *pr->ref_notes);
        pr->ref_nnotes = oc_arena_alloc(a, pr->nrefs *
                                               sizeof *pr->ref_nnotes);
    }
    for (size_t k = 0; k < n; k++) {
        const oc_para_line *l = &lines[k];
        double asc, desc;
        size_t ri;
        row *r;

        if (k > 0)
            lay_want_brk(f, keep || k < (size_t)st->orphans ||
                                    n - k < (size_t)st->widows ? BRK_KEEP
                                                               : BRK_OK);
        lay_line_box(g, st, l->ascent, l->descent, &asc, &desc);
        ri = lay_add_row(f, asc + desc, asc);
        r = &f->out->v[ri];
        if (!in->pre) {
            r->para = pr;
            r->pline = (int)k;
        } else if (f->out == &g->body && pr->nsrcs > 0) {
            /* Code is not a paragraph the pages may set again: its rows
             * say only where their text came from. */
            r->srcs = pr->srcs;
            r->nsrcs = pr->nsrcs;
            r->at = l->start;
        }
        if (k == 0)
            pr->nfixed = r->items.n;
        add_para_item(g, &r->items, l, st->left + l->x, asc);
        if (in->pre && k > 0 && !lines[k - 1].forced)
            wrap_mark(g, r, st, asc);
        para_line_extras(g, r, pr, l, k + 1 == n, st->left + l->x, 0, asc,
                         desc, false);
        /* Note calls come in the text's order, as lines do: each is
         * placed once, on its line (not every call looked at for every
         * line: 20,000 in one paragraph took 6 s). */
        for (; next < in->refs->len; next++) {
            guint i = next;
            ref *rf = &g_array_index(in->refs, ref, i);
            size_t before;

            if (line_of(lines, n, rf->at) > k)
                break;
            before = f->out->v[ri].nnotes;
            lay_attach_note(g, f->out, ri, lay_layout_note(f, rf->note));
            r = &f->out->v[ri];
            pr->ref_at[i] = rf->at;
            pr->ref_nnotes[i] = r->nnotes - before;
            pr->ref_notes[i] = r->nnotes > before
                               ? arena_copy(g, r->notes + before,
                                            r->nnotes - before,
                                            sizeof *r->notes)
                               : NULL;
        }
    }
}

/* Fill the rows r0... of 'body' with the lines of paragraph 'pr', as
 * emit_para_lines did: its text items and extras, its notes on the rows
 * of their references. */
static void
para_rows(lay *g, rowvec *body, pararec *pr, size_t r0)
{
    size_t n;
    const oc_para_line *lines = oc_para_lines(pr->p, &n);

    for (size_t k = 0; k < n; k++) {
        row *r = &body->v[r0 + k];
        const oc_para_line *l = &lines[k];
        double asc, desc;

        lay_line_box(g, &pr->st, l->ascent, l->descent, &asc, &desc);
        r->height = asc + desc;
        r->baseline = asc;
        if (k > 0)
            r->brk = k < (size_t)pr->st.orphans ||
                     n - k < (size_t)pr->st.widows ? BRK_KEEP : BRK_OK;
        r->para = pr;
        r->pline = (int)k;
        r->items.n = k == 0 ? pr->nfixed : 0;
        r->nnotes = 0;
        add_para_item(g, &r->items, l, pr->st.left + l->x, asc);
        para_line_extras(g, r, pr, l, k + 1 == n, pr->st.left + l->x, 0,
                         asc, desc, true);
    }
    for (size_t i = 0; i < pr->nrefs; i++)
        for (size_t m = 0; m < pr->ref_nnotes[i]; m++)
            lay_row_add_note(lay_arena(g),
                             &body->v[r0 + line_of(lines, n, pr->ref_at[i])],
                             pr->ref_notes[i][m]);
}

/* Set the paragraph of row 'at' of 'body' again with 'delta' (1 or -1)
 * lines more than now (oc_para_refit), none but its last worse than
 * 'bad', and its rows with it: one is added after its last or its last
 * taken away, and the rows after it move. Returns false, having changed
 * nothing, when the paragraph cannot be set so. */
bool
lay_reset_para(lay *g, rowvec *body, size_t at, int delta, double bad)
{
    pararec *pr = body->v[at].para;
    size_t r0, n0, n, q;

    if (pr == NULL || pr->kept)
        return false;
    r0 = at - (size_t)body->v[at].pline;
    n0 = pr->nrows;
    if (!oc_para_refit(pr->p, delta, bad))
        return false;
    oc_para_lines(pr->p, &n);
    assert(n == n0 + (size_t)(ptrdiff_t)delta);
    pr->nrows = n;
    /* A row more or fewer; table rows after it name their head rows by
     * index. */
    q = r0 + (delta > 0 ? n0 : n0 - 1);
    if (delta > 0) {
        lay_push_row(g, body);
        memmove(&body->v[q + 1], &body->v[q],
                (body->n - 1 - q) * sizeof *body->v);
        memset(&body->v[q], 0, sizeof body->v[q]);
        body->v[q].outline = -1;
        body->v[q].chap = body->v[r0].chap;
        body->v[q].pool = body->v[r0].pool;
        body->v[q].tag = body->v[r0].tag;
    } else {
        memmove(&body->v[q], &body->v[q + 1],
                (body->n - q - 1) * sizeof *body->v);
        body->n--;
    }
    for (size_t k = q + 1; k < body->n; k++)
        if (body->v[k].nhead > 0 && body->v[k].head >= q)
            body->v[k].head = delta > 0 ? body->v[k].head + 1
                                        : body->v[k].head - 1;
    para_rows(g, body, pr, r0);
    return true;
}

bool
lay_plain_row(lay *g, rowvec *body, size_t at, double bad)
{
    pararec *pr = body->v[at].para;
    const oc_para_line *lines;
    double worst = bad;
    size_t n;

    if (pr == NULL || pr->kept)
        return false;
    lines = oc_para_lines(pr->p, &n);
    /* No line worse than the paragraph's worst now, nor than a refit's. */
    for (size_t k = 0; k + 1 < n; k++)
        if (!lines[k].forced && lines[k].badness > worst)
            worst = lines[k].badness;
    if (!oc_para_plain_line(pr->p, (size_t)body->v[at].pline, worst))
        return false;
    para_rows(g, body, pr, at - (size_t)body->v[at].pline);
    return true;
}

bool
lay_unstack_row(lay *g, rowvec *body, size_t at)
{
    pararec *pr = body->v[at].para;
    size_t n = pr != NULL ? pr->nrows : 0;
    double *h;
    int done;
    bool same = true;

    if (pr == NULL || pr->kept || pr->nrefs > 0 || body->v[at].pline != 0)
        return false;
    h = oc_xmalloc((n ? n : 1) * sizeof *h);
    for (size_t k = 0; k < n; k++)
        h[k] = body->v[at + k].height;
    if ((done = oc_para_unstack(pr->p, LAY_UNSTACK_BADNESS)) != 0)
        para_rows(g, body, pr, at);
    for (size_t k = 0; done == 1 && k < n; k++)
        same = same && body->v[at + k].height == h[k];
    free(h);
    if (done == 1 && !same) {       /* its lines' heights changed */
        lay_stack_row(g, body, at);
        return false;
    }
    return done == 1;
}

void
lay_stack_row(lay *g, rowvec *body, size_t at)
{
    pararec *pr = body->v[at].para;

    oc_para_set_back(pr->p);
    para_rows(g, body, pr, at);
}

bool
lay_row_hyphenated(const row *r)
{
    size_t n;
    const oc_para_line *lines;

    if (r->para == NULL)
        return false;
    lines = oc_para_lines(r->para->p, &n);
    return (size_t)r->pline < n && lines[r->pline].hyphenated;
}

#define REFIT_PARAS 4        /* paragraphs of a page tried, last first */

/* The rows [end, j) that a page leaves for the next when row j, the
 * first that does not fit, is a line of a paragraph kept from breaking
 * there only by its widows or orphans: set a paragraph of the page
 * again with a line fewer (so that the rows fit) or else with a line
 * more (so that the page is full without them), as TeX's \looseness
 * would be used by hand. The paragraphs tried are that of row j, when it
 * starts on the page, and those before it on the page, the nearest
 * first. Returns whether the rows changed (the page is then filled
 * again), and which paragraph into *done. */
bool
lay_refit_page(lay *g, rowvec *body, size_t i, size_t end, size_t j,
               refit *done)
{
    const row *rj = &body->v[j];
    size_t cand[REFIT_PARAS], ncand = 0, p0;

    if (rj->para == NULL || rj->para->kept || end <= i || end >= j)
        return false;
    p0 = j - (size_t)rj->pline;
    if (end < p0)
        return false;               /* the loss is not the paragraph's */
    if (p0 >= i && end > p0)
        cand[ncand++] = j;
    for (size_t k = p0; k > i && ncand < REFIT_PARAS; k--) {
        const row *r = &body->v[k - 1];

        if (r->para == NULL || (size_t)r->pline > k - 1 - i)
            continue;               /* not a paragraph all on the page */
        if (!r->para->kept)
            cand[ncand++] = k - 1;
        k -= (size_t)r->pline;      /* on to the row before it */
    }
    for (int delta = -1; delta <= 1; delta += 2)
        for (size_t c = 0; c < ncand; c++) {
            size_t r0 = cand[c] - (size_t)body->v[cand[c]].pline;

            if (lay_reset_para(g, body, cand[c], delta,
                               LAY_REFIT_BADNESS)) {
                done->at = r0;
                done->delta = delta;
                return true;
            }
        }
    return false;
}

/* Set the text of 'in' as a paragraph of 'st', 'width' wide, its first
 * line indented by 'indent': by total fit, or as 'mode' says (NULL: the
 * paragraph of the text; else its first_fit, preserve and wrap_indent,
 * and no hyphenation by patterns). Returns NULL (having left 'in' as it
 * was) when it cannot be set so. The paragraph belongs to the layout. */
static oc_para *
set_para(flow *f, inl *in, const bstyle *st, double width, double indent,
         xmlNodePtr at, const oc_para_style *mode)
{
    lay *g = f->g;
    PangoAttrList *al;
    PangoFontDescription *d;
    oc_para_style ps;
    oc_para *p = NULL;
    oc_error err = {0};

    if (!(width > 0))
        return NULL;
    memset(&ps, 0, sizeof ps);
    ps.context = st->rtl ? g->L->rtl_context : g->L->context;
    ps.lang = st->lang;
    ps.rtl = st->rtl;
    ps.align = st->justify ? OC_PARA_JUSTIFY
               : st->align == PANGO_ALIGN_CENTER ? OC_PARA_CENTER
               : st->align == PANGO_ALIGN_RIGHT ? OC_PARA_END
               : OC_PARA_START;
    ps.hyphens = st->hyphens == OC_HYPHENS_AUTO ? OC_PARA_HYPHENS_AUTO
                 : st->hyphens == OC_HYPHENS_NONE ? OC_PARA_HYPHENS_NONE
                 : OC_PARA_HYPHENS_MANUAL;
    if (mode != NULL) {
        ps.first_fit = mode->first_fit;
        ps.preserve = mode->preserve;
        ps.wrap_indent = mode->wrap_indent;
        if (ps.hyphens == OC_PARA_HYPHENS_AUTO)
            ps.hyphens = OC_PARA_HYPHENS_MANUAL;
    }
    ps.width = width;
    ps.indent = indent;
    ps.dicts = g->L->dicts;
    ps.cache = g->L->words;
    ps.file = f->chap < g->b->nchapters ? g->b->chapters[f->chap].file
                                        : NULL;
    ps.line = at != NULL ? oc_xhtml_line(at) : 0;
    /* As lay_inl_attrs, but breaks after the hyphens of compounds are
     * allowed: a hyphen at a line's end is a hyphen of the text. */
    al = pango_attr_list_new();
    if (st->lang != NULL)
        pango_attr_list_insert(al, pango_attr_language_new(
                                   pango_language_from_string(st->lang)));
    for (guint i = 0; i < in->attrs->len; i++)
        pango_attr_list_insert(al, pango_attribute_copy(
                                   g_ptr_array_index(in->attrs, i)));
    /* A table cell breaks as generated text does: not after the hyphen
     * of a compound. */
    if (mode != NULL && !mode->preserve)
        lay_keep_compounds(in->text, al);
    d = lay_font_of(st);
    ps.font = d;
    if (oc_para_new(in->text->str, in->text->len, al, &ps, &p, &err) ==
        OC_OK)
        lay_own_para(g, p);
    pango_font_description_free(d);
    pango_attr_list_unref(al);
    return p;
}

/* The text that opens a paragraph (f->prefix): a list marker, or a
 * note's number, raised and smaller as 'sup' is in the text (the user
 * agent's rules), in lining figures (old-style ones, raised, look like
 * letters), then a space that does not break. */
static void
open_prefix(flow *f, inl *in, const bstyle *st)
{
    PangoAttribute *a[3];

    if (f->prefix_sup) {
        a[0] = lay_open_attr(in, pango_attr_size_new_absolute(
                                 PU(st->size / 1.2)));
        a[1] = lay_open_attr(in, pango_attr_rise_new(PU(st->size * 0.33)));
        a[2] = lay_open_attr(in, pango_attr_font_features_new("lnum 1"));
    }
    lay_add_generated(in, f->prefix);
    if (f->prefix_sup) {
        for (size_t k = 0; k < 3; k++)
            a[k]->end_index = (guint)in->text->len;
        lay_add_generated(in, "\u00A0");
    }
    f->prefix = NULL;
    f->prefix_sup = false;
}

/* Lay out the inline nodes [first, stop) of a block as one paragraph. */
void
lay_emit_para(flow *f, xmlNodePtr first, xmlNodePtr stop, const bstyle *st,
              bool heading)
{
    lay *g = f->g;
    double width = g->width - st->left - st->right;
    inl in;
    PangoLayout *pl;
    PangoAttrList *al;
    oc_para *para;
    xmlNodePtr img;

    if (!heading && f->prefix == NULL &&
        (img = lay_lone_image(g, first, stop)) != NULL &&
        lay_flow_image(f, img, st))
        return;
    lay_inl_init(&in, false);
    in.size = st->size;
    in.width = width;
    if (f->prefix != NULL)
        open_prefix(f, &in, st);
    lay_inline_nodes(f, &in, first, stop);
    lay_trim_space(&in);
    while (in.text->len > 0 && in.text->str[in.text->len - 1] == '\n')
        g_string_truncate(in.text, in.text->len - 1);
    if (in.text->len == 0) {
        for (guint i = 0; i < in.anchors->len; i++)
            lay_pend_dest(f, g_array_index(in.anchors, anchor, i).dest);
        lay_inl_free(&in);
        return;
    }
    para = set_para(f, &in, st, width,
                    f->indent && !in.br && !heading ? st->indent : 0, first,
                    NULL);
    if (para != NULL) {
        emit_para_lines(f, para, &in, st, heading);
        lay_inl_free(&in);
        f->indent = st->indent > 0;
        return;
    }
    oc_fonts_lock();        /* a paragraph set by Pango, whole */
    pl = lay_new_layout(g, st, width);
    if (f->indent && !in.br && !heading)
        pango_layout_set_indent(pl, PU(st->indent));
    pango_layout_set_text(pl, in.text->str, (int)in.text->len);
    al = lay_inl_attrs(&in, st->lang);
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    lay_emit_lines(f, pl, &in, st, heading);
    lay_inl_free(&in);
    f->indent = st->indent > 0;
    oc_fonts_unlock();
}

bool
lay_para_start(const row *r, xmlNodePtr *node, size_t *offset)
{
    const pararec *pr = r->para;
    const oc_para_line *lines;
    size_t n, at;

    if (pr == NULL || pr->nsrcs == 0)
        return false;
    lines = oc_para_lines(pr->p, &n);
    if ((size_t)r->pline >= n)
        return false;
    at = lines[r->pline].start;
    return lay_text_position(pr->srcs, pr->nsrcs, at, node, offset);
}

bool
lay_emit_pre(flow *f, inl *in, const bstyle *st, xmlNodePtr at)
{
    oc_para_style mode = { .first_fit = true, .preserve = true };
    oc_para *para;
    double mark;

    lay_wrap_mark(f->g, st, &mark);
    mode.wrap_indent = mark + st->size * 0.3;
    para = set_para(f, in, st, f->g->width - st->left - st->right, 0, at,
                    &mode);
    if (para == NULL)
        return false;
    emit_para_lines(f, para, in, st, false);
    return true;
}

/* A table cell is measured unwrapped: set in a measure no cell reaches. */
#define UNWRAPPED 1e6

oc_para *
lay_cell_para(flow *f, inl *in, const bstyle *st, xmlNodePtr at)
{
    oc_para_style mode = { .first_fit = true };

    return set_para(f, in, st, UNWRAPPED, 0, at, &mode);
}

void
lay_cell_lines(flow *f, size_t ri, oc_para *p, const inl *in,
               const bstyle *st, double x0, double top, size_t k0,
               size_t k1)
{
    lay *g = f->g;
    size_t n;
    const oc_para_line *lines = oc_para_lines(p, &n);
    pararec pr = {
        .p = p, .st = *st, .tlen = in->text->len,
        .links = (const linkspan *)(void *)in->links->data,
        .nlinks = in->links->len,
        .anchors = (const anchor *)(void *)in->anchors->data,
        .nanchors = in->anchors->len,
        .objects = (const object *)(void *)in->objects->data,
        .nobjects = in->objects->len,
    };

    for (size_t k = k0; k < k1 && k < n; k++) {
        const oc_para_line *l = &lines[k];
        size_t hi = k + 1 == n ? in->text->len + 1 : l->end;
        double asc, desc;

        lay_line_box(g, st, l->ascent, l->descent, &asc, &desc);
        add_para_item(g, &f->out->v[ri].items, l, x0 + l->x, top + asc);
        para_line_extras(g, &f->out->v[ri], &pr, l, k + 1 == n, x0 + l->x,
                         top, asc, desc, false);
        for (guint i = 0; i < in->refs->len; i++) {
            const ref *rf = &g_array_index(in->refs, ref, i);

            if (rf->at >= l->start && rf->at < hi)
                lay_attach_note(g, f->out, ri, lay_layout_note(f, rf->note));
        }
        top += asc + desc;
    }
}
