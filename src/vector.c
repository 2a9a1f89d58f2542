/* vector.c - librsvg, opened when a book first shows an SVG picture.
 * Linked at start-up, librsvg (and the libraries only it uses) cost
 * every build about 2 MB of memory and their relocations, books with no
 * SVG included; opened here, they cost only the books that draw one. */
#include "vector.h"

#include <dlfcn.h>
#include <pthread.h>

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

static void *
symbol(void *lib, const char *name)
{
    void *p = dlsym(lib, name);

    if (p == NULL && rsvg.error == NULL)
        rsvg.error = "librsvg lacks a function octavo needs";
    return p;
}

static void
open_rsvg(void)
{
    /* Never closed: its GObject types stay registered for the process. */
    void *lib = dlopen(RSVG_SONAME, RTLD_NOW | RTLD_LOCAL);

    if (lib == NULL) {
        rsvg.error = "librsvg (" RSVG_SONAME ") cannot be opened";
        return;
    }
    *(void **)&rsvg.new_from_data = symbol(lib, "rsvg_handle_new_from_data");
    *(void **)&rsvg.set_dpi = symbol(lib, "rsvg_handle_set_dpi");
    *(void **)&rsvg.size_in_pixels =
        symbol(lib, "rsvg_handle_get_intrinsic_size_in_pixels");
    *(void **)&rsvg.dimensions =
        symbol(lib, "rsvg_handle_get_intrinsic_dimensions");
    *(void **)&rsvg.render = symbol(lib, "rsvg_handle_render_document");
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
