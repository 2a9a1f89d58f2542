/* css.h - the CSS subset the PDF engine honours: parse stylesheets, match
 * selectors against a chapter's DOM, cascade and compute each element's
 * style (CSS 2.1 §6), and merge @page rules (CSS Paged Media 3).
 *
 * The EPUB carries the stylesheets untouched; this module serves the PDF
 * back end, which asks for computed values and knows nothing of CSS
 * syntax. Everything the module allocates lives in the arena given to
 * oc_css_new and goes when that arena is freed; no function here hands out
 * memory the caller must free. Lengths in computed styles are in points
 * (1pt = 1/72in; 1px = 0.75pt). */
#ifndef OC_CSS_H
#define OC_CSS_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "octavo.h"

typedef struct oc_css oc_css;       /* a stylesheet collection; opaque */

/* Sides, the index of every four-sided array below. */
typedef enum oc_side {
    OC_SIDE_TOP,
    OC_SIDE_RIGHT,
    OC_SIDE_BOTTOM,
    OC_SIDE_LEFT
} oc_side;

/* A computed length that may still depend on the containing block. */
typedef enum oc_length_unit {
    OC_LEN_PT,          /* absolute: 'value' points (em already resolved) */
    OC_LEN_PERCENT,     /* 'value' percent of the containing block's width */
    OC_LEN_AUTO         /* 'auto' (margins only); 'value' is 0 */
} oc_length_unit;

typedef struct oc_length {
    double         value;
    oc_length_unit unit;
} oc_length;

typedef enum oc_line_height_kind {
    OC_LINE_HEIGHT_NORMAL,  /* the font's own; see oc_css_line_height */
    OC_LINE_HEIGHT_FACTOR,  /* 'value' times the element's font size; a
                               child inherits the factor, not the result */
    OC_LINE_HEIGHT_PT       /* 'value' points; inherited as is */
} oc_line_height_kind;

typedef struct oc_line_height {
    oc_line_height_kind kind;
    double              value;
} oc_line_height;

typedef struct oc_color {
    uint8_t r, g, b, a;     /* sRGB; a = 255 is opaque */
} oc_color;

typedef enum oc_font_style {
    OC_FONT_STYLE_NORMAL,
    OC_FONT_STYLE_ITALIC,
    OC_FONT_STYLE_OBLIQUE
} oc_font_style;

typedef enum oc_font_variant {
    OC_FONT_VARIANT_NORMAL,
    OC_FONT_VARIANT_SMALL_CAPS,
    OC_FONT_VARIANT_ALL_SMALL_CAPS
} oc_font_variant;

typedef enum oc_text_align {
    OC_ALIGN_START,         /* left in LTR text, right in RTL */
    OC_ALIGN_END,
    OC_ALIGN_LEFT,
    OC_ALIGN_RIGHT,
    OC_ALIGN_CENTER,
    OC_ALIGN_JUSTIFY
} oc_text_align;

typedef enum oc_hyphens {
    OC_HYPHENS_MANUAL,      /* only at soft hyphens (U+00AD) */
    OC_HYPHENS_NONE,
    OC_HYPHENS_AUTO
} oc_hyphens;

typedef enum oc_white_space {
    OC_WS_NORMAL,
    OC_WS_PRE,
    OC_WS_PRE_WRAP,         /* also 'break-spaces' */
    OC_WS_PRE_LINE,
    OC_WS_NOWRAP
} oc_white_space;

/* list-style-type, and the style of a page counter. */
typedef enum oc_list_style {
    OC_LIST_DISC,
    OC_LIST_CIRCLE,
    OC_LIST_SQUARE,
    OC_LIST_DECIMAL,
    OC_LIST_LOWER_ROMAN,
    OC_LIST_UPPER_ROMAN,
    OC_LIST_LOWER_ALPHA,    /* also lower-latin */
    OC_LIST_UPPER_ALPHA,    /* also upper-latin */
    OC_LIST_NONE
} oc_list_style;

typedef enum oc_list_position {
    OC_LIST_OUTSIDE,
    OC_LIST_INSIDE
} oc_list_position;

/* break-before/-after/-inside and the page-break-* aliases, normalised:
 * 'always' is OC_BREAK_PAGE, 'avoid-page' is OC_BREAK_AVOID; column and
 * region breaks are OC_BREAK_AUTO. break-inside is only AUTO or AVOID. */
typedef enum oc_break {
    OC_BREAK_AUTO,
    OC_BREAK_AVOID,
    OC_BREAK_PAGE,
    OC_BREAK_LEFT,
    OC_BREAK_RIGHT,
    OC_BREAK_RECTO,
    OC_BREAK_VERSO
} oc_break;

/* float. The PDF engine sets no text beside a float: 'left', 'right' and
 * the logical sides are SIDE, laid out in place as NONE is; TOP
 * ('top-if-necessary') is a page float, left where it stands when it
 * fits there and otherwise moved to the top of the next page while the
 * text goes on. */
typedef enum oc_float {
    OC_FLOAT_NONE,
    OC_FLOAT_SIDE,
    OC_FLOAT_TOP
} oc_float;

/* 'flex', 'grid' and 'flow-root' compute to BLOCK, 'inline-flex' and
 * 'inline-grid' to INLINE_BLOCK: the PDF engine lays them out as such. */
typedef enum oc_display {
    OC_DISPLAY_INLINE,
    OC_DISPLAY_BLOCK,
    OC_DISPLAY_NONE,
    OC_DISPLAY_LIST_ITEM,
    OC_DISPLAY_INLINE_BLOCK,
    OC_DISPLAY_TABLE,
    OC_DISPLAY_INLINE_TABLE,
    OC_DISPLAY_TABLE_CAPTION,
    OC_DISPLAY_TABLE_HEADER_GROUP,
    OC_DISPLAY_TABLE_ROW_GROUP,
    OC_DISPLAY_TABLE_FOOTER_GROUP,
    OC_DISPLAY_TABLE_ROW,
    OC_DISPLAY_TABLE_CELL,
    OC_DISPLAY_TABLE_COLUMN_GROUP,
    OC_DISPLAY_TABLE_COLUMN
} oc_display;

typedef enum oc_vertical_align {
    OC_VALIGN_BASELINE,
    OC_VALIGN_SUPER,
    OC_VALIGN_SUB,
    OC_VALIGN_TOP,
    OC_VALIGN_MIDDLE,
    OC_VALIGN_BOTTOM,
    OC_VALIGN_TEXT_TOP,
    OC_VALIGN_TEXT_BOTTOM
} oc_vertical_align;

typedef enum oc_text_transform {
    OC_TRANSFORM_NONE,
    OC_TRANSFORM_UPPERCASE,
    OC_TRANSFORM_LOWERCASE,
    OC_TRANSFORM_CAPITALIZE
} oc_text_transform;

typedef enum oc_direction {
    OC_DIR_LTR,
    OC_DIR_RTL
} oc_direction;

/* font-variant-numeric flags (CSS Fonts 4 §6.7); 0 is normal. Each
 * turns on an OpenType feature: lnum, onum, pnum, tnum, frac, afrc,
 * ordn, zero. */
#define OC_NUMERIC_LINING           (1u << 0)
#define OC_NUMERIC_OLDSTYLE         (1u << 1)
#define OC_NUMERIC_PROPORTIONAL     (1u << 2)
#define OC_NUMERIC_TABULAR          (1u << 3)
#define OC_NUMERIC_DIAGONAL_FRAC    (1u << 4)
#define OC_NUMERIC_STACKED_FRAC     (1u << 5)
#define OC_NUMERIC_ORDINAL          (1u << 6)
#define OC_NUMERIC_SLASHED_ZERO     (1u << 7)

/* text-decoration flags. */
#define OC_DECORATION_UNDERLINE     (1u << 0)
#define OC_DECORATION_OVERLINE      (1u << 1)
#define OC_DECORATION_LINE_THROUGH  (1u << 2)

/* Generated text, as a list of pieces: the 'content' of a page-margin box,
 * or the value of a named string (string-set). */
typedef enum oc_piece_kind {
    OC_PIECE_TEXT,      /* the literal 'text' */
    OC_PIECE_PAGE,      /* counter(page[, style]): the page number */
    OC_PIECE_PAGES,     /* counter(pages[, style]): the number of pages */
    OC_PIECE_STRING,    /* string(name[, which]): named string 'text' */
    OC_PIECE_CONTENT,   /* content() or content(text): the text of the
                           element that sets the string (string-set only) */
    OC_PIECE_ATTR       /* attr(name): attribute 'text' of that element
                           (string-set only) */
} oc_piece_kind;

/* Which assignment of a named string a page shows (CSS GCPM 3 §1.2). */
typedef enum oc_string_which {
    OC_STRING_FIRST,        /* the first set on the page (the default) */
    OC_STRING_START,        /* the one in effect when the page starts */
    OC_STRING_LAST,         /* the last set on the page */
    OC_STRING_FIRST_EXCEPT  /* FIRST, but nothing on the page that sets it */
} oc_string_which;

typedef struct oc_piece {
    oc_piece_kind   kind;
    const char     *text;           /* TEXT, STRING, ATTR; else NULL */
    oc_list_style   counter_style;  /* PAGE, PAGES: default DECIMAL */
    oc_string_which which;          /* STRING */
} oc_piece;

typedef struct oc_content {
    const oc_piece *pieces;
    size_t          npieces;        /* 0: nothing (none/normal) */
} oc_content;

/* One assignment of string-set: named string 'name' gets 'value'. */
typedef struct oc_string_set {
    const char *name;
    oc_content  value;
} oc_string_set;

/* An element's computed style. Values of inherited properties come from
 * the parent unless set; the others start from their initial values. */
typedef struct oc_style {
    /* inherited */
    const char        *font_family;     /* Pango family list: "EB Garamond,
                                           DejaVu Serif, serif" */
    double             font_size;       /* pt; initial 12 (medium) */
    int                font_weight;     /* 1..1000: 400 normal, 700 bold */
    oc_font_style      font_style;
    oc_font_variant    font_variant;
    unsigned           font_variant_numeric; /* OC_NUMERIC_* */
    double             font_size_adjust; /* the x-height the type is
                                           scaled to, as a share of
                                           font_size; 0 for none */
    oc_line_height     line_height;
    oc_color           color;
    oc_color           background_color;    /* transparent: none */
    oc_text_align      text_align;
    oc_length          text_indent;     /* PT or PERCENT */
    oc_hyphens         hyphens;
    oc_white_space     white_space;
    oc_list_style      list_style_type;
    oc_list_position   list_style_position;
    oc_text_transform  text_transform;
    double             letter_spacing;  /* pt; 0 for normal */
    double             word_spacing;    /* pt, extra; 0 for normal */
    oc_direction       direction;
    int                widows, orphans; /* lines, >= 1 */
    double             root_font_size;  /* the root element's, for rem */
    /* not inherited */
    oc_display         display;
    oc_length          margin[4];       /* by oc_side: PT, PERCENT, AUTO */
    oc_length          padding[4];      /* by oc_side: PT or PERCENT */
    oc_length          width, height;   /* PT, PERCENT or AUTO (initial);
                                           a percentage of height is
                                           AUTO in use (the containing
                                           block has no set height) */
    oc_length          max_width;       /* AUTO for none (initial) */
    oc_break           break_before, break_after, break_inside;
    oc_float           page_float;      /* float */
    oc_vertical_align  vertical_align;
    unsigned           text_decoration; /* OC_DECORATION_*: the element's
                                           own plus those propagated from
                                           its ancestors */
    const oc_string_set *string_set;    /* string-set, in order */
    size_t             nstring_set;
} oc_style;

/* A new stylesheet collection in arena 'a', holding octavo's user-agent
 * stylesheet (HTML's defaults: block elements, italic em/i/cite, bold
 * strong/b/th/headings, heading sizes, pre, monospace code, list styles,
 * sup/sub, del/s line-through, smaller footnotes, nothing shown for
 * head/script/style/title, tabular figures in tables, and a default page:
 * A5, margins 54pt 45pt 63pt 54pt, mirrored on left pages). Freed with
 * the arena. */
oc_css *oc_css_new(oc_arena *a);

/* Parse 'len' bytes of CSS text (UTF-8; a byte-order mark is skipped) and
 * append its rules to the collection, after those of earlier sheets, so
 * that a later sheet wins ties. 'file' names the text in warnings (it is
 * copied). Problems in the text are warnings (oc_warn with file:line:col)
 * and the rule or declaration concerned is dropped, as browsers do: a
 * property outside the supported subset is reported once per collection.
 * @media blocks apply when a query's media type is print or all (a query
 * with media features is false); @font-face, @charset and @keyframes are
 * ignored silently, @import and other at-rules with a warning. The
 * namespace prefixes 'epub' (the EPUB 3 OPS namespace) and 'xml' are
 * predeclared; @namespace adds others. Returns OC_OK; 'err' is for
 * symmetry with oc_css_parse_file and is left untouched. */
oc_status oc_css_parse(oc_css *css, const char *text, size_t len,
                       const char *file, oc_error *err);

/* Read the stylesheet at 'path' and parse it as oc_css_parse does. An
 * unreadable file is OC_ERR_IO in 'err', naming 'path'. */
oc_status oc_css_parse_file(oc_css *css, const char *path, oc_error *err);

/* The computed style of element 'el', given its parent element's computed
 * style 'parent' (NULL when 'el' is the root, or to inherit from initial
 * values). Rules of every sheet and el's style attribute (highest author
 * specificity; problems in it are warnings naming the document and el's
 * line) are cascaded. The result is borrowed from the collection (lives as
 * long as the arena) and may be shared by elements with the same parent
 * style and matching rules. 'parent' need not come from this function;
 * it is not kept. A node that is not an element gets 'parent' back (the
 * initial style when 'parent' is NULL). Never NULL. */
const oc_style *oc_css_compute(oc_css *css, xmlNodePtr el,
                               const oc_style *parent);

/* Line pitch in points: NORMAL is 1.2 times the font size. */
double oc_css_line_height(const oc_style *s);

/* A length in points, percentages taken of 'width' (the containing
 * block's width); AUTO is 0. */
double oc_css_length(oc_length l, double width);

/* The text of 'c' for element 'el' (content() and attr() are read from
 * it; page counters and named strings, which need a page, give ""), in
 * arena 'a'. For string-set values. */
char *oc_css_content_text(oc_arena *a, const oc_content *c, xmlNodePtr el);

/* oc_css_content_text, but content() is 'text' when it is not NULL (a
 * running head given apart from the element's text). */
char *oc_css_content_text_as(oc_arena *a, const oc_content *c,
                             xmlNodePtr el, const char *text);

/* Write 'n' as counter style 's' ("xiv", "N", "•"...; decimal when the
 * style cannot show n, e.g. roman numerals outside 1..3999) into buf
 * (always NUL-terminated when size > 0). Returns the length it needs,
 * as snprintf does. */
size_t oc_css_counter_format(int n, oc_list_style s, char *buf, size_t size);

/* Page kinds, for oc_css_page; combine with |. A page is LEFT (verso) or
 * RIGHT (recto); with neither it is taken as RIGHT. */
#define OC_PAGE_FIRST   (1u << 0)   /* the document's first page */
#define OC_PAGE_LEFT    (1u << 1)
#define OC_PAGE_RIGHT   (1u << 2)
#define OC_PAGE_BLANK   (1u << 3)   /* left blank by a forced break */

/* Page-margin boxes (CSS Paged Media 3 §5.3), clockwise from the top
 * left corner. */
typedef enum oc_margin_box_kind {
    OC_MBOX_TOP_LEFT_CORNER,
    OC_MBOX_TOP_LEFT,
    OC_MBOX_TOP_CENTER,
    OC_MBOX_TOP_RIGHT,
    OC_MBOX_TOP_RIGHT_CORNER,
    OC_MBOX_RIGHT_TOP,
    OC_MBOX_RIGHT_MIDDLE,
    OC_MBOX_RIGHT_BOTTOM,
    OC_MBOX_BOTTOM_RIGHT_CORNER,
    OC_MBOX_BOTTOM_RIGHT,
    OC_MBOX_BOTTOM_CENTER,
    OC_MBOX_BOTTOM_LEFT,
    OC_MBOX_BOTTOM_LEFT_CORNER,
    OC_MBOX_LEFT_BOTTOM,
    OC_MBOX_LEFT_MIDDLE,
    OC_MBOX_LEFT_TOP,
    OC_MBOX_COUNT
} oc_margin_box_kind;

typedef struct oc_margin_box {
    oc_content      content;    /* npieces == 0: the box is not shown */
    const oc_style *style;      /* fonts, colour, text-align (default by
                                   position: *-left left, *-center and
                                   *-middle center, *-right right);
                                   inherits from the page context */
} oc_margin_box;

/* Where a rule of a stylesheet is: its file (NULL: unknown) and line. */
typedef struct oc_css_where {
    const char *file;
    int         line;
} oc_css_where;

/* The largest page, in points, either way: 200 in, what PDF readers can
 * show (ISO 32000-1 annex C). */
#define OC_MAX_PAGE 14400.0

/* The page box for one kind of page. */
typedef struct oc_page_style {
    double          width, height;  /* pt, after landscape/portrait */
    double          margin[4];      /* pt, by oc_side: margin-inside and
                                       margin-outside already mirrored;
                                       shrunk in proportion where two
                                       facing ones would leave less than a
                                       quarter of the page */
    double          asked[4];       /* the margins as the rules give them */
    bool            shrunk;         /* margin[] is not asked[] */
    bool            negative;       /* a margin under 0 is taken as 0 */
    bool            too_large;      /* the size was cut to OC_MAX_PAGE */
    oc_css_where    shrunk_at;      /* the @page rules that gave what was
                                       changed: the largest margin
                                       shrunk, */
    oc_css_where    negative_at;    /* a margin under 0; where the size
                                       is given */
    oc_css_where    size_at;
    const oc_style *context;        /* the page context's style: @page
                                       font properties, for the boxes */
    oc_margin_box   boxes[OC_MBOX_COUNT];
} oc_page_style;

/* The @page rules that apply to a page of kind 'flags' (OC_PAGE_*),
 * merged by origin, specificity (:first and :blank over :left and :right
 * over plain @page) and order. 'size' accepts A3, A4, A5, A6, B4, B5,
 * JIS-B4, JIS-B5, letter, legal, ledger, one or two lengths, with
 * 'landscape' or 'portrait'. 'margin-inside' is the left margin of a right
 * page and the right margin of a left page; 'margin-outside' the other.
 * Percentages in margins are of the page's width (left, right) or height
 * (top, bottom). The page context inherits from 'root' (the root element's
 * computed style; NULL: initial values). The result is borrowed from the
 * collection; calls with equal arguments return the same pointer. Never
 * NULL. */
/* Where the value of 'property' (a longhand, lower case) that element el
 * computes is given, into *at: the rule whose declaration wins for el or,
 * for an inherited property, for its nearest ancestor that has one. False,
 * leaving *at alone, when no stylesheet's rule gives it (a style
 * attribute, the initial value). */
bool oc_css_origin(oc_css *css, xmlNodePtr el, const char *property,
                   oc_css_where *at);

const oc_page_style *oc_css_page(oc_css *css, unsigned flags,
                                 const oc_style *root);

#endif
