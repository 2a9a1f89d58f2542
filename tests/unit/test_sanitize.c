/* test_sanitize.c - the URL policy and the stylesheet clean-up of
 * sanitize.c (its chapter pass is covered by the golden cases). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "sanitize.h"

static void
test_script_schemes_are_refused_however_written(void **state)
{
    const char *bad[] = {
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x",
        "java\tscript:x", "java\nscript:x", "\rjavascript:x",
        "jav\x01" "ascript:x", "vbscript:msgbox", "file:///etc/passwd",
        "FILE:///etc/passwd", " fIlE:x", "data:text/html,<script>",
        "unknown:thing", NULL};
    const char *why = NULL;

    (void)state;
    for (size_t i = 0; bad[i] != NULL; i++) {
        why = NULL;
        if (oc_url_allowed(bad[i], OC_URL_LINK, &why))
            fail_msg("'%s' was allowed", bad[i]);
        assert_non_null(why);
    }
    assert_false(oc_url_allowed("data:text/html,x", OC_URL_IMAGE, NULL));
}

static void
test_book_web_and_mail_urls_pass(void **state)
{
    const char *good[] = {
        "chapter.xhtml#x", "#note", "images/a b.png", "../c.md",
        "http://example.org", "HTTPS://example.org/a:b", "mailto:a@b.org",
        "a/b:c", "?q=1:2", NULL};

    (void)state;
    for (size_t i = 0; good[i] != NULL; i++)
        if (!oc_url_allowed(good[i], OC_URL_LINK, NULL))
            fail_msg("'%s' was refused", good[i]);
    assert_true(oc_url_allowed("data:image/png;base64,AAAA", OC_URL_IMAGE,
                               NULL));
    assert_false(oc_url_allowed("data:image/png;base64,AAAA", OC_URL_LINK,
                                NULL));
    assert_true(oc_url_is_remote(" HTTPS://x.org/a.png"));
    assert_false(oc_url_is_remote("images/https.png"));
}

static void
test_stylesheet_loses_imports_and_urls_keeps_the_rest(void **state)
{
    const char css[] =
        "@import url(other.css);\n"
        "body { color: black; background: url(file:///etc/passwd); "
        "margin: 0 }\n"
        "/* url(in a comment) */\n"
        "p { content: \"url(in a string)\"; }\n"
        ".a { background: url(\"data:image/png;base64,AAAA\"); }\n"
        "@font-face { font-family: X; src: URL(../../x.otf) }\n"
        "h1 { color: red }\n";
    oc_buf out = {0};

    (void)state;
    oc_sanitize_css(css, strlen(css), "s.css", &out);
    oc_buf_put(&out, "", 1);
    assert_null(strstr(out.data, "@import"));
    assert_null(strstr(out.data, "passwd"));
    assert_null(strstr(out.data, "x.otf"));
    assert_non_null(strstr(out.data, "body { color: black; margin: 0 }"));
    assert_non_null(strstr(out.data, "/* url(in a comment) */"));
    assert_non_null(strstr(out.data, "\"url(in a string)\""));
    assert_non_null(strstr(out.data, "data:image/png;base64,AAAA"));
    assert_non_null(strstr(out.data, "h1 { color: red }"));
    oc_buf_free(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_script_schemes_are_refused_however_written),
        cmocka_unit_test(test_book_web_and_mail_urls_pass),
        cmocka_unit_test(
            test_stylesheet_loses_imports_and_urls_keeps_the_rest),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
