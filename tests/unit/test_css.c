/* test_css.c - the CSS subset: parsing and error recovery, selectors,
 * cascade, inheritance, units, @page, and the speed of the cascade. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "css.h"
#include "error.h"

/* ---- fixture: a collection, a document, the warnings reported ---- */

typedef struct warning {
    char file[256];
    int  line, col;
    char msg[512];
} warning;

static warning warnings[64];
static int nwarnings;

static void
capture(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)ctx;
    if (nwarnings < 64) {
        warning *w = &warnings[nwarnings];

        snprintf(w->file, sizeof w->file, "%s", file ? file : "");
        w->line = line;
        w->col = col;
        snprintf(w->msg, sizeof w->msg, "%s", msg);
    }
    nwarnings++;
}

typedef struct fx {
    oc_arena *a;
    oc_css   *css;
    xmlDocPtr doc;
} fx;

static int
setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    nwarnings = 0;
    oc_set_warn_handler(capture, NULL);
    f->a = oc_arena_new();
    f->css = oc_css_new(f->a);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fx *f = *state;

    if (f->doc)
        xmlFreeDoc(f->doc);
    oc_arena_free(f->a);
    free(f);
    oc_set_warn_handler(NULL, NULL);
    return 0;
}

static void
load(fx *f, const char *css)
{
    oc_error err = {0};

    assert_int_equal(oc_css_parse(f->css, css, strlen(css), "test.css",
                                  &err), OC_OK);
}

static void
parse_into(oc_css *css, const char *text)
{
    oc_error err = {0};

    assert_int_equal(oc_css_parse(css, text, strlen(text), "x.css", &err),
                     OC_OK);
}

/* A chapter whose body holds 'body'. */
static void
chapter(fx *f, const char *body)
{
    static const char head[] =
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
        "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"en\">"
        "<head><title>T</title></head><body>";
    size_t n = strlen(head) + strlen(body) + 32;
    char *text = malloc(n);

    snprintf(text, n, "%s%s</body></html>", head, body);
    if (f->doc)
        xmlFreeDoc(f->doc);
    f->doc = xmlReadMemory(text, (int)strlen(text), "chapter.xhtml", NULL,
                           0);
    free(text);
    assert_non_null(f->doc);
}

static xmlNodePtr
find(xmlNodePtr n, const char *id)
{
    for (; n; n = n->next) {
        xmlChar *v;
        xmlNodePtr r;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        v = xmlGetProp(n, (const xmlChar *)"id");
        if (v && strcmp((const char *)v, id) == 0) {
            xmlFree(v);
            return n;
        }
        xmlFree(v);
        if ((r = find(n->children, id)) != NULL)
            return r;
    }
    return NULL;
}

static xmlNodePtr
el(fx *f, const char *id)
{
    xmlNodePtr n = find(xmlDocGetRootElement(f->doc), id);

    assert_non_null(n);
    return n;
}

static const oc_style *
style_of(oc_css *css, xmlNodePtr n)
{
    xmlNodePtr p = n->parent;
    const oc_style *ps = NULL;

    if (p && p->type == XML_ELEMENT_NODE)
        ps = style_of(css, p);
    return oc_css_compute(css, n, ps);
}

static const oc_style *
st(fx *f, const char *id)
{
    return style_of(f->css, el(f, id));
}

#define assert_pt(a, b) assert_true(fabs_((a) - (b)) < 0.01)

static double
fabs_(double x)
{
    return x < 0 ? -x : x;
}

/* ---- stylesheets parse cleanly ---- */

static void
test_user_agent_sheet_has_no_warnings(void **state)
{
    (void)state;
    assert_int_equal(nwarnings, 0);     /* oc_css_new parsed it */
}

static void
test_book_css_parses_with_no_warnings(void **state)
{
    fx *f = *state;
    oc_error err = {0};

    assert_int_equal(oc_css_parse_file(f->css, "styles/book.css", &err),
                     OC_OK);
    assert_int_equal(nwarnings, 0);
}

/* book.css indents a paragraph that follows another, never one that
 * opens its block: a loose list item's, a cell's, a note's first
 * paragraph is flush, so that an item's lines align under its first. */
static void
test_book_css_indents_only_paragraphs_after_paragraphs(void **state)
{
    fx *f = *state;
    oc_error err = {0};

    assert_int_equal(oc_css_parse_file(f->css, "styles/book.css", &err),
                     OC_OK);
    chapter(f, "<section><h1>T</h1><p id=\"a\">a</p><p id=\"b\">b</p>"
               "<ul><li><p id=\"c\">c</p><p id=\"d\">d</p></li>"
               "<li><p id=\"e\">e</p></li></ul>"
               "<table><tr><td><p id=\"f\">f</p></td></tr></table>"
               "</section>");
    assert_pt(st(f, "a")->text_indent.value, 0);
    assert_true(st(f, "b")->text_indent.value > 0);
    assert_pt(st(f, "c")->text_indent.value, 0);
    assert_true(st(f, "d")->text_indent.value > 0);
    assert_pt(st(f, "e")->text_indent.value, 0);
    assert_pt(st(f, "f")->text_indent.value, 0);
}

static void
test_print_css_parses_with_no_warnings(void **state)
{
    fx *f = *state;
    oc_error err = {0};

    assert_int_equal(oc_css_parse_file(f->css, "styles/print.css", &err),
                     OC_OK);
    assert_int_equal(nwarnings, 0);
}

static void
test_missing_file_is_io_error(void **state)
{
    fx *f = *state;
    oc_error err = {0};

    assert_int_equal(oc_css_parse_file(f->css, "no/such/file.css", &err),
                     OC_ERR_IO);
    assert_string_equal(err.file, "no/such/file.css");
}

/* ---- cascade ---- */

static void
test_id_beats_class_beats_type(void **state)
{
    fx *f = *state;

    load(f, "#x { color: red } .c { color: green } p { color: blue }\n"
            ".c { font-size: 20pt } p { font-size: 30pt }\n");
    chapter(f, "<p id=\"x\" class=\"c\">a</p><p id=\"y\" class=\"c\">b</p>"
               "<p id=\"z\">c</p>");
    assert_int_equal(st(f, "x")->color.r, 255);
    assert_int_equal(st(f, "y")->color.g, 128);
    assert_int_equal(st(f, "z")->color.b, 255);
    assert_pt(st(f, "y")->font_size, 20);
}

static void
test_class_beats_many_types(void **state)
{
    fx *f = *state;

    load(f, ".c { font-size: 10pt } html body div p { font-size: 30pt }");
    chapter(f, "<div><p id=\"p\" class=\"c\">a</p></div>");
    assert_pt(st(f, "p")->font_size, 10);
}

static void
test_later_rule_wins_on_equal_specificity(void **state)
{
    fx *f = *state;

    load(f, "p { font-size: 10pt } p { font-size: 11pt }");
    load(f, "p { font-size: 12pt }");   /* a later sheet, later still */
    chapter(f, "<p id=\"p\">a</p>");
    assert_pt(st(f, "p")->font_size, 12);
}

static void
test_important_beats_specificity_and_order(void **state)
{
    fx *f = *state;

    load(f, "p { font-size: 10pt !important; color: red ! IMPORTANT }\n"
            "#p { font-size: 20pt; color: blue }\n"
            "p { font-size: 30pt }");
    chapter(f, "<p id=\"p\">a</p>");
    assert_pt(st(f, "p")->font_size, 10);
    assert_int_equal(st(f, "p")->color.r, 255);
}

static void
test_author_beats_user_agent(void **state)
{
    fx *f = *state;

    load(f, "em { font-style: normal }");
    chapter(f, "<p><em id=\"e\">a</em><i id=\"i\">b</i></p>");
    assert_int_equal(st(f, "e")->font_style, OC_FONT_STYLE_NORMAL);
    assert_int_equal(st(f, "i")->font_style, OC_FONT_STYLE_ITALIC);
}

static void
test_style_attribute_beats_id(void **state)
{
    fx *f = *state;

    load(f, "#c { text-align: left; font-size: 9pt }");
    chapter(f, "<table><tr><td id=\"c\" style=\"text-align: right\">1</td>"
               "</tr></table>");
    assert_int_equal(st(f, "c")->text_align, OC_ALIGN_RIGHT);
    assert_pt(st(f, "c")->font_size, 9);
}

static void
test_important_rule_beats_style_attribute(void **state)
{
    fx *f = *state;

    load(f, "td { text-align: center !important }");
    chapter(f, "<table><tr><td id=\"c\" style=\"text-align: right\">1</td>"
               "<td id=\"d\" style=\"text-align: left !important\">2</td>"
               "</tr></table>");
    assert_int_equal(st(f, "c")->text_align, OC_ALIGN_CENTER);
    assert_int_equal(st(f, "d")->text_align, OC_ALIGN_LEFT);
}

static void
test_bad_style_attribute_warns_with_element_line(void **state)
{
    fx *f = *state;

    chapter(f, "\n<p id=\"p\" style=\"colour: red; font-size: 8pt\">a</p>");
    assert_pt(st(f, "p")->font_size, 8);
    assert_int_equal(nwarnings, 1);
    assert_string_equal(warnings[0].file, "chapter.xhtml");
    assert_int_equal(warnings[0].line, 2);
    assert_non_null(strstr(warnings[0].msg, "colour"));
}

/* ---- inheritance ---- */

static void
test_font_size_em_compounds(void **state)
{
    fx *f = *state;

    load(f, "html { font-size: 10pt } div { font-size: 1.5em }");
    chapter(f, "<div id=\"a\"><div id=\"b\"><span id=\"c\">x</span>"
               "</div></div>");
    assert_pt(st(f, "a")->font_size, 15);
    assert_pt(st(f, "b")->font_size, 22.5);
    assert_pt(st(f, "c")->font_size, 22.5);
}

static void
test_line_height_number_inherits_as_factor(void **state)
{
    fx *f = *state;
    const oc_style *s;

    load(f, "div { font-size: 10pt; line-height: 1.5 } "
            "span { font-size: 20pt }");
    chapter(f, "<div><span id=\"s\">x</span></div>");
    s = st(f, "s");
    assert_int_equal(s->line_height.kind, OC_LINE_HEIGHT_FACTOR);
    assert_pt(oc_css_line_height(s), 30);
}

static void
test_line_height_length_inherits_as_length(void **state)
{
    fx *f = *state;
    const oc_style *s;

    load(f, "div { font-size: 10pt; line-height: 1.5em } "
            "p { font-size: 10pt; line-height: 120% } "
            "span { font-size: 20pt }");
    chapter(f, "<div><span id=\"s\">x</span></div>"
               "<p><span id=\"t\">y</span></p>");
    s = st(f, "s");
    assert_int_equal(s->line_height.kind, OC_LINE_HEIGHT_PT);
    assert_pt(oc_css_line_height(s), 15);
    assert_pt(oc_css_line_height(st(f, "t")), 12);
}

static void
test_line_height_normal_is_1_2(void **state)
{
    fx *f = *state;

    load(f, "p { font-size: 10pt }");
    chapter(f, "<p id=\"p\">a</p>");
    assert_int_equal(st(f, "p")->line_height.kind, OC_LINE_HEIGHT_NORMAL);
    assert_pt(oc_css_line_height(st(f, "p")), 12);
}

static void
test_color_is_inherited(void **state)
{
    fx *f = *state;

    load(f, "div { color: #336699 }");
    chapter(f, "<div><p><span id=\"s\">x</span></p></div>");
    assert_int_equal(st(f, "s")->color.r, 0x33);
    assert_int_equal(st(f, "s")->color.g, 0x66);
    assert_int_equal(st(f, "s")->color.b, 0x99);
}

/* background-color, and the colour of the background shorthand (the
 * last one given; none: transparent; the rest passed over without a
 * word); not inherited; currentColor is the element's colour; a mark is
 * highlighted by the user agent's rules. */
static void
test_background_color(void **state)
{
    fx *f = *state;

    load(f, ".a { background-color: #102030 }\n"
            ".b { background: no-repeat top left rgb(1, 2, 3) }\n"
            ".c { background: red; background: none }\n"
            ".d { color: #0000ff; background-color: currentColor }\n");
    chapter(f, "<p><span class=\"a\" id=\"a\"><em id=\"in\">x</em></span>"
               "<span class=\"b\" id=\"b\">y</span>"
               "<span class=\"c\" id=\"c\">z</span>"
               "<span class=\"d\" id=\"d\">w</span>"
               "<mark id=\"m\">v</mark></p>");
    assert_int_equal(nwarnings, 0);
    assert_int_equal(st(f, "a")->background_color.r, 0x10);
    assert_int_equal(st(f, "a")->background_color.b, 0x30);
    assert_int_equal(st(f, "a")->background_color.a, 255);
    assert_int_equal(st(f, "in")->background_color.a, 0);
    assert_int_equal(st(f, "b")->background_color.g, 2);
    assert_int_equal(st(f, "b")->background_color.a, 255);
    assert_int_equal(st(f, "c")->background_color.a, 0);
    assert_int_equal(st(f, "d")->background_color.b, 255);
    assert_int_equal(st(f, "d")->background_color.a, 255);
    assert_int_equal(st(f, "m")->background_color.r, 0xff);
    assert_int_equal(st(f, "m")->background_color.g, 0xf5);
    assert_int_equal(st(f, "m")->background_color.a, 255);
}

static void
test_margins_and_padding_are_not_inherited(void **state)
{
    fx *f = *state;

    load(f, "div { margin: 10pt; padding: 5pt; text-indent: 7pt }");
    chapter(f, "<div><span id=\"s\">x</span></div>");
    assert_pt(st(f, "s")->margin[OC_SIDE_TOP].value, 0);
    assert_pt(st(f, "s")->padding[OC_SIDE_LEFT].value, 0);
    assert_pt(st(f, "s")->text_indent.value, 7);    /* this one is */
}

static void
test_width_height_max_width_of_images(void **state)
{
    fx *f = *state;

    load(f, "img { max-width: 100% } #a { width: 50%; height: 2cm }\n"
            "#b { width: -3pt; max-width: none } #c { width: auto }");
    chapter(f, "<p><img id=\"a\"/><img id=\"b\"/><img id=\"c\"/>"
               "<span id=\"d\"/></p>");
    assert_int_equal(st(f, "a")->width.unit, OC_LEN_PERCENT);
    assert_pt(st(f, "a")->width.value, 50);
    assert_int_equal(st(f, "a")->height.unit, OC_LEN_PT);
    assert_pt(st(f, "a")->height.value, 72 / 2.54 * 2);
    assert_int_equal(st(f, "a")->max_width.unit, OC_LEN_PERCENT);
    /* a negative width is refused: the initial auto stays */
    assert_int_equal(st(f, "b")->width.unit, OC_LEN_AUTO);
    assert_int_equal(st(f, "b")->max_width.unit, OC_LEN_AUTO);
    assert_int_equal(st(f, "c")->width.unit, OC_LEN_AUTO);
    assert_int_equal(st(f, "d")->width.unit, OC_LEN_AUTO);
    assert_int_equal(st(f, "d")->max_width.unit, OC_LEN_AUTO);
}

static void
test_inherit_initial_unset_keywords(void **state)
{
    fx *f = *state;

    load(f, "div { margin-left: 10pt; font-size: 20pt }\n"
            "p { margin-left: inherit; font-size: initial }\n"
            "span { font-size: unset; font-style: initial }");
    chapter(f, "<div><p id=\"p\"><em><span id=\"s\">x</span></em></p>"
               "</div>");
    assert_pt(st(f, "p")->margin[OC_SIDE_LEFT].value, 10);
    assert_pt(st(f, "p")->font_size, 12);
    assert_pt(st(f, "s")->font_size, 12);
    assert_int_equal(st(f, "s")->font_style, OC_FONT_STYLE_NORMAL);
}

static void
test_rem_is_relative_to_root(void **state)
{
    fx *f = *state;

    load(f, "html { font-size: 10pt } div { font-size: 3em }"
            "p { font-size: 2rem; margin-top: 1rem }");
    chapter(f, "<div><p id=\"p\">x</p></div>");
    assert_pt(st(f, "p")->font_size, 20);
    assert_pt(st(f, "p")->margin[OC_SIDE_TOP].value, 10);
}

static void
test_decorations_propagate_to_descendants(void **state)
{
    fx *f = *state;

    load(f, "span { text-decoration: underline }");
    chapter(f, "<p><del><span id=\"s\">x</span></del></p>");
    assert_int_equal(st(f, "s")->text_decoration,
                     OC_DECORATION_UNDERLINE | OC_DECORATION_LINE_THROUGH);
}

static void
test_computed_styles_are_shared(void **state)
{
    fx *f = *state;

    chapter(f, "<p id=\"a\">a</p><p id=\"b\">b</p><p id=\"c\" "
               "class=\"x\">c</p>");
    load(f, ".x { color: red }");
    assert_ptr_equal(st(f, "a"), st(f, "b"));
    assert_ptr_not_equal(st(f, "a"), st(f, "c"));
}

static void
test_parent_style_need_not_come_from_compute(void **state)
{
    fx *f = *state;
    oc_style parent;
    const oc_style *s;

    chapter(f, "<p><span id=\"s\">x</span></p>");
    parent = *st(f, "s");
    parent.font_size = 40;
    s = oc_css_compute(f->css, el(f, "s"), &parent);
    assert_pt(s->font_size, 40);
    parent.font_size = 30;              /* same address, new content */
    s = oc_css_compute(f->css, el(f, "s"), &parent);
    assert_pt(s->font_size, 30);
}

static void
test_non_element_gets_parent_style(void **state)
{
    fx *f = *state;
    const oc_style *p;

    chapter(f, "<p id=\"p\">text</p>");
    p = st(f, "p");
    assert_ptr_equal(oc_css_compute(f->css, el(f, "p")->children, p), p);
    assert_non_null(oc_css_compute(f->css, el(f, "p")->children, NULL));
}

/* ---- selectors ---- */

static void
test_type_selector_is_case_insensitive(void **state)
{
    fx *f = *state;

    load(f, "P { font-size: 9pt }");
    chapter(f, "<p id=\"p\">a</p><div id=\"d\">b</div>");
    assert_pt(st(f, "p")->font_size, 9);
    assert_pt(st(f, "d")->font_size, 12);
}

static void
test_class_selector_with_several_classes(void **state)
{
    fx *f = *state;

    load(f, ".a.b { font-size: 9pt } .c { color: red }");
    chapter(f, "<p id=\"x\" class=\" b  c a\">1</p><p id=\"y\" class=\"a\">"
               "2</p><p id=\"z\" class=\"cc\">3</p>");
    assert_pt(st(f, "x")->font_size, 9);
    assert_int_equal(st(f, "x")->color.r, 255);
    assert_pt(st(f, "y")->font_size, 12);
    assert_int_equal(st(f, "z")->color.r, 0);
}

static void
test_id_selector(void **state)
{
    fx *f = *state;

    load(f, "#intro { font-size: 9pt } p#other { font-size: 8pt }");
    chapter(f, "<p id=\"intro\">a</p><div id=\"other\">b</div>");
    assert_pt(st(f, "intro")->font_size, 9);
    assert_pt(st(f, "other")->font_size, 12);
}

static void
test_universal_selector(void **state)
{
    fx *f = *state;

    load(f, "* { color: red } div > * { font-size: 9pt }");
    chapter(f, "<div><span id=\"s\">a</span></div><p id=\"p\">b</p>");
    assert_int_equal(st(f, "p")->color.r, 255);
    assert_pt(st(f, "s")->font_size, 9);
    assert_pt(st(f, "p")->font_size, 12);
}

static void
test_attribute_selectors(void **state)
{
    fx *f = *state;

    load(f, "[title] { font-size: 9pt }\n"
            "[lang=\"fr\"] { font-weight: 700 }\n"
            "[data-x~=\"two\"] { font-style: italic }\n"
            "[lang|=\"de\"] { color: red }\n"
            "[href^=\"http\"] { text-transform: uppercase }\n"
            "[href$=\".pdf\"] { letter-spacing: 1pt }\n"
            "[href*=\"ample\"] { word-spacing: 2pt }\n"
            "[data-y=\"ABC\" i] { white-space: pre }\n");
    chapter(f, "<p id=\"a\" title=\"\">a</p>"
               "<p id=\"b\" lang=\"fr\">b</p><p id=\"c\" lang=\"fr-CA\">c</p>"
               "<p id=\"d\" data-x=\"one two three\">d</p>"
               "<p id=\"e\" lang=\"de-AT\">e</p><p id=\"g\" lang=\"den\">g</p>"
               "<p><a id=\"h\" href=\"https://example.org/x.pdf\">h</a></p>"
               "<p id=\"i\" data-y=\"abc\">i</p>");
    assert_pt(st(f, "a")->font_size, 9);
    assert_pt(st(f, "b")->font_size, 12);
    assert_int_equal(st(f, "b")->font_weight, 700);
    assert_int_equal(st(f, "c")->font_weight, 400);
    assert_int_equal(st(f, "d")->font_style, OC_FONT_STYLE_ITALIC);
    assert_int_equal(st(f, "e")->color.r, 255);
    assert_int_equal(st(f, "g")->color.r, 0);
    assert_int_equal(st(f, "h")->text_transform, OC_TRANSFORM_UPPERCASE);
    assert_pt(st(f, "h")->letter_spacing, 1);
    assert_pt(st(f, "h")->word_spacing, 2);
    assert_int_equal(st(f, "i")->white_space, OC_WS_PRE);
}

static void
test_namespaced_attribute_selector(void **state)
{
    fx *f = *state;

    load(f, "@namespace ops url(http://www.idpf.org/2007/ops);\n"
            "aside[ops|type~=\"footnote\"] { font-size: 8pt }\n"
            "[epub|type=\"chapter\"] { font-size: 14pt }\n"
            "[type=\"chapter\"] { color: red }\n");
    chapter(f, "<section id=\"s\" epub:type=\"chapter\">"
               "<aside id=\"n\" epub:type=\"rearnote footnote\">x</aside>"
               "</section>");
    assert_pt(st(f, "n")->font_size, 8);
    assert_pt(st(f, "s")->font_size, 14);
    assert_int_equal(st(f, "s")->color.r, 0);   /* [type] has no ns */
}

static void
test_default_namespace_restricts_selectors(void **state)
{
    fx *f = *state;

    load(f, "@namespace url(http://www.w3.org/1999/xhtml);\n"
            ".x { font-size: 9pt }");
    load(f, "@namespace \"urn:other\"; p, .y { color: red }");
    chapter(f, "<p id=\"p\" class=\"x y\">a</p>");
    assert_pt(st(f, "p")->font_size, 9);
    assert_int_equal(st(f, "p")->color.r, 0);
    assert_int_equal(nwarnings, 0);
}

static void
test_descendant_combinator(void **state)
{
    fx *f = *state;

    load(f, "section p { font-size: 9pt } .a .b .c { color: red }");
    chapter(f, "<section><div><p id=\"p\">a</p></div></section><p id=\"q\">"
               "b</p><div class=\"a\"><div class=\"c\"><div class=\"b\">"
               "<span id=\"s\" class=\"c\">x</span></div></div></div>");
    assert_pt(st(f, "p")->font_size, 9);
    assert_pt(st(f, "q")->font_size, 12);
    assert_int_equal(st(f, "s")->color.r, 255);
}

static void
test_child_combinator(void **state)
{
    fx *f = *state;

    load(f, "section > p { font-size: 9pt }"
            "div > .x p { color: red }");
    chapter(f, "<section><p id=\"a\">a</p><div><p id=\"b\">b</p></div>"
               "</section><div><div class=\"x\"><div><p id=\"c\">c</p>"
               "</div></div></div>");
    assert_pt(st(f, "a")->font_size, 9);
    assert_pt(st(f, "b")->font_size, 12);
    assert_int_equal(st(f, "c")->color.r, 255);
}

static void
test_adjacent_sibling_combinator(void **state)
{
    fx *f = *state;

    load(f, "h1 + p { text-indent: 0 } p { text-indent: 1em }");
    chapter(f, "<h1>T</h1>\n  <!-- c -->\n<p id=\"a\">a</p><p id=\"b\">b</p>");
    assert_pt(st(f, "a")->text_indent.value, 0);
    assert_pt(st(f, "b")->text_indent.value, 12);
}

static void
test_general_sibling_combinator(void **state)
{
    fx *f = *state;

    load(f, "h2 ~ p { font-size: 9pt }");
    chapter(f, "<p id=\"a\">a</p><h2>T</h2><div>x</div><p id=\"b\">b</p>");
    assert_pt(st(f, "a")->font_size, 12);
    assert_pt(st(f, "b")->font_size, 9);
}

static void
test_first_child_and_friends(void **state)
{
    fx *f = *state;

    load(f, "section > p:first-child { text-indent: 0 } "
            "p { text-indent: 1em } p:last-child { color: red } "
            "li:only-child { font-size: 9pt } :root { line-height: 2 }");
    chapter(f, "<section>text <p id=\"a\">a</p><p id=\"b\">b</p></section>"
               "<ul><li id=\"l\">x</li></ul>");
    assert_pt(st(f, "a")->text_indent.value, 0);
    assert_pt(st(f, "b")->text_indent.value, 12);
    assert_int_equal(st(f, "b")->color.r, 255);
    assert_int_equal(st(f, "a")->color.r, 0);
    assert_pt(st(f, "l")->font_size, 9);
    assert_int_equal(st(f, "a")->line_height.kind, OC_LINE_HEIGHT_FACTOR);
}

static void
test_selector_list(void **state)
{
    fx *f = *state;

    load(f, "h1, .k,#z { font-size: 9pt }");
    chapter(f, "<h1 id=\"x\">a</h1><p id=\"y\" class=\"k\">b</p>"
               "<p id=\"z\">c</p><p id=\"w\">d</p>");
    assert_pt(st(f, "x")->font_size, 9);
    assert_pt(st(f, "y")->font_size, 9);
    assert_pt(st(f, "z")->font_size, 9);
    assert_pt(st(f, "w")->font_size, 12);
}

static void
test_pseudo_elements_are_ignored_silently(void **state)
{
    fx *f = *state;

    load(f, "p::after { content: \"x\"; font-size: 30pt }\n"
            "p:before, p::first-line { font-size: 40pt }\n"
            "p::before, p { color: red }\n"
            "a:hover { color: blue }\n");
    chapter(f, "<p id=\"p\"><a id=\"a\" href=\"#\">a</a></p>");
    assert_int_equal(nwarnings, 0);
    assert_pt(st(f, "p")->font_size, 12);
    assert_int_equal(st(f, "p")->color.r, 255);
    assert_int_equal(st(f, "a")->color.b, 0);
}

static void
test_unsupported_pseudo_class_drops_rule_with_warning(void **state)
{
    fx *f = *state;

    load(f, "p { font-size: 10pt }\n"
            "p:nth-child(2), h1 { font-size: 30pt }\n"
            "p:checked { font-size: 31pt }\n");
    chapter(f, "<h1 id=\"h\">t</h1><p id=\"p\">a</p>");
    assert_pt(st(f, "p")->font_size, 10);
    assert_pt(st(f, "h")->font_size, 24);       /* the whole rule went */
    assert_int_equal(nwarnings, 2);
    assert_int_equal(warnings[0].line, 2);
    assert_int_equal(warnings[0].col, 3);
    assert_non_null(strstr(warnings[0].msg, "nth-child"));
    assert_int_equal(warnings[1].line, 3);
}

static void
test_lang_pseudo_class_matches_the_inherited_language(void **state)
{
    fx *f = *state;

    load(f, "p:lang(zh) { font-size: 9pt }\n"
            "p { font-size: 10pt }\n"
            ":lang(fr, \"ja\") { font-weight: 700 }\n"
            "p:lang(zh-hant) { color: red }\n"
            "p:lang(\"*\") { text-indent: 5pt }\n");
    chapter(f, "<div lang=\"zh\"><p id=\"a\">a</p>"
               "<p id=\"b\" lang=\"en\">b</p></div>"
               "<p id=\"c\" xml:lang=\"zh-Hant-TW\" lang=\"fr\">c</p>"
               "<p id=\"d\" lang=\"zhx\">d</p>"
               "<p id=\"e\" lang=\"ZH-cn\">e</p>"
               "<p id=\"g\" lang=\"ja\">g</p><p id=\"h\">h</p>"
               "<div lang=\"\"><p id=\"i\">i</p></div>");
    assert_pt(st(f, "a")->font_size, 9);        /* from its div */
    assert_pt(st(f, "b")->font_size, 10);
    assert_pt(st(f, "c")->font_size, 9);        /* xml:lang first */
    assert_int_equal(st(f, "c")->color.r, 255);
    assert_int_equal(st(f, "c")->font_weight, 400);
    assert_pt(st(f, "d")->font_size, 10);       /* not a subtag */
    assert_pt(st(f, "e")->font_size, 9);        /* any case */
    assert_int_equal(st(f, "e")->color.r, 0);
    assert_int_equal(st(f, "g")->font_weight, 700);
    assert_pt(st(f, "h")->text_indent.value, 5);      /* the root's "en" */
    assert_pt(st(f, "i")->text_indent.value, 0);      /* "" is no language */
    assert_int_equal(nwarnings, 0);
}

static void
test_bad_lang_pseudo_class_drops_rule_with_warning(void **state)
{
    fx *f = *state;

    load(f, "p { font-size: 10pt }\n"
            "p:lang() { font-size: 30pt }\n"
            "p:lang(zh,) { font-size: 31pt }\n"
            "p:lang(zh ja) { font-size: 32pt }\n"
            "p:lang(1) { font-size: 33pt }\n");
    chapter(f, "<p id=\"p\" lang=\"zh\">a</p>");
    assert_pt(st(f, "p")->font_size, 10);
    assert_int_equal(nwarnings, 4);
    assert_non_null(strstr(warnings[0].msg, "lang"));
}

static void
test_deep_descendant_chain_is_fast(void **state)
{
    fx *f = *state;
    char *body = malloc(200 * 16 + 64);
    size_t n = 0;
    clock_t t0;

    for (int k = 0; k < 200; k++)
        n += (size_t)sprintf(body + n, "<div>");
    n += (size_t)sprintf(body + n, "<p id=\"p\">x</p>");
    for (int k = 0; k < 200; k++)
        n += (size_t)sprintf(body + n, "</div>");
    load(f, "div div div div div div div div div div div div div div div "
            "div div div div div div div div div div div span p "
            "{ color: red }");
    chapter(f, body);
    free(body);
    t0 = clock();
    assert_int_equal(st(f, "p")->color.r, 0);
    assert_true(clock() - t0 < CLOCKS_PER_SEC);
}

/* ---- error recovery ---- */

static void
test_broken_declaration_is_skipped_and_next_applies(void **state)
{
    fx *f = *state;

    load(f, "p {\n"
            "  font-size 20pt;\n"
            "  color: red;\n"
            "  font-weight: bold bold;\n"
            "  margin-left: (1pt; ]; x: y) 3pt;\n"
            "  text-indent: 2pt;\n"
            "}\n");
    chapter(f, "<p id=\"p\">a</p>");
    assert_pt(st(f, "p")->font_size, 12);
    assert_int_equal(st(f, "p")->color.r, 255);
    assert_int_equal(st(f, "p")->font_weight, 400);
    assert_pt(st(f, "p")->text_indent.value, 2);
    assert_int_equal(nwarnings, 3);
    assert_int_equal(warnings[0].line, 2);
    assert_int_equal(warnings[0].col, 13);
    assert_int_equal(warnings[1].line, 4);
    assert_non_null(strstr(warnings[1].msg, "font-weight"));
    assert_int_equal(warnings[2].line, 5);
    assert_string_equal(warnings[0].file, "test.css");
}

static void
test_unterminated_block_still_applies(void **state)
{
    fx *f = *state;

    load(f, "h1 { color: blue }\n"
            "p { font-size: 9pt;\n"
            "    color: red");
    chapter(f, "<p id=\"p\">a</p>");
    assert_pt(st(f, "p")->font_size, 9);
    assert_int_equal(st(f, "p")->color.r, 255);
    assert_int_equal(nwarnings, 1);
    assert_int_equal(warnings[0].line, 2);
    assert_non_null(strstr(warnings[0].msg, "'}' missing"));
}

static void
test_garbage_between_rules_loses_one_rule(void **state)
{
    fx *f = *state;

    load(f, "p { font-size: 9pt }\n"
            "}} %% garbage ;\n"
            "div { color: red }\n"
            "h1 { color: blue }\n"
            "12px { x: y }\n"
            "p { font-weight: bold }\n");
    chapter(f, "<p id=\"p\">a</p><div id=\"d\">b</div><h1 id=\"h\">c</h1>");
    assert_pt(st(f, "p")->font_size, 9);
    assert_int_equal(st(f, "d")->color.r, 0);   /* swallowed, as browsers */
    assert_int_equal(st(f, "h")->color.b, 255);
    assert_int_equal(st(f, "p")->font_weight, 700);
    assert_int_equal(nwarnings, 2);
    assert_int_equal(warnings[0].line, 2);
    assert_int_equal(warnings[1].line, 5);
}

static void
test_strings_escapes_and_comments(void **state)
{
    fx *f = *state;

    load(f, "/* a comment { p { color: red } } */\n"
            "p { font-family: \"Gill \\53 ans\", 'It\\'s', Times   New "
            "Roman, serif; /* inline */ }\n"
            "#\\31 st { font-size: 9pt }\n"
            "p.a\\.b { color: red }\n"
            "/* unterminated");
    chapter(f, "<p id=\"p\">a</p><p id=\"1st\" class=\"a.b\">b</p>");
    assert_string_equal(st(f, "p")->font_family,
                        "Gill Sans, It's, Times New Roman, serif");
    assert_pt(st(f, "1st")->font_size, 9);
    assert_int_equal(st(f, "1st")->color.r, 255);
    assert_int_equal(nwarnings, 1);
    assert_non_null(strstr(warnings[0].msg, "comment"));
}

static void
test_unknown_property_warned_once(void **state)
{
    fx *f = *state;

    load(f, "p { clear: left }\n"
            "h1 {\n"
            "  color: red; clear: right }\n");
    load(f, "div { clear: none; CLEAR: left }");
    chapter(f, "<h1 id=\"h\">a</h1>");
    assert_int_equal(st(f, "h")->color.r, 255);
    assert_int_equal(nwarnings, 1);
    assert_string_equal(warnings[0].file, "test.css");
    assert_int_equal(warnings[0].line, 1);
    assert_int_equal(warnings[0].col, 5);
    assert_non_null(strstr(warnings[0].msg, "'clear'"));
}

/* float: the sides are read and set in place; top-if-necessary is the
 * page float of figures; an unknown value is dropped with a warning. */
static void
test_float_values(void **state)
{
    fx *f = *state;

    load(f, "figure { float: top-if-necessary }\n"
            "p { float: left }\n"
            "#n { float: none }\n"
            "#x { float: top-if-necessary; float: sideways }\n");
    chapter(f, "<figure id=\"f\"><p id=\"p\">a</p></figure>"
               "<figure id=\"n\">b</figure><div id=\"x\">c</div>");
    assert_int_equal(st(f, "f")->page_float, OC_FLOAT_TOP);
    assert_int_equal(st(f, "p")->page_float, OC_FLOAT_SIDE);
    assert_int_equal(st(f, "n")->page_float, OC_FLOAT_NONE);
    assert_int_equal(st(f, "x")->page_float, OC_FLOAT_TOP);
    assert_int_equal(nwarnings, 1);
    assert_int_equal(warnings[0].line, 4);
}

static void
test_vendor_and_screen_properties_are_silent(void **state)
{
    fx *f = *state;

    load(f, "p { -webkit-font-smoothing: none; -moz-osx-x: 1; --x: 1;\n"
            "    border: 1px solid; border-collapse: collapse;\n"
            "    max-width: 10px; background-color: red; content: 'x';\n"
            "    text-decoration-color: red; box-shadow: none;\n"
            "    -webkit-hyphens: auto; -epub-hyphens: auto }");
    chapter(f, "<p id=\"p\">a</p>");
    assert_int_equal(nwarnings, 0);
    assert_int_equal(st(f, "p")->hyphens, OC_HYPHENS_AUTO);
}

static void
test_invalid_value_keeps_earlier_value(void **state)
{
    fx *f = *state;

    load(f, "p { font-size: 9pt; font-size: -3pt; color: #12; "
            "display: flux; widows: 0 }");
    chapter(f, "<p id=\"p\">a</p>");
    assert_pt(st(f, "p")->font_size, 9);
    assert_int_equal(st(f, "p")->display, OC_DISPLAY_BLOCK);
    assert_int_equal(st(f, "p")->widows, 2);
    assert_int_equal(nwarnings, 4);
}

static void
test_media_print_honoured_screen_skipped(void **state)
{
    fx *f = *state;

    load(f, "@media screen { p { font-size: 20pt } }\n"
            "@media print { p { color: red } @media all { p { "
            "font-weight: bold } } }\n"
            "@media only screen and (max-width: 600px) { p { "
            "font-style: italic } }\n"
            "@media not screen { p { text-indent: 3pt } }\n"
            "@media screen, print { p { letter-spacing: 1pt } }\n"
            "@media amzn-kf8 { p { word-spacing: 9pt } }\n");
    chapter(f, "<p id=\"p\">a</p>");
    assert_pt(st(f, "p")->font_size, 12);
    assert_int_equal(st(f, "p")->color.r, 255);
    assert_int_equal(st(f, "p")->font_weight, 700);
    assert_int_equal(st(f, "p")->font_style, OC_FONT_STYLE_NORMAL);
    assert_pt(st(f, "p")->text_indent.value, 3);
    assert_pt(st(f, "p")->letter_spacing, 1);
    assert_pt(st(f, "p")->word_spacing, 0);
    assert_int_equal(nwarnings, 0);
}

static void
test_unknown_at_rule_skipped_with_nested_blocks(void **state)
{
    fx *f = *state;

    load(f, "@supports (display: grid) { p { x { y: z } } div { } }\n"
            "@font-face { font-family: X; src: url(x.otf) }\n"
            "@import url(\"other.css\");\n"
            "@charset \"utf-8\";\n"
            "p { color: red }\n");
    chapter(f, "<p id=\"p\">a</p>");
    assert_int_equal(st(f, "p")->color.r, 255);
    assert_int_equal(nwarnings, 2);
    assert_int_equal(warnings[0].line, 1);
    assert_non_null(strstr(warnings[0].msg, "@supports"));
    assert_int_equal(warnings[1].line, 3);
    assert_non_null(strstr(warnings[1].msg, "@import"));
}

/* ---- properties and units ---- */

static void
test_units_convert_to_points(void **state)
{
    fx *f = *state;
    const oc_style *s;

    load(f, "div { font-size: 10pt }\n"
            "p { margin: 16px 1in 2.54cm 25.4mm; padding: 1pc 2em 2ex 1ch;"
            "    text-indent: 1rem; letter-spacing: 4q }");
    chapter(f, "<div><p id=\"p\">a</p></div>");
    s = st(f, "p");
    assert_pt(s->margin[OC_SIDE_TOP].value, 12);
    assert_pt(s->margin[OC_SIDE_RIGHT].value, 72);
    assert_pt(s->margin[OC_SIDE_BOTTOM].value, 72);
    assert_pt(s->margin[OC_SIDE_LEFT].value, 72);
    assert_pt(s->padding[OC_SIDE_TOP].value, 12);
    assert_pt(s->padding[OC_SIDE_RIGHT].value, 20);
    assert_pt(s->padding[OC_SIDE_BOTTOM].value, 10);
    assert_pt(s->padding[OC_SIDE_LEFT].value, 5);
    assert_pt(s->text_indent.value, 12);
    assert_pt(s->letter_spacing, 72 / 25.4);
}

static void
test_percentages_of_width_stay_percent(void **state)
{
    fx *f = *state;
    const oc_style *s;

    load(f, "p { margin: 0 5% 0 auto; text-indent: 10%; padding-left: 2% }"
            "div { font-size: 200% }");
    chapter(f, "<div id=\"d\"><p id=\"p\">a</p></div>");
    s = st(f, "p");
    assert_int_equal(s->margin[OC_SIDE_RIGHT].unit, OC_LEN_PERCENT);
    assert_pt(s->margin[OC_SIDE_RIGHT].value, 5);
    assert_int_equal(s->margin[OC_SIDE_LEFT].unit, OC_LEN_AUTO);
    assert_int_equal(s->text_indent.unit, OC_LEN_PERCENT);
    assert_pt(oc_css_length(s->text_indent, 300), 30);
    assert_pt(oc_css_length(s->padding[OC_SIDE_LEFT], 300), 6);
    assert_pt(st(f, "d")->font_size, 24);    /* of the parent's size */
}

static void
test_font_size_keywords(void **state)
{
    fx *f = *state;

    load(f, "#a { font-size: small } #b { font-size: x-large }"
            "#c { font-size: larger } #d { font-size: smaller }"
            "#e { font-size: 15pt }");
    chapter(f, "<p id=\"a\">a</p><p id=\"b\">b</p><div id=\"e\">"
               "<p id=\"c\">c</p><p id=\"d\">d</p></div>");
    assert_pt(st(f, "a")->font_size, 12 * 8.0 / 9);
    assert_pt(st(f, "b")->font_size, 18);
    assert_pt(st(f, "c")->font_size, 18);
    assert_pt(st(f, "d")->font_size, 12.5);
}

static void
test_font_weight_values(void **state)
{
    fx *f = *state;

    load(f, "#a { font-weight: 300 } #b { font-weight: bolder }"
            "#c { font-weight: lighter } #d { font-weight: bold }"
            "#e { font-weight: bolder }");
    chapter(f, "<div id=\"a\"><p id=\"b\">b</p></div>"
               "<div id=\"d\"><p id=\"c\">c</p><p id=\"e\">e</p></div>");
    assert_int_equal(st(f, "a")->font_weight, 300);
    assert_int_equal(st(f, "b")->font_weight, 400);
    assert_int_equal(st(f, "c")->font_weight, 400);
    assert_int_equal(st(f, "e")->font_weight, 900);
    assert_int_equal(st(f, "d")->font_weight, 700);
}

static void
test_font_variant_numeric_flags_inherit(void **state)
{
    fx *f = *state;

    load(f, "table { font-variant-numeric: lining-nums tabular-nums }"
            "td.o { font-variant-numeric: oldstyle-nums }"
            "td.n { font-variant-numeric: normal }"
            "p { font-variant-numeric: diagonal-fractions ordinal"
            "    slashed-zero }"
            "p { font-variant-numeric: tabular-nums proportional-nums }"
            "p { font-variant-numeric: lining-nums lining-nums }"
            "p { font-variant-numeric: small-caps }");
    chapter(f, "<table><tr><td id=\"i\">1</td>"
               "<td class=\"o\" id=\"o\">2</td>"
               "<td class=\"n\" id=\"n\">3</td></tr></table>"
               "<p id=\"p\">4</p><div id=\"d\">5</div>");
    assert_int_equal(st(f, "i")->font_variant_numeric,
                     OC_NUMERIC_LINING | OC_NUMERIC_TABULAR);
    assert_int_equal(st(f, "o")->font_variant_numeric, OC_NUMERIC_OLDSTYLE);
    assert_int_equal(st(f, "n")->font_variant_numeric, 0);
    assert_int_equal(st(f, "p")->font_variant_numeric,
                     OC_NUMERIC_DIAGONAL_FRAC | OC_NUMERIC_ORDINAL |
                     OC_NUMERIC_SLASHED_ZERO);
    assert_int_equal(st(f, "d")->font_variant_numeric, 0);
    assert_int_equal(nwarnings, 3);     /* a group twice (2), small-caps */
}

static void
test_user_agent_tables_have_tabular_figures(void **state)
{
    fx *f = *state;

    chapter(f, "<table id=\"t\"><tr><td id=\"c\">1</td></tr></table>"
               "<p id=\"p\">2</p>");
    assert_int_equal(st(f, "c")->font_variant_numeric, OC_NUMERIC_TABULAR);
    assert_int_equal(st(f, "p")->font_variant_numeric, 0);
}

static void
test_font_size_adjust_number_or_none_inherits(void **state)
{
    fx *f = *state;

    load(f, "code { font-size-adjust: 0.4 }"
            "pre code { font-size-adjust: none }"
            "kbd { font-size-adjust: ex-height 0.5 }"
            "p { font-size-adjust: -1 }"
            "p { font-size-adjust: cap-height 0.7 }");
    chapter(f, "<p id=\"p\"><code id=\"c\">a<b id=\"b\">b</b></code>"
               "<kbd id=\"k\">k</kbd></p><pre><code id=\"pc\">x</code></pre>");
    assert_pt(st(f, "c")->font_size_adjust, 0.4);
    assert_pt(st(f, "b")->font_size_adjust, 0.4);
    assert_pt(st(f, "k")->font_size_adjust, 0.5);
    assert_pt(st(f, "pc")->font_size_adjust, 0);
    assert_pt(st(f, "p")->font_size_adjust, 0);
    assert_int_equal(nwarnings, 2);
}

static void
test_font_shorthand(void **state)
{
    fx *f = *state;
    const oc_style *s;

    load(f, "p { line-height: 3; font-weight: 100; "
            "font: italic small-caps bold 10pt/1.4 \"EB Garamond\", serif }"
            "div { font-style: italic; font: 9pt monospace }");
    chapter(f, "<p id=\"p\">a</p><div id=\"d\">b</div>");
    s = st(f, "p");
    assert_int_equal(s->font_style, OC_FONT_STYLE_ITALIC);
    assert_int_equal(s->font_variant, OC_FONT_VARIANT_SMALL_CAPS);
    assert_int_equal(s->font_weight, 700);
    assert_pt(s->font_size, 10);
    assert_pt(oc_css_line_height(s), 14);
    assert_string_equal(s->font_family, "EB Garamond, serif");
    s = st(f, "d");
    assert_int_equal(s->font_style, OC_FONT_STYLE_NORMAL);
    assert_int_equal(s->line_height.kind, OC_LINE_HEIGHT_NORMAL);
    assert_string_equal(s->font_family, "monospace");
}

static void
test_margin_shorthand_one_to_four_values(void **state)
{
    fx *f = *state;
    const oc_style *s;

    load(f, "#a { margin: 1pt } #b { margin: 1pt 2pt } "
            "#c { margin: 1pt 2pt 3pt } #d { margin: 1pt 2pt 3pt 4pt; "
            "margin-left: -5pt }");
    chapter(f, "<p id=\"a\">a</p><p id=\"b\">b</p><p id=\"c\">c</p>"
               "<p id=\"d\">d</p>");
    s = st(f, "a");
    assert_pt(s->margin[OC_SIDE_LEFT].value, 1);
    s = st(f, "b");
    assert_pt(s->margin[OC_SIDE_BOTTOM].value, 1);
    assert_pt(s->margin[OC_SIDE_LEFT].value, 2);
    s = st(f, "c");
    assert_pt(s->margin[OC_SIDE_BOTTOM].value, 3);
    assert_pt(s->margin[OC_SIDE_LEFT].value, 2);
    s = st(f, "d");
    assert_pt(s->margin[OC_SIDE_TOP].value, 1);
    assert_pt(s->margin[OC_SIDE_RIGHT].value, 2);
    assert_pt(s->margin[OC_SIDE_BOTTOM].value, 3);
    assert_pt(s->margin[OC_SIDE_LEFT].value, -5);
}

static void
test_list_style(void **state)
{
    fx *f = *state;

    load(f, "#a { list-style: none } #b { list-style: upper-roman inside }"
            "#c { list-style-type: lower-alpha } #d { list-style: square }");
    chapter(f, "<ul id=\"u\"><li id=\"l\">x</li></ul>"
               "<ol id=\"o\"><li><ul id=\"n\"><li>y</li></ul></li></ol>"
               "<ol id=\"a\"/><ol id=\"b\"/><ol id=\"c\"/><ul id=\"d\"/>");
    assert_int_equal(st(f, "u")->list_style_type, OC_LIST_DISC);
    assert_int_equal(st(f, "l")->list_style_type, OC_LIST_DISC);
    assert_int_equal(st(f, "o")->list_style_type, OC_LIST_DECIMAL);
    assert_int_equal(st(f, "n")->list_style_type, OC_LIST_CIRCLE);
    assert_int_equal(st(f, "a")->list_style_type, OC_LIST_NONE);
    assert_int_equal(st(f, "b")->list_style_type, OC_LIST_UPPER_ROMAN);
    assert_int_equal(st(f, "b")->list_style_position, OC_LIST_INSIDE);
    assert_int_equal(st(f, "c")->list_style_type, OC_LIST_LOWER_ALPHA);
    assert_int_equal(st(f, "d")->list_style_type, OC_LIST_SQUARE);
    assert_int_equal(st(f, "l")->display, OC_DISPLAY_LIST_ITEM);
}

static void
test_breaks_are_normalised(void **state)
{
    fx *f = *state;

    load(f, "#a { page-break-before: always; page-break-after: avoid;"
            "      page-break-inside: avoid }"
            "#b { break-before: recto; break-after: avoid-page;"
            "     break-inside: avoid-column }"
            "#c { break-before: column; break-after: left }");
    chapter(f, "<p id=\"a\">a</p><p id=\"b\">b</p><p id=\"c\">c</p>");
    assert_int_equal(st(f, "a")->break_before, OC_BREAK_PAGE);
    assert_int_equal(st(f, "a")->break_after, OC_BREAK_AVOID);
    assert_int_equal(st(f, "a")->break_inside, OC_BREAK_AVOID);
    assert_int_equal(st(f, "b")->break_before, OC_BREAK_RECTO);
    assert_int_equal(st(f, "b")->break_after, OC_BREAK_AVOID);
    assert_int_equal(st(f, "b")->break_inside, OC_BREAK_AUTO);
    assert_int_equal(st(f, "c")->break_before, OC_BREAK_AUTO);
    assert_int_equal(st(f, "c")->break_after, OC_BREAK_LEFT);
}

static void
test_widows_orphans_inherit(void **state)
{
    fx *f = *state;

    load(f, "body { widows: 3; orphans: 4 }");
    chapter(f, "<p id=\"p\">a</p>");
    assert_int_equal(st(f, "p")->widows, 3);
    assert_int_equal(st(f, "p")->orphans, 4);
}

static void
test_keyword_properties(void **state)
{
    fx *f = *state;
    const oc_style *s;

    load(f, "p { text-align: justify; hyphens: auto; white-space: pre-line;"
            "    text-transform: lowercase; vertical-align: sub;"
            "    direction: rtl; font-variant: small-caps }"
            "span { text-align: end; white-space: nowrap; hyphens: none }");
    chapter(f, "<p id=\"p\"><span id=\"s\">x</span></p>");
    s = st(f, "p");
    assert_int_equal(s->text_align, OC_ALIGN_JUSTIFY);
    assert_int_equal(s->hyphens, OC_HYPHENS_AUTO);
    assert_int_equal(s->white_space, OC_WS_PRE_LINE);
    assert_int_equal(s->text_transform, OC_TRANSFORM_LOWERCASE);
    assert_int_equal(s->vertical_align, OC_VALIGN_SUB);
    assert_int_equal(s->direction, OC_DIR_RTL);
    assert_int_equal(s->font_variant, OC_FONT_VARIANT_SMALL_CAPS);
    s = st(f, "s");
    assert_int_equal(s->text_align, OC_ALIGN_END);
    assert_int_equal(s->white_space, OC_WS_NOWRAP);
    assert_int_equal(s->hyphens, OC_HYPHENS_NONE);
    assert_int_equal(s->vertical_align, OC_VALIGN_BASELINE);
    assert_int_equal(s->text_transform, OC_TRANSFORM_LOWERCASE);
}

static void
test_colors(void **state)
{
    fx *f = *state;

    load(f, "#a { color: #f80 } #b { color: rgb(10, 20, 30) }"
            "#c { color: rgba(255,0,0,0.5) } #d { color: darkslategray }"
            "#e { color: hsl(120, 100%, 25%) } #g { color: rgb(0 0 255 / 50%) }"
            "#h { color: transparent } #i { color: red; color: currentcolor }");
    chapter(f, "<p id=\"a\">a</p><p id=\"b\">b</p><p id=\"c\">c</p>"
               "<p id=\"d\">d</p><p id=\"e\">e</p><p id=\"g\">g</p>"
               "<p id=\"h\">h</p><p id=\"i\">i</p>");
    assert_int_equal(st(f, "a")->color.g, 0x88);
    assert_int_equal(st(f, "b")->color.b, 30);
    assert_int_equal(st(f, "c")->color.a, 128);
    assert_int_equal(st(f, "d")->color.r, 0x2f);
    assert_int_equal(st(f, "e")->color.g, 128);
    assert_int_equal(st(f, "g")->color.b, 255);
    assert_int_equal(st(f, "g")->color.a, 128);
    assert_int_equal(st(f, "h")->color.a, 0);
    assert_int_equal(st(f, "i")->color.r, 0);    /* the parent's */
    assert_int_equal(nwarnings, 0);
}

static void
test_display_values(void **state)
{
    fx *f = *state;

    load(f, ".n { display: none } .f { display: flex } "
            ".t { display: table-cell }");
    chapter(f, "<div id=\"d\"><span id=\"s\">x</span></div>"
               "<p id=\"n\" class=\"n\">a</p><span id=\"f\" class=\"f\">b</span>"
               "<span id=\"t\" class=\"t\">c</span>");
    assert_int_equal(st(f, "d")->display, OC_DISPLAY_BLOCK);
    assert_int_equal(st(f, "s")->display, OC_DISPLAY_INLINE);
    assert_int_equal(st(f, "n")->display, OC_DISPLAY_NONE);
    assert_int_equal(st(f, "f")->display, OC_DISPLAY_BLOCK);
    assert_int_equal(st(f, "t")->display, OC_DISPLAY_TABLE_CELL);
    assert_int_equal(style_of(f->css, xmlDocGetRootElement(f->doc))->display,
                     OC_DISPLAY_BLOCK);
}

static void
test_user_agent_defaults(void **state)
{
    fx *f = *state;
    xmlNodePtr head;

    chapter(f, "<h1 id=\"h1\">T</h1><h3 id=\"h3\">t</h3>"
               "<p id=\"p\"><em id=\"em\">a</em><strong id=\"b\">b</strong>"
               "<code id=\"code\">c</code><sup id=\"sup\">1</sup>"
               "<sub id=\"sub\">2</sub><del id=\"del\">d</del></p>"
               "<pre id=\"pre\">x</pre><blockquote id=\"bq\">q</blockquote>"
               "<aside id=\"fn\" epub:type=\"footnote\">n</aside>"
               "<div id=\"rn\" role=\"doc-footnote\">m</div>"
               "<table><tr><th id=\"th\">h</th></tr></table>");
    assert_pt(st(f, "h1")->font_size, 24);
    assert_int_equal(st(f, "h1")->font_weight, 700);
    assert_int_equal(st(f, "h1")->break_after, OC_BREAK_AVOID);
    assert_pt(st(f, "h3")->font_size, 12 * 1.17);
    assert_int_equal(st(f, "em")->font_style, OC_FONT_STYLE_ITALIC);
    assert_int_equal(st(f, "b")->font_weight, 700);
    assert_string_equal(st(f, "code")->font_family, "monospace");
    assert_int_equal(st(f, "sup")->vertical_align, OC_VALIGN_SUPER);
    assert_pt(st(f, "sup")->font_size, 10);
    assert_int_equal(st(f, "sub")->vertical_align, OC_VALIGN_SUB);
    assert_int_equal(st(f, "del")->text_decoration,
                     OC_DECORATION_LINE_THROUGH);
    assert_int_equal(st(f, "pre")->white_space, OC_WS_PRE);
    assert_pt(st(f, "bq")->margin[OC_SIDE_LEFT].value, 30);
    assert_pt(st(f, "fn")->font_size, 10);
    assert_pt(st(f, "rn")->font_size, 10);
    assert_int_equal(st(f, "th")->font_weight, 700);
    assert_int_equal(st(f, "th")->display, OC_DISPLAY_TABLE_CELL);
    head = xmlDocGetRootElement(f->doc)->children;
    assert_int_equal(style_of(f->css, head)->display, OC_DISPLAY_NONE);
    assert_int_equal(style_of(f->css, head->children)->display,
                     OC_DISPLAY_NONE);
    assert_int_equal(nwarnings, 0);
}

/* ---- @page ---- */

static void
test_page_size_keywords(void **state)
{
    fx *f = *state;
    const oc_page_style *pg;
    oc_css *css;

    pg = oc_css_page(f->css, 0, NULL);              /* the default */
    assert_pt(pg->width, 419.53);
    assert_pt(pg->height, 595.28);
    load(f, "@page { size: A4 }");
    pg = oc_css_page(f->css, OC_PAGE_RIGHT, NULL);
    assert_pt(pg->width, 595.28);
    assert_pt(pg->height, 841.89);
    css = oc_css_new(f->a);
    parse_into(css, "@page { size: letter landscape }");
    pg = oc_css_page(css, 0, NULL);
    assert_pt(pg->width, 792);
    assert_pt(pg->height, 612);
    css = oc_css_new(f->a);
    parse_into(css, "@page { size: landscape A5 }");
    pg = oc_css_page(css, 0, NULL);
    assert_pt(pg->width, 595.28);
    assert_pt(pg->height, 419.53);
    assert_int_equal(nwarnings, 0);
}

static void
test_page_size_lengths(void **state)
{
    fx *f = *state;
    const oc_page_style *pg;
    oc_css *css;

    load(f, "@page { size: 6in 9in }");
    pg = oc_css_page(f->css, 0, NULL);
    assert_pt(pg->width, 432);
    assert_pt(pg->height, 648);
    css = oc_css_new(f->a);
    parse_into(css, "@page { size: 100mm }");
    pg = oc_css_page(css, 0, NULL);
    assert_pt(pg->width, 283.46);
    assert_pt(pg->height, 283.46);
    parse_into(css, "@page { size: 6in A4 }\n@page { size: 2em 3em }");
    assert_int_equal(nwarnings, 2);
    assert_int_equal(warnings[1].line, 2);
    assert_pt(oc_css_page(css, 0, NULL)->width, 283.46);
}

static void
test_page_first_left_right_margins(void **state)
{
    fx *f = *state;
    const oc_page_style *pg;

    load(f, "@page { margin: 10pt }\n"
            "@page :left { margin-left: 30pt }\n"
            "@page :right { margin-right: 30pt }\n"
            "@page :first { margin-top: 100pt; margin-right: 5% }\n"
            "@page:blank { margin-bottom: 1pt }\n");
    pg = oc_css_page(f->css, OC_PAGE_LEFT, NULL);
    assert_pt(pg->margin[OC_SIDE_TOP], 10);
    assert_pt(pg->margin[OC_SIDE_LEFT], 30);
    assert_pt(pg->margin[OC_SIDE_RIGHT], 10);
    pg = oc_css_page(f->css, OC_PAGE_RIGHT, NULL);
    assert_pt(pg->margin[OC_SIDE_LEFT], 10);
    assert_pt(pg->margin[OC_SIDE_RIGHT], 30);
    pg = oc_css_page(f->css, OC_PAGE_FIRST | OC_PAGE_RIGHT, NULL);
    assert_pt(pg->margin[OC_SIDE_TOP], 100);
    assert_pt(pg->margin[OC_SIDE_RIGHT], 419.53 * 0.05);  /* :first wins */
    pg = oc_css_page(f->css, OC_PAGE_BLANK | OC_PAGE_LEFT, NULL);
    assert_pt(pg->margin[OC_SIDE_BOTTOM], 1);
    assert_ptr_equal(pg, oc_css_page(f->css, OC_PAGE_BLANK | OC_PAGE_LEFT,
                                     NULL));
    assert_int_equal(nwarnings, 0);
}

static void
test_page_margin_inside_outside_mirror(void **state)
{
    fx *f = *state;
    const oc_page_style *pg;

    load(f, "@page { margin: 20pt; margin-inside: 54pt; "
            "margin-outside: 45pt }");
    pg = oc_css_page(f->css, OC_PAGE_RIGHT, NULL);
    assert_pt(pg->margin[OC_SIDE_LEFT], 54);
    assert_pt(pg->margin[OC_SIDE_RIGHT], 45);
    pg = oc_css_page(f->css, OC_PAGE_LEFT, NULL);
    assert_pt(pg->margin[OC_SIDE_LEFT], 45);
    assert_pt(pg->margin[OC_SIDE_RIGHT], 54);
    load(f, "p { margin-inside: 3pt }");
    assert_int_equal(nwarnings, 1);
}

static void
test_page_default_margins_mirror(void **state)
{
    fx *f = *state;
    const oc_page_style *pg = oc_css_page(f->css, OC_PAGE_LEFT, NULL);

    assert_pt(pg->margin[OC_SIDE_LEFT], 45);
    assert_pt(pg->margin[OC_SIDE_RIGHT], 54);
    pg = oc_css_page(f->css, OC_PAGE_RIGHT, NULL);
    assert_pt(pg->margin[OC_SIDE_LEFT], 54);
    assert_pt(pg->margin[OC_SIDE_BOTTOM], 63);
}

static void
test_margin_box_content(void **state)
{
    fx *f = *state;
    const oc_page_style *pg;
    const oc_content *c;

    load(f, "@page {\n"
            "  @bottom-center { content: counter(page) }\n"
            "  @top-center { content: \"\\2014  \" string(chapter) ' - ' "
            "string(title, last) }\n"
            "}\n"
            "@page :first { @bottom-center { content: counter(page, "
            "lower-roman) \" of \" counter(pages) } @top-center { content: "
            "none } }\n");
    pg = oc_css_page(f->css, OC_PAGE_RIGHT, NULL);
    c = &pg->boxes[OC_MBOX_BOTTOM_CENTER].content;
    assert_int_equal(c->npieces, 1);
    assert_int_equal(c->pieces[0].kind, OC_PIECE_PAGE);
    assert_int_equal(c->pieces[0].counter_style, OC_LIST_DECIMAL);
    c = &pg->boxes[OC_MBOX_TOP_CENTER].content;
    assert_int_equal(c->npieces, 4);
    assert_int_equal(c->pieces[0].kind, OC_PIECE_TEXT);
    assert_string_equal(c->pieces[0].text, "\xe2\x80\x94 ");
    assert_int_equal(c->pieces[1].kind, OC_PIECE_STRING);
    assert_string_equal(c->pieces[1].text, "chapter");
    assert_int_equal(c->pieces[1].which, OC_STRING_FIRST);
    assert_string_equal(c->pieces[2].text, " - ");
    assert_int_equal(c->pieces[3].which, OC_STRING_LAST);
    assert_int_equal(pg->boxes[OC_MBOX_TOP_LEFT].content.npieces, 0);
    pg = oc_css_page(f->css, OC_PAGE_RIGHT | OC_PAGE_FIRST, NULL);
    c = &pg->boxes[OC_MBOX_BOTTOM_CENTER].content;
    assert_int_equal(c->npieces, 3);
    assert_int_equal(c->pieces[0].counter_style, OC_LIST_LOWER_ROMAN);
    assert_int_equal(c->pieces[2].kind, OC_PIECE_PAGES);
    assert_int_equal(pg->boxes[OC_MBOX_TOP_CENTER].content.npieces, 0);
    assert_int_equal(nwarnings, 0);
}

static void
test_margin_box_style_inherits_page_context(void **state)
{
    fx *f = *state;
    const oc_page_style *pg;
    const oc_style *root;

    load(f, "html { font-family: Garamond } "
            "@page { font-size: 9pt; @top-right { content: 'x'; "
            "font-style: italic } @bottom-left { content: 'y'; "
            "text-align: center; color: red } @top-left { counter: 1 } }");
    chapter(f, "<p>x</p>");
    root = style_of(f->css, xmlDocGetRootElement(f->doc));
    pg = oc_css_page(f->css, 0, root);
    assert_pt(pg->context->font_size, 9);
    assert_string_equal(pg->boxes[OC_MBOX_TOP_RIGHT].style->font_family,
                        "Garamond");
    assert_pt(pg->boxes[OC_MBOX_TOP_RIGHT].style->font_size, 9);
    assert_int_equal(pg->boxes[OC_MBOX_TOP_RIGHT].style->font_style,
                     OC_FONT_STYLE_ITALIC);
    assert_int_equal(pg->boxes[OC_MBOX_TOP_RIGHT].style->text_align,
                     OC_ALIGN_RIGHT);
    assert_int_equal(pg->boxes[OC_MBOX_BOTTOM_LEFT].style->text_align,
                     OC_ALIGN_CENTER);
    assert_int_equal(pg->boxes[OC_MBOX_BOTTOM_LEFT].style->color.r, 255);
    assert_int_equal(nwarnings, 1);             /* 'counter' */
}

static void
test_bad_page_rules_warn(void **state)
{
    fx *f = *state;

    load(f, "@page chapter { size: A4 }\n"
            "@page :nth(2) { size: A4 }\n"
            "@page { @bottom-middle { content: 'x' } "
            "@bottom-center { content: leader('.') } size: A6 }\n");
    assert_pt(oc_css_page(f->css, 0, NULL)->width, 105 * 72 / 25.4);
    assert_int_equal(nwarnings, 4);
    assert_int_equal(warnings[0].line, 1);
    assert_int_equal(warnings[1].line, 2);
    assert_int_equal(warnings[2].line, 3);
}

static void
test_string_set(void **state)
{
    fx *f = *state;
    const oc_style *s;
    char *text;

    load(f, "h1 { string-set: chapter content(), title \"Ch. \" "
            "attr(data-n) }\n"
            "h2 { string-set: section content(text) }\n"
            "h3 { string-set: none }");
    chapter(f, "<h1 id=\"h\" data-n=\"4\">The  <em>Long</em>\n Road</h1>"
               "<h2 id=\"s\">S</h2><h3 id=\"t\">T</h3>");
    s = st(f, "h");
    assert_int_equal(s->nstring_set, 2);
    assert_string_equal(s->string_set[0].name, "chapter");
    assert_int_equal(s->string_set[0].value.pieces[0].kind,
                     OC_PIECE_CONTENT);
    text = oc_css_content_text(f->a, &s->string_set[0].value, el(f, "h"));
    assert_string_equal(text, "The Long Road");
    text = oc_css_content_text(f->a, &s->string_set[1].value, el(f, "h"));
    assert_string_equal(text, "Ch. 4");
    assert_int_equal(st(f, "s")->nstring_set, 1);
    assert_int_equal(st(f, "t")->nstring_set, 0);
    assert_int_equal(nwarnings, 0);
}

static void
test_counter_format(void **state)
{
    char buf[32];

    (void)state;
    oc_css_counter_format(1994, OC_LIST_UPPER_ROMAN, buf, sizeof buf);
    assert_string_equal(buf, "MCMXCIV");
    oc_css_counter_format(14, OC_LIST_LOWER_ROMAN, buf, sizeof buf);
    assert_string_equal(buf, "xiv");
    oc_css_counter_format(28, OC_LIST_LOWER_ALPHA, buf, sizeof buf);
    assert_string_equal(buf, "ab");
    oc_css_counter_format(26, OC_LIST_UPPER_ALPHA, buf, sizeof buf);
    assert_string_equal(buf, "Z");
    oc_css_counter_format(0, OC_LIST_LOWER_ROMAN, buf, sizeof buf);
    assert_string_equal(buf, "0");
    oc_css_counter_format(-3, OC_LIST_DECIMAL, buf, sizeof buf);
    assert_string_equal(buf, "-3");
    assert_int_equal(oc_css_counter_format(7, OC_LIST_DISC, buf, 2), 3);
}

/* ---- speed ---- */

static void
walk(oc_css *css, xmlNodePtr n, const oc_style *parent, size_t *count)
{
    for (; n; n = n->next) {
        const oc_style *s;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        s = oc_css_compute(css, n, parent);
        (*count)++;
        walk(css, n->children, s, count);
    }
}

/* A 200,000-word book has about 40,000 elements. */
static void
test_cascade_of_40000_elements_is_fast(void **state)
{
    fx *f = *state;
    oc_error err = {0};
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr html = xmlNewNode(NULL, (const xmlChar *)"html");
    xmlNodePtr body;
    struct timespec t0, t1;
    size_t count = 0;
    double ms;

    assert_int_equal(oc_css_parse_file(f->css, "styles/book.css", &err),
                     OC_OK);
    xmlDocSetRootElement(doc, html);
    xmlSetNs(html, xmlNewNs(html, (const xmlChar *)"http://www.w3.org/1999/"
                            "xhtml", NULL));
    xmlNewChild(html, NULL, (const xmlChar *)"head", NULL);
    body = xmlNewChild(html, NULL, (const xmlChar *)"body", NULL);
    for (int c = 0; c < 52; c++) {
        xmlNodePtr sec = xmlNewChild(body, NULL, (const xmlChar *)"section",
                                     NULL);
        xmlNodePtr h = xmlNewChild(sec, NULL, (const xmlChar *)"h1",
                                   (const xmlChar *)"Chapter");

        xmlNewProp(h, (const xmlChar *)"id", (const xmlChar *)"h");
        for (int k = 0; k < 330; k++) {
            xmlNodePtr p = xmlNewChild(sec, NULL, (const xmlChar *)"p",
                                       (const xmlChar *)"Some words, ");

            if (k % 7 == 0)
                xmlNewProp(p, (const xmlChar *)"class",
                           (const xmlChar *)"noindent x");
            xmlNewChild(p, NULL, (const xmlChar *)"em",
                        (const xmlChar *)"emphasis");
            if (k % 3 == 0)
                xmlNewChild(p, NULL, (const xmlChar *)"a",
                            (const xmlChar *)"link");
            if (k % 50 == 0) {
                xmlNodePtr q = xmlNewChild(sec, NULL,
                                           (const xmlChar *)"blockquote",
                                           NULL);
                xmlNodePtr qp = xmlNewChild(q, NULL, (const xmlChar *)"p",
                                            (const xmlChar *)"quoted");

                xmlNewProp(qp, (const xmlChar *)"style",
                           (const xmlChar *)"text-align: right");
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    walk(f->css, html, NULL, &count);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
         (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("computed %zu styles in %.1f ms\n", count, ms);
    xmlFreeDoc(doc);
    assert_true(count > 40000);
    assert_true(ms < 1000);     /* well under 100 ms unsanitised */
    assert_int_equal(nwarnings, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_user_agent_sheet_has_no_warnings),
        T(test_book_css_parses_with_no_warnings),
        T(test_book_css_indents_only_paragraphs_after_paragraphs),
        T(test_print_css_parses_with_no_warnings),
        T(test_missing_file_is_io_error),
        T(test_id_beats_class_beats_type),
        T(test_class_beats_many_types),
        T(test_later_rule_wins_on_equal_specificity),
        T(test_important_beats_specificity_and_order),
        T(test_author_beats_user_agent),
        T(test_style_attribute_beats_id),
        T(test_important_rule_beats_style_attribute),
        T(test_bad_style_attribute_warns_with_element_line),
        T(test_font_size_em_compounds),
        T(test_line_height_number_inherits_as_factor),
        T(test_line_height_length_inherits_as_length),
        T(test_line_height_normal_is_1_2),
        T(test_color_is_inherited),
        T(test_background_color),
        T(test_margins_and_padding_are_not_inherited),
        T(test_width_height_max_width_of_images),
        T(test_inherit_initial_unset_keywords),
        T(test_rem_is_relative_to_root),
        T(test_decorations_propagate_to_descendants),
        T(test_computed_styles_are_shared),
        T(test_parent_style_need_not_come_from_compute),
        T(test_non_element_gets_parent_style),
        T(test_type_selector_is_case_insensitive),
        T(test_class_selector_with_several_classes),
        T(test_id_selector),
        T(test_universal_selector),
        T(test_attribute_selectors),
        T(test_namespaced_attribute_selector),
        T(test_default_namespace_restricts_selectors),
        T(test_descendant_combinator),
        T(test_child_combinator),
        T(test_adjacent_sibling_combinator),
        T(test_general_sibling_combinator),
        T(test_first_child_and_friends),
        T(test_selector_list),
        T(test_pseudo_elements_are_ignored_silently),
        T(test_unsupported_pseudo_class_drops_rule_with_warning),
        T(test_lang_pseudo_class_matches_the_inherited_language),
        T(test_bad_lang_pseudo_class_drops_rule_with_warning),
        T(test_deep_descendant_chain_is_fast),
        T(test_broken_declaration_is_skipped_and_next_applies),
        T(test_unterminated_block_still_applies),
        T(test_garbage_between_rules_loses_one_rule),
        T(test_strings_escapes_and_comments),
        T(test_unknown_property_warned_once),
        T(test_float_values),
        T(test_vendor_and_screen_properties_are_silent),
        T(test_invalid_value_keeps_earlier_value),
        T(test_media_print_honoured_screen_skipped),
        T(test_unknown_at_rule_skipped_with_nested_blocks),
        T(test_units_convert_to_points),
        T(test_percentages_of_width_stay_percent),
        T(test_font_size_keywords),
        T(test_font_weight_values),
        T(test_font_variant_numeric_flags_inherit),
        T(test_user_agent_tables_have_tabular_figures),
        T(test_font_size_adjust_number_or_none_inherits),
        T(test_font_shorthand),
        T(test_margin_shorthand_one_to_four_values),
        T(test_list_style),
        T(test_breaks_are_normalised),
        T(test_widows_orphans_inherit),
        T(test_keyword_properties),
        T(test_colors),
        T(test_display_values),
        T(test_user_agent_defaults),
        T(test_page_size_keywords),
        T(test_page_size_lengths),
        T(test_page_first_left_right_margins),
        T(test_page_margin_inside_outside_mirror),
        T(test_page_default_margins_mirror),
        T(test_margin_box_content),
        T(test_margin_box_style_inherits_page_context),
        T(test_bad_page_rules_warn),
        T(test_string_set),
        T(test_counter_format),
        T(test_cascade_of_40000_elements_is_fast),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
