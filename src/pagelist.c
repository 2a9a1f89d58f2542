/* pagelist.c - an EPUB page-list from the print edition: the markers of
 * pagelist.h, put into copies of the chapters (the book's own DOM is
 * left as it is, for the PDF), and the nav that lists them. */
#include "pagelist.h"

#include <stdio.h>
#include <string.h>

#include "xhtml.h"

static const char *const front_hrefs[] = {
    "title-page.xhtml", "colophon.xhtml", "nav.xhtml"
};

/* A marker's id: "page-" and its label, unless that is taken (a label
 * printed twice, or an id of the chapter's own). */
static const char *
marker_id(const oc_book *b, oc_arena *a, const oc_pagelist *pl, size_t i)
{
    const oc_page_mark *m = &pl->marks[i];
    const char *id = oc_arena_printf(a, "page-%s", m->label);
    bool taken = m->label[0] == '\0';

    for (size_t k = 0; k < i && !taken; k++)
        taken = strcmp(pl->ids[k], id) == 0;
    if (!taken && m->chapter >= 0 && b->chapters[m->chapter].ids != NULL)
        taken = xmlHashLookup(b->chapters[m->chapter].ids,
                              BAD_CAST id) != NULL;
    return taken ? oc_arena_printf(a, "page-%d-of-pdf", m->page) : id;
}

oc_status
oc_pagelist_make(const oc_book *b, oc_arena *a, bool colophon,
                 oc_pagelist *pl, oc_error *err)
{
    oc_status st;

    memset(pl, 0, sizeof *pl);
    if ((st = oc_page_marks(b, a, &pl->marks, &pl->n, err)) != OC_OK)
        return st;
    pl->ids = oc_arena_alloc(a, (pl->n + 1) * sizeof *pl->ids);
    pl->hrefs = oc_arena_alloc(a, (pl->n + 1) * sizeof *pl->hrefs);
    pl->docs = oc_arena_alloc(a, (pl->n + 1) * sizeof *pl->docs);
    for (size_t i = 0; i < pl->n; i++) {
        const oc_page_mark *m = &pl->marks[i];
        /* The PDF's front matter: the title page and its imprint (unless
         * title-page: false), then the contents. */
        size_t contents = b->m->hide_title_page ? 0 : 2;

        pl->ids[i] = marker_id(b, a, pl, i);
        if (m->kind == OC_MARK_FRONT) {
            oc_front_doc d = m->front >= contents ? OC_FRONT_NAV
                             : m->front == 0 ? OC_FRONT_TITLE
                             : colophon ? OC_FRONT_COLOPHON
                                        : OC_FRONT_TITLE;

            pl->docs[i] = -1 - (int)d;
            pl->hrefs[i] = front_hrefs[d];
        } else {
            pl->docs[i] = m->chapter;
            pl->hrefs[i] = b->chapters[m->chapter].href;
        }
    }
    return OC_OK;
}

static xmlNodePtr
marker(xmlDocPtr doc, const oc_pagelist *pl, size_t i)
{
    xmlNodePtr s = oc_xhtml_add(doc, NULL, "span", 0);

    oc_xhtml_set_epub_type(s, "pagebreak");
    xmlSetProp(s, BAD_CAST "role", BAD_CAST "doc-pagebreak");
    xmlSetProp(s, BAD_CAST "id", BAD_CAST pl->ids[i]);
    xmlSetProp(s, BAD_CAST "aria-label", BAD_CAST pl->marks[i].label);
    return s;
}

/* Markers [i, j) in order, the first put by 'put' relative to 'at'. */
static void
put_markers(xmlDocPtr doc, const oc_pagelist *pl, size_t i, size_t j,
            xmlNodePtr at, int how)
{
    xmlNodePtr prev = marker(doc, pl, i);

    if (how < 0)
        xmlAddPrevSibling(at, prev);
    else if (how > 0)
        xmlAddNextSibling(at, prev);
    else if (at->children != NULL)
        xmlAddPrevSibling(at->children, prev);
    else
        xmlAddChild(at, prev);
    for (size_t k = i + 1; k < j; k++)
        prev = xmlAddNextSibling(prev, marker(doc, pl, k));
}

/* Split text node 't' at byte 'off' and put markers [i, j) there. */
static void
mark_text(xmlDocPtr doc, const oc_pagelist *pl, size_t i, size_t j,
          xmlNodePtr t, size_t off)
{
    size_t len = t->content ? strlen((const char *)t->content) : 0;
    xmlNodePtr tail, last;
    xmlChar *head;

    if (off == 0) {
        put_markers(doc, pl, i, j, t, -1);
        return;
    }
    tail = off < len ? xmlNewDocTextLen(doc, t->content + off,
                                        (int)(len - off)) : NULL;
    head = xmlStrndup(t->content, (int)(off < len ? off : len));
    xmlNodeSetContent(t, head);
    xmlFree(head);
    put_markers(doc, pl, i, j, t, 1);
    for (last = t->next; last != NULL && j - i > 1; j--)
        last = last->next;
    if (tail != NULL)
        xmlAddNextSibling(last, tail);
}

static bool
holds_phrasing(xmlNodePtr e)
{
    static const char *const names[] = {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dd",
        "dt", "figcaption", "caption", "pre", "blockquote", "div",
        "section", "article", "aside", "header", "footer", "nav", "figure",
        "address", "main", "summary", "body", NULL
    };

    for (size_t k = 0; names[k]; k++)
        if (xmlStrEqual(e->name, BAD_CAST names[k]))
            return true;
    return false;
}

/* Markers [i, j) at the start of element 'e': inside it when it holds
 * phrasing content (a table row: its first cell), else before it. */
static void
mark_element(xmlDocPtr doc, const oc_pagelist *pl, size_t i, size_t j,
             xmlNodePtr e)
{
    if (xmlStrEqual(e->name, BAD_CAST "tr")) {
        for (xmlNodePtr c = e->children; c != NULL; c = c->next)
            if (c->type == XML_ELEMENT_NODE) {
                put_markers(doc, pl, i, j, c, 0);
                return;
            }
    }
    if (holds_phrasing(e))
        put_markers(doc, pl, i, j, e, 0);
    else
        put_markers(doc, pl, i, j, e, -1);
}

/* The node of 'copy' at the place of 'n' in 'orig' (the same tree): a
 * walk of both in document order. */
static xmlNodePtr
twin(xmlDocPtr orig, xmlDocPtr copy, xmlNodePtr n)
{
    xmlNodePtr o = orig->children, c = copy->children;

    while (o != NULL && c != NULL && o != n) {
        if (o->children != NULL && o->type != XML_ENTITY_REF_NODE &&
            c->children != NULL) {
            o = o->children;
            c = c->children;
            continue;
        }
        while (o != NULL && o->next == NULL && o->parent != NULL &&
               o->parent != (xmlNodePtr)orig) {
            o = o->parent;
            c = c->parent;
        }
        o = o != NULL ? o->next : NULL;
        c = c != NULL ? c->next : NULL;
    }
    return o == n ? c : NULL;
}

xmlDocPtr
oc_pagelist_chapter(const oc_pagelist *pl, const oc_book *b, size_t ch)
{
    xmlDocPtr orig = b->chapters[ch].doc, copy = NULL;
    size_t j = pl->n;

    /* Last page first, so that splitting a text node moves no byte a
     * marker before it points to; each run of markers at one place in
     * page order. */
    while (j > 0) {
        size_t i = j - 1;
        const oc_page_mark *m = &pl->marks[i];
        xmlNodePtr at;

        if (pl->docs[i] != (int)ch) {
            j = i;
            continue;
        }
        while (i > 0 && pl->docs[i - 1] == (int)ch &&
               pl->marks[i - 1].node == m->node &&
               pl->marks[i - 1].kind == m->kind &&
               pl->marks[i - 1].offset == m->offset)
            i--;
        if (copy == NULL)
            copy = xmlCopyDoc(orig, 1);
        if ((at = twin(orig, copy, m->node)) != NULL) {
            if (m->kind == OC_MARK_TEXT)
                mark_text(copy, pl, i, j, at, m->offset);
            else if (m->kind == OC_MARK_END)
                put_markers(copy, pl, i, j,
                            at->last != NULL ? at->last : at,
                            at->last != NULL ? 1 : 0);
            else
                mark_element(copy, pl, i, j, at);
        }
        j = i;
    }
    return copy;
}

void
oc_pagelist_front(const oc_pagelist *pl, oc_front_doc which,
                  xmlNodePtr body)
{
    size_t i = 0, j;

    while (i < pl->n && pl->docs[i] != -1 - (int)which)
        i++;
    for (j = i; j < pl->n && pl->docs[j] == -1 - (int)which; j++)
        ;
    if (j > i)
        put_markers(body->doc, pl, i, j, body, 0);
}

void
oc_pagelist_nav(const oc_pagelist *pl, xmlNodePtr body, const char *label)
{
    xmlNodePtr nav = oc_xhtml_add(body->doc, body, "nav", 0);
    xmlNodePtr ol;

    oc_xhtml_set_epub_type(nav, "page-list");
    xmlSetProp(nav, BAD_CAST "id", BAD_CAST "page-list");
    xmlSetProp(nav, BAD_CAST "hidden", BAD_CAST "hidden");
    xmlSetProp(nav, BAD_CAST "style", BAD_CAST "display: none");
    xmlSetProp(nav, BAD_CAST "aria-label", BAD_CAST label);
    ol = oc_xhtml_add(body->doc, nav, "ol", 0);
    for (size_t i = 0; i < pl->n; i++) {
        xmlNodePtr li = oc_xhtml_add(body->doc, ol, "li", 0);
        xmlNodePtr a = oc_xhtml_add(body->doc, li, "a", 0);
        char *href = (char *)xmlStrdup(BAD_CAST pl->hrefs[i]);

        href = (char *)xmlStrcat(BAD_CAST href, BAD_CAST "#");
        href = (char *)xmlStrcat(BAD_CAST href, BAD_CAST pl->ids[i]);
        xmlSetProp(a, BAD_CAST "href", BAD_CAST href);
        xmlFree(href);
        xmlNodeAddContent(a, BAD_CAST pl->marks[i].label);
    }
}
