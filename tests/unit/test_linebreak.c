/* test_linebreak.c - Knuth-Plass line breaking: optimal breaks derived by
 * hand, TeX's demerits, passes, looseness, overfull reports, ragged
 * right, a cross-check against exhaustive search, a large paragraph.
 *
 * Most paragraphs below use line width 100 and inter-word glue of width
 * 10, stretch 10, shrink 5 ("glue(10,10,5)"); the paragraph ends with
 * penalty(+INF), fil glue and a forced break. Badness is 100 r^3, demerits (10 + b)^2 plus
 * the extras, so: r = 1/2 gives b = 12.5 (loose), r = -2/3 gives b =
 * 29.6 (tight), r = +-1 gives b = 100 (very loose or tight); a line at
 * natural width costs 100 demerits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"

#define MAXITEMS 512

typedef struct para {
    oc_lb_item it[MAXITEMS];
    size_t     n;
} para;

static void
add(para *p, oc_lb_item it)
{
    assert_true(p->n < MAXITEMS);
    p->it[p->n++] = it;
}

/* Words of the given widths separated by glue(gw, gy, gz); a word given
 * as a split ("w/h" in the comments) gets an automatic hyphen of width
 * 10 after its first 'split[i]' points. Ends with TeX's paragraph end:
 * penalty(+INF) ("inf" in the comments), fil glue, forced break. */
static void
words(para *p, const double *w, const double *split, size_t nw, double gw,
      double gy, double gz)
{
    p->n = 0;
    for (size_t i = 0; i < nw; i++) {
        if (i > 0)
            add(p, oc_lb_glue(gw, gy, gz));
        if (split != NULL && split[i] > 0) {
            add(p, oc_lb_box(split[i]));
            add(p, oc_lb_hyphen(OC_LB_HYPHEN_AUTO, 10));
            add(p, oc_lb_box(w[i] - split[i]));
        } else {
            add(p, oc_lb_box(w[i]));
        }
    }
    p->n += oc_lb_end_paragraph(p->it + p->n);
}

static void
params(oc_lb_params *p)
{
    oc_lb_params_init(p, 100);
    p->pretolerance = -1;           /* one pass: demerits decide alone */
}

static void
run(const para *p, const oc_lb_params *lp, oc_lb_result *r)
{
    oc_error err = {0};

    assert_int_equal(oc_lb_break(NULL, p->it, p->n, lp, r, &err), OC_OK);
    assert_int_equal(err.code, OC_OK);
}

/* Check the break indices of r against 'ends' (the last one is the
 * paragraph's final break). */
static void
assert_breaks(const oc_lb_result *r, const size_t *ends, size_t nends)
{
    assert_int_equal(r->nlines, nends);
    for (size_t i = 0; i < nends; i++)
        assert_int_equal(r->lines[i].end, ends[i]);
}

static void
assert_near(double a, double b)
{
    if (fabs(a - b) > 1e-6 * (1 + fabs(b)))
        fail_msg("%.9g != %.9g", a, b);
}

static void
test_optimum_beats_first_fit(void **state)
{
    /* Words 30 60 20 20 20 20 40; items 0:30 1:g 2:60 3:g 4:20 5:g 6:20
     * 7:g 8:20 9:g 10:20 11:g 12:40 13:inf 14:fil 15:break.
     * First fit fills line 2 with "20 20 20" (80, r = 1, b = 100, very
     * loose) because a fourth word does not fit at natural width:
     *   30 60 | 20 20 20 | 20 40:
     *   100 + (110^2 + 10000 adj) + (100 + 10000 adj) = 32300.
     * The optimum shrinks four words into line 2 (110 natural, shrink 15,
     * r = -2/3, b = 29.6, tight: adjacent to decent, no adj demerits):
     *   30 60 | 20 20 20 20 | 40:  100 + 39.63^2 + 100 = 1770.5. */
    const double w[] = {30, 60, 20, 20, 20, 20, 40};
    const size_t ends[] = {3, 11, 15};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    words(&p, w, NULL, 7, 10, 10, 5);
    params(&lp);
    run(&p, &lp, &r);
    assert_breaks(&r, ends, 3);
    assert_near(r.demerits, 100 + pow(10 + 100 * 8.0 / 27, 2) + 100);
    assert_int_equal(r.lines[1].fitness, OC_LB_TIGHT);
    assert_near(r.lines[1].ratio, -2.0 / 3);
    assert_int_equal(r.noverfull, 0);
    oc_lb_result_free(&r);
}

/* First fit (oc_lb_first_fit) on the words of
 * test_optimum_beats_first_fit: a line takes words while they fit at
 * natural width, 30 60 | 20 20 20 | 20 40, where total fit shrinks a
 * fourth word into the second line. */
static void
test_first_fit_fills_lines_at_natural_width(void **state)
{
    const double w[] = {30, 60, 20, 20, 20, 20, 40};
    const size_t ends[] = {3, 9, 15};
    para p;
    oc_lb_params lp;
    oc_lb_result r;
    oc_error err = {0};

    (void)state;
    words(&p, w, NULL, 7, 10, 10, 5);
    params(&lp);
    assert_int_equal(oc_lb_first_fit(NULL, p.it, p.n, &lp, &r, &err), OC_OK);
    assert_breaks(&r, ends, 3);
    assert_near(r.lines[1].natural, 80);
    assert_int_equal(r.noverfull, 0);
    oc_lb_result_free(&r);
}

/* A break that costs last_resort or more (a break inside a word too
 * wide for a line) is taken only when no other break fits: the word
 * goes to a line of its own first, then breaks there. */
static void
test_first_fit_breaks_a_word_last(void **state)
{
    para p = { .n = 0 };
    oc_lb_params lp;
    oc_lb_result r;
    oc_error err = {0};
    const size_t wide[] = {1, 3, 7};

    (void)state;
    add(&p, oc_lb_box(50));
    add(&p, oc_lb_glue(10, 0, 0));
    add(&p, oc_lb_box(70));
    add(&p, oc_lb_penalty(0, 5000, 0));
    add(&p, oc_lb_box(70));
    p.n += oc_lb_end_paragraph(p.it + p.n);
    params(&lp);
    lp.last_resort = 5000;
    assert_int_equal(oc_lb_first_fit(NULL, p.it, p.n, &lp, &r, &err), OC_OK);
    assert_breaks(&r, wide, 3);
    oc_lb_result_free(&r);
    /* Where the word's first piece fits after the 50, the space before
     * the word still wins over the break inside it. */
    p.it[2] = oc_lb_box(40);
    p.it[4] = oc_lb_box(40);
    assert_int_equal(oc_lb_first_fit(NULL, p.it, p.n, &lp, &r, &err), OC_OK);
    assert_int_equal(r.nlines, 2);
    assert_int_equal(r.lines[0].end, 1);
    oc_lb_result_free(&r);
}

/* wrap_indent narrows a line that follows a break which is not forced
 * (a wrapped line of code), not one after a forced break. */
static void
test_first_fit_wrap_indent(void **state)
{
    const double w[] = {40, 40, 40, 40};
    para p;
    oc_lb_params lp;
    oc_lb_result r;
    oc_error err = {0};
    const size_t plain[] = {3, 9}, indented[] = {3, 5, 9};

    (void)state;
    words(&p, w, NULL, 4, 10, 0, 0);
    params(&lp);
    assert_int_equal(oc_lb_first_fit(NULL, p.it, p.n, &lp, &r, &err), OC_OK);
    assert_breaks(&r, plain, 2);
    oc_lb_result_free(&r);
    lp.wrap_indent = 20;
    assert_int_equal(oc_lb_first_fit(NULL, p.it, p.n, &lp, &r, &err), OC_OK);
    assert_breaks(&r, indented, 3);
    assert_near(r.lines[0].width, 100);
    assert_near(r.lines[1].width, 80);
    oc_lb_result_free(&r);
    /* After a forced break the line is as wide as the first. */
    p.it[3] = oc_lb_penalty(0, -OC_LB_INFINITY, 0);
    assert_int_equal(oc_lb_first_fit(NULL, p.it, p.n, &lp, &r, &err), OC_OK);
    assert_int_equal(r.lines[0].end, 3);
    assert_near(r.lines[1].width, 100);
    oc_lb_result_free(&r);
}

static void
test_adjacent_demerits_change_choice(void **state)
{
    /* Words 20 20 20 20 30 30 30; items 0:20 1:g 2:20 3:g 4:20 5:g 6:20
     * 7:g 8:30 9:g 10:30 11:g 12:30 13:inf 14:fil 15:break.
     * Three lines 20 20 20 | 20 30 30 | 30 are very loose (b = 100),
     * decent, decent: 12100 + 100 + 100 = 12300, plus 2 x 10000 because
     * the very loose line has decent neighbours (the paragraph start
     * counts as decent). Two lines 20 20 20 20 | 30 30 30 are tight
     * (b = 29.6) and tight (110 on the last line, shrink 10, b = 100):
     * 1570.5 + 12100 = 13670.5, no adjacent demerits. So the default
     * (adj 10000) takes two lines, adj 0 takes three. */
    const double w[] = {20, 20, 20, 20, 30, 30, 30};
    const size_t two[] = {7, 15};
    const size_t three[] = {5, 11, 15};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    words(&p, w, NULL, 7, 10, 10, 5);
    params(&lp);
    run(&p, &lp, &r);
    assert_breaks(&r, two, 2);
    assert_near(r.demerits, pow(10 + 100 * 8.0 / 27, 2) + 12100);
    oc_lb_result_free(&r);

    lp.adj_demerits = 0;
    run(&p, &lp, &r);
    assert_breaks(&r, three, 3);
    assert_near(r.demerits, 12300);
    assert_int_equal(r.lines[0].fitness, OC_LB_VERY_LOOSE);
    oc_lb_result_free(&r);
}

static void
test_forced_break_inside_paragraph(void **state)
{
    /* 0:40 1:g 2:40 3:inf 4:fil 5:BREAK 6:30 7:g 8:30 9:inf 10:fil
     * 11:BREAK at width 200: the forced break ends line 1 although both
     * lines would fit on one; the fil glue sets it at its natural width
     * (the ratio applies to fil only). */
    para p = {.n = 0};
    oc_lb_params lp;
    oc_lb_result r;
    const size_t ends[] = {5, 11};

    (void)state;
    add(&p, oc_lb_box(40));
    add(&p, oc_lb_glue(10, 10, 5));
    add(&p, oc_lb_box(40));
    p.n += oc_lb_end_paragraph(p.it + p.n);
    add(&p, oc_lb_box(30));
    add(&p, oc_lb_glue(10, 10, 5));
    add(&p, oc_lb_box(30));
    p.n += oc_lb_end_paragraph(p.it + p.n);
    oc_lb_params_init(&lp, 200);
    run(&p, &lp, &r);
    assert_breaks(&r, ends, 2);
    assert_int_equal(r.lines[1].start, 6);
    assert_true(r.lines[0].fil_set);
    assert_near(oc_lb_glue_width(&r.lines[0], &p.it[1]), 10);
    assert_near(oc_lb_glue_width(&r.lines[0], &p.it[4]), 110);
    assert_int_equal(r.pass, 1);
    oc_lb_result_free(&r);
}

/* Words 20 20 50/20 60 20 60 (the 50 may break as 20- | 30). Without
 * the hyphen the only feasible breaking is
 *   20 20 50 (tight, b 100) | 60 20 (very loose, b 100) | 60:
 *   12100 + (12100 + 10000 adj) + (100 + 10000 adj) = 44300.
 * With it: 20 20 20- (90, r = 1/2, b = 12.5, loose) | 30 60 (exact)
 * | 20 60: (22.5^2 + 50^2) + 100 + 100 = 3206.25. Items with the
 * hyphen: 0:20 1:g 2:20 3:g 4:20 5:hyphen 6:30 7:g 8:60 9:g 10:20
 * 11:g 12:60 13:inf 14:fil 15:break. */
static const double w_loose[] = {20, 20, 50, 60, 20, 60};
static const double split_loose[] = {0, 0, 20, 0, 0, 0};

static void
test_hyphen_used_to_avoid_very_loose_line(void **state)
{
    const double *w = w_loose, *split = split_loose;
    const size_t plain[] = {5, 9, 13};
    const size_t hyph[] = {5, 9, 15};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    params(&lp);
    words(&p, w, NULL, 6, 10, 10, 5);
    run(&p, &lp, &r);
    assert_breaks(&r, plain, 3);
    assert_near(r.demerits, 44300);
    assert_int_equal(r.lines[1].fitness, OC_LB_VERY_LOOSE);
    oc_lb_result_free(&r);

    words(&p, w, split, 6, 10, 10, 5);
    run(&p, &lp, &r);
    assert_breaks(&r, hyph, 3);
    assert_true(r.lines[0].hyphenated);
    assert_near(r.lines[0].natural, 90);
    assert_near(r.demerits, 22.5 * 22.5 + 2500 + 200);
    for (size_t i = 0; i < r.nlines; i++)
        assert_int_not_equal(r.lines[i].fitness, OC_LB_VERY_LOOSE);
    oc_lb_result_free(&r);
}

/* A line that may not end in a hyphen (a recto's last): the paragraph
 * of w_loose set without its first line's hyphen, in as many lines,
 * though they cost more; another line named changes nothing. */
static void
test_plain_line_ends_at_a_whole_word(void **state)
{
    const size_t whole[] = {7, 11, 15};
    const size_t hyph[] = {5, 9, 15};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    params(&lp);
    words(&p, w_loose, split_loose, 6, 10, 10, 5);
    lp.plain_line = 0;
    run(&p, &lp, &r);
    assert_breaks(&r, whole, 3);
    for (size_t i = 0; i < r.nlines; i++)
        assert_false(r.lines[i].hyphenated);
    assert_near(r.demerits, 44300);
    oc_lb_result_free(&r);

    lp.plain_line = 1;
    run(&p, &lp, &r);
    assert_breaks(&r, hyph, 3);
    assert_true(r.lines[0].hyphenated);
    oc_lb_result_free(&r);
}

static void
test_hyphen_own_penalty_makes_it_a_last_resort(void **state)
{
    /* The paragraph above, its hyphen (item 5) a capitalised word's:
     * hyphen_penalty 50 + its own 1000. The hyphenated breaking now
     * costs 22.5^2 + 1050^2 + 200 = 1103206.25, more than the 44300 of
     * the very loose line, which wins. With tolerance 50 the lines of
     * badness 100 are out, the hyphen is the only way left, and it is
     * taken: in the final pass, the second here, else the third. */
    const double w[] = {20, 20, 50, 60, 20, 60};
    const double split[] = {0, 0, 20, 0, 0, 0};
    const size_t plain[] = {7, 11, 15};    /* 20 20 50 | 60 20 | 60 */
    const size_t hyph[] = {5, 9, 15};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    params(&lp);
    words(&p, w, split, 6, 10, 10, 5);
    p.it[5].penalty = 1000;
    run(&p, &lp, &r);
    assert_breaks(&r, plain, 3);
    assert_near(r.demerits, 44300);
    oc_lb_result_free(&r);

    lp.tolerance = 50;
    run(&p, &lp, &r);
    assert_breaks(&r, hyph, 3);
    assert_true(r.lines[0].hyphenated);
    assert_near(r.demerits, 22.5 * 22.5 + 1050 * 1050 + 200);
    oc_lb_result_free(&r);

    /* Not before the pass with emergency stretch, when there is one. */
    lp.emergency_stretch = 1;
    run(&p, &lp, &r);
    assert_breaks(&r, hyph, 3);
    assert_int_equal(r.pass, 3);
    oc_lb_result_free(&r);
    p.it[5].penalty = 0;
    run(&p, &lp, &r);
    assert_int_equal(r.pass, 2);
    oc_lb_result_free(&r);
}

static void
test_hyphen_penalty_outweighs_small_gain(void **state)
{
    /* Words 20 20 50/20 30 30 30. Unhyphenated: 20 20 50 | 30 30 30,
     * both tight with b = 100: 24200. Hyphenated: 20 20 20- (loose, b
     * 12.5) | 30 30 30 (tight, b 100) | 30: 506.25 + p^2 + 12100 +
     * 10000 (loose next to tight) + 100 = 22706.25 + p^2. With the
     * hyphen penalty p = 50 (2500) the plain breaks win; with p = 0 the
     * hyphen does. */
    const double w[] = {20, 20, 50, 30, 30, 30};
    const double split[] = {0, 0, 20, 0, 0, 0};
    const size_t plain[] = {7, 15};
    const size_t hyph[] = {5, 11, 15};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    params(&lp);
    words(&p, w, split, 6, 10, 10, 5);
    run(&p, &lp, &r);
    assert_breaks(&r, plain, 2);
    assert_near(r.demerits, 24200);
    oc_lb_result_free(&r);

    lp.hyphen_penalty = 0;
    run(&p, &lp, &r);
    assert_breaks(&r, hyph, 3);
    assert_near(r.demerits, 22706.25);
    oc_lb_result_free(&r);
}

static size_t
longest_hyphen_run(const oc_lb_result *r)
{
    size_t run_len = 0;
    size_t best = 0;

    for (size_t i = 0; i < r->nlines; i++) {
        run_len = r->lines[i].hyphenated ? run_len + 1 : 0;
        if (run_len > best)
            best = run_len;
    }
    return best;
}

static void
test_double_hyphen_demerits_stop_third_hyphen(void **state)
{
    /* Words 60/30 60/20 60/40 20 50/30 20 70/20; items 0:30 1:hy 2:30
     * 3:g 4:20 5:hy 6:40 7:g 8:40 9:hy 10:20 11:g 12:20 13:g 14:30
     * 15:hy 16:20 17:g 18:20 19:g 20:20 21:hy 22:50 23:inf 24:fil
     * 25:break. Four hyphens in a row (breaks 5 9 15 21 25): lines 30 30 20- (100),
     * 40 40- (100), 20 20 30- (100), 20 20 20- (90, b 12.5), 50:
     * 3 x (100 + 2500) + (506.25 + 2500) + 100 + 5000 (final hyphen) =
     * 15906.25, + 3 x 3000 double-hyphen demerits = 24906.25.
     * Two hyphens, then none (breaks 5 9 17 25): 2600 + (2600 + 3000) +
     * 12100 (20 20 30 20 = 110, tight b 100) + 100 = 20400.
     * With 3000 per pair the second wins; with 0 the first. */
    const double w[] = {60, 60, 60, 20, 50, 20, 70};
    const double split[] = {30, 20, 40, 0, 30, 0, 20};
    const size_t two[] = {5, 9, 17, 25};
    const size_t four[] = {5, 9, 15, 21, 25};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    params(&lp);
    words(&p, w, split, 7, 10, 10, 5);
    run(&p, &lp, &r);
    assert_breaks(&r, two, 4);
    assert_near(r.demerits, 20400);
    assert_true(r.lines[0].hyphenated && r.lines[1].hyphenated);
    assert_false(r.lines[2].hyphenated);
    assert_int_equal(longest_hyphen_run(&r), 2);
    oc_lb_result_free(&r);

    lp.double_hyphen_demerits = 0;
    run(&p, &lp, &r);
    assert_breaks(&r, four, 5);
    assert_near(r.demerits, 15906.25);
    assert_int_equal(longest_hyphen_run(&r), 4);
    oc_lb_result_free(&r);
}

static void
test_emergency_stretch_avoids_overfull_line(void **state)
{
    /* Words 30 20 30 40 20 30 50 20, glue(10,10,3); items 0:30 1:g 2:20
     * 3:g 4:30 5:g 6:40 7:g 8:20 9:g 10:30 11:g 12:50 13:g 14:20
     * 15:inf 16:fil 17:break. After the exact first line 30 20 30 (100), "40
     * 20" is 70 wide with 10 of stretch (r = 3, b = 2700) and "40 20 30"
     * is 110 with 6 of shrink: nothing is within tolerance 200, so the
     * final pass lets "40 20 30" stick out by 110 - 6 - 100 = 4.
     * With emergency stretch 20, "40 20" has 30 of stretch (r = 1, b =
     * 100) and "30 50" 30 (r = 1/3): pass 3 finds
     *   30 20 30 | 40 20 | 30 50 | 20
     * with no overfull line. The lines report their real ratio (3 for
     * "40 20"), not the emergency one. */
    const double w[] = {30, 20, 30, 40, 20, 30, 50, 20};
    const size_t tight[] = {5, 11, 17};
    const size_t loose[] = {5, 9, 13, 17};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    oc_lb_params_init(&lp, 100);
    words(&p, w, NULL, 8, 10, 10, 3);
    run(&p, &lp, &r);
    assert_breaks(&r, tight, 3);
    assert_int_equal(r.pass, 2);
    assert_int_equal(r.noverfull, 1);
    assert_near(r.lines[1].overfull, 4);
    assert_near(r.lines[1].ratio, -1);
    oc_lb_result_free(&r);

    lp.emergency_stretch = 20;
    run(&p, &lp, &r);
    assert_breaks(&r, loose, 4);
    assert_int_equal(r.pass, 3);
    assert_int_equal(r.noverfull, 0);
    assert_near(r.lines[1].ratio, 3);
    assert_near(r.lines[1].badness, 2700);
    oc_lb_result_free(&r);
}

static void
test_box_wider_than_line_is_one_overfull_line(void **state)
{
    /* "see <300-point URL> here" at width 100; items 0:30 1:g 2:300 3:g
     * 4:40 5:inf 6:fil 7:break. "see" alone is 30 wide with nothing to
     * stretch (b = 10000): beyond any tolerance. With emergency stretch
     * the rescue pass prefers that to a wider overfull line: see | URL
     * (alone, overfull by exactly 300 - 100 = 200) | here. Without it,
     * TeX's final pass keeps "see URL" together: 340 - 5 of shrink - 100
     * = 235 too wide. Either way exactly one overfull line. */
    para p = {.n = 0};
    oc_lb_params lp;
    oc_lb_result r;
    const size_t rescued[] = {1, 3, 7};
    const size_t tex[] = {3, 7};

    (void)state;
    add(&p, oc_lb_box(30));
    add(&p, oc_lb_glue(10, 10, 5));
    add(&p, oc_lb_box(300));
    add(&p, oc_lb_glue(10, 10, 5));
    add(&p, oc_lb_box(40));
    p.n += oc_lb_end_paragraph(p.it + p.n);
    oc_lb_params_init(&lp, 100);
    lp.emergency_stretch = 30;
    run(&p, &lp, &r);
    assert_breaks(&r, rescued, 3);
    assert_int_equal(r.pass, 4);
    assert_int_equal(r.noverfull, 1);
    assert_near(r.lines[0].overfull, 0);
    assert_near(r.lines[0].badness, 10000);
    assert_near(r.lines[1].overfull, 200);
    assert_near(r.lines[1].natural, 300);
    assert_near(r.lines[2].overfull, 0);
    oc_lb_result_free(&r);

    lp.emergency_stretch = 0;
    run(&p, &lp, &r);
    assert_breaks(&r, tex, 2);
    assert_int_equal(r.pass, 2);
    assert_int_equal(r.noverfull, 1);
    assert_near(r.lines[0].overfull, 235);
    assert_near(r.lines[1].overfull, 0);
    oc_lb_result_free(&r);
}

static void
test_single_long_word_is_one_overfull_line(void **state)
{
    /* One 250-point word and the paragraph end, width 100: one line,
     * overfull by 150. No fil glue either (the list's end is the break):
     * still one line. */
    para p = {.n = 0};
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    oc_lb_params_init(&lp, 100);
    lp.emergency_stretch = 30;
    add(&p, oc_lb_box(250));
    run(&p, &lp, &r);
    assert_int_equal(r.nlines, 1);
    assert_int_equal(r.lines[0].end, 1);
    assert_near(r.lines[0].overfull, 150);
    assert_int_equal(r.noverfull, 1);
    oc_lb_result_free(&r);

    p.n += oc_lb_end_paragraph(p.it + p.n);
    run(&p, &lp, &r);
    assert_int_equal(r.nlines, 1);
    assert_int_equal(r.lines[0].end, 3);
    assert_near(r.lines[0].overfull, 150);
    oc_lb_result_free(&r);
}

static void
test_looseness_plus_one_adds_a_line(void **state)
{
    /* Words 40 30 20 40 20, glue(10,30,5). Optimum: 40 30 (80, r =
     * 20/30, b = 29.6, loose) | 20 40 20: 1570.5 + 100 = 1670.5.
     * Looseness +1: 40 30 | 20 40 (70, r = 1, b = 100, very loose) | 20:
     * 1570.5 + 12100 + 10100 (very loose next to decent) = 23770.5. */
    const double w[] = {40, 30, 20, 40, 20};
    const size_t two[] = {3, 11};
    const size_t three[] = {3, 7, 11};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    params(&lp);
    words(&p, w, NULL, 5, 10, 30, 5);
    run(&p, &lp, &r);
    assert_breaks(&r, two, 2);
    assert_near(r.demerits, pow(10 + 100 * 8.0 / 27, 2) + 100);
    oc_lb_result_free(&r);

    lp.looseness = 1;
    run(&p, &lp, &r);
    assert_breaks(&r, three, 3);
    assert_int_equal(r.looseness, 1);
    assert_near(r.demerits, pow(10 + 100 * 8.0 / 27, 2) + 12100 + 10100);
    oc_lb_result_free(&r);
}

static void
test_looseness_minus_one_removes_a_line(void **state)
{
    /* Thirteen words of 20, glue(10,20,5). Three words make 80 (r =
     * 1/2, b = 12.5, loose), four make 110 (r = -2/3, b = 29.6, tight),
     * two are too loose (r = 2.5). Optimum: 3 3 3 3 1, 4 x 506.25 + 100
     * = 2125. Looseness -1 needs four lines: 4 4 4 1 costs 3 x 1570.5 +
     * 100 = 4811.5, while 3 3 3 4 would pay 10000 for a loose line next
     * to the tight last one. Looseness +1 (six lines) would need a line
     * of two words: impossible, so five lines and looseness 0. */
    const double w[13] = {20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,
                          20};
    const size_t five[] = {5, 11, 17, 23, 27};
    const size_t four[] = {7, 15, 23, 27};
    para p;
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    oc_lb_params_init(&lp, 100);
    words(&p, w, NULL, 13, 10, 20, 5);
    run(&p, &lp, &r);
    assert_breaks(&r, five, 5);
    assert_near(r.demerits, 2125);
    oc_lb_result_free(&r);

    lp.looseness = -1;
    run(&p, &lp, &r);
    assert_breaks(&r, four, 4);
    assert_int_equal(r.looseness, -1);
    assert_near(r.demerits, 3 * pow(10 + 100 * 8.0 / 27, 2) + 100);
    oc_lb_result_free(&r);

    lp.looseness = 1;
    run(&p, &lp, &r);
    assert_breaks(&r, five, 5);
    assert_int_equal(r.looseness, 0);
    assert_int_equal(r.noverfull, 0);
    oc_lb_result_free(&r);
}

static void
test_ragged_right_balances_lines(void **state)
{
    /* Ragged right as in Knuth & Plass: each space is glue(0,30,0)
     * penalty(0) glue(10,-30,0); inter-word glue has no net stretch.
     * Words 10 60 10 60 50, width 100. First fit takes "10 60 10" (100)
     * and leaves "60" alone (shortfall 40, r = 4/3, b = 237: beyond
     * tolerance). The optimum is 10 60 | 10 60 | 50, both lines 80
     * (r = 2/3, b = 29.6): 2 x 1570.5 + 100 = 3241. Items: 0:10 1:g+
     * 2:p 3:g- 4:60 5:g+ 6:p 7:g- 8:10 9:g+ 10:p 11:g- 12:60 13:g+ 14:p
     * 15:g- 16:50 17:inf 18:fil 19:break. */
    const double w[] = {10, 60, 10, 60, 50};
    const size_t ends[] = {6, 14, 19};
    para p = {.n = 0};
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    for (size_t i = 0; i < 5; i++) {
        if (i > 0) {
            add(&p, oc_lb_glue(0, 30, 0));
            add(&p, oc_lb_penalty(0, 0, 0));
            add(&p, oc_lb_glue(10, -30, 0));
        }
        add(&p, oc_lb_box(w[i]));
    }
    p.n += oc_lb_end_paragraph(p.it + p.n);
    oc_lb_params_init(&lp, 100);
    run(&p, &lp, &r);
    assert_breaks(&r, ends, 3);
    assert_near(r.demerits, 2 * pow(10 + 100 * 8.0 / 27, 2) + 100);
    for (size_t i = 0; i < 2; i++) {
        const oc_lb_line *l = &r.lines[i];
        double space = 0;

        assert_near(l->natural, 80);
        assert_near(l->stretch, 30);
        /* The space inside the line stays 10 wide... */
        space = oc_lb_glue_width(l, &p.it[l->start + 1]) +
                oc_lb_glue_width(l, &p.it[l->start + 3]);
        assert_near(space, 10);
        /* ...and the glue at the line end takes the rag. */
        assert_near(oc_lb_glue_width(l, &p.it[l->end - 1]), 20);
    }
    assert_int_equal(r.lines[1].start, 8);
    oc_lb_result_free(&r);
}

static void
test_explicit_hyphen_uses_exhyphen_penalty(void **state)
{
    /* "30 40-30 20" at width 80, glue(10,10,5); items 0:30 1:g 2:40
     * 3:explicit hyphen 4:30 5:g 6:20 7:inf 8:fil 9:break. Breaking after the
     * hard hyphen gives "30 40-" (80, exact) | "30 20", found by the
     * first pass. With exhyphen_penalty at +INF that break is forbidden;
     * "30" alone is too loose and "30 40-30" (110, shrink 5) too wide, so
     * the final pass sets the latter 25 too wide. */
    para p = {.n = 0};
    oc_lb_params lp;
    oc_lb_result r;

    (void)state;
    add(&p, oc_lb_box(30));
    add(&p, oc_lb_glue(10, 10, 5));
    add(&p, oc_lb_box(40));
    add(&p, oc_lb_hyphen(OC_LB_HYPHEN_EXPLICIT, 0));
    add(&p, oc_lb_box(30));
    add(&p, oc_lb_glue(10, 10, 5));
    add(&p, oc_lb_box(20));
    p.n += oc_lb_end_paragraph(p.it + p.n);
    oc_lb_params_init(&lp, 80);
    run(&p, &lp, &r);
    assert_int_equal(r.nlines, 2);
    assert_int_equal(r.lines[0].end, 3);
    assert_true(r.lines[0].hyphenated);
    assert_near(r.lines[0].natural, 80);
    assert_int_equal(r.pass, 1);            /* explicit: first pass */
    oc_lb_result_free(&r);

    lp.exhyphen_penalty = OC_LB_INFINITY;
    run(&p, &lp, &r);
    for (size_t i = 0; i < r.nlines; i++)
        assert_int_not_equal(r.lines[i].end, 3);
    assert_int_equal(r.noverfull, 1);
    oc_lb_result_free(&r);
}

static void
test_first_pass_ignores_pattern_hyphens(void **state)
{
    /* Words 40 40 60/5 with a hyphen of width 0; items 0:40 1:g 2:40 3:g
     * 4:5 5:hyphen 6:55 7:inf 8:fil 9:break. Without the hyphen, "40 40"
     * is 90 (r = 1, b = 100: within pretolerance 100, very loose) and
     * "60" follows: 12100 + 100 + 2 x 10000 (very loose between decent
     * neighbours; the paragraph start counts as decent) = 32200.
     * The pretolerance pass takes that: it does not try pattern hyphens.
     * With the hyphen, "40 40 5-" is 105 (r = -1/2, b = 12.5, tight) and
     * "55" follows: 22.5^2 + 50^2 + 100 + 5000 (final hyphen demerits:
     * the second-last line ends in a hyphen) = 8106.25, which the
     * tolerance pass finds when the first pass is skipped. */
    para p = {.n = 0};
    oc_lb_params lp;
    oc_lb_result r;
    const size_t plain[] = {3, 9};
    const size_t hyph[] = {5, 9};

    (void)state;
    add(&p, oc_lb_box(40));
    add(&p, oc_lb_glue(10, 10, 5));
    add(&p, oc_lb_box(40));
    add(&p, oc_lb_glue(10, 10, 5));
    add(&p, oc_lb_box(5));
    add(&p, oc_lb_hyphen(OC_LB_HYPHEN_AUTO, 0));
    add(&p, oc_lb_box(55));
    p.n += oc_lb_end_paragraph(p.it + p.n);
    oc_lb_params_init(&lp, 100);
    run(&p, &lp, &r);
    assert_int_equal(r.pass, 1);
    assert_breaks(&r, plain, 2);
    assert_near(r.demerits, 32200);
    oc_lb_result_free(&r);

    lp.pretolerance = -1;
    run(&p, &lp, &r);
    assert_int_equal(r.pass, 2);
    assert_breaks(&r, hyph, 2);
    assert_true(r.lines[0].hyphenated);
    assert_near(r.demerits, 22.5 * 22.5 + 2500 + 100 + 5000);
    oc_lb_result_free(&r);
}

static void
test_line_widths_vary_per_line(void **state)
{
    /* Twelve words of 20, glue(10,10,5); line widths 50, 80, 110, then
     * 110 repeating: the lines take 2, 3 and 4 words of 20 at natural
     * width (50, 80, 110), then 3 remain. */
    const double w[12] = {20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20};
    const double widths[] = {50, 80, 110};
    para p;
    oc_lb_params lp;
    oc_lb_result r;
    size_t nwords[] = {2, 3, 4, 3};

    (void)state;
    oc_lb_params_init(&lp, 0);
    lp.widths = widths;
    lp.nwidths = 3;
    words(&p, w, NULL, 12, 10, 10, 5);
    run(&p, &lp, &r);
    assert_int_equal(r.nlines, 4);
    for (size_t i = 0; i < 4; i++) {
        size_t boxes = 0;

        for (size_t j = r.lines[i].start; j < r.lines[i].end; j++)
            boxes += p.it[j].type == OC_LB_BOX;
        assert_int_equal(boxes, nwords[i]);
        assert_near(r.lines[i].width, widths[i < 3 ? i : 2]);
    }
    assert_near(r.lines[0].badness, 0);
    assert_near(r.lines[2].badness, 0);
    oc_lb_result_free(&r);
}

static void
test_measure_and_glue_widths_fill_the_line(void **state)
{
    /* Measuring a justified line skips the glue and penalty left after
     * the previous break, and its glue, set by oc_lb_glue_width, fills
     * the line exactly, stretched or shrunk. */
    para p = {.n = 0};
    oc_lb_line l;
    double total;

    (void)state;
    add(&p, oc_lb_box(30));                 /* 0 */
    add(&p, oc_lb_glue(10, 10, 5));         /* 1: break here */
    add(&p, oc_lb_penalty(0, 50, 0));       /* 2: discarded */
    add(&p, oc_lb_glue(7, 1, 1));           /* 3: discarded */
    add(&p, oc_lb_box(20));                 /* 4 */
    add(&p, oc_lb_glue(10, 6, 4));          /* 5 */
    add(&p, oc_lb_box(20));                 /* 6 */
    add(&p, oc_lb_glue(10, 2, 2));          /* 7 */
    add(&p, oc_lb_box(20));                 /* 8 */
    add(&p, oc_lb_hyphen(OC_LB_HYPHEN_SOFT, 5)); /* 9: break here */
    add(&p, oc_lb_box(10));                 /* 10 */

    for (double width = 80; width <= 100; width += 20) {
        oc_lb_measure(p.it, p.n, 1, 9, width, &l);
        assert_int_equal(l.start, 4);
        assert_int_equal(l.end, 9);
        assert_near(l.natural, 20 + 10 + 20 + 10 + 20 + 5);
        assert_near(l.stretch, 8);
        assert_near(l.shrink, 6);
        assert_true(l.hyphenated);
        total = p.it[9].width;
        for (size_t i = l.start; i < l.end; i++)
            total += oc_lb_glue_width(&l, &p.it[i]);
        assert_near(total, width);
    }
    assert_near(l.ratio, 15.0 / 8);         /* width 100: stretched */
    oc_lb_measure(p.it, p.n, 1, 9, 80, &l);
    assert_near(l.ratio, -5.0 / 6);
    assert_int_equal(l.fitness, OC_LB_TIGHT);

    oc_lb_measure(p.it, p.n, OC_LB_NONE, 1, 100, &l);
    assert_int_equal(l.start, 0);
    assert_near(l.natural, 30);
    assert_near(l.badness, 10000);          /* no glue to stretch */
    assert_int_equal(l.fitness, OC_LB_VERY_LOOSE);
}

static void
test_invalid_input_is_an_error(void **state)
{
    para p = {.n = 0};
    oc_lb_params lp;
    oc_lb_result r;
    oc_error err = {0};
    const double bad_widths[] = {100, 0};

    (void)state;
    add(&p, oc_lb_box(NAN));
    oc_lb_params_init(&lp, 100);
    assert_int_equal(oc_lb_break(NULL, p.it, p.n, &lp, &r, &err),
                     OC_ERR_INVALID);
    assert_non_null(strstr(err.msg, "item 0"));
    assert_int_equal(r.nlines, 0);

    p.it[0] = oc_lb_box(10);
    lp.widths = bad_widths;
    lp.nwidths = 2;
    memset(&err, 0, sizeof err);
    assert_int_equal(oc_lb_break(NULL, p.it, p.n, &lp, &r, &err),
                     OC_ERR_INVALID);
    assert_non_null(strstr(err.msg, "line width 1"));

    oc_lb_params_init(&lp, 100);
    p.it[0] = oc_lb_glue(10, 1, -1);
    memset(&err, 0, sizeof err);
    assert_int_equal(oc_lb_break(NULL, p.it, p.n, &lp, &r, &err),
                     OC_ERR_INVALID);
}

static void
test_empty_paragraph_has_no_lines(void **state)
{
    oc_lb_params lp;
    oc_lb_result r;
    oc_error err = {0};
    oc_lb_item it[3];

    (void)state;
    oc_lb_params_init(&lp, 100);
    assert_int_equal(oc_lb_break(NULL, it, 0, &lp, &r, &err), OC_OK);
    assert_int_equal(r.nlines, 0);
    oc_lb_result_free(&r);

    /* Only the paragraph end: one empty line. */
    assert_int_equal(oc_lb_end_paragraph(it), 3);
    assert_int_equal(oc_lb_break(NULL, it, 3, &lp, &r, &err), OC_OK);
    assert_int_equal(r.nlines, 1);
    assert_int_equal(r.lines[0].end, 2);
    assert_int_equal(r.noverfull, 0);
    oc_lb_result_free(&r);
}

static void
test_result_in_arena(void **state)
{
    const double w[] = {30, 60, 20, 20, 20, 20, 40};
    para p;
    oc_lb_params lp;
    oc_lb_result r;
    oc_error err = {0};
    oc_arena *a = oc_arena_new();

    (void)state;
    words(&p, w, NULL, 7, 10, 10, 5);
    params(&lp);
    assert_int_equal(oc_lb_break(a, p.it, p.n, &lp, &r, &err), OC_OK);
    assert_int_equal(r.nlines, 3);
    assert_true(oc_arena_used(a) >= 3 * sizeof(oc_lb_line));
    oc_lb_result_free(&r);                  /* a no-op for arena memory */
    oc_arena_free(a);
}

/* A deterministic generator (the tests must not depend on rand()). */
static uint32_t
next_rand(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static void
test_large_paragraph(void **state)
{
    /* 10,000 words with hyphen points: over 20,000 items, width 300,
     * glue(5, 2.5, 1.67), plenty of feasible breaks. Every line must be
     * within tolerance and the lines must tile the paragraph. */
    size_t cap = 40000;
    oc_lb_item *it = malloc(cap * sizeof *it);
    size_t n = 0;
    uint32_t seed = 42;
    size_t nlines;
    oc_lb_params lp;
    oc_lb_result r;
    oc_error err = {0};

    (void)state;
    assert_non_null(it);
    for (int i = 0; i < 10000; i++) {
        double w = 8 + next_rand(&seed) % 40;

        if (i > 0)
            it[n++] = oc_lb_glue(5, 2.5, 5.0 / 3);
        if (w > 30) {
            it[n++] = oc_lb_box(w / 2);
            it[n++] = oc_lb_hyphen(OC_LB_HYPHEN_AUTO, 3);
            it[n++] = oc_lb_box(w - w / 2);
        } else {
            it[n++] = oc_lb_box(w);
        }
    }
    n += oc_lb_end_paragraph(it + n);
    assert_true(n > 20000);
    oc_lb_params_init(&lp, 300);
    assert_int_equal(oc_lb_break(NULL, it, n, &lp, &r, &err), OC_OK);
    assert_int_equal(r.noverfull, 0);
    assert_true(r.nlines > 900 && r.nlines < 1400);
    assert_int_equal(r.lines[r.nlines - 1].end, n - 1);
    for (size_t i = 0; i < r.nlines; i++) {
        assert_true(r.lines[i].badness <= lp.tolerance);
        if (i > 0)
            assert_true(r.lines[i].start > r.lines[i - 1].end);
    }
    nlines = r.nlines;
    oc_lb_result_free(&r);

    /* One line fewer: every line count is kept apart, still quick. */
    lp.looseness = -1;
    lp.emergency_stretch = 30;
    assert_int_equal(oc_lb_break(NULL, it, n, &lp, &r, &err), OC_OK);
    assert_int_equal(r.nlines, nlines - 1);
    assert_int_equal(r.looseness, -1);
    assert_int_equal(r.noverfull, 0);
    oc_lb_result_free(&r);
    free(it);
}

/* Exhaustive search over every sequence of legal breaks, with the same
 * rules written out plainly: the least total demerits with every line's
 * badness within 'tolerance', or HUGE_VAL if there is none. */
static int
legal_break(const oc_lb_item *it, size_t n, size_t b)
{
    if (b == n)
        return !(n > 0 && it[n - 1].type == OC_LB_PENALTY &&
                 it[n - 1].penalty <= -OC_LB_INFINITY);
    if (it[b].type == OC_LB_BOX)
        return 0;
    if (it[b].type == OC_LB_GLUE)
        return b > 0 && it[b - 1].type == OC_LB_BOX;
    return 1;       /* penalties checked by the caller */
}

typedef struct search {
    const oc_lb_item   *it;
    size_t              n;
    const oc_lb_params *p;
    size_t              last;
    double              best;
} search;

static double
penalty_of(const search *s, size_t b)
{
    const oc_lb_item *x;

    if (b == s->n)
        return -OC_LB_INFINITY;
    x = &s->it[b];
    if (x->type == OC_LB_GLUE)
        return 0;
    if (x->type == OC_LB_PENALTY)
        return x->penalty < -OC_LB_INFINITY ? -OC_LB_INFINITY : x->penalty;
    return x->type == OC_LB_HYPHEN_EXPLICIT ? s->p->exhyphen_penalty
                                            : s->p->hyphen_penalty;
}

static void
explore(search *s, size_t prev, int fit, int flagged, size_t line,
        double total)
{
    const oc_lb_params *p = s->p;
    size_t first = prev == OC_LB_NONE ? 0 : prev + 1;
    double width = p->nwidths == 0 ? p->width
                   : p->widths[line < p->nwidths ? line : p->nwidths - 1];

    for (size_t b = first; b <= s->last; b++) {
        oc_lb_line l;
        double pen;
        double d;
        int fl;

        if (!legal_break(s->it, s->n, b))
            continue;
        pen = penalty_of(s, b);
        if (pen >= OC_LB_INFINITY)
            continue;
        oc_lb_measure(s->it, s->n, prev, b, width, &l);
        if (b < l.start)
            continue;
        if (l.badness <= p->tolerance) {
            d = p->line_penalty + l.badness;
            d = fabs(d) >= 10000 ? 1e8 : d * d;
            if (pen > 0)
                d += pen * pen;
            else if (pen > -OC_LB_INFINITY)
                d -= pen * pen;
            fl = b < s->n && l.hyphenated;
            if (b == s->last) {
                if (flagged)
                    d += p->final_hyphen_demerits;
            } else if (fl && flagged) {
                d += p->double_hyphen_demerits;
            }
            if (abs((int)l.fitness - fit) > 1)
                d += p->adj_demerits;
            if (b == s->last) {
                if (total + d < s->best)
                    s->best = total + d;
            } else {
                explore(s, b, (int)l.fitness, fl, line + 1, total + d);
            }
        }
        if (pen <= -OC_LB_INFINITY)
            break;          /* no line runs past a forced break */
    }
}

static double
exhaustive(const oc_lb_item *it, size_t n, const oc_lb_params *p)
{
    search s = {it, n, p, 0, HUGE_VAL};
    int forced_end = it[n - 1].type == OC_LB_PENALTY &&
                     it[n - 1].penalty <= -OC_LB_INFINITY;

    s.last = forced_end ? n - 1 : n;
    explore(&s, OC_LB_NONE, OC_LB_DECENT, 0, 0, 0);
    return s.best;
}

static void
test_matches_exhaustive_search(void **state)
{
    /* Random paragraphs with glue, plain and flagged penalties, forced
     * breaks, all three hyphen kinds and varying line widths: the single
     * pass (pretolerance -1, no emergency stretch) must find exactly the
     * least demerits that exhaustive search finds. Hyphen widths stay
     * below box widths and glue shrink below glue width, so a line that
     * is overfull stays so as it grows (as TeX assumes). */
    uint32_t seed = 7;
    int compared = 0;
    int rescued = 0;

    (void)state;
    for (int trial = 0; trial < 6000; trial++) {
        para p = {.n = 0};
        oc_lb_params lp;
        oc_lb_result r;
        oc_error err = {0};
        double widths[3];
        size_t nw = 1 + next_rand(&seed) % 3;
        size_t nwords = 4 + next_rand(&seed) % 7;
        double best;

        for (size_t i = 0; i < nw; i++)
            widths[i] = 70 + next_rand(&seed) % 50;
        for (size_t i = 0; i < nwords; i++) {
            uint32_t k = next_rand(&seed) % 16;

            if (i > 0) {
                if (k == 0) {
                    p.n += oc_lb_end_paragraph(p.it + p.n);
                } else if (k < 3) {
                    add(&p, oc_lb_penalty(0, (double)(next_rand(&seed) %
                                                      400) - 200,
                                          (int)(k == 2)));
                } else {
                    double gw = 6 + next_rand(&seed) % 8;

                    add(&p, oc_lb_glue(gw, 2 + next_rand(&seed) % 12,
                                       next_rand(&seed) % 5));
                }
            }
            add(&p, oc_lb_box(next_rand(&seed) % 40 ? 10 + next_rand(&seed) % 40
                                                    : 130));
            if (k >= 12) {
                add(&p, oc_lb_hyphen((oc_lb_type)(OC_LB_HYPHEN_AUTO +
                                                  k % 3), k % 2 ? 5 : 0));
                add(&p, oc_lb_box(10 + next_rand(&seed) % 30));
            }
        }
        if (next_rand(&seed) % 4)
            p.n += oc_lb_end_paragraph(p.it + p.n);
        oc_lb_params_init(&lp, 0);
        lp.widths = widths;
        lp.nwidths = nw;
        lp.pretolerance = -1;
        lp.tolerance = 100 + next_rand(&seed) % 2000;
        lp.adj_demerits = next_rand(&seed) % 2 ? 10000 : 500;
        best = exhaustive(p.it, p.n, &lp);
        assert_int_equal(oc_lb_break(NULL, p.it, p.n, &lp, &r, &err), OC_OK);
        assert_true(r.nlines > 0);
        if (best < HUGE_VAL) {
            compared++;
            assert_int_equal(r.noverfull, 0);
            assert_near(r.demerits, best);
            for (size_t i = 0; i < r.nlines; i++)
                assert_true(r.lines[i].badness <= lp.tolerance);
        }
        assert_int_equal(r.lines[r.nlines - 1].end,
                         p.it[p.n - 1].type == OC_LB_PENALTY ? p.n - 1 : p.n);
        oc_lb_result_free(&r);

        /* The rescue pass: no overfull line if any breaking avoids one;
         * otherwise only lines holding a box too wide for any line. */
        lp.emergency_stretch = 1 + next_rand(&seed) % 20;
        assert_int_equal(oc_lb_break(NULL, p.it, p.n, &lp, &r, &err), OC_OK);
        lp.tolerance = 10000;
        if (exhaustive(p.it, p.n, &lp) < HUGE_VAL) {
            rescued++;
            assert_int_equal(r.noverfull, 0);
        }
        for (size_t i = 0; i < r.nlines; i++) {
            const oc_lb_line *l = &r.lines[i];
            int wide = 0;

            for (size_t j = l->start; j < l->end; j++)
                wide |= p.it[j].type == OC_LB_BOX && p.it[j].width >= 130;
            if (l->overfull > 0)
                assert_true(wide);
        }
        oc_lb_result_free(&r);
    }
    print_message("%d compared, %d rescued\n", compared, rescued);
    assert_true(compared > 800);
    assert_true(rescued > compared && rescued < 6000);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optimum_beats_first_fit),
        cmocka_unit_test(test_adjacent_demerits_change_choice),
        cmocka_unit_test(test_forced_break_inside_paragraph),
        cmocka_unit_test(test_hyphen_used_to_avoid_very_loose_line),
        cmocka_unit_test(test_plain_line_ends_at_a_whole_word),
        cmocka_unit_test(test_hyphen_own_penalty_makes_it_a_last_resort),
        cmocka_unit_test(test_hyphen_penalty_outweighs_small_gain),
        cmocka_unit_test(test_double_hyphen_demerits_stop_third_hyphen),
        cmocka_unit_test(test_emergency_stretch_avoids_overfull_line),
        cmocka_unit_test(test_box_wider_than_line_is_one_overfull_line),
        cmocka_unit_test(test_single_long_word_is_one_overfull_line),
        cmocka_unit_test(test_looseness_plus_one_adds_a_line),
        cmocka_unit_test(test_looseness_minus_one_removes_a_line),
        cmocka_unit_test(test_ragged_right_balances_lines),
        cmocka_unit_test(test_explicit_hyphen_uses_exhyphen_penalty),
        cmocka_unit_test(test_first_pass_ignores_pattern_hyphens),
        cmocka_unit_test(test_line_widths_vary_per_line),
        cmocka_unit_test(test_measure_and_glue_widths_fill_the_line),
        cmocka_unit_test(test_invalid_input_is_an_error),
        cmocka_unit_test(test_empty_paragraph_has_no_lines),
        cmocka_unit_test(test_result_in_arena),
        cmocka_unit_test(test_large_paragraph),
        cmocka_unit_test(test_matches_exhaustive_search),
        cmocka_unit_test(test_first_fit_fills_lines_at_natural_width),
        cmocka_unit_test(test_first_fit_breaks_a_word_last),
        cmocka_unit_test(test_first_fit_wrap_indent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
