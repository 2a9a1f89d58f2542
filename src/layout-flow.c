/* layout-flow.c - the block flow: a chapter's elements walked in order
 * and dispatched to headings, lists, preformatted text, breaks, images,
 * tables, paragraphs and footnotes, with margins collapsing between them. */
#include "layout-int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fontlock.h"

static void flow_children(flow *f, xmlNodePtr parent, const bstyle *st);
static bool holds_text(const oc_tag *t);
static void flow_block(flow *f, xmlNodePtr n, const bstyle *st);

/* Add an outline entry; returns its index. */
static int
new_outline(lay *g, int level, const char *title, const char *dest)
{
    oc_outline_entry *e;

    g->outline = oc_arena_reserve(g->L->arena, g->outline, g->noutline,
                                  &g->capoutline, sizeof *g->outline);
    e = &g->outline[g->noutline];
    e->level = level;
    e->title = oc_arena_strdup(g->L->arena, title);
    e->dest = dest;
    return (int)g->noutline++;
}

/* A chapter whose headings (outline entries from 'first') are all
 * deeper than the contents go is listed there by its first, at the rank
 * of the others' first headings, as the EPUB's nav lists it. */
static void
list_shallow_chapter(lay *g, size_t first)
{
    oc_outline_entry *top = NULL;

    for (size_t k = first; k < g->noutline; k++) {
        if (g->outline[k].title[0] == '\0')
            continue;
        if (g->outline[k].level <= g->L->pub.toc_depth)
            return;
        if (top == NULL)
            top = &g->outline[k];
    }
    if (top != NULL)
        top->toc_level = g->b->top_level;
}

/* A heading: an outline entry and a destination, its lines kept
 * together (its type, spacing and breaks come from the cascade). */
static void
flow_heading(flow *f, xmlNodePtr n, const bstyle *st, int level)
{
    lay *g = f->g;
    const char *dest;
    GString *title = g_string_new(NULL);
    const char *id = lay_attr(g, n, "id", NULL);

    lay_plain_text(g, n->children, title);
    while (title->len > 0 && title->str[title->len - 1] == ' ')
        g_string_truncate(title, title->len - 1);
    if (id != NULL) {
        dest = lay_dest_name(g, f->chap, id);
    } else {
        dest = oc_arena_printf(g->L->arena, "c%zu-_h%zu", f->chap + 1,
                               g->noutline + 1);
        lay_pend_dest(f, dest);
    }
    f->outline = new_outline(g, level, title->str, dest);
    g_string_free(title, TRUE);
    f->para = st;
    lay_emit_para(f, n->children, NULL, st, true);
    f->para = NULL;
    lay_flush_dests(f);
    if (f->outline >= 0)        /* an empty heading: nothing to open */
        f->outline = -1;
}

/* A list marker hangs before the item's start side, half an em off. */
static void
set_marker_place(flow *f, const bstyle *item)
{
    double gap = item->size * 0.5;

    f->marker_rtl = item->rtl;
    f->marker_right = item->rtl ? f->g->width - item->right + gap
                                : item->left - gap;
}

const char *
lay_marker_text(lay *g, oc_list_style s, long v)
{
    char buf[64];
    bool bullet = s == OC_LIST_DISC || s == OC_LIST_CIRCLE ||
                  s == OC_LIST_SQUARE;

    if (s == OC_LIST_NONE)
        return NULL;
    if (v < -999999999 || v > 999999999)
        v = 0;
    oc_css_counter_format((int)v, s, buf, sizeof buf);
    return oc_arena_printf(lay_arena(g), "%s%s", buf, bullet ? "" : ".");
}

/* The number of list n's first item: its start, else 1, or its count of
 * items when reversed. */
static long
first_value(lay *g, xmlNodePtr n)
{
    const char *start = lay_attr(g, n, "start", NULL);
    long v = 1;

    if (start != NULL)
        return strtol(start, NULL, 10);
    if (lay_attr(g, n, "reversed", NULL) != NULL) {
        v = 0;
        for (xmlNodePtr c = n->children; c != NULL; c = c->next)
            v += is(c, "li") && !lay_is_skipped(g, c);
    }
    return v;
}

long
lay_item_value(lay *g, xmlNodePtr li)
{
    xmlNodePtr list = li->parent;
    bool reversed;
    long v;

    if (list == NULL || list->type != XML_ELEMENT_NODE)
        return 1;
    reversed = lay_attr(g, list, "reversed", NULL) != NULL;
    v = first_value(g, list);
    for (xmlNodePtr c = list->children; c != NULL; c = c->next) {
        const char *value;

        if (!is(c, "li") || lay_is_skipped(g, c))
            continue;
        if ((value = lay_attr(g, c, "value", NULL)) != NULL)
            v = strtol(value, NULL, 10);
        if (c == li)
            break;
        v += reversed ? -1 : 1;
    }
    return v;
}

/* The items of a list numbered from its start (or down from its count
 * when reversed), an item's value attribute resetting the count; any
 * element that is not an li is set as a block. */
static void
flow_list(flow *f, xmlNodePtr n, const bstyle *st)
{
    lay *g = f->g;
    bool reversed = lay_attr(g, n, "reversed", NULL) != NULL;
    long v = first_value(g, n);

    for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
        const char *value;

        if (c->type != XML_ELEMENT_NODE || lay_is_skipped(g, c))
            continue;
        if (!is(c, "li")) {
            flow_block(f, c, st);
            continue;
        }
        if ((value = lay_attr(g, c, "value", NULL)) != NULL)
            v = strtol(value, NULL, 10);
        f->item_value = v;
        flow_block(f, c, st);
        v += reversed ? -1 : 1;
    }
}

static void
flow_pre(flow *f, xmlNodePtr n, const bstyle *parent)
{
    lay *g = f->g;
    oc_tag *outer = f->tag;
    bstyle st = *parent;
    inl in;
    PangoLayout *pl;
    PangoAttrList *al;
    PangoAttribute *nohyph;
    double mark;

    st.justify = false;         /* its lines end where the text says */
    if (!holds_text(f->tag))    /* white-space: pre on another element */
        f->tag = lay_new_tag(g, outer, "P", st.lang);
    f->para = &st;
    lay_inl_init(&in, true);
    in.size = st.size;
    in.width = g->width - st.left - st.right;
    nohyph = lay_open_attr(&in, pango_attr_insert_hyphens_new(FALSE));
    lay_inline_nodes(f, &in, n->children, NULL);
    nohyph->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
    f->para = NULL;
    while (in.text->len > 0 && in.text->str[in.text->len - 1] == '\n')
        g_string_truncate(in.text, in.text->len - 1);
    if (in.text->len == 0) {
        for (guint i = 0; i < in.anchors->len; i++)
            lay_pend_dest(f, g_array_index(in.anchors, anchor, i).dest);
        lay_inl_free(&in);
        f->tag = outer;
        return;
    }
    if (lay_emit_pre(f, &in, &st, n)) {
        lay_inl_free(&in);
        f->tag = outer;
        return;
    }
    pl = lay_new_layout(g, &st, g->width - st.left - st.right);
    /* A line that has to be wrapped goes on after a hanging indent as
     * wide as the mark of its continuation, with a space: the mark stands
     * inside the block (lay_emit_lines). Pango indents each line of the
     * text (a paragraph to it) this way. */
    lay_wrap_mark(g, &st, &mark);
    pango_layout_set_indent(pl, -PU(mark + st.size * 0.3));
    pango_layout_set_text(pl, in.text->str, (int)in.text->len);
    al = lay_inl_attrs(&in, st.lang);
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    lay_emit_lines(f, pl, &in, &st, false);
    lay_inl_free(&in);
    f->tag = outer;
}

static void
flow_break(flow *f, const bstyle *parent)
{
    lay *g = f->g;
    bstyle st = *parent;
    PangoLayout *pl;
    PangoAttrList *al = pango_attr_list_new();
    GArray *lines;
    lineinfo *li;
    size_t ri;

    /* CSS's hr::after content is not read: a thematic break is shown as
     * spaced asterisks, centred. */
    st.align = PANGO_ALIGN_CENTER;
    st.justify = false;
    st.slant = PANGO_STYLE_NORMAL;
    st.weight = PANGO_WEIGHT_NORMAL;
    pl = lay_text_layout(g, &st, "* * *", g->width - st.left - st.right);
    pango_attr_list_insert(al, pango_attr_letter_spacing_new(
                               PU(st.size * 0.2)));
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    lines = lay_measure_lines(g, pl, &st);
    li = &g_array_index(lines, lineinfo, 0);
    ri = lay_add_row(f, li->asc + li->desc, li->asc);
    f->out->v[ri].tag = NULL;   /* decoration: an artifact */
    lay_add_text_item(g, &f->out->v[ri].items, li->line, st.left + li->x,
                      li->asc);
    g_array_free(lines, TRUE);
}

/* Lay out footnote element 'n' (once) into its own rows; returns its
 * index in g->notes. Its first paragraph opens with the reference's
 * label, raised as the reference is (the EPUB's "3." links back to the
 * reference, which paper has no need of). */
size_t
lay_layout_note(flow *f, xmlNodePtr n)
{
    lay *g = f->g;
    gpointer found = g_hash_table_lookup(g->index.note_of, n);
    const char *id = lay_attr(g, n, "id", NULL);
    const char *label = g_hash_table_lookup(g->index.labels[f->chap], id);
    flow sub;
    bstyle base, st;
    fnote *nt;
    size_t idx;

    if (found != NULL)
        return (size_t)GPOINTER_TO_SIZE(found) - 1;
    g->notes = oc_arena_reserve(g->L->arena, g->notes, g->nnotes,
                                &g->capnotes, sizeof *g->notes);
    idx = g->nnotes++;
    nt = g->notes[idx] = oc_arena_alloc(g->L->arena, sizeof *nt);
    nt->chap = f->chap;
    nt->pool = g->paging.pool != NULL ? g->paging.pool->serial : 0;
    g_hash_table_insert(g->index.note_of, n, GSIZE_TO_POINTER(idx + 1));
    /* Set in the measure, in the note's own style. */
    memset(&base, 0, sizeof base);
    base.lang = g->b->chapters[f->chap].language;
    st = lay_block_style(g, &base, n);
    memset(&sub, 0, sizeof sub);
    sub.g = g;
    sub.tag = lay_new_tag(g, g->sect, "Note", st.lang);
    sub.tag->id = oc_arena_printf(g->L->arena, "note-%zu", idx + 1);
    sub.chap = f->chap;
    sub.out = &nt->rows;
    sub.fresh = true;
    sub.outline = -1;
    /* A mark that is raised already (*, †) stays on the baseline. */
    sub.prefix_sup = label != NULL &&
                     g_unichar_isalnum(g_utf8_get_char_validated(label, -1));
    sub.prefix = label == NULL || sub.prefix_sup
                     ? label : oc_arena_printf(lay_arena(g), "%s ", label);
    lay_pend_dest(&sub, lay_dest_name(g, f->chap, id));
    flow_children(&sub, n, &st);
    lay_flush_dests(&sub);
    for (size_t k = 0; k < nt->rows.n; k++)
        nt->height += (k > 0 ? nt->rows.v[k].space : 0) +
                      nt->rows.v[k].height;
    return idx;
}

/* Whether text goes straight into structure element 't': a paragraph, a
 * heading or code, which hold only inline content. In any other (a
 * section, a list item's body, a note) a run of text is a P of its own. */
static bool
holds_text(const oc_tag *t)
{
    return t != NULL && (strcmp(t->type, "P") == 0 ||
                         strcmp(t->type, "Code") == 0 ||
                         (t->type[0] == 'H' && t->type[1] != '\0' &&
                          t->type[2] == '\0'));
}

/* The structure type of block element 'n' at heading level 'level' (0
 * for none), or NULL for one that is no element of its own (div, body,
 * figure...: its content goes into the enclosing one). */
static const char *
tag_type(xmlNodePtr n, int level)
{
    static const char *const heads[] = { "H1", "H2", "H3", "H4", "H5",
                                         "H6" };
    static const char *const map[][2] = {
        { "p", "P" }, { "blockquote", "BlockQuote" }, { "ul", "L" },
        { "ol", "L" }, { "menu", "L" }, { "li", "LI" }, { "pre", "Code" },
        { "table", "Table" }, { "figcaption", "Caption" },
        { "section", "Sect" }, { "article", "Art" },
    };

    if (level > 0)
        return heads[level - 1];
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (is(n, map[i][0]))
            return map[i][1];
    return NULL;
}

/* The structure element of a block image, <img> 'img' (or an <svg>): a
 * Figure that its alt text describes; one without any is decoration
 * (HTML's alt=""), an artifact. */
/* The text of an SVG's text elements (<text>, <tspan>, <title>...),
 * not of <style>, <script> or <desc>, spaced, into b. */
static void
svg_text(xmlNodePtr n, oc_buf *b)
{
    for (; n != NULL; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (b->len > 0 && b->data[b->len - 1] != ' ')
                oc_buf_put(b, " ", 1);
            oc_buf_puts(b, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE &&
                   !xmlStrEqual(n->name, BAD_CAST "style") &&
                   !xmlStrEqual(n->name, BAD_CAST "script") &&
                   !xmlStrEqual(n->name, BAD_CAST "desc")) {
            svg_text(n->children, b);
        }
    }
}

/* What an <svg> written in the text says of itself: its aria-label, its
 * <title>, else the text it draws (a chart's labels), white space
 * folded; NULL if nothing. */
static const char *
svg_alt(flow *f, xmlNodePtr svg)
{
    const char *label = lay_attr(f->g, svg, "aria-label", NULL);
    oc_buf b = {0};
    char *alt = NULL, *o;

    if (label != NULL)
        return label;
    for (xmlNodePtr k = svg->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            xmlStrEqual(k->name, BAD_CAST "title"))
            svg_text(k->children, &b);
    if (b.len == 0)
        svg_text(svg->children, &b);
    if (b.len > 0) {
        alt = oc_arena_strndup(f->g->L->arena, b.data, b.len);
        o = alt;
        for (const char *p = alt; *p; p++)      /* fold white space */
            if (!strchr(" \t\r\n", *p) || (o > alt && o[-1] != ' '))
                *o++ = strchr(" \t\r\n", *p) ? ' ' : *p;
        while (o > alt && o[-1] == ' ')
            o--;
        *o = '\0';
    }
    oc_buf_free(&b);
    return alt;
}

oc_tag *
lay_figure_tag(flow *f, xmlNodePtr img)
{
    const char *alt = img == NULL ? NULL
                      : lay_is_svg(img) ? svg_alt(f, img)
                                        : lay_attr(f->g, img, "alt", NULL);
    oc_tag *t;

    if (alt == NULL || alt[strspn(alt, " \t\r\n")] == '\0')
        return NULL;
    t = lay_new_tag(f->g, f->tag, "Figure", NULL);
    t->alt = alt;
    return t;
}

/* A run of inline nodes [first, stop) set as a paragraph in 'st';
 * 'lead': it is the first thing in its block, and so takes the block's
 * text-indent. */
static void
emit_run(flow *f, xmlNodePtr first, xmlNodePtr stop, const bstyle *st,
         bool lead)
{
    oc_tag *outer = f->tag;

    /* White space between blocks is no paragraph, even with a prefix
     * waiting (a note's number, an inside list marker): the prefix goes
     * to the block after it, "1 The note" and not "1" on a line of its
     * own above <p>The note</p>. */
    for (xmlNodePtr n = first; n != stop; n = n->next) {
        if (n->type != XML_TEXT_NODE || !xmlIsBlankNode(n))
            break;
        if (n->next == stop)
            return;
    }

    if (!holds_text(f->tag))
        f->tag = lay_new_tag(f->g, outer, "P", st->lang);
    f->indent = lead;
    f->para = st;
    lay_emit_para(f, first, stop, st, false);
    f->para = NULL;
    f->tag = outer;
}

/* The children of a block: block-level ones as blocks, each run of
 * inline content between them as a paragraph in the parent's style,
 * whose text-indent is for its first line only (CSS 2.1 §16.1). */
static void
flow_children(flow *f, xmlNodePtr parent, const bstyle *st)
{
    xmlNodePtr run = NULL;
    bool first = true;

    for (xmlNodePtr n = parent->children; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && lay_is_skipped(f->g, n))
            continue;
        if (n->type == XML_ELEMENT_NODE && (lay_is_block(f->g, n) ||
                                            lay_is_footnote(f, n))) {
            if (run != NULL)
                emit_run(f, run, n, st, first);
            run = NULL;
            first = false;
            flow_block(f, n, st);
        } else if (run == NULL && (n->type == XML_ELEMENT_NODE ||
                                   n->type == XML_TEXT_NODE ||
                                   n->type == XML_CDATA_SECTION_NODE ||
                                   n->type == XML_ENTITY_REF_NODE)) {
            run = n;
        }
    }
    if (run != NULL)
        emit_run(f, run, NULL, st, first);
}

/* A list item: its marker (outside: hung before its first row; inside:
 * opening its first paragraph), then its content. */
static void
flow_item(flow *f, xmlNodePtr n, const bstyle *st)
{
    const oc_style *cs = st->cs;
    const char *marker = lay_marker_text(f->g, cs->list_style_type,
                                     f->item_value);

    oc_tag *item = f->tag;

    f->item_value = 1;
    if (marker != NULL && cs->list_style_position == OC_LIST_INSIDE) {
        f->prefix = oc_arena_printf(lay_arena(f->g), "%s\u00A0", marker);
        f->prefix_sup = false;
    } else if (marker != NULL) {
        f->marker = marker;
        f->marker_style = st;
        f->marker_tag = lay_new_tag(f->g, item, "Lbl", NULL);
        set_marker_place(f, st);
    }
    f->tag = lay_new_tag(f->g, item, "LBody", NULL);
    flow_children(f, n, st);
    lay_flush_dests(f);
    f->tag = item;
    f->prefix = NULL;
}

/* The page float of body rows [start, n) is laid out; 'before' and
 * 'after' are the spaces pending around it. One taller than a page's
 * text is no float: it goes on in the text where it stands, and may break
 * between its rows (a listing longer than a page), which otherwise could
 * only overflow the page it heads. */
static void
end_float(lay *g, size_t start, double before, double after)
{
    row *r = &g->body.v[start];
    double h = r->height;

    for (size_t k = start + 1; k < g->body.n; k++)
        h += g->body.v[k].space + g->body.v[k].height;
    if (h <= g->height + EPS) {
        r->nfloat = g->body.n - start;
        r->fbefore = before;
        r->fafter = after;
        return;
    }
    for (size_t k = start; k < g->body.n; k++) {
        g->body.v[k].floating = false;
        if (k > start)
            g->body.v[k].brk = g->body.v[k].brk_free;
    }
}

/* Is element n the chapter's body, a child of it or a grandchild (a
 * heading in the section of a chapter written from Markdown)? */
static bool
near_top(xmlNodePtr n)
{
    xmlNodePtr body = lay_body_of(n->doc);

    return n == body || n->parent == body ||
           (n->parent != NULL && n->parent->parent == body);
}

/* A block-level element: its computed style opens and closes it (margins,
 * padding, breaks), and what it is sets its content. */
static void
flow_block(flow *f, xmlNodePtr n, const bstyle *parent)
{
    lay *g = f->g;
    const oc_style *cs = lay_style_of(g, n);
    double cb = g->width - parent->left - parent->right;
    const char *id = lay_attr(g, n, "id", NULL);
    int level = heading_level(n);
    const char *type = tag_type(n, level);
    xmlNodePtr outer = f->src;
    oc_tag *outer_tag = f->tag;
    bstyle st;
    bool floats, section;
    double before;

    if (lay_is_footnote(f, n) || cs->display == OC_DISPLAY_NONE)
        return;                 /* a note is set at the foot of its page */
    /* A block near the top of the chapter that opens a page: the pages
     * before it may be finished now (a file of many chapters). */
    section = f->out == &g->body && !f->floating && f->keep == 0 &&
              near_top(n) && lay_opens_page(f, cs) && lay_open_section(f);
    f->src = n;
    st = lay_block_style(g, parent, n);
    if (type == NULL && cs->display == OC_DISPLAY_LIST_ITEM)
        type = "LI";
    else if (type == NULL && cs->display == OC_DISPLAY_TABLE)
        type = "Table";
    if (type != NULL && strcmp(type, "Table") == 0 &&
        lay_layout_table(g, n))
        type = "Div";           /* a table for layout, not data */
    if (type != NULL)
        f->tag = lay_new_tag(g, outer_tag, type, st.lang);
    before = f->fixed + f->space + f->neg;
    lay_block_open(f, cs, cb);
    floats = cs->page_float == OC_FLOAT_TOP && f->out == &g->body &&
             !f->floating;
    if (floats) {               /* a page float: its rows move together */
        f->floating = true;
        f->float_start = g->body.n;
        if (f->keep++ == 0)
            f->keep_first = true;
    }
    if (id != NULL)
        lay_pend_dest(f, lay_dest_name(g, f->chap, id));
    if (f->out == &g->body)
        lay_pend_strings(f, n);
    /* Code and a break, set by Pango layouts, hold the font lock for all
     * of it; a heading's, a table's and a container's paragraphs take it
     * where they need it, as the painter does for each line it draws. */
    if (level > 0) {
        flow_heading(f, n, &st, level);
    } else if (cs->display == OC_DISPLAY_LIST_ITEM) {
        flow_item(f, n, &st);
    } else if (is(n, "ul") || is(n, "ol") || is(n, "menu")) {
        flow_list(f, n, &st);
    } else if (cs->white_space == OC_WS_PRE ||
               cs->white_space == OC_WS_PRE_WRAP ||
               cs->white_space == OC_WS_PRE_LINE) {
        oc_fonts_lock();
        flow_pre(f, n, &st);
        oc_fonts_unlock();
    } else if (cs->display == OC_DISPLAY_TABLE || is(n, "table")) {
        lay_flow_table(f, n, &st);
    } else if (is(n, "hr")) {
        oc_fonts_lock();
        flow_break(f, &st);
        oc_fonts_unlock();
    } else if (is(n, "img") || is(n, "picture") || lay_is_svg(n)) {
        emit_run(f, n, n->next, &st, false);    /* display: block */
    } else {
        flow_children(f, n, &st);
    }
    lay_block_close(f, cs, cb);
    if (floats) {
        f->keep--;
        f->floating = false;
        if (g->body.n > f->float_start)
            end_float(g, f->float_start, before,
                      f->fixed + f->space + f->neg);
    }
    f->src = outer;
    f->tag = outer_tag;
    if (section)
        lay_close_section(g);
    else
        lay_flow_progress(f);
}

/* A chapter's pages are headed by the chapter, not by the one before it,
 * also when its title is not an h1 (an appendix titled by an h2,
 * Standard Ebooks' chapters) or it has no heading: at its start, the
 * named strings an h1 would set in the place of its title heading
 * (print.css: 'chapter') are set to its running head, its short-title,
 * else that heading's data-running-head, else the chapter's title (the
 * heading's text, as the contents give it). Its h1s set them again. A
 * chapter titled by an h1 sets them there (lay_pend_strings). */
static void
chapter_strings(flow *f, const oc_chapter *ch, xmlNodePtr body)
{
    lay *g = f->g;
    xmlNodePtr title = ch->nheadings > 0 ? ch->headings[0].node : NULL;
    xmlNodePtr parent = title != NULL && title->parent != NULL &&
                        title->parent->type == XML_ELEMENT_NODE
                            ? title->parent : body;
    const char *text = ch->short_title;
    xmlNodePtr h1;

    if (title != NULL && is(title, "h1"))
        return;
    if (text == NULL && title != NULL)
        text = lay_attr(g, title, "data-running-head", NULL);
    if (text == NULL)
        text = ch->title;
    if (text == NULL)
        return;
    /* An h1 of no document, only styled: the chapter, which the EPUB
     * writer may be reading on another thread, is left as it is. */
    h1 = xmlNewNode(parent->ns, BAD_CAST "h1");
    h1->parent = parent;
    lay_pend_string_set(f, oc_css_compute(g->style.css, h1,
                                                lay_style_of(g, parent)),
                        h1, text);
    h1->parent = NULL;
    xmlFreeNode(h1);
}

/* Lay out chapter 'chap' into the body rows, from its root element down.
 * A chapter with nothing to show makes no page (links to it are
 * dropped). */
void
lay_flow_chapter(lay *g, size_t chap)
{
    const oc_chapter *ch = &g->b->chapters[chap];
    xmlDocPtr doc = lay_open_chapter(g, chap);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNodePtr body = lay_body_of(doc);
    flow f;
    bstyle top, st;
    size_t first = g->noutline, row0 = g->body.n, pool0 = g->paging.serial;

    if (root == NULL || body == NULL)
        return;
    g->paging.outline0 = first;
    memset(&f, 0, sizeof f);
    f.g = g;
    f.chap = chap;
    f.out = &g->body;
    f.outline = -1;
    memset(&top, 0, sizeof top);
    top.lang = ch->language ? ch->language : g->s->language;
    st = lay_block_style(g, &top, root);
    g->sect = f.tag = lay_new_tag(g, g->doc, "Sect", st.lang);
    st.left = st.right = 0;     /* the page margins are the root's */
    lay_pend_dest(&f, lay_dest_name(g, chap, NULL));
    chapter_strings(&f, ch, body);
    if (body != root)
        flow_block(&f, body, &st);
    else
        flow_children(&f, body, &st);
    if (g->paging.serial != pool0) {
        /* Cut into sections, after a heading: rows of it are gone. */
        lay_flush_dests(&f);
        list_shallow_chapter(g, first);
        return;
    }
    if (g->body.n == row0)
        return;
    lay_flush_dests(&f);
    if (g->noutline == first && ch->toc_title != NULL &&
        g->body.v[row0].outline < 0) {
        /* A chapter without headings is listed under its title, at the
         * rank of the others' first headings. */
        g->body.v[row0].outline = new_outline(g, g->b->top_level,
                                              ch->toc_title,
                                              lay_dest_name(g, chap, NULL));
    } else {
        list_shallow_chapter(g, first);
    }
}
