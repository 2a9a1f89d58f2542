/* xhtml.c - DOM helpers over libxml2 for XHTML 5 content documents
 * (HTML Living Standard, XML syntax; EPUB 3.3 content documents). */
#include "xhtml.h"

#include <libxml/hash.h>
#include <libxml/xmlsave.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "buf.h"
#include "error.h"

struct oc_idset {
    xmlHashTablePtr names;
};

static void
free_entry(void *payload, const xmlChar *name)
{
    (void)name;
    free(payload);
}

oc_idset *
oc_idset_new(void)
{
    oc_idset *s = oc_xcalloc(1, sizeof *s);

    s->names = xmlHashCreate(64);
    if (s->names == NULL) {
        fprintf(stderr, "octavo: out of memory\n");
        abort();
    }
    return s;
}

void
oc_idset_free(oc_idset *s)
{
    if (s == NULL)
        return;
    xmlHashFree(s->names, free_entry);
    free(s);
}

int
oc_idset_has(const oc_idset *s, const char *id)
{
    return xmlHashLookup(s->names, BAD_CAST id) != NULL;
}

const char *
oc_idset_claim(oc_idset *s, const char *want)
{
    char id[512];
    char *copy;

    snprintf(id, sizeof id, "%s", want);
    for (int n = 2; xmlHashLookup(s->names, BAD_CAST id) != NULL; n++)
        snprintf(id, sizeof id, "%.490s-%d", want, n);
    copy = oc_xstrdup(id);
    xmlHashAddEntry(s->names, BAD_CAST id, copy);
    return copy;
}

char *
oc_xhtml_slug(const char *text)
{
    size_t n = strlen(text);
    char *out = oc_xmalloc(n + 16), *p = out;
    int dash = 0;

    /* As GitHub and pandoc make them: letters and digits of any script,
     * lowercased; spaces and a few separators make one hyphen; the rest
     * of the punctuation goes. */
    for (const char *s = text; *s; s = g_utf8_next_char(s)) {
        gunichar c = g_utf8_get_char_validated(s, -1);

        if (c == (gunichar)-1 || c == (gunichar)-2)
            break;
        if (c < 0x80 ? ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9'))
                     : (g_unichar_isalnum(c) || g_unichar_ismark(c))) {
            if (dash && p != out)
                *p++ = '-';
            p += g_unichar_to_utf8(g_unichar_tolower(c), p);
            dash = 0;
        } else if (c == ' ' || c == '-' || c == '_' || c == '\t' ||
                   c == '/' || c == '.') {
            dash = 1;
        }
        if (p - out > 200)
            break;
    }
    *p = '\0';
    if (out[0] == '\0')
        strcpy(out, "section");
    else if (out[0] >= '0' && out[0] <= '9') {
        memmove(out + 2, out, strlen(out) + 1);
        out[0] = 's';
        out[1] = '-';
    }
    return out;
}

static xmlNsPtr
xhtml_ns(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);

    return root ? root->ns : NULL;
}

xmlNodePtr
oc_xhtml_add(xmlDocPtr doc, xmlNodePtr parent, const char *name, int line)
{
    xmlNodePtr n = xmlNewDocNode(doc, xhtml_ns(doc), BAD_CAST name, NULL);

    if (n == NULL) {
        fprintf(stderr, "octavo: out of memory\n");
        abort();
    }
    oc_xhtml_set_line(n, line);
    if (parent != NULL)
        xmlAddChild(parent, n);
    return n;
}

void
oc_xhtml_set_line(xmlNodePtr n, long line)
{
    if (line < 0)
        line = 0;
    n->line = (unsigned short)(line > 65535 ? 65535 : line);
    n->psvi = line >= 65535 && line <= INT_MAX ? (void *)(intptr_t)line
                                               : NULL;
}

int
oc_xhtml_line(xmlNodePtr n)
{
    for (; n != NULL; n = n->parent)
        if (n->type == XML_ELEMENT_NODE && n->line > 0)
            return n->line == 65535 && n->psvi != NULL
                       ? (int)(intptr_t)n->psvi : n->line;
    return 0;
}

static xmlNsPtr
epub_ns(xmlNodePtr n)
{
    xmlNodePtr root = n->doc ? xmlDocGetRootElement(n->doc) : NULL;

    return root ? xmlSearchNsByHref(n->doc, root, BAD_CAST OC_EPUB_NS)
                : NULL;
}

void
oc_xhtml_set_epub_type(xmlNodePtr n, const char *type)
{
    xmlSetNsProp(n, epub_ns(n), BAD_CAST "type", BAD_CAST type);
}

const char *
oc_xhtml_epub_type(xmlNodePtr n)
{
    for (xmlAttrPtr a = n->properties; a != NULL; a = a->next)
        if (a->ns != NULL && xmlStrEqual(a->ns->href, BAD_CAST OC_EPUB_NS) &&
            xmlStrEqual(a->name, BAD_CAST "type") && a->children != NULL)
            return (const char *)a->children->content;
    return NULL;
}

void
oc_xhtml_mirror_epub_attrs(xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
            xmlChar *v;
            char name[80];

            if (a->ns == NULL || !xmlStrEqual(a->ns->href,
                                              BAD_CAST OC_EPUB_NS) ||
                xmlStrlen(a->name) > 60)
                continue;
            snprintf(name, sizeof name, "data-epub-%s",
                     (const char *)a->name);
            v = xmlNodeGetContent((xmlNodePtr)a);
            xmlSetProp(n, BAD_CAST name, v != NULL ? v : BAD_CAST "");
            xmlFree(v);
        }
        oc_xhtml_mirror_epub_attrs(n->children);
    }
}

xmlDocPtr
oc_xhtml_new_doc(const oc_doc_opts *o, xmlNodePtr *body)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr html, head, n;
    xmlNsPtr ns, xmlns;

    /* Element and attribute names kept once in the document's
     * dictionary, not copied into every node. */
    if (doc->dict == NULL && (doc->dict = xmlDictCreate()) == NULL)
        oc_out_of_memory(0);
    xmlCreateIntSubset(doc, BAD_CAST "html", NULL, NULL);
    html = xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL);
    xmlDocSetRootElement(doc, html);
    ns = xmlNewNs(html, BAD_CAST OC_XHTML_NS, NULL);
    xmlSetNs(html, ns);
    xmlNewNs(html, BAD_CAST OC_EPUB_NS, BAD_CAST "epub");
    xmlns = xmlSearchNs(doc, html, BAD_CAST "xml");
    xmlSetNsProp(html, xmlns, BAD_CAST "lang", BAD_CAST o->language);
    xmlSetProp(html, BAD_CAST "lang", BAD_CAST o->language);
    head = oc_xhtml_add(doc, html, "head", 0);
    n = oc_xhtml_add(doc, head, "meta", 0);
    xmlSetProp(n, BAD_CAST "charset", BAD_CAST "utf-8");
    n = oc_xhtml_add(doc, head, "title", 0);
    xmlNodeAddContent(n, BAD_CAST(o->title ? o->title : ""));
    for (size_t i = 0; i < o->nstylesheets; i++) {
        n = oc_xhtml_add(doc, head, "link", 0);
        xmlSetProp(n, BAD_CAST "rel", BAD_CAST "stylesheet");
        xmlSetProp(n, BAD_CAST "type", BAD_CAST "text/css");
        xmlSetProp(n, BAD_CAST "href", BAD_CAST o->stylesheets[i]);
    }
    *body = oc_xhtml_add(doc, html, "body", 0);
    if (o->body_type != NULL)
        oc_xhtml_set_epub_type(*body, o->body_type);
    return doc;
}

bool
oc_xhtml_has_token(const char *list, const char *token)
{
    size_t len = strlen(token);

    while (list != NULL && *list != '\0') {
        while (*list == ' ' || *list == '\t' || *list == '\n')
            list++;
        if (strncmp(list, token, len) == 0 &&
            (list[len] == '\0' || list[len] == ' ' || list[len] == '\t' ||
             list[len] == '\n'))
            return true;
        while (*list != '\0' && *list != ' ' && *list != '\t' &&
               *list != '\n')
            list++;
    }
    return false;
}

int
oc_xhtml_is(xmlNodePtr n, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE &&
           xmlStrEqual(n->name, BAD_CAST name);
}

xmlNodePtr
oc_xhtml_find(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c != NULL; c = c->next) {
        xmlNodePtr hit;

        if (oc_xhtml_is(c, name))
            return c;
        if ((hit = oc_xhtml_find(c, name)) != NULL)
            return hit;
    }
    return NULL;
}

bool
oc_xhtml_is_picture(xmlNodePtr n)
{
    xmlChar *role;
    bool img;

    if (n == NULL || n->type != XML_ELEMENT_NODE)
        return false;
    if (xmlStrEqual(n->name, BAD_CAST "img") ||
        xmlStrEqual(n->name, BAD_CAST "picture") ||
        xmlStrEqual(n->name, BAD_CAST "svg"))
        return true;
    role = xmlGetProp(n, BAD_CAST "role");
    img = role != NULL && oc_xhtml_has_token((const char *)role, "img");
    xmlFree(role);
    return img;
}

static void
gather_text(xmlNodePtr n, oc_buf *b, bool pictures)
{
    for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            oc_buf_puts(b, (const char *)c->content);
        else if (oc_xhtml_is(c, "br"))      /* a line's end is a space */
            oc_buf_puts(b, " ");
        else if (c->type == XML_ELEMENT_NODE &&
                 !(oc_xhtml_epub_type(c) &&
                   strcmp(oc_xhtml_epub_type(c), "noteref") == 0) &&
                 (pictures || !oc_xhtml_is_picture(c)))
            gather_text(c, b, pictures);
    }
}

/* The text of n, with or without its pictures' text. */
static char *
text_of(oc_arena *a, xmlNodePtr n, bool pictures)
{
    oc_buf b = {0};
    char *out, *p;
    int space = 1;

    gather_text(n, &b, pictures);
    out = p = oc_arena_alloc(a, b.len + 1);
    for (size_t i = 0; i < b.len; i++) {
        char ch = b.data[i];

        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            space = 1;
            continue;
        }
        if (space && p != out)
            *p++ = ' ';
        space = 0;
        *p++ = ch;
    }
    *p = '\0';
    oc_buf_free(&b);
    return out;
}

char *
oc_xhtml_text(oc_arena *a, xmlNodePtr n)
{
    return text_of(a, n, true);
}

char *
oc_xhtml_title_text(oc_arena *a, xmlNodePtr n)
{
    char *t = text_of(a, n, false);

    return t[0] != '\0' ? t : text_of(a, n, true);
}

/* SVG's element and attribute names with capitals, as HTML's parser
 * adjusts them (HTML §13.2.6.1, "adjust SVG attributes" and the element
 * table of §13.2.6.5). */
static const char *const svg_names[] = {
    "altGlyph", "altGlyphDef", "altGlyphItem", "animateColor",
    "animateMotion", "animateTransform", "clipPath", "feBlend",
    "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB",
    "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge",
    "feMergeNode", "feMorphology", "feOffset", "fePointLight",
    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
    "foreignObject", "glyphRef", "linearGradient", "radialGradient",
    "textPath", NULL};
static const char *const svg_attrs[] = {
    "attributeName", "attributeType", "baseFrequency", "baseProfile",
    "calcMode", "clipPathUnits", "diffuseConstant", "edgeMode",
    "filterUnits", "glyphRef", "gradientTransform", "gradientUnits",
    "kernelMatrix", "kernelUnitLength", "keyPoints", "keySplines",
    "keyTimes", "lengthAdjust", "limitingConeAngle", "markerHeight",
    "markerUnits", "markerWidth", "maskContentUnits", "maskUnits",
    "numOctaves", "pathLength", "patternContentUnits", "patternTransform",
    "patternUnits", "pointsAtX", "pointsAtY", "pointsAtZ", "preserveAlpha",
    "preserveAspectRatio", "primitiveUnits", "refX", "refY", "repeatCount",
    "repeatDur", "requiredExtensions", "requiredFeatures",
    "specularConstant", "specularExponent", "spreadMethod", "startOffset",
    "stdDeviation", "stitchTiles", "surfaceScale", "systemLanguage",
    "tableValues", "targetX", "targetY", "textLength", "viewBox",
    "viewTarget", "xChannelSelector", "yChannelSelector", "zoomAndPan",
    NULL};

static const char *
cased(const char *const *names, const xmlChar *name)
{
    for (size_t i = 0; names[i] != NULL; i++)
        if (xmlStrcasecmp(BAD_CAST names[i], name) == 0)
            return names[i];
    return NULL;
}

/* Element e's attributes as a foreign element's: literal xmlns ones
 * dropped, "xlink:href" and "xml:lang" in their namespaces, SVG's names
 * cased. */
static void
adopt_attrs(xmlNodePtr e, xmlNodePtr root, bool svg)
{
    xmlAttrPtr a, next;

    for (a = e->properties; a != NULL; a = next) {
        const char *name = (const char *)a->name, *c;
        xmlChar *v;
        xmlNsPtr ns;

        next = a->next;
        if (a->ns != NULL)
            continue;
        if (strcmp(name, "xmlns") == 0 || strncmp(name, "xmlns:", 6) == 0) {
            xmlRemoveProp(a);
        } else if (strncmp(name, "xlink:", 6) == 0 ||
                   strncmp(name, "xml:", 4) == 0) {
            bool xl = name[1] == 'l';

            ns = xl ? xmlSearchNsByHref(e->doc, root, BAD_CAST OC_XLINK_NS)
                    : xmlSearchNs(e->doc, e, BAD_CAST "xml");
            if (ns == NULL && xl)
                ns = xmlNewNs(root, BAD_CAST OC_XLINK_NS, BAD_CAST "xlink");
            v = xmlNodeGetContent((xmlNodePtr)a);
            if (ns != NULL && xmlValidateNCName(BAD_CAST name +
                                                (xl ? 6 : 4), 0) == 0)
                xmlSetNsProp(e, ns, BAD_CAST name + (xl ? 6 : 4), v);
            xmlFree(v);
            xmlRemoveProp(a);
        } else if (svg && (c = cased(svg_attrs, a->name)) != NULL &&
                   strcmp(c, name) != 0) {
            xmlNodeSetName((xmlNodePtr)a, BAD_CAST c);
        } else if (!svg && strcmp(name, "definitionurl") == 0) {
            xmlNodeSetName((xmlNodePtr)a, BAD_CAST "definitionURL");
        }
    }
}

static void adopt_foreign(xmlNodePtr n, xmlNodePtr root, xmlNsPtr ns,
                          xmlNsPtr html);

/* Element n and the elements and attributes under it in namespace 'from'
 * into 'to'; returns whether any was. */
static bool
repoint(xmlNodePtr n, xmlNsPtr from, xmlNsPtr to)
{
    bool any = false;

    if (n->ns == from) {
        xmlSetNs(n, to);
        any = true;
    }
    for (xmlAttrPtr a = n->properties; a != NULL; a = a->next)
        if (a->ns == from) {
            a->ns = to;
            any = true;
        }
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            any |= repoint(k, from, to);
    return any;
}

/* Element n, found in foreign content under 'root', into namespace ns,
 * and what it holds; a foreignObject's content back to 'html'. */
static void
adopt_element(xmlNodePtr n, xmlNodePtr root, xmlNsPtr ns, xmlNsPtr html)
{
    bool svg = xmlStrEqual(ns->href, BAD_CAST OC_SVG_NS);
    const char *c;

    xmlSetNs(n, ns);
    if (svg && (c = cased(svg_names, n->name)) != NULL)
        xmlNodeSetName(n, BAD_CAST c);
    adopt_attrs(n, root, svg);
    if (svg && xmlStrEqual(n->name, BAD_CAST "foreignObject")) {
        oc_xhtml_set_ns(n->children, html);
        oc_xhtml_adopt_foreign(n->children, html);
        /* Under SVG's default namespace XHTML's must be declared again,
         * or the text written out puts its elements in SVG's. */
        for (xmlNodePtr k = n->children; k != NULL; k = k->next)
            if (k->type == XML_ELEMENT_NODE && k->ns == html)
                repoint(k, html, xmlNewNs(k, html->href, NULL));
    } else
        adopt_foreign(n->children, root, ns, html);
}

static void
adopt_foreign(xmlNodePtr n, xmlNodePtr root, xmlNsPtr ns, xmlNsPtr html)
{
    for (; n != NULL; n = n->next)
        if (n->type == XML_ELEMENT_NODE && n->ns == NULL)
            adopt_element(n, root, ns, html);
}

static bool
is_foreign_root(xmlNodePtr n)
{
    return xmlStrEqual(n->name, BAD_CAST "svg") ||
           xmlStrEqual(n->name, BAD_CAST "math");
}

void
oc_xhtml_adopt_foreign(xmlNodePtr n, xmlNsPtr html)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns == NULL && is_foreign_root(n)) {
            bool svg = n->name[0] == 's';

            adopt_element(n, n, xmlNewNs(n, BAD_CAST(svg ? OC_SVG_NS
                                                         : OC_MATHML_NS),
                                         NULL), html);
        } else if (n->ns != NULL && xmlStrEqual(n->ns->href, html->href)) {
            oc_xhtml_adopt_foreign(n->children, html);
        }
    }
}

void
oc_xhtml_fix_default_ns(xmlNodePtr n, const xmlChar *dflt)
{
    for (; n != NULL; n = n->next) {
        const xmlChar *here = dflt;
        xmlNsPtr ns = n->ns, d;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (d = n->nsDef; d != NULL; d = d->next)
            if (d->prefix == NULL)
                here = d->href;
        if (ns != NULL && (ns->prefix == NULL || ns->prefix[0] == '\0') &&
            !xmlStrEqual(ns->href, here) &&
            (d = xmlNewNs(n, ns->href, NULL)) != NULL) {
            xmlSetNs(n, d);
            here = d->href;
        }
        oc_xhtml_fix_default_ns(n->children, here);
    }
}

void
oc_xhtml_set_ns(xmlNodePtr n, xmlNsPtr ns)
{
    for (; n != NULL; n = n->next) {
        xmlNsPtr *def;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns == NULL && is_foreign_root(n))
            continue;           /* oc_xhtml_adopt_foreign's */
        if (n->ns == NULL || xmlStrEqual(n->ns->href, ns->href))
            xmlSetNs(n, ns);
        oc_xhtml_set_ns(n->children, ns);
        /* A copied element brings its own xmlns="...XHTML": drop it, now
         * that nothing below points at it. */
        for (def = &n->nsDef; *def != NULL;) {
            xmlNsPtr d = *def;

            if (d->prefix == NULL && xmlStrEqual(d->href, ns->href)) {
                *def = d->next;
                d->next = NULL;
                xmlFreeNs(d);
            } else {
                def = &d->next;
            }
        }
    }
}

/* Take declaration d off element n and free it. */
static void
drop_ns_def(xmlNodePtr n, xmlNsPtr d)
{
    for (xmlNsPtr *p = &n->nsDef; *p != NULL; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            d->next = NULL;
            xmlFreeNs(d);
            return;
        }
}

void
oc_xhtml_move_children(xmlNodePtr from, xmlNodePtr to)
{
    while (from->children != NULL) {
        xmlNodePtr k = from->children;

        xmlUnlinkNode(k);
        xmlAddChild(to, k);
    }
}

bool
oc_xhtml_has_word(xmlNodePtr n, const char *name, const char *word)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *save = NULL, *tok;
    bool yes = v != NULL && word == NULL;

    for (char *s = (char *)v; v != NULL && word != NULL && !yes &&
                              (tok = strtok_r(s, " \t\n", &save)) != NULL;
         s = NULL)
        yes = strcmp(tok, word) == 0;
    xmlFree(v);
    return yes;
}

void
oc_xhtml_unwrap(xmlNodePtr n)
{
    xmlNodePtr k, next;

    for (k = n->children; k != NULL; k = next) {
        next = k->next;
        /* What uses a namespace n declares gets a declaration of its
         * own: n's goes with it. */
        if (k->type == XML_ELEMENT_NODE)
            for (xmlNsPtr d = n->nsDef; d != NULL; d = d->next) {
                xmlNsPtr own = xmlNewNs(k, d->href, d->prefix);

                if (own != NULL && !repoint(k, d, own))
                    drop_ns_def(k, own);      /* unused there */
                for (own = own ? NULL : k->nsDef; own; own = own->next)
                    if (xmlStrEqual(own->prefix, d->prefix) &&
                        xmlStrEqual(own->href, d->href))
                        repoint(k, d, own);   /* k declares it too */
            }
        xmlUnlinkNode(k);
        xmlAddPrevSibling(n, k);
    }
    xmlUnlinkNode(n);
    xmlFreeNode(n);
}

xmlChar *
oc_xhtml_serialize_text(xmlDocPtr doc, size_t *len)
{
    xmlBufferPtr xb = xmlBufferCreate();
    xmlSaveCtxtPtr sc;
    xmlChar *out;

    sc = xmlSaveToBuffer(xb, "UTF-8", XML_SAVE_AS_XML);
    xmlSaveDoc(sc, doc);
    xmlSaveClose(sc);
    *len = (size_t)xmlBufferLength(xb);
    out = xmlBufferDetach(xb);
    xmlBufferFree(xb);
    if (out == NULL)
        oc_out_of_memory(*len + 1);
    return out;
}

char *
oc_xhtml_serialize(oc_arena *a, xmlDocPtr doc, size_t *len)
{
    xmlChar *text = oc_xhtml_serialize_text(doc, len);
    char *out = oc_arena_strndup(a, (const char *)text, *len);

    xmlFree(text);
    return out;
}

bool
oc_xhtml_is_heading(xmlNodePtr n)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && n->name[0] == 'h' &&
           n->name[1] >= '1' && n->name[1] <= '6' && n->name[2] == '\0';
}

/* How much of id 'id' a message quotes: its first 40 bytes, not
 * cutting a character in two (an id of hundreds of bytes would fill the
 * message and leave out what it says of it). */
static int
quoted_length(const char *id)
{
    size_t n = strlen(id);

    if (n <= 40)
        return (int)n;
    for (n = 40; n > 0 && ((unsigned char)id[n] & 0xC0) == 0x80; n--)
        ;
    return (int)n;
}

/* The warning that id 'id' of n was renamed 'got': too long for the set
 * of ids (which cuts it), or taken. */
static void
warn_renamed(const char *file, xmlNodePtr n, const char *id,
             const char *got)
{
    int a = quoted_length(id), b = quoted_length(got);

    oc_warn(file, oc_xhtml_line(n), 0, "id '%.*s%s' %s; renamed '%.*s%s'",
            a, id, id[a] ? "..." : "",
            strlen(got) < strlen(id) ? "is too long"
                                     : "is already used in the book",
            b, got, got[b] ? "..." : "");
}

static void
claim_ids(xmlNodePtr n, oc_idset *ids, xmlHashTablePtr renames,
          const char *file)
{
    for (; n != NULL; n = n->next) {
        xmlChar *id;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        id = xmlGetProp(n, BAD_CAST "id");
        if (id != NULL && strchr((const char *)id, '%') != NULL) {
            /* An id written %-encoded (rustdoc's "deref-methods-%5BT%5D"):
             * a link to it is read decoded, and finds nothing. Its '%'
             * become '-', its references follow (relink). */
            char *plain = g_strdelimit(g_strdup((const char *)id), "%", '-');
            const char *got = oc_idset_claim(ids, plain);

            xmlSetProp(n, BAD_CAST "id", BAD_CAST got);
            xmlHashAddEntry(renames, id, (void *)got);
            g_free(plain);
            xmlFree(id);
        } else if (id != NULL) {
            const char *got = oc_idset_claim(ids, (const char *)id);

            if (strcmp(got, (const char *)id) != 0) {
                warn_renamed(file, n, (const char *)id, got);
                xmlSetProp(n, BAD_CAST "id", BAD_CAST got);
                xmlHashAddEntry(renames, id, (void *)got);
            }
            xmlFree(id);
        } else if (oc_xhtml_is_heading(n)) {
            oc_arena *a = oc_arena_new();
            char *slug = oc_xhtml_slug(oc_xhtml_text(a, n));

            const char *got = oc_idset_claim(ids, slug);

            xmlSetProp(n, BAD_CAST "id", BAD_CAST got);
            /* "#slug" in this chapter means this heading, unless another
             * element here really has that id (checked in relink). */
            if (strcmp(got, slug) != 0)
                xmlHashAddEntry(renames, BAD_CAST slug, (void *)got);
            free(slug);
            oc_arena_free(a);
        }
        claim_ids(n->children, ids, renames, file);
    }
}

/* The chapter's ids after claim_ids, each with its element, and what it
 * renamed; references are set again through them. */
typedef struct idrefs {
    GHashTable     *ids;        /* id → element */
    xmlHashTablePtr renames;    /* old id → its new one */
    const char     *file;
    bool            warned;     /* of a reference to no element */
} idrefs;

static void
gather_ids(xmlNodePtr n, GHashTable *ids)
{
    for (; n != NULL; n = n->next) {
        xmlAttrPtr a;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if ((a = xmlHasProp(n, BAD_CAST "id")) != NULL && a->children &&
            a->children->content != NULL)
            g_hash_table_insert(ids, a->children->content, n);
        gather_ids(n->children, ids);
    }
}

/* What a reference to 'id' in the chapter now means: the id itself when
 * an element has it, else the one it was renamed, else NULL. */
static const char *
target(const idrefs *r, const char *id)
{
    const char *to;

    if (g_hash_table_contains(r->ids, id))
        return id;
    to = xmlHashLookup(r->renames, BAD_CAST id);
    return to != NULL && g_hash_table_contains(r->ids, to) ? to : NULL;
}

/* Attributes whose value names elements of the same document by their
 * ids, one or a list of them (HTML's IDREF and IDREFS, ARIA's). */
static const char *const idref_attrs[] = {
    "for", "headers", "list", "form", "itemref", "aria-activedescendant",
    "aria-controls", "aria-describedby", "aria-details",
    "aria-errormessage", "aria-flowto", "aria-labelledby", "aria-owns",
    NULL};

/* HTML's labelable elements, which a <label for> may name. */
static bool
labelable(xmlNodePtr n)
{
    static const char *const names[] = {"button", "meter", "output",
                                        "progress", "select", "textarea",
                                        "input", NULL};
    xmlChar *type;
    bool hidden, named = false;

    for (size_t i = 0; names[i] != NULL && !named; i++)
        named = xmlStrEqual(n->name, BAD_CAST names[i]);
    if (!named)
        return false;
    if (!xmlStrEqual(n->name, BAD_CAST "input"))
        return true;
    type = xmlGetProp(n, BAD_CAST "type");
    hidden = type != NULL && xmlStrcasecmp(type, BAD_CAST "hidden") == 0;
    xmlFree(type);
    return !hidden;
}

/* IDREF(S) attribute 'a' of element 'n' set to the ids its names now
 * have; names of no element (a form's field the sanitiser took out, a
 * web page's menu) are left out, and the attribute goes when none is
 * left, as EPUBCheck wants every one to name an element of the
 * chapter (a <label>'s, a labelable one). */
static void
set_idrefs(idrefs *r, xmlNodePtr n, xmlAttrPtr a)
{
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    gchar **names = g_strsplit_set(v ? (const char *)v : "", " \t\n\r\f", -1);
    GString *out = g_string_new(NULL);
    bool lost = false;

    for (gchar **k = names; *k != NULL; k++) {
        const char *to;

        if (**k == '\0')
            continue;
        to = target(r, *k);
        if (to != NULL && xmlStrEqual(a->name, BAD_CAST "for") &&
            !labelable(g_hash_table_lookup(r->ids, to)))
            to = NULL;
        if (to == NULL) {
            lost = true;
            continue;
        }
        if (out->len > 0)
            g_string_append_c(out, ' ');
        g_string_append(out, to);
    }
    if (lost && !r->warned) {
        r->warned = true;
        oc_warn(r->file, oc_xhtml_line(n), 0,
                "attribute '%s=\"%s\"' names no element of the chapter that "
                "it may; %s", (const char *)a->name,
                v ? (const char *)v : "",
                out->len > 0 ? "those names removed" : "removed");
    }
    if (out->len == 0)
        xmlRemoveProp(a);
    else if (!xmlStrEqual(v, BAD_CAST out->str))
        xmlSetProp(n, a->name, BAD_CAST out->str);
    g_string_free(out, TRUE);
    g_strfreev(names);
    xmlFree(v);
}

/* "url(#old)" in attribute 'a' (an SVG paint, clip path, marker or
 * filter, or a style) set to the id 'old' was renamed. */
static void
set_urls(idrefs *r, xmlNodePtr n, xmlAttrPtr a)
{
    xmlChar *v;
    GString *out;
    const char *p, *u;
    bool changed = false;

    /* (most attributes are one text node, with no url() in it) */
    if (a->children == NULL ||
        (a->children->next == NULL && a->children->type == XML_TEXT_NODE &&
         (a->children->content == NULL ||
          strstr((const char *)a->children->content, "url(") == NULL)))
        return;
    v = xmlNodeGetContent((xmlNodePtr)a);
    if (v == NULL || strstr((const char *)v, "url(") == NULL) {
        xmlFree(v);
        return;
    }
    out = g_string_new(NULL);
    for (p = (const char *)v; (u = strstr(p, "url(")) != NULL;) {
        const char *id = u + 4, *end;
        char quote = 0, *name;
        const char *to;

        if (*id == '\'' || *id == '"')
            quote = *id++;
        g_string_append_len(out, p, id - p);
        p = id;
        if (*id != '#')
            continue;
        end = id + 1 + strcspn(id + 1, quote ? (quote == '"' ? "\"" : "'")
                                             : ") \t\n");
        name = g_strndup(id + 1, (gsize)(end - id - 1));
        to = target(r, name);
        if (to != NULL && strcmp(to, name) != 0) {
            g_string_append_c(out, '#');
            g_string_append(out, to);
            p = end;
            changed = true;
        }
        g_free(name);
    }
    g_string_append(out, p);
    if (changed)
        xmlSetNsProp(n, a->ns, a->name, BAD_CAST out->str);
    g_string_free(out, TRUE);
    xmlFree(v);
}

/* The chapter's references to its own ids, after claim_ids renamed some:
 * links ("#id" in href, xlink:href too), IDREF(S) attributes and
 * "url(#id)" in attributes point where they did. */
static void
relink(idrefs *r, xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        xmlAttrPtr a, next;
        bool html;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        html = n->ns == NULL || xmlStrEqual(n->ns->href, BAD_CAST OC_XHTML_NS);
        for (a = n->properties; a != NULL; a = next) {
            next = a->next;
            if (xmlStrEqual(a->name, BAD_CAST "href") && a->children &&
                a->children->content && a->children->content[0] == '#') {
                xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
                const char *to = v && v[0] == '#'
                                     ? target(r, (const char *)v + 1) : NULL;

                if (to != NULL && strcmp(to, (const char *)v + 1) != 0) {
                    char *h = g_strconcat("#", to, NULL);

                    xmlSetNsProp(n, a->ns, a->name, BAD_CAST h);
                    g_free(h);
                }
                xmlFree(v);
            } else if (a->ns == NULL) {
                size_t i;

                for (i = 0; idref_attrs[i] != NULL; i++)
                    if (xmlStrEqual(a->name, BAD_CAST idref_attrs[i]))
                        break;
                /* (HTML's for, form...; MathML's <mo form="prefix"> is
                 * no reference) */
                if (idref_attrs[i] != NULL &&
                    (html || strncmp(idref_attrs[i], "aria-", 5) == 0))
                    set_idrefs(r, n, a);
                else
                    set_urls(r, n, a);
            }
        }
        relink(r, n->children);
    }
}

void
oc_xhtml_assign_ids(xmlDocPtr doc, oc_idset *ids, const char *file)
{
    xmlHashTablePtr renames = xmlHashCreate(8);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    idrefs r = { g_hash_table_new(g_str_hash, g_str_equal), renames, file,
                 false };

    claim_ids(root, ids, renames, file);
    gather_ids(root, r.ids);
    relink(&r, root);
    g_hash_table_destroy(r.ids);
    xmlHashFree(renames, NULL);
}

/* ---- writing direction ---- */

/* The languages written from right to left, by their primary subtag. */
static const char *const rtl_languages[] = {"ar", "he", "fa", "ur", "yi",
                                            "ps", "sd", "ug", "dv", "ckb"};

const char *
oc_lang_direction(const char *lang)
{
    size_t n = strcspn(lang, "-_");

    for (size_t i = 0; i < sizeof rtl_languages / sizeof *rtl_languages; i++)
        if (strlen(rtl_languages[i]) == n &&
            strncmp(rtl_languages[i], lang, n) == 0)
            return "rtl";
    return NULL;
}
