/* image.c - image formats by signature (PNG spec §5.2, JPEG SOFn markers,
 * GIF89a, RIFF/WebP VP8/VP8L/VP8X, SVG root element); WebP → PNG through
 * libwebp and libpng; raster images decoded into cairo surfaces for the
 * PDF (cairo's PNG reader, libwebp, gdk-pixbuf for the rest). */
#include "image.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libdeflate.h>
#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>

#include "error.h"
#include "zhuff.h"

static unsigned long
be16(const unsigned char *p)
{
    return (unsigned long)p[0] << 8 | p[1];
}

static unsigned long
be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | p[3];
}

static unsigned long
le16(const unsigned char *p)
{
    return (unsigned long)p[1] << 8 | p[0];
}

static unsigned long
le32(const unsigned char *p)
{
    return (unsigned long)p[3] << 24 | (unsigned long)p[2] << 16 |
           (unsigned long)p[1] << 8 | p[0];
}

static unsigned long
le24(const unsigned char *p)
{
    return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

/* The frame header (SOF0..SOF15 but DHT, JPG and DAC) of a JPEG: the
 * offset of its marker, or 0 if there is none. Bytes between segments
 * that are no marker are skipped, as decoders do. The one JPEG walker:
 * the sniffer takes the size from it, the decoder the components. */
static size_t
jpeg_frame(const unsigned char *p, size_t len)
{
    size_t i = 2;

    while (i + 9 < len) {
        unsigned m;

        if (p[i] != 0xff) {
            i++;
            continue;
        }
        m = p[i + 1];
        if (m == 0xff) {
            i++;
            continue;
        }
        if (m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01) {
            i += 2;
            continue;
        }
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc)
            return i;
        i += 2 + be16(p + i + 2);
    }
    return 0;
}

static int
looks_like_svg(const char *s, size_t len)
{
    size_t n = len < 4096 ? len : 4096;

    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(s + i, "<svg", 4) == 0)
            return 1;
    return 0;
}

oc_image_type
oc_image_sniff(const void *data, size_t len, long *width, long *height)
{
    const unsigned char *p = data;
    long w = 0, h = 0;
    oc_image_type t = OC_IMAGE_UNKNOWN;

    if (len >= 24 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
        t = OC_IMAGE_PNG;
        if (memcmp(p + 12, "IHDR", 4) == 0) {
            w = (long)be32(p + 16);
            h = (long)be32(p + 20);
        }
    } else if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) {
        size_t f = jpeg_frame(p, len);

        t = OC_IMAGE_JPEG;
        if (f > 0) {
            h = (long)be16(p + f + 5);
            w = (long)be16(p + f + 7);
        }
    } else if (len >= 10 && (memcmp(p, "GIF87a", 6) == 0 ||
                             memcmp(p, "GIF89a", 6) == 0)) {
        t = OC_IMAGE_GIF;
        w = (long)le16(p + 6);
        h = (long)le16(p + 8);
    } else if (len >= 30 && memcmp(p, "RIFF", 4) == 0 &&
               memcmp(p + 8, "WEBP", 4) == 0) {
        t = OC_IMAGE_WEBP;
        if (memcmp(p + 12, "VP8 ", 4) == 0) {
            w = (long)(le16(p + 26) & 0x3fff);
            h = (long)(le16(p + 28) & 0x3fff);
        } else if (memcmp(p + 12, "VP8L", 4) == 0) {
            unsigned long b = (unsigned long)p[21] | (unsigned long)p[22] << 8 |
                (unsigned long)p[23] << 16 | (unsigned long)p[24] << 24;
            w = (long)(b & 0x3fff) + 1;
            h = (long)((b >> 14) & 0x3fff) + 1;
        } else if (memcmp(p + 12, "VP8X", 4) == 0) {
            w = (long)le24(p + 24) + 1;
            h = (long)le24(p + 27) + 1;
        }
    } else if (looks_like_svg(data, len)) {
        t = OC_IMAGE_SVG;
    }
    if (width)
        *width = w;
    if (height)
        *height = h;
    return t;
}

const char *
oc_image_media_type(oc_image_type t)
{
    static const char *const types[] = {
        "application/octet-stream", "image/png", "image/jpeg", "image/gif",
        "image/svg+xml", "image/webp"};

    return types[t];
}

const char *
oc_image_extension(oc_image_type t)
{
    static const char *const ext[] = {"", ".png", ".jpg", ".gif", ".svg",
                                      ".webp"};

    return ext[t];
}

void
oc_png_up(unsigned char *r, const unsigned char *above, unsigned char *keep,
          size_t n)
{
    typedef uint8_t v16 __attribute__((vector_size(16)));
    size_t i = 0;

    for (; i + 16 <= n; i += 16) {
        v16 a, b;

        memcpy(&a, r + i, 16);
        memcpy(&b, above + i, 16);
        if (keep != NULL) {
            memcpy(keep + i, &a, 16);
            a -= b;
        } else {
            a += b;
        }
        memcpy(r + i, &a, 16);
    }
    for (; i < n; i++) {
        unsigned char v = r[i], u = above[i];

        if (keep != NULL)
            keep[i] = v;
        r[i] = (unsigned char)(keep != NULL ? v - u : v + u);
    }
}

/* A PNG being encoded row by row, so that an image drawn in bands is
 * never whole in memory: each row after the filter byte of PNG's Up
 * (each byte less the one above, which leaves a flat colour's rows
 * zeros), one IDAT chunk of a zlib stream of literals and runs
 * (zhuff.h), its length and CRC put in at the end. */
struct oc_png_writer {
    oc_buf        *out;
    oc_zhuff      *z;
    int            width, height, rows;
    size_t         idat;        /* where the IDAT chunk's length goes */
    unsigned char *rows_out;    /* filtered rows, each its filter byte
                                   first, given to the coder together */
    int            held, most;  /* how many rows_out holds, can hold */
    unsigned char *above;       /* [3 * width]: the row before, as it was */
};

static void
store_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void
put_be32(oc_buf *b, uint32_t v)
{
    unsigned char p[4];

    store_be32(p, v);
    oc_buf_put(b, p, 4);
}

/* The PNG chunk at 'at' in 'out', whose 'len' bytes of data end it:
 * its length put in, its CRC (of its kind and data) appended. */
static void
end_chunk(oc_buf *out, size_t at, size_t len)
{
    unsigned char *p = (unsigned char *)out->data + at;

    store_be32(p, (uint32_t)len);
    put_be32(out, libdeflate_crc32(0, p + 4, len + 4));
}

/* Chunk 'kind' with 'len' bytes of 'data' onto 'out'. */
static void
put_chunk(oc_buf *out, const char *kind, const void *data, size_t len)
{
    size_t at = out->len;

    oc_buf_put(out, "\0\0\0\0", 4);
    oc_buf_put(out, kind, 4);
    if (len > 0)
        oc_buf_put(out, data, len);
    end_chunk(out, at, len);
}

oc_png_writer *
oc_png_writer_new(int width, int height, oc_buf *out)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1A, '\n' };
    oc_png_writer *w = oc_xcalloc(1, sizeof *w);
    unsigned char ihdr[13] = {
        [8] = 8, [9] = 2        /* 8-bit RGB; deflate, filters, whole */
    };

    store_be32(ihdr, (uint32_t)width);
    store_be32(ihdr + 4, (uint32_t)height);
    w->out = out;
    w->width = width;
    w->height = height;
    /* A block's worth of rows: zhuff codes each piece apart. */
    w->most = (int)(OC_ZHUFF_BLOCK / (1 + (size_t)width * 3));
    w->most = w->most > 0 ? w->most : 1;
    w->rows_out = oc_xmalloc((size_t)w->most * (1 + (size_t)width * 3));
    w->above = oc_xcalloc((size_t)width * 3, 1);
    out->len = 0;
    oc_buf_put(out, sig, sizeof sig);
    put_chunk(out, "IHDR", ihdr, sizeof ihdr);
    w->idat = out->len;
    oc_buf_put(out, "\0\0\0\0IDAT", 8);
    w->z = oc_zhuff_begin(out);
    return w;
}

void
oc_png_writer_rows(oc_png_writer *w, const unsigned char *pixels, int n,
                   int stride)
{
    size_t bpr = (size_t)w->width * 3;

    for (int y = 0; y < n && w->rows < w->height; y++, w->rows++) {
        const unsigned char *row = pixels + (size_t)y * stride;
        const uint32_t *src = (const uint32_t *)row;
        unsigned char *r = w->rows_out + (size_t)w->held * (1 + bpr);
        int x = 0;

        *r++ = 2;                               /* Up */
        if (y > 0 && w->rows > 0 &&
            memcmp(row, row - stride, (size_t)w->width * 4) == 0) {
            memset(r, 0, bpr);      /* the row above again: all 0 */
        } else {
            /* 0x00RRGGBB to R, G, B: the word's bytes turned round,
             * stored 4 at a time, each over the last one's spare. */
            for (; x + 1 < w->width; x++) {
                uint32_t v = __builtin_bswap32(src[x]) >> 8;

                memcpy(r + 3 * x, &v, 4);
            }
            for (; x < w->width; x++) {
                r[3 * x] = (unsigned char)(src[x] >> 16);
                r[3 * x + 1] = (unsigned char)(src[x] >> 8);
                r[3 * x + 2] = (unsigned char)src[x];
            }
            oc_png_up(r, w->above, w->above, bpr);
        }
        if (++w->held == w->most) {
            oc_zhuff_put(w->z, w->rows_out, (size_t)w->held * (1 + bpr));
            w->held = 0;
        }
    }
}

const char *
oc_png_writer_end(oc_png_writer *w)
{
    oc_buf *out = w->out;
    bool whole = w->rows == w->height;

    oc_zhuff_put(w->z, w->rows_out,
                 (size_t)w->held * (1 + (size_t)w->width * 3));
    oc_zhuff_end(w->z);
    end_chunk(out, w->idat, out->len - w->idat - 8);
    put_chunk(out, "IEND", NULL, 0);
    free(w->rows_out);
    free(w->above);
    free(w);
    return whole ? NULL : "fewer rows given than the image has";
}

const char *
oc_image_webp_to_png(const void *data, size_t len, oc_buf *png)
{
    int w = 0, h = 0;
    uint8_t *rgba = WebPDecodeRGBA(data, len, &w, &h);
    png_image img;
    png_alloc_size_t size = 0;
    const char *why = NULL;

    if (rgba == NULL)
        return "cannot decode the WebP image";
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_RGBA;
    if (!png_image_write_to_memory(&img, NULL, &size, 0, rgba, 0, NULL)) {
        why = "cannot encode the PNG fallback";
        goto out;
    }
    png->len = 0;
    oc_buf_put(png, "", 0);
    png->data = oc_xrealloc(png->data, size + 1);
    png->cap = size + 1;
    if (!png_image_write_to_memory(&img, png->data, &size, 0, rgba, 0,
                                   NULL)) {
        why = "cannot encode the PNG fallback";
        goto out;
    }
    png->len = size;
    png->data[size] = '\0';
out:
    png_image_free(&img);
    WebPFree(rgba);
    return why;
}

/* ---- checking a PNG's chunks ---- */

/* PNG's CRC-32 (ISO 3309, the spec's annex D), zlib's and gzip's:
 * libdeflate's, several times faster than zlib's (a picture book's
 * files are all checked as the book loads). */
static uint32_t
png_crc(const unsigned char *p, size_t n)
{
    return libdeflate_crc32(0, p, n);
}

const char *
oc_image_png_damage(const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t at = 8;                  /* past the signature */

    while (len >= 12 && at <= len - 12) {
        unsigned long n = be32(p + at);
        const unsigned char *type = p + at + 4;

        if (n > 0x7fffffffu || n > len - 12 - at)
            return "it is cut short";
        if ((type[0] & 0x20) == 0 &&
            png_crc(type, (size_t)n + 4) != be32(type + 4 + n))
            return memcmp(type, "IHDR", 4) == 0
                       ? "the checksum of its IHDR chunk is wrong"
                   : memcmp(type, "PLTE", 4) == 0
                       ? "the checksum of its PLTE chunk is wrong"
                   : memcmp(type, "IDAT", 4) == 0
                       ? "the checksum of an IDAT chunk is wrong"
                   : memcmp(type, "IEND", 4) == 0
                       ? "the checksum of its IEND chunk is wrong"
                       : "the checksum of a critical chunk is wrong";
        if (memcmp(type, "IEND", 4) == 0)
            return NULL;
        at += 12 + (size_t)n;
    }
    return "it is cut short";
}

/* ---- decoding for the PDF ---- */

typedef struct reader {
    const unsigned char *data;
    size_t               len, pos;
} reader;

static cairo_status_t
read_mem(void *closure, unsigned char *out, unsigned int len)
{
    reader *r = closure;

    if (len > r->len - r->pos)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->pos, len);
    r->pos += len;
    return CAIRO_STATUS_SUCCESS;
}

/* A cairo image of 8-bit RGB or RGBA pixels; cairo wants its alpha
 * premultiplied, in native-endian 32-bit words. */
static cairo_surface_t *
surface_from_pixels(const unsigned char *px, int w, int h, int stride,
                    int channels, bool alpha)
{
    cairo_surface_t *s = cairo_image_surface_create(
        alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
    unsigned char *dst;
    int ds;

    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        return s;
    cairo_surface_flush(s);
    dst = cairo_image_surface_get_data(s);
    ds = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++) {
        const unsigned char *p = px + (size_t)y * (size_t)stride;
        uint32_t *d = (uint32_t *)(void *)(dst + (size_t)y * (size_t)ds);

        for (int x = 0; x < w; x++, p += channels) {
            uint32_t a = alpha && channels == 4 ? p[3] : 255;
            uint32_t r = (p[0] * a + 127) / 255;
            uint32_t gr = (p[1] * a + 127) / 255;
            uint32_t b = (p[2] * a + 127) / 255;

            d[x] = a << 24 | r << 16 | gr << 8 | b;
        }
    }
    cairo_surface_mark_dirty(s);
    return s;
}

static GdkPixbuf *
pixbuf_from(const unsigned char *data, size_t len, GError **gerr)
{
    GdkPixbufLoader *ld = gdk_pixbuf_loader_new();
    GdkPixbuf *pb = NULL;

    if (gdk_pixbuf_loader_write(ld, (const guchar *)data, len,
                                gerr) &&
        gdk_pixbuf_loader_close(ld, gerr)) {
        if ((pb = gdk_pixbuf_loader_get_pixbuf(ld)) != NULL)
            g_object_ref(pb);
    } else {
        gdk_pixbuf_loader_close(ld, NULL);
    }
    g_object_unref(ld);
    return pb;
}

/* The size gdk-pixbuf is about to decode: refused past the limit. */
static void
size_prepared(GdkPixbufLoader *ld, int w, int h, gpointer limit)
{
    long *max = limit;

    if (w <= 0 || h <= 0 || (long)w > *max / h) {
        *max = -1;
        gdk_pixbuf_loader_set_size(ld, 1, 1);
    }
}

const char *
oc_image_other_to_png(const void *data, size_t len, long max_pixels,
                      oc_buf *png, long *w, long *h, char *format,
                      size_t fsize)
{
    GdkPixbufLoader *ld = gdk_pixbuf_loader_new();
    GdkPixbufFormat *f;
    GdkPixbuf *pb = NULL;
    gchar *buf = NULL;
    gsize n = 0;
    long limit = max_pixels;
    const char *why = NULL;

    g_signal_connect(ld, "size-prepared", G_CALLBACK(size_prepared),
                     &limit);
    if (gdk_pixbuf_loader_write(ld, data, len, NULL) &&
        gdk_pixbuf_loader_close(ld, NULL))
        pb = gdk_pixbuf_loader_get_pixbuf(ld);
    else
        gdk_pixbuf_loader_close(ld, NULL);
    f = gdk_pixbuf_loader_get_format(ld);
    if (limit < 0)
        why = "it has more pixels than the limit";
    else if (pb == NULL || f == NULL)
        why = "not an image octavo can read";
    else if (!gdk_pixbuf_save_to_buffer(pb, &buf, &n, "png", NULL, NULL))
        why = "it cannot be written as PNG";
    if (why == NULL) {
        gchar *name = gdk_pixbuf_format_get_name(f);

        snprintf(format, fsize, "%s", name);
        g_free(name);
        *w = gdk_pixbuf_get_width(pb);
        *h = gdk_pixbuf_get_height(pb);
        oc_buf_put(png, buf, n);
    }
    g_free(buf);
    g_object_unref(ld);
    return why;
}

/* The number of colour components of a JPEG (from its frame header), or
 * 0 if it has none. */
static int
jpeg_components(const unsigned char *p, size_t len)
{
    size_t f = jpeg_frame(p, len);

    return f > 0 ? p[f + 9] : 0;
}

/* The EXIF orientation of JPEG 'p' (1 to 8), 1 when it has none. */
static int
jpeg_orientation(const unsigned char *p, size_t len)
{
    size_t i = 2;

    while (i + 4 <= len && p[i] == 0xff) {
        unsigned m = p[i + 1];
        size_t seg = be16(p + i + 2), t, n, e;
        bool le;

        if (m == 0xda || (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
                          m != 0xcc))
            break;                          /* the frame: no EXIF after */
        if (m == 0xe1 && seg >= 16 && i + 2 + seg <= len &&
            memcmp(p + i + 4, "Exif\0\0", 6) == 0) {
            t = i + 10;                     /* the TIFF header */
            le = p[t] == 'I';
            e = t + (le ? (size_t)le32(p + t + 4) : be32(p + t + 4));
            if (e + 2 > i + 2 + seg)
                return 1;
            n = le ? le16(p + e) : be16(p + e);
            for (e += 2; n-- > 0 && e + 12 <= i + 2 + seg; e += 12)
                if ((le ? le16(p + e) : be16(p + e)) == 0x0112)
                    return le ? le16(p + e + 8) : be16(p + e + 8);
            return 1;
        }
        i += 2 + seg;
    }
    return 1;
}

int
oc_image_jpeg_as_is(const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t f = jpeg_frame(p, len);
    int comps = f > 0 ? p[f + 9] : 0;

    if (f == 0 || p[f + 4] != 8 || (comps != 1 && comps != 3) ||
        jpeg_orientation(p, len) != 1)
        return 0;
    return comps;
}

cairo_surface_t *
oc_image_decode_raster(const void *bytes, size_t len, const char *media_type,
                       const char **why)
{
    const unsigned char *data = bytes;
    cairo_surface_t *s = NULL;
    GError *gerr = NULL;

    if (strcmp(media_type, "image/png") == 0) {
        reader rd = { data, len, 0 };

        s = cairo_image_surface_create_from_png_stream(read_mem, &rd);
    } else if (strcmp(media_type, "image/webp") == 0) {
        WebPBitstreamFeatures feat;
        int w = 0, h = 0;
        uint8_t *rgba;

        if (WebPGetFeatures(data, len, &feat) != VP8_STATUS_OK ||
            (rgba = WebPDecodeRGBA(data, len, &w, &h)) == NULL) {
            *why = "not a WebP image libwebp can decode";
            return NULL;
        }
        s = surface_from_pixels(rgba, w, h, w * 4, 4, feat.has_alpha);
        WebPFree(rgba);
    } else {
        GdkPixbuf *pb = pixbuf_from(data, len, &gerr);
        bool jpeg = strcmp(media_type, "image/jpeg") == 0;
        bool turned = false;

        if (pb == NULL) {
            *why = gerr ? "gdk-pixbuf cannot decode it" : "no image in it";
            g_clear_error(&gerr);
            return NULL;
        }
        if (jpeg) {
            const char *o = gdk_pixbuf_get_option(pb, "orientation");

            if (o != NULL && strcmp(o, "1") != 0) {
                GdkPixbuf *t = gdk_pixbuf_apply_embedded_orientation(pb);

                g_object_unref(pb);
                pb = t;
                turned = true;
            }
        }
        if (pb == NULL || gdk_pixbuf_get_bits_per_sample(pb) != 8 ||
            gdk_pixbuf_get_n_channels(pb) < 3) {
            if (pb != NULL)
                g_object_unref(pb);
            *why = "its pixel format is not supported";
            return NULL;
        }
        s = surface_from_pixels(gdk_pixbuf_read_pixels(pb),
                                gdk_pixbuf_get_width(pb),
                                gdk_pixbuf_get_height(pb),
                                gdk_pixbuf_get_rowstride(pb),
                                gdk_pixbuf_get_n_channels(pb),
                                gdk_pixbuf_get_has_alpha(pb));
        g_object_unref(pb);
        /* The PDF carries the JPEG file itself (DCTDecode), not pixels
         * decoded and compressed again: unless EXIF turns it, or its
         * colours are CMYK, whose inverted Adobe form cairo 1.16 cannot
         * describe. The bytes must outlive the surface (the book outlives
         * the layout's surfaces). */
        if (jpeg && !turned &&
            cairo_surface_status(s) == CAIRO_STATUS_SUCCESS &&
            jpeg_components(data, len) != 4)
            cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data,
                                        len, NULL, NULL);
    }
    if (s != NULL && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        /* cairo 1.16 reports every libpng error as out of memory. */
        *why = strcmp(media_type, "image/png") == 0
                   ? "libpng cannot decode its pixels: damaged image data"
                   : cairo_status_to_string(cairo_surface_status(s));
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}
