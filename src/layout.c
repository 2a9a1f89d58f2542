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
#include "layout-int.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <hb-ot.h>
#include <hb.h>
#include <libxml/tree.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <webp/decode.h>

#include "css.h"
#include "buf.h"
#include "data.h"
#include "error.h"
#include "sanitize.h"
#include "fontlock.h"
#include "xhtml.h"

/* The value of attribute 'name' (in namespace 'ns', or none), or NULL.
 * Borrowed from the DOM, or copied to the arena when it is not one node. */
const char *
lay_attr(lay *g, xmlNodePtr n, const char *name, const char *ns)
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

/* epub:type or role names the element 'what' ("noteref", "footnote"). */
bool
lay_is_a(lay *g, xmlNodePtr n, const char *what)
{
    char role[32];

    snprintf(role, sizeof role, "doc-%s", what);
    return oc_xhtml_has_token(lay_attr(g, n, "type", OPS_NS), what) ||
           oc_xhtml_has_token(lay_attr(g, n, "role", NULL), role);
}

/* The computed style of element 'n', its ancestors' computed first;
 * each element's is computed once. */
const oc_style *
lay_style_of(lay *g, xmlNodePtr n)
{
    const oc_style *s = g_hash_table_lookup(g->style.styles, n);
    const oc_style *parent = NULL;

    if (s != NULL)
        return s;
    if (n->parent != NULL && n->parent->type == XML_ELEMENT_NODE)
        parent = lay_style_of(g, n->parent);
    s = oc_css_compute(g->style.css, n, parent);
    g_hash_table_insert(g->style.styles, n, (gpointer)s);
    return s;
}

/* A note's link back to its reference: epub:type or role backlink, and
 * as Markdown tools mark it without either (GitHub's
 * data-footnote-backref, markdown-it's and Python-Markdown's class
 * footnote-backref, older pandoc's footnote-back). */
static bool
is_backlink(lay *g, xmlNodePtr n)
{
    const char *cls;

    if (!is(n, "a"))
        return false;
    cls = lay_attr(g, n, "class", NULL);
    return lay_is_a(g, n, "backlink") ||
           lay_attr(g, n, "data-footnote-backref", NULL) != NULL ||
           oc_xhtml_has_token(cls, "footnote-backref") ||
           oc_xhtml_has_token(cls, "footnote-back");
}

/* Not shown at all: display: none (head, script, [hidden]... in the
 * user-agent rules), and noscript, whose content is for browsers. */
bool
lay_is_skipped(lay *g, xmlNodePtr n)
{
    if (n->type != XML_ELEMENT_NODE)
        return false;
    /* A note's link back to its reference (the EPUB's ↩) belongs to a
     * screen: on paper the note is on the reference's page. */
    return is(n, "noscript") ||
           lay_style_of(g, n)->display == OC_DISPLAY_NONE ||
           is_backlink(g, n);
}

/* A block-level box: display block, list-item, table and its parts. */
bool
lay_is_block(lay *g, xmlNodePtr n)
{
    oc_display d;

    if (n->type != XML_ELEMENT_NODE)
        return false;
    d = lay_style_of(g, n)->display;
    return d != OC_DISPLAY_INLINE && d != OC_DISPLAY_INLINE_BLOCK &&
           d != OC_DISPLAY_INLINE_TABLE && d != OC_DISPLAY_NONE;
}

/* A Pango family list for CSS font-family 'list' ("EB Garamond, serif"),
 * the same pointer for the same list. Fontconfig maps the bare name "EB
 * Garamond" to the 08 (caption) cut of fonts-ebgaramond, too heavy for
 * text: the 12 cut is named before it. */
const char *
lay_pango_family(lay *g, const char *list)
{
    const char *found = g_hash_table_lookup(g->font.families, list);
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
    g_hash_table_insert(g->font.families,
                        (gpointer)oc_arena_strdup(g->L->arena, list),
                        (gpointer)found);
    return found;
}

/* The x-height of the first font of Pango family list 'family', as a
 * share of its size: the font's own figure (OS/2 sxHeight), else the
 * height of its "x"; 0 when neither is known. */
static double
font_aspect(lay *g, const char *family)
{
    PangoFontDescription *d = pango_font_description_new();
    PangoFont *font;
    double aspect = 0;

    pango_font_description_set_family(d, family);
    pango_font_description_set_absolute_size(d, 100 * PANGO_SCALE);
    oc_fonts_lock();
    font = pango_context_load_font(g->L->context, d);
    if (font != NULL) {
        hb_face_t *face = hb_font_get_face(pango_font_get_hb_font(font));
        hb_font_t *hf = hb_font_create(face);   /* in font units */
        unsigned upem = hb_face_get_upem(face);
        hb_position_t x = 0;
        hb_codepoint_t gid;
        hb_glyph_extents_t ext;

        if ((!hb_ot_metrics_get_position(hf, HB_OT_METRICS_TAG_X_HEIGHT,
                                         &x) || x <= 0) &&
            hb_font_get_nominal_glyph(hf, 'x', &gid) &&
            hb_font_get_glyph_extents(hf, gid, &ext))
            x = ext.y_bearing;
        if (upem > 0 && x > 0)
            aspect = (double)x / upem;
        hb_font_destroy(hf);
        g_object_unref(font);
    }
    oc_fonts_unlock();
    pango_font_description_free(d);
    return aspect;
}

/* The size type of computed style 'cs' is set in: its font-size, or with
 * font-size-adjust, the size that gives its first font an x-height of
 * font-size-adjust times font-size (CSS Fonts 5 §2.6), so that code in
 * a monospace face matches the x-height of the text around it; times
 * the type scale of a table set smaller to fit (layout-table.c). */
double
lay_used_size(lay *g, const oc_style *cs)
{
    const char *family;
    double *aspect;

    if (cs->font_size_adjust <= 0)
        return cs->font_size * g->type_scale;
    family = lay_pango_family(g, cs->font_family);
    aspect = g_hash_table_lookup(g->font.aspects, family);
    if (aspect == NULL) {
        aspect = oc_arena_alloc(g->L->arena, sizeof *aspect);
        *aspect = font_aspect(g, family);
        g_hash_table_insert(g->font.aspects, (gpointer)family, aspect);
    }
    if (*aspect <= 0)
        return cs->font_size * g->type_scale;
    return fmax(1, cs->font_size * cs->font_size_adjust / *aspect) *
           g->type_scale;
}

/* The OpenType features of font-variant-numeric flags 'on' (CSS Fonts 4
 * §6.7), and those of 'was' (the parent's) turned off, as Pango's
 * pango_attr_font_features_new reads them: "lnum 1, tnum 1". */
void
lay_numeric_features(unsigned on, unsigned was, char *buf, size_t size)
{
    static const struct {
        unsigned    flag;
        const char *tag;
    } feats[] = {
        {OC_NUMERIC_LINING, "lnum"}, {OC_NUMERIC_OLDSTYLE, "onum"},
        {OC_NUMERIC_PROPORTIONAL, "pnum"}, {OC_NUMERIC_TABULAR, "tnum"},
        {OC_NUMERIC_DIAGONAL_FRAC, "frac"}, {OC_NUMERIC_STACKED_FRAC, "afrc"},
        {OC_NUMERIC_ORDINAL, "ordn"}, {OC_NUMERIC_SLASHED_ZERO, "zero"}
    };
    size_t len = 0;

    buf[0] = '\0';
    for (size_t k = 0; k < sizeof feats / sizeof feats[0]; k++)
        if (((on | was) & feats[k].flag) && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s %d",
                                    len > 0 ? ", " : "", feats[k].tag,
                                    (on & feats[k].flag) != 0);
}

PangoStyle
lay_pango_slant(const oc_style *cs)
{
    return cs->font_style == OC_FONT_STYLE_ITALIC ? PANGO_STYLE_ITALIC :
           cs->font_style == OC_FONT_STYLE_OBLIQUE ? PANGO_STYLE_OBLIQUE :
           PANGO_STYLE_NORMAL;
}

PangoVariant
lay_pango_variant(const oc_style *cs)
{
    return cs->font_variant == OC_FONT_VARIANT_SMALL_CAPS
               ? PANGO_VARIANT_SMALL_CAPS :
           cs->font_variant == OC_FONT_VARIANT_ALL_SMALL_CAPS
               ? PANGO_VARIANT_ALL_SMALL_CAPS : PANGO_VARIANT_NORMAL;
}

/* The type of computed style 'cs' in 'st': font, leading, alignment,
 * direction, hyphenation, widows and orphans. A bstyle's LEFT and RIGHT
 * alignments mean start and end (lay_new_layout turns them for right-to-left
 * text); CSS's left and right are physical. */
void
lay_set_type(lay *g, bstyle *st, const oc_style *cs)
{
    st->cs = cs;
    st->family = lay_pango_family(g, cs->font_family);
    st->size = lay_used_size(g, cs);
    st->leading = oc_css_line_height(cs) * g->type_scale;
    st->slant = lay_pango_slant(cs);
    st->weight = (PangoWeight)cs->font_weight;
    st->variant = lay_pango_variant(cs);
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
bstyle
lay_block_style(lay *g, const bstyle *parent, xmlNodePtr n)
{
    const oc_style *cs = lay_style_of(g, n);
    double cb = g->width - parent->left - parent->right;
    const char *lang = lay_attr(g, n, "lang", XML_NS);
    bstyle st = *parent;

    lay_set_type(g, &st, cs);
    st.left += oc_css_length(cs->margin[OC_SIDE_LEFT], cb) +
               oc_css_length(cs->padding[OC_SIDE_LEFT], cb);
    st.right += oc_css_length(cs->margin[OC_SIDE_RIGHT], cb) +
                oc_css_length(cs->padding[OC_SIDE_RIGHT], cb);
    st.indent = oc_css_length(cs->text_indent,
                              g->width - st.left - st.right);
    if (lang == NULL)
        lang = lay_attr(g, n, "lang", NULL);
    if (lang != NULL && *lang != '\0')
        st.lang = lang;
    return st;
}

xmlNodePtr
lay_body_of(xmlDocPtr doc)
{
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

    if (root == NULL)
        return NULL;
    for (xmlNodePtr n = root->children; n != NULL; n = n->next)
        if (is(n, "body"))
            return n;
    return root;
}

/* lay_plain_text, with the text of pictures or without. */
static void
plain_text(lay *g, xmlNodePtr n, GString *out, bool pictures)
{
    for (; n != NULL; n = n->next) {
        if (is(n, "br") && out->len > 0 && out->str[out->len - 1] != ' ') {
            g_string_append_c(out, ' ');
        } else if (n->type == XML_TEXT_NODE ||
                   n->type == XML_CDATA_SECTION_NODE) {
            for (const char *p = (const char *)n->content; *p; p++) {
                bool sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';

                if (!sp)
                    g_string_append_c(out, *p);
                else if (out->len > 0 && out->str[out->len - 1] != ' ')
                    g_string_append_c(out, ' ');
            }
        } else if (n->type == XML_ELEMENT_NODE && !lay_is_skipped(g, n) &&
                   !(is(n, "a") && lay_is_a(g, n, "noteref")) &&
                   (pictures || !oc_xhtml_is_picture(n))) {
            plain_text(g, n->children, out, pictures);
        }
    }
}

/* Plain text of a subtree with white space collapsed, a line break
 * made a space, note references left out (for outline titles), and the
 * text of pictures (a heading's badges) unless they are all it has. */
void
lay_plain_text(lay *g, xmlNodePtr n, GString *out)
{
    size_t at = out->len;

    plain_text(g, n, out, false);
    if (strspn(out->str + at, " ") == out->len - at) {
        g_string_truncate(out, at);
        plain_text(g, n, out, true);
    }
}

/* Destination names are "c<chapter>" for a chapter's start and
 * "c<chapter>-<id>" for an element, the id spelt in [A-Za-z0-9.-] with
 * every other byte as _XX, so that distinct ids never share a name and
 * the name needs no quoting in a PDF. */
const char *
lay_dest_name(lay *g, size_t chap, const char *id)
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

void
lay_pend_dest(flow *f, const char *name)
{
    f->dests = oc_arena_reserve(lay_arena(f->g), (void *)f->dests, f->ndests,
                                &f->capdests, sizeof *f->dests);
    f->dests[f->ndests++] = name;
}

/* Add a DEST item unless one of that name exists (duplicate ids). */
void
lay_add_dest(lay *g, itemvec *items, const char *name, double x, double y)
{
    oc_item *it;

    if (g_hash_table_contains(g->links.dests, name))
        return;
    g_hash_table_add(g->links.dests, (gpointer)name);
    it = lay_push_item(lay_arena(g), items);
    it->kind = OC_ITEM_DEST;
    it->dest = name;
    it->x = x;
    it->y = y;
}

/* Decode %XX escapes of a URL fragment into the arena. */
char *
lay_unescape(lay *g, const char *s, size_t len)
{
    char *out = oc_arena_alloc(g->L->arena, len + 1);
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len && oc_hex_digit(s[i + 1]) >= 0 &&
            oc_hex_digit(s[i + 2]) >= 0) {
            out[o++] = (char)(oc_hex_digit(s[i + 1]) * 16 +
                              oc_hex_digit(s[i + 2]));
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

/* Resolve an href in chapter 'chap': an external URI, or the destination
 * of an element or chapter of the book. Returns false (with a warning)
 * for a target the PDF cannot reach. */
bool
lay_resolve_href(lay *g, size_t chap, xmlNodePtr a, const char *href,
                 const char **uri, const char **dest)
{
    const oc_book *b = g->b;
    const char *hash = strchr(href, '#');
    size_t flen = hash ? (size_t)(hash - href) : strlen(href);
    size_t target = chap;
    const char *id;

    *uri = *dest = NULL;
    if (oc_url_has_scheme(href, strlen(href))) {
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
        *dest = lay_dest_name(g, target, NULL);
        return true;
    }
    id = lay_unescape(g, hash + 1, strlen(hash + 1));
    if (g->index.ids[target] == NULL ||
        !g_hash_table_contains(g->index.ids[target], id))
        goto unreachable;
    *dest = lay_dest_name(g, target, id);
    return true;
unreachable:
    oc_warn(b->chapters[chap].file, oc_xhtml_line(a), 0,
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

        if (n->type != XML_ELEMENT_NODE || lay_is_skipped(g, n))
            continue;
        /* The id copied: the table outlives the chapter's document
         * (release_chapter). */
        if ((id = lay_attr(g, n, "id", NULL)) != NULL &&
            !g_hash_table_contains(g->index.ids[chap], id))
            g_hash_table_insert(g->index.ids[chap],
                                oc_arena_strdup(g->L->arena, id), n);
        else if (id != NULL &&      /* read again: its element anew */
                 g_hash_table_lookup(g->index.ids[chap], id) == NULL)
            g_hash_table_insert(g->index.ids[chap], (gpointer)id, n);
        if (is(n, "a") && lay_is_a(g, n, "noteref") &&
            (href = lay_attr(g, n, "href", NULL)) != NULL && href[0] == '#') {
            const char *target = lay_unescape(g, href + 1, strlen(href + 1));
            GString *s = g_string_new(NULL);

            lay_plain_text(g, n->children, s);
            if (!g_hash_table_contains(g->index.labels[chap], target))
                g_hash_table_insert(g->index.labels[chap], (gpointer)target,
                                    oc_arena_strndup(g->L->arena, s->str,
                                                     s->len));
            g_string_free(s, TRUE);
        }
        index_chapter(g, chap, n->children);
    }
}

/* A footnote set at the foot of the page: an element typed footnote
 * that some noteref in its chapter points to. */
bool
lay_is_footnote(flow *f, xmlNodePtr n)
{
    const char *id;

    if (!lay_is_a(f->g, n, "footnote"))
        return false;
    id = lay_attr(f->g, n, "id", NULL);
    return id != NULL &&
           g_hash_table_contains(f->g->index.labels[f->chap], id);
}

/* The stylesheets in cascade order: the user-agent rules (css.c), then
 * styles/print.css (compiled in, or the data folder's when it has one),
 * then the book's. */
static oc_css *
load_css(const oc_book *b, oc_arena *a)
{
    oc_css *css = oc_css_new(a);
    oc_error ignored = {0};
    oc_buf text = {0}, path = {0};

    if (oc_data_read(b->data_dir, "styles/print.css", &text, &path,
                     &ignored) == OC_OK)
        oc_css_parse(css, text.data, text.len, path.data, &ignored);
    oc_buf_free(&text);
    oc_buf_free(&path);
    for (size_t i = 0; i < b->nstyles; i++)
        oc_css_parse(css, b->styles[i].data, b->styles[i].len,
                     b->styles[i].src ? b->styles[i].src
                                      : b->styles[i].href, &ignored);
    return css;
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

#define MIN_TEXT_SIZE 4.0   /* points: smaller body type is warned of */

/* A text block that holds no line: the error names what makes it so, at
 * its rule: type or leading of more than an inch, else the page. */
static oc_status
block_error(lay *g, const oc_page_style *ps, oc_error *err)
{
    const oc_page_setup *s = &g->L->pub.setup;
    oc_css_where at = {g->b->m ? g->b->m->file : NULL, 0};

    if (s->font_size > 72)
        oc_css_origin(g->style.css, g->fmt.fm[FM_P], "font-size", &at);
    else if (s->leading > 72)
        oc_css_origin(g->style.css, g->fmt.fm[FM_P], "line-height", &at);
    else if (ps->size_at.file != NULL)
        at = ps->size_at;
    return oc_error_set(err, OC_ERR_INVALID, at.file, at.line, 0,
                        "the stylesheets' @page leaves a text block of "
                        "%.0f x %.0f pt, too small for %.1f pt type",
                        g->width, g->height, s->font_size);
}

/* What a stylesheet's absurd @page values were made, at the rule that
 * gave them (or the manifest, when that is not known). */
static void
warn_page(lay *g, const oc_page_style *ps, const oc_page_setup *s)
{
    const char *book = g->b->m ? g->b->m->file : NULL;

    if (ps->too_large)
        oc_warn(ps->size_at.file ? ps->size_at.file : book,
                ps->size_at.line, 0, "the @page size is larger than a PDF "
                "page can be (%.0f pt either way); it is cut to %.0f x "
                "%.0f pt", OC_MAX_PAGE, s->width, s->height);
    if (ps->negative)
        oc_warn(ps->negative_at.file ? ps->negative_at.file : book,
                ps->negative_at.line, 0, "the @page margins (%.0f, %.0f, "
                "%.0f, %.0f pt) are taken as 0 where under 0",
                ps->asked[OC_SIDE_TOP], ps->asked[OC_SIDE_RIGHT],
                ps->asked[OC_SIDE_BOTTOM], ps->asked[OC_SIDE_LEFT]);
    if (ps->shrunk)
        oc_warn(ps->shrunk_at.file ? ps->shrunk_at.file : book,
                ps->shrunk_at.line, 0, "the @page margins (%.0f, %.0f, "
                "%.0f, %.0f pt) leave no room on a page of "
                "%.0f x %.0f pt; they are shrunk to leave a quarter of it "
                "each way", ps->asked[OC_SIDE_TOP], ps->asked[OC_SIDE_RIGHT],
                ps->asked[OC_SIDE_BOTTOM], ps->asked[OC_SIDE_LEFT],
                s->width, s->height);
}

/* The page and the type from the stylesheets: a right page's box, a
 * chapter paragraph's type. */
static oc_status
setup_from_css(lay *g, oc_error *err)
{
    oc_page_setup *s = &g->L->pub.setup;
    const oc_page_style *ps;
    const oc_style *p, *pre;

    g->style.root = lay_style_of(g, xmlDocGetRootElement(g->fmt.front_doc));
    ps = oc_css_page(g->style.css, OC_PAGE_RIGHT, g->style.root);
    p = lay_style_of(g, g->fmt.fm[FM_P]);
    pre = lay_style_of(g, g->fmt.fm[FM_PRE]);
    /* To the hundredth of a point, as page sizes are given ("A4:
     * 595.28 x 841.89 pt"). */
    s->width = round(ps->width * 100) / 100;
    s->height = round(ps->height * 100) / 100;
    s->inner = ps->margin[OC_SIDE_LEFT];
    s->outer = ps->margin[OC_SIDE_RIGHT];
    s->top = ps->margin[OC_SIDE_TOP];
    s->bottom = ps->margin[OC_SIDE_BOTTOM];
    warn_page(g, ps, s);
    s->font_size = p->font_size;
    if (s->font_size < MIN_TEXT_SIZE) {
        oc_css_where at = {g->b->m ? g->b->m->file : NULL, 0};

        oc_css_origin(g->style.css, g->fmt.fm[FM_P], "font-size", &at);
        oc_warn(at.file, at.line, 0, "the stylesheets set the text in "
                "%.1f pt type, too small to read (font-size)",
                s->font_size);
    }
    s->leading = oc_css_line_height(p);
    s->serif = lay_pango_family(g, p->font_family);
    s->mono = lay_pango_family(g, pre->font_family);
    g->width = s->width - s->inner - s->outer;
    g->height = floor((s->height - s->top - s->bottom) / s->leading + EPS) *
                s->leading;
    if (g->width < 2 * s->font_size || g->height < s->leading ||
        s->font_size < 1)
        return block_error(g, ps, err);
    g->style.folios[0] = lay_folio_style(g, false);
    g->style.folios[1] = lay_folio_style(g, true);
    g->L->pub.front_labels = label_style(&g->style.folios[0]);
    g->L->pub.body_labels = label_style(&g->style.folios[1]);
    return OC_OK;
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
font_ratios(PangoContext *ctx, const char *family, double *asc,
            double *desc)
{
    PangoFontDescription *d = pango_font_description_new();
    int a, e;

    pango_font_description_set_family(d, family);
    pango_font_description_set_absolute_size(d, 100 * PANGO_SCALE);
    oc_shape_context_metrics(ctx, d, &a, &e);
    *asc = a > 0 ? PT(a) / 100 : 0.8;
    *desc = a > 0 ? PT(e) / 100 : 0.2;
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

/* ---- chapter pools ---- */

/* Where what is being laid out now is allocated: the chapter's pool, or
 * the layout's arena outside the chapters. */
oc_arena *
lay_arena(lay *g)
{
    return g->paging.pool != NULL ? g->paging.pool->arena : g->L->arena;
}

/* Pango layout 'pl' is freed with what is being laid out now. */
void
lay_own_layout(lay *g, PangoLayout *pl)
{
    g_ptr_array_add(g->paging.pool != NULL ? g->paging.pool->layouts
                                           : g->L->layouts, pl);
}

void
lay_own_para(lay *g, oc_para *p)
{
    g_ptr_array_add(g->paging.pool != NULL ? g->paging.pool->paras
                                           : g->L->paras, p);
}

/* Free pool 'p'. Its paragraphs and layouts hold fonts: the caller holds
 * the font lock. */
static void
free_pool(lay_pool *p)
{
    g_ptr_array_free(p->layouts, TRUE);
    g_ptr_array_free(p->paras, TRUE);
    oc_arena_free(p->arena);
    if (p->tags != NULL)
        oc_arena_free(p->tags);
    free(p);
}

/* A new pool for chapter 'chap', what is laid out from here on; with
 * 'tags', the arena of its structure elements, else one of its own. */
static lay_pool *
new_pool(lay *g, size_t chap, oc_arena *tags)
{
    lay_pool *p = oc_xcalloc(1, sizeof *p);

    p->arena = oc_arena_new();
    p->tags = tags != NULL ? tags : oc_arena_new();
    p->paras = g_ptr_array_new_with_free_func((GDestroyNotify)oc_para_free);
    p->layouts = g_ptr_array_new_with_free_func(g_object_unref);
    p->chap = chap;
    p->serial = ++g->paging.serial;
    g_ptr_array_add(g->L->pools, p);
    g->paging.pool = p;
    return p;
}

/* From here on, what is laid out goes into a new pool for chapter
 * 'chap'. */
void
lay_open_pool(lay *g, size_t chap)
{
    new_pool(g, chap, NULL);
}

bool
lay_open_section(flow *f)
{
    lay *g = f->g;
    lay_pool *old = g->paging.pool;
    const char **dests = f->dests;

    /* Not before the chapter has a row and a heading (its first row
     * and its contents entry are settled when it ends). */
    if (!g->paging.stream || old == NULL || g->body.n == 0 ||
        g->body.v[g->body.n - 1].pool != old->serial ||
        g->noutline <= g->paging.outline0)
        return false;
    new_pool(g, old->chap, old->tags);
    old->tags = NULL;
    /* The destinations pending, in an array of the old pool's. */
    f->dests = NULL;
    f->capdests = 0;
    if (f->ndests > 0) {
        f->capdests = f->ndests;
        f->dests = oc_arena_alloc(lay_arena(g), f->ndests * sizeof *dests);
        memcpy(f->dests, dests, f->ndests * sizeof *dests);
    }
    return true;
}

void
lay_close_section(lay *g)
{
    lay_body_pages(g, &g->paging.from, false);
}

/* A long stretch of a chapter with no page break in it (a book written
 * as one file whose sections do not open pages, a long chapter) is cut
 * as it is laid out: once the rows of PROGRESS_PAGES pages wait, what
 * comes next goes into a new pool, as after a section's start, and the
 * rows are paginated as far as the pages are those the whole chapter
 * would give, which leaves the last AHEAD_PAGES pages' worth or so for
 * later (lay_paginate). So its pages are painted while it is laid out,
 * and its memory does not grow with it. */
enum { PROGRESS_PAGES = 16, AHEAD_PAGES = 8 };

void
lay_flow_progress(flow *f)
{
    lay *g = f->g;
    double lines = g->s->height / g->s->leading;
    size_t made = g->paging.dropped + g->body.n;

    /* Not again before a quarter as many rows more; not when the text to
     * come (a book of pictures) is too short for a page to be cut. */
    if (!g->paging.stream || f->out != &g->body || f->floating ||
        f->keep > 0 ||
        (double)(g->body.n - g->paging.from) < PROGRESS_PAGES * lines ||
        (double)(made - g->paging.progress) < PROGRESS_PAGES * lines / 4)
        return;
    g->paging.progress = made;
    if (!lay_rows_ahead(&g->body, g->paging.from, g->body.n,
                        (AHEAD_PAGES + 2) * g->s->height) ||
        !lay_open_section(f))
        return;
    lay_body_pages_ahead(g, &g->paging.from, AHEAD_PAGES * g->s->height);
}

/* Drop body rows [0, *from), which are on final pages, so that the row
 * vector does not grow with the book; *from becomes 0. Not when a
 * paragraph or a table runs on across *from (rows name their
 * paragraph's first and their table's head rows by index). */
static void
drop_rows(lay *g, size_t *from)
{
    rowvec *body = &g->body;
    size_t k = *from;

    if (k == 0 || (k < body->n && body->v[k].pline > 0))
        return;
    for (size_t i = k; i < body->n; i++)
        if (body->v[i].nhead > 0 && body->v[i].head < k)
            return;
    g->paging.prev_chap = body->v[k - 1].chap;
    g->paging.dropped += k;
    memmove(body->v, body->v + k, (body->n - k) * sizeof *body->v);
    body->n -= k;
    for (size_t i = 0; i < body->n; i++)
        if (body->v[i].nhead > 0)
            body->v[i].head -= k;
    *from = 0;
}

/* The elements of chapter 'chap' are gone (its document freed): its ids
 * stay, without them, and no style is kept for an element of it (an
 * address may come again). */
static void
forget_elements(lay *g, size_t chap)
{
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, g->index.ids[chap]);
    while (g_hash_table_iter_next(&it, &key, &value))
        g_hash_table_iter_replace(&it, NULL);
    g_hash_table_remove_all(g->style.styles);
}

/* Chapter 'chap' is laid out and its pages painted: nothing of the
 * layout points into its document any more (its ids stay, without their
 * elements; its footnotes are forgotten), which the book may then free
 * (oc_book_release_chapter). */
static void
release_chapter(lay *g, size_t chap)
{
    GHashTableIter it;
    gpointer key, value;

    if (!g->b->single_use)
        return;
    forget_elements(g, chap);
    g_hash_table_iter_init(&it, g->index.note_of);
    while (g_hash_table_iter_next(&it, &key, &value))
        if (g->notes[GPOINTER_TO_SIZE(value) - 1]->chap == chap)
            g_hash_table_iter_remove(&it);
    oc_book_release_chapter(g->b, chap);
}

/* After body pages up to g->paging.done were given: the pools of chapters no
 * row of which is left to paginate (*from on) are done, and the pages
 * given so far are the last that may show them; a pool whose pages the
 * painter has all painted is freed, and those pages' items with it. */
void
lay_release_pools(lay *g, size_t *from)
{
    GPtrArray *pools = g->L->pools;
    size_t left = *from < g->body.n ? g->body.v[*from].pool
                                    : g->paging.serial + 1;
    size_t painted, n = 0, *chaps;

    if (g->out.painted == NULL || g->paging.held != NULL)
        return;
    for (guint i = 0; i < pools->len; i++) {
        lay_pool *p = g_ptr_array_index(pools, i);

        if (!p->done && p != g->paging.pool && p->serial < left) {
            p->done = true;
            p->last_page = g->paging.done;
        }
    }
    drop_rows(g, from);
    painted = g->out.painted(g->out.sink_data);
    while (n < pools->len) {
        lay_pool *p = g_ptr_array_index(pools, n);

        if (!p->done || p->last_page > painted)
            break;
        n++;
    }
    if (n == 0)
        return;
    oc_fonts_lock();
    chaps = oc_xmalloc(n * sizeof *chaps);
    for (guint i = 0; i < n; i++) {
        lay_pool *p = g_ptr_array_index(pools, i);

        for (; g->paging.released < p->last_page; g->paging.released++) {
            g->paging.pages.v[g->paging.released].items = NULL;
            g->paging.pages.v[g->paging.released].nitems = 0;
        }
        g->paging.freed = p->serial + 1;
        /* The chapter's document goes with its last pool. */
        chaps[i] = p->tags != NULL ? p->chap : SIZE_MAX;
        free_pool(p);
    }
    oc_fonts_unlock();
    g_ptr_array_remove_range(pools, 0, n);
    /* The styles of their elements are not asked for again; those of
     * the chapters still laid out are computed again, the same. */
    g_hash_table_remove_all(g->style.styles);
    for (size_t i = 0; i < n; i++)
        if (chaps[i] != SIZE_MAX)
            release_chapter(g, chaps[i]);
    free(chaps);
}

/* The sink's last call, once, on every path and before anything is
 * freed: whoever reads the pages given is done when it returns. Called
 * with the font lock held once, which it lets go meanwhile. */
static void
end_sink(lay *g)
{
    if (g->out.sink == NULL || g->out.sink_ended)
        return;
    g->out.sink_ended = true;
    oc_fonts_unlock();
    g->out.sink(&g->L->pub, NULL, g->out.sink_data);
    oc_fonts_lock();
}

oc_status
oc_layout_book(const oc_book *b, const oc_page_setup *setup,
               oc_layout **out, oc_error *err)
{
    return oc_layout_book_to(b, setup, NULL, NULL, NULL, out, err);
}

/* A new layout of book 'b': its limits and caches. */
static oc_layout *
layout_new(const oc_book *b, const oc_page_setup *setup)
{
    oc_layout *L = oc_xcalloc(1, sizeof *L);

    L->pub.setup.max_pages = setup != NULL && setup->max_pages > 0
                             ? setup->max_pages : OC_LAYOUT_MAX_PAGES;
    L->pub.setup.language = b->m && b->m->language ? b->m->language : "en";
    L->pub.toc_depth = b->m && b->m->toc_depth > 0 ? b->m->toc_depth : 2;
    L->arena = oc_arena_new();
    L->layouts = g_ptr_array_new_with_free_func(g_object_unref);
    L->paras = g_ptr_array_new_with_free_func((GDestroyNotify)oc_para_free);
    L->dicts = oc_hyphen_cache_new(NULL);
    oc_hyphen_cache_prime(L->dicts, oc_book_hyphen_prime(b));
    L->words = oc_para_cache_new();
    L->pictures = g_ptr_array_new();
    L->pools = g_ptr_array_new();
    return L;
}

PangoFontMap *
oc_layout_fontmap_new(const oc_book *b, bool *own_config)
{
    PangoFontMap *fm = pango_cairo_font_map_new();

    *own_config = add_book_fonts(fm, b);
    if (PANGO_IS_FC_FONT_MAP(fm))
        pango_fc_font_map_set_default_substitute(PANGO_FC_FONT_MAP(fm),
                                                 prefer_true_bold, NULL,
                                                 NULL);
    return fm;
}

void
oc_layout_fontmap_free(PangoFontMap *fm, bool own_config)
{
    if (fm == NULL)
        return;
    /* Pango 1.50 keeps the reference set_config took when the font map
     * is finalised; giving the map no configuration releases it. */
    if (own_config)
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), NULL);
    g_object_unref(fm);
}

/* The layout's font map (L->fontmap, the one made ahead, if any, or a
 * new one), and its contexts at 72 dpi so that a Pango point is a PDF
 * point, with outlines unhinted so that measures do not depend on the
 * device the pages are painted on. The caller holds the font lock. */
static void
layout_fonts(oc_layout *L, const oc_book *b)
{
    if (L->fontmap == NULL)
        L->fontmap = oc_layout_fontmap_new(b, &L->own_config);
    L->context = new_context(L->fontmap, L->pub.setup.language,
                             PANGO_DIRECTION_LTR);
    L->rtl_context = new_context(L->fontmap, L->pub.setup.language,
                                 PANGO_DIRECTION_RTL);
}

/* The body font must exist; the serif and monospace fonts' ascent and
 * descent per point of size. */
static oc_status
body_font(lay *g, oc_error *err)
{
    oc_layout *L = g->L;
    PangoFontDescription *d = pango_font_description_new();
    PangoFont *font;

    pango_font_description_set_family(d, L->pub.setup.serif);
    pango_font_description_set_absolute_size(d, L->pub.setup.font_size *
                                                PANGO_SCALE);
    font = pango_context_load_font(L->context, d);
    pango_font_description_free(d);
    if (font == NULL)
        return oc_error_set(err, OC_ERR_LIB, g->b->m ? g->b->m->file : NULL,
                            0, 0, "no font found for '%s'",
                            L->pub.setup.serif);
    g_object_unref(font);
    font_ratios(L->context, L->pub.setup.serif,
                &g->font.serif_asc, &g->font.serif_desc);
    font_ratios(L->context, L->pub.setup.mono,
                &g->font.mono_asc, &g->font.mono_desc);
    return OC_OK;
}

xmlDocPtr
lay_open_chapter(lay *g, size_t chap)
{
    const oc_chapter *ch = &g->b->chapters[chap];
    bool packed = ch->doc == NULL && ch->packed != NULL;
    xmlDocPtr doc = oc_book_chapter_open(g->b, chap);

    if (packed && doc != NULL)      /* its elements in the ids table */
        index_chapter(g, chap, lay_body_of(doc));
    return doc;
}

/* The book-wide tables: ids and note labels per chapter, destinations,
 * notes, pictures, pending links, the string-set values. */
static void
index_book(lay *g)
{
    const oc_book *b = g->b;

    g->index.ids = oc_arena_alloc(g->L->arena,
                                  (b->nchapters + 1) * sizeof *g->index.ids);
    g->index.labels = oc_arena_alloc(
        g->L->arena, (b->nchapters + 1) * sizeof *g->index.labels);
    g->links.dests = g_hash_table_new(g_str_hash, g_str_equal);
    g->index.note_of = g_hash_table_new(g_direct_hash, g_direct_equal);
    g->pictures = g_hash_table_new(g_str_hash, g_str_equal);
    g->low_ppi = g_hash_table_new(g_direct_hash, g_direct_equal);
    g->type_scale = 1;
    for (size_t i = 0; i < b->nchapters; i++) {
        xmlDocPtr doc = oc_book_chapter_peek(b, i);

        g->index.ids[i] = g_hash_table_new(g_str_hash, g_str_equal);
        g->index.labels[i] = g_hash_table_new(g_str_hash, g_str_equal);
        index_chapter(g, i, lay_body_of(doc));
        if (doc != b->chapters[i].doc) {    /* a packed chapter's copy */
            forget_elements(g, i);
            oc_book_chapter_done(b, i, doc);
        }
    }
    g->links.pending = g_ptr_array_new();
    g->paging.cur = g_hash_table_new(g_str_hash, g_str_equal);
    g->doc = lay_new_tag(g, NULL, "Document", NULL);
}

static void
free_index(lay *g)
{
    g_ptr_array_free(g->links.pending, TRUE);
    g_hash_table_destroy(g->paging.cur);
    for (size_t i = 0; i < g->b->nchapters; i++) {
        g_hash_table_destroy(g->index.ids[i]);
        g_hash_table_destroy(g->index.labels[i]);
    }
    g_hash_table_destroy(g->links.dests);
    g_hash_table_destroy(g->index.note_of);
    g_hash_table_destroy(g->pictures);
    g_hash_table_destroy(g->low_ppi);
}

/* The title page and the imprint first: the strings they set (the book's
 * title) run on in the body's heads. Then the body, so that the contents
 * know its folios; a chapter's pages are final once the next chapter
 * opens on a new page, and then go to the sink (unless a margin box
 * counts all the pages). Called and returns with the font lock held; the
 * chapters are flowed and paginated without it (they take it where they
 * call Pango). */
static void
layout_body(lay *g)
{
    lay_title_pages(g);
    for (size_t i = 0; i < g->paging.front.n; i++) {
        const oc_page *p = &g->paging.front.v[i];

        for (size_t k = 0; k < p->nstrings; k++)
            g_hash_table_insert(g->paging.cur, (gpointer)p->strings[k].name,
                                (gpointer)p->strings[k].value);
    }
    g->paging.stream = g->out.sink != NULL && !lay_counts_pages(g);
    oc_fonts_unlock();
    for (size_t i = 0; i < g->b->nchapters && !g->paging.too_many; i++) {
        lay_open_pool(g, i);
        lay_flow_chapter(g, i);
        if (g->paging.stream)
            lay_body_pages(g, &g->paging.from, false);
    }
    lay_body_pages(g, &g->paging.from, true);
    g->paging.pool = NULL;
    /* The body's words go before the contents is set: the peak of a long
     * book's memory is there. */
    oc_shape_cache_forget_words(g->L->words);
    oc_fonts_lock();
}

/* Then the contents, making the front matter an even number of pages,
 * so that the body opens on a recto whatever its length; and the pages
 * finished in order. */
static oc_status
layout_front(lay *g, oc_error *err)
{
    rowvec toc = { NULL, 0, 0 };
    bool has_toc = false;

    for (size_t i = 0; i < g->noutline && !has_toc; i++)
        has_toc = lay_in_toc(g, &g->outline[i]);
    if (has_toc) {
        size_t first = 0;

        lay_toc_rows(g, &toc);
        lay_paginate(g, &toc, &g->paging.front, &first, 0, 0);
    }
    if (g->paging.front.n % 2 == 1)
        lay_new_page(g, &g->paging.front)->blank = true;
    if (g->paging.too_many)
        return oc_error_set(err, OC_ERR_INVALID,
                            g->b->m ? g->b->m->file : NULL, 0, 0,
                            "the book would need more than %d pages, "
                            "the limit for a PDF", g->L->pub.setup.max_pages);
    lay_front_pages(g, has_toc);
    lay_assemble(g, has_toc);
    return OC_OK;
}

oc_status
oc_layout_book_to(const oc_book *b, const oc_page_setup *setup,
                  oc_page_sink sink, oc_page_count painted, void *data,
                  oc_layout **out, oc_error *err)
{
    oc_layout *L = layout_new(b, setup);
    oc_status st;
    lay g;

    /* The font lock (fontlock.h) is held from here on, but while the
     * chapters are flowed and paginated and when the sink hears the
     * end; the font map made ahead is waited for before it is taken. */
    oc_book_take_fontmap(b, &L->fontmap, &L->own_config);
    oc_fonts_lock();
    layout_fonts(L, b);
    memset(&g, 0, sizeof g);
    g.out.sink = sink;
    g.out.painted = sink != NULL ? painted : NULL;
    g.out.sink_data = data;
    g.paging.prev_chap = -1;
    g.L = L;
    g.b = b;
    g.s = &L->pub.setup;
    g.style.css = load_css(b, L->arena);
    g.style.styles = g_hash_table_new(g_direct_hash, g_direct_equal);
    g.font.families = g_hash_table_new(g_str_hash, g_str_equal);
    g.font.aspects = g_hash_table_new(g_direct_hash, g_direct_equal);
    g.font.markers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           NULL);
    lay_front_doc(&g);
    if ((st = setup_from_css(&g, err)) == OC_OK &&
        (st = body_font(&g, err)) == OC_OK) {
        g.paging.max_pages = (size_t)L->pub.setup.max_pages;
        index_book(&g);
        layout_body(&g);
        st = layout_front(&g, err);
        end_sink(&g);           /* before the tables its pages use go */
        free_index(&g);
    }
    end_sink(&g);
    oc_fonts_unlock();
    lay_paginate_forget(&g);
    free(g.body.v);
    g_hash_table_destroy(g.style.styles);
    g_hash_table_destroy(g.font.families);
    g_hash_table_destroy(g.font.aspects);
    g_hash_table_destroy(g.font.markers);
    xmlFreeDoc(g.fmt.front_doc);
    if (st != OC_OK) {
        oc_layout_free(L);
        return st;
    }
    *out = L;
    return st;
}

const oc_pages *
oc_layout_pages(const oc_layout *l)
{
    return &l->pub;
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
    for (guint i = 0; l->pools != NULL && i < l->pools->len; i++)
        free_pool(g_ptr_array_index(l->pools, i));
    if (l->pools != NULL)
        g_ptr_array_free(l->pools, TRUE);
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
    oc_layout_fontmap_free(l->fontmap, l->own_config);
    oc_fonts_unlock();
    oc_arena_free(l->arena);
    free(l);
}
