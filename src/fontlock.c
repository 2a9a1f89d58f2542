/* fontlock.c - a process-wide pthread mutex (fontlock.h says what it
 * guards), recursive through a per-thread depth. pthread, not GLib, so
 * that ThreadSanitizer and helgrind see it. The holds are short (a line
 * painted, a word shaped): a thread that finds it taken tries again for
 * a while before it sleeps, which costs less than being woken. */
#include "fontlock.h"

#include <pthread.h>

enum { SPINS = 400 };

static pthread_mutex_t fonts = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local unsigned depth;   /* this thread's holds */

void
oc_fonts_lock(void)
{
    if (depth++ > 0)
        return;
    for (int i = 0; i < SPINS; i++)
        if (pthread_mutex_trylock(&fonts) == 0)
            return;
    pthread_mutex_lock(&fonts);
}

void
oc_fonts_unlock(void)
{
    if (--depth == 0)
        pthread_mutex_unlock(&fonts);
}

bool
oc_fonts_held(void)
{
    return depth > 0;
}
