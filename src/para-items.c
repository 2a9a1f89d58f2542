/* para-items.c - a paragraph's shaped text as Knuth-Plass items: boxes
 * for its words (and their hyphenation points), glue for its spaces
 * with their share of font expansion and between the characters of CJK
 * text, penalties at the break opportunities of UAX #14 and the
 * languages' own rules, and the margin kerning each break would give. */
#include "para-int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cjk.h"
#include "error.h"

/* ---- characters ---- */

static gunichar
char_at(const oc_para *p, size_t b)
{
    return g_utf8_get_char(p->text + b);
}

/* Does the character at cbyte[k] open a name after a space, a '.' or
 * '/' before a letter or digit (".goldengrahamsrc.json", "/etc/hosts",
 * ".5")? UAX #14 (LB13) keeps a full stop or a slash to what stands
 * before it, spaces and all, for punctuation: a list of such names had
 * no break but at its commas' spaces before them, and ran off the page. */
static bool
opens_a_name(const oc_para *p, const size_t *cbyte, size_t k, size_t n)
{
    gunichar c, d;

    if (k + 1 >= n)
        return false;
    c = char_at(p, cbyte[k]);
    d = char_at(p, cbyte[k + 1]);
    return (c == '.' || c == '/') &&
           (g_unichar_isalnum(d) || (c == '/' && (d == '.' || d == '~')));
}

/* Breaks after these are explicit hyphens (TeX breaks after its
 * hyphenchar and the dash ligatures made of it). */
static bool
is_hyphen_char(gunichar c)
{
    return c == '-' || (c >= 0x2010 && c <= 0x2015);
}

static bool
is_dash(gunichar c)
{
    return c >= 0x2012 && c <= 0x2015;
}

/* A quotation mark that opens a quotation after a dash ("Bingley;—“and"):
 * UAX #14 forbids a break before it, book typography allows one. */
static bool
is_opening_quote(gunichar c)
{
    return c == 0x201C || c == 0x2018 || c == 0x201E || c == 0x201A ||
           c == 0x00AB || c == '"' || c == '\'';
}

static bool
is_nbsp(gunichar c)
{
    return c == 0x00A0 || c == 0x2007 || c == 0x202F;
}

static bool
is_space(gunichar c)
{
    return c == ' ' || c == '\t' ||
           (c >= 0x80 && !is_nbsp(c) &&
            g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR);
}

static bool
is_any_space(gunichar c)
{
    return is_space(c) || is_nbsp(c);
}

/* Hanging punctuation: the share of a glyph's advance that may go into
 * the margin at the end (right in LTR) or the start of a line;
 * microtype's default set, rounded. */
static double
hang_end_factor(gunichar c)
{
    switch (c) {
    case '.': case ',': case '-': case 0x2010: case 0x2011:
    case 0x2019: case '\'':
        return 0.7;
    case 0x201D: case '"':
        return 0.6;
    case ':': case ';': case 0x2013:
        return 0.5;
    case 0x2014: case 0x2015:
        return 0.3;
    case '!': case '?': case 0x2026:
        return 0.2;
    default:
        return 0;
    }
}

static double
hang_start_factor(gunichar c)
{
    switch (c) {
    case 0x2018: case '\'':
        return 0.7;
    case 0x201C: case '"': case 0x201E:
        return 0.6;
    default:
        return 0;
    }
}

/* Is the mark at byte b one that hangs? Not a quotation mark, dash or
 * ellipsis of CJK text: the CJK font's, full-width, its blank half is
 * its own margin. */
static bool
may_hang(const oc_para *p, size_t b)
{
    return !oc_cjk_shared_mark_at(p->text, p->len, b);
}

/* ---- the item list ---- */

static size_t
add_item(oc_para *p, oc_lb_item it, int kind, size_t start, size_t end)
{
    if (p->nitems == p->capitems) {
        size_t cap = p->capitems ? 2 * p->capitems : 64;

        p->items = oc_arena_grow_uncleared(p->scratch, p->items, p->nitems,
                                           cap, sizeof *p->items);
        p->srcs = oc_arena_grow_uncleared(p->scratch, p->srcs, p->nitems,
                                          cap, sizeof *p->srcs);
        p->capitems = cap;
    }
    p->items[p->nitems] = it;
    memset(&p->srcs[p->nitems], 0, sizeof p->srcs[0]);
    p->srcs[p->nitems].kind = kind;
    p->srcs[p->nitems].start = start;
    p->srcs[p->nitems].end = end;
    return p->nitems++;
}

static void
add_synthetic(oc_para *p, oc_lb_item it, size_t at)
{
    add_item(p, it, SRC_NONE, at, at);
}

static double
hyphen_width(oc_para *p, size_t b)
{
    const oc_shape_hyphen *h = oc_shape_hyphen_at(&p->sh, b);

    return h != NULL ? h->width : p->em / 3;
}

/* The material that opens a line after a forced break (and the
 * paragraph): the stretch of end-aligned and centred lines. */
static void
add_line_start(oc_para *p, size_t at, bool first)
{
    double r = p->prm.ragged * p->em;

    if (p->st.align != OC_PARA_END && p->st.align != OC_PARA_CENTER)
        return;
    if (!first) {
        add_synthetic(p, oc_lb_box(0), at);
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), at);
    }
    add_synthetic(p, oc_lb_glue(0, r, 0), at);
}

/* A forced break, or the paragraph's end (TeX's \par). */
static void
add_line_end(oc_para *p, size_t at)
{
    if (p->st.align == OC_PARA_CENTER)
        add_synthetic(p, oc_lb_glue(0, p->prm.ragged * p->em, 0), at);
    if (p->st.align == OC_PARA_JUSTIFY || p->st.align == OC_PARA_START) {
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), at);
        add_synthetic(p, oc_lb_fil(), at);
    }
    add_synthetic(p, oc_lb_penalty(0, -OC_LB_INFINITY, 0), at);
}

/* A break inside a word at byte 'at': 'it' is the penalty or hyphen item
 * (its width what the line gets when it breaks here). Ragged and centred
 * lines keep their stretch where they break (Knuth & Plass). */
static void
add_break(oc_para *p, oc_lb_item it, size_t at, double hang)
{
    double r = p->prm.ragged * p->em;
    size_t k;

    switch (p->st.align) {
    case OC_PARA_JUSTIFY:
        k = add_item(p, it, SRC_NONE, at, at);
        p->srcs[k].hang = hang;
        break;
    case OC_PARA_START:
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), at);
        add_synthetic(p, oc_lb_glue(0, r, 0), at);
        add_synthetic(p, it, at);
        add_synthetic(p, oc_lb_glue(0, -r, 0), at);
        break;
    case OC_PARA_END:
        add_synthetic(p, it, at);
        add_synthetic(p, oc_lb_glue(0, -r, 0), at);
        add_synthetic(p, oc_lb_box(0), at);
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), at);
        add_synthetic(p, oc_lb_glue(0, r, 0), at);
        break;
    case OC_PARA_CENTER:
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), at);
        add_synthetic(p, oc_lb_glue(0, r, 0), at);
        add_synthetic(p, it, at);
        add_synthetic(p, oc_lb_glue(0, -2 * r, 0), at);
        add_synthetic(p, oc_lb_box(0), at);
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), at);
        add_synthetic(p, oc_lb_glue(0, r, 0), at);
        break;
    }
}

/* White space [a, b) where no line may end, or only at 'cost' (a
 * penalty: OC_LB_INFINITY for none). */
static void
add_tied_space(oc_para *p, size_t a, size_t b, double w, double cost)
{
    bool just = oc_para_justified(p);
    size_t k;

    add_synthetic(p, oc_lb_penalty(0, cost, 0), a);
    k = add_item(p, oc_lb_glue(w, just ? w * p->prm.stretch : 0,
                               just ? w * p->prm.shrink : 0),
                 SRC_SPACE, a, b);
    p->srcs[k].sy = p->items[k].stretch;
    p->srcs[k].sz = p->items[k].shrink;
}

/* White space [a, b); 'breakable' if a line may end before it. 'hang':
 * how far the end of the word before it may hang. */
static void
add_space(oc_para *p, size_t a, size_t b, double w, bool breakable,
          double hang)
{
    double r = p->prm.ragged * p->em;
    size_t k;

    if (!breakable) {
        add_tied_space(p, a, b, w, OC_LB_INFINITY);
        return;
    }
    switch (p->st.align) {
    case OC_PARA_JUSTIFY:
        if (hang > 0) {
            k = add_item(p, oc_lb_penalty(-hang, 0, 0), SRC_NONE, a, a);
            p->srcs[k].hang = hang;
        }
        k = add_item(p, oc_lb_glue(w, w * p->prm.stretch,
                                   w * p->prm.shrink), SRC_SPACE, a, b);
        p->srcs[k].sy = p->items[k].stretch;
        p->srcs[k].sz = p->items[k].shrink;
        break;
    case OC_PARA_START:
        add_synthetic(p, oc_lb_glue(0, r, 0), a);
        add_synthetic(p, oc_lb_penalty(0, 0, 0), a);
        add_item(p, oc_lb_glue(w, -r, 0), SRC_SPACE, a, b);
        break;
    case OC_PARA_END:
        add_item(p, oc_lb_glue(w, -r, 0), SRC_SPACE, a, b);
        add_synthetic(p, oc_lb_box(0), b);
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), b);
        add_synthetic(p, oc_lb_glue(0, r, 0), b);
        break;
    case OC_PARA_CENTER:
        add_synthetic(p, oc_lb_glue(0, r, 0), a);
        add_synthetic(p, oc_lb_penalty(0, 0, 0), a);
        add_item(p, oc_lb_glue(w, -2 * r, 0), SRC_SPACE, a, b);
        add_synthetic(p, oc_lb_box(0), b);
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), b);
        add_synthetic(p, oc_lb_glue(0, r, 0), b);
        break;
    }
}

/* A break opportunity inside a word, or the glue between two characters
 * of CJK text. */
typedef struct wbreak {
    size_t at;                  /* byte: the break comes before it */
    int    type;                /* OC_LB_PENALTY, OC_LB_HYPHEN_* or
                                   WB_CJK */
    double penalty;             /* OC_LB_PENALTY; WB_CJK: 0, or
                                   OC_LB_INFINITY where kinsoku forbids
                                   a break */
} wbreak;

#define WB_CJK (-1)

static int
cmp_wbreaks(const void *a, const void *b)
{
    const wbreak *x = a, *y = b;

    return (x->at > y->at) - (x->at < y->at);
}

typedef struct builder {
    const PangoLogAttr *attrs;  /* per character, n + 1 */
    const size_t       *cbyte;  /* character → byte, n + 1 */
    size_t              nchars;
    unsigned char      *nohyph; /* per byte: PANGO_ATTR_INSERT_HYPHENS
                                   is false */
    oc_arena           *scratch;    /* the paragraph's */
    OC_VEC(wbreak)      wb;     /* of the word at hand */
    PangoLanguage      *dict_lang;  /* the language 'dict' is for */
    const oc_hyphen_dict *dict;
    bool                dict_tried;
    bool                cjk;    /* the text has a CJK character */
} builder;

/* Does p's text hold a CJK character? (Each is U+2E80 or above: its
 * UTF-8 lead byte 0xE2 or above.) */
static bool
has_cjk(const oc_para *p)
{
    for (size_t b = 0; b < p->len; b++)
        if ((unsigned char)p->text[b] >= 0xE2 &&
            oc_cjk_is_char(g_utf8_get_char(p->text + b)))
            return true;
    return false;
}

static void
push_wbreak(builder *bd, size_t at, int type, double penalty)
{
    wbreak *w = OC_VEC_PUSH(bd->scratch, &bd->wb);

    w->at = at;
    w->type = type;
    w->penalty = penalty;
}

/* The language of the text at byte b: its run's (xml:lang of an inline
 * element), else the paragraph's. */
static PangoLanguage *
lang_at(const oc_para *p, size_t b)
{
    int ri = p->sh.run_of[b];
    PangoLanguage *lang = ri >= 0
                          ? p->sh.runs[ri].gi->item->analysis.language
                          : NULL;

    return lang != NULL ? lang : pango_language_from_string(p->lang);
}

/* The patterns for the language of the text at byte b. */
static const oc_hyphen_dict *
dict_at(oc_para *p, builder *bd, size_t b)
{
    PangoLanguage *lang = lang_at(p, b);
    oc_error err = {0};

    if (bd->dict_tried && lang == bd->dict_lang)
        return bd->dict;
    bd->dict_tried = true;
    bd->dict_lang = lang;
    bd->dict = NULL;
    if (lang == NULL)
        return NULL;
    if (oc_hyphen_load(p->st.dicts, pango_language_to_string(lang),
                       &bd->dict, &err) != OC_OK)
        oc_warn(p->st.file, p->st.line, 0, "no hyphenation: %s", err.msg);
    /* Never a silently unhyphenated book: once per language and book. */
    if (bd->dict == NULL &&
        oc_hyphen_first_missing(p->st.dicts, pango_language_to_string(lang)))
        oc_warn(p->st.file, p->st.line, 0,
                "no hyphenation patterns for language '%s': its text is "
                "not hyphenated", pango_language_to_string(lang));
    return bd->dict;
}

/* Does the word at byte 'a' open a sentence: nothing but spaces,
 * opening quotes, brackets and dashes between it and the paragraph's
 * start or a full stop, question or exclamation mark, ellipsis? Such a
 * word is capitalised for its place, not as a name, and is hyphenated as
 * any other. */
static bool
opens_sentence(const oc_para *p, size_t a)
{
    const char *t = p->text, *q = t + a;

    while (q > t) {
        gunichar c;

        q = g_utf8_prev_char(q);
        c = g_utf8_get_char(q);
        if (g_unichar_isspace(c) || c == 0xa0 || c == 0x202f ||
            (c < 0x80 && strchr("\"'([{", (int)c) != NULL) ||
            c == 0xab || c == 0xbb || c == 0x2018 || c == 0x201a ||
            c == 0x201c || c == 0x201e || c == 0x2013 || c == 0x2014)
            continue;
        return c == '.' || c == '!' || c == '?' || c == 0x2026;
    }
    return true;
}

/* Hyphenation points of the letters [a, b) by the patterns. */
static void
hyphenate(oc_para *p, builder *bd, size_t a, size_t b)
{
    int pts[OC_SHAPE_MAX_POINTS];
    int n, capital = -1;        /* a name's capital (not a sentence's) */
    const oc_hyphen_dict *d;

    while (b > a &&
           is_hyphen_char(char_at(p, oc_shape_cluster_before(&p->sh, b))))
        b = oc_shape_cluster_before(&p->sh, b);
    /* Fewer bytes than oc_hyphen_word's least letters: nothing to do. */
    if (b - a < 5 || p->st.dicts == NULL)
        return;
    d = dict_at(p, bd, a);
    if (d == NULL)
        return;
    n = oc_shape_hyphen_points(p->st.cache, d, p->text + a, b - a, pts);
    for (int i = 0; i < n; i++) {
        size_t at = a + (size_t)(pts[i] & ~OC_HYPHEN_CAPITAL);

        if (!p->sh.cstart[at] || bd->nohyph[at] || bd->nohyph[at - 1])
            continue;
        if ((pts[i] & OC_HYPHEN_CAPITAL) && capital < 0)
            capital = !opens_sentence(p, a);
        push_wbreak(bd, at, OC_LB_HYPHEN_AUTO,
                    (pts[i] & OC_HYPHEN_CAPITAL) && capital
                        ? p->prm.caps_hyphen_penalty : 0);
    }
}

/* Does the boundary before character k, inside a word, stand beside a
 * CJK character, at a cluster's start (not before a variation
 * selector)? Pango's breaks there, with kinsoku, are the only ones. */
static bool
is_cjk_boundary(const oc_para *p, const builder *bd, size_t k)
{
    const size_t *cb = bd->cbyte;

    return bd->cjk && bd->attrs[k].is_cursor_position &&
           p->sh.cstart[cb[k]] &&
           (oc_cjk_is_char(char_at(p, cb[k - 1])) ||
            oc_cjk_is_char(char_at(p, cb[k])));
}

/* Is it one in a justified paragraph, where the line is justified by
 * spacing its characters (CLREQ, JIS X 4051)? */
static bool
is_cjk_gap(const oc_para *p, const builder *bd, size_t k)
{
    return oc_para_justified(p) && is_cjk_boundary(p, bd, k);
}

static void
push_cjk_gap(builder *bd, size_t at, bool breakable)
{
    push_wbreak(bd, at, WB_CJK, breakable ? 0 : OC_LB_INFINITY);
}

/* A web address: the word holds "://" or starts with "www." (after an
 * opening bracket or a straight quote). */
static bool
is_url(const oc_para *p, size_t a, size_t b)
{
    const char *t = p->text + a;
    size_t n = b - a;

    while (n > 0 && (*t == '(' || *t == '<' || *t == '[' || *t == '"')) {
        t++;
        n--;
    }
    if (n >= 4 && strncmp(t, "www.", 4) == 0)
        return true;
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(t + i, "://", 3) == 0)
            return true;
    return false;
}

/* The breaks of a web address: after '/', '.' and '-' only, where
 * letters or digits follow (not inside "//", not before the closing
 * punctuation), and where a <wbr> stands, with no hyphen drawn: a hyphen added to an address
 * would read as a part of it. */
static void
url_breaks(oc_para *p, builder *bd, size_t ci, size_t cj)
{
    const size_t *cb = bd->cbyte;

    for (size_t k = ci + 1; k < cj; k++) {
        gunichar prev = char_at(p, cb[k - 1]);

        if (is_cjk_gap(p, bd, k)) {     /* the address in CJK text */
            push_cjk_gap(bd, cb[k], bd->attrs[k].is_line_break);
            continue;
        }
        if (is_cjk_boundary(p, bd, k)) {
            if (bd->attrs[k].is_line_break)
                push_wbreak(bd, cb[k], OC_LB_PENALTY, p->prm.other_penalty);
            continue;
        }
        if (prev == 0x200B) {       /* a <wbr>: the author's break */
            push_wbreak(bd, cb[k], OC_LB_PENALTY, 0);
            continue;
        }
        if (!g_unichar_isalnum(char_at(p, cb[k])))
            continue;
        if (prev == '-')
            push_wbreak(bd, cb[k], OC_LB_HYPHEN_EXPLICIT, 0);
        else if (prev == '/' || prev == '.')
            push_wbreak(bd, cb[k], OC_LB_PENALTY, p->prm.other_penalty);
    }
}

/* The breaks of an ordinary word [ci, cj) from its log attributes, and
 * its hyphenation points ('aut'). */
static void
text_breaks(oc_para *p, builder *bd, size_t ci, size_t cj, bool aut)
{
    const size_t *cb = bd->cbyte;
    size_t sub = cb[ci];        /* start of the part to hyphenate */
    bool soft = p->st.hyphens != OC_PARA_HYPHENS_NONE;

    for (size_t k = ci + 1; k < cj; k++) {
        gunichar prev = char_at(p, cb[k - 1]);

        if (is_cjk_gap(p, bd, k)) {
            push_cjk_gap(bd, cb[k], bd->attrs[k].is_line_break);
        } else if (!bd->attrs[k].is_line_break &&
                   !(is_dash(prev) && is_opening_quote(char_at(p, cb[k])))) {
            continue;
        } else if (prev == 0x00AD) {
            if (soft)
                push_wbreak(bd, cb[k], OC_LB_HYPHEN_SOFT, 0);
        } else if (is_hyphen_char(prev)) {
            push_wbreak(bd, cb[k], OC_LB_HYPHEN_EXPLICIT, 0);
        } else if (!is_hyphen_char(char_at(p, cb[k]))) {
            push_wbreak(bd, cb[k], OC_LB_PENALTY, p->prm.other_penalty);
        }
        /* Parts between dashes are words of their own
         * to the patterns; hyphenated compounds are left whole, as TeX
         * leaves them. */
        if (aut && is_dash(prev)) {
            hyphenate(p, bd, sub, cb[k]);
            sub = cb[k];
        }
    }
    if (aut)
        hyphenate(p, bd, sub, cb[cj]);
}

/* The widest piece of [a, b) between the breaks found so far. */
static double
widest_piece(oc_para *p, const builder *bd, size_t a, size_t b)
{
    double widest = 0;
    size_t from = a;

    for (size_t i = 0; i <= bd->wb.n; i++) {
        size_t to = i < bd->wb.n ? bd->wb.v[i].at : b;

        if (to > from) {
            widest = fmax(widest, oc_shape_width(&p->sh, from, to));
            from = to;
        }
    }
    return widest;
}

/* A piece of a word this many lines long, or longer (a sequence, a
 * blob), is broken only where a line is full: no choice of breaks makes
 * it read better, and a break at every character cost the breaker time
 * and memory by the character (a 10 MB word took 100 s and 10 GB). */
#define LONG_PIECE_LINES 8

/* The breaks of word [ci, cj), a piece of which is LONG_PIECE_LINES
 * lines long: at the last character boundary before each line is full,
 * so that the word opens a line and fills the lines it needs. */
static void
fill_breaks(oc_para *p, builder *bd, size_t ci, size_t cj)
{
    const size_t *cb = bd->cbyte;
    size_t from = cb[ci], prev = cb[ci];

    for (size_t k = ci + 1; k < cj; k++) {
        if (!bd->attrs[k].is_cursor_position || !p->sh.cstart[cb[k]] ||
            is_cjk_boundary(p, bd, k))
            continue;
        if (oc_shape_width(&p->sh, from, cb[k]) > p->st.width &&
            prev > from) {
            push_wbreak(bd, prev, OC_LB_PENALTY, p->prm.emergency_penalty);
            from = prev;
        }
        prev = cb[k];
    }
}

/* A break inside a web address of a justified paragraph, where a line
 * may end short as a ragged one does (TeX's \raggedright glue that only
 * a break there brings): its pieces have no space between them to be
 * stretched, and a line of them filled by spreading the words before
 * them is the loosest of the paragraph. */
static void
add_ragged_break(oc_para *p, oc_lb_item it, size_t at, double hang)
{
    double r = p->prm.ragged * p->em;
    size_t k;

    add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), at);
    add_synthetic(p, oc_lb_glue(0, r, 0), at);
    k = add_item(p, it, SRC_NONE, at, at);
    p->srcs[k].hang = hang;
    add_synthetic(p, oc_lb_glue(0, -r, 0), at);
}

/* Inter-character spacing of CJK text (xeCJK's \CJKglue, pLaTeX's
 * \kanjiskip): no width of its own, so that the text is set as its
 * fonts have it; a little stretch, so that a justified line reaches the
 * measure by spacing its characters; and shrink beside marks of
 * punctuation only, a quarter em of a mark's blank half (CLREQ's
 * push-in, JIS X 4051's oikomi), which never squeezes an ideograph. A
 * line can so take in a character or two that would be left alone on
 * the next, and a paragraph can be set a line shorter where a page needs
 * it. In ems of the paragraph's font. */
#define CJK_STRETCH 0.1
#define CJK_SHRINK  0.25

/* Which half of its em square CJK punctuation c leaves blank in text of
 * 'lang': +1 the right (a closing mark: 、。， and closing brackets and
 * quotes), -1 the left (an opening bracket or quote), 0 neither or both.
 * Simplified Chinese sets ：；！？ on the left half too; Japanese and
 * Traditional Chinese centre them, and 、。， as well in Traditional
 * Chinese (CLREQ §3.1.6, JIS X 4051 §3.1.2). */
static int
blank_side(gunichar c, PangoLanguage *lang)
{
    const char *l = pango_language_to_string(lang);
    bool hant = strncmp(l, "zh-hant", 7) == 0 || strncmp(l, "zh-tw", 5) == 0 ||
                strncmp(l, "zh-hk", 5) == 0 || strncmp(l, "zh-mo", 5) == 0;
    bool hans = !hant && strncmp(l, "zh", 2) == 0;

    switch (c) {
    case 0x3001: case 0x3002: case 0xFF0C: case 0xFF0E:   /* 、。，． */
        return hant ? 0 : 1;
    case 0xFF1A: case 0xFF1B: case 0xFF01: case 0xFF1F:   /* ：；！？ */
        return hans ? 1 : 0;
    case 0xFF09: case 0xFF3D: case 0xFF5D: case 0x300D: case 0x300F:
    case 0x3011: case 0x3015: case 0x3009: case 0x300B: case 0x3017:
    case 0x3019: case 0x201D: case 0x2019:
        return 1;
    case 0xFF08: case 0xFF3B: case 0xFF5B: case 0x300C: case 0x300E:
    case 0x3010: case 0x3014: case 0x3008: case 0x300A: case 0x3016:
    case 0x3018: case 0x201C: case 0x2018:
        return -1;
    default:
        return 0;
    }
}

/* Two marks of CJK punctuation side by side before and at byte 'at' keep
 * one half em of blank between them, not two (CLREQ §3.1.6.2, JIS X
 * 4051's 約物の連続): a closing mark then any bracket or mark, or two
 * opening ones. Returns the (negative) width that takes the other half
 * off, or 0. Only marks the font sets on the full em square. */
static double
squeeze(const oc_para *p, size_t at)
{
    size_t before = oc_shape_cluster_before(&p->sh, at);
    size_t after = at + (size_t)g_utf8_skip[(unsigned char)p->text[at]];
    PangoLanguage *lang = lang_at(p, at);
    int a = blank_side(char_at(p, before), lang);
    int b = blank_side(char_at(p, at), lang);
    double w;

    if (after > p->len)
        return 0;
    if (a == 1 && b != 0)
        w = oc_shape_width(&p->sh, before, at);
    else if (a == -1 && b == -1)
        w = oc_shape_width(&p->sh, at, after);
    else
        return 0;
    return w > 0.9 * p->em && w < 1.1 * p->em ? -w / 2 : 0;
}

/* Whether the blank half of a mark of punctuation faces the boundary
 * before byte 'at': a closing mark before it, an opening one after. */
static bool
blank_at(const oc_para *p, size_t at)
{
    PangoLanguage *lang = lang_at(p, at);

    return blank_side(char_at(p, oc_shape_cluster_before(&p->sh, at)),
                      lang) == 1 ||
           blank_side(char_at(p, at), lang) == -1;
}

/* The glue before byte 'at' between two characters of CJK text;
 * 'nobreak': kinsoku forbids a break there. Its width goes to the
 * character before it (paragraph.c, space_widths): none, but where two
 * marks of punctuation meet (squeeze). It shrinks only into the blank
 * half of a mark beside it (CLREQ's push-in), never between two
 * ideographs, which stay an em apart or more. A break there drops it: a
 * mark at the end of a line keeps its blank. */
static void
add_cjk_glue(oc_para *p, size_t at, bool nobreak)
{
    double w = squeeze(p, at);

    if (nobreak)
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), at);
    add_synthetic(p, oc_lb_glue(w, CJK_STRETCH * p->em,
                                w == 0 && blank_at(p, at)
                                    ? CJK_SHRINK * p->em : 0),
                  at);
    p->cjk = true;
}

/* No character of CJK text alone on a paragraph's last line (CLREQ's
 * 孤字不成行): the breaks of its last word 'bd' (ending at byte 'b')
 * that would leave fewer than two characters after them, marks of
 * punctuation aside, are forbidden. The line before then takes a
 * character less, or its marks a little less room. */
static void
no_lone_last_char(const oc_para *p, builder *bd, size_t a, size_t b)
{
    if (!oc_para_has_cjk(p, a, b))
        return;
    for (size_t i = bd->wb.n; i-- > 0;) {
        wbreak *w = &bd->wb.v[i];
        size_t chars = 0;

        for (size_t k = w->at; k < b;
             k = (size_t)(g_utf8_next_char(p->text + k) - p->text)) {
            gunichar c = char_at(p, k);

            chars += !g_unichar_ispunct(c) && !g_unichar_ismark(c);
        }
        if (chars >= 2)
            return;
        w->penalty = OC_LB_INFINITY;
    }
}

/* The word made of characters [ci, cj): its boxes and the breaks inside
 * it. 'last': no line of its paragraph comes after it. */
#define TAB_STOP 8           /* a tab goes to the next of these columns */

/* The width of a space of preformatted text: the paragraph's first. */
static double
kept_space(const oc_para *p)
{
    const char *sp = memchr(p->text, ' ', p->len);

    if (p->tab_space >= 0)
        return p->tab_space;
    return sp != NULL ? oc_shape_width(&p->sh, (size_t)(sp - p->text),
                                       (size_t)(sp - p->text) + 1)
                      : p->em / 2;
}

/* The width 'w' of the indentation of a line of code whose text from
 * byte 'a' opens with a word: no wider than leaves that word the room it
 * needs on the line (seven tabs before "stderr=None)", fifty spaces
 * before "xmlDocPtr doc);"), so that the word is set whole, pulled left,
 * rather than broken after its first letters or past the text's edge
 * (what follows it wraps); one wider than a line keeps it all. A line of
 * white space alone, which shows nothing, is no wider than the measure. */
static double
indent_room(const oc_para *p, size_t a, double w)
{
    size_t e = a;
    double word;

    while (e < p->len && p->text[e] != '\n' && p->text[e] != '\r' &&
           p->text[e] != ' ' && p->text[e] != '\t')
        e++;
    if (e == a)
        return w < p->st.width ? w : p->st.width;
    word = oc_shape_width(&p->sh, a, e);
    if (w + word <= p->st.width || word > p->st.width)
        return w;
    return p->st.width - word;
}

/* The width of the spaces and tabs that open the line of a word at byte
 * 'a', when nothing else comes before it on its line (code's
 * indentation, which the word cannot break away from), as
 * add_kept_space sets it: a word that fits a line may not fit after
 * them. 0 otherwise. */
static double
indent_before(const oc_para *p, size_t a)
{
    size_t s = a, col = 0;
    double w = 0, sp = -1;

    while (s > 0 && (p->text[s - 1] == ' ' || p->text[s - 1] == '\t'))
        s--;
    if (s == a || (s > 0 && p->text[s - 1] != '\n'))
        return 0;
    /* As wide as add_kept_space sets it: a tab to the next stop. */
    for (size_t k = s; k < a; k++) {
        if (p->text[k] == '\t') {
            size_t n = TAB_STOP - col % TAB_STOP;

            if (sp < 0)
                sp = kept_space(p);
            w += (double)n * sp;
            col += n;
        } else {
            w += oc_shape_width(&p->sh, k, k + 1);
            col++;
        }
    }
    return indent_room(p, a, w);
}

static void
add_word(oc_para *p, builder *bd, size_t ci, size_t cj, bool last,
         double hang_start)
{
    const size_t *cb = bd->cbyte;
    size_t a = cb[ci], b = cb[cj], from;
    double widest;
    bool url = is_url(p, a, b);
    bool aut = p->st.hyphens == OC_PARA_HYPHENS_AUTO && !last &&
               (p->st.align == OC_PARA_JUSTIFY ||
                p->st.align == OC_PARA_START);

    bd->wb.n = 0;
    /* Soft hyphens written in a word are its only hyphenation points. */
    for (size_t k = a; aut && k + 1 < b; k++)
        if ((unsigned char)p->text[k] == 0xC2 &&
            (unsigned char)p->text[k + 1] == 0xAD)
            aut = false;
    if (hang_start > 0)
        add_item(p, oc_lb_box(-hang_start), SRC_HANG, a, a);
    if (url)
        url_breaks(p, bd, ci, cj);
    else
        text_breaks(p, bd, ci, cj, aut);
    if (bd->wb.n > 1)
        qsort(bd->wb.v, bd->wb.n, sizeof *bd->wb.v, cmp_wbreaks);
    /* A piece of a word between its breaks that is longer than any line
     * may break anywhere, at a cost. Only then: such breaks, unlike
     * hyphens, are open to the first pass, and would win over them. A
     * piece many lines long breaks only where a line is full. */
    widest = widest_piece(p, bd, a, b) + indent_before(p, a);
    if (widest > LONG_PIECE_LINES * p->st.width) {
        fill_breaks(p, bd, ci, cj);
        if (bd->wb.n > 1)
            qsort(bd->wb.v, bd->wb.n, sizeof *bd->wb.v, cmp_wbreaks);
    } else if (widest > p->st.width) {
        for (size_t k = ci + 1; k < cj; k++)
            if (bd->attrs[k].is_cursor_position && p->sh.cstart[cb[k]] &&
                !is_cjk_boundary(p, bd, k))
                push_wbreak(bd, cb[k], OC_LB_PENALTY,
                            p->prm.emergency_penalty);
        if (bd->wb.n > 1)
            qsort(bd->wb.v, bd->wb.n, sizeof *bd->wb.v, cmp_wbreaks);
    }
    if (last)
        no_lone_last_char(p, bd, a, b);
    from = a;
    for (size_t i = 0; i < bd->wb.n; i++) {
        const wbreak *w = &bd->wb.v[i];
        double hang = 0, width = 0;
        oc_lb_item it;

        if (w->at <= from || w->at >= b)
            continue;           /* a duplicate, or at an edge */
        add_item(p, oc_lb_box(oc_shape_width(&p->sh, from, w->at)),
                 SRC_BOX, from, w->at);
        from = w->at;
        if (w->type == WB_CJK) {
            add_cjk_glue(p, w->at, w->penalty > 0);
            continue;
        }
        if (w->type == OC_LB_HYPHEN_AUTO || w->type == OC_LB_HYPHEN_SOFT) {
            width = hyphen_width(p, oc_shape_cluster_before(&p->sh, w->at));
            if (oc_para_justified(p))
                hang = width * 0.7 * p->prm.protrusion;
            it = oc_lb_hyphen(w->type, width - hang);
            it.penalty = w->penalty;
        } else {
            size_t c = oc_shape_cluster_before(&p->sh, w->at);

            if (oc_para_justified(p))
                hang = oc_shape_width(&p->sh, c, w->at) * p->prm.protrusion *
                       hang_end_factor(char_at(p, c));
            it = w->type == OC_LB_PENALTY
                 ? oc_lb_penalty(-hang, w->penalty, 0)
                 : oc_lb_hyphen(w->type, -hang);
            if (w->penalty >= OC_LB_INFINITY)     /* no_lone_last_char */
                it.penalty = OC_LB_INFINITY;
        }
        if (url && oc_para_justified(p))
            add_ragged_break(p, it, w->at, hang);
        else
            add_break(p, it, w->at, hang);
    }
    add_item(p, oc_lb_box(oc_shape_width(&p->sh, from, b)), SRC_BOX, from, b);
}

/* Font expansion as stretch and shrink of the glue: a space gets the
 * share of the words on either side of it, so that the breaker sees
 * about what a line can take. CJK glyphs keep their squares: a line
 * that holds one is not expanded (paragraph.c), and a CJK box gives its
 * spaces no share. */
static void
add_expansion(oc_para *p)
{
    double left = 0, e = p->prm.expansion;
    size_t last = (size_t)-1;

    if (e <= 0 || !oc_para_justified(p))
        return;
    for (size_t i = 0; i < p->nitems; i++) {
        const srcinfo *s = &p->srcs[i];

        if (s->fixed)
            continue;
        if (s->kind == SRC_BOX && p->cjk &&
            oc_para_has_cjk(p, s->start, s->end))
            continue;
        if (s->kind == SRC_BOX) {
            /* No more of a word than a line holds: a space beside a word
             * many lines long took its whole expansion, and with it a
             * line overfull by a third passed for a tight one. */
            left = fmin(left + p->items[i].width, p->st.width);
        } else if (s->kind == SRC_SPACE ||
                   (p->items[i].type == OC_LB_PENALTY &&
                    p->items[i].penalty <= -OC_LB_INFINITY)) {
            if (last != (size_t)-1) {
                p->items[last].stretch += e * left / 2;
                p->items[last].shrink += e * left / 2;
            }
            if (s->kind == SRC_SPACE) {
                p->items[i].stretch += e * left / 2;
                p->items[i].shrink += e * left / 2;
                last = i;
            } else {
                last = (size_t)-1;
            }
            left = 0;
        }
    }
    if (last != (size_t)-1) {
        p->items[last].stretch += e * left / 2;
        p->items[last].shrink += e * left / 2;
    }
}

/* The one-letter prepositions and conjunctions that may not end a line
 * in 'lang' (Czech and Slovak by ČSN 01 6910, Polish, Russian and
 * Ukrainian by their printers' rules), or NULL. */
static const char *
tied_letters(PangoLanguage *lang)
{
    static const char *const tied[][2] = {
        {"cs;sk", "aikosuvzAIKOSUVZ"},
        {"pl", "aiouwzAIOUWZ"},
        {"ru", "авикосуАВИКОСУ"},
        {"uk", "авзійоуАВЗІЙОУ"}
    };

    for (size_t i = 0; lang != NULL && i < sizeof tied / sizeof tied[0];
         i++)
        if (pango_language_matches(lang, tied[i][0]))
            return tied[i][1];
    return NULL;
}

/* Is the word [ci, cj) one of those letters, perhaps after an opening
 * bracket or quote ("(в")? The space after it is then a tie, in the
 * PDF's lines only: the text, and so the EPUB, stays as written. */
static bool
is_tied_word(const oc_para *p, const size_t *cb, size_t ci, size_t cj)
{
    const char *letters;
    gunichar c;

    while (ci + 1 < cj) {
        GUnicodeType t = g_unichar_type(char_at(p, cb[ci]));

        if (t != G_UNICODE_OPEN_PUNCTUATION &&
            t != G_UNICODE_INITIAL_PUNCTUATION && char_at(p, cb[ci]) != '"')
            return false;
        ci++;
    }
    c = char_at(p, cb[ci]);
    letters = tied_letters(lang_at(p, cb[ci]));
    return letters != NULL && c > ' ' && g_utf8_strchr(letters, -1, c);
}

/* Does the space [ci, cj) of French text stand inside guillemets or
 * before a high punctuation mark (; : ! ?), where French printers set a
 * thin no-break space? Only where the author typed a space: the text
 * keeps its characters, and the EPUB the author's spaces (as pandoc
 * leaves them), the reading system's justification being its own. */
static bool
is_french_thin(const oc_para *p, const size_t *cb, size_t ci, size_t cj,
               size_t nchars)
{
    gunichar before = ci > 0 ? char_at(p, cb[ci - 1]) : 0;
    gunichar after = cj < nchars ? char_at(p, cb[cj]) : 0;

    if (before != 0x00AB && before != 0x2039 && after != ';' &&
        after != ':' && after != '!' && after != '?' && after != 0x00BB &&
        after != 0x203A)
        return false;
    return pango_language_matches(lang_at(p, cb[ci]), "fr");
}

#define THIN_SPACE (1.0 / 6)    /* of an em: a thin space (Bringhurst) */

/* A thin no-break space for the white space [a, b): its glyphs are set
 * to that width. */
static void
add_thin_space(oc_para *p, size_t a, size_t b)
{
    size_t k;

    add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), a);
    k = add_item(p, oc_lb_glue(p->em * THIN_SPACE, 0, 0), SRC_SPACE, a, b);
    p->srcs[k].fixed = true;
}

/* Preformatted white space, characters [ci, cj) from column 'col' of its
 * line: as wide as its spaces, a tab to the next stop (columns counted
 * in characters, as in the monospaced text it is written for); returns
 * the columns its tabs add beyond one each. Opening
 * a line (the indent of a line of code), it is kept there: glue held by
 * an empty box, which a break does not discard; its glyphs are not
 * drawn. Elsewhere it is a space of that width. */
static size_t
add_kept_space(oc_para *p, const size_t *cb, size_t ci, size_t cj,
               size_t col, bool line_start, bool breakable)
{
    size_t col0 = col;
    double w = 0, sp = -1;
    size_t k;

    for (k = ci; k < cj; k++) {
        if (char_at(p, cb[k]) == '\t') {
            size_t n = TAB_STOP - (col + k - ci) % TAB_STOP;

            if (sp < 0)
                sp = kept_space(p);
            w += (double)n * sp;
            col += n - 1;
        } else {
            w += oc_shape_width(&p->sh, cb[k], cb[k + 1]);
        }
    }
    if (!line_start && !breakable) {
        /* No-break spaces, as tex4ht writes a listing's: a last resort,
         * rather than a line of code past the text's edge. */
        add_tied_space(p, cb[ci], cb[cj], w, OC_LB_LATE);
        return col - col0;
    }
    if (!line_start) {
        add_space(p, cb[ci], cb[cj], w, breakable, 0);
        return col - col0;
    }
    w = indent_room(p, cb[cj], w);
    add_synthetic(p, oc_lb_box(0), cb[ci]);
    add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), cb[ci]);
    k = add_item(p, oc_lb_glue(w, 0, 0), SRC_SPACE, cb[ci], cb[cj]);
    p->srcs[k].fixed = true;
    return col - col0;
}

/* The byte offset of each of the paragraph's first 'nchars' characters
 * into cbyte (and p->len after the last); returns how many there are. */
static size_t
char_offsets(const oc_para *p, size_t nchars, size_t *cbyte)
{
    const char *s = p->text;
    size_t k = 0;

    while (k < nchars && (size_t)(s - p->text) < p->len) {
        cbyte[k++] = (size_t)(s - p->text);
        s = g_utf8_next_char(s);
    }
    cbyte[k] = p->len;
    return k;
}

/* A flag per byte of the text: set where hyphenation is turned off
 * (hyphens: none on a span of a paragraph that hyphenates). */
static unsigned char *
no_hyphens(oc_para *p)
{
    unsigned char *no = oc_arena_alloc(p->scratch, p->len + 1);
    PangoAttrIterator *it;

    if (p->attrs == NULL || p->st.hyphens != OC_PARA_HYPHENS_AUTO)
        return no;
    it = pango_attr_list_get_iterator(p->attrs);
    do {
        PangoAttribute *a = pango_attr_iterator_get(it,
                                                    PANGO_ATTR_INSERT_HYPHENS);
        int s, e;

        if (a == NULL || ((PangoAttrInt *)a)->value)
            continue;
        pango_attr_iterator_range(it, &s, &e);
        for (size_t b = (size_t)s; b < (size_t)e && b <= p->len; b++)
            no[b] = 1;
    } while (pango_attr_iterator_next(it));
    pango_attr_iterator_destroy(it);
    return no;
}

void
oc_para_build_items(oc_para *p, const PangoLogAttr *attrs, int nattrs)
{
    builder bd;
    size_t nchars = (size_t)(nattrs > 0 ? nattrs - 1 : 0);
    size_t *cbyte = oc_arena_alloc(p->scratch, (nchars + 1) * sizeof *cbyte);
    size_t ci = 0;
    bool line_start = true, after_space = false, tie = false;
    size_t line_char = 0;       /* preformatted: the line's first */
    size_t tab_cols = 0;        /* character, and its tabs' columns */
    double pro = oc_para_justified(p) ? p->prm.protrusion : 0;

    memset(&bd, 0, sizeof bd);
    nchars = char_offsets(p, nchars, cbyte);
    bd.attrs = attrs;
    bd.cbyte = cbyte;
    bd.nchars = nchars;
    bd.scratch = p->scratch;
    bd.nohyph = no_hyphens(p);
    bd.cjk = has_cjk(p);

    if (p->st.indent != 0)
        add_synthetic(p, oc_lb_box(p->st.indent), 0);
    add_line_start(p, 0, true);
    while (ci < nchars) {
        gunichar c = char_at(p, cbyte[ci]);
        size_t cj = ci + 1, k;
        double hang = 0;
        bool breakable, last;

        if (oc_shape_is_newline(c)) {
            add_line_end(p, cbyte[ci]);
            add_line_start(p, cbyte[cj], false);
            line_start = true;
            line_char = cj;
            tab_cols = 0;
            after_space = false;
            ci = cj;
            continue;
        }
        if (is_space(c) || is_nbsp(c)) {
            bool nobreak = is_nbsp(c), all_nbsp = is_nbsp(c);

            for (; cj < nchars && is_any_space(char_at(p, cbyte[cj])); cj++) {
                nobreak |= is_nbsp(char_at(p, cbyte[cj]));
                all_nbsp &= is_nbsp(char_at(p, cbyte[cj]));
            }
            /* Code may wrap at any of its runs of spaces, also where
             * prose may not (UAX #14 keeps a '/' or ')' to the word
             * before: "'use strict';        // 1" had no break but in
             * its string, and its line overran the page). */
            if (p->st.preserve) {
                tab_cols += add_kept_space(p, cbyte, ci, cj,
                                           ci - line_char + tab_cols,
                                           line_start,
                                           !line_start && !nobreak);
                after_space = !line_start;
                line_start = false;
                ci = cj;
                continue;
            }
            /* No-break spaces that open a line (verse's indents, as
             * pandoc's line blocks write them) are kept: a box, which
             * the line's start does not discard as it does glue. */
            if (line_start && all_nbsp) {
                add_item(p, oc_lb_box(oc_shape_width(&p->sh, cbyte[ci],
                                                     cbyte[cj])),
                         SRC_BOX, cbyte[ci], cbyte[cj]);
                line_start = false;
                ci = cj;
                continue;
            }
            if (ci > 0 && pro > 0 &&
                may_hang(p, oc_shape_cluster_before(&p->sh, cbyte[ci]))) {
                size_t pc = oc_shape_cluster_before(&p->sh, cbyte[ci]);

                hang = oc_shape_width(&p->sh, pc, cbyte[ci]) * pro *
                       hang_end_factor(char_at(p, pc));
            }
            breakable = !nobreak && !tie && !line_start &&
                        (attrs[cj].is_line_break ||
                         opens_a_name(p, cbyte, cj, nchars));
            if (is_french_thin(p, cbyte, ci, cj, nchars)) {
                add_thin_space(p, cbyte[ci], cbyte[cj]);
                breakable = false;
            } else if (!breakable && !nobreak && !tie && !line_start) {
                /* A space UAX #14 keeps (before a ')' or '!', after
                 * a '('): a last resort, rather than a line past the
                 * text's edge. */
                add_tied_space(p, cbyte[ci], cbyte[cj],
                               oc_shape_width(&p->sh, cbyte[ci], cbyte[cj]),
                               OC_LB_LATE);
            } else {
                add_space(p, cbyte[ci], cbyte[cj],
                          oc_shape_width(&p->sh, cbyte[ci], cbyte[cj]),
                          breakable, hang);
            }
            after_space = breakable;
            tie = false;
            ci = cj;
            continue;
        }
        while (cj < nchars && !is_any_space(char_at(p, cbyte[cj])) &&
               !oc_shape_is_newline(char_at(p, cbyte[cj])))
            cj++;
        for (k = cj; k < nchars && is_any_space(char_at(p, cbyte[k])); k++)
            ;
        last = k == nchars || oc_shape_is_newline(char_at(p, cbyte[k]));
        /* An opening quote may hang into the start margin; the space
         * before it is wider by as much, so that unbroken it is as wide
         * as ever. Not after an indent. */
        if (pro > 0 && (after_space || line_start) &&
            !(ci == 0 && p->st.indent != 0) && may_hang(p, cbyte[ci])) {
            hang = oc_shape_width(&p->sh, cbyte[ci], cbyte[ci + 1]) * pro *
                   hang_start_factor(c);
            if (after_space)
                p->items[p->nitems - 1].width += hang;
        }
        add_word(p, &bd, ci, cj, last, hang);
        tie = is_tied_word(p, cbyte, ci, cj);
        line_start = false;
        after_space = false;
        ci = cj;
    }
    add_line_end(p, p->len);
    add_expansion(p);
}
