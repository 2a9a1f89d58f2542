/* buf.h - growable byte buffer (malloc'd; the owner calls oc_buf_free). */
#ifndef OC_BUF_H
#define OC_BUF_H

#include <stddef.h>

#include "octavo.h"

typedef struct oc_buf {
    char  *data;    /* always NUL-terminated when non-NULL */
    size_t len, cap;
} oc_buf;

/* Room for 'extra' bytes more (and the NUL) at data + len. */
void oc_buf_reserve(oc_buf *b, size_t extra);
void oc_buf_put(oc_buf *b, const void *p, size_t n);
void oc_buf_puts(oc_buf *b, const char *s);
void oc_buf_printf(oc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void oc_buf_free(oc_buf *b);                 /* leaves b empty, reusable */

/* Read the whole file at 'path' (at most 'limit' bytes; 0 means the
 * default limit of 64 MiB) into b. Errors name 'path'. */
oc_status oc_buf_read_file(oc_buf *b, const char *path, size_t limit,
                           oc_error *err);

/* Remove 'tmp' if the program is ended by SIGINT, SIGTERM or SIGHUP
 * (oc_guard_signals) until oc_temp_unguard(the slot returned). Returns -1
 * when too many files are guarded at once. */
int  oc_temp_guard(const char *tmp);
void oc_temp_unguard(int slot);

/* A file made in 'path.tmp' and renamed to 'path' when it is whole, so
 * that 'path' is the old file or the new, never part of one. Until then
 * a signal removes 'path.tmp' (oc_temp_guard). */
typedef struct oc_outfile {
    const char *path;
    char        tmp[4200];
    int         fd;
    int         slot;
} oc_outfile;

/* Errors name 'path', which must outlive 'f'. */
oc_status oc_outfile_open(oc_outfile *f, const char *path, oc_error *err);
oc_status oc_outfile_write(oc_outfile *f, const void *data, size_t len,
                           oc_error *err);
/* Close and rename into place; on failure nothing is left. */
oc_status oc_outfile_commit(oc_outfile *f, oc_error *err);
/* Close and remove what was written. */
void      oc_outfile_abort(oc_outfile *f);

/* Write 'len' bytes to 'path' as one oc_outfile. */
oc_status oc_write_file_atomic(const char *path, const void *data,
                               size_t len, oc_error *err);


/* The value of hexadecimal digit 'c' (0-9, a-f, A-F), or -1. */
int oc_hex_digit(int c);

/* Text hygiene for an input file: a UTF-8 byte-order mark is skipped
 * (*skip is set to its length), invalid UTF-8 and NUL bytes are errors
 * naming 'file' with the line and column (1-based; line numbers start at
 * 'first_line'). */
oc_status oc_text_check(const char *text, size_t len, const char *file,
                        int first_line, size_t *skip, oc_error *err);

#endif
