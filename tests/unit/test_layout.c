/* test_layout.c - the printed book's layout: rectos and blank versos,
 * front matter labels, the contents' folios, running heads, images,
 * tables, code, right-to-left text, fonts, the page limit, previews; and
 * the stylesheets driving it: @page boxes, margin boxes, named strings,
 * restyled text, display and breaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book.h"
#include "buf.h"
#include "error.h"
#include "layout.h"
#include "layout-int.h"     /* white box: the font map of one test */

/* The pages a layout gives the painter (page.h). */
#define P(l) oc_layout_pages(l)
#include "octavo.h"
#include "render.h"
#include "xhtml.h"

/* A book in a temporary folder; files are written, then loaded. */
typedef struct tbook {
    char     dir[64];
    oc_book *book;
} tbook;

static void
put(tbook *t, const char *name, const char *text, size_t len)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", t->dir, name);
    if (strchr(name, '/') != NULL) {
        char sub[256];

        snprintf(sub, sizeof sub, "%s/%.*s", t->dir,
                 (int)(strrchr(name, '/') - name), name);
        mkdir(sub, 0777);
    }
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static void
put_text(tbook *t, const char *name, const char *text)
{
    put(t, name, text, strlen(text));
}

/* Copy a file of the repository into the book. */
static void
put_copy(tbook *t, const char *name, const char *from)
{
    oc_buf b = {0};
    oc_error err = {0};

    assert_int_equal(oc_buf_read_file(&b, from, 0, &err), OC_OK);
    put(t, name, b.data, b.len);
    oc_buf_free(&b);
}

static void
tbook_init(tbook *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/octavo-layout-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
}

static void
tbook_load(tbook *t)
{
    char path[256];
    oc_options opt = { .data_dir = "." };
    oc_error err = {0};

    snprintf(path, sizeof path, "%s/book.yaml", t->dir);
    if (oc_book_load(path, &opt, &t->book, &err) != OC_OK)
        fail_msg("%s: %s", path, err.msg);
}

static void
tbook_free(tbook *t)
{
    char cmd[128];

    oc_book_free(t->book);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    assert_int_equal(system(cmd), 0);
}

static oc_layout *
lay_out(tbook *t)
{
    oc_layout *l = NULL;
    oc_error err = {0};

    if (oc_layout_book(t->book, NULL, &l, &err) != OC_OK)
        fail_msg("layout: %s", err.msg);
    return l;
}

/* The text of a TEXT item (a g_malloc'd copy). */
static char *
item_text(const oc_item *it)
{
    size_t a = it->para->start, b = it->para->end;

    /* A line's text holds the white space it breaks at. */
    while (b > a && strchr(" \n", it->para->text[b - 1]) != NULL)
        b--;
    return g_strndup(it->para->text + a, b - a);
}

/* The height of a TEXT item's line: its ascent and descent. */
static double
line_height(const oc_item *it)
{
    return it->para->ascent + it->para->descent;
}

static bool
page_has_text(const oc_page *p, const char *text)
{
    for (size_t i = 0; i < p->nitems; i++) {
        char *s;
        bool hit;

        if (p->items[i].kind != OC_ITEM_TEXT)
            continue;
        s = item_text(&p->items[i]);
        hit = strstr(s, text) != NULL;
        g_free(s);
        if (hit)
            return true;
    }
    return false;
}

static double
line_width(const oc_item *it)
{
    return it->para->width;
}

/* A paragraph of about 'words' words. */
static void
lorem(GString *s, int words, int seed)
{
    static const char *const w[] = {
        "the", "compositor", "sets", "each", "line", "with", "care", "and",
        "a", "reader", "follows", "it", "across", "page", "after", "page,",
        "never", "noticing", "how", "much", "thought", "went", "into", "it."
    };

    for (int i = 0; i < words; i++)
        g_string_append_printf(s, "%s%s", i ? " " : "",
                               w[(i * 7 + seed) % 24]);
    g_string_append(s, "\n\n");
}

static void
test_chapters_open_on_rectos_after_blank_versos(void **state)
{
    tbook t;
    oc_layout *l;
    size_t openings = 0;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Two Chapters\n"
             "chapters: [a.md, b.md, c.md]\n");
    put_text(&t, "a.md", "# One\n\nShort.\n");
    put_text(&t, "b.md", "# Two\n\nAlso short.\n");
    put_text(&t, "c.md", "# Three\n\nThe last.\n");
    tbook_load(&t);
    l = lay_out(&t);
    assert_int_equal(P(l)->nfront % 2, 0);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];

        if (p->opening) {
            openings++;
            assert_true(p->recto);
        }
        if (p->blank) {
            assert_false(p->recto);
            assert_int_equal(p->nitems, 0);     /* no folio, no head */
            assert_true(i + 1 < P(l)->npages && P(l)->pages[i + 1].opening);
        }
    }
    assert_int_equal(openings, 3);
    /* One page each, so a blank verso after each of the first two. */
    assert_int_equal(P(l)->npages - P(l)->nfront, 5);
    assert_true(P(l)->pages[P(l)->nfront + 1].blank);
    oc_layout_free(l);
    tbook_free(&t);
}

/* Whether a line of the layout holds both 'a' and, after it, 'b'. */
static bool
line_holds(const oc_layout *l, const char *a, const char *b)
{
    for (size_t i = 0; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];

        for (size_t k = 0; k < p->nitems; k++) {
            char *s, *x;
            bool hit;

            if (p->items[k].kind != OC_ITEM_TEXT)
                continue;
            s = item_text(&p->items[k]);
            x = strstr(s, a);
            hit = x != NULL && strstr(x + strlen(a), b) != NULL;
            g_free(s);
            if (hit)
                return true;
        }
    }
    return false;
}

/* White space before a note's first paragraph (an aside written by
 * hand, with its <p> on a line of its own) or a list item's is no
 * paragraph of its own: the note's number and an inside marker open the
 * line of its text, not a line above it. */
static void
test_number_and_marker_open_the_first_paragraph(void **state)
{
    tbook t;
    oc_layout *l;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Notes\nchapters: [a.xhtml]\n");
    put_text(&t, "a.xhtml",
             "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
             "xmlns:epub=\"http://www.idpf.org/2007/ops\"><head><title>N"
             "</title></head><body>\n<h1>Notes</h1>\n<p>Text with a note."
             "<a href=\"#n1\" epub:type=\"noteref\">1</a></p>\n"
             "<ul style=\"list-style-position: inside\">\n  <li>\n    "
             "<p>An item.</p>\n  </li>\n</ul>\n"
             "<aside epub:type=\"footnote\" id=\"n1\">\n  <p>The note's "
             "text.</p>\n</aside>\n</body></html>\n");
    tbook_load(&t);
    l = lay_out(&t);
    assert_true(line_holds(l, "1", "The note's text."));
    assert_true(line_holds(l, "\u2022", "An item."));
    oc_layout_free(l);
    tbook_free(&t);
}

/* The TEXT items of the layout whose text is 'text', in page order, into
 * out[max]; their number. */
static size_t
items_of_text(const oc_layout *l, const char *text, const oc_item **out,
              size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];

        for (size_t k = 0; k < p->nitems; k++) {
            char *s;

            if (p->items[k].kind != OC_ITEM_TEXT)
                continue;
            s = item_text(&p->items[k]);
            if (strcmp(s, text) == 0 && n < max)
                out[n++] = &p->items[k];
            g_free(s);
        }
    }
    return n;
}

/* A list marker is set once per font, language and text, and shared by
 * the items that show it; a marker of another size or language is set
 * on its own. */
static void
test_list_markers_are_set_once_per_font_and_text(void **state)
{
    tbook t;
    oc_layout *l;
    const oc_item *m[8];

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Markers\nchapters: [a.xhtml]\n");
    put_text(&t, "a.xhtml",
             "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>M"
             "</title></head><body><h1>Markers</h1>"
             "<ul><li>one</li><li>two</li><li>three</li></ul>"
             "<ul style=\"font-size: 20pt\"><li>big</li></ul>"
             "<ul lang=\"de\"><li>eins</li></ul></body></html>\n");
    tbook_load(&t);
    l = lay_out(&t);
    assert_int_equal(items_of_text(l, "\u2022", m, 8), 5);
    assert_ptr_equal(m[0]->para, m[1]->para);
    assert_ptr_equal(m[0]->para, m[2]->para);
    assert_ptr_not_equal(m[3]->para, m[0]->para);
    assert_true(line_width(m[3]) > line_width(m[0]) * 1.5);
    assert_ptr_not_equal(m[4]->para, m[0]->para);
    assert_true(fabs(line_width(m[4]) - line_width(m[0])) < 1e-9);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_front_matter_is_roman_and_body_arabic(void **state)
{
    tbook t;
    oc_layout *l;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Labels\nchapters: [a.md]\n");
    put_text(&t, "a.md", "# Only\n\nText.\n");
    tbook_load(&t);
    l = lay_out(&t);
    /* title, imprint, contents, blank */
    assert_int_equal(P(l)->nfront, 4);
    assert_string_equal(P(l)->pages[0].label, "i");
    assert_string_equal(P(l)->pages[2].label, "iii");
    assert_string_equal(P(l)->pages[3].label, "iv");
    assert_true(P(l)->pages[3].blank);
    assert_string_equal(P(l)->pages[4].label, "1");
    assert_true(P(l)->pages[4].recto);
    /* The contents opening shows its folio, iii, at the foot. */
    assert_true(page_has_text(&P(l)->pages[2], "Contents"));
    assert_true(page_has_text(&P(l)->pages[2], "iii"));
    /* The title page shows none. */
    assert_false(page_has_text(&P(l)->pages[0], "i"));
    oc_layout_free(l);
    tbook_free(&t);
}

/* The contents of a book with many headings, set at toc-depth 'depth';
 * returns the layout, and in nums[] the folios the contents print, in
 * order. */
static oc_layout *
many_headings(tbook *t, int depth, GPtrArray *nums)
{
    GString *s = g_string_new(NULL);
    const oc_page_setup *su;
    char yaml[128];
    oc_layout *l;

    tbook_init(t);
    snprintf(yaml, sizeof yaml, "title: Many Headings\ntoc-depth: %d\n"
             "chapters: [a.md]\n", depth);
    put_text(t, "book.yaml", yaml);
    g_string_append(s, "# A Chapter of Sections\n\n");
    for (int i = 1; i <= 60; i++) {
        g_string_append_printf(s, "## Section %d\n\n", i);
        lorem(s, 40 + i % 90, i);
    }
    put_text(t, "a.md", s->str);
    g_string_free(s, TRUE);
    tbook_load(t);
    l = lay_out(t);
    su = &P(l)->setup;
    for (size_t i = 0; i < P(l)->nfront; i++) {
        const oc_page *p = &P(l)->pages[i];

        for (size_t k = 0; i >= 2 && k < p->nitems; k++) {
            const oc_item *it = &p->items[k];
            char *text;

            if (it->kind != OC_ITEM_TEXT)
                continue;
            text = item_text(it);
            /* Folios of entries end at the text block's right edge. */
            if (text[0] >= '0' && text[0] <= '9' &&
                fabs(it->x + line_width(it) -
                     (p->recto ? su->inner : su->outer) -
                     (su->width - su->inner - su->outer)) < 0.01 &&
                it->y < su->height - su->bottom)
                g_ptr_array_add(nums, text);
            else
                g_free(text);
        }
    }
    return l;
}

static void
test_contents_folios_are_right_when_it_runs_to_pages(void **state)
{
    tbook t1, t2;
    GPtrArray *nums = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *short_nums = g_ptr_array_new_with_free_func(g_free);
    oc_layout *l = many_headings(&t1, 2, nums);
    oc_layout *s = many_headings(&t2, 1, short_nums);
    size_t n = 0;

    (void)state;
    /* 61 entries do not fit on one page of contents. */
    assert_true(P(l)->nfront >= 6);
    assert_int_equal(P(l)->nfront % 2, 0);
    assert_int_equal(P(s)->nfront, 4);
    for (size_t i = 0; i < P(l)->noutline; i++) {
        const oc_outline_entry *e = &P(l)->outline[i];

        if (strcmp(e->dest, "toc") == 0)
            continue;
        assert_true(n < nums->len);
        /* The printed folio is the label of the heading's page, and the
         * heading is on that page. */
        assert_string_equal(g_ptr_array_index(nums, n),
                            P(l)->pages[e->page - 1].label);
        assert_true(page_has_text(&P(l)->pages[e->page - 1], e->title));
        n++;
    }
    assert_int_equal(n, nums->len);
    assert_int_equal(n, 61);
    /* A longer contents moves no body folio. */
    assert_int_equal(P(l)->npages - P(l)->nfront, P(s)->npages - P(s)->nfront);
    for (size_t i = 1; i < P(s)->noutline; i++)
        assert_string_equal(P(l)->pages[P(l)->outline[i].page - 1].label,
                            P(s)->pages[P(s)->outline[i].page - 1].label);
    g_ptr_array_free(nums, TRUE);
    g_ptr_array_free(short_nums, TRUE);
    oc_layout_free(l);
    oc_layout_free(s);
    tbook_free(&t1);
    tbook_free(&t2);
}

static void
test_running_heads_name_book_on_versos_and_chapter_on_rectos(void **state)
{
    tbook t;
    GString *s = g_string_new("# The Long Chapter\n\n");
    oc_layout *l;
    int versos = 0, rectos = 0;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: The Book Title\nchapters: [a.md]\n");
    for (int i = 0; i < 40; i++)
        lorem(s, 90, i);
    put_text(&t, "a.md", s->str);
    g_string_free(s, TRUE);
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];

        if (p->opening) {
            assert_false(page_has_text(p, "The Book Title"));
            continue;
        }
        if (p->recto) {
            assert_true(page_has_text(p, "The Long Chapter"));
            rectos++;
        } else {
            assert_true(page_has_text(p, "The Book Title"));
            versos++;
        }
        /* The folio at the outer corner, above the text block. */
        for (size_t k = 0; k < p->nitems; k++) {
            char *text;

            if (p->items[k].kind != OC_ITEM_TEXT ||
                p->items[k].y > P(l)->setup.top)
                continue;
            text = item_text(&p->items[k]);
            if (strcmp(text, p->label) == 0) {
                if (p->recto)
                    assert_true(p->items[k].x > P(l)->setup.width / 2);
                else
                    assert_true(fabs(p->items[k].x - P(l)->setup.outer) <
                                0.01);
            }
            g_free(text);
        }
    }
    assert_true(versos >= 2 && rectos >= 2);
    oc_layout_free(l);
    tbook_free(&t);
}

static const oc_item *
find_image(const oc_layout *l, size_t *page, size_t nth)
{
    for (size_t i = 0; i < P(l)->npages; i++)
        for (size_t k = 0; k < P(l)->pages[i].nitems; k++)
            if (P(l)->pages[i].items[k].kind == OC_ITEM_IMAGE && nth-- == 0) {
                if (page != NULL)
                    *page = i;
                return &P(l)->pages[i].items[k];
            }
    return NULL;
}

/* The image whose alternate text is 'alt' (figures may float). */
static const oc_item *
find_image_alt(const oc_layout *l, const char *alt)
{
    for (size_t i = 0; i < P(l)->npages; i++)
        for (size_t k = 0; k < P(l)->pages[i].nitems; k++) {
            const oc_item *it = &P(l)->pages[i].items[k];

            if (it->kind == OC_ITEM_IMAGE && it->tag != NULL &&
                it->tag->alt != NULL && strcmp(it->tag->alt, alt) == 0)
                return it;
        }
    return NULL;
}

static void
test_images_are_decoded_once_and_fitted(void **state)
{
    tbook t;
    oc_layout *l;
    const oc_item *a, *b, *c, *d, *e;
    double measure;
    const unsigned char *mime;
    unsigned long mlen;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Pictures\nchapters: [a.md]\n");
    put_copy(&t, "photo.jpg", "tests/e2e/features/images/photo.jpg");
    put_copy(&t, "diagram.svg", "tests/e2e/features/images/diagram.svg");
    put_copy(&t, "badge.gif", "tests/e2e/features/images/badge.gif");
    put_copy(&t, "texture.webp", "tests/e2e/features/images/texture.webp");
    put_text(&t, "a.md", "# Pictures\n\n![A photo](photo.jpg)\n\n"
             "![The diagram](diagram.svg)\n\n"
             "A badge ![badge](badge.gif) in a line.\n\n"
             "![A texture](texture.webp)\n\n"
             "![The photo again](photo.jpg)\n");
    tbook_load(&t);
    l = lay_out(&t);
    measure = P(l)->setup.width - P(l)->setup.inner - P(l)->setup.outer;
    a = find_image_alt(l, "A photo");
    b = find_image_alt(l, "The diagram");
    c = NULL;                   /* the badge, in a line: no Figure */
    for (size_t k = 0; find_image(l, NULL, k) != NULL; k++)
        if (find_image(l, NULL, k)->h < P(l)->setup.font_size * 2)
            c = find_image(l, NULL, k);
    d = find_image_alt(l, "A texture");
    e = find_image_alt(l, "The photo again");
    assert_true(a && b && c && d && e);
    /* 320 × 200 px at 96 dpi: 240 × 150 pt, narrower than the measure. */
    assert_true(fabs(a->w - 240) < 0.01 && fabs(a->h - 150) < 0.01);
    /* The JPEG's own bytes go to the PDF, never decoded. */
    assert_null(a->picture->raster);
    mime = a->picture->jpeg;
    mlen = a->picture->jpeg_len;
    assert_non_null(mime);
    assert_true(mlen > 100 && mime[0] == 0xFF && mime[1] == 0xD8);
    assert_int_equal(a->picture->jpeg_colors, 3);
    /* SVG stays vector: 300 × 120 px, 225 × 90 pt. */
    assert_non_null(b->picture->vector);
    assert_true(fabs(b->w - 225) < 0.01 && fabs(b->h - 90) < 0.01);
    /* The badge is scaled to the line: shorter than the type size. */
    assert_true(c->h <= P(l)->setup.font_size && c->h > 3);
    assert_true(fabs(c->w / c->h - 1.5) < 0.01);
    /* The WebP is decoded by libwebp. */
    assert_non_null(d->picture->raster);
    assert_true(fabs(d->w - 180) < 0.01);
    /* The same file twice is one picture. */
    assert_ptr_equal(a->picture, e->picture);
    assert_true(a->picture != b->picture && a->picture != c->picture &&
                a->picture != d->picture && b->picture != c->picture &&
                b->picture != d->picture && c->picture != d->picture);
    assert_true(a->w <= measure && b->w <= measure);
    /* Centred in the measure. */
    assert_true(fabs(a->x - P(l)->setup.inner - (measure - a->w) / 2) < 0.01 ||
                fabs(a->x - P(l)->setup.outer - (measure - a->w) / 2) < 0.01);
    oc_layout_free(l);
    tbook_free(&t);
}

/* The error of loading the book of 't' whose chapter a.md is 'text'. */
static oc_error
load_error(tbook *t, const char *text)
{
    char path[256];
    oc_book *b = NULL;
    oc_options opt = { .data_dir = "." };
    oc_error err = {0};

    put_text(t, "a.md", text);
    snprintf(path, sizeof path, "%s/book.yaml", t->dir);
    assert_int_not_equal(oc_book_load(path, &opt, &b, &err), OC_OK);
    assert_null(b);
    return err;
}

/* An image's path from the root ("/images/badge.gif"), as a README on
 * GitHub writes it from its repository's, is read from the book's folder
 * (the chapter's own is docs/); one that is not there is missing as a
 * relative one is, and none reaches outside the folder ("/../", a
 * symbolic link). */
static void
test_image_from_the_root_is_read_from_the_book_folder(void **state)
{
    tbook t;
    xmlNodePtr img;
    xmlChar *src;
    oc_error err;
    char link[256];

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Root\nchapters: [docs/a.md]\n");
    put_copy(&t, "images/badge.gif", "tests/e2e/features/images/badge.gif");
    put_text(&t, "docs/a.md", "# Root\n\n![A badge](/images/badge.gif)\n");
    tbook_load(&t);
    img = oc_xhtml_find(xmlDocGetRootElement(t.book->chapters[0].doc),
                        "img");
    src = xmlGetProp(img, BAD_CAST "src");
    assert_string_equal((const char *)src, "images/badge.gif");
    xmlFree(src);
    oc_book_free(t.book);
    t.book = NULL;
    put_text(&t, "book.yaml", "title: Root\nchapters: [a.md]\n");
    err = load_error(&t, "# A\n\n![None](/images/none.gif)\n");
    assert_string_equal(err.msg, "image '/images/none.gif': no such file");
    err = load_error(&t, "# A\n\n![Above](/../badge.gif)\n");
    assert_string_equal(err.msg,
                        "image '/../badge.gif' is outside the book's folder");
    snprintf(link, sizeof link, "%s/link.gif", t.dir);
    assert_int_equal(symlink("/etc/passwd", link), 0);
    err = load_error(&t, "# A\n\n![Linked](/link.gif)\n");
    assert_string_equal(err.msg,
                        "image '/link.gif' is outside the book's folder");
    tbook_free(&t);
}

static void
test_wide_image_shrinks_to_the_measure(void **state)
{
    tbook t;
    oc_layout *l;
    const oc_item *a;
    double measure;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Wide\nchapters: [a.md]\n");
    put_text(&t, "wide.svg", "<svg xmlns='http://www.w3.org/2000/svg' "
             "width='2000' height='500'><rect width='2000' height='500'/>"
             "</svg>");
    put_text(&t, "a.md", "# Wide\n\n![A wide one](wide.svg)\n");
    tbook_load(&t);
    l = lay_out(&t);
    measure = P(l)->setup.width - P(l)->setup.inner - P(l)->setup.outer;
    a = find_image(l, NULL, 0);
    assert_non_null(a);
    assert_true(fabs(a->w - measure) < 0.01);
    assert_true(fabs(a->h - measure / 4) < 0.01);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_table_head_repeats_after_a_page_break(void **state)
{
    tbook t;
    GString *s = g_string_new("# Table\n\n| Head A | Head B |\n|---|---|\n");
    oc_layout *l;
    int heads = 0;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Tables\nchapters: [a.md]\n");
    for (int i = 0; i < 120; i++)
        g_string_append_printf(s, "| row %d | value %d |\n", i, i * i);
    put_text(&t, "a.md", s->str);
    g_string_free(s, TRUE);
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        bool head = page_has_text(&P(l)->pages[i], "Head A");

        heads += head;
        /* Every page of the table begins with its head. */
        if (page_has_text(&P(l)->pages[i], "row "))
            assert_true(head);
    }
    assert_true(heads >= 3);
    oc_layout_free(l);
    tbook_free(&t);
}

/* The page a text is on (a body page), or -1. */
static long
page_of_text(const oc_layout *l, const char *text)
{
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++)
        if (page_has_text(&P(l)->pages[i], text))
            return (long)i;
    return -1;
}

/* The top of the highest TEXT item on page 'p' that holds 'text'. */
static double
text_top(const oc_page *p, const char *text)
{
    double top = 1e9;

    for (size_t i = 0; i < p->nitems; i++) {
        char *s;

        if (p->items[i].kind != OC_ITEM_TEXT)
            continue;
        s = item_text(&p->items[i]);
        if (strstr(s, text) != NULL && p->items[i].y < top)
            top = p->items[i].y;
        g_free(s);
    }
    return top;
}

/* A figure that does not fit below the text before it goes to the top of
 * the next page, and the text after it fills the page it left; the one
 * right after it follows it there. With float: none they stay in their
 * place, and the page ends before them. */
static void
test_figure_that_does_not_fit_floats_to_the_next_page(void **state)
{
    for (int pinned = 0; pinned <= 1; pinned++) {
        tbook t;
        GString *a = g_string_new("# Floats\n\n");
        oc_layout *l;
        const oc_item *img;
        size_t ip;
        long before, after;

        (void)state;
        for (int i = 1; i <= 14; i++)
            g_string_append_printf(a, "Before %d.\n\n", i);
        g_string_append(a, "![A photograph](photo.jpg \"Caption\")"
                           "{width=100%}\n\n"
                           "![Another](photo.jpg \"Another\"){width=60%}"
                           "\n\n");
        for (int i = 1; i <= 40; i++)
            g_string_append_printf(a, "After %d.\n\n", i);
        tbook_init(&t);
        put_copy(&t, "book.css", "styles/book.css");
        put_copy(&t, "photo.jpg", "tests/e2e/features/images/photo.jpg");
        put_text(&t, "extra.css",
                 pinned ? "figure { float: none; }\n"
                        : "figure { float: top-if-necessary; }\n");
        put_text(&t, "book.yaml", "title: Floats\n"
                 "stylesheet: [book.css, extra.css]\nchapters: [a.md]\n");
        put_text(&t, "a.md", a->str);
        g_string_free(a, TRUE);
        tbook_load(&t);
        l = lay_out(&t);
        before = page_of_text(l, "Before 14.");
        after = page_of_text(l, "After 1.");
        img = find_image(l, &ip, 0);
        assert_non_null(img);
        assert_true(before >= 0 && after >= 0);
        assert_int_equal((long)ip, before + 1);
        /* Two figures one after the other: each once, in order. */
        assert_non_null(find_image(l, &ip, 1));
        assert_int_equal((long)ip, before + 1);
        assert_true(find_image(l, NULL, 1)->w < img->w);
        assert_null(find_image(l, NULL, 2));
        if (pinned) {
            /* In its place: the text after it follows it. */
            assert_int_equal(after, before + 1);
            assert_true(img->y < text_top(&P(l)->pages[ip], "After 1."));
        } else {
            /* The text goes on under "Before 14."; the figure heads the
             * next page, above the text that continues there. */
            assert_int_equal(after, before);
            assert_true(text_top(&P(l)->pages[before], "After 1.") >
                        text_top(&P(l)->pages[before], "Before 14."));
            for (size_t k = 0; k < P(l)->pages[ip].nitems; k++) {
                const oc_item *it = &P(l)->pages[ip].items[k];

                if (it->kind == OC_ITEM_TEXT && it->tag != NULL)
                    assert_true(it->y > img->y || strstr(
                                    it->tag->type, "Caption") != NULL);
            }
        }
        oc_layout_free(l);
        tbook_free(&t);
    }
}

/* Whether the last line of text of page 'p' ends with a hyphen of its
 * own (a word cut there). */
static bool
page_ends_hyphenated(const oc_page *p)
{
    const oc_item *last = NULL;

    for (size_t i = 0; i < p->nitems; i++)
        if (p->items[i].kind == OC_ITEM_TEXT && p->items[i].para != NULL &&
            p->items[i].tag != NULL &&
            (last == NULL || p->items[i].y > last->y))
            last = &p->items[i];
    return last != NULL && last->para->hyphenated;
}

/* 'n' paragraphs of made-up words, of 'min' to 'min' + 'spread' - 1
 * words each, after a heading, as a chapter's Markdown. */
static GString *
made_up_text(int n, int min, int spread, unsigned seed)
{
    static const char *words[] = {
        "remarkable", "the", "considerable", "circumstances", "was",
        "a", "of", "household", "and", "nevertheless", "in", "her",
        "it", "neighbourhood", "they", "understanding"
    };
    GString *a = g_string_new("# Pages\n\n");

    for (int p = 0; p < n; p++) {
        int nw = min + (int)(seed % (unsigned)spread);

        for (int w = 0; w < nw; w++) {
            seed = seed * 1103515245u + 12345u;
            g_string_append_printf(a, "%s%s", w ? " " : "",
                                   words[(seed >> 16) % 16]);
        }
        g_string_append(a, ".\n\n");
    }
    return a;
}

/* The layout of the one-chapter book of text 'a' (freed here) in
 * language 'lang' (NULL: the default), with stylesheet 'css' after the
 * default ones when it is not NULL. */
static oc_layout *
lay_out_text_in(tbook *t, GString *a, const char *css, const char *lang)
{
    char *yaml = g_strdup_printf("title: Pages\n%s%s%s%schapters: [a.md]\n",
                                 lang ? "language: " : "", lang ? lang : "",
                                 lang ? "\n" : "",
                                 css ? "stylesheet: [s.css]\n" : "");

    tbook_init(t);
    put_text(t, "book.yaml", yaml);
    g_free(yaml);
    if (css != NULL)
        put_text(t, "s.css", css);
    put_text(t, "a.md", a->str);
    g_string_free(a, TRUE);
    tbook_load(t);
    return lay_out(t);
}

static oc_layout *
lay_out_text(tbook *t, GString *a, const char *css)
{
    return lay_out_text_in(t, a, css, NULL);
}

/* Page 'p' shows a footnote (text under a Note element). */
static bool
page_has_note(const oc_page *p)
{
    for (size_t i = 0; i < p->nitems; i++)
        for (const oc_tag *t = p->items[i].tag; t != NULL; t = t->parent)
            if (strcmp(t->type, "Note") == 0)
                return true;
    return false;
}

/* A word is never cut across the turn of a leaf: no recto ends with a
 * hyphen when a paragraph set a line looser or tighter avoids it; versos
 * do (the reader sees both halves of the word at once). */
/* Count the pages of the body but its last that end with a hyphen:
 * rectos into *rectos, versos into *versos. */
static void
count_hyphen_ends(oc_layout *l, int *rectos, int *versos)
{
    for (size_t i = P(l)->nfront; i + 1 < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];

        if (page_ends_hyphenated(p))
            ++*(p->recto ? rectos : versos);
    }
}

static void
test_no_word_is_cut_across_a_page_turn(void **state)
{
    tbook t;
    oc_layout *l = lay_out_text(&t, made_up_text(24, 90, 80, 7), NULL);
    int rectos = 0, versos = 0;

    (void)state;
    assert_true(P(l)->npages - P(l)->nfront >= 4);
    count_hyphen_ends(l, &rectos, &versos);
    assert_true(versos > 0);    /* the text does cut words at page ends */
    assert_int_equal(rectos, 0);
    oc_layout_free(l);
    tbook_free(&t);
}

/* Nor when no paragraph can be set a line looser or tighter for it: the
 * paragraph the recto ends in is set again with as many lines, its last
 * on the page ending at a whole word. Texts of long paragraphs, with
 * and without a folio below the text block: before, 2 of their rectos
 * ended with a hyphen (and 26 versos, which may). */
static void
test_word_at_a_turn_kept_whole_in_as_many_lines(void **state)
{
    static const char *css[] = {
        NULL, "@page { @bottom-center { content: counter(page) } }"
    };
    int rectos = 0, versos = 0;

    (void)state;
    for (int k = 0; k < 2; k++)
        for (unsigned seed = 1; seed <= 6; seed++) {
            tbook t;
            oc_layout *l = lay_out_text(&t, made_up_text(40, 60, 140, seed),
                                        css[k]);

            count_hyphen_ends(l, &rectos, &versos);
            oc_layout_free(l);
            tbook_free(&t);
        }
    assert_true(versos > 0);
    assert_int_equal(rectos, 0);
}

/* Nor in Russian, whose long words leave few paragraphs a line looser
 * or tighter within TeX's pretolerance: a recto that cannot end at a
 * whole word otherwise has a paragraph set again within its tolerance
 * (as any paragraph is set), and a chapter's opening recto, which faces
 * no page it must end level with, may end a line higher. Of these 24
 * texts' rectos, 4 ended with a hyphen before; 1 does now, on a page
 * none of whose paragraphs can be set again within the tolerance. */
static void
test_russian_word_at_a_turn_kept_whole(void **state)
{
    static const char *words[] = {
        "\xd0\xbf\xd1\x80\xd0\xb5\xd0\xb4\xd1\x81\xd1\x82\xd0\xb0"
        "\xd0\xb2\xd0\xbb\xd1\x8f\xd0\xbb\xd0\xbe\xd1\x81\xd1\x8c",
        "\xd0\xb8", "\xd0\xb2",
        "\xd0\xbd\xd0\xb5\xd0\xb2\xd0\xbe\xd0\xb7\xd0\xbc\xd0\xbe"
        "\xd0\xb6\xd0\xbd\xd1\x8b\xd0\xbc",
        "\xd0\xbe\xd0\xbd", "\xd0\xbd\xd0\xb5",
        "\xd0\xbe\xd0\xb1\xd1\x81\xd1\x82\xd0\xbe\xd1\x8f\xd1\x82"
        "\xd0\xb5\xd0\xbb\xd1\x8c\xd1\x81\xd1\x82\xd0\xb2\xd0\xb0",
        "\xd1\x87\xd1\x82\xd0\xbe",
        "\xd1\x80\xd0\xb0\xd1\x81\xd1\x81\xd0\xbc\xd0\xb0\xd1\x82"
        "\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbb",
        "\xd0\xbd\xd0\xb0",
        "\xd0\xb2\xd0\xbe\xd1\x81\xd0\xbf\xd0\xbe\xd0\xbc\xd0\xb8"
        "\xd0\xbd\xd0\xb0\xd0\xbd\xd0\xb8\xd1\x8f",
        "\xd1\x81", "\xd0\xba\xd0\xb0\xd0\xba",
        "\xd0\xbf\xd0\xbe\xd0\xb4\xd0\xbe\xd0\xb7\xd1\x80\xd0\xb8"
        "\xd1\x82\xd0\xb5\xd0\xbb\xd1\x8c\xd0\xbd\xd0\xbe",
        "\xd0\xb5\xd0\xb3\xd0\xbe", "\xd0\xbb\xd1\x8e\xd0\xb4\xd0\xb8",
    };
    int rectos = 0, versos = 0;

    (void)state;
    for (unsigned seed = 1; seed <= 24; seed++) {
        GString *a = g_string_new("# \xd0\x93\xd0\xbb\xd0\xb0\xd0\xb2"
                                  "\xd0\xb0\n\n");
        unsigned x = seed;
        tbook t;
        oc_layout *l;

        for (int p = 0; p < 30; p++) {
            int nw = 30 + (int)(x % 90u);

            for (int w = 0; w < nw; w++) {
                x = x * 1103515245u + 12345u;
                g_string_append_printf(a, "%s%s", w ? " " : "",
                                       words[(x >> 16) % 16]);
            }
            g_string_append(a, ".\n\n");
        }
        l = lay_out_text_in(&t, a, NULL, "ru");
        count_hyphen_ends(l, &rectos, &versos);
        oc_layout_free(l);
        tbook_free(&t);
    }
    assert_true(versos > 0);
    assert_true(rectos <= 1);
}

/* The foot of page 'p''s last line of body text. */
static double
text_foot(const oc_page *p)
{
    double foot = 0;

    for (size_t i = 0; i < p->nitems; i++)
        if (p->items[i].kind == OC_ITEM_TEXT && p->items[i].para != NULL &&
            p->items[i].tag != NULL && p->items[i].y > foot)
            foot = p->items[i].y;
    return foot;
}

/* The foot most of the layout's pages end at (a full page's). */
static double
usual_foot(oc_layout *l)
{
    double full = 0;
    int most = 0;

    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        int same = 0;

        for (size_t k = P(l)->nfront; k < P(l)->npages; k++)
            same += fabs(text_foot(&P(l)->pages[i]) -
                         text_foot(&P(l)->pages[k])) <= 1;
        if (same > most) {
            most = same;
            full = text_foot(&P(l)->pages[i]);
        }
    }
    return full;
}

/* A verso without notes facing a recto with some (which go on to its
 * foot) ends at its own foot: a widow or an orphan that left it a line
 * short is mended as on any spread. Texts with a note every fifth
 * paragraph: 3 of the 60 such spreads end uneven (10 before). */
static void
test_verso_faces_a_recto_of_notes_level(void **state)
{
    int spreads = 0, uneven = 0;

    (void)state;
    for (unsigned seed = 1; seed <= 24; seed++) {
        GString *a = made_up_text(60, 25, 120, seed), *b;
        tbook t;
        oc_layout *l;
        int k = 0;

        /* A note after every fifth paragraph. */
        b = g_string_new(NULL);
        for (const char *p = a->str; *p != '\0'; p++) {
            if (p[0] == '.' && p[1] == '\n' && ++k % 5 == 0)
                g_string_append_printf(b, ".[^n%d]", k);
            else
                g_string_append_c(b, *p);
        }
        for (int m = 5; m <= k; m += 5)
            g_string_append_printf(b, "\n[^n%d]: The note of paragraph %d, "
                                   "which says a little more.\n", m, m);
        g_string_free(a, TRUE);
        l = lay_out_text(&t, b, NULL);
        for (size_t i = P(l)->nfront + 1; i + 2 < P(l)->npages; i++) {
            const oc_page *v = &P(l)->pages[i], *r = v + 1;

            if (v->recto || page_has_note(v) || !page_has_note(r))
                continue;
            spreads++;
            /* a note's last baseline sits a little lower than a line's */
            uneven += fabs(text_foot(v) - text_foot(r)) > 3;
        }
        oc_layout_free(l);
        tbook_free(&t);
    }
    assert_true(spreads >= 10);
    assert_true(uneven * 10 <= spreads);
}

/* Facing pages end level when one is set in lines that do not divide
 * the text block (a letter quoted in smaller type, as in Frankenstein)
 * and the other has a heading whose spaces stretch: the page that can
 * stretch ends where the other does, not at the foot of its text block,
 * or the recto is cut to end where such a verso does: 6 of 25 spreads
 * uneven, where 17 of 24 were (by most of a line). */
static void
test_quoted_letters_and_headings_end_level(void **state)
{
    GString *a = made_up_text(160, 40, 120, 5), *q = g_string_new("");
    tbook t;
    oc_layout *l;
    int spreads = 0, uneven = 0, n = 0;

    (void)state;
    /* Letters of many paragraphs, each after a heading. */
    for (char *line = strtok(a->str, "\n"); line != NULL;
         line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        if (n++ % 9 == 0)
            g_string_append(q, "\n## A letter\n\n");
        g_string_append_printf(q, "> %s\n>\n", line);
    }
    g_string_free(a, TRUE);
    l = lay_out_text(&t, q, NULL);
    for (size_t i = P(l)->nfront + 1; i + 2 < P(l)->npages; i++) {
        const oc_page *v = &P(l)->pages[i], *r = v + 1;

        if (v->recto)
            continue;
        spreads++;
        uneven += fabs(text_foot(v) - text_foot(r)) > 1;
    }
    assert_true(spreads >= 20);
    assert_true(uneven * 3 <= spreads);
    oc_layout_free(l);
    tbook_free(&t);
}

/* Facing pages end level: where a widow or an orphan would leave one
 * page of a spread a line short, a paragraph of the verso is set again
 * or both pages run a line short (or long, when nothing stands below
 * the text block). Eight texts of short paragraphs, which make many
 * such pages: before, 33 of 147 spreads were uneven; now 1 of 96 (3 of
 * 98 with a folio below the text block). */
static void
test_facing_pages_end_level(void **state)
{
    static const char *css[] = {
        NULL, "@page { @bottom-center { content: counter(page) } }"
    };

    (void)state;
    for (int k = 0; k < 2; k++) {
        int spreads = 0, uneven = 0, balanced = 0, long_pages = 0;

        for (unsigned seed = 1; seed <= 8; seed++) {
            tbook t;
            oc_layout *l = lay_out_text(&t, made_up_text(90, 25, 120, seed),
                                        css[k]);
            double full = usual_foot(l);

            /* Spreads of the body, not the chapter's first or last
             * page. */
            for (size_t i = P(l)->nfront + 1; i + 2 < P(l)->npages; i++) {
                const oc_page *v = &P(l)->pages[i], *r = v + 1;
                double dv = text_foot(v), dr = text_foot(r);

                if (v->recto)
                    continue;
                spreads++;
                uneven += fabs(dv - dr) > 1;
                balanced += fabs(dv - full) > 1 && fabs(dv - dr) <= 1;
                long_pages += dv > full + 1;
            }
            oc_layout_free(l);
            tbook_free(&t);
        }
        assert_true(spreads >= 80);
        assert_true(balanced > 0);      /* the texts make pages short */
        assert_true(uneven * 20 <= spreads);
        if (k == 0)
            assert_true(long_pages > 0);
        else                            /* a folio below: never long */
            assert_int_equal(long_pages, 0);
    }
}

/* How many text items of the body of the table book 'md' (its chapter)
 * are one of words[0..n) whole. */
static int
whole_words(const char *md, const char *const *words, size_t n)
{
    tbook t;
    oc_layout *l;
    int whole = 0;

    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Tables\nchapters: [a.md]\n");
    put_text(&t, "a.md", md);
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++)
        for (size_t k = 0; k < P(l)->pages[i].nitems; k++) {
            const oc_item *it = &P(l)->pages[i].items[k];
            char *text;

            if (it->kind != OC_ITEM_TEXT)
                continue;
            text = item_text(it);
            for (size_t w = 0; w < n; w++)
                whole += strcmp(text, words[w]) == 0;
            g_free(text);
        }
    oc_layout_free(l);
    tbook_free(&t);
    return whole;
}

/* A table wider than the measure squeezes its text columns, never a
 * number: cells are measured with the tabular figures they are set in. */
static void
test_squeezed_table_keeps_numbers_whole(void **state)
{
    static const char *const numbers[] = {
        "1818", "1828", "187,643", "126,776"
    };

    (void)state;
    assert_int_equal(whole_words(
        "# Table\n\n| Year | Job | Victory | Bow | Total |\n"
        "|---|---|---|---|--:|\n"
        "| 1818 | Athens | The sincere planets | Aberdeen | 77,975 |\n"
        "| 1828 | Margaret Underwood | Antwerp | Their tragic, rusty "
        "worker | 187,643 |\n"
        "| 1840 | That magnificent, lavish zone | Munich | A round "
        "tooth | 126,776 |\n", numbers, 4), 4);
}

/* A table too wide for the measure even in its smallest type breaks the
 * words of its widest columns only: the others keep theirs whole. */
static void
test_too_wide_table_breaks_only_its_widest_columns(void **state)
{
    static const char *const words[] = {
        "Status", "Priority", "Owner", "High", "Low", "Done", "Open"
    };

    (void)state;
    assert_int_equal(whole_words(
        "# Table\n\n| Status | Priority | Owner | Key | Check |\n"
        "|---|---|---|---|---|\n"
        "| Done | High | Ann | `QWERTYUIOPASDFGHJKLZXCVBNMQWERTYUIOP` "
        "| `ZXCVBNMASDFGHJKLQWERTYUIOPZXCVBNMASDFG` |\n"
        "| Open | Low | Bo | `POIUYTREWQLKJHGFDSAMNBVCXZPOIUYTREW` "
        "| `LKJHGFDSAPOIUYTREWQMNBVCXZLKJHGFDSAPO` |\n", words, 7), 7);
}

/* Code and table cells, which Pango breaks, reach the painter as the
 * same lines as paragraphs: their underlines and strikes are rules of
 * the line (under and through the baseline), and nothing on their pages
 * needs Pango's own renderer, so that the painter never waits for them. */
static void
test_code_and_cells_are_paragraph_lines_with_their_rules(void **state)
{
    tbook t;
    oc_layout *l;
    int under = 0, through = 0, texts = 0;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Lines\nchapters: [a.md]\n");
    put_text(&t, "a.md",
             "# Lines\n\n| Name | Note |\n|---|---|\n"
             "| <u>under</u> | ~~gone~~ |\n\n"
             "<pre><code>plain <u>marked</u> code</code></pre>\n");
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];

        assert_false(oc_render_page_needs_pango(p));
        for (size_t k = 0; k < p->nitems; k++) {
            const oc_item *it = &p->items[k];
            char *text;

            if (it->kind != OC_ITEM_TEXT)
                continue;
            assert_non_null(it->para);
            texts++;
            text = item_text(it);
            for (size_t r = 0; r < it->para->nrules; r++) {
                const oc_para_rule *ru = &it->para->rules[r];

                assert_true(ru->w > 1 && ru->h > 0);
                if (strstr(text, "under") != NULL ||
                    strstr(text, "marked") != NULL)
                    under += ru->y > 0;
                else if (strstr(text, "gone") != NULL)
                    through += ru->y < 0;
            }
            g_free(text);
        }
    }
    assert_true(texts >= 4);
    assert_int_equal(under, 2);
    assert_int_equal(through, 1);
    oc_layout_free(l);
    tbook_free(&t);
}

/* A heading's line break is a space in its bookmark and contents entry,
 * and its raw HTML keeps its markup. */
static void
test_heading_line_break_is_a_space_in_the_outline(void **state)
{
    tbook t;
    oc_layout *l;
    bool found = false;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Breaks\nchapters: [a.md]\n");
    put_text(&t, "a.md", "# The Long<br>Title of It\n\n"
             "## An <em>emphatic</em><br/>head\n\nText.\n");
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = 0; i < P(l)->noutline; i++) {
        const char *title = P(l)->outline[i].title;

        assert_null(strstr(title, "LongTitle"));
        found |= strcmp(title, "The Long Title of It") == 0;
        if (P(l)->outline[i].level == 2)
            assert_string_equal(title, "An emphatic head");
    }
    assert_true(found);
    oc_layout_free(l);
    tbook_free(&t);
}

/* An image in a line of text is scaled to the line, a badge, unless it
 * is given a size: a logo in a heading keeps its 160 px (120 pt), and the
 * line grows to hold it. */
static void
test_inline_image_given_a_size_keeps_it(void **state)
{
    tbook t;
    oc_layout *l;
    const oc_item *badge = NULL, *logo = NULL;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Logos\nchapters: [a.md]\n");
    put_copy(&t, "photo.jpg", "tests/e2e/features/images/photo.jpg");
    put_text(&t, "a.md", "<h1><img src=\"photo.jpg\" alt=\"Logo\" "
             "width=\"160\"><br>The Name</h1>\n\n"
             "A badge ![Badge](photo.jpg) in a line.\n");
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t k = 0; find_image(l, NULL, k) != NULL; k++) {
        const oc_item *it = find_image(l, NULL, k);

        if (it->h < P(l)->setup.font_size)
            badge = it;
        else
            logo = it;
    }
    assert_non_null(badge);
    assert_non_null(logo);
    assert_true(fabs(logo->w - 120) < 0.01 && fabs(logo->h - 75) < 0.01);
    oc_layout_free(l);
    tbook_free(&t);
}

/* A chapter of several with no heading and no title of its own is listed
 * by its first words, cut at a word, not by the book's title. */
static void
test_chapter_without_heading_is_listed_by_its_first_words(void **state)
{
    tbook t;
    oc_layout *l;
    int listed = 0;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Untitled Parts\n"
             "chapters: [a.md, b.md]\n");
    put_text(&t, "a.md", "# One\n\nText.\n");
    put_text(&t, "b.md", "It was a bright cold day in April, and the clocks "
             "were striking thirteen.\n");
    put_text(&t, "c.md", "## Two\n\nText.\n");
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = 0; i < P(l)->noutline; i++) {
        assert_string_not_equal(P(l)->outline[i].title, "Untitled Parts");
        listed += strcmp(P(l)->outline[i].title,
                         "It was a bright cold day in April, and\u2026") == 0;
    }
    assert_int_equal(listed, 1);
    oc_layout_free(l);
    tbook_free(&t);
    /* Chapters headed by h2 (Standard Ebooks'): one without a heading
     * stands beside them, at their rank, not above them. */
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Ranks\nchapters: [a.md, b.md, c.md]\n");
    put_text(&t, "a.md", "An epigraph, and no heading.\n");
    put_text(&t, "b.md", "## Letter I\n\nText.\n");
    put_text(&t, "c.md", "## Letter II\n\nText.\n");
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = 0; i < P(l)->noutline; i++)
        if (strcmp(P(l)->outline[i].title, "Contents") != 0)
            assert_int_equal(P(l)->outline[i].level, 2);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_long_code_lines_wrap_with_a_mark(void **state)
{
    tbook t;
    oc_layout *l;
    int marks = 0;
    const oc_item *mark = NULL;
    double left = -1, after = -1;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Code\nchapters: [a.md]\n");
    put_text(&t, "a.md", "# Code\n\n```\nshort line\n"
             "a_very_long_line = call(first_argument, second_argument, "
             "third_argument, fourth_argument, fifth_argument)\nend\n```\n");
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++)
        for (size_t k = 0; k < P(l)->pages[i].nitems; k++) {
            const oc_item *it = &P(l)->pages[i].items[k];
            char *text;

            if (it->kind != OC_ITEM_TEXT)
                continue;
            text = item_text(it);
            if (strcmp(text, "short line") == 0)
                left = it->x;
            if (strcmp(text, "\u21AA") == 0) {
                mark = it;
                marks++;
            } else if (strncmp(text, "third_argument", 14) == 0 ||
                       strncmp(text, "fourth_argument", 15) == 0) {
                after = it->x;      /* the line the mark continues */
            }
            g_free(text);
        }
    assert_int_equal(marks, 1);
    /* Inside the block: at its left edge, the wrapped text after it. */
    assert_true(fabs(mark->x - left) < 0.01);
    assert_true(after > mark->x + 0.5 * line_height(mark));
    oc_layout_free(l);
    tbook_free(&t);
}

/* A book of one chapter, a.md, holding Markdown md, laid out. */
static oc_layout *
lay_markdown(tbook *t, const char *md)
{
    tbook_init(t);
    put_text(t, "book.yaml", "title: Code\nchapters: [a.md]\n");
    put_text(t, "a.md", md);
    tbook_load(t);
    return lay_out(t);
}

/* Lay out a book of chapter 'md'; the texts of the page that holds
 * 'holding', a line each (a newline before each), every one required to
 * end within the text block. g_free the result. */
static char *
page_texts_within(const char *md, const char *holding)
{
    tbook t;
    oc_layout *l = lay_markdown(&t, md);
    const oc_page *pg = &P(l)->pages[page_of_text(l, holding)];
    GString *all = g_string_new(NULL);

    for (size_t k = 0; k < pg->nitems; k++) {
        const oc_item *it = &pg->items[k];
        char *text;

        if (it->kind != OC_ITEM_TEXT)
            continue;
        text = item_text(it);
        g_string_append_printf(all, "\n%s", text);
        assert_true(it->x + it->w <= P(l)->setup.width -
                                          P(l)->setup.outer + 0.01);
        g_free(text);
    }
    oc_layout_free(l);
    tbook_free(&t);
    return g_string_free(all, FALSE);
}

/* A line of code padded to align its comment, too long for the measure,
 * wraps at its run of spaces, though a '/' follows (which UAX #14 keeps
 * to the word before): its statement whole on the first line, the
 * comment after the mark, and nothing past the text block's edge. */
static void
test_code_wraps_at_its_run_of_spaces(void **state)
{
    GString *a = g_string_new("# Code\n\n```\n'use strict';");
    char *texts;

    (void)state;
    g_string_append_printf(a, "%70s// 1\n```\n", "");
    texts = page_texts_within(a->str, "strict");
    g_string_free(a, TRUE);
    assert_non_null(strstr(texts, "'use strict';"));
    assert_non_null(strstr(texts, "\n// 1"));
    g_free(texts);
}

/* A word of code after an indentation too deep for it (nine tabs, to
 * the 72nd column) is set whole, pulled left to end at the text's edge,
 * not broken after its first letters (no wrap mark) nor run past the
 * edge. */
static void
test_code_word_after_a_deep_indent_stays_whole(void **state)
{
    char *texts;

    (void)state;
    texts = page_texts_within("# Code\n\n```\n  run('program',\n"
                              "       stdout=\"expect this output\\n\",\n"
                              "\t\t\t\t\t\t\t\t\tstderr=None)\n```\n",
                              "program");
    assert_non_null(strstr(texts, "stderr=None)"));
    assert_null(strstr(texts, "\u21AA"));
    g_free(texts);
}

/* The first word of a line of code after an indentation that leaves it
 * no room (fifty spaces, seven tabs) is set whole, pulled left, the rest
 * of the line wrapping after the mark: not broken inside the word, not
 * past the text's edge. */
static void
test_code_first_word_after_a_deep_indent_stays_whole(void **state)
{
    char *texts;
    GString *a = g_string_new("# Code\n\n```\n");

    (void)state;
    g_string_append_printf(a, "%50sxmlDocPtr doc);\n", "");
    g_string_append_printf(a, "%58sxmlDocPtr doc);\n", "");
    g_string_append(a, "\t\t\t\t\t\t\t xmlDocPtr doc);\n```\n");
    texts = page_texts_within(a->str, "doc);");
    g_string_free(a, TRUE);
    for (const char *t = texts; (t = strstr(t, "xmlDoc")) != NULL; t++)
        assert_int_equal(strncmp(t, "xmlDocPtr\n", 10), 0);
    assert_non_null(strstr(texts, "\u21AA"));
    g_free(texts);
}

/* A list in a table cell keeps its markers: bullets, and numbers from
 * its start and its items' values. */
static void
test_list_in_a_cell_keeps_its_markers(void **state)
{
    char *texts;

    (void)state;
    texts = page_texts_within(
        "# T\n\n<table><tr><td><ul><li>gamma</li><li>delta</li></ul></td>"
        "<td><ol start=\"3\"><li>three</li><li value=\"7\">seven</li>"
        "<li>eight</li></ol></td></tr></table>\n", "gamma");
    assert_non_null(strstr(texts, "\n\u2022\u00A0gamma"));
    assert_non_null(strstr(texts, "\n\u2022\u00A0delta"));
    assert_non_null(strstr(texts, "\n3.\u00A0three"));
    assert_non_null(strstr(texts, "\n7.\u00A0seven"));
    assert_non_null(strstr(texts, "\n8.\u00A0eight"));
    g_free(texts);
}

/* The rules (filled rectangles less than a point tall) on the page
 * that holds 'holding' of Markdown chapter md. */
static int
page_rules(const char *md, const char *holding)
{
    tbook t;
    oc_layout *l = lay_markdown(&t, md);
    const oc_page *pg = &P(l)->pages[page_of_text(l, holding)];
    int n = 0;

    for (size_t k = 0; k < pg->nitems; k++)
        n += pg->items[k].kind == OC_ITEM_RULE && pg->items[k].h < 1;
    oc_layout_free(l);
    tbook_free(&t);
    return n;
}

/* A table of data is ruled above, under its head and below; a play's
 * dialogue set as a table (Standard Ebooks' z3998:drama) and a table
 * for presentation only are the text laid out: no rule. */
static void
test_only_tables_of_data_are_ruled(void **state)
{
    (void)state;
    assert_int_equal(page_rules("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
                                "| 3 | 4 |\n", "3"), 3);
    assert_int_equal(page_rules(
        "# T\n\n<table><tr><td>x</td><td>1</td></tr>"
        "<tr><td>y</td><td>2</td></tr></table>\n", "y"), 2);
    assert_int_equal(page_rules(
        "# T\n\n<table epub:type=\"z3998:drama\" xmlns:epub=\"http://"
        "www.idpf.org/2007/ops\"><tr><td>Hamlet</td><td>Hold you the watch"
        " to-night?</td></tr><tr><td>Horatio</td><td>We do.</td></tr>"
        "</table>\n", "Horatio"), 0);
    assert_int_equal(page_rules(
        "# T\n\n<table role=\"presentation\"><tr><td>left</td>"
        "<td>right</td></tr></table>\n", "left"), 0);
}

/* The running head of page 'p' (a margin box above the text block that
 * is not its folio): a g_malloc'd copy, or NULL. */
static char *
running_head(const oc_layout *l, const oc_page *p)
{
    for (size_t k = 0; k < p->nitems; k++) {
        char *text;

        if (p->items[k].kind != OC_ITEM_TEXT ||
            p->items[k].y > P(l)->setup.top)
            continue;
        text = item_text(&p->items[k]);
        if (strcmp(text, p->label) != 0)
            return text;
        g_free(text);
    }
    return NULL;
}

/* 'head' is 'title' cut after a whole word, with an ellipsis. */
static void
assert_cut_at_a_word(const char *head, const char *title)
{
    size_t n = strlen(head) - strlen("\u2026");

    assert_true(strlen(head) > strlen("\u2026"));
    assert_string_equal(head + n, "\u2026");
    assert_int_equal(strncmp(head, title, n), 0);
    assert_true(title[n] == ' ' || title[n] == ',');
    assert_true(head[n - 1] != ' ');
}

/* A chapter's own title page (DocBook writes a div.titlepage with an
 * h2.title over each chapter) is not the book's: every verso is headed
 * by the book's title, in that chapter and after it. */
static void
test_a_chapters_titlepage_div_does_not_head_the_versos(void **state)
{
    tbook t;
    oc_layout *l;
    GString *a = g_string_new("<html><head><title>A</title></head><body>"
                              "<div class=\"titlepage\"><div><h2 "
                              "class=\"title\">Chapter 1. Intro</h2>"
                              "</div></div>");
    GString *b = g_string_new("# Second\n\n");
    int versos = 0;

    (void)state;
    tbook_init(&t);
    for (int i = 0; i < 14; i++) {
        g_string_append(a, "<p>");
        lorem(a, 90, i);
        g_string_append(a, "</p>");
        lorem(b, 90, i + 14);
    }
    g_string_append(a, "</body></html>");
    put_text(&t, "a.html", a->str);
    put_text(&t, "b.md", b->str);
    put_text(&t, "book.yaml", "title: The Real Title\n"
                              "chapters: [a.html, b.md]\n");
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];
        char *head;

        if (p->recto || p->opening || p->blank ||
            (head = running_head(l, p)) == NULL)
            continue;
        assert_string_equal(head, "The Real Title");
        g_free(head);
        versos++;
    }
    assert_true(versos >= 2);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_running_heads_are_cut_at_a_word_and_name_each_chapter(void **state)
{
    static const char *const want[] = {
        "Final Project: Building a Multithreaded Web Server With Worker "
        "Pools, Channels and a Graceful Shutdown",
        "A Web Server", "Its Own Head", "Appendix A: Keywords"
    };
    static const char *const heads[] = {
        "# Final Project: Building a Multithreaded Web Server With "
        "Worker Pools, Channels and a Graceful Shutdown\n\n",
        "# A Chapter Whose Title Is Too Long for Its Running Head\n\n",
        "# Another Chapter With a Title Too Long to Head Its Pages "
        "{data-running-head=\"Its Own Head\"}\n\n",
        "## Appendix A: Keywords\n\n"        /* titled by an h2 */
    };
    static const char *const title =
        "A Book Whose Title Is Far Too Long to Stand Whole Over Its Versos";
    tbook t;
    oc_layout *l;
    int chapter = -1, checked[4] = {0}, versos = 0;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml",
             "title: A Book Whose Title Is Far Too Long to Stand Whole Over "
             "Its Versos\n"
             "chapters:\n"
             "  - a.md\n"
             "  - {file: b.md, short-title: A Web Server}\n"
             "  - c.md\n"
             "  - d.md\n");
    for (int c = 0; c < 4; c++) {
        GString *s = g_string_new(heads[c]);
        char name[8];

        for (int i = 0; i < 12; i++)
            lorem(s, 90, i);
        snprintf(name, sizeof name, "%c.md", 'a' + c);
        put_text(&t, name, s->str);
        g_string_free(s, TRUE);
    }
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];
        char *head;

        if (p->opening)
            chapter++;
        if (p->opening || p->blank || (head = running_head(l, p)) == NULL)
            continue;
        if (!p->recto) {
            assert_cut_at_a_word(head, title);
            versos++;
        } else if (chapter == 0) {
            assert_cut_at_a_word(head, want[0]);
            checked[0]++;
        } else {
            assert_string_equal(head, want[chapter]);
            checked[chapter]++;
        }
        g_free(head);
    }
    for (int c = 0; c < 4; c++)
        assert_true(checked[c] > 0);
    assert_true(versos > 0);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_right_to_left_chapter_is_set_flush_right(void **state)
{
    tbook t;
    oc_layout *l;
    const oc_page *p;
    double right;
    int lines = 0;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Languages\n"
             "chapters: [{file: ar.md, language: ar}]\n");
    put_text(&t, "ar.md", "# نص عربي\n\n"
             "هذا فصل مكتوب باللغة العربية، ويُقرأ من اليمين إلى اليسار. "
             "الكتاب الجيد يحترم لغة كل فصل واتجاهه.\n\n"
             "وهذه فقرة ثانية.\n");
    tbook_load(&t);
    l = lay_out(&t);
    p = &P(l)->pages[P(l)->nfront];
    right = P(l)->setup.width - P(l)->setup.outer;    /* a recto */
    for (size_t k = 0; k < p->nitems; k++) {
        const oc_item *it = &p->items[k];
        char *text;

        if (it->kind != OC_ITEM_TEXT)
            continue;
        text = item_text(it);
        /* The last words of the two paragraphs, wherever the lines
         * break. */
        if (strstr(text, "ثانية") != NULL || strstr(text, "واتجاهه") != NULL) {
            /* A paragraph's last line ends at the right, indented from
             * it when it opens the paragraph. */
            double end = it->x + line_width(it);

            /* Set right to left: the odd bidi level of its runs. */
            assert_true(it->para->rtl && it->para->nruns > 0 &&
                        it->para->runs[0].glyphs->item->analysis.level %
                            2 == 1);
            assert_true(end > right - P(l)->setup.font_size * 1.5 - 0.01 &&
                        end < right + 0.01);
            assert_true(it->x > P(l)->setup.inner + 20);
            lines++;
        }
        g_free(text);
    }
    assert_int_equal(lines, 2);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_manifest_fonts_reach_pango(void **state)
{
    tbook t;
    oc_layout *l;
    FcConfig *cfg;
    FcFontSet *set;
    bool found = false;
    char want[512];

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Fonts\nfonts: [f/Bold.otf]\n"
             "chapters: [a.md]\n");
    put_copy(&t, "f/Bold.otf", "tests/e2e/features/fonts/"
             "EBGaramond12-Bold.otf");
    put_text(&t, "a.md", "# Fonts\n\nText.\n");
    tbook_load(&t);
    l = lay_out(&t);
    snprintf(want, sizeof want, "%s/f/Bold.otf", t.dir);
    cfg = pango_fc_font_map_get_config(PANGO_FC_FONT_MAP(l->fontmap));
    assert_non_null(cfg);
    set = FcConfigGetFonts(cfg, FcSetApplication);
    assert_non_null(set);
    for (int i = 0; i < set->nfont; i++) {
        FcChar8 *file;

        if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) ==
                FcResultMatch &&
            strcmp((const char *)file, want) == 0)
            found = true;
    }
    assert_true(found);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_page_limit_is_an_error_naming_the_manifest(void **state)
{
    tbook t;
    GString *s = g_string_new("# Long\n\n");
    oc_layout *l = NULL;
    oc_page_setup setup;
    oc_error err = {0};
    char path[256];

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Long\nchapters: [a.md]\n");
    for (int i = 0; i < 60; i++)
        lorem(s, 90, i);
    put_text(&t, "a.md", s->str);
    g_string_free(s, TRUE);
    tbook_load(&t);
    memset(&setup, 0, sizeof setup);
    setup.max_pages = 6;
    assert_int_equal(oc_layout_book(t.book, &setup, &l, &err),
                     OC_ERR_INVALID);
    assert_null(l);
    snprintf(path, sizeof path, "%s/book.yaml", t.dir);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.msg, "6 pages"));
    tbook_free(&t);
}


static void
test_preview_writes_the_chosen_pages(void **state)
{
    tbook t;
    oc_error err = {0};
    char dir[128], path[192];
    struct stat sb;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Preview\nchapters: [a.md]\n");
    put_text(&t, "a.md", "# Preview\n\nText.\n");
    tbook_load(&t);
    snprintf(dir, sizeof dir, "%s/png", t.dir);
    assert_int_equal(oc_book_preview(t.book, dir, "1,3-4", 30, &err),
                     OC_OK);
    snprintf(path, sizeof path, "%s/page-001.png", dir);
    assert_int_equal(stat(path, &sb), 0);
    snprintf(path, sizeof path, "%s/page-004.png", dir);
    assert_int_equal(stat(path, &sb), 0);
    snprintf(path, sizeof path, "%s/page-002.png", dir);
    assert_int_not_equal(stat(path, &sb), 0);
    assert_int_equal(oc_book_preview(t.book, dir, "2-", 30, &err),
                     OC_ERR_USAGE);
    memset(&err, 0, sizeof err);
    assert_int_equal(oc_book_preview(t.book, dir, "99", 30, &err),
                     OC_ERR_USAGE);
    memset(&err, 0, sizeof err);
    assert_int_equal(oc_book_preview(t.book, dir, NULL, 5000, &err),
                     OC_ERR_USAGE);
    tbook_free(&t);
}

/* A book of 'chapters' chapters of 'paras' paragraphs each, styled by
 * octavo's book.css and then 'css'. */
static oc_layout *
styled_book(tbook *t, const char *css, int chapters, int paras)
{
    GString *yaml = g_string_new("title: Styled\n"
                                 "stylesheet: [book.css, extra.css]\n"
                                 "chapters: [");

    tbook_init(t);
    put_copy(t, "book.css", "styles/book.css");
    put_text(t, "extra.css", css);
    for (int c = 0; c < chapters; c++) {
        GString *s = g_string_new(NULL);
        char name[32];

        g_string_append_printf(s, "# Chapter %c\n\n", 'A' + c);
        for (int i = 0; i < paras; i++)
            lorem(s, 90, i + c);
        snprintf(name, sizeof name, "c%d.md", c);
        put_text(t, name, s->str);
        g_string_free(s, TRUE);
        g_string_append_printf(yaml, "%s%s", c ? ", " : "", name);
    }
    g_string_append(yaml, "]\n");
    put_text(t, "book.yaml", yaml->str);
    g_string_free(yaml, TRUE);
    tbook_load(t);
    return lay_out(t);
}

static const oc_item *
find_text(const oc_page *p, const char *text)
{
    for (size_t i = 0; i < p->nitems; i++) {
        char *s;
        bool hit;

        if (p->items[i].kind != OC_ITEM_TEXT)
            continue;
        s = item_text(&p->items[i]);
        hit = strcmp(s, text) == 0;
        g_free(s);
        if (hit)
            return &p->items[i];
    }
    return NULL;
}

/* The leftmost x and the lowest baseline of a page's text lines that lie
 * within its text block (not its running head or folio). */
static void
text_extent(const oc_layout *l, const oc_page *p, double *minx,
            double *maxy)
{
    *minx = 1e9;
    *maxy = 0;
    for (size_t i = 0; i < p->nitems; i++) {
        const oc_item *it = &p->items[i];

        if (it->kind != OC_ITEM_TEXT || it->y < P(l)->setup.top ||
            it->y > P(l)->setup.height - P(l)->setup.bottom + 0.01)
            continue;
        if (it->x < *minx)
            *minx = it->x;
        if (it->y > *maxy)
            *maxy = it->y;
    }
}

static void
test_page_box_comes_from_at_page(void **state)
{
    tbook t;
    oc_layout *l = styled_book(&t, "@page { size: 6in 9in;\n"
                               "  margin: 72pt 36pt 90pt 54pt; }\n"
                               "@page :left { margin-left: 36pt;\n"
                               "  margin-right: 54pt; }\n", 1, 30);
    int versos = 0, rectos = 0;

    (void)state;
    assert_true(fabs(P(l)->setup.width - 432) < 0.01);
    assert_true(fabs(P(l)->setup.height - 648) < 0.01);
    assert_true(fabs(P(l)->setup.inner - 54) < 0.01);
    assert_true(fabs(P(l)->setup.outer - 36) < 0.01);
    assert_true(fabs(P(l)->setup.top - 72) < 0.01);
    assert_true(fabs(P(l)->setup.bottom - 90) < 0.01);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];
        double minx, maxy;

        if (p->blank || p->opening)
            continue;
        text_extent(l, p, &minx, &maxy);
        /* Mirrored: the text starts at the inner margin of a recto and
         * at the outer one of a verso, and stays above the foot. */
        assert_true(fabs(minx - (p->recto ? 54 : 36)) < 0.5);
        assert_true(maxy <= 648 - 90 + 0.01);
        if (i + 1 < P(l)->npages)
            assert_true(maxy > 648 - 90 - 45);
        versos += !p->recto;
        rectos += p->recto;
    }
    assert_true(versos >= 2 && rectos >= 2);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_page_size_keywords_and_landscape(void **state)
{
    tbook t;
    oc_layout *l = styled_book(&t, "@page { size: A4 landscape; }\n", 1, 2);

    (void)state;
    assert_true(fabs(P(l)->setup.width - 841.89) < 0.01);
    assert_true(fabs(P(l)->setup.height - 595.28) < 0.01);
    /* print.css's mirrored margins still apply. */
    assert_true(fabs(P(l)->setup.inner - 54) < 0.01);
    assert_true(fabs(P(l)->setup.outer - 45) < 0.01);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_first_pages_of_chapters_take_at_page_first(void **state)
{
    tbook t;
    oc_layout *l = styled_book(&t, "@page :first { margin-top: 200pt; }\n"
                               "h1 { margin-top: 0; }\n", 2, 12);
    int openings = 0;

    (void)state;
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];
        double top = 1e9;

        for (size_t k = 0; k < p->nitems; k++)
            if (p->items[k].kind == OC_ITEM_TEXT &&
                p->items[k].y < top)
                top = p->items[k].y;
        if (p->blank)
            continue;
        if (p->opening) {
            /* The chapter title's first baseline under the :first top
             * margin; no running head above it. */
            assert_true(top > 200 && top < 200 + 30);
            openings++;
        } else {
            assert_true(top < 54);      /* the running head */
        }
    }
    assert_int_equal(openings, 2);
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_margin_boxes_show_counters_and_strings(void **state)
{
    tbook t;
    oc_layout *l = styled_book(&t,
        "h1 { string-set: chapter \"Ch. \" content(); }\n"
        "@page :right { @top-center { content: none; }\n"
        "  @top-right { content: counter(page, upper-alpha); }\n"
        "  @bottom-right { content: string(chapter) \" / \" counter(pages); }"
        "\n}\n", 2, 12);
    size_t body = 0;

    (void)state;
    assert_int_equal(P(l)->body_labels, 'A');
    assert_int_equal(P(l)->front_labels, 'A');
    assert_string_equal(P(l)->pages[0].label, "A");
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];
        char want[64];
        const oc_item *it;

        body++;
        if (!p->recto || p->opening || p->blank)
            continue;
        /* Labels and folios count the body from A in upper-alpha. */
        snprintf(want, sizeof want, "%c", (char)('A' + body - 1));
        assert_string_equal(p->label, want);
        it = find_text(p, p->label);
        assert_non_null(it);
        assert_true(it->y < P(l)->setup.top);
        snprintf(want, sizeof want, "Ch. Chapter %c / %zu",
                 p->chapter == 0 ? 'A' : 'B', P(l)->npages - P(l)->nfront);
        it = find_text(p, want);
        assert_non_null(it);
        assert_true(it->y > P(l)->setup.height - P(l)->setup.bottom);
    }
    oc_layout_free(l);
    tbook_free(&t);
}

static void
test_named_strings_are_set_on_their_pages(void **state)
{
    tbook t;
    oc_layout *l = styled_book(&t, "", 2, 3);
    int seen = 0;

    (void)state;
    /* print.css: the title page sets book-title, each h1 chapter. */
    assert_int_equal(P(l)->pages[0].nstrings, 1);
    assert_string_equal(P(l)->pages[0].strings[0].name, "book-title");
    assert_string_equal(P(l)->pages[0].strings[0].value, "Styled");
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];

        if (!p->opening)
            continue;
        assert_int_equal(p->nstrings, 1);
        assert_string_equal(p->strings[0].name, "chapter");
        assert_string_equal(p->strings[0].value,
                            seen ? "Chapter B" : "Chapter A");
        assert_true(p->strings[0].at_start);
        seen++;
    }
    assert_int_equal(seen, 2);
    oc_layout_free(l);
    tbook_free(&t);
}

/* The first line of the second paragraph of the first chapter. */
static const oc_item *
second_para(const oc_layout *l)
{
    const oc_page *p = &P(l)->pages[P(l)->nfront];
    int lines = 0;

    for (size_t i = 0; i < p->nitems; i++) {
        char *s;
        bool start;

        if (p->items[i].kind != OC_ITEM_TEXT)
            continue;
        s = item_text(&p->items[i]);
        start = strncmp(s, "compositor ", 11) == 0;
        g_free(s);
        if (start && ++lines == 1)
            return &p->items[i];
    }
    return NULL;
}

static void
test_stylesheet_changes_move_the_text(void **state)
{
    tbook t1, t2;
    oc_layout *a = styled_book(&t1, "", 1, 3);
    oc_layout *b = styled_book(&t2, "p { text-indent: 0; }\n"
                               "h1 { font-size: 30pt; }\n", 1, 3);
    const oc_item *pa = second_para(a), *pb = second_para(b);
    const oc_item *ha = find_text(&P(a)->pages[P(a)->nfront], "Chapter A");
    const oc_item *hb = find_text(&P(b)->pages[P(b)->nfront], "Chapter A");
    (void)state;
    assert_non_null(pa);
    assert_non_null(pb);
    /* book.css indents a paragraph that follows another by 1.2em. */
    assert_true(fabs(pa->x - pb->x - 1.2 * 11) < 0.01);
    assert_non_null(ha);
    assert_non_null(hb);
    /* The title's line as much taller as its type. */
    assert_true(fabs(line_height(hb) / line_height(ha) - 30 / 19.8) <
                0.02);
    oc_layout_free(a);
    oc_layout_free(b);
    tbook_free(&t1);
    tbook_free(&t2);
}

static void
test_display_none_and_breaks_from_css(void **state)
{
    tbook t;
    oc_layout *l;
    size_t with_b = 0, with_c = 0;

    (void)state;
    tbook_init(&t);
    put_copy(&t, "book.css", "styles/book.css");
    put_text(&t, "extra.css", ".secret { display: none; }\n"
             "body > section { break-before: auto; }\n"
             "h2 { break-before: page; }\n");
    put_text(&t, "book.yaml", "title: Breaks\n"
             "stylesheet: [book.css, extra.css]\nchapters: [a.md, b.md]\n");
    put_text(&t, "a.md", "# A\n\nShown.\n\n<p class=\"secret\">Hidden.</p>\n"
             "\n## B\n\nAfter the break.\n");
    put_text(&t, "b.md", "# C\n\nNo break before this chapter.\n");
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        assert_false(page_has_text(&P(l)->pages[i], "Hidden"));
        if (page_has_text(&P(l)->pages[i], "After the break"))
            with_b = i;
        if (page_has_text(&P(l)->pages[i], "No break before"))
            with_c = i;
    }
    /* h2 starts a page, the next chapter runs on after it. */
    assert_int_equal(with_b, P(l)->nfront + 1);
    assert_int_equal(with_c, with_b);
    assert_true(P(l)->pages[with_b].opening);
    oc_layout_free(l);
    tbook_free(&t);
}

/* What the sink of oc_layout_book_to was given, in order. */
typedef struct given {
    const oc_item *items[64];
    int            number[64];
    size_t         n;
    int            ends;        /* calls with no page: the last */
} given;

static void
take(const oc_pages *book, const oc_page *page, void *data)
{
    given *gv = data;

    assert_true(book->setup.width > 0);
    assert_int_equal(gv->ends, 0);      /* nothing after the end */
    if (page == NULL) {
        gv->ends++;
        return;
    }
    assert_true(gv->n < 64);
    gv->items[gv->n] = page->items;
    gv->number[gv->n++] = page->number;
}

/* A layout that fails after it has given pages to its sink tells the
 * sink it is over (once) before it frees them. */
static void
test_failed_layout_ends_its_sink_before_freeing(void **state)
{
    tbook t;
    GString *s = g_string_new("# Long\n\n");
    oc_layout *l = NULL;
    oc_page_setup setup;
    oc_error err = {0};
    given gv = { .n = 0 };

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Long\n"
             "chapters: [a.md, b.md, c.md]\n");
    for (int i = 0; i < 20; i++)
        lorem(s, 90, i);
    put_text(&t, "a.md", s->str);
    put_text(&t, "b.md", s->str);
    put_text(&t, "c.md", s->str);
    g_string_free(s, TRUE);
    tbook_load(&t);
    memset(&setup, 0, sizeof setup);
    setup.max_pages = 9;
    assert_int_equal(oc_layout_book_to(t.book, &setup, take, NULL, &gv, &l,
                                       &err), OC_ERR_INVALID);
    assert_null(l);
    assert_true(gv.n > 0);              /* pages were given, */
    assert_int_equal(gv.ends, 1);       /* then the end, once */
    tbook_free(&t);
}

/* The text of page 'p', its text items joined. */
static GString *
page_text(const oc_page *p)
{
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < p->nitems; i++)
        if (p->items[i].kind == OC_ITEM_TEXT) {
            char *t = item_text(&p->items[i]);

            g_string_append(s, t);
            g_string_append_c(s, '\n');
            g_free(t);
        }
    return s;
}

static void
test_pages_reach_the_sink_as_they_are_final(void **state)
{
    tbook t;
    oc_layout *l, *whole;
    oc_error err = {0};
    given gv = { .n = 0 };
    GString *a = g_string_new("# A\n\n[Gone](c.md), [Shown](b.md#shown)."
                              "\n\n");
    size_t nbody, land = 0;

    (void)state;
    for (int i = 0; i < 40; i++)
        g_string_append(a, i == 30 ? "## A second part\n\n"
                           : "A paragraph of the first chapter, long enough "
                             "to take two lines or three of the page.\n\n");
    tbook_init(&t);
    put_copy(&t, "book.css", "styles/book.css");
    put_text(&t, "extra.css", ".secret { display: none; }\n"
             "h2 { break-before: page; }\n");
    put_text(&t, "book.yaml", "title: Streamed\n"
             "stylesheet: [book.css, extra.css]\n"
             "chapters: [a.md, b.md, c.md]\n");
    put_text(&t, "a.md", a->str);
    put_text(&t, "b.md", "# B\n\nA short chapter.\n\n"
             "<p id=\"shown\">Shown.</p>\n");
    put_text(&t, "c.md", "<div class=\"secret\"><p>Nothing to show.</p>"
             "</div>\n");
    tbook_load(&t);
    assert_int_equal(oc_layout_book_to(t.book, NULL, take, NULL, &gv, &l,
                                       &err), OC_OK);
    whole = lay_out(&t);
    /* Every page once: the body's in order, numbered from its first,
     * then the front matter's; then the end, once. */
    assert_int_equal(gv.ends, 1);
    assert_int_equal(gv.n, P(l)->npages);
    nbody = P(l)->npages - P(l)->nfront;
    assert_true(nbody >= 5);
    for (size_t k = 0; k < gv.n; k++) {
        size_t at = k < nbody ? P(l)->nfront + k : k - nbody;

        assert_ptr_equal(gv.items[k], P(l)->pages[at].items);
        assert_int_equal(gv.number[k], k < nbody ? (int)k + 1
                                                 : (int)(k - nbody) + 1);
        assert_int_equal(P(l)->pages[at].number, (int)at + 1);
    }
    /* The same pages as when the book is laid out whole. */
    assert_int_equal(P(whole)->npages, P(l)->npages);
    assert_int_equal(P(whole)->nfront, P(l)->nfront);
    for (size_t i = 0; i < P(l)->npages; i++) {
        GString *x = page_text(&P(l)->pages[i]);
        GString *y = page_text(&P(whole)->pages[i]);

        assert_string_equal(x->str, y->str);
        g_string_free(x, TRUE);
        g_string_free(y, TRUE);
    }
    /* The link to the chapter with nothing to show (c3) was given before
     * that chapter was laid out: it lands on the contents page. Laid out
     * whole, the book leaves it out; the link to chapter 2 is kept. */
    for (size_t i = 0; i < P(l)->pages[2].nitems; i++)
        if (P(l)->pages[2].items[i].kind == OC_ITEM_DEST &&
            strcmp(P(l)->pages[2].items[i].dest, "c3") == 0)
            land++;
    assert_int_equal(land, 1);
    for (size_t k = 0; k < P(whole)->pages[P(whole)->nfront].nitems; k++) {
        const oc_item *it = &P(whole)->pages[P(whole)->nfront].items[k];

        if (it->kind == OC_ITEM_LINK && it->dest != NULL) {
            assert_string_not_equal(it->dest, "c3");
            land++;
        }
    }
    assert_int_equal(land, 2);
    oc_layout_free(whole);
    oc_layout_free(l);
    g_string_free(a, TRUE);
    tbook_free(&t);
}

/* What a sink that paints at once saw: each page's text when given (or
 * what 'of' takes of it). */
typedef struct painted_pages {
    GPtrArray *texts;           /* GString *, in the order given */
    GString *(*of)(const oc_page *p);   /* NULL: page_text */
} painted_pages;

static void
take_text(const oc_pages *book, const oc_page *page, void *data)
{
    painted_pages *pp = data;

    (void)book;
    if (page != NULL)
        g_ptr_array_add(pp->texts, pp->of != NULL ? pp->of(page)
                                                  : page_text(page));
}

static size_t
all_painted(void *data)
{
    return ((painted_pages *)data)->texts->len;
}

/* Chapter c of a book of samples: a heading, a footnote, paragraphs, a
 * table, wrapped code, a link to chapter c + 3 (at its heading) or back
 * to c - 3. As a 'part', the heading is an h2, which opens no page; with
 * 'figures', every third has a figure too tall to stay where it stands
 * (a page float, carried to the top of a page to come), and every fourth
 * a run of them. */
static void
samples_of(GString *s, int c, bool part, bool figures)
{
    const char *id = part ? "part" : "chapter";

    g_string_append_printf(s, "%s %s %d\n\nA note.[^n%d] See [there]"
                           "(#%s-%d).\n\n", part ? "##" : "#",
                           part ? "Part" : "Chapter", c, c, id,
                           c < 3 ? c + 3 : c - 3);
    for (int i = 0; i < 12; i++) {
        lorem(s, 60, c * 12 + i);
        if (i == 4 && c % 3 == 0 && figures)
            g_string_append_printf(s, "![Figure %d](tall.svg)\n\n", c);
        /* A run of figures a line apart, more than the pages take:
         * they wait for pages as the text goes on. */
        for (int k = 0; i == 6 && c % 4 == 1 && figures && k < 4 * c; k++)
            g_string_append_printf(s, "A line before figure %d.%d.\n\n"
                                   "![Figure %d.%d](tall.svg)\n\n", c, k,
                                   c, k);
    }
    g_string_append(s, "| Head | Other |\n|---|---|\n");
    for (int i = 0; i < 30; i++)
        g_string_append_printf(s, "| row %d | cell %d |\n", i, c);
    g_string_append(s, "\n```\nint a_line_of_code_long_enough_to_wrap"
                    "_around_at_the_end_of_the_measure = 1234567890;"
                    "\n```\n\n");
    g_string_append_printf(s, "[^n%d]: The note of %s %d.\n\n", c, id, c);
}

static void
chapter_of_samples(GString *s, int c)
{
    samples_of(s, c, false, false);
}

/* The pages given to the sink are those of the book laid out whole, and
 * the first body page is freed (painted, it went with its pool) while
 * the last stays when 'last_kept' (it is the last pool's, unless that
 * holds nothing); returns how many body pages were freed. */
static size_t
assert_given_as_whole(tbook *t, oc_layout *l, painted_pages *pp,
                      bool last_kept)
{
    oc_layout *whole = lay_out(t);
    size_t nbody, freed = 0;

    assert_int_equal(pp->texts->len, P(l)->npages);
    assert_int_equal(P(whole)->npages, P(l)->npages);
    nbody = P(l)->npages - P(l)->nfront;
    for (size_t k = 0; k < pp->texts->len; k++) {
        size_t at = k < nbody ? P(l)->nfront + k : k - nbody;
        GString *y = page_text(&P(whole)->pages[at]);

        assert_string_equal(((GString *)pp->texts->pdata[k])->str, y->str);
        g_string_free(y, TRUE);
        if (k < nbody && P(l)->pages[at].items == NULL)
            freed++;
    }
    assert_null(P(l)->pages[P(l)->nfront].items);
    if (last_kept)
        assert_non_null(P(l)->pages[P(l)->npages - 1].items);
    for (size_t k = 0; k < pp->texts->len; k++)
        g_string_free(pp->texts->pdata[k], TRUE);
    g_ptr_array_free(pp->texts, TRUE);
    oc_layout_free(whole);
    return freed;
}

/* Told that its pages are painted, the layout frees each chapter once
 * all the pages that show it are: the pages given are those of the
 * whole book laid out at once, footnotes, tables and wrapped code
 * (whose continuation mark is made once for the book) among them. */
static void
test_painted_chapters_are_freed_as_the_layout_goes(void **state)
{
    tbook t;
    oc_layout *l = NULL;
    oc_error err = {0};
    painted_pages pp = { g_ptr_array_new(), NULL };
    GString *yaml = g_string_new("title: Freed\nchapters: [");
    size_t nbody;

    (void)state;
    tbook_init(&t);
    for (int c = 0; c < 6; c++) {
        GString *s = g_string_new(NULL);
        char name[16];

        chapter_of_samples(s, c);
        snprintf(name, sizeof name, "c%d.md", c);
        put_text(&t, name, s->str);
        g_string_append_printf(yaml, "%s%s", c ? ", " : "", name);
        g_string_free(s, TRUE);
    }
    g_string_append(yaml, "]\n");
    put_text(&t, "book.yaml", yaml->str);
    g_string_free(yaml, TRUE);
    tbook_load(&t);
    assert_int_equal(oc_layout_book_to(t.book, NULL, take_text, all_painted,
                                       &pp, &l, &err), OC_OK);
    nbody = P(l)->npages - P(l)->nfront;
    /* The first chapters' pages are gone; the last chapter's stay. */
    assert_true(assert_given_as_whole(&t, l, &pp, true) >= nbody / 2);
    oc_layout_free(l);
    tbook_free(&t);
}

/* A book written as one file, a "# " heading for each chapter (which
 * print.css starts on a recto): the layout frees each of them once its
 * pages are painted, as it does a chapter of its own file, and the pages
 * are those of the book laid out whole, notes, tables, wrapped code and
 * links forward and back among them. */
static void
test_chapters_of_one_file_are_freed_as_the_layout_goes(void **state)
{
    tbook t;
    oc_layout *l = NULL;
    oc_error err = {0};
    painted_pages pp = { g_ptr_array_new(), NULL };
    GString *s = g_string_new(NULL);
    size_t nbody;

    (void)state;
    tbook_init(&t);
    for (int c = 0; c < 6; c++)
        chapter_of_samples(s, c);
    put_text(&t, "all.md", s->str);
    put_text(&t, "book.yaml", "title: One File\nchapters: [all.md]\n");
    g_string_free(s, TRUE);
    tbook_load(&t);
    assert_int_equal(oc_layout_book_to(t.book, NULL, take_text, all_painted,
                                       &pp, &l, &err), OC_OK);
    nbody = P(l)->npages - P(l)->nfront;
    assert_true(assert_given_as_whole(&t, l, &pp, true) >= nbody / 2);
    oc_layout_free(l);
    tbook_free(&t);
}

/* The destinations page 'p' links to, one a line. */
static GString *
page_links_of(const oc_page *p)
{
    GString *s = g_string_new(NULL);

    for (size_t k = 0; k < p->nitems; k++)
        if (p->items[k].kind == OC_ITEM_LINK)
            g_string_append_printf(s, "%s\n", p->items[k].dest
                                                   ? p->items[k].dest : "");
    return s;
}

/* Book 't' of one chapter, 'md' (freed), at least 'least' pages long,
 * laid out with its pages given and painted as they are made: they are
 * those of the book laid out whole, and half of them or more were freed
 * before the end. */
static void
given_as_it_goes(tbook *t, GString *md, size_t least)
{
    oc_layout *l = NULL;
    oc_error err = {0};
    painted_pages pp = { g_ptr_array_new(), NULL };
    size_t nbody;

    put_text(t, "all.md", md->str);
    put_text(t, "book.yaml", "title: One Chapter\nchapters: [all.md]\n");
    g_string_free(md, TRUE);
    tbook_load(t);
    assert_int_equal(oc_layout_book_to(t->book, NULL, take_text,
                                       all_painted, &pp, &l, &err), OC_OK);
    nbody = P(l)->npages - P(l)->nfront;
    assert_true(nbody >= least);
    assert_true(assert_given_as_whole(t, l, &pp, false) >= nbody / 2);
    oc_layout_free(l);
    tbook_free(t);
}

/* One chapter of some 90 pages with no page break in it (its parts'
 * headings open none): it is paginated as it is laid out, not at its
 * end, the pages painted and freed as it goes (its memory does not grow
 * with it); and they are the pages of the book laid out whole, notes,
 * tables, wrapped code, page floats carried over and links forward and
 * back among them. */
static void
test_long_chapter_is_cut_as_it_goes(void **state)
{
    tbook t;
    GString *s = g_string_new("# One Long Chapter\n\n");

    (void)state;
    tbook_init(&t);
    for (int c = 0; c < 24; c++)
        samples_of(s, c, true, true);
    put_text(&t, "tall.svg", "<svg xmlns='http://www.w3.org/2000/svg' "
             "width='200' height='260'><rect width='200' height='260'/>"
             "</svg>");
    given_as_it_goes(&t, s, 60);
}

/* A chapter of 240 figures, each after a paragraph of two lines, more
 * than its pages take as they come: they wait for pages, and where the
 * layout stops paginating for want of rows the figures waiting are held
 * over to the next time; the pages given are those of the chapter laid
 * out whole. */
static void
test_long_run_of_figures_is_cut_as_it_goes(void **state)
{
    tbook t;
    GString *s = g_string_new("# Figures\n\n");

    (void)state;
    tbook_init(&t);
    for (int k = 0; k < 6; k++) {
        char name[32], svg[256];

        snprintf(name, sizeof name, "f%d.svg", k);
        snprintf(svg, sizeof svg, "<svg xmlns='http://www.w3.org/2000/svg' "
                 "width='200' height='%d'><rect width='200' height='%d'/>"
                 "</svg>", 100 + 40 * k, 100 + 40 * k);
        put_text(&t, name, svg);
    }
    for (int i = 0; i < 240; i++)
        g_string_append_printf(s, "Text before figure %d, long enough to be "
                               "set as a paragraph of its own on the page."
                               "\n\n![Figure %d](f%d.svg)\n\n", i, i,
                               (i * 5) % 6);
    given_as_it_goes(&t, s, 80);
}

/* A link to a table cell's id lands on the cell's row: it is kept, and
 * the destination stands on the row's page. */
static void
test_link_to_a_table_cell_lands_on_its_row(void **state)
{
    tbook t;
    GString *s = g_string_new("# Cells\n\n[To the cell](#c9).\n\n");
    oc_layout *l;
    size_t links = 0, dests = 0;

    (void)state;
    for (int i = 0; i < 30; i++)
        lorem(s, 60, i);
    g_string_append(s, "<table><tbody><tr><td>One</td><td id=\"c9\">Two"
                    "</td></tr></tbody></table>\n");
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Cells\nchapters: [a.md]\n");
    put_text(&t, "a.md", s->str);
    g_string_free(s, TRUE);
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++)
        for (size_t k = 0; k < P(l)->pages[i].nitems; k++) {
            const oc_item *it = &P(l)->pages[i].items[k];

            if (it->dest == NULL || strcmp(it->dest, "c1-c9") != 0)
                continue;
            if (it->kind == OC_ITEM_LINK)
                links += i == P(l)->nfront;
            else if (it->kind == OC_ITEM_DEST)
                dests += page_has_text(&P(l)->pages[i], "Two");
        }
    assert_int_equal(links, 1);
    assert_int_equal(dests, 1);
    oc_layout_free(l);
    tbook_free(&t);
}

/* Given page by page, a page of a long chapter waits for the
 * destinations further on in it that it links to, so that its links are
 * those of the chapter laid out whole: one to an element set later is
 * kept, one to an element that makes no destination left out. */
static void
test_long_chapter_keeps_its_links_forward(void **state)
{
    tbook t;
    oc_layout *l = NULL, *whole;
    oc_error err = {0};
    painted_pages pp = { g_ptr_array_new(), page_links_of };
    GString *s = g_string_new("# Links Ahead\n\n[To the end](#end), "
                              "[to nothing](#gone).\n\n");
    size_t nbody;

    (void)state;
    tbook_init(&t);
    for (int c = 0; c < 14; c++)
        samples_of(s, c + 3, true, false);
    /* A table body's id makes no destination. */
    g_string_append(s, "<p id=\"end\">The end.</p>\n\n<table><tbody "
                    "id=\"gone\"><tr><td>A cell.</td></tr></tbody>"
                    "</table>\n");
    put_text(&t, "all.md", s->str);
    put_text(&t, "book.yaml", "title: Links\nchapters: [all.md]\n");
    g_string_free(s, TRUE);
    tbook_load(&t);
    assert_int_equal(oc_layout_book_to(t.book, NULL, take_text, all_painted,
                                       &pp, &l, &err), OC_OK);
    whole = lay_out(&t);
    nbody = P(l)->npages - P(l)->nfront;
    assert_true(nbody >= 40);
    assert_int_equal(P(whole)->npages, P(l)->npages);
    assert_int_equal(pp.texts->len, P(l)->npages);
    for (size_t k = 0; k < pp.texts->len; k++) {
        size_t at = k < nbody ? P(l)->nfront + k : k - nbody;
        GString *y = page_links_of(&P(whole)->pages[at]);

        assert_string_equal(((GString *)pp.texts->pdata[k])->str, y->str);
        if (k == 0) {       /* the first body page's: the end's, kept */
            assert_non_null(strstr(y->str, "end"));
            assert_null(strstr(y->str, "gone"));
        }
        g_string_free(y, TRUE);
        g_string_free(pp.texts->pdata[k], TRUE);
    }
    g_ptr_array_free(pp.texts, TRUE);
    oc_layout_free(whole);
    oc_layout_free(l);
    tbook_free(&t);
}

/* A row taller than a page is set in slices a page breaks between:
 * every line of its cell is on a page, the head comes again above each
 * slice that opens a page, and nothing runs past the text block. */
static void
test_table_row_taller_than_a_page_is_sliced(void **state)
{
    tbook t;
    GString *s = g_string_new("# Table\n\n| Head A | Head B |\n|---|---|\n"
                              "| short | row |\n| ");
    oc_layout *l;
    int pages = 0;

    (void)state;
    for (int i = 0; i < 150; i++)
        g_string_append_printf(s, "%sline%03d", i ? "<br>" : "", i);
    g_string_append(s, " | tall |\n| after | end |\n");
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Tables\nchapters: [a.md]\n");
    put_text(&t, "a.md", s->str);
    g_string_free(s, TRUE);
    tbook_load(&t);
    l = lay_out(&t);
    for (int i = 0; i < 150; i++) {
        char mark[16];

        snprintf(mark, sizeof mark, "line%03d", i);
        if (page_of_text(l, mark) < 0)
            fail_msg("%s is on no page", mark);
    }
    assert_true(page_of_text(l, "after") > page_of_text(l, "line000"));
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *pg = &P(l)->pages[i];

        if (!page_has_text(pg, "line"))
            continue;
        pages++;
        assert_true(page_has_text(pg, "Head A"));
        for (size_t k = 0; k < pg->nitems; k++) {
            char *text;

            if (pg->items[k].kind != OC_ITEM_TEXT)
                continue;
            text = item_text(&pg->items[k]);
            if (strstr(text, "line") != NULL)
                assert_true(pg->items[k].y <= P(l)->setup.height -
                                                  P(l)->setup.bottom + 1);
            g_free(text);
        }
    }
    assert_true(pages >= 3);
    oc_layout_free(l);
    tbook_free(&t);
}

/* An SVG link to another chapter has its xlink:href set to the chapter's
 * file in the book, not doubled by an href of its own that EPUBCheck
 * would find the old name in. */
static void
test_svg_link_to_a_chapter_is_set_in_place(void **state)
{
    tbook t;
    xmlNodePtr a;
    xmlChar *v;
    char *want;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Links\nchapters: [a.html, b.md]\n");
    put_text(&t, "a.html", "<html><head><title>A</title></head><body>"
             "<h1>A</h1><svg xmlns=\"http://www.w3.org/2000/svg\" "
             "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"9\" "
             "height=\"9\"><a xlink:href=\"b.md#there\"><rect width=\"9\" "
             "height=\"9\"/></a></svg></body></html>\n");
    put_text(&t, "b.md", "# B\n\nText.\n\n## There {#there}\n\nMore.\n");
    tbook_load(&t);
    a = oc_xhtml_find(xmlDocGetRootElement(t.book->chapters[0].doc), "a");
    assert_non_null(a);
    v = xmlGetNsProp(a, BAD_CAST "href", BAD_CAST OC_XLINK_NS);
    assert_non_null(v);
    want = g_strdup_printf("%s#there", t.book->chapters[1].href);
    assert_string_equal((const char *)v, want);
    assert_string_equal(want, "b.xhtml#there");
    g_free(want);
    xmlFree(v);
    assert_null(xmlHasNsProp(a, BAD_CAST "href", NULL));
    tbook_free(&t);
}

/* The hrefs of the children of p, each followed by a space, onto out. */
static void
append_hrefs(GString *out, xmlNodePtr p)
{
    for (xmlNodePtr a = p->children; a != NULL; a = a->next) {
        xmlChar *v = a->type == XML_ELEMENT_NODE
                         ? xmlGetProp(a, BAD_CAST "href") : NULL;

        if (v != NULL)
            g_string_append_printf(out, "%s ", (const char *)v);
        xmlFree(v);
    }
}

/* A link to another chapter whose fragment holds a colon ("#X:Y") is
 * no URL of a scheme "b.html#X": it points at the chapter's file in the
 * book, written in HTML or in Markdown; a mailto: link stays. */
static void
test_chapter_links_with_a_colon_in_the_fragment_are_rewritten(void **state)
{
    tbook t;
    GString *hrefs = g_string_new(NULL);

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Colons\n"
             "chapters: [a.html, b.html, c.md]\n");
    put_text(&t, "a.html", "<html><head><title>A</title></head><body>"
             "<h1>A</h1><p><a href=\"b.html#X:Y\">x</a> <a href=\"b.html#Z"
             "\">z</a> <a href=\"c.md#P:Q\">p</a> <a href=\"mailto:a@b.org"
             "\">m</a></p></body></html>\n");
    put_text(&t, "b.html", "<html><head><title>B</title></head><body>"
             "<h1>B</h1><p id=\"X:Y\">X</p><p id=\"Z\">Z</p></body>"
             "</html>\n");
    put_text(&t, "c.md", "# C\n\n[to](b.html#X:Y), [back](a.html).\n\n"
             "<p id=\"P:Q\">P</p>\n");
    tbook_load(&t);
    for (size_t k = 0; k < 3; k += 2) {
        xmlNodePtr p = oc_xhtml_find(
            xmlDocGetRootElement(t.book->chapters[k].doc), "p");

        append_hrefs(hrefs, p);
    }
    assert_string_equal(hrefs->str, "b.xhtml#X:Y b.xhtml#Z c.xhtml#P:Q "
                        "mailto:a@b.org b.xhtml#X:Y a.xhtml ");
    g_string_free(hrefs, TRUE);
    tbook_free(&t);
}

/* A chapter none of whose headings is within the contents' depth is
 * listed there by its first, as the EPUB's nav lists it; one that has
 * such a heading is listed by it alone. */
static void
test_contents_list_chapters_of_deep_headings(void **state)
{
    tbook t;
    oc_layout *l;
    bool alpha = false, beta = false, gamma = false;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Deep\nchapters: [a.md, b.md]\n");
    put_text(&t, "a.md", "### Alpha\n\nText of the first.\n");
    put_text(&t, "b.md", "### Beta\n\nText.\n\n## Gamma\n\nMore text.\n");
    tbook_load(&t);
    l = lay_out(&t);
    for (size_t i = 0; i < P(l)->nfront; i++) {
        alpha |= page_has_text(&P(l)->pages[i], "Alpha");
        beta |= page_has_text(&P(l)->pages[i], "Beta");
        gamma |= page_has_text(&P(l)->pages[i], "Gamma");
    }
    assert_true(alpha);
    assert_false(beta);
    assert_true(gamma);
    oc_layout_free(l);
    tbook_free(&t);
}

/* A chapter's own front matter title (npm's docs: "title: npm-ls" over
 * "### Synopsis") is its h1 when it has none, as sites print it: the
 * contents, the outline and the running heads name the chapter by it.
 * One with an h1 of its own keeps it, and the front matter of a book of
 * one file stays the book's metadata, with no h1 made of it. */
static void
test_front_matter_title_titles_a_chapter_without_h1(void **state)
{
    tbook t;
    oc_layout *l;
    oc_book *one = NULL;
    oc_options opt = { .data_dir = "." };
    static const char *const more[] = {"chapters=[a.md, b.md]"};
    oc_error err = {0};
    GString *a = g_string_new("---\ntitle: npm-ls\nsection: 1\n---\n\n"
                              "### Synopsis\n\n");
    char path[256];
    int heads = 0;
    bool listed = false;

    (void)state;
    tbook_init(&t);
    for (int i = 0; i < 12; i++)
        lorem(a, 90, i);
    put_text(&t, "book.yaml", "title: Docs\nchapters: [a.md, b.md]\n");
    put_text(&t, "a.md", a->str);
    put_text(&t, "b.md", "---\ntitle: Other\n---\n\n# Own\n\nText.\n");
    g_string_free(a, TRUE);
    tbook_load(&t);
    assert_string_equal(t.book->chapters[0].toc_title, "npm-ls");
    assert_int_equal(t.book->chapters[0].headings[0].level, 1);
    assert_string_equal(t.book->chapters[0].headings[1].text, "Synopsis");
    assert_string_equal(t.book->chapters[1].toc_title, "Own");
    assert_int_equal(t.book->chapters[1].nheadings, 1);
    l = lay_out(&t);
    for (size_t i = 0; i < P(l)->noutline; i++) {
        assert_string_not_equal(P(l)->outline[i].title, "Other");
        if (strcmp(P(l)->outline[i].title, "npm-ls") == 0) {
            assert_int_equal(P(l)->outline[i].level, 1);
            listed = true;
        }
    }
    assert_true(listed);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];
        char *head;

        if (!p->recto || p->opening || p->blank ||
            (head = running_head(l, p)) == NULL)
            continue;
        if (strcmp(head, "Own") != 0) {
            assert_string_equal(head, "npm-ls");
            heads++;
        }
        g_free(head);
    }
    assert_true(heads > 0);
    oc_layout_free(l);
    snprintf(path, sizeof path, "%s/a.md", t.dir);
    if (oc_book_load(path, &opt, &one, &err) != OC_OK)
        fail_msg("%s: %s", path, err.msg);
    assert_string_equal(one->m->title, "npm-ls");
    assert_int_equal(one->chapters[0].headings[0].level, 3);
    assert_string_equal(one->chapters[0].toc_title, "Synopsis");
    oc_book_free(one);
    one = NULL;
    opt.meta = more;               /* octavo build a.md b.md */
    opt.nmeta = 1;
    if (oc_book_load(path, &opt, &one, &err) != OC_OK)
        fail_msg("%s: %s", path, err.msg);
    assert_int_equal(one->nchapters, 2);
    assert_int_equal(one->chapters[0].headings[0].level, 3);
    assert_string_equal(one->chapters[1].toc_title, "Own");
    oc_book_free(one);
    tbook_free(&t);
}

/* The text of entry 'name' of the EPUB at 'path' (g_malloc'd). */
static char *
epub_entry(const char *path, const char *name)
{
    char cmd[512];
    GString *text = g_string_new(NULL);
    FILE *p;
    int c;

    snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", path, name);
    p = popen(cmd, "r");
    assert_non_null(p);
    while ((c = fgetc(p)) != EOF)
        g_string_append_c(text, (char)c);
    assert_int_equal(pclose(p), 0);
    return g_string_free(text, FALSE);
}

/* A README's badges in a heading (web images, set as their alt text) do
 * not title its chapter: the contents, the outline, the EPUB's nav and
 * the running heads leave out a heading's pictures, unless they are all
 * it holds (a logo's alt text then names it). */
static void
test_badges_in_a_heading_do_not_title_its_chapter(void **state)
{
    tbook t;
    oc_layout *l;
    oc_error err = {0};
    GString *a = g_string_new("# safe-buffer [![travis](https://img.shields"
                              ".io/t.svg)](https://travis-ci.org/x) [![npm]"
                              "(https://img.shields.io/n.svg)]"
                              "(https://npmjs.org/x)\n\n");
    char path[256], *nav;
    int heads = 0, listed = 0;

    (void)state;
    tbook_init(&t);
    for (int i = 0; i < 12; i++)
        lorem(a, 90, i);
    put_text(&t, "book.yaml", "title: Badges\nchapters: [a.md, b.md]\n");
    put_text(&t, "a.md", a->str);
    put_text(&t, "b.md", "# ![Logo Name](https://example.org/logo.svg)\n\n"
             "Text.\n");
    g_string_free(a, TRUE);
    tbook_load(&t);
    assert_string_equal(t.book->chapters[0].toc_title, "safe-buffer");
    assert_string_equal(t.book->chapters[1].toc_title, "Logo Name");
    l = lay_out(&t);
    for (size_t i = 0; i < P(l)->noutline; i++) {
        listed += strcmp(P(l)->outline[i].title, "safe-buffer") == 0 ||
                  strcmp(P(l)->outline[i].title, "Logo Name") == 0;
        assert_null(strstr(P(l)->outline[i].title, "travis"));
    }
    assert_int_equal(listed, 2);
    for (size_t i = P(l)->nfront; i < P(l)->npages; i++) {
        const oc_page *p = &P(l)->pages[i];
        char *head;

        if (!p->recto || p->opening || p->blank ||
            (head = running_head(l, p)) == NULL)
            continue;
        assert_string_equal(head, "safe-buffer");
        heads++;
        g_free(head);
    }
    assert_true(heads > 0);
    oc_layout_free(l);
    snprintf(path, sizeof path, "%s/out.epub", t.dir);
    assert_int_equal(oc_book_write_epub(t.book, path, &err), OC_OK);
    nav = epub_entry(path, "EPUB/nav.xhtml");
    assert_non_null(strstr(nav, ">safe-buffer</a>"));
    assert_non_null(strstr(nav, ">Logo Name</a>"));
    assert_null(strstr(nav, "travis"));
    g_free(nav);
    tbook_free(&t);
}

/* A link to a heading by the name GitHub or pandoc gives it (not
 * octavo's) reaches the heading, in its chapter and from another. */
static void
test_links_by_github_names_reach_their_headings(void **state)
{
    tbook t;
    GString *hrefs = g_string_new(NULL);
    xmlNodePtr root;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Slugs\nchapters: [a.md, b.md]\n");
    put_text(&t, "a.md", "# Guide\n\n[sep](#pathsep), [unix](#linuxunix), "
             "[one](#1-automatic-installer), [dot](#v1.2-notes), "
             "[again](#usage-1), [there](b.md#linuxunix).\n\n"
             "## `path.sep`\n\n## Linux/Unix\n\n## 1. Automatic installer"
             "\n\n## v1.2 notes\n\n## Usage\n\n## Usage\n");
    put_text(&t, "b.md", "# B\n\n## Linux/Unix\n\nText.\n");
    tbook_load(&t);
    root = xmlDocGetRootElement(t.book->chapters[0].doc);
    append_hrefs(hrefs, oc_xhtml_find(root, "p"));
    assert_string_equal(hrefs->str, "#path-sep #linux-unix "
                        "#s-1-automatic-installer #v1-2-notes #usage-2 "
                        "b.xhtml#linux-unix-2 ");
    g_string_free(hrefs, TRUE);
    tbook_free(&t);
}

/* A link that shows only a permalink's mark and goes nowhere (pandoc's
 * Markdown of a Texinfo manual keeps the mark and loses its target) is
 * removed with its mark; another link to nowhere keeps its text, and a
 * badge (a picture) keeps its picture. */
static void
test_permalink_marks_to_nowhere_go(void **state)
{
    tbook t;
    xmlChar *p;
    xmlNodePtr root;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Marks\nchapters: [a.md]\n");
    put_text(&t, "a.md", "# A\n\n'`-DFIXPT`' [\xc2\xb6](#index-fixpt)\\\n"
             "next [word](#gone) [![b](b.svg)](#none).\n");
    put_text(&t, "b.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" "
             "width=\"8\" height=\"8\"><rect width=\"8\" height=\"8\"/>"
             "</svg>\n");
    tbook_load(&t);
    root = xmlDocGetRootElement(t.book->chapters[0].doc);
    p = xmlNodeGetContent(oc_xhtml_find(root, "p"));
    assert_null(strstr((const char *)p, "\xc2\xb6"));
    assert_non_null(strstr((const char *)p, "next word ."));
    assert_non_null(oc_xhtml_find(oc_xhtml_find(root, "p"), "img"));
    assert_null(oc_xhtml_find(oc_xhtml_find(root, "p"), "a"));
    xmlFree(p);
    tbook_free(&t);
}

/* Every warning told, one a line. */
static void
hear_warning(const char *file, int line, int col, const char *msg,
             void *ctx)
{
    (void)file;
    (void)line;
    (void)col;
    g_string_append_printf(ctx, "%s\n", msg);
}

/* A link to no chapter is warned about by its whole target: pandoc and
 * cmark-gfm read [text]((#rules)) as a link to "(#rules)", which the
 * warning called "(". */
static void
test_link_to_no_chapter_is_quoted_whole(void **state)
{
    tbook t;
    GString *heard = g_string_new(NULL);
    oc_options opt = { .data_dir = ".", .warn = hear_warning,
                       .warn_ctx = heard };
    oc_error err = {0};
    char path[256];

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Links\nchapters: [a.md]\n");
    put_text(&t, "a.md", "# A\n\nSee [the rules]((#rules)) and "
             "[b](b.md#x).\n\n## Rules\n");
    snprintf(path, sizeof path, "%s/book.yaml", t.dir);
    assert_int_equal(oc_book_load(path, &opt, &t.book, &err), OC_OK);
    assert_non_null(strstr(heard->str, "link to '(#rules)', which is not "
                           "a chapter of the book"));
    assert_non_null(strstr(heard->str, "link to 'b.md#x', which is not "
                           "a chapter of the book"));
    g_string_free(heard, TRUE);
    tbook_free(&t);
}

/* A link "#name" that its own chapter does not hold reaches what
 * another chapter has of that name (pandoc reads a book's files as one
 * document): an id first, else a heading by GitHub's or pandoc's name;
 * one that no chapter holds goes, its text kept. */
static void
test_fragment_links_reach_other_chapters(void **state)
{
    tbook t;
    GString *hrefs = g_string_new(NULL);
    xmlNodePtr root, p;
    xmlChar *text;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Frags\nchapters: [a.md, b.md]\n");
    put_text(&t, "a.md", "# Guide\n\n[id](#usage-notes), [gh](#linuxunix), "
             "[own](#usage), [none](#nowhere).\n\n## Usage\n");
    put_text(&t, "b.md", "# B\n\n## Linux/Unix\n\n"
             "<p id=\"usage-notes\">Text.</p>\n");
    tbook_load(&t);
    root = xmlDocGetRootElement(t.book->chapters[0].doc);
    p = oc_xhtml_find(root, "p");
    append_hrefs(hrefs, p);
    assert_string_equal(hrefs->str, "b.xhtml#usage-notes "
                        "b.xhtml#linux-unix #usage ");
    text = xmlNodeGetContent(p);
    assert_non_null(strstr((const char *)text, "none"));
    xmlFree(text);
    g_string_free(hrefs, TRUE);
    tbook_free(&t);
}

/* Obsidian's links name notes by their file names alone, in whatever
 * folder: [[B Note#Sub]] reaches notes/B Note.md's heading; a name two
 * chapters share reaches neither (the link goes, its words stay). */
static void
test_wikilinks_reach_notes_by_name(void **state)
{
    tbook t;
    xmlNodePtr p;
    xmlChar *v, *text;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Vault\nchapters: [a.md, "
             "\"notes/B Note.md\", x/c.md, y/c.md]\n");
    put_text(&t, "a.md", "# A\n\nSee [[B Note#Sub]] and [[c]].\n");
    put_text(&t, "notes/B Note.md", "# B\n\n## Sub\n\nText.\n");
    put_text(&t, "x/c.md", "# C one\n");
    put_text(&t, "y/c.md", "# C two\n");
    tbook_load(&t);
    p = oc_xhtml_find(xmlDocGetRootElement(t.book->chapters[0].doc), "p");
    v = xmlGetProp(oc_xhtml_find(p, "a") != NULL ? oc_xhtml_find(p, "a")
                                                 : p, BAD_CAST "href");
    assert_non_null(v);
    assert_non_null(strstr((const char *)v, ".xhtml#sub"));
    assert_int_equal(strncmp((const char *)v, t.book->chapters[1].href,
                             strlen(t.book->chapters[1].href)), 0);
    xmlFree(v);
    text = xmlNodeGetContent(p);
    assert_string_equal((const char *)text, "See B Note \u203A Sub and c.");
    xmlFree(text);
    tbook_free(&t);
}

/* A stylesheet's selector by epub:type (Standard Ebooks') is one by
 * data-epub-type in the book, and the elements with an epub:type carry
 * that too: in the EPUB's stylesheet and chapters, and in the PDF, where
 * the rule still applies. */
static void
test_epub_type_selectors_select_by_data_attribute(void **state)
{
    tbook t;
    oc_layout *l;
    xmlNodePtr sec;
    xmlChar *v;
    const oc_item *it;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: Poems\nstylesheets: [s.css]\n"
             "chapters: [a.xhtml]\n");
    put_text(&t, "s.css", "@namespace epub \"http://www.idpf.org/2007/ops\";"
             "\n[epub|type~=\"z3998:poem\"] p { text-align: right; }\n");
    put_text(&t, "a.xhtml", "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
             "xmlns:epub=\"http://www.idpf.org/2007/ops\"><head><title>A"
             "</title></head><body><h1>A</h1><section epub:type=\"z3998:poem"
             "\"><p>Verse.</p></section><p>Prose text that fills the line "
             "from its left edge.</p></body></html>");
    tbook_load(&t);
    assert_non_null(strstr(t.book->styles[t.book->nstyles - 1].data,
                           "[data-epub-type~=\"z3998:poem\"] p"));
    sec = oc_xhtml_find(xmlDocGetRootElement(t.book->chapters[0].doc),
                        "section");             /* the chapter's own */
    v = xmlGetProp(sec, BAD_CAST "data-epub-type");
    assert_string_equal((const char *)v, "chapter");
    xmlFree(v);
    sec = oc_xhtml_find(sec, "section");        /* the poem */
    v = xmlGetProp(sec, BAD_CAST "data-epub-type");
    assert_string_equal((const char *)v, "z3998:poem");
    xmlFree(v);
    l = lay_out(&t);
    it = find_text(&P(l)->pages[page_of_text(l, "Verse.")], "Verse.");
    assert_non_null(it);
    /* Set flush right: it ends at the measure's end, far from its left. */
    assert_true(it->x > 100);
    oc_layout_free(l);
    tbook_free(&t);
}

/* A figure taller than a page (a long listing and its caption) is no
 * page float, which could only overflow the page it heads: it goes on in
 * the text and breaks across pages, every line within the text block. */
static void
test_figure_taller_than_a_page_breaks_across_pages(void **state)
{
    tbook t;
    GString *a = g_string_new("# Listing\n\nBefore it.\n\n<figure>\n"
                              "<pre><code>");
    oc_layout *l;
    long first, last, cap;
    const oc_item *it;

    (void)state;
    for (int i = 1; i <= 80; i++)
        g_string_append_printf(a, "line %d\n", i);
    g_string_append(a, "</code></pre>\n<figcaption>The long listing"
                       "</figcaption>\n</figure>\n\nAfter it.\n");
    tbook_init(&t);
    put_copy(&t, "book.css", "styles/book.css");
    put_text(&t, "extra.css", "figure { float: top-if-necessary; }\n");
    put_text(&t, "book.yaml", "title: Listing\n"
             "stylesheet: [book.css, extra.css]\nchapters: [a.md]\n");
    put_text(&t, "a.md", a->str);
    g_string_free(a, TRUE);
    tbook_load(&t);
    l = lay_out(&t);
    first = page_of_text(l, "line 1");
    last = page_of_text(l, "line 80");
    cap = page_of_text(l, "The long listing");
    assert_true(first >= 0 && last > first);
    /* In its place: right after the text before it. */
    assert_int_equal(first, page_of_text(l, "Before it."));
    assert_true(cap >= last);
    it = find_text(&P(l)->pages[cap], "The long listing");
    assert_non_null(it);
    assert_true(it->y <= P(l)->setup.height - P(l)->setup.bottom + 0.01);
    for (long p = first; p <= cap; p++) {
        double minx, maxy;

        text_extent(l, &P(l)->pages[p], &minx, &maxy);
        assert_true(maxy > 0);
    }
    oc_layout_free(l);
    tbook_free(&t);
}

/* In a book written from right to left a nested list is indented from
 * the right, where its lines start: its item ends further left. */
static void
test_nested_list_right_to_left_indents_from_the_right(void **state)
{
    tbook t;
    oc_layout *l;
    const oc_page *pg;
    const oc_item *one, *two;

    (void)state;
    tbook_init(&t);
    put_text(&t, "book.yaml", "title: R\nlanguage: ar\nchapters: [a.md]\n");
    put_text(&t, "a.md", "# \xd8\xb9\n\n* \xd8\xa3\xd9\x88\xd9\x84\n"
             "  * \xd8\xab\xd8\xa7\xd9\x86\n");
    tbook_load(&t);
    l = lay_out(&t);
    pg = &P(l)->pages[page_of_text(l, "\xd8\xa3\xd9\x88\xd9\x84")];
    one = find_text(pg, "\xd8\xa3\xd9\x88\xd9\x84");
    two = find_text(pg, "\xd8\xab\xd8\xa7\xd9\x86");
    assert_non_null(one);
    assert_non_null(two);
    /* About 1.5em (of 11 pt) further from the right edge. */
    assert_true(one->x + one->para->width - (two->x + two->para->width) >
                10);
    oc_layout_free(l);
    tbook_free(&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chapters_open_on_rectos_after_blank_versos),
        cmocka_unit_test(test_number_and_marker_open_the_first_paragraph),
        cmocka_unit_test(test_list_markers_are_set_once_per_font_and_text),
        cmocka_unit_test(test_front_matter_is_roman_and_body_arabic),
        cmocka_unit_test(test_contents_folios_are_right_when_it_runs_to_pages),
        cmocka_unit_test(
            test_running_heads_name_book_on_versos_and_chapter_on_rectos),
        cmocka_unit_test(test_images_are_decoded_once_and_fitted),
        cmocka_unit_test(
            test_image_from_the_root_is_read_from_the_book_folder),
        cmocka_unit_test(test_wide_image_shrinks_to_the_measure),
        cmocka_unit_test(test_table_head_repeats_after_a_page_break),
        cmocka_unit_test(test_table_row_taller_than_a_page_is_sliced),
        cmocka_unit_test(test_svg_link_to_a_chapter_is_set_in_place),
        cmocka_unit_test(
            test_chapter_links_with_a_colon_in_the_fragment_are_rewritten),
        cmocka_unit_test(test_contents_list_chapters_of_deep_headings),
        cmocka_unit_test(test_front_matter_title_titles_a_chapter_without_h1),
        cmocka_unit_test(test_badges_in_a_heading_do_not_title_its_chapter),
        cmocka_unit_test(test_links_by_github_names_reach_their_headings),
        cmocka_unit_test(test_permalink_marks_to_nowhere_go),
        cmocka_unit_test(test_fragment_links_reach_other_chapters),
        cmocka_unit_test(test_link_to_no_chapter_is_quoted_whole),
        cmocka_unit_test(test_wikilinks_reach_notes_by_name),
        cmocka_unit_test(test_epub_type_selectors_select_by_data_attribute),
        cmocka_unit_test(test_figure_taller_than_a_page_breaks_across_pages),
        cmocka_unit_test(test_nested_list_right_to_left_indents_from_the_right),
        cmocka_unit_test(test_squeezed_table_keeps_numbers_whole),
        cmocka_unit_test(test_too_wide_table_breaks_only_its_widest_columns),
        cmocka_unit_test(
            test_figure_that_does_not_fit_floats_to_the_next_page),
        cmocka_unit_test(test_no_word_is_cut_across_a_page_turn),
        cmocka_unit_test(test_word_at_a_turn_kept_whole_in_as_many_lines),
        cmocka_unit_test(test_russian_word_at_a_turn_kept_whole),
        cmocka_unit_test(test_facing_pages_end_level),
        cmocka_unit_test(test_verso_faces_a_recto_of_notes_level),
        cmocka_unit_test(test_quoted_letters_and_headings_end_level),
        cmocka_unit_test(test_long_code_lines_wrap_with_a_mark),
        cmocka_unit_test(test_code_wraps_at_its_run_of_spaces),
        cmocka_unit_test(test_list_in_a_cell_keeps_its_markers),
        cmocka_unit_test(test_only_tables_of_data_are_ruled),
        cmocka_unit_test(
            test_code_first_word_after_a_deep_indent_stays_whole),
        cmocka_unit_test(test_code_word_after_a_deep_indent_stays_whole),
        cmocka_unit_test(test_heading_line_break_is_a_space_in_the_outline),
        cmocka_unit_test(test_inline_image_given_a_size_keeps_it),
        cmocka_unit_test(
            test_chapter_without_heading_is_listed_by_its_first_words),
        cmocka_unit_test(
            test_code_and_cells_are_paragraph_lines_with_their_rules),
        cmocka_unit_test(
            test_running_heads_are_cut_at_a_word_and_name_each_chapter),
        cmocka_unit_test(
            test_a_chapters_titlepage_div_does_not_head_the_versos),
        cmocka_unit_test(test_right_to_left_chapter_is_set_flush_right),
        cmocka_unit_test(test_manifest_fonts_reach_pango),
        cmocka_unit_test(test_page_limit_is_an_error_naming_the_manifest),
        cmocka_unit_test(test_preview_writes_the_chosen_pages),
        cmocka_unit_test(test_page_box_comes_from_at_page),
        cmocka_unit_test(test_page_size_keywords_and_landscape),
        cmocka_unit_test(test_first_pages_of_chapters_take_at_page_first),
        cmocka_unit_test(test_margin_boxes_show_counters_and_strings),
        cmocka_unit_test(test_named_strings_are_set_on_their_pages),
        cmocka_unit_test(test_stylesheet_changes_move_the_text),
        cmocka_unit_test(test_display_none_and_breaks_from_css),
        cmocka_unit_test(test_pages_reach_the_sink_as_they_are_final),
        cmocka_unit_test(test_long_chapter_is_cut_as_it_goes),
        cmocka_unit_test(test_long_chapter_keeps_its_links_forward),
        cmocka_unit_test(test_long_run_of_figures_is_cut_as_it_goes),
        cmocka_unit_test(test_link_to_a_table_cell_lands_on_its_row),
        cmocka_unit_test(test_painted_chapters_are_freed_as_the_layout_goes),
        cmocka_unit_test(test_chapters_of_one_file_are_freed_as_the_layout_goes),
        cmocka_unit_test(test_failed_layout_ends_its_sink_before_freeing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
