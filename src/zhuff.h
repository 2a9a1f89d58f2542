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

#include "buf.h"

/* A zlib stream being written onto the end of an oc_buf: begun, given
 * its bytes in pieces of any length, ended (which frees it). Each piece
 * is coded apart, in blocks of OC_ZHUFF_BLOCK bytes at most (a smaller
 * piece is a block of its own, with codes of its own: pieces of about
 * that size pack best), so that a picture made a band at a time is
 * never whole in memory. */
enum { OC_ZHUFF_BLOCK = 1 << 17 };

typedef struct oc_zhuff oc_zhuff;

oc_zhuff *oc_zhuff_begin(oc_buf *out);
void oc_zhuff_put(oc_zhuff *z, const void *in, size_t n);
void oc_zhuff_end(oc_zhuff *z);

/* 'in' (n bytes) as one zlib stream onto the end of 'out'. */
void oc_zhuff_pack(const void *in, size_t n, oc_buf *out);

#endif
