/* book.c - load a book: manifest, stylesheets, every chapter into its
 * XHTML DOM, book-wide ids, links between chapters; the build timestamp. */
#include "book.h"

#include <errno.h>
#include <malloc.h>             /* malloc_trim */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <ctype.h>
#include <fontconfig/fontconfig.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libdeflate.h>
#include <stdint.h>

#include "buf.h"
#include "convert.h"
#include "cover.h"          /* the drawn cover's size only */
#include "data.h"
#include "error.h"
#include "fontlock.h"
#include "highlight.h"
#include "image.h"
#include "markdown.h"
#include "sanitize.h"
#include "svg.h"
#include "xhtml.h"

#define MAX_IMAGE_PIXELS (100L * 1000 * 1000)  /* decompression bombs */
#define KEEP_IMAGE_BYTES (256 * 1024)   /* larger PNGs are read again */

static void
note_mtime(oc_book *b, const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0 && st.st_mtime > b->modified)
        b->modified = st.st_mtime;
}

static const char *
base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

/* A file name for the container: the source's stem made safe, plus
 * 'ext', unique among the names claimed so far. */
static const char *
container_name(oc_book *b, oc_idset *names, const char *src,
               const char *ext)
{
    char *slug = oc_xhtml_slug(base_name(src));
    char *dash = strrchr(slug, '-');
    char *name;

    /* The slug turned "article.md" into "article-md": drop the suffix. */
    if (dash != NULL && strchr(base_name(src), '.') != NULL)
        *dash = '\0';
    name = oc_arena_printf(b->arena, "%s%s", slug, ext);
    for (int n = 2; oc_idset_has(names, name); n++)
        name = oc_arena_printf(b->arena, "%s-%d%s", slug, n, ext);
    oc_idset_claim(names, name);
    free(slug);
    return name;
}

static oc_resource *
new_resource(oc_book *b, oc_resource **list, size_t *n, size_t *cap)
{
    oc_resource *r;

    *list = oc_arena_reserve(b->arena, *list, *n, cap, sizeof **list);
    r = &(*list)[(*n)++];
    r->fallback = -1;
    return r;
}

/* Error 'st' (in err) leaves the rest of the book to read: with an error
 * sink it is told there and cleared, and the load goes on (OC_OK) until
 * OC_MAX_ERRORS were; without one, the load stops (st). */
static oc_status
go_on(oc_book *b, oc_status st, oc_error *err)
{
    if (st == OC_OK || b->on_error == NULL || b->nerrors >= OC_MAX_ERRORS)
        return st;              /* (at the limit: told already) */
    b->on_error(err, b->error_ctx);
    if (b->nerrors++ == 0)
        *b->first_error = *err;
    if (b->nerrors == OC_MAX_ERRORS)
        return st;
    memset(err, 0, sizeof *err);
    return OC_OK;
}

/* Stylesheet 'text' read from 'path' (data memory of 'text'), sanitised,
 * into b->styles. */
static void
add_style(oc_book *b, oc_idset *names, const char *path, const oc_buf *text)
{
    oc_resource *r = new_resource(b, &b->styles, &b->nstyles, &b->capstyles);
    oc_buf clean = {0}, plain = {0};
    const oc_buf *kept = text;

    r->href = oc_arena_printf(b->arena, "css/%s",
                              container_name(b, names, path, ".css"));
    r->src = path;
    r->media_type = "text/css";
    if (oc_sanitize_css(text->data, text->len, path, 1, &clean))
        kept = &clean;
    if (kept->len > 0 && oc_css_epub_attrs(kept->data, kept->len, &plain)) {
        kept = &plain;
        b->epub_attrs = true;
    }
    r->data = oc_arena_strndup(b->arena, kept->data ? kept->data : "",
                               kept->len);
    r->len = kept->len;
    oc_buf_free(&clean);
    oc_buf_free(&plain);
}

/* octavo's own stylesheet (data.h), once. */
static oc_status
load_default_style(oc_book *b, oc_idset *names, oc_error *err)
{
    oc_buf text = {0}, name = {0};
    const char *path;
    oc_status st;

    if (b->default_style)
        return OC_OK;
    st = oc_data_read(b->data_dir, "styles/book.css", &text, &name, err);
    path = oc_arena_strndup(b->arena, name.data, name.len);
    oc_buf_free(&name);
    if (st == OC_OK)
        st = oc_text_check(text.data, text.len, path, 1, NULL, err);
    if (st == OC_OK) {
        add_style(b, names, path, &text);
        b->styles[b->nstyles - 1].octavo = true;
        b->default_style = true;
        if (b->data_dir != NULL)
            note_mtime(b, path);
    }
    oc_buf_free(&text);
    return st;
}

/* The length of "@import" rule 'at' naming octavo's stylesheet
 * ("octavo:book.css", in quotes or url()), or 0. */
static size_t
octavo_import(const char *at, const char *end)
{
    static const char *const forms[] = {
        "@import \"octavo:book.css\"", "@import 'octavo:book.css'",
        "@import url(octavo:book.css)", "@import url(\"octavo:book.css\")",
        "@import url('octavo:book.css')",
    };

    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        size_t n = strlen(forms[i]);
        const char *p = at + n;

        if ((size_t)(end - at) < n || strncasecmp(at, forms[i], n) != 0)
            continue;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p < end && *p == ';')
            return (size_t)(p + 1 - at);
    }
    return 0;
}

/* Whether the book's stylesheet 'text' starts by importing octavo's own
 * (after white space, comments and @charset, where CSS allows @import);
 * the rule is blanked out (its lines kept, so that diagnostics still
 * point at the right line), as the EPUB lists octavo's sheet itself. */
static bool
take_octavo_import(oc_buf *text)
{
    char *p = text->data, *end = text->data + text->len;

    while (p != NULL && p < end) {
        size_t n;

        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        } else if (end - p > 1 && p[0] == '/' && p[1] == '*') {
            p = strstr(p + 2, "*/");
            p = p ? p + 2 : NULL;
        } else if (end - p > 8 && strncasecmp(p, "@charset", 8) == 0) {
            p = memchr(p, ';', (size_t)(end - p));
            p = p ? p + 1 : NULL;
        } else if ((n = octavo_import(p, end)) > 0) {
            for (size_t i = 0; i < n; i++)
                if (p[i] != '\n')
                    p[i] = ' ';
            return true;
        } else {
            return false;
        }
    }
    return false;
}

/* The book's stylesheet i of the manifest. */
static oc_status
load_book_style(oc_book *b, oc_idset *names, size_t i, oc_error *err)
{
    const oc_manifest *m = b->m;
    const char *path = oc_manifest_resolve(b->arena, m,
                                           m->stylesheets[i].path);
    oc_buf text = {0};
    oc_status st = oc_buf_read_file(&text, path, 0, err);

    if (st != OC_OK) {
        char why[256];

        snprintf(why, sizeof why, "%s", err->msg);
        err->code = OC_OK;
        st = oc_error_set(err, OC_ERR_IO, m->file, m->stylesheets[i].line,
                          m->stylesheets[i].col,
                          "stylesheet '%s' cannot be read: %s",
                          m->stylesheets[i].path,
                          strncmp(why, "cannot read: ", 13) == 0 ? why + 13
                                                                 : why);
    }
    if (st == OC_OK)
        st = oc_text_check(text.data, text.len, path, 1, NULL, err);
    if (st == OC_OK && take_octavo_import(&text))
        st = load_default_style(b, names, err);
    if (st == OC_OK) {
        add_style(b, names, path, &text);
        note_mtime(b, path);
    }
    oc_buf_free(&text);
    return st;
}

/* octavo's stylesheet, unless the book says default-stylesheet: false
 * (and none of its own imports it), then the book's, in order: a
 * book's stylesheet adds to octavo's. */
static oc_status
load_styles(oc_book *b, oc_idset *names, oc_error *err)
{
    const oc_manifest *m = b->m;
    oc_status st = OC_OK;

    if (!m->no_default_stylesheet)
        st = go_on(b, load_default_style(b, names, err), err);
    for (size_t i = 0; i < m->nstylesheets && st == OC_OK; i++)
        st = go_on(b, load_book_style(b, names, i, err), err);
    return st;
}

/* The type of the image file 'full' whose bytes are *data, after the
 * checks a book makes of it: a known format, a size within the limit, a
 * PNG whose chunks are whole, an SVG that parses (*data becomes its
 * clean rewrite). OC_IMAGE_UNKNOWN with err set when it fails one, at
 * 'file', 'line' and 'col', where 'what' ("image 'a.png'") is asked for. */
/* An image in a format a book cannot carry that gdk-pixbuf reads (TIFF,
 * BMP...): turned into PNG in 'data', with a warning; its header is read
 * first, so that no more pixels than the limit are ever decoded. */
static oc_image_type
converted_image(oc_buf *data, const char *full, long *w, long *h,
                const char *file, int line, int col, const char *what,
                oc_error *err)
{
    oc_buf png = {0};
    char format[32] = "";
    int hw = 0, hh = 0;
    const char *why;

    if (gdk_pixbuf_get_file_info(full, &hw, &hh) == NULL) {
        oc_error_set(err, OC_ERR_INVALID, file, line, col,
                     "%s: not a PNG, JPEG, GIF, SVG or WebP image", what);
        return OC_IMAGE_UNKNOWN;
    }
    if (hw <= 0 || hh <= 0 || (long)hw > MAX_IMAGE_PIXELS / hh) {
        oc_error_set(err, OC_ERR_INVALID, file, line, col,
                     "%s: %d x %d pixels is more than the limit of %ld "
                     "million", what, hw, hh, MAX_IMAGE_PIXELS / 1000000);
        return OC_IMAGE_UNKNOWN;
    }
    why = oc_image_other_to_png(data->data, data->len, MAX_IMAGE_PIXELS,
                                &png, w, h, format, sizeof format);
    if (why != NULL) {
        oc_error_set(err, OC_ERR_INVALID, file, line, col, "%s: %s", what,
                     why);
        oc_buf_free(&png);
        return OC_IMAGE_UNKNOWN;
    }
    for (char *c = format; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    oc_warn(file, line, col, "%s: %s is no EPUB image type; converted to "
            "PNG for both outputs", what, format);
    oc_buf_free(data);
    *data = png;
    return OC_IMAGE_PNG;
}

static oc_image_type
checked_image(oc_buf *data, const char *full, long *w, long *h,
              bool *converted, const char *file, int line, int col,
              const char *what, oc_error *err)
{
    oc_image_type t = oc_image_sniff(data->data, data->len, w, h);
    oc_buf clean = {0};
    oc_error why = {0};
    char where[40] = "";
    const char *damage;

    *converted = false;
    if (t == OC_IMAGE_UNKNOWN && full == NULL) {     /* a data: URL's */
        oc_error_set(err, OC_ERR_INVALID, file, line, col,
                     "%s: not a PNG, JPEG, GIF, SVG or WebP image", what);
    } else if (t == OC_IMAGE_UNKNOWN) {
        t = converted_image(data, full, w, h, file, line, col, what, err);
        *converted = t != OC_IMAGE_UNKNOWN;
    } else if (*w < 0 || *h < 0 || (*h > 0 && *w > MAX_IMAGE_PIXELS / *h)) {
        oc_error_set(err, OC_ERR_INVALID, file, line, col,
                     "%s: %ld x %ld pixels is more than the limit of %ld "
                     "million", what, *w, *h, MAX_IMAGE_PIXELS / 1000000);
        t = OC_IMAGE_UNKNOWN;
    } else if (t == OC_IMAGE_PNG &&
               (damage = oc_image_png_damage(data->data, data->len))) {
        /* Found now, it has a place to be reported at: the PDF decodes
         * a PNG only when it paints it. */
        oc_error_set(err, OC_ERR_INVALID, file, line, col,
                     "%s: a damaged PNG file (%s)", what, damage);
        t = OC_IMAGE_UNKNOWN;
    } else if (t == OC_IMAGE_SVG) {
        /* Rewritten as it goes into both outputs: no DOCTYPE, script,
         * handlers or references outside the image (svg.h). */
        if (oc_svg_sanitize(data->data, data->len, full, &clean, &why) ==
            OC_OK) {
            oc_buf_free(data);
            *data = clean;
            return t;
        }
        if (why.line > 0 && why.col > 0)
            snprintf(where, sizeof where, "line %d, column %d: ", why.line,
                     why.col);
        else if (why.line > 0)
            snprintf(where, sizeof where, "line %d: ", why.line);
        oc_error_set(err, OC_ERR_INVALID, file, line, col,
                     "%s: cannot be used as an SVG image (%s%s)", what, where,
                     why.msg);
        oc_buf_free(&clean);
        t = OC_IMAGE_UNKNOWN;
    }
    return t;
}

/* Read the image at 'full' (once per file) into b->images; WebP gets a
 * PNG fallback. Returns its index, or -1 with err set. 'file', 'line' and
 * 'what' say where it was asked for. */
static int add_image_bytes(oc_book *b, oc_idset *names, const char *full,
                           oc_buf *bytes, const char *file, int line,
                           int col, const char *what, oc_error *err);

static int
add_image(oc_book *b, oc_idset *names, const char *full, const char *file,
          int line, int col, const char *what, oc_error *err)
{
    return add_image_bytes(b, names, full, NULL, file, line, col, what, err);
}

/* Image 'full' (a file of the book) or, when 'bytes' is not NULL, the
 * bytes of a data: URL (full is then its name's stem), checked and
 * added to the book's images; returns its index, or -1 with err set. */
static int
add_image_bytes(oc_book *b, oc_idset *names, const char *full,
                oc_buf *bytes, const char *file, int line, int col,
                const char *what, oc_error *err)
{
    oc_buf data = {0};
    oc_resource *r;
    oc_image_type t;
    long w, h;
    int idx;
    bool converted;

    for (size_t i = 0; bytes == NULL && i < b->nimages; i++)
        if (b->images[i].src && strcmp(b->images[i].src, full) == 0)
            return (int)i;
    for (size_t i = 0; bytes != NULL && i < b->nimages; i++)
        if (b->images[i].inline_data && b->images[i].len == bytes->len &&
            memcmp(b->images[i].data, bytes->data, bytes->len) == 0) {
            oc_buf_free(bytes);         /* the same picture again */
            return (int)i;
        }
    if (bytes != NULL) {
        data = *bytes;
        *bytes = (oc_buf){0};
    } else if (oc_buf_read_file(&data, full, 0, err) != OC_OK) {
        char why[256];

        snprintf(why, sizeof why, "%s", err->msg);
        err->code = OC_OK;
        oc_error_set(err, OC_ERR_IO, file, line, col, "%s: %s", what,
                     strstr(why, "No such file") ? "no such file" : why);
        return -1;
    }
    if ((t = checked_image(&data, bytes ? NULL : full, &w, &h, &converted,
                           file, line, col, what, err)) == OC_IMAGE_UNKNOWN) {
        oc_buf_free(&data);
        return -1;
    }
    if (bytes != NULL)
        converted = true;       /* its bytes stay in memory */
    else
        note_mtime(b, full);
    idx = (int)b->nimages;
    r = new_resource(b, &b->images, &b->nimages, &b->capimages);
    r->src = bytes ? NULL : oc_arena_strdup(b->arena, full);
    r->inline_data = bytes != NULL;
    r->href = oc_arena_printf(b->arena, "images/%s",
                              container_name(b, names, full,
                                             oc_image_extension(t)));
    r->media_type = oc_image_media_type(t);
    /* A large PNG is read again when painted; a converted image's bytes
     * are not its file's. */
    if (t != OC_IMAGE_PNG || data.len <= KEEP_IMAGE_BYTES || converted)
        r->data = oc_arena_strndup(b->arena, data.data, data.len);
    r->len = data.len;
    r->width = w;
    r->height = h;
    oc_buf_free(&data);
    if (t == OC_IMAGE_WEBP) {
        oc_buf png = {0};
        oc_resource *fb;
        const char *why = oc_image_webp_to_png(r->data, r->len, &png);

        if (why != NULL) {
            oc_buf_free(&png);
            oc_error_set(err, OC_ERR_INVALID, file, line, col, "%s: %s",
                         what, why);
            return -1;
        }
        fb = new_resource(b, &b->images, &b->nimages, &b->capimages);
        b->images[idx].fallback = (int)(b->nimages - 1);
        fb->href = oc_arena_printf(b->arena, "images/%s",
                                   container_name(b, names, full, ".png"));
        fb->media_type = "image/png";
        fb->data = oc_arena_strndup(b->arena, png.data, png.len);
        fb->len = png.len;
        fb->width = w;
        fb->height = h;
        oc_buf_free(&png);
    }
    return idx;
}

static const char *
dir_of(oc_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? oc_arena_strndup(a, path, (size_t)(slash - path)) : "";
}

/* A URL's path as a file name: %XX decoded ("my%20pic.png"); s itself
 * when it has no escape, or an escape that would make a NUL or '/', or
 * bytes that are not UTF-8 (no file name a book can list). */
static const char *
percent_decoded(oc_arena *a, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *out;

    if (strchr(s, '%') == NULL)
        return s;
    out = oc_arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        int hi, lo;

        if (s[i] == '%' && i + 2 < n &&
            (hi = oc_hex_digit((unsigned char)s[i + 1])) >= 0 &&
            (lo = oc_hex_digit((unsigned char)s[i + 2])) >= 0) {
            char c = (char)(hi * 16 + lo);

            if (c == '\0' || c == '/')
                return s;
            out[k++] = c;
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return xmlCheckUTF8(BAD_CAST out) ? out : s;
}

/* An image given as a data: URL (a notebook's or a word processor's
 * export): its bytes, decoded, become a file of the book (images/
 * inline-image.png...) that passes the checks any image file does: PNG,
 * JPEG, GIF, WebP or SVG, rewritten by the SVG sanitiser as an SVG file
 * is. Returns its index, or -1 with err set. */
static int
data_url_image(oc_book *b, oc_idset *names, const char *url,
               const char *file, int line, oc_error *err)
{
    static const char *const types[] = {
        "image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp",
        "image/svg+xml", NULL};
    const char *comma = strchr(url, ','), *p = url + 5;
    size_t tlen = strcspn(p, ";,");
    bool base64 = false, known = false;
    oc_buf bytes = {0};

    for (int i = 0; types[i] != NULL; i++)
        known |= tlen == strlen(types[i]) &&
                 strncasecmp(p, types[i], tlen) == 0;
    if (comma != NULL)
        for (const char *q = p + tlen; q < comma; q++)
            if (*q == ';' && strncasecmp(q + 1, "base64", 6) == 0)
                base64 = true;
    if (comma == NULL || !known) {
        oc_error_set(err, OC_ERR_INVALID, file, line, 0,
                     "image '%.32s...': a data: URL of no image type "
                     "octavo reads (PNG, JPEG, GIF, WebP, SVG)", url);
        return -1;
    }
    if (base64) {
        char *text = g_strdup(comma + 1);
        gsize n = 0;
        guchar *raw;
        char *o = text;

        for (const char *q = comma + 1; *q; q++)    /* white space out */
            if (!g_ascii_isspace(*q))
                *o++ = *q;
        *o = '\0';
        raw = g_base64_decode(text, &n);
        oc_buf_put(&bytes, raw, n);
        g_free(raw);
        g_free(text);
    } else {
        oc_buf_puts(&bytes, comma + 1);
    }
    if (bytes.len == 0) {
        oc_buf_free(&bytes);
        oc_error_set(err, OC_ERR_INVALID, file, line, 0,
                     "image '%.32s...': an empty data: URL", url);
        return -1;
    }
    return add_image_bytes(b, names, "inline-image", &bytes, file, line, 0,
                           "image (a data: URL)", err);
}

/* Every <img> of a chapter: copied into the book, src rewritten. */
static oc_status
collect_images(oc_book *b, oc_chapter *ch, const char *chapdir,
               xmlNodePtr n, oc_idset *names, oc_error *err)
{
    for (; n != NULL; n = n->next) {
        oc_status st;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (oc_xhtml_is(n, "img")) {
            xmlChar *src = xmlGetProp(n, BAD_CAST "src");
            xmlChar *alt = xmlGetProp(n, BAD_CAST "alt");
            const char *s = src ? (const char *)src : "";
            int line = oc_xhtml_line(n);
            char *rel, *full = NULL;
            int idx = -1;

            s = percent_decoded(b->arena, s);
            /* A path from the root, as a README on GitHub writes one from
             * its repository's, is read from the book's folder. */
            if (s[0] == '/' && s[1] != '/')
                rel = oc_arena_strdup(b->arena, s + 1);
            else if (chapdir[0])
                rel = oc_arena_printf(b->arena, "%s/%s", chapdir, s);
            else
                rel = oc_arena_strdup(b->arena, s);
            if (s[0] == '\0')
                oc_error_set(err, OC_ERR_INVALID, ch->file, line, 0,
                             "image without a source");
            else if (strncasecmp(s + strspn(s, " \t\r\n\f"), "data:",
                                 5) == 0)
                idx = data_url_image(b, names, s + strspn(s, " \t\r\n\f"),
                                     ch->file, line, err);
            else if ((full = oc_manifest_inside(b->arena, b->m, rel)) == NULL)
                oc_error_set(err, OC_ERR_INVALID, ch->file, line, 0,
                             "image '%s' is outside the book's folder", s);
            else
                idx = add_image(b, names, full, ch->file, line, 0,
                                oc_arena_printf(b->arena, "image '%s'", s),
                                err);
            if (idx >= 0 && b->images[idx].fallback >= 0) {
                /* WebP is no EPUB 3.2 core type: readers that cannot show
                 * it take the PNG of a <picture>. */
                xmlNodePtr pic = oc_xhtml_add(n->doc, NULL, "picture", line);
                xmlNodePtr srcel = oc_xhtml_add(n->doc, pic, "source", line);

                xmlSetProp(srcel, BAD_CAST "srcset",
                           BAD_CAST b->images[idx].href);
                xmlSetProp(srcel, BAD_CAST "type", BAD_CAST "image/webp");
                xmlAddPrevSibling(n, pic);
                xmlUnlinkNode(n);
                xmlAddChild(pic, n);
                idx = b->images[idx].fallback;
            }
            if (idx >= 0) {
                xmlSetProp(n, BAD_CAST "src", BAD_CAST b->images[idx].href);
                /* alt="" written in XHTML or HTML says the picture is
                 * decorative (WCAG's null alt text); in Markdown it is
                 * more likely forgotten: ![](figure.png). */
                if (alt == NULL ||
                    (alt[0] == '\0' && oc_chapter_format_of(ch->src) !=
                                           OC_FORMAT_XHTML &&
                     oc_chapter_format_of(ch->src) != OC_FORMAT_HTML)) {
                    oc_warn(ch->file, line, 0, "image '%s' has no alt text",
                            s);
                    b->images_without_alt++;
                    if (alt == NULL)
                        xmlSetProp(n, BAD_CAST "alt", BAD_CAST "");
                }
            }
            xmlFree(src);
            xmlFree(alt);
            if (idx < 0 && (st = go_on(b, err->code, err)) != OC_OK)
                return st;
            continue;
        }
        if ((st = collect_images(b, ch, chapdir, n->children, names, err)))
            return st;
    }
    return OC_OK;
}

static const char *
font_media_type(const char *data, size_t len)
{
    if (len < 4)
        return NULL;
    if (memcmp(data, "OTTO", 4) == 0)
        return "font/otf";
    if (memcmp(data, "\0\1\0\0", 4) == 0 || memcmp(data, "true", 4) == 0)
        return "font/ttf";
    if (memcmp(data, "wOFF", 4) == 0)
        return "font/woff";
    if (memcmp(data, "wOF2", 4) == 0)
        return "font/woff2";
    return NULL;
}

/* Family, weight and style as fontconfig reads them from the file. */
static void
describe_font(oc_book *b, oc_resource *r, const char *path)
{
    FcFontSet *fs;
    FcChar8 *family = NULL;
    int weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;

    oc_fonts_lock();
    fs = FcFontSetCreate();
    r->family = NULL;
    if (fs && FcFileScan(fs, NULL, NULL, NULL, (const FcChar8 *)path,
                         FcTrue) && fs->nfont > 0) {
        FcPattern *p = fs->fonts[0];

        if (FcPatternGetString(p, FC_FAMILY, 0, &family) == FcResultMatch)
            r->family = oc_arena_strdup(b->arena, (const char *)family);
        FcPatternGetInteger(p, FC_WEIGHT, 0, &weight);
        FcPatternGetInteger(p, FC_SLANT, 0, &slant);
    }
    r->weight = FcWeightToOpenType(weight);
    r->weight = r->weight < 100 ? 400 : (r->weight + 50) / 100 * 100;
    r->italic = slant != FC_SLANT_ROMAN;
    if (fs)
        FcFontSetDestroy(fs);
    oc_fonts_unlock();
}

/* A family embedded without its regular face (weight 400, upright) is
 * set in the faces it has wherever a stylesheet names it: a reading
 * system given only a bold shows the whole text in bold. Once a family,
 * at the manifest's line of its first face. */
static void
warn_partial_families(const oc_book *b)
{
    const oc_manifest *m = b->m;

    for (size_t i = 0; i < b->nfonts; i++) {
        const FcChar8 *family = (const FcChar8 *)b->fonts[i].family;
        bool seen = false, regular = false;

        if (family == NULL)
            continue;
        for (size_t k = 0; k < b->nfonts; k++) {
            const oc_resource *f = &b->fonts[k];

            if (f->family == NULL ||
                FcStrCmpIgnoreCase((const FcChar8 *)f->family, family) != 0)
                continue;
            seen |= k < i;
            regular |= f->weight == 400 && !f->italic;
        }
        if (!seen && !regular)
            oc_warn(m->file, m->fonts[i].line, m->fonts[i].col,
                    "font family '%s' has no regular face (400, upright) "
                    "among the fonts; reading systems would set its plain "
                    "text in the faces given",
                    b->fonts[i].family);
    }
}

/* Font i of the manifest into b->fonts, and its @font-face rule into
 * css. */
static oc_status
load_font(oc_book *b, oc_idset *names, size_t i, oc_buf *css,
          oc_error *err)
{
    const oc_manifest *m = b->m;
    const oc_path_ref *ref = &m->fonts[i];
    const char *full = oc_manifest_resolve(b->arena, m, ref->path);
    oc_buf data = {0};
    const char *type, *ext;
    oc_resource *r;

    if (oc_buf_read_file(&data, full, 0, err) != OC_OK) {
        char why[256];

        snprintf(why, sizeof why, "%s", err->msg);
        err->code = OC_OK;
        return oc_error_set(err, OC_ERR_IO, m->file, ref->line, ref->col,
                            "font '%s': %s", ref->path, why);
    }
    if ((type = font_media_type(data.data, data.len)) == NULL) {
        oc_buf_free(&data);
        return oc_error_set(err, OC_ERR_INVALID, m->file, ref->line,
                            ref->col, "font '%s' is not an OpenType, "
                            "TrueType or WOFF font", ref->path);
    }
    note_mtime(b, full);
    r = new_resource(b, &b->fonts, &b->nfonts, &b->capfonts);
    r->src = full;
    r->media_type = type;
    ext = strrchr(base_name(full), '.');
    r->href = oc_arena_printf(b->arena, "fonts/%s",
                              container_name(b, names, full,
                                             ext ? ext : ""));
    r->data = oc_arena_strndup(b->arena, data.data, data.len);
    r->len = data.len;
    oc_buf_free(&data);
    describe_font(b, r, full);
    if (r->family == NULL)
        return oc_error_set(err, OC_ERR_INVALID, m->file, ref->line,
                            ref->col, "font '%s' has no family name",
                            ref->path);
    oc_buf_printf(css, "@font-face {\n    font-family: \"%s\";\n"
                  "    font-weight: %d;\n    font-style: %s;\n"
                  "    src: url(\"../%s\");\n}\n\n", r->family,
                  r->weight, r->italic ? "italic" : "normal", r->href);
    return OC_OK;
}

/* Fonts to embed, and css/fonts.css with their @font-face rules. */
static oc_status
load_fonts(oc_book *b, oc_idset *names, oc_error *err)
{
    const oc_manifest *m = b->m;
    oc_buf css = {0};
    oc_resource *r;
    oc_status st = OC_OK;

    for (size_t i = 0; i < m->nfonts && st == OC_OK; i++)
        st = go_on(b, load_font(b, names, i, &css, err), err);
    /* Its fonts are the manifest's, one for one, when none failed. */
    if (st == OC_OK && b->nerrors == 0)
        warn_partial_families(b);
    if (st == OC_OK && m->nfonts > 0) {
        r = new_resource(b, &b->styles, &b->nstyles, &b->capstyles);
        r->href = "css/fonts.css";
        r->media_type = "text/css";
        r->data = oc_arena_strndup(b->arena, css.data, css.len);
        r->len = css.len;
    }
    oc_buf_free(&css);
    return st;
}

static oc_status
load_cover(oc_book *b, oc_idset *names, oc_error *err)
{
    const oc_manifest *m = b->m;
    oc_resource *r;
    int idx;

    if (m->cover.path != NULL) {
        idx = add_image(b, names, oc_manifest_resolve(b->arena, m,
                                                      m->cover.path),
                        m->file, m->cover.line, m->cover.col,
                        oc_arena_printf(b->arena, "cover '%s'",
                                        m->cover.path), err);
        if (idx < 0)
            return err->code;
        if (b->images[idx].fallback >= 0)
            idx = b->images[idx].fallback;
        b->cover = idx;
        b->images[idx].properties = "cover-image";
        return OC_OK;
    }
    /* Drawn when the EPUB is written (epub.c): the PDF does not use it. */
    b->cover = (int)b->nimages;
    b->cover_drawn = 1;
    r = new_resource(b, &b->images, &b->nimages, &b->capimages);
    r->href = oc_arena_printf(b->arena, "images/%s",
                              container_name(b, names, "cover.png", ".png"));
    r->media_type = "image/png";
    r->properties = "cover-image";
    r->width = OC_COVER_WIDTH;
    r->height = OC_COVER_HEIGHT;
    return OC_OK;
}

static void
collect_headings(oc_book *b, oc_chapter *ch, xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->name[0] == 'h' && n->name[1] >= '1' && n->name[1] <= '6' &&
            n->name[2] == '\0') {
            oc_heading *h;
            xmlChar *id = xmlGetProp(n, BAD_CAST "id");

            ch->headings = oc_arena_reserve(b->arena, ch->headings,
                                            ch->nheadings, &ch->capheadings,
                                            sizeof *ch->headings);
            h = &ch->headings[ch->nheadings++];
            h->level = n->name[1] - '0';
            h->id = oc_arena_strdup(b->arena, (const char *)id);
            h->text = oc_xhtml_text(b->arena, n);
            h->title = oc_xhtml_title_text(b->arena, n);
            h->node = n;
            xmlFree(id);
            continue;
        }
        /* Notes are not part of the outline. */
        if (oc_xhtml_is(n, "aside"))
            continue;
        collect_headings(b, ch, n->children);
    }
}

/* The first words of a document's text, about 40 bytes of them cut at a
 * word, with an ellipsis when there are more; 'none' when it has no
 * text. */
static const char *
first_words(oc_arena *a, xmlDocPtr doc, const char *none)
{
    enum { ABOUT = 40 };
    xmlNodePtr body = oc_xhtml_find(xmlDocGetRootElement(doc), "body");
    char *t = body != NULL ? oc_xhtml_text(a, body) : NULL;
    size_t cut = 0;

    if (t == NULL || t[0] == '\0')
        return none;
    if (strlen(t) <= ABOUT + 8)
        return t;
    for (size_t i = 0; i <= ABOUT; i++)
        if (t[i] == ' ')
            cut = i;
    if (cut == 0)                   /* one long word: cut at a character */
        for (cut = ABOUT; cut > 0 && (t[cut] & 0xC0) == 0x80; cut--)
            ;
    while (cut > 0 && strchr(",;:.", t[cut - 1]) != NULL)
        cut--;
    return oc_arena_printf(a, "%.*s\u2026", (int)cut, t);
}

/* What chapter i is converted from (convert.h), its names and language
 * set; 'hrefs' are the stylesheets' (one array for every chapter). */
static void
chapter_input(oc_book *b, size_t i, const char **hrefs, oc_convert_input *in)
{
    oc_manifest *m = b->m;
    oc_chapter *ch = &b->chapters[i];
    const oc_path_ref *ref = m->nchapters ? &m->chapters[i] : NULL;
    oc_doc_opts *o = &in->opts;
    const char *norm;
    int format;

    ch->language = ref && ref->language ? ref->language : m->language;
    ch->short_title = ref && ref->short_title && ref->short_title[0]
                          ? ref->short_title : NULL;
    memset(in, 0, sizeof *in);
    o->language = ch->language;
    o->dir = oc_lang_direction(ch->language);
    o->title = m->title;
    o->stylesheets = hrefs;
    o->nstylesheets = b->nstyles;
    o->body_type = "bodymatter";
    o->note_prefix = i == 0 ? NULL : oc_arena_printf(b->arena, "c%zu-",
                                                     i + 1);
    o->labels = m->labels;
    if (ref == NULL) {               /* a Markdown book's own body */
        ch->src = base_name(m->file);
        ch->file = m->file;
        in->file = m->file;
        in->text = m->body != NULL ? m->body : "";
        in->len = m->body_len;
        in->first_line = m->body_line;
        in->format = OC_FORMAT_MARKDOWN;
        return;
    }
    ch->src = ref->path;
    ch->file = oc_manifest_resolve(b->arena, m, ref->path);
    in->file = ch->file;
    /* octavo build a.md b.md: a.md's front matter is the book's. */
    norm = oc_path_normalize(b->arena, ref->path);
    o->book_meta = m->body != NULL && norm != NULL &&
                   strcmp(norm, base_name(m->file)) == 0;
    format = oc_chapter_format_of(ref->path);
    in->skip = format < 0;          /* refused by load_chapter */
    in->format = format < 0 ? OC_FORMAT_MARKDOWN : (oc_chapter_format)format;
}

static oc_status
load_chapter(oc_book *b, size_t i, oc_convert *conv, oc_idset *ids,
             oc_idset *names, oc_error *err)
{
    oc_manifest *m = b->m;
    oc_chapter *ch = &b->chapters[i];
    const oc_path_ref *ref = m->nchapters ? &m->chapters[i] : NULL;
    xmlNodePtr title;
    bool unread = false;
    oc_status st;

    if (ref != NULL && oc_chapter_format_of(ref->path) < 0) {
        oc_convert_take(conv, i, &ch->doc, &unread, err);
        return oc_error_set(err, OC_ERR_INVALID, m->file, ref->line,
                            ref->col,
                            "chapter '%s' is neither Markdown (.md) nor "
                            "XHTML (.xhtml, .html)", ref->path);
    }
    st = oc_convert_take(conv, i, &ch->doc, &unread, err);
    if (unread) {
        char why[256];
        const char *verb = "", *what = why;

        snprintf(why, sizeof why, "%s", err->msg);
        err->code = OC_OK;
        if (strstr(why, "No such file") != NULL) {
            what = "does not exist";
        } else if (strncmp(why, "cannot read: ", 13) == 0) {
            verb = "cannot be read: ";
            what = why + 13;
        }
        return oc_error_set(err, OC_ERR_IO, m->file, ref->line, ref->col,
                            "chapter '%s' %s%s", ref->path, verb, what);
    }
    if (ref != NULL)
        note_mtime(b, ch->file);
    if (st != OC_OK)
        return st;
    st = collect_images(b, ch, ref ? dir_of(b->arena, ref->path) : "",
                        xmlDocGetRootElement(ch->doc), names, err);
    if (st != OC_OK)
        return st;
    oc_xhtml_assign_ids(ch->doc, ids, ch->file);
    collect_headings(b, ch, xmlDocGetRootElement(ch->doc));
    title = oc_xhtml_find(xmlDocGetRootElement(ch->doc), "title");
    /* Without a heading: the chapter's own <title> (an XHTML chapter's),
     * else the book's. */
    ch->title = ch->nheadings ? ch->headings[0].title
                : title != NULL ? oc_xhtml_text(b->arena, title) : m->title;
    if (ch->title == NULL || ch->title[0] == '\0')
        ch->title = m->title;
    ch->toc_title = ch->title;
    if (ch->nheadings == 0 && m->nchapters > 1 && m->title != NULL &&
        strcmp(ch->title, m->title) == 0)
        ch->toc_title = first_words(b->arena, ch->doc, m->title);
    if (title != NULL && ch->nheadings) {
        xmlNodeSetContent(title, NULL);
        xmlNodeAddContent(title, BAD_CAST ch->title);
    }
    return OC_OK;
}

/* The one chapter whose file is named 'name' (len bytes, no folder), in
 * whatever folder: Obsidian links notes by their names alone. NULL if
 * none is, or more than one. */
static const oc_chapter *
chapter_by_name(const oc_book *b, const char *name, size_t len)
{
    const oc_chapter *found = NULL;

    if (memchr(name, '/', len) != NULL)
        return NULL;
    for (size_t i = 0; i < b->nchapters; i++) {
        const char *src = b->chapters[i].src, *base;

        if (src == NULL)
            continue;
        base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
        if (strlen(base) == len && memcmp(base, name, len) == 0) {
            if (found != NULL)
                return NULL;
            found = &b->chapters[i];
        }
    }
    return found;
}

/* The chapter that 'path' (len bytes, relative to chapter 'from') names,
 * or else the one chapter of that file name (chapter_by_name). */
static const oc_chapter *
chapter_by_src(oc_book *b, const oc_chapter *from, const char *path,
               size_t len)
{
    const char *dir = dir_of(b->arena, from->src);
    char *rel = oc_arena_printf(b->arena, "%s%s%.*s", dir, dir[0] ? "/" : "",
                                (int)len, path);
    const char *want = oc_path_normalize(b->arena, rel);

    if (want != NULL && b->norm_srcs == NULL) {  /* once, not per link */
        b->norm_srcs = oc_arena_alloc(b->arena,
                                      (b->nchapters + 1) *
                                          sizeof *b->norm_srcs);
        for (size_t i = 0; i < b->nchapters; i++)
            b->norm_srcs[i] = b->chapters[i].src
                                  ? oc_path_normalize(b->arena,
                                                      b->chapters[i].src)
                                  : NULL;
    }
    for (size_t i = 0; want && i < b->nchapters; i++)
        if (b->norm_srcs[i] && strcmp(b->norm_srcs[i], want) == 0)
            return &b->chapters[i];
    return chapter_by_name(b, path, len);
}

static void
gather_ids(xmlHashTablePtr t, xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        xmlChar *id;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if ((id = xmlGetProp(n, BAD_CAST "id")) != NULL) {
            xmlHashAddEntry(t, id, (void *)1);
            xmlFree(id);
        }
        gather_ids(t, n->children);
    }
}

/* Does chapter ch have an element with this id? (A table, so that a
 * book's links cost linear time.) */
static bool
chapter_has_id(const oc_chapter *ch, const char *id)
{
    return xmlHashLookup(ch->ids, BAD_CAST id) != NULL;
}

/* Heading text 'text' as GitHub names its anchor (lower case; letters,
 * marks, digits, '_' and '-' kept, a space made '-', the rest dropped)
 * or, 'pandoc', as pandoc does ('.' kept too, and nothing before the
 * first letter). */
static GString *
slug_of(const char *text, bool pandoc)
{
    GString *g = g_string_new(NULL);

    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (pandoc && g->len == 0 && !g_unichar_isalpha(c))
            continue;
        if (g_unichar_isalnum(c) || g_unichar_ismark(c) || c == '_' ||
            c == '-' || (pandoc && c == '.'))
            g_string_append_unichar(g, g_unichar_tolower(c));
        else if (c == ' ' || (pandoc && g_unichar_isspace(c)))
            g_string_append_c(g, '-');
    }
    return g;
}

/* The id of the heading of 'ch' that 'frag' names as GitHub or pandoc
 * would have named it ("#pathsep" for `path.sep`, "#linuxunix" for
 * Linux/Unix, "#1-install" for "1. Install", which octavo names
 * path-sep, linux-unix and s-1-install), or NULL. GitHub numbers a
 * repeated name: -1, -2... The first heading so named wins; the names
 * are made once a chapter, so that a book's links cost linear time. */
static const char *
heading_by_slug(oc_chapter *ch, const char *frag)
{
    if (ch->slugs == NULL) {
        GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                 g_free, NULL);
        GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal,
                                              g_free, NULL);

        for (size_t k = 0; k < ch->nheadings; k++) {
            const oc_heading *h = &ch->headings[k];
            GString *gh = slug_of(h->text, false);
            GString *pd = slug_of(h->text, true);
            guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, gh->str));

            g_hash_table_replace(seen, g_strdup(gh->str),
                                 GUINT_TO_POINTER(n + 1));
            if (n > 0)
                g_string_append_printf(gh, "-%u", n);
            if (h->id != NULL && !g_hash_table_contains(t, gh->str))
                g_hash_table_insert(t, g_strdup(gh->str), (char *)h->id);
            if (h->id != NULL && pd->len > 0 &&
                !g_hash_table_contains(t, pd->str))
                g_hash_table_insert(t, g_strdup(pd->str), (char *)h->id);
            g_string_free(gh, TRUE);
            g_string_free(pd, TRUE);
        }
        g_hash_table_destroy(seen);
        ch->slugs = t;
    }
    return g_hash_table_lookup(ch->slugs, frag);
}

/* A heading of the book: its chapter and id. */
typedef struct oc_heading_at {
    const oc_chapter *ch;
    const char       *id;
} oc_heading_at;

/* The chapter of the element that "#frag" names, for a link whose own
 * chapter has no such element (pandoc reads a book's files as one
 * document, where "#frag" may name an element of any of them): the
 * first chapter with that id, or else the first with a heading that
 * GitHub or pandoc would name so, in *id. NULL if none. */
static const oc_chapter *
chapter_of_fragment(oc_book *b, const char *frag, const char **id)
{
    const oc_heading_at *at;

    for (size_t i = 0; i < b->nchapters; i++)
        if (b->chapters[i].ids != NULL &&
            chapter_has_id(&b->chapters[i], frag)) {
            *id = frag;
            return &b->chapters[i];
        }
    if (b->slugs == NULL) {
        GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal,
                                              g_free, g_free);

        for (size_t i = 0; i < b->nchapters; i++) {
            const oc_chapter *ch = &b->chapters[i];

            for (size_t k = 0; k < ch->nheadings; k++) {
                const oc_heading *h = &ch->headings[k];
                GString *names[2] = { slug_of(h->text, false),
                                      slug_of(h->text, true) };

                for (int j = 0; j < 2; j++) {
                    oc_heading_at *v;

                    if (h->id == NULL || names[j]->len == 0 ||
                        g_hash_table_contains(t, names[j]->str)) {
                        g_string_free(names[j], TRUE);
                        continue;
                    }
                    v = g_new(oc_heading_at, 1);
                    *v = (oc_heading_at){ ch, h->id };
                    g_hash_table_insert(t, g_string_free(names[j], FALSE), v);
                }
            }
        }
        b->slugs = t;
    }
    if ((at = g_hash_table_lookup(b->slugs, frag)) == NULL)
        return NULL;
    *id = at->id;
    return at->ch;
}

/* Links to other chapters ("other.md#id") point at their XHTML files
 * (with 'later' not NULL: only the links within the chapter are looked
 * at, and *later is set if there are others);
 * a link to a file that is no chapter or to an id that does not exist
 * is a warning, and the link goes (its text stays). */
static oc_status
resolve_links(oc_book *b, const oc_chapter *ch, xmlNodePtr n, bool *later,
              oc_error *err)
{
    xmlNodePtr next;

    for (; n != NULL; n = next) {
        xmlChar *href;
        oc_status st = OC_OK;
        bool gone = false;

        next = n->next;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (oc_xhtml_is(n, "a") &&
            (href = xmlGetProp(n, BAD_CAST "href")) != NULL) {
            const char *h = (const char *)href;
            const char *hash = strchr(h, '#');
            size_t plen = hash ? (size_t)(hash - h) : strlen(h);
            const oc_chapter *to = NULL;

            if (oc_url_has_scheme(h, strlen(h))) {
                /* sanitize.c let through only what may leave the book */
            } else if (later != NULL && plen > 0) {
                *later = true;          /* its chapter's ids may be to come */
            } else if (plen == 0) {
                to = ch;
            } else if ((to = chapter_by_src(b, ch, h, plen)) == NULL) {
                /* A file beside the manuscript (a licence, another
                 * translation): the text stays, the link goes. The
                 * target is quoted whole: "(#rules)", written in
                 * parentheses, is no file "(". */
                oc_warn(ch->file, oc_xhtml_line(n), 0,
                        "link to '%.120s%s', which is not a chapter of the "
                        "book, removed (its text is kept)", h,
                        strlen(h) > 120 ? "..." : "");
                gone = true;
            }
            if (st == OC_OK && to != NULL && hash && hash[1] &&
                !chapter_has_id(to, hash + 1)) {
                /* Named as GitHub or pandoc names a heading? */
                const char *alias =
                    heading_by_slug(&b->chapters[to - b->chapters], hash + 1);
                const oc_chapter *other = NULL;

                if (alias == NULL && plen == 0 && later != NULL) {
                    *later = true;      /* another chapter's, perhaps */
                    to = NULL;
                } else if (alias == NULL && plen == 0 &&
                           (other = chapter_of_fragment(b, hash + 1,
                                                        &alias)) != NULL) {
                    to = other;
                }
                if (to == NULL) {
                    /* looked at again once every chapter is read */
                } else if (alias != NULL) {
                    hash = oc_arena_printf(b->arena, "#%s", alias);
                    plen = plen > 0 ? plen : 1;     /* written again */
                } else {
                    oc_warn(ch->file, oc_xhtml_line(n), 0,
                            "link to '%s': no such id in %s%s%s; the link "
                            "is removed (%s)", h,
                            plen == 0 ? "the book" : "'",
                            plen == 0 ? "" : to->src, plen == 0 ? "" : "'",
                            oc_permalink_mark(n)
                                ? "and its mark, a permalink's"
                                : "its text is kept");
                    to = NULL;
                    gone = true;
                }
            }
            if (st == OC_OK && to != NULL && plen > 0) {
                char *nh = oc_arena_printf(b->arena, "%s%s",
                                           to == ch && hash && h[0] == '#'
                                               ? "" : to->href,
                                           hash ? hash : "");
                xmlAttrPtr xl = xmlHasNsProp(n, BAD_CAST "href",
                                             BAD_CAST OC_XLINK_NS);

                /* An SVG link's is xlink:href: set again, not doubled by
                 * an href of its own. */
                if (xl != NULL && xmlHasNsProp(n, BAD_CAST "href", NULL) ==
                                      NULL)
                    xmlSetNsProp(n, xl->ns, BAD_CAST "href", BAD_CAST nh);
                else
                    xmlSetProp(n, BAD_CAST "href", BAD_CAST nh);
            }
            xmlFree(href);
        }
        if (gone && oc_permalink_mark(n)) {
            xmlUnlinkNode(n);           /* a ¶ to nowhere: nothing kept */
            xmlFreeNode(n);
            continue;
        }
        if (gone) {
            xmlNodePtr first = n->children;

            oc_xhtml_unwrap(n);
            if (first != NULL)
                next = first;
            continue;
        }
        if (st == OC_OK)
            st = resolve_links(b, ch, n->children, later, err);
        if (st != OC_OK)
            return st;
    }
    return OC_OK;
}

static void
set_modified(oc_book *b)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");

    if (sde != NULL && sde[0] != '\0') {
        char *end;
        long long t;

        errno = 0;
        t = strtoll(sde, &end, 10);
        if (*end == '\0' && errno == 0 && t >= 0) {
            b->modified = (time_t)t;
            return;
        }
        oc_warn(NULL, 0, 0, "SOURCE_DATE_EPOCH '%s' is not a number of "
                "seconds; using the newest input's time", sde);
    }
}

/* What libxml2 asks to be done once, before any thread uses it.
 * (fontconfig's is done by the first thread that takes the font lock,
 * fontlock.h.) */
static pthread_once_t libs_once = PTHREAD_ONCE_INIT;

static void
init_libs(void)
{
    xmlInitParser();
}

/* A book in a language octavo has no words for gets English ones, and is
 * told so, unless it gives every one itself. */
static void
warn_labels(const oc_manifest *m)
{
    size_t given = 0;

    for (size_t i = 0; i < OC_LABEL_COUNT; i++)
        given += m->labels[i] != NULL;
    if (given < OC_LABEL_COUNT && !oc_labels_known(m->language))
        oc_warn(m->language_file ? m->language_file : m->file,
                m->language_line, m->language_col, "octavo has no words of "
                "its own (such as 'Contents') in language '%s': they are "
                "English (give them under 'labels:')", m->language);
}

/* The end of a loading step: every error goes to the sink, and the step
 * fails with the first. */
static oc_status
step_done(oc_book *b, oc_status st, oc_diag *prev, oc_error *err)
{
    if (st != OC_OK)
        go_on(b, st, err);
    if (b->nerrors > 0) {
        *err = *b->first_error;
        st = err->code;
    }
    oc_diag_leave(prev);
    return st;
}

oc_status
oc_book_open(const char *path, const oc_options *opt, oc_book **out,
             oc_error *err)
{
    oc_book *b = oc_xcalloc(1, sizeof *b);
    oc_diag *prev;
    oc_status st;

    *out = b;
    pthread_once(&libs_once, init_libs);
    b->arena = oc_arena_new();
    b->names = oc_idset_new();
    b->diag = oc_arena_alloc(b->arena, sizeof *b->diag);
    b->diag->fn = opt ? opt->warn : NULL;
    b->diag->ctx = opt ? opt->warn_ctx : NULL;
    prev = oc_book_enter(b);
    b->data_dir = oc_data_dir(opt ? opt->data_dir : NULL);
    b->stage = opt ? opt->stage : NULL;
    b->stage_ctx = opt ? opt->stage_ctx : NULL;
    b->progress = opt ? opt->progress : NULL;
    b->progress_ctx = opt ? opt->progress_ctx : NULL;
    b->npages = oc_arena_alloc(b->arena, sizeof *b->npages);
    b->words_gone = oc_arena_alloc(b->arena, sizeof *b->words_gone);
    b->untrimmed = oc_arena_alloc(b->arena, sizeof *b->untrimmed);
    b->on_error = opt ? opt->error : NULL;
    b->error_ctx = opt ? opt->error_ctx : NULL;
    b->single_use = opt != NULL && opt->single_use;
    b->first_error = oc_arena_alloc(b->arena, sizeof *b->first_error);
    b->cover = -1;
    if ((st = oc_manifest_load(b->arena, path, opt ? opt->meta : NULL,
                               opt ? opt->nmeta : 0, &b->m, err)) != OC_OK)
        return step_done(b, st, prev, err);
    note_mtime(b, b->m->file);
    warn_labels(b->m);
    /* The pages the EPUB back end writes itself. */
    oc_idset_claim(b->names, "nav.xhtml");
    oc_idset_claim(b->names, "cover.xhtml");
    oc_idset_claim(b->names, "title-page.xhtml");
    oc_idset_claim(b->names, "colophon.xhtml");
    oc_idset_claim(b->names, "fonts.css");
    if ((st = load_fonts(b, b->names, err)) == OC_OK &&
        (st = load_styles(b, b->names, err)) == OC_OK &&
        (st = go_on(b, load_cover(b, b->names, err), err)) == OC_OK) {
        oc_diag_leave(prev);
        return OC_OK;       /* errors told to the sink: the chapters next */
    }
    return step_done(b, st, prev, err);
}

/* ---- packed chapters ---- */

static size_t chapter_words(const oc_chapter *ch);

/* A single-use book whose chapters' sources pass this many bytes (some
 * 350,000 words of Markdown) keeps each chapter packed from its loading
 * on: in memory, a chapter's document takes ten to twenty times its
 * packed XHTML, and a long book's would be all there at once. Shorter
 * books keep their documents, which costs no reading again. */
#define PACK_BYTES ((off_t)2 << 20)

/* Will b's chapters be packed? Not when its EPUB marks the print
 * edition's pages (the page-list's layout points into every chapter).
 * $OCTAVO_PACK_BYTES, for the tests, sets the size from which they are
 * (0: always). */
static bool
packs_chapters(const oc_book *b)
{
    const oc_manifest *m = b->m;
    const char *env = getenv("OCTAVO_PACK_BYTES");   /* for the tests */
    off_t limit = env != NULL && env[0] != '\0' ? (off_t)atoll(env)
                                                : PACK_BYTES;
    off_t bytes = (off_t)m->body_len;
    struct stat st;

    if (!b->single_use || m->page_list)
        return false;
    for (size_t i = 0; i < m->nchapters && bytes < limit; i++)
        if (stat(oc_manifest_resolve(b->arena, m, m->chapters[i].path),
                 &st) == 0)
            bytes += st.st_size;
    return bytes >= limit;
}

#define LINE_ATTR "data-octavo-line"

/* Each element's own line (oc_xhtml_line) written on it as LINE_ATTR,
 * which serialising would lose; or ('restore') set back from it, the
 * attribute taken away, and no line where it has none. */
static void
keep_lines(xmlNodePtr n, bool restore)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (restore) {
            xmlAttrPtr a = xmlHasProp(n, BAD_CAST LINE_ATTR);
            xmlChar *v = a ? xmlNodeGetContent((xmlNodePtr)a) : NULL;

            oc_xhtml_set_line(n, v ? strtol((const char *)v, NULL, 10) : 0);
            xmlFree(v);
            if (a != NULL)
                xmlRemoveProp(a);
        } else {
            long line = n->line == 65535 && n->psvi != NULL
                            ? (long)(intptr_t)n->psvi : (long)n->line;
            char v[24];

            if (line > 0) {
                snprintf(v, sizeof v, "%ld", line);
                xmlSetProp(n, BAD_CAST LINE_ATTR, BAD_CAST v);
            }
        }
        keep_lines(n->children, restore);
    }
}

/* Chapter ch's document packed (its words counted first) and freed. */
static void
pack_chapter(oc_chapter *ch)
{
    xmlChar *xml = NULL;
    int len = 0;
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(1);
    size_t bound;

    if (z == NULL)
        oc_out_of_memory(sizeof z);
    ch->words = chapter_words(ch);
    keep_lines(xmlDocGetRootElement(ch->doc), false);
    xmlDocDumpMemoryEnc(ch->doc, &xml, &len, "UTF-8");
    if (xml == NULL)
        oc_out_of_memory(0);
    bound = libdeflate_deflate_compress_bound(z, (size_t)len);
    free(ch->packed);
    ch->packed = oc_xmalloc(bound);
    ch->packed_len = libdeflate_deflate_compress(z, xml, (size_t)len,
                                                 ch->packed, bound);
    ch->packed = oc_xrealloc(ch->packed, ch->packed_len);
    ch->plain_len = (size_t)len;
    libdeflate_free_compressor(z);
    xmlFree(xml);
    xmlFreeDoc(ch->doc);
    ch->doc = NULL;
    for (size_t k = 0; k < ch->nheadings; k++)
        ch->headings[k].node = NULL;
}

/* The heading elements of a document read again, in the order
 * collect_headings found them, into ch->headings' nodes. */
static void
point_headings(oc_chapter *ch, xmlNodePtr n, size_t *k)
{
    for (; n != NULL && *k < ch->nheadings; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->name[0] == 'h' && n->name[1] >= '1' && n->name[1] <= '6' &&
            n->name[2] == '\0') {
            ch->headings[(*k)++].node = n;
            continue;
        }
        if (oc_xhtml_is(n, "aside"))
            continue;
        point_headings(ch, n->children, k);
    }
}

/* Chapter ch's packed XHTML read into a document again, as it was
 * (NULL, told, if it cannot be: it was written here). */
static xmlDocPtr
unpack_chapter(const oc_chapter *ch)
{
    struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
    char *xml = oc_xmalloc(ch->plain_len + 1);
    size_t got = 0;
    xmlDocPtr doc = NULL;

    if (z == NULL)
        oc_out_of_memory(sizeof z);
    if (libdeflate_deflate_decompress(z, ch->packed, ch->packed_len, xml,
                                      ch->plain_len, &got) ==
            LIBDEFLATE_SUCCESS &&
        got == ch->plain_len)
        doc = xmlReadMemory(xml, (int)got, ch->file, "UTF-8",
                            XML_PARSE_NONET | XML_PARSE_HUGE |
                                XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    libdeflate_free_decompressor(z);
    free(xml);
    if (doc == NULL) {
        oc_warn(ch->file, 0, 0, "the chapter cannot be read again from "
                "memory; it is left out");
        return NULL;
    }
    keep_lines(xmlDocGetRootElement(doc), true);
    return doc;
}

xmlDocPtr
oc_book_chapter_open(const oc_book *b, size_t i)
{
    oc_chapter *ch = &b->chapters[i];
    size_t k = 0;

    if (ch->doc != NULL || ch->packed == NULL)
        return ch->doc;
    if ((ch->doc = unpack_chapter(ch)) != NULL)
        point_headings(ch, xmlDocGetRootElement(ch->doc), &k);
    return ch->doc;
}

xmlDocPtr
oc_book_chapter_peek(const oc_book *b, size_t i)
{
    const oc_chapter *ch = &b->chapters[i];

    return ch->doc != NULL || ch->packed == NULL ? ch->doc
                                                  : unpack_chapter(ch);
}

void
oc_book_chapter_done(const oc_book *b, size_t i, xmlDocPtr doc)
{
    if (doc != NULL && doc != b->chapters[i].doc)
        xmlFreeDoc(doc);
}

/* The look-ahead that readies the highlighting grammars of the book's
 * Markdown (highlight.h), or NULL for a book without Markdown. */
static oc_highlight_ahead *
highlight_ahead(oc_book *b)
{
    const oc_manifest *m = b->m;
    const char **paths;
    size_t n = 0;

    if (m->nchapters == 0)
        return m->body != NULL ? oc_highlight_ahead_start(NULL, 0, m->body,
                                                          m->body_len)
                               : NULL;
    paths = oc_arena_alloc(b->arena, m->nchapters * sizeof *paths);
    for (size_t i = 0; i < m->nchapters; i++)
        if (oc_chapter_format_of(m->chapters[i].path) == OC_FORMAT_MARKDOWN)
            paths[n++] = oc_manifest_resolve(b->arena, m,
                                             m->chapters[i].path);
    return n > 0 ? oc_highlight_ahead_start(paths, n, NULL, 0) : NULL;
}

oc_status
oc_book_read_chapters(oc_book *b, oc_error *err)
{
    oc_idset *ids = oc_idset_new(), *names = b->names;
    oc_diag *prev = oc_book_enter(b);
    oc_status st = OC_OK;
    oc_highlight_ahead *ahead;
    oc_convert_input *in;
    oc_convert *conv;
    const char **hrefs;
    bool pack;

    b->nchapters = b->m->nchapters ? b->m->nchapters : 1;
    b->chapters = oc_arena_alloc(b->arena, b->nchapters * sizeof *b->chapters);
    for (size_t i = 0; i < b->nchapters; i++) {
        const char *src = b->m->nchapters ? b->m->chapters[i].path
                                          : base_name(b->m->file);

        b->chapters[i].href = container_name(b, names, src, ".xhtml");
    }
    pack = packs_chapters(b);
    ahead = highlight_ahead(b);
    hrefs = oc_arena_alloc(b->arena, (b->nstyles + 1) * sizeof *hrefs);
    for (size_t k = 0; k < b->nstyles; k++)
        hrefs[k] = b->styles[k].href;
    in = oc_arena_alloc(b->arena, b->nchapters * sizeof *in);
    for (size_t i = 0; i < b->nchapters; i++)
        chapter_input(b, i, hrefs, &in[i]);
    conv = oc_convert_start(in, b->nchapters);
    for (size_t i = 0; i < b->nchapters && st == OC_OK; i++) {
        st = go_on(b, load_chapter(b, i, conv, ids, names, err), err);
        if (b->chapters[i].doc != NULL) {
            oc_chapter *ch = &b->chapters[i];

            ch->ids = xmlHashCreate(8);
            gather_ids(ch->ids, xmlDocGetRootElement(ch->doc));
            if (b->epub_attrs)
                oc_xhtml_mirror_epub_attrs(xmlDocGetRootElement(ch->doc));
            /* Its links within it now; to other chapters once all are
             * read (links_out). */
            if (st == OC_OK && b->nerrors == 0)
                st = resolve_links(b, ch, xmlDocGetRootElement(ch->doc),
                                   &ch->links_out, err);
            if (pack)
                pack_chapter(ch);
        }
    }
    oc_convert_end(conv);
    oc_highlight_ahead_end(ahead);
    b->top_level = 6;
    for (size_t i = 0; i < b->nchapters && st == OC_OK; i++)
        if (b->chapters[i].nheadings > 0 &&
            b->chapters[i].headings[0].level < b->top_level)
            b->top_level = b->chapters[i].headings[0].level;
    if (b->top_level == 6)
        b->top_level = 1;           /* no headings at all */
    /* Links between chapters need every chapter whole. */
    if (st == OC_OK && b->nerrors == 0) {
        /* (A packed chapter is read again for it, and packed again.) */
        for (size_t i = 0; i < b->nchapters && st == OC_OK; i++) {
            xmlDocPtr doc;

            if (!b->chapters[i].links_out)
                continue;
            if ((doc = oc_book_chapter_open(b, i)) != NULL)
                st = resolve_links(b, &b->chapters[i],
                                   xmlDocGetRootElement(doc), NULL, err);
            if (pack && doc != NULL)
                pack_chapter(&b->chapters[i]);
        }
        if (b->slugs != NULL)
            g_hash_table_destroy(b->slugs);
        b->slugs = NULL;
        set_modified(b);
    }
    oc_idset_free(ids);
    oc_idset_free(names);
    b->names = NULL;
    return step_done(b, st, prev, err);
}

oc_diag *
oc_book_enter(const oc_book *b)
{
    return oc_diag_enter(b->diag);
}

unsigned
oc_book_warnings(const oc_book *b)
{
    return b->diag->count;
}

const char *
oc_book_name(const oc_book *b)
{
    return b->m->stem;
}

/* The i-th file of 'n' resources that came from the book's files. */
static const char *
resource_input(const oc_resource *r, size_t n, size_t *i)
{
    for (size_t k = 0; k < n; k++) {
        /* "octavo:..." names a compiled-in file (data.h). */
        if (r[k].src == NULL || strncmp(r[k].src, "octavo:", 7) == 0)
            continue;
        if ((*i)-- == 0)
            return r[k].src;
    }
    return NULL;
}

const char *
oc_book_input(const oc_book *b, size_t i)
{
    const char *in;

    if (i-- == 0)
        return b->m->file;
    for (size_t k = 0; k < b->nchapters; k++) {
        if (b->chapters[k].file == b->m->file)
            continue;               /* a Markdown book's own body */
        if (i-- == 0)
            return b->chapters[k].file;
    }
    if ((in = resource_input(b->styles, b->nstyles, &i)) == NULL &&
        (in = resource_input(b->images, b->nimages, &i)) == NULL)
        in = resource_input(b->fonts, b->nfonts, &i);
    return in;
}

static size_t
count_words(xmlNodePtr n, bool *in_word)
{
    size_t words = 0;

    for (; n != NULL; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content != NULL) {
            for (const xmlChar *p = n->content; *p; p++) {
                bool space = *p == ' ' || *p == '\n' || *p == '\t' ||
                             *p == '\r';

                if (!space && !*in_word)
                    words++;
                *in_word = !space;
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            static const char blocks[] =
                " p li dt dd td th h1 h2 h3 h4 h5 h6 div pre br hr section"
                " aside blockquote figcaption caption ";
            char name[32];

            /* A block ends a word ("<p>a</p><p>b</p>"); inline does not. */
            snprintf(name, sizeof name, " %s ", (const char *)n->name);
            if (strstr(blocks, name) != NULL)
                *in_word = false;
            words += count_words(n->children, in_word);
        }
    }
    return words;
}

static size_t
chapter_words(const oc_chapter *ch)
{
    xmlNodePtr body;
    bool in_word = false;

    if (ch->doc == NULL)
        return ch->packed != NULL ? ch->words : 0;
    body = oc_xhtml_find(xmlDocGetRootElement(ch->doc), "body");
    return body != NULL ? count_words(body->children, &in_word) : 0;
}

size_t
oc_book_words(const oc_book *b)
{
    size_t words = *b->words_gone;

    for (size_t i = 0; i < b->nchapters; i++)
        words += chapter_words(&b->chapters[i]);
    return words;
}

int
oc_book_packed(const oc_book *b)
{
    for (size_t i = 0; i < b->nchapters; i++)
        if (b->chapters[i].packed != NULL)
            return 1;
    return 0;
}

#define TRIM_WORDS 250000

void
oc_book_release_chapter(const oc_book *b, size_t i)
{
    oc_chapter *ch = &b->chapters[i];
    size_t words;

    if (!b->single_use || (ch->doc == NULL && ch->packed == NULL))
        return;
    words = chapter_words(ch);
    *b->words_gone += words;
    for (size_t k = 0; k < ch->nheadings; k++)
        ch->headings[k].node = NULL;
    xmlFreeDoc(ch->doc);
    ch->doc = NULL;
    free(ch->packed);
    ch->packed = NULL;
    /* What it held is free, but between blocks still in use, where
     * malloc keeps it: given back to the system once TRIM_WORDS words'
     * chapters are, which keeps a long book's memory flat. Not after
     * each chapter: a trim costs some 20 ms, and every page given back
     * faults in again when it is used (trimming after each of 60
     * chapters took a fifth of the time of a 200,000-word book, a
     * quarter of that of the same book with 100 photographs). */
    *b->untrimmed += words;
    if (*b->untrimmed >= TRIM_WORDS) {
        *b->untrimmed = 0;
        malloc_trim(0);
    }
}

size_t
oc_book_pages(const oc_book *b)
{
    return *b->npages;
}

void
oc_book_discard(oc_book *b)
{
    if (b == NULL)
        return;
    oc_idset_free(b->names);
    for (size_t i = 0; i < b->nchapters; i++) {
        if (b->chapters[i].doc != NULL)
            xmlFreeDoc(b->chapters[i].doc);
        free(b->chapters[i].packed);
        if (b->chapters[i].ids != NULL)
            xmlHashFree(b->chapters[i].ids, NULL);
        if (b->chapters[i].slugs != NULL)
            g_hash_table_destroy(b->chapters[i].slugs);
    }
    oc_arena_free(b->arena);
    free(b);
}
