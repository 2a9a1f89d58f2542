/* layout-margins.c - page furniture and the finished book: page
 * counters, folios and running heads in the @page margin boxes, string-set
 * values carried from page to page, links resolved to their pages, and
 * the front matter and body assembled in order. */
#include "layout-int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fontlock.h"

/* Attributes over all of a margin box's text for what its font
 * description cannot say: colour, letter spacing, capitals, lines. */
static void
whole_attrs(PangoAttrList *al, const oc_style *cs)
{
    if (cs->color.r || cs->color.g || cs->color.b)
        pango_attr_list_insert(al, pango_attr_foreground_new(
                                   (guint16)(cs->color.r * 257),
                                   (guint16)(cs->color.g * 257),
                                   (guint16)(cs->color.b * 257)));
    if (cs->color.a != 255)
        pango_attr_list_insert(al, pango_attr_foreground_alpha_new(
                                   (guint16)(cs->color.a * 257)));
    if (fabs(cs->letter_spacing) > EPS)
        pango_attr_list_insert(al, pango_attr_letter_spacing_new(
                                   PU(cs->letter_spacing)));
    if (cs->text_transform != OC_TRANSFORM_NONE)
        pango_attr_list_insert(al, pango_attr_text_transform_new(
            cs->text_transform == OC_TRANSFORM_UPPERCASE
                ? PANGO_TEXT_TRANSFORM_UPPERCASE :
            cs->text_transform == OC_TRANSFORM_LOWERCASE
                ? PANGO_TEXT_TRANSFORM_LOWERCASE
                : PANGO_TEXT_TRANSFORM_CAPITALIZE));
    if (cs->text_decoration & OC_DECORATION_UNDERLINE)
        pango_attr_list_insert(al, pango_attr_underline_new(
                                   PANGO_UNDERLINE_SINGLE));
    if (cs->text_decoration & OC_DECORATION_OVERLINE)
        pango_attr_list_insert(al, pango_attr_overline_new(
                                   PANGO_OVERLINE_SINGLE));
    if (cs->text_decoration & OC_DECORATION_LINE_THROUGH)
        pango_attr_list_insert(al, pango_attr_strikethrough_new(TRUE));
}

/* The counter style counter(page) is printed in: the front matter shows
 * the decimal style as lower-case roman numerals, as books do. */
static oc_list_style
page_counter_style(bool body, oc_list_style s)
{
    return !body && s == OC_LIST_DECIMAL ? OC_LIST_LOWER_ROMAN : s;
}

/* The style the folios of the front matter or the body are printed in:
 * that of the first counter(page) in the margin boxes of a right page,
 * a left page, then their :first pages; lower-roman and decimal when
 * none shows the page number. */
oc_list_style
lay_folio_style(lay *g, bool body)
{
    static const unsigned kinds[] = {
        OC_PAGE_RIGHT, OC_PAGE_LEFT, OC_PAGE_RIGHT | OC_PAGE_FIRST,
        OC_PAGE_LEFT | OC_PAGE_FIRST
    };

    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const oc_page_style *ps = oc_css_page(g->style.css, kinds[k],
                                              g->style.root);

        for (int b = 0; b < OC_MBOX_COUNT; b++)
            for (size_t i = 0; i < ps->boxes[b].content.npieces; i++) {
                const oc_piece *pc = &ps->boxes[b].content.pieces[i];

                if (pc->kind == OC_PIECE_PAGE)
                    return page_counter_style(body, pc->counter_style);
            }
    }
    return body ? OC_LIST_DECIMAL : OC_LIST_LOWER_ROMAN;
}

/* Page number 'n' of the front matter or the body as its folios print
 * it. */
const char *
lay_folio_text(lay *g, bool body, long n)
{
    char buf[64];

    oc_css_counter_format((int)n, g->style.folios[body], buf, sizeof buf);
    return oc_arena_strdup(g->L->arena, buf);
}

/* The value of named string 'name' for a page (CSS GCPM 3 §1.2): from
 * its own assignments, or the one in effect when it starts ('cur'). */
static const char *
string_value(GHashTable *cur, const oc_page *p, const char *name,
             oc_string_which which)
{
    const char *first = NULL, *last = NULL, *start = NULL;
    const char *entry = g_hash_table_lookup(cur, name);

    for (size_t i = 0; i < p->nstrings; i++) {
        if (strcmp(p->strings[i].name, name) != 0)
            continue;
        if (first == NULL)
            first = p->strings[i].value;
        if (start == NULL && p->strings[i].at_start)
            start = p->strings[i].value;
        last = p->strings[i].value;
    }
    if (entry == NULL)
        entry = "";
    switch (which) {
    case OC_STRING_START:        return start ? start : entry;
    case OC_STRING_LAST:         return last ? last : entry;
    case OC_STRING_FIRST_EXCEPT: return first ? "" : entry;
    default:                     return first ? first : entry;
    }
}

/* A page's numbers: its own, and how many pages its numbering has. */
typedef struct folio {
    bool body;                  /* counted with the body, not the front */
    long n, total;
} folio;

/* The most bytes of text a margin box sets: one line, that no type
 * stretches so far, however long the title in it (a 1 MB title set on
 * each of 350 pages took 3 minutes and 5 GB); more is cut at a character,
 * with an ellipsis. */
#define MAX_BOX_TEXT 500

/* The text of margin box content 'c' on page 'p'. */
static const char *
box_text(lay *g, const oc_content *c, const oc_page *p, GHashTable *cur,
         const folio *fo)
{
    GString *s = g_string_new(NULL);
    const char *out;
    char buf[64];

    for (size_t i = 0; i < c->npieces; i++) {
        const oc_piece *pc = &c->pieces[i];

        switch (pc->kind) {
        case OC_PIECE_TEXT:
            g_string_append(s, pc->text);
            break;
        case OC_PIECE_PAGE:
        case OC_PIECE_PAGES:
            oc_css_counter_format((int)(pc->kind == OC_PIECE_PAGE
                                            ? fo->n : fo->total),
                                  page_counter_style(fo->body,
                                                     pc->counter_style),
                                  buf, sizeof buf);
            g_string_append(s, buf);
            break;
        case OC_PIECE_STRING:
            g_string_append(s, string_value(cur, p, pc->text, pc->which));
            break;
        default:
            break;
        }
        if (s->len > MAX_BOX_TEXT) {
            size_t n = MAX_BOX_TEXT;

            while (n > 0 && ((unsigned char)s->str[n] & 0xc0) == 0x80)
                n--;
            g_string_truncate(s, n);
            g_string_append(s, "\u2026");
            break;
        }
    }
    out = oc_arena_strndup(lay_arena(g), s->str, s->len);
    g_string_free(s, TRUE);
    return out;
}

/* The area of margin box 'k' on a page 'W' × 'H' of style 'ps' (CSS
 * Paged Media 3 §5.3, simplified): the boxes of the top and bottom rows
 * span the text block's width, each aligning its content in it; the
 * side boxes take a third of the text block's height each. */
static void
box_area(const oc_page_style *ps, double W, double H, int k, double r[4])
{
    double ml = ps->margin[OC_SIDE_LEFT], mr = ps->margin[OC_SIDE_RIGHT];
    double mt = ps->margin[OC_SIDE_TOP], mb = ps->margin[OC_SIDE_BOTTOM];
    double cw = W - ml - mr, third = (H - mt - mb) / 3;
    double x = ml, y = 0, w = cw, h = mt;

    switch (k) {
    case OC_MBOX_TOP_LEFT_CORNER:     x = 0; w = ml; break;
    case OC_MBOX_TOP_RIGHT_CORNER:    x = W - mr; w = mr; break;
    case OC_MBOX_BOTTOM_LEFT_CORNER:  x = 0; w = ml; y = H - mb; h = mb;
                                      break;
    case OC_MBOX_BOTTOM_RIGHT_CORNER: x = W - mr; w = mr; y = H - mb;
                                      h = mb; break;
    case OC_MBOX_BOTTOM_LEFT:
    case OC_MBOX_BOTTOM_CENTER:
    case OC_MBOX_BOTTOM_RIGHT:        y = H - mb; h = mb; break;
    case OC_MBOX_LEFT_TOP:
    case OC_MBOX_LEFT_MIDDLE:
    case OC_MBOX_LEFT_BOTTOM:
    case OC_MBOX_RIGHT_TOP:
    case OC_MBOX_RIGHT_MIDDLE:
    case OC_MBOX_RIGHT_BOTTOM:
        x = k >= OC_MBOX_LEFT_BOTTOM ? 0 : W - mr;
        w = k >= OC_MBOX_LEFT_BOTTOM ? ml : mr;
        h = third;
        y = mt + third * (k == OC_MBOX_LEFT_TOP || k == OC_MBOX_RIGHT_TOP
                              ? 0 :
                          k == OC_MBOX_LEFT_MIDDLE ||
                          k == OC_MBOX_RIGHT_MIDDLE ? 1 : 2);
        break;
    default:
        break;
    }
    r[0] = x;
    r[1] = y;
    r[2] = w;
    r[3] = h;
}

/* Whether 'c' may end a shortened running head before its ellipsis: not
 * a space, nor a mark that leads on to what was cut (a colon, a comma, a
 * dash, an opening bracket or quote). */
static bool
may_end_cut(gunichar c)
{
    static const gunichar leads[] = {
        ',', ';', ':', '/', '-', '(', '[', '{', 0x2013, 0x2014, 0x2018,
        0x201C, 0x201E, 0x00AB
    };

    if (g_unichar_isspace(c))
        return false;
    for (size_t k = 0; k < sizeof leads / sizeof leads[0]; k++)
        if (c == leads[k])
            return false;
    return true;
}

/* Shorten the text of margin box layout 'pl' to fit 'room' points: cut
 * at the last break opportunity (a space, or between two ideographs)
 * where it fits with an ellipsis, spaces and leading punctuation before
 * the cut dropped, so that no word is cut ("…Multithreaded W…"). A text
 * whose first word does not fit is ellipsized inside it. */
static void
shorten_box(PangoLayout *pl, double room)
{
    char *text = g_strdup(pango_layout_get_text(pl));
    int nla = 0, lo = 0, hi;
    const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(pl, &nla);
    GArray *cuts = g_array_new(FALSE, FALSE, sizeof(size_t));
    const char *p = text;
    GString *s = g_string_new(NULL);

    for (int i = 0; i < nla && *p != '\0'; i++, p = g_utf8_next_char(p)) {
        const char *end = p;
        size_t at;

        if (i == 0 || !la[i].is_line_break)
            continue;
        while (end > text) {
            const char *prev = g_utf8_prev_char(end);

            if (may_end_cut(g_utf8_get_char(prev)))
                break;
            end = prev;
        }
        at = (size_t)(end - text);
        if (at > 0)
            g_array_append_val(cuts, at);
    }
    hi = (int)cuts->len - 1;
    while (lo <= hi) {          /* the longest cut that fits */
        int mid = (lo + hi) / 2;
        PangoRectangle log;

        g_string_assign(s, "");
        g_string_append_len(s, text, (gssize)g_array_index(cuts, size_t,
                                                           mid));
        g_string_append(s, "\u2026");
        pango_layout_set_text(pl, s->str, (int)s->len);
        pango_layout_get_extents(pl, NULL, &log);
        if (PT(log.width) <= room)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    g_string_assign(s, "");
    if (hi >= 0) {
        g_string_append_len(s, text, (gssize)g_array_index(cuts, size_t, hi));
        g_string_append(s, "\u2026");
        pango_layout_set_text(pl, s->str, (int)s->len);
    } else {
        pango_layout_set_text(pl, text, -1);
        pango_layout_set_width(pl, PU(room));
        pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
    }
    g_string_free(s, TRUE);
    g_array_free(cuts, TRUE);
    g_free(text);
}

typedef struct mbox {
    PangoLayout *pl;
    bstyle       st;
    double       w;             /* natural width of its text */
} mbox;

/* Draw the margin boxes of page 'p' (its @page style 'ps'): each box
 * whose content is not empty is one line in its style, shortened to fit
 * (a centre box also leaves room for its neighbours), aligned in its area
 * by text-align and vertical-align (middle unless top or bottom), inside
 * its padding. Boxes above the text come first in the page's items. */
static void
margin_boxes(lay *g, oc_page *p, const oc_page_style *ps, GHashTable *cur,
             const folio *fo)
{
    itemvec head = { NULL, 0, 0 }, foot = { NULL, 0, 0 };
    mbox box[OC_MBOX_COUNT];
    double W = g->s->width, H = g->s->height;

    memset(box, 0, sizeof box);
    for (int k = 0; k < OC_MBOX_COUNT; k++) {
        const oc_margin_box *mb = &ps->boxes[k];
        const char *text;
        PangoAttrList *al;
        PangoRectangle log;

        if (mb->content.npieces == 0)
            continue;
        text = box_text(g, &mb->content, p, cur, fo);
        if (*text == '\0')
            continue;
        box[k].st.lang = g->s->language;
        lay_set_type(g, &box[k].st, mb->style);
        box[k].st.align = PANGO_ALIGN_LEFT;
        box[k].st.justify = false;
        box[k].pl = lay_new_layout(g, &box[k].st, -1);
        pango_layout_set_text(box[k].pl, text, -1);
        al = pango_attr_list_new();
        pango_attr_list_insert(al, pango_attr_language_new(
                                   pango_language_from_string(
                                       box[k].st.lang)));
        whole_attrs(al, mb->style);
        pango_layout_set_attributes(box[k].pl, al);
        pango_attr_list_unref(al);
        pango_layout_get_extents(box[k].pl, NULL, &log);
        box[k].w = PT(log.width);
    }
    for (int k = 0; k < OC_MBOX_COUNT; k++) {
        const oc_style *cs = ps->boxes[k].style;
        double r[4], room, x, y, asc, desc, pl, pr, pt, pb, side = 0;
        PangoRectangle log;
        oc_text_align a = cs->text_align;

        if (box[k].pl == NULL)
            continue;
        box_area(ps, W, H, k, r);
        pl = oc_css_length(cs->padding[OC_SIDE_LEFT], r[2]);
        pr = oc_css_length(cs->padding[OC_SIDE_RIGHT], r[2]);
        pt = oc_css_length(cs->padding[OC_SIDE_TOP], r[2]);
        pb = oc_css_length(cs->padding[OC_SIDE_BOTTOM], r[2]);
        room = r[2] - pl - pr;
        if (k == OC_MBOX_TOP_CENTER || k == OC_MBOX_BOTTOM_CENTER) {
            side = fmax(box[k - 1].w, box[k + 1].w);
            if (side > 0)
                room -= 2 * (side + 2 * box[k].st.size);
        }
        if (room < box[k].st.size)
            room = box[k].st.size;
        if (box[k].w > room)
            shorten_box(box[k].pl, room);
        pango_layout_get_extents(box[k].pl, NULL, &log);
        box[k].w = PT(log.width);
        asc = PT(pango_layout_get_baseline(box[k].pl)) - PT(log.y);
        desc = PT(log.y + log.height) - asc;
        if (cs->vertical_align == OC_VALIGN_TOP ||
            cs->vertical_align == OC_VALIGN_TEXT_TOP)
            y = r[1] + pt + asc;
        else if (cs->vertical_align == OC_VALIGN_BOTTOM ||
                 cs->vertical_align == OC_VALIGN_TEXT_BOTTOM)
            y = r[1] + r[3] - pb - desc;
        else
            y = r[1] + pt + (r[3] - pt - pb - asc - desc) / 2 + asc;
        if (a == OC_ALIGN_START || a == OC_ALIGN_JUSTIFY)
            a = box[k].st.rtl ? OC_ALIGN_RIGHT : OC_ALIGN_LEFT;
        else if (a == OC_ALIGN_END)
            a = box[k].st.rtl ? OC_ALIGN_LEFT : OC_ALIGN_RIGHT;
        x = r[0] + pl;
        if (a == OC_ALIGN_RIGHT)
            x += r[2] - pl - pr - box[k].w;
        else if (a == OC_ALIGN_CENTER)
            x += (r[2] - pl - pr - box[k].w) / 2;
        lay_add_text_item(g, r[1] < ps->margin[OC_SIDE_TOP] ? &head : &foot,
                          pango_layout_get_line_readonly(box[k].pl, 0),
                          x - PT(log.x), y);
    }
    if (head.n + foot.n > 0) {
        oc_item *all = oc_arena_alloc(lay_arena(g), (head.n + p->nitems +
                                                   foot.n) * sizeof *all);

        if (head.n > 0)
            memcpy(all, head.v, head.n * sizeof *all);
        if (p->nitems > 0)
            memcpy(all + head.n, p->items, p->nitems * sizeof *all);
        if (foot.n > 0)
            memcpy(all + head.n + p->nitems, foot.v, foot.n * sizeof *all);
        p->items = all;
        p->nitems += head.n + foot.n;
    }
}

/* The chapter that destination 'name' lies in (lay_dest_name()), or -1. */
static long
dest_chapter(const char *name)
{
    char *end;
    long c;

    if (name[0] != 'c' || name[1] < '1' || name[1] > '9')
        return -1;
    c = strtol(name + 1, &end, 10);
    return *end == '\0' || *end == '-' ? c - 1 : -1;
}

/* Drop the links of page 'p' to destinations that no page holds, so that
 * the PDF never names a missing one. Those of chapters from 'unknown' on,
 * which are not on pages yet, are kept and remembered (g->links.pending). */
static void
page_links(lay *g, oc_page *p, size_t unknown)
{
    size_t o = 0;

    for (size_t k = 0; k < p->nitems; k++) {
        oc_item *it = &p->items[k];

        if (it->kind == OC_ITEM_LINK && it->dest != NULL &&
            !g_hash_table_contains(g->links.dests, it->dest)) {
            long c = dest_chapter(it->dest);

            if (c >= 0 && (size_t)c < unknown)
                continue;
            g_ptr_array_add(g->links.pending, (gpointer)it->dest);
        }
        p->items[o++] = *it;
    }
    p->nitems = o;
}

/* The most pages cut that wait for destinations (body_pages). */
enum { HOLD_PAGES = 48 };

/* Does page 'p' link to a destination of chapter 'chap' not made yet? */
static bool
links_ahead(lay *g, const oc_page *p, size_t chap)
{
    for (size_t k = 0; k < p->nitems; k++) {
        const oc_item *it = &p->items[k];

        if (it->kind == OC_ITEM_LINK && it->dest != NULL &&
            dest_chapter(it->dest) == (long)chap &&
            !g_hash_table_contains(g->links.dests, it->dest))
            return true;
    }
    return false;
}

/* Whether a margin box counts all the pages (counter(pages)): no page is
 * final before the last. */
bool
lay_counts_pages(lay *g)
{
    for (unsigned f = 0; f < 16; f++) {
        const oc_page_style *ps = oc_css_page(g->style.css, f, g->style.root);

        for (int k = 0; k < OC_MBOX_COUNT; k++)
            for (size_t i = 0; i < ps->boxes[k].content.npieces; i++)
                if (ps->boxes[k].content.pieces[i].kind == OC_PIECE_PAGES)
                    return true;
    }
    return false;
}

/* Page 'p', final: its folio and margin boxes (fo), the strings it sets
 * (into 'cur'), and to the sink. */
static void
finish_page(lay *g, oc_page *p, GHashTable *cur, const folio *fo,
            bool boxes)
{
    p->label = lay_folio_text(g, fo->body, fo->n);
    if (boxes) {
        oc_fonts_lock();
        margin_boxes(g, p, lay_page_style(g, p, !fo->body && fo->n == 1), cur,
                     fo);
        oc_fonts_unlock();
    }
    for (size_t k = 0; k < p->nstrings; k++)
        g_hash_table_insert(cur, (gpointer)p->strings[k].name,
                            (gpointer)p->strings[k].value);
    if (g->out.sink != NULL && !g->paging.too_many)
        g->out.sink(&g->L->pub, p, g->out.sink_data);
}

/* Paginate the body rows from *from up to the last 'tail' (none: 0),
 * or as far as rows 'ahead' high follow (lay_paginate), and finish the
 * pages made. */
static void
body_pages(lay *g, size_t *from, size_t tail, double ahead)
{
    rowvec *body = &g->body;
    size_t unknown;

    lay_paginate(g, body, &g->paging.pages, from, tail, ahead);
    unknown = *from < body->n ? (size_t)body->v[*from].chap
                              : g->b->nchapters;
    for (; g->paging.done < g->paging.pages.n && !g->paging.too_many;
         g->paging.done++) {
        oc_page *p = &g->paging.pages.v[g->paging.done];
        folio fo = { true, (long)g->paging.done + 1, (long)g->paging.pages.n };

        /* Within a chapter, a page waits for the destinations it links
         * to further on in it: whether they are made decides its links
         * (page_links), as when the chapter is all laid out. Not for
         * long: then they are kept, and one never made lands on the
         * contents, as a link to a later chapter's does. */
        if (ahead > 0 && links_ahead(g, p, unknown) &&
            g->paging.pages.n - g->paging.done <= HOLD_PAGES)
            return;
        page_links(g, p, unknown);
        finish_page(g, p, g->paging.cur, &fo, true);
    }
    lay_release_pools(g, from);
}

/* Paginate the body rows from *from, all of them when 'all', else up to
 * the last that opens a page, and finish the pages made. */
void
lay_body_pages(lay *g, size_t *from, bool all)
{
    rowvec *body = &g->body;
    size_t tail = 0;

    if (!all) {
        size_t r = body->n;

        while (r > *from + 1 && body->v[r - 1].brk < BRK_PAGE)
            r--;
        if (r <= *from + 1)
            return;
        tail = body->n - (r - 1);
    }
    body_pages(g, from, tail, 0);
}

void
lay_body_pages_ahead(lay *g, size_t *from, double ahead)
{
    body_pages(g, from, 0, ahead);
}

/* The pages of the title page and its imprint: 2, or 0 without them. */
static size_t
title_pages(const lay *g)
{
    return g->b->m != NULL && g->b->m->hide_title_page ? 0 : 2;
}

/* Finish the front matter: its folios, margin boxes (not on the title
 * page and the imprint), links. A destination linked to that no page
 * holds lands on the contents (or the title page). */
void
lay_front_pages(lay *g, bool toc)
{
    GHashTable *cur = g_hash_table_new(g_str_hash, g_str_equal);
    size_t nf = g->paging.front.n, nt = title_pages(g);
    size_t land = toc && nf > nt ? nt : 0;

    for (guint k = 0; k < g->links.pending->len && nf > 0; k++) {
        oc_page *p = &g->paging.front.v[land];
        itemvec v = { p->items, p->nitems, p->nitems };

        lay_add_dest(g, &v, g_ptr_array_index(g->links.pending, k), 0, 0);
        p->items = v.v;
        p->nitems = v.n;
    }
    for (size_t i = 0; i < nf; i++) {
        oc_page *p = &g->paging.front.v[i];
        folio fo = { false, (long)i + 1, (long)nf };

        p->chapter = -1;
        page_links(g, p, g->b->nchapters);
        finish_page(g, p, cur, &fo, i >= nt);
    }
    g_hash_table_destroy(cur);
}

/* The book's pages in order, the front matter then the body, numbered
 * through; and its outline. */
void
lay_assemble(lay *g, bool toc)
{
    oc_layout *L = g->L;
    size_t nf = g->paging.front.n, n = nf + g->paging.pages.n;
    size_t extra = toc ? 1 : 0;

    L->pub.pages = oc_arena_alloc(L->arena,
                                  (n ? n : 1) * sizeof *L->pub.pages);
    L->pub.npages = n;
    L->pub.nfront = nf;
    for (size_t i = 0; i < n; i++) {
        oc_page *p = &L->pub.pages[i];

        *p = i < nf ? g->paging.front.v[i] : g->paging.pages.v[i - nf];
        p->number = (int)i + 1;
        p->recto = p->number % 2 == 1;
    }
    L->pub.outline = oc_arena_alloc(L->arena, (g->noutline + extra) *
                                          sizeof *L->pub.outline + 1);
    L->pub.noutline = g->noutline + extra;
    if (toc) {
        L->pub.outline[0].level = 1;
        L->pub.outline[0].title = lay_label(g, OC_LABEL_CONTENTS);
        L->pub.outline[0].dest = "toc";
        L->pub.outline[0].page = (int)title_pages(g) + 1;
    }
    for (size_t i = 0; i < g->noutline; i++) {
        L->pub.outline[extra + i] = g->outline[i];
        if (g->outline[i].page > 0)
            L->pub.outline[extra + i].page += (int)nf;
    }
}
