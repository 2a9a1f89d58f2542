/* fuzz_sanitize.c - libFuzzer entry: the sanitiser judged by what it
 * lets out. The first byte picks the input: a chapter in HTML, XHTML or
 * Markdown (raw HTML inside it), or a stylesheet; the rest is the text.
 * A chapter that converts must serialise to XML that parses again, with
 * no element that has no place in a book, no event handler, no URL
 * attribute whose scheme the policy refuses, and no style attribute that
 * loads anything; a stylesheet must come out without @import and with
 * no url() but an image data: URL or a fragment. Any breach aborts. */
#include <ctype.h>
#include <libxml/parser.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "markdown.h"
#include "sanitize.h"
#include "xhtml.h"

static const char *const banned[] = {
    "script", "iframe", "object", "embed", "applet", "frame", "frameset",
    "base", "form", NULL};
static const char *const url_attrs[] = {
    "href", "src", "cite", "poster", "longdesc", "action", "formaction",
    "background", "data", NULL};

static void
quiet(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)file, (void)line, (void)col, (void)msg, (void)ctx;
}

static bool
in(const char *name, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (strcasecmp(name, list[i]) == 0)
            return true;
    return false;
}

/* s lowered, without ASCII white space and control characters, as a
 * browser reads a scheme or a CSS function name. */
static char *
squeezed(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;

    for (; *s; s++)
        if ((unsigned char)*s > ' ' && *s != 0x7f)
            *o++ = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
    *o = '\0';
    return out;
}

/* CSS text s as its tokenizer reads names: comments out, escapes
 * decoded (\72 and \r are both 'r'), lowered. */
static char *
css_read(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;

    while (*s) {
        if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");

            s = e ? e + 2 : s + strlen(s);
            continue;
        }
        if (s[0] == '\\' && s[1] != '\0') {
            char *end;
            long cp = strtol(s + 1, &end, 16);
            int n = (int)(end - (s + 1));

            if (n > 0 && n <= 6 && isxdigit((unsigned char)s[1])) {
                s = end + (*end == ' ' || *end == '\t' || *end == '\n');
                *o++ = cp > 0 && cp < 0x80 ? (char)tolower((int)cp) : '?';
            } else {
                *o++ = (char)tolower((unsigned char)s[1]);
                s += 2;
            }
            continue;
        }
        *o++ = (char)tolower((unsigned char)*s++);
    }
    *o = '\0';
    return out;
}

/* Whether CSS text s (css_read) calls function f ("url("): f where no
 * name character comes before it ("aacurl(" is another function). */
static bool
css_function(const char *s, const char *f)
{
    for (const char *p = strstr(s, f); p != NULL; p = strstr(p + 1, f))
        if (p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '-' ||
                        p[-1] == '_' || (unsigned char)p[-1] >= 0x80))
            return true;
    return false;
}

/* Whether CSS text s (css_read) holds the at-rule @import (not a longer
 * at-keyword such as @importx). */
static bool
css_import(const char *s)
{
    for (const char *p = strstr(s, "@import"); p != NULL;
         p = strstr(p + 1, "@import")) {
        unsigned char c = (unsigned char)p[7];

        if (!(isalnum(c) || c == '-' || c == '_' || c >= 0x80))
            return true;
    }
    return false;
}

static void
check_attr(xmlNodePtr e, xmlAttrPtr a)
{
    const char *name = (const char *)a->name;
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    char *sq = css_read(v ? (const char *)v : "");
    oc_url_use use = strcmp((const char *)e->name, "img") == 0 &&
                             strcmp(name, "src") == 0
                         ? OC_URL_IMAGE : OC_URL_LINK;

    if (strncasecmp(name, "on", 2) == 0)
        abort();                        /* an event handler */
    if (in(name, url_attrs) && !oc_url_allowed((const char *)v, use, NULL))
        abort();                        /* a refused scheme */
    if (strcmp(name, "style") == 0 &&
        (css_function(sq, "url(") || css_function(sq, "expression(") ||
         css_import(sq)))
        abort();                        /* a style that loads */
    free(sq);
    xmlFree(v);
}

static void
check_tree(xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (in((const char *)n->name, banned) ||
            (n->ns != NULL && strstr((const char *)n->ns->href, "XInclude") &&
             strcmp((const char *)n->ns->href,
                    "http://www.w3.org/2001/XInclude") == 0))
            abort();
        if (strcmp((const char *)n->name, "meta") == 0 &&
            xmlHasProp(n, BAD_CAST "http-equiv"))
            abort();
        for (xmlAttrPtr a = n->properties; a != NULL; a = a->next)
            check_attr(n, a);
        check_tree(n->children);
    }
}

static void
chapter(const char *text, size_t len, oc_chapter_format format)
{
    static const char *css[] = {"css/book.css"};
    oc_doc_opts o = {"en", NULL, "Fuzz", css, 1, "bodymatter", NULL};
    xmlDocPtr doc = NULL, again;
    oc_error err = {0};
    oc_arena *a;
    oc_idset *ids;
    size_t n;
    char *x;

    if (oc_chapter_convert(text, len, "ch", 1, format, &o, &doc, &err) !=
        OC_OK)
        return;
    a = oc_arena_new();
    ids = oc_idset_new();
    oc_xhtml_assign_ids(doc, ids, "ch");
    check_tree(xmlDocGetRootElement(doc));
    x = oc_xhtml_serialize(a, doc, &n);
    again = xmlReadMemory(x, (int)n, "again", "UTF-8",
                          XML_PARSE_NONET | XML_PARSE_NOERROR |
                          XML_PARSE_NOWARNING);
    if (again == NULL)
        abort();                        /* not well-formed */
    check_tree(xmlDocGetRootElement(again));
    xmlFreeDoc(again);
    oc_idset_free(ids);
    oc_arena_free(a);
    xmlFreeDoc(doc);
}

/* Whether url( at p names a fragment or an image data: URL (or
 * nothing: "" is the stylesheet itself). */
static bool
url_ok(const char *p)
{
    char *arg, *sq;
    const char *end;
    bool ok;

    p += 4;
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    if (*p == '"' || *p == '\'') {
        end = strchr(p + 1, *p);
        p++;
    } else {
        end = strchr(p, ')');
    }
    if (end == NULL)
        end = p + strlen(p);
    arg = strndup(p, (size_t)(end - p));
    sq = squeezed(arg);
    ok = sq[0] == '\0' || sq[0] == '#' ||
         strncmp(sq, "data:image/", 11) == 0;
    free(sq);
    free(arg);
    return ok;
}

/* The sanitised CSS, read as CSS reads it (comments, strings and
 * escapes skipped): no @import, and every url( holds a fragment or an
 * image data: URL. */
static void
stylesheet(const char *text, size_t len)
{
    oc_buf out = {0};
    const char *p;

    oc_sanitize_css(text, len, "s.css", &out);
    oc_buf_put(&out, "", 1);
    for (p = out.data; *p; p++) {
        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");

            if (e == NULL)
                break;
            p = e + 1;
        } else if (*p == '"' || *p == '\'') {
            char q = *p;

            while (p[1] && p[1] != q && p[1] != '\n')
                p += p[1] == '\\' && p[2] ? 2 : 1;
            if (p[1])
                p++;
        } else if (*p == '\\' && p[1]) {
            p++;
        } else if (strncasecmp(p, "@import", 7) == 0 ||
                   (strncasecmp(p, "url(", 4) == 0 && !url_ok(p))) {
            abort();
        }
    }
    oc_buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data + 1;

    if (size < 1)
        return 0;
    oc_set_warn_handler(quiet, NULL);
    switch (data[0] % 4) {
    case 0: chapter(text, size - 1, OC_FORMAT_HTML); break;
    case 1: chapter(text, size - 1, OC_FORMAT_XHTML); break;
    case 2: chapter(text, size - 1, OC_FORMAT_MARKDOWN); break;
    default: stylesheet(text, size - 1); break;
    }
    return 0;
}
