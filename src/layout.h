/* layout.h - lay out a book's XHTML chapters as pages of positioned items.
 *
 * Layout measures and breaks text with Pango but draws nothing: it needs no
 * cairo surface, so it can be run and tested on its own. Its result is a
 * list of pages, each a flat list of items in reading order (text lines,
 * rules, link areas, named destinations) placed in points from the page's
 * top-left corner, and an outline of the book's headings. render.h paints
 * the pages. */
#ifndef OC_LAYOUT_H
#define OC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <pango/pango.h>

#include "arena.h"
#include "book.h"
#include "octavo.h"

/* Page geometry and the base type, in points. */
typedef struct oc_page_setup {
    double      width, height;      /* trimmed page size */
    double      inner, outer;       /* side margins; mirrored on versos */
    double      top, bottom;        /* the bottom margin holds the folio */
    double      font_size;          /* body text */
    double      leading;            /* body line pitch */
    const char *serif;              /* Pango family list for the text */
    const char *mono;               /* Pango family list for code */
    const char *language;           /* BCP 47, when the book names none */
} oc_page_setup;

typedef enum oc_item_kind {
    OC_ITEM_TEXT,   /* one line of text; (x, y) is the left end of its
                       baseline */
    OC_ITEM_RULE,   /* a filled rectangle (x, y, w, h) */
    OC_ITEM_LINK,   /* a clickable area (x, y, w, h) to 'uri' or 'dest' */
    OC_ITEM_DEST    /* the named destination 'dest' at (x, y) */
} oc_item_kind;

typedef struct oc_item {
    oc_item_kind     kind;
    double           x, y, w, h;    /* points; origin at the page's top
                                       left, y grows downwards */
    PangoLayoutLine *line;          /* TEXT: borrowed, owned by the
                                       oc_layout; painted black */
    const char      *uri;           /* LINK: external target, or NULL */
    const char      *dest;          /* LINK: internal target; DEST: name.
                                       Names are unique in the layout and
                                       use only [A-Za-z0-9._-]. */
} oc_item;

typedef struct oc_page {
    int      number;                /* 1-based; odd numbers are rectos */
    bool     recto;
    oc_item *items;                 /* in reading order */
    size_t   nitems;
} oc_page;

typedef struct oc_outline_entry {
    int         level;              /* 1..6, the heading's rank */
    const char *title;              /* plain text */
    const char *dest;               /* a DEST item on page 'page' */
    int         page;               /* 1-based page number */
} oc_outline_entry;

/* The laid-out book. Every pointer in it is owned by the oc_layout and
 * lives until oc_layout_free; the fields are read-only for callers. */
typedef struct oc_layout {
    oc_page_setup     setup;
    oc_page          *pages;
    size_t            npages;
    oc_outline_entry *outline;      /* every heading, in reading order */
    size_t            noutline;
    int               toc_depth;    /* from the manifest, 1..6 */

    /* Internal: the arena holds pages, items and strings; the Pango
     * objects back the items' lines. */
    oc_arena         *arena;
    PangoFontMap     *fontmap;
    PangoContext     *context;
    GPtrArray        *layouts;
} oc_layout;

/* Fill 's' with octavo's default book page: A5, mirrored margins, EB
 * Garamond (DejaVu Serif when it is missing) 11/14.3 pt. */
void oc_layout_default_setup(oc_page_setup *s);

/* Lay out book 'b': a title page, an imprint on its verso, then each
 * chapter from a new page, footnotes at the foot of the page of their
 * first reference, a folio on every page that shows text but the title
 * page. 'setup' is NULL for the default (whose type shrinks to suit DejaVu
 * Serif when EB Garamond is missing). Text is measured with hinting off,
 * so the result does not depend on the device that paints it. Links to
 * targets outside the book are left out with a warning. On OC_OK *out is
 * a new layout that the caller releases with oc_layout_free; otherwise
 * *out is untouched and err says why. */
oc_status oc_layout_book(const oc_book *b, const oc_page_setup *setup,
                         oc_layout **out, oc_error *err);

/* Release a layout and everything it owns. NULL is a no-op. */
void oc_layout_free(oc_layout *l);

#endif
