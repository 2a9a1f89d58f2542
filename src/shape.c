/* shape.c - shape a paragraph's text once (shape.h): itemise it, with
 * our own itemiser for plain Latin text in one font and Pango's for any
 * other (a letter and its marks kept in one font, no slanted upright
 * faces for scripts without italics, the punctuation of CJK text in the
 * CJK font); shape each item word by word through a cache of shaped
 * words, or the whole text with one unwrapped PangoLayout for the
 * attributes only it applies; index the clusters; find the break
 * opportunities, with our own UAX #14 rules for plain Latin text and
 * Pango's for any other, tailored to the kinsoku rules of CJK text
 * (cjk.h). */
#include "shape.h"

#include <stdlib.h>
#include <string.h>

#include <hb-ot.h>
#include <pango/pangofc-font.h>

#include "cjk.h"
#include "error.h"
#include "fontlock.h"

#define PT(x)       ((double)(x) / PANGO_SCALE)

/* ---- characters ---- */

bool
oc_shape_is_newline(gunichar c)
{
    return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

/* Is c in the repertoire simple_breaks() knows: Latin letters, digits,
 * punctuation, spaces, dashes and quotes, the object replacement
 * character, a newline; no combining mark, no other script. */
static bool
is_simple_char(gunichar c)
{
    return (c >= 0x20 && c < 0x7F) || c == '\n' ||
           (c >= 0xA0 && c < 0x250) || (c >= 0x2010 && c <= 0x2027) ||
           (c >= 0x2030 && c <= 0x205E) || c == 0xFFFC;
}

/* ---- the cache ---- */

/* A key of the cache: the header and the text. */
typedef struct wkey {
    void          *font;        /* words: the PangoFont (a reference);
                                   hyphens: the oc_hyphen_dict */
    const char    *feats;       /* words: OpenType features (interned),
                                   or NULL */
    PangoLanguage *lang;
    int            level;
    int            script;
    size_t         len;
    char           text[];
} wkey;

/* A table of the words seen lately, in two generations: a word looked up
 * moves to the young one, and when that is full the old one is dropped
 * and the young one takes its place. The words a book uses all the time
 * stay; the memory stays under two generations' worth, however long the
 * book and its vocabulary. */
typedef struct wtable {
    GHashTable *young, *old;
    unsigned long turns;        /* how often the young became the old */
} wtable;

#define GENERATION 16384        /* words per generation */

struct oc_shape_cache {
    GHashTable *metrics;        /* PangoFont * → fmetrics * */
    GHashTable *fonts;          /* fkey * → ffont * (itemize_latin) */
    wtable      words;          /* wkey * → PangoGlyphString * */
    wtable      hyphens;        /* wkey * (font: the dictionary) → int[]:
                                   how many points, then the points */
    GHashTable *missing;        /* "U+XXXX file" of each character no
                                   font had (oc_shape_first_missing) */
    GHashTable *alive;          /* a reference to every font shaped with,
                                   until the cache goes: so that freeing a
                                   paragraph never drops a font's last
                                   reference (which would reach cairo
                                   outside the font lock) */
};

/* Hold a reference to 'font' for the cache's life (no-op without one). */
static void
keep_alive(oc_shape_cache *c, PangoFont *font)
{
    if (c != NULL && font != NULL && !g_hash_table_contains(c->alive, font))
        g_hash_table_add(c->alive, g_object_ref(font));
}

/* A key to look up, built on the stack for short words. */
typedef struct wkey_buf {
    wkey  *k;
    union {
        wkey  k;
        char  bytes[sizeof(wkey) + 64];
    } u;
} wkey_buf;

static wkey *
key_of(wkey_buf *kb, const void *font, const char *feats,
       PangoLanguage *lang, int level, int script, const char *text,
       size_t len)
{
    kb->k = len <= 64 ? &kb->u.k : oc_xmalloc(sizeof(wkey) + len);
    kb->k->font = (void *)font;
    kb->k->feats = feats;
    kb->k->lang = lang;
    kb->k->level = level;
    kb->k->script = script;
    kb->k->len = len;
    memcpy(kb->k->text, text, len);
    return kb->k;
}

/* A copy of the key for the table to keep. */
static wkey *
key_keep(wkey_buf *kb)
{
    wkey *k;

    if (kb->k != &kb->u.k)
        return kb->k;
    k = oc_xmalloc(sizeof(wkey) + kb->k->len);
    memcpy(k, kb->k, sizeof(wkey) + kb->k->len);
    return k;
}

static void
key_done(wkey_buf *kb)
{
    if (kb->k != &kb->u.k)
        free(kb->k);
}

static guint
wkey_hash(gconstpointer k)
{
    const wkey *w = k;
    const unsigned char *b = (const unsigned char *)w->text;
    guint h = 2166136261u ^ (guint)(uintptr_t)w->font ^
              (guint)(uintptr_t)w->feats ^ (guint)(uintptr_t)w->lang ^
              (guint)(w->level * 31 + w->script);

    for (size_t i = 0; i < w->len; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static gboolean
wkey_equal(gconstpointer a, gconstpointer b)
{
    const wkey *x = a, *y = b;

    return x->font == y->font && x->feats == y->feats &&
           x->lang == y->lang &&
           x->level == y->level && x->script == y->script &&
           x->len == y->len && memcmp(x->text, y->text, x->len) == 0;
}

static void
wkey_free(gpointer k)
{
    wkey *w = k;

    if (w->font != NULL)
        g_object_unref(w->font);
    free(w);
}

static void
hkey_free(gpointer k)
{
    free(k);
}

/* A font of the cache: the first of the fontset of a description and a
 * language, which PangoLayout gives every character it covers. */
typedef struct fkey {
    PangoFontDescription *desc;
    PangoLanguage        *lang;
} fkey;

#define COV_LOW   0x250         /* Latin to IPA: bits[0 .. COV_LOW) */
#define COV_PUNCT 0x2000        /* and general punctuation, 128 more */

typedef struct ffont {
    PangoFont     *font;        /* references */
    PangoCoverage *coverage;
    uint64_t       bits[(COV_LOW + 128 + 63) / 64];   /* covered exactly,
                                   of the characters Latin text is made
                                   of, looked up once per font */
} ffont;

/* Does ff's font cover c exactly? */
static bool
covers(const ffont *ff, gunichar c)
{
    size_t i = c < COV_LOW ? c
             : c >= COV_PUNCT && c < COV_PUNCT + 128
             ? COV_LOW + (c - COV_PUNCT) : SIZE_MAX;

    if (i == SIZE_MAX)
        return pango_coverage_get(ff->coverage, (int)c) ==
               PANGO_COVERAGE_EXACT;
    return (ff->bits[i / 64] >> (i % 64)) & 1;
}

static void
set_bit(ffont *ff, size_t i, gunichar c)
{
    if (pango_coverage_get(ff->coverage, (int)c) == PANGO_COVERAGE_EXACT)
        ff->bits[i / 64] |= (uint64_t)1 << (i % 64);
}

static void
set_bits(ffont *ff)
{
    memset(ff->bits, 0, sizeof ff->bits);
    for (gunichar c = 0; c < COV_LOW; c++)
        set_bit(ff, c, c);
    for (gunichar c = 0; c < 128; c++)
        set_bit(ff, COV_LOW + c, COV_PUNCT + c);
}

static void
ffont_free(gpointer v)
{
    ffont *f = v;

    g_object_unref(f->font);
    if (f->coverage != NULL)
        pango_coverage_unref(f->coverage);
    free(f);
}

static guint
fkey_hash(gconstpointer k)
{
    const fkey *f = k;

    return pango_font_description_hash(f->desc) ^ (guint)(uintptr_t)f->lang;
}

static gboolean
fkey_equal(gconstpointer a, gconstpointer b)
{
    const fkey *x = a, *y = b;

    return x->lang == y->lang &&
           pango_font_description_equal(x->desc, y->desc);
}

static void
fkey_free(gpointer k)
{
    fkey *f = k;

    pango_font_description_free(f->desc);
    free(f);
}

/* What oc_shape_run_style needs of a font's metrics, in points (asked
 * once per font through the cache). */
typedef struct fmetrics {
    double ascent, descent;
    double ul_pos, ul_thick, st_pos, st_thick;
} fmetrics;

/* The font's metric 'tag' where it has one (not zero), else 'dflt'. */
static int
ot_metric(hb_font_t *hb, hb_ot_metrics_tag_t tag, int dflt)
{
    hb_position_t v;

    return hb_ot_metrics_get_position(hb, tag, &v) && v != 0 ? v : dflt;
}

void
oc_shape_font_metrics(PangoFont *font, oc_font_metrics *m)
{
    hb_font_t *hb = pango_font_get_hb_font(font);
    hb_font_extents_t ext;
    FcMatrix *mx;
    double yy = 1;

    hb_font_get_extents_for_direction(hb, HB_DIRECTION_LTR, &ext);
    /* A transformed face (a synthetic oblique): its extents scaled by
     * the matrix's vertical factor, as Pango does. */
    if (PANGO_IS_FC_FONT(font) &&
        FcPatternGetMatrix(pango_fc_font_get_pattern(PANGO_FC_FONT(font)),
                           FC_MATRIX, 0, &mx) == FcResultMatch &&
        (mx->xx != 1 || mx->xy != 0 || mx->yx != 0 || mx->yy != 1))
        yy = mx->yy;
    m->ascent = yy != 1 ? (int)(ext.ascender * yy) : ext.ascender;
    m->descent = yy != 1 ? (int)(-ext.descender * yy) : -ext.descender;
    /* The font's own figures where it has them (not zero), else one
     * unit thick, the underline a unit below, the strikethrough at half
     * the ascent. */
    m->ul_thick = ot_metric(hb, HB_OT_METRICS_TAG_UNDERLINE_SIZE,
                            PANGO_SCALE);
    m->ul_pos = ot_metric(hb, HB_OT_METRICS_TAG_UNDERLINE_OFFSET,
                          -PANGO_SCALE);
    m->st_thick = ot_metric(hb, HB_OT_METRICS_TAG_STRIKEOUT_SIZE,
                            PANGO_SCALE);
    m->st_pos = ot_metric(hb, HB_OT_METRICS_TAG_STRIKEOUT_OFFSET,
                          m->ascent / 2);
}

void
oc_shape_context_metrics(PangoContext *ctx, const PangoFontDescription *d,
                         int *ascent, int *descent)
{
    const char *sample =
        pango_language_get_sample_string(pango_context_get_language(ctx));
    PangoAttrList *attrs = pango_attr_list_new();
    PangoFont *f;
    GList *items;
    oc_font_metrics m;

    *ascent = *descent = 0;
    if ((f = pango_context_load_font(ctx, d)) != NULL) {
        oc_shape_font_metrics(f, &m);
        *ascent = m.ascent;
        *descent = m.descent;
        g_object_unref(f);
    }
    pango_attr_list_insert(attrs, pango_attr_font_desc_new(d));
    items = pango_itemize(ctx, sample, 0, (int)strlen(sample), attrs, NULL);
    for (GList *l = items; l != NULL; l = l->next) {
        const PangoItem *it = l->data;

        if (it->analysis.font == NULL)
            continue;
        oc_shape_font_metrics(it->analysis.font, &m);
        *ascent = MAX(*ascent, m.ascent);
        *descent = MAX(*descent, m.descent);
    }
    g_list_free_full(items, (GDestroyNotify)pango_item_free);
    pango_attr_list_unref(attrs);
}

static const fmetrics *
font_metrics(oc_shape_cache *c, PangoFont *font, fmetrics *tmp)
{
    fmetrics *fm = c != NULL ? g_hash_table_lookup(c->metrics, font) : NULL;
    oc_font_metrics m;

    if (fm != NULL)
        return fm;
    oc_fonts_lock();
    oc_shape_font_metrics(font, &m);
    fm = c != NULL ? oc_xmalloc(sizeof *fm) : tmp;
    fm->ascent = PT(m.ascent);
    fm->descent = PT(m.descent);
    fm->ul_pos = -PT(m.ul_pos);
    fm->ul_thick = PT(m.ul_thick);
    fm->st_pos = -PT(m.st_pos);
    fm->st_thick = PT(m.st_thick);
    oc_fonts_unlock();
    if (c != NULL)
        g_hash_table_insert(c->metrics, g_object_ref(font), fm);
    return fm;
}

static void
wtable_init(wtable *t, GDestroyNotify key_free, GDestroyNotify value_free)
{
    t->young = g_hash_table_new_full(wkey_hash, wkey_equal, key_free,
                                     value_free);
    t->old = g_hash_table_new_full(wkey_hash, wkey_equal, key_free,
                                   value_free);
}

static void
wtable_free(wtable *t)
{
    g_hash_table_destroy(t->young);
    g_hash_table_destroy(t->old);
}

/* Make room for a word in the young generation: when it is full, it
 * becomes the old one. What the dropped one held goes: a value borrowed
 * from the table lives until GENERATION more words are added. The
 * caller holds the font lock when the keys hold fonts. */
static void
wtable_room(wtable *t)
{
    GHashTable *drop;

    if (g_hash_table_size(t->young) < GENERATION)
        return;
    drop = t->old;
    t->old = t->young;
    t->young = drop;
    g_hash_table_remove_all(t->young);
    t->turns++;
}

static bool
wtable_full(const wtable *t)
{
    return g_hash_table_size(t->young) >= GENERATION;
}

/* The value of key 'k', moved to the young generation; NULL if none.
 * The caller made room first (wtable_room). */
static void *
wtable_lookup(wtable *t, const wkey *k)
{
    gpointer key, value = g_hash_table_lookup(t->young, k);

    if (value != NULL || !g_hash_table_steal_extended(t->old, k, &key,
                                                      &value))
        return value;
    g_hash_table_insert(t->young, key, value);
    return value;
}

oc_shape_cache *
oc_shape_cache_new(void)
{
    oc_shape_cache *c = oc_xcalloc(1, sizeof *c);

    c->metrics = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                       g_object_unref, free);
    c->fonts = g_hash_table_new_full(fkey_hash, fkey_equal, fkey_free,
                                     ffont_free);
    wtable_init(&c->words, wkey_free,
                (GDestroyNotify)pango_glyph_string_free);
    wtable_init(&c->hyphens, hkey_free, free);
    c->alive = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                     g_object_unref, NULL);
    c->missing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       NULL);
    return c;
}

void
oc_shape_cache_free(oc_shape_cache *c)
{
    if (c == NULL)
        return;
    oc_fonts_lock();                /* its keys hold fonts */
    g_hash_table_destroy(c->metrics);
    g_hash_table_destroy(c->fonts);
    wtable_free(&c->words);
    wtable_free(&c->hyphens);
    g_hash_table_destroy(c->alive);
    oc_fonts_unlock();
    g_hash_table_destroy(c->missing);
    free(c);
}

void
oc_shape_cache_forget_words(oc_shape_cache *c)
{
    oc_fonts_lock();                /* its keys hold fonts */
    g_hash_table_remove_all(c->words.young);
    g_hash_table_remove_all(c->words.old);
    g_hash_table_remove_all(c->hyphens.young);
    g_hash_table_remove_all(c->hyphens.old);
    oc_fonts_unlock();
}

/* The OpenType features an item is shaped with (font-variant-numeric's:
 * "lnum 1, tnum 1"), its font-features attributes in the order Pango
 * applies them, as one interned string; NULL for none. */
static const char *
item_features(const PangoAnalysis *an)
{
    const char *one = NULL;
    GString *s = NULL;
    const char *out;

    for (GSList *l = an->extra_attrs; l != NULL; l = l->next) {
        const PangoAttribute *a = l->data;
        const char *f = ((const PangoAttrFontFeatures *)a)->features;

        if (a->klass->type != PANGO_ATTR_FONT_FEATURES)
            continue;
        if (one == NULL) {
            one = f;
            continue;
        }
        if (s == NULL)
            s = g_string_new(one);
        g_string_append(s, ", ");
        g_string_append(s, f);
    }
    if (s == NULL)
        return one != NULL ? g_intern_string(one) : NULL;
    out = g_intern_string(s->str);
    g_string_free(s, TRUE);
    return out;
}

/* Give back what a glyph string holds beyond its glyphs: shaping,
 * splitting and growing leave up to twice as much, and a book keeps
 * every word it shaped lately and every line of its chapters laid out.
 * The arrays are Pango's to free, with g_free, whatever their size. */
static void
trim_glyphs(PangoGlyphString *gs)
{
    int n = gs->num_glyphs > 0 ? gs->num_glyphs : 1;

    if (gs->space > n) {
        gs->glyphs = g_renew(PangoGlyphInfo, gs->glyphs, n);
        gs->log_clusters = g_renew(int, gs->log_clusters, n);
        gs->space = n;
    }
}

/* The glyphs of text[0..len) in the item's font, features and direction,
 * shaped once per cache; borrowed from it. 'covered': the font has a
 * glyph for every character, so shaping stays inside HarfBuzz (which is
 * safe on any thread); a missing glyph makes Pango measure its box with
 * cairo, under the font lock. */
static const PangoGlyphString *
shaped_word(oc_shape_cache *c, const PangoAnalysis *an, const char *text,
            size_t len, bool covered)
{
    const char *feats = item_features(an);
    wkey_buf kb;
    wkey *k = key_of(&kb, an->font, feats, an->language, an->level % 2,
                     an->script, text, len);
    PangoGlyphString *gs;
    PangoAnalysis word = *an;
    PangoAttribute *fa = NULL;
    GSList one = { NULL, NULL };

    if (wtable_full(&c->words)) {
        oc_fonts_lock();                /* its keys hold fonts */
        wtable_room(&c->words);
        oc_fonts_unlock();
    }
    gs = wtable_lookup(&c->words, k);
    if (gs != NULL) {
        key_done(&kb);
        return gs;
    }
    /* Pango applies a feature to the bytes of the paragraph its
     * attribute covers; the word is shaped alone, and the whole item is
     * in the attribute's range: the features cover all of it. */
    word.extra_attrs = NULL;
    if (feats != NULL) {
        fa = pango_attr_font_features_new(feats);
        one.data = fa;
        word.extra_attrs = &one;
    }
    gs = pango_glyph_string_new();
    if (!covered)
        oc_fonts_lock();
    pango_shape_with_flags(text, (int)len, text, (int)len, &word, gs,
                           PANGO_SHAPE_NONE);
    if (!covered)
        oc_fonts_unlock();
    if (fa != NULL)
        pango_attribute_destroy(fa);
    trim_glyphs(gs);
    k = key_keep(&kb);
    if (k->font != NULL) {
        g_object_ref(k->font);
        keep_alive(c, k->font);
    }
    g_hash_table_insert(c->words.young, k, gs);
    return gs;
}

/* Room for 'n' glyphs in 'gs', its arrays grown by doubling:
 * pango_glyph_string_set_size reallocates both on every call, and a
 * paragraph is put together word by word (two reallocations a word were
 * two fifths of a book's allocations, each under the lock of the one
 * heap its threads share). */
static void
reserve_glyphs(PangoGlyphString *gs, int n)
{
    int space = gs->space > 0 ? gs->space : 4;

    if (n <= gs->space)
        return;
    while (space < n)
        space *= 2;
    gs->glyphs = g_renew(PangoGlyphInfo, gs->glyphs, space);
    gs->log_clusters = g_renew(int, gs->log_clusters, space);
    gs->space = space;
}

/* Append 'src' to 'dst', its clusters moved by 'delta' bytes. */
static void
append_glyphs(PangoGlyphString *dst, const PangoGlyphString *src, int delta)
{
    int n0 = dst->num_glyphs;

    reserve_glyphs(dst, n0 + src->num_glyphs);
    dst->num_glyphs = n0 + src->num_glyphs;
    memcpy(dst->glyphs + n0, src->glyphs,
           (size_t)src->num_glyphs * sizeof *src->glyphs);
    for (int i = 0; i < src->num_glyphs; i++)
        dst->log_clusters[n0 + i] = src->log_clusters[i] + delta;
}

int
oc_shape_hyphen_points(oc_shape_cache *c, const oc_hyphen_dict *d,
                       const char *word, size_t len, int *pts)
{
    static const oc_hyphen_opts last = {.capitalized = OC_HYPHEN_CAPS_LAST};
    wkey_buf kb;
    wkey *k;
    int *v, n;

    if (c == NULL)
        return oc_hyphen_word(d, &last, word, len, pts, OC_SHAPE_MAX_POINTS);
    k = key_of(&kb, d, NULL, NULL, 0, 0, word, len);
    wtable_room(&c->hyphens);
    v = wtable_lookup(&c->hyphens, k);
    if (v == NULL) {
        n = oc_hyphen_word(d, &last, word, len, pts, OC_SHAPE_MAX_POINTS);
        v = oc_xmalloc((size_t)(n + 1) * sizeof *v);
        v[0] = n;
        memcpy(v + 1, pts, (size_t)n * sizeof *v);
        g_hash_table_insert(c->hyphens.young, key_keep(&kb), v);
    } else {
        key_done(&kb);
    }
    memcpy(pts, v + 1, (size_t)v[0] * sizeof *v);
    return v[0];
}

/* ---- break opportunities of plain Latin text ---- */

static GUnicodeBreakType
simple_class(gunichar c)
{
    GUnicodeBreakType t = g_unichar_break_type(c);

    /* UAX #14 LB1: ambiguous and unknown ones are alphabetic. */
    if (t == G_UNICODE_BREAK_AMBIGUOUS || t == G_UNICODE_BREAK_UNKNOWN)
        return G_UNICODE_BREAK_ALPHABETIC;
    return t;
}

#define IS(t, k) ((t) == G_UNICODE_BREAK_##k)
#define ALPHA(t) (IS(t, ALPHABETIC) || IS(t, HEBREW_LETTER))

/* May a line break come between characters of classes a and b (pa:
 * the class before a, c: that of the last one before b that is not a
 * space, nx: the one after b)? UAX #14 rules LB6-LB31 for the classes of
 * is_simple_char. */
static bool
simple_break(GUnicodeBreakType pa, GUnicodeBreakType a, GUnicodeBreakType b,
             GUnicodeBreakType c, GUnicodeBreakType nx)
{
    if (IS(b, LINE_FEED) || IS(b, MANDATORY) || IS(b, SPACE))
        return false;                                   /* LB6, LB7 */
    if (IS(a, NON_BREAKING_GLUE) ||
        (IS(b, NON_BREAKING_GLUE) && !IS(a, SPACE) && !IS(a, AFTER) &&
         !IS(a, HYPHEN)))
        return false;                                   /* LB11, LB12 */
    if (IS(b, CLOSE_PUNCTUATION) || IS(b, CLOSE_PARANTHESIS) ||
        IS(b, EXCLAMATION) || IS(b, INFIX_SEPARATOR) || IS(b, SYMBOL))
        return false;                                   /* LB13 */
    if (IS(c, OPEN_PUNCTUATION) ||                      /* LB14 */
        (IS(c, QUOTATION) && IS(b, OPEN_PUNCTUATION)) ||
        ((IS(c, CLOSE_PUNCTUATION) || IS(c, CLOSE_PARANTHESIS)) &&
         IS(b, NON_STARTER)) ||
        (IS(c, BEFORE_AND_AFTER) && IS(b, BEFORE_AND_AFTER)))
        return false;                                   /* LB15-LB17 */
    if (IS(a, SPACE))
        return true;                                    /* LB18 */
    if (IS(a, QUOTATION) || IS(b, QUOTATION))
        return false;                                   /* LB19 */
    if (IS(a, CONTINGENT) || IS(b, CONTINGENT))
        return true;                                    /* LB20 */
    if (IS(b, AFTER) || IS(b, HYPHEN) || IS(b, NON_STARTER) ||
        IS(a, BEFORE) || IS(b, INSEPARABLE))
        return false;                                   /* LB21, LB22 */
    if ((ALPHA(a) && IS(b, NUMERIC)) || (IS(a, NUMERIC) && ALPHA(b)) ||
        ((IS(a, PREFIX) || IS(a, POSTFIX)) && ALPHA(b)) ||
        (ALPHA(a) && (IS(b, PREFIX) || IS(b, POSTFIX))))
        return false;                                   /* LB23, LB24 */
    if (((IS(a, PREFIX) || IS(a, POSTFIX)) &&
         (IS(b, NUMERIC) ||
          ((IS(b, OPEN_PUNCTUATION) || IS(b, HYPHEN)) &&
           IS(nx, NUMERIC)))) ||
        ((IS(a, OPEN_PUNCTUATION) || IS(a, HYPHEN) || IS(a, NUMERIC)) &&
         IS(b, NUMERIC)) ||
        ((IS(a, SYMBOL) || IS(a, INFIX_SEPARATOR)) && IS(pa, NUMERIC) &&
         IS(b, NUMERIC)) ||
        ((IS(a, NUMERIC) || IS(a, CLOSE_PUNCTUATION) ||
          IS(a, CLOSE_PARANTHESIS)) &&
         (IS(b, POSTFIX) || IS(b, PREFIX))))
        return false;                                   /* LB25 */
    if ((ALPHA(a) && ALPHA(b)) || (IS(a, INFIX_SEPARATOR) && ALPHA(b)))
        return false;                                   /* LB28, LB29 */
    if (((ALPHA(a) || IS(a, NUMERIC)) && IS(b, OPEN_PUNCTUATION)) ||
        (IS(a, CLOSE_PARANTHESIS) && (ALPHA(b) || IS(b, NUMERIC))))
        return false;                                   /* LB30 */
    return true;                                        /* LB31 */
}

/* Fill la[0..n] (n characters) with the line breaks and cursor
 * positions of text made of is_simple_char characters only, as
 * pango_default_break would for them, at a small part of its cost.
 * Returns false, having done nothing, for any other text. */
static bool
simple_breaks(oc_arena *a, const char *text, size_t len, PangoLogAttr *la,
              size_t n)
{
    GUnicodeBreakType *cls = oc_arena_alloc(a, (n + 1) * sizeof *cls);
    GUnicodeBreakType last = G_UNICODE_BREAK_SPACE;
    const char *t = text, *end = text + len;
    size_t i = 0;

    for (; t < end && i < n; t = g_utf8_next_char(t), i++) {
        gunichar c = g_utf8_get_char(t);

        if (!is_simple_char(c))
            return false;
        cls[i] = c == '\n' ? G_UNICODE_BREAK_LINE_FEED : simple_class(c);
    }
    cls[n] = G_UNICODE_BREAK_SPACE;
    memset(la, 0, (n + 1) * sizeof *la);
    for (i = 0; i <= n; i++) {
        la[i].is_cursor_position = 1;
        la[i].is_char_break = 1;
        if (i == 0)
            continue;
        if (i < n && (IS(cls[i - 1], LINE_FEED))) {
            la[i].is_line_break = la[i].is_mandatory_break = 1;
        } else if (i == n) {
            la[i].is_line_break = la[i].is_mandatory_break = 1;
        } else {
            if (!IS(cls[i - 1], SPACE))
                last = cls[i - 1];
            la[i].is_line_break = simple_break(
                i > 1 ? cls[i - 2] : G_UNICODE_BREAK_SPACE, cls[i - 1],
                cls[i], last, cls[i + 1]);
        }
        la[i - 1].is_white = IS(cls[i - 1], SPACE) ||
                             IS(cls[i - 1], LINE_FEED);
    }
    return true;
}

#undef IS
#undef ALPHA

/* ---- itemising ---- */

static gboolean
take_first(PangoFontset *fs, PangoFont *font, gpointer data)
{
    (void)fs;
    *(PangoFont **)data = font;
    return TRUE;
}

/* The font PangoLayout gives text of 'desc' and 'lang' that its first
 * font covers, with its coverage; borrowed from the cache. */
static const ffont *
first_font(oc_shape *s, const PangoFontDescription *desc,
           PangoLanguage *lang)
{
    fkey k = { (PangoFontDescription *)desc, lang }, *kk;
    ffont *ff = g_hash_table_lookup(s->cache->fonts, &k);
    PangoFontset *fs;
    PangoFont *f = NULL;

    if (ff != NULL)
        return ff;
    oc_fonts_lock();
    fs = pango_context_load_fontset(s->context, desc, lang);
    if (fs == NULL) {
        oc_fonts_unlock();
        return NULL;
    }
    pango_fontset_foreach(fs, take_first, &f);
    if (f != NULL) {
        kk = oc_xmalloc(sizeof *kk);
        kk->desc = pango_font_description_copy(desc);
        kk->lang = lang;
        ff = oc_xmalloc(sizeof *ff);
        ff->font = g_object_ref(f);
        ff->coverage = pango_font_get_coverage(f, lang);
        if (ff->coverage != NULL)
            set_bits(ff);
        g_hash_table_insert(s->cache->fonts, kk, ff);
    }
    g_object_unref(fs);
    oc_fonts_unlock();
    return ff;
}

/* Attributes itemize_latin knows: those of fonts, lines, colours,
 * language, rise, breaks and OpenType features. */
static gboolean
not_latin_attr(PangoAttribute *a, gpointer data)
{
    switch (a->klass->type) {
    case PANGO_ATTR_LANGUAGE:
    case PANGO_ATTR_FAMILY:
    case PANGO_ATTR_STYLE:
    case PANGO_ATTR_WEIGHT:
    case PANGO_ATTR_STRETCH:
    case PANGO_ATTR_SIZE:
    case PANGO_ATTR_ABSOLUTE_SIZE:
    case PANGO_ATTR_SCALE:
    case PANGO_ATTR_FOREGROUND:
    case PANGO_ATTR_FOREGROUND_ALPHA:
    case PANGO_ATTR_BACKGROUND:
    case PANGO_ATTR_BACKGROUND_ALPHA:
    case PANGO_ATTR_UNDERLINE:
    case PANGO_ATTR_UNDERLINE_COLOR:
    case PANGO_ATTR_STRIKETHROUGH:
    case PANGO_ATTR_STRIKETHROUGH_COLOR:
    case PANGO_ATTR_OVERLINE:
    case PANGO_ATTR_OVERLINE_COLOR:
    case PANGO_ATTR_RISE:
    case PANGO_ATTR_INSERT_HYPHENS:
    case PANGO_ATTR_ALLOW_BREAKS:
    case PANGO_ATTR_FONT_FEATURES:
        break;
    default:
        *(bool *)data = true;
        break;
    }
    return FALSE;
}

/* pango_itemize for plain Latin text (is_simple_char), left to right,
 * whose every character the first font of its fontset covers: one item
 * for each range of the attributes, in that font, as PangoLayout would
 * make them, at a small part of the cost (no script, bidi or fallback
 * analysis). NULL, having done nothing, for anything else. */
static GList *
itemize_latin(oc_shape *s)
{
    PangoAttrIterator *it;
    PangoLanguage *base = pango_context_get_language(s->context);
    GList *items = NULL;
    bool other = false, letters = false;

    if (s->rtl || s->cache == NULL)
        return NULL;
    for (const char *t = s->text; t < s->text + s->len;
         t = g_utf8_next_char(t)) {
        gunichar c = g_utf8_get_char(t);

        if (!is_simple_char(c))
            return NULL;
        letters |= g_unichar_isalpha(c);
    }
    if (s->attrs != NULL) {
        PangoAttrList *none = pango_attr_list_filter(s->attrs,
                                                     not_latin_attr, &other);

        if (none != NULL)
            pango_attr_list_unref(none);
        if (other)
            return NULL;
    }
    it = s->attrs != NULL ? pango_attr_list_get_iterator(s->attrs) : NULL;
    do {
        int b = 0, e = (int)s->len;
        PangoFontDescription *d = pango_font_description_copy_static(s->font);
        PangoLanguage *lang = NULL;
        GSList *extra = NULL;
        const ffont *ff;
        PangoFont *font;
        PangoItem *item;
        int nchars = 0;

        if (it != NULL) {
            pango_attr_iterator_range(it, &b, &e);
            if (e > (int)s->len)
                e = (int)s->len;
            if (b >= e) {
                pango_font_description_free(d);
                continue;
            }
            pango_attr_iterator_get_font(it, d, &lang, &extra);
        }
        if (lang == NULL)
            lang = base;
        ff = first_font(s, d, lang);
        pango_font_description_free(d);
        font = ff != NULL && ff->coverage != NULL ? ff->font : NULL;
        for (const char *t = s->text + b; font != NULL &&
             t < s->text + e; t = g_utf8_next_char(t), nchars++) {
            gunichar c = g_utf8_get_char(t);

            if (c != '\n' && !covers(ff, c))
                font = NULL;
        }
        if (font == NULL) {             /* a fallback font is needed */
            g_slist_free_full(extra, (GDestroyNotify)pango_attribute_destroy);
            g_list_free_full(items, (GDestroyNotify)pango_item_free);
            items = NULL;
            break;
        }
        item = pango_item_new();
        item->offset = b;
        item->length = e - b;
        item->num_chars = nchars;
        item->analysis.font = g_object_ref(font);
        item->analysis.level = 0;
        item->analysis.gravity = PANGO_GRAVITY_SOUTH;
        item->analysis.script = letters ? PANGO_SCRIPT_LATIN
                                        : PANGO_SCRIPT_COMMON;
        item->analysis.language = lang;
        item->analysis.extra_attrs = extra;
        items = g_list_prepend(items, item);
    } while (it != NULL && pango_attr_iterator_next(it));
    if (it != NULL)
        pango_attr_iterator_destroy(it);
    return g_list_reverse(items);
}

/* Does 'font' have every character of text[a, b)? */
static bool
font_covers(PangoFont *font, const char *text, size_t a, size_t b)
{
    for (const char *t = text + a; t < text + b; t = g_utf8_next_char(t))
        if (!pango_font_has_char(font, g_utf8_get_char(t)))
            return false;
    return true;
}

/* Pango chooses a font for each character: a base letter that the first
 * font has and a mark that only a later one has (Hebrew cantillation in
 * DejaVu, whose Hebrew has the points but not the accents) come from two
 * fonts, and the mark is set apart from its letter. Where an item opens
 * with marks in another font than the item before, and that font has
 * the letter too, the whole cluster goes to it. The caller holds the
 * font lock. */
static void
keep_clusters_whole(const char *text, GList *items)
{
    for (GList *l = items; l != NULL && l->next != NULL; l = l->next) {
        PangoItem *a = l->data, *b = l->next->data;
        size_t start = (size_t)a->offset, mid = (size_t)b->offset;
        size_t base = mid;

        if (a->analysis.font == NULL || b->analysis.font == NULL ||
            a->analysis.font == b->analysis.font ||
            a->analysis.level != b->analysis.level ||
            !g_unichar_ismark(g_utf8_get_char(text + mid)))
            continue;
        while (base > start) {
            base = (size_t)(g_utf8_prev_char(text + base) - text);
            if (!g_unichar_ismark(g_utf8_get_char(text + base)))
                break;
        }
        if (!font_covers(b->analysis.font, text, base, mid))
            continue;
        if (base == start) {    /* the whole item: it takes b's font */
            g_object_unref(a->analysis.font);
            a->analysis.font = g_object_ref(b->analysis.font);
            continue;
        }
        a->length = (int)(base - start);
        a->num_chars = (int)g_utf8_strlen(text + start, (gssize)a->length);
        b->offset = (int)base;
        b->length += (int)(mid - base);
        b->num_chars = (int)g_utf8_strlen(text + base, (gssize)b->length);
    }
}

/* Scripts with an italic of their own; for others an oblique made by
 * slanting an upright face is no italic, and their text stays upright. */
static bool
has_italics(PangoScript sc)
{
    return sc == PANGO_SCRIPT_LATIN || sc == PANGO_SCRIPT_GREEK ||
           sc == PANGO_SCRIPT_CYRILLIC || sc == PANGO_SCRIPT_COMMON ||
           sc == PANGO_SCRIPT_INHERITED;
}

bool
oc_shape_takes_italic(const char *text)
{
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
        if (!has_italics((PangoScript)g_unichar_get_script(
                g_utf8_get_char(p))))
            return false;
    return true;
}

/* When an italic was asked of a face that has none, fontconfig gives the
 * upright one and HarfBuzz slants it. For scripts without italics
 * (Chinese, Japanese, Korean, Hebrew, Arabic, Devanagari...) that is a
 * distortion: their items get the upright face instead. The caller holds
 * the font lock. */
static void
upright_fonts(PangoContext *ctx, GList *items)
{
    for (GList *l = items; l != NULL; l = l->next) {
        PangoItem *it = l->data;
        PangoFontDescription *d;
        PangoFont *up;

        if (it->analysis.font == NULL || has_italics(it->analysis.script) ||
            hb_font_get_synthetic_slant(
                pango_font_get_hb_font(it->analysis.font)) == 0)
            continue;
        d = pango_font_describe(it->analysis.font);
        pango_font_description_set_style(d, PANGO_STYLE_NORMAL);
        up = pango_context_load_font(ctx, d);
        pango_font_description_free(d);
        if (up == NULL)
            continue;
        g_object_unref(it->analysis.font);
        it->analysis.font = up;
    }
}

/* ---- shaping ---- */

/* Attributes whose effect shape_words does not reproduce (PangoLayout
 * applies them while it shapes). */
static gboolean
needs_layout(PangoAttribute *a, gpointer data)
{
    switch (a->klass->type) {
    case PANGO_ATTR_SHAPE:
    case PANGO_ATTR_LETTER_SPACING:
    case PANGO_ATTR_BASELINE_SHIFT:
    case PANGO_ATTR_FONT_SCALE:
    case PANGO_ATTR_TEXT_TRANSFORM:
    case PANGO_ATTR_GRAVITY:
    case PANGO_ATTR_GRAVITY_HINT:
    case PANGO_ATTR_SHOW:
    case PANGO_ATTR_VARIANT:
    case PANGO_ATTR_FONT_DESC:
        *(bool *)data = true;
        break;
    default:
        break;
    }
    return FALSE;
}

/* ---- allow-breaks ---- */

static gboolean
is_break_attr(PangoAttribute *a, gpointer data)
{
    (void)data;
    return a->klass->type == PANGO_ATTR_ALLOW_BREAKS ||
           a->klass->type == PANGO_ATTR_INSERT_HYPHENS;
}

/* 'attrs' (a reference) without its allow-breaks attributes, which
 * apply_allow_breaks applies, and its insert-hyphens ones, which an
 * unwrapped layout has no use for (para-items.c reads them itself) and
 * for each of which Pango counted from the text's start: what a layout
 * that only shapes needs. *breaks: those taken out (g_slist_free_full
 * with pango_attribute_destroy), NULL when none. */
static PangoAttrList *
shaping_attrs(PangoAttrList *attrs, GSList **breaks)
{
    PangoAttrList *copy = pango_attr_list_copy(attrs);
    PangoAttrList *gone = pango_attr_list_filter(copy, is_break_attr, NULL);

    *breaks = NULL;
    if (gone == NULL) {
        pango_attr_list_unref(copy);
        return pango_attr_list_ref(attrs);
    }
    *breaks = pango_attr_list_get_attributes(gone);
    pango_attr_list_unref(gone);
    return copy;
}

/* Is c a hyphen or a visible word divider, after which a break stays
 * where breaks are taken away (Pango's list)? */
static bool
divides_words(gunichar c)
{
    return c == 0x00AD || c == 0x05A0 || c == 0x2010 || c == 0x2012 ||
           c == 0x2013 || c == 0x05BE || c == 0x0F0B || c == 0x1361 ||
           c == 0x17D8 || c == 0x17DA || c == 0x2027 || c == 0x007C;
}

/* The breaks inside each allow-breaks=false range of 'attrs' (a list of
 * attributes; the others are passed over) taken away
 * from the log attributes 'la' (n: one per character and one after) of
 * text[0..len), as pango_attr_break does it (UAX #14's mandatory breaks,
 * those after a hyphen or a visible word divider and after a zero-width
 * space stay), but finding each range's characters from one map of the
 * text, not by counting from its start for every attribute: a cell of
 * 200 headings, each holding such a range, took half a second. */
static void
apply_allow_breaks(const char *text, size_t len, GSList *attrs,
                   PangoLogAttr *la, int n)
{
    PangoLogAttr before = la[0];
    int *pos_of = NULL;             /* byte → character, len + 1 */
    bool tailored = false;

    for (GSList *l = attrs; l != NULL; l = l->next) {
        const PangoAttribute *a = l->data;
        size_t start = a->start_index, end = a->end_index;
        int from, to;
        bool after_zws = false, after_hyphen = false;
        const char *p;

        if (a->klass->type != PANGO_ATTR_ALLOW_BREAKS ||
            ((const PangoAttrInt *)a)->value || start >= len)
            continue;
        if (pos_of == NULL) {
            int k = 0;

            pos_of = g_new(int, len + 1);
            for (size_t b = 0; b <= len; b++) {
                pos_of[b] = k;
                if (b < len && ((unsigned char)text[b] & 0xC0) != 0x80)
                    k++;
            }
        }
        from = pos_of[start];
        to = end >= len ? n : pos_of[end];
        p = g_utf8_next_char(text + start);
        for (int pos = from + 1; pos < to; pos++, p = g_utf8_next_char(p)) {
            gunichar c = (size_t)(p - text) < len ? g_utf8_get_char(p) : 0;
            GUnicodeBreakType bt = g_unichar_break_type(c);

            la[pos].is_char_break = FALSE;
            if (!la[pos].is_mandatory_break)
                la[pos].is_line_break = FALSE;
            if (after_hyphen)
                la[pos].is_line_break = TRUE;
            after_hyphen = divides_words(c);
            if (after_zws && bt != G_UNICODE_BREAK_SPACE)
                la[pos].is_line_break = TRUE;
            after_zws = bt == G_UNICODE_BREAK_ZERO_WIDTH_SPACE ||
                        (bt == G_UNICODE_BREAK_SPACE && after_zws);
        }
        tailored = true;
    }
    g_free(pos_of);
    if (tailored) {             /* as pango_attr_break, at the start */
        la[0].backspace_deletes_character =
            before.backspace_deletes_character;
        la[0].is_line_break |= before.is_line_break;
        la[0].is_mandatory_break |= before.is_mandatory_break;
        la[0].is_cursor_position |= before.is_cursor_position;
    }
}

/* Shape the text with one unwrapped layout, for what shape_words does
 * not know: copies of its runs, and its log attributes (g_free). */
static PangoLogAttr *
shape_layout(oc_shape *s, int *nattrs)
{
    PangoLayout *pl;
    PangoLogAttr *la = NULL;
    GSList *lines, *breaks = NULL;
    size_t n = 0, k = 0;

    oc_fonts_lock();
    pl = pango_layout_new(s->context);
    pango_layout_set_auto_dir(pl, FALSE);
    pango_layout_set_font_description(pl, s->font);
    pango_layout_set_text(pl, s->text, (int)s->len);
    if (s->attrs != NULL) {
        PangoAttrList *al = shaping_attrs(s->attrs, &breaks);

        pango_layout_set_attributes(pl, al);
        pango_attr_list_unref(al);
    }
    lines = pango_layout_get_lines_readonly(pl);
    for (GSList *l = lines; l != NULL; l = l->next)
        n += g_slist_length(((PangoLayoutLine *)l->data)->runs);
    s->runs = oc_arena_alloc(s->arena, (n ? n : 1) * sizeof *s->runs);
    for (GSList *l = lines; l != NULL; l = l->next)
        for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r != NULL;
             r = r->next)
            s->runs[k++].gi = pango_glyph_item_copy(r->data);
    s->nruns = k;
    for (size_t i = 0; i < k; i++)
        keep_alive(s->cache, s->runs[i].gi->item->analysis.font);
    if (nattrs != NULL) {
        pango_layout_get_log_attrs(pl, &la, nattrs);
        apply_allow_breaks(s->text, s->len, breaks, la, *nattrs);
        /* Its breaks have the attributes' say already: kinsoku may only
         * take breaks away. */
        oc_cjk_tailor_breaks(s->text, la, (size_t)(*nattrs - 1), false);
    }
    g_slist_free_full(breaks, (GDestroyNotify)pango_attribute_destroy);
    g_object_unref(pl);
    oc_fonts_unlock();
    return la;
}

/* A segment of an item's text: bytes [a, b) from its start. */
typedef struct seg {
    size_t a, b;
} seg;

/* The kind of segment character 'c' belongs to in shape_item. */
enum { SEG_WORD, SEG_SPACES, SEG_ALONE };

static int
segment_kind(gunichar c)
{
    return oc_shape_is_newline(c) || c == '\t' ? SEG_ALONE
           : c == ' ' ? SEG_SPACES : SEG_WORD;
}

/* The glyphs of one item, shaped word by word through the cache (white
 * space apart: no kerning across it is lost that matters), or at once
 * without a cache. */
static PangoGlyphString *
shape_item(oc_shape *s, PangoItem *item)
{
    PangoGlyphString *gs = pango_glyph_string_new();
    const char *t = s->text + item->offset;
    size_t n = (size_t)item->length;
    bool rtl = item->analysis.level % 2 == 1;
    OC_VEC(seg) segs = {0};
    const PangoGlyphString *space = NULL;
    unsigned long space_turns = 0;

    if (s->cache == NULL) {
        oc_fonts_lock();
        pango_shape_with_flags(t, item->length, s->text, (int)s->len,
                               &item->analysis, gs, PANGO_SHAPE_NONE);
        oc_fonts_unlock();
        return gs;
    }
    /* About a glyph a character: a ligature takes fewer. */
    reserve_glyphs(gs, item->num_chars);
    /* Segments: runs of spaces, runs of anything else, each newline or
     * tab (no glyph: preformatted text gives a tab its width). */
    for (size_t a = 0; a < n;) {
        int kind = segment_kind(g_utf8_get_char(t + a));
        size_t b = a + (size_t)(g_utf8_next_char(t + a) - (t + a));

        while (kind != SEG_ALONE && b < n) {
            if (segment_kind(g_utf8_get_char(t + b)) != kind)
                break;
            b += (size_t)(g_utf8_next_char(t + b) - (t + b));
        }
        *OC_VEC_PUSH(s->arena, &segs) = (seg){ a, b };
        a = b;
    }
    for (size_t i = 0; i < segs.n; i++) {
        size_t j = rtl ? segs.n - 1 - i : i;
        size_t a = segs.v[j].a, b = segs.v[j].b;

        /* One space between words, the commonest segment: its glyphs
         * looked up once an item (one font and analysis), and again only
         * after the table turned twice (when they may be freed). */
        if (b - a == 1 && t[a] == ' ') {
            if (space == NULL || s->cache->words.turns > space_turns + 1) {
                space = shaped_word(s->cache, &item->analysis, t + a, 1,
                                    s->covered);
                space_turns = s->cache->words.turns;
            }
            append_glyphs(gs, space, (int)a);
            continue;
        }
        if (segment_kind(g_utf8_get_char(t + a)) == SEG_ALONE) {
            PangoGlyphString nl = { 0 };
            PangoGlyphInfo gi;
            int cl = 0;

            memset(&gi, 0, sizeof gi);
            gi.glyph = PANGO_GLYPH_EMPTY;
            gi.attr.is_cluster_start = 1;
            nl.num_glyphs = 1;
            nl.glyphs = &gi;
            nl.log_clusters = &cl;
            append_glyphs(gs, &nl, (int)a);
            continue;
        }
        append_glyphs(gs, shaped_word(s->cache, &item->analysis, t + a,
                                      b - a, s->covered),
                      (int)a);
    }
    return gs;
}

/* The attributes of 'attrs' that pango_attr_break reads but for
 * allow-breaks (word, sentence; insert-hyphens is PangoLayout's), or NULL
 * when there are none: it counts every attribute's offset from the start
 * of the text, and a paragraph with thousands of attributes (note calls,
 * links) took seconds. The allow-breaks ones go to *breaks, for
 * apply_allow_breaks (g_slist_free_full with pango_attribute_destroy). */
static PangoAttrList *
break_attrs(PangoAttrList *attrs, GSList **breaks)
{
    GSList *all = pango_attr_list_get_attributes(attrs);
    PangoAttrList *out = NULL;

    for (GSList *l = all; l != NULL; l = l->next) {
        PangoAttribute *a = l->data;
        PangoAttrType t = a->klass->type;

        if (t == PANGO_ATTR_WORD || t == PANGO_ATTR_SENTENCE) {
            if (out == NULL)
                out = pango_attr_list_new();
            pango_attr_list_insert(out, a);
        } else if (t == PANGO_ATTR_ALLOW_BREAKS) {
            *breaks = g_slist_prepend(*breaks, a);
        } else {
            pango_attribute_destroy(a);
        }
    }
    g_slist_free(all);
    return out;
}

/* Itemise and shape the text, and find its break opportunities, as
 * PangoLayout does (get_items_log_attrs), but shaping words through the
 * cache. Returns the log attributes (g_free), or NULL when the
 * attributes need a PangoLayout (shape_layout). */
static PangoLogAttr *
shape_words(oc_shape *s, int *nattrs)
{
    PangoAttrList *brk;
    GList *items;
    PangoLogAttr *la = NULL;
    size_t n, k = 0;
    int nchars = g_utf8_strlen(s->text, (gssize)s->len), off = 0;
    bool complex = false, simple = false;

    if (pango_font_description_get_variant(s->font) != PANGO_VARIANT_NORMAL)
        return NULL;
    if (s->attrs != NULL) {
        PangoAttrList *none = pango_attr_list_filter(s->attrs, needs_layout,
                                                     &complex);

        if (none != NULL)
            pango_attr_list_unref(none);
        if (complex)
            return NULL;
    }
    items = itemize_latin(s);
    s->covered = items != NULL;
    if (items == NULL) {
        PangoAttrList *al = s->attrs != NULL ? pango_attr_list_copy(s->attrs)
                                             : pango_attr_list_new();
        PangoAttribute *fd = pango_attr_font_desc_new(s->font);

        fd->start_index = 0;
        fd->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
        pango_attr_list_insert_before(al, fd);
        oc_fonts_lock();
        items = pango_itemize_with_base_dir(
            s->context, s->rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR,
            s->text, 0, (int)s->len, al, NULL);
        keep_clusters_whole(s->text, items);
        upright_fonts(s->context, items);
        items = oc_cjk_punct_fonts(s->text, items);
        oc_fonts_unlock();
        pango_attr_list_unref(al);
    }
    n = g_list_length(items);
    s->runs = oc_arena_alloc(s->arena, (n ? n : 1) * sizeof *s->runs);
    if (nattrs != NULL) {
        *nattrs = nchars + 1;
        la = g_new0(PangoLogAttr, (gsize)*nattrs);
        simple = simple_breaks(s->arena, s->text, s->len, la,
                               (size_t)nchars);
        if (!simple)
            pango_default_break(s->text, (int)s->len, NULL, la, *nattrs);
    }
    for (GList *l = items; l != NULL; l = l->next) {
        PangoItem *item = l->data;
        PangoGlyphItem *gi = g_slice_new0(PangoGlyphItem);

        if (la != NULL && !simple)
            pango_tailor_break(s->text + item->offset, item->length,
                               &item->analysis, item->offset, la + off,
                               item->num_chars + 1);
        off += item->num_chars;
        gi->item = item;
        gi->glyphs = shape_item(s, item);
        for (GSList *e = item->analysis.extra_attrs; e; e = e->next)
            if (((PangoAttribute *)e->data)->klass->type == PANGO_ATTR_RISE)
                gi->y_offset += ((PangoAttrInt *)e->data)->value;
        s->runs[k++].gi = gi;
    }
    s->nruns = k;
    g_list_free(items);
    if (la != NULL && !simple)
        oc_cjk_tailor_breaks(s->text, la, (size_t)nchars, true);
    if (la != NULL && s->attrs != NULL) {
        GSList *breaks = NULL;

        if ((brk = break_attrs(s->attrs, &breaks)) != NULL) {
            pango_attr_break(s->text, (int)s->len, brk, 0, la, *nattrs);
            pango_attr_list_unref(brk);
        }
        breaks = g_slist_reverse(breaks);   /* by start, as Pango goes */
        apply_allow_breaks(s->text, s->len, breaks, la, *nattrs);
        g_slist_free_full(breaks, (GDestroyNotify)pango_attribute_destroy);
    }
    return la;
}

static int
cmp_runs(const void *a, const void *b)
{
    const oc_shape_run *x = a, *y = b;

    return (x->gi->item->offset > y->gi->item->offset) -
           (x->gi->item->offset < y->gi->item->offset);
}

void
oc_shape_run_style(oc_shape_cache *cache, oc_shape_run *r)
{
    PangoItem *item = r->gi->item;
    const fmetrics *m = NULL;
    fmetrics tmp;
    bool shaped = false;
    double alpha = 1;

    r->rise = PT(r->gi->y_offset);
    for (GSList *l = item->analysis.extra_attrs; l != NULL; l = l->next) {
        PangoAttribute *a = l->data;

        if (a->klass->type == PANGO_ATTR_SHAPE) {
            PangoRectangle *lr = &((PangoAttrShape *)a)->logical_rect;

            r->ascent = PT(-lr->y);
            r->descent = PT(lr->y + lr->height);
            shaped = true;
        } else if (a->klass->type == PANGO_ATTR_UNDERLINE) {
            r->underline = ((PangoAttrInt *)a)->value !=
                           PANGO_UNDERLINE_NONE;
        } else if (a->klass->type == PANGO_ATTR_STRIKETHROUGH) {
            r->strike = ((PangoAttrInt *)a)->value != 0;
        } else if (a->klass->type == PANGO_ATTR_OVERLINE) {
            r->overline = ((PangoAttrInt *)a)->value != PANGO_OVERLINE_NONE;
        } else if (a->klass->type == PANGO_ATTR_FOREGROUND) {
            const PangoColor *c = &((PangoAttrColor *)a)->color;

            r->color.set = true;
            r->color.r = c->red / 65535.0;
            r->color.g = c->green / 65535.0;
            r->color.b = c->blue / 65535.0;
        } else if (a->klass->type == PANGO_ATTR_FOREGROUND_ALPHA) {
            r->color.set = true;
            alpha = ((PangoAttrInt *)a)->value / 65535.0;
        } else if (a->klass->type == PANGO_ATTR_BACKGROUND) {
            const PangoColor *c = &((PangoAttrColor *)a)->color;

            r->background.set = true;
            r->background.r = c->red / 65535.0;
            r->background.g = c->green / 65535.0;
            r->background.b = c->blue / 65535.0;
            if (!(r->background.a > 0))
                r->background.a = 1;
        } else if (a->klass->type == PANGO_ATTR_BACKGROUND_ALPHA) {
            r->background.a = ((PangoAttrInt *)a)->value / 65535.0;
        }
    }
    if (item->analysis.font != NULL)
        m = font_metrics(cache, item->analysis.font, &tmp);
    if (m != NULL) {
        if (!shaped) {
            r->ascent = m->ascent;
            r->descent = m->descent;
        }
        r->ul_pos = m->ul_pos;
        r->ul_thick = m->ul_thick;
        r->st_pos = m->st_pos;
        r->st_thick = m->st_thick;
        r->ol_pos = -m->ascent;
    }
    r->color.a = alpha;
}

/* Index the clusters of the runs: widths, starts, runs by byte. */
static void
index_clusters(oc_shape *s)
{
    qsort(s->runs, s->nruns, sizeof *s->runs, cmp_runs);
    s->cw = oc_arena_alloc(s->arena, (s->len + 1) * sizeof *s->cw);
    s->pre = oc_arena_alloc(s->arena, (s->len + 1) * sizeof *s->pre);
    s->cstart = oc_arena_alloc(s->arena, s->len + 1);
    s->run_of = oc_arena_alloc(s->arena, (s->len + 1) * sizeof *s->run_of);
    for (size_t b = 0; b <= s->len; b++)
        s->run_of[b] = -1;
    for (size_t i = 0; i < s->nruns; i++) {
        PangoGlyphItem *gi = s->runs[i].gi;
        size_t off = (size_t)gi->item->offset;

        oc_shape_run_style(s->cache, &s->runs[i]);
        for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
            size_t b = off + (size_t)gi->glyphs->log_clusters[g];

            s->cw[b] += gi->glyphs->glyphs[g].geometry.width;
            s->cstart[b] = 1;
        }
        for (int b = 0; b < gi->item->length; b++)
            s->run_of[off + (size_t)b] = (int)i;
    }
    s->cstart[s->len] = 1;
    for (size_t b = 0; b < s->len; b++)
        s->pre[b + 1] = s->pre[b] + s->cw[b];
}

PangoLogAttr *
oc_shape_text(oc_shape *s, oc_arena *a, int *nattrs)
{
    PangoLogAttr *la = NULL;

    s->arena = a;
    if (!s->layout_shaping) {
        la = shape_words(s, nattrs);
        if (s->runs == NULL)
            s->layout_shaping = true;
    }
    if (s->layout_shaping)
        la = shape_layout(s, nattrs);
    index_clusters(s);
    return la;
}

void
oc_shape_release(oc_shape *s)
{
    if (s->cache == NULL)
        oc_fonts_lock();
    for (size_t i = 0; i < s->nruns; i++) {
        if (s->runs[i].gi != NULL)
            pango_glyph_item_free(s->runs[i].gi);
    }
    for (size_t i = 0; i < s->hyphs.n; i++) {
        pango_glyph_string_free(s->hyphs.v[i].glyphs);
        if (s->hyphs.v[i].font != NULL)
            g_object_unref(s->hyphs.v[i].font);
    }
    if (s->cache == NULL)
        oc_fonts_unlock();
    s->runs = NULL;
    s->nruns = 0;
    s->cw = NULL;
    s->pre = NULL;
    s->cstart = NULL;
    s->run_of = NULL;
    memset(&s->hyphs, 0, sizeof s->hyphs);
    s->arena = NULL;
}

double
oc_shape_width(const oc_shape *s, size_t a, size_t b)
{
    return PT(s->pre[b] - s->pre[a]);
}

size_t
oc_shape_cluster_before(const oc_shape *s, size_t b)
{
    while (b > 0) {
        b--;
        if (s->cstart[b])
            return b;
    }
    return 0;
}

/* ---- pieces ---- */

PangoGlyphItem *
oc_shape_piece(const oc_shape *s, oc_shape_run *r, size_t a, size_t b)
{
    const PangoGlyphItem *gi = r->gi;
    const PangoGlyphString *gs = gi->glyphs;
    size_t off = (size_t)gi->item->offset;
    bool rtl = gi->item->analysis.level % 2 == 1;
    int n = gs->num_glyphs, k = r->gpos, k0, first;
    PangoGlyphItem *out;

#define LC(k) gs->log_clusters[rtl ? n - 1 - (k) : (k)]
    while (k < n && off + (size_t)LC(k) < a)
        k++;
    k0 = k;
    while (k < n && off + (size_t)LC(k) < b)
        k++;
#undef LC
    r->gpos = k;
    if (k == k0)
        return NULL;
    first = rtl ? n - k : k0;
    out = g_slice_new0(PangoGlyphItem);
    out->item = pango_item_copy(gi->item);
    out->item->offset = (int)a;
    out->item->length = (int)(b - a);
    out->item->num_chars = (int)g_utf8_strlen(s->text + a, (gssize)(b - a));
    out->y_offset = gi->y_offset;
    /* Its arrays made to size at once (pango_glyph_string_set_size
     * would grow them by doubling, a reallocation each, and leave room
     * to give back). */
    out->glyphs = pango_glyph_string_new();
    out->glyphs->glyphs = g_new(PangoGlyphInfo, k - k0);
    out->glyphs->log_clusters = g_new(int, k - k0);
    out->glyphs->space = out->glyphs->num_glyphs = k - k0;
    memcpy(out->glyphs->glyphs, gs->glyphs + first,
           (size_t)(k - k0) * sizeof *gs->glyphs);
    for (int i = 0; i < k - k0; i++)
        out->glyphs->log_clusters[i] = gs->log_clusters[first + i] +
                                       (int)off - (int)a;
    return out;
}

/* ---- hyphens ---- */

const oc_shape_hyphen *
oc_shape_hyphen_at(oc_shape *s, size_t b)
{
    int ri = s->run_of[b];
    const PangoAnalysis *an;
    oc_shape_hyphen *h;

    if (ri < 0)
        return NULL;
    an = &s->runs[ri].gi->item->analysis;
    for (size_t i = 0; i < s->hyphs.n; i++)
        if (s->hyphs.v[i].font == an->font)
            return &s->hyphs.v[i];
    h = OC_VEC_PUSH(s->arena, &s->hyphs);
    h->font = an->font != NULL ? g_object_ref(an->font) : NULL;
    if (s->cache != NULL) {
        h->glyphs = pango_glyph_string_copy(
            (PangoGlyphString *)shaped_word(s->cache, an, "-", 1,
                                            false));
    } else {
        h->glyphs = pango_glyph_string_new();
        oc_fonts_lock();
        pango_shape_with_flags("-", 1, "-", 1, an, h->glyphs,
                               PANGO_SHAPE_NONE);
        oc_fonts_unlock();
    }
    h->width = PT(pango_glyph_string_get_width(h->glyphs));
    return h;
}

PangoGlyphItem *
oc_shape_hyphen_item(const oc_shape *s, const PangoGlyphItem *last,
                     const char *text)
{
    PangoGlyphItem *h = g_slice_new0(PangoGlyphItem);
    const oc_shape_hyphen *hg = NULL;

    for (size_t i = 0; i < s->hyphs.n; i++)
        if (s->hyphs.v[i].font == last->item->analysis.font)
            hg = &s->hyphs.v[i];
    h->item = pango_item_copy(last->item);
    h->item->offset = 0;
    h->item->length = (int)strlen(text);
    h->item->num_chars = 1;
    if (hg != NULL) {
        h->glyphs = pango_glyph_string_copy(hg->glyphs);
    } else {
        h->glyphs = pango_glyph_string_new();
        oc_fonts_lock();
        pango_shape_with_flags(text, h->item->length, text,
                               h->item->length, &h->item->analysis,
                               h->glyphs, PANGO_SHAPE_NONE);
        oc_fonts_unlock();
    }
    return h;
}

bool
oc_shape_first_missing(oc_shape_cache *c, const char *file, gunichar ch)
{
    char *key;

    if (c == NULL)
        return true;
    key = g_strdup_printf("U+%04X %s", (unsigned)ch, file ? file : "");
    if (g_hash_table_contains(c->missing, key)) {
        g_free(key);
        return false;
    }
    g_hash_table_add(c->missing, key);
    return true;
}
