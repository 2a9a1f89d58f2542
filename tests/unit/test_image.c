/* test_image.c - what is wrong with a damaged PNG, said as it is: its
 * chunks checked when the book is read, its pixels when the PDF paints
 * them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "image.h"

/* A PNG of one white RGB pixel, as a PNG writer makes it; the same with
 * whole chunks (right checksums) over data that is not deflate. */
static const unsigned char white[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
    0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xff, 0xff, 0x3f,
    0x00, 0x05, 0xfe, 0x02, 0xfe, 0x33, 0x12, 0x95, 0x14, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const unsigned char garbled[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
    0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0x69, 0x64, 0x7a, 0x10, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

enum { IDAT_CRC = 53, IEND = 57 };     /* offsets in both */

static void
test_a_whole_png_is_not_damaged(void **state)
{
    const char *why = NULL;
    cairo_surface_t *s;

    (void)state;
    assert_null(oc_image_png_damage(white, sizeof white));
    s = oc_image_decode_raster(white, sizeof white, "image/png", &why);
    assert_non_null(s);
    assert_int_equal(cairo_image_surface_get_width(s), 1);
    cairo_surface_destroy(s);
}

static void
test_bad_checksum_and_cut_short_are_named(void **state)
{
    unsigned char png[sizeof white];
    const char *why;

    (void)state;
    memcpy(png, white, sizeof png);
    png[IDAT_CRC] ^= 0xff;
    why = oc_image_png_damage(png, sizeof png);
    assert_non_null(why);
    assert_non_null(strstr(why, "IDAT"));
    assert_string_equal(oc_image_png_damage(white, IEND), "it is cut short");
    assert_string_equal(oc_image_png_damage(white, IDAT_CRC),
                        "it is cut short");
    assert_string_equal(oc_image_png_damage(white, 8), "it is cut short");
}

/* cairo 1.16 says "out of memory" for any libpng error; the reason
 * given is the damage. */
static void
test_undecodable_pixels_are_not_out_of_memory(void **state)
{
    const char *why = NULL;

    (void)state;
    assert_null(oc_image_png_damage(garbled, sizeof garbled));
    assert_null(oc_image_decode_raster(garbled, sizeof garbled, "image/png",
                                       &why));
    assert_non_null(why);
    assert_null(strstr(why, "memory"));
    assert_non_null(strstr(why, "damaged"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_whole_png_is_not_damaged),
        cmocka_unit_test(test_bad_checksum_and_cut_short_are_named),
        cmocka_unit_test(test_undecodable_pixels_are_not_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
