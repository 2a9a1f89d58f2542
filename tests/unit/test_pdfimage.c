/* test_pdfimage.c - pictures' pixels as PDF image streams: read back
 * (inflated, their PNG predictors undone) they are the pixels given, in
 * grey or colour, their alpha a soft mask; the placeholders name their
 * picture; the pool decodes, scales down and writes each picture once;
 * and a PDF cairo painted with placeholders, mended, shows the pictures
 * (qpdf checks it, poppler paints it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "artifact.h"
#include "buf.h"
#include "error.h"
#include "image.h"
#include "mend.h"
#include "pdfimage.h"

/* A w x h surface of 'f' whose pixel (x, y) is px(x, y). */
static cairo_surface_t *
surface(cairo_format_t f, int w, int h, uint32_t (*px)(int, int))
{
    cairo_surface_t *s = cairo_image_surface_create(f, w, h);
    unsigned char *d;
    int stride;

    cairo_surface_flush(s);
    d = cairo_image_surface_get_data(s);
    stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            ((uint32_t *)(void *)(d + (size_t)y * stride))[x] = px(x, y);
    cairo_surface_mark_dirty(s);
    return s;
}

static uint32_t
noise(int x, int y)
{
    uint32_t v = (uint32_t)(x * 7919 + y * 104729) * 2654435761u;

    return 0xFF000000u | (v >> 8);
}

/* Five colours in a diagonal hatch: no pixel repeats the one on its
 * left, every row the one above moved along. */
static uint32_t
hatch(int x, int y)
{
    static const uint32_t c[5] = { 0xFF203040u, 0xFFE0C0A0u, 0xFF8090F0u,
                                   0xFF10F010u, 0xFFF02080u };

    return c[(x + 2 * y) % 5];
}

static uint32_t
two_blocks(int x, int y)
{
    (void)y;
    return x < 20 ? 0xFF2040C0u : 0xFFF0E0D0u;
}

static uint32_t
grey_ramp(int x, int y)
{
    uint32_t g = (uint32_t)(x * 4 + y) & 255;

    return 0xFF000000u | g << 16 | g << 8 | g;
}

/* Alpha 128 with red premultiplied to 64, then opaque blue. */
static uint32_t
half_clear(int x, int y)
{
    (void)y;
    return x % 2 == 0 ? 0x80400000u : 0xFF0000FFu;
}

/* The bytes a stream of 'len' bytes at 'off' of 'b' inflates to, its
 * rows of 'bpr' bytes given back without their predictors ('predicted':
 * each begins with PNG's Up filter byte, 2). */
static void
read_back(const char *data, uint64_t len, bool predicted, size_t bpr,
          oc_buf *raw)
{
    oc_buf z = { 0 };
    oc_error err = { 0 };

    assert_int_equal(oc_inflate(data, (size_t)len, &z, &err), OC_OK);
    if (!predicted) {
        *raw = z;
        return;
    }
    assert_int_equal(z.len % (bpr + 1), 0);
    for (size_t r = 0; r < z.len / (bpr + 1); r++) {
        const unsigned char *row = (unsigned char *)z.data + r * (bpr + 1);

        assert_int_equal(row[0], 2);
        for (size_t i = 0; i < bpr; i++) {
            unsigned char above =
                r > 0 ? (unsigned char)raw->data[(r - 1) * bpr + i] : 0;
            unsigned char v = (unsigned char)(row[1 + i] + above);

            oc_buf_put(raw, &v, 1);
        }
    }
    oc_buf_free(&z);
}

/* Surface 's' encoded: 'm' and the colours and alpha read back. */
static void
encode(cairo_surface_t *s, oc_mend_picture *m, oc_buf *colour,
       oc_buf *alpha)
{
    oc_buf b = { 0 };

    oc_buf_puts(&b, "before");      /* offsets count from the start */
    assert_true(oc_pdfimage_encode(s, &b, m));
    assert_int_equal(m->off, 6);
    read_back(b.data + m->off, m->len, m->predicted,
              (size_t)m->width * (size_t)m->colors, colour);
    if (m->mask_len > 0) {
        assert_int_equal(m->mask_off, m->off + m->len);
        read_back(b.data + m->mask_off, m->mask_len, m->predicted,
                  (size_t)m->width, alpha);
    }
    assert_int_equal(b.len, m->off + m->len + m->mask_len);
    oc_buf_free(&b);
}

static void
test_photograph_rows_are_predicted_and_read_back_the_same(void **state)
{
    cairo_surface_t *s = surface(CAIRO_FORMAT_RGB24, 64, 48, noise);
    oc_mend_picture m;
    oc_buf rgb = { 0 }, a = { 0 };

    (void)state;
    encode(s, &m, &rgb, &a);
    assert_true(m.predicted);
    assert_int_equal(m.width, 64);
    assert_int_equal(m.height, 48);
    assert_int_equal(m.colors, 3);
    assert_int_equal(m.mask_len, 0);
    assert_int_equal(rgb.len, 64 * 48 * 3);
    for (int y = 0; y < 48; y++)
        for (int x = 0; x < 64; x++) {
            const unsigned char *p =
                (unsigned char *)rgb.data + (y * 64 + x) * 3;
            uint32_t v = noise(x, y);

            assert_int_equal(p[0], v >> 16 & 255);
            assert_int_equal(p[1], v >> 8 & 255);
            assert_int_equal(p[2], v & 255);
        }
    oc_buf_free(&rgb);
    cairo_surface_destroy(s);
}

/* A hatch is predicted (its pixels do not repeat on the left) but
 * packs far smaller with deflate's matches than as literals and runs:
 * it gets them. */
static void
test_hatched_rows_get_deflates_matches(void **state)
{
    cairo_surface_t *s = surface(CAIRO_FORMAT_RGB24, 200, 150, hatch);
    oc_mend_picture m;
    oc_buf rgb = { 0 }, a = { 0 }, b = { 0 };

    (void)state;
    assert_true(oc_pdfimage_encode(s, &b, &m));
    assert_true(m.predicted);
    assert_true(m.len < 200 * 150 * 3 / 50);
    encode(s, &m, &rgb, &a);
    assert_int_equal(rgb.len, 200 * 150 * 3);
    for (int y = 0; y < 150; y++)
        for (int x = 0; x < 200; x++) {
            const unsigned char *p =
                (unsigned char *)rgb.data + (y * 200 + x) * 3;

            assert_int_equal(p[0], hatch(x, y) >> 16 & 255);
            assert_int_equal(p[1], hatch(x, y) >> 8 & 255);
            assert_int_equal(p[2], hatch(x, y) & 255);
        }
    oc_buf_free(&rgb);
    oc_buf_free(&b);
    cairo_surface_destroy(s);
}

static void
test_drawing_is_packed_as_it_is(void **state)
{
    cairo_surface_t *s = surface(CAIRO_FORMAT_RGB24, 64, 48, two_blocks);
    oc_mend_picture m;
    oc_buf rgb = { 0 }, a = { 0 };
    const unsigned char *p;

    (void)state;
    encode(s, &m, &rgb, &a);
    assert_false(m.predicted);
    assert_int_equal(m.colors, 3);
    assert_int_equal(rgb.len, 64 * 48 * 3);
    p = (unsigned char *)rgb.data + (47 * 64 + 19) * 3;
    assert_memory_equal(p, "\x20\x40\xC0\xF0\xE0\xD0", 6);
    oc_buf_free(&rgb);
    cairo_surface_destroy(s);
}

static void
test_grey_pixels_are_one_component(void **state)
{
    cairo_surface_t *s = surface(CAIRO_FORMAT_ARGB32, 30, 20, grey_ramp);
    oc_mend_picture m;
    oc_buf g = { 0 }, a = { 0 };

    (void)state;
    encode(s, &m, &g, &a);
    assert_int_equal(m.colors, 1);
    assert_int_equal(m.mask_len, 0);      /* opaque ARGB: no mask */
    assert_int_equal(g.len, 30 * 20);
    for (int y = 0; y < 20; y++)
        for (int x = 0; x < 30; x++)
            assert_int_equal((unsigned char)g.data[y * 30 + x],
                             grey_ramp(x, y) & 255);
    oc_buf_free(&g);
    cairo_surface_destroy(s);
}

static void
test_alpha_becomes_a_soft_mask_and_colours_unpremultiplied(void **state)
{
    cairo_surface_t *s = surface(CAIRO_FORMAT_ARGB32, 8, 4, half_clear);
    oc_mend_picture m;
    oc_buf rgb = { 0 }, a = { 0 };

    (void)state;
    encode(s, &m, &rgb, &a);
    assert_int_equal(m.colors, 3);
    assert_true(m.mask_len > 0);
    assert_int_equal(a.len, 8 * 4);
    assert_int_equal((unsigned char)a.data[0], 128);
    assert_int_equal((unsigned char)a.data[1], 255);
    /* 64 premultiplied by 128/255 was 128. */
    assert_memory_equal(rgb.data, "\x80\x00\x00\x00\x00\xFF", 6);
    oc_buf_free(&rgb);
    oc_buf_free(&a);
    cairo_surface_destroy(s);
}

/* A placeholder's pixels as its stream holds them: RGB. */
static void
placeholder_rgb(size_t id, unsigned char rgb[3 * OC_PDFIMAGE_MARK_W])
{
    cairo_surface_t *s = oc_pdfimage_placeholder(id);
    const uint32_t *px;

    assert_int_equal(cairo_image_surface_get_width(s), OC_PDFIMAGE_MARK_W);
    assert_int_equal(cairo_image_surface_get_height(s), 1);
    cairo_surface_flush(s);
    px = (const uint32_t *)(void *)cairo_image_surface_get_data(s);
    for (int i = 0; i < OC_PDFIMAGE_MARK_W; i++) {
        rgb[3 * i] = (unsigned char)(px[i] >> 16);
        rgb[3 * i + 1] = (unsigned char)(px[i] >> 8);
        rgb[3 * i + 2] = (unsigned char)px[i];
    }
    cairo_surface_destroy(s);
}

static void
test_placeholder_names_its_picture(void **state)
{
    static const size_t ids[] = { 0, 1, 255, 0xABCDEF, OC_PDFIMAGE_IDS - 1 };
    unsigned char rgb[3 * OC_PDFIMAGE_MARK_W];

    (void)state;
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        placeholder_rgb(ids[i], rgb);
        assert_int_equal(oc_pdfimage_placeholder_id(rgb, sizeof rgb),
                         (long)ids[i]);
    }
    rgb[10] ^= 1;                           /* the check no longer holds */
    assert_int_equal(oc_pdfimage_placeholder_id(rgb, sizeof rgb), -1);
    placeholder_rgb(7, rgb);
    assert_int_equal(oc_pdfimage_placeholder_id(rgb, sizeof rgb - 3), -1);
    memset(rgb, 0, sizeof rgb);
    assert_int_equal(oc_pdfimage_placeholder_id(rgb, sizeof rgb), -1);
}

static cairo_status_t
to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    oc_buf_put(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

static uint32_t
black_then_white(int x, int y)
{
    (void)y;
    return x < 100 ? 0xFF000000u : 0xFFFFFFFFu;
}

/* A file of its own, unlinked. */
static int
temp_fd(void)
{
    char path[] = "/tmp/test_pdfimage.XXXXXX";
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    unlink(path);
    return fd;
}

/* The stream of picture 'm' read back from 'fd'. */
static void
read_picture(int fd, const oc_mend_picture *m, oc_buf *raw)
{
    char *data = malloc((size_t)m->len);

    assert_non_null(data);
    assert_int_equal(pread(fd, data, (size_t)m->len, (off_t)m->off),
                     (ssize_t)m->len);
    read_back(data, m->len, m->predicted,
              (size_t)m->width * (size_t)m->colors, raw);
    free(data);
}

/* A PNG picture of 200 x 100 pixels, black then white, printed at 72 dpi:
 * 50 pt wide it is 50 pixels (each the average of 4), 100 pt wide 100;
 * the same width twice is one picture; a damaged PNG is a transparent
 * pixel, warned of. */
static void
test_pool_scales_each_picture_down_once(void **state)
{
    cairo_surface_t *s = surface(CAIRO_FORMAT_RGB24, 200, 100,
                                 black_then_white);
    oc_buf png = { 0 }, raw = { 0 };
    oc_picture pic = { .href = "a.png", .dpi = 72, .shown_in = "ch.md" };
    oc_picture bad = { .href = "b.png", .dpi = 72, .shown_in = "ch.md" };
    oc_mend_pictures got;
    oc_error err = { 0 };
    int fd = temp_fd();
    oc_pdfimage_pool *p = oc_pdfimage_pool_new(fd);
    unsigned warned = oc_warn_count();

    (void)state;
    assert_int_equal(cairo_surface_write_to_png_stream(s, to_buf, &png),
                     CAIRO_STATUS_SUCCESS);
    pic.png = png.data;
    pic.png_len = png.len;
    bad.png = png.data;
    bad.png_len = png.len / 2;
    assert_int_equal(oc_pdfimage_pool_add(p, &pic, 50), 0);
    assert_int_equal(oc_pdfimage_pool_add(p, &pic, 100), 1);
    assert_int_equal(oc_pdfimage_pool_add(p, &pic, 50), 0);
    assert_int_equal(oc_pdfimage_pool_add(p, &bad, 50), 2);
    assert_int_equal(oc_pdfimage_pool_finish(p, &got, &err), OC_OK);
    assert_int_equal(got.n, 3);
    assert_int_equal(got.fd, fd);
    assert_int_equal(got.list[0].width, 50);
    assert_int_equal(got.list[0].height, 25);
    assert_int_equal(got.list[1].width, 100);
    assert_int_equal(got.list[1].height, 50);
    assert_int_equal(got.list[0].colors, 1);
    read_picture(fd, &got.list[0], &raw);
    assert_int_equal(raw.len, 50 * 25);
    for (int y = 0; y < 25; y++)
        for (int x = 0; x < 50; x++)
            assert_int_equal((unsigned char)raw.data[y * 50 + x],
                             x < 25 ? 0 : 255);
    oc_buf_free(&raw);
    assert_int_equal(got.list[2].width, 1);
    assert_int_equal(got.list[2].height, 1);
    assert_true(got.list[2].mask_len > 0);
    assert_int_equal(oc_warn_count(), warned + 1);
    oc_pdfimage_pool_free(p);
    close(fd);
    oc_buf_free(&png);
    cairo_surface_destroy(s);
}

static uint32_t
checkers(int x, int y)
{
    return (x + y) % 2 ? 0xFFFFFFFFu : 0xFF000000u;
}

/* Scaled down by 2.5, a pixel covers 2.5 x 2.5 of a checkerboard: the
 * grey between, each pixel near its half. */
static void
test_scaled_down_pixels_average_those_they_cover(void **state)
{
    cairo_surface_t *s = surface(CAIRO_FORMAT_RGB24, 100, 50, checkers);
    oc_buf png = { 0 };
    oc_picture pic = { .href = "c.png", .dpi = 72, .shown_in = "ch.md" };
    cairo_surface_t *d;
    const unsigned char *px;
    int stride;

    (void)state;
    cairo_surface_write_to_png_stream(s, to_buf, &png);
    pic.png = png.data;
    pic.png_len = png.len;
    d = oc_picture_pixels(&pic, 40);
    assert_non_null(d);
    assert_int_equal(cairo_image_surface_get_width(d), 40);
    assert_int_equal(cairo_image_surface_get_height(d), 20);
    cairo_surface_flush(d);
    px = cairo_image_surface_get_data(d);
    stride = cairo_image_surface_get_stride(d);
    for (int y = 0; y < 20; y++)
        for (int x = 0; x < 40; x++) {
            uint32_t v = ((const uint32_t *)(const void *)(px + y * stride))[x];
            int g = (int)(v & 255);

            assert_true(g >= 102 && g <= 153);     /* 0.4 to 0.6 */
            assert_int_equal(v >> 8 & 255, (uint32_t)g);
        }
    cairo_surface_destroy(d);
    /* At 10 dpi more than the pixels' own, nothing is scaled. */
    d = oc_picture_pixels(&pic, 100);
    assert_int_equal(cairo_image_surface_get_width(d), 100);
    cairo_surface_destroy(d);
    oc_buf_free(&png);
    cairo_surface_destroy(s);
}

/* Whether the bytes of 'pdf' (NULs among them) hold 'needle'. */
static bool
has(const oc_buf *pdf, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= pdf->len; i++)
        if (memcmp(pdf->data + i, needle, n) == 0)
            return true;
    return false;
}

static void
put_be32(oc_buf *b, uint32_t v)
{
    unsigned char q[4] = { v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255 };

    oc_buf_put(b, q, 4);
}

static void
put_chunk(oc_buf *b, const char *kind, const void *data, size_t len)
{
    uLong crc = crc32(0, (const Bytef *)kind, 4);

    put_be32(b, (uint32_t)len);
    oc_buf_put(b, kind, 4);
    oc_buf_put(b, data, len);
    crc = crc32(crc, (const Bytef *)data, (uInt)len);
    put_be32(b, (uint32_t)crc);
}

/* A PNG of w x h pixels of colour type 'ct' (8 bits), pixel bytes from a
 * generator, its rows filtered in turn with each of PNG's five filters,
 * its data in IDAT chunks of 1,000 bytes. */
static void
filtered_png(oc_buf *png, int w, int h, int ct)
{
    int bpp = ct == 0 ? 1 : ct == 2 ? 3 : ct == 4 ? 2 : 4;
    size_t n = (size_t)w * bpp;
    unsigned char *raw = calloc(h, n), *rows = calloc(h, n + 1);
    unsigned char ihdr[13] = { 0 };
    uLongf zlen = compressBound((uLong)(h * (n + 1)));
    unsigned char *zd = malloc(zlen);
    uint32_t seed = 12345;

    for (size_t i = 0; i < (size_t)h * n; i++) {
        seed = seed * 1103515245u + 12345u;
        raw[i] = (unsigned char)((i % n) / 3 + (seed >> 24) % 9);
    }
    for (int y = 0; y < h; y++) {
        const unsigned char *cur = raw + y * n;
        const unsigned char *up = y > 0 ? cur - n : NULL;
        unsigned char *o = rows + y * (n + 1);

        o[0] = (unsigned char)(y % 5);
        for (size_t i = 0; i < n; i++) {
            int a = i >= (size_t)bpp ? cur[i - bpp] : 0, b = up ? up[i] : 0;
            int c = up && i >= (size_t)bpp ? up[i - bpp] : 0;
            int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
            int pred[5] = { 0, a, b, (a + b) / 2,
                            pa <= pb && pa <= pc ? a : pb <= pc ? b : c };

            o[1 + i] = (unsigned char)(cur[i] - pred[y % 5]);
        }
    }
    assert_int_equal(compress2(zd, &zlen, rows, (uLong)(h * (n + 1)), 6),
                     Z_OK);
    oc_buf_put(png, "\x89PNG\r\n\x1a\n", 8);
    ihdr[0] = w >> 24, ihdr[1] = w >> 16, ihdr[2] = w >> 8, ihdr[3] = w;
    ihdr[4] = h >> 24, ihdr[5] = h >> 16, ihdr[6] = h >> 8, ihdr[7] = h;
    ihdr[8] = 8;
    ihdr[9] = (unsigned char)ct;
    put_chunk(png, "IHDR", ihdr, sizeof ihdr);
    for (uLongf off = 0; off < zlen; off += 1000)
        put_chunk(png, "IDAT", zd + off, zlen - off < 1000 ? zlen - off : 1000);
    put_chunk(png, "IEND", "", 0);
    free(zd);
    free(rows);
    free(raw);
}

/* PNGs of grey, grey and alpha, RGB and RGBA, rows in each filter, are
 * read fast (libdeflate, the filters undone here) to the very pixels
 * libpng reads; an interlaced one is not. */
static void
test_png_read_fast_gives_libpngs_pixels(void **state)
{
    static const int types[] = { 0, 2, 4, 6 };

    (void)state;
    for (size_t t = 0; t < sizeof types / sizeof *types; t++) {
        oc_buf png = { 0 };
        cairo_surface_t *fast, *slow;
        const char *why = NULL;
        int w = 37, h = 23;

        filtered_png(&png, w, h, types[t]);
        fast = oc_pdfimage_png(png.data, png.len);
        slow = oc_image_decode_raster(png.data, png.len, "image/png", &why);
        assert_non_null(fast);
        assert_non_null(slow);
        assert_int_equal(cairo_image_surface_get_format(fast),
                         cairo_image_surface_get_format(slow));
        cairo_surface_flush(fast);
        cairo_surface_flush(slow);
        for (int y = 0; y < h; y++)
            assert_memory_equal(
                cairo_image_surface_get_data(fast) +
                    y * cairo_image_surface_get_stride(fast),
                cairo_image_surface_get_data(slow) +
                    y * cairo_image_surface_get_stride(slow),
                4 * (size_t)w);
        cairo_surface_destroy(fast);
        cairo_surface_destroy(slow);
        /* Interlaced, it is left to libpng. */
        png.data[28] = 1;
        assert_null(oc_pdfimage_png(png.data, png.len));
        oc_buf_free(&png);
    }
}

/* A picture given to the PNG writer in bands of any height (as the
 * cover is drawn) is read back by libpng to its very pixels; one given
 * fewer rows than it has is refused. */
static void
test_png_writer_gives_the_pixels_drawn(void **state)
{
    static const int bands[] = { 1, 37, 100, 2, 300 };
    int w = 301, h = 440, y = 0;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_t *back;
    cairo_t *cr = cairo_create(s);
    cairo_pattern_t *g = cairo_pattern_create_linear(0, 0, w, h);
    oc_buf png = { 0 };
    oc_png_writer *pw;
    const char *why = NULL;

    (void)state;
    cairo_set_source_rgb(cr, 0.12, 0.16, 0.21);     /* flat colour */
    cairo_paint(cr);
    cairo_pattern_add_color_stop_rgb(g, 0, 1, 0.9, 0.2);
    cairo_pattern_add_color_stop_rgb(g, 1, 0.1, 0.3, 0.9);
    cairo_set_source(cr, g);
    cairo_arc(cr, 150, 200, 120, 0, 6.3);           /* a gradient */
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.8, 0.7, 0.4);
    cairo_set_line_width(cr, 1.3);                  /* antialiased */
    cairo_rectangle(cr, 10.5, 10.25, 280, 420);
    cairo_stroke(cr);
    cairo_pattern_destroy(g);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    pw = oc_png_writer_new(w, h, &png);
    for (size_t i = 0; y < h; i = (i + 1) % 5) {
        int n = bands[i] < h - y ? bands[i] : h - y;

        oc_png_writer_rows(pw, cairo_image_surface_get_data(s) +
                                   (size_t)y * cairo_image_surface_get_stride(s),
                           n, cairo_image_surface_get_stride(s));
        y += n;
    }
    assert_null(oc_png_writer_end(pw));
    back = oc_image_decode_raster(png.data, png.len, "image/png", &why);
    assert_non_null(back);
    assert_int_equal(cairo_image_surface_get_width(back), w);
    assert_int_equal(cairo_image_surface_get_height(back), h);
    cairo_surface_flush(back);
    for (y = 0; y < h; y++) {
        const uint32_t *a = (const uint32_t *)(const void *)(
            cairo_image_surface_get_data(s) +
            (size_t)y * cairo_image_surface_get_stride(s));
        const uint32_t *b = (const uint32_t *)(const void *)(
            cairo_image_surface_get_data(back) +
            (size_t)y * cairo_image_surface_get_stride(back));

        for (int x = 0; x < w; x++)
            assert_int_equal(a[x] & 0xFFFFFF, b[x] & 0xFFFFFF);
    }
    cairo_surface_destroy(back);
    pw = oc_png_writer_new(w, h, &png);
    oc_png_writer_rows(pw, cairo_image_surface_get_data(s), 10,
                       cairo_image_surface_get_stride(s));
    assert_non_null(oc_png_writer_end(pw));
    cairo_surface_destroy(s);
    oc_buf_free(&png);
}

/* A grey PNG scaled down gives the pixels its RGB copy (as cairo writes
 * it, from libpng's reading) does: grey rows are averaged as grey. */
static void
test_grey_png_scales_down_as_its_rgb_copy(void **state)
{
    oc_buf grey = { 0 }, rgb = { 0 };
    const char *why = NULL;
    cairo_surface_t *s, *a, *b;
    oc_picture pg = { .href = "g.png", .dpi = 72, .shown_in = "ch.md" };
    oc_picture pc = pg;

    (void)state;
    filtered_png(&grey, 90, 40, 0);
    s = oc_image_decode_raster(grey.data, grey.len, "image/png", &why);
    assert_non_null(s);
    cairo_surface_write_to_png_stream(s, to_buf, &rgb);
    cairo_surface_destroy(s);
    pg.png = grey.data;
    pg.png_len = grey.len;
    pc.png = rgb.data;
    pc.png_len = rgb.len;
    a = oc_picture_pixels(&pg, 37);
    b = oc_picture_pixels(&pc, 37);
    assert_int_equal(cairo_image_surface_get_width(a), 37);
    assert_int_equal(cairo_image_surface_get_width(b), 37);
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    assert_memory_equal(cairo_image_surface_get_data(a),
                        cairo_image_surface_get_data(b),
                        (size_t)cairo_image_surface_get_stride(a) *
                            (size_t)cairo_image_surface_get_height(a));
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    oc_buf_free(&grey);
    oc_buf_free(&rgb);
}

/* A JPEG of 32 x 16 colour pixels as gdk-pixbuf writes one. */
static void
make_jpeg(oc_buf *out)
{
    GdkPixbuf *pb = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, 32, 16);
    gchar *data = NULL;
    gsize len = 0;

    gdk_pixbuf_fill(pb, 0x3366CCFF);
    assert_true(gdk_pixbuf_save_to_buffer(pb, &data, &len, "jpeg", NULL,
                                          NULL));
    oc_buf_put(out, data, len);
    g_free(data);
    g_object_unref(pb);
}

/* 'jpeg' with an EXIF segment of orientation 'turn' after its SOI, in
 * big-endian ('MM') or little-endian ('II') TIFF. */
static void
with_exif(const oc_buf *jpeg, int turn, bool little, oc_buf *out)
{
    unsigned char app1[] = {
        0xFF, 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
        'M', 'M', 0, 42, 0, 0, 0, 8,            /* TIFF header */
        0, 1,                                   /* one entry */
        0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (unsigned char)turn, 0, 0,
        0, 0, 0, 0,                             /* no next IFD */
    };

    if (little) {           /* the same in Intel's order */
        unsigned char le[] = { 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0,
                               0x12, 0x01, 3, 0, 1, 0, 0, 0,
                               (unsigned char)turn, 0, 0, 0 };

        memcpy(app1 + 10, le, sizeof le);
    }
    out->len = 0;
    oc_buf_put(out, jpeg->data, 2);
    oc_buf_put(out, app1, sizeof app1);
    oc_buf_put(out, jpeg->data + 2, jpeg->len - 2);
}

/* A JPEG goes into the PDF as it is, its components told, unless its
 * EXIF orientation turns it or it is not 8-bit grey or colour. */
static void
test_jpeg_carried_as_is_unless_turned_or_cmyk(void **state)
{
    oc_buf jpeg = { 0 }, x = { 0 };
    long w = 0, h = 0;
    size_t sof;

    (void)state;
    make_jpeg(&jpeg);
    assert_int_equal(oc_image_sniff(jpeg.data, jpeg.len, &w, &h),
                     OC_IMAGE_JPEG);
    assert_int_equal(w, 32);
    assert_int_equal(oc_image_jpeg_as_is(jpeg.data, jpeg.len), 3);
    for (int little = 0; little < 2; little++) {
        with_exif(&jpeg, 1, little, &x);
        assert_int_equal(oc_image_jpeg_as_is(x.data, x.len), 3);
        with_exif(&jpeg, 6, little, &x);
        assert_int_equal(oc_image_jpeg_as_is(x.data, x.len), 0);
        with_exif(&jpeg, 3, little, &x);
        assert_int_equal(oc_image_jpeg_as_is(x.data, x.len), 0);
    }
    /* Its frame header, made CMYK, then 12-bit. */
    for (sof = 2; sof + 1 < jpeg.len; sof++)
        if ((unsigned char)jpeg.data[sof] == 0xFF &&
            (unsigned char)jpeg.data[sof + 1] == 0xC0)
            break;
    assert_true(sof + 10 < jpeg.len);
    jpeg.data[sof + 9] = 4;
    assert_int_equal(oc_image_jpeg_as_is(jpeg.data, jpeg.len), 0);
    jpeg.data[sof + 9] = 1;
    assert_int_equal(oc_image_jpeg_as_is(jpeg.data, jpeg.len), 1);
    jpeg.data[sof + 4] = 12;
    assert_int_equal(oc_image_jpeg_as_is(jpeg.data, jpeg.len), 0);
    oc_buf_free(&jpeg);
    oc_buf_free(&x);
}

/* A JPEG carried as it is goes to the pool's file byte for byte, at
 * once, a /DCTDecode picture of its components. */
static void
test_pool_writes_a_jpeg_as_it_is(void **state)
{
    oc_buf jpeg = { 0 };
    oc_picture pic = { .href = "p.jpg", .px_width = 32, .px_height = 16,
                       .shown_in = "ch.md" };
    oc_mend_pictures got;
    oc_error err = { 0 };
    int fd = temp_fd();
    oc_pdfimage_pool *p = oc_pdfimage_pool_new(fd);
    char *back;

    (void)state;
    make_jpeg(&jpeg);
    pic.jpeg = jpeg.data;
    pic.jpeg_len = jpeg.len;
    pic.jpeg_colors = 3;
    assert_int_equal(oc_pdfimage_pool_add(p, &pic, 100), 0);
    assert_int_equal(oc_pdfimage_pool_finish(p, &got, &err), OC_OK);
    assert_int_equal(got.n, 1);
    assert_true(got.list[0].dct);
    assert_int_equal(got.list[0].width, 32);
    assert_int_equal(got.list[0].height, 16);
    assert_int_equal(got.list[0].colors, 3);
    assert_int_equal(got.list[0].len, jpeg.len);
    back = malloc(jpeg.len);
    assert_int_equal(pread(fd, back, jpeg.len, (off_t)got.list[0].off),
                     (ssize_t)jpeg.len);
    assert_memory_equal(back, jpeg.data, jpeg.len);
    free(back);
    oc_pdfimage_pool_free(p);
    close(fd);
    oc_buf_free(&jpeg);
}

static oc_status
gather(const char *data, size_t len, void *ctx, oc_error *err)
{
    (void)err;
    oc_buf_put(ctx, data, len);
    return OC_OK;
}

static uint32_t
red(int x, int y)
{
    (void)x, (void)y;
    return 0xFFFF0000u;
}

/* Half transparent green: 0x80 alpha, green 0x80 premultiplied. */
static uint32_t
faint_green(int x, int y)
{
    (void)x, (void)y;
    return 0x80008000u;
}

/* The colour of pixel (x, y) of page 1 of 'pdf' painted by poppler at 72
 * dpi. */
static uint32_t
painted_at(const oc_buf *pdf, int x, int y)
{
    char path[] = "/tmp/test_pdfimage_pdf.XXXXXX";
    char cmd[256], png[64];
    int fd = mkstemp(path);
    cairo_surface_t *s;
    uint32_t v;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
    close(fd);
    snprintf(png, sizeof png, "%s-page", path);
    snprintf(cmd, sizeof cmd, "pdftoppm -r 72 -png -singlefile %s %s", path,
             png);
    assert_int_equal(system(cmd), 0);
    strcat(png, ".png");
    s = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(s);
    v = ((const uint32_t *)(const void *)(cairo_image_surface_get_data(s) +
                                          y * cairo_image_surface_get_stride(
                                                  s)))[x];
    cairo_surface_destroy(s);
    unlink(png);
    unlink(path);
    return v & 0xFFFFFF;
}

/* cairo paints two placeholders; mended, the PDF has the pictures in
 * their place (a red square, a faint green one over white), passes qpdf
 * and is painted so by poppler. */
static void
test_mended_pdf_shows_the_pictures_for_their_placeholders(void **state)
{
    oc_buf pdf = { 0 }, streams = { 0 }, out = { 0 };
    oc_mend_picture pics[2];
    oc_mend_options o = { .npages = 1, .body_style = 'D' };
    oc_error err = { 0 };
    cairo_surface_t *pages =
        cairo_pdf_surface_create_for_stream(to_buf, &pdf, 100, 100);
    cairo_t *cr = cairo_create(pages);
    cairo_surface_t *pix[2] = {
        surface(CAIRO_FORMAT_RGB24, 8, 8, red),
        surface(CAIRO_FORMAT_ARGB32, 8, 8, faint_green),
    };
    int fd = temp_fd();
    uint32_t at;

    (void)state;
    for (int i = 0; i < 2; i++) {
        cairo_surface_t *ph = oc_pdfimage_placeholder((size_t)i);

        assert_true(oc_pdfimage_encode(pix[i], &streams, &pics[i]));
        cairo_save(cr);
        cairo_translate(cr, 10 + 50 * i, 10);
        cairo_scale(cr, 30.0 / OC_PDFIMAGE_MARK_W, 30);
        cairo_set_source_surface(cr, ph, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
        cairo_surface_destroy(ph);
        cairo_surface_destroy(pix[i]);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(pages);
    assert_int_equal(pwrite(fd, streams.data, streams.len, 0),
                     (ssize_t)streams.len);
    o.pictures = (oc_mend_pictures){ pics, 2, fd };
    assert_int_equal(oc_mend_write(pdf.data, pdf.len, &o, gather, &out, &err),
                     OC_OK);
    assert_false(has(&out, "/Width 4\n"));
    assert_true(has(&out, "/Width 8\n"));
    assert_true(has(&out, "/SMask "));
    assert_int_equal(system("qpdf --version >/dev/null 2>&1"), 0);
    {
        char path[] = "/tmp/test_pdfimage_q.XXXXXX";
        char cmd[128];
        int q = mkstemp(path);

        assert_int_equal(write(q, out.data, out.len), (ssize_t)out.len);
        close(q);
        snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null", path);
        assert_int_equal(system(cmd), 0);
        unlink(path);
    }
    assert_int_equal(painted_at(&out, 25, 25), 0xFF0000);
    at = painted_at(&out, 75, 25);         /* green at half over white */
    assert_true((at >> 16 & 255) >= 120 && (at >> 16 & 255) <= 135);
    assert_true((at >> 8 & 255) >= 250);
    assert_int_equal(painted_at(&out, 5, 5), 0xFFFFFF);
    /* Without the pictures, the placeholders stay what they are. */
    out.len = 0;
    o.pictures = (oc_mend_pictures){ 0 };
    assert_int_equal(oc_mend_write(pdf.data, pdf.len, &o, gather, &out, &err),
                     OC_OK);
    assert_true(has(&out, "/Width 4\n"));
    close(fd);
    oc_buf_free(&out);
    oc_buf_free(&streams);
    oc_buf_free(&pdf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_photograph_rows_are_predicted_and_read_back_the_same),
        cmocka_unit_test(test_hatched_rows_get_deflates_matches),
        cmocka_unit_test(test_drawing_is_packed_as_it_is),
        cmocka_unit_test(test_grey_pixels_are_one_component),
        cmocka_unit_test(
            test_alpha_becomes_a_soft_mask_and_colours_unpremultiplied),
        cmocka_unit_test(test_placeholder_names_its_picture),
        cmocka_unit_test(test_pool_scales_each_picture_down_once),
        cmocka_unit_test(test_scaled_down_pixels_average_those_they_cover),
        cmocka_unit_test(test_png_read_fast_gives_libpngs_pixels),
        cmocka_unit_test(test_png_writer_gives_the_pixels_drawn),
        cmocka_unit_test(test_grey_png_scales_down_as_its_rgb_copy),
        cmocka_unit_test(test_jpeg_carried_as_is_unless_turned_or_cmyk),
        cmocka_unit_test(test_pool_writes_a_jpeg_as_it_is),
        cmocka_unit_test(
            test_mended_pdf_shows_the_pictures_for_their_placeholders),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
