/* pdf.c - the PDF back end: lay the book out and paint it into memory
 * with cairo, each page on a second thread as soon as the layout has made
 * it final (the body first, then the front matter); mend what cairo 1.16
 * gets wrong with an incremental update (ISO 32000-1 §7.5.6), the page
 * order among it; and write the file atomically. Or paint chosen pages
 * of the same layout as PNG previews. */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <glib.h>
#include <pthread.h>

#include "book.h"
#include "buf.h"
#include "error.h"
#include "layout.h"
#include "octavo.h"
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

static const char *
find_mem(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);

    if (n == 0 || len < n)
        return NULL;
    for (size_t i = 0; i + n <= len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

static const char *
rfind_mem(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);

    if (n == 0 || len < n)
        return NULL;
    for (size_t i = len - n + 1; i-- > 0;)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* The body of indirect object 'num' (between "obj" and "endobj") if the
 * cross-reference offset really points at it. */
static bool
object_at(const oc_buf *pdf, size_t off, long num, const char **body,
          size_t *len)
{
    char head[32];
    int n = snprintf(head, sizeof head, "%ld 0 obj", num);
    const char *end;

    if (off + (size_t)n > pdf->len ||
        memcmp(pdf->data + off, head, (size_t)n) != 0)
        return false;
    *body = pdf->data + off + n;
    end = find_mem(*body, pdf->len - off - (size_t)n, "endobj");
    if (end == NULL)
        return false;
    *len = (size_t)(end - *body);
    return true;
}

typedef struct patch {
    long   num;
    size_t off;
} patch;

static bool
lang_ok(const char *lang)
{
    if (lang == NULL || *lang == '\0' || strlen(lang) > 35)
        return false;
    for (const char *p = lang; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return true;
}

/* The page tree of cairo 1.16, one /Pages object whose /Kids are the
 * 'npages' pages in the order painted: its last 'nfront' put first, as
 * a new version of it in 'add' (at 'pdf->len + add->len'), noted in
 * *pt. Returns 1, or 0 (nothing added) for a tree of another shape. */
static size_t
reorder_pages(const oc_buf *pdf, const size_t *offs, long size, long root,
              size_t nfront, size_t npages, patch *pt, oc_buf *add)
{
    const char *body, *p, *kids, *close;
    size_t blen, n = 0;
    long pages;
    long *refs;

    if (!object_at(pdf, offs[root], root, &body, &blen) ||
        (p = find_mem(body, blen, "/Pages ")) == NULL)
        return 0;
    pages = strtol(p + 7, NULL, 10);
    if (pages <= 0 || pages >= size || offs[pages] == 0 ||
        !object_at(pdf, offs[pages], pages, &body, &blen) ||
        (kids = find_mem(body, blen, "/Kids [")) == NULL)
        return 0;
    kids += 7;
    close = memchr(kids, ']', blen - (size_t)(kids - body));
    if (close == NULL)
        return 0;
    refs = oc_xcalloc(npages, sizeof *refs);
    for (p = kids; n <= npages; p++) {
        char *end;
        long num, gen;

        while (p < close && (*p == ' ' || *p == '\n' || *p == '\r'))
            p++;
        if (p == close)
            break;
        num = strtol(p, &end, 10);
        gen = strtol(end, &end, 10);
        while (end < close && *end == ' ')
            end++;
        if (num <= 0 || gen != 0 || end == close || *end != 'R')
            break;
        if (n < npages)
            refs[n] = num;
        n++;
        p = end;
    }
    if (n != npages || p != close) {
        free(refs);
        return 0;
    }
    pt->num = pages;
    pt->off = pdf->len + add->len;
    oc_buf_printf(add, "%ld 0 obj", pages);
    oc_buf_put(add, body, (size_t)(kids - body));
    for (size_t k = 0; k < npages; k++)
        oc_buf_printf(add, "%ld 0 R ",
                      refs[(k + npages - nfront) % npages]);
    oc_buf_put(add, close, blen - (size_t)(close - body));
    oc_buf_puts(add, "endobj\n");
    free(refs);
    return 1;
}

/* Append an incremental update that mends a cairo 1.16 PDF:
 *  - link annotations get /StructParent entries whose structure elements
 *    are never written, leaving cross-reference entries that point at the
 *    wrong object; they are written as null objects;
 *  - dates given to cairo_pdf_surface_set_metadata lose the "D:" prefix
 *    that §7.9.4 requires;
 *  - the catalog has no /Lang (§14.9.2.1), and the outline and document
 *    title are not shown on opening (§12.2);
 *  - the pages were painted body first: of the 'npages' in the page
 *    tree, the last 'nfront' (the front matter) are moved to its head;
 *  - cairo cannot write page labels (§12.4.2): the first 'nfront' pages
 *    are numbered from 1 in label style 'front_style' ('r': i, ii...)
 *    and the rest from 1 in 'body_style' ('D': 1, 2...), as their folios
 *    are printed.
 * A file that does not look like what cairo 1.16 writes (a classic
 * cross-reference table) is left alone. Returns whether the pages are in
 * reading order: false when they had to be moved and could not be. */
static bool
mend_pdf(oc_buf *pdf, const char *lang, size_t nfront, size_t npages,
         char front_style, char body_style)
{
    const char *sx, *xref, *trailer, *p, *body;
    long size, root, info = -1, prev;
    size_t *offs = NULL, blen;
    patch *patches = NULL;
    size_t np = 0;
    bool ordered = nfront == 0 || nfront >= npages;
    oc_buf add = { 0 };
    char *endp;

    sx = rfind_mem(pdf->data, pdf->len, "startxref");
    if (sx == NULL)
        return false;
    prev = strtol(sx + 9, &endp, 10);
    if (prev <= 0 || (size_t)prev >= pdf->len)
        return false;
    xref = pdf->data + prev;
    trailer = find_mem(xref, pdf->len - (size_t)prev, "trailer");
    if (strncmp(xref, "xref", 4) != 0 || trailer == NULL)
        return false;
    if ((p = find_mem(trailer, (size_t)(sx - trailer), "/Size")) == NULL)
        return false;
    size = strtol(p + 5, NULL, 10);
    if ((p = find_mem(trailer, (size_t)(sx - trailer), "/Root")) == NULL)
        return false;
    root = strtol(p + 5, NULL, 10);
    if ((p = find_mem(trailer, (size_t)(sx - trailer), "/Info")) != NULL)
        info = strtol(p + 5, NULL, 10);
    if (size <= 0 || size > 10000000 || root <= 0 || root >= size)
        return false;

    /* Read the table's subsections of 20-byte entries. */
    offs = oc_xcalloc((size_t)size, sizeof *offs);
    p = xref + 4;
    while (p < trailer) {
        long first, count;

        while (p < trailer && (*p == '\n' || *p == '\r' || *p == ' '))
            p++;
        if (p >= trailer)
            break;
        first = strtol(p, &endp, 10);
        count = strtol(endp, &endp, 10);
        p = endp;
        while (p < trailer && (*p == '\n' || *p == '\r' || *p == ' '))
            p++;
        if (first < 0 || count < 0 || first + count > size ||
            p + 20 * count > trailer)
            goto out;
        for (long k = 0; k < count; k++, p += 20)
            if (p[17] == 'n')
                offs[first + k] = (size_t)strtoull(p, NULL, 10);
    }

    patches = oc_xcalloc((size_t)size + 2, sizeof *patches);
    add.len = 0;
    for (long k = 1; k < size; k++) {
        if (offs[k] == 0 || object_at(pdf, offs[k], k, &body, &blen))
            continue;
        patches[np].num = k;
        patches[np++].off = pdf->len + add.len;
        oc_buf_printf(&add, "%ld 0 obj\nnull\nendobj\n", k);
    }
    if (info > 0 && info < size &&
        object_at(pdf, offs[info], info, &body, &blen)) {
        const char *c = find_mem(body, blen, "/CreationDate (");
        const char *m = find_mem(body, blen, "/ModDate (");
        size_t none = (size_t)-1;
        size_t ci = c != NULL && c[15] != 'D' ? (size_t)(c - body) + 15
                                              : none;
        size_t mi = m != NULL && m[10] != 'D' ? (size_t)(m - body) + 10
                                              : none;

        if (ci != none || mi != none) {
            patches[np].num = info;
            patches[np++].off = pdf->len + add.len;
            oc_buf_printf(&add, "%ld 0 obj", info);
            for (size_t q = 0; q < blen; q++) {
                if (q == ci || q == mi)
                    oc_buf_puts(&add, "D:");
                oc_buf_put(&add, body + q, 1);
            }
            oc_buf_puts(&add, "endobj\n");
        }
    }
    if (object_at(pdf, offs[root], root, &body, &blen)) {
        const char *close = rfind_mem(body, blen, ">>");

        if (close != NULL && find_mem(body, blen, "/Lang") == NULL) {
            patches[np].num = root;
            patches[np++].off = pdf->len + add.len;
            oc_buf_printf(&add, "%ld 0 obj", root);
            oc_buf_put(&add, body, (size_t)(close - body));
            if (lang_ok(lang))
                oc_buf_printf(&add, "   /Lang (%s)\n", lang);
            if (find_mem(body, blen, "/Outlines") != NULL &&
                find_mem(body, blen, "/PageMode") == NULL)
                oc_buf_puts(&add, "   /PageMode /UseOutlines\n");
            if (find_mem(body, blen, "/ViewerPreferences") == NULL)
                oc_buf_puts(&add, "   /ViewerPreferences "
                                  "<< /DisplayDocTitle true >>\n");
            if (find_mem(body, blen, "/PageLabels") == NULL) {
                oc_buf_puts(&add, "   /PageLabels << /Nums [");
                if (nfront > 0)
                    oc_buf_printf(&add, "0 << /S /%c >> ", front_style);
                oc_buf_printf(&add, "%zu << /S /%c >>] >>\n", nfront,
                              body_style);
            }
            oc_buf_put(&add, close, blen - (size_t)(close - body));
            oc_buf_puts(&add, "endobj\n");
        }
    }
    if (!ordered && reorder_pages(pdf, offs, size, root, nfront, npages,
                                  &patches[np], &add)) {
        np++;
        ordered = true;
    }
    if (np == 0)
        goto out;

    /* Entries sorted by object number, one subsection each. */
    for (size_t a = 1; a < np; a++)
        for (size_t b = a; b > 0 && patches[b - 1].num > patches[b].num;
             b--) {
            patch t = patches[b];

            patches[b] = patches[b - 1];
            patches[b - 1] = t;
        }
    {
        size_t xoff = pdf->len + add.len;

        oc_buf_puts(&add, "xref\n");
        for (size_t a = 0; a < np; a++)
            oc_buf_printf(&add, "%ld 1\n%010zu 00000 n \n", patches[a].num,
                          patches[a].off);
        oc_buf_printf(&add, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n",
                      size, root);
        if (info > 0)
            oc_buf_printf(&add, "   /Info %ld 0 R\n", info);
        oc_buf_printf(&add, "   /Prev %ld\n>>\nstartxref\n%zu\n%%%%EOF\n",
                      prev, xoff);
    }
    oc_buf_put(pdf, add.data, add.len);
out:
    oc_buf_free(&add);
    free(patches);
    free(offs);
    return ordered;
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
 * calls into them and render.c for each line it draws. Pages that Pango
 * must draw itself wait until the layout is done. The layout
 * ends every run, on error too, by calling the sink with no page; the
 * painter is joined there, before the layout frees anything it may
 * read. */
typedef struct painter {
    pthread_mutex_t    lock;
    pthread_cond_t     more;        /* a page was queued, or the end */
    const oc_page    **queue;       /* copies of the pages, in order */
    size_t             head, tail, cap;
    bool               laid_out;    /* no more pages will come */
    bool               started;
    pthread_t          thread;
    oc_render         *r;           /* made with the first page */
    oc_buf            *pdf;
    const oc_pdf_info *info;
    size_t             npages;      /* given so far */
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
    *whole = pt->laid_out;
    pthread_mutex_unlock(&pt->lock);
    return p;
}

/* Block until the layout is over. */
static void
wait_laid_out(painter *pt)
{
    pthread_mutex_lock(&pt->lock);
    while (!pt->laid_out)
        pthread_cond_wait(&pt->more, &pt->lock);
    pthread_mutex_unlock(&pt->lock);
}

static void *
paint_pages(void *data)
{
    painter *pt = data;
    const oc_page *p;
    bool whole;

    while ((p = next_page(pt, &whole)) != NULL) {
        if (!whole && oc_render_page_needs_pango(p))
            wait_laid_out(pt);
        oc_render_page(pt->r, p);
        free((void *)p);
    }
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
    pthread_mutex_unlock(&pt->lock);
    if (pt->started) {
        pthread_join(pt->thread, NULL);
        pt->started = false;
    }
}

/* The layout's sink: on the layout's thread. A NULL page ends the run. */
static void
give_page(const oc_layout *l, const oc_page *page, void *data)
{
    painter *pt = data;
    oc_page *copy;

    if (page == NULL) {
        stop_painter(pt);
        return;
    }
    if (pt->r == NULL) {
        pt->r = oc_render_new_pdf(pt->pdf, l->setup.width, l->setup.height,
                                  pt->info);
        pt->started = pthread_create(&pt->thread, NULL, paint_pages,
                                     pt) == 0;
    }
    oc_render_prepare_page(page);
    copy = oc_xmalloc(sizeof *copy);
    *copy = *page;
    pt->npages++;
    if (!pt->started) {                 /* no thread: paint it here */
        oc_render_page(pt->r, copy);
        free(copy);
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
}

oc_status
oc_book_write_pdf(const oc_book *b, const char *path, oc_error *err)
{
    oc_layout *lay = NULL;
    oc_buf pdf = { 0 };
    oc_pdf_info info;
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
    memset(&pt, 0, sizeof pt);
    pt.pdf = &pdf;
    pt.info = &info;
    pthread_mutex_init(&pt.lock, NULL);
    pthread_cond_init(&pt.more, NULL);
    st = oc_layout_book_to(b, NULL, give_page, &pt, &lay, err);
    stop_painter(&pt);                  /* the layout stopped it already */
    if (st != OC_OK)
        goto out;
    assert(pt.r != NULL);               /* a book has a title page */
    oc_render_outline(pt.r, lay->outline, lay->noutline, lay->toc_depth);
    if ((st = oc_render_finish(pt.r, err)) != OC_OK)
        goto out;
    if (!mend_pdf(&pdf, lay->setup.language, lay->nfront, pt.npages,
                  lay->front_labels, lay->body_labels)) {
        st = oc_error_set(err, OC_ERR_LIB, path, 0, 0,
                          "cannot put the front matter first: cairo wrote "
                          "a page tree of an unknown shape");
        goto out;
    }
    st = oc_write_file_atomic(path, pdf.data, pdf.len, err);
out:
    oc_render_free(pt.r);
    for (size_t i = pt.head; i < pt.tail; i++)
        free((void *)pt.queue[i]);
    free(pt.queue);
    pthread_mutex_destroy(&pt.lock);
    pthread_cond_destroy(&pt.more);
    oc_layout_free(lay);
    oc_buf_free(&pdf);
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
        char *end;
        long a, b;

        if (*p < '0' || *p > '9')
            goto bad;
        a = strtol(p, &end, 10);
        b = a;
        if (*end == '-') {
            p = end + 1;
            if (*p < '0' || *p > '9')
                goto bad;
            b = strtol(p, &end, 10);
        }
        if (a < 1 || b < a)
            goto bad;
        if ((size_t)b > n)
            return oc_error_set(err, OC_ERR_USAGE, NULL, 0, 0,
                                "page %ld is beyond the book's %zu pages",
                                b, n);
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
oc_book_preview(const oc_book *b, const char *dir, const char *pages,
                double dpi, oc_error *err)
{
    oc_layout *lay = NULL;
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
    want = oc_xcalloc(lay->npages + 1, sizeof *want);
    if ((st = parse_pages(pages, lay->npages, want, err)) != OC_OK)
        goto out;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        st = oc_error_set(err, OC_ERR_IO, dir, 0, 0, "cannot create: %s",
                          strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < lay->npages && st == OC_OK; i++) {
        oc_buf png = { 0 };
        char *path;

        if (!want[i])
            continue;
        path = oc_arena_printf(lay->arena, "%s/page-%03zu.png", dir, i + 1);
        st = oc_render_page_png(&lay->pages[i], lay->setup.width,
                                lay->setup.height, dpi, &png, err);
        if (st == OC_OK)
            st = oc_write_file_atomic(path, png.data, png.len, err);
        oc_buf_free(&png);
    }
out:
    free(want);
    oc_layout_free(lay);
    return st;
}
