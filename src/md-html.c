/* md-html.c - raw HTML as the Markdown importer meets it before
 * libxml2 reads it: the elements a fragment leaves open, Word's markup
 * that HTML parsers misread, the encoding a document declares, entity
 * declarations refused and attributes past the cap. See md-int.h. */
#include "md-int.h"

#include <ctype.h>
#include <glib.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "sanitize.h"

int
md_open_tags(const char *s, char (*names)[16], int max)
{
    static const char *const voids[] = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "param", "source", "track", "wbr", NULL};
    int n = 0;

    for (const char *p = s; (p = strchr(p, '<')) != NULL;) {
        bool close = p[1] == '/';
        const char *q = p + 1 + close, *e;
        char name[16], quote = 0;
        size_t k = 0;
        bool isvoid = false;

        if (strncmp(p, "<!--", 4) == 0) {
            if ((e = strstr(p + 4, "-->")) == NULL)
                break;
            p = e + 3;
            continue;
        }
        while (isalnum((unsigned char)q[k]) || q[k] == '-')
            k++;
        if (k == 0 || !isalpha((unsigned char)q[0])) {
            p++;
            continue;
        }
        for (e = q + k; *e != '\0' && (quote || *e != '>'); e++)
            if (quote ? *e == quote : (*e == '"' || *e == '\''))
                quote = quote ? 0 : *e;
        if (*e == '\0')
            break;
        for (size_t i = 0; i < 16; i++)
            name[i] = i < k && i < 15 ? (char)tolower((unsigned char)q[i])
                                      : '\0';
        for (int i = 0; voids[i] != NULL; i++)
            isvoid |= strcmp(name, voids[i]) == 0;
        if (close) {
            for (int j = (n < max ? n : max) - 1; j >= 0; j--)
                if (strcmp(names[j], name) == 0) {
                    n = j;
                    break;
                }
        } else if (e[-1] != '/' && !isvoid) {
            if (n < max)
                memcpy(names[n], name, 16);
            n++;
            if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0) {
                const char *end = e, *tag = name[1] == 'c' ? "</script"
                                                             : "</style";

                while (*end != '\0' && strncasecmp(end, tag, strlen(tag)))
                    end++;
                if (*end == '\0')
                    break;
                e = end - 1;
                n--;
            }
        }
        p = e + 1;
    }
    return n < max ? n : max;
}

bool
md_word_markup(const char *text, size_t len, oc_buf *out)
{
    static const char *const tags[] = {"<![if ", "<![endif]>", "<o:p>",
                                       "</o:p>", NULL};
    size_t from = 0;
    bool any = false;

    for (size_t i = 0; i < len; i++) {
        size_t n = 0;

        if (text[i] != '<')
            continue;
        for (int t = 0; tags[t] != NULL && n == 0; t++)
            if (len - i >= strlen(tags[t]) &&
                strncasecmp(text + i, tags[t], strlen(tags[t])) == 0)
                n = strlen(tags[t]);
        if (n == 0)
            continue;
        if (text[i + n - 1] != '>') {   /* <![if ...]>: to its ']>' */
            const char *e = NULL;

            for (size_t k = i + n; k + 1 < len && k < i + 200; k++)
                if (text[k] == ']' && text[k + 1] == '>') {
                    e = text + k + 2;
                    break;
                }
            if (e == NULL)
                continue;
            n = (size_t)(e - (text + i));
        }
        oc_buf_put(out, text + from, i - from);
        for (size_t k = i; k < i + n; k++)
            if (text[k] == '\n')
                oc_buf_put(out, "\n", 1);
        from = i + n;
        i += n - 1;
        any = true;
    }
    if (any)
        oc_buf_put(out, text + from, len - from);
    return any;
}

/* The encoding markup declares in its first 2 KB (<meta charset>,
 * content="...; charset=", <?xml encoding=?>) into name; false if none. */
static bool
declared_charset(const char *text, size_t len, char *name, size_t size)
{
    size_t n = len < 2048 ? len : 2048;

    for (size_t i = 0; i + 8 < n; i++) {
        size_t k = 0, at;

        if (strncasecmp(text + i, "charset=", 8) == 0)
            at = i + 8;
        else if (strncasecmp(text + i, "encoding=", 9) == 0)
            at = i + 9;
        else
            continue;
        while (at < n && (text[at] == '"' || text[at] == '\''))
            at++;
        while (at + k < n && k + 1 < size &&
               (isalnum((unsigned char)text[at + k]) ||
                strchr("-_.:", text[at + k]) != NULL))
            k++;
        if (k == 0)
            continue;
        memcpy(name, text + at, k);
        name[k] = '\0';
        return true;
    }
    return false;
}

char *
md_from_declared(const char *text, size_t len, size_t *outlen)
{
    char cs[40];
    gsize w = 0;
    char *u;

    if (g_utf8_validate(text, (gssize)len, NULL) ||
        !declared_charset(text, len, cs, sizeof cs) ||
        strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0)
        return NULL;
    u = g_convert(text, (gssize)len, "UTF-8", cs, NULL, &w, NULL);
    if (u == NULL)
        return NULL;
    *outlen = w;
    return u;
}

void
md_position_of(const char *text, long off, int first_line, int *line, int *col)
{
    *line = first_line;
    *col = 1;
    for (long i = 0; i < off; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)text[i] & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

const char *
md_capped(const char *text, size_t *len, const char *file, int first_line,
          oc_buf *trimmed)
{
    size_t at;
    int line, col;

    if (!oc_markup_cap_attributes(text, *len, trimmed, &at))
        return text;
    md_position_of(text, (long)at, first_line, &line, &col);
    oc_warn(file, line, col, "an element with more than %d attributes: "
            "the others are dropped", OC_MAX_ATTRIBUTES);
    *len = trimmed->len;
    return trimmed->data;
}

long
md_entity_declaration(const char *text, size_t len)
{
    const char *dt = NULL, *end = text + len;

    for (const char *p = text; p + 9 <= end; p++) {
        if (*p != '<')
            continue;
        if (strncmp(p, "<!DOCTYPE", 9) == 0) {
            dt = p;
            break;
        }
        if (p[1] != '?' && p[1] != '!')
            return -1;                   /* the root element: no DOCTYPE */
    }
    for (const char *p = dt; p != NULL && p + 8 <= end && *p != '>'; p++) {
        if (*p == '[') {
            for (const char *q = p; q + 8 <= end && *q != ']'; q++)
                if (strncmp(q, "<!ENTITY", 8) == 0)
                    return (long)(q - text);
            return -1;
        }
    }
    return -1;
}
