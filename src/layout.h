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

#include "book.h"
#include "octavo.h"
#include "page.h"

/* A laid-out book: its pages (oc_layout_pages) and what backs them. */
typedef struct oc_layout oc_layout;

/* Lay out book 'b': a title page, an imprint on its verso, the contents
 * (headings to the manifest's toc-depth, with dot leaders, folios and
 * links) from the next recto, then the chapters, which break to new pages
 * as their CSS says (print.css: each on a recto, a verso left blank when
 * needed). Styles come from the cascade of octavo's user-agent rules,
 * styles/print.css (compiled in, or b->data_dir's, skipped when that
 * folder has none; data.h) and the
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
 * already right); oc_layout's pages are numbered through. 'book' has
 * its setup (the page size). The page and what it points to stay as they
 * are until oc_layout_free (or until it is counted painted: see
 * oc_page_count). Then, on every path (a failed layout too),
 * one last call with 'page' NULL: no page follows, and whoever reads the
 * pages given must be done with them when it returns, for a failed
 * layout is freed next. The font lock (fontlock.h) is held during the
 * calls with a page and not during the last. */
typedef void (*oc_page_sink)(const oc_pages *book, const oc_page *page,
                             void *data);

/* How many of the pages given to the sink it is done with (painted), in
 * the order given; called from the layout's thread, without the font
 * lock. A page counted is freed with the chapter it shows once every
 * page of that chapter is counted: its items become NULL. */
typedef size_t (*oc_page_count)(void *data);

/* oc_layout_book, giving 'sink' each page as soon as it is final, while
 * the rest of the book is laid out (or all at the end, when a margin box
 * counts the pages). Links to a destination that no page holds are left
 * out, except where the page was given before that was known: those
 * land on the contents page. With 'painted' (which may be NULL) the
 * layout frees what the pages it counts point to as it goes, so that
 * its memory does not grow with the book. */
oc_status oc_layout_book_to(const oc_book *b, const oc_page_setup *setup,
                            oc_page_sink sink, oc_page_count painted,
                            void *data, oc_layout **out, oc_error *err);

/* A font map for laying out book 'b': Pango's fontconfig one with the
 * manifest's fonts added (a configuration of its own: *own_config) and
 * true bold preferred to synthetic; a font map's first setup lists every
 * installed family, which load.c does ahead. Freed by
 * oc_layout_fontmap_free. The caller holds the font lock for both. */
struct _PangoFontMap;
struct _PangoFontMap *oc_layout_fontmap_new(const oc_book *b,
                                            bool *own_config);
void oc_layout_fontmap_free(struct _PangoFontMap *fm, bool own_config);

/* The pages of layout 'l', borrowed from it. */
const oc_pages *oc_layout_pages(const oc_layout *l);

/* Release a layout and everything it owns. NULL is a no-op. */
void oc_layout_free(oc_layout *l);

#endif
