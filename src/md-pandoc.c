/* md-pandoc.c - pandoc's Markdown that cmark-gfm does not read, rewritten
 * into what it does before it parses a chapter: a YAML or TOML (Hugo's)
 * metadata block at the top (dropped), fenced divs (::: {.note} ... :::,
 * as HTML blocks that markdown.c nests), line blocks (| verse, as lines
 * with hard breaks in a div of class line-block), grid tables (as pipe
 * tables, or HTML tables of Markdown cells when a cell holds blocks), a
 * page break alone on its line (\newpage, \pagebreak, \clearpage),
 * inline notes (^[text], as footnotes defined at the chapter's end) and
 * ^super^ and ~sub~ scripts (as spans that markdown.c makes <sup> and
 * <sub>), fancy list markers (A. i) #. (@label), as decimal ones with the
 * list's kind on their line) and '~' definitions. Code, fenced or in
 * backticks, is left alone. The rewritten text keeps a map from each of
 * its lines to the chapter's, for diagnostics. */
#include "md-int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "buf.h"
#include "error.h"
#include "sanitize.h"
#include "xhtml.h"

/* The text being written and the chapter line of each of its lines. */
typedef struct out {
    oc_buf buf;
    int   *line;
    char **attrs;
    int    n, cap;
} out;

static void
emit(out *o, const char *s, size_t len, int from, const char *attrs)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 64;
        o->line = oc_xrealloc(o->line, (size_t)o->cap * sizeof *o->line);
        o->attrs = oc_xrealloc(o->attrs, (size_t)o->cap * sizeof *o->attrs);
    }
    o->line[o->n] = from;
    o->attrs[o->n] = attrs ? oc_xstrdup(attrs) : NULL;
    o->n++;
    oc_buf_put(&o->buf, s, len);
    oc_buf_put(&o->buf, "\n", 1);
}

static void
emits(out *o, const char *s, int from)
{
    emit(o, s, strlen(s), from, NULL);
}

/* The lines of a text: start and length of each, without its newline. */
typedef struct lines {
    const char **s;
    size_t      *len;
    int          n;
} lines;

static void
split(lines *l, const char *text, size_t len)
{
    int cap = 64;

    l->n = 0;
    l->s = oc_xmalloc((size_t)cap * sizeof *l->s);
    l->len = oc_xmalloc((size_t)cap * sizeof *l->len);
    for (size_t i = 0; i <= len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;

        if (!nl && i == len && len > 0)
            break;
        if (l->n == cap) {
            cap *= 2;
            l->s = oc_xrealloc(l->s, (size_t)cap * sizeof *l->s);
            l->len = oc_xrealloc(l->len, (size_t)cap * sizeof *l->len);
        }
        l->s[l->n] = text + i;
        l->len[l->n] = e - i - (e > i && text[e - 1] == '\r');
        l->n++;
        i = e + 1;
        if (!nl)
            break;
    }
}

static bool
blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* The spaces that line s[0, n) opens with (its text ends at n: a
 * chapter's text is not terminated). */
static size_t
lead(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n && s[i] == ' ')
        i++;
    return i;
}

/* A code fence (``` or ~~~, at most three spaces in): its character and
 * length, or 0. */
static int
fence(const char *s, size_t n, char *ch)
{
    size_t i = 0, k;

    while (i < n && i < 3 && s[i] == ' ')
        i++;
    if (i >= n || (s[i] != '`' && s[i] != '~'))
        return 0;
    for (k = i; k < n && s[k] == s[i]; k++)
        ;
    if (k - i < 3)
        return 0;
    if (s[i] == '`' && memchr(s + k, '`', n - k) != NULL)
        return 0;               /* an info string with a backtick */
    *ch = s[i];
    return (int)(k - i);
}

/* Whether line s opens a fenced div: three or more colons, then an
 * attribute block or a word (a class), then optional colons. *attrs is
 * what follows the colons, trimmed ("{.note}" or "warning"), malloc'd. */
static bool
div_open(const char *s, size_t n, char **attrs)
{
    size_t i = 0, k, e;

    while (i < n && i < 3 && s[i] == ' ')
        i++;
    for (k = i; k < n && s[k] == ':'; k++)
        ;
    if (k - i < 3)
        return false;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    e = n;
    while (e > k && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == ':'))
        e--;
    if (e == k)
        return false;
    if (s[k] == '{') {
        if (s[e - 1] != '}')
            return false;
    } else {
        for (size_t j = k; j < e; j++)
            if (!isalnum((unsigned char)s[j]) && s[j] != '-' && s[j] != '_')
                return false;
    }
    *attrs = oc_xmalloc(e - k + 1);
    memcpy(*attrs, s + k, e - k);
    (*attrs)[e - k] = '\0';
    return true;
}

static bool
div_close(const char *s, size_t n)
{
    size_t i = 0, k;

    while (i < n && i < 3 && s[i] == ' ')
        i++;
    for (k = i; k < n && s[k] == ':'; k++)
        ;
    return k - i >= 3 && blank(s + k, n - k);
}

/* The list marker that opens line s and the spaces after it ("1.  ",
 * "-   "), at most three spaces in: its length, the column of the item's
 * text; 0 if the line opens no list item. */
static size_t
item_marker(const char *s, size_t n)
{
    size_t i = 0, k, sp;

    while (i < n && i < 3 && s[i] == ' ')
        i++;
    k = i;
    if (k < n && strchr("-*+", s[k]) != NULL) {
        k++;
    } else {
        while (k < n && k - i < 9 && g_ascii_isdigit(s[k]))
            k++;
        if (k == i || k >= n || (s[k] != '.' && s[k] != ')'))
            return 0;
        k++;
    }
    for (sp = k; sp < n && sp - k < 4 && s[sp] == ' '; sp++)
        ;
    return sp > k && sp < n ? sp : 0;
}

/* Fenced divs in list items: the column of each open one's colons,
 * innermost last. */
typedef struct item_divs {
    size_t at[8];
    int    n;
    size_t text;                /* the column of the last item's text */
} item_divs;

/* Line s as a fenced div opened or closed in a list item ("1.  ::: {#a}",
 * or "::: note" on a line of the item's, up to three columns right of
 * its text, then ":::" at the opening colons' column): written as the
 * <div> and </div> of an HTML block of the item, between blank lines,
 * so that markdown.c nests the item's blocks in it. Returns whether it
 * was one. */
static bool
item_div(out *o, item_divs *d, const char *s, size_t n, int line)
{
    size_t m = item_marker(s, n), in = lead(s, n);
    char *attrs = NULL;
    oc_buf b = {0};

    if (m > 0)
        d->text = m;
    else if (in < n && in < 4 && (d->n == 0 || in < d->at[d->n - 1]))
        d->text = 0;            /* text out of the list */
    if (d->n > 0 && in == d->at[d->n - 1] && div_close(s + in, n - in)) {
        emits(o, "", line);
        oc_buf_put(&b, s, in);
        oc_buf_puts(&b, "</div>");
        emit(o, b.data, b.len, line, NULL);
        emits(o, "", line);
        d->n--;
    } else if (d->n < 8 &&
               (m > 0 || (d->text > 0 && in >= d->text && in < d->text + 4)) &&
               div_open(s + (m > 0 ? m : in), n - (m > 0 ? m : in),
                        &attrs)) {
        oc_buf_put(&b, s, m > 0 ? m : in);
        oc_buf_puts(&b, "<div>");
        emit(o, b.data, b.len, line, attrs);
        emits(o, "", line);
        d->at[d->n++] = m > 0 ? m : in;
        free(attrs);
    } else {
        return false;
    }
    oc_buf_free(&b);
    return true;
}

/* \newpage, \pagebreak or \clearpage alone on a line. */
static bool
page_break(const char *s, size_t n)
{
    static const char *const cmds[] = {"\\newpage", "\\pagebreak",
                                       "\\clearpage", NULL};

    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    for (int i = 0; cmds[i]; i++)
        if (n == strlen(cmds[i]) && memcmp(s, cmds[i], n) == 0)
            return true;
    return false;
}

/* A GFM table's delimiter row: |---|:--:| and the like. */
static bool
delimiter_row(const char *s, size_t n)
{
    bool dash = false;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-')
            dash = true;
        else if (s[i] != '|' && s[i] != ':' && s[i] != ' ' && s[i] != '\t')
            return false;
    }
    return dash;
}

static bool
bar_line(const char *s, size_t n)
{
    return n >= 1 && s[0] == '|' && (n == 1 || s[1] == ' ');
}

/* Lines [i, j) of a line block: "| " lines (and lines that continue one,
 * opening with a space), none a table's. Returns j, or i if none. */
static int
line_block(const lines *l, int i)
{
    int j = i;
    bool all_bars_end = true;

    while (j < l->n &&
           (bar_line(l->s[j], l->len[j]) ||
            (j > i && l->len[j] > 0 && l->s[j][0] == ' ' &&
             !blank(l->s[j], l->len[j])))) {
        if (delimiter_row(l->s[j], l->len[j]))
            return i;
        if (bar_line(l->s[j], l->len[j]) &&
            !(l->len[j] > 1 && l->s[j][l->len[j] - 1] == '|'))
            all_bars_end = false;
        j++;
    }
    return all_bars_end ? i : j;
}

/* A line block's lines, each ending in a hard break but the last, their
 * leading spaces kept as no-break spaces. */
static void
emit_line_block(out *o, const lines *l, int i, int j)
{
    emits(o, "<div class=\"line-block\">", i + 1);
    emits(o, "", i + 1);
    for (int k = i; k < j; k++) {
        const char *s = l->s[k];
        size_t n = l->len[k], p = 0;
        oc_buf b = {0};

        if (bar_line(s, n)) {
            p = n > 1 ? 2 : 1;
            for (; p < n && s[p] == ' '; p++)
                oc_buf_put(&b, "&nbsp;", 6);
        } else {                /* a continuation: joins the line */
            while (p < n && s[p] == ' ')
                p++;
        }
        oc_buf_put(&b, s + p, n - p);
        if (k + 1 < j && bar_line(l->s[k + 1], l->len[k + 1]))
            oc_buf_put(&b, "\\", 1);
        if (b.len == 0 || (b.len == 1 && b.data[0] == '\\'))
            oc_buf_put(&b, "&nbsp;", 6);     /* an empty line */
        emit(o, b.data, b.len, k + 1, NULL);
        oc_buf_free(&b);
    }
    emits(o, "", j);
    emits(o, "</div>", j);
    emits(o, "", j);
}

/* A grid table's border line: '+' then '-', '=' or ':' and '+' only,
 * ending in '+'. */
static bool
grid_border(const char *s, size_t n)
{
    if (n < 3 || s[0] != '+' || s[n - 1] != '+')
        return false;
    for (size_t i = 1; i < n; i++)
        if (!strchr("+-=:", s[i]))
            return false;
    return true;
}

/* Lines [i, j) of a pandoc grid table (a border, rows of "|" lines, a
 * border after each row, "=" under the head): j, or i if it is none. */
static int
grid_table(const lines *l, int i)
{
    int j = i + 1, last = i;

    if (!grid_border(l->s[i], l->len[i]))
        return i;
    for (; j < l->n && l->len[j] > 0 && (l->s[j][0] == '|' ||
                                         l->s[j][0] == '+'); j++) {
        if (l->s[j][0] == '+') {
            if (!grid_border(l->s[j], l->len[j]))
                return i;
            last = j;
        }
    }
    return last > i + 1 ? last + 1 : i;
}

/* The columns a character takes in a grid table, as pandoc counts them
 * (its display width): 2 for an East Asian wide or fullwidth one, 0 for
 * a combining mark or another of no width, else 1. 'legacy' counts as
 * pandoc 2.17 and older did, and wrote the tables it converted: only
 * the combining diacritical marks (U+0300 to U+036F) have no width, a
 * Hebrew point or a Devanagari vowel sign takes a column. */
static int
grid_width(gunichar c, bool legacy)
{
    if (legacy ? c >= 0x300 && c <= 0x36F : g_unichar_iszerowidth(c))
        return 0;
    return g_unichar_iswide(c) ? 2 : 1;
}

/* The column of each byte of row line s (n bytes) into col: that of the
 * character it is part of, a character of no width taking the column of
 * the one before it (the base a mark sits on). Returns whether the line
 * has a '|' at each of the border's '+' columns cut[0..ncol] (the last
 * may be past its end). */
static bool
grid_columns(const char *s, size_t n, const size_t *cut, size_t ncol,
             bool legacy, size_t *col)
{
    size_t x = 0, prev = 0, k = 0;

    for (size_t i = 0; i < n;) {
        gunichar c = g_utf8_get_char_validated(s + i, (gssize)(n - i));
        size_t len = c < 0x110000 ? (size_t)g_utf8_skip[(guchar)s[i]] : 1;
        int w = c < 0x110000 ? grid_width(c, legacy) : 1;
        size_t at = w > 0 ? x : prev;

        for (size_t b = i; b < i + len && b < n; b++)
            col[b] = at;
        if (w > 0 && k <= ncol && at >= cut[k]) {
            if (at > cut[k] || s[i] != '|')
                return false;
            k++;
        }
        prev = at;
        x += (size_t)w;
        i += len;
    }
    return k >= ncol;
}

/* A cell of a grid table: its lines as written, cut at its columns
 * (each ending in '\n', trailing spaces off), and the chapter line each
 * came from. */
typedef struct gcell {
    oc_buf text;
    int   *from;
    int    n;
} gcell;

/* Line s[0, n) of chapter line 'from' onto cell c, without the spaces
 * it ends with. */
static void
cell_add_line(gcell *c, const char *s, size_t n, int from)
{
    while (n > 0 && s[n - 1] == ' ')
        n--;
    oc_buf_put(&c->text, s, n);
    oc_buf_put(&c->text, "\n", 1);
    c->from = oc_xrealloc(c->from, (size_t)(c->n + 1) * sizeof *c->from);
    c->from[c->n++] = from;
    oc_buf_put(&c->text, "", 1);
    c->text.len--;              /* NUL-terminated, for cell_lines */
}

/* The lines of cell c, their common indentation taken off. */
static char *
cell_lines(const gcell *c)
{
    const char *s = c->text.data ? c->text.data : "";
    size_t in = SIZE_MAX;
    oc_buf b = {0};

    for (const char *p = s; *p != '\0'; p = strchr(p, '\n') + 1) {
        size_t k = strspn(p, " ");

        if (p[k] != '\n' && k < in)
            in = k;
    }
    for (const char *p = s; *p != '\0'; p = strchr(p, '\n') + 1) {
        size_t len = (size_t)(strchr(p, '\n') - p);

        if (len > in)
            oc_buf_put(&b, p + in, len - in);
        oc_buf_put(&b, "\n", 1);
    }
    oc_buf_put(&b, "", 1);
    return b.data;
}

/* Whether cell c holds more than a paragraph's words: paragraphs apart,
 * a list, a quotation, a heading, code. */
static bool
cell_has_blocks(const gcell *c)
{
    char *t = cell_lines(c);
    bool text = false, gap = false, yes = false;

    for (const char *p = t; *p != '\0' && !yes; p = strchr(p, '\n') + 1) {
        size_t len = (size_t)(strchr(p, '\n') - p), d = 0;

        if (blank(p, len)) {
            gap = text;
            continue;
        }
        while (d < len && p[d] >= '0' && p[d] <= '9')
            d++;
        yes = (gap && text) ||
              (strchr("-*+#", p[0]) != NULL && len > 1 && p[1] == ' ') ||
              p[0] == '>' || strncmp(p, "```", 3) == 0 ||
              strncmp(p, "~~~", 3) == 0 || strncmp(p, "    ", 4) == 0 ||
              (d > 0 && d + 1 < len && (p[d] == '.' || p[d] == ')') &&
               p[d + 1] == ' ');
        text = true;
    }
    free(t);
    return yes;
}

/* Cell c's words on one line, for a pipe table: its lines joined by
 * spaces, a '|' escaped. */
static void
put_cell_words(oc_buf *row, const gcell *c)
{
    const char *s = c->text.data ? c->text.data : "";
    bool first = true;

    for (const char *p = s; *p != '\0'; p = strchr(p, '\n') + 1) {
        size_t len = (size_t)(strchr(p, '\n') - p), a = strspn(p, " ");

        if (a >= len)
            continue;
        if (!first)
            oc_buf_put(row, " ", 1);
        first = false;
        for (size_t k = a; k < len; k++) {
            if (p[k] == '|' && (k == 0 || p[k - 1] != '\\'))
                oc_buf_put(row, "\\", 1);
            oc_buf_put(row, p + k, 1);
        }
    }
}

/* The length of the mark that opens pandoc's table caption on line s
 * ("Table:", "table:", or ':' before no punctuation, at most three
 * spaces in, the spaces after it too), or 0 if it is none. */
static size_t
caption_mark(const char *s, size_t n)
{
    size_t i = 0, k;

    while (i < n && i < 3 && s[i] == ' ')
        i++;
    if (n - i >= 6 && (strncmp(s + i, "Table:", 6) == 0 ||
                       strncmp(s + i, "table:", 6) == 0))
        k = i + 6;
    else if (i < n && s[i] == ':' && (i + 1 >= n || !g_ascii_ispunct(s[i + 1])))
        k = i + 1;
    else
        return 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k < n ? k : 0;
}

/* The caption that follows a table ending before line j: after blank
 * lines, a paragraph that opens with a caption mark. Its lines into
 * *cap (borrowed from l, the first without its mark; cap->n 0 if there
 * is none, cap->len[0] the first's line number); returns the line after
 * it, or j. */
static int
table_caption(const lines *l, int j, lines *cap, int *first)
{
    int k = j, e;
    size_t m;

    cap->n = 0;
    while (k < l->n && blank(l->s[k], l->len[k]))
        k++;
    if (k >= l->n || (m = caption_mark(l->s[k], l->len[k])) == 0)
        return j;
    for (e = k; e < l->n && !blank(l->s[e], l->len[e]); e++)
        ;
    cap->s = oc_xmalloc((size_t)(e - k) * sizeof *cap->s);
    cap->len = oc_xmalloc((size_t)(e - k) * sizeof *cap->len);
    for (int i = k; i < e; i++) {
        size_t a = i == k ? m : 0;

        cap->s[cap->n] = l->s[i] + a;
        cap->len[cap->n++] = l->len[i] - a;
    }
    *first = k + 1;
    return e;
}

/* Caption lines 'cap' as a <caption> of Markdown, for an HTML table;
 * 'at' is the line of its first. */
static void
emit_caption(out *o, const lines *cap, int at)
{
    emits(o, "<caption>", at);
    emits(o, "", at);
    for (int k = 0; k < cap->n; k++)
        emit(o, cap->s[k], cap->len[k], at, NULL);
    emits(o, "", at);
    emits(o, "</caption>", at);
}

/* Caption lines 'cap' after a pipe table, as the "Table:" paragraph that
 * markdown.c makes its caption. */
static void
emit_pipe_caption(out *o, const lines *cap, int from)
{
    oc_buf b = {0};

    if (cap->n == 0)
        return;
    for (int k = 0; k < cap->n; k++) {
        b.len = 0;
        if (k == 0)
            oc_buf_puts(&b, "Table: ");
        oc_buf_put(&b, cap->s[k], cap->len[k]);
        emit(o, b.data, b.len, from + k, NULL);
    }
    emits(o, "", from + cap->n - 1);
    oc_buf_free(&b);
}

static void
free_caption(lines *cap)
{
    if (cap->n > 0) {
        free(cap->s);
        free(cap->len);
    }
    cap->n = 0;
}

/* The rows of a grid table as a GFM pipe table; 'align' has 'l', 'r',
 * 'c' or ' ' for each column. */
static void
emit_pipe_rows(out *o, gcell *const *rows, const int *row_line, int nrows,
               size_t ncol, const char *align, int j)
{
    oc_buf row = {0};

    for (int r = 0; r < nrows; r++) {
        row.len = 0;
        oc_buf_put(&row, "|", 1);
        for (size_t c = 0; c < ncol; c++) {
            oc_buf_put(&row, " ", 1);
            put_cell_words(&row, &rows[r][c]);
            oc_buf_put(&row, " |", 2);
        }
        emit(o, row.data, row.len, row_line[r], NULL);
        if (r > 0)
            continue;
        row.len = 0;
        oc_buf_put(&row, "|", 1);
        for (size_t c = 0; c < ncol; c++)
            oc_buf_puts(&row, align[c] == 'c' ? " :-: |"
                              : align[c] == 'r' ? " --: |"
                              : align[c] == 'l' ? " :-- |" : " --- |");
        emit(o, row.data, row.len, row_line[r], NULL);
    }
    emits(o, "", j);
    oc_buf_free(&row);
}

/* The rows of a grid table as an HTML table whose cells hold Markdown,
 * each between blank lines (so that its paragraphs, lists and quotations
 * are read as such): the rows above the "=" border ('head' of them) its
 * head. */
static void
emit_html_rows(out *o, gcell *const *rows, const int *row_line, int nrows,
               int head, size_t ncol, const char *align, int j,
               const lines *cap, int cap_line)
{
    emits(o, "<table>", row_line[0]);
    if (cap->n > 0)
        emit_caption(o, cap, cap_line);
    for (int r = 0; r < nrows; r++) {
        const char *cell = r < head ? "th scope=\"col\"" : "td";
        char open[80];

        if (r == 0 && head > 0)
            emits(o, "<thead>", row_line[r]);
        if (r == head)
            emits(o, "<tbody>", row_line[r]);
        emits(o, "<tr>", row_line[r]);
        for (size_t c = 0; c < ncol; c++) {
            char *t = cell_lines(&rows[r][c]);
            int k = 0;

            snprintf(open, sizeof open, "<%s%s>", cell,
                     align[c] == 'c' ? " style=\"text-align: center\""
                     : align[c] == 'r' ? " style=\"text-align: right\""
                     : align[c] == 'l' ? " style=\"text-align: left\"" : "");
            emits(o, open, row_line[r]);
            emits(o, "", row_line[r]);
            for (const char *p = t; *p != '\0'; p = strchr(p, '\n') + 1, k++)
                emit(o, p, (size_t)(strchr(p, '\n') - p),
                     rows[r][c].from[k], NULL);
            emits(o, "", row_line[r]);
            emits(o, r < head ? "</th>" : "</td>", row_line[r]);
            free(t);
        }
        emits(o, "</tr>", row_line[r]);
        if (r + 1 == head)
            emits(o, "</thead>", row_line[r]);
    }
    if (nrows > head)
        emits(o, "</tbody>", j);
    emits(o, "</table>", j);
    emits(o, "", j);
}

/* A table's rows as a pipe table ('head' 1) or, where it has no head or
 * a cell holds blocks ('html'), an HTML table; its caption after it, or
 * in it. */
static void
emit_rows(out *o, gcell *const *rows, const int *row_line, int nrows,
          int head, size_t ncol, const char *align, int j, bool html,
          const lines *cap, int cap_line)
{
    if (html || head == 0) {
        emit_html_rows(o, rows, row_line, nrows, head, ncol, align, j, cap,
                       cap_line);
        return;
    }
    emit_pipe_rows(o, rows, row_line, nrows, ncol, align, j);
    emit_pipe_caption(o, cap, cap_line);
}

static void
free_rows(gcell **rows, int *row_line, int nrows, size_t ncol)
{
    for (int r = 0; r < nrows; r++) {
        for (size_t c = 0; c < ncol; c++) {
            oc_buf_free(&rows[r][c].text);
            free(rows[r][c].from);
        }
        free(rows[r]);
    }
    free(rows);
    free(row_line);
}

/* A grid table: its columns where the first border has '+', a row's
 * lines cut at those columns as the text shows them (grid_columns), so
 * that a cell keeps its characters whole, whatever their width; the
 * rows above a "=" border its head; ':' in that border (or the first)
 * for the alignment. As a GFM pipe table (its head the first row) where
 * each cell is a paragraph's words; else as an HTML table whose cells
 * are read as Markdown, blocks and all, as pandoc reads them. */
static void
emit_grid_table(out *o, const lines *l, int i, int j, const lines *cap,
                int cap_line)
{
    const char *top = l->s[i], *align_line = top;
    size_t n = l->len[i], ncol = 0, align_len = n;
    size_t *cut = oc_xmalloc((n + 1) * sizeof *cut), *col = NULL;
    gcell **rows = NULL, *cur = NULL;
    int *row_line = NULL, nrows = 0, head = 0;
    bool blocks = false;
    char *align;

    for (size_t k = 0; k < n; k++)
        if (top[k] == '+')
            cut[ncol++] = k;
    ncol--;
    for (int k = i + 1; k < j; k++)
        if (l->s[k][0] == '+' && memchr(l->s[k], '=', l->len[k]) != NULL) {
            align_line = l->s[k];
            align_len = l->len[k];
        }
    align = oc_xcalloc(ncol + 1, 1);
    for (size_t c = 0; c < ncol; c++) {
        size_t a = cut[c] + 1, b = cut[c + 1];
        bool left = a < align_len && align_line[a] == ':';
        bool right = b - 1 < align_len && align_line[b - 1] == ':';

        align[c] = left && right ? 'c' : right ? 'r' : left ? 'l' : ' ';
    }
    for (int k = i + 1; k < j; k++) {
        const char *s = l->s[k];
        size_t len = l->len[k], a = 0;

        if (s[0] != '|') {          /* a border ends a row */
            if (cur != NULL && memchr(s, '=', len) != NULL)
                head = nrows;
            cur = NULL;
            continue;
        }
        if (cur == NULL) {
            rows = oc_xrealloc(rows, (size_t)(nrows + 1) * sizeof *rows);
            row_line = oc_xrealloc(row_line,
                                   (size_t)(nrows + 1) * sizeof *row_line);
            cur = rows[nrows] = oc_xcalloc(ncol, sizeof *cur);
            row_line[nrows++] = k + 1;
        }
        col = oc_xrealloc(col, (len + 1) * sizeof *col);
        if (!grid_columns(s, len, cut, ncol, false, col) &&
            !grid_columns(s, len, cut, ncol, true, col))
            grid_columns(s, len, cut, ncol, false, col);
        for (size_t c = 0; c < ncol; c++) {
            gcell *ce = &cur[c];
            size_t e;

            while (a < len && col[a] <= cut[c])
                a++;
            for (e = a; e < len && col[e] < cut[c + 1]; e++)
                ;
            cell_add_line(ce, s + a, e - a, k + 1);
        }
    }
    for (int r = 0; r < nrows && !blocks; r++)
        for (size_t c = 0; c < ncol && !blocks; c++)
            blocks = cell_has_blocks(&rows[r][c]);
    if (nrows == 0)
        emits(o, "", j);
    else
        emit_rows(o, rows, row_line, nrows, head, ncol, align, j, blocks,
                  cap, cap_line);
    free_rows(rows, row_line, nrows, ncol);
    free(align);
    free(cut);
    free(col);
}

/* The dash groups of line s, a simple or multiline table's: at most
 * three spaces in, then runs of two '-' or more apart by spaces, nothing
 * else. The
 * column each starts at into at[] and its length into w[] (when not
 * NULL); their number, 0 if the line is not one. */
static size_t
dash_groups(const char *s, size_t n, size_t *at, size_t *w)
{
    size_t i = lead(s, n), g = 0;

    if (i > 3 || i >= n)
        return 0;
    while (i < n) {
        size_t k = i;

        if (s[i] != '-')
            return 0;
        while (k < n && s[k] == '-')
            k++;
        if (k - i < 2)
            return 0;           /* "- - -" is a rule */
        if (at != NULL) {
            at[g] = i;
            w[g] = k - i;
        }
        g++;
        while (k < n && s[k] == ' ')
            k++;
        i = k;
    }
    return g;
}

/* The lines of a pandoc simple or multiline table. */
typedef struct dtable {
    int  head, dash;            /* its head: lines [head, dash) */
    int  body, body_end;        /* its rows: lines [body, body_end) */
    int  end;                   /* the line after it */
    bool multi;                 /* rows apart by blank lines */
} dtable;

static size_t
groups_of(const lines *l, int k)
{
    return k < l->n ? dash_groups(l->s[k], l->len[k], NULL, NULL) : 0;
}

static bool
blank_line(const lines *l, int k)
{
    return k >= l->n || blank(l->s[k], l->len[k]);
}

/* Whether line k is a table's last: dash groups, then a blank line. */
static bool
dash_footer(const lines *l, int k)
{
    return groups_of(l, k) > 0 && blank_line(l, k + 1);
}

/* Whether a multiline table of one column opens at line i, its head's
 * dashes at line k: both lines of dashes as long, from the same column,
 * and as long as its head's lines and rows, up to the line of dashes
 * that ends it. (A rule, a heading underlined and a rule again is no
 * table.) */
static bool
one_column(const lines *l, int i, int k)
{
    size_t a = lead(l->s[i], l->len[i]), w = l->len[i];
    int e;

    while (w > a && l->s[i][w - 1] == ' ')
        w--;
    if (lead(l->s[k], l->len[k]) != a)
        return false;
    for (e = i + 1; e < l->n && !dash_footer(l, e); e++) {
        size_t n = l->len[e];

        while (n > 0 && l->s[e][n - 1] == ' ')
            n--;
        if (n > w || (e == k && n != w))
            return false;
    }
    return e < l->n && e > k + 1;
}

/* Whether lines from i make a pandoc simple table (a head line, dash
 * groups under it, rows up to a blank line), a multiline one (a line of
 * dashes, head lines, dash groups, rows apart by blank lines, dashes) or
 * one of either without a head (dash groups, rows, dashes); into *t.
 * Two columns at least: one is a heading underlined or a rule. */
static bool
dash_table(const lines *l, int i, dtable *t)
{
    int k;

    memset(t, 0, sizeof *t);
    if (blank_line(l, i) || blank_line(l, i + 1))
        return false;
    if (groups_of(l, i) == 0 && groups_of(l, i + 1) >= 2) {
        for (k = i + 2; !blank_line(l, k) && !dash_footer(l, k); k++)
            ;
        *t = (dtable){i, i + 1, i + 2, k, k + dash_footer(l, k), false};
        return k > i + 2;
    }
    if (groups_of(l, i) == 1 && l->len[i] - lead(l->s[i], l->len[i]) >= 3) {
        for (k = i + 1; !blank_line(l, k) && groups_of(l, k) == 0; k++)
            ;
        if (k == i + 1 || groups_of(l, k) == 0 ||
            (groups_of(l, k) == 1 && !one_column(l, i, k)))
            return false;
        t->head = i + 1;
        t->dash = k;
        t->multi = true;
    } else if (groups_of(l, i) >= 2) {
        t->head = t->dash = i;
    } else {
        return false;
    }
    t->body = t->dash + 1;
    for (k = t->body; k < l->n && !dash_footer(l, k); k++)
        if (blank_line(l, k))
            t->multi = true;
    if (k >= l->n || k == t->body || blank_line(l, t->body))
        return false;
    t->body_end = k;
    t->end = k + 1;
    return true;
}

/* The byte of s (n bytes) at display column 'col' or just after it. */
static size_t
byte_at_column(const char *s, size_t n, size_t col)
{
    size_t x = 0, i = 0;

    while (i < n && x < col) {
        gunichar c = g_utf8_get_char_validated(s + i, (gssize)(n - i));

        x += c < 0x110000 ? (size_t)grid_width(c, false) : 1;
        i += c < 0x110000 ? (size_t)g_utf8_skip[(guchar)s[i]] : 1;
    }
    return i;
}

static size_t
columns_of(const char *s, size_t n)
{
    size_t x = 0;

    for (size_t i = 0; i < n;) {
        gunichar c = g_utf8_get_char_validated(s + i, (gssize)(n - i));

        x += c < 0x110000 ? (size_t)grid_width(c, false) : 1;
        i += c < 0x110000 ? (size_t)g_utf8_skip[(guchar)s[i]] : 1;
    }
    return x;
}

/* Column c's bytes [*a, *b) of line s, the column starting at at[c] and
 * ending where the next starts (the last at the line's end); 'from0':
 * the first column takes what is left of it too. */
static void
column_bytes(const char *s, size_t n, const size_t *at, size_t ncol,
             size_t c, bool from0, size_t *a, size_t *b)
{
    *a = c == 0 && from0 ? 0 : byte_at_column(s, n, at[c]);
    *b = c + 1 < ncol ? byte_at_column(s, n, at[c + 1]) : n;
}

/* Column c's alignment, as pandoc reads it from the head's lines [a, b)
 * (or a headless table's first row's) over dashes w long: its longest
 * text flush with both ends of the dashes is the default, flush left
 * only left, flush right only right, with neither centred. */
static char
dash_align(const lines *l, int a, int b, const size_t *at, const size_t *w,
           size_t ncol, size_t c)
{
    size_t best = 0, x, y;
    bool found = false, left = false;

    for (int k = a; k < b; k++) {
        const char *s = l->s[k];
        size_t cols;

        column_bytes(s, l->len[k], at, ncol, c, false, &x, &y);
        while (y > x && s[y - 1] == ' ')
            y--;
        if (y == x || (cols = columns_of(s + x, y - x)) <= best)
            continue;
        best = cols;
        found = true;
        left = s[x] == ' ';
    }
    if (!found)
        return ' ';
    return left ? (best < w[c] ? 'c' : 'r') : (best < w[c] ? 'l' : ' ');
}

/* Lines [a, b) of a table as one row of cells cut at its columns. */
static gcell *
dash_row(const lines *l, int a, int b, const size_t *at, size_t ncol)
{
    gcell *row = oc_xcalloc(ncol, sizeof *row);

    for (int k = a; k < b; k++) {
        for (size_t c = 0; c < ncol; c++) {
            gcell *ce = &row[c];
            size_t x, y;

            column_bytes(l->s[k], l->len[k], at, ncol, c, true, &x, &y);
            cell_add_line(ce, l->s[k] + x, y - x, k + 1);
        }
    }
    return row;
}

/* A pandoc simple or multiline table: its columns where the dash groups
 * under its head are, each from its dashes to the next's; a column's
 * alignment from where its head's text sits over the dashes. With a
 * head as a GFM pipe table, a multiline cell's lines joined; without,
 * as an HTML table. */
static void
emit_dash_table(out *o, const lines *l, const dtable *t, const lines *cap,
                int cap_line)
{
    size_t ncol = groups_of(l, t->dash);
    size_t *at = oc_xmalloc(ncol * sizeof *at), *w = oc_xmalloc(ncol * sizeof *w);
    char *align = oc_xcalloc(ncol + 1, 1);
    gcell **rows = NULL;
    int *row_line = NULL, nrows = 0, ha = t->head, hb = t->dash;
    bool head = t->head < t->dash;

    dash_groups(l->s[t->dash], l->len[t->dash], at, w);
    if (head) {
        rows = oc_xmalloc(sizeof *rows);
        row_line = oc_xmalloc(sizeof *row_line);
        rows[0] = dash_row(l, t->head, t->dash, at, ncol);
        row_line[0] = t->head + 1;
        nrows = 1;
    }
    for (int k = t->body; k < t->body_end;) {
        int e = k + 1;

        if (t->multi)
            while (e < t->body_end && !blank_line(l, e))
                e++;
        if (!head && nrows == 0) {
            ha = k;
            hb = e;
        }
        rows = oc_xrealloc(rows, (size_t)(nrows + 1) * sizeof *rows);
        row_line = oc_xrealloc(row_line,
                               (size_t)(nrows + 1) * sizeof *row_line);
        rows[nrows] = dash_row(l, k, e, at, ncol);
        row_line[nrows++] = k + 1;
        for (k = e; k < t->body_end && blank_line(l, k); k++)
            ;
    }
    for (size_t c = 0; c < ncol; c++)
        align[c] = dash_align(l, ha, hb, at, w, ncol, c);
    emit_rows(o, rows, row_line, nrows, head ? 1 : 0, ncol, align, t->end,
              !head, cap, cap_line);
    free_rows(rows, row_line, nrows, ncol);
    free(align);
    free(at);
    free(w);
}

/* A metadata block at the top: YAML's, "---" followed by a line that is
 * not blank, up to a line "---" or "...", with a "key:" line; or TOML's
 * (Hugo's front matter), "+++" up to a line "+++", with a "key =" line.
 * Returns the number of lines it takes, or 0. */
static int
metadata_block(const lines *l)
{
    bool key = false, toml;

    if (l->n < 3 || l->len[0] < 3 ||
        (strncmp(l->s[0], "---", 3) != 0 && strncmp(l->s[0], "+++", 3) != 0) ||
        !blank(l->s[0] + 3, l->len[0] - 3) || blank(l->s[1], l->len[1]))
        return 0;
    toml = l->s[0][0] == '+';
    for (int k = 1; k < l->n; k++) {
        const char *s = l->s[k];
        size_t n = l->len[k];

        if (n >= 3 && blank(s + 3, n - 3) &&
            (toml ? strncmp(s, "+++", 3) == 0
                  : strncmp(s, "---", 3) == 0 || strncmp(s, "...", 3) == 0))
            return key ? k + 1 : 0;
        if (n > 0 && (isalnum((unsigned char)s[0]) || s[0] == '_')) {
            size_t c = 0;

            while (c < n && (isalnum((unsigned char)s[c]) || s[c] == '_' ||
                             s[c] == '-'))
                c++;
            while (toml && c < n && s[c] == ' ')
                c++;
            if (c < n && s[c] == (toml ? '=' : ':'))
                key = true;
        }
    }
    return 0;
}

/* The value of a quoted scalar at s[0, n) (s[0] its quote): YAML's
 * double-quoted and TOML's basic strings take backslash escapes of a
 * quote and a backslash, YAML's single-quoted ones a doubled quote;
 * NULL when it does not close on its line (malloc'd). */
static char *
quoted_value(const char *s, size_t n, bool toml)
{
    char q = s[0], *v = oc_xmalloc(n + 1), *o = v;

    for (size_t i = 1; i < n; i++) {
        if (s[i] == q && q == '\'' && !toml && i + 1 < n && s[i + 1] == q) {
            *o++ = s[++i];
        } else if (s[i] == q) {
            *o = '\0';
            return v;
        } else if (q == '"' && s[i] == '\\' && i + 1 < n &&
                   strchr("\"\\/", s[i + 1]) != NULL) {
            *o++ = s[++i];
        } else {
            *o++ = s[i];
        }
    }
    free(v);
    return NULL;
}

/* The title a metadata block of 'skip' lines gives on a line of its own
 * ("title: npm-ls", "title: \"A: B\"", TOML's title = "A"), which sites
 * print as the page's h1; NULL for none, or for one that YAML writes
 * over lines or as a list. *line is its line. malloc'd. */
static char *
metadata_title(const lines *l, int skip, int *line)
{
    bool toml = l->s[0][0] == '+';
    char *v;

    for (int k = 1; k < skip - 1; k++) {
        const char *s = l->s[k];
        size_t n = l->len[k], i = 5;

        if (n < 6 || strncmp(s, "title", 5) != 0)
            continue;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n || s[i] != (toml ? '=' : ':') ||
            (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\t'))
            continue;
        for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
            ;
        while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
                         s[n - 1] == '\r'))
            n--;
        *line = k + 1;
        if (i < n && (s[i] == '"' || s[i] == '\''))
            return quoted_value(s + i, n - i, toml);
        if (toml || i == n || strchr("[{|>&*!%@`#", s[i]) != NULL)
            return NULL;
        for (size_t c = i + 1; c < n; c++)
            if (s[c] == '#' && (s[c - 1] == ' ' || s[c - 1] == '\t'))
                n = c;          /* a comment */
        while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        v = oc_xmalloc(n - i + 1);
        memcpy(v, s + i, n - i);
        v[n - i] = '\0';
        return v;
    }
    return NULL;
}

/* A definition's line, ':' or '~' (as pandoc also writes it) then a
 * space or a tab, at most three spaces in. */
static bool
definition_line(const char *s, size_t n)
{
    size_t i = lead(s, n);

    return i <= 3 && i + 2 < n && (s[i] == ':' || s[i] == '~') &&
           (s[i + 1] == ' ' || s[i + 1] == '\t') &&
           !blank(s + i + 1, n - i - 1);
}

/* How far line s is indented as a block of a definition: four spaces or
 * a tab (what is stripped from it), else 0. */
static size_t
indented(const char *s, size_t n)
{
    if (n > 0 && s[0] == '\t')
        return 1;
    return n >= 4 && lead(s, n) >= 4 ? 4 : 0;
}

/* The blocks of a definition after its first paragraph (pandoc's: after
 * a blank line, indented four spaces; else cmark-gfm reads them as code)
 * from line i, when lines [term .. i) are a term and its definition:
 * written dedented in a div of class octavo-dd, which markdown.c moves
 * into the definition. Returns the line after them, or i. */
static int
definition_blocks(const lines *l, int i, out *o)
{
    int j = i, k, last = -1;

    if (i < 2 || !blank(l->s[i - 1], l->len[i - 1]))
        return i;
    for (k = i - 2; k >= 0 && !blank(l->s[k], l->len[k]) &&
                    !definition_line(l->s[k], l->len[k]); k--)
        ;
    if (k < 1 || blank(l->s[k], l->len[k]))
        return i;                   /* no definition just before */
    if (blank(l->s[k - 1], l->len[k - 1]) &&
        (k < 2 || blank(l->s[k - 2], l->len[k - 2])))
        return i;                   /* nor a term before it */
    for (; j < l->n && (blank(l->s[j], l->len[j]) ||
                        indented(l->s[j], l->len[j]) > 0); j++)
        if (!blank(l->s[j], l->len[j]))
            last = j;
    if (last < 0)
        return i;
    emits(o, "<div class=\"octavo-dd\">", i + 1);
    emits(o, "", i + 1);
    for (k = i; k <= last; k++) {
        size_t cut = indented(l->s[k], l->len[k]);

        emit(o, l->s[k] + cut, l->len[k] - cut, k + 1, NULL);
    }
    emits(o, "", last + 1);
    emits(o, "</div>", last + 1);
    emits(o, "", last + 1);
    return last + 1;
}

/* ---- fancy lists ---- */

/* pandoc's list markers that cmark-gfm does not read: letters (A. a)
 * (b)), roman numerals (i. IV) (ii)), '#.' and parenthesised numbers,
 * and example items ((@) and (@label), numbered through the chapter,
 * "(@label)" in the text their number). Each becomes the decimal marker
 * of its value, zero-padded to the marker's width so that the item's
 * text stays in its column; its line carries the list's kind
 * ("list:A", "list:a", "list:I", "list:i", "list:1", "list:@") for
 * markdown.c to give the <ol> its type. Top-level lists only (at most
 * three spaces in). */
typedef struct fancy {
    char   kind;            /* of the list being read ('#' for #.), or 0 */
    char   delim;           /* the delimiter written for it: '.', or ')'
                               after a list of another kind, so that
                               cmark-gfm starts a new one */
    char   form;            /* its markers' delimiters: '.', ')' or '('
                               for a pair of parentheses */
    int    value;           /* of its last item */
    int    examples;        /* example items so far */
    char **labels;          /* of example items, their number the index
                               + 1 in 'numbers' */
    int   *numbers;
    int    nlabels;
} fancy;

static int
roman_value(const char *s, size_t n)
{
    int v = 0, prev = 0;

    for (size_t i = n; i-- > 0;) {
        const char *d = strchr("ivxlcdm", tolower((unsigned char)s[i]));
        static const int val[] = {1, 5, 10, 50, 100, 500, 1000};
        int x;

        if (d == NULL || s[i] == '\0')
            return 0;
        x = val[d - "ivxlcdm"];
        v += x < prev ? -x : x;
        if (x > prev)
            prev = x;
    }
    return v;
}

static bool
all_roman(const char *s, size_t n, bool upper)
{
    for (size_t i = 0; i < n; i++)
        if (strchr(upper ? "IVXLCDM" : "ivxlcdm", s[i]) == NULL ||
            s[i] == '\0')
            return false;
    return n > 0;
}

/* The fancy marker at the start of line s[0, n): its kind, value and
 * length (*len, with its delimiter; the spaces after it not counted),
 * the label of an example item in label[]. 0 if there is none. */
static char
fancy_marker(fancy *fy, const char *s, size_t n, int *value, size_t *len,
             char *form, char *label, size_t cap)
{
    size_t i = 0, a, b, sp;
    bool paren = false, same;
    char kind = 0, delim;

    while (i < n && i < 3 && s[i] == ' ')
        i++;
    if (i < n && s[i] == '(') {
        paren = true;
        i++;
    }
    a = i;
    if (i < n && s[i] == '@') {
        for (i++; i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' ||
                            s[i] == '-'); i++)
            ;
    } else {
        while (i < n && isalnum((unsigned char)s[i]))
            i++;
    }
    b = i;
    if (b == a && !(i < n && s[i] == '#'))
        return 0;
    if (b == a)
        b = ++i;                        /* '#' */
    if (i >= n)
        return 0;
    delim = s[i++];
    if (paren ? delim != ')' : delim != '.' && delim != ')')
        return 0;
    for (sp = 0; i + sp < n && (s[i + sp] == ' ' || s[i + sp] == '\t'); sp++)
        ;
    if (sp == 0 || i + sp >= n)
        return 0;
    *form = paren ? '(' : delim;
    same = fy->form == *form;
    if (s[a] == '@') {
        kind = '@';
        *value = ++fy->examples;
        snprintf(label, cap, "%.*s", (int)(b - a - 1), s + a + 1);
    } else if (s[a] == '#') {
        if (paren)
            return 0;
        kind = '#';
        *value = fy->kind == '#' && same ? fy->value + 1 : 1;
    } else if (isdigit((unsigned char)s[a])) {
        if (!paren || b - a > 9)
            return 0;                   /* "1." is cmark-gfm's own */
        kind = '1';
        *value = atoi(s + a);
    } else if (all_roman(s + a, b - a, isupper((unsigned char)s[a])) &&
               (b - a > 1 || s[a] == 'i' || s[a] == 'I' ||
                ((fy->kind == 'i' || fy->kind == 'I') && same))) {
        kind = isupper((unsigned char)s[a]) ? 'I' : 'i';
        *value = roman_value(s + a, b - a);
    } else if (b - a == 1 && isalpha((unsigned char)s[a])) {
        /* "B. Russell": a capital and a period need two spaces. */
        if (isupper((unsigned char)s[a]) && delim == '.' && !paren &&
            sp < 2)
            return 0;
        kind = isupper((unsigned char)s[a]) ? 'A' : 'a';
        *value = tolower((unsigned char)s[a]) - 'a' + 1;
    } else {
        return 0;
    }
    if (*value <= 0)
        return 0;
    *len = i;
    return kind;
}

/* The example items' labels, read ahead: "(@label)" may be cited before
 * its item. */
static void
fancy_labels(fancy *fy, const lines *l)
{
    fancy scan = {0};

    for (int i = 0; i < l->n; i++) {
        char label[64], form;
        int value;
        size_t len;

        if (fancy_marker(&scan, l->s[i], l->len[i], &value, &len, &form,
                         label, sizeof label) == '@' && label[0] != '\0') {
            fy->labels = oc_xrealloc(fy->labels, (size_t)(fy->nlabels + 1) *
                                                     sizeof *fy->labels);
            fy->numbers = oc_xrealloc(fy->numbers,
                                      (size_t)(fy->nlabels + 1) *
                                          sizeof *fy->numbers);
            fy->labels[fy->nlabels] = oc_xstrdup(label);
            fy->numbers[fy->nlabels++] = value;
        }
    }
}

static void
fancy_free(fancy *fy)
{
    for (int i = 0; i < fy->nlabels; i++)
        free(fy->labels[i]);
    free(fy->labels);
    free(fy->numbers);
}

/* Line s[0, n) with its example citations "(@label)" as "(N)", into dst;
 * false when it has none. */
static bool
cite_examples(const fancy *fy, const char *s, size_t n, oc_buf *dst)
{
    bool any = false;
    size_t from = 0;

    for (size_t i = 0; fy->nlabels > 0 && i + 3 < n; i++) {
        if (s[i] != '(' || s[i + 1] != '@')
            continue;
        for (int k = 0; k < fy->nlabels; k++) {
            size_t m = strlen(fy->labels[k]);

            if (i + 3 + m <= n && strncmp(s + i + 2, fy->labels[k], m) == 0 &&
                s[i + 2 + m] == ')') {
                oc_buf_put(dst, s + from, i - from);
                oc_buf_printf(dst, "(%d)", fy->numbers[k]);
                from = i + 3 + m;
                i = from - 1;
                any = true;
                break;
            }
        }
    }
    if (any)
        oc_buf_put(dst, s + from, n - from);
    return any;
}

/* A list item of cmark-gfm's own ("3." or "3)") at line i right after a
 * fancy list whose delimiter it has: written with the other one, and so
 * are the items after it, so that cmark-gfm starts a list of its own as
 * pandoc does. False when it is none, or left as it is; a paragraph
 * ends the list. */
static bool
native_item(fancy *fy, const lines *l, int i, out *o)
{
    const char *s = l->s[i];
    size_t n = l->len[i], k = lead(s, n), d = k;
    oc_buf line = {0};

    while (d < n && d - k < 9 && isdigit((unsigned char)s[d]))
        d++;
    if (k > 3 || d == k || d + 1 >= n || (s[d] != '.' && s[d] != ')') ||
        (s[d + 1] != ' ' && s[d + 1] != '\t')) {
        if (n > 0 && !blank(s, n) && s[0] != ' ' && s[0] != '\t')
            fy->kind = 0;               /* a paragraph: the list ended */
        return false;
    }
    if (fy->kind != 'n' && (fy->kind == 0 || s[d] != fy->delim)) {
        fy->kind = 0;
        return false;
    }
    if (fy->kind != 'n')
        fy->delim = fy->delim == '.' ? ')' : '.';
    fy->kind = 'n';
    oc_buf_put(&line, s, d);
    oc_buf_put(&line, &fy->delim, 1);
    oc_buf_put(&line, s + d + 1, n - d - 1);
    emit(o, line.data, line.len, i + 1, NULL);
    oc_buf_free(&line);
    return true;
}

/* A fancy list item at line i written as cmark-gfm reads it; false when
 * the line is none (which ends the list unless it continues an item). */
static bool
fancy_item(fancy *fy, const lines *l, int i, out *o)
{
    const char *s = l->s[i];
    size_t n = l->len[i], len;
    char label[64], kind, attrs[16], num[16], form;
    int value, width;
    oc_buf line = {0};

    kind = fancy_marker(fy, s, n, &value, &len, &form, label, sizeof label);
    if (kind == 0)
        return native_item(fy, l, i, o);
    if (fy->delim == 0)
        fy->delim = '.';
    else if (fy->kind != 0 && (kind != fy->kind || form != fy->form))
        fy->delim = fy->delim == '.' ? ')' : '.';
    fy->kind = kind;
    fy->form = form;
    fy->value = value;
    width = (int)(len - lead(s, n)) - 1;
    if (width > 9)
        width = 9;
    snprintf(num, sizeof num, "%0*d%c", width < 1 ? 1 : width, value,
             fy->delim);
    oc_buf_put(&line, s, lead(s, n));
    oc_buf_puts(&line, num);
    if (!cite_examples(fy, s + len, n - len, &line))
        oc_buf_put(&line, s + len, n - len);
    snprintf(attrs, sizeof attrs, "list:%c", kind == '#' ? '1' : kind);
    emit(o, line.data, line.len, i + 1, attrs);
    oc_buf_free(&line);
    return true;
}

/* An admonition of Python-Markdown and MkDocs at line s: "!!! type",
 * "??? type" or "???+ type" (one that folds), then a title in quotes or
 * none. Its type into type[] (lower case, "note" when it has none) and
 * its title, borrowed, into *title (NULL when it has none, "" when it
 * has an empty one, which hides it). */
static bool
admonition(const char *s, size_t n, char type[24], const char **title,
           size_t *tlen)
{
    size_t i = 3, t;

    if (n < 5 || (strncmp(s, "!!!", 3) != 0 && strncmp(s, "???", 3) != 0))
        return false;
    if (s[0] == '?' && i < n && s[i] == '+')
        i++;
    if (i >= n || (s[i] != ' ' && s[i] != '\t'))
        return false;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    for (t = i; t < n && (g_ascii_isalnum(s[t]) || s[t] == '-' ||
                          s[t] == '_'); t++)
        ;
    if (t == i || t - i >= 24)
        return false;
    for (size_t k = i; k < t; k++)
        type[k - i] = g_ascii_tolower(s[k]);
    type[t - i] = '\0';
    while (t < n && s[t] != '"' && (s[t] == ' ' || s[t] == '\t' ||
                                    g_ascii_isalnum(s[t]) || s[t] == '-' ||
                                    s[t] == '_'))
        t++;                    /* more classes: "!!! note inline end" */
    *title = NULL;
    *tlen = 0;
    if (t < n && s[t] == '"') {
        const char *q = s + n - 1;

        while (q > s + t && *q != '"')
            q--;
        if (q == s + t || !blank(q + 1, (size_t)(s + n - q - 1)))
            return false;
        *title = s + t + 1;
        *tlen = (size_t)(q - (s + t + 1));
    } else if (t < n) {
        return false;
    }
    return true;
}

/* Whether an admonition's type is one of Material for MkDocs' or
 * Python-Markdown's, which markdown.c knows; another is a note. */
static bool
known_type(const char *type)
{
    static const char *const types[] = {
        "note", "abstract", "summary", "tldr", "info", "todo", "tip",
        "hint", "important", "success", "check", "done", "question",
        "help", "faq", "warning", "caution", "attention", "failure",
        "fail", "missing", "danger", "error", "bug", "example", "quote",
        "cite", NULL};

    for (int i = 0; types[i] != NULL; i++)
        if (strcmp(type, types[i]) == 0)
            return true;
    return false;
}

/* An admonition from line i, its body the lines after it indented four
 * spaces (and blank ones between them), as an Obsidian callout that
 * markdown.c makes a note: "> [!type] title" and the body quoted, each
 * line after 'quote' (the quotes it is in). An admonition in its body
 * is one too. Returns the line after it. */
static int
emit_admonition(out *o, const lines *l, int i, int depth, const char *quote)
{
    char type[24], fch = 0;
    const char *title;
    size_t tlen, ql = strlen(quote);
    int j, end, flen = 0, f;
    oc_buf b = {0}, q = {0};

    admonition(l->s[i] + depth * 4, l->len[i] - (size_t)depth * 4, type,
               &title, &tlen);
    for (j = end = i + 1; j < l->n; j++) {
        if (blank(l->s[j], l->len[j]))
            continue;
        if (lead(l->s[j], l->len[j]) < (size_t)(depth + 1) * 4)
            break;
        end = j + 1;
    }
    oc_buf_puts(&q, quote);
    oc_buf_puts(&q, "> ");
    oc_buf_put(&b, q.data, q.len);
    oc_buf_printf(&b, "[!%s]", known_type(type) ? type : "note");
    if (title == NULL) {        /* the type's name, as MkDocs has it */
        oc_buf_printf(&b, " %c%s", g_ascii_toupper(type[0]), type + 1);
    } else if (tlen > 0) {
        oc_buf_puts(&b, " ");
        oc_buf_put(&b, title, tlen);
    }
    emit(o, b.data, b.len, i + 1, NULL);
    for (j = i + 1; j < end;) {
        const char *s = l->s[j];
        size_t n = l->len[j], in = (size_t)(depth + 1) * 4;
        char ty[24];
        const char *ti;
        size_t tl;
        char ch;

        if (flen == 0 && n > in && depth < 8 &&
            admonition(s + in, n - in, ty, &ti, &tl)) {
            j = emit_admonition(o, l, j, depth + 1, q.data);
            continue;
        }
        if (n > in && (f = fence(s + in, n - in, &ch)) > 0) {
            if (flen == 0) {
                flen = f;
                fch = ch;
            } else if (ch == fch && f >= flen) {
                flen = 0;
            }
        }
        b.len = 0;
        oc_buf_put(&b, q.data, ql + (n > in ? 2 : 1));
        if (n > in)
            oc_buf_put(&b, s + in, n - in);
        emit(o, b.data, b.len, j + 1, NULL);
        j++;
    }
    emits(o, "", end);
    oc_buf_free(&b);
    oc_buf_free(&q);
    return end;
}

/* The element of raw text ("style" or "script") that line s opens, at
 * most three spaces in; NULL if none. */
static const char *
raw_text_open(const char *s, size_t n)
{
    static const char *const names[] = {"style", "script"};
    size_t i = lead(s, n);

    if (i > 3 || i >= n || s[i] != '<')
        return NULL;
    for (int k = 0; k < 2; k++) {
        size_t len = strlen(names[k]);

        if (n - i > len + 1 &&
            g_ascii_strncasecmp(s + i + 1, names[k], len) == 0 &&
            (s[i + 1 + len] == '>' || s[i + 1 + len] == ' ' ||
             s[i + 1 + len] == '\t'))
            return names[k];
    }
    return NULL;
}

/* A <style> or <script> from line i that blank lines cut (a notebook's
 * table of data writes "<div>", "<style scoped>" and rules apart by
 * blank lines, where an HTML block that opens with <div> ends): its
 * lines without the blank ones, so that it stays in one HTML block.
 * Returns the line after its end tag, or i when it has none or no blank
 * line. */
static int
raw_text_block(out *o, const lines *l, int i, const char *name)
{
    char end[16];
    int j, gaps = 0;

    snprintf(end, sizeof end, "</%s", name);
    for (j = i; j < l->n; j++) {
        bool closed = false;

        for (size_t k = 0; k + strlen(end) <= l->len[j] && !closed; k++)
            closed = g_ascii_strncasecmp(l->s[j] + k, end, strlen(end)) == 0;
        if (closed)
            break;
        gaps += blank(l->s[j], l->len[j]);
    }
    if (j >= l->n || gaps == 0)
        return i;
    for (int k = i; k <= j; k++)
        if (!blank(l->s[k], l->len[k]))
            emit(o, l->s[k], l->len[k], k + 1, NULL);
    return j + 1;
}

/* Whether line i, not code (less than four spaces in), ends a paragraph
 * with a backslash that escapes no character: pandoc reads it as a line
 * break (written for an HTML <br> at a paragraph's end, or for a
 * paragraph of one <br>), which shows nothing there; cmark-gfm would
 * show the backslash. */
static bool
break_at_end(const lines *l, int i)
{
    const char *s = l->s[i];
    size_t n = l->len[i], k = n;

    if (n == 0 || s[n - 1] != '\\' || lead(s, n) >= 4 ||
        (i + 1 < l->n && !blank(l->s[i + 1], l->len[i + 1])))
        return false;
    while (k > 0 && s[k - 1] == '\\')
        k--;
    return (n - k) % 2 == 1;
}

/* A static site generator's tag alone on a line: Hugo's shortcode
 * "{{< name args >}}" or "{{% name args %}}", or a Liquid tag
 * "{% name args %}" (Jekyll's). */
typedef struct site_tag {
    char        name[32];       /* without a closing '/' or "end" */
    const char *args;           /* borrowed; alen bytes */
    size_t      alen;
    bool        closing;        /* "{{< /name >}}", "{% endname %}" */
    bool        liquid;
} site_tag;

static bool
site_tag_of(const char *s, size_t n, site_tag *t)
{
    size_t a = lead(s, n), e = n, k;

    while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    memset(t, 0, sizeof *t);
    if (a > 3 || e - a < 5)
        return false;
    if (strncmp(s + a, "{{<", 3) == 0 && strncmp(s + e - 3, ">}}", 3) == 0) {
        a += 3;
        e -= 3;
    } else if (strncmp(s + a, "{{%", 3) == 0 &&
               strncmp(s + e - 3, "%}}", 3) == 0) {
        a += 3;
        e -= 3;
    } else if (strncmp(s + a, "{%", 2) == 0 && s[a + 2] != '%' &&
               strncmp(s + e - 2, "%}", 2) == 0) {
        a += 2 + (s[a + 2] == '-');
        e -= 2 + (s[e - 3] == '-');
        t->liquid = true;
    } else {
        return false;
    }
    for (size_t k2 = a; k2 + 1 < e; k2++)
        if ((s[k2] == '%' || s[k2] == '>') && s[k2 + 1] == '}')
            return false;       /* two tags: "{% raw %}x{% endraw %}" */
    while (a < e && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    if (a < e && s[a] == '/' && !t->liquid) {
        t->closing = true;
        a++;
    }
    for (k = a; k < e && (g_ascii_isalnum(s[k]) || strchr("_-./", s[k])); k++)
        ;
    if (k == a || k - a >= sizeof t->name || (k < e && s[k] != ' ' &&
                                               s[k] != '\t'))
        return false;
    if (t->liquid && k - a > 3 && strncmp(s + a, "end", 3) == 0) {
        t->closing = true;
        a += 3;
    }
    memcpy(t->name, s + a, k - a);
    t->name[k - a] = '\0';
    while (k < e && (s[k] == ' ' || s[k] == '\t'))
        k++;
    t->args = s + k;
    t->alen = e - k;
    return true;
}

/* The line that closes the site tag of name 'name' opened before line i,
 * or -1. */
static int
site_tag_close(const lines *l, int i, const char *name)
{
    site_tag t;

    for (int j = i; j < l->n; j++)
        if (site_tag_of(l->s[j], l->len[j], &t) && t.closing &&
            strcmp(t.name, name) == 0)
            return j;
    return -1;
}

/* Argument 'key' of a site tag (key="value", key='value' or key=value),
 * or with key NULL its positional argument number 'nth' (from 0), into
 * val (cap bytes; its length, 0 if it has none). */
static size_t
site_arg(const site_tag *t, const char *key, int nth, char *val, size_t cap)
{
    const char *s = t->args, *end = t->args + t->alen;
    int pos = 0;

    while (s < end) {
        const char *name = s, *v, *ve;
        size_t nlen;

        while (s < end && !strchr(" \t=\"'", *s))
            s++;
        nlen = (size_t)(s - name);
        if (s < end && *s == '=') {
            s++;
        } else {
            s = name;
            nlen = 0;
        }
        if (s < end && (*s == '"' || *s == '\'')) {
            char q = *s++;

            v = s;
            while (s < end && *s != q)
                s++;
            ve = s;
            if (s < end)
                s++;
        } else {
            v = s;
            while (s < end && *s != ' ' && *s != '\t')
                s++;
            ve = s;
        }
        if ((key != NULL && nlen == strlen(key) &&
             strncmp(name, key, nlen) == 0) ||
            (key == NULL && nlen == 0 && pos++ == nth)) {
            size_t n = (size_t)(ve - v) < cap - 1 ? (size_t)(ve - v) : cap - 1;

            memcpy(val, v, n);
            val[n] = '\0';
            return n;
        }
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
    }
    val[0] = '\0';
    return 0;
}

/* Put text s[0, n) into b with the characters that would end a link's
 * text or title escaped. */
static void
put_escaped(oc_buf *b, const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (strchr("[]\"\\", s[k]) != NULL)
            oc_buf_put(b, "\\", 1);
        oc_buf_put(b, s + k, 1);
    }
}

/* A site generator's tag at line i, alone on it, read as what it would
 * have made: a highlighted block (Hugo's highlight, Jekyll's) as fenced
 * code, Hugo's figure as a picture with its caption, a theme's notice
 * (notice, hint, alert, callout, or a tag named by its kind) as a note,
 * Liquid's raw markers and comments left out; another tag (a video, a
 * table of contents the book has) is left out, and said (p->dropped).
 * Returns the line after what it took, or i when line i is none. */
static int
site_block(out *o, const lines *l, int i, md_prep *p)
{
    static const char *const notes[] = {"notice", "hint", "alert",
                                        "callout", "admonition", NULL};
    site_tag t;
    char v[512], alt[512];
    oc_buf b = {0};
    int j;

    if (!site_tag_of(l->s[i], l->len[i], &t))
        return i;
    if (!t.closing && strcmp(t.name, "highlight") == 0 &&
        (j = site_tag_close(l, i + 1, "highlight")) > i) {
        site_arg(&t, NULL, 0, v, sizeof v);
        oc_buf_printf(&b, "```%s", v);
        emit(o, b.data, b.len, i + 1, NULL);
        for (int k = i + 1; k < j; k++)
            emit(o, l->s[k], l->len[k], k + 1, NULL);
        emits(o, "```", j + 1);
        oc_buf_free(&b);
        return j + 1;
    }
    if (!t.closing && !t.liquid && strcmp(t.name, "figure") == 0 &&
        site_arg(&t, "src", 0, v, sizeof v) > 0) {
        char cap[512];

        if (site_arg(&t, "caption", 0, cap, sizeof cap) == 0)
            site_arg(&t, "title", 0, cap, sizeof cap);
        if (site_arg(&t, "alt", 0, alt, sizeof alt) == 0)
            strcpy(alt, cap);
        oc_buf_puts(&b, "![");
        put_escaped(&b, alt, strlen(alt));
        oc_buf_printf(&b, "](<%s>", v);
        if (cap[0] != '\0') {
            oc_buf_puts(&b, " \"");
            put_escaped(&b, cap, strlen(cap));
            oc_buf_puts(&b, "\"");
        }
        oc_buf_puts(&b, ")");
        emits(o, "", i + 1);
        emit(o, b.data, b.len, i + 1, NULL);
        emits(o, "", i + 1);
        oc_buf_free(&b);
        return i + 1;
    }
    for (int k = 0; notes[k] != NULL && !t.closing; k++) {
        char type[32];
        bool named = known_type(t.name);

        if ((strcmp(t.name, notes[k]) != 0 && !named) ||
            (j = site_tag_close(l, i + 1, t.name)) <= i)
            continue;
        if (named)
            snprintf(type, sizeof type, "%s", t.name);
        else if (site_arg(&t, "type", 0, type, sizeof type) == 0 &&
                 site_arg(&t, NULL, 0, type, sizeof type) == 0)
            strcpy(type, "note");
        for (char *c = type; *c; c++)
            *c = g_ascii_tolower(*c);
        oc_buf_printf(&b, "> [!%s]", known_type(type) ? type : "note");
        if (site_arg(&t, "title", 0, v, sizeof v) > 0)
            oc_buf_printf(&b, " %s", v);
        emits(o, "", i + 1);
        emit(o, b.data, b.len, i + 1, NULL);
        for (int m = i + 1; m < j; m++) {
            b.len = 0;
            oc_buf_puts(&b, l->len[m] > 0 ? "> " : ">");
            oc_buf_put(&b, l->s[m], l->len[m]);
            emit(o, b.data, b.len, m + 1, NULL);
        }
        emits(o, "", j + 1);
        oc_buf_free(&b);
        return j + 1;
    }
    if (t.liquid && !t.closing && strcmp(t.name, "comment") == 0 &&
        (j = site_tag_close(l, i + 1, "comment")) > i) {
        for (int k = i; k <= j; k++)
            emits(o, "", k + 1);
        return j + 1;
    }
    if (strcmp(t.name, "raw") != 0 && p->ndropped++ == 0) {
        snprintf(p->dropped, sizeof p->dropped, "%s%s", t.closing ? "/" : "",
                 t.name);
        p->dropped_line = i + 1;
    }
    emits(o, "", i + 1);
    return i + 1;
}

/* Whether line s is an HTML start tag alone on its line that asks for
 * its content to be read as Markdown (PHP Markdown Extra's and
 * kramdown's markdown="1"): that content must then open a block of its
 * own, not go on in the tag's HTML block. */
static bool
markdown_attr_open(const char *s, size_t n)
{
    size_t i = lead(s, n), e = n;
    const char *m;

    while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    if (i > 3 || e - i < 4 || s[i] != '<' || !g_ascii_isalpha(s[i + 1]) ||
        s[e - 1] != '>' || s[e - 2] == '/')
        return false;
    for (m = s + i; m + 10 <= s + e; m++)
        if (g_ascii_strncasecmp(m, " markdown=", 10) == 0) {
            const char *v = m + 10 + (m[10] == '"' || m[10] == '\'');

            return v < s + e && (*v == '1' || g_ascii_strncasecmp(v, "block",
                                                                   5) == 0);
        }
    return false;
}

/* The line-level constructs. */
static bool
blocks_pass(const char *text, size_t len, out *o, md_prep *p)
{
    lines l;
    int depth = 0, i = 0, skip;
    char fch = 0;
    int flen = 0;
    bool changed = false;
    fancy fy = {0};
    oc_buf cited = {0};
    item_divs idivs = {0};

    split(&l, text, len);
    fancy_labels(&fy, &l);
    if ((skip = metadata_block(&l)) > 0) {
        p->title = metadata_title(&l, skip, &p->title_line);
        for (; i < skip; i++)
            emits(o, "", i + 1);
        changed = true;
    }
    for (; i < l.n; i++) {
        const char *s = l.s[i];
        size_t n = l.len[i];
        char ch, *attrs = NULL;
        int f, j, e, cap_line = 0;
        char type[24];
        const char *title, *raw;
        size_t tlen;
        lines cap = {0};
        dtable dt;
        bool after_blank = o->n == 0 || o->buf.len < 2 ||
                           o->buf.data[o->buf.len - 2] == '\n';

        if (flen > 0) {
            if ((f = fence(s, n, &ch)) >= flen && ch == fch &&
                blank(s + lead(s, n) + f, n - lead(s, n) - f))
                flen = 0;
            emit(o, s, n, i + 1, NULL);
        } else if ((f = fence(s, n, &ch)) > 0) {
            fch = ch;
            flen = f;
            emit(o, s, n, i + 1, NULL);
        } else if (item_div(o, &idivs, s, n, i + 1)) {
            changed = true;
        } else if (div_open(s, n, &attrs)) {
            emit(o, "<div>", 5, i + 1, attrs);
            emits(o, "", i + 1);
            free(attrs);
            depth++;
            changed = true;
        } else if (depth > 0 && div_close(s, n)) {
            emits(o, "", i + 1);
            emits(o, "</div>", i + 1);
            emits(o, "", i + 1);
            depth--;
            changed = true;
        } else if (after_blank && page_break(s, n) &&
                   (i + 1 >= l.n || blank(l.s[i + 1], l.len[i + 1]))) {
            emits(o, "<div class=\"page-break\" style=\"break-after: page\">"
                     "</div>", i + 1);
            changed = true;
        } else if (after_blank && (j = grid_table(&l, i)) > i) {
            e = table_caption(&l, j, &cap, &cap_line);
            emit_grid_table(o, &l, i, j, &cap, cap_line);
            free_caption(&cap);
            i = e - 1;
            changed = true;
        } else if (after_blank && dash_table(&l, i, &dt)) {
            e = table_caption(&l, dt.end, &cap, &cap_line);
            emit_dash_table(o, &l, &dt, &cap, cap_line);
            free_caption(&cap);
            i = e - 1;
            changed = true;
        } else if (n > 4 && lead(s, n) < n && s[lead(s, n)] == '{' &&
                   (j = site_block(o, &l, i, p)) > i) {
            i = j - 1;
            changed = true;
        } else if (markdown_attr_open(s, n)) {
            emit(o, s, n, i + 1, NULL);
            emits(o, "", i + 1);
            changed = true;
        } else if ((raw = raw_text_open(s, n)) != NULL &&
                   (j = raw_text_block(o, &l, i, raw)) > i) {
            i = j - 1;
            changed = true;
        } else if (after_blank && n > 3 && (s[0] == '!' || s[0] == '?') &&
                   admonition(s, n, type, &title, &tlen)) {
            i = emit_admonition(o, &l, i, 0, "") - 1;
            changed = true;
        } else if (after_blank && bar_line(s, n) &&
                   (j = line_block(&l, i)) > i) {
            emit_line_block(o, &l, i, j);
            i = j - 1;
            changed = true;
        } else if (fancy_item(&fy, &l, i, o)) {
            changed = true;
        } else if (after_blank && indented(s, n) > 0 &&
                   (j = definition_blocks(&l, i, o)) > i) {
            i = j - 1;
            changed = true;
        } else if (definition_line(s, n) && s[lead(s, n)] == '~') {
            oc_buf_put(&cited, ":", 1);
            oc_buf_put(&cited, s + lead(s, n) + 1, n - lead(s, n) - 1);
            emit(o, cited.data, cited.len, i + 1, NULL);
            cited.len = 0;
            changed = true;
        } else if (cite_examples(&fy, s, n, &cited)) {
            emit(o, cited.data, cited.len, i + 1, NULL);
            cited.len = 0;
            changed = true;
        } else if (break_at_end(&l, i)) {
            emit(o, s, n - 1, i + 1, NULL);
            changed = true;
        } else {
            emit(o, s, n, i + 1, NULL);
        }
    }
    free(l.s);
    free(l.len);
    fancy_free(&fy);
    oc_buf_free(&cited);
    return changed;
}

/* The state of the inline-notes pass: the text, the line being built,
 * the definitions of the notes found so far. */
typedef struct notes {
    const char        *text;
    size_t             len;
    const int         *map;
    const char *const *attrs;
    out               *o;
    oc_buf             line, defs;
    int                ln, nnotes, *deflines;
    struct {
        size_t      at;         /* the '}' that closes a LaTeX argument */
        const char *out;        /* what it becomes */
    }                  close[8];
    int                nclose;
    bool               code;    /* the line is of an indented code block */
} notes;

/* The line built so far goes out as text line ln; the next begins. */
static void
notes_newline(notes *ns)
{
    emit(ns->o, ns->line.data ? ns->line.data : "", ns->line.len,
         ns->map[ns->ln], ns->attrs[ns->ln]);
    ns->line.len = 0;
    ns->ln++;
}

/* The code span whose backticks start at i, kept whole (an unclosed run
 * of backticks is kept as text); returns where the text goes on. */
static size_t
notes_code_span(notes *ns, size_t i)
{
    const char *text = ns->text;
    size_t len = ns->len, r = i, k;

    while (r < len && text[r] == '`')
        r++;
    for (k = r; k < len; k++) {
        size_t q = k;

        if (text[k] == '\n' && k + 1 < len &&
            (text[k + 1] == '\n' ||
             blank(text + k + 1, strcspn(text + k + 1, "\n"))))
            break;      /* the paragraph ends: no span */
        if (text[k] != '`')
            continue;
        while (q < len && text[q] == '`')
            q++;
        if (q - k == r - i)
            break;
        k = q - 1;
    }
    if (k >= len || text[k] != '`') {
        oc_buf_put(&ns->line, text + i, r - i);
        return r;
    }
    k += r - i;
    for (size_t c = i; c < k; c++) {
        if (text[c] == '\n')
            notes_newline(ns);
        else
            oc_buf_put(&ns->line, text + c, 1);
    }
    return k;
}

/* A note of text[a, b) (an inline note's, a \footnote's): its reference
 * onto the line, its definition after the chapter's last line. */
static void
notes_add(notes *ns, size_t a, size_t b)
{
    int from = ns->map[ns->ln];
    char ref[48];

    ns->nnotes++;
    snprintf(ref, sizeof ref, "[^octavo-inline-%d]", ns->nnotes);
    oc_buf_put(&ns->line, ref, strlen(ref));
    oc_buf_printf(&ns->defs, "%s: ", ref);
    for (size_t c = a; c < b; c++) {
        if (ns->text[c] == '\n') {
            oc_buf_put(&ns->defs, " ", 1);
            ns->ln++;           /* its lines are the note's */
        } else {
            oc_buf_put(&ns->defs, ns->text + c, 1);
        }
    }
    oc_buf_put(&ns->defs, "\n", 1);
    ns->deflines = oc_xrealloc(ns->deflines,
                               (size_t)ns->nnotes * sizeof *ns->deflines);
    ns->deflines[ns->nnotes - 1] = from;
}

/* The inline note ^[...] at i, made a reference and a definition;
 * returns where the text goes on, or 0 when its '[' is not closed in
 * the paragraph. */
static size_t
notes_inline(notes *ns, size_t i)
{
    const char *text = ns->text;
    size_t len = ns->len, k = i + 2;
    int d = 1;

    for (; k < len && d > 0; k++) {
        if (text[k] == '\\' && k + 1 < len)
            k++;
        else if (text[k] == '[')
            d++;
        else if (text[k] == ']')
            d--;
        else if (text[k] == '\n' && k + 1 < len &&
                 blank(text + k + 1, strcspn(text + k + 1, "\n")))
            break;
    }
    if (d != 0)
        return 0;
    notes_add(ns, i + 2, k - 1);
    return k;
}

/* Whether the '$' at i opens a price ("$5 or $10", "$4.99 each"): a
 * number and then a space or the line's end, which no TeX math starts
 * with. */
static bool
is_price(const char *text, size_t len, size_t i)
{
    size_t k = i + 1;

    if (k >= len || !g_ascii_isdigit(text[k]))
        return false;
    while (k < len && (g_ascii_isdigit(text[k]) || text[k] == ',' ||
                       text[k] == '.'))
        k++;
    return k == len || text[k] == ' ' || text[k] == '\n';
}

/* The end of what at i is kept as written, or 0: a link's destination,
 * an autolink, TeX math between dollars (no price, no code span). */
static size_t
kept_as_written(const char *text, size_t len, size_t i)
{
    if ((text[i] == ']' && i + 1 < len && text[i + 1] == '(') ||
        (text[i] == '<' && i + 1 < len &&
         strcspn(text + i, ">\n ") < len - i &&
         text[i + strcspn(text + i, ">\n ")] == '>' &&
         oc_url_has_scheme(text + i + 1, strcspn(text + i, ">\n ") - 1))) {
        size_t k = i + 1, depth = 0;
        char close = text[i] == ']' ? ')' : '>';

        for (; k < len && text[k] != '\n'; k++) {
            if (text[k] == '\\' && k + 1 < len)
                k++;
            else if (close == ')' && text[k] == '(')
                depth++;
            else if (text[k] == close && (close == '>' || --depth == 0))
                break;
        }
        if (k < len && text[k] == close)
            return k + 1;
    }
    if (text[i] == '$' && i + 1 < len && text[i + 1] != ' ' &&
        text[i + 1] != '$' && !is_price(text, len, i)) {
        size_t k = i + 1;

        while (k < len && text[k] != '$' && text[k] != '\n' &&
               text[k] != '`')
            k += text[k] == '\\' && k + 1 < len ? 2 : 1;
        if (k < len && text[k] == '$' && text[k - 1] != ' ')
            return k + 1;
    }
    return 0;
}

/* TeX math text[a, b) onto the line with every ASCII punctuation but
 * '$' escaped, so that it stays as written (cmark would read x*y*z's
 * asterisks as emphasis, "\{" and "\," as escapes, f'' and -- as
 * quotes and a dash; a line of display math that opens with "- " or
 * "# " as a list or a heading); a newline ends the line. */
static void
notes_math(notes *ns, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) {
        char c = ns->text[k];

        if (c == '\n') {
            notes_newline(ns);
            continue;
        }
        if (c != '$' && g_ascii_ispunct(c))
            oc_buf_put(&ns->line, "\\", 1);
        oc_buf_put(&ns->line, &c, 1);
    }
}

/* The end of display math "$$...$$" at i, or 0: closed before a blank
 * line (where pandoc would not read it as math either). */
static size_t
display_math(const char *text, size_t len, size_t i)
{
    if (len - i < 4 || text[i] != '$' || text[i + 1] != '$')
        return 0;
    for (size_t k = i + 2; k + 1 < len; k++) {
        if (text[k] == '\\') {
            k++;
        } else if (text[k] == '$' && text[k + 1] == '$') {
            return k > i + 2 ? k + 2 : 0;
        } else if (text[k] == '\n') {
            size_t j = k + 1;

            while (j < len && (text[j] == ' ' || text[j] == '\t'))
                j++;
            if (j >= len || text[j] == '\n')
                return 0;
        }
    }
    return 0;
}

/* The end of the bracketed text at i ('['), or of the link [text](url)
 * it opens: just past its ']' or ')', brackets and parentheses
 * balanced, in one paragraph; 0 if it is not closed. */
static size_t
bracket_end(const char *text, size_t len, size_t i)
{
    int d = 0;
    size_t k = i;

    for (; k < len; k++) {
        if (text[k] == '\\' && k + 1 < len)
            k++;
        else if (text[k] == '[')
            d++;
        else if (text[k] == ']' && --d == 0)
            break;
        else if (text[k] == '\n' && k + 1 < len &&
                 blank(text + k + 1, strcspn(text + k + 1, "\n")))
            return 0;
    }
    if (k >= len)
        return 0;
    if (k + 1 < len && text[k + 1] == '(') {
        size_t e = k + 1;

        d = 0;
        for (; e < len && text[e] != '\n'; e++) {
            if (text[e] == '\\' && e + 1 < len)
                e++;
            else if (text[e] == '(')
                d++;
            else if (text[e] == ')' && --d == 0)
                return e + 1;
        }
    }
    return k + 1;
}

/* The end of an attribute block at i ('{' after a link, an image, a
 * bracketed span or a code span) that goes on over lines, as pandoc's
 * writer wraps a long one ("{.reference\n.external}"); 0 for a block on
 * one line or none. */
static size_t
wrapped_attrs_end(const char *text, size_t len, size_t i)
{
    size_t k = i + 1;
    bool wrapped = false;
    char *one;
    md_attrs a;

    if (i == 0 || strchr("])`", text[i - 1]) == NULL)
        return 0;
    for (; k < len && k - i < 1024 && text[k] != '}'; k++) {
        if (text[k] == '{' || text[k] == '\\')
            return 0;
        if (text[k] == '\n') {
            if (blank(text + k + 1, strcspn(text + k + 1, "\n")))
                return 0;       /* the paragraph ends */
            wrapped = true;
        }
    }
    if (k >= len || text[k] != '}' || !wrapped)
        return 0;
    one = oc_xmalloc(k - i + 2);
    for (size_t c = i; c <= k; c++)
        one[c - i] = text[c] == '\n' || text[c] == '\r' ? ' ' : text[c];
    one[k - i + 1] = '\0';
    k = md_attrs_parse(one, k - i + 1, &a) == k - i + 1 ? k + 1 : 0;
    md_attrs_clear(&a);
    free(one);
    return k;
}

/* Hugo's {{< ref "page.md#part" >}} or relref at i (a link's target,
 * as Hugo resolves it among the site's pages) as the page's file name:
 * the chapter of that name, its folders left (a chapter of the book is
 * named from its own folder); ".md" where the name has no extension.
 * Returns where the text goes on, or 0. */
static size_t
site_ref(notes *ns, size_t i)
{
    const char *text = ns->text, *e, *p, *name;
    size_t len = ns->len, k = i + 3, n;
    bool md;

    if (len - i < 12 || text[i + 1] != '{' ||
        (text[i + 2] != '<' && text[i + 2] != '%'))
        return 0;
    while (k < len && text[k] == ' ')
        k++;
    if (strncmp(text + k, "relref", 6) == 0)
        k += 6;
    else if (strncmp(text + k, "ref", 3) == 0)
        k += 3;
    else
        return 0;
    if (k >= len || text[k] != ' ')
        return 0;
    while (k < len && text[k] == ' ')
        k++;
    if (k < len && text[k] == '"')
        k++;
    p = text + k;
    n = strcspn(p, "\" \n>%");
    e = p + n;
    while (e < text + len && (*e == '"' || *e == ' '))
        e++;
    if (n == 0 || e + 3 > text + len ||
        strncmp(e, text[i + 2] == '<' ? ">}}" : "%}}", 3) != 0)
        return 0;
    for (name = p + n; name > p && name[-1] != '/'; name--)
        ;
    md = memchr(name, '.', (size_t)(p + n - name)) == NULL;
    {
        size_t h = strcspn(name, "#\" \n>%");

        oc_buf_put(&ns->line, name, h);
        if (md && h > 0)
            oc_buf_puts(&ns->line, ".md");
        oc_buf_put(&ns->line, name + h, (size_t)(p + n - name) - h);
    }
    return (size_t)(e + 3 - text);
}

/* The end of Liquid's "{% raw %}" or "{% endraw %}" at i (spaces and
 * '-' inside allowed), which Jekyll shows nothing of; 0 if none. */
static size_t
liquid_raw(const char *text, size_t len, size_t i)
{
    size_t k = i + 2;

    if (len - i < 8 || text[i + 1] != '%')
        return 0;
    k += text[k] == '-';
    while (k < len && text[k] == ' ')
        k++;
    if (strncmp(text + k, "endraw", 6) == 0)
        k += 6;
    else if (strncmp(text + k, "raw", 3) == 0)
        k += 3;
    else
        return 0;
    while (k < len && text[k] == ' ')
        k++;
    k += k < len && text[k] == '-';
    return k + 1 < len && text[k] == '%' && text[k + 1] == '}' ? k + 2 : 0;
}

/* A link's target that is Hugo's ref at i ("]({{< ref "a.md" >}})"): the
 * "](" and the page's file name; returns where the text goes on, or 0. */
static size_t
link_site_ref(notes *ns, size_t i)
{
    size_t at = ns->line.len, k;

    oc_buf_put(&ns->line, "](", 2);
    if ((k = site_ref(ns, i + 2)) == 0)
        ns->line.len = at;
    return k;
}

/* LaTeX's inline commands that a manuscript written for pandoc's LaTeX
 * output holds, read as that output would show them: a command and
 * what its argument opens and closes (NULL open: the command and its
 * argument go). */
static const struct {
    const char *name, *open, *close;
    bool        arg;
} latex_cmds[] = {
    {"emph", "<em>", "</em>", true},
    {"textit", "<em>", "</em>", true},
    {"textsl", "<em>", "</em>", true},
    {"textbf", "<strong>", "</strong>", true},
    {"texttt", "<code>", "</code>", true},
    {"textsc", "<span class=\"smallcaps\">", "</span>", true},
    {"underline", "<u>", "</u>", true},
    {"textsuperscript", "<sup>", "</sup>", true},
    {"textsubscript", "<sub>", "</sub>", true},
    {"index", NULL, NULL, true},
    {"label", NULL, NULL, true},
    {"vspace", NULL, NULL, true},
    {"hspace", NULL, NULL, true},
    {"noindent", NULL, NULL, false},
    {"medskip", NULL, NULL, false},
    {"bigskip", NULL, NULL, false},
    {"smallskip", NULL, NULL, false},
    {"centering", NULL, NULL, false},
};

/* The end of the LaTeX group '{' at i opens (just past its '}'), in one
 * paragraph, braces balanced and \{ \} skipped; 0 if it is not closed. */
static size_t
group_end(const char *text, size_t len, size_t i)
{
    int d = 0;

    for (size_t k = i; k < len; k++) {
        if (text[k] == '\\' && k + 1 < len)
            k++;
        else if (text[k] == '{')
            d++;
        else if (text[k] == '}' && --d == 0)
            return k + 1;
        else if (text[k] == '\n' && k + 1 < len &&
                 blank(text + k + 1, strcspn(text + k + 1, "\n")))
            return 0;
    }
    return 0;
}

/* A LaTeX command at i ('\\' and letters) as pandoc's LaTeX output would
 * show it: \emph{x} emphasis, \textbf{x} bold, \texttt{x} code, \textsc{x}
 * small capitals and the like (their argument read on, its '}' closing
 * them); \footnote{x} a note; \href{url}{x} and \url{url} links; \index,
 * \label, \vspace, \noindent and the like nothing. Returns where the
 * text goes on, or 0 for another command (kept as text, and warned
 * about). */
static size_t
notes_latex(notes *ns, size_t i)
{
    const char *text = ns->text;
    size_t len = ns->len, k = i + 1, n, e, e2;

    while (k < len && g_ascii_isalpha(text[k]))
        k++;
    n = k - i - 1;
    if (k < len && text[k] == '*')
        k++;                    /* \vspace*{...} */
    e = k < len && text[k] == '{' ? group_end(text, len, k) : 0;
    if (n == 8 && strncmp(text + i + 1, "footnote", 8) == 0 && e > 0) {
        notes_add(ns, k + 1, e - 1);
        return e;
    }
    if (n == 3 && strncmp(text + i + 1, "url", 3) == 0 && e > 0 &&
        oc_url_has_scheme(text + k + 1, e - k - 2)) {
        oc_buf_puts(&ns->line, "<");
        oc_buf_put(&ns->line, text + k + 1, e - k - 2);
        oc_buf_puts(&ns->line, ">");
        return e;
    }
    if (n == 4 && strncmp(text + i + 1, "href", 4) == 0 && e > 0 &&
        e < len && text[e] == '{' && (e2 = group_end(text, len, e)) > 0 &&
        ns->nclose < 8) {
        char *tail = g_strdup_printf("](%.*s)", (int)(e - k - 2),
                                     text + k + 1);

        oc_buf_puts(&ns->line, "[");
        ns->close[ns->nclose].at = e2 - 1;
        ns->close[ns->nclose++].out = g_intern_string(tail);
        g_free(tail);
        return e + 1;
    }
    for (size_t c = 0; c < sizeof latex_cmds / sizeof *latex_cmds; c++) {
        if (strlen(latex_cmds[c].name) != n ||
            strncmp(text + i + 1, latex_cmds[c].name, n) != 0)
            continue;
        if (!latex_cmds[c].arg) {
            if (k < len && (text[k] == ' ' || text[k] == '\t'))
                k++;
            return k;
        }
        if (e == 0)
            return 0;
        if (latex_cmds[c].open == NULL)
            return e;
        if (ns->nclose == 8)
            return 0;
        oc_buf_puts(&ns->line, latex_cmds[c].open);
        ns->close[ns->nclose].at = e - 1;
        ns->close[ns->nclose++].out = latex_cmds[c].close;
        return k + 1;
    }
    return 0;
}

/* ^super^ or ~sub~ at i as pandoc has them, made a span that markdown.c
 * makes <sup> or <sub>; returns where the text goes on, or 0. Not in a
 * web address or a path (~user/~x, a^b^ in a URL). A script may open
 * with a link or bracketed text, spaces and all (pandoc writes a note
 * reference of HTML as ^[1](#fn1)^); ^[text] without the closing '^'
 * is an inline note. */
static size_t
notes_script(notes *ns, size_t i)
{
    const char *text = ns->text;
    size_t len = ns->len, k = i + 1, close = 0;

    if ((text[i] != '^' && text[i] != '~') || i + 1 >= len ||
        (i > 0 && text[i - 1] == text[i]) || text[i + 1] == text[i])
        return 0;
    if (text[k] == '[') {
        if ((k = bracket_end(text, len, k)) == 0)
            return 0;
        if (text[k - 1] == ']')
            close = k - 1;      /* text in brackets, not a link */
    } else if (i > 0 && strchr("[/=.:", text[i - 1]) != NULL) {
        return 0;
    }
    while (k < len && text[k] != text[i] &&
           strchr(" \t\n[]/:()<>", text[k]) == NULL)
        k += text[k] == '\\' && k + 1 < len ? 2 : 1;
    if (!(k < len && k > i + 1 && text[k] == text[i] &&
          (k + 1 >= len || text[k + 1] != text[i])))
        return 0;
    oc_buf_put(&ns->line, "[", 1);
    if (close > 0) {            /* its brackets are text, as pandoc's */
        oc_buf_puts(&ns->line, "\\[");
        oc_buf_put(&ns->line, text + i + 2, close - i - 2);
        oc_buf_puts(&ns->line, "\\]");
        oc_buf_put(&ns->line, text + close + 1, k - close - 1);
    } else {
        oc_buf_put(&ns->line, text + i + 1, k - i - 1);
    }
    oc_buf_puts(&ns->line, text[i] == '^' ? "]{.octavo-sup}"
                                          : "]{.octavo-sub}");
    return k + 1;
}

/* A line at i inside a fenced code block or opening or closing one,
 * copied as it is; returns its length (with the newline), or 0.
 * *flen and *fch are the open fence's length and character. */
static size_t
notes_fenced(notes *ns, size_t i, int *flen, char *fch)
{
    const char *text = ns->text, *e = memchr(text + i, '\n', ns->len - i);
    size_t n = e ? (size_t)(e - (text + i)) : ns->len - i;
    char ch;
    int f;

    if (*flen == 0 && (f = fence(text + i, n, &ch)) > 0) {
        *flen = f;
        *fch = ch;
    } else if (*flen == 0) {
        return 0;
    } else if ((f = fence(text + i, n, &ch)) >= *flen && ch == *fch) {
        *flen = 0;
    }
    emit(ns->o, text + i, n, ns->map[ns->ln], ns->attrs[ns->ln]);
    ns->ln++;
    return n + 1;
}

/* The definitions of the notes, after the chapter's last line. */
static void
notes_definitions(notes *ns)
{
    const char *d = ns->defs.data;
    out *o = ns->o;

    emits(o, "", o->n > 0 ? o->line[o->n - 1] : 1);
    for (int k = 0; k < ns->nnotes; k++) {
        const char *e = strchr(d, '\n');

        emit(o, d, (size_t)(e - d), ns->deflines[k], NULL);
        d = e + 1;
    }
}

/* The end of "[[...]]" at i (its inner text on one line, neither empty
 * nor holding another '['), past the "]]"; or 0. GitLab's contents
 * markers [[_TOC_]] and [[TOC]] are none. */
static size_t
wiki_end(const char *text, size_t len, size_t i)
{
    if (len - i < 5 || text[i] != '[' || text[i + 1] != '[')
        return 0;
    for (size_t k = i + 2; k + 1 < len && text[k] != '\n'; k++) {
        if (text[k] == '[')
            return 0;
        if (text[k] != ']')
            continue;
        if (text[k + 1] != ']' || k == i + 2 ||
            ((k - i - 2 == 5 &&
              g_ascii_strncasecmp(text + i + 2, "_toc_", 5) == 0) ||
             (k - i - 2 == 3 &&
              g_ascii_strncasecmp(text + i + 2, "toc", 3) == 0)))
            return 0;
        return k + 2;
    }
    return 0;
}

static bool
is_picture_name(const char *s, size_t n)
{
    static const char *const exts[] = {".png", ".jpg", ".jpeg", ".gif",
                                       ".svg", ".webp", ".avif", NULL};

    for (int i = 0; exts[i] != NULL; i++) {
        size_t e = strlen(exts[i]);

        if (n > e && g_ascii_strncasecmp(s + n - e, exts[i], e) == 0)
            return true;
    }
    return false;
}

/* Obsidian's links between notes, text[a, b) the inside of "[[...]]":
 * "Note", "Note#Heading", "#Heading", each with "|shown words"; as a
 * Markdown link to Note.md (a chapter, else what a link to a file that
 * is no chapter becomes), to the heading by the name GitHub gives it. */
static void
notes_wikilink(notes *ns, size_t a, size_t b)
{
    const char *t = ns->text;
    size_t bar = a, hash;
    oc_buf *l = &ns->line;

    while (bar < b && t[bar] != '|')
        bar++;
    for (hash = a; hash < bar && t[hash] != '#'; hash++)
        ;
    oc_buf_puts(l, "[");
    if (bar < b) {
        oc_buf_put(l, t + bar + 1, b - bar - 1);
    } else {
        oc_buf_put(l, t + a, hash - a);
        if (hash < bar) {
            if (hash > a)
                oc_buf_puts(l, " \u203A ");
            oc_buf_put(l, t + hash + 1, bar - hash - 1);
        }
    }
    oc_buf_puts(l, "](<");
    if (hash > a) {
        /* A note's name, never a URL's scheme ("[[Note: Part 1]]"). */
        for (size_t k = a; k < hash; k++)
            if (t[k] == ':')
                oc_buf_puts(l, "%3A");
            else
                oc_buf_put(l, t + k, 1);
        if (!memchr(t + a, '.', hash - a))
            oc_buf_puts(l, ".md");
    }
    if (hash < bar) {
        oc_buf_puts(l, "#");
        for (size_t k = hash + 1; k < bar; k++) {
            char c = g_ascii_tolower(t[k]);

            if (c == ' ')
                oc_buf_puts(l, "-");
            else if ((unsigned char)c >= 0x80 || g_ascii_isalnum(c) ||
                     c == '-' || c == '_')
                oc_buf_put(l, &c, 1);
        }
    }
    oc_buf_puts(l, ">)");
}

/* Obsidian's embed "![[name]]" or "![[name|200]]" (text[a, b) inside the
 * brackets): a picture, given its width in pixels if the number says
 * so; a note embedded is linked to instead. */
static void
notes_embed(notes *ns, size_t a, size_t b)
{
    const char *t = ns->text;
    size_t bar = a;

    while (bar < b && t[bar] != '|')
        bar++;
    if (!is_picture_name(t + a, bar - a)) {
        notes_wikilink(ns, a, b);
        return;
    }
    oc_buf_puts(&ns->line, "![](<");
    oc_buf_put(&ns->line, t + a, bar - a);
    oc_buf_puts(&ns->line, ">)");
    if (bar + 1 < b && g_ascii_isdigit(t[bar + 1])) {
        char *end;
        long w = strtol(t + bar + 1, &end, 10), h = 0;

        if (*end == 'x')
            h = strtol(end + 1, &end, 10);
        if (end == t + b && w > 0 && w < 100000) {
            oc_buf_printf(&ns->line, "{width=%ldpx", w);
            if (h > 0 && h < 100000)
                oc_buf_printf(&ns->line, " height=%ldpx", h);
            oc_buf_puts(&ns->line, "}");
        }
    }
}

/* Does a blank line (or the text's end) follow the line end at k? False
 * where k is no line end. */
static bool
blank_after(const char *text, size_t len, size_t k)
{
    if (text[k] != '\n')
        return false;
    for (k++; k < len && (text[k] == ' ' || text[k] == '\t'); k++)
        ;
    return k >= len || text[k] == '\n';
}

/* The end of Obsidian's highlight "==words==" at i, in its paragraph
 * (over its lines, not a blank one), no space inside either mark; or
 * 0. */
static size_t
mark_end(const char *text, size_t len, size_t i)
{
    if (len - i < 5 || text[i] != '=' || text[i + 1] != '=' ||
        text[i + 2] == ' ' || text[i + 2] == '=' ||
        (i > 0 && text[i - 1] == '='))
        return 0;
    for (size_t k = i + 3; k + 1 < len && !blank_after(text, len, k); k++)
        if (text[k] == '=' && text[k + 1] == '=')
            return text[k - 1] != ' ' &&
                           (k + 2 >= len || text[k + 2] != '=')
                       ? k + 2 : 0;
    return 0;
}

/* The end of Obsidian's comment "%%...%%" at i (before a blank line),
 * or 0. */
static size_t
comment_end(const char *text, size_t len, size_t i)
{
    if (len - i < 4 || text[i] != '%' || text[i + 1] != '%')
        return 0;
    for (size_t k = i + 2; k + 1 < len; k++) {
        if (text[k] == '%' && text[k + 1] == '%')
            return k + 2;
        if (text[k] == '\n' && (k + 1 >= len || text[k + 1] == '\n'))
            return 0;
    }
    return 0;
}

/* The bytes at which notes_pass looks again: where a branch may take
 * what follows. */
static const bool NOTES_STOP[256] = {
    ['\0'] = true, ['\n'] = true, ['\\'] = true, ['`'] = true,
    ['^'] = true, ['~'] = true, [']'] = true, ['<'] = true, ['$'] = true,
    ['['] = true, ['!'] = true, ['='] = true, ['%'] = true, ['{'] = true,
    ['}'] = true,
};

/* The inline notes ^[...] of text (its lines mapped by 'map', which
 * holds the chapter line of each): each becomes a reference [^N], its
 * text a definition after the chapter's last line. Code is skipped:
 * fenced blocks and backtick spans. A '[' must be closed in its
 * paragraph. */
static bool
notes_pass(const char *text, size_t len, const int *map,
           const char *const *attrs, out *o)
{
    notes ns = {.text = text, .len = len, .map = map, .attrs = attrs,
                .o = o};
    bool bol = true, changed = false, blank_before = true;
    int flen = 0;
    char fch = 0;

    for (size_t i = 0, k; i < len;) {
        if (ns.nclose > 0 && i >= ns.close[ns.nclose - 1].at) {
            /* (one that a code span or a link took inside it closes
             * here, after it) */
            bool at = i == ns.close[ns.nclose - 1].at;

            oc_buf_puts(&ns.line, ns.close[--ns.nclose].out);
            i += at;
            changed = true;
            continue;
        }
        if (bol) {
            size_t in = strspn(text + i, " ");

            if (i + in < len && text[i + in] != '\n')
                ns.code = (in >= 4 || text[i] == '\t') &&
                          (blank_before || ns.code);
            blank_before = i + in >= len || text[i + in] == '\n';
            bol = false;
            if ((k = notes_fenced(&ns, i, &flen, &fch)) > 0) {
                i += k;
                bol = true;
                continue;
            }
        }
        if (text[i] == '\n') {
            notes_newline(&ns);
            i++;
            bol = true;
        } else if (text[i] == '\\' && i + 1 < len && !ns.code &&
                   g_ascii_isalpha(text[i + 1]) &&
                   (k = notes_latex(&ns, i)) > 0) {
            i = k;
            changed = true;
        } else if (text[i] == '\\' && i + 1 < len && text[i + 1] != '\n') {
            oc_buf_put(&ns.line, text + i, 2);
            i += 2;
        } else if (text[i] == '`') {
            i = notes_code_span(&ns, i);
        } else if (text[i] == '^' && i + 1 < len && text[i + 1] == '[' &&
                   ((k = notes_script(&ns, i)) > 0 ||
                    (k = notes_inline(&ns, i)) > 0)) {
            i = k;
            changed = true;
        } else if (text[i] == '!' && (k = wiki_end(text, len, i + 1)) > 0) {
            notes_embed(&ns, i + 3, k - 2);
            i = k;
            changed = true;
        } else if ((k = wiki_end(text, len, i)) > 0) {
            notes_wikilink(&ns, i + 2, k - 2);
            i = k;
            changed = true;
        } else if ((k = mark_end(text, len, i)) > 0) {
            oc_buf_puts(&ns.line, "<mark>");
            for (size_t a = i + 2, b; a < k - 2; a = b) {
                const char *nl = memchr(text + a, '\n', k - 2 - a);

                b = nl != NULL ? (size_t)(nl - text) : k - 2;
                oc_buf_put(&ns.line, text + a, b - a);
                if (nl != NULL) {
                    notes_newline(&ns);
                    b++;
                }
            }
            oc_buf_puts(&ns.line, "</mark>");
            i = k;
            changed = true;
        } else if ((k = comment_end(text, len, i)) > 0) {
            for (size_t c = i; c < k; c++)
                if (text[c] == '\n')
                    notes_newline(&ns);
            i = k;
            changed = true;
        } else if ((k = display_math(text, len, i)) > 0) {
            notes_math(&ns, i, k);
            i = k;
            changed = true;
        } else if (text[i] == ']' && i + 2 < len && text[i + 1] == '(' &&
                   text[i + 2] == '{' && (k = link_site_ref(&ns, i)) > 0) {
            i = k;
            changed = true;
        } else if ((k = kept_as_written(text, len, i)) > 0) {
            if (text[i] == '$') {
                notes_math(&ns, i, k);
                changed = true;
            } else {
                oc_buf_put(&ns.line, text + i, k - i);
            }
            i = k;
        } else if ((k = notes_script(&ns, i)) > 0) {
            i = k;
            changed = true;
        } else if (text[i] == '{' && (k = liquid_raw(text, len, i)) > 0) {
            i = k;              /* {% raw %}: what follows is as written */
            changed = true;
        } else if (text[i] == '{' && (k = site_ref(&ns, i)) > 0) {
            i = k;
            changed = true;
        } else if (text[i] == '{' && (k = wrapped_attrs_end(text, len, i)) > 0) {
            for (; i < k; i++) {    /* on one line, its lines the block's */
                if (text[i] == '\n')
                    ns.ln++;
                if (text[i] != '\r')
                    oc_buf_put(&ns.line, text[i] == '\n' ? " " : text + i, 1);
            }
            changed = true;
        } else {
            k = i + 1;              /* and what follows that no branch
                                       above could take */
            while (k < len && !NOTES_STOP[(unsigned char)text[k]])
                k++;
            oc_buf_put(&ns.line, text + i, k - i);
            i = k;
        }
    }
    if (ns.line.len > 0 || !bol)
        emit(o, ns.line.data ? ns.line.data : "", ns.line.len, map[ns.ln],
             attrs[ns.ln]);
    if (ns.nnotes > 0)
        notes_definitions(&ns);
    oc_buf_free(&ns.line);
    oc_buf_free(&ns.defs);
    free(ns.deflines);
    return changed;
}

static void
out_free(out *o)
{
    for (int k = 0; k < o->n; k++)
        free(o->attrs[k]);
    free(o->attrs);
    free(o->line);
    oc_buf_free(&o->buf);
}

void
md_prep_run(md_prep *p, const char *text, size_t len)
{
    out a = {0}, b = {0};
    bool changed;

    memset(p, 0, sizeof *p);
    if (memchr(text, '\0', len) != NULL)
        return;
    changed = blocks_pass(text, len, &a, p);
    /* Map a's lines back through nothing: its lines are the chapter's. */
    changed |= notes_pass(a.buf.data ? a.buf.data : "", a.buf.len, a.line,
                          (const char *const *)a.attrs, &b);
    if (changed) {
        p->text = b.buf.data;
        p->len = b.buf.len;
        p->line = b.line;
        p->attrs = b.attrs;
        p->nlines = b.n;
        b.buf.data = NULL;
        b.line = NULL;
        b.attrs = NULL;
        b.n = 0;
    }
    out_free(&a);
    out_free(&b);
}

int
md_prep_line(const md_prep *p, int line)
{
    if (p == NULL || p->text == NULL || line <= 0)
        return line;
    return line <= p->nlines ? p->line[line - 1]
                             : p->line[p->nlines - 1];
}

const char *
md_prep_div_attrs(const md_prep *p, int line)
{
    if (p == NULL || p->text == NULL || line <= 0 || line > p->nlines)
        return NULL;
    return p->attrs[line - 1];
}

void
md_prep_list_type(const md_prep *p, int line, xmlNodePtr ol)
{
    const char *k = md_prep_div_attrs(p, line);
    char type[2] = {0, 0};

    if (k == NULL || strncmp(k, "list:", 5) != 0 || k[5] == '\0')
        return;
    if (strchr("AaIi", k[5]) != NULL) {
        type[0] = k[5];
        xmlSetProp(ol, BAD_CAST "type", BAD_CAST type);
    } else if (k[5] == '@') {
        xmlSetProp(ol, BAD_CAST "class", BAD_CAST "example");
    }
}

void
md_prep_free(md_prep *p)
{
    for (int k = 0; k < p->nlines; k++)
        free(p->attrs[k]);
    free(p->attrs);
    free(p->line);
    free(p->text);
    free(p->title);
    memset(p, 0, sizeof *p);
}

/* ---- a definition's blocks, in the chapter ---- */

/* Definition 'dd', its first paragraph as text, gets the blocks of 'div'
 * after it, the text made a paragraph of its own. */
static void
take_blocks(xmlNodePtr dd, xmlNodePtr div)
{
    bool blocks = false;

    for (xmlNodePtr k = dd->children; k != NULL && !blocks; k = k->next)
        blocks = k->type == XML_ELEMENT_NODE &&
                 (oc_xhtml_is(k, "p") || oc_xhtml_is(k, "div"));
    if (!blocks && dd->children != NULL) {
        xmlNodePtr p = oc_xhtml_add(dd->doc, NULL, "p", oc_xhtml_line(dd));

        oc_xhtml_move_children(dd, p);
        xmlAddChild(dd, p);
    }
    oc_xhtml_move_children(div, dd);
}

void
md_join_definitions(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children, next; k != NULL; k = next) {
        xmlNodePtr dl, dd, after;

        next = k->next;
        if (k->type != XML_ELEMENT_NODE)
            continue;
        md_join_definitions(k);
        if (!oc_xhtml_is(k, "div") ||
            !oc_xhtml_has_word(k, "class", "octavo-dd"))
            continue;
        dl = xmlPreviousElementSibling(k);
        dd = oc_xhtml_is(dl, "dl") ? xmlLastElementChild(dl) : NULL;
        if (!oc_xhtml_is(dd, "dd")) {
            oc_xhtml_unwrap(k);     /* no definition before it */
            continue;
        }
        take_blocks(dd, k);
        after = xmlNextElementSibling(k);
        xmlUnlinkNode(k);
        xmlFreeNode(k);
        if (oc_xhtml_is(after, "dl")) {
            oc_xhtml_move_children(after, dl);  /* the list goes on */
            next = after->next;
            xmlUnlinkNode(after);
            xmlFreeNode(after);
        } else {
            next = dl->next;
        }
    }
}

