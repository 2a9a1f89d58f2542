/* layout-image.c - images in the PDF layout: each image resource decoded
 * once (image.c) and kept for the painter, its printed size from its
 * attributes and the measure, and a block image (or a figure's lone image)
 * set as a row of its own. */
#include "layout-int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "image.h"
#include "svg.h"
#include "vector.h"
#include "xhtml.h"

static oc_picture no_picture;   /* an image that could not be decoded */

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
    pic->shown_in = g->b->chapters[f->chap].file;
    pic->line = oc_xhtml_line(at);
    if (strcmp(res->media_type, "image/svg+xml") == 0) {
        pic->vector = oc_vector_open(res->data, res->len, &pic->px_width,
                                     &pic->px_height, &why);
    } else if (strcmp(res->media_type, "image/png") == 0) {
        pic->png = res->data;           /* NULL: read from its file */
        pic->png_file = res->src;
        pic->png_len = res->len;
        pic->px_width = (double)res->width;
        pic->px_height = (double)res->height;
        pic->dpi = g->b->m != NULL ? g->b->m->image_dpi : 300;
    } else if (strcmp(res->media_type, "image/jpeg") == 0 &&
               res->data != NULL &&
               (pic->jpeg_colors = oc_image_jpeg_as_is(res->data,
                                                       res->len)) > 0 &&
               res->width > 0 && res->height > 0) {
        pic->jpeg = res->data;          /* never decoded for the PDF */
        pic->jpeg_len = res->len;
        pic->px_width = (double)res->width;
        pic->px_height = (double)res->height;
    } else if ((pic->raster = oc_image_decode_raster(
                    res->data, res->len, res->media_type, &why)) != NULL) {
        pic->px_width = cairo_image_surface_get_width(pic->raster);
        pic->px_height = cairo_image_surface_get_height(pic->raster);
    }
    if (why == NULL && !(pic->px_width > 0 && pic->px_height > 0))
        why = "it has no size";
    if (why != NULL) {
        oc_warn(g->b->chapters[f->chap].file, oc_xhtml_line(at), 0,
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

/* Pixels to the inch below which a raster image looks soft on paper. */
#define MIN_PPI 150

/* A raster image printed 'w' × 'h' points at element 'at' at fewer than
 * MIN_PPI pixels to the inch is warned about, once per image, naming its
 * file. */
void
lay_check_ppi(flow *f, const oc_picture *pic, xmlNodePtr at, double w,
              double h)
{
    lay *g = f->g;
    const char *src = pic->href;
    double ppi;

    if (pic->vector != NULL || w <= 0 || h <= 0)   /* not pixels */
        return;
    ppi = fmin(pic->px_width / (w / 72), pic->px_height / (h / 72));
    if (ppi >= MIN_PPI || !g_hash_table_add(g->low_ppi, (gpointer)pic))
        return;
    for (size_t i = 0; i < g->b->nimages; i++)
        if (g->b->images[i].href != NULL && g->b->images[i].src != NULL &&
            strcmp(g->b->images[i].href, pic->href) == 0)
            src = g->b->images[i].src;      /* its file, not the EPUB's */
    oc_warn(g->b->chapters[f->chap].file, oc_xhtml_line(at), 0,
            "image '%s' is printed at %.0f ppi (%.0f x %.0f pixels over "
            "%.2f x %.2f in), under the %d ppi print needs: it will look "
            "soft; give it more pixels or a smaller size", src,
            floor(ppi), pic->px_width, pic->px_height, w / 72, h / 72,
            MIN_PPI);
}

/* The book's own stylesheets (not octavo's), one after the other. */
static const char *
book_css(lay *g)
{
    if (g->svg_css == NULL) {
        oc_buf css = {0};

        for (size_t k = 0; k < g->b->nstyles; k++)
            if (!g->b->styles[k].octavo && g->b->styles[k].data != NULL) {
                oc_buf_put(&css, g->b->styles[k].data, g->b->styles[k].len);
                oc_buf_puts(&css, "\n");
            }
        oc_buf_puts(&css, "");
        g->svg_css = oc_arena_strdup(g->L->arena, css.data ? css.data : "");
        oc_buf_free(&css);
    }
    return g->svg_css;
}

/* An <svg> element in a chapter's text (an SVG image written inline, as
 * Graphviz or a notebook's HTML has it): made an image of its own, as
 * safe as an SVG file's (svg.h), decoded once. NULL with a warning when
 * it cannot be drawn. */
static const oc_picture *
inline_svg(flow *f, xmlNodePtr n)
{
    lay *g = f->g;
    char key[64];
    const oc_picture *pic;
    oc_resource res = {0};
    xmlDocPtr doc;
    xmlChar *xml = NULL;
    int len = 0;
    oc_buf clean = {0};
    oc_error err = {0};

    /* Its chapter's number too: a freed chapter's address may come
     * again (oc_book_release_chapter). */
    snprintf(key, sizeof key, "#inline-svg-%zu-%p", f->chap, (void *)n);
    if ((pic = g_hash_table_lookup(g->pictures, key)) != NULL)
        return pic == &no_picture ? NULL : pic;
    /* A copy in a document of its own takes the namespaces it uses
     * along, declared on its root; and the book's stylesheets, which
     * style an SVG in the text (its fill and strokes: the Rust
     * Reference's railroad diagrams) as a reading system does. */
    if ((doc = xmlNewDoc(BAD_CAST "1.0")) != NULL) {
        xmlNodePtr root = xmlDocCopyNode(n, doc, 1);
        const char *css = book_css(g);

        xmlDocSetRootElement(doc, root);
        if (root != NULL && css[0] != '\0') {
            xmlNodePtr style = xmlNewDocNode(doc, root->ns, BAD_CAST "style",
                                             NULL);

            xmlAddChild(style, xmlNewDocText(doc, BAD_CAST css));
            if (root->children != NULL)
                xmlAddPrevSibling(root->children, style);
            else
                xmlAddChild(root, style);
        }
        xmlDocDumpMemoryEnc(doc, &xml, &len, "UTF-8");
        xmlFreeDoc(doc);
    }
    res.href = oc_arena_strdup(g->L->arena, key);
    res.media_type = "image/svg+xml";
    if (xml != NULL &&
        oc_svg_sanitize((const char *)xml, (size_t)len, NULL, &clean,
                        &err) == OC_OK) {
        res.data = clean.data;
        res.len = clean.len;
    }
    xmlFree(xml);
    pic = res.data != NULL ? decode_picture(f, &res, n) : NULL;
    if (res.data == NULL) {
        oc_warn(g->b->chapters[f->chap].file, oc_xhtml_line(n), 0,
                "inline SVG cannot be shown in the PDF (%s)",
                err.msg[0] ? err.msg : "it cannot be read");
        g_hash_table_insert(g->pictures, (gpointer)res.href, &no_picture);
    }
    oc_buf_free(&clean);
    return pic;
}

static const oc_resource *
image_resource(lay *g, const char *src, size_t len)
{
    const char *href = lay_unescape(g, src, len);

    for (size_t i = 0; i < g->b->nimages; i++)
        if (g->b->images[i].href != NULL &&
            strcmp(g->b->images[i].href, href) == 0)
            return &g->b->images[i];
    return NULL;
}

/* The picture that an <img>, or a <picture> (its WebP source, else its
 * <img>), shows; *img is set to the <img> element, for its alt text and
 * size attributes. NULL when there is none to show. */
const oc_picture *
lay_picture_of(flow *f, xmlNodePtr n, xmlNodePtr *img)
{
    lay *g = f->g;
    const oc_resource *res = NULL;
    const char *src;

    if (lay_is_svg(n)) {
        *img = n;
        return inline_svg(f, n);
    }
    *img = is(n, "img") ? n : NULL;
    if (is(n, "picture")) {
        for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
            const char *set = is(c, "source") ? lay_attr(g, c, "srcset", NULL)
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
        (src = lay_attr(g, *img, "src", NULL)) != NULL)
        res = image_resource(g, src, strlen(src));
    if (res == NULL || (res->data == NULL && res->src == NULL) ||
        res->media_type == NULL)
        return NULL;
    return decode_picture(f, res, *img ? *img : n);
}

/* A length attribute in CSS pixels ("120"), or 0. */
static double
px_attr(lay *g, xmlNodePtr n, const char *name)
{
    const char *v = n ? lay_attr(g, n, name, NULL) : NULL;
    char *end;
    double d;

    if (v == NULL)
        return 0;
    d = strtod(v, &end);
    return end != v && (*end == '\0' || strcmp(end, "px") == 0) &&
           d > 0 && d < 1e5 ? d : 0;
}

/* A computed width or height of an image's box in points, percentages
 * of 'cb' (none for a height: CSS 2.1 §10.5); -1 for auto. */
static double
box_size(oc_length l, double cb, bool percent)
{
    if (l.unit == OC_LEN_AUTO || (l.unit == OC_LEN_PERCENT && !percent))
        return -1;
    return oc_css_length(l, cb);
}

/* The size of an image in points: its CSS width and height (percentages
 * of 'maxw', the measure it stands in), else its width and height
 * attributes, else its natural size at 96 pixels to the inch (CSS's px);
 * one of the two given, the other keeps its proportions. Then no wider
 * than its max-width, and shrunk to fit 'maxw' × 'maxh' keeping its
 * proportions. */
void
lay_picture_size(lay *g, const oc_picture *pic, xmlNodePtr img, double maxw,
                 double maxh, double *w, double *h)
{
    const oc_style *cs = img ? lay_style_of(g, img) : NULL;
    double cw = cs ? box_size(cs->width, maxw, true) : -1;
    double ch = cs ? box_size(cs->height, maxw, false) : -1;
    double mw = cs ? box_size(cs->max_width, maxw, true) : -1;
    double aw = px_attr(g, img, "width"), ah = px_attr(g, img, "height");
    double ratio = pic->px_height / pic->px_width;
    double k;

    if (cw < 0 && aw > 0)
        cw = aw * 0.75;
    if (ch < 0 && ah > 0)
        ch = ah * 0.75;
    if (cw >= 0 && ch >= 0) {
        *w = cw;
        *h = ch;
    } else if (cw >= 0) {
        *w = cw;
        *h = cw * ratio;
    } else if (ch >= 0) {
        *h = ch;
        *w = ch / ratio;
    } else {
        *w = pic->px_width * 0.75;
        *h = pic->px_height * 0.75;
    }
    if (mw >= 0 && *w > mw) {
        *h *= mw / *w;
        *w = mw;
    }
    k = 1;
    if (*w > maxw)
        k = maxw / *w;
    if (*h * k > maxh)
        k = maxh / *h;
    *w *= k;
    *h *= k;
}

bool
lay_picture_sized(lay *g, xmlNodePtr img)
{
    const oc_style *cs = img ? lay_style_of(g, img) : NULL;

    return (cs != NULL && (cs->width.unit != OC_LEN_AUTO ||
                           cs->height.unit != OC_LEN_AUTO)) ||
           px_attr(g, img, "width") > 0 || px_attr(g, img, "height") > 0;
}

/* The <img> or <picture> that is all a run of inline nodes holds (white
 * space aside), or NULL. */
xmlNodePtr
lay_lone_image(lay *g, xmlNodePtr first, xmlNodePtr stop)
{
    xmlNodePtr found = NULL;

    for (xmlNodePtr n = first; n != NULL && n != stop; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content[strspn((const char *)n->content, " \t\r\n")])
                return NULL;
        } else if (n->type == XML_ELEMENT_NODE && !lay_is_skipped(g, n)) {
            if (found != NULL ||
                !(is(n, "img") || is(n, "picture") || lay_is_svg(n)))
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
bool
lay_flow_image(flow *f, xmlNodePtr n, const bstyle *st)
{
    lay *g = f->g;
    xmlNodePtr img;
    const oc_picture *pic = lay_picture_of(f, n, &img);
    double avail = g->width - st->left - st->right;
    double maxh = g->height - (f->keep > 0 ? 4 * g->s->leading : 0);
    double cb = avail, fw;
    const char *id;
    double w, h;
    size_t ri;

    if (pic == NULL)
        return false;
    /* A figure (or another block: a floated div) with a width of its
     * own is the image's containing block; it stands centred in the
     * measure. */
    if (n->parent != NULL && n->parent->type == XML_ELEMENT_NODE &&
        (is(n->parent, "figure") || lay_is_block(g, n->parent)) &&
        (fw = box_size(lay_style_of(g, n->parent)->width, avail, true)) >= 0 &&
        fw < avail)
        cb = fw;
    lay_picture_size(g, pic, img, cb, maxh, &w, &h);
    lay_check_ppi(f, pic, img ? img : n, w, h);
    lay_want_space(f, g->s->leading * 0.5);
    if ((id = lay_attr(g, n, "id", NULL)) != NULL)
        lay_pend_dest(f, lay_dest_name(g, f->chap, id));
    if (img != NULL && img != n && (id = lay_attr(g, img, "id", NULL)) != NULL)
        lay_pend_dest(f, lay_dest_name(g, f->chap, id));
    ri = lay_add_row(f, h, 0);
    f->out->v[ri].tag = lay_figure_tag(f, img);
    lay_add_image(g, &f->out->v[ri].items, pic, st->left + (avail - w) / 2, 0,
                  w, h);
    lay_want_space(f, g->s->leading * (f->keep > 0 ? 0.4 : 0.5));
    f->indent = false;
    return true;
}
