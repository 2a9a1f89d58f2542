/* image.h - recognise image files by their bytes (PNG, JPEG, GIF, SVG,
 * WebP), read their pixel size from the header, and turn WebP into PNG
 * for readers that only know the EPUB core media types. */
#ifndef OC_IMAGE_H
#define OC_IMAGE_H

#include <stddef.h>

#include <cairo.h>

#include "buf.h"
#include "octavo.h"

typedef enum oc_image_type {
    OC_IMAGE_UNKNOWN = 0,
    OC_IMAGE_PNG,
    OC_IMAGE_JPEG,
    OC_IMAGE_GIF,
    OC_IMAGE_SVG,
    OC_IMAGE_WEBP
} oc_image_type;

/* The format of 'data'. *width and *height get the pixel size when the
 * header tells it (0 for SVG or a truncated header). */
oc_image_type oc_image_sniff(const void *data, size_t len, long *width,
                             long *height);

const char *oc_image_media_type(oc_image_type t);   /* "image/png" ... */
const char *oc_image_extension(oc_image_type t);    /* ".png" ... */

/* Row r[0..n) with PNG's Up filter (each byte less the one above it,
 * modulo 256; zeros above the first row) made, r as it was copied into
 * 'keep' (which may be 'above': the next row's), or, 'keep' NULL,
 * undone. */
void oc_png_up(unsigned char *r, const unsigned char *above,
               unsigned char *keep, size_t n);

/* An RGB PNG of 'width' x 'height' pixels encoded into 'png' (emptied
 * first) as its rows come, in cairo's RGB24 layout (32-bit native-endian
 * 0xXXRRGGBB, 'stride' bytes a row): its rows filtered by Up, coded as
 * literals and runs (zhuff.h). oc_png_writer_end frees the writer and
 * returns NULL once all 'height' rows are given, or a static message
 * saying what failed. */
typedef struct oc_png_writer oc_png_writer;

oc_png_writer *oc_png_writer_new(int width, int height, oc_buf *png);
void oc_png_writer_rows(oc_png_writer *w, const unsigned char *pixels,
                        int n, int stride);
const char *oc_png_writer_end(oc_png_writer *w);

/* What is wrong with the chunks of PNG 'data' (PNG spec §5.3, §5.6): a
 * critical chunk (IHDR, PLTE, IDAT, IEND) whose CRC is not its bytes',
 * a chunk longer than the file, no IEND; NULL when nothing is. Damaged
 * ancillary chunks libpng skips, and so does this. Returns a static
 * message. */
const char *oc_image_png_damage(const void *data, size_t len);

/* Decode a WebP image and encode it as PNG into 'png'. On failure
 * returns NULL; otherwise a static message saying why. */
const char *oc_image_webp_to_png(const void *data, size_t len, oc_buf *png);

/* An image in a format a book cannot carry but gdk-pixbuf reads (TIFF,
 * BMP, ICO, TGA, PNM...), of at most 'max_pixels', as PNG bytes appended
 * to 'png', its size in *w and *h and its format's name ("tiff") in
 * 'format'. Returns NULL on success, else why not (nothing appended):
 * not an image gdk-pixbuf knows, or too many pixels. */
const char *oc_image_other_to_png(const void *data, size_t len,
                                  long max_pixels, oc_buf *png, long *w,
                                  long *h, char *format, size_t fsize);

/* How many colour components JPEG 'data' (len bytes) has when a PDF can
 * carry its file as it is and show it as decoded (8 bits, grey or
 * colour, not turned by its EXIF orientation); 0 when it cannot. */
int oc_image_jpeg_as_is(const void *data, size_t len);

/* Decode raster image 'bytes' of 'media_type' (PNG, JPEG, GIF, WebP) for
 * the PDF into a new cairo image surface (the caller destroys it). A JPEG that needs no turn
 * and is not CMYK keeps its file as the surface's JPEG MIME data, so that
 * the PDF carries it as it is: 'bytes' must outlive the surface. On failure returns NULL and sets *why to a
 * static message. */
cairo_surface_t *oc_image_decode_raster(const void *bytes, size_t len,
                                        const char *media_type,
                                        const char **why);

#endif
