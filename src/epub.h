/* epub.h - the EPUB 3 back end: package document, navigation, NCX and
 * content documents zipped into an OCF container with libzip. */
#ifndef OC_EPUB_H
#define OC_EPUB_H

#include "book.h"

/* Write 'b' as an EPUB 3.3 publication to 'path' (via path.tmp, renamed
 * on success; nothing is left behind on failure). */
oc_status oc_epub_write(const oc_book *b, const char *path, oc_error *err);

/* One entry of the table of contents: depth 1.. (each entry at most one
 * deeper than the one before), link target and text; borrowed strings. */
typedef struct oc_toc_entry {
    int         depth;
    const char *chapter_href;
    const char *id;             /* NULL for the chapter's start */
    const char *text;
} oc_toc_entry;

/* The book's table of contents down to toc_depth, in reading order, in
 * arena memory; *n receives the count. */
oc_toc_entry *oc_book_toc(const oc_book *b, oc_arena *a, size_t *n);

/* "YYYY-MM-DDThh:mm:ssZ" for t, UTC, into out[21]. */
void oc_format_utc(time_t t, char out[21]);

#endif
