/* manifest.c - book.yaml or Markdown front matter (YAML 1.1, libyaml's
 * document API) into an oc_manifest; every key is checked for its type and
 * every diagnostic points at the YAML line. */
#define _XOPEN_SOURCE 700  /* realpath */
#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <glib.h>
#include <limits.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <libxml/HTMLparser.h>
#include <yaml.h>

#include "buf.h"
#include "error.h"
#include "markdown.h"
#include "xhtml.h"

typedef enum key_kind {
    K_STRING,       /* a scalar */
    K_STRINGS,      /* a scalar or a sequence of scalars */
    K_PEOPLE,       /* names, or mappings with name / file-as / role */
    K_PATH,         /* one path */
    K_PATHS,        /* a path or a sequence of paths */
    K_CHAPTERS,     /* paths, or mappings with file / language /
                       short-title */
    K_TOC_DEPTH,    /* an integer 1..6 */
    K_DPI,          /* an integer 72..2400, or "original" (0) */
    K_BOOL,         /* true or false (YAML 1.1: yes/no, on/off too) */
    K_SHOW,         /* true or false: whether to show a page (an int
                       'hide' field, set by false) */
    K_LABELS        /* a mapping of label names (labels.h) to words */
} key_kind;

typedef struct key_spec {
    const char *name;
    key_kind    kind;
    size_t      field;      /* offsetof the value in oc_manifest */
    size_t      count;      /* offsetof its count, for lists */
} key_spec;

#define ONE(k, kind, f)     { k, kind, offsetof(oc_manifest, f), 0 }
#define LIST(k, kind, f, n) { k, kind, offsetof(oc_manifest, f), \
                              offsetof(oc_manifest, n) }

static const key_spec keys[] = {
    ONE("title", K_STRING, title),
    ONE("subtitle", K_STRING, subtitle),
    LIST("author", K_PEOPLE, authors, nauthors),
    LIST("authors", K_PEOPLE, authors, nauthors),
    LIST("contributor", K_PEOPLE, contributors, ncontributors),
    LIST("contributors", K_PEOPLE, contributors, ncontributors),
    ONE("language", K_STRING, language),
    ONE("lang", K_STRING, language),            /* pandoc's name */
    ONE("identifier", K_STRING, identifier),
    ONE("date", K_STRING, date),
    ONE("publisher", K_STRING, publisher),
    ONE("rights", K_STRING, rights),
    ONE("description", K_STRING, description),
    LIST("subjects", K_STRINGS, subjects, nsubjects),
    LIST("subject", K_STRINGS, subjects, nsubjects),
    LIST("keywords", K_STRINGS, subjects, nsubjects),   /* pandoc's */
    ONE("series", K_STRING, series),
    ONE("series-index", K_STRING, series_index),
    ONE("cover", K_PATH, cover),
    ONE("cover-image", K_PATH, cover),          /* pandoc's name */
    LIST("stylesheet", K_PATHS, stylesheets, nstylesheets),
    LIST("stylesheets", K_PATHS, stylesheets, nstylesheets),
    LIST("css", K_PATHS, stylesheets, nstylesheets),    /* pandoc's */
    LIST("fonts", K_PATHS, fonts, nfonts),
    ONE("toc-depth", K_TOC_DEPTH, toc_depth),
    ONE("image-resolution", K_DPI, image_dpi),
    ONE("toc", K_SHOW, hide_toc),
    ONE("title-page", K_SHOW, hide_title_page),
    ONE("page-list", K_BOOL, page_list),
    ONE("default-stylesheet", K_SHOW, no_default_stylesheet),
    ONE("labels", K_LABELS, labels),
    LIST("chapters", K_CHAPTERS, chapters, nchapters),
};

typedef struct parse_ctx {
    oc_arena        *a;
    const char      *file;
    int              line0;   /* added to libyaml's 0-based lines */
    yaml_document_t *doc;
    oc_error        *err;
} parse_ctx;

static int
line_of(const parse_ctx *c, const yaml_node_t *n)
{
    return (int)n->start_mark.line + c->line0;
}

static int
col_of(const yaml_node_t *n)
{
    return (int)n->start_mark.column + 1;
}

static oc_status
node_error(parse_ctx *c, const yaml_node_t *n, oc_status code,
           const char *fmt, const char *what)
{
    return oc_error_set(c->err, code, c->file, line_of(c, n), col_of(n),
                        fmt, what);
}

static yaml_node_t *
node_at(parse_ctx *c, int index)
{
    return yaml_document_get_node(c->doc, index);
}

static const char *
scalar(parse_ctx *c, const yaml_node_t *n)
{
    return oc_arena_strndup(c->a, (const char *)n->data.scalar.value,
                            n->data.scalar.length);
}

/* An empty scalar ("key:" with nothing) counts as absent. */
static int
is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE)
        return 0;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    return n->data.scalar.length == 0 ||
           (n->data.scalar.length == 1 && n->data.scalar.value[0] == '~') ||
           strcmp((const char *)n->data.scalar.value, "null") == 0;
}

/* Items of a list-valued key: a sequence's items, or the node itself. */
static size_t
list_items(parse_ctx *c, yaml_node_t *n, yaml_node_t ***out)
{
    yaml_node_t **items;
    size_t count = 0;

    if (n->type != YAML_SEQUENCE_NODE) {
        items = oc_arena_alloc(c->a, sizeof *items);
        items[0] = n;
        *out = items;
        return 1;
    }
    count = (size_t)(n->data.sequence.items.top -
                     n->data.sequence.items.start);
    items = oc_arena_alloc(c->a, (count ? count : 1) * sizeof *items);
    for (size_t i = 0; i < count; i++)
        items[i] = node_at(c, n->data.sequence.items.start[i]);
    *out = items;
    return count;
}

static oc_status
want_scalar(parse_ctx *c, const yaml_node_t *n, const char *key)
{
    if (n->type == YAML_SCALAR_NODE)
        return OC_OK;
    return node_error(c, n, OC_ERR_INVALID, "'%s' must be a string", key);
}

/* The key of pair 'pr' of mapping 'map', a key the manifest knows (so
 * that this is done a bounded number of times), is not one given before
 * it: YAML lets the last win silently. */
static oc_status
given_once(parse_ctx *c, yaml_node_t *map, yaml_node_pair_t *pr)
{
    yaml_node_t *k = node_at(c, pr->key);
    const char *name = (const char *)k->data.scalar.value;

    for (yaml_node_pair_t *e = map->data.mapping.pairs.start; e < pr; e++) {
        yaml_node_t *ek = node_at(c, e->key);

        if (ek->type == YAML_SCALAR_NODE &&
            strcmp((const char *)ek->data.scalar.value, name) == 0)
            return oc_error_set(c->err, OC_ERR_INVALID, c->file,
                                line_of(c, k), col_of(k),
                                "key '%s' is given twice (first at line %d)",
                                name, line_of(c, ek));
    }
    return OC_OK;
}

static oc_status
read_person(parse_ctx *c, yaml_node_t *n, const char *key, oc_person *p)
{
    oc_status st;

    if (n->type == YAML_SCALAR_NODE) {
        p->name = scalar(c, n);
        p->role = strncmp(key, "author", 6) == 0 ? "aut" : NULL;
        return OC_OK;
    }
    if (n->type != YAML_MAPPING_NODE)
        return node_error(c, n, OC_ERR_INVALID,
                          "'%s' entries must be names or mappings", key);
    p->role = strncmp(key, "author", 6) == 0 ? "aut" : NULL;
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
         pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = node_at(c, pr->key), *v = node_at(c, pr->value);
        const char *name;

        if (k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE)
            return node_error(c, k, OC_ERR_INVALID,
                              "'%s' fields must be strings", key);
        name = (const char *)k->data.scalar.value;
        if ((strcmp(name, "name") == 0 || strcmp(name, "file-as") == 0 ||
             strcmp(name, "role") == 0) &&
            (st = given_once(c, n, pr)) != OC_OK)
            return st;
        if (strcmp(name, "name") == 0)
            p->name = scalar(c, v);
        else if (strcmp(name, "file-as") == 0)
            p->file_as = scalar(c, v);
        else if (strcmp(name, "role") == 0)
            p->role = scalar(c, v);
        else
            oc_warn(c->file, line_of(c, k), col_of(k),
                    "unknown field '%s' in '%s' ignored", name, key);
    }
    if (p->name == NULL || p->name[0] == '\0')
        return node_error(c, n, OC_ERR_INVALID, "'%s' entry has no name",
                          key);
    return OC_OK;
}

static oc_status
read_path(parse_ctx *c, yaml_node_t *n, const char *key, oc_path_ref *r)
{
    oc_status st;

    if (n->type == YAML_MAPPING_NODE && strcmp(key, "chapters") == 0) {
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
             pr < n->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = node_at(c, pr->key), *v = node_at(c, pr->value);
            const char *name;

            if (k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE)
                return node_error(c, k, OC_ERR_INVALID,
                                  "'%s' fields must be strings", key);
            name = (const char *)k->data.scalar.value;
            if (strcmp(name, "lang") == 0)
                name = "language";
            if ((strcmp(name, "file") == 0 ||
                 strcmp(name, "language") == 0 ||
                 strcmp(name, "short-title") == 0) &&
                (st = given_once(c, n, pr)) != OC_OK)
                return st;
            if (strcmp(name, "file") == 0) {
                r->path = scalar(c, v);
                r->line = line_of(c, v);
                r->col = col_of(v);
            } else if (strcmp(name, "language") == 0) {
                r->language = scalar(c, v);
            } else if (strcmp(name, "short-title") == 0) {
                r->short_title = scalar(c, v);
            } else {
                oc_warn(c->file, line_of(c, k), col_of(k),
                        "unknown field '%s' in '%s' ignored", name, key);
            }
        }
        if (r->path == NULL)
            return node_error(c, n, OC_ERR_INVALID,
                              "'%s' entry has no 'file'", key);
    } else {
        if ((st = want_scalar(c, n, key)) != OC_OK)
            return st;
        r->path = scalar(c, n);
        r->line = line_of(c, n);
        r->col = col_of(n);
    }
    if (r->path[0] == '\0')
        return node_error(c, n, OC_ERR_INVALID, "empty path in '%s'", key);
    return OC_OK;
}

/* A YAML 1.1 truth value (true/false, yes/no, on/off) of 'key'. */
static oc_status
read_truth(parse_ctx *c, yaml_node_t *v, const char *key, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};
    const char *s;
    oc_status st;

    if ((st = want_scalar(c, v, key)) != OC_OK)
        return st;
    s = (const char *)v->data.scalar.value;
    for (size_t i = 0; i < 3; i++)
        if (g_ascii_strcasecmp(s, yes[i]) == 0 ||
            g_ascii_strcasecmp(s, no[i]) == 0) {
            *out = g_ascii_strcasecmp(s, yes[i]) == 0;
            return OC_OK;
        }
    return node_error(c, v, OC_ERR_INVALID, "'%s' must be true or false",
                      key);
}

/* labels: {contents: Оглавление, …}: words of the book's own, by their
 * names in labels.h. */
static oc_status
read_labels(parse_ctx *c, yaml_node_t *v, const char *key,
            const char **out)
{
    oc_status st = OC_OK;

    if (v->type != YAML_MAPPING_NODE)
        return node_error(c, v, OC_ERR_INVALID,
                          "'%s' must be a mapping (contents: …)", key);
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
         p < v->data.mapping.pairs.top && st == OC_OK; p++) {
        yaml_node_t *name = node_at(c, p->key), *word = node_at(c, p->value);
        int id;

        if ((st = want_scalar(c, name, key)) != OC_OK ||
            (st = want_scalar(c, word, key)) != OC_OK)
            break;
        id = oc_label_find((const char *)name->data.scalar.value);
        if (id >= 0 && (st = given_once(c, v, p)) != OC_OK)
            break;
        if (id < 0)
            return node_error(c, name, OC_ERR_INVALID,
                              "unknown label '%s' (labels are contents, "
                              "cover, title-page, copyright, landmarks, "
                              "start, pages, published-by, edited-by, "
                              "translated-by, illustrated-by, with, note, "
                              "tip, important, warning, caution)",
                              (const char *)name->data.scalar.value);
        out[id] = scalar(c, word);
    }
    return st;
}

static oc_status
read_key(parse_ctx *c, const key_spec *k, yaml_node_t *v, oc_manifest *m)
{
    char *field = (char *)m + k->field;
    size_t *count = (size_t *)((char *)m + k->count);
    yaml_node_t **items;
    size_t n;
    oc_status st = OC_OK;

    switch (k->kind) {
    case K_STRING:
        if ((st = want_scalar(c, v, k->name)) == OC_OK)
            *(const char **)field = scalar(c, v);
        return st;
    case K_PATH:
        return read_path(c, v, k->name, (oc_path_ref *)field);
    case K_BOOL:
        return read_truth(c, v, k->name, (bool *)field);
    case K_SHOW: {
        bool show;

        if ((st = read_truth(c, v, k->name, &show)) == OC_OK)
            *(int *)field = !show;
        return st;
    }
    case K_LABELS:
        return read_labels(c, v, k->name, (const char **)field);
    case K_DPI: {
        char *end;
        long dpi;

        if ((st = want_scalar(c, v, k->name)) != OC_OK)
            return st;
        if (strcmp((const char *)v->data.scalar.value, "original") == 0) {
            *(int *)field = 0;
            return OC_OK;
        }
        errno = 0;
        dpi = strtol((const char *)v->data.scalar.value, &end, 10);
        if (*end != '\0' || errno != 0 || dpi < 72 || dpi > 2400)
            return node_error(c, v, OC_ERR_INVALID,
                              "'%s' must be a whole number of pixels per "
                              "inch from 72 to 2400, or 'original'",
                              k->name);
        *(int *)field = (int)dpi;
        return OC_OK;
    }
    case K_TOC_DEPTH: {
        char *end;
        long depth;

        if ((st = want_scalar(c, v, k->name)) != OC_OK)
            return st;
        errno = 0;
        depth = strtol((const char *)v->data.scalar.value, &end, 10);
        if (*end != '\0' || errno != 0 || depth < 1 || depth > 6)
            return node_error(c, v, OC_ERR_INVALID,
                              "'%s' must be a whole number from 1 to 6",
                              k->name);
        *(int *)field = (int)depth;
        return OC_OK;
    }
    default:
        break;
    }
    if (v->type == YAML_MAPPING_NODE && k->kind != K_PEOPLE &&
        k->kind != K_CHAPTERS)
        return node_error(c, v, OC_ERR_INVALID,
                          "'%s' must be a string or a list", k->name);
    n = list_items(c, v, &items);
    if (k->kind == K_STRINGS) {
        const char **out = oc_arena_alloc(c->a, (n + 1) * sizeof *out);

        for (size_t i = 0; i < n && st == OC_OK; i++)
            if ((st = want_scalar(c, items[i], k->name)) == OC_OK)
                out[i] = scalar(c, items[i]);
        *(const char ***)field = out;
    } else if (k->kind == K_PEOPLE) {
        oc_person *out = oc_arena_alloc(c->a, (n + 1) * sizeof *out);

        for (size_t i = 0; i < n && st == OC_OK; i++)
            st = read_person(c, items[i], k->name, &out[i]);
        *(oc_person **)field = out;
    } else {
        oc_path_ref *out = oc_arena_alloc(c->a, (n + 1) * sizeof *out);

        for (size_t i = 0; i < n && st == OC_OK; i++)
            st = read_path(c, items[i], k->name, &out[i]);
        *(oc_path_ref **)field = out;
    }
    *count = n;
    return st;
}

static oc_status
yaml_failure(parse_ctx *c, const yaml_parser_t *p)
{
    const yaml_mark_t *mk = &p->problem_mark;

    if (p->error == YAML_MEMORY_ERROR)
        return oc_error_set(c->err, OC_ERR_LIB, c->file, 0, 0,
                            "YAML parser out of memory");
    return oc_error_set(c->err, OC_ERR_SYNTAX, c->file,
                        (int)mk->line + c->line0, (int)mk->column + 1,
                        "YAML: %s%s%s", p->problem ? p->problem : "error",
                        p->context ? " " : "", p->context ? p->context : "");
}

bool
oc_is_language_tag(const char *t)
{
    size_t n = 0;
    bool first = true;

    if (t == NULL || *t == '\0')
        return false;
    for (const char *p = t;; p++) {
        if (*p == '-' || *p == '\0') {
            if (n == 0 || n > 8 ||
                (first && n < 2 &&
                 ((t[0] | 32) != 'i' && (t[0] | 32) != 'x')) ||
                (first && n < 2 && *p == '\0'))    /* "x" needs more */
                return false;
            if (*p == '\0')
                return true;
            first = false;
            n = 0;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (!first && *p >= '0' && *p <= '9')) {
            n++;
        } else {
            return false;
        }
    }
}

/* The number the 'n' digits at s make, or -1 if they are not all
 * digits. */
static int
digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Whether 't' is a W3C time after a date: Thh:mm[:ss[.s+]] and then
 * nothing, Z or +hh:mm / -hh:mm. */
static bool
is_w3c_time(const char *t)
{
    int h = digits(t + 1, 2), mi = h >= 0 && t[3] == ':' ? digits(t + 4, 2)
                                                         : -1;

    if (t[0] != 'T' || h < 0 || h > 23 || t[3] != ':' || mi < 0 || mi > 59)
        return false;
    t += 6;
    if (t[0] == ':') {
        int sec = digits(t + 1, 2);

        if (sec < 0 || sec > 59)
            return false;
        t += 3;
        if (t[0] == '.') {
            if (digits(t + 1, 1) < 0)
                return false;
            for (t++; *t >= '0' && *t <= '9'; t++)
                ;
        }
    }
    if (t[0] == '\0' || strcmp(t, "Z") == 0)
        return true;
    h = digits(t + 1, 2);
    mi = h >= 0 && t[3] == ':' ? digits(t + 4, 2) : -1;
    return (t[0] == '+' || t[0] == '-') && h >= 0 && h <= 23 &&
           t[3] == ':' && mi >= 0 && mi <= 59 && t[6] == '\0';
}

/* A W3C date (and time): YYYY, YYYY-MM, YYYY-MM-DD (a day the month
 * has), or that followed by a time (is_w3c_time). */
static bool
is_w3c_date(const char *d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                               31};
    int y, mo, da;

    if (d == NULL || (y = digits(d, 4)) < 0)
        return false;
    if (d[4] == '\0')
        return true;
    mo = d[4] == '-' ? digits(d + 5, 2) : -1;
    if (mo < 1 || mo > 12)
        return false;
    if (d[7] == '\0')
        return true;
    da = d[7] == '-' ? digits(d + 8, 2) : -1;
    if (da < 1 || da > days[mo - 1] ||
        (mo == 2 && da == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
                                                 y % 400 == 0))))
        return false;
    return d[10] == '\0' || is_w3c_time(d + 10);
}

/* A language or date that cannot be used is warned about and left out. */
static void
check_value(parse_ctx *c, const char *name, const yaml_node_t *v,
            oc_manifest *m)
{
    if (strcmp(name, "lang") == 0)
        name = "language";
    if (strcmp(name, "language") == 0) {
        m->language_file = c->file;
        m->language_line = line_of(c, v);
        m->language_col = col_of(v);
    }
    if (strcmp(name, "language") == 0 && !oc_is_language_tag(m->language)) {
        oc_warn(c->file, line_of(c, v), col_of(v),
                "language '%s' is not a BCP 47 tag; 'en' is used",
                m->language);
        m->language = "en";
    } else if (strcmp(name, "date") == 0 && !is_w3c_date(m->date)) {
        oc_warn(c->file, line_of(c, v), col_of(v),
                "date '%s' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or "
                "a W3C date and time); it is left out", m->date);
        m->date = NULL;
    }
}

static bool is_markdown_name(const char *file);

/* Whether 'name' is a key a static site generator reads in a page's
 * front matter (Hugo's, Jekyll's, Eleventy's, MkDocs', Quarto's): a
 * Markdown book written for the web has them, and has no use for a
 * word about each. */
static bool
site_key(const char *name)
{
    static const char *const names[] = {
        "aliases", "categories", "comments", "draft", "excerpt",
        "featured_image", "format", "images", "keywords", "lastmod",
        "layout", "linkTitle", "menu", "permalink", "published",
        "slug", "summary", "tags", "type", "url", "weight", "execute",
        "jupyter", "editor", "output", "bibliography", "hide",
        "nav_order", "parent", "sidebar", NULL};

    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static oc_status
read_mapping(parse_ctx *c, yaml_node_t *root, oc_manifest *m, int *title_line)
{
    oc_status st;

    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
         pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = node_at(c, pr->key), *v = node_at(c, pr->value);
        const char *name;
        size_t i;

        if (k->type != YAML_SCALAR_NODE)
            return node_error(c, k, OC_ERR_INVALID, "%s",
                              "manifest keys must be strings");
        name = (const char *)k->data.scalar.value;
        for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (strcmp(keys[i].name, name) == 0)
                break;
        if (i == sizeof keys / sizeof keys[0]) {
            if (!(is_markdown_name(c->file) && site_key(name)))
                oc_warn(c->file, line_of(c, k), col_of(k),
                        "unknown manifest key '%s' ignored", name);
            continue;
        }
        if ((st = given_once(c, root, pr)) != OC_OK)
            return st;
        if (strcmp(name, "title") == 0)
            *title_line = line_of(c, k);
        if (is_null(v))
            continue;
        if ((st = read_key(c, &keys[i], v, m)) != OC_OK)
            return st;
        check_value(c, name, v, m);
    }
    return OC_OK;
}

static void
set_names(oc_arena *a, oc_manifest *m, const char *file)
{
    const char *slash = strrchr(file, '/');
    const char *base = slash ? slash + 1 : file;
    const char *dot = strrchr(base, '.');

    m->file = oc_arena_strdup(a, file);
    m->dir = slash ? oc_arena_strndup(a, file, (size_t)(slash - file) +
                                                   (slash == file))
                   : ".";
    m->stem = oc_arena_strndup(a, base, dot && dot != base
                                            ? (size_t)(dot - base)
                                            : strlen(base));
    /* A book in "book.yaml" or "index.md" is named after its folder,
     * the real one when the path does not name it ("book.yaml", "./"). */
    if (strcmp(m->stem, "book") == 0 || strcmp(m->stem, "index") == 0) {
        const char *d = m->dir, *ds = strrchr(d, '/');
        const char *dbase = ds ? ds + 1 : d;
        char real[PATH_MAX];

        if (dbase[0] == '\0' || strcmp(dbase, ".") == 0 ||
            strcmp(dbase, "..") == 0) {
            dbase = "";
            if (realpath(m->dir, real) != NULL) {
                ds = strrchr(real, '/');
                dbase = ds ? ds + 1 : real;
            }
        }
        if (dbase[0] != '\0')
            m->stem = oc_arena_strdup(a, dbase);
    }
}

void
oc_uuid5(const char *name, char out[37])
{
    /* RFC 4122 §4.3, name space URL: 6ba7b811-9dad-11d1-80b4-00c04fd430c8 */
    static const unsigned char ns[16] = {
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
        0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA1);
    guint8 digest[20];
    gsize dlen = sizeof digest;
    char *p = out;

    g_checksum_update(sum, ns, sizeof ns);
    g_checksum_update(sum, (const guchar *)name, (gssize)strlen(name));
    g_checksum_get_digest(sum, digest, &dlen);
    g_checksum_free(sum);
    digest[6] = (guint8)((digest[6] & 0x0f) | 0x50);
    digest[8] = (guint8)((digest[8] & 0x3f) | 0x80);
    for (int i = 0; i < 16; i++) {
        static const char hex[] = "0123456789abcdef";

        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[digest[i] >> 4];
        *p++ = hex[digest[i] & 15];
    }
    *p = '\0';
}

static int
is_isbn(const char *s)
{
    int digits = 0;

    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if ((*s == 'X' || *s == 'x') && digits == 9 && s[1] == '\0')
            digits++;
        else if (*s != '-' && *s != ' ')
            return 0;
    }
    return digits == 10 || digits == 13;
}

static void
set_identifier(oc_arena *a, oc_manifest *m)
{
    if (m->identifier == NULL) {
        oc_buf name = {0};
        char uuid[37];

        oc_buf_printf(&name, "octavo:%s", m->title);
        for (size_t i = 0; i < m->nauthors; i++)
            oc_buf_printf(&name, "\n%s", m->authors[i].name);
        oc_uuid5(name.data, uuid);
        oc_buf_free(&name);
        m->identifier = oc_arena_printf(a, "urn:uuid:%s", uuid);
        m->identifier_scheme = "uuid";
    } else if (strncmp(m->identifier, "urn:uuid:", 9) == 0) {
        m->identifier_scheme = "uuid";
    } else if (strncmp(m->identifier, "urn:isbn:", 9) == 0) {
        m->identifier_scheme = "isbn";
    } else if (is_isbn(m->identifier)) {
        m->identifier = oc_arena_printf(a, "urn:isbn:%s", m->identifier);
        m->identifier_scheme = "isbn";
    } else if (strlen(m->identifier) == 36 &&
               m->identifier[8] == '-' && m->identifier[13] == '-') {
        m->identifier = oc_arena_printf(a, "urn:uuid:%s", m->identifier);
        m->identifier_scheme = "uuid";
    } else {
        m->identifier_scheme = strncmp(m->identifier, "urn:", 4) == 0
                                   ? "urn" : NULL;
    }
}

/* Where the front matter of a Markdown book ends: the offset of the
 * closing "---" or "..." line, with *body set past it; 0 if none. */
static size_t
front_matter_end(const char *text, size_t len, size_t *body, int *lines)
{
    size_t i = 0;
    int n = 1;

    while (i < len && text[i] != '\n')
        i++;
    for (i++; i < len; n++) {
        size_t start = i, end;

        while (i < len && text[i] != '\n')
            i++;
        end = i;
        if (end > start && text[end - 1] == '\r')
            end--;
        if (end - start == 3 && (memcmp(text + start, "---", 3) == 0 ||
                                 memcmp(text + start, "...", 3) == 0)) {
            *body = i < len ? i + 1 : len;
            *lines = n + 2;   /* n counts from the line after "---" */
            return start;
        }
        i++;
    }
    return 0;
}

/* Is 'file' named as Markdown? */
static bool
is_markdown_name(const char *file)
{
    const char *dot = strrchr(file, '.');

    return dot != NULL && strchr(dot, '/') == NULL &&
           (g_ascii_strcasecmp(dot, ".md") == 0 ||
            g_ascii_strcasecmp(dot, ".markdown") == 0);
}

/* The end of the bracketed text that opens at s[i] ('[' or '('): the
 * index of its closing bracket, or n. */
static size_t
bracket_end(const char *s, size_t n, size_t i)
{
    char open = s[i], close = open == '[' ? ']' : ')';
    int depth = 0;

    for (; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        else if (s[i] == open)
            depth++;
        else if (s[i] == close && --depth == 0)
            return i;
    }
    return n;
}

/* Where the picture that starts at s[i] ends (its last byte), or i when
 * none does: an image, "![alt](src)", "![alt][ref]" or "![alt]", or an
 * <img> tag. */
static size_t
picture_end(const char *s, size_t n, size_t i)
{
    size_t e;

    if (s[i] == '<' && n - i > 4 &&
        g_ascii_strncasecmp(s + i, "<img", 4) == 0 &&
        (s[i + 4] == ' ' || s[i + 4] == '/' || s[i + 4] == '>')) {
        const char *gt = memchr(s + i, '>', n - i);

        return gt != NULL ? (size_t)(gt - s) : n - 1;
    }
    if (s[i] != '!' || i + 1 >= n || s[i + 1] != '[' ||
        (e = bracket_end(s, n, i + 1)) == n)
        return i;
    if (e + 1 < n && (s[e + 1] == '(' || s[e + 1] == '[') &&
        bracket_end(s, n, e + 1) < n)
        return bracket_end(s, n, e + 1);
    return e;
}

/* The text of a Markdown heading line with its inline markup (emphasis,
 * code spans, links, escapes) reduced to its text, with or without its
 * pictures' alt text; arena memory. */
static const char *
heading_words(oc_arena *a, const char *s, size_t n, bool pictures)
{
    char *out = oc_arena_alloc(a, n + 1), *o = out;

    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool word_before = i > 0 && g_ascii_isalnum(s[i - 1]);
        bool word_after = i + 1 < n && g_ascii_isalnum(s[i + 1]);
        size_t pic = pictures ? i : picture_end(s, n, i);

        if (pic != i) {
            i = pic;
        } else if (c == '\\' && i + 1 < n && g_ascii_ispunct(s[i + 1])) {
            *o++ = s[++i];
        } else if (c == ']' && i + 1 < n && s[i + 1] == '(') {
            while (i < n && s[i] != ')')        /* a link's target */
                i++;
        } else if (c == ']' && i + 1 < n && s[i + 1] == '[' &&
                   bracket_end(s, n, i + 1) < n) {
            i = bracket_end(s, n, i + 1);       /* a link's label */
        } else if (c == '*' || c == '`' || c == '[' || c == ']' ||
                   (c == '!' && i + 1 < n && s[i + 1] == '[') ||
                   (c == '_' && !(word_before && word_after))) {
            continue;
        } else if (c == ' ' || c == '\t') {
            if (o > out && o[-1] != ' ')
                *o++ = ' ';
        } else {
            *o++ = c;
        }
    }
    while (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
    return out[0] != '\0' ? out : NULL;
}

/* The title a Markdown heading line gives: its text without its pictures
 * (a README's badges), unless they are all it holds, nor its attributes
 * ({#id .class}). */
static const char *
heading_text(oc_arena *a, const char *s, size_t n)
{
    const char *t;
    size_t e = n;

    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    if (e > 0 && s[e - 1] == '}') {     /* pandoc's {#id .class key=v} */
        size_t b = e - 1;

        while (b > 0 && s[b] != '{')
            b--;
        if (s[b] == '{' && b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t') &&
            b + 1 < e - 1 && (strchr("#.-", s[b + 1]) != NULL ||
                              memchr(s + b, '=', e - b) != NULL))
            n = b;
    }
    t = heading_words(a, s, n, false);

    return t != NULL ? t : heading_words(a, s, n, true);
}

/* The length of the line at s (up to n bytes), without its end. */
static size_t
line_length(const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);
    size_t len = nl ? (size_t)(nl - s) : n;

    return len > 0 && s[len - 1] == '\r' ? len - 1 : len;
}

/* Is the line at s (len bytes) a setext underline of '=' or '-'? */
static bool
is_underline(const char *s, size_t len)
{
    size_t i = 0, k;

    while (i < len && i < 3 && s[i] == ' ')
        i++;
    if (i == len || (s[i] != '=' && s[i] != '-'))
        return false;
    for (k = i; k < len && s[k] == s[i]; k++)
        ;
    while (k < len && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k == len;
}

/* The text of the first heading of Markdown text (ATX "# Title", or a
 * setext title underlined with '=' or '-'), outside fenced code; NULL
 * when it has none. Arena memory. */
static const char *
first_heading(oc_arena *a, const char *text, size_t len)
{
    char fence = 0;

    for (size_t at = 0; at < len;) {
        const char *s = text + at;
        size_t n = line_length(s, len - at), next = at + n, i = 0, h = 0;

        while (next < len && text[next] != '\n')
            next++;
        next++;
        while (i < n && i < 3 && s[i] == ' ')
            i++;
        if (n - i >= 3 && (s[i] == '`' || s[i] == '~') &&
            s[i + 1] == s[i] && s[i + 2] == s[i]) {
            fence = fence == 0 ? s[i] : fence == s[i] ? 0 : fence;
        } else if (fence == 0) {
            while (i + h < n && h < 7 && s[i + h] == '#')
                h++;
            if (h >= 1 && h <= 6 && (i + h == n || s[i + h] == ' ' ||
                                     s[i + h] == '\t')) {
                size_t e = n;

                while (e > i + h && (s[e - 1] == '#' || s[e - 1] == ' '))
                    e--;                        /* the closing #s */
                return heading_text(a, s + i + h, e - i - h);
            }
            /* A paragraph's line (not blank, not indented code, not a
             * list, quote or table) over an underline. */
            if (i < n && s[i] != ' ' && s[i] != '\t' &&
                strchr("-*+>|", s[i]) == NULL && next < len &&
                is_underline(text + next,
                             line_length(text + next, len - next)))
                return heading_text(a, s + i, n - i);
        }
        at = next;
    }
    return NULL;
}

/* The YAML of a manifest (or front matter block) read into m. */
static oc_status
read_yaml(oc_arena *a, const char *text, size_t len, const char *file,
          oc_manifest *m, int *title_line, oc_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root;
    parse_ctx c = {a, file, 1, &doc, err};
    oc_status st = OC_OK;

    if (!yaml_parser_initialize(&parser))
        return oc_error_set(err, OC_ERR_LIB, file, 0, 0,
                            "cannot start the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        st = yaml_failure(&c, &parser);
        yaml_parser_delete(&parser);
        return st;
    }
    root = yaml_document_get_root_node(&doc);
    if (root == NULL || is_null(root))
        st = oc_error_set(err, OC_ERR_INVALID, file, 1, 1,
                          "the manifest is empty; it needs a 'title'");
    else if (root->type != YAML_MAPPING_NODE)
        st = node_error(&c, root, OC_ERR_INVALID, "%s",
                        "the manifest must be a mapping of keys to values");
    else
        st = read_mapping(&c, root, m, title_line);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return st;
}

/* Key k as if it were not in the manifest. */
static void
clear_key(const key_spec *k, oc_manifest *m)
{
    char *field = (char *)m + k->field;

    switch (k->kind) {
    case K_STRING:    *(const char **)field = NULL; break;
    case K_PATH:      memset(field, 0, sizeof(oc_path_ref)); break;
    case K_TOC_DEPTH: *(int *)field = 2; break;
    case K_DPI:       *(int *)field = OC_IMAGE_DPI; break;
    case K_SHOW:      *(int *)field = 0; break;
    case K_BOOL:      *(bool *)field = false; break;
    case K_LABELS:
        memset(field, 0, OC_LABEL_COUNT * sizeof(const char *));
        break;
    default:
        *(void **)field = NULL;
        *(size_t *)((char *)m + k->count) = 0;
        break;
    }
}

/* 'value' of key k, from the command line ("key=value" is 'kv'), into
 * m: a YAML flow sequence or mapping when it begins with '[' or '{',
 * else the text as it is. */
static oc_status
read_meta(oc_arena *a, const key_spec *k, const char *kv, const char *value,
          oc_manifest *m, oc_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    parse_ctx c = {a, oc_arena_printf(a, "-M %s", kv), 0, &doc, err};
    oc_status st;

    if (!yaml_parser_initialize(&parser))
        return oc_error_set(err, OC_ERR_LIB, c.file, 0, 0,
                            "cannot start the YAML parser");
    if (value[0] == '[' || value[0] == '{') {
        yaml_parser_set_input_string(&parser, (const unsigned char *)value,
                                     strlen(value));
        if (!yaml_parser_load(&parser, &doc)) {
            st = yaml_failure(&c, &parser);
            yaml_parser_delete(&parser);
            return st;
        }
    } else if (!yaml_document_initialize(&doc, NULL, NULL, NULL, 1, 1) ||
               !yaml_document_add_scalar(&doc, NULL,
                                         (yaml_char_t *)value,
                                         (int)strlen(value),
                                         YAML_DOUBLE_QUOTED_SCALAR_STYLE)) {
        yaml_parser_delete(&parser);
        return oc_error_set(err, OC_ERR_LIB, c.file, 0, 0,
                            "YAML: out of memory");
    }
    if ((st = read_key(&c, k, yaml_document_get_root_node(&doc), m)) ==
        OC_OK)
        check_value(&c, k->name, yaml_document_get_root_node(&doc), m);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return st;
}

/* The command line's "key=value" settings, over the manifest's own: an
 * empty value takes the key away. */
static oc_status
apply_meta(oc_arena *a, oc_manifest *m, const char *const *meta,
           size_t nmeta, oc_error *err)
{
    for (size_t i = 0; i < nmeta; i++) {
        const char *eq = strchr(meta[i], '=');
        size_t n = eq ? (size_t)(eq - meta[i]) : strlen(meta[i]), j;
        oc_status st;

        for (j = 0; j < sizeof keys / sizeof keys[0]; j++)
            if (strlen(keys[j].name) == n &&
                strncmp(keys[j].name, meta[i], n) == 0)
                break;
        if (j == sizeof keys / sizeof keys[0] || eq == NULL)
            return oc_error_set(err, OC_ERR_USAGE, NULL, 0, 0,
                                "-M %s: no such manifest key '%.*s'",
                                meta[i], (int)n, meta[i]);
        if (eq[1] == '\0') {
            clear_key(&keys[j], m);
        } else if ((st = read_meta(a, &keys[j], meta[i], eq + 1, m, err)) !=
                   OC_OK) {
            err->code = OC_ERR_USAGE;   /* the command line's, no line */
            err->line = err->col = 0;
            return OC_ERR_USAGE;
        }
    }
    return OC_OK;
}

/* What a manifest file is: YAML, a Markdown book with front matter, a
 * bare Markdown file (a one-chapter book titled by its first heading),
 * or an HTML or XHTML file (one titled by its <title> or first <h1>). */
typedef enum book_kind { BOOK_YAML, BOOK_FRONT, BOOK_BARE,
                         BOOK_HTML } book_kind;

/* The title of an HTML or XHTML book: its <title>, or its first <h1>'s
 * words, read as a browser reads the file (in the encoding it declares);
 * NULL when it has neither. Arena memory. */
static const char *
html_title(oc_arena *a, const char *text, size_t len)
{
    htmlDocPtr doc = htmlReadMemory(text, (int)(len < INT_MAX ? len : INT_MAX),
                                    NULL, NULL,
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                    HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    const char *names[] = {"title", "h1"};
    const char *title = NULL;

    if (doc == NULL)
        return NULL;
    for (int i = 0; i < 2 && title == NULL; i++) {
        xmlNodePtr n = oc_xhtml_find(xmlDocGetRootElement(doc), names[i]);
        char *t = n != NULL ? (i == 0 ? oc_xhtml_text(a, n)
                                      : oc_xhtml_title_text(a, n))
                            : NULL;

        if (t != NULL && t[0] != '\0')
            title = t;
    }
    xmlFreeDoc(doc);
    return title;
}

/* An HTML book: its one chapter, the file itself (unless the command
 * line named its chapters), and its title. */
static void
html_book(oc_arena *a, oc_manifest *m, const char *text, size_t len)
{
    if (m->nchapters == 0) {
        const char *slash = strrchr(m->file, '/');

        m->chapters = oc_arena_alloc(a, sizeof *m->chapters);
        memset(m->chapters, 0, sizeof *m->chapters);
        m->chapters[0].path = oc_arena_strdup(a, slash ? slash + 1 : m->file);
        m->chapters[0].line = m->chapters[0].col = 1;
        m->nchapters = 1;
    }
    if (m->title == NULL || m->title[0] == '\0')
        m->title = html_title(a, text, len);
}

/* A Markdown book without a title in its front matter takes its first
 * heading's; a bare one without a heading, its file name. */
static oc_status
set_title(oc_arena *a, oc_manifest *m, book_kind kind, int title_line,
          oc_error *err)
{
    if (m->title != NULL && m->title[0] != '\0')
        return OC_OK;
    if (kind == BOOK_FRONT || kind == BOOK_BARE)
        m->title = first_heading(a, m->body, m->body_len);
    if (m->title == NULL && (kind == BOOK_BARE || kind == BOOK_HTML)) {
        m->title = m->stem;
        oc_warn(m->file, 0, 0, "no heading to take the book's title from; "
                "it is titled '%s'", m->title);
    }
    if (m->title == NULL)
        return oc_error_set(err, OC_ERR_INVALID, m->file,
                            title_line ? title_line : 1, 1,
                            "the manifest has no 'title'");
    return OC_OK;
}

oc_status
oc_manifest_parse(oc_arena *a, const char *text, size_t len,
                  const char *file, oc_manifest **out, oc_error *err)
{
    return oc_manifest_parse_with(a, text, len, file, NULL, 0, out, err);
}

oc_status
oc_manifest_parse_with(oc_arena *a, const char *text, size_t len,
                       const char *file, const char *const *meta,
                       size_t nmeta, oc_manifest **out, oc_error *err)
{
    oc_manifest *m = oc_arena_alloc(a, sizeof *m);
    size_t skip = 0, ylen, body = 0;
    int title_line = 0, body_lines = 1;
    book_kind kind = BOOK_YAML;
    oc_status st;

    if (oc_chapter_format_of(file) == OC_FORMAT_HTML ||
        oc_chapter_format_of(file) == OC_FORMAT_XHTML) {
        /* Its encoding is the chapter loader's to read. */
        set_names(a, m, file);
        m->toc_depth = 2;
        m->image_dpi = OC_IMAGE_DPI;
        if ((st = apply_meta(a, m, meta, nmeta, err)) != OC_OK)
            return st;
        html_book(a, m, text, len);
        if ((st = set_title(a, m, BOOK_HTML, 0, err)) != OC_OK)
            return st;
        if (m->language == NULL)
            m->language = "en";
        set_identifier(a, m);
        *out = m;
        return OC_OK;
    }
    if ((st = oc_text_check(text, len, file, 1, &skip, err)) != OC_OK)
        return st;
    text += skip;
    len -= skip;
    ylen = len;
    if (len >= 3 && memcmp(text, "---", 3) == 0 &&
        (len == 3 || text[3] == '\n' || text[3] == '\r')) {
        size_t end = front_matter_end(text, len, &body, &body_lines);

        if (end == 0)
            return oc_error_set(err, OC_ERR_SYNTAX, file, 1, 1,
                                "front matter has no closing '---' line");
        kind = BOOK_FRONT;
        ylen = end;
    } else if (is_markdown_name(file)) {
        kind = BOOK_BARE;
    }
    set_names(a, m, file);
    m->toc_depth = 2;
    m->image_dpi = OC_IMAGE_DPI;
    if (kind != BOOK_BARE &&
        (st = read_yaml(a, text, ylen, file, m, &title_line, err)) != OC_OK)
        return st;
    if (kind != BOOK_YAML) {
        m->body = text + body;
        m->body_len = len - body;
        m->body_line = body_lines;
    }
    if ((st = apply_meta(a, m, meta, nmeta, err)) != OC_OK ||
        (st = set_title(a, m, kind, title_line, err)) != OC_OK)
        return st;
    if (m->nchapters == 0 && kind == BOOK_YAML)
        return oc_error_set(err, OC_ERR_INVALID, file, 1, 1,
                            "the manifest lists no 'chapters'");
    if (m->language == NULL)
        m->language = "en";
    set_identifier(a, m);
    *out = m;
    return OC_OK;
}

char *
oc_manifest_resolve(oc_arena *a, const oc_manifest *m, const char *rel)
{
    if (strcmp(m->dir, ".") == 0)
        return oc_arena_strdup(a, rel);
    return oc_arena_printf(a, "%s/%s", m->dir, rel);
}

char *
oc_path_normalize(oc_arena *a, const char *rel)
{
    size_t n = strlen(rel);
    char *out = oc_arena_alloc(a, n + 1), *o = out;
    const char *p = rel;

    if (rel[0] == '/' || rel[0] == '\0' || strchr(rel, '\\') != NULL ||
        strchr(rel, ':') != NULL)
        return NULL;
    while (*p) {
        const char *seg = p;
        size_t len;

        while (*p && *p != '/')
            p++;
        len = (size_t)(p - seg);
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            if (o == out)
                return NULL;              /* climbs out of the book */
            o--;
            while (o > out && o[-1] != '/')
                o--;
            if (o > out)
                o--;                      /* drop the '/' too */
        } else if (len > 0 && !(len == 1 && seg[0] == '.')) {
            if (o != out)
                *o++ = '/';
            memcpy(o, seg, len);
            o += len;
        }
        if (*p == '/')
            p++;
    }
    *o = '\0';
    return out[0] ? out : NULL;
}

/* Through symbolic links: the real path must lie under the real folder.
 * A file that does not exist yet passes; opening it reports that. */
static int
real_path_is_inside(const char *dir, const char *full)
{
    char rdir[PATH_MAX], rfile[PATH_MAX];
    size_t n;

    if (realpath(dir, rdir) == NULL || realpath(full, rfile) == NULL)
        return 1;
    n = strlen(rdir);
    return strncmp(rdir, rfile, n) == 0 && (rfile[n] == '/' || n == 1);
}

char *
oc_manifest_inside(oc_arena *a, const oc_manifest *m, const char *rel)
{
    char *norm = oc_path_normalize(a, rel);
    char *full;

    if (norm == NULL)
        return NULL;
    full = oc_manifest_resolve(a, m, norm);
    return real_path_is_inside(m->dir, full) ? full : NULL;
}

static oc_status
check_ref(oc_arena *a, const oc_manifest *m, const oc_path_ref *r,
          const char *what, oc_error *err)
{
    if (r->path == NULL)
        return OC_OK;
    if (oc_manifest_inside(a, m, r->path) == NULL)
        return oc_error_set(err, OC_ERR_INVALID, m->file, r->line, r->col,
                            "%s '%s' is outside the book's folder", what,
                            r->path);
    return OC_OK;
}

/* Names in a natural order: runs of digits compared as numbers, so that
 * "ch2.md" comes before "ch10.md". */
static int
natural_cmp(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;

    while (*a && *b) {
        if (g_ascii_isdigit(*a) && g_ascii_isdigit(*b)) {
            const char *ea = a, *eb = b;

            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            for (ea = a; g_ascii_isdigit(*ea); ea++)
                ;
            for (eb = b; g_ascii_isdigit(*eb); eb++)
                ;
            if (ea - a != eb - b)
                return ea - a < eb - b ? -1 : 1;
            if (strncmp(a, b, (size_t)(ea - a)) != 0)
                return strncmp(a, b, (size_t)(ea - a));
            a = ea;
            b = eb;
        } else if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        } else {
            a++;
            b++;
        }
    }
    return *a ? 1 : *b ? -1 : 0;
}

static bool
chapter_file_name(const char *name)
{
    const char *dot = strrchr(name, '.');

    return name[0] != '.' && dot != NULL &&
           (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0 ||
            strcasecmp(dot, ".xhtml") == 0 || strcasecmp(dot, ".html") == 0 ||
            strcasecmp(dot, ".htm") == 0);
}

/* The files a chapter entry names, relative to the manifest's folder, in
 * natural order, into *out (arena memory; *n of them): a pattern's
 * matches (chapters/[0-9]*.md: regular files only), a folder's Markdown and
 * XHTML files, or NULL when the entry is one file. */
static const char **
chapter_files(oc_arena *a, const oc_manifest *m, const char *rel, size_t *n)
{
    char *full = oc_manifest_resolve(a, m, rel);
    size_t skip = strcmp(m->dir, ".") == 0 ? 0 : strlen(m->dir) + 1;
    const char **names = NULL;
    struct stat sb;

    *n = 0;
    if (strpbrk(rel, "*?[") != NULL) {
        glob_t g;

        if (glob(full, 0, NULL, &g) == 0) {
            names = oc_arena_alloc(a, (g.gl_pathc + 1) * sizeof *names);
            for (size_t i = 0; i < g.gl_pathc; i++)
                if (stat(g.gl_pathv[i], &sb) == 0 && S_ISREG(sb.st_mode))
                    names[(*n)++] = oc_arena_strdup(a, g.gl_pathv[i] + skip);
        }
        if (names == NULL)
            names = oc_arena_alloc(a, sizeof *names);
        globfree(&g);
    } else if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode) &&
               !chapter_file_name(strrchr(rel, '/') ? strrchr(rel, '/') + 1
                                                    : rel)) {
        DIR *d = opendir(full);
        struct dirent *e;
        size_t cap = 16;

        names = oc_arena_alloc(a, cap * sizeof *names);
        while (d != NULL && (e = readdir(d)) != NULL) {
            char *f;

            if (!chapter_file_name(e->d_name))
                continue;
            f = oc_arena_printf(a, "%s/%s", full, e->d_name);
            if (stat(f, &sb) != 0 || !S_ISREG(sb.st_mode))
                continue;
            if (*n == cap) {
                const char **more = oc_arena_alloc(a, 2 * cap * sizeof *more);

                memcpy(more, names, cap * sizeof *more);
                names = more;
                cap *= 2;
            }
            names[(*n)++] = f + skip;
        }
        if (d != NULL)
            closedir(d);
    } else {
        return NULL;
    }
    qsort(names, *n, sizeof *names, natural_cmp);
    return names;
}

/* Chapter entries that are patterns or folders, each put in the place of
 * the files it names; an error at its line when it names none. */
static oc_status
expand_chapters(oc_arena *a, oc_manifest *m, oc_error *err)
{
    oc_path_ref *out = NULL;
    size_t n = 0, cap = 0;
    bool any = false;

    for (size_t i = 0; i < m->nchapters; i++) {
        const oc_path_ref *r = &m->chapters[i];
        size_t k;
        const char **files = chapter_files(a, m, r->path, &k);

        if (files != NULL && k == 0)
            return oc_error_set(err, OC_ERR_INVALID, m->file, r->line,
                                r->col, "chapters '%s': no Markdown or "
                                "XHTML file there", r->path);
        if (n + (files ? k : 1) > cap) {
            oc_path_ref *more;

            cap = 2 * (n + (files ? k : 1));
            more = oc_arena_alloc(a, cap * sizeof *more);
            if (n > 0)
                memcpy(more, out, n * sizeof *more);
            out = more;
        }
        if (files == NULL) {
            out[n++] = *r;
            continue;
        }
        any = true;
        for (size_t j = 0; j < k; j++) {
            out[n] = *r;
            out[n].path = files[j];
            if (k > 1)
                out[n].short_title = NULL;  /* one head, many chapters */
            n++;
        }
    }
    if (any) {
        m->chapters = out;
        m->nchapters = n;
    }
    return OC_OK;
}

oc_status
oc_manifest_load(oc_arena *a, const char *path, const char *const *meta,
                 size_t nmeta, oc_manifest **out, oc_error *err)
{
    oc_buf text = {0};
    oc_manifest *m = NULL;
    struct stat sb;
    oc_status st;

    /* A folder is the book in its book.yaml. */
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(path);
        char *dir = oc_arena_strdup(a, path);

        while (n > 1 && dir[n - 1] == '/')
            dir[--n] = '\0';
        path = oc_arena_printf(a, "%s%sbook.yaml", dir,
                               dir[n - 1] == '/' ? "" : "/");
        if (stat(path, &sb) != 0 && errno == ENOENT)
            return oc_error_set(err, OC_ERR_IO, dir, 0, 0,
                                "no book.yaml in this folder");
    }
    if ((st = oc_buf_read_file(&text, path, 0, err)) != OC_OK)
        return st;
    /* The body of a Markdown book points into this text: keep a copy. */
    st = oc_manifest_parse_with(a, oc_arena_strndup(a, text.data,
                                                    text.len),
                                text.len, path, meta, nmeta, &m, err);
    if (st != OC_OK)
        goto out;
    st = expand_chapters(a, m, err);
    for (size_t i = 0; i < m->nchapters && st == OC_OK; i++)
        st = check_ref(a, m, &m->chapters[i], "chapter", err);
    for (size_t i = 0; i < m->nstylesheets && st == OC_OK; i++)
        st = check_ref(a, m, &m->stylesheets[i], "stylesheet", err);
    for (size_t i = 0; i < m->nfonts && st == OC_OK; i++)
        st = check_ref(a, m, &m->fonts[i], "font", err);
    if (st == OC_OK)
        st = check_ref(a, m, &m->cover, "cover", err);
    if (st == OC_OK)
        *out = m;
out:
    oc_buf_free(&text);
    return st;
}
