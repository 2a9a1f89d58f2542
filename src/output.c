/* output.c - write a book's EPUB and PDF together: checked before
 * anything is made, made whole under temporary names, and put in place
 * one right after the other only when both are complete, so that a failed
 * or interrupted build replaces neither. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book.h"
#include "buf.h"
#include "error.h"
#include "octavo.h"

/* Is the existing file at 'st' the input 'path'? */
static bool
same_file(const struct stat *st, const char *path)
{
    struct stat in;

    return path != NULL && stat(path, &in) == 0 && in.st_dev == st->st_dev &&
           in.st_ino == st->st_ino;
}

/* The file of one of the n resources that 'st' is, or NULL. */
static const char *
resource_at(const oc_resource *r, size_t n, const struct stat *st)
{
    for (size_t i = 0; i < n; i++)
        if (same_file(st, r[i].src))
            return r[i].src;
    return NULL;
}

/* The input of the book that 'st' is, or NULL. */
static const char *
input_at(const oc_book *b, const struct stat *st)
{
    const char *in;

    if (same_file(st, b->m->file))
        return b->m->file;
    for (size_t i = 0; i < b->nchapters; i++)
        if (same_file(st, b->chapters[i].file))
            return b->chapters[i].file;
    if ((in = resource_at(b->styles, b->nstyles, st)) == NULL &&
        (in = resource_at(b->images, b->nimages, st)) == NULL)
        in = resource_at(b->fonts, b->nfonts, st);
    return in;
}

/* May 'path' be written as an output of b? */
static oc_status
check_output(const oc_book *b, const char *path, oc_error *err)
{
    struct stat st;
    const char *in;

    if (path == NULL || stat(path, &st) != 0)
        return OC_OK;               /* nothing there yet */
    if (!S_ISREG(st.st_mode))
        return oc_error_set(err, OC_ERR_INVALID, path, 0, 0,
                            "refused as an output: it exists and is not a "
                            "regular file");
    if ((in = input_at(b, &st)) != NULL)
        return oc_error_set(err, OC_ERR_INVALID, path, 0, 0,
                            "refused as an output: it is '%s', an input of "
                            "the book", in);
    return OC_OK;
}

/* Do 'a' and 'b' name one file (the same name, or one existing file)? */
static bool
same_output(const char *a, const char *b)
{
    struct stat sa, sb;

    if (strcmp(a, b) == 0)
        return true;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static oc_status
write_outputs(const oc_book *b, const char *epub, const char *pdf,
              oc_error *err)
{
    oc_buf epart = {0}, ppart = {0};
    int eslot = -1, pslot = -1;
    oc_status st;

    if (epub != NULL && pdf != NULL && same_output(epub, pdf))
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "the EPUB and the PDF would both be '%s'", pdf);
    if ((st = check_output(b, epub, err)) != OC_OK ||
        (st = check_output(b, pdf, err)) != OC_OK)
        return st;
    if (epub == NULL || pdf == NULL)    /* one output: it is atomic alone */
        return epub != NULL ? oc_book_write_epub(b, epub, err)
                            : pdf != NULL ? oc_book_write_pdf(b, pdf, err)
                                          : OC_OK;
    oc_buf_printf(&epart, "%s.part", epub);
    oc_buf_printf(&ppart, "%s.part", pdf);
    eslot = oc_temp_guard(epart.data);
    pslot = oc_temp_guard(ppart.data);
    st = oc_book_write_epub(b, epart.data, err);
    if (st == OC_OK)
        st = oc_book_write_pdf(b, ppart.data, err);
    /* Both are whole: in place, one right after the other. */
    if (st == OC_OK && rename(epart.data, epub) != 0)
        st = oc_error_set(err, OC_ERR_IO, epub, 0, 0, "cannot write: %s",
                          strerror(errno));
    if (st == OC_OK && rename(ppart.data, pdf) != 0)
        st = oc_error_set(err, OC_ERR_IO, pdf, 0, 0, "cannot write: %s",
                          strerror(errno));
    if (st != OC_OK) {
        unlink(epart.data);
        unlink(ppart.data);
    }
    oc_temp_unguard(eslot);
    oc_temp_unguard(pslot);
    oc_buf_free(&epart);
    oc_buf_free(&ppart);
    return st;
}

oc_status
oc_book_write(const oc_book *b, const char *epub, const char *pdf,
              oc_error *err)
{
    oc_diag *prev = oc_book_enter(b);
    oc_status st = write_outputs(b, epub, pdf, err);

    oc_diag_leave(prev);
    return st;
}
