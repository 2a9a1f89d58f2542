/* md-int.h - private to markdown.c and md-*.c: what the Markdown
 * importer's passes over cmark-gfm's tree share (the chapter's source
 * behind a text node, pandoc's attribute blocks, definition-list marks,
 * quotes by language). */
#ifndef OC_MD_INT_H
#define OC_MD_INT_H

#include <cmark-gfm.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The chapter's text, for what cmark-gfm's tree no longer shows: a
 * backslash escape, the straight quote behind a curly one. */
typedef struct md_source {
    const char *text;
    size_t      len;
    size_t     *lines;      /* offset of each line's first byte */
    int         nlines;
    size_t     *after;      /* the end of the last text node found */
} md_source;

/* Index the lines of 'text' (borrowed; it must outlive s). */
void md_source_init(md_source *s, const char *text, size_t len);
void md_source_free(md_source *s);

/* A text node's literal aligned with its source: literal byte i came
 * from src[map[i]] (map[len] is the end of the node's source), and
 * esc[i] is true when it was written backslash-escaped. */
typedef struct md_aligned {
    const char    *src;     /* the node's first byte in the chapter */
    size_t         srclen;  /* bytes from there to the end of its line */
    size_t        *map;     /* len + 1 offsets into src */
    unsigned char *esc;     /* len flags */
    size_t         len;     /* of the literal */
} md_aligned;

/* Align text node n with its source. False when its source position is
 * unknown or does not match its literal (then nothing in the literal
 * may be read as markup of ours). Free with md_aligned_free. */
bool md_align(const md_source *s, cmark_node *n, md_aligned *out);
void md_aligned_free(md_aligned *a);

/* An attribute block, pandoc's {#id .class key=value}. */
typedef struct md_attrs {
    char   *id;
    char   *classes;        /* space-separated, or NULL */
    char  **keys, **values;
    size_t  n;
} md_attrs;

/* Parse the attribute block at s (s[0] == '{') into *out (zeroed
 * first). Returns its length through the '}', or 0, with *out empty,
 * when s does not start one: an empty block, a raw block {=html}, a bare
 * word. */
size_t md_attrs_parse(const char *s, size_t len, md_attrs *out);
void md_attrs_clear(md_attrs *a);
/* Put attributes a on element el: the id, the classes (after any it
 * has), 'lang' as lang and xml:lang, width and height of an image as its
 * attributes (whole pixels) or CSS (other units, percentages); keys that
 * are not attributes of HTML's become data-KEY. */
void md_attrs_apply(xmlNodePtr el, const md_attrs *a, const char *file);

/* pandoc's constructs that cmark-gfm does not read, rewritten into what
 * it does before it parses the chapter (md-pandoc.c): a YAML metadata
 * block at the top is blanked; a fenced div becomes a "<div>" line (its
 * attribute block or class word kept in attrs[] at that line) and a
 * "</div>" line, each set apart by blank lines; a line block becomes
 * lines with hard breaks in a div of class line-block; \newpage alone
 * a page-break div; ^[inline notes] references to footnotes defined
 * after the last line; fancy list markers decimal ones, the list's kind
 * ("list:A", "list:i", "list:@"...) in attrs[] at their line. 'text' is NULL when there was nothing to
 * rewrite; else line[k - 1] is the chapter line of its line k. A
 * metadata block's one-line 'title' (TOML's too) is kept in 'title'. */
typedef struct md_prep {
    char  *text;
    size_t len;
    int   *line;
    char **attrs;
    int    nlines;
    char  *title;           /* the metadata block's title, or NULL */
    int    title_line;      /* its chapter line */
    char   dropped[40];     /* the first site generator's tag left out */
    int    dropped_line;    /* its chapter line; 0 when none was */
    int    ndropped;
} md_prep;

/* The type of the <ol> 'ol' whose first item is at line 'line' of the
 * rewritten text, when a fancy marker began it: type="A", "a", "I", "i",
 * or class="example". */
void md_prep_list_type(const md_prep *p, int line, xmlNodePtr ol);
void md_prep_run(md_prep *p, const char *text, size_t len);
/* The chapter line (relative to the text's first) of rewritten line
 * 'line'; 'line' itself when nothing was rewritten. */
int md_prep_line(const md_prep *p, int line);
/* The attribute block or class word of the fenced div opened at
 * rewritten line 'line', or NULL. */
const char *md_prep_div_attrs(const md_prep *p, int line);
void md_prep_free(md_prep *p);

/* The Markdown pass before conversion: attribute blocks after headings,
 * images, links and code spans are parsed and hung on the node they
 * follow (cmark_node_get_user_data: an md_attrs), bracketed spans
 * [text]{...} become CUSTOM_INLINE nodes carrying theirs, definition
 * lists are marked (md_mark_*), and the constructs octavo does not turn
 * into structure ($...$ math, [TOC] markers) are warned about, once per
 * kind. Freed with md_pass_free. */
typedef struct md_pass {
    const md_source *src;
    const char      *file;
    int              line0;     /* file line of the text's line 1, - 1 */
    const md_prep   *prep;      /* the rewriting's lines, or NULL */
    md_attrs       **made;      /* every md_attrs hung on a node */
    size_t           nmade;
    unsigned         warned;    /* kinds already warned about */
} md_pass;

void md_pass_run(md_pass *p, cmark_node *root);
void md_pass_free(md_pass *p);

/* Definition lists (pandoc's syntax) as the pass marks them, in
 * user_data: a paragraph that is a term alone, or a term with its
 * definitions (a line each, after a soft break marked DD), or loose
 * definitions (each in its own paragraph, after the term's). */
extern const char md_mark_term[], md_mark_entry[], md_mark_defs[];
extern const char md_mark_dd[];

/* GitHub's alerts: a block quote whose first line is [!NOTE], [!TIP],
 * [!IMPORTANT], [!WARNING] or [!CAUTION] (in any case), the pass strips
 * that line and marks the quote; md_alert_of gives its kind (an index in
 * md_alerts, in labels.h's order from OC_LABEL_NOTE), or -1. Obsidian's
 * callouts too: "[!tip] A title", of its other types (info, danger...)
 * as the nearest of those kinds; the quote's first paragraph then holds
 * the title's words alone, marked md_mark_title, its lines after them a
 * paragraph of their own. */
extern const char *const md_alerts[];
extern const char md_mark_title[];
int md_alert_of(cmark_node *quote);

/* Curly quotes of the language 'lang' (BCP 47): the quotes cmark-gfm
 * made (English ones) become that language's; NULL when they stay as
 * they are. */
typedef struct md_quotes {
    const char *open2, *close2, *open1, *close1;
    bool        spaced;     /* a narrow no-break space inside (French) */
    bool        no_apostrophe;  /* ’ between letters closes a quote too */
} md_quotes;

const md_quotes *md_quotes_for(const char *lang);
/* Text with cmark-gfm's curly quotes replaced by q's (caller frees):
 * when 'al' aligns the text with its source, only those that were
 * straight there. '*single' counts the single quotes open in the
 * paragraph so far, so that a closing one is told from an apostrophe;
 * '*double_open' the double ones. */
char *md_quotes_apply(const md_quotes *q, const char *text,
                      const md_aligned *al, int *single, int *double_open);

/* The blocks of pandoc's definitions after their first paragraph, which
 * md_prep_run writes in divs of class octavo-dd after their list, moved
 * into their definitions under 'root', and the lists they parted joined
 * again (md-pandoc.c). */
void md_join_definitions(xmlNodePtr root);

/* Raw HTML before libxml2 reads it (md-html.c). */

/* The elements an HTML fragment leaves open at its end, outermost first
 * (at most 'max', names of up to 15 bytes, lower-cased); void elements,
 * self-closing tags, comments and the text of script and style do not
 * count. */
int md_open_tags(const char *s, char (*names)[16], int max);

/* Word's "Save as Web Page" markup that an HTML parser would show as
 * text or misread, taken out of 'text' into 'out' (true if any): the
 * markers of downlevel-revealed conditional comments (<![if !vml]> and
 * <![endif]>, whose content browsers show) and the <o:p> tags of its
 * paragraphs (which libxml2's parser reads as <p>). New lines stay, so
 * that lines keep their numbers. */
bool md_word_markup(const char *text, size_t len, oc_buf *out);

/* Text that is not UTF-8 but declares an encoding, as UTF-8 (g_free);
 * NULL when it is UTF-8, declares none or does not convert. */
char *md_from_declared(const char *text, size_t len, size_t *outlen);

/* The line and column (from 1) of byte 'off' of 'text', whose first line
 * is 'first_line'. */
void md_position_of(const char *text, long off, int first_line, int *line,
                    int *col);

/* 'text' (*len bytes), or a copy of it in 'trimmed' without the
 * attributes past the cap of any element (sanitize.h), with a warning at
 * the first such element. */
const char *md_capped(const char *text, size_t *len, const char *file,
                      int first_line, oc_buf *trimmed);

/* An internal DTD subset with entity declarations is refused before
 * parsing: no entity expansion, no XXE. Returns the offset of the first
 * "<!ENTITY" in the DOCTYPE, or -1. */
long md_entity_declaration(const char *text, size_t len);

/* The emphasis that exported HTML gives by class (".c3{font-weight:700}"
 * in a <style> of the document 'root', Google Docs' way) made elements
 * (b, i, u, s, sup, sub) around what those classes style (md-styles.c). */
void md_style_classes(xmlNodePtr root);

/* The footnotes of exported HTML made octavo's (a noteref, and an aside
 * typed footnote around the note's block) under 'root' (md-notes.c):
 * those of HTML written from Markdown (pandoc's, kramdown's,
 * cmark-gfm's: a typed reference into the list of notes at the end),
 * and two links pointing at each other with one short label (Word's
 * _ftn1/_ftnref1, Google Docs' ftnt1/ftnt_ref1). */
void md_html_notes(xmlNodePtr root);

/* The allocator of cmark-gfm's parser and tree for one conversion on
 * this thread (md-mem.c), and its end: everything it gave is freed, so
 * nothing it gave may be used after. */
cmark_mem *md_mem_begin(void);
void md_mem_end(void);
/* A node of the conversion's allocator: cmark-gfm joins only nodes of
 * the same one (a node of another is silently left out). */
cmark_node *md_node_new(cmark_node_type type);
/* The allocator itself, whatever md_mem_begin gives (for the tests). */
cmark_mem *md_mem_arena(void);

#endif
