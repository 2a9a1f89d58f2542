/* pagemarks.h - where each page of the print edition starts in the
 * book's chapters, for an EPUB page-list (epub.c): the book is laid out
 * as for its PDF, and each page's first line traced back to the text
 * node, and the byte in it, it was set from. */
#ifndef OC_PAGEMARKS_H
#define OC_PAGEMARKS_H

#include <libxml/tree.h>
#include <stddef.h>

#include "arena.h"
#include "book.h"

typedef enum oc_mark_kind {
    OC_MARK_FRONT,      /* a page of the front matter ('front'-th) */
    OC_MARK_TEXT,       /* in text node 'node', before byte 'offset' */
    OC_MARK_ELEMENT,    /* at the start of element 'node' */
    OC_MARK_END         /* after everything in 'node' (a chapter's body
                           element): a blank page at the book's end */
} oc_mark_kind;

typedef struct oc_page_mark {
    const char  *label;         /* its folio as printed: "iii", "12" */
    int          page;          /* 1-based, in the PDF */
    oc_mark_kind kind;
    size_t       front;         /* FRONT: index among the front pages */
    int          chapter;       /* the chapter 'node' is in */
    xmlNodePtr   node;          /* in the book's own DOM */
    size_t       offset;
} oc_page_mark;

/* Lay book 'b' out and give every page's mark, in page order, in arena
 * 'a' (*out, *n). A page that starts no line of its own (left blank, or
 * holding only notes carried over) gets the mark of the next page that
 * does. The DOM is not changed. Errors are those of the layout. */
oc_status oc_page_marks(const oc_book *b, oc_arena *a, oc_page_mark **out,
                        size_t *n, oc_error *err);

#endif
