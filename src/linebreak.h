/* linebreak.h - break a paragraph into lines by total fit: Knuth & Plass,
 * "Breaking Paragraphs into Lines" (Software: Practice and Experience 11,
 * 1981), with TeX's refinements (tex.web §813-890: fitness classes,
 * adjacent, double and final hyphen demerits, passes, emergency stretch,
 * looseness).
 *
 * Pure arithmetic in points, independent of fonts: the layout engine
 * measures the text and describes the paragraph as a list of items.
 *
 *   box      unbreakable material (a word, a syllable, an image): width
 *   glue     space: width, stretch, shrink, and an infinite ("fil")
 *            stretch for paragraph ends. A glue item is a legal break
 *            only if the item before it is a box; the line then ends
 *            before the glue.
 *   penalty  a possible break with a cost: 'penalty' <= -OC_LB_INFINITY
 *            forces a break, >= +OC_LB_INFINITY forbids one. 'width' is
 *            added to the line only if the break is taken there (the
 *            hyphen glyph of a discretionary hyphen). 'flagged' marks a
 *            hyphen break for the double and final hyphen demerits.
 *   hyphens  three kinds of flagged penalty whose cost comes from the
 *            parameters, so one item list can be broken again with other
 *            settings: OC_LB_HYPHEN_AUTO (found by hyphenation patterns,
 *            cost hyphen_penalty, not tried in the first pass),
 *            OC_LB_HYPHEN_SOFT (U+00AD in the text, cost hyphen_penalty)
 *            and OC_LB_HYPHEN_EXPLICIT (after a hard hyphen or dash,
 *            cost exhyphen_penalty, width normally 0). A hyphen's own
 *            'penalty' (0 from oc_lb_hyphen) is added to that cost; an
 *            OC_LB_HYPHEN_AUTO with one > 0 is a last resort (a
 *            capitalised word's), not tried before pass 3, or the final
 *            pass if that comes first.
 *
 * Paragraph end: the caller ends the list as TeX does (\par), with
 * penalty(0, +INF), fil glue and penalty(0, -INF), which
 * oc_lb_end_paragraph() writes: the last line is set at natural width
 * and cannot break before the fil glue. If the list does not end with a
 * forced break, its end is taken as one (with no fil glue the last line
 * is then justified like the others). A forced break inside the
 * paragraph (<br>) is the same three items.
 *
 * Discarding: after a break, the glue and penalties that follow it are
 * dropped up to the next box or forced break, as in TeX; at the start of
 * the paragraph nothing is dropped (an indent may be glue).
 *
 * Ragged right (Knuth & Plass §"Ragged right"): give inter-word glue no
 * stretch and put the stretch at possible line ends. Each space becomes
 *     glue(0, 3em, 0)  penalty(0, 0)  glue(space, -3em, 0)
 * Unbroken, the two stretches cancel; broken at the penalty, the line
 * keeps +3em of stretch and the next line drops the second glue. A
 * hyphen point inside a word becomes
 *     penalty(0, +INF)  glue(0, 3em, 0)  hyphen(hw)  glue(0, -3em, 0)
 * (the leading penalty stops a break at the glue inside the word).
 * Centred text (Knuth & Plass): start with glue(0, 3em, 0), make each
 * space glue(0, 3em, 0) penalty(0, 0) glue(space, -6em, 0) box(0)
 * penalty(0, +INF) glue(0, 3em, 0), and end with glue(0, 3em, 0) and the
 * forced break (no fil).
 *
 * Passes, as in TeX §863: (1) if pretolerance >= 0, a pass with
 * threshold 'pretolerance' and no OC_LB_HYPHEN_AUTO breaks; (2) a pass
 * with threshold 'tolerance' and every break but the last-resort
 * hyphens; (3) if emergency_stretch > 0, the second pass again with
 * emergency_stretch added to the stretch of every line, and every break;
 * (4) if that fails too, a rescue pass (ours, not TeX's): every line
 * that is not overfull is allowed, and the least demerits win. The last
 * pass made is final: if the active breaks run out, the last of them
 * gets an overfull line to the next break (TeX's artificial demerits),
 * so the paragraph always ends.
 *   With emergency_stretch 0 this is TeX: an overfull line appears only
 * when no breaking keeps every line's badness within tolerance, but then
 * it may win over a line that is merely too loose ("see <long URL>" on
 * one overfull line). With emergency_stretch > 0 a line is overfull only
 * when no breaking at all avoids it ("see" | <URL>, overfull by exactly
 * its excess | ...), and lines beyond tolerance appear only when nothing
 * fits within it (their badness tells the caller to warn). So give it
 * (e.g. 3em). The rescue pass ignores looseness.
 *
 * Cost: O(items x active breaks) per pass; the active breaks are those
 * within about one line of the current item, so a paragraph of ordinary
 * text breaks in time linear in its length. */
#ifndef OC_LINEBREAK_H
#define OC_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "octavo.h"

#define OC_LB_INFINITY 10000.0        /* penalty: +forbids, -forces */
#define OC_LB_LATE     9000.0         /* penalty: from this up, a break that
                                         oc_lb_break takes only in its last
                                         passes (with the emergency
                                         stretch, or the final one) */
#define OC_LB_NONE     ((size_t)-1)   /* "no break": before the first line */

typedef enum oc_lb_type {
    OC_LB_BOX,
    OC_LB_GLUE,
    OC_LB_PENALTY,
    OC_LB_HYPHEN_AUTO,      /* pattern hyphenation point */
    OC_LB_HYPHEN_SOFT,      /* U+00AD in the text */
    OC_LB_HYPHEN_EXPLICIT   /* after a hard hyphen or a dash */
} oc_lb_type;

typedef struct oc_lb_item {
    oc_lb_type type;
    int        flagged;  /* OC_LB_PENALTY: a hyphen break (others: always) */
    double     width;    /* box, glue; penalties: added if broken here */
    double     stretch;  /* glue: finite stretch, may be negative */
    double     shrink;   /* glue: shrink, >= 0 */
    double     fil;      /* glue: infinite stretch, in fil units */
    double     penalty;  /* OC_LB_PENALTY: cost of breaking here;
                          * hyphens: added to their parameter's */
} oc_lb_item;

/* TeX's fitness classes of a line, from its badness b: very loose
 * (stretched, b > 99), loose (stretched, b > 12), decent (b <= 12),
 * tight (shrunk, b > 12). */
typedef enum oc_lb_fitness {
    OC_LB_VERY_LOOSE,
    OC_LB_LOOSE,
    OC_LB_DECENT,
    OC_LB_TIGHT
} oc_lb_fitness;

/* Badness and demerits follow TeX: badness = 100 |r|^3 capped at 10000
 * (10000 for a line that should stretch but has no stretch); a line's
 * demerits are (line_penalty + badness)^2 (10^8 if the sum reaches
 * 10000), + p^2 for a break with penalty p > 0, - p^2 for a break with
 * -10000 < p < 0, + double_hyphen_demerits when this line and the one
 * before both end in flagged breaks (+ triple_hyphen_demerits more when
 * the line before that does too), + final_hyphen_demerits when the
 * second-last line of the paragraph ends in one, + adj_demerits when the
 * fitness classes of the two lines are more than one apart. */
typedef struct oc_lb_params {
    /* Line widths in points: line k (from 0) is widths[k], the last one
     * repeating; when nwidths is 0 every line is 'width'. */
    double        width;
    const double *widths;
    size_t        nwidths;

    double tolerance;               /* badness limit of pass 2 (200) */
    double pretolerance;            /* pass 1 limit; < 0 skips it (100) */
    double line_penalty;            /* (10) */
    double hyphen_penalty;          /* AUTO and SOFT hyphens (50) */
    double exhyphen_penalty;        /* EXPLICIT hyphens (50) */
    double double_hyphen_demerits;  /* (3000) */
    double triple_hyphen_demerits;  /* more, for a third line or more in a
                                       row ending in a hyphen (0) */
    double final_hyphen_demerits;   /* (5000) */
    double adj_demerits;            /* (10000) */
    double emergency_stretch;       /* points; 0: no pass 3 or 4 (0) */
    /* TeX's \looseness: ask for this many more (> 0) or fewer (< 0)
     * lines than the optimum; the nearest count that some pass can reach
     * within its threshold is used (0). */
    int    looseness;
    /* A line (from 0) that may not end in a flagged break, unless no
     * other setting of the paragraph ends at all: the last line of a
     * recto, whose word would be cut across the turn of the leaf; -1
     * (oc_lb_params_init's) for none. */
    long   plain_line;
    /* A breaking of the tolerance pass with three lines in a row ending
     * in a hyphen is set again with the emergency stretch, and that is
     * kept when it has as many lines and no such run (false:
     * oc_lb_params_init's, TeX's way). */
    bool   no_three_hyphens;

    /* oc_lb_first_fit only: breaks that cost this much or more (and
     * pattern hyphens) are taken only when no other break fits a line
     * (OC_LB_INFINITY: none is); a line that follows a break which is
     * not forced is wrap_indent narrower (a wrapped line of code). */
    double last_resort;
    double wrap_indent;
} oc_lb_params;

/* One line of the result, or the measure of any line (oc_lb_measure). */
typedef struct oc_lb_line {
    size_t start;       /* first item set on the line */
    size_t end;         /* the break: the line is items [start, end), plus
                         * items[end].width if it is a penalty or hyphen;
                         * end == nitems for the end of the list */
    double width;       /* the line width it is set to */
    double natural;     /* natural width of its material */
    double stretch;     /* total finite stretch of its glue */
    double shrink;      /* total shrink */
    double fil;         /* total infinite stretch */
    double ratio;       /* adjustment ratio: > 0 stretch, < 0 shrink */
    int    fil_set;     /* ratio applies to fil stretch (finite glue
                         * stays natural) */
    double badness;     /* 0..10000; 10001 when overfull */
    oc_lb_fitness fitness;
    int    hyphenated;  /* ends in a flagged break (draw the hyphen) */
    double overfull;    /* points the line sticks out with all its glue
                         * shrunk; 0 if it fits */
} oc_lb_line;

typedef struct oc_lb_result {
    oc_lb_line *lines;
    size_t      nlines;
    size_t      noverfull;  /* lines with overfull > 0: warn about them */
    double      demerits;   /* total of the chosen breaks */
    int         pass;       /* 1-4: the pass that found them */
    int         looseness;  /* lines minus the optimum's line count */
    int         malloced;   /* internal: lines came from malloc */
} oc_lb_result;

/* Fill p with the defaults above and a single line width. */
void oc_lb_params_init(oc_lb_params *p, double width);

/* Item constructors. oc_lb_fil() is glue(0, 0, 0) with 1 fil of stretch;
 * oc_lb_hyphen() makes an OC_LB_HYPHEN_* item of the given width. */
oc_lb_item oc_lb_box(double width);
oc_lb_item oc_lb_glue(double width, double stretch, double shrink);
oc_lb_item oc_lb_fil(void);
oc_lb_item oc_lb_penalty(double width, double penalty, int flagged);
oc_lb_item oc_lb_hyphen(oc_lb_type type, double width);

/* Write the paragraph end (penalty +INF, fil glue, forced break) into
 * out[0..3) and return 3. */
size_t     oc_lb_end_paragraph(oc_lb_item *out);

/* Break items[0..n) into lines. On OC_OK *out holds at least one line
 * when n > 0 (none when n == 0), every line measured as oc_lb_measure()
 * does. Lines are allocated in arena 'a', or with malloc when 'a' is
 * NULL; oc_lb_result_free() releases the malloc'd case and does nothing
 * for the arena case, so it is always safe to call. Scratch memory is
 * freed before returning.
 * Errors (OC_ERR_INVALID, *out left empty): a width or item value that is
 * not finite, a line width <= 0, nwidths > 0 with no widths, a negative
 * shrink, a negative tolerance or emergency stretch. Running out of
 * memory aborts. */
oc_status oc_lb_break(oc_arena *a, const oc_lb_item *items, size_t n,
                      const oc_lb_params *p, oc_lb_result *out,
                      oc_error *err);
void      oc_lb_result_free(oc_lb_result *r);

/* Break items[0..n) first fit, as a browser or Pango wraps text: each
 * line takes as much as fits at natural width (glue neither stretched
 * nor shrunk to choose), up to its last break before the material
 * overflows it (an overfull line only where a single piece is wider),
 * demerits, tolerance and looseness unused. The result and errors as
 * oc_lb_break's; every line measured as oc_lb_measure does, in its
 * width (the line's from p, less p->wrap_indent after a break that is
 * not forced). */
oc_status oc_lb_first_fit(oc_arena *a, const oc_lb_item *items, size_t n,
                          const oc_lb_params *p, oc_lb_result *out,
                          oc_error *err);

/* The widest piece of items[0..n) between two breaks (first fit's, under
 * p), what a break discards not counted: the least measure that breaks
 * the items with no line overfull. */
double oc_lb_widest_piece(const oc_lb_item *items, size_t n,
                          const oc_lb_params *p);

/* Measure the line that follows the break at 'prev' (OC_LB_NONE for the
 * first line) and ends with the break at 'brk' (a glue or penalty index,
 * or n for the end of the list), set in 'width' points: skips the
 * discardable items after 'prev', sums the material, computes the
 * adjustment ratio, badness, fitness and overflow. Requires prev < brk
 * (or prev == OC_LB_NONE) and brk <= n. */
void   oc_lb_measure(const oc_lb_item *items, size_t n, size_t prev,
                     size_t brk, double width, oc_lb_line *line);

/* The width at which glue item 'g' is set on 'line': its natural width
 * plus ratio * stretch (or fil, when fil_set), or plus ratio * shrink
 * when the line is shrunk. Boxes are set at their width; penalties and
 * hyphens inside a line take no room. */
double oc_lb_glue_width(const oc_lb_line *line, const oc_lb_item *g);

#endif
