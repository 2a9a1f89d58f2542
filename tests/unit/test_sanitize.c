/* test_sanitize.c - the URL policy and the stylesheet clean-up of
 * sanitize.c, and element names known in any case (the rest of its
 * chapter pass is covered by the golden cases). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "octavo.h"
#include "sanitize.h"

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

static void
test_script_schemes_are_refused_however_written(void **state)
{
    const char *bad[] = {
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x",
        "java\tscript:x", "java\nscript:x", "\rjavascript:x",
        "jav\x01" "ascript:x", "vbscript:msgbox", "file:///etc/passwd",
        "FILE:///etc/passwd", " fIlE:x", "data:text/html,<script>",
        "unknown:thing", NULL};
    const char *why = NULL;

    (void)state;
    for (size_t i = 0; bad[i] != NULL; i++) {
        why = NULL;
        if (oc_url_allowed(bad[i], OC_URL_LINK, &why))
            fail_msg("'%s' was allowed", bad[i]);
        assert_non_null(why);
    }
    assert_false(oc_url_allowed("data:text/html,x", OC_URL_IMAGE, NULL));
    /* A colon with no scheme before it: no URL (EPUBCheck refuses it). */
    assert_false(oc_url_allowed("::---", OC_URL_LINK, NULL));
    assert_false(oc_url_allowed(":x", OC_URL_LINK, NULL));
}

/* A web or mail link that is no URI is escaped as a browser sends it;
 * one that cannot be (nothing after mailto:, a space in a host) goes
 * (EPUBCheck refuses either); one with its escapes, characters beyond
 * ASCII or an IPv6 host stays as it is. */
/* A web address whose host is written in letters beyond ASCII is given
 * its host as IDNA writes it (what reading systems' URL parsers take),
 * its user, port, path and query as they were; an ASCII one is left. */
static void
test_international_host_names_are_written_in_ascii(void **state)
{
    char *a = oc_url_escaped("https://\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc"
                             "\xd0\xb5\xd1\x80.\xd1\x80\xd1\x84/"
                             "\xd0\xbf?q=1");
    char *b = oc_url_escaped("http://u@b\xc3\xbc" "cher.de:8080/a b");

    (void)state;
    assert_non_null(a);
    assert_string_equal(a, "https://xn--e1afmkfd.xn--p1ai/\xd0\xbf?q=1");
    assert_non_null(b);
    assert_string_equal(b, "http://u@xn--bcher-kva.de:8080/a%20b");
    assert_null(oc_url_escaped("https://example.org/\xc3\xa9"));
    free(a);
    free(b);
}

/* A tracking redirect leads to its address: Google's (every link of a
 * Google Docs export), Outlook's safe links, Facebook's; a redirect to
 * a script or to nothing, and an address that is none, are not read. */
static void
test_tracking_redirects_lead_to_their_address(void **state)
{
    char *g = oc_url_unredirected("https://www.google.com/url?q=https://"
                                  "example.com/page?x%3D1%26y%3D2&sa=D&"
                                  "source=editors&usg=AOvVaw0abc");
    char *o = oc_url_unredirected("https://eur01.safelinks.protection."
                                  "outlook.com/?url=http%3A%2F%2Fexample."
                                  "org%2F&data=x");
    char *f = oc_url_unredirected("https://l.facebook.com/l.php?u=mailto%3A"
                                  "a%40b.org&h=AT0");

    (void)state;
    assert_string_equal(g, "https://example.com/page?x=1&y=2");
    assert_string_equal(o, "http://example.org/");
    assert_string_equal(f, "mailto:a@b.org");
    assert_null(oc_url_unredirected("https://www.google.com/url?q="
                                    "javascript:alert(1)"));
    assert_null(oc_url_unredirected("https://www.google.com/search?q=x"));
    assert_null(oc_url_unredirected("https://example.com/url?q=https://"
                                    "example.org/"));
    assert_null(oc_url_unredirected("https://www.google.com/url?sa=D"));
    free(g);
    free(o);
    free(f);
}

static void
test_malformed_web_and_mail_urls_are_escaped_or_refused(void **state)
{
    const char *from[] = {
        "mailto:team (at) example.org", "http://e.org/a|b^c{d}`e\"f<g>",
        "http://e.org/a%zz%", "http://e.org/a[1]#b#c", " http://e.org/a b ",
        "https://e.org/a\\b\tc", NULL};
    const char *to[] = {
        "mailto:team%20(at)%20example.org",
        "http://e.org/a%7Cb%5Ec%7Bd%7D%60e%22f%3Cg%3E",
        "http://e.org/a%25zz%25", "http://e.org/a%5B1%5D#b%23c",
        " http://e.org/a%20b ", "https://e.org/a%5Cb%09c"};
    const char *bad[] = {"mailto:", "http://e x.org/a", NULL};
    const char *good[] = {
        "mailto:a@b.org", "http://e.org/a%20b", "http://e.org/\xc3\xa9",
        "https://[::1]/a", " https://e.org/a ", "images/a b.png", NULL};
    const char *why = NULL;

    (void)state;
    for (size_t i = 0; from[i] != NULL; i++) {
        char *esc = oc_url_escaped(from[i]);

        assert_non_null(esc);
        assert_string_equal(esc, to[i]);
        assert_true(oc_url_allowed(esc, OC_URL_LINK, NULL));
        assert_false(oc_url_allowed(from[i], OC_URL_LINK, NULL));
        free(esc);
    }
    for (size_t i = 0; bad[i] != NULL; i++) {
        why = NULL;
        if (oc_url_allowed(bad[i], OC_URL_LINK, &why))
            fail_msg("'%s' was allowed", bad[i]);
        assert_string_equal(why, "a malformed URL");
    }
    for (size_t i = 0; good[i] != NULL; i++) {
        assert_null(oc_url_escaped(good[i]));
        if (!oc_url_allowed(good[i], OC_URL_LINK, NULL))
            fail_msg("'%s' was refused", good[i]);
    }
}

/* A web link must name a host (EPUBCheck warns of one that does not):
 * "https:///example.org" goes. */
static void
test_web_urls_without_a_host_are_refused(void **state)
{
    const char *bad[] = {
        "https:///example.org", "https://", "http:example.org",
        "http:/example.org", "https://e..org/", "https://e.org:x/",
        "https://e.org%2f/", "https://a@/x", "http://-e.org/", NULL};
    const char *good[] = {
        "https://example.org", "HTTP://E.ORG/", "https://e.org:8080/a",
        "https://u@e.org/", "https://[::1]:80/", "https://e.org./",
        "http://a_b.example.org?q", NULL};
    const char *why = NULL;

    (void)state;
    for (size_t i = 0; bad[i] != NULL; i++) {
        why = NULL;
        if (oc_url_allowed(bad[i], OC_URL_LINK, &why))
            fail_msg("'%s' was allowed", bad[i]);
        assert_string_equal(why, "a URL without a valid host");
    }
    for (size_t i = 0; good[i] != NULL; i++)
        if (!oc_url_allowed(good[i], OC_URL_LINK, NULL))
            fail_msg("'%s' was refused", good[i]);
}

static void
test_book_web_and_mail_urls_pass(void **state)
{
    const char *good[] = {
        "chapter.xhtml#x", "#note", "images/a b.png", "../c.md",
        "http://example.org", "HTTPS://example.org/a:b", "mailto:a@b.org",
        "a/b:c", "?q=1:2", NULL};

    (void)state;
    for (size_t i = 0; good[i] != NULL; i++)
        if (!oc_url_allowed(good[i], OC_URL_LINK, NULL))
            fail_msg("'%s' was refused", good[i]);
    assert_true(oc_url_allowed("data:image/png;base64,AAAA", OC_URL_IMAGE,
                               NULL));
    assert_false(oc_url_allowed("data:image/png;base64,AAAA", OC_URL_LINK,
                                NULL));
    assert_true(oc_url_is_remote(" HTTPS://x.org/a.png"));
    assert_false(oc_url_is_remote("images/https.png"));
}

static void
test_stylesheet_loses_imports_and_urls_keeps_the_rest(void **state)
{
    const char css[] =
        "@import url(other.css);\n"
        "body { color: black; background: url(file:///etc/passwd); "
        "margin: 0 }\n"
        "/* url(in a comment) */\n"
        "p { content: \"url(in a string)\"; }\n"
        ".a { background: url(\"data:image/png;base64,AAAA\"); }\n"
        "@font-face { font-family: X; src: URL(../../x.otf) }\n"
        "h1 { color: red }\n";
    oc_buf out = {0};

    (void)state;
    assert_true(oc_sanitize_css(css, strlen(css), "s.css", 1, &out));
    oc_buf_put(&out, "", 1);
    assert_null(strstr(out.data, "@import"));
    assert_null(strstr(out.data, "passwd"));
    assert_null(strstr(out.data, "x.otf"));
    assert_non_null(strstr(out.data, "body { color: black; margin: 0 }"));
    assert_non_null(strstr(out.data, "/* url(in a comment) */"));
    assert_non_null(strstr(out.data, "\"url(in a string)\""));
    assert_non_null(strstr(out.data, "data:image/png;base64,AAAA"));
    assert_non_null(strstr(out.data, "h1 { color: red }"));
    oc_buf_free(&out);
}

static void
test_stylesheet_read_as_css_reads_it(void **state)
{
    const char css[] =
        "p { background: \\75 rl(file:///etc/a) }\n"
        "@\\69mport \"b.css\";\n"
        "h1 { background: u\\rl(../../c.png); color: red }\n"
        "h2 { background-image: image-set(\"file:///etc/d\" 1x) }\n"
        "h3 { background-image: -webkit-image-set(var(--e) 1x) }\n"
        "h4 { width: expression(f()) }\n"
        "@font-face { font-family: X; src: url(data:font/woff2;base64,g) }\n"
        "h5 { background: url(data:image/png;base64,h); margin: 0 }\n"
        "h6 { background-image: image-set(\"data:image/png;base64,i\" 1x) }\n"
        "p { content: \"a CR ends a string\r; background: url(/etc/j) }\n";
    oc_buf out = {0};

    (void)state;
    assert_true(oc_sanitize_css(css, strlen(css), "s.css", 1, &out));
    oc_buf_put(&out, "", 1);
    assert_null(strstr(out.data, "/etc/"));
    assert_null(strstr(out.data, "b.css"));
    assert_null(strstr(out.data, "../../"));
    assert_null(strstr(out.data, "--e"));
    assert_null(strstr(out.data, "expression"));
    assert_null(strstr(out.data, "woff2"));
    assert_non_null(strstr(out.data, "h1 { color: red }"));
    assert_non_null(strstr(out.data, "@font-face { font-family: X;}"));
    assert_non_null(strstr(out.data, "base64,h); margin: 0 }"));
    assert_non_null(strstr(out.data, "image-set(\"data:image/png;base64,i"));
    oc_buf_free(&out);
}

static void
test_stylesheet_without_loads_is_not_copied(void **state)
{
    const char css[] = "p { color: red; content: \"url(x)\" }\n"
                       "/* @import url(y); */ a { background: #fff }\n";
    oc_buf out = {0};

    (void)state;
    assert_false(oc_sanitize_css(css, strlen(css), "s.css", 1, &out));
    assert_null(out.data);
    assert_false(oc_css_loads(css, strlen(css)));
    assert_true(oc_css_loads("background: image(\"z.png\")", 27));
    assert_true(oc_css_loads("background: \\55RL(z.png)", 24));
}

/* Selectors by an attribute of the EPUB namespace, under its usual
 * prefix or one an @namespace rule binds, become selectors of the data-
 * attribute mirroring it; another namespace's, a dash match ("[a|=b]"),
 * comments and strings are left alone. */
static void
test_epub_namespace_selectors_become_data_attributes(void **state)
{
    const char css[] =
        "@namespace epub \"http://www.idpf.org/2007/ops\";\n"
        "@namespace o url(http://www.idpf.org/2007/ops);\n"
        "@namespace svg \"http://www.w3.org/2000/svg\";\n"
        "[epub|type~=\"z3998:poem\"] p { margin: 0 }\n"
        "section[ o|type=\"chapter\"] > h2, a[svg|href] { color: red }\n"
        "p[lang|=\"en\"] { x: \"[epub|type]\" } /* [epub|type] */\n";
    const char other[] = "@namespace epub \"urn:x\";\n[epub|type] { }\n";
    oc_buf out = {0};

    (void)state;
    assert_true(oc_css_epub_attrs(css, strlen(css), &out));
    oc_buf_put(&out, "", 1);
    assert_non_null(strstr(out.data, "\n[data-epub-type~=\"z3998:poem\"] p"));
    assert_non_null(strstr(out.data, "section[data-epub-type=\"chapter\"] > "
                                     "h2, a[svg|href]"));
    assert_non_null(strstr(out.data, "p[lang|=\"en\"] { x: \"[epub|type]\" }"
                                     " /* [epub|type] */"));
    oc_buf_free(&out);
    assert_false(oc_css_epub_attrs(other, strlen(other), &out));
    assert_false(oc_css_epub_attrs("p { }", 5, &out));
    assert_true(oc_css_epub_attrs("[epub|type] {}", 14, &out));
    oc_buf_free(&out);
}

static int nwarnings;
static int last_line;

static void
count_warning(const char *file, int line, int col, const char *msg,
              void *ctx)
{
    (void)file, (void)col, (void)msg, (void)ctx;
    nwarnings++;
    last_line = line;
}

static void
test_stylesheet_warnings_count_lines_from_first_line(void **state)
{
    const char css[] = "p { color: red }\n\nh1 { background: url(x.png) }";
    oc_buf out = {0};

    (void)state;
    nwarnings = 0;
    oc_set_warn_handler(count_warning, NULL);
    assert_true(oc_sanitize_css(css, strlen(css), "ch.md", 40, &out));
    oc_set_warn_handler(NULL, NULL);
    assert_int_equal(nwarnings, 1);
    assert_int_equal(last_line, 42);
    oc_buf_free(&out);
}

/* 'xhtml' parsed, sanitized and written out again (g_free). */
static char *
sanitized(const char *xhtml)
{
    xmlDocPtr doc = xmlReadMemory(xhtml, (int)strlen(xhtml), "c.xhtml", NULL,
                                  XML_PARSE_NONET);
    xmlBufferPtr out = xmlBufferCreate();
    char *text;

    assert_non_null(doc);
    oc_sanitize_chapter(doc, "c.xhtml");
    xmlNodeDump(out, doc, xmlDocGetRootElement(doc), 0, 0);
    text = g_strdup((const char *)xmlBufferContent(out));
    xmlBufferFree(out);
    xmlFreeDoc(doc);
    return text;
}

/* 'body', the content of a chapter's <body>, sanitized as sanitized()
 * does and written out again (g_free). */
static char *
sanitized_body(const char *body)
{
    char *doc = g_strdup_printf("<html xmlns=\"http://www.w3.org/1999/xhtml\">"
                                "<head><title>t</title></head><body>%s"
                                "</body></html>", body);
    char *text = sanitized(doc);

    g_free(doc);
    return text;
}

/* Element names are matched in any case: an XHTML chapter's <SCRIPT>,
 * <IFrame> or <Object> goes as <script> does. */
static void
test_elements_are_known_in_any_case(void **state)
{
    char *text = sanitized_body(
        "<p>kept</p><SCRIPT>alert(1)</SCRIPT>"
        "<IFrame src=\"x.html\">frame</IFrame><Object>o</Object>");

    (void)state;
    assert_non_null(strstr(text, "<p>kept</p>"));
    assert_null(strstr(text, "alert"));
    assert_null(strstr(text, "frame"));
    assert_null(strstr(text, "<Object"));
    g_free(text);
}

/* An element HTML does not have is unwrapped, its content kept; an
 * SVG's own elements are not HTML's to judge. */
static void
test_unknown_elements_are_unwrapped(void **state)
{
    char *text = sanitized_body(
        "<p>a <string>kept</string> b <T>z</T> "
        "<kbd>K</kbd></p><svg xmlns=\"http://www.w3.org/2000/svg\">"
        "<circle r=\"1\"/></svg>");

    (void)state;
    assert_non_null(strstr(text, "<p>a kept b z <kbd>K</kbd></p>"));
    assert_non_null(strstr(text, "<circle r=\"1\"/>"));
    assert_true(oc_html_element_known("Blockquote", 10));
    assert_true(oc_html_element_known("a", 1));
    assert_false(oc_html_element_known("abbrx", 5));
    assert_false(oc_html_element_known("t", 1));
    g_free(text);
}

/* What EPUB 3's schema wants of details, summary, picture and style: a
 * <details> without a <summary> is a <div> and keeps no role but
 * "group"; a block in a <summary> is unwrapped, its id kept; a
 * <picture>'s <source>s go; a <style> in the body goes to the head. */
static void
test_details_summary_picture_and_style_made_valid(void **state)
{
    char *text = sanitized_body(
        "<details><p>bare</p></details>"
        "<details role=\"navigation\"><p>x</p><summary><section id=\"m\">"
        "<h4>fn new()</h4></section></summary></details>"
        "<picture><source srcset=\"https://e.org/d.png\"/>"
        "<img src=\"l.png\" alt=\"L\"/></picture>"
        "<style>p { color: red }</style><p>end</p>");

    (void)state;
    assert_non_null(strstr(text, "<div><p>bare</p></div>"));
    assert_non_null(strstr(text, "<details><summary><span id=\"m\"/>"
                                 "<h4>fn new()</h4></summary><p>x</p>"));
    assert_null(strstr(text, "navigation"));
    assert_null(strstr(text, "<source"));
    assert_non_null(strstr(text, "<picture><img"));
    assert_non_null(strstr(text, "color: red }</style></head>"));
    g_free(text);
}

/* A permalink that carries its own id (Node.js's docs) goes from its
 * heading as one pointing at the heading's id does; its id stays, on
 * the element that held the link or, when that has one, on an empty
 * span. */
static void
test_permalink_with_its_own_id_goes(void **state)
{
    char *text = sanitized_body(
        "<h2>Assert<span><a class=\"mark\" "
        "href=\"#x\" id=\"x\">#</a></span></h2><h2 id=\"b\">Buffer"
        "<a href=\"#y\" id=\"y\">\xc2\xb6</a></h2>");

    (void)state;
    assert_non_null(strstr(text, "<h2>Assert<span id=\"x\"/></h2>"));
    assert_non_null(strstr(text, "<h2 id=\"b\">Buffer<span id=\"y\"/></h2>"));
    g_free(text);
}

/* Code in text written from right to left reads from left to right:
 * dir="ltr" where the nearest dir, or else language, is right to left;
 * nothing in a book written from left to right. */
static void
test_code_in_right_to_left_text_reads_left_to_right(void **state)
{
    char *he = sanitized(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"he\"><head>"
        "<title>t</title></head><body><pre>f()</pre><p dir=\"ltr\"><code>"
        "a</code></p><p>\xd7\x90 <code>b()</code></p></body></html>");
    char *en = sanitized(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>"
        "<title>t</title></head><body><pre>f()</pre></body></html>");

    (void)state;
    assert_non_null(strstr(he, "<pre dir=\"ltr\">f()</pre>"));
    assert_non_null(strstr(he, "<p dir=\"ltr\"><code>a</code></p>"));
    assert_non_null(strstr(he, "<code dir=\"ltr\">b()</code>"));
    assert_non_null(strstr(en, "<pre>f()</pre>"));
    g_free(he);
    g_free(en);
}

/* An SVG link is given its text as its title, which a screen reader
 * reads; one with a title, or no text, is left as it is. */
static void
test_svg_link_gets_its_text_as_title(void **state)
{
    char *text = sanitized_body(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        "xmlns:xlink=\"http://www.w3.org/1999/xlink\"><a xlink:href=\"#a\">"
        "<text>TOP</text></a><a xlink:href=\"#b\"><title>B</title><text>X"
        "</text></a><a xlink:href=\"#c\"><rect width=\"1\" height=\"1\"/>"
        "</a></svg>");

    (void)state;
    assert_non_null(strstr(text, "<title>TOP</title><text>TOP</text>"));
    assert_non_null(strstr(text, "<title>B</title><text>X</text>"));
    assert_non_null(strstr(text, "#c\"><rect"));
    g_free(text);
}

/* A block in a <pre> or a heading (rustdoc's where-clauses) becomes a
 * <span>; in a <pre> on a line of its own. */
static void
test_blocks_in_pre_and_headings_become_spans(void **state)
{
    char *text = sanitized_body(
        "<pre><div>pub struct Vec<div class=\"where\">"
        "where T: Ord</div></div></pre><h4>fn f()<div>where A</div></h4>");

    (void)state;
    assert_non_null(strstr(text, "<pre><span>pub struct Vec\n<span "
                                 "class=\"where\">where T: Ord</span></span>"
                                 "</pre>"));
    assert_non_null(strstr(text, "<h4>fn f()<span>where A</span></h4>"));
    g_free(text);
}

/* A <col> directly in a <table> goes in a <colgroup>, as HTML's parser
 * puts it: a run of them in one, placed before the rows. */
static void
test_cols_outside_colgroup_are_put_in_one(void **state)
{
    char *text = sanitized_body(
        "<table><caption>c</caption><col span=\"2\"/>"
        "<col/><tr><td>a</td></tr><col/></table>");

    (void)state;
    assert_non_null(strstr(text, "<table><caption>c</caption><colgroup>"
                                 "<col span=\"2\"/><col/></colgroup>"
                                 "<colgroup><col/></colgroup><tr>"));
    assert_non_null(strstr(text, "</tr></table>"));
    g_free(text);
}

/* A list directly in a list goes into the item before it, where
 * browsers show it; with none before it, into an item of its own with no
 * marker and a number that leaves the next item its own. */
static void
test_list_in_list_goes_in_an_item(void **state)
{
    char *text = sanitized_body(
        "<ul><li>one</li> <ul><li>a</li></ul>"
        "<ol><li>b</li></ol><li>two</li></ul><ol><ul><li>c</li></ul>"
        "<li>three</li></ol>");

    (void)state;
    assert_non_null(strstr(text, "<ul><li>one<ul><li>a</li></ul><ol><li>b"
                                 "</li></ol></li> <li>two</li></ul>"));
    assert_non_null(strstr(text, "<ol><li style=\"list-style-type: none\" "
                                 "value=\"0\"><ul><li>c</li></ul></li>"
                                 "<li>three</li></ol>"));
    g_free(text);
}

/* A link inside a link, at any depth, is no link: its text stays, and
 * its id on a <span>; an SVG's link is not HTML's. */
static void
test_link_inside_link_is_unlinked_at_any_depth(void **state)
{
    char *text = sanitized_body(
        "<p id=\"x\"><a href=\"#x\">one <a href=\"#x\">"
        "two</a> <span>three <b><a href=\"#x\" id=\"y\">four</a></b></span>"
        "</a></p><p><a href=\"#x\"><svg xmlns=\"http://www.w3.org/2000/svg\""
        "><a href=\"#x\"><text>s</text></a></svg></a></p>");

    (void)state;
    assert_non_null(strstr(text, "<a href=\"#x\">one two <span>three <b>"
                                 "<span id=\"y\">four</span></b></span></a>"));
    assert_non_null(strstr(text, "<svg xmlns=\"http://www.w3.org/2000/svg\">"
                                 "<a href=\"#x\">"));
    g_free(text);
}

/* An attribute HTML does not give an element goes; global, data- and
 * aria- attributes, the element's own, and SVG's and MathML's stay. */
static void
test_attributes_html_does_not_have_go(void **state)
{
    char *text = sanitized_body(
        "<p><span class=\"a\" bogus=\"\">one</span> "
        "<span foo=\"1\" data-x=\"2\" title=\"t\">two</span> "
        "<a href=\"#z\" hreflang=\"en\" start=\"3\">z</a></p>"
        "<ol start=\"3\" reversed=\"reversed\"><li value=\"4\">i</li></ol>"
        "<table><tr><td colspan=\"2\" headers=\"h\" span=\"1\">c</td></tr>"
        "</table><svg xmlns=\"http://www.w3.org/2000/svg\" "
        "viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\" rx=\"1\"/>"
        "</svg><math xmlns=\"http://www.w3.org/1998/Math/MathML\" "
        "display=\"block\"><mi mathvariant=\"bold\">x</mi></math>");

    (void)state;
    assert_non_null(strstr(text, "<span class=\"a\">one</span> "
                                 "<span data-x=\"2\" title=\"t\">two</span> "
                                 "<a href=\"#z\" hreflang=\"en\">z</a>"));
    assert_non_null(strstr(text, "<ol start=\"3\" reversed=\"reversed\">"
                                 "<li value=\"4\">"));
    assert_non_null(strstr(text, "<td colspan=\"2\" headers=\"h\">c</td>"));
    assert_non_null(strstr(text, "viewBox=\"0 0 1 1\"><rect width=\"1\" "
                                 "height=\"1\" rx=\"1\"/>"));
    assert_non_null(strstr(text, "display=\"block\"><mi "
                                 "mathvariant=\"bold\">"));
    g_free(text);
}

/* An empty header cell becomes a data cell, without the attributes only
 * a header cell has (Markdown's scope="col", an abbr); one with text
 * keeps them. */
static void
test_empty_th_becomes_td_without_its_scope(void **state)
{
    char *text = sanitized_body(
        "<table><thead><tr><th scope=\"col\">Name</th>"
        "<th scope=\"col\" abbr=\"n\" class=\"x\"> </th></tr></thead>"
        "<tbody><tr><td>a</td><td>b</td></tr></tbody></table>");

    (void)state;
    assert_non_null(strstr(text, "<tr><th scope=\"col\">Name</th>"
                                 "<td class=\"x\"> </td></tr>"));
    assert_null(strstr(text, "abbr"));
    g_free(text);
}

/* HTML's <image> is an <img>, as HTML's parser reads it, its attributes
 * then an image's: a picture of the book keeps its source, size and alt
 * text, one on the web gives way to its alt text, and what the element
 * held follows it. An SVG's <image> stays SVG's. */
static void
test_html_image_is_an_img(void **state)
{
    char *text = sanitized_body(
        "<p>By <a href=\"https://e.org/\"><image height=\"13\" "
        "src=\"logo.png\" alt=\"runmd\"/></a> and "
        "<image src=\"https://e.org/x.png\" alt=\"far\">after</image>"
        "</p><svg xmlns=\"http://www.w3.org/2000/svg\"><image "
        "href=\"p.png\" width=\"1\" height=\"1\"/></svg>");

    (void)state;
    assert_non_null(strstr(text, "<a href=\"https://e.org/\"><img "
                                 "height=\"13\" src=\"logo.png\" "
                                 "alt=\"runmd\"/></a> and farafter</p>"));
    assert_non_null(strstr(text, "<svg xmlns=\"http://www.w3.org/2000/svg\">"
                                 "<image href=\"p.png\" width=\"1\" "
                                 "height=\"1\"/></svg>"));
    g_free(text);
}

/* Text and blocks directly in a <dl> (TeX Live's readme describes a
 * term after its <dt>; a <div> that groups no terms among them) go, in
 * order and with the spaces between them, into the <dd> before them, or
 * a new one after the term before them: none of their words is lost. */
static void
test_text_in_dl_goes_in_a_dd(void **state)
{
    char *text = sanitized_body(
        "<dl><dt><b>-gui</b></dt> (default) does <i>a</i> <i>b</i>.<p>"
        "</p><dt>-no-gui</dt><dd>x</dd> then<p>more</p><div>d</div>"
        "<dt>last</dt> all options.</dl><dl>lead<dt>t</dt><dd>u</dd></dl>");

    (void)state;
    assert_non_null(strstr(text, "<dl><dt><b>-gui</b></dt><dd> (default) "
                                 "does <i>a</i> <i>b</i>.<p/></dd>"
                                 "<dt>-no-gui</dt><dd>x then<p>more</p>"
                                 "<div>d</div></dd><dt>last</dt><dd> all "
                                 "options.</dd></dl>"));
    assert_non_null(strstr(text, "<dl><dt/><dd>lead</dd><dt>t</dt>"
                                 "<dd>u</dd></dl>"));
    g_free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_script_schemes_are_refused_however_written),
        cmocka_unit_test(test_book_web_and_mail_urls_pass),
        cmocka_unit_test(test_tracking_redirects_lead_to_their_address),
        cmocka_unit_test(
            test_malformed_web_and_mail_urls_are_escaped_or_refused),
        cmocka_unit_test(test_web_urls_without_a_host_are_refused),
        cmocka_unit_test(test_international_host_names_are_written_in_ascii),
        cmocka_unit_test(
            test_stylesheet_loses_imports_and_urls_keeps_the_rest),
        cmocka_unit_test(test_stylesheet_read_as_css_reads_it),
        cmocka_unit_test(test_stylesheet_without_loads_is_not_copied),
        cmocka_unit_test(
            test_epub_namespace_selectors_become_data_attributes),
        cmocka_unit_test(test_elements_are_known_in_any_case),
        cmocka_unit_test(test_unknown_elements_are_unwrapped),
        cmocka_unit_test(test_details_summary_picture_and_style_made_valid),
        cmocka_unit_test(test_permalink_with_its_own_id_goes),
        cmocka_unit_test(test_code_in_right_to_left_text_reads_left_to_right),
        cmocka_unit_test(test_svg_link_gets_its_text_as_title),
        cmocka_unit_test(test_blocks_in_pre_and_headings_become_spans),
        cmocka_unit_test(
            test_stylesheet_warnings_count_lines_from_first_line),
        cmocka_unit_test(test_cols_outside_colgroup_are_put_in_one),
        cmocka_unit_test(test_list_in_list_goes_in_an_item),
        cmocka_unit_test(test_link_inside_link_is_unlinked_at_any_depth),
        cmocka_unit_test(test_attributes_html_does_not_have_go),
        cmocka_unit_test(test_empty_th_becomes_td_without_its_scope),
        cmocka_unit_test(test_html_image_is_an_img),
        cmocka_unit_test(test_text_in_dl_goes_in_a_dd),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
