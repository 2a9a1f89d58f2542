/* pdftags.h - the structure tree of a tagged PDF that octavo writes
 * itself (pdfw.h; ISO 32000-1 §14.7, §14.8), written as the pages are
 * painted: an element's object goes out as soon as it is closed, so that
 * only the open elements (a chain from the Document down), the
 * Document's own children and the tables of the tree's root (a few
 * numbers a page, an annotation or an element with an /ID) stay in
 * memory however long the book.
 *
 * Elements are written when closed, a page's parent-tree entry when it
 * ends, the rest by oc_pdftags_finish, all through 'w': so none of
 * oc_pdftags_close, _page_end and _finish may come between an
 * oc_pdfw_begin and its oc_pdfw_end. */
#ifndef OC_PDFTAGS_H
#define OC_PDFTAGS_H

#include <stdbool.h>

#include "pdfw.h"

typedef struct oc_pdftags oc_pdftags;

/* A tree whose root and Document element are numbered in 'w' now
 * (oc_pdftags_free frees it; 'w' must outlive it). */
oc_pdftags *oc_pdftags_new(oc_pdfw *w);
void        oc_pdftags_free(oc_pdftags *t);    /* NULL is a no-op */

/* Open an element of standard structure type 'type' ("P", "H1",
 * "Table"...) as the next child of the innermost open element, or of
 * the Document when none is open; with /Alt 'alt', /Lang 'lang' and
 * /ID 'id' (each NULL for none; copied; an id is ASCII and should be
 * unique: the IDTree finds a repeated one's first element). A child of
 * the Document opened with 'front' set (the front matter, painted
 * after the body) comes before the others among the Document's
 * children; 'front' means nothing deeper down. */
void oc_pdftags_open(oc_pdftags *t, const char *type, const char *alt,
                     const char *lang, const char *id, bool front);

/* Close the innermost open element: its object is written now. */
void oc_pdftags_close(oc_pdftags *t);

/* How many elements are open (the Document not counted). */
int oc_pdftags_depth(const oc_pdftags *t);

/* The page whose content is painted next: object 'page' (its number,
 * written later); its marked content is numbered from 0. Each page
 * begun is ended (oc_pdftags_page_end) before the next, and before
 * oc_pdftags_finish. */
void oc_pdftags_page_begin(oc_pdftags *t, long page);

/* A new marked-content sequence on the current page (one must be
 * begun), content of the innermost open element, or of the Document
 * when none is open (§14.7.4.2): its MCID. */
int oc_pdftags_mcid(oc_pdftags *t);

/* Annotation 'annot' (its object number) on the current page, a child
 * of the innermost open element (an OBJR, §14.7.4.3): the annotation's
 * /StructParent. */
int oc_pdftags_annot(oc_pdftags *t, long annot);

/* The page is painted: its /StructParents (its key in the parent tree,
 * whose entry, the elements of its marked content by MCID, is written
 * now), or -1 when it has no marked content. */
int oc_pdftags_page_end(oc_pdftags *t);

/* Close what is open and write the rest of the tree: the Document and
 * the StructTreeRoot (with its /ParentTree, /ParentTreeNextKey and,
 * when an element has an /ID, its /IDTree). Returns the root's object
 * number, for the catalog's /StructTreeRoot. */
long oc_pdftags_finish(oc_pdftags *t);

#endif
