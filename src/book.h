/* book.h - the loaded book shared by the back ends: manifest, one XHTML
 * DOM per chapter, stylesheets. Internal; main.c sees only octavo.h. */
#ifndef OC_BOOK_H
#define OC_BOOK_H

#include <libxml/tree.h>
#include <time.h>

#include "arena.h"
#include "error.h"
#include "manifest.h"
#include "octavo.h"

typedef struct oc_heading {
    int         level;        /* 1..6 */
    const char *id;           /* unique within its chapter */
    const char *text;         /* plain text, as GitHub and pandoc name
                                 its anchor */
    const char *title;        /* its text as a title: without its
                                 pictures' (oc_xhtml_title_text) */
    xmlNodePtr  node;
} oc_heading;

typedef struct oc_chapter {
    const char *src;          /* path as written in the manifest */
    const char *file;         /* path on disk, for diagnostics */
    const char *href;         /* file name inside the EPUB, "ch001.xhtml" */
    const char *language;     /* its xml:lang */
    const char *title;        /* first heading's text, or the book title */
    const char *toc_title;    /* what the contents call it: 'title', or
                                 for a chapter of several with neither a
                                 heading nor a <title> of its own, its
                                 first words */
    const char *short_title;  /* the manifest's short-title: its running
                                 head in the PDF; NULL when not given */
    xmlDocPtr   doc;          /* owned by the book; freed by oc_book_free */
    oc_heading *headings;
    size_t      nheadings, capheadings;
    void       *ids;          /* its ids (an xmlHashTable), once every
                                 chapter is loaded; freed with the book */
    void       *slugs;        /* its headings' ids by the names GitHub and
                                 pandoc give them (a GHashTable), once a
                                 link asked; freed with the book */
    /* A long single-use book's chapter, while its document is not
     * needed: doc is NULL, and this is its XHTML (the lines of its
     * elements kept), deflated (oc_book_chapter_open reads it again). */
    unsigned char *packed;
    size_t      packed_len, plain_len;
    size_t      words;        /* its words, counted before it was packed */
    bool        links_out;    /* packed with links to other chapters yet
                                 to be pointed at their files */
} oc_chapter;

typedef struct oc_resource {  /* a file copied into the EPUB */
    const char *href;         /* name inside the container, "css/book.css" */
    const char *media_type;
    const char *properties;   /* OPF manifest properties, or NULL */
    const char *data;         /* arena memory; NULL for a large PNG,
                                 read again from 'src' when it is
                                 needed, so that a book's pictures are
                                 not all in memory at once */
    size_t      len;
    const char *src;          /* file it came from; NULL when made here */
    bool        inline_data;  /* images: from a data: URL in a chapter */
    long        width, height;/* images: pixels from the header; 0 = ? */
    int         fallback;     /* images: index of a core-type fallback
                                 (WebP -> PNG) in the same list, or -1 */
    const char *family;       /* fonts: family name; weight and style */
    int         weight;       /* CSS weight, 100..900 */
    int         italic;
    bool        octavo;       /* styles: octavo's own book.css */
} oc_resource;

struct oc_book {
    oc_arena    *arena;
    oc_manifest *m;
    oc_chapter  *chapters;
    size_t       nchapters;
    int          top_level;   /* the highest rank of the chapters' first
                                 headings (1 for h1, 2 for Standard
                                 Ebooks' h2): a chapter without a heading
                                 is listed at it, beside the others */
    oc_resource *styles;      /* stylesheets, in cascade order */
    size_t       nstyles, capstyles;
    bool         default_style; /* octavo's stylesheet is among them */
    bool         epub_attrs;  /* one selects by attributes of the EPUB
                                 namespace, made data- attributes'
                                 (oc_css_epub_attrs): the chapters'
                                 elements have those too */
    oc_resource *images;      /* every image the chapters use, and cover */
    size_t       nimages, capimages;
    oc_resource *fonts;       /* the manifest's embedded fonts */
    size_t       nfonts, capfonts;
    int          cover;       /* index in images of the cover, or -1 */
    int          cover_drawn; /* the cover was drawn from the metadata */
    struct oc_cover_job *cover_job; /* that drawing, when begun early */
    struct oc_zip_ahead *zip_ahead; /* libzip being opened, for an EPUB */
    struct oc_pages_ahead *pages_ahead; /* fonts and hyphenation being
                                 made ready, for a build that sets pages */
    struct oc_book *next_left;    /* oc_book_leave's list */
    size_t       images_without_alt;
    time_t       modified;    /* SOURCE_DATE_EPOCH or newest input mtime */
    const char  *data_dir;    /* NULL: octavo's compiled-in data */
    oc_diag     *diag;        /* where its warnings go (error.h) */
    oc_stage_fn  stage;       /* told as each output is made */
    void        *stage_ctx;
    oc_progress_fn progress;  /* told as the layout sets pages */
    void        *progress_ctx;
    oc_error_fn  on_error;    /* while loading: errors as they come */
    void        *error_ctx;
    unsigned     nerrors;     /* told to on_error so far */
    oc_error    *first_error; /* the first of them (arena memory) */
    size_t      *npages;      /* pages of the PDF last laid out, 0 before
                                 (arena memory: set through a const book) */
    bool         single_use;  /* oc_options.single_use */
    size_t      *words_gone;  /* the words of the chapters whose documents
                                 were freed (arena memory, as npages) */
    size_t      *untrimmed;   /* the words of the chapters freed since the
                                 heap was last trimmed (as npages) */
    struct oc_idset *names;   /* while loading: the container's file
                                 names taken */
    const char **norm_srcs;   /* the chapters' sources normalized, once a
                                 link to another file asks (arena) */
    void        *slugs;       /* while linking: the headings of every
                                 chapter by the names GitHub and pandoc
                                 give them (a GHashTable of
                                 oc_heading_at), once a link asks */
};

/* Loading, in two steps, so that work on what the first gives (a cover
 * drawn from the metadata) can run while the chapters load.
 * oc_book_open reads the manifest, fonts, stylesheets and cover; *out is
 * the book whatever the outcome. oc_book_read_chapters reads, checks and
 * links the chapters. With an error sink (oc_options.error) the errors
 * that leave the rest to read are told to it and the load goes on:
 * oc_book_open fails only on one that does not, oc_book_read_chapters
 * then fails with the first error told. A book that failed is only for
 * freeing. */
oc_status oc_book_open(const char *path, const oc_options *opt,
                       oc_book **out, oc_error *err);
oc_status oc_book_read_chapters(oc_book *b, oc_error *err);

/* Chapter i's document is read no more (its pages are painted): with
 * single_use set, it is freed, its words counted first; its headings'
 * nodes become NULL. A no-op otherwise. */
void oc_book_release_chapter(const oc_book *b, size_t i);

/* Chapter i's document, read again from its packed XHTML if it was
 * packed (and kept, until oc_book_release_chapter); NULL if it cannot
 * be. */
xmlDocPtr oc_book_chapter_open(const oc_book *b, size_t i);

/* Chapter i's document to look at and let go (oc_book_chapter_done):
 * its own, or, when it is packed, a copy read for the while. */
xmlDocPtr oc_book_chapter_peek(const oc_book *b, size_t i);
void oc_book_chapter_done(const oc_book *b, size_t i, xmlDocPtr doc);

/* Free what book.c made of 'b' and 'b' itself (oc_book_free frees what
 * was begun on it too); NULL is a no-op. */
void oc_book_discard(oc_book *b);

/* Enter the book's warning sink on this thread (oc_diag_enter); returns
 * the sink before, for oc_diag_leave. Every entry point that works on a
 * book, and every thread it starts, does so. */
oc_diag *oc_book_enter(const oc_book *b);

/* The font map made for b's layout while its chapters loaded (load.c,
 * when pages will be set: oc_layout_fontmap_new), waited for if it is
 * being made: true and *fm, *own_config the map and how to free it
 * (oc_layout_fontmap_free), which the caller then owns; false if none was
 * made or a layout took it already. Making it takes the font lock: a
 * caller that holds it gets the map only if it is made already. */
struct _PangoFontMap;
bool oc_book_take_fontmap(const oc_book *b, struct _PangoFontMap **fm,
                          bool *own_config);

/* The book's language's hyphenation dictionary being compiled ahead
 * (load.c, when pages will be set), for the layout's dictionary cache
 * (oc_hyphen_cache_prime); NULL when none is. */
struct oc_hyphen_prime *oc_book_hyphen_prime(const oc_book *b);

/* libzip opened (epub.c) on a thread of its own while the chapters
 * load, for a build that will write an EPUB: it maps libcrypto, a few
 * milliseconds that would otherwise come after the chapters. NULL when
 * no thread could be started: it is opened as the EPUB is written.
 * oc_zip_ahead_end waits for it; NULL is let be. */
typedef struct oc_zip_ahead oc_zip_ahead;
oc_zip_ahead *oc_zip_ahead_start(void);
void oc_zip_ahead_end(oc_zip_ahead *z);

#endif
