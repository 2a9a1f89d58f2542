/* cli-args.c - the options each command takes, and argv read into an
 * oc_cli: "--name value", "--name=value", "-M key=value" or
 * "-Mkey=value", flags, "--" before an operand that starts with '-'. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "markdown.h"

typedef enum arg_kind { ARG_VALUE, ARG_FLAG, ARG_META, ARG_OUTPUT } arg_kind;

typedef struct arg_spec {
    const char *name;           /* "--epub" */
    const char *alias;          /* "-o", or NULL */
    arg_kind    kind;
    size_t      field;          /* offsetof in oc_cli: a string or a bool */
    const char *commands;       /* " build check ": the commands taking it */
} arg_spec;

#define VAL(n, a, f, cmds)  { n, a, ARG_VALUE, offsetof(oc_cli, f), cmds }
#define FLAG(n, a, f, cmds) { n, a, ARG_FLAG, offsetof(oc_cli, f), cmds }
#define BOOKS " build check preview "

static const arg_spec specs[] = {
    VAL("--epub", NULL, epub, " build "),
    VAL("--pdf", NULL, pdf, " build "),
    VAL("--out-dir", NULL, out_dir, " build "),
    {"--output", "-o", ARG_OUTPUT, 0, " build "},
    VAL("--out-dir", "-o", out_dir, " preview "),
    VAL("--pages", NULL, pages, " preview "),
    VAL("--dpi", NULL, dpi, " preview "),
    VAL("--data-dir", NULL, opt.data_dir, BOOKS),
    {"--meta", "-M", ARG_META, 0, BOOKS},
    VAL("--toc-depth", NULL, toc_depth, BOOKS),
    FLAG("--no-toc", NULL, no_toc, BOOKS),
    FLAG("--no-title-page", NULL, no_title_page, BOOKS),
    FLAG("--watch", "-w", watch, " build "),
    VAL("--title", NULL, title, " new "),
    VAL("--author", NULL, author, " new "),
    VAL("--language", NULL, language, " new "),
    FLAG("--quiet", "-q", quiet, " build check preview new "),
    FLAG("--verbose", "-v", verbose, BOOKS),
    FLAG("--help", "-h", help, " build check preview new "),
};

/* The option of c's command that 'a' names (its first n bytes), or
 * NULL. *attached is set when 'a' is a one-letter alias with its value
 * joined ("-Mtitle=X"). */
static const arg_spec *
find_spec(const oc_cli *c, const char *a, size_t n, bool *attached)
{
    char cmd[32];

    snprintf(cmd, sizeof cmd, " %s ", c->command);
    *attached = false;
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
        const arg_spec *s = &specs[i];

        if (strstr(s->commands, cmd) == NULL)
            continue;
        if (strlen(s->name) == n && strncmp(a, s->name, n) == 0)
            return s;
        if (s->alias == NULL)
            continue;
        if (strcmp(a, s->alias) == 0)
            return s;
        if (s->kind != ARG_FLAG && a[1] != '-' &&
            strncmp(a, s->alias, 2) == 0) {
            *attached = true;
            return s;
        }
    }
    return NULL;
}

static int
add_meta(oc_cli *c, const char *kv, const char *given)
{
    const char *eq = strchr(kv, '=');

    if (eq == NULL || eq == kv)
        return oc_cli_usage(c, "%s wants key=value, not '%s'", given, kv);
    /* Room is kept for the three options made into keys. */
    if (c->nmeta + (given[1] == 'M' ? 4 : 0) >= OC_CLI_MAX_META)
        return oc_cli_usage(c, "more than %d -M options",
                            OC_CLI_MAX_META - 4);
    c->meta[c->nmeta++] = kv;
    return 0;
}

/* -o FILE, as pandoc users write it: the EPUB or the PDF, by the file's
 * extension. */
static int
add_output(oc_cli *c, const char *file)
{
    const char *dot = strrchr(file, '.');
    const char **slot = NULL;

    if (dot != NULL && strchr(dot, '/') == NULL) {
        if (strcasecmp(dot, ".epub") == 0)
            slot = &c->epub;
        else if (strcasecmp(dot, ".pdf") == 0)
            slot = &c->pdf;
    }
    if (slot == NULL)
        return oc_cli_usage(c, "-o '%s': octavo writes a .epub or a .pdf "
                            "file", file);
    if (*slot != NULL)
        return oc_cli_usage(c, "two %s outputs: '%s' and '%s'", dot + 1,
                            *slot, file);
    *slot = file;
    return 0;
}

/* Whether 'path' names a chapter: Markdown, HTML or XHTML. */
static bool
is_chapter(const char *path)
{
    return oc_chapter_format_of(path) >= 0;
}

/* Chapter files given after a Markdown, HTML or XHTML book (as pandoc
 * takes them: octavo build a.md b.md c.html): the book's chapters, the
 * first one's front matter its metadata, as -M chapters=[...] says it.
 * The files are named from the first one's folder, which must hold
 * them. */
static int
more_to_meta(oc_cli *c)
{
    const char *slash = strrchr(c->book, '/');
    size_t dlen = slash ? (size_t)(slash - c->book) + 1 : 0, len = 0;
    char *m, *o;

    for (size_t i = 0; i < c->nmore; i++)
        len += 2 * strlen(c->more[i]) + 4;
    len += 2 * strlen(c->book) + 32;
    if ((m = malloc(len)) == NULL)
        return oc_cli_usage(c, "out of memory");
    o = m + sprintf(m, "chapters=[");
    for (size_t i = 0; i <= c->nmore; i++) {
        const char *f = i == 0 ? c->book : c->more[i - 1];

        if (strncmp(f, c->book, dlen) != 0 ||
            strchr(f + dlen, '/') != NULL) {
            free(m);
            return oc_cli_usage(c, "'%s' is not in the folder of '%s', "
                                "the book's first file", f, c->book);
        }
        *o++ = i ? ',' : '"';
        if (i)
            *o++ = '"';
        for (const char *p = f + dlen; *p; p++) {
            if (*p == '"' || *p == '\\')
                *o++ = '\\';
            *o++ = *p;
        }
        *o++ = '"';
    }
    strcpy(o, "]");
    c->chapters_meta = m;
    return add_meta(c, m, "-M");
}

/* The options that are manifest keys, after the -M ones (they win). */
static int
flags_to_meta(oc_cli *c)
{
    int rc = 0;

    if (c->nmore > 0 && (rc = more_to_meta(c)) != 0)
        return rc;

    if (c->toc_depth != NULL) {
        char *end;
        long d = strtol(c->toc_depth, &end, 10);

        if (end == c->toc_depth || *end != '\0' || d < 1 || d > 6)
            return oc_cli_usage(c, "bad --toc-depth '%s' (1 to 6)",
                                c->toc_depth);
        snprintf(c->toc_meta, sizeof c->toc_meta, "toc-depth=%ld", d);
        rc = add_meta(c, c->toc_meta, "--toc-depth");
    }
    if (rc == 0 && c->no_toc)
        rc = add_meta(c, "toc=false", "--no-toc");
    if (rc == 0 && c->no_title_page)
        rc = add_meta(c, "title-page=false", "--no-title-page");
    return rc;
}

/* Option argv[*i] (a known one, 's'): its value or flag into c. */
static int
take_option(oc_cli *c, const arg_spec *s, int argc, char **argv, int *i,
            bool attached)
{
    const char *a = argv[*i];
    const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
    const char *value;

    if (s->kind == ARG_FLAG) {
        if (eq != NULL)
            return oc_cli_usage(c, "'%s' takes no value", s->name);
        *(bool *)((char *)c + s->field) = true;
        return 0;
    }
    if (eq != NULL)
        value = eq + 1;
    else if (attached)
        value = a + 2;
    else if (*i + 1 < argc)
        value = argv[++*i];
    else
        return oc_cli_usage(c, "'%s' needs a value", a);
    if (s->kind == ARG_META)
        return add_meta(c, value, s->alias);
    if (s->kind == ARG_OUTPUT)
        return add_output(c, value);
    *(const char **)((char *)c + s->field) = value;
    return 0;
}

int
oc_cli_parse(oc_cli *c, int argc, char **argv)
{
    bool options_done = false;
    int rc;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const arg_spec *s;
        bool attached;
        size_t n;

        if (!options_done && strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (c->book != NULL && strcmp(c->command, "new") != 0 &&
                is_chapter(c->book) && is_chapter(a)) {
                c->more = realloc(c->more, (c->nmore + 1) * sizeof *c->more);
                if (c->more == NULL)
                    return oc_cli_usage(c, "out of memory");
                c->more[c->nmore++] = a;
                continue;
            }
            if (c->book != NULL)
                return oc_cli_usage(c, "more than one %s given ('%s')",
                                    strcmp(c->command, "new") == 0
                                        ? "folder" : "book", a);
            c->book = a;
            continue;
        }
        n = strncmp(a, "--", 2) == 0 && strchr(a, '=') != NULL
                ? (size_t)(strchr(a, '=') - a) : strlen(a);
        if ((s = find_spec(c, a, n, &attached)) == NULL)
            return oc_cli_usage(c, "unknown option '%.*s'", (int)n, a);
        if ((rc = take_option(c, s, argc, argv, &i, attached)) != 0)
            return rc;
    }
    if (c->help)
        return oc_cli_help(c->command) == 0 ? -1 : 2;
    if (c->book == NULL)
        return oc_cli_usage(c, "no %s given",
                            strcmp(c->command, "new") == 0 ? "folder"
                                                           : "book");
    return flags_to_meta(c);
}

void
oc_cli_done(oc_cli *c)
{
    free(c->more);
    free(c->chapters_meta);
    c->more = NULL;
    c->chapters_meta = NULL;
    c->nmore = 0;
}
