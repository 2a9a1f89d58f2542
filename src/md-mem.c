/* md-mem.c - cmark-gfm's memory for one chapter's conversion: blocks cut
 * from large chunks one after the other and never freed one by one, the
 * whole let go at once when the conversion ends. Half the allocations of
 * an EPUB build are cmark's (a node, a string buffer grown, a literal),
 * each freed again when the tree is: here each costs a few instructions,
 * and none waits for malloc's lock held by another thread converting
 * another chapter. cmark's allocator takes no context, so the chunks are
 * the thread's: one conversion at a time on a thread. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "md-int.h"

enum {
    CHUNK = 256 * 1024,
    HEAD = 16               /* a block's size, before it, and alignment */
};

typedef struct chunk {
    struct chunk *next;
    size_t        used, size;
    _Alignas(16) unsigned char data[];
} chunk;

static _Thread_local chunk *chunks;     /* the newest first */

static size_t
rounded(size_t n)
{
    if (n > SIZE_MAX - 2 * HEAD)
        oc_out_of_memory(n);
    return (n + HEAD + HEAD - 1) & ~(size_t)(HEAD - 1);
}

static void *
take(size_t n)
{
    size_t need = rounded(n);
    chunk *c = chunks;
    unsigned char *p;

    if (c == NULL || c->size - c->used < need) {
        size_t size = need > CHUNK ? need : CHUNK;

        c = oc_xmalloc(sizeof *c + size);
        c->next = chunks;
        c->used = 0;
        c->size = size;
        chunks = c;
    }
    p = c->data + c->used;
    c->used += need;
    memcpy(p, &n, sizeof n);
    return p + HEAD;
}

static void *
mem_calloc(size_t n, size_t size)
{
    size_t bytes;

    if (__builtin_mul_overflow(n, size, &bytes))
        oc_out_of_memory(SIZE_MAX);
    return memset(take(bytes), 0, bytes);
}

/* Whether block p is the last cut from the newest chunk. */
static bool
last(const unsigned char *p, size_t n)
{
    return chunks != NULL && p + rounded(n) - HEAD ==
                                 chunks->data + chunks->used;
}

static void *
mem_realloc(void *ptr, size_t n)
{
    unsigned char *p = ptr;
    size_t old;
    void *q;

    if (p == NULL)
        return take(n);
    memcpy(&old, p - HEAD, sizeof old);
    /* The last block grows or shrinks where it is (a string buffer
     * appended to). */
    if (last(p, old) &&
        chunks->used - rounded(old) + rounded(n) <= chunks->size) {
        chunks->used = chunks->used - rounded(old) + rounded(n);
        memcpy(p - HEAD, &n, sizeof n);
        return p;
    }
    if (n <= old) {
        memcpy(p - HEAD, &n, sizeof n);
        return p;
    }
    q = take(n);
    memcpy(q, p, old);
    return q;
}

static void
mem_free(void *ptr)
{
    unsigned char *p = ptr;
    size_t n;

    if (p == NULL)
        return;
    memcpy(&n, p - HEAD, sizeof n);
    if (last(p, n))                  /* room for the next one */
        chunks->used -= rounded(n);
}

static cmark_mem mem = { mem_calloc, mem_realloc, mem_free };

cmark_mem *
md_mem_arena(void)
{
    return &mem;
}

cmark_mem *
md_mem_begin(void)
{
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer sees cmark's blocks one by one only from malloc. */
    return cmark_get_default_mem_allocator();
#else
    return &mem;
#endif
}

cmark_node *
md_node_new(cmark_node_type type)
{
    return cmark_node_new_with_mem(type, md_mem_begin());
}

void
md_mem_end(void)
{
    while (chunks != NULL) {
        chunk *next = chunks->next;

        free(chunks);
        chunks = next;
    }
}
