/* test_mend.c - the mend of cairo 1.16's PDF: on files cairo writes here
 * (pages of different widths, links, an outline, dates), the update that
 * is appended (null objects, dates, catalog entries, page labels, the
 * page order, the structure tree's attributes and order, XMP metadata),
 * checked in its bytes and by qpdf; and files of another
 * shape (garbage, every truncation, no catalog...) refused with a
 * message, the bytes left alone. */
#define _GNU_SOURCE             /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libdeflate.h>
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "artifact.h"
#include "buf.h"
#include "error.h"
#include "mend.h"

enum { LINKS = 1, OUTLINE = 2, DATES = 4, TWICE = 8 };

static const char PREFIX[] = "unexpected PDF from cairo: ";

static cairo_status_t
write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    oc_buf_put(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A PDF as cairo writes it: 'npages' pages in the order painted, the
 * i-th (from 0) 101 + i pt wide, each with a destination "p<i>". */
static void
make_pdf(oc_buf *out, int npages, unsigned what)
{
    cairo_surface_t *s =
        cairo_pdf_surface_create_for_stream(write_buf, out, 100, 200);
    cairo_t *cr = cairo_create(s);

    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Mend");
    if (what & DATES) {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                       "2022-01-01T00:00:00Z");
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE,
                                       "2022-01-02T03:04:05Z");
    }
    for (int i = 0; i < npages; i++) {
        char name[32];

        cairo_pdf_surface_set_size(s, 101 + i, 200);
        snprintf(name, sizeof name, "name='p%d'", i);
        cairo_tag_begin(cr, CAIRO_TAG_DEST, name);
        cairo_tag_end(cr, CAIRO_TAG_DEST);
        if (what & LINKS) {
            cairo_tag_begin(cr, CAIRO_TAG_LINK,
                            "dest='p0' rect=[10 10 50 20]");
            cairo_tag_end(cr, CAIRO_TAG_LINK);
        }
        cairo_rectangle(cr, 10, 10, 50, 20);
        cairo_fill(cr);
        if (what & TWICE) {     /* one picture painted twice */
            static cairo_surface_t *pic;

            if (pic == NULL)
                pic = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
            for (int k = 0; k < 2; k++) {
                cairo_set_source_surface(cr, pic, 10 + 20 * k, 50);
                cairo_paint(cr);
            }
        }
        cairo_show_page(cr);
    }
    if (what & OUTLINE)
        cairo_pdf_surface_add_outline(s, CAIRO_PDF_OUTLINE_ROOT, "One",
                                      "dest='p0'", 0);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    assert_true(out->len > 0);
}

static oc_mend_options
options(const char *lang, size_t npages, size_t nfront)
{
    oc_mend_options o = { .lang = lang, .npages = npages, .nfront = nfront,
                          .front_style = 'r', .body_style = 'D' };

    return o;
}

static size_t count(const char *s, const char *needle);

/* The mended file's bytes with their NULs (in compressed streams) made
 * 0x01, so that string functions read all of it; the last call's. */
static oc_buf view;

/* Mend 'pdf' and require success; returns view of the file written
 * again, which is one file (one cross-reference table, no update). */
static const char *
mend_ok(oc_buf *pdf, const oc_mend_options *o)
{
    oc_error err = { 0 };

    if (oc_mend_pdf(pdf, o, &err) != OC_OK)
        fail_msg("mend failed: %s", err.msg);
    assert_int_equal(err.code, OC_OK);
    oc_buf_free(&view);
    oc_buf_put(&view, pdf->data, pdf->len);
    for (size_t i = 0; i < view.len; i++)
        if (view.data[i] == '\0')
            view.data[i] = 1;
    assert_int_equal(count(view.data, "\nxref\n"), 1);
    assert_null(strstr(view.data, "/Prev"));
    return view.data;
}

/* Mend 'pdf', which must fail with 'why'; the bytes stay as they were. */
static void
mend_fails(oc_buf *pdf, const oc_mend_options *o, const char *why)
{
    oc_error err = { 0 };
    char *before = malloc(pdf->len + 1);
    size_t len = pdf->len;
    char want[256];

    assert_non_null(before);
    if (len > 0)
        memcpy(before, pdf->data, len);
    assert_int_equal(oc_mend_pdf(pdf, o, &err), OC_ERR_LIB);
    assert_int_equal(err.code, OC_ERR_LIB);
    snprintf(want, sizeof want, "%s%s", PREFIX, why);
    assert_string_equal(err.msg, want);
    assert_int_equal(pdf->len, len);
    if (len > 0)
        assert_memory_equal(pdf->data, before, len);
    free(before);
}

/* The first 'needle' in the bytes of 'pdf' (which hold NULs in their
 * compressed streams), or NULL. */
static char *
find(const oc_buf *pdf, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= pdf->len; i++)
        if (memcmp(pdf->data + i, needle, n) == 0)
            return pdf->data + i;
    return NULL;
}

/* Replace the one occurrence of 'from' in 'pdf' with 'to', of the same
 * length, so that every offset stays right. */
static void
replace(oc_buf *pdf, const char *from, const char *to)
{
    char *hit = find(pdf, from);
    oc_buf rest;

    assert_int_equal(strlen(to), strlen(from));
    assert_non_null(hit);
    rest.data = hit + 1;
    rest.len = pdf->len - (size_t)(hit + 1 - pdf->data);
    assert_null(find(&rest, from));
    memcpy(hit, to, strlen(to));
}

static size_t
count(const char *s, const char *needle)
{
    size_t n = 0;

    for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* Write 'pdf' to a temporary file (path[] receives its name). */
static void
save(const oc_buf *pdf, char path[32])
{
    int fd;

    strcpy(path, "/tmp/test_mend-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
    close(fd);
}

/* Run 'cmd' (with %s, the file of 'pdf') and return its exit status and
 * output (*out, which the caller frees). */
static int
run(const char *cmd, const oc_buf *pdf, oc_buf *out)
{
    char path[32], line[512], full[600];
    FILE *p;
    size_t n;
    int status;

    save(pdf, path);
    snprintf(line, sizeof line, cmd, path);
    snprintf(full, sizeof full, "%s 2>&1", line);
    p = popen(full, "r");
    assert_non_null(p);
    while ((n = fread(line, 1, sizeof line, p)) > 0)
        oc_buf_put(out, line, n);
    oc_buf_puts(out, "");
    status = pclose(p);
    unlink(path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
need_qpdf(void)
{
    if (system("qpdf --version >/dev/null 2>&1") != 0)
        skip();
}

/* The file is written again whole: cairo's header, then objects, one
 * cross-reference table whose entries find each object where it is, a
 * trailer with no /Prev. */
/* The input's file, for test_input_let_go_while_read_gives_the_same_file. */
static FILE *tmpf;

/* A sink gathering the file written again. */
static oc_status
gather(const char *data, size_t len, void *ctx, oc_error *err)
{
    (void)err;
    oc_buf_put(ctx, data, len);
    return OC_OK;
}

/* let_go's context: the input mapped, and how often it was let go. */
typedef struct mapped {
    oc_buf out;
    void  *map;
    size_t len;
    int    calls;
} mapped;

static oc_status
gather_mapped(const char *data, size_t len, void *ctx, oc_error *err)
{
    return gather(data, len, &((mapped *)ctx)->out, err);
}

static void
drop_pages(void *ctx)
{
    mapped *m = ctx;

    m->calls++;
    assert_int_equal(posix_madvise(m->map, m->len, POSIX_MADV_DONTNEED), 0);
    assert_int_equal(munmap(m->map, m->len), 0);
    m->map = mmap(m->map, m->len, PROT_READ, MAP_PRIVATE | MAP_FIXED,
                  fileno(tmpf), 0);
    assert_true(m->map != MAP_FAILED);
}

/* A file read back through a mapping whose pages are let go as the mend
 * asks (while it checks the objects' heads, walks the structure and
 * writes the file again) is written again the same as from memory. */
static void
test_input_let_go_while_read_gives_the_same_file(void **state)
{
    oc_buf pdf = { 0 }, plain = { 0 };
    oc_mend_options o = options("en", 2500, 0);
    oc_error err = { 0 };
    mapped m;

    (void)state;
    memset(&m, 0, sizeof m);
    make_pdf(&pdf, 2500, LINKS);
    assert_int_equal(oc_mend_write(pdf.data, pdf.len, &o, gather, &plain,
                                   &err), OC_OK);
    tmpf = tmpfile();
    assert_non_null(tmpf);
    assert_int_equal(fwrite(pdf.data, 1, pdf.len, tmpf), pdf.len);
    assert_int_equal(fflush(tmpf), 0);
    m.len = pdf.len;
    m.map = mmap(NULL, m.len, PROT_READ, MAP_PRIVATE, fileno(tmpf), 0);
    assert_true(m.map != MAP_FAILED);
    o.let_go = drop_pages;
    assert_int_equal(oc_mend_write(m.map, m.len, &o, gather_mapped, &m,
                                   &err), OC_OK);
    assert_true(m.calls >= 2);      /* the heads (4,096 objects), the
                                       writing */
    assert_int_equal(m.out.len, plain.len);
    assert_memory_equal(m.out.data, plain.data, plain.len);
    munmap(m.map, m.len);
    fclose(tmpf);
    tmpf = NULL;
    oc_buf_free(&m.out);
    oc_buf_free(&plain);
    oc_buf_free(&pdf);
}

static void
test_file_is_written_again_whole(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = options("en", 3, 0);
    const char *up, *sx, *x;
    long xref, size;

    (void)state;
    make_pdf(&pdf, 3, DATES);
    up = mend_ok(&pdf, &o);
    assert_memory_equal(up, "%PDF-1.5\n", 9);
    sx = strstr(up, "startxref\n");
    assert_non_null(sx);
    assert_string_equal(strchr(sx + 10, '\n'), "\n%%EOF\n");
    xref = strtol(sx + 10, NULL, 10);
    assert_memory_equal(up + xref, "xref\n0 ", 7);
    size = strtol(up + xref + 7, NULL, 10);
    assert_true(size > 3);
    x = strchr(up + xref + 7, '\n') + 1 + 20;     /* after object 0's */
    for (long k = 1; k < size; k++, x += 20) {
        char head[32];

        snprintf(head, sizeof head, "%ld 0 obj", k);
        assert_int_equal(x[17], 'n');
        assert_memory_equal(up + strtol(x, NULL, 10), head, strlen(head));
    }
    assert_memory_equal(x, "trailer\n", 8);
    oc_buf_free(&pdf);
}

static void
test_cairo_file_has_errors_mended_one_passes_qpdf_check(void **state)
{
    oc_buf pdf = { 0 };
    oc_buf log = { 0 };
    oc_mend_options o = options("en-GB", 4, 1);
    const char *up;

    (void)state;
    need_qpdf();
    make_pdf(&pdf, 4, LINKS | OUTLINE | DATES);
    /* cairo's link annotations leave entries that point elsewhere. */
    assert_int_not_equal(run("qpdf --check %s", &pdf, &log), 0);
    assert_non_null(strstr(log.data, "WARNING"));
    oc_buf_free(&log);
    up = mend_ok(&pdf, &o);
    assert_true(count(up, " 0 obj\nnull\nendobj\n") > 0);
    assert_int_equal(run("qpdf --check %s", &pdf, &log), 0);
    assert_null(strstr(log.data, "WARNING"));
    assert_non_null(strstr(log.data, "No syntax or stream encoding errors"));
    oc_buf_free(&log);
    oc_buf_free(&pdf);
}

/* cairo 1.16 names a picture that a page paints twice twice in the
 * page's resources, which qpdf warns of (a duplicated key); the mend
 * names it once. */
static void
test_picture_painted_twice_named_once_in_resources(void **state)
{
    oc_buf pdf = { 0 };
    oc_buf log = { 0 };
    oc_mend_options o = options("en", 2, 0);
    const char *up, *x;

    (void)state;
    need_qpdf();
    make_pdf(&pdf, 2, TWICE);
    run("qpdf --check %s", &pdf, &log);
    assert_non_null(strstr(log.data, "duplicated key"));
    oc_buf_free(&log);
    up = mend_ok(&pdf, &o);
    assert_non_null(x = strstr(up, "/XObject << /x"));
    assert_int_equal(count(up, "/XObject << /x"), 2);
    assert_non_null(strstr(x, " 0 R >>\n"));
    assert_true(strstr(x, " 0 R >>\n") - x < 30);     /* one entry */
    assert_int_equal(run("qpdf --check %s", &pdf, &log), 0);
    assert_null(strstr(log.data, "WARNING"));
    oc_buf_free(&log);
    oc_buf_free(&pdf);
}

static void
test_file_without_links_gets_no_null_objects(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = options("en", 2, 0);

    (void)state;
    make_pdf(&pdf, 2, OUTLINE);
    assert_int_equal(count(mend_ok(&pdf, &o), " 0 obj\nnull\nendobj\n"), 0);
    oc_buf_free(&pdf);
}

/* The widths of the pages in reading order, as qpdf sees them; qpdf's
 * exit status is 'status' (3: it had warnings). */
static void
page_widths(const oc_buf *pdf, int status, int *w, int n)
{
    oc_buf qdf = { 0 };
    const char *p;
    int k = 0;

    assert_int_equal(run("qpdf --qdf --object-streams=disable %s -", pdf,
                         &qdf), status);
    for (p = qdf.data; (p = strstr(p, "%% Page ")) != NULL; k++) {
        double x0, y0, x1;

        assert_true(k < n);
        p = strstr(p, "/MediaBox [");
        assert_non_null(p);
        assert_int_equal(sscanf(p + 11, "%lf %lf %lf", &x0, &y0, &x1), 3);
        w[k] = (int)x1;
    }
    assert_int_equal(k, n);
    oc_buf_free(&qdf);
}

static void
test_front_matter_painted_last_is_moved_first(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = options("en", 5, 2);
    int w[5];
    const char *up;

    (void)state;
    need_qpdf();
    make_pdf(&pdf, 5, LINKS);
    page_widths(&pdf, 3, w, 5);         /* cairo's broken entries */
    assert_int_equal(w[0], 101);
    assert_int_equal(w[4], 105);
    up = mend_ok(&pdf, &o);
    assert_non_null(strstr(up, "/Type /Pages"));
    assert_non_null(strstr(up, "/Count 5"));
    page_widths(&pdf, 0, w, 5);
    assert_int_equal(w[0], 104);        /* the front matter, in order */
    assert_int_equal(w[1], 105);
    assert_int_equal(w[2], 101);        /* then the body */
    assert_int_equal(w[3], 102);
    assert_int_equal(w[4], 103);
    oc_buf_free(&pdf);
}

static void
test_without_front_matter_pages_keep_their_order(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options none = options("en", 3, 0);
    oc_mend_options all = options("en", 3, 3);
    const char *up;
    int w[3];

    (void)state;
    need_qpdf();
    make_pdf(&pdf, 3, 0);
    up = mend_ok(&pdf, &none);
    assert_non_null(strstr(up, "/PageLabels << /Nums [0 << /S /D >>] >>"));
    page_widths(&pdf, 0, w, 3);
    assert_true(w[0] == 101 && w[1] == 102 && w[2] == 103);
    oc_buf_free(&pdf);
    make_pdf(&pdf, 3, 0);
    up = mend_ok(&pdf, &all);
    assert_non_null(strstr(up, "/PageLabels << /Nums [0 << /S /r >> "
                               "3 << /S /D >>] >>"));
    page_widths(&pdf, 0, w, 3);
    assert_true(w[0] == 101 && w[1] == 102 && w[2] == 103);
    oc_buf_free(&pdf);
}

static void
test_page_labels_number_front_and_body_from_one(void **state)
{
    oc_buf pdf = { 0 };
    oc_buf json = { 0 };
    oc_mend_options o = options("en", 4, 2);
    const char *up, *p;

    (void)state;
    need_qpdf();
    o.front_style = 'R';
    o.body_style = 'a';
    make_pdf(&pdf, 4, 0);
    up = mend_ok(&pdf, &o);
    assert_int_equal(count(up, "/PageLabels"), 1);
    assert_non_null(strstr(up, "   /PageLabels << /Nums [0 << /S /R >> "
                               "2 << /S /a >>] >>\n"));
    /* qpdf reads them as two ranges, at pages 0 and 2. */
    assert_int_equal(run("qpdf --json --json-key=pagelabels %s", &pdf,
                         &json), 0);
    p = strstr(json.data, "\"pagelabels\"");
    assert_non_null(p);
    assert_int_equal(count(p, "\"index\""), 2);
    assert_non_null(strstr(p, "\"index\": 0"));
    assert_non_null(strstr(p, "\"/S\": \"/R\""));
    assert_non_null(strstr(p, "\"index\": 2"));
    assert_non_null(strstr(p, "\"/S\": \"/a\""));
    oc_buf_free(&json);
    oc_buf_free(&pdf);
}

static void
test_info_dates_get_their_d_prefix(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = options("en", 2, 0);
    const char *up;

    (void)state;
    make_pdf(&pdf, 2, DATES);
    assert_non_null(find(&pdf, "/CreationDate (20220101000000Z)"));
    up = mend_ok(&pdf, &o);
    assert_non_null(strstr(up, "/CreationDate (D:20220101000000Z)"));
    assert_non_null(strstr(up, "/ModDate (D:20220102030405Z)"));
    assert_non_null(strstr(up, "/Title (Mend)"));
    oc_buf_free(&pdf);
    make_pdf(&pdf, 2, 0);               /* no dates: Info left alone */
    up = mend_ok(&pdf, &o);
    assert_int_equal(count(up, "/Title (Mend)"), 1);
    assert_null(strstr(up, "(D:D:"));
    assert_non_null(strstr(up, "/Info "));  /* still the trailer's */
    oc_buf_free(&pdf);
}

static void
test_catalog_gets_lang_title_display_and_outline_mode(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = options("de-CH-1996", 2, 0);
    const char *up;

    (void)state;
    make_pdf(&pdf, 2, OUTLINE);
    up = mend_ok(&pdf, &o);
    assert_non_null(strstr(up, "/Type /Catalog"));
    assert_non_null(strstr(up, "/Outlines "));  /* cairo's entries kept */
    assert_non_null(strstr(up, "   /Lang (de-CH-1996)\n"));
    assert_non_null(strstr(up, "   /PageMode /UseOutlines\n"));
    assert_non_null(strstr(up, "   /ViewerPreferences "
                               "<< /DisplayDocTitle true >>\n"));
    oc_buf_free(&pdf);
    make_pdf(&pdf, 2, 0);               /* no outline: no outline mode */
    up = mend_ok(&pdf, &o);
    assert_null(strstr(up, "/PageMode"));
    assert_non_null(strstr(up, "/DisplayDocTitle true"));
    oc_buf_free(&pdf);
}

static void
test_lang_that_is_not_a_plain_tag_is_left_out(void **state)
{
    const char *bad[] = { NULL, "", "en) /OpenAction (x", "en GB",
                          "a-very-long-tag-of-more-than-35-chars" };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        oc_buf pdf = { 0 };
        oc_mend_options o = options(bad[i], 2, 0);

        make_pdf(&pdf, 2, 0);
        assert_null(strstr(mend_ok(&pdf, &o), "/Lang"));
        oc_buf_free(&pdf);
    }
}

static void
test_garbage_and_empty_input_are_refused(void **state)
{
    const char *bad[] = { "", "hello", "%PDF-1.5\n%%EOF\n",
                          "startxref\nstartxref\n" };
    oc_mend_options o = options("en", 1, 0);
    oc_buf empty = { 0 };

    (void)state;
    mend_fails(&empty, &o, "no startxref");     /* data NULL, len 0 */
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        oc_buf b = { 0 };

        oc_buf_puts(&b, bad[i]);
        mend_fails(&b, &o, i == 3 ? "startxref gives no offset in the file"
                                  : "no startxref");
        oc_buf_free(&b);
    }
}

static void
test_every_truncation_is_refused_and_left_alone(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = options("en", 3, 1);

    (void)state;
    make_pdf(&pdf, 3, LINKS | OUTLINE | DATES);
    for (size_t cut = 0; cut < pdf.len; cut++) {
        /* An exact allocation, so that reading past it is caught. */
        oc_buf b = { malloc(cut + 1), cut, cut + 1 };
        oc_error err = { 0 };

        assert_non_null(b.data);
        memcpy(b.data, pdf.data, cut);
        b.data[cut] = '\0';
        if (oc_mend_pdf(&b, &o, &err) != OC_ERR_LIB)
            fail_msg("cut at %zu of %zu: accepted", cut, pdf.len);
        assert_memory_equal(err.msg, PREFIX, strlen(PREFIX));
        assert_int_equal(b.len, cut);
        assert_memory_equal(b.data, pdf.data, cut);
        free(b.data);
    }
    oc_buf_free(&pdf);
}

static void
test_file_without_catalog_is_refused(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = options("en", 2, 0);

    (void)state;
    make_pdf(&pdf, 2, LINKS);
    replace(&pdf, "/Type /Catalog", "/Type /Katalog");
    mend_fails(&pdf, &o, "no /Catalog object");
    oc_buf_free(&pdf);
}

static void
test_trailer_without_root_or_size_is_refused(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = options("en", 2, 0);

    (void)state;
    make_pdf(&pdf, 2, 0);
    replace(&pdf, "/Root", "/Rout");
    mend_fails(&pdf, &o, "no /Root in the trailer");
    oc_buf_free(&pdf);
    make_pdf(&pdf, 2, 0);
    replace(&pdf, "/Size", "/Sise");
    mend_fails(&pdf, &o, "no /Size in the trailer");
    oc_buf_free(&pdf);
}

/* cairo's table begins "xref\n0 N\n": break it without moving bytes. */
static void
break_table(oc_buf *pdf, const char *with)
{
    char *x = find(pdf, "\nxref\n0 ");

    assert_non_null(x);
    memcpy(x + 1, with, strlen(with));
}

static void
test_cross_reference_of_another_kind_is_refused(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = options("en", 2, 0);
    char why[80];

    (void)state;
    make_pdf(&pdf, 2, 0);
    snprintf(why, sizeof why, "no cross-reference table at offset %ld",
             (long)(find(&pdf, "\nxref\n0 ") + 1 - pdf.data));
    break_table(&pdf, "XREF");
    mend_fails(&pdf, &o, why);
    oc_buf_free(&pdf);
    make_pdf(&pdf, 2, 0);
    break_table(&pdf, "xref\nx");       /* no subsection number */
    mend_fails(&pdf, &o, "a malformed cross-reference table");
    oc_buf_free(&pdf);
    make_pdf(&pdf, 2, 0);
    break_table(&pdf, "xref\n9");       /* beyond /Size */
    mend_fails(&pdf, &o, "a malformed cross-reference table");
    oc_buf_free(&pdf);
}

static void
test_page_tree_of_another_shape_is_refused(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options more = options("en", 4, 1);
    oc_mend_options fewer = options("en", 2, 1);
    oc_mend_options front = options("en", 3, 1);

    (void)state;
    make_pdf(&pdf, 3, 0);
    mend_fails(&pdf, &more, "the page tree's /Kids are not the book's "
                            "4 pages");
    mend_fails(&pdf, &fewer, "the page tree's /Kids are not the book's "
                             "2 pages");
    replace(&pdf, "/Kids [", "/Kidz [");
    mend_fails(&pdf, &front, "no /Kids in the page tree");
    oc_buf_free(&pdf);
    make_pdf(&pdf, 3, 0);
    replace(&pdf, "/Pages 1 0 R", "/Pages 0 0 R");
    mend_fails(&pdf, &front, "no /Pages object");
    oc_buf_free(&pdf);
}

/* A tagged PDF as the painter makes it: a Document holding a Sect (its
 * chapter in French) with a P and a Figure on page 1, then a P on page
 * 2, painted last, as the front matter is. 5 elements, in tree order:
 * Document, Sect, P, Figure, P. */
static void
make_tagged_pdf(oc_buf *out)
{
    cairo_surface_t *s =
        cairo_pdf_surface_create_for_stream(write_buf, out, 100, 200);
    cairo_t *cr = cairo_create(s);

    cairo_set_font_size(cr, 10);
    cairo_tag_begin(cr, "Document", NULL);
    cairo_tag_begin(cr, "Sect", NULL);
    cairo_tag_begin(cr, "P", NULL);
    cairo_move_to(cr, 10, 20);
    cairo_show_text(cr, "body");
    cairo_tag_end(cr, "P");
    cairo_tag_begin(cr, "Figure", NULL);
    cairo_rectangle(cr, 10, 30, 20, 20);
    cairo_fill(cr);
    cairo_tag_end(cr, "Figure");
    cairo_tag_end(cr, "Sect");
    cairo_move_to(cr, 10, 190);
    cairo_show_text(cr, "7");                  /* a folio: an artifact */
    cairo_show_page(cr);
    cairo_tag_begin(cr, "P", NULL);
    cairo_move_to(cr, 10, 20);
    cairo_show_text(cr, "front");
    cairo_tag_end(cr, "P");
    cairo_tag_end(cr, "Document");
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

static const oc_mend_elem tagged_elems[] = {
    { 1, NULL, "fr", NULL },
    { 2, NULL, NULL, "note-1" },
    { 3, "Un caf\xC3\xA9 \xF0\x9F\x98\x80", NULL, NULL },
};

static oc_mend_options
tagged_options(void)
{
    oc_mend_options o = options("en", 2, 1);

    o.structure.count = 5;
    o.structure.elems = tagged_elems;
    o.structure.nelems = 3;
    o.structure.front_kids = 1;
    return o;
}

static void
test_structure_gets_alt_lang_id_and_front_matter_first(void **state)
{
    oc_buf pdf = { 0 };
    oc_buf log = { 0 };
    oc_mend_options o = tagged_options();
    const char *up;

    (void)state;
    need_qpdf();
    make_tagged_pdf(&pdf);
    up = mend_ok(&pdf, &o);
    /* U+00E9 and U+1F600 (a surrogate pair) in UTF-16BE. */
    assert_non_null(strstr(up, "   /Alt <FEFF0055006E0020006300610066"
                               "00E90020D83DDE00>\n"));
    assert_non_null(strstr(up, "   /Lang (fr)\n"));
    /* The P's /ID, and the tree root's /IDTree that finds it. */
    assert_non_null(strstr(up, "   /ID (note-1)\n"));
    assert_non_null(strstr(up, "/Type /StructTreeRoot"));
    assert_non_null(strstr(up, "   /IDTree << /Names [ (note-1) "));
    assert_int_equal(count(up, "/Type /StructElem"), 5);
    assert_int_equal(run("qpdf --check %s", &pdf, &log), 0);
    oc_buf_free(&log);
    /* The front matter's P first, then the chapter (its P found by its
     * /ID); the folio in none. */
    assert_int_equal(run("pdfinfo -struct-text %s", &pdf, &log), 0);
    assert_non_null(strstr(log.data, "Document\n  P (block)\n    \"front\"\n"
                                     "  Sect\n    P <note-1> (block)\n"
                                     "      \"body\"\n    Figure\n"));
    assert_null(strstr(log.data, "7"));
    oc_buf_free(&log);
    oc_buf_free(&pdf);
}

/* The content streams oc_mend_premark finds, kept as the painter keeps
 * them: the objects marked in a file of their own. */
typedef struct marks {
    FILE          *f;
    oc_mend_marked list[64];
    int            streams, marked;
} marks;

static void
keep(long num, const char *orig, size_t n, const char *marked, size_t mlen,
     void *ctx)
{
    marks *k = ctx;
    long at = ftell(k->f);

    assert_true(num > 0 && k->streams < 64);
    assert_true(k->streams == 0 || k->list[k->streams - 1].num < num);
    assert_true(n > 0);
    if (mlen > 0)
        assert_int_equal(fwrite(marked, 1, mlen, k->f), mlen);
    k->list[k->streams] = (oc_mend_marked){
        num, (uint32_t)libdeflate_crc32(0, orig, n), (uint64_t)at, mlen,
        n };
    k->streams++;
    k->marked += mlen > 0;
}

/* The pages' content streams marked ahead as cairo writes them give the
 * file the mend gives marking them itself; marks whose stream is not the
 * one the file holds (its CRC) are not taken. */
static void
test_streams_marked_ahead_give_the_same_file(void **state)
{
    oc_buf pdf = { 0 }, ahead = { 0 }, wrong = { 0 }, self = { 0 };
    oc_mend_options o = tagged_options();
    marks k = { 0 };
    char junk[4096];

    (void)state;
    make_tagged_pdf(&pdf);
    assert_non_null(k.f = tmpfile());
    oc_mend_premark(pdf.data, pdf.len, keep, &k);
    assert_true(k.streams >= 2);    /* the two pages' (a CMap's too) */
    assert_true(k.marked >= 1);             /* the folio's page at least */
    fflush(k.f);
    oc_buf_put(&self, pdf.data, pdf.len);
    oc_buf_put(&ahead, pdf.data, pdf.len);
    oc_buf_put(&wrong, pdf.data, pdf.len);
    mend_ok(&self, &o);
    o.premarked = (oc_mend_premarked){ k.list, (size_t)k.streams,
                                       fileno(k.f) };
    mend_ok(&ahead, &o);
    assert_int_equal(ahead.len, self.len);
    assert_memory_equal(ahead.data, self.data, self.len);
    /* The marks made junk, and told of another stream: not taken. */
    memset(junk, 'x', sizeof junk);
    assert_int_equal(pwrite(fileno(k.f), junk, sizeof junk, 0),
                     (ssize_t)sizeof junk);
    for (int i = 0; i < 64; i++)
        k.list[i].orig_crc ^= 1;
    mend_ok(&wrong, &o);
    assert_int_equal(wrong.len, self.len);
    assert_memory_equal(wrong.data, self.data, self.len);
    fclose(k.f);
    oc_buf_free(&pdf);
    oc_buf_free(&ahead);
    oc_buf_free(&wrong);
    oc_buf_free(&self);
}

/* Every stream of 'pdf' onto 'out', inflated if it is deflated; false
 * if one is neither deflated nor ('plain_ok') plain. */
static bool
stream_contents(const oc_buf *pdf, bool plain_ok, oc_buf *out)
{
    const char *end = pdf->data + pdf->len, *p = pdf->data, *st;

    while ((st = memmem(p, (size_t)(end - p), ">>\nstream\n", 10)) != NULL) {
        const char *dict = st, *data = st + 10, *e;
        oc_error err = { 0 };

        while (dict > pdf->data && memcmp(dict, " obj\n", 5) != 0)
            dict--;
        e = memmem(data, (size_t)(end - data), "\nendstream", 10);
        assert_non_null(e);
        if (memmem(dict, (size_t)(st - dict), "/FlateDecode", 12) != NULL)
            assert_int_equal(oc_inflate(data, (size_t)(e - data), out, &err),
                             OC_OK);
        else if (plain_ok)
            oc_buf_put(out, data, (size_t)(e - data));
        else
            return false;
        p = e;
    }
    return true;
}

/* Content streams that cairo wrote plain (render.h's oc_render_init)
 * come out deflated and marked as deflated ones are, whether they were
 * marked ahead or by the mend: the streams of the file are those of the
 * file mended from cairo's deflated streams, once inflated. */
static void
test_plain_streams_come_out_deflated_and_marked(void **state)
{
    oc_buf deflated = { 0 }, plain = { 0 }, ahead = { 0 };
    oc_buf want = { 0 }, got = { 0 }, got_ahead = { 0 };
    oc_mend_options o = tagged_options();
    marks k = { 0 };

    (void)state;
    make_tagged_pdf(&deflated);
    setenv("CAIRO_DEBUG_PDF", "1", 1);
    make_tagged_pdf(&plain);
    unsetenv("CAIRO_DEBUG_PDF");
    assert_false(stream_contents(&plain, false, &got));   /* some plain */
    got.len = 0;
    assert_non_null(k.f = tmpfile());
    oc_mend_premark(plain.data, plain.len, keep, &k);
    assert_true(k.streams >= 2);
    assert_int_equal(k.marked, k.streams);  /* all written deflated */
    fflush(k.f);
    oc_buf_put(&ahead, plain.data, plain.len);
    mend_ok(&deflated, &o);
    mend_ok(&plain, &o);
    o.premarked = (oc_mend_premarked){ k.list, (size_t)k.streams,
                                       fileno(k.f) };
    mend_ok(&ahead, &o);
    assert_true(stream_contents(&deflated, true, &want));
    assert_true(stream_contents(&plain, false, &got));
    assert_true(stream_contents(&ahead, false, &got_ahead));
    assert_non_null(memmem(got.data, got.len, "/Artifact BMC", 13));
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, want.len);
    assert_int_equal(got_ahead.len, want.len);
    assert_memory_equal(got_ahead.data, want.data, want.len);
    fclose(k.f);
    oc_buf_free(&deflated);
    oc_buf_free(&plain);
    oc_buf_free(&ahead);
    oc_buf_free(&want);
    oc_buf_free(&got);
    oc_buf_free(&got_ahead);
}

/* Bytes that only look like a content stream's head (in a stream's
 * data, or with a length that is not the data's) are not taken for
 * one. */
static void
test_premark_takes_only_whole_streams(void **state)
{
    static const char fake[] =
        "5 0 obj\n<< /Length 6 0 R\n   /Filter /FlateDecode\n>>\n"
        "stream\nxyz\nendstream\nendobj\n6 0 obj\n   4\nendobj\n"
        "7 0 obj\n<< /Length 8 0 R\n   /Filter /FlateDecode\n>>\n"
        "stream\nab";
    marks k = { 0 };

    (void)state;
    assert_non_null(k.f = tmpfile());
    oc_mend_premark(fake, sizeof fake - 1, keep, &k);
    assert_int_equal(k.streams, 0);
    fclose(k.f);
}

static void
test_structure_unlike_the_painted_one_is_refused(void **state)
{
    oc_buf pdf = { 0 };
    oc_mend_options o = tagged_options();
    oc_mend_elem past = { 5, "none", NULL, NULL };

    (void)state;
    make_tagged_pdf(&pdf);
    o.structure.count = 6;
    mend_fails(&pdf, &o, "5 structure elements, not the 6 painted");
    o.structure.count = 4;
    mend_fails(&pdf, &o, "more structure elements than the 4 painted");
    o = tagged_options();
    o.structure.front_kids = 3;
    mend_fails(&pdf, &o, "the Document has not the 3 elements of the "
                         "front matter");
    o = tagged_options();
    o.structure.elems = &past;
    o.structure.nelems = 1;
    mend_fails(&pdf, &o, "no structure element 5");
    o = tagged_options();
    replace(&pdf, "/StructTreeRoot ", "/StructTreeRooT ");
    mend_fails(&pdf, &o, "no /StructTreeRoot in the /Catalog");
    oc_buf_free(&pdf);
    make_tagged_pdf(&pdf);
    replace(&pdf, "/Type /StructElem\n   /S /Figure",
            "/Type /StructEle \n   /S /Figure");
    mend_fails(&pdf, &o, "object 6 is not a structure element");
    oc_buf_free(&pdf);
}

static void
test_catalog_gets_xmp_title_and_pdfua_part(void **state)
{
    oc_buf pdf = { 0 };
    oc_buf log = { 0 };
    oc_mend_options o = tagged_options();
    const char *up, *meta;

    (void)state;
    need_qpdf();
    make_tagged_pdf(&pdf);
    o.title = "Tom & Jerry <3>";
    up = mend_ok(&pdf, &o);
    meta = strstr(up, "/Type /Metadata /Subtype /XML");
    assert_non_null(meta);
    assert_non_null(strstr(meta, "<rdf:li xml:lang=\"x-default\">Tom &amp; "
                                 "Jerry &lt;3&gt;</rdf:li>"));
    assert_non_null(strstr(meta, "<pdfuaid:part>1</pdfuaid:part>"));
    assert_non_null(strstr(up, "   /Metadata "));
    assert_int_equal(run("qpdf --check %s", &pdf, &log), 0);
    oc_buf_free(&log);
    assert_int_equal(run("pdfinfo -meta %s", &pdf, &log), 0);
    assert_non_null(strstr(log.data, "Tom &amp; Jerry"));
    oc_buf_free(&log);
    oc_buf_free(&pdf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_is_written_again_whole),
        cmocka_unit_test(test_input_let_go_while_read_gives_the_same_file),
        cmocka_unit_test(
            test_cairo_file_has_errors_mended_one_passes_qpdf_check),
        cmocka_unit_test(test_picture_painted_twice_named_once_in_resources),
        cmocka_unit_test(test_file_without_links_gets_no_null_objects),
        cmocka_unit_test(test_front_matter_painted_last_is_moved_first),
        cmocka_unit_test(test_without_front_matter_pages_keep_their_order),
        cmocka_unit_test(test_page_labels_number_front_and_body_from_one),
        cmocka_unit_test(test_info_dates_get_their_d_prefix),
        cmocka_unit_test(
            test_catalog_gets_lang_title_display_and_outline_mode),
        cmocka_unit_test(test_lang_that_is_not_a_plain_tag_is_left_out),
        cmocka_unit_test(test_garbage_and_empty_input_are_refused),
        cmocka_unit_test(test_every_truncation_is_refused_and_left_alone),
        cmocka_unit_test(test_file_without_catalog_is_refused),
        cmocka_unit_test(test_trailer_without_root_or_size_is_refused),
        cmocka_unit_test(test_cross_reference_of_another_kind_is_refused),
        cmocka_unit_test(test_page_tree_of_another_shape_is_refused),
        cmocka_unit_test(test_structure_gets_alt_lang_id_and_front_matter_first),
        cmocka_unit_test(test_streams_marked_ahead_give_the_same_file),
        cmocka_unit_test(test_premark_takes_only_whole_streams),
        cmocka_unit_test(test_plain_streams_come_out_deflated_and_marked),
        cmocka_unit_test(test_structure_unlike_the_painted_one_is_refused),
        cmocka_unit_test(test_catalog_gets_xmp_title_and_pdfua_part),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
