/* mend.c - cairo 1.16's PDF bytes → the file written again whole, with
 * what cairo gets wrong or cannot write mended: the objects to change are
 * first written as an update (ISO 32000-1 §7.5.6) would have them, then
 * every object goes out once in its last version, page content streams
 * with their untagged content marked as artifacts (artifact.h). It reads
 * the file as cairo lays it out (a classic cross-reference table,
 * dictionaries on lines of their own) and nothing more general: any
 * other shape is an error, never a guess. */
#define _GNU_SOURCE             /* memmem */
#include "mend.h"

#include <errno.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "artifact.h"
#include "error.h"
#include "pdfimage.h"
#include "pdfw.h"

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
    long          next;         /* the next new object's number */
    size_t        visited;      /* structure elements walked so far */
    size_t        elem;         /* the next of opt->structure.elems */
    size_t        read;         /* bytes read since let_go was called */
    struct idref {
        const char *id;
        long        num;
    }            *ids;          /* elements given an /ID, and theirs */
    size_t        nids;
    oc_buf        add;          /* the update */
    void        (*let_go)(void *); /* the options', and its ctx */
    void         *ctx;
} mend;

/* The input's pages read may be let go (oc_mend_options.let_go) after
 * every so many objects read. */
#define LET_GO_EVERY 1024

/* And after every LET_GO_BYTES of the objects written again read. */
#define LET_GO_BYTES (1 << 20)

/* Object 'i' (a count of those read in one pass, from 0) was read: the
 * options' let_go is called after every LET_GO_EVERY of them. */
static void
read_one(const mend *m, size_t i)
{
    if (i % LET_GO_EVERY == LET_GO_EVERY - 1 && m->let_go != NULL)
        m->let_go(m->ctx);
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

/* Whether indirect object 'num' begins at 'off'; the length of its
 * "num 0 obj" into *n. */
static bool
object_head_at(const oc_buf *pdf, size_t off, long num, size_t *n)
{
    char head[32];
    int h = snprintf(head, sizeof head, "%ld 0 obj", num);

    *n = (size_t)h;
    return off <= pdf->len && *n <= pdf->len - off &&
           memcmp(pdf->data + off, head, *n) == 0;
}

/* The body of indirect object 'num' (between "obj" and "endobj") if the
 * cross-reference offset really points at it. */
static bool
object_at(const oc_buf *pdf, size_t off, long num, const char **body,
          size_t *len)
{
    size_t n;
    const char *end;

    if (!object_head_at(pdf, off, num, &n))
        return false;
    *body = pdf->data + off + n;
    end = find_mem(*body, pdf->len - off - n, "endobj");
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
        return oc_pdfw_unexpected(m->err, "no startxref");
    end = data + m->pdf->len;
    m->prev = strtol(sx + 9, &q, 10);
    if (q == sx + 9 || m->prev <= 0 || m->prev >= sx - data)
        return oc_pdfw_unexpected(m->err,
                                  "startxref gives no offset in the file");
    p = skip_eol(q, end);
    if (end - p < 6 || memcmp(p, "%%EOF", 5) != 0 ||
        (p[5] != '\n' && p[5] != '\r') || skip_eol(p + 5, end) != end)
        return oc_pdfw_unexpected(m->err, "no %%%%EOF line at the end");
    m->xref = data + m->prev;
    if (strncmp(m->xref, "xref", 4) != 0)
        return oc_pdfw_unexpected(m->err,
                                  "no cross-reference table at offset %ld",
                          m->prev);
    m->trailer = find_mem(m->xref, (size_t)(sx - m->xref), "trailer");
    if (m->trailer == NULL)
        return oc_pdfw_unexpected(m->err, "no trailer");
    m->size = trailer_number(m, sx, "/Size");
    m->root = trailer_number(m, sx, "/Root");
    m->info = trailer_number(m, sx, "/Info");
    if (m->size <= 0 || m->size > 10000000)
        return oc_pdfw_unexpected(m->err, "no /Size in the trailer");
    if (m->root <= 0 || m->root >= m->size)
        return oc_pdfw_unexpected(m->err, "no /Root in the trailer");
    if (m->info == 0 || m->info >= m->size || m->info == m->root)
        return oc_pdfw_unexpected(m->err, "a bad /Info in the trailer");
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
            return oc_pdfw_unexpected(m->err,
                                      "a malformed cross-reference table");
        p = skip_eol(r, end);
        if ((size_t)(end - p) / 20 < (size_t)count)
            return oc_pdfw_unexpected(m->err,
                                      "a cross-reference table cut short");
        for (long k = 0; k < count; k++, p += 20)
            if (p[17] == 'n')
                m->offs[first + k] = (size_t)strtoull(p, NULL, 10);
    }
    return OC_OK;
}

/* Link annotations get /StructParent entries whose structure elements
 * are never written, leaving cross-reference entries that point at
 * another object: those objects become null. Only the objects' heads
 * are read, not their streams (the images'). */
static void
null_broken_objects(mend *m)
{
    size_t n;

    for (long k = 1; k < m->size; k++) {
        read_one(m, (size_t)k);
        if (m->offs[k] == 0 || object_head_at(m->pdf, m->offs[k], k, &n))
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
        return oc_pdfw_unexpected(m->err, "no /Info object");
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

/* 's' may go into a literal string as it is: a BCP 47 tag, an /ID of
 * ours (letters, digits, '-'; at most 35). */
static bool
plain_token(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > 35)
        return false;
    for (const char *p = s; *p; p++)
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
        return oc_pdfw_unexpected(m->err, "no /Catalog object");
    return OC_OK;
}

/* Text 's' (UTF-8) as a PDF text string: UTF-16BE with its byte order
 * mark, in hexadecimal (§7.9.2.2); a byte that is not UTF-8 is U+FFFD. */
static void
put_text_string(oc_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    oc_buf_puts(b, "<FEFF");
    while (*p != '\0') {
        unsigned long c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

        if (c >= 0x80 && more == 0)
            c = 0xFFFD;
        c &= more > 0 ? 0x3Fu >> more : 0xFFFFFu;
        for (; more > 0; more--) {
            if ((*p & 0xC0) != 0x80) {
                c = 0xFFFD;
                break;
            }
            c = c << 6 | (*p++ & 0x3Fu);
        }
        if (c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
            c = 0xFFFD;
        if (c >= 0x10000)
            oc_buf_printf(b, "%04lX%04lX", 0xD800 + ((c - 0x10000) >> 10),
                          0xDC00 + ((c - 0x10000) & 0x3FF));
        else
            oc_buf_printf(b, "%04lX", c);
    }
    oc_buf_puts(b, ">");
}

/* The kids of a structure element from its /K value at 'p' (an array,
 * one reference, or a marked-content id: §14.7.2): the elements among
 * them ("N 0 R") into *refs (malloc'd, the caller frees it), how many
 * others (marked-content ids, and the dictionaries of marked-content and
 * object references) into *others. Returns the elements' number, or -1
 * for a value of another shape (with *refs NULL). */
static long
struct_kids(const char *p, const char *end, long **refs, long *others)
{
    bool array;
    long n = 0;
    size_t cap = 0;

    *refs = NULL;
    *others = 0;
    p = skip_eol(p, end);
    if ((array = p < end && *p == '['))
        p++;
    while ((p = skip_eol(p, end)) < end && !(array && *p == ']')) {
        char *q, *r;
        const char *after;

        if (array && end - p >= 2 && memcmp(p, "<<", 2) == 0) {
            if ((after = find_mem(p, (size_t)(end - p), ">>")) == NULL)
                break;
            p = after + 2;
            ++*others;
            continue;
        }
        if (strtol(p, &q, 10) < 0 || q == p)
            break;
        after = skip_eol(q, end);
        if (strtol(after, &r, 10) == 0 && r != after &&
            (after = skip_eol(r, end)) < end && *after == 'R') {
            if ((size_t)n == cap) {
                cap = cap ? 2 * cap : 8;
                *refs = oc_xrealloc(*refs, cap * sizeof **refs);
            }
            (*refs)[n++] = strtol(p, NULL, 10);
            p = after + 1;
        } else {
            ++*others;
            p = q;
        }
        if (!array)
            return n;
    }
    if (array && p < end && *p == ']')
        return n;
    free(*refs);                /* another shape: nothing to give back */
    *refs = NULL;
    return -1;
}

/* Write structure element 'num' again with its attributes 'e' (if not
 * NULL) and, for 'front' > 0, its 'n' kids 'kids' reordered: the last
 * 'front' first. cairo writes each key of it on a line of its own. */
static void
patch_element(mend *m, long num, const char *body, size_t blen,
              const oc_mend_elem *e, const long *kids, long n, size_t front)
{
    const char *close = rfind_mem(body, blen, ">>");
    const char *k = front > 0 ? find_mem(body, blen, "/K ") : NULL;

    begin_patch(m, num);
    if (k != NULL) {
        oc_buf_put(&m->add, body, (size_t)(k - body));
        oc_buf_puts(&m->add, "/K [");
        for (long i = 0; i < n; i++)
            oc_buf_printf(&m->add, " %ld 0 R",
                          kids[(i + n - (long)front) % n]);
        oc_buf_puts(&m->add, " ]\n");
        k = memchr(k, '\n', (size_t)(close - k));
        oc_buf_put(&m->add, k + 1, (size_t)(close - k - 1));
    } else {
        oc_buf_put(&m->add, body, (size_t)(close - body));
    }
    if (e != NULL && e->alt != NULL) {
        oc_buf_puts(&m->add, "   /Alt ");
        put_text_string(&m->add, e->alt);
        oc_buf_puts(&m->add, "\n");
    }
    if (e != NULL && plain_token(e->lang))
        oc_buf_printf(&m->add, "   /Lang (%s)\n", e->lang);
    if (e != NULL && plain_token(e->id))
        oc_buf_printf(&m->add, "   /ID (%s)\n", e->id);
    oc_buf_put(&m->add, close, blen - (size_t)(close - body));
    oc_buf_puts(&m->add, "endobj\n");
}

/* Structure element 'num' at 'depth' (the Document at 0) and those
 * under it, depth first: each given its attributes (s->elems, in this
 * order), the Document its front matter kids first. */
static oc_status
walk_element(mend *m, const oc_mend_structure *s, long num, int depth)
{
    const char *body, *k;
    size_t blen, index = m->visited++;
    const oc_mend_elem *e = NULL;
    long *kids = NULL, n = 0, others = 0;
    size_t front = depth == 0 ? s->front_kids : 0;
    oc_status st = OC_OK;

    read_one(m, index);
    if (depth > 100 || num <= 0 || num >= m->size || m->offs[num] == 0 ||
        !object_at(m->pdf, m->offs[num], num, &body, &blen) ||
        find_mem(body, blen, "/Type /StructElem") == NULL ||
        rfind_mem(body, blen, ">>") == NULL)
        return oc_pdfw_unexpected(m->err,
                                  "object %ld is not a structure element",
                          num);
    if (m->visited > s->count)
        return oc_pdfw_unexpected(m->err,
                                  "more structure elements than the %zu "
                          "painted", s->count);
    if (m->elem < s->nelems && s->elems[m->elem].index == index)
        e = &s->elems[m->elem++];
    if ((k = find_mem(body, blen, "/K ")) != NULL &&
        (n = struct_kids(k + 3, body + blen, &kids, &others)) < 0)
        return oc_pdfw_unexpected(m->err, "structure element %ld has a /K of "
                          "another shape", num);
    if (front > 0 && (others > 0 || (size_t)n < front)) {
        free(kids);
        return oc_pdfw_unexpected(m->err,
                                  "the Document has not the %zu elements "
                          "of the front matter", front);
    }
    if (e != NULL || (front > 0 && (size_t)n > front))
        patch_element(m, num, body, blen, e, kids, n,
                      (size_t)n > front ? front : 0);
    if (e != NULL && plain_token(e->id)) {
        m->ids[m->nids].id = e->id;
        m->ids[m->nids++].num = num;
    }
    for (long i = 0; i < n && st == OC_OK; i++)
        st = walk_element(m, s, kids[i], depth + 1);
    free(kids);
    return st;
}

static int
by_id(const void *a, const void *b)
{
    return strcmp(((const struct idref *)a)->id,
                  ((const struct idref *)b)->id);
}

/* Write structure tree root 'num' again with the /IDTree (§7.9.6, a
 * name tree of one node, its keys in order) of the elements given an
 * /ID. */
static void
patch_root(mend *m, long num, const char *body, size_t blen)
{
    const char *close = rfind_mem(body, blen, ">>");

    qsort(m->ids, m->nids, sizeof *m->ids, by_id);
    begin_patch(m, num);
    oc_buf_put(&m->add, body, (size_t)(close - body));
    oc_buf_puts(&m->add, "   /IDTree << /Names [");
    for (size_t i = 0; i < m->nids; i++)
        oc_buf_printf(&m->add, " (%s) %ld 0 R", m->ids[i].id,
                      m->ids[i].num);
    oc_buf_puts(&m->add, " ] >>\n");
    oc_buf_put(&m->add, close, blen - (size_t)(close - body));
    oc_buf_puts(&m->add, "endobj\n");
}

/* The structure tree (§14.7.2) that the painter made, as cairo wrote it:
 * a /StructTreeRoot whose one kid is the Document. */
static oc_status
mend_structure(mend *m, const oc_mend_structure *s)
{
    const char *body, *p;
    size_t blen;
    long root, *kids = NULL, others;
    oc_status st;

    if (s->count == 0)
        return OC_OK;
    if ((st = find_catalog(m, &body, &blen)) != OC_OK)
        return st;
    if ((p = find_mem(body, blen, "/StructTreeRoot ")) == NULL)
        return oc_pdfw_unexpected(m->err,
                                  "no /StructTreeRoot in the /Catalog");
    root = strtol(p + 16, NULL, 10);
    if (root <= 0 || root >= m->size || m->offs[root] == 0 ||
        !object_at(m->pdf, m->offs[root], root, &body, &blen) ||
        (p = find_mem(body, blen, "/K ")) == NULL ||
        struct_kids(p + 3, body + blen, &kids, &others) != 1 ||
        others != 0) {
        free(kids);
        return oc_pdfw_unexpected(m->err, "no structure tree of one Document");
    }
    m->ids = oc_xcalloc(s->nelems + 1, sizeof *m->ids);
    st = walk_element(m, s, kids[0], 0);
    free(kids);
    if (st == OC_OK && m->visited != s->count)
        st = oc_pdfw_unexpected(m->err, "%zu structure elements, not the %zu "
                        "painted", m->visited, s->count);
    if (st == OC_OK && m->elem != s->nelems)
        st = oc_pdfw_unexpected(m->err, "no structure element %zu",
                        s->elems[m->elem].index);
    if (st == OC_OK && m->nids > 0 &&
        object_at(m->pdf, m->offs[root], root, &body, &blen) &&
        find_mem(body, blen, "/IDTree") == NULL)
        patch_root(m, root, body, blen);
    free(m->ids);
    m->ids = NULL;
    return st;
}

/* The XMP metadata stream (§14.3.2), a new object; returns its number.
 * PDF/UA asks for its identification there (ISO 14289-1 §5) and for the
 * title in dc:title (§7.1). */
static long
add_metadata(mend *m, const char *title)
{
    long num = m->next++;
    oc_buf x = { 0 };

    oc_pdfw_xmp(&x, title);
    begin_patch(m, num);
    oc_buf_printf(&m->add, "\n<< /Type /Metadata /Subtype /XML "
                           "/Length %zu >>\nstream\n", x.len);
    oc_buf_put(&m->add, x.data, x.len);
    oc_buf_puts(&m->add, "\nendstream\nendobj\n");
    oc_buf_free(&x);
    return num;
}

/* The catalog has no /Lang (§14.9.2.1), its outline and the document
 * title are not shown on opening (§12.2), cairo cannot write page labels
 * (§12.4.2) nor metadata, and leaves /MarkInfo out of a tree of links
 * only (§14.7.1). A catalog that has a /Lang is left as it is. */
static oc_status
mend_catalog(mend *m, const oc_mend_options *opt)
{
    const char *body, *close;
    size_t blen;
    long xmp;
    oc_status st;

    if ((st = find_catalog(m, &body, &blen)) != OC_OK)
        return st;
    if ((close = rfind_mem(body, blen, ">>")) == NULL)
        return oc_pdfw_unexpected(m->err, "the /Catalog is not a dictionary");
    if (find_mem(body, blen, "/Lang") != NULL)
        return OC_OK;
    xmp = opt->title != NULL && find_mem(body, blen, "/Metadata") == NULL
          ? add_metadata(m, opt->title) : 0;
    begin_patch(m, m->root);
    oc_buf_put(&m->add, body, (size_t)(close - body));
    if (plain_token(opt->lang))
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
    if (find_mem(body, blen, "/StructTreeRoot") != NULL &&
        find_mem(body, blen, "/MarkInfo") == NULL)
        oc_buf_puts(&m->add, "   /MarkInfo << /Marked true >>\n");
    if (xmp > 0)
        oc_buf_printf(&m->add, "   /Metadata %ld 0 R\n", xmp);
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

/* The page tree of cairo 1.16: one /Pages object (*pages, its body and
 * length) whose /Kids (from *kids to *close) are the 'npages' pages in
 * the order painted, into refs[npages]. */
static oc_status
page_tree(mend *m, size_t npages, long *pages, const char **body,
          size_t *blen, const char **kids, const char **close, long *refs)
{
    const char *p;
    oc_status st;

    if ((st = find_catalog(m, body, blen)) != OC_OK)
        return st;
    if ((p = find_mem(*body, *blen, "/Pages ")) == NULL)
        return oc_pdfw_unexpected(m->err, "no /Pages in the /Catalog");
    *pages = strtol(p + 7, NULL, 10);
    if (*pages <= 0 || *pages >= m->size || *pages == m->root ||
        *pages == m->info || m->offs[*pages] == 0 ||
        !object_at(m->pdf, m->offs[*pages], *pages, body, blen))
        return oc_pdfw_unexpected(m->err, "no /Pages object");
    if ((*kids = find_mem(*body, *blen, "/Kids [")) == NULL)
        return oc_pdfw_unexpected(m->err, "no /Kids in the page tree");
    *kids += 7;
    if ((*close = memchr(*kids, ']', *blen - (size_t)(*kids - *body))) ==
        NULL)
        return oc_pdfw_unexpected(m->err, "no end to the page tree's /Kids");
    if (read_kids(*kids, *close, refs, npages) != (long)npages)
        return oc_pdfw_unexpected(m->err, "the page tree's /Kids are not the "
                          "book's %zu pages", npages);
    return OC_OK;
}

/* The body first, as painted: the last 'nfront' pages go first. */
static oc_status
reorder_pages(mend *m, size_t nfront, size_t npages)
{
    const char *body = NULL, *kids = NULL, *close = NULL;
    size_t blen = 0;
    long pages = 0;
    long *refs = oc_xcalloc(npages, sizeof *refs);
    oc_status st = page_tree(m, npages, &pages, &body, &blen, &kids, &close,
                             refs);

    if (st == OC_OK) {
        begin_patch(m, pages);
        oc_buf_put(&m->add, body, (size_t)(kids - body));
        for (size_t k = 0; k < npages; k++)
            oc_buf_printf(&m->add, "%ld 0 R ",
                          refs[(k + npages - nfront) % npages]);
        oc_buf_put(&m->add, close, blen - (size_t)(close - body));
        oc_buf_puts(&m->add, "endobj\n");
    }
    free(refs);
    return st;
}

/* ---- the file written again, whole ---- */

/* Where the file written again takes an object's bytes from. */
typedef struct objsrc {
    const char *p;
    size_t      len;
} objsrc;

static int
cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

/* Each object's bytes, its last version: an object of cairo's file runs
 * to the next one's offset (or its cross-reference table), one of the
 * update to the next of the update's (or the update's end). */
static objsrc *
object_sources(const mend *m)
{
    objsrc *src = oc_xcalloc((size_t)m->next, sizeof *src);
    size_t *ends = oc_xmalloc(((size_t)m->size + 1) * sizeof *ends), n = 0;

    for (long k = 1; k < m->size; k++)
        if (m->offs[k] > 0)
            ends[n++] = m->offs[k];
    ends[n++] = (size_t)m->prev;
    qsort(ends, n, sizeof *ends, cmp_size);
    for (long k = 1; k < m->size; k++) {
        size_t lo = 0, hi = n, off = m->offs[k];

        while (lo < hi) {           /* the first end after 'off' */
            size_t mid = lo + (hi - lo) / 2;

            if (ends[mid] <= off)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (off > 0 && lo < n)
            src[k] = (objsrc){ m->pdf->data + off, ends[lo] - off };
    }
    /* The patches are in the update in the order they were written. */
    for (size_t i = 0; i < m->np; i++) {
        size_t a = m->patches[i].off - m->pdf->len;
        size_t b = i + 1 < m->np ? m->patches[i + 1].off - m->pdf->len
                                 : m->add.len;

        src[m->patches[i].num] = (objsrc){ m->add.data + a, b - a };
    }
    free(ends);
    return src;
}

/* The content streams of the 'npages' pages: content[num] set. */
static oc_status
content_objects(mend *m, size_t npages, const objsrc *src, bool *content)
{
    const char *body = NULL, *kids = NULL, *close = NULL, *c;
    size_t blen = 0;
    long pages = 0, num;
    long *refs = oc_xcalloc(npages ? npages : 1, sizeof *refs);
    oc_status st = page_tree(m, npages, &pages, &body, &blen, &kids, &close,
                             refs);

    for (size_t k = 0; k < npages && st == OC_OK; k++) {
        const objsrc *o = refs[k] < m->next ? &src[refs[k]] : NULL;

        read_one(m, k);
        if (o == NULL || o->p == NULL ||
            (c = find_mem(o->p, o->len, "/Contents ")) == NULL ||
            (num = strtol(c + 10, NULL, 10)) <= 0 || num >= m->next)
            st = oc_pdfw_unexpected(m->err, "a page without its /Contents");
        else
            content[num] = true;
    }
    free(refs);
    return st;
}

/* The number that indirect object 'num' is, or -1. */
static long
number_object(const objsrc *src, long size, long num)
{
    oc_buf view;
    size_t n;

    if (num <= 0 || num >= size || src[num].p == NULL)
        return -1;
    view = (oc_buf){ (char *)src[num].p, src[num].len, src[num].len };
    if (!object_head_at(&view, 0, num, &n))
        return -1;
    return strtol(src[num].p + n, NULL, 10);
}

/* The data of stream object 'o' (its bytes), of cairo's shape: a stream
 * of a direct or indirect /Length, /FlateDecode or ('plain') of no
 * filter. */
static bool
stream_data(const mend *m, objsrc o, const objsrc *src, const char **data,
            size_t *n, bool *plain)
{
    const char *len = find_mem(o.p, o.len, "/Length ");
    const char *st = find_mem(o.p, o.len, ">>\nstream\n");
    long k;
    char *q;

    if (len == NULL || st == NULL || len > st)
        return false;
    *plain = find_mem(o.p, (size_t)(st - o.p), "/Filter") == NULL;
    if (!*plain &&
        find_mem(o.p, (size_t)(st - o.p), "/Filter /FlateDecode\n") == NULL)
        return false;
    k = strtol(len + 8, &q, 10);
    if (strncmp(q, " 0 R", 4) == 0)
        k = number_object(src, m->next, k);
    *data = st + 10;
    if (k < 0 || (size_t)k > o.len - (size_t)(*data - o.p))
        return false;
    *n = (size_t)k;
    return true;
}

/* Stream object 'num' written into 'out' deflated, with 'tail' (the
 * rest of its dictionary after /Length and /Filter, from its end of
 * line up to "stream\n") and data 'data' ('n' bytes), deflated here. */
static void
put_deflated(long num, const char *tail, size_t tlen, const char *data,
             size_t n, oc_buf *out)
{
    oc_buf packed = { 0 };

    oc_zlib_pack(data, n, 6, &packed);
    oc_buf_printf(out, "%ld 0 obj\n<< /Length %zu\n   /Filter /FlateDecode\n",
                  num, packed.len);
    oc_buf_put(out, tail, tlen);
    oc_buf_put(out, packed.data, packed.len);
    oc_buf_puts(out, "\nendstream\nendobj\n");
    oc_buf_free(&packed);
}

/* Content stream object 'num' of data 'data' ('n' bytes; deflated, or
 * 'plain') written into 'out' deflated, with its untagged content marked
 * as artifacts (artifact.h); false, with nothing written, for data that
 * cannot be read, or deflated data with nothing to mark (it stays as it
 * is). */
static bool
mark_stream(long num, const char *data, size_t n, bool plain, oc_buf *out)
{
    static const char tail[] = ">>\nstream\n";
    oc_buf inflated = { 0 }, marked = { 0 };
    oc_error err = { 0 };
    bool ok = plain || oc_inflate(data, n, &inflated, &err) == OC_OK;

    if (ok && !plain) {
        data = inflated.data;
        n = inflated.len;
    }
    if (ok && oc_mark_artifacts(data, n, &marked) > 0)
        put_deflated(num, tail, sizeof tail - 1, marked.data, marked.len,
                     out);
    else if (ok && plain)
        put_deflated(num, tail, sizeof tail - 1, data, n, out);
    else
        ok = false;
    oc_buf_free(&inflated);
    oc_buf_free(&marked);
    return ok;
}

/* Content stream 'num' (its bytes 'o') into 'out' with its untagged
 * content marked as artifacts (artifact.h); false, with nothing
 * written, for a stream not of cairo's shape or one with nothing to
 * mark. */
static bool
put_marked_stream(const mend *m, long num, objsrc o, const objsrc *src,
                  oc_buf *out)
{
    const char *data;
    size_t n;
    bool plain;

    return stream_data(m, o, src, &data, &n, &plain) &&
           mark_stream(num, data, n, plain, out);
}

/* Object 'num' (its bytes 'o') onto 'out' deflated if it is a stream
 * that cairo left plain (its dictionary "<< /Length M 0 R\n" and lines
 * of no /Filter); false, with nothing written, for any other. */
static bool
put_plain_stream(const mend *m, long num, objsrc o, const objsrc *src,
                 oc_buf *out)
{
    const char *data, *tail;
    size_t n, head;
    bool plain;
    oc_buf view = { (char *)o.p, o.len, o.len };

    if (!object_head_at(&view, 0, num, &head) || o.len - head < 12 ||
        memcmp(o.p + head, "\n<< /Length ", 12) != 0 ||
        !stream_data(m, o, src, &data, &n, &plain) || !plain ||
        (tail = memchr(o.p + head + 1, '\n', o.len - head - 1)) == NULL)
        return false;
    tail++;
    put_deflated(num, tail, (size_t)(data - tail), data, n, out);
    return true;
}

/* The number written at 'p' (at most 'end') as digits, then 'after';
 * -1 if it is not there. *next is where 'after' ends. */
static long
number_then(const char *p, const char *end, const char *after,
            const char **next)
{
    long v = 0;
    size_t n = strlen(after);
    const char *q = p;

    while (q < end && *q >= '0' && *q <= '9' && v < 100000000)
        v = v * 10 + (*q++ - '0');
    if (q == p || (size_t)(end - q) < n || memcmp(q, after, n) != 0)
        return -1;
    *next = q + n;
    return v;
}

void
oc_mend_premark(const char *data, size_t len, oc_mend_premark_fn put,
                void *ctx)
{
    static const char dict[] = "   /Filter /FlateDecode\n>>\nstream\n";
    static const char plain_dict[] = ">>\nstream\n";
    static const char tail[] = "\nendstream\nendobj\n";
    const char *end = data + len, *p = data, *h;
    oc_buf out = { 0 };

    /* A content stream: "N 0 obj\n<< /Length M 0 R\n" and 'dict' (or
     * 'plain_dict', render.c's) at the start of the bytes or of a line,
     * its data, 'tail', and object M "M 0 obj\n   LENGTH\nendobj\n"
     * telling the data's length. */
    while ((h = memmem(p, (size_t)(end - p), "<< /Length ", 11)) != NULL) {
        const char *obj = h, *d, *q, *t;
        long num, lnum, length = -1;
        char head[40];
        int hn;
        bool plain = false;

        p = h + 1;
        if (obj == data || obj[-1] != '\n')
            continue;
        for (obj--; obj > data && obj[-1] != '\n'; obj--)
            ;
        if ((num = number_then(obj, h, " 0 obj\n", &q)) <= 0 || q != h ||
            (lnum = number_then(h + 11, end, " 0 R\n", &q)) <= 0)
            continue;
        if ((size_t)(end - q) >= sizeof dict - 1 &&
            memcmp(q, dict, sizeof dict - 1) == 0)
            d = q + sizeof dict - 1;
        else if ((plain = (size_t)(end - q) >= sizeof plain_dict - 1 &&
                          memcmp(q, plain_dict, sizeof plain_dict - 1) == 0))
            d = q + sizeof plain_dict - 1;
        else
            continue;
        hn = snprintf(head, sizeof head, "%ld 0 obj\n   ", lnum);
        for (t = d; (t = memmem(t, (size_t)(end - t), tail,
                                sizeof tail - 1)) != NULL; t++) {
            const char *l = t + sizeof tail - 1;

            if ((size_t)(end - l) > (size_t)hn &&
                memcmp(l, head, (size_t)hn) == 0 &&
                number_then(l + hn, end, "\nendobj\n", &q) == t - d) {
                length = t - d;
                break;
            }
        }
        if (length < 0)
            continue;
        out.len = 0;
        t = d + length + sizeof tail - 1;
        if (mark_stream(num, d, (size_t)length, plain, &out))
            put(num, obj, (size_t)(t - obj), out.data, out.len, ctx);
        else
            put(num, obj, (size_t)(t - obj), NULL, 0, ctx);
        p = q;                      /* past the length's object */
    }
    oc_buf_free(&out);
}

/* Content streams are marked in batches, half of each on a second
 * thread: inflating and deflating them is most of the pass. */
#define BATCH 32

typedef struct batch {
    const mend   *m;
    const objsrc *src;
    const long   *nums;         /* the batch's content streams */
    size_t        n;
    oc_buf       *out;          /* [n]: each written again, or empty */
} batch;

/* Every other stream of the batch, from 'first'. */
static void
mark_every_other(const batch *b, size_t first)
{
    for (size_t i = first; i < b->n; i += 2) {
        b->out[i].len = 0;
        put_marked_stream(b->m, b->nums[i], b->src[b->nums[i]], b->src,
                          &b->out[i]);
    }
}

static void *
mark_odd(void *arg)
{
    mark_every_other(arg, 1);
    return NULL;
}

/* Mark the batch: its odd streams on a thread of its own. */
static void
mark_batch(batch *b)
{
    pthread_t t;
    bool two = b->n > 1 && pthread_create(&t, NULL, mark_odd, b) == 0;

    mark_every_other(b, 0);
    if (two)
        pthread_join(t, NULL);
    else
        mark_every_other(b, 1);
}

/* The picture that object 'o' (its bytes) is the placeholder of
 * (pdfimage.h), one of 'n'; -1 if it is none. */
static long
placeholder_of(const mend *m, objsrc o, const objsrc *src, size_t n)
{
    const char *w = find_mem(o.p, o.len < 512 ? o.len : 512,
                             "/Subtype /Image\n   /Width ");
    const char *data;
    size_t len;
    char *q;
    oc_buf plain = { 0 };
    oc_error err = { 0 };
    long id = -1;
    bool raw;

    if (w == NULL || strtol(w + 26, &q, 10) != OC_PDFIMAGE_MARK_W ||
        strncmp(q, "\n   /Height 1\n", 14) != 0 ||
        !stream_data(m, o, src, &data, &len, &raw))
        return -1;
    if (raw)
        id = oc_pdfimage_placeholder_id((const unsigned char *)data, len);
    else if (oc_inflate(data, len, &plain, &err) == OC_OK)
        id = oc_pdfimage_placeholder_id((const unsigned char *)plain.data,
                                        plain.len);
    oc_buf_free(&plain);
    return id >= 0 && (size_t)id < n ? id : -1;
}

/* Where the file written again goes, and how far it is. */
typedef struct writer {
    oc_buf       out;           /* bytes not yet sent */
    size_t       pos;           /* bytes sent */
    oc_mend_sink sink;
    oc_status  (*copy)(int, uint64_t, uint64_t, void *, oc_error *);
    void        *ctx;
} writer;

/* The bytes gathered in w->out to the sink. */
static oc_status
drain(writer *w, oc_error *err)
{
    oc_status st = w->sink(w->out.data, w->out.len, w->ctx, err);

    w->pos += w->out.len;
    w->out.len = 0;
    return st;
}

/* 'len' bytes at 'off' of file 'fd' onto w->out, drained as it fills. */
static oc_status
copy_from(mend *m, writer *w, int fd, uint64_t off, uint64_t len)
{
    char chunk[64 * 1024];
    oc_status st = OC_OK;

    if (w->copy != NULL) {
        if ((st = drain(w, m->err)) == OC_OK &&
            (st = w->copy(fd, off, len, w->ctx, m->err)) == OC_OK)
            w->pos += (size_t)len;
        return st;
    }
    while (len > 0 && st == OC_OK) {
        size_t want = len < sizeof chunk ? (size_t)len : sizeof chunk;
        ssize_t got = pread(fd, chunk, want, (off_t)off);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return oc_error_set(m->err, OC_ERR_IO, NULL, 0, 0,
                                "cannot read the pictures back: %s",
                                got < 0 ? strerror(errno) : "cut short");
        oc_buf_put(&w->out, chunk, (size_t)got);
        off += (uint64_t)got;
        len -= (uint64_t)got;
        if (w->out.len >= 256 * 1024)
            st = drain(w, m->err);
    }
    return st;
}

/* The longest resource dictionary that put_object looks into. */
#define RESOURCES_MAX 8192

/* The entries of a resource category on a line of its own, as cairo
 * writes it ("   /XObject << /x3 3 0 R /x5 5 0 R >>", from 'p' to
 * 'end', the newline), onto 'out' without the repeats of a name that
 * cairo 1.16 writes when a page paints one picture twice (qpdf: a
 * dictionary with a duplicated key). Returns false for a line of
 * another shape or one with no repeat, and the caller sets 'out' back. */
static bool
put_unrepeated(oc_buf *out, const char *p, const char *end)
{
    const char *q = memchr(p, '<', (size_t)(end - p));
    const char *names[64];
    size_t lens[64], n = 0;
    bool repeat = false;

    if (q == NULL || q + 1 >= end || q[1] != '<' || end - p < 6 ||
        memcmp(end - 3, " >>", 3) != 0)
        return false;
    oc_buf_put(out, p, (size_t)(q + 2 - p));
    for (q += 2; q < end - 3;) {
        const char *k = q + 1, *v;
        long a, b;
        char r;
        int used = 0;
        bool dup = false;

        if (*q != ' ' || *k != '/' || n == 64)
            break;
        v = k + strcspn(k, " \n");
        if (v >= end - 3 ||
            sscanf(v, " %ld %ld %c%n", &a, &b, &r, &used) != 3 || r != 'R')
            break;
        for (size_t i = 0; i < n && !dup; i++)
            dup = lens[i] == (size_t)(v - k) &&
                  memcmp(names[i], k, lens[i]) == 0;
        if (dup) {
            repeat = true;
        } else {
            names[n] = k;
            lens[n++] = (size_t)(v - k);
            oc_buf_put(out, q, (size_t)(v + used - q));
        }
        q = v + used;
    }
    if (q != end - 3 || !repeat)
        return false;
    oc_buf_put(out, " >>", 3);
    return true;
}

/* Object 'o' onto 'out' as it is, but for a resource dictionary (a small
 * object that is no stream), whose categories on a line of their own go
 * through put_unrepeated. */
static void
put_object(oc_buf *out, objsrc o)
{
    const char *p = o.p, *end = o.p + o.len, *from = o.p;

    if (o.len > RESOURCES_MAX || find_mem(p, o.len, "stream\n") != NULL ||
        find_mem(p, o.len, " >>\n") == NULL) {
        oc_buf_put(out, o.p, o.len);
        return;
    }
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL && ++p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));

        if (eol == NULL)
            break;
        if (eol - p > 4 && memcmp(p, "   /", 4) == 0) {
            size_t before = out->len;

            oc_buf_put(out, from, (size_t)(p - from));
            if (put_unrepeated(out, p, eol))
                from = eol;
            else
                out->len = before;
        }
        p = eol;
    }
    oc_buf_put(out, from, (size_t)(end - from));
}

/* Image XObject 'num' of picture 'pic' from file 'fd': its colours, with
 * soft mask 'smask' unless it is 0, or ('mask') its alpha. */
static oc_status
put_image(mend *m, writer *w, long num, const oc_mend_picture *pic,
          bool mask, long smask, int fd)
{
    int colors = mask ? 1 : pic->colors;
    int bits = mask || pic->bits == 0 ? 8 : pic->bits;
    uint64_t len = mask ? pic->mask_len : pic->len;
    oc_status st = OC_OK;

    oc_buf_printf(&w->out, "%ld 0 obj\n<< /Type /XObject\n"
                           "   /Subtype /Image\n   /Width %ld\n"
                           "   /Height %ld\n   /ColorSpace ",
                  num, pic->width, pic->height);
    if (!mask && pic->palette_len > 0) {       /* §8.6.6.3 */
        unsigned char rgb[768];
        size_t n = pic->palette_len < sizeof rgb ? (size_t)pic->palette_len
                                                  : sizeof rgb;

        if (pread(fd, rgb, n, (off_t)pic->palette_off) != (ssize_t)n)
            return oc_error_set(m->err, OC_ERR_IO, NULL, 0, 0,
                                "cannot read the pictures back: %s",
                                strerror(errno));
        oc_buf_printf(&w->out, "[/Indexed /DeviceRGB %zu <", n / 3 - 1);
        for (size_t i = 0; i < n; i++)
            oc_buf_printf(&w->out, "%02X", rgb[i]);
        oc_buf_puts(&w->out, ">]\n");
    } else {
        oc_buf_puts(&w->out, colors == 1 ? "/DeviceGray\n" : "/DeviceRGB\n");
    }
    oc_buf_printf(&w->out, "   /BitsPerComponent %d\n   /Interpolate true\n",
                  bits);
    if (smask > 0)
        oc_buf_printf(&w->out, "   /SMask %ld 0 R\n", smask);
    oc_buf_puts(&w->out, !mask && pic->dct ? "   /Filter /DCTDecode\n"
                                           : "   /Filter /FlateDecode\n");
    if (pic->predicted)
        oc_buf_printf(&w->out, "   /DecodeParms << /Predictor 15 /Colors %d "
                               "/BitsPerComponent %d /Columns %ld >>\n",
                      colors, bits, pic->width);
    oc_buf_printf(&w->out, "   /Length %llu\n>>\nstream\n",
                  (unsigned long long)len);
    st = copy_from(m, w, fd, mask ? pic->mask_off : pic->off, len);
    oc_buf_puts(&w->out, "\nendstream\nendobj\n");
    return st;
}

/* 'n' bytes of the input were read to write an object again: the
 * options' let_go is called after every LET_GO_BYTES of them. */
static void
read_bytes(mend *m, size_t n)
{
    m->read += n;
    if (m->read >= LET_GO_BYTES && m->let_go != NULL) {
        m->let_go(m->ctx);
        m->read = 0;
    }
}

/* The marks made ahead of content stream 'num' (its bytes 'o') from the
 * very bytes it has, or NULL. */
static const oc_mend_marked *
premarked(const oc_mend_premarked *pm, long num, objsrc o)
{
    size_t lo = 0, hi = pm->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (pm->list[mid].num < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == pm->n || pm->list[lo].num != num ||
        pm->list[lo].orig_len != o.len ||
        (uint32_t)libdeflate_crc32(0, o.p, o.len) != pm->list[lo].orig_crc)
        return NULL;
    return &pm->list[lo];
}

/* The file whole, every object once in its last version, page content
 * streams marked (when the PDF is tagged), pictures in place of their
 * placeholders, one cross-reference table. */
static oc_status
rewrite(mend *m, const oc_mend_options *opt, oc_mend_sink sink, void *ctx)
{
    const oc_mend_pictures *pics = &opt->pictures;
    objsrc *src = object_sources(m);
    long objs = m->next, total = m->next, id;
    long *mask = oc_xcalloc(pics->n + 1, sizeof *mask);
    bool *content = oc_xcalloc((size_t)objs, sizeof *content);
    const oc_mend_marked **ahead = oc_xcalloc((size_t)objs, sizeof *ahead);
    size_t *off, head = (size_t)m->prev, ncontent = 0, next = 0;
    long *nums = oc_xcalloc((size_t)objs, sizeof *nums);
    oc_buf marked[BATCH] = { { 0 } };
    batch b = { .m = m, .src = src, .nums = nums, .out = marked };
    writer w = { .sink = sink, .copy = opt->copy, .ctx = ctx };
    oc_status st = OC_OK;

    for (size_t i = 0; i < pics->n; i++)     /* the soft masks go last */
        if (pics->list[i].mask_len > 0)
            mask[i] = total++;
    off = oc_xcalloc((size_t)total, sizeof *off);
    if (opt->structure.count > 0)
        st = content_objects(m, opt->npages, src, content);
    for (long k = 1; k < objs; k++) {
        if (!content[k] || src[k].p == NULL)
            continue;
        if (!(ahead[k] = premarked(&opt->premarked, k, src[k])))
            nums[ncontent++] = k;
        read_bytes(m, src[k].len);
    }
    for (long k = 1; k < m->size; k++)
        if (m->offs[k] > 0 && m->offs[k] < head)
            head = m->offs[k];
    if (m->let_go != NULL)      /* what the passes before read */
        m->let_go(m->ctx);
    oc_buf_put(&w.out, m->pdf->data, head);     /* %PDF-1.5 and binary */
    for (long k = 1; k < objs && st == OC_OK; k++) {
        if (src[k].p == NULL)
            continue;
        off[k] = w.pos + w.out.len;
        if (ahead[k] != NULL) {
            const oc_mend_marked *e = ahead[k];

            if (e->len > 0)
                st = copy_from(m, &w, opt->premarked.fd, e->off, e->len);
            else
                oc_buf_put(&w.out, src[k].p, src[k].len);
            read_bytes(m, src[k].len);
            if (st == OC_OK && w.out.len >= 256 * 1024)
                st = drain(&w, m->err);
            continue;
        }
        if (content[k] && next < ncontent && nums[next] == k) {
            if (next % BATCH == 0) {
                b.nums = nums + next;
                b.n = ncontent - next < BATCH ? ncontent - next : BATCH;
                mark_batch(&b);
            }
            if (marked[next % BATCH].len > 0)
                src[k] = (objsrc){ marked[next % BATCH].data,
                                   marked[next % BATCH].len };
            next++;
        }
        if (pics->n > 0 && !content[k] &&
            (id = placeholder_of(m, src[k], src, pics->n)) >= 0) {
            const oc_mend_picture *pic = &pics->list[id];

            st = put_image(m, &w, k, pic, false, mask[id], pics->fd);
        } else if (content[k]) {
            oc_buf_put(&w.out, src[k].p, src[k].len);
        } else if (!put_plain_stream(m, k, src[k], src, &w.out)) {
            put_object(&w.out, src[k]);
        }
        read_bytes(m, src[k].len);
        if (st == OC_OK && w.out.len >= 256 * 1024)
            st = drain(&w, m->err);
    }
    for (size_t i = 0; i < pics->n && st == OC_OK; i++) {
        const oc_mend_picture *pic = &pics->list[i];

        if (mask[i] == 0)
            continue;
        off[mask[i]] = w.pos + w.out.len;
        st = put_image(m, &w, mask[i], pic, true, 0, pics->fd);
    }
    if (st == OC_OK) {
        size_t xref = w.pos + w.out.len;

        oc_buf_printf(&w.out, "xref\n0 %ld\n0000000000 65535 f \n", total);
        for (long k = 1; k < total; k++)
            oc_buf_printf(&w.out, "%010zu %s \n", off[k],
                          off[k] > 0 ? "00000 n" : "00000 f");
        oc_buf_printf(&w.out, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n",
                      total, m->root);
        if (m->info > 0)
            oc_buf_printf(&w.out, "   /Info %ld 0 R\n", m->info);
        oc_buf_printf(&w.out, ">>\nstartxref\n%zu\n%%%%EOF\n", xref);
        st = drain(&w, m->err);
    }
    oc_buf_free(&w.out);
    for (size_t i = 0; i < BATCH; i++)
        oc_buf_free(&marked[i]);
    free(nums);
    free(off);
    free(content);
    free(ahead);
    free(mask);
    free(src);
    return st;
}

oc_status
oc_mend_write(const char *data, size_t len, const oc_mend_options *opt,
              oc_mend_sink sink, void *ctx, oc_error *err)
{
    oc_buf view = { (char *)data, len, len };
    mend m = { .pdf = &view, .err = err, .let_go = opt->let_go,
               .ctx = ctx };
    bool reorder = opt->nfront > 0 && opt->nfront < opt->npages;
    oc_status st;

    if ((st = read_trailer(&m)) != OC_OK || (st = read_xref(&m)) != OC_OK)
        goto out;
    /* At most one patch an object, 1 to size - 1, and the metadata. */
    m.patches = oc_xcalloc((size_t)m.size + 1, sizeof *m.patches);
    m.next = m.size;
    null_broken_objects(&m);
    if ((st = prefix_dates(&m)) != OC_OK ||
        (st = mend_structure(&m, &opt->structure)) != OC_OK ||
        (st = mend_catalog(&m, opt)) != OC_OK ||
        (reorder && (st = reorder_pages(&m, opt->nfront, opt->npages)) !=
                    OC_OK))
        goto out;
    st = rewrite(&m, opt, sink, ctx);
out:
    oc_buf_free(&m.add);
    free(m.patches);
    free(m.offs);
    return st;
}

static oc_status
to_buf(const char *data, size_t len, void *ctx, oc_error *err)
{
    (void)err;
    oc_buf_put(ctx, data, len);
    return OC_OK;
}

oc_status
oc_mend_pdf(oc_buf *pdf, const oc_mend_options *opt, oc_error *err)
{
    oc_buf whole = { 0 };
    oc_status st = oc_mend_write(pdf->data, pdf->len, opt, to_buf, &whole,
                                 err);

    if (st == OC_OK) {
        oc_buf_free(pdf);
        *pdf = whole;
    } else {
        oc_buf_free(&whole);
    }
    return st;
}
