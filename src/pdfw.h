/* pdfw.h - a PDF file written object by object (ISO 32000-1 §7.5): each
 * object goes to a sink as soon as it is whole, and only the table of
 * the objects' offsets stays in memory, so that a book of any length is
 * written in the memory of its largest page. Object numbers are handed
 * out ahead (a page names its fonts before they are written); the file
 * ends with one classic cross-reference table and its trailer.
 *
 * Not thread-safe: one thread writes a file at a time. */
#ifndef OC_PDFW_H
#define OC_PDFW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "octavo.h"

typedef struct oc_pdfw oc_pdfw;

/* Where the file's bytes go, in order; an error ends the writing with
 * it (every later call does nothing, and oc_pdfw_finish returns it). */
typedef oc_status (*oc_pdfw_sink)(const char *data, size_t len, void *ctx,
                                  oc_error *err);

/* A new file for 'sink', its header written. */
oc_pdfw *oc_pdfw_new(oc_pdfw_sink sink, void *ctx);
void     oc_pdfw_free(oc_pdfw *w);              /* NULL is a no-op */

/* A new object number, for an object written later (or never: it then
 * becomes a free entry... which a reference to it must not be left
 * pointing at; the writer does not check). */
long oc_pdfw_reserve(oc_pdfw *w);

/* Begin object 'num' (reserved, not yet written): the buffer its body
 * goes into, between "num 0 obj" and "endobj"; oc_pdfw_end writes it.
 * One object at a time. */
oc_buf *oc_pdfw_begin(oc_pdfw *w, long num);
void    oc_pdfw_end(oc_pdfw *w);

/* Object 'num' a stream of 'len' bytes of 'data': its dictionary holds
 * 'dict' (entries without the brackets, e.g. "/Type /XObject"; NULL for
 * none), its /Length, and /Filter /FlateDecode when 'deflate' (the data
 * is then deflated here, unless it is shorter deflated not at all). */
void oc_pdfw_stream(oc_pdfw *w, long num, const char *dict,
                    const void *data, size_t len, bool deflate);

/* 'len' bytes of 'data' deflated into 'out' as oc_pdfw_stream deflates
 * a stream's, with compressor *z (made on first use; the caller frees it
 * with libdeflate_free_compressor): true when that made them shorter.
 * Safe on any thread with a compressor of its own. */
struct libdeflate_compressor;
bool oc_pdfw_deflate(struct libdeflate_compressor **z, const void *data,
                     size_t len, oc_buf *out);

/* Object 'num' a stream whose data, 'len' bytes, are already encoded
 * as 'dict' says (its /Filter and the like): written as they are, by
 * 'copy' when not NULL (called with 'ctx' once the dictionary and the
 * "stream" keyword are out, it sends the bytes on through 'w' with
 * oc_pdfw_raw), else from 'data'. */
void oc_pdfw_stream_raw(oc_pdfw *w, long num, const char *dict,
                        const void *data, uint64_t len,
                        oc_status (*copy)(oc_pdfw *w, void *ctx,
                                          oc_error *err),
                        void *ctx);

/* Sends 'len' bytes at 'off' of file 'fd' on to where the sink's bytes
 * go, after all the sink was sent, as the sink would (from file to file
 * by the kernel, say). */
typedef oc_status (*oc_pdfw_copy)(int fd, uint64_t off, uint64_t len,
                                  void *ctx, oc_error *err);

/* Object 'num' a stream whose data, already encoded as 'dict' says,
 * are 'len' bytes at 'off' of file 'fd', sent by 'copy' (with 'ctx'),
 * never read into memory here. */
void oc_pdfw_stream_file(oc_pdfw *w, long num, const char *dict, int fd,
                         uint64_t off, uint64_t len, oc_pdfw_copy copy,
                         void *ctx);

/* Bytes of a stream's data sent straight to the file (oc_pdfw_stream_
 * raw's 'copy' only). */
oc_status oc_pdfw_raw(oc_pdfw *w, const void *data, size_t len,
                      oc_error *err);

/* Values into an object's body (or a content stream): a name, '/'
 * included, its irregular characters as #xx (§7.3.5); a text string
 * (§7.9.2): a literal string of ASCII when 'utf8' is printable ASCII,
 * else UTF-16BE with its byte-order mark, in hex; a byte string as a
 * literal, escaped; a real with at most 'decimals' decimals (0 to 6),
 * trailing zeros dropped ("12", "0.5", "-3.25"), never an exponent. */
void oc_pdfw_name(oc_buf *b, const char *name);
void oc_pdfw_text(oc_buf *b, const char *utf8);
void oc_pdfw_string(oc_buf *b, const char *bytes, size_t len);
void oc_pdfw_num(oc_buf *b, double v, int decimals);

/* The XMP metadata packet (§14.3.2) of a PDF titled 'title' (dc:title;
 * NULL: empty) and PDF/UA's identification (ISO 14289-1 §5), appended
 * to 'out'. */
void oc_pdfw_xmp(oc_buf *out, const char *title);

/* OC_ERR_LIB "unexpected PDF from cairo: ..." with what 'fmt' says is
 * missing: a file cairo wrote that is not of the shape read. */
oc_status oc_pdfw_unexpected(oc_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* End the file: the cross-reference table of every object written (a
 * number reserved and never written is a free entry) and the trailer
 * with /Root 'root', /Info 'info' (none if <= 0) and an /ID made of
 * 'id' (16 bytes; none if NULL). The first error of the writing, or
 * OC_OK. */
oc_status oc_pdfw_finish(oc_pdfw *w, long root, long info,
                         const unsigned char id[16], oc_error *err);

/* The first error so far (OC_OK if none), and the bytes written so
 * far. */
oc_status oc_pdfw_status(const oc_pdfw *w);
uint64_t  oc_pdfw_offset(const oc_pdfw *w);

#endif
