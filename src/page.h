/* page.h - the contract between layout and paint: what layout hands to
 * the painter (render.h, pdf.c) and nothing else. A page is a flat list
 * of items in reading order (text lines, rules, images, link areas,
 * named destinations), each in its structure element, placed in points
 * from the page's top-left corner; the lines' fonts are loaded and their
 * glyphs shaped, the images decoded. Everything here is read-only for
 * the painter and lives until the layout that made it is freed
 * (layout.h). */
#ifndef OC_PAGE_H
#define OC_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <pango/pango.h>

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

/* An element of the PDF's structure tree (ISO 32000-1 §14.8): a
 * standard structure type that cairo 1.16 accepts (cairo-tag-attributes.c),
 * its parent, and what cairo cannot write, which the mend adds (mend.h).
 * Items name the innermost element they belong to; the painter opens and
 * closes elements as the items it paints move through the tree. */
typedef struct oc_tag oc_tag;
struct oc_tag {
    size_t        seq;              /* one in the book, from 1: a tag is
                                       freed with its chapter's pages, and
                                       another may take its place */
    const char   *type;             /* "Document", "Sect", "P", "H2"... */
    const oc_tag *parent;           /* NULL for the Document */
    const char   *alt;              /* Figure: its alternate description */
    const char   *lang;             /* BCP 47, where it differs from the
                                       parent's */
    const char   *id;               /* Note: its /ID, one in the book
                                       (ISO 14289-1 §7.9), or NULL */
    bool          spans;            /* it holds links: its text goes into
                                       Span children, each link into a Link
                                       child, for an element that holds
                                       children loses its own text in
                                       cairo 1.16 */
};

/* An image of the book, shown by every item that names it. Exactly one
 * of 'raster', 'vector' and 'png' is set. */
typedef struct oc_picture {
    const char      *href;          /* its name in the book */
    double           px_width;      /* natural size in CSS pixels */
    double           px_height;
    cairo_surface_t *raster;        /* a JPEG not carried as it is (turned
                                       by EXIF, CMYK), GIF, WebP: decoded
                                       once */
    RsvgHandle      *vector;        /* SVG, painted as vectors */
    const void      *png;           /* PNG: the file's bytes (the book's),
                                       or NULL to read them from
                                       'png_file' ('png_len' of them);
                                       decoded each time it is painted
                                       and let go after, so that a book's
                                       pictures are never all in memory */
    const char      *png_file;
    size_t           png_len;
    const void      *jpeg;          /* JPEG a PDF carries as it is (file
                                       bytes, the book's, 'jpeg_len' of
                                       them, of 'jpeg_colors' components,
                                       oc_image_jpeg_as_is): decoded only
                                       for a preview */
    size_t           jpeg_len;
    int              jpeg_colors;
    int              dpi;           /* the resolution it is printed at
                                       most: more pixels than that are
                                       scaled down; 0 keeps them all */
    const char      *shown_in;      /* the chapter that first shows it,
                                       and the line, for warnings */
    int              line;
} oc_picture;

typedef struct oc_item {
    oc_item_kind     kind;
    double           x, y, w, h;    /* points; origin at the page's top
                                       left, y grows downwards */
    unsigned         repeat;        /* TEXT: painted this many times
                                       more, each 'pitch' pt to the right
                                       of the one before (to the left
                                       when negative): dot leaders */
    double           pitch;
    const oc_para_line *para;       /* TEXT: the line (paragraph.h's,
                                       whoever broke it: Knuth-Plass for
                                       paragraphs, Pango for the rest);
                                       borrowed, owned by the oc_layout */
    const char      *uri;           /* LINK: external target, or NULL */
    const char      *dest;          /* LINK: internal target; DEST: name.
                                       Names are unique in the layout and
                                       use only [A-Za-z0-9._-]. */
    const oc_picture *picture;      /* IMAGE: borrowed from the oc_layout */
    const oc_tag    *tag;           /* TEXT, IMAGE, LINK: the structure
                                       element it is in; NULL for an
                                       artifact (running heads, folios,
                                       decoration). RULEs are artifacts. */
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
    int         toc_level;          /* its rank in the contents when it
                                       stands for a chapter none of whose
                                       headings is deep enough to be
                                       listed (as the EPUB's nav lists
                                       it); 0: 'level' */
    const char *title;              /* plain text */
    const char *dest;               /* a DEST item on page 'page' */
    int         page;               /* 1-based index in pages */
} oc_outline_entry;

/* The laid-out book as the painter sees it: its page box, its pages in
 * PDF order, how their labels are numbered, and the outline. */
typedef struct oc_pages {
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
} oc_pages;

#endif
