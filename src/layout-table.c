/* layout-table.c - tables: cells set first fit (paragraph.h), column
 * widths from their widest words and natural widths, rows of cells with
 * padding and rules, and the head rows repeated at the top of a page a
 * table continues on. */
#include "layout-int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xhtml.h"

/* The smallest scale of a table's type against the text's. */
#define MIN_TABLE_SCALE 0.75

typedef struct cell {
    xmlNodePtr  node;
    int         col, span;      /* its first column, how many it spans */
    guint       row, rspan;     /* its first row, how many it spans */
    bool        head;
    bstyle      st;             /* its type and alignment */
    double      padl, padr, padt, padb;
    inl         in;
    oc_para     *p;             /* set unwrapped, then to its column */
    double      nat;            /* its widest line */
    double      asc;            /* its first line's, above its baseline */
    double      height;
} cell;

static void
table_rows(lay *g, xmlNodePtr n, GPtrArray *trs, GArray *heads, bool head)
{
    for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || lay_is_skipped(g, c))
            continue;
        if (is(c, "tr")) {
            g_ptr_array_add(trs, c);
            g_array_append_val(heads, head);
        } else if (is(c, "thead")) {
            table_rows(g, c, trs, heads, true);
        } else if (is(c, "tbody") || is(c, "tfoot")) {
            table_rows(g, c, trs, heads, false);
        }
    }
}

/* A table on its way to rows: its rows (tr), which of them are head rows,
 * its cells in order, and the columns' natural, minimum and set widths. */
typedef struct table {
    bstyle     st;              /* the table's own style, no indent */
    double     avail;           /* the measure it is set in */
    GPtrArray *trs;
    GArray    *heads;           /* bool per tr */
    GArray    *cells;           /* cell */
    int        ncols;
    double    *nat, *min, *w;   /* per column */
    double     total, x0;       /* its width, and its left edge */
    bool       layout;          /* lay_layout_table: tagged as Divs */
    bool       rules;           /* ruled above, under its head, below */
} table;

/* The caption goes above the table, kept with it. */
static void
table_caption(flow *f, xmlNodePtr n, table *t)
{
    lay *g = f->g;

    for (xmlNodePtr c = n->children; c != NULL; c = c->next)
        if (is(c, "caption") && !lay_is_skipped(g, c)) {
            bstyle cs = lay_block_style(g, &t->st, c);
            oc_tag *table_tag = f->tag;

            lay_block_open(f, lay_style_of(g, c), t->avail);
            f->tag = lay_new_tag(g, table_tag, "Caption", cs.lang);
            f->para = &cs;
            lay_emit_para(f, c->children, NULL, &cs, true);
            f->para = NULL;
            f->tag = table_tag;
            lay_block_close(f, lay_style_of(g, c), t->avail);
            lay_want_brk(f, BRK_KEEP);
        }
}

/* Cell 'c' of a row, in column 'col': its style (its style attribute
 * too), padding and inline content; no indent. */
static cell
table_cell(flow *f, table *t, xmlNodePtr c, int col, bool head)
{
    lay *g = f->g;
    const char *span;
    cell ce;

    memset(&ce, 0, sizeof ce);
    ce.node = c;
    ce.col = col;
    ce.span = 1;
    if ((span = lay_attr(g, c, "colspan", NULL)) != NULL &&
        atoi(span) > 1 && atoi(span) < 1000)
        ce.span = atoi(span);
    ce.head = head || is(c, "th");
    ce.st = lay_block_style(g, &t->st, c);
    ce.st.left = t->st.left;
    ce.st.right = t->st.right;
    ce.st.indent = 0;
    ce.padl = oc_css_length(ce.st.cs->padding[OC_SIDE_LEFT], t->avail) *
              g->type_scale;
    ce.padr = oc_css_length(ce.st.cs->padding[OC_SIDE_RIGHT], t->avail) *
              g->type_scale;
    ce.padt = oc_css_length(ce.st.cs->padding[OC_SIDE_TOP], t->avail) *
              g->type_scale;
    ce.padb = oc_css_length(ce.st.cs->padding[OC_SIDE_BOTTOM], t->avail) *
              g->type_scale;
    lay_inl_init(&ce.in, false);
    ce.in.size = ce.st.size;
    ce.in.width = t->avail / 2;
    f->para = &ce.st;
    lay_inline_nodes(f, &ce.in, c->children, NULL);
    f->para = NULL;
    lay_trim_space(&ce.in);
    while (ce.in.text->len > 0 &&
           ce.in.text->str[ce.in.text->len - 1] == '\n')
        g_string_truncate(ce.in.text, ce.in.text->len - 1);
    return ce;
}

/* A cell's rowspan: 1 but for a number (0, HTML's "to the end of its
 * group", is taken to the table's end), at most the rows left. */
static guint
row_span(lay *g, xmlNodePtr c, guint r, guint nr)
{
    const char *v = lay_attr(g, c, "rowspan", NULL);
    long n = v != NULL ? strtol(v, NULL, 10) : 1;

    if (n == 0)
        n = (long)(nr - r);
    return n < 1 ? 1 : n > (long)(nr - r) ? nr - r : (guint)n;
}

/* Every cell of every row, in the columns that cells spanning rows from
 * above leave free, and the number of columns. */
static void
table_cells(flow *f, table *t)
{
    lay *g = f->g;
    GArray *busy = g_array_new(FALSE, TRUE, sizeof(guint)); /* rows left */
    guint nr = t->trs->len;

    for (guint r = 0; r < nr; r++) {
        xmlNodePtr tr = g_ptr_array_index(t->trs, r);
        bool head = g_array_index(t->heads, bool, r);
        int col = 0;

        for (xmlNodePtr c = tr->children; c != NULL; c = c->next) {
            cell ce;

            if ((!is(c, "td") && !is(c, "th")) || lay_is_skipped(g, c))
                continue;
            while ((guint)col < busy->len &&
                   g_array_index(busy, guint, col) > 0)
                col++;
            ce = table_cell(f, t, c, col, head);
            ce.row = r;
            ce.rspan = row_span(g, c, r, nr);
            if (busy->len < (guint)(col + ce.span))
                g_array_set_size(busy, (guint)(col + ce.span));
            for (int k = col; k < col + ce.span; k++)
                g_array_index(busy, guint, k) = ce.rspan;
            col += ce.span;
            g_array_append_val(t->cells, ce);
        }
        if ((int)busy->len > t->ncols)
            t->ncols = (int)busy->len;
        for (guint k = 0; k < busy->len; k++)
            if (g_array_index(busy, guint, k) > 0)
                g_array_index(busy, guint, k)--;
    }
    g_array_free(busy, TRUE);
}

/* Each cell set once, unwrapped (its figures as font-variant-numeric
 * says: tabular in the user-agent rules, so that columns of numbers
 * align), for its widths: the widest line, the widest word; a column's
 * natural and minimum widths from its one-column cells. */
static void
measure_columns(flow *f, table *t)
{
    for (guint i = 0; i < t->cells->len; i++) {
        cell *ce = &g_array_index(t->cells, cell, i);
        const oc_para_line *lines;
        size_t n = 0;
        double nw, mw;

        ce->p = lay_cell_para(f, &ce->in, &ce->st, ce->node);
        lines = ce->p != NULL ? oc_para_lines(ce->p, &n) : NULL;
        ce->nat = 0;
        for (size_t k = 0; k < n; k++)
            ce->nat = fmax(ce->nat, lines[k].width);
        nw = ce->nat + ce->padl + ce->padr;
        mw = (ce->p != NULL ? oc_para_min_width(ce->p) : 0) +
             ce->padl + ce->padr;

        if (ce->span == 1) {
            if (nw > t->nat[ce->col])
                t->nat[ce->col] = nw;
            if (mw > t->min[ce->col])
                t->min[ce->col] = mw;
        }
    }
    for (int c = 0; c < t->ncols; c++) {
        if (t->nat[c] < t->st.size)
            t->nat[c] = t->st.size;
        if (t->min[c] > t->nat[c])
            t->min[c] = t->nat[c];
    }
}

/* Column widths when the natural ones do not fit but the minimums do: a
 * column whose natural width is within its fair share keeps it, and the
 * rest is shared among the others from their minimums up, in proportion
 * to what they lack (CSS 2.1 §17.5.2.2 leaves the method open). */
static void
share_columns(table *t, double snat, double smin)
{
    double *nat = t->nat, *min = t->min, *w = t->w;
    double rest = t->avail, want = 0, need = 0;
    bool changed = true;

    for (int c = 0; c < t->ncols; c++)
        w[c] = -1;
    while (changed) {
        int left = 0;

        changed = false;
        for (int c = 0; c < t->ncols; c++)
            left += w[c] < 0;
        for (int c = 0; c < t->ncols && left > 0; c++)
            if (w[c] < 0 && nat[c] <= rest / left) {
                w[c] = nat[c];
                rest -= nat[c];
                changed = true;
                break;
            }
    }
    for (int c = 0; c < t->ncols; c++)
        if (w[c] < 0) {
            want += nat[c] - min[c];
            need += min[c];
        }
    if (rest < need) {          /* the fair shares starve the others */
        rest = t->avail;
        want = snat - smin;
        need = smin;
        for (int c = 0; c < t->ncols; c++)
            w[c] = -1;
    }
    for (int c = 0; c < t->ncols; c++)
        if (w[c] < 0)
            w[c] = min[c] + (rest - need) * (nat[c] - min[c]) /
                            (want > EPS ? want : 1);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The width to cap the columns' minimums at so that they fill 'avail':
 * the narrow columns keep theirs, the widest give up theirs down to a
 * common width (Σ min(min[c], cap) = avail, which is less than Σ min). */
static double
min_cap(const table *t)
{
    double *m = g_memdup2(t->min, (gsize)t->ncols * sizeof *m);
    double below = 0, cap = 0;
    int n = t->ncols;

    qsort(m, (size_t)n, sizeof *m, cmp_double);
    for (int k = 0; k < n; k++) {
        cap = (t->avail - below) / (n - k);
        if (m[k] >= cap)
            break;
        below += m[k];
    }
    g_free(m);
    return cap;
}

/* The columns' widths: natural when they fit, shared when the minimums
 * fit, else the widest minimums cut down to what is left (their longest
 * words broken, the narrow columns' words whole); and the table
 * centred. */
static void
column_widths(table *t)
{
    double snat = 0, smin = 0;

    for (int c = 0; c < t->ncols; c++) {
        snat += t->nat[c];
        smin += t->min[c];
    }
    if (snat <= t->avail) {
        for (int c = 0; c < t->ncols; c++)
            t->w[c] = t->nat[c];
    } else if (smin <= t->avail) {
        share_columns(t, snat, smin);
    } else {
        double cap = min_cap(t);

        for (int c = 0; c < t->ncols; c++)
            t->w[c] = fmin(t->min[c], cap);
    }
    for (int c = 0; c < t->ncols; c++)
        t->total += t->w[c];
    t->x0 = t->st.left + (t->avail - t->total) / 2;
}

/* The scale a table's type is set at so that its columns' minimums (its
 * widest words) fit the measure: 1 when they do; else as much smaller
 * as they need, down to MIN_TABLE_SCALE (a printer's small type for a
 * wide table: 11 pt text, 8.25 pt cells), under which words still
 * break. */
static double
fit_scale(const table *t)
{
    double smin = 0;

    for (int c = 0; c < t->ncols; c++)
        smin += t->min[c];
    if (smin <= t->avail)
        return 1;
    return fmax(MIN_TABLE_SCALE, t->avail / smin);
}

/* The table's cells, found and measured; again at a smaller type scale
 * when its words are too wide for the measure. */
static void
table_measure(flow *f, table *t)
{
    lay *g = f->g;
    double scale;

    table_cells(f, t);
    if (t->ncols == 0)
        return;
    t->nat = oc_arena_alloc(lay_arena(g), 3 * (size_t)t->ncols *
                                              sizeof(double));
    t->min = t->nat + t->ncols;
    t->w = t->min + t->ncols;
    measure_columns(f, t);
    if ((scale = fit_scale(t)) >= 1)
        return;
    for (guint i = 0; i < t->cells->len; i++)
        lay_inl_free(&g_array_index(t->cells, cell, i).in);
    g_array_set_size(t->cells, 0);
    memset(t->nat, 0, 3 * (size_t)t->ncols * sizeof(double));
    g->type_scale = scale;
    table_cells(f, t);
    measure_columns(f, t);
}

/* The alignment of a cell's lines in its column. */
static oc_para_align
cell_align(const bstyle *st)
{
    return st->align == PANGO_ALIGN_CENTER ? OC_PARA_CENTER
           : st->align == PANGO_ALIGN_RIGHT ? OC_PARA_END
           : OC_PARA_START;
}

/* Each cell set to its columns' width, first fit (one that fits them
 * keeps its lines, moved as its alignment says); then its lines are
 * measured. */
static void
wrap_cells(lay *g, table *t)
{
    for (guint i = 0; i < t->cells->len; i++) {
        cell *ce = &g_array_index(t->cells, cell, i);
        double cw = -ce->padl - ce->padr;
        const oc_para_line *lines;
        size_t n;

        for (int c = ce->col; c < ce->col + ce->span && c < t->ncols; c++)
            cw += t->w[c];
        if (ce->p == NULL)
            continue;
        /* (its natural width, when within rounding of the column's) */
        oc_para_set_measure(ce->p, ce->nat <= cw + EPS ? fmax(cw, ce->nat)
                                                        : cw,
                            cell_align(&ce->st));
        lines = oc_para_lines(ce->p, &n);
        for (size_t k = 0; k < n; k++) {
            double asc, desc;

            lay_line_box(g, &ce->st, lines[k].ascent, lines[k].descent,
                         &asc, &desc);
            if (k == 0)
                ce->asc = asc;
            ce->height += asc + desc;
        }
    }
}

/* The lines of cells [c0, c1) into row 'ri', each in its structure
 * element (TH or TD) in the row's (TR): the row's while it is set, so
 * that its links mark it. */
static void
set_cells(flow *f, table *t, size_t ri, size_t c0, size_t c1)
{
    lay *g = f->g;
    oc_tag *tr = f->out->v[ri].tag;

    for (size_t i = c0; i < c1; i++) {
        cell *ce = &g_array_index(t->cells, cell, i);
        double cx = t->x0 + ce->padl;
        size_t from = f->out->v[ri].items.n;

        f->out->v[ri].tag = lay_new_tag(g, tr, t->layout ? "P"
                                               : ce->head ? "TH" : "TD",
                                        ce->st.lang);
        for (int c = 0; c < ce->col && c < t->ncols; c++)
            cx += t->w[c];
        if (ce->p != NULL)
            lay_cell_lines(f, ri, ce->p, &ce->in, &ce->st, cx, ce->padt, 0,
                           SIZE_MAX);
        lay_tag_items(&f->out->v[ri].items, from, f->out->v[ri].tag);
    }
    f->out->v[ri].tag = tr;
}

/* The height of a cell's line k in its row. */
static double
cell_line_height(lay *g, const cell *ce, const oc_para_line *l)
{
    double asc, desc;

    lay_line_box(g, &ce->st, l->ascent, l->descent, &asc, &desc);
    return asc + desc;
}

/* Row 'r' (cells [c0, c1), none spanning rows), taller than a page's
 * text, as slices of whole lines of its cells, each at most half a
 * page's text tall (but for a line taller than that), between which a
 * page may break; each cell's lines stay in its one structure element.
 * 'rules': the table's rule above the slices (the first row's), below
 * them (the last's). Returns the last slice's row. */
static size_t
slice_row(flow *f, table *t, xmlNodePtr trn, size_t c0, size_t c1,
          bool rule_above, bool rule_below)
{
    lay *g = f->g;
    oc_tag *table_tag = f->tag;
    oc_tag *tr = lay_new_tag(g, table_tag, t->layout ? "Div" : "TR", NULL);
    size_t n = c1 - c0, ri = 0, *next = oc_arena_alloc(lay_arena(g),
                                                      n * sizeof *next);
    oc_tag **tds = oc_arena_alloc(lay_arena(g), n * sizeof *tds);
    double limit = g->height / 2, rule = 0.5;
    bool first = true, more = true;

    for (size_t i = 0; i < n; i++) {
        const cell *ce = &g_array_index(t->cells, cell, c0 + i);

        tds[i] = lay_new_tag(g, tr, t->layout ? "P" : ce->head ? "TH" : "TD",
                             ce->st.lang);
    }
    while (more) {
        double h = 0, base = 0;

        /* Each cell's lines that fit, at least one. */
        more = false;
        f->src = trn;
        if (!first)
            lay_want_brk(f, BRK_OK);
        f->tag = tr;
        ri = lay_add_row(f, 0, 0);
        f->tag = table_tag;
        for (size_t i = 0; i < n; i++) {
            cell *ce = &g_array_index(t->cells, cell, c0 + i);
            size_t nl = 0, k = next[i], from = f->out->v[ri].items.n;
            const oc_para_line *lines = ce->p ? oc_para_lines(ce->p, &nl)
                                              : NULL;
            double top = first ? ce->padt : 0, used = top, cx = t->x0 +
                                                               ce->padl;

            for (int c = 0; c < ce->col && c < t->ncols; c++)
                cx += t->w[c];
            while (k < nl && (k == next[i] ||
                              used + cell_line_height(g, ce, &lines[k]) <=
                                  limit))
                used += cell_line_height(g, ce, &lines[k++]);
            if (k == nl)
                used += ce->padb;
            else
                more = true;
            if (k > next[i] && base == 0) {
                double asc, desc;

                lay_line_box(g, &ce->st, lines[next[i]].ascent,
                             lines[next[i]].descent, &asc, &desc);
                base = top + asc;
            }
            f->out->v[ri].tag = tds[i];
            if (k > next[i])
                lay_cell_lines(f, ri, ce->p, &ce->in, &ce->st, cx, top,
                               next[i], k);
            lay_tag_items(&f->out->v[ri].items, from, tds[i]);
            next[i] = k;
            h = fmax(h, used);
        }
        f->out->v[ri].tag = tr;
        f->out->v[ri].height = h;
        f->out->v[ri].baseline = base;
        if (first && rule_above)
            lay_add_rule(g, &f->out->v[ri].items, t->x0, 0, t->total, rule);
        first = false;
    }
    if (rule_below)
        lay_add_rule(g, &f->out->v[ri].items, t->x0,
                     f->out->v[ri].height - rule, t->total, rule);
    return ri;
}

/* Each row's height and first baseline from the cells that start in it
 * and span no other row; then a cell spanning rows that needs more
 * than they give lengthens the last of them. A row that such a cell
 * reaches into is tied to the one above it. */
static void
row_heights(table *t, double *hs, double *bases, bool *tied)
{
    guint nr = t->trs->len;

    for (guint r = 0; r < nr; r++)
        hs[r] = bases[r] = 0, tied[r] = false;
    for (guint i = 0; i < t->cells->len; i++) {
        cell *ce = &g_array_index(t->cells, cell, i);
        double need = ce->padt + ce->height + ce->padb;

        if (ce->asc > 0 && bases[ce->row] == 0)
            bases[ce->row] = ce->padt + ce->asc;
        if (ce->rspan == 1 && need > hs[ce->row])
            hs[ce->row] = need;
    }
    for (guint i = 0; i < t->cells->len; i++) {
        cell *ce = &g_array_index(t->cells, cell, i);
        double need = ce->padt + ce->height + ce->padb, have = 0;
        guint last = ce->row + ce->rspan - 1;

        if (ce->rspan == 1)
            continue;
        for (guint r = ce->row; r <= last; r++) {
            have += hs[r];
            if (r > ce->row)
                tied[r] = true;
        }
        if (need > have)
            hs[last] += need - have;
    }
}

/* Whether a cell of [c0, c1) spans rows. */
static bool
spans_rows(const table *t, size_t c0, size_t c1)
{
    for (size_t i = c0; i < c1; i++)
        if (g_array_index(t->cells, cell, i).rspan > 1)
            return true;
    return false;
}

/* One row of the vertical list per table row, with the table's rules:
 * above the first row, below the last head row and below the last. A
 * page break leaves at least two body rows of the table on either side
 * of it, never a head without them; the head rows that open the table
 * come again at the top of every page the table continues on. A cell
 * spanning rows is set in its first row, its lines running down into
 * the rows below, which stay on its page. A row taller than a page is
 * set in slices (slice_row). */
static void
table_to_rows(flow *f, table *t)
{
    lay *g = f->g;
    size_t c0 = 0, lasthead = (size_t)-1, head0 = 0, nhead = 0;
    double rule = 0.5;
    guint nr = t->trs->len;
    oc_tag *table_tag = f->tag;
    double *hs = oc_arena_alloc(lay_arena(g), 2 * (size_t)nr * sizeof *hs);
    double *bases = hs + nr;
    bool *tied = oc_arena_alloc(lay_arena(g), (size_t)nr * sizeof *tied);

    row_heights(t, hs, bases, tied);
    for (guint r = 0; r < nr; r++)
        if (g_array_index(t->heads, bool, r))
            lasthead = r;
    while (nhead < nr && nhead + 1 < nr &&
           g_array_index(t->heads, bool, nhead))
        nhead++;
    for (guint r = 0; r < nr; r++) {
        xmlNodePtr tr = g_ptr_array_index(t->trs, r);
        double h = hs[r];
        size_t c1 = c0, ri;
        const char *id;
        row *rw;

        while (c1 < t->cells->len &&
               g_array_index(t->cells, cell, c1).node->parent == tr)
            c1++;
        if (r > 0 && (r <= lasthead + 2 || r <= 2 || r + 2 >= nr ||
                      g_array_index(t->heads, bool, r) || tied[r]))
            lay_want_brk(f, BRK_KEEP);
        if ((id = lay_attr(g, tr, "id", NULL)) != NULL)
            lay_pend_dest(f, lay_dest_name(g, f->chap, id));
        /* A link to a cell lands on its row. */
        for (size_t k = c0; k < c1; k++)
            if ((id = lay_attr(g, g_array_index(t->cells, cell, k).node,
                               "id", NULL)) != NULL)
                lay_pend_dest(f, lay_dest_name(g, f->chap, id));
        /* A row taller than a page would be cut at its foot: it is set
         * in slices a page can break between. */
        if (h > g->height && !tied[r] && !g_array_index(t->heads, bool, r) &&
            !spans_rows(t, c0, c1)) {
            size_t first = f->out->n;

            ri = slice_row(f, t, tr, c0, c1, r == 0 && t->rules,
                           r + 1 == nr && t->rules);
            for (size_t k = first; k <= ri; k++)
                if (r >= nhead && nhead > 0 && f->out == &g->body) {
                    f->out->v[k].head = head0;
                    f->out->v[k].nhead = nhead;
                }
            if (r == 0)
                head0 = first;
            c0 = c1;
            continue;
        }
        f->src = tr;
        f->tag = lay_new_tag(g, table_tag, t->layout ? "Div" : "TR", NULL);
        ri = lay_add_row(f, h, bases[r]);
        f->tag = table_tag;
        rw = &f->out->v[ri];
        if (r == 0)
            head0 = ri;
        if (r >= nhead && nhead > 0 && f->out == &g->body) {
            rw->head = head0;
            rw->nhead = nhead;
        }
        if (r == 0 && t->rules)
            lay_add_rule(g, &rw->items, t->x0, 0, t->total, rule);
        if (r == lasthead && t->rules)
            lay_add_rule(g, &rw->items, t->x0, h - rule / 2, t->total,
                         rule / 2);
        if (r + 1 == nr && t->rules)
            lay_add_rule(g, &rw->items, t->x0, h - rule, t->total, rule);
        set_cells(f, t, ri, c0, c1);
        c0 = c1;
    }
}

/* Whether some element under n (not under a nested table) is a th, a
 * thead or a caption; counts the rows (tr) on the way. */
static bool
has_heads(lay *g, xmlNodePtr n, int *rows)
{
    for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || lay_is_skipped(g, c) ||
            is(c, "table"))
            continue;
        if (is(c, "th") || is(c, "thead") || is(c, "caption"))
            return true;
        *rows += is(c, "tr");
        if (has_heads(g, c, rows))
            return true;
    }
    return false;
}

bool
lay_layout_table(lay *g, xmlNodePtr n)
{
    const char *role = lay_attr(g, n, "role", NULL);
    int rows = 0;

    if (role != NULL && (strcmp(role, "presentation") == 0 ||
                         strcmp(role, "none") == 0))
        return true;
    return !has_heads(g, n, &rows) && rows > 0;
}

/* Whether table n is ruled as data is (above, under its head, below):
 * not one only for presentation (role="presentation" or "none"), nor a
 * play's dialogue (Standard Ebooks' z3998:drama), which is the text
 * laid out. */
static bool
ruled(lay *g, xmlNodePtr n)
{
    const char *role = lay_attr(g, n, "role", NULL);
    const char *type = oc_xhtml_epub_type(n);

    return !(role != NULL && (strcmp(role, "presentation") == 0 ||
                              strcmp(role, "none") == 0)) &&
           !(type != NULL && oc_xhtml_has_token(type, "z3998:drama"));
}

void
lay_flow_table(flow *f, xmlNodePtr n, const bstyle *parent)
{
    lay *g = f->g;
    table t;

    memset(&t, 0, sizeof t);
    t.st = *parent;
    t.st.indent = 0;
    t.avail = g->width - t.st.left - t.st.right;
    t.trs = g_ptr_array_new();
    t.heads = g_array_new(FALSE, TRUE, sizeof(bool));
    t.cells = g_array_new(FALSE, TRUE, sizeof(cell));
    t.layout = lay_layout_table(g, n);
    t.rules = ruled(g, n);
    table_caption(f, n, &t);
    table_rows(g, n, t.trs, t.heads, false);
    table_measure(f, &t);
    if (t.ncols > 0) {
        column_widths(&t);
        wrap_cells(g, &t);
        table_to_rows(f, &t);
    }
    g->type_scale = 1;
    for (guint i = 0; i < t.cells->len; i++) {
        cell *ce = &g_array_index(t.cells, cell, i);

        lay_inl_free(&ce->in);
    }
    g_array_free(t.cells, TRUE);
    g_array_free(t.heads, TRUE);
    g_ptr_array_free(t.trs, TRUE);
}
