/* pdf.c - the PDF back end: lay the book out and paint it into memory
 * with cairo, each page on a second thread as soon as the layout has made
 * it final (the body first, then the front matter); mend what cairo 1.16
 * gets wrong (mend.h), the page order among it; and write the file
 * atomically. Or paint chosen pages of the same layout as PNG previews. */
#define _GNU_SOURCE             /* madvise, copy_file_range */
#include "pdf.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>             /* malloc_trim */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libdeflate.h>
#include <pthread.h>

#include "book.h"
#include "buf.h"
#include "error.h"
#include "fontlock.h"
#include "layout.h"
#include "mend.h"
#include "pdfout.h"
#include "render.h"

/* ISO 8601 in UTC, which cairo turns into a PDF date. */
static void
iso_date(time_t t, char out[32])
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL)
        memset(&tm, 0, sizeof tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char *
join_authors(const oc_manifest *m)
{
    oc_buf s = { 0 };

    for (size_t i = 0; i < m->nauthors; i++) {
        if (i > 0)
            oc_buf_puts(&s, ", ");
        oc_buf_puts(&s, m->authors[i].name ? m->authors[i].name : "");
    }
    return s.data;              /* NULL when there is no author */
}

static char *
join_subjects(const oc_manifest *m)
{
    oc_buf s = { 0 };

    for (size_t i = 0; i < m->nsubjects; i++) {
        if (i > 0)
            oc_buf_puts(&s, ", ");
        oc_buf_puts(&s, m->subjects[i]);
    }
    return s.data;
}

/* The PDF's bytes as cairo makes them, gathered into chunks and written
 * to the file being made, so that the book is never in memory whole. */
typedef struct pdf_file {
    oc_outfile f;
    oc_buf     chunk;
    size_t     size;                /* bytes written to the file */
    oc_error   err;                 /* the first write error */
    void      *map;                 /* the mend's input, mapped */
    size_t     map_size;
    int        pictures;            /* their streams (pdfimage.h), or -1 */
    /* The pages' content streams marked ahead (oc_mend_premark) as each
     * page is painted, on the painter's thread, so that the mend at the
     * end does not: the bytes cairo writes for a page, the file of the
     * objects marked (-1: none), and their list, by object number. */
    oc_buf     capture;
    bool       capturing;
    int        marks;
    uint64_t   marks_size;
    oc_mend_marked *marked;
    size_t     nmarked, capmarked;
} pdf_file;

enum { PDF_CHUNK = 256 * 1024 };

static bool
flush_chunk(pdf_file *pf)
{
    if (pf->err.code == OC_OK && pf->chunk.len > 0 &&
        oc_outfile_write(&pf->f, pf->chunk.data, pf->chunk.len,
                         &pf->err) == OC_OK)
        pf->size += pf->chunk.len;
    pf->chunk.len = 0;
    return pf->err.code == OC_OK;
}

/* Gather 'len' bytes, writing them out a chunk at a time; false once a
 * write failed (pf->err). */
static bool
put_bytes(pdf_file *pf, const void *data, size_t len)
{
    if (pf->capturing)
        oc_buf_put(&pf->capture, data, len);
    oc_buf_put(&pf->chunk, data, len);
    return pf->chunk.len < PDF_CHUNK || flush_chunk(pf);
}

/* The first write error, into 'err' too. */
static oc_status
write_failed(const pdf_file *pf, oc_error *err)
{
    if (err != NULL)
        *err = pf->err;
    return pf->err.code;
}

static cairo_status_t
to_file(void *closure, const unsigned char *data, unsigned int len)
{
    return put_bytes(closure, data, len) ? CAIRO_STATUS_SUCCESS
                                         : CAIRO_STATUS_WRITE_ERROR;
}

static oc_status
to_pdf_file(const char *data, size_t len, void *ctx, oc_error *err)
{
    return put_bytes(ctx, data, len) ? OC_OK : write_failed(ctx, err);
}

/* The mend's copy: 'len' bytes at 'off' of 'fd' onto the file after
 * what was gathered, by the kernel from file to file where it can,
 * else read and written a chunk at a time. */
static oc_status
copy_range(int fd, uint64_t off, uint64_t len, void *ctx, oc_error *err)
{
    pdf_file *pf = ctx;
    off_t at = (off_t)off;
    uint64_t left = len;
    char chunk[64 * 1024];

    if (!flush_chunk(pf))
        return write_failed(pf, err);
    while (left > 0) {
        ssize_t n = copy_file_range(fd, &at, pf->f.fd, NULL, (size_t)left, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        left -= (uint64_t)n;
    }
    while (left > 0) {       /* across file systems, or no such call */
        size_t want = left < sizeof chunk ? (size_t)left : sizeof chunk;
        ssize_t got = pread(fd, chunk, want, at);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return oc_error_set(err, OC_ERR_IO, NULL, 0, 0,
                                "cannot read the pictures back: %s",
                                got < 0 ? strerror(errno) : "cut short");
        if (oc_outfile_write(&pf->f, chunk, (size_t)got, &pf->err) != OC_OK)
            return write_failed(pf, err);
        at += got;
        left -= (uint64_t)got;
    }
    pf->size += len;
    return OC_OK;
}

/* The mend's let_go: the pages of its input it read leave memory (what
 * it reads again comes back from the file). */
static void
let_go(void *ctx)
{
    pdf_file *pf = ctx;

    if (pf->map != NULL)
        madvise(pf->map, pf->map_size, MADV_DONTNEED);
}

/* Mend the PDF written (mend.h): read it back mapped into memory, and
 * write it again whole under a new temporary file of the same name (the
 * first is unlinked, its bytes kept by the mapping until the end). */
static oc_status
mend_file(pdf_file *pf, const oc_mend_options *mo, oc_error *err)
{
    void *map = MAP_FAILED;
    size_t size;
    int fd;
    oc_status st;

    if (!flush_chunk(pf))
        return write_failed(pf, err);
    size = pf->size;
    if ((fd = open(pf->f.tmp, O_RDONLY | O_CLOEXEC)) >= 0) {
        map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
    }
    if (map == MAP_FAILED)
        return oc_error_set(err, OC_ERR_IO, pf->f.path, 0, 0,
                            "cannot read back: %s", strerror(errno));
    oc_outfile_abort(&pf->f);
    pf->size = 0;
    pf->map = map;
    pf->map_size = size;
    if ((st = oc_outfile_open(&pf->f, pf->f.path, err)) == OC_OK &&
        (st = oc_mend_write(map, size, mo, to_pdf_file, pf, err)) == OC_OK &&
        !flush_chunk(pf))
        st = write_failed(pf, err);
    pf->map = NULL;
    munmap(map, size);
    return st;
}

/* A file beside the PDF's temporary file 'f' ('what': the pictures'
 * streams, oc_render_spool_pictures, or the content streams marked
 * ahead), unlinked at once; -1 if it cannot be made (cairo then writes
 * the pictures itself; the mend marks the streams). */
static int
open_spool(const oc_outfile *f, const char *what)
{
    char path[sizeof f->tmp + 32];
    int fd;

    snprintf(path, sizeof path, "%s.%s.XXXXXX", f->tmp, what);
    if ((fd = mkstemp(path)) >= 0)
        unlink(path);
    return fd;
}

/* oc_mend_premark's sink: object 'num' marked ('marked') into the file
 * of the marks, or noted to stay as it is. */
static void
keep_marked(long num, const char *orig, size_t n, const char *marked,
            size_t mlen, void *ctx)
{
    pdf_file *pf = ctx;
    oc_mend_marked e = { num, (uint32_t)libdeflate_crc32(0, orig, n),
                         pf->marks_size, mlen, n };

    /* By increasing number, as cairo writes them; another the mend marks. */
    if (pf->nmarked > 0 && pf->marked[pf->nmarked - 1].num >= num)
        return;
    for (size_t done = 0; done < mlen;) {
        ssize_t w = pwrite(pf->marks, marked + done, mlen - done,
                           (off_t)(pf->marks_size + done));

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;                 /* the mend marks it */
        done += (size_t)w;
    }
    pf->marks_size += mlen;
    if (pf->nmarked == pf->capmarked) {
        pf->capmarked = pf->capmarked ? 2 * pf->capmarked : 256;
        pf->marked = oc_xrealloc(pf->marked,
                                 pf->capmarked * sizeof *pf->marked);
    }
    pf->marked[pf->nmarked++] = e;
}


/* How many pages the layout may queue for the painter before it waits. */
#define PAINT_AHEAD 32

/* The painter of the pages: a thread that takes each page from the
 * layout (oc_layout_book_to) as soon as it is final and paints it into
 * the PDF, while the rest of the book is laid out.
 *
 * The threads' contract. The layout's thread owns the book, the layout
 * and everything in them; the painter only reads the pages it is handed
 * (and what they point to), and owns the cairo surface and context. A
 * page goes from one to the other through 'queue' under 'lock' (pthread
 * primitives, so that ThreadSanitizer and helgrind see the hand-over).
 * The two threads share cairo, Pango, fontconfig and FreeType, whose
 * font caches are not safe to use from two threads at once (cairo 1.16's
 * glyph caches, Pango's font maps): every use of them on either thread
 * is inside the font lock (fontlock.h), which the layout takes where it
 * calls into them and render.c for each line it draws. A page that Pango
 * must draw itself (oc_render_page_needs_pango: an SVG, a missing
 * glyph's box) is painted while the layout is parked: the painter asks
 * for it ('park'), and the layout's thread, the next time it hands a
 * page over without holding the font lock, waits in the sink until that
 * page is painted; once the layout is over, no one waits. The layout
 * also waits there while more than PAINT_AHEAD pages are queued, and is
 * parked while it waits: so pages laid out but not painted stay few
 * (memory does not grow with the book when painting is the slower),
 * and a painter asking for a park is never kept waiting by it. The layout
 * ends every run, on error too, by calling the sink with no page; the
 * painter is joined there, before the layout frees anything it may
 * read. */
typedef struct painter {
    pthread_mutex_t    lock;
    pthread_cond_t     more;        /* a page was queued, or the end */
    const oc_page    **queue;       /* copies of the pages, in order */
    size_t             head, tail, cap;
    bool               laid_out;    /* no more pages will come */
    pthread_cond_t     turn;        /* 'park' or 'parked' changed */
    bool               park;        /* the painter wants the layout
                                       parked */
    bool               parked;      /* the layout is waiting in the sink */
    bool               started;
    pthread_t          thread;
    oc_render         *r;           /* made with the first page */
    oc_pdfout         *po;          /* or this, when octavo writes the
                                       PDF itself */
    bool               own;
    struct pdf_file   *pdf;
    const oc_pdf_info *info;
    size_t             npages;      /* given so far */
    size_t             painted;     /* of them; under 'lock' */
    oc_diag           *diag;        /* the book's warnings */
} painter;

/* The next page to paint, or NULL when the layout is done and all are
 * painted. 'whole' is set when the layout is over (no more Pango use on
 * its side). */
static const oc_page *
next_page(painter *pt, bool *whole)
{
    const oc_page *p = NULL;

    pthread_mutex_lock(&pt->lock);
    while (pt->head == pt->tail && !pt->laid_out)
        pthread_cond_wait(&pt->more, &pt->lock);
    if (pt->head < pt->tail)
        p = pt->queue[pt->head++];
    pthread_cond_broadcast(&pt->turn);  /* room for a waiting layout */
    *whole = pt->laid_out;
    pthread_mutex_unlock(&pt->lock);
    return p;
}

/* On the painter's thread: have the layout park (or end). Returns true
 * when it is parked, until unpark_layout. */
static bool
park_layout(painter *pt)
{
    bool parked;

    /* A layout still parked (waiting for room, or not yet woken from
     * the last park) stays so while 'park' is set. */
    pthread_mutex_lock(&pt->lock);
    pt->park = true;
    while (!pt->parked && !pt->laid_out)
        pthread_cond_wait(&pt->turn, &pt->lock);
    parked = pt->parked;
    if (!parked)
        pt->park = false;
    pthread_mutex_unlock(&pt->lock);
    return parked;
}

static void
unpark_layout(painter *pt)
{
    pthread_mutex_lock(&pt->lock);
    pt->park = false;
    pthread_cond_broadcast(&pt->turn);
    pthread_mutex_unlock(&pt->lock);
}

/* On the layout's thread, in the sink: park if the painter asks, and
 * wait while more than PAINT_AHEAD pages are queued, so that the pages
 * laid out but not painted (and the chapter pools they keep) stay few
 * however far the layout could run ahead; unless this thread holds the
 * font lock (the painter needs it). A layout waiting for room is parked
 * too: it uses nothing the painter does. */
static void
park_if_asked(painter *pt)
{
    if (oc_fonts_held())
        return;
    pthread_mutex_lock(&pt->lock);
    while (!pt->laid_out &&
           (pt->park || pt->tail - pt->head > PAINT_AHEAD)) {
        if (!pt->parked) {
            pt->parked = true;
            pthread_cond_broadcast(&pt->turn);
        }
        pthread_cond_wait(&pt->turn, &pt->lock);
    }
    if (pt->parked) {
        pt->parked = false;
        pthread_cond_broadcast(&pt->turn);
    }
    pthread_mutex_unlock(&pt->lock);
}

/* Paint page 'p', its content stream marked as it is written. */
static void
paint_page(painter *pt, const oc_page *p)
{
    pdf_file *pf = pt->pdf;

    if (pt->po != NULL) {
        oc_pdfout_page(pt->po, p);
        return;
    }
    pf->capture.len = 0;
    pf->capturing = pf->marks >= 0;
    oc_render_page(pt->r, p);
    pf->capturing = false;
    if (pf->capture.len > 0)
        oc_mend_premark(pf->capture.data, pf->capture.len, keep_marked, pf);
}

static void *
paint_pages(void *data)
{
    painter *pt = data;
    oc_diag *prev = oc_diag_enter(pt->diag);
    const oc_page *p;
    bool whole;

    while ((p = next_page(pt, &whole)) != NULL) {
        bool parked = !whole && oc_render_page_needs_pango(p) &&
                      park_layout(pt);

        paint_page(pt, p);
        if (parked)
            unpark_layout(pt);
        free((void *)p);
        pthread_mutex_lock(&pt->lock);
        pt->painted++;
        pthread_mutex_unlock(&pt->lock);
    }
    oc_diag_leave(prev);
    return NULL;
}

/* The layout is done (or failed): let the painter finish and join it.
 * Safe to call more than once. */
static void
stop_painter(painter *pt)
{
    pthread_mutex_lock(&pt->lock);
    pt->laid_out = true;
    pthread_cond_broadcast(&pt->more);
    pthread_cond_broadcast(&pt->turn);
    pthread_mutex_unlock(&pt->lock);
    if (pt->started) {
        pthread_join(pt->thread, NULL);
        pt->started = false;
    }
}

/* How many pages the painter is done with: the layout frees them. */
static size_t
pages_painted(void *data)
{
    painter *pt = data;
    size_t n;

    pthread_mutex_lock(&pt->lock);
    n = pt->painted;
    pthread_mutex_unlock(&pt->lock);
    return n;
}

/* The layout's sink: on the layout's thread. A NULL page ends the run. */
static void
give_page(const oc_pages *book, const oc_page *page, void *data)
{
    painter *pt = data;
    oc_page *copy;

    if (page == NULL) {
        stop_painter(pt);
        return;
    }
    if (pt->r == NULL && pt->po == NULL) {
        if (pt->own) {
            pt->po = oc_pdfout_new(to_pdf_file, pt->pdf, book->setup.width,
                                   book->setup.height, pt->info,
                                   pt->pdf->pictures);
            oc_pdfout_copy_with(pt->po, copy_range);
        }
        else
            pt->r = oc_render_new_pdf(to_file, pt->pdf, book->setup.width,
                                      book->setup.height, pt->info);
        if (pt->r != NULL && pt->pdf->pictures >= 0)
            oc_render_spool_pictures(pt->r, pt->pdf->pictures);
        pt->started = pthread_create(&pt->thread, NULL, paint_pages,
                                     pt) == 0;
    }
    oc_render_prepare_page(pt->r, page);    /* the fonts: either way */
    copy = oc_xmalloc(sizeof *copy);
    *copy = *page;
    pt->npages++;
    if (!pt->started) {                 /* no thread: paint it here */
        paint_page(pt, copy);
        free(copy);
        pt->painted++;
        return;
    }
    pthread_mutex_lock(&pt->lock);
    if (pt->tail == pt->cap) {          /* the painted ones out, or grow */
        size_t live = pt->tail - pt->head;

        if (live > 0)
            memmove(pt->queue, pt->queue + pt->head,
                    live * sizeof *pt->queue);
        pt->head = 0;
        pt->tail = live;
        if (2 * live >= pt->cap) {
            pt->cap = pt->cap ? 2 * pt->cap : 64;
            pt->queue = oc_xrealloc(pt->queue, pt->cap * sizeof *pt->queue);
        }
    }
    pt->queue[pt->tail++] = copy;
    pthread_cond_signal(&pt->more);
    pthread_mutex_unlock(&pt->lock);
    park_if_asked(pt);
}

static oc_status
write_pdf(const oc_book *b, const char *path, oc_error *err)
{
    oc_layout *lay = NULL;
    const oc_pages *bk;
    pdf_file pdf;
    oc_pdf_info info;
    oc_mend_options mo;
    painter pt;
    char date[32];
    char *authors = join_authors(b->m);
    char *subjects = join_subjects(b->m);
    oc_status st;

    iso_date(b->modified, date);
    memset(&info, 0, sizeof info);
    info.title = b->m->title;
    info.author = authors;
    info.subject = b->m->description;
    info.keywords = subjects;
    info.creator = "octavo " OC_VERSION;
    info.create_date = date;
    info.mod_date = date;
    memset(&pdf, 0, sizeof pdf);
    memset(&mo, 0, sizeof mo);
    if ((st = oc_outfile_open(&pdf.f, path, err)) != OC_OK) {
        free(authors);
        free(subjects);
        return st;
    }
    pdf.pictures = open_spool(&pdf.f, "pictures");
    pdf.marks = open_spool(&pdf.f, "marks");
    memset(&pt, 0, sizeof pt);
    pt.pdf = &pdf;
    pt.info = &info;
    pt.diag = b->diag;
    /* octavo writes the PDF itself; cairo's PDF surface and the mend
     * of what it writes stay, for now, with OCTAVO_PDF_WRITER=cairo. */
    pt.own = getenv("OCTAVO_PDF_WRITER") == NULL ||
             strcmp(getenv("OCTAVO_PDF_WRITER"), "cairo") != 0;
    pthread_mutex_init(&pt.lock, NULL);
    pthread_cond_init(&pt.more, NULL);
    pthread_cond_init(&pt.turn, NULL);
    st = oc_layout_book_to(b, NULL, give_page, pages_painted, &pt, &lay,
                           err);
    stop_painter(&pt);                  /* the layout stopped it already */
    if (st != OC_OK)
        goto out;
    assert(pt.r != NULL || pt.po != NULL);  /* a book has a title page */
    bk = oc_layout_pages(lay);
    if (pt.po != NULL) {
        char *lang = bk->setup.language ? oc_xstrdup(bk->setup.language)
                                        : NULL;
        oc_pdfout_book ob = {
            lang, b->m->title, bk->nfront, bk->front_labels, bk->body_labels
        };

        /* The layout goes before the end of the file is written, which
         * needs none of it but the outline, written first. */
        st = oc_pdfout_end_pages(pt.po, bk->outline, bk->noutline,
                                 bk->toc_depth, err);
        oc_layout_free(lay);
        lay = NULL;
        malloc_trim(0);
        if (st == OC_OK)
            st = oc_pdfout_finish(pt.po, &ob, err);
        free(lang);
        if (st == OC_OK && !flush_chunk(&pdf))
            st = write_failed(&pdf, err);
        if (st == OC_OK)
            st = oc_outfile_commit(&pdf.f, err);
        if (st == OC_OK)
            *b->npages = oc_pdfout_npages(pt.po);
        goto out;
    }
    oc_render_outline(pt.r, bk->outline, bk->noutline, bk->toc_depth);
    if ((st = oc_render_finish(pt.r, err)) != OC_OK) {
        if (pdf.err.code != OC_OK && err != NULL) {
            *err = pdf.err;         /* why cairo could not write */
            st = pdf.err.code;
        }
        goto out;
    }
    oc_render_structure(pt.r, &mo.structure);
    oc_render_pictures(pt.r, &mo.pictures);
    mo.premarked = (oc_mend_premarked){ pdf.marked, pdf.nmarked, pdf.marks };
    mo.title = b->m->title;
    mo.lang = bk->setup.language;           /* the manifest's, or static */
    mo.npages = pt.npages;
    mo.nfront = bk->nfront;
    mo.front_style = bk->front_labels;
    mo.body_style = bk->body_labels;
    mo.let_go = let_go;
    mo.copy = copy_range;
    oc_layout_free(lay);            /* before the PDF is read back */
    lay = NULL;
    malloc_trim(0);                 /* and its memory given back */
    if ((st = mend_file(&pdf, &mo, err)) != OC_OK)
        goto out;
    st = oc_outfile_commit(&pdf.f, err);
    if (st == OC_OK)
        *b->npages = pt.npages;
out:
    oc_render_free(pt.r);
    oc_pdfout_free(pt.po);
    for (size_t i = pt.head; i < pt.tail; i++)
        free((void *)pt.queue[i]);
    free(pt.queue);
    pthread_mutex_destroy(&pt.lock);
    pthread_cond_destroy(&pt.more);
    pthread_cond_destroy(&pt.turn);
    oc_layout_free(lay);
    if (st != OC_OK)
        oc_outfile_abort(&pdf.f);
    oc_buf_free(&pdf.chunk);
    if (pdf.pictures >= 0)
        close(pdf.pictures);
    if (pdf.marks >= 0)
        close(pdf.marks);
    oc_buf_free(&pdf.capture);
    free(pdf.marked);
    free(authors);
    free(subjects);
    return st;
}

/* Parse a page list "1-3,7" against a book of 'n' pages into want[]. */
static oc_status
parse_pages(const char *list, size_t n, bool *want, oc_error *err)
{
    const char *p = list;

    if (list == NULL || *list == '\0') {
        for (size_t i = 0; i < n && i < 4; i++)
            want[i] = true;
        return OC_OK;
    }
    while (*p != '\0') {
        const char *last = p;       /* the last page as written */
        char *end;
        long a, b;

        if (*p < '0' || *p > '9')
            goto bad;
        a = strtol(p, &end, 10);
        b = a;
        if (*end == '-') {
            p = last = end + 1;
            if (*p < '0' || *p > '9')
                goto bad;
            b = strtol(p, &end, 10);
        }
        if (a < 1 || b < a)
            goto bad;
        if ((size_t)b > n)          /* strtol made 99999999999999999999
                                       LONG_MAX: say what was asked */
            return oc_error_set(err, OC_ERR_USAGE, NULL, 0, 0,
                                "page %.*s is beyond the book's %zu pages",
                                (int)(end - last), last, n);
        for (long k = a; k <= b; k++)
            want[k - 1] = true;
        p = end;
        if (*p == ',')
            p++;
        else if (*p != '\0')
            goto bad;
    }
    return OC_OK;
bad:
    return oc_error_set(err, OC_ERR_USAGE, NULL, 0, 0,
                        "bad page list '%s' (expected e.g. 1-3,7)", list);
}

oc_status
oc_book_write_pdf(const oc_book *b, const char *path, oc_error *err)
{
    oc_diag *prev = oc_book_enter(b);
    oc_status st = write_pdf(b, path, err);

    oc_diag_leave(prev);
    return st;
}

static oc_status
preview(const oc_book *b, const char *dir, const char *pages, double dpi,
        oc_error *err)
{
    oc_layout *lay = NULL;
    const oc_pages *bk;
    bool *want = NULL;
    oc_status st;

    if (dpi == 0)
        dpi = 100;
    if (!(dpi >= 1 && dpi <= 600))
        return oc_error_set(err, OC_ERR_USAGE, NULL, 0, 0,
                            "resolution %g dpi is out of range (1 to 600)",
                            dpi);
    if ((st = oc_layout_book(b, NULL, &lay, err)) != OC_OK)
        return st;
    bk = oc_layout_pages(lay);
    want = oc_xcalloc(bk->npages + 1, sizeof *want);
    if ((st = parse_pages(pages, bk->npages, want, err)) != OC_OK)
        goto out;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        st = oc_error_set(err, OC_ERR_IO, dir, 0, 0, "cannot create: %s",
                          strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < bk->npages && st == OC_OK; i++) {
        oc_buf png = { 0 }, path = { 0 };

        if (!want[i])
            continue;
        oc_buf_printf(&path, "%s/page-%03zu.png", dir, i + 1);
        st = oc_render_page_png(&bk->pages[i], bk->setup.width,
                                bk->setup.height, dpi, &png, err);
        if (st == OC_OK)
            st = oc_write_file_atomic(path.data, png.data, png.len, err);
        oc_buf_free(&png);
        oc_buf_free(&path);
    }
out:
    free(want);
    oc_layout_free(lay);
    return st;
}

oc_status
oc_book_preview(const oc_book *b, const char *dir, const char *pages,
                double dpi, oc_error *err)
{
    oc_diag *prev = oc_book_enter(b);
    oc_status st = preview(b, dir, pages, dpi, err);

    oc_diag_leave(prev);
    return st;
}
