/* pdfout.h - laid-out pages painted into a PDF that octavo writes
 * itself (pdfw.h), not through cairo's PDF surface: each page's content
 * stream, resources, link annotations and page object go out as soon as
 * it is painted, its structure elements as soon as they end (pdftags.h),
 * the fonts, pictures, outline, destinations and catalog at the end. So
 * the memory of the painting does not grow with the book. What only
 * cairo draws (an SVG picture, a glyph no font has) goes in as a form
 * (pdfform.h).
 *
 * The PDF is tagged (ISO 32000-1 §14.8, PDF/UA-1): every item painted
 * is marked content of its structure element (page.h's oc_tag), or an
 * artifact when it has none; an element goes on across pages, its
 * content broken only where an artifact (a running head) comes between
 * its lines. */
#ifndef OC_PDFOUT_H
#define OC_PDFOUT_H

#include "page.h"
#include "pdfw.h"
#include "render.h"

typedef struct oc_pdfout oc_pdfout;

/* Start a PDF of 'width' × 'height' pt pages whose bytes go to 'sink'
 * (with 'ctx'); its pictures' streams are made by worker threads into
 * file 'pictures_fd' (pdfimage.h; -1: on the painter's thread, into
 * memory... not supported: pass a file). 'info' is copied. */
oc_pdfout *oc_pdfout_new(oc_pdfw_sink sink, void *ctx, double width,
                         double height, const oc_pdf_info *info,
                         int pictures_fd);

/* The pictures' streams go from their file to the PDF's by 'copy' (with
 * the sink's ctx; pdfw.h), not through memory. */
void oc_pdfout_copy_with(oc_pdfout *o, oc_pdfw_copy copy);

/* Paint page 'page' (on one thread; the caller holds nothing: the font
 * lock is taken here line by line). Pages go in any order: the page
 * tree lists them as oc_pdfout_finish says. The status is sticky. */
void oc_pdfout_page(oc_pdfout *o, const oc_page *page);

/* Every page is painted: write what still needs the layout, so that it
 * may be freed before the end of the file: the pictures (whose streams
 * worker threads made from the layout's pictures meanwhile) and the
 * outline (bookmarks, nested by level; entries of a level below
 * 'open_depth' start expanded; its destinations now all known). Call it
 * once, before oc_pdfout_finish. */
oc_status oc_pdfout_end_pages(oc_pdfout *o, const oc_outline_entry *entries,
                              size_t n, int open_depth, oc_error *err);

/* What the end of the file needs of the book. */
typedef struct oc_pdfout_book {
    const char             *lang;         /* the catalog's /Lang */
    const char             *title;        /* XMP dc:title */
    size_t                  nfront;       /* the last 'nfront' pages
                                             painted are the front
                                             matter, listed first */
    char                    front_style;  /* page label styles (mend.h) */
    char                    body_style;
} oc_pdfout_book;

/* Write the rest of the file: fonts, pictures, structure tree, page
 * tree, destinations, catalog, cross-reference table. Returns
 * the first error of the whole writing. Call it once. */
oc_status oc_pdfout_finish(oc_pdfout *o, const oc_pdfout_book *bk,
                           oc_error *err);

/* How many pages were painted. */
size_t oc_pdfout_npages(const oc_pdfout *o);

void oc_pdfout_free(oc_pdfout *o);      /* NULL is a no-op */

#endif
