/* test_threads.c - octavo used as a library by a program with threads:
 * two books built at once, each on its own thread (each with its own
 * cover and page painter threads), give the bytes they give one at a
 * time, and each book's warnings reach its own sink and no other; and
 * Markdown converted on several threads at once keeps its extensions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "markdown.h"
#include "octavo.h"

enum { ROUNDS = 3 };

typedef struct job {
    const char *book;           /* manifest, from the repository's root */
    char        epub[64], pdf[64];
    oc_status   st;
    oc_error    err;
    unsigned    warned;         /* warnings its sink had */
    unsigned    counted;        /* and oc_book_warnings at the end */
    unsigned    foreign;        /* of those, about another book's files */
} job;

/* A book's sink: only one sink call at a time (oc_warn), so no lock. */
static void
count_warning(const char *file, int line, int col, const char *msg,
              void *ctx)
{
    job *j = ctx;
    size_t dir = strrchr(j->book, '/') - j->book;

    (void)line, (void)col, (void)msg;
    j->warned++;
    if (file != NULL && strncmp(file, j->book, dir) != 0)
        j->foreign++;
}

static void *
build(void *data)
{
    job *j = data;
    oc_options opt = { .data_dir = ".", .for_epub = 1,
                       .warn = count_warning, .warn_ctx = j };
    oc_book *b = NULL;

    memset(&j->err, 0, sizeof j->err);
    j->warned = j->counted = j->foreign = 0;
    j->st = oc_book_load(j->book, &opt, &b, &j->err);
    if (j->st == OC_OK)
        j->st = oc_book_write_epub(b, j->epub, &j->err);
    if (j->st == OC_OK)
        j->st = oc_book_write_pdf(b, j->pdf, &j->err);
    if (b != NULL)
        j->counted = oc_book_warnings(b);
    oc_book_free(b);
    return NULL;
}

static void
read_all(const char *path, oc_buf *out)
{
    oc_error err = { 0 };

    out->len = 0;
    assert_int_equal(oc_buf_read_file(out, path, (size_t)1 << 30, &err),
                     OC_OK);
}

static void
assert_same_file(const char *a, const char *b)
{
    oc_buf x = { 0 }, y = { 0 };

    read_all(a, &x);
    read_all(b, &y);
    if (x.len != y.len || memcmp(x.data, y.data, x.len) != 0)
        fail_msg("%s and %s differ (%zu and %zu bytes)", a, b, x.len, y.len);
    oc_buf_free(&x);
    oc_buf_free(&y);
}

static void
set_paths(job *j, const char *dir, const char *stem, int n)
{
    snprintf(j->epub, sizeof j->epub, "%s/%s-%d.epub", dir, stem, n);
    snprintf(j->pdf, sizeof j->pdf, "%s/%s-%d.pdf", dir, stem, n);
}

static void
test_two_builds_at_once_give_the_bytes_of_one_at_a_time(void **state)
{
    char dir[] = "/tmp/octavo-threads-XXXXXX";
    job ref[2] = { { .book = "tests/e2e/features/book.yaml" },
                   { .book = "tests/threads/scripts/book.yaml" } };
    const char *stems[2] = { "features", "scripts" };

    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    assert_non_null(mkdtemp(dir));
    for (int k = 0; k < 2; k++) {
        set_paths(&ref[k], dir, stems[k], 0);
        build(&ref[k]);
        if (ref[k].st != OC_OK)
            fail_msg("%s: %s", ref[k].book, ref[k].err.msg);
    }
    for (int r = 1; r <= ROUNDS; r++) {
        job j[2] = { { .book = ref[0].book }, { .book = ref[1].book } };
        pthread_t t[2];

        for (int k = 0; k < 2; k++) {
            set_paths(&j[k], dir, stems[k], r);
            assert_int_equal(pthread_create(&t[k], NULL, build, &j[k]), 0);
        }
        for (int k = 0; k < 2; k++)
            pthread_join(t[k], NULL);
        for (int k = 0; k < 2; k++) {
            if (j[k].st != OC_OK)
                fail_msg("%s: %s", j[k].book, j[k].err.msg);
            assert_same_file(ref[k].epub, j[k].epub);
            assert_same_file(ref[k].pdf, j[k].pdf);
            unlink(j[k].epub);
            unlink(j[k].pdf);
        }
    }
    for (int k = 0; k < 2; k++) {
        unlink(ref[k].epub);
        unlink(ref[k].pdf);
    }
    rmdir(dir);
}

/* A book with warnings (links out of the book, web images) and one with
 * none, built at once: each sink hears its own book's, as many as when
 * the book is built alone; none goes to the process handler. */
static void
test_each_book_warns_to_its_own_sink(void **state)
{
    char dir[] = "/tmp/octavo-warn-XXXXXX";
    job ref[2] = { { .book = "tests/corpora/art-of-command-line/book.yaml" },
                   { .book = "tests/e2e/features/book.yaml" } };
    unsigned before;

    (void)state;
    assert_non_null(mkdtemp(dir));
    for (int k = 0; k < 2; k++) {
        set_paths(&ref[k], dir, k ? "quiet" : "noisy", 0);
        build(&ref[k]);
        assert_int_equal(ref[k].st, OC_OK);
    }
    assert_true(ref[0].warned > 0);
    assert_int_equal(ref[1].warned, 0);
    for (int r = 1; r <= ROUNDS; r++) {
        job j[2] = { { .book = ref[0].book }, { .book = ref[1].book } };
        pthread_t t[2];

        before = oc_warn_count();
        for (int k = 0; k < 2; k++) {
            set_paths(&j[k], dir, k ? "quiet" : "noisy", r);
            assert_int_equal(pthread_create(&t[k], NULL, build, &j[k]), 0);
        }
        for (int k = 0; k < 2; k++)
            pthread_join(t[k], NULL);
        for (int k = 0; k < 2; k++) {
            assert_int_equal(j[k].st, OC_OK);
            assert_int_equal(j[k].warned, ref[k].warned);
            assert_int_equal(j[k].counted, j[k].warned);
            assert_int_equal(j[k].foreign, 0);
            unlink(j[k].epub);
            unlink(j[k].pdf);
        }
        /* Every warning of the process went to one of the two sinks. */
        assert_int_equal(oc_warn_count() - before,
                         j[0].warned + j[1].warned);
    }
    for (int k = 0; k < 2; k++) {
        unlink(ref[k].epub);
        unlink(ref[k].pdf);
    }
    rmdir(dir);
}

enum { CONVERTERS = 4, CONVERSIONS = 300 };

/* Convert a chapter with a strikethrough again and again; count the
 * conversions that lost it. */
static void *
convert_many(void *data)
{
    static const char md[] = "Some ~~struck~~ text, a | b\n\n"
                             "| x | y |\n|---|---|\n| 1 | 2 |\n";
    oc_doc_opts o = { .language = "en", .title = "t" };
    unsigned *lost = data;

    for (int i = 0; i < CONVERSIONS; i++) {
        oc_error err = { 0 };
        xmlDocPtr doc = NULL;
        xmlBufferPtr buf = xmlBufferCreate();

        assert_int_equal(oc_chapter_convert(md, sizeof md - 1, "t.md", 1,
                                            OC_FORMAT_MARKDOWN, &o, &doc,
                                            &err), OC_OK);
        xmlNodeDump(buf, doc, xmlDocGetRootElement(doc), 0, 0);
        if (strstr((const char *)xmlBufferContent(buf), "<del>") == NULL ||
            strstr((const char *)xmlBufferContent(buf), "<table") == NULL)
            (*lost)++;
        xmlBufferFree(buf);
        xmlFreeDoc(doc);
    }
    return NULL;
}

/* cmark-gfm's table of inline special characters is process-wide: a
 * parser freed on one thread must not take '~' from another's. */
static void
test_markdown_on_threads_keeps_its_extensions(void **state)
{
    pthread_t t[CONVERTERS];
    unsigned lost[CONVERTERS] = { 0 };

    (void)state;
    for (int k = 0; k < CONVERTERS; k++)
        assert_int_equal(pthread_create(&t[k], NULL, convert_many,
                                        &lost[k]), 0);
    for (int k = 0; k < CONVERTERS; k++) {
        pthread_join(t[k], NULL);
        assert_int_equal(lost[k], 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_two_builds_at_once_give_the_bytes_of_one_at_a_time),
        cmocka_unit_test(test_each_book_warns_to_its_own_sink),
        cmocka_unit_test(test_markdown_on_threads_keeps_its_extensions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
