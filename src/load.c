/* load.c - oc_book_load and oc_book_free: the book as book.c reads it
 * and, when an EPUB will be written and the manifest names no cover, its
 * cover drawn (cover.c) on a thread of its own while the chapters load,
 * the most of a small book's EPUB build; libzip opened beside them; and
 * when pages will be set, the fonts and the hyphenation of each of its
 * languages made ready too. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include <pango/pango.h>

#include "book.h"
#include "cover.h"
#include "error.h"
#include "fontlock.h"
#include "hyphenate.h"
#include "layout.h"
#include "octavo.h"

/* What setting pages needs first, made ready on a thread of its own while
 * the chapters load: fontconfig's configuration and font cache (loaded
 * by the first hold of the font lock), the layout's font map, then the
 * book's language's hyphenation patterns (oc_book_hyphen_prime, which
 * the layout waits for if it asks before they are compiled). */
struct oc_pages_ahead {
    pthread_t        thread;
    bool             running;
    const oc_book   *b;
    pthread_mutex_t  lock;          /* the font map's fields */
    pthread_cond_t   cond;
    bool             fm_done;       /* made (or not to be made) */
    PangoFontMap    *fm;            /* until a layout takes it */
    bool             own_config;
    oc_hyphen_prime *prime;
};

static void *
pages_ahead(void *arg)
{
    struct oc_pages_ahead *pa = arg;
    oc_diag *prev = oc_book_enter(pa->b);
    bool own = false;
    PangoFontMap *fm;

    oc_fonts_lock();
    fm = oc_layout_fontmap_new(pa->b, &own);
    oc_fonts_unlock();
    pthread_mutex_lock(&pa->lock);
    pa->fm = fm;
    pa->own_config = own;
    pa->fm_done = true;
    pthread_cond_broadcast(&pa->cond);
    pthread_mutex_unlock(&pa->lock);
    oc_hyphen_prime_run(pa->prime, NULL);
    oc_diag_leave(prev);
    return NULL;
}

static void
pages_ahead_start(oc_book *b)
{
    struct oc_pages_ahead *pa = oc_xcalloc(1, sizeof *pa);

    pa->b = b;
    pthread_mutex_init(&pa->lock, NULL);
    pthread_cond_init(&pa->cond, NULL);
    /* The book's language first, then its chapters' in their order. */
    pa->prime = oc_hyphen_prime_new(b->m->language);
    for (size_t i = 0; i < b->m->nchapters; i++)
        oc_hyphen_prime_add(pa->prime, b->m->chapters[i].language);
    pa->running = pthread_create(&pa->thread, NULL, pages_ahead, pa) == 0;
    if (!pa->running) {             /* so that none waits */
        pa->fm_done = true;
        oc_hyphen_prime_run(pa->prime, NULL);
    }
    b->pages_ahead = pa;
}

bool
oc_book_take_fontmap(const oc_book *b, PangoFontMap **fm, bool *own_config)
{
    struct oc_pages_ahead *pa = b->pages_ahead;
    bool took;

    if (pa == NULL)
        return false;
    pthread_mutex_lock(&pa->lock);
    /* Making it needs the font lock: a caller that holds it cannot wait. */
    while (!pa->fm_done && !oc_fonts_held())
        pthread_cond_wait(&pa->cond, &pa->lock);
    took = pa->fm_done && pa->fm != NULL;
    if (took) {
        *fm = pa->fm;
        *own_config = pa->own_config;
        pa->fm = NULL;
    }
    pthread_mutex_unlock(&pa->lock);
    return took;
}

static void
pages_ahead_end(oc_book *b)
{
    struct oc_pages_ahead *pa = b->pages_ahead;

    if (pa == NULL)
        return;
    oc_hyphen_prime_cancel(pa->prime);  /* the languages not yet begun */
    if (pa->running)
        pthread_join(pa->thread, NULL);
    if (pa->fm != NULL) {
        oc_fonts_lock();
        oc_layout_fontmap_free(pa->fm, pa->own_config);
        oc_fonts_unlock();
    }
    pthread_mutex_destroy(&pa->lock);
    pthread_cond_destroy(&pa->cond);
    oc_hyphen_prime_free(pa->prime);
    free(pa);
    b->pages_ahead = NULL;
}

oc_hyphen_prime *
oc_book_hyphen_prime(const oc_book *b)
{
    return b->pages_ahead != NULL ? b->pages_ahead->prime : NULL;
}

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
    if (st == OC_OK && opt != NULL &&
        (opt->for_pdf || (opt->for_epub && b->m->page_list)))
        pages_ahead_start(b);
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
    pages_ahead_end(b);
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
