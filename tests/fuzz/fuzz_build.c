/* fuzz_build.c - libFuzzer entry: a whole build. The input is split at
 * the first NUL into a manifest and one Markdown chapter, written to a
 * private folder, loaded and written as EPUB and PDF. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "octavo.h"

static char dir[64];

static void
quiet(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)file, (void)line, (void)col, (void)msg, (void)ctx;
}

static void
put(const char *name, const void *data, size_t len)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((f = fopen(path, "wb")) != NULL) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    oc_options opt = { .data_dir = getenv("OCTAVO_DATA_DIR")
                                   ? getenv("OCTAVO_DATA_DIR") : "." };
    char path[128], out[128];
    oc_book *b = NULL;
    oc_error err = {0};

    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/octavo-fuzz-XXXXXX");
        if (mkdtemp(dir) == NULL)
            abort();
    }
    oc_set_warn_handler(quiet, NULL);
    if (nul == NULL) {
        put("book.yaml", "title: Fuzz\nchapters: [ch.md]\n", 30);
        put("ch.md", data, size);
    } else {
        put("book.yaml", data, (size_t)(nul - data));
        put("ch.md", nul + 1, size - (size_t)(nul - data) - 1);
    }
    snprintf(path, sizeof path, "%s/book.yaml", dir);
    if (oc_book_load(path, &opt, &b, &err) == OC_OK) {
        snprintf(out, sizeof out, "%s/out.epub", dir);
        oc_book_write_epub(b, out, &err);
        err.code = OC_OK;
        snprintf(out, sizeof out, "%s/out.pdf", dir);
        oc_book_write_pdf(b, out, &err);
        oc_book_free(b);
    }
    return 0;
}
