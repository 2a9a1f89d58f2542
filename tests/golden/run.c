/* golden/run.c - turn each tests/golden/CASE.md into XHTML and compare it
 * byte for byte with CASE.xhtml. OCTAVO_UPDATE_GOLDEN=1 rewrites them.
 * A case named CASE.LANG.md is a chapter in language LANG (else en). */
#include <dirent.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "markdown.h"
#include "xhtml.h"

static int
compare(const char *dir, const char *name, int update)
{
    static const char *css[] = {"css/book.css"};
    oc_doc_opts o = {"en", NULL, "Golden", css, 1, "bodymatter", NULL, NULL,
                     false};
    char in[1024], want_path[1024], lang[32];
    const char *dot = strchr(name, '.');
    oc_buf text = {0}, want = {0};
    oc_error err = {0};
    xmlDocPtr doc = NULL;
    oc_arena *a = oc_arena_new();
    oc_idset *ids = oc_idset_new();
    size_t len;
    char *got;
    int ok = 0;

    if (dot != NULL && strcmp(dot, ".md") != 0) {
        snprintf(lang, sizeof lang, "%.*s", (int)strcspn(dot + 1, "."),
                 dot + 1);
        o.language = lang;
    }
    snprintf(in, sizeof in, "%s/%s", dir, name);
    snprintf(want_path, sizeof want_path, "%s/%.*s.xhtml", dir,
             (int)(strlen(name) - 3), name);
    if (oc_buf_read_file(&text, in, 0, &err) != OC_OK ||
        oc_chapter_convert(text.data, text.len, in, 1, OC_FORMAT_MARKDOWN,
                           &o, &doc, &err) != OC_OK) {
        char line[1024];

        oc_error_format(&err, line, sizeof line);
        fprintf(stderr, "FAIL %s: %s\n", name, line);
        goto out;
    }
    oc_xhtml_assign_ids(doc, ids, in);
    got = oc_xhtml_serialize(a, doc, &len);
    if (update) {
        ok = oc_write_file_atomic(want_path, got, len, &err) == OC_OK;
        goto out;
    }
    if (oc_buf_read_file(&want, want_path, 0, &err) != OC_OK) {
        fprintf(stderr, "FAIL %s: no %s\n", name, want_path);
        goto out;
    }
    ok = want.len == len && memcmp(want.data, got, len) == 0;
    if (!ok)
        fprintf(stderr, "FAIL %s: output differs from %s\n--- got:\n%s\n",
                name, want_path, got);
out:
    if (doc)
        xmlFreeDoc(doc);
    oc_idset_free(ids);
    oc_arena_free(a);
    oc_buf_free(&text);
    oc_buf_free(&want);
    return ok;
}

static int
by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The repairs a case makes are part of its log. */
static void
print_warning(const char *file, int line, int col, const char *msg,
              void *ctx)
{
    char text[1536];

    (void)ctx;
    oc_warning_format(file, line, col, msg, text, sizeof text);
    fprintf(stderr, "%s\n", text);
}

int
main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/golden";
    const char *upd = getenv("OCTAVO_UPDATE_GOLDEN");
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    int passed = 0, failed = 0;

    oc_set_warn_handler(print_warning, NULL);
    if (d == NULL) {
        perror(dir);
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);

        if (l > 3 && strcmp(e->d_name + l - 3, ".md") == 0) {
            names = oc_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = oc_xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        if (compare(dir, names[i], upd && upd[0] == '1'))
            passed++;
        else
            failed++;
        free(names[i]);
    }
    free(names);
    xmlCleanupParser();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
