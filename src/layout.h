/* layout.h - lay out a book's XHTML chapters as pages of positioned items.
 *
 * Layout measures and breaks text with Pango but draws nothing: it needs no
 * cairo surface, so it can be run and tested on its own. Its result is a
 * list of pages, each a flat list of items in reading order (text lines,
 * rules, images, link areas, named destinations) placed in points from the
 * page's top-left corner, and an outline of the book's headings. The book
 * is set as a printed book: a title page and an imprint, the contents, then
 * every chapter opening on a recto; front matter is numbered i, ii, ... and
 * the body from 1. Every style, the page box and its running heads and
 * folios come from the book's stylesheets through the CSS cascade (css.h;
 * README.md lists what is honoured). render.h paints the pages. */
#ifndef OC_LAYOUT_H
#define OC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <pango/pango.h>

#include "arena.h"
#include "book.h"
#include "octavo.h"
#include "paragraph.h"

/* Page geometry and the base type, in points, as the stylesheets set
 * them: the page box of a right page (@page, @page :right) and the type
 * of a chapter's paragraph. */
typedef struct oc_page_setup {
    double      width, height;      /* trimmed page size: every page's */
    double      inner, outer;       /* side margins of a recto */
    double      top, bottom;        /* the bottom margin holds the folio */
    double      font_size;          /* body text */
    double      leading;            /* body line pitch */
    const char *serif;              /* Pango family list for the text */
    const char *mono;               /* Pango family list for code (pre) */
    const char *language;           /* BCP 47, when the book names none */
    int         max_pages;          /* 0 for OC_LAYOUT_MAX_PAGES */
} oc_page_setup;

/* A book that would need more pages is refused (a runaway input). */
#define OC_LAYOUT_MAX_PAGES 20000

typedef enum oc_item_kind {
    OC_ITEM_TEXT,   /* one line of text; (x, y) is the left end of its
                       baseline */
    OC_ITEM_RULE,   /* a filled rectangle (x, y, w, h) */
    OC_ITEM_LINK,   /* a clickable area (x, y, w, h) to 'uri' or 'dest' */
    OC_ITEM_DEST,   /* the named destination 'dest' at (x, y) */
    OC_ITEM_IMAGE   /* 'picture' scaled to fill (x, y, w, h) */
} oc_item_kind;

/* An image of the book, decoded once and shown by every item that names
 * it. Exactly one of 'raster' and 'vector' is set. */
typedef struct oc_picture {
    const char      *href;          /* its name in the book */
    double           px_width;      /* natural size in CSS pixels */
    double           px_height;
    cairo_surface_t *raster;        /* PNG, JPEG (whose file is attached
                                       as CAIRO_MIME_TYPE_JPEG, so that a
                                       PDF embeds it as it is), GIF, WebP */
    RsvgHandle      *vector;        /* SVG, painted as vectors */
} oc_picture;

typedef struct oc_item {
    oc_item_kind     kind;
    double           x, y, w, h;    /* points; origin at the page's top
                                       left, y grows downwards */
    PangoLayoutLine *line;          /* TEXT: borrowed, owned by the
                                       oc_layout; painted black */
    const oc_para_line *para;       /* TEXT: a line of a paragraph set by
                                       paragraph.h, instead of 'line';
                                       borrowed, owned by the oc_layout */
    const char      *uri;           /* LINK: external target, or NULL */
    const char      *dest;          /* LINK: internal target; DEST: name.
                                       Names are unique in the layout and
                                       use only [A-Za-z0-9._-]. */
    const oc_picture *picture;      /* IMAGE: borrowed from the oc_layout */
} oc_item;

/* A named string (CSS GCPM 3 string-set) that an element on a page sets. */
typedef struct oc_named_string {
    const char *name;
    const char *value;
    bool        at_start;           /* set by what opens the page */
} oc_named_string;

typedef struct oc_page {
    int         number;             /* 1-based index in the document; odd
                                       numbers are rectos */
    bool        recto;
    const char *label;              /* its folio, printed or not, and its
                                       PDF page label: "iii", "12" */
    bool        blank;              /* left empty so that a chapter opens
                                       on a recto (or a forced break on
                                       a verso); it is @page :blank, to
                                       which print.css gives no margin
                                       box: no item at all */
    bool        opening;            /* it opens after a forced break (a
                                       chapter, the contents): @page
                                       :first, which print.css gives no
                                       running head, the folio at the
                                       foot */
    int         chapter;            /* index in the book's chapters, or -1
                                       in the front matter */
    oc_item    *items;              /* in reading order */
    size_t      nitems;
    const oc_named_string *strings; /* string-set on the page, in order */
    size_t      nstrings;
} oc_page;

typedef struct oc_outline_entry {
    int         level;              /* 1..6, the heading's rank */
    const char *title;              /* plain text */
    const char *dest;               /* a DEST item on page 'page' */
    int         page;               /* 1-based index in pages */
} oc_outline_entry;

/* The laid-out book. Every pointer in it is owned by the oc_layout and
 * lives until oc_layout_free; the fields are read-only for callers. */
typedef struct oc_layout {
    oc_page_setup     setup;
    oc_page          *pages;
    size_t            npages;
    size_t            nfront;       /* pages before the body, numbered
                                       from 1 apart from the body's */
    char              front_labels; /* the counter style their folios
                                       are printed in, as a PDF page label
                                       style: 'r' (i, ii...; the default),
                                       'R', 'a', 'A' or 'D' (1, 2...) */
    char              body_labels;  /* the same for the body ('D') */
    oc_outline_entry *outline;      /* the contents page (when there is
                                       one), then every heading, in
                                       reading order */
    size_t            noutline;
    int               toc_depth;    /* from the manifest, 1..6 */

    /* Internal: the arena holds pages, items and strings; the Pango
     * objects back the items' lines, the pictures their images. */
    oc_arena         *arena;
    PangoFontMap     *fontmap;
    PangoContext     *context;      /* left to right */
    PangoContext     *rtl_context;  /* right to left */
    GPtrArray        *layouts;
    GPtrArray        *paras;        /* oc_para *, freed with it */
    oc_hyphen_cache  *dicts;        /* hyphenation patterns */
    oc_para_cache    *words;        /* shaped words */
    GPtrArray        *pictures;     /* oc_picture *, freed with it */
    bool              own_config;   /* the font map has our FcConfig */
} oc_layout;

/* Lay out book 'b': a title page, an imprint on its verso, the contents
 * (headings to the manifest's toc-depth, with dot leaders, folios and
 * links) from the next recto, then the chapters, which break to new pages
 * as their CSS says (print.css: each on a recto, a verso left blank when
 * needed). Styles come from the cascade of octavo's user-agent rules,
 * DATA_DIR/styles/print.css (b->data_dir; skipped when missing) and the
 * book's stylesheets b->styles[] in order; the stylesheets' problems are
 * warned about (oc_warn) as they are parsed. Footnotes go to the foot of
 * the page of their first reference. Each page's @page margin boxes are
 * drawn (running heads and folios: print.css puts the book title over
 * versos, the chapter's over rectos, the folio at the outer corner, and
 * on each chapter's first page, matched as :first, only a folio at the
 * foot); the title page and the imprint show none. counter(page) counts
 * the front matter and the body apart, and in the front matter its
 * decimal style prints lower-case roman numerals. The manifest's fonts are
 * available to Pango by their family names. Images are decoded once (an
 * image that cannot be decoded is replaced by its alt text, with a
 * warning). 'setup' may be NULL; only its max_pages is read. Text is
 * measured with hinting off, so the result does not depend on the device
 * that paints it. Links to targets outside the book are left out with a
 * warning. A book that needs more than max_pages pages is OC_ERR_INVALID,
 * naming the manifest. On OC_OK *out is a new layout that the caller
 * releases with oc_layout_free; otherwise *out is untouched and err says
 * why. */
oc_status oc_layout_book(const oc_book *b, const oc_page_setup *setup,
                         oc_layout **out, oc_error *err);

/* Called with each page once it is final, from inside oc_layout_book_to:
 * the body's pages in order, then the front matter's. A body page's
 * 'number' counts from the body's first page (its side, 'recto', is
 * already right); oc_layout's pages are numbered through. 'l' has its
 * setup (the page size). The page and what it points to stay as they
 * are until oc_layout_free. Then, on every path (a failed layout too),
 * one last call with 'page' NULL: no page follows, and whoever reads the
 * pages given must be done with them when it returns, for a failed
 * layout is freed next. The font lock (fontlock.h) is held during the
 * calls with a page and not during the last. */
typedef void (*oc_page_sink)(const oc_layout *l, const oc_page *page,
                             void *data);

/* oc_layout_book, giving 'sink' each page as soon as it is final, while
 * the rest of the book is laid out (or all at the end, when a margin box
 * counts the pages). Links to a destination that no page holds are left
 * out, except where the page was given before that was known: those
 * land on the contents page. */
oc_status oc_layout_book_to(const oc_book *b, const oc_page_setup *setup,
                            oc_page_sink sink, void *data, oc_layout **out,
                            oc_error *err);

/* Release a layout and everything it owns. NULL is a no-op. */
void oc_layout_free(oc_layout *l);

#endif
