/* paragraph.h - set one paragraph of the PDF: UTF-8 text and Pango
 * attributes → lines of shaped glyphs, broken by total fit (linebreak.h)
 * with hyphenation (hyphenate.h), hanging punctuation and a little font
 * expansion, in the manner of TeX and pdfTeX's microtype.
 *
 * The text is itemised once (pango_itemize) and shaped once, word by
 * word through a cache of shaped words (oc_para_cache), or by one
 * unwrapped PangoLayout when its attributes ask for what only PangoLayout
 * does (letter-spacing, shapes, font scales, text transforms). Its break
 * opportunities (UAX #14: our own rules for plain Latin text, Pango's for
 * any other, with the kinsoku rules of CJK text, cjk.h), the widths of
 * its clusters and the patterns' hyphenation points become a
 * Knuth-Plass item list. The lines are cut from the
 * shaped glyphs without shaping again: glue widens or narrows the space
 * glyphs; font expansion scales a justified line across in steps of 0.5%
 * (as pdfTeX's expanded fonts do), its spaces taking what the steps
 * leave; a hyphenated line gets a hyphen glyph of its own (its text is
 * "-", so that text extraction sees the hyphen). Hanging punctuation:
 * the marks at either end of a justified line go partly into the margin
 * (microtype's factors: about 0.7 of a full stop, comma or hyphen, 0.6 of
 * a quotation mark, 0.3 of an em dash), but for the full-width ones of
 * CJK text.
 *
 * Break opportunities and their cost (see oc_para_params):
 *   a space        glue: its shaped width w, stretch w * stretch, shrink
 *                  w * shrink; no break at a no-break space (U+00A0,
 *                  U+2007, U+202F), which still stretches, nor after a
 *                  one-letter preposition or conjunction in Russian,
 *                  Ukrainian, Czech, Slovak and Polish; in French, a
 *                  space before ; : ! ? or inside « » is a thin no-break
 *                  space (1/6 em, fixed)
 *   after a hard hyphen or a dash (U+2010-U+2015), also before the
 *                  opening quotation mark that follows a dash
 *                  OC_LB_HYPHEN_EXPLICIT (exhyphen_penalty, flagged)
 *   after U+00AD   OC_LB_HYPHEN_SOFT, unless hyphens is NONE
 *   hyphenation points of the patterns (hyphens AUTO): OC_LB_HYPHEN_AUTO,
 *                  never in the last word of the paragraph or of a line
 *                  ended by U+000A, nor inside a cluster (a ligature), nor
 *                  in text whose PANGO_ATTR_INSERT_HYPHENS is false; in a
 *                  capitalised word (but in German) a last resort, its
 *                  own penalty caps_hyphen_penalty
 *   between two characters of a justified paragraph of which one at
 *                  least is a CJK character (cjk.h): glue of no width,
 *                  stretch 0.1 em, shrink 0.02 em (so that a line of
 *                  CJK text reaches the measure by spacing its
 *                  characters evenly), a break opportunity where Pango
 *                  and the kinsoku rules allow one, else behind an
 *                  infinite penalty; such a paragraph has no font
 *                  expansion
 *   any other break Pango allows (after '/', between ideographs in
 *                  ragged text) a penalty of other_penalty
 *   in a web address ("://", "www."): only these, no hyphen drawn:
 *                  after '/' and '.' other_penalty, after '-'
 *                  OC_LB_HYPHEN_EXPLICIT (and beside the CJK characters
 *                  of a word it is part of, those of CJK text)
 *   inside a piece of a word between its breaks that is too long for
 *                  any line: a penalty of emergency_penalty between its
 *                  grapheme clusters, but beside a CJK character
 *   U+000A         a forced break; the line before it is not justified
 * The language of each rule is that of the text's run (its Pango
 * language attribute), else the paragraph's. The text is never changed:
 * these rules shape the lines only.
 * Each character that no font has is warned about (oc_warn), once per
 * character and st->file while st->cache lives.
 * The penalties are TeX's, so the breaking, passes and demerits are
 * those of linebreak.h.
 *
 * Units are points (1/72 in) unless named otherwise. */
#ifndef OC_PARAGRAPH_H
#define OC_PARAGRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include <pango/pango.h>

#include "hyphenate.h"
#include "octavo.h"
#include "shape.h"

typedef enum oc_para_align {
    OC_PARA_JUSTIFY,    /* every line the measure wide but the last and
                           those ended by U+000A, which are set at start */
    OC_PARA_START,      /* ragged: flush left, or right when rtl */
    OC_PARA_END,        /* flush right, or left when rtl */
    OC_PARA_CENTER
} oc_para_align;

/* CSS Text 3 §5.4 'hyphens'. */
typedef enum oc_para_hyphens {
    OC_PARA_HYPHENS_NONE,       /* no hyphenation, soft hyphens ignored */
    OC_PARA_HYPHENS_MANUAL,     /* only at soft hyphens */
    OC_PARA_HYPHENS_AUTO        /* soft hyphens and the patterns */
} oc_para_hyphens;

/* Tuning. oc_para_params_init fills in the values in brackets. */
typedef struct oc_para_params {
    double tolerance;           /* linebreak.h's [200] */
    double pretolerance;        /* [100]; < 0: hyphenate at once */
    double line_penalty;        /* [10] */
    double hyphen_penalty;      /* [50] */
    double exhyphen_penalty;    /* [50] */
    double other_penalty;       /* [100] */
    double emergency_penalty;   /* [5000] */
    double caps_hyphen_penalty; /* added to hyphen_penalty at a pattern
                                   point of a capitalised word (not in
                                   German): a last resort [1000] */
    double double_hyphen_demerits;  /* [10000] */
    double triple_hyphen_demerits;  /* more for a third hyphen in a row:
                                       as a line of badness 1000 [1e6] */
    double final_hyphen_demerits;   /* [5000] */
    double adj_demerits;        /* [10000] */
    double emergency_stretch;   /* in ems of the base font [2] */
    double stretch, shrink;     /* of a space, in its widths [1/2, 1/3] */
    double ragged;              /* stretch of a ragged line, in ems [3] */
    double expansion;           /* justified text only: the most a line
                                   may be scaled across, up or down, for
                                   font expansion [0.02]; 0: none */
    double protrusion;          /* justified text only: scale of the
                                   hanging punctuation table (1: as in
                                   paragraph.c, 0: none) [1] */
    size_t piece;               /* a preformatted paragraph (first fit,
                                   line ends kept) longer than this is
                                   broken a piece of about as many bytes
                                   at a time, cut at a line end: the same
                                   lines, in the memory of a piece; 0:
                                   whole [16384] */
} oc_para_params;

void oc_para_params_init(oc_para_params *p);

/* Shaped words, kept from paragraph to paragraph: the text is shaped
 * word by word through the cache (white space apart), so that each word
 * is shaped once in each font. Owned by the caller, who frees it after
 * every paragraph that used it; not thread-safe. It is shape.h's. */
typedef oc_shape_cache oc_para_cache;

oc_para_cache *oc_para_cache_new(void);         /* aborts on OOM */
void           oc_para_cache_free(oc_para_cache *c);   /* NULL: no-op */

typedef struct oc_para_style {
    PangoContext  *context;     /* font map, resolution, font options */
    const PangoFontDescription *font;   /* the paragraph's base font */
    const char    *lang;        /* BCP 47 (xml:lang); NULL: none */
    bool           rtl;         /* right-to-left base direction */
    oc_para_align  align;
    oc_para_hyphens hyphens;
    double         width;       /* the measure, > 0 */
    double         indent;      /* of the first line (start side) */
    oc_hyphen_cache *dicts;     /* patterns, loaded on first use; NULL:
                                   no automatic hyphenation */
    oc_para_cache *cache;       /* NULL: shape the text without one */
    const oc_para_params *params;   /* NULL: the defaults */
    bool           first_fit;   /* break as Pango and browsers do, each
                                   line as full as it goes (table cells,
                                   code), not by total fit */
    bool           preserve;    /* white-space: pre: spaces keep their
                                   widths, the ones that open a line too,
                                   and a tab goes to the next stop of
                                   eight spaces */
    double         wrap_indent; /* first fit: the start indent of a line
                                   that continues a wrapped one */
    const char    *file;        /* where warnings point: the input file */
    int            line;        /* and its line, 0 if unknown */
} oc_para_style;

typedef struct oc_para oc_para;

/* A colour from PANGO_ATTR_FOREGROUND and _ALPHA, 0..1: set, r, g, b,
 * a (shape.h). */
typedef oc_shape_color oc_para_color;

/* A piece of a line in one font and direction. Paint it with
 * pango_cairo_show_glyph_item(cr, text, glyphs) from the point (line
 * origin x + x, baseline - rise), scaled across by the line's 'scale'
 * about that point. */
typedef struct oc_para_run {
    PangoGlyphItem *glyphs;     /* owned by the paragraph */
    const char     *text;       /* what glyphs->item->offset indexes */
    double          x;          /* from the line's left end */
    double          width;
    double          rise;       /* baseline shift, up */
    oc_para_color   color;
} oc_para_run;

/* An underline, overline or line-through of the text, or its background
 * (an inline element's background-color), from the attributes, painted
 * by the caller as a filled rectangle: a background before the glyphs,
 * the others after them. */
typedef struct oc_para_rule {
    double        x, y, w, h;   /* y: its top, from the baseline, down */
    oc_para_color color;
    bool          under;        /* a background */
} oc_para_rule;

typedef struct oc_para_line {
    oc_para_run  *runs;         /* in visual order, left to right */
    size_t        nruns;
    oc_para_rule *rules;
    size_t        nrules;
    double        x;            /* left end of the glyphs from the
                                   measure's left edge: indent, alignment,
                                   hanging punctuation; may be < 0 */
    double        width;        /* of the glyphs, hanging ones included */
    double        scale;        /* font expansion: paint the runs scaled
                                   across by it about their origin (their
                                   x and width are already scaled) */
    double        hang_left;    /* hanging punctuation beyond the measure */
    double        hang_right;
    double        ascent;       /* logical extents of the runs above and */
    double        descent;      /* below the baseline, rises included */
    const char   *text;         /* the paragraph's */
    size_t        start, end;   /* bytes [start, end) of the text: the
                                   lines cover it, in order, with neither
                                   gap nor overlap (spaces at a break
                                   belong to the line before it) */
    bool          hyphenated;   /* ends with a hyphen glyph of its own */
    bool          at_hyphen;    /* ends with a hyphen, its own or the
                                   text's (a hard hyphen, U+2010) */
    bool          forced;       /* ended by U+000A */
    bool          rtl;          /* the paragraph's base direction */
    double        ratio;        /* of its glue; -1..1 within limits */
    double        badness;      /* linebreak.h's; 10001: overfull */
} oc_para_line;

/* Shape 'text' (len bytes of UTF-8, with U+000A for forced breaks) with
 * 'attrs' (may be NULL; borrowed) in style 'st' and break it into lines
 * as oc_para_break(p, 0, err) does. On OC_OK *out is a new paragraph,
 * freed by oc_para_free; otherwise *out is NULL and err says why
 * (OC_ERR_INVALID: a measure <= 0, text that is not UTF-8). A dictionary
 * that cannot be loaded and lines that remain overfull are warned about
 * (oc_warn) at st->file:st->line. Running out of memory aborts. */
oc_status oc_para_new(const char *text, size_t len, PangoAttrList *attrs,
                      const oc_para_style *st, oc_para **out,
                      oc_error *err);

/* Break the paragraph again, asking for 'looseness' lines more (> 0) or
 * fewer (< 0) than the optimum (TeX's \looseness: the nearest count that
 * keeps every line within tolerance). The lines of the previous breaking
 * are freed: pointers to them become invalid. Returns how many lines
 * more or fewer than the optimum were made (0 if none was possible). */
int oc_para_break(oc_para *p, int looseness);

/* For a page (a widow or an orphan to avoid): set the paragraph again
 * with one line more ('delta' 1) or fewer (-1) than it has now, by TeX's
 * looseness, but only if every line but the last (and those ended by
 * U+000A) then keeps within badness 'max_badness'. Returns true and
 * replaces the lines (pointers to the old ones become invalid), or
 * returns false and leaves them as they are; a quick test of their
 * stretch and shrink spares most hopeless tries the work of breaking. */
bool oc_para_refit(oc_para *p, int delta, double max_badness);

/* For a page: set the paragraph again with as many lines, line 'k'
 * (from 0, not its last) ending at a whole word instead of a hyphen (a
 * word cut across the turn of the leaf), but only if every line but the
 * last then keeps within badness 'max_badness'; later settings keep it
 * so. Returns true and replaces the lines (pointers to the old ones
 * become invalid), or false and leaves them as they are. */
bool oc_para_plain_line(oc_para *p, size_t k, double max_badness);

/* For a page cut for good: set the paragraph again, with as many
 * lines, so that no three in a row end in a hyphen (a hard one too),
 * by the emergency stretch, no line worse than 'max_badness'. Returns 1
 * when it did (the lines replaced); 0 when it had no such run (nothing
 * changed); -1 when no setting without one would do (the lines as they
 * were, but set anew: pointers to the old ones are invalid).
 * oc_para_set_back undoes it (the lines set anew). */
int oc_para_unstack(oc_para *p, double max_badness);
void oc_para_set_back(oc_para *p);

/* The most lines in a row that end in a hyphen (a hard one too). */
size_t oc_para_hyphen_run(const oc_para *p);

/* The lines (borrowed: valid until the next oc_para_break, successful
 * oc_para_refit or oc_para_free), and how many there are in *n. */
const oc_para_line *oc_para_lines(const oc_para *p, size_t *n);

/* The widest piece of the paragraph between two of its breaks, in
 * points: the least measure that sets it without an overfull line (a
 * table's column holds at least its cells' widest). */
double oc_para_min_width(const oc_para *p);

/* Set the paragraph again in another measure and alignment (a table
 * cell, measured unwrapped, then set to its column): as oc_para_break
 * with no looseness. A measure that is not > 0 is taken as 1 pt. */
void oc_para_set_measure(oc_para *p, double width, oc_para_align align);

/* Line 'pl' of a PangoLayout (generated text, preformatted text, table
 * cells, which Pango breaks) as a paragraph line, so that whoever paints
 * has one kind of line: its runs, colours and decorations, styled
 * through 'cache' (NULL: none), in arena 'a' (with the glyphs, which stay
 * Pango's, valid while the layout is). The line's x is 0: its left end
 * is that of pango_layout_line_get_extents' logical rectangle. */
const oc_para_line *oc_para_line_of_pango(PangoLayoutLine *pl,
                                          oc_para_cache *cache, oc_arena *a);

/* Where byte 'index' of the text is on line 'l': the x of the leading
 * edge of its cluster, from the line's left end (add l->x for the
 * measure). An index before the line gives its logical start, one after
 * it its logical end. */
double oc_para_line_index_x(const oc_para_line *l, size_t index);

/* The horizontal extents of bytes [start, end) on line 'l' from the
 * line's left end, as at most 'max' disjoint ranges stored in xs as
 * (left, right) pairs, left to right; returns how many were stored. */
size_t oc_para_line_ranges(const oc_para_line *l, size_t start, size_t end,
                           double *xs, size_t max);

void oc_para_free(oc_para *p);      /* NULL is a no-op */

#endif
