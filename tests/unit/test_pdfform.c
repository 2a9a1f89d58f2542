/* test_pdfform.c - cairo's drawing as form XObjects in a file pdfw.h
 * writes: paths, a gradient (shadings, a soft mask), text (an embedded
 * font) and an image, cairo's streams compressed and not; the file is
 * checked by qpdf, pdftotext, poppler's pixels (the forms where the
 * 'cm' puts them, the right way up) and mutool; and a failed drawing
 * leaves nothing in the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "fontlock.h"
#include "pdfform.h"
#include "pdfw.h"

/* The page, and where the two forms go on it (PDF space, pt). */
enum { PAGE_W = 400, PAGE_H = 300 };
enum { F1_W = 200, F1_H = 100, F1_X = 50, F1_Y = 150 };
enum { F2_W = 150, F2_H = 50, F2_X = 20, F2_Y = 20 };  /* scaled 1.5 */

static oc_status
gather(const char *data, size_t len, void *ctx, oc_error *err)
{
    (void)err;
    oc_buf_put(ctx, data, len);
    return OC_OK;
}

/* Form 1: a red rectangle at the top left, a blue circle, a gradient
 * from opaque green to half-transparent blue. */
static void
draw_paths(cairo_t *cr, void *ctx)
{
    cairo_pattern_t *g = cairo_pattern_create_linear(130, 0, 190, 0);

    (void)ctx;
    cairo_set_source_rgb(cr, 1, 0, 0);
    cairo_rectangle(cr, 10, 10, 50, 30);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 1);
    cairo_set_line_width(cr, 4);
    cairo_arc(cr, 100, 50, 20, 0, 6.2831853);
    cairo_stroke(cr);
    cairo_pattern_add_color_stop_rgba(g, 0, 0, 1, 0, 1);
    cairo_pattern_add_color_stop_rgba(g, 1, 0, 0, 1, 0.5);
    cairo_set_source(cr, g);
    cairo_rectangle(cr, 130, 10, 60, 80);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
}

/* Form 2: black text, and a yellow image 20 by 20 at (110, 5). */
static void
draw_text_image(cairo_t *cr, void *ctx)
{
    cairo_surface_t *im =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, 20, 20);
    cairo_t *ic = cairo_create(im);

    (void)ctx;
    cairo_set_source_rgb(ic, 1, 1, 0);
    cairo_paint(ic);
    cairo_destroy(ic);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 14);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, 5, 40);
    cairo_show_text(cr, "Quokka (form)");
    cairo_set_source_surface(cr, im, 110, 5);
    cairo_paint(cr);
    cairo_surface_destroy(im);
}

/* A drawing that puts cairo in an error. */
static void
draw_badly(cairo_t *cr, void *ctx)
{
    (void)ctx;
    cairo_scale(cr, 0, 0);
    cairo_rectangle(cr, 0, 0, 1, 1);
    cairo_fill(cr);
}

/* A one-page file with the two forms on it; 'pdf' gets its bytes. */
static void
make_pdf(oc_buf *pdf)
{
    oc_pdfw *w = oc_pdfw_new(gather, pdf);
    oc_error err = { 0 };
    long f1 = 0, f2 = 0, page, pages, catalog, content;
    oc_buf b = { 0 };

    oc_fonts_lock();
    assert_int_equal(oc_pdfform_write(w, F1_W, F1_H, draw_paths, NULL, &f1,
                                      &err), OC_OK);
    assert_int_equal(oc_pdfform_write(w, F2_W, F2_H, draw_text_image, NULL,
                                      &f2, &err), OC_OK);
    oc_fonts_unlock();
    assert_true(f1 > 0 && f2 > 0 && f1 != f2);
    page = oc_pdfw_reserve(w);
    pages = oc_pdfw_reserve(w);
    catalog = oc_pdfw_reserve(w);
    content = oc_pdfw_reserve(w);
    oc_buf_printf(&b, "q 1 0 0 1 %d %d cm /Fm0 Do Q\n"
                  "q 1.5 0 0 1.5 %d %d cm /Fm1 Do Q\n",
                  F1_X, F1_Y, F2_X, F2_Y);
    oc_pdfw_stream(w, content, NULL, b.data, b.len, true);
    oc_buf_printf(oc_pdfw_begin(w, page),
                  "<< /Type /Page /Parent %ld 0 R /MediaBox [0 0 %d %d] "
                  "/Contents %ld 0 R /Resources << /XObject << /Fm0 %ld 0 R "
                  "/Fm1 %ld 0 R >> >> >>", pages, PAGE_W, PAGE_H, content,
                  f1, f2);
    oc_pdfw_end(w);
    oc_buf_printf(oc_pdfw_begin(w, pages),
                  "<< /Type /Pages /Kids [%ld 0 R] /Count 1 >>", page);
    oc_pdfw_end(w);
    oc_buf_printf(oc_pdfw_begin(w, catalog),
                  "<< /Type /Catalog /Pages %ld 0 R >>", pages);
    oc_pdfw_end(w);
    assert_int_equal(oc_pdfw_finish(w, catalog, 0, NULL, &err), OC_OK);
    oc_pdfw_free(w);
    oc_buf_free(&b);
}

/* 'pdf' saved in a new temporary file, its name into 'path'. */
static void
save(const oc_buf *pdf, char *path)
{
    int fd;

    strcpy(path, "/tmp/test_pdfform.XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
    close(fd);
}

/* Run 'cmd' (its %s replaced by 'path' as often as it comes) with its
 * output, stderr too, into 'out'; its exit status. */
static int
run(const char *cmd, const char *path, oc_buf *out)
{
    oc_buf full = { 0 };
    char chunk[512];
    FILE *p;
    size_t n;
    int status;

    oc_buf_printf(&full, cmd, path, path, path);
    oc_buf_puts(&full, " 2>&1");
    p = popen(full.data, "r");
    assert_non_null(p);
    out->len = 0;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        oc_buf_put(out, chunk, n);
    oc_buf_puts(out, "");
    status = pclose(p);
    oc_buf_free(&full);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
need(const char *tool)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    if (system(cmd) != 0)
        skip();
}

/* How often 'needle' is in 'b'. */
static int
count(const oc_buf *b, const char *needle)
{
    size_t n = strlen(needle);
    int c = 0;

    for (size_t i = 0; i + n <= b->len; i++)
        if (memcmp(b->data + i, needle, n) == 0)
            c++;
    return c;
}

/* A page painted by poppler at 72 dpi (a pixel a point), as RGB. */
typedef struct ppm {
    int            w, h;
    unsigned char *px;
} ppm;

static void
read_ppm(const char *file, ppm *im)
{
    FILE *fp = fopen(file, "rb");
    int max = 0;

    assert_non_null(fp);
    assert_int_equal(fscanf(fp, "P6 %d %d %d", &im->w, &im->h, &max), 3);
    assert_int_equal(max, 255);
    fgetc(fp);                          /* the one white space */
    im->px = malloc((size_t)im->w * (size_t)im->h * 3);
    assert_non_null(im->px);
    assert_int_equal(fread(im->px, 3, (size_t)im->w * (size_t)im->h, fp),
                     (size_t)im->w * (size_t)im->h);
    fclose(fp);
}

/* Pixel of the point (x, y) of PDF space: y up from the bottom. */
static const unsigned char *
at(const ppm *im, int x, int y)
{
    int row = im->h - 1 - y;

    assert_true(x >= 0 && x < im->w && row >= 0 && row < im->h);
    return im->px + ((size_t)row * (size_t)im->w + (size_t)x) * 3;
}

static void
assert_colour(const ppm *im, int x, int y, int r, int g, int b)
{
    const unsigned char *p = at(im, x, y);

    if (abs(p[0] - r) > 24 || abs(p[1] - g) > 24 || abs(p[2] - b) > 24)
        fail_msg("(%d, %d) is %d %d %d, not %d %d %d", x, y, p[0], p[1],
                 p[2], r, g, b);
}

/* A point of form 1, given as cairo drew it (from its top left), in
 * PDF space on the page. */
#define F1X(x) (F1_X + (x))
#define F1Y(y) (F1_Y + F1_H - (y))
#define F2X(x) (F2_X + 3 * (x) / 2)
#define F2Y(y) (F2_Y + 3 * (F2_H - (y)) / 2)

static const char ICC_NOTE[] = "warning: ICC support is not available\n";

static void
check_file(bool compressed)
{
    oc_buf pdf = { 0 }, out = { 0 };
    char path[64], ppmfile[96];
    ppm im = { 0 };

    if (compressed)
        unsetenv("CAIRO_DEBUG_PDF");
    else
        setenv("CAIRO_DEBUG_PDF", "1", 1);
    make_pdf(&pdf);
    unsetenv("CAIRO_DEBUG_PDF");

    /* The forms and what they use; nothing of cairo's page, tree,
     * catalog or information dictionary. */
    assert_int_equal(count(&pdf, "/Subtype /Form /BBox [0 0 200 100]"), 1);
    assert_int_equal(count(&pdf, "/Subtype /Form /BBox [0 0 150 50]"), 1);
    assert_int_equal(count(&pdf, "/Type /Page "), 1);
    assert_int_equal(count(&pdf, "/Type /Pages"), 1);
    assert_int_equal(count(&pdf, "/Type /Catalog"), 1);
    assert_int_equal(count(&pdf, "/Producer"), 0);
    assert_int_equal(count(&pdf, "/Group <<"), 1);         /* the soft mask's */
    assert_true(count(&pdf, "/ShadingType 2") >= 1);
    assert_true(count(&pdf, "/FontFile2") == 1);
    assert_true(count(&pdf, "/Subtype /Image") >= 1);
    assert_int_equal(count(&pdf, " 0 R >>\nstream"), 0); /* /Length direct */

    save(&pdf, path);
    need("qpdf");
    if (run("qpdf --check %s", path, &out) != 0 ||
        strstr(out.data, "WARNING") != NULL)
        fail_msg("qpdf --check: %s", out.data);

    need("pdftotext");
    assert_int_equal(run("pdftotext %s -", path, &out), 0);
    if (strstr(out.data, "Quokka (form)") == NULL)
        fail_msg("pdftotext: %s", out.data);

    need("pdftoppm");
    if (run("pdftoppm -r 50 -png %s %s-50", path, &out) != 0 || out.len > 0)
        fail_msg("pdftoppm: %s", out.data);
    snprintf(ppmfile, sizeof ppmfile, "%s-50-1.png", path);
    assert_int_equal(unlink(ppmfile), 0);
    assert_int_equal(run("pdftoppm -r 72 -singlefile %s %s", path,
                         &out), 0);
    assert_int_equal(out.len, 0);
    snprintf(ppmfile, sizeof ppmfile, "%s.ppm", path);
    read_ppm(ppmfile, &im);
    unlink(ppmfile);
    assert_int_equal(im.w, PAGE_W);
    assert_int_equal(im.h, PAGE_H);
    /* The red rectangle at the top left of form 1's box, and white where
     * it would be were the form upside down. */
    assert_colour(&im, F1X(35), F1Y(25), 255, 0, 0);
    assert_colour(&im, F1X(35), F1Y(F1_H - 25), 255, 255, 255);
    assert_colour(&im, F1X(5), F1Y(5), 255, 255, 255);
    /* The circle's top, and its inside. */
    assert_colour(&im, F1X(100), F1Y(30), 0, 0, 255);
    assert_colour(&im, F1X(100), F1Y(50), 255, 255, 255);
    /* The gradient: green at its left, blue at half over white at its
     * right. */
    assert_colour(&im, F1X(132), F1Y(50), 0, 250, 0);
    assert_colour(&im, F1X(188), F1Y(50), 128, 128, 255);
    /* Form 2, scaled: the image near its top right; the text, black
     * somewhere along its baseline; white under it. */
    assert_colour(&im, F2X(120), F2Y(15), 255, 255, 0);
    assert_colour(&im, F2X(120), F2Y(F2_H - 15), 255, 255, 255);
    {
        int dark = 0;

        for (int x = F2X(5); x < F2X(100); x++)
            for (int y = F2Y(40); y < F2Y(30); y++)
                dark += at(&im, x, y)[0] < 80;
        assert_true(dark > 50);
        dark = 0;
        for (int x = F2X(5); x < F2X(100); x++)
            for (int y = F2Y(F2_H - 30); y < F2Y(F2_H - 40); y++)
                dark += at(&im, x, y)[0] < 80;
        assert_int_equal(dark, 0);
    }
    /* Outside both boxes, nothing. */
    assert_colour(&im, 300, 50, 255, 255, 255);
    free(im.px);

    need("mutool");
    snprintf(ppmfile, sizeof ppmfile, "%s.png", path);
    /* This mutool is built without lcms: it says so, which is no
     * fault of the file's. */
    if (run("mutool draw -q -r 50 -o %s.png %s", path, &out) != 0 ||
        out.len != (size_t)count(&out, ICC_NOTE) * strlen(ICC_NOTE))
        fail_msg("mutool draw: %s", out.data);
    unlink(ppmfile);

    unlink(path);
    oc_buf_free(&out);
    oc_buf_free(&pdf);
}

static void
test_forms_from_uncompressed_cairo_output_pass_and_show_in_place(void **state)
{
    (void)state;
    check_file(false);
}

static void
test_forms_from_compressed_cairo_output_pass_and_show_in_place(void **state)
{
    (void)state;
    check_file(true);
}

/* Two files built alike are alike: nothing of cairo's changes with the
 * time (its /CreationDate is not copied). */
static void
test_the_same_drawing_gives_the_same_bytes(void **state)
{
    oc_buf a = { 0 }, b = { 0 };

    (void)state;
    make_pdf(&a);
    make_pdf(&b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    oc_buf_free(&a);
    oc_buf_free(&b);
}

/* cairo's error is the error; nothing goes to the file. */
static void
test_a_failed_drawing_is_an_error_and_writes_nothing(void **state)
{
    oc_buf pdf = { 0 };
    oc_pdfw *w = oc_pdfw_new(gather, &pdf);
    oc_error err = { 0 };
    uint64_t before = oc_pdfw_offset(w);
    long ref = -7;

    (void)state;
    assert_int_equal(oc_pdfform_write(w, 10, 10, draw_badly, NULL, &ref,
                                      &err), OC_ERR_LIB);
    assert_int_equal(err.code, OC_ERR_LIB);
    assert_non_null(strstr(err.msg, "cairo: "));
    assert_int_equal(ref, -7);
    assert_int_equal(oc_pdfw_offset(w), before);
    assert_int_equal(oc_pdfw_reserve(w), 1);    /* no number taken */
    oc_pdfw_free(w);
    oc_buf_free(&pdf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_forms_from_uncompressed_cairo_output_pass_and_show_in_place),
        cmocka_unit_test(
            test_forms_from_compressed_cairo_output_pass_and_show_in_place),
        cmocka_unit_test(test_the_same_drawing_gives_the_same_bytes),
        cmocka_unit_test(test_a_failed_drawing_is_an_error_and_writes_nothing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
