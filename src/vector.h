/* vector.h - SVG pictures drawn as vectors by librsvg, which is opened
 * (dlopen) the first time a book has one: a book without SVG pictures
 * never maps librsvg nor what only it needs. */
#ifndef OC_VECTOR_H
#define OC_VECTOR_H

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <stddef.h>

/* The SVG image of 'len' bytes at 'data' and its size in CSS pixels (at
 * 96 dpi; CSS's default object size of 300 x 150, or 300 wide in its
 * view box's proportions, when it has no absolute size); NULL, with
 * *why set, when librsvg cannot be opened or cannot read it. The handle
 * is released with g_object_unref. Safe on any thread. */
RsvgHandle *oc_vector_open(const void *data, size_t len, double *width,
                           double *height, const char **why);

/* Draw 'h' into the rectangle at x, y of w x h on 'cr'. */
void oc_vector_draw(RsvgHandle *h, cairo_t *cr, double x, double y,
                    double w, double hgt);

#endif
