/* fuzz_chapter.c - libFuzzer entry: any bytes as a chapter. The first byte
 * picks the format (Markdown, XHTML, HTML); the rest is the text. */
#include <libxml/parser.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "markdown.h"
#include "xhtml.h"

static void
quiet(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)file, (void)line, (void)col, (void)msg, (void)ctx;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *css[] = {"css/book.css"};
    oc_doc_opts o = {"en", NULL, "Fuzz", css, 1, "bodymatter", NULL, NULL,
                     false};
    xmlDocPtr doc = NULL;
    oc_error err = {0};

    if (size < 1)
        return 0;
    oc_set_warn_handler(quiet, NULL);
    if (oc_chapter_convert((const char *)data + 1, size - 1, "ch", 1,
                           (oc_chapter_format)(data[0] % 3), &o, &doc,
                           &err) == OC_OK) {
        oc_arena *a = oc_arena_new();
        oc_idset *ids = oc_idset_new();
        size_t len;

        oc_xhtml_assign_ids(doc, ids, "ch");
        oc_xhtml_serialize(a, doc, &len);
        oc_idset_free(ids);
        oc_arena_free(a);
        xmlFreeDoc(doc);
    }
    return 0;
}
