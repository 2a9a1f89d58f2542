/* md-notes.c - the footnotes of exported HTML. HTML written from
 * Markdown (pandoc, kramdown, cmark-gfm, Hugo) types its references
 * (role="doc-noteref", data-footnote-ref) and lists its notes at the end
 * with links back. Word's "Save as Web Page" writes
 * <a href="#_ftn1" name="_ftnref1">[1]</a> in the text and
 * <a href="#_ftnref1" name="_ftn1">[1]</a> at the head of the note,
 * Google Docs <a href="#ftnt1" id="ftnt_ref1"> and
 * <a href="#ftnt_ref1" id="ftnt1">: two links that point at each other,
 * the first in the text, with the same short label ("[1]", "*"). Either
 * way, a note and its reference become octavo's own, as Markdown's
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

/* Link r made a note's reference labelled 'label', raised unless it is
 * in a <sup> already. */
static void
as_noteref(xmlNodePtr r, const char *label)
{
    oc_xhtml_set_epub_type(r, "noteref");
    xmlSetProp(r, BAD_CAST "role", BAD_CAST "doc-noteref");
    set_label(r, label, !oc_xhtml_is(r->parent, "sup"));
}

/* Element 'aside' made the footnote 'id'. */
static void
as_footnote(xmlNodePtr aside, const xmlChar *id)
{
    xmlUnsetProp(aside, BAD_CAST "id");
    xmlSetProp(aside, BAD_CAST "id", id);
    oc_xhtml_set_epub_type(aside, "footnote");
    xmlSetProp(aside, BAD_CAST "role", BAD_CAST "doc-footnote");
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

    as_noteref(r, label);
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
    as_footnote(aside, id);
    return aside;
}

/* The first link under n (or n's following siblings), in document
 * order: a note that a reference points at as a whole (Asciidoctor's
 * <div class="footnote" id="_footnotedef_1">) opens with its link back
 * (<a href="#_footnoteref_1">1</a>). */
static xmlNodePtr
first_link(xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        xmlNodePtr a;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (oc_xhtml_is(n, "a"))
            return n;
        if ((a = first_link(n->children)) != NULL)
            return a;
    }
    return NULL;
}

/* Reference r in a <sup> that brackets it ("[", r, "]": Asciidoctor's):
 * the brackets go, as octavo's note references have none. */
static void
unbracket(xmlNodePtr r)
{
    xmlNodePtr sup = r->parent, next;

    if (!oc_xhtml_is(sup, "sup"))
        return;
    for (xmlNodePtr k = sup->children; k != NULL; k = k->next)
        if (k != r && (k->type != XML_TEXT_NODE ||
                       k->content[strspn((const char *)k->content,
                                         "[]() \t\n")] != '\0'))
            return;
    for (xmlNodePtr k = sup->children; k != NULL; k = next) {
        next = k->next;
        if (k != r) {
            xmlUnlinkNode(k);
            xmlFreeNode(k);
        }
    }
}

/* The note's number t, now "1.", followed by the text ". The note" (its
 * period was the export's, Asciidoctor's): that period goes. */
static void
undot(xmlNodePtr t)
{
    xmlNodePtr x = t->next;
    const char *c;

    if (x == NULL || x->type != XML_TEXT_NODE || x->content == NULL)
        return;
    c = (const char *)x->content;
    if ((c[0] == '.' || c[0] == ')') && (c[1] == ' ' || c[1] == '\n')) {
        xmlChar *rest = xmlStrdup(BAD_CAST(c + 1));

        xmlNodeSetContent(x, rest);
        xmlFree(rest);
    }
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

/* ---- notes that say what they are ---- */

/* Whether link a is a note's reference as HTML from Markdown writes it:
 * pandoc's and kramdown's role, cmark-gfm's data- attribute, their
 * classes. */
static bool
endnote_ref(xmlNodePtr a)
{
    return oc_xhtml_has_word(a, "role", "doc-noteref") ||
           oc_xhtml_has_word(a, "data-footnote-ref", NULL) ||
           oc_xhtml_has_word(a, "class", "footnote-ref") ||
           (oc_xhtml_has_word(a, "class", "footnote") &&
            oc_xhtml_has_word(a, "rel", "footnote"));
}

/* Whether li is such a note: typed by its role, or an item of a list in
 * a container of notes (class footnotes, role doc-endnotes, cmark-gfm's
 * data-footnotes). */
static bool
endnote_item(xmlNodePtr li)
{
    if (!oc_xhtml_is(li, "li") || !oc_xhtml_is(li->parent, "ol"))
        return false;
    if (oc_xhtml_has_word(li, "role", "doc-endnote") ||
        oc_xhtml_has_word(li, "role", "doc-footnote"))
        return true;
    for (xmlNodePtr c = li->parent->parent;
         c != NULL && c->type == XML_ELEMENT_NODE; c = c->parent)
        if (oc_xhtml_has_word(c, "class", "footnotes") ||
            oc_xhtml_has_word(c, "role", "doc-endnotes") ||
            oc_xhtml_has_word(c, "data-footnotes", NULL))
            return true;
    return false;
}

/* Text node t without the spaces (no-break ones too) at its end. */
static void
trim_end(xmlNodePtr t)
{
    xmlChar *s = xmlNodeGetContent(t);
    size_t n = s ? strlen((const char *)s) : 0;

    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' ||
                     s[n - 1] == '\t' ||
                     (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0)))
        n -= s[n - 1] == 0xA0 ? 2 : 1;
    if (s != NULL) {
        s[n] = '\0';
        xmlNodeSetContent(t, s);
    }
    xmlFree(s);
}

/* The links back from a note to its reference, and the spaces before
 * them: taken out, into 'doomed' (freed when every note is made). */
static void
drop_backlinks(xmlNodePtr n, GPtrArray *doomed)
{
    bool dropped = false;

    for (xmlNodePtr k = n->children, next; k != NULL; k = next) {
        next = k->next;
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (oc_xhtml_is(k, "a") &&
            (oc_xhtml_has_word(k, "role", "doc-backlink") ||
             oc_xhtml_has_word(k, "data-footnote-backref", NULL) ||
             oc_xhtml_has_word(k, "class", "footnote-back") ||
             oc_xhtml_has_word(k, "class", "footnote-backref") ||
             oc_xhtml_has_word(k, "class", "reversefootnote"))) {
            xmlUnlinkNode(k);
            g_ptr_array_add(doomed, k);
            dropped = true;
        } else {
            drop_backlinks(k, doomed);
        }
    }
    for (xmlNodePtr k = dropped ? n->last : NULL;
         k != NULL && k->type == XML_TEXT_NODE; k = k->prev) {
        trim_end(k);
        if (k->content != NULL && k->content[0] != '\0')
            break;
    }
}

/* Note item li, referenced by r (whose label is 'label'), made an aside
 * typed footnote before the list, which begins with the note's number
 * linking back to r, as Markdown's notes do; li and the back-links go
 * into 'doomed'. */
static void
make_endnote(xmlNodePtr r, xmlNodePtr li, const char *label,
             GPtrArray *doomed)
{
    xmlNodePtr aside = oc_xhtml_add(li->doc, NULL, "aside",
                                    oc_xhtml_line(li));
    xmlNodePtr first, back, holder = r->parent;
    xmlChar *id = xmlGetProp(li, BAD_CAST "id"), *rid;
    char num[40], href[200];

    if (!xmlHasProp(r, BAD_CAST "id") && oc_xhtml_is(holder, "sup") &&
        xmlHasProp(holder, BAD_CAST "id")) {  /* kramdown's sup has it */
        rid = xmlGetProp(holder, BAD_CAST "id");
        xmlUnsetProp(holder, BAD_CAST "id");
        xmlSetProp(r, BAD_CAST "id", rid);
        xmlFree(rid);
    }
    if (!xmlHasProp(r, BAD_CAST "id")) {
        snprintf(href, sizeof href, "ref-%s", (const char *)id);
        xmlSetProp(r, BAD_CAST "id", BAD_CAST href);
    }
    rid = xmlGetProp(r, BAD_CAST "id");
    xmlUnsetProp(r, BAD_CAST "class");
    as_noteref(r, label);
    drop_backlinks(li, doomed);
    xmlAddPrevSibling(li->parent, aside);
    while (li->children != NULL) {
        xmlNodePtr k = li->children;

        xmlUnlinkNode(k);
        if (xmlIsBlankNode(k))      /* the list's indentation */
            xmlFreeNode(k);
        else
            xmlAddChild(aside, k);
    }
    first = xmlFirstElementChild(aside);
    if (first == NULL || !oc_xhtml_is(first, "p")) {
        first = oc_xhtml_add(li->doc, NULL, "p", oc_xhtml_line(li));
        oc_xhtml_move_children(aside, first);
        xmlAddChild(aside, first);
    }
    snprintf(href, sizeof href, "#%s", (const char *)rid);
    snprintf(num, sizeof num, "%s.", label);
    back = oc_xhtml_add(li->doc, NULL, "a", oc_xhtml_line(li));
    xmlSetProp(back, BAD_CAST "href", BAD_CAST href);
    xmlSetProp(back, BAD_CAST "role", BAD_CAST "doc-backlink");
    xmlSetProp(back, BAD_CAST "class", BAD_CAST "note-number");
    xmlAddChild(back, xmlNewDocText(li->doc, BAD_CAST num));
    if (first->children != NULL) {
        xmlAddPrevSibling(first->children, back);
        xmlAddNextSibling(back, xmlNewDocText(li->doc, BAD_CAST " "));
    } else {
        xmlAddChild(first, back);
    }
    as_footnote(aside, id);
    xmlUnlinkNode(li);
    g_ptr_array_add(doomed, li);
    xmlFree(id);
    xmlFree(rid);
}

/* A container of notes, its notes made asides: its rule and emptied
 * lists go, and its heading (cmark-gfm's "Footnotes", for screen
 * readers) when nothing else is left, for the PDF sets the notes at the
 * foot of their pages; it becomes the notes' section. */
static void
tidy_container(xmlNodePtr c)
{
    bool other = false;

    for (int pass = 0; pass < 2 && !other; pass++)
        for (xmlNodePtr k = c->children, next; k != NULL; k = next) {
            next = k->next;
            if (k->type != XML_ELEMENT_NODE || oc_xhtml_is(k, "aside"))
                continue;
            if (oc_xhtml_is(k, "hr") ||
                (pass == 1 && oc_xhtml_is_heading(k)) ||
                (oc_xhtml_is(k, "ol") && xmlFirstElementChild(k) == NULL)) {
                xmlUnlinkNode(k);
                xmlFreeNode(k);
            } else if (!oc_xhtml_is_heading(k)) {
                other = true;
            }
        }
    if (other)
        return;
    xmlUnsetProp(c, BAD_CAST "role");       /* doc-endnotes no more */
    if (oc_xhtml_is(c, "section"))
        oc_xhtml_set_epub_type(c, "footnotes");
}

/* Notes as HTML written from Markdown has them (pandoc, cmark-gfm,
 * kramdown, Hugo): a reference typed or classed as one, pointing into
 * the list of notes at the end, each note linking back. They become
 * octavo's, as Markdown's own are; notes typed for EPUB (epub:type)
 * are a book's own, left as they are. */
static void
endnotes(xmlNodePtr root)
{
    GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal,
                                            xmlFree, NULL);
    GHashTable *made = g_hash_table_new(g_direct_hash, g_direct_equal);
    GPtrArray *links = g_ptr_array_new(), *pairs = g_ptr_array_new();
    GPtrArray *containers = g_ptr_array_new();
    GPtrArray *doomed = g_ptr_array_new_with_free_func(
        (GDestroyNotify)xmlFreeNode);

    index_links(root->children, ids, links);
    /* The pairs first; what a conversion takes out is freed at the end,
     * for a pair may lie in it (a reference in a back-link, a note in
     * another). */
    for (guint i = 0; i < links->len; i++) {
        xmlNodePtr r = g_ptr_array_index(links, i), li;
        xmlChar *to = fragment(r);

        li = to ? g_hash_table_lookup(ids, to) : NULL;
        xmlFree(to);
        if (li != NULL && endnote_ref(r) &&
            !oc_xhtml_has_word(r, "epub:type", NULL) && endnote_item(li) &&
            !oc_xhtml_has_word(li, "epub:type", NULL) &&
            !within(r, li) && !within(li, r)) {
            g_ptr_array_add(pairs, r);
            g_ptr_array_add(pairs, li);
        }
    }
    for (guint i = 0; i + 1 < pairs->len; i += 2) {
        xmlNodePtr r = g_ptr_array_index(pairs, i);
        xmlNodePtr li = g_ptr_array_index(pairs, i + 1);
        char label[32];

        if (!note_label(r, label, sizeof label))
            continue;
        if (g_hash_table_contains(made, li)) {    /* a note's next ref */
            as_noteref(r, label);
            continue;
        }
        if (li->parent == NULL || li->parent->parent == NULL)
            continue;               /* moved where it is no note */
        g_hash_table_add(made, li);
        if (!g_ptr_array_find(containers, li->parent->parent, NULL))
            g_ptr_array_add(containers, li->parent->parent);
        make_endnote(r, li, label, doomed);
    }
    for (guint i = 0; i < containers->len; i++)
        tidy_container(g_ptr_array_index(containers, i));
    g_ptr_array_free(doomed, TRUE);
    g_ptr_array_free(containers, TRUE);
    g_ptr_array_free(pairs, TRUE);
    g_ptr_array_free(links, TRUE);
    g_hash_table_destroy(made);
    g_hash_table_destroy(ids);
}

void
md_html_notes(xmlNodePtr root)
{
    GHashTable *ids, *order;
    GPtrArray *links;

    endnotes(root);
    ids = g_hash_table_new_full(g_str_hash, g_str_equal, xmlFree, NULL);
    links = g_ptr_array_new();
    order = g_hash_table_new(g_direct_hash, g_direct_equal);
    index_links(root->children, ids, links);
    for (guint i = 0; i < links->len; i++)
        g_hash_table_insert(order, g_ptr_array_index(links, i),
                            GUINT_TO_POINTER(i + 1));
    for (guint i = 0; i < links->len; i++) {
        xmlNodePtr r = g_ptr_array_index(links, i), t, b;
        xmlChar *to = fragment(r), *back;
        char lr[32], lt[32];

        t = to ? g_hash_table_lookup(ids, to) : NULL;
        if (t != NULL && !oc_xhtml_is(t, "a"))
            t = first_link(t->children);     /* the note's own back-link */
        back = t != NULL && oc_xhtml_is(t, "a") ? fragment(t) : NULL;
        if (back != NULL && is_named(r, back) && !typed(r) && !typed(t) &&
            note_label(r, lr, sizeof lr) && note_label(t, lt, sizeof lt) &&
            strcmp(lr, lt) == 0 && (b = holder(t)) != NULL &&
            !within(r, b) && !oc_xhtml_is(b, "aside") &&
            GPOINTER_TO_UINT(g_hash_table_lookup(order, t)) > i + 1) {
            unbracket(r);
            drop_rule(make_note(r, t, b, to, lr));
            undot(t);
        }
        xmlFree(to);
        xmlFree(back);
    }
    g_ptr_array_free(links, TRUE);
    g_hash_table_destroy(order);
    g_hash_table_destroy(ids);
}
