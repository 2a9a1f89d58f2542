/* cjk.c - the rules of CJK text that UAX #14 and Pango leave to the
 * typesetter (cjk.h): its characters, the line-breaking prohibitions of
 * JIS X 4051 (its strict rule) and CLREQ, and the font of the
 * punctuation it shares with Latin text. */
#include "cjk.h"

/* ---- characters ---- */

bool
oc_cjk_is_char(gunichar c)
{
    return (c >= 0x2E80 && c <= 0x2FFF) ||      /* radicals, IDCs */
           (c >= 0x3001 && c <= 0x303F) ||      /* CJK punctuation */
           (c >= 0x3040 && c <= 0x312F) ||      /* kana, bopomofo */
           (c >= 0x3190 && c <= 0x31FF) ||      /* kanbun... strokes */
           (c >= 0x3200 && c <= 0x4DBF) ||      /* enclosed, ext. A */
           (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) ||      /* compatibility */
           (c >= 0xFE10 && c <= 0xFE1F) ||      /* vertical forms */
           (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF01 && c <= 0xFF60) ||      /* full-width forms */
           (c >= 0xFFE0 && c <= 0xFFE6) ||
           (c >= 0x1B000 && c <= 0x1B16F) ||    /* kana supplements */
           (c >= 0x20000 && c <= 0x3FFFF);      /* ext. B and on */
}

/* Marks of both Latin and CJK text: CJK punctuation in CJK text. */
static bool
is_shared_mark(gunichar c)
{
    return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
           c == 0x2014 || c == 0x2015 || c == 0x2026 || c == 0x2025 ||
           c == 0x00B7 || c == 0x2027;
}

bool
oc_cjk_shared_mark_at(const char *text, size_t len, size_t b)
{
    const char *a = text + b, *z = text + b;

    if (b >= len || !is_shared_mark(g_utf8_get_char(a)))
        return false;
    while (a > text && is_shared_mark(g_utf8_get_char(
                           g_utf8_prev_char(a))))
        a = g_utf8_prev_char(a);
    while (z < text + len && is_shared_mark(g_utf8_get_char(z)))
        z = g_utf8_next_char(z);
    return (a > text && oc_cjk_is_char(g_utf8_get_char(
                            g_utf8_prev_char(a)))) ||
           (z < text + len && oc_cjk_is_char(g_utf8_get_char(z)));
}

static bool
is_middle_dot(gunichar c)
{
    return c == 0x00B7 || c == 0x2027 || c == 0x30FB || c == 0xFF65;
}

/* Closing brackets and quotes, and what JIS X 4051 and CLREQ keep from
 * a line's start: full stops and commas, ! ? : ;, small kana and the
 * prolonged sound mark (the strict rule), iteration marks, the wave
 * dash, ellipses, percent and degree signs. */
static bool
is_closing(gunichar c)
{
    static const gunichar set[] = {
        0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F,
        0xFF09, 0xFF3D, 0xFF5D, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011,
        0x3015, 0x3017, 0x3019, 0x301B, 0x301E, 0x301F, 0xFF60, 0xFF63,
        0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085,
        0x3087, 0x308E, 0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7,
        0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6,
        0x30FC, 0x309D, 0x309E, 0x30FD, 0x30FE, 0x3005, 0x303B, 0x301C,
        0x30A0, 0x2026, 0x2025, 0xFF05, 0x2103, 0x203C, 0x2047, 0x2048,
        0x2049
    };

    if (c >= 0x31F0 && c <= 0x31FF)     /* small katakana for Ainu */
        return true;
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == c)
            return true;
    return false;
}

static bool
is_opening(gunichar c)
{
    static const gunichar set[] = {
        0xFF08, 0xFF3B, 0xFF5B, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010,
        0x3014, 0x3016, 0x3018, 0x301A, 0x301D, 0xFF5F, 0xFF62
    };

    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == c)
            return true;
    return false;
}

/* Is the shared mark cs[i] in CJK text: is the nearest character before
 * or after it that is no shared mark a CJK one? ("don’t" keeps its
 * apostrophe, “你好” has CJK quotation marks.) */
static bool
in_cjk_text(const gunichar *cs, size_t n, size_t i)
{
    size_t a = i, b = i + 1;

    while (a > 0 && is_shared_mark(cs[a - 1]))
        a--;
    while (b < n && is_shared_mark(cs[b]))
        b++;
    return (a > 0 && oc_cjk_is_char(cs[a - 1])) ||
           (b < n && oc_cjk_is_char(cs[b]));
}

/* Kinsoku classes. */
enum {
    KS_ANY,                     /* may start or end a line */
    KS_OPENING,                 /* may not end a line */
    KS_CLOSING,                 /* may not start a line */
    KS_NEITHER                  /* a middle dot: neither */
};

/* The kinsoku class of character i. A shared mark is CJK punctuation in
 * CJK text only; there a quotation mark's shape tells its role. */
static int
kinsoku_class(const gunichar *cs, size_t n, size_t i)
{
    gunichar c = cs[i];

    if (is_shared_mark(c) && !in_cjk_text(cs, n, i))
        return KS_ANY;
    if (is_middle_dot(c))
        return KS_NEITHER;
    if (is_opening(c) || c == 0x201C || c == 0x2018)
        return KS_OPENING;
    if (is_closing(c) || c == 0x201D || c == 0x2019)
        return KS_CLOSING;
    return KS_ANY;
}

static bool
is_quote(gunichar c)
{
    return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019;
}

/* Does CJK text have a break before character i where UAX #14 before
 * Unicode 15.1 had none (LB19): beside a quotation mark, between CJK
 * characters or punctuation, after a closing quotation mark or before
 * an opening one? */
static bool
quote_break(const gunichar *cs, const int *cls, size_t i)
{
    int ka = cls[i - 1], kb = cls[i];

    if (!(oc_cjk_is_char(cs[i - 1]) || ka != KS_ANY) ||
        !(oc_cjk_is_char(cs[i]) || kb != KS_ANY) ||
        ka == KS_OPENING || ka == KS_NEITHER || kb == KS_CLOSING ||
        kb == KS_NEITHER)
        return false;
    return is_quote(cs[i - 1]) || is_quote(cs[i]);
}

void
oc_cjk_tailor_breaks(const char *text, PangoLogAttr *la, size_t n,
                     bool add)
{
    gunichar *cs = g_new(gunichar, n ? n : 1);
    const char *t = text;
    int *cls;
    bool any = false;

    for (size_t i = 0; i < n; i++, t = g_utf8_next_char(t)) {
        cs[i] = g_utf8_get_char(t);
        any |= oc_cjk_is_char(cs[i]);
    }
    if (!any) {
        g_free(cs);
        return;
    }
    cls = g_new(int, n);
    for (size_t i = 0; i < n; i++)
        cls[i] = kinsoku_class(cs, n, i);
    for (size_t i = 1; i < n; i++) {
        int ka = cls[i - 1], kb = cls[i];

        if (la[i].is_mandatory_break)
            continue;
        if (ka == KS_OPENING || ka == KS_NEITHER || kb == KS_CLOSING ||
            kb == KS_NEITHER)
            la[i].is_line_break = 0;
        else if (add && la[i].is_cursor_position && quote_break(cs, cls, i))
            la[i].is_line_break = 1;
    }
    g_free(cls);
    g_free(cs);
}

/* ---- fonts ---- */

static bool
is_cjk_language(PangoLanguage *lang)
{
    return lang != NULL &&
           pango_language_matches(lang, "zh;ja;ko;yue;lzh;cmn;wuu;hak;nan");
}

/* The font of the CJK character at byte b of 'text' if item 'it' holds
 * it, else NULL. */
static PangoFont *
cjk_font_at(const char *text, const PangoItem *it, size_t b)
{
    if (it == NULL || it->analysis.font == NULL ||
        b < (size_t)it->offset ||
        b >= (size_t)(it->offset + it->length) ||
        !oc_cjk_is_char(g_utf8_get_char(text + b)))
        return NULL;
    return it->analysis.font;
}

/* Does 'font' have every character of text[a, b)? */
static bool
covers(PangoFont *font, const char *text, size_t a, size_t b)
{
    for (const char *t = text + a; t < text + b; t = g_utf8_next_char(t))
        if (!pango_font_has_char(font, g_utf8_get_char(t)))
            return false;
    return true;
}

/* Split the first 'len' bytes off the item of list node l into an item
 * of their own, before l; returns the list's head. */
static GList *
split_before(GList *items, GList *l, const char *text, size_t len)
{
    PangoItem *it = l->data;
    int nchars = (int)g_utf8_strlen(text + it->offset, (gssize)len);
    PangoItem *head = pango_item_split(it, (int)len, nchars);

    return g_list_insert_before(items, l, head);
}

static void
set_font(PangoItem *it, PangoFont *f)
{
    g_object_unref(it->analysis.font);
    it->analysis.font = g_object_ref(f);
}

/* The end of the shared marks from byte 'from' on, at most 'end':
 * 'from' if there are none there. */
static size_t
mark_run(const char *text, size_t from, size_t end)
{
    size_t b = from;

    while (b < end && is_shared_mark(g_utf8_get_char(text + b)))
        b = (size_t)(g_utf8_next_char(text + b) - text);
    return b;
}

GList *
oc_cjk_punct_fonts(const char *text, GList *items)
{
    for (GList *l = items; l != NULL; l = l->next) {
        PangoItem *it = l->data;
        size_t a = (size_t)it->offset, end = a + (size_t)it->length;

        if (!is_cjk_language(it->analysis.language))
            continue;
        while (a < end) {
            size_t b = mark_run(text, a, end);
            PangoFont *f = NULL;

            if (b == a) {
                a = (size_t)(g_utf8_next_char(text + a) - text);
                continue;
            }
            if (a == (size_t)it->offset && l->prev != NULL)
                f = cjk_font_at(text, l->prev->data,
                                (size_t)(g_utf8_prev_char(text + a) - text));
            if (f == NULL && b == end && l->next != NULL)
                f = cjk_font_at(text, l->next->data, b);
            if (f == NULL || it->analysis.font == NULL ||
                f == it->analysis.font ||
                !covers(f, text, a, b)) {
                a = b;
                continue;
            }
            if (a > (size_t)it->offset)
                items = split_before(items, l, text, a - (size_t)it->offset);
            if (b < end)                /* l keeps the rest, [b, end) */
                items = split_before(items, l, text, b - a);
            set_font(b < end ? l->prev->data : it, f);
            a = b;
        }
    }
    return items;
}
