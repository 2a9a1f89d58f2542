/* cjk.h - what Chinese, Japanese and Korean text asks of the typesetter
 * beyond UAX #14 and Pango's choice of fonts: which characters are set
 * on the em square (ideographs, kana, bopomofo, their punctuation and the
 * full-width forms), the line-breaking prohibitions (kinsoku) of JIS X
 * 4051 and CLREQ (W3C, "Requirements for Chinese Text Layout") that
 * Pango's break opportunities miss, and the font of the punctuation that
 * Latin and CJK text share (quotation marks, dashes, ellipses, middle
 * dots), which in CJK text is the CJK font's. For shape.c (breaks,
 * fonts) and para-items.c (inter-character glue). */
#ifndef OC_CJK_H
#define OC_CJK_H

#include <stdbool.h>
#include <stddef.h>

#include <pango/pango.h>

/* Is c a character of CJK text set on the em square: a Han ideograph,
 * kana, bopomofo, CJK punctuation or symbol, a full-width form? Hangul
 * is not: Korean is set with spaces between its words. Nor is U+3000,
 * the ideographic space, which is white space. */
bool oc_cjk_is_char(gunichar c);

/* Is the character at byte b of text[0..len) one of the marks that
 * Latin and CJK text share (“ ” ‘ ’ — ― … ‥ · ‧) standing in CJK text:
 * is the nearest character on either side that is no such mark a CJK
 * one? ("don’t" keeps a Latin apostrophe, “你好” has CJK quotation
 * marks.) */
bool oc_cjk_shared_mark_at(const char *text, size_t len, size_t b);

/* Tailor the break opportunities la[0..n] of the n characters of 'text'
 * (la[i]: before character i) to the kinsoku rules, where the text has
 * CJK characters (else nothing changes): no break before a closing
 * mark (、。，．：；！？ and closing brackets, small kana and the
 * prolonged sound mark, iteration marks, ellipses), none after an
 * opening bracket, none on either side of a middle dot. Quotation marks
 * and middle dots count as CJK punctuation where the nearest character
 * on either side that is not one is a CJK character; 'add' also allows
 * a break where UAX #14 before Unicode 15.1 forbade one, before an
 * opening quotation mark (“ ‘) and after a closing one (” ’) between
 * CJK characters (UAX #14 of Unicode 15.1, LB19a). A mandatory break
 * stays. */
void oc_cjk_tailor_breaks(const char *text, PangoLogAttr *la, size_t n,
                          bool add);

/* Give the punctuation that Latin and CJK text share (“ ” ‘ ’ — ― …
 * ‥ · ‧) the font of the CJK character beside it, where its item's
 * language is Chinese, Japanese or Korean and that font has it: the
 * full-width marks of CJK typography, not a Latin face's narrow ones.
 * Items are split where needed. 'items' are pango_itemize's for 'text',
 * in logical order; returns the list's new head. The caller holds the
 * font lock. */
GList *oc_cjk_punct_fonts(const char *text, GList *items);

#endif
