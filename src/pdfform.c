/* pdfform.c - what cairo draws → a form XObject (ISO 32000-1 §8.10) in
 * a file pdfw.h writes: see pdfform.h. cairo's one-page PDF is read with
 * a tokenizer of the PDF syntax (§7.2, §7.3) from its classic
 * cross-reference table (§7.5.4), as cairo 1.16 writes it; whatever does
 * not read is an error, never a guess. Everything is read and checked
 * before the first byte goes to the writer, so a failure leaves nothing
 * of the form in the file. */
#include "pdfform.h"

#include <cairo-pdf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "artifact.h"
#include "buf.h"
#include "error.h"

/* Arrays and dictionaries nested deeper than this are refused. */
enum { MAX_DEPTH = 32 };

/* A direct object (§7.3) as parsed. The atoms keep their bytes as cairo
 * wrote them (strings with their escapes, names with their #xx), which
 * are copied as they are. */
typedef enum kind {
    V_NUM, V_NAME, V_STR, V_WORD, V_REF, V_ARRAY, V_DICT
} kind;

typedef struct val {
    kind        kind;
    const char *s;              /* atoms: the token */
    size_t      n;
    long        ref;            /* V_REF: the object number */
    struct val *items;          /* V_ARRAY; V_DICT: key, value, key... */
    size_t      nitems;
} val;

/* An object of cairo's file that goes into the form. */
typedef struct obj {
    long        num;            /* in cairo's file */
    long        to;             /* in the writer's */
    val         v;              /* its value; a stream's dictionary */
    const char *data;           /* a stream's data as stored, else NULL */
    size_t      len;
    bool        filtered;       /* the stream has a /Filter */
} obj;

/* cairo's file being read. */
typedef struct src {
    const char *pdf;
    size_t      len;
    oc_arena   *a;
    oc_error   *err;
    long        size;           /* object numbers are below this */
    size_t     *offs;           /* [size]: offset + 1; 0 when free */
    bool       *banned;         /* [size]: the page, its tree, catalog */
    size_t     *index;          /* [size]: index + 1 in objs; 0 none */
    OC_VEC(obj) objs;
} src;

/* --- Tokens (§7.2) ---------------------------------------------------- */

typedef enum tok {
    T_END, T_BAD, T_NUM, T_NAME, T_STR, T_WORD,
    T_DICT, T_DICT_END, T_ARRAY, T_ARRAY_END
} tok;

typedef struct lex {
    const char *p, *end;
} lex;

static bool
is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
           c == '\0';
}

static bool
is_delim(char c)
{
    return c != '\0' && strchr("()<>[]{}/%", c) != NULL;
}

/* Whether 's' is a number (§7.3.3): a sign, digits, at most one point. */
static bool
is_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0, points = 0;

    if (n > 0 && (s[0] == '+' || s[0] == '-'))
        i++;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.' && points++ == 0)
            continue;
        else
            return false;
    }
    return digits > 0;
}

/* The non-negative integer 's' is (digits only, below 2^31), or -1. */
static long
integer(const char *s, size_t n)
{
    long v = 0;

    if (n == 0 || n > 10)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v < 0x7fffffffL ? v : -1;
}

/* A literal string's end, past its ')': parentheses balance unless
 * escaped (§7.3.4.2); NULL if it has none. */
static const char *
string_end(const char *p, const char *end)
{
    int depth = 0;

    for (; p < end; p++) {
        if (*p == '\\') {
            if (++p == end)
                break;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')' && --depth == 0) {
            return p + 1;
        }
    }
    return NULL;
}

/* The next token, its bytes in *s, *n. Comments are white space. */
static tok
next(lex *l, const char **s, size_t *n)
{
    const char *p = l->p, *e = l->end;
    tok t;

    for (;;) {
        while (p < e && is_space(*p))
            p++;
        if (p == e || *p != '%')
            break;
        while (p < e && *p != '\n' && *p != '\r')
            p++;
    }
    *s = p;
    *n = 0;
    if (p == e)
        return T_END;
    switch (*p) {
    case '<':
        if (p + 1 < e && p[1] == '<') {
            p += 2;
            t = T_DICT;
            break;
        }
        for (p++; p < e && *p != '>'; p++)
            if (!is_space(*p) && oc_hex_digit((unsigned char)*p) < 0)
                return T_BAD;
        if (p == e)
            return T_BAD;
        p++;
        t = T_STR;
        break;
    case '>':
        if (p + 1 < e && p[1] == '>') {
            p += 2;
            t = T_DICT_END;
            break;
        }
        return T_BAD;
    case '[':
        p++;
        t = T_ARRAY;
        break;
    case ']':
        p++;
        t = T_ARRAY_END;
        break;
    case '(':
        if ((p = string_end(p, e)) == NULL)
            return T_BAD;
        t = T_STR;
        break;
    case '/':
        for (p++; p < e && !is_space(*p) && !is_delim(*p); p++)
            ;
        t = T_NAME;
        break;
    case ')': case '{': case '}':
        return T_BAD;       /* { } only in PostScript functions' data */
    default:
        while (p < e && !is_space(*p) && !is_delim(*p))
            p++;
        t = is_number(*s, (size_t)(p - *s)) ? T_NUM : T_WORD;
        break;
    }
    *n = (size_t)(p - *s);
    l->p = p;
    return t;
}

static bool
word_is(const char *s, size_t n, const char *w)
{
    return n == strlen(w) && memcmp(s, w, n) == 0;
}

/* --- Objects (§7.3) --------------------------------------------------- */

static oc_status parse_val(src *f, lex *l, tok t, const char *s, size_t n,
                           int depth, val *out);

/* The items of an array or dictionary whose opening token was read, up
 * to its 'close'. */
static oc_status
parse_items(src *f, lex *l, tok close, int depth, val *out)
{
    OC_VEC(val) items = {0};
    const char *s;
    size_t n;
    tok t;
    oc_status st;

    if (depth >= MAX_DEPTH)
        return oc_pdfw_unexpected(f->err,
                                  "arrays or dictionaries nested too deep");
    while ((t = next(l, &s, &n)) != close) {
        val *v;

        if (close == T_DICT_END && items.n % 2 == 0 && t != T_NAME)
            return oc_pdfw_unexpected(f->err, "a dictionary key is not a name "
                              "near byte %zu", (size_t)(s - f->pdf));
        v = OC_VEC_PUSH(f->a, &items);
        if ((st = parse_val(f, l, t, s, n, depth + 1, v)) != OC_OK)
            return st;
    }
    if (close == T_DICT_END && items.n % 2 != 0)
        return oc_pdfw_unexpected(f->err,
                                  "a dictionary key without a value near "
                          "byte %zu", (size_t)(s - f->pdf));
    out->items = items.v;
    out->nitems = items.n;
    return OC_OK;
}

/* The value that begins with token 't' ('s', 'n'): "N G R" is one
 * reference, whatever white space or comments are between. */
static oc_status
parse_val(src *f, lex *l, tok t, const char *s, size_t n, int depth,
          val *out)
{
    memset(out, 0, sizeof *out);
    out->s = s;
    out->n = n;
    switch (t) {
    case T_NUM: {
        lex ahead = *l;
        const char *s2, *s3;
        size_t n2, n3;

        out->kind = V_NUM;
        if (integer(s, n) >= 0 && next(&ahead, &s2, &n2) == T_NUM &&
            integer(s2, n2) >= 0 && next(&ahead, &s3, &n3) == T_WORD &&
            word_is(s3, n3, "R")) {
            out->kind = V_REF;
            out->ref = integer(s, n);
            *l = ahead;
        }
        return OC_OK;
    }
    case T_NAME:
        out->kind = V_NAME;
        return OC_OK;
    case T_STR:
        out->kind = V_STR;
        return OC_OK;
    case T_WORD:
        if (!word_is(s, n, "true") && !word_is(s, n, "false") &&
            !word_is(s, n, "null"))
            break;
        out->kind = V_WORD;
        return OC_OK;
    case T_ARRAY:
        out->kind = V_ARRAY;
        return parse_items(f, l, T_ARRAY_END, depth, out);
    case T_DICT:
        out->kind = V_DICT;
        return parse_items(f, l, T_DICT_END, depth, out);
    default:
        break;
    }
    if (t == T_END)
        return oc_pdfw_unexpected(f->err, "the file ends inside an object");
    return oc_pdfw_unexpected(f->err, "no object at byte %zu",
                      (size_t)(s - f->pdf));
}

/* The value of /'key' in dictionary 'd' (key without the slash), or
 * NULL. Names are compared as written: cairo writes keys plainly. */
static const val *
lookup(const val *d, const char *key)
{
    size_t kn = strlen(key);

    if (d == NULL || d->kind != V_DICT)
        return NULL;
    for (size_t i = 0; i + 1 < d->nitems; i += 2)
        if (d->items[i].n == kn + 1 && memcmp(d->items[i].s + 1, key, kn) == 0)
            return &d->items[i + 1];
    return NULL;
}

static bool
is_name(const val *v, const char *name)
{
    return v != NULL && v->kind == V_NAME && v->n == strlen(name) + 1 &&
           memcmp(v->s + 1, name, v->n - 1) == 0;
}

/* Indirect object 'num' (§7.3.10): its value into *v; a stream's data as
 * stored into *data, *len (NULL, 0 when it is no stream, which it must
 * not be unless 'streams'). */
static oc_status
read_object(src *f, long num, bool streams, val *v, const char **data,
            size_t *len)
{
    lex l;
    const char *s, *body;
    const val *length;
    size_t n;
    long dlen;
    tok t;
    oc_status st;

    *data = NULL;
    *len = 0;
    if (num <= 0 || num >= f->size || f->offs[num] == 0)
        return oc_pdfw_unexpected(f->err,
                                  "object %ld is not in the file", num);
    l.p = f->pdf + f->offs[num] - 1;
    l.end = f->pdf + f->len;
    if (next(&l, &s, &n) != T_NUM || integer(s, n) != num ||
        next(&l, &s, &n) != T_NUM || integer(s, n) != 0 ||
        next(&l, &s, &n) != T_WORD || !word_is(s, n, "obj"))
        return oc_pdfw_unexpected(f->err, "object %ld is not where the "
                          "cross-reference table says", num);
    t = next(&l, &s, &n);
    if ((st = parse_val(f, &l, t, s, n, 0, v)) != OC_OK)
        return st;
    t = next(&l, &s, &n);
    if (t == T_WORD && word_is(s, n, "endobj"))
        return OC_OK;
    if (t != T_WORD || !word_is(s, n, "stream") || v->kind != V_DICT)
        return oc_pdfw_unexpected(f->err, "object %ld has no endobj", num);
    if (!streams)
        return oc_pdfw_unexpected(f->err,
                                  "object %ld is a stream, not a value",
                          num);
    /* The keyword, then CR LF or LF (§7.3.8.1). */
    body = l.p;
    if (body < l.end && *body == '\r')
        body++;
    if (body == l.end || *body != '\n')
        return oc_pdfw_unexpected(f->err, "object %ld: no end of line after "
                          "'stream'", num);
    body++;
    length = lookup(v, "Length");
    if (length != NULL && length->kind == V_REF) {
        val lv;
        const char *d;
        size_t dn;

        if ((st = read_object(f, length->ref, false, &lv, &d, &dn)) != OC_OK)
            return st;
        dlen = lv.kind == V_NUM ? integer(lv.s, lv.n) : -1;
    } else {
        dlen = length != NULL && length->kind == V_NUM ?
               integer(length->s, length->n) : -1;
    }
    if (dlen < 0)
        return oc_pdfw_unexpected(f->err,
                                  "object %ld: a stream without a /Length",
                          num);
    if ((size_t)dlen > (size_t)(l.end - body))
        return oc_pdfw_unexpected(f->err,
                                  "object %ld: its /Length runs past the "
                          "end of the file", num);
    l.p = body + dlen;
    if (next(&l, &s, &n) != T_WORD || !word_is(s, n, "endstream"))
        return oc_pdfw_unexpected(f->err, "object %ld: no endstream after its "
                          "/Length", num);
    *data = body;
    *len = (size_t)dlen;
    return OC_OK;
}

/* Object 'num', which must be a dictionary, not a stream, of /Type
 * 'type' (NULL: any); it is not to be copied. */
static oc_status
read_dict(src *f, long num, const char *type, val *v)
{
    const char *data;
    size_t len;
    oc_status st;

    if ((st = read_object(f, num, false, v, &data, &len)) != OC_OK)
        return st;
    if (v->kind != V_DICT || (type != NULL && !is_name(lookup(v, "Type"),
                                                       type)))
        return oc_pdfw_unexpected(f->err,
                                  "object %ld is not a%s%s dictionary", num,
                          type != NULL ? " /" : "", type != NULL ? type : "");
    f->banned[num] = true;
    return OC_OK;
}

/* --- The file's structure (§7.5) -------------------------------------- */

/* The cross-reference table at 'startxref' and the trailer after it: the
 * offsets into f->offs, the trailer's dictionary into *trailer. Read
 * twice: first for the size, then for the offsets. */
static oc_status
read_xref(src *f, val *trailer)
{
    const char *sx = NULL, *s;
    size_t n;
    lex l;
    long at;

    for (size_t i = f->len >= 9 ? f->len - 9 + 1 : 0; i-- > 0;)
        if (memcmp(f->pdf + i, "startxref", 9) == 0) {
            sx = f->pdf + i;
            break;
        }
    if (sx == NULL)
        return oc_pdfw_unexpected(f->err, "no startxref");
    l.p = sx + 9;
    l.end = f->pdf + f->len;
    if (next(&l, &s, &n) != T_NUM || (at = integer(s, n)) < 0 ||
        (size_t)at >= f->len)
        return oc_pdfw_unexpected(f->err,
                                  "startxref gives no offset in the file");
    for (int pass = 0; pass < 2; pass++) {
        l.p = f->pdf + at;
        if (next(&l, &s, &n) != T_WORD || !word_is(s, n, "xref"))
            return oc_pdfw_unexpected(f->err, "no xref where startxref says");
        for (;;) {
            tok t = next(&l, &s, &n);
            long first, count;

            if (t == T_WORD && word_is(s, n, "trailer"))
                break;
            first = t == T_NUM ? integer(s, n) : -1;
            count = next(&l, &s, &n) == T_NUM ? integer(s, n) : -1;
            if (first < 0 || count < 0 || (size_t)count > f->len / 18 ||
                first > 0x7fffffffL - count)
                return oc_pdfw_unexpected(f->err,
                                          "a bad cross-reference section");
            if (pass == 0 && first + count > f->size)
                f->size = first + count;
            for (long i = first; i < first + count; i++) {
                long off = next(&l, &s, &n) == T_NUM ? integer(s, n) : -1;
                long gen = next(&l, &s, &n) == T_NUM ? integer(s, n) : -1;
                bool used;

                if (next(&l, &s, &n) != T_WORD || off < 0 || gen < 0 ||
                    (!word_is(s, n, "n") && !word_is(s, n, "f")))
                    return oc_pdfw_unexpected(f->err,
                                              "a bad cross-reference entry");
                used = s[0] == 'n';
                if (used && (gen != 0 || (size_t)off >= f->len))
                    return oc_pdfw_unexpected(f->err,
                                              "object %ld is out of the file",
                                      i);
                if (pass == 1 && used)
                    f->offs[i] = (size_t)off + 1;
            }
        }
        if (pass == 0) {
            f->offs = oc_arena_alloc(f->a, (size_t)f->size * sizeof *f->offs);
            f->banned = oc_arena_alloc(f->a,
                                       (size_t)f->size * sizeof *f->banned);
            f->index = oc_arena_alloc(f->a,
                                      (size_t)f->size * sizeof *f->index);
        }
    }
    if (parse_val(f, &l, next(&l, &s, &n), s, n, 0, trailer) != OC_OK ||
        trailer->kind != V_DICT)
        return oc_pdfw_unexpected(f->err, "no trailer dictionary");
    return OC_OK;
}

/* The one page: trailer → catalog → page tree → its one kid (§7.7.3).
 * None of them is copied, and a reference to one of them from what is
 * copied is an error. */
static oc_status
find_page(src *f, val *page)
{
    val trailer, catalog, pages;
    const val *root, *info, *tree, *kids;
    oc_status st;

    if ((st = read_xref(f, &trailer)) != OC_OK)
        return st;
    root = lookup(&trailer, "Root");
    if (root == NULL || root->kind != V_REF)
        return oc_pdfw_unexpected(f->err, "the trailer has no /Root");
    if ((st = read_dict(f, root->ref, "Catalog", &catalog)) != OC_OK)
        return st;
    info = lookup(&trailer, "Info");
    if (info != NULL && info->kind == V_REF && info->ref > 0 &&
        info->ref < f->size)
        f->banned[info->ref] = true;
    tree = lookup(&catalog, "Pages");
    if (tree == NULL || tree->kind != V_REF)
        return oc_pdfw_unexpected(f->err, "the catalog has no /Pages");
    if ((st = read_dict(f, tree->ref, "Pages", &pages)) != OC_OK)
        return st;
    kids = lookup(&pages, "Kids");
    if (kids == NULL || kids->kind != V_ARRAY || kids->nitems != 1 ||
        kids->items[0].kind != V_REF)
        return oc_pdfw_unexpected(f->err, "the page tree has not one page");
    return read_dict(f, kids->items[0].ref, "Page", page);
}

/* --- What the form uses ----------------------------------------------- */

/* Object 'num' is to be copied: queued, once (read_taken reads it). */
static oc_status
take(src *f, long num)
{
    obj *o;

    if (num <= 0 || num >= f->size || f->offs[num] == 0)
        return oc_pdfw_unexpected(f->err,
                                  "a reference to object %ld, which is not "
                          "in the file", num);
    if (f->banned[num])
        return oc_pdfw_unexpected(f->err,
                                  "the page's resources refer to object %ld "
                          "(the page's own, its tree's or the catalog)", num);
    if (f->index[num] != 0)
        return OC_OK;
    o = OC_VEC_PUSH(f->a, &f->objs);
    o->num = num;
    f->index[num] = f->objs.n;
    return OC_OK;
}

/* Every object 'v' refers to, but through 'skip', is taken. */
static oc_status
collect(src *f, const val *v, const val *skip)
{
    oc_status st;

    if (v == skip)
        return OC_OK;
    if (v->kind == V_REF)
        return take(f, v->ref);
    for (size_t i = 0; i < v->nitems; i++)
        if ((st = collect(f, &v->items[i], skip)) != OC_OK)
            return st;
    return OC_OK;
}

/* The objects taken, read in turn; those they refer to are taken and
 * read after them. */
static oc_status
read_taken(src *f)
{
    static const char *const page_types[] = {
        "Page", "Pages", "Catalog", "StructTreeRoot", "StructElem",
        "Outlines", "Annot", "MCR", "OBJR",
    };
    oc_status st;

    for (size_t i = 0; i < f->objs.n; i++) {
        obj *o = &f->objs.v[i];
        val top;

        if ((st = read_object(f, o->num, true, &o->v, &o->data,
                              &o->len)) != OC_OK)
            return st;
        for (size_t k = 0; k < sizeof page_types / sizeof *page_types; k++)
            if (is_name(lookup(&o->v, "Type"), page_types[k]))
                return oc_pdfw_unexpected(f->err,
                                          "the page's resources refer to "
                                  "object %ld, a /%s", o->num,
                                  page_types[k]);
        o->filtered = o->data != NULL && lookup(&o->v, "Filter") != NULL;
        /* Taking moves the vector: 'top' is a copy, its items the same
         * arena memory. A stream's /Length is the writer's own. */
        top = o->v;
        st = collect(f, &top, o->data != NULL ? lookup(&top, "Length")
                                              : NULL);
        if (st != OC_OK)
            return st;
    }
    return OC_OK;
}

/* --- Writing ---------------------------------------------------------- */

static void
put_val(oc_buf *b, const src *f, const val *v)
{
    switch (v->kind) {
    case V_REF:
        oc_buf_printf(b, "%ld 0 R", f->objs.v[f->index[v->ref] - 1].to);
        break;
    case V_ARRAY:
        oc_buf_puts(b, "[");
        for (size_t i = 0; i < v->nitems; i++) {
            if (i > 0)
                oc_buf_puts(b, " ");
            put_val(b, f, &v->items[i]);
        }
        oc_buf_puts(b, "]");
        break;
    case V_DICT:
        oc_buf_puts(b, "<<");
        for (size_t i = 0; i < v->nitems; i++) {
            oc_buf_puts(b, " ");
            put_val(b, f, &v->items[i]);
        }
        oc_buf_puts(b, " >>");
        break;
    default:
        oc_buf_put(b, v->s, v->n);
        break;
    }
}

/* The entries of stream dictionary 'd' without its brackets, and
 * without /Length (the writer's own), nor /DecodeParms when it has no
 * /Filter (the writer's deflate would take it for its own). */
static void
put_entries(oc_buf *b, const src *f, const val *d)
{
    bool filtered = lookup(d, "Filter") != NULL;

    for (size_t i = 0; i + 1 < d->nitems; i += 2) {
        const val *k = &d->items[i];

        if (is_name(k, "Length") || (!filtered && is_name(k, "DecodeParms")))
            continue;
        if (b->len > 0)
            oc_buf_puts(b, " ");
        put_val(b, f, k);
        oc_buf_puts(b, " ");
        put_val(b, f, &d->items[i + 1]);
    }
}

/* Everything the form needs, read and checked. */
typedef struct form {
    const val  *resources;      /* NULL: none */
    const val  *filter;         /* the content's as stored, if one */
    const val  *parms;
    const char *data;           /* the content stored with 'filter' */
    size_t      len;
    oc_buf      content;        /* else the content */
} form;

/* The page's content: one stream or an array of them (§7.7.3.3). One
 * stored with a filter is kept as it is (fm->filter and fm->data set);
 * else the streams, inflated if need be, are joined into fm->content.
 * They are not copied, and nothing copied may refer to them. */
static oc_status
read_content(src *f, const val *page, form *fm)
{
    const val *c = lookup(page, "Contents");
    const val *refs = c;
    size_t nrefs = 1;
    oc_status st;

    if (c != NULL && c->kind == V_ARRAY) {
        refs = c->items;
        nrefs = c->nitems;
    }
    for (size_t i = 0; c != NULL && i < nrefs; i++) {
        val *v = oc_arena_alloc(f->a, sizeof *v);
        const val *filter;
        const char *data;
        size_t len;
        long num = refs[i].ref;
        oc_error zerr = {0};

        if (refs[i].kind != V_REF)
            return oc_pdfw_unexpected(f->err, "the page's /Contents is not a "
                              "reference");
        if ((st = read_object(f, num, true, v, &data, &len)) != OC_OK)
            return st;
        if (data == NULL)
            return oc_pdfw_unexpected(f->err,
                                      "the page's content, object %ld, is "
                              "not a stream", num);
        f->banned[num] = true;
        filter = lookup(v, "Filter");
        if (filter != NULL && nrefs == 1) {
            fm->filter = filter;
            fm->parms = lookup(v, "DecodeParms");
            fm->data = data;
            fm->len = len;
            return OC_OK;
        }
        if (i > 0)                      /* a token ends where a stream does */
            oc_buf_puts(&fm->content, "\n");
        if (filter == NULL) {
            oc_buf_put(&fm->content, data, len);
            continue;
        }
        if ((!is_name(filter, "FlateDecode") &&
             !(filter->kind == V_ARRAY && filter->nitems == 1 &&
               is_name(&filter->items[0], "FlateDecode"))) ||
            lookup(v, "DecodeParms") != NULL)
            return oc_pdfw_unexpected(f->err,
                                      "the page's content, object %ld, has "
                              "a filter other than /FlateDecode", num);
        if (oc_inflate(data, len, &fm->content, &zerr) != OC_OK)
            return oc_pdfw_unexpected(f->err,
                                      "the page's content, object %ld, does "
                              "not inflate", num);
    }
    return OC_OK;
}

/* The page, its content and every object its resources use. */
static oc_status
read_form(src *f, form *fm)
{
    val *page = oc_arena_alloc(f->a, sizeof *page);
    oc_status st;

    if ((st = find_page(f, page)) != OC_OK)
        return st;
    if ((st = read_content(f, page, fm)) != OC_OK)
        return st;
    fm->resources = lookup(page, "Resources");
    if (fm->resources != NULL && fm->resources->kind == V_REF) {
        val *r = oc_arena_alloc(f->a, sizeof *r);

        if ((st = read_dict(f, fm->resources->ref, NULL, r)) != OC_OK)
            return st;
        fm->resources = r;
    }
    if (fm->resources == NULL)
        return OC_OK;
    if (fm->resources->kind != V_DICT)
        return oc_pdfw_unexpected(f->err, "the page's /Resources is not a "
                          "dictionary");
    if ((st = collect(f, fm->resources, NULL)) != OC_OK)
        return st;
    return read_taken(f);
}

static void
write_form(oc_pdfw *w, src *f, form *fm, double width, double height,
           long *ref)
{
    oc_buf d = {0};

    *ref = oc_pdfw_reserve(w);
    for (size_t i = 0; i < f->objs.n; i++)
        f->objs.v[i].to = oc_pdfw_reserve(w);
    oc_buf_puts(&d, "/Type /XObject /Subtype /Form /BBox [0 0 ");
    oc_pdfw_num(&d, width, 4);
    oc_buf_puts(&d, " ");
    oc_pdfw_num(&d, height, 4);
    oc_buf_puts(&d, "] /Resources ");
    if (fm->resources != NULL)
        put_val(&d, f, fm->resources);
    else
        oc_buf_puts(&d, "<< >>");
    if (fm->filter != NULL) {
        oc_buf_puts(&d, " /Filter ");
        put_val(&d, f, fm->filter);
        if (fm->parms != NULL) {
            oc_buf_puts(&d, " /DecodeParms ");
            put_val(&d, f, fm->parms);
        }
        oc_pdfw_stream_raw(w, *ref, d.data, fm->data, fm->len, NULL, NULL);
    } else {
        oc_pdfw_stream(w, *ref, d.data, fm->content.data, fm->content.len,
                       true);
    }
    for (size_t i = 0; i < f->objs.n; i++) {
        const obj *o = &f->objs.v[i];

        d.len = 0;
        oc_buf_puts(&d, "");            /* the NUL, for a dictionary of none */
        if (o->data == NULL) {
            put_val(oc_pdfw_begin(w, o->to), f, &o->v);
            oc_pdfw_end(w);
            continue;
        }
        put_entries(&d, f, &o->v);
        if (o->filtered)
            oc_pdfw_stream_raw(w, o->to, d.data, o->data, o->len, NULL,
                               NULL);
        else
            oc_pdfw_stream(w, o->to, d.data, o->data, o->len, true);
    }
    oc_buf_free(&d);
}

static cairo_status_t
gather(void *closure, const unsigned char *data, unsigned int len)
{
    oc_buf_put(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

oc_status
oc_pdfform_write(oc_pdfw *w, double width, double height,
                 oc_pdfform_draw_fn draw, void *ctx, long *ref,
                 oc_error *err)
{
    oc_buf pdf = {0};
    cairo_surface_t *s;
    cairo_t *cr;
    cairo_status_t cst;
    src f = {0};
    form fm = {0};
    oc_status st;

    s = cairo_pdf_surface_create_for_stream(gather, &pdf, width, height);
    cr = cairo_create(s);
    draw(cr, ctx);
    cst = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cst == CAIRO_STATUS_SUCCESS)
        cst = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (cst != CAIRO_STATUS_SUCCESS) {
        st = oc_error_set(err, OC_ERR_LIB, NULL, 0, 0, "cairo: %s",
                          cairo_status_to_string(cst));
        goto out;
    }
    f.pdf = pdf.data;
    f.len = pdf.len;
    f.a = oc_arena_new();
    f.err = err;
    if ((st = read_form(&f, &fm)) == OC_OK)
        write_form(w, &f, &fm, width, height, ref);
out:
    oc_arena_free(f.a);
    oc_buf_free(&fm.content);
    oc_buf_free(&pdf);
    return st;
}
