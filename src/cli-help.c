/* cli-help.c - what 'octavo --help' and 'octavo COMMAND --help' print. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char general[] =
    "usage: octavo COMMAND [OPTIONS] BOOK\n"
    "\n"
    "octavo turns a book manuscript (Markdown or XHTML chapters and a\n"
    "book.yaml manifest) into an EPUB 3 and a print PDF.\n"
    "\n"
    "Commands:\n"
    "  new DIR         make a new book in DIR, ready to build\n"
    "  build BOOK      write the book's EPUB and PDF\n"
    "  check BOOK      report every problem a build would find, writing\n"
    "                  nothing\n"
    "  preview BOOK    render pages of the PDF as PNG images\n"
    "  help [COMMAND]  show this help, or a command's\n"
    "\n"
    "BOOK is a book.yaml manifest, a folder that holds one, a Markdown\n"
    "file (with a YAML front matter block, or without: then its first\n"
    "heading is its title) or an HTML or XHTML file (titled by its\n"
    "<title>); more such files after it, of its folder, are its next\n"
    "chapters (octavo build a.md b.md -o book.pdf).\n"
    "\n"
    "  -h, --help      show this help\n"
    "  --version       show the version\n"
    "\n"
    "Start with:  octavo new mybook && octavo build mybook\n"
    "'octavo COMMAND --help' shows a command's options; 'man octavo' has\n"
    "the rest. Exit status: 0 success, 1 build error, 2 usage error.\n";

#define BOOK_OPTIONS \
    "  -M, --meta KEY=VALUE  set a manifest key, over book.yaml's\n" \
    "                      (-M title=\"A Title\" -M language=fr)\n" \
    "  --toc-depth N       headings in the contents: 1 to 6\n" \
    "  --no-toc            no table of contents page\n" \
    "  --no-title-page     no title page (nor, in the PDF, its imprint)\n" \
    "  --data-dir DIR      a folder whose styles/ replaces octavo's own\n" \
    "                      (also $OCTAVO_DATA_DIR)\n" \
    "  -q, --quiet         no warnings, no summary\n" \
    "  -v, --verbose       each stage and its time, and a summary\n" \
    "  -h, --help          show this help\n"

static const char build[] =
    "usage: octavo build [OPTIONS] BOOK\n"
    "\n"
    "Write BOOK as an EPUB 3 and a PDF. With neither --epub nor --pdf,\n"
    "both are written, as DIR/NAME.epub and DIR/NAME.pdf (DIR: --out-dir,\n"
    "default '.'; NAME: the manifest's file name, or its folder's for\n"
    "book.yaml). Each output is put in place only when the whole build\n"
    "succeeded. On a terminal (or with -v) a summary follows: the files\n"
    "written, pages, words and time.\n"
    "\n"
    "  --epub FILE         write the EPUB to FILE ('-': standard output)\n"
    "  --pdf FILE          write the PDF to FILE ('-': standard output)\n"
    "  -o, --output FILE   write FILE, the EPUB or the PDF by its\n"
    "                      extension (.epub, .pdf); twice for both\n"
    "  --out-dir DIR       folder for the default names, made if missing\n"
    "  -w, --watch         build, then again whenever an input changes,\n"
    "                      until Ctrl-C; a failed build keeps the last\n"
    "                      good outputs\n"
    BOOK_OPTIONS;

static const char check[] =
    "usage: octavo check [OPTIONS] BOOK\n"
    "\n"
    "Load and lay out BOOK as a build would and report every problem the\n"
    "build would (errors, warnings: broken links, images without alt\n"
    "text, unknown keys, CSS octavo does not read...), writing nothing.\n"
    "Exit status as build's: 1 if there is an error.\n"
    "\n"
    BOOK_OPTIONS;

static const char preview[] =
    "usage: octavo preview [OPTIONS] -o DIR BOOK\n"
    "\n"
    "Lay BOOK out as for its PDF and write the chosen pages as PNG images,\n"
    "DIR/page-NNN.png.\n"
    "\n"
    "  -o, --out-dir DIR   folder for the images (made if missing)\n"
    "  --pages LIST        pages, like 1-3,7 (default: the first four)\n"
    "  --dpi N             resolution, 1 to 600 (default: 100)\n"
    BOOK_OPTIONS;

static const char new_text[] =
    "usage: octavo new [OPTIONS] DIR\n"
    "\n"
    "Make a new book in DIR (which must not exist, or be empty): a\n"
    "book.yaml naming every manifest key, two chapters, a stylesheet (a\n"
    "copy of octavo's own) and a README. It builds as it is:\n"
    "\n"
    "    octavo new mybook && octavo build mybook\n"
    "\n"
    "  --title TITLE       the book's title (default: from DIR's name)\n"
    "  --author NAME       its author\n"
    "  --language TAG      its language, a BCP 47 tag (default: en)\n"
    "  -q, --quiet         say nothing when done\n"
    "  -h, --help          show this help\n";

int
oc_cli_help(const char *command)
{
    static const struct {
        const char *name;
        const char *text;
    } texts[] = {
        {"build", build}, {"check", check}, {"preview", preview},
        {"new", new_text},
    };

    if (command == NULL || strcmp(command, "help") == 0) {
        fputs(general, stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (strcmp(command, texts[i].name) == 0) {
            fputs(texts[i].text, stdout);
            return 0;
        }
    return oc_cli_usage(NULL, "unknown command '%s'", command);
}
