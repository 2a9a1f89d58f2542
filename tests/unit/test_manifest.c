/* test_manifest.c - book.yaml parsing: keys, types, defaults, front matter,
 * error positions, paths that leave the book. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "manifest.h"

static int
setup(void **state)
{
    *state = oc_arena_new();
    return 0;
}

static int
teardown(void **state)
{
    oc_arena_free(*state);
    return 0;
}

static char last_warning[512];
static int warning_line;

static void
catch_warning(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)file;
    (void)col;
    (void)ctx;
    snprintf(last_warning, sizeof last_warning, "%s", msg);
    warning_line = line;
}

static oc_status
parse(void **state, const char *text, oc_manifest **m, oc_error *err)
{
    return oc_manifest_parse(*state, text, strlen(text), "dir/book.yaml", m,
                             err);
}

static void
test_full_manifest_reads_every_key(void **state)
{
    const char text[] =
        "title: A Book\n"
        "subtitle: Of Tests\n"
        "author:\n"
        "  - Ada Lovelace\n"
        "  - {name: Charles Babbage, file-as: 'Babbage, Charles', role: edt}\n"
        "language: fr\n"
        "identifier: 978-3-16-148410-0\n"
        "date: 2021-12-31\n"
        "publisher: Octavo Press\n"
        "rights: CC BY 4.0\n"
        "description: A description.\n"
        "subjects: [History, Politics]\n"
        "series: Tests\n"
        "series-index: 2\n"
        "cover: images/cover.jpg\n"
        "stylesheet: [styles/a.css, styles/b.css]\n"
        "toc-depth: 3\n"
        "chapters:\n"
        "  - one.md\n"
        "  - {file: two.xhtml, language: ar}\n";
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, text, &m, &err), OC_OK);
    assert_string_equal(m->title, "A Book");
    assert_string_equal(m->subtitle, "Of Tests");
    assert_int_equal(m->nauthors, 2);
    assert_string_equal(m->authors[0].name, "Ada Lovelace");
    assert_string_equal(m->authors[0].role, "aut");
    assert_string_equal(m->authors[1].file_as, "Babbage, Charles");
    assert_string_equal(m->authors[1].role, "edt");
    assert_string_equal(m->language, "fr");
    assert_string_equal(m->identifier, "urn:isbn:978-3-16-148410-0");
    assert_string_equal(m->identifier_scheme, "isbn");
    assert_string_equal(m->date, "2021-12-31");
    assert_int_equal(m->nsubjects, 2);
    assert_string_equal(m->subjects[1], "Politics");
    assert_string_equal(m->series_index, "2");
    assert_string_equal(m->cover.path, "images/cover.jpg");
    assert_int_equal(m->cover.line, 15);
    assert_int_equal(m->nstylesheets, 2);
    assert_int_equal(m->toc_depth, 3);
    assert_int_equal(m->nchapters, 2);
    assert_string_equal(m->chapters[0].path, "one.md");
    assert_int_equal(m->chapters[0].line, 19);
    assert_int_equal(m->chapters[0].col, 5);
    assert_string_equal(m->chapters[1].path, "two.xhtml");
    assert_string_equal(m->chapters[1].language, "ar");
    assert_string_equal(m->dir, "dir");
    assert_string_equal(m->stem, "dir");
}

/* pandoc's metadata names: lang, cover-image, keywords, css; a lang
 * that is no tag is checked as language is. */
static void
test_pandoc_metadata_names(void **state)
{
    const char text[] =
        "title: Le Livre\n"
        "lang: fr-FR\n"
        "cover-image: cover.jpg\n"
        "keywords: [roman, test]\n"
        "css: style.css\n"
        "chapters:\n"
        "  - {file: one.md, lang: de}\n";
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, text, &m, &err), OC_OK);
    assert_string_equal(m->language, "fr-FR");
    assert_string_equal(m->cover.path, "cover.jpg");
    assert_int_equal(m->nsubjects, 2);
    assert_string_equal(m->subjects[0], "roman");
    assert_int_equal(m->nstylesheets, 1);
    assert_string_equal(m->stylesheets[0].path, "style.css");
    assert_string_equal(m->chapters[0].language, "de");
    assert_int_equal(parse(state, "title: T\nlang: 'not a tag'\n"
                           "chapters: [a.md]\n", &m, &err), OC_OK);
    assert_string_equal(m->language, "en");
}

static void
test_chapter_short_title_is_its_running_head(void **state)
{
    const char text[] =
        "title: T\n"
        "chapters:\n"
        "  - {file: long.md, short-title: A Web Server}\n"
        "  - other.md\n";
    oc_manifest *m = NULL;
    oc_error err = {0};
    oc_warn_fn old = oc_set_warn_handler(catch_warning, NULL);

    last_warning[0] = '\0';
    assert_int_equal(parse(state, text, &m, &err), OC_OK);
    oc_set_warn_handler(old, NULL);
    assert_string_equal(last_warning, "");      /* a field it knows */
    assert_string_equal(m->chapters[0].path, "long.md");
    assert_string_equal(m->chapters[0].short_title, "A Web Server");
    assert_null(m->chapters[1].short_title);
}

static void
test_defaults_language_and_toc_depth(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\nchapters: [a.md]\n", &m, &err),
                     OC_OK);
    assert_string_equal(m->language, "en");
    assert_int_equal(m->toc_depth, 2);
    assert_int_equal(m->nchapters, 1);
}

static void
test_identifier_is_stable_uuid5_of_title_and_authors(void **state)
{
    oc_manifest *a = NULL, *b = NULL, *c = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\nauthor: X\nchapters: [a.md]\n",
                           &a, &err), OC_OK);
    assert_int_equal(parse(state, "title: T\nauthor: X\nchapters: [b.md]\n",
                           &b, &err), OC_OK);
    assert_int_equal(parse(state, "title: T\nauthor: Y\nchapters: [a.md]\n",
                           &c, &err), OC_OK);
    assert_string_equal(a->identifier, b->identifier);
    assert_string_not_equal(a->identifier, c->identifier);
    assert_int_equal(strlen(a->identifier), 9 + 36);
    assert_int_equal(strncmp(a->identifier, "urn:uuid:", 9), 0);
    assert_int_equal(a->identifier[9 + 14], '5');      /* version 5 */
}

static void
test_uuid5_matches_rfc4122_example(void **state)
{
    char out[37];

    (void)state;
    /* Python: uuid.uuid5(uuid.NAMESPACE_URL, "http://python.org/") */
    oc_uuid5("http://python.org/", out);
    assert_string_equal(out, "4c565f0d-3f5a-5890-b41b-20cf47701c5e");
}

static void
test_missing_title_is_invalid_with_position(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "language: en\nchapters: [a.md]\n", &m,
                           &err), OC_ERR_INVALID);
    assert_string_equal(err.file, "dir/book.yaml");
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.msg, "title"));
    assert_null(m);
}

static void
test_yaml_syntax_error_has_line_and_column(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\nchapters: [a.md\nlanguage: en\n",
                           &m, &err), OC_ERR_SYNTAX);
    assert_int_equal(err.line, 3);
    assert_true(err.col > 0);
    assert_non_null(strstr(err.msg, "YAML"));
}

static void
test_wrong_type_is_an_error_on_its_line(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\nchapters: [a.md]\n"
                                  "publisher: [a, b]\n", &m, &err),
                     OC_ERR_INVALID);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 12);
    assert_string_equal(err.msg, "'publisher' must be a string");
}

static void
test_toc_depth_out_of_range_is_an_error(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\nchapters: [a.md]\ntoc-depth: 9\n",
                           &m, &err), OC_ERR_INVALID);
    assert_int_equal(err.line, 3);
}

/* image-resolution: pixels per inch from 72 to 2400, 300 by default,
 * 'original' (0) for all of them; anything else names its line. */
static void
test_image_resolution(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};
    const char *bad[] = {"0", "71", "2401", "300dpi", "high", "[300]"};

    assert_int_equal(parse(state, "title: T\nchapters: [a.md]\n", &m, &err),
                     OC_OK);
    assert_int_equal(m->image_dpi, 300);
    assert_int_equal(parse(state, "title: T\nchapters: [a.md]\n"
                           "image-resolution: 150\n", &m, &err), OC_OK);
    assert_int_equal(m->image_dpi, 150);
    assert_int_equal(parse(state, "title: T\nchapters: [a.md]\n"
                           "image-resolution: original\n", &m, &err), OC_OK);
    assert_int_equal(m->image_dpi, 0);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char yaml[128];

        snprintf(yaml, sizeof yaml, "title: T\nchapters: [a.md]\n"
                 "image-resolution: %s\n", bad[i]);
        assert_int_equal(parse(state, yaml, &m, &err), OC_ERR_INVALID);
        assert_int_equal(err.line, 3);
    }
}

static void
test_unknown_key_warns_with_its_line(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};
    oc_warn_fn old = oc_set_warn_handler(catch_warning, NULL);

    last_warning[0] = '\0';
    assert_int_equal(parse(state, "title: T\ncolour: blue\nchapters: [a]\n",
                           &m, &err), OC_OK);
    oc_set_warn_handler(old, NULL);
    assert_string_equal(last_warning, "unknown manifest key 'colour' ignored");
    assert_int_equal(warning_line, 2);
}

static void
test_no_chapters_is_invalid(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\n", &m, &err), OC_ERR_INVALID);
    assert_non_null(strstr(err.msg, "chapters"));
}

static void
test_front_matter_book_has_body_and_line(void **state)
{
    const char text[] = "---\ntitle: Essay\nauthor: Me\n---\n\n# Start\n";
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(oc_manifest_parse(*state, text, strlen(text), "essay.md",
                                       &m, &err), OC_OK);
    assert_string_equal(m->title, "Essay");
    assert_int_equal(m->nchapters, 0);
    assert_non_null(m->body);
    assert_int_equal(m->body_line, 5);
    assert_string_equal(m->body, "\n# Start\n");
    assert_string_equal(m->stem, "essay");
}

static void
test_front_matter_error_lines_count_from_file_start(void **state)
{
    const char text[] = "---\ntitle: Essay\nauthor: [x\n---\nbody\n";
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(oc_manifest_parse(*state, text, strlen(text), "essay.md",
                                       &m, &err), OC_ERR_SYNTAX);
    assert_true(err.line >= 3);
}

static void
test_invalid_utf8_is_an_error_with_position(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\nchapters: [a\xff.md]\n", &m,
                           &err), OC_ERR_SYNTAX);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 13);
    assert_non_null(strstr(err.msg, "UTF-8"));
}

static void
test_bom_and_crlf_are_accepted(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "\xef\xbb\xbftitle: T\r\nchapters: [a.md]\r\n",
                           &m, &err), OC_OK);
    assert_string_equal(m->title, "T");
    assert_string_equal(m->chapters[0].path, "a.md");
}

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void
test_chapter_outside_book_is_refused_with_its_line(void **state)
{
    char dir[] = "/tmp/octavo-test-XXXXXX";
    char path[256];
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/book.yaml", dir);
    write_file(path, "title: T\nchapters:\n  - a.md\n  - ../escape.md\n");
    assert_int_equal(oc_manifest_load(*state, path, NULL, 0, &m, &err),
                     OC_ERR_INVALID);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 5);
    assert_string_equal(err.msg,
                        "chapter '../escape.md' is outside the book's folder");
    unlink(path);
    rmdir(dir);
}

static void
test_symlink_out_of_book_is_refused(void **state)
{
    char dir[] = "/tmp/octavo-test-XXXXXX";
    char path[256], link[256];
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/book.yaml", dir);
    snprintf(link, sizeof link, "%s/passwd.md", dir);
    write_file(path, "title: T\nchapters: [passwd.md]\n");
    assert_int_equal(symlink("/etc/passwd", link), 0);
    assert_int_equal(oc_manifest_load(*state, path, NULL, 0, &m, &err),
                     OC_ERR_INVALID);
    assert_int_equal(err.line, 2);
    unlink(link);
    unlink(path);
    rmdir(dir);
}

static void
test_absolute_path_is_refused(void **state)
{
    char dir[] = "/tmp/octavo-test-XXXXXX";
    char path[256];
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/book.yaml", dir);
    write_file(path, "title: T\nchapters: [/etc/passwd]\n");
    assert_int_equal(oc_manifest_load(*state, path, NULL, 0, &m, &err),
                     OC_ERR_INVALID);
    unlink(path);
    rmdir(dir);
}

static void
test_missing_manifest_is_io_error(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(oc_manifest_load(*state, "/nonexistent/book.yaml", NULL, 0, &m,
                                      &err), OC_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/book.yaml");
    assert_non_null(strstr(err.msg, "No such file"));
}

static void
test_toc_and_title_page_false_hide_them(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\nchapters: [a.md]\n", &m, &err),
                     OC_OK);
    assert_int_equal(m->hide_toc, 0);
    assert_int_equal(m->hide_title_page, 0);
    assert_int_equal(parse(state, "title: T\ntoc: false\ntitle-page: no\n"
                           "chapters: [a.md]\n", &m, &err), OC_OK);
    assert_int_equal(m->hide_toc, 1);
    assert_int_equal(m->hide_title_page, 1);
    assert_int_equal(parse(state, "title: T\ntoc: perhaps\nchapters: [a]\n",
                           &m, &err), OC_ERR_INVALID);
    assert_string_equal(err.msg, "'toc' must be true or false");
    assert_int_equal(err.line, 2);
}

static oc_status
parse_meta(void **state, const char *text, const char *const *meta,
           size_t n, oc_manifest **m, oc_error *err)
{
    return oc_manifest_parse_with(*state, text, strlen(text),
                                  "dir/book.yaml", meta, n, m, err);
}

static void
test_meta_sets_keys_over_the_manifest_in_order(void **state)
{
    const char *meta[] = {"title=First", "title=A: Title", "language=fr",
                          "author=[Ann One, 'Two, Bob']", "toc-depth=3",
                          "toc=false", "subtitle="};
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse_meta(state, "title: T\nsubtitle: S\n"
                                "author: Z\nchapters: [a.md]\n", meta, 7,
                                &m, &err), OC_OK);
    assert_string_equal(m->title, "A: Title");
    assert_string_equal(m->language, "fr");
    assert_int_equal(m->nauthors, 2);
    assert_string_equal(m->authors[1].name, "Two, Bob");
    assert_string_equal(m->authors[1].role, "aut");
    assert_int_equal(m->toc_depth, 3);
    assert_int_equal(m->hide_toc, 1);
    assert_null(m->subtitle);
}

static void
test_meta_gives_a_title_the_manifest_lacks(void **state)
{
    const char *meta[] = {"title=Given"};
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse_meta(state, "chapters: [a.md]\n", meta, 1, &m,
                                &err), OC_OK);
    assert_string_equal(m->title, "Given");
}

static void
test_meta_unknown_key_or_bad_value_is_a_usage_error(void **state)
{
    const char *unknown[] = {"colour=red"};
    const char *bad[] = {"toc-depth=9"};
    oc_manifest *m = NULL;
    oc_error err = {0};
    const char text[] = "title: T\nchapters: [a.md]\n";

    assert_int_equal(parse_meta(state, text, unknown, 1, &m, &err),
                     OC_ERR_USAGE);
    assert_string_equal(err.msg,
                        "-M colour=red: no such manifest key 'colour'");
    memset(&err, 0, sizeof err);
    assert_int_equal(parse_meta(state, text, bad, 1, &m, &err),
                     OC_ERR_USAGE);
    assert_string_equal(err.file, "-M toc-depth=9");
    assert_int_equal(err.line, 0);
    assert_string_equal(err.msg,
                        "'toc-depth' must be a whole number from 1 to 6");
}

static void
test_bare_markdown_is_titled_by_its_first_heading(void **state)
{
    const char atx[] = "Intro.\n\n```\n# Not this\n```\n\n"
                       "## The *Real* `Title` ##\n\nText.\n";
    const char setext[] = "Intro.\n\nA [Linked](x.md) Title\n=====\n";
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(oc_manifest_parse(*state, atx, strlen(atx), "essay.md",
                                       &m, &err), OC_OK);
    assert_string_equal(m->title, "The Real Title");
    assert_int_equal(m->nchapters, 0);
    assert_int_equal(m->body_line, 1);
    assert_int_equal(m->body_len, strlen(atx));
    assert_int_equal(oc_manifest_parse(*state, setext, strlen(setext),
                                       "essay.md", &m, &err), OC_OK);
    assert_string_equal(m->title, "A Linked Title");
}

/* A README's badges in its first heading ("# safe-buffer [![travis]
 * [travis-image]][travis-url]") do not title the book: a picture's alt
 * text is left out of the title, unless the pictures are all the
 * heading holds. */
static void
test_book_title_leaves_out_a_headings_pictures(void **state)
{
    const char badges[] =
        "# safe-buffer [![travis][travis-image]][travis-url] "
        "[![npm](https://img.shields.io/npm/v/x.svg)](https://npmjs.org/x) "
        "<img src=\"dl.svg\" alt=\"downloads\"> ![s]\n\n"
        "[travis-image]: https://img.shields.io/travis/x.svg\n"
        "[travis-url]: https://travis-ci.org/x\n";
    const char logo[] = "# ![Logo Name](https://example.org/logo.svg)\n";
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(oc_manifest_parse(*state, badges, strlen(badges),
                                       "README.md", &m, &err), OC_OK);
    assert_string_equal(m->title, "safe-buffer");
    assert_int_equal(oc_manifest_parse(*state, logo, strlen(logo),
                                       "README.md", &m, &err), OC_OK);
    assert_string_equal(m->title, "Logo Name");
}

/* pandoc's attributes after a heading ({#id .class key="v"}, as its
 * writer puts them) are not the book's title; braces of the text are. */
static void
test_book_title_leaves_out_a_headings_attributes(void **state)
{
    const char attrs[] = "# Web2c: A TeX implementation {#web2c .settitle "
                         "align=\"center\"}\n\nText.\n";
    const char setext[] = "Sets {A, B} {-}\n=====\n";
    const char braces[] = "# The {Braces} Book\n";
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(oc_manifest_parse(*state, attrs, strlen(attrs),
                                       "web2c.md", &m, &err), OC_OK);
    assert_string_equal(m->title, "Web2c: A TeX implementation");
    assert_int_equal(oc_manifest_parse(*state, setext, strlen(setext),
                                       "sets.md", &m, &err), OC_OK);
    assert_string_equal(m->title, "Sets {A, B}");
    assert_int_equal(oc_manifest_parse(*state, braces, strlen(braces),
                                       "b.md", &m, &err), OC_OK);
    assert_string_equal(m->title, "The {Braces} Book");
}

/* An HTML or XHTML file is a book of one chapter, itself, titled by its
 * <title>, else its first <h1>, else its name. */
static void
test_html_file_is_a_book(void **state)
{
    const char titled[] = "<html><head><title>The  Real\nTitle</title>"
                          "</head><body><h1>Other</h1></body></html>";
    const char h1[] = "<html><body><p>x</p><h1>A <em>Heading</em></h1>";
    const char none[] = "<p>Text only.</p>";
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(oc_manifest_parse(*state, titled, strlen(titled),
                                       "dir/page.html", &m, &err), OC_OK);
    assert_string_equal(m->title, "The Real Title");
    assert_int_equal(m->nchapters, 1);
    assert_string_equal(m->chapters[0].path, "page.html");
    assert_null(m->body);
    assert_int_equal(oc_manifest_parse(*state, h1, strlen(h1), "c.xhtml",
                                       &m, &err), OC_OK);
    assert_string_equal(m->title, "A Heading");
    assert_int_equal(oc_manifest_parse(*state, none, strlen(none), "n.htm",
                                       &m, &err), OC_OK);
    assert_string_equal(m->title, "n");
}

static void
test_bare_markdown_without_heading_takes_its_name(void **state)
{
    const char text[] = "Just words.\n";
    oc_manifest *m = NULL;
    oc_error err = {0};
    oc_warn_fn old = oc_set_warn_handler(catch_warning, NULL);

    last_warning[0] = '\0';
    assert_int_equal(oc_manifest_parse(*state, text, strlen(text),
                                       "notes/essay.md", &m, &err), OC_OK);
    oc_set_warn_handler(old, NULL);
    assert_string_equal(m->title, "essay");
    assert_string_equal(last_warning, "no heading to take the book's title "
                        "from; it is titled 'essay'");
}

static void
test_folder_is_read_as_its_book_yaml(void **state)
{
    char dir[] = "/tmp/octavo-test-XXXXXX";
    char path[256], slash[256];
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_non_null(mkdtemp(dir));
    assert_int_equal(oc_manifest_load(*state, dir, NULL, 0, &m, &err),
                     OC_ERR_IO);
    assert_string_equal(err.file, dir);
    assert_string_equal(err.msg, "no book.yaml in this folder");
    snprintf(path, sizeof path, "%s/book.yaml", dir);
    write_file(path, "title: T\nchapters: [a.md]\n");
    snprintf(slash, sizeof slash, "%s//", dir);
    memset(&err, 0, sizeof err);
    assert_int_equal(oc_manifest_load(*state, slash, NULL, 0, &m, &err),
                     OC_OK);
    assert_string_equal(m->file, path);
    assert_string_equal(m->stem, strrchr(dir, '/') + 1);
    unlink(path);
    rmdir(dir);
}

static void
test_labels_are_read_by_name_and_checked(void **state)
{
    const char *meta[] = {"labels={translated-by: 'Traduction :'}"};
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\nlanguage: ru\nlabels:\n"
                           "  contents: Оглавление\nchapters: [a.md]\n",
                           &m, &err), OC_OK);
    assert_string_equal(m->labels[OC_LABEL_CONTENTS], "Оглавление");
    assert_null(m->labels[OC_LABEL_COVER]);
    assert_string_equal(oc_label(m->labels, m->language, OC_LABEL_CONTENTS),
                        "Оглавление");
    assert_string_equal(oc_label(m->labels, m->language, OC_LABEL_COVER),
                        "Обложка");
    /* An alert's title: the language's, the book's own, else English. */
    assert_string_equal(oc_label(m->labels, m->language, OC_LABEL_TIP),
                        "Совет");
    assert_string_equal(oc_label(NULL, "mn", OC_LABEL_CAUTION), "Caution");
    assert_int_equal(parse(state, "title: T\nlabels: {note: Nota bene}\n"
                           "chapters: [a.md]\n", &m, &err), OC_OK);
    assert_string_equal(oc_label(m->labels, "de", OC_LABEL_NOTE),
                        "Nota bene");
    assert_int_equal(parse(state, "title: T\nlabels:\n  contents: C\n"
                           "  preface: P\nchapters: [a.md]\n", &m, &err),
                     OC_ERR_INVALID);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 3);
    assert_non_null(strstr(err.msg, "unknown label 'preface'"));
    memset(&err, 0, sizeof err);
    assert_int_equal(parse(state, "title: T\nlabels: [a]\nchapters: [a]\n",
                           &m, &err), OC_ERR_INVALID);
    assert_int_equal(err.line, 2);
    assert_int_equal(parse_meta(state, "title: T\nlanguage: fr\n"
                                "chapters: [a.md]\n", meta, 1, &m, &err),
                     OC_OK);
    assert_string_equal(oc_label_credit(m->labels, m->language, "trl"),
                        "Traduction :");
    assert_string_equal(oc_label_credit(m->labels, m->language, "edt"),
                        "Sous la direction de");
}

static void
test_labels_follow_the_language_tag(void **state)
{
    static const struct {
        const char *tag, *contents;
    } cases[] = {
        {"ru-RU", "Содержание"}, {"pt-BR", "Sumário"}, {"pt-PT", "Índice"},
        {"zh-TW", "目錄"}, {"zh-Hant-HK", "目錄"}, {"zh-CN", "目录"},
        {"sr-Latn-RS", "Sadržaj"}, {"sr", "Садржај"}, {"no", "Innhold"},
        {"DE-ch", "Inhalt"}, {"en-GB", "Contents"}, {"eu", "Contents"},
        {"ta-IN", "பொருளடக்கம்"},
        {NULL, "Contents"}, {"", "Contents"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_string_equal(oc_label(NULL, cases[i].tag, OC_LABEL_CONTENTS),
                            cases[i].contents);
    assert_true(oc_labels_known("uk"));
    assert_false(oc_labels_known("eu"));
    assert_false(oc_labels_known(NULL));
    /* Credits: a role with a label in every language, one with an
     * English phrase only, an unknown one. */
    assert_string_equal(oc_label_credit(NULL, "de", "ill"),
                        "Illustriert von");
    assert_string_equal(oc_label_credit(NULL, "en", "cov"),
                        "Cover design by");
    assert_string_equal(oc_label_credit(NULL, "eu", "cov"),
                        "Cover design by");
    assert_string_equal(oc_label_credit(NULL, "de", "cov"), "Mit");
    assert_string_equal(oc_label_credit(NULL, "en", "xyz"), "With");
    assert_string_equal(oc_label_credit(NULL, "en", NULL), "With");
    for (int i = 0; i < OC_LABEL_COUNT; i++)
        assert_int_equal(oc_label_find(oc_label_name((oc_label_id)i)), i);
    assert_int_equal(oc_label_find("nope"), -1);
}

static void
test_default_stylesheet_false_is_read(void **state)
{
    oc_manifest *m = NULL;
    oc_error err = {0};

    assert_int_equal(parse(state, "title: T\nchapters: [a.md]\n", &m, &err),
                     OC_OK);
    assert_int_equal(m->no_default_stylesheet, 0);
    assert_int_equal(parse(state, "title: T\ndefault-stylesheet: false\n"
                           "chapters: [a.md]\n", &m, &err), OC_OK);
    assert_int_equal(m->no_default_stylesheet, 1);
}

/* A date is a W3C date of a day that is (leap years counted) and a time
 * whose zone is one; anything else is left out with a warning. */
static void
test_dates_are_real_days_and_times(void **state)
{
    const char *good[] = {"2024", "2024-02", "2024-02-29", "2000-02-29",
                          "2024-12-31T23:59Z", "2024-01-01T10:00:00.5+02:00",
                          "2024-01-01T10:00:00-11:30"};
    const char *bad[] = {"2023-02-29", "1900-02-29", "2024-04-31",
                         "2024-13-01", "2024- 1-01", "24-01-01",
                         "2024-01-01T24:00Z", "2024-01-01T10:00:00+25:00",
                         "2024-01-01T10:00:00garbage", "2024-01-01T10",
                         "2024-01-01T10:00:00+02"};
    oc_warn_fn old = oc_set_warn_handler(catch_warning, NULL);
    oc_manifest *m = NULL;
    oc_error err = {0};
    char yaml[160];

    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        snprintf(yaml, sizeof yaml, "title: T\ndate: \"%s\"\n"
                 "chapters: [a.md]\n", good[i]);
        assert_int_equal(parse(state, yaml, &m, &err), OC_OK);
        if (m->date == NULL || strcmp(m->date, good[i]) != 0)
            fail_msg("'%s' was left out", good[i]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(yaml, sizeof yaml, "title: T\ndate: \"%s\"\n"
                 "chapters: [a.md]\n", bad[i]);
        warning_line = 0;
        assert_int_equal(parse(state, yaml, &m, &err), OC_OK);
        if (m->date != NULL)
            fail_msg("'%s' was kept", bad[i]);
        assert_int_equal(warning_line, 2);
    }
    oc_set_warn_handler(old, NULL);
}

/* YAML lets a key's last value win; a manifest names the duplicate, in
 * the chapters', authors' and labels' mappings too. */
static void
test_duplicate_keys_are_errors_at_any_depth(void **state)
{
    const char *yaml[] = {
        "title: T\nchapters: [a.md]\ntitle: U\n",
        "title: T\nchapters:\n  - file: a.md\n    file: b.md\n",
        "title: T\nauthor:\n  - name: A\n    name: B\nchapters: [a]\n",
        "title: T\nlabels: {contents: A,\n  contents: B}\nchapters: [a]\n",
    };
    const int line[] = {3, 4, 4, 3};
    oc_manifest *m = NULL;

    for (size_t i = 0; i < sizeof yaml / sizeof *yaml; i++) {
        oc_error err = {0};

        assert_int_equal(parse(state, yaml[i], &m, &err), OC_ERR_INVALID);
        assert_non_null(strstr(err.msg, "is given twice"));
        assert_int_equal(err.line, line[i]);
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_full_manifest_reads_every_key),
        T(test_pandoc_metadata_names),
        T(test_chapter_short_title_is_its_running_head),
        T(test_defaults_language_and_toc_depth),
        T(test_identifier_is_stable_uuid5_of_title_and_authors),
        T(test_uuid5_matches_rfc4122_example),
        T(test_missing_title_is_invalid_with_position),
        T(test_yaml_syntax_error_has_line_and_column),
        T(test_wrong_type_is_an_error_on_its_line),
        T(test_toc_depth_out_of_range_is_an_error),
        T(test_image_resolution),
        T(test_unknown_key_warns_with_its_line),
        T(test_no_chapters_is_invalid),
        T(test_front_matter_book_has_body_and_line),
        T(test_front_matter_error_lines_count_from_file_start),
        T(test_invalid_utf8_is_an_error_with_position),
        T(test_bom_and_crlf_are_accepted),
        T(test_chapter_outside_book_is_refused_with_its_line),
        T(test_symlink_out_of_book_is_refused),
        T(test_absolute_path_is_refused),
        T(test_missing_manifest_is_io_error),
        T(test_toc_and_title_page_false_hide_them),
        T(test_meta_sets_keys_over_the_manifest_in_order),
        T(test_meta_gives_a_title_the_manifest_lacks),
        T(test_meta_unknown_key_or_bad_value_is_a_usage_error),
        T(test_bare_markdown_is_titled_by_its_first_heading),
        T(test_book_title_leaves_out_a_headings_pictures),
        T(test_book_title_leaves_out_a_headings_attributes),
        T(test_html_file_is_a_book),
        T(test_bare_markdown_without_heading_takes_its_name),
        T(test_folder_is_read_as_its_book_yaml),
        T(test_labels_are_read_by_name_and_checked),
        T(test_labels_follow_the_language_tag),
        T(test_default_stylesheet_false_is_read),
        T(test_dates_are_real_days_and_times),
        T(test_duplicate_keys_are_errors_at_any_depth),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
