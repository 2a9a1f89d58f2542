/* layout-rows.c - the vertical list: growable item and row vectors, fonts
 * and Pango lines measured into rows, the spaces, breaks, destinations and
 * string-sets pending for the next row, and the footnotes attached to the
 * row that first refers to them. */
#include "layout-int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fontlock.h"
#include "shape.h"

/* A new item at the end of 'v', zeroed. */
oc_item *
lay_push_item(oc_arena *a, itemvec *v)
{
    return OC_VEC_PUSH(a, v);
}

/* A new row at the end of 'v': zeroed, opening no heading. The body's
 * rows are on the heap, for they outlive the pool of their chapter
 * (lay_release_pools drops those on final pages). */
row *
lay_push_row(lay *g, rowvec *v)
{
    row *r;

    if (v == &g->body) {
        if (v->n == v->cap) {
            v->cap = v->cap ? 2 * v->cap : 256;
            v->v = oc_xrealloc(v->v, v->cap * sizeof *v->v);
        }
        r = &v->v[v->n++];
        memset(r, 0, sizeof *r);
    } else {
        r = OC_VEC_PUSH(lay_arena(g), v);
    }
    r->outline = -1;
    return r;
}

void
lay_row_add_note(oc_arena *a, row *r, size_t ni)
{
    r->notes = oc_arena_reserve(a, r->notes, r->nnotes, &r->capnotes,
                                sizeof *r->notes);
    r->notes[r->nnotes++] = ni;
}

PangoFontDescription *
lay_font_of(const bstyle *st)
{
    PangoFontDescription *d = pango_font_description_new();

    pango_font_description_set_family(d, st->family);
    pango_font_description_set_absolute_size(d, st->size * PANGO_SCALE);
    pango_font_description_set_style(d, st->slant);
    pango_font_description_set_weight(d, st->weight);
    pango_font_description_set_variant(d, st->variant);
    return d;
}

/* A layout in the style's direction. The direction is the block's, never
 * guessed from the text (HTML's dir is inherited, not "auto"), and the
 * style's left and right alignments mean start and end: a right-to-left
 * paragraph is set flush right, its last line too when justified. */
PangoLayout *
lay_new_layout(lay *g, const bstyle *st, double width)
{
    PangoLayout *pl = pango_layout_new(st->rtl ? g->L->rtl_context
                                               : g->L->context);
    PangoFontDescription *d = lay_font_of(st);
    PangoAlignment align = st->align;

    if (st->rtl && align != PANGO_ALIGN_CENTER)
        align = align == PANGO_ALIGN_LEFT ? PANGO_ALIGN_RIGHT
                                          : PANGO_ALIGN_LEFT;
    lay_own_layout(g, pl);
    pango_layout_set_auto_dir(pl, FALSE);
    pango_layout_set_font_description(pl, d);
    pango_font_description_free(d);
    pango_layout_set_width(pl, width > 0 ? PU(width) : -1);
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(pl, align);
    pango_layout_set_justify(pl, st->justify);
    return pl;
}

/* A one-line layout for generated text (markers, folios, the title). */
PangoLayout *
lay_text_layout(lay *g, const bstyle *st, const char *text, double width)
{
    bstyle up = *st;
    PangoLayout *pl;

    if (st->slant != PANGO_STYLE_NORMAL && !oc_shape_takes_italic(text))
        up.slant = PANGO_STYLE_NORMAL;
    pl = lay_new_layout(g, &up, width);

    pango_layout_set_text(pl, text, -1);
    if (st->lang != NULL) {
        PangoAttrList *al = pango_attr_list_new();

        pango_attr_list_insert(al, pango_attr_language_new(
                                   pango_language_from_string(st->lang)));
        pango_layout_set_attributes(pl, al);
        pango_attr_list_unref(al);
    }
    return pl;
}

/* The row of a line of 'st' whose text reaches 'asc' above its baseline
 * and 'desc' below: one leading high, with the baseline where CSS's
 * half-leading model puts it, unless something in the line (a larger
 * font, a fallback font) reaches more than a quarter of an em beyond
 * that. */
void
lay_line_box(lay *g, const bstyle *st, double asc, double desc,
             double *row_asc, double *row_desc)
{
    bool mono = strcmp(st->family, g->s->mono) == 0;
    double fa = st->size * (mono ? g->font.mono_asc : g->font.serif_asc);
    double fd = st->size * (mono ? g->font.mono_desc : g->font.serif_desc);
    double half = (st->leading - fa - fd) / 2;
    double tol = st->size / 4;

    *row_asc = asc > half + fa + tol ? asc : half + fa;
    *row_desc = desc > half + fd + tol ? desc : half + fd;
}

/* Measure the lines of 'pl' for rows of 'st' (lay_line_box). */
GArray *
lay_measure_lines(lay *g, PangoLayout *pl, const bstyle *st)
{
    GArray *v = g_array_new(FALSE, TRUE, sizeof(lineinfo));
    PangoLayoutIter *it = pango_layout_get_iter(pl);

    do {
        lineinfo li;
        PangoRectangle log;
        double base;

        li.line = pango_layout_iter_get_line_readonly(it);
        pango_layout_iter_get_line_extents(it, NULL, &log);
        base = PT(pango_layout_iter_get_baseline(it));
        li.x = PT(log.x);
        lay_line_box(g, st, base - PT(log.y), PT(log.y + log.height) - base,
                     &li.asc, &li.desc);
        li.start = li.line->start_index;
        li.len = li.line->length;
        g_array_append_val(v, li);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return v;
}

void
lay_add_text_item(lay *g, itemvec *items, PangoLayoutLine *line, double x,
                  double y)
{
    oc_item *it = lay_push_item(lay_arena(g), items);

    it->kind = OC_ITEM_TEXT;
    it->para = oc_para_line_of_pango(line, g->L->words, lay_arena(g));
    it->x = x;
    it->y = y;
}

/* A new item of 'kind' covering the box (x, y, w, h). */
static oc_item *
push_box(lay *g, itemvec *items, oc_item_kind kind, double x, double y,
         double w, double h)
{
    oc_item *it = lay_push_item(lay_arena(g), items);

    it->kind = kind;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
    return it;
}

void
lay_add_rule(lay *g, itemvec *items, double x, double y, double w, double h)
{
    push_box(g, items, OC_ITEM_RULE, x, y, w, h);
}

/* A link area of row 'r'; one narrower than half an em (a note
 * reference) is widened about its centre so that it can be hit. The
 * row's structure element then holds links (oc_tag.spans); it is set
 * before any page of it is painted, and a paragraph set again sets it
 * again: written only when it changes, for the painter may be reading
 * it. */
void
lay_add_link(lay *g, row *r, const linkspan *sp, double x, double y,
             double w, double h, double size)
{
    oc_item *it = lay_push_item(lay_arena(g), &r->items);

    if (r->tag != NULL && !r->tag->spans)
        r->tag->spans = true;

    if (w < size / 2) {
        x -= (size / 2 - w) / 2;
        w = size / 2;
    }
    it->kind = OC_ITEM_LINK;
    it->uri = sp->uri;
    it->dest = sp->dest;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
}

oc_tag lay_artifact;

/* A new structure element of 'type' in 'parent', its language 'lang'
 * kept only where it differs from the one it would inherit. */
oc_tag *
lay_new_tag(lay *g, const oc_tag *parent, const char *type, const char *lang)
{
    oc_tag *t = oc_arena_alloc(g->paging.pool != NULL ? g->paging.pool->tags
                                                       : g->L->arena,
                               sizeof *t);
    const oc_tag *up = parent;

    t->seq = ++g->ntags;
    t->type = type;
    t->parent = parent;
    while (up != NULL && up->lang == NULL)
        up = up->parent;
    if (lang != NULL && *lang != '\0' &&
        strcmp(lang, up != NULL ? up->lang : g->s->language) != 0)
        t->lang = lang;
    return t;
}

/* Items [from, n) of 'v' that name no structure element are in 't'. */
void
lay_tag_items(itemvec *v, size_t from, oc_tag *t)
{
    for (size_t i = from; i < v->n; i++) {
        if (v->v[i].tag != NULL)
            continue;
        v->v[i].tag = t;
        if (v->v[i].kind == OC_ITEM_LINK && t != NULL && !t->spans)
            t->spans = true;
    }
}

/* A list marker's line, set once per font, language, direction and
 * text in the book (a book's lists repeat a few markers thousands of
 * times), and its width; the font lock is taken only to set it. */
typedef struct marker {
    const oc_para_line *line;       /* in the layout's arena, its glyphs
                                       those of a layout the layout keeps */
    double              width;
} marker;

static const marker *
marker_of(lay *g, const bstyle *st, const char *text)
{
    PangoFontDescription *d = lay_font_of(st);
    char *fd = pango_font_description_to_string(d);
    char *key = g_strdup_printf("%s|%s|%d|%s", fd, st->lang ? st->lang : "",
                                st->rtl, text);
    marker *mk = g_hash_table_lookup(g->font.markers, key);
    PangoLayout *pl;
    PangoRectangle log;

    pango_font_description_free(d);
    g_free(fd);
    if (mk != NULL) {
        g_free(key);
        return mk;
    }
    mk = oc_arena_alloc(g->L->arena, sizeof *mk);
    oc_fonts_lock();
    pl = lay_text_layout(g, st, text, -1);
    g_ptr_array_add(g->L->layouts, g_object_ref(pl));
    pango_layout_get_extents(pl, NULL, &log);
    mk->width = PT(log.width);
    mk->line = oc_para_line_of_pango(pango_layout_get_line_readonly(pl, 0),
                                     g->L->words, g->L->arena);
    oc_fonts_unlock();
    g_hash_table_insert(g->font.markers, key, mk);
    return mk;
}

/* Append a row, giving it what is pending: space, break rule,
 * destinations, named strings, list marker, outline entry. Returns its
 * index. */
size_t
lay_add_row(flow *f, double height, double baseline)
{
    lay *g = f->g;
    row *r = lay_push_row(g, f->out);
    size_t idx = f->out->n - 1;

    r->height = height;
    r->baseline = baseline;
    r->space = f->fresh ? 0 : f->fixed + f->space + f->neg;
    r->brk = r->brk_free = f->brk;
    r->chap = (int)f->chap;
    r->pool = g->paging.pool != NULL ? g->paging.pool->serial : 0;
    r->src = f->src;
    r->tag = f->tag;
    r->floating = f->floating;
    if (f->keep > 0 && !f->keep_first && r->brk < BRK_KEEP)
        r->brk = BRK_KEEP;
    f->keep_first = false;
    r->outline = f->outline;
    r->strings = f->strings;
    r->nstrings = f->nstrings;
    f->strings = NULL;
    f->nstrings = f->capstrings = 0;
    f->fresh = false;
    f->space = f->neg = f->fixed = 0;
    f->brk = BRK_OK;
    f->outline = -1;
    for (size_t i = 0; i < f->ndests; i++)
        lay_add_dest(g, &r->items, f->dests[i], 0, 0);
    f->ndests = 0;
    if (f->marker != NULL) {
        const marker *mk = marker_of(g, f->marker_style, f->marker);
        oc_item *it = lay_push_item(lay_arena(g), &r->items);

        it->kind = OC_ITEM_TEXT;
        it->para = mk->line;
        it->x = f->marker_rtl ? f->marker_right : f->marker_right - mk->width;
        it->y = baseline > 0 ? baseline : height * 0.75;
        it->tag = f->marker_tag;
        f->marker = NULL;
    }
    return idx;
}

/* A vertical margin before the next row. Adjoining margins collapse
 * (CSS 2.1 §8.3.1): the largest positive one plus the most negative. */
void
lay_want_space(flow *f, double space)
{
    if (space > f->space)
        f->space = space;
    else if (space < f->neg)
        f->neg = space;
}

/* Padding: the margins pending above it are settled and it adds to them,
 * as what comes next will. */
static void
want_padding(flow *f, double pad)
{
    if (pad <= 0)
        return;
    f->fixed += f->space + f->neg + pad;
    f->space = f->neg = 0;
}

void
lay_want_brk(flow *f, int brk)
{
    if (brk > f->brk)
        f->brk = brk;
}

/* Pending destinations and strings with no row to carry them get an
 * empty one. */
void
lay_flush_dests(flow *f)
{
    if (f->ndests > 0 || f->marker != NULL || f->nstrings > 0)
        lay_add_row(f, f->marker ? f->marker_style->leading : 0, 0);
}

/* The named strings of computed style 'cs' (string-set) for element
 * 'n', content() being 'text' unless it is NULL, go with the next row. */
void
lay_pend_string_set(flow *f, const oc_style *cs, xmlNodePtr n,
                    const char *text)
{
    oc_arena *a = f->g->L->arena;

    for (size_t k = 0; k < cs->nstring_set; k++) {
        oc_named_string *s;

        f->strings = oc_arena_reserve(a, f->strings, f->nstrings,
                                      &f->capstrings, sizeof *f->strings);
        s = &f->strings[f->nstrings++];
        s->name = cs->string_set[k].name;
        s->value = oc_css_content_text_as(a, &cs->string_set[k].value, n,
                                          text);
        s->at_start = false;
    }
}

/* The named strings element 'n' sets (string-set) go with its first
 * row. Its content() is its running head when it is given apart: its
 * data-running-head, or for an h1 its chapter's short-title. */
void
lay_pend_strings(flow *f, xmlNodePtr n)
{
    const oc_style *cs = lay_style_of(f->g, n);
    const oc_chapter *ch = &f->g->b->chapters[f->chap];
    const char *text;

    if (cs->nstring_set == 0)
        return;
    text = lay_attr(f->g, n, "data-running-head", NULL);
    /* The title page's h1 is no chapter's. */
    if (text == NULL && is(n, "h1") && n->doc == ch->doc)
        text = ch->short_title;
    lay_pend_string_set(f, cs, n, text);
}

static int
brk_from_css(oc_break b)
{
    switch (b) {
    case OC_BREAK_AVOID:    return BRK_KEEP;
    case OC_BREAK_PAGE:     return BRK_PAGE;
    case OC_BREAK_RIGHT:
    case OC_BREAK_RECTO:    return BRK_RECTO;
    case OC_BREAK_LEFT:
    case OC_BREAK_VERSO:    return BRK_VERSO;
    default:                return BRK_OK;
    }
}

bool
lay_opens_page(const flow *f, const oc_style *cs)
{
    return f->brk >= BRK_PAGE || brk_from_css(cs->break_before) >= BRK_PAGE;
}

/* What opens block 'cs' in a measure 'cb' wide: a break before it, its
 * top margin and padding, a keep for break-inside: avoid. Percentages
 * are of the width, as CSS has them. */
void
lay_block_open(flow *f, const oc_style *cs, double cb)
{
    lay_want_brk(f, brk_from_css(cs->break_before));
    lay_want_space(f, oc_css_length(cs->margin[OC_SIDE_TOP], cb));
    want_padding(f, oc_css_length(cs->padding[OC_SIDE_TOP], cb));
    if (cs->break_inside == OC_BREAK_AVOID && f->keep++ == 0)
        f->keep_first = true;
}

/* And what closes it: padding, bottom margin, a break after it. */
void
lay_block_close(flow *f, const oc_style *cs, double cb)
{
    want_padding(f, oc_css_length(cs->padding[OC_SIDE_BOTTOM], cb));
    lay_want_space(f, oc_css_length(cs->margin[OC_SIDE_BOTTOM], cb));
    if (cs->break_inside == OC_BREAK_AVOID)
        f->keep--;
    lay_want_brk(f, brk_from_css(cs->break_after));
}

double
lay_note_gap(lay *g)
{
    return g->s->font_size * 0.25;
}

static void
attach_nested(lay *g, rowvec *out, size_t ri, const fnote *nt)
{
    for (size_t k = 0; k < nt->rows.n; k++)
        for (size_t m = 0; m < nt->rows.v[k].nnotes; m++)
            lay_attach_note(g, out, ri, nt->rows.v[k].notes[m]);
}

/* Make body row 'ri' carry note 'ni' (and the notes that note refers to)
 * unless an earlier reference already does. A reference from inside a
 * note is only recorded: it is attached with the note that holds it. */
void
lay_attach_note(lay *g, rowvec *out, size_t ri, size_t ni)
{
    fnote *nt = g->notes[ni];

    if (out != &g->body) {
        lay_row_add_note(lay_arena(g), &out->v[ri], ni);
        return;
    }
    if (nt->attached ||
        (nt->pool > 0 && nt->pool < g->paging.freed))  /* rows gone */
        return;
    nt->attached = true;
    lay_row_add_note(lay_arena(g), &out->v[ri], ni);
    attach_nested(g, out, ri, nt);
}

void
lay_add_image(lay *g, itemvec *items, const oc_picture *pic, double x,
              double y, double w, double h)
{
    push_box(g, items, OC_ITEM_IMAGE, x, y, w, h)->picture = pic;
}

/* What goes with line 'li' (the last of its layout when 'last') of
 * paragraph 'in' set in 'pl': link areas, destinations, inline images and
 * footnotes, placed in row 'ri' for a layout whose origin is at x0 and
 * whose line's top is at 'top'. */
void
lay_line_extras(flow *f, size_t ri, PangoLayout *pl, const inl *in,
                const lineinfo *li, bool last, double x0, double top,
                double size)
{
    lay *g = f->g;
    row *r = &f->out->v[ri];
    size_t tlen = in->text->len;
    size_t lo = (size_t)li->start, end = lo + (size_t)li->len;
    size_t hi = last ? tlen + 1 : end;
    double height = li->asc + li->desc;

    for (guint i = 0; i < in->links->len; i++) {
        linkspan *sp = &g_array_index(in->links, linkspan, i);
        size_t a = sp->start > lo ? sp->start : lo;
        size_t b = sp->end < end ? sp->end : end;
        int *ranges = NULL;
        int nr = 0;

        if (a >= b)
            continue;
        pango_layout_line_get_x_ranges(li->line, (int)a, (int)b, &ranges,
                                       &nr);
        for (int j = 0; j < nr; j++)
            lay_add_link(g, r, sp, x0 + PT(ranges[2 * j]), top,
                         PT(ranges[2 * j + 1] - ranges[2 * j]), height, size);
        g_free(ranges);
    }
    for (guint i = 0; i < in->anchors->len; i++) {
        anchor *an = &g_array_index(in->anchors, anchor, i);
        PangoRectangle pos;

        if (an->at < lo || an->at >= hi)
            continue;
        pango_layout_index_to_pos(pl, (int)(an->at < tlen ? an->at : tlen),
                                  &pos);
        lay_add_dest(g, &r->items, an->dest, x0 + PT(pos.x), top);
    }
    for (guint i = 0; i < in->objects->len; i++) {
        object *ob = &g_array_index(in->objects, object, i);
        PangoRectangle pos;
        double x;

        if (ob->at < lo || ob->at >= end)
            continue;
        pango_layout_index_to_pos(pl, (int)ob->at, &pos);
        x = x0 + PT(pos.width < 0 ? pos.x + pos.width : pos.x);
        lay_add_image(g, &r->items, ob->pic, x,
                      top + li->asc - ob->h + ob->desc, ob->w, ob->h);
    }
    for (guint i = 0; i < in->refs->len; i++) {
        ref *rf = &g_array_index(in->refs, ref, i);

        if (rf->at >= lo && rf->at < hi)
            lay_attach_note(g, f->out, ri, lay_layout_note(f, rf->note));
    }
}

/* The continuation mark of a code line that had to be wrapped: a grey
 * hooked arrow (U+21AA, which DejaVu Sans Mono has), made once. */
PangoLayoutLine *
lay_wrap_mark(lay *g, const bstyle *st, double *width)
{
    if (g->font.wrap_mark == NULL ||
        fabs(g->font.wrap_size - st->size) > EPS) {
        bstyle ms = *st;
        PangoLayout *pl;
        PangoAttrList *al = pango_attr_list_new();
        PangoRectangle log;
        lay_pool *pool = g->paging.pool;

        ms.rtl = false;
        ms.align = PANGO_ALIGN_LEFT;
        ms.justify = false;
        g->paging.pool = NULL;         /* kept for the book, not the chapter */
        pl = lay_new_layout(g, &ms, -1);
        g->paging.pool = pool;
        pango_layout_set_text(pl, "\u21AA", -1);
        pango_attr_list_insert(al, pango_attr_foreground_new(0x8000, 0x8000,
                                                             0x8000));
        pango_layout_set_attributes(pl, al);
        pango_attr_list_unref(al);
        pango_layout_get_extents(pl, NULL, &log);
        g->font.wrap_mark = pango_layout_get_line_readonly(pl, 0);
        g->font.wrap_size = st->size;
        g->font.wrap_width = PT(log.width);
    }
    *width = g->font.wrap_width;
    return g->font.wrap_mark;
}

/* Turn the lines of a paragraph layout into rows: links, anchors,
 * images and footnotes go with the line that holds them; 'keep' ties all
 * lines together (headings), otherwise widows and orphans are avoided.
 * In preformatted text a line that continues a wrapped one is marked at
 * the start of the room its layout's hanging indent leaves (flow_pre),
 * inside the block. */
void
lay_emit_lines(flow *f, PangoLayout *pl, const inl *in, const bstyle *st,
               bool keep)
{
    lay *g = f->g;
    GArray *lines = lay_measure_lines(g, pl, st);
    size_t n = lines->len;
    const srcmark *srcs = NULL;

    if (f->out == &g->body && n > 0 && in->srcs->len > 0) {
        srcmark *c = oc_arena_alloc(lay_arena(g),
                                    in->srcs->len * sizeof *c);

        srcs = memcpy(c, in->srcs->data, in->srcs->len * sizeof *c);
    }
    for (size_t k = 0; k < n; k++) {
        lineinfo *li = &g_array_index(lines, lineinfo, k);
        size_t ri;
        row *r;

        if (k > 0)
            lay_want_brk(f, keep || k < (size_t)st->orphans ||
                                    n - k < (size_t)st->widows ? BRK_KEEP
                                                               : BRK_OK);
        ri = lay_add_row(f, li->asc + li->desc, li->asc);
        r = &f->out->v[ri];
        if (srcs != NULL) {
            r->srcs = srcs;
            r->nsrcs = in->srcs->len;
            r->at = (size_t)li->start;
        }
        lay_add_text_item(g, &r->items, li->line, st->left + li->x, li->asc);
        if (in->pre && li->start > 0 &&
            in->text->str[li->start - 1] != '\n') {
            double mw;
            PangoLayoutLine *mark = lay_wrap_mark(g, st, &mw);

            lay_add_text_item(g, &r->items, mark,
                              st->rtl ? g->width - st->right - mw : st->left,
                              li->asc);
            r->items.v[r->items.n - 1].tag = &lay_artifact;
        }
        lay_line_extras(f, ri, pl, in, li, k + 1 == n, st->left, 0, st->size);
    }
    g_array_free(lines, TRUE);
}
