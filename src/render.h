/* render.h - paint laid-out pages with cairo: a PDF document (with its
 * metadata, links, destinations and outline) or one page as a PNG image.
 * Render makes no layout decision: it paints the items of page.h where
 * they are. */
#ifndef OC_RENDER_H
#define OC_RENDER_H

#include "buf.h"
#include "mend.h"
#include "page.h"
#include "octavo.h"

typedef struct oc_render oc_render;

/* Document information for the PDF Info dictionary. Any field may be NULL.
 * Dates are ISO 8601 in UTC, "YYYY-MM-DDTHH:MM:SSZ". */
typedef struct oc_pdf_info {
    const char *title;
    const char *author;
    const char *subject;
    const char *keywords;
    const char *creator;
    const char *create_date;
    const char *mod_date;
} oc_pdf_info;

/* Have cairo write the pages' content streams plain, for the mend to
 * deflate once (oc_mend_write, oc_mend_premark) instead of inflating
 * what cairo deflated and deflating it again: by cairo 1.16's own
 * switch, an environment variable read as each PDF surface is made. Call
 * it before any thread starts; a PDF made without it is mended as well. */
void oc_render_init(void);

/* Start a PDF of 'width' × 'height' pt pages whose bytes go to 'write'
 * (with 'closure', which must outlive the renderer) as cairo produces
 * them. Never NULL: a failure to start is reported by oc_render_finish.
 * The caller releases the result with oc_render_free. */
oc_render *oc_render_new_pdf(cairo_write_func_t write, void *closure,
                             double width, double height,
                             const oc_pdf_info *info);

/* Paint one page and end it. The status is sticky: after the first cairo
 * failure further calls do nothing and oc_render_finish reports it. */
void oc_render_page(oc_render *r, const oc_page *page);

/* Pages may be painted on another thread than the one that lays the book
 * out, with these two rules. oc_render_prepare_page, called on the
 * layout's thread before the page is handed over, makes the fonts of its
 * text ready (what Pango creates on first use). A page for which
 * oc_render_page_needs_pango is true (a glyph no font has, drawn as
 * Pango's hex box, or an SVG picture, which librsvg draws with Pango)
 * uses Pango's caches, shared with the layout: it must wait until the
 * layout is done. */
void oc_render_prepare_page(oc_render *r, const oc_page *page);
bool oc_render_page_needs_pango(const oc_page *page);

/* Add the outline (bookmarks), nested by level; entries of a level below
 * 'open_depth' start expanded. Every entry's dest must be a DEST item of
 * a page painted before oc_render_finish. */
void oc_render_outline(oc_render *r, const oc_outline_entry *entries,
                       size_t n, int open_depth);

/* The structure tree of the pages painted so far (page.h's oc_tag),
 * what the mend needs of it: its elements are the items' tags, begun and
 * ended as the painter goes, with a Span for the text of an element
 * that holds links and a Link for each link; artifacts (items with no
 * tag, rules) are painted outside every element. 'st' borrows from the
 * renderer and the layout. */
void oc_render_structure(const oc_render *r, oc_mend_structure *st);

/* From now on the pixels of the pictures painted (but a JPEG file,
 * embedded as it is) go to file 'fd' (pdfimage.h: made on worker
 * threads), which must stay open until the mend, and the PDF shows
 * placeholders in their place, for the mend to replace with the pictures
 * oc_render_pictures gives once oc_render_finish has waited for them
 * ('pics' borrows from the renderer). */
void oc_render_spool_pictures(oc_render *r, int fd);
void oc_render_pictures(const oc_render *r, oc_mend_pictures *pics);

/* Finish the document (cairo writes the PDF here) and return the first
 * error, as OC_ERR_LIB with cairo's message. Call it once. */
oc_status oc_render_finish(oc_render *r, oc_error *err);

void oc_render_free(oc_render *r);      /* NULL is a no-op */

/* Render 'page' of a 'width' × 'height' pt layout as a PNG image at 'dpi'
 * on white, appended to 'png'. */
oc_status oc_render_page_png(const oc_page *page, double width,
                             double height, double dpi, oc_buf *png,
                             oc_error *err);

#endif
