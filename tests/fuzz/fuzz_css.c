/* fuzz_css.c - libFuzzer entry: any bytes as a stylesheet, cascaded over a
 * small fixed chapter, then every kind of page asked for. */
#include <libxml/parser.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "css.h"
#include "error.h"

static const char chapter[] =
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
    "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"en\">"
    "<head><title>Fuzz</title><style>p{}</style></head>"
    "<body epub:type=\"bodymatter\"><section epub:type=\"chapter\" "
    "id=\"c1\" class=\"chapter first\">"
    "<h1 id=\"t\">Title <em>one</em></h1>"
    "<p class=\"noindent\">A <strong>b</strong> <a href=\"#n1\" "
    "epub:type=\"noteref\"><sup>1</sup></a> c<br/>d.</p>"
    "<p style=\"text-align: right; font-size: 2em\">e <code>f</code></p>"
    "<blockquote><p dir=\"rtl\" lang=\"ar\">g</p></blockquote>"
    "<ul><li>h<ol type=\"i\"><li>i</li></ol></li></ul>"
    "<pre>j\n k</pre><hr/><figure><img src=\"x.png\" alt=\"\"/>"
    "<figcaption>l</figcaption></figure>"
    "<table><tr><th>m</th><td style=\"text-align: center\">n</td></tr>"
    "</table>"
    "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"n1\">"
    "<p>o <del>p</del></p></aside></section></body></html>";

static void
quiet(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)file, (void)line, (void)col, (void)msg, (void)ctx;
}

static void
walk(oc_css *css, oc_arena *a, xmlNodePtr n, const oc_style *parent)
{
    for (; n; n = n->next) {
        const oc_style *s = oc_css_compute(css, n, parent);

        for (size_t k = 0; k < s->nstring_set; k++)
            oc_css_content_text(a, &s->string_set[k].value, n);
        if (n->type == XML_ELEMENT_NODE)
            walk(css, a, n->children, s);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static xmlDocPtr doc;
    oc_arena *a = oc_arena_new();
    oc_css *css;
    const oc_style *root;
    char buf[64];

    oc_set_warn_handler(quiet, NULL);
    if (doc == NULL)
        doc = xmlReadMemory(chapter, (int)strlen(chapter), "fuzz.xhtml",
                            NULL, XML_PARSE_NONET);
    css = oc_css_new(a);
    oc_css_parse(css, (const char *)data, size, "fuzz.css", NULL);
    root = oc_css_compute(css, xmlDocGetRootElement(doc), NULL);
    walk(css, a, xmlDocGetRootElement(doc), NULL);
    for (unsigned flags = 0; flags < 16; flags++) {
        const oc_page_style *pg = oc_css_page(css, flags, root);

        for (int b = 0; b < OC_MBOX_COUNT; b++) {
            const oc_content *c = &pg->boxes[b].content;

            for (size_t k = 0; k < c->npieces; k++)
                oc_css_counter_format((int)flags - 3,
                                      c->pieces[k].counter_style, buf,
                                      sizeof buf);
            oc_css_content_text(a, c, NULL);
        }
    }
    oc_arena_free(a);
    return 0;
}
