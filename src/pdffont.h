/* pdffont.h - the fonts of a PDF that octavo writes itself (pdfw.h):
 * each face drawn with is a composite font (Type0, Identity-H, ISO
 * 32000-1 §9.7) whose two-byte codes are the face's own glyph ids, so
 * that a page's text is written before the font is; at the end each
 * face is subset by HarfBuzz to the glyphs drawn and embedded, with the
 * widths the pages were set with and a ToUnicode map (§9.10.3) that
 * gives each glyph the text it was first drawn for. */
#ifndef OC_PDFFONT_H
#define OC_PDFFONT_H

#include <stdbool.h>
#include <stddef.h>

#include <hb.h>

#include "octavo.h"
#include "pdfw.h"

typedef struct oc_pdffonts oc_pdffonts;

oc_pdffonts *oc_pdffonts_new(void);
void         oc_pdffonts_free(oc_pdffonts *fs);  /* NULL is a no-op */

/* The font of the face of 'font' (its hb_face_t, which it keeps a
 * reference to; a face of a collection is its own font), made at its
 * first use, its Type0 font dictionary's object number reserved in 'w'
 * and returned in *ref. Returns its index: the pages name it /F<index>
 * in their resources; or -1, nothing reserved, for a face that cannot
 * be embedded as it is drawn (outlines neither TrueType nor CFF, or a
 * variable font's instance other than its default): the caller draws
 * its text otherwise. */
int oc_pdffonts_font(oc_pdffonts *fs, oc_pdfw *w, hb_font_t *font,
                     long *ref);

/* Whether oc_pdffonts_font takes the face of 'font'. */
bool oc_pdffonts_can_embed(hb_font_t *font);

/* Glyph 'gid' of font 'index' drawn for 'text' ('len' bytes of UTF-8;
 * len 0: a glyph with no text of its own, such as the second glyph of a
 * cluster): it goes into the subset. Returns true when the font's
 * ToUnicode map gives the glyph that text (the first text a glyph is
 * drawn for is its own; a glyph drawn with len 0 first takes the text
 * of a later use), false when it maps the glyph to other text, so that
 * the caller marks the text with /ActualText. Other text includes none:
 * len 0 for a glyph that has text is false; and a glyph is given no
 * text longer than 256 bytes (a ToUnicode entry holds 512 bytes of
 * UTF-16), nor is 'gid' past the face's glyphs used: both false.
 * Fast for a glyph drawn again: no hashing, a compare of the bytes. */
bool oc_pdffonts_use(oc_pdffonts *fs, int index, unsigned gid,
                     const char *text, size_t len);

/* The advance width of glyph 'gid' of font 'index' in thousandths of
 * the font size (the /W entry the PDF gives it), as the page's TJ
 * adjustments count from it: the face's own (hmtx, the default instance
 * of a variable font, whatever the variations of the hb_font drawn
 * with), rounded to the three decimals /W is written with. */
double oc_pdffonts_advance(oc_pdffonts *fs, int index, unsigned gid);

/* Write every font used (the objects whose numbers were reserved):
 * its subset program, descriptor, CIDFont, widths and ToUnicode map.
 * A face HarfBuzz cannot subset, or with outlines neither TrueType nor
 * CFF (CFF2, bitmaps only), is an error naming its family. A failure of
 * 'w' itself is left to oc_pdfw_finish. Once. */
oc_status oc_pdffonts_write(oc_pdffonts *fs, oc_pdfw *w, oc_error *err);

#endif
