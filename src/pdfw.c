/* pdfw.c - a PDF file written object by object: see pdfw.h. */
#include "pdfw.h"

#include <libdeflate.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "error.h"

/* Bytes gathered before they go to the sink. */
enum { CHUNK = 256 * 1024 };

struct oc_pdfw {
    oc_pdfw_sink  sink;
    void         *ctx;
    oc_buf        out;          /* gathered, not yet sent */
    uint64_t      sent;         /* bytes sent to the sink */
    oc_error      err;          /* the first failure */
    uint32_t     *offs;         /* [n]: object → offset + 1, 0 unwritten;
                                   UINT32_MAX: in 'far' (a file past
                                   4 GiB), so that a long book's table
                                   takes 4 bytes an object */
    GHashTable   *far;          /* number → offset + 1, as uint64_t * */
    size_t        n, cap;       /* numbers handed out (0 is never one) */
    oc_buf        body;         /* the object begun */
    long          open;         /* its number, 0 if none */
    struct libdeflate_compressor *z;
    oc_buf        packed;
};

static void
flush(oc_pdfw *w)
{
    if (w->err.code == OC_OK && w->out.len > 0 &&
        w->sink(w->out.data, w->out.len, w->ctx, &w->err) == OC_OK)
        w->sent += w->out.len;
    w->out.len = 0;
}

static void
put(oc_pdfw *w, const void *data, size_t len)
{
    if (w->err.code != OC_OK)
        return;
    if (len >= CHUNK) {         /* big data: straight on */
        flush(w);
        if (w->err.code == OC_OK &&
            w->sink(data, len, w->ctx, &w->err) == OC_OK)
            w->sent += len;
        return;
    }
    oc_buf_put(&w->out, data, len);
    if (w->out.len >= CHUNK)
        flush(w);
}

uint64_t
oc_pdfw_offset(const oc_pdfw *w)
{
    return w->sent + w->out.len;
}

oc_status
oc_pdfw_status(const oc_pdfw *w)
{
    return w->err.code;
}

oc_pdfw *
oc_pdfw_new(oc_pdfw_sink sink, void *ctx)
{
    oc_pdfw *w = oc_xcalloc(1, sizeof *w);

    w->sink = sink;
    w->ctx = ctx;
    w->n = 1;
    /* Four bytes above 127 on the second line: a binary file (§7.5.2). */
    put(w, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15);
    return w;
}

void
oc_pdfw_free(oc_pdfw *w)
{
    if (w == NULL)
        return;
    oc_buf_free(&w->out);
    oc_buf_free(&w->body);
    oc_buf_free(&w->packed);
    if (w->z != NULL)
        libdeflate_free_compressor(w->z);
    free(w->offs);
    if (w->far != NULL)
        g_hash_table_destroy(w->far);
    free(w);
}

long
oc_pdfw_reserve(oc_pdfw *w)
{
    if (w->n == w->cap || w->offs == NULL) {
        w->cap = w->cap ? 2 * w->cap : 1024;
        w->offs = oc_xrealloc(w->offs, w->cap * sizeof *w->offs);
    }
    w->offs[w->n] = 0;
    return (long)w->n++;
}

/* Object 'num' starts here: its offset noted, its head written. */
static void
head(oc_pdfw *w, long num)
{
    char h[32];
    int n;

    if (num > 0 && (size_t)num < w->n) {
        uint64_t at = oc_pdfw_offset(w) + 1;

        if (at < UINT32_MAX) {
            w->offs[num] = (uint32_t)at;
        } else {
            uint64_t *v = g_new(uint64_t, 1);

            *v = at;
            if (w->far == NULL)
                w->far = g_hash_table_new_full(g_direct_hash,
                                               g_direct_equal, NULL, g_free);
            g_hash_table_replace(w->far, GSIZE_TO_POINTER((gsize)num), v);
            w->offs[num] = UINT32_MAX;
        }
    }
    n = snprintf(h, sizeof h, "%ld 0 obj\n", num);
    put(w, h, (size_t)n);
}

oc_buf *
oc_pdfw_begin(oc_pdfw *w, long num)
{
    w->open = num;
    w->body.len = 0;
    oc_buf_reserve(&w->body, 256);
    w->body.data[0] = '\0';
    return &w->body;
}

void
oc_pdfw_end(oc_pdfw *w)
{
    head(w, w->open);
    put(w, w->body.data, w->body.len);
    put(w, "\nendobj\n", 8);
    w->open = 0;
}

/* A stream's head: its dictionary and the keyword. */
static void
stream_head(oc_pdfw *w, long num, const char *dict, uint64_t len,
            const char *filter)
{
    oc_buf *b = &w->body;

    head(w, num);
    b->len = 0;
    oc_buf_puts(b, "<<");
    if (dict != NULL && dict[0] != '\0') {
        oc_buf_puts(b, " ");
        oc_buf_puts(b, dict);
    }
    if (filter != NULL)
        oc_buf_printf(b, " /Filter %s", filter);
    oc_buf_printf(b, " /Length %llu >>\nstream\n", (unsigned long long)len);
    put(w, b->data, b->len);
    b->len = 0;
}

bool
oc_pdfw_deflate(struct libdeflate_compressor **z, const void *data,
                size_t len, oc_buf *out)
{
    size_t bound;

    if (*z == NULL && (*z = libdeflate_alloc_compressor(6)) == NULL)
        oc_out_of_memory(sizeof *z);
    bound = libdeflate_zlib_compress_bound(*z, len);
    out->len = 0;
    oc_buf_reserve(out, bound);
    out->len = libdeflate_zlib_compress(*z, data, len, out->data, bound);
    return out->len > 0 && out->len < len;
}

void
oc_pdfw_stream(oc_pdfw *w, long num, const char *dict, const void *data,
               size_t len, bool deflate)
{
    if (deflate && oc_pdfw_deflate(&w->z, data, len, &w->packed)) {
        stream_head(w, num, dict, w->packed.len, "/FlateDecode");
        put(w, w->packed.data, w->packed.len);
    } else {
        stream_head(w, num, dict, len, NULL);
        put(w, data, len);
    }
    put(w, "\nendstream\nendobj\n", 18);
}

void
oc_pdfw_stream_raw(oc_pdfw *w, long num, const char *dict,
                   const void *data, uint64_t len,
                   oc_status (*copy)(oc_pdfw *w, void *ctx, oc_error *err),
                   void *ctx)
{
    stream_head(w, num, dict, len, NULL);
    if (copy != NULL) {
        if (w->err.code == OC_OK)
            copy(w, ctx, &w->err);
    } else {
        put(w, data, (size_t)len);
    }
    put(w, "\nendstream\nendobj\n", 18);
}

void
oc_pdfw_stream_file(oc_pdfw *w, long num, const char *dict, int fd,
                    uint64_t off, uint64_t len, oc_pdfw_copy copy, void *ctx)
{
    stream_head(w, num, dict, len, NULL);
    flush(w);
    if (w->err.code == OC_OK && copy(fd, off, len, ctx, &w->err) == OC_OK)
        w->sent += len;
    put(w, "\nendstream\nendobj\n", 18);
}

oc_status
oc_pdfw_raw(oc_pdfw *w, const void *data, size_t len, oc_error *err)
{
    put(w, data, len);
    if (w->err.code != OC_OK && err != NULL && err != &w->err)
        *err = w->err;
    return w->err.code;
}

void
oc_pdfw_name(oc_buf *b, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";

    oc_buf_put(b, "/", 1);
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0';
         p++) {
        if (*p < 0x21 || *p > 0x7e || strchr("#/()<>[]{}%", *p) != NULL) {
            char e[3] = { '#', hex[*p >> 4], hex[*p & 15] };

            oc_buf_put(b, e, 3);
        } else {
            oc_buf_put(b, p, 1);
        }
    }
}

void
oc_pdfw_string(oc_buf *b, const char *bytes, size_t len)
{
    oc_buf_reserve(b, len + 2);
    oc_buf_put(b, "(", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)bytes[i];

        if (c == '(' || c == ')' || c == '\\') {
            char e[2] = { '\\', (char)c };

            oc_buf_put(b, e, 2);
        } else if (c == '\r') {
            oc_buf_put(b, "\\r", 2);
        } else if (c == '\n') {
            oc_buf_put(b, "\\n", 2);
        } else {
            oc_buf_put(b, &c, 1);
        }
    }
    oc_buf_put(b, ")", 1);
}

/* The next code point of UTF-8 'p' (valid: the book's text is checked),
 * 'p' moved past it. */
static unsigned
next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned c = *s++;

    if (c >= 0xf0 && s[0] && s[1] && s[2]) {
        c = ((c & 7u) << 18) | ((s[0] & 63u) << 12) | ((s[1] & 63u) << 6) |
            (s[2] & 63u);
        s += 3;
    } else if (c >= 0xe0 && s[0] && s[1]) {
        c = ((c & 15u) << 12) | ((s[0] & 63u) << 6) | (s[1] & 63u);
        s += 2;
    } else if (c >= 0xc0 && s[0]) {
        c = ((c & 31u) << 6) | (s[0] & 63u);
        s++;
    } else if (c >= 0x80) {
        c = 0xfffd;
    }
    *p = s;
    return c;
}

void
oc_pdfw_text(oc_buf *b, const char *utf8)
{
    const unsigned char *p = (const unsigned char *)utf8;
    bool ascii = true;

    for (const unsigned char *q = p; *q != '\0'; q++)
        if (*q < 0x20 || *q > 0x7e)
            ascii = false;
    if (ascii) {
        oc_pdfw_string(b, utf8, strlen(utf8));
        return;
    }
    oc_buf_puts(b, "<FEFF");
    while (*p != '\0') {
        unsigned c = next_cp(&p);

        if (c >= 0x10000) {
            c -= 0x10000;
            oc_buf_printf(b, "%04X%04X", 0xd800 + (c >> 10),
                          0xdc00 + (c & 0x3ff));
        } else {
            oc_buf_printf(b, "%04X", c);
        }
    }
    oc_buf_puts(b, ">");
}

void
oc_pdfw_num(oc_buf *b, double v, int decimals)
{
    static const long scale[] = { 1, 10, 100, 1000, 10000, 100000,
                                  1000000 };
    char s[48], *e = s + sizeof s, *p = e;
    long long whole, frac;
    long sc;
    bool neg = v < 0;
    int d;

    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    sc = scale[decimals];
    if (!isfinite(v) || fabs(v) > 1e12)
        v = 0;
    if (neg)
        v = -v;
    whole = llround(v * (double)sc);
    frac = whole % sc;
    whole /= sc;
    d = decimals;
    while (d > 0 && frac % 10 == 0) {   /* trailing zeros off */
        frac /= 10;
        d--;
    }
    if (d > 0) {
        for (int i = 0; i < d; i++) {
            *--p = (char)('0' + frac % 10);
            frac /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole > 0);
    if (neg && !(p[0] == '0' && p + 1 == e))
        *--p = '-';
    oc_buf_put(b, p, (size_t)(e - p));
}

oc_status
oc_pdfw_finish(oc_pdfw *w, long root, long info, const unsigned char id[16],
               oc_error *err)
{
    uint64_t xref = oc_pdfw_offset(w);
    oc_buf *b = &w->body;

    b->len = 0;
    oc_buf_printf(b, "xref\n0 %zu\n0000000000 65535 f \n", w->n);
    put(w, b->data, b->len);
    for (size_t i = 1; i < w->n; i++) {
        char e[32];
        uint64_t at = w->offs[i];

        if (at == UINT32_MAX)
            at = *(uint64_t *)g_hash_table_lookup(
                w->far, GSIZE_TO_POINTER((gsize)i));
        if (at > 0)
            snprintf(e, sizeof e, "%010llu 00000 n \n",
                     (unsigned long long)(at - 1) % 10000000000ull);
        else
            memcpy(e, "0000000000 65535 f \n", 21);
        put(w, e, 20);
    }
    b->len = 0;
    oc_buf_printf(b, "trailer\n<< /Size %zu /Root %ld 0 R", w->n, root);
    if (info > 0)
        oc_buf_printf(b, " /Info %ld 0 R", info);
    if (id != NULL) {
        oc_buf_puts(b, " /ID [<");
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 16; i++)
                oc_buf_printf(b, "%02x", id[i]);
            oc_buf_puts(b, k == 0 ? "> <" : ">]");
        }
    }
    oc_buf_printf(b, " >>\nstartxref\n%llu\n%%%%EOF\n",
                  (unsigned long long)xref);
    put(w, b->data, b->len);
    flush(w);
    if (w->err.code != OC_OK && err != NULL)
        *err = w->err;
    return w->err.code;
}

/* Text with XML's special characters escaped. */
static void
put_xml(oc_buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '&')
            oc_buf_puts(b, "&amp;");
        else if (*s == '<')
            oc_buf_puts(b, "&lt;");
        else if (*s == '>')
            oc_buf_puts(b, "&gt;");
        else
            oc_buf_put(b, s, 1);
    }
}

void
oc_pdfw_xmp(oc_buf *x, const char *title)
{
    oc_buf_puts(x, "<?xpacket begin=\"\xEF\xBB\xBF\" "
                   "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                   "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                   "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
                   "22-rdf-syntax-ns#\">\n"
                   "<rdf:Description rdf:about=\"\"\n"
                   "  xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                   "  xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
                   "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    put_xml(x, title != NULL ? title : "");
    oc_buf_puts(x, "</rdf:li></rdf:Alt></dc:title>\n"
                   "<pdfuaid:part>1</pdfuaid:part>\n"
                   "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
                   "<?xpacket end=\"r\"?>");
}

oc_status
oc_pdfw_unexpected(oc_error *err, const char *fmt, ...)
{
    char what[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return oc_error_set(err, OC_ERR_LIB, NULL, 0, 0,
                        "unexpected PDF from cairo: %s", what);
}
