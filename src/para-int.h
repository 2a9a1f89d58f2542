/* para-int.h - what paragraph.c (breaking a paragraph, cutting its
 * lines) and para-items.c (its text as Knuth-Plass items) share: the
 * paragraph itself and what each item stands for in its text. Private
 * to the two. */
#ifndef OC_PARA_INT_H
#define OC_PARA_INT_H

#include "linebreak.h"
#include "paragraph.h"
#include "shape.h"

#define PT(x)       ((double)(x) / PANGO_SCALE)
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
    bool   fixed;               /* SRC_SPACE: a French thin space, which
                                   neither stretches nor shrinks */
} srcinfo;

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

    bool            broken;     /* once: overfull lines were warned of */

    /* One breaking's, from prepare to release: */
    oc_arena       *scratch;    /* the arrays below and sh's */
    oc_shape        sh;         /* the text shaped: runs and clusters */
    oc_lb_item     *items;
    srcinfo        *srcs;
    size_t          nitems, capitems;
    bool            cjk;        /* CJK text spaced between characters:
                                   no font expansion */

    oc_para_line   *lines;
    size_t          nlines;
    GPtrArray      *owned;      /* glyph items of the lines */
    oc_lb_line     *fit;        /* the breaker's view of each line */
    int             looseness;  /* what the lines were asked for with */
    long            plain_line; /* and the line that may not end in a
                                   hyphen (oc_para_plain_line); -1 */
    bool            no_three;   /* and no three hyphens in a row
                                   (oc_para_unstack) */
    double          min_width;  /* the widest piece between two breaks */
    double          tab_space;  /* preformatted, set in pieces: the width
                                   of the whole text's first space, by
                                   which tabs go; < 0: the text's own */
};

static inline bool
oc_para_justified(const oc_para *p)
{
    return p->st.align == OC_PARA_JUSTIFY;
}

/* The paragraph's items for one breaking, into p->items and p->srcs
 * (in p->scratch), from its shaped text and the break opportunities
 * attrs[0..nattrs) of its characters. */
void oc_para_build_items(oc_para *p, const PangoLogAttr *attrs, int nattrs);

/* Bytes [a, b) of the paragraph's text hold a CJK character (cjk.h). */
bool oc_para_has_cjk(const oc_para *p, size_t a, size_t b);

#endif
