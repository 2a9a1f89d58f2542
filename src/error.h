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

/* Report input that was ignored or repaired. */
void oc_warn(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Number of warnings reported since the program started. */
unsigned oc_warn_count(void);

/* Allocation that aborts with a message when memory runs out. */
void *oc_xmalloc(size_t n);
void *oc_xcalloc(size_t n, size_t size);
void *oc_xrealloc(void *p, size_t n);
char *oc_xstrdup(const char *s);

#endif
