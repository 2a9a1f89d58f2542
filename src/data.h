/* data.h - octavo's own data files (styles/book.css, styles/print.css):
 * compiled into the binary (the Makefile generates their table, data.c,
 * from styles/), or read from a data folder that replaces them
 * (--data-dir, OCTAVO_DATA_DIR). */
#ifndef OC_DATA_H
#define OC_DATA_H

#include <stddef.h>

#include "buf.h"
#include "octavo.h"

typedef struct oc_data_file {
    const char          *name;  /* "styles/book.css" */
    const unsigned char *data;  /* NUL-ended; static */
    size_t               len;   /* without the NUL */
} oc_data_file;

/* The generated table (data-files.c, built from styles/ by the
 * Makefile), ended by an entry whose name is NULL. */
extern const oc_data_file oc_data_files[];

/* The data folder that replaces the compiled-in files: 'dir' when it is
 * not NULL, else $OCTAVO_DATA_DIR when set and not empty, else NULL (the
 * compiled-in files). A borrowed pointer. */
const char *oc_data_dir(const char *dir);

/* Read data file 'name' ("styles/print.css") into 'out': from DIR/name
 * when 'dir' is not NULL, else from the compiled-in copy. 'path' gets the
 * name diagnostics give it: DIR/name, or "octavo:styles/print.css" for the
 * compiled-in copy. Both buffers are the caller's (oc_buf_free). Errors
 * (a file that cannot be read, a name octavo has not got) name the
 * file. */
oc_status oc_data_read(const char *dir, const char *name, oc_buf *out,
                       oc_buf *path, oc_error *err);

#endif
