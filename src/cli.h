/* cli.h - the octavo command, private to its files: main.c (commands,
 * diagnostics), cli-args.c (options), cli-build.c (build, check,
 * preview), cli-watch.c (build --watch), cli-new.c (new), cli-help.c
 * (help texts). Only these files print; they reach the library through
 * octavo.h alone. */
#ifndef OC_CLI_H
#define OC_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "octavo.h"

enum { OC_CLI_MAX_META = 64 };  /* -M options and the flags made into them */

/* One run of the command: what its command line asked for, and what its
 * diagnostics have been so far. */
typedef struct oc_cli {
    const char *command;        /* "build", "check", "preview", "new" */
    const char *book;           /* the operand: a book, or new's folder */
    const char **more;          /* Markdown files after a Markdown book's
                                   (malloc'd): its next chapters */
    size_t      nmore;
    char       *chapters_meta;  /* "chapters=[...]" made of them */
    const char *epub, *pdf;     /* --epub, --pdf: a path, or "-" */
    const char *out_dir;        /* --out-dir (build), -o (preview) */
    const char *pages, *dpi;    /* preview */
    const char *toc_depth;      /* --toc-depth N */
    const char *title, *author, *language;          /* new */
    const char *meta[OC_CLI_MAX_META];  /* "key=value": -M, then flags */
    size_t      nmeta;
    char        toc_meta[32];   /* "toc-depth=N", from --toc-depth */
    bool        no_toc, no_title_page, watch, quiet, verbose, help;
    oc_options  opt;            /* with the sinks below set */
    bool        tty;            /* stderr is a terminal */
    unsigned    nerrors;        /* errors printed by this build */
    unsigned    nwarnings;      /* warnings of this build */
    double      start;          /* when this build began (oc_cli_now) */
    struct oc_cli_watch *watching;  /* build --watch's (cli-watch.c) */
} oc_cli;

/* Parse the options of c->command from argv[0..argc) into c, and its
 * operand into c->book. Returns 0, or the exit status of the usage error
 * it printed; with --help, prints the command's help and returns -1. */
int oc_cli_parse(oc_cli *c, int argc, char **argv);

/* Free what oc_cli_parse allocated in c. */
void oc_cli_done(oc_cli *c);

/* The commands; each returns the exit status. */
int oc_cli_build(oc_cli *c);
int oc_cli_check(oc_cli *c);
int oc_cli_preview(oc_cli *c);
int oc_cli_new(oc_cli *c);

/* build --watch: build, then again whenever an input changes, until
 * SIGINT, SIGTERM or SIGHUP. 'build' makes one build of c. */
int oc_cli_watch(oc_cli *c, int (*build)(oc_cli *c));

/* While watching: the inputs of the book a build just loaded (NULL: it
 * could not load it). */
void oc_cli_watch_inputs(oc_cli *c, const oc_book *b);

/* The help of 'command' (NULL: the general one) on stdout; 0, or 2 for a
 * command octavo has not got. */
int oc_cli_help(const char *command);

/* Diagnostics, on stderr (main.c). */
int  oc_cli_usage(const oc_cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));      /* returns 2 */
void oc_cli_warning(const char *file, int line, int col, const char *msg,
                    void *ctx);                 /* an oc_warn_fn */
void oc_cli_stage(const char *stage, const char *path, double seconds,
                  void *ctx);                   /* an oc_stage_fn */
void oc_cli_error(oc_cli *c, const oc_error *err);
int  oc_cli_fail(oc_cli *c, const oc_error *err);   /* returns 1 or 2 */
void oc_cli_note(const oc_cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));      /* with -v only */
void oc_cli_say(const oc_cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));      /* unless -q */
void oc_cli_line(bool prefix, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));      /* always; "octavo: "
                                                   first when 'prefix' */
double oc_cli_now(void);                        /* monotonic seconds */

#endif
