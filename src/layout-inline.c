/* layout-inline.c - a paragraph's inline content collected into one
 * string with Pango attributes: text, white space, generated text, styles
 * of inline elements, links, note references, anchors and inline images. */
#include "layout-int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
lay_inl_init(inl *in, bool pre)
{
    memset(in, 0, sizeof *in);
    in->text = g_string_new(NULL);
    in->attrs = g_ptr_array_new();
    in->links = g_array_new(FALSE, TRUE, sizeof(linkspan));
    in->refs = g_array_new(FALSE, TRUE, sizeof(ref));
    in->anchors = g_array_new(FALSE, TRUE, sizeof(anchor));
    in->objects = g_array_new(FALSE, TRUE, sizeof(object));
    in->srcs = g_array_new(FALSE, TRUE, sizeof(srcmark));
    in->pre = pre;
    in->ws = true;
}

void
lay_inl_free(inl *in)
{
    g_string_free(in->text, TRUE);
    for (guint i = 0; i < in->attrs->len; i++)
        pango_attribute_destroy(g_ptr_array_index(in->attrs, i));
    g_ptr_array_free(in->attrs, TRUE);
    g_array_free(in->links, TRUE);
    g_array_free(in->refs, TRUE);
    g_array_free(in->anchors, TRUE);
    g_array_free(in->objects, TRUE);
    g_array_free(in->srcs, TRUE);
}

/* No line break after the hyphen of a compound ("de-escalation"): text
 * extractors such as pdftotext take a hyphen at the end of a line for a
 * hyphenation and join the halves into a word that is not in the text. */
void
lay_keep_compounds(const GString *text, PangoAttrList *al)
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
PangoAttrList *
lay_inl_attrs(inl *in, const char *lang)
{
    PangoAttrList *al = pango_attr_list_new();

    if (lang != NULL)
        pango_attr_list_insert(al, pango_attr_language_new(
                                   pango_language_from_string(lang)));
    for (guint i = 0; i < in->attrs->len; i++)
        pango_attr_list_insert(al, g_ptr_array_index(in->attrs, i));
    g_ptr_array_set_size(in->attrs, 0);
    if (!in->pre)
        lay_keep_compounds(in->text, al);
    return al;
}

void
lay_trim_space(inl *in)
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
void
lay_add_generated(inl *in, const char *s)
{
    g_string_append(in->text, s);
    in->ws = false;
}

static void
line_break(inl *in)
{
    lay_trim_space(in);
    g_string_append_c(in->text, '\n');
    in->ws = true;
    in->br = true;
}

PangoAttribute *
lay_open_attr(inl *in, PangoAttribute *a)
{
    a->start_index = (guint)in->text->len;
    g_ptr_array_add(in->attrs, a);
    return a;
}

/* Attributes, opened at the current end of 'in', for what computed style
 * 'cs' changes from 'ps' (its parent's, or the block's that sets the
 * paragraph): font, colour, letter spacing, capitals, figures, lines and
 * the super- and subscript shift, an inline element's background.
 * Stores them in out[] (room for 24);
 * returns how many. */
static size_t
style_attrs(lay *g, inl *in, const oc_style *cs, const oc_style *ps,
            PangoAttribute **out)
{
    size_t n = 0;
    unsigned added = cs->text_decoration & ~ps->text_decoration;
    double size = lay_used_size(g, cs);

    if (strcmp(cs->font_family, ps->font_family) != 0)
        out[n++] = lay_open_attr(in, pango_attr_family_new(
                                     lay_pango_family(g, cs->font_family)));
    if (fabs(size - lay_used_size(g, ps)) > EPS)
        out[n++] = lay_open_attr(in, pango_attr_size_new_absolute(PU(size)));
    if (cs->font_weight != ps->font_weight)
        out[n++] = lay_open_attr(in, pango_attr_weight_new(
                                     (PangoWeight)cs->font_weight));
    if (cs->font_style != ps->font_style)
        out[n++] = lay_open_attr(in, pango_attr_style_new(
                                     lay_pango_slant(cs)));
    if (cs->font_variant != ps->font_variant)
        out[n++] = lay_open_attr(in, pango_attr_variant_new(
                                     lay_pango_variant(cs)));
    if (cs->font_variant_numeric != ps->font_variant_numeric) {
        char feats[96];

        lay_numeric_features(cs->font_variant_numeric,
                             ps->font_variant_numeric, feats, sizeof feats);
        out[n++] = lay_open_attr(in, pango_attr_font_features_new(feats));
    }
    if (memcmp(&cs->color, &ps->color, sizeof cs->color) != 0) {
        out[n++] = lay_open_attr(in, pango_attr_foreground_new(
                                     (guint16)(cs->color.r * 257),
                                     (guint16)(cs->color.g * 257),
                                     (guint16)(cs->color.b * 257)));
        out[n++] = lay_open_attr(in, pango_attr_foreground_alpha_new(
                                     (guint16)(cs->color.a * 257)));
    }
    /* An inline element's background (not in preformatted text, whose
     * block's own is not painted: it would stop at each line's end). */
    if (cs->background_color.a > 0 && !in->pre) {
        out[n++] = lay_open_attr(in, pango_attr_background_new(
                                     (guint16)(cs->background_color.r * 257),
                                     (guint16)(cs->background_color.g * 257),
                                     (guint16)(cs->background_color.b * 257)));
        out[n++] = lay_open_attr(in, pango_attr_background_alpha_new(
                                     (guint16)(cs->background_color.a * 257)));
    }
    if (fabs(cs->letter_spacing - ps->letter_spacing) > EPS)
        out[n++] = lay_open_attr(in, pango_attr_letter_spacing_new(
                                     PU(cs->letter_spacing)));
    if (cs->text_transform != ps->text_transform)
        out[n++] = lay_open_attr(in, pango_attr_text_transform_new(
                cs->text_transform == OC_TRANSFORM_UPPERCASE
                    ? PANGO_TEXT_TRANSFORM_UPPERCASE :
                cs->text_transform == OC_TRANSFORM_LOWERCASE
                    ? PANGO_TEXT_TRANSFORM_LOWERCASE :
                cs->text_transform == OC_TRANSFORM_CAPITALIZE
                    ? PANGO_TEXT_TRANSFORM_CAPITALIZE
                    : PANGO_TEXT_TRANSFORM_NONE));
    if (added & OC_DECORATION_UNDERLINE)
        out[n++] = lay_open_attr(in, pango_attr_underline_new(
                                     PANGO_UNDERLINE_SINGLE));
    if (added & OC_DECORATION_OVERLINE)
        out[n++] = lay_open_attr(in, pango_attr_overline_new(
                                     PANGO_OVERLINE_SINGLE));
    if (added & OC_DECORATION_LINE_THROUGH)
        out[n++] = lay_open_attr(in, pango_attr_strikethrough_new(TRUE));
    /* CSS leaves the shift to the user agent: a third of the parent's
     * em up, a fifth down. */
    if (cs->vertical_align == OC_VALIGN_SUPER)
        out[n++] = lay_open_attr(in, pango_attr_rise_new(
                                     PU(ps->font_size * g->type_scale *
                                        0.33)));
    else if (cs->vertical_align == OC_VALIGN_SUB)
        out[n++] = lay_open_attr(in, pango_attr_rise_new(
                                     -PU(ps->font_size * g->type_scale *
                                         0.2)));
    if (cs->hyphens == OC_HYPHENS_NONE && ps->hyphens != OC_HYPHENS_NONE)
        out[n++] = lay_open_attr(in, pango_attr_insert_hyphens_new(FALSE));
    return n;
}

/* The attributes of the block that sets a paragraph, for what its font
 * description cannot say, over all of its text. */
static void
block_attrs(lay *g, inl *in, const oc_style *cs)
{
    oc_style plain = *cs, own = *cs;
    PangoAttribute *out[24];
    size_t n;

    own.background_color.a = 0;     /* a block's is not painted */
    plain.color = (oc_color){0, 0, 0, 255};
    plain.letter_spacing = 0;
    plain.text_transform = OC_TRANSFORM_NONE;
    plain.text_decoration = 0;
    plain.vertical_align = OC_VALIGN_BASELINE;
    plain.hyphens = OC_HYPHENS_MANUAL;
    plain.font_variant_numeric = 0;
    n = style_attrs(g, in, &own, &plain, out);
    for (size_t i = 0; i < n; i++) {
        out[i]->start_index = 0;
        out[i]->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
    }
}

/* An image in a line of text (img, picture, an inline <svg>): a badge,
 * scaled to the line unless it is given a size (a logo in a heading),
 * its foot a little below the baseline; its alt text when it cannot be
 * shown. */
static void
inline_picture(flow *f, inl *in, xmlNodePtr n)
{
    lay *g = f->g;
    xmlNodePtr img = NULL;
    const oc_picture *pic = is(n, "input") || in->size <= 0
                                ? NULL : lay_picture_of(f, n, &img);
    const char *alt = img ? lay_attr(g, img, "alt", NULL)
                          : lay_attr(g, n, "alt", NULL);

    if (pic != NULL) {
        object ob;
        PangoRectangle r;
        PangoAttribute *a;

        lay_picture_size(g, pic, img, in->width > 0 ? in->width : g->width,
                         lay_picture_sized(g, img) ? g->height * 0.8
                                                   : in->size * 0.9,
                         &ob.w, &ob.h);
        lay_check_ppi(f, pic, img ? img : n, ob.w, ob.h);
        ob.desc = ob.h * 0.15;
        ob.at = in->text->len;
        ob.pic = pic;
        r.x = 0;
        r.y = -PU(ob.h - ob.desc);
        r.width = PU(ob.w);
        r.height = PU(ob.h);
        a = lay_open_attr(in, pango_attr_shape_new(&r, &r));
        lay_add_generated(in, "\uFFFC");
        a->end_index = (guint)in->text->len;
        g_array_append_val(in->objects, ob);
    } else if (alt != NULL) {
        add_text(in, alt);
    }
}

/* Ruby is set as a reader that does not lay it out shows it: the
 * annotation after its base, in parentheses, its rp's or else ours.
 * Whether rt element n opens one of ours (given here). */
static bool
ruby_text_opens(inl *in, xmlNodePtr n)
{
    xmlNodePtr k = n->prev;

    if (!is(n, "rt"))
        return false;
    while (k != NULL && k->type != XML_ELEMENT_NODE)
        k = k->prev;
    if (k != NULL && is(k, "rp"))
        return false;
    lay_add_generated(in, "(");
    return true;
}

/* Whether note reference n (an <a>) stands on the baseline as it is
 * written: no <sup> in it or around it, no vertical-align of its own
 * or of an element around it (a book's own stylesheet may raise it, as
 * Standard Ebooks' does). A hand-written <a epub:type="noteref">1</a>. */
static bool
bare_noteref(lay *g, xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return false;
    for (xmlNodePtr p = n; p != NULL && p->type == XML_ELEMENT_NODE;
         p = p->parent) {
        if (is(p, "sup") ||
            lay_style_of(g, p)->vertical_align != OC_VALIGN_BASELINE)
            return false;
        if (p != n && lay_is_block(g, p))
            break;
    }
    return true;
}

/* Element n is MathML's 'name'. */
static bool
is_math(xmlNodePtr n, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
           xmlStrEqual(n->ns->href,
                       BAD_CAST "http://www.w3.org/1998/Math/MathML") &&
           xmlStrEqual(n->name, BAD_CAST name);
}

/* The space that MathML's operator dictionary puts on either side of
 * operator mo: a thick space (5/18 em) around a relation, a medium one
 * (4/18 em) around a binary operator that has an operand before it; as
 * a generated string, or NULL for none. */
static const char *
math_op_space(xmlNodePtr mo)
{
    static const char *const relations[] = {
        "=", "<", ">", "\u2264", "\u2265", "\u2260", "\u2248", "\u2261",
        "\u2192", "\u2190", "\u21D2", "\u2208", "\u2282", "\u221D", NULL};
    static const char *const binary[] = {
        "+", "-", "\u2212", "\u00D7", "\u22C5", "\u00B7", "\u00F7",
        "\u00B1", "\u2213", "\u2229", "\u222A", NULL};
    xmlChar *t;
    const char *sp = NULL;
    xmlNodePtr prev = mo->prev;

    /* None in a script or a limit, as TeX sets them (i=1 under a sum). */
    for (xmlNodePtr k = mo; k->parent != NULL && !is_math(k, "math");
         k = k->parent) {
        xmlNodePtr p = k->parent, first = p->children;

        while (first != NULL && first->type != XML_ELEMENT_NODE)
            first = first->next;
        if (k != first &&
            (is_math(p, "msub") || is_math(p, "msup") ||
             is_math(p, "msubsup") || is_math(p, "munder") ||
             is_math(p, "mover") || is_math(p, "munderover") ||
             is_math(p, "mmultiscripts")))
            return NULL;
    }
    t = xmlNodeGetContent(mo);

    while (prev != NULL && prev->type != XML_ELEMENT_NODE)
        prev = prev->prev;
    if (t != NULL) {
        g_strstrip((char *)t);
        for (size_t i = 0; relations[i] != NULL && sp == NULL; i++)
            if (strcmp((const char *)t, relations[i]) == 0)
                sp = "\u2005";                 /* four-per-em */
        for (size_t i = 0; binary[i] != NULL && sp == NULL && prev; i++)
            if (strcmp((const char *)t, binary[i]) == 0)
                sp = "\u205F";                 /* medium mathematical */
    }
    xmlFree(t);
    return sp;
}

/* Whether MathML element n, set in a line as the numerator, the
 * denominator or the radicand of a fraction or a root, needs brackets:
 * a row with an operator at its top (a + b; not n(n + 1)). */
static bool
math_compound(xmlNodePtr n)
{
    xmlNodePtr only = NULL;
    int kids = 0;

    for (xmlNodePtr k = n->children; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        kids++;
        only = k;
        if (is_math(k, "mo") && math_op_space(k) != NULL)
            return true;
    }
    return kids == 1 && is_math(n, "mrow") && math_compound(only);
}

/* A fraction or a square root, which a line of text cannot stack, set
 * as a line shows them: a/b, (a + b)/(c + d), √x, √(x + 1). Returns
 * false for any other element. */
static bool
math_linear(flow *f, inl *in, xmlNodePtr n)
{
    xmlNodePtr kid[2] = { NULL, NULL };
    int nk = 0;
    bool frac = is_math(n, "mfrac"), sqrt = is_math(n, "msqrt");

    if (!frac && !sqrt)
        return false;
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE && nk++ < 2)
            kid[nk - 1] = k;
    if (frac && nk != 2)
        return false;
    if (sqrt) {
        bool group = nk > 1 || (nk == 1 && math_compound(kid[0]));

        lay_add_generated(in, group ? "\u221A(" : "\u221A");
        lay_inline_nodes(f, in, n->children, NULL);
        if (group)
            lay_add_generated(in, ")");
        return true;
    }
    for (int i = 0; i < 2; i++) {
        bool group = math_compound(kid[i]);

        if (i == 1)
            lay_add_generated(in, "/");
        if (group)
            lay_add_generated(in, "(");
        lay_inline_nodes(f, in, kid[i], kid[i]->next);
        if (group)
            lay_add_generated(in, ")");
    }
    return true;
}

static void
inline_element(flow *f, inl *in, xmlNodePtr n)
{
    lay *g = f->g;
    const char *id = lay_attr(g, n, "id", NULL);
    const char *lang = lay_attr(g, n, "lang", XML_NS);
    PangoAttribute *opened[32];
    size_t nopen = 0;
    size_t link = (size_t)-1;
    bool quote = false, paren = false;
    const char *mspace = NULL;

    if (lang == NULL)
        lang = lay_attr(g, n, "lang", NULL);
    if (id != NULL) {
        anchor an = { in->text->len, lay_dest_name(g, f->chap, id) };

        g_array_append_val(in->anchors, an);
    }
    if (is(n, "wbr")) {         /* a break opportunity, no hyphen */
        lay_add_generated(in, "\u200B");
        return;
    }
    if (is(n, "br")) {
        if (in->pre)
            lay_add_generated(in, "\n");
        else
            line_break(in);
        return;
    }
    if (is(n, "img") || is(n, "input") || is(n, "picture") || lay_is_svg(n)) {
        inline_picture(f, in, n);
        return;
    }
    if (lay_is_block(g, n) && !in->pre && in->text->len > 0 &&
        in->text->str[in->text->len - 1] != '\n')
        line_break(in);
    /* A list item in a line of text (a table cell's list) opens with its
     * marker, as a list item set inside does. */
    if (!in->pre && lay_style_of(g, n)->display == OC_DISPLAY_LIST_ITEM) {
        const oc_style *cs = lay_style_of(g, n);
        const char *m = lay_marker_text(g, cs->list_style_type,
                                        lay_item_value(g, n));

        if (m != NULL) {
            lay_add_generated(in, m);
            lay_add_generated(in, "\u00A0");
        }
    }
    if (lang != NULL && *lang != '\0')
        opened[nopen++] = lay_open_attr(in, pango_attr_language_new(
                                            pango_language_from_string(lang)));
    if (n->parent != NULL && n->parent->type == XML_ELEMENT_NODE) {
        oc_style own = *lay_style_of(g, n);

        if (lay_is_block(g, n))
            own.background_color.a = 0;     /* a block's is not painted */
        nopen += style_attrs(g, in, &own, lay_style_of(g, n->parent),
                             opened + nopen);
    }
    /* CSS's quotes and ::before are not read: q gets curly quotes. */
    if (is(n, "q")) {
        quote = true;
        lay_add_generated(in, in->quotes++ % 2 ? "\u2018" : "\u201C");
    }
    if (ruby_text_opens(in, n))
        paren = true;
    if (is(n, "a")) {
        const char *href = lay_attr(g, n, "href", NULL);
        linkspan sp;

        /* A note's back link never stands alone on a line. */
        if (lay_is_a(g, n, "backlink") && in->ws && in->text->len > 0 &&
            in->text->str[in->text->len - 1] == ' ') {
            g_string_truncate(in->text, in->text->len - 1);
            lay_add_generated(in, "\u00A0");
            in->ws = true;
        }
        sp.start = in->text->len;
        sp.end = 0;
        sp.uri = sp.dest = NULL;

        /* A reference is raised, as Markdown's and octavo's own are. */
        if (lay_is_a(g, n, "noteref") && bare_noteref(g, n)) {
            const oc_style *cs = lay_style_of(g, n);

            opened[nopen++] = lay_open_attr(in, pango_attr_rise_new(
                                  PU(cs->font_size * g->type_scale * 0.33)));
            opened[nopen++] = lay_open_attr(in, pango_attr_size_new_absolute(
                                  PU(lay_used_size(g, cs) * 0.7)));
        }
        if (lay_is_a(g, n, "noteref") && href != NULL && href[0] == '#') {
            const char *target = lay_unescape(g, href + 1, strlen(href + 1));
            xmlNodePtr fn = g_hash_table_lookup(g->index.ids[f->chap], target);

            if (fn != NULL && lay_is_footnote(f, fn)) {
                ref rf = { in->text->len, fn };

                g_array_append_val(in->refs, rf);
            }
        }
        opened[nopen++] = lay_open_attr(in,
                                        pango_attr_insert_hyphens_new(FALSE));
        if (href != NULL && href[0] != '\0' &&
            lay_resolve_href(g, f->chap, n, href, &sp.uri, &sp.dest)) {
            g_array_append_val(in->links, sp);
            link = in->links->len - 1;
        }
    }
    if (is_math(n, "mo") && (mspace = math_op_space(n)) != NULL)
        lay_add_generated(in, mspace);
    if (!math_linear(f, in, n))
        lay_inline_nodes(f, in, n->children, NULL);
    if (mspace != NULL)
        lay_add_generated(in, mspace);
    if (quote)
        lay_add_generated(in, --in->quotes % 2 ? "\u2019" : "\u201D");
    if (paren)
        lay_add_generated(in, ")");
    if (link != (size_t)-1)
        g_array_index(in->links, linkspan, link).end = in->text->len;
    for (size_t i = 0; i < nopen; i++)
        opened[i]->end_index = (guint)in->text->len;
    if (lay_is_block(g, n) && !in->pre && in->text->len > 0 &&
        in->text->str[in->text->len - 1] != '\n')
        line_break(in);
}

void
lay_inline_nodes(flow *f, inl *in, xmlNodePtr n, xmlNodePtr stop)
{
    if (!in->based && f->para != NULL && f->para->cs != NULL)
        block_attrs(f->g, in, f->para->cs);
    in->based = true;
    for (; n != NULL && n != stop; n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE: {
            srcmark sm = { in->text->len, n, in->ws, in->pre };

            g_array_append_val(in->srcs, sm);
            add_text(in, (const char *)n->content);
            break;
        }
        case XML_ENTITY_REF_NODE: {
            xmlChar *s = xmlNodeGetContent(n);

            if (s != NULL)
                add_text(in, (const char *)s);
            xmlFree(s);
            break;
        }
        case XML_ELEMENT_NODE:
            if (!lay_is_skipped(f->g, n) &&
                !(lay_is_footnote(f, n) && !in->pre))
                inline_element(f, in, n);
            break;
        default:
            break;
        }
    }
}
