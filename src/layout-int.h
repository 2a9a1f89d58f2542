/* layout-int.h - what the files of the PDF layout share, and nothing
 * outside them includes: the vertical list (items, rows, pages), the
 * layout's state (lay: one book's layout; flow: where the block flow goes
 * next), a block's computed style (bstyle), a paragraph's inline content
 * (inl), and the functions one layout file calls in another, named lay_*.
 *
 * The files, in the order a book goes through them:
 *   layout.c           entry point, setup from the cascade, the DOM and
 *                      styles, destinations and links
 *   layout-flow.c      the block flow: headings, lists, pre, notes
 *   layout-inline.c    a paragraph's inline content → text + attributes
 *   layout-para.c      paragraphs set by total fit → rows
 *   layout-image.c     images: decoded once, sized, set as rows
 *   layout-table.c     tables → rows
 *   layout-rows.c      the vertical list: Pango lines, rows, pending state
 *   layout-paginate.c  rows → pages, with footnotes and table heads
 *   layout-front.c     title page, imprint, contents
 *   layout-margins.c   running heads, folios, links; pages assembled */
#ifndef OC_LAYOUT_INT_H
#define OC_LAYOUT_INT_H

#include "layout.h"

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>
#include <pango/pangocairo.h>

#include "arena.h"
#include "css.h"
#include "labels.h"

/* The laid-out book. Every pointer in it is owned by the oc_layout and
 * lives until oc_layout_free, or, for what a chapter's pool holds, until
 * the pages that show it are painted (lay_release_pools). */
struct oc_layout {
    oc_pages          pub;          /* what the painter reads (page.h) */

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
    struct pagestart *starts;       /* per body page: where in the DOM it
                                       starts (layout-marks.c) */
    GPtrArray        *pools;        /* lay_pool *: the chapters' not
                                       released yet, in order */
    size_t            nstarts, capstarts;
    bool              own_config;   /* the font map has our FcConfig */
};

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define OPS_NS   "http://www.idpf.org/2007/ops"
#define XML_NS   "http://www.w3.org/XML/1998/namespace"

#define ORPHANS 2               /* lines of a footnote kept with its
                                   reference */
#define PU(x)   ((int)lround((x) * PANGO_SCALE))    /* points → Pango */
#define PT(x)   ((double)(x) / PANGO_SCALE)         /* Pango → points */
#define EPS     0.01

/* May a page break come before a row: yes, no, it must, it must and the
 * row opens a recto, or a verso. */
enum { BRK_OK, BRK_KEEP, BRK_PAGE, BRK_RECTO, BRK_VERSO };

/* The elements of the front matter whose styles set it (front_doc()). */
enum {
    FM_HTML, FM_TITLE, FM_SUBTITLE, FM_AUTHOR, FM_CONTRIBUTOR, FM_PUBLISHER,
    FM_COLOPHON,
    FM_TOC_TITLE, FM_TOC_ENTRY, FM_P, FM_PRE, FM_COUNT
};

/* What laying out one chapter allocates and nothing outside its pages
 * points to: its rows and their items, the items of the pages that show
 * them, its paragraphs and Pango layouts. The book-wide state (pages,
 * folios, the structure tree, destinations, the outline, notes' records,
 * named strings) is in the oc_layout's own arena. When the painter says
 * how far it has got, a chapter's pool is freed once every page that
 * holds any of it is painted, so that memory does not grow with the
 * book. */
typedef struct lay_pool {
    oc_arena  *arena;
    GPtrArray *paras;               /* oc_para *, freed with it */
    GPtrArray *layouts;             /* PangoLayout *, freed with it */
    oc_arena  *tags;                /* the chapter's structure elements,
                                       which its later rows name too: held
                                       by its last pool, NULL in the others
                                       (lay_open_section) */
    size_t     serial;              /* pools count from 1, in order */
    size_t     chap;
    bool       done;                /* no row of it is left to paginate */
    size_t     last_page;           /* then: the body pages given so far,
                                       the last of which may show it */
} lay_pool;

typedef struct itemvec {
    oc_item *v;
    size_t   n, cap;
} itemvec;

/* One unbreakable strip of the vertical list. Its items are placed
 * relative to the text block's left edge and the row's top. */
typedef struct row {
    double   space;             /* above it; dropped at the top of a page */
    double   height;
    double   baseline;          /* of its first text line; 0 if none */
    int      brk;
    int      outline;           /* the heading it starts, or -1 */
    int      chap;              /* the chapter it belongs to, or -1 */
    size_t   pool;              /* the serial of the pool that holds it */
    int      brk_free;          /* its break but for what keeps its block
                                   together: a page float too tall for a
                                   page goes on in the text, and breaks */
    size_t   head, nhead;       /* a table's head rows, repeated at the
                                   top of a page that this row opens */
    size_t   nfloat;            /* on a page float's first row: its rows,
                                   which move together, */
    double   fbefore, fafter;   /* and the spaces pending before it and
                                   after it (its margins' share) */
    bool     floating;          /* it is one of a page float's rows */
    itemvec  items;
    size_t  *notes;             /* footnotes first referenced here */
    size_t   nnotes, capnotes;
    oc_named_string *strings;   /* string-set by the elements it opens */
    size_t   nstrings;
    struct pararec *para;       /* the paragraph it is line 'pline' of */
    int      pline;
    xmlNodePtr src;             /* the block element it comes from */
    oc_tag  *tag;               /* the structure element of its items
                                   that name none; NULL: artifacts */
    const struct srcmark *srcs; /* a line set by Pango (not a paragraph's):
                                   where its block's text came from, */
    size_t   nsrcs, at;         /* and the line's first byte in it */
} row;

typedef struct rowvec {
    row   *v;
    size_t n, cap;
} rowvec;

typedef struct pagevec {
    oc_page *v;
    size_t   n, cap;
} pagevec;

typedef struct fnote {
    rowvec rows;
    double height;              /* rows plus the spaces between them */
    bool   attached;            /* its first reference has a row */
    size_t chap;                /* its chapter */
    size_t pool;                /* the serial of the pool holding its rows */
} fnote;

/* The state of one layout, grouped by the phase that makes it. The
 * phases run in order: setup (the page, the cascade, the fonts: 'style'
 * and 'font'), the index (index_book: 'index'), the flow of the
 * chapters into rows (the fields at the end), pagination and the hand-over
 * of final pages ('paging', 'out'), then the front matter ('fmt'); the
 * links between them ('links') are made as both ends are met. */
typedef struct lay {
    oc_layout           *L;
    const oc_book       *b;
    const oc_page_setup *s;
    double               width, height;     /* the text block */

    struct {                    /* setup: the cascade */
        oc_css          *css;       /* every stylesheet's rules */
        GHashTable      *styles;    /* element → its const oc_style * */
        const oc_style  *root;      /* the pages inherit from it */
        oc_list_style    folios[2]; /* of the front matter, the body */
    } style;
    struct {                    /* setup: the fonts' measures */
        double           serif_asc, serif_desc;     /* per point of size */
        double           mono_asc, mono_desc;
        GHashTable      *families;  /* CSS font-family → Pango family */
        GHashTable      *aspects;   /* Pango family → its first font's
                                       x-height per point (double *) */
        PangoLayoutLine *wrap_mark; /* code's continuation mark */
        double           wrap_size, wrap_width;
        GHashTable      *markers;   /* font, language, direction and text
                                       of a list marker → its marker * */
    } font;
    struct {                    /* index_book: the book's ids and notes */
        GHashTable     **ids;       /* per chapter: id → xmlNodePtr */
        GHashTable     **labels;    /* per chapter: footnote id → label */
        GHashTable      *note_of;   /* footnote element → index + 1 */
    } index;
    struct {                    /* flow and front matter: link ends */
        GHashTable      *dests;     /* names of the DEST items made */
        GPtrArray       *pending;   /* destinations linked to before they
                                       could be made */
    } links;
    struct {                    /* pagination */
        pagevec          front, pages;  /* front matter; the body */
        size_t           npages;        /* made so far, both together */
        size_t           max_pages;
        bool             too_many;      /* max_pages was reached */
        GHashTable      *cur;       /* string-set values, to that page */
        size_t           done;      /* body pages final so far */
        size_t           released;  /* body pages whose items are freed */
        lay_pool        *pool;      /* the chapter being laid out's, or
                                       NULL: the oc_layout's arena */
        int              prev_chap; /* of the last row dropped from body */
        size_t           dropped;   /* rows dropped from body so far */
        size_t           progress;  /* body rows made (with those dropped)
                                       at the last lay_flow_progress */
        struct cut      *held;      /* a pagination stopped with something
                                       carried over to the next page, to
                                       go on from (lay_paginate); while
                                       it is, no row or pool goes */
        size_t           freed;     /* pools freed: serials below this */
        size_t           serial;    /* the last pool's serial */
        size_t           from;      /* the first body row not paginated */
        bool             stream;    /* pages are paginated and handed over
                                       as chapters (and sections) end */
        size_t           outline0;  /* the chapter's first outline entry */
    } paging;
    struct {                    /* the hand-over of final pages */
        oc_page_sink     sink;      /* given each page once it is final */
        oc_page_count    painted;   /* how many of them are painted */
        bool             sink_ended; /* and then NULL, once */
        void            *sink_data;
    } out;
    struct {                    /* the front matter */
        xmlDocPtr        front_doc; /* as elements */
        xmlNodePtr       fm[FM_COUNT];
    } fmt;

    /* The flow: what it makes of the chapters. */
    rowvec               body;
    fnote              **notes;
    size_t               nnotes, capnotes;
    oc_outline_entry    *outline;
    size_t               noutline, capoutline;
    GHashTable          *pictures;      /* href → oc_picture *, or to
                                           &no_picture when it failed */
    GHashTable          *low_ppi;       /* the oc_picture * warned of as
                                           printed under 150 ppi */
    char                *svg_css;       /* the book's own stylesheets, for
                                           its inline SVGs (once asked) */
    double               type_scale;    /* 1; less while a table too wide
                                           for its minimums is set */
    oc_tag              *doc;       /* the structure tree's Document */
    oc_tag              *sect;      /* the chapter being flowed's Sect */
    size_t               ntags;     /* structure elements made so far */
} lay;

/* The computed style of a block; copied and changed on the way down. */
typedef struct bstyle {
    const char    *family;
    double         size, leading;
    PangoStyle     slant;
    PangoWeight    weight;
    double         left, right;     /* margins inside the text block */
    PangoAlignment align;
    bool           justify;
    double         indent;          /* first-line indent after a paragraph */
    const char    *lang;
    bool           rtl;             /* right-to-left base direction */
    /* and from the cascade: */
    const oc_style *cs;             /* the element's computed style */
    PangoVariant   variant;         /* small capitals */
    oc_hyphens     hyphens;         /* CSS hyphens: none, manual, auto */
    int            widows, orphans; /* lines a break leaves after and
                                       before it */
} bstyle;

/* Where the flow of blocks goes, and what is pending for the next row. */
typedef struct flow {
    lay         *g;
    size_t       chap;
    rowvec      *out;
    bool         fresh;             /* next row opens a page: no space */
    double       space;
    int          brk;
    bool         indent;            /* next paragraph is indented */
    const char  *marker;            /* list marker for the next row */
    double       marker_right;      /* where it ends (right to left: where
                                       it starts) */
    bool         marker_rtl;
    const bstyle *marker_style;
    const char  *prefix;            /* text that opens the next paragraph */
    bool         prefix_sup;        /* set as a superscript (a note's
                                       number), a space after it */
    int          keep;              /* inside a block kept on one page */
    bool         floating;          /* inside a page float (float: */
    size_t       float_start;       /* top-if-necessary), from this row */
    bool         keep_first;        /* the next row opens that block */
    const char **dests;
    size_t       ndests, capdests;
    int          outline;
    double       neg;               /* the most negative margin pending */
    double       fixed;             /* padding (and margins it settled)
                                       pending: it does not collapse */
    oc_named_string *strings;       /* string-set for the next row */
    size_t       nstrings, capstrings;
    const bstyle *para;             /* the block whose inline content is
                                       being collected */
    long         item_value;        /* the next list item's number */
    xmlNodePtr   src;               /* the block element being flowed */
    oc_tag      *tag;               /* the structure element it is in */
    oc_tag      *marker_tag;        /* the list marker's (Lbl) */
} flow;

/* A paragraph's text and inline markup while it is being collected. */
typedef struct linkspan {
    size_t      start, end;
    const char *uri, *dest;
} linkspan;

typedef struct ref {
    size_t     at;
    xmlNodePtr note;
} ref;

typedef struct anchor {
    size_t      at;
    const char *dest;
} anchor;

typedef struct object {             /* an inline image, as U+FFFC */
    size_t            at;
    const oc_picture *pic;
    double            w, h, desc;   /* desc: how far below the baseline */
} object;

/* Where a text node's content went in a paragraph's text: from byte 'at',
 * its white space collapsed, leading space dropped when 'ws' (the text
 * before it ended in collapsible space). */
typedef struct srcmark {
    size_t     at;
    xmlNodePtr node;
    bool       ws;
    bool       pre;                 /* white space kept as it is */
} srcmark;

/* Where a page of the body starts in the chapters' DOM: in text node
 * 'node' at byte 'offset', or at the start of element 'node' (offset
 * SIZE_MAX); node NULL when the page starts no body row (blank, or only
 * notes carried over). */
typedef struct pagestart {
    xmlNodePtr node;
    size_t     offset;
} pagestart;

typedef struct inl {
    GString   *text;
    GPtrArray *attrs;               /* PangoAttribute *, outer first */
    GArray    *links, *refs, *anchors, *objects;
    GArray    *srcs;                /* srcmark, in order */
    bool       pre;
    bool       br;                  /* has a forced line break */
    bool       ws;                  /* ends in collapsible space, or empty */
    int        quotes;              /* q elements open */
    double     size;                /* the paragraph's font size */
    double     width;               /* and its measure */
    bool       based;               /* the block's own attributes are in */
} inl;

/* One laid-out line of a PangoLayout, measured for a row. */
typedef struct lineinfo {
    PangoLayoutLine *line;
    double           x;             /* left of its logical box */
    double           asc, desc;     /* of its row, leading included */
    int              start, len;    /* bytes of the layout's text */
} lineinfo;

/* ---- the DOM (the smallest helpers, inline) ---- */

static inline bool
is_html(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE &&
           (n->ns == NULL || xmlStrEqual(n->ns->href, BAD_CAST XHTML_NS));
}

static inline bool
is(xmlNodePtr n, const char *name)
{
    return is_html(n) && xmlStrEqual(n->name, BAD_CAST name);
}

/* An <svg> element in the text: an image. */
static inline bool
lay_is_svg(xmlNodePtr n)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
           xmlStrEqual(n->ns->href, BAD_CAST "http://www.w3.org/2000/svg") &&
           xmlStrEqual(n->name, BAD_CAST "svg");
}

static inline int
heading_level(xmlNodePtr n)
{
    if (is_html(n) && n->name[0] == 'h' && n->name[1] >= '1' &&
        n->name[1] <= '6' && n->name[2] == '\0')
        return n->name[1] - '0';
    return 0;
}

/* ---- shared between the layout files ---- */

/* layout.c */
const char *lay_attr(lay *g, xmlNodePtr n, const char *name, const char *ns);
bool lay_is_a(lay *g, xmlNodePtr n, const char *what);
const oc_style *lay_style_of(lay *g, xmlNodePtr n);
bool lay_is_skipped(lay *g, xmlNodePtr n);
bool lay_is_block(lay *g, xmlNodePtr n);
const char *lay_pango_family(lay *g, const char *list);
double lay_used_size(lay *g, const oc_style *cs);
void lay_numeric_features(unsigned on, unsigned was, char *buf, size_t size);
PangoStyle lay_pango_slant(const oc_style *cs);
PangoVariant lay_pango_variant(const oc_style *cs);
void lay_set_type(lay *g, bstyle *st, const oc_style *cs);
bstyle lay_block_style(lay *g, const bstyle *parent, xmlNodePtr n);
xmlNodePtr lay_body_of(xmlDocPtr doc);
/* Chapter 'chap''s document, read again if it was packed (book.h), its
 * elements then put in the ids table; NULL if it has none. */
xmlDocPtr lay_open_chapter(lay *g, size_t chap);
void lay_plain_text(lay *g, xmlNodePtr n, GString *out);
const char *lay_dest_name(lay *g, size_t chap, const char *id);
void lay_pend_dest(flow *f, const char *name);
void lay_add_dest(lay *g, itemvec *items, const char *name, double x,
                  double y);
char *lay_unescape(lay *g, const char *s, size_t len);
bool lay_resolve_href(lay *g, size_t chap, xmlNodePtr a, const char *href,
                      const char **uri, const char **dest);
bool lay_is_footnote(flow *f, xmlNodePtr n);

oc_arena *lay_arena(lay *g);
void lay_own_layout(lay *g, PangoLayout *pl);
void lay_own_para(lay *g, oc_para *p);
void lay_open_pool(lay *g, size_t chap);
/* A block that opens a page inside a chapter (a chapter of a file that
 * holds many, which print.css starts on a recto) opens a section: what
 * is laid out from it on goes into a new pool of the chapter, and once
 * the block is laid out (lay_close_section) the pages before it are
 * final, handed over, and their pool freed when painted, as a chapter's
 * are: the memory of a book written as one file does not grow with it.
 * Returns false, having done nothing, before the chapter has a row and
 * a heading, or when pages are not handed over as they are made. */
bool lay_open_section(flow *f);
/* Does block 'cs', flowed next, open a page (a forced break before it)? */
bool lay_opens_page(const flow *f, const oc_style *cs);
void lay_close_section(lay *g);
/* After a block: paginate what waits if it is long (layout.c). */
void lay_flow_progress(flow *f);
void lay_release_pools(lay *g, size_t *from);

/* layout-rows.c */
oc_item *lay_push_item(oc_arena *a, itemvec *v);
row *lay_push_row(lay *g, rowvec *v);
void lay_row_add_note(oc_arena *a, row *r, size_t ni);
PangoFontDescription *lay_font_of(const bstyle *st);
PangoLayout *lay_new_layout(lay *g, const bstyle *st, double width);
PangoLayout *lay_text_layout(lay *g, const bstyle *st, const char *text,
                             double width);
void lay_line_box(lay *g, const bstyle *st, double asc, double desc,
                  double *row_asc, double *row_desc);
GArray *lay_measure_lines(lay *g, PangoLayout *pl, const bstyle *st);
void lay_add_text_item(lay *g, itemvec *items, PangoLayoutLine *line, double x,
                       double y);
void lay_add_rule(lay *g, itemvec *items, double x, double y, double w,
                  double h);
void lay_add_link(lay *g, row *r, const linkspan *sp, double x, double y,
                  double w, double h, double size);
extern oc_tag lay_artifact;     /* names an item of a row that is no
                                   content: placed, it has no tag */
oc_tag *lay_new_tag(lay *g, const oc_tag *parent, const char *type,
                    const char *lang);
void lay_tag_items(itemvec *v, size_t from, oc_tag *t);
oc_tag *lay_figure_tag(flow *f, xmlNodePtr img);
size_t lay_add_row(flow *f, double height, double baseline);
void lay_want_space(flow *f, double space);
void lay_want_brk(flow *f, int brk);
void lay_flush_dests(flow *f);
void lay_pend_string_set(flow *f, const oc_style *cs, xmlNodePtr n,
                         const char *text);
void lay_pend_strings(flow *f, xmlNodePtr n);
void lay_block_open(flow *f, const oc_style *cs, double cb);
void lay_block_close(flow *f, const oc_style *cs, double cb);
double lay_note_gap(lay *g);
void lay_attach_note(lay *g, rowvec *out, size_t ri, size_t ni);
void lay_add_image(lay *g, itemvec *items, const oc_picture *pic, double x,
                   double y, double w, double h);
void lay_line_extras(flow *f, size_t ri, PangoLayout *pl, const inl *in,
                     const lineinfo *li, bool last, double x0, double top,
                     double size);
PangoLayoutLine *lay_wrap_mark(lay *g, const bstyle *st, double *width);
void lay_emit_lines(flow *f, PangoLayout *pl, const inl *in, const bstyle *st,
                    bool keep);

/* layout-image.c */
const oc_picture *lay_picture_of(flow *f, xmlNodePtr n, xmlNodePtr *img);
/* Whether image element 'img' is given a size (CSS width or height, or
 * its attributes), which it keeps in a line of text too. */
bool lay_picture_sized(lay *g, xmlNodePtr img);
void lay_picture_size(lay *g, const oc_picture *pic, xmlNodePtr img,
                      double maxw, double maxh, double *w, double *h);
xmlNodePtr lay_lone_image(lay *g, xmlNodePtr first, xmlNodePtr stop);
bool lay_flow_image(flow *f, xmlNodePtr n, const bstyle *st);
void lay_check_ppi(flow *f, const oc_picture *pic, xmlNodePtr at, double w,
                   double h);

/* layout-inline.c */
void lay_inl_init(inl *in, bool pre);
void lay_inl_free(inl *in);
/* No line break after the hyphen of a compound in 'text' ("de-escalation")
 * where 'al' sets it: text extractors take a hyphen at a line's end for
 * a hyphenation (the lines of cells and of generated text). */
void lay_keep_compounds(const GString *text, PangoAttrList *al);
PangoAttrList *lay_inl_attrs(inl *in, const char *lang);
void lay_trim_space(inl *in);
void lay_add_generated(inl *in, const char *s);
PangoAttribute *lay_open_attr(inl *in, PangoAttribute *a);
void lay_inline_nodes(flow *f, inl *in, xmlNodePtr n, xmlNodePtr stop);

/* layout-para.c */
/* A paragraph set again by lay_refit_page: its first row and the lines
 * it gained (1 or -1), to be set back; at is SIZE_MAX when none was. */
typedef struct refit {
    size_t at;
    int    delta;
} refit;
bool lay_refit_page(lay *g, rowvec *body, size_t i, size_t end, size_t j,
                    refit *done);
/* The worst line (its badness) of a paragraph set again: for a page or
 * a spread (TeX's pretolerance); for a whole word at a leaf's turn (its
 * tolerance, as any paragraph); and to set one back as it was. */
#define LAY_REFIT_BADNESS 100.0
#define LAY_TURN_BADNESS  200.0
#define LAY_UNDO_BADNESS  1e9
/* A line a paragraph may take so that a recto cut for good ends at a
 * whole word, when no setting within the tolerance does (TeX's tolerance
 * twice over: its spaces about 1.6 times their stretch wider). */
#define LAY_PLAIN_TURN_BADNESS 400.0
/* The worst line a paragraph may take instead of three hyphens in a row
 * (the emergency stretch's), on a page cut for good. */
#define LAY_UNSTACK_BADNESS 1000.0
/* Set the paragraph of row 'at' again with 'delta' (1 or -1) lines more,
 * no line but its last worse than 'bad'; false, with nothing changed,
 * when it cannot be. */
bool lay_reset_para(lay *g, rowvec *body, size_t at, int delta, double bad);
/* Set the paragraph of row 'at' again, as many lines, that row's line
 * ending at a whole word, no line worse than 'bad' (or than its worst
 * now); false, with nothing changed, when it cannot be. */
bool lay_plain_row(lay *g, rowvec *body, size_t at, double bad);
/* Row 'r' is a line of a paragraph that ends with a hyphen. */
bool lay_row_hyphenated(const row *r);
/* The paragraph that begins at row 'at', on a page cut for good, set
 * again with as many lines of the same heights and no three in a row
 * ending in a hyphen (oc_para_unstack), when it has such a run and no
 * notes; true when it was. lay_stack_row sets it back. */
bool lay_unstack_row(lay *g, rowvec *body, size_t at);
void lay_stack_row(lay *g, rowvec *body, size_t at);
/* Preformatted text 'in' of a block of 'st' (from 'at') as rows: set
 * first fit, its white space kept; a line that continues a wrapped one
 * goes on after a hanging indent as wide as the mark of its continuation
 * and a space, the mark at the block's start. False when it cannot be
 * set so (nothing done). */
bool lay_emit_pre(flow *f, inl *in, const bstyle *st, xmlNodePtr at);
/* A table cell's text 'in' (of 'at') in its style, set first fit and unwrapped,
 * for its widths (the widest line, oc_para_min_width); then set to its
 * column with oc_para_set_measure. NULL when it cannot be set. */
oc_para *lay_cell_para(flow *f, inl *in, const bstyle *st, xmlNodePtr at);
/* Its lines k0 to k1 (excluded) into row 'ri': text, links,
 * destinations, images, the notes of its references; x0 the left of its
 * column's room, top the first line's top in the row. */
void lay_cell_lines(flow *f, size_t ri, oc_para *p, const inl *in,
                    const bstyle *st, double x0, double top, size_t k0,
                    size_t k1);
void lay_emit_para(flow *f, xmlNodePtr first, xmlNodePtr stop,
                   const bstyle *st, bool heading);

/* layout-flow.c */
size_t lay_layout_note(flow *f, xmlNodePtr n);
void lay_flow_chapter(lay *g, size_t chap);
/* The marker of list item number 'v' in list-style-type 's': a bullet,
 * or the number in its style followed by a full stop; NULL for none. */
const char *lay_marker_text(lay *g, oc_list_style s, long v);
/* The number of list item 'li' in its list, as flow_list counts. */
long lay_item_value(lay *g, xmlNodePtr li);

/* layout-table.c */
/* Whether table n lays out rather than tabulates: role="presentation"
 * (or "none"), or rows with no header cell, head or caption (an
 * admonition's icon beside its text, as Asciidoctor writes it; a web
 * page's navigation bar). Its structure elements are then Divs, its
 * cells Ps, not Table, TR and TD: a Table with no TH would tell a
 * screen reader of headers it lacks (PDF/UA wants them). */
bool lay_layout_table(lay *g, xmlNodePtr n);
void lay_flow_table(flow *f, xmlNodePtr n, const bstyle *parent);

/* layout-paginate.c */
oc_page *lay_new_page(lay *g, pagevec *pv);
const oc_page_style *lay_page_style(lay *g, const oc_page *p, bool first);
double lay_page_left(lay *g, const oc_page *p);
double lay_page_top(lay *g, const oc_page *p);
double lay_page_text_height(lay *g, const oc_page *p);
void lay_push_string(GArray *v, const oc_named_string *s, bool start);
void lay_set_page_strings(lay *g, oc_page *p, GArray *v);
void lay_paginate(lay *g, rowvec *body, pagevec *pv, size_t *from,
                  size_t tail, double ahead);
/* Are there rows of 'body' in [i, end) at least 'h' high, page floats
 * apart? */
bool lay_rows_ahead(const rowvec *body, size_t i, size_t end, double h);
/* Drop a pagination held (an early end of the layout). */
void lay_paginate_forget(lay *g);

/* layout-front.c */
void lay_title_pages(lay *g);
bool lay_in_toc(lay *g, const oc_outline_entry *e);
void lay_toc_rows(lay *g, rowvec *rows);
void lay_front_doc(lay *g);

/* layout-margins.c */
oc_list_style lay_folio_style(lay *g, bool body);
const char *lay_folio_text(lay *g, bool body, long n);

/* A word octavo writes itself, in the book's language (labels.h). */
const char *lay_label(const lay *g, oc_label_id id);
bool lay_counts_pages(lay *g);
void lay_body_pages(lay *g, size_t *from, bool all);
/* Paginate the body rows from *from as far as rows 'ahead' high follow,
 * stopping where the pages are those the rows still to come would give
 * (lay_paginate), and finish the pages made. */
void lay_body_pages_ahead(lay *g, size_t *from, double ahead);
void lay_front_pages(lay *g, bool toc);
void lay_assemble(lay *g, bool toc);

/* layout-marks.c and the paragraph behind a row (layout-para.c) */
bool lay_para_start(const row *r, xmlNodePtr *node, size_t *offset);
bool lay_text_position(const struct srcmark *s, size_t n, size_t at,
                       xmlNodePtr *node, size_t *offset);
void lay_page_start(lay *g, const pagevec *pv, const row *r);

#endif
