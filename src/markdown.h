/* markdown.h - a chapter's text (.md through cmark-gfm; .xhtml/.html
 * through libxml2) into one XHTML 5 document, the book's intermediate form.
 */
#ifndef OC_MARKDOWN_H
#define OC_MARKDOWN_H

#include <libxml/tree.h>
#include <stddef.h>

#include "octavo.h"
#include "xhtml.h"

typedef enum oc_chapter_format {
    OC_FORMAT_MARKDOWN,
    OC_FORMAT_XHTML,
    OC_FORMAT_HTML
} oc_chapter_format;

/* The format a file name implies: .md/.markdown, .xhtml/.xml, .html/.htm;
 * -1 for anything else. */
int oc_chapter_format_of(const char *path);

/* Convert a chapter. 'file' names it in diagnostics; 'first_line' is the
 * line of text[0] within file (1 unless the text follows front matter).
 * 'o' gives the document's language, stylesheets and fallback title. The
 * result is a complete XHTML document whose body holds one
 * <section epub:type="chapter" role="doc-chapter">; footnotes become
 * EPUB 3 notes at its end. Nothing is claimed in a book-wide id set yet:
 * headings may lack ids. On OC_OK *out is a new document (xmlFreeDoc). */
oc_status oc_chapter_convert(const char *text, size_t len, const char *file,
                             int first_line, oc_chapter_format format,
                             const oc_doc_opts *o, xmlDocPtr *out,
                             oc_error *err);

#endif
