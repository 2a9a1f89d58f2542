/* pdfform.h - what only cairo draws (an SVG picture, by librsvg; a
 * glyph the font lacks, which Pango draws as a box with its code) in a
 * PDF that octavo writes itself (pdfw.h): drawn by cairo into a one-page
 * PDF in memory, whose page's content and every object it uses (fonts,
 * images, patterns, graphics states) are copied into the file,
 * renumbered, as a form XObject (ISO 32000-1 §8.10). */
#ifndef OC_PDFFORM_H
#define OC_PDFFORM_H

#include <cairo.h>

#include "octavo.h"
#include "pdfw.h"

/* Draws on 'cr' in points, the origin at the top left (cairo's). */
typedef void (*oc_pdfform_draw_fn)(cairo_t *cr, void *ctx);

/* Draw with 'draw' (called once, with 'ctx') on a page 'width' by
 * 'height' pt and write it to 'w' as a form XObject whose /BBox is
 * [0 0 width height] in its own space (the PDF's, origin at the bottom
 * left), *ref its object number: painted with "/Name Do" under a 'cm'
 * that places that box on the page. The caller holds the font lock
 * (fontlock.h) when 'draw' uses fonts. */
oc_status oc_pdfform_write(oc_pdfw *w, double width, double height,
                           oc_pdfform_draw_fn draw, void *ctx, long *ref,
                           oc_error *err);

#endif
