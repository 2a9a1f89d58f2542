/* arena.c - bump allocator in chained blocks; freed all at once. */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define BLOCK_SIZE (64 * 1024)

typedef struct block {
    struct block *next;
    size_t        used, size;
    max_align_t   data[];
} block;

struct oc_arena {
    block *head;
    size_t total;
};

oc_arena *
oc_arena_new(void)
{
    return oc_xcalloc(1, sizeof(oc_arena));
}

static block *
new_block(size_t size)
{
    block *b = oc_xmalloc(sizeof(block) + size);

    b->next = NULL;
    b->used = 0;
    b->size = size;
    return b;
}

/* n bytes of the arena, not cleared. */
static void *
take(oc_arena *a, size_t n)
{
    size_t align = sizeof(max_align_t);
    block *b = a->head;
    void *p;

    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    if (b == NULL || b->size - b->used < n) {
        if (n > BLOCK_SIZE / 4) {         /* big: own block, keep head */
            block *big = new_block(n);

            if (b != NULL) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            big->used = n;
            a->total += n;
            return big->data;
        }
        b = new_block(BLOCK_SIZE);
        b->next = a->head;
        a->head = b;
    }
    p = (char *)b->data + b->used;
    b->used += n;
    a->total += n;
    return p;
}

void *
oc_arena_alloc(oc_arena *a, size_t n)
{
    void *p = take(a, n);

    memset(p, 0, n);
    return p;
}

char *
oc_arena_strndup(oc_arena *a, const char *s, size_t n)
{
    char *p = take(a, n + 1);

    if (n > 0)                  /* 's' may be NULL when n is 0 */
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
oc_arena_strdup(oc_arena *a, const char *s)
{
    return s ? oc_arena_strndup(a, s, strlen(s)) : NULL;
}

char *
oc_arena_printf(oc_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    p = take(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* p's first old_n items copied to room for new_n; the rest cleared if
 * 'clear'. */
static void *
grow(oc_arena *a, void *p, size_t old_n, size_t new_n, size_t elem,
     bool clear)
{
    size_t keep = p != NULL ? (old_n < new_n ? old_n : new_n) : 0;
    char *q = take(a, new_n * elem);

    if (keep > 0)
        memcpy(q, p, keep * elem);
    if (clear)
        memset(q + keep * elem, 0, (new_n - keep) * elem);
    return q;
}

void *
oc_arena_grow(oc_arena *a, void *p, size_t old_n, size_t new_n, size_t elem)
{
    return grow(a, p, old_n, new_n, elem, true);
}

void *
oc_arena_grow_uncleared(oc_arena *a, void *p, size_t old_n, size_t new_n,
                        size_t elem)
{
    return grow(a, p, old_n, new_n, elem, false);
}

void *
oc_arena_reserve(oc_arena *a, void *p, size_t n, size_t *cap, size_t elem)
{
    if (n >= *cap) {
        size_t want = *cap ? 2 * *cap : 4;

        p = grow(a, p, n, want, elem, false);
        *cap = want;
    }
    memset((char *)p + n * elem, 0, elem);
    return p;
}

size_t
oc_arena_used(const oc_arena *a)
{
    return a->total;
}

void
oc_arena_free(oc_arena *a)
{
    block *b;

    if (a == NULL)
        return;
    while ((b = a->head) != NULL) {
        a->head = b->next;
        free(b);
    }
    free(a);
}
