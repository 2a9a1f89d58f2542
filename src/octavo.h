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

/* A sink for the errors of a load, as they are found (oc_options.error). */
typedef void (*oc_error_fn)(const oc_error *err, void *ctx);

/* Errors a load reports before it stops, when it reports them as it
 * goes (oc_options.error). */
#define OC_MAX_ERRORS 20

/* Told as each stage of a build ends: "epub" or "pdf" (the file 'path'
 * is made, though with both outputs it is put in place only after the
 * other), "layout" (oc_book_check); how long it took, in seconds. */
typedef void (*oc_stage_fn)(const char *stage, const char *path,
                            double seconds, void *ctx);

/* Told, from the layout's thread, as the PDF's layout (or the page-list's)
 * sets pages: every OC_PROGRESS_PAGES pages, the number set so far. */
typedef void (*oc_progress_fn)(long pages, void *ctx);
#define OC_PROGRESS_PAGES 16

/* Build options. Zero-initialised means: octavo's data files (styles/)
 * as compiled into it, timestamps from SOURCE_DATE_EPOCH or the newest
 * input, warnings to the process handler (oc_set_warn_handler). */
typedef struct oc_options {
    const char *data_dir;   /* a folder whose styles/ replaces octavo's
                               compiled-in one; NULL: $OCTAVO_DATA_DIR
                               when set, else the compiled-in files */
    int         for_epub;   /* an EPUB will be written: a cover drawn from
                               the metadata is begun on a second thread
                               while the chapters load, and libzip is
                               opened on a third */
    int         for_pdf;    /* a PDF will be written: fontconfig is
                               loaded and the language's hyphenation
                               patterns compiled on a thread of their own
                               while the chapters load (so too for an
                               EPUB whose manifest asks for a page-list) */
    oc_warn_fn  warn;       /* the book's warnings, from loading to the
                               last output, one at a time whatever the
                               thread; NULL for the process handler */
    void       *warn_ctx;
    oc_stage_fn stage;      /* NULL: nothing is told */
    void       *stage_ctx;
    oc_progress_fn progress;/* NULL: nothing is told */
    void       *progress_ctx;
    const char *const *meta;/* nmeta "key=value" manifest keys set over
                               the manifest's (-M), in order; a value
                               that begins with '[' or '{' is YAML, any
                               other its text; an empty one takes the
                               key away. A key octavo does not know or a
                               value it cannot take is OC_ERR_USAGE */
    size_t      nmeta;
    oc_error_fn error;      /* NULL: oc_book_load stops at the first
                               error. Else it tells every error here as
                               it finds it, and goes on past those that
                               leave the rest of the book to read (a
                               chapter, stylesheet, font, image or cover
                               that cannot be used), up to OC_MAX_ERRORS;
                               then fails with the first in err */
    void       *error_ctx;
    int         single_use; /* the book will be written once and then
                               only freed (or asked for its words,
                               pages, name, warnings): a long book's
                               chapters are kept packed from their
                               loading on, read again when written, and
                               the PDF's layout frees each chapter's
                               document once its pages are painted, so
                               that a long book is not all in memory at
                               once. Writing it again, or another output
                               after the PDF, is then not allowed */
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
 * FIFO, a folder), which is never replaced. A path of "-" (for one of
 * them) is standard output: that output is made whole in a temporary
 * file ($TMPDIR, else /tmp) and only then copied there. */
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

/* Lay the book out as its PDF would be, writing nothing: every
 * diagnostic of a build (loading gave the others) without its outputs.
 * Errors as oc_book_write_pdf's. */
oc_status oc_book_check(const oc_book *b, oc_error *err);

/* The i-th file the book was made from (0: the manifest; then chapters,
 * stylesheets, images, fonts; each once), borrowed from the book; NULL
 * when i is past the last. octavo's own data files are not among them
 * unless a data folder replaced them. */
const char *oc_book_input(const oc_book *b, size_t i);

/* The number of words of the book's chapters (runs of characters between
 * spaces, notes included). */
size_t oc_book_words(const oc_book *b);

/* The number of pages of the PDF last made or laid out (oc_book_write,
 * oc_book_write_pdf, oc_book_check); 0 before. */
size_t oc_book_pages(const oc_book *b);

/* The book's file name stem (from the manifest's file name, or the title),
 * borrowed from the book. */
const char *oc_book_name(const oc_book *b);

/* The number of warnings the book has had so far (loading, writing). */
unsigned oc_book_warnings(const oc_book *b);

/* Are the book's chapters kept packed between their loading and their
 * writing (oc_options.single_use, for a long book)? */
int oc_book_packed(const oc_book *b);

void oc_book_free(oc_book *book);                   /* NULL is a no-op */

/* For a program about to exit: end what 'book' runs (its threads) and
 * leave its memory to the exit, which gives it all back at once, where
 * freeing a long book block by block takes milliseconds. Built with
 * AddressSanitizer, whose leak check would have nothing to check, it
 * is oc_book_free. NULL is a no-op. */
void oc_book_leave(oc_book *book);

/* octavo's own data file 'name' ("styles/book.css", "styles/print.css")
 * as compiled into it: static, NUL-ended text, its length in *len (when
 * 'len' is not NULL); NULL when octavo has no such file. */
const char *oc_data(const char *name, size_t *len);

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
