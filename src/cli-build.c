/* cli-build.c - the build, check and preview commands: a book loaded with
 * the command line's options, then written, laid out or rendered, and a
 * summary of what was made. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Print "file: error: msg" and return 1: a problem of the command's own
 * (a folder it cannot make), in the library's form. */
static int
cli_io_error(oc_cli *c, const char *file, const char *what)
{
    oc_error err;

    memset(&err, 0, sizeof err);
    err.code = OC_ERR_IO;
    snprintf(err.file, sizeof err.file, "%s", file);
    snprintf(err.msg, sizeof err.msg, "%s: %s", what, strerror(errno));
    return oc_cli_fail(c, &err);
}

/* Make folder 'dir' and those above it that are missing. */
static int
make_dirs(oc_cli *c, const char *dir)
{
    char *p = strdup(dir);
    int rc = 0;

    if (p == NULL)
        abort();
    for (char *s = p + 1;; s++) {
        char was = *s;

        if (was != '/' && was != '\0')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = cli_io_error(c, p, "cannot make the folder");
            break;
        }
        *s = was;
        if (was == '\0')
            break;
    }
    free(p);
    return rc;
}

/* "12,345" */
static const char *
grouped(size_t n, char buf[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%zu", n), k = 0;

    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
    return buf;
}

static const char *
shown(const char *path, const char *what)
{
    return strcmp(path, "-") == 0 ? what : path;
}

/* The closing line of a build, as cargo gives one: on a terminal, with
 * -v, or while watching; never with -q. */
static void
summary(const oc_cli *c, const oc_book *book, const char *what)
{
    char words[32], pages[64] = "", warnings[64] = "";

    if (c->quiet || !(c->tty || c->verbose || c->watch))
        return;
    if (oc_book_pages(book) > 0)
        snprintf(pages, sizeof pages, "%zu pages, ",
                 oc_book_pages(book));
    if (c->nwarnings > 0)
        snprintf(warnings, sizeof warnings, ", %u warning%s",
                 c->nwarnings, c->nwarnings == 1 ? "" : "s");
    oc_cli_line(true, "%s (%s%s words%s) in %.2f s", what, pages,
                grouped(oc_book_words(book), words), warnings,
                oc_cli_now() - c->start);
}

/* Load c->book with the command line's options. */
static int
load(oc_cli *c, oc_book **book)
{
    oc_error err = {0};
    double t0 = oc_cli_now();

    c->nerrors = 0;
    c->nwarnings = 0;
    c->start = t0;
    if (oc_book_load(c->book, &c->opt, book, &err) != OC_OK) {
        oc_cli_watch_inputs(c, NULL);
        return oc_cli_fail(c, &err);
    }
    oc_cli_watch_inputs(c, *book);
    oc_cli_note(c, "loaded %s in %.2f s%s", c->book, oc_cli_now() - t0,
                oc_book_packed(*book) ? " (its chapters kept packed)" : "");
    return 0;
}

/* Where the outputs go: as given, or the default names under the output
 * folder (made when missing). Sets *epub and *pdf; *owned holds what to
 * free. */
static int
outputs(oc_cli *c, const oc_book *book, const char **epub, const char **pdf,
        char **owned)
{
    const char *dir = c->out_dir != NULL ? c->out_dir : "";
    const char *sep = dir[0] != '\0' ? "/" : "";
    size_t n = strlen(dir) + strlen(oc_book_name(book)) + 8;
    int rc;

    *epub = c->epub;
    *pdf = c->pdf;
    if (c->out_dir != NULL && (rc = make_dirs(c, c->out_dir)) != 0)
        return rc;
    if (*epub != NULL || *pdf != NULL)
        return 0;
    if ((*owned = malloc(2 * n)) == NULL)
        abort();
    snprintf(*owned, n, "%s%s%s.epub", dir, sep, oc_book_name(book));
    snprintf(*owned + n, n, "%s%s%s.pdf", dir, sep, oc_book_name(book));
    *epub = *owned;
    *pdf = *owned + n;
    return 0;
}

/* One build of c->book, as the command line says. */
static int
build_once(oc_cli *c)
{
    oc_book *book = NULL;
    oc_error err = {0};
    const char *epub, *pdf;
    char *owned = NULL, what[1200];
    int rc;

    c->opt.for_epub = c->epub != NULL || c->pdf == NULL;
    c->opt.for_pdf = c->pdf != NULL || c->epub == NULL;
    c->opt.single_use = 1;              /* built once, then freed */
    if ((rc = load(c, &book)) != 0)
        return rc;
    if ((rc = outputs(c, book, &epub, &pdf, &owned)) == 0 &&
        oc_book_write(book, epub, pdf, &err) != OC_OK)
        rc = oc_cli_fail(c, &err);
    if (rc == 0) {
        snprintf(what, sizeof what, "wrote %s%s%s",
                 epub != NULL ? shown(epub, "the EPUB to standard output")
                              : "",
                 epub != NULL && pdf != NULL ? " and " : "",
                 pdf != NULL ? shown(pdf, "the PDF to standard output")
                             : "");
        summary(c, book, what);
    }
    if (c->watch)
        oc_book_free(book);
    else
        oc_book_leave(book);         /* the command ends with this build */
    free(owned);
    return rc;
}

int
oc_cli_build(oc_cli *c)
{
    bool to_stdout = (c->epub != NULL && strcmp(c->epub, "-") == 0) ||
                     (c->pdf != NULL && strcmp(c->pdf, "-") == 0);

    if (c->epub != NULL && c->pdf != NULL && strcmp(c->epub, "-") == 0 &&
        strcmp(c->pdf, "-") == 0)
        return oc_cli_usage(c, "only one output can go to standard output");
    if (to_stdout && c->watch)
        return oc_cli_usage(c, "--watch cannot write to standard output");
    if (to_stdout && isatty(STDOUT_FILENO))
        return oc_cli_usage(c, "standard output is a terminal: an EPUB "
                            "or PDF there would be noise (redirect it)");
    /* A reader gone (octavo build --epub - | head) is an error to
     * report, with the temporary file removed, not a silent death. */
    if (to_stdout)
        signal(SIGPIPE, SIG_IGN);
    if (c->watch)
        return oc_cli_watch(c, build_once);
    return build_once(c);
}

int
oc_cli_check(oc_cli *c)
{
    oc_book *book = NULL;
    oc_error err = {0};
    char what[1100];
    int rc;

    if ((rc = load(c, &book)) != 0)
        return rc;
    if (oc_book_check(book, &err) != OC_OK) {
        rc = oc_cli_fail(c, &err);
    } else {
        snprintf(what, sizeof what, "checked %s: %s", c->book,
                 c->nwarnings > 0 ? "no error" : "no problem");
        summary(c, book, what);
    }
    oc_book_free(book);
    return rc;
}

int
oc_cli_preview(oc_cli *c)
{
    oc_book *book = NULL;
    oc_error err = {0};
    double dpi = 100;
    int rc;

    if (c->out_dir == NULL)
        return oc_cli_usage(c, "no output folder given (-o DIR)");
    if (c->dpi != NULL) {
        char *end;

        dpi = strtod(c->dpi, &end);
        if (end == c->dpi || *end != '\0' || !(dpi >= 1 && dpi <= 600))
            return oc_cli_usage(c, "bad resolution '%s' (1 to 600 dpi)",
                                c->dpi);
    }
    if ((rc = load(c, &book)) != 0)
        return rc;
    if (oc_book_preview(book, c->out_dir, c->pages, dpi, &err) != OC_OK)
        rc = err.code == OC_ERR_USAGE ? oc_cli_usage(c, "%s", err.msg)
                                      : oc_cli_fail(c, &err);
    oc_book_free(book);
    return rc;
}
