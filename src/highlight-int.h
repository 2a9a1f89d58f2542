/* highlight-int.h - private to highlight.c and highlight-queries.c. */
#ifndef OC_HIGHLIGHT_INT_H
#define OC_HIGHLIGHT_INT_H

/* The highlight query of vendored grammar 'grammar' ("c", "python"...),
 * as it ships (vendor/tree-sitter/NAME/highlights.scm); NULL if none.
 * Static. */
const char *hl_query_text(const char *grammar);

#endif
