/* test_zhuff.c - the zlib streams of literals and runs: every input
 * read back the same by libdeflate and by zlib, never much bigger than
 * stored; runs coded as matches, a skewed input's codes cut to 15 bits,
 * what cannot be packed stored, a photograph's predicted rows smaller
 * than deflate's fastest level makes them, a stream given in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libdeflate.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "zhuff.h"

/* splitmix64: the same numbers on every machine. */
static uint64_t
next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Inflate zlib stream z (len bytes), expecting 'in' (n bytes), by
 * libdeflate and by zlib. */
static void
inflates_to(const unsigned char *z, size_t len, const unsigned char *in,
            size_t n)
{
    unsigned char *back = malloc(n + 1);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    size_t got = 0;
    uLongf zlen = n + 1;

    assert_non_null(back);
    assert_int_equal(libdeflate_zlib_decompress(d, z, len, back, n + 1,
                                                &got), LIBDEFLATE_SUCCESS);
    assert_int_equal(got, n);
    assert_memory_equal(back, in, n);
    memset(back, 0, n + 1);
    assert_int_equal(uncompress(back, &zlen, z, len), Z_OK);
    assert_int_equal(zlen, n);
    assert_memory_equal(back, in, n);
    libdeflate_free_decompressor(d);
    free(back);
}

/* 'in' (n bytes) packed after some bytes already in the buffer, checked
 * to come back the same, and no bigger than stored (with a block's
 * headers); its packed length. */
static size_t
round_trip(const unsigned char *in, size_t n)
{
    oc_buf out = { 0 };
    size_t len;

    oc_buf_put(&out, "head", 4);
    oc_zhuff_pack(in, n, &out);
    len = out.len - 4;
    assert_true(len <= n + 5 * (n / 65535 + n / 131072 + 2) + 16);
    assert_int_equal(out.data[out.len], '\0');
    inflates_to((const unsigned char *)out.data + 4, len, in, n);
    oc_buf_free(&out);
    return len;
}

static void
test_small_inputs_come_back(void **state)
{
    unsigned char b[700] = { 0 };

    (void)state;
    assert_true(round_trip(b, 0) <= 16);
    b[0] = 'a';
    round_trip(b, 1);
    for (size_t n = 2; n < sizeof b; n += 13) {
        for (size_t i = 0; i < n; i++)
            b[i] = (unsigned char)(i / 9 % 3);  /* runs of 9: matches */
        round_trip(b, n);
    }
}

/* Runs of every length up to and past 258 (the longest match), at the
 * start, at a block's edge (2^17) and at the end. */
static void
test_runs_of_every_length(void **state)
{
    size_t n = 600000, at = 0;
    unsigned char *b = malloc(n);
    uint64_t s = 1;

    (void)state;
    for (size_t r = 1; at < n; r = r % 600 + 1) {
        unsigned char v = (unsigned char)next(&s);

        for (size_t i = 0; i < r && at < n; i++)
            b[at++] = v;
    }
    round_trip(b, n);
    memset(b, 7, n);
    assert_true(round_trip(b, n) < n / 100);        /* runs, not bytes */
    for (size_t i = 131072 - 5; i < 131072 + 300; i++)
        b[i] = 9;
    round_trip(b, n);
    free(b);
}

/* Values whose counts halve one after another need codes longer than
 * 15 bits unless cut; random bytes are stored. */
static void
test_skewed_and_random_inputs(void **state)
{
    size_t n = 1 << 20;
    unsigned char *b = malloc(n);
    uint64_t s = 2;

    (void)state;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = next(&s);

        b[i] = (unsigned char)(v == 0 ? 40 : __builtin_ctzll(v) * 3 + 1);
    }
    assert_true(round_trip(b, n) < n / 3);
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)next(&s);
    assert_true(round_trip(b, n) <= n + n / 1000);
    free(b);
}

/* Rows of smooth colour with grain, predicted from the row above (as
 * pdfimage.c writes a photograph): smaller than deflate at level 1. */
static void
test_photograph_rows_pack_smaller_than_deflate_fastest(void **state)
{
    size_t w = 900, h = 600, row = 3 * w + 1, n = row * h, lib;
    unsigned char *b = malloc(n), *prev = calloc(3 * w, 1), *z;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
    uint64_t s = 3;

    (void)state;
    for (size_t y = 0; y < h; y++) {
        b[y * row] = 2;
        for (size_t x = 0; x < 3 * w; x++) {
            uint64_t g = next(&s) & 7;
            unsigned char v = (unsigned char)(100 + 60 * sin(x / 97.0 + y /
                                                             53.0) +
                                              (g < 5 ? 0 : g - 4));

            b[y * row + 1 + x] = (unsigned char)(v - prev[x]);
            prev[x] = v;
        }
    }
    z = malloc(libdeflate_zlib_compress_bound(c, n));
    lib = libdeflate_zlib_compress(c, b, n, z,
                                   libdeflate_zlib_compress_bound(c, n));
    assert_true(round_trip(b, n) < lib);
    libdeflate_free_compressor(c);
    free(z);
    free(prev);
    free(b);
}

/* A stream given in pieces of any length (a cover's bands) reads back
 * as the bytes given, in order. */
static void
test_pieces_make_one_stream(void **state)
{
    static const size_t piece[] = { 0, 1, 7, 4801, 200000, 3, 131072, 9 };
    size_t n = 0, at = 0;
    unsigned char *b;
    oc_buf out = { 0 };
    oc_zhuff *z;
    uint64_t s = 4;

    (void)state;
    for (size_t i = 0; i < sizeof piece / sizeof *piece; i++)
        n += piece[i];
    b = malloc(n);
    for (size_t i = 0; i < n; i++)      /* runs and grain */
        b[i] = (unsigned char)(i % 4801 < 3000 ? 0 : next(&s) % 5);
    z = oc_zhuff_begin(&out);
    for (size_t i = 0; i < sizeof piece / sizeof *piece; i++) {
        oc_zhuff_put(z, b + at, piece[i]);
        at += piece[i];
    }
    oc_zhuff_end(z);
    inflates_to((const unsigned char *)out.data, out.len, b, n);
    assert_true(out.len < n / 4);
    oc_buf_free(&out);
    free(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_inputs_come_back),
        cmocka_unit_test(test_runs_of_every_length),
        cmocka_unit_test(test_skewed_and_random_inputs),
        cmocka_unit_test(test_photograph_rows_pack_smaller_than_deflate_fastest),
        cmocka_unit_test(test_pieces_make_one_stream),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
