/* xhtml.h - DOM helpers shared by the chapter importers and both back ends:
 * the XHTML skeleton, element creation, unique ids, text, headings. */
#ifndef OC_XHTML_H
#define OC_XHTML_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "octavo.h"

#define OC_XHTML_NS "http://www.w3.org/1999/xhtml"
#define OC_EPUB_NS  "http://www.idpf.org/2007/ops"
#define OC_SVG_NS   "http://www.w3.org/2000/svg"
#define OC_MATHML_NS "http://www.w3.org/1998/Math/MathML"
#define OC_XLINK_NS "http://www.w3.org/1999/xlink"

/* Book-wide set of ids, so that every id is unique in the PDF too. */
typedef struct oc_idset oc_idset;

oc_idset *oc_idset_new(void);                     /* free: oc_idset_free */
void      oc_idset_free(oc_idset *s);             /* NULL is a no-op */
/* Reserve 'want' (or want-2, want-3... when taken); returns the id
 * reserved, owned by the set. */
const char *oc_idset_claim(oc_idset *s, const char *want);
int oc_idset_has(const oc_idset *s, const char *id);
/* Turn heading text into an id stem: ASCII letters and digits, lowercase,
 * words joined by '-'; "section" when nothing is left. Caller frees. */
char *oc_xhtml_slug(const char *text);

typedef struct oc_doc_opts {
    const char  *language;      /* xml:lang and lang; required */
    const char  *dir;           /* "rtl" or NULL: set on the body's children
                                   by oc_chapter_convert */
    const char  *title;         /* <title>; may be replaced later */
    const char **stylesheets;   /* hrefs, relative to the document */
    size_t       nstylesheets;
    const char  *body_type;     /* epub:type of <body>, or NULL */
    const char  *note_prefix;   /* put before note ids ("fn1"), so that
                                   they are unique in the book; or NULL */
    const char *const *labels;  /* the book's own words (labels.h: the
                                   titles of alerts), or NULL */
    bool         book_meta;     /* a Markdown chapter's front matter is the
                                   book's metadata: its title is not the
                                   chapter's */
} oc_doc_opts;

/* A new XHTML 5 document: html (xmlns, xmlns:epub, xml:lang, lang),
 * head (meta charset, title, stylesheet links), body. *body receives the
 * body element. The caller frees the document with xmlFreeDoc. */
xmlDocPtr oc_xhtml_new_doc(const oc_doc_opts *o, xmlNodePtr *body);

/* Append a new XHTML element 'name' to parent (or to nothing when parent
 * is NULL, in document 'doc'); 'line' is its source line (0 = unknown). */
xmlNodePtr oc_xhtml_add(xmlDocPtr doc, xmlNodePtr parent, const char *name,
                        int line);
/* Set epub:type on an element (declaring nothing: the root has it). */
void oc_xhtml_set_epub_type(xmlNodePtr n, const char *type);
const char *oc_xhtml_epub_type(xmlNodePtr n);   /* borrowed or NULL */
/* Every attribute of the EPUB namespace of the elements from n on (its
 * siblings after it too) and of their descendants copied into a data-
 * attribute of no namespace, epub:type into data-epub-type, for the
 * stylesheets that oc_css_epub_attrs rewrote. */
void oc_xhtml_mirror_epub_attrs(xmlNodePtr n);
/* Source line of a node: its own or, for a text node or an element with
 * none, that of its nearest element ancestor with one; 0 if none has. As
 * set by oc_xhtml_add or oc_xhtml_set_line, or by the parser. */
int oc_xhtml_line(xmlNodePtr n);

/* Set node n's source line. libxml2 keeps 65,535 at most in a node; a
 * later line is kept beside it (in its psvi, which nothing else here
 * uses), so that a long chapter's warnings name their true line. */
void oc_xhtml_set_line(xmlNodePtr n, long line);

/* Is 'n' the XHTML element 'name'? */
int oc_xhtml_is(xmlNodePtr n, const char *name);

/* Whether white-space separated 'list' (a class or role attribute's
 * value; NULL: none) holds 'token'. */
bool oc_xhtml_has_token(const char *list, const char *token);

/* Whether n is a heading element, h1 to h6 (by its name alone). */
bool oc_xhtml_is_heading(xmlNodePtr n);
/* The first descendant element (depth first) named 'name', or NULL. */
xmlNodePtr oc_xhtml_find(xmlNodePtr n, const char *name);
/* Concatenated text of n's subtree, whitespace collapsed, trimmed;
 * arena memory. */
char *oc_xhtml_text(oc_arena *a, xmlNodePtr n);
/* Whether n is a picture: an img, picture or svg element, or one of the
 * role img (the alt text of a web image set in a heading, sanitize.h). */
bool oc_xhtml_is_picture(xmlNodePtr n);
/* oc_xhtml_text of a heading as a title (the contents, the nav, a
 * chapter's title): without the text of its pictures (a README's
 * badges), unless they are all it holds. Arena memory. */
char *oc_xhtml_title_text(oc_arena *a, xmlNodePtr n);

/* Move n's children to where n is and free n. */
void oc_xhtml_unwrap(xmlNodePtr n);

/* Move the children of 'from', in order, to the end of 'to'. */
void oc_xhtml_move_children(xmlNodePtr from, xmlNodePtr to);

/* Whether element n's attribute 'name' holds the word 'word' among its
 * space-separated ones (a class, a role); any value when 'word' is
 * NULL. */
bool oc_xhtml_has_word(xmlNodePtr n, const char *name, const char *word);

/* Put every element into the XHTML namespace (nodes made by the HTML
 * parser have none), but for <svg> and <math> and what they hold, which
 * oc_xhtml_adopt_foreign places. */
void oc_xhtml_set_ns(xmlNodePtr n, xmlNsPtr ns);

/* Put the <svg> and <math> elements the HTML parser left in no namespace
 * among XHTML elements from n on, and what they hold, into SVG's and
 * MathML's, as an HTML parser does (HTML §13.2.6.5): SVG's mixed-case
 * names, which the HTML parser lower-cases, are restored (viewBox,
 * linearGradient); xlink: and xml: attributes get their namespaces;
 * literal xmlns attributes go; a foreignObject's content is XHTML
 * ('html') again. */
void oc_xhtml_adopt_foreign(xmlNodePtr n, xmlNsPtr html);

/* Give the elements from n on whose namespace has no prefix but is not
 * the default one in scope ('dflt' above n: an XHTML element moved
 * under an <svg>) a declaration of their own, so that the text written
 * out puts them where they are. */
void oc_xhtml_fix_default_ns(xmlNodePtr n, const xmlChar *dflt);

/* Serialise a document as XML (UTF-8, with declaration); the caller
 * frees the text with xmlFree. */
xmlChar *oc_xhtml_serialize_text(xmlDocPtr doc, size_t *len);
/* The same, into arena memory. */
char *oc_xhtml_serialize(oc_arena *a, xmlDocPtr doc, size_t *len);


/* Claim every id of 'doc' in the book-wide set (renaming, with a
 * warning, an id another chapter already has, and the local links to it)
 * and give each h1..h6 without an id one from its text. */
void oc_xhtml_assign_ids(xmlDocPtr doc, oc_idset *ids, const char *file);

/* "rtl" for a language written right to left (its primary subtag: ar,
 * he, fa...), else NULL. */
const char *oc_lang_direction(const char *lang);

#endif
