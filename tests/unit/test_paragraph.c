/* test_paragraph.c - paragraphs set by total fit from glyphs shaped once:
 * breaks against greedy ones, justified, ragged, centred and right-to-left
 * lines, hyphens (patterns, none, soft, never in the last word, never
 * more than two in a row), hanging punctuation, text too long for a
 * line, forced breaks, byte ranges, looseness, positions of text;
 * Chinese justified by spacing its characters, its kinsoku and the font
 * of its punctuation. The
 * type is the book's: EB Garamond 12 at 11 pt (what fontconfig gives
 * when it is missing), hinting off, 72 dpi. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "error.h"
#include "paragraph.h"
#include "arena.h"
#include "shape.h"

#define EPS 0.01

typedef struct fixture {
    PangoFontMap         *fontmap;
    PangoContext         *ltr, *rtl;
    PangoFontDescription *font;
    oc_hyphen_cache      *dicts;
    oc_para_cache        *cache;
} fixture;

static fixture fx;

static PangoContext *
new_context(PangoDirection dir)
{
    PangoContext *ctx = pango_font_map_create_context(fx.fontmap);
    cairo_font_options_t *fo = cairo_font_options_create();

    pango_cairo_context_set_resolution(ctx, 72.0);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_context_set_language(ctx, pango_language_from_string("en"));
    pango_context_set_base_dir(ctx, dir);
    return ctx;
}

static int
group_setup(void **state)
{
    (void)state;
    fx.fontmap = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fx.fontmap),
                                        72.0);
    fx.ltr = new_context(PANGO_DIRECTION_LTR);
    fx.rtl = new_context(PANGO_DIRECTION_RTL);
    fx.font = pango_font_description_from_string("EB Garamond 12");
    pango_font_description_set_absolute_size(fx.font, 11 * PANGO_SCALE);
    fx.dicts = oc_hyphen_cache_new(NULL);
    fx.cache = oc_para_cache_new();
    return 0;
}

static int
group_teardown(void **state)
{
    (void)state;
    oc_para_cache_free(fx.cache);
    oc_hyphen_cache_free(fx.dicts);
    pango_font_description_free(fx.font);
    g_object_unref(fx.ltr);
    g_object_unref(fx.rtl);
    g_object_unref(fx.fontmap);
    return 0;
}

static const char PROSE[] =
    "In olden times when wishing still helped one, there lived a king "
    "whose daughters were all beautiful; and the youngest was so "
    "beautiful that the sun itself, which has seen so much, was "
    "astonished whenever it shone in her face. Close by the king's castle "
    "lay a great dark forest, and under an old lime-tree in the forest "
    "was a well, and when the day was very warm, the king's child went "
    "out into the forest and sat down by the side of the cool fountain; "
    "and when she was bored she took a golden ball, and threw it up on "
    "high and caught it; and this ball was her favorite plaything.";

static oc_para_style
style(double width, oc_para_align align, oc_para_hyphens hyphens)
{
    oc_para_style st;

    memset(&st, 0, sizeof st);
    st.context = fx.ltr;
    st.font = fx.font;
    st.lang = "en";
    st.align = align;
    st.hyphens = hyphens;
    st.width = width;
    st.dicts = fx.dicts;
    st.cache = fx.cache;
    st.file = "test";
    return st;
}

static oc_para *
set(const char *text, const oc_para_style *st)
{
    oc_para *p = NULL;
    oc_error err = {0};

    if (oc_para_new(text, strlen(text), NULL, st, &p, &err) != OC_OK)
        fail_msg("oc_para_new: %s", err.msg);
    return p;
}

/* The right end of a line's material at the measure (hanging
 * punctuation taken off). */
static double
right_end(const oc_para_line *l)
{
    return l->x + l->width - l->hang_right;
}

static bool
is_letter_at(const char *text, size_t i)
{
    return i > 0 && g_unichar_isalpha(g_utf8_get_char(
                        g_utf8_find_prev_char(text, text + i)));
}

static void
assert_partition(const oc_para *p, size_t len)
{
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);

    assert_true(n > 0);
    assert_int_equal(l[0].start, 0);
    for (size_t k = 0; k + 1 < n; k++) {
        assert_int_equal(l[k].end, l[k + 1].start);
        assert_true(l[k].start < l[k].end);
    }
    assert_int_equal(l[n - 1].end, len);
}

/* Pango's own breaking of the text: first fit, line by line. */
static GArray *
greedy_starts(const char *text, double width)
{
    PangoLayout *pl = pango_layout_new(fx.ltr);
    GArray *v = g_array_new(FALSE, FALSE, sizeof(int));

    pango_layout_set_font_description(pl, fx.font);
    pango_layout_set_width(pl, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD);
    pango_layout_set_text(pl, text, -1);
    for (GSList *l = pango_layout_get_lines_readonly(pl); l; l = l->next)
        g_array_append_val(v, ((PangoLayoutLine *)l->data)->start_index);
    g_object_unref(pl);
    return v;
}

static void
test_total_fit_breaks_differ_from_first_fit(void **state)
{
    oc_para_style st = style(225, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_NONE);
    oc_para *p = set(PROSE, &st);
    GArray *greedy = greedy_starts(PROSE, 225);
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);
    bool differ = n != greedy->len;
    double worst = 0;

    (void)state;
    for (size_t k = 0; k < n && !differ; k++)
        differ = (int)l[k].start != g_array_index(greedy, int, k);
    assert_true(differ);
    /* Shrinking some lines a little saves one, and none is loose. */
    assert_true(n + 1 == greedy->len);
    for (size_t k = 0; k + 1 < n; k++)
        worst = fmax(worst, l[k].badness);
    assert_true(worst <= 100);
    g_array_free(greedy, TRUE);
    oc_para_free(p);
}

static void
test_justified_lines_fill_the_measure_but_the_last(void **state)
{
    oc_para_style st = style(230, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    oc_para *p;
    size_t n;
    const oc_para_line *l;

    (void)state;
    st.indent = 13;
    p = set(PROSE, &st);
    l = oc_para_lines(p, &n);
    assert_true(n > 4);
    assert_true(fabs(l[0].x - 13) < EPS);
    for (size_t k = 0; k + 1 < n; k++) {
        assert_true(fabs(right_end(&l[k]) - 230) < EPS);
        if (k > 0)
            assert_true(fabs(l[k].x + l[k].hang_left) < EPS);
    }
    assert_true(right_end(&l[n - 1]) < 230 - 20);
    assert_partition(p, strlen(PROSE));
    oc_para_free(p);
}

static void
test_justified_without_microtypography_fills_the_measure(void **state)
{
    oc_para_style st = style(180, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    oc_para_params prm;
    oc_para *p;
    size_t n;
    const oc_para_line *l;

    (void)state;
    oc_para_params_init(&prm);
    prm.expansion = 0;
    prm.protrusion = 0;
    st.params = &prm;
    p = set(PROSE, &st);
    l = oc_para_lines(p, &n);
    for (size_t k = 0; k + 1 < n; k++) {
        assert_true(fabs(l[k].x) < EPS);
        assert_true(fabs(l[k].x + l[k].width - 180) < EPS);
        assert_true(l[k].hang_left == 0 && l[k].hang_right == 0);
    }
    oc_para_free(p);
}

static void
test_ragged_right_lines_never_pass_the_measure(void **state)
{
    oc_para_style st = style(190, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    oc_para *p = set(PROSE, &st);
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);
    double shortest = 190, longest = 0;

    (void)state;
    assert_true(n > 4);
    for (size_t k = 0; k < n; k++) {
        assert_true(fabs(l[k].x) < EPS);
        assert_true(l[k].x + l[k].width <= 190 + EPS);
        if (k + 1 < n) {
            shortest = fmin(shortest, l[k].width);
            longest = fmax(longest, l[k].width);
        }
    }
    assert_true(longest - shortest > 1);        /* ragged, not justified */
    oc_para_free(p);
}

static void
test_centred_lines_are_centred(void **state)
{
    oc_para_style st = style(160, OC_PARA_CENTER, OC_PARA_HYPHENS_NONE);
    oc_para *p = set("A heading long enough to need two or three lines",
                     &st);
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);

    (void)state;
    assert_true(n >= 2);
    for (size_t k = 0; k < n; k++)
        assert_true(fabs(l[k].x + l[k].width / 2 - 80) < EPS);
    oc_para_free(p);
}

/* A width at which a line of PROSE ends in a hyphen of the patterns. */
static oc_para *
hyphenated_prose(oc_para_hyphens hyphens, double *width)
{
    for (double w = 150; w < 260; w += 3) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p = set(PROSE, &st);
        size_t n;
        const oc_para_line *l = oc_para_lines(p, &n);

        for (size_t k = 0; k < n; k++)
            if (l[k].hyphenated) {
                oc_para_free(p);
                st.hyphens = hyphens;
                *width = w;
                return set(PROSE, &st);
            }
        oc_para_free(p);
    }
    fail_msg("no width gives a hyphen");
    return NULL;
}

static void
test_english_word_hyphenated_with_a_hyphen_glyph(void **state)
{
    double w;
    oc_para *p = hyphenated_prose(OC_PARA_HYPHENS_AUTO, &w);
    size_t n, found = 0;
    const oc_para_line *l = oc_para_lines(p, &n);

    (void)state;
    for (size_t k = 0; k + 1 < n; k++) {
        const oc_para_run *last;

        if (!l[k].hyphenated)
            continue;
        found++;
        last = &l[k].runs[l[k].nruns - 1];
        assert_string_equal(last->text, "-");
        assert_int_equal(last->glyphs->glyphs->num_glyphs, 1);
        assert_true(last->width > 1);
        /* The word goes on at the start of the next line. */
        assert_true(is_letter_at(PROSE, l[k].end));
        assert_true(g_unichar_isalpha(g_utf8_get_char(PROSE + l[k].end)));
        /* The hyphen hangs a little into the margin. */
        assert_true(l[k].hang_right > 0 && l[k].hang_right < last->width);
        assert_true(fabs(right_end(&l[k]) - w) < EPS);
    }
    assert_true(found > 0);
    oc_para_free(p);
}

static void
test_hyphens_none_gives_no_hyphen(void **state)
{
    double w;
    oc_para *p = hyphenated_prose(OC_PARA_HYPHENS_NONE, &w);
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);

    (void)state;
    for (size_t k = 0; k < n; k++) {
        assert_false(l[k].hyphenated);
        if (k + 1 < n)
            assert_false(is_letter_at(PROSE, l[k].end) &&
                         is_letter_at(PROSE, l[k].end + 1));
    }
    oc_para_free(p);
}

static void
test_soft_hyphen_breaks_under_manual(void **state)
{
    /* "incomprehensibilities" with soft hyphens, at a measure that
     * needs them. */
    const char *text = "the in\u00ADcom\u00ADpre\u00ADhen\u00ADsi\u00ADbil"
                       "\u00ADi\u00ADties of it all";
    oc_para_style st = style(70, OC_PARA_START, OC_PARA_HYPHENS_MANUAL);
    oc_para *p = set(text, &st);
    size_t n, hy = 0;
    const oc_para_line *l = oc_para_lines(p, &n);

    (void)state;
    for (size_t k = 0; k < n; k++) {
        if (!l[k].hyphenated)
            continue;
        hy++;
        /* It breaks just after a soft hyphen. */
        assert_memory_equal(text + l[k].end - 2, "\u00AD", 2);
    }
    assert_true(hy > 0);
    assert_partition(p, strlen(text));
    oc_para_free(p);
}

static void
test_last_word_never_hyphenated(void **state)
{
    const char *text = "The notary read the testament aloud to the "
                       "assembled family, who listened with "
                       "extraordinary attentiveness";
    size_t last = (size_t)(strrchr(text, ' ') + 1 - text);

    (void)state;
    for (double w = 120; w <= 300; w += 2) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p = set(text, &st);
        size_t n;
        const oc_para_line *l = oc_para_lines(p, &n);

        assert_true(l[n - 1].start <= last);
        oc_para_free(p);
    }
}

static void
test_at_most_two_hyphenated_lines_in_a_row(void **state)
{
    GString *s = g_string_new(NULL);
    int worst = 0, total = 0;

    (void)state;
    for (int i = 0; i < 4; i++)
        g_string_append(s, PROSE), g_string_append_c(s, ' ');
    g_string_truncate(s, s->len - 1);
    for (double w = 120; w <= 220; w += 5) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p = set(s->str, &st);
        size_t n;
        const oc_para_line *l = oc_para_lines(p, &n);
        int run = 0;

        for (size_t k = 0; k < n; k++) {
            run = l[k].hyphenated ? run + 1 : 0;
            total += l[k].hyphenated;
            if (run > worst)
                worst = run;
        }
        oc_para_free(p);
    }
    assert_true(total > 10);            /* it does hyphenate */
    assert_true(worst <= 2);
    g_string_free(s, TRUE);
}

static void
test_long_url_and_long_word_break_without_overflow(void **state)
{
    const char *text =
        "See https://example.org/a/very/long/path/that/goes/on/index.html "
        "or Donaudampfschifffahrtsgesellschaftskapitaenswitwenrente now.";
    oc_para_style st = style(120, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    unsigned warned = oc_warn_count();
    oc_para *p = set(text, &st);
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);

    (void)state;
    assert_true(n >= 4);
    for (size_t k = 0; k < n; k++)
        assert_true(right_end(&l[k]) <= 120 + EPS);
    /* Nothing sticks out, so nothing was reported overfull. */
    assert_int_equal(oc_warn_count(), warned);
    assert_partition(p, strlen(text));
    oc_para_free(p);
}

/* A word many lines long (a sequence, a blob) after other words opens a
 * line of its own and fills every line it needs but its last, none
 * overflowing (a space beside it once took the whole word's font
 * expansion as shrink, and the first line ran a third past the
 * measure). */
static void
test_word_many_lines_long_fills_its_lines(void **state)
{
    GString *s = g_string_new("Before it: ");
    oc_para_style st = style(120, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    oc_para *p;
    size_t n;
    const oc_para_line *l;

    (void)state;
    for (int i = 0; i < 20000; i++)
        g_string_append_c(s, "ACGT"[i % 4]);
    p = set(s->str, &st);
    l = oc_para_lines(p, &n);
    assert_true(n > 100);
    for (size_t k = 0; k < n; k++) {
        if (right_end(&l[k]) > 120 + EPS)
            fail_msg("line %zu of %zu ends at %.2f", k, n, right_end(&l[k]));
        if (k > 0 && k + 1 < n)         /* full but for a letter */
            assert_true(right_end(&l[k]) > 120 - 12);
    }
    assert_partition(p, s->len);
    oc_para_free(p);
    g_string_free(s, TRUE);
}

static void
test_word_wider_than_a_tiny_measure_does_not_crash(void **state)
{
    const char *text = "W\u00A0W";
    oc_para_style st = style(1, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    unsigned warned = oc_warn_count();
    oc_para *p = set(text, &st);
    size_t n;

    (void)state;
    oc_para_lines(p, &n);
    assert_true(n >= 1);
    assert_true(oc_warn_count() > warned);      /* overfull, reported */
    assert_partition(p, strlen(text));
    oc_para_free(p);
}

static void
test_right_to_left_lines_are_flush_right(void **state)
{
    const char *text = "שלום עולם, זהו טקסט בעברית שנשבר לשורות רבות "
                       "כדי לבדוק שהכיוון הוא מימין לשמאל בכל השורות.";
    oc_para_style st = style(150, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    oc_para *p;
    size_t n;
    const oc_para_line *l;

    (void)state;
    st.context = fx.rtl;
    st.rtl = true;
    st.lang = "he";
    st.indent = 10;
    p = set(text, &st);
    l = oc_para_lines(p, &n);
    assert_true(n >= 3);
    /* The indent is on the right; every line ends there, the last too. */
    assert_true(fabs(l[0].x + l[0].width - l[0].hang_right - 140) < EPS);
    for (size_t k = 1; k < n; k++)
        assert_true(fabs(l[k].x + l[k].width - l[k].hang_right - 150) <
                    EPS);
    assert_true(l[n - 1].x > 20);
    for (size_t k = 0; k + 1 < n; k++)
        assert_true(fabs(l[k].x - l[k].hang_left) < EPS);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < l[k].nruns; i++)
            assert_int_equal(l[k].runs[i].glyphs->item->analysis.level % 2,
                             1);
    assert_partition(p, strlen(text));
    oc_para_free(p);
}

static void
test_byte_ranges_cover_the_text_with_forced_breaks(void **state)
{
    const char *text = "First line of a poem\nsecond line, rather longer "
                       "than the first and so it wraps\n\nafter an empty "
                       "line, the last one";
    oc_para_style st = style(150, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    oc_para *p = set(text, &st);
    size_t n, forced = 0;
    const oc_para_line *l = oc_para_lines(p, &n);

    (void)state;
    assert_partition(p, strlen(text));
    for (size_t k = 0; k < n; k++) {
        if (!l[k].forced)
            continue;
        forced++;
        assert_int_equal(text[l[k].end - 1], '\n');
        /* A line ended by a break is not stretched to the measure. */
        if (l[k].nruns > 0)
            assert_true(right_end(&l[k]) < 150 - 10);
    }
    assert_int_equal(forced, 3);
    oc_para_free(p);
}

static void
test_looseness_makes_one_line_more_and_back(void **state)
{
    oc_para_style st = style(220, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    oc_para *p = set(PROSE, &st);
    size_t n0, n1, n2;

    (void)state;
    oc_para_lines(p, &n0);
    assert_int_equal(oc_para_break(p, 1), 1);
    oc_para_lines(p, &n1);
    assert_int_equal(n1, n0 + 1);
    assert_partition(p, strlen(PROSE));
    assert_int_equal(oc_para_break(p, 0), 0);
    oc_para_lines(p, &n2);
    assert_int_equal(n2, n0);
    oc_para_free(p);
}

static void
test_refit_takes_a_line_back_or_changes_nothing(void **state)
{
    bool fewer = false, kept = false;

    (void)state;
    for (double w = 160; w <= 320 && !(fewer && kept); w += 4) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p = set(PROSE, &st);
        size_t n0, n;
        const oc_para_line *l0 = oc_para_lines(p, &n0), *l;

        if (oc_para_refit(p, -1, 100)) {
            /* One line fewer, none of them worse than asked. */
            l = oc_para_lines(p, &n);
            assert_int_equal(n, n0 - 1);
            for (size_t k = 0; k + 1 < n; k++)
                assert_true(l[k].badness <= 100);
            assert_partition(p, strlen(PROSE));
            fewer = true;
        } else {
            /* Refused: the very same lines. */
            l = oc_para_lines(p, &n);
            assert_ptr_equal(l, l0);
            assert_int_equal(n, n0);
            kept = true;
        }
        /* Only a line more or fewer than it has can be asked for. */
        assert_false(oc_para_refit(p, 2, 10000));
        oc_para_free(p);
    }
    assert_true(fewer && kept);
}

/* PROSE with some words in italics and one underlined, set with the
 * shaping cache or without it. */
static oc_para *
styled_prose(double width, bool cached)
{
    oc_para_style st = style(width, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    PangoAttrList *al = pango_attr_list_new();
    PangoAttribute *a = pango_attr_style_new(PANGO_STYLE_ITALIC);
    oc_para *p = NULL;
    oc_error err = {0};

    a->start_index = 30;
    a->end_index = 90;
    pango_attr_list_insert(al, a);
    a = pango_attr_underline_new(PANGO_UNDERLINE_SINGLE);
    a->start_index = 200;
    a->end_index = 230;
    pango_attr_list_insert(al, a);
    if (!cached)
        st.cache = NULL;
    if (oc_para_new(PROSE, strlen(PROSE), al, &st, &p, &err) != OC_OK)
        fail_msg("oc_para_new: %s", err.msg);
    pango_attr_list_unref(al);
    return p;
}

static void
test_shaping_cache_changes_nothing(void **state)
{
    (void)state;
    for (int pass = 0; pass < 2; pass++) {   /* cold, then warm cache */
        oc_para *a = styled_prose(210, true), *b = styled_prose(210, false);
        size_t na, nb, rules = 0;
        const oc_para_line *la = oc_para_lines(a, &na);
        const oc_para_line *lb = oc_para_lines(b, &nb);

        assert_int_equal(na, nb);
        for (size_t k = 0; k < na; k++) {
            assert_int_equal(la[k].start, lb[k].start);
            assert_int_equal(la[k].end, lb[k].end);
            assert_int_equal(la[k].nruns, lb[k].nruns);
            assert_true(fabs(la[k].x - lb[k].x) < EPS);
            assert_true(fabs(la[k].width - lb[k].width) < EPS);
            rules += la[k].nrules;
        }
        assert_true(rules > 0);             /* the underline is drawn */
        oc_para_free(a);
        oc_para_free(b);
    }
}

static void
test_positions_of_text_on_a_line(void **state)
{
    oc_para_style st = style(400, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    const char *text = "one two three";
    oc_para *p = set(text, &st);
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);
    double xs[8];
    double x4 = oc_para_line_index_x(&l[0], 4);     /* "two" */
    double x8 = oc_para_line_index_x(&l[0], 8);     /* "three" */

    (void)state;
    assert_int_equal(n, 1);
    assert_true(oc_para_line_index_x(&l[0], 0) == 0);
    assert_true(x4 > 10 && x4 < x8 && x8 < l[0].width);
    assert_true(fabs(oc_para_line_index_x(&l[0], strlen(text)) -
                     l[0].width) < EPS);
    assert_int_equal(oc_para_line_ranges(&l[0], 4, 7, xs, 4), 1);
    assert_true(fabs(xs[0] - x4) < EPS);
    assert_true(xs[1] > xs[0] + 5 && xs[1] < x8);
    oc_para_free(p);
}

static void
test_hanging_punctuation_at_the_right_margin(void **state)
{
    oc_para_style st = style(170, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_NONE);
    oc_para *p = set(PROSE, &st);
    size_t n, hung = 0;
    const oc_para_line *l = oc_para_lines(p, &n);

    (void)state;
    for (size_t k = 0; k + 1 < n; k++) {
        char c = PROSE[l[k].end - 2];       /* before the space */

        if (c == ',' || c == '.' || c == ';') {
            assert_true(l[k].hang_right > 0.5);
            hung++;
        }
        assert_true(fabs(l[k].x + l[k].width - l[k].hang_right - 170) <
                    EPS);
    }
    assert_true(hung > 0);
    oc_para_free(p);
}

/* Set 'text' with its language as an attribute too, as the layout
 * gives it (the runs' language, which wins over st->lang). */
static oc_para *
set_in(const char *text, const oc_para_style *st)
{
    PangoAttrList *al = pango_attr_list_new();
    oc_para *p = NULL;
    oc_error err = {0};

    pango_attr_list_insert(al, pango_attr_language_new(
                               pango_language_from_string(st->lang)));
    if (oc_para_new(text, strlen(text), al, st, &p, &err) != OC_OK)
        fail_msg("oc_para_new: %s", err.msg);
    pango_attr_list_unref(al);
    return p;
}

/* The last word of line l (its trailing spaces dropped, and opening
 * brackets and quotes before it), into buf. */
static void
last_word(const oc_para_line *l, char *buf, size_t size)
{
    size_t e = l->end, b;

    while (e > l->start && l->text[e - 1] == ' ')
        e--;
    b = e;
    while (b > l->start && l->text[b - 1] != ' ' && l->text[b - 1] != '(')
        b--;
    snprintf(buf, size, "%.*s", (int)(e - b), l->text + b);
}

/* Set 'text' in 'lang' at widths from 'lo' to 'hi': no line but the
 * last ends with a one-letter word. Returns how many lines were set. */
static size_t
assert_no_one_letter_line_end(const char *text, const char *lang, int lo,
                              int hi)
{
    size_t total = 0;

    for (int w = lo; w <= hi; w += 3) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p;
        size_t n;
        const oc_para_line *l;

        st.lang = lang;
        p = set_in(text, &st);
        l = oc_para_lines(p, &n);
        for (size_t k = 0; k + 1 < n; k++) {
            char word[64];

            last_word(&l[k], word, sizeof word);
            if (g_utf8_strlen(word, -1) == 1)
                fail_msg("%s, width %d: line %zu ends with '%s'", lang, w, k,
                         word);
        }
        total += n;
        oc_para_free(p);
    }
    return total;
}

static void
test_russian_one_letter_words_stay_with_the_next(void **state)
{
    const char *text =
        "В старом городе у реки стояла библиотека, и в ней хранились "
        "рукописи. К нему приходили студенты, с ними он говорил о "
        "переводах и о судьбах владельцев, а потом садился у окна и "
        "читал до полудня. О библиотеке знали и в соседних губерниях, "
        "у её дверей останавливались путешественники, и каждый оставлял "
        "в книге несколько слов, а смотритель с удовольствием читал их "
        "к вечеру у камина и в саду.";

    (void)state;
    assert_true(assert_no_one_letter_line_end(text, "ru", 90, 240) > 100);
}

/* Russian prose of long words, which hyphenates line after line. */
#define RU_LONG_WORDS \
    "Администрирование распределённых вычислительных систем требует " \
    "внимательного отношения к конфигурационным файлам, журналированию " \
    "и автоматизированному резервному копированию. " \
    "Высококвалифицированные специалисты рекомендуют документировать " \
    "взаимодействие многочисленных компонентов, контролировать " \
    "производительность приложений и своевременно устанавливать " \
    "обновления безопасности, поскольку несвоевременное обслуживание " \
    "оборудования приводит к непредсказуемым последствиям для " \
    "пользователей."

/* Russian's long words on a narrow measure: a third line in a row that
 * ends in a hyphen costs as much as a line of badness 1000, so that it
 * is taken only where the other ways are worse. Over 44 widths from 110
 * to 239 pt, 9 have such a run (24 before). */
static void
test_third_hyphen_in_a_row_is_a_last_resort(void **state)
{
    const char *text = RU_LONG_WORDS;
    int widths = 0, total = 0;

    (void)state;
    for (int w = 110; w <= 240; w += 3) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p;
        size_t n;
        const oc_para_line *l;
        int run = 0, worst = 0;

        st.lang = "ru";
        p = set_in(text, &st);
        l = oc_para_lines(p, &n);
        for (size_t k = 0; k < n; k++) {
            run = l[k].hyphenated ? run + 1 : 0;
            total += l[k].hyphenated;
            if (run > worst)
                worst = run;
        }
        widths += worst >= 3;
        oc_para_free(p);
    }
    assert_true(total > 50);            /* it does hyphenate */
    assert_true(widths <= 10);
}

/* The most lines in a row of p's that end in a hyphen. */
static int
longest_hyphen_run(oc_para *p)
{
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);
    int run = 0, worst = 0;

    for (size_t k = 0; k < n; k++) {
        run = l[k].hyphenated ? run + 1 : 0;
        if (run > worst)
            worst = run;
    }
    return worst;
}

/* A page cut for good sets a paragraph with three hyphens in a row
 * again (oc_para_unstack): as many lines, no such run, no line worse
 * than badness 1000; or, when it cannot, the lines as they were
 * (oc_para_set_back brings a run back). Tolstoy's sentence of "Набег",
 * whose hard hyphen (холодно-печальному) makes a run of three at 1 of
 * 60 widths, loses it; Russian's long words, whose runs (at 19 widths)
 * the emergency pass made already, keep theirs. */
static int
unstack_at_widths(const char *text, int *had)
{
    int unstacked = 0;

    for (int w = 150; w <= 268; w += 2) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p;
        size_t n0, n;
        const oc_para_line *l;
        int r;

        st.lang = "ru";
        p = set_in(text, &st);
        oc_para_lines(p, &n0);
        if (oc_para_hyphen_run(p) < 3) {
            assert_int_equal(oc_para_unstack(p, 1000), 0);
            oc_para_free(p);
            continue;
        }
        ++*had;
        r = oc_para_unstack(p, 1000);
        l = oc_para_lines(p, &n);
        assert_int_equal(n, n0);
        assert_partition(p, strlen(text));
        if (r == 1) {
            unstacked++;
            assert_true(oc_para_hyphen_run(p) <= 2);
            for (size_t k = 0; k + 1 < n; k++)
                assert_true(l[k].badness <= 1000);
            oc_para_set_back(p);
        } else {
            assert_int_equal(r, -1);
        }
        assert_true(oc_para_hyphen_run(p) >= 3);
        oc_para_free(p);
    }
    return unstacked;
}

static void
test_three_hyphens_in_a_row_unstacked(void **state)
{
    int had = 0, unstacked;

    (void)state;
    unstacked = unstack_at_widths(
        "Он, должно быть, полагал, что слова эти поддержат бодрость "
        "хорошенького прапорщика; но, сколько можно было заметить по "
        "холодно-печальному выражению взгляда последнего, слова эти не "
        "произвели желанного действия.", &had);
    assert_true(had >= 1);
    assert_int_equal(unstacked, had);
    had = 0;
    assert_int_equal(unstack_at_widths(RU_LONG_WORDS, &had), 0);
    assert_true(had > 10);
}

/* Refit 'text' in Russian at 66 widths from 110 pt, a line more and a
 * line fewer, checking that no refit makes a run of hyphenated lines
 * (as 'run' counts them) longer than 2 and than it was; returns how many
 * refits were made, and adds to *marked what 'mark' says of each
 * setting (NULL: nothing). */
static int
refit_runs(const char *text, int (*run)(oc_para *), int (*mark)(oc_para *),
           int *marked)
{
    int refits = 0;

    for (int w = 110; w <= 240; w += 2)
        for (int delta = -1; delta <= 1; delta += 2) {
            oc_para_style st = style(w, OC_PARA_JUSTIFY,
                                     OC_PARA_HYPHENS_AUTO);
            oc_para *p;
            int before;

            st.lang = "ru";
            p = set_in(text, &st);
            if (mark != NULL)
                *marked += mark(p);
            before = run(p);
            if (oc_para_refit(p, delta, 10000)) {
                int after = run(p);

                refits++;
                assert_true(after <= 2 || after <= before);
            }
            oc_para_free(p);
        }
    return refits;
}

/* A paragraph set a line longer or shorter for its page (a widow, a
 * level spread) never gains a third hyphenated line in a row: the line
 * count asked for can leave the breaker no other way to it, and such a
 * setting is refused. */
static void
test_refit_never_makes_three_hyphens_in_a_row(void **state)
{
    (void)state;
    /* it does refit */
    assert_true(refit_runs(RU_LONG_WORDS, longest_hyphen_run, NULL, NULL) >
                20);
}

/* Russian of long words and compounds written with a hyphen. */
#define RU_COMPOUNDS \
    "Научно-исследовательский институт северо-западного региона " \
    "проводит военно-полевые испытания радиолокационного оборудования; " \
    "холодно-печальные сотрудники физико-математического отделения " \
    "составляют историко-культурные описания и социально-экономические " \
    "прогнозы, а юго-восточный филиал разрабатывает сине-зелёные " \
    "светоотражающие покрытия для научно-технических лабораторий " \
    "и общественно-политических организаций."

/* The most lines in a row of p's that end in a hyphen, the text's own
 * (a compound's) counted. */
static int
longest_run_with_hard_hyphens(oc_para *p)
{
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);
    int run = 0, worst = 0;

    for (size_t k = 0; k + 1 < n; k++) {
        bool hard = l[k].end > l[k].start && l[k].text[l[k].end - 1] == '-';

        run = l[k].hyphenated || hard ? run + 1 : 0;
        if (run > worst)
            worst = run;
    }
    return worst;
}

/* How many of p's lines end at a compound's own hyphen; each line says
 * whether it ends at a hyphen of either kind. */
static int
hard_ends_marked(oc_para *p)
{
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);
    int hard = 0;

    for (size_t k = 0; k + 1 < n; k++) {
        bool h = l[k].end > l[k].start && l[k].text[l[k].end - 1] == '-';

        assert_true(l[k].at_hyphen == (l[k].hyphenated || h));
        hard += h;
    }
    return hard;
}

/* Nor when the hyphen a line ends with is the text's own (as the
 * breaker's double_hyphen_demerits count it): refits of Russian
 * compounds at 66 widths, a line more and a line fewer. Before, one
 * made a run of 3 into one of 5. */
static void
test_refit_counts_hard_hyphens_in_a_row(void **state)
{
    int hard = 0;

    (void)state;
    assert_true(refit_runs(RU_COMPOUNDS, longest_run_with_hard_hyphens,
                           hard_ends_marked, &hard) > 0);
    assert_true(hard > 20);             /* lines do end in compounds */
}

/* A few Chinese words in an English paragraph: the lines without them
 * keep their font expansion (before, the whole paragraph lost it), the
 * lines with them are not scaled (CJK glyphs keep their squares). */
static void
test_cjk_words_do_not_stop_expansion_of_other_lines(void **state)
{
    GString *s = g_string_new(NULL);
    int expanded = 0, cjk_lines = 0;

    (void)state;
    g_string_append(s, "The word \u6F22\u5B57 names the characters. ");
    for (int i = 0; i < 3; i++)
        g_string_append(s, PROSE), g_string_append_c(s, ' ');
    g_string_append(s, "And \u4E2D\u6587 ends it.");
    for (double w = 150; w <= 250; w += 10) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p = set(s->str, &st);
        size_t n;
        const oc_para_line *l = oc_para_lines(p, &n);

        for (size_t k = 0; k + 1 < n; k++) {
            bool cjk = false;

            for (const char *c = s->str + l[k].start;
                 c < s->str + l[k].end; c = g_utf8_next_char(c))
                cjk |= g_utf8_get_char(c) >= 0x4E00 &&
                       g_utf8_get_char(c) <= 0x9FFF;
            if (cjk) {
                cjk_lines++;
                assert_true(l[k].scale == 1.0);
            } else {
                expanded += l[k].scale != 1.0;
            }
        }
        oc_para_free(p);
    }
    assert_true(cjk_lines > 0);
    assert_true(expanded > 20);
    g_string_free(s, TRUE);
}

static void
test_czech_one_letter_words_stay_with_the_next(void **state)
{
    const char *text =
        "V malém městě u řeky stála knihovna a v ní pracoval starý "
        "knihovník. Každé ráno přicházel k oknu s hrnkem čaje a s velkou "
        "trpělivostí zapisoval do deníku teplotu i vlhkost vzduchu. O "
        "knihovně věděli i v okolních vesnicích, u jejích dveří se "
        "zastavovali cestovatelé z daleka a k jejich zvyklostem patřilo "
        "zapsat do knihy návštěv několik slov o knihovně i o městě.";

    (void)state;
    assert_true(assert_no_one_letter_line_end(text, "cs", 90, 240) > 100);
}

/* The width of the space at byte i of a one-line paragraph. */
static double
space_width(const char *text, const char *lang, size_t i)
{
    oc_para_style st = style(1000, OC_PARA_START, OC_PARA_HYPHENS_AUTO);
    oc_para *p;
    size_t n;
    const oc_para_line *l;
    double w;

    st.lang = lang;
    p = set_in(text, &st);
    l = oc_para_lines(p, &n);
    assert_int_equal(n, 1);
    w = oc_para_line_index_x(l, i + 1) - oc_para_line_index_x(l, i);
    oc_para_free(p);
    return w;
}

static void
test_french_thin_spaces_before_high_punctuation_and_in_guillemets(void **state)
{
    const char *text = "Il dit : « oui » ; puis ? Non !";
    const char *marks[] = {" :", "\u00AB ", " \u00BB", " ;", " ?", " !"};
    double thin = 11.0 / 6;

    (void)state;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        size_t at = (size_t)(strstr(text, marks[i]) - text);

        if (marks[i][0] != ' ')
            at += strlen(marks[i]) - 1;
        assert_true(fabs(space_width(text, "fr", at) - thin) < EPS);
        assert_true(space_width(text, "en", at) > thin + 0.3);
    }
    /* A French paragraph never breaks at them. */
    for (int w = 40; w <= 160; w += 2) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p;
        size_t n;
        const oc_para_line *l;

        st.lang = "fr-CA";
        p = set_in(text, &st);
        l = oc_para_lines(p, &n);
        for (size_t k = 1; k < n; k++)
            assert_true(strchr(";:?!", text[l[k].start]) == NULL &&
                        strncmp(text + l[k].start, "\u00BB", 2) != 0 &&
                        strncmp(text + l[k - 1].end - 3, "\u00AB ", 3) != 0);
        oc_para_free(p);
    }
}

static void
test_line_breaks_after_an_em_dash_before_a_quote(void **state)
{
    const char *text =
        "\u201CI am sure,\u201D said Mrs. Bennet, \u201Cthat they would be "
        "all very welcome to us, Mr. Bingley;\u2014\u201Cand I hope there "
        "will be no need of that at all.\u201D";
    size_t quote = (size_t)(strstr(text, "\u2014\u201Cand") - text) + 3;
    int found = 0;

    (void)state;
    for (int w = 80; w <= 300; w++) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p = set_in(text, &st);
        size_t n;
        const oc_para_line *l = oc_para_lines(p, &n);

        for (size_t k = 0; k + 1 < n; k++)
            if (l[k].end == quote) {
                found++;
                assert_false(l[k].hyphenated);  /* the dash is the text's */
            }
        oc_para_free(p);
    }
    assert_true(found > 0);
}

/* The lines of p (set from 'text') that end in a hyphen inside a word
 * with a capital first letter; *hyph counts every hyphenated line too,
 * *worst is the worst badness of a line but the last. */
static int
capitals_cut(oc_para *p, const char *text, size_t *hyph, double *worst)
{
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);
    int capitals = 0;

    *worst = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        size_t b = l[k].end;

        *worst = fmax(*worst, l[k].badness);
        if (!l[k].hyphenated)
            continue;
        ++*hyph;
        while (b > 0 && text[b - 1] != ' ')
            b--;
        capitals += g_unichar_isupper(g_utf8_get_char(text + b));
    }
    return capitals;
}

static void
test_capitalised_word_hyphenated_only_as_a_last_resort(void **state)
{
    const char *narrow = "Yesterday the Constantinopolitan ambassadors "
                         "arrived at the harbour in the morning.";
    size_t w0 = (size_t)(strstr(narrow, "Const") - narrow), w1 = w0 + 18;
    const char *prose =
        "In olden times when wishing still helped one, there lived in "
        "Constantinople a king whose daughters were all beautiful; and the "
        "youngest, Alexandrina, was so beautiful that the sun itself, which "
        "has seen so much, was astonished whenever it shone in her face. "
        "Close by the castle of the Transylvanian king lay a great dark "
        "forest, and under an old lime-tree in the forest was a well, and "
        "when the day was very warm, Alexandrina went out into the forest "
        "and sat down by the side of the cool fountain.";
    oc_para_style st = style(80, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    oc_para *p = set(narrow, &st);
    size_t n, hyph = 0;
    const oc_para_line *l = oc_para_lines(p, &n);

    (void)state;
    /* Wider than the line: hyphenated at its patterns' points rather
     * than cut anywhere. */
    for (size_t k = 0; k + 1 < n; k++)
        if (l[k].end > w0 && l[k].end < w1) {
            assert_true(l[k].hyphenated);
            hyph++;
        }
    assert_true(hyph > 0);
    hyph = 0;
    oc_para_free(p);
    /* A name is hyphenated only in a paragraph that cannot be set
     * within tolerance (200) without emergency stretch. */
    for (int w = 150; w <= 300; w += 2) {
        double worst;
        int names;

        st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        p = set(prose, &st);
        names = capitals_cut(p, prose, &hyph, &worst);
        if (names > 0 && worst <= 200)
            fail_msg("width %d: a name hyphenated in a decent paragraph", w);
        oc_para_free(p);
    }
    assert_true(hyph > 0);
}

/* A sentence's first word is capitalised for its place, not as a name:
 * it is hyphenated as any word, in paragraphs set within tolerance. */
static void
test_sentence_first_word_hyphenated_as_any_word(void **state)
{
    const char *prose =
        "It rained. Nevertheless the travellers went on. Unquestionably "
        "they were tired. Notwithstanding the weather they sang. "
        "Consequently the villagers came out. Extraordinarily the rain "
        "stopped. Understandably everyone cheered. Furthermore the sun "
        "appeared. Unfortunately it set soon after.";
    int first = 0;
    size_t hyph = 0;

    (void)state;
    for (int w = 100; w <= 260; w += 2) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p = set(prose, &st);
        double worst;
        int here = capitals_cut(p, prose, &hyph, &worst);

        if (worst <= 200)
            first += here;
        oc_para_free(p);
    }
    assert_true(first > 0);
}

static void
test_urls_break_only_after_slash_dot_hyphen(void **state)
{
    const char *text =
        "See https://example.org/a-very/long/path/that/goes/on/index.html "
        "or www.example.com/another-path/somewhere for more.";
    const char *url = strstr(text, "https");

    (void)state;
    for (int w = 60; w <= 200; w += 5) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p = set_in(text, &st);
        size_t n;
        const oc_para_line *l = oc_para_lines(p, &n);

        for (size_t k = 0; k + 1 < n; k++) {
            char before = text[l[k].end - 1];

            if (before == ' ' || l[k].end < (size_t)(url - text))
                continue;
            assert_false(l[k].hyphenated);
            if (strchr("/.-", before) == NULL)
                fail_msg("width %d: a break after '%c'", w, before);
        }
        oc_para_free(p);
    }
}

/* The natural width of text[a, b) set on one line. */
static double
natural_width(const char *text, size_t a, size_t b)
{
    char *part = g_strndup(text + a, b - a);
    oc_para_style st = style(10000, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    oc_para *p = set(g_strstrip(part), &st);
    size_t n;
    double w = oc_para_lines(p, &n)[0].width;

    oc_para_free(p);
    g_free(part);
    return w;
}

/* A justified line that ends inside a web address ends short, as a
 * ragged one: the pieces of the address have no space to stretch, and
 * filling the line would spread the words before them apart. Its
 * spaces stretch only for what the ragged end cannot take (3 em). */
static void
test_justified_line_ending_in_a_url_is_ragged(void **state)
{
    const char *text =
        "A very long URL: https://example.com/a/very/long/path/that/goes/"
        "on/and/on/without/any/natural/break/points/at/all/index.html"
        "?query=parameter&another=value and some words after it.";
    int short_lines = 0;

    (void)state;
    for (int w = 150; w <= 300; w += 10) {
        oc_para_style st = style(w, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
        oc_para *p = set(text, &st);
        size_t n;
        const oc_para_line *l = oc_para_lines(p, &n);

        for (size_t k = 0; k + 1 < n; k++) {
            double nat;

            if (text[l[k].end - 1] == ' ')
                continue;
            nat = natural_width(text, l[k].start, l[k].end);
            if (nat < w - 6 && right_end(&l[k]) > w - 3)
                fail_msg("width %d, line %zu: filled to %.2f, %.2f natural",
                         w, k, right_end(&l[k]), nat);
            if (nat > w - 30 && l[k].width > nat * 1.02 + 0.5)
                fail_msg("width %d, line %zu: %.2f set, %.2f natural", w, k,
                         l[k].width, nat);
            short_lines += right_end(&l[k]) < w - 3;
        }
        oc_para_free(p);
    }
    assert_true(short_lines > 0);
}

static void
test_missing_glyph_warned_once_per_character_and_chapter(void **state)
{
    const char *text = "A box \uE000 and again \uE000, and \U0010FFFD.";
    oc_para_style st = style(300, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    unsigned before = oc_warn_count();
    oc_para *p;

    (void)state;
    st.file = "missing-one.md";
    p = set_in(text, &st);
    oc_para_free(p);
    assert_int_equal(oc_warn_count(), before + 2);      /* E000, E001 */
    p = set_in(text, &st);                 /* the same chapter: no more */
    assert_true(oc_para_refit(p, 1, 10000) || true);
    oc_para_free(p);
    assert_int_equal(oc_warn_count(), before + 2);
    st.file = "missing-two.md";
    p = set("Only \uE000 here.", &st);
    oc_para_free(p);
    assert_int_equal(oc_warn_count(), before + 3);
}

static void
test_no_synthetic_italic_for_han_characters(void **state)
{
    const char *text = "An italic word and \u4E2D\u6587\u5B57\u4F53 too.";
    oc_para_style st = style(300, OC_PARA_START, OC_PARA_HYPHENS_AUTO);
    PangoAttrList *al = pango_attr_list_new();
    oc_para *p;
    oc_error err = {0};
    size_t n, han = 0;
    const oc_para_line *l;

    (void)state;
    pango_attr_list_insert(al, pango_attr_style_new(PANGO_STYLE_ITALIC));
    assert_int_equal(oc_para_new(text, strlen(text), al, &st, &p, &err),
                     OC_OK);
    l = oc_para_lines(p, &n);
    for (size_t k = 0; k < n; k++)
        for (size_t r = 0; r < l[k].nruns; r++) {
            const PangoAnalysis *an = &l[k].runs[r].glyphs->item->analysis;

            if (an->script != PANGO_SCRIPT_HAN)
                continue;
            han++;
            assert_true(hb_font_get_synthetic_slant(
                            pango_font_get_hb_font(an->font)) == 0);
        }
    assert_true(han > 0);
    oc_para_free(p);
    pango_attr_list_unref(al);
}

static void
test_hebrew_marks_come_from_their_letters_font(void **state)
{
    /* DejaVu Sans has the Hebrew letters and points but not the
     * cantillation marks (U+0591-U+05AF), which Pango takes from
     * another font: the letters they sit on go with them. */
    const char *text = "\u05D1\u05BC\u05B0\u05E8\u05B5\u05D0\u05E9\u05B4"
                       "\u05C1\u0596\u05D9\u05EA \u05D1\u05BC\u05B8"
                       "\u05E8\u05B8\u05A3\u05D0";
    PangoFontDescription *d = pango_font_description_from_string(
        "DejaVu Sans 11");
    oc_para_style st = style(300, OC_PARA_START, OC_PARA_HYPHENS_AUTO);
    oc_para *p;
    size_t n;
    const oc_para_line *l;

    (void)state;
    st.context = fx.rtl;
    st.font = d;
    st.rtl = true;
    st.lang = "he";
    p = set(text, &st);
    l = oc_para_lines(p, &n);
    for (size_t k = 0; k < n; k++)
        for (size_t r = 0; r < l[k].nruns; r++) {
            const PangoItem *it = l[k].runs[r].glyphs->item;

            if (l[k].runs[r].text == text || it->offset > 0)
                assert_false(g_unichar_ismark(g_utf8_get_char(
                    l[k].text + it->offset)));
        }
    oc_para_free(p);
    pango_font_description_free(d);
}

/* Chinese text, which tempts the breaker to break before closing marks
 * and after opening ones, and has quotation marks, an ellipsis, a dash,
 * a middle dot and a Latin word in it. */
static const char CHINESE[] =
    "\u4ed6\u8bf4\uff1a\u201c\u6211\u4eec\u660e\u5929\u53bb\u56fe"
    "\u4e66\u9986\u770b\u4e66\u5427\u3002\u201d\u5979\u56de\u7b54"
    "\uff1a\u201c\u597d\u7684\uff0c\u4e0d\u8fc7\u6211\u8981\u5148"
    "\u53bb\u4e66\u5e97\u4e70\u300a\u7ea2\u697c\u68a6\u300b\u548c"
    "\u300a\u897f\u6e38\u8bb0\u300b\u3002\u201d\u5217\u592b\u00b7"
    "\u6258\u5c14\u65af\u6cf0\u3001\u5b89\u4e1c\u00b7\u5951\u8bc3"
    "\u592b\u7684\u5c0f\u8bf4\u90fd\u653e\u5728\u4e09\u697c\u7684"
    "\u4e66\u67b6\u4e0a\u2026\u2026\u7ba1\u7406\u5458\u8bf4\u2014"
    "\u2014\u8fd9\u4e9b\u4e66\u5f88\u5c11\u6709\u4eba\u501f\u3002"
    "\u8bfb\u8005\u53ef\u4ee5\u7528English\u6216\u4e2d\u6587\u586b"
    "\u5199\u501f\u4e66\u5355\uff08\u8282\u5047\u65e5\u9664\u5916"
    "\uff09\uff0c\u4e5f\u53ef\u4ee5\u9884\u7ea6\u300c\u73cd\u672c"
    "\u9605\u89c8\u5ba4\u300d\u7684\u5ea7\u4f4d\uff01\u201c\u597d"
    "\u3002\u201d\u201c\u4e0d\u597d\u3002\u201d";

/* Eighteen ideographs and a comma: a run of text around a pair. */
#define CHINESE_HEAD \
    "\u6211\u4eec\u660e\u5929\u53bb\u56fe\u4e66\u9986\u770b\u4e66" \
    "\u5427\u4e66\u5e97\u4e70\u7ea2\u697c\u68a6\u548c"

/* Chinese with a web address in it, no space between: a word to the
 * breaker, whose CJK part keeps the breaks of CJK text. */
static const char CHINESE_URL[] =
    "\u5b83\u540c\u65f6\u4e5f\u662f\u5220\u9664\u5927\u91cf\u6587"
    "\u4ef6\u7684\u6700\u5feb\u65b9\u6cd5\uff08https://web.archive."
    "org/web/20130929001850/http://linuxnote.net/jianingy/en/linux/"
    "a-fast-way-to-remove\uff09\u4e4b\u4e00\u3002\u5b83\u901a\u5e38"
    "\u88ab\u7528\u4e8e\u673a\u5668\u95f4\u7684\u540c\u6b65\uff0c"
    "\u4f46\u5728\u672c\u5730\u4e5f\u540c\u6837\u6709\u7528\u3002"
    "\u5b83\u901a\u5e38\u88ab\u7528\u4e8e\u673a\u5668\u95f4\u7684"
    "\u540c\u6b65\uff0c\u4f46\u5728\u672c\u5730\u4e5f\u540c\u6837"
    "\u6709\u7528\u3002";

/* The type of Chinese text as book.css gives it on paper. */
static PangoFontDescription *
chinese_font(void)
{
    PangoFontDescription *d = pango_font_description_new();

    pango_font_description_set_family(d, "EB Garamond 12,Noto Serif CJK SC");
    pango_font_description_set_absolute_size(d, 11 * PANGO_SCALE);
    return d;
}

static oc_para *
set_chinese(const char *text, const oc_para_style *st)
{
    PangoAttrList *al = pango_attr_list_new();
    oc_para *p = NULL;
    oc_error err = {0};

    pango_attr_list_insert(al, pango_attr_language_new(
                                   pango_language_from_string("zh")));
    if (oc_para_new(text, strlen(text), al, st, &p, &err) != OC_OK)
        fail_msg("oc_para_new: %s", err.msg);
    pango_attr_list_unref(al);
    return p;
}

static bool
is_han(gunichar c)
{
    return c >= 0x4E00 && c <= 0x9FFF;
}

/* How far line l sets character nx from character c before it. */
static double
char_step(const oc_para_line *l, const char *c, const char *nx)
{
    return oc_para_line_index_x(l, (size_t)(nx - l->text)) -
           oc_para_line_index_x(l, (size_t)(c - l->text));
}

/* Two marks of punctuation side by side in justified Chinese keep half
 * an em of blank between them (：“ 。” 》和 is no pair), at every measure
 * that leaves them on one line; and 」「 in Traditional Chinese. */
static void
test_chinese_punctuation_pairs_keep_half_an_em(void **state)
{
    static const double widths[] = {150.3, 201.7, 243.2, 320.53};
    static const struct { const char *lang, *a, *b; bool half; } pairs[] = {
        {"zh", "\uff1a", "\u201c", true},     /* ：“ */
        {"zh", "\u3002", "\u201d", true},     /* 。” */
        {"zh", "\u300b", "\u548c", false},    /* 》和 */
        {"zh-Hant", "\u300d", "\u300c", true},  /* 」「 */
    };
    PangoFontDescription *d = chinese_font();
    size_t checked = 0;

    (void)state;
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
        for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
            oc_para_style st = style(widths[w], OC_PARA_JUSTIFY,
                                     OC_PARA_HYPHENS_AUTO);
            char text[256];
            oc_para *p;
            size_t n, at;
            const oc_para_line *l;

            snprintf(text, sizeof text, "%s%s%s%s%s%s%s", CHINESE_HEAD,
                     pairs[k].a, pairs[k].b, CHINESE_HEAD, pairs[k].a,
                     pairs[k].b, CHINESE_HEAD);
            st.font = d;
            st.lang = pairs[k].lang;
            p = set_chinese(text, &st);
            l = oc_para_lines(p, &n);
            at = strlen(CHINESE_HEAD);
            for (size_t i = 0; i + 1 < n; i++) {
                double step;

                if (at < l[i].start || at + strlen(pairs[k].a) >= l[i].end)
                    continue;
                step = oc_para_line_index_x(&l[i], at + strlen(pairs[k].a)) -
                       oc_para_line_index_x(&l[i], at);
                if (pairs[k].half)
                    assert_true(step >= 5.5 - EPS && step < 6.6);
                else            /* a whole em, less a push-in at most */
                    assert_true(step >= 11 - 0.25 * 11 - EPS);
                checked++;
            }
            oc_para_free(p);
        }
    assert_true(checked >= 10);
    pango_font_description_free(d);
}

static void
test_chinese_justified_by_even_spacing_of_its_characters(void **state)
{
    static const double widths[] = {150.3, 201.7, 243.2, 320.53};
    PangoFontDescription *d = chinese_font();

    (void)state;
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        oc_para_style st = style(widths[w], OC_PARA_JUSTIFY,
                                 OC_PARA_HYPHENS_AUTO);
        oc_para *p;
        size_t n;
        const oc_para_line *l;

        st.font = d;
        st.lang = "zh";
        st.indent = 22;
        p = set_chinese(CHINESE, &st);
        l = oc_para_lines(p, &n);
        assert_true(n > 2);
        assert_true(fabs(l[0].x - 22) < EPS);
        for (size_t k = 0; k + 1 < n; k++) {
            double lo = 1e9, hi = 0;
            const char *t = l[k].text + l[k].start;

            assert_true(fabs(right_end(&l[k]) - widths[w]) < 0.05);
            assert_true(l[k].scale == 1);       /* no font expansion */
            /* From one ideograph to the next: one step, line-wide. */
            for (const char *c = t; c < l[k].text + l[k].end;
                 c = g_utf8_next_char(c)) {
                const char *nx = g_utf8_next_char(c);
                double step;

                if (nx >= l[k].text + l[k].end || !is_han(g_utf8_get_char(c))
                    || !is_han(g_utf8_get_char(nx)))
                    continue;
                step = char_step(&l[k], c, nx);
                lo = fmin(lo, step);
                hi = fmax(hi, step);
            }
            assert_true(lo >= 11 - EPS && hi - lo < 0.02);
        }
        assert_partition(p, strlen(CHINESE));
        oc_para_free(p);
    }
    pango_font_description_free(d);
}

/* Non-punctuation characters in [a, b) of 'text'. */
static long
chars_in(const char *text, size_t a, size_t b)
{
    long n = 0;

    for (const char *c = text + a; c < text + b; c = g_utf8_next_char(c))
        n += !g_unichar_ispunct(g_utf8_get_char(c));
    return n;
}

/* Chinese never leaves one character alone on a paragraph's last line
 * (CLREQ's 孤字不成行), justified or not: the line before gives it a
 * companion. Justified, its lines take in the blank halves of their
 * marks of punctuation (CLREQ's push-in, JIS X 4051's oikomi), a quarter
 * em of each at most, and an ideograph gives up none of its em. */
static void
test_chinese_no_lone_char_on_the_last_line(void **state)
{
    PangoFontDescription *d = chinese_font();
    int pushed = 0;

    (void)state;
    for (double w = 120; w < 330; w += 1.3)
        for (int v = 0; v < 2; v++) {
            oc_para_style st = style(w, v ? OC_PARA_START : OC_PARA_JUSTIFY,
                                     OC_PARA_HYPHENS_AUTO);
            oc_para *p;
            size_t n;
            const oc_para_line *l;

            st.font = d;
            st.lang = "zh";
            p = set_chinese(v ? CHINESE_URL : CHINESE, &st);
            l = oc_para_lines(p, &n);
            assert_true(n > 1);
            assert_true(chars_in(l[n - 1].text, l[n - 1].start,
                                 l[n - 1].end) >= 2);
            for (size_t k = 0; k + 1 < n && !v; k++)
                for (const char *c = l[k].text + l[k].start;
                     c < l[k].text + l[k].end; c = g_utf8_next_char(c)) {
                    const char *nx = g_utf8_next_char(c);
                    double step;

                    if (nx >= l[k].text + l[k].end ||
                        !is_han(g_utf8_get_char(nx)))
                        continue;
                    step = char_step(&l[k], c, nx);
                    if (is_han(g_utf8_get_char(c))) {
                        assert_true(step >= 11 - EPS);
                    } else if (step > 8) {      /* a mark on its em */
                        assert_true(step >= 11 - 0.25 * 11 - EPS);
                        pushed += step < 11 - 0.05 * 11;
                    }
                }
            oc_para_free(p);
        }
    assert_true(pushed > 0);
    pango_font_description_free(d);
}

/* Kinsoku: no line starts with a closing mark, none ends with an opening
 * one, whatever the measure. */
static void
assert_kinsoku(const oc_para *p)
{
    static const char closing[] = "\u3001\u3002\uff0c\uff1a\uff01"
                                  "\uff09\u300b\u300d\u201d\u00b7"
                                  "\u2026";
    static const char opening[] = "\u201c\u300a\u300c\uff08\u00b7";
    size_t n;
    const oc_para_line *l = oc_para_lines(p, &n);

    for (size_t k = 0; k < n; k++) {
        const char *a = l[k].text + l[k].start, *b = l[k].text + l[k].end;

        while (b > a && b[-1] == ' ')
            b--;
        assert_true(b > a);
        if (k > 0)
            assert_null(g_utf8_strchr(closing, -1, g_utf8_get_char(a)));
        if (k + 1 < n)
            assert_null(g_utf8_strchr(opening, -1, g_utf8_get_char(
                                          g_utf8_prev_char(b))));
    }
}

static void
test_chinese_kinsoku_at_every_measure(void **state)
{
    PangoFontDescription *d = chinese_font();
    size_t breaks_after_quote = 0;

    (void)state;
    for (double w = 100; w < 330; w += 3.7) {
        for (int v = 0; v < 4; v++) {
            oc_para_style st = style(w, v % 2 ? OC_PARA_START
                                              : OC_PARA_JUSTIFY,
                                     OC_PARA_HYPHENS_AUTO);
            oc_para *p;
            size_t n;
            const oc_para_line *l;

            st.font = d;
            st.lang = "zh";
            p = set_chinese(v < 2 ? CHINESE : CHINESE_URL, &st);
            assert_kinsoku(p);
            l = oc_para_lines(p, &n);
            for (size_t k = 0; k + 1 < n; k++)
                breaks_after_quote +=
                    g_utf8_get_char(g_utf8_prev_char(
                        l[k].text + l[k].end)) == 0x201D;
            oc_para_free(p);
        }
    }
    /* UAX #14 forbade these before Unicode 15.1; CJK text has them. */
    assert_true(breaks_after_quote > 0);
    pango_font_description_free(d);
}

/* The family of the font of the run that holds byte i of line set l[n]. */
static char *
family_at(const oc_para_line *l, size_t n, size_t i)
{
    for (size_t k = 0; k < n; k++)
        for (size_t r = 0; r < l[k].nruns; r++) {
            const PangoItem *it = l[k].runs[r].glyphs->item;

            if (l[k].runs[r].text == l[k].text &&
                i >= (size_t)it->offset &&
                i < (size_t)(it->offset + it->length)) {
                PangoFontDescription *fd = pango_font_describe(
                    it->analysis.font);
                char *f = g_strdup(pango_font_description_get_family(fd));

                pango_font_description_free(fd);
                return f;
            }
        }
    fail_msg("byte %zu is on no line", i);
    return NULL;
}

static void
test_chinese_punctuation_from_the_cjk_font(void **state)
{
    const char *text = "\u4ed6\u8bf4\uff1a\u201c\u4f60\u597d\u2026"
                       "\u2026\u201d\u2014\u2014\u5217\u592b\u00b7"
                       "\u6258\u5c14\u3002 Don\u2019t \u201cstop\u201d "
                       "now.";
    PangoFontDescription *d = chinese_font();
    oc_para_style st = style(300, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    oc_para *p;
    size_t n;
    const oc_para_line *l;

    (void)state;
    st.font = d;
    st.lang = "zh";
    p = set_chinese(text, &st);
    l = oc_para_lines(p, &n);
    for (const char *c = text; *c; c = g_utf8_next_char(c)) {
        gunichar u = g_utf8_get_char(c);
        size_t i = (size_t)(c - text);
        char *f;

        if (u < 0x80)
            continue;
        f = family_at(l, n, i);
        /* The marks beside CJK characters are the CJK font's; the
         * apostrophe and quotation marks of the English words are not. */
        if (i < (size_t)(strstr(text, " Don") - text))
            assert_non_null(strstr(f, "CJK"));
        else
            assert_null(strstr(f, "CJK"));
        g_free(f);
    }
    oc_para_free(p);
    /* Full-width, their blank half their own margin: they do not hang. */
    p = set_chinese("\u201c\u4f60\u597d\u201d \u201c\u4f60\u597d"
                    "\u201d", &st);
    l = oc_para_lines(p, &n);
    assert_true(fabs(l[0].x) < EPS && l[0].hang_left == 0);
    oc_para_free(p);
    pango_font_description_free(d);
}

static void
test_invalid_input_is_refused(void **state)
{
    oc_para_style st = style(0, OC_PARA_JUSTIFY, OC_PARA_HYPHENS_AUTO);
    oc_para *p = (oc_para *)&st;
    oc_error err = {0};

    (void)state;
    assert_int_equal(oc_para_new("text", 4, NULL, &st, &p, &err),
                     OC_ERR_INVALID);
    assert_null(p);
    st.width = 100;
    memset(&err, 0, sizeof err);
    assert_int_equal(oc_para_new("\xff\xfe", 2, NULL, &st, &p, &err),
                     OC_ERR_INVALID);
    assert_null(p);
}

/* Preformatted text (preserve, first fit): a tab goes to the next stop
 * of eight columns, counted from the line's start; the white space that
 * opens a line is kept as its indent; a wrapped line goes on after
 * wrap_indent, a line after a newline at the start. */
static void
test_preformatted_keeps_tabs_and_indents(void **state)
{
    oc_para_style st = style(400, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    oc_para *p;
    const oc_para_line *l;
    size_t n;
    double sp;

    (void)state;
    st.first_fit = true;
    st.preserve = true;
    /* "a b\tc": the tab is at column 3, so it is five spaces wide. */
    p = set("a b\tc", &st);
    l = oc_para_lines(p, &n);
    assert_int_equal(n, 1);
    sp = oc_para_line_index_x(&l[0], 2) - oc_para_line_index_x(&l[0], 1);
    assert_true(sp > 1);
    assert_float_equal(oc_para_line_index_x(&l[0], 4) -
                       oc_para_line_index_x(&l[0], 3), 5 * sp, EPS);
    oc_para_free(p);
    /* A tab and four spaces opening lines: indents of eight and four
     * spaces, the first line's after the paragraph's start too. */
    p = set("\tx\n    y", &st);
    l = oc_para_lines(p, &n);
    assert_int_equal(n, 2);
    assert_true(l[1].x > 0);
    assert_float_equal(l[0].x, 2 * l[1].x, EPS);
    oc_para_free(p);
    /* Wrapped: the second line starts wrap_indent in; the line after the
     * newline at the start. */
    st.width = 100;
    st.wrap_indent = 15;
    p = set("one two three four five six seven\neight", &st);
    l = oc_para_lines(p, &n);
    assert_true(n >= 3);
    assert_float_equal(l[0].x, 0, EPS);
    assert_float_equal(l[1].x, 15, EPS);
    assert_true(l[n - 2].forced);
    assert_float_equal(l[n - 1].x, 0, EPS);
    for (size_t k = 0; k < n; k++)
        assert_true(l[k].x + l[k].width <= 100 + EPS);
    oc_para_free(p);
}

/* A list of names that open with a full stop or a slash (dot files,
 * paths) breaks at the spaces before them, where UAX #14 keeps a '.' or
 * '/' to what stands before: no line is overfull, and one opens with a
 * name. */
static void
test_names_opening_with_a_dot_or_slash_break_before(void **state)
{
    static const char *const texts[] = {
        "A .goldengrahamsrc.json, .goldengrahamsrc.yaml, "
        ".goldengrahamsrc.yml, .goldengrahamsrc.js, .goldengrahamsrc.ts, "
        ".goldengrahamsrc.mjs, or .goldengrahamsrc.cjs file.",
        "Put it in /usr/local/share/applications, /usr/share/applications "
        "or ~/.local/share/applications, /opt/some/where/else too.",
    };
    oc_para_style st = style(160, OC_PARA_START, OC_PARA_HYPHENS_NONE);

    (void)state;
    for (size_t t = 0; t < G_N_ELEMENTS(texts); t++) {
        oc_para *p = set(texts[t], &st);
        size_t n;
        const oc_para_line *l = oc_para_lines(p, &n);
        bool opens = false;

        assert_true(n > 2);
        for (size_t k = 0; k < n; k++) {
            assert_true(l[k].badness < 10001);
            assert_true(l[k].x + l[k].width <= 160 + EPS);
            opens |= k > 0 && (texts[t][l[k].start] == '.' ||
                               texts[t][l[k].start] == '/');
        }
        assert_true(opens);
        oc_para_free(p);
    }
}

/* Spaces UAX #14 keeps (before a '!', ')' or ']') are a last resort
 * when no other break fits: a line of them breaks there rather than
 * running past the measure; prose with other breaks never takes them. */
static void
test_kept_spaces_break_as_a_last_resort(void **state)
{
    oc_para_style st = style(100, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    GString *t = g_string_new("Oh");
    oc_para *p;
    size_t n;
    const oc_para_line *l;

    (void)state;
    for (int i = 0; i < 40; i++)
        g_string_append(t, " !");
    p = set(t->str, &st);
    l = oc_para_lines(p, &n);
    assert_true(n > 1);
    for (size_t k = 0; k < n; k++)
        assert_true(l[k].x + l[k].width <= 100 + EPS);
    oc_para_free(p);
    g_string_free(t, TRUE);
    p = set("A word ( with a space ) and another ! here, "
            "set in a measure wide enough for all its words.", &st);
    l = oc_para_lines(p, &n);
    assert_true(n > 1);
    for (size_t k = 1; k < n; k++)
        assert_null(strchr("!)", l[k].text[l[k].start]));
    oc_para_free(p);
}

/* A line of code whose words are apart by no-break spaces (tex4ht's
 * listings) wraps at one of them when nothing else fits, rather than
 * running past the measure. */
static void
test_code_wraps_at_no_break_spaces_as_a_last_resort(void **state)
{
    oc_para_style st = style(120, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    oc_para *p;
    const oc_para_line *l;
    size_t n;

    (void)state;
    st.first_fit = true;
    st.preserve = true;
#define NB "\xc2\xa0"          /* a no-break space */
    p = set(NB "c" NB "[" NB "]" NB "small" NB "scheme" NB "(basic" NB "+"
            NB "xetex," NB "metapost," NB "a" NB "few" NB "languages)", &st);
#undef NB
    l = oc_para_lines(p, &n);
    assert_true(n > 1);
    for (size_t k = 0; k < n; k++) {
        assert_true(l[k].x + l[k].width <= 120 + EPS);
        assert_true(l[k].badness < 10001);
    }
    oc_para_free(p);
}

/* A line of code of white space alone, wider than the measure, shows
 * nothing and is no wider than the measure: not an overfull line. */
static void
test_preformatted_blank_line_fits(void **state)
{
    oc_para_style st = style(100, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    GString *t = g_string_new("x\n");
    oc_para *p;
    const oc_para_line *l;
    size_t n;

    (void)state;
    st.first_fit = true;
    st.preserve = true;
    g_string_append_printf(t, "%90s\ny", "");
    p = set(t->str, &st);
    l = oc_para_lines(p, &n);
    assert_int_equal(n, 3);
    for (size_t k = 0; k < n; k++) {
        assert_true(l[k].x + l[k].width <= 100 + EPS);
        assert_true(l[k].badness < 10001);
    }
    oc_para_free(p);
    g_string_free(t, TRUE);
}

/* First fit and the least measure: a paragraph measured unwrapped gives
 * its widest piece between breaks, and set again in that measure it
 * has no line wider. */
static void
test_first_fit_min_width(void **state)
{
    oc_para_style st = style(1e6, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    oc_para *p;
    const oc_para_line *l;
    size_t n;
    double min;

    (void)state;
    st.first_fit = true;
    p = set("a supercalifragilistic word", &st);
    l = oc_para_lines(p, &n);
    assert_int_equal(n, 1);
    min = oc_para_min_width(p);
    /* the long word's width ("a " is two bytes, the word twenty) */
    assert_float_equal(min, oc_para_line_index_x(&l[0], 22) -
                                oc_para_line_index_x(&l[0], 2), EPS);
    oc_para_set_measure(p, min, OC_PARA_END);
    l = oc_para_lines(p, &n);
    assert_int_equal(n, 3);
    for (size_t k = 0; k < n; k++) {
        assert_true(l[k].width <= min + EPS);
        assert_float_equal(l[k].x + l[k].width, min, EPS);   /* flush end */
    }
    oc_para_free(p);
}

/* Lines a and b, of paragraphs set from the same text, are the same:
 * bytes, place, and every glyph of every run in its font and colour. */
static void
assert_same_line(const oc_para_line *a, const oc_para_line *b)
{
    assert_int_equal(a->start, b->start);
    assert_int_equal(a->end, b->end);
    assert_int_equal(a->forced, b->forced);
    assert_int_equal(a->at_hyphen, b->at_hyphen);
    assert_float_equal(a->x, b->x, 1e-9);
    assert_float_equal(a->width, b->width, 1e-9);
    assert_float_equal(a->ascent, b->ascent, 1e-9);
    assert_float_equal(a->descent, b->descent, 1e-9);
    assert_int_equal(a->nruns, b->nruns);
    assert_int_equal(a->nrules, b->nrules);
    for (size_t i = 0; i < a->nruns; i++) {
        const oc_para_run *r = &a->runs[i], *s = &b->runs[i];
        const PangoGlyphString *g = r->glyphs->glyphs, *h = s->glyphs->glyphs;

        assert_float_equal(r->x, s->x, 1e-9);
        assert_int_equal(r->glyphs->item->offset, s->glyphs->item->offset);
        assert_int_equal(r->glyphs->item->length, s->glyphs->item->length);
        assert_ptr_equal(r->glyphs->item->analysis.font,
                         s->glyphs->item->analysis.font);
        assert_string_equal(r->text + r->glyphs->item->offset,
                            s->text + s->glyphs->item->offset);
        assert_int_equal(r->color.set, s->color.set);
        assert_float_equal(r->color.r, s->color.r, 1e-9);
        assert_int_equal(g->num_glyphs, h->num_glyphs);
        for (int k = 0; k < g->num_glyphs; k++) {
            assert_int_equal(g->glyphs[k].glyph, h->glyphs[k].glyph);
            assert_int_equal(g->glyphs[k].geometry.width,
                             h->glyphs[k].geometry.width);
            assert_int_equal(g->log_clusters[k], h->log_clusters[k]);
        }
        /* where an offset in the text is, as links and anchors ask */
        assert_float_equal(
            oc_para_line_index_x(a, (size_t)r->glyphs->item->offset),
            oc_para_line_index_x(b, (size_t)s->glyphs->item->offset), 1e-9);
    }
}

/* A long preformatted text (a listing) is set a piece at a time, cut at
 * its line ends: the same lines as set whole, with attributes that run
 * across the cuts, blank lines at them, lines that wrap, indents and a
 * last line end. */
static void
test_preformatted_in_pieces_as_whole(void **state)
{
    static const char *const ends[] = { "", "\n", "\n\n" };
    oc_para_style st = style(160, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    oc_para_params whole, pieces;
    GString *text = g_string_new(NULL);

    (void)state;
    st.first_fit = true;
    st.preserve = true;
    st.wrap_indent = 12;
    oc_para_params_init(&whole);
    oc_para_params_init(&pieces);
    whole.piece = 0;
    pieces.piece = 40;
    for (int i = 0; i < 120; i++) {
        if (i % 7 == 0)
            g_string_append_c(text, '\n');
        g_string_append_printf(text, "%*s%s x%d = f(y%d);%s\n", i % 5, "",
                               i % 3 ? "\t" : "", i, i,
                               i % 11 ? "" : " a line long enough to "
                                             "wrap in the measure once");
    }
    for (size_t e = 0; e < G_N_ELEMENTS(ends); e++) {
        GString *t = g_string_new(text->str);
        PangoAttrList *al = pango_attr_list_new();
        oc_para *a = NULL, *b = NULL;
        oc_error err = {0};
        const oc_para_line *la, *lb;
        size_t na, nb;

        g_string_truncate(t, t->len - 1);
        g_string_append(t, ends[e]);
        /* colours, one across many lines; a larger size in the middle */
        for (guint at = 0; at + 9 < t->len; at += 23) {
            PangoAttribute *c = pango_attr_foreground_new(
                (guint16)(at * 977), 0, 0);

            c->start_index = at;
            c->end_index = at % 5 == 0 ? at + 300 : at + 9;
            pango_attr_list_insert(al, c);
        }
        {
            PangoAttribute *z = pango_attr_size_new_absolute(14 * PANGO_SCALE);

            z->start_index = (guint)t->len / 3;
            z->end_index = (guint)t->len / 2;
            pango_attr_list_insert(al, z);
        }
        st.params = &whole;
        assert_int_equal(oc_para_new(t->str, t->len, al, &st, &a, &err),
                         OC_OK);
        st.params = &pieces;
        assert_int_equal(oc_para_new(t->str, t->len, al, &st, &b, &err),
                         OC_OK);
        la = oc_para_lines(a, &na);
        lb = oc_para_lines(b, &nb);
        assert_true(na > 130);
        assert_int_equal(na, nb);
        for (size_t k = 0; k < na; k++)
            assert_same_line(&la[k], &lb[k]);
        assert_float_equal(oc_para_min_width(a), oc_para_min_width(b), 1e-9);
        assert_partition(b, t->len);
        oc_para_free(a);
        oc_para_free(b);
        pango_attr_list_unref(al);
        g_string_free(t, TRUE);
    }
    g_string_free(text, TRUE);
}

/* The breaks of a text whose allow-breaks=false ranges octavo applies
 * itself (shape.c) are those Pango gave: words shaped through the cache
 * as pango_attr_break takes the ranges away from the text's breaks, a
 * text shaped by a layout (small capitals) as PangoLayout finds them
 * with every attribute; mandatory breaks, and those after a hyphen, a
 * word divider or a zero-width space, stay inside a range. */
static PangoLogAttr *
shaped_breaks(PangoAttrList *attrs, const char *text, size_t len, int *n)
{
    oc_arena *a = oc_arena_new();
    oc_shape sh;
    PangoLogAttr *la;

    memset(&sh, 0, sizeof sh);
    sh.text = text;
    sh.len = len;
    sh.attrs = attrs;
    sh.context = fx.ltr;
    sh.font = fx.font;
    sh.cache = oc_shape_cache_new();
    la = oc_shape_text(&sh, a, n);
    oc_shape_release(&sh);
    oc_shape_cache_free(sh.cache);
    oc_arena_free(a);
    return la;
}

/* allow-breaks=false over bytes [at, at + 7) every 9, into each list. */
static int
no_break_ranges(size_t len, PangoAttrList *a, PangoAttrList *b)
{
    int n = 0;

    for (size_t at = 0; at + 6 < len; at += 9, n++) {
        PangoAttribute *ab = pango_attr_allow_breaks_new(FALSE);

        ab->start_index = (guint)at;
        ab->end_index = (guint)(at + 7);
        pango_attr_list_insert(a, pango_attribute_copy(ab));
        pango_attr_list_insert(b, ab);
    }
    return n;
}

static void
assert_same_breaks(const PangoLogAttr *got, const PangoLogAttr *want,
                   int n, const char *how)
{
    for (int i = 0; i < n; i++)
        if (got[i].is_line_break != want[i].is_line_break ||
            got[i].is_char_break != want[i].is_char_break ||
            got[i].is_mandatory_break != want[i].is_mandatory_break)
            fail_msg("%s, character %d: line %d/%d char %d/%d mandatory "
                     "%d/%d", how, i, got[i].is_line_break,
                     want[i].is_line_break, got[i].is_char_break,
                     want[i].is_char_break, got[i].is_mandatory_break,
                     want[i].is_mandatory_break);
}

static void
test_allow_breaks_as_pango_applies_them(void **state)
{
    static const char plain[] =
        "Version v1.2.3-rc1 of the lime-tree, well-known pipe|sep and "
        "many more words; a text\nafter a forced break, then the tail.";
    static const char rich[] =
        "Version v1.2.3-rc1 of the lime\xc2\xadtree, well\xe2\x80\x93known"
        " pipe|sep and zero\xe2\x80\x8bwidth space; caf\xc3\xa9 \xe2\x80\x94"
        " na\xc3\xafve text\nafter a forced break, then tail words here.";
    PangoAttrList *all = pango_attr_list_new();
    PangoAttrList *ranges = pango_attr_list_new();
    PangoAttrList *none = pango_attr_list_new();
    PangoAttribute *v = pango_attr_variant_new(PANGO_VARIANT_SMALL_CAPS);
    PangoLogAttr *got, *want;
    PangoLayout *pl;
    int ngot = 0, nwant = 0, before = 0, after = 0;

    (void)state;
    /* Words: the text's breaks, then pango_attr_break's ranges. */
    no_break_ranges(sizeof plain - 1, all, ranges);
    got = shaped_breaks(all, plain, sizeof plain - 1, &ngot);
    want = shaped_breaks(none, plain, sizeof plain - 1, &nwant);
    assert_int_equal(ngot, nwant);
    for (int i = 0; i < nwant; i++)
        before += want[i].is_line_break;
    pango_attr_break(plain, (int)sizeof plain - 1, ranges, 0, want, nwant);
    for (int i = 0; i < nwant; i++)
        after += want[i].is_line_break;
    assert_true(before - after > 5);    /* the ranges took breaks away */
    assert_same_breaks(got, want, ngot, "words");
    g_free(got);
    g_free(want);
    pango_attr_list_unref(all);
    pango_attr_list_unref(ranges);
    /* A layout: as PangoLayout finds them with every attribute. */
    all = pango_attr_list_new();
    ranges = pango_attr_list_new();
    no_break_ranges(sizeof rich - 1, all, ranges);
    v->start_index = 0;
    v->end_index = 20;
    pango_attr_list_insert(all, v);
    got = shaped_breaks(all, rich, sizeof rich - 1, &ngot);
    pl = pango_layout_new(fx.ltr);
    pango_layout_set_font_description(pl, fx.font);
    pango_layout_set_text(pl, rich, (int)sizeof rich - 1);
    pango_layout_set_attributes(pl, all);
    pango_layout_get_log_attrs(pl, &want, &nwant);
    assert_int_equal(ngot, nwant);
    assert_same_breaks(got, want, ngot, "layout");
    g_free(got);
    g_free(want);
    g_object_unref(pl);
    pango_attr_list_unref(all);
    pango_attr_list_unref(ranges);
    pango_attr_list_unref(none);
}

/* A word of code that fits a line, but not after the indentation that
 * opens its line, breaks where it must rather than run past the
 * measure (Node.js's aligned parameter lists). */
static void
test_code_word_after_its_indent_breaks_in_the_measure(void **state)
{
    oc_para_style st = style(120, OC_PARA_START, OC_PARA_HYPHENS_NONE);
    oc_para *p;
    const oc_para_line *l;
    size_t n;

    (void)state;
    st.first_fit = true;
    st.preserve = true;
    st.wrap_indent = 10;
    p = set("call(first,\n                              "
            "a_long_identifier_name mode);", &st);
    l = oc_para_lines(p, &n);
    assert_true(n >= 3);
    for (size_t k = 0; k < n; k++)
        assert_true(l[k].x + l[k].width <= 120 + EPS);
    oc_para_free(p);
}

/* oc_shape_font_metrics gives what pango_font_get_metrics gives, for
 * upright, italic, bold, synthetic oblique (a face with no italic) and
 * other scripts' faces at several sizes. */
static void
test_font_metrics_as_pango_gives_them(void **state)
{
    static const char *const faces[] = {
        "EB Garamond 12", "EB Garamond 12 Italic", "EB Garamond 12 Bold",
        "DejaVu Sans Mono", "DejaVu Sans Mono Oblique", "DejaVu Serif",
        "Noto Sans CJK SC", "Noto Sans CJK SC Italic", "Noto Naskh Arabic",
        "Noto Sans Devanagari Bold"
    };
    static const double sizes[] = {6.6, 11, 27.3};
    int checked = 0;

    (void)state;
    for (size_t i = 0; i < sizeof faces / sizeof faces[0]; i++) {
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            PangoFontDescription *d =
                pango_font_description_from_string(faces[i]);
            PangoFont *f;
            PangoFontMetrics *pm;
            oc_font_metrics m;

            pango_font_description_set_absolute_size(
                d, sizes[k] * PANGO_SCALE);
            f = pango_context_load_font(fx.ltr, d);
            assert_non_null(f);
            pm = pango_font_get_metrics(f, pango_language_from_string("en"));
            oc_shape_font_metrics(f, &m);
            if (m.ascent != pango_font_metrics_get_ascent(pm) ||
                m.descent != pango_font_metrics_get_descent(pm) ||
                m.ul_pos != pango_font_metrics_get_underline_position(pm) ||
                m.ul_thick !=
                    pango_font_metrics_get_underline_thickness(pm) ||
                m.st_pos !=
                    pango_font_metrics_get_strikethrough_position(pm) ||
                m.st_thick !=
                    pango_font_metrics_get_strikethrough_thickness(pm))
                fail_msg("%s at %.1f: %d %d %d %d %d %d, Pango's %d %d %d "
                         "%d %d %d", faces[i], sizes[k], m.ascent,
                         m.descent, m.ul_pos, m.ul_thick, m.st_pos,
                         m.st_thick, pango_font_metrics_get_ascent(pm),
                         pango_font_metrics_get_descent(pm),
                         pango_font_metrics_get_underline_position(pm),
                         pango_font_metrics_get_underline_thickness(pm),
                         pango_font_metrics_get_strikethrough_position(pm),
                         pango_font_metrics_get_strikethrough_thickness(pm));
            assert_true(m.ascent > 0 && m.descent > 0);
            checked++;
            pango_font_metrics_unref(pm);
            g_object_unref(f);
            pango_font_description_free(d);
        }
    }
    assert_int_equal(checked, 30);
}

/* oc_shape_context_metrics gives the ascent and descent
 * pango_context_get_metrics gives, in English and in languages whose
 * sample text brings in taller fonts than the family's own. */
static void
test_context_metrics_as_pango_gives_them(void **state)
{
    static const char *const langs[] = {"en", "zh-CN", "ar", "hi", "ru"};
    static const char *const faces[] = {"EB Garamond 12", "DejaVu Sans Mono"};
    int taller = 0;

    (void)state;
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        PangoContext *ctx = new_context(PANGO_DIRECTION_LTR);

        pango_context_set_language(ctx, pango_language_from_string(langs[i]));
        for (size_t k = 0; k < sizeof faces / sizeof faces[0]; k++) {
            PangoFontDescription *d =
                pango_font_description_from_string(faces[k]);
            PangoFontMetrics *pm;
            int a, e;

            pango_font_description_set_absolute_size(d, 100 * PANGO_SCALE);
            pm = pango_context_get_metrics(ctx, d, NULL);
            oc_shape_context_metrics(ctx, d, &a, &e);
            if (a != pango_font_metrics_get_ascent(pm) ||
                e != pango_font_metrics_get_descent(pm))
                fail_msg("%s in %s: %d %d, Pango's %d %d", faces[k],
                         langs[i], a, e, pango_font_metrics_get_ascent(pm),
                         pango_font_metrics_get_descent(pm));
            {
                oc_font_metrics m;
                PangoFont *f = pango_context_load_font(ctx, d);

                oc_shape_font_metrics(f, &m);
                taller += a > m.ascent || e > m.descent;
                g_object_unref(f);
            }
            pango_font_metrics_unref(pm);
            pango_font_description_free(d);
        }
        g_object_unref(ctx);
    }
    /* Chinese, Arabic and Hindi bring in taller fonts than the first. */
    assert_true(taller >= 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_total_fit_breaks_differ_from_first_fit),
        cmocka_unit_test(test_justified_lines_fill_the_measure_but_the_last),
        cmocka_unit_test(
            test_justified_without_microtypography_fills_the_measure),
        cmocka_unit_test(test_ragged_right_lines_never_pass_the_measure),
        cmocka_unit_test(test_centred_lines_are_centred),
        cmocka_unit_test(test_english_word_hyphenated_with_a_hyphen_glyph),
        cmocka_unit_test(test_hyphens_none_gives_no_hyphen),
        cmocka_unit_test(test_soft_hyphen_breaks_under_manual),
        cmocka_unit_test(test_last_word_never_hyphenated),
        cmocka_unit_test(test_at_most_two_hyphenated_lines_in_a_row),
        cmocka_unit_test(test_third_hyphen_in_a_row_is_a_last_resort),
        cmocka_unit_test(test_three_hyphens_in_a_row_unstacked),
        cmocka_unit_test(test_refit_never_makes_three_hyphens_in_a_row),
        cmocka_unit_test(test_refit_counts_hard_hyphens_in_a_row),
        cmocka_unit_test(test_cjk_words_do_not_stop_expansion_of_other_lines),
        cmocka_unit_test(test_long_url_and_long_word_break_without_overflow),
        cmocka_unit_test(test_word_many_lines_long_fills_its_lines),
        cmocka_unit_test(test_word_wider_than_a_tiny_measure_does_not_crash),
        cmocka_unit_test(test_right_to_left_lines_are_flush_right),
        cmocka_unit_test(test_byte_ranges_cover_the_text_with_forced_breaks),
        cmocka_unit_test(test_looseness_makes_one_line_more_and_back),
        cmocka_unit_test(test_refit_takes_a_line_back_or_changes_nothing),
        cmocka_unit_test(test_shaping_cache_changes_nothing),
        cmocka_unit_test(test_positions_of_text_on_a_line),
        cmocka_unit_test(test_hanging_punctuation_at_the_right_margin),
        cmocka_unit_test(test_invalid_input_is_refused),
        cmocka_unit_test(test_russian_one_letter_words_stay_with_the_next),
        cmocka_unit_test(test_czech_one_letter_words_stay_with_the_next),
        cmocka_unit_test(
            test_french_thin_spaces_before_high_punctuation_and_in_guillemets),
        cmocka_unit_test(test_line_breaks_after_an_em_dash_before_a_quote),
        cmocka_unit_test(
            test_capitalised_word_hyphenated_only_as_a_last_resort),
        cmocka_unit_test(test_sentence_first_word_hyphenated_as_any_word),
        cmocka_unit_test(test_urls_break_only_after_slash_dot_hyphen),
        cmocka_unit_test(test_justified_line_ending_in_a_url_is_ragged),
        cmocka_unit_test(
            test_missing_glyph_warned_once_per_character_and_chapter),
        cmocka_unit_test(test_no_synthetic_italic_for_han_characters),
        cmocka_unit_test(test_hebrew_marks_come_from_their_letters_font),
        cmocka_unit_test(
            test_chinese_justified_by_even_spacing_of_its_characters),
        cmocka_unit_test(test_chinese_punctuation_pairs_keep_half_an_em),
        cmocka_unit_test(test_chinese_kinsoku_at_every_measure),
        cmocka_unit_test(test_chinese_punctuation_from_the_cjk_font),
        cmocka_unit_test(test_chinese_no_lone_char_on_the_last_line),
        cmocka_unit_test(test_preformatted_keeps_tabs_and_indents),
        cmocka_unit_test(test_code_word_after_its_indent_breaks_in_the_measure),
        cmocka_unit_test(test_preformatted_blank_line_fits),
        cmocka_unit_test(test_code_wraps_at_no_break_spaces_as_a_last_resort),
        cmocka_unit_test(test_kept_spaces_break_as_a_last_resort),
        cmocka_unit_test(test_names_opening_with_a_dot_or_slash_break_before),
        cmocka_unit_test(test_first_fit_min_width),
        cmocka_unit_test(test_font_metrics_as_pango_gives_them),
        cmocka_unit_test(test_context_metrics_as_pango_gives_them),
        cmocka_unit_test(test_preformatted_in_pieces_as_whole),
        cmocka_unit_test(test_allow_breaks_as_pango_applies_them),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
