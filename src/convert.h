/* convert.h - a book's chapters read and converted (markdown.h) on a
 * second thread while the loader takes them in order: its own work on a
 * chapter (ids, images, headings, links) runs beside the conversion of
 * the next ones. */
#ifndef OC_CONVERT_H
#define OC_CONVERT_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "markdown.h"
#include "octavo.h"

/* What one chapter is made from: the file 'file' read whole, or 'text'
 * ('len' bytes, which start at line 'first_line' of 'file') when it is
 * not NULL. 'skip': nothing to convert (a chapter the loader refuses
 * before it is read). Given to oc_convert_start; must live until
 * oc_convert_end. */
typedef struct oc_convert_input {
    const char       *file;
    const char       *text;
    size_t            len;
    int               first_line;
    oc_chapter_format format;
    oc_doc_opts       opts;
    bool              skip;
} oc_convert_input;

typedef struct oc_convert oc_convert;

/* Conversion of the 'n' chapters 'in' begun. A second thread converts
 * them in order, at most a few ahead of the one taken last, so that a
 * long book's documents are not all in memory at once. Without a thread
 * (none could be started) each is converted as it is taken. */
oc_convert *oc_convert_start(const oc_convert_input *in, size_t n);

/* Chapter i's document, converted by the other thread (waited for) or
 * by this one now; chapters are taken in increasing order, each once.
 * The warnings its conversion gave are told now, to this thread's sink,
 * in the order they came. Returns the conversion's status: on failure
 * *doc is NULL and 'err' is set (the first error wins, error.h), and
 * *unread tells that the file could not be read (err says why). */
oc_status oc_convert_take(oc_convert *c, size_t i, xmlDocPtr *doc,
                          bool *unread, oc_error *err);

/* The other thread stopped (after the chapter it converts), every
 * document not taken freed, and 'c' with them. NULL is let be. */
void oc_convert_end(oc_convert *c);

#endif
