/* sanitize-text.c - the checks made on text before it is parsed or
 * followed: the URL policy every link and resource goes through, and the
 * cap on attributes per element applied to markup before libxml2 reads
 * it. See sanitize.h. */
#include "sanitize.h"

#include <stdbool.h>
#include <string.h>

#include <glib.h>
#include <libxml/xmlstring.h>

#include "buf.h"
#include "error.h"

/* ---- the URL policy ---- */

/* The scheme of v, lowercased into out (at most n - 1 bytes), with the
 * whitespace and control characters browsers skip removed; "" when v
 * has none (a relative reference). */
static void
scheme_of(const char *v, char *out, size_t n)
{
    size_t k = 0;

    out[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        unsigned char c = *p;

        if (c <= 0x20 || c == 0x7F)
            continue;
        if (c == ':') {
            if (k == 0 && n > 1)
                out[k++] = '?';     /* ":x" has no scheme: not a URL */
            out[k] = '\0';
            return;
        }
        if (c == '/' || c == '?' || c == '#')
            break;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9' && k > 0) || c == '+' || c == '-' ||
              c == '.')) {
            /* Not a scheme character: treat the whole as suspicious
             * only if a colon follows; record a marker. */
            if (k + 1 < n)
                out[k++] = '?';
            continue;
        }
        if (k + 1 < n)
            out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[0] = '\0';                  /* no colon before a path: relative */
}

/* The image types a data: URL may carry. */
static const char *const raster[] = {
    "image/png", "image/jpeg", "image/gif", "image/webp",
};

/* The rest of v after its scheme's colon, for data: URLs. */
static const char *
after_colon(const char *v)
{
    const char *c = strchr(v, ':');

    return c ? c + 1 : v;
}

static bool
is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* Whether absolute URL v is written with the characters a URI may hold
 * (RFC 3986, and RFC 3987's beyond ASCII): no white space, control
 * character or delimiter it leaves out ("mailto:a (at) b.org"), each '%'
 * an escape, one '#' at most, brackets only around an IPv6 host, and
 * something after the scheme. White space around it is not its own:
 * browsers strip it. */
static bool
well_formed(const char *v)
{
    const char *colon = strchr(v, ':');
    const char *host = strncmp(colon, "://", 3) == 0 ? colon + 3 : NULL;
    const char *host_end = host ? host + strcspn(host, "/?#") : NULL;
    const char *end = v + strlen(v);
    bool fragment = false;

    v += strspn(v, " \t\n\r\f");
    while (end > v && strchr(" \t\n\r\f", end[-1]) != NULL)
        end--;
    if (colon + 1 >= end)
        return false;
    for (const char *p = v; p < end; p++) {
        unsigned char c = (unsigned char)*p;

        if (c <= 0x20 || c == 0x7f || strchr("\"<>\\^`{|}", c) != NULL)
            return false;
        if (c == '%' && !(is_hex(p[1]) && is_hex(p[2])))
            return false;
        if ((c == '[' || c == ']') && !(host && p >= host && p < host_end))
            return false;
        if (c == '#' && fragment)
            return false;
        fragment = fragment || c == '#';
    }
    return true;
}

/* Whether URL v has its host (or, with none, its scheme) end before p. */
static bool
past_host(const char *v, const char *p)
{
    const char *colon = strchr(v, ':');
    const char *host;

    if (colon == NULL || p <= colon)
        return false;
    if (strncmp(colon, "://", 3) != 0)
        return true;
    host = colon + 3;
    return p >= host + strcspn(host, "/?#");
}

/* URL v with its host of letters beyond ASCII ("https://пример.рф/")
 * in ASCII, as IDNA writes it ("xn--e1afmkfd.xn--p1ai"), which reading
 * systems' URL parsers take; a copy (g_free), or NULL when it has no
 * such host or it cannot be written so. */
static char *
ascii_host(const char *v)
{
    const char *colon = strchr(v, ':'), *host, *end, *at;
    char *name, *ascii, *out = NULL;

    if (colon == NULL || strncmp(colon, "://", 3) != 0)
        return NULL;
    host = colon + 3;
    end = host + strcspn(host, "/?#:");
    for (at = host; at < end; at++)
        if (*at == '@')
            host = at + 1;
    for (at = host; at < end && (unsigned char)*at < 0x80; at++)
        ;
    if (at == end)
        return NULL;
    name = g_strndup(host, (gsize)(end - host));
    ascii = g_utf8_validate(name, -1, NULL) ? g_hostname_to_ascii(name)
                                            : NULL;
    if (ascii != NULL)
        out = g_strdup_printf("%.*s%s%s", (int)(host - v), v, ascii, end);
    g_free(ascii);
    g_free(name);
    return out;
}

char *
oc_url_escaped(const char *v)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *end, *start;
    char scheme[32], *idn;
    bool fragment = false, changed = false;
    oc_buf out = {0};

    scheme_of(v, scheme, sizeof scheme);
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0 &&
        strcmp(scheme, "mailto") != 0)
        return NULL;
    if ((idn = ascii_host(v)) != NULL) {
        char *more = oc_url_escaped(idn);

        if (more == NULL)
            more = oc_xstrdup(idn);
        g_free(idn);
        return more;
    }
    end = v + strlen(v);
    start = v + strspn(v, " \t\n\r\f");
    while (end > start && strchr(" \t\n\r\f", end[-1]) != NULL)
        end--;
    oc_buf_put(&out, v, (size_t)(start - v));
    for (const char *p = start; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        bool escape = past_host(v, p) &&
                      (c <= 0x20 || c == 0x7f ||
                       strchr("\"<>\\^`{|}[]", c) != NULL ||
                       (c == '%' && !(is_hex(p[1]) && is_hex(p[2]))) ||
                       (c == '#' && fragment));

        fragment = fragment || c == '#';
        if (escape) {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};

            oc_buf_put(&out, e, 3);
            changed = true;
        } else {
            oc_buf_put(&out, p, 1);
        }
    }
    oc_buf_put(&out, end, strlen(end) + 1);
    if (!changed) {
        oc_buf_free(&out);
        return NULL;
    }
    return out.data;
}

/* Tracking redirects: a host (or, from '.', a host's end), the path,
 * the parameter that holds the address. */
static const struct {
    const char *host, *path, *param;
} redirects[] = {
    {"www.google.com", "/url", "q"},
    {"www.google.com", "/url", "url"},
    {"google.com", "/url", "q"},
    {".safelinks.protection.outlook.com", "/", "url"},
    {"l.facebook.com", "/l.php", "u"},
    {"lm.facebook.com", "/l.php", "u"},
};

/* The value of parameter 'name' in query q (up to its end or '#'),
 * percent-decoded; g_free. NULL if it has none. */
static char *
query_param(const char *q, const char *name)
{
    size_t n = strlen(name);

    while (*q != '\0' && *q != '#') {
        size_t len = strcspn(q, "&#");

        if (len > n && strncmp(q, name, n) == 0 && q[n] == '=') {
            char *raw = g_strndup(q + n + 1, len - n - 1), *out;

            for (char *p = raw; *p; p++)
                if (*p == '+')
                    *p = ' ';
            out = g_uri_unescape_string(raw, NULL);
            g_free(raw);
            return out;
        }
        q += len + (q[len] == '&');
    }
    return NULL;
}

char *
oc_url_unredirected(const char *v)
{
    char scheme[32];
    const char *host, *path, *query;
    size_t hlen;

    scheme_of(v, scheme, sizeof scheme);
    if ((strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
        strncmp(after_colon(v), "//", 2) != 0)
        return NULL;
    host = after_colon(v) + 2;
    hlen = strcspn(host, "/?#");
    path = host + hlen;
    query = strchr(path, '?');
    if (query == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof redirects / sizeof *redirects; i++) {
        const char *h = redirects[i].host;
        size_t n = strlen(h);
        bool host_ok = h[0] == '.'
            ? hlen > n && g_ascii_strncasecmp(host + hlen - n, h, n) == 0
            : hlen == n && g_ascii_strncasecmp(host, h, n) == 0;
        size_t plen = strlen(redirects[i].path);
        char *to, scheme2[32];

        if (!host_ok || (size_t)(query - path) != plen ||
            strncmp(path, redirects[i].path, plen) != 0 ||
            (to = query_param(query + 1, redirects[i].param)) == NULL)
            continue;
        scheme_of(to, scheme2, sizeof scheme2);
        if (g_utf8_validate(to, -1, NULL) &&
            (((strcmp(scheme2, "http") == 0 || strcmp(scheme2, "https") == 0) &&
              strncmp(after_colon(to), "//", 2) == 0) ||
             strcmp(scheme2, "mailto") == 0)) {
            char *out = oc_xstrdup(to);

            g_free(to);
            return out;
        }
        g_free(to);
    }
    return NULL;
}

static bool
host_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80;
}

/* Whether well-formed http(s) URL v names a host, as a reading system's
 * URL parser wants one: "//" after the scheme, then (after any user
 * name) a name whose labels are neither empty nor open with '-' (IDNA),
 * or an IPv6 address in brackets, then a port of digits
 * ("https:///example.org" and "http:example.org" name none). */
static bool
has_host(const char *v)
{
    const char *p = strchr(v, ':') + 1, *end, *label, *start;

    if (strncmp(p, "//", 2) != 0)
        return false;
    p += 2;
    end = p + strcspn(p, "/?# \t\n\r\f");
    for (const char *at = p; at < end; at++)
        if (*at == '@')
            p = at + 1;
    if (p < end && *p == '[') {
        while (p < end && *p != ']')
            p++;
        if (p++ == end)
            return false;
    } else {
        for (start = label = p; p < end && *p != ':'; p++)
            if (*p == '.' || *p == '-' ? p == label
                                       : !host_char((unsigned char)*p))
                return false;   /* "a..b", "-a.b" */
            else if (*p == '.')
                label = p + 1;
        if (p == start)
            return false;
    }
    if (p < end && *p == ':')
        while (++p < end)
            if (*p < '0' || *p > '9')
                return false;
    return p == end;
}

bool
oc_url_allowed(const char *v, oc_url_use use, const char **why)
{
    char scheme[32];

    scheme_of(v, scheme, sizeof scheme);
    if (scheme[0] == '\0')
        return true;
    if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
        strcmp(scheme, "mailto") == 0) {
        if (use == OC_URL_IMAGE ||
            (well_formed(v) && (scheme[0] == 'm' || has_host(v))))
            return true;
        if (why != NULL)
            *why = well_formed(v) ? "a URL without a valid host"
                                  : "a malformed URL";
        return false;
    }
    if (strcmp(scheme, "data") == 0 && use == OC_URL_IMAGE) {
        const char *d = after_colon(v);

        while (*d == ' ' || *d == '\t' || *d == '\n' || *d == '\r')
            d++;
        for (size_t i = 0; i < sizeof raster / sizeof raster[0]; i++)
            if (xmlStrncasecmp(BAD_CAST d, BAD_CAST raster[i],
                               (int)strlen(raster[i])) == 0)
                return true;
    }
    if (why != NULL)
        *why = strcmp(scheme, "javascript") == 0 ||
               strcmp(scheme, "vbscript") == 0 ? "a script URL"
               : strcmp(scheme, "file") == 0   ? "a local file URL"
               : strcmp(scheme, "data") == 0   ? "a data: URL"
                                               : "a URL of an unknown scheme";
    return false;
}

static bool
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool
oc_url_has_scheme(const char *v, size_t n)
{
    size_t k = 0;

    while (k < n && ((unsigned char)v[k] <= 0x20 || v[k] == 0x7F))
        k++;
    if (k == n || !is_alpha(v[k]))
        return false;
    while (k < n && (is_alpha(v[k]) || (v[k] >= '0' && v[k] <= '9') ||
                     v[k] == '+' || v[k] == '-' || v[k] == '.'))
        k++;
    return k < n && v[k] == ':';
}

bool
oc_url_is_remote(const char *v)
{
    char scheme[32];

    scheme_of(v, scheme, sizeof scheme);
    return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
}

/* ---- attributes per element ---- */

/* Past 'close' (a string) from p, or 'end'. */
static const char *
skip_past(const char *p, const char *end, const char *close)
{
    size_t n = strlen(close);

    for (; p + n <= end; p++)
        if (memcmp(p, close, n) == 0)
            return p + n;
    return end;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The end of the attribute at p (name, and "= value" if any), inside a
 * tag that ends by 'end'. */
static const char *
attribute_end(const char *p, const char *end)
{
    const char *q;

    while (p < end && !is_space(*p) && *p != '=' && *p != '>' && *p != '/')
        p++;
    for (q = p; q < end && is_space(*q); q++)
        ;
    if (q >= end || *q != '=')
        return p;
    for (q++; q < end && is_space(*q); q++)
        ;
    if (q < end && (*q == '"' || *q == '\'')) {
        const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));

        return close ? close + 1 : end;
    }
    while (q < end && !is_space(*q) && *q != '>')
        q++;
    return q;
}

/* Walk the start tag at p ('<' and a letter): each attribute after the
 * cap is handed to 'drop' (when not NULL) as [from, to). Returns the end
 * of the tag and, in *over, whether it had too many. */
static const char *
walk_tag(const char *p, const char *end, bool *over,
         void (*drop)(const char *from, const char *to, void *ctx),
         void *ctx)
{
    size_t n = 0;

    *over = false;
    for (p++; p < end && !is_space(*p) && *p != '>' && *p != '/'; p++)
        ;
    while (p < end) {
        const char *a;

        while (p < end && (is_space(*p) || *p == '/'))
            p++;
        if (p >= end || *p == '>')
            return p < end ? p + 1 : end;
        a = p;
        p = attribute_end(p, end);
        if (p == a)
            p++;                /* a stray '=' */
        if (++n > OC_MAX_ATTRIBUTES) {
            *over = true;
            if (drop != NULL)
                drop(a, p, ctx);
        }
    }
    return end;
}

/* One pass over the markup; with 'drop', every attribute past the cap
 * goes to it. Returns the offset of the first tag over the cap, or -1. */
static long
walk_markup(const char *text, size_t len,
            void (*drop)(const char *from, const char *to, void *ctx),
            void *ctx)
{
    const char *p = text, *end = text + len;
    long first = -1;

    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        bool over;

        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0)
            p = skip_past(p + 4, end, "-->");
        else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
            p = skip_past(p + 9, end, "]]>");
        else if (end - p >= 2 && p[1] == '?')
            p = skip_past(p + 2, end, "?>");
        else if (end - p >= 2 && ((p[1] | 32) >= 'a' && (p[1] | 32) <= 'z')) {
            const char *tag = p;

            p = walk_tag(p, end, &over, drop, ctx);
            if (over && first < 0)
                first = tag - text;
        } else
            p++;
        if (p >= end)
            break;
    }
    return first;
}

/* Copy what lies between dropped attributes; of these, only newlines. */
typedef struct trim {
    const char *from;       /* not yet copied */
    oc_buf     *out;
} trim;

static void
drop_attribute(const char *a, const char *b, void *ctx)
{
    trim *t = ctx;

    oc_buf_put(t->out, t->from, (size_t)(a - t->from));
    for (const char *p = a; p < b; p++)
        if (*p == '\n')
            oc_buf_put(t->out, "\n", 1);
    t->from = b;
}

bool
oc_markup_cap_attributes(const char *text, size_t len, oc_buf *out,
                         size_t *at)
{
    long first = walk_markup(text, len, NULL, NULL);
    trim t = {text, out};

    if (first < 0)
        return false;
    walk_markup(text, len, drop_attribute, &t);
    oc_buf_put(out, t.from, (size_t)(text + len - t.from));
    *at = (size_t)first;
    return true;
}
