/* cover.c - draw a typographic cover with cairo and Pango: a dark field,
 * a thin double frame, the title set large, subtitle, authors and series;
 * encoded as PNG by image.c (no timestamp: the same book gives the same
 * bytes). */
#include "cover.h"

#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fontlock.h"
#include "image.h"
#include "shape.h"

#define SERIF "EB Garamond, DejaVu Serif, serif"

/* A Pango layout for cr from the cover's own font map (not a thread's
 * default one, which would be freed when the thread ends, outside the
 * font lock). */
static PangoLayout *
new_layout(cairo_t *cr, PangoFontMap *fm)
{
    PangoContext *ctx = pango_font_map_create_context(fm);
    PangoLayout *l;

    pango_cairo_update_context(cr, ctx);
    l = pango_layout_new(ctx);
    g_object_unref(ctx);
    return l;
}

/* Set 'text' centred in a column 'width' wide with its top at y; returns
 * the height used. */
static double
centred(cairo_t *cr, PangoFontMap *fm, const char *text, const char *font,
        double size, double y, double width, int small_caps)
{
    PangoLayout *l = new_layout(cr, fm);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    PangoAttrList *attrs = pango_attr_list_new();
    int w, h;

    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    if (small_caps)
        pango_attr_list_insert(attrs, pango_attr_variant_new(
                                          PANGO_VARIANT_SMALL_CAPS));
    pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(
                                      (int)(size * 0.04 * PANGO_SCALE)));
    pango_layout_set_attributes(l, attrs);
    pango_layout_set_text(l, text, -1);
    pango_layout_get_pixel_size(l, &w, &h);
    cairo_move_to(cr, (OC_COVER_WIDTH - width) / 2, y);
    pango_cairo_show_layout(cr, l);
    pango_attr_list_unref(attrs);
    pango_font_description_free(fd);
    g_object_unref(l);
    return h;
}

static double
measure(cairo_t *cr, PangoFontMap *fm, const char *text, const char *font,
        double size, double width)
{
    PangoLayout *l = new_layout(cr, fm);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    int w, h;

    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    pango_layout_set_text(l, text, -1);
    pango_layout_get_pixel_size(l, &w, &h);
    pango_font_description_free(fd);
    g_object_unref(l);
    return h;
}

static void
frame(cairo_t *cr, double inset, double width)
{
    cairo_set_line_width(cr, width);
    cairo_rectangle(cr, inset, inset, OC_COVER_WIDTH - 2 * inset,
                    OC_COVER_HEIGHT - 2 * inset);
    cairo_stroke(cr);
}

/* The longest text the cover sets, in bytes: no cover has room for
 * more, and Pango would wrap all of a longer one (a 1 MB title took a
 * minute). A longer text is cut at a character and ends in an ellipsis. */
#define COVER_TEXT_MAX 1000

/* The cover's texts, cut to COVER_TEXT_MAX, and their measures: worked
 * out once, for every band draws the same. */
typedef struct cover_texts {
    const char *title, *subtitle, *authors, *series;
    double      title_size, title_height, authors_height;
    oc_buf      cut[4];
} cover_texts;

static const char *
cut_text(const char *s, oc_buf *cut)
{
    size_t n = COVER_TEXT_MAX;

    if (s == NULL || strlen(s) <= n)
        return s;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;                        /* not inside a character */
    oc_buf_put(cut, s, n);
    oc_buf_puts(cut, "\xe2\x80\xa6");
    return cut->data;
}

static void
measure_texts(cairo_t *cr, PangoFontMap *fm, const oc_manifest *m,
              cover_texts *t)
{
    double col = OC_COVER_WIDTH * 0.72, size = 150;
    oc_buf authors = {0};

    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < m->nauthors; i++)
        oc_buf_printf(&authors, "%s%s", i ? "\n" : "", m->authors[i].name);
    t->title = cut_text(m->title, &t->cut[0]);
    t->subtitle = cut_text(m->subtitle, &t->cut[1]);
    if (authors.len > 0 &&
        (t->authors = cut_text(authors.data, &t->cut[2])) == authors.data) {
        oc_buf_puts(&t->cut[2], authors.data);    /* kept after 'authors' */
        t->authors = t->cut[2].data;
    }
    t->series = cut_text(m->series, &t->cut[3]);
    /* The title shrinks until it fits in four lines or so. */
    while (size > 60 && measure(cr, fm, t->title, SERIF, size, col) >
                            size * 1.25 * 4)
        size *= 0.9;
    t->title_size = size;
    t->title_height = measure(cr, fm, t->title, SERIF, size, col);
    if (t->authors != NULL)
        t->authors_height = measure(cr, fm, t->authors, SERIF, 84, col);
    oc_buf_free(&authors);
}

/* The whole cover, on 'cr' in cover pixels. */
static void
paint_cover(cairo_t *cr, PangoFontMap *fm, const cover_texts *t)
{
    double col = OC_COVER_WIDTH * 0.72, y;

    cairo_set_source_rgb(cr, 0.12, 0.16, 0.21);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.80, 0.68, 0.42);
    frame(cr, 70, 6);
    frame(cr, 92, 2);
    y = OC_COVER_HEIGHT * 0.36 - t->title_height / 2;
    cairo_set_source_rgb(cr, 0.96, 0.94, 0.88);
    y += centred(cr, fm, t->title, SERIF, t->title_size, y, col, 0);
    cairo_set_source_rgb(cr, 0.80, 0.68, 0.42);
    cairo_set_line_width(cr, 3);
    cairo_move_to(cr, OC_COVER_WIDTH / 2.0 - 120, y + 70);
    cairo_line_to(cr, OC_COVER_WIDTH / 2.0 + 120, y + 70);
    cairo_stroke(cr);
    y += 140;
    if (t->subtitle) {
        cairo_set_source_rgb(cr, 0.90, 0.87, 0.80);
        centred(cr, fm, t->subtitle, oc_shape_takes_italic(t->subtitle)
                ? "EB Garamond Italic, DejaVu Serif Italic, serif italic"
                : SERIF, 72, y, col, 0);
    }
    cairo_set_source_rgb(cr, 0.96, 0.94, 0.88);
    if (t->authors != NULL)
        centred(cr, fm, t->authors, SERIF, 84,
                OC_COVER_HEIGHT * 0.80 - t->authors_height, col, 1);
    if (t->series) {
        cairo_set_source_rgb(cr, 0.80, 0.68, 0.42);
        centred(cr, fm, t->series, SERIF, 56, OC_COVER_HEIGHT * 0.86, col,
                1);
    }
}

enum { BAND = 256 };            /* rows drawn at a time */

/* The cover is drawn a band of rows at a time (the same pixels as drawn
 * whole, for each band is the whole drawing moved up by whole pixels),
 * each encoded before the next, so that its pixels are never all in
 * memory. */
oc_status
oc_cover_draw(const oc_manifest *m, oc_buf *png, oc_error *err)
{
    cairo_surface_t *s;
    cairo_font_options_t *fo;
    PangoFontMap *fm;
    cairo_status_t cs = CAIRO_STATUS_SUCCESS;
    oc_png_writer *w = oc_png_writer_new(OC_COVER_WIDTH, OC_COVER_HEIGHT,
                                         png);
    cover_texts t;
    cairo_t *mcr;
    const char *why;

    oc_fonts_lock();
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, OC_COVER_WIDTH, BAND);
    fo = cairo_font_options_create();
    fm = pango_cairo_font_map_new();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    mcr = cairo_create(s);
    cairo_set_font_options(mcr, fo);
    measure_texts(mcr, fm, m, &t);
    cairo_destroy(mcr);
    for (int y0 = 0; y0 < OC_COVER_HEIGHT && cs == CAIRO_STATUS_SUCCESS;
         y0 += BAND) {
        int rows = OC_COVER_HEIGHT - y0 < BAND ? OC_COVER_HEIGHT - y0 : BAND;
        cairo_t *cr = cairo_create(s);

        cairo_set_font_options(cr, fo);
        cairo_translate(cr, 0, -y0);
        paint_cover(cr, fm, &t);
        cairo_destroy(cr);
        cairo_surface_flush(s);
        if ((cs = cairo_surface_status(s)) == CAIRO_STATUS_SUCCESS)
            oc_png_writer_rows(w, cairo_image_surface_get_data(s), rows,
                               cairo_image_surface_get_stride(s));
    }
    for (int i = 0; i < 4; i++)
        oc_buf_free(&t.cut[i]);
    cairo_font_options_destroy(fo);
    g_object_unref(fm);
    cairo_surface_destroy(s);
    oc_fonts_unlock();
    why = oc_png_writer_end(w);
    if (cs != CAIRO_STATUS_SUCCESS)
        return oc_error_set(err, OC_ERR_LIB, m->file, 0, 0,
                            "cannot draw the cover: %s",
                            cairo_status_to_string(cs));
    if (why != NULL)
        return oc_error_set(err, OC_ERR_LIB, m->file, 0, 0,
                            "cannot draw the cover: %s", why);
    return OC_OK;
}

struct oc_cover_job {
    pthread_t       thread;
    bool            running;    /* not yet joined */
    const oc_manifest *m;
    oc_diag        *diag;       /* where the drawing's warnings go */
    oc_buf          png;
    oc_error        err;
    oc_status       st;
};

static void *
draw_job(void *data)
{
    oc_cover_job *job = data;
    oc_diag *prev = oc_diag_enter(job->diag);

    job->st = oc_cover_draw(job->m, &job->png, &job->err);
    oc_diag_leave(prev);
    return NULL;
}

oc_cover_job *
oc_cover_start(const oc_manifest *m, oc_diag *diag)
{
    oc_cover_job *job = oc_xcalloc(1, sizeof *job);

    job->m = m;
    job->diag = diag;
    job->running = pthread_create(&job->thread, NULL, draw_job, job) == 0;
    if (!job->running)              /* no thread to be had: draw it now */
        draw_job(job);
    return job;
}

static void
wait_job(oc_cover_job *job)
{
    if (job->running) {
        pthread_join(job->thread, NULL);
        job->running = false;
    }
}

oc_status
oc_cover_result(oc_cover_job *job, const oc_buf **png, oc_error *err)
{
    wait_job(job);
    if (job->st != OC_OK) {
        *err = job->err;
        return job->st;
    }
    *png = &job->png;
    return OC_OK;
}

void
oc_cover_free(oc_cover_job *job)
{
    if (job == NULL)
        return;
    wait_job(job);
    oc_buf_free(&job->png);
    free(job);
}
