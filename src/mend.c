/* mend.c - cairo 1.16's PDF bytes → the same bytes and an incremental
 * update (ISO 32000-1 §7.5.6) that mends what cairo gets wrong or cannot
 * write. It reads the file as cairo lays it out (a classic cross-reference
 * table, dictionaries on lines of their own) and nothing more general:
 * any other shape is an error, never a guess. */
#include "mend.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* An object written again in the update, at byte 'off' of the file. */
typedef struct patch {
    long   num;
    size_t off;
} patch;

/* The file being mended and the update being written. */
typedef struct mend {
    const oc_buf *pdf;
    oc_error     *err;
    const char   *xref;         /* "xref": the cross-reference table */
    const char   *trailer;      /* its "trailer" */
    long          prev;         /* the table's offset, from startxref */
    long          size, root;   /* the trailer's /Size and /Root */
    long          info;         /* its /Info; -1 when it has none */
    size_t       *offs;         /* [size]: object → offset, 0 if free */
    patch        *patches;      /* [size]: the objects written again */
    size_t        np;
    oc_buf        add;          /* the update */
} mend;

static oc_status unexpected(oc_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A file not of the shape cairo 1.16 writes; 'fmt' says what is missing. */
static oc_status
unexpected(oc_error *err, const char *fmt, ...)
{
    char what[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return oc_error_set(err, OC_ERR_LIB, NULL, 0, 0,
                        "unexpected PDF from cairo: %s", what);
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

static const char *
skip_eol(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r'))
        p++;
    return p;
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

    if (off > pdf->len || (size_t)n > pdf->len - off ||
        memcmp(pdf->data + off, head, (size_t)n) != 0)
        return false;
    *body = pdf->data + off + n;
    end = find_mem(*body, pdf->len - off - (size_t)n, "endobj");
    if (end == NULL)
        return false;
    *len = (size_t)(end - *body);
    return true;
}

/* Object 'num' is written again from here: note where. */
static void
begin_patch(mend *m, long num)
{
    m->patches[m->np].num = num;
    m->patches[m->np++].off = m->pdf->len + m->add.len;
    oc_buf_printf(&m->add, "%ld 0 obj", num);
}

/* The positive number after 'key' in the trailer: -1 if it has no 'key',
 * 0 if what follows is not that. */
static long
trailer_number(const mend *m, const char *end, const char *key)
{
    const char *p = find_mem(m->trailer, (size_t)(end - m->trailer), key);
    long v;

    if (p == NULL)
        return -1;
    v = strtol(p + strlen(key), NULL, 10);
    return v > 0 ? v : 0;
}

/* The file's end: "startxref", the offset of its one cross-reference
 * table, "%%EOF"; and the trailer's /Size, /Root and /Info. */
static oc_status
read_trailer(mend *m)
{
    const char *sx = rfind_mem(m->pdf->data, m->pdf->len, "startxref");
    const char *data = m->pdf->data, *end, *p;
    char *q;

    if (sx == NULL)
        return unexpected(m->err, "no startxref");
    end = data + m->pdf->len;
    m->prev = strtol(sx + 9, &q, 10);
    if (q == sx + 9 || m->prev <= 0 || m->prev >= sx - data)
        return unexpected(m->err, "startxref gives no offset in the file");
    p = skip_eol(q, end);
    if (end - p < 6 || memcmp(p, "%%EOF", 5) != 0 ||
        (p[5] != '\n' && p[5] != '\r') || skip_eol(p + 5, end) != end)
        return unexpected(m->err, "no %%%%EOF line at the end");
    m->xref = data + m->prev;
    if (strncmp(m->xref, "xref", 4) != 0)
        return unexpected(m->err, "no cross-reference table at offset %ld",
                          m->prev);
    m->trailer = find_mem(m->xref, (size_t)(sx - m->xref), "trailer");
    if (m->trailer == NULL)
        return unexpected(m->err, "no trailer");
    m->size = trailer_number(m, sx, "/Size");
    m->root = trailer_number(m, sx, "/Root");
    m->info = trailer_number(m, sx, "/Info");
    if (m->size <= 0 || m->size > 10000000)
        return unexpected(m->err, "no /Size in the trailer");
    if (m->root <= 0 || m->root >= m->size)
        return unexpected(m->err, "no /Root in the trailer");
    if (m->info == 0 || m->info >= m->size || m->info == m->root)
        return unexpected(m->err, "a bad /Info in the trailer");
    return OC_OK;
}

/* The table's subsections of 20-byte entries into m->offs. */
static oc_status
read_xref(mend *m)
{
    const char *p = m->xref + 4, *end = m->trailer;

    m->offs = oc_xcalloc((size_t)m->size, sizeof *m->offs);
    while ((p = skip_eol(p, end)) < end) {
        char *q, *r;
        long first = strtol(p, &q, 10), count = strtol(q, &r, 10);

        if (q == p || r == q || first < 0 || count < 0 ||
            first > m->size || count > m->size - first)
            return unexpected(m->err, "a malformed cross-reference table");
        p = skip_eol(r, end);
        if ((size_t)(end - p) / 20 < (size_t)count)
            return unexpected(m->err, "a cross-reference table cut short");
        for (long k = 0; k < count; k++, p += 20)
            if (p[17] == 'n')
                m->offs[first + k] = (size_t)strtoull(p, NULL, 10);
    }
    return OC_OK;
}

/* Link annotations get /StructParent entries whose structure elements
 * are never written, leaving cross-reference entries that point at
 * another object: those objects become null. */
static void
null_broken_objects(mend *m)
{
    const char *body;
    size_t blen;

    for (long k = 1; k < m->size; k++) {
        if (m->offs[k] == 0 || object_at(m->pdf, m->offs[k], k, &body, &blen))
            continue;
        begin_patch(m, k);
        oc_buf_puts(&m->add, "\nnull\nendobj\n");
    }
}

/* cairo_pdf_surface_set_metadata's dates lack the "D:" of §7.9.4. */
static oc_status
prefix_dates(mend *m)
{
    const char *body, *c, *d;
    size_t blen, ci, di, none = (size_t)-1;

    if (m->info < 0)
        return OC_OK;
    if (!object_at(m->pdf, m->offs[m->info], m->info, &body, &blen))
        return unexpected(m->err, "no /Info object");
    c = find_mem(body, blen, "/CreationDate (");
    d = find_mem(body, blen, "/ModDate (");
    ci = c != NULL && c[15] != 'D' ? (size_t)(c - body) + 15 : none;
    di = d != NULL && d[10] != 'D' ? (size_t)(d - body) + 10 : none;
    if (ci == none && di == none)
        return OC_OK;
    begin_patch(m, m->info);
    for (size_t q = 0; q < blen; q++) {
        if (q == ci || q == di)
            oc_buf_puts(&m->add, "D:");
        oc_buf_put(&m->add, body + q, 1);
    }
    oc_buf_puts(&m->add, "endobj\n");
    return OC_OK;
}

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

/* The catalog's body and length. */
static oc_status
find_catalog(const mend *m, const char **body, size_t *blen)
{
    if (!object_at(m->pdf, m->offs[m->root], m->root, body, blen) ||
        find_mem(*body, *blen, "/Type /Catalog") == NULL)
        return unexpected(m->err, "no /Catalog object");
    return OC_OK;
}

/* The catalog has no /Lang (§14.9.2.1), its outline and the document
 * title are not shown on opening (§12.2), and cairo cannot write page
 * labels (§12.4.2). A catalog that has a /Lang is left as it is. */
static oc_status
mend_catalog(mend *m, const oc_mend_options *opt)
{
    const char *body, *close;
    size_t blen;
    oc_status st;

    if ((st = find_catalog(m, &body, &blen)) != OC_OK)
        return st;
    if ((close = rfind_mem(body, blen, ">>")) == NULL)
        return unexpected(m->err, "the /Catalog is not a dictionary");
    if (find_mem(body, blen, "/Lang") != NULL)
        return OC_OK;
    begin_patch(m, m->root);
    oc_buf_put(&m->add, body, (size_t)(close - body));
    if (lang_ok(opt->lang))
        oc_buf_printf(&m->add, "   /Lang (%s)\n", opt->lang);
    if (find_mem(body, blen, "/Outlines") != NULL &&
        find_mem(body, blen, "/PageMode") == NULL)
        oc_buf_puts(&m->add, "   /PageMode /UseOutlines\n");
    if (find_mem(body, blen, "/ViewerPreferences") == NULL)
        oc_buf_puts(&m->add, "   /ViewerPreferences "
                              "<< /DisplayDocTitle true >>\n");
    if (find_mem(body, blen, "/PageLabels") == NULL) {
        oc_buf_puts(&m->add, "   /PageLabels << /Nums [");
        if (opt->nfront > 0)
            oc_buf_printf(&m->add, "0 << /S /%c >> ", opt->front_style);
        oc_buf_printf(&m->add, "%zu << /S /%c >>] >>\n", opt->nfront,
                      opt->body_style);
    }
    oc_buf_put(&m->add, close, blen - (size_t)(close - body));
    oc_buf_puts(&m->add, "endobj\n");
    return OC_OK;
}

/* The 'n' page references "N 0 R" of a /Kids array ending at 'close'
 * into refs[n]; -1 if they are not that, or more than 'n'. */
static long
read_kids(const char *kids, const char *close, long *refs, size_t n)
{
    const char *p = kids;
    size_t k = 0;

    while ((p = skip_eol(p, close)) < close) {
        char *end;
        long num = strtol(p, &end, 10), gen = strtol(end, &end, 10);

        p = skip_eol(end, close);
        if (num <= 0 || gen != 0 || p == close || *p != 'R' || k == n)
            return -1;
        refs[k++] = num;
        p++;
    }
    return (long)k;
}

/* The page tree of cairo 1.16 is one /Pages object whose /Kids are the
 * pages in the order painted, body first: the last 'nfront' go first. */
static oc_status
reorder_pages(mend *m, size_t nfront, size_t npages)
{
    const char *body, *p, *kids, *close;
    size_t blen;
    long pages, n;
    long *refs;
    oc_status st;

    if ((st = find_catalog(m, &body, &blen)) != OC_OK)
        return st;
    if ((p = find_mem(body, blen, "/Pages ")) == NULL)
        return unexpected(m->err, "no /Pages in the /Catalog");
    pages = strtol(p + 7, NULL, 10);
    if (pages <= 0 || pages >= m->size || pages == m->root ||
        pages == m->info || m->offs[pages] == 0 ||
        !object_at(m->pdf, m->offs[pages], pages, &body, &blen))
        return unexpected(m->err, "no /Pages object");
    if ((kids = find_mem(body, blen, "/Kids [")) == NULL)
        return unexpected(m->err, "no /Kids in the page tree");
    kids += 7;
    if ((close = memchr(kids, ']', blen - (size_t)(kids - body))) == NULL)
        return unexpected(m->err, "no end to the page tree's /Kids");
    refs = oc_xcalloc(npages, sizeof *refs);
    if ((n = read_kids(kids, close, refs, npages)) != (long)npages) {
        free(refs);
        return unexpected(m->err, "the page tree's /Kids are not the "
                          "book's %zu pages", npages);
    }
    begin_patch(m, pages);
    oc_buf_put(&m->add, body, (size_t)(kids - body));
    for (size_t k = 0; k < npages; k++)
        oc_buf_printf(&m->add, "%ld 0 R ",
                      refs[(k + npages - nfront) % npages]);
    oc_buf_put(&m->add, close, blen - (size_t)(close - body));
    oc_buf_puts(&m->add, "endobj\n");
    free(refs);
    return OC_OK;
}

/* The update's cross-reference section, one subsection per object in
 * increasing order, and its trailer. */
static void
write_xref(mend *m)
{
    size_t xoff = m->pdf->len + m->add.len;

    for (size_t a = 1; a < m->np; a++)
        for (size_t b = a; b > 0 && m->patches[b - 1].num > m->patches[b].num;
             b--) {
            patch t = m->patches[b];

            m->patches[b] = m->patches[b - 1];
            m->patches[b - 1] = t;
        }
    oc_buf_puts(&m->add, "xref\n");
    for (size_t a = 0; a < m->np; a++)
        oc_buf_printf(&m->add, "%ld 1\n%010zu 00000 n \n", m->patches[a].num,
                      m->patches[a].off);
    oc_buf_printf(&m->add, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n",
                  m->size, m->root);
    if (m->info > 0)
        oc_buf_printf(&m->add, "   /Info %ld 0 R\n", m->info);
    oc_buf_printf(&m->add, "   /Prev %ld\n>>\nstartxref\n%zu\n%%%%EOF\n",
                  m->prev, xoff);
}

oc_status
oc_mend_pdf(oc_buf *pdf, const oc_mend_options *opt, oc_error *err)
{
    mend m = { .pdf = pdf, .err = err };
    bool reorder = opt->nfront > 0 && opt->nfront < opt->npages;
    oc_status st;

    if ((st = read_trailer(&m)) != OC_OK || (st = read_xref(&m)) != OC_OK)
        goto out;
    /* At most one patch an object, 1 to size - 1. */
    m.patches = oc_xcalloc((size_t)m.size, sizeof *m.patches);
    null_broken_objects(&m);
    if ((st = prefix_dates(&m)) != OC_OK ||
        (st = mend_catalog(&m, opt)) != OC_OK ||
        (reorder && (st = reorder_pages(&m, opt->nfront, opt->npages)) !=
                    OC_OK))
        goto out;
    if (m.np > 0) {
        write_xref(&m);
        oc_buf_put(pdf, m.add.data, m.add.len);
    }
out:
    oc_buf_free(&m.add);
    free(m.patches);
    free(m.offs);
    return st;
}
