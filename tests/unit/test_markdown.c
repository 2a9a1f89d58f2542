/* test_markdown.c - chapters into XHTML: Markdown features, raw HTML,
 * XHTML/HTML import, ids, and the diagnostics for bad text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "highlight.h"
#include "markdown.h"
#include "md-int.h"
#include "xhtml.h"

static const char *css_hrefs[] = {"css/book.css"};
static const oc_doc_opts opts = {"en", NULL, "Book", css_hrefs, 1,
                                 "bodymatter", NULL, NULL, false};

static unsigned nwarn;
static char last_warning[512];
static int last_line, last_col;

static void
catch_warning(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)file;
    (void)ctx;
    nwarn++;
    last_line = line;
    last_col = col;
    snprintf(last_warning, sizeof last_warning, "%s", msg);
}

/* Convert 'text' and return the serialised document (arena memory). */
static char *
convert(void **state, const char *text, oc_chapter_format fmt)
{
    xmlDocPtr doc = NULL;
    oc_error err = {0};
    oc_idset *ids = oc_idset_new();
    size_t len;
    char *out;

    assert_int_equal(oc_chapter_convert(text, strlen(text), "ch.md", 1, fmt,
                                        &opts, &doc, &err), OC_OK);
    oc_xhtml_assign_ids(doc, ids, "ch.md");
    out = oc_xhtml_serialize(*state, doc, &len);
    xmlFreeDoc(doc);
    oc_idset_free(ids);
    return out;
}

static oc_error
convert_error(const char *text, size_t len, oc_chapter_format fmt)
{
    xmlDocPtr doc = NULL;
    oc_error err = {0};

    assert_int_not_equal(oc_chapter_convert(text, len, "ch.md", 1, fmt, &opts,
                                            &doc, &err), OC_OK);
    assert_null(doc);
    return err;
}

static int
setup(void **state)
{
    *state = oc_arena_new();
    nwarn = 0;
    last_warning[0] = '\0';
    oc_set_warn_handler(catch_warning, NULL);
    return 0;
}

static int
teardown(void **state)
{
    oc_set_warn_handler(NULL, NULL);
    oc_arena_free(*state);
    return 0;
}

#define HAS(s, sub) assert_non_null(strstr((s), (sub)))
#define LACKS(s, sub) assert_null(strstr((s), (sub)))

static void
test_skeleton_has_lang_title_stylesheet_and_chapter_section(void **state)
{
    char *x = convert(state, "Hello.\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
           "xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"en\" "
           "lang=\"en\">");
    HAS(x, "<title>Book</title>");
    HAS(x, "<link rel=\"stylesheet\" type=\"text/css\" href=\"css/book.css\"/>");
    HAS(x, "<section epub:type=\"chapter\" role=\"doc-chapter\"><p>Hello.</p>");
}

static void
test_headings_get_stable_unique_ids(void **state)
{
    char *x = convert(state, "# The Call\n\n## Paths\n\n## Paths\n\n"
                             "## 50 Minutes\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<h1 id=\"the-call\">The Call</h1>");
    HAS(x, "<h2 id=\"paths\">Paths</h2>");
    HAS(x, "<h2 id=\"paths-2\">Paths</h2>");
    HAS(x, "<h2 id=\"s-50-minutes\">50 Minutes</h2>");
}

static void
test_smart_punctuation(void **state)
{
    char *x = convert(state, "\"Quoted\" -- it's so...\n", OC_FORMAT_MARKDOWN);

    HAS(x, "\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x80\x93 it\xe2\x80\x99s so"
           "\xe2\x80\xa6");
}

static void
test_inline_markup(void **state)
{
    char *x = convert(state, "*em* **strong** `code` ~~del~~ "
                             "[link](http://example.com \"T\")  \nnext\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "<em>em</em> <strong>strong</strong> <code>code</code> "
           "<del>del</del> <a href=\"http://example.com\" title=\"T\">link</a>"
           "<br/>");
}

/* A raw tag of no HTML element is the text the author wrote (Vec<u8>,
 * Cell<T>); HTML's own, and an inline SVG's, stay elements. */
static void
test_raw_tags_of_no_element_stay_text(void **state)
{
    char *x = convert(state, "Vec<u8> and Cell<T>, <kbd>K</kbd> and "
                             "<svg width=\"4\" height=\"4\"><circle r=\"2\"/>"
                             "</svg> then Array<string>.\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "Vec&lt;u8&gt; and Cell&lt;T&gt;, <kbd>K</kbd> and ");
    HAS(x, "<circle r=\"2\"/>");
    HAS(x, " then Array&lt;string&gt;.");
    LACKS(x, "<u8");
    LACKS(x, "<string");
}

/* A script's or a style's text is text, whatever "</..." it holds, in an
 * HTML chapter and in raw HTML in Markdown. */
static void
test_script_text_is_no_markup(void **state)
{
    static const char *const chapter =
        "<html><head><title>T</title></head><body><h1>T</h1><div>Text. "
        "<script>var s = \"</div><h2>Leaked</h2>\";</script></div>"
        "<p>After.</p></body></html>";
    char *x = convert(state, chapter, OC_FORMAT_HTML);
    char *m = convert(state, "# T\n\n<div>Text. <script>var s = \"</div>"
                             "<h2>Leaked</h2>\";</script></div>\n\n"
                             "After.\n", OC_FORMAT_MARKDOWN);

    LACKS(x, "Leaked</h2>");
    HAS(x, "<p>After.</p>");
    LACKS(m, "Leaked</h2>");
    HAS(m, "<p>After.</p>");
}

/* An id written %-encoded (rustdoc's) is renamed, '%' made '-', and the
 * links to it follow: a link is read decoded and would find nothing. */
static void
test_percent_encoded_ids_are_renamed(void **state)
{
    char *x = convert(state, "<html><head><title>T</title></head><body>"
                             "<h2 id=\"deref-%5BT%5D\">Deref</h2><p><a "
                             "href=\"#deref-%5BT%5D\">there</a></p></body>"
                             "</html>", OC_FORMAT_HTML);

    HAS(x, "<h2 id=\"deref--5BT-5D\">Deref</h2>");
    HAS(x, "<a href=\"#deref--5BT-5D\">there</a>");
    LACKS(x, "%5B");
}

static void
test_autolink(void **state)
{
    char *x = convert(state, "See https://example.org now.\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "<a href=\"https://example.org\">https://example.org</a>");
}

static void
test_block_quote_and_lists(void **state)
{
    char *x = convert(state, "> quoted\n\n- a\n- b\n\n3. c\n4. d\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "<blockquote><p>quoted</p></blockquote>");
    HAS(x, "<ul><li>a</li><li>b</li></ul>");
    HAS(x, "<ol start=\"3\"><li>c</li><li>d</li></ol>");
}

static void
test_table_has_thead_and_alignment(void **state)
{
    char *x = convert(state, "| a | b |\n|:--|--:|\n| 1 | 2 |\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "<table><thead><tr><th scope=\"col\" style=\"text-align: left\">a"
           "</th><th scope=\"col\" style=\"text-align: right\">b</th></tr>"
           "</thead><tbody><tr><td style=\"text-align: left\">1</td>");
}

static void
test_fenced_code_keeps_language(void **state)
{
    char *x = convert(state, "```c\nint x < 1;\n```\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<pre><code class=\"language-c\"><span class=\"hl-type\">int</span>"
           " x &lt; <span class=\"hl-number\">1</span>;\n</code></pre>");
}

static void
test_code_is_highlighted_by_its_language_or_left_plain(void **state)
{
    char *x = convert(state, "```PY\ndef f(): return 'a'  # c\n```\n\n"
                             "```js\nconst a = 1;\n```\n\n"
                             "```sh\necho \"$HOME\"\n```\n\n"
                             "```klingon\nbIghHa' 'e'\n```\n\n"
                             "```diff\n-a\n+b\n```\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<code class=\"language-PY\"><span class=\"hl-keyword\">def</span> "
           "<span class=\"hl-function\">f</span>(): <span class=\"hl-keyword\">"
           "return</span> <span class=\"hl-string\">'a'</span>  <span "
           "class=\"hl-comment\"># c</span>\n</code>");
    HAS(x, "<span class=\"hl-keyword\">const</span>");
    HAS(x, "<span class=\"hl-function\">echo</span> <span "
           "class=\"hl-string\">\"</span>");
    HAS(x, "<code class=\"language-klingon\">bIghHa' 'e'\n</code>");
    HAS(x, "<span class=\"hl-deleted\">-a\n</span><span "
           "class=\"hl-inserted\">+b\n</span>");
    assert_int_equal(nwarn, 0);
}

/* The look-ahead readies the grammars its Markdown's fences name, in the
 * forms the converter reads (info word, {.class}, tildes, indent), and
 * no other; a block converted meanwhile waits for its grammar and is
 * highlighted as ever. */
static void
test_grammars_are_made_ready_ahead(void **state)
{
    static const char md[] = "Text.\n\n   ```rust\nfn main() {}\n```\n\n"
                             "~~~~ {.go .numberLines}\nfunc f() {}\n~~~~\n\n"
                             "`` `toml` ``\n\n    ```java\n";
    oc_highlight_ahead *a;
    char *x;

    assert_false(oc_highlight_is_ready("rust"));
    assert_false(oc_highlight_is_ready("go"));
    a = oc_highlight_ahead_start(NULL, 0, md, sizeof md - 1);
    assert_non_null(a);
    x = convert(state, "```rs\nfn main() {}\n```\n", OC_FORMAT_MARKDOWN);
    HAS(x, "<span class=\"hl-keyword\">fn</span> <span class=\"hl-function"
           "\">main</span>");
    oc_highlight_ahead_end(a);
    assert_true(oc_highlight_is_ready("rust"));
    assert_true(oc_highlight_is_ready("go"));
    assert_false(oc_highlight_is_ready("toml"));     /* a code span */
    assert_false(oc_highlight_is_ready("java"));     /* indented code */
}

static void
test_footnotes_become_epub_notes(void **state)
{
    char *x = convert(state, "Text[^a] and[^b] again[^a].\n\n[^a]: Note A.\n"
                             "[^b]: Note B.\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<a epub:type=\"noteref\" role=\"doc-noteref\" id=\"fnref1\" "
           "href=\"#fn1\"><sup>1</sup></a>");
    HAS(x, "id=\"fnref1-2\" href=\"#fn1\"");
    HAS(x, "<section epub:type=\"footnotes\" class=\"footnotes\">"
           "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn1\">"
           "<p><a href=\"#fnref1\" role=\"doc-backlink\" "
           "class=\"note-number\">1.</a> Note A.</p></aside>");
    HAS(x, "id=\"fn2\"><p><a href=\"#fnref2\" role=\"doc-backlink\" "
           "class=\"note-number\">2.</a> Note B.");
}

/* Foliate pages a right-to-left chapter only when the direction is set
 * below the body: on the chapter's section, never on html or body. */
static void
assert_dir_below_body(const char *x)
{
    const char *body = strstr(x, "<body");
    const char *dir = strstr(x, " dir=\"rtl\"");

    assert_non_null(body);
    assert_non_null(dir);
    assert_true(dir > strchr(body, '>'));      /* not on html, not on body */
}

static void
test_right_to_left_is_set_on_the_section_not_the_root(void **state)
{
    oc_doc_opts o = opts;
    xmlDocPtr doc = NULL;
    oc_error err = {0};
    const char md[] = "# Title\n\nText.\n";
    const char xh[] = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
                      "<p>One.</p><div>Two.</div></body></html>";
    size_t len;
    char *x;

    o.language = "he";
    o.dir = "rtl";
    assert_int_equal(oc_chapter_convert(md, strlen(md), "he.md", 1,
                                        OC_FORMAT_MARKDOWN, &o, &doc, &err),
                     OC_OK);
    x = oc_xhtml_serialize(*state, doc, &len);
    HAS(x, "<section epub:type=\"chapter\" role=\"doc-chapter\" "
           "dir=\"rtl\">");
    assert_dir_below_body(x);
    xmlFreeDoc(doc);
    doc = NULL;
    assert_int_equal(oc_chapter_convert(xh, strlen(xh), "he.xhtml", 1,
                                        OC_FORMAT_XHTML, &o, &doc, &err),
                     OC_OK);
    x = oc_xhtml_serialize(*state, doc, &len);
    assert_dir_below_body(x);
    xmlFreeDoc(doc);
}

/* An XHTML chapter without a heading (Standard Ebooks' epigraph) keeps
 * its own <title>, which names it in the contents; the book's title is
 * only the fallback. */
static void
test_xhtml_chapter_keeps_its_own_title(void **state)
{
    const char xh[] = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head>"
                      "<title>\n  Epigraph </title></head><body><section>"
                      "<blockquote><p>Did I request thee?</p></blockquote>"
                      "</section></body></html>";
    char *x = convert(state, xh, OC_FORMAT_XHTML);

    HAS(x, "<title>Epigraph </title>");
    assert_null(strstr(x, "<title>Book</title>"));
}

/* Ace asks each epub:type for its DPUB-ARIA role: a Standard Ebooks
 * epigraph section is doc-epigraph (not doc-chapter), a note reference
 * doc-noteref; a role the author gave stays. */
static void
test_epub_types_get_their_matching_roles(void **state)
{
    const char xh[] = "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                      "xmlns:epub=\"http://www.idpf.org/2007/ops\"><body>"
                      "<section epub:type=\"epigraph\"><p>Verse"
                      "<a href=\"#n\" epub:type=\"noteref\">1</a>"
                      "</p><div epub:type=\"dedication\" role=\"note\">"
                      "To W.</div><p id=\"n\">N.</p></section>"
                      "</body></html>";
    char *x = convert(state, xh, OC_FORMAT_XHTML);

    HAS(x, "<section epub:type=\"epigraph\" role=\"doc-epigraph\">");
    HAS(x, "epub:type=\"noteref\" role=\"doc-noteref\"");
    HAS(x, "epub:type=\"dedication\" role=\"note\"");
}

static void
test_note_ids_take_the_chapter_prefix(void **state)
{
    oc_doc_opts o = opts;
    xmlDocPtr doc = NULL;
    oc_error err = {0};
    const char text[] = "Text[^a].\n\n[^a]: Note.\n";
    size_t len;
    char *x;

    o.note_prefix = "c2-";
    assert_int_equal(oc_chapter_convert(text, strlen(text), "b.md", 1,
                                        OC_FORMAT_MARKDOWN, &o, &doc, &err),
                     OC_OK);
    x = oc_xhtml_serialize(*state, doc, &len);
    HAS(x, "id=\"c2-fnref1\" href=\"#c2-fn1\"");
    HAS(x, "id=\"c2-fn1\"><p><a href=\"#c2-fnref1\"");
    xmlFreeDoc(doc);
}

static void
test_thematic_break_and_figure(void **state)
{
    char *x = convert(state, "a\n\n***\n\n![A cat](cat.png \"The cat\")\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "<hr/>");
    HAS(x, "<figure><img src=\"cat.png\" alt=\"A cat\"/>"
           "<figcaption>The cat</figcaption></figure>");
}

/* Inline SVG and MathML as HTML writes them, in raw HTML and in an HTML
 * chapter: in their namespaces, SVG's names cased, xlink:href in XLink's
 * namespace, no prefixed copies of the namespaces on the root. */
static void
test_foreign_content_in_html(void **state)
{
    static const char svg[] =
        "<svg width=\"10\" height=\"10\" viewbox=\"0 0 20 20\">"
        "<defs><lineargradient id=\"g\"/></defs>"
        "<use xlink:href=\"#g\"/><foreignobject><p>x</p></foreignobject>"
        "</svg> <math><mi>x</mi></math>";
    const oc_chapter_format fmts[] = {OC_FORMAT_MARKDOWN, OC_FORMAT_HTML};

    for (size_t i = 0; i < 2; i++) {
        char text[512], *x;

        snprintf(text, sizeof text, i == 0 ? "A\n\n<p>%s</p>\n"
                 : "<html><body><p>%s</p></body></html>", svg);
        x = convert(state, text, fmts[i]);
        HAS(x, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" "
               "height=\"10\" viewBox=\"0 0 20 20\">");
        HAS(x, "<defs><linearGradient id=\"g\"/></defs>");
        HAS(x, "<use xlink:href=\"#g\"/>");
        HAS(x, "<foreignObject><p xmlns=\"http://www.w3.org/1999/xhtml\">"
               "x</p></foreignObject>");
        HAS(x, "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
               "<mi>x</mi></math>");
        LACKS(x, "default:");
        LACKS(x, "viewbox");
    }
}

/* A <br> in a Markdown table's cell is kept; <wbr> stays empty. */
static void
test_table_cell_raw_html(void **state)
{
    char *x = convert(state, "| a | b |\n|---|---|\n| x<br>y | p<wbr>q |\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "<td>x<br/>y</td>");
    HAS(x, "<td>p<wbr/>q</td>");
}

static void
test_raw_html_is_parsed_and_sanitised(void **state)
{
    char *x = convert(state, "<div class=\"x\" onclick=\"evil()\"><p>Hi<br>"
                             "</div>\n\nA <span>span</span> "
                             "<a href=\"javascript:alert(1)\">x</a>\n\n"
                             "<script>alert(1)</script>\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "<div class=\"x\"><p>Hi<br/></p></div>");
    HAS(x, "<p>A <span>span</span> <a>x</a></p>");
    LACKS(x, "script");
    LACKS(x, "onclick");
    LACKS(x, "javascript");
    assert_int_equal(nwarn, 3);
}

static void
test_xhtml_chapter_is_imported(void **state)
{
    char *x = convert(state,
                      "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/"
                      "1999/xhtml\"><head><title>x</title></head><body>"
                      "<h1>Imported</h1><p>Para &amp; more.</p></body></html>\n",
                      OC_FORMAT_XHTML);

    HAS(x, "<section epub:type=\"chapter\" role=\"doc-chapter\">"
           "<h1 id=\"imported\">Imported</h1><p>Para &amp; more.</p>");
    HAS(x, "<title>x</title>");     /* the chapter's own */
}

static void
test_html_chapter_is_normalised_to_xhtml(void **state)
{
    char *x = convert(state, "<html><body><h2>Loose<p>one<p>two<br>"
                             "<img src=a.png alt=A></body></html>",
                      OC_FORMAT_HTML);

    HAS(x, "<h2 id=\"loose\">Loose</h2><p>one</p><p>two<br/>"
           "<img src=\"a.png\" alt=\"A\"/></p>");
}

/* Emphasis given by class in a <style> of the head (Google Docs' export)
 * becomes elements around what the classes style: a later rule wins, a
 * span's own "normal" undoes its paragraph's bold, a list's items take
 * it one by one; fonts, sizes and margins of that stylesheet are not
 * kept. */
static void
test_html_emphasis_by_class_becomes_elements(void **state)
{
    char *x = convert(state,
        "<html><head><style type=\"text/css\">@import url('x.css');"
        ".c1{color:#000;font-weight:400;font-style:normal;font-family:\"Arial\"}"
        ".c3{font-weight:700}.c4{font-style:italic}"
        "/* a comment .c9{font-weight:700} */"
        "@media print{.c5{font-weight:700}}"
        "span.c6{text-decoration:underline;vertical-align:super}"
        ".c7{font-weight:bold}.c8{padding:72pt;max-width:468pt}"
        "</style></head><body class=\"c8\">"
        "<p><span class=\"c1\">plain </span><span class=\"c1 c3\">bold</span>"
        "<span class=\"c3 c1\"> also bold</span>"
        "<span class=\"c4\">slanted</span><span class=\"c6\">up</span></p>"
        "<p class=\"c7\">all bold <span class=\"c1\">but this</span></p>"
        "<ul class=\"c7\"><li>one</li><li>two</li></ul>"
        "<p class=\"c9 c5\">not bold</p></body></html>",
        OC_FORMAT_HTML);

    HAS(x, "<span class=\"c1\">plain </span>");
    HAS(x, "<span class=\"c1 c3\"><b>bold</b></span>");
    HAS(x, "<span class=\"c3 c1\"><b> also bold</b></span>");
    HAS(x, "<span class=\"c4\"><i>slanted</i></span>");
    HAS(x, "<span class=\"c6\"><u><sup>up</sup></u></span>");
    HAS(x, "<p class=\"c7\"><b>all bold </b><span class=\"c1\">but this</span></p>");
    HAS(x, "<li><b>one</b></li><li><b>two</b></li>");
    HAS(x, "<p class=\"c9 c5\">not bold</p>");
    LACKS(x, "<style");
    LACKS(x, "Arial");
}

/* Exported HTML's footnotes, two links that point at each other with
 * one short label, become octavo's noteref and footnote aside; links
 * that point at each other with longer text (a contents entry and its
 * heading) stay links. */
static void
test_html_note_links_become_footnotes(void **state)
{
    char *x = convert(state,
        "<html><body>"
        "<h1><a href=\"#toc\" id=\"h1\">A heading</a></h1>"
        "<p>Google Docs<sup><a href=\"#ftnt1\" id=\"ftnt_ref1\">[1]</a></sup>"
        " and Word<a href=\"#_ftn2\" name=\"_ftnref2\"><span>[2]</span></a>.</p>"
        "<p><a href=\"#h1\" id=\"toc\">A heading</a></p>"
        "<hr><div><p><a href=\"#ftnt_ref1\" id=\"ftnt1\">[1]</a> First note.</p></div>"
        "<div id=\"ftn2\"><p><a href=\"#_ftnref2\" name=\"_ftn2\">[2]</a> Second.</p></div>"
        "</body></html>", OC_FORMAT_HTML);

    HAS(x, "<sup><a href=\"#ftnt1\" id=\"ftnt_ref1\" epub:type=\"noteref\" "
           "role=\"doc-noteref\">1</a></sup>");
    HAS(x, "epub:type=\"noteref\" role=\"doc-noteref\" id=\"_ftnref2\"><sup>2</sup></a>");
    HAS(x, "<aside id=\"ftnt1\" epub:type=\"footnote\" role=\"doc-footnote\"><p>"
           "<a href=\"#ftnt_ref1\" role=\"doc-backlink\" class=\"note-number\">1.</a> First note.</p></aside>");
    HAS(x, "<aside id=\"_ftn2\" epub:type=\"footnote\" role=\"doc-footnote\"><p>"
           "<a href=\"#_ftnref2\" role=\"doc-backlink\" class=\"note-number\">2.</a> Second.</p></aside>");
    HAS(x, "<a href=\"#toc\" id=\"h1\">A heading</a>");
    LACKS(x, "[1]");
    LACKS(x, "<hr");                /* the rule above the notes alone */
}

/* The notes of HTML written from Markdown (pandoc's, kramdown's,
 * cmark-gfm's): a typed reference into the list of notes at the end, each
 * linking back, become octavo's footnotes (back-links and list gone, the
 * second reference to a note pointing at it too); a book's own notes
 * typed for EPUB stay as written. */
static void
test_html_endnotes_from_markdown_become_footnotes(void **state)
{
    char *x = convert(state,
        "<html><body>"
        "<p>Pandoc<a href=\"#fn1\" class=\"footnote-ref\" id=\"fnref1\" "
        "role=\"doc-noteref\"><sup>1</sup></a> kramdown<sup id=\"fnref:2\">"
        "<a href=\"#fn:2\" class=\"footnote\" rel=\"footnote\" "
        "role=\"doc-noteref\">2</a></sup> gfm<sup><a href=\"#fn-3\" "
        "id=\"fnref-3\" data-footnote-ref=\"\">3</a></sup> again"
        "<a href=\"#fn1\" class=\"footnote-ref\" id=\"fnref1-2\" "
        "role=\"doc-noteref\"><sup>1</sup></a> own<a href=\"#own\" "
        "epub:type=\"noteref\">4</a>.</p>"
        "<section class=\"footnotes\" role=\"doc-endnotes\"><hr/><ol>"
        "<li id=\"fn1\" role=\"doc-endnote\"><p>One.<a href=\"#fnref1\" "
        "class=\"footnote-back\" role=\"doc-backlink\">\xe2\x86\xa9</a></p>"
        "</li>\n<li id=\"fn:2\" role=\"doc-endnote\">\n  <p>Two.&#160;<a "
        "href=\"#fnref:2\" class=\"reversefootnote\">&#8617;</a></p>\n</li>"
        "<li id=\"fn-3\">Three, bare. <a href=\"#fnref-3\" "
        "data-footnote-backref=\"\">x</a></li></ol></section>"
        "<aside id=\"own\" epub:type=\"footnote\"><p>Own.</p></aside>"
        "</body></html>", OC_FORMAT_HTML);

    HAS(x, "<a href=\"#fn1\" id=\"fnref1\" role=\"doc-noteref\" "
           "epub:type=\"noteref\"><sup>1</sup></a>");
    HAS(x, "<sup><a href=\"#fn:2\" rel=\"footnote\" role=\"doc-noteref\" "
           "id=\"fnref:2\" epub:type=\"noteref\">2</a></sup>");
    HAS(x, "<section class=\"footnotes\" epub:type=\"footnotes\">"
           "<aside id=\"fn1\" epub:type=\"footnote\" role=\"doc-footnote\">"
           "<p><a href=\"#fnref1\" role=\"doc-backlink\" "
           "class=\"note-number\">1.</a> One.</p></aside>");
    HAS(x, "<a href=\"#fnref:2\" role=\"doc-backlink\" "
           "class=\"note-number\">2.</a> Two.</p>");
    HAS(x, "<aside id=\"fn-3\" epub:type=\"footnote\" role=\"doc-footnote\">"
           "<p><a href=\"#fnref-3\" role=\"doc-backlink\" "
           "class=\"note-number\">3.</a> Three, bare.</p></aside>");
    HAS(x, "id=\"fnref1-2\" role=\"doc-noteref\" epub:type=\"noteref\">");
    HAS(x, "<aside id=\"own\" epub:type=\"footnote\"");
    HAS(x, "own<a href=\"#own\" epub:type=\"noteref\"");
    LACKS(x, "<ol");
    LACKS(x, "<hr");
    LACKS(x, "doc-endnote");
    LACKS(x, "\xe2\x86\xa9");
}

static void
test_malformed_xhtml_is_an_error_with_its_line(void **state)
{
    const char text[] = "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n"
                        "<body>\n<p>open\n</body></html>\n";
    oc_error err;

    (void)state;
    err = convert_error(text, sizeof text - 1, OC_FORMAT_XHTML);
    assert_int_equal(err.code, OC_ERR_SYNTAX);
    assert_int_equal(err.line, 4);
    assert_true(err.col > 0);
    assert_non_null(strstr(err.msg, "mismatch"));
}

static void
test_invalid_utf8_has_line_and_column(void **state)
{
    const char text[] = "# Title\n\nabc \xc3\x28 def\n";
    oc_error err;

    (void)state;
    err = convert_error(text, sizeof text - 1, OC_FORMAT_MARKDOWN);
    assert_int_equal(err.code, OC_ERR_SYNTAX);
    assert_string_equal(err.file, "ch.md");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 5);
}

static void
test_nul_byte_is_an_error(void **state)
{
    const char text[] = "abc\n\0def\n";
    oc_error err;

    (void)state;
    err = convert_error(text, sizeof text - 1, OC_FORMAT_MARKDOWN);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
    assert_string_equal(err.msg, "NUL byte in text");
}

static void
test_overlong_utf8_is_rejected(void **state)
{
    const char text[] = "ab\xc0\xafz\n";
    oc_error err;

    (void)state;
    err = convert_error(text, sizeof text - 1, OC_FORMAT_MARKDOWN);
    assert_int_equal(err.col, 3);
}

static void
test_deep_nesting_is_refused(void **state)
{
    char text[400];
    oc_error err;

    (void)state;
    memset(text, '>', 100);
    strcpy(text + 100, " deep\n");
    err = convert_error(text, strlen(text), OC_FORMAT_MARKDOWN);
    assert_int_equal(err.code, OC_ERR_INVALID);
    assert_int_equal(err.line, 1);
}

/* Chapters a.md and b.md converted, their ids taken from one table. */
static oc_idset *
convert_two(const char *a, const char *b, xmlDocPtr *da, xmlDocPtr *db)
{
    oc_error err = {0};
    oc_idset *ids = oc_idset_new();

    assert_int_equal(oc_chapter_convert(a, strlen(a), "a.md", 1,
                                        OC_FORMAT_MARKDOWN, &opts, da, &err),
                     OC_OK);
    assert_int_equal(oc_chapter_convert(b, strlen(b), "b.md", 1,
                                        OC_FORMAT_MARKDOWN, &opts, db, &err),
                     OC_OK);
    oc_xhtml_assign_ids(*da, ids, "a.md");
    oc_xhtml_assign_ids(*db, ids, "b.md");
    return ids;
}

static void
test_ids_unique_across_chapters_and_links_follow(void **state)
{
    xmlDocPtr da = NULL, db = NULL;
    oc_idset *ids = convert_two("# Intro\n", "# Intro\n\n[self](#intro)\n",
                                &da, &db);
    size_t len;
    char *x;

    x = oc_xhtml_serialize(*state, db, &len);
    HAS(x, "<h1 id=\"intro-2\">Intro</h1><p><a href=\"#intro-2\">self</a>");
    xmlFreeDoc(da);
    xmlFreeDoc(db);
    oc_idset_free(ids);
}

/* The warning of an id renamed quotes the start of a long one, so that
 * what it says is never cut off; an id too long is said to be so. */
static void
test_long_id_renamed_is_quoted_short(void **state)
{
    char text[700];
    char *x;

    memcpy(text, "<p id=\"", 7);
    memset(text + 7, 'a', 600);
    strcpy(text + 607, "\">one</p>\n");
    x = convert(state, text, OC_FORMAT_MARKDOWN);
    HAS(x, "<p id=\"aaaa");
    assert_int_equal(nwarn, 1);
    assert_string_equal(last_warning,
                        "id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is "
                        "too long; renamed "
                        "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
}

/* A renamed id is renamed in every reference the chapter makes to it:
 * a label's for, ARIA's lists, an SVG's url(#…) and href; a name of no
 * element goes from the list, and an attribute left naming none goes. */
static void
test_references_follow_renamed_ids(void **state)
{
    xmlDocPtr da = NULL, db = NULL;
    oc_idset *ids = convert_two(
        "# A\n\n<p id=\"menu\">m</p>\n\n<p id=\"grad\">g</p>\n",
        "# B\n\n<p><label for=\"menu\">Menu</label> <input "
        "type=\"checkbox\" id=\"menu\"></p>\n\n<p aria-controls=\"nowhere "
        "menu\" aria-describedby=\"nowhere\">x</p>\n\n<svg "
        "xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
        "<defs><linearGradient id=\"grad\"><stop offset=\"0\" "
        "stop-color=\"red\"/></linearGradient></defs><rect width=\"10\" "
        "height=\"10\" fill=\"url(#grad)\" stroke=\"url('#grad')\"/>"
        "<use href=\"#grad\"/></svg>\n\n<p><math "
        "xmlns=\"http://www.w3.org/1998/Math/MathML\"><mo form=\"prefix\">"
        "(</mo></math></p>\n",
        &da, &db);
    size_t len;
    char *x;

    x = oc_xhtml_serialize(*state, db, &len);
    HAS(x, "<label for=\"menu-2\">");
    HAS(x, "id=\"menu-2\"");
    HAS(x, "<p aria-controls=\"menu-2\">x</p>");
    HAS(x, "<linearGradient id=\"grad-2\">");
    HAS(x, "fill=\"url(#grad-2)\" stroke=\"url('#grad-2')\"");
    HAS(x, "<use href=\"#grad-2\"/>");
    assert_null(strstr(x, "nowhere"));
    HAS(x, "<mo form=\"prefix\">(</mo>");     /* MathML's, no reference */
    xmlFreeDoc(da);
    xmlFreeDoc(db);
    oc_idset_free(ids);
}

static void
test_format_from_file_name(void **state)
{
    (void)state;
    assert_int_equal(oc_chapter_format_of("a/b.md"), OC_FORMAT_MARKDOWN);
    assert_int_equal(oc_chapter_format_of("b.xhtml"), OC_FORMAT_XHTML);
    assert_int_equal(oc_chapter_format_of("b.html"), OC_FORMAT_HTML);
    assert_int_equal(oc_chapter_format_of("CH1.MD"), OC_FORMAT_MARKDOWN);
    assert_int_equal(oc_chapter_format_of("B.Htm"), OC_FORMAT_HTML);
    assert_int_equal(oc_chapter_format_of("b.txt"), -1);
    assert_int_equal(oc_chapter_format_of("dir.md/b"), -1);
}

/* ---- pandoc's attributes, spans, definition and task lists ---- */

/* The body of 'text' converted in language 'lang' (arena memory). */
static char *
convert_lang(void **state, const char *text, const char *lang)
{
    oc_doc_opts o = opts;
    xmlDocPtr doc = NULL;
    oc_error err = {0};
    oc_idset *ids = oc_idset_new();
    size_t len;
    char *out, *body;

    o.language = lang;
    assert_int_equal(oc_chapter_convert(text, strlen(text), "ch.md", 1,
                                        OC_FORMAT_MARKDOWN, &o, &doc, &err),
                     OC_OK);
    oc_xhtml_assign_ids(doc, ids, "ch.md");
    out = oc_xhtml_serialize(*state, doc, &len);
    xmlFreeDoc(doc);
    oc_idset_free(ids);
    body = strstr(out, "role=\"doc-chapter\">");
    assert_non_null(body);
    return body + strlen("role=\"doc-chapter\">");
}

static void
test_attributes_on_heading_feed_the_id_table(void **state)
{
    xmlDocPtr da = NULL, db = NULL;
    oc_idset *ids = convert_two("# One {#shared .big}\n",
                                "# Two {#shared}\n\n[back](#shared)\n",
                                &da, &db);
    size_t len;
    char *x;

    assert_true(oc_idset_has(ids, "shared"));
    x = oc_xhtml_serialize(*state, da, &len);
    HAS(x, "<h1 id=\"shared\" class=\"big\">One</h1>");
    x = oc_xhtml_serialize(*state, db, &len);
    HAS(x, "<h1 id=\"shared-2\">Two</h1><p><a href=\"#shared-2\">back</a>");
    xmlFreeDoc(da);
    xmlFreeDoc(db);
    oc_idset_free(ids);
}

static void
test_braces_that_are_not_attributes_stay_text(void **state)
{
    char *x = convert_lang(state,
                           "# Title \\{#no}\n\n`a {.b}` \\[c]{.d} "
                           "[e]{f} {x} `g`\\{.h}\n\n"
                           "```\n{.i}\n```\n", "en");

    HAS(x, "<h1 id=\"title-no\">Title {#no}</h1>");
    HAS(x, "<p><code>a {.b}</code> [c]{.d} [e]{f} {x} <code>g</code>{.h}"
           "</p>");
    HAS(x, "<pre><code>{.i}\n</code></pre>");
    assert_int_equal(nwarn, 0);
}

static void
test_spans_links_images_and_code_take_attributes(void **state)
{
    char *x = convert_lang(state,
                           "[Caps]{.smallcaps} [l](x.html){#k rel=next} "
                           "`c`{.c} ![i](i.png){width=50% data-x=1}\n",
                           "en");

    HAS(x, "<span class=\"smallcaps\">Caps</span> <a href=\"x.html\" "
           "id=\"k\" rel=\"next\">l</a> <code class=\"c\">c</code> "
           "<img src=\"i.png\" alt=\"i\" style=\"width: 50%\" "
           "data-x=\"1\"/>");
}

static void
test_an_id_that_is_no_xml_name_is_made_one_with_a_warning(void **state)
{
    char *x = convert_lang(state, "## Two {#2nd}\n", "en");

    HAS(x, "<h2 id=\"id-2nd\">Two</h2>");
    assert_int_equal(nwarn, 1);
    assert_int_equal(last_line, 1);
}

static void
test_fence_attributes_give_language_and_id(void **state)
{
    char *x = convert_lang(state, "```{.c #l1 .small}\nint x;\n```\n",
                           "en");

    HAS(x, "<pre id=\"l1\" class=\"small\"><code class=\"language-c\">");
}

static void
test_definition_and_task_lists(void **state)
{
    char *x = convert_lang(state, "Term\n: Def\n\n- [ ] open\n- [x] done\n",
                           "en");

    HAS(x, "<dl><dt>Term</dt><dd>Def</dd></dl>");
    HAS(x, "<ul class=\"task-list\"><li class=\"task\"><span "
           "class=\"task-box\">\xe2\x98\x90</span> open</li><li "
           "class=\"task done\"><span class=\"task-box\">\xe2\x98\x91"
           "</span> done</li></ul>");
}

/* pandoc's fancy list markers: letters (a capital and a period need two
 * spaces: "B. Russell" stays text), roman numerals, '#.', parenthesised
 * numbers, example items numbered through the chapter and cited by
 * label; each kind its own list, a list of cmark-gfm's own after them
 * too; '~' for a definition. Code is left alone. */
static void
test_pandoc_fancy_lists(void **state)
{
    char *x = convert_lang(state,
        "A.  First\nB.  Second\n\nB. Russell wrote it.\n\n"
        "i. one\nii. two\niv. four\n\n(c) third\n(d) fourth\n\n"
        "#. auto\n#. auto\n\n(@) Example.\n(@ok) Labelled, see (@ok).\n\n"
        "3) three\n4) four\n\nAs (@ok) shows.\n\n"
        "Term\n~ Definition\n\n```\nA.  not a list\n```\n", "en");

    HAS(x, "<ol type=\"A\"><li>First</li><li>Second</li></ol>");
    HAS(x, "<p>B. Russell wrote it.</p>");
    HAS(x, "<ol type=\"i\"><li>one</li><li>two</li><li>four</li></ol>");
    HAS(x, "<ol type=\"a\" start=\"3\"><li>third</li><li>fourth</li></ol>");
    HAS(x, "<ol><li>auto</li><li>auto</li></ol>");
    HAS(x, "<ol class=\"example\"><li>Example.</li><li>Labelled, see (2).</li></ol>");
    HAS(x, "<ol start=\"3\"><li>three</li><li>four</li></ol>");
    HAS(x, "<p>As (2) shows.</p>");
    HAS(x, "<dl><dt>Term</dt><dd>Definition</dd></dl>");
    HAS(x, "<code>A.  not a list\n</code>");
}

static void
test_quotes_follow_the_language(void **state)
{
    const char text[] = "\"A\" 'b' it's\n";

    HAS(convert_lang(state, text, "en"), "\xe2\x80\x9c" "A\xe2\x80\x9d "
        "\xe2\x80\x98" "b\xe2\x80\x99 it\xe2\x80\x99s");
    HAS(convert_lang(state, text, "fr-CA"), "\xc2\xab\xe2\x80\xaf" "A"
        "\xe2\x80\xaf\xc2\xbb \xe2\x80\x9c" "b\xe2\x80\x9d it\xe2\x80\x99s");
    HAS(convert_lang(state, text, "de"), "\xe2\x80\x9e" "A\xe2\x80\x9c "
        "\xe2\x80\x9a" "b\xe2\x80\x98 it\xe2\x80\x99s");
    HAS(convert_lang(state, text, "ja"), "\xe3\x80\x8c" "A\xe3\x80\x8d "
        "\xe3\x80\x8e" "b\xe3\x80\x8f");
    /* a span's language is that of its quotes */
    HAS(convert_lang(state, "\"a\" [\"b\"]{lang=de}\n", "en"),
        "\xe2\x80\x9c" "a\xe2\x80\x9d <span lang=\"de\" xml:lang=\"de\">"
        "\xe2\x80\x9e" "b\xe2\x80\x9c</span>");
}

/* pandoc's Markdown that cmark-gfm does not read: a YAML block at the
 * top, fenced divs (nested, with attributes or a class word), an HTML
 * block left open that takes the blocks after it, inline notes, super-
 * and subscripts, line blocks, raw HTML and a page break; code and math
 * untouched; a warning after them still at its own line. */
static void
test_pandoc_markdown(void **state)
{
    char *x = convert(state,
        "---\ntitle: T\nauthor: A\n---\n\n"                     /* 1-5 */
        "::: {#box .note lang=fr}\nOne.\n\n:::: inner\nTwo.\n::::\n:::\n" /* 6-12 */
        "\n<details><summary>S</summary>\n\nHidden *x*.\n\n</details>\n" /* 13-18 */
        "\nA note^[Said *here*,\nover two lines.] and 2^10^, H~2~O, "
        "`a^b^` $x^2^$.\n\n"                                          /* 19-22 */
        "| verse one\n|   two\n\n"                                    /* 23-25 */
        "```{=html}\n<aside>raw</aside>\n```\n\n\\newpage\n\n"       /* 26-31 */
        "```\n::: not a div\n^[not a note]\n```\n\n[TOC]\n",          /* 32-37 */
        OC_FORMAT_MARKDOWN);

    LACKS(x, "title: T");
    LACKS(x, "<hr");
    HAS(x, "<div id=\"box\" class=\"note\" lang=\"fr\" xml:lang=\"fr\">");
    HAS(x, "<p>One.</p><div class=\"inner\">");
    HAS(x, "<p>Two.</p></div></div>");
    HAS(x, "<details><summary>S</summary>");
    HAS(x, "<p>Hidden <em>x</em>.</p></details>");
    HAS(x, "A note<a epub:type=\"noteref\"");
    HAS(x, "Said <em>here</em>, over two lines.");
    HAS(x, "2<sup>10</sup>, H<sub>2</sub>O, <code>a^b^</code> $x^2^$.");
    HAS(x, "<div class=\"line-block\">");
    HAS(x, "verse one<br/>");
    HAS(x, "<aside>raw</aside>");
    HAS(x, "<div class=\"page-break\" style=\"break-after: page\"/>");
    HAS(x, "::: not a div\n^[not a note]");
    assert_int_equal(last_line, 37);     /* [TOC]'s warning */
    HAS(last_warning, "contents marker");
}

/* Hugo's TOML front matter between "+++" lines is left out as a YAML
 * block is, a warning after it still at its own line; "+++" lines
 * without a key between them stay text. */
static void
test_toml_front_matter(void **state)
{
    char *x = convert(state,
        "+++\ntitle = \"Part\"\ndraft = false\n+++\n\n"       /* 1-5 */
        "# Part\n\n[TOC]\n", OC_FORMAT_MARKDOWN);                /* 6-8 */

    LACKS(x, "title =");
    LACKS(x, "+++");
    HAS(x, "Part</h1>");
    assert_int_equal(last_line, 8);
    x = convert(state, "+++\nno key here\n+++\n\nText.\n",
                OC_FORMAT_MARKDOWN);
    HAS(x, "+++");
}

/* A chapter's front matter title (YAML's, quoted or not, or TOML's) is
 * set as an h1 at its top when it has no h1 of its own, as sites print
 * it; not when it has one, nor when the front matter is the book's. */
static void
test_front_matter_title_is_the_h1_of_a_chapter_without_one(void **state)
{
    oc_doc_opts o = opts;
    xmlDocPtr doc = NULL;
    oc_error err = {0};
    const char *text = "---\ntitle: npm-ls # a comment\n---\n\n"
                       "### Synopsis\n";
    char *x = convert(state, text, OC_FORMAT_MARKDOWN);
    size_t len;

    HAS(x, "<section epub:type=\"chapter\" role=\"doc-chapter\">"
           "<h1 id=\"npm-ls\">npm-ls</h1><h3 id=\"synopsis\">Synopsis</h3>");
    x = convert(state, "---\ntitle: \"A: \\\"B\\\" & C\"\n---\n\nText.\n",
                OC_FORMAT_MARKDOWN);
    HAS(x, ">A: \"B\" &amp; C</h1><p>Text.</p>");
    x = convert(state, "---\ntitle: 'It''s'\n---\n\nText.\n",
                OC_FORMAT_MARKDOWN);
    HAS(x, ">It's</h1><p>Text.</p>");
    x = convert(state, "+++\ntitle = \"Hugo\"\n+++\n\nText.\n",
                OC_FORMAT_MARKDOWN);
    HAS(x, ">Hugo</h1><p>Text.</p>");
    x = convert(state, "---\ntitle: Meta\n---\n\n## Two\n\n# Own\n",
                OC_FORMAT_MARKDOWN);
    LACKS(x, "Meta");
    x = convert(state, "---\ntitle: >\n  Folded\n---\n\nText.\n",
                OC_FORMAT_MARKDOWN);
    LACKS(x, "<h1");
    o.book_meta = true;
    assert_int_equal(oc_chapter_convert(text, strlen(text), "ch.md", 1,
                                        OC_FORMAT_MARKDOWN, &o, &doc, &err),
                     OC_OK);
    x = oc_xhtml_serialize(*state, doc, &len);
    xmlFreeDoc(doc);
    LACKS(x, "<h1");
    assert_int_equal(nwarn, 0);
}

/* TeX math kept as text stays as written: no emphasis from its
 * asterisks, its backslashes and quotes kept, a display's line that
 * opens with "- " no list; a price ($5, $4.99) is no math, nor is a
 * code span. */
static void
test_math_kept_as_written(void **state)
{
    char *x = convert(state,
        "Inline $x*y*z$ and $\\{a, b\\}$ and $f'(x) -- g$.\n\n"
        "$$\nf = \\sum_{i} a_i \\, y\n- x\n$$\n\n"
        "Costs $5 and $6 *each*, or $4.99 *now* and `$x*y$` code.\n",
        OC_FORMAT_MARKDOWN);

    HAS(x, "Inline $x*y*z$ and $\\{a, b\\}$ and $f'(x) -- g$.");
    HAS(x, "$$\nf = \\sum_{i} a_i \\, y\n- x\n$$");
    LACKS(x, "<li>");
    HAS(x, "Costs $5 and $6 <em>each</em>, or $4.99 <em>now</em> and "
           "<code>$x*y$</code> code.");
}

/* An Obsidian callout's title of its own: its words (a note's
 * reference among them) the alert's title, the lines after them its
 * body; the words that cmark-gfm keeps in the paragraph's content stay
 * readable after the paragraph is split (AddressSanitizer judges). */
static void
test_callout_titles(void **state)
{
    char *x = convert(state, "> [!tip] A *titled* tip^[its note]\n"
                      "> with a body line.\n\n>[!tip]^[]c\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "<div class=\"alert alert-tip\" role=\"note\"><p class=\""
           "alert-title\">A <em>titled</em> tip<a epub:type=\"noteref\"");
    HAS(x, "</p><p>with a body line.</p></div>");
    HAS(x, "<p class=\"alert-title\"><a epub:type=\"noteref\"");
    HAS(x, "</sup></a>c</p></div>");
}

/* A pandoc citation stays text, with one warning at its place; an
 * address in brackets is no citation. */
static void
test_citations_warn_once(void **state)
{
    char *x = convert(state, "Mail [me at a@b.org].\n\nAs shown "
                      "[see @doe2020, p. 4; -@roe].\n\nAgain [@doe2020].\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "[see @doe2020, p. 4; -@roe]");
    assert_int_equal(nwarn, 1);
    assert_int_equal(last_line, 3);
    assert_int_equal(last_col, 10);
    HAS(last_warning, "citation");
}

/* A LaTeX command with an argument that octavo does not read stays
 * text, with one warning at its place; one it reads (\textbf) is no
 * trouble; a Windows path and TeX math are no LaTeX commands. */
static void
test_latex_commands_warn_once(void **state)
{
    char *x = convert(state, "In C:\\Users\\ana and $\\frac{1}{2}$.\n\n"
                      "See \\ref{sec:a} and \\textbf{b}.\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "See \\ref{sec:a} and <strong>b</strong>.");
    assert_int_equal(nwarn, 2);     /* the math's, and this one */
    assert_int_equal(last_line, 3);
    assert_int_equal(last_col, 5);
    HAS(last_warning, "LaTeX");
}

/* pandoc's table captions: "Table: ..." just before or after a table
 * is its <caption>, used once. */
static void
test_table_captions(void **state)
{
    char *x = convert(state, "Table: Fruit and *prices*.\n\n| a | b |\n"
                      "|---|---|\n| 1 | 2 |\n\n| c | d |\n|---|---|\n"
                      "| 3 | 4 |\n\nTable: After.\n\nTable: no table.\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "<table><caption>Fruit and <em>prices</em>.</caption><thead>");
    HAS(x, "<table><caption>After.</caption><thead>");
    HAS(x, "<p>Table: no table.</p>");
    LACKS(x, "<p>Table: Fruit");
    LACKS(x, "<p>Table: After");
}

/* pandoc's grid tables become tables: the head above "=", a cell's
 * lines joined, the alignment from ':' in the head's border, a '|' in a
 * cell kept; a warning after one keeps its line. */
static void
test_grid_tables(void **state)
{
    char *x = convert(state,
        "+-------+------+\n"
        "| Fruit | Cost |\n"
        "+=======+=====:+\n"
        "| Long  | 1    |\n"
        "| name  |      |\n"
        "+-------+------+\n"
        "| a|b   | 2    |\n"
        "+-------+------+\n"
        "\n[TOC]\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<th scope=\"col\">Fruit</th><th scope=\"col\" "
           "style=\"text-align: right\">Cost</th>");
    HAS(x, "<td>Long name</td>");
    HAS(x, "<td>a|b</td>");
    LACKS(x, "+---");
    assert_int_equal(last_line, 10);
}

/* A grid table whose cells hold blocks (a list, paragraphs, a quotation)
 * is read as pandoc reads it: each cell's Markdown is read as blocks, a
 * cell of one paragraph holds its words. */
static void
test_grid_table_cells_hold_blocks(void **state)
{
    char *x = convert(state,
        "+---------+--------------------+\n"
        "| Fruit   | Advantages         |\n"
        "+=========+===================:+\n"
        "| Bananas | - built-in wrapper |\n"
        "|         | - bright color     |\n"
        "+---------+--------------------+\n"
        "| Oranges | Cures scurvy.      |\n"
        "|         |                    |\n"
        "|         | Tasty *too*.       |\n"
        "+---------+--------------------+\n"
        "| Lemons  | > Sour, quoted.    |\n"
        "+---------+--------------------+\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<th scope=\"col\">");
    HAS(x, "Fruit</th>");
    HAS(x, "Bananas</td>");
    HAS(x, "<li>built-in wrapper</li>");
    HAS(x, "<li>bright color</li>");
    HAS(x, "<p>Cures scurvy.</p>");
    HAS(x, "<p>Tasty <em>too</em>.</p>");
    HAS(x, "<blockquote>");
    HAS(x, "style=\"text-align: right\"");
    LACKS(x, "<p>Bananas</p>");
    LACKS(x, "- built-in");
    LACKS(x, "&gt; Sour");
    LACKS(x, "+---");
    assert_int_equal(nwarn, 0);
}

/* pandoc's simple tables, as its Markdown writer makes them (indented,
 * columns from the dash groups under the head): the alignment from where
 * the head's text sits over its dashes, a ": " caption after it. A
 * setext heading stays one. */
static void
test_simple_tables(void **state)
{
    char *x = convert(state,
        "  Right     Left     Center     Default\n"
        "-------     ------ ----------   -------\n"
        "     12     12        12            12\n"
        "    123     123       123          123\n"
        "\n"
        "  : Demonstration of *simple* tables.\n"
        "\n"
        "Heading\n"
        "-------\n"
        "\n"
        "Text\n"
        "- - -\n"
        "More text\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<table><caption>Demonstration of <em>simple</em> tables."
           "</caption><thead>");
    HAS(x, "<th scope=\"col\" style=\"text-align: right\">Right</th>"
           "<th scope=\"col\" style=\"text-align: left\">Left</th>"
           "<th scope=\"col\" style=\"text-align: center\">Center</th>"
           "<th scope=\"col\">Default</th>");
    HAS(x, "<td style=\"text-align: right\">123</td>"
           "<td style=\"text-align: left\">123</td>"
           "<td style=\"text-align: center\">123</td><td>123</td>");
    HAS(x, "<h2 id=\"heading\">Heading</h2>");
    HAS(x, "<p>Text</p><hr/><p>More text</p>");
    LACKS(x, "---");
    assert_int_equal(nwarn, 0);
}

/* pandoc's multiline tables: a row's lines in a column make one cell,
 * rows apart by blank lines; without a head, an HTML table of cells
 * only, its caption in it. */
static void
test_multiline_tables(void **state)
{
    char *x = convert(state,
        "-------------------------------------\n"
        " Centered   Default   Left\n"
        "  Header    Aligned   Aligned\n"
        "----------- -------   --------------\n"
        "   First    row       A row that\n"
        "                      spans *lines*.\n"
        "\n"
        "  Second    row       Another.\n"
        "-------------------------------------\n"
        "\n"
        "Table: With a head.\n"
        "\n"
        "----------- -------\n"
        "   First    row\n"
        "            one\n"
        "\n"
        "  Second    two\n"
        "----------- -------\n"
        "\n"
        ": Without.\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<caption>With a head.</caption>");
    HAS(x, "<th scope=\"col\" style=\"text-align: center\">Centered "
           "Header</th><th scope=\"col\">Default Aligned</th>");
    HAS(x, "<td style=\"text-align: left\">A row that spans <em>lines"
           "</em>.</td>");
    HAS(x, "<td style=\"text-align: left\">Another.</td>");
    HAS(x, "Without.</caption>");
    HAS(x, "row\none</td>");
    HAS(x, "two</td>");
    LACKS(x, "<th scope=\"col\">First");
    LACKS(x, "---");
    LACKS(x, "<p>Without");
    assert_int_equal(nwarn, 0);
}

/* A multiline table of one column, as pandoc writes a note box of a
 * word processor's document: its dashes as long as its text. A rule, a
 * heading underlined and a rule stay so. */
static void
test_multiline_table_of_one_column(void **state)
{
    char *x = convert(state,
        "  --------------------------------------\n"
        "  TIP:\n"
        "  --------------------------------------\n"
        "  If you are still getting familiar\n"
        "  with JS, take your *time*.\n"
        "\n"
        "  --------------------------------------\n"
        "\n"
        "---\n"
        "Title here\n"
        "---\n"
        "\n"
        "text\n"
        "\n"
        "---\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<th scope=\"col\" style=\"text-align: left\">TIP:</th>");
    HAS(x, "<td style=\"text-align: left\">If you are still getting "
           "familiar with JS, take your <em>time</em>.</td>");
    HAS(x, "<h2 id=\"title-here\">Title here</h2>");
    LACKS(x, "<h2 id=\"tip\">");
    assert_int_equal(nwarn, 0);
}

/* A fenced div in a list item, as pandoc writes an item that has an id
 * ("1.  ::: {#n1}" and ":::" under the item's text) or one inside an
 * item's text: the item's blocks in a div. Indented four columns out of
 * a list, it is code. */
static void
test_fenced_divs_in_list_items(void **state)
{
    char *x = convert(state,
        "1.  ::: {#n1}\n"
        "    The note.\n"
        "    :::\n"
        "2.  Plain.\n"
        "\n"
        "- a\n"
        "\n"
        "    ::: warning\n"
        "    Inside.\n"
        "    :::\n"
        "\n"
        "Text.\n"
        "\n"
        "    ::: code\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<li><div id=\"n1\">");
    HAS(x, "<p>The note.</p></div></li>");
    HAS(x, "<div class=\"warning\">");
    HAS(x, "<p>Inside.</p></div></li>");
    HAS(x, "<pre><code>::: code");
    LACKS(x, "::: {");
    LACKS(x, "<p>:::");
}

/* A script that opens with a link or bracketed text, as pandoc writes a
 * note reference of HTML (^[1](#fn1)^): a superscript, not an inline
 * note; ^[text] alone is the note. */
static void
test_scripts_of_links(void **state)
{
    char *x = convert(state,
        "Text.^[1](#y)^ and a^[b]^ and e~[s](#y)~ and^[a note].\n\n"
        "[Y]{#y}\n", OC_FORMAT_MARKDOWN);

    HAS(x, "Text.<sup><a href=\"#y\">1</a></sup>");
    HAS(x, "a<sup>[b]</sup>");
    HAS(x, "e<sub><a href=\"#y\">s</a></sub>");
    HAS(x, "a note</p>");
    LACKS(x, "octavo-inline");
    LACKS(x, "^");
}

/* pandoc's writer wraps a long attribute block over lines; a code
 * span's attributes after a hard line break and a span around a link
 * that has its own are read as well. */
static void
test_attributes_over_lines_and_after_breaks(void **state)
{
    char *x = convert(state,
        "'`--a`{.sample}'\\\n"
        "'`--b`{.sample}'\n"
        "\n"
        "x <[a@b.org](mailto:a%40b.org){.reference\n"
        ".external}> y\n"
        "\n"
        "[[Report](#r){#q}]{.toc}\n"
        "\n"
        "[]{#r}Text and [not]{x\n"
        "\n"
        "y}.\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<code class=\"sample\">--a</code>");
    HAS(x, "<code class=\"sample\">--b</code>");
    HAS(x, "<a href=\"mailto:a%40b.org\" class=\"reference external\">"
           "a@b.org</a>&gt; y");
    HAS(x, "<span class=\"toc\"><a href=\"#r\" id=\"q\">Report</a></span>");
    HAS(x, "[not]{x</p>");
    LACKS(x, "{.sample}");
    LACKS(x, ".external}");
    LACKS(x, "]{.toc}");
    assert_int_equal(nwarn, 0);
}

/* A contents list as pandoc writes one of LaTeX's HTML: many lines
 * ended by hard breaks, each a span around a link with attributes,
 * some wrapped: cmark-gfm's columns are off there, each is read. */
static void
test_attributes_in_lines_of_hard_breaks(void **state)
{
    oc_buf b = {0};
    char *x;

    oc_buf_puts(&b, "[]{#r}Contents:\n\n");
    for (int i = 0; i < 14; i++)
        oc_buf_printf(&b, "  [[Table %d: Success Criteria,%sLevel A](#r)"
                          "{#q%d}]{.toc}\\\n", i, i % 2 ? "\n" : " ", i);
    oc_buf_puts(&b, "  end\n");
    x = convert(state, b.data, OC_FORMAT_MARKDOWN);
    for (int i = 0; i < 14; i++) {
        char want[64];

        snprintf(want, sizeof want, "<a href=\"#r\" id=\"q%d\">Table %d:",
                 i, i);
        HAS(x, want);
    }
    LACKS(x, "]{.toc}");
    LACKS(x, "{#q");
    oc_buf_free(&b);
}

/* MkDocs' and Python-Markdown's admonitions are notes as GitHub's
 * alerts are: the title given, or the type's name; blocks in the body,
 * an admonition in one nested; "!!!" in its code stays code; a type of
 * one's own is a note. */
static void
test_mkdocs_admonitions(void **state)
{
    char *x = convert(state,
        "!!! note \"Phasellus posuere\"\n"
        "    Lorem *ipsum*.\n"
        "\n"
        "    ```\n"
        "    !!! code\n"
        "    ```\n"
        "\n"
        "    !!! tip\n"
        "        Nested.\n"
        "\n"
        "??? question \"Folded\"\n"
        "    Hidden.\n"
        "\n"
        "!!! custom\n"
        "    Own.\n"
        "\n"
        "After.\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<div class=\"alert alert-note\" role=\"note\"><p class=\"alert-"
           "title\">Phasellus posuere</p><p>Lorem <em>ipsum</em>.</p>");
    HAS(x, "<pre><code>!!! code\n</code></pre>");
    HAS(x, "<div class=\"alert alert-tip\" role=\"note\"><p class=\"alert-"
           "title\">Tip</p><p>Nested.</p></div></div>");
    HAS(x, "<p class=\"alert-title\">Folded</p><p>Hidden.</p>");
    HAS(x, "<p class=\"alert-title\">Custom</p><p>Own.</p></div><p>After."
           "</p>");
    LACKS(x, "!!! note");
    LACKS(x, "???");
}

/* A script in a paragraph with raw HTML (which cmark-gfm renders
 * itself) is <sup> or <sub> too. */
static void
test_scripts_beside_raw_html(void **state)
{
    char *x = convert(state, "H~2~O and 2^10^ with <kbd>Ctrl</kbd>.\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "H<sub>2</sub>O and 2<sup>10</sup> with <kbd>Ctrl</kbd>");
    LACKS(x, "octavo-s");
}

/* A notebook's table of data, as nbconvert writes it: a <style scoped>
 * whose rules blank lines part, in a <div> (an HTML block that blank
 * lines end): the rules stay a style (in the head, without "scoped"),
 * none is shown as code, the table stays whole. */
static void
test_notebook_table_with_a_style(void **state)
{
    char *x = convert(state,
        "<div>\n"
        "<style scoped>\n"
        "    .dataframe tbody tr th {\n"
        "        vertical-align: top;\n"
        "    }\n"
        "\n"
        "    .dataframe thead th {\n"
        "        text-align: right;\n"
        "    }\n"
        "</style>\n"
        "<table border=\"1\" class=\"dataframe\">\n"
        "  <thead><tr><th>a</th></tr></thead>\n"
        "  <tbody><tr><td>1</td></tr></tbody>\n"
        "</table>\n"
        "</div>\n"
        "\n"
        "After.\n", OC_FORMAT_MARKDOWN);

    HAS(x, "text-align: right;");
    HAS(x, "</style></head>");
    HAS(x, "<table border=\"1\" class=\"dataframe\">");
    HAS(x, "<td>1</td>");
    HAS(x, "<p>After.</p>");
    LACKS(x, "scoped");
    LACKS(x, "<pre>");
    LACKS(x, "<code>");
}

/* R Markdown's and Quarto's chunks: the language from "{r, ...}", the
 * "#|" option lines left out of the code, a chunk that include or echo
 * false hides left out. */
static void
test_executable_chunks(void **state)
{
    char *x = convert(state,
        "```{r, fig.cap=\"A plot\"}\nplot(cars)\n```\n\n"
        "```{r setup, include=FALSE}\nknitr::opts_chunk$set()\n```\n\n"
        "```{python}\n#| label: fig-x\n#| echo: false\nhidden()\n```\n\n"
        "```{python}\n#| label: shown\nshown()\n```\n\n"
        "```{r echo=F}\nalso_hidden()\n```\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<code class=\"language-r\">plot(cars)");
    HAS(x, "shown</span>()");
    LACKS(x, "language-r,");
    LACKS(x, "knitr");
    LACKS(x, "hidden()");
    LACKS(x, "#|");
}

/* pandoc's Markdown of a Texinfo manual: the bar of Next and Up links
 * (a div of class header whose links have access keys) goes as it does
 * in the HTML; a term's permalink whose target pandoc lost goes; an
 * attribute HTML has (rel, accesskey) stays one, another is data-. */
static void
test_texinfo_by_pandoc(void **state)
{
    char *x = convert(state,
        "::: header\n"
        "Next: [Introduction](#intro){accesskey=\"n\" rel=\"next\"}, Up:\n"
        "[(dir)](https://example.org/dir){accesskey=\"u\" rel=\"up\"}\n"
        ":::\n"
        "\n"
        "# Intro {#intro}\n"
        "\n"
        "'`main_memory`{.sample}' [¶](#index-main){.copiable-anchor}\n"
        "\n"
        ":   Words of memory.\n"
        "\n"
        "[Home](https://example.org/){rel=\"home\" align=\"left\"}\n",
        OC_FORMAT_MARKDOWN);

    LACKS(x, "Next:");
    LACKS(x, "\xc2\xb6");
    HAS(x, "<dt>\xe2\x80\x98<code class=\"sample\">main_memory</code>"
           "\xe2\x80\x99</dt>");
    HAS(x, "rel=\"home\"");
    HAS(x, "data-align=\"left\"");
    LACKS(x, "data-rel");
}

/* pandoc's raw inline: `<b>x</b>`{=html} is HTML, one of another format
 * is left out; in a paragraph with raw HTML (which cmark-gfm renders
 * itself), a code span's, a link's and an image's attributes are kept. */
static void
test_raw_inline(void **state)
{
    char *x = convert(state, "Raw `<b>bold</b>`{=html} and `\\LaTeX`"
                             "{=latex}, `code`{.c}, [y](#r){.k rel=next}, "
                             "![i](x.png){width=50%} and `kept`{=}.\n\n"
                             "[]{#r}\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<p>Raw <b>bold</b> and , <code class=\"c\">code</code>, "
           "<a href=\"#r\" class=\"k\" rel=\"next\">y</a>, <img "
           "src=\"x.png\" alt=\"i\" style=\"width: 50%\"/> and <code>"
           "kept</code>{=}.</p>");
    LACKS(x, "LaTeX");
}

/* LaTeX's inline commands in a manuscript written for pandoc's LaTeX
 * output read as that output shows them: emphasis, bold, code, small
 * capitals, notes, links; \index, \label, \noindent and \vspace are
 * nothing. Another command stays text (warned about), and code, math and
 * an escaped backslash are left alone. */
static void
test_latex_inline_commands(void **state)
{
    char *x = convert(state,
        "A term\\index{term} \\emph{emph \\textbf{bold}} and "
        "\\textsc{Caps} and \\texttt{x}.\\footnote{A note.}\n\n"
        "\\noindent Go \\href{https://example.org}{a \\emph{link}} and "
        "\\url{https://example.com}.\n\n"
        "\\vspace{1em}\n\n"
        "See \\ref{sec:x}\\label{sec:y} and \\\\emph{x}.\n\n"
        "    \\emph{code}\n\n"
        "`\\emph{span}` and $\\emph{m}$.\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<p>A term <em>emph <strong>bold</strong></em> and <span "
           "class=\"smallcaps\">Caps</span> and <code>x</code>.<a ");
    HAS(x, "A note.</p></aside>");
    HAS(x, "<p>Go <a href=\"https://example.org\">a <em>link</em></a> "
           "and <a href=\"https://example.com\">https://example.com</a>."
           "</p>");
    HAS(x, "<p>See \\ref{sec:x} and \\emph{x}.</p>");
    HAS(x, "<pre><code>\\emph{code}\n</code></pre>");
    HAS(x, "<code>\\emph{span}</code> and $\\emph{m}$.");
    LACKS(x, "index");
    LACKS(x, "noindent");
    LACKS(x, "vspace");
    LACKS(x, "label");
}

/* {id="x" class="a b"} are the id and classes, as pandoc reads them. */
static void
test_id_and_class_as_keys(void **state)
{
    char *x = convert(state, "[x]{class=\"a b\" id=\"s1\"} and "
                             "[y](#s1){.c class=d}\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<span class=\"a b\" id=\"s1\">x</span>");
    HAS(x, "<a href=\"#s1\" class=\"c d\">y</a>");
    LACKS(x, "data-class");
    LACKS(x, "data-id");
}

/* A backslash that ends a paragraph (pandoc writes one for an HTML <br>
 * there, and a paragraph of one for an empty line) shows nothing, as
 * pandoc reads it; an escaped one stays, and code is code. */
static void
test_a_break_that_ends_a_paragraph(void **state)
{
    char *x = convert(state, "Text\\\n\n\\\n\nA path C:\\\\\n\n"
                             "    code \\\n\nend\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<p>Text</p><p>A path C:\\</p><pre><code>code \\\n</code></pre>"
           "<p>end</p>");
}

/* A Hugo or Jekyll page's tags alone on a line are read as the site
 * would have made them: highlighted blocks as code, Hugo's figure as a
 * picture with its caption, a theme's notice as a note, Liquid's raw
 * markers and comments left out; Hugo's ref in a link's target is the
 * page's file; another tag (a video) is left out with one warning. */
static void
test_site_generator_tags(void **state)
{
    char *x = convert(state,
        "See [other]({{< ref \"/posts/other\" >}}).\n"
        "\n"
        "{{< figure src=\"x.png\" title=\"The caption\" alt=\"A circle\" >}}\n"
        "\n"
        "{{< highlight go \"linenos=table\" >}}\n"
        "package main\n"
        "{{< /highlight >}}\n"
        "\n"
        "{% highlight ruby %}\n"
        "def foo; end\n"
        "{% endhighlight %}\n"
        "\n"
        "{{% notice warning %}}\n"
        "Careful *now*.\n"
        "{{% /notice %}}\n"
        "\n"
        "{% comment %}\n"
        "Hidden.\n"
        "{% endcomment %}\n"
        "\n"
        "{{< youtube w7Ft2ymGmfc >}}\n"
        "\n"
        "{% raw %}{{ kept }}{% endraw %} and {%- raw -%}{{ too }}"
        "{%- endraw -%}; `{% raw %}` in code\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<a href=\"other.md\">other</a>");
    HAS(x, "<figure><img src=\"x.png\" alt=\"A circle\"/><figcaption>The "
           "caption</figcaption></figure>");
    HAS(x, "<code class=\"language-go\">");
    HAS(x, "<code class=\"language-ruby\">def foo; end\n</code>");
    HAS(x, "<div class=\"alert alert-warning\" role=\"note\"><p class=\""
           "alert-title\">Warning</p><p>Careful <em>now</em>.</p></div>");
    HAS(x, "<p>{{ kept }} and {{ too }}; <code>{% raw %}</code> in code"
           "</p>");
    LACKS(x, "Hidden.");
    LACKS(x, "youtube");
    LACKS(x, "highlight");
    LACKS(x, "{{&lt;");
    assert_int_equal(nwarn, 1);
    HAS(last_warning, "'youtube'");
}

/* PHP Markdown Extra's and kramdown's markdown="1": the block's content
 * is read as Markdown (its first paragraph too), and the attribute goes
 * without a word. */
static void
test_markdown_attribute_reads_the_content(void **state)
{
    char *x = convert(state, "<div class=\"box\" markdown=\"1\">\n"
                             "Some *emphasis*.\n\n- a list\n</div>\n\n"
                             "After.\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<div class=\"box\">");
    HAS(x, "<p>Some <em>emphasis</em>.</p><ul><li>a list</li></ul></div>"
           "<p>After.</p>");
    LACKS(x, "markdown=");
    assert_int_equal(nwarn, 0);
}

/* A grid table's rows are cut where its border has '+' as the text
 * shows them, not at those bytes: an accented letter takes a column
 * (precomposed or with a combining accent), a CJK ideograph two; a
 * Hebrew point none, or one in a table older pandoc wrote. No cell
 * holds a bar or a piece of a character. */
static void
test_grid_table_columns_are_counted_in_characters(void **state)
{
    char *x = convert(state,
        "+------+------+\n"
        "| a    | b    |\n"
        "+======+======+\n"
        "| \xc3\xa9    | x    |\n"                     /* é */
        "+------+------+\n"
        "| \xe4\xb8\xad\xe6\x96\x87 | y    |\n"       /* 中文 */
        "+------+------+\n"
        "| e\xcc\x81    | z    |\n"                    /* e, U+0301 */
        "+------+------+\n"
        "| \xd7\xa2\xd6\xb4\xd7\x91   | v    |\n"     /* עִב */
        "+------+------+\n"
        "| \xd7\xa2\xd6\xb4\xd7\x91  | w    |\n"
        "+------+------+\n", OC_FORMAT_MARKDOWN);

    HAS(x, "<td>\xc3\xa9</td><td>x</td>");
    HAS(x, "<td>\xe4\xb8\xad\xe6\x96\x87</td><td>y</td>");
    HAS(x, "<td>e\xcc\x81</td><td>z</td>");
    HAS(x, "<td>\xd7\xa2\xd6\xb4\xd7\x91</td><td>v</td>");
    HAS(x, "<td>\xd7\xa2\xd6\xb4\xd7\x91</td><td>w</td>");
    LACKS(x, "|");
    assert_int_equal(nwarn, 0);
}

/* ^ and ~ in web addresses and paths are no scripts (a '^' in a link is
 * escaped, as a URI wants it). */
static void
test_scripts_leave_urls_alone(void **state)
{
    char *x = convert(state, "[home](http://a.org/~u/~x/a^b^c), "
                      "<http://b.org/~v~/w^x^>, ~/dir/~x and C~1~.\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "href=\"http://a.org/~u/~x/a%5Eb%5Ec\"");
    HAS(x, "href=\"http://b.org/~v~/w%5Ex%5E\">http://b.org/~v~/w^x^</a>");
    HAS(x, "~/dir/~x and C<sub>1</sub>.");
}

/* Text in angle brackets is an autolink, kept as written, only if it
 * opens with a scheme: a colon after a '#' ("<b.md#X:a^2^>") makes none,
 * and the text's scripts are read. */
static void
test_autolinks_need_a_scheme_before_their_colon(void **state)
{
    char *x = convert(state, "<b.md#X:a^2^> and <https://a.org/X:a^2^>\n",
                      OC_FORMAT_MARKDOWN);

    HAS(x, "&lt;b.md#X:a<sup>2</sup>&gt;");
    HAS(x, "href=\"https://a.org/X:a%5E2%5E\"");
}

static void
test_math_and_toc_markers_warn_once_each_and_stay(void **state)
{
    char *x = convert_lang(state, "[TOC]\n\nSo $x^2$ and $y$, but $5 or "
                           "\\$z$.\n\n[TOC]\n", "en");

    HAS(x, "<p>[TOC]</p><p>So $x^2$ and $y$, but $5 or $z$.</p>");
    assert_int_equal(nwarn, 2);
    assert_int_equal(last_line, 3);
    assert_int_equal(last_col, 4);
    HAS(last_warning, "TeX math");
}

/* cmark's allocator for a conversion (md-mem.c): blocks zeroed when
 * asked, kept apart, their bytes kept as they grow (in place when last,
 * else moved), a block larger than a chunk, and everything let go at
 * the end (the sanitizers' run finds a leak otherwise). */
static void
test_cmark_blocks_from_the_conversion_arena(void **state)
{
    cmark_mem *m = md_mem_arena();
    unsigned char *a, *b, *c, *big, *grown;

    (void)state;
    a = m->calloc(10, 3);
    for (int i = 0; i < 30; i++)
        assert_int_equal(a[i], 0);
    memset(a, 'a', 30);
    b = m->calloc(1, 100);
    assert_true(b >= a + 30 || b + 100 <= a);
    memset(b, 'b', 100);
    /* b is the last: it grows where it is, its bytes kept. */
    c = m->realloc(b, 5000);
    assert_ptr_equal(c, b);
    for (int i = 0; i < 100; i++)
        assert_int_equal(c[i], 'b');
    /* a is not: it moves, its bytes with it, and c keeps its own. */
    grown = m->realloc(a, 400);
    assert_ptr_not_equal(grown, a);
    for (int i = 0; i < 30; i++)
        assert_int_equal(grown[i], 'a');
    assert_int_equal(c[99], 'b');
    /* Freeing the last block makes room for the next in its place. */
    m->free(grown);
    assert_ptr_equal(m->calloc(1, 400), grown);
    /* Larger than a chunk: a chunk of its own. */
    big = m->calloc(1, 1 << 20);
    big[(1 << 20) - 1] = 1;
    grown = m->realloc(big, 3 << 20);
    assert_int_equal(grown[(1 << 20) - 1], 1);
    assert_non_null(m->realloc(NULL, 8));
    m->free(NULL);
    md_mem_end();
    md_mem_end();                   /* nothing left: nothing done */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_skeleton_has_lang_title_stylesheet_and_chapter_section),
        cmocka_unit_test(test_cmark_blocks_from_the_conversion_arena),
        T(test_headings_get_stable_unique_ids),
        T(test_smart_punctuation),
        T(test_inline_markup),
        T(test_raw_tags_of_no_element_stay_text),
        T(test_script_text_is_no_markup),
        T(test_percent_encoded_ids_are_renamed),
        T(test_autolink),
        T(test_block_quote_and_lists),
        T(test_table_has_thead_and_alignment),
        T(test_fenced_code_keeps_language),
        T(test_code_is_highlighted_by_its_language_or_left_plain),
        T(test_grammars_are_made_ready_ahead),
        T(test_footnotes_become_epub_notes),
        T(test_right_to_left_is_set_on_the_section_not_the_root),
        T(test_xhtml_chapter_keeps_its_own_title),
        T(test_epub_types_get_their_matching_roles),
        T(test_note_ids_take_the_chapter_prefix),
        T(test_thematic_break_and_figure),
        T(test_raw_html_is_parsed_and_sanitised),
        T(test_foreign_content_in_html),
        T(test_table_cell_raw_html),
        T(test_xhtml_chapter_is_imported),
        T(test_html_chapter_is_normalised_to_xhtml),
        T(test_html_emphasis_by_class_becomes_elements),
        T(test_html_note_links_become_footnotes),
        T(test_html_endnotes_from_markdown_become_footnotes),
        T(test_pandoc_fancy_lists),
        T(test_malformed_xhtml_is_an_error_with_its_line),
        T(test_invalid_utf8_has_line_and_column),
        T(test_nul_byte_is_an_error),
        T(test_overlong_utf8_is_rejected),
        T(test_deep_nesting_is_refused),
        T(test_ids_unique_across_chapters_and_links_follow),
        T(test_long_id_renamed_is_quoted_short),
        T(test_references_follow_renamed_ids),
        T(test_format_from_file_name),
        T(test_attributes_on_heading_feed_the_id_table),
        T(test_braces_that_are_not_attributes_stay_text),
        T(test_spans_links_images_and_code_take_attributes),
        T(test_an_id_that_is_no_xml_name_is_made_one_with_a_warning),
        T(test_fence_attributes_give_language_and_id),
        T(test_definition_and_task_lists),
        T(test_quotes_follow_the_language),
        T(test_math_and_toc_markers_warn_once_each_and_stay),
        T(test_pandoc_markdown),
        T(test_toml_front_matter),
        T(test_front_matter_title_is_the_h1_of_a_chapter_without_one),
        T(test_math_kept_as_written),
        T(test_latex_commands_warn_once),
        T(test_callout_titles),
        T(test_citations_warn_once),
        T(test_table_captions),
        T(test_grid_tables),
        T(test_grid_table_cells_hold_blocks),
        T(test_grid_table_columns_are_counted_in_characters),
        T(test_simple_tables),
        T(test_multiline_tables),
        T(test_multiline_table_of_one_column),
        T(test_fenced_divs_in_list_items),
        T(test_scripts_of_links),
        T(test_attributes_over_lines_and_after_breaks),
        T(test_attributes_in_lines_of_hard_breaks),
        T(test_mkdocs_admonitions),
        T(test_scripts_beside_raw_html),
        T(test_notebook_table_with_a_style),
        T(test_executable_chunks),
        T(test_texinfo_by_pandoc),
        T(test_id_and_class_as_keys),
        T(test_raw_inline),
        T(test_latex_inline_commands),
        T(test_a_break_that_ends_a_paragraph),
        T(test_site_generator_tags),
        T(test_markdown_attribute_reads_the_content),
        T(test_scripts_leave_urls_alone),
        T(test_autolinks_need_a_scheme_before_their_colon),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
