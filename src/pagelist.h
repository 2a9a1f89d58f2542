/* pagelist.h - an EPUB page-list from the print edition (pagemarks.h):
 * an empty <span epub:type="pagebreak" role="doc-pagebreak"> where each
 * printed page starts, in copies of the content documents, and the
 * page-list nav that links them. */
#ifndef OC_PAGELIST_H
#define OC_PAGELIST_H

#include <libxml/tree.h>
#include <stdbool.h>

#include "arena.h"
#include "book.h"
#include "pagemarks.h"

/* The front matter's documents, which the PDF's front pages go to: the
 * title page (page i), the colophon (page ii, when the EPUB has one) and
 * the contents (every later front page). */
typedef enum oc_front_doc {
    OC_FRONT_TITLE,
    OC_FRONT_COLOPHON,
    OC_FRONT_NAV
} oc_front_doc;

typedef struct oc_pagelist {
    oc_page_mark *marks;
    size_t        n;
    const char  **ids;          /* each marker's id: "page-12" */
    const char  **hrefs;        /* each marker's document, from the
                                   package document's folder */
    int          *docs;         /* its chapter, or -1 - oc_front_doc */
} oc_pagelist;

/* Lay book 'b' out and find where each page starts, in arena 'a'.
 * 'colophon': the EPUB has a colophon.xhtml. */
oc_status oc_pagelist_make(const oc_book *b, oc_arena *a, bool colophon,
                           oc_pagelist *pl, oc_error *err);

/* Chapter 'ch' with its markers: a copy of its document (the caller frees
 * it with xmlFreeDoc), or NULL when no page starts in it. */
xmlDocPtr oc_pagelist_chapter(const oc_pagelist *pl, const oc_book *b,
                              size_t ch);

/* The markers of front document 'which' at the top of its body. */
void oc_pagelist_front(const oc_pagelist *pl, oc_front_doc which,
                       xmlNodePtr body);

/* Append the page-list nav (hidden, every page's label) to 'body'. */
void oc_pagelist_nav(const oc_pagelist *pl, xmlNodePtr body,
                     const char *label);

#endif
