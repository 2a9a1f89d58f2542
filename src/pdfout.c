/* pdfout.c - laid-out pages into a PDF that octavo writes itself: see
 * pdfout.h. Each page's content begins by turning the PDF's space (from
 * the bottom left, y up) into the layout's (points from the top left, y
 * down), as cairo's did: what the content places is where the layout
 * put it, and tools that read positions off the content read them the
 * same way. Glyphs, pictures and forms, drawn y up, are turned back. */
#include "pdfout.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-ft.h>
#include <hb.h>
#include <pango/pangocairo.h>

#include "error.h"
#include "fontlock.h"
#include "image.h"
#include "pdffont.h"
#include "pdfform.h"
#include "pdfimage.h"
#include "pdftags.h"
#include "vector.h"

/* Deeper structure than this paints where the painter is (render.c's
 * limit too). */
enum { MAX_OPEN = 64 };

/* A named destination: where on which page. */
typedef struct dest {
    long   page;
    double x, y;                    /* PDF space */
} dest;

/* A page resource: its name's number and its object. */
typedef struct res {
    int  n;
    long ref;
} res;

struct oc_pdfout {
    oc_pdfw          *w;
    oc_pdfw_copy      copy;         /* NULL: the pictures read back */
    void             *ctx;
    oc_pdffonts      *fonts;
    oc_pdftags       *tags;
    oc_pdfimage_pool *pool;
    double            width, height;
    char             *info[7];      /* title, author, subject, keywords,
                                       creator, created, modified */
    long              pages_ref;
    GArray           *pages;        /* long: page objects as painted */
    GHashTable       *dests;        /* name (owned) → dest */
    GArray           *pictures;     /* long: the pool's id → its object,
                                       0 until shown */
    GHashTable       *jpegs;        /* raster surface → its object */
    GHashTable       *vectors;      /* put_form's keys ("picture width
                                       height") → their forms */
    long              outline;      /* its root, once written; 0: none */
    oc_error          err;
    /* The page being painted. */
    long              page;
    bool              front;
    oc_buf            content;
    GArray           *fonts_used;   /* res: /F<n> */
    GArray           *xobjects;     /* res: /X<n> */
    GArray           *alphas;       /* int: /A<n>, n the alpha × 1000 */
    GArray           *annots;       /* long */
    /* The fill colour set in the content (0..1; alpha 1000ths), so that
     * it is set only when it changes. */
    double            r, g, b;
    int               alpha;
    /* The structure elements open (their tags' seq) and the marked
     * content open: whose (the depth of its element), or none. */
    size_t            open[MAX_OPEN];
    int               depth;
    bool              in_mc;
    bool              in_bt;        /* a text object is open */
    int               tf;           /* its font (the page's /F<n>), or -1 */
};

oc_pdfout *
oc_pdfout_new(oc_pdfw_sink sink, void *ctx, double width, double height,
              const oc_pdf_info *info, int pictures_fd)
{
    oc_pdfout *o = oc_xcalloc(1, sizeof *o);

    o->w = oc_pdfw_new(sink, ctx);
    o->ctx = ctx;
    o->fonts = oc_pdffonts_new();
    o->tags = oc_pdftags_new(o->w);
    o->pool = oc_pdfimage_pool_new(pictures_fd);
    o->width = width;
    o->height = height;
    if (info != NULL) {
        const char *v[7] = { info->title, info->author, info->subject,
                             info->keywords, info->creator,
                             info->create_date, info->mod_date };

        for (int i = 0; i < 7; i++)
            o->info[i] = v[i] != NULL && v[i][0] != '\0' ? oc_xstrdup(v[i])
                                                         : NULL;
    }
    o->pages_ref = oc_pdfw_reserve(o->w);
    o->pages = g_array_new(FALSE, FALSE, sizeof(long));
    o->dests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     g_free);
    o->pictures = g_array_new(FALSE, TRUE, sizeof(long));
    o->jpegs = g_hash_table_new(g_direct_hash, g_direct_equal);
    o->vectors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       NULL);
    o->fonts_used = g_array_new(FALSE, FALSE, sizeof(res));
    o->xobjects = g_array_new(FALSE, FALSE, sizeof(res));
    o->alphas = g_array_new(FALSE, FALSE, sizeof(int));
    o->annots = g_array_new(FALSE, FALSE, sizeof(long));
    return o;
}

void
oc_pdfout_copy_with(oc_pdfout *o, oc_pdfw_copy copy)
{
    o->copy = copy;
}

size_t
oc_pdfout_npages(const oc_pdfout *o)
{
    return o->pages->len;
}

/* ---- the content stream ---- */

static void
num(oc_pdfout *o, double v)
{
    oc_pdfw_num(&o->content, v, 3);
    oc_buf_put(&o->content, " ", 1);
}

/* The fill colour for what follows: its components and alpha. */
static void
fill(oc_pdfout *o, double r, double g, double b, double a)
{
    int alpha = (int)(a * 1000 + 0.5);

    if (alpha < 0)
        alpha = 0;
    if (alpha > 1000)
        alpha = 1000;
    if (r != o->r || g != o->g || b != o->b) {
        num(o, r);
        num(o, g);
        num(o, b);
        oc_buf_puts(&o->content, "rg\n");
        o->r = r;
        o->g = g;
        o->b = b;
    }
    if (alpha != o->alpha) {
        bool known = false;

        for (guint i = 0; i < o->alphas->len && !known; i++)
            known = g_array_index(o->alphas, int, i) == alpha;
        if (!known)
            g_array_append_val(o->alphas, alpha);
        oc_buf_printf(&o->content, "/A%d gs\n", alpha);
        o->alpha = alpha;
    }
}

static void
fill_color(oc_pdfout *o, const oc_para_color *c)
{
    if (c->set)
        fill(o, c->r, c->g, c->b, c->a);
    else
        fill(o, 0, 0, 0, 1);
}

/* End the text object open, if any: what comes next is not text. */
static void
end_text(oc_pdfout *o)
{
    if (o->in_bt)
        oc_buf_puts(&o->content, "ET\n");
    o->in_bt = false;
}

static void
rect(oc_pdfout *o, double x, double y, double w, double h)
{
    end_text(o);
    num(o, x);
    num(o, y);
    num(o, w);
    num(o, h);
    oc_buf_puts(&o->content, "re f\n");
}

/* Resource 'ref' in the page's list 'l' under a number of its own:
 * the number. */
static int
resource(GArray *l, long ref)
{
    res r;

    for (guint i = 0; i < l->len; i++)
        if (g_array_index(l, res, i).ref == ref)
            return g_array_index(l, res, i).n;
    r.n = (int)l->len;
    r.ref = ref;
    g_array_append_val(l, r);
    return r.n;
}

/* Paint XObject 'ref' with its unit square (an image) or its box (a
 * form) mapped by [a 0 0 d e f]. */
static void
place(oc_pdfout *o, long ref, double a, double d, double e, double f)
{
    int n = resource(o->xobjects, ref);

    end_text(o);
    oc_buf_puts(&o->content, "q ");
    num(o, a);
    oc_buf_puts(&o->content, "0 0 ");
    num(o, d);
    num(o, e);
    num(o, f);
    oc_buf_printf(&o->content, "cm /X%d Do Q\n", n);
}

/* ---- text ---- */

/* A cluster of a run: its glyphs [lo, hi) in the glyph string (visual
 * order), its text, and whether the fonts' ToUnicode maps give that
 * text (else it is marked with /ActualText). */
typedef struct cluster {
    int         lo, hi;
    const char *text;
    int         len;
    bool        mapped;
} cluster;

/* Write UTF-8 'text' ('len' bytes) as a text string. */
static void
put_text_n(oc_buf *b, const char *text, int len)
{
    char *s = g_strndup(text, (gsize)len);

    oc_pdfw_text(b, s);
    g_free(s);
}

/* The clusters of run 'gi' over 'text' (the paragraph's), in logical
 * order (the order the text is read back in: a right-to-left run's
 * glyphs are written from its right end), into cl[] (room for every
 * glyph); their number. The font's maps learn each glyph's text. */
static int
clusters_of(oc_pdfout *o, int fi, const PangoGlyphItem *gi,
            const char *text, cluster *cl)
{
    const PangoGlyphString *gs = gi->glyphs;
    bool rtl = gi->item->analysis.level % 2;
    PangoGlyphItemIter iter;
    int n = 0;

    for (bool more = pango_glyph_item_iter_init_start(
             &iter, (PangoGlyphItem *)gi, text);
         more; more = pango_glyph_item_iter_next_cluster(&iter)) {
        int a = MIN(iter.start_glyph, iter.end_glyph);
        int b = MAX(iter.start_glyph, iter.end_glyph);
        cluster *c;
        bool first = true;

        if (rtl) {                  /* (end, start] */
            a++;
            b++;
        }
        if (a >= b)
            continue;
        c = &cl[n++];
        c->lo = a;
        c->hi = b;
        c->text = text + iter.start_index;
        c->len = iter.end_index - iter.start_index;
        c->mapped = true;
        for (int k = a; k < b; k++) {
            PangoGlyph g = gs->glyphs[k].glyph;

            if (g == PANGO_GLYPH_EMPTY)
                continue;
            if (!oc_pdffonts_use(o->fonts, fi, g, first ? c->text : "",
                                 first ? (size_t)c->len : 0))
                c->mapped = false;
            first = false;
        }
    }
    return n;
}

/* A glyph's two-byte code, in hex. */
static void
put_glyph(oc_buf *c, unsigned g)
{
    static const char hex[] = "0123456789ABCDEF";
    char s[6] = { '<', hex[(g >> 12) & 15], hex[(g >> 8) & 15],
                  hex[(g >> 4) & 15], hex[g & 15], '>' };

    oc_buf_put(c, s, sizeof s);
}

/* The text matrix of glyphs of font matrix 'fm' (cairo's: y down, as
 * the page's space) scaled across by 'scale', their origin at (x, y):
 * glyph space is y up. */
static void
text_matrix(oc_pdfout *o, const cairo_matrix_t *fm, double scale,
            double slant, double x, double y)
{
    double a = scale * fm->xx, b = fm->yx;

    num(o, a);
    num(o, b);
    num(o, a * slant - scale * fm->xy);
    num(o, b * slant - fm->yy);
    num(o, x);
    num(o, y);
    oc_buf_puts(&o->content, "Tm\n");
}

/* Paint the glyphs of run 'r' with the left end of its baseline at
 * (x, y), across by 'scale' (font expansion). False for a run only
 * Pango can draw (a glyph no font has, or no font at all). */
static bool
show_run(oc_pdfout *o, const oc_para_run *r, double x, double y,
         double scale)
{
    enum { ON_STACK = 128 };
    const PangoGlyphItem *gi = r->glyphs;
    const PangoGlyphString *gs = gi->glyphs;
    PangoFont *font = gi->item->analysis.font;
    cluster cstack[ON_STACK], *cl = cstack;
    int64_t xstack[ON_STACK], *xs = xstack;    /* each glyph's pen x */
    cairo_matrix_t fm;
    cairo_scaled_font_t *sf;
    hb_font_t *hf;
    long ref;
    int fi, n, rn;
    bool bold = false;
    double slant = 0;
    double pen = 0, size;
    bool in_tj = false, shifted = false;
    oc_buf *c = &o->content;

    if (gs->num_glyphs == 0)
        return true;
    if (font == NULL || !PANGO_IS_CAIRO_FONT(font))
        return false;
    for (int i = 0; i < gs->num_glyphs; i++)
        if (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
            return false;
    sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
    cairo_scaled_font_get_font_matrix(sf, &fm);
    if (!(fm.xx > 0) || !(fm.yy > 0))
        return false;
    /* A style the face lacks, which cairo makes as FreeType does
     * (FT_GlyphSlot_Embolden, _Oblique): outlines thicker by an em/24,
     * slanted by 0x0366A/0x10000; here stroked as they are filled and
     * slanted by the text matrix. */
    if (cairo_font_face_get_type(cairo_scaled_font_get_font_face(sf)) ==
        CAIRO_FONT_TYPE_FT) {
        unsigned synth = cairo_ft_font_face_get_synthesize(
            cairo_scaled_font_get_font_face(sf));

        bold = synth & CAIRO_FT_SYNTHESIZE_BOLD;
        if (synth & CAIRO_FT_SYNTHESIZE_OBLIQUE)
            slant = 0x0366A / 65536.0;
    }
    size = fm.xx;
    hf = pango_font_get_hb_font(font);
    if ((fi = oc_pdffonts_font(o->fonts, o->w, hf, &ref)) < 0)
        return false;               /* drawn by cairo */
    rn = resource(o->fonts_used, ref);
    if (gs->num_glyphs > ON_STACK) {
        cl = oc_xmalloc((size_t)gs->num_glyphs * sizeof *cl);
        xs = oc_xmalloc((size_t)gs->num_glyphs * sizeof *xs);
    }
    for (int i = 0; i < gs->num_glyphs; i++)
        xs[i] = (i > 0 ? xs[i - 1] + gs->glyphs[i - 1].geometry.width : 0);
    n = clusters_of(o, fi, gi, r->text, cl);
    if (!o->in_bt) {
        oc_buf_puts(c, "BT\n");
        o->in_bt = true;
        o->tf = -1;
    }
    if (o->tf != rn)
        oc_buf_printf(c, "/F%d 1 Tf\n", rn);
    o->tf = rn;
    if (bold) {
        num(o, o->r);
        num(o, o->g);
        num(o, o->b);
        oc_buf_puts(c, "RG ");
        num(o, fm.yy / 24);
        oc_buf_puts(c, "w 2 Tr\n");
    }
    text_matrix(o, &fm, scale, slant, x, y);
    for (int k = 0; k < n; k++) {
        const cluster *cu = &cl[k];

        if (!cu->mapped) {
            if (in_tj)
                oc_buf_puts(c, "] TJ\n");
            in_tj = false;
            oc_buf_puts(c, "/Span << /ActualText ");
            put_text_n(c, cu->text, cu->len);
            oc_buf_puts(c, " >> BDC\n");
        }
        for (int i = cu->lo; i < cu->hi; i++) {
            const PangoGlyphInfo *g = &gs->glyphs[i];
            double want = (double)(xs[i] + g->geometry.x_offset) /
                          PANGO_SCALE / size;
            double dy = (double)g->geometry.y_offset / PANGO_SCALE;

            if (g->glyph == PANGO_GLYPH_EMPTY)
                continue;
            if (dy != 0 || shifted) {   /* a mark moved up or down */
                if (in_tj)
                    oc_buf_puts(c, "] TJ\n");
                in_tj = false;
                text_matrix(o, &fm, scale, slant,
                            x + scale * want * size, y + dy);
                pen = want;
                shifted = dy != 0;
            }
            if (!in_tj)
                oc_buf_puts(c, "[");
            in_tj = true;
            if ((pen - want) * 1000 >= 0.5 || (pen - want) * 1000 <= -0.5) {
                oc_buf_reserve(c, 16);
                oc_pdfw_num(c, (pen - want) * 1000, 1);
                pen = want;
            }
            put_glyph(c, g->glyph);
            pen += oc_pdffonts_advance(o->fonts, fi, g->glyph) / 1000;
        }
        if (!cu->mapped) {
            if (in_tj)
                oc_buf_puts(c, "] TJ\n");
            in_tj = false;
            oc_buf_puts(c, "EMC\n");
        }
    }
    if (in_tj)
        oc_buf_puts(c, "] TJ\n");
    if (bold)
        oc_buf_puts(c, "0 Tr\n");
    if (cl != cstack) {
        free(cl);
        free(xs);
    }
    return true;
}

/* What Pango draws itself, through cairo, as a form the page's size. */
typedef struct pango_run {
    const oc_para_run *r;
    double             x, y, scale;
} pango_run;

static void
draw_pango_run(cairo_t *cr, void *ctx)
{
    const pango_run *p = ctx;
    const oc_para_color *c = &p->r->color;

    if (c->set)
        cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
    else
        cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_translate(cr, p->x, p->y);
    cairo_scale(cr, p->scale, 1);
    cairo_move_to(cr, 0, 0);
    pango_cairo_show_glyph_item(cr, p->r->text, p->r->glyphs);
}

/* A form drawn by cairo ('draw' with 'ctx', a box 'w' × 'h') placed with
 * its top left corner at (x, y). With 'key' (g_free'd here), the form
 * made for that key before is placed again, if there is one. */
static void
put_form(oc_pdfout *o, char *key, double x, double y, double w, double h,
         oc_pdfform_draw_fn draw, void *ctx)
{
    long ref = key != NULL
               ? (long)(intptr_t)g_hash_table_lookup(o->vectors, key) : 0;
    oc_error e = { 0 };

    if (ref == 0) {
        if (oc_pdfform_write(o->w, w, h, draw, ctx, &ref, &e) != OC_OK) {
            if (o->err.code == OC_OK)
                o->err = e;
            g_free(key);
            return;
        }
        if (key != NULL)
            g_hash_table_insert(o->vectors, key, (void *)(intptr_t)ref);
    } else {
        g_free(key);
    }
    place(o, ref, 1, -1, x, y + h);
}

/* The rules of line l that go under its glyphs or over them. */
static void
line_rules(oc_pdfout *o, const oc_para_line *l, double x, double y,
           bool under)
{
    for (size_t i = 0; i < l->nrules; i++) {
        const oc_para_rule *ru = &l->rules[i];

        if (ru->under != under)
            continue;
        fill_color(o, &ru->color);
        rect(o, x + ru->x, y + ru->y, ru->w, ru->h);
    }
}

static void
paint_line(oc_pdfout *o, const oc_para_line *l, double x, double y)
{
    line_rules(o, l, x, y, true);
    for (size_t i = 0; i < l->nruns; i++) {
        const oc_para_run *r = &l->runs[i];
        double rx = x + r->x, ry = y - r->rise;

        fill_color(o, &r->color);
        if (!show_run(o, r, rx, ry, l->scale)) {
            pango_run p = { r, rx, ry, l->scale };

            oc_fonts_lock();
            put_form(o, NULL, 0, 0, o->width, o->height, draw_pango_run,
                     &p);
            oc_fonts_unlock();
        }
    }
    line_rules(o, l, x, y, false);
}

/* ---- pictures ---- */

/* The image XObject of a JPEG raster's own file: written now, once. */
static long
jpeg_object(oc_pdfout *o, cairo_surface_t *s, const unsigned char *data,
            unsigned long len)
{
    long ref = (long)(intptr_t)g_hash_table_lookup(o->jpegs, s);
    int colors;
    oc_buf d = { 0 };

    if (ref > 0)
        return ref;
    colors = oc_image_jpeg_as_is(data, len);
    ref = oc_pdfw_reserve(o->w);
    oc_buf_printf(&d, "/Type /XObject /Subtype /Image /Width %d "
                      "/Height %d /ColorSpace /%s /BitsPerComponent 8 "
                      "/Interpolate true /Filter /DCTDecode",
                  cairo_image_surface_get_width(s),
                  cairo_image_surface_get_height(s),
                  colors == 1 ? "DeviceGray" : "DeviceRGB");
    oc_pdfw_stream_raw(o->w, ref, d.data, data, len, NULL, NULL);
    oc_buf_free(&d);
    g_hash_table_insert(o->jpegs, s, (void *)(intptr_t)ref);
    return ref;
}

typedef struct vector_pic {
    const oc_item *it;
} vector_pic;

static void
draw_vector(cairo_t *cr, void *ctx)
{
    const oc_item *it = ((const vector_pic *)ctx)->it;

    oc_vector_draw(it->picture->vector, cr, 0, 0, it->w, it->h);
}

static void
paint_picture(oc_pdfout *o, const oc_item *it)
{
    const oc_picture *pic = it->picture;
    const unsigned char *jpeg = NULL;
    unsigned long n = 0;
    double fy = it->y + it->h;     /* an image's first row is its top */

    if (pic == NULL || it->w <= 0 || it->h <= 0)
        return;
    if (pic->vector != NULL) {
        vector_pic v = { it };

        /* One form for a picture shown at one size, however often. */
        put_form(o, g_strdup_printf("%p %.3f %.3f", (const void *)pic,
                                    it->w, it->h),
                 it->x, it->y, it->w, it->h, draw_vector, &v);
        return;
    }
    if (pic->raster != NULL)
        cairo_surface_get_mime_data(pic->raster, CAIRO_MIME_TYPE_JPEG, &jpeg,
                                    &n);
    if (jpeg != NULL) {
        place(o, jpeg_object(o, pic->raster, jpeg, n), it->w, -it->h, it->x,
              fy);
    } else {
        long id = oc_pdfimage_pool_add(o->pool, pic, it->w);
        long zero = 0;

        if (id < 0)
            return;
        while (o->pictures->len <= (guint)id)
            g_array_append_val(o->pictures, zero);
        if (g_array_index(o->pictures, long, id) == 0)
            g_array_index(o->pictures, long, id) = oc_pdfw_reserve(o->w);
        place(o, g_array_index(o->pictures, long, id), it->w, -it->h, it->x,
              fy);
    }
}

/* ---- links and destinations ---- */

static void
put_dest(oc_pdfout *o, const oc_item *it)
{
    dest *d = g_new(dest, 1);

    d->page = o->page;
    d->x = it->x;
    d->y = o->height - it->y;
    g_hash_table_replace(o->dests, g_strdup(it->dest), d);
}

/* The link annotation of item 'it', its element's key 'sp' in the
 * parent tree: written now. */
static void
put_annot(oc_pdfout *o, const oc_item *it, long ref, int sp)
{
    oc_buf *b = oc_pdfw_begin(o->w, ref);
    double x1 = it->x, y1 = o->height - it->y - it->h;

    oc_buf_puts(b, "<< /Type /Annot /Subtype /Link /Rect [");
    oc_pdfw_num(b, x1, 3);
    oc_buf_puts(b, " ");
    oc_pdfw_num(b, y1, 3);
    oc_buf_puts(b, " ");
    oc_pdfw_num(b, x1 + it->w, 3);
    oc_buf_puts(b, " ");
    oc_pdfw_num(b, y1 + it->h, 3);
    oc_buf_puts(b, "] /BS << /W 0 >> /F 4");
    if (it->uri != NULL) {
        oc_buf_puts(b, " /A << /S /URI /URI ");
        oc_pdfw_string(b, it->uri, strlen(it->uri));
        oc_buf_puts(b, " >>");
    } else {
        oc_buf_puts(b, " /Dest ");
        oc_pdfw_string(b, it->dest, strlen(it->dest));
    }
    if (sp >= 0)
        oc_buf_printf(b, " /StructParent %d", sp);
    oc_buf_puts(b, " >>");
    oc_pdfw_end(o->w);
    g_array_append_val(o->annots, ref);
}

/* ---- structure ---- */

static void
end_mc(oc_pdfout *o)
{
    end_text(o);
    if (o->in_mc)
        oc_buf_puts(&o->content, "EMC\n");
    o->in_mc = false;
}

/* The elements from below the Document down to 't' into chain[]; their
 * number, more than MAX_OPEN for a tree too deep. */
static int
tag_chain(const oc_tag *t, const oc_tag **chain)
{
    int n = 0, k;

    for (const oc_tag *u = t; u != NULL && u->parent != NULL; u = u->parent)
        n++;
    if (n > MAX_OPEN)
        return n;
    k = n;
    for (const oc_tag *u = t; u != NULL && u->parent != NULL; u = u->parent)
        chain[--k] = u;
    return n;
}

/* Make the open elements those of chain[0..n): end the others (and the
 * marked content, if any ends), begin the missing. */
static void
open_chain(oc_pdfout *o, const oc_tag **chain, int n)
{
    int keep = 0;

    while (keep < o->depth && keep < n && o->open[keep] == chain[keep]->seq)
        keep++;
    if (keep < o->depth) {
        end_mc(o);
        while (o->depth > keep) {
            oc_pdftags_close(o->tags);
            o->depth--;
        }
    }
    for (; o->depth < n; o->depth++) {
        const oc_tag *t = chain[o->depth];

        end_mc(o);
        oc_pdftags_open(o->tags, t->type, t->alt, t->lang, t->id,
                        o->front && o->depth == 0);
        o->open[o->depth] = t->seq;
    }
}

/* What is painted next is content of element 't'. */
static void
enter(oc_pdfout *o, const oc_tag *t)
{
    const oc_tag *chain[MAX_OPEN + 1];
    int n = tag_chain(t, chain);

    if (n > MAX_OPEN)
        n = 0;                      /* too deep: where the painter is */
    else
        open_chain(o, chain, n);
    if (!o->in_mc) {
        /* A marked-content sequence begun in a text object must end in
         * it (ISO 32000-1 §14.6): these begin outside. */
        end_text(o);
        oc_pdfw_name(&o->content, n > 0 ? t->type : "Span");
        oc_buf_printf(&o->content, " << /MCID %d >> BDC\n",
                      oc_pdftags_mcid(o->tags));
        o->in_mc = true;
    }
}

/* Link item 'it': an annotation in a Link element of its own, in the
 * item's element (or where the painter is, for one with none). */
static void
put_link(oc_pdfout *o, const oc_item *it)
{
    long ref;
    int sp;

    if (it->uri == NULL && it->dest == NULL)
        return;
    end_mc(o);
    if (it->tag != NULL) {
        const oc_tag *chain[MAX_OPEN + 1];
        int n = tag_chain(it->tag, chain);

        if (n <= MAX_OPEN)
            open_chain(o, chain, n);
    }
    ref = oc_pdfw_reserve(o->w);
    oc_pdftags_open(o->tags, "Link", NULL, NULL, NULL,
                    o->front && o->depth == 0);
    sp = oc_pdftags_annot(o->tags, ref);
    oc_pdftags_close(o->tags);
    put_annot(o, it, ref, sp);
}

/* ---- pages ---- */

static void
paint_item(oc_pdfout *o, const oc_item *it)
{
    double x;

    switch (it->kind) {
    case OC_ITEM_TEXT:
        /* Without the font lock: the fonts were made ready before the
         * page was handed over (oc_render_prepare_page), and what is
         * read of them now (their HarfBuzz font, their matrix) is not
         * changed by the layout; only Pango's own drawing locks. */
        x = it->x;
        for (unsigned k = 0; k <= it->repeat; k++, x += it->pitch)
            paint_line(o, it->para, x, it->y);
        break;
    case OC_ITEM_RULE:
        fill(o, 0, 0, 0, 1);
        rect(o, it->x, it->y, it->w, it->h);
        break;
    case OC_ITEM_IMAGE:
        oc_fonts_lock();            /* an SVG's text goes through Pango */
        paint_picture(o, it);
        oc_fonts_unlock();
        break;
    case OC_ITEM_LINK:
        put_link(o, it);
        break;
    case OC_ITEM_DEST:
        put_dest(o, it);
        break;
    }
}

/* The page's resources dictionary into 'b'. */
static void
put_resources(oc_pdfout *o, oc_buf *b)
{
    oc_buf_puts(b, "<<");
    if (o->fonts_used->len > 0) {
        oc_buf_puts(b, " /Font <<");
        for (guint i = 0; i < o->fonts_used->len; i++) {
            res *r = &g_array_index(o->fonts_used, res, i);

            oc_buf_printf(b, " /F%d %ld 0 R", r->n, r->ref);
        }
        oc_buf_puts(b, " >>");
    }
    if (o->xobjects->len > 0) {
        oc_buf_puts(b, " /XObject <<");
        for (guint i = 0; i < o->xobjects->len; i++) {
            res *r = &g_array_index(o->xobjects, res, i);

            oc_buf_printf(b, " /X%d %ld 0 R", r->n, r->ref);
        }
        oc_buf_puts(b, " >>");
    }
    if (o->alphas->len > 0) {
        oc_buf_puts(b, " /ExtGState <<");
        for (guint i = 0; i < o->alphas->len; i++) {
            int a = g_array_index(o->alphas, int, i);

            oc_buf_printf(b, " /A%d << /ca ", a);
            oc_pdfw_num(b, a / 1000.0, 3);
            oc_buf_puts(b, " /CA ");
            oc_pdfw_num(b, a / 1000.0, 3);
            oc_buf_puts(b, " >>");
        }
        oc_buf_puts(b, " >>");
    }
    oc_buf_puts(b, " >>");
}

void
oc_pdfout_page(oc_pdfout *o, const oc_page *page)
{
    long contents;
    int sp;
    oc_buf *b;

    if (o->err.code != OC_OK || oc_pdfw_status(o->w) != OC_OK)
        return;
    o->page = oc_pdfw_reserve(o->w);
    g_array_append_val(o->pages, o->page);
    o->front = page->chapter < 0;
    o->content.len = 0;
    g_array_set_size(o->fonts_used, 0);
    g_array_set_size(o->xobjects, 0);
    g_array_set_size(o->alphas, 0);
    g_array_set_size(o->annots, 0);
    o->r = o->g = o->b = 0;
    o->alpha = 1000;
    o->in_bt = false;
    o->tf = -1;
    oc_buf_puts(&o->content, "1 0 0 -1 0 ");
    num(o, o->height);
    oc_buf_puts(&o->content, "cm\n");
    oc_pdftags_page_begin(o->tags, o->page);
    for (size_t i = 0; i < page->nitems; i++) {
        const oc_item *it = &page->items[i];

        if (it->kind == OC_ITEM_RULE ||
            (it->tag == NULL && it->kind != OC_ITEM_DEST &&
             it->kind != OC_ITEM_LINK)) {
            end_mc(o);
            oc_buf_puts(&o->content, "/Artifact BMC\n");
            paint_item(o, it);
            end_text(o);
            oc_buf_puts(&o->content, "EMC\n");
        } else {
            if (it->kind == OC_ITEM_TEXT || it->kind == OC_ITEM_IMAGE)
                enter(o, it->tag);
            paint_item(o, it);
        }
    }
    end_mc(o);
    sp = oc_pdftags_page_end(o->tags);
    contents = oc_pdfw_reserve(o->w);
    oc_pdfw_stream(o->w, contents, NULL, o->content.data, o->content.len,
                   true);
    b = oc_pdfw_begin(o->w, o->page);
    oc_buf_printf(b, "<< /Type /Page /Parent %ld 0 R /MediaBox [0 0 ",
                  o->pages_ref);
    oc_pdfw_num(b, o->width, 3);
    oc_buf_puts(b, " ");
    oc_pdfw_num(b, o->height, 3);
    oc_buf_printf(b, "] /Contents %ld 0 R /Resources ", contents);
    put_resources(o, b);
    if (o->annots->len > 0) {
        oc_buf_puts(b, " /Annots [");
        for (guint i = 0; i < o->annots->len; i++)
            oc_buf_printf(b, "%s%ld 0 R", i ? " " : "",
                          g_array_index(o->annots, long, i));
        oc_buf_puts(b, "] /Tabs /S");
    }
    if (sp >= 0)
        oc_buf_printf(b, " /StructParents %d", sp);
    oc_buf_puts(b, " >>");
    oc_pdfw_end(o->w);
}

/* ---- the end of the file ---- */

/* Image XObject 'num' of picture 'p' (its streams in file 'fd'): its
 * colours, with soft mask 'smask' unless it is 0, or ('mask') its
 * alpha. As mend.c's. */
static oc_status
put_image(oc_pdfout *o, const oc_mend_picture *p, int fd, long num,
          bool mask, long smask, oc_buf *d, oc_buf *data, oc_error *err)
{
    int colors = mask ? 1 : p->colors;
    int bits = mask || p->bits == 0 ? 8 : p->bits;
    uint64_t off = mask ? p->mask_off : p->off;
    uint64_t len = mask ? p->mask_len : p->len;

    d->len = 0;
    oc_buf_printf(d, "/Type /XObject /Subtype /Image /Width %ld "
                     "/Height %ld /ColorSpace ", p->width, p->height);
    data->len = 0;
    if (!mask && p->palette_len > 0) {          /* §8.6.6.3 */
        size_t n = p->palette_len < 768 ? (size_t)p->palette_len : 768;
        unsigned char *rgb;

        oc_buf_reserve(data, n);
        rgb = (unsigned char *)data->data;
        if (pread(fd, rgb, n, (off_t)p->palette_off) != (ssize_t)n)
            return oc_error_set(err, OC_ERR_IO, NULL, 0, 0,
                                "cannot read the pictures back");
        oc_buf_printf(d, "[/Indexed /DeviceRGB %zu <", n / 3 - 1);
        for (size_t i = 0; i < n; i++)
            oc_buf_printf(d, "%02X", rgb[i]);
        oc_buf_puts(d, ">]");
    } else {
        oc_buf_puts(d, colors == 1 ? "/DeviceGray" : "/DeviceRGB");
    }
    oc_buf_printf(d, " /BitsPerComponent %d /Interpolate true", bits);
    if (smask > 0)
        oc_buf_printf(d, " /SMask %ld 0 R", smask);
    oc_buf_puts(d, !mask && p->dct ? " /Filter /DCTDecode"
                                   : " /Filter /FlateDecode");
    if (p->predicted)
        oc_buf_printf(d, " /DecodeParms << /Predictor 15 /Colors %d "
                         "/BitsPerComponent %d /Columns %ld >>",
                      colors, bits, p->width);
    if (o->copy != NULL) {
        oc_pdfw_stream_file(o->w, num, d->data, fd, off, len, o->copy,
                            o->ctx);
        return OC_OK;
    }
    oc_buf_reserve(data, (size_t)len);
    if (pread(fd, data->data, (size_t)len, (off_t)off) != (ssize_t)len)
        return oc_error_set(err, OC_ERR_IO, NULL, 0, 0,
                            "cannot read the pictures back");
    oc_pdfw_stream_raw(o->w, num, d->data, data->data, len, NULL, NULL);
    return OC_OK;
}

/* The image XObjects of the pool's pictures shown. */
static oc_status
put_pictures(oc_pdfout *o, oc_error *err)
{
    oc_mend_pictures pics;
    oc_status st = oc_pdfimage_pool_finish(o->pool, &pics, err);
    oc_buf d = { 0 }, data = { 0 };

    for (guint id = 0; st == OC_OK && id < o->pictures->len; id++) {
        long ref = g_array_index(o->pictures, long, id), smask = 0;
        const oc_mend_picture *p;

        if (ref == 0 || id >= pics.n)
            continue;
        p = &pics.list[id];
        if (p->mask_len > 0) {
            smask = oc_pdfw_reserve(o->w);
            st = put_image(o, p, pics.fd, smask, true, 0, &d, &data, err);
        }
        if (st == OC_OK)
            st = put_image(o, p, pics.fd, ref, false, smask, &d, &data, err);
    }
    oc_buf_free(&d);
    oc_buf_free(&data);
    return st;
}

/* Outline item i's explicit destination, from its named one. */
static void
put_outline_dest(oc_pdfout *o, oc_buf *b, const char *name)
{
    const dest *d = name ? g_hash_table_lookup(o->dests, name) : NULL;

    if (d == NULL)
        return;
    oc_buf_printf(b, " /Dest [%ld 0 R /XYZ ", d->page);
    oc_pdfw_num(b, d->x, 3);
    oc_buf_puts(b, " ");
    oc_pdfw_num(b, d->y, 3);
    oc_buf_puts(b, " 0]");
}

/* The outline (§12.3.3), nested by level as render.c nests it; its root
 * object, or 0 for none. */
static long
put_outline(oc_pdfout *o, const oc_outline_entry *outline, size_t n,
            int open_depth)
{
    long *ref, root;
    int *parent, *first, *last, *next, *prev, *count;
    bool *open;
    int stack[8] = { -1 }, levels[8] = { 0 }, depth = 0;
    int vis = 0;

    if (n == 0)
        return 0;
    ref = oc_xcalloc(n, sizeof *ref);
    parent = oc_xcalloc(n, sizeof *parent);
    first = oc_xcalloc(n + 1, sizeof *first);
    last = oc_xcalloc(n + 1, sizeof *last);
    next = oc_xcalloc(n, sizeof *next);
    prev = oc_xcalloc(n, sizeof *prev);
    count = oc_xcalloc(n + 1, sizeof *count);
    open = oc_xcalloc(n, sizeof *open);
    for (size_t i = 0; i <= n; i++)
        first[i] = last[i] = -1;
    root = oc_pdfw_reserve(o->w);
    for (size_t i = 0; i < n; i++) {
        const oc_outline_entry *e = &outline[i];
        int p;

        ref[i] = oc_pdfw_reserve(o->w);
        while (depth > 0 && levels[depth] >= e->level)
            depth--;
        if (depth >= 6) {           /* too deep: not in the outline */
            ref[i] = 0;
            continue;
        }
        p = stack[depth];           /* -1: the root */
        parent[i] = p;
        open[i] = e->level < open_depth;
        prev[i] = last[p + 1];
        next[i] = -1;
        if (last[p + 1] >= 0)
            next[last[p + 1]] = (int)i;
        else
            first[p + 1] = (int)i;
        last[p + 1] = (int)i;
        stack[++depth] = (int)i;
        levels[depth] = e->level;
    }
    /* Counts from the deepest up: an entry comes before its children. */
    for (size_t k = n; k-- > 0;) {
        int p = parent[k];
        int add;

        if (ref[k] == 0)
            continue;
        add = 1 + (open[k] ? (count[k + 1] > 0 ? count[k + 1] : 0) : 0);
        count[p + 1] += add;
    }
    vis = count[0];
    for (size_t i = 0; i < n; i++) {
        oc_buf *b;

        if (ref[i] == 0)
            continue;
        b = oc_pdfw_begin(o->w, ref[i]);
        oc_buf_puts(b, "<< /Title ");
        oc_pdfw_text(b, outline[i].title ? outline[i].title : "");
        oc_buf_printf(b, " /Parent %ld 0 R",
                      parent[i] < 0 ? root : ref[parent[i]]);
        if (prev[i] >= 0)
            oc_buf_printf(b, " /Prev %ld 0 R", ref[prev[i]]);
        if (next[i] >= 0)
            oc_buf_printf(b, " /Next %ld 0 R", ref[next[i]]);
        if (first[i + 1] >= 0)
            oc_buf_printf(b, " /First %ld 0 R /Last %ld 0 R /Count %d",
                          ref[first[i + 1]], ref[last[i + 1]],
                          open[i] ? count[i + 1] : -count[i + 1]);
        put_outline_dest(o, b, outline[i].dest);
        oc_buf_puts(b, " >>");
        oc_pdfw_end(o->w);
    }
    {
        oc_buf *b = oc_pdfw_begin(o->w, root);

        oc_buf_puts(b, "<< /Type /Outlines");
        if (first[0] >= 0)
            oc_buf_printf(b, " /First %ld 0 R /Last %ld 0 R /Count %d",
                          ref[first[0]], ref[last[0]], vis);
        oc_buf_puts(b, " >>");
        oc_pdfw_end(o->w);
    }
    free(ref);
    free(parent);
    free(first);
    free(last);
    free(next);
    free(prev);
    free(count);
    free(open);
    return root;
}

oc_status
oc_pdfout_end_pages(oc_pdfout *o, const oc_outline_entry *entries, size_t n,
                    int open_depth, oc_error *err)
{
    oc_status st;

    if (o->err.code != OC_OK) {
        *err = o->err;
        return o->err.code;
    }
    if ((st = put_pictures(o, err)) != OC_OK)
        return st;
    o->outline = put_outline(o, entries, n, open_depth);
    return OC_OK;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The named destinations' tree (§12.3.2.3), one node; 0 if none. */
static long
put_dests(oc_pdfout *o)
{
    guint n;
    char **names = (char **)g_hash_table_get_keys_as_array(o->dests, &n);
    long ref = 0;

    if (n > 0) {
        oc_buf *b;

        qsort(names, n, sizeof *names, by_name);
        ref = oc_pdfw_reserve(o->w);
        b = oc_pdfw_begin(o->w, ref);
        oc_buf_puts(b, "<< /Names [");
        for (guint i = 0; i < n; i++) {
            const dest *d = g_hash_table_lookup(o->dests, names[i]);

            oc_buf_puts(b, i ? "\n" : "");
            oc_pdfw_string(b, names[i], strlen(names[i]));
            oc_buf_printf(b, " [%ld 0 R /XYZ ", d->page);
            oc_pdfw_num(b, d->x, 3);
            oc_buf_puts(b, " ");
            oc_pdfw_num(b, d->y, 3);
            oc_buf_puts(b, " 0]");
        }
        oc_buf_puts(b, "] /Limits [");
        oc_pdfw_string(b, names[0], strlen(names[0]));
        oc_buf_puts(b, " ");
        oc_pdfw_string(b, names[n - 1], strlen(names[n - 1]));
        oc_buf_puts(b, "] >>");
        oc_pdfw_end(o->w);
    }
    g_free(names);
    return ref;
}

/* The XMP metadata (§14.3.2): the title, and PDF/UA's identification
 * (ISO 14289-1 §5). */
static long
put_metadata(oc_pdfout *o, const char *title)
{
    long ref = oc_pdfw_reserve(o->w);
    oc_buf x = { 0 };

    oc_pdfw_xmp(&x, title);
    oc_pdfw_stream(o->w, ref, "/Type /Metadata /Subtype /XML", x.data, x.len,
                   false);
    oc_buf_free(&x);
    return ref;
}

/* A PDF date, "D:YYYYMMDDHHmmSSZ", from ISO 8601 "YYYY-MM-DDTHH:MM:SSZ". */
static void
put_date(oc_buf *b, const char *iso)
{
    char d[32] = "D:";
    size_t k = 2;

    for (const char *p = iso; *p != '\0' && k < sizeof d - 2; p++)
        if (*p >= '0' && *p <= '9')
            d[k++] = *p;
    d[k++] = 'Z';
    d[k] = '\0';
    oc_pdfw_string(b, d, k);
}

static long
put_info(oc_pdfout *o)
{
    static const char *keys[7] = { "Title", "Author", "Subject", "Keywords",
                                   "Creator", "CreationDate", "ModDate" };
    long ref = oc_pdfw_reserve(o->w);
    oc_buf *b = oc_pdfw_begin(o->w, ref);

    oc_buf_puts(b, "<<");
    for (int i = 0; i < 7; i++) {
        if (o->info[i] == NULL)
            continue;
        oc_buf_printf(b, " /%s ", keys[i]);
        if (i >= 5)
            put_date(b, o->info[i]);
        else
            oc_pdfw_text(b, o->info[i]);
    }
    oc_buf_puts(b, " /Producer (octavo) >>");
    oc_pdfw_end(o->w);
    return ref;
}

/* Whether BCP 47 tag 's' is plain (letters, digits, '-'). */
static bool
plain_lang(const char *s)
{
    if (s == NULL || *s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (!g_ascii_isalnum(*s) && *s != '-')
            return false;
    return true;
}

oc_status
oc_pdfout_finish(oc_pdfout *o, const oc_pdfout_book *bk, oc_error *err)
{
    size_t np = o->pages->len, nfront = bk->nfront < np ? bk->nfront : 0;
    long root, tree, outline = o->outline, dests, xmp, info, catalog;
    unsigned char id[16];
    uint64_t h = 1469598103934665603ull;
    oc_status st;
    oc_buf *b;

    if (o->err.code != OC_OK) {
        *err = o->err;
        return o->err.code;
    }
    if ((st = oc_pdffonts_write(o->fonts, o->w, err)) != OC_OK)
        return st;
    tree = oc_pdftags_finish(o->tags);
    dests = put_dests(o);
    xmp = put_metadata(o, bk->title);
    info = put_info(o);
    b = oc_pdfw_begin(o->w, o->pages_ref);
    oc_buf_puts(b, "<< /Type /Pages /Kids [");
    for (size_t k = 0; k < np; k++) {
        size_t i = k < nfront ? np - nfront + k : k - nfront;

        oc_buf_printf(b, "%s%ld 0 R", k % 8 ? " " : "\n",
                      g_array_index(o->pages, long, i));
    }
    oc_buf_printf(b, "] /Count %zu >>", np);
    oc_pdfw_end(o->w);
    catalog = oc_pdfw_reserve(o->w);
    b = oc_pdfw_begin(o->w, catalog);
    oc_buf_printf(b, "<< /Type /Catalog /Pages %ld 0 R", o->pages_ref);
    if (plain_lang(bk->lang))
        oc_buf_printf(b, " /Lang (%s)", bk->lang);
    oc_buf_printf(b, " /StructTreeRoot %ld 0 R /MarkInfo << /Marked true >>",
                  tree);
    oc_buf_printf(b, " /Metadata %ld 0 R", xmp);
    oc_buf_puts(b, " /ViewerPreferences << /DisplayDocTitle true >>");
    if (outline > 0)
        oc_buf_printf(b, " /Outlines %ld 0 R /PageMode /UseOutlines",
                      outline);
    if (dests > 0)
        oc_buf_printf(b, " /Names << /Dests %ld 0 R >>", dests);
    oc_buf_puts(b, " /PageLabels << /Nums [");
    if (nfront > 0)
        oc_buf_printf(b, "0 << /S /%c >> ", bk->front_style);
    oc_buf_printf(b, "%zu << /S /%c >>] >> >>", nfront, bk->body_style);
    oc_pdfw_end(o->w);
    /* The file's identifier: a hash of what names it. */
    for (int i = 0; i < 7; i++)
        for (const char *p = o->info[i] ? o->info[i] : ""; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h ^= np;
    for (int i = 0; i < 16; i++) {
        h = (h ^ (uint64_t)i) * 1099511628211ull;
        id[i] = (unsigned char)(h >> 56);
    }
    root = catalog;
    return oc_pdfw_finish(o->w, root, info, id, err);
}

void
oc_pdfout_free(oc_pdfout *o)
{
    if (o == NULL)
        return;
    oc_pdfimage_pool_free(o->pool);
    oc_pdftags_free(o->tags);
    oc_fonts_lock();
    oc_pdffonts_free(o->fonts);
    oc_fonts_unlock();
    oc_pdfw_free(o->w);
    for (int i = 0; i < 7; i++)
        free(o->info[i]);
    g_array_free(o->pages, TRUE);
    g_hash_table_destroy(o->dests);
    g_array_free(o->pictures, TRUE);
    g_hash_table_destroy(o->jpegs);
    g_hash_table_destroy(o->vectors);
    g_array_free(o->fonts_used, TRUE);
    g_array_free(o->xobjects, TRUE);
    g_array_free(o->alphas, TRUE);
    g_array_free(o->annots, TRUE);
    oc_buf_free(&o->content);
    free(o);
}
