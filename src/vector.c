/* vector.c - librsvg, opened when a book first shows an SVG picture.
 * Linked at start-up, librsvg (and the libraries only it uses) cost
 * every build about 2 MB of memory and their relocations, books with no
 * SVG included; opened here, they cost only the books that draw one. */
#include "vector.h"

#include <pthread.h>

#include "dynlib.h"

/* librsvg's soname on every platform octavo builds on (Debian's
 * librsvg2-2, which librsvg2-dev installs). */
#define RSVG_SONAME "librsvg-2.so.2"

static struct {
    __typeof__(&rsvg_handle_new_from_data)                 new_from_data;
    __typeof__(&rsvg_handle_set_dpi)                       set_dpi;
    __typeof__(&rsvg_handle_get_intrinsic_size_in_pixels)  size_in_pixels;
    __typeof__(&rsvg_handle_get_intrinsic_dimensions)      dimensions;
    __typeof__(&rsvg_handle_render_document)               render;
    const char *error;      /* why it could not be opened, or NULL */
} rsvg;
static pthread_once_t opened = PTHREAD_ONCE_INIT;

static void
open_rsvg(void)
{
    const char *why = NULL;
    void *lib = oc_dynlib_open(RSVG_SONAME, &why);

    if (lib == NULL) {
        rsvg.error = "librsvg (" RSVG_SONAME ") cannot be opened";
        return;
    }
    *(void **)&rsvg.new_from_data =
        oc_dynlib_symbol(lib, "rsvg_handle_new_from_data", &why);
    *(void **)&rsvg.set_dpi = oc_dynlib_symbol(lib, "rsvg_handle_set_dpi",
                                               &why);
    *(void **)&rsvg.size_in_pixels =
        oc_dynlib_symbol(lib, "rsvg_handle_get_intrinsic_size_in_pixels",
                         &why);
    *(void **)&rsvg.dimensions =
        oc_dynlib_symbol(lib, "rsvg_handle_get_intrinsic_dimensions", &why);
    *(void **)&rsvg.render = oc_dynlib_symbol(lib,
                                              "rsvg_handle_render_document",
                                              &why);
    if (why != NULL)
        rsvg.error = "librsvg lacks a function octavo needs";
}

RsvgHandle *
oc_vector_open(const void *data, size_t len, double *width, double *height,
               const char **why)
{
    GError *gerr = NULL;
    RsvgHandle *h;
    gboolean hw, hh, hv;
    RsvgLength lw, lh;
    RsvgRectangle vb;

    pthread_once(&opened, open_rsvg);
    if (rsvg.error != NULL) {
        *why = rsvg.error;
        return NULL;
    }
    h = rsvg.new_from_data((const guint8 *)data, len, &gerr);
    if (h == NULL) {
        *why = "librsvg cannot read it";
        g_clear_error(&gerr);
        return NULL;
    }
    rsvg.set_dpi(h, 96);
    if (!rsvg.size_in_pixels(h, width, height)) {
        rsvg.dimensions(h, &hw, &lw, &hh, &lh, &hv, &vb);
        *width = 300;
        *height = hv && vb.width > 0 && vb.height > 0
                      ? 300 * vb.height / vb.width : 150;
    }
    return h;
}

void
oc_vector_draw(RsvgHandle *h, cairo_t *cr, double x, double y, double w,
               double hgt)
{
    RsvgRectangle vp = { x, y, w, hgt };

    rsvg.render(h, cr, &vp, NULL);
}
