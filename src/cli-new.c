/* cli-new.c - octavo new DIR: a book that builds as it is, with a
 * book.yaml naming every manifest key (the optional ones commented),
 * two chapters, a copy of octavo's stylesheet and a README. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char manifest[] =
    "# The manifest of the book: what it is, and its chapters in reading\n"
    "# order. Build it with 'octavo build %s'. Paths are relative to this\n"
    "# file and stay inside its folder. Uncomment a key to use it.\n"
    "\n"
    "title: %s    # required\n"
    "# subtitle: A Subtitle\n"
    "%sauthor: [%s]    # or {name, file-as, role} mappings\n"
    "# contributors: [{name: A. Translator, role: trl}]  # MARC roles\n"
    "language: %s    # a BCP 47 tag\n"
    "# identifier: urn:isbn:9780000000000  # default: a UUID of the title\n"
    "# date: 2025-01-31\n"
    "# publisher: A Publisher\n"
    "# rights: All rights reserved.\n"
    "# description: What the book is about, for catalogues and readers.\n"
    "# subjects: [Fiction]\n"
    "# series: A Series\n"
    "# series-index: 1\n"
    "# cover: images/cover.jpg    # default: a cover drawn from the title\n"
    "stylesheet: [styles/book.css]   # adds to octavo's own stylesheet\n"
    "# default-stylesheet: false  # only the book's stylesheets\n"
    "# fonts: [fonts/MyFont-Regular.otf, fonts/MyFont-Italic.otf]\n"
    "# toc-depth: 2               # headings in the contents, 1 to 6\n"
    "# image-resolution: 300      # PNG pixels per inch the PDF keeps\n"
    "# page-list: true            # the EPUB cites the PDF's pages\n"
    "# toc: false                 # no table of contents page\n"
    "# title-page: false          # no title page (nor imprint)\n"
    "chapters:\n"
    "  - chapters/01-beginning.md\n"
    "  - chapters/02-going-on.md\n";

static const char chapter1[] =
    "# The Beginning\n"
    "\n"
    "This is the first chapter of *%s*. Chapters are Markdown: *emphasis*,\n"
    "**strong**, [links](https://commonmark.org), lists, tables, block\n"
    "quotes, code, and notes.[^1] In the PDF the paragraphs are justified\n"
    "and hyphenated; in the EPUB they flow as the reader likes.\n"
    "\n"
    "## A Section\n"
    "\n"
    "A second-level heading is a section; the contents list it too.\n"
    "\n"
    "- a list item\n"
    "- another one\n"
    "\n"
    "The story goes on in [the next chapter](02-going-on.md).\n"
    "\n"
    "[^1]: A note: at the foot of its page in the PDF, a pop-up in the\n"
    "    EPUB.\n";

static const char chapter2[] =
    "# Going On\n"
    "\n"
    "Each chapter opens on a new right-hand page of the PDF.\n"
    "\n"
    "| Chapter | File |\n"
    "|---------|------|\n"
    "| The Beginning | `chapters/01-beginning.md` |\n"
    "| Going On | `chapters/02-going-on.md` |\n"
    "\n"
    "> A block quote: someone else's words.\n"
    "\n"
    "Back to [the beginning](01-beginning.md#the-beginning).\n";

static const char readme[] =
    "# %s\n"
    "\n"
    "A book made with octavo. From this folder, build its EPUB and PDF\n"
    "with `octavo build .`, or keep them built as you write with\n"
    "`octavo build --watch .`; `octavo check .` reports problems without\n"
    "writing anything.\n";

static const char css[] =
    "/* The book's stylesheet, for the EPUB and the PDF. It adds to\n"
    " * octavo's own, which sets the type, the pages and the running heads;\n"
    " * what is written here wins. Some rules a book often changes: */\n"
    "\n"
    "/* The body type and its size (in the PDF, and in reading systems that\n"
    " * honour it):\n"
    "body {\n"
    "    font-family: \"EB Garamond\", serif;\n"
    "    font-size: 11pt;\n"
    "}\n"
    " */\n"
    "\n"
    "/* The PDF's page size and margins:\n"
    "@page {\n"
    "    size: 6in 9in;\n"
    "    margin: 0.75in 0.6in 0.9in 0.8in;\n"
    "}\n"
    " */\n"
    "\n"
    "/* Chapter titles:\n"
    "h1 {\n"
    "    font-style: normal;\n"
    "    letter-spacing: 0.05em;\n"
    "}\n"
    " */\n";

/* 'text' as a YAML double-quoted scalar, into buf. */
static const char *
yaml_quoted(const char *text, char *buf, size_t size)
{
    size_t k = 0;

    buf[k++] = '"';
    for (const char *p = text; *p && k + 3 < size; p++) {
        if (*p == '"' || *p == '\\')
            buf[k++] = '\\';
        buf[k++] = (unsigned char)*p < 0x20 ? ' ' : *p;
    }
    buf[k++] = '"';
    buf[k] = '\0';
    return buf;
}

/* A title from the folder's name: "my-first_book" -> "My first book". */
static void
title_from(const char *dir, char *buf, size_t size)
{
    const char *base = dir + strlen(dir);
    size_t k = 0;

    while (base > dir && base[-1] == '/')
        base--;
    const char *end = base;
    while (base > dir && base[-1] != '/')
        base--;
    for (const char *p = base; p < end && k + 1 < size; p++)
        buf[k++] = *p == '-' || *p == '_' ? ' ' : *p;
    buf[k] = '\0';
    if (k == 0 || strcmp(buf, ".") == 0 || strcmp(buf, "..") == 0)
        snprintf(buf, size, "Untitled");
    buf[0] = (char)toupper((unsigned char)buf[0]);
}

static int
fail(oc_cli *c, const char *file, const char *what, int e)
{
    oc_error err;

    memset(&err, 0, sizeof err);
    err.code = OC_ERR_IO;
    snprintf(err.file, sizeof err.file, "%s", file);
    snprintf(err.msg, sizeof err.msg, "%s%s%s", what, e ? ": " : "",
             e ? strerror(e) : "");
    return oc_cli_fail(c, &err);
}

/* Write DIR/name (a new file) from 'fmt' and its arguments. */
static int
put(oc_cli *c, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
put(oc_cli *c, const char *name, const char *fmt, ...)
{
    char path[4200];
    va_list ap;
    FILE *f;
    int bad;

    snprintf(path, sizeof path, "%s/%s", c->book, name);
    if ((f = fopen(path, "wx")) == NULL)
        return fail(c, path, "cannot write", errno);
    va_start(ap, fmt);
    bad = vfprintf(f, fmt, ap) < 0;
    va_end(ap);
    if (fclose(f) != 0 || bad)
        return fail(c, path, "cannot write", errno);
    return 0;
}

/* DIR may be made, or is an empty folder. */
static int
make_folders(oc_cli *c)
{
    const char *sub[] = {"", "/chapters", "/styles"};
    DIR *d = opendir(c->book);
    char path[4200];

    if (d != NULL) {
        struct dirent *e;
        bool empty = true;

        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                empty = false;
        closedir(d);
        if (!empty)
            return fail(c, c->book, "is not empty: a new book needs a new "
                        "or empty folder", 0);
    } else if (errno != ENOENT) {
        return fail(c, c->book, "cannot open", errno);
    }
    for (size_t i = 0; i < sizeof sub / sizeof *sub; i++) {
        snprintf(path, sizeof path, "%s%s", c->book, sub[i]);
        if (mkdir(path, 0777) != 0 && !(i == 0 && errno == EEXIST))
            return fail(c, path, "cannot make the folder", errno);
    }
    return 0;
}

int
oc_cli_new(oc_cli *c)
{
    char title[256], qtitle[520], qauthor[520], qlang[80];
    int rc;

    if (c->title != NULL)
        snprintf(title, sizeof title, "%s", c->title);
    else
        title_from(c->book, title, sizeof title);
    yaml_quoted(title, qtitle, sizeof qtitle);
    yaml_quoted(c->author ? c->author : "Your Name", qauthor,
                sizeof qauthor);
    yaml_quoted(c->language ? c->language : "en", qlang, sizeof qlang);
    if ((rc = make_folders(c)) != 0 ||
        (rc = put(c, "book.yaml", manifest, c->book, qtitle,
                  c->author ? "" : "# ", qauthor, qlang)) != 0 ||
        (rc = put(c, "chapters/01-beginning.md", chapter1, title)) != 0 ||
        (rc = put(c, "chapters/02-going-on.md", "%s", chapter2)) != 0 ||
        (rc = put(c, "styles/book.css", "%s", css)) != 0 ||
        (rc = put(c, "README.md", readme, title)) != 0)
        return rc;
    oc_cli_say(c, "made a new book in %s; build it with: octavo build %s",
               c->book, c->book);
    return 0;
}
