/* mend.h - mend the PDF that cairo 1.16 writes (what it gets wrong or
 * cannot write: broken cross-reference entries, dates, /Lang, page labels,
 * the page order, artifacts), writing the file again whole. */
#ifndef OC_MEND_H
#define OC_MEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "octavo.h"

/* A structure element that cairo cannot give its attributes: the
 * 'index'-th of the structure tree in cairo's order (depth first, each
 * element before its children, counted from 0), its /Alt, its /Lang and
 * its /ID (ASCII letters, digits, '-'; one per element in the tree), any
 * of them NULL. */
typedef struct oc_mend_elem {
    size_t      index;
    const char *alt;
    const char *lang;
    const char *id;
} oc_mend_elem;

/* The structure tree as the painter made it (render.h): how many
 * elements it has, those to be given attributes (by increasing index),
 * and how many of the Document's children, the last ones, were painted
 * on the front matter, which the page order puts first. All 0 for a PDF
 * with no structure tree. */
typedef struct oc_mend_structure {
    size_t              count;
    const oc_mend_elem *elems;
    size_t              nelems;
    size_t              front_kids;
} oc_mend_structure;

/* A picture whose streams were written to a file apart (pdfimage.h):
 * 'width' × 'height' pixels of 'colors' components (1, DeviceGray, or 3,
 * DeviceRGB) of 8 bits, deflated ('predicted': each row with its PNG
 * predictor, /Predictor 15), 'len' bytes at 'off'; its alpha likewise
 * (one component), 'mask_len' bytes at 'mask_off', or none when mask_len
 * is 0. */
typedef struct oc_mend_picture {
    long     width, height;
    int      colors;
    int      bits;              /* a component's bits, 1 to 8; 0: 8 */
    bool     predicted;
    bool     dct;               /* a JPEG file (/DCTDecode), not deflated */
    uint64_t off, len;
    uint64_t mask_off, mask_len;
    uint64_t palette_off;       /* an indexed picture's RGB palette: */
    uint64_t palette_len;       /* 3 bytes an entry, or none when 0 */
} oc_mend_picture;

/* The pictures of the book, the n-th of which cairo's file shows as
 * placeholder n (pdfimage.h), and the file 'fd' of their streams. */
typedef struct oc_mend_pictures {
    const oc_mend_picture *list;
    size_t                 n;
    int                    fd;
} oc_mend_pictures;

/* A page's content stream marked ahead, while the book was painted
 * (oc_mend_premark): object 'num', of which 'len' bytes at 'off' of the
 * file of the marks are the object written again, or, when len is 0, it
 * stays as it is; the object as cairo wrote it had 'orig_len' bytes of
 * CRC-32 'orig_crc', which the mend checks before it takes the marks. */
typedef struct oc_mend_marked {
    long     num;
    uint32_t orig_crc;
    uint64_t off, len;
    uint64_t orig_len;
} oc_mend_marked;

/* The content streams marked ahead, by increasing object number (a
 * stream without an entry is marked by the mend), and the file 'fd' of
 * their objects. */
typedef struct oc_mend_premarked {
    const oc_mend_marked *list;
    size_t                 n;
    int                    fd;
} oc_mend_premarked;

/* What the mend needs to know of the book. The page label styles are
 * those of ISO 32000-1 §12.4.2, /S: 'D' (1, 2...), 'r' (i, ii...), 'R',
 * 'a' or 'A'. */
typedef struct oc_mend_options {
    const char *lang;         /* BCP 47 for the catalog's /Lang; none if
                                 NULL or not made of letters, digits, '-' */
    size_t      npages;       /* pages in cairo's page tree */
    size_t      nfront;       /* the last 'nfront' of them, painted after
                                 the body, are the front matter */
    char        front_style;  /* label style of the front matter */
    char        body_style;   /* label style of the body */
    const char *title;        /* dc:title of the XMP metadata; none if
                                 NULL */
    oc_mend_structure structure;
    oc_mend_pictures  pictures;
    oc_mend_premarked premarked;
    /* Called with the sink's ctx now and then as the input is read (on
     * the calling thread): the pages of a mapped input may be let go,
     * so that they do not all stay in memory; NULL: not called. */
    void      (*let_go)(void *ctx);
    /* Copies 'len' bytes at 'off' of file 'fd' (a picture's stream) to
     * the sink's output, after all it was sent, as the sink would: a
     * file's bytes may go from file to file without passing through
     * memory. NULL: the mend reads them and sends them on itself. */
    oc_status (*copy)(int fd, uint64_t off, uint64_t len, void *ctx,
                      oc_error *err);
} oc_mend_options;

/* Where oc_mend_write sends the file, in pieces, in order. */
typedef oc_status (*oc_mend_sink)(const char *data, size_t len, void *ctx,
                                  oc_error *err);

/* Write 'data' (len bytes, a whole file as cairo 1.16 writes it; read
 * only: a file mapped into memory will do) whole again to 'sink', one
 * cross-reference table, every object once, so that:
 *  - the structure elements of opt->structure have their /Alt, /Lang
 *    and /ID (§14.9.3, §14.9.2, §14.7.2; the structure tree root then
 *    has the /IDTree that finds them), and the Document's front matter
 *    children come first, the tree checked to have the elements painted;
 *  - in a tagged PDF (opt->structure.count > 0), what the pages paint
 *    outside marked content is marked as artifacts (§14.8.2.2, PDF/UA's
 *    page furniture; artifact.h);
 *  - the catalog has /MarkInfo if cairo left it out (§14.7.1) and XMP
 *    metadata (§14.3.2) with the title and the PDF/UA identification
 *    (ISO 14289-1 §5) when 'title' is set;
 *  - the objects whose cross-reference entries point at another one are
 *    null objects (cairo gives link annotations /StructParent entries
 *    whose structure elements it never writes);
 *  - the Info dictionary's dates have the "D:" prefix (§7.9.4);
 *  - the catalog has /Lang (§14.9.2.1), /PageMode /UseOutlines when it
 *    has an outline, /DisplayDocTitle (§12.2) and /PageLabels: the front
 *    matter numbered from 1 in 'front_style', the body from 1 in
 *    'body_style', as their folios are printed;
 *  - when 0 < nfront < npages, the front matter heads the page tree;
 *  - each placeholder of opt->pictures is the picture it names, its
 *    streams copied from their file, its alpha a soft mask (§11.6.5.3);
 *  - every stream that cairo wrote plain (render.h's oc_render_init) is
 *    deflated.
 * If the bytes do not have the shape this expects (one classic cross-
 * reference table with its trailer, a catalog, a page tree of 'npages'
 * pages...), returns OC_ERR_LIB with a message "unexpected PDF from
 * cairo: ..." naming what is missing, having sent nothing. A catalog
 * that has a /Lang is taken to be mended already: it is left as it is.
 * A sink's error ends the writing with it. */
oc_status oc_mend_write(const char *data, size_t len,
                        const oc_mend_options *opt, oc_mend_sink sink,
                        void *ctx, oc_error *err);

/* Told by oc_mend_premark of each content stream it found: its object
 * number, the object as cairo wrote it ('orig', 'n' bytes), and the
 * object written again with its untagged content marked as artifacts
 * ('marked', 'mlen' bytes), or NULL when it stays as it is. */
typedef void (*oc_mend_premark_fn)(long num, const char *orig, size_t n,
                                   const char *marked, size_t mlen,
                                   void *ctx);

/* The page content streams among 'data' (len bytes: whole objects, as
 * cairo writes them while it paints a page: a stream of a /Length
 * object that follows it) marked as oc_mend_write would mark them, so
 * that the mend can take them (oc_mend_options.premarked) instead of
 * marking them itself at the end; each told to 'put'. A plain stream is
 * always written again, deflated. */
void oc_mend_premark(const char *data, size_t len, oc_mend_premark_fn put,
                     void *ctx);

/* oc_mend_write into memory: 'pdf' becomes the file written again (left
 * as it was on failure). */
oc_status oc_mend_pdf(oc_buf *pdf, const oc_mend_options *opt,
                      oc_error *err);

#endif
