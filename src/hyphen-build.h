/* hyphen-build.h - libhyphen's automaton built from a pattern file's text,
 * for hyphenate.c alone (and its tests): the HyphenDict that
 * hnj_hyphen_load_file would make of the same text, made in time linear
 * in the patterns. libhyphen keeps its states in a hash table of 31,627
 * fixed buckets walked with strcmp, and German's 77,888 patterns took
 * it two seconds to load. */
#ifndef OC_HYPHEN_BUILD_H
#define OC_HYPHEN_BUILD_H

#include <stddef.h>

#include <hyphen.h>    /* libhyphen's: src/ is a quote-only include path */

/* The dictionary of the pattern file 'text' (len bytes, lines ended by
 * '\n'): its first line names the encoding; then patterns, keyword lines
 * (LEFTHYPHENMIN, RIGHTHYPHENMIN, COMPOUNDLEFTHYPHENMIN,
 * COMPOUNDRIGHTHYPHENMIN, NOHYPHEN), '%' comments and at most one
 * NEXTLEVEL, as libhyphen reads them. Lines of HNJ's MAX_CHARS - 1 bytes
 * or more are skipped, as libhyphen skips them. Without NEXTLEVEL the
 * patterns are the second level under libhyphen's default first one (a
 * break at '-', '\'' and, in UTF-8, U+2013 and U+2019).
 * Its transitions and strings are one block per level, not a malloc
 * each as libhyphen's: the result is freed by oc_hyphen_build_free, not
 * hnj_hyphen_free. Aborts on OOM; never NULL. */
HyphenDict *oc_hyphen_build(const char *text, size_t len);
void        oc_hyphen_build_free(HyphenDict *d);    /* NULL is a no-op */

#endif
