/* sanitize-css.c - a stylesheet (a book's, a <style> element's, a style
 * attribute's) as it may go into the book: read as CSS Syntax 3 reads it
 * (comments, strings, escapes in names, url tokens), without anything
 * that would load a file or run a script. See sanitize.h. */
#include "sanitize.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"

/* Functions whose string arguments a reading system fetches as URLs
 * (CSS Images 4 image() and image-set(), CSS Values 4 src()); url() is
 * read on its own, expression() runs script (old Internet Explorer). */
static const struct {
    const char *name, *shown;
} fetchers[] = {
    {"image", "image()"},
    {"image-set", "image-set()"},
    {"-webkit-image-set", "-webkit-image-set()"},
    {"src", "src()"},
};

static bool
css_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
name_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80;
}

/* Whether c ends a line: CSS reads CR, FF and CR LF as LF (§3.3). */
static bool
newline(int c)
{
    return c == '\n' || c == '\r' || c == '\f';
}

/* Whether css[i] starts an escape (§4.3.8: a backslash not before a
 * newline). */
static bool
escape_at(const char *css, size_t len, size_t i)
{
    return css[i] == '\\' && i + 1 < len && !newline(css[i + 1]);
}

/* The index past a comment or string starting at css[i], or i when none
 * starts there. A string ends at its quote or, unclosed, at a newline,
 * which it leaves to what follows. */
static size_t
skip_opaque(const char *css, size_t len, size_t i)
{
    if (i + 1 < len && css[i] == '/' && css[i + 1] == '*') {
        for (i += 2; i + 1 < len && !(css[i] == '*' && css[i + 1] == '/');
             i++)
            ;
        return i + 2 <= len ? i + 2 : len;
    }
    if (css[i] == '"' || css[i] == '\'') {
        char q = css[i];

        for (i++; i < len && css[i] != q && !newline(css[i]); i++)
            if (css[i] == '\\' && i + 1 < len)
                i += css[i + 1] == '\r' && i + 2 < len &&
                             css[i + 2] == '\n'
                         ? 2 : 1;       /* an escaped newline goes on */
        return i < len && css[i] == q ? i + 1 : i;
    }
    return i;
}

/* The name at css[i] as the tokenizer reads it (§4.3.11): name
 * characters and escapes, decoded ("\75 rl" is "url", §4.3.7), lowered
 * into out (its first n - 1 characters; a code point past ASCII is '?').
 * Returns the index after it. */
static size_t
read_name(const char *css, size_t len, size_t i, char *out, size_t n)
{
    size_t k = 0;

    while (i < len) {
        int c = (unsigned char)css[i];

        if (escape_at(css, len, i)) {
            i++;
            if (oc_hex_digit((unsigned char)css[i]) >= 0) {
                unsigned long cp = 0;

                for (int d = 0; d < 6 && i < len &&
                                oc_hex_digit((unsigned char)css[i]) >= 0;
                     d++)
                    cp = cp * 16 +
                         (unsigned long)oc_hex_digit((unsigned char)css[i++]);
                if (i + 1 < len && css[i] == '\r' && css[i + 1] == '\n')
                    i += 2;
                else if (i < len && css_space(css[i]))
                    i++;
                c = cp > 0 && cp < 0x80 ? (int)cp : '?';
            } else {
                c = (unsigned char)css[i++];
            }
        } else if (name_char(c)) {
            i++;
        } else {
            break;
        }
        if (k + 1 < n)
            out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32
                              : c >= 0x80        ? '?'
                                                 : c);
    }
    out[k] = '\0';
    return i;
}

static bool
starts_with_nocase(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);

    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];

        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != prefix[i])
            return false;
    }
    return true;
}

/* Whether the reference at s[0..len) (a url()'s or a string's text) is
 * one a stylesheet may keep: a fragment or an image data: URL. */
static bool
reference_allowed(const char *s, size_t len)
{
    static const char *const images[] = {
        "data:image/png", "data:image/jpeg", "data:image/gif",
        "data:image/webp", NULL};

    if (len > 0 && s[0] == '#')
        return true;
    for (size_t k = 0; images[k] != NULL; k++)
        if (starts_with_nocase(s, len, images[k]))
            return true;
    return false;
}

/* After "url(" at css[open] (the '(' ): the index past its url token
 * (unquoted: to the ')'; quoted, it is a function whose string the
 * caller reads on), and whether its reference may stay. */
static size_t
url_token(const char *css, size_t len, size_t open, bool *allowed)
{
    size_t i = open + 1;

    while (i < len && css_space(css[i]))
        i++;
    if (i < len && (css[i] == '"' || css[i] == '\'')) {
        /* one quote: url('"data:…') is a relative reference */
        *allowed = reference_allowed(css + i + 1, len - i - 1);
        return open + 1;
    }
    *allowed = reference_allowed(css + i, len - i);
    while (i < len && css[i] != ')')
        i += escape_at(css, len, i) ? 2 : 1;
    return i < len ? i + 1 : len;
}

/* The end of the declaration or rule that css[i] is in: its ';' or '}'
 * outside comments, strings, url tokens and blocks opened after i ('depth'
 * blocks are open at i), or len. */
static size_t
statement_end(const char *css, size_t len, size_t i, int depth)
{
    while (i < len) {
        size_t j = skip_opaque(css, len, i);
        char name[8];
        bool ok;

        if (j != i) {
            i = j;
        } else if (css[i] == '(' || css[i] == '[') {
            depth++;
            i++;
        } else if (css[i] == ')' || css[i] == ']') {
            depth -= depth > 0;
            i++;
        } else if (depth == 0 && (css[i] == ';' || css[i] == '}')) {
            return i;
        } else if (name_char((unsigned char)css[i]) ||
                   escape_at(css, len, i)) {
            i = read_name(css, len, i, name, sizeof name);
            if (strcmp(name, "url") == 0 && i < len && css[i] == '(')
                i = url_token(css, len, i, &ok);
        } else {
            i++;
        }
    }
    return len;
}

/* Where a scan of a stylesheet is: the declaration it is in, the blocks
 * open, and the fetching function (fetchers[]) whose strings are URLs. */
typedef struct css_scan {
    size_t      start;      /* of this declaration or rule */
    int         depth;      /* ( and [ blocks open */
    int         fetch_at;   /* the depth a fetching function opened at;
                               -1: none is open */
    const char *fetcher;    /* its name, as warnings show it */
} css_scan;

/* What a function name 'name' whose '(' is css[open] loads or runs, or
 * NULL when it loads nothing (yet: a fetching function's strings are
 * read on); *next is the index to read on from. */
static const char *
open_function(css_scan *sc, const char *css, size_t len, size_t open,
              const char *name, size_t *next)
{
    bool ok = true;

    *next = open + 1;
    if (strcmp(name, "url") == 0) {
        *next = url_token(css, len, open, &ok);
        if (!ok)
            return "url()";
    } else if (strcmp(name, "expression") == 0) {
        return "expression()";
    } else if (strcmp(name, "var") == 0 && sc->fetch_at >= 0) {
        return sc->fetcher;     /* var() could give it any string */
    } else {
        for (size_t k = 0; k < sizeof fetchers / sizeof *fetchers; k++)
            if (strcmp(name, fetchers[k].name) == 0 && sc->fetch_at < 0) {
                sc->fetch_at = sc->depth;
                sc->fetcher = fetchers[k].shown;
            }
    }
    if (css[*next - 1] == '(')
        sc->depth++;
    return NULL;
}

/* What the token at css[i] loads or runs, or NULL; *next is the index
 * after it. */
static const char *
scan_token(css_scan *sc, const char *css, size_t len, size_t i,
           size_t *next)
{
    size_t j = skip_opaque(css, len, i);
    char name[24];

    *next = i + 1;
    if (j != i) {
        *next = j;
        if (css[i] != '/' && sc->fetch_at >= 0 &&
            !reference_allowed(css + i + 1, j - i >= 2 ? j - i - 2 : 0))
            return sc->fetcher;
    } else if (css[i] == '(' || css[i] == '[') {
        sc->depth++;
    } else if (css[i] == ')' || css[i] == ']') {
        sc->depth -= sc->depth > 0;
        if (sc->depth <= sc->fetch_at)
            sc->fetch_at = -1;
    } else if (sc->depth == 0 &&
               (css[i] == ';' || css[i] == '{' || css[i] == '}')) {
        sc->start = i + 1;
    } else if (css[i] == '@') {
        *next = read_name(css, len, i + 1, name, sizeof name);
        if (strcmp(name, "import") == 0) {
            sc->start = i;
            return "@import";
        }
    } else if (name_char((unsigned char)css[i]) || escape_at(css, len, i)) {
        *next = read_name(css, len, i, name, sizeof name);
        if (*next < len && css[*next] == '(')
            return open_function(sc, css, len, *next, name, next);
    }
    return NULL;
}

/* One pass over css[0..len): each @import rule and each declaration
 * that loads or runs anything is handed to 'cut' as [from, to) with its
 * position and what it is; returns how many there were. */
static size_t
walk_css(const char *css, size_t len,
         void (*cut)(size_t from, size_t to, size_t at, const char *what,
                     void *ctx),
         void *ctx)
{
    css_scan sc = {0, 0, -1, NULL};
    size_t i = 0, n = 0;

    while (i < len) {
        size_t next, j;
        const char *what = scan_token(&sc, css, len, i, &next);

        if (what == NULL) {
            i = next;
            continue;
        }
        j = statement_end(css, len, i, sc.depth);
        if (j < len && css[j] == ';')
            j++;                    /* the ';' goes, a '}' stays */
        cut(sc.start, j, i, what, ctx);
        n++;
        i = j;
        sc = (css_scan){j, 0, -1, NULL};
    }
    return n;
}

typedef struct css_out {
    const char *css;
    const char *file;
    oc_buf     *out;
    size_t      kept;       /* css[0..kept) is copied or cut */
    size_t      counted;    /* lines are counted up to here */
    int         line;
} css_out;

static void
cut_statement(size_t from, size_t to, size_t at, const char *what,
              void *ctx)
{
    css_out *o = ctx;

    for (; o->counted < at; o->counted++)
        o->line += o->css[o->counted] == '\n';
    if (strcmp(what, "expression()") == 0)
        oc_warn(o->file, o->line, 0, "declaration with expression() "
                "removed: a stylesheet runs no script");
    else
        oc_warn(o->file, o->line, 0, "%s%s removed: a stylesheet brings "
                "no file into the book and loads nothing (fonts come from "
                "the manifest's fonts: key)",
                what[0] == '@' ? "" : "declaration with ", what);
    if (from > o->kept)
        oc_buf_put(o->out, o->css + o->kept, from - o->kept);
    o->kept = to;
}

bool
oc_sanitize_css(const char *css, size_t len, const char *file,
                int first_line, oc_buf *out)
{
    css_out o = {css, file, out, 0, 0, first_line};

    if (walk_css(css, len, cut_statement, &o) == 0)
        return false;
    if (len > o.kept)
        oc_buf_put(out, css + o.kept, len - o.kept);
    return true;
}

static void
count_only(size_t from, size_t to, size_t at, const char *what, void *ctx)
{
    (void)from, (void)to, (void)at, (void)what, (void)ctx;
}

bool
oc_css_loads(const char *css, size_t len)
{
    return walk_css(css, len, count_only, NULL) > 0;
}

/* The EPUB namespace's URI (xhtml.h's OC_EPUB_NS), as CSS names it. */
#define OPS_NS "http://www.idpf.org/2007/ops"

/* The prefixes that the @namespace rules of css[0..len) bind to the EPUB
 * namespace, as a list "|p|q|" in 'out' ("epub" too unless a rule binds
 * it to another). */
static void
ops_prefixes(const char *css, size_t len, oc_buf *out)
{
    bool epub_elsewhere = false;

    oc_buf_puts(out, "|");
    for (size_t i = 0; i < len;) {
        size_t j = skip_opaque(css, len, i), k;
        char prefix[64];
        bool ops;

        if (j != i) {
            i = j;
            continue;
        }
        if (len - i < 10 || strncasecmp(css + i, "@namespace", 10) != 0 ||
            (i + 10 < len && name_char((unsigned char)css[i + 10]))) {
            i++;
            continue;
        }
        for (k = i + 10; k < len && css_space(css[k]); k++)
            ;
        prefix[0] = '\0';
        if (k < len && css[k] != '"' && css[k] != '\'' &&
            strncasecmp(css + k, "url(", 4) != 0)
            k = read_name(css, len, k, prefix, sizeof prefix);
        while (k < len && css_space(css[k]))
            k++;
        if (k < len && (css[k] == '"' || css[k] == '\''))
            k++;
        else if (len - k >= 4 && strncasecmp(css + k, "url(", 4) == 0)
            for (k += 4; k < len && (css_space(css[k]) || css[k] == '"' ||
                                     css[k] == '\'');)
                k++;
        ops = len - k >= sizeof OPS_NS - 1 &&
              memcmp(css + k, OPS_NS, sizeof OPS_NS - 1) == 0;
        if (prefix[0] != '\0' && ops)
            oc_buf_printf(out, "%s|", prefix);
        else if (strcmp(prefix, "epub") == 0)
            epub_elsewhere = true;
        i = k;
    }
    if (!epub_elsewhere)
        oc_buf_puts(out, "epub|");
}

bool
oc_css_epub_attrs(const char *css, size_t len, oc_buf *out)
{
    oc_buf prefixes = {0};
    size_t kept = 0;

    if (memchr(css, '|', len) == NULL)
        return false;
    ops_prefixes(css, len, &prefixes);
    for (size_t i = 0; i < len;) {
        size_t j = skip_opaque(css, len, i), k, name;
        char prefix[66];

        if (j != i) {
            i = j;
            continue;
        }
        if (css[i++] != '[')
            continue;
        for (k = i; k < len && css_space(css[k]); k++)
            ;
        prefix[0] = '|';
        j = read_name(css, len, k, prefix + 1, sizeof prefix - 2);
        if (j == k || j + 1 >= len || css[j] != '|' || css[j + 1] == '=' ||
            !name_char((unsigned char)css[j + 1]))
            continue;
        strcat(prefix, "|");
        if (strstr(prefixes.data, prefix) == NULL)
            continue;
        name = j + 1;
        oc_buf_put(out, css + kept, i - kept);
        oc_buf_puts(out, "data-epub-");
        kept = name;
        i = name;
    }
    oc_buf_free(&prefixes);
    if (kept == 0)
        return false;
    oc_buf_put(out, css + kept, len - kept);
    return true;
}
