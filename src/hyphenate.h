/* hyphenate.h - where a word may be hyphenated: Liang's TeX patterns through
 * libhyphen (the hyph_*.dic dictionaries of LibreOffice, in
 * /usr/share/hyphen), and soft hyphens (U+00AD) written in the text.
 *
 * The results are byte offsets into the caller's UTF-8 word: a point p
 * means the word may be broken between bytes [0, p) and [p, len), with a
 * hyphen drawn at the end of the line (for the line breaker: an
 * OC_LB_HYPHEN_AUTO or OC_LB_HYPHEN_SOFT item between two boxes). */
#ifndef OC_HYPHENATE_H
#define OC_HYPHENATE_H

#include <stdbool.h>
#include <stddef.h>

#include "octavo.h"

#define OC_HYPHEN_DIR       "/usr/share/hyphen"
#define OC_HYPHEN_MAX_WORD  256     /* longer words are not hyphenated */

typedef struct oc_hyphen_dict  oc_hyphen_dict;   /* owned by its cache */
typedef struct oc_hyphen_cache oc_hyphen_cache;

/* A cache of loaded dictionaries, read from 'dir' (NULL: OC_HYPHEN_DIR).
 * The caller owns it and frees it, with every dictionary it loaded, by
 * oc_hyphen_cache_free. Aborts on OOM. */
oc_hyphen_cache *oc_hyphen_cache_new(const char *dir);
void             oc_hyphen_cache_free(oc_hyphen_cache *c);   /* NULL ok */

/* Languages' dictionaries compiled ahead: reading and compiling the
 * patterns of one takes tens of milliseconds, which a build spends on a
 * thread of its own while the chapters load and the fonts are found,
 * instead of at the first paragraph in it. oc_hyphen_prime_new takes a
 * BCP 47 tag, oc_hyphen_prime_add more (before the run; a tag given
 * before is not added again); oc_hyphen_prime_run (on that thread)
 * compiles, in that order, the dictionary oc_hyphen_load would find for
 * each under 'dir' (NULL: OC_HYPHEN_DIR), or nothing if it cannot
 * (oc_hyphen_load tells why). A cache given the prime
 * (oc_hyphen_cache_prime, borrowed: it outlives the cache) takes a
 * language's dictionary when it first needs its file: having waited
 * for it if it is being compiled; if the run has not come to it, the
 * cache compiles its own and the run passes it over. One cache takes a
 * dictionary, the others compile their own. oc_hyphen_prime_cancel has
 * the run pass over every language it has not begun (a build that
 * stops); oc_hyphen_prime_free (after the run) frees the prime, and the
 * dictionaries no cache took. */
typedef struct oc_hyphen_prime oc_hyphen_prime;

oc_hyphen_prime *oc_hyphen_prime_new(const char *lang);
void             oc_hyphen_prime_add(oc_hyphen_prime *p, const char *lang);
void             oc_hyphen_prime_run(oc_hyphen_prime *p, const char *dir);
void             oc_hyphen_prime_cancel(oc_hyphen_prime *p);  /* NULL ok */
void             oc_hyphen_prime_free(oc_hyphen_prime *p);   /* NULL ok */
void             oc_hyphen_cache_prime(oc_hyphen_cache *c,
                                       oc_hyphen_prime *p);
/* How many dictionaries cache 'c' compiled itself, not taken from its
 * prime, and how many the runs of prime 'p' compiled (for the tests). */
size_t           oc_hyphen_cache_compiled(const oc_hyphen_cache *c);
size_t           oc_hyphen_prime_compiled(oc_hyphen_prime *p);

/* The dictionary for BCP 47 language tag 'lang' ("en", "en-GB", "de-CH",
 * "de-1996", "sr-Latn-RS"; '_' is taken as '-', case is ignored). "no"
 * is taken as Bokmål ("nb"), and the withdrawn "iw", "in", "ji" as "he",
 * "id", "yi". Files are tried in this order, ll being the language, Ssss
 * the script and CC the region:
 *   with a script: hyph_ll-Ssss_CC.dic and hyph_ll_Ssss_CC.dic for the
 *   tag's region, then for the language's default region, then the
 *   first hyph_ll-Ssss_*.dic or hyph_ll_Ssss_*.dic in name order;
 *   hyph_ll_CC.dic (if the tag has a region), hyph_ll_DD.dic for the
 *   language's default region where several are installed (en US, de DE,
 *   es ES, pt PT, sv SE, sr RS, fr FR, nl NL, it IT), hyph_ll.dic,
 *   hyph_ll_LL.dic, then the first hyph_ll_*.dic in name order.
 * So "en-GB" gets hyph_en_GB.dic (the US patterns if it is not
 * installed), "fr-CA" the French ones, "sr-Latn" hyph_sr-Latn_RS.dic and
 * "sr" the Cyrillic hyph_sr_RS.dic.
 * On OC_OK *out is the dictionary, owned by the cache (later calls for
 * the same tag, or a tag that resolves to the same file, return the same
 * one), or NULL when no file exists for the language, or 'lang' is NULL,
 * "", "und" or a language written without hyphens (zh, ja, ko, ar, he,
 * ...): no automatic hyphenation, not an error.
 * Errors: OC_ERR_INVALID for a malformed tag or a dictionary in an
 * encoding we cannot convert (every single-byte encoding iconv knows is
 * accepted: ISO8859-x, KOI8-R, cp125x), OC_ERR_IO when the file cannot
 * be read or is empty. Failures are cached too: the error is returned once,
 * later calls for that tag give *out = NULL and OC_OK (tags longer than
 * 63 bytes are refused every time). */
oc_status oc_hyphen_load(oc_hyphen_cache *c, const char *lang,
                         const oc_hyphen_dict **out, oc_error *err);

/* Whether text in 'lang' goes unhyphenated for want of patterns, said
 * once per language of the cache, for a warning: true the first time a
 * tag of a language that is hyphenated in print has no file here ("eu",
 * then false for "eu-ES" too), false for every other tag (one with
 * patterns, a language written without hyphens, NULL, malformed). */
bool oc_hyphen_first_missing(oc_hyphen_cache *c, const char *lang);

typedef enum oc_hyphen_caps {
    OC_HYPHEN_CAPS_AUTO,    /* only where nouns are capitalised (de, lb) */
    OC_HYPHEN_CAPS_NEVER,   /* no word with a capital first letter */
    OC_HYPHEN_CAPS_ALWAYS,
    OC_HYPHEN_CAPS_LAST     /* as AUTO, but the points of the words AUTO
                               leaves alone come too, each marked with
                               OC_HYPHEN_CAPITAL: a last resort */
} oc_hyphen_caps;

/* Or'ed into a point of a capitalised word (OC_HYPHEN_CAPS_LAST): a name
 * or a sentence's first word, hyphenated only when nothing else will
 * do. The offset is the point without it. */
#define OC_HYPHEN_CAPITAL (1 << 30)

/* Zero-initialised means the defaults in brackets. The dictionary's own
 * LEFTHYPHENMIN and RIGHTHYPHENMIN (2 when it declares none), which
 * libhyphen applies, are a floor under left_min and right_min. */
typedef struct oc_hyphen_opts {
    int            left_min;      /* letters before a break [2] */
    int            right_min;     /* letters after a break [3] */
    int            min_letters;   /* shorter words are left alone [5] */
    oc_hyphen_caps capitalized;   /* [OC_HYPHEN_CAPS_AUTO] */
} oc_hyphen_opts;

/* Store in points[0..max) the byte offsets, ascending (each perhaps with
 * OC_HYPHEN_CAPITAL, see OC_HYPHEN_CAPS_LAST), at which the
 * UTF-8 word[0..len) may be hyphenated by the dictionary's patterns, and
 * return how many were stored (at most max; a word of n characters has
 * at most n - 1). 'd' may be NULL (no patterns: returns 0); 'o' may be
 * NULL for the defaults.
 * The word is looked up in lower case; offsets are into the original
 * bytes. Leading and trailing punctuation (quotes, brackets, full stops)
 * is skipped. An apostrophe (' or U+2019) splits the word into parts
 * hyphenated on their own ("l'élémentaire", "O'Connor"), and the
 * minimums and the capital rule apply to each part. Returns 0 for: a
 * word with a digit, a hard hyphen or dash (the caller breaks only after
 * it, with an OC_LB_HYPHEN_EXPLICIT item), a soft hyphen (U+00AD: only
 * the soft hyphens count then, see below), any other non-letter inside,
 * invalid UTF-8, more than OC_HYPHEN_MAX_WORD characters, or characters
 * the dictionary's encoding lacks. Never breaks before a combining mark.
 * Points where the patterns ask for a spelling change (libhyphen's
 * non-standard hyphenation, e.g. old German "Schiffahrt") are left
 * out. */
int oc_hyphen_word(const oc_hyphen_dict *d, const oc_hyphen_opts *o,
                   const char *word, size_t len, int *points, int max);

/* Store in points[0..max) the byte offsets just after each soft hyphen
 * (U+00AD) in word[0..len) that has text on both sides, and return how
 * many were stored (at most max). These are the explicit discretionary
 * breaks of CSS "hyphens: manual" and "auto"; the soft hyphen itself is
 * invisible unless the line breaks there. Works on any text, with or
 * without a dictionary. */
int oc_hyphen_soft_points(const char *word, size_t len, int *points,
                          int max);

/* For the unit tests: the file a dictionary was loaded from (borrowed
 * from the cache). */
const char *oc_hyphen_dict_path(const oc_hyphen_dict *d);

#endif

