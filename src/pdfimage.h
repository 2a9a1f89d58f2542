/* pdfimage.h - pictures' pixels as the streams of PDF image XObjects
 * (ISO 32000-1 §8.9.5), made on worker threads while the book is laid
 * out and painted, into a file of their own, for the mend (mend.h) to
 * put in the PDF where cairo wrote a placeholder. A photograph's rows are
 * predicted from the ones above (PNG's Up filter, /DecodeParms
 * /Predictor 15, §7.4.4.4) and deflated fast; a drawing's pixels are
 * deflated as they are. cairo 1.16 deflates every picture's bare pixels
 * at zlib's default level on the painter's thread, which took most of a
 * picture book's time and packed a photograph into twice the bytes. */
#ifndef OC_PDFIMAGE_H
#define OC_PDFIMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "buf.h"
#include "mend.h"
#include "page.h"

/* The pixels PNG picture 'pic' is printed with at 'width' pt: decoded,
 * and no more than its printed size takes at the picture's resolution
 * (pic->dpi; a tenth more is left alone). NULL, with a warning, when
 * they cannot be decoded beyond the header that the book read. */
cairo_surface_t *oc_picture_pixels(const oc_picture *pic, double width);

/* The pixels of PNG 'data' (len bytes) when it has 8-bit grey, grey and
 * alpha, RGB or RGBA pixels, not interlaced, no tRNS: most PNGs, whose
 * data libdeflate inflates in a third of zlib's time; NULL for others
 * (or damaged ones), which libpng reads (oc_picture_pixels does). */
cairo_surface_t *oc_pdfimage_png(const void *data, size_t len);

/* Append the streams of image surface 's' (CAIRO_FORMAT_RGB24 or ARGB32)
 * to 'out' and describe them in 'pic', their offsets counted from the
 * start of 'out': in grey when every pixel is grey, with the alpha as a
 * soft mask (colours no longer premultiplied) when a pixel is not
 * opaque. False, with 'out' and 'pic' as they were, for another
 * format. */
bool oc_pdfimage_encode(cairo_surface_t *s, oc_buf *out,
                        oc_mend_picture *pic);

/* The placeholder painted in place of picture 'id' (0 to OC_PDFIMAGE_IDS
 * - 1): an image of OC_PDFIMAGE_MARK_W × 1 pixels that name it, which
 * cairo writes as an XObject of its own (coloured, so never turned
 * grey). */
enum { OC_PDFIMAGE_MARK_W = 4, OC_PDFIMAGE_IDS = 1 << 24 };
cairo_surface_t *oc_pdfimage_placeholder(size_t id);

/* The id that the RGB bytes of a placeholder name ('len' of them, read
 * back from its stream), or -1 when they are not a placeholder's. */
long oc_pdfimage_placeholder_id(const unsigned char *rgb, size_t len);

/* The pictures of one PDF, numbered as they are added, their streams
 * written to file 'fd' by as many worker threads as there are processors
 * (at most 4), started at the first picture. A picture that cannot be
 * decoded is transparent (and warned of). */
typedef struct oc_pdfimage_pool oc_pdfimage_pool;

oc_pdfimage_pool *oc_pdfimage_pool_new(int fd);

/* The id of picture 'pic' printed 'width' pt wide: PNG pictures are
 * decoded and written by the workers (the same picture at the same width
 * has one id), others written now, on the calling thread: a JPEG carried
 * as it is (pic->jpeg) its file's bytes, a raster (which must not carry
 * a JPEG file to embed) its pixels. -1 once there are OC_PDFIMAGE_IDS of
 * them. One thread adds. */
long oc_pdfimage_pool_add(oc_pdfimage_pool *p, const oc_picture *pic,
                          double width);

/* Wait until every picture is written (the pictures added must live
 * until then); 'pics' gets them, borrowed from the pool. OC_ERR_IO if
 * the file could not be written. */
oc_status oc_pdfimage_pool_finish(oc_pdfimage_pool *p,
                                  oc_mend_pictures *pics, oc_error *err);

void oc_pdfimage_pool_free(oc_pdfimage_pool *p);   /* finishes it first */

#endif
