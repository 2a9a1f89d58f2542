/* render.c - pages of positioned items → cairo: a PDF surface written to
 * memory (metadata, link annotations, named destinations, outline and the
 * structure tree of a tagged PDF, ISO 32000-1 §14.8, per the cairo 1.16
 * tag API) or a PNG image of one page. Images are painted from the
 * layout's pictures: raster ones scaled by the transformation (in a PDF
 * whose pictures are spooled, as placeholders: pdfimage.h; a JPEG keeps
 * its own file), SVG ones by librsvg as vectors. */
#include "render.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <hb.h>
#include <pango/pangocairo.h>

#include "error.h"
#include "fontlock.h"
#include "image.h"
#include "pdffont.h"
#include "pdfimage.h"
#include "vector.h"

/* Where the painter is in the structure tree (page.h's oc_tag): the
 * elements begun and not ended, innermost last. cairo 1.16 writes an
 * element that has children without its own marked content, and marks
 * whatever is drawn while an element is open as that element's content,
 * on the pages that follow too: so an element that text went straight
 * into ('filled') takes no child, and an artifact is painted only while
 * no filled element is open. */
enum { MAX_OPEN = 64 };

typedef struct open_tag {
    size_t        seq;              /* its tag's (which may be freed by
                                       now), or 0: a Span of the one
                                       below */
    const char   *type;
    bool          filled;
} open_tag;

typedef struct tagging {
    open_tag      open[MAX_OPEN];
    int           depth;
    size_t        begun;            /* elements begun, in tree order */
    GStringChunk *strings;          /* copies of their /Alt and /Lang,
                                       which outlive the layout */
    GArray       *elems;            /* oc_mend_elem: those with /Alt or
                                       /Lang */
    size_t        front_kids;       /* the Document's children begun on
                                       front matter pages */
    bool          front;            /* painting one */
} tagging;

struct oc_render {
    cairo_surface_t *surface;
    cairo_t         *cr;
    oc_error         err;
    bool             finished;
    tagging          tags;
    oc_pdfimage_pool *pictures;     /* NULL: cairo writes them */
    oc_mend_pictures  written;      /* the pool's, once finished */
};

static cairo_status_t
write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    oc_buf_put(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* Copy a cairo failure into r->err; the first one wins. */
static void
check_cairo(oc_render *r, int page)
{
    cairo_status_t cs = cairo_surface_status(r->surface);

    if (cs == CAIRO_STATUS_SUCCESS && r->cr != NULL)
        cs = cairo_status(r->cr);
    if (cs == CAIRO_STATUS_SUCCESS)
        return;
    if (page > 0)
        oc_error_set(&r->err, OC_ERR_LIB, NULL, 0, 0,
                     "cairo failed on page %d: %s", page,
                     cairo_status_to_string(cs));
    else
        oc_error_set(&r->err, OC_ERR_LIB, NULL, 0, 0, "cairo failed: %s",
                     cairo_status_to_string(cs));
}

static void
set_meta(cairo_surface_t *s, cairo_pdf_metadata_t key, const char *value)
{
    if (value != NULL && value[0] != '\0')
        cairo_pdf_surface_set_metadata(s, key, value);
}

void
oc_render_init(void)
{
    setenv("CAIRO_DEBUG_PDF", "1", 1);
}

oc_render *
oc_render_new_pdf(cairo_write_func_t write, void *closure, double width,
                  double height, const oc_pdf_info *info)
{
    oc_render *r = oc_xcalloc(1, sizeof *r);

    r->tags.elems = g_array_new(FALSE, FALSE, sizeof(oc_mend_elem));
    r->tags.strings = g_string_chunk_new(4096);
    r->surface = cairo_pdf_surface_create_for_stream(write, closure, width,
                                                     height);
    check_cairo(r, 0);
    if (r->err.code != OC_OK)
        return r;
    if (info != NULL) {
        set_meta(r->surface, CAIRO_PDF_METADATA_TITLE, info->title);
        set_meta(r->surface, CAIRO_PDF_METADATA_AUTHOR, info->author);
        set_meta(r->surface, CAIRO_PDF_METADATA_SUBJECT, info->subject);
        set_meta(r->surface, CAIRO_PDF_METADATA_KEYWORDS, info->keywords);
        set_meta(r->surface, CAIRO_PDF_METADATA_CREATOR, info->creator);
        set_meta(r->surface, CAIRO_PDF_METADATA_CREATE_DATE,
                 info->create_date);
        set_meta(r->surface, CAIRO_PDF_METADATA_MOD_DATE, info->mod_date);
    }
    r->cr = cairo_create(r->surface);
    check_cairo(r, 0);
    return r;
}

/* Tag attributes quote strings with ' and escape with \ (cairo's
 * cairo-tag-attributes.c). */
static void
put_quoted(GString *s, const char *v)
{
    g_string_append_c(s, '\'');
    for (; *v != '\0'; v++) {
        if (*v == '\'' || *v == '\\')
            g_string_append_c(s, '\\');
        g_string_append_c(s, *v);
    }
    g_string_append_c(s, '\'');
}

static void
draw_link(cairo_t *cr, const oc_item *it)
{
    GString *a = g_string_new(NULL);

    g_string_printf(a, "rect=[%.3f %.3f %.3f %.3f] ", it->x, it->y, it->w,
                    it->h);
    if (it->uri != NULL) {
        g_string_append(a, "uri=");
        put_quoted(a, it->uri);
    } else {
        g_string_append(a, "dest=");
        put_quoted(a, it->dest);
    }
    cairo_tag_begin(cr, CAIRO_TAG_LINK, a->str);
    cairo_tag_end(cr, CAIRO_TAG_LINK);
    g_string_free(a, TRUE);
}

static void
draw_dest(cairo_t *cr, const oc_item *it)
{
    GString *a = g_string_new("name=");

    put_quoted(a, it->dest);
    g_string_append_printf(a, " x=%.3f y=%.3f", it->x, it->y);
    cairo_tag_begin(cr, CAIRO_TAG_DEST, a->str);
    cairo_tag_end(cr, CAIRO_TAG_DEST);
    g_string_free(a, TRUE);
}

/* The surface painted for picture item 'it': in a PDF whose pictures
 * go to a pool (not NULL), the placeholder of its id there, unless it is
 * a JPEG file cairo embeds as it is; else its pixels (a JPEG carried as
 * it is decoded now, for a preview). NULL when there is nothing to
 * paint. */
static cairo_surface_t *
picture_surface(oc_pdfimage_pool *pool, const oc_item *it)
{
    const oc_picture *pic = it->picture;
    const unsigned char *jpeg = NULL;
    unsigned long n = 0;
    const char *why = NULL;
    long id;

    if (pic->raster != NULL)
        cairo_surface_get_mime_data(pic->raster, CAIRO_MIME_TYPE_JPEG, &jpeg,
                                    &n);
    if (pool != NULL && jpeg == NULL &&
        (id = oc_pdfimage_pool_add(pool, pic, it->w)) >= 0)
        return oc_pdfimage_placeholder((size_t)id);
    if (pic->jpeg != NULL)
        return oc_image_decode_raster(pic->jpeg, pic->jpeg_len, "image/jpeg",
                                      &why);
    return pic->raster != NULL ? cairo_surface_reference(pic->raster)
                               : oc_picture_pixels(pic, it->w);
}

/* Picture item 'it': its pixels placed whole, scaled to its box; in a
 * PDF as they are, the reader scaling them, in a preview
 * with their edge pixels repeated for the filter to read (CAIRO_EXTEND_
 * PAD, which in a PDF has cairo resample the picture into a copy a
 * pixel or more larger). */
static void
draw_picture(cairo_t *cr, oc_pdfimage_pool *pool, bool pdf,
             const oc_item *it)
{
    const oc_picture *pic = it->picture;

    if (pic == NULL || it->w <= 0 || it->h <= 0)
        return;
    cairo_save(cr);
    if (pic->raster != NULL || pic->png != NULL || pic->png_file != NULL ||
        pic->jpeg != NULL) {
        cairo_surface_t *s = picture_surface(pool, it);
        double pw, ph;
        cairo_pattern_t *pat;

        if (s == NULL) {
            cairo_restore(cr);
            return;
        }
        pw = cairo_image_surface_get_width(s);
        ph = cairo_image_surface_get_height(s);
        cairo_rectangle(cr, it->x, it->y, it->w, it->h);
        cairo_clip(cr);
        cairo_translate(cr, it->x, it->y);
        cairo_scale(cr, it->w / pw, it->h / ph);
        cairo_set_source_surface(cr, s, 0, 0);
        pat = cairo_get_source(cr);
        if (!pdf)
            cairo_pattern_set_extend(pat, CAIRO_EXTEND_PAD);
        cairo_pattern_set_filter(pat, CAIRO_FILTER_GOOD);
        cairo_paint(cr);
        cairo_surface_destroy(s);
    } else if (pic->vector != NULL) {
        oc_vector_draw(pic->vector, cr, it->x, it->y, it->w, it->h);
    }
    cairo_restore(cr);
}

static void
set_color(cairo_t *cr, const oc_para_color *c)
{
    if (c->set)
        cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
    else
        cairo_set_source_rgb(cr, 0, 0, 0);
}

/* Which glyph a font's character map gives to each character that a PDF
 * simple font can encode (the Latin range and the punctuation of
 * U+2000..U+207F), per font, filled as asked. */
enum { NOMINAL_FONTS = 8, NOMINAL_SLOTS = 512 };

typedef struct nominal_font {
    PangoFont *font;
    uint32_t   glyph[NOMINAL_SLOTS];
    uint8_t    known[NOMINAL_SLOTS / 8];
} nominal_font;

/* What painting one page keeps: the fonts' nominal glyphs, where the
 * pictures go (a PDF's pool, or NULL: painted as pixels), and whether
 * it is a PDF's page (not a preview's). */
typedef struct page_state {
    nominal_font      fonts[NOMINAL_FONTS];
    size_t            next;         /* the entry to replace next */
    oc_pdfimage_pool *pictures;
    bool              pdf;
} page_state;

static int
nominal_slot(gunichar c)
{
    if (c < 384)
        return (int)c;
    if (c >= 0x2000 && c < 0x2080)
        return 384 + (int)(c - 0x2000);
    return -1;
}

/* Whether glyph g is the one the font's character map gives to c. */
static bool
is_nominal(page_state *nc, PangoFont *font, gunichar c, PangoGlyph g)
{
    int slot = nominal_slot(c);
    nominal_font *nf = NULL;
    hb_codepoint_t hg = 0;

    if (slot < 0)
        return true;                /* outside what a simple font holds */
    for (size_t i = 0; i < NOMINAL_FONTS && nf == NULL; i++)
        if (nc->fonts[i].font == font)
            nf = &nc->fonts[i];
    if (nf == NULL) {
        nf = &nc->fonts[nc->next];
        nc->next = (nc->next + 1) % NOMINAL_FONTS;
        nf->font = font;
        memset(nf->known, 0, sizeof nf->known);
    }
    if (!(nf->known[slot / 8] & (1u << (slot % 8)))) {
        if (!hb_font_get_nominal_glyph(pango_font_get_hb_font(font), c, &hg))
            hg = (hb_codepoint_t)-1;
        nf->glyph[slot] = hg;
        nf->known[slot / 8] |= (uint8_t)(1u << (slot % 8));
    }
    return nf->glyph[slot] == g;
}

/* Draw a run's glyphs from (x, y) with their text. cairo's PDF surface
 * gives each character of the Latin range to the first glyph drawn for
 * it, and every later glyph for the same character goes to a second,
 * composite font, so that a page would switch fonts at every letter
 * whose glyph a small capital or a tabular figure took first. A glyph
 * other than the character map's own is therefore joined to the cluster
 * before it (or after it, first in the run): a cluster of two glyphs or
 * more is marked in the PDF with its text (ActualText) and its glyphs
 * take no Latin code. Returns false for a run that must be left to
 * Pango (a missing glyph, drawn as a hex box). */
static bool
show_run(cairo_t *cr, page_state *nc, const oc_para_run *r, double x,
         double y)
{
    enum { ON_STACK = 256 };
    const PangoGlyphItem *gi = r->glyphs;
    const PangoGlyphString *gs = gi->glyphs;
    PangoFont *font = gi->item->analysis.font;
    const char *text = r->text + gi->item->offset;
    cairo_glyph_t gstack[ON_STACK], *glyphs = gstack;
    cairo_text_cluster_t cstack[ON_STACK], *clusters = cstack;
    cairo_text_cluster_flags_t flags = gi->item->analysis.level % 2
                                       ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD : 0;
    PangoGlyphItemIter iter;
    bool join_next = false;
    int ng = 0, nclus = 0;
    int64_t pos = 0;                /* Pango units: a long line overflows
                                       an int */

    if (font == NULL || gs->num_glyphs == 0)
        return gs->num_glyphs == 0;
    if (gs->num_glyphs > ON_STACK) {
        glyphs = oc_xmalloc((size_t)gs->num_glyphs * sizeof *glyphs);
        clusters = oc_xmalloc((size_t)gs->num_glyphs * sizeof *clusters);
    }
    for (int i = 0; i < gs->num_glyphs; i++) {
        const PangoGlyphInfo *g = &gs->glyphs[i];

        if (g->glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
            ng = -1;
            break;
        }
        if (g->glyph != PANGO_GLYPH_EMPTY) {
            glyphs[ng].index = g->glyph;
            glyphs[ng].x = x + (double)(pos + g->geometry.x_offset) /
                               PANGO_SCALE;
            glyphs[ng].y = y + (double)g->geometry.y_offset / PANGO_SCALE;
            ng++;
        }
        pos += g->geometry.width;
    }
    if (ng > 0) {
        for (bool more = pango_glyph_item_iter_init_start(
                 &iter, (PangoGlyphItem *)gi, r->text);
             more; more = pango_glyph_item_iter_next_cluster(&iter)) {
            int a = MIN(iter.start_glyph, iter.end_glyph);
            int b = MAX(iter.start_glyph, iter.end_glyph);
            int drawn = 0;
            PangoGlyph one = PANGO_GLYPH_EMPTY;
            bool variant;

            if (flags) {                    /* right to left: (end, start] */
                a++;
                b++;
            }
            for (int k = a; k < b; k++)
                if (gs->glyphs[k].glyph != PANGO_GLYPH_EMPTY) {
                    one = gs->glyphs[k].glyph;
                    drawn++;
                }
            variant = drawn == 1 && iter.end_char - iter.start_char == 1 &&
                      !is_nominal(nc, font,
                                  g_utf8_get_char(r->text + iter.start_index),
                                  one);
            if (drawn == 0 && iter.end_index == iter.start_index)
                continue;
            if ((variant || join_next) && nclus > 0 &&
                (join_next || clusters[nclus - 1].num_glyphs > 0)) {
                clusters[nclus - 1].num_bytes +=
                    iter.end_index - iter.start_index;
                clusters[nclus - 1].num_glyphs += drawn;
                join_next = false;
                continue;
            }
            join_next = variant;
            clusters[nclus].num_bytes = iter.end_index - iter.start_index;
            clusters[nclus].num_glyphs = drawn;
            nclus++;
        }
        cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(
                                      PANGO_CAIRO_FONT(font)));
        cairo_show_text_glyphs(cr, text, gi->item->length, glyphs, ng,
                               clusters, nclus, flags);
    }
    if (glyphs != gstack) {
        free(glyphs);
        free(clusters);
    }
    return ng >= 0;
}

/* The rules of line l (its baseline's left end at (x, y)) that go under
 * its glyphs (backgrounds) or over them (underlines and the like). */
static void
draw_rules(cairo_t *cr, const oc_para_line *l, double x, double y,
           bool under)
{
    bool drawn = false;

    for (size_t i = 0; i < l->nrules; i++) {
        const oc_para_rule *ru = &l->rules[i];

        if (ru->under != under)
            continue;
        set_color(cr, &ru->color);
        cairo_rectangle(cr, x + ru->x, y + ru->y, ru->w, ru->h);
        cairo_fill(cr);
        drawn = true;
    }
    if (drawn)
        cairo_set_source_rgb(cr, 0, 0, 0);
}

/* Line l with the left end of its baseline at (x, y): its glyph items
 * carry their text, so that the PDF maps the glyphs back to it
 * (cairo_show_text_glyphs). */
static void
draw_para_line(cairo_t *cr, page_state *nc, const oc_para_line *l, double x,
               double y)
{
    draw_rules(cr, l, x, y, true);
    for (size_t i = 0; i < l->nruns; i++) {
        const oc_para_run *r = &l->runs[i];
        double rx = x + r->x, ry = y - r->rise;

        if (r->color.set || l->scale != 1) {
            cairo_save(cr);
            if (r->color.set)
                set_color(cr, &r->color);
        }
        if (l->scale != 1) {                /* font expansion */
            cairo_translate(cr, rx, ry);
            cairo_scale(cr, l->scale, 1);
            rx = ry = 0;
        }
        if (!show_run(cr, nc, r, rx, ry)) {
            cairo_move_to(cr, rx, ry);
            pango_cairo_show_glyph_item(cr, r->text, r->glyphs);
        }
        if (r->color.set || l->scale != 1)
            cairo_restore(cr);
    }
    draw_rules(cr, l, x, y, false);
}

/* Whether the glyphs of a run hold one that its font lacks (a hex box,
 * which only Pango draws). */
static bool
has_unknown(const PangoGlyphItem *gi)
{
    for (int i = 0; i < gi->glyphs->num_glyphs; i++)
        if (gi->glyphs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
            return true;
    return false;
}

/* Call fn on each glyph run of text item 'it'; stops at the first that
 * returns true, and returns that. */
static bool
each_run(const oc_item *it, bool (*fn)(const PangoGlyphItem *))
{
    for (size_t i = 0; i < it->para->nruns; i++)
        if (fn(it->para->runs[i].glyphs))
            return true;
    return false;
}

/* A run without a font (Pango found none), or in a font that the PDF
 * cannot embed as it is drawn (pdffont.h): only Pango draws it. */
static bool
has_no_font(const PangoGlyphItem *gi)
{
    PangoFont *font = gi->item->analysis.font;

    if (gi->glyphs->num_glyphs == 0)
        return false;
    return font == NULL ||
           !oc_pdffonts_can_embed(pango_font_get_hb_font(font));
}

static bool
ready_font(const PangoGlyphItem *gi)
{
    PangoFont *font = gi->item->analysis.font;

    if (font != NULL && PANGO_IS_CAIRO_FONT(font)) {
        pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
        pango_font_get_hb_font(font);
    }
    return false;
}

void
oc_render_prepare_page(oc_render *r, const oc_page *page)
{
    oc_fonts_lock();
    for (size_t i = 0; i < page->nitems; i++)
        if (page->items[i].kind == OC_ITEM_TEXT)
            each_run(&page->items[i], ready_font);
    oc_fonts_unlock();
    (void)r;                    /* the fonts are the process's */
}

bool
oc_render_page_needs_pango(const oc_page *page)
{
    for (size_t i = 0; i < page->nitems; i++) {
        const oc_item *it = &page->items[i];

        if (it->kind == OC_ITEM_IMAGE && it->picture != NULL &&
            it->picture->vector != NULL)
            return true;
        if (it->kind != OC_ITEM_TEXT)
            continue;
        if (each_run(it, has_unknown) || each_run(it, has_no_font))
            return true;
    }
    return false;
}

/* Paint item 'it' on 'cr'. */
static void
draw_item(cairo_t *cr, page_state *nc, const oc_item *it)
{
    double x;

    switch (it->kind) {
    case OC_ITEM_TEXT:
        /* Per line, so that the layout's thread waits little. */
        oc_fonts_lock();
        x = it->x;
        for (unsigned k = 0; k <= it->repeat; k++, x += it->pitch)
            draw_para_line(cr, nc, it->para, x, it->y);
        oc_fonts_unlock();
        break;
    case OC_ITEM_RULE:
        cairo_rectangle(cr, it->x, it->y, it->w, it->h);
        cairo_fill(cr);
        break;
    case OC_ITEM_LINK:
        if (it->uri != NULL || it->dest != NULL)
            draw_link(cr, it);
        break;
    case OC_ITEM_DEST:
        draw_dest(cr, it);
        break;
    case OC_ITEM_IMAGE:
        oc_fonts_lock();        /* an SVG's text goes through Pango */
        draw_picture(cr, nc->pictures, nc->pdf, it);
        oc_fonts_unlock();
        break;
    }
}

/* Begin structure element 't' (or a Span, for NULL) inside the innermost
 * open one. Returns false when the tree is too deep to go on. */
static bool
begin_tag(cairo_t *cr, tagging *tg, const oc_tag *t)
{
    open_tag *o;

    if (tg->depth == MAX_OPEN)
        return false;
    if (t != NULL && (t->alt != NULL || t->lang != NULL || t->id != NULL)) {
        oc_mend_elem e = {
            tg->begun,
            t->alt ? g_string_chunk_insert_const(tg->strings, t->alt) : NULL,
            t->lang ? g_string_chunk_insert_const(tg->strings, t->lang)
                    : NULL,
            t->id ? g_string_chunk_insert_const(tg->strings, t->id) : NULL
        };

        g_array_append_val(tg->elems, e);
    }
    if (tg->depth == 1 && tg->front)
        tg->front_kids++;
    o = &tg->open[tg->depth++];
    o->seq = t != NULL ? t->seq : 0;
    o->type = t != NULL ? t->type : "Span";
    o->filled = false;
    cairo_tag_begin(cr, o->type, NULL);
    tg->begun++;
    return true;
}

static void
end_tag(cairo_t *cr, tagging *tg)
{
    cairo_tag_end(cr, tg->open[--tg->depth].type);
}

/* The elements from the Document down to 't' into chain[MAX_OPEN + 1];
 * their number, more than MAX_OPEN (chain[] left alone) for a tree too
 * deep. */
static int
tag_chain(const oc_tag *t, const oc_tag **chain)
{
    int n = 0, k;

    for (const oc_tag *u = t; u != NULL; u = u->parent)
        n++;
    if (n > MAX_OPEN)
        return n;
    k = n;
    for (const oc_tag *u = t; u != NULL; u = u->parent)
        chain[--k] = u;
    return n;
}

/* End the open elements that are not on the way to 't' (and a filled
 * one that 't' would go into: it takes no child). Returns how many of
 * chain[0..n) stay open. */
static int
leave_for(cairo_t *cr, tagging *tg, const oc_tag **chain, int n)
{
    int keep = 0;

    while (keep < tg->depth && keep < n &&
           tg->open[keep].seq == chain[keep]->seq)
        keep++;
    if (keep > 0 && keep < n && tg->open[keep - 1].filled)
        keep--;
    while (tg->depth > keep)
        end_tag(cr, tg);
    return keep;
}

/* End the open elements that were filled: what is drawn next is no
 * part of them. */
static void
leave_filled(cairo_t *cr, tagging *tg)
{
    while (tg->depth > 0 && tg->open[tg->depth - 1].filled)
        end_tag(cr, tg);
}

/* Open the elements down to 't' and, for one that holds links, a Span in
 * it; the innermost is then filled by what is drawn. In a tree too deep,
 * what is drawn goes where the painter is. */
static void
enter_tag(cairo_t *cr, tagging *tg, const oc_tag *t)
{
    const oc_tag *chain[MAX_OPEN + 1];
    int n = tag_chain(t, chain), k;

    if (n > MAX_OPEN)
        return;
    if (t->spans && tg->depth == n + 1 && tg->open[n].seq == 0 &&
        tg->open[n - 1].seq == t->seq)
        return;                     /* in its Span already */
    k = leave_for(cr, tg, chain, n);
    while (k < n && begin_tag(cr, tg, chain[k]))
        k++;
    if (k == n && t->spans)
        begin_tag(cr, tg, NULL);
    tg->open[tg->depth - 1].filled = true;
}

/* A link of its item's element: a Link element of its own after the
 * text drawn so far, which holds its annotation; in the element when it
 * holds links (its text is in Spans), else after it. */
static void
tag_link(cairo_t *cr, tagging *tg, const oc_item *it)
{
    const oc_tag *chain[MAX_OPEN + 1];
    int n = tag_chain(it->tag, chain);

    if (it->uri == NULL && it->dest == NULL)
        return;
    if (n <= MAX_OPEN) {
        if (!it->tag->spans)
            n--;
        leave_for(cr, tg, chain, n);
        leave_filled(cr, tg);
        for (int k = tg->depth; k < n; k++)
            begin_tag(cr, tg, chain[k]);
    }
    draw_link(cr, it);
    tg->begun++;
}

/* Paint the items of 'page' in order, each in its structure element, the
 * artifacts (items with no element, rules) outside every filled one:
 * where one comes, the filled elements end, and an element whose items
 * go on after it (a paragraph that runs on to the next page, after its
 * running head) is continued by another of its type. Keeping the order
 * keeps the text that pdftotext reads. */
static void
draw_tagged(cairo_t *cr, page_state *nc, tagging *tg, const oc_page *page)
{
    tg->front = page->chapter < 0;
    for (size_t i = 0; i < page->nitems; i++) {
        const oc_item *it = &page->items[i];

        if (it->kind == OC_ITEM_RULE ||
            (it->tag == NULL && it->kind != OC_ITEM_DEST)) {
            leave_filled(cr, tg);
            if (it->kind == OC_ITEM_LINK &&
                (it->uri != NULL || it->dest != NULL))
                tg->begun++;        /* a Link element of cairo's */
            draw_item(cr, nc, it);
        } else if (it->kind == OC_ITEM_LINK) {
            tag_link(cr, tg, it);
        } else {
            if (it->kind != OC_ITEM_DEST)
                enter_tag(cr, tg, it->tag);
            draw_item(cr, nc, it);
        }
    }
}

/* Paint the items of 'page' on 'cr' in page coordinates (points, origin
 * top left), on whatever surface 'cr' draws to, in their structure
 * elements when 'tg' is not NULL. Does not clear, show or end the
 * page. */
static void
draw_page(cairo_t *cr, const oc_page *page, tagging *tg,
          oc_pdfimage_pool *pictures)
{
    page_state *nc = oc_xcalloc(1, sizeof *nc);

    nc->pictures = pictures;
    nc->pdf = tg != NULL;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (tg != NULL)
        draw_tagged(cr, nc, tg, page);
    else
        for (size_t i = 0; i < page->nitems; i++)
            draw_item(cr, nc, &page->items[i]);
    cairo_restore(cr);
    free(nc);
}

void
oc_render_page(oc_render *r, const oc_page *page)
{
    if (r->err.code != OC_OK || r->finished)
        return;
    draw_page(r->cr, page, &r->tags, r->pictures);
    /* cairo's paginated PDF surface replays the page's drawing here into
     * the PDF, glyphs included, and reloads through FreeType those its
     * glyph caches evicted meanwhile: under the font lock, like every
     * other use of the fonts. */
    oc_fonts_lock();
    cairo_show_page(r->cr);
    oc_fonts_unlock();
    check_cairo(r, page->number);
}

void
oc_render_outline(oc_render *r, const oc_outline_entry *entries, size_t n,
                  int open_depth)
{
    int ids[7] = { CAIRO_PDF_OUTLINE_ROOT };
    int levels[7] = { 0 };
    int depth = 0;

    if (r->err.code != OC_OK || r->finished)
        return;
    for (size_t i = 0; i < n; i++) {
        const oc_outline_entry *e = &entries[i];
        GString *a = g_string_new("dest=");
        int flags = e->level < open_depth ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0;

        /* The parent is the nearest earlier entry of a higher rank. */
        while (depth > 0 && levels[depth] >= e->level)
            depth--;
        put_quoted(a, e->dest);
        if (depth < 6) {
            int id = cairo_pdf_surface_add_outline(r->surface, ids[depth],
                                                   e->title, a->str, flags);

            ids[++depth] = id;
            levels[depth] = e->level;
        }
        g_string_free(a, TRUE);
    }
    check_cairo(r, 0);
}

void
oc_render_spool_pictures(oc_render *r, int fd)
{
    if (r->pictures == NULL)
        r->pictures = oc_pdfimage_pool_new(fd);
}

void
oc_render_pictures(const oc_render *r, oc_mend_pictures *pics)
{
    *pics = r->written;
}

void
oc_render_structure(const oc_render *r, oc_mend_structure *st)
{
    st->elems = (const oc_mend_elem *)r->tags.elems->data;
    st->nelems = r->tags.elems->len;
    st->count = r->tags.begun;
    st->front_kids = r->tags.front_kids;
}

oc_status
oc_render_finish(oc_render *r, oc_error *err)
{
    if (!r->finished && r->surface != NULL) {
        oc_fonts_lock();
        if (r->cr != NULL) {
            while (r->tags.depth > 0)
                end_tag(r->cr, &r->tags);
            cairo_destroy(r->cr);
            r->cr = NULL;
        }
        cairo_surface_finish(r->surface);       /* the PDF is written here */
        oc_fonts_unlock();
        check_cairo(r, 0);
        r->finished = true;
        if (r->pictures != NULL && r->err.code == OC_OK)
            oc_pdfimage_pool_finish(r->pictures, &r->written, &r->err);
    }
    if (r->err.code != OC_OK)
        return oc_error_set(err, r->err.code, r->err.file, r->err.line,
                            r->err.col, "%s", r->err.msg);
    return OC_OK;
}

void
oc_render_free(oc_render *r)
{
    if (r == NULL)
        return;
    oc_fonts_lock();
    if (r->cr != NULL)
        cairo_destroy(r->cr);
    if (r->surface != NULL)
        cairo_surface_destroy(r->surface);
    oc_fonts_unlock();
    g_array_free(r->tags.elems, TRUE);
    g_string_chunk_free(r->tags.strings);
    oc_pdfimage_pool_free(r->pictures);
    free(r);
}

oc_status
oc_render_page_png(const oc_page *page, double width, double height,
                   double dpi, oc_buf *png, oc_error *err)
{
    double scale = dpi / 72.0;
    int w = (int)(width * scale + 0.5), h = (int)(height * scale + 0.5);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_status_t cs;
    oc_status st = OC_OK;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    draw_page(cr, page, NULL, NULL);
    cairo_surface_flush(s);
    cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_write_to_png_stream(s, write_buf, png);
    if (cs != CAIRO_STATUS_SUCCESS)
        st = oc_error_set(err, OC_ERR_LIB, NULL, 0, 0,
                          "cairo failed on page %d: %s", page->number,
                          cairo_status_to_string(cs));
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return st;
}
