/* error.h - create errors and warnings that point into the input. */
#ifndef OC_ERROR_H
#define OC_ERROR_H

#include "octavo.h"

/* Set err (if its code is still OC_OK) and return 'code'. The first error
 * wins: a later call leaves err alone and still returns 'code'. 'file' may
 * be NULL; 'line' and 'col' are 1-based, 0 when unknown. */
oc_status oc_error_set(oc_error *err, oc_status code, const char *file,
                       int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Report input that was ignored or repaired: to the sink this thread has
 * entered (oc_diag_enter), else to the process handler
 * (oc_set_warn_handler). One report at a time, whatever the thread. */
void oc_warn(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A warning told before to a sink that kept it (convert.h), told now
 * to this thread's: it is not counted again in oc_warn_count. */
void oc_warn_again(const char *file, int line, int col, const char *msg);

/* Where one book's warnings go, and how many it has had. A book has its
 * own (oc_options.warn); every entry point that works on the book, and
 * every thread it starts, enters it for as long as it works. */
typedef struct oc_diag {
    oc_warn_fn fn;              /* NULL: the process handler */
    void      *ctx;
    unsigned   count;
} oc_diag;

/* Make 'd' (NULL: none) the sink of this thread's warnings. Returns the
 * sink before, which oc_diag_leave puts back. */
oc_diag *oc_diag_enter(oc_diag *d);
void oc_diag_leave(oc_diag *prev);
oc_diag *oc_diag_current(void);     /* this thread's sink */


/* Allocation that aborts with a message when memory runs out. */
void *oc_xmalloc(size_t n);
void *oc_xcalloc(size_t n, size_t size);
void *oc_xrealloc(void *p, size_t n);
char *oc_xstrdup(const char *s);
/* What they do when 'n' bytes cannot be had (a library's allocation
 * failed, too): the message, and the end. */
void oc_out_of_memory(size_t n) __attribute__((noreturn));

/* For the unit tests: warnings reported since the program started, all
 * sinks. */
unsigned oc_warn_count(void);

#endif
