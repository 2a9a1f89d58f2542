/* markdown.c - chapters into XHTML 5 documents: CommonMark + GFM (tables,
 * strikethrough, autolinks, footnotes, task lists, smart punctuation by
 * language), pandoc's attributes, spans and definition lists (md-*.c) and
 * highlighted code (highlight.c) walked from cmark-gfm's tree into
 * libxml2 nodes; XHTML and HTML chapters parsed by libxml2 and moved into
 * the same skeleton. */
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/parser.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "highlight.h"
#include "labels.h"
#include "md-int.h"
#include "sanitize.h"

#define MAX_DEPTH 64    /* nested quotes and lists */
#define MAX_INLINE_DEPTH 100   /* nested emphasis, links...: kept as text */
#define CMARK_OPTS (CMARK_OPT_SOURCEPOS | CMARK_OPT_SMART | \
                    CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE)

typedef struct conv {
    xmlDocPtr   doc;
    const char *prefix;     /* of note ids */
    const char *file;
    int         line0;      /* file line of the text's first line, minus 1 */
    oc_error   *err;
    oc_status   st;
    xmlNodePtr  notes;      /* where the list of notes goes */
    xmlNodePtr  note_list;  /* that list, once a note is made */
    int         nnotes;     /* definitions seen */
    int        *refs;       /* references made, per note number */
    int         nrefs;
    cmark_llist *exts;
    int         inline_depth;   /* of convert_inline, now */
    int         flattened;      /* the line last warned of too deep
                                   inlines at (once a line) */
    const md_source *src;       /* the chapter's text */
    const char *lang;           /* the chapter's language */
    int         single;         /* single quotes open in the paragraph */
    int         double_open;    /* and double ones */
    const md_prep *prep;        /* pandoc's rewritten (md-pandoc.c) */
    const char *const *labels;  /* the book's own words, or NULL */
} conv;

int
oc_chapter_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (dot == NULL || strchr(dot, '/') != NULL)
        return -1;
    /* In any case: CHAPTER1.MD, as some systems name files. */
    if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0)
        return OC_FORMAT_MARKDOWN;
    if (strcasecmp(dot, ".xhtml") == 0 || strcasecmp(dot, ".xml") == 0)
        return OC_FORMAT_XHTML;
    if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
        return OC_FORMAT_HTML;
    return -1;
}


/* How libxml2 reads HTML. HTML_PARSE_RECOVER: a <script> or <style> ends
 * only at its own end tag; without it, libxml2 ends one at the first
 * "</" and a letter, and a script's string "</div><h2>" became
 * markup. */
#define HTML_OPTIONS (HTML_PARSE_NONET | HTML_PARSE_NOERROR | \
                      HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER)
static int
line_of(const conv *c, cmark_node *n)
{
    int l = cmark_node_get_start_line(n);

    return l > 0 ? c->line0 + md_prep_line(c->prep, l) : 0;
}

static xmlNodePtr
add(conv *c, xmlNodePtr parent, const char *name, cmark_node *src)
{
    return oc_xhtml_add(c->doc, parent, name, src ? line_of(c, src) : 0);
}

static void
add_text(xmlNodePtr parent, const char *s)
{
    xmlNodeAddContent(parent, BAD_CAST s);
}

/* Text node n with the quotes of its language: the chapter's, or that
 * of a span it is in ({lang=fr}). */
static void
add_quoted(conv *c, xmlNodePtr parent, cmark_node *n)
{
    const char *s = cmark_node_get_literal(n);
    const md_quotes *quotes;
    xmlChar *lang;
    md_aligned al;
    bool aligned;
    char *q;

    if (s == NULL || strstr(s, "\xe2\x80") == NULL) {
        add_text(parent, s);
        return;
    }
    lang = xmlNodeGetLang(parent);
    quotes = md_quotes_for(lang ? (const char *)lang : c->lang);
    xmlFree(lang);
    if (quotes == NULL) {
        add_text(parent, s);
        return;
    }
    aligned = md_align(c->src, n, &al);
    q = md_quotes_apply(quotes, s, aligned ? &al : NULL, &c->single,
                        &c->double_open);
    add_text(parent, q);
    free(q);
    md_aligned_free(&al);
}

/* The attributes the Markdown pass hung on n, if any. */
static const md_attrs *
attrs_of(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);

    return t == CMARK_NODE_HEADING || t == CMARK_NODE_LINK ||
           t == CMARK_NODE_IMAGE || t == CMARK_NODE_CODE ||
           t == CMARK_NODE_CUSTOM_INLINE || t == CMARK_NODE_EMPH
               ? cmark_node_get_user_data(n) : NULL;
}

/* "sup" or "sub" for a span md-pandoc.c made of ^super^ or ~sub~. */
static const char *
script_of(cmark_node *n)
{
    const md_attrs *a = attrs_of(n);

    if (a == NULL || a->classes == NULL || a->id != NULL || a->n > 0)
        return NULL;
    return strcmp(a->classes, "octavo-sup") == 0   ? "sup"
           : strcmp(a->classes, "octavo-sub") == 0 ? "sub"
                                                   : NULL;
}

static void
apply_attrs(conv *c, cmark_node *n, xmlNodePtr e)
{
    const md_attrs *a = attrs_of(n);

    if (a != NULL)
        md_attrs_apply(e, a, c->file);
}

static void convert_blocks(conv *c, cmark_node *first, xmlNodePtr parent,
                           int depth);
static bool raw_block(conv *c, cmark_node *n, xmlNodePtr parent);
static void convert_inlines(conv *c, cmark_node *first, xmlNodePtr parent);

static const char *
ext_type(cmark_node *n)
{
    return cmark_node_get_type_string(n);
}

static int
has_raw_html(cmark_node *n)
{
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
        if (cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE ||
            has_raw_html(c))
            return 1;
    return 0;
}

/* Lines of a fragment parsed alone, made lines of the chapter: 'by' is
 * the chapter line before the fragment's first. */
static void
shift_lines(xmlNodePtr n, int by)
{
    for (; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE || n->type == XML_TEXT_NODE)
            oc_xhtml_set_line(n, (long)(n->line > 0 ? n->line : 1) + by);
        if (n->type == XML_ELEMENT_NODE)
            shift_lines(n->children, by);
    }
}

/* What libxml2 reports while it parses a chapter or a fragment: the
 * first error (where the trouble is), the first fatal one and the first
 * about namespaces. HTML's parser goes on after most errors, but stops at
 * a fatal one (elements nested deeper than libxml2's limit of 256), and
 * the rest of the text is lost; XML's goes on after a namespace error
 * ("xmlns:a:b"), which an EPUB may not hold. */
typedef struct parse_errors {
    xmlError first;
    xmlError fatal;
    xmlError ns;
} parse_errors;

static void
keep_errors(void *ctx, xmlErrorPtr e)
{
    parse_errors *pe = ctx;

    if (e == NULL || e->level < XML_ERR_ERROR)
        return;
    if (pe->first.code == 0)
        xmlCopyError(e, &pe->first);
    if (pe->fatal.code == 0 && e->level == XML_ERR_FATAL)
        xmlCopyError(e, &pe->fatal);
    if (pe->ns.code == 0 && e->domain == XML_FROM_NAMESPACE)
        xmlCopyError(e, &pe->ns);
}

static oc_status xml_failure(const xmlError *e, const char *file,
                             int first_line, oc_error *err);

/* Parse an HTML fragment with libxml2's HTML parser (no network) and move
 * its nodes under 'parent', in the XHTML namespace (sanitize.c cleans the
 * whole chapter afterwards). */
static void
import_html(conv *c, xmlNodePtr parent, const char *html, int line)
{
    oc_buf wrapped = {0}, trimmed = {0};
    size_t len = strlen(html);
    parse_errors pe = {0};
    htmlDocPtr hd;
    xmlNodePtr div, next;

    html = md_capped(html, &len, c->file, line, &trimmed);
    oc_buf_printf(&wrapped, "<html><body><div>%.*s</div></body></html>",
                  (int)len, html);
    oc_buf_free(&trimmed);
    xmlSetStructuredErrorFunc(&pe, keep_errors);
    hd = htmlReadMemory(wrapped.data, (int)wrapped.len, NULL, "UTF-8",
                        HTML_OPTIONS);
    xmlSetStructuredErrorFunc(NULL, NULL);
    oc_buf_free(&wrapped);
    if (pe.fatal.code != 0 && c->st == OC_OK) {
        xmlError at = pe.fatal;

        at.int2 = 0;            /* a column of the wrapped fragment */
        c->st = xml_failure(&at, c->file, line, c->err);
    }
    xmlResetError(&pe.first);
    xmlResetError(&pe.fatal);
    xmlResetError(&pe.ns);
    if (c->st != OC_OK) {
        xmlFreeDoc(hd);
        return;
    }
    if (hd == NULL) {
        oc_warn(c->file, line, 0, "raw HTML could not be parsed; dropped");
        return;
    }
    div = oc_xhtml_find(xmlDocGetRootElement(hd), "div");
    for (xmlNodePtr n = div ? div->children : NULL; n != NULL; n = next) {
        xmlNodePtr copy;

        next = n->next;
        if (xmlIsBlankNode(n))
            continue;
        copy = xmlDocCopyNode(n, c->doc, 1);
        if (copy == NULL)
            continue;
        oc_xhtml_set_ns(copy, parent->ns);
        oc_xhtml_adopt_foreign(copy, parent->ns);
        shift_lines(copy, line - 1);
        xmlAddChild(parent, copy);
    }
    xmlFreeDoc(hd);
}

static void add_noteref(conv *c, cmark_node *n, xmlNodePtr parent);
static void convert_inline(conv *c, cmark_node *n, xmlNodePtr parent);

/* Whether inline n is one cmark would render without what octavo gives
 * it: a footnote reference (octavo's noteref), or a code span, link or
 * image with pandoc's attributes (a link holding raw HTML is cmark's to
 * render, its attributes lost). */
static bool
rendered_by_octavo(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);

    return t == CMARK_NODE_FOOTNOTE_REFERENCE ||
           ((t == CMARK_NODE_CODE || t == CMARK_NODE_IMAGE ||
             (t == CMARK_NODE_LINK && !has_raw_html(n))) &&
            attrs_of(n) != NULL);
}

/* The inlines under n that cmark would render short of octavo (see
 * rendered_by_octavo) made raw HTML as octavo converts them, so that
 * cmark renders a paragraph with raw HTML in it with them whole. */
static void
inlines_as_html(conv *c, cmark_node *n)
{
    cmark_iter *it = cmark_iter_new(n);
    GPtrArray *v = g_ptr_array_new();
    cmark_event_type ev;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *k = cmark_iter_get_node(it);

        if (ev == CMARK_EVENT_ENTER && k != n && rendered_by_octavo(k)) {
            g_ptr_array_add(v, k);
            cmark_iter_reset(it, k, CMARK_EVENT_EXIT);  /* not within */
        }
    }
    cmark_iter_free(it);
    for (guint i = 0; i < v->len; i++) {
        cmark_node *k = v->pdata[i];
        cmark_node *raw = md_node_new(CMARK_NODE_HTML_INLINE);
        xmlNodePtr tmp = xmlNewDocNode(c->doc, NULL, BAD_CAST "x", NULL);
        xmlBufferPtr b = xmlBufferCreate();

        if (cmark_node_get_type(k) == CMARK_NODE_FOOTNOTE_REFERENCE)
            add_noteref(c, k, tmp);
        else
            convert_inline(c, k, tmp);
        for (xmlNodePtr e = tmp->children; e != NULL; e = e->next)
            xmlNodeDump(b, c->doc, e, 0, 0);
        cmark_node_set_literal(raw, (const char *)xmlBufferContent(b));
        cmark_node_replace(k, raw);
        cmark_node_free(k);
        xmlBufferFree(b);
        xmlFreeNode(tmp);
    }
    g_ptr_array_free(v, TRUE);
}

/* n rendered by cmark (its raw HTML as it is) and imported under parent;
 * 'line' is n's. */
static void
import_rendered(conv *c, cmark_node *n, xmlNodePtr parent, int line)
{
    char *html;

    inlines_as_html(c, n);
    html = cmark_render_html_with_mem(n, CMARK_OPTS & ~CMARK_OPT_SOURCEPOS,
                                      c->exts,
                                      cmark_get_default_mem_allocator());
    import_html(c, parent, html, line);
    free(html);
}

static void
add_noteref(conv *c, cmark_node *n, xmlNodePtr parent)
{
    const char *lit = cmark_node_get_literal(n);
    int num = lit ? atoi(lit) : 0;
    char href[64], id[72];
    xmlNodePtr a, sup;

    if (num <= 0) {
        add_text(parent, lit ? lit : "");
        return;
    }
    if (num > c->nrefs) {
        c->refs = oc_xrealloc(c->refs, (size_t)num * sizeof *c->refs);
        memset(c->refs + c->nrefs, 0,
               (size_t)(num - c->nrefs) * sizeof *c->refs);
        c->nrefs = num;
    }
    c->refs[num - 1]++;
    snprintf(href, sizeof href, "#%sfn%d", c->prefix, num);
    if (c->refs[num - 1] == 1)
        snprintf(id, sizeof id, "%sfnref%d", c->prefix, num);
    else
        snprintf(id, sizeof id, "%sfnref%d-%d", c->prefix, num,
                 c->refs[num - 1]);
    a = add(c, parent, "a", n);
    oc_xhtml_set_epub_type(a, "noteref");
    xmlSetProp(a, BAD_CAST "role", BAD_CAST "doc-noteref");
    xmlSetProp(a, BAD_CAST "id", BAD_CAST id);
    xmlSetProp(a, BAD_CAST "href", BAD_CAST href);
    sup = add(c, a, "sup", NULL);
    add_text(sup, lit);
}

static void
convert_inline(conv *c, cmark_node *n, xmlNodePtr parent)
{
    const char *t = ext_type(n);
    xmlNodePtr e;

    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
        add_quoted(c, parent, n);
        return;
    case CMARK_NODE_SOFTBREAK:
        add_text(parent, "\n");
        return;
    case CMARK_NODE_LINEBREAK:
        add(c, parent, "br", n);
        add_text(parent, "\n");
        return;
    case CMARK_NODE_CODE:
        e = add(c, parent, "code", n);
        add_text(e, cmark_node_get_literal(n));
        apply_attrs(c, n, e);
        return;
    case CMARK_NODE_CUSTOM_INLINE:     /* a bracketed span (md-pass.c) */
        e = add(c, parent, script_of(n) ? script_of(n) : "span", n);
        if (script_of(n) == NULL)
            apply_attrs(c, n, e);
        break;
    case CMARK_NODE_EMPH:      /* with attributes, a span in a cell */
        e = add(c, parent, attrs_of(n) ? "span" : "em", n);
        apply_attrs(c, n, e);
        break;
    case CMARK_NODE_STRONG:
        e = add(c, parent, "strong", n);
        break;
    case CMARK_NODE_LINK:
        e = add(c, parent, "a", n);
        xmlSetProp(e, BAD_CAST "href", BAD_CAST cmark_node_get_url(n));
        if (cmark_node_get_title(n) && cmark_node_get_title(n)[0])
            xmlSetProp(e, BAD_CAST "title", BAD_CAST cmark_node_get_title(n));
        apply_attrs(c, n, e);
        break;
    case CMARK_NODE_IMAGE: {
        xmlNodePtr alt = xmlNewDocNode(c->doc, NULL, BAD_CAST "x", NULL);
        xmlChar *text;

        convert_inlines(c, cmark_node_first_child(n), alt);
        text = xmlNodeGetContent(alt);
        xmlFreeNode(alt);
        e = add(c, parent, "img", n);
        xmlSetProp(e, BAD_CAST "src", BAD_CAST cmark_node_get_url(n));
        xmlSetProp(e, BAD_CAST "alt", text ? text : BAD_CAST "");
        xmlFree(text);
        apply_attrs(c, n, e);
        return;
    }
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        add_noteref(c, n, parent);
        return;
    case CMARK_NODE_HTML_INLINE:
        /* Only reached inside a block already handled as HTML. */
        return;
    default:
        if (t && strcmp(t, "strikethrough") == 0) {
            e = add(c, parent, "del", n);
            break;
        }
        oc_warn(c->file, line_of(c, n), cmark_node_get_start_column(n),
                "unsupported Markdown inline '%s' kept as text", t);
        e = parent;
        break;
    }
    convert_inlines(c, cmark_node_first_child(n), e);
}

/* The text of inline n and everything under it, without recursion:
 * what is nested too deeply to keep its structure. */
static void
flat_text(cmark_node *n, xmlNodePtr parent)
{
    cmark_iter *it = cmark_iter_new(n);
    cmark_event_type ev;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *k = cmark_iter_get_node(it);

        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(k)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            add_text(parent, cmark_node_get_literal(k));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            add_text(parent, "\n");
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
}

/* Inline nodes from 'first' up to 'stop' (NULL: to the last). */
static void
convert_range(conv *c, cmark_node *first, cmark_node *stop,
              xmlNodePtr parent)
{
    if (++c->inline_depth > MAX_INLINE_DEPTH) {
        int line = first != NULL ? line_of(c, first) : 0;

        if (first != NULL && (line != c->flattened || line == 0)) {
            c->flattened = line;
            oc_warn(c->file, line, cmark_node_get_start_column(first),
                    "inline markup nested more than %d deep: kept as "
                    "plain text", MAX_INLINE_DEPTH);
        }
        for (cmark_node *n = first; n != stop; n = cmark_node_next(n))
            flat_text(n, parent);
    } else {
        for (cmark_node *n = first; n != stop; n = cmark_node_next(n))
            convert_inline(c, n, parent);
    }
    c->inline_depth--;
}

static void
convert_inlines(conv *c, cmark_node *first, xmlNodePtr parent)
{
    convert_range(c, first, NULL, parent);
}

/* A paragraph holding only an image is a figure (as pandoc makes it):
 * its caption is the image's title, else its alt text. */
static int
is_figure(cmark_node *p)
{
    cmark_node *img = cmark_node_first_child(p);

    /* An image from the web is left out (sanitize.c): no figure. */
    return img != NULL && cmark_node_next(img) == NULL &&
           cmark_node_get_type(img) == CMARK_NODE_IMAGE &&
           !oc_url_is_remote(cmark_node_get_url(img));
}

static void
convert_paragraph(conv *c, cmark_node *n, xmlNodePtr parent, int tight)
{
    xmlNodePtr e;

    if (has_raw_html(n)) {
        /* cmark renders a tight item's paragraph without <p>, as here. */
        import_rendered(c, n, parent, line_of(c, n));
        return;
    }
    if (is_figure(n)) {
        cmark_node *img = cmark_node_first_child(n);
        const char *title = cmark_node_get_title(img);
        xmlNodePtr fig = add(c, parent, "figure", n), cap, pic;
        xmlChar *alt;

        convert_inline(c, img, fig);
        pic = xmlGetLastChild(fig);
        /* {#id} names the figure, as pandoc has it. */
        if (pic != NULL && xmlHasProp(pic, BAD_CAST "id") != NULL) {
            xmlChar *id = xmlGetProp(pic, BAD_CAST "id");

            xmlUnsetProp(pic, BAD_CAST "id");
            xmlSetProp(fig, BAD_CAST "id", id);
            xmlFree(id);
        }
        alt = pic ? xmlGetProp(pic, BAD_CAST "alt") : NULL;
        if ((title != NULL && title[0] != '\0') ||
            (alt != NULL && alt[0] != '\0')) {
            cap = add(c, fig, "figcaption", img);
            add_text(cap, title != NULL && title[0] != '\0'
                              ? title : (const char *)alt);
        }
        xmlFree(alt);
        return;
    }
    e = tight ? parent : add(c, parent, "p", n);
    c->single = c->double_open = 0;
    convert_inlines(c, cmark_node_first_child(n), e);
}

/* GitHub's alert n (a marked quote): a note with its title, its kind's
 * name or the words Obsidian's callout gives it. */
static xmlNodePtr
alert(conv *c, cmark_node *n, xmlNodePtr parent)
{
    int kind = md_alert_of(n);
    cmark_node *own = cmark_node_first_child(n);
    xmlNodePtr e = add(c, parent, "div", n), title;
    char class[40];

    snprintf(class, sizeof class, "alert alert-%s", md_alerts[kind]);
    xmlSetProp(e, BAD_CAST "class", BAD_CAST class);
    xmlSetProp(e, BAD_CAST "role", BAD_CAST "note");
    title = add(c, e, "p", n);
    xmlSetProp(title, BAD_CAST "class", BAD_CAST "alert-title");
    if (own != NULL && cmark_node_get_user_data(own) == md_mark_title) {
        c->single = c->double_open = 0;
        convert_inlines(c, cmark_node_first_child(own), title);
    } else {
        add_text(title, oc_label(c->labels, c->lang,
                                 (oc_label_id)(OC_LABEL_NOTE + kind)));
    }
    return e;
}

/* ---- definition lists (marked by md-pass.c) ---- */

static const char *
deflist_mark(cmark_node *n)
{
    return n != NULL && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH
               ? cmark_node_get_user_data(n) : NULL;
}

static cmark_node *
next_dd(cmark_node *k)
{
    while (k != NULL && cmark_node_get_user_data(k) != md_mark_dd)
        k = cmark_node_next(k);
    return k;
}

/* The definitions of paragraph n from inline k on, each up to the next
 * soft break marked as opening one; in a <p> each when 'loose'. */
static void
convert_dds(conv *c, cmark_node *n, cmark_node *k, xmlNodePtr dl,
            bool loose)
{
    while (k != NULL) {
        cmark_node *stop = next_dd(cmark_node_next(k));
        xmlNodePtr dd = add(c, dl, "dd", n);

        if (loose)
            dd = add(c, dd, "p", n);
        c->single = c->double_open = 0;
        convert_range(c, k, stop, dd);
        k = stop ? cmark_node_next(stop) : NULL;
    }
}

/* A definition list from paragraph n on (pandoc's: a term on a line of
 * its own, then each definition on a line that opens with ': ', or in
 * paragraphs of their own after a blank line); returns the last
 * paragraph it took. */
static cmark_node *
convert_deflist(conv *c, cmark_node *n, xmlNodePtr parent)
{
    xmlNodePtr dl = add(c, parent, "dl", n);
    cmark_node *last = n;

    for (; deflist_mark(n) != NULL; n = cmark_node_next(n)) {
        const char *m = deflist_mark(n);
        cmark_node *first = cmark_node_first_child(n), *brk;

        if (m == md_mark_defs) {
            convert_dds(c, n, first, dl, true);
        } else {
            brk = m == md_mark_entry ? next_dd(first) : NULL;
            c->single = c->double_open = 0;
            convert_range(c, first, brk, add(c, dl, "dt", n));
            if (brk != NULL)
                convert_dds(c, n, cmark_node_next(brk), dl, false);
        }
        last = n;
    }
    return last;
}

/* A table cell's inlines into td. Raw HTML in it (a <br>, as GFM tables
 * are one line a row) is read as a paragraph's is: its inlines are lent
 * to a paragraph rendered as HTML, whose <p> is then unwrapped. */
static void
convert_cell(conv *c, cmark_node *cell, xmlNodePtr td)
{
    cmark_node *doc, *p, *k;
    xmlNodePtr last = td->last;

    if (!has_raw_html(cell)) {
        convert_inlines(c, cmark_node_first_child(cell), td);
        return;
    }
    doc = md_node_new(CMARK_NODE_DOCUMENT);
    p = md_node_new(CMARK_NODE_PARAGRAPH);
    cmark_node_append_child(doc, p);
    while ((k = cmark_node_first_child(cell)) != NULL)
        cmark_node_append_child(p, k);
    import_rendered(c, p, td, line_of(c, cell));
    while ((k = cmark_node_first_child(p)) != NULL)
        cmark_node_append_child(cell, k);
    cmark_node_free(doc);
    for (xmlNodePtr e = last ? last->next : td->children, next; e; e = next) {
        next = e->next;
        if (oc_xhtml_is(e, "p"))
            oc_xhtml_unwrap(e);
    }
}

static void
convert_table(conv *c, cmark_node *n, xmlNodePtr parent)
{
    uint16_t ncols = cmark_gfm_extensions_get_table_columns(n);
    uint8_t *align = cmark_gfm_extensions_get_table_alignments(n);
    xmlNodePtr table = add(c, parent, "table", n), body = NULL;

    for (cmark_node *row = cmark_node_first_child(n); row;
         row = cmark_node_next(row)) {
        int header = cmark_gfm_extensions_get_table_row_is_header(row);
        xmlNodePtr group, tr;
        int col = 0;

        if (header) {
            group = add(c, table, "thead", row);
        } else {
            if (body == NULL)
                body = add(c, table, "tbody", row);
            group = body;
        }
        tr = add(c, group, "tr", row);
        for (cmark_node *cell = cmark_node_first_child(row); cell;
             cell = cmark_node_next(cell), col++) {
            xmlNodePtr td = add(c, tr, header ? "th" : "td", cell);
            char a = col < ncols && align ? (char)align[col] : 0;

            if (header)
                xmlSetProp(td, BAD_CAST "scope", BAD_CAST "col");
            if (a == 'l' || a == 'c' || a == 'r')
                xmlSetProp(td, BAD_CAST "style",
                           BAD_CAST(a == 'l' ? "text-align: left"
                                    : a == 'c' ? "text-align: center"
                                               : "text-align: right"));
            convert_cell(c, cell, td);
        }
    }
}

/* A footnote: an EPUB 3 note (pop-ups take aside epub:type="footnote"),
 * in the chapter's one list of notes after its text, set apart by the
 * stylesheet; it opens with its number, which links back to the text,
 * so that it reads right where a reading system shows notes in the flow
 * (calibre, MuPDF, Kindle conversions). */
static void
convert_note(conv *c, cmark_node *n, xmlNodePtr parent, int depth)
{
    char id[64], back[72], label[24];
    xmlNodePtr aside, first, a;
    int num = ++c->nnotes;

    (void)parent;
    if (c->notes == NULL)
        return;
    if (c->note_list == NULL) {
        c->note_list = add(c, c->notes, "section", n);
        oc_xhtml_set_epub_type(c->note_list, "footnotes");
        xmlSetProp(c->note_list, BAD_CAST "class", BAD_CAST "footnotes");
    }
    snprintf(id, sizeof id, "%sfn%d", c->prefix, num);
    snprintf(back, sizeof back, "#%sfnref%d", c->prefix, num);
    snprintf(label, sizeof label, "%d.", num);
    aside = add(c, c->note_list, "aside", n);
    oc_xhtml_set_epub_type(aside, "footnote");
    xmlSetProp(aside, BAD_CAST "role", BAD_CAST "doc-footnote");
    xmlSetProp(aside, BAD_CAST "id", BAD_CAST id);
    convert_blocks(c, cmark_node_first_child(n), aside, depth + 1);
    first = xmlFirstElementChild(aside);
    if (!oc_xhtml_is(first, "p")) {
        xmlNodePtr p = oc_xhtml_add(c->doc, NULL, "p", line_of(c, n));

        if (first != NULL)
            xmlAddPrevSibling(first, p);
        else
            xmlAddChild(aside, p);
        first = p;
    }
    a = oc_xhtml_add(c->doc, NULL, "a", line_of(c, n));
    xmlSetProp(a, BAD_CAST "href", BAD_CAST back);
    xmlSetProp(a, BAD_CAST "role", BAD_CAST "doc-backlink");
    xmlSetProp(a, BAD_CAST "class", BAD_CAST "note-number");
    add_text(a, label);
    if (first->children != NULL) {
        xmlAddPrevSibling(first->children, a);
        xmlAddNextSibling(a, xmlNewDocText(c->doc, BAD_CAST " "));
    } else {
        xmlAddChild(first, a);
    }
}

/* A task list item (GFM): a ballot box before its text, in both
 * outputs (a disabled <input> would be a form control without a label
 * for accessibility checkers, and the PDF draws no controls). */
static void
task_box(conv *c, cmark_node *n, xmlNodePtr li, xmlNodePtr list)
{
    bool done = cmark_gfm_extensions_get_tasklist_item_checked(n);
    xmlNodePtr first = xmlFirstElementChild(li), at = li, box;
    xmlChar *cls = xmlGetProp(list, BAD_CAST "class");

    if (cls == NULL)
        xmlSetProp(list, BAD_CAST "class", BAD_CAST "task-list");
    xmlFree(cls);
    xmlSetProp(li, BAD_CAST "class", BAD_CAST(done ? "task done" : "task"));
    if (oc_xhtml_is(first, "p") && first == li->children)
        at = first;
    box = oc_xhtml_add(c->doc, NULL, "span", line_of(c, n));
    xmlSetProp(box, BAD_CAST "class", BAD_CAST "task-box");
    add_text(box, done ? "\xe2\x98\x91" : "\xe2\x98\x90");   /* ☑ ☐ */
    if (at->children != NULL) {
        xmlAddPrevSibling(at->children, box);
        xmlAddNextSibling(box, xmlNewDocText(c->doc, BAD_CAST " "));
    } else {
        xmlAddChild(at, box);
    }
}

/* Whether option 'name' of a chunk is set false: "name=FALSE" (or F) in
 * R Markdown's header {r, name=FALSE}, "#| name: false" in Quarto's
 * lines at the top of its code. */
static bool
chunk_option_false(const char *info, const char *text, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = strstr(info, name); p != NULL;
         p = strstr(p + 1, name)) {
        const char *v = p + n;

        if (p > info && (g_ascii_isalnum(p[-1]) || p[-1] == '.'))
            continue;
        v += strspn(v, " ");
        if (*v != '=')
            continue;
        v += 1 + strspn(v + 1, " ");
        if (strncmp(v, "FALSE", 5) == 0 || strncmp(v, "false", 5) == 0 ||
            (v[0] == 'F' && !g_ascii_isalnum(v[1])))
            return true;
    }
    for (const char *l = text; strncmp(l, "#|", 2) == 0;
         l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n')) {
        const char *v = l + 2 + strspn(l + 2, " ");

        if (strncmp(v, name, n) == 0 && v[n] == ':' &&
            strncmp(v + n + 1 + strspn(v + n + 1, " "), "false", 5) == 0)
            return true;
    }
    return false;
}

/* A fenced code block's info string: a language ("python"), attributes
 * ("{.python #id}", "python {.numberLines}"; the first class is the
 * language) or an executable chunk's of R Markdown or Quarto: "{python}",
 * "{r setup, include=FALSE}". A chunk's "#|" option lines are not its
 * code, and one that its options hide (include or echo false: its
 * output, which a book built from the source does not have, was all it
 * showed) is left out. The language is the code's class language-X;
 * the other attributes go on the <pre>. */
static void
convert_code_block(conv *c, cmark_node *n, xmlNodePtr parent)
{
    const char *info = cmark_node_get_fence_info(n);
    const char *text = cmark_node_get_literal(n);
    size_t ilen = info ? strlen(info) : 0, k = 0;
    md_attrs a = {0};
    const char *lang = info;
    xmlNodePtr pre, code;
    char cls[64];

    if (text == NULL)
        text = "";
    if (ilen > 0 && info[0] == '{' && md_attrs_parse(info, ilen, &a) > 0) {
        lang = a.classes;
    } else if (ilen > 0 && info[0] == '{') {
        lang = info + 1;            /* {python}, {r, echo=FALSE} */
        if (chunk_option_false(info, text, "include") ||
            chunk_option_false(info, text, "echo"))
            return;
        while (strncmp(text, "#|", 2) == 0)
            text += strcspn(text, "\n") + (text[strcspn(text, "\n")] == '\n');
    } else if (ilen > 0) {
        const char *rest = info + strcspn(info, " \t");

        rest += strspn(rest, " \t");
        if (rest[0] == '{')
            md_attrs_parse(rest, strlen(rest), &a);
    }
    pre = add(c, parent, "pre", n);
    code = add(c, pre, "code", n);
    while (lang && lang[k] && !strchr(" \t},", lang[k]) &&
           k < sizeof cls - 10)
        k++;
    if (k > 0) {
        snprintf(cls, sizeof cls, "language-%.*s", (int)k, lang);
        xmlSetProp(code, BAD_CAST "class", BAD_CAST cls);
    }
    if (lang != NULL && lang == a.classes) {
        lang += k + strspn(lang + k, " ");
        memmove(a.classes, lang, strlen(lang) + 1);
        if (a.classes[0] == '\0') {
            free(a.classes);
            a.classes = NULL;
        }
    }
    md_attrs_apply(pre, &a, c->file);
    md_attrs_clear(&a);
    /* Highlighted when octavo knows the language; else as it is. */
    oc_highlight_code(code, k > 0 ? cls + 9 : "", text, strlen(text));
}

static void
convert_block(conv *c, cmark_node *n, xmlNodePtr parent, int depth)
{
    cmark_node *up = cmark_node_parent(n);
    int tight = 0;
    xmlNodePtr e;
    char name[4];

    if (depth > MAX_DEPTH) {
        if (c->st == OC_OK)
            c->st = oc_error_set(c->err, OC_ERR_INVALID, c->file,
                                 line_of(c, n), cmark_node_get_start_column(n),
                                 "blocks nested more than %d deep",
                                 MAX_DEPTH);
        return;
    }
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        if (cmark_node_get_user_data(n) == md_mark_title)
            return;                 /* set as its alert's title */
        if (up && cmark_node_get_type(up) == CMARK_NODE_ITEM) {
            cmark_node *list = cmark_node_parent(up);

            tight = list && cmark_node_get_list_tight(list);
        }
        convert_paragraph(c, n, parent, tight);
        return;
    case CMARK_NODE_HEADING:
        snprintf(name, sizeof name, "h%d", cmark_node_get_heading_level(n));
        e = add(c, parent, name, n);
        c->single = c->double_open = 0;
        if (has_raw_html(n)) {      /* read as a paragraph's is */
            import_rendered(c, n, e, line_of(c, n));
            if (xmlFirstElementChild(e) != NULL &&
                oc_xhtml_is(xmlFirstElementChild(e), name))
                oc_xhtml_unwrap(xmlFirstElementChild(e));
        } else {
            convert_inlines(c, cmark_node_first_child(n), e);
        }
        apply_attrs(c, n, e);
        return;
    case CMARK_NODE_BLOCK_QUOTE:
        e = md_alert_of(n) >= 0 ? alert(c, n, parent)
                                : add(c, parent, "blockquote", n);
        break;
    case CMARK_NODE_LIST:
        if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST) {
            e = add(c, parent, "ol", n);
            md_prep_list_type(c->prep, cmark_node_get_start_line(n), e);
            if (cmark_node_get_list_start(n) != 1) {
                char start[16];

                snprintf(start, sizeof start, "%d",
                         cmark_node_get_list_start(n));
                xmlSetProp(e, BAD_CAST "start", BAD_CAST start);
            }
        } else {
            e = add(c, parent, "ul", n);
        }
        break;
    case CMARK_NODE_ITEM:
        e = add(c, parent, "li", n);
        convert_blocks(c, cmark_node_first_child(n), e, depth + 1);
        if (ext_type(n) && strcmp(ext_type(n), "tasklist") == 0)
            task_box(c, n, e, parent);
        return;
    case CMARK_NODE_CODE_BLOCK:
        if (raw_block(c, n, parent))
            return;
        convert_code_block(c, n, parent);
        return;
    case CMARK_NODE_HTML_BLOCK:
        import_html(c, parent, cmark_node_get_literal(n), line_of(c, n));
        return;
    case CMARK_NODE_THEMATIC_BREAK:
        add(c, parent, "hr", n);
        return;
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        convert_note(c, n, parent, depth);
        return;
    default:
        if (ext_type(n) && strcmp(ext_type(n), "table") == 0) {
            convert_table(c, n, parent);
            return;
        }
        oc_warn(c->file, line_of(c, n), cmark_node_get_start_column(n),
                "unsupported Markdown block '%s' kept as text", ext_type(n));
        e = parent;
        break;
    }
    convert_blocks(c, cmark_node_first_child(n), e, depth + 1);
}

/* pandoc's raw block, a fence whose info string is {=format}: HTML goes
 * in as raw HTML does; another format (LaTeX...) is for another output
 * and is left out, but for a page break alone. Returns false for a
 * code block. */
static bool
raw_block(conv *c, cmark_node *n, xmlNodePtr parent)
{
    const char *info = cmark_node_get_fence_info(n), *lit;
    size_t len;

    if (info == NULL || info[0] != '{' || info[1] != '=')
        return false;
    len = strcspn(info + 2, "} \t");
    if (info[2 + len] != '}' || len == 0)
        return false;
    lit = cmark_node_get_literal(n);
    if (lit == NULL)
        return true;
    if (len == 4 && strncasecmp(info + 2, "html", 4) == 0) {
        import_html(c, parent, lit, line_of(c, n) + 1);
    } else if (strstr(lit, "\\newpage") || strstr(lit, "\\clearpage") ||
               strstr(lit, "\\pagebreak")) {
        xmlNodePtr d = add(c, parent, "div", n);

        xmlSetProp(d, BAD_CAST "class", BAD_CAST "page-break");
        xmlSetProp(d, BAD_CAST "style", BAD_CAST "break-after: page");
    }
    return true;
}

/* A fenced div's attribute block ({#id .class key=value}) or class word
 * on the div it opened. */
static void
div_attrs(conv *c, xmlNodePtr div, const char *attrs)
{
    md_attrs a;

    if (attrs[0] != '{') {
        xmlSetProp(div, BAD_CAST "class", BAD_CAST attrs);
    } else if (md_attrs_parse(attrs, strlen(attrs), &a) > 0) {
        md_attrs_apply(div, &a, c->file);
        md_attrs_clear(&a);
    }
}

/* A table cell that Markdown filled (a grid table's, between blank
 * lines) with one paragraph holds its words, as pandoc sets such a cell:
 * no paragraph in it. */
static void
plain_cell(xmlNodePtr cell)
{
    xmlNodePtr p = NULL;

    for (xmlNodePtr k = cell->children; k != NULL; k = k->next) {
        if (k->type == XML_ELEMENT_NODE) {
            if (p != NULL || !oc_xhtml_is(k, "p") || k->properties != NULL)
                return;
            p = k;
        } else if (k->type == XML_TEXT_NODE && !xmlIsBlankNode(k)) {
            return;
        }
    }
    if (p != NULL)
        oc_xhtml_unwrap(p);
}

/* A block of HTML among Markdown blocks: closing tags at its start close
 * what an earlier block left open (up to 'parent'); then it goes into
 * 'at', and an element it leaves open (<div> or <details> alone, a
 * fenced div) takes the blocks that follow, as browsers read it.
 * Returns where the next blocks go. */
static xmlNodePtr
html_block(conv *c, cmark_node *n, xmlNodePtr parent, xmlNodePtr at)
{
    const char *rest = cmark_node_get_literal(n), *attrs;
    char names[8][16];
    xmlNodePtr last, e;
    int k;

    if (rest == NULL)
        return at;
    for (;;) {
        const char *end;
        size_t len;

        rest += strspn(rest, " \t\r\n");
        if (rest[0] != '<' || rest[1] != '/' ||
            (end = strchr(rest, '>')) == NULL)
            break;
        len = strspn(rest + 2, "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
        for (e = at; e != parent; e = e->parent)
            if (xmlStrlen(e->name) == (int)len &&
                xmlStrncasecmp(e->name, BAD_CAST rest + 2, (int)len) == 0)
                break;
        if (e == parent || len == 0)
            break;              /* closes nothing of ours */
        if (oc_xhtml_is(e, "td") || oc_xhtml_is(e, "th") ||
            oc_xhtml_is(e, "caption"))
            plain_cell(e);
        at = e->parent;
        rest = end + 1;
    }
    if (rest[strspn(rest, " \t\r\n")] == '\0')
        return at;
    last = at->last;
    k = md_open_tags(rest, names, 8);
    import_html(c, at, rest, line_of(c, n));
    e = at;
    for (int j = 0; j < k; j++) {
        xmlNodePtr found = NULL;

        for (xmlNodePtr ch = e == at ? (last ? last->next : at->children)
                                     : e->children;
             ch != NULL; ch = ch->next)
            if (ch->type == XML_ELEMENT_NODE &&
                xmlStrcasecmp(ch->name, BAD_CAST names[j]) == 0)
                found = ch;
        if (found == NULL)
            break;
        e = found;
    }
    if (e != at && oc_xhtml_is(e, "div") &&
        (attrs = md_prep_div_attrs(c->prep,
                                   cmark_node_get_start_line(n))) != NULL)
        div_attrs(c, e, attrs);
    return e;
}

static bool
is_table(cmark_node *n)
{
    return n != NULL && ext_type(n) && strcmp(ext_type(n), "table") == 0;
}

/* pandoc's table caption: a paragraph that opens with "Table:", just
 * before or after a table. */
static bool
is_caption(cmark_node *n)
{
    cmark_node *t = n ? cmark_node_first_child(n) : NULL;
    const char *lit;

    return n != NULL && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
           t != NULL && cmark_node_get_type(t) == CMARK_NODE_TEXT &&
           (lit = cmark_node_get_literal(t)) != NULL &&
           strncmp(lit, "Table:", 6) == 0 &&
           (is_table(cmark_node_previous(n)) || is_table(cmark_node_next(n)));
}

/* Caption paragraph 'cap' as the <caption> of the table just made in
 * 'parent', without its "Table:". */
static void
table_caption(conv *c, cmark_node *cap, xmlNodePtr parent)
{
    xmlNodePtr table = parent->last, e, first;
    xmlChar *text;

    if (!oc_xhtml_is(table, "table"))
        return;
    e = oc_xhtml_add(c->doc, NULL, "caption", line_of(c, cap));
    convert_inlines(c, cmark_node_first_child(cap), e);
    if ((first = e->children) != NULL && first->type == XML_TEXT_NODE &&
        (text = xmlNodeGetContent(first)) != NULL) {
        const char *t = (const char *)text + 6;

        xmlNodeSetContent(first, BAD_CAST(t + strspn(t, " \t")));
        xmlFree(text);
    }
    if (table->children != NULL)
        xmlAddPrevSibling(table->children, e);
    else
        xmlAddChild(table, e);
}

static void
convert_blocks(conv *c, cmark_node *first, xmlNodePtr parent, int depth)
{
    xmlNodePtr at = parent;     /* or an element HTML left open */
    cmark_node *used = NULL;    /* a caption a table took after it */

    for (cmark_node *n = first; n != NULL && c->st == OC_OK;
         n = cmark_node_next(n)) {
        const char *m = deflist_mark(n);

        if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
            at = html_block(c, n, parent, at);
        } else if (is_caption(n) && is_table(cmark_node_next(n))) {
            continue;           /* the next table's, set with it */
        } else if (is_table(n)) {
            convert_block(c, n, at, depth);
            if (is_caption(cmark_node_previous(n)) &&
                cmark_node_previous(n) != used)
                table_caption(c, cmark_node_previous(n), at);
            else if (is_caption(cmark_node_next(n)) &&
                     !is_table(cmark_node_next(cmark_node_next(n))))
                table_caption(c, (n = used = cmark_node_next(n)), at);
        } else if (m == md_mark_term || m == md_mark_entry) {
            n = convert_deflist(c, n, at);
        } else {
            convert_block(c, n, at, depth);
        }
    }
}

static cmark_parser *
new_parser(void)
{
    static const char *const names[] = {"table", "strikethrough",
                                        "autolink", "tasklist"};
    cmark_parser *p;

    cmark_gfm_core_extensions_ensure_registered();
    p = cmark_parser_new_with_mem(CMARK_OPTS, md_mem_begin());
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(names[i]);

        if (e != NULL)
            cmark_parser_attach_syntax_extension(p, e);
    }
    return p;
}

static xmlNodePtr
chapter_section(xmlDocPtr doc, xmlNodePtr body)
{
    xmlNodePtr s = oc_xhtml_add(doc, body, "section", 0);

    oc_xhtml_set_epub_type(s, "chapter");
    xmlSetProp(s, BAD_CAST "role", BAD_CAST "doc-chapter");
    return s;
}

/* Does n hold an h1? */
static bool
has_h1(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            (xmlStrcmp(k->name, BAD_CAST "h1") == 0 || has_h1(k)))
            return true;
    return false;
}

/* A chapter's own front matter title, which sites (Jekyll, Hugo,
 * Docusaurus, npm's docs) print as its page's h1, is its h1 when it has
 * none of its own: npm's pages have "title: npm-ls" over a first
 * heading "### Synopsis". */
static void
title_heading(conv *c, const md_prep *prep, xmlNodePtr section)
{
    xmlNodePtr h;

    if (prep->title == NULL || prep->title[0] == '\0' || has_h1(section))
        return;
    h = oc_xhtml_add(c->doc, NULL, "h1", c->line0 + prep->title_line);
    add_text(h, prep->title);
    if (section->children != NULL)
        xmlAddPrevSibling(section->children, h);
    else
        xmlAddChild(section, h);
}

/* cmark-gfm keeps the inline extensions' special characters ('~' for
 * strikethrough) in one process-wide table, which attaching an extension
 * to a parser adds to and freeing the parser takes from: a parser freed
 * on one thread while another thread's parser works loses the other its
 * strikethrough. One parser at a time, then, from its making to the end
 * of its parse, and freed under the same lock; what is made of its tree
 * (most of the work) runs beside other threads' parsing. */
static pthread_mutex_t cmark_lock = PTHREAD_MUTEX_INITIALIZER;

static oc_status
convert_markdown(const char *text, size_t len, const char *file,
                 int first_line, const oc_doc_opts *o, xmlDocPtr *out,
                 oc_error *err)
{
    cmark_parser *p;
    cmark_node *root;
    xmlNodePtr body, section;
    conv c = {0};
    md_source src;
    md_pass pass = {0};
    md_prep prep;

    md_prep_run(&prep, text, len);
    if (prep.text != NULL) {
        text = prep.text;
        len = prep.len;
    }
    pthread_mutex_lock(&cmark_lock);
    p = new_parser();
    cmark_parser_feed(p, text, len);
    root = cmark_parser_finish(p);
    pthread_mutex_unlock(&cmark_lock);
    md_source_init(&src, text, len);
    pass.src = &src;
    pass.prep = &prep;
    c.prep = &prep;
    pass.file = file;
    pass.line0 = first_line - 1;
    md_pass_run(&pass, root);
    c.src = &src;
    c.lang = o->language;
    c.labels = o->labels;
    c.doc = oc_xhtml_new_doc(o, &body);
    c.prefix = o->note_prefix && strlen(o->note_prefix) < 24
                   ? o->note_prefix : "";
    c.file = file;
    c.line0 = first_line - 1;
    if (prep.ndropped > 0)
        oc_warn(file, c.line0 + prep.dropped_line, 0,
                "a site generator's tag ('%s'%s) left out: octavo runs no "
                "Hugo nor Jekyll", prep.dropped,
                prep.ndropped > 1 ? " and others" : "");
    c.err = err;
    c.exts = cmark_parser_get_syntax_extensions(p);
    section = chapter_section(c.doc, body);
    c.notes = section;
    convert_blocks(&c, cmark_node_first_child(root), section, 0);
    if (prep.text != NULL)
        md_join_definitions(section);
    if (!o->book_meta)
        title_heading(&c, &prep, section);
    cmark_node_free(root);
    pthread_mutex_lock(&cmark_lock);
    cmark_parser_free(p);
    pthread_mutex_unlock(&cmark_lock);
    md_pass_free(&pass);
    md_source_free(&src);
    md_prep_free(&prep);
    md_mem_end();
    free(c.refs);
    if (c.st != OC_OK) {
        xmlFreeDoc(c.doc);
        return c.st;
    }
    *out = c.doc;
    return OC_OK;
}

static oc_status
xml_failure(const xmlError *e, const char *file, int first_line,
            oc_error *err)
{
    char msg[200];
    size_t n;

    if (e == NULL || e->message == NULL)
        return oc_error_set(err, OC_ERR_SYNTAX, file, 0, 0,
                            "not well-formed XML");
    snprintf(msg, sizeof msg, "%s", e->message);
    n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (strncmp(msg, "Excessive depth", 15) == 0)   /* "use XML_PARSE_HUGE" */
        snprintf(msg, sizeof msg, "elements nested more than %u deep",
                 xmlParserMaxDepth);
    return oc_error_set(err, OC_ERR_SYNTAX, file,
                        e->line > 0 ? e->line + first_line - 1 : 0,
                        e->int2 > 0 ? e->int2 : 0, "%s", msg);
}

/* No chapter may pull in another file or URL through XML: external
 * entities and DTDs are refused outright (no XXE). */
static xmlParserInputPtr
refuse_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)id;
    (void)ctxt;
    oc_warn(url ? url : "", 0, 0, "external XML resource not loaded");
    return NULL;
}

/* Move an imported document's body into our skeleton. */
/* The chapter's own <title>, when it has one, replaces the book's in the
 * new document: a chapter without a heading (an epigraph, a dedication)
 * is named by it in the contents. */
static void
keep_title(xmlDocPtr doc, xmlNodePtr from)
{
    xmlNodePtr head = oc_xhtml_find(from, "head");
    xmlNodePtr t = head ? oc_xhtml_find(head, "title") : NULL;
    xmlNodePtr mine = oc_xhtml_find(xmlDocGetRootElement(doc), "title");
    xmlChar *text = t ? xmlNodeGetContent(t) : NULL;
    const xmlChar *p = text;

    while (p != NULL && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    if (p != NULL && *p != '\0' && mine != NULL) {
        xmlNodeSetContent(mine, NULL);
        xmlNodeAddContent(mine, p);
    }
    xmlFree(text);
}

/* The lines past 65,535 of an XHTML chapter, which libxml2 keeps beside
 * the text nodes (XML_PARSE_BIG_LINES) and copying loses, set on the
 * copy 'to' of 'from' and of what it holds. The parser's depth limit
 * bounds the recursion. */
static void
keep_big_lines(xmlNodePtr from, xmlNodePtr to)
{
    for (; from != NULL && to != NULL; from = from->next, to = to->next) {
        if (from->type != XML_ELEMENT_NODE)
            continue;
        if (from->line == 65535)
            oc_xhtml_set_line(to, xmlGetLineNo(from));
        keep_big_lines(from->children, to->children);
    }
}

/* The epub:prefix a chapter declares, carried to the new root. */
static void
keep_prefixes(xmlNodePtr to, xmlNodePtr from)
{
    xmlChar *v = xmlGetNsProp(from, BAD_CAST "prefix", BAD_CAST OC_EPUB_NS);
    xmlNsPtr ns = xmlSearchNsByHref(to->doc, to, BAD_CAST OC_EPUB_NS);

    if (v != NULL && ns != NULL)
        xmlSetNsProp(to, ns, BAD_CAST "prefix", v);
    xmlFree(v);
}

/* Parse a chapter's XHTML (html: HTML) text into *src, refusing what
 * declares entities; a failure names the line of the chapter's file. */
static oc_status
parse_markup(const char *text, size_t len, const char *file, int first_line,
             int html, xmlDocPtr *src, oc_error *err)
{
    oc_buf trimmed = {0};
    parse_errors pe = {0};
    long ent = md_entity_declaration(text, len);
    oc_status st = OC_OK;

    if (ent >= 0) {
        int line, col;

        md_position_of(text, ent, first_line, &line, &col);
        return oc_error_set(err, OC_ERR_INVALID, file, line, col,
                            "entity declarations are not allowed in a "
                            "chapter");
    }
    text = md_capped(text, &len, file, first_line, &trimmed);
    xmlSetExternalEntityLoader(refuse_external);
    xmlSetStructuredErrorFunc(&pe, keep_errors);
    if (html)
        *src = htmlReadMemory(text, (int)len, file, "UTF-8", HTML_OPTIONS);
    else
        *src = xmlReadMemory(text, (int)len, file, "UTF-8",
                             XML_PARSE_NONET | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
    xmlSetStructuredErrorFunc(NULL, NULL);
    oc_buf_free(&trimmed);
    if (*src == NULL || pe.fatal.code != 0)
        st = xml_failure(*src == NULL ? &pe.first : &pe.fatal, file,
                         first_line, err);
    else if (!html && pe.ns.code != 0)
        st = xml_failure(&pe.ns, file, first_line, err);
    else if ((*src)->intSubset != NULL &&
             ((*src)->intSubset->entities != NULL ||
              (*src)->intSubset->pentities != NULL))
        st = oc_error_set(err, OC_ERR_INVALID, file, first_line, 1,
                          "entity declarations are not allowed in a "
                          "chapter");
    xmlResetError(&pe.first);
    xmlResetError(&pe.fatal);
    xmlResetError(&pe.ns);
    if (st != OC_OK) {
        xmlFreeDoc(*src);
        *src = NULL;
    }
    return st;
}

static oc_status
convert_markup(const char *text, size_t len, const char *file, int first_line,
               int html, const oc_doc_opts *o, xmlDocPtr *out, oc_error *err)
{
    xmlDocPtr src = NULL, doc;
    xmlNodePtr sbody, body, section, next, root;
    xmlNodePtr inner = NULL;
    oc_buf word = {0};
    oc_status st;

    if (html && md_word_markup(text, len, &word)) {
        text = word.data;
        len = word.len;
    }
    st = parse_markup(text, len, file, first_line, html, &src, err);
    oc_buf_free(&word);

    if (st != OC_OK)
        return st;
    root = xmlDocGetRootElement(src);
    sbody = root ? oc_xhtml_find(root, "body") : NULL;
    if (sbody == NULL) {
        xmlFreeDoc(src);
        return oc_error_set(err, OC_ERR_INVALID, file, 1, 1,
                            "chapter has no <body>");
    }
    doc = oc_xhtml_new_doc(o, &body);
    keep_prefixes(xmlDocGetRootElement(doc), root);
    keep_title(doc, root);
    md_style_classes(root);
    /* A body that already is one chapter section keeps it. */
    for (xmlNodePtr n = sbody->children; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            if (inner == NULL && oc_xhtml_is(n, "section"))
                inner = n;
            else
                inner = (xmlNodePtr)-1;
        }
    }
    if (inner != NULL && inner != (xmlNodePtr)-1) {
        sbody = inner;
        section = oc_xhtml_add(doc, body, "section", inner->line);
        for (xmlAttrPtr a = inner->properties; a; a = a->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);

            if (a->ns && xmlStrEqual(a->ns->href, BAD_CAST OC_EPUB_NS))
                oc_xhtml_set_epub_type(section, (const char *)v);
            else if (a->ns == NULL)
                xmlSetProp(section, a->name, v);
            xmlFree(v);
        }
        /* Its role follows its epub:type (sanitize.c), doc-chapter for
         * a chapter. */
        if (oc_xhtml_epub_type(section) == NULL)
            oc_xhtml_set_epub_type(section, "chapter");
    } else {
        section = chapter_section(doc, body);
    }
    for (xmlNodePtr n = sbody->children; n != NULL; n = next) {
        xmlNodePtr copy;

        next = n->next;
        copy = xmlDocCopyNode(n, doc, 1);
        if (copy == NULL)
            continue;
        if (copy->type == XML_ELEMENT_NODE)
            oc_xhtml_set_ns(copy, section->ns);
        xmlAddChild(section, copy);
        keep_big_lines(n, copy);
    }
    xmlFreeDoc(src);
    md_html_notes(section);
    /* Before SVG and MathML have namespaces of their own: it would
     * declare them on the root, prefixed. */
    xmlReconciliateNs(doc, xmlDocGetRootElement(doc));
    oc_xhtml_adopt_foreign(section->children, section->ns);
    *out = doc;
    return OC_OK;
}

/* A right-to-left chapter says so on the section that holds its text:
 * not on the root or the body, whose direction a reading system that
 * pages by columns (Foliate) turns into blank pages. */
static void
set_direction(xmlDocPtr doc, const char *dir)
{
    xmlNodePtr body = oc_xhtml_find(xmlDocGetRootElement(doc), "body");

    if (dir == NULL || body == NULL)
        return;
    for (xmlNodePtr n = body->children; n != NULL; n = n->next)
        if (n->type == XML_ELEMENT_NODE &&
            xmlHasProp(n, BAD_CAST "dir") == NULL)
            xmlSetProp(n, BAD_CAST "dir", BAD_CAST dir);
}

static oc_status convert_checked(const char *text, size_t len, size_t skip,
                                 const char *file, int first_line,
                                 oc_chapter_format format,
                                 const oc_doc_opts *o, xmlDocPtr *out,
                                 oc_error *err);

oc_status
oc_chapter_convert(const char *text, size_t len, const char *file,
                   int first_line, oc_chapter_format format,
                   const oc_doc_opts *o, xmlDocPtr *out, oc_error *err)
{
    size_t skip = 0;
    oc_status st;
    char *utf8 = NULL;

    /* An HTML or XHTML chapter in another encoding that it declares (a
     * word processor's "Save as Web Page" in windows-1252) is read in
     * it. */
    if (format != OC_FORMAT_MARKDOWN &&
        (utf8 = md_from_declared(text, len, &len)) != NULL)
        text = utf8;
    st = oc_text_check(text, len, file, first_line, &skip, err);
    if (st == OC_OK)
        st = convert_checked(text, len, skip, file, first_line, format, o,
                             out, err);
    /* Its file, for what reads the tree later and warns (the CSS of its
     * style attributes). */
    if (st == OC_OK && (*out)->URL == NULL)
        (*out)->URL = xmlStrdup(BAD_CAST file);
    g_free(utf8);
    return st;
}

/* The rest of oc_chapter_convert, on checked UTF-8 text. */
static oc_status
convert_checked(const char *text, size_t len, size_t skip, const char *file,
                int first_line, oc_chapter_format format,
                const oc_doc_opts *o, xmlDocPtr *out, oc_error *err)
{
    oc_status st;

    if (len - skip > (size_t)1 << 30)
        return oc_error_set(err, OC_ERR_INVALID, file, 0, 0,
                            "chapter is too large");
    if (format == OC_FORMAT_MARKDOWN)
        st = convert_markdown(text + skip, len - skip, file, first_line, o,
                              out, err);
    else
        st = convert_markup(text + skip, len - skip, file, first_line,
                            format == OC_FORMAT_HTML, o, out, err);
    if (st == OC_OK) {
        oc_sanitize_chapter(*out, file);
        set_direction(*out, o->dir);
    }
    return st;
}
