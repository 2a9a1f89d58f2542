/* fuzz_manifest.c - libFuzzer entry: any bytes as book.yaml. */
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "manifest.h"

static void
quiet(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)file, (void)line, (void)col, (void)msg, (void)ctx;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    oc_arena *a = oc_arena_new();
    oc_manifest *m = NULL;
    oc_error err = {0};

    oc_set_warn_handler(quiet, NULL);
    oc_manifest_parse(a, (const char *)data, size, "book.yaml", &m, &err);
    oc_arena_free(a);
    return 0;
}
