/* sanitize.c - make a chapter's XHTML safe, current and valid for EPUB 3
 * (HTML Living Standard content models; EPUB 3.3 §6.1 for epub:prefix and
 * epub:type), whatever produced it. See sanitize.h. */
#include "sanitize.h"

#include <glib.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlstring.h>

#include "buf.h"
#include "error.h"
#include "manifest.h"
#include "xhtml.h"

#define XINCLUDE_NS "http://www.w3.org/2001/XInclude"

/* Vocabularies whose prefixes books use without declaring them. */
static const struct {
    const char *prefix, *uri;
} known_vocabs[] = {
    {"z3998", "http://www.daisy.org/z3998/2012/vocab/structure/#"},
    {"se", "https://standardebooks.org/vocab/1.0"},
    {"dcterms", "http://purl.org/dc/terms/"},
    {"schema", "http://schema.org/"},
};

enum { MAX_PREFIXES = 32, MAX_KINDS = 64 };

typedef struct clean {
    const char *file;
    xmlDocPtr   doc;
    char       *used[MAX_PREFIXES];     /* prefixes seen in epub:type */
    size_t      nused;
    char       *declared[MAX_PREFIXES]; /* "p: uri", from the chapter */
    size_t      ndeclared;
    char       *warned[MAX_KINDS];      /* kinds of repair reported */
    size_t      nwarned;
    GHashTable *keys;                   /* accesskey values given */
    GHashTable *ids;                    /* the chapter's ids, as read, once
                                           a permalink asks */
    bool        epub_attrs;             /* a <style> selects by them
                                           (oc_css_epub_attrs) */
} clean;

/* ---- warnings, once per kind and chapter ---- */

static void
vwarn(clean *c, xmlNodePtr n, const char *fmt, va_list ap)
{
    char msg[300];

    vsnprintf(msg, sizeof msg, fmt, ap);
    oc_warn(c->file, oc_xhtml_line(n), 0, "%s", msg);
}

/* A warning at n, given only the first time its 'kind' comes up. */
static void __attribute__((format(printf, 4, 5)))
warn_once(clean *c, xmlNodePtr n, const char *kind, const char *fmt, ...)
{
    va_list ap;

    for (size_t i = 0; i < c->nwarned; i++)
        if (strcmp(c->warned[i], kind) == 0)
            return;
    if (c->nwarned < MAX_KINDS)
        c->warned[c->nwarned++] = (char *)xmlStrdup(BAD_CAST kind);
    va_start(ap, fmt);
    vwarn(c, n, fmt, ap);
    va_end(ap);
}

static void __attribute__((format(printf, 3, 4)))
warn_at(clean *c, xmlNodePtr n, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vwarn(c, n, fmt, ap);
    va_end(ap);
}

/* ---- small DOM helpers ---- */

static bool
starts_nocase(const char *s, const char *prefix)
{
    return xmlStrncasecmp(BAD_CAST s, BAD_CAST prefix,
                          (int)strlen(prefix)) == 0;
}

/* Is 'name' one of 'names' (lower-case ASCII), in any case? Every
 * element of every chapter is looked up in several of these lists: the
 * first letter rules out most entries without a call. */
static bool
in_list(const xmlChar *name, const char *const *names)
{
    int first = name[0] >= 'A' && name[0] <= 'Z' ? name[0] + 32 : name[0];

    for (size_t i = 0; names[i] != NULL; i++)
        if (names[i][0] == first &&
            xmlStrcasecmp(name, BAD_CAST names[i]) == 0)
            return true;
    return false;
}

static bool
named(xmlNodePtr n, const char *const *names)
{
    return in_list(n->name, names);
}

static void
drop(xmlNodePtr n)
{
    xmlUnlinkNode(n);
    xmlFreeNode(n);
}

/* Append "decl;" to n's style attribute. */
static void
add_style(xmlNodePtr n, const char *decl)
{
    xmlChar *old = xmlGetProp(n, BAD_CAST "style");
    oc_buf s = {0};

    if (old != NULL && old[0] != '\0') {
        size_t len = (size_t)xmlStrlen(old);

        oc_buf_puts(&s, (const char *)old);
        while (len > 0 && (old[len - 1] == ' ' || old[len - 1] == '\n'))
            len--;
        if (len > 0 && old[len - 1] != ';')
            oc_buf_puts(&s, ";");
        oc_buf_puts(&s, " ");
    }
    oc_buf_puts(&s, decl);
    xmlSetProp(n, BAD_CAST "style", BAD_CAST s.data);
    oc_buf_free(&s);
    xmlFree(old);
}

/* A CSS length from an HTML dimension attribute ("650", "50%") into
 * out; false when it is neither. */
static bool
css_length(const char *v, char *out, size_t n)
{
    char *end;
    double d = strtod(v, &end);

    if (end == v || !(d >= 0) || d > 100000)
        return false;
    while (*end == ' ')
        end++;
    if (*end == '%')
        snprintf(out, n, "%g%%", d);
    else if (*end == '\0' || strcmp(end, "px") == 0)
        snprintf(out, n, "%gpx", d);
    else
        return false;
    return true;
}

/* Is v a valid non-negative integer (HTML's width and height of an
 * image)? */
static bool
is_uint(const char *v)
{
    if (*v == '\0')
        return false;
    for (; *v; v++)
        if (*v < '0' || *v > '9')
            return false;
    return true;
}

/* ---- epub:type prefixes ---- */

static void
note_prefixes(clean *c, xmlNodePtr n, xmlAttrPtr a)
{
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    oc_buf kept = {0};
    bool changed = false;
    char *save = NULL;

    if (v == NULL)
        return;
    for (char *tok = strtok_r((char *)v, " \t\r\n", &save); tok != NULL;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        char *colon = strchr(tok, ':');
        bool ok = true;

        if (colon != NULL) {
            size_t plen = (size_t)(colon - tok);
            bool known = false, have = false;

            for (size_t i = 0; i < c->ndeclared && !known; i++)
                known = strncmp(c->declared[i], tok, plen) == 0 &&
                        c->declared[i][plen] == ':';
            for (size_t i = 0;
                 i < sizeof known_vocabs / sizeof *known_vocabs && !known;
                 i++)
                known = strlen(known_vocabs[i].prefix) == plen &&
                        strncmp(known_vocabs[i].prefix, tok, plen) == 0;
            if (!known) {
                warn_once(c, n, tok, "epub:type value '%s' has an unknown "
                          "prefix; removed", tok);
                ok = false;
                changed = true;
            }
            for (size_t i = 0; i < c->nused && !have; i++)
                have = strlen(c->used[i]) == plen &&
                       strncmp(c->used[i], tok, plen) == 0;
            if (ok && !have && c->nused < MAX_PREFIXES)
                c->used[c->nused++] = (char *)xmlStrndup(BAD_CAST tok,
                                                         (int)plen);
        }
        if (ok) {
            if (kept.len)
                oc_buf_puts(&kept, " ");
            oc_buf_puts(&kept, tok);
        }
    }
    if (changed) {
        if (kept.len == 0)
            xmlRemoveProp(a);
        else
            xmlNodeSetContent((xmlNodePtr)a, BAD_CAST kept.data);
    }
    oc_buf_free(&kept);
    xmlFree(v);
}

/* The DPUB-ARIA role that matches an EPUB structural semantic, on the
 * elements it may stand on (ARIA in HTML); Ace asks for both. */
static const struct {
    const char *type, *role, *on;   /* on: element names, "*" sectioning */
} roles[] = {
    {"chapter", "doc-chapter", "*"},
    {"part", "doc-part", "*"},
    {"introduction", "doc-introduction", "*"},
    {"preface", "doc-preface", "*"},
    {"prologue", "doc-prologue", "*"},
    {"epilogue", "doc-epilogue", "*"},
    {"afterword", "doc-afterword", "*"},
    {"conclusion", "doc-conclusion", "*"},
    {"foreword", "doc-foreword", "*"},
    {"dedication", "doc-dedication", "*"},
    {"epigraph", "doc-epigraph", "*"},
    {"acknowledgments", "doc-acknowledgments", "*"},
    {"appendix", "doc-appendix", "*"},
    {"bibliography", "doc-bibliography", "*"},
    {"glossary", "doc-glossary", "*"},
    {"index", "doc-index", "*"},
    {"colophon", "doc-colophon", "*"},
    {"credits", "doc-credits", "*"},
    {"errata", "doc-errata", "*"},
    {"endnotes", "doc-endnotes", "*"},
    {"abstract", "doc-abstract", "*"},
    {"footnote", "doc-footnote", "aside"},
    {"noteref", "doc-noteref", "a"},
    {"backlink", "doc-backlink", "a"},
    {"biblioref", "doc-biblioref", "a"},
    {"glossref", "doc-glossref", "a"},
};

static const char *const sectioning[] = {
    "section", "div", "aside", "article", "blockquote", NULL};

/* Give n the role of its epub:type 'types' when it has none. */
static void
match_role(xmlNodePtr n, const char *types)
{
    char buf[256];
    char *save = NULL;

    if (xmlHasProp(n, BAD_CAST "role") != NULL)
        return;
    snprintf(buf, sizeof buf, "%s", types);
    for (char *t = strtok_r(buf, " \t\r\n", &save); t != NULL;
         t = strtok_r(NULL, " \t\r\n", &save))
        for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
            if (strcmp(t, roles[i].type) == 0 &&
                (strcmp(roles[i].on, "*") == 0
                     ? named(n, sectioning)
                     : oc_xhtml_is(n, roles[i].on))) {
                xmlSetProp(n, BAD_CAST "role", BAD_CAST roles[i].role);
                return;
            }
}

/* Read the chapter's own epub:prefix ("p: uri p2: uri2"). */
static void
read_declared(clean *c, xmlNodePtr root)
{
    xmlChar *v = xmlGetNsProp(root, BAD_CAST "prefix", BAD_CAST OC_EPUB_NS);
    char *save = NULL, *prefix = NULL;

    if (v == NULL)
        return;
    for (char *tok = strtok_r((char *)v, " \t\r\n", &save); tok != NULL;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        size_t len = strlen(tok);

        if (len > 1 && tok[len - 1] == ':') {
            prefix = tok;
        } else if (prefix != NULL && c->ndeclared < MAX_PREFIXES) {
            oc_buf d = {0};

            oc_buf_printf(&d, "%s %s", prefix, tok);
            c->declared[c->ndeclared++] = d.data;
            prefix = NULL;
        }
    }
    xmlFree(v);
}

/* Declare on the root every prefix used. */
static void
declare_prefixes(clean *c, xmlNodePtr root)
{
    oc_buf s = {0};
    xmlNsPtr ns = xmlSearchNsByHref(c->doc, root, BAD_CAST OC_EPUB_NS);

    for (size_t i = 0; i < c->nused; i++) {
        const char *uri = NULL;
        size_t plen = strlen(c->used[i]);

        for (size_t k = 0; k < c->ndeclared && uri == NULL; k++)
            if (strncmp(c->declared[k], c->used[i], plen) == 0 &&
                c->declared[k][plen] == ':')
                uri = c->declared[k] + plen + 2;
        for (size_t k = 0;
             k < sizeof known_vocabs / sizeof *known_vocabs && uri == NULL;
             k++)
            if (strcmp(known_vocabs[k].prefix, c->used[i]) == 0)
                uri = known_vocabs[k].uri;
        if (uri == NULL)
            continue;
        oc_buf_printf(&s, "%s%s: %s", s.len ? " " : "", c->used[i], uri);
    }
    if (ns == NULL)
        ns = xmlNewNs(root, BAD_CAST OC_EPUB_NS, BAD_CAST "epub");
    if (s.len)
        xmlSetNsProp(root, ns, BAD_CAST "prefix", BAD_CAST s.data);
    else if (xmlHasNsProp(root, BAD_CAST "prefix", BAD_CAST OC_EPUB_NS))
        xmlUnsetNsProp(root, ns, BAD_CAST "prefix");
    oc_buf_free(&s);
}

/* ---- elements ---- */

/* HTML's elements (WHATWG), and the obsolete ones this file renames or
 * removes, sorted. */
static const char *const html_elements[] = {
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside",
    "audio", "b", "base", "basefont", "bdi", "bdo", "bgsound", "big",
    "blink", "blockquote", "body", "br", "button", "canvas", "caption",
    "center", "cite", "code", "col", "colgroup", "data", "datalist", "dd",
    "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em",
    "embed", "fieldset", "figcaption", "figure", "font", "footer", "form",
    "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "hgroup", "hr", "html", "i", "iframe", "image", "img",
    "input", "ins", "isindex", "kbd", "keygen", "label", "legend", "li",
    "link", "listing", "main", "map", "mark", "marquee", "math", "menu",
    "menuitem", "meta", "meter", "multicol", "nav", "nextid", "nobr",
    "noembed", "noframes", "noscript", "object", "ol", "optgroup",
    "option", "output", "p", "param", "picture", "plaintext", "pre",
    "progress", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp",
    "script", "search", "section", "select", "slot", "small", "source",
    "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup",
    "svg", "table", "tbody", "td", "template", "textarea", "tfoot", "th",
    "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var",
    "video", "wbr", "xmp"};

bool
oc_html_element_known(const char *name, size_t len)
{
    size_t lo = 0, hi = sizeof html_elements / sizeof *html_elements;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int d = strncasecmp(html_elements[mid], name, len);

        if (d == 0 && html_elements[mid][len] != '\0')
            d = 1;                  /* longer than name */
        if (d == 0)
            return true;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Is n an HTML element: of XHTML's namespace or none, and neither an
 * SVG or MathML root nor under one? */
static bool
is_html(xmlNodePtr n)
{
    for (xmlNodePtr p = n; p != NULL && p->type == XML_ELEMENT_NODE;
         p = p->parent)
        if ((p->ns != NULL &&
             !xmlStrEqual(p->ns->href, BAD_CAST OC_XHTML_NS)) ||
            xmlStrcasecmp(p->name, BAD_CAST "svg") == 0 ||
            xmlStrcasecmp(p->name, BAD_CAST "math") == 0)
            return false;
    return true;
}

/* Is n, in XHTML's namespace or none and under no SVG or MathML, an
 * element HTML does not have? */
static bool
unknown_html(xmlNodePtr n)
{
    return is_html(n) &&
           !oc_html_element_known((const char *)n->name,
                                  (size_t)xmlStrlen(n->name));
}


static const char *const removed_elements[] = {
    "script", "iframe", "object", "embed", "applet", "frame", "frameset",
    "base", "noscript", "param", "noembed", "noframes", NULL};

/* SVG's animation elements (SMIL), inline SVG's as an SVG image's. */
static const char *const animations[] = {
    "set", "animate", "animateMotion", "animateTransform", "animateColor",
    NULL};

/* Elements whose content holds no phrasing: a <br> or text there is
 * misplaced. */
static const char *const no_phrasing[] = {
    "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup",
    "hgroup", "select", "optgroup", "datalist", "menu", "picture", NULL};

/* Flow content that may not stand inside a paragraph. */
static const char *const blocks[] = {
    "address", "article", "aside", "blockquote", "details", "div", "dl",
    "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "main", "nav", "ol", "p", "pre",
    "section", "table", "ul", NULL};

/* URL-valued attributes. */
static const char *const url_attrs[] = {
    "href", "src", "cite", "poster", "longdesc", "action", "formaction",
    "background", "data", "manifest", "icon", "lowsrc", "dynsrc", NULL};

/* Rename an obsolete element to its current equivalent; returns false
 * when it is not one. */
static bool
modernise(clean *c, xmlNodePtr n)
{
    static const struct {
        const char *from, *to, *style;
    } table[] = {
        {"center", "div", "text-align: center"},
        {"font", "span", NULL},
        {"tt", "code", NULL},
        {"big", "span", "font-size: larger"},
        {"strike", "s", NULL},
        {"acronym", "abbr", NULL},
        {"blink", "span", NULL},
        {"marquee", "span", NULL},
    };

    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        if (xmlStrcasecmp(n->name, BAD_CAST table[i].from) != 0)
            continue;
        warn_once(c, n, table[i].from, "obsolete element <%s> turned into "
                  "<%s>", table[i].from, table[i].to);
        if (strcmp(table[i].from, "font") == 0) {
            xmlChar *col = xmlGetProp(n, BAD_CAST "color");
            xmlChar *face = xmlGetProp(n, BAD_CAST "face");

            if (col != NULL && xmlStrlen(col) < 40 &&
                xmlStrchr(col, ';') == NULL) {
                char d[64];

                snprintf(d, sizeof d, "color: %s", (const char *)col);
                add_style(n, d);
            }
            if (face != NULL && xmlStrlen(face) < 80 &&
                xmlStrchr(face, ';') == NULL) {
                char d[128];

                snprintf(d, sizeof d, "font-family: %s",
                         (const char *)face);
                add_style(n, d);
            }
            xmlUnsetProp(n, BAD_CAST "color");
            xmlUnsetProp(n, BAD_CAST "face");
            xmlUnsetProp(n, BAD_CAST "size");
            xmlFree(col);
            xmlFree(face);
        }
        xmlNodeSetName(n, BAD_CAST table[i].to);
        if (table[i].style != NULL)
            add_style(n, table[i].style);
        return true;
    }
    return false;
}

/* Presentational attribute a of element n as CSS, or removed. */
static void
presentational(clean *c, xmlNodePtr n, xmlAttrPtr a)
{
    const char *name = (const char *)a->name;
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    const char *val = v ? (const char *)v : "";
    char decl[160] = "";
    bool img = oc_xhtml_is(n, "img") || oc_xhtml_is(n, "video") ||
               oc_xhtml_is(n, "canvas") || oc_xhtml_is(n, "iframe") ||
               oc_xhtml_is(n, "source");
    bool keep = false;

    if (strcmp(name, "align") == 0) {
        bool object = oc_xhtml_is(n, "img") || oc_xhtml_is(n, "table");

        if (xmlStrcasecmp(v, BAD_CAST "center") == 0 ||
            xmlStrcasecmp(v, BAD_CAST "middle") == 0)
            snprintf(decl, sizeof decl, object
                     ? "display: block; margin-left: auto; "
                       "margin-right: auto"
                     : "text-align: center");
        else if (xmlStrcasecmp(v, BAD_CAST "left") == 0 ||
                 xmlStrcasecmp(v, BAD_CAST "right") == 0)
            snprintf(decl, sizeof decl, object ? "float: %s"
                                               : "text-align: %s",
                     xmlStrcasecmp(v, BAD_CAST "left") == 0 ? "left"
                                                            : "right");
        else if (xmlStrcasecmp(v, BAD_CAST "justify") == 0 && !object)
            snprintf(decl, sizeof decl, "text-align: justify");
    } else if (strcmp(name, "valign") == 0) {
        if (xmlStrcasecmp(v, BAD_CAST "top") == 0 ||
            xmlStrcasecmp(v, BAD_CAST "middle") == 0 ||
            xmlStrcasecmp(v, BAD_CAST "bottom") == 0 ||
            xmlStrcasecmp(v, BAD_CAST "baseline") == 0)
            snprintf(decl, sizeof decl, "vertical-align: %s", val);
    } else if (strcmp(name, "bgcolor") == 0) {
        if (xmlStrlen(v) < 40 && xmlStrchr(v, ';') == NULL)
            snprintf(decl, sizeof decl, "background-color: %s", val);
    } else if (strcmp(name, "nowrap") == 0) {
        snprintf(decl, sizeof decl, "white-space: nowrap");
    } else if (strcmp(name, "width") == 0 || strcmp(name, "height") == 0) {
        char len[48];

        if (img && is_uint(val))
            keep = true;
        else if (css_length(val, len, sizeof len))
            snprintf(decl, sizeof decl, "%s: %s", name, len);
    } else if (strcmp(name, "border") == 0 && oc_xhtml_is(n, "table")) {
        keep = val[0] == '\0' || strcmp(val, "1") == 0;
    }
    if (!keep) {
        if (decl[0] != '\0') {
            add_style(n, decl);
            warn_once(c, n, name, "obsolete attribute '%s' on <%s> turned "
                      "into CSS", name, (const char *)n->name);
        } else {
            warn_once(c, n, name, "obsolete attribute '%s' on <%s> "
                      "removed", name, (const char *)n->name);
        }
        xmlRemoveProp(a);
    }
    xmlFree(v);
}

static bool
is_presentational(xmlNodePtr n, const char *name)
{
    static const char *const any[] = {
        "align", "valign", "bgcolor", "nowrap", "hspace", "vspace",
        "cellpadding", "cellspacing", "frame", "rules", "char", "charoff",
        "clear", "noshade", "compact", "background", "text", "link",
        "vlink", "alink", "axis", "abbr", "scope-row", NULL};
    static const char *const sized[] = {
        "td", "th", "table", "col", "colgroup", "tr", "div", "p", "hr",
        "pre", "img", "video", "canvas", "iframe", "source", NULL};

    for (size_t i = 0; any[i] != NULL; i++)
        if (strcmp(name, any[i]) == 0)
            return !(strcmp(name, "abbr") == 0 && oc_xhtml_is(n, "th"));
    if (strcmp(name, "width") == 0 || strcmp(name, "height") == 0)
        return named(n, sized);
    if (strcmp(name, "border") == 0)
        return true;
    if (strcmp(name, "summary") == 0 && oc_xhtml_is(n, "table"))
        return true;
    if (strcmp(name, "type") == 0 && (oc_xhtml_is(n, "ul") ||
                                      oc_xhtml_is(n, "li")))
        return true;
    if (strcmp(name, "size") == 0 && oc_xhtml_is(n, "hr"))
        return true;
    if (strcmp(name, "language") == 0)
        return true;
    return false;
}

/* Does a CSS value load anything or run anything? */
static bool
style_loads(const char *v)
{
    for (const char *p = v; *p; p++) {
        if (starts_nocase(p, "url(") || starts_nocase(p, "@import") ||
            starts_nocase(p, "expression(") ||
            starts_nocase(p, "-moz-binding") || starts_nocase(p, "behavior"))
            return true;
        if (*p == '\\')         /* escapes hide all of the above */
            return true;
    }
    return oc_css_loads(v, strlen(v));     /* image-set("…"), src("…") */
}

/* An attribute the HTML parser left with a prefix in its name
 * ("epub:type"): made the namespaced attribute it means (epub:, xml:), or
 * removed, as its prefix is declared nowhere. Returns the attribute now
 * in its place, or NULL. */
static xmlAttrPtr
qualified(clean *c, xmlNodePtr n, xmlAttrPtr a)
{
    const char *name = (const char *)a->name;
    const char *local = strchr(name, ':') + 1;
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    xmlAttrPtr made = NULL;
    xmlNsPtr ns = NULL;

    if (strncmp(name, "epub:", 5) == 0)
        ns = xmlSearchNsByHref(c->doc, xmlDocGetRootElement(c->doc),
                               BAD_CAST OC_EPUB_NS);
    else if (strncmp(name, "xml:", 4) == 0)
        ns = xmlSearchNs(c->doc, n, BAD_CAST "xml");
    /* "xml:a:b" would be a name no XML parser reads back. */
    if (ns != NULL && xmlValidateNCName(BAD_CAST local, 0) == 0)
        made = xmlSetNsProp(n, ns, BAD_CAST local, v ? v : BAD_CAST "");
    else
        warn_at(c, n, "attribute '%s' of an undeclared namespace removed",
                name);
    xmlRemoveProp(a);
    xmlFree(v);
    return made;
}

/* Whether an HTML element's xmlns attribute 'a' names a namespace EPUB's
 * XHTML holds (XHTML, SVG, MathML). */
static bool
xmlns_allowed(xmlAttrPtr a)
{
    static const char *const ok[] = {
        OC_XHTML_NS, "http://www.w3.org/2000/svg",
        "http://www.w3.org/1998/Math/MathML", NULL};
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    bool yes = false;

    for (size_t i = 0; v != NULL && ok[i] != NULL && !yes; i++)
        yes = xmlStrEqual(v, BAD_CAST ok[i]);
    xmlFree(v);
    return yes;
}

/* Attribute 'a' has an empty value. */
static bool
empty(xmlAttrPtr a)
{
    return a->children == NULL ||
           (a->children->next == NULL && a->children->content != NULL &&
            a->children->content[0] == '\0');
}

/* Attributes of no namespace EPUB 3's schema allows on any HTML
 * element (HTML's global ones, RDFa's, xmlns), as one word list. */
static const char global_attrs[] =
    " about accesskey autocapitalize autofocus class content "
    "contenteditable datatype dir draggable hidden id inlist inputmode is "
    "itemid itemprop itemref itemscope itemtype lang nonce prefix property "
    "rel resource rev role slot spellcheck style tabindex title translate "
    "typeof vocab xmlns ";

/* The attributes of their own that HTML elements have, where EPUB 3's
 * schema allows them. */
static const struct {
    const char *element, *attrs;
} own_attrs[] = {
    {"a", " href target download ping hreflang type referrerpolicy "},
    {"area", " alt coords shape href target download ping hreflang type "
             "referrerpolicy "},
    {"audio", " src crossorigin preload autoplay loop muted controls "},
    {"blockquote", " cite "},
    {"button", " disabled form formaction formenctype formmethod "
               "formnovalidate formtarget name popovertarget "
               "popovertargetaction type value "},
    {"canvas", " width height "},
    {"col", " span "},
    {"colgroup", " span "},
    {"data", " value "},
    {"del", " cite datetime "},
    {"details", " open name "},
    {"dialog", " open "},
    {"fieldset", " disabled form name "},
    {"img", " alt src srcset sizes crossorigin usemap ismap width height "
            "referrerpolicy decoding loading fetchpriority "},
    {"input", " accept alt autocomplete checked dirname disabled form "
              "formaction formenctype formmethod formnovalidate formtarget "
              "height list max maxlength min minlength multiple name "
              "pattern placeholder readonly required size src step type "
              "value width popovertarget popovertargetaction "},
    {"ins", " cite datetime "},
    {"label", " for form "},
    {"li", " value "},
    {"link", " href crossorigin media hreflang type sizes as integrity "
             "referrerpolicy blocking fetchpriority imagesrcset "
             "imagesizes disabled color "},
    {"map", " name "},
    {"meta", " name http-equiv charset media "},
    {"meter", " value min max low high optimum "},
    {"ol", " reversed start type "},
    {"optgroup", " disabled label "},
    {"option", " disabled label selected value "},
    {"output", " for form name "},
    {"progress", " value max "},
    {"q", " cite "},
    {"select", " autocomplete disabled form multiple name required size "},
    {"slot", " name "},
    {"source", " src srcset sizes media type width height "},
    {"style", " media type blocking "},
    {"td", " colspan rowspan headers "},
    {"textarea", " autocomplete cols dirname disabled form maxlength "
                 "minlength name placeholder readonly required rows wrap "},
    {"th", " colspan rowspan headers scope abbr "},
    {"time", " datetime "},
    {"track", " default kind label src srclang "},
    {"video", " src crossorigin poster preload autoplay playsinline loop "
              "muted controls width height "},
};

/* Whether EPUB 3's schema allows attribute 'name' (of no namespace) on
 * element n: a global, data- or aria- attribute, or one of the
 * element's own; an element of SVG or MathML has its own schema, not
 * HTML's. */
static bool
attr_allowed(xmlNodePtr n, const char *name)
{
    if (!is_html(n) || strncmp(name, "data-", 5) == 0 ||
        strncmp(name, "aria-", 5) == 0 || oc_xhtml_has_token(global_attrs, name))
        return true;
    for (size_t i = 0; i < sizeof own_attrs / sizeof *own_attrs; i++)
        if (xmlStrEqual(n->name, BAD_CAST own_attrs[i].element))
            return oc_xhtml_has_token(own_attrs[i].attrs, name);
    return false;
}

bool
oc_html_attr_allowed(xmlNodePtr n, const char *name)
{
    return strcmp(name, "xmlns") != 0 && attr_allowed(n, name);
}

/* Whether accesskey 'a' gives keys that no element before it in the
 * chapter has; they are then its. */
static bool
first_key(clean *c, xmlAttrPtr a)
{
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    bool first;

    if (c->keys == NULL)
        c->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        NULL);
    first = v == NULL || !g_hash_table_contains(c->keys, v);
    if (v != NULL && first)
        g_hash_table_add(c->keys, g_strdup((const char *)v));
    xmlFree(v);
    return first;
}

/* The attributes of element n. */
static bool bad_value(clean *c, xmlNodePtr n, xmlAttrPtr a,
                      const char *name, const char *v);

/* An <img>'s data: URL of an SVG image, which the book turns into a file
 * of its own, cleaned as an SVG file is (book.c). */
static bool
svg_data_url(const char *v)
{
    v += strspn(v, " \t\r\n\f");
    return starts_nocase(v, "data:image/svg+xml") &&
           (v[18] == ',' || v[18] == ';');
}

static void
clean_attrs(clean *c, xmlNodePtr n)
{
    xmlAttrPtr a, next;

    for (a = n->properties; a != NULL; a = next) {
        const char *name = (const char *)a->name;
        xmlChar *v;
        const char *why = NULL;

        next = a->next;
        if (xmlValidateName(a->name, 0) != 0) {
            /* HTML's parser takes <a .=""> or <p 1x="">, which no
             * XML parser reads back. */
            warn_at(c, n, "attribute '%s' removed (not a name XHTML can "
                    "hold)", name);
            xmlRemoveProp(a);
            continue;
        }
        if (a->ns == NULL && (strncmp(name, "xmlns:", 6) == 0 ||
                              (strcmp(name, "xmlns") == 0 && empty(a)))) {
            /* A declaration the HTML parser kept as an attribute, of a
             * prefix (xmlns:d, which DocBook's stylesheets write on every
             * element), or of no namespace (xmlns=""): nothing to the
             * book, and nothing to warn of. */
            xmlRemoveProp(a);
            continue;
        }
        if (a->ns == NULL && strchr(name, ':') != NULL &&
            (a = qualified(c, n, a)) == NULL)
            continue;
        if (a->ns == NULL && strcmp(name, "xmlns") == 0 &&
            !xmlns_allowed(a)) {
            /* HTML's parser keeps it as an attribute; in the EPUB it
             * declares the element's namespace. */
            warn_at(c, n, "attribute 'xmlns' removed (not a namespace "
                    "XHTML holds)");
            xmlRemoveProp(a);
            continue;
        }
        name = (const char *)a->name;
        if (a->ns == NULL && strcmp(name, "accesskey") == 0 &&
            !first_key(c, a)) {
            /* A key for two elements takes the reader to neither
             * (WCAG 4.1.1); web pages' navigation bars give the same
             * keys at their top and foot. */
            warn_once(c, n, "accesskey", "attribute 'accesskey' removed "
                      "(its key is given to an element before it)");
            xmlRemoveProp(a);
            continue;
        }
        if (a->ns == NULL && strcmp(name, "name") == 0 &&
            oc_xhtml_is(n, "a")) {
            /* An old anchor (<a name="...">, as word processors and old
             * HTML books write them) is what links point to: an id. */
            if (xmlHasProp(n, BAD_CAST "id") == NULL) {
                v = xmlNodeGetContent((xmlNodePtr)a);
                if (v != NULL && v[0] != '\0')
                    xmlSetProp(n, BAD_CAST "id", v);
                xmlFree(v);
            }
            xmlRemoveProp(a);
            continue;
        }
        if (a->ns != NULL &&
            xmlStrEqual(a->ns->href, BAD_CAST OC_EPUB_NS)) {
            if (strcmp(name, "type") == 0) {
                xmlChar *t;

                note_prefixes(c, n, a);
                /* note_prefixes may have removed a */
                if ((t = xmlGetNsProp(n, BAD_CAST "type",
                                      BAD_CAST OC_EPUB_NS)) != NULL) {
                    match_role(n, (const char *)t);
                    xmlFree(t);
                }
            }
            continue;
        }
        v = xmlNodeGetContent((xmlNodePtr)a);
        if (v != NULL && bad_value(c, n, a, name, (const char *)v)) {
            warn_at(c, n, "attribute '%s' removed (its value '%.40s' is "
                    "not one EPUB 3 allows)", name, (const char *)v);
            xmlFree(v);
            xmlRemoveProp(a);
            continue;
        }
        xmlFree(v);
        if (xmlStrncasecmp(a->name, BAD_CAST "on", 2) == 0) {
            warn_at(c, n, "event handler attribute '%s' removed", name);
            xmlRemoveProp(a);
            continue;
        }
        if (a->ns != NULL && xmlStrEqual(a->name, BAD_CAST "base") &&
            xmlStrEqual(a->ns->href, XML_XML_NAMESPACE)) {
            /* xml:base makes every relative link of the element resolve
             * against it ("javascript:alert(1)//"). */
            warn_at(c, n, "attribute 'xml:base' removed (a base URL has no "
                    "place in a book)");
            xmlRemoveProp(a);
            continue;
        }
        if (a->ns == NULL && !is_presentational(n, name) &&
            !attr_allowed(n, name)) {
            char kind[80];

            /* markdown="1" (PHP Markdown Extra's, kramdown's: read the
             * block's content as Markdown, which octavo does) goes
             * without a word. */
            snprintf(kind, sizeof kind, "attribute %s", name);
            if (strcmp(name, "markdown") != 0)
                warn_once(c, n, kind, "attribute '%.40s' on <%s> removed "
                          "(HTML has no such attribute there)", name,
                          (const char *)n->name);
            xmlRemoveProp(a);
            continue;
        }
        if (a->ns != NULL && !xmlStrEqual(a->name, BAD_CAST "href"))
            continue;           /* xml:lang, xml:space... */
        v = xmlNodeGetContent((xmlNodePtr)a);
        if (v == NULL)
            continue;
        if (in_list(a->name, url_attrs) ||
            (strcmp(name, "content") == 0 && oc_xhtml_is(n, "meta"))) {
            oc_url_use use = oc_xhtml_is(n, "img") && strcmp(name, "src") == 0
                                 ? OC_URL_IMAGE : OC_URL_LINK;
            char *to = use == OC_URL_LINK ? oc_url_unredirected((char *)v)
                                          : NULL;
            char *esc;

            if (to != NULL) {   /* the address, not the tracker's */
                xmlSetNsProp(n, a->ns, a->name, BAD_CAST to);
                xmlFree(v);
                v = xmlStrdup(BAD_CAST to);
                free(to);
            }
            esc = use == OC_URL_LINK ? oc_url_escaped((char *)v) : NULL;

            if (esc != NULL) {
                /* As a browser would send it: a link EPUBCheck takes. */
                xmlSetNsProp(n, a->ns, a->name, BAD_CAST esc);
                xmlFree(v);
                v = xmlStrdup(BAD_CAST esc);
                free(esc);
            }

            if (use == OC_URL_IMAGE && svg_data_url((const char *)v)) {
                /* The book makes it a file through its SVG sanitiser
                 * (book.c): it never reaches the EPUB as it is. */
            } else if (!oc_url_allowed((const char *)v, use, &why)) {
                warn_at(c, n, "%s in '%s' removed", why, name);
                xmlRemoveProp(a);
            }
        } else if (strcmp(name, "srcset") == 0) {
            if (!oc_url_allowed((const char *)v, OC_URL_IMAGE, &why)) {
                warn_at(c, n, "%s in '%s' removed", why, name);
                xmlRemoveProp(a);
            }
        } else if (strcmp(name, "style") == 0) {
            if (style_loads((const char *)v)) {
                warn_at(c, n, "style attribute that loads or runs "
                        "something removed");
                xmlRemoveProp(a);
            }
        } else if (is_presentational(n, name)) {
            presentational(c, n, a);
        }
        xmlFree(v);
    }
}

/* Is n in a heading? */
static bool
in_heading(xmlNodePtr n)
{
    for (n = n->parent; n != NULL && n->type == XML_ELEMENT_NODE;
         n = n->parent)
        if (oc_xhtml_is_heading(n))
            return true;
    return false;
}

/* An image from the web (or one whose URL is refused: 'why') cannot be
 * in the book: its alt text is set. In a heading it is set in a span of
 * the role img, a picture still, which the heading's text as a title
 * leaves out (xhtml.h): a README's badges, "# safe-buffer [![travis]
 * (...)](...)", do not title its chapter. */
static void
missing_image(clean *c, xmlNodePtr n, const char *src, const char *why)
{
    xmlChar *alt = xmlGetProp(n, BAD_CAST "alt");
    xmlNodePtr t = xmlNewDocText(c->doc, alt ? alt : BAD_CAST "");

    if (why != NULL)
        warn_at(c, n, "image '%.120s%s' removed (%s); its alt text is set "
                "instead", src, strlen(src) > 120 ? "..." : "", why);
    else
        warn_at(c, n, "image '%.120s%s' is on the web, not in the book; its "
                "alt text is set instead", src,
                strlen(src) > 120 ? "..." : "");
    if (alt != NULL && alt[0] != '\0' && in_heading(n)) {
        xmlNodePtr span = oc_xhtml_add(c->doc, NULL, "span",
                                       oc_xhtml_line(n));

        xmlSetProp(span, BAD_CAST "role", BAD_CAST "img");
        xmlSetProp(span, BAD_CAST "aria-label", alt);
        xmlAddChild(span, t);
        t = span;
    }
    xmlAddPrevSibling(n, t);
    drop(n);
    xmlFree(alt);
}

static void clean_nodes(clean *c, xmlNodePtr first);
/* ---- elements out of their place ---- */

/* The parents an element may have in EPUB 3's XHTML, for the elements
 * that need one; NULL-ended, the element first. */
static const char *const *const placed[] = {
    (const char *const[]){"td", "tr", NULL},
    (const char *const[]){"th", "tr", NULL},
    (const char *const[]){"tr", "table", "thead", "tbody", "tfoot", NULL},
    (const char *const[]){"thead", "table", NULL},
    (const char *const[]){"tbody", "table", NULL},
    (const char *const[]){"tfoot", "table", NULL},
    (const char *const[]){"caption", "table", NULL},
    (const char *const[]){"li", "ul", "ol", "menu", NULL},
    (const char *const[]){"dt", "dl", NULL},
    (const char *const[]){"dd", "dl", NULL},
    (const char *const[]){"figcaption", "figure", NULL},
    (const char *const[]){"summary", "details", NULL},
    (const char *const[]){"legend", "fieldset", NULL},
    NULL};

/* Whether n holds a <dt> or a <dd>. */
static bool
holds_terms(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (oc_xhtml_is(k, "dt") || oc_xhtml_is(k, "dd"))
            return true;
    return false;
}

/* An element that stands where its kind may not (a <td> or <li> with no
 * table or list around it, as HTML's parser leaves them) becomes a
 * <div>; a <div> grouping a list's terms (HTML 5.2) is unwrapped, which
 * EPUB 3 wants (one that groups none goes in a <dd>: see fix_dl); a
 * <caption> after a table's rows goes first. Returns false when n was
 * unwrapped. */
static bool
fix_place(clean *c, xmlNodePtr n)
{
    for (size_t i = 0; placed[i] != NULL; i++) {
        const char *const *p = placed[i];

        if (!oc_xhtml_is(n, p[0]))
            continue;
        /* A term in a <div> of a list is in the list: the div goes. */
        if (!named(n->parent, p + 1) &&
            !(strcmp(p[1], "dl") == 0 && oc_xhtml_is(n->parent, "div") &&
              oc_xhtml_is(n->parent->parent, "dl"))) {
            warn_once(c, n, p[0], "<%s> outside <%s> turned into a <div>",
                      p[0], p[1]);
            xmlNodeSetName(n, BAD_CAST "div");
        }
        break;
    }
    if (oc_xhtml_is(n, "div") && oc_xhtml_is(n->parent, "dl") &&
        holds_terms(n)) {
        clean_nodes(c, n->children);
        oc_xhtml_unwrap(n);
        return false;
    }
    if (oc_xhtml_is(n, "caption") && oc_xhtml_is(n->parent, "table") &&
        n->parent->children != n) {
        xmlNodePtr t = n->parent;

        xmlUnlinkNode(n);
        if (t->children != NULL)
            xmlAddPrevSibling(t->children, n);
        else
            xmlAddChild(t, n);
    }
    return true;
}

/* Phrasing elements whose content may hold no block. */
static const char *const phrasing[] = {
    "span", "a", "em", "strong", "b", "i", "u", "s", "small", "mark",
    "cite", "q", "dfn", "abbr", "code", "var", "samp", "kbd", "sub", "sup",
    "bdi", "bdo", "time", "data", "label", NULL};

/* A phrasing element holding a block (<span><p>…</p></span>, as HTML's
 * parser keeps it) becomes a <div>; a link stays (its content model is
 * its parent's). */
static void
fix_phrasing(clean *c, xmlNodePtr n)
{
    if (!named(n, phrasing) || oc_xhtml_is(n, "a"))
        return;
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE && named(k, blocks)) {
            warn_once(c, n, "block-in-inline", "<%s> holding a <%s> turned "
                      "into a <div>", (const char *)n->name,
                      (const char *)k->name);
            xmlNodeSetName(n, BAD_CAST "div");
            return;
        }
}

/* A datetime attribute's value as HTML has them (EPUB 3's schema): a
 * date, month, year, week, time, local or global date and time, a
 * yearless date or a duration. */
static bool
is_datetime(const char *v)
{
    static const char *const forms =
        "^([0-9]{4,}(-[0-9]{2}(-[0-9]{2}([T ][0-9]{2}:[0-9]{2}"
        "(:[0-9]{2}(\\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?"
        "|[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?"
        "|--?(0[0-9]|1[0-2])-[0-3][0-9]"
        "|[0-9]{4,}-W[0-9]{2}"
        "|P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]{1,3})?S)?)?"
        "|( *[0-9]+(\\.[0-9]{1,3})? *[WDHMS])+ *)$";
    regex_t re;
    bool ok;

    if (v[0] == '\0' || strcmp(v, "P") == 0 || strcmp(v, "PT") == 0 ||
        regcomp(&re, forms, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    ok = regexec(&re, v, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* ARIA roles EPUB 3's schema knows (WAI-ARIA 1.1 and DPUB-ARIA). */
static const char *const aria_roles[] = {
    "alert", "alertdialog", "application", "article", "banner", "button",
    "cell", "checkbox", "columnheader", "combobox", "complementary",
    "contentinfo", "definition", "dialog", "directory", "doc-abstract",
    "doc-acknowledgments", "doc-afterword", "doc-appendix", "doc-backlink",
    "doc-biblioentry", "doc-bibliography", "doc-biblioref", "doc-chapter",
    "doc-colophon", "doc-conclusion", "doc-cover", "doc-credit",
    "doc-credits", "doc-dedication", "doc-endnote", "doc-endnotes",
    "doc-epigraph", "doc-epilogue", "doc-errata", "doc-example",
    "doc-footnote", "doc-foreword", "doc-glossary", "doc-glossref",
    "doc-index", "doc-introduction", "doc-noteref", "doc-notice",
    "doc-pagebreak", "doc-pagelist", "doc-part", "doc-preface",
    "doc-prologue", "doc-pullquote", "doc-qna", "doc-subtitle", "doc-tip",
    "doc-toc", "document", "feed", "figure", "form", "graphics-document",
    "graphics-object", "graphics-symbol", "grid", "gridcell", "group",
    "heading", "img", "link", "list", "listbox", "listitem", "log", "main",
    "marquee", "math", "menu", "menubar", "menuitem", "menuitemcheckbox",
    "menuitemradio", "navigation", "none", "note", "option",
    "presentation", "progressbar", "radio", "radiogroup", "region", "row",
    "rowgroup", "rowheader", "scrollbar", "search", "searchbox",
    "separator", "slider", "spinbutton", "status", "switch", "tab",
    "table", "tablist", "tabpanel", "term", "textbox", "timer", "toolbar",
    "tooltip", "tree", "treegrid", "treeitem", NULL};

/* ARIA states and properties EPUB 3's schema knows. */
static const char *const arias[] = {
    "activedescendant", "atomic", "autocomplete", "busy", "checked",
    "colcount", "colindex", "colspan", "controls", "current",
    "describedby", "details", "disabled", "dropeffect", "errormessage",
    "expanded", "flowto", "grabbed", "haspopup", "hidden", "invalid",
    "keyshortcuts", "label", "labelledby", "level", "live", "modal",
    "multiline", "multiselectable", "orientation", "owns", "placeholder",
    "posinset", "pressed", "readonly", "relevant", "required",
    "roledescription", "rowcount", "rowindex", "rowspan", "selected",
    "setsize", "sort", "valuemax", "valuemin", "valuenow", "valuetext",
    NULL};

/* Whether attribute a of n has a value EPUB 3's schema refuses, where
 * dropping it loses nothing a reader sees: a lang that is no BCP 47 tag,
 * a dir but ltr/rtl/auto, a datetime HTML cannot read, a role or an
 * aria- attribute ARIA does not have, an id with white space (which is
 * made one without, not dropped). */
static bool
bad_value(clean *c, xmlNodePtr n, xmlAttrPtr a, const char *name,
          const char *v)
{
    bool xml = a->ns != NULL && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE);

    if (a->ns != NULL && !xml)
        return false;
    if (strcmp(name, "lang") == 0) {
        char *fixed;
        bool ok;

        if (v[0] == '\0' || oc_is_language_tag(v) || !strchr(v, '_'))
            return v[0] != '\0' && !oc_is_language_tag(v);
        fixed = oc_xstrdup(v);          /* en_US, as locales write it */
        for (char *p = fixed; *p; p++)
            if (*p == '_')
                *p = '-';
        if ((ok = oc_is_language_tag(fixed)))
            xmlSetNsProp(n, a->ns, a->name, BAD_CAST fixed);
        free(fixed);
        return !ok;
    }
    if (xml)
        return false;
    if (strcmp(name, "dir") == 0)
        return strcmp(v, "ltr") != 0 && strcmp(v, "rtl") != 0 &&
               strcmp(v, "auto") != 0;
    if (strcmp(name, "datetime") == 0)
        return !is_datetime(v);
    if (strcmp(name, "role") == 0) {
        for (size_t i = 0; aria_roles[i] != NULL; i++)
            if (strcmp(v, aria_roles[i]) == 0)
                return false;
        return true;
    }
    if (strncmp(name, "aria-", 5) == 0) {
        for (size_t i = 0; arias[i] != NULL; i++)
            if (strcmp(name + 5, arias[i]) == 0)
                return false;
        return true;
    }
    if (strcmp(name, "id") == 0 && strpbrk(v, " \t\r\n\f") != NULL) {
        char *id = oc_xstrdup(v);

        for (char *p = id; *p; p++)
            if (strchr(" \t\r\n\f", *p))
                *p = '-';
        warn_at(c, n, "id '%s' holds white space; made '%s'", v, id);
        xmlSetProp(n, BAD_CAST "id", BAD_CAST id);
        free(id);
        return false;
    }
    (void)c;
    return false;
}


/* Whether HTML element n is inside an HTML link, at any depth. */
static bool
in_link(xmlNodePtr n)
{
    for (xmlNodePtr p = n->parent; p != NULL && p->type == XML_ELEMENT_NODE;
         p = p->parent)
        if (oc_xhtml_is(p, "a") && is_html(p))
            return true;
    return false;
}

/* A link inside a link (<a><span><a>...</a></span></a>, which HTML's
 * parser closes only when nothing stands between them) is no link: its
 * text stays, in a <span> when it keeps other attributes (an id that
 * links point to, a class). Returns false when n was unwrapped. */
static bool
unlink_inner(clean *c, xmlNodePtr n)
{
    static const char *const link_only[] = {
        "href", "target", "download", "ping", "rel", "hreflang", "type",
        "referrerpolicy", NULL};

    warn_once(c, n, "link in link", "<a> inside a link: its link removed "
              "(its text is kept)");
    for (size_t i = 0; link_only[i] != NULL; i++)
        xmlUnsetProp(n, BAD_CAST link_only[i]);
    if (n->properties != NULL) {
        xmlNodeSetName(n, BAD_CAST "span");
        return true;
    }
    clean_nodes(c, n->children);
    oc_xhtml_unwrap(n);
    return false;
}

/* Whether element n holds no element and no text but white space. */
static bool
blank(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE ||
            (k->type == XML_TEXT_NODE && !xmlIsBlankNode(k)))
            return false;
    return true;
}

/* HTML5's void elements that libxml2's HTML parser does not know as
 * void: it gives them the content that follows them, which is theirs
 * no more. So it does to an <img> made from an <image>. */
static void
hoist_void(xmlNodePtr n)
{
    static const char *const voids[] = {"wbr", "source", "track", "embed",
                                        "param", "keygen", "img", NULL};
    xmlNodePtr k;

    if (n->children == NULL || !named(n, voids))
        return;
    while ((k = n->last) != NULL) {
        xmlUnlinkNode(k);
        xmlAddNextSibling(n, k);
    }
}

/* Audio and video have no place on paper, and a book carries no media
 * files: the element gives way to its fallback content (the text a
 * reading system without media shows), its sources and tracks dropped. */
static void
unwrap_media(clean *c, xmlNodePtr n)
{
    xmlNodePtr next;

    warn_at(c, n, "<%s> removed: a book carries no audio or video (its "
            "fallback content is kept)", (const char *)n->name);
    for (xmlNodePtr k = n->children; k != NULL; k = next) {
        hoist_void(k);
        next = k->next;
        if (oc_xhtml_is(k, "source") || oc_xhtml_is(k, "track"))
            drop(k);
    }
    clean_nodes(c, n->children);
    oc_xhtml_unwrap(n);
}

/* An <hgroup> holding more than headings (a subtitle as <p>, as HTML now
 * allows and Standard Ebooks writes) is a <header> to EPUB 3's schema. */
static void
fix_hgroup(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            !(k->name[0] == 'h' && k->name[1] >= '1' && k->name[1] <= '6' &&
              k->name[2] == '\0')) {
            xmlNodeSetName(n, BAD_CAST "header");
            return;
        }
}

/* A paragraph holding a block is no paragraph: it becomes a div. */
static void
fix_paragraph(clean *c, xmlNodePtr p)
{
    for (xmlNodePtr k = p->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE && named(k, blocks)) {
            warn_once(c, p, "p-block", "<%s> inside a paragraph: the "
                      "paragraph becomes a <div>", (const char *)k->name);
            xmlNodeSetName(p, BAD_CAST "div");
            return;
        }
}

/* A figure: no <br>, its caption first or last. */
static void
fix_figure(xmlNodePtr fig)
{
    xmlNodePtr cap = NULL, next;
    bool before = false, after = false;

    for (xmlNodePtr k = fig->children; k != NULL; k = next) {
        next = k->next;
        if (oc_xhtml_is(k, "br"))
            drop(k);
    }
    for (xmlNodePtr k = fig->children; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE &&
            !(k->type == XML_TEXT_NODE && !xmlIsBlankNode(k)))
            continue;
        if (oc_xhtml_is(k, "figcaption") && cap == NULL)
            cap = k;
        else if (cap == NULL)
            before = true;
        else
            after = true;
    }
    if (cap != NULL && before && after) {
        xmlUnlinkNode(cap);
        xmlAddChild(fig, cap);
    }
}

/* Children where none may be: <br>s and loose text. */
static void
fix_no_phrasing(clean *c, xmlNodePtr n)
{
    xmlNodePtr next;

    for (xmlNodePtr k = n->children; k != NULL; k = next) {
        next = k->next;
        if (oc_xhtml_is(k, "br")) {
            drop(k);
        } else if (k->type == XML_TEXT_NODE && !xmlIsBlankNode(k) &&
                   !oc_xhtml_is(n, "picture")) {
            warn_once(c, n, "loose-text", "text directly inside <%s> "
                      "removed", (const char *)n->name);
            drop(k);
        }
    }
}

/* Whether n is an element of a namespace XHTML content does not hold
 * (EPUB 3 allows XHTML, SVG, MathML and epub:switch), placed among
 * XHTML elements: inside SVG or MathML foreign markup has its place. */
static bool
foreign_in_html(xmlNodePtr n)
{
    static const char *const allowed[] = {
        OC_XHTML_NS, "http://www.w3.org/2000/svg",
        "http://www.w3.org/1998/Math/MathML", OC_EPUB_NS, NULL};
    xmlNodePtr p = n->parent;

    if (n->ns == NULL || p == NULL || p->type != XML_ELEMENT_NODE ||
        p->ns == NULL || !xmlStrEqual(p->ns->href, BAD_CAST OC_XHTML_NS))
        return false;
    for (size_t i = 0; allowed[i] != NULL; i++)
        if (xmlStrEqual(n->ns->href, BAD_CAST allowed[i]))
            return false;
    return true;
}

/* The value of n's attribute 'name', in any case (a reading system's HTML
 * parser reads <meta HTTP-EQUIV> as http-equiv); NULL if none, else
 * xmlFree it. */
static xmlChar *
attr_nocase(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a != NULL; a = a->next)
        if (a->ns == NULL && xmlStrcasecmp(a->name, BAD_CAST name) == 0)
            return xmlNodeGetContent((xmlNodePtr)a);
    return NULL;
}

/* Whether the animation n sets no attribute to what the rules would take
 * out of it: a link to a refused URL, a style that loads something, an
 * event handler, a base URL. When it does, *why says what. */
static bool
animation_allowed(xmlNodePtr n, const char **why)
{
    static const char *const values[] = {"to", "from", "by", "values", NULL};
    xmlChar *target = attr_nocase(n, "attributeName");
    char local[64];
    bool ok = true;
    size_t k = 0;

    if (target == NULL)
        return true;
    for (const xmlChar *p = target; *p != '\0'; p++) {
        if (*p == ':')
            k = 0;              /* xlink:href animates href */
        else if (*p > ' ' && *p != 0x7F && k + 1 < sizeof local)
            local[k++] = (char)*p;
    }
    local[k] = '\0';
    xmlFree(target);
    if (xmlStrncasecmp(BAD_CAST local, BAD_CAST "on", 2) == 0 ||
        xmlStrcasecmp(BAD_CAST local, BAD_CAST "base") == 0) {
        *why = local[0] == 'b' || local[0] == 'B' ? "a base URL"
                                                  : "an event handler";
        return false;
    }
    for (size_t i = 0; ok && values[i] != NULL; i++) {
        xmlChar *v = attr_nocase(n, values[i]);
        char *save = NULL;

        if (v == NULL)
            continue;
        if (xmlStrcasecmp(BAD_CAST local, BAD_CAST "style") == 0) {
            ok = !style_loads((const char *)v);
            *why = "a style that loads something";
        } else if (in_list(BAD_CAST local, url_attrs)) {
            /* SMIL: "values" is a list, ';' between its items. */
            for (char *u = strtok_r((char *)v, ";", &save); ok && u != NULL;
                 u = strtok_r(NULL, ";", &save))
                ok = oc_url_allowed(u, OC_URL_LINK, why);
        }
        xmlFree(v);
    }
    return ok;
}

/* A <style> element's sheet follows the stylesheets' rules. */
static void
clean_style_element(clean *c, xmlNodePtr n)
{
    xmlChar *css = xmlNodeGetContent(n);
    oc_buf out = {0}, plain = {0};
    const char *text = (const char *)css;
    size_t len = css != NULL ? (size_t)xmlStrlen(css) : 0;
    bool changed = false;

    if (css != NULL &&
        oc_sanitize_css(text, len, c->file, oc_xhtml_line(n), &out)) {
        text = out.data ? out.data : "";
        len = out.len;
        changed = true;
    }
    if (len > 0 && oc_css_epub_attrs(text, len, &plain)) {
        text = plain.data;
        len = plain.len;
        changed = c->epub_attrs = true;
    }
    if (changed) {
        xmlNodeSetContent(n, NULL);
        xmlNodeAddContentLen(n, BAD_CAST text, (int)len);
    }
    oc_buf_free(&out);
    oc_buf_free(&plain);
    xmlFree(css);
}

/* The element holds text (not only spaces, no-break ones too), or a
 * picture that has some (an <img> with its alt text, an <svg>, a
 * <math>). */
static bool
heads_something(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k != NULL; k = k->next) {
        if (k->type == XML_TEXT_NODE && k->content != NULL)
            for (const char *t = (const char *)k->content; *t != '\0';
                 t = g_utf8_next_char(t))
                if (!g_unichar_isspace(g_utf8_get_char(t)))
                    return true;
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (oc_xhtml_is(k, "img")) {
            xmlChar *alt = xmlGetProp(k, BAD_CAST "alt");
            bool some = alt != NULL && alt[strspn((const char *)alt,
                                                  " \t\r\n\f")] != '\0';

            xmlFree(alt);
            if (some)
                return true;
        } else if (xmlStrEqual(k->name, BAD_CAST "svg") ||
                   xmlStrEqual(k->name, BAD_CAST "math") ||
                   heads_something(k)) {
            return true;
        }
    }
    return false;
}

/* Whether 'id' is heading h's: its own, or that of the element it
 * heads (a <section> whose first element it is but for empty anchors,
 * as Sphinx has it). */
static bool
own_id(xmlNodePtr h, const char *id)
{
    xmlNodePtr first = NULL;

    for (int up = 0; up < 2 && h != NULL && h->type == XML_ELEMENT_NODE;
         up++, h = h->parent) {
        xmlChar *v = xmlGetProp(h, BAD_CAST "id");
        bool same = v != NULL && strcmp((const char *)v, id) == 0;

        xmlFree(v);
        if (same)
            return true;
        if (up == 1 || h->parent == NULL)
            break;
        /* (past empty anchors: Sphinx's <span id="label"></span>) */
        for (first = h->parent->children;
             first != NULL && (first->type != XML_ELEMENT_NODE ||
                               (first != h && blank(first)));
             first = first->next)
            ;
        if (first != h)
            break;
    }
    return false;
}

/* Whether an element in n is a picture. */
static bool
has_picture(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            (oc_xhtml_is_picture(k) || has_picture(k)))
            return true;
    return false;
}

/* Whether the text of element n is what a permalink shows: nothing (an
 * icon, spaces), or one of ¶ § # 🔗. */
static bool
permalink_text(xmlNodePtr n)
{
    static const char *const marks[] = {"\xc2\xb6", "\xc2\xa7", "#",
                                        "\xf0\x9f\x94\x97", NULL};
    xmlChar *t = xmlNodeGetContent(n);
    GString *g = g_string_new(NULL);
    bool yes = false;

    for (const char *p = t ? (const char *)t : ""; *p != '\0';
         p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (!g_unichar_isspace(c) && c != 0x200B && c != 0xFEFF)
            g_string_append_unichar(g, c);
    }
    yes = g->len == 0;
    for (size_t i = 0; marks[i] != NULL && !yes; i++)
        yes = strcmp(g->str, marks[i]) == 0;
    g_string_free(g, TRUE);
    xmlFree(t);
    return yes;
}

bool
oc_permalink_mark(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    bool blank = true;

    for (const xmlChar *p = t; p != NULL && *p != '\0'; p++)
        blank = blank && g_ascii_isspace(*p);
    xmlFree(t);
    return !blank && permalink_text(n) && !has_picture(n);
}

/* Whether attribute 'name' of n holds 'token'. */
static bool
attr_has(xmlNodePtr n, const char *name, const char *token)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    bool yes = oc_xhtml_has_token((const char *)v, token);

    xmlFree(v);
    return yes;
}

/* Whether n holds a link with an access key: a web page's "Next", "Up". */
static bool
has_access_keys(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            (xmlHasProp(k, BAD_CAST "accesskey") != NULL ||
             has_access_keys(k)))
            return true;
    return false;
}

/* Whether element n is a web page's navigation, which a book has no use
 * for (it has its contents, and its pages follow each other): a <nav>
 * (not one the EPUB names: a list of illustrations), anything of the
 * role navigation but a <details>, whose role goes (Sphinx's bars and
 * sidebar), Texinfo's bars (div.nav-panel; the div.header of Texinfo 6,
 * or div.node of older ones, of Next, Previous and Up links), DocBook's
 * (div.navheader, div.navfooter) and gtk-doc's (table.navigation). */
static bool
is_web_navigation(xmlNodePtr n)
{
    if (oc_xhtml_is(n, "nav"))      /* (as HTML's parser names it too) */
        return xmlHasNsProp(n, BAD_CAST "type", BAD_CAST OC_EPUB_NS) == NULL &&
               xmlHasProp(n, BAD_CAST "epub:type") == NULL;
    if (attr_has(n, "role", "navigation") && !oc_xhtml_is(n, "details"))
        return true;
    if (oc_xhtml_is(n, "div"))
        return attr_has(n, "class", "nav-panel") ||
               attr_has(n, "class", "navheader") ||
               attr_has(n, "class", "navfooter") ||
               ((attr_has(n, "class", "header") ||
                 attr_has(n, "class", "node")) && has_access_keys(n));
    return oc_xhtml_is(n, "table") && attr_has(n, "class", "navigation");
}

/* The anchors in n (ids, and names of links: Texinfo's <a name="Top">
 * in its bar) as empty spans before 'at', which is to go, so that the
 * links to them still land. */
static void
keep_anchors(clean *c, xmlNodePtr n, xmlNodePtr at)
{
    xmlChar *id = xmlGetProp(n, BAD_CAST "id");

    if (id == NULL && oc_xhtml_is(n, "a"))
        id = xmlGetProp(n, BAD_CAST "name");
    if (id != NULL) {
        xmlNodePtr span = xmlNewDocNode(at->doc, at->ns, BAD_CAST "span",
                                        NULL);

        xmlSetProp(span, BAD_CAST "id", id);
        xmlAddPrevSibling(at, span);
        clean_attrs(c, span);       /* its id checked as any other */
        xmlFree(id);
    }
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            keep_anchors(c, k, at);
}

/* Whether 'id' is that of the figure whose caption is h or holds h (a
 * paragraph in it). */
static bool
figure_id(xmlNodePtr h, const char *id)
{
    xmlChar *v;
    bool same;

    for (int up = 0; up < 3 && h != NULL && !oc_xhtml_is(h, "figcaption");
         up++)
        h = h->parent;
    if (!oc_xhtml_is(h, "figcaption") || h->parent == NULL ||
        h->parent->type != XML_ELEMENT_NODE)
        return false;
    v = xmlGetProp(h->parent, BAD_CAST "id");
    same = v != NULL && strcmp((const char *)v, id) == 0;
    xmlFree(v);
    return same;
}

/* The ids of the elements of n and its next siblings, into set. */
static void
gather_ids(GHashTable *set, xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        xmlAttrPtr a;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        a = xmlHasProp(n, BAD_CAST "id");
        if (a != NULL && a->children != NULL && a->children->content != NULL)
            g_hash_table_add(set, g_strdup((const char *)a->children->content));
        gather_ids(set, n->children);
    }
}

/* Text node t without the spaces it ends with. */
static void
trim_end(xmlNodePtr t)
{
    size_t n = t->content != NULL ? strlen((const char *)t->content) : 0;

    while (n > 0 && g_ascii_isspace(t->content[n - 1]))
        n--;
    if (t->content != NULL && t->content[n] != '\0') {
        xmlChar *keep = xmlStrndup(t->content, (int)n);

        xmlNodeSetContent(t, keep);
        xmlFree(keep);
    }
}

/* Whether an element of the chapter has id 'id' (as it was read). */
static bool
chapter_has_id(clean *c, const char *id)
{
    if (c->ids == NULL) {
        c->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       NULL);
        gather_ids(c->ids, xmlDocGetRootElement(c->doc));
    }
    return g_hash_table_contains(c->ids, id);
}

/* The permalinks of a heading, a term (dt) or a caption go: a link in it
 * to itself (to its id, its section's or its figure's, or to no element
 * of the chapter: its target lost on the way, as pandoc's Markdown of a
 * Texinfo manual has it) that shows only ¶, §, #, 🔗 or an icon, as
 * Sphinx, MkDocs, Hugo, GitHub and Texinfo write them for the web. On paper, and in the contents, the outline
 * and the running heads, it is a stray mark. */
static void
drop_permalinks(clean *c, xmlNodePtr h)
{
    xmlNodePtr next;

    for (xmlNodePtr k = h->children; k != NULL; k = next) {
        xmlChar *href, *id;

        next = k->next;
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (!oc_xhtml_is(k, "a")) {
            drop_permalinks(c, k);
            continue;
        }
        href = xmlGetProp(k, BAD_CAST "href");
        id = xmlGetProp(k, BAD_CAST "id");
        if (href != NULL && href[0] == '#' && permalink_text(k) &&
            (own_id(h, (const char *)href + 1) ||
             figure_id(h, (const char *)href + 1) ||
             (id != NULL && xmlStrEqual(id, href + 1)) ||
             !chapter_has_id(c, (const char *)href + 1))) {
            warn_once(c, k, "permalink", "a link of a heading, term or "
                      "caption to itself (its permalink) removed");
            /* Its own id (Node.js's <a class="mark" id="x" href="#x">)
             * is what links to the heading name: kept, on what held the
             * link when that has none, else on an empty span. */
            if (id != NULL && xmlHasProp(h, BAD_CAST "id") == NULL) {
                xmlUnsetProp(k, BAD_CAST "id");
                xmlSetProp(h, BAD_CAST "id", id);
            } else if (id != NULL) {
                xmlNodePtr span = xmlNewDocNode(k->doc, k->ns,
                                                BAD_CAST "span", NULL);

                xmlUnsetProp(k, BAD_CAST "id");
                xmlSetProp(span, BAD_CAST "id", id);
                xmlAddPrevSibling(k, span);
            }
            if (next == NULL && k->prev != NULL &&
                k->prev->type == XML_TEXT_NODE)
                trim_end(k->prev);      /* "Term ¶": the space goes too */
            drop(k);
        }
        xmlFree(href);
        xmlFree(id);
    }
}

/* An icon of an icon font (<i class="fa icon-note" title="Note"></i>,
 * as Asciidoctor writes an admonition's with icons=font): no book has
 * the font, so its title, when it has one, is shown instead, in a
 * <span class="icon-label">. */
static void
icon_title(xmlNodePtr n)
{
    xmlChar *cls = xmlGetProp(n, BAD_CAST "class");
    xmlChar *title = xmlGetProp(n, BAD_CAST "title");
    bool icon = false;

    if (cls != NULL && title != NULL && title[0] != '\0') {
        gchar **words = g_strsplit_set((const char *)cls, " \t\n", -1);

        for (gchar **w = words; *w != NULL && !icon; w++)
            icon = strcmp(*w, "fa") == 0 || strncmp(*w, "fa-", 3) == 0 ||
                   strncmp(*w, "icon-", 5) == 0 || strcmp(*w, "fas") == 0 ||
                   strcmp(*w, "far") == 0 || strcmp(*w, "fab") == 0;
        g_strfreev(words);
    }
    if (icon) {
        xmlNodeSetName(n, BAD_CAST "span");
        xmlSetProp(n, BAD_CAST "class", BAD_CAST "icon-label");
        xmlUnsetProp(n, BAD_CAST "title");
        xmlAddChild(n, xmlNewDocText(n->doc, title));
    }
    xmlFree(cls);
    xmlFree(title);
}

/* Text and elements directly in a description list but its terms and
 * descriptions (TeX Live's readme writes a term's description after its
 * <dt>, a <p> among them), which browsers show where they stand, go in
 * order into the <dd> right before them, or into a new one after the
 * <dt> before them; with the white space between them. <br>s are left
 * to fix_no_phrasing. */
static void
loose_in_dl(clean *c, xmlNodePtr dl)
{
    static const char *const allowed[] = {"dt", "dd", "script", "template",
                                          "br", NULL};
    xmlNodePtr dd = NULL, dt = NULL, space = NULL, next, at;

    for (xmlNodePtr k = dl->children; k != NULL; k = next) {
        char what[64] = "text";

        next = k->next;
        if (k->type == XML_TEXT_NODE && xmlIsBlankNode(k)) {
            if (space == NULL)
                space = k;
            continue;
        }
        if ((k->type != XML_TEXT_NODE && k->type != XML_ELEMENT_NODE) ||
            (k->type == XML_ELEMENT_NODE && named(k, allowed))) {
            if (oc_xhtml_is(k, "dt")) {
                dt = k;
                dd = NULL;
            } else if (oc_xhtml_is(k, "dd")) {
                dd = k;
            }
            space = NULL;
            continue;
        }
        /* Text has no line of its own: the element before it has. */
        at = k->type == XML_ELEMENT_NODE ? k : xmlPreviousElementSibling(k);
        if (at == NULL)
            at = dl;
        if (k->type == XML_ELEMENT_NODE)
            snprintf(what, sizeof what, "<%.40s>", (const char *)k->name);
        if (dd != NULL) {
            warn_once(c, at, "dl into dd", "%s directly inside <dl> put in "
                      "the <dd> before it", what);
        } else {
            warn_once(c, at, "dl new dd", "%s directly inside <dl> put in "
                      "a new <dd>%s", what,
                      dt != NULL ? " after the <dt> before it" : "");
            dd = xmlNewDocNode(c->doc, dl->ns, BAD_CAST "dd", NULL);
            xmlAddPrevSibling(space != NULL ? space : k, dd);
        }
        /* xmlAddChild may merge a text node into the one before it. */
        for (xmlNodePtr m = space != NULL ? space : k, after; m != next;
             m = after) {
            after = m->next;
            xmlUnlinkNode(m);
            xmlAddChild(dd, m);
        }
        space = NULL;
    }
}

/* A description list whose terms end it, with no description after them
 * (DocBook's contents write their innermost entries so), gets an empty
 * <dd> at its end, and one whose first item is a description an empty
 * <dt> before it: EPUB 3's XHTML wants each group of terms followed by
 * its descriptions. */
static void
fix_dl(clean *c, xmlNodePtr dl)
{
    xmlNodePtr first = NULL, last = NULL;

    loose_in_dl(c, dl);
    for (xmlNodePtr k = dl->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE) {
            if (first == NULL)
                first = k;
            last = k;
        }
    if (first != NULL && oc_xhtml_is(first, "dd")) {
        warn_once(c, dl, "dl dd", "<dl> opening with a <dd>: an empty "
                  "<dt> added before it");
        xmlAddPrevSibling(first, xmlNewDocNode(c->doc, first->ns,
                                               BAD_CAST "dt", NULL));
    }
    if (last != NULL && oc_xhtml_is(last, "dt")) {
        warn_once(c, dl, "dl dt", "<dl> ending with a <dt>: an empty <dd> "
                  "added after it");
        xmlAddNextSibling(last, xmlNewDocNode(c->doc, last->ns,
                                              BAD_CAST "dd", NULL));
    }
}

/* A <col> directly in a <table>, which HTML's parser puts in a
 * <colgroup> of its own making and EPUB 3's XHTML wants in one: each run
 * of them goes in a new <colgroup>, before the table's rows. */
static void
fix_cols(clean *c, xmlNodePtr table)
{
    xmlNodePtr group = NULL, rows = NULL, next;

    for (xmlNodePtr k = table->children; k != NULL; k = next) {
        next = k->next;
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (!oc_xhtml_is(k, "col")) {
            group = NULL;
            if (rows == NULL && !oc_xhtml_is(k, "caption") &&
                !oc_xhtml_is(k, "colgroup"))
                rows = k;
            continue;
        }
        if (group == NULL) {
            warn_once(c, k, "col", "<col> outside a <colgroup> put in "
                      "one");
            group = xmlNewDocNode(c->doc, k->ns, BAD_CAST "colgroup", NULL);
            xmlAddPrevSibling(rows != NULL ? rows : k, group);
        }
        xmlUnlinkNode(k);
        xmlAddChild(group, k);
    }
}

/* A number for 'item', an item with no marker made at the head of
 * ordered list 'list', such that the items after it keep theirs. */
static void
keep_numbers(xmlNodePtr list, xmlNodePtr item)
{
    xmlChar *start;
    bool reversed;
    char v[32];

    if (!oc_xhtml_is(list, "ol"))
        return;
    start = xmlGetProp(list, BAD_CAST "start");
    reversed = xmlHasProp(list, BAD_CAST "reversed") != NULL;
    /* Counted down from the number of items, the new one among them. */
    if (reversed && start == NULL)
        return;
    snprintf(v, sizeof v, "%ld",
             (start ? strtol((const char *)start, NULL, 10) : 1) +
             (reversed ? 1 : -1));
    xmlSetProp(item, BAD_CAST "value", BAD_CAST v);
    xmlFree(start);
}

/* A list directly in a list (<ul><li>a</li><ul>...</ul></ul>), which
 * browsers show under the item before it, goes into that item, as EPUB
 * 3's XHTML wants; with no item before it, into a new one of its own,
 * without a marker. */
static void
fix_list_in_list(clean *c, xmlNodePtr list)
{
    static const char *const lists[] = {"ul", "ol", "menu", NULL};
    xmlNodePtr item = NULL, next;

    for (xmlNodePtr k = list->children; k != NULL; k = next) {
        next = k->next;
        if (oc_xhtml_is(k, "li"))
            item = k;
        if (k->type != XML_ELEMENT_NODE || !named(k, lists))
            continue;
        warn_once(c, k, "list in list", "<%s> directly inside a <%s> put "
                  "in the item before it", (const char *)k->name,
                  (const char *)list->name);
        if (item == NULL) {
            item = xmlNewDocNode(c->doc, k->ns, BAD_CAST "li", NULL);
            add_style(item, "list-style-type: none");
            keep_numbers(list, item);
            xmlAddPrevSibling(k, item);
        }
        xmlUnlinkNode(k);
        xmlAddChild(item, k);
    }
}

/* ---- details, summary, picture, style ---- */

/* Does the text before node n in <pre> 'pre' end a line (or is there
 * none)? */
static bool
at_line_start(xmlNodePtr pre, xmlNodePtr n)
{
    for (xmlNodePtr k = n; k != NULL && k != pre; k = k->parent)
        for (xmlNodePtr s = k->prev; s != NULL; s = s->prev) {
            xmlChar *t = xmlNodeGetContent(s);
            size_t len = t != NULL ? strlen((const char *)t) : 0;
            bool nl = len > 0 && t[len - 1] == '\n';

            xmlFree(t);
            if (len > 0)
                return nl;
        }
    return true;
}

/* A block in a <pre> or a heading (rustdoc's <div class="where">), which
 * hold only phrasing, becomes a <span>; in a <pre>, on a line of its
 * own, as a browser shows it. */
static void
blocks_in_pre(clean *c, xmlNodePtr pre, xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        blocks_in_pre(c, pre, k);
        if (!named(k, blocks))
            continue;
        warn_once(c, k, "block in phrasing", "<%s> in a <%s> turned into "
                  "a <span>", (const char *)k->name, (const char *)pre->name);
        if (oc_xhtml_is(pre, "pre") && !at_line_start(pre, k))
            xmlAddPrevSibling(k, xmlNewDocText(k->doc, BAD_CAST "\n"));
        xmlNodeSetName(k, BAD_CAST "span");
    }
}

/* An SVG link with no title of its own (a <title> child, xlink:title)
 * is given its text as one, which a screen reader reads (EPUBCheck's
 * ACC-011: a railroad diagram's links had none). */
static void
title_svg_link(xmlNodePtr n)
{
    xmlChar *text;
    xmlNodePtr t;

    if (xmlHasNsProp(n, BAD_CAST "title", BAD_CAST OC_XLINK_NS) != NULL)
        return;
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            xmlStrEqual(k->name, BAD_CAST "title"))
            return;
    text = xmlNodeGetContent(n);
    if (text != NULL && text[strspn((const char *)text, " \t\r\n")]) {
        t = xmlNewDocNode(n->doc, n->ns, BAD_CAST "title", NULL);
        xmlNodeAddContent(t, text);
        if (n->children != NULL)
            xmlAddPrevSibling(n->children, t);
        else
            xmlAddChild(n, t);
    }
    xmlFree(text);
}

/* Code in text written from right to left (an ancestor's dir, the
 * chapter's root's for Arabic or Hebrew) reads from left to right:
 * "test.stdout()" was shown "()test.stdout". dir="ltr", as EPUB's CSS
 * may not set direction. The nearest dir decides, else the nearest
 * language. */
static void
code_left_to_right(xmlNodePtr n)
{
    xmlChar *lang = NULL;

    if (xmlHasProp(n, BAD_CAST "dir") != NULL)
        return;
    for (xmlNodePtr p = n->parent; p != NULL && p->type == XML_ELEMENT_NODE;
         p = p->parent) {
        xmlChar *dir = xmlGetProp(p, BAD_CAST "dir");

        if (dir != NULL) {
            if (xmlStrcasecmp(dir, BAD_CAST "rtl") == 0)
                xmlSetProp(n, BAD_CAST "dir", BAD_CAST "ltr");
            xmlFree(dir);
            xmlFree(lang);
            return;
        }
        if (lang == NULL)
            lang = xmlGetNsProp(p, BAD_CAST "lang", XML_XML_NAMESPACE);
        if (lang == NULL)
            lang = xmlGetNoNsProp(p, BAD_CAST "lang");
    }
    if (lang != NULL && oc_lang_direction((const char *)lang) != NULL)
        xmlSetProp(n, BAD_CAST "dir", BAD_CAST "ltr");
    xmlFree(lang);
}

/* A <style> in the body moved to the head, where EPUB 3 has it (its
 * rules were the whole chapter's already); false when it is there. */
static bool
style_to_head(xmlNodePtr n)
{
    xmlNodePtr head;

    for (xmlNodePtr p = n->parent; p != NULL && p->type == XML_ELEMENT_NODE;
         p = p->parent)
        if (oc_xhtml_is(p, "head"))
            return false;
    head = oc_xhtml_find(xmlDocGetRootElement(n->doc), "head");
    if (head == NULL)
        return false;
    xmlUnlinkNode(n);
    xmlAddChild(head, n);
    return true;
}

/* A <details> opens with its <summary> (moved there if it is further
 * on); one that has none is a <div>, its content shown, as a reader
 * would show it opened. Its role can only be "group". */
static void
fix_details(clean *c, xmlNodePtr n)
{
    xmlNodePtr first = xmlFirstElementChild(n), sum = NULL;
    xmlChar *role = xmlGetProp(n, BAD_CAST "role");

    if (role != NULL && xmlStrcmp(role, BAD_CAST "group") != 0)
        xmlUnsetProp(n, BAD_CAST "role");
    xmlFree(role);
    for (xmlNodePtr k = n->children; k != NULL && sum == NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE && oc_xhtml_is(k, "summary"))
            sum = k;
    if (sum == NULL) {
        warn_once(c, n, "details", "<details> without a <summary> turned "
                  "into a <div>");
        xmlNodeSetName(n, BAD_CAST "div");
        xmlUnsetProp(n, BAD_CAST "open");
    } else if (sum != first) {
        xmlUnlinkNode(sum);
        if (n->children != NULL)
            xmlAddPrevSibling(n->children, sum);
        else
            xmlAddChild(n, sum);
    }
}

/* A <summary> holds phrasing and headings: a block in it (a <section>,
 * a <div>, a <p>) is unwrapped, its id kept on an empty <span> in its
 * place. */
static void
fix_summary(clean *c, xmlNodePtr n)
{
    xmlNodePtr next;

    for (xmlNodePtr k = n->children; k != NULL; k = next) {
        xmlChar *id;

        next = k->next;
        if (k->type != XML_ELEMENT_NODE || !named(k, blocks) ||
            oc_xhtml_is_heading(k) || oc_xhtml_is(k, "hgroup"))
            continue;
        warn_once(c, n, "summary", "<%s> in a <summary> unwrapped (a "
                  "summary holds text and headings)", (const char *)k->name);
        if ((id = xmlGetProp(k, BAD_CAST "id")) != NULL) {
            xmlNodePtr span = xmlNewDocNode(k->doc, k->ns, BAD_CAST "span",
                                            NULL);

            xmlSetProp(span, BAD_CAST "id", id);
            xmlAddPrevSibling(k, span);
            xmlFree(id);
        }
        next = k->children != NULL ? k->children : k->next;
        oc_xhtml_unwrap(k);
    }
}

/* A <picture>'s <source>s go (the EPUB keeps its <img>, which a reader
 * shows; their srcset may name remote files or files the book does not
 * carry); one left with no <img> (a remote one, replaced by its text) is
 * unwrapped. False when it is. */
static bool
fix_picture(clean *c, xmlNodePtr n)
{
    xmlNodePtr next;
    bool img = false;

    for (xmlNodePtr k = n->children; k != NULL; k = next) {
        next = k->next;
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (oc_xhtml_is(k, "source")) {
            warn_once(c, n, "picture source", "<source> of a <picture> "
                      "removed (its <img> stays)");
            drop(k);
        } else if (oc_xhtml_is(k, "img")) {
            img = true;
        }
    }
    if (img)
        return true;
    oc_xhtml_unwrap(n);
    return false;
}

static void
clean_element(clean *c, xmlNodePtr n)
{
    xmlChar *equiv;
    bool had;

    if (n->ns != NULL && xmlStrEqual(n->ns->href, BAD_CAST XINCLUDE_NS)) {
        warn_at(c, n, "<%s:%s> removed", n->ns->prefix
                ? (const char *)n->ns->prefix : "xi", (const char *)n->name);
        drop(n);
        return;
    }
    if (is_web_navigation(n)) {
        warn_once(c, n, "navigation", "a web page's navigation (<%s>) "
                  "removed: the book has its contents",
                  (const char *)n->name);
        keep_anchors(c, n, n);
        drop(n);
        return;
    }
    if (xmlValidateNCName(n->name, 0) != 0) {     /* "a:b:c" too */
        warn_once(c, n, "element name", "<%s> unwrapped (not a name XHTML "
                  "can hold; its content is kept)", (const char *)n->name);
        clean_nodes(c, n->children);
        oc_xhtml_unwrap(n);
        return;
    }
    if (foreign_in_html(n)) {
        warn_once(c, n, "foreign", "<%s> of namespace '%s' unwrapped (XHTML "
                  "holds no element of it; its content is kept)",
                  (const char *)n->name, (const char *)n->ns->href);
        clean_nodes(c, n->children);
        oc_xhtml_unwrap(n);
        return;
    }
    if (unknown_html(n)) {
        warn_once(c, n, "unknown element", "<%s> unwrapped (HTML has no "
                  "such element; its content is kept)",
                  (const char *)n->name);
        clean_nodes(c, n->children);
        oc_xhtml_unwrap(n);
        return;
    }
    equiv = xmlStrcasecmp(n->name, BAD_CAST "meta") == 0
                ? attr_nocase(n, "http-equiv") : NULL;
    /* A chapter's stylesheets are the book's: octavo writes the head's
     * links, and one in the text would load a sheet the book lacks. */
    if (named(n, removed_elements) || equiv != NULL ||
        (xmlStrcasecmp(n->name, BAD_CAST "link") == 0 &&
         !oc_xhtml_is(n->parent, "head"))) {
        warn_at(c, n, "<%s> removed", (const char *)n->name);
        xmlFree(equiv);
        drop(n);
        return;
    }
    if (named(n, animations)) {
        const char *why = NULL;

        if (!animation_allowed(n, &why)) {
            warn_at(c, n, "<%s> removed (it would set %s)",
                    (const char *)n->name, why);
            drop(n);
            return;
        }
    }
    if (xmlStrcasecmp(n->name, BAD_CAST "style") == 0) {
        clean_style_element(c, n);
        clean_attrs(c, n);          /* <style scoped>, as notebooks have */
        if (style_to_head(n))
            return;
    }
    if (oc_xhtml_is(n, "audio") || oc_xhtml_is(n, "video")) {
        unwrap_media(c, n);
        return;
    }
    if (xmlStrcasecmp(n->name, BAD_CAST "form") == 0) {
        warn_at(c, n, "<form> removed (its content is kept)");
        clean_nodes(c, n->children);
        oc_xhtml_unwrap(n);
        return;
    }
    if (oc_xhtml_is(n, "img")) {
        xmlChar *src = xmlGetProp(n, BAD_CAST "src");
        const char *why = NULL;

        if (src != NULL && !svg_data_url((const char *)src) &&
            (oc_url_is_remote((const char *)src) ||
             !oc_url_allowed((const char *)src, OC_URL_IMAGE, &why))) {
            missing_image(c, n, (const char *)src, why);
            xmlFree(src);
            return;
        }
        xmlFree(src);
    }
    modernise(c, n);
    if (!fix_place(c, n))
        return;
    clean_attrs(c, n);
    if (oc_xhtml_is(n, "a") && is_html(n) && in_link(n) &&
        !unlink_inner(c, n))
        return;
    if (oc_xhtml_is(n, "bdo") && xmlHasProp(n, BAD_CAST "dir") == NULL)
        xmlNodeSetName(n, BAD_CAST "span");     /* bdo needs a dir */
    had = !blank(n);
    clean_nodes(c, n->children);
    fix_phrasing(c, n);
    /* A paragraph that held only what was removed (a player, a script)
     * goes with it. */
    if (had && oc_xhtml_is(n, "p") && blank(n) &&
        xmlHasProp(n, BAD_CAST "id") == NULL) {
        drop(n);
        return;
    }
    if (oc_xhtml_is(n, "hgroup"))
        fix_hgroup(n);
    if (oc_xhtml_is(n, "dl"))
        fix_dl(c, n);
    if (oc_xhtml_is(n, "table"))
        fix_cols(c, n);
    if (oc_xhtml_is(n, "ul") || oc_xhtml_is(n, "ol") ||
        oc_xhtml_is(n, "menu"))
        fix_list_in_list(c, n);
    if ((oc_xhtml_is(n, "i") || oc_xhtml_is(n, "span")) && blank(n))
        icon_title(n);
    if ((oc_xhtml_is_heading(n) && oc_xhtml_is(n, (const char *)n->name)) ||
        oc_xhtml_is(n, "dt") || oc_xhtml_is(n, "caption") ||
        oc_xhtml_is(n, "figcaption"))
        drop_permalinks(c, n);
    if (oc_xhtml_is(n, "th") && !heads_something(n)) {
        warn_once(c, n, "empty th", "empty <th> turned into a <td> (a "
                  "header cell needs text)");
        xmlNodeSetName(n, BAD_CAST "td");
        /* What only a header cell may have goes with it. */
        xmlUnsetProp(n, BAD_CAST "scope");
        xmlUnsetProp(n, BAD_CAST "abbr");
    }
    if (oc_xhtml_is(n, "pre") || oc_xhtml_is_heading(n))
        blocks_in_pre(c, n, n);
    if (oc_xhtml_is(n, "pre") || oc_xhtml_is(n, "code") ||
        oc_xhtml_is(n, "kbd") || oc_xhtml_is(n, "samp"))
        code_left_to_right(n);
    if (n->ns != NULL && xmlStrEqual(n->ns->href, BAD_CAST OC_SVG_NS) &&
        xmlStrEqual(n->name, BAD_CAST "a"))
        title_svg_link(n);
    if (oc_xhtml_is(n, "details"))
        fix_details(c, n);
    else if (oc_xhtml_is(n, "summary"))
        fix_summary(c, n);
    else if (oc_xhtml_is(n, "picture") && !fix_picture(c, n))
        return;
    if (named(n, no_phrasing))
        fix_no_phrasing(c, n);
    else if (oc_xhtml_is(n, "figure"))
        fix_figure(n);
    else if (oc_xhtml_is(n, "p"))
        fix_paragraph(c, n);
}

/* An HTML <image> is an <img>, as HTML's parser reads it (an SVG's
 * <image> is SVG's): renamed before anything checks it, so that its
 * source and attributes are judged as an image's. */
static void
image_to_img(clean *c, xmlNodePtr n)
{
    if (xmlStrcasecmp(n->name, BAD_CAST "image") != 0 || !is_html(n))
        return;
    warn_once(c, n, "image", "obsolete element <image> turned into <img>");
    xmlNodeSetName(n, BAD_CAST "img");
}

static void
clean_nodes(clean *c, xmlNodePtr first)
{
    xmlNodePtr next;

    for (xmlNodePtr n = first; n != NULL; n = next) {
        if (n->type == XML_ELEMENT_NODE) {
            image_to_img(c, n);
            hoist_void(n);
        }
        next = n->next;
        switch (n->type) {
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            drop(n);
            break;
        case XML_ELEMENT_NODE:
            clean_element(c, n);
            break;
        default:
            break;
        }
    }
}

/* ---- characters XML does not allow ---- */

/* The length of a character XML 1.0 does not allow at p (C0 controls but
 * tab, newline and carriage return; U+FFFE, U+FFFF), or 0. */
static size_t
bad_xml_char(const unsigned char *p)
{
    if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
        return 1;
    if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))
        return 3;
    return 0;
}

/* 'v' without the characters XML does not allow: a copy (xmlFree), or
 * NULL when it has none. HTML's parser keeps them, and one in the EPUB
 * is a fatal error to its reading systems. */
static xmlChar *
without_bad_chars(const xmlChar *v)
{
    const unsigned char *p;
    xmlChar *out, *o;
    size_t n;

    for (p = v; *p && bad_xml_char(p) == 0; p++)
        ;
    if (*p == '\0')
        return NULL;
    o = out = xmlStrdup(v);
    for (p = v; *p; p += n ? n : 1) {
        n = bad_xml_char(p);
        if (n == 0)
            *o++ = *p;
    }
    *o = '\0';
    return out;
}

static void
warn_chars(clean *c, xmlNodePtr n)
{
    warn_once(c, n, "control characters",
              "control characters removed (XHTML does not allow them)");
}

/* Take such characters out of the text and attribute values below n. */
static void
clean_chars(clean *c, xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        xmlChar *fixed = NULL;

        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if ((fixed = without_bad_chars(n->content)) != NULL)
                xmlNodeSetContent(n, fixed);
        } else if (n->type == XML_ELEMENT_NODE) {
            for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
                xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
                xmlChar *f = v ? without_bad_chars(v) : NULL;

                if (f != NULL) {
                    xmlSetNsProp(n, a->ns, a->name, f);
                    warn_chars(c, n);
                    xmlFree(f);
                }
                xmlFree(v);
            }
            clean_chars(c, n->children);
        }
        if (fixed != NULL) {
            warn_chars(c, n->parent);
            xmlFree(fixed);
        }
    }
}

void
oc_sanitize_chapter(xmlDocPtr doc, const char *file)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    clean c;

    if (root == NULL)
        return;
    memset(&c, 0, sizeof c);
    c.file = file;
    c.doc = doc;
    read_declared(&c, root);
    /* Comments and PIs beside the root too. */
    for (xmlNodePtr n = doc->children, next; n != NULL; n = next) {
        next = n->next;
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
            drop(n);
    }
    for (xmlAttrPtr a = root->properties; a != NULL; a = a->next)
        if (a->ns != NULL && xmlStrEqual(a->ns->href, BAD_CAST OC_EPUB_NS) &&
            xmlStrEqual(a->name, BAD_CAST "type"))
            note_prefixes(&c, root, a);
    /* The characters first: taken out after the checks, a control
     * character could make what they passed ("u\x16rl(") what they
     * refuse. */
    clean_chars(&c, root);
    clean_nodes(&c, root->children);
    declare_prefixes(&c, root);
    if (c.epub_attrs)
        oc_xhtml_mirror_epub_attrs(root);
    /* Unwrapping can move XHTML elements under an SVG's foreignObject. */
    oc_xhtml_fix_default_ns(root, NULL);
    if (c.keys != NULL)
        g_hash_table_destroy(c.keys);
    if (c.ids != NULL)
        g_hash_table_destroy(c.ids);
    for (size_t i = 0; i < c.nused; i++)
        xmlFree(c.used[i]);
    for (size_t i = 0; i < c.ndeclared; i++)
        free(c.declared[i]);
    for (size_t i = 0; i < c.nwarned; i++)
        xmlFree(c.warned[i]);
}
