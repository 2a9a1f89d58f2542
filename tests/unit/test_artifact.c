/* test_artifact.c - untagged content of a content stream marked as
 * artifacts: text objects whole or by their showing operators, paths
 * from their first construction operator, XObjects, inline images;
 * tagged content (an MCID, an artifact) left alone, a span that only
 * gives its text (/ActualText) not taken for tagged; streams that do not
 * read refused; and the zlib round trip they travel in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "artifact.h"
#include "buf.h"

/* Mark 'in'; expect 'n' marked and the stream 'want'. */
static void
marks(const char *in, long n, const char *want)
{
    oc_buf out = { 0 };

    assert_int_equal(oc_mark_artifacts(in, strlen(in), &out), n);
    assert_string_equal(out.data ? out.data : "", want);
    oc_buf_free(&out);
}

static void
test_untagged_text_object_is_marked_whole(void **state)
{
    (void)state;
    marks("q\nBT\n/f1 1 Tf\n(iii)Tj\nET\nQ\n", 1,
          "q\n/Artifact BMC\nBT\n/f1 1 Tf\n(iii)Tj\nET\nEMC\nQ\n");
    /* A span of /ActualText in it is not tagged: still whole. */
    marks("BT /Span <</ActualText (x)>> BDC (a)Tj EMC ET", 1,
          "/Artifact BMC\nBT /Span <</ActualText (x)>> BDC (a)Tj EMC ET"
          "\nEMC");
}

static void
test_tagged_content_is_left_alone(void **state)
{
    const char *tagged = "/P << /MCID 0 >> BDC\nBT (a)Tj ET\n0 0 m 1 1 l S"
                         "\nEMC\n/Artifact BMC 0 0 10 10 re f EMC";

    (void)state;
    marks(tagged, 0, tagged);
}

static void
test_text_beside_tagged_content_is_marked_by_operator(void **state)
{
    (void)state;
    marks("BT /P <</MCID 0>> BDC (a)Tj EMC 1 0 Td [(b) -20 (c)]TJ ET", 1,
          "BT /P <</MCID 0>> BDC (a)Tj EMC 1 0 Td /Artifact BMC\n"
          "[(b) -20 (c)]TJ\nEMC ET");
}

static void
test_paths_xobjects_and_images_are_marked(void **state)
{
    (void)state;
    marks("1 w 0 0 m 10 0 l S", 1, "1 w /Artifact BMC\n0 0 m 10 0 l S\nEMC");
    marks("0 0 5 5 re W n /Im0 Do", 1,
          "0 0 5 5 re W n /Artifact BMC\n/Im0 Do\nEMC");
    marks("BI /W 1 /H 1 /BPC 8 /CS /G ID \xff EI Q", 1,
          "/Artifact BMC\nBI /W 1 /H 1 /BPC 8 /CS /G ID \xff EI\nEMC Q");
    /* A string holding an operator's name and parentheses is a string. */
    marks("BT (ET \\) Tj \\( S) Tj ET", 1,
          "/Artifact BMC\nBT (ET \\) Tj \\( S) Tj ET\nEMC");
}

static void
test_streams_that_do_not_read_are_refused(void **state)
{
    const char *bad[] = { "(open", "EMC", "/P <<>> BDC (a) Tj", "[ 1 2",
                          ">> x", "BT (a) Tj", "BI /W 1 ID xx" };
    oc_buf out = { 0 };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(oc_mark_artifacts(bad[i], strlen(bad[i]), &out),
                         -1);
        assert_int_equal(out.len, 0);
    }
}

static void
test_zlib_round_trip(void **state)
{
    oc_buf packed = { 0 }, plain = { 0 }, big = { 0 };
    oc_error err = { 0 };

    (void)state;
    for (int i = 0; i < 20000; i++)
        oc_buf_printf(&big, "%d 0 0 1 0 0 cm (line %d) Tj\n", i, i);
    assert_int_equal(oc_deflate(big.data, big.len, &packed, &err), OC_OK);
    assert_true(packed.len < big.len / 4);
    assert_int_equal(oc_inflate(packed.data, packed.len, &plain, &err),
                     OC_OK);
    assert_int_equal(plain.len, big.len);
    assert_memory_equal(plain.data, big.data, big.len);
    oc_buf_free(&plain);
    assert_int_equal(oc_inflate("not zlib", 8, &plain, &err), OC_ERR_LIB);
    oc_buf_free(&plain);
    oc_buf_free(&packed);
    oc_buf_free(&big);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_untagged_text_object_is_marked_whole),
        cmocka_unit_test(test_tagged_content_is_left_alone),
        cmocka_unit_test(test_text_beside_tagged_content_is_marked_by_operator),
        cmocka_unit_test(test_paths_xobjects_and_images_are_marked),
        cmocka_unit_test(test_streams_that_do_not_read_are_refused),
        cmocka_unit_test(test_zlib_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
