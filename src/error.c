/* error.c - the one place errors are created; warnings; aborting allocators. */
#include "error.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void no_warn(const char *file, int line, int col, const char *msg,
                    void *ctx);

/* Warnings may come from two builds on two threads: one at a time. The
 * library prints nothing: the process handler drops what no sink takes
 * until a program sets one. */
static pthread_mutex_t warn_lock = PTHREAD_MUTEX_INITIALIZER;
static oc_warn_fn warn_fn = no_warn;
static void *warn_ctx;
static unsigned nwarnings;
static _Thread_local oc_diag *cur_diag;

oc_status
oc_error_set(oc_error *err, oc_status code, const char *file, int line,
             int col, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err->code != OC_OK)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void
oc_error_format(const oc_error *err, char *buf, size_t size)
{
    if (err->file[0] == '\0')
        snprintf(buf, size, "octavo: error: %s", err->msg);
    else if (err->line <= 0)
        snprintf(buf, size, "%s: error: %s", err->file, err->msg);
    else if (err->col <= 0)
        snprintf(buf, size, "%s:%d: error: %s", err->file, err->line,
                 err->msg);
    else
        snprintf(buf, size, "%s:%d:%d: error: %s", err->file, err->line,
                 err->col, err->msg);
}

void
oc_warning_format(const char *file, int line, int col, const char *msg,
                  char *buf, size_t size)
{
    if (file == NULL || file[0] == '\0')
        snprintf(buf, size, "octavo: warning: %s", msg);
    else if (line <= 0)
        snprintf(buf, size, "%s: warning: %s", file, msg);
    else if (col <= 0)
        snprintf(buf, size, "%s:%d: warning: %s", file, line, msg);
    else
        snprintf(buf, size, "%s:%d:%d: warning: %s", file, line, col, msg);
}

static void
no_warn(const char *file, int line, int col, const char *msg, void *ctx)
{
    (void)file, (void)line, (void)col, (void)msg, (void)ctx;
}

oc_warn_fn
oc_set_warn_handler(oc_warn_fn fn, void *ctx)
{
    oc_warn_fn old;

    pthread_mutex_lock(&warn_lock);
    old = warn_fn;
    warn_fn = fn ? fn : no_warn;
    warn_ctx = ctx;
    pthread_mutex_unlock(&warn_lock);
    return old;
}

/* One warning to this thread's sink, counted in oc_warn_count when
 * 'count'. */
static void
tell(const char *file, int line, int col, const char *msg, bool count)
{
    pthread_mutex_lock(&warn_lock);
    nwarnings += count;
    if (cur_diag != NULL) {
        cur_diag->count++;
        if (cur_diag->fn != NULL)
            cur_diag->fn(file, line, col, msg, cur_diag->ctx);
        else
            warn_fn(file, line, col, msg, warn_ctx);
    } else {
        warn_fn(file, line, col, msg, warn_ctx);
    }
    pthread_mutex_unlock(&warn_lock);
}

void
oc_warn(const char *file, int line, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tell(file, line, col, msg, true);
}

void
oc_warn_again(const char *file, int line, int col, const char *msg)
{
    tell(file, line, col, msg, false);
}

oc_diag *
oc_diag_enter(oc_diag *d)
{
    oc_diag *prev = cur_diag;

    cur_diag = d;
    return prev;
}

void
oc_diag_leave(oc_diag *prev)
{
    cur_diag = prev;
}

oc_diag *
oc_diag_current(void)
{
    return cur_diag;
}

unsigned
oc_warn_count(void)
{
    unsigned n;

    pthread_mutex_lock(&warn_lock);
    n = nwarnings;
    pthread_mutex_unlock(&warn_lock);
    return n;
}

void
oc_out_of_memory(size_t n)
{
    fprintf(stderr, "octavo: out of memory (%zu bytes)\n", n);
    abort();
}

void *
oc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (p == NULL)
        oc_out_of_memory(n);
    return p;
}

void *
oc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (p == NULL)
        oc_out_of_memory(n * size);
    return p;
}

void *
oc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL)
        oc_out_of_memory(n);
    return q;
}

char *
oc_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(oc_xmalloc(n), s, n);
}
