/* layout.c - XHTML chapters → rows of Pango lines → pages of positioned
 * items. Blocks are flattened into one vertical list of rows (a line of a
 * paragraph, a table row, an image, a spacer); pages are cut from it
 * first-fit, at the last break the widow, orphan and keep rules allow,
 * with each page's footnotes set at its foot. The body is paginated first,
 * so that the contents know every folio; the front matter (title page,
 * imprint, contents) is then set before it, numbered apart in roman
 * numerals, so that its length moves no body folio. Running heads and
 * folios are added last. Paragraphs are set by total fit, hyphenated,
 * with hanging punctuation and font expansion (paragraph.h); where a
 * widow or an orphan would cost a page a line, a paragraph on it is set
 * again with a line more or fewer. Preformatted text and table cells are
 * still broken by Pango.
 *
 * Every style comes from the CSS cascade (css.h): the user-agent rules,
 * octavo's styles/print.css, then the book's stylesheets. Each element's
 * computed style is asked for on the way down the DOM; block boxes, their
 * margins (adjoining vertical margins collapse, as in CSS 2.1 §8.3.1),
 * breaks, widows and orphans become rows, inline styles Pango attributes,
 * and @page rules give the page box and its margin boxes (running heads,
 * folios). The front matter, which the EPUB has as title-page.xhtml,
 * colophon.xhtml and nav.xhtml, is styled through the same elements. */
#include "layout.h"

#include <assert.h>
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

#include "css.h"
#include "buf.h"
#include "error.h"
#include "fontlock.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define OPS_NS   "http://www.idpf.org/2007/ops"
#define XML_NS   "http://www.w3.org/XML/1998/namespace"

#define ORPHANS 2               /* lines of a footnote kept with its
                                   reference */
#define PU(x)   ((int)lround((x) * PANGO_SCALE))    /* points → Pango */
#define PT(x)   ((double)(x) / PANGO_SCALE)         /* Pango → points */
#define EPS     0.01

/* May a page break come before a row: yes, no, it must, it must and the
 * row opens a recto, or a verso. */
enum { BRK_OK, BRK_KEEP, BRK_PAGE, BRK_RECTO, BRK_VERSO };

/* The elements of the front matter whose styles set it (front_doc()). */
enum {
    FM_HTML, FM_TITLE, FM_SUBTITLE, FM_AUTHOR, FM_CONTRIBUTOR, FM_PUBLISHER,
    FM_COLOPHON,
    FM_TOC_TITLE, FM_TOC_ENTRY, FM_P, FM_PRE, FM_COUNT
};

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
    oc_named_string *strings;   /* string-set by the elements it opens */
    size_t   nstrings;
    struct pararec *para;       /* the paragraph it is line 'pline' of */
    int      pline;
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
    oc_css              *css;       /* the cascade of every stylesheet */
    GHashTable          *styles;    /* element → its const oc_style * */
    GHashTable          *families;  /* CSS font-family → Pango family */
    xmlDocPtr            front_doc; /* the front matter as elements */
    xmlNodePtr           fm[FM_COUNT];
    const oc_style      *root;      /* the pages inherit from it */
    oc_list_style        folios[2]; /* of the front matter, the body */
    oc_page_sink         sink;      /* given each page once it is final */
    bool                 sink_ended; /* and then NULL, once */
    void                *sink_data;
    size_t               done;      /* body pages final so far */
    GHashTable          *cur;       /* string-set values, to that page */
    GPtrArray           *pending;   /* destinations linked to before they
                                       could be made */
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
    const char    *lang;
    bool           rtl;             /* right-to-left base direction */
    /* and from the cascade: */
    const oc_style *cs;             /* the element's computed style */
    PangoVariant   variant;         /* small capitals */
    oc_hyphens     hyphens;         /* CSS hyphens: none, manual, auto */
    int            widows, orphans; /* lines a break leaves after and
                                       before it */
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
    double       neg;               /* the most negative margin pending */
    double       fixed;             /* padding (and margins it settled)
                                       pending: it does not collapse */
    oc_named_string *strings;       /* string-set for the next row */
    size_t       nstrings, capstrings;
    const bstyle *para;             /* the block whose inline content is
                                       being collected */
    long         item_value;        /* the next list item's number */
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
    int        quotes;              /* q elements open */
    double     size;                /* the paragraph's font size */
    double     width;               /* and its measure */
    bool       based;               /* the block's own attributes are in */
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
static const char *folio_text(lay *g, bool body, long n);

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

/* ---- styles ---- */

/* The computed style of element 'n', its ancestors' computed first;
 * each element's is computed once. */
static const oc_style *
style_of(lay *g, xmlNodePtr n)
{
    const oc_style *s = g_hash_table_lookup(g->styles, n);
    const oc_style *parent = NULL;

    if (s != NULL)
        return s;
    if (n->parent != NULL && n->parent->type == XML_ELEMENT_NODE)
        parent = style_of(g, n->parent);
    s = oc_css_compute(g->css, n, parent);
    g_hash_table_insert(g->styles, n, (gpointer)s);
    return s;
}

/* Not shown at all: display: none (head, script, [hidden]... in the
 * user-agent rules), and noscript, whose content is for browsers. */
static bool
is_skipped(lay *g, xmlNodePtr n)
{
    if (n->type != XML_ELEMENT_NODE)
        return false;
    /* A note's link back to its reference belongs to a screen: on paper
     * the note is on the reference's page. */
    return is(n, "noscript") || style_of(g, n)->display == OC_DISPLAY_NONE ||
           (is(n, "a") && is_a(g, n, "backlink"));
}

/* A block-level box: display block, list-item, table and its parts. */
static bool
is_block(lay *g, xmlNodePtr n)
{
    oc_display d;

    if (n->type != XML_ELEMENT_NODE)
        return false;
    d = style_of(g, n)->display;
    return d != OC_DISPLAY_INLINE && d != OC_DISPLAY_INLINE_BLOCK &&
           d != OC_DISPLAY_INLINE_TABLE && d != OC_DISPLAY_NONE;
}

/* A Pango family list for CSS font-family 'list' ("EB Garamond, serif"),
 * the same pointer for the same list. Fontconfig maps the bare name "EB
 * Garamond" to the 08 (caption) cut of fonts-ebgaramond, too heavy for
 * text: the 12 cut is named before it. */
static const char *
pango_family(lay *g, const char *list)
{
    const char *found = g_hash_table_lookup(g->families, list);
    GString *s;
    char **names;

    if (found != NULL)
        return found;
    s = g_string_new(NULL);
    names = g_strsplit(list, ",", -1);
    for (char **p = names; *p != NULL; p++) {
        char *name = g_strstrip(*p);

        if (*name == '\0')
            continue;
        if (s->len > 0)
            g_string_append_c(s, ',');
        if (g_ascii_strcasecmp(name, "EB Garamond") == 0)
            g_string_append(s, "EB Garamond 12,");
        g_string_append(s, name);
    }
    g_strfreev(names);
    found = oc_arena_strndup(g->L->arena, s->str, s->len);
    g_string_free(s, TRUE);
    g_hash_table_insert(g->families, (gpointer)oc_arena_strdup(g->L->arena,
                                                               list),
                        (gpointer)found);
    return found;
}

static PangoStyle
pango_slant(const oc_style *cs)
{
    return cs->font_style == OC_FONT_STYLE_ITALIC ? PANGO_STYLE_ITALIC :
           cs->font_style == OC_FONT_STYLE_OBLIQUE ? PANGO_STYLE_OBLIQUE :
           PANGO_STYLE_NORMAL;
}

static PangoVariant
pango_variant(const oc_style *cs)
{
    return cs->font_variant == OC_FONT_VARIANT_SMALL_CAPS
               ? PANGO_VARIANT_SMALL_CAPS :
           cs->font_variant == OC_FONT_VARIANT_ALL_SMALL_CAPS
               ? PANGO_VARIANT_ALL_SMALL_CAPS : PANGO_VARIANT_NORMAL;
}

/* The type of computed style 'cs' in 'st': font, leading, alignment,
 * direction, hyphenation, widows and orphans. A bstyle's LEFT and RIGHT
 * alignments mean start and end (new_layout turns them for right-to-left
 * text); CSS's left and right are physical. */
static void
set_type(lay *g, bstyle *st, const oc_style *cs)
{
    st->cs = cs;
    st->family = pango_family(g, cs->font_family);
    st->size = cs->font_size;
    st->leading = oc_css_line_height(cs);
    st->slant = pango_slant(cs);
    st->weight = (PangoWeight)cs->font_weight;
    st->variant = pango_variant(cs);
    st->rtl = cs->direction == OC_DIR_RTL;
    st->justify = cs->text_align == OC_ALIGN_JUSTIFY;
    switch (cs->text_align) {
    case OC_ALIGN_END:
        st->align = PANGO_ALIGN_RIGHT;
        break;
    case OC_ALIGN_LEFT:
        st->align = st->rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
        break;
    case OC_ALIGN_RIGHT:
        st->align = st->rtl ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
        break;
    case OC_ALIGN_CENTER:
        st->align = PANGO_ALIGN_CENTER;
        break;
    default:
        st->align = PANGO_ALIGN_LEFT;
        break;
    }
    st->hyphens = cs->hyphens;
    st->widows = cs->widows;
    st->orphans = cs->orphans;
}

/* The style of block element 'n' inside 'parent': its type from the
 * cascade, its language from xml:lang or lang, and its horizontal margins
 * and padding added to the parent's (percentages of the parent's
 * measure; 'auto' is 0). text-indent is taken of its own measure. */
static bstyle
block_style(lay *g, const bstyle *parent, xmlNodePtr n)
{
    const oc_style *cs = style_of(g, n);
    double cb = g->width - parent->left - parent->right;
    const char *lang = attr(g, n, "lang", XML_NS);
    bstyle st = *parent;

    set_type(g, &st, cs);
    st.left += oc_css_length(cs->margin[OC_SIDE_LEFT], cb) +
               oc_css_length(cs->padding[OC_SIDE_LEFT], cb);
    st.right += oc_css_length(cs->margin[OC_SIDE_RIGHT], cb) +
                oc_css_length(cs->padding[OC_SIDE_RIGHT], cb);
    st.indent = oc_css_length(cs->text_indent,
                              g->width - st.left - st.right);
    if (lang == NULL)
        lang = attr(g, n, "lang", NULL);
    if (lang != NULL && *lang != '\0')
        st.lang = lang;
    return st;
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

/* Decode %XX escapes of a URL fragment into the arena. */
static char *
unescape(lay *g, const char *s, size_t len)
{
    char *out = oc_arena_alloc(g->L->arena, len + 1);
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len && oc_hex_digit(s[i + 1]) >= 0 &&
            oc_hex_digit(s[i + 2]) >= 0) {
            out[o++] = (char)(oc_hex_digit(s[i + 1]) * 16 + oc_hex_digit(s[i + 2]));
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
    pango_font_description_set_variant(d, st->variant);
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

/* The row of a line of 'st' whose text reaches 'asc' above its baseline
 * and 'desc' below: one leading high, with the baseline where CSS's
 * half-leading model puts it, unless something in the line (a larger
 * font, a fallback font) reaches more than a quarter of an em beyond
 * that. */
static void
line_box(lay *g, const bstyle *st, double asc, double desc, double *row_asc,
         double *row_desc)
{
    bool mono = strcmp(st->family, g->s->mono) == 0;
    double fa = st->size * (mono ? g->mono_asc : g->serif_asc);
    double fd = st->size * (mono ? g->mono_desc : g->serif_desc);
    double half = (st->leading - fa - fd) / 2;
    double tol = st->size / 4;

    *row_asc = asc > half + fa + tol ? asc : half + fa;
    *row_desc = desc > half + fd + tol ? desc : half + fd;
}

/* Measure the lines of 'pl' for rows of 'st' (line_box). */
static GArray *
measure_lines(lay *g, PangoLayout *pl, const bstyle *st)
{
    GArray *v = g_array_new(FALSE, TRUE, sizeof(lineinfo));
    PangoLayoutIter *it = pango_layout_get_iter(pl);

    do {
        lineinfo li;
        PangoRectangle log;
        double base;

        li.line = pango_layout_iter_get_line_readonly(it);
        pango_layout_iter_get_line_extents(it, NULL, &log);
        base = PT(pango_layout_iter_get_baseline(it));
        li.x = PT(log.x);
        line_box(g, st, base - PT(log.y), PT(log.y + log.height) - base,
                 &li.asc, &li.desc);
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

/* A new item of 'kind' covering the box (x, y, w, h). */
static oc_item *
push_box(lay *g, itemvec *items, oc_item_kind kind, double x, double y,
         double w, double h)
{
    oc_item *it = push_item(g->L->arena, items);

    it->kind = kind;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
    return it;
}

static void
add_rule(lay *g, itemvec *items, double x, double y, double w, double h)
{
    push_box(g, items, OC_ITEM_RULE, x, y, w, h);
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
 * destinations, named strings, list marker, outline entry. Returns its
 * index. */
static size_t
add_row(flow *f, double height, double baseline)
{
    lay *g = f->g;
    row *r = push_row(g->L->arena, f->out);
    size_t idx = f->out->n - 1;

    r->height = height;
    r->baseline = baseline;
    r->space = f->fresh ? 0 : f->fixed + f->space + f->neg;
    r->brk = f->brk;
    r->chap = (int)f->chap;
    if (f->keep > 0 && !f->keep_first && r->brk < BRK_KEEP)
        r->brk = BRK_KEEP;
    f->keep_first = false;
    r->outline = f->outline;
    r->strings = f->strings;
    r->nstrings = f->nstrings;
    f->strings = NULL;
    f->nstrings = f->capstrings = 0;
    f->fresh = false;
    f->space = f->neg = f->fixed = 0;
    f->brk = BRK_OK;
    f->outline = -1;
    for (size_t i = 0; i < f->ndests; i++)
        add_dest(g, &r->items, f->dests[i], 0, 0);
    f->ndests = 0;
    if (f->marker != NULL) {
        PangoLayout *pl;
        PangoRectangle log;

        oc_fonts_lock();
        pl = text_layout(g, f->marker_style, f->marker, -1);
        pango_layout_get_extents(pl, NULL, &log);
        add_text_item(g, &r->items, pango_layout_get_line_readonly(pl, 0),
                      f->marker_rtl ? f->marker_right
                                    : f->marker_right - PT(log.width),
                      baseline > 0 ? baseline : height * 0.75);
        oc_fonts_unlock();
        f->marker = NULL;
    }
    return idx;
}

/* A vertical margin before the next row. Adjoining margins collapse
 * (CSS 2.1 §8.3.1): the largest positive one plus the most negative. */
static void
want_space(flow *f, double space)
{
    if (space > f->space)
        f->space = space;
    else if (space < f->neg)
        f->neg = space;
}

/* Padding: the margins pending above it are settled and it adds to them,
 * as what comes next will. */
static void
want_padding(flow *f, double pad)
{
    if (pad <= 0)
        return;
    f->fixed += f->space + f->neg + pad;
    f->space = f->neg = 0;
}

static void
want_brk(flow *f, int brk)
{
    if (brk > f->brk)
        f->brk = brk;
}

/* Pending destinations and strings with no row to carry them get an
 * empty one. */
static void
flush_dests(flow *f)
{
    if (f->ndests > 0 || f->marker != NULL || f->nstrings > 0)
        add_row(f, f->marker ? f->marker_style->leading : 0, 0);
}

/* The named strings element 'n' sets (string-set) go with its first
 * row. */
static void
pend_strings(flow *f, xmlNodePtr n)
{
    const oc_style *cs = style_of(f->g, n);
    oc_arena *a = f->g->L->arena;

    for (size_t k = 0; k < cs->nstring_set; k++) {
        oc_named_string *s;

        if (f->nstrings == f->capstrings) {
            size_t cap = f->capstrings ? f->capstrings * 2 : 4;

            f->strings = oc_arena_grow(a, f->strings, f->nstrings, cap,
                                       sizeof *f->strings);
            f->capstrings = cap;
        }
        s = &f->strings[f->nstrings++];
        s->name = cs->string_set[k].name;
        s->value = oc_css_content_text(a, &cs->string_set[k].value, n);
        s->at_start = false;
    }
}

static int
brk_from_css(oc_break b)
{
    switch (b) {
    case OC_BREAK_AVOID:    return BRK_KEEP;
    case OC_BREAK_PAGE:     return BRK_PAGE;
    case OC_BREAK_RIGHT:
    case OC_BREAK_RECTO:    return BRK_RECTO;
    case OC_BREAK_LEFT:
    case OC_BREAK_VERSO:    return BRK_VERSO;
    default:                return BRK_OK;
    }
}

/* What opens block 'cs' in a measure 'cb' wide: a break before it, its
 * top margin and padding, a keep for break-inside: avoid. Percentages
 * are of the width, as CSS has them. */
static void
block_open(flow *f, const oc_style *cs, double cb)
{
    want_brk(f, brk_from_css(cs->break_before));
    want_space(f, oc_css_length(cs->margin[OC_SIDE_TOP], cb));
    want_padding(f, oc_css_length(cs->padding[OC_SIDE_TOP], cb));
    if (cs->break_inside == OC_BREAK_AVOID && f->keep++ == 0)
        f->keep_first = true;
}

/* And what closes it: padding, bottom margin, a break after it. */
static void
block_close(flow *f, const oc_style *cs, double cb)
{
    want_padding(f, oc_css_length(cs->padding[OC_SIDE_BOTTOM], cb));
    want_space(f, oc_css_length(cs->margin[OC_SIDE_BOTTOM], cb));
    if (cs->break_inside == OC_BREAK_AVOID)
        f->keep--;
    want_brk(f, brk_from_css(cs->break_after));
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
    push_box(g, items, OC_ITEM_IMAGE, x, y, w, h)->picture = pic;
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
            want_brk(f, keep || k < (size_t)st->orphans ||
                            n - k < (size_t)st->widows ? BRK_KEEP : BRK_OK);
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

/* Attributes, opened at the current end of 'in', for what computed style
 * 'cs' changes from 'ps' (its parent's, or the block's that sets the
 * paragraph): font, colour, letter spacing, capitals, lines and the
 * super- and subscript shift. Stores them in out[] (room for 16);
 * returns how many. */
static size_t
style_attrs(lay *g, inl *in, const oc_style *cs, const oc_style *ps,
            PangoAttribute **out)
{
    size_t n = 0;
    unsigned added = cs->text_decoration & ~ps->text_decoration;

    if (strcmp(cs->font_family, ps->font_family) != 0)
        out[n++] = open_attr(in, pango_attr_family_new(
                                 pango_family(g, cs->font_family)));
    if (fabs(cs->font_size - ps->font_size) > EPS)
        out[n++] = open_attr(in, pango_attr_size_new_absolute(
                                 PU(cs->font_size)));
    if (cs->font_weight != ps->font_weight)
        out[n++] = open_attr(in, pango_attr_weight_new(
                                 (PangoWeight)cs->font_weight));
    if (cs->font_style != ps->font_style)
        out[n++] = open_attr(in, pango_attr_style_new(pango_slant(cs)));
    if (cs->font_variant != ps->font_variant)
        out[n++] = open_attr(in, pango_attr_variant_new(pango_variant(cs)));
    if (memcmp(&cs->color, &ps->color, sizeof cs->color) != 0) {
        out[n++] = open_attr(in, pango_attr_foreground_new(
                                 (guint16)(cs->color.r * 257),
                                 (guint16)(cs->color.g * 257),
                                 (guint16)(cs->color.b * 257)));
        out[n++] = open_attr(in, pango_attr_foreground_alpha_new(
                                 (guint16)(cs->color.a * 257)));
    }
    if (fabs(cs->letter_spacing - ps->letter_spacing) > EPS)
        out[n++] = open_attr(in, pango_attr_letter_spacing_new(
                                 PU(cs->letter_spacing)));
    if (cs->text_transform != ps->text_transform)
        out[n++] = open_attr(in, pango_attr_text_transform_new(
            cs->text_transform == OC_TRANSFORM_UPPERCASE
                ? PANGO_TEXT_TRANSFORM_UPPERCASE :
            cs->text_transform == OC_TRANSFORM_LOWERCASE
                ? PANGO_TEXT_TRANSFORM_LOWERCASE :
            cs->text_transform == OC_TRANSFORM_CAPITALIZE
                ? PANGO_TEXT_TRANSFORM_CAPITALIZE
                : PANGO_TEXT_TRANSFORM_NONE));
    if (added & OC_DECORATION_UNDERLINE)
        out[n++] = open_attr(in, pango_attr_underline_new(
                                 PANGO_UNDERLINE_SINGLE));
    if (added & OC_DECORATION_OVERLINE)
        out[n++] = open_attr(in, pango_attr_overline_new(
                                 PANGO_OVERLINE_SINGLE));
    if (added & OC_DECORATION_LINE_THROUGH)
        out[n++] = open_attr(in, pango_attr_strikethrough_new(TRUE));
    /* CSS leaves the shift to the user agent: a third of the parent's
     * em up, a fifth down. */
    if (cs->vertical_align == OC_VALIGN_SUPER)
        out[n++] = open_attr(in, pango_attr_rise_new(
                                 PU(ps->font_size * 0.33)));
    else if (cs->vertical_align == OC_VALIGN_SUB)
        out[n++] = open_attr(in, pango_attr_rise_new(
                                 -PU(ps->font_size * 0.2)));
    if (cs->hyphens == OC_HYPHENS_NONE && ps->hyphens != OC_HYPHENS_NONE)
        out[n++] = open_attr(in, pango_attr_insert_hyphens_new(FALSE));
    return n;
}

/* The attributes of the block that sets a paragraph, for what its font
 * description cannot say, over all of its text. */
static void
block_attrs(lay *g, inl *in, const oc_style *cs)
{
    oc_style plain = *cs;
    PangoAttribute *out[16];
    size_t n;

    plain.color = (oc_color){0, 0, 0, 255};
    plain.letter_spacing = 0;
    plain.text_transform = OC_TRANSFORM_NONE;
    plain.text_decoration = 0;
    plain.vertical_align = OC_VALIGN_BASELINE;
    plain.hyphens = OC_HYPHENS_MANUAL;
    n = style_attrs(g, in, cs, &plain, out);
    for (size_t i = 0; i < n; i++) {
        out[i]->start_index = 0;
        out[i]->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
    }
}

static void
inline_element(flow *f, inl *in, xmlNodePtr n)
{
    lay *g = f->g;
    const char *id = attr(g, n, "id", NULL);
    const char *lang = attr(g, n, "lang", XML_NS);
    PangoAttribute *opened[24];
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
    if (is_block(g, n) && !in->pre && in->text->len > 0 &&
        in->text->str[in->text->len - 1] != '\n')
        line_break(in);
    if (lang != NULL && *lang != '\0')
        opened[nopen++] = open_attr(in, pango_attr_language_new(
                                        pango_language_from_string(lang)));
    if (n->parent != NULL && n->parent->type == XML_ELEMENT_NODE)
        nopen += style_attrs(g, in, style_of(g, n),
                             style_of(g, n->parent), opened + nopen);
    /* CSS's quotes and ::before are not read: q gets curly quotes. */
    if (is(n, "q")) {
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
    if (is_block(g, n) && !in->pre && in->text->len > 0 &&
        in->text->str[in->text->len - 1] != '\n')
        line_break(in);
}

static void
inline_nodes(flow *f, inl *in, xmlNodePtr n, xmlNodePtr stop)
{
    if (!in->based && f->para != NULL && f->para->cs != NULL)
        block_attrs(f->g, in, f->para->cs);
    in->based = true;
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

/* ---- paragraphs set by total fit (paragraph.h) ---- */

/* A paragraph of the body set by paragraph.h, remembered with its rows
 * so that the paginator can set it again with a line more or fewer
 * (reset_para) where a widow or an orphan would otherwise cost a page a
 * line. Its rows are found from any of them: row.para, row.pline. */
typedef struct pararec {
    oc_para        *p;
    bstyle          st;
    bool            kept;           /* its rows stay together anyway */
    size_t          nrows;
    size_t          nfixed;         /* items of its first row that are
                                       not its own (add_row's) */
    size_t          tlen;
    const linkspan *links;          /* copies in the arena */
    size_t          nlinks;
    const anchor   *anchors;
    size_t          nanchors;
    const object   *objects;
    size_t          nobjects;
    size_t         *ref_at;         /* each reference's byte, and the */
    size_t        **ref_notes;      /* notes it brought to its row */
    size_t         *ref_nnotes;
    size_t          nrefs;
} pararec;

/* A text item for a line of a paragraph. */
static void
add_para_item(lay *g, itemvec *items, const oc_para_line *line, double x,
              double y)
{
    oc_item *it = push_item(g->L->arena, items);

    it->kind = OC_ITEM_TEXT;
    it->para = line;
    it->x = x;
    it->y = y;
}

/* line_extras for a line set by paragraph.h, but for notes: link areas,
 * destinations (not registered again when 'again'), inline images; x0
 * is the left end of its glyphs. */
static void
para_line_extras(lay *g, row *r, const pararec *pr, const oc_para_line *l,
                 bool last, double x0, double asc, double desc, bool again)
{
    size_t lo = l->start, end = l->end;
    size_t hi = last ? pr->tlen + 1 : end;
    double xs[16];

    for (size_t i = 0; i < pr->nlinks; i++) {
        const linkspan *sp = &pr->links[i];
        size_t a = sp->start > lo ? sp->start : lo;
        size_t b = sp->end < end ? sp->end : end;
        size_t nr;

        if (a >= b)
            continue;
        nr = oc_para_line_ranges(l, a, b, xs, 8);
        for (size_t j = 0; j < nr; j++)
            add_link(g, &r->items, sp, x0 + xs[2 * j], 0,
                     xs[2 * j + 1] - xs[2 * j], asc + desc, pr->st.size);
    }
    for (size_t i = 0; i < pr->nanchors; i++) {
        const anchor *an = &pr->anchors[i];
        double x;
        oc_item *it;

        if (an->at < lo || an->at >= hi)
            continue;
        x = x0 + oc_para_line_index_x(l, an->at < pr->tlen ? an->at
                                                            : pr->tlen);
        if (!again) {
            add_dest(g, &r->items, an->dest, x, 0);
            continue;
        }
        it = push_item(g->L->arena, &r->items);
        it->kind = OC_ITEM_DEST;
        it->dest = an->dest;
        it->x = x;
    }
    for (size_t i = 0; i < pr->nobjects; i++) {
        const object *ob = &pr->objects[i];

        if (ob->at < lo || ob->at >= end ||
            oc_para_line_ranges(l, ob->at, ob->at + strlen("\uFFFC"), xs,
                                1) == 0)
            continue;
        add_image(g, &r->items, ob->pic, x0 + xs[0],
                  asc - ob->h + ob->desc, ob->w, ob->h);
    }
}

/* The line of paragraph 'l[0..n)' that holds byte 'at'. */
static size_t
line_of(const oc_para_line *l, size_t n, size_t at)
{
    size_t k = 0;

    while (k + 1 < n && at >= l[k].end)
        k++;
    return k;
}

/* Copy 'n' elements of 'size' into the arena. */
static void *
arena_copy(lay *g, const void *v, size_t n, size_t size)
{
    void *c;

    if (n == 0)
        return NULL;
    c = oc_arena_alloc(g->L->arena, n * size);
    memcpy(c, v, n * size);
    return c;
}

/* Rows for the lines of paragraph 'p' of 'in': as emit_lines. Lines of
 * the body are remembered for the paginator (pararec). */
static void
emit_para_lines(flow *f, oc_para *p, const inl *in, const bstyle *st,
                bool keep)
{
    lay *g = f->g;
    oc_arena *a = g->L->arena;
    size_t n;
    const oc_para_line *lines = oc_para_lines(p, &n);
    pararec *pr = oc_arena_alloc(a, sizeof *pr);

    pr->p = p;
    pr->st = *st;
    pr->kept = keep || f->keep > 0 || f->out != &g->body;
    pr->nrows = n;
    pr->tlen = in->text->len;
    pr->links = arena_copy(g, in->links->data, in->links->len,
                           sizeof(linkspan));
    pr->nlinks = in->links->len;
    pr->anchors = arena_copy(g, in->anchors->data, in->anchors->len,
                             sizeof(anchor));
    pr->nanchors = in->anchors->len;
    pr->objects = arena_copy(g, in->objects->data, in->objects->len,
                             sizeof(object));
    pr->nobjects = in->objects->len;
    pr->nrefs = in->refs->len;
    if (pr->nrefs > 0) {
        pr->ref_at = oc_arena_alloc(a, pr->nrefs * sizeof *pr->ref_at);
        pr->ref_notes = oc_arena_alloc(a, pr->nrefs *
                                              sizeof *pr->ref_notes);
        pr->ref_nnotes = oc_arena_alloc(a, pr->nrefs *
                                               sizeof *pr->ref_nnotes);
    }
    for (size_t k = 0; k < n; k++) {
        const oc_para_line *l = &lines[k];
        double asc, desc;
        size_t ri;
        row *r;

        if (k > 0)
            want_brk(f, keep || k < (size_t)st->orphans ||
                            n - k < (size_t)st->widows ? BRK_KEEP : BRK_OK);
        line_box(g, st, l->ascent, l->descent, &asc, &desc);
        ri = add_row(f, asc + desc, asc);
        r = &f->out->v[ri];
        r->para = pr;
        r->pline = (int)k;
        if (k == 0)
            pr->nfixed = r->items.n;
        add_para_item(g, &r->items, l, st->left + l->x, asc);
        para_line_extras(g, r, pr, l, k + 1 == n, st->left + l->x, asc,
                         desc, false);
        for (guint i = 0; i < in->refs->len; i++) {
            ref *rf = &g_array_index(in->refs, ref, i);
            size_t before;

            if (line_of(lines, n, rf->at) != k)
                continue;
            before = f->out->v[ri].nnotes;
            attach_note(g, f->out, ri, layout_note(f, rf->note));
            r = &f->out->v[ri];
            pr->ref_at[i] = rf->at;
            pr->ref_nnotes[i] = r->nnotes - before;
            pr->ref_notes[i] = arena_copy(g, r->notes + before,
                                          r->nnotes - before,
                                          sizeof *r->notes);
        }
    }
}

/* Fill the rows r0... of 'body' with the lines of paragraph 'pr', as
 * emit_para_lines did: its text items and extras, its notes on the rows
 * of their references. */
static void
para_rows(lay *g, rowvec *body, pararec *pr, size_t r0)
{
    size_t n;
    const oc_para_line *lines = oc_para_lines(pr->p, &n);

    for (size_t k = 0; k < n; k++) {
        row *r = &body->v[r0 + k];
        const oc_para_line *l = &lines[k];
        double asc, desc;

        line_box(g, &pr->st, l->ascent, l->descent, &asc, &desc);
        r->height = asc + desc;
        r->baseline = asc;
        if (k > 0)
            r->brk = k < (size_t)pr->st.orphans ||
                     n - k < (size_t)pr->st.widows ? BRK_KEEP : BRK_OK;
        r->para = pr;
        r->pline = (int)k;
        r->items.n = k == 0 ? pr->nfixed : 0;
        r->nnotes = 0;
        add_para_item(g, &r->items, l, pr->st.left + l->x, asc);
        para_line_extras(g, r, pr, l, k + 1 == n, pr->st.left + l->x, asc,
                         desc, true);
    }
    for (size_t i = 0; i < pr->nrefs; i++)
        for (size_t m = 0; m < pr->ref_nnotes[i]; m++)
            row_add_note(g->L->arena,
                         &body->v[r0 + line_of(lines, n, pr->ref_at[i])],
                         pr->ref_notes[i][m]);
}

#define REFIT_BADNESS 100   /* the worst line of a paragraph set again
                               for a page: TeX's pretolerance */

/* Set the paragraph of row 'at' of 'body' again with 'delta' (1 or -1)
 * lines more than now (oc_para_refit), and its rows with it: one is
 * added after its last or its last taken away, and the rows after it
 * move. Returns false, having changed nothing, when the paragraph cannot
 * be set so. */
static bool
reset_para(lay *g, rowvec *body, size_t at, int delta)
{
    pararec *pr = body->v[at].para;
    size_t r0, n0, n, q;

    if (pr == NULL || pr->kept)
        return false;
    r0 = at - (size_t)body->v[at].pline;
    n0 = pr->nrows;
    if (!oc_para_refit(pr->p, delta, REFIT_BADNESS))
        return false;
    oc_para_lines(pr->p, &n);
    assert(n == n0 + (size_t)(ptrdiff_t)delta);
    pr->nrows = n;
    /* A row more or fewer; table rows after it name their head rows by
     * index. */
    q = r0 + (delta > 0 ? n0 : n0 - 1);
    if (delta > 0) {
        push_row(g->L->arena, body);
        memmove(&body->v[q + 1], &body->v[q],
                (body->n - 1 - q) * sizeof *body->v);
        memset(&body->v[q], 0, sizeof body->v[q]);
        body->v[q].outline = -1;
        body->v[q].chap = body->v[r0].chap;
    } else {
        memmove(&body->v[q], &body->v[q + 1],
                (body->n - q - 1) * sizeof *body->v);
        body->n--;
    }
    for (size_t k = q + 1; k < body->n; k++)
        if (body->v[k].nhead > 0 && body->v[k].head >= q)
            body->v[k].head = delta > 0 ? body->v[k].head + 1
                                        : body->v[k].head - 1;
    para_rows(g, body, pr, r0);
    return true;
}

#define REFIT_PARAS 4        /* paragraphs of a page tried, last first */

/* The rows [end, j) that a page leaves for the next when row j, the
 * first that does not fit, is a line of a paragraph kept from breaking
 * there only by its widows or orphans: set a paragraph of the page
 * again with a line fewer (so that the rows fit) or else with a line
 * more (so that the page is full without them), as TeX's \looseness
 * would be used by hand. The paragraphs tried are that of row j, when it
 * starts on the page, and those before it on the page, the nearest
 * first. Returns whether the rows changed (the page is then filled
 * again). */
static bool
refit_page(lay *g, rowvec *body, size_t i, size_t end, size_t j)
{
    const row *rj = &body->v[j];
    size_t cand[REFIT_PARAS], ncand = 0, p0;

    if (rj->para == NULL || rj->para->kept || end <= i || end >= j)
        return false;
    p0 = j - (size_t)rj->pline;
    if (end < p0)
        return false;               /* the loss is not the paragraph's */
    if (p0 >= i && end > p0)
        cand[ncand++] = j;
    for (size_t k = p0; k > i && ncand < REFIT_PARAS; k--) {
        const row *r = &body->v[k - 1];

        if (r->para == NULL || (size_t)r->pline > k - 1 - i)
            continue;               /* not a paragraph all on the page */
        if (!r->para->kept)
            cand[ncand++] = k - 1;
        k -= (size_t)r->pline;      /* on to the row before it */
    }
    for (int delta = -1; delta <= 1; delta += 2)
        for (size_t c = 0; c < ncand; c++)
            if (reset_para(g, body, cand[c], delta))
                return true;
    return false;
}

/* Set the text of 'in' as a paragraph of 'st' by total fit, 'width'
 * wide, its first line indented by 'indent'. Returns NULL (having left
 * 'in' as it was) when it cannot be set so. The paragraph belongs to
 * the layout. */
static oc_para *
set_para(flow *f, inl *in, const bstyle *st, double width, double indent,
         xmlNodePtr at)
{
    lay *g = f->g;
    PangoAttrList *al;
    PangoFontDescription *d;
    oc_para_style ps;
    oc_para *p = NULL;
    oc_error err = {0};

    if (!(width > 0))
        return NULL;
    memset(&ps, 0, sizeof ps);
    ps.context = st->rtl ? g->L->rtl_context : g->L->context;
    ps.lang = st->lang;
    ps.rtl = st->rtl;
    ps.align = st->justify ? OC_PARA_JUSTIFY
               : st->align == PANGO_ALIGN_CENTER ? OC_PARA_CENTER
               : st->align == PANGO_ALIGN_RIGHT ? OC_PARA_END
               : OC_PARA_START;
    ps.hyphens = st->hyphens == OC_HYPHENS_AUTO ? OC_PARA_HYPHENS_AUTO
                 : st->hyphens == OC_HYPHENS_NONE ? OC_PARA_HYPHENS_NONE
                 : OC_PARA_HYPHENS_MANUAL;
    ps.width = width;
    ps.indent = indent;
    ps.dicts = g->L->dicts;
    ps.cache = g->L->words;
    ps.file = f->chap < g->b->nchapters ? g->b->chapters[f->chap].file
                                        : NULL;
    ps.line = at != NULL ? (int)xmlGetLineNo(at) : 0;
    /* As inl_attrs, but breaks after the hyphens of compounds are
     * allowed: a hyphen at a line's end is a hyphen of the text. */
    al = pango_attr_list_new();
    if (st->lang != NULL)
        pango_attr_list_insert(al, pango_attr_language_new(
                                   pango_language_from_string(st->lang)));
    for (guint i = 0; i < in->attrs->len; i++)
        pango_attr_list_insert(al, pango_attribute_copy(
                                   g_ptr_array_index(in->attrs, i)));
    d = font_of(st);
    ps.font = d;
    if (oc_para_new(in->text->str, in->text->len, al, &ps, &p, &err) ==
        OC_OK)
        g_ptr_array_add(g->L->paras, p);
    pango_font_description_free(d);
    pango_attr_list_unref(al);
    return p;
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
    oc_para *para;
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
    para = set_para(f, &in, st, width,
                    f->indent && !in.br && !heading ? st->indent : 0, first);
    if (para != NULL) {
        emit_para_lines(f, para, &in, st, heading);
        inl_free(&in);
        f->indent = st->indent > 0;
        return;
    }
    oc_fonts_lock();        /* a paragraph set by Pango, whole */
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
    oc_fonts_unlock();
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

/* A heading: an outline entry and a destination, its lines kept
 * together (its type, spacing and breaks come from the cascade). */
static void
flow_heading(flow *f, xmlNodePtr n, const bstyle *st, int level)
{
    lay *g = f->g;
    const char *dest;
    GString *title = g_string_new(NULL);
    const char *id = attr(g, n, "id", NULL);

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
    f->para = st;
    emit_para(f, n->children, NULL, st, true);
    f->para = NULL;
    flush_dests(f);
    if (f->outline >= 0)        /* an empty heading: nothing to open */
        f->outline = -1;
}

/* A list marker hangs before the item's start side, half an em off. */
static void
set_marker_place(flow *f, const bstyle *item)
{
    double gap = item->size * 0.5;

    f->marker_rtl = item->rtl;
    f->marker_right = item->rtl ? f->g->width - item->right + gap
                                : item->left - gap;
}

/* The marker of list item number 'v' in list-style-type 's': a bullet,
 * or the number in its style followed by a full stop; NULL for none. */
static const char *
marker_text(lay *g, oc_list_style s, long v)
{
    char buf[64];
    bool bullet = s == OC_LIST_DISC || s == OC_LIST_CIRCLE ||
                  s == OC_LIST_SQUARE;

    if (s == OC_LIST_NONE)
        return NULL;
    if (v < -999999999 || v > 999999999)
        v = 0;
    oc_css_counter_format((int)v, s, buf, sizeof buf);
    return oc_arena_printf(g->L->arena, "%s%s", buf, bullet ? "" : ".");
}

/* The items of a list numbered from its start (or down from its count
 * when reversed), an item's value attribute resetting the count; any
 * element that is not an li is set as a block. */
static void
flow_list(flow *f, xmlNodePtr n, const bstyle *st)
{
    lay *g = f->g;
    const char *start = attr(g, n, "start", NULL);
    bool reversed = attr(g, n, "reversed", NULL) != NULL;
    long v = 1;

    if (reversed) {
        v = 0;
        for (xmlNodePtr c = n->children; c != NULL; c = c->next)
            v += is(c, "li") && !is_skipped(g, c);
    }
    if (start != NULL)
        v = strtol(start, NULL, 10);
    for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
        const char *value;

        if (c->type != XML_ELEMENT_NODE || is_skipped(g, c))
            continue;
        if (!is(c, "li")) {
            flow_block(f, c, st);
            continue;
        }
        if ((value = attr(g, c, "value", NULL)) != NULL)
            v = strtol(value, NULL, 10);
        f->item_value = v;
        flow_block(f, c, st);
        v += reversed ? -1 : 1;
    }
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

    st.justify = false;         /* its lines end where the text says */
    f->para = &st;
    inl_init(&in, true);
    in.size = st.size;
    in.width = g->width - st.left - st.right;
    nohyph = open_attr(&in, pango_attr_insert_hyphens_new(FALSE));
    inline_nodes(f, &in, n->children, NULL);
    nohyph->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
    f->para = NULL;
    while (in.text->len > 0 && in.text->str[in.text->len - 1] == '\n')
        g_string_truncate(in.text, in.text->len - 1);
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

    /* CSS's hr::after content is not read: a thematic break is shown as
     * spaced asterisks, centred. */
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
    ri = add_row(f, li->asc + li->desc, li->asc);
    add_text_item(g, &f->out->v[ri].items, li->line, st.left + li->x,
                  li->asc);
    g_array_free(lines, TRUE);
}

/* ---- tables ---- */

typedef struct cell {
    xmlNodePtr  node;
    int         col, span;
    bool        head;
    bstyle      st;             /* its type and alignment */
    double      padl, padr, padt, padb;
    inl         in;
    PangoLayout *pl;            /* set unwrapped, then to its column */
    double      nat;            /* its widest line */
    double      dx;             /* its lines' shift in the column */
    GArray      *lines;
    double      height;
} cell;

/* The width of the widest word of 'pl' (unwrapped): the glyphs between
 * two break opportunities, without the white space that ends them. */
static double
widest_word(PangoLayout *pl)
{
    int nattrs;
    const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(pl, &nattrs);
    const char *text = pango_layout_get_text(pl);
    int *adv = g_new0(int, (gsize)nattrs + 1);
    int best = 0, word = 0, white = 0;

    /* Each character's advance: its cluster's, on its first character. */
    for (GSList *ls = pango_layout_get_lines_readonly(pl); ls != NULL;
         ls = ls->next) {
        const PangoLayoutLine *line = ls->data;

        for (GSList *l = line->runs; l != NULL; l = l->next) {
            PangoGlyphItem *run = l->data;
            long c0 = g_utf8_pointer_to_offset(text,
                                               text + run->item->offset);
            PangoGlyphItemIter it;

            for (bool more = pango_glyph_item_iter_init_start(&it, run,
                                                              text);
                 more; more = pango_glyph_item_iter_next_cluster(&it)) {
                int a = MIN(it.start_glyph, it.end_glyph);
                int b = MAX(it.start_glyph, it.end_glyph);
                long at = c0 + it.start_char;

                if (it.start_glyph > it.end_glyph) {    /* right to left */
                    a++;
                    b++;
                }
                for (int q = a; q < b && at < nattrs; q++)
                    adv[at] += run->glyphs->glyphs[q].geometry.width;
            }
        }
    }
    for (int i = 0; i < nattrs; i++) {
        if (i > 0 && la[i].is_line_break) {
            best = MAX(best, word - white);
            word = white = 0;
        }
        word += adv[i];
        white = la[i].is_white ? white + adv[i] : 0;
    }
    best = MAX(best, word - white);
    g_free(adv);
    return PT(best);
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
    bstyle st = *parent;
    GPtrArray *trs = g_ptr_array_new();
    GArray *heads = g_array_new(FALSE, TRUE, sizeof(bool));
    GArray *cells = g_array_new(FALSE, TRUE, sizeof(cell));
    double avail = g->width - st.left - st.right;
    double *nat, *min, *w, snat = 0, smin = 0, total = 0, x0;
    double rule = 0.5;
    int ncols = 0;
    size_t c0 = 0, lasthead = (size_t)-1, head0 = 0, nhead = 0;

    st.indent = 0;
    /* The caption goes above the table, kept with it. */
    for (xmlNodePtr c = n->children; c != NULL; c = c->next)
        if (is(c, "caption") && !is_skipped(g, c)) {
            bstyle cs = block_style(g, &st, c);

            block_open(f, style_of(g, c), avail);
            f->para = &cs;
            emit_para(f, c->children, NULL, &cs, true);
            f->para = NULL;
            block_close(f, style_of(g, c), avail);
            want_brk(f, BRK_KEEP);
        }
    table_rows(g, n, trs, heads, false);
    for (guint r = 0; r < trs->len; r++) {
        int col = 0;
        bool head = g_array_index(heads, bool, r);

        for (xmlNodePtr c = ((xmlNodePtr)g_ptr_array_index(trs, r))->children;
             c != NULL; c = c->next) {
            cell ce;
            const char *span;

            if ((!is(c, "td") && !is(c, "th")) || is_skipped(g, c))
                continue;
            memset(&ce, 0, sizeof ce);
            ce.node = c;
            ce.col = col;
            ce.span = 1;
            if ((span = attr(g, c, "colspan", NULL)) != NULL &&
                atoi(span) > 1 && atoi(span) < 1000)
                ce.span = atoi(span);
            ce.head = head || is(c, "th");
            /* The cell's type, alignment (its style attribute too) and
             * padding; no indent. */
            ce.st = block_style(g, &st, c);
            ce.st.left = st.left;
            ce.st.right = st.right;
            ce.st.indent = 0;
            ce.padl = oc_css_length(ce.st.cs->padding[OC_SIDE_LEFT], avail);
            ce.padr = oc_css_length(ce.st.cs->padding[OC_SIDE_RIGHT],
                                    avail);
            ce.padt = oc_css_length(ce.st.cs->padding[OC_SIDE_TOP], avail);
            ce.padb = oc_css_length(ce.st.cs->padding[OC_SIDE_BOTTOM],
                                    avail);
            inl_init(&ce.in, false);
            ce.in.size = ce.st.size;
            ce.in.width = avail / 2;
            f->para = &ce.st;
            inline_nodes(f, &ce.in, c->children, NULL);
            f->para = NULL;
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
    /* Each cell set once, unwrapped and with tabular figures (so that
     * columns of numbers align), for its widths: the widest line, the
     * widest word. */
    for (guint i = 0; i < cells->len; i++) {
        cell *ce = &g_array_index(cells, cell, i);
        PangoAttrList *al = inl_attrs(&ce->in, ce->st.lang);
        PangoRectangle log;
        double nw, mw;

        ce->pl = new_layout(g, &ce->st, -1);
        pango_layout_set_text(ce->pl, ce->in.text->str,
                              (int)ce->in.text->len);
        pango_attr_list_insert(al, pango_attr_font_features_new("tnum"));
        pango_layout_set_attributes(ce->pl, al);
        pango_attr_list_unref(al);
        pango_layout_get_extents(ce->pl, NULL, &log);
        ce->nat = PT(log.width);
        nw = ce->nat + ce->padl + ce->padr;
        mw = widest_word(ce->pl) + ce->padl + ce->padr;

        if (ce->span == 1) {
            if (nw > nat[ce->col])
                nat[ce->col] = nw;
            if (mw > min[ce->col])
                min[ce->col] = mw;
        }
    }
    for (int c = 0; c < ncols; c++) {
        if (nat[c] < st.size)
            nat[c] = st.size;
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
        bstyle cs = ce->st;
        double cw = -ce->padl - ce->padr;

        for (int c = ce->col; c < ce->col + ce->span && c < ncols; c++)
            cw += w[c];
        /* A cell that fits stays as it was set, its lines moved as its
         * alignment says; another is wrapped to its column. */
        if (ce->nat <= cw + EPS) {
            PangoAlignment al = pango_layout_get_alignment(ce->pl);

            ce->dx = al == PANGO_ALIGN_LEFT ? 0
                     : al == PANGO_ALIGN_CENTER ? (cw - ce->nat) / 2
                     : cw - ce->nat;
        } else {
            pango_layout_set_width(ce->pl, PU(cw));
        }
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

            if (ce->padt + ce->height + ce->padb > h)
                h = ce->padt + ce->height + ce->padb;
            if (ce->lines->len > 0 && base == 0)
                base = ce->padt +
                       g_array_index(ce->lines, lineinfo, 0).asc;
        }
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
            double cx = x0 + ce->padl, y = ce->padt, cs_size = ce->st.size;

            for (int c = 0; c < ce->col && c < ncols; c++)
                cx += w[c];
            cx += ce->dx;
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
    bstyle base, st;
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
    /* Set in the measure, in the note's own style. */
    memset(&base, 0, sizeof base);
    base.lang = g->b->chapters[f->chap].language;
    st = block_style(g, &base, n);
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

/* A run of inline nodes [first, stop) set as a paragraph in 'st';
 * 'lead': it is the first thing in its block, and so takes the block's
 * text-indent. */
static void
emit_run(flow *f, xmlNodePtr first, xmlNodePtr stop, const bstyle *st,
         bool lead)
{
    f->indent = lead;
    f->para = st;
    emit_para(f, first, stop, st, false);
    f->para = NULL;
}

/* The children of a block: block-level ones as blocks, each run of
 * inline content between them as a paragraph in the parent's style,
 * whose text-indent is for its first line only (CSS 2.1 §16.1). */
static void
flow_children(flow *f, xmlNodePtr parent, const bstyle *st)
{
    xmlNodePtr run = NULL;
    bool first = true;

    for (xmlNodePtr n = parent->children; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && is_skipped(f->g, n))
            continue;
        if (n->type == XML_ELEMENT_NODE && (is_block(f->g, n) ||
                                            is_footnote(f, n))) {
            if (run != NULL)
                emit_run(f, run, n, st, first);
            run = NULL;
            first = false;
            flow_block(f, n, st);
        } else if (run == NULL && (n->type == XML_ELEMENT_NODE ||
                                   n->type == XML_TEXT_NODE ||
                                   n->type == XML_CDATA_SECTION_NODE ||
                                   n->type == XML_ENTITY_REF_NODE)) {
            run = n;
        }
    }
    if (run != NULL)
        emit_run(f, run, NULL, st, first);
}

/* A list item: its marker (outside: hung before its first row; inside:
 * opening its first paragraph), then its content. */
static void
flow_item(flow *f, xmlNodePtr n, const bstyle *st)
{
    const oc_style *cs = st->cs;
    const char *marker = marker_text(f->g, cs->list_style_type,
                                     f->item_value);

    f->item_value = 1;
    if (marker != NULL && cs->list_style_position == OC_LIST_INSIDE) {
        f->prefix = oc_arena_printf(f->g->L->arena, "%s\u00A0", marker);
    } else if (marker != NULL) {
        f->marker = marker;
        f->marker_style = st;
        set_marker_place(f, st);
    }
    flow_children(f, n, st);
    flush_dests(f);
    f->prefix = NULL;
}

/* A block-level element: its computed style opens and closes it (margins,
 * padding, breaks), and what it is sets its content. */
static void
flow_block(flow *f, xmlNodePtr n, const bstyle *parent)
{
    lay *g = f->g;
    const oc_style *cs = style_of(g, n);
    double cb = g->width - parent->left - parent->right;
    const char *id = attr(g, n, "id", NULL);
    int level = heading_level(n);
    bstyle st;

    if (is_footnote(f, n) || cs->display == OC_DISPLAY_NONE)
        return;                 /* a note is set at the foot of its page */
    st = block_style(g, parent, n);
    block_open(f, cs, cb);
    if (id != NULL)
        pend_dest(f, dest_name(g, f->chap, id));
    if (f->out == &g->body)
        pend_strings(f, n);
    /* A block set whole (a heading, code, a table, a break) holds the
     * font lock for all of it; a container's paragraphs take it where
     * they need it. */
    if (level > 0) {
        oc_fonts_lock();
        flow_heading(f, n, &st, level);
        oc_fonts_unlock();
    } else if (cs->display == OC_DISPLAY_LIST_ITEM) {
        flow_item(f, n, &st);
    } else if (is(n, "ul") || is(n, "ol") || is(n, "menu")) {
        flow_list(f, n, &st);
    } else if (cs->white_space == OC_WS_PRE ||
               cs->white_space == OC_WS_PRE_WRAP ||
               cs->white_space == OC_WS_PRE_LINE) {
        oc_fonts_lock();
        flow_pre(f, n, &st);
        oc_fonts_unlock();
    } else if (cs->display == OC_DISPLAY_TABLE || is(n, "table")) {
        oc_fonts_lock();
        flow_table(f, n, &st);
        oc_fonts_unlock();
    } else if (is(n, "hr")) {
        oc_fonts_lock();
        flow_break(f, &st);
        oc_fonts_unlock();
    } else {
        flow_children(f, n, &st);
    }
    block_close(f, cs, cb);
}

/* Lay out chapter 'chap' into the body rows, from its root element down.
 * A chapter with nothing to show makes no page (links to it are
 * dropped). */
static void
flow_chapter(lay *g, size_t chap)
{
    const oc_chapter *ch = &g->b->chapters[chap];
    xmlNodePtr root = ch->doc ? xmlDocGetRootElement(ch->doc) : NULL;
    xmlNodePtr body = body_of(ch->doc);
    flow f;
    bstyle top, st;
    size_t first = g->noutline, row0 = g->body.n;

    if (root == NULL || body == NULL)
        return;
    memset(&f, 0, sizeof f);
    f.g = g;
    f.chap = chap;
    f.out = &g->body;
    f.outline = -1;
    memset(&top, 0, sizeof top);
    top.lang = ch->language ? ch->language : g->s->language;
    st = block_style(g, &top, root);
    st.left = st.right = 0;     /* the page margins are the root's */
    pend_dest(&f, dest_name(g, chap, NULL));
    if (body != root)
        flow_block(&f, body, &st);
    else
        flow_children(&f, body, &st);
    if (g->body.n == row0)
        return;
    flush_dests(&f);
    if (g->noutline == first && ch->title != NULL &&
        g->body.v[row0].outline < 0) {
        /* A chapter without headings is listed under its title. */
        g->body.v[row0].outline = new_outline(g, 1, ch->title,
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

/* The page box (@page) of page 'p': ':first' for the document's first
 * page ('first') and for a page that opens after a forced break, ':left'
 * or ':right' by its side, ':blank' when it is left blank. */
static const oc_page_style *
page_style(lay *g, const oc_page *p, bool first)
{
    unsigned flags = p->recto ? OC_PAGE_RIGHT : OC_PAGE_LEFT;

    if (first || p->opening)
        flags |= OC_PAGE_FIRST;
    if (p->blank)
        flags |= OC_PAGE_BLANK;
    return oc_css_page(g->css, flags, g->root);
}

/* Page 'p', being made, is the document's first: the title page. */
static bool
first_page(lay *g, const oc_page *p)
{
    return g->front.n > 0 && p == &g->front.v[0];
}

/* Where the text block of page 'p' starts: its page's left and top
 * margins. Every text block is as wide as a right page's. */
static double
page_left(lay *g, const oc_page *p)
{
    return page_style(g, p, first_page(g, p))->margin[OC_SIDE_LEFT];
}

static double
page_top(lay *g, const oc_page *p)
{
    return page_style(g, p, first_page(g, p))->margin[OC_SIDE_TOP];
}

/* The height of the text block of page 'p': a whole number of body lines
 * between its top and bottom margins. */
static double
page_text_height(lay *g, const oc_page *p)
{
    const oc_page_style *ps = page_style(g, p, first_page(g, p));
    double h = g->s->height - ps->margin[OC_SIDE_TOP] -
               ps->margin[OC_SIDE_BOTTOM];

    h = floor(h / g->s->leading + EPS) * g->s->leading;
    return h > g->s->leading ? h : g->s->leading;
}

static void
push_string(GArray *v, const oc_named_string *s, bool start)
{
    oc_named_string c = *s;

    c.at_start = start;
    g_array_append_val(v, c);
}

/* Copy the named strings gathered for a page into the arena. */
static void
set_page_strings(lay *g, oc_page *p, GArray *v)
{
    oc_named_string *s;

    if (v->len == 0)
        return;
    s = oc_arena_alloc(g->L->arena, v->len * sizeof *s);
    memcpy(s, v->data, v->len * sizeof *s);
    p->strings = s;
    p->nstrings = v->len;
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

/* The end of what paginate() may take: all of 'body' but its last 'tail'
 * rows (which a paragraph set again before them moves, but does not
 * change). */
static size_t
upto(const rowvec *body, size_t tail)
{
    return body->n - tail;
}

/* Cut the rows of 'body' from *from up to its last 'tail' into pages
 * appended to 'pv'; *from is then where it stopped. Each page takes rows
 * first-fit; when the next row (with the footnotes it brings) overflows,
 * the page ends at the last break the rules allow. A row that must open a recto
 * gets a blank verso before it when needed. Footnotes go to the foot of
 * the page of their reference; one too long for that page continues on
 * the next. A table that goes on to a new page has its head rows set
 * again at the top. Where a widow or an orphan would cost the page a
 * line, a paragraph on it is set again with a line fewer or more
 * (refit_page), which changes 'body'. Stops when the book has too many
 * pages. The row after the range must open a page (a forced break), so
 * that the pages are those that the whole body would give. */
static void
paginate(lay *g, rowvec *body, pagevec *pv, size_t *from, size_t tail)
{
    double sep = g->s->leading * 0.8;   /* from text to the notes' top */
    GArray *carry = g_array_new(FALSE, TRUE, sizeof(noteline));
    size_t i = *from;
    int chap = i > 0 ? body->v[i - 1].chap : -1;

    while ((i < upto(body, tail) || carry->len > 0) && !g->too_many) {
        oc_page *p;
        itemvec items = { NULL, 0, 0 };
        GArray *nl;
        double y = 0, nh = 0, left, top, H;
        double room, ny, stretch, hh = 0, top0 = 0;
        bool any = false;
        bool only_notes = carry->len > 0 && i < upto(body, tail) &&
                          body->v[i].brk >= BRK_PAGE;
        size_t j, end, k, h0 = 0, nhr = 0;
        GArray *strings;
        bool over, refit = false;

        if (!only_notes && carry->len == 0 &&
            ((body->v[i].brk == BRK_RECTO && pv->n % 2 == 1) ||
             (body->v[i].brk == BRK_VERSO && pv->n % 2 == 0))) {
            p = new_page(g, pv);        /* a blank page */
            p->blank = true;
            p->chapter = chap;
            continue;
        }
        p = new_page(g, pv);
        nl = g_array_new(FALSE, TRUE, sizeof(noteline));
        strings = g_array_new(FALSE, TRUE, sizeof(oc_named_string));
        if (i < upto(body, tail) && !only_notes) {
            p->opening = body->v[i].brk >= BRK_PAGE || i == 0;
            chap = body->v[i].chap;
            hh = head_rows(body, i, &h0, &nhr);
            /* Margins after a forced break are kept (CSS Fragmentation 3
             * §5.2): a chapter's title stands as low as its CSS says. */
            if (body->v[i].brk >= BRK_PAGE)
                top0 = body->v[i].space;
        }
        p->chapter = chap;
        left = page_left(g, p);
        top = page_top(g, p);
        H = page_text_height(g, p);
    fill:
        nh = 0;
        any = false;
        over = false;
        for (k = 0; k < carry->len; k++)
            nh += g_array_index(carry, noteline, k).space +
                  g_array_index(carry, noteline, k).r->height;
        if (carry->len > 0) {
            nh += sep;
            any = true;
        }
        end = only_notes ? i : upto(body, tail);
        y = hh + top0;
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
                    (j + 1 == upto(body, tail) ||
                     body->v[j + 1].brk != BRK_KEEP)) {
                    end = j + 1;
                    break;
                }
                end = j;
                for (size_t b = j; b > i; b--)
                    if (body->v[b].brk == BRK_OK) {
                        end = b;
                        break;
                    }
                over = true;
                break;
            }
            y += add;
            nh += nadd;
        }
        if (over && !refit && refit_page(g, body, i, end, j)) {
            refit = true;
            goto fill;
        }
        /* Body rows. A page that ends before a page break the rules chose
         * (not at a chapter's end) has the space it has left shared among
         * the spaces between its blocks, each at most doubled, so that
         * facing pages end level. */
        stretch = 0;
        if (end < upto(body, tail) && body->v[end].brk < BRK_PAGE) {
            double spaces = 0, used = hh + top0;
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
        y += top0;
        for (j = i; j < end; j++) {
            const row *r = &body->v[j];

            if (j > i)
                y += r->space * (1 + stretch);
            place_row(g, &items, r, left, top + y, false);
            for (k = 0; k < r->nstrings; k++)
                push_string(strings, &r->strings[k], j == i);
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
        set_page_strings(g, p, strings);
        g_array_free(strings, TRUE);
        g_array_free(nl, TRUE);
        i = end;
    }
    *from = i;
    g_array_free(carry, TRUE);
}

/* ---- front matter ---- */

/* The type of front-matter element 'k' (see front_doc()). */
static bstyle
front_style(lay *g, int k)
{
    bstyle st;

    memset(&st, 0, sizeof st);
    st.lang = g->s->language;
    set_type(g, &st, style_of(g, g->fm[k]));
    return st;
}

/* The named strings that front-matter element 'k' sets, onto page 'p'. */
static void
front_strings(lay *g, oc_page *p, int k)
{
    flow f;
    GArray *v = g_array_new(FALSE, TRUE, sizeof(oc_named_string));

    memset(&f, 0, sizeof f);
    f.g = g;
    pend_strings(&f, g->fm[k]);
    for (size_t i = 0; i < f.nstrings; i++)
        push_string(v, &f.strings[i], true);
    set_page_strings(g, p, v);
    g_array_free(v, TRUE);
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
    bstyle st;
    double y, fs = g->s->font_size / 11.0;
    double top = page_top(g, p), height = page_text_height(g, p);
    GString *s;

    /* The title page: title, subtitle, authors, and the publisher at the
     * foot of the text block, in the styles of the EPUB's title page
     * (section.titlepage: h1.title, p.subtitle, p.author, p.publisher). */
    y = top + height * 0.22;
    st = front_style(g, FM_TITLE);
    y = centred(g, &items, p, &st, m->title ? m->title : "", y);
    if (m->subtitle != NULL) {
        st = front_style(g, FM_SUBTITLE);
        y = centred(g, &items, p, &st, m->subtitle, y + 10 * fs);
    }
    y += 48 * fs;
    st = front_style(g, FM_AUTHOR);
    for (size_t i = 0; i < m->nauthors; i++)
        y = centred(g, &items, p, &st, m->authors[i].name, y);
    /* Under them the contributors, "Translated by ...", in the style of
     * p.contributor, after its margin-top. */
    if (m->ncontributors > 0) {
        st = front_style(g, FM_CONTRIBUTOR);
        if (m->nauthors > 0)
            y += oc_css_length(st.cs->margin[OC_SIDE_TOP], g->width);
        for (size_t i = 0; i < m->ncontributors; i++) {
            char *credit = g_strdup_printf(
                "%s %s", oc_manifest_credit(m->contributors[i].role),
                m->contributors[i].name);

            y = centred(g, &items, p, &st, credit, y);
            g_free(credit);
        }
    }
    if (m->publisher != NULL) {
        st = front_style(g, FM_PUBLISHER);
        centred(g, &items, p, &st, m->publisher,
                top + height - st.leading);
    }
    p = &g->front.v[g->front.n - 1];
    p->items = items.v;
    p->nitems = items.n;
    front_strings(g, p, FM_TITLE);

    /* The imprint, on the verso, set at the foot of the text block. */
    p = new_page(g, &g->front);
    memset(&items, 0, sizeof items);
    s = g_string_new(NULL);
    for (size_t i = 0; i < m->ncontributors; i++)
        g_string_append_printf(s, "%s %s\n",
                               oc_manifest_credit(m->contributors[i].role),
                               m->contributors[i].name);
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
        st = front_style(g, FM_COLOPHON);
        pl = text_layout(g, &st, s->str, g->width);
        lines = measure_lines(g, pl, &st);
        for (guint k = 0; k < lines->len; k++)
            h += g_array_index(lines, lineinfo, k).asc +
                 g_array_index(lines, lineinfo, k).desc;
        y = page_top(g, p) + page_text_height(g, p) - h;
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
    bstyle st = front_style(g, FM_TOC_ENTRY);
    bstyle hs = front_style(g, FM_TOC_TITLE);
    double em = st.size;
    double W = g->width, numw = 0, pitch = em * 0.5, dotw;
    const oc_style *hcs = style_of(g, g->fm[FM_TOC_TITLE]);
    PangoLayout *pl;
    PangoRectangle log;
    PangoLayoutLine *dot;
    flow f;
    int prev = 0;

    /* The contents open a recto, their title styled as the EPUB's nav
     * h1; the entries as its links. */
    memset(&f, 0, sizeof f);
    f.g = g;
    f.out = rows;
    f.outline = -1;
    pend_dest(&f, "toc");
    f.brk = BRK_RECTO;
    block_open(&f, hcs, W);
    pend_strings(&f, g->fm[FM_TOC_TITLE]);
    text_rows(&f, &hs, "Contents");
    block_close(&f, hcs, W);

    for (size_t i = 0; i < g->noutline; i++) {
        const char *num;

        if (!in_toc(g, &g->outline[i]))
            continue;
        num = folio_text(g, true, g->outline[i].page);
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
        num = folio_text(g, true, e->page);
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

/* Attributes over all of a margin box's text for what its font
 * description cannot say: colour, letter spacing, capitals, lines. */
static void
whole_attrs(PangoAttrList *al, const oc_style *cs)
{
    if (cs->color.r || cs->color.g || cs->color.b)
        pango_attr_list_insert(al, pango_attr_foreground_new(
                                   (guint16)(cs->color.r * 257),
                                   (guint16)(cs->color.g * 257),
                                   (guint16)(cs->color.b * 257)));
    if (cs->color.a != 255)
        pango_attr_list_insert(al, pango_attr_foreground_alpha_new(
                                   (guint16)(cs->color.a * 257)));
    if (fabs(cs->letter_spacing) > EPS)
        pango_attr_list_insert(al, pango_attr_letter_spacing_new(
                                   PU(cs->letter_spacing)));
    if (cs->text_transform != OC_TRANSFORM_NONE)
        pango_attr_list_insert(al, pango_attr_text_transform_new(
            cs->text_transform == OC_TRANSFORM_UPPERCASE
                ? PANGO_TEXT_TRANSFORM_UPPERCASE :
            cs->text_transform == OC_TRANSFORM_LOWERCASE
                ? PANGO_TEXT_TRANSFORM_LOWERCASE
                : PANGO_TEXT_TRANSFORM_CAPITALIZE));
    if (cs->text_decoration & OC_DECORATION_UNDERLINE)
        pango_attr_list_insert(al, pango_attr_underline_new(
                                   PANGO_UNDERLINE_SINGLE));
    if (cs->text_decoration & OC_DECORATION_OVERLINE)
        pango_attr_list_insert(al, pango_attr_overline_new(
                                   PANGO_OVERLINE_SINGLE));
    if (cs->text_decoration & OC_DECORATION_LINE_THROUGH)
        pango_attr_list_insert(al, pango_attr_strikethrough_new(TRUE));
}

/* The counter style counter(page) is printed in: the front matter shows
 * the decimal style as lower-case roman numerals, as books do. */
static oc_list_style
page_counter_style(bool body, oc_list_style s)
{
    return !body && s == OC_LIST_DECIMAL ? OC_LIST_LOWER_ROMAN : s;
}

/* The style the folios of the front matter or the body are printed in:
 * that of the first counter(page) in the margin boxes of a right page,
 * a left page, then their :first pages; lower-roman and decimal when
 * none shows the page number. */
static oc_list_style
folio_style(lay *g, bool body)
{
    static const unsigned kinds[] = {
        OC_PAGE_RIGHT, OC_PAGE_LEFT, OC_PAGE_RIGHT | OC_PAGE_FIRST,
        OC_PAGE_LEFT | OC_PAGE_FIRST
    };

    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const oc_page_style *ps = oc_css_page(g->css, kinds[k], g->root);

        for (int b = 0; b < OC_MBOX_COUNT; b++)
            for (size_t i = 0; i < ps->boxes[b].content.npieces; i++) {
                const oc_piece *pc = &ps->boxes[b].content.pieces[i];

                if (pc->kind == OC_PIECE_PAGE)
                    return page_counter_style(body, pc->counter_style);
            }
    }
    return body ? OC_LIST_DECIMAL : OC_LIST_LOWER_ROMAN;
}

/* Page number 'n' of the front matter or the body as its folios print
 * it. */
static const char *
folio_text(lay *g, bool body, long n)
{
    char buf[64];

    oc_css_counter_format((int)n, g->folios[body], buf, sizeof buf);
    return oc_arena_strdup(g->L->arena, buf);
}

/* The value of named string 'name' for a page (CSS GCPM 3 §1.2): from
 * its own assignments, or the one in effect when it starts ('cur'). */
static const char *
string_value(GHashTable *cur, const oc_page *p, const char *name,
             oc_string_which which)
{
    const char *first = NULL, *last = NULL, *start = NULL;
    const char *entry = g_hash_table_lookup(cur, name);

    for (size_t i = 0; i < p->nstrings; i++) {
        if (strcmp(p->strings[i].name, name) != 0)
            continue;
        if (first == NULL)
            first = p->strings[i].value;
        if (start == NULL && p->strings[i].at_start)
            start = p->strings[i].value;
        last = p->strings[i].value;
    }
    if (entry == NULL)
        entry = "";
    switch (which) {
    case OC_STRING_START:        return start ? start : entry;
    case OC_STRING_LAST:         return last ? last : entry;
    case OC_STRING_FIRST_EXCEPT: return first ? "" : entry;
    default:                     return first ? first : entry;
    }
}

/* A page's numbers: its own, and how many pages its numbering has. */
typedef struct folio {
    bool body;                  /* counted with the body, not the front */
    long n, total;
} folio;

/* The text of margin box content 'c' on page 'p'. */
static const char *
box_text(lay *g, const oc_content *c, const oc_page *p, GHashTable *cur,
         const folio *fo)
{
    GString *s = g_string_new(NULL);
    const char *out;
    char buf[64];

    for (size_t i = 0; i < c->npieces; i++) {
        const oc_piece *pc = &c->pieces[i];

        switch (pc->kind) {
        case OC_PIECE_TEXT:
            g_string_append(s, pc->text);
            break;
        case OC_PIECE_PAGE:
        case OC_PIECE_PAGES:
            oc_css_counter_format((int)(pc->kind == OC_PIECE_PAGE
                                            ? fo->n : fo->total),
                                  page_counter_style(fo->body,
                                                     pc->counter_style),
                                  buf, sizeof buf);
            g_string_append(s, buf);
            break;
        case OC_PIECE_STRING:
            g_string_append(s, string_value(cur, p, pc->text, pc->which));
            break;
        default:
            break;
        }
    }
    out = oc_arena_strndup(g->L->arena, s->str, s->len);
    g_string_free(s, TRUE);
    return out;
}

/* The area of margin box 'k' on a page 'W' × 'H' of style 'ps' (CSS
 * Paged Media 3 §5.3, simplified): the boxes of the top and bottom rows
 * span the text block's width, each aligning its content in it; the
 * side boxes take a third of the text block's height each. */
static void
box_area(const oc_page_style *ps, double W, double H, int k, double r[4])
{
    double ml = ps->margin[OC_SIDE_LEFT], mr = ps->margin[OC_SIDE_RIGHT];
    double mt = ps->margin[OC_SIDE_TOP], mb = ps->margin[OC_SIDE_BOTTOM];
    double cw = W - ml - mr, third = (H - mt - mb) / 3;
    double x = ml, y = 0, w = cw, h = mt;

    switch (k) {
    case OC_MBOX_TOP_LEFT_CORNER:     x = 0; w = ml; break;
    case OC_MBOX_TOP_RIGHT_CORNER:    x = W - mr; w = mr; break;
    case OC_MBOX_BOTTOM_LEFT_CORNER:  x = 0; w = ml; y = H - mb; h = mb;
                                      break;
    case OC_MBOX_BOTTOM_RIGHT_CORNER: x = W - mr; w = mr; y = H - mb;
                                      h = mb; break;
    case OC_MBOX_BOTTOM_LEFT:
    case OC_MBOX_BOTTOM_CENTER:
    case OC_MBOX_BOTTOM_RIGHT:        y = H - mb; h = mb; break;
    case OC_MBOX_LEFT_TOP:
    case OC_MBOX_LEFT_MIDDLE:
    case OC_MBOX_LEFT_BOTTOM:
    case OC_MBOX_RIGHT_TOP:
    case OC_MBOX_RIGHT_MIDDLE:
    case OC_MBOX_RIGHT_BOTTOM:
        x = k >= OC_MBOX_LEFT_BOTTOM ? 0 : W - mr;
        w = k >= OC_MBOX_LEFT_BOTTOM ? ml : mr;
        h = third;
        y = mt + third * (k == OC_MBOX_LEFT_TOP || k == OC_MBOX_RIGHT_TOP
                              ? 0 :
                          k == OC_MBOX_LEFT_MIDDLE ||
                          k == OC_MBOX_RIGHT_MIDDLE ? 1 : 2);
        break;
    default:
        break;
    }
    r[0] = x;
    r[1] = y;
    r[2] = w;
    r[3] = h;
}

typedef struct mbox {
    PangoLayout *pl;
    bstyle       st;
    double       w;             /* natural width of its text */
} mbox;

/* Draw the margin boxes of page 'p' (its @page style 'ps'): each box
 * whose content is not empty is one line in its style, ellipsized to fit
 * (a centre box also leaves room for its neighbours), aligned in its area
 * by text-align and vertical-align (middle unless top or bottom), inside
 * its padding. Boxes above the text come first in the page's items. */
static void
margin_boxes(lay *g, oc_page *p, const oc_page_style *ps, GHashTable *cur,
             const folio *fo)
{
    itemvec head = { NULL, 0, 0 }, foot = { NULL, 0, 0 };
    mbox box[OC_MBOX_COUNT];
    double W = g->s->width, H = g->s->height;

    memset(box, 0, sizeof box);
    for (int k = 0; k < OC_MBOX_COUNT; k++) {
        const oc_margin_box *mb = &ps->boxes[k];
        const char *text;
        PangoAttrList *al;
        PangoRectangle log;

        if (mb->content.npieces == 0)
            continue;
        text = box_text(g, &mb->content, p, cur, fo);
        if (*text == '\0')
            continue;
        box[k].st.lang = g->s->language;
        set_type(g, &box[k].st, mb->style);
        box[k].st.align = PANGO_ALIGN_LEFT;
        box[k].st.justify = false;
        box[k].pl = new_layout(g, &box[k].st, -1);
        pango_layout_set_text(box[k].pl, text, -1);
        al = pango_attr_list_new();
        pango_attr_list_insert(al, pango_attr_language_new(
                                   pango_language_from_string(
                                       box[k].st.lang)));
        whole_attrs(al, mb->style);
        pango_layout_set_attributes(box[k].pl, al);
        pango_attr_list_unref(al);
        pango_layout_get_extents(box[k].pl, NULL, &log);
        box[k].w = PT(log.width);
    }
    for (int k = 0; k < OC_MBOX_COUNT; k++) {
        const oc_style *cs = ps->boxes[k].style;
        double r[4], room, x, y, asc, desc, pl, pr, pt, pb, side = 0;
        PangoRectangle log;
        oc_text_align a = cs->text_align;

        if (box[k].pl == NULL)
            continue;
        box_area(ps, W, H, k, r);
        pl = oc_css_length(cs->padding[OC_SIDE_LEFT], r[2]);
        pr = oc_css_length(cs->padding[OC_SIDE_RIGHT], r[2]);
        pt = oc_css_length(cs->padding[OC_SIDE_TOP], r[2]);
        pb = oc_css_length(cs->padding[OC_SIDE_BOTTOM], r[2]);
        room = r[2] - pl - pr;
        if (k == OC_MBOX_TOP_CENTER || k == OC_MBOX_BOTTOM_CENTER) {
            side = fmax(box[k - 1].w, box[k + 1].w);
            if (side > 0)
                room -= 2 * (side + 2 * box[k].st.size);
        }
        if (room < box[k].st.size)
            room = box[k].st.size;
        if (box[k].w > room) {
            pango_layout_set_width(box[k].pl, PU(room));
            pango_layout_set_ellipsize(box[k].pl, PANGO_ELLIPSIZE_END);
        }
        pango_layout_get_extents(box[k].pl, NULL, &log);
        box[k].w = PT(log.width);
        asc = PT(pango_layout_get_baseline(box[k].pl)) - PT(log.y);
        desc = PT(log.y + log.height) - asc;
        if (cs->vertical_align == OC_VALIGN_TOP ||
            cs->vertical_align == OC_VALIGN_TEXT_TOP)
            y = r[1] + pt + asc;
        else if (cs->vertical_align == OC_VALIGN_BOTTOM ||
                 cs->vertical_align == OC_VALIGN_TEXT_BOTTOM)
            y = r[1] + r[3] - pb - desc;
        else
            y = r[1] + pt + (r[3] - pt - pb - asc - desc) / 2 + asc;
        if (a == OC_ALIGN_START || a == OC_ALIGN_JUSTIFY)
            a = box[k].st.rtl ? OC_ALIGN_RIGHT : OC_ALIGN_LEFT;
        else if (a == OC_ALIGN_END)
            a = box[k].st.rtl ? OC_ALIGN_LEFT : OC_ALIGN_RIGHT;
        x = r[0] + pl;
        if (a == OC_ALIGN_RIGHT)
            x += r[2] - pl - pr - box[k].w;
        else if (a == OC_ALIGN_CENTER)
            x += (r[2] - pl - pr - box[k].w) / 2;
        add_text_item(g, r[1] < ps->margin[OC_SIDE_TOP] ? &head : &foot,
                      pango_layout_get_line_readonly(box[k].pl, 0),
                      x - PT(log.x), y);
    }
    if (head.n + foot.n > 0) {
        oc_item *all = oc_arena_alloc(g->L->arena, (head.n + p->nitems +
                                                    foot.n) * sizeof *all);

        if (head.n > 0)
            memcpy(all, head.v, head.n * sizeof *all);
        if (p->nitems > 0)
            memcpy(all + head.n, p->items, p->nitems * sizeof *all);
        if (foot.n > 0)
            memcpy(all + head.n + p->nitems, foot.v, foot.n * sizeof *all);
        p->items = all;
        p->nitems += head.n + foot.n;
    }
}

/* The chapter that destination 'name' lies in (dest_name()), or -1. */
static long
dest_chapter(const char *name)
{
    char *end;
    long c;

    if (name[0] != 'c' || name[1] < '1' || name[1] > '9')
        return -1;
    c = strtol(name + 1, &end, 10);
    return *end == '\0' || *end == '-' ? c - 1 : -1;
}

/* Drop the links of page 'p' to destinations that no page holds, so that
 * the PDF never names a missing one. Those of chapters from 'unknown' on,
 * which are not on pages yet, are kept and remembered (g->pending). */
static void
page_links(lay *g, oc_page *p, size_t unknown)
{
    size_t o = 0;

    for (size_t k = 0; k < p->nitems; k++) {
        oc_item *it = &p->items[k];

        if (it->kind == OC_ITEM_LINK && it->dest != NULL &&
            !g_hash_table_contains(g->dests, it->dest)) {
            long c = dest_chapter(it->dest);

            if (c >= 0 && (size_t)c < unknown)
                continue;
            g_ptr_array_add(g->pending, (gpointer)it->dest);
        }
        p->items[o++] = *it;
    }
    p->nitems = o;
}

/* Whether a margin box counts all the pages (counter(pages)): no page is
 * final before the last. */
static bool
counts_pages(lay *g)
{
    for (unsigned f = 0; f < 16; f++) {
        const oc_page_style *ps = oc_css_page(g->css, f, g->root);

        for (int k = 0; k < OC_MBOX_COUNT; k++)
            for (size_t i = 0; i < ps->boxes[k].content.npieces; i++)
                if (ps->boxes[k].content.pieces[i].kind == OC_PIECE_PAGES)
                    return true;
    }
    return false;
}

/* Page 'p', final: its folio and margin boxes (fo), the strings it sets
 * (into 'cur'), and to the sink. */
static void
finish_page(lay *g, oc_page *p, GHashTable *cur, const folio *fo,
            bool boxes)
{
    p->label = folio_text(g, fo->body, fo->n);
    if (boxes) {
        oc_fonts_lock();
        margin_boxes(g, p, page_style(g, p, !fo->body && fo->n == 1), cur,
                     fo);
        oc_fonts_unlock();
    }
    for (size_t k = 0; k < p->nstrings; k++)
        g_hash_table_insert(cur, (gpointer)p->strings[k].name,
                            (gpointer)p->strings[k].value);
    if (g->sink != NULL && !g->too_many)
        g->sink(g->L, p, g->sink_data);
}

/* Paginate the body rows from *from, all of them when 'all', else up to
 * the last that opens a page, and finish the pages made. */
static void
body_pages(lay *g, size_t *from, bool all)
{
    rowvec *body = &g->body;
    size_t tail = 0;

    if (!all) {
        size_t r = body->n;

        while (r > *from + 1 && body->v[r - 1].brk < BRK_PAGE)
            r--;
        if (r <= *from + 1)
            return;
        tail = body->n - (r - 1);
    }
    paginate(g, body, &g->pages, from, tail);
    for (; g->done < g->pages.n && !g->too_many; g->done++) {
        oc_page *p = &g->pages.v[g->done];
        folio fo = { true, (long)g->done + 1, (long)g->pages.n };

        page_links(g, p, *from < body->n ? (size_t)body->v[*from].chap
                                         : g->b->nchapters);
        finish_page(g, p, g->cur, &fo, true);
    }
}

/* Finish the front matter: its folios, margin boxes (not on the title
 * page and the imprint), links. A destination linked to that no page
 * holds lands on the contents (or the title page). */
static void
front_pages(lay *g, bool toc)
{
    GHashTable *cur = g_hash_table_new(g_str_hash, g_str_equal);
    size_t nf = g->front.n;
    size_t land = toc && nf > 2 ? 2 : 0;

    for (guint k = 0; k < g->pending->len && nf > 0; k++) {
        oc_page *p = &g->front.v[land];
        itemvec v = { p->items, p->nitems, p->nitems };

        add_dest(g, &v, g_ptr_array_index(g->pending, k), 0, 0);
        p->items = v.v;
        p->nitems = v.n;
    }
    for (size_t i = 0; i < nf; i++) {
        oc_page *p = &g->front.v[i];
        folio fo = { false, (long)i + 1, (long)nf };

        p->chapter = -1;
        page_links(g, p, g->b->nchapters);
        finish_page(g, p, cur, &fo, i >= 2);
    }
    g_hash_table_destroy(cur);
}

/* The book's pages in order, the front matter then the body, numbered
 * through; and its outline. */
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

/* ---- the cascade ---- */

/* The stylesheets in cascade order: the user-agent rules (css.c), then
 * DATA_DIR/styles/print.css when there is one, then the book's. */
static oc_css *
load_css(const oc_book *b, oc_arena *a)
{
    oc_css *css = oc_css_new(a);
    oc_error ignored = {0};
    char *path = g_strdup_printf("%s/styles/print.css",
                                 b->data_dir ? b->data_dir : ".");

    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
        oc_css_parse_file(css, path, &ignored);
    g_free(path);
    for (size_t i = 0; i < b->nstyles; i++)
        oc_css_parse(css, b->styles[i].data, b->styles[i].len,
                     b->styles[i].src ? b->styles[i].src
                                      : b->styles[i].href, &ignored);
    return css;
}

static xmlNodePtr
fm_add(xmlNodePtr parent, const char *name, const char *cls,
       const char *text)
{
    xmlNodePtr e = xmlNewTextChild(parent, parent->ns, BAD_CAST name,
                                   text ? BAD_CAST text : NULL);

    if (cls != NULL)
        xmlSetProp(e, BAD_CAST "class", BAD_CAST cls);
    return e;
}

/* The front matter as elements, as the EPUB has it (title-page.xhtml,
 * colophon.xhtml, nav.xhtml), in one document, with a chapter's
 * paragraph and pre: their computed styles set the title page, the
 * imprint, the contents and the base type, and the pages inherit from
 * its root. */
static void
front_doc(lay *g)
{
    const oc_manifest *m = g->b->m;
    const char *lang = g->s->language;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr html = xmlNewNode(NULL, BAD_CAST "html");
    xmlNsPtr ns = xmlNewNs(html, BAD_CAST XHTML_NS, NULL);
    xmlNsPtr epub = xmlNewNs(html, BAD_CAST OPS_NS, BAD_CAST "epub");
    xmlNodePtr body, sec, nav, ol;

    xmlSetNs(html, ns);
    xmlDocSetRootElement(doc, html);
    xmlNodeSetLang(html, BAD_CAST lang);
    xmlSetProp(html, BAD_CAST "lang", BAD_CAST lang);
    body = fm_add(html, "body", NULL, NULL);
    xmlSetNsProp(body, epub, BAD_CAST "type", BAD_CAST "frontmatter");
    sec = fm_add(body, "section", "titlepage", NULL);
    xmlSetNsProp(sec, epub, BAD_CAST "type", BAD_CAST "titlepage");
    xmlSetProp(sec, BAD_CAST "id", BAD_CAST "titlepage");
    g->fm[FM_TITLE] = fm_add(sec, "h1", "title", m && m->title ? m->title
                                                               : "");
    g->fm[FM_SUBTITLE] = fm_add(sec, "p", "subtitle",
                                m && m->subtitle ? m->subtitle : "");
    g->fm[FM_AUTHOR] = fm_add(sec, "p", "author",
                              m && m->nauthors ? m->authors[0].name : "");
    g->fm[FM_CONTRIBUTOR] = fm_add(sec, "p", "contributor",
                                   m && m->ncontributors
                                       ? m->contributors[0].name : "");
    g->fm[FM_PUBLISHER] = fm_add(sec, "p", "publisher",
                                 m && m->publisher ? m->publisher : "");
    sec = fm_add(body, "section", "colophon", NULL);
    xmlSetNsProp(sec, epub, BAD_CAST "type", BAD_CAST "copyright-page");
    xmlSetProp(sec, BAD_CAST "id", BAD_CAST "colophon");
    g->fm[FM_COLOPHON] = fm_add(sec, "p", "rights",
                                m && m->rights ? m->rights : "");
    nav = fm_add(body, "nav", NULL, NULL);
    xmlSetNsProp(nav, epub, BAD_CAST "type", BAD_CAST "toc");
    xmlSetProp(nav, BAD_CAST "id", BAD_CAST "toc");
    xmlSetProp(nav, BAD_CAST "role", BAD_CAST "doc-toc");
    g->fm[FM_TOC_TITLE] = fm_add(nav, "h1", NULL, "Contents");
    xmlSetProp(g->fm[FM_TOC_TITLE], BAD_CAST "id", BAD_CAST "toc-title");
    ol = fm_add(nav, "ol", NULL, NULL);
    g->fm[FM_TOC_ENTRY] = fm_add(fm_add(ol, "li", NULL, NULL), "a", NULL,
                                 "Contents");
    sec = fm_add(body, "section", NULL, NULL);
    xmlSetNsProp(sec, epub, BAD_CAST "type", BAD_CAST "chapter");
    xmlSetProp(sec, BAD_CAST "role", BAD_CAST "doc-chapter");
    fm_add(sec, "h1", NULL, "Chapter");
    fm_add(sec, "p", NULL, "Text.");
    g->fm[FM_P] = fm_add(sec, "p", NULL, "Text.");
    g->fm[FM_PRE] = fm_add(sec, "pre", NULL, "code");
    g->front_doc = doc;
}

/* The label style of a PDF page label (ISO 32000-1 §12.4.2) that shows
 * counter style 's'; decimal for one a label cannot show. */
static char
label_style(oc_list_style *s)
{
    switch (*s) {
    case OC_LIST_LOWER_ROMAN: return 'r';
    case OC_LIST_UPPER_ROMAN: return 'R';
    case OC_LIST_LOWER_ALPHA: return 'a';
    case OC_LIST_UPPER_ALPHA: return 'A';
    default:
        *s = OC_LIST_DECIMAL;
        return 'D';
    }
}

/* The page and the type from the stylesheets: a right page's box, a
 * chapter paragraph's type. */
static oc_status
setup_from_css(lay *g, oc_error *err)
{
    oc_page_setup *s = &g->L->setup;
    const oc_page_style *ps;
    const oc_style *p, *pre;

    g->root = style_of(g, xmlDocGetRootElement(g->front_doc));
    ps = oc_css_page(g->css, OC_PAGE_RIGHT, g->root);
    p = style_of(g, g->fm[FM_P]);
    pre = style_of(g, g->fm[FM_PRE]);
    /* To the hundredth of a point, as page sizes are given ("A4:
     * 595.28 x 841.89 pt"). */
    s->width = round(ps->width * 100) / 100;
    s->height = round(ps->height * 100) / 100;
    s->inner = ps->margin[OC_SIDE_LEFT];
    s->outer = ps->margin[OC_SIDE_RIGHT];
    s->top = ps->margin[OC_SIDE_TOP];
    s->bottom = ps->margin[OC_SIDE_BOTTOM];
    s->font_size = p->font_size;
    s->leading = oc_css_line_height(p);
    s->serif = pango_family(g, p->font_family);
    s->mono = pango_family(g, pre->font_family);
    g->width = s->width - s->inner - s->outer;
    g->height = floor((s->height - s->top - s->bottom) / s->leading + EPS) *
                s->leading;
    if (g->width < 2 * s->font_size || g->height < s->leading ||
        s->font_size < 1)
        return oc_error_set(err, OC_ERR_INVALID,
                            g->b->m ? g->b->m->file : NULL, 0, 0,
                            "the stylesheets' @page leaves a text block of "
                            "%.0f x %.0f pt, too small for %.1f pt type",
                            g->width, g->height, s->font_size);
    g->folios[0] = folio_style(g, false);
    g->folios[1] = folio_style(g, true);
    g->L->front_labels = label_style(&g->folios[0]);
    g->L->body_labels = label_style(&g->folios[1]);
    return OC_OK;
}

/* ---- the public interface ---- */

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

/* The sink's last call, once, on every path and before anything is
 * freed: whoever reads the pages given is done when it returns. Called
 * with the font lock held once, which it lets go meanwhile. */
static void
end_sink(lay *g)
{
    if (g->sink == NULL || g->sink_ended)
        return;
    g->sink_ended = true;
    oc_fonts_unlock();
    g->sink(g->L, NULL, g->sink_data);
    oc_fonts_lock();
}

oc_status
oc_layout_book(const oc_book *b, const oc_page_setup *setup,
               oc_layout **out, oc_error *err)
{
    return oc_layout_book_to(b, setup, NULL, NULL, out, err);
}

oc_status
oc_layout_book_to(const oc_book *b, const oc_page_setup *setup,
                  oc_page_sink sink, void *data, oc_layout **out,
                  oc_error *err)
{
    oc_layout *L = oc_xcalloc(1, sizeof *L);
    PangoFontDescription *d;
    PangoFont *font;
    lay g;
    rowvec toc = { NULL, 0, 0 };
    bool has_toc = false, stream;
    size_t from = 0;
    oc_status st = OC_OK;

    L->setup.max_pages = setup != NULL && setup->max_pages > 0
                             ? setup->max_pages : OC_LAYOUT_MAX_PAGES;
    L->setup.language = b->m && b->m->language ? b->m->language : "en";
    L->toc_depth = b->m && b->m->toc_depth > 0 ? b->m->toc_depth : 2;
    L->arena = oc_arena_new();
    L->layouts = g_ptr_array_new_with_free_func(g_object_unref);
    L->paras = g_ptr_array_new_with_free_func((GDestroyNotify)oc_para_free);
    L->dicts = oc_hyphen_cache_new(NULL);
    L->words = oc_para_cache_new();
    L->pictures = g_ptr_array_new();
    /* The font lock (fontlock.h) is held from here on, but while the
     * chapters are flowed and paginated (which take it where they call
     * Pango) and when the sink hears the end. */
    oc_fonts_lock();
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

    memset(&g, 0, sizeof g);
    g.sink = sink;
    g.sink_data = data;
    g.L = L;
    g.b = b;
    g.s = &L->setup;
    g.css = load_css(b, L->arena);
    g.styles = g_hash_table_new(g_direct_hash, g_direct_equal);
    g.families = g_hash_table_new(g_str_hash, g_str_equal);
    front_doc(&g);
    if ((st = setup_from_css(&g, err)) != OC_OK)
        goto out;

    d = pango_font_description_new();
    pango_font_description_set_family(d, L->setup.serif);
    pango_font_description_set_absolute_size(d, L->setup.font_size *
                                                PANGO_SCALE);
    font = pango_context_load_font(L->context, d);
    pango_font_description_free(d);
    if (font == NULL) {
        st = oc_error_set(err, OC_ERR_LIB, b->m ? b->m->file : NULL, 0, 0,
                          "no font found for '%s'", L->setup.serif);
        goto out;
    }
    g_object_unref(font);

    g.max_pages = (size_t)L->setup.max_pages;
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
    g.pending = g_ptr_array_new();
    g.cur = g_hash_table_new(g_str_hash, g_str_equal);
    /* The title page and the imprint first: the strings they set (the
     * book's title) run on in the body's heads. */
    title_pages(&g);
    for (size_t i = 0; i < g.front.n; i++)
        for (size_t k = 0; k < g.front.v[i].nstrings; k++)
            g_hash_table_insert(g.cur,
                                (gpointer)g.front.v[i].strings[k].name,
                                (gpointer)g.front.v[i].strings[k].value);
    /* Then the body, so that the contents know its folios; a chapter's
     * pages are final once the next chapter opens on a new page, and
     * then go to the sink (unless a margin box counts all the pages). */
    stream = sink != NULL && !counts_pages(&g);
    oc_fonts_unlock();
    for (size_t i = 0; i < b->nchapters && !g.too_many; i++) {
        flow_chapter(&g, i);
        if (stream)
            body_pages(&g, &from, false);
    }
    body_pages(&g, &from, true);
    oc_fonts_lock();
    /* Then the contents, making the front matter an even number of
     * pages, so that the body opens on a recto whatever its length. */
    for (size_t i = 0; i < g.noutline && !has_toc; i++)
        has_toc = in_toc(&g, &g.outline[i]);
    if (has_toc) {
        size_t first = 0;

        toc_rows(&g, &toc);
        paginate(&g, &toc, &g.front, &first, 0);
    }
    if (g.front.n % 2 == 1)
        new_page(&g, &g.front)->blank = true;
    if (g.too_many) {
        st = oc_error_set(err, OC_ERR_INVALID, b->m ? b->m->file : NULL, 0,
                          0, "the book would need more than %d pages, "
                          "the limit for a PDF", L->setup.max_pages);
    } else {
        front_pages(&g, has_toc);
        assemble(&g, has_toc);
    }
    end_sink(&g);
    g_ptr_array_free(g.pending, TRUE);
    g_hash_table_destroy(g.cur);

    for (size_t i = 0; i < b->nchapters; i++) {
        g_hash_table_destroy(g.ids[i]);
        g_hash_table_destroy(g.labels[i]);
    }
    g_hash_table_destroy(g.dests);
    g_hash_table_destroy(g.note_of);
    g_hash_table_destroy(g.pictures);
out:
    end_sink(&g);
    oc_fonts_unlock();
    g_hash_table_destroy(g.styles);
    g_hash_table_destroy(g.families);
    xmlFreeDoc(g.front_doc);
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
    oc_fonts_lock();
    if (l->layouts != NULL)
        g_ptr_array_free(l->layouts, TRUE);
    if (l->paras != NULL)
        g_ptr_array_free(l->paras, TRUE);
    oc_hyphen_cache_free(l->dicts);
    oc_para_cache_free(l->words);
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
    oc_fonts_unlock();
    oc_arena_free(l->arena);
    free(l);
}
