/* svg.c - an SVG image (XML 1.0 + Namespaces) into a copy safe to embed:
 * no DTD, entities, scripting or references outside the image (the
 * usual SVG sanitiser rules; SVG 2 §16 "Linking", §15 "Scripting"). */
#include "svg.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "error.h"
#include "sanitize.h"

#define SVG_NS "http://www.w3.org/2000/svg"

/* Never NOENT or DTDLOAD: entities stay unexpanded, no DTD is read. */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | \
                       XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)

typedef struct first_error {
    bool set;
    int  line;
    int  col;
    char msg[200];
} first_error;

typedef struct parse_state {
    first_error fatal;      /* the first fatal error: not well-formed */
    first_error ns;         /* the first namespace error */
    first_error any;        /* the first error of any kind */
    int entity_line;        /* of the first entity declaration; 0: none */
} parse_state;

/* Local names, compared ASCII case-insensitively in any namespace. */

/* A warning about the image read from 'file'; none when 'file' is NULL
 * (an SVG written in a chapter, whose sanitiser has spoken). */
static void __attribute__((format(printf, 3, 4)))
svg_warn(const char *file, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (file == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    oc_warn(file, line, 0, "%s", msg);
}

static const char *const banned_elements[] = {
    "script", "foreignObject", "iframe", "object", "embed", "handler",
    "listener",
};
static const char *const animation_elements[] = {
    "set", "animate", "animateMotion", "animateTransform", "animateColor",
};
static const char *const xinclude_ns[] = {
    "http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude",
};
/* The only URLs an image may keep, besides "#id". */
static const char *const data_images[] = {
    "data:image/png;base64,", "data:image/jpeg;base64,",
    "data:image/gif;base64,", "data:image/webp;base64,",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int
ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
has_prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix != '\0'; s++, prefix++)
        if (ascii_lower((unsigned char)*s) != ascii_lower(*prefix))
            return false;
    return true;
}

static bool
equal_ci(const char *a, const char *b)
{
    return has_prefix_ci(a, b) && a[strlen(b)] == '\0';
}

static bool
one_of_ci(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (equal_ci(s, list[i]))
            return true;
    return false;
}

/* ---- parsing ---------------------------------------------------------- */

static void
note_error(first_error *f, const xmlError *e)
{
    size_t n;

    if (f->set)
        return;
    f->set = true;
    f->line = e->line > 0 ? e->line : 0;
    f->col = e->int2 > 0 ? e->int2 : 0;
    snprintf(f->msg, sizeof f->msg, "%s",
             e->message ? e->message : "not well-formed XML");
    n = strlen(f->msg);
    while (n > 0 && (f->msg[n - 1] == '\n' || f->msg[n - 1] == ' '))
        f->msg[--n] = '\0';
    for (char *p = f->msg; *p != '\0'; p++)
        if (*p == '\n')
            *p = ' ';        /* "... encoding !\nBytes: 0xE9 ..." */
}

static void
keep_error(void *ctx, xmlErrorPtr e)
{
    parse_state *ps = ctx;

    if (e == NULL || e->level < XML_ERR_ERROR)
        return;
    if (e->domain == XML_FROM_NAMESPACE)
        note_error(&ps->ns, e);
    if (e->level == XML_ERR_FATAL)
        note_error(&ps->fatal, e);
    note_error(&ps->any, e);
}

/* An entity declaration stops the parse before the entity can be used:
 * no entity bomb, no XXE. */
static void
refuse_entity(void *ctx, const xmlChar *name, int type,
              const xmlChar *public_id, const xmlChar *system_id,
              xmlChar *content)
{
    xmlParserCtxtPtr ctxt = ctx;
    parse_state *ps = ctxt->_private;

    (void)name, (void)type, (void)public_id, (void)system_id, (void)content;
    if (ps->entity_line == 0)
        ps->entity_line = ctxt->input && ctxt->input->line > 0
                              ? ctxt->input->line : 1;
    xmlStopParser(ctxt);
}

static void
refuse_unparsed_entity(void *ctx, const xmlChar *name,
                       const xmlChar *public_id, const xmlChar *system_id,
                       const xmlChar *notation)
{
    (void)notation;
    refuse_entity(ctx, name, 0, public_id, system_id, NULL);
}

static xmlParserInputPtr
refuse_resolve(void *ctx, const xmlChar *public_id, const xmlChar *system_id)
{
    (void)ctx, (void)public_id, (void)system_id;
    return NULL;
}

static oc_status
report(const first_error *f, const first_error *fallback, const char *file,
       oc_error *err)
{
    if (!f->set)
        f = fallback;
    if (!f->set)
        return oc_error_set(err, OC_ERR_SYNTAX, file, 0, 0,
                            "not well-formed XML");
    return oc_error_set(err, OC_ERR_SYNTAX, file, f->line, f->col, "%s",
                        f->msg);
}

static oc_status
parse(const char *data, size_t len, const char *file, xmlDocPtr *out,
      oc_error *err)
{
    xmlStructuredErrorFunc old_fn = xmlStructuredError;
    void *old_ctx = xmlStructuredErrorContext;
    parse_state ps = {0};
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    int well_formed;
    int ns_well_formed;
    oc_buf trimmed = {0};
    size_t at;
    oc_status st = OC_OK;

    if (len == 0)
        return oc_error_set(err, OC_ERR_SYNTAX, file, 1, 1,
                            "empty SVG image");
    if (len > INT_MAX)
        return oc_error_set(err, OC_ERR_INVALID, file, 0, 0,
                            "SVG image is too large");
    if (oc_markup_cap_attributes(data, len, &trimmed, &at)) {
        int line = 1;

        for (size_t i = 0; i < at; i++)
            line += data[i] == '\n';
        svg_warn(file, line, "an element with more than %d attributes: "
                "the others are dropped", OC_MAX_ATTRIBUTES);
        data = trimmed.data;
        len = trimmed.len;
    }
    xmlSetStructuredErrorFunc(&ps, keep_error);
    ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
    if (ctxt == NULL) {
        xmlSetStructuredErrorFunc(old_ctx, old_fn);
        oc_buf_free(&trimmed);
        return oc_error_set(err, OC_ERR_LIB, file, 0, 0,
                            "libxml2 could not create a parser");
    }
    xmlCtxtUseOptions(ctxt, PARSE_OPTIONS);
    /* ctxt->sax is this parser's own copy: changing it is thread-safe. */
    ctxt->_private = &ps;
    ctxt->sax->entityDecl = refuse_entity;
    ctxt->sax->unparsedEntityDecl = refuse_unparsed_entity;
    ctxt->sax->resolveEntity = refuse_resolve;
    ctxt->sax->externalSubset = NULL;
    xmlParseDocument(ctxt);
    doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    well_formed = ctxt->wellFormed;
    ns_well_formed = ctxt->nsWellFormed;
    xmlFreeParserCtxt(ctxt);
    xmlSetStructuredErrorFunc(old_ctx, old_fn);
    oc_buf_free(&trimmed);

    if (ps.entity_line > 0 ||
        (doc != NULL && doc->intSubset != NULL &&
         (doc->intSubset->entities != NULL ||
          doc->intSubset->pentities != NULL)))
        st = oc_error_set(err, OC_ERR_INVALID, file,
                          ps.entity_line > 0 ? ps.entity_line : 1, 0,
                          "entity declarations are not allowed in an SVG "
                          "image");
    else if (doc == NULL || !well_formed)
        st = report(&ps.fatal, &ps.any, file, err);
    else if (!ns_well_formed)
        st = report(&ps.ns, &ps.any, file, err);
    if (st != OC_OK) {
        xmlFreeDoc(doc);
        return st;
    }
    *out = doc;
    return OC_OK;
}

/* ---- references ------------------------------------------------------- */

/* Copy 's' without ASCII white space and control characters, which URL
 * parsers skip ("java\tscript:"); 'dst' has room for strlen(s) + 1. */
static void
strip_controls(const char *s, char *dst)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s > 0x20 && *s != 0x7f)
            *dst++ = *s;
    *dst = '\0';
}

/* 's' is stripped: a same-document reference or an allowed data: image. */
static bool
safe_reference(const char *s)
{
    if (s[0] == '#')
        return true;
    for (size_t i = 0; i < COUNT(data_images); i++)
        if (has_prefix_ci(s, data_images[i]))
            return true;
    return false;
}

static bool
contains_ci(const char *s, const char *needle)
{
    for (; *s != '\0'; s++)
        if (has_prefix_ci(s, needle))
            return true;
    return false;
}

/* Defence in depth: no attribute of any name keeps a script URL, even
 * one no renderer would follow (a title, an animation of "fill"). */
static bool
script_url(const char *s)
{
    return contains_ci(s, "javascript:") || contains_ci(s, "vbscript:");
}

static int
hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = ascii_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool
css_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* CSS text as a UA's tokenizer sees the words in it: escapes decoded
 * (CSS Syntax 3 §4.3.7; "\75 rl(" is "url("), then white space and
 * control characters deleted and ASCII lower-cased. Comments are kept,
 * so that a "/" "*" inside a string cannot hide what follows it; this
 * can only make more text look suspicious. Non-ASCII code points become
 * '?'. 'dst' has room for strlen(s) + 1. */
static void
css_words(const char *s, char *dst)
{
    while (*s != '\0') {
        int c = (unsigned char)*s++;

        if (c == '\\') {
            if (*s == '\0')
                break;
            if (hex_value((unsigned char)*s) >= 0) {
                unsigned long cp = 0;

                for (int k = 0; k < 6 && hex_value((unsigned char)*s) >= 0;
                     k++)
                    cp = cp * 16 + (unsigned long)hex_value(
                                       (unsigned char)*s++);
                if (s[0] == '\r' && s[1] == '\n')
                    s += 2;
                else if (css_space((unsigned char)*s))
                    s++;
                c = cp > 0 && cp < 0x80 ? (int)cp : '?';
            } else {
                c = (unsigned char)*s++;
            }
        }
        if (c <= 0x20 || c == 0x7f)
            continue;
        *dst++ = (char)ascii_lower(c);
    }
    *dst = '\0';
}

/* Every "fn(" in the words 'w' has a safe reference as its argument. */
static bool
arguments_safe(const char *w, const char *fn)
{
    size_t k = strlen(fn);

    for (const char *p = strstr(w, fn); p != NULL; p = strstr(p + k, fn)) {
        const char *arg = p + k;

        if (*arg == '"' || *arg == '\'')
            arg++;
        if (!safe_reference(arg))
            return false;
    }
    return true;
}

/* CSS (a style sheet, a style attribute or a presentation attribute)
 * that could fetch something outside the image. */
static bool
css_external(const char *css)
{
    char *w = oc_xmalloc(strlen(css) + 1);
    bool bad;

    css_words(css, w);
    bad = strstr(w, "@import") != NULL || strstr(w, "image(") != NULL ||
          strstr(w, "image-set(") != NULL || !arguments_safe(w, "url(") ||
          !arguments_safe(w, "src(");
    free(w);
    return bad;
}

/* ---- the tree --------------------------------------------------------- */

static void
qualified_name(const xmlNs *ns, const xmlChar *name, char *buf, size_t size)
{
    if (ns != NULL && ns->prefix != NULL)
        snprintf(buf, size, "%s:%s", (const char *)ns->prefix,
                 (const char *)name);
    else
        snprintf(buf, size, "%s", (const char *)name);
}

/* A printable excerpt of 'value' for a warning. */
static void
excerpt(const char *value, char *buf, size_t size)
{
    size_t n = 0;

    for (; *value != '\0' && n + 4 < size; value++)
        buf[n++] = *value >= 0x20 && *value < 0x7f ? *value : '?';
    if (*value != '\0')
        buf[n++] = '.', buf[n++] = '.', buf[n++] = '.';
    buf[n] = '\0';
}

static int
line_of(const xmlNode *n)
{
    long line = xmlGetLineNo(n);

    return line > 0 && line <= INT_MAX ? (int)line : 0;
}

/* The text of attribute 'a'. Sets *odd if it holds anything but text
 * (an undefined entity reference), which the rewrite then drops. */
static void
attribute_text(const xmlAttr *a, oc_buf *b, bool *odd)
{
    *odd = false;
    oc_buf_puts(b, "");
    for (const xmlNode *c = a->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content != NULL)
            oc_buf_puts(b, (const char *)c->content);
        else
            *odd = true;
    }
}

/* An animation of href, src, xml:base or an event attribute could turn
 * a reference we kept into one we would have removed. */
static bool
animation_safe(xmlNodePtr n)
{
    static const char *const values[] = {"to", "from", "by", "values"};
    xmlChar *target = xmlGetNoNsProp(n, BAD_CAST "attributeName");
    char *t;
    char *local;
    bool safe = true;

    if (target == NULL)
        return true;
    t = oc_xmalloc(strlen((const char *)target) + 1);
    strip_controls((const char *)target, t);
    xmlFree(target);
    local = strrchr(t, ':') ? strrchr(t, ':') + 1 : t;
    if (has_prefix_ci(local, "on") || equal_ci(local, "base")) {
        safe = false;
    } else if (equal_ci(local, "href") || equal_ci(local, "src")) {
        for (size_t i = 0; safe && i < COUNT(values); i++) {
            xmlChar *v = xmlGetNoNsProp(n, BAD_CAST values[i]);
            char *s;

            if (v == NULL)
                continue;
            s = oc_xmalloc(strlen((const char *)v) + 1);
            strip_controls((const char *)v, s);
            xmlFree(v);
            /* SMIL: "values" is a ';'-separated list. */
            for (char *p = s, *end; safe && p != NULL; p = end) {
                end = strchr(p, ';');
                if (end != NULL)
                    *end++ = '\0';
                if (*p != '\0' && !safe_reference(p))
                    safe = false;
            }
            free(s);
        }
    }
    free(t);
    return safe;
}

static bool
keep_element(xmlNodePtr n, const char *file)
{
    const char *name = (const char *)n->name;
    char q[128];

    qualified_name(n->ns, n->name, q, sizeof q);
    if (one_of_ci(name, banned_elements, COUNT(banned_elements))) {
        svg_warn(file, line_of(n), "<%s> element removed from SVG image",
                q);
        return false;
    }
    for (size_t i = 0; n->ns != NULL && i < COUNT(xinclude_ns); i++) {
        if (xmlStrEqual(n->ns->href, BAD_CAST xinclude_ns[i])) {
            svg_warn(file, line_of(n),
                    "XInclude <%s> element removed from SVG image", q);
            return false;
        }
    }
    if (one_of_ci(name, animation_elements, COUNT(animation_elements)) &&
        !animation_safe(n)) {
        svg_warn(file, line_of(n),
                "<%s> animating a link or an event handler removed from "
                "SVG image", q);
        return false;
    }
    return true;
}

static void
clean_attributes(xmlNodePtr n, const char *file)
{
    xmlAttrPtr next;

    for (xmlAttrPtr a = n->properties; a != NULL; a = next) {
        const char *name = (const char *)a->name;
        oc_buf text = {0};
        char *value;
        char *stripped;
        const char *set;
        char q[128];
        char ex[48];
        bool odd;
        bool drop = true;

        next = a->next;
        qualified_name(a->ns, a->name, q, sizeof q);
        attribute_text(a, &text, &odd);
        value = text.data;
        stripped = oc_xmalloc(strlen(value) + 1);
        strip_controls(value, stripped);
        set = odd ? value : NULL;
        if (odd)
            svg_warn(file, line_of(n), "undefined entity reference in "
                    "attribute '%s' removed from SVG image", q);
        if (has_prefix_ci(name, "on")) {
            svg_warn(file, line_of(n), "event handler attribute '%s' "
                    "removed from SVG image", q);
        } else if (a->ns != NULL &&
                   xmlStrEqual(a->ns->href, XML_XML_NAMESPACE) &&
                   equal_ci(name, "base")) {
            svg_warn(file, line_of(n),
                    "attribute '%s' removed from SVG image", q);
        } else if (equal_ci(name, "href") || equal_ci(name, "src")) {
            if (!safe_reference(stripped) || script_url(stripped)) {
                excerpt(stripped, ex, sizeof ex);
                svg_warn(file, line_of(n), "external reference %s=\"%s\" "
                        "removed from SVG image", q, ex);
            } else {
                drop = false;
                if (odd || strcmp(stripped, value) != 0)
                    set = stripped;    /* exactly what was checked */
            }
        } else if (css_external(value)) {
            svg_warn(file, line_of(n), "attribute '%s' with an external "
                    "reference removed from SVG image", q);
        } else if (script_url(stripped)) {
            svg_warn(file, line_of(n), "attribute '%s' with a script URL "
                    "removed from SVG image", q);
        } else {
            drop = false;
        }
        if (drop)
            xmlRemoveProp(a);
        else if (set != NULL)
            xmlSetNsProp(n, a->ns, a->name, BAD_CAST set);
        free(stripped);
        oc_buf_free(&text);
    }
}

/* A <style> element (in any namespace) whose sheet imports or links to
 * something outside the image goes as a whole. */
static bool
style_safe(xmlNodePtr n, const char *file)
{
    xmlChar *css;
    bool bad;

    if (!equal_ci((const char *)n->name, "style"))
        return true;
    css = xmlNodeGetContent(n);
    bad = css != NULL && css_external((const char *)css);
    xmlFree(css);
    if (bad)
        svg_warn(file, line_of(n), "<style> element with an external "
                "reference or @import removed from SVG image");
    return !bad;
}

/* Warn about a node that goes without being an element. The DOCTYPE,
 * comments and other processing instructions go quietly: they are not
 * part of the picture. */
static void
note_dropped(xmlNodePtr n, const char *file)
{
    if (n->type == XML_ENTITY_REF_NODE)
        svg_warn(file, line_of(n), "undefined entity reference '&%s;' "
                "removed from SVG image", (const char *)n->name);
    else if (n->type == XML_PI_NODE &&
             xmlStrEqual(n->name, BAD_CAST "xml-stylesheet"))
        svg_warn(file, line_of(n), "<?xml-stylesheet?> removed from SVG "
                "image");
}

/* The lines of HTML text under n, onto lines[*n] (at most 'max'): a
 * <br> or a block's start begins a new one, runs of white space are one
 * space. */
enum { FO_LINES = 16 };

static const char *const fo_blocks[] = {
    "div", "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "ul", "ol", "blockquote", "pre",
};

static void
fo_break(oc_buf *lines, int *n)
{
    if (lines[*n].len > 0 && *n + 1 < FO_LINES)
        (*n)++;
}

static void
fo_lines(xmlNodePtr parent, oc_buf *lines, int *n)
{
    for (xmlNodePtr c = parent->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            for (const char *t = (const char *)c->content; t && *t; t++) {
                oc_buf *l = &lines[*n];
                bool space = *t == ' ' || *t == '\t' || *t == '\n' ||
                             *t == '\r';

                if (!space)
                    oc_buf_put(l, t, 1);
                else if (l->len > 0 && l->data[l->len - 1] != ' ')
                    oc_buf_put(l, " ", 1);
            }
        } else if (c->type == XML_ELEMENT_NODE) {
            bool block = one_of_ci((const char *)c->name, fo_blocks,
                                   COUNT(fo_blocks));

            if (equal_ci((const char *)c->name, "br") || block)
                fo_break(lines, n);
            if (!equal_ci((const char *)c->name, "style") &&
                !equal_ci((const char *)c->name, "script"))
                fo_lines(c, lines, n);
            if (block)
                fo_break(lines, n);
        }
    }
}

/* A number attribute of n (a length's unit ignored), or 'dflt'. */
static double
number_attr(xmlNodePtr n, const char *name, double dflt)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *end;
    double d = v != NULL ? strtod((const char *)v, &end) : dflt;

    if (v != NULL && end == (char *)v)
        d = dflt;
    xmlFree(v);
    return d;
}

/* SVG's <foreignObject> 'fo' (HTML in the picture: Mermaid's labels),
 * which a picture of the book may not hold and librsvg does not draw,
 * as a <text> of its words, a line to each of its lines, centred in its
 * box; NULL when it has no words, or when a <switch> has something else
 * to show in its place (draw.io's own <text>). */
static xmlNodePtr
fo_as_text(xmlNodePtr fo)
{
    oc_buf lines[FO_LINES] = {{0}};
    int n = 0;
    xmlNodePtr t = NULL;
    double x, y, w, h;
    char num[64];

    if (fo->parent != NULL && fo->parent->type == XML_ELEMENT_NODE &&
        equal_ci((const char *)fo->parent->name, "switch")) {
        for (xmlNodePtr k = fo->next; k != NULL; k = k->next)
            if (k->type == XML_ELEMENT_NODE)
                return NULL;
    }
    fo_lines(fo, lines, &n);
    if (lines[n].len == 0 && n > 0)
        n--;
    for (int i = 0; i <= n; i++)
        while (lines[i].len > 0 && lines[i].data[lines[i].len - 1] == ' ')
            lines[i].len--;
    if (lines[0].len == 0)
        goto out;
    x = number_attr(fo, "x", 0);
    y = number_attr(fo, "y", 0);
    w = number_attr(fo, "width", 0);
    h = number_attr(fo, "height", 0);
    t = xmlNewNode(fo->ns, BAD_CAST "text");
    if (xmlHasProp(fo, BAD_CAST "transform") != NULL) {
        xmlChar *tr = xmlGetProp(fo, BAD_CAST "transform");

        xmlSetProp(t, BAD_CAST "transform", tr);
        xmlFree(tr);
    }
    snprintf(num, sizeof num, "%g", w > 0 ? x + w / 2 : x);
    xmlSetProp(t, BAD_CAST "x", BAD_CAST num);
    snprintf(num, sizeof num, "%g", h > 0 ? y + h / 2 : y);
    xmlSetProp(t, BAD_CAST "y", BAD_CAST num);
    if (w > 0)
        xmlSetProp(t, BAD_CAST "text-anchor", BAD_CAST "middle");
    for (int i = 0; i <= n; i++) {
        xmlNodePtr span = xmlNewChild(t, fo->ns, BAD_CAST "tspan", NULL);

        snprintf(num, sizeof num, "%g", w > 0 ? x + w / 2 : x);
        xmlSetProp(span, BAD_CAST "x", BAD_CAST num);
        /* The lines' middle at the box's: 1.2em apart, a line's middle
         * 0.35em above its baseline. */
        if (i == 0)
            snprintf(num, sizeof num, "%.2fem",
                     h > 0 ? 0.35 - 0.6 * n : 1.0);
        else
            snprintf(num, sizeof num, "1.2em");
        xmlSetProp(span, BAD_CAST "dy", BAD_CAST num);
        oc_buf_put(&lines[i], "", 1);
        xmlNodeAddContent(span, BAD_CAST lines[i].data);
    }
out:
    for (int i = 0; i < FO_LINES; i++)
        oc_buf_free(&lines[i]);
    return t;
}

/* The parser's depth limit (256 without XML_PARSE_HUGE) bounds the
 * recursion. */
static void
clean_children(xmlNodePtr parent, const char *file, bool *converted)
{
    xmlNodePtr next;

    for (xmlNodePtr n = parent->children; n != NULL; n = next) {
        next = n->next;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            continue;
        if (n->type == XML_ELEMENT_NODE && n->ns != NULL &&
            xmlStrEqual(n->ns->href, BAD_CAST SVG_NS) &&
            xmlStrEqual(n->name, BAD_CAST "foreignObject")) {
            xmlNodePtr t = fo_as_text(n);

            if (t != NULL) {
                if (!*converted)
                    svg_warn(file, line_of(n), "<foreignObject> (HTML in "
                             "the picture) made SVG <text> of its words");
                *converted = true;
                xmlReplaceNode(n, t);
                xmlFreeNode(n);
                continue;
            }
        }
        if (n->type == XML_ELEMENT_NODE && keep_element(n, file)) {
            clean_attributes(n, file);
            /* Its default, which SVG 1.1's schema (EPUBCheck's) wants
             * written: Sphinx's logo has such stops. */
            if (xmlStrEqual(n->name, BAD_CAST "stop") && n->ns != NULL &&
                xmlStrEqual(n->ns->href, BAD_CAST SVG_NS) &&
                xmlHasProp(n, BAD_CAST "offset") == NULL)
                xmlSetProp(n, BAD_CAST "offset", BAD_CAST "0");
            clean_children(n, file, converted);
            if (style_safe(n, file))
                continue;
        } else if (n->type != XML_ELEMENT_NODE) {
            note_dropped(n, file);
        }
        xmlUnlinkNode(n);
        xmlFreeNode(n);
    }
}

oc_status
oc_svg_sanitize(const char *data, size_t len, const char *file, oc_buf *out,
                oc_error *err)
{
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    xmlChar *mem = NULL;
    int size = 0;
    bool converted = false;
    oc_status st;

    if ((st = parse(data, len, file, &doc, err)) != OC_OK)
        return st;
    root = xmlDocGetRootElement(doc);
    if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "svg") ||
        root->ns == NULL || !xmlStrEqual(root->ns->href, BAD_CAST SVG_NS)) {
        st = oc_error_set(err, OC_ERR_INVALID, file,
                          root ? line_of(root) : 0, 0, "not an SVG image");
        goto out;
    }
    /* The document's children: the DOCTYPE, comments, PIs, the root. */
    clean_children((xmlNodePtr)doc, file, &converted);
    xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 0);
    if (mem == NULL || size <= 0) {
        st = oc_error_set(err, OC_ERR_LIB, file, 0, 0,
                          "libxml2 could not serialise the SVG image");
        goto out;
    }
    oc_buf_put(out, mem, (size_t)size);
out:
    xmlFree(mem);
    xmlFreeDoc(doc);
    return st;
}
