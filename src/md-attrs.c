/* md-attrs.c - pandoc's attribute blocks ({#id .class key=value}, as
 * pandoc's Markdown and Quarto write them) parsed and put on XHTML
 * elements; a text node of cmark-gfm's tree aligned with the chapter's
 * source, so that an escaped \{ is never read as one. */
#include "md-int.h"

#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "sanitize.h"
#include "xhtml.h"

void
md_source_init(md_source *s, const char *text, size_t len)
{
    size_t cap = 64;

    s->text = text;
    s->len = len;
    s->lines = oc_xmalloc(cap * sizeof *s->lines);
    s->lines[0] = 0;
    s->nlines = 1;
    s->after = oc_xcalloc(1, sizeof *s->after);
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\n')
            continue;
        if ((size_t)s->nlines == cap) {
            cap *= 2;
            s->lines = oc_xrealloc(s->lines, cap * sizeof *s->lines);
        }
        s->lines[s->nlines++] = i + 1;
    }
}

void
md_source_free(md_source *s)
{
    free(s->lines);
    free(s->after);
    s->lines = NULL;
    s->after = NULL;
}

static bool
is_punct(unsigned char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
           (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* The UTF-8 length of the character entity at s ("&amp;", "&#38;"),
 * which ends at or before 'end'; its length in the source in *n. 0 when
 * it is none. */
static size_t
entity_bytes(const char *s, const char *end, size_t *n)
{
    const char *semi = memchr(s, ';', (size_t)(end - s));
    unsigned long cp;
    char name[40];

    if (semi == NULL || semi - s < 2 || semi - s > 34)
        return 0;
    *n = (size_t)(semi - s) + 1;
    if (s[1] == '#') {
        cp = s[2] == 'x' || s[2] == 'X' ? strtoul(s + 3, NULL, 16)
                                        : strtoul(s + 2, NULL, 10);
    } else {
        const htmlEntityDesc *e;

        snprintf(name, sizeof name, "%.*s", (int)(semi - s - 1), s + 1);
        if ((e = htmlEntityLookup((const xmlChar *)name)) == NULL)
            return 0;
        cp = e->value;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* Does 'lit' hold, at j, the curly punctuation cmark-gfm's smart option
 * makes of the source at i? Advances both past it. */
static bool
smart_step(const char *src, size_t slen, size_t *i, const char *lit,
           size_t llen, size_t *j)
{
    const unsigned char *l = (const unsigned char *)lit + *j;
    unsigned char k;

    if (*j + 3 > llen || l[0] != 0xE2 || l[1] != 0x80)
        return false;
    k = l[2];
    if ((k == 0x9C || k == 0x9D) && src[*i] == '"') {
        (*i)++;
    } else if ((k == 0x98 || k == 0x99) && src[*i] == '\'') {
        (*i)++;
    } else if (k == 0xA6 && *i + 3 <= slen &&
               memcmp(src + *i, "...", 3) == 0) {
        *i += 3;
    } else if ((k == 0x93 || k == 0x94) && src[*i] == '-') {
        while (*i < slen && src[*i] == '-')
            (*i)++;
        while (*j + 3 <= llen && (unsigned char)lit[*j] == 0xE2 &&
               (unsigned char)lit[*j + 1] == 0x80 &&
               ((unsigned char)lit[*j + 2] == 0x93 ||
                (unsigned char)lit[*j + 2] == 0x94))
            *j += 3;
        return true;
    } else {
        return false;
    }
    *j += 3;
    return true;
}

/* Literal lit matched with the source from src (slen bytes to its
 * line's end); with 'out', its alignment recorded there. False if it
 * does not match there. */
static bool
match_at(const char *src, size_t slen, const char *lit, size_t llen,
         md_aligned *out)
{
    size_t i = 0, j = 0;

    while (j < llen) {
        size_t from = i, j0 = j, n_src = 0, n_lit;

        if (i >= slen)
            return false;
        if (src[i] == '\\' && i + 1 < slen &&
            is_punct((unsigned char)src[i + 1]) && lit[j] == src[i + 1]) {
            if (out != NULL)
                out->esc[j] = 1;
            i += 2;
            j++;
        } else if (src[i] == '&' &&
                   (n_lit = entity_bytes(src + i, src + slen, &n_src)) > 0 &&
                   j + n_lit <= llen) {
            i += n_src;
            j += n_lit;
        } else if (src[i] == lit[j]) {
            i++;
            j++;
        } else if (!smart_step(src, slen, &i, lit, llen, &j)) {
            return false;
        }
        for (size_t k = j0; k < j && out != NULL; k++)
            out->map[k] = from;
    }
    if (out != NULL)
        out->map[llen] = i;
    return true;
}

/* Literal lit aligned with the source from src into out; false if it
 * does not match there. */
static bool
align_at(const char *src, size_t slen, const char *lit, size_t llen,
         md_aligned *out)
{
    if (!match_at(src, slen, lit, llen, NULL))
        return false;
    out->map = oc_xmalloc((llen + 1) * sizeof *out->map);
    out->esc = oc_xcalloc(llen + 1, 1);
    out->src = src;
    out->srclen = slen;
    out->len = llen;
    return match_at(src, slen, lit, llen, out);
}

/* How far from its recorded start a text node's literal is looked for
 * first: cmark-gfm counts an inline's column on from an earlier line
 * after a hard line break (and its line not at all), and one or two off
 * after a link that spans lines; and the pass cuts an attribute block
 * off the front of a text node ("{#id}]{.class}") with no way to move
 * the node's start. */
#define ALIGN_BACK 8
#define ALIGN_ON 512

/* The literal of a text node aligned with the source at byte p of the
 * chapter; its line from 'line' on or back. */
static bool
align_from(const md_source *s, size_t p, int line, const char *lit,
           size_t llen, md_aligned *out)
{
    size_t end;

    int lo = 1, hi = s->nlines;

    if (p >= s->len ||
        (lit[0] != s->text[p] && s->text[p] != '\\' && s->text[p] != '&' &&
         (unsigned char)lit[0] < 0x80))
        return false;
    if (line < s->nlines && p >= s->lines[line - 1] && p < s->lines[line])
        lo = hi = line;
    while (lo < hi) {           /* the line p is on: the last starting at
                                   or before it */
        int mid = lo + (hi - lo + 1) / 2;

        if (s->lines[mid - 1] <= p)
            lo = mid;
        else
            hi = mid - 1;
    }
    end = lo < s->nlines ? s->lines[lo] : s->len;
    return align_at(s->text + p, end - p, lit, llen, out);
}

/* The literal aligned with the source from byte p on, up to the end of
 * its paragraph (a blank line). */
static bool
align_on(const md_source *s, size_t p, int line, const char *lit,
         size_t llen, md_aligned *out)
{
    for (; p < s->len; p++) {
        if (s->text[p] == '\n' && p + 1 < s->len &&
            s->text[p + 1 + strspn(s->text + p + 1, " \t")] == '\n')
            return false;
        if (align_from(s, p, line, lit, llen, out))
            return true;
    }
    return false;
}

bool
md_align(const md_source *s, cmark_node *n, md_aligned *out)
{
    const char *lit = cmark_node_get_literal(n);
    int line = cmark_node_get_start_line(n);
    int col = cmark_node_get_start_column(n);
    size_t llen = lit ? strlen(lit) : 0, at;

    memset(out, 0, sizeof *out);
    if (lit == NULL || llen == 0 || line < 1 || line > s->nlines || col < 1)
        return false;
    at = s->lines[line - 1] + (size_t)col - 1;
    for (size_t d = 0; d < ALIGN_ON; d++) {
        if (align_from(s, at + d, line, lit, llen, out) ||
            (d > 0 && d <= ALIGN_BACK && d <= at &&
             align_from(s, at - d, line, lit, llen, out)))
            goto found;
    }
    /* Lines of hard breaks do not count: on to the paragraph's end, from
     * where the text node before it was found (the passes go through a
     * paragraph's nodes in order) if that is further on. */
    if (*s->after > at + ALIGN_ON &&
        align_on(s, *s->after - ALIGN_BACK, line, lit, llen, out))
        goto found;
    if (!align_on(s, at + ALIGN_ON, line, lit, llen, out))
        return false;
found:
    *s->after = (size_t)(out->src - s->text) + out->map[llen];
    return true;
}

void
md_aligned_free(md_aligned *a)
{
    free(a->map);
    free(a->esc);
    memset(a, 0, sizeof *a);
}

/* ---- attribute blocks ---- */

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_ident(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
           c == '.' || c >= 0x80;
}

static bool
is_key(unsigned char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.' ||
                       c == ':'));
}

static void
add_class(md_attrs *a, const char *s, size_t n)
{
    size_t old = a->classes ? strlen(a->classes) : 0;

    a->classes = oc_xrealloc(a->classes, old + n + 2);
    if (old > 0)
        a->classes[old++] = ' ';
    memcpy(a->classes + old, s, n);
    a->classes[old + n] = '\0';
}

static void
add_pair(md_attrs *a, const char *k, size_t kn, const char *v, size_t vn)
{
    a->keys = oc_xrealloc(a->keys, (a->n + 1) * sizeof *a->keys);
    a->values = oc_xrealloc(a->values, (a->n + 1) * sizeof *a->values);
    a->keys[a->n] = oc_xmalloc(kn + 1);
    memcpy(a->keys[a->n], k, kn);
    a->keys[a->n][kn] = '\0';
    a->values[a->n] = oc_xmalloc(vn + 1);
    memcpy(a->values[a->n], v, vn);
    a->values[a->n][vn] = '\0';
    a->n++;
}

/* One item of a block at s[*i]: #id, .class, key=value or '-'. */
static bool
parse_item(const char *s, size_t len, size_t *i, md_attrs *a)
{
    size_t k = *i, start;

    if (s[k] == '#' || s[k] == '.') {
        for (start = ++k; k < len && is_ident((unsigned char)s[k]); k++)
            ;
        if (k == start)
            return false;
        if (s[start - 1] == '#') {
            free(a->id);
            a->id = oc_xmalloc(k - start + 1);
            memcpy(a->id, s + start, k - start);
            a->id[k - start] = '\0';
        } else {
            add_class(a, s + start, k - start);
        }
    } else if (s[k] == '-' && k + 1 < len &&
               (is_space(s[k + 1]) || s[k + 1] == '}')) {
        add_class(a, "unnumbered", 10);  /* pandoc's shorthand */
        k++;
    } else if (is_key((unsigned char)s[k], true)) {
        size_t key = k, vstart;

        while (k < len && is_key((unsigned char)s[k], false))
            k++;
        if (k >= len || s[k] != '=')
            return false;
        start = k++;
        if (k < len && (s[k] == '"' || s[k] == '\'')) {
            char q = s[k];

            vstart = ++k;
            while (k < len && s[k] != q && s[k] != '\n')
                k++;
            if (k >= len || s[k] != q)
                return false;
            add_pair(a, s + key, start - key, s + vstart, k - vstart);
            k++;
        } else {
            vstart = k;
            while (k < len && !is_space(s[k]) && s[k] != '}' &&
                   s[k] != '"' && s[k] != '\'' && s[k] != '{')
                k++;
            if (k == vstart)
                return false;
            add_pair(a, s + key, start - key, s + vstart, k - vstart);
        }
    } else {
        return false;
    }
    *i = k;
    return true;
}

size_t
md_attrs_parse(const char *s, size_t len, md_attrs *out)
{
    size_t i = 1;
    int items = 0;

    memset(out, 0, sizeof *out);
    if (len < 3 || s[0] != '{')
        return 0;
    for (;;) {
        while (i < len && is_space(s[i]) && s[i] != '\n')
            i++;
        if (i >= len)
            break;
        if (s[i] == '}') {
            if (items == 0)
                break;
            return i + 1;
        }
        if ((items > 0 && !is_space(s[i - 1])) ||
            !parse_item(s, len, &i, out))
            break;
        items++;
    }
    md_attrs_clear(out);
    return 0;
}

void
md_attrs_clear(md_attrs *a)
{
    free(a->id);
    free(a->classes);
    for (size_t i = 0; i < a->n; i++) {
        free(a->keys[i]);
        free(a->values[i]);
    }
    free(a->keys);
    free(a->values);
    memset(a, 0, sizeof *a);
}

/* Attributes that any HTML element may carry, kept under their name. */
static bool
global_attr(const char *k)
{
    static const char *const names[] = {"title", "dir", "style", "role",
                                        "translate", "hidden", NULL};

    if (strncmp(k, "data-", 5) == 0 || strncmp(k, "aria-", 5) == 0)
        return true;
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(k, names[i]) == 0)
            return true;
    return false;
}

/* Append declaration 'decl' to el's style. */
static void
add_style(xmlNodePtr el, const char *decl)
{
    xmlChar *old = xmlGetProp(el, BAD_CAST "style");
    oc_buf b = {0};

    if (old != NULL && old[0] != '\0')
        oc_buf_printf(&b, "%s%s ", (const char *)old,
                      old[xmlStrlen(old) - 1] == ';' ? "" : ";");
    oc_buf_puts(&b, decl);
    xmlSetProp(el, BAD_CAST "style", BAD_CAST b.data);
    oc_buf_free(&b);
    xmlFree(old);
}

/* An image's width or height as pandoc reads it: a bare number is
 * pixels (an attribute); px, cm, mm, in, % and the other CSS units are
 * CSS ("inch" is "in"). */
static void
image_size(xmlNodePtr el, const char *k, const char *v, const char *file)
{
    static const char *const units[] = {"px", "cm", "mm", "in", "pt", "pc",
                                        "em", "rem", "%", "Q", NULL};
    char *end;
    double d = strtod(v, &end);
    char css[64];

    if (end == v || d < 0 || d > 1e5 || strlen(end) > 4) {
        oc_warn(file, oc_xhtml_line(el), 0, "image %s '%s' is not a "
                "length; ignored", k, v);
        return;
    }
    if (*end == '\0' && d == (double)(long)d) {
        xmlSetProp(el, BAD_CAST k, BAD_CAST v);
        return;
    }
    if (strcmp(end, "inch") == 0)
        end = "in";
    for (size_t i = 0; units[i] != NULL; i++) {
        if (strcmp(end, units[i]) == 0 || *end == '\0') {
            snprintf(css, sizeof css, "%s: %.*s%s", k, (int)(end - v), v,
                     *end ? end : "px");
            add_style(el, css);
            return;
        }
    }
    oc_warn(file, oc_xhtml_line(el), 0, "image %s '%s' has a unit octavo "
            "does not know; ignored", k, v);
}

/* An id must be an XML name without a colon (EPUB's XHTML): one that
 * opens with a digit, '-' or '.', or holds a colon, is made one, with a
 * warning, so that links to it say they find nothing. */
static void
set_id(xmlNodePtr el, const char *id, const char *file)
{
    unsigned char c0 = (unsigned char)id[0];
    bool ok = strchr(id, ':') == NULL && !(c0 >= '0' && c0 <= '9') &&
              c0 != '-' && c0 != '.';
    oc_buf b = {0};

    if (ok) {
        xmlSetProp(el, BAD_CAST "id", BAD_CAST id);
        return;
    }
    oc_buf_printf(&b, "id-%s", id);
    for (char *p = b.data; *p; p++)
        if (*p == ':')
            *p = '-';
    oc_warn(file, oc_xhtml_line(el), 0, "id '%s' is not an XML name; "
            "made '%s'", id, b.data);
    xmlSetProp(el, BAD_CAST "id", BAD_CAST b.data);
    oc_buf_free(&b);
}

/* Classes 'classes' after those el has. */
static void
add_classes(xmlNodePtr el, const char *classes)
{
    xmlChar *old = xmlGetProp(el, BAD_CAST "class");
    oc_buf b = {0};

    oc_buf_printf(&b, "%s%s%s", old ? (const char *)old : "",
                  old ? " " : "", classes);
    xmlSetProp(el, BAD_CAST "class", BAD_CAST b.data);
    oc_buf_free(&b);
    xmlFree(old);
}

void
md_attrs_apply(xmlNodePtr el, const md_attrs *a, const char *file)
{
    bool img = oc_xhtml_is(el, "img");

    if (a->id != NULL)
        set_id(el, a->id, file);
    if (a->classes != NULL)
        add_classes(el, a->classes);
    for (size_t i = 0; i < a->n; i++) {
        const char *k = a->keys[i], *v = a->values[i];

        if (strcmp(k, "lang") == 0) {
            xmlNsPtr ns = xmlSearchNs(el->doc, el, BAD_CAST "xml");

            xmlSetProp(el, BAD_CAST "lang", BAD_CAST v);
            if (ns != NULL)
                xmlSetNsProp(el, ns, BAD_CAST "lang", BAD_CAST v);
        } else if (img && (strcmp(k, "width") == 0 ||
                           strcmp(k, "height") == 0)) {
            image_size(el, k, v, file);
        } else if (strcmp(k, "style") == 0) {
            add_style(el, v);
        } else if (strcmp(k, "id") == 0) {
            set_id(el, v, file);
        } else if (strcmp(k, "class") == 0) {
            add_classes(el, v);     /* {class="a b"}, as pandoc reads it */
        } else if (global_attr(k) || oc_html_attr_allowed(el, k)) {
            xmlSetProp(el, BAD_CAST k, BAD_CAST v);  /* rel, accesskey */
        } else {
            char name[80];

            snprintf(name, sizeof name, "data-%s", k);
            for (char *p = name; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    *p = (char)(*p + 32);
                else if (*p == ':')
                    *p = '-';
            xmlSetProp(el, BAD_CAST name, BAD_CAST v);
        }
    }
}
