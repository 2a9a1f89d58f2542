/* layout.c - XHTML chapters → rows of Pango lines → pages of positioned
 * items. Blocks are flattened into one vertical list of rows (a line of a
 * paragraph, a table row, an image, a spacer); pages are cut from it
 * first-fit, at the last break the widow, orphan and keep rules allow,
 * with each page's footnotes set at its foot. The body is paginated first,
 * so that the contents know every folio; the front matter (title page,
 * imprint, contents) is then set before it, numbered apart in roman
 * numerals, so that its length moves no body folio. Running heads and
 * folios are added last. Text is justified by Pango; this first engine
 * breaks lines greedily. */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libxml/tree.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <webp/decode.h>

#include "error.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define OPS_NS   "http://www.idpf.org/2007/ops"
#define XML_NS   "http://www.w3.org/XML/1998/namespace"

#define ORPHANS 2               /* lines a paragraph keeps at a page foot */
#define WIDOWS  2               /* lines it carries to the next page */
#define PU(x)   ((int)lround((x) * PANGO_SCALE))    /* points → Pango */
#define PT(x)   ((double)(x) / PANGO_SCALE)         /* Pango → points */
#define EPS     0.01

/* May a page break come before a row: yes, no, it must, it must and the
 * row opens a recto. */
enum { BRK_OK, BRK_KEEP, BRK_PAGE, BRK_RECTO };

#define SINK_LINES  5           /* body lines above a chapter's title */

typedef struct itemvec {
    oc_item *v;
    size_t   n, cap;
} itemvec;

/* One unbreakable strip of the vertical list. Its items are placed
 * relative to the text block's left edge and the row's top. */
typedef struct row {
    double   space;             /* above it; dropped at the top of a page */
    double   height;
    double   baseline;          /* of its first text line; 0 if none */
    int      brk;
    int      outline;           /* the heading it starts, or -1 */
    int      chap;              /* the chapter it belongs to, or -1 */
    size_t   head, nhead;       /* a table's head rows, repeated at the
                                   top of a page that this row opens */
    itemvec  items;
    size_t  *notes;             /* footnotes first referenced here */
    size_t   nnotes, capnotes;
} row;

typedef struct rowvec {
    row   *v;
    size_t n, cap;
} rowvec;

typedef struct pagevec {
    oc_page *v;
    size_t   n, cap;
} pagevec;

typedef struct fnote {
    rowvec rows;
    double height;              /* rows plus the spaces between them */
    bool   attached;            /* its first reference has a row */
} fnote;

typedef struct lay {
    oc_layout           *L;
    const oc_book       *b;
    const oc_page_setup *s;
    double               width, height;     /* the text block */
    double               serif_asc, serif_desc;     /* per point of size */
    double               mono_asc, mono_desc;
    GHashTable         **ids;       /* per chapter: id → xmlNodePtr */
    GHashTable         **labels;    /* per chapter: footnote id → label */
    GHashTable          *dests;     /* names of the DEST items made */
    GHashTable          *note_of;   /* footnote element → index + 1 */
    fnote               **notes;
    size_t               nnotes, capnotes;
    rowvec               body;
    oc_outline_entry    *outline;
    size_t               noutline, capoutline;
    pagevec              front, pages;  /* front matter; the body */
    size_t               npages;        /* made so far, both together */
    size_t               max_pages;
    bool                 too_many;      /* max_pages was reached */
    GHashTable          *pictures;      /* href → oc_picture *, or to
                                           &no_picture when it failed */
    PangoLayoutLine     *wrap_mark;     /* code's continuation mark */
    double               wrap_size, wrap_width;
} lay;

/* The computed style of a block; copied and changed on the way down. */
typedef struct bstyle {
    const char    *family;
    double         size, leading;
    PangoStyle     slant;
    PangoWeight    weight;
    double         left, right;     /* margins inside the text block */
    PangoAlignment align;
    bool           justify;
    double         indent;          /* first-line indent after a paragraph */
    int            list_depth;
    const char    *lang;
    bool           rtl;             /* right-to-left base direction */
} bstyle;

/* Where the flow of blocks goes, and what is pending for the next row. */
typedef struct flow {
    lay         *g;
    size_t       chap;
    rowvec      *out;
    bool         fresh;             /* next row opens a page: no space */
    double       space;
    int          brk;
    bool         indent;            /* next paragraph is indented */
    const char  *marker;            /* list marker for the next row */
    double       marker_right;      /* where it ends (right to left: where
                                       it starts) */
    bool         marker_rtl;
    const bstyle *marker_style;
    const char  *prefix;            /* text that opens the next paragraph */
    int          keep;              /* inside a block kept on one page */
    bool         keep_first;        /* the next row opens that block */
    const char **dests;
    size_t       ndests, capdests;
    int          outline;
} flow;

/* A paragraph's text and inline markup while it is being collected. */
typedef struct linkspan {
    size_t      start, end;
    const char *uri, *dest;
} linkspan;

typedef struct ref {
    size_t     at;
    xmlNodePtr note;
} ref;

typedef struct anchor {
    size_t      at;
    const char *dest;
} anchor;

typedef struct object {             /* an inline image, as U+FFFC */
    size_t            at;
    const oc_picture *pic;
    double            w, h, desc;   /* desc: how far below the baseline */
} object;

typedef struct inl {
    GString   *text;
    GPtrArray *attrs;               /* PangoAttribute *, outer first */
    GArray    *links, *refs, *anchors, *objects;
    bool       pre;
    bool       br;                  /* has a forced line break */
    bool       ws;                  /* ends in collapsible space, or empty */
    int        italic, quotes;
    double     size;                /* the paragraph's font size */
    double     width;               /* and its measure */
} inl;

/* One laid-out line of a PangoLayout, measured for a row. */
typedef struct lineinfo {
    PangoLayoutLine *line;
    double           x;             /* left of its logical box */
    double           asc, desc;     /* of its row, leading included */
    int              start, len;    /* bytes of the layout's text */
} lineinfo;

static void flow_children(flow *f, xmlNodePtr parent, const bstyle *st);
static void flow_block(flow *f, xmlNodePtr n, const bstyle *st);
static void inline_nodes(flow *f, inl *in, xmlNodePtr n, xmlNodePtr stop);
static bool chapter_rtl(lay *g, xmlDocPtr doc);

/* ---- small containers in the arena ---- */

static oc_item *
push_item(oc_arena *a, itemvec *v)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;

        v->v = oc_arena_grow(a, v->v, v->n, cap, sizeof *v->v);
        v->cap = cap;
    }
    memset(&v->v[v->n], 0, sizeof v->v[0]);
    return &v->v[v->n++];
}

static row *
push_row(oc_arena *a, rowvec *v)
{
    row *r;

    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;

        v->v = oc_arena_grow(a, v->v, v->n, cap, sizeof *v->v);
        v->cap = cap;
    }
    r = &v->v[v->n++];
    memset(r, 0, sizeof *r);
    r->outline = -1;
    return r;
}

static void
row_add_note(oc_arena *a, row *r, size_t ni)
{
    if (r->nnotes == r->capnotes) {
        size_t cap = r->capnotes ? r->capnotes * 2 : 2;

        r->notes = oc_arena_grow(a, r->notes, r->nnotes, cap,
                                 sizeof *r->notes);
        r->capnotes = cap;
    }
    r->notes[r->nnotes++] = ni;
}

/* ---- the DOM ---- */

static bool
is_html(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE &&
           (n->ns == NULL || xmlStrEqual(n->ns->href, BAD_CAST XHTML_NS));
}

static bool
is(xmlNodePtr n, const char *name)
{
    return is_html(n) && xmlStrEqual(n->name, BAD_CAST name);
}

static int
heading_level(xmlNodePtr n)
{
    if (is_html(n) && n->name[0] == 'h' && n->name[1] >= '1' &&
        n->name[1] <= '6' && n->name[2] == '\0')
        return n->name[1] - '0';
    return 0;
}

/* The value of attribute 'name' (in namespace 'ns', or none), or NULL.
 * Borrowed from the DOM, or copied to the arena when it is not one node. */
static const char *
attr(lay *g, xmlNodePtr n, const char *name, const char *ns)
{
    for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
        xmlChar *v;
        char *copy;

        if (!xmlStrEqual(a->name, BAD_CAST name))
            continue;
        if (ns == NULL ? a->ns != NULL
                       : a->ns == NULL ||
                         !xmlStrEqual(a->ns->href, BAD_CAST ns))
            continue;
        if (a->children == NULL)
            return "";
        if (a->children->next == NULL &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
        v = xmlNodeListGetString(n->doc, a->children, 1);
        copy = oc_arena_strdup(g->L->arena, v ? (const char *)v : "");
        xmlFree(v);
        return copy;
    }
    return NULL;
}

static bool
has_token(const char *list, const char *token)
{
    size_t len = strlen(token);

    while (list != NULL && *list != '\0') {
        while (*list == ' ' || *list == '\t' || *list == '\n')
            list++;
        if (strncmp(list, token, len) == 0 &&
            (list[len] == '\0' || list[len] == ' ' || list[len] == '\t' ||
             list[len] == '\n'))
            return true;
        while (*list != '\0' && *list != ' ' && *list != '\t' &&
               *list != '\n')
            list++;
    }
    return false;
}

/* epub:type or role names the element 'what' ("noteref", "footnote"). */
static bool
is_a(lay *g, xmlNodePtr n, const char *what)
{
    char role[32];

    snprintf(role, sizeof role, "doc-%s", what);
    return has_token(attr(g, n, "type", OPS_NS), what) ||
           has_token(attr(g, n, "role", NULL), role);
}

static bool
is_skipped(lay *g, xmlNodePtr n)
{
    static const char *const names[] = {
        "head", "script", "style", "template", "title", "meta", "link",
        "noscript", NULL
    };

    if (n->type != XML_ELEMENT_NODE)
        return false;
    if (attr(g, n, "hidden", NULL) != NULL)
        return true;
    for (size_t i = 0; names[i] != NULL; i++)
        if (is(n, names[i]))
            return true;
    return false;
}

static bool
is_block(xmlNodePtr n)
{
    static const char *const names[] = {
        "address", "article", "aside", "blockquote", "body", "caption",
        "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "header", "hgroup", "hr",
        "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul", NULL
    };

    if (!is_html(n))
        return false;
    if (heading_level(n) > 0)
        return true;
    for (size_t i = 0; names[i] != NULL; i++)
        if (xmlStrEqual(n->name, BAD_CAST names[i]))
            return true;
    return false;
}

static xmlNodePtr
body_of(xmlDocPtr doc)
{
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

    if (root == NULL)
        return NULL;
    for (xmlNodePtr n = root->children; n != NULL; n = n->next)
        if (is(n, "body"))
            return n;
    return root;
}

/* Plain text of a subtree with white space collapsed, note references
 * left out (for outline titles). */
static void
plain_text(lay *g, xmlNodePtr n, GString *out)
{
    for (; n != NULL; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            for (const char *p = (const char *)n->content; *p; p++) {
                bool sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';

                if (!sp)
                    g_string_append_c(out, *p);
                else if (out->len > 0 && out->str[out->len - 1] != ' ')
                    g_string_append_c(out, ' ');
            }
        } else if (n->type == XML_ELEMENT_NODE && !is_skipped(g, n) &&
                   !(is(n, "a") && is_a(g, n, "noteref"))) {
            plain_text(g, n->children, out);
        }
    }
}

/* ---- destinations ---- */

/* Destination names are "c<chapter>" for a chapter's start and
 * "c<chapter>-<id>" for an element, the id spelt in [A-Za-z0-9.-] with
 * every other byte as _XX, so that distinct ids never share a name and
 * the name needs no quoting in a PDF. */
static const char *
dest_name(lay *g, size_t chap, const char *id)
{
    GString *s = g_string_new(NULL);
    char *name;

    g_string_printf(s, "c%zu", chap + 1);
    if (id != NULL) {
        g_string_append_c(s, '-');
        for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
                g_string_append_c(s, (char)*p);
            else
                g_string_append_printf(s, "_%02X", *p);
        }
    }
    name = oc_arena_strndup(g->L->arena, s->str, s->len);
    g_string_free(s, TRUE);
    return name;
}

static void
pend_dest(flow *f, const char *name)
{
    if (f->ndests == f->capdests) {
        size_t cap = f->capdests ? f->capdests * 2 : 4;

        f->dests = oc_arena_grow(f->g->L->arena, (void *)f->dests,
                                 f->ndests, cap, sizeof *f->dests);
        f->capdests = cap;
    }
    f->dests[f->ndests++] = name;
}

/* Add a DEST item unless one of that name exists (duplicate ids). */
static void
add_dest(lay *g, itemvec *items, const char *name, double x, double y)
{
    oc_item *it;

    if (g_hash_table_contains(g->dests, name))
        return;
    g_hash_table_add(g->dests, (gpointer)name);
    it = push_item(g->L->arena, items);
    it->kind = OC_ITEM_DEST;
    it->dest = name;
    it->x = x;
    it->y = y;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode %XX escapes of a URL fragment into the arena. */
static char *
unescape(lay *g, const char *s, size_t len)
{
    char *out = oc_arena_alloc(g->L->arena, len + 1);
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 &&
            hexval(s[i + 2]) >= 0) {
            out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

/* A URI made safe for a PDF string and cairo's attribute syntax: bytes
 * outside printable ASCII, quotes, backslashes, parentheses and angle
 * brackets are percent-encoded (RFC 3987 §3.1 maps IRIs the same way). */
static const char *
safe_uri(lay *g, const char *uri)
{
    GString *s = g_string_new(NULL);
    char *out;

    for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f || strchr("'\"\\()<>{}|^`", *p))
            g_string_append_printf(s, "%%%02X", *p);
        else
            g_string_append_c(s, (char)*p);
    }
    out = oc_arena_strndup(g->L->arena, s->str, s->len);
    g_string_free(s, TRUE);
    return out;
}

static bool
has_scheme(const char *href)
{
    const char *p = href;

    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return false;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
           (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

/* Resolve an href in chapter 'chap': an external URI, or the destination
 * of an element or chapter of the book. Returns false (with a warning)
 * for a target the PDF cannot reach. */
static bool
resolve_href(lay *g, size_t chap, xmlNodePtr a, const char *href,
             const char **uri, const char **dest)
{
    const oc_book *b = g->b;
    const char *hash = strchr(href, '#');
    size_t flen = hash ? (size_t)(hash - href) : strlen(href);
    size_t target = chap;
    const char *id;

    *uri = *dest = NULL;
    if (has_scheme(href)) {
        *uri = safe_uri(g, href);
        return true;
    }
    if (flen > 0) {
        size_t k;

        for (k = 0; k < b->nchapters; k++) {
            const oc_chapter *c = &b->chapters[k];

            if ((c->href && strlen(c->href) == flen &&
                 strncmp(c->href, href, flen) == 0) ||
                (c->src && strlen(c->src) == flen &&
                 strncmp(c->src, href, flen) == 0))
                break;
        }
        if (k == b->nchapters)
            goto unreachable;
        target = k;
    }
    if (hash == NULL || hash[1] == '\0') {
        *dest = dest_name(g, target, NULL);
        return true;
    }
    id = unescape(g, hash + 1, strlen(hash + 1));
    if (g->ids[target] == NULL ||
        !g_hash_table_contains(g->ids[target], id))
        goto unreachable;
    *dest = dest_name(g, target, id);
    return true;
unreachable:
    oc_warn(b->chapters[chap].file, (int)xmlGetLineNo(a), 0,
            "link target '%s' is not in the book; not linked in the PDF",
            href);
    return false;
}

/* Every id of a chapter (to resolve links), and the label of each
 * footnote's first reference. */
static void
index_chapter(lay *g, size_t chap, xmlNodePtr n)
{
    for (; n != NULL; n = n->next) {
        const char *id, *href;

        if (n->type != XML_ELEMENT_NODE || is_skipped(g, n))
            continue;
        if ((id = attr(g, n, "id", NULL)) != NULL &&
            !g_hash_table_contains(g->ids[chap], id))
            g_hash_table_insert(g->ids[chap], (gpointer)id, n);
        if (is(n, "a") && is_a(g, n, "noteref") &&
            (href = attr(g, n, "href", NULL)) != NULL && href[0] == '#') {
            const char *target = unescape(g, href + 1, strlen(href + 1));
            GString *s = g_string_new(NULL);

            plain_text(g, n->children, s);
            if (!g_hash_table_contains(g->labels[chap], target))
                g_hash_table_insert(g->labels[chap], (gpointer)target,
                                    oc_arena_strndup(g->L->arena, s->str,
                                                     s->len));
            g_string_free(s, TRUE);
        }
        index_chapter(g, chap, n->children);
    }
}

/* A footnote set at the foot of the page: an element typed footnote
 * that some noteref in its chapter points to. */
static bool
is_footnote(flow *f, xmlNodePtr n)
{
    const char *id;

    if (!is_a(f->g, n, "footnote"))
        return false;
    id = attr(f->g, n, "id", NULL);
    return id != NULL && g_hash_table_contains(f->g->labels[f->chap], id);
}

/* ---- fonts and lines ---- */

static PangoFontDescription *
font_of(const bstyle *st)
{
    PangoFontDescription *d = pango_font_description_new();

    pango_font_description_set_family(d, st->family);
    pango_font_description_set_absolute_size(d, st->size * PANGO_SCALE);
    pango_font_description_set_style(d, st->slant);
    pango_font_description_set_weight(d, st->weight);
    return d;
}

/* A layout in the style's direction. The direction is the block's, never
 * guessed from the text (HTML's dir is inherited, not "auto"), and the
 * style's left and right alignments mean start and end: a right-to-left
 * paragraph is set flush right, its last line too when justified. */
static PangoLayout *
new_layout(lay *g, const bstyle *st, double width)
{
    PangoLayout *pl = pango_layout_new(st->rtl ? g->L->rtl_context
                                               : g->L->context);
    PangoFontDescription *d = font_of(st);
    PangoAlignment align = st->align;

    if (st->rtl && align != PANGO_ALIGN_CENTER)
        align = align == PANGO_ALIGN_LEFT ? PANGO_ALIGN_RIGHT
                                          : PANGO_ALIGN_LEFT;
    g_ptr_array_add(g->L->layouts, pl);
    pango_layout_set_auto_dir(pl, FALSE);
    pango_layout_set_font_description(pl, d);
    pango_font_description_free(d);
    pango_layout_set_width(pl, width > 0 ? PU(width) : -1);
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(pl, align);
    pango_layout_set_justify(pl, st->justify);
    return pl;
}

/* A one-line layout for generated text (markers, folios, the title). */
static PangoLayout *
text_layout(lay *g, const bstyle *st, const char *text, double width)
{
    PangoLayout *pl = new_layout(g, st, width);

    pango_layout_set_text(pl, text, -1);
    if (st->lang != NULL) {
        PangoAttrList *al = pango_attr_list_new();

        pango_attr_list_insert(al, pango_attr_language_new(
                                   pango_language_from_string(st->lang)));
        pango_layout_set_attributes(pl, al);
        pango_attr_list_unref(al);
    }
    return pl;
}

/* Measure the lines of 'pl' for rows of 'st': every row is one leading
 * high, with the baseline where CSS's half-leading model puts it, unless
 * something in the line (a larger font, a fallback font) reaches more than
 * a quarter of an em beyond that. */
static GArray *
measure_lines(lay *g, PangoLayout *pl, const bstyle *st)
{
    GArray *v = g_array_new(FALSE, TRUE, sizeof(lineinfo));
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    bool mono = strcmp(st->family, g->s->mono) == 0;
    double fa = st->size * (mono ? g->mono_asc : g->serif_asc);
    double fd = st->size * (mono ? g->mono_desc : g->serif_desc);
    double half = (st->leading - fa - fd) / 2;
    double tol = st->size / 4;

    do {
        lineinfo li;
        PangoRectangle log;
        double base, asc, desc;

        li.line = pango_layout_iter_get_line_readonly(it);
        pango_layout_iter_get_line_extents(it, NULL, &log);
        base = PT(pango_layout_iter_get_baseline(it));
        asc = base - PT(log.y);
        desc = PT(log.y + log.height) - base;
        li.x = PT(log.x);
        li.asc = half + fa;
        li.desc = half + fd;
        if (asc > li.asc + tol)
            li.asc = asc;
        if (desc > li.desc + tol)
            li.desc = desc;
        li.start = li.line->start_index;
        li.len = li.line->length;
        g_array_append_val(v, li);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return v;
}

static void
add_text_item(lay *g, itemvec *items, PangoLayoutLine *line, double x,
              double y)
{
    oc_item *it = push_item(g->L->arena, items);

    it->kind = OC_ITEM_TEXT;
    it->line = line;
    it->x = x;
    it->y = y;
}

static void
add_rule(lay *g, itemvec *items, double x, double y, double w, double h)
{
    oc_item *it = push_item(g->L->arena, items);

    it->kind = OC_ITEM_RULE;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
}

/* A link area; one narrower than half an em (a note reference) is
 * widened about its centre so that it can be hit. */
static void
add_link(lay *g, itemvec *items, const linkspan *sp, double x, double y,
         double w, double h, double size)
{
    oc_item *it = push_item(g->L->arena, items);

    if (w < size / 2) {
        x -= (size / 2 - w) / 2;
        w = size / 2;
    }
    it->kind = OC_ITEM_LINK;
    it->uri = sp->uri;
    it->dest = sp->dest;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
}

/* ---- rows ---- */

/* Append a row, giving it what is pending: space, break rule,
 * destinations, list marker, outline entry. Returns its index. */
static size_t
add_row(flow *f, double height, double baseline)
{
    lay *g = f->g;
    row *r = push_row(g->L->arena, f->out);
    size_t idx = f->out->n - 1;

    r->height = height;
    r->baseline = baseline;
    r->space = f->fresh ? 0 : f->space;
    r->brk = f->brk;
    r->chap = (int)f->chap;
    if (f->keep > 0 && !f->keep_first && r->brk < BRK_KEEP)
        r->brk = BRK_KEEP;
    f->keep_first = false;
    r->outline = f->outline;
    f->fresh = false;
    f->space = 0;
    f->brk = BRK_OK;
    f->outline = -1;
    for (size_t i = 0; i < f->ndests; i++)
        add_dest(g, &r->items, f->dests[i], 0, 0);
    f->ndests = 0;
    if (f->marker != NULL) {
        PangoLayout *pl = text_layout(g, f->marker_style, f->marker, -1);
        PangoRectangle log;

        pango_layout_get_extents(pl, NULL, &log);
        add_text_item(g, &r->items, pango_layout_get_line_readonly(pl, 0),
                      f->marker_rtl ? f->marker_right
                                    : f->marker_right - PT(log.width),
                      baseline > 0 ? baseline : height * 0.75);
        f->marker = NULL;
    }
    return idx;
}

static void
want_space(flow *f, double space)
{
    if (space > f->space)
        f->space = space;
}

static void
want_brk(flow *f, int brk)
{
    if (brk > f->brk)
        f->brk = brk;
}

/* Pending destinations with no row to carry them get an empty one. */
static void
flush_dests(flow *f)
{
    if (f->ndests > 0 || f->marker != NULL)
        add_row(f, f->marker ? f->marker_style->leading : 0, 0);
}

static double
note_gap(lay *g)
{
    return g->s->font_size * 0.25;
}

static void attach_note(lay *g, rowvec *out, size_t ri, size_t ni);

static void
attach_nested(lay *g, rowvec *out, size_t ri, const fnote *nt)
{
    for (size_t k = 0; k < nt->rows.n; k++)
        for (size_t m = 0; m < nt->rows.v[k].nnotes; m++)
            attach_note(g, out, ri, nt->rows.v[k].notes[m]);
}

/* Make body row 'ri' carry note 'ni' (and the notes that note refers to)
 * unless an earlier reference already does. A reference from inside a
 * note is only recorded: it is attached with the note that holds it. */
static void
attach_note(lay *g, rowvec *out, size_t ri, size_t ni)
{
    fnote *nt = g->notes[ni];

    if (out != &g->body) {
        row_add_note(g->L->arena, &out->v[ri], ni);
        return;
    }
    if (nt->attached)
        return;
    nt->attached = true;
    row_add_note(g->L->arena, &out->v[ri], ni);
    attach_nested(g, out, ri, nt);
}

static size_t layout_note(flow *f, xmlNodePtr n);

static void
add_image(lay *g, itemvec *items, const oc_picture *pic, double x, double y,
          double w, double h)
{
    oc_item *it = push_item(g->L->arena, items);

    it->kind = OC_ITEM_IMAGE;
    it->picture = pic;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
}

/* What goes with line 'li' (the last of its layout when 'last') of
 * paragraph 'in' set in 'pl': link areas, destinations, inline images and
 * footnotes, placed in row 'ri' for a layout whose origin is at x0 and
 * whose line's top is at 'top'. */
static void
line_extras(flow *f, size_t ri, PangoLayout *pl, const inl *in,
            const lineinfo *li, bool last, double x0, double top,
            double size)
{
    lay *g = f->g;
    row *r = &f->out->v[ri];
    size_t tlen = in->text->len;
    size_t lo = (size_t)li->start, end = lo + (size_t)li->len;
    size_t hi = last ? tlen + 1 : end;
    double height = li->asc + li->desc;

    for (guint i = 0; i < in->links->len; i++) {
        linkspan *sp = &g_array_index(in->links, linkspan, i);
        size_t a = sp->start > lo ? sp->start : lo;
        size_t b = sp->end < end ? sp->end : end;
        int *ranges = NULL;
        int nr = 0;

        if (a >= b)
            continue;
        pango_layout_line_get_x_ranges(li->line, (int)a, (int)b, &ranges,
                                       &nr);
        for (int j = 0; j < nr; j++)
            add_link(g, &r->items, sp, x0 + PT(ranges[2 * j]), top,
                     PT(ranges[2 * j + 1] - ranges[2 * j]), height, size);
        g_free(ranges);
    }
    for (guint i = 0; i < in->anchors->len; i++) {
        anchor *an = &g_array_index(in->anchors, anchor, i);
        PangoRectangle pos;

        if (an->at < lo || an->at >= hi)
            continue;
        pango_layout_index_to_pos(pl, (int)(an->at < tlen ? an->at : tlen),
                                  &pos);
        add_dest(g, &r->items, an->dest, x0 + PT(pos.x), top);
    }
    for (guint i = 0; i < in->objects->len; i++) {
        object *ob = &g_array_index(in->objects, object, i);
        PangoRectangle pos;
        double x;

        if (ob->at < lo || ob->at >= end)
            continue;
        pango_layout_index_to_pos(pl, (int)ob->at, &pos);
        x = x0 + PT(pos.width < 0 ? pos.x + pos.width : pos.x);
        add_image(g, &r->items, ob->pic, x, top + li->asc - ob->h + ob->desc,
                  ob->w, ob->h);
    }
    for (guint i = 0; i < in->refs->len; i++) {
        ref *rf = &g_array_index(in->refs, ref, i);

        if (rf->at >= lo && rf->at < hi)
            attach_note(g, f->out, ri, layout_note(f, rf->note));
    }
}

/* The continuation mark of a code line that had to be wrapped: a grey
 * hooked arrow (U+21AA, which DejaVu Sans Mono has), made once. */
static PangoLayoutLine *
wrap_mark(lay *g, const bstyle *st, double *width)
{
    if (g->wrap_mark == NULL || fabs(g->wrap_size - st->size) > EPS) {
        bstyle ms = *st;
        PangoLayout *pl;
        PangoAttrList *al = pango_attr_list_new();
        PangoRectangle log;

        ms.rtl = false;
        ms.align = PANGO_ALIGN_LEFT;
        ms.justify = false;
        pl = new_layout(g, &ms, -1);
        pango_layout_set_text(pl, "\u21AA", -1);
        pango_attr_list_insert(al, pango_attr_foreground_new(0x8000, 0x8000,
                                                             0x8000));
        pango_layout_set_attributes(pl, al);
        pango_attr_list_unref(al);
        pango_layout_get_extents(pl, NULL, &log);
        g->wrap_mark = pango_layout_get_line_readonly(pl, 0);
        g->wrap_size = st->size;
        g->wrap_width = PT(log.width);
    }
    *width = g->wrap_width;
    return g->wrap_mark;
}

/* Turn the lines of a paragraph layout into rows: links, anchors,
 * images and footnotes go with the line that holds them; 'keep' ties all
 * lines together (headings), otherwise widows and orphans are avoided.
 * In preformatted text a line that continues a wrapped one is marked in
 * the gutter before it. */
static void
emit_lines(flow *f, PangoLayout *pl, const inl *in, const bstyle *st,
           bool keep)
{
    lay *g = f->g;
    GArray *lines = measure_lines(g, pl, st);
    size_t n = lines->len;

    for (size_t k = 0; k < n; k++) {
        lineinfo *li = &g_array_index(lines, lineinfo, k);
        size_t ri;
        row *r;

        if (k > 0)
            want_brk(f, keep || k < ORPHANS || n - k < WIDOWS ? BRK_KEEP
                                                              : BRK_OK);
        ri = add_row(f, li->asc + li->desc, li->asc);
        r = &f->out->v[ri];
        add_text_item(g, &r->items, li->line, st->left + li->x, li->asc);
        if (in->pre && li->start > 0 &&
            in->text->str[li->start - 1] != '\n') {
            double mw;
            PangoLayoutLine *mark = wrap_mark(g, st, &mw);

            add_text_item(g, &r->items, mark,
                          st->rtl ? g->width - st->right + st->size * 0.3
                                  : st->left - mw - st->size * 0.3,
                          li->asc);
        }
        line_extras(f, ri, pl, in, li, k + 1 == n, st->left, 0, st->size);
    }
    g_array_free(lines, TRUE);
}

/* ---- images ---- */

static oc_picture no_picture;   /* an image that could not be decoded */

typedef struct reader {
    const unsigned char *data;
    size_t               len, pos;
} reader;

static cairo_status_t
read_mem(void *closure, unsigned char *out, unsigned int len)
{
    reader *r = closure;

    if (len > r->len - r->pos)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->pos, len);
    r->pos += len;
    return CAIRO_STATUS_SUCCESS;
}

/* A cairo image of 8-bit RGB or RGBA pixels; cairo wants its alpha
 * premultiplied, in native-endian 32-bit words. */
static cairo_surface_t *
surface_from_pixels(const unsigned char *px, int w, int h, int stride,
                    int channels, bool alpha)
{
    cairo_surface_t *s = cairo_image_surface_create(
        alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
    unsigned char *dst;
    int ds;

    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        return s;
    cairo_surface_flush(s);
    dst = cairo_image_surface_get_data(s);
    ds = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++) {
        const unsigned char *p = px + (size_t)y * (size_t)stride;
        uint32_t *d = (uint32_t *)(void *)(dst + (size_t)y * (size_t)ds);

        for (int x = 0; x < w; x++, p += channels) {
            uint32_t a = alpha && channels == 4 ? p[3] : 255;
            uint32_t r = (p[0] * a + 127) / 255;
            uint32_t gr = (p[1] * a + 127) / 255;
            uint32_t b = (p[2] * a + 127) / 255;

            d[x] = a << 24 | r << 16 | gr << 8 | b;
        }
    }
    cairo_surface_mark_dirty(s);
    return s;
}

static GdkPixbuf *
pixbuf_from(const oc_resource *res, GError **gerr)
{
    GdkPixbufLoader *ld = gdk_pixbuf_loader_new();
    GdkPixbuf *pb = NULL;

    if (gdk_pixbuf_loader_write(ld, (const guchar *)res->data, res->len,
                                gerr) &&
        gdk_pixbuf_loader_close(ld, gerr)) {
        if ((pb = gdk_pixbuf_loader_get_pixbuf(ld)) != NULL)
            g_object_ref(pb);
    } else {
        gdk_pixbuf_loader_close(ld, NULL);
    }
    g_object_unref(ld);
    return pb;
}

/* The number of colour components of a JPEG (from its SOF marker), or
 * 0 if no frame header is found. */
static int
jpeg_components(const unsigned char *p, size_t len)
{
    size_t i = 2;

    while (i + 4 <= len) {
        unsigned m, seg;

        if (p[i] != 0xFF)
            return 0;
        m = p[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) {
            i += 2;
            continue;
        }
        seg = (unsigned)p[i + 2] << 8 | p[i + 3];
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
            return i + 9 < len ? p[i + 9] : 0;
        i += 2 + seg;
    }
    return 0;
}

static cairo_surface_t *
decode_raster(const oc_resource *res, const char **why)
{
    const unsigned char *data = (const unsigned char *)res->data;
    cairo_surface_t *s = NULL;
    GError *gerr = NULL;

    if (strcmp(res->media_type, "image/png") == 0) {
        reader rd = { data, res->len, 0 };

        s = cairo_image_surface_create_from_png_stream(read_mem, &rd);
    } else if (strcmp(res->media_type, "image/webp") == 0) {
        WebPBitstreamFeatures feat;
        int w = 0, h = 0;
        uint8_t *rgba;

        if (WebPGetFeatures(data, res->len, &feat) != VP8_STATUS_OK ||
            (rgba = WebPDecodeRGBA(data, res->len, &w, &h)) == NULL) {
            *why = "not a WebP image libwebp can decode";
            return NULL;
        }
        s = surface_from_pixels(rgba, w, h, w * 4, 4, feat.has_alpha);
        WebPFree(rgba);
    } else {
        GdkPixbuf *pb = pixbuf_from(res, &gerr);
        bool jpeg = strcmp(res->media_type, "image/jpeg") == 0;
        bool turned = false;

        if (pb == NULL) {
            *why = gerr ? "gdk-pixbuf cannot decode it" : "no image in it";
            g_clear_error(&gerr);
            return NULL;
        }
        if (jpeg) {
            const char *o = gdk_pixbuf_get_option(pb, "orientation");

            if (o != NULL && strcmp(o, "1") != 0) {
                GdkPixbuf *t = gdk_pixbuf_apply_embedded_orientation(pb);

                g_object_unref(pb);
                pb = t;
                turned = true;
            }
        }
        if (pb == NULL || gdk_pixbuf_get_bits_per_sample(pb) != 8 ||
            gdk_pixbuf_get_n_channels(pb) < 3) {
            if (pb != NULL)
                g_object_unref(pb);
            *why = "its pixel format is not supported";
            return NULL;
        }
        s = surface_from_pixels(gdk_pixbuf_read_pixels(pb),
                                gdk_pixbuf_get_width(pb),
                                gdk_pixbuf_get_height(pb),
                                gdk_pixbuf_get_rowstride(pb),
                                gdk_pixbuf_get_n_channels(pb),
                                gdk_pixbuf_get_has_alpha(pb));
        g_object_unref(pb);
        /* The PDF carries the JPEG file itself (DCTDecode), not pixels
         * decoded and compressed again: unless EXIF turns it, or its
         * colours are CMYK, whose inverted Adobe form cairo 1.16 cannot
         * describe. The book outlives the layout's surfaces. */
        if (jpeg && !turned &&
            cairo_surface_status(s) == CAIRO_STATUS_SUCCESS &&
            jpeg_components(data, res->len) != 4)
            cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data,
                                        res->len, NULL, NULL);
    }
    if (s != NULL && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        *why = cairo_status_to_string(cairo_surface_status(s));
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

/* Decode image resource 'res' (once; later calls share the result), or
 * return NULL with a warning at the element that shows it. */
static const oc_picture *
decode_picture(flow *f, const oc_resource *res, xmlNodePtr at)
{
    lay *g = f->g;
    oc_picture *pic = g_hash_table_lookup(g->pictures, res->href);
    const char *why = NULL;

    if (pic != NULL)
        return pic == &no_picture ? NULL : pic;
    pic = oc_xcalloc(1, sizeof *pic);
    pic->href = res->href;
    if (strcmp(res->media_type, "image/svg+xml") == 0) {
        GError *gerr = NULL;
        gboolean hw, hh, hv;
        RsvgLength lw, lh;
        RsvgRectangle vb;

        pic->vector = rsvg_handle_new_from_data(
            (const guint8 *)res->data, res->len, &gerr);
        if (pic->vector == NULL) {
            why = "librsvg cannot read it";
            g_clear_error(&gerr);
        } else {
            rsvg_handle_set_dpi(pic->vector, 96);
            if (!rsvg_handle_get_intrinsic_size_in_pixels(
                    pic->vector, &pic->px_width, &pic->px_height)) {
                /* No absolute size: CSS's default object size (300 ×
                 * 150), or 300 wide in the view box's proportions. */
                rsvg_handle_get_intrinsic_dimensions(pic->vector, &hw, &lw,
                                                     &hh, &lh, &hv, &vb);
                pic->px_width = 300;
                pic->px_height = hv && vb.width > 0 && vb.height > 0
                                     ? 300 * vb.height / vb.width : 150;
            }
        }
    } else if ((pic->raster = decode_raster(res, &why)) != NULL) {
        pic->px_width = cairo_image_surface_get_width(pic->raster);
        pic->px_height = cairo_image_surface_get_height(pic->raster);
    }
    if (why == NULL && !(pic->px_width > 0 && pic->px_height > 0))
        why = "it has no size";
    if (why != NULL) {
        oc_warn(g->b->chapters[f->chap].file, (int)xmlGetLineNo(at), 0,
                "image '%s' cannot be shown in the PDF (%s); its text "
                "alternative is set instead", res->href, why);
        if (pic->raster != NULL)
            cairo_surface_destroy(pic->raster);
        if (pic->vector != NULL)
            g_object_unref(pic->vector);
        free(pic);
        g_hash_table_insert(g->pictures, (gpointer)res->href, &no_picture);
        return NULL;
    }
    g_ptr_array_add(g->L->pictures, pic);
    g_hash_table_insert(g->pictures, (gpointer)res->href, pic);
    return pic;
}

static const oc_resource *
image_resource(lay *g, const char *src, size_t len)
{
    const char *href = unescape(g, src, len);

    for (size_t i = 0; i < g->b->nimages; i++)
        if (g->b->images[i].href != NULL &&
            strcmp(g->b->images[i].href, href) == 0)
            return &g->b->images[i];
    return NULL;
}

/* The picture that an <img>, or a <picture> (its WebP source, else its
 * <img>), shows; *img is set to the <img> element, for its alt text and
 * size attributes. NULL when there is none to show. */
static const oc_picture *
picture_of(flow *f, xmlNodePtr n, xmlNodePtr *img)
{
    lay *g = f->g;
    const oc_resource *res = NULL;
    const char *src;

    *img = is(n, "img") ? n : NULL;
    if (is(n, "picture")) {
        for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
            const char *set = is(c, "source") ? attr(g, c, "srcset", NULL)
                                              : NULL;

            if (set != NULL && res == NULL) {
                while (*set == ' ')
                    set++;
                res = image_resource(g, set, strcspn(set, " ,"));
            }
            if (is(c, "img") && *img == NULL)
                *img = c;
        }
    }
    if (res == NULL && *img != NULL &&
        (src = attr(g, *img, "src", NULL)) != NULL)
        res = image_resource(g, src, strlen(src));
    if (res == NULL || res->data == NULL || res->media_type == NULL)
        return NULL;
    return decode_picture(f, res, *img ? *img : n);
}

/* A length attribute in CSS pixels ("120"), or 0. */
static double
px_attr(lay *g, xmlNodePtr n, const char *name)
{
    const char *v = n ? attr(g, n, name, NULL) : NULL;
    char *end;
    double d;

    if (v == NULL)
        return 0;
    d = strtod(v, &end);
    return end != v && (*end == '\0' || strcmp(end, "px") == 0) &&
           d > 0 && d < 1e5 ? d : 0;
}

/* The size of an image in points: its width and height attributes, else
 * its natural size at 96 pixels to the inch (CSS's px), shrunk to fit
 * 'maxw' × 'maxh' keeping its proportions. Never enlarged. */
static void
picture_size(lay *g, const oc_picture *pic, xmlNodePtr img, double maxw,
             double maxh, double *w, double *h)
{
    double aw = px_attr(g, img, "width"), ah = px_attr(g, img, "height");
    double k;

    if (aw > 0 && ah > 0) {
        *w = aw;
        *h = ah;
    } else if (aw > 0) {
        *w = aw;
        *h = aw * pic->px_height / pic->px_width;
    } else if (ah > 0) {
        *h = ah;
        *w = ah * pic->px_width / pic->px_height;
    } else {
        *w = pic->px_width;
        *h = pic->px_height;
    }
    *w *= 0.75;
    *h *= 0.75;
    k = 1;
    if (*w > maxw)
        k = maxw / *w;
    if (*h * k > maxh)
        k = maxh / *h;
    *w *= k;
    *h *= k;
}

/* ---- inline content ---- */

static void
inl_init(inl *in, bool pre)
{
    memset(in, 0, sizeof *in);
    in->text = g_string_new(NULL);
    in->attrs = g_ptr_array_new();
    in->links = g_array_new(FALSE, TRUE, sizeof(linkspan));
    in->refs = g_array_new(FALSE, TRUE, sizeof(ref));
    in->anchors = g_array_new(FALSE, TRUE, sizeof(anchor));
    in->objects = g_array_new(FALSE, TRUE, sizeof(object));
    in->pre = pre;
    in->ws = true;
}

static void
inl_free(inl *in)
{
    g_string_free(in->text, TRUE);
    for (guint i = 0; i < in->attrs->len; i++)
        pango_attribute_destroy(g_ptr_array_index(in->attrs, i));
    g_ptr_array_free(in->attrs, TRUE);
    g_array_free(in->links, TRUE);
    g_array_free(in->refs, TRUE);
    g_array_free(in->anchors, TRUE);
    g_array_free(in->objects, TRUE);
}

/* No line break after the hyphen of a compound ("de-escalation"): text
 * extractors such as pdftotext take a hyphen at the end of a line for a
 * hyphenation and join the halves into a word that is not in the text. */
static void
keep_compounds(const GString *text, PangoAttrList *al)
{
    const char *s = text->str, *end = s + text->len;

    for (const char *p = s; p < end; p++) {
        const char *next = p + 1, *prev;
        PangoAttribute *a;

        if (*p != '-' || p == s || next >= end)
            continue;
        prev = g_utf8_find_prev_char(s, p);
        if (prev == NULL ||
            !g_unichar_isalnum(g_utf8_get_char_validated(prev, p - prev)) ||
            !g_unichar_isalnum(g_utf8_get_char_validated(next, end - next)))
            continue;
        a = pango_attr_allow_breaks_new(FALSE);
        a->start_index = (guint)(p - s);
        a->end_index = (guint)(g_utf8_next_char(next) - s);
        pango_attr_list_insert(al, a);
    }
}

/* Move the attributes into a list for a PangoLayout; 'lang' covers it
 * all. Outer attributes were recorded first and an inner one wins. */
static PangoAttrList *
inl_attrs(inl *in, const char *lang)
{
    PangoAttrList *al = pango_attr_list_new();

    if (lang != NULL)
        pango_attr_list_insert(al, pango_attr_language_new(
                                   pango_language_from_string(lang)));
    for (guint i = 0; i < in->attrs->len; i++)
        pango_attr_list_insert(al, g_ptr_array_index(in->attrs, i));
    g_ptr_array_set_size(in->attrs, 0);
    if (!in->pre)
        keep_compounds(in->text, al);
    return al;
}

static void
trim_space(inl *in)
{
    if (!in->pre && in->text->len > 0 &&
        in->text->str[in->text->len - 1] == ' ')
        g_string_truncate(in->text, in->text->len - 1);
}

static void
add_text(inl *in, const char *s)
{
    for (const char *p = s; *p != '\0'; p++) {
        bool sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';

        if (in->pre) {
            if (*p != '\r')
                g_string_append_c(in->text, *p);
        } else if (sp) {
            if (!in->ws)
                g_string_append_c(in->text, ' ');
            in->ws = true;
        } else {
            g_string_append_c(in->text, *p);
            in->ws = false;
        }
    }
}

/* Text that is not from the document (quotes, labels): no collapsing. */
static void
add_generated(inl *in, const char *s)
{
    g_string_append(in->text, s);
    in->ws = false;
}

static void
line_break(inl *in)
{
    trim_space(in);
    g_string_append_c(in->text, '\n');
    in->ws = true;
    in->br = true;
}

static PangoAttribute *
open_attr(inl *in, PangoAttribute *a)
{
    a->start_index = (guint)in->text->len;
    g_ptr_array_add(in->attrs, a);
    return a;
}

static void
inline_element(flow *f, inl *in, xmlNodePtr n)
{
    lay *g = f->g;
    const char *id = attr(g, n, "id", NULL);
    const char *lang = attr(g, n, "lang", XML_NS);
    PangoAttribute *opened[8];
    size_t nopen = 0;
    size_t link = (size_t)-1;
    bool quote = false;

    if (lang == NULL)
        lang = attr(g, n, "lang", NULL);
    if (id != NULL) {
        anchor an = { in->text->len, dest_name(g, f->chap, id) };

        g_array_append_val(in->anchors, an);
    }
    if (is(n, "br")) {
        if (in->pre)
            add_generated(in, "\n");
        else
            line_break(in);
        return;
    }
    if (is(n, "img") || is(n, "input") || is(n, "picture")) {
        xmlNodePtr img = NULL;
        const oc_picture *pic = is(n, "input") || in->size <= 0
                                    ? NULL : picture_of(f, n, &img);
        const char *alt = img ? attr(g, img, "alt", NULL)
                              : attr(g, n, "alt", NULL);

        if (pic != NULL) {
            /* An image in a line of text is a badge: scaled to the
             * line, its foot a little below the baseline. */
            object ob;
            PangoRectangle r;
            PangoAttribute *a;

            picture_size(g, pic, img, in->width > 0 ? in->width : g->width,
                         in->size * 0.9, &ob.w, &ob.h);
            ob.desc = ob.h * 0.15;
            ob.at = in->text->len;
            ob.pic = pic;
            r.x = 0;
            r.y = -PU(ob.h - ob.desc);
            r.width = PU(ob.w);
            r.height = PU(ob.h);
            a = open_attr(in, pango_attr_shape_new(&r, &r));
            add_generated(in, "\uFFFC");
            a->end_index = (guint)in->text->len;
            g_array_append_val(in->objects, ob);
        } else if (alt != NULL) {
            add_text(in, alt);
        }
        return;
    }
    if (is_block(n) && !in->pre && in->text->len > 0 &&
        in->text->str[in->text->len - 1] != '\n')
        line_break(in);
    if (lang != NULL && *lang != '\0')
        opened[nopen++] = open_attr(in, pango_attr_language_new(
                                        pango_language_from_string(lang)));
    if (is(n, "em") || is(n, "i") || is(n, "cite") || is(n, "dfn") ||
        is(n, "var")) {
        in->italic++;
        opened[nopen++] = open_attr(in, pango_attr_style_new(
            in->italic % 2 ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL));
    } else if (is(n, "strong") || is(n, "b")) {
        opened[nopen++] = open_attr(in, pango_attr_weight_new(
                                        PANGO_WEIGHT_BOLD));
    } else if (is(n, "code") || is(n, "kbd") || is(n, "samp") ||
               is(n, "tt")) {
        if (!in->pre) {
            opened[nopen++] = open_attr(in, pango_attr_family_new(
                                            g->s->mono));
            opened[nopen++] = open_attr(in, pango_attr_scale_new(0.8));
            opened[nopen++] = open_attr(in,
                                        pango_attr_insert_hyphens_new(FALSE));
        }
    } else if (is(n, "del") || is(n, "s") || is(n, "strike")) {
        opened[nopen++] = open_attr(in, pango_attr_strikethrough_new(TRUE));
    } else if (is(n, "ins") || is(n, "u")) {
        opened[nopen++] = open_attr(in, pango_attr_underline_new(
                                        PANGO_UNDERLINE_SINGLE));
    } else if (is(n, "sup")) {
        opened[nopen++] = open_attr(in, pango_attr_baseline_shift_new(
                                        PANGO_BASELINE_SHIFT_SUPERSCRIPT));
        opened[nopen++] = open_attr(in, pango_attr_font_scale_new(
                                        PANGO_FONT_SCALE_SUPERSCRIPT));
    } else if (is(n, "sub")) {
        opened[nopen++] = open_attr(in, pango_attr_baseline_shift_new(
                                        PANGO_BASELINE_SHIFT_SUBSCRIPT));
        opened[nopen++] = open_attr(in, pango_attr_font_scale_new(
                                        PANGO_FONT_SCALE_SUBSCRIPT));
    } else if (is(n, "small")) {
        opened[nopen++] = open_attr(in, pango_attr_scale_new(0.85));
    } else if (is(n, "q")) {
        quote = true;
        add_generated(in, in->quotes++ % 2 ? "\u2018" : "\u201C");
    }
    if (is(n, "a")) {
        const char *href = attr(g, n, "href", NULL);
        linkspan sp;

        /* A note's back link never stands alone on a line. */
        if (is_a(g, n, "backlink") && in->ws && in->text->len > 0 &&
            in->text->str[in->text->len - 1] == ' ') {
            g_string_truncate(in->text, in->text->len - 1);
            add_generated(in, "\u00A0");
            in->ws = true;
        }
        sp.start = in->text->len;
        sp.end = 0;
        sp.uri = sp.dest = NULL;

        if (is_a(g, n, "noteref") && href != NULL && href[0] == '#') {
            const char *target = unescape(g, href + 1, strlen(href + 1));
            xmlNodePtr fn = g_hash_table_lookup(g->ids[f->chap], target);

            if (fn != NULL && is_footnote(f, fn)) {
                ref rf = { in->text->len, fn };

                g_array_append_val(in->refs, rf);
            }
        }
        opened[nopen++] = open_attr(in, pango_attr_insert_hyphens_new(FALSE));
        if (href != NULL && href[0] != '\0' &&
            resolve_href(g, f->chap, n, href, &sp.uri, &sp.dest)) {
            g_array_append_val(in->links, sp);
            link = in->links->len - 1;
        }
    }
    inline_nodes(f, in, n->children, NULL);
    if (quote)
        add_generated(in, --in->quotes % 2 ? "\u2019" : "\u201D");
    if (link != (size_t)-1)
        g_array_index(in->links, linkspan, link).end = in->text->len;
    for (size_t i = 0; i < nopen; i++)
        opened[i]->end_index = (guint)in->text->len;
    if (is(n, "em") || is(n, "i") || is(n, "cite") || is(n, "dfn") ||
        is(n, "var"))
        in->italic--;
    if (is_block(n) && !in->pre && in->text->len > 0 &&
        in->text->str[in->text->len - 1] != '\n')
        line_break(in);
}

static void
inline_nodes(flow *f, inl *in, xmlNodePtr n, xmlNodePtr stop)
{
    for (; n != NULL && n != stop; n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            add_text(in, (const char *)n->content);
            break;
        case XML_ENTITY_REF_NODE: {
            xmlChar *s = xmlNodeGetContent(n);

            if (s != NULL)
                add_text(in, (const char *)s);
            xmlFree(s);
            break;
        }
        case XML_ELEMENT_NODE:
            if (!is_skipped(f->g, n) &&
                !(is_footnote(f, n) && !in->pre))
                inline_element(f, in, n);
            break;
        default:
            break;
        }
    }
}

/* ---- blocks ---- */

/* The <img> or <picture> that is all a run of inline nodes holds (white
 * space aside), or NULL. */
static xmlNodePtr
lone_image(lay *g, xmlNodePtr first, xmlNodePtr stop)
{
    xmlNodePtr found = NULL;

    for (xmlNodePtr n = first; n != NULL && n != stop; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content[strspn((const char *)n->content, " \t\r\n")])
                return NULL;
        } else if (n->type == XML_ELEMENT_NODE && !is_skipped(g, n)) {
            if (found != NULL || !(is(n, "img") || is(n, "picture")))
                return NULL;
            found = n;
        } else if (n->type != XML_COMMENT_NODE && n->type != XML_PI_NODE &&
                   n->type != XML_ELEMENT_NODE) {
            return NULL;
        }
    }
    return found;
}

/* An image on its own: centred in the measure, shrunk to fit it (and the
 * page, leaving room for a caption in a figure), kept whole: if it does
 * not fit on the page it moves to the next. Returns false, having done
 * nothing, when it cannot be shown. */
static bool
flow_image(flow *f, xmlNodePtr n, const bstyle *st)
{
    lay *g = f->g;
    xmlNodePtr img;
    const oc_picture *pic = picture_of(f, n, &img);
    double avail = g->width - st->left - st->right;
    double maxh = g->height - (f->keep > 0 ? 4 * g->s->leading : 0);
    double w, h;
    size_t ri;

    if (pic == NULL)
        return false;
    picture_size(g, pic, img, avail, maxh, &w, &h);
    want_space(f, g->s->leading * 0.5);
    if (attr(g, n, "id", NULL) != NULL)
        pend_dest(f, dest_name(g, f->chap, attr(g, n, "id", NULL)));
    if (img != NULL && img != n && attr(g, img, "id", NULL) != NULL)
        pend_dest(f, dest_name(g, f->chap, attr(g, img, "id", NULL)));
    ri = add_row(f, h, 0);
    add_image(g, &f->out->v[ri].items, pic, st->left + (avail - w) / 2, 0,
              w, h);
    want_space(f, g->s->leading * (f->keep > 0 ? 0.4 : 0.5));
    f->indent = false;
    return true;
}

/* Lay out the inline nodes [first, stop) of a block as one paragraph. */
static void
emit_para(flow *f, xmlNodePtr first, xmlNodePtr stop, const bstyle *st,
          bool heading)
{
    lay *g = f->g;
    double width = g->width - st->left - st->right;
    inl in;
    PangoLayout *pl;
    PangoAttrList *al;
    xmlNodePtr img;

    if (!heading && f->prefix == NULL &&
        (img = lone_image(g, first, stop)) != NULL && flow_image(f, img, st))
        return;
    inl_init(&in, false);
    in.size = st->size;
    in.width = width;
    if (f->prefix != NULL) {
        add_generated(&in, f->prefix);
        f->prefix = NULL;
    }
    inline_nodes(f, &in, first, stop);
    trim_space(&in);
    while (in.text->len > 0 && in.text->str[in.text->len - 1] == '\n')
        g_string_truncate(in.text, in.text->len - 1);
    if (in.text->len == 0) {
        for (guint i = 0; i < in.anchors->len; i++)
            pend_dest(f, g_array_index(in.anchors, anchor, i).dest);
        inl_free(&in);
        return;
    }
    pl = new_layout(g, st, width);
    if (f->indent && !in.br && !heading)
        pango_layout_set_indent(pl, PU(st->indent));
    pango_layout_set_text(pl, in.text->str, (int)in.text->len);
    al = inl_attrs(&in, st->lang);
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    emit_lines(f, pl, &in, st, heading);
    inl_free(&in);
    f->indent = st->indent > 0;
}

/* Add an outline entry; returns its index. */
static int
new_outline(lay *g, int level, const char *title, const char *dest)
{
    oc_outline_entry *e;

    if (g->noutline == g->capoutline) {
        size_t cap = g->capoutline ? g->capoutline * 2 : 16;

        g->outline = oc_arena_grow(g->L->arena, g->outline, g->noutline,
                                   cap, sizeof *g->outline);
        g->capoutline = cap;
    }
    e = &g->outline[g->noutline];
    e->level = level;
    e->title = oc_arena_strdup(g->L->arena, title);
    e->dest = dest;
    return (int)g->noutline++;
}

static void
flow_heading(flow *f, xmlNodePtr n, const bstyle *parent, int level)
{
    static const double size[] = { 20, 14, 11, 11, 10.5, 10.5 };
    static const double before[] = { 2.0, 1.4, 1.0, 0.8, 0.8, 0.8 };
    static const double after[] = { 2.0, 0.5, 0.3, 0.2, 0.2, 0.2 };
    lay *g = f->g;
    bstyle st = *parent;
    double body = g->s->font_size / 11.0;
    double lead = g->s->leading;
    const char *dest;
    GString *title = g_string_new(NULL);
    const char *id = attr(g, n, "id", NULL);

    st.size = size[level - 1] * body;
    st.leading = level == 1 ? st.size * 1.2 : st.size * 1.25;
    if (st.leading < lead && level > 2)
        st.leading = lead;
    st.slant = level >= 3 ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL;
    st.weight = PANGO_WEIGHT_NORMAL;
    st.align = level == 1 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
    st.justify = false;
    want_space(f, before[level - 1] * lead);
    plain_text(g, n->children, title);
    while (title->len > 0 && title->str[title->len - 1] == ' ')
        g_string_truncate(title, title->len - 1);
    if (id != NULL) {
        dest = dest_name(g, f->chap, id);
    } else {
        dest = oc_arena_printf(g->L->arena, "c%zu-_h%zu", f->chap + 1,
                               g->noutline + 1);
        pend_dest(f, dest);
    }
    f->outline = new_outline(g, level, title->str, dest);
    g_string_free(title, TRUE);
    emit_para(f, n->children, NULL, &st, true);
    flush_dests(f);
    if (f->outline >= 0)        /* an empty heading: nothing to open */
        f->outline = -1;
    want_space(f, after[level - 1] * lead);
    want_brk(f, BRK_KEEP);
    f->indent = false;
}

static const char *
roman(lay *g, long v, bool upper)
{
    static const char *const sym[] = {
        "m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"
    };
    static const long val[] = {
        1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1
    };
    char buf[64] = "";
    size_t len = 0;

    if (v <= 0 || v >= 4000)
        return oc_arena_printf(g->L->arena, "%ld", v);
    for (size_t i = 0; i < sizeof val / sizeof val[0]; i++)
        while (v >= val[i]) {
            for (const char *p = sym[i]; *p; p++)
                buf[len++] = upper ? (char)(*p - 'a' + 'A') : *p;
            v -= val[i];
        }
    buf[len] = '\0';
    return oc_arena_strdup(g->L->arena, buf);
}

/* Indent a block on the side its lines start from. */
static void
indent_start(bstyle *st, double d)
{
    if (st->rtl)
        st->right += d;
    else
        st->left += d;
}

/* A list marker hangs before the item's start side. */
static void
set_marker_place(flow *f, const bstyle *item)
{
    double gap = f->g->s->font_size * 0.5;

    f->marker_rtl = item->rtl;
    f->marker_right = item->rtl ? f->g->width - item->right + gap
                                : item->left - gap;
}

static const char *
marker_text(lay *g, bool ordered, const char *type, long v, int depth)
{
    static const char *const bullets[] = { "\u2022", "\u2013", "\u25E6" };
    char buf[32];

    if (!ordered)
        return bullets[(depth - 1) % 3];
    if (type != NULL && (type[0] == 'a' || type[0] == 'A') && v > 0) {
        size_t len = 0;
        char rev[16];

        for (long x = v; x > 0 && len < sizeof rev; x = (x - 1) / 26)
            rev[len++] = (char)((type[0] == 'a' ? 'a' : 'A') + (x - 1) % 26);
        for (size_t i = 0; i < len; i++)
            buf[i] = rev[len - 1 - i];
        buf[len] = '\0';
        return oc_arena_printf(g->L->arena, "%s.", buf);
    }
    if (type != NULL && (type[0] == 'i' || type[0] == 'I'))
        return oc_arena_printf(g->L->arena, "%s.",
                               roman(g, v, type[0] == 'I'));
    return oc_arena_printf(g->L->arena, "%ld.", v);
}

static void
flow_list(flow *f, xmlNodePtr n, const bstyle *parent, bool ordered)
{
    lay *g = f->g;
    bstyle st = *parent;
    const char *type = attr(g, n, "type", NULL);
    const char *start = attr(g, n, "start", NULL);
    bool reversed = attr(g, n, "reversed", NULL) != NULL;
    long v = 1;

    if (reversed) {
        v = 0;
        for (xmlNodePtr c = n->children; c != NULL; c = c->next)
            v += is(c, "li");
    }
    if (start != NULL)
        v = strtol(start, NULL, 10);
    st.list_depth++;
    indent_start(&st, g->s->font_size * 1.6);
    if (parent->list_depth == 0)
        want_space(f, g->s->leading * 0.5);
    for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
        const char *value;

        if (c->type != XML_ELEMENT_NODE || is_skipped(g, c))
            continue;
        if (!is(c, "li")) {
            flow_block(f, c, &st);
            continue;
        }
        if ((value = attr(g, c, "value", NULL)) != NULL)
            v = strtol(value, NULL, 10);
        if (attr(g, c, "id", NULL) != NULL)
            pend_dest(f, dest_name(g, f->chap, attr(g, c, "id", NULL)));
        f->marker = marker_text(g, ordered, type, v, st.list_depth);
        set_marker_place(f, &st);
        f->marker_style = parent;
        f->indent = false;
        flow_children(f, c, &st);
        flush_dests(f);
        v += reversed ? -1 : 1;
    }
    if (parent->list_depth == 0)
        want_space(f, g->s->leading * 0.5);
    f->indent = false;
}

static void
flow_pre(flow *f, xmlNodePtr n, const bstyle *parent)
{
    lay *g = f->g;
    bstyle st = *parent;
    inl in;
    PangoLayout *pl;
    PangoAttrList *al;
    PangoAttribute *nohyph;

    st.family = g->s->mono;
    st.size = g->s->font_size * 0.78;
    st.leading = g->s->leading * 0.8;
    st.slant = PANGO_STYLE_NORMAL;
    st.weight = PANGO_WEIGHT_NORMAL;
    st.align = PANGO_ALIGN_LEFT;
    st.justify = false;
    indent_start(&st, g->s->font_size);
    inl_init(&in, true);
    in.size = st.size;
    in.width = g->width - st.left - st.right;
    nohyph = open_attr(&in, pango_attr_insert_hyphens_new(FALSE));
    inline_nodes(f, &in, n->children, NULL);
    nohyph->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
    while (in.text->len > 0 && in.text->str[in.text->len - 1] == '\n')
        g_string_truncate(in.text, in.text->len - 1);
    want_space(f, g->s->leading * 0.5);
    if (in.text->len == 0) {
        for (guint i = 0; i < in.anchors->len; i++)
            pend_dest(f, g_array_index(in.anchors, anchor, i).dest);
        inl_free(&in);
        return;
    }
    pl = new_layout(g, &st, g->width - st.left - st.right);
    pango_layout_set_text(pl, in.text->str, (int)in.text->len);
    al = inl_attrs(&in, st.lang);
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    emit_lines(f, pl, &in, &st, false);
    inl_free(&in);
    want_space(f, g->s->leading * 0.5);
    f->indent = false;
}

static void
flow_break(flow *f, const bstyle *parent)
{
    lay *g = f->g;
    bstyle st = *parent;
    PangoLayout *pl;
    PangoAttrList *al = pango_attr_list_new();
    GArray *lines;
    lineinfo *li;
    size_t ri;

    st.align = PANGO_ALIGN_CENTER;
    st.justify = false;
    st.slant = PANGO_STYLE_NORMAL;
    st.weight = PANGO_WEIGHT_NORMAL;
    pl = text_layout(g, &st, "* * *", g->width - st.left - st.right);
    pango_attr_list_insert(al, pango_attr_letter_spacing_new(
                               PU(st.size * 0.2)));
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    lines = measure_lines(g, pl, &st);
    li = &g_array_index(lines, lineinfo, 0);
    want_space(f, g->s->leading * 0.5);
    ri = add_row(f, li->asc + li->desc, li->asc);
    add_text_item(g, &f->out->v[ri].items, li->line, st.left + li->x,
                  li->asc);
    g_array_free(lines, TRUE);
    want_space(f, g->s->leading * 0.5);
    want_brk(f, BRK_KEEP);
    f->indent = false;
}

/* ---- tables ---- */

typedef struct cell {
    xmlNodePtr  node;
    int         col, span;
    bool        head;
    inl         in;
    PangoLayout *pl;
    GArray      *lines;
    double      height;
} cell;

static PangoAlignment
cell_align(lay *g, xmlNodePtr n)
{
    const char *a = attr(g, n, "align", NULL);
    const char *style = attr(g, n, "style", NULL);

    if (a == NULL && style != NULL && (a = strstr(style, "text-align")))
        a = strchr(a, ':') ? strchr(a, ':') + 1 : NULL;
    while (a != NULL && *a == ' ')
        a++;
    if (a != NULL && strncmp(a, "center", 6) == 0)
        return PANGO_ALIGN_CENTER;
    if (a != NULL && strncmp(a, "right", 5) == 0)
        return PANGO_ALIGN_RIGHT;
    return PANGO_ALIGN_LEFT;
}

/* Width of the widest line of 'in' set in 'st' at 'width' (-1: no wrap). */
static double
natural_width(lay *g, inl *in, const bstyle *st, double width)
{
    PangoLayout *pl = pango_layout_new(g->L->context);
    PangoFontDescription *d = font_of(st);
    PangoAttrList *al = pango_attr_list_new();
    PangoRectangle log;

    pango_layout_set_font_description(pl, d);
    pango_font_description_free(d);
    pango_layout_set_width(pl, width > 0 ? PU(width) : -1);
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD);
    pango_layout_set_text(pl, in->text->str, (int)in->text->len);
    for (guint i = 0; i < in->attrs->len; i++)
        pango_attr_list_insert(al, pango_attribute_copy(
                                   g_ptr_array_index(in->attrs, i)));
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    pango_layout_get_extents(pl, NULL, &log);
    g_object_unref(pl);
    return PT(log.width);
}

static void
table_rows(lay *g, xmlNodePtr n, GPtrArray *trs, GArray *heads, bool head)
{
    for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_skipped(g, c))
            continue;
        if (is(c, "tr")) {
            g_ptr_array_add(trs, c);
            g_array_append_val(heads, head);
        } else if (is(c, "thead")) {
            table_rows(g, c, trs, heads, true);
        } else if (is(c, "tbody") || is(c, "tfoot")) {
            table_rows(g, c, trs, heads, false);
        }
    }
}

static void
flow_table(flow *f, xmlNodePtr n, const bstyle *parent)
{
    lay *g = f->g;
    bstyle st = *parent, hst;
    GPtrArray *trs = g_ptr_array_new();
    GArray *heads = g_array_new(FALSE, TRUE, sizeof(bool));
    GArray *cells = g_array_new(FALSE, TRUE, sizeof(cell));
    double pad = g->s->font_size * 0.4, vpad = g->s->font_size * 0.25;
    double avail = g->width - st.left - st.right;
    double *nat, *min, *w, snat = 0, smin = 0, total = 0, x0;
    double rule = 0.5;
    int ncols = 0;
    size_t c0 = 0, lasthead = (size_t)-1, head0 = 0, nhead = 0;

    st.size = g->s->font_size * 0.88;
    st.leading = g->s->leading * 0.86;
    st.justify = false;
    st.indent = 0;
    hst = st;
    hst.weight = PANGO_WEIGHT_BOLD;
    want_space(f, g->s->leading * 0.6);
    f->indent = false;
    for (xmlNodePtr c = n->children; c != NULL; c = c->next)
        if (is(c, "caption")) {
            bstyle cs = st;

            cs.slant = PANGO_STYLE_ITALIC;
            cs.align = PANGO_ALIGN_CENTER;
            emit_para(f, c->children, NULL, &cs, true);
            want_brk(f, BRK_KEEP);
            want_space(f, vpad);
        }
    table_rows(g, n, trs, heads, false);
    for (guint r = 0; r < trs->len; r++) {
        int col = 0;
        bool head = g_array_index(heads, bool, r);

        for (xmlNodePtr c = ((xmlNodePtr)g_ptr_array_index(trs, r))->children;
             c != NULL; c = c->next) {
            cell ce;
            const char *span;

            if (!is(c, "td") && !is(c, "th"))
                continue;
            memset(&ce, 0, sizeof ce);
            ce.node = c;
            ce.col = col;
            ce.span = 1;
            if ((span = attr(g, c, "colspan", NULL)) != NULL &&
                atoi(span) > 1 && atoi(span) < 1000)
                ce.span = atoi(span);
            ce.head = head || is(c, "th");
            inl_init(&ce.in, false);
            ce.in.size = st.size;
            ce.in.width = avail / 2;
            inline_nodes(f, &ce.in, c->children, NULL);
            trim_space(&ce.in);
            while (ce.in.text->len > 0 &&
                   ce.in.text->str[ce.in.text->len - 1] == '\n')
                g_string_truncate(ce.in.text, ce.in.text->len - 1);
            col += ce.span;
            g_array_append_val(cells, ce);
        }
        if (col > ncols)
            ncols = col;
    }
    if (ncols == 0)
        goto out;
    nat = oc_arena_alloc(g->L->arena, 3 * (size_t)ncols * sizeof(double));
    min = nat + ncols;
    w = min + ncols;
    for (guint i = 0; i < cells->len; i++) {
        cell *ce = &g_array_index(cells, cell, i);
        const bstyle *cs = ce->head ? &hst : &st;
        double nw = natural_width(g, &ce->in, cs, -1) + 2 * pad;
        double mw = natural_width(g, &ce->in, cs, 1) + 2 * pad;

        if (ce->span == 1) {
            if (nw > nat[ce->col])
                nat[ce->col] = nw;
            if (mw > min[ce->col])
                min[ce->col] = mw;
        }
    }
    for (int c = 0; c < ncols; c++) {
        if (nat[c] < 2 * pad + st.size)
            nat[c] = 2 * pad + st.size;
        if (min[c] > nat[c])
            min[c] = nat[c];
        snat += nat[c];
        smin += min[c];
    }
    /* Natural widths when they fit. Otherwise a column whose natural width
     * is within its fair share keeps it, and the rest is shared among the
     * others from their minimums up, in proportion to what they lack (CSS
     * 2.1 §17.5.2.2 leaves the method open). */
    if (snat <= avail) {
        for (int c = 0; c < ncols; c++)
            w[c] = nat[c];
    } else if (smin <= avail) {
        double rest = avail, want = 0, need = 0;
        bool changed = true;

        for (int c = 0; c < ncols; c++)
            w[c] = -1;
        while (changed) {
            int left = 0;

            changed = false;
            for (int c = 0; c < ncols; c++)
                left += w[c] < 0;
            for (int c = 0; c < ncols && left > 0; c++)
                if (w[c] < 0 && nat[c] <= rest / left) {
                    w[c] = nat[c];
                    rest -= nat[c];
                    changed = true;
                    break;
                }
        }
        for (int c = 0; c < ncols; c++)
            if (w[c] < 0) {
                want += nat[c] - min[c];
                need += min[c];
            }
        if (rest < need) {      /* the fair shares starve the others */
            rest = avail;
            want = snat - smin;
            need = smin;
            for (int c = 0; c < ncols; c++)
                w[c] = -1;
        }
        for (int c = 0; c < ncols; c++)
            if (w[c] < 0)
                w[c] = min[c] + (rest - need) * (nat[c] - min[c]) /
                                (want > EPS ? want : 1);
    } else {
        for (int c = 0; c < ncols; c++)
            w[c] = avail * min[c] / smin;
    }
    for (int c = 0; c < ncols; c++)
        total += w[c];
    x0 = st.left + (avail - total) / 2;
    for (guint i = 0; i < cells->len; i++) {
        cell *ce = &g_array_index(cells, cell, i);
        bstyle cs = ce->head ? hst : st;
        double cw = 0;
        PangoAttrList *al;

        for (int c = ce->col; c < ce->col + ce->span && c < ncols; c++)
            cw += w[c];
        cs.align = cell_align(g, ce->node);
        ce->pl = new_layout(g, &cs, cw - 2 * pad);
        pango_layout_set_text(ce->pl, ce->in.text->str,
                              (int)ce->in.text->len);
        al = inl_attrs(&ce->in, cs.lang);
        /* Figures of one width, so that columns of numbers align. */
        pango_attr_list_insert(al, pango_attr_font_features_new("tnum"));
        pango_layout_set_attributes(ce->pl, al);
        pango_attr_list_unref(al);
        ce->lines = measure_lines(g, ce->pl, &cs);
        for (guint k = 0; k < ce->lines->len; k++) {
            lineinfo *li = &g_array_index(ce->lines, lineinfo, k);

            ce->height += li->asc + li->desc;
        }
    }
    for (guint r = 0; r < trs->len; r++)
        if (g_array_index(heads, bool, r))
            lasthead = r;
    /* The head rows that open the table come again at the top of every
     * page the table continues on. */
    while (nhead < trs->len && nhead + 1 < trs->len &&
           g_array_index(heads, bool, nhead))
        nhead++;
    for (guint r = 0; r < trs->len; r++) {
        double h = 0, base = 0;
        size_t c1 = c0, ri;
        row *rw;

        while (c1 < cells->len &&
               g_array_index(cells, cell, c1).node->parent ==
                   g_ptr_array_index(trs, r))
            c1++;
        for (size_t i = c0; i < c1; i++) {
            cell *ce = &g_array_index(cells, cell, i);

            if (ce->height > h)
                h = ce->height;
            if (ce->lines->len > 0 && base == 0)
                base = vpad + g_array_index(ce->lines, lineinfo, 0).asc;
        }
        h += 2 * vpad;
        /* A page break leaves at least two body rows of the table on
         * either side of it, never a head without them. */
        if (r > 0 && (r <= lasthead + 2 || r <= 2 || r + 2 >= trs->len ||
                      g_array_index(heads, bool, r)))
            want_brk(f, BRK_KEEP);
        if (attr(g, g_ptr_array_index(trs, r), "id", NULL) != NULL)
            pend_dest(f, dest_name(g, f->chap,
                                   attr(g, g_ptr_array_index(trs, r), "id",
                                        NULL)));
        ri = add_row(f, h, base);
        rw = &f->out->v[ri];
        if (r == 0)
            head0 = ri;
        if (r >= nhead && nhead > 0 && f->out == &g->body) {
            rw->head = head0;
            rw->nhead = nhead;
        }
        if (r == 0)
            add_rule(g, &rw->items, x0, 0, total, rule);
        if (r == lasthead)
            add_rule(g, &rw->items, x0, h - rule / 2, total, rule / 2);
        if (r + 1 == trs->len)
            add_rule(g, &rw->items, x0, h - rule, total, rule);
        for (size_t i = c0; i < c1; i++) {
            cell *ce = &g_array_index(cells, cell, i);
            double cx = x0 + pad, y = vpad, cs_size = st.size;

            for (int c = 0; c < ce->col && c < ncols; c++)
                cx += w[c];
            for (guint k = 0; k < ce->lines->len; k++) {
                lineinfo *li = &g_array_index(ce->lines, lineinfo, k);

                rw = &f->out->v[ri];
                add_text_item(g, &rw->items, li->line, cx + li->x,
                              y + li->asc);
                line_extras(f, ri, ce->pl, &ce->in, li,
                            k + 1 == ce->lines->len, cx, y, cs_size);
                y += li->asc + li->desc;
            }
        }
        c0 = c1;
    }
    want_space(f, g->s->leading * 0.6);
    f->indent = false;
out:
    for (guint i = 0; i < cells->len; i++) {
        cell *ce = &g_array_index(cells, cell, i);

        if (ce->lines != NULL)
            g_array_free(ce->lines, TRUE);
        inl_free(&ce->in);
    }
    g_array_free(cells, TRUE);
    g_array_free(heads, TRUE);
    g_ptr_array_free(trs, TRUE);
}

/* ---- footnotes ---- */

static bstyle
note_style(lay *g)
{
    bstyle st;

    memset(&st, 0, sizeof st);
    st.family = g->s->serif;
    st.size = g->s->font_size * 0.8;
    st.leading = g->s->leading * 0.78;
    st.slant = PANGO_STYLE_NORMAL;
    st.weight = PANGO_WEIGHT_NORMAL;
    st.align = PANGO_ALIGN_LEFT;
    st.justify = true;
    st.indent = st.size;
    st.lang = g->b->chapters[0].language;
    return st;
}

/* Lay out footnote element 'n' (once) into its own rows; returns its
 * index in g->notes. Its first paragraph opens with the reference's
 * label. */
static size_t
layout_note(flow *f, xmlNodePtr n)
{
    lay *g = f->g;
    gpointer found = g_hash_table_lookup(g->note_of, n);
    const char *id = attr(g, n, "id", NULL);
    const char *label = g_hash_table_lookup(g->labels[f->chap], id);
    bool digits = label != NULL && *label != '\0' &&
                  strspn(label, "0123456789") == strlen(label);
    flow sub;
    bstyle st = note_style(g);
    fnote *nt;
    size_t idx;

    if (found != NULL)
        return (size_t)GPOINTER_TO_SIZE(found) - 1;
    if (g->nnotes == g->capnotes) {
        size_t cap = g->capnotes ? g->capnotes * 2 : 16;

        g->notes = oc_arena_grow(g->L->arena, g->notes, g->nnotes, cap,
                                 sizeof *g->notes);
        g->capnotes = cap;
    }
    idx = g->nnotes++;
    nt = g->notes[idx] = oc_arena_alloc(g->L->arena, sizeof *nt);
    g_hash_table_insert(g->note_of, n, GSIZE_TO_POINTER(idx + 1));
    st.lang = g->b->chapters[f->chap].language;
    st.rtl = chapter_rtl(g, g->b->chapters[f->chap].doc);
    memset(&sub, 0, sizeof sub);
    sub.g = g;
    sub.chap = f->chap;
    sub.out = &nt->rows;
    sub.fresh = true;
    sub.outline = -1;
    sub.prefix = label == NULL ? NULL
                 : oc_arena_printf(g->L->arena, "%s%s ", label,
                                   digits ? "." : "");
    pend_dest(&sub, dest_name(g, f->chap, id));
    flow_children(&sub, n, &st);
    flush_dests(&sub);
    for (size_t k = 0; k < nt->rows.n; k++)
        nt->height += (k > 0 ? nt->rows.v[k].space : 0) +
                      nt->rows.v[k].height;
    return idx;
}

/* ---- the block flow ---- */

static void
flow_children(flow *f, xmlNodePtr parent, const bstyle *st)
{
    xmlNodePtr run = NULL;

    for (xmlNodePtr n = parent->children; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && is_skipped(f->g, n))
            continue;
        if (n->type == XML_ELEMENT_NODE && (is_block(n) ||
                                            is_footnote(f, n))) {
            if (run != NULL)
                emit_para(f, run, n, st, false);
            run = NULL;
            flow_block(f, n, st);
        } else if (run == NULL && (n->type == XML_ELEMENT_NODE ||
                                   n->type == XML_TEXT_NODE ||
                                   n->type == XML_CDATA_SECTION_NODE ||
                                   n->type == XML_ENTITY_REF_NODE)) {
            run = n;
        }
    }
    if (run != NULL)
        emit_para(f, run, NULL, st, false);
}

static void
flow_block(flow *f, xmlNodePtr n, const bstyle *parent)
{
    lay *g = f->g;
    bstyle st = *parent;
    const char *id = attr(g, n, "id", NULL);
    const char *lang = attr(g, n, "lang", XML_NS);
    const char *dir;
    int level = heading_level(n);

    if (is_footnote(f, n))
        return;                 /* set at the foot of its reference's page */
    if (lang == NULL)
        lang = attr(g, n, "lang", NULL);
    if (lang != NULL && *lang != '\0')
        st.lang = lang;
    if ((dir = attr(g, n, "dir", NULL)) != NULL &&
        (strcmp(dir, "rtl") == 0 || strcmp(dir, "ltr") == 0))
        st.rtl = dir[0] == 'r';
    if (id != NULL && !is(n, "li"))
        pend_dest(f, dest_name(g, f->chap, id));
    if (level > 0) {
        flow_heading(f, n, &st, level);
    } else if (is(n, "p")) {
        flow_children(f, n, &st);
    } else if (is(n, "blockquote")) {
        st.left += g->s->font_size * 1.5;
        st.right += g->s->font_size * 1.5;
        st.size = parent->size * 0.92;
        st.leading = parent->leading * 0.92;
        want_space(f, g->s->leading * 0.5);
        f->indent = false;
        flow_children(f, n, &st);
        want_space(f, g->s->leading * 0.5);
        f->indent = false;
    } else if (is(n, "ul") || is(n, "menu")) {
        flow_list(f, n, &st, false);
    } else if (is(n, "ol")) {
        flow_list(f, n, &st, true);
    } else if (is(n, "li")) {
        bstyle ls = st;

        f->marker = marker_text(g, false, NULL, 0, st.list_depth + 1);
        f->marker_style = parent;
        indent_start(&ls, g->s->font_size * 1.6);
        set_marker_place(f, &ls);
        if (id != NULL)
            pend_dest(f, dest_name(g, f->chap, id));
        flow_children(f, n, &ls);
        flush_dests(f);
    } else if (is(n, "pre")) {
        flow_pre(f, n, &st);
    } else if (is(n, "table")) {
        flow_table(f, n, &st);
    } else if (is(n, "hr")) {
        flow_break(f, &st);
    } else if (is(n, "dt")) {
        st.slant = PANGO_STYLE_ITALIC;
        st.justify = false;
        f->indent = false;
        flow_children(f, n, &st);
        want_brk(f, BRK_KEEP);
        f->indent = false;
    } else if (is(n, "dd")) {
        indent_start(&st, g->s->font_size * 1.6);
        f->indent = false;
        flow_children(f, n, &st);
        f->indent = false;
    } else if (is(n, "figcaption") || is(n, "caption")) {
        st.slant = PANGO_STYLE_ITALIC;
        st.align = PANGO_ALIGN_CENTER;
        st.justify = false;
        st.size = parent->size * 0.9;
        f->indent = false;
        flow_children(f, n, &st);
        f->indent = false;
    } else if (is(n, "figure") || is(n, "aside") || is(n, "dl")) {
        bool keep = is(n, "figure");

        if (is_a(g, n, "footnote") || is_a(g, n, "endnote")) {
            bstyle ns = note_style(g);

            st.size = ns.size;
            st.leading = ns.leading;
        }
        /* A figure stands a line apart from the text and stays whole. */
        want_space(f, g->s->leading * (keep ? 1.0 : 0.5));
        f->indent = false;
        if (keep && f->keep++ == 0)
            f->keep_first = true;
        flow_children(f, n, &st);
        if (keep)
            f->keep--;
        want_space(f, g->s->leading * (keep ? 1.0 : 0.5));
        f->indent = false;
    } else {
        flow_children(f, n, &st);
    }
}

/* The base direction a chapter's document gives (dir on <html> or
 * <body>): right to left or not. */
static bool
chapter_rtl(lay *g, xmlDocPtr doc)
{
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNodePtr body = body_of(doc);
    const char *dir = body ? attr(g, body, "dir", NULL) : NULL;

    if (dir == NULL && root != NULL)
        dir = attr(g, root, "dir", NULL);
    return dir != NULL && strcmp(dir, "rtl") == 0;
}

/* Lay out chapter 'chap' into the body rows: it opens a recto, its title
 * sunk a few lines down. */
static void
flow_chapter(lay *g, size_t chap)
{
    const oc_chapter *ch = &g->b->chapters[chap];
    xmlNodePtr body = body_of(ch->doc);
    flow f;
    bstyle st;
    size_t sink, first = g->noutline;

    memset(&f, 0, sizeof f);
    f.g = g;
    f.chap = chap;
    f.out = &g->body;
    f.outline = -1;
    memset(&st, 0, sizeof st);
    st.family = g->s->serif;
    st.size = g->s->font_size;
    st.leading = g->s->leading;
    st.slant = PANGO_STYLE_NORMAL;
    st.weight = PANGO_WEIGHT_NORMAL;
    st.align = PANGO_ALIGN_LEFT;
    st.justify = true;
    st.indent = g->s->font_size * 1.2;
    st.lang = ch->language ? ch->language : g->s->language;
    st.rtl = chapter_rtl(g, ch->doc);
    pend_dest(&f, dest_name(g, chap, NULL));
    f.brk = BRK_RECTO;
    sink = add_row(&f, g->s->leading * SINK_LINES, 0);
    f.fresh = true;
    want_brk(&f, BRK_KEEP);
    if (body != NULL)
        flow_children(&f, body, &st);
    flush_dests(&f);
    if (g->body.n == sink + 1) {        /* nothing to show: no page */
        g->body.v[sink].height = 0;
        g->body.v[sink].brk = BRK_OK;
    } else if (g->noutline == first && ch->title != NULL) {
        /* A chapter without headings is listed under its title. */
        g->body.v[sink].outline = new_outline(g, 1, ch->title,
                                              dest_name(g, chap, NULL));
    }
}

/* ---- pages ---- */

static oc_page *
new_page(lay *g, pagevec *pv)
{
    oc_page *p;

    if (pv->n == pv->cap) {
        size_t cap = pv->cap ? pv->cap * 2 : 32;

        pv->v = oc_arena_grow(g->L->arena, pv->v, pv->n, cap,
                              sizeof *pv->v);
        pv->cap = cap;
    }
    p = &pv->v[pv->n++];
    memset(p, 0, sizeof *p);
    p->number = (int)pv->n;
    p->recto = p->number % 2 == 1;
    p->chapter = -1;
    if (++g->npages > g->max_pages)
        g->too_many = true;
    return p;
}

static double
page_left(lay *g, const oc_page *p)
{
    return p->recto ? g->s->inner : g->s->outer;
}

/* Copy a row's items onto a page; a repeated row leaves its named
 * destinations behind (they are on the page it first appeared on). */
static void
place_row(lay *g, itemvec *items, const row *r, double left, double top,
          bool again)
{
    for (size_t i = 0; i < r->items.n; i++) {
        oc_item *it;

        if (again && r->items.v[i].kind == OC_ITEM_DEST)
            continue;
        it = push_item(g->L->arena, items);
        *it = r->items.v[i];
        it->x += left;
        it->y += top;
    }
}

static double
notes_height(lay *g, const row *r, bool *any)
{
    double h = 0;

    for (size_t i = 0; i < r->nnotes; i++) {
        h += g->notes[r->notes[i]]->height + (*any ? note_gap(g) : 0);
        *any = true;
    }
    return h;
}

/* The height of the first lines of a note, which should not be parted
 * from its reference. */
static double
note_head(lay *g, const fnote *nt)
{
    double h = 0;

    (void)g;
    for (size_t k = 0; k < nt->rows.n && k < ORPHANS; k++)
        h += (k > 0 ? nt->rows.v[k].space : 0) + nt->rows.v[k].height;
    return h;
}

typedef struct noteline {
    const row *r;
    double     space;
} noteline;

/* The head rows of a table that row 'i' continues on a new page, and
 * their height. */
static double
head_rows(const rowvec *rows, size_t i, size_t *first, size_t *n)
{
    const row *r = &rows->v[i];
    double h = 0;

    *first = r->head;
    *n = r->nhead;
    if (*n == 0 || r->head + r->nhead > i) {
        *n = 0;
        return 0;
    }
    for (size_t k = 0; k < *n; k++)
        h += rows->v[*first + k].height;
    return h;
}

/* Cut 'rows' into pages appended to 'pv'. Each page takes rows first-fit;
 * when the next row (with the footnotes it brings) overflows, the page
 * ends at the last break the rules allow. A row that must open a recto
 * gets a blank verso before it when needed. Footnotes go to the foot of
 * the page of their reference; one too long for that page continues on
 * the next. A table that goes on to a new page has its head rows set
 * again at the top. Stops when the book has too many pages. */
static void
paginate(lay *g, const rowvec *body, pagevec *pv)
{
    double H = g->height;
    double sep = g->s->leading * 0.8;   /* from text to the notes' top */
    GArray *carry = g_array_new(FALSE, TRUE, sizeof(noteline));
    size_t i = 0;
    int chap = -1;

    while ((i < body->n || carry->len > 0) && !g->too_many) {
        oc_page *p;
        itemvec items = { NULL, 0, 0 };
        GArray *nl;
        double y = 0, nh = 0, left, top = g->s->top;
        double room, ny, stretch, hh = 0;
        bool any = false;
        bool only_notes = carry->len > 0 && i < body->n &&
                          body->v[i].brk >= BRK_PAGE;
        size_t j, end, k, h0 = 0, nhr = 0;

        if (!only_notes && carry->len == 0 && body->v[i].brk == BRK_RECTO &&
            pv->n % 2 == 1) {
            p = new_page(g, pv);        /* a blank verso */
            p->blank = true;
            p->chapter = chap;
            continue;
        }
        p = new_page(g, pv);
        left = page_left(g, p);
        nl = g_array_new(FALSE, TRUE, sizeof(noteline));
        if (i < body->n && !only_notes) {
            p->opening = body->v[i].brk >= BRK_PAGE || i == 0;
            chap = body->v[i].chap;
            hh = head_rows(body, i, &h0, &nhr);
        }
        p->chapter = chap;
        for (k = 0; k < carry->len; k++)
            nh += g_array_index(carry, noteline, k).space +
                  g_array_index(carry, noteline, k).r->height;
        if (carry->len > 0) {
            nh += sep;
            any = true;
        }
        end = only_notes ? i : body->n;
        y = hh;
        for (j = i; j < end; j++) {
            const row *r = &body->v[j];
            bool had = any;
            double add = (j > i ? r->space : 0) + r->height;
            double nadd = notes_height(g, r, &any);

            if (!had && any)
                nadd += sep;
            if (j > i && r->brk >= BRK_PAGE) {
                end = j;
                break;
            }
            if (j > i && y + add + nh + nadd > H + EPS) {
                /* The row fits but not all of its notes: it stays, with
                 * the start of its first note, and ends the page. */
                if (r->nnotes > 0 &&
                    y + add + nh + (had ? note_gap(g) : sep) +
                        note_head(g, g->notes[r->notes[0]]) <= H + EPS &&
                    (j + 1 == body->n || body->v[j + 1].brk != BRK_KEEP)) {
                    end = j + 1;
                    break;
                }
                end = j;
                for (size_t b = j; b > i; b--)
                    if (body->v[b].brk == BRK_OK) {
                        end = b;
                        break;
                    }
                break;
            }
            y += add;
            nh += nadd;
        }
        /* Body rows. A page that ends before a page break the rules chose
         * (not at a chapter's end) has the space it has left shared among
         * the spaces between its blocks, each at most doubled, so that
         * facing pages end level. */
        stretch = 0;
        if (end < body->n && body->v[end].brk < BRK_PAGE) {
            double spaces = 0, used = hh;
            bool some = carry->len > 0;

            for (k = 0; k < carry->len; k++)
                used += g_array_index(carry, noteline, k).space +
                        g_array_index(carry, noteline, k).r->height;
            if (some)
                used += sep;
            for (j = i; j < end; j++) {
                bool had = some;

                used += (j > i ? body->v[j].space : 0) + body->v[j].height;
                used += notes_height(g, &body->v[j], &some);
                if (!had && some)
                    used += sep;
                spaces += j > i ? body->v[j].space : 0;
            }
            if (spaces > EPS && H - used > EPS)
                stretch = H - used < spaces ? (H - used) / spaces : 1;
        }
        y = 0;
        for (k = 0; k < nhr; k++) {
            place_row(g, &items, &body->v[h0 + k], left, top + y, true);
            y += body->v[h0 + k].height;
        }
        for (j = i; j < end; j++) {
            const row *r = &body->v[j];

            if (j > i)
                y += r->space * (1 + stretch);
            place_row(g, &items, r, left, top + y, false);
            if (r->outline >= 0)
                g->outline[r->outline].page = p->number;
            y += r->height;
        }
        /* Footnote lines: what was carried over, then this page's. */
        g_array_append_vals(nl, carry->data, carry->len);
        g_array_set_size(carry, 0);
        for (j = i; j < end; j++)
            for (k = 0; k < body->v[j].nnotes; k++) {
                const fnote *nt = g->notes[body->v[j].notes[k]];

                for (size_t m = 0; m < nt->rows.n; m++) {
                    noteline ln = { &nt->rows.v[m],
                                    m > 0 ? nt->rows.v[m].space
                                          : nl->len > 0 ? note_gap(g) : 0 };

                    g_array_append_val(nl, ln);
                }
            }
        room = H - y - sep;
        nh = 0;
        for (k = 0; k < nl->len; k++) {
            noteline *ln = &g_array_index(nl, noteline, k);

            if (nh + ln->space + ln->r->height > room + EPS &&
                (k > 0 || end > i))
                break;
            nh += ln->space + ln->r->height;
        }
        if (k + 1 == nl->len && k >= 2) {   /* no note line alone */
            k--;
            nh -= g_array_index(nl, noteline, k).space +
                  g_array_index(nl, noteline, k).r->height;
        }
        if (k < nl->len) {
            g_array_append_vals(carry, &g_array_index(nl, noteline, k),
                                (guint)(nl->len - k));
            g_array_index(carry, noteline, 0).space = 0;
            g_array_set_size(nl, (guint)k);
        }
        if (nl->len > 0) {
            ny = top + H - nh;
            add_rule(g, &items, left, ny - sep * 0.5, g->width * 0.3, 0.4);
            for (k = 0; k < nl->len; k++) {
                noteline *ln = &g_array_index(nl, noteline, k);

                ny += k > 0 ? ln->space : 0;
                place_row(g, &items, ln->r, left, ny, false);
                ny += ln->r->height;
            }
        }
        p = &pv->v[pv->n - 1];
        p->items = items.v;
        p->nitems = items.n;
        g_array_free(nl, TRUE);
        i = end;
    }
    g_array_free(carry, TRUE);
}

/* ---- front matter ---- */

static bstyle
plain_style(lay *g, double size, double leading)
{
    bstyle st;

    memset(&st, 0, sizeof st);
    st.family = g->s->serif;
    st.size = size;
    st.leading = leading;
    st.slant = PANGO_STYLE_NORMAL;
    st.weight = PANGO_WEIGHT_NORMAL;
    st.align = PANGO_ALIGN_LEFT;
    st.lang = g->s->language;
    return st;
}

/* Centre 'text' in 'st' on the page at 'y' (the top of its first line);
 * returns the y below it. */
static double
centred(lay *g, itemvec *items, const oc_page *p, const bstyle *st,
        const char *text, double y)
{
    PangoLayout *pl = text_layout(g, st, text, g->width);
    GArray *lines = measure_lines(g, pl, st);

    for (guint k = 0; k < lines->len; k++) {
        lineinfo *li = &g_array_index(lines, lineinfo, k);

        add_text_item(g, items, li->line, page_left(g, p) + li->x,
                      y + li->asc);
        y += li->asc + li->desc;
    }
    g_array_free(lines, TRUE);
    return y;
}

/* The title page (recto) and the imprint on its verso. */
static void
title_pages(lay *g)
{
    const oc_manifest *m = g->b->m;
    oc_page *p = new_page(g, &g->front);
    itemvec items = { NULL, 0, 0 };
    bstyle st = plain_style(g, 0, 0);
    double y, fs = g->s->font_size / 11.0;
    GString *s;

    st.align = PANGO_ALIGN_CENTER;
    /* The title page: title, subtitle, authors, and the publisher at the
     * foot of the text block. */
    y = g->s->top + g->height * 0.22;
    st.size = 24 * fs;
    st.leading = 30 * fs;
    y = centred(g, &items, p, &st, m->title ? m->title : "", y);
    if (m->subtitle != NULL) {
        st.size = 14 * fs;
        st.leading = 18 * fs;
        st.slant = PANGO_STYLE_ITALIC;
        y = centred(g, &items, p, &st, m->subtitle, y + 10 * fs);
        st.slant = PANGO_STYLE_NORMAL;
    }
    y += 48 * fs;
    st.size = 13 * fs;
    st.leading = 18 * fs;
    for (size_t i = 0; i < m->nauthors; i++)
        y = centred(g, &items, p, &st, m->authors[i].name, y);
    if (m->publisher != NULL) {
        st.size = 10 * fs;
        st.leading = 13 * fs;
        centred(g, &items, p, &st, m->publisher,
                g->s->top + g->height - st.leading);
    }
    p = &g->front.v[g->front.n - 1];
    p->items = items.v;
    p->nitems = items.n;

    /* The imprint, on the verso, set at the foot of the text block. */
    p = new_page(g, &g->front);
    memset(&items, 0, sizeof items);
    s = g_string_new(NULL);
    if (m->rights != NULL)
        g_string_append_printf(s, "%s\n", m->rights);
    if (m->publisher != NULL)
        g_string_append_printf(s, "Published by %s\n", m->publisher);
    if (m->date != NULL)
        g_string_append_printf(s, "%s\n", m->date);
    if (m->identifier != NULL && m->identifier_scheme != NULL &&
        strcmp(m->identifier_scheme, "isbn") == 0)
        g_string_append_printf(s, "ISBN %s\n",
                               strncmp(m->identifier, "urn:isbn:", 9) == 0
                                   ? m->identifier + 9 : m->identifier);
    if (s->len > 0) {
        PangoLayout *pl;
        GArray *lines;
        double h = 0;

        g_string_truncate(s, s->len - 1);
        st.size = g->s->font_size * 0.8;
        st.leading = g->s->leading * 0.8;
        st.align = PANGO_ALIGN_LEFT;
        pl = text_layout(g, &st, s->str, g->width);
        lines = measure_lines(g, pl, &st);
        for (guint k = 0; k < lines->len; k++)
            h += g_array_index(lines, lineinfo, k).asc +
                 g_array_index(lines, lineinfo, k).desc;
        y = g->s->top + g->height - h;
        for (guint k = 0; k < lines->len; k++) {
            lineinfo *li = &g_array_index(lines, lineinfo, k);

            add_text_item(g, &items, li->line, page_left(g, p) + li->x,
                          y + li->asc);
            y += li->asc + li->desc;
        }
        g_array_free(lines, TRUE);
    }
    g_string_free(s, TRUE);
    p = &g->front.v[g->front.n - 1];
    p->items = items.v;
    p->nitems = items.n;
}

/* Rows for the lines of 'text' in 'st', kept together. */
static void
text_rows(flow *f, const bstyle *st, const char *text)
{
    lay *g = f->g;
    PangoLayout *pl = text_layout(g, st, text, g->width);
    GArray *lines = measure_lines(g, pl, st);

    for (guint k = 0; k < lines->len; k++) {
        lineinfo *li = &g_array_index(lines, lineinfo, k);
        size_t ri;

        if (k > 0)
            want_brk(f, BRK_KEEP);
        ri = add_row(f, li->asc + li->desc, li->asc);
        add_text_item(g, &f->out->v[ri].items, li->line, li->x, li->asc);
    }
    g_array_free(lines, TRUE);
}

static bool
in_toc(lay *g, const oc_outline_entry *e)
{
    return e->level <= g->L->toc_depth && e->title[0] != '\0' &&
           e->page > 0;
}

/* A folio of the contents, in figures of one width. */
static PangoLayout *
folio_layout(lay *g, const bstyle *st, const char *num)
{
    PangoLayout *pl = new_layout(g, st, -1);
    PangoAttrList *al = pango_attr_list_new();

    pango_layout_set_text(pl, num, -1);
    pango_attr_list_insert(al, pango_attr_language_new(
                               pango_language_from_string(st->lang)));
    pango_attr_list_insert(al, pango_attr_font_features_new("tnum"));
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    return pl;
}

/* The level of the entry of the contents after outline entry 'i', or 0
 * when it is the last. */
static int
next_toc_level(lay *g, size_t i)
{
    while (++i < g->noutline)
        if (in_toc(g, &g->outline[i]))
            return g->outline[i].level;
    return 0;
}

/* The contents: the headings to toc-depth, indented by rank, each with a
 * dot leader to its folio and a link to it. Set as rows, after the body
 * was paginated, so that every folio is known. Leader dots stand on one
 * grid, counted from the folio column, so that they line up down the
 * page. */
static void
toc_rows(lay *g, rowvec *rows)
{
    double em = g->s->font_size, fs = em / 11.0;
    double W = g->width, numw = 0, pitch = em * 0.5, dotw;
    bstyle st = plain_style(g, em, g->s->leading), hs;
    PangoLayout *pl;
    PangoRectangle log;
    PangoLayoutLine *dot;
    flow f;
    int prev = 0;

    memset(&f, 0, sizeof f);
    f.g = g;
    f.out = rows;
    f.outline = -1;
    pend_dest(&f, "toc");
    f.brk = BRK_RECTO;
    add_row(&f, g->s->leading * SINK_LINES, 0);
    f.fresh = true;
    want_brk(&f, BRK_KEEP);
    hs = st;
    hs.size = 20 * fs;
    hs.leading = hs.size * 1.2;
    hs.align = PANGO_ALIGN_CENTER;
    text_rows(&f, &hs, "Contents");
    want_space(&f, 2.0 * g->s->leading);
    want_brk(&f, BRK_KEEP);

    for (size_t i = 0; i < g->noutline; i++) {
        const char *num;

        if (!in_toc(g, &g->outline[i]))
            continue;
        num = oc_arena_printf(g->L->arena, "%d", g->outline[i].page);
        pl = folio_layout(g, &st, num);
        pango_layout_get_extents(pl, NULL, &log);
        if (PT(log.width) > numw)
            numw = PT(log.width);
    }
    pl = text_layout(g, &st, ".", -1);
    pango_layout_get_extents(pl, NULL, &log);
    dot = pango_layout_get_line_readonly(pl, 0);
    dotw = PT(log.width);

    for (size_t i = 0; i < g->noutline; i++) {
        const oc_outline_entry *e = &g->outline[i];
        double indent = (e->level - 1) * em * 1.5, hang = em;
        double right = W - numw - em * 0.6;     /* the leaders' end */
        linkspan sp = { 0, 0, NULL, e->dest };
        bstyle es = st;
        const char *num;
        GArray *lines;
        PangoLayout *tl;

        if (!in_toc(g, e))
            continue;
        if (e->level >= 3)
            es.slant = PANGO_STYLE_ITALIC;
        if (e->level == 1 && prev > 0)
            want_space(&f, g->s->leading * 0.5);
        /* A part stays with its first entry, and its last entry with
         * the one before. */
        if (prev > 0 && (e->level > prev ||
                         (e->level > 1 && next_toc_level(g, i) < e->level)))
            want_brk(&f, BRK_KEEP);
        prev = e->level;
        tl = new_layout(g, &es, right - indent - em);
        pango_layout_set_wrap(tl, PANGO_WRAP_WORD);
        pango_layout_set_indent(tl, -PU(hang));
        pango_layout_set_text(tl, e->title, -1);
        {
            PangoAttrList *al = pango_attr_list_new();

            pango_attr_list_insert(al, pango_attr_language_new(
                                       pango_language_from_string(es.lang)));
            pango_layout_set_attributes(tl, al);
            pango_attr_list_unref(al);
        }
        lines = measure_lines(g, tl, &es);
        num = oc_arena_printf(g->L->arena, "%d", e->page);
        for (guint k = 0; k < lines->len; k++) {
            lineinfo *li = &g_array_index(lines, lineinfo, k);
            double h = li->asc + li->desc;
            size_t ri;
            row *r;

            if (k > 0)
                want_brk(&f, BRK_KEEP);
            ri = add_row(&f, h, li->asc);
            r = &rows->v[ri];
            add_text_item(g, &r->items, li->line, indent + li->x, li->asc);
            add_link(g, &r->items, &sp, indent, 0, W - indent, h, em);
            if (k + 1 == lines->len) {
                PangoLayout *nl = folio_layout(g, &st, num);
                PangoRectangle ll;
                double end, x;

                pango_layout_line_get_extents(li->line, NULL, &ll);
                end = indent + li->x + PT(ll.width) + em * 0.5;
                for (x = right - pitch; x >= end; x -= pitch)
                    add_text_item(g, &r->items, dot,
                                  x + (pitch - dotw) / 2, li->asc);
                pango_layout_get_extents(nl, NULL, &ll);
                add_text_item(g, &r->items,
                              pango_layout_get_line_readonly(nl, 0),
                              W - PT(ll.width), li->asc);
            }
        }
        g_array_free(lines, TRUE);
    }
    flush_dests(&f);
}

/* ---- running heads and folios ---- */

/* A line of 'text' in 'st' fitted into 'width' (an ellipsis ends what is
 * too long); *w gets its width. */
static PangoLayoutLine *
head_line(lay *g, const bstyle *st, const char *text, double width,
          bool caps, double *w)
{
    PangoLayout *pl = new_layout(g, st, -1);
    PangoAttrList *al = pango_attr_list_new();
    PangoRectangle log;

    pango_layout_set_text(pl, text, -1);
    pango_attr_list_insert(al, pango_attr_language_new(
                               pango_language_from_string(st->lang)));
    if (caps) {
        pango_attr_list_insert(al, pango_attr_variant_new(
                                   PANGO_VARIANT_ALL_SMALL_CAPS));
        pango_attr_list_insert(al, pango_attr_letter_spacing_new(
                                   PU(st->size * 0.05)));
    }
    pango_layout_set_attributes(pl, al);
    pango_attr_list_unref(al);
    pango_layout_get_extents(pl, NULL, &log);
    if (PT(log.width) > width) {
        pango_layout_set_width(pl, PU(width));
        pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
        pango_layout_get_extents(pl, NULL, &log);
    }
    *w = PT(log.width);
    return pango_layout_get_line_readonly(pl, 0);
}

/* The running head and the folio of a page that continues a chapter (or
 * the contents): the head in letter-spaced small capitals centred over
 * the text block, the folio at its outer corner, both on one baseline a
 * line above the text. Opening pages have their folio centred at the
 * foot; the title page, the imprint and blank pages show none. */
static void
decorate(lay *g, oc_page *p, size_t index)
{
    itemvec items = { p->items, p->nitems, p->nitems };
    bstyle st = plain_style(g, g->s->font_size, g->s->leading);
    double left = page_left(g, p), w, hw;
    PangoLayoutLine *line;

    if (p->blank || index < 2)
        return;
    if (p->opening) {
        st.size = g->s->font_size * 0.9;
        line = head_line(g, &st, p->label, g->width, false, &w);
        add_text_item(g, &items, line, left + (g->width - w) / 2,
                      g->s->top + g->height + g->s->leading * 2);
    } else {
        const char *head = "Contents";
        double base = g->s->top - g->s->leading;

        if (p->chapter >= 0 && !p->recto)
            head = g->b->m->title;
        else if (p->chapter >= 0)
            head = g->b->chapters[p->chapter].title
                       ? g->b->chapters[p->chapter].title
                       : g->b->m->title;
        line = head_line(g, &st, p->label, g->width, false, &w);
        add_text_item(g, &items, line, p->recto ? left + g->width - w : left,
                      base);
        line = head_line(g, &st, head ? head : "",
                         g->width - 2 * (w + g->s->font_size * 2), true,
                         &hw);
        add_text_item(g, &items, line, left + (g->width - hw) / 2, base);
    }
    p->items = items.v;
    p->nitems = items.n;
}

/* The front matter and the body as one document: pages numbered through,
 * labelled i, ii, ... then 1, 2, ...; outline entries pointed at their
 * pages; the contents' own entry first in the outline. */
static void
assemble(lay *g, bool toc)
{
    oc_layout *L = g->L;
    size_t nf = g->front.n, n = nf + g->pages.n;
    size_t extra = toc ? 1 : 0;

    L->pages = oc_arena_alloc(L->arena, (n ? n : 1) * sizeof *L->pages);
    L->npages = n;
    L->nfront = nf;
    for (size_t i = 0; i < n; i++) {
        oc_page *p = &L->pages[i];

        *p = i < nf ? g->front.v[i] : g->pages.v[i - nf];
        p->number = (int)i + 1;
        p->recto = p->number % 2 == 1;
        if (i < nf) {
            p->chapter = -1;
            p->label = roman(g, (long)i + 1, false);
        } else {
            p->label = oc_arena_printf(L->arena, "%zu", i - nf + 1);
        }
        decorate(g, p, i);
    }
    L->outline = oc_arena_alloc(L->arena, (g->noutline + extra) *
                                          sizeof *L->outline + 1);
    L->noutline = g->noutline + extra;
    if (toc) {
        L->outline[0].level = 1;
        L->outline[0].title = "Contents";
        L->outline[0].dest = "toc";
        L->outline[0].page = 3;
    }
    for (size_t i = 0; i < g->noutline; i++) {
        L->outline[extra + i] = g->outline[i];
        if (g->outline[i].page > 0)
            L->outline[extra + i].page += (int)nf;
    }
}

/* Drop links to destinations that no page holds, so that the PDF never
 * names a missing one. */
static void
check_links(lay *g)
{
    for (size_t i = 0; i < g->L->npages; i++) {
        oc_page *p = &g->L->pages[i];
        size_t o = 0;

        for (size_t k = 0; k < p->nitems; k++) {
            oc_item *it = &p->items[k];

            if (it->kind == OC_ITEM_LINK && it->dest != NULL &&
                !g_hash_table_contains(g->dests, it->dest))
                continue;
            p->items[o++] = *it;
        }
        p->nitems = o;
    }
}

/* ---- the public interface ---- */

void
oc_layout_default_setup(oc_page_setup *s)
{
    memset(s, 0, sizeof *s);
    s->width = 419.53;          /* A5: 148 × 210 mm */
    s->height = 595.28;
    s->inner = 54;
    s->outer = 45;
    s->top = 54;
    s->bottom = 63;
    s->font_size = 11;
    s->leading = 14.3;
    s->serif = "EB Garamond 12,EB Garamond,DejaVu Serif,serif";
    s->mono = "DejaVu Sans Mono,monospace";
    s->language = "en";
}

/* Fontconfig ranks language coverage above weight, so a bold face that
 * covers fewer languages than the regular one (EB Garamond 12 Bold) loses
 * to the regular one emboldened by outline. For bold, an empty language
 * set leaves the languages out of the ranking; characters the bold face
 * lacks still fall back, one by one. */
static void
prefer_true_bold(FcPattern *p, gpointer data)
{
    int weight;
    FcLangSet *none;

    (void)data;
    if (FcPatternGetInteger(p, FC_WEIGHT, 0, &weight) != FcResultMatch ||
        weight < FC_WEIGHT_DEMIBOLD)
        return;
    none = FcLangSetCreate();
    FcPatternDel(p, FC_LANG);
    FcPatternAddLangSet(p, FC_LANG, none);
    FcLangSetDestroy(none);
}

static void
font_ratios(PangoContext *ctx, const char *family, const char *lang,
            double *asc, double *desc)
{
    PangoFontDescription *d = pango_font_description_new();
    PangoFontMetrics *fm;

    pango_font_description_set_family(d, family);
    pango_font_description_set_absolute_size(d, 100 * PANGO_SCALE);
    fm = pango_context_get_metrics(ctx, d, pango_language_from_string(lang));
    *asc = PT(pango_font_metrics_get_ascent(fm)) / 100;
    *desc = PT(pango_font_metrics_get_descent(fm)) / 100;
    pango_font_metrics_unref(fm);
    pango_font_description_free(d);
}

/* The manifest's fonts join the system's in a fontconfig configuration
 * of the layout's own, so that Pango finds them by family name without
 * touching the process's default configuration. */
static bool
add_book_fonts(PangoFontMap *fm, const oc_book *b)
{
    FcConfig *cfg;

    if (b->nfonts == 0 || !PANGO_IS_FC_FONT_MAP(fm))
        return false;
    cfg = FcInitLoadConfigAndFonts();
    if (cfg == NULL)
        return false;
    for (size_t i = 0; i < b->nfonts; i++)
        if (b->fonts[i].src != NULL &&
            !FcConfigAppFontAddFile(cfg, (const FcChar8 *)b->fonts[i].src))
            oc_warn(b->m ? b->m->file : NULL, 0, 0,
                    "font '%s' could not be added for the PDF",
                    b->fonts[i].src);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), cfg);
    FcConfigDestroy(cfg);       /* the font map holds its own reference */
    return true;
}

static PangoContext *
new_context(PangoFontMap *fm, const char *lang, PangoDirection dir)
{
    PangoContext *ctx = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = cairo_font_options_create();

    pango_cairo_context_set_resolution(ctx, 72.0);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_context_set_language(ctx, pango_language_from_string(lang));
    pango_context_set_base_dir(ctx, dir);
    return ctx;
}

oc_status
oc_layout_book(const oc_book *b, const oc_page_setup *setup,
               oc_layout **out, oc_error *err)
{
    oc_layout *L = oc_xcalloc(1, sizeof *L);
    PangoFontDescription *d;
    PangoFont *font;
    lay g;
    rowvec toc = { NULL, 0, 0 };
    bool has_toc = false;
    oc_status st = OC_OK;

    if (setup != NULL)
        L->setup = *setup;
    else
        oc_layout_default_setup(&L->setup);
    if (L->setup.language == NULL)
        L->setup.language = b->m && b->m->language ? b->m->language : "en";
    if (b->m != NULL && b->m->language != NULL)
        L->setup.language = b->m->language;
    if (L->setup.max_pages <= 0)
        L->setup.max_pages = OC_LAYOUT_MAX_PAGES;
    L->toc_depth = b->m && b->m->toc_depth > 0 ? b->m->toc_depth : 2;
    L->arena = oc_arena_new();
    L->layouts = g_ptr_array_new_with_free_func(g_object_unref);
    L->pictures = g_ptr_array_new();
    /* A font map of our own, at 72 dpi so that a Pango point is a PDF
     * point, and outlines unhinted so that measures do not depend on the
     * device the pages are painted on. */
    L->fontmap = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(L->fontmap),
                                        72.0);
    L->own_config = add_book_fonts(L->fontmap, b);
    if (PANGO_IS_FC_FONT_MAP(L->fontmap))
        pango_fc_font_map_set_default_substitute(
            PANGO_FC_FONT_MAP(L->fontmap), prefer_true_bold, NULL, NULL);
    L->context = new_context(L->fontmap, L->setup.language,
                             PANGO_DIRECTION_LTR);
    L->rtl_context = new_context(L->fontmap, L->setup.language,
                                 PANGO_DIRECTION_RTL);

    d = pango_font_description_new();
    pango_font_description_set_family(d, L->setup.serif);
    pango_font_description_set_absolute_size(d, L->setup.font_size *
                                                PANGO_SCALE);
    font = pango_context_load_font(L->context, d);
    pango_font_description_free(d);
    if (font == NULL) {
        st = oc_error_set(err, OC_ERR_LIB, b->m ? b->m->file : NULL, 0, 0,
                          "no font found for '%s'", L->setup.serif);
        oc_layout_free(L);
        return st;
    }
    d = pango_font_describe(font);
    if (setup == NULL && strstr(pango_font_description_get_family(d),
                                "Garamond") == NULL) {
        /* The fallback, DejaVu Serif, is much larger on the body. */
        L->setup.font_size = 9.5;
        L->setup.leading = 13.3;
    }
    pango_font_description_free(d);
    g_object_unref(font);

    memset(&g, 0, sizeof g);
    g.L = L;
    g.b = b;
    g.s = &L->setup;
    g.max_pages = (size_t)L->setup.max_pages;
    g.width = L->setup.width - L->setup.inner - L->setup.outer;
    /* A whole number of body lines fills the text block. */
    g.height = floor((L->setup.height - L->setup.top - L->setup.bottom) /
                     L->setup.leading + EPS) * L->setup.leading;
    font_ratios(L->context, L->setup.serif, L->setup.language,
                &g.serif_asc, &g.serif_desc);
    font_ratios(L->context, L->setup.mono, L->setup.language,
                &g.mono_asc, &g.mono_desc);
    g.ids = oc_arena_alloc(L->arena, (b->nchapters + 1) * sizeof *g.ids);
    g.labels = oc_arena_alloc(L->arena,
                              (b->nchapters + 1) * sizeof *g.labels);
    g.dests = g_hash_table_new(g_str_hash, g_str_equal);
    g.note_of = g_hash_table_new(g_direct_hash, g_direct_equal);
    g.pictures = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < b->nchapters; i++) {
        g.ids[i] = g_hash_table_new(g_str_hash, g_str_equal);
        g.labels[i] = g_hash_table_new(g_str_hash, g_str_equal);
        index_chapter(&g, i, body_of(b->chapters[i].doc));
    }
    for (size_t i = 0; i < b->nchapters; i++)
        flow_chapter(&g, i);

    /* The body first, so that the contents know its folios; then the
     * front matter, an even number of pages, so that the body opens on a
     * recto whatever the length of the contents. */
    paginate(&g, &g.body, &g.pages);
    title_pages(&g);
    for (size_t i = 0; i < g.noutline && !has_toc; i++)
        has_toc = in_toc(&g, &g.outline[i]);
    if (has_toc) {
        toc_rows(&g, &toc);
        paginate(&g, &toc, &g.front);
    }
    if (g.front.n % 2 == 1)
        new_page(&g, &g.front)->blank = true;
    if (g.too_many) {
        st = oc_error_set(err, OC_ERR_INVALID, b->m ? b->m->file : NULL, 0,
                          0, "the book would need more than %d pages, "
                          "the limit for a PDF", L->setup.max_pages);
    } else {
        assemble(&g, has_toc);
        check_links(&g);
    }

    for (size_t i = 0; i < b->nchapters; i++) {
        g_hash_table_destroy(g.ids[i]);
        g_hash_table_destroy(g.labels[i]);
    }
    g_hash_table_destroy(g.dests);
    g_hash_table_destroy(g.note_of);
    g_hash_table_destroy(g.pictures);
    if (st != OC_OK) {
        oc_layout_free(L);
        return st;
    }
    *out = L;
    return st;
}

void
oc_layout_free(oc_layout *l)
{
    if (l == NULL)
        return;
    if (l->layouts != NULL)
        g_ptr_array_free(l->layouts, TRUE);
    for (guint i = 0; l->pictures != NULL && i < l->pictures->len; i++) {
        oc_picture *pic = g_ptr_array_index(l->pictures, i);

        if (pic->raster != NULL)
            cairo_surface_destroy(pic->raster);
        if (pic->vector != NULL)
            g_object_unref(pic->vector);
        free(pic);
    }
    if (l->pictures != NULL)
        g_ptr_array_free(l->pictures, TRUE);
    if (l->context != NULL)
        g_object_unref(l->context);
    if (l->rtl_context != NULL)
        g_object_unref(l->rtl_context);
    /* Pango 1.50 keeps the reference set_config took when the font map
     * is finalised; giving the map no configuration releases it. */
    if (l->own_config)
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(l->fontmap), NULL);
    if (l->fontmap != NULL)
        g_object_unref(l->fontmap);
    oc_arena_free(l->arena);
    free(l);
}
