/* paragraph.c - a paragraph's text → glyphs shaped once (shape.h) →
 * Knuth-Plass items → lines of glyph items: TeX's line breaking
 * (linebreak.h) with pdfTeX's margin kerning and font expansion (Hàn Thế
 * Thành, "Micro-typographic extensions to the TeX typesetting system",
 * 2000; the protrusion factors are microtype's), break opportunities
 * after UAX #14. The items are built in para-items.c; here the
 * paragraph is broken and its lines cut from the shaped text. */
#include "para-int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cjk.h"
#include "error.h"
#include "fontlock.h"

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
    p->caps_hyphen_penalty = 1000;
    p->double_hyphen_demerits = 10000;
    p->triple_hyphen_demerits = 1e6;
    p->final_hyphen_demerits = 5000;
    p->adj_demerits = 10000;
    p->emergency_stretch = 2;
    p->stretch = 1.0 / 2;
    p->shrink = 1.0 / 3;
    p->ragged = 3;
    p->expansion = 0.02;
    p->protrusion = 1;
    p->piece = 16384;
}

oc_para_cache *
oc_para_cache_new(void)
{
    return oc_shape_cache_new();
}

void
oc_para_cache_free(oc_para_cache *c)
{
    oc_shape_cache_free(c);
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

/* The glyph items of bytes [a, b), in logical order, into out[] (their
 * run in orig[]); *next is the first run not used up. */
static size_t
cut_runs(oc_para *p, size_t *next, size_t a, size_t b, oc_para_run *out,
         size_t *orig)
{
    size_t n = 0;

    while (*next < p->sh.nruns) {
        oc_shape_run *r = &p->sh.runs[*next];
        size_t off = (size_t)r->gi->item->offset;
        size_t end = off + (size_t)r->gi->item->length;

        if (end <= a) {
            (*next)++;
            continue;
        }
        if (off >= b)
            break;
        out[n].glyphs = oc_shape_piece(&p->sh, r, a > off ? a : off,
                                       b < end ? b : end);
        if (out[n].glyphs != NULL)
            orig[n++] = *next;
        if (end > b)
            break;
        (*next)++;
    }
    return n;
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

/* Ascent and descent of the base font (for a line with no text). */
static void
base_metrics(oc_para *p, double *asc, double *desc)
{
    if (p->base_asc == 0 && p->base_desc == 0) {
        PangoFont *f;
        oc_font_metrics m;

        oc_fonts_lock();
        f = pango_context_load_font(p->context, p->font);
        if (f != NULL) {
            oc_shape_font_metrics(f, &m);
            p->base_asc = PT(m.ascent);
            p->base_desc = PT(m.descent);
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
add_rule(oc_para_line *L, const oc_para_run *r, const oc_shape_run *o,
         double y, double h)
{
    oc_para_rule *ru = &L->rules[L->nrules++];

    ru->x = r->x;
    ru->w = r->width;
    ru->y = y - o->rise;
    ru->h = h;
    ru->color = o->color;
    ru->under = false;
}

/* How many rules add_rules may give run o. */
static size_t
rules_of(const oc_shape_run *o)
{
    return (size_t)o->underline + o->strike + o->overline +
           (o->background.set && o->background.a > 0);
}

/* The rules of run r of line L, from its run of the paragraph o: its
 * background, and its lines unless it is a hyphen of octavo's ('text'
 * false). */
static void
add_rules(oc_para_line *L, const oc_para_run *r, const oc_shape_run *o,
          bool text)
{
    if (o->background.set && o->background.a > 0) {
        add_rule(L, r, o, -o->ascent, o->ascent + o->descent);
        L->rules[L->nrules - 1].color = o->background;
        L->rules[L->nrules - 1].under = true;
    }
    if (!text)
        return;
    if (o->underline)
        add_rule(L, r, o, o->ul_pos, o->ul_thick);
    if (o->overline)
        add_rule(L, r, o, o->ol_pos, o->ul_thick);
    if (o->strike)
        add_rule(L, r, o, o->st_pos, o->st_thick);
}

/* Place the runs of line L, given in logical order in lr[0..n) with
 * their runs of the paragraph in orig[], left to right: L->runs,
 * L->rules, L->width, L->ascent, L->descent. */
static void
place_runs(oc_para *p, oc_para_line *L, const oc_para_run *lr,
           const size_t *orig, size_t n)
{
    size_t *idx = oc_arena_alloc(p->scratch, (n ? n : 1) * sizeof *idx);
    size_t nrules = 0;
    double x = 0;

    for (size_t i = 0; i < n; i++) {
        const oc_shape_run *o = &p->sh.runs[orig[i]];

        idx[i] = i;
        nrules += rules_of(o);
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
        const oc_shape_run *o = &p->sh.runs[orig[idx[v]]];
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
        add_rules(L, r, o, r->text != hyphen_text);
    }
    L->width = x;
}

const oc_para_line *
oc_para_line_of_pango(PangoLayoutLine *pl, oc_para_cache *cache, oc_arena *a)
{
    enum { ON_STACK = 8 };
    oc_para_line *L = oc_arena_alloc(a, sizeof *L);
    const char *text = pango_layout_get_text(pl->layout);
    size_t n = g_slist_length(pl->runs);
    /* The runs' styles, wanted only here: not kept with the line (a
     * long book's contents has thousands of such lines). */
    oc_shape_run ostack[ON_STACK];
    oc_shape_run *o = n > ON_STACK ? oc_xmalloc(n * sizeof *o) : ostack;
    PangoRectangle log;
    int64_t x = 0;                  /* Pango units, as Pango places them */
    size_t k = 0, nrules = 0;

    memset(L, 0, sizeof *L);
    memset(o, 0, (n ? n : 1) * sizeof *o);
    L->runs = oc_arena_alloc(a, (n ? n : 1) * sizeof *L->runs);
    oc_fonts_lock();
    for (const GSList *l = pl->runs; l != NULL; l = l->next, k++) {
        oc_para_run *r = &L->runs[k];

        o[k].gi = l->data;
        oc_shape_run_style(cache, &o[k]);
        nrules += rules_of(&o[k]);
        x += o[k].gi->start_x_offset;
        *r = (oc_para_run){ .glyphs = o[k].gi, .text = text,
                            .x = (double)x / PANGO_SCALE,
                            .rise = o[k].rise, .color = o[k].color };
        r->width = PT(pango_glyph_string_get_width(o[k].gi->glyphs));
        x += pango_glyph_string_get_width(o[k].gi->glyphs) +
             o[k].gi->end_x_offset;
    }
    pango_layout_line_get_extents(pl, NULL, &log);
    oc_fonts_unlock();
    L->nruns = n;
    L->rules = oc_arena_alloc(a, (nrules ? nrules : 1) * sizeof *L->rules);
    for (k = 0; k < n; k++)
        add_rules(L, &L->runs[k], &o[k], true);
    L->width = PT(log.width);
    L->scale = 1;
    L->ascent = PT(-log.y);
    L->descent = PT(log.y + log.height);
    L->text = text;
    L->start = (size_t)pl->start_index;
    L->end = L->start + (size_t)pl->length;
    L->rtl = pl->resolved_dir == PANGO_DIRECTION_RTL;
    if (o != ostack)
        free(o);
    return L;
}

/* A line being cut from the paragraph's glyphs: what its items come
 * to. */
typedef struct cutline {
    const oc_lb_line *ll;       /* the breaker's line */
    oc_para_line     *L;
    size_t            brk;      /* its break item: ll->end */
    const oc_lb_item *bi;       /* that item; NULL at the paragraph's end */
    bool              expand;   /* font expansion may scale it */
    size_t            first, lastbox;   /* its boxes; (size_t)-1: none */
    double            boxes;    /* their widths */
    double            sy, sz;   /* stretch and shrink of its spaces */
    double            oy;       /* stretch of its other glue (a ragged
                                   break's in a web address) */
    double            hang_start;   /* how far its start hangs */
    double            r_sp;     /* font expansion: the adjustment that
                                   its spaces take */
    double            lead;     /* what comes before its first box */
    size_t            lo, hi;   /* the bytes its setting touched */
} cutline;

/* What cutting keeps from line to line. */
typedef struct cutter {
    setting      s;             /* clear but for the line at hand */
    size_t       next;          /* the first run not used up */
    oc_para_run *lr;            /* a line's glyph items, logical order */
    size_t      *orig;          /* the run of each */
} cutter;

/* The boxes of line c, their widths, the stretch and shrink of its
 * spaces, and how far its start hangs. */
static void
measure_line(const oc_para *p, cutline *c)
{
    c->first = c->lastbox = (size_t)-1;
    for (size_t i = c->ll->start; i < c->brk; i++) {
        const srcinfo *sr = &p->srcs[i];

        if (sr->kind == SRC_BOX) {
            c->boxes += p->items[i].width;
            if (c->first == (size_t)-1)
                c->first = i;
            c->lastbox = i;
        } else if (sr->kind == SRC_SPACE) {
            c->sy += sr->sy;
            c->sz += sr->sz;
        } else if (p->items[i].type == OC_LB_GLUE) {
            c->oy += p->items[i].stretch;
        }
    }
    for (size_t i = c->ll->start; i < c->brk && c->first == (size_t)-1; i++)
        if (p->srcs[i].kind == SRC_HANG)
            c->hang_start -= p->items[i].width;
}

/* The scale line c is set at across: font expansion takes its share of
 * the adjustment, at most its limit, in steps (pdfTeX's expand step);
 * the spaces take the rest (c->r_sp), but for what other glue takes as
 * the breaker stretched it. The whole line is scaled, hanging
 * punctuation and hyphen too, so: */
static double
expand_line(const oc_para *p, cutline *c)
{
    const oc_lb_line *ll = c->ll;
    double shortfall = ll->width - ll->natural -
                       (ll->ratio > 0 && c->oy > 0 ? ll->ratio * c->oy : 0);
    double he, hy, cap, share, e;

    if (!c->expand || c->lastbox == (size_t)-1)
        return 1;
    he = c->bi != NULL ? p->srcs[c->brk].hang : 0;
    hy = c->L->hyphenated ? c->bi->width + he : 0;
    cap = p->prm.expansion * c->boxes;
    share = (shortfall > 0 ? c->sy : c->sz) + cap;
    e = share > 0 && c->boxes > 0 ? shortfall * cap / share / c->boxes : 0;
    e = round(e / EXPAND_STEP) * EXPAND_STEP;
    e = fmax(-p->prm.expansion, fmin(p->prm.expansion, e));
    c->r_sp = shortfall + e * (he + c->hang_start - c->boxes - hy);
    /* A step too far that the spaces cannot take back. */
    if ((e > 0 && c->r_sp < -c->sz) ||
        (e < 0 && c->r_sp > 0 && c->sy <= 0)) {
        e -= e > 0 ? EXPAND_STEP : -EXPAND_STEP;
        c->r_sp = shortfall + e * (he + c->hang_start - c->boxes - hy);
    }
    if (c->r_sp < -c->sz)
        c->r_sp = -c->sz;               /* overfull: it sticks out */
    return 1 + e;
}

/* The widths of the spaces of line c into s; what comes before the
 * first box (indent, stretch, hanging punctuation) into c->lead, what
 * comes between boxes merged into the space there, what comes after
 * the last dropped. */
static void
space_widths(const oc_para *p, cutline *c, setting *s)
{
    double pending = 0;
    size_t gap = (size_t)-1;

    c->lo = p->len;
    c->hi = 0;
    for (size_t i = c->ll->start; i < c->brk; i++) {
        const srcinfo *sr = &p->srcs[i];
        const oc_lb_item *it = &p->items[i];
        double w;

        if (sr->start < c->lo)
            c->lo = sr->start;
        if (sr->end > c->hi)
            c->hi = sr->end;
        if (sr->kind == SRC_BOX) {
            if (i == c->first)
                c->lead = pending;
            else if (gap != (size_t)-1)
                s->extra[p->srcs[gap].start] += pending;
            else
                s->extra[oc_shape_cluster_before(&p->sh, sr->start)] +=
                    pending;
            pending = 0;
            gap = (size_t)-1;
            continue;
        }
        if (it->type == OC_LB_BOX) {
            pending += it->width * (sr->kind == SRC_HANG ? s->scale : 1);
            continue;
        }
        if (it->type != OC_LB_GLUE)
            continue;
        w = oc_lb_glue_width(c->ll, it);
        if (c->expand && sr->kind == SRC_SPACE) {
            w = it->width;
            if (c->r_sp > 0 && c->sy > 0)
                w += c->r_sp * sr->sy / c->sy;
            else if (c->r_sp < 0 && c->sz > 0)
                w += c->r_sp * sr->sz / c->sz;
        }
        if (sr->kind == SRC_SPACE && c->first != (size_t)-1 &&
            !(sr->fixed && i < c->first)) {     /* a kept indent: lead */
            if (gap == (size_t)-1)
                gap = i;
            for (size_t b = sr->start; b < sr->end; b++)
                s->space[b] = 1;
            s->extra[p->srcs[gap].start] += w;
        } else {
            pending += w;
        }
    }
}

/* The glyph items of line c, set, into cu->lr and cu->orig, with a
 * hyphen of its own if it is hyphenated; returns how many. */
static size_t
line_glyphs(oc_para *p, cutline *c, cutter *cu)
{
    oc_para_run *lr = cu->lr;
    double pos = 0;
    int at = 0;
    size_t n = 0;

    if (c->first != (size_t)-1)
        n = cut_runs(p, &cu->next, p->srcs[c->first].start,
                     p->srcs[c->lastbox].end, lr, cu->orig);
    for (size_t i = 0; i < n; i++) {
        set_glyphs(&cu->s, lr[i].glyphs, &pos, &at);
        lr[i].text = p->text;
        g_ptr_array_add(p->owned, lr[i].glyphs);
    }
    if (c->L->hyphenated && n > 0) {
        lr[n].glyphs = oc_shape_hyphen_item(&p->sh, lr[n - 1].glyphs,
                                            hyphen_text);
        lr[n].text = hyphen_text;
        cu->orig[n] = cu->orig[n - 1];
        g_ptr_array_add(p->owned, lr[n].glyphs);
        n++;
    } else {
        c->L->hyphenated = false;
    }
    return n;
}

bool
oc_para_has_cjk(const oc_para *p, size_t a, size_t b)
{
    for (const char *s = p->text + a; s < p->text + b;
         s = g_utf8_next_char(s))
        if (oc_cjk_is_char(g_utf8_get_char(s)))
            return true;
    return false;
}

/* The breaker's line ll holds a CJK character (in a box of it). */
static bool
line_has_cjk(const oc_para *p, const oc_lb_line *ll)
{
    if (!p->cjk)
        return false;
    for (size_t i = ll->start; i < ll->end && i < p->nitems; i++)
        if (p->srcs[i].kind == SRC_BOX &&
            oc_para_has_cjk(p, p->srcs[i].start, p->srcs[i].end))
            return true;
    return false;
}

/* Cut line L, the breaker's ll, from the paragraph's glyphs and set
 * it. */
static void
cut_line(oc_para *p, cutter *cu, const oc_lb_line *ll, oc_para_line *L)
{
    cutline c = { .ll = ll, .L = L, .brk = ll->end };
    double scale, hang_end;
    size_t n;

    c.bi = c.brk < p->nitems ? &p->items[c.brk] : NULL;
    c.expand = oc_para_justified(p) && !ll->fil_set &&
               p->prm.expansion > 0 && !line_has_cjk(p, ll);
    L->rtl = p->st.rtl;
    L->text = p->text;
    L->ratio = ll->ratio;
    L->badness = ll->badness;
    L->forced = c.bi != NULL && c.bi->type == OC_LB_PENALTY &&
                c.bi->penalty <= -OC_LB_INFINITY && c.brk + 1 < p->nitems;
    L->hyphenated = c.bi != NULL && (c.bi->type == OC_LB_HYPHEN_AUTO ||
                                     c.bi->type == OC_LB_HYPHEN_SOFT);
    measure_line(p, &c);
    scale = cu->s.scale = L->scale = expand_line(p, &c);
    space_widths(p, &c, &cu->s);
    n = line_glyphs(p, &c, cu);
    place_runs(p, L, cu->lr, cu->orig, n);
    hang_end = c.bi != NULL ? p->srcs[c.brk].hang * scale : 0;
    if (p->st.rtl) {
        L->hang_left = hang_end;
        L->hang_right = c.hang_start * scale;
        L->x = ll->width - c.lead - L->width;
    } else {
        L->hang_left = c.hang_start * scale;
        L->hang_right = hang_end;
        L->x = c.lead;
    }
    for (size_t b = c.lo; b < c.hi && b < p->len; b++) {
        cu->s.extra[b] = 0;
        cu->s.space[b] = 0;
    }
}

/* Cut the paragraph's glyphs into the lines of 'res' and set them. */
static void
cut_lines(oc_para *p, const oc_lb_result *res)
{
    oc_arena *a = p->scratch;
    cutter cu = { .next = 0 };

    cu.orig = oc_arena_alloc(a, (p->sh.nruns + 2) * sizeof *cu.orig);
    cu.lr = oc_arena_alloc(a, (p->sh.nruns + 2) * sizeof *cu.lr);
    cu.s.extra = oc_arena_alloc(a, (p->len + 1) * sizeof *cu.s.extra);
    cu.s.space = oc_arena_alloc(a, p->len + 1);
    p->lines = oc_xcalloc(res->nlines ? res->nlines : 1, sizeof *p->lines);
    p->nlines = res->nlines;
    for (size_t k = 0; k < res->nlines; k++) {
        cut_line(p, &cu, &res->lines[k], &p->lines[k]);
        /* A wrapped line goes on after its indent (first fit). */
        if (k > 0 && !p->lines[k - 1].forced && p->st.first_fit &&
            !p->st.rtl)
            p->lines[k].x += p->st.wrap_indent;
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
    /* Which end at a hyphen, the text's included. */
    for (size_t k = 0; k + 1 < p->nlines; k++) {
        oc_para_line *L = &p->lines[k];

        L->at_hyphen = L->hyphenated ||
                       (L->end > L->start &&
                        (p->text[L->end - 1] == '-' ||
                         (L->end - L->start >= 3 &&
                          memcmp(p->text + L->end - 3, "\xe2\x80\x90", 3) ==
                              0)));
    }
}

/* ---- the paragraph ---- */

/* Shape the text and build its items, for one breaking, in a scratch
 * arena: they are not kept, so that a paragraph costs only its lines
 * once it is set. */
static void
prepare(oc_para *p)
{
    int nla = 0;
    PangoLogAttr *la;

    p->scratch = oc_arena_new();
    la = oc_shape_text(&p->sh, p->scratch, &nla);
    oc_para_build_items(p, la, nla);
    g_free(la);
}

/* Drop what prepare made. Glyph items hold fonts: oc_shape_release
 * frees them as free_lines does. */
static void
release(oc_para *p)
{
    oc_shape_release(&p->sh);
    p->items = NULL;
    p->srcs = NULL;
    p->nitems = p->capitems = 0;
    p->cjk = false;
    oc_arena_free(p->scratch);
    p->scratch = NULL;
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

/* Warn of each character that no font has (Pango shows it as a box,
 * its glyph the character with PANGO_GLYPH_UNKNOWN_FLAG), once per
 * character and chapter. */
static void
warn_missing_glyphs(const oc_para *p)
{
    for (size_t i = 0; i < p->sh.nruns; i++) {
        const PangoGlyphString *gs = p->sh.runs[i].gi->glyphs;

        for (int g = 0; g < gs->num_glyphs; g++) {
            PangoGlyph gl = gs->glyphs[g].glyph;
            gunichar c = gl & ~PANGO_GLYPH_UNKNOWN_FLAG;
            char utf8[8] = {0};

            if (!(gl & PANGO_GLYPH_UNKNOWN_FLAG) ||
                gl == PANGO_GLYPH_INVALID_INPUT ||
                oc_shape_is_newline(c) ||
                !oc_shape_first_missing(p->st.cache, p->st.file, c))
                continue;
            g_unichar_to_utf8(c, utf8);
            oc_warn(p->st.file, p->st.line, 0,
                    "no font has U+%04X '%s': it is printed as a box",
                    (unsigned)c, utf8);
        }
    }
}

/* Break the paragraph, whole, into p->lines, which must be empty;
 * returns the looseness reached. */
static int
set_whole(oc_para *p, int looseness)
{
    oc_lb_params lp;
    oc_lb_result res;
    oc_error err = {0};
    int actual;

    prepare(p);
    if (!p->broken)
        warn_missing_glyphs(p);
    oc_lb_params_init(&lp, p->st.width);
    lp.tolerance = p->prm.tolerance;
    lp.pretolerance = p->prm.pretolerance;
    lp.line_penalty = p->prm.line_penalty;
    lp.hyphen_penalty = p->prm.hyphen_penalty;
    lp.exhyphen_penalty = p->prm.exhyphen_penalty;
    lp.double_hyphen_demerits = p->prm.double_hyphen_demerits;
    lp.triple_hyphen_demerits = p->prm.triple_hyphen_demerits;
    lp.final_hyphen_demerits = p->prm.final_hyphen_demerits;
    lp.adj_demerits = p->prm.adj_demerits;
    lp.emergency_stretch = p->prm.emergency_stretch * p->em;
    lp.looseness = looseness;
    lp.plain_line = p->plain_line;
    lp.no_three_hyphens = p->no_three;
    lp.last_resort = p->prm.emergency_penalty;
    lp.wrap_indent = p->st.wrap_indent;
    if ((p->st.first_fit
             ? oc_lb_first_fit(NULL, p->items, p->nitems, &lp, &res, &err)
             : oc_lb_break(NULL, p->items, p->nitems, &lp, &res, &err)) !=
        OC_OK) {
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
    p->min_width = oc_lb_widest_piece(p->items, p->nitems, &lp);
    p->fit = oc_xmalloc((res.nlines ? res.nlines : 1) * sizeof *p->fit);
    memcpy(p->fit, res.lines, res.nlines * sizeof *p->fit);
    actual = res.looseness;
    oc_lb_result_free(&res);
    release(p);
    p->broken = true;
    p->looseness = looseness;
    return actual;
}

/* ---- a long preformatted paragraph, a piece at a time ---- */

/* The attributes of a paragraph handed out to its pieces, which follow
 * each other through the text. */
typedef struct piecer {
    GPtrArray       *list;      /* the paragraph's, sorted by start */
    PangoAttribute **all;       /* list's */
    size_t           n, next;   /* next: the first no piece has reached */
    GPtrArray       *carry;     /* reached, and going on past the last
                                   piece */
} piecer;

/* Attribute 'at' cut to bytes [a, b) and moved to start at 0, into l. */
static void
add_cut(PangoAttrList *l, const PangoAttribute *at, size_t a, size_t b)
{
    PangoAttribute *c = pango_attribute_copy(at);

    c->start_index = (guint)((at->start_index > a ? at->start_index : a) - a);
    c->end_index = (guint)((at->end_index < b ? at->end_index : b) - a);
    pango_attr_list_insert(l, c);
}

/* The attributes of piece [a, b), after the pieces before it; in the
 * order of the paragraph's. */
static PangoAttrList *
piece_attrs(piecer *pc, size_t a, size_t b)
{
    PangoAttrList *l = pango_attr_list_new();
    GPtrArray *keep = g_ptr_array_new();

    for (guint i = 0; i < pc->carry->len; i++) {
        PangoAttribute *at = g_ptr_array_index(pc->carry, i);

        if (at->end_index > a)
            add_cut(l, at, a, b);
        if (at->end_index > b)
            g_ptr_array_add(keep, at);
    }
    while (pc->next < pc->n && pc->all[pc->next]->start_index < b) {
        PangoAttribute *at = pc->all[pc->next++];

        if (at->end_index > a)
            add_cut(l, at, a, b);
        if (at->end_index > b)
            g_ptr_array_add(keep, at);
    }
    g_ptr_array_free(pc->carry, TRUE);
    pc->carry = keep;
    return l;
}

/* Put attribute 'a' in GPtrArray 'data' and leave it in its list:
 * pango_attr_list_filter's way to walk a list's attributes themselves,
 * not copies of them. */
static gboolean
list_attr(PangoAttribute *a, gpointer data)
{
    g_ptr_array_add(data, a);
    return FALSE;
}

/* Where the piece that starts at byte a ends: at the first line end
 * 'piece' bytes or more after a that has text after it, else the text's
 * end. */
static size_t
piece_end(const oc_para *p, size_t a)
{
    const char *nl;

    if (p->len - a <= p->prm.piece)
        return p->len;
    nl = memchr(p->text + a + p->prm.piece, '\n',
                p->len - a - p->prm.piece);
    return nl != NULL && (size_t)(nl - p->text) + 1 < p->len
               ? (size_t)(nl - p->text) : p->len;
}

/* Append the lines of piece q, bytes [a, b) of p's text, to p's: their
 * bytes and glyph items moved to p's text. The last line of a piece but
 * the last ends at the line end after it, forced, as it would in the
 * whole. */
static void
take_lines(oc_para *p, const oc_para *q, size_t a, size_t b)
{
    size_t n = q->nlines, at = p->nlines;

    if (n == 0)
        return;
    p->lines = oc_xrealloc(p->lines, (at + n) * sizeof *p->lines);
    p->fit = oc_xrealloc(p->fit, (at + n) * sizeof *p->fit);
    memcpy(p->lines + at, q->lines, n * sizeof *p->lines);
    memcpy(p->fit + at, q->fit, n * sizeof *p->fit);
    for (size_t k = at; k < at + n; k++) {
        oc_para_line *L = &p->lines[k];

        L->text = p->text;
        L->start += a;
        L->end += a;
        for (size_t i = 0; i < L->nruns; i++) {
            oc_para_run *r = &L->runs[i];

            if (r->text == hyphen_text)
                continue;
            r->glyphs->item->offset += (int)a;
            r->text = p->text;
        }
    }
    if (b < p->len) {
        p->lines[at + n - 1].end = b + 1;
        p->lines[at + n - 1].forced = true;
    }
    p->nlines = at + n;
}

/* The width of the first space of p's text, as kept_space (para-items.c)
 * gives it from the whole text: that space shaped alone with its
 * attributes, of pc's. The half em without a space. */
static double
first_space(const oc_para *p, const piecer *pc)
{
    const char *sp = memchr(p->text, ' ', p->len);
    oc_arena *a;
    oc_shape sh;
    size_t s;
    double w;

    if (sp == NULL)
        return p->em / 2;
    s = (size_t)(sp - p->text);
    a = oc_arena_new();
    sh = (oc_shape){ .text = " ", .len = 1, .attrs = pango_attr_list_new(),
                     .context = p->context, .font = p->font,
                     .rtl = p->st.rtl, .cache = p->st.cache,
                     .layout_shaping = p->sh.layout_shaping };
    for (size_t i = 0; i < pc->n && pc->all[i]->start_index <= s; i++)
        if (pc->all[i]->end_index > s)
            add_cut(sh.attrs, pc->all[i], s, s + 1);
    oc_shape_text(&sh, a, NULL);
    w = oc_shape_width(&sh, 0, 1);
    oc_shape_release(&sh);
    pango_attr_list_unref(sh.attrs);
    oc_arena_free(a);
    return w;
}

/* Break a long preformatted paragraph (first fit, its line ends kept)
 * a piece of about prm.piece bytes at a time, cut at a line end: the
 * same lines as whole, with the memory of a piece for its shaping and
 * items, not of the whole text. */
static void
set_pieces(oc_para *p)
{
    piecer pc = { .list = g_ptr_array_new(), .carry = g_ptr_array_new() };
    double min_width = 0;

    if (p->attrs != NULL)
        pango_attr_list_filter(p->attrs, list_attr, pc.list);
    pc.all = (PangoAttribute **)pc.list->pdata;
    pc.n = pc.list->len;
    p->tab_space = first_space(p, &pc);
    for (size_t a = 0;;) {
        oc_para q = *p;
        size_t b = piece_end(p, a);

        q.text = p->text + a;
        q.len = b - a;
        q.attrs = piece_attrs(&pc, a, b);
        q.sh = (oc_shape){ .text = q.text, .len = q.len, .attrs = q.attrs,
                           .context = p->context, .font = p->font,
                           .rtl = p->st.rtl, .cache = p->st.cache,
                           .layout_shaping = p->sh.layout_shaping };
        q.lines = NULL;
        q.fit = NULL;
        q.nlines = 0;
        q.prm.piece = 0;
        q.st.params = &q.prm;
        if (a > 0)
            q.st.indent = 0;
        set_whole(&q, 0);
        p->sh.layout_shaping = q.sh.layout_shaping;
        p->base_asc = q.base_asc;
        p->base_desc = q.base_desc;
        if (q.min_width > min_width)
            min_width = q.min_width;
        take_lines(p, &q, a, b);
        free(q.lines);
        free(q.fit);
        pango_attr_list_unref(q.attrs);
        if (b >= p->len)
            break;
        a = b + 1;
    }
    g_ptr_array_free(pc.list, TRUE);
    g_ptr_array_free(pc.carry, TRUE);
    p->min_width = min_width;
    p->tab_space = -1;
    p->broken = true;
    p->looseness = 0;
}

/* Break the paragraph into p->lines, which must be empty; returns the
 * looseness reached. */
static int
set_lines(oc_para *p, int looseness)
{
    if (p->st.first_fit && p->st.preserve && p->prm.piece > 0 &&
        p->len > p->prm.piece) {
        set_pieces(p);
        return 0;
    }
    return set_whole(p, looseness);
}

double
oc_para_min_width(const oc_para *p)
{
    return p->min_width;
}

void
oc_para_set_measure(oc_para *p, double width, oc_para_align align)
{
    if (!(width > 0) || !isfinite(width))
        width = 1;
    p->st.width = width;
    p->st.align = align;
    oc_para_break(p, 0);
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

/* The most lines in a row of p's that end in a hyphen (a hard one too,
 * as the breaker's double_hyphen_demerits count it). */
static size_t
hyphen_run(const oc_para *p)
{
    size_t run = 0, most = 0;

    for (size_t k = 0; k < p->nlines; k++) {
        run = p->lines[k].at_hyphen ? run + 1 : 0;
        if (run > most)
            most = run;
    }
    return most;
}

/* Break again with 'looseness' into fresh lines; keep them if there are
 * 'want' of them, none but the last worse than 'bad', the plain line (if
 * any) not ending in a hyphen, and no third line in a row ending in one
 * that the lines before did not have (the breaker's last resort, which
 * a line count asked for can leave as the only way to it). */
static bool
try_lines(oc_para *p, int looseness, size_t want, double bad)
{
    oc_para_line *lines = p->lines;
    oc_lb_line *fit = p->fit;
    size_t nlines = p->nlines, run = hyphen_run(p);
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
    /* The plain line at a whole word: else no setting kept it so. */
    if (ok && p->plain_line >= 0 && (size_t)p->plain_line < p->nlines)
        ok = !p->lines[p->plain_line].hyphenated;
    if (ok && hyphen_run(p) > 2)
        ok = hyphen_run(p) <= run;
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

    if ((delta != 1 && delta != -1) || p->st.first_fit ||
        !may_refit(p, delta, max_badness))
        return false;
    /* \looseness counts from the optimum of the pass that reaches it,
     * which may not have as many lines as these: a step further too. */
    return try_lines(p, p->looseness + delta, want, max_badness) ||
           try_lines(p, p->looseness + 2 * delta, want, max_badness);
}

size_t
oc_para_hyphen_run(const oc_para *p)
{
    return hyphen_run(p);
}

int
oc_para_unstack(oc_para *p, double max_badness)
{
    if (p->st.first_fit || p->no_three || hyphen_run(p) <= 2)
        return 0;
    p->no_three = true;
    if (try_lines(p, p->looseness, p->nlines, max_badness) &&
        hyphen_run(p) <= 2)
        return 1;
    oc_para_set_back(p);
    return -1;
}

void
oc_para_set_back(oc_para *p)
{
    if (!p->no_three)
        return;
    p->no_three = false;
    oc_para_break(p, p->looseness);
}

bool
oc_para_plain_line(oc_para *p, size_t k, double max_badness)
{
    if (p->st.first_fit || k + 1 >= p->nlines || !p->lines[k].hyphenated)
        return false;
    p->plain_line = (long)k;
    if (try_lines(p, p->looseness, p->nlines, max_badness))
        return true;
    p->plain_line = -1;             /* the lines are as they were */
    return false;
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
    p->plain_line = -1;
    p->tab_space = -1;
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
    p->sh = (oc_shape){ .text = p->text, .len = len, .attrs = p->attrs,
                        .context = p->context, .font = p->font,
                        .rtl = st->rtl, .cache = st->cache };
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
