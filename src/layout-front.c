/* layout-front.c - the front matter: its elements as a small DOM styled
 * by the same cascade, the title page and imprint, and the contents with
 * the body's page numbers. */
#include "layout-int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shape.h"

const char *
lay_label(const lay *g, oc_label_id id)
{
    const oc_manifest *m = g->b->m;

    return oc_label(m ? m->labels : NULL, m ? m->language : NULL, id);
}

/* The type of front-matter element 'k' (see lay_front_doc()). */
static bstyle
front_style(lay *g, int k)
{
    bstyle st;

    memset(&st, 0, sizeof st);
    st.lang = g->s->language;
    lay_set_type(g, &st, lay_style_of(g, g->fmt.fm[k]));
    return st;
}

/* The named strings that front-matter element 'k' sets, onto page 'p'. */
static void
front_strings(lay *g, oc_page *p, int k)
{
    flow f;
    GArray *v = g_array_new(FALSE, TRUE, sizeof(oc_named_string));

    memset(&f, 0, sizeof f);
    f.g = g;
    lay_pend_strings(&f, g->fmt.fm[k]);
    for (size_t i = 0; i < f.nstrings; i++)
        lay_push_string(v, &f.strings[i], true);
    lay_set_page_strings(g, p, v);
    g_array_free(v, TRUE);
}

/* Centre 'text' in 'st' on the page at 'y' (the top of its first line),
 * a paragraph of the structure tree; returns the y below it. */
static double
centred(lay *g, itemvec *items, const oc_page *p, const bstyle *st,
        const char *text, double y)
{
    PangoLayout *pl = lay_text_layout(g, st, text, g->width);
    GArray *lines = lay_measure_lines(g, pl, st);
    size_t from = items->n;

    for (guint k = 0; k < lines->len; k++) {
        lineinfo *li = &g_array_index(lines, lineinfo, k);

        lay_add_text_item(g, items, li->line, lay_page_left(g, p) + li->x,
                          y + li->asc);
        y += li->asc + li->desc;
    }
    lay_tag_items(items, from, lay_new_tag(g, g->doc, "P", st->lang));
    g_array_free(lines, TRUE);
    return y;
}

/* The named strings the title page would set (the book's title, for
 * the running heads), set without it. */
static void
title_strings(lay *g)
{
    flow f;

    memset(&f, 0, sizeof f);
    f.g = g;
    lay_pend_strings(&f, g->fmt.fm[FM_TITLE]);
    for (size_t i = 0; i < f.nstrings; i++)
        g_hash_table_insert(g->paging.cur, (gpointer)f.strings[i].name,
                            (gpointer)f.strings[i].value);
}

/* The title page (recto) and the imprint on its verso; neither when the
 * manifest says title-page: false. */
void
lay_title_pages(lay *g)
{
    const oc_manifest *m = g->b->m;
    oc_page *p;
    itemvec items = { NULL, 0, 0 };
    bstyle st;
    double y, fs = g->s->font_size / 11.0;
    double top, height;
    GString *s;

    if (m != NULL && m->hide_title_page) {
        title_strings(g);
        return;
    }
    p = lay_new_page(g, &g->paging.front);
    top = lay_page_top(g, p);
    height = lay_page_text_height(g, p);

    /* The title page: title, subtitle, authors, and the publisher at the
     * foot of the text block, in the styles of the EPUB's title page
     * (section.titlepage: h1.title, p.subtitle, p.author, p.publisher). */
    y = top + height * 0.22;
    st = front_style(g, FM_TITLE);
    y = centred(g, &items, p, &st, m->title ? m->title : "", y);
    if (m->subtitle != NULL) {
        st = front_style(g, FM_SUBTITLE);
        y = centred(g, &items, p, &st, m->subtitle, y + 10 * fs);
    }
    y += 48 * fs;
    st = front_style(g, FM_AUTHOR);
    for (size_t i = 0; i < m->nauthors; i++)
        y = centred(g, &items, p, &st, m->authors[i].name, y);
    /* Under them the contributors, "Translated by ...", in the style of
     * p.contributor, after its margin-top. */
    if (m->ncontributors > 0) {
        st = front_style(g, FM_CONTRIBUTOR);
        if (m->nauthors > 0)
            y += oc_css_length(st.cs->margin[OC_SIDE_TOP], g->width);
        for (size_t i = 0; i < m->ncontributors; i++) {
            char *credit = g_strdup_printf(
                "%s %s",
                oc_label_credit(m->labels, m->language,
                                m->contributors[i].role),
                m->contributors[i].name);

            y = centred(g, &items, p, &st, credit, y);
            g_free(credit);
        }
    }
    if (m->publisher != NULL) {
        st = front_style(g, FM_PUBLISHER);
        centred(g, &items, p, &st, m->publisher,
                top + height - st.leading);
    }
    p = &g->paging.front.v[g->paging.front.n - 1];
    p->items = items.v;
    p->nitems = items.n;
    front_strings(g, p, FM_TITLE);

    /* The imprint, on the verso, set at the foot of the text block. */
    p = lay_new_page(g, &g->paging.front);
    memset(&items, 0, sizeof items);
    s = g_string_new(NULL);
    for (size_t i = 0; i < m->ncontributors; i++)
        g_string_append_printf(s, "%s %s\n",
                               oc_label_credit(m->labels, m->language,
                                               m->contributors[i].role),
                               m->contributors[i].name);
    if (m->rights != NULL)
        g_string_append_printf(s, "%s\n", m->rights);
    if (m->publisher != NULL)
        g_string_append_printf(s, "%s %s\n",
                               lay_label(g, OC_LABEL_PUBLISHED_BY),
                               m->publisher);
    if (m->date != NULL)
        g_string_append_printf(s, "%s\n", m->date);
    if (m->identifier != NULL && m->identifier_scheme != NULL &&
        strcmp(m->identifier_scheme, "isbn") == 0)
        g_string_append_printf(s, "ISBN %s\n",
                               strncmp(m->identifier, "urn:isbn:", 9) == 0
                                   ? m->identifier + 9 : m->identifier);
    if (s->len > 0) {
        PangoLayout *pl;
        GArray *lines;
        double h = 0;

        g_string_truncate(s, s->len - 1);
        st = front_style(g, FM_COLOPHON);
        pl = lay_text_layout(g, &st, s->str, g->width);
        lines = lay_measure_lines(g, pl, &st);
        for (guint k = 0; k < lines->len; k++)
            h += g_array_index(lines, lineinfo, k).asc +
                 g_array_index(lines, lineinfo, k).desc;
        y = lay_page_top(g, p) + lay_page_text_height(g, p) - h;
        for (guint k = 0; k < lines->len; k++) {
            lineinfo *li = &g_array_index(lines, lineinfo, k);

            lay_add_text_item(g, &items, li->line, lay_page_left(g, p) + li->x,
                              y + li->asc);
            y += li->asc + li->desc;
        }
        lay_tag_items(&items, 0, lay_new_tag(g, g->doc, "P", st.lang));
        g_array_free(lines, TRUE);
    }
    g_string_free(s, TRUE);
    p = &g->paging.front.v[g->paging.front.n - 1];
    p->items = items.v;
    p->nitems = items.n;
}

/* Rows for the lines of 'text' in 'st', kept together. */
static void
text_rows(flow *f, const bstyle *st, const char *text)
{
    lay *g = f->g;
    PangoLayout *pl = lay_text_layout(g, st, text, g->width);
    GArray *lines = lay_measure_lines(g, pl, st);

    for (guint k = 0; k < lines->len; k++) {
        lineinfo *li = &g_array_index(lines, lineinfo, k);
        size_t ri;

        if (k > 0)
            lay_want_brk(f, BRK_KEEP);
        ri = lay_add_row(f, li->asc + li->desc, li->asc);
        lay_add_text_item(g, &f->out->v[ri].items, li->line, li->x, li->asc);
    }
    g_array_free(lines, TRUE);
}

bool
lay_in_toc(lay *g, const oc_outline_entry *e)
{
    if (g->b->m != NULL && g->b->m->hide_toc)
        return false;           /* toc: false, no contents at all */
    return (e->toc_level > 0 || e->level <= g->L->pub.toc_depth) &&
           e->title[0] != '\0' && e->page > 0;
}

/* A folio of the contents, in figures of one width. */
static PangoLayout *
folio_layout(lay *g, const bstyle *st, const char *num)
{
    PangoLayout *pl = lay_new_layout(g, st, -1);
    PangoAttrList *al = pango_attr_list_new();

    pango_layout_set_text(pl, num, -1);
    pango_attr_list_insert(al, pango_attr_language_new(
                               pango_language_from_string(st->lang)));
    pango_attr_list_insert(al, pango_attr_font_features_new("tnum"));
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    return pl;
}

/* The rank of outline entry e in the contents. */
static int
toc_level(const oc_outline_entry *e)
{
    return e->toc_level > 0 ? e->toc_level : e->level;
}

/* The level of the entry of the contents after outline entry 'i', or 0
 * when it is the last. */
static int
next_toc_level(lay *g, size_t i)
{
    while (++i < g->noutline)
        if (lay_in_toc(g, &g->outline[i]))
            return toc_level(&g->outline[i]);
    return 0;
}

/* The dots that lead from an entry to its folio, on the grid of the
 * whole contents (TeX's leaders), as one repeated item. */
typedef struct leader {
    PangoLayoutLine *dot;
    double           dotw, pitch;
    double           W;             /* the folios end here */
} leader;

/* The leader from 'from' to 'right' and folio layout 'nl' after it, on
 * row 'r' with the baseline 'asc' down. */
static void
toc_leader(lay *g, row *r, const leader *ld, double from, double right,
           PangoLayout *nl, double asc)
{
    PangoRectangle ll;
    unsigned ndots = 0;

    for (double x = right - ld->pitch; x >= from; x -= ld->pitch)
        ndots++;
    if (ndots > 0) {
        oc_item *it;

        lay_add_text_item(g, &r->items, ld->dot,
                          right - ld->pitch + (ld->pitch - ld->dotw) / 2,
                          asc);
        it = &r->items.v[r->items.n - 1];
        it->repeat = ndots - 1;
        it->pitch = -ld->pitch;
    }
    pango_layout_get_extents(nl, NULL, &ll);
    lay_add_text_item(g, &r->items, pango_layout_get_line_readonly(nl, 0),
                      ld->W - PT(ll.width), asc);
}

/* The contents: the headings to toc-depth, indented by rank, each with a
 * dot leader to its folio and a link to it. Set as rows, after the body
 * was paginated, so that every folio is known. Leader dots stand on one
 * grid, counted from the folio column, so that they line up down the
 * page. */
void
lay_toc_rows(lay *g, rowvec *rows)
{
    bstyle st = front_style(g, FM_TOC_ENTRY);
    bstyle hs = front_style(g, FM_TOC_TITLE);
    double em = st.size;
    double W = g->width, numw = 0;
    const oc_style *hcs = lay_style_of(g, g->fmt.fm[FM_TOC_TITLE]);
    PangoLayout *pl;
    PangoRectangle log;
    leader ld;
    flow f;
    oc_tag *toc;
    int prev = 0;

    /* The contents open a recto, their title styled as the EPUB's nav
     * h1; the entries as its links. */
    memset(&f, 0, sizeof f);
    f.g = g;
    f.out = rows;
    f.outline = -1;
    lay_pend_dest(&f, "toc");
    f.brk = BRK_RECTO;
    lay_block_open(&f, hcs, W);
    lay_pend_strings(&f, g->fmt.fm[FM_TOC_TITLE]);
    f.tag = lay_new_tag(g, g->doc, "H1", NULL);
    text_rows(&f, &hs, lay_label(g, OC_LABEL_CONTENTS));
    lay_block_close(&f, hcs, W);
    toc = lay_new_tag(g, g->doc, "TOC", NULL);

    /* The widest folio, measured in one layout given each in turn (a
     * layout each stayed in memory to the end). */
    pl = folio_layout(g, &st, "");
    for (size_t i = 0; i < g->noutline; i++) {
        if (!lay_in_toc(g, &g->outline[i]))
            continue;
        pango_layout_set_text(pl, lay_folio_text(g, true,
                                                 g->outline[i].page), -1);
        pango_layout_get_extents(pl, NULL, &log);
        if (PT(log.width) > numw)
            numw = PT(log.width);
    }
    pl = lay_text_layout(g, &st, ".", -1);
    pango_layout_get_extents(pl, NULL, &log);
    ld.dot = pango_layout_get_line_readonly(pl, 0);
    ld.dotw = PT(log.width);
    ld.pitch = em * 0.5;
    ld.W = W;

    for (size_t i = 0; i < g->noutline; i++) {
        const oc_outline_entry *e = &g->outline[i];
        int level = toc_level(e);
        double indent = (level - 1) * em * 1.5, hang = em;
        double right = W - numw - em * 0.6;     /* the leaders' end */
        linkspan sp = { 0, 0, NULL, e->dest };
        bstyle es = st;
        const char *num;
        GArray *lines;
        PangoLayout *tl;

        if (!lay_in_toc(g, e))
            continue;
        if (level >= 3 && oc_shape_takes_italic(e->title))
            es.slant = PANGO_STYLE_ITALIC;
        if (level == 1 && prev > 0)
            lay_want_space(&f, g->s->leading * 0.5);
        /* A part stays with its first entry, and its last entry with
         * the one before. */
        if (prev > 0 && (level > prev ||
                         (level > 1 && next_toc_level(g, i) < level)))
            lay_want_brk(&f, BRK_KEEP);
        prev = level;
        f.tag = lay_new_tag(g, toc, "TOCI", NULL);
        tl = lay_new_layout(g, &es, right - indent - em);
        pango_layout_set_wrap(tl, PANGO_WRAP_WORD);
        pango_layout_set_indent(tl, -PU(hang));
        pango_layout_set_text(tl, e->title, -1);
        {
            PangoAttrList *al = pango_attr_list_new();

            pango_attr_list_insert(al, pango_attr_language_new(
                                       pango_language_from_string(es.lang)));
            pango_layout_set_attributes(tl, al);
            pango_attr_list_unref(al);
        }
        lines = lay_measure_lines(g, tl, &es);
        num = lay_folio_text(g, true, e->page);
        for (guint k = 0; k < lines->len; k++) {
            lineinfo *li = &g_array_index(lines, lineinfo, k);
            double h = li->asc + li->desc;
            size_t ri;
            row *r;

            if (k > 0)
                lay_want_brk(&f, BRK_KEEP);
            ri = lay_add_row(&f, h, li->asc);
            r = &rows->v[ri];
            lay_add_text_item(g, &r->items, li->line, indent + li->x, li->asc);
            lay_add_link(g, r, &sp, indent, 0, W - indent, h, em);
            if (k + 1 == lines->len) {
                PangoRectangle ll;

                pango_layout_line_get_extents(li->line, NULL, &ll);
                toc_leader(g, r, &ld, indent + li->x + PT(ll.width) + em / 2,
                           right, folio_layout(g, &st, num), li->asc);
            }
        }
        g_array_free(lines, TRUE);
    }
    lay_flush_dests(&f);
}

static xmlNodePtr
fm_add(xmlNodePtr parent, const char *name, const char *cls,
       const char *text)
{
    xmlNodePtr e = xmlNewTextChild(parent, parent->ns, BAD_CAST name,
                                   text ? BAD_CAST text : NULL);

    if (cls != NULL)
        xmlSetProp(e, BAD_CAST "class", BAD_CAST cls);
    return e;
}

/* The front matter as elements, as the EPUB has it (title-page.xhtml,
 * colophon.xhtml, nav.xhtml), in one document, with a chapter's
 * paragraph and pre: their computed styles set the title page, the
 * imprint, the contents and the base type, and the pages inherit from
 * its root. */
void
lay_front_doc(lay *g)
{
    const oc_manifest *m = g->b->m;
    const char *lang = g->s->language;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr html = xmlNewNode(NULL, BAD_CAST "html");
    xmlNsPtr ns = xmlNewNs(html, BAD_CAST XHTML_NS, NULL);
    xmlNsPtr epub = xmlNewNs(html, BAD_CAST OPS_NS, BAD_CAST "epub");
    xmlNodePtr body, sec, nav, ol;

    xmlSetNs(html, ns);
    xmlDocSetRootElement(doc, html);
    xmlNodeSetLang(html, BAD_CAST lang);
    xmlSetProp(html, BAD_CAST "lang", BAD_CAST lang);
    body = fm_add(html, "body", NULL, NULL);
    xmlSetNsProp(body, epub, BAD_CAST "type", BAD_CAST "frontmatter");
    sec = fm_add(body, "section", "titlepage", NULL);
    xmlSetNsProp(sec, epub, BAD_CAST "type", BAD_CAST "titlepage");
    xmlSetProp(sec, BAD_CAST "id", BAD_CAST "titlepage");
    g->fmt.fm[FM_TITLE] = fm_add(sec, "h1", "title",
                                 m && m->title ? m->title : "");
    g->fmt.fm[FM_SUBTITLE] = fm_add(sec, "p", "subtitle",
                                    m && m->subtitle ? m->subtitle : "");
    g->fmt.fm[FM_AUTHOR] = fm_add(sec, "p", "author",
                                  m && m->nauthors ? m->authors[0].name : "");
    g->fmt.fm[FM_CONTRIBUTOR] = fm_add(sec, "p", "contributor",
                                       m && m->ncontributors
                                       ? m->contributors[0].name : "");
    g->fmt.fm[FM_PUBLISHER] = fm_add(sec, "p", "publisher",
                                     m && m->publisher ? m->publisher : "");
    sec = fm_add(body, "section", "colophon", NULL);
    xmlSetNsProp(sec, epub, BAD_CAST "type", BAD_CAST "copyright-page");
    xmlSetProp(sec, BAD_CAST "id", BAD_CAST "colophon");
    g->fmt.fm[FM_COLOPHON] = fm_add(sec, "p", "rights",
                                    m && m->rights ? m->rights : "");
    nav = fm_add(body, "nav", NULL, NULL);
    xmlSetNsProp(nav, epub, BAD_CAST "type", BAD_CAST "toc");
    xmlSetProp(nav, BAD_CAST "id", BAD_CAST "toc");
    xmlSetProp(nav, BAD_CAST "role", BAD_CAST "doc-toc");
    g->fmt.fm[FM_TOC_TITLE] = fm_add(nav, "h1", NULL,
                                     lay_label(g, OC_LABEL_CONTENTS));
    xmlSetProp(g->fmt.fm[FM_TOC_TITLE], BAD_CAST "id", BAD_CAST "toc-title");
    ol = fm_add(nav, "ol", NULL, NULL);
    g->fmt.fm[FM_TOC_ENTRY] = fm_add(fm_add(ol, "li", NULL, NULL), "a", NULL,
                                     lay_label(g, OC_LABEL_CONTENTS));
    sec = fm_add(body, "section", NULL, NULL);
    xmlSetNsProp(sec, epub, BAD_CAST "type", BAD_CAST "chapter");
    xmlSetProp(sec, BAD_CAST "role", BAD_CAST "doc-chapter");
    fm_add(sec, "h1", NULL, "Chapter");
    fm_add(sec, "p", NULL, "Text.");
    g->fmt.fm[FM_P] = fm_add(sec, "p", NULL, "Text.");
    g->fmt.fm[FM_PRE] = fm_add(sec, "pre", NULL, "code");
    g->fmt.front_doc = doc;
}
