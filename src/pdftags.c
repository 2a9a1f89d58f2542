/* pdftags.c - the structure tree of a tagged PDF, written as the pages
 * are painted (ISO 32000-1 §14.7, §14.8; PDF/UA-1, ISO 14289-1 §7.1):
 * see pdftags.h. */
#include "pdftags.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* A number or name tree's nodes hold at most LEAF entries, or FANOUT
 * kids: far below the 8191 elements an array may have in the readers
 * that kept PDF 1.7's implementation limits (PDF Reference 1.7, C.1). */
enum { LEAF = 1024, FANOUT = 256 };

/* Entries of an array per line, so that no line of the file is long. */
enum { PER_LINE = 8 };

typedef enum kid_kind { KID_ELEM, KID_MCID, KID_OBJR } kid_kind;

typedef struct kid {
    kid_kind kind;
    bool     front;             /* a Document's child opened 'front' */
    int      mcid;              /* KID_MCID */
    long     ref;               /* KID_ELEM: element; KID_OBJR: annot */
    long     page;              /* KID_MCID, KID_OBJR */
} kid;

/* An open element. Its strings are its own; its kids array is kept
 * when it closes, for the next element opened at its depth. */
typedef struct elem {
    long   num;
    long   parent;
    long   page;                /* of its first MCID; 0 until one */
    char  *type, *alt, *lang, *id;
    kid   *kids;
    size_t nkids, cap;
} elem;

typedef struct id_entry {
    char *id;
    long  ref;
} id_entry;

struct oc_pdftags {
    oc_pdfw *w;
    long     root;
    elem    *open;              /* [0] the Document, then the chain */
    size_t   nopen, capopen;
    long     page;              /* the page being painted, 0 if none */
    long    *owners;            /* its MCIDs' elements, by MCID */
    size_t   nowners, capowners;
    long    *ptree;             /* parent tree: key → object */
    size_t   nkeys, capkeys;
    id_entry *ids;
    size_t   nids, capids;
    bool     finished;
};

/* Room for one more of 'size' bytes in '*p', which holds 'n' of 'cap'. */
static void
grow(void **p, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return;
    *cap = *cap ? 2 * *cap : 16;
    *p = oc_xrealloc(*p, *cap * size);
}

static char *
dup_or_null(const char *s)
{
    return s != NULL ? oc_xstrdup(s) : NULL;
}

static kid *
add_kid(elem *e)
{
    kid *k;

    grow((void **)&e->kids, e->nkids, &e->cap, sizeof *e->kids);
    k = &e->kids[e->nkids++];
    memset(k, 0, sizeof *k);
    return k;
}

static elem *
innermost(oc_pdftags *t)
{
    return &t->open[t->nopen - 1];
}

/* A parent-tree key for 'ref'. Pages and annotations draw from this one
 * counter, so that the keys come in ascending order (§7.9.7). */
static int
new_key(oc_pdftags *t, long ref)
{
    grow((void **)&t->ptree, t->nkeys, &t->capkeys, sizeof *t->ptree);
    t->ptree[t->nkeys] = ref;
    return (int)t->nkeys++;
}

/* Separator before the i-th entry of an array. */
static void
sep(oc_buf *b, size_t i)
{
    if (i > 0)
        oc_buf_puts(b, i % PER_LINE == 0 ? "\n" : " ");
}

static void
write_kid(oc_buf *b, const elem *e, const kid *k)
{
    switch (k->kind) {
    case KID_ELEM:
        oc_buf_printf(b, "%ld 0 R", k->ref);
        break;
    case KID_MCID:
        /* An integer MCID is on the element's /Pg; one on another page
         * is a marked-content reference naming its own (§14.7.4.2). */
        if (k->page == e->page)
            oc_buf_printf(b, "%d", k->mcid);
        else
            oc_buf_printf(b, "<< /Type /MCR /Pg %ld 0 R /MCID %d >>",
                          k->page, k->mcid);
        break;
    case KID_OBJR:
        oc_buf_printf(b, "<< /Type /OBJR /Obj %ld 0 R", k->ref);
        if (k->page > 0)
            oc_buf_printf(b, " /Pg %ld 0 R", k->page);
        oc_buf_puts(b, " >>");
        break;
    }
}

/* Element 'e' written: its kids those opened 'front' first (only the
 * Document's are), each group in the order they came. */
static void
write_elem(oc_pdftags *t, const elem *e)
{
    oc_buf *b = oc_pdfw_begin(t->w, e->num);
    size_t n = 0;

    oc_buf_puts(b, "<< /Type /StructElem /S ");
    oc_pdfw_name(b, e->type);
    oc_buf_printf(b, " /P %ld 0 R", e->parent);
    if (e->page > 0)
        oc_buf_printf(b, " /Pg %ld 0 R", e->page);
    if (e->id != NULL) {
        oc_buf_puts(b, " /ID ");        /* a byte string (Table 323) */
        oc_pdfw_string(b, e->id, strlen(e->id));
    }
    if (e->lang != NULL) {
        oc_buf_puts(b, " /Lang ");
        oc_pdfw_text(b, e->lang);
    }
    if (e->alt != NULL) {
        oc_buf_puts(b, " /Alt ");
        oc_pdfw_text(b, e->alt);
    }
    /* /K is optional (Table 323): an element with no kids has none. */
    if (e->nkids > 0) {
        oc_buf_puts(b, "\n/K [");
        for (int front = 1; front >= 0; front--)
            for (size_t i = 0; i < e->nkids; i++) {
                if (e->kids[i].front != (front == 1))
                    continue;
                sep(b, n++);
                write_kid(b, e, &e->kids[i]);
            }
        oc_buf_puts(b, "]");
    }
    oc_buf_puts(b, " >>");
    oc_pdfw_end(t->w);
}

/* The strings of 'e' freed; its kids array kept for reuse. */
static void
clear_elem(elem *e)
{
    free(e->type);
    free(e->alt);
    free(e->lang);
    free(e->id);
    e->type = e->alt = e->lang = e->id = NULL;
    e->nkids = 0;
    e->page = 0;
}

/* A slot at t->open[t->nopen], zeroed when new (the depth is 64 as
 * the painter goes, and unbounded). */
static void
push_slot(oc_pdftags *t)
{
    size_t was = t->capopen;

    grow((void **)&t->open, t->nopen, &t->capopen, sizeof *t->open);
    if (t->capopen > was)
        memset(t->open + was, 0, (t->capopen - was) * sizeof *t->open);
}

oc_pdftags *
oc_pdftags_new(oc_pdfw *w)
{
    oc_pdftags *t = oc_xcalloc(1, sizeof *t);
    elem *doc;

    t->w = w;
    t->root = oc_pdfw_reserve(w);
    push_slot(t);
    doc = &t->open[t->nopen++];
    doc->num = oc_pdfw_reserve(w);
    doc->parent = t->root;
    doc->type = oc_xstrdup("Document");
    return t;
}

void
oc_pdftags_free(oc_pdftags *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nopen; i++)
        clear_elem(&t->open[i]);
    for (size_t i = 0; i < t->capopen; i++)
        free(t->open[i].kids);
    for (size_t i = 0; i < t->nids; i++)
        free(t->ids[i].id);
    free(t->open);
    free(t->owners);
    free(t->ptree);
    free(t->ids);
    free(t);
}

void
oc_pdftags_open(oc_pdftags *t, const char *type, const char *alt,
                const char *lang, const char *id, bool front)
{
    elem *parent;
    elem *e;
    kid *k;

    if (t->finished)
        return;
    push_slot(t);
    parent = innermost(t);
    k = add_kid(parent);
    e = &t->open[t->nopen];     /* kids and cap kept from the last one */
    e->num = oc_pdfw_reserve(t->w);
    e->parent = parent->num;
    e->type = oc_xstrdup(type);
    e->alt = dup_or_null(alt);
    e->lang = dup_or_null(lang);
    e->id = dup_or_null(id);
    k->kind = KID_ELEM;
    k->ref = e->num;
    k->front = front && t->nopen == 1;
    t->nopen++;
}

void
oc_pdftags_close(oc_pdftags *t)
{
    elem *e;

    if (t->finished || t->nopen <= 1)
        return;
    e = innermost(t);
    write_elem(t, e);
    if (e->id != NULL) {        /* kept for the IDTree */
        grow((void **)&t->ids, t->nids, &t->capids, sizeof *t->ids);
        t->ids[t->nids].id = e->id;
        t->ids[t->nids].ref = e->num;
        t->nids++;
        e->id = NULL;
    }
    clear_elem(e);
    t->nopen--;
}

int
oc_pdftags_depth(const oc_pdftags *t)
{
    return (int)t->nopen - 1;
}

void
oc_pdftags_page_begin(oc_pdftags *t, long page)
{
    assert(t->page == 0);       /* the last page was ended */
    t->page = page;
    t->nowners = 0;
}

int
oc_pdftags_mcid(oc_pdftags *t)
{
    elem *e = innermost(t);
    kid *k;

    assert(t->page > 0);
    if (e->page == 0)
        e->page = t->page;
    k = add_kid(e);
    k->kind = KID_MCID;
    k->mcid = (int)t->nowners;
    k->page = t->page;
    grow((void **)&t->owners, t->nowners, &t->capowners, sizeof *t->owners);
    t->owners[t->nowners] = e->num;
    return (int)t->nowners++;
}

int
oc_pdftags_annot(oc_pdftags *t, long annot)
{
    elem *e = innermost(t);
    kid *k = add_kid(e);

    k->kind = KID_OBJR;
    k->ref = annot;
    k->page = t->page;
    /* An annotation's entry is its element itself (§14.7.4.4). */
    return new_key(t, e->num);
}

int
oc_pdftags_page_end(oc_pdftags *t)
{
    long arr;
    oc_buf *b;

    assert(t->page > 0);
    t->page = 0;
    if (t->nowners == 0)
        return -1;
    arr = oc_pdfw_reserve(t->w);
    b = oc_pdfw_begin(t->w, arr);
    oc_buf_puts(b, "[");
    for (size_t i = 0; i < t->nowners; i++) {
        sep(b, i);
        oc_buf_printf(b, "%ld 0 R", t->owners[i]);
    }
    oc_buf_puts(b, "]");
    oc_pdfw_end(t->w);
    t->nowners = 0;
    return new_key(t, arr);
}

/* Entries [lo, hi) of a number tree (the parent tree: key i → object
 * ptree[i]) or, when 'names', of a name tree (the IDTree, sorted), in
 * object 'num': a leaf of them, or kids of them when too many (§7.9.6,
 * §7.9.7); with /Limits except at the root. */
static void
write_tree(oc_pdftags *t, long num, bool names, size_t lo, size_t hi,
           bool root)
{
    size_t count = hi - lo;
    size_t chunk = LEAF;
    size_t nkids;
    long first = -1;
    oc_buf *b;

    while (count > chunk && (count + chunk - 1) / chunk > FANOUT)
        chunk *= FANOUT;
    nkids = count > LEAF ? (count + chunk - 1) / chunk : 0;
    if (nkids > 0) {
        first = oc_pdfw_reserve(t->w);
        for (size_t i = 1; i < nkids; i++)
            oc_pdfw_reserve(t->w);
    }
    b = oc_pdfw_begin(t->w, num);
    oc_buf_puts(b, "<<");
    if (!root && names) {
        oc_buf_puts(b, " /Limits [");
        oc_pdfw_string(b, t->ids[lo].id, strlen(t->ids[lo].id));
        oc_buf_puts(b, " ");
        oc_pdfw_string(b, t->ids[hi - 1].id, strlen(t->ids[hi - 1].id));
        oc_buf_puts(b, "]");
    } else if (!root) {
        oc_buf_printf(b, " /Limits [%zu %zu]", lo, hi - 1);
    }
    if (nkids > 0) {
        oc_buf_puts(b, " /Kids [");
        for (size_t i = 0; i < nkids; i++) {
            sep(b, i);
            oc_buf_printf(b, "%ld 0 R", first + (long)i);
        }
    } else {
        oc_buf_puts(b, names ? " /Names [" : " /Nums [");
        for (size_t i = lo; i < hi; i++) {
            sep(b, i - lo);
            if (names)
                oc_pdfw_string(b, t->ids[i].id, strlen(t->ids[i].id));
            else
                oc_buf_printf(b, "%zu", i);
            oc_buf_printf(b, " %ld 0 R", names ? t->ids[i].ref : t->ptree[i]);
        }
    }
    oc_buf_puts(b, "] >>");
    oc_pdfw_end(t->w);
    for (size_t i = 0; i < nkids; i++) {
        size_t a = lo + i * chunk;

        write_tree(t, first + (long)i, names, a,
                   a + chunk < hi ? a + chunk : hi, false);
    }
}

/* Name tree keys in byte order; of equal ones, the first opened first. */
static int
cmp_ids(const void *a, const void *b)
{
    const id_entry *x = a, *y = b;
    int c = strcmp(x->id, y->id);

    if (c != 0)
        return c;
    return (x->ref > y->ref) - (x->ref < y->ref);
}

long
oc_pdftags_finish(oc_pdftags *t)
{
    long ptree;
    long idtree = 0;
    oc_buf *b;

    if (t->finished)
        return t->root;
    assert(t->page == 0);       /* the last page was ended */
    while (t->nopen > 1)
        oc_pdftags_close(t);
    write_elem(t, &t->open[0]);
    t->finished = true;

    ptree = oc_pdfw_reserve(t->w);
    write_tree(t, ptree, false, 0, t->nkeys, true);
    if (t->nids > 0) {
        size_t n = 1;

        /* strcmp orders as unsigned char: the byte order of §7.9.6. A
         * key repeated finds its first element only: a name tree's keys
         * are unique. */
        qsort(t->ids, t->nids, sizeof *t->ids, cmp_ids);
        for (size_t i = 1; i < t->nids; i++) {
            if (strcmp(t->ids[i].id, t->ids[n - 1].id) == 0)
                free(t->ids[i].id);
            else
                t->ids[n++] = t->ids[i];
        }
        t->nids = n;
        idtree = oc_pdfw_reserve(t->w);
        write_tree(t, idtree, true, 0, t->nids, true);
    }

    b = oc_pdfw_begin(t->w, t->root);
    /* PDF/UA-1 §7.1: one Document element under the root. */
    oc_buf_printf(b, "<< /Type /StructTreeRoot /K %ld 0 R\n"
                  "/ParentTree %ld 0 R /ParentTreeNextKey %zu",
                  t->open[0].num, ptree, t->nkeys);
    if (idtree > 0)
        oc_buf_printf(b, " /IDTree %ld 0 R", idtree);
    oc_buf_puts(b, " >>");
    oc_pdfw_end(t->w);
    return t->root;
}
