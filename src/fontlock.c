/* fontlock.c - a process-wide pthread mutex (fontlock.h says what it
 * guards), recursive through a per-thread depth. pthread, not GLib, so
 * that ThreadSanitizer and helgrind see it. The holds are short (a line
 * painted, a word shaped): a thread that finds it taken tries again for
 * a while before it sleeps, which costs less than being woken. */
#include "fontlock.h"

#include <fontconfig/fontconfig.h>
#include <pthread.h>

enum { SPINS = 400 };

static pthread_mutex_t fonts = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local unsigned depth;   /* this thread's holds */
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

/* fontconfig's configuration loaded once, by the first thread to take
 * the lock, before a font map is made: Pango's own thread, which would
 * load it, finds it there, and the font maps share it without a race.
 * A build that draws nothing (an EPUB with its own cover) never loads
 * it; one that does loads it on the thread that draws, not the one that
 * reads the chapters. */
static void
load_config(void)
{
    FcInit();
}

void
oc_fonts_lock(void)
{
    if (depth++ > 0)
        return;
    for (int i = 0; i < SPINS; i++)
        if (pthread_mutex_trylock(&fonts) == 0)
            goto held;
    pthread_mutex_lock(&fonts);
held:
    pthread_once(&loaded, load_config);
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
