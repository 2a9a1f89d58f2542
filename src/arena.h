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
/* The same, the new items left uncleared (for an array whose items are
 * each set whole as they are added). */
void     *oc_arena_grow_uncleared(oc_arena *a, void *p, size_t old_n,
                                  size_t new_n, size_t elem);
/* Room for one more item in an arena array 'p' of n 'elem'-sized items
 * that has room for *cap: p itself, or a copy twice as large (4 items
 * at least; the old block is abandoned to the arena) with *cap updated.
 * Item n is zeroed. */
void     *oc_arena_reserve(oc_arena *a, void *p, size_t n, size_t *cap,
                           size_t elem);
void      oc_arena_free(oc_arena *a);              /* NULL is a no-op */

/* A growable array of T in an arena, as a variable or a struct member:
 *
 *     OC_VEC(size_t) v = {0};          empty
 *     *OC_VEC_PUSH(a, &v) = x;         append: v.v[0..v.n) are the items
 *
 * OC_VEC_PUSH returns a pointer to the new item, zeroed; it evaluates its
 * arguments more than once. The items live as long as arena 'a' (setting
 * n to 0 empties the vector and keeps its room). */
#define OC_VEC(T) struct { T *v; size_t n, cap; }
#define OC_VEC_PUSH(a, vec)                                               \
    ((vec)->v = oc_arena_reserve((a), (vec)->v, (vec)->n, &(vec)->cap,    \
                                 sizeof *(vec)->v),                       \
     &(vec)->v[(vec)->n++])

/* For the unit tests: bytes handed out so far. */
size_t    oc_arena_used(const oc_arena *a);

#endif
