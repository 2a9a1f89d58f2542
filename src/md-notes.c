/* md-notes.c - the footnotes of exported HTML, which are links: Word's
 * "Save as Web Page" writes <a href="#_ftn1" name="_ftnref1">[1]</a> in
 * the text and <a href="#_ftnref1" name="_ftn1">[1]</a> at the head of
 * the note, Google Docs <a href="#ftnt1" id="ftnt_ref1"> and
 * <a href="#ftnt_ref1" id="ftnt1">. Two such links that point at each
 * other, the first in the text, with the same short label ("[1]", "*"),
 * are a note and its reference: they become octavo's own, as Markdown's
 * footnotes are (a noteref, and an aside typed footnote holding the
 * note's block), so that the PDF sets the note at the foot of its page
 * and the EPUB pops it up. See md-int.h. */
#include "md-int.h"

#include <glib.h>
#include <stdbool.h>
#include <string.h>

#include <libxml/tree.h>

#include "xhtml.h"

/* The elements under n by their id and name, and the links in document
 * order. */
static void
index_links(xmlNodePtr n, GHashTable *ids, GPtrArray *links)
{
    for (; n != NULL; n = n->next) {
        xmlChar *v;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (int k = 0; k < 2; k++)
            if ((v = xmlGetProp(n, BAD_CAST(k ? "name" : "id"))) != NULL) {
                if (!g_hash_table_contains(ids, v))
                    g_hash_table_insert(ids, v, n);
                else
                    xmlFree(v);
            }
        if (oc_xhtml_is(n, "a"))
            g_ptr_array_add(links, n);
        index_links(n->children, ids, links);
    }
}

/* The label of a note link: its text without white space and without
 * the brackets or parentheses around it, when that is one to four
 * letters, digits or note marks; else false. */
static bool
note_label(xmlNodePtr a, char *out, size_t cap)
{
    xmlChar *t = xmlNodeGetContent(a);
    const char *s = (const char *)t, *e;
    size_t n;
    bool ok = false;

    if (s == NULL)
        return false;
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '[' || *s == '(')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' ||
                     e[-1] == ']' || e[-1] == ')'))
        e--;
    n = (size_t)(e - s);
    if (n > 0 && n < cap && g_utf8_validate(s, (gssize)n, NULL) &&
        g_utf8_strlen(s, (gssize)n) <= 4) {
        ok = true;
        for (const char *p = s; p < e; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);

            ok &= g_unichar_isalnum(c) || strchr("*", (int)c) != NULL ||
                  c == 0x2020 || c == 0x2021 || c == 0xA7 || c == 0xB6;
        }
        memcpy(out, s, n);
        out[n] = '\0';
    }
    xmlFree(t);
    return ok;
}

/* The fragment a link points to, or NULL. */
static xmlChar *
fragment(xmlNodePtr a)
{
    xmlChar *href = xmlGetProp(a, BAD_CAST "href");
    xmlChar *f = NULL;

    if (href != NULL && href[0] == '#' && href[1] != '\0')
        f = xmlStrdup(href + 1);
    xmlFree(href);
    return f;
}

/* Whether link a is named 'name' (its id or its name). */
static bool
is_named(xmlNodePtr a, const xmlChar *name)
{
    bool yes = false;

    for (int k = 0; k < 2 && !yes; k++) {
        xmlChar *v = xmlGetProp(a, BAD_CAST(k ? "name" : "id"));

        yes = v != NULL && xmlStrEqual(v, name);
        xmlFree(v);
    }
    return yes;
}

static const char *const blocks[] = {
    "p", "div", "li", "dd", "td", "blockquote", "section", "aside", NULL
};

/* The block that holds n: its nearest block ancestor, or that block's
 * parent <div> when the block is all it holds (Word's note <div>). */
static xmlNodePtr
holder(xmlNodePtr n)
{
    xmlNodePtr b = n->parent;

    for (; b != NULL && b->type == XML_ELEMENT_NODE; b = b->parent) {
        bool block = false;

        for (int i = 0; blocks[i] != NULL; i++)
            block |= oc_xhtml_is(b, blocks[i]);
        if (block)
            break;
    }
    if (b == NULL || b->type != XML_ELEMENT_NODE)
        return NULL;
    if (oc_xhtml_is(b->parent, "div") &&
        xmlFirstElementChild(b->parent) == b &&
        xmlLastElementChild(b->parent) == b)
        b = b->parent;
    return b;
}

/* Replace the content of n with 'text', in a <sup> when 'raise'. */
static void
set_label(xmlNodePtr n, const char *text, bool raise)
{
    xmlNodePtr c, next, at = n;

    for (c = n->children; c != NULL; c = next) {
        next = c->next;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
    if (raise)
        at = oc_xhtml_add(n->doc, n, "sup", oc_xhtml_line(n));
    xmlAddChild(at, xmlNewDocText(n->doc, BAD_CAST text));
}

/* Whether link a already says what it is (epub:type or role): a book's
 * own notes are left as they are written. */
static bool
typed(xmlNodePtr a)
{
    for (xmlAttrPtr p = a->properties; p != NULL; p = p->next)
        if (xmlStrEqual(p->name, BAD_CAST "role") ||
            xmlStrEqual(p->name, BAD_CAST "type") ||
            xmlStrEqual(p->name, BAD_CAST "epub:type"))
            return true;
    return false;
}

/* Whether n is a or inside it. */
static bool
within(xmlNodePtr n, xmlNodePtr a)
{
    for (; n != NULL; n = n->parent)
        if (n == a)
            return true;
    return false;
}

/* Reference r and the head t of its note, whose holder is b: made a
 * noteref and a footnote (the note's id its aside's); returns the
 * aside. */
static xmlNodePtr
make_note(xmlNodePtr r, xmlNodePtr t, xmlNodePtr b, const xmlChar *id,
          const char *label)
{
    char num[40];
    xmlNodePtr aside;

    oc_xhtml_set_epub_type(r, "noteref");
    xmlSetProp(r, BAD_CAST "role", BAD_CAST "doc-noteref");
    set_label(r, label, !oc_xhtml_is(r->parent, "sup"));
    xmlUnsetProp(t, BAD_CAST "id");
    xmlUnsetProp(t, BAD_CAST "name");
    xmlSetProp(t, BAD_CAST "role", BAD_CAST "doc-backlink");
    xmlSetProp(t, BAD_CAST "class", BAD_CAST "note-number");
    snprintf(num, sizeof num, "%s.", label);
    set_label(t, num, false);
    if (oc_xhtml_is(b, "div")) {
        xmlNodeSetName(b, BAD_CAST "aside");
        aside = b;
    } else {
        aside = oc_xhtml_add(b->doc, NULL, "aside", oc_xhtml_line(b));
        xmlAddPrevSibling(b, aside);
        xmlUnlinkNode(b);
        xmlAddChild(aside, b);
    }
    xmlUnsetProp(aside, BAD_CAST "id");
    xmlSetProp(aside, BAD_CAST "id", id);
    oc_xhtml_set_epub_type(aside, "footnote");
    xmlSetProp(aside, BAD_CAST "role", BAD_CAST "doc-footnote");
    return aside;
}

/* The rule an export draws above its notes (an <hr>, and Word's <br>
 * before it) when only notes follow it: the PDF sets each at the foot of
 * its page, and the rule would stand alone at the chapter's end. */
static void
drop_rule(xmlNodePtr aside)
{
    xmlNodePtr hr = xmlPreviousElementSibling(aside), br;

    while (hr != NULL && oc_xhtml_is(hr, "aside") &&
           xmlHasProp(hr, BAD_CAST "role") != NULL)
        hr = xmlPreviousElementSibling(hr);
    if (!oc_xhtml_is(hr, "hr"))
        return;
    for (xmlNodePtr k = xmlNextElementSibling(hr); k != NULL;
         k = xmlNextElementSibling(k))
        if (!oc_xhtml_is(k, "aside"))
            return;
    br = xmlPreviousElementSibling(hr);
    if (oc_xhtml_is(br, "br") && xmlPreviousElementSibling(br) == NULL) {
        xmlUnlinkNode(br);
        xmlFreeNode(br);
    }
    xmlUnlinkNode(hr);
    xmlFreeNode(hr);
}

void
md_html_notes(xmlNodePtr root)
{
    GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal,
                                            xmlFree, NULL);
    GPtrArray *links = g_ptr_array_new();
    GHashTable *order = g_hash_table_new(g_direct_hash, g_direct_equal);

    index_links(root->children, ids, links);
    for (guint i = 0; i < links->len; i++)
        g_hash_table_insert(order, g_ptr_array_index(links, i),
                            GUINT_TO_POINTER(i + 1));
    for (guint i = 0; i < links->len; i++) {
        xmlNodePtr r = g_ptr_array_index(links, i), t, b;
        xmlChar *to = fragment(r), *back;
        char lr[32], lt[32];

        t = to ? g_hash_table_lookup(ids, to) : NULL;
        back = t != NULL && oc_xhtml_is(t, "a") ? fragment(t) : NULL;
        if (back != NULL && is_named(r, back) && !typed(r) && !typed(t) &&
            note_label(r, lr, sizeof lr) && note_label(t, lt, sizeof lt) &&
            strcmp(lr, lt) == 0 && (b = holder(t)) != NULL &&
            !within(r, b) && !oc_xhtml_is(b, "aside") &&
            GPOINTER_TO_UINT(g_hash_table_lookup(order, t)) > i + 1)
            drop_rule(make_note(r, t, b, to, lr));
        xmlFree(to);
        xmlFree(back);
    }
    g_ptr_array_free(links, TRUE);
    g_hash_table_destroy(order);
    g_hash_table_destroy(ids);
}
