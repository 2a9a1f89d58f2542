/* shape.h - shape a paragraph's text once: UTF-8 text and Pango
 * attributes → runs of glyphs in logical order, the widths of their
 * clusters, and the text's log attributes (its break opportunities after
 * UAX #14, with the kinsoku rules of CJK text: cjk.h), as one unwrapped
 * PangoLayout would give them, but for the punctuation beside CJK
 * characters, which takes their font (cjk.h). Words are
 * shaped once per font through a cache of shaped words (oc_shape_cache),
 * or the whole text by a PangoLayout when its attributes ask for what
 * only PangoLayout does (letter-spacing, shapes, font scales, text
 * transforms). For paragraph.h, which cuts the runs into lines
 * (oc_shape_piece).
 *
 * Pango calls that need the font lock (fontlock.h) take it here.
 * Units are points (1/72 in) unless named otherwise. */
#ifndef OC_SHAPE_H
#define OC_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pango/pango.h>

#include "arena.h"
#include "hyphenate.h"

/* Shaped words, hyphenation points and font metrics, kept from paragraph
 * to paragraph, with a reference to every font shaped with. Owned by
 * the caller, who frees it after every text that used it; not
 * thread-safe. */
typedef struct oc_shape_cache oc_shape_cache;

oc_shape_cache *oc_shape_cache_new(void);       /* aborts on OOM */
void            oc_shape_cache_free(oc_shape_cache *c); /* NULL: no-op */
/* Let the words and hyphenations it keeps go (a megabyte or more), when
 * the text that repeats them is set; later ones are shaped again. */
void            oc_shape_cache_forget_words(oc_shape_cache *c);

/* A colour from PANGO_ATTR_FOREGROUND and _ALPHA, 0..1. */
typedef struct oc_shape_color {
    bool   set;                 /* false: the default (black) */
    double r, g, b, a;
} oc_shape_color;

/* A run of glyphs in one font and direction, and what painting it needs
 * from its attributes and its font. */
typedef struct oc_shape_run {
    PangoGlyphItem *gi;         /* owned */
    int             gpos;       /* glyphs oc_shape_piece has passed */
    double          rise;
    double          ascent, descent;
    bool            underline, strike, overline;
    double          ul_pos, ul_thick;   /* y of the top from the baseline,
                                           down, and thickness */
    double          st_pos, st_thick;
    double          ol_pos;
    oc_shape_color  color;
    oc_shape_color  background; /* PANGO_ATTR_BACKGROUND and _ALPHA */
} oc_shape_run;

/* A hyphen shaped in one font of the text. */
typedef struct oc_shape_hyphen {
    PangoFont        *font;     /* a reference */
    PangoGlyphString *glyphs;   /* owned */
    double            width;
} oc_shape_hyphen;

/* A text to shape, and, from oc_shape_text to oc_shape_release, its
 * runs. The caller sets the first fields (borrowed; they must outlive
 * the shaping) and zeroes the rest. */
typedef struct oc_shape {
    const char     *text;       /* len bytes of UTF-8, NUL-terminated */
    size_t          len;
    PangoAttrList  *attrs;      /* NULL: none */
    PangoContext   *context;
    const PangoFontDescription *font;   /* the base font */
    bool            rtl;        /* right-to-left base direction */
    oc_shape_cache *cache;      /* NULL: shape the text without one */

    oc_shape_run   *runs;       /* logical order */
    size_t          nruns;
    int            *cw;         /* per byte: width of the cluster that
                                   starts there (Pango units), else 0 */
    int64_t        *pre;        /* prefix sums of cw, len + 1 */
    unsigned char  *cstart;     /* per byte: a cluster starts there */
    int            *run_of;     /* per byte: index in runs, -1 none */
    bool            layout_shaping; /* words cannot do it: kept from one
                                       shaping to the next */
    bool            covered;    /* its fonts have every character */
    OC_VEC(oc_shape_hyphen) hyphs;  /* oc_shape_hyphen_at's */
    oc_arena       *arena;      /* the arrays above */
} oc_shape;

/* Shape s->text into s->runs and index its clusters, the arrays in
 * arena 'a', which must last until oc_shape_release. With 'nattrs',
 * returns the log attributes of the text, one per character and one
 * after the last (*nattrs of them; g_free); else NULL. */
PangoLogAttr *oc_shape_text(oc_shape *s, oc_arena *a, int *nattrs);

/* Free the glyphs of the last oc_shape_text (with no cache under the
 * font lock: they hold fonts) and forget its arrays, which go with their
 * arena. s->layout_shaping stays. */
void oc_shape_release(oc_shape *s);

/* The style of run r from r->gi (set; the rest zeroed): its rise,
 * extents, colour and decorations, the font's metrics through 'cache'
 * (NULL: none). */
void oc_shape_run_style(oc_shape_cache *cache, oc_shape_run *r);

/* A font's vertical metrics, in Pango units, as pango_font_get_metrics
 * gives them (ascent and descent, underline and strikethrough positions
 * above the baseline and thicknesses), read from the font itself:
 * pango_font_get_metrics also sets a sample text in the font to measure
 * its average widths, some milliseconds a font, which octavo never uses.
 * The caller holds the font lock. */
typedef struct oc_font_metrics {
    int ascent, descent;
    int ul_pos, ul_thick;
    int st_pos, st_thick;
} oc_font_metrics;

void oc_shape_font_metrics(PangoFont *font, oc_font_metrics *m);

/* The ascent and descent pango_context_get_metrics gives for font 'd' in
 * context 'ctx' (its language's), in Pango units, without setting its
 * sample text: the largest of the first font of d's fontset and of the
 * fonts the language's sample text is itemised into (the CJK font's for
 * Chinese); 0 and 0 if no font is found. The caller holds the font
 * lock. */
void oc_shape_context_metrics(PangoContext *ctx,
                              const PangoFontDescription *d, int *ascent,
                              int *descent);

/* The width of bytes [a, b) of the shaped text: its clusters'. */
double oc_shape_width(const oc_shape *s, size_t a, size_t b);

/* The cluster that starts last before byte b (within the text), or 0. */
size_t oc_shape_cluster_before(const oc_shape *s, size_t b);

/* The glyphs of bytes [a, b) of run r of s (cluster starts inside it,
 * after those of r's previous piece), in a new glyph item of their own,
 * freed with pango_glyph_item_free: like pango_glyph_item_split, but
 * without moving the rest of the run at every cut. r->gpos counts the
 * glyphs passed, in logical order. NULL when there are none. */
PangoGlyphItem *oc_shape_piece(const oc_shape *s, oc_shape_run *r,
                               size_t a, size_t b);

/* The hyphen in the font of the run holding byte b, shaped once per font
 * and shaping (kept in s->hyphs); NULL when no run holds b. */
const oc_shape_hyphen *oc_shape_hyphen_at(oc_shape *s, size_t b);

/* A new glyph item for a hyphen after 'last': 'text' (a hyphen,
 * NUL-terminated, at offset 0) in the font and analysis of 'last', with
 * the glyphs of oc_shape_hyphen_at if it shaped them. Freed with
 * pango_glyph_item_free. */
PangoGlyphItem *oc_shape_hyphen_item(const oc_shape *s,
                                     const PangoGlyphItem *last,
                                     const char *text);

#define OC_SHAPE_MAX_POINTS 64  /* hyphenation points asked for a word */

/* oc_hyphen_word(d, o, word, len, pts, OC_SHAPE_MAX_POINTS) through the
 * cache (NULL: none), o asking for the defaults with capitalised words'
 * points marked (OC_HYPHEN_CAPS_LAST): the points into pts[], how many
 * returned. */
int oc_shape_hyphen_points(oc_shape_cache *c, const oc_hyphen_dict *d,
                           const char *word, size_t len, int *pts);

/* Whether character 'ch', which no font could show, is reported for the
 * first time for 'file' (NULL: none) in this cache's life: a warning
 * once per character and chapter. Always true without a cache. */
bool oc_shape_first_missing(oc_shape_cache *c, const char *file,
                            gunichar ch);

/* Does c end a line (U+000A, CR, U+2028, U+2029)? Each is shaped on its
 * own, as an empty glyph. */
bool oc_shape_is_newline(gunichar c);

/* Whether every character of 'text' (UTF-8) is of a script with an
 * italic of its own (Latin, Greek, Cyrillic, or common to all): text set
 * by a Pango layout of its own (the title page, the cover) stays upright
 * where it is not, as paragraphs do (an oblique made by slanting Han or
 * Hebrew letters is no italic). */
bool oc_shape_takes_italic(const char *text);

#endif
