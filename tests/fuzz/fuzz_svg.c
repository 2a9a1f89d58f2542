/* fuzz_svg.c - libFuzzer entry: any bytes as an SVG image. Whatever the
 * sanitiser accepts must re-parse strictly, hold no script element, event
 * attribute or script URL, and come out the same if sanitised again. */
#include <libxml/parser.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "svg.h"

static void
quiet(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)file, (void)line, (void)col, (void)msg, (void)ctx;
}

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
same_ci(const char *s, const char *lower_case)
{
    while (*s != '\0' && lower((unsigned char)*s) == *lower_case)
        s++, lower_case++;
    return *s == '\0' && *lower_case == '\0';
}

/* 'needle' (lower case) occurs in 's', ignoring case and ASCII white
 * space and control characters, as a URL parser would. */
static int
has_word(const char *s, const char *needle)
{
    for (; *s != '\0'; s++) {
        const char *p = s;
        const char *q = needle;

        while (*q != '\0' && *p != '\0') {
            if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
                p++;
                continue;
            }
            if (lower((unsigned char)*p) != *q)
                break;
            p++, q++;
        }
        if (*q == '\0')
            return 1;
    }
    return 0;
}

/* Text nodes may say anything ("<script>" in a caption is text); the
 * markup may not. */
static void
check_tree(xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE ||
            n->type == XML_ENTITY_REF_NODE || n->type == XML_DTD_NODE)
            abort();
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (same_ci((const char *)n->name, "script") ||
            same_ci((const char *)n->name, "foreignobject"))
            abort();
        for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);

            if (lower(a->name[0]) == 'o' && lower(a->name[1]) == 'n')
                abort();
            if (v != NULL && has_word((const char *)v, "javascript:"))
                abort();
            xmlFree(v);
        }
        check_tree(n->children);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    oc_buf out = {0};
    oc_buf again = {0};
    oc_error err = {0};
    xmlDocPtr doc;

    oc_set_warn_handler(quiet, NULL);
    if (oc_svg_sanitize((const char *)data, size, "fuzz.svg", &out,
                        &err) != OC_OK) {
        oc_buf_free(&out);
        return 0;
    }
    /* strict: no recovery; a namespace error fails too */
    doc = xmlReadMemory(out.data, (int)out.len, "out.svg", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR |
                        XML_PARSE_NOWARNING);
    if (doc == NULL || doc->intSubset != NULL)
        abort();
    check_tree(doc->children);
    xmlFreeDoc(doc);
    memset(&err, 0, sizeof err);
    if (oc_svg_sanitize(out.data, out.len, "out.svg", &again, &err) !=
            OC_OK ||
        again.len != out.len || memcmp(again.data, out.data, out.len) != 0)
        abort();
    oc_buf_free(&again);
    oc_buf_free(&out);
    return 0;
}
