/* output.c - write a book's EPUB and PDF together: checked before
 * anything is made, made whole under temporary names, and put in place
 * one right after the other only when both are complete, so that a failed
 * or interrupted build replaces neither; or lay it out and write
 * nothing (oc_book_check). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "book.h"
#include "buf.h"
#include "error.h"
#include "layout.h"
#include "octavo.h"

static double
seconds_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Write one output with 'write' to 'path', timed; the stage callback is
 * told 'name', or "-" when that is 'tmp' (standing for standard
 * output). */
static oc_status
make_output(const oc_book *b, const char *stage,
            oc_status (*write)(const oc_book *, const char *, oc_error *),
            const char *path, const char *name, const char *tmp,
            oc_error *err)
{
    double t0 = seconds_now();
    oc_status st = write(b, path, err);

    /* An error names the output, not the name it is made under. */
    if (st != OC_OK && strcmp(err->file, path) == 0 && strcmp(path, name))
        snprintf(err->file, sizeof err->file, "%s", name);
    if (tmp != NULL && strcmp(name, tmp) == 0)
        name = "-";
    if (st == OC_OK && b->stage != NULL)
        b->stage(stage, name, seconds_now() - t0, b->stage_ctx);
    return st;
}

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

/* The folder of 'path' statted into *st, and where its last name
 * starts. */
static const char *
folder_stat(const char *path, struct stat *st, bool *ok)
{
    const char *slash = strrchr(path, '/');
    oc_buf dir = {0};

    if (slash == NULL)
        oc_buf_puts(&dir, ".");
    else
        oc_buf_put(&dir, path, slash == path ? 1 : (size_t)(slash - path));
    *ok = stat(dir.data, st) == 0;
    oc_buf_free(&dir);
    return slash ? slash + 1 : path;
}

/* Do 'a' and 'b' name one file: the same name, one existing file, or one
 * name in one folder however written ("out/x" and "./out/x" before either
 * exists)? */
static bool
same_output(const char *a, const char *b)
{
    struct stat sa, sb;
    const char *na, *nb;
    bool oka, okb;

    if (strcmp(a, b) == 0)
        return true;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    na = folder_stat(a, &sa, &oka);
    nb = folder_stat(b, &sb, &okb);
    return oka && okb && strcmp(na, nb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* May the temporary file 'tmp' of output 'path' be made? Not when it is
 * an input of the book, which renaming it into place would take away. */
static oc_status
check_temporary(const oc_book *b, const char *path, const char *tmp,
                oc_error *err)
{
    struct stat st;
    const char *in;

    if (stat(tmp, &st) != 0 || (in = input_at(b, &st)) == NULL)
        return OC_OK;
    return oc_error_set(err, OC_ERR_INVALID, path, 0, 0,
                        "refused as an output: its temporary file '%s' is "
                        "'%s', an input of the book", tmp, in);
}

/* The checks of check_output and check_temporary for output 'path',
 * made under the name 'part' (NULL: under its own), whose temporary
 * file is that name and ".tmp". */
static oc_status
check_names(const oc_book *b, const char *path, const char *part,
            oc_error *err)
{
    oc_buf tmp = {0};
    oc_status st;

    oc_buf_printf(&tmp, "%s.tmp", part != NULL ? part : path);
    if ((st = check_output(b, path, err)) == OC_OK && part != NULL)
        st = check_temporary(b, path, part, err);
    if (st == OC_OK)
        st = check_temporary(b, path, tmp.data, err);
    oc_buf_free(&tmp);
    return st;
}

static oc_status
write_outputs(const oc_book *b, const char *epub, const char *pdf,
              const char *tmp, oc_error *err)
{
    oc_buf epart = {0}, ppart = {0};
    int eslot = -1, pslot = -1;
    oc_status st;

    if (epub != NULL && pdf != NULL && same_output(epub, pdf))
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "the EPUB and the PDF would both be '%s'", pdf);
    if (epub == NULL && pdf == NULL)
        return OC_OK;
    if (epub == NULL || pdf == NULL) {  /* one output: it is atomic alone */
        if ((st = check_names(b, epub ? epub : pdf, NULL, err)) != OC_OK)
            return st;
        return epub != NULL
                   ? make_output(b, "epub", oc_book_write_epub, epub, epub,
                                 tmp, err)
                   : make_output(b, "pdf", oc_book_write_pdf, pdf, pdf,
                                 tmp, err);
    }
    oc_buf_printf(&epart, "%s.part", epub);
    oc_buf_printf(&ppart, "%s.part", pdf);
    if (same_output(epart.data, pdf) || same_output(ppart.data, epub))
        st = oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                          "the EPUB and the PDF cannot be '%s' and '%s': "
                          "one is made under the other's name and '.part'",
                          epub, pdf);
    else if ((st = check_names(b, epub, epart.data, err)) == OC_OK)
        st = check_names(b, pdf, ppart.data, err);
    if (st != OC_OK) {
        oc_buf_free(&epart);
        oc_buf_free(&ppart);
        return st;
    }
    eslot = oc_temp_guard(epart.data);
    pslot = oc_temp_guard(ppart.data);
    st = make_output(b, "epub", oc_book_write_epub, epart.data, epub, tmp,
                     err);
    if (st == OC_OK)
        st = make_output(b, "pdf", oc_book_write_pdf, ppart.data, pdf, tmp,
                         err);
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

/* Copy the file at 'path' to standard output. */
static oc_status
copy_out(const char *path, oc_error *err)
{
    char buf[65536];
    int fd = open(path, O_RDONLY), e = 0;
    ssize_t n;

    if (fd < 0)
        return oc_error_set(err, OC_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        for (ssize_t done = 0, w; n > 0 && done < n; done += w)
            if ((w = write(STDOUT_FILENO, buf + done,
                           (size_t)(n - done))) < 0) {
                if (errno == EINTR) {
                    w = 0;
                    continue;
                }
                n = -1;
                break;
            }
        if (n < 0) {
            e = errno;
            break;
        }
    }
    close(fd);
    if (n < 0)
        return oc_error_set(err, OC_ERR_IO, NULL, 0, 0,
                            "cannot write to standard output: %s",
                            strerror(e));
    return OC_OK;
}

/* An output of "-" is standard output: made whole in a temporary file
 * first, so that a failed build writes nothing there, then copied. */
static oc_status
write_to_stdout(const oc_book *b, const char *epub, const char *pdf,
                oc_error *err)
{
    const char *dir = getenv("TMPDIR");
    oc_buf tmp = {0};
    int fd, slot;
    oc_status st;

    if (epub != NULL && pdf != NULL && strcmp(epub, pdf) == 0)
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "only one output can go to standard output");
    oc_buf_printf(&tmp, "%s/octavo-XXXXXX",
                  dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    if ((fd = mkstemp(tmp.data)) < 0) {
        st = oc_error_set(err, OC_ERR_IO, tmp.data, 0, 0,
                          "cannot make a temporary file: %s",
                          strerror(errno));
        oc_buf_free(&tmp);
        return st;
    }
    close(fd);
    slot = oc_temp_guard(tmp.data);
    st = write_outputs(b, epub != NULL && strcmp(epub, "-") == 0
                              ? tmp.data : epub,
                       pdf != NULL && strcmp(pdf, "-") == 0 ? tmp.data : pdf,
                       tmp.data, err);
    if (st == OC_OK)
        st = copy_out(tmp.data, err);
    unlink(tmp.data);
    oc_temp_unguard(slot);
    oc_buf_free(&tmp);
    return st;
}

oc_status
oc_book_write(const oc_book *b, const char *epub, const char *pdf,
              oc_error *err)
{
    oc_diag *prev = oc_book_enter(b);
    oc_status st;

    if ((epub != NULL && strcmp(epub, "-") == 0) ||
        (pdf != NULL && strcmp(pdf, "-") == 0))
        st = write_to_stdout(b, epub, pdf, err);
    else
        st = write_outputs(b, epub, pdf, NULL, err);
    oc_diag_leave(prev);
    return st;
}

oc_status
oc_book_check(const oc_book *b, oc_error *err)
{
    oc_diag *prev = oc_book_enter(b);
    oc_layout *lay = NULL;
    double t0 = seconds_now();
    oc_status st = oc_layout_book(b, NULL, &lay, err);

    if (st == OC_OK) {
        *b->npages = oc_layout_pages(lay)->npages;
        if (b->stage != NULL)
            b->stage("layout", NULL, seconds_now() - t0, b->stage_ctx);
    }
    oc_layout_free(lay);
    oc_diag_leave(prev);
    return st;
}
