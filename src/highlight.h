/* highlight.h - the text of a fenced code block, in a language octavo
 * knows, into XHTML whose tokens are spans classed by their kind, for
 * the stylesheet to colour in both outputs: tree-sitter grammars (their
 * parsers and highlight queries, vendored in vendor/tree-sitter/), and a
 * diff by its lines. */
#ifndef OC_HIGHLIGHT_H
#define OC_HIGHLIGHT_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

/* The grammar that highlights language 'lang' (a fence's info word, any
 * case: "c", "C++", "py", "js", "sh", "yml"...): its name ("cpp",
 * "python", "javascript", "bash", "yaml", "diff"...), or NULL when octavo
 * has none. Borrowed, static. */
const char *oc_highlight_grammar(const char *lang);

/* Append 'len' bytes of code 'text' in language 'lang' to element 'code'
 * (of document code->doc): text, its tokens in <span class="hl-KIND">,
 * KIND one of keyword, string, comment, number, constant, function, type,
 * property, attribute, tag (a diff's lines: inserted, deleted, meta).
 * Returns false, having appended the text as it is, when the language is
 * unknown, the text is over a megabyte or does not parse in a second.
 * Safe to call from several threads at once. */
bool oc_highlight_code(xmlNodePtr code, const char *lang, const char *text,
                       size_t len);

/* A thread that makes ready the grammars a book's fences name ("```py",
 * "~~~ {.rust}"), reading the Markdown files 'paths' (and 'text', a
 * chapter in memory, or NULL; both borrowed until
 * oc_highlight_ahead_end) ahead of the converter, so that a query
 * is compiled (milliseconds each) while the chapters before its first
 * block are converted. NULL when no thread can be had; nothing is
 * reported, and a fence it misses is made ready when converted. */
typedef struct oc_highlight_ahead oc_highlight_ahead;

oc_highlight_ahead *oc_highlight_ahead_start(const char *const *paths,
                                             size_t npaths, const char *text,
                                             size_t len);

/* Whether the grammar of 'lang' is ready (its query compiled), without
 * making it so. */
bool oc_highlight_is_ready(const char *lang);

/* Stop reading files ahead, wait for the thread (a query it is
 * compiling is finished, and 'text' is read to its end: once converted,
 * its grammars are ready anyway) and free it; NULL is nothing. */
void oc_highlight_ahead_end(oc_highlight_ahead *a);

#endif
