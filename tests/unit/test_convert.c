/* test_convert.c - chapters converted on a second thread (convert.h):
 * each document is its own chapter's, the warnings of every conversion
 * come in the order of the chapters (whichever thread converted them)
 * and are counted once, and a book's errors are told in its order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "convert.h"
#include "error.h"
#include "octavo.h"
#include "xhtml.h"

enum { CHAPTERS = 12, MAX_SAID = 256 };

typedef struct heard {
    int      line[MAX_SAID];
    char     what[MAX_SAID][96];
    size_t   n;
} heard;

static void
pause_ms(long ms)
{
    struct timespec ts = { 0, ms * 1000000L };

    nanosleep(&ts, NULL);
}

static void
hear(const char *file, int line, int col, const char *msg, void *ctx)
{
    heard *h = ctx;

    (void)col;
    if (h->n >= MAX_SAID)
        return;
    snprintf(h->what[h->n], sizeof h->what[0], "%s|%s",
             file ? file : "", msg);
    h->line[h->n++] = line;
}

/* Chapter k's Markdown: its number in a heading, and k % 3 + 1 obsolete
 * elements (one warning each, at lines 3, 5, 7). */
static char *
chapter_text(int k)
{
    static const char *const kinds[] = { "marquee", "blink", "font" };
    size_t size = 64 * 1024, n;
    char *s = malloc(size);

    n = (size_t)snprintf(s, size, "# Chapter %d\n", k);
    for (int i = 0; i <= k % 3; i++)
        n += (size_t)snprintf(s + n, size - n, "\n<%s>x</%s>\n", kinds[i],
                              kinds[i]);
    /* Enough text after them that a conversion takes a while. */
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(s + n, size - n, "\nSome *words* and more "
                              "words, paragraph %d.\n", i);
    return s;
}

/* The converter given text: every document is its own chapter's, and
 * the warnings come chapter by chapter, each once, whichever thread
 * made them. */
static void
test_documents_and_warnings_come_in_order(void **state)
{
    oc_convert_input in[CHAPTERS];
    char *texts[CHAPTERS], files[CHAPTERS][32];
    const char *sheets[] = { "css/book.css" };
    heard h = { 0 };
    oc_diag d = { hear, &h, 0 };
    oc_diag *prev;
    unsigned before = oc_warn_count();
    size_t want = 0, at = 0;
    oc_convert *c;

    (void)state;
    for (int k = 0; k < CHAPTERS; k++) {
        texts[k] = chapter_text(k);
        snprintf(files[k], sizeof files[k], "ch%02d.md", k);
        in[k] = (oc_convert_input){
            .file = files[k], .text = texts[k], .len = strlen(texts[k]),
            .first_line = 1, .format = OC_FORMAT_MARKDOWN,
            .opts = { .language = "en", .title = "T",
                      .stylesheets = sheets, .nstylesheets = 1 } };
        want += (size_t)(k % 3 + 1);
    }
    prev = oc_diag_enter(&d);
    c = oc_convert_start(in, CHAPTERS);
    for (int k = 0; k < CHAPTERS; k++) {
        xmlDocPtr doc = NULL;
        bool unread = true;
        oc_error err = { 0 };
        char heading[32];
        xmlNodePtr h1;

        if (k == 3)
            pause_ms(20);        /* the other thread runs ahead */
        assert_int_equal(oc_convert_take(c, (size_t)k, &doc, &unread, &err),
                         OC_OK);
        assert_false(unread);
        assert_non_null(doc);
        h1 = oc_xhtml_find(xmlDocGetRootElement(doc), "h1");
        assert_non_null(h1);
        snprintf(heading, sizeof heading, "Chapter %d", k);
        {
            xmlChar *text = xmlNodeGetContent(h1);

            assert_string_equal((const char *)text, heading);
            xmlFree(text);
        }
        xmlFreeDoc(doc);
        /* Its warnings, told as it was taken, and after the last's. */
        for (int i = 0; i <= k % 3; i++, at++) {
            char prefix[40];

            assert_true(at < h.n);
            snprintf(prefix, sizeof prefix, "%s|", files[k]);
            assert_memory_equal(h.what[at], prefix, strlen(prefix));
            assert_int_equal(h.line[at], 3 + 2 * i);
        }
        assert_int_equal(h.n, at);
    }
    oc_convert_end(c);
    oc_diag_leave(prev);
    assert_int_equal(h.n, want);
    assert_int_equal(d.count, want);
    assert_int_equal(oc_warn_count() - before, want);   /* once each */
    for (int k = 0; k < CHAPTERS; k++)
        free(texts[k]);
}

/* Chapters never taken are freed by oc_convert_end, whether converted
 * or not (the sanitizers' runs find a leak otherwise); a file that
 * cannot be read is told as unread. */
static void
test_end_frees_what_was_not_taken(void **state)
{
    oc_convert_input in[CHAPTERS];
    char *texts[CHAPTERS];
    heard h = { 0 };
    oc_diag d = { hear, &h, 0 };
    oc_diag *prev = oc_diag_enter(&d);
    xmlDocPtr doc = NULL;
    bool unread = false;
    oc_error err = { 0 };
    oc_convert *c;

    (void)state;
    for (int k = 0; k < CHAPTERS; k++) {
        texts[k] = chapter_text(k);
        in[k] = (oc_convert_input){
            .file = "x.md", .text = texts[k], .len = strlen(texts[k]),
            .first_line = 1, .format = OC_FORMAT_MARKDOWN,
            .opts = { .language = "en" } };
    }
    in[0].text = NULL;
    in[0].file = "/nonexistent/octavo/chapter.md";
    c = oc_convert_start(in, CHAPTERS);
    assert_int_not_equal(oc_convert_take(c, 0, &doc, &unread, &err), OC_OK);
    assert_true(unread);
    assert_null(doc);
    assert_int_not_equal(err.code, OC_OK);
    assert_non_null(strstr(err.msg, "No such file"));
    pause_ms(20);
    oc_convert_end(c);          /* chapters 1.. converted ahead, untaken */
    oc_convert_end(oc_convert_start(in + 1, CHAPTERS - 1));  /* none */
    oc_convert_end(NULL);
    oc_diag_leave(prev);
    for (int k = 0; k < CHAPTERS; k++)
        free(texts[k]);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_non_null(f = fopen(path, "w"));
    fputs(text, f);
    fclose(f);
}

typedef struct told {
    char msg[8][1024];
    int  n;
} told;

static void
tell_error(const oc_error *err, void *ctx)
{
    told *t = ctx;

    if (t->n < 8)
        snprintf(t->msg[t->n++], sizeof t->msg[0], "%s:%d:%d: %s",
                 strrchr(err->file, '/') ? strrchr(err->file, '/') + 1
                                         : err->file,
                 err->line, err->col, err->msg);
}

/* A whole book: its errors, from either thread, are told in the order
 * of its chapters, and its warnings likewise. */
static void
test_a_books_errors_and_warnings_in_its_order(void **state)
{
    char dir[] = "/tmp/octavo-convert-XXXXXX";
    char manifest[96], name[16], text[160];
    heard h = { 0 };
    told t = { 0 };
    oc_options opt = { .data_dir = ".", .warn = hear, .warn_ctx = &h,
                       .error = tell_error, .error_ctx = &t };
    oc_book *b = NULL;
    oc_error err = { 0 };
    char yaml[1024];
    size_t n;
    int last = -1;

    (void)state;
    assert_non_null(mkdtemp(dir));
    n = (size_t)snprintf(yaml, sizeof yaml,
                         "title: W\nauthor: [A]\nlanguage: en\nchapters:\n");
    for (int k = 0; k < 8; k++) {
        if (k == 3) {
            n += (size_t)snprintf(yaml + n, sizeof yaml - n,
                                  "  - c3.xhtml\n");
            write_file(dir, "c3.xhtml",
                       "<html><body><p>x</b></body></html>");
            continue;
        }
        snprintf(name, sizeof name, "c%d.md", k);
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "  - %s\n", name);
        if (k == 6)
            continue;       /* never written: does not exist */
        snprintf(text, sizeof text, "# C%d\n\n<marquee>x</marquee>\n", k);
        write_file(dir, name, text);
    }
    write_file(dir, "book.yaml", yaml);
    snprintf(manifest, sizeof manifest, "%s/book.yaml", dir);
    assert_int_not_equal(oc_book_load(manifest, &opt, &b, &err), OC_OK);
    assert_int_equal(t.n, 2);
    assert_non_null(strstr(t.msg[0], "c3.xhtml:1:21: Opening and ending"));
    assert_non_null(strstr(t.msg[1], "book.yaml:11:5: chapter 'c6.md' "
                                     "does not exist"));
    /* One warning a Markdown chapter that exists, in their order. */
    assert_int_equal(h.n, 6);
    for (size_t i = 0; i < h.n; i++) {
        const char *c = strstr(h.what[i], "/c");
        int k;

        assert_non_null(c);
        k = c[2] - '0';
        assert_true(k > last);
        last = k;
        assert_int_equal(h.line[i], 3);
    }
    for (int k = 0; k < 8; k++) {
        snprintf(text, sizeof text, "%s/c%d.%s", dir, k,
                 k == 3 ? "xhtml" : "md");
        unlink(text);
    }
    unlink(manifest);
    rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documents_and_warnings_come_in_order),
        cmocka_unit_test(test_end_frees_what_was_not_taken),
        cmocka_unit_test(test_a_books_errors_and_warnings_in_its_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
