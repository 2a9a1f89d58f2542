/* zhuff.h - a zlib stream (RFC 1950/1951) of literals and runs alone.
 *
 * A photograph's rows, predicted from the rows above, are small
 * differences that seldom repeat as strings: deflate's search for
 * matches finds little and takes most of its time. Coding each byte by
 * how often its value comes in its block, and a run of one value as a
 * match one byte back, makes as small a stream several times faster. */
#ifndef OC_ZHUFF_H
#define OC_ZHUFF_H

#include <stddef.h>

/* The most bytes oc_zhuff writes for 'n' bytes in. */
size_t oc_zhuff_bound(size_t n);

/* 'in' (n bytes) as a zlib stream into 'out' (oc_zhuff_bound(n) bytes
 * of room); returns its length. */
size_t oc_zhuff(const unsigned char *in, size_t n, unsigned char *out);

#endif
