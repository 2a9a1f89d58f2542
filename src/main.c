/* main.c - the octavo command: argv -> a command (cli-*.c) -> exit
 * status, 0 success, 1 build error, 2 usage error; and the diagnostics,
 * printed on stderr as a compiler prints them. */
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "render.h"

static const struct command {
    const char *name;
    int       (*run)(oc_cli *c);
} commands[] = {
    {"build", oc_cli_build},
    {"check", oc_cli_check},
    {"preview", oc_cli_preview},
    {"new", oc_cli_new},
};

/* The progress line shows only once a build has taken this long
 * (seconds; OCTAVO_PROGRESS_AFTER sets another). */
#define PROGRESS_AFTER 2.0

/* Lines of the build come from more than one thread (warnings from the
 * painter, progress from the layout): one at a time, and each first
 * takes the progress line off the terminal. */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static bool progress_shown;

/* A line (fmt, ap; no newline) on stderr after "octavo: " when 'prefix'. */
static void
put_line(bool prefix, const char *fmt, va_list ap)
{
    pthread_mutex_lock(&out_lock);
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        progress_shown = false;
    }
    if (prefix)
        fputs("octavo: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    pthread_mutex_unlock(&out_lock);
}

void
oc_cli_line(bool prefix, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    put_line(prefix, fmt, ap);
    va_end(ap);
}

/* On a terminal, a long build's layout tells how far it is, on one line
 * that the next line of the build replaces (an oc_progress_fn). */
static void
show_progress(long pages, void *ctx)
{
    const oc_cli *c = ctx;
    const char *after = getenv("OCTAVO_PROGRESS_AFTER");
    double t = oc_cli_now() - c->start;

    if (t < (after != NULL ? atof(after) : PROGRESS_AFTER))
        return;
    pthread_mutex_lock(&out_lock);
    fprintf(stderr, "\r\033[Koctavo: laying out page %ld (%.0f s)", pages,
            t);
    progress_shown = true;
    pthread_mutex_unlock(&out_lock);
}

int
oc_cli_usage(const oc_cli *c, const char *fmt, ...)
{
    va_list ap;

    fputs("octavo: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (c != NULL && c->command != NULL)
        fprintf(stderr, "\nTry 'octavo %s --help' for more information.\n",
                c->command);
    else
        fputs("\nTry 'octavo --help' for more information.\n", stderr);
    return 2;
}

void
oc_cli_warning(const char *file, int line, int col, const char *msg,
               void *ctx)
{
    oc_cli *c = ctx;
    char text[1536];

    c->nwarnings++;
    if (c->quiet)
        return;
    oc_warning_format(file, line, col, msg, text, sizeof text);
    oc_cli_line(false, "%s", text);
}

void
oc_cli_error(oc_cli *c, const oc_error *err)
{
    char line[1024];

    c->nerrors++;
    oc_error_format(err, line, sizeof line);
    oc_cli_line(false, "%s", line);
}

/* The load's errors, as it finds them (an oc_error_fn). */
static void
print_error(const oc_error *err, void *ctx)
{
    oc_cli_error(ctx, err);
}

/* The build failed with 'err': printed unless it was already (the load
 * prints its errors as it finds them, and fails with the first), with
 * their count when there were more than one. */
int
oc_cli_fail(oc_cli *c, const oc_error *err)
{
    if (c->nerrors == 0)
        oc_cli_error(c, err);
    if (c->nerrors >= OC_MAX_ERRORS)
        oc_cli_line(true, "%u errors; stopped there", c->nerrors);
    else if (c->nerrors > 1)
        oc_cli_line(true, "%u errors", c->nerrors);
    return err->code == OC_ERR_USAGE ? 2 : 1;
}

void
oc_cli_note(const oc_cli *c, const char *fmt, ...)
{
    va_list ap;

    if (!c->verbose || c->quiet)
        return;
    va_start(ap, fmt);
    put_line(true, fmt, ap);
    va_end(ap);
}

void
oc_cli_say(const oc_cli *c, const char *fmt, ...)
{
    va_list ap;

    if (c->quiet)
        return;
    va_start(ap, fmt);
    put_line(true, fmt, ap);
    va_end(ap);
}

void
oc_cli_stage(const char *stage, const char *path, double seconds,
             void *ctx)
{
    const oc_cli *c = ctx;

    if (strcmp(stage, "layout") == 0)
        oc_cli_note(c, "laid out in %.2f s", seconds);
    else
        oc_cli_note(c, "made the %s %s in %.2f s",
                    strcmp(stage, "epub") == 0 ? "EPUB" : "PDF",
                    path == NULL || strcmp(path, "-") == 0
                        ? "for standard output" : path, seconds);
}

double
oc_cli_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    oc_cli c;
    int rc;

    memset(&c, 0, sizeof c);
    /* A book's pictures are decoded, scaled and compressed one after
     * another in buffers of megabytes: these stay in the heap between
     * one and the next instead of being mapped and unmapped each time
     * (every page of them faulted in again: a seventh of the time of a
     * book of photographs). */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    /* One heap for every thread: what the layout frees (a chapter's
     * document, its pools) the painter, the cover's drawing and the
     * mend use again, instead of each thread's heap growing apart (2 MiB
     * less at the peak of a 200,000-word book, its PDF or its EPUB, for
     * about 2 % more time). */
    mallopt(M_ARENA_MAX, 1);
    oc_render_init();
    if (argc < 2)
        return oc_cli_usage(NULL, "no command given");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return oc_cli_help(NULL);
    if (strcmp(argv[1], "help") == 0)
        return oc_cli_help(argc > 2 ? argv[2] : NULL);
    if (strcmp(argv[1], "--version") == 0) {
        printf("octavo %s\n", OC_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        c.command = commands[i].name;
        if ((rc = oc_cli_parse(&c, argc - 2, argv + 2)) != 0) {
            oc_cli_done(&c);
            return rc < 0 ? 0 : rc;
        }
        c.tty = isatty(STDERR_FILENO);
        c.opt.warn = oc_cli_warning;
        c.opt.warn_ctx = &c;
        c.opt.stage = oc_cli_stage;
        c.opt.stage_ctx = &c;
        if (c.tty && !c.quiet) {
            c.opt.progress = show_progress;
            c.opt.progress_ctx = &c;
        }
        c.opt.meta = c.meta;
        c.opt.nmeta = c.nmeta;
        c.opt.error = print_error;
        c.opt.error_ctx = &c;
        oc_guard_signals();
        rc = commands[i].run(&c);
        oc_cli_done(&c);
        return rc;
    }
    return oc_cli_usage(NULL, "unknown command '%s'", argv[1]);
}
