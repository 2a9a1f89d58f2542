/* arena.h - per-book allocator: allocate freely, free everything at once. */
#ifndef OC_ARENA_H
#define OC_ARENA_H

#include <stddef.h>

typedef struct oc_arena oc_arena;

oc_arena *oc_arena_new(void);                      /* aborts on OOM */
void     *oc_arena_alloc(oc_arena *a, size_t n);   /* zeroed; aborts on OOM */
char     *oc_arena_strdup(oc_arena *a, const char *s);
char     *oc_arena_strndup(oc_arena *a, const char *s, size_t n);
/* printf into arena memory. */
char     *oc_arena_printf(oc_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Grow an arena array of 'elem'-sized items from 'old_n' to 'new_n'
 * (the old block is abandoned to the arena). */
void     *oc_arena_grow(oc_arena *a, void *p, size_t old_n, size_t new_n,
                        size_t elem);
size_t    oc_arena_used(const oc_arena *a);        /* bytes handed out */
void      oc_arena_free(oc_arena *a);              /* NULL is a no-op */

#endif
