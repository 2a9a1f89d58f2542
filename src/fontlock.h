/* fontlock.h - the one lock around the font machinery that octavo's
 * threads share.
 *
 * cairo 1.16 (its scaled fonts and their glyph caches, which evict each
 * other's pages across threads), Pango's font maps and fonts, FreeType
 * faces and fontconfig are not safe to use from two threads at once. Any
 * thread of octavo that calls into them holds this lock: the layout per
 * paragraph or block, the page painter per page, the cover for its whole
 * drawing. The lock is recursive, so a function that takes it may call
 * another that does. */
#ifndef OC_FONTLOCK_H
#define OC_FONTLOCK_H

#include <stdbool.h>

void oc_fonts_lock(void);
void oc_fonts_unlock(void);

/* Whether this thread holds the lock. */
bool oc_fonts_held(void);

#endif
