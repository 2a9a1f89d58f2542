/* manifest.h - book.yaml (or a Markdown file's YAML front matter) read with
 * libyaml into an oc_manifest allocated in the book's arena. */
#ifndef OC_MANIFEST_H
#define OC_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "labels.h"
#include "octavo.h"

typedef struct oc_person {
    const char *name;
    const char *file_as;      /* NULL when not given */
    const char *role;         /* MARC relator (aut, edt, trl, ill...) */
} oc_person;

typedef struct oc_path_ref {  /* a path in the manifest, relative to it */
    const char *path;         /* as written */
    const char *language;     /* chapters only; NULL = the book's */
    const char *short_title;  /* chapters only: its running head; NULL
                                 when not given */
    int         line, col;    /* where it is written, 1-based */
} oc_path_ref;

#define OC_IMAGE_DPI 300   /* image-resolution by default */

typedef struct oc_manifest {
    const char  *file;        /* the manifest's path, for diagnostics */
    const char  *dir;         /* its folder ("." when none) */
    const char  *stem;        /* file name without extension, for outputs */
    const char  *title;
    const char  *subtitle;
    oc_person   *authors;
    size_t       nauthors;
    oc_person   *contributors;
    size_t       ncontributors;
    const char  *language;    /* defaults to "en" */
    const char  *language_file; /* where it is given, for warnings */
    int          language_line, language_col;
    const char  *identifier;  /* defaults to urn:uuid: v5 of title+authors */
    const char  *identifier_scheme; /* "uuid", "isbn", "urn" */
    const char  *date;
    const char  *publisher;
    const char  *rights;
    const char  *description;
    const char **subjects;
    size_t       nsubjects;
    const char  *series;
    const char  *series_index;
    oc_path_ref  cover;       /* path NULL when absent */
    oc_path_ref *stylesheets;
    size_t       nstylesheets;
    oc_path_ref *fonts;
    size_t       nfonts;
    int          toc_depth;   /* 1..6, default 2 */
    int          image_dpi;   /* image-resolution: pixels per inch that
                                 the PDF keeps of a PNG at most, 0 for
                                 all; default OC_IMAGE_DPI */
    int          hide_toc;    /* toc: false, no contents page */
    int          hide_title_page; /* title-page: false, no title page
                                     (nor, in the PDF, its imprint) */
    bool         page_list;   /* page-list: the EPUB marks the PDF's pages */
    int          no_default_stylesheet; /* default-stylesheet: false, only
                                           the book's own stylesheets */
    const char  *labels[OC_LABEL_COUNT]; /* labels: the book's own words,
                                            NULL where it gives none */
    oc_path_ref *chapters;
    size_t       nchapters;
    /* A Markdown book with front matter: its body text follows the block.
     * body is NULL for book.yaml. */
    const char  *body;
    size_t       body_len;
    int          body_line;   /* 1-based line of the body's first line */
} oc_manifest;

/* A well-formed BCP 47 tag (RFC 5646 §2.1, its shape): a language of 2
 * to 8 letters (or "i"/"x" for the irregular and private ones), then
 * subtags of 1 to 8 letters and digits. */
bool oc_is_language_tag(const char *t);

/* Parse manifest text. 'file' names it in diagnostics and sets dir/stem
 * (a stem of "book" or "index" becomes the name of the folder). If the
 * text begins with a "---" line it is a Markdown book: the YAML block
 * ends at the next "---" or "..." line, the rest is its only chapter
 * (unless the block lists chapters). A file named .md or .markdown that
 * does not is a bare Markdown book, all of it the one chapter. A Markdown
 * book without a 'title' takes its first heading's text (a bare one
 * without a heading, its stem, with a warning). On OC_OK *out is arena
 * memory. */
oc_status oc_manifest_parse(oc_arena *a, const char *text, size_t len,
                            const char *file, oc_manifest **out,
                            oc_error *err);

/* oc_manifest_parse, then the keys of 'meta' (nmeta "key=value"
 * strings, from the command line) set over the manifest's own, in order:
 * a value beginning with '[' or '{' is read as YAML (a list, a mapping),
 * any other as the text it is; an empty one takes the key away. The key
 * is checked as in the manifest. A key octavo does not know, or a value
 * it cannot take, is OC_ERR_USAGE naming the "key=value" (no line). */
oc_status oc_manifest_parse_with(oc_arena *a, const char *text, size_t len,
                                 const char *file, const char *const *meta,
                                 size_t nmeta, oc_manifest **out,
                                 oc_error *err);

/* Read 'path' and parse it (with 'meta', as oc_manifest_parse_with);
 * chapters, stylesheets, fonts and cover must stay inside the
 * manifest's folder. A folder is read as its book.yaml (OC_ERR_IO
 * naming the folder when it has none). */
oc_status oc_manifest_load(oc_arena *a, const char *path,
                           const char *const *meta, size_t nmeta,
                           oc_manifest **out, oc_error *err);

/* Join the manifest's folder and a relative path (arena memory). */
char *oc_manifest_resolve(oc_arena *a, const oc_manifest *m,
                          const char *rel);

/* 'rel' with "." and ".." resolved, in arena memory; NULL when it is
 * absolute, a URL, empty, or climbs above its start. */
char *oc_path_normalize(oc_arena *a, const char *rel);

/* The path on disk of 'rel' (relative to the manifest's folder) when it
 * stays inside the book's folder, symbolic links included; else NULL. */
char *oc_manifest_inside(oc_arena *a, const oc_manifest *m, const char *rel);

/* Format a name-based (v5) UUID of 'name' in the URL namespace as
 * "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx" into out[37]. */
void oc_uuid5(const char *name, char out[37]);

#endif
