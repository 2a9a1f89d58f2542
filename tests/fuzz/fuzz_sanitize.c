/* fuzz_sanitize.c - libFuzzer entry: the sanitiser judged by what it
 * lets out. The first byte picks the input: a chapter in HTML, XHTML or
 * Markdown (raw HTML inside it), or a stylesheet; the rest is the text.
 * A chapter that converts must serialise to XML that parses again,
 * namespaces well-formed (no undeclared prefix), with
 * no element that has no place in a book (a <link> but the head's, a
 * <meta http-equiv> in any case), no event handler, no URL attribute
 * whose scheme the policy refuses, no xml:base, no animation that sets a
 * link to such a URL, and no style attribute or <style> element that
 * loads anything; a stylesheet, read as CSS reads it (escapes in names
 * decoded), must come out without @import or expression(), with no url()
 * but an image data: URL or a fragment, and no image(), image-set() or
 * src() with another string or a var(). Any breach aborts. */
#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
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

static void stylesheet_clean(const char *css);

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
    /* An <img>'s SVG data: URL stays for the book, which makes it a file
     * through the SVG sanitiser (book.c); it never reaches the EPUB. */
    if (in(name, url_attrs) && !oc_url_allowed((const char *)v, use, NULL) &&
        !(use == OC_URL_IMAGE && v != NULL &&
          strncasecmp((const char *)v + strspn((const char *)v,
                                               " \t\r\n\f"),
                      "data:image/svg+xml", 18) == 0))
        abort();                        /* a refused scheme */
    if (strcmp(name, "style") == 0 &&
        (css_function(sq, "url(") || css_function(sq, "expression(") ||
         css_import(sq)))
        abort();                        /* a style that loads */
    if (strcmp(name, "style") == 0)
        stylesheet_clean(v ? (const char *)v : "");
    free(sq);
    xmlFree(v);
}

/* An animation (SMIL) that sets a link sets it to allowed URLs only. */
static void
check_animation(xmlNodePtr n)
{
    static const char *const anims[] = {
        "set", "animate", "animateMotion", "animateTransform",
        "animateColor", NULL};
    static const char *const values[] = {"to", "from", "by", "values", NULL};
    xmlChar *target = NULL;
    const char *local;
    char *sq;

    if (!in((const char *)n->name, anims))
        return;
    for (xmlAttrPtr a = n->properties; a != NULL && target == NULL;
         a = a->next)
        if (strcasecmp((const char *)a->name, "attributeName") == 0)
            target = xmlNodeGetContent((xmlNodePtr)a);
    if (target == NULL)
        return;
    sq = squeezed((const char *)target);
    local = strrchr(sq, ':') ? strrchr(sq, ':') + 1 : sq;
    if (strncmp(local, "on", 2) == 0 || strcmp(local, "base") == 0)
        abort();
    for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
        xmlChar *v;
        char *save = NULL;

        if (!in((const char *)a->name, values) || !in(local, url_attrs))
            continue;
        v = xmlNodeGetContent((xmlNodePtr)a);
        for (char *u = strtok_r((char *)v, ";", &save); u != NULL;
             u = strtok_r(NULL, ";", &save))
            if (!oc_url_allowed(u, OC_URL_LINK, NULL))
                abort();
        xmlFree(v);
    }
    free(sq);
    xmlFree(target);
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
        for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
            if (strcasecmp((const char *)n->name, "meta") == 0 &&
                strcasecmp((const char *)a->name, "http-equiv") == 0)
                abort();
            if (a->ns != NULL && strcmp((const char *)a->name, "base") == 0)
                abort();                /* xml:base */
            check_attr(n, a);
        }
        if (strcasecmp((const char *)n->name, "link") == 0 &&
            (n->parent == NULL ||
             strcmp((const char *)n->parent->name, "head") != 0))
            abort();
        check_animation(n);
        if (strcasecmp((const char *)n->name, "style") == 0) {
            xmlChar *css = xmlNodeGetContent(n);

            stylesheet_clean(css ? (const char *)css : "");
            xmlFree(css);
        }
        check_tree(n->children);
    }
}

static void
chapter(const char *text, size_t len, oc_chapter_format format)
{
    static const char *css[] = {"css/book.css"};
    oc_doc_opts o = {"en", NULL, "Fuzz", css, 1, "bodymatter", NULL, NULL,
                     false};
    xmlDocPtr doc = NULL, again;
    xmlParserCtxtPtr ctxt;
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
    ctxt = xmlCreateMemoryParserCtxt(x, (int)n);
    if (ctxt == NULL)
        abort();
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                XML_PARSE_NOWARNING);
    xmlParseDocument(ctxt);
    again = ctxt->myDoc;
    if (again == NULL || !ctxt->wellFormed || !ctxt->nsWellFormed)
        abort();                        /* not namespace-well-formed */
    xmlFreeParserCtxt(ctxt);
    check_tree(xmlDocGetRootElement(again));
    xmlFreeDoc(again);
    oc_idset_free(ids);
    oc_arena_free(a);
    xmlFreeDoc(doc);
}

/* Whether the reference s[0..n) (a url()'s or a string's text, quotes
 * and white space around it taken off) is a fragment or an image data:
 * URL, or nothing. */
static bool
reference_ok(const char *s, size_t n)
{
    char *arg = strndup(s, n), *sq = squeezed(arg);
    bool ok = sq[0] == '\0' || sq[0] == '#' ||
              strncmp(sq, "data:image/", 11) == 0;

    free(sq);
    free(arg);
    return ok;
}

/* The name at p as CSS reads it (escapes decoded, lowered) into out;
 * returns where it ends. */
static const char *
css_name(const char *p, char *out, size_t size)
{
    size_t k = 0;

    for (;;) {
        int c = (unsigned char)*p;

        if (c == '\\' && p[1] != '\0' && p[1] != '\n' && p[1] != '\r' &&
            p[1] != '\f') {
            if (isxdigit((unsigned char)p[1])) {
                char *end;
                long cp = strtol(p + 1, &end, 16);

                if (end - (p + 1) > 6) {
                    end = (char *)p + 7;
                    cp = 0x110000;
                }
                p = end[0] == '\r' && end[1] == '\n'
                        ? end + 2
                        : end + (*end == ' ' || *end == '\t' ||
                                 *end == '\n' || *end == '\r' ||
                                 *end == '\f');
                c = cp > 0 && cp < 0x80 ? (int)cp : '?';
            } else {
                c = (unsigned char)p[1];
                p += 2;
            }
        } else if (isalnum(c) || c == '-' || c == '_' || c >= 0x80) {
            p++;
        } else {
            break;
        }
        if (k + 1 < size)
            out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
    return p;
}

/* Stylesheet text that must hold nothing the sanitiser takes out. */
static void
stylesheet_clean(const char *p)
{
    int depth = 0, fetch = -1;      /* fetch: depth a fetcher opened at */

    while (*p) {
        char name[24];

        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");

            p = e ? e + 2 : p + strlen(p);
        } else if (*p == '"' || *p == '\'') {
            const char *q = p + 1;

            while (*q && *q != *p && *q != '\n' && *q != '\r' && *q != '\f')
                q += *q == '\\' && q[1] ? 2 : 1;
            if (fetch >= 0 && !reference_ok(p + 1, (size_t)(q - p - 1)))
                abort();
            p = *q == *p ? q + 1 : q;   /* a newline ends it, and stays */
        } else if (*p == '(' || *p == '[') {
            depth++;
            p++;
        } else if (*p == ')' || *p == ']') {
            depth -= depth > 0;
            if (depth <= fetch)
                fetch = -1;
            p++;
        } else if (*p == '@') {
            p = css_name(p + 1, name, sizeof name);
            if (strcmp(name, "import") == 0)
                abort();
        } else if (isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
                   (unsigned char)*p >= 0x80 ||
                   (*p == '\\' && p[1] && p[1] != '\n' && p[1] != '\r' &&
                    p[1] != '\f')) {
            p = css_name(p, name, sizeof name);
            if (*p != '(')
                continue;
            if (strcmp(name, "expression") == 0 ||
                (strcmp(name, "var") == 0 && fetch >= 0))
                abort();
            if (strcmp(name, "url") == 0) {
                const char *a = p + 1, *e;

                while (*a == ' ' || *a == '\t' || *a == '\n')
                    a++;
                if (*a == '"' || *a == '\'') {
                    e = strchr(a + 1, *a);
                    a++;
                } else {
                    e = strchr(a, ')');
                }
                if (e == NULL)
                    e = a + strlen(a);
                if (!reference_ok(a, (size_t)(e - a)))
                    abort();
                if (*(a - 1) != '"' && *(a - 1) != '\'') {
                    p = *e ? e + 1 : e;     /* the url token, whole */
                    continue;
                }
            } else if (fetch < 0 && (strcmp(name, "image") == 0 ||
                                     strcmp(name, "image-set") == 0 ||
                                     strcmp(name, "-webkit-image-set") == 0 ||
                                     strcmp(name, "src") == 0)) {
                fetch = depth;
            }
            depth++;
            p++;
        } else {
            p++;
        }
    }
}

/* The sanitised CSS, read as CSS reads it: nothing that loads or runs. */
static void
stylesheet(const char *text, size_t len)
{
    oc_buf out = {0};

    if (!oc_sanitize_css(text, len, "s.css", 1, &out))
        oc_buf_put(&out, text, len);
    oc_buf_put(&out, "", 1);
    stylesheet_clean(out.data);
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
