/* main.c - the octavo command: argv -> oc_* calls -> exit status.
 * 0 success, 1 build error, 2 usage error. Only this file prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "octavo.h"

static const char usage_text[] =
    "usage: octavo build [--epub FILE] [--pdf FILE] [--out-dir DIR]\n"
    "                    [--data-dir DIR] BOOK\n"
    "       octavo preview [--pages LIST] [--dpi N] [--data-dir DIR]\n"
    "                      -o DIR BOOK\n"
    "       octavo --help | --version\n"
    "\n"
    "BOOK is a book.yaml manifest, or a Markdown file with a YAML front\n"
    "matter block. With neither --epub nor --pdf, both are written as\n"
    "DIR/NAME.epub and DIR/NAME.pdf (DIR: --out-dir, default '.'; NAME:\n"
    "the manifest's file name, or its folder's for book.yaml).\n"
    "preview renders pages of the PDF as DIR/page-NNN.png.\n"
    "\n"
    "  --epub FILE      write the EPUB 3 to FILE\n"
    "  --pdf FILE       write the PDF to FILE\n"
    "  --out-dir DIR    folder for the default output names\n"
    "  --data-dir DIR   folder holding styles/ (default: the installed one)\n"
    "  --pages LIST     pages to preview, e.g. 1-3,7 (default: 1-4)\n"
    "  --dpi N          preview resolution, 1 to 600 (default: 100)\n"
    "  -o DIR           folder for the previews (created if missing)\n"
    "  --help           show this help\n"
    "  --version        show the version\n";

static int
usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "octavo: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'octavo --help' for more information.\n");
    return 2;
}

/* Every warning of the book, as it comes. */
static void
print_warning(const char *file, int line, int col, const char *msg,
              void *ctx)
{
    char text[1536];

    (void)ctx;
    oc_warning_format(file, line, col, msg, text, sizeof text);
    fprintf(stderr, "%s\n", text);
}

static int
report(const oc_error *err)
{
    char line[1024];

    oc_error_format(err, line, sizeof line);
    fprintf(stderr, "%s\n", line);
    return err->code == OC_ERR_USAGE ? 2 : 1;
}

typedef struct option_slot {
    const char  *name;          /* "--epub" */
    const char  *alias;         /* "-o", or NULL */
    const char **value;         /* where the option's value goes */
} option_slot;

/* Options that each take a value, and one operand, the book. Returns 0,
 * or the exit status of the usage error it reported. */
static int
parse_args(int argc, char **argv, const option_slot *opts, size_t nopts,
           const char **book)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;

        for (size_t k = 0; k < nopts && slot == NULL; k++)
            if (strcmp(a, opts[k].name) == 0 ||
                (opts[k].alias != NULL && strcmp(a, opts[k].alias) == 0))
                slot = opts[k].value;
        if (slot == NULL) {
            if (a[0] == '-' && a[1] != '\0')
                return usage_error("unknown option '%s'", a);
            if (*book != NULL)
                return usage_error("more than one book given ('%s')", a);
            *book = a;
            continue;
        }
        if (++i == argc)
            return usage_error("'%s' needs a value", a);
        *slot = argv[i];
    }
    if (*book == NULL)
        return usage_error("%s", "no book given");
    return 0;
}

static int
build(int argc, char **argv)
{
    const char *epub = NULL, *pdf = NULL, *dir = ".", *book_path = NULL;
    oc_options opt = { .warn = print_warning };
    oc_error err = {0};
    oc_book *book = NULL;
    char *epub_def = NULL, *pdf_def = NULL;
    int rc = 0;
    const option_slot opts[] = {
        {"--epub", NULL, &epub},          {"--pdf", NULL, &pdf},
        {"--out-dir", NULL, &dir},        {"--data-dir", NULL, &opt.data_dir},
    };

    if ((rc = parse_args(argc, argv, opts, sizeof opts / sizeof *opts,
                         &book_path)) != 0)
        return rc;
    opt.for_epub = epub != NULL || pdf == NULL;
    if (oc_book_load(book_path, &opt, &book, &err) != OC_OK)
        return report(&err);
    if (epub == NULL && pdf == NULL) {
        size_t n = strlen(dir) + strlen(oc_book_name(book)) + 8;

        epub = epub_def = malloc(n);
        pdf = pdf_def = malloc(n);
        if (epub_def == NULL || pdf_def == NULL) {
            fprintf(stderr, "octavo: out of memory\n");
            abort();
        }
        snprintf(epub_def, n, "%s/%s.epub", dir, oc_book_name(book));
        snprintf(pdf_def, n, "%s/%s.pdf", dir, oc_book_name(book));
    }
    if (oc_book_write(book, epub, pdf, &err) != OC_OK)
        rc = report(&err);
    oc_book_free(book);
    free(epub_def);
    free(pdf_def);
    return rc;
}

static int
preview(int argc, char **argv)
{
    const char *dir = NULL, *pages = NULL, *dpi_text = NULL;
    const char *book_path = NULL;
    oc_options opt = { .warn = print_warning };
    oc_error err = {0};
    oc_book *book = NULL;
    double dpi = 100;
    int rc = 0;
    const option_slot opts[] = {
        {"--out-dir", "-o", &dir},        {"--pages", NULL, &pages},
        {"--dpi", NULL, &dpi_text},       {"--data-dir", NULL, &opt.data_dir},
    };

    if ((rc = parse_args(argc, argv, opts, sizeof opts / sizeof *opts,
                         &book_path)) != 0)
        return rc;
    if (dir == NULL)
        return usage_error("%s", "no output folder given (-o DIR)");
    if (dpi_text != NULL) {
        char *end;

        dpi = strtod(dpi_text, &end);
        if (end == dpi_text || *end != '\0' || !(dpi >= 1 && dpi <= 600))
            return usage_error("bad resolution '%s' (1 to 600 dpi)",
                               dpi_text);
    }
    if (oc_book_load(book_path, &opt, &book, &err) != OC_OK)
        return report(&err);
    if (oc_book_preview(book, dir, pages, dpi, &err) != OC_OK)
        rc = err.code == OC_ERR_USAGE ? usage_error("%s", err.msg)
                                      : report(&err);
    oc_book_free(book);
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "no command given");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("octavo %s\n", OC_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "build") == 0) {
        oc_guard_signals();
        return build(argc - 2, argv + 2);
    }
    if (strcmp(argv[1], "preview") == 0) {
        oc_guard_signals();
        return preview(argc - 2, argv + 2);
    }
    return usage_error("unknown command '%s'", argv[1]);
}
