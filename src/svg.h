/* svg.h - make an SVG image safe to embed: no scripts, no event handlers,
 * no DTD or entities, no references outside the image itself. */
#ifndef OC_SVG_H
#define OC_SVG_H

#include <stddef.h>

#include "buf.h"
#include "octavo.h"

/* Parse the 'len' bytes at 'data' (an SVG image read from 'file', which
 * names it in errors and warnings) and append a cleaned copy to 'out':
 * UTF-8 XML with an XML declaration and no DOCTYPE.
 *
 * The parse never loads a DTD, an external entity or a URL and never
 * substitutes entities. Errors, with 'file' and the line in 'data':
 *   OC_ERR_SYNTAX   not well-formed XML, or a namespace error (line:col
 *                   of libxml2's first error); empty input
 *   OC_ERR_INVALID  an internal DTD subset declares an entity (entity
 *                   bombs, XXE); the root is not an <svg> element in the
 *                   SVG namespace ("not an SVG image"); more than INT_MAX
 *                   bytes
 *   OC_ERR_LIB      libxml2 could not allocate or serialise
 *
 * Dropped without a warning: the DOCTYPE, comments and processing
 * instructions (an <?xml-stylesheet?> one does warn).
 *
 * Removed with an oc_warn(file, line, 0, "... removed from SVG image"):
 *  - the elements script, foreignObject, iframe, object, embed, handler
 *    and listener (local name compared case-insensitively, in any
 *    namespace) and every XInclude element, with all their content; but
 *    an SVG foreignObject with words in it, not the first child of a
 *    <switch> with another after it, becomes a <text> of its words
 *    ("<foreignObject> ... made SVG <text> of its words", once);
 *  - every attribute whose local name starts with "on" (any case);
 *  - xml:base, which would turn "#id" into an external reference;
 *  - an href or src attribute (any namespace, so xlink:href too) unless
 *    its value, after deleting ASCII whitespace and control characters
 *    anywhere in it, is "#..." or starts with data:image/png;base64,
 *    (or jpeg, gif, webp) compared case-insensitively;
 *  - any other attribute (style, fill, clip-path, mask, filter,
 *    marker-*, ...) whose value, read as CSS (escapes decoded, white
 *    space and control characters deleted, ASCII lower-cased), has a
 *    url(...) or src(...) that is not such a reference, an @import, or
 *    an image()/image-set() function: the whole attribute goes, never
 *    just one declaration;
 *  - any attribute at all (href included, so "#javascript:x" too) whose
 *    value, stripped as for href, contains "javascript:" or "vbscript:"
 *    (any case);
 *  - a <style> element whose text fails the CSS test: the whole element
 *    goes (its text is checked after comments inside it are dropped);
 *  - a set/animate* element whose attributeName is on* or xml:base, or
 *    is href/src with a to/from/by/values entry that is not a safe
 *    reference (so an animation cannot bring back a removed link);
 *  - an entity reference left in the tree (an undefined entity in a
 *    document with an external DTD that was not loaded).
 *
 * Added: offset="0" on a gradient's <stop> that has none (its default,
 * which the SVG 1.1 schema of EPUBCheck requires written).
 *
 * Everything else is kept: shapes, text, gradients, filters, <style>
 * without external references, class, id, viewBox, width/height,
 * xml:space, namespace declarations and other namespaces' metadata.
 *
 * A NULL 'file' says the SVG was written in a chapter, whose sanitiser
 * has warned already: nothing is warned, and errors name no file.
 *
 * On failure 'out' is left as it was. The caller owns 'out' and frees it
 * with oc_buf_free. Safe to call from several threads at once: the only
 * libxml2 setting touched is this thread's structured error handler, and
 * it is restored before returning. */
oc_status oc_svg_sanitize(const char *data, size_t len, const char *file,
                          oc_buf *out, oc_error *err);

#endif
