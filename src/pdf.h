/* pdf.h - the PDF back end: the book laid out, painted with cairo
 * (render.h), mended (mend.h) and written as one file; or chosen pages
 * of the same layout as PNG previews. */
#ifndef OC_PDF_H
#define OC_PDF_H

#include "octavo.h"

/* Both are the public API, where their contracts are (octavo.h): main.c
 * and the end-to-end tests see only that header. */
oc_status oc_book_write_pdf(const oc_book *b, const char *path,
                            oc_error *err);
oc_status oc_book_preview(const oc_book *b, const char *dir,
                          const char *pages, double dpi, oc_error *err);

#endif
