/* artifact.h - mark a page's untagged content as artifacts (ISO 32000-1
 * §14.8.2.2): in a tagged PDF, what the painter draws outside every
 * structure element (running heads, folios, rules, backgrounds) is page
 * furniture, which assistive technology must skip and PDF/UA
 * (ISO 14289-1 §7.1) requires to be marked so. cairo 1.16 cannot write
 * the Artifact marks itself; mend.c puts them into its content streams. */
#ifndef OC_ARTIFACT_H
#define OC_ARTIFACT_H

#include <stddef.h>

#include "buf.h"
#include "octavo.h"

/* Copy content stream 'in' (len bytes, decoded) to 'out' with every
 * graphics object that paints outside tagged content between
 * "/Artifact BMC" and "EMC": a text object that holds no tagged
 * content (marked with an MCID, or an artifact) whole, else each of its
 * text-showing operators that stands outside such content (a span that
 * only gives its text, /ActualText, is not tagged);
 * a path from its first construction operator to the one that paints
 * it; an XObject, a shading, an inline image. Clipping paths and the
 * graphics state are left as they are. Returns how many were marked, or
 * -1 (with 'out' as it was) for a stream it cannot read: an unbalanced
 * string, array, dictionary or marked-content sequence, an inline image
 * without its end. */
long oc_mark_artifacts(const char *in, size_t len, oc_buf *out);

/* Inflate a FlateDecode stream (zlib's format) onto the end of 'out'.
 * OC_ERR_LIB when the data are not zlib's. */
oc_status oc_inflate(const char *in, size_t len, oc_buf *out, oc_error *err);

/* 'in' deflated onto the end of 'out', in zlib's format, at 'level'
 * (libdeflate's: 1 fastest to 12). */
void oc_zlib_pack(const void *in, size_t len, int level, oc_buf *out);

/* Deflate 'in' into 'out' (zlib's format, level 6). */
oc_status oc_deflate(const char *in, size_t len, oc_buf *out, oc_error *err);

#endif
