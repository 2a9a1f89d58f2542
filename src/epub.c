/* epub.c - EPUB 3.3 (OCF, Packages, Content Documents) through libzip;
 * package, nav and NCX are built node by node with libxml2. The same book
 * and SOURCE_DATE_EPOCH give the same bytes: fixed entry order, fixed
 * entry times, no clock. */
#include "book.h"

#include <errno.h>
#include <libdeflate.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "buf.h"
#include "cover.h"
#include "dynlib.h"
#include "error.h"
#include "labels.h"
#include "pagelist.h"
#include "xhtml.h"

/* libzip, opened the first time a book is written as an EPUB (dynlib.h):
 * a PDF build never maps it, nor libcrypto, which it links for
 * encryption octavo does not use (1.5 MB of a build's memory). */
#define ZIP_SONAME "libzip.so.4"    /* Debian's libzip4, with libzip-dev */

static struct {
    __typeof__(&zip_strerror)                    strerror;
    __typeof__(&zip_file_add)                    file_add;
    __typeof__(&zip_source_free)                 source_free;
    __typeof__(&zip_set_file_compression)        set_file_compression;
    __typeof__(&zip_file_set_mtime)              file_set_mtime;
    __typeof__(&zip_stat_init)                   stat_init;
    __typeof__(&zip_error_to_data)               error_to_data;
    __typeof__(&zip_source_make_command_bitmap)  source_make_command_bitmap;
    __typeof__(&zip_source_buffer)               source_buffer;
    __typeof__(&zip_source_function)             source_function;
    __typeof__(&zip_source_file)                 source_file;
    __typeof__(&zip_error_set)                   error_set;
    __typeof__(&zip_error_init)                  error_init;
    __typeof__(&zip_source_function_create)      source_function_create;
    __typeof__(&zip_open_from_source)            open_from_source;
    __typeof__(&zip_error_strerror)              error_strerror;
    __typeof__(&zip_discard)                     discard;
    __typeof__(&zip_close)                       close;
    __typeof__(&zip_error_fini)                  error_fini;
    const char *error;      /* why it could not be opened, or NULL */
} lz;
static pthread_once_t lz_opened = PTHREAD_ONCE_INIT;

#define LZ_SYMBOL(f) \
    (*(void **)&lz.f = oc_dynlib_symbol(lib, "zip_" #f, &why))

static void
open_libzip(void)
{
    const char *why = NULL;
    void *lib = oc_dynlib_open(ZIP_SONAME, &why);

    if (lib == NULL) {
        lz.error = "libzip (" ZIP_SONAME ") cannot be opened";
        return;
    }
    LZ_SYMBOL(strerror);
    LZ_SYMBOL(file_add);
    LZ_SYMBOL(source_free);
    LZ_SYMBOL(set_file_compression);
    LZ_SYMBOL(file_set_mtime);
    LZ_SYMBOL(stat_init);
    LZ_SYMBOL(error_to_data);
    LZ_SYMBOL(source_make_command_bitmap);
    LZ_SYMBOL(source_buffer);
    LZ_SYMBOL(source_function);
    LZ_SYMBOL(source_file);
    LZ_SYMBOL(error_set);
    LZ_SYMBOL(error_init);
    LZ_SYMBOL(source_function_create);
    LZ_SYMBOL(open_from_source);
    LZ_SYMBOL(error_strerror);
    LZ_SYMBOL(discard);
    LZ_SYMBOL(close);
    LZ_SYMBOL(error_fini);
    if (why != NULL)
        lz.error = "libzip lacks a function octavo needs";
}

/* One entry of the table of contents: depth 1.. (each entry at most one
 * deeper than the one before), link target and text; borrowed strings. */
typedef struct oc_toc_entry {
    int         depth;
    const char *chapter_href;
    const char *id;             /* NULL for the chapter's start */
    const char *text;
} oc_toc_entry;

#define OPF_NS "http://www.idpf.org/2007/opf"
#define DC_NS  "http://purl.org/dc/elements/1.1/"
#define NCX_NS "http://www.daisy.org/z3986/2005/ncx/"
#define PKG_DIR "EPUB/"

typedef struct writer {
    const oc_book *b;
    oc_arena      *a;        /* the book's arena: zip reads it at close */
    zip_t         *za;
    const char    *path;
    oc_error      *err;
    const oc_pagelist *pl;   /* the print edition's pages, or NULL */
    oc_buf         scratch;  /* what add_bytes deflates into */
    struct packer *pk;       /* deflates the documents meanwhile */
} writer;

struct oc_zip_ahead {
    pthread_t thread;
};

static void *
zip_ahead(void *arg)
{
    (void)arg;
    pthread_once(&lz_opened, open_libzip);
    return NULL;
}

oc_zip_ahead *
oc_zip_ahead_start(void)
{
    oc_zip_ahead *z = oc_xmalloc(sizeof *z);

    if (pthread_create(&z->thread, NULL, zip_ahead, NULL) != 0) {
        free(z);
        return NULL;
    }
    return z;
}

void
oc_zip_ahead_end(oc_zip_ahead *z)
{
    if (z == NULL)
        return;
    pthread_join(z->thread, NULL);
    free(z);
}

/* A word octavo writes itself, in the book's language (labels.h). */
static const char *
label(const writer *w, oc_label_id id)
{
    return oc_label(w->b->m->labels, w->b->m->language, id);
}

/* "YYYY-MM-DDThh:mm:ssZ" for t, UTC, into out[21]. */
static void
format_utc(time_t t, char out[21])
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static oc_status
zip_fail(writer *w, const char *what)
{
    return oc_error_set(w->err, OC_ERR_LIB, w->path, 0, 0, "%s: %s", what,
                        lz.strerror(w->za));
}

/* Add 'src' (ours until added) as entry 'name', stored or deflated. */
static oc_status
add_source(writer *w, const char *name, zip_source_t *src, int store)
{
    zip_int64_t idx;

    if (src == NULL)
        return zip_fail(w, name);
    if ((idx = lz.file_add(w->za, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
        lz.source_free(src);          /* still ours after a failed add */
        return zip_fail(w, name);
    }
    if (lz.set_file_compression(w->za, (zip_uint64_t)idx,
                                 store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                 store ? 0 : 6) < 0 ||
        lz.file_set_mtime(w->za, (zip_uint64_t)idx, w->b->modified, 0) < 0)
        return zip_fail(w, name);
    return OC_OK;
}

/* An entry deflated before it is added: libzip copies data whose stat
 * names its method, sizes and CRC as it is (zip_close's add_data), so
 * the archive is written without zlib, by libdeflate's faster deflate. */
typedef struct deflated {
    const unsigned char *data;    /* raw deflate, in the book's arena or
                                     (packed) the packer's */
    size_t               len, size, at;
    uint32_t             crc;
    struct packer       *pk;      /* packing it, or NULL: ready */
    bool                 ready;   /* packed (atomic) */
    struct deflated     *next;    /* the packer's, to free */
} deflated;

/* The chapters serialized and deflated on threads of their own, in
 * parallel: most of an EPUB's making is the two. At most PACK_QUEUE
 * wait, so that a long book's chapters read again (book.h) are not all
 * in memory at once. */
enum { PACK_QUEUE = 2, PACK_THREADS = 2 };

typedef struct pack_job {
    struct pack_job *next;
    deflated        *d;
    xmlDocPtr        doc;
    bool             owned;       /* doc freed once serialized */
} pack_job;

typedef struct packer {
    pthread_mutex_t lock;
    pthread_cond_t  cv;           /* a job queued, taken or done */
    pack_job       *head, *tail;
    size_t          queued;
    bool            closing;
    pthread_t       threads[PACK_THREADS];
    size_t          nthreads;
    deflated       *packed;       /* every entry given it */
} packer;

static void *
pack_jobs(void *arg)
{
    packer *pk = arg;
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(4);
    oc_buf scratch = {0};

    if (z == NULL)
        oc_out_of_memory(sizeof z);
    pthread_mutex_lock(&pk->lock);
    for (;;) {
        pack_job *j;
        unsigned char *out;
        xmlChar *plain;
        size_t bound, n, len;
        uint32_t crc;

        while (pk->head == NULL && !pk->closing)
            pthread_cond_wait(&pk->cv, &pk->lock);
        if ((j = pk->head) == NULL)
            break;
        pk->head = j->next;
        if (pk->head == NULL)
            pk->tail = NULL;
        pk->queued--;
        pthread_cond_broadcast(&pk->cv);
        pthread_mutex_unlock(&pk->lock);
        plain = oc_xhtml_serialize_text(j->doc, &len);
        if (j->owned)
            xmlFreeDoc(j->doc);
        bound = libdeflate_deflate_compress_bound(z, len);
        oc_buf_reserve(&scratch, bound);
        n = libdeflate_deflate_compress(z, plain, len, scratch.data, bound);
        out = memcpy(oc_xmalloc(n ? n : 1), scratch.data, n);
        crc = (uint32_t)libdeflate_crc32(0, plain, len);
        xmlFree(plain);
        pthread_mutex_lock(&pk->lock);
        j->d->data = out;
        j->d->len = n;
        j->d->size = len;
        j->d->crc = crc;
        __atomic_store_n(&j->d->ready, true, __ATOMIC_RELEASE);
        pthread_cond_broadcast(&pk->cv);
        free(j);
    }
    pthread_mutex_unlock(&pk->lock);
    libdeflate_free_compressor(z);
    oc_buf_free(&scratch);
    return NULL;
}

/* A packer started, or NULL if no thread could be. */
static packer *
packer_start(void)
{
    packer *pk = oc_xcalloc(1, sizeof *pk);

    pthread_mutex_init(&pk->lock, NULL);
    pthread_cond_init(&pk->cv, NULL);
    while (pk->nthreads < PACK_THREADS &&
           pthread_create(&pk->threads[pk->nthreads], NULL, pack_jobs,
                          pk) == 0)
        pk->nthreads++;
    if (pk->nthreads == 0) {
        pthread_mutex_destroy(&pk->lock);
        pthread_cond_destroy(&pk->cv);
        free(pk);
        return NULL;
    }
    return pk;
}

/* Document 'doc' serialized and deflated into 'd' on a packer's thread,
 * and freed there when 'owned'. */
static void
pack(packer *pk, deflated *d, xmlDocPtr doc, bool owned)
{
    pack_job *j = oc_xcalloc(1, sizeof *j);

    *d = (deflated){ NULL, 0, 0, 0, 0, pk, false, NULL };
    j->d = d;
    j->doc = doc;
    j->owned = owned;
    pthread_mutex_lock(&pk->lock);
    while (pk->queued >= PACK_QUEUE)
        pthread_cond_wait(&pk->cv, &pk->lock);
    d->next = pk->packed;
    pk->packed = d;
    if (pk->tail != NULL)
        pk->tail->next = j;
    else
        pk->head = j;
    pk->tail = j;
    pk->queued++;
    pthread_cond_broadcast(&pk->cv);
    pthread_mutex_unlock(&pk->lock);
}

/* Wait until 'd' is packed. */
static void
packed(deflated *d)
{
    if (d->pk == NULL || __atomic_load_n(&d->ready, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&d->pk->lock);
    while (!d->ready)
        pthread_cond_wait(&d->pk->cv, &d->pk->lock);
    pthread_mutex_unlock(&d->pk->lock);
}

/* The packer's work done, its thread ended, what it packed freed. */
static void
packer_stop(packer *pk)
{
    if (pk == NULL)
        return;
    pthread_mutex_lock(&pk->lock);
    pk->closing = true;
    pthread_cond_broadcast(&pk->cv);
    pthread_mutex_unlock(&pk->lock);
    for (size_t k = 0; k < pk->nthreads; k++)
        pthread_join(pk->threads[k], NULL);
    for (deflated *d = pk->packed, *next; d != NULL; d = next) {
        next = d->next;
        free((void *)d->data);
    }
    pthread_mutex_destroy(&pk->lock);
    pthread_cond_destroy(&pk->cv);
    free(pk);
}

static zip_int64_t
deflated_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    deflated *d = ud;

    if (cmd == ZIP_SOURCE_OPEN || cmd == ZIP_SOURCE_READ ||
        cmd == ZIP_SOURCE_STAT)
        packed(d);
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        d->at = 0;
        return 0;
    case ZIP_SOURCE_READ:
        if (len > d->len - d->at)
            len = d->len - d->at;
        memcpy(data, d->data + d->at, len);
        d->at += len;
        return (zip_int64_t)len;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;

        lz.stat_init(st);
        st->size = d->size;
        st->comp_size = d->len;
        st->comp_method = ZIP_CM_DEFLATE;
        st->crc = d->crc;
        st->encryption_method = ZIP_EM_NONE;
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
                    ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
                    ZIP_STAT_ENCRYPTION_METHOD;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return lz.error_to_data(NULL, data, len);
    case ZIP_SOURCE_SUPPORTS:
        return lz.source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:                /* CLOSE; FREE: the arena holds it all */
        return 0;
    }
}

/* Entry 'name' holds 'len' bytes of 'data', stored when 'store' (or
 * when deflate would not make them smaller), else deflated now. 'data'
 * must live until zip_close when 'lives' (arena or static memory), and
 * is copied when it has to be kept and does not. */
static oc_status
add_bytes(writer *w, const char *name, const void *data, size_t len,
          int store, int lives)
{
    deflated *d;
    size_t n = 0;

    if (!store) {
        size_t bound;

        /* Level 4: a book's chapters 2 % larger than at level 6, in
         * half the time. The compressor (650 KB) is not kept: the
         * packer's thread has its own. */
        struct libdeflate_compressor *z = libdeflate_alloc_compressor(4);

        if (z == NULL)
            oc_out_of_memory(sizeof *w);
        bound = libdeflate_deflate_compress_bound(z, len);
        oc_buf_reserve(&w->scratch, bound);
        n = libdeflate_deflate_compress(z, data, len, w->scratch.data, bound);
        libdeflate_free_compressor(z);
    }
    if (store || n == 0 || n >= len) {
        if (!lives) {
            void *copy = oc_arena_alloc(w->a, len ? len : 1);

            data = memcpy(copy, data, len);
        }
        return add_source(w, name,
                          lz.source_buffer(w->za, data, len, 0), 1);
    }
    d = oc_arena_alloc(w->a, sizeof *d);
    *d = (deflated){memcpy(oc_arena_alloc(w->a, n), w->scratch.data, n), n,
                    len, 0, (uint32_t)libdeflate_crc32(0, data, len), NULL,
                    true, NULL};
    return add_source(w, name, lz.source_function(w->za, deflated_cb, d),
                      0);
}

/* 'data' must live until zip_close: it is the book's arena memory. */
static oc_status
add_entry(writer *w, const char *name, const void *data, size_t len,
          int store)
{
    return add_bytes(w, name, data, len, store, 1);
}

/* An image whose bytes the book does not keep: libzip reads them from
 * its file when the archive is written (stored: PNG is compressed). */
static oc_status
add_file_entry(writer *w, const char *name, const oc_resource *r)
{
    return add_source(w, name, lz.source_file(w->za, r->src, 0,
                                               (zip_int64_t)r->len), 1);
}

static oc_status
add_doc(writer *w, const char *name, xmlDocPtr doc)
{
    size_t len;
    xmlChar *data = oc_xhtml_serialize_text(doc, &len);
    oc_status st = add_bytes(w, name, data, len, 0, 0);

    xmlFree(data);
    return st;
}

/* A chapter's document added as entry 'name', serialized and deflated
 * on the packer's threads (freed there when 'owned'), or at once when
 * none could be started. */
static oc_status
add_chapter(writer *w, const char *name, xmlDocPtr doc, bool owned)
{
    deflated *d;
    oc_status st;

    if (w->pk == NULL)
        w->pk = packer_start();
    if (w->pk == NULL) {
        st = add_doc(w, name, doc);
        if (owned)
            xmlFreeDoc(doc);
        return st;
    }
    d = oc_arena_alloc(w->a, sizeof *d);
    pack(w->pk, d, doc, owned);
    return add_source(w, name, lz.source_function(w->za, deflated_cb, d),
                      0);
}

static xmlNodePtr
child(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
    xmlNodePtr n = xmlNewChild(parent, ns, BAD_CAST name, NULL);

    if (text != NULL)
        xmlNodeAddContent(n, BAD_CAST text);
    return n;
}

static void
set(xmlNodePtr n, const char *attr, const char *value)
{
    xmlSetProp(n, BAD_CAST attr, BAD_CAST value);
}

/* The book's table of contents down to toc_depth, in reading order, in
 * arena memory; *n receives the count. */
static oc_toc_entry *
book_toc(const oc_book *b, oc_arena *a, size_t *n)
{
    size_t cap = 0, count = 0;
    oc_toc_entry *out = NULL;
    int stack[8];
    int top = 0;

    for (size_t i = 0; i < b->nchapters; i++)
        cap += b->chapters[i].nheadings + 1;
    out = oc_arena_alloc(a, (cap ? cap : 1) * sizeof *out);
    for (size_t i = 0; i < b->nchapters; i++) {
        const oc_chapter *ch = &b->chapters[i];
        size_t listed = 0;

        for (size_t k = 0; k < ch->nheadings; k++) {
            const oc_heading *h = &ch->headings[k];

            if (h->level > b->m->toc_depth || h->title[0] == '\0')
                continue;
            while (top > 0 && stack[top - 1] >= h->level)
                top--;
            out[count].depth = top + 1;
            stack[top++] = h->level;
            out[count].chapter_href = ch->href;
            /* The chapter's first heading stands for the whole file. */
            out[count].id = listed == 0 && k == 0 ? NULL : h->id;
            out[count].text = h->title;
            count++;
            listed++;
        }
        if (listed == 0) {          /* beside the chapters with headings */
            top = 0;
            out[count].depth = 1;
            stack[top++] = b->top_level;
            out[count].chapter_href = ch->href;
            out[count].text = ch->toc_title;
            count++;
        }
    }
    *n = count;
    return out;
}

static const char *
entry_href(writer *w, const oc_toc_entry *e)
{
    if (e->id == NULL)
        return e->chapter_href;
    return oc_arena_printf(w->a, "%s#%s", e->chapter_href, e->id);
}

static xmlDocPtr
new_page(writer *w, const char *title, const char *body_type,
         xmlNodePtr *body)
{
    const oc_book *b = w->b;
    oc_doc_opts o = {0};
    const char **hrefs = oc_arena_alloc(w->a, (b->nstyles + 1) *
                                                  sizeof *hrefs);

    for (size_t i = 0; i < b->nstyles; i++)
        hrefs[i] = b->styles[i].href;
    o.language = b->m->language;
    o.title = title;
    o.stylesheets = hrefs;
    o.nstylesheets = b->nstyles;
    o.body_type = body_type;
    return oc_xhtml_new_doc(&o, body);
}

static oc_status
add_nav(writer *w, const oc_toc_entry *toc, size_t ntoc)
{
    xmlNodePtr body, nav, ol, li, a;
    xmlNodePtr lists[8] = {0}, items[8] = {0};
    xmlDocPtr doc = new_page(w, label(w, OC_LABEL_CONTENTS), "frontmatter",
                              &body);
    xmlNsPtr ns = body->ns;
    oc_status st;

    nav = child(body, ns, "nav", NULL);
    oc_xhtml_set_epub_type(nav, "toc");
    set(nav, "id", "toc");
    set(nav, "role", "doc-toc");
    set(nav, "aria-labelledby", "toc-title");
    set(child(nav, ns, "h1", label(w, OC_LABEL_CONTENTS)), "id", "toc-title");
    lists[0] = child(nav, ns, "ol", NULL);
    for (size_t i = 0; i < ntoc; i++) {
        int d = toc[i].depth;

        if (lists[d - 1] == NULL)
            lists[d - 1] = child(items[d - 2], ns, "ol", NULL);
        items[d - 1] = li = child(lists[d - 1], ns, "li", NULL);
        for (int k = d; k < 8; k++)
            lists[k] = NULL;
        set(child(li, ns, "a", toc[i].text), "href", entry_href(w, &toc[i]));
    }
    if (w->pl != NULL) {
        oc_pagelist_front(w->pl, OC_FRONT_NAV, body);
        oc_pagelist_nav(w->pl, body, label(w, OC_LABEL_PAGES));
    }
    nav = child(body, ns, "nav", NULL);
    oc_xhtml_set_epub_type(nav, "landmarks");
    set(nav, "id", "landmarks");
    set(nav, "hidden", "hidden");
    /* Reading systems that put the nav document in the spine (calibre's
     * viewer, Foliate) show a nav that is only 'hidden'. */
    set(nav, "style", "display: none");
    set(nav, "aria-label", label(w, OC_LABEL_LANDMARKS));
    ol = child(nav, ns, "ol", NULL);
    if (w->b->cover >= 0) {
        a = child(child(ol, ns, "li", NULL), ns, "a",
                  label(w, OC_LABEL_COVER));
        oc_xhtml_set_epub_type(a, "cover");
        set(a, "href", "cover.xhtml");
    }
    if (!w->b->m->hide_title_page) {
        a = child(child(ol, ns, "li", NULL), ns, "a",
                  label(w, OC_LABEL_TITLE_PAGE));
        oc_xhtml_set_epub_type(a, "titlepage");
        set(a, "href", "title-page.xhtml");
    }
    if (!w->b->m->hide_toc) {
        a = child(child(ol, ns, "li", NULL), ns, "a",
                  label(w, OC_LABEL_CONTENTS));
        oc_xhtml_set_epub_type(a, "toc");
        set(a, "href", "nav.xhtml#toc");
    }
    a = child(child(ol, ns, "li", NULL), ns, "a", label(w, OC_LABEL_START));
    oc_xhtml_set_epub_type(a, "bodymatter");
    set(a, "href", w->b->chapters[0].href);
    st = add_doc(w, PKG_DIR "nav.xhtml", doc);
    xmlFreeDoc(doc);
    return st;
}

static oc_status
add_ncx(writer *w, const oc_toc_entry *toc, size_t ntoc)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "ncx", NULL);
    xmlNodePtr head, map, parents[8] = {0};
    xmlNsPtr ns;
    char num[32];
    int maxdepth = 1;
    oc_status st;

    xmlDocSetRootElement(doc, root);
    ns = xmlNewNs(root, BAD_CAST NCX_NS, NULL);
    xmlSetNs(root, ns);
    set(root, "version", "2005-1");
    xmlSetNsProp(root, xmlSearchNs(doc, root, BAD_CAST "xml"),
                 BAD_CAST "lang", BAD_CAST w->b->m->language);
    for (size_t i = 0; i < ntoc; i++)
        if (toc[i].depth > maxdepth)
            maxdepth = toc[i].depth;
    head = child(root, ns, "head", NULL);
    snprintf(num, sizeof num, "%d", maxdepth);
    {
        const char *metas[][2] = {
            {"dtb:uid", w->b->m->identifier}, {"dtb:depth", num},
            {"dtb:totalPageCount", "0"}, {"dtb:maxPageNumber", "0"}};

        for (size_t i = 0; i < 4; i++) {
            xmlNodePtr m = child(head, ns, "meta", NULL);

            set(m, "name", metas[i][0]);
            set(m, "content", metas[i][1]);
        }
    }
    child(child(root, ns, "docTitle", NULL), ns, "text", w->b->m->title);
    map = parents[0] = child(root, ns, "navMap", NULL);
    for (size_t i = 0; i < ntoc; i++) {
        int d = toc[i].depth;
        xmlNodePtr p = child(parents[d - 1], ns, "navPoint", NULL);

        snprintf(num, sizeof num, "navpoint-%zu", i + 1);
        set(p, "id", num);
        snprintf(num, sizeof num, "%zu", i + 1);
        set(p, "playOrder", num);
        child(child(p, ns, "navLabel", NULL), ns, "text", toc[i].text);
        set(child(p, ns, "content", NULL), "src", entry_href(w, &toc[i]));
        parents[d] = p;
    }
    (void)map;
    st = add_doc(w, PKG_DIR "toc.ncx", doc);
    xmlFreeDoc(doc);
    return st;
}

/* The <section> that is a front-matter page's whole content: its
 * epub:type, its id (also its class, for the stylesheet) and its label. */
static xmlNodePtr
page_section(xmlNodePtr body, const char *type, const char *id,
             const char *label)
{
    xmlNodePtr sec = child(body, body->ns, "section", NULL);

    oc_xhtml_set_epub_type(sec, type);
    set(sec, "id", id);
    set(sec, "class", id);
    set(sec, "aria-label", label);
    return sec;
}

/* A p.contributor for each contributor: "Translated by Hélène Marchand". */
static void
add_credits(writer *w, xmlNodePtr sec)
{
    const oc_manifest *m = w->b->m;

    for (size_t i = 0; i < m->ncontributors; i++) {
        const oc_person *c = &m->contributors[i];

        set(child(sec, sec->ns, "p",
                  oc_arena_printf(w->a, "%s %s",
                                  oc_label_credit(m->labels, m->language,
                                                  c->role),
                                  c->name)),
            "class", "contributor");
    }
}

static oc_status
add_title_page(writer *w)
{
    const oc_manifest *m = w->b->m;
    xmlNodePtr body, sec, h1, p;
    xmlDocPtr doc = new_page(w, m->title, "frontmatter", &body);
    xmlNsPtr ns = body->ns;
    oc_status st;

    if (w->pl != NULL)
        oc_pagelist_front(w->pl, OC_FRONT_TITLE, body);
    sec = page_section(body, "titlepage", "titlepage",
                       label(w, OC_LABEL_TITLE_PAGE));
    h1 = child(sec, ns, "h1", m->title);
    set(h1, "class", "title");
    if (m->subtitle) {
        p = child(sec, ns, "p", m->subtitle);
        set(p, "class", "subtitle");
    }
    for (size_t i = 0; i < m->nauthors; i++) {
        p = child(sec, ns, "p", m->authors[i].name);
        set(p, "class", "author");
    }
    add_credits(w, sec);
    if (m->publisher) {
        p = child(sec, ns, "p", m->publisher);
        set(p, "class", "publisher");
    }
    st = add_doc(w, PKG_DIR "title-page.xhtml", doc);
    xmlFreeDoc(doc);
    return st;
}

static oc_status
add_cover_page(writer *w)
{
    const oc_book *b = w->b;
    xmlNodePtr body, sec, img;
    xmlDocPtr doc;
    xmlNsPtr ns;
    oc_status st;

    if (b->cover < 0)
        return OC_OK;
    doc = new_page(w, label(w, OC_LABEL_COVER), "cover", &body);
    ns = body->ns;
    sec = page_section(body, "cover", "cover", label(w, OC_LABEL_COVER));
    img = child(sec, ns, "img", NULL);
    set(img, "src", b->images[b->cover].href);
    set(img, "alt", oc_arena_printf(w->a, "%s: %s", label(w, OC_LABEL_COVER),
                                    b->m->title));
    set(img, "role", "doc-cover");
    st = add_doc(w, PKG_DIR "cover.xhtml", doc);
    xmlFreeDoc(doc);
    return st;
}

static int
has_colophon(const oc_manifest *m)
{
    return m->rights || m->publisher || m->date ||
           strcmp(m->identifier_scheme ? m->identifier_scheme : "", "isbn")
               == 0;
}

static oc_status
add_colophon(writer *w)
{
    const oc_manifest *m = w->b->m;
    xmlNodePtr body, sec, p;
    xmlDocPtr doc;
    xmlNsPtr ns;
    oc_status st;

    if (!has_colophon(m))
        return OC_OK;
    doc = new_page(w, label(w, OC_LABEL_COPYRIGHT), "frontmatter", &body);
    ns = body->ns;
    if (w->pl != NULL)
        oc_pagelist_front(w->pl, OC_FRONT_COLOPHON, body);
    sec = page_section(body, "copyright-page", "colophon",
                       label(w, OC_LABEL_COPYRIGHT));
    p = child(sec, ns, "p", m->title);
    set(p, "class", "title");
    if (m->nauthors) {
        oc_buf names = {0};

        for (size_t i = 0; i < m->nauthors; i++)
            oc_buf_printf(&names, "%s%s", i ? ", " : "", m->authors[i].name);
        child(sec, ns, "p", names.data);
        oc_buf_free(&names);
    }
    add_credits(w, sec);
    if (m->rights)
        set(child(sec, ns, "p", m->rights), "class", "rights");
    if (m->publisher)
        set(child(sec, ns, "p",
                  oc_arena_printf(w->a, "%s %s",
                                  label(w, OC_LABEL_PUBLISHED_BY),
                                  m->publisher)),
            "class", "publisher");
    if (m->date)
        set(child(sec, ns, "p", m->date), "class", "date");
    if (strcmp(m->identifier_scheme ? m->identifier_scheme : "", "isbn") == 0)
        child(sec, ns, "p", oc_arena_printf(w->a, "ISBN %s",
                                            m->identifier + 9));
    else
        set(child(sec, ns, "p", m->identifier), "class", "identifier");
    st = add_doc(w, PKG_DIR "colophon.xhtml", doc);
    xmlFreeDoc(doc);
    return st;
}

static xmlNodePtr
meta(xmlNodePtr md, xmlNsPtr ns, const char *property, const char *value)
{
    xmlNodePtr n = child(md, ns, "meta", value);

    set(n, "property", property);
    return n;
}

static void
add_people(writer *w, xmlNodePtr md, xmlNsPtr ns, xmlNsPtr dc,
           const oc_person *p, size_t n, const char *element,
           const char *prefix)
{
    for (size_t i = 0; i < n; i++) {
        xmlNodePtr c = child(md, dc, element, p[i].name);
        char *id = oc_arena_printf(w->a, "%s%zu", prefix, i + 1);
        char *ref = oc_arena_printf(w->a, "#%s", id);
        xmlNodePtr r;

        set(c, "id", id);
        if (p[i].role) {
            r = meta(md, ns, "role", p[i].role);
            set(r, "refines", ref);
            set(r, "scheme", "marc:relators");
        }
        if (p[i].file_as) {
            r = meta(md, ns, "file-as", p[i].file_as);
            set(r, "refines", ref);
        }
    }
}

static void add_accessibility(writer *w, xmlNodePtr md, xmlNsPtr ns);

static void
add_metadata(writer *w, xmlNodePtr pkg, xmlNsPtr ns)
{
    const oc_book *b = w->b;
    const oc_manifest *m = b->m;
    xmlNodePtr md = child(pkg, ns, "metadata", NULL), n;
    xmlNsPtr dc = xmlNewNs(md, BAD_CAST DC_NS, BAD_CAST "dc");
    char modified[21];

    n = child(md, dc, "identifier", m->identifier);
    set(n, "id", "pub-id");
    /* The page-list's pages are those of the PDF octavo makes of the
     * same book, whose identifier it shares (EPUB 3.3 source-of). */
    if (w->pl != NULL) {
        set(child(md, dc, "source", m->identifier), "id", "print-source");
        set(meta(md, ns, "source-of", "pagination"), "refines",
            "#print-source");
    }
    set(child(md, dc, "title", m->title), "id", "title");
    n = meta(md, ns, "title-type", "main");
    set(n, "refines", "#title");
    if (m->subtitle) {
        set(child(md, dc, "title", m->subtitle), "id", "subtitle");
        set(meta(md, ns, "title-type", "subtitle"), "refines", "#subtitle");
    }
    child(md, dc, "language", m->language);
    add_people(w, md, ns, dc, m->authors, m->nauthors, "creator", "creator");
    add_people(w, md, ns, dc, m->contributors, m->ncontributors,
               "contributor", "contributor");
    if (m->date)
        child(md, dc, "date", m->date);
    if (m->publisher)
        child(md, dc, "publisher", m->publisher);
    if (m->rights)
        child(md, dc, "rights", m->rights);
    if (m->description)
        child(md, dc, "description", m->description);
    for (size_t i = 0; i < m->nsubjects; i++)
        child(md, dc, "subject", m->subjects[i]);
    if (m->series) {
        n = meta(md, ns, "belongs-to-collection", m->series);
        set(n, "id", "series");
        set(meta(md, ns, "collection-type", "series"), "refines", "#series");
        if (m->series_index)
            set(meta(md, ns, "group-position", m->series_index), "refines",
                "#series");
    }
    if (b->cover >= 0) {
        n = child(md, ns, "meta", NULL);
        set(n, "name", "cover");
        set(n, "content", "cover-image");
    }
    format_utc(w->b->modified, modified);
    meta(md, ns, "dcterms:modified", modified);
    add_accessibility(w, md, ns);
}

/* EPUB Accessibility 1.1 metadata, from what the book really holds. */
static void
add_accessibility(writer *w, xmlNodePtr md, xmlNsPtr ns)
{
    const oc_book *b = w->b;
    size_t images = 0;
    int all_alt = b->images_without_alt == 0;
    oc_buf summary = {0};

    for (size_t i = 0; i < b->nimages; i++)
        if ((int)i != b->cover &&
            (b->images[i].src != NULL || b->images[i].inline_data))
            images++;
    meta(md, ns, "schema:accessMode", "textual");
    if (images)
        meta(md, ns, "schema:accessMode", "visual");
    if (!images || all_alt)
        meta(md, ns, "schema:accessModeSufficient", "textual");
    if (images)
        meta(md, ns, "schema:accessModeSufficient", "textual,visual");
    meta(md, ns, "schema:accessibilityFeature", "structuralNavigation");
    meta(md, ns, "schema:accessibilityFeature", "tableOfContents");
    meta(md, ns, "schema:accessibilityFeature", "readingOrder");
    if (images && all_alt)
        meta(md, ns, "schema:accessibilityFeature", "alternativeText");
    if (w->pl != NULL) {
        meta(md, ns, "schema:accessibilityFeature", "printPageNumbers");
        meta(md, ns, "schema:accessibilityFeature", "pageNavigation");
    }
    meta(md, ns, "schema:accessibilityHazard", "none");
    oc_buf_puts(&summary, "Reflowable text with a table of contents, "
                          "structured headings and a logical reading "
                          "order.");
    if (images && all_alt)
        oc_buf_printf(&summary, " Every image (%zu) has a text "
                      "alternative.", images);
    else if (images)
        oc_buf_printf(&summary, " %zu of %zu images have no text "
                      "alternative.", b->images_without_alt, images);
    meta(md, ns, "schema:accessibilitySummary", summary.data);
    oc_buf_free(&summary);
}

static void
add_item(xmlNodePtr manifest, xmlNsPtr ns, const char *id, const char *href,
         const char *type, const char *props)
{
    xmlNodePtr n = child(manifest, ns, "item", NULL);

    set(n, "id", id);
    set(n, "href", href);
    set(n, "media-type", type);
    if (props)
        set(n, "properties", props);
}

/* What a chapter holds that its OPF item tells: MathML or SVG, by their
 * namespace or, in XHTML's or none, by the name of their root (raw HTML
 * in Markdown leaves <math> and <svg> there until they are written out).
 * 'xhtml': the last namespace found to be XHTML's, known then by its
 * pointer, not its URI. */
typedef struct foreign {
    bool     math, svg;
    xmlNsPtr xhtml;
} foreign;

static void
find_foreign(xmlNodePtr n, foreign *f)
{
    for (; n != NULL && !(f->math && f->svg); n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns != NULL && n->ns != f->xhtml) {
            if (xmlStrEqual(n->ns->href, BAD_CAST OC_XHTML_NS)) {
                f->xhtml = n->ns;
            } else {
                f->math |= xmlStrEqual(n->ns->href, BAD_CAST OC_MATHML_NS);
                f->svg |= xmlStrEqual(n->ns->href, BAD_CAST OC_SVG_NS);
            }
        }
        if (n->ns == NULL || n->ns == f->xhtml) {
            f->math |= xmlStrEqual(n->name, BAD_CAST "math");
            f->svg |= xmlStrEqual(n->name, BAD_CAST "svg");
        }
        find_foreign(n->children, f);
    }
}

/* A chapter's OPF properties: "mathml" and "svg" when it holds MathML or
 * inline SVG (EPUB 3.3 §5.6.2.1); NULL when neither. */
static const char *
chapter_properties(const oc_book *b, size_t i)
{
    xmlDocPtr doc = oc_book_chapter_peek(b, i);
    foreign f = { false, false, NULL };

    find_foreign(xmlDocGetRootElement(doc), &f);
    oc_book_chapter_done(b, i, doc);
    return f.math && f.svg ? "mathml svg"
           : f.math        ? "mathml"
           : f.svg         ? "svg"
                           : NULL;
}

static void
add_itemref(xmlNodePtr spine, xmlNsPtr ns, const char *idref)
{
    set(child(spine, ns, "itemref", NULL), "idref", idref);
}

static void
add_reference(xmlNodePtr guide, xmlNsPtr ns, const char *type,
              const char *title, const char *href)
{
    xmlNodePtr n = child(guide, ns, "reference", NULL);

    set(n, "type", type);
    set(n, "title", title);
    set(n, "href", href);
}

/* The EPUB 2 guide, a legacy element EPUB 3.3 packages may still carry:
 * the same pages as the nav's landmarks. Kindle conversions (calibre's
 * AZW3, KindleGen) take the cover from it, so that the cover page is not
 * shown a second time, and open the book at its "text". */
static void
add_guide(writer *w, xmlNodePtr pkg, xmlNsPtr ns)
{
    xmlNodePtr guide = child(pkg, ns, "guide", NULL);

    if (w->b->cover >= 0)
        add_reference(guide, ns, "cover", label(w, OC_LABEL_COVER),
                      "cover.xhtml");
    if (!w->b->m->hide_title_page)
        add_reference(guide, ns, "title-page", label(w, OC_LABEL_TITLE_PAGE),
                      "title-page.xhtml");
    if (has_colophon(w->b->m))
        add_reference(guide, ns, "copyright-page",
                      label(w, OC_LABEL_COPYRIGHT),
                      "colophon.xhtml");
    if (!w->b->m->hide_toc)
        add_reference(guide, ns, "toc", label(w, OC_LABEL_CONTENTS),
                      "nav.xhtml#toc");
    add_reference(guide, ns, "text", label(w, OC_LABEL_START),
                  w->b->chapters[0].href);
}

static oc_status
add_package(writer *w)
{
    const oc_book *b = w->b;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr pkg = xmlNewDocNode(doc, NULL, BAD_CAST "package", NULL);
    xmlNodePtr man, spine;
    xmlNsPtr ns;
    oc_status st;

    xmlDocSetRootElement(doc, pkg);
    ns = xmlNewNs(pkg, BAD_CAST OPF_NS, NULL);
    xmlSetNs(pkg, ns);
    set(pkg, "version", "3.0");
    set(pkg, "unique-identifier", "pub-id");
    xmlSetNsProp(pkg, xmlSearchNs(doc, pkg, BAD_CAST "xml"),
                 BAD_CAST "lang", BAD_CAST b->m->language);
    add_metadata(w, pkg, ns);
    man = child(pkg, ns, "manifest", NULL);
    add_item(man, ns, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
    add_item(man, ns, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
    if (b->cover >= 0)
        add_item(man, ns, "cover", "cover.xhtml", "application/xhtml+xml",
                 NULL);
    if (!b->m->hide_title_page)
        add_item(man, ns, "title-page", "title-page.xhtml",
                 "application/xhtml+xml", NULL);
    if (has_colophon(b->m))
        add_item(man, ns, "colophon", "colophon.xhtml",
                 "application/xhtml+xml", NULL);
    for (size_t i = 0; i < b->nstyles; i++)
        add_item(man, ns, oc_arena_printf(w->a, "css-%zu", i + 1),
                 b->styles[i].href, b->styles[i].media_type, NULL);
    for (size_t i = 0; i < b->nfonts; i++)
        add_item(man, ns, oc_arena_printf(w->a, "font-%zu", i + 1),
                 b->fonts[i].href, b->fonts[i].media_type, NULL);
    for (size_t i = 0; i < b->nimages; i++)
        add_item(man, ns, (int)i == b->cover ? "cover-image"
                          : oc_arena_printf(w->a, "image-%zu", i + 1),
                 b->images[i].href, b->images[i].media_type,
                 b->images[i].properties);
    for (size_t i = 0; i < b->nchapters; i++)
        add_item(man, ns, oc_arena_printf(w->a, "chapter-%zu", i + 1),
                 b->chapters[i].href, "application/xhtml+xml",
                 chapter_properties(b, i));
    spine = child(pkg, ns, "spine", NULL);
    set(spine, "toc", "ncx");
    /* A book in Arabic or Hebrew turns its pages from right to left. */
    if (b->m->language != NULL && oc_lang_direction(b->m->language) != NULL)
        set(spine, "page-progression-direction", "rtl");
    if (b->cover >= 0)
        add_itemref(spine, ns, "cover");
    if (!b->m->hide_title_page)
        add_itemref(spine, ns, "title-page");
    if (has_colophon(b->m))
        add_itemref(spine, ns, "colophon");
    /* Without contents the nav is still the package's (EPUB 3.3
     * requires one), but not in the reading order. */
    if (!b->m->hide_toc)
        add_itemref(spine, ns, "nav");
    for (size_t i = 0; i < b->nchapters; i++)
        add_itemref(spine, ns, oc_arena_printf(w->a, "chapter-%zu", i + 1));
    add_guide(w, pkg, ns);
    st = add_doc(w, PKG_DIR "package.opf", doc);
    xmlFreeDoc(doc);
    return st;
}

/* The typographic cover, drawn only for the EPUB; arena memory. */
static oc_status
draw_cover(writer *w, const char **data, size_t *len)
{
    oc_buf png = {0};
    const oc_buf *got = &png;
    oc_status st = w->b->cover_job != NULL
                   ? oc_cover_result(w->b->cover_job, &got, w->err)
                   : oc_cover_draw(w->b->m, &png, w->err);

    if (st == OC_OK) {
        *data = oc_arena_strndup(w->a, got->data, got->len);
        *len = got->len;
    }
    oc_buf_free(&png);
    return st;
}

static const char container_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" "
    "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"" PKG_DIR "package.opf\" "
    "media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";

static oc_status
add_all(writer *w)
{
    const oc_book *b = w->b;
    oc_toc_entry *toc;
    size_t ntoc;
    oc_status st;

    /* EPUB 3.3 OCF: "mimetype" must be first and stored. */
    if ((st = add_entry(w, "mimetype", "application/epub+zip", 20, 1)) ||
        (st = add_entry(w, "META-INF/container.xml", container_xml,
                        sizeof container_xml - 1, 0)) ||
        (st = add_package(w)))
        return st;
    toc = book_toc(b, w->a, &ntoc);
    if ((st = add_nav(w, toc, ntoc)) || (st = add_ncx(w, toc, ntoc)) ||
        (st = add_cover_page(w)) ||
        (!b->m->hide_title_page && (st = add_title_page(w))) ||
        (st = add_colophon(w)))
        return st;
    for (size_t i = 0; i < b->nfonts; i++)
        if ((st = add_entry(w, oc_arena_printf(w->a, PKG_DIR "%s",
                                               b->fonts[i].href),
                            b->fonts[i].data, b->fonts[i].len, 0)))
            return st;
    /* Compressed images and fonts gain nothing from deflate: store them. */
    for (size_t i = 0; i < b->nimages; i++) {
        const char *data = b->images[i].data;
        size_t len = b->images[i].len;
        const char *name = oc_arena_printf(w->a, PKG_DIR "%s",
                                           b->images[i].href);

        if ((int)i == b->cover && b->cover_drawn &&
            (st = draw_cover(w, &data, &len)) != OC_OK)
            return st;
        if (data == NULL && b->images[i].src != NULL)
            st = add_file_entry(w, name, &b->images[i]);
        else
            st = add_entry(w, name, data, len,
                           strcmp(b->images[i].media_type,
                                  "image/svg+xml") != 0);
        if (st != OC_OK)
            return st;
    }
    for (size_t i = 0; i < b->nstyles; i++)
        if ((st = add_entry(w, oc_arena_printf(w->a, PKG_DIR "%s",
                                               b->styles[i].href),
                            b->styles[i].data, b->styles[i].len, 0)))
            return st;
    for (size_t i = 0; i < b->nchapters; i++) {
        xmlDocPtr marked = w->pl ? oc_pagelist_chapter(w->pl, b, i) : NULL;
        xmlDocPtr doc = marked != NULL ? marked : oc_book_chapter_peek(b, i);

        st = add_chapter(w, oc_arena_printf(w->a, PKG_DIR "%s",
                                            b->chapters[i].href),
                         doc, doc != b->chapters[i].doc);
        if (st != OC_OK)
            return st;
    }
    return OC_OK;
}

/* The archive is written by libzip straight into an oc_outfile, through
 * a source that only writes (the archive starts empty): an interrupted
 * build leaves no partial file and no libzip temporary, and the book is
 * never in memory whole (images go from their files to the archive). */
typedef struct sink {
    oc_outfile  f;
    zip_error_t error;
} sink;

/* Write 'len' bytes at the file's offset; -1 with the error kept. */
static zip_int64_t
sink_write(sink *k, const void *data, zip_uint64_t len)
{
    const char *p = data;
    zip_uint64_t left = len;

    while (left > 0) {
        ssize_t n = write(k->f.fd, p, left);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            lz.error_set(&k->error, ZIP_ER_WRITE, n < 0 ? errno : EIO);
            return -1;
        }
        p += n;
        left -= (zip_uint64_t)n;
    }
    return (zip_int64_t)len;
}

static zip_int64_t
sink_seek(sink *k, void *data, zip_uint64_t len)
{
    zip_source_args_seek_t *a = data;
    off_t at;

    if (len < sizeof *a) {
        lz.error_set(&k->error, ZIP_ER_INVAL, 0);
        return -1;
    }
    at = lseek(k->f.fd, (off_t)a->offset, a->whence);
    if (at < 0) {
        lz.error_set(&k->error, ZIP_ER_SEEK, errno);
        return -1;
    }
    return 0;
}

static zip_int64_t
sink_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    sink *k = ud;
    off_t at;

    switch (cmd) {
    case ZIP_SOURCE_SUPPORTS:
        return lz.source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
            ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_BEGIN_WRITE,
            ZIP_SOURCE_COMMIT_WRITE, ZIP_SOURCE_ROLLBACK_WRITE,
            ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE, ZIP_SOURCE_TELL_WRITE,
            ZIP_SOURCE_REMOVE, -1);
    case ZIP_SOURCE_STAT:           /* no archive yet: one is created */
        lz.error_set(&k->error, ZIP_ER_READ, ENOENT);
        return -1;
    case ZIP_SOURCE_ERROR:
        return lz.error_to_data(&k->error, data, len);
    case ZIP_SOURCE_WRITE:
        return sink_write(k, data, len);
    case ZIP_SOURCE_SEEK_WRITE:
        return sink_seek(k, data, len);
    case ZIP_SOURCE_TELL_WRITE:
        if ((at = lseek(k->f.fd, 0, SEEK_CUR)) < 0) {
            lz.error_set(&k->error, ZIP_ER_TELL, errno);
            return -1;
        }
        return (zip_int64_t)at;
    case ZIP_SOURCE_READ:           /* nothing to read back */
    case ZIP_SOURCE_TELL:
    default:                        /* open, close, seek, begin, commit,
                                       roll back, remove, free: the
                                       outfile is committed or aborted
                                       by write_epub */
        return 0;
    }
}

/* Write 'b' as an EPUB 3.3 publication to 'path' (atomically: nothing is
 * left behind on failure). */
static oc_status
write_epub(const oc_book *b, const char *path, oc_error *err)
{
    writer w = {b, b->arena, NULL, path, err, NULL, {0}, NULL};
    oc_pagelist pl;
    zip_error_t ze;
    zip_source_t *src;
    sink k;
    oc_status st;

    if (b->m->page_list) {
        if ((st = oc_pagelist_make(b, w.a, has_colophon(b->m), &pl,
                                   err)) != OC_OK)
            return st;
        w.pl = &pl;
    }
    pthread_once(&lz_opened, open_libzip);
    if (lz.error != NULL)
        return oc_error_set(err, OC_ERR_LIB, path, 0, 0, "%s", lz.error);
    if ((st = oc_outfile_open(&k.f, path, err)) != OC_OK)
        return st;
    lz.error_init(&k.error);
    lz.error_init(&ze);
    if ((src = lz.source_function_create(sink_cb, &k, &ze)) == NULL ||
        (w.za = lz.open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE,
                                     &ze)) == NULL) {
        st = oc_error_set(err, OC_ERR_LIB, path, 0, 0, "libzip: %s",
                          lz.error_strerror(&ze));
        lz.source_free(src);
    } else if ((st = add_all(&w)) != OC_OK) {
        lz.discard(w.za);
    } else if (lz.close(w.za) < 0) {
        st = zip_fail(&w, "cannot write");
        lz.discard(w.za);
    }
    packer_stop(w.pk);
    lz.error_fini(&ze);
    lz.error_fini(&k.error);
    oc_buf_free(&w.scratch);
    if (st != OC_OK) {
        oc_outfile_abort(&k.f);
        return st;
    }
    return oc_outfile_commit(&k.f, err);
}

oc_status
oc_book_write_epub(const oc_book *b, const char *path, oc_error *err)
{
    oc_diag *prev = oc_book_enter(b);
    oc_status st = write_epub(b, path, err);

    oc_diag_leave(prev);
    return st;
}
