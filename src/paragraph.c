/* paragraph.c - a paragraph's text → glyphs shaped once → Knuth-Plass
 * items → lines of glyph items: TeX's line breaking (linebreak.h) with
 * pdfTeX's margin kerning and font expansion (Hàn Thế Thành,
 * "Micro-typographic extensions to the TeX typesetting system", 2000;
 * the protrusion factors are microtype's), break opportunities after
 * UAX #14. */
#include "paragraph.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fontlock.h"
#include "linebreak.h"

#define PT(x)       ((double)(x) / PANGO_SCALE)
#define MAX_POINTS  64          /* hyphenation points asked for a word */
#define EXPAND_STEP 0.005       /* font expansion in steps of 0.5% */

/* What an item stands for in the text. */
enum {
    SRC_NONE,                   /* added for the breaker: takes no text */
    SRC_BOX,                    /* text [start, end) */
    SRC_SPACE,                  /* white space [start, end) */
    SRC_HANG                    /* a negative box: left hanging */
};

typedef struct srcinfo {
    int    kind;
    size_t start, end;          /* bytes; synthetic items: start == end,
                                   where they stand */
    double sy, sz;              /* SRC_SPACE: stretch and shrink of the
                                   space itself (the glue's others are
                                   the font expansion's share) */
    double hang;                /* break items: how far the line's end
                                   hangs when it breaks here */
} srcinfo;

/* A run of the unwrapped layout, in logical order. */
typedef struct orun {
    PangoGlyphItem *gi;         /* owned */
    int             gpos;       /* glyphs cut into lines so far */
    double          rise;
    double          ascent, descent;
    bool            underline, strike, overline;
    double          ul_pos, ul_thick;   /* y of the top from the baseline,
                                           down, and thickness */
    double          st_pos, st_thick;
    double          ol_pos;
    oc_para_color   color;
} orun;

/* A hyphen shaped in one font of the paragraph. */
typedef struct hyph_glyph {
    PangoFont        *font;     /* a reference */
    PangoGlyphString *glyphs;   /* owned */
    double            width;
} hyph_glyph;

struct oc_para {
    char           *text;
    size_t          len;
    PangoAttrList  *attrs;      /* a reference, or NULL */
    PangoContext   *context;    /* a reference */
    PangoFontDescription *font;
    char           *lang;
    oc_para_style   st;         /* pointers above replace the caller's */
    oc_para_params  prm;
    double          em;
    double          base_asc, base_desc;    /* base_metrics */

    orun           *runs;       /* logical order */
    size_t          nruns;
    int            *cw;         /* per byte: width of the cluster that
                                   starts there (Pango units), else 0 */
    int64_t        *pre;        /* prefix sums of cw, len + 1 */
    unsigned char  *cstart;     /* per byte: a cluster starts there */
    int            *run_of;     /* per byte: index in runs, -1 none */
    bool            layout_shaping; /* shape_words cannot do it */
    bool            covered;    /* its fonts have every character */
    bool            broken;     /* once: overfull lines were warned of */

    oc_lb_item     *items;
    srcinfo        *srcs;
    size_t          nitems, capitems;

    hyph_glyph     *hyphs;
    size_t          nhyphs;

    oc_para_line   *lines;
    size_t          nlines;
    GPtrArray      *owned;      /* glyph items of the lines */
    oc_lb_line     *fit;        /* the breaker's view of each line */
    int             looseness;  /* what the lines were asked for with */
};

void
oc_para_params_init(oc_para_params *p)
{
    memset(p, 0, sizeof *p);
    p->tolerance = 200;
    p->pretolerance = 100;
    p->line_penalty = 10;
    p->hyphen_penalty = 50;
    p->exhyphen_penalty = 50;
    p->other_penalty = 100;
    p->emergency_penalty = 5000;
    p->double_hyphen_demerits = 10000;
    p->final_hyphen_demerits = 5000;
    p->adj_demerits = 10000;
    p->emergency_stretch = 2;
    p->stretch = 1.0 / 2;
    p->shrink = 1.0 / 3;
    p->ragged = 3;
    p->expansion = 0.02;
    p->protrusion = 1;
}

/* ---- characters ---- */

static gunichar
char_at(const oc_para *p, size_t b)
{
    return g_utf8_get_char(p->text + b);
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

static bool
is_newline(gunichar c)
{
    return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
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

/* ---- shaping ---- */

static double
width_of(const oc_para *p, size_t a, size_t b)
{
    return PT(p->pre[b] - p->pre[a]);
}

/* The cluster that starts last before byte b (within the text), or b. */
static size_t
cluster_before(const oc_para *p, size_t b)
{
    while (b > 0) {
        b--;
        if (p->cstart[b])
            return b;
    }
    return 0;
}

static int
cmp_runs(const void *a, const void *b)
{
    const orun *x = a, *y = b;

    return (x->gi->item->offset > y->gi->item->offset) -
           (x->gi->item->offset < y->gi->item->offset);
}

/* What run_style needs of a font's metrics (pango_font_get_metrics is
 * not cheap: it is asked once per font through the cache). */
typedef struct fmetrics {
    double ascent, descent;
    double ul_pos, ul_thick, st_pos, st_thick;
} fmetrics;

static const fmetrics *font_metrics(oc_para_cache *c, PangoFont *font,
                                    PangoLanguage *lang, fmetrics *tmp);

static void
run_style(oc_para *p, orun *r)
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
        }
    }
    if (item->analysis.font != NULL)
        m = font_metrics(p->st.cache, item->analysis.font,
                         item->analysis.language, &tmp);
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
index_clusters(oc_para *p)
{
    qsort(p->runs, p->nruns, sizeof *p->runs, cmp_runs);
    p->cw = oc_xcalloc(p->len + 1, sizeof *p->cw);
    p->pre = oc_xcalloc(p->len + 1, sizeof *p->pre);
    p->cstart = oc_xcalloc(p->len + 1, 1);
    p->run_of = oc_xmalloc((p->len + 1) * sizeof *p->run_of);
    for (size_t b = 0; b <= p->len; b++)
        p->run_of[b] = -1;
    for (size_t i = 0; i < p->nruns; i++) {
        PangoGlyphItem *gi = p->runs[i].gi;
        size_t off = (size_t)gi->item->offset;

        run_style(p, &p->runs[i]);
        for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
            size_t b = off + (size_t)gi->glyphs->log_clusters[g];

            p->cw[b] += gi->glyphs->glyphs[g].geometry.width;
            p->cstart[b] = 1;
        }
        for (int b = 0; b < gi->item->length; b++)
            p->run_of[off + (size_t)b] = (int)i;
    }
    p->cstart[p->len] = 1;
    for (size_t b = 0; b < p->len; b++)
        p->pre[b + 1] = p->pre[b] + p->cw[b];
}

static void keep_alive(oc_para_cache *c, PangoFont *font);

/* Shape the text with one unwrapped layout, for what shape_words does
 * not know: copies of its runs, and its log attributes (g_free). */
static PangoLogAttr *
shape_layout(oc_para *p, int *nattrs)
{
    PangoLayout *pl;
    PangoLogAttr *la = NULL;
    GSList *lines;
    size_t n = 0, k = 0;

    oc_fonts_lock();
    pl = pango_layout_new(p->context);
    pango_layout_set_auto_dir(pl, FALSE);
    pango_layout_set_font_description(pl, p->font);
    pango_layout_set_text(pl, p->text, (int)p->len);
    if (p->attrs != NULL)
        pango_layout_set_attributes(pl, p->attrs);
    lines = pango_layout_get_lines_readonly(pl);
    for (GSList *l = lines; l != NULL; l = l->next)
        n += g_slist_length(((PangoLayoutLine *)l->data)->runs);
    p->runs = oc_xcalloc(n ? n : 1, sizeof *p->runs);
    for (GSList *l = lines; l != NULL; l = l->next)
        for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r != NULL;
             r = r->next)
            p->runs[k++].gi = pango_glyph_item_copy(r->data);
    p->nruns = k;
    for (size_t i = 0; i < k; i++)
        keep_alive(p->st.cache, p->runs[i].gi->item->analysis.font);
    if (nattrs != NULL)
        pango_layout_get_log_attrs(pl, &la, nattrs);
    g_object_unref(pl);
    oc_fonts_unlock();
    return la;
}

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
    case PANGO_ATTR_FONT_FEATURES:
    case PANGO_ATTR_VARIANT:
    case PANGO_ATTR_FONT_DESC:
        *(bool *)data = true;
        break;
    default:
        break;
    }
    return FALSE;
}

/* A key of the cache: the header and the text. */
typedef struct wkey {
    void          *font;        /* words: the PangoFont (a reference);
                                   hyphens: the oc_hyphen_dict */
    PangoLanguage *lang;
    int            level;
    int            script;
    size_t         len;
    char           text[];
} wkey;

struct oc_para_cache {
    GHashTable *metrics;        /* PangoFont * → fmetrics * */
    GHashTable *fonts;          /* fkey * → ffont * (itemize_latin) */
    GHashTable *words;          /* wkey * → PangoGlyphString * */
    GHashTable *hyphens;        /* wkey * (font: the dictionary) → int[]:
                                   how many points, then the points */
    GHashTable *alive;          /* a reference to every font shaped with,
                                   until the cache goes: so that freeing a
                                   paragraph never drops a font's last
                                   reference (which would reach cairo
                                   outside the font lock) */
};

/* Hold a reference to 'font' for the cache's life (no-op without one). */
static void
keep_alive(oc_para_cache *c, PangoFont *font)
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
key_of(wkey_buf *kb, const void *font, PangoLanguage *lang, int level,
       int script, const char *text, size_t len)
{
    kb->k = len <= 64 ? &kb->u.k : oc_xmalloc(sizeof(wkey) + len);
    kb->k->font = (void *)font;
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

#define CACHE_MAX 200000        /* words kept; then it starts again */

static guint
wkey_hash(gconstpointer k)
{
    const wkey *w = k;
    const unsigned char *b = (const unsigned char *)w->text;
    guint h = 2166136261u ^ (guint)(uintptr_t)w->font ^
              (guint)(uintptr_t)w->lang ^ (guint)(w->level * 31 + w->script);

    for (size_t i = 0; i < w->len; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static gboolean
wkey_equal(gconstpointer a, gconstpointer b)
{
    const wkey *x = a, *y = b;

    return x->font == y->font && x->lang == y->lang &&
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

typedef struct ffont {
    PangoFont     *font;        /* references */
    PangoCoverage *coverage;
} ffont;

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

static const fmetrics *
font_metrics(oc_para_cache *c, PangoFont *font, PangoLanguage *lang,
             fmetrics *tmp)
{
    fmetrics *fm = c != NULL ? g_hash_table_lookup(c->metrics, font) : NULL;
    PangoFontMetrics *m;

    if (fm != NULL)
        return fm;
    oc_fonts_lock();
    m = pango_font_get_metrics(font, lang);
    if (m == NULL) {
        oc_fonts_unlock();
        return NULL;
    }
    fm = c != NULL ? oc_xmalloc(sizeof *fm) : tmp;
    fm->ascent = PT(pango_font_metrics_get_ascent(m));
    fm->descent = PT(pango_font_metrics_get_descent(m));
    fm->ul_pos = -PT(pango_font_metrics_get_underline_position(m));
    fm->ul_thick = PT(pango_font_metrics_get_underline_thickness(m));
    fm->st_pos = -PT(pango_font_metrics_get_strikethrough_position(m));
    fm->st_thick = PT(pango_font_metrics_get_strikethrough_thickness(m));
    pango_font_metrics_unref(m);
    oc_fonts_unlock();
    if (c != NULL)
        g_hash_table_insert(c->metrics, g_object_ref(font), fm);
    return fm;
}

oc_para_cache *
oc_para_cache_new(void)
{
    oc_para_cache *c = oc_xcalloc(1, sizeof *c);

    c->metrics = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                       g_object_unref, free);
    c->fonts = g_hash_table_new_full(fkey_hash, fkey_equal, fkey_free,
                                     ffont_free);
    c->words = g_hash_table_new_full(
        wkey_hash, wkey_equal, wkey_free,
        (GDestroyNotify)pango_glyph_string_free);
    c->hyphens = g_hash_table_new_full(wkey_hash, wkey_equal, hkey_free,
                                       free);
    c->alive = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                     g_object_unref, NULL);
    return c;
}

void
oc_para_cache_free(oc_para_cache *c)
{
    if (c == NULL)
        return;
    oc_fonts_lock();                /* its keys hold fonts */
    g_hash_table_destroy(c->metrics);
    g_hash_table_destroy(c->fonts);
    g_hash_table_destroy(c->words);
    g_hash_table_destroy(c->hyphens);
    g_hash_table_destroy(c->alive);
    oc_fonts_unlock();
    free(c);
}

/* The glyphs of text[0..len) in the item's font and direction, shaped
 * once per cache; borrowed from it. 'covered': the font has a glyph for
 * every character, so shaping stays inside HarfBuzz (which is safe on
 * any thread); a missing glyph makes Pango measure its box with cairo,
 * under the font lock. */
static const PangoGlyphString *
shaped_word(oc_para_cache *c, const PangoAnalysis *an, const char *text,
            size_t len, bool covered)
{
    wkey_buf kb;
    wkey *k = key_of(&kb, an->font, an->language, an->level % 2,
                     an->script, text, len);
    PangoGlyphString *gs = g_hash_table_lookup(c->words, k);

    if (gs != NULL) {
        key_done(&kb);
        return gs;
    }
    gs = pango_glyph_string_new();
    if (!covered)
        oc_fonts_lock();
    pango_shape_with_flags(text, (int)len, text, (int)len, an, gs,
                           PANGO_SHAPE_NONE);
    if (!covered)
        oc_fonts_unlock();
    if (g_hash_table_size(c->words) >= CACHE_MAX) {
        oc_fonts_lock();                /* its keys hold fonts */
        g_hash_table_remove_all(c->words);
        oc_fonts_unlock();
    }
    k = key_keep(&kb);
    if (k->font != NULL) {
        g_object_ref(k->font);
        keep_alive(c, k->font);
    }
    g_hash_table_insert(c->words, k, gs);
    return gs;
}

/* Append 'src' to 'dst', its clusters moved by 'delta' bytes. */
static void
append_glyphs(PangoGlyphString *dst, const PangoGlyphString *src, int delta)
{
    int n0 = dst->num_glyphs;

    pango_glyph_string_set_size(dst, n0 + src->num_glyphs);
    memcpy(dst->glyphs + n0, src->glyphs,
           (size_t)src->num_glyphs * sizeof *src->glyphs);
    for (int i = 0; i < src->num_glyphs; i++)
        dst->log_clusters[n0 + i] = src->log_clusters[i] + delta;
}

/* The glyphs of one item, shaped word by word through the cache (white
 * space apart: no kerning across it is lost that matters), or at once
 * without a cache. */
static PangoGlyphString *
shape_item(oc_para *p, PangoItem *item)
{
    PangoGlyphString *gs = pango_glyph_string_new();
    const char *t = p->text + item->offset;
    size_t n = (size_t)item->length;
    bool rtl = item->analysis.level % 2 == 1;
    size_t segs[2 * 64], nseg = 0;
    size_t *sv = segs, cap = 64;

    if (p->st.cache == NULL) {
        oc_fonts_lock();
        pango_shape_with_flags(t, item->length, p->text, (int)p->len,
                               &item->analysis, gs, PANGO_SHAPE_NONE);
        oc_fonts_unlock();
        return gs;
    }
    /* Segments: runs of spaces, runs of anything else, each newline. */
    for (size_t a = 0; a < n;) {
        gunichar c = g_utf8_get_char(t + a);
        int kind = is_newline(c) ? 2 : c == ' ' ? 1 : 0;
        size_t b = a + (size_t)(g_utf8_next_char(t + a) - (t + a));

        while (kind != 2 && b < n) {
            gunichar d = g_utf8_get_char(t + b);
            int k2 = is_newline(d) ? 2 : d == ' ' ? 1 : 0;

            if (k2 != kind)
                break;
            b += (size_t)(g_utf8_next_char(t + b) - (t + b));
        }
        if (nseg == cap) {
            size_t *nv = oc_xmalloc(4 * cap * sizeof *nv);

            memcpy(nv, sv, 2 * nseg * sizeof *nv);
            if (sv != segs)
                free(sv);
            sv = nv;
            cap *= 2;
        }
        sv[2 * nseg] = a;
        sv[2 * nseg + 1] = b;
        nseg++;
        a = b;
    }
    for (size_t i = 0; i < nseg; i++) {
        size_t j = rtl ? nseg - 1 - i : i;
        size_t a = sv[2 * j], b = sv[2 * j + 1];

        if (is_newline(g_utf8_get_char(t + a))) {
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
        append_glyphs(gs, shaped_word(p->st.cache, &item->analysis, t + a,
                                      b - a, p->covered),
                      (int)a);
    }
    if (sv != segs)
        free(sv);
    return gs;
}

/* ---- break opportunities of plain Latin text ---- */

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
simple_breaks(const char *text, size_t len, PangoLogAttr *la, size_t n)
{
    GUnicodeBreakType *cls = oc_xmalloc((n + 1) * sizeof *cls);
    GUnicodeBreakType last = G_UNICODE_BREAK_SPACE;
    const char *t = text, *end = text + len;
    size_t i = 0;

    for (; t < end && i < n; t = g_utf8_next_char(t), i++) {
        gunichar c = g_utf8_get_char(t);

        if (!is_simple_char(c)) {
            free(cls);
            return false;
        }
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
    free(cls);
    return true;
}

#undef IS
#undef ALPHA

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
first_font(oc_para *p, const PangoFontDescription *desc,
           PangoLanguage *lang)
{
    fkey k = { (PangoFontDescription *)desc, lang }, *kk;
    ffont *ff = g_hash_table_lookup(p->st.cache->fonts, &k);
    PangoFontset *fs;
    PangoFont *f = NULL;

    if (ff != NULL)
        return ff;
    oc_fonts_lock();
    fs = pango_context_load_fontset(p->context, desc, lang);
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
        g_hash_table_insert(p->st.cache->fonts, kk, ff);
    }
    g_object_unref(fs);
    oc_fonts_unlock();
    return ff;
}

/* Attributes itemize_latin knows: those of fonts, lines, colours,
 * language, rise and breaks. */
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
itemize_latin(oc_para *p)
{
    PangoAttrIterator *it;
    PangoLanguage *base = pango_context_get_language(p->context);
    GList *items = NULL;
    bool other = false, letters = false;

    if (p->st.rtl || p->st.cache == NULL)
        return NULL;
    for (const char *t = p->text; t < p->text + p->len;
         t = g_utf8_next_char(t)) {
        gunichar c = g_utf8_get_char(t);

        if (!is_simple_char(c))
            return NULL;
        letters |= g_unichar_isalpha(c);
    }
    if (p->attrs != NULL) {
        PangoAttrList *none = pango_attr_list_filter(p->attrs,
                                                     not_latin_attr, &other);

        if (none != NULL)
            pango_attr_list_unref(none);
        if (other)
            return NULL;
    }
    it = p->attrs != NULL ? pango_attr_list_get_iterator(p->attrs) : NULL;
    do {
        int s = 0, e = (int)p->len;
        PangoFontDescription *d = pango_font_description_copy_static(p->font);
        PangoLanguage *lang = NULL;
        GSList *extra = NULL;
        const ffont *ff;
        PangoFont *font;
        PangoItem *item;
        int nchars = 0;

        if (it != NULL) {
            pango_attr_iterator_range(it, &s, &e);
            if (e > (int)p->len)
                e = (int)p->len;
            if (s >= e) {
                pango_font_description_free(d);
                continue;
            }
            pango_attr_iterator_get_font(it, d, &lang, &extra);
        }
        if (lang == NULL)
            lang = base;
        ff = first_font(p, d, lang);
        pango_font_description_free(d);
        font = ff != NULL && ff->coverage != NULL ? ff->font : NULL;
        for (const char *t = p->text + s; font != NULL &&
             t < p->text + e; t = g_utf8_next_char(t), nchars++) {
            gunichar c = g_utf8_get_char(t);

            if (c != '\n' && pango_coverage_get(ff->coverage, (int)c) !=
                                  PANGO_COVERAGE_EXACT)
                font = NULL;
        }
        if (font == NULL) {             /* a fallback font is needed */
            g_slist_free_full(extra, (GDestroyNotify)pango_attribute_destroy);
            g_list_free_full(items, (GDestroyNotify)pango_item_free);
            items = NULL;
            break;
        }
        item = pango_item_new();
        item->offset = s;
        item->length = e - s;
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

/* Itemise and shape the text, and find its break opportunities, as
 * PangoLayout does (get_items_log_attrs), but shaping words through the
 * cache. Returns the log attributes (g_free), or NULL when the
 * attributes need a PangoLayout (shape_layout). */
static PangoLogAttr *
shape_words(oc_para *p, int *nattrs)
{
    GList *items;
    PangoLogAttr *la = NULL;
    size_t n, k = 0;
    int nchars = g_utf8_strlen(p->text, (gssize)p->len), off = 0;
    bool complex = false, simple = false;

    if (pango_font_description_get_variant(p->font) != PANGO_VARIANT_NORMAL)
        return NULL;
    if (p->attrs != NULL) {
        PangoAttrList *none = pango_attr_list_filter(p->attrs, needs_layout,
                                                     &complex);

        if (none != NULL)
            pango_attr_list_unref(none);
        if (complex)
            return NULL;
    }
    items = itemize_latin(p);
    p->covered = items != NULL;
    if (items == NULL) {
        PangoAttrList *al = p->attrs != NULL ? pango_attr_list_copy(p->attrs)
                                             : pango_attr_list_new();
        PangoAttribute *fd = pango_attr_font_desc_new(p->font);

        fd->start_index = 0;
        fd->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
        pango_attr_list_insert_before(al, fd);
        oc_fonts_lock();
        items = pango_itemize_with_base_dir(
            p->context, p->st.rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR,
            p->text, 0, (int)p->len, al, NULL);
        oc_fonts_unlock();
        pango_attr_list_unref(al);
    }
    n = g_list_length(items);
    p->runs = oc_xcalloc(n ? n : 1, sizeof *p->runs);
    if (nattrs != NULL) {
        *nattrs = nchars + 1;
        la = g_new0(PangoLogAttr, (gsize)*nattrs);
        simple = simple_breaks(p->text, p->len, la, (size_t)nchars);
        if (!simple)
            pango_default_break(p->text, (int)p->len, NULL, la, *nattrs);
    }
    for (GList *l = items; l != NULL; l = l->next) {
        PangoItem *item = l->data;
        PangoGlyphItem *gi = g_slice_new0(PangoGlyphItem);

        if (la != NULL && !simple)
            pango_tailor_break(p->text + item->offset, item->length,
                               &item->analysis, item->offset, la + off,
                               item->num_chars + 1);
        off += item->num_chars;
        gi->item = item;
        gi->glyphs = shape_item(p, item);
        for (GSList *e = item->analysis.extra_attrs; e; e = e->next)
            if (((PangoAttribute *)e->data)->klass->type == PANGO_ATTR_RISE)
                gi->y_offset += ((PangoAttrInt *)e->data)->value;
        p->runs[k++].gi = gi;
    }
    p->nruns = k;
    g_list_free(items);
    if (la != NULL && p->attrs != NULL)
        pango_attr_break(p->text, (int)p->len, p->attrs, 0, la, *nattrs);
    return la;
}

/* Shape the text into p->runs and index its clusters; with 'nattrs',
 * return its log attributes too (g_free). */
static PangoLogAttr *
shape(oc_para *p, int *nattrs)
{
    PangoLogAttr *la = NULL;

    if (!p->layout_shaping) {
        la = shape_words(p, nattrs);
        if (p->runs == NULL)
            p->layout_shaping = true;
    }
    if (p->layout_shaping)
        la = shape_layout(p, nattrs);
    index_clusters(p);
    return la;
}

/* The hyphen in the font of the run holding byte b, shaped once per
 * font; NULL when no run holds b. */
static const hyph_glyph *
hyphen_at(oc_para *p, size_t b)
{
    int ri = p->run_of[b];
    const PangoAnalysis *an;
    hyph_glyph *h;

    if (ri < 0)
        return NULL;
    an = &p->runs[ri].gi->item->analysis;
    for (size_t i = 0; i < p->nhyphs; i++)
        if (p->hyphs[i].font == an->font)
            return &p->hyphs[i];
    p->hyphs = oc_xrealloc(p->hyphs, (p->nhyphs + 1) * sizeof *p->hyphs);
    h = &p->hyphs[p->nhyphs++];
    h->font = an->font != NULL ? g_object_ref(an->font) : NULL;
    if (p->st.cache != NULL) {
        h->glyphs = pango_glyph_string_copy(
            (PangoGlyphString *)shaped_word(p->st.cache, an, "-", 1,
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

static double
hyphen_width(oc_para *p, size_t b)
{
    const hyph_glyph *h = hyphen_at(p, b);

    return h != NULL ? h->width : p->em / 3;
}

/* ---- the item list ---- */

static size_t
add_item(oc_para *p, oc_lb_item it, int kind, size_t start, size_t end)
{
    if (p->nitems == p->capitems) {
        p->capitems = p->capitems ? 2 * p->capitems : 64;
        p->items = oc_xrealloc(p->items, p->capitems * sizeof *p->items);
        p->srcs = oc_xrealloc(p->srcs, p->capitems * sizeof *p->srcs);
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

static bool
justified(const oc_para *p)
{
    return p->st.align == OC_PARA_JUSTIFY;
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

/* White space [a, b); 'breakable' if a line may end before it. 'hang':
 * how far the end of the word before it may hang. */
static void
add_space(oc_para *p, size_t a, size_t b, bool breakable, double hang)
{
    double w = width_of(p, a, b);
    double r = p->prm.ragged * p->em;
    size_t k;

    if (!breakable) {
        add_synthetic(p, oc_lb_penalty(0, OC_LB_INFINITY, 0), a);
        k = add_item(p, oc_lb_glue(w, justified(p) ? w * p->prm.stretch : 0,
                                   justified(p) ? w * p->prm.shrink : 0),
                     SRC_SPACE, a, b);
        p->srcs[k].sy = p->items[k].stretch;
        p->srcs[k].sz = p->items[k].shrink;
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

/* A break opportunity inside a word. */
typedef struct wbreak {
    size_t at;                  /* byte: the break comes before it */
    int    type;                /* OC_LB_PENALTY or OC_LB_HYPHEN_* */
    double penalty;             /* OC_LB_PENALTY */
} wbreak;

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
    wbreak             *wb;
    size_t              nwb, capwb;
    PangoLanguage      *dict_lang;  /* the language 'dict' is for */
    const oc_hyphen_dict *dict;
    bool                dict_tried;
} builder;

static void
push_wbreak(builder *bd, size_t at, int type, double penalty)
{
    if (bd->nwb == bd->capwb) {
        bd->capwb = bd->capwb ? 2 * bd->capwb : 16;
        bd->wb = oc_xrealloc(bd->wb, bd->capwb * sizeof *bd->wb);
    }
    bd->wb[bd->nwb].at = at;
    bd->wb[bd->nwb].type = type;
    bd->wb[bd->nwb].penalty = penalty;
    bd->nwb++;
}

/* The patterns for the language of the text at byte b. */
static const oc_hyphen_dict *
dict_at(oc_para *p, builder *bd, size_t b)
{
    int ri = p->run_of[b];
    PangoLanguage *lang = ri >= 0 ? p->runs[ri].gi->item->analysis.language
                                  : NULL;
    oc_error err = {0};

    if (lang == NULL)
        lang = pango_language_from_string(p->lang);
    if (bd->dict_tried && lang == bd->dict_lang)
        return bd->dict;
    bd->dict_tried = true;
    bd->dict_lang = lang;
    bd->dict = NULL;
    if (lang != NULL &&
        oc_hyphen_load(p->st.dicts, pango_language_to_string(lang),
                       &bd->dict, &err) != OC_OK)
        oc_warn(p->st.file, p->st.line, 0, "no hyphenation: %s", err.msg);
    return bd->dict;
}

/* oc_hyphen_word with the default options, through the cache. */
static int
hyphen_points(oc_para_cache *c, const oc_hyphen_dict *d, const char *word,
              size_t len, int *pts)
{
    wkey_buf kb;
    wkey *k;
    int *v, n;

    if (c == NULL)
        return oc_hyphen_word(d, NULL, word, len, pts, MAX_POINTS);
    k = key_of(&kb, d, NULL, 0, 0, word, len);
    v = g_hash_table_lookup(c->hyphens, k);
    if (v == NULL) {
        n = oc_hyphen_word(d, NULL, word, len, pts, MAX_POINTS);
        v = oc_xmalloc((size_t)(n + 1) * sizeof *v);
        v[0] = n;
        memcpy(v + 1, pts, (size_t)n * sizeof *v);
        if (g_hash_table_size(c->hyphens) >= CACHE_MAX)
            g_hash_table_remove_all(c->hyphens);
        g_hash_table_insert(c->hyphens, key_keep(&kb), v);
    } else {
        key_done(&kb);
    }
    memcpy(pts, v + 1, (size_t)v[0] * sizeof *v);
    return v[0];
}

/* Hyphenation points of the letters [a, b) by the patterns. */
static void
hyphenate(oc_para *p, builder *bd, size_t a, size_t b)
{
    int pts[MAX_POINTS];
    int n;
    const oc_hyphen_dict *d;

    while (b > a && is_hyphen_char(char_at(p, cluster_before(p, b))))
        b = cluster_before(p, b);
    /* Fewer bytes than oc_hyphen_word's least letters: nothing to do. */
    if (b - a < 5 || p->st.dicts == NULL)
        return;
    d = dict_at(p, bd, a);
    if (d == NULL)
        return;
    n = hyphen_points(p->st.cache, d, p->text + a, b - a, pts);
    for (int i = 0; i < n; i++) {
        size_t at = a + (size_t)pts[i];

        if (!p->cstart[at] || bd->nohyph[at] || bd->nohyph[at - 1])
            continue;
        push_wbreak(bd, at, OC_LB_HYPHEN_AUTO, 0);
    }
}

/* The word made of characters [ci, cj): its boxes and the breaks inside
 * it. 'last': no line of its paragraph comes after it. */
static void
add_word(oc_para *p, builder *bd, size_t ci, size_t cj, bool last,
         double hang_start)
{
    const size_t *cb = bd->cbyte;
    size_t a = cb[ci], b = cb[cj], from;
    size_t sub = a;             /* start of the part to hyphenate */
    bool soft = p->st.hyphens != OC_PARA_HYPHENS_NONE;
    bool aut = p->st.hyphens == OC_PARA_HYPHENS_AUTO && !last &&
               (p->st.align == OC_PARA_JUSTIFY ||
                p->st.align == OC_PARA_START);

    bd->nwb = 0;
    /* Soft hyphens written in a word are its only hyphenation points. */
    for (size_t k = a; aut && k + 1 < b; k++)
        if ((unsigned char)p->text[k] == 0xC2 &&
            (unsigned char)p->text[k + 1] == 0xAD)
            aut = false;
    if (hang_start > 0)
        add_item(p, oc_lb_box(-hang_start), SRC_HANG, a, a);
    for (size_t k = ci + 1; k < cj; k++) {
        gunichar prev = char_at(p, cb[k - 1]);

        if (!bd->attrs[k].is_line_break)
            continue;
        if (prev == 0x00AD) {
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
        hyphenate(p, bd, sub, b);
    /* A word longer than any line may break anywhere, at a cost. */
    if (width_of(p, a, b) > p->st.width) {
        for (size_t k = ci + 1; k < cj; k++)
            if (bd->attrs[k].is_cursor_position && p->cstart[cb[k]])
                push_wbreak(bd, cb[k], OC_LB_PENALTY,
                            p->prm.emergency_penalty);
    }
    if (bd->nwb > 1)
        qsort(bd->wb, bd->nwb, sizeof *bd->wb, cmp_wbreaks);
    from = a;
    for (size_t i = 0; i < bd->nwb; i++) {
        const wbreak *w = &bd->wb[i];
        double hang = 0, width = 0;
        oc_lb_item it;

        if (w->at <= from || w->at >= b)
            continue;           /* a duplicate, or at an edge */
        add_item(p, oc_lb_box(width_of(p, from, w->at)), SRC_BOX, from,
                 w->at);
        from = w->at;
        if (w->type == OC_LB_HYPHEN_AUTO || w->type == OC_LB_HYPHEN_SOFT) {
            width = hyphen_width(p, cluster_before(p, w->at));
            if (justified(p))
                hang = width * 0.7 * p->prm.protrusion;
            it = oc_lb_hyphen(w->type, width - hang);
        } else {
            size_t c = cluster_before(p, w->at);

            if (justified(p))
                hang = width_of(p, c, w->at) * p->prm.protrusion *
                       hang_end_factor(char_at(p, c));
            it = w->type == OC_LB_PENALTY
                 ? oc_lb_penalty(-hang, w->penalty, 0)
                 : oc_lb_hyphen(w->type, -hang);
        }
        add_break(p, it, w->at, hang);
    }
    add_item(p, oc_lb_box(width_of(p, from, b)), SRC_BOX, from, b);
}

/* Font expansion as stretch and shrink of the glue: a space gets the
 * share of the words on either side of it, so that the breaker sees
 * about what a line can take. */
static void
add_expansion(oc_para *p)
{
    double left = 0, e = p->prm.expansion;
    size_t last = (size_t)-1;

    if (e <= 0 || !justified(p))
        return;
    for (size_t i = 0; i < p->nitems; i++) {
        const srcinfo *s = &p->srcs[i];

        if (s->kind == SRC_BOX) {
            left += p->items[i].width;
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

static void
build_items(oc_para *p, const PangoLogAttr *attrs, int nattrs)
{
    builder bd;
    size_t nchars = (size_t)(nattrs > 0 ? nattrs - 1 : 0);
    size_t *cbyte = oc_xmalloc((nchars + 1) * sizeof *cbyte);
    size_t ci = 0;
    bool line_start = true, after_space = false;
    double pro = justified(p) ? p->prm.protrusion : 0;

    memset(&bd, 0, sizeof bd);
    {
        const char *s = p->text;
        size_t k = 0;

        while (k < nchars && (size_t)(s - p->text) < p->len) {
            cbyte[k++] = (size_t)(s - p->text);
            s = g_utf8_next_char(s);
        }
        nchars = k;
        cbyte[nchars] = p->len;
    }
    bd.attrs = attrs;
    bd.cbyte = cbyte;
    bd.nchars = nchars;
    bd.nohyph = oc_xcalloc(p->len + 1, 1);
    if (p->attrs != NULL && p->st.hyphens == OC_PARA_HYPHENS_AUTO) {
        PangoAttrIterator *it = pango_attr_list_get_iterator(p->attrs);

        do {
            PangoAttribute *a = pango_attr_iterator_get(
                it, PANGO_ATTR_INSERT_HYPHENS);
            int s, e;

            if (a == NULL || ((PangoAttrInt *)a)->value)
                continue;
            pango_attr_iterator_range(it, &s, &e);
            for (size_t b = (size_t)s; b < (size_t)e && b <= p->len; b++)
                bd.nohyph[b] = 1;
        } while (pango_attr_iterator_next(it));
        pango_attr_iterator_destroy(it);
    }

    if (p->st.indent != 0)
        add_synthetic(p, oc_lb_box(p->st.indent), 0);
    add_line_start(p, 0, true);
    while (ci < nchars) {
        gunichar c = char_at(p, cbyte[ci]);
        size_t cj = ci + 1, k;
        double hang = 0;
        bool breakable, last;

        if (is_newline(c)) {
            add_line_end(p, cbyte[ci]);
            add_line_start(p, cbyte[cj], false);
            line_start = true;
            after_space = false;
            ci = cj;
            continue;
        }
        if (is_space(c) || is_nbsp(c)) {
            bool nobreak = is_nbsp(c);

            for (; cj < nchars && is_any_space(char_at(p, cbyte[cj])); cj++)
                nobreak |= is_nbsp(char_at(p, cbyte[cj]));
            if (ci > 0 && pro > 0) {
                size_t pc = cluster_before(p, cbyte[ci]);

                hang = width_of(p, pc, cbyte[ci]) * pro *
                       hang_end_factor(char_at(p, pc));
            }
            breakable = !nobreak && !line_start && attrs[cj].is_line_break;
            add_space(p, cbyte[ci], cbyte[cj], breakable, hang);
            after_space = breakable;
            ci = cj;
            continue;
        }
        while (cj < nchars && !is_any_space(char_at(p, cbyte[cj])) &&
               !is_newline(char_at(p, cbyte[cj])))
            cj++;
        for (k = cj; k < nchars && is_any_space(char_at(p, cbyte[k])); k++)
            ;
        last = k == nchars || is_newline(char_at(p, cbyte[k]));
        /* An opening quote may hang into the start margin; the space
         * before it is wider by as much, so that unbroken it is as wide
         * as ever. Not after an indent. */
        if (pro > 0 && (after_space || line_start) &&
            !(ci == 0 && p->st.indent != 0)) {
            hang = width_of(p, cbyte[ci], cbyte[ci + 1]) * pro *
                   hang_start_factor(c);
            if (after_space)
                p->items[p->nitems - 1].width += hang;
        }
        add_word(p, &bd, ci, cj, last, hang);
        line_start = false;
        after_space = false;
        ci = cj;
    }
    add_line_end(p, p->len);
    add_expansion(p);
    free(bd.wb);
    free(bd.nohyph);
    free(cbyte);
}

/* ---- lines ---- */

static const char hyphen_text[] = "-";

static int
level_of(const oc_para_run *r)
{
    return r->glyphs->item->analysis.level;
}

/* Unicode bidi rule L2 on the runs of a line: idx[0..n) goes from
 * logical to visual order. */
static void
reorder(const oc_para_run *runs, size_t *idx, size_t n)
{
    int hi = 0, lo = 256;

    for (size_t i = 0; i < n; i++) {
        int lv = level_of(&runs[idx[i]]);

        if (lv > hi)
            hi = lv;
        if (lv % 2 == 1 && lv < lo)
            lo = lv;
    }
    for (int lv = hi; lv >= lo; lv--)
        for (size_t i = 0; i < n;) {
            size_t j = i;

            if (level_of(&runs[idx[i]]) < lv) {
                i++;
                continue;
            }
            while (j < n && level_of(&runs[idx[j]]) >= lv)
                j++;
            for (size_t a = i, b = j; a + 1 < b; a++, b--) {
                size_t t = idx[a];

                idx[a] = idx[b - 1];
                idx[b - 1] = t;
            }
            i = j;
        }
}

/* How the glyphs of a line are set, by cluster (the byte it starts at):
 * white space set to extra[] alone, extra[] added to any other. The
 * line is painted scaled by 'scale' across (font expansion), so these
 * widths, given at the scale of the page, are divided by it. */
typedef struct setting {
    double        *extra;       /* points */
    unsigned char *space;
    double         scale;
} setting;

/* Set the glyph widths of 'gi', the next piece of a line in logical
 * order. *pos is the exact position reached so far and *at the rounded
 * one (Pango units), so that rounding errors do not add up. */
static void
set_glyphs(const setting *s, PangoGlyphItem *gi, double *pos, int *at)
{
    PangoGlyphString *gs = gi->glyphs;
    int n = gs->num_glyphs;
    bool rtl = gi->item->analysis.level % 2 == 1;
    size_t off = (size_t)gi->item->offset;
    size_t prev = (size_t)-1;

    for (int k = 0; k < n; k++) {
        int g = rtl ? n - 1 - k : k;
        size_t b = off + (size_t)gs->log_clusters[g];
        PangoGlyphGeometry *geo = &gs->glyphs[g].geometry;
        double add = b != prev ? s->extra[b] * PANGO_SCALE / s->scale : 0;
        double want;

        prev = b;
        if (s->space[b])
            want = add;
        else
            want = geo->width + add;
        *pos += want;
        geo->width = (int)floor(*pos + 0.5) - *at;
        *at += geo->width;
    }
}

/* Give back what a glyph string holds beyond its glyphs: splitting and
 * growing leave up to twice as much, and a book keeps every line. The
 * arrays are Pango's to free, with g_free, whatever their size. */
static PangoGlyphItem *
compact(PangoGlyphItem *gi)
{
    PangoGlyphString *gs = gi->glyphs;
    int n = gs->num_glyphs > 0 ? gs->num_glyphs : 1;

    if (gs->space > n) {
        gs->glyphs = g_renew(PangoGlyphInfo, gs->glyphs, n);
        gs->log_clusters = g_renew(int, gs->log_clusters, n);
        gs->space = n;
    }
    return gi;
}

/* The glyphs of bytes [a, b) of run r (cluster starts inside it), in a
 * new glyph item of their own: like pango_glyph_item_split, but without
 * moving the rest of the run at every line. r->gpos counts the glyphs
 * passed, in logical order. NULL when there are none. */
static PangoGlyphItem *
piece(const oc_para *p, orun *r, size_t a, size_t b)
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
    out->item->num_chars = (int)g_utf8_strlen(p->text + a, (gssize)(b - a));
    out->y_offset = gi->y_offset;
    out->glyphs = pango_glyph_string_new();
    pango_glyph_string_set_size(out->glyphs, k - k0);
    memcpy(out->glyphs->glyphs, gs->glyphs + first,
           (size_t)(k - k0) * sizeof *gs->glyphs);
    for (int i = 0; i < k - k0; i++)
        out->glyphs->log_clusters[i] = gs->log_clusters[first + i] +
                                       (int)off - (int)a;
    return compact(out);
}

/* The glyph items of bytes [a, b), in logical order, into out[] (their
 * run in orig[]); *next is the first run not used up. */
static size_t
cut_runs(oc_para *p, size_t *next, size_t a, size_t b, oc_para_run *out,
         size_t *orig)
{
    size_t n = 0;

    while (*next < p->nruns) {
        orun *r = &p->runs[*next];
        size_t off = (size_t)r->gi->item->offset;
        size_t end = off + (size_t)r->gi->item->length;

        if (end <= a) {
            (*next)++;
            continue;
        }
        if (off >= b)
            break;
        out[n].glyphs = piece(p, r, a > off ? a : off, b < end ? b : end);
        if (out[n].glyphs != NULL)
            orig[n++] = *next;
        if (end > b)
            break;
        (*next)++;
    }
    return n;
}

static PangoGlyphItem *
new_hyphen(oc_para *p, const PangoGlyphItem *last)
{
    PangoGlyphItem *h = g_slice_new0(PangoGlyphItem);
    const hyph_glyph *hg = NULL;

    for (size_t i = 0; i < p->nhyphs; i++)
        if (p->hyphs[i].font == last->item->analysis.font)
            hg = &p->hyphs[i];
    h->item = pango_item_copy(last->item);
    h->item->offset = 0;
    h->item->length = (int)strlen(hyphen_text);
    h->item->num_chars = 1;
    if (hg != NULL) {
        h->glyphs = pango_glyph_string_copy(hg->glyphs);
    } else {
        h->glyphs = pango_glyph_string_new();
        oc_fonts_lock();
        pango_shape_with_flags(hyphen_text, h->item->length, hyphen_text,
                               h->item->length, &h->item->analysis,
                               h->glyphs, PANGO_SHAPE_NONE);
        oc_fonts_unlock();
    }
    return h;
}

static void
free_lines(oc_para *p)
{
    /* The glyph items hold fonts: with a cache they stay alive in it
     * (its 'alive' set), else the font lock. */
    if (p->st.cache == NULL)
        oc_fonts_lock();
    g_ptr_array_set_size(p->owned, 0);
    if (p->st.cache == NULL)
        oc_fonts_unlock();
    for (size_t k = 0; k < p->nlines; k++) {
        free(p->lines[k].runs);
        free(p->lines[k].rules);
    }
    free(p->lines);
    free(p->fit);
    p->lines = NULL;
    p->fit = NULL;
    p->nlines = 0;
}

/* Ascent and descent of the base font (for a line with no text). Not
 * pango_context_get_metrics, which shapes a sample text at every call. */
static void
base_metrics(oc_para *p, double *asc, double *desc)
{
    if (p->base_asc == 0 && p->base_desc == 0) {
        PangoFont *f;
        PangoFontMetrics *m;

        oc_fonts_lock();
        f = pango_context_load_font(p->context, p->font);
        m = f != NULL ? pango_font_get_metrics(
                            f, p->lang ? pango_language_from_string(p->lang)
                                       : NULL)
                      : NULL;

        if (m != NULL) {
            p->base_asc = PT(pango_font_metrics_get_ascent(m));
            p->base_desc = PT(pango_font_metrics_get_descent(m));
            pango_font_metrics_unref(m);
        } else {
            p->base_asc = p->em * 0.8;
            p->base_desc = p->em * 0.2;
        }
        if (f != NULL)
            g_object_unref(f);
        oc_fonts_unlock();
    }
    *asc = p->base_asc;
    *desc = p->base_desc;
}

static void
add_rule(oc_para_line *L, const oc_para_run *r, const orun *o, double y,
         double h)
{
    oc_para_rule *ru = &L->rules[L->nrules++];

    ru->x = r->x;
    ru->w = r->width;
    ru->y = y - o->rise;
    ru->h = h;
    ru->color = o->color;
}

/* Place the runs of line L, given in logical order in lr[0..n) with
 * their runs of the paragraph in orig[], left to right: L->runs,
 * L->rules, L->width, L->ascent, L->descent. */
static void
place_runs(oc_para *p, oc_para_line *L, const oc_para_run *lr,
           const size_t *orig, size_t n)
{
    size_t *idx = oc_xmalloc((n ? n : 1) * sizeof *idx);
    size_t nrules = 0;
    double x = 0;

    for (size_t i = 0; i < n; i++) {
        idx[i] = i;
        nrules += p->runs[orig[i]].underline + p->runs[orig[i]].strike +
                  p->runs[orig[i]].overline;
    }
    reorder(lr, idx, n);
    L->runs = oc_xcalloc(n ? n : 1, sizeof *L->runs);
    L->rules = nrules ? oc_xcalloc(nrules, sizeof *L->rules) : NULL;
    L->nruns = n;
    L->ascent = 0;
    L->descent = 0;
    if (n == 0)
        base_metrics(p, &L->ascent, &L->descent);
    for (size_t v = 0; v < n; v++) {
        const orun *o = &p->runs[orig[idx[v]]];
        oc_para_run *r = &L->runs[v];

        *r = lr[idx[v]];
        r->width = PT(pango_glyph_string_get_width(r->glyphs->glyphs)) *
                   L->scale;
        r->rise = o->rise;
        r->x = x;
        x += r->width;
        L->ascent = fmax(L->ascent, o->ascent + o->rise);
        L->descent = fmax(L->descent, o->descent - o->rise);
        r->color = o->color;
        if (r->text == hyphen_text)
            continue;
        if (o->underline)
            add_rule(L, r, o, o->ul_pos, o->ul_thick);
        if (o->overline)
            add_rule(L, r, o, o->ol_pos, o->ul_thick);
        if (o->strike)
            add_rule(L, r, o, o->st_pos, o->st_thick);
    }
    L->width = x;
    free(idx);
}

/* Cut the paragraph's glyphs into the lines of 'res' and set them. */
static void
cut_lines(oc_para *p, const oc_lb_result *res)
{
    setting s;
    size_t next = 0;
    size_t *orig = oc_xmalloc((p->nruns + 2) * sizeof *orig);
    oc_para_run *lr = oc_xcalloc(p->nruns + 2, sizeof *lr);

    s.extra = oc_xcalloc(p->len + 1, sizeof *s.extra);
    s.space = oc_xcalloc(p->len + 1, 1);
    p->lines = oc_xcalloc(res->nlines ? res->nlines : 1, sizeof *p->lines);
    p->nlines = res->nlines;
    for (size_t k = 0; k < res->nlines; k++) {
        const oc_lb_line *ll = &res->lines[k];
        oc_para_line *L = &p->lines[k];
        size_t brk = ll->end;
        const oc_lb_item *bi = brk < p->nitems ? &p->items[brk] : NULL;
        double lead = 0, pending = 0, boxes = 0, sy = 0, sz = 0;
        double shortfall = ll->width - ll->natural, r_sp = 0;
        double hang_start = 0, pos = 0;
        size_t first = (size_t)-1, lastbox = (size_t)-1, gap = (size_t)-1;
        size_t lo = p->len, hi = 0;
        bool expand = justified(p) && !ll->fil_set && p->prm.expansion > 0;
        int at = 0;
        size_t n = 0;

        L->rtl = p->st.rtl;
        L->text = p->text;
        L->ratio = ll->ratio;
        L->badness = ll->badness;
        L->forced = bi != NULL && bi->type == OC_LB_PENALTY &&
                    bi->penalty <= -OC_LB_INFINITY && brk + 1 < p->nitems;
        L->hyphenated = bi != NULL && (bi->type == OC_LB_HYPHEN_AUTO ||
                                       bi->type == OC_LB_HYPHEN_SOFT);
        for (size_t i = ll->start; i < brk; i++) {
            const srcinfo *sr = &p->srcs[i];

            if (sr->kind == SRC_BOX) {
                boxes += p->items[i].width;
                if (first == (size_t)-1)
                    first = i;
                lastbox = i;
            } else if (sr->kind == SRC_SPACE) {
                sy += sr->sy;
                sz += sr->sz;
            }
        }
        for (size_t i = ll->start; i < brk && first == (size_t)-1; i++)
            if (p->srcs[i].kind == SRC_HANG)
                hang_start -= p->items[i].width;
        s.scale = 1;
        if (expand && lastbox != (size_t)-1) {
            /* Font expansion takes its share of the adjustment, at most
             * its limit, in steps (pdfTeX's expand step); the spaces take
             * the rest. The whole line is scaled, hanging punctuation
             * and hyphen too, so: */
            double he = bi != NULL ? p->srcs[brk].hang : 0;
            double hy = L->hyphenated ? bi->width + he : 0;
            double cap = p->prm.expansion * boxes;
            double share = (shortfall > 0 ? sy : sz) + cap;
            double e = share > 0 && boxes > 0
                       ? shortfall * cap / share / boxes : 0;

            e = round(e / EXPAND_STEP) * EXPAND_STEP;
            e = fmax(-p->prm.expansion, fmin(p->prm.expansion, e));
            r_sp = shortfall + e * (he + hang_start - boxes - hy);
            /* A step too far that the spaces cannot take back. */
            if ((e > 0 && r_sp < -sz) || (e < 0 && r_sp > 0 && sy <= 0)) {
                e -= e > 0 ? EXPAND_STEP : -EXPAND_STEP;
                r_sp = shortfall + e * (he + hang_start - boxes - hy);
            }
            s.scale = 1 + e;
            if (r_sp < -sz)
                r_sp = -sz;             /* overfull: it sticks out */
        }
        L->scale = s.scale;
        /* The widths of the spaces; what comes before the first box
         * (indent, stretch, hanging punctuation), between boxes (merged
         * into the space there) and after the last (dropped). */
        for (size_t i = ll->start; i < brk; i++) {
            const srcinfo *sr = &p->srcs[i];
            const oc_lb_item *it = &p->items[i];
            double w;

            if (sr->start < lo)
                lo = sr->start;
            if (sr->end > hi)
                hi = sr->end;
            if (sr->kind == SRC_BOX) {
                if (i == first)
                    lead = pending;
                else if (gap != (size_t)-1)
                    s.extra[p->srcs[gap].start] += pending;
                else
                    s.extra[cluster_before(p, sr->start)] += pending;
                pending = 0;
                gap = (size_t)-1;
                continue;
            }
            if (it->type == OC_LB_BOX) {
                pending += it->width * (sr->kind == SRC_HANG ? s.scale : 1);
                continue;
            }
            if (it->type != OC_LB_GLUE)
                continue;
            w = oc_lb_glue_width(ll, it);
            if (expand && sr->kind == SRC_SPACE) {
                w = it->width;
                if (r_sp > 0 && sy > 0)
                    w += r_sp * sr->sy / sy;
                else if (r_sp < 0 && sz > 0)
                    w += r_sp * sr->sz / sz;
            }
            if (sr->kind == SRC_SPACE && first != (size_t)-1) {
                if (gap == (size_t)-1)
                    gap = i;
                for (size_t b = sr->start; b < sr->end; b++)
                    s.space[b] = 1;
                s.extra[p->srcs[gap].start] += w;
            } else {
                pending += w;
            }
        }
        if (first != (size_t)-1)
            n = cut_runs(p, &next, p->srcs[first].start,
                         p->srcs[lastbox].end, lr, orig);
        for (size_t i = 0; i < n; i++) {
            set_glyphs(&s, lr[i].glyphs, &pos, &at);
            lr[i].text = p->text;
            g_ptr_array_add(p->owned, lr[i].glyphs);
        }
        if (L->hyphenated && n > 0) {
            lr[n].glyphs = new_hyphen(p, lr[n - 1].glyphs);
            lr[n].text = hyphen_text;
            orig[n] = orig[n - 1];
            g_ptr_array_add(p->owned, lr[n].glyphs);
            n++;
        } else {
            L->hyphenated = false;
        }
        place_runs(p, L, lr, orig, n);
        if (p->st.rtl) {
            L->hang_left = bi != NULL ? p->srcs[brk].hang * s.scale : 0;
            L->hang_right = hang_start * s.scale;
            L->x = ll->width - lead - L->width;
        } else {
            L->hang_left = hang_start * s.scale;
            L->hang_right = bi != NULL ? p->srcs[brk].hang * s.scale : 0;
            L->x = lead;
        }
        for (size_t b = lo; b < hi && b < p->len; b++) {
            s.extra[b] = 0;
            s.space[b] = 0;
        }
    }
    /* Each line's text starts where its first item stands. */
    for (size_t k = 0; k < p->nlines; k++) {
        size_t st = res->lines[k].start;

        p->lines[k].start = k == 0 ? 0
                            : st < p->nitems ? p->srcs[st].start : p->len;
        p->lines[k].end = p->len;
        if (k > 0)
            p->lines[k - 1].end = p->lines[k].start;
    }
    free(lr);
    free(orig);
    free(s.extra);
    free(s.space);
}

/* ---- the paragraph ---- */

static void
free_runs(oc_para *p)
{
    for (size_t i = 0; i < p->nruns; i++) {
        if (p->runs[i].gi != NULL)
            pango_glyph_item_free(p->runs[i].gi);
    }
    free(p->runs);
    p->runs = NULL;
    p->nruns = 0;
    free(p->cw);
    free(p->pre);
    free(p->cstart);
    free(p->run_of);
    p->cw = NULL;
    p->pre = NULL;
    p->cstart = NULL;
    p->run_of = NULL;
}

/* Shape the text and build its items, for one breaking: they are not
 * kept, so that a paragraph costs only its lines once it is set. */
static void
prepare(oc_para *p)
{
    int nla = 0;
    PangoLogAttr *la;

    la = shape(p, &nla);
    build_items(p, la, nla);
    g_free(la);
}

/* Drop what prepare made. Glyph items hold fonts: as free_lines. */
static void
release(oc_para *p)
{
    if (p->st.cache == NULL)
        oc_fonts_lock();
    free_runs(p);
    for (size_t i = 0; i < p->nhyphs; i++) {
        pango_glyph_string_free(p->hyphs[i].glyphs);
        if (p->hyphs[i].font != NULL)
            g_object_unref(p->hyphs[i].font);
    }
    free(p->hyphs);
    p->hyphs = NULL;
    p->nhyphs = 0;
    if (p->st.cache == NULL)
        oc_fonts_unlock();
    free(p->items);
    free(p->srcs);
    p->items = NULL;
    p->srcs = NULL;
    p->nitems = p->capitems = 0;
}

/* A short quotation of bytes [a, b) for a warning. */
static void
warn_overfull(const oc_para *p, size_t a, size_t b, double by)
{
    int n = (int)(b - a > 40 ? 40 : b - a);

    while (n > 0 && n < (int)(b - a) &&
           ((unsigned char)p->text[a + (size_t)n] & 0xC0) == 0x80)
        n--;
    oc_warn(p->st.file, p->st.line, 0,
            "overfull line, %.1f pt too wide: \"%.*s%s\"", by, n,
            p->text + a, (size_t)n < b - a ? "..." : "");
}

/* Break the paragraph into p->lines, which must be empty; returns the
 * looseness reached. */
static int
set_lines(oc_para *p, int looseness)
{
    oc_lb_params lp;
    oc_lb_result res;
    oc_error err = {0};
    int actual;

    prepare(p);
    oc_lb_params_init(&lp, p->st.width);
    lp.tolerance = p->prm.tolerance;
    lp.pretolerance = p->prm.pretolerance;
    lp.line_penalty = p->prm.line_penalty;
    lp.hyphen_penalty = p->prm.hyphen_penalty;
    lp.exhyphen_penalty = p->prm.exhyphen_penalty;
    lp.double_hyphen_demerits = p->prm.double_hyphen_demerits;
    lp.final_hyphen_demerits = p->prm.final_hyphen_demerits;
    lp.adj_demerits = p->prm.adj_demerits;
    lp.emergency_stretch = p->prm.emergency_stretch * p->em;
    lp.looseness = looseness;
    if (oc_lb_break(NULL, p->items, p->nitems, &lp, &res, &err) != OC_OK) {
        /* Our own items are always valid: a bug, but not a crash. */
        oc_warn(p->st.file, p->st.line, 0, "%s", err.msg);
        release(p);
        return 0;
    }
    for (size_t k = 0; k < res.nlines && !p->broken; k++) {
        const oc_lb_line *ll = &res.lines[k];
        size_t a = ll->start < p->nitems ? p->srcs[ll->start].start : p->len;
        size_t b = ll->end > 0 ? p->srcs[ll->end - 1].end : a;

        if (ll->overfull > 0.05)
            warn_overfull(p, a, b, ll->overfull);
    }
    cut_lines(p, &res);
    p->fit = oc_xmalloc((res.nlines ? res.nlines : 1) * sizeof *p->fit);
    memcpy(p->fit, res.lines, res.nlines * sizeof *p->fit);
    actual = res.looseness;
    oc_lb_result_free(&res);
    release(p);
    p->broken = true;
    p->looseness = looseness;
    return actual;
}

int
oc_para_break(oc_para *p, int looseness)
{
    free_lines(p);
    return set_lines(p, looseness);
}

/* Can the lines of the last breaking become 'delta' more (1) or fewer
 * (-1) with every line but the last within badness 'bad'? A quick test
 * of what is necessary (not sufficient), from their widths, stretch and
 * shrink, so that hopeless tries cost nothing. */
static bool
may_refit(const oc_para *p, int delta, double bad)
{
    size_t n = p->nlines;
    double room = 0, content = 0, stretch = 0;
    double r = cbrt(bad / 100);     /* the adjustment ratio of 'bad' */

    if (n == 0 || (delta < 0 && n < 2))
        return false;
    for (size_t k = 0; k < n; k++) {
        const oc_lb_line *f = &p->fit[k];

        if (p->lines[k].forced)
            return false;           /* lines set apart by U+000A */
        content += f->natural;
        if (k + 1 < n) {
            room += f->width - f->natural + f->shrink;
            stretch += f->stretch;
        }
    }
    if (delta < 0)                  /* the last line goes into the others */
        return p->fit[n - 1].natural <= room;
    /* n full lines, stretched at most so far, and a line more. */
    return n > 1 && content > n * p->fit[0].width -
                              r * stretch * (double)n / (double)(n - 1);
}

/* Break again with 'looseness' into fresh lines; keep them if there are
 * 'want' of them, none but the last worse than 'bad'. */
static bool
try_lines(oc_para *p, int looseness, size_t want, double bad)
{
    oc_para_line *lines = p->lines;
    oc_lb_line *fit = p->fit;
    size_t nlines = p->nlines;
    GPtrArray *owned = p->owned;
    int old = p->looseness;
    bool ok;

    p->lines = NULL;
    p->fit = NULL;
    p->nlines = 0;
    p->owned = g_ptr_array_new_with_free_func(
        (GDestroyNotify)pango_glyph_item_free);
    set_lines(p, looseness);
    ok = p->nlines == want;
    for (size_t k = 0; ok && k + 1 < p->nlines; k++)
        ok = p->lines[k].forced || p->lines[k].badness <= bad;
    /* Free the lines not kept, with their glyph items. */
    {
        oc_para_line *nl = p->lines;
        oc_lb_line *nf = p->fit;
        size_t nn = p->nlines;
        GPtrArray *no = p->owned;

        if (ok) {
            p->lines = lines;
            p->fit = fit;
            p->nlines = nlines;
            p->owned = owned;
        }
        free_lines(p);
        g_ptr_array_free(p->owned, TRUE);
        p->lines = ok ? nl : lines;
        p->fit = ok ? nf : fit;
        p->nlines = ok ? nn : nlines;
        p->owned = ok ? no : owned;
        if (!ok)
            p->looseness = old;
    }
    return ok;
}

bool
oc_para_refit(oc_para *p, int delta, double max_badness)
{
    size_t want = p->nlines + (size_t)(ptrdiff_t)delta;

    if ((delta != 1 && delta != -1) ||
        !may_refit(p, delta, max_badness))
        return false;
    /* \looseness counts from the optimum of the pass that reaches it,
     * which may not have as many lines as these: a step further too. */
    return try_lines(p, p->looseness + delta, want, max_badness) ||
           try_lines(p, p->looseness + 2 * delta, want, max_badness);
}

oc_status
oc_para_new(const char *text, size_t len, PangoAttrList *attrs,
            const oc_para_style *st, oc_para **out, oc_error *err)
{
    oc_para *p;

    *out = NULL;
    if (st == NULL || st->context == NULL || st->font == NULL)
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "paragraph: no context or font");
    if (!(st->width > 0) || !isfinite(st->width) || !isfinite(st->indent))
        return oc_error_set(err, OC_ERR_INVALID, st->file, st->line, 0,
                            "paragraph: measure %g", st->width);
    if (len > INT32_MAX / 2 || (len > 0 && text == NULL) ||
        !g_utf8_validate(text ? text : "", (gssize)len, NULL))
        return oc_error_set(err, OC_ERR_INVALID, st->file, st->line, 0,
                            "paragraph: text is not UTF-8");
    p = oc_xcalloc(1, sizeof *p);
    p->text = oc_xmalloc(len + 1);
    if (len > 0)
        memcpy(p->text, text, len);
    p->text[len] = '\0';
    p->len = len;
    p->attrs = attrs != NULL ? pango_attr_list_ref(attrs) : NULL;
    p->context = g_object_ref(st->context);
    p->font = pango_font_description_copy(st->font);
    p->lang = st->lang != NULL ? oc_xstrdup(st->lang) : NULL;
    p->st = *st;
    p->st.context = p->context;
    p->st.font = p->font;
    p->st.lang = p->lang;
    if (st->params != NULL)
        p->prm = *st->params;
    else
        oc_para_params_init(&p->prm);
    p->st.params = &p->prm;
    p->em = pango_font_description_get_size(p->font) / (double)PANGO_SCALE;
    if (!(p->em > 0))
        p->em = 10;
    p->owned = g_ptr_array_new_with_free_func(
        (GDestroyNotify)pango_glyph_item_free);
    oc_para_break(p, 0);
    *out = p;
    return OC_OK;
}

const oc_para_line *
oc_para_lines(const oc_para *p, size_t *n)
{
    *n = p->nlines;
    return p->lines;
}

const char *
oc_para_text(const oc_para *p)
{
    return p->text;
}

/* x of byte 'index' in run r of line l, from the line's left end;
 * 'index' is within the run's item. */
static double
run_index_x(const oc_para_line *l, const oc_para_run *r, size_t index)
{
    PangoItem *item = r->glyphs->item;
    int x = 0;

    if (index >= (size_t)(item->offset + item->length))
        return r->x + (item->analysis.level % 2 ? 0 : r->width);
    pango_glyph_string_index_to_x(r->glyphs->glyphs,
                                  (char *)r->text + item->offset,
                                  item->length, &item->analysis,
                                  (int)(index - (size_t)item->offset), FALSE,
                                  &x);
    return r->x + PT(x) * l->scale;
}

double
oc_para_line_index_x(const oc_para_line *l, size_t index)
{
    for (size_t i = 0; i < l->nruns; i++) {
        const oc_para_run *r = &l->runs[i];
        size_t off = (size_t)r->glyphs->item->offset;

        if (r->text != hyphen_text && index >= off &&
            index < off + (size_t)r->glyphs->item->length)
            return run_index_x(l, r, index);
    }
    if (index < l->start || (index < l->end && l->nruns > 0 &&
                             index < (size_t)l->runs[0].glyphs->item->offset))
        return l->rtl ? l->width : 0;
    return l->rtl ? 0 : l->width;
}

size_t
oc_para_line_ranges(const oc_para_line *l, size_t start, size_t end,
                    double *xs, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < l->nruns && max > 0; i++) {
        const oc_para_run *r = &l->runs[i];
        PangoItem *item = r->glyphs->item;
        size_t off = (size_t)item->offset;
        size_t iend = off + (size_t)item->length;
        size_t a = start > off ? start : off;
        size_t b = end < iend ? end : iend;
        double xa, xb, left, right;

        if (r->text == hyphen_text || a >= b)
            continue;
        xa = run_index_x(l, r, a);
        xb = run_index_x(l, r, b);
        left = fmin(xa, xb);
        right = fmax(xa, xb);
        if (n > 0 && fabs(left - xs[2 * n - 1]) < 0.01) {
            xs[2 * n - 1] = right;
        } else if (n < max) {
            xs[2 * n] = left;
            xs[2 * n + 1] = right;
            n++;
        }
    }
    return n;
}

void
oc_para_free(oc_para *p)
{
    if (p == NULL)
        return;
    free_lines(p);
    release(p);
    oc_fonts_lock();
    g_ptr_array_free(p->owned, TRUE);
    if (p->attrs != NULL)
        pango_attr_list_unref(p->attrs);
    g_object_unref(p->context);
    oc_fonts_unlock();
    pango_font_description_free(p->font);
    free(p->lang);
    free(p->text);
    free(p);
}
