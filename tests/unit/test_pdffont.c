/* test_pdffont.c - the fonts of the PDF octavo writes itself: a page of
 * EB Garamond (CFF), DejaVu Sans (TrueType) and Noto Sans CJK (the
 * CID-keyed CFF of a collection), each subset and embedded, checked by
 * qpdf, pdffonts and pdftotext, painted by poppler and MuPDF without a
 * word on stderr and like the same glyphs in cairo's PDF; the rules of
 * a glyph's text; the widths written. KEEP=1 in the environment keeps
 * the files in /tmp/test_pdffont.* to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "pdffont.h"
#include "pdfw.h"

enum { SIZE = 24, NSAMPLES = 3 };

/* What the page draws: a face found by fontconfig and a line of it. */
typedef struct sample {
    const char *pattern;        /* fontconfig's */
    const char *expect;         /* a part of the file's name */
    const char *text;
} sample;

static const sample SAMPLES[NSAMPLES] = {
    { "EB Garamond 12", "EBGaramond", "The first office waffle, fjord" },
    { "DejaVu Sans", "DejaVuSans", "Hello, W\xc3\xb6rld \xe2\x86\x92 \xc2\xbd" },
    { "Noto Sans CJK SC", "NotoSansCJK",
      "\xe4\xb8\xad\xe6\x96\x87\xe6\x8e\x92\xe7\x89\x88\xe3\x80\x82"
      "\xe6\xbc\xa2\xe5\xad\x97" },             /* 中文排版。漢字 */
};

/* A face opened as Pango would: its file and index in a collection. */
typedef struct face {
    char       file[1024];
    int        index;
    hb_face_t *hb;
    hb_font_t *font;            /* at SIZE, as Pango's is at its size */
    long       size;            /* of the file */
} face;

static void
open_face(const sample *s, face *f)
{
    FcPattern *p = FcNameParse((const FcChar8 *)s->pattern);
    FcPattern *m;
    FcResult r;
    FcChar8 *file = NULL;
    hb_blob_t *blob;
    struct stat st;

    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    m = FcFontMatch(NULL, p, &r);
    assert_non_null(m);
    assert_int_equal(FcPatternGetString(m, FC_FILE, 0, &file), FcResultMatch);
    snprintf(f->file, sizeof f->file, "%s", (const char *)file);
    f->index = 0;
    FcPatternGetInteger(m, FC_INDEX, 0, &f->index);
    FcPatternDestroy(m);
    FcPatternDestroy(p);
    if (strstr(f->file, s->expect) == NULL) {
        fprintf(stderr, "font '%s' not installed (got %s)\n", s->pattern,
                f->file);
        skip();
    }
    assert_int_equal(stat(f->file, &st), 0);
    f->size = (long)st.st_size;
    blob = hb_blob_create_from_file(f->file);
    f->hb = hb_face_create(blob, (unsigned)f->index);
    hb_blob_destroy(blob);
    f->font = hb_font_create(f->hb);
    hb_font_set_scale(f->font, SIZE * 64, SIZE * 64);
}

static void
close_face(face *f)
{
    hb_font_destroy(f->font);
    hb_face_destroy(f->hb);
}

/* A line shaped: glyph ids, and each one's advance in points as the
 * PDF sets it. */
typedef struct line {
    unsigned gid[64];
    double   x[64];
    int      n;
} line;

/* Shape 'text' with 'f', every glyph used in font 'idx' (the first of a
 * cluster with the cluster's text, the others with none); returns the
 * line's glyphs. */
static void
shape(oc_pdffonts *fs, int idx, face *f, const char *text, line *l)
{
    hb_buffer_t *buf = hb_buffer_create();
    hb_glyph_info_t *info;
    unsigned n;
    double x = 0;

    hb_buffer_add_utf8(buf, text, -1, 0, -1);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(f->font, buf, NULL, 0);
    info = hb_buffer_get_glyph_infos(buf, &n);
    assert_true(n < 64);
    l->n = (int)n;
    for (unsigned i = 0; i < n; i++) {
        unsigned c = info[i].cluster;
        size_t end = strlen(text);
        bool first = i == 0 || info[i - 1].cluster != c;

        for (unsigned j = i + 1; j < n; j++)
            if (info[j].cluster != c) {
                end = info[j].cluster;
                break;
            }
        assert_true(oc_pdffonts_use(fs, idx, info[i].codepoint, text + c,
                                    first ? end - c : 0));
        l->gid[i] = info[i].codepoint;
        l->x[i] = x;
        x += oc_pdffonts_advance(fs, idx, info[i].codepoint) * SIZE / 1000;
    }
    hb_buffer_destroy(buf);
}

static oc_status
to_file(const char *data, size_t len, void *ctx, oc_error *err)
{
    (void)err;
    return fwrite(data, 1, len, ctx) == len ? OC_OK : OC_ERR_IO;
}

static oc_status
to_nowhere(const char *data, size_t len, void *ctx, oc_error *err)
{
    (void)data;
    (void)len;
    (void)ctx;
    (void)err;
    return OC_OK;
}

/* The baseline of sample i, from the top of the page. */
static double
baseline(int i)
{
    return 60.0 + 60.0 * i;
}

static const double PAGE_W = 500, PAGE_H = 240, LEFT = 20;

/* Our PDF of the samples at 'path': one page, font i named /F<i>. */
static void
write_ours(const char *path, face *faces, line *lines)
{
    FILE *fp = fopen(path, "wb");
    oc_pdfw *w = oc_pdfw_new(to_file, fp);
    oc_pdffonts *fs = oc_pdffonts_new();
    long refs[NSAMPLES];
    long catalog = oc_pdfw_reserve(w);
    long pages = oc_pdfw_reserve(w);
    long page = oc_pdfw_reserve(w);
    long content = oc_pdfw_reserve(w);
    oc_buf c = {0};
    oc_buf *b;
    oc_error err = {0};

    assert_non_null(fp);
    for (int i = 0; i < NSAMPLES; i++) {
        assert_int_equal(oc_pdffonts_font(fs, w, faces[i].font, &refs[i]), i);
        shape(fs, i, &faces[i], SAMPLES[i].text, &lines[i]);
        oc_buf_printf(&c, "BT /F%d %d Tf %g %g Td <", i, SIZE, LEFT,
                      PAGE_H - baseline(i));
        for (int k = 0; k < lines[i].n; k++)
            oc_buf_printf(&c, "%04X", lines[i].gid[k]);
        oc_buf_puts(&c, "> Tj ET\n");
    }
    oc_pdfw_stream(w, content, NULL, c.data, c.len, true);
    b = oc_pdfw_begin(w, page);
    oc_buf_printf(b, "<< /Type /Page /Parent %ld 0 R /MediaBox [0 0 %g %g] "
                  "/Contents %ld 0 R /Resources << /Font <<", pages, PAGE_W,
                  PAGE_H, content);
    for (int i = 0; i < NSAMPLES; i++)
        oc_buf_printf(b, " /F%d %ld 0 R", i, refs[i]);
    oc_buf_puts(b, " >> >> >>");
    oc_pdfw_end(w);
    b = oc_pdfw_begin(w, pages);
    oc_buf_printf(b, "<< /Type /Pages /Kids [%ld 0 R] /Count 1 >>", page);
    oc_pdfw_end(w);
    b = oc_pdfw_begin(w, catalog);
    oc_buf_printf(b, "<< /Type /Catalog /Pages %ld 0 R >>", pages);
    oc_pdfw_end(w);
    assert_int_equal(oc_pdffonts_write(fs, w, &err), OC_OK);
    assert_int_equal(oc_pdfw_finish(w, catalog, 0, NULL, &err), OC_OK);
    oc_pdffonts_free(fs);
    oc_pdfw_free(w);
    oc_buf_free(&c);
    assert_int_equal(fclose(fp), 0);
}

/* FreeType, for cairo: freed at the end, after cairo's caches. */
static FT_Library ft;

static void
done_face(void *fc)
{
    FT_Done_Face(fc);
}

/* The same glyphs at the same places in cairo's PDF, whose embedding
 * is known to paint right: the reference the pictures are held to. */
static void
write_cairos(const char *path, face *faces, line *lines)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(s);
    static const cairo_user_data_key_t key;

    if (ft == NULL)
        assert_int_equal(FT_Init_FreeType(&ft), 0);
    for (int i = 0; i < NSAMPLES; i++) {
        FT_Face fc;
        cairo_font_face_t *cf;
        cairo_glyph_t g[64];

        assert_int_equal(FT_New_Face(ft, faces[i].file, faces[i].index, &fc),
                         0);
        cf = cairo_ft_font_face_create_for_ft_face(fc, 0);
        /* The FT_Face lives as long as cairo keeps the font face. */
        cairo_font_face_set_user_data(cf, &key, fc, done_face);
        cairo_set_font_face(cr, cf);
        cairo_set_font_size(cr, SIZE);
        for (int k = 0; k < lines[i].n; k++) {
            g[k].index = lines[i].gid[k];
            g[k].x = LEFT + lines[i].x[k];
            g[k].y = baseline(i);
        }
        cairo_show_glyphs(cr, g, lines[i].n);
        cairo_font_face_destroy(cf);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);    /* the fonts are written here */
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

/* Run 'cmd' (a shell command): its exit status, its standard output in
 * *out and its standard error in *errout (either NULL: dropped). */
static int
run(const char *cmd, oc_buf *out, oc_buf *errout)
{
    char full[2048], efile[] = "/tmp/test_pdffont-err.XXXXXX";
    char chunk[4096];
    int fd = mkstemp(efile);
    FILE *p;
    size_t n;
    int status;

    assert_true(fd >= 0);
    close(fd);
    snprintf(full, sizeof full, "%s 2>%s", cmd, efile);
    p = popen(full, "r");
    assert_non_null(p);
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        if (out != NULL)
            oc_buf_put(out, chunk, n);
    status = pclose(p);
    if (errout != NULL) {
        oc_error err = {0};

        assert_int_equal(oc_buf_read_file(errout, efile, 0, &err), OC_OK);
        oc_buf_puts(errout, "");        /* data not NULL */
    }
    unlink(efile);
    if (out != NULL)
        oc_buf_puts(out, "");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool
have(const char *tool)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

/* A directory of the test's files, removed at the end. */
typedef struct fixture {
    char  dir[64];
    char  ours[128], cairos[128];
    face  faces[NSAMPLES];
    line  lines[NSAMPLES];
} fixture;

static int
setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);

    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_pdffont.XXXXXX");
    if (fx == NULL || mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->ours, sizeof fx->ours, "%s/ours.pdf", fx->dir);
    snprintf(fx->cairos, sizeof fx->cairos, "%s/cairo.pdf", fx->dir);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    fixture *fx = *state;
    char cmd[128];

    for (int i = 0; i < NSAMPLES; i++)
        if (fx->faces[i].hb != NULL)
            close_face(&fx->faces[i]);
    if (getenv("KEEP") != NULL)
        return 0;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

/* The samples' faces opened and the page written, ours and cairo's. */
static void
write_both(fixture *fx)
{
    for (int i = 0; i < NSAMPLES; i++)
        open_face(&SAMPLES[i], &fx->faces[i]);
    write_ours(fx->ours, fx->faces, fx->lines);
    write_cairos(fx->cairos, fx->faces, fx->lines);
}

static long
file_size(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return (long)st.st_size;
}

static void
test_three_faces_are_embedded_subset_and_give_back_their_text(void **state)
{
    fixture *fx = *state;
    oc_buf out = {0};
    oc_buf err = {0};
    char cmd[512];
    long fonts = 0;
    const char *p;

    if (!have("qpdf") || !have("pdffonts") || !have("pdftotext"))
        skip();
    write_both(fx);

    snprintf(cmd, sizeof cmd, "qpdf --check '%s'", fx->ours);
    assert_int_equal(run(cmd, &out, &err), 0);
    assert_non_null(strstr(out.data, "No syntax or stream encoding errors"));
    assert_int_equal(err.len, 0);

    /* name, type, encoding, emb sub uni: every font embedded, subset,
     * with a ToUnicode map. */
    out.len = 0;
    snprintf(cmd, sizeof cmd, "pdffonts '%s'", fx->ours);
    assert_int_equal(run(cmd, &out, NULL), 0);
    p = out.data;
    for (int i = 0; i < 2; i++)         /* the two lines of the heading */
        p = strchr(p, '\n') + 1;
    for (int i = 0; i < NSAMPLES; i++) {
        const char *end = strchr(p, '\n');
        char l[256];

        assert_non_null(end);
        snprintf(l, sizeof l, "%.*s", (int)(end - p), p);
        assert_non_null(strstr(l, "Identity-H"));
        assert_non_null(strstr(l, i == 1 ? "CID TrueType" : "CID Type 0C"));
        assert_non_null(strstr(l, "yes yes yes"));
        assert_true(l[6] == '+');
        for (int k = 0; k < 6; k++)
            assert_true(l[k] >= 'A' && l[k] <= 'Z');
        p = end + 1;
    }
    assert_non_null(strstr(out.data, "+EBGaramond12-Regular"));
    assert_non_null(strstr(out.data, "+DejaVuSans "));
    assert_non_null(strstr(out.data, "+NotoSansCJK"));

    out.len = 0;
    snprintf(cmd, sizeof cmd, "pdftotext '%s' -", fx->ours);
    assert_int_equal(run(cmd, &out, NULL), 0);
    for (int i = 0; i < NSAMPLES; i++) {
        if (strstr(out.data, SAMPLES[i].text) == NULL)
            fail_msg("'%s' not in pdftotext's text:\n%s", SAMPLES[i].text,
                     out.data);
    }

    for (int i = 0; i < NSAMPLES; i++)
        fonts += fx->faces[i].size;
    print_message("ours %ld bytes, cairo's %ld, the fonts' files %ld\n",
                  file_size(fx->ours), file_size(fx->cairos), fonts);
    assert_true(file_size(fx->ours) < fonts / 100);
    oc_buf_free(&out);
    oc_buf_free(&err);
}

static const char ICC[] = "warning: ICC support is not available\n";

/* The picture of 'pdf' painted by 'tool' (0 poppler, 1 MuPDF), grey,
 * at 144 dpi; nothing on its stderr. */
static cairo_surface_t *
paint(const fixture *fx, const char *pdf, int tool)
{
    char cmd[512], png[160];
    oc_buf err = {0};
    cairo_surface_t *s;

    snprintf(png, sizeof png, "%s/painted", fx->dir);
    if (tool == 0)
        snprintf(cmd, sizeof cmd,
                 "pdftoppm -r 144 -gray -png -singlefile '%s' '%s'", pdf,
                 png);
    else
        snprintf(cmd, sizeof cmd, "mutool draw -q -r 144 -c gray "
                 "-o '%s.png' '%s'", png, pdf);
    assert_int_equal(run(cmd, NULL, &err), 0);
    /* This MuPDF, built without lcms2, says so of every file. */
    for (char *l; (l = strstr(err.data, ICC)) != NULL;)
        memmove(l, l + strlen(ICC), strlen(l + strlen(ICC)) + 1);
    if (err.data[0] != '\0')
        fail_msg("%s: %s", cmd, err.data);
    oc_buf_free(&err);
    strcat(png, ".png");
    s = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    unlink(png);
    return s;
}

/* The grey of pixel (x, y) (0 black, 255 white), whatever the format. */
static int
grey(cairo_surface_t *s, int x, int y)
{
    const unsigned char *row = cairo_image_surface_get_data(s) +
                               (size_t)y * cairo_image_surface_get_stride(s);

    if (cairo_image_surface_get_format(s) == CAIRO_FORMAT_A8)
        return 255 - row[x];
    return (int)(((const uint32_t *)(const void *)row)[x] & 0xff);
}

/* Whether pixel (x, y) of 'a' is far from every pixel of 'b' around it:
 * cairo writes each glyph's place rounded (to a thousandth of the em a
 * glyph, which adds up along the line), so the two pictures may be a
 * pixel apart; a wrong glyph is many pixels off. */
static bool
far(cairo_surface_t *a, cairo_surface_t *b, int x, int y)
{
    int w = cairo_image_surface_get_width(a);
    int h = cairo_image_surface_get_height(a);
    int ga = grey(a, x, y);

    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
            if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h &&
                abs(ga - grey(b, x + dx, y + dy)) <= 96)
                return false;
    return true;
}

static void
test_glyphs_paint_as_in_cairos_pdf(void **state)
{
    fixture *fx = *state;

    if (!have("pdftoppm") || !have("mutool"))
        skip();
    write_both(fx);
    for (int tool = 0; tool < 2; tool++) {
        cairo_surface_t *a = paint(fx, fx->ours, tool);
        cairo_surface_t *b = paint(fx, fx->cairos, tool);
        int w = cairo_image_surface_get_width(a);
        int h = cairo_image_surface_get_height(a);

        cairo_surface_flush(a);
        cairo_surface_flush(b);
        assert_int_equal(cairo_image_surface_get_width(b), w);
        assert_int_equal(cairo_image_surface_get_height(b), h);
        /* Each line apart: its ink, and the pixels that differ much
         * from all their neighbours' in the other picture. */
        for (int i = 0; i < NSAMPLES; i++) {
            int y0 = (int)((baseline(i) - 40) * 2);
            int y1 = (int)((baseline(i) + 15) * 2);
            long ink = 0, off = 0;

            for (int y = y0; y < y1 && y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int ga = grey(a, x, y), gb = grey(b, x, y);

                    ink += ga < 128 || gb < 128;
                    off += far(a, b, x, y) || far(b, a, x, y);
                }
            }
            print_message("%s, line %d: %ld ink pixels, %ld differ\n",
                          tool ? "mutool" : "pdftoppm", i, ink, off);
            assert_true(ink > 500);
            assert_true(off * 50 < ink);        /* under 2 % */
        }
        cairo_surface_destroy(a);
        cairo_surface_destroy(b);
    }
}

static void
test_a_glyph_keeps_the_first_text_it_is_drawn_for(void **state)
{
    fixture *fx = *state;
    oc_pdffonts *fs = oc_pdffonts_new();
    oc_pdfw *w = oc_pdfw_new(to_nowhere, NULL);
    face *f = &fx->faces[1];
    long ref, ref2;
    char big[300];

    open_face(&SAMPLES[1], f);
    assert_int_equal(oc_pdffonts_font(fs, w, f->font, &ref), 0);
    /* Another font of the face (another size): the same PDF font. */
    {
        hb_font_t *other = hb_font_create(f->hb);

        hb_font_set_scale(other, 7 * 64, 7 * 64);
        assert_int_equal(oc_pdffonts_font(fs, w, other, &ref2), 0);
        assert_int_equal(ref2, ref);
        hb_font_destroy(other);
    }
    assert_true(oc_pdffonts_use(fs, 0, 36, "A", 1));
    assert_true(oc_pdffonts_use(fs, 0, 36, "A", 1));
    assert_false(oc_pdffonts_use(fs, 0, 36, "B", 1));
    assert_false(oc_pdffonts_use(fs, 0, 36, "AB", 2));
    assert_false(oc_pdffonts_use(fs, 0, 36, "", 0));  /* it has text */
    /* No text first, then text: the text is its own. */
    assert_true(oc_pdffonts_use(fs, 0, 37, "", 0));
    assert_true(oc_pdffonts_use(fs, 0, 37, "Bb", 2));
    assert_true(oc_pdffonts_use(fs, 0, 37, "Bb", 2));
    /* Text too long for a ToUnicode entry: left to /ActualText. */
    memset(big, 'x', sizeof big);
    assert_false(oc_pdffonts_use(fs, 0, 38, big, sizeof big));
    assert_true(oc_pdffonts_use(fs, 0, 38, big, 200));
    /* Not a glyph of the face. */
    assert_false(oc_pdffonts_use(fs, 0, 1u << 20, "A", 1));
    assert_true(oc_pdffonts_advance(fs, 0, 1u << 20) == 0);
    oc_pdffonts_free(fs);
    oc_pdfw_free(w);
}

/* The next number of the text at *p, *p moved past it. */
static double
number(const char **p)
{
    char *end;
    double v;

    while (**p == ' ' || **p == '\n')
        (*p)++;
    v = strtod(*p, &end);
    assert_true(end != *p);
    *p = end;
    return v;
}

static void
test_widths_are_the_advances_and_text_may_be_astral(void **state)
{
    fixture *fx = *state;
    char path[128], cmd[512];
    FILE *fp;
    oc_pdfw *w;
    oc_pdffonts *fs = oc_pdffonts_new();
    oc_buf out = {0};
    oc_buf *b;
    oc_error err = {0};
    long refs[2];
    long catalog, pages, page, content;
    const char *p;
    int checked = 0;
    /* DejaVu's glyphs for "Hill 1/2": H i l 1 ... and one drawn for an
     * astral letter (U+1D538). */
    static const char *const glyph_text[] = { "H", "i", "l", "l", " ",
                                               "\xc2\xbd" };
    unsigned gids[7];

    if (!have("qpdf") || !have("pdftotext"))
        skip();
    snprintf(path, sizeof path, "%s/widths.pdf", fx->dir);
    open_face(&SAMPLES[1], &fx->faces[1]);
    open_face(&SAMPLES[0], &fx->faces[0]);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    w = oc_pdfw_new(to_file, fp);
    catalog = oc_pdfw_reserve(w);
    pages = oc_pdfw_reserve(w);
    page = oc_pdfw_reserve(w);
    content = oc_pdfw_reserve(w);
    assert_int_equal(oc_pdffonts_font(fs, w, fx->faces[1].font, &refs[0]),
                     0);
    /* A font made and never drawn with is written all the same. */
    assert_int_equal(oc_pdffonts_font(fs, w, fx->faces[0].font, &refs[1]),
                     1);
    for (int i = 0; i < 6; i++) {
        hb_codepoint_t cp = 0;
        const unsigned char *t = (const unsigned char *)glyph_text[i];

        cp = t[0] < 0x80 ? t[0] : ((t[0] & 31u) << 6) | (t[1] & 63u);
        assert_true(hb_font_get_nominal_glyph(fx->faces[1].font, cp,
                                              &gids[i]));
        oc_pdffonts_use(fs, 0, gids[i], glyph_text[i],
                        strlen(glyph_text[i]));
    }
    assert_true(hb_font_get_nominal_glyph(fx->faces[1].font, 'A', &gids[6]));
    assert_true(oc_pdffonts_use(fs, 0, gids[6], "\xf0\x9d\x94\xb8", 4));
    b = oc_pdfw_begin(w, page);
    oc_buf_printf(b, "<< /Type /Page /Parent %ld 0 R /MediaBox [0 0 300 100]"
                  " /Contents %ld 0 R /Resources << /Font << /F0 %ld 0 R "
                  "/F1 %ld 0 R >> >> >>", pages, content, refs[0], refs[1]);
    oc_pdfw_end(w);
    oc_buf_puts(&out, "BT /F0 12 Tf 10 50 Td <");
    for (int i = 0; i < 7; i++)
        oc_buf_printf(&out, "%04X", gids[i]);
    oc_buf_puts(&out, "> Tj ET");
    oc_pdfw_stream(w, content, NULL, out.data, out.len, false);
    b = oc_pdfw_begin(w, pages);
    oc_buf_printf(b, "<< /Type /Pages /Kids [%ld 0 R] /Count 1 >>", page);
    oc_pdfw_end(w);
    b = oc_pdfw_begin(w, catalog);
    oc_buf_printf(b, "<< /Type /Catalog /Pages %ld 0 R >>", pages);
    oc_pdfw_end(w);
    assert_int_equal(oc_pdffonts_write(fs, w, &err), OC_OK);
    assert_int_equal(oc_pdfw_finish(w, catalog, 0, NULL, &err), OC_OK);
    oc_pdfw_free(w);
    assert_int_equal(fclose(fp), 0);

    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null", path);
    assert_int_equal(run(cmd, NULL, NULL), 0);
    out.len = 0;
    snprintf(cmd, sizeof cmd, "pdftotext '%s' -", path);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_non_null(strstr(out.data, "Hill \xc2\xbd\xf0\x9d\x94\xb8"));

    /* The first /W, DejaVu's, entry by entry: c [w...] or c1 c2 w. */
    out.len = 0;
    snprintf(cmd, sizeof cmd,
             "qpdf --qdf --object-streams=disable '%s' -", path);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_non_null(strstr(out.data, "<0024> <D835DD38>"));
    p = strstr(out.data, "/W [");
    assert_non_null(p);
    for (p += 4; *p != ']';) {
        unsigned c = (unsigned)number(&p);

        while (*p == ' ' || *p == '\n')
            p++;
        assert_true(*p == '[');
        for (p++; *p != ']'; c++) {
            double v = number(&p);

            assert_true(v == oc_pdffonts_advance(fs, 0, c));
            checked++;
            while (*p == ' ' || *p == '\n')
                p++;
        }
        for (p++; *p == ' ' || *p == '\n'; p++)
            ;
    }
    /* .notdef and 7 glyphs, one of them twice; none of DejaVu's is 1000
     * wide. */
    assert_int_equal(checked, 7);
    /* H: 1540 units of 2048. */
    assert_true(oc_pdffonts_advance(fs, 0, gids[0]) == 751.953);
    oc_pdffonts_free(fs);
    oc_buf_free(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_three_faces_are_embedded_subset_and_give_back_their_text,
            setup, teardown),
        cmocka_unit_test_setup_teardown(test_glyphs_paint_as_in_cairos_pdf,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_glyph_keeps_the_first_text_it_is_drawn_for, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_widths_are_the_advances_and_text_may_be_astral, setup,
            teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);

    cairo_debug_reset_static_data();
    if (ft != NULL)
        FT_Done_FreeType(ft);
    FcFini();
    return failed;
}
