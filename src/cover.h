/* cover.h - a typographic cover drawn from the book's metadata, for books
 * whose manifest names no cover image. */
#ifndef OC_COVER_H
#define OC_COVER_H

#include "buf.h"
#include "error.h"
#include "manifest.h"

#define OC_COVER_WIDTH  1600
#define OC_COVER_HEIGHT 2560

/* Draw the cover of the book of manifest 'm' (title, subtitle, authors,
 * series) as a PNG of OC_COVER_WIDTH x OC_COVER_HEIGHT pixels into
 * 'png'. */
oc_status oc_cover_draw(const oc_manifest *m, oc_buf *png, oc_error *err);

/* oc_cover_draw on a thread of its own, begun now, its warnings to
 * 'diag': 'm' must not change until oc_cover_free. The drawing holds the
 * font lock (fontlock.h) and uses a font map of its own. */
typedef struct oc_cover_job oc_cover_job;

oc_cover_job *oc_cover_start(const oc_manifest *m, oc_diag *diag);

/* Wait for the cover; its PNG stays the job's until oc_cover_free. */
oc_status oc_cover_result(oc_cover_job *job, const oc_buf **png,
                          oc_error *err);

/* Wait for the cover if it is still being drawn, and release it. NULL is
 * a no-op. */
void oc_cover_free(oc_cover_job *job);

#endif
