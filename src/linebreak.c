/* linebreak.c - item list -> optimal line breaks: Knuth & Plass total fit
 * with TeX's passes and demerits (tex.web §813-890). */
#include "linebreak.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define INF_BAD     10000.0     /* TeX's inf_bad */
#define AWFUL_BAD   HUGE_VAL    /* no candidate yet */
#define NFITNESS    4
#define NRUNS       3         /* hyphen runs told apart: 0, 1, 2 or more */

/* A feasible break: a node of the active list while it may still start a
 * line, afterwards only a link in some chain of breaks. Nodes live in one
 * growing pool and refer to each other by index. */
typedef struct lb_node {
    size_t pos;       /* break item; OC_LB_NONE for the paragraph start */
    size_t start;     /* first item of the line after this break */
    size_t prev;      /* node of the break before; OC_LB_NONE */
    size_t next;      /* next active node; OC_LB_NONE */
    double total;     /* demerits of the best lines up to here */
    int    cls;       /* line class: lines so far, capped where widths
                       * stop changing (TeX's easy_line) */
    int    fitness;   /* of the line that ends here */
    int    flagged;   /* this break is a hyphen */
    int    run;       /* lines ending in a hyphen up to here, at most
                       * NRUNS - 1 */
} lb_node;

/* One pass's view of the paragraph. Prefix sums let the material of any
 * line be measured in O(1): sum_x[i] totals items [0, i). */
typedef struct lb_ctx {
    const oc_lb_item   *items;
    size_t              n;
    const oc_lb_params *p;
    double             *sum_w, *sum_y, *sum_z, *sum_f;
    size_t             *skip;     /* first box or forced break at >= i */
    size_t              last;     /* the paragraph's final break */
    int                 virtual_end;
    int                 max_cls;  /* classes above it are merged */
    lb_node            *nodes;
    size_t              nnodes, cap;
    size_t              active;   /* head of the active list */
    /* this pass */
    double threshold;
    double background;            /* emergency stretch of every line */
    int    auto_hyphens;
    int    last_resort;           /* hyphens with a penalty of their own */
    int    final;
} lb_ctx;

/* A legal break at item b: its cost, the width it adds, its flag. */
typedef struct lb_break {
    size_t pos;
    double penalty;
    double width;
    int    flagged;
    int    is_end;
} lb_break;

void
oc_lb_params_init(oc_lb_params *p, double width)
{
    memset(p, 0, sizeof *p);
    p->width = width;
    p->tolerance = 200;
    p->pretolerance = 100;
    p->line_penalty = 10;
    p->hyphen_penalty = 50;
    p->exhyphen_penalty = 50;
    p->double_hyphen_demerits = 3000;
    p->final_hyphen_demerits = 5000;
    p->adj_demerits = 10000;
    p->last_resort = OC_LB_INFINITY;
    p->plain_line = -1;
}

oc_lb_item
oc_lb_box(double width)
{
    oc_lb_item it = {.type = OC_LB_BOX, .width = width};

    return it;
}

oc_lb_item
oc_lb_glue(double width, double stretch, double shrink)
{
    oc_lb_item it = {.type = OC_LB_GLUE, .width = width, .stretch = stretch,
                     .shrink = shrink};

    return it;
}

oc_lb_item
oc_lb_fil(void)
{
    oc_lb_item it = {.type = OC_LB_GLUE, .fil = 1};

    return it;
}

oc_lb_item
oc_lb_penalty(double width, double penalty, int flagged)
{
    oc_lb_item it = {.type = OC_LB_PENALTY, .width = width,
                     .penalty = penalty, .flagged = flagged != 0};

    return it;
}

size_t
oc_lb_end_paragraph(oc_lb_item *out)
{
    out[0] = oc_lb_penalty(0, OC_LB_INFINITY, 0);   /* no break at the fil */
    out[1] = oc_lb_fil();
    out[2] = oc_lb_penalty(0, -OC_LB_INFINITY, 0);
    return 3;
}

oc_lb_item
oc_lb_hyphen(oc_lb_type type, double width)
{
    oc_lb_item it = {.type = type, .width = width, .flagged = 1};

    assert(type == OC_LB_HYPHEN_AUTO || type == OC_LB_HYPHEN_SOFT ||
           type == OC_LB_HYPHEN_EXPLICIT);
    return it;
}

static int
is_breakpoint_type(oc_lb_type t)
{
    return t != OC_LB_BOX && t != OC_LB_GLUE;
}

static int
is_forced(const oc_lb_item *it)
{
    return it->type == OC_LB_PENALTY && it->penalty <= -OC_LB_INFINITY;
}

/* The penalty a break item costs under p (plain penalties carry their
 * own). */
static double
item_penalty(const oc_lb_item *it, const oc_lb_params *p)
{
    switch (it->type) {
    case OC_LB_PENALTY:
        return it->penalty;
    case OC_LB_HYPHEN_AUTO:
    case OC_LB_HYPHEN_SOFT:
        return p->hyphen_penalty + it->penalty;
    case OC_LB_HYPHEN_EXPLICIT:
        return p->exhyphen_penalty + it->penalty;
    default:
        return OC_LB_INFINITY;
    }
}

static int
item_flagged(const oc_lb_item *it)
{
    if (it->type == OC_LB_PENALTY)
        return it->flagged != 0;
    return is_breakpoint_type(it->type);
}

/* TeX's badness of a line that must stretch (or shrink) by t with s
 * available: about 100 (t/s)^3, at most INF_BAD. */
static double
badness(double t, double s)
{
    double r;
    double b;

    if (t <= 0)
        return 0;
    if (s <= 0)
        return INF_BAD;
    r = t / s;
    if (r >= 100)
        return INF_BAD;
    b = 100 * r * r * r;
    return b > INF_BAD ? INF_BAD : b;
}

static int
fitness_of(double shortfall, double bad)
{
    if (shortfall > 0) {
        if (bad > 99)
            return OC_LB_VERY_LOOSE;
        if (bad > 12)
            return OC_LB_LOOSE;
        return OC_LB_DECENT;
    }
    return bad > 12 ? OC_LB_TIGHT : OC_LB_DECENT;
}

/* Badness of a line of natural width w with stretch y, shrink z and fil
 * stretch f, set to 'width'; INF_BAD + 1 when overfull. */
static double
line_badness(double width, double w, double y, double z, double f,
             int *fitness)
{
    double shortfall = width - w;
    double bad;

    if (shortfall > 0)
        bad = f > 0 ? 0 : badness(shortfall, y);
    else if (shortfall < 0)
        bad = -shortfall > z ? INF_BAD + 1 : badness(-shortfall, z);
    else
        bad = 0;
    *fitness = fitness_of(shortfall, bad);
    return bad;
}

static double
width_of_line(const oc_lb_params *p, size_t k)
{
    if (p->nwidths == 0)
        return p->width;
    return p->widths[k < p->nwidths ? k : p->nwidths - 1];
}

/* First item after the break at 'brk' that is not discarded. */
static size_t
start_after(const oc_lb_item *items, size_t n, size_t brk)
{
    size_t i;

    if (brk == OC_LB_NONE)
        return 0;
    for (i = brk + 1; i < n; i++)
        if (items[i].type == OC_LB_BOX || is_forced(&items[i]))
            break;
    return i < n ? i : n;
}

void
oc_lb_measure(const oc_lb_item *items, size_t n, size_t prev, size_t brk,
              double width, oc_lb_line *line)
{
    double shortfall;
    int fitness;

    assert(brk <= n);
    assert(prev == OC_LB_NONE || prev < brk);
    memset(line, 0, sizeof *line);
    line->start = start_after(items, n, prev);
    line->end = brk;
    line->width = width;
    for (size_t i = line->start; i < brk; i++) {
        const oc_lb_item *it = &items[i];

        if (it->type == OC_LB_BOX) {
            line->natural += it->width;
        } else if (it->type == OC_LB_GLUE) {
            line->natural += it->width;
            line->stretch += it->stretch;
            line->shrink += it->shrink;
            line->fil += it->fil;
        }
    }
    if (brk < n && is_breakpoint_type(items[brk].type)) {
        line->natural += items[brk].width;
        line->hyphenated = item_flagged(&items[brk]);
    }
    line->badness = line_badness(width, line->natural, line->stretch,
                                 line->shrink, line->fil, &fitness);
    line->fitness = (oc_lb_fitness)fitness;
    shortfall = width - line->natural;
    if (shortfall > 0) {
        if (line->fil > 0) {
            line->ratio = shortfall / line->fil;
            line->fil_set = 1;
        } else if (line->stretch > 0) {
            line->ratio = shortfall / line->stretch;
        }
    } else if (shortfall < 0) {
        if (-shortfall > line->shrink) {
            line->ratio = -1;
            line->overfull = -shortfall - line->shrink;
        } else {
            line->ratio = shortfall / line->shrink;
        }
    }
}

double
oc_lb_glue_width(const oc_lb_line *line, const oc_lb_item *g)
{
    if (g->type != OC_LB_GLUE)
        return g->type == OC_LB_BOX ? g->width : 0;
    if (line->fil_set)
        return g->width + line->ratio * g->fil;
    if (line->ratio >= 0)
        return g->width + line->ratio * g->stretch;
    return g->width + line->ratio * g->shrink;
}

/* The pool may move: callers hold indices, never pointers, across it. */
static size_t
new_node(lb_ctx *c)
{
    if (c->nnodes == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->nodes = oc_xrealloc(c->nodes, c->cap * sizeof *c->nodes);
    }
    memset(&c->nodes[c->nnodes], 0, sizeof c->nodes[0]);
    return c->nnodes++;
}

static void
unlink_active(lb_ctx *c, size_t prev, size_t a)
{
    if (prev == OC_LB_NONE)
        c->active = c->nodes[a].next;
    else
        c->nodes[prev].next = c->nodes[a].next;
}

static double
line_demerits(const lb_ctx *c, const lb_node *from, const lb_break *b,
              double bad, int fitness)
{
    const oc_lb_params *p = c->p;
    double d = p->line_penalty + bad;

    d = fabs(d) >= 10000 ? 1e8 : d * d;
    if (b->penalty > 0)
        d += b->penalty * b->penalty;
    else if (b->penalty > -OC_LB_INFINITY)
        d -= b->penalty * b->penalty;
    if (b->is_end) {
        if (from->flagged)
            d += p->final_hyphen_demerits;
    } else if (b->flagged && from->flagged) {
        d += p->double_hyphen_demerits;
        if (from->run >= NRUNS - 1)
            d += p->triple_hyphen_demerits;
    }
    if (abs(fitness - from->fitness) > 1)
        d += p->adj_demerits;
    return d;
}

/* The best candidates for a break of one line class: one per fitness
 * and, for a hyphen, per run of hyphens it ends (the run decides what a
 * later hyphen costs). */
typedef struct lb_best {
    double total[NFITNESS][NRUNS];
    size_t from[NFITNESS][NRUNS];
    double minimum;
} lb_best;

static void
reset_best(lb_best *best)
{
    for (int f = 0; f < NFITNESS; f++)
        for (int r = 0; r < NRUNS; r++) {
            best->total[f][r] = AWFUL_BAD;
            best->from[f][r] = OC_LB_NONE;
        }
    best->minimum = AWFUL_BAD;
}

/* The run of hyphens a break 'b' after node 'from' ends. */
static int
run_after(const lb_node *from, const lb_break *b)
{
    if (!b->flagged)
        return 0;
    return from->run + 1 < NRUNS ? from->run + 1 : NRUNS - 1;
}

/* Turn the best candidates of one line class into active nodes, inserted
 * after 'prev' (so the list stays sorted by class); returns the new
 * 'prev'. TeX §836: only classes within adj_demerits of the best survive,
 * which loses nothing since adj_demerits is the most a class can cost
 * the next line; a shorter run of hyphens can save the next line
 * triple_hyphen_demerits more. */
static size_t
flush_candidates(lb_ctx *c, const lb_best *best, const lb_break *b,
                 int cls, size_t prev, size_t next)
{
    double limit = best->minimum + fabs(c->p->adj_demerits) +
                   (b->flagged ? fabs(c->p->triple_hyphen_demerits) : 0);
    int new_cls = cls < c->max_cls ? cls + 1 : cls;
    size_t start = b->pos >= c->n ? c->n : c->skip[b->pos + 1];

    for (int f = 0; f < NFITNESS; f++)
        for (int r = 0; r < NRUNS; r++) {
            size_t k;

            if (best->total[f][r] > limit)
                continue;
            k = new_node(c);
            c->nodes[k].pos = b->pos;
            c->nodes[k].start = start;
            c->nodes[k].prev = best->from[f][r];
            c->nodes[k].total = best->total[f][r];
            c->nodes[k].cls = new_cls;
            c->nodes[k].fitness = f;
            c->nodes[k].flagged = b->flagged;
            c->nodes[k].run = r;
            c->nodes[k].next = next;
            if (prev == OC_LB_NONE)
                c->active = k;
            else
                c->nodes[prev].next = k;
            prev = k;
        }
    return prev;
}

/* TeX §829: try every active node as the start of a line ending at b. */
static void
try_break(lb_ctx *c, const lb_break *b)
{
    lb_best best;
    int any = 0;
    int cls = -1;
    size_t prev = OC_LB_NONE;
    size_t a = c->active;
    int forced = b->penalty <= -OC_LB_INFINITY;

    reset_best(&best);
    for (;;) {
        lb_node *r;
        size_t next;
        double w, y, z, f;
        double bad;
        double d;
        int fitness, run;
        int deactivate = 0;
        int artificial = 0;

        if (a == OC_LB_NONE || c->nodes[a].cls != cls) {
            if (any) {
                prev = flush_candidates(c, &best, b, cls, prev, a);
                reset_best(&best);
                any = 0;
            }
            if (a == OC_LB_NONE)
                return;
            cls = c->nodes[a].cls;
        }
        r = &c->nodes[a];
        next = r->next;
        if (b->pos < r->start) {        /* b lies in r's discarded items */
            prev = a;
            a = next;
            continue;
        }
        w = c->sum_w[b->pos] - c->sum_w[r->start] + b->width;
        y = c->sum_y[b->pos] - c->sum_y[r->start] + c->background;
        z = c->sum_z[b->pos] - c->sum_z[r->start];
        f = c->sum_f[b->pos] - c->sum_f[r->start];
        bad = line_badness(width_of_line(c->p, (size_t)r->cls), w, y, z, f,
                           &fitness);
        if (bad > INF_BAD || forced) {
            /* TeX §854: in the final pass the last active node may not
             * die without a successor, so the paragraph always ends. */
            if (bad > c->threshold) {
                if (!c->final || any || prev != OC_LB_NONE ||
                    next != OC_LB_NONE) {
                    unlink_active(c, prev, a);
                    a = next;
                    continue;
                }
                artificial = 1;
            }
            deactivate = 1;
        } else if (bad > c->threshold ||
                   (b->flagged && r->cls == c->p->plain_line)) {
            prev = a;           /* too loose, or a hyphen it may not end */
            a = next;
            continue;
        }
        d = r->total + (artificial ? 0 : line_demerits(c, r, b, bad,
                                                       fitness));
        run = run_after(r, b);
        if (d <= best.total[fitness][run]) {
            best.total[fitness][run] = d;
            best.from[fitness][run] = a;
            if (d < best.minimum)
                best.minimum = d;
            any = 1;
        }
        if (deactivate)
            unlink_active(c, prev, a);
        else
            prev = a;
        a = next;
    }
}

/* Describe item i as a break under this pass; 0 if it is not one. */
static int
break_at(const lb_ctx *c, size_t i, lb_break *b)
{
    const oc_lb_item *it;

    b->pos = i;
    b->is_end = i == c->last;
    if (i == c->n) {                    /* the implied end of the list */
        b->penalty = -OC_LB_INFINITY;
        b->width = 0;
        b->flagged = 0;
        return c->virtual_end;
    }
    it = &c->items[i];
    if (it->type == OC_LB_BOX)
        return 0;
    if (it->type == OC_LB_GLUE) {
        if (i == 0 || c->items[i - 1].type != OC_LB_BOX)
            return 0;
        b->penalty = 0;
        b->width = 0;
        b->flagged = 0;
        return 1;
    }
    if (it->type == OC_LB_HYPHEN_AUTO &&
        (!c->auto_hyphens || (it->penalty > 0 && !c->last_resort)))
        return 0;
    b->penalty = item_penalty(it, c->p);
    if (b->penalty >= OC_LB_INFINITY ||
        (it->type == OC_LB_PENALTY && b->penalty >= OC_LB_LATE &&
         !c->last_resort))
        return 0;
    if (b->penalty < -OC_LB_INFINITY)
        b->penalty = -OC_LB_INFINITY;
    b->width = it->width;
    b->flagged = item_flagged(it);
    return 1;
}

/* One pass; returns the node ending the best paragraph, or OC_LB_NONE if
 * no breaking exists within the threshold (never in the final pass). */
static size_t
run_pass(lb_ctx *c)
{
    size_t k;
    size_t best;

    c->nnodes = 0;
    k = new_node(c);
    c->nodes[k].pos = OC_LB_NONE;
    c->nodes[k].start = 0;
    c->nodes[k].prev = OC_LB_NONE;
    c->nodes[k].next = OC_LB_NONE;
    c->nodes[k].fitness = OC_LB_DECENT;
    c->active = k;
    for (size_t i = 0; i <= c->last && c->active != OC_LB_NONE; i++) {
        lb_break b;

        if (break_at(c, i, &b))
            try_break(c, &b);
    }
    if (c->active == OC_LB_NONE)
        return OC_LB_NONE;
    best = c->active;
    for (k = c->active; k != OC_LB_NONE; k = c->nodes[k].next) {
        assert(c->nodes[k].pos == c->last);
        if (c->nodes[k].total < c->nodes[best].total)
            best = k;
    }
    return best;
}

/* TeX §875: among the paragraph's endings, the line count nearest to the
 * optimum's plus looseness, then the fewest demerits. */
static size_t
loosest(const lb_ctx *c, size_t best, int looseness, int *actual)
{
    int best_line = c->nodes[best].cls;
    double fewest = c->nodes[best].total;

    *actual = 0;
    for (size_t k = c->active; k != OC_LB_NONE; k = c->nodes[k].next) {
        int diff = c->nodes[k].cls - best_line;

        if ((diff < *actual && looseness <= diff) ||
            (diff > *actual && looseness >= diff)) {
            best = k;
            *actual = diff;
            fewest = c->nodes[k].total;
        } else if (diff == *actual && c->nodes[k].total < fewest) {
            best = k;
            fewest = c->nodes[k].total;
        }
    }
    return best;
}

static oc_status
check_input(const oc_lb_item *items, size_t n, const oc_lb_params *p,
            oc_error *err)
{
    size_t nw = p->nwidths ? p->nwidths : 1;

    if (p->nwidths > 0 && p->widths == NULL)
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "line breaking: %zu line widths but no array",
                            p->nwidths);
    if (n > 0 && items == NULL)
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "line breaking: %zu items but no array", n);
    for (size_t k = 0; k < nw; k++) {
        double w = p->nwidths ? p->widths[k] : p->width;

        if (!isfinite(w) || w <= 0)
            return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                                "line breaking: line width %zu is %g", k, w);
    }
    if (!isfinite(p->tolerance) || p->tolerance < 0 ||
        !isfinite(p->pretolerance) || !isfinite(p->line_penalty) ||
        !isfinite(p->hyphen_penalty) || !isfinite(p->exhyphen_penalty) ||
        !isfinite(p->double_hyphen_demerits) ||
        !isfinite(p->triple_hyphen_demerits) ||
        !isfinite(p->final_hyphen_demerits) || !isfinite(p->adj_demerits) ||
        !isfinite(p->emergency_stretch) || p->emergency_stretch < 0)
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "line breaking: invalid parameters");
    for (size_t i = 0; i < n; i++) {
        const oc_lb_item *it = &items[i];

        if ((unsigned)it->type > OC_LB_HYPHEN_EXPLICIT ||
            !isfinite(it->width) || !isfinite(it->stretch) ||
            !isfinite(it->shrink) || !isfinite(it->fil) ||
            !isfinite(it->penalty) || it->shrink < 0)
            return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                                "line breaking: item %zu is invalid", i);
    }
    return OC_OK;
}

static void
fill_result(lb_ctx *c, oc_arena *a, size_t end, int pass, int looseness,
            oc_lb_result *out)
{
    size_t nlines = 0;
    size_t k;
    size_t i;

    for (k = end; c->nodes[k].pos != OC_LB_NONE; k = c->nodes[k].prev)
        nlines++;
    out->malloced = a == NULL;
    out->lines = a ? oc_arena_alloc(a, nlines * sizeof *out->lines)
                   : oc_xcalloc(nlines ? nlines : 1, sizeof *out->lines);
    out->nlines = nlines;
    out->demerits = c->nodes[end].total;
    out->pass = pass;
    out->looseness = looseness;
    i = nlines;
    for (k = end; c->nodes[k].pos != OC_LB_NONE; k = c->nodes[k].prev) {
        const lb_node *from = &c->nodes[c->nodes[k].prev];

        i--;
        oc_lb_measure(c->items, c->n, from->pos, c->nodes[k].pos,
                      width_of_line(c->p, i), &out->lines[i]);
        if (out->lines[i].overfull > 0)
            out->noverfull++;
    }
}

/* The lines of the breaking that ends at node 'end'. */
static size_t
lines_to(const lb_ctx *c, size_t end)
{
    size_t n = 0;

    for (size_t k = end; c->nodes[k].pos != OC_LB_NONE; k = c->nodes[k].prev)
        n++;
    return n;
}

/* Do three lines in a row of the breaking that ends at 'end' end in a
 * hyphen (a hard one too)? */
static bool
three_hyphens(const lb_ctx *c, size_t end)
{
    int run = 0;

    for (size_t k = c->nodes[end].prev;
         k != OC_LB_NONE && c->nodes[k].pos != OC_LB_NONE;
         k = c->nodes[k].prev) {
        run = c->nodes[k].flagged ? run + 1 : 0;
        if (run >= 3)
            return true;
    }
    return false;
}

/* The tolerance pass's breaking ending at 'end', which has three
 * hyphens in a row, set again with the emergency stretch: kept when it
 * has as many lines and no such run, else the tolerance pass's again
 * (no_three_hyphens). Returns its end; *pass is the pass that made it. */
static size_t
without_three_hyphens(lb_ctx *c, size_t end, int *pass)
{
    size_t n = lines_to(c, end), best;

    c->background = c->p->emergency_stretch;
    c->last_resort = 1;
    best = run_pass(c);
    if (best != OC_LB_NONE && lines_to(c, best) == n &&
        !three_hyphens(c, best)) {
        *pass = 3;
        return best;
    }
    c->background = 0;
    c->last_resort = c->final;
    best = run_pass(c);
    assert(best != OC_LB_NONE);
    return best;
}

oc_status
oc_lb_break(oc_arena *a, const oc_lb_item *items, size_t n,
            const oc_lb_params *p, oc_lb_result *out, oc_error *err)
{
    lb_ctx c = {0};
    oc_status st;
    size_t end = OC_LB_NONE;
    int pass = 0;
    int actual = 0;

    memset(out, 0, sizeof *out);
    if ((st = check_input(items, n, p, err)) != OC_OK)
        return st;
    if (n == 0)
        return OC_OK;

    c.items = items;
    c.n = n;
    c.p = p;
    c.virtual_end = !is_forced(&items[n - 1]);
    c.last = c.virtual_end ? n : n - 1;
    c.sum_w = oc_xmalloc((n + 1) * sizeof *c.sum_w);
    c.sum_y = oc_xmalloc((n + 1) * sizeof *c.sum_y);
    c.sum_z = oc_xmalloc((n + 1) * sizeof *c.sum_z);
    c.sum_f = oc_xmalloc((n + 1) * sizeof *c.sum_f);
    c.skip = oc_xmalloc((n + 1) * sizeof *c.skip);
    c.sum_w[0] = c.sum_y[0] = c.sum_z[0] = c.sum_f[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const oc_lb_item *it = &items[i];
        int glue = it->type == OC_LB_GLUE;

        c.sum_w[i + 1] = c.sum_w[i] +
                         (it->type == OC_LB_BOX || glue ? it->width : 0);
        c.sum_y[i + 1] = c.sum_y[i] + (glue ? it->stretch : 0);
        c.sum_z[i + 1] = c.sum_z[i] + (glue ? it->shrink : 0);
        c.sum_f[i + 1] = c.sum_f[i] + (glue ? it->fil : 0);
    }
    c.skip[n] = n;
    for (size_t i = n; i-- > 0;)
        c.skip[i] = items[i].type == OC_LB_BOX || is_forced(&items[i])
                    ? i : c.skip[i + 1];

    /* TeX §863: pretolerance without pattern hyphens, then tolerance,
     * then tolerance with emergency stretch, and after that our rescue
     * (see the header); the last one made is final. A pass that misses
     * the looseness asked for gives way to the next, up to the third. */
    for (pass = 1; pass <= 4 && end == OC_LB_NONE; pass++) {
        int loose = p->looseness != 0 && pass < 4;
        size_t best;

        if ((pass == 1 && p->pretolerance < 0) ||
            (pass >= 3 && p->emergency_stretch <= 0))
            continue;
        c.threshold = pass == 1 ? p->pretolerance
                      : pass == 4 ? INF_BAD     /* any line not overfull */
                      : p->tolerance;
        c.background = pass >= 3 ? p->emergency_stretch : 0;
        c.auto_hyphens = pass > 1;
        c.final = pass == 4 || (pass == 2 && p->emergency_stretch <= 0);
        c.last_resort = pass > 2 || c.final;
        /* Line classes: with looseness every line count is kept apart. */
        c.max_cls = loose ? (int)(n < (size_t)1 << 30 ? n + 1 : 1u << 30)
                          : p->nwidths > 1 ? (int)(p->nwidths - 1) : 0;
        /* The plain line's number told apart from those after it. */
        if (p->plain_line >= 0 && p->plain_line < (1L << 30) &&
            c.max_cls <= p->plain_line)
            c.max_cls = (int)p->plain_line + 1;
        best = run_pass(&c);
        if (best == OC_LB_NONE)
            continue;
        actual = 0;
        end = loose ? loosest(&c, best, p->looseness, &actual) : best;
        if (actual != p->looseness && pass < 3 && !c.final)
            end = OC_LB_NONE;
    }
    pass--;
    assert(end != OC_LB_NONE);          /* the final pass always ends */
    if (p->no_three_hyphens && pass == 2 && p->emergency_stretch > 0 &&
        three_hyphens(&c, end))
        end = without_three_hyphens(&c, end, &pass);
    fill_result(&c, a, end, pass, actual, out);

    free(c.sum_w);
    free(c.sum_y);
    free(c.sum_z);
    free(c.sum_f);
    free(c.skip);
    free(c.nodes);
    return OC_OK;
}

/* First fit: whether item i (or i == n, the end) is a break, and its
 * cost. */
static bool
fit_break(const oc_lb_item *items, size_t n, size_t i,
          const oc_lb_params *p, double *cost)
{
    const oc_lb_item *it = &items[i];

    *cost = 0;
    if (i == n)
        return true;
    if (it->type == OC_LB_BOX)
        return false;
    if (it->type == OC_LB_GLUE)
        return i > 0 && items[i - 1].type == OC_LB_BOX;
    *cost = item_penalty(it, p);
    return *cost < OC_LB_INFINITY;
}

/* The break that ends the line after 'prev' in 'width': the last break
 * before the material, at its natural width, overflows it (of those that cost less than
 * p->last_resort, if one of them fits), a forced break or the end on the
 * way, or, when not even the first break fits, that break. */
static size_t
first_fit_line(const oc_lb_item *items, size_t n, size_t prev, double width,
               const oc_lb_params *p)
{
    size_t fit = OC_LB_NONE, rescue = OC_LB_NONE;
    double natural = 0;

    for (size_t i = start_after(items, n, prev); i <= n; i++) {
        double cost, w;

        if (fit_break(items, n, i, p, &cost)) {
            w = natural + (i < n && is_breakpoint_type(items[i].type)
                           ? items[i].width : 0);
            if (w > width)
                return fit != OC_LB_NONE      ? fit
                       : rescue != OC_LB_NONE ? rescue : i;
            if (i == n || is_forced(&items[i]))
                return i;
            if (cost >= p->last_resort || items[i].type == OC_LB_HYPHEN_AUTO)
                rescue = i;
            else
                fit = i;
        }
        if (i < n && (items[i].type == OC_LB_BOX ||
                      items[i].type == OC_LB_GLUE))
            natural += items[i].width;
    }
    return n;
}

oc_status
oc_lb_first_fit(oc_arena *a, const oc_lb_item *items, size_t n,
                const oc_lb_params *p, oc_lb_result *out, oc_error *err)
{
    oc_status st;
    size_t prev = OC_LB_NONE, cap = 8;
    size_t last = n > 0 && is_forced(&items[n - 1]) ? n - 1 : n;
    oc_lb_line *lines;

    memset(out, 0, sizeof *out);
    if ((st = check_input(items, n, p, err)) != OC_OK)
        return st;
    if (!isfinite(p->wrap_indent) || p->wrap_indent < 0)
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "line breaking: invalid parameters");
    if (n == 0)
        return OC_OK;
    lines = oc_xmalloc(cap * sizeof *lines);
    for (size_t k = 0;; k++) {
        bool wrapped = prev != OC_LB_NONE && !is_forced(&items[prev]);
        double w = fmax(1, width_of_line(p, k) -
                               (wrapped ? p->wrap_indent : 0));
        size_t brk = first_fit_line(items, n, prev, w, p);

        if (k == cap)
            lines = oc_xrealloc(lines, (cap *= 2) * sizeof *lines);
        oc_lb_measure(items, n, prev, brk, w, &lines[k]);
        out->noverfull += lines[k].overfull > 0;
        out->nlines = k + 1;
        if (brk >= last)
            break;
        prev = brk;
    }
    out->pass = 1;
    if (a != NULL) {
        out->lines = oc_arena_alloc(a, out->nlines * sizeof *lines);
        memcpy(out->lines, lines, out->nlines * sizeof *lines);
        free(lines);
    } else {
        out->lines = lines;
        out->malloced = 1;
    }
    return OC_OK;
}

double
oc_lb_widest_piece(const oc_lb_item *items, size_t n, const oc_lb_params *p)
{
    double widest = 0, w = 0, cost;
    bool fresh = true;          /* after a break: discarding */

    for (size_t i = 0; i < n; i++) {
        if (fresh && items[i].type != OC_LB_BOX)
            continue;
        fresh = false;
        if (fit_break(items, n, i, p, &cost)) {
            widest = fmax(widest, w + (is_breakpoint_type(items[i].type)
                                       ? items[i].width : 0));
            w = 0;
            fresh = true;
        } else if (items[i].type == OC_LB_BOX ||
                   items[i].type == OC_LB_GLUE) {
            w += items[i].width;
        }
    }
    return fmax(widest, w);
}

void
oc_lb_result_free(oc_lb_result *r)
{
    if (r == NULL)
        return;
    if (r->malloced)
        free(r->lines);
    memset(r, 0, sizeof *r);
}
