/* octavo.h - build an EPUB 3 and/or a PDF from one book manifest.
 *
 * The only header that main.c and the end-to-end tests depend on. Every
 * function that can fail returns an oc_status and fills the oc_error passed
 * last; on failure no output file is left behind. */
#ifndef OC_OCTAVO_H
#define OC_OCTAVO_H

#include <stddef.h>

#define OC_VERSION "0.1.0"

typedef enum oc_status {
    OC_OK = 0,
    OC_ERR_USAGE,   /* bad command line */
    OC_ERR_IO,      /* open/read/write failed; msg includes strerror(errno) */
    OC_ERR_SYNTAX,  /* malformed YAML, XHTML or CSS */
    OC_ERR_INVALID, /* well-formed but unusable: no title, path leaves book */
    OC_ERR_LIB      /* a library (libxml2, libzip, cairo, Pango...) failed */
} oc_status;

typedef struct oc_error {
    oc_status code;
    char      file[512];    /* input the problem is in; "" if none */
    int       line, col;    /* 1-based; 0 when unknown */
    char      msg[256];
} oc_error;                 /* printed as  chapters/02.md:14:3: error: msg */

/* A sink for warnings (input ignored or repaired): where, and what. */
typedef void (*oc_warn_fn)(const char *file, int line, int col,
                           const char *msg, void *ctx);

/* Build options. Zero-initialised means: data files from OC_DATADIR,
 * timestamps from SOURCE_DATE_EPOCH or the newest input, warnings to the
 * process handler (oc_set_warn_handler). */
typedef struct oc_options {
    const char *data_dir;   /* folder holding styles/; NULL for default */
    int         for_epub;   /* an EPUB will be written: a cover drawn from
                               the metadata is begun on a second thread
                               while the chapters load */
    oc_warn_fn  warn;       /* the book's warnings, from loading to the
                               last output, one at a time whatever the
                               thread; NULL for the process handler */
    void       *warn_ctx;
} oc_options;

typedef struct oc_book oc_book;                     /* opaque */

/* Load the manifest at 'path' (book.yaml, or a Markdown file with a YAML
 * front-matter block) and every chapter it lists. On OC_OK *out is a new
 * book (oc_book_free); otherwise *out is untouched and err says why.
 * 'opt' may be NULL. */
oc_status oc_book_load(const char *path, const oc_options *opt,
                       oc_book **out, oc_error *err);

/* Write the book as EPUB 3 / PDF to 'path'. The file is written under a
 * temporary name in the same folder and renamed only on success. */
oc_status oc_book_write_epub(const oc_book *b, const char *path,
                             oc_error *err);
oc_status oc_book_write_pdf(const oc_book *b, const char *path,
                            oc_error *err);

/* Write the EPUB to 'epub' and the PDF to 'pdf' (either may be NULL) so
 * that a failed or interrupted build replaces neither: with both, each
 * is made whole under a temporary name (FILE.part) and both are renamed
 * in place only then, one right after the other. Refused with
 * OC_ERR_INVALID before anything is written: one file named for both; an
 * output that is an input of the book (the same file, whatever its
 * name); an existing output that is not a regular file (a device, a
 * FIFO, a folder), which is never replaced. */
oc_status oc_book_write(const oc_book *b, const char *epub, const char *pdf,
                        oc_error *err);

/* Render pages of the book's PDF layout as PNG images, DIR/page-NNN.png
 * (NNN: the page's position in the PDF, 1-based, at least 3 digits),
 * each written atomically; 'dir' is created if missing. 'pages' lists
 * the pages, "1-3,7" (NULL or "" for the first four); 'dpi' is the
 * resolution, 1..600 (0 for 100). A malformed list, a page the book does
 * not have or a resolution out of range is OC_ERR_USAGE. */
oc_status oc_book_preview(const oc_book *b, const char *dir,
                          const char *pages, double dpi, oc_error *err);

/* The book's file name stem (from the manifest's file name, or the title),
 * borrowed from the book. */
const char *oc_book_name(const oc_book *b);

/* The number of warnings the book has had so far (loading, writing). */
unsigned oc_book_warnings(const oc_book *b);

void oc_book_free(oc_book *book);                   /* NULL is a no-op */

/* Make SIGINT, SIGTERM and SIGHUP remove a half-written output before the
 * program ends (the signal is then delivered as usual). */
void oc_guard_signals(void);

/* Format 'err' as "file:line:col: error: msg" into buf (always NUL-ended). */
void oc_error_format(const oc_error *err, char *buf, size_t size);

/* Warnings (input we ignore or repair) that no book's own sink takes
 * (oc_options.warn) go to this process-wide handler; the default drops
 * them. Returns the previous handler. */
oc_warn_fn oc_set_warn_handler(oc_warn_fn fn, void *ctx);

/* Format a warning as "file:line:col: warning: msg" into buf (always
 * NUL-ended), leaving out what is unknown (NULL or "" file, 0 line or
 * column). */
void oc_warning_format(const char *file, int line, int col, const char *msg,
                       char *buf, size_t size);

#endif
