/* load.c - oc_book_load and oc_book_free: the book as book.c reads it
 * and, when an EPUB will be written and the manifest names no cover, its
 * cover drawn (cover.c) on a thread of its own while the chapters load,
 * the most of a small book's EPUB build; libzip opened beside them. */
#include <stddef.h>

#include "book.h"
#include "cover.h"
#include "octavo.h"

oc_status
oc_book_load(const char *path, const oc_options *opt, oc_book **out,
             oc_error *err)
{
    oc_book *b;
    oc_status st = oc_book_open(path, opt, &b, err);

    if (st == OC_OK && opt != NULL && opt->for_epub) {
        b->zip_ahead = oc_zip_ahead_start();
        if (b->cover_drawn)
            b->cover_job = oc_cover_start(b->m, b->diag);
    }
    if (st == OC_OK)
        st = oc_book_read_chapters(b, err);
    if (st != OC_OK) {
        oc_book_free(b);
        return st;
    }
    *out = b;
    return OC_OK;
}

/* The threads begun on b (its cover, libzip's opening) ended. */
static void
end_jobs(oc_book *b)
{
    oc_cover_free(b->cover_job);
    b->cover_job = NULL;
    oc_zip_ahead_end(b->zip_ahead);
    b->zip_ahead = NULL;
}

void
oc_book_free(oc_book *b)
{
    if (b == NULL)
        return;
    end_jobs(b);
    oc_book_discard(b);
}

#if !defined(__SANITIZE_ADDRESS__)
/* The books left to the exit: memory still pointed to, not a leak. */
static oc_book *left_to_exit;
#endif

void
oc_book_leave(oc_book *b)
{
#if defined(__SANITIZE_ADDRESS__)
    oc_book_free(b);
#else
    if (b == NULL)
        return;
    end_jobs(b);
    b->next_left = left_to_exit;
    left_to_exit = b;
#endif
}
