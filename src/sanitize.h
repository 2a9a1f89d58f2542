/* sanitize.h - the one pass every chapter's XHTML goes through, whatever
 * it was written in (Markdown, raw HTML inside it, XHTML, HTML), before
 * either back end sees it: what has no place in a book is removed, what
 * HTML 5 no longer allows is turned into its equivalent, and the result
 * is well-formed, valid EPUB 3 XHTML. Every change that loses something
 * is a warning with the file and line it comes from. */
#ifndef OC_SANITIZE_H
#define OC_SANITIZE_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* What a URL is for: a link may go to the web or to mail; an image's
 * source may also be a data: URL of a raster image. */
typedef enum oc_url_use {
    OC_URL_LINK,
    OC_URL_IMAGE
} oc_url_use;

/* The URL policy, the same for every link and resource: relative
 * references (in the book), http, https and mailto pass, and data: URLs
 * of PNG, JPEG, GIF or WebP images for OC_URL_IMAGE; any other scheme
 * (javascript:, vbscript:, file:, data: elsewhere, unknown ones) does
 * not. The scheme is compared without case, after removing the ASCII
 * whitespace and control characters that browsers ignore anywhere in it
 * ("java\tscript:" is javascript:). An http, https or mailto link must
 * also be a URI (RFC 3986, with RFC 3987's characters): no space, no
 * '|', a '%' only as an escape ("mailto:a (at) b.org" is none). 'v' is
 * the value as parsed (character references already decoded). Returns
 * true when it is allowed; else
 * *why (when not NULL) says why, in a few words. */
bool oc_url_allowed(const char *v, oc_url_use use, const char **why);

/* http, https or mailto URL 'v' with what a URI may not hold after its
 * host (RFC 3986, RFC 3987's characters beyond ASCII allowed) escaped as
 * a browser escapes it: white space and control characters inside it,
 * '"', '<', '>', '\\', '^', '`', '{', '|', '}', brackets, a '%' that
 * starts no escape, a second '#' ("mailto:a (at) b.org" becomes
 * "mailto:a%20(at)%20b.org"). Returns a copy (free()), or NULL when
 * there is nothing to escape or 'v' is of another scheme. */
char *oc_url_escaped(const char *v);

/* The address a tracking redirect leads to, as a browser would follow
 * it: Google's (https://www.google.com/url?q=..., in every link of a
 * Google Docs export), Outlook's safe links and Facebook's; malloc'd.
 * NULL when v is none, or leads to no web or mail address. */
char *oc_url_unredirected(const char *v);

/* Whether 'v' is an absolute http(s) URL (after the same clean-up). */
bool oc_url_is_remote(const char *v);

/* Whether v[0..n) opens with a URI scheme and its colon (RFC 3986 3.1:
 * a letter, then letters, digits, '+', '-' or '.'), after the spaces and
 * control characters a browser skips: a link out of the book. A colon
 * after a '/', '?' or '#' is the path's, query's or fragment's
 * ("b.html#X:Y"), and one that opens it follows no scheme. */
bool oc_url_has_scheme(const char *v, size_t n);

/* A stylesheet as it may go into the book: the CSS text css[0..len) of
 * 'file' (its first line is 'first_line': a <style> element's in a
 * chapter) without any @import rule and without any declaration that
 * loads or runs something: a url() other than a data: URL of a raster
 * image or a fragment ("#id"), an image(), image-set() or src() with such
 * a string (or a var() that could give one), an expression(). A
 * stylesheet brings no file into the book (fonts come from the manifest's
 * fonts: key), loads nothing from the web and names no local file. CSS is
 * read as CSS Syntax 3 reads it: comments and strings skipped over,
 * escapes in names decoded ("\75 rl(" is "url("), a url token whole.
 * Each removal is a warning with its line. Returns false, leaving 'out'
 * alone, when nothing goes (one pass without a copy); else true, with the
 * clean text in 'out'. */
bool oc_sanitize_css(const char *css, size_t len, const char *file,
                     int first_line, oc_buf *out);

/* Stylesheet css[0..len) with its attribute selectors of the EPUB
 * namespace ([epub|type~="z3998:poem"], Standard Ebooks' way, with
 * "epub" or a prefix that an @namespace rule binds to that namespace)
 * made selectors of the attributes that oc_xhtml_mirror_epub_attrs adds
 * ([data-epub-type~="z3998:poem"]): some reading systems (MuPDF's) read
 * no namespace in CSS and drop every rule that has one. Comments and
 * strings are left alone. Returns false, leaving 'out' alone, when
 * there is none; else true, with the stylesheet in 'out'. */
bool oc_css_epub_attrs(const char *css, size_t len, oc_buf *out);

/* Whether oc_sanitize_css would remove anything from css[0..len) (a
 * style attribute's text). */
bool oc_css_loads(const char *css, size_t len);

/* The most attributes an element keeps (libxml2 checks each new one
 * against all before it: 100,000 on one element took minutes). */
#define OC_MAX_ATTRIBUTES 256

/* Markup text[0..len) (HTML, XHTML or SVG) with the attributes of any
 * start tag after its OC_MAX_ATTRIBUTES-th taken out (their newlines
 * kept, so that lines still count true), read as a tokenizer reads tags:
 * comments, CDATA sections, processing instructions and quoted values
 * are skipped over. Returns false, leaving 'out' alone, when no tag has
 * that many (the usual case, one pass without a copy); else true, with
 * the trimmed text in 'out' and the byte offset of the first trimmed tag
 * in *at. */
bool oc_markup_cap_attributes(const char *text, size_t len, oc_buf *out,
                              size_t *at);

/* Clean chapter 'doc' (made by oc_chapter_convert) in place:
 *  - characters XML does not allow go first, so that none can hide
 *    from the checks below what taking it out would make;
 *  - comments and processing instructions go (an XML comment may not
 *    hold "--"; none is kept);
 *  - elements with no place in a book (script, iframe, object, embed,
 *    applet, frame(set), base, link outside the head, meta http-equiv in
 *    any case, XInclude...) are removed and form is unwrapped; obsolete
 *    ones are renamed (center, font, tt, big, strike, acronym);
 *  - event handler attributes and xml:base go; every URL attribute
 *    follows oc_url_allowed; an SVG animation that would set a refused
 *    URL, an event handler, a base or a loading style goes; a style
 *    attribute that loads anything goes; a <style> element keeps what
 *    oc_sanitize_css keeps;
 *  - presentational attributes (align, valign, bgcolor, width and height
 *    of cells, nowrap...) become inline CSS or go;
 *  - a remote image (http, https) is replaced by its alt text;
 *  - content models are repaired: no <br> or stray text where a list,
 *    table or figure holds none, a figure's caption first or last, no
 *    block inside a paragraph;
 *  - epub:type values with a vocabulary prefix (z3998:, se:...) have the
 *    prefix declared on the root (epub:prefix), from the chapter's own
 *    declaration or the known vocabularies; an undeclared unknown prefix
 *    is dropped with its value.
 * Warnings name 'file' and the node's line; a kind of repair is reported
 * once per chapter. */
void oc_sanitize_chapter(xmlDocPtr doc, const char *file);

/* Is name[0..len) (any case) an element of HTML, current or obsolete
 * (those oc_sanitize_chapter renames or removes among them)? An XHTML
 * element of another name is unwrapped by oc_sanitize_chapter, and a
 * raw tag of one in Markdown (Cell<T>) is kept as text. */
bool oc_html_element_known(const char *name, size_t len);

/* Whether link n shows only a permalink's mark (¶, §, #, 🔗), no
 * picture: with no target, it is nothing to the reader. */
bool oc_permalink_mark(xmlNodePtr n);

/* Whether HTML element n may have attribute 'name' (HTML's global ones
 * and its own, where EPUB 3's schema allows them; data- and aria-). */
bool oc_html_attr_allowed(xmlNodePtr n, const char *name);

#endif
