/* layout-marks.c - where the body's pages start in the chapters' DOM
 * (pagemarks.h): each page's first row, as the paginator cut it, traced
 * to its text node and byte (a line of a paragraph) or to its block
 * element (a heading, a table row, an image...). */
#include "layout-int.h"

#include <stdint.h>
#include <string.h>

#include "pagemarks.h"

/* The byte of text node 'sm->node' that went to byte 'at' of the
 * paragraph's text: its white space collapsed again as lay_inline_nodes
 * collapsed it. */
static size_t
node_offset(const srcmark *sm, size_t at)
{
    const char *s = (const char *)sm->node->content;
    size_t out = sm->at, i = 0;
    bool ws = sm->ws;

    for (; s != NULL && s[i] != '\0' && out < at; i++) {
        bool sp = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                  s[i] == '\r';

        if (sm->pre)
            out += s[i] != '\r';
        else if (!sp || !ws)
            out++;
        ws = !sm->pre && sp;
    }
    return i;
}

bool
lay_text_position(const srcmark *s, size_t n, size_t at, xmlNodePtr *node,
                  size_t *offset)
{
    size_t k;

    if (n == 0)
        return false;
    /* The last text node that began at or before the line's first byte;
     * a line that opens with generated text goes to the next one. */
    for (k = 0; k + 1 < n && s[k + 1].at <= at; k++)
        ;
    *node = s[k].node;
    *offset = s[k].at > at ? 0 : node_offset(&s[k], at);
    return true;
}

void
lay_page_start(lay *g, const pagevec *pv, const row *r)
{
    oc_layout *L = g->L;
    pagestart *ps;

    while (L->nstarts < pv->n) {
        L->starts = oc_arena_reserve(L->arena, L->starts, L->nstarts,
                                     &L->capstarts, sizeof *L->starts);
        L->nstarts++;
    }
    ps = &L->starts[pv->n - 1];
    ps->node = NULL;
    ps->offset = SIZE_MAX;
    if (r != NULL && !lay_para_start(r, &ps->node, &ps->offset) &&
        !lay_text_position(r->srcs, r->nsrcs, r->at, &ps->node,
                           &ps->offset)) {
        ps->node = r->src;
        ps->offset = SIZE_MAX;
    }
}

static int
chapter_of(const oc_book *b, xmlNodePtr n)
{
    for (size_t i = 0; i < b->nchapters; i++)
        if (b->chapters[i].doc == n->doc)
            return (int)i;
    return -1;
}

/* The body's last page may start nothing (a verso left blank): its mark
 * goes after the last chapter's content. */
static void
mark_end(const oc_book *b, oc_page_mark *m)
{
    xmlNodePtr root = xmlDocGetRootElement(b->chapters[b->nchapters - 1].doc);
    xmlNodePtr body = NULL;

    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            xmlStrEqual(c->name, BAD_CAST "body"))
            body = c;
    m->kind = OC_MARK_END;
    m->chapter = (int)b->nchapters - 1;
    m->node = body != NULL ? body : root;
}

oc_status
oc_page_marks(const oc_book *b, oc_arena *a, oc_page_mark **out,
              size_t *n, oc_error *err)
{
    oc_layout *L = NULL;
    oc_page_mark *m;
    oc_status st;
    size_t nf;

    if ((st = oc_layout_book(b, NULL, &L, err)) != OC_OK)
        return st;
    nf = L->pub.nfront;
    m = oc_arena_alloc(a, (L->pub.npages + 1) * sizeof *m);
    for (size_t i = 0; i < L->pub.npages; i++) {
        const pagestart *ps = NULL;

        m[i].label = oc_arena_strdup(a, L->pub.pages[i].label
                                            ? L->pub.pages[i].label : "");
        m[i].page = (int)i + 1;
        if (i < nf) {
            m[i].kind = OC_MARK_FRONT;
            m[i].front = i;
            m[i].chapter = -1;
            continue;
        }
        for (size_t k = i - nf; k < L->nstarts && ps == NULL; k++)
            if (L->starts[k].node != NULL)
                ps = &L->starts[k];
        if (ps == NULL || chapter_of(b, ps->node) < 0) {
            mark_end(b, &m[i]);
            continue;
        }
        m[i].node = ps->node;
        m[i].chapter = chapter_of(b, ps->node);
        m[i].kind = ps->offset == SIZE_MAX ? OC_MARK_ELEMENT : OC_MARK_TEXT;
        m[i].offset = ps->offset == SIZE_MAX ? 0 : ps->offset;
    }
    *out = m;
    *n = L->pub.npages;
    oc_layout_free(L);
    return OC_OK;
}
