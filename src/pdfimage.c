/* pdfimage.c - pictures' pixels → PDF image streams, on worker threads,
 * in a file of their own; and the placeholders that stand for them in
 * cairo's PDF until the mend. */
#include "pdfimage.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <libdeflate.h>

#include "artifact.h"
#include "error.h"
#include "image.h"
#include "zhuff.h"

/* What a stream is made of: the colours (3 or 1 a pixel) or the alpha. */
typedef enum plane { PLANE_RGB, PLANE_GREY, PLANE_ALPHA } plane;

/* A component premultiplied by 'a' as it was before. */
static inline unsigned
unpremultiply(unsigned c, unsigned a)
{
    unsigned v;

    if (a == 255)
        return c;
    if (a == 0)
        return 0;
    v = (c * 255 + a / 2) / a;
    return v > 255 ? 255 : v;
}

/* Row 'px' (w pixels) of 'pl' into 'row', its components in order. */
static void
row_of(const uint32_t *px, int w, bool alpha, plane pl, unsigned char *row)
{
    for (int x = 0; x < w; x++) {
        uint32_t v = px[x];
        unsigned a = alpha ? v >> 24 : 255;

        switch (pl) {
        case PLANE_ALPHA:
            *row++ = (unsigned char)a;
            break;
        case PLANE_GREY:
            *row++ = (unsigned char)unpremultiply(v >> 16 & 255, a);
            break;
        case PLANE_RGB:
            *row++ = (unsigned char)unpremultiply(v >> 16 & 255, a);
            *row++ = (unsigned char)unpremultiply(v >> 8 & 255, a);
            *row++ = (unsigned char)unpremultiply(v & 255, a);
            break;
        }
    }
}

/* Whether deflate's matches would pack predicted rows p[0..n) much
 * better than literals and runs: a dithered or hatched picture repeats
 * strings a few bytes apart, which zhuff.c does not look for. Four
 * slices spread through them are packed both ways. */
static bool
matches_pay(const unsigned char *p, size_t n)
{
    enum { SLICES = 4, SLICE = 1 << 15 };
    size_t lz = 0, lit = 0;

    for (size_t k = 0; k < SLICES; k++) {
        size_t at = n / SLICES * k, len = n - at < SLICE ? n - at : SLICE;
        oc_buf a = { 0 }, b = { 0 };

        oc_zlib_pack(p + at, len, 1, &a);
        oc_zhuff_pack(p + at, len, &b);
        lz += a.len;
        lit += b.len;
        oc_buf_free(&a);
        oc_buf_free(&b);
    }
    return lz * 10 < lit * 8;
}

/* One stream of plane 'pl' of the w × h pixels 'data' (rows 'stride'
 * bytes apart) onto the end of 'out', its rows 'predicted' from the one
 * above (PNG's Up, each row after its filter byte) and coded as
 * literals and runs (zhuff.h), or by deflate where its matches pay. */
static void
write_plane(const unsigned char *data, int w, int h, int stride, bool alpha,
            plane pl, bool predicted, oc_buf *out)
{
    size_t bpr = (size_t)w * (pl == PLANE_RGB ? 3 : 1);
    size_t row = bpr + (predicted ? 1 : 0), n = row * (size_t)h;
    unsigned char *plain = oc_xmalloc(n);
    unsigned char *above = predicted ? oc_xcalloc(bpr, 1) : NULL;

    for (int y = 0; y < h; y++) {
        unsigned char *r = plain + (size_t)y * row;

        if (predicted)
            *r++ = 2;
        row_of((const uint32_t *)(const void *)(data + (size_t)y * stride),
               w, alpha, pl, r);
        if (predicted)
            oc_png_up(r, above, above, bpr);
    }
    free(above);
    if (!predicted)
        oc_zlib_pack(plain, n, 6, out);
    else if (matches_pay(plain, n))
        oc_zlib_pack(plain, n, 1, out);
    else
        oc_zhuff_pack(plain, n, out);
    free(plain);
}

bool
oc_pdfimage_encode(cairo_surface_t *s, oc_buf *out, oc_mend_picture *pic)
{
    cairo_format_t f = cairo_image_surface_get_format(s);
    bool alpha = f == CAIRO_FORMAT_ARGB32, opaque = true, grey = true;
    const unsigned char *data;
    int w, h, stride;
    uint64_t same = 0;          /* pixels that repeat the one before */
    oc_mend_picture m = { 0 };

    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
        (f != CAIRO_FORMAT_RGB24 && !alpha))
        return false;
    cairo_surface_flush(s);
    data = cairo_image_surface_get_data(s);
    w = cairo_image_surface_get_width(s);
    h = cairo_image_surface_get_height(s);
    stride = cairo_image_surface_get_stride(s);
    if (data == NULL || w <= 0 || h <= 0)
        return false;
    for (int y = 0; y < h; y++) {
        const uint32_t *px =
            (const uint32_t *)(const void *)(data + (size_t)y * stride);

        for (int x = 0; x < w; x++) {
            uint32_t v = px[x];

            opaque = opaque && (!alpha || v >> 24 == 255);
            grey = grey && (v >> 16 & 255) == (v >> 8 & 255) &&
                   (v >> 8 & 255) == (v & 255);
            same += x > 0 && v == px[x - 1];
        }
    }
    m.width = w;
    m.height = h;
    m.colors = grey ? 1 : 3;
    /* Drawings, diagrams and screenshots, whose pixels mostly repeat
     * the one on their left, pack best as they are, and fast enough at
     * deflate's level 6. Photographs' rows are predicted and coded as
     * literals and runs: 6-55 % fewer bytes than unpredicted at level 6,
     * and on the benchmark's figures 6 % fewer than deflate's fastest
     * level, in half its time. (Runs alone, zlib's Z_RLE, miss a
     * gradient's repeats in a drawing: 20 times the bytes.) */
    m.predicted = same * 10 < (uint64_t)(w - 1) * (uint64_t)h * 3;
    m.off = out->len;
    write_plane(data, w, h, stride, alpha, grey ? PLANE_GREY : PLANE_RGB,
                m.predicted, out);
    m.len = out->len - m.off;
    if (!opaque) {
        m.mask_off = out->len;
        write_plane(data, w, h, stride, alpha, PLANE_ALPHA, m.predicted, out);
        m.mask_len = out->len - m.mask_off;
    }
    *pic = m;
    return true;
}

/* A placeholder's pixels: "OCT", the id, "PIC", the id's complement. */
enum { MARK_O = 0x4F4354, MARK_P = 0x504943, ID_MASK = 0xFFFFFF };

cairo_surface_t *
oc_pdfimage_placeholder(size_t id)
{
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, OC_PDFIMAGE_MARK_W, 1);
    uint32_t *px;
    char uid[48], *copy;
    size_t n;

    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        return s;
    cairo_surface_flush(s);
    px = (uint32_t *)(void *)cairo_image_surface_get_data(s);
    px[0] = MARK_O;
    px[1] = (uint32_t)id & ID_MASK;
    px[2] = MARK_P;
    px[3] = ~(uint32_t)id & ID_MASK;
    cairo_surface_mark_dirty(s);
    /* One XObject for the picture however often it is painted. */
    snprintf(uid, sizeof uid, "octavo-picture-%zu", id);
    n = strlen(uid);
    copy = oc_xstrdup(uid);     /* freed as the closure */
    cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID,
                                (const unsigned char *)copy, n, free, copy);
    return s;
}

static uint32_t
rgb_at(const unsigned char *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

long
oc_pdfimage_placeholder_id(const unsigned char *rgb, size_t len)
{
    uint32_t id;

    if (len != 3 * OC_PDFIMAGE_MARK_W || rgb_at(rgb) != MARK_O ||
        rgb_at(rgb + 6) != MARK_P)
        return -1;
    id = rgb_at(rgb + 3);
    return rgb_at(rgb + 9) == (~id & ID_MASK) ? (long)id : -1;
}

/* ---- the pixels printed ---- */

/* Scaling n pixels down to m: output pixel i is the average of the
 * source pixels its span [i n/m, (i + 1) n/m) covers, each weighted by
 * how much of it is covered, the weights in 1/65536 summing to 65536. */
typedef struct spans {
    int      *first;            /* [m]: its first source pixel */
    int      *count;            /* [m]: how many */
    uint32_t *weight;           /* [m * stride] */
    int       stride;           /* ceil(n / m) + 1 */
} spans;

static void
spans_make(spans *sp, int n, int m)
{
    double step = (double)n / m;

    sp->stride = (int)ceil(step) + 1;
    sp->first = oc_xcalloc((size_t)m, sizeof *sp->first);
    sp->count = oc_xcalloc((size_t)m, sizeof *sp->count);
    sp->weight = oc_xcalloc((size_t)m * (size_t)sp->stride,
                            sizeof *sp->weight);
    for (int i = 0; i < m; i++) {
        double lo = i * step, hi = (i + 1) * step;
        int first = (int)floor(lo), last = (int)ceil(hi) - 1;
        uint32_t *w = sp->weight + (size_t)i * (size_t)sp->stride;
        uint32_t sum = 0;
        int k;

        if (last >= n)
            last = n - 1;
        if (last - first + 1 > sp->stride)
            last = first + sp->stride - 1;
        for (k = first; k <= last; k++) {
            double cover = fmin(hi, k + 1) - fmax(lo, k);

            w[k - first] = (uint32_t)lround(cover / step * 65536);
            sum += w[k - first];
        }
        w[last - first] += 65536 - sum;     /* rounding: exactly 65536 */
        sp->first[i] = first;
        sp->count[i] = last - first + 1;
    }
}

static void
spans_free(spans *sp)
{
    free(sp->first);
    free(sp->count);
    free(sp->weight);
}

/* Four channels of a pixel, which the compiler computes at once, in
 * the order of the pixel's bytes in memory. */
typedef uint32_t channels __attribute__((vector_size(16)));
typedef uint8_t  bytes4 __attribute__((vector_size(4)));
typedef uint8_t  bytes16 __attribute__((vector_size(16)));

/* Pixels to scale: rows 'stride' bytes apart of 'bpp' bytes a pixel:
 * 4, cairo's (a native 32-bit word), 3, RGB, or 1, grey. A row of 3
 * may be read one byte past its last pixel (that lane is not used). */
typedef struct pixels_in {
    const unsigned char *data;
    size_t               stride;
    int                  w, h, bpp;
} pixels_in;

/* Where a lane's low byte is in memory; 'X' a byte not used. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LANE_BYTE(i) (4 * (i) + 3)
#else
#define LANE_BYTE(i) (4 * (i))
#endif
#define X 16

/* The pixel at 'p' widened, one load and one shuffle: 4 bytes as they
 * are, RGB as R, G, B and the byte after, grey in every lane. */
static inline __attribute__((always_inline)) channels
fetch(const unsigned char *p, int bpp)
{
    bytes16 b = { 0 }, zero = { 0 };
    channels c;

    if (bpp == 1)
        return (channels){ p[0], p[0], p[0], p[0] };
    memcpy(&b, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    b = __builtin_shufflevector(b, zero, X, X, X, 0, X, X, X, 1, X, X, X, 2,
                                X, X, X, 3);
#else
    b = __builtin_shufflevector(b, zero, 0, X, X, X, 1, X, X, X, 2, X, X, X,
                                3, X, X, X);
#endif
    memcpy(&c, &b, sizeof c);
    return c;
}

/* Averaged channels 'c' (each below 256; fetch's lanes for 'bpp') as a
 * pixel of a surface of 'f': a native word, whose alpha is 255 when 'f'
 * has none. */
static inline __attribute__((always_inline)) uint32_t
pixel_of(channels c, int bpp, cairo_format_t f)
{
    bytes16 b;
    uint32_t v;

    memcpy(&b, &c, sizeof b);
    if (bpp == 3)           /* R, G, B → the word's bytes in memory */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        b = __builtin_shufflevector(b, b, LANE_BYTE(3), LANE_BYTE(0),
                                    LANE_BYTE(1), LANE_BYTE(2), X, X, X, X,
                                    X, X, X, X, X, X, X, X);
#else
        b = __builtin_shufflevector(b, b, LANE_BYTE(2), LANE_BYTE(1),
                                    LANE_BYTE(0), LANE_BYTE(3), X, X, X, X,
                                    X, X, X, X, X, X, X, X);
#endif
    else
        b = __builtin_shufflevector(b, b, LANE_BYTE(0), LANE_BYTE(1),
                                    LANE_BYTE(2), LANE_BYTE(3), X, X, X, X,
                                    X, X, X, X, X, X, X, X);
    memcpy(&v, &b, 4);
    return f == CAIRO_FORMAT_RGB24 ? v | 0xFF000000u : v;
}
#undef X

static inline __attribute__((always_inline)) void
across(const unsigned char *row, int bpp, const spans *sx, int w,
       channels *out)
{
    for (int x = 0; x < w; x++) {
        const uint32_t *wt = sx->weight + (size_t)x * (size_t)sx->stride;
        const unsigned char *p = row + (size_t)sx->first[x] * (size_t)bpp;
        channels c = { 0, 0, 0, 0 };

        for (int k = 0; k < sx->count[x]; k++)
            c += fetch(p + (size_t)k * (size_t)bpp, bpp) * wt[k];
        out[x] = (c + 128) >> 8;
    }
}

/* Source row 'row' of 'bpp' bytes a pixel averaged across into 'out':
 * four channels a pixel, each its value times 256. */
static inline __attribute__((always_inline)) void
average_across(const unsigned char *row, int bpp, const spans *sx, int w,
               channels *out)
{
    if (bpp == 4)
        across(row, 4, sx, w, out);
    else if (bpp == 3)
        across(row, 3, sx, w, out);
    else
        across(row, 1, sx, w, out);
}

/* Eight lanes, two pixels: one AVX2 register, two of SSE2. */
typedef uint32_t lanes8 __attribute__((vector_size(32)));

/* acc[x] += row[x] * k for each of the w pixels, two at a time. */
static inline __attribute__((always_inline)) void
add_times(channels *acc, const channels *row, int w, uint32_t k)
{
    int x = 0;

    for (; x + 2 <= w; x += 2) {
        lanes8 a, r;

        memcpy(&a, acc + x, sizeof a);
        memcpy(&r, row + x, sizeof r);
        a += r * k;
        memcpy(acc + x, &a, sizeof a);
    }
    if (x < w)
        acc[x] += row[x] * k;
}

/* Output row 'acc' (w pixels, each channel its average times 2^24) as
 * pixels of 'f' into 'out'; 'bpp' is the source's (grey's lanes are
 * equal, as 4's are in order). */
static inline __attribute__((always_inline)) void
put_row(const channels *acc, int w, int bpp, cairo_format_t f,
        uint32_t *out)
{
    for (int x = 0; x < w; x++)
        out[x] = pixel_of((acc[x] + (1u << 23)) >> 24, bpp, f);
}

/* The pixels of 'in' scaled down to a surface of 'f' of 'w' x 'h', each
 * the average of the pixels it covers (premultiplied alpha averages as
 * it should); NULL if cairo has no memory for it. Built twice, for AVX2
 * and without, the loader choosing (an ifunc, which ThreadSanitizer's
 * runtime is not yet up to resolve). */
static cairo_surface_t *
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("avx2", "default")))
#endif
scale_down(const pixels_in *in, cairo_format_t f, int w, int h)
{
    cairo_surface_t *d = cairo_image_surface_create(f, w, h);
    unsigned char *dst;
    channels *rows, *acc;
    int ds, cached[2] = { -1, -1 };
    spans sx, sy;

    if (cairo_surface_status(d) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(d);
        return NULL;
    }
    cairo_surface_flush(d);
    dst = cairo_image_surface_get_data(d);
    ds = cairo_image_surface_get_stride(d);
    spans_make(&sx, in->w, w);
    spans_make(&sy, in->h, h);
    rows = oc_xcalloc(2 * (size_t)w, sizeof *rows);
    acc = oc_xcalloc((size_t)w, sizeof *acc);
    for (int y = 0; y < h; y++) {
        const uint32_t *wt = sy.weight + (size_t)y * (size_t)sy.stride;
        uint32_t *out = (uint32_t *)(void *)(dst + (size_t)y * (size_t)ds);

        memset(acc, 0, (size_t)w * sizeof *acc);
        for (int k = 0; k < sy.count[y]; k++) {
            int r = sy.first[y] + k, slot = r & 1;
            channels *row = rows + (size_t)slot * (size_t)w;

            if (cached[slot] != r) {    /* a row two outputs share is
                                           averaged across once */
                average_across(in->data + (size_t)r * in->stride, in->bpp,
                               &sx, w, row);
                cached[slot] = r;
            }
            add_times(acc, row, w, wt[k]);
        }
        if (in->bpp == 3)
            put_row(acc, w, 3, f, out);
        else
            put_row(acc, w, 4, f, out);
    }
    cairo_surface_mark_dirty(d);
    free(rows);
    free(acc);
    spans_free(&sx);
    spans_free(&sy);
    return d;
}

/* 's' scaled down to 'w' x 'h' pixels (scale_down); 's' is released. */
static cairo_surface_t *
downsample(cairo_surface_t *s, int w, int h)
{
    cairo_format_t f = cairo_image_surface_get_format(s);
    pixels_in in;
    cairo_surface_t *d;

    if (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24)
        return s;
    cairo_surface_flush(s);
    in = (pixels_in){ cairo_image_surface_get_data(s),
                      (size_t)cairo_image_surface_get_stride(s),
                      cairo_image_surface_get_width(s),
                      cairo_image_surface_get_height(s), 4 };
    if ((d = scale_down(&in, f, w, h)) == NULL)
        return s;
    cairo_surface_destroy(s);
    return d;
}

/* ---- PNG read fast ---- */

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

/* Undo the PNG filter of each of the 'h' rows of 'raw' (a filter byte,
 * then 'n' bytes of 'bpp' a pixel), in place; false for a filter
 * unknown. */
static bool
unfilter(unsigned char *raw, size_t n, int h, int bpp)
{
    static const unsigned char zeros[4 * (1u << 15)];
    const unsigned char *prev = zeros;      /* the row above the first */
    size_t k = (size_t)bpp;

    for (int y = 0; y < h; y++) {
        unsigned char *r = raw + (size_t)y * (n + 1), *cur = r + 1;

        switch (r[0]) {
        case 0:
            break;
        case 1:                                 /* Sub */
            for (size_t i = k; i < n; i++)
                cur[i] = (unsigned char)(cur[i] + cur[i - k]);
            break;
        case 2:                                 /* Up */
            oc_png_up(cur, prev, NULL, n);
            break;
        case 3:                                 /* Average */
            for (size_t i = 0; i < k; i++)
                cur[i] = (unsigned char)(cur[i] + (prev[i] >> 1));
            for (size_t i = k; i < n; i++)
                cur[i] = (unsigned char)(cur[i] +
                                         ((cur[i - k] + prev[i]) >> 1));
            break;
        case 4:                                 /* Paeth */
            for (size_t i = 0; i < k; i++)
                cur[i] = (unsigned char)(cur[i] + prev[i]);
            for (size_t i = k; i < n; i++) {
                int a = cur[i - k], b = prev[i], c = prev[i - k];
                int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);

                cur[i] = (unsigned char)(cur[i] + (pa <= pb && pa <= pc ? a
                                                   : pb <= pc ? b : c));
            }
            break;
        default:
            return false;
        }
        prev = cur;
    }
    return true;
}

static const cairo_user_data_key_t pixels_key;

/* What a PNG's IHDR says, and its data: the IDAT chunks' bytes, and
 * its palette's. */
typedef struct png_data {
    uint32_t w, h;
    int      bpp;               /* bytes a pixel (8-bit channels) */
    int      depth;             /* bits a channel */
    int      type;              /* 0 grey, 2 RGB, 3 indexed, 4 grey +
                                   alpha, 6 RGBA */
    oc_buf   idat;
    oc_buf   plte;
} png_data;

/* PNG 'd' (len bytes), not interlaced, no tRNS, read into 'png' (its
 * buffers the caller's to free): of 8-bit channels, or ('as_is') of
 * grey or indexed pixels of 1, 2, 4 or 8 bits or 8-bit RGB, what a PDF
 * can carry as they are; false for any other. */
static bool
png_read(const unsigned char *d, size_t len, png_data *png, bool as_is)
{
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1A, '\n' };
    size_t pos = 33;
    int depth, type;

    memset(png, 0, sizeof *png);
    if (len < 33 || memcmp(d, sig, 8) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
        return false;
    png->w = be32(d + 16);
    png->h = be32(d + 20);
    png->depth = depth = d[24];
    png->type = type = d[25];
    png->bpp = type == 0 ? 1 : type == 2 ? 3 : type == 4 ? 2
             : type == 6 ? 4 : 0;
    if (as_is ? !((type == 0 || type == 3) &&
                  (depth == 1 || depth == 2 || depth == 4 || depth == 8)) &&
                    !(type == 2 && depth == 8)
              : depth != 8 || png->bpp == 0)
        return false;
    if (d[28] != 0 || png->w == 0 || png->h == 0 || png->w > 1u << 15 ||
        png->h > 1u << 15)
        return false;
    while (pos + 12 <= len) {
        uint32_t clen = be32(d + pos);
        const unsigned char *kind = d + pos + 4;

        if (clen > len - pos - 12 || memcmp(kind, "tRNS", 4) == 0) {
            oc_buf_free(&png->idat);
            oc_buf_free(&png->plte);
            return false;
        }
        if (memcmp(kind, "IDAT", 4) == 0)
            oc_buf_put(&png->idat, d + pos + 8, clen);
        if (memcmp(kind, "PLTE", 4) == 0 && clen % 3 == 0 && clen <= 768)
            oc_buf_put(&png->plte, d + pos + 8, clen);
        if (memcmp(kind, "IEND", 4) == 0)
            break;
        pos += 12 + clen;
    }
    if (png->idat.len == 0 || (type == 3 && png->plte.len == 0)) {
        oc_buf_free(&png->idat);
        oc_buf_free(&png->plte);
        return false;
    }
    return true;
}

/* PNG 'data' (len bytes) as png_read takes, inflated by libdeflate and
 * unfiltered: its rows, each after its filter byte, in a buffer with
 * room for 'room' bytes a pixel at least; NULL for another PNG or a
 * damaged one. */
static unsigned char *
png_rows(const void *data, size_t len, png_data *png, size_t room)
{
    struct libdeflate_decompressor *z;
    size_t n, rawlen, got = 0;
    unsigned char *px;
    bool ok;

    if (!png_read(data, len, png, false))
        return NULL;
    oc_buf_free(&png->plte);
    n = (size_t)png->w * (size_t)png->bpp;
    rawlen = (n + 1) * png->h;
    room *= (size_t)png->w * png->h;
    px = oc_xmalloc((rawlen > room ? rawlen : room) + 1);   /* fetch's */
    if ((z = libdeflate_alloc_decompressor()) == NULL)
        oc_out_of_memory(sizeof z);
    ok = libdeflate_zlib_decompress(z, png->idat.data, png->idat.len, px,
                                    rawlen, &got) == LIBDEFLATE_SUCCESS &&
         got == rawlen && unfilter(px, n, (int)png->h, png->bpp);
    libdeflate_free_decompressor(z);
    oc_buf_free(&png->idat);
    if (!ok) {
        free(px);
        return NULL;
    }
    return px;
}

/* The rows 'px' of 'png' (png_rows, 4 bytes a pixel of room) widened in
 * place to a cairo surface's pixels, which own them: from the last row
 * back (and in a row from its last pixel) when rows grow, RGBA's from
 * the first, as its rows shrink by their filter byte. */
static cairo_surface_t *
png_surface(unsigned char *px, const png_data *png)
{
    size_t w = png->w, h = png->h, bpp = (size_t)png->bpp, n = w * bpp;
    bool alpha = bpp == 2 || bpp == 4;
    cairo_surface_t *s;

    if (bpp == 4) {
        for (size_t y = 0; y < h; y++) {
            const unsigned char *r = px + y * (n + 1) + 1;
            uint32_t *o = (uint32_t *)(void *)(px + y * 4 * w);

            for (size_t x = 0; x < w; x++, r += 4) {
                uint32_t a = r[3];

                o[x] = a << 24 | (r[0] * a + 127) / 255 << 16 |
                       (r[1] * a + 127) / 255 << 8 | (r[2] * a + 127) / 255;
            }
        }
    } else {
        for (size_t y = h; y-- > 0;) {
            const unsigned char *r = px + y * (n + 1) + 1;
            uint32_t *o = (uint32_t *)(void *)(px + y * 4 * w);

            for (size_t x = w; x-- > 0;) {
                const unsigned char *q = r + x * bpp;
                uint32_t v, a = alpha ? q[1] : 255;

                if (bpp == 3)
                    v = 0xFF000000u | (uint32_t)q[0] << 16 |
                        (uint32_t)q[1] << 8 | q[2];
                else {
                    uint32_t g = (q[0] * a + 127) / 255;

                    v = a << 24 | g << 16 | g << 8 | g;
                }
                o[x] = v;
            }
        }
    }
    s = cairo_image_surface_create_for_data(
        px, alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, (int)w, (int)h,
        (int)(4 * w));
    if (cairo_surface_set_user_data(s, &pixels_key, px, free) !=
        CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        free(px);
        return NULL;
    }
    return s;
}

cairo_surface_t *
oc_pdfimage_png(const void *data, size_t len)
{
    png_data png;
    unsigned char *px = png_rows(data, len, &png, 4);

    return px != NULL ? png_surface(px, &png) : NULL;
}

/* The bytes of PNG picture 'pic': its own (*d, *len) or 'file''s, read
 * now; false with *why when the file is not as the book was loaded. */
static bool
png_bytes(const oc_picture *pic, oc_buf *file, const void **d, size_t *len,
          const char **why)
{
    oc_error err = { 0 };

    if (pic->png != NULL) {
        *d = pic->png;
        *len = pic->png_len;
        return true;
    }
    if (oc_buf_read_file(file, pic->png_file, pic->png_len + 1, &err) !=
            OC_OK || file->len != pic->png_len) {
        *why = "it changed since the book was loaded";
        return false;
    }
    *d = file->data;
    *len = file->len;
    return true;
}

static void
cannot_show(const oc_picture *pic, const char *why)
{
    oc_warn(pic->shown_in, pic->line, 0, "image '%s' cannot be shown in the "
            "PDF (%s); it is left out",
            pic->png_file ? pic->png_file : pic->href,
            why ? why : "no image in it");
}

/* How many pixels wide picture 'pic', 'pw' of them, is kept printed
 * 'width' pt wide: no more than its resolution takes (a tenth more is
 * left alone). */
static double
kept_width(const oc_picture *pic, double width, double pw)
{
    double want = ceil(width / 72 * pic->dpi);

    return pic->dpi > 0 && pw > want * 1.1 && want >= 1 ? want : pw;
}

/* The pixels of PNG 'd' (len bytes) for 'pic' printed 'width' pt wide
 * (NULL, warned of, when they cannot be decoded). */
static cairo_surface_t *
print_pixels(const oc_picture *pic, double width, const void *d, size_t len)
{
    const char *why = NULL;
    cairo_surface_t *s;
    double pw, ph, want;
    png_data png;
    unsigned char *px = png_rows(d, len, &png, 0);

    /* Grey or RGB rows to scale down are averaged as they are, never
     * widened to a surface of their own size. */
    if (px != NULL && (png.bpp == 1 || png.bpp == 3) &&
        (want = kept_width(pic, width, png.w)) < png.w) {
        pixels_in in = { px + 1, (size_t)png.w * (size_t)png.bpp + 1,
                         (int)png.w, (int)png.h, png.bpp };

        s = scale_down(&in, CAIRO_FORMAT_RGB24, (int)want,
                       (int)fmax(1, round(png.h * want / png.w)));
        free(px);
        if (s == NULL)
            cannot_show(pic, "out of memory");
        return s;
    }
    if (px != NULL) {
        px = oc_xrealloc(px, (size_t)png.w * 4 * png.h +
                             (png.bpp == 4 ? png.h : 0));
        s = png_surface(px, &png);
    } else {                    /* not for png_rows: libpng's to read */
        s = oc_image_decode_raster(d, len, "image/png", &why);
    }
    if (s == NULL) {
        cannot_show(pic, why);
        return NULL;
    }
    pw = cairo_image_surface_get_width(s);
    ph = cairo_image_surface_get_height(s);
    if ((want = kept_width(pic, width, pw)) < pw)
        s = downsample(s, (int)want, (int)fmax(1, round(ph * want / pw)));
    return s;
}

cairo_surface_t *
oc_picture_pixels(const oc_picture *pic, double width)
{
    const char *why = NULL;
    oc_buf file = { 0 };
    const void *d;
    size_t len;
    cairo_surface_t *s = NULL;

    if (png_bytes(pic, &file, &d, &len, &why))
        s = print_pixels(pic, width, d, len);
    else
        cannot_show(pic, why);
    oc_buf_free(&file);
    return s;
}

/* ---- the pool ---- */

/* A PNG picture to be written: its id, what it is, how wide printed. */
typedef struct job {
    struct job       *next;
    size_t            id;
    const oc_picture *pic;
    double            width;
} job;

/* A picture and width already given an id. */
typedef struct seen_key {
    const oc_picture *pic;
    double            width;
} seen_key;

enum { MAX_WORKERS = 4 };

struct oc_pdfimage_pool {
    pthread_mutex_t lock;
    pthread_cond_t  more;
    job            *head, *tail;    /* waiting, in order */
    bool            closing;        /* no more jobs: workers end */
    pthread_t       workers[MAX_WORKERS];
    int             nworkers;
    oc_diag        *diag;           /* where their warnings go */
    int             fd;
    uint64_t        end;            /* bytes in the file */
    int             write_errno;    /* the first write's failure, or 0 */
    GArray         *pics;           /* oc_mend_picture, by id */
    GHashTable     *seen;           /* seen_key * → id + 1 */
};

static guint
seen_hash(gconstpointer k)
{
    const seen_key *s = k;

    return g_direct_hash(s->pic) ^ g_double_hash(&s->width);
}

static gboolean
seen_equal(gconstpointer a, gconstpointer b)
{
    const seen_key *x = a, *y = b;

    return x->pic == y->pic && x->width == y->width;
}

oc_pdfimage_pool *
oc_pdfimage_pool_new(int fd)
{
    oc_pdfimage_pool *p = oc_xcalloc(1, sizeof *p);

    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->more, NULL);
    p->fd = fd;
    p->diag = oc_diag_current();
    p->pics = g_array_new(FALSE, TRUE, sizeof(oc_mend_picture));
    p->seen = g_hash_table_new_full(seen_hash, seen_equal, free, NULL);
    return p;
}

/* The streams in 'b' (offsets from its start) to the end of the file,
 * as picture 'id'. */
static void
put_picture(oc_pdfimage_pool *p, size_t id, const oc_buf *b,
            oc_mend_picture m)
{
    uint64_t at;
    size_t done = 0;
    int e = 0;

    pthread_mutex_lock(&p->lock);
    at = p->end;
    p->end += b->len;
    pthread_mutex_unlock(&p->lock);
    while (done < b->len) {
        ssize_t n = pwrite(p->fd, b->data + done, b->len - done,
                           (off_t)(at + done));

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            e = n < 0 ? errno : ENOSPC;
            break;
        }
        done += (size_t)n;
    }
    m.off += at;
    m.mask_off += at;
    m.palette_off += at;
    pthread_mutex_lock(&p->lock);
    g_array_index(p->pics, oc_mend_picture, id) = m;
    if (e != 0 && p->write_errno == 0)
        p->write_errno = e;
    pthread_mutex_unlock(&p->lock);
}

/* Surface 's' (released) written as picture 'id'; a transparent pixel
 * when it is NULL or of a format not written. */
static void
write_surface(oc_pdfimage_pool *p, size_t id, cairo_surface_t *s)
{
    oc_buf b = { 0 };
    oc_mend_picture m;

    if (s == NULL || !oc_pdfimage_encode(s, &b, &m)) {
        cairo_surface_t *none =
            cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);

        oc_buf_free(&b);
        oc_pdfimage_encode(none, &b, &m);   /* all zero: transparent */
        cairo_surface_destroy(none);
    }
    if (s != NULL)
        cairo_surface_destroy(s);
    put_picture(p, id, &b, m);
    oc_buf_free(&b);
}

/* PNG 'd' (len bytes) as picture 'id', its data as it is, when a PDF
 * can carry them so (grey or indexed pixels of 1 to 8 bits or 8-bit
 * RGB, not interlaced, no tRNS: PNG's filters are the PDF's predictors,
 * §7.4.4.4) and print needs all its pixels at 'width' pt: nothing
 * decoded, nothing packed again. */
static bool
put_as_is(oc_pdfimage_pool *p, size_t id, const oc_picture *pic,
          double width, const void *d, size_t len)
{
    png_data png;
    oc_mend_picture m = { 0 };
    double w = len >= 24 ? be32((const unsigned char *)d + 16) : 0;

    /* Print needs fewer pixels: its IHDR's width says so before its
     * data is copied (png_rows reads them next). */
    if (kept_width(pic, width, w) < w || !png_read(d, len, &png, true))
        return false;
    m.width = png.w;
    m.height = png.h;
    m.colors = png.type == 2 ? 3 : 1;
    m.bits = png.depth;
    m.predicted = true;
    m.len = png.idat.len;
    if (png.type == 3) {            /* the palette after the data */
        m.palette_off = png.idat.len;
        m.palette_len = png.plte.len;
        oc_buf_put(&png.idat, png.plte.data, png.plte.len);
    }
    put_picture(p, id, &png.idat, m);
    oc_buf_free(&png.idat);
    oc_buf_free(&png.plte);
    return true;
}

/* Job 'j' done: its picture written as it is, or decoded, scaled and
 * packed; a transparent pixel if it cannot be read. */
static void
write_job(oc_pdfimage_pool *p, const job *j)
{
    const char *why = NULL;
    oc_buf file = { 0 };
    const void *d;
    size_t len;

    if (!png_bytes(j->pic, &file, &d, &len, &why)) {
        cannot_show(j->pic, why);
        write_surface(p, j->id, NULL);
    } else if (!put_as_is(p, j->id, j->pic, j->width, d, len)) {
        write_surface(p, j->id, print_pixels(j->pic, j->width, d, len));
    }
    oc_buf_free(&file);
}

static void *
work(void *arg)
{
    oc_pdfimage_pool *p = arg;
    oc_diag *prev = oc_diag_enter(p->diag);

    for (;;) {
        job *j;

        pthread_mutex_lock(&p->lock);
        while (p->head == NULL && !p->closing)
            pthread_cond_wait(&p->more, &p->lock);
        if ((j = p->head) != NULL && (p->head = j->next) == NULL)
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        if (j == NULL)
            break;
        write_job(p, j);
        free(j);
    }
    oc_diag_leave(prev);
    return NULL;
}

/* A new id, its entry empty. */
static size_t
new_id(oc_pdfimage_pool *p)
{
    size_t id;

    pthread_mutex_lock(&p->lock);
    id = p->pics->len;
    g_array_set_size(p->pics, id + 1);
    pthread_mutex_unlock(&p->lock);
    return id;
}

/* Workers as there are processors, at most MAX_WORKERS. */
static void
start_workers(oc_pdfimage_pool *p)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int n = cpus < 1 ? 1 : cpus > MAX_WORKERS ? MAX_WORKERS : (int)cpus;

    while (p->nworkers < n &&
           pthread_create(&p->workers[p->nworkers], NULL, work, p) == 0)
        p->nworkers++;
}

long
oc_pdfimage_pool_add(oc_pdfimage_pool *p, const oc_picture *pic,
                     double width)
{
    seen_key key = { pic, width };
    gpointer known = g_hash_table_lookup(p->seen, &key);
    size_t id;

    if (known != NULL)
        return (long)GPOINTER_TO_SIZE(known) - 1;
    if (p->pics->len >= OC_PDFIMAGE_IDS)
        return -1;
    id = new_id(p);
    if (pic->jpeg != NULL) {
        oc_buf b = { (char *)(uintptr_t)pic->jpeg, pic->jpeg_len,
                     pic->jpeg_len };
        oc_mend_picture m = { .width = (long)pic->px_width,
                              .height = (long)pic->px_height,
                              .colors = pic->jpeg_colors, .dct = true,
                              .len = pic->jpeg_len };

        put_picture(p, id, &b, m);          /* its file, as it is */
    } else if (pic->raster != NULL) {
        write_surface(p, id, cairo_surface_reference(pic->raster));
    } else {
        job *j = oc_xcalloc(1, sizeof *j);

        j->id = id;
        j->pic = pic;
        j->width = width;
        if (p->nworkers == 0)
            start_workers(p);
        if (p->nworkers == 0) {         /* none could start: do it here */
            write_surface(p, id, oc_picture_pixels(pic, width));
            free(j);
        } else {
            pthread_mutex_lock(&p->lock);
            if (p->tail != NULL)
                p->tail->next = j;
            else
                p->head = j;
            p->tail = j;
            pthread_cond_signal(&p->more);
            pthread_mutex_unlock(&p->lock);
        }
    }
    g_hash_table_insert(p->seen, g_memdup2(&key, sizeof key),
                        GSIZE_TO_POINTER(id + 1));
    return (long)id;
}

static void
join_workers(oc_pdfimage_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->closing = true;
    pthread_cond_broadcast(&p->more);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nworkers; i++)
        pthread_join(p->workers[i], NULL);
    p->nworkers = 0;
}

oc_status
oc_pdfimage_pool_finish(oc_pdfimage_pool *p, oc_mend_pictures *pics,
                        oc_error *err)
{
    join_workers(p);
    pics->list = (const oc_mend_picture *)(void *)p->pics->data;
    pics->n = p->pics->len;
    pics->fd = p->fd;
    if (p->write_errno != 0)
        return oc_error_set(err, OC_ERR_IO, NULL, 0, 0,
                            "cannot write the pictures' pixels: %s",
                            strerror(p->write_errno));
    return OC_OK;
}

void
oc_pdfimage_pool_free(oc_pdfimage_pool *p)
{
    if (p == NULL)
        return;
    join_workers(p);
    for (job *j = p->head, *next; j != NULL; j = next) {
        next = j->next;
        free(j);
    }
    g_array_free(p->pics, TRUE);
    g_hash_table_destroy(p->seen);
    pthread_cond_destroy(&p->more);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
