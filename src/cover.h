/* cover.h - a typographic cover drawn from the book's metadata, for books
 * whose manifest names no cover image. */
#ifndef OC_COVER_H
#define OC_COVER_H

#include "book.h"
#include "buf.h"

#define OC_COVER_WIDTH  1600
#define OC_COVER_HEIGHT 2560

/* Draw the cover (title, subtitle, authors, series) as a PNG of
 * OC_COVER_WIDTH x OC_COVER_HEIGHT pixels into 'png'. */
oc_status oc_cover_draw(const oc_book *b, oc_buf *png, oc_error *err);

#endif
