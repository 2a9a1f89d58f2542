/* zhuff.c - a zlib stream of literals and runs alone (zhuff.h).
 *
 * The input goes in blocks of BLOCK bytes. In each, a run of MINRUN or
 * more bytes equal to the one before is a match at distance 1 (RFC 1951
 * §3.2.5); every other byte is a literal. A block's literals and runs
 * are coded with Huffman codes made for them (§3.2.7); a block they
 * would not make smaller is stored (§3.2.4). */
#include "zhuff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#include "buf.h"
#include "error.h"

enum {
    BLOCK = OC_ZHUFF_BLOCK, /* bytes a block: its codes follow the
                               picture */
    MINRUN = 8,         /* the shortest run: shorter ones cost less as
                           literals */
    MAXRUN = 258,
    NLITLEN = 286,      /* literals, end of block, 29 lengths */
    NDIST = 2,          /* distance 1 used, 2 to make the code complete */
    NCL = 19,           /* code-length codes */
    END = 256,
    STORED_MAX = 65535,
};

/* A run: 'len' bytes from 'at' that repeat the byte before them. */
typedef struct run {
    uint32_t at, len;
} run;

/* Lengths 3..258 (RFC 1951 §3.2.5): symbol 257 + i covers LEN_BASE[i]
 * and the LEN_EXTRA[i] bits' values after it. */
static const uint16_t LEN_BASE[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
    59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};
static const uint8_t LEN_EXTRA[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
    5, 5, 5, 5, 0
};

/* The order code-length code lengths are sent in (§3.2.7). */
static const uint8_t CL_ORDER[NCL] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
};

/* The index in LEN_BASE of run length r, 3..258. */
static unsigned
len_index(unsigned r)
{
    unsigned i = 28;

    while (LEN_BASE[i] > r)
        i--;
    return i;
}

/* ---- bits out, least significant first (§3.1.1) ---- */

/* Bits are gathered in 'acc' and written 8 bytes at a time, of which
 * only the whole bytes count: the buffer needs 8 bytes of room beyond
 * the last. */
typedef struct bits {
    unsigned char *p;
    uint64_t       acc;
    unsigned       n;           /* bits held in acc, < 8 after flush */
} bits;

static inline void
add(bits *b, uint32_t v, unsigned n)
{
    b->acc |= (uint64_t)v << b->n;
    b->n += n;
}

/* At most 56 bits may be added between flushes. */
static inline void
flush(bits *b)
{
    uint64_t le = b->acc;

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    le = __builtin_bswap64(le);
#endif

    memcpy(b->p, &le, 8);
    b->p += b->n >> 3;
    b->acc >>= b->n & ~7u;
    b->n &= 7;
}

static inline void
put(bits *b, uint32_t v, unsigned n)
{
    add(b, v, n);
    flush(b);
}

/* Out to the next byte boundary. */
static void
align(bits *b)
{
    flush(b);
    if (b->n > 0)
        b->p++;
    b->acc = 0;
    b->n = 0;
}

/* ---- Huffman codes ---- */

typedef struct code {
    uint8_t  len[NLITLEN];
    uint16_t bits[NLITLEN];     /* reversed, to be sent as they are */
} code;

static int
by_freq(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;      /* { freq, symbol } */

    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Lengths len[0..n) of a Huffman code for frequencies freq[0..n), none
 * longer than 'limit' (the frequencies are halved until none is); a
 * code of one symbol is given a second, so that every code is
 * complete. */
static void
huffman_lengths(const uint32_t *freq, int n, int limit, uint8_t *len)
{
    uint32_t leaf[NLITLEN][2], weight[2 * NLITLEN];
    int parent[2 * NLITLEN], depth[2 * NLITLEN], m = 0;

    memset(len, 0, (size_t)n);
    for (int s = 0; s < n; s++)
        if (freq[s] > 0) {
            leaf[m][0] = freq[s];
            leaf[m][1] = (uint32_t)s;
            m++;
        }
    if (m < 2) {                /* the one used, and one more */
        int used = m == 1 ? (int)leaf[0][1] : 0;

        len[used] = 1;
        len[used == 0 ? 1 : 0] = 1;
        return;
    }
    qsort(leaf, (size_t)m, sizeof leaf[0], by_freq);
    for (int shift = 0;; shift++) {
        int i = 0, j = m, maxd = 0;

        for (int k = 0; k < m; k++)
            weight[k] = leaf[k][0] >> shift > 0 ? leaf[k][0] >> shift : 1;
        /* Leaves in order of weight, and the nodes made from them,
         * which come in order of weight too: the two lightest of the
         * two queues' heads make the next node. */
        for (int k = m; k < 2 * m - 1; k++) {
            int a, b;

            a = i < m && (j >= k || weight[i] <= weight[j]) ? i++ : j++;
            b = i < m && (j >= k || weight[i] <= weight[j]) ? i++ : j++;
            weight[k] = weight[a] + weight[b];
            parent[a] = parent[b] = k;
        }
        depth[2 * m - 2] = 0;
        for (int k = 2 * m - 3; k >= 0; k--) {
            depth[k] = depth[parent[k]] + 1;
            if (depth[k] > maxd)
                maxd = depth[k];
        }
        if (maxd <= limit) {
            for (int k = 0; k < m; k++)
                len[leaf[k][1]] = (uint8_t)depth[k];
            return;
        }
    }
}

/* The canonical codes of lengths c->len[0..n) (§3.2.2), reversed. */
static void
canonical(code *c, int n)
{
    uint16_t count[16] = { 0 }, next[16];
    unsigned v = 0;

    for (int s = 0; s < n; s++)
        count[c->len[s]]++;
    count[0] = 0;
    for (int l = 1; l < 16; l++) {
        v = (v + count[l - 1]) << 1;
        next[l] = (uint16_t)v;
    }
    for (int s = 0; s < n; s++) {
        unsigned l = c->len[s], k = l ? next[l]++ : 0, r = 0;

        for (unsigned i = 0; i < l; i++)
            r |= (k >> i & 1u) << (l - 1 - i);
        c->bits[s] = (uint16_t)r;
    }
}

/* ---- a block ---- */

/* The bytes in[from..to) counted into f[0..3][256] (four tables, so
 * that a value repeated need not wait for its count). */
static void
count(const unsigned char *in, size_t from, size_t to, uint32_t (*f)[256])
{
    size_t at = from;

    for (; at + 4 <= to; at += 4) {
        f[0][in[at]]++;
        f[1][in[at + 1]]++;
        f[2][in[at + 2]]++;
        f[3][in[at + 3]]++;
    }
    for (; at < to; at++)
        f[0][in[at]]++;
}

/* The runs of in[from..to) into 'runs' (BLOCK / MINRUN of room), and
 * the frequencies of its literals and run lengths into freq[NLITLEN];
 * how many runs. */
static size_t
runs_of(const unsigned char *in, size_t from, size_t to, run *runs,
        uint32_t *freq)
{
    uint32_t f[4][256] = { { 0 } };
    size_t k = 0, done = from;

    /* Runs are looked for where a word of 8 bytes (from the block's
     * start) is one byte 8 times: one comparison for 8 bytes, seldom
     * true in a photograph. Every stretch of 16 equal bytes or more has
     * such a word; its first byte is a literal, the rest runs. */
    for (size_t w = from; w + 8 <= to; w += 8) {
        uint64_t word, same;
        size_t s, e;
        unsigned char v = in[w];

        memcpy(&word, in + w, 8);
        same = 0x0101010101010101ull * v;
        if (w < done || word != same)
            continue;
        for (s = w; s > done && in[s - 1] == v; s--)
            ;
        /* A long run (a flat picture's rows) 32 bytes at a time. */
        for (e = w + 8; e + 32 <= to; e += 32) {
            uint64_t q[4];

            memcpy(q, in + e, 32);
            if (((q[0] ^ same) | (q[1] ^ same) | (q[2] ^ same) |
                 (q[3] ^ same)) != 0)
                break;
        }
        for (; e + 8 <= to && (memcpy(&word, in + e, 8), word == same);
             e += 8)
            ;
        for (; e < to && in[e] == v; e++)
            ;
        for (size_t i = s + 1; e - i >= MINRUN;) {
            size_t r = e - i < MAXRUN ? e - i : MAXRUN;

            runs[k].at = (uint32_t)(i - from);
            runs[k++].len = (uint32_t)r;
            freq[257 + len_index((unsigned)r)]++;
            i += r;
        }
        done = e;
        /* On from the first word at or past the run's end. */
        w = from + (done - from + 7) / 8 * 8 - 8;
    }
    /* The literals: the bytes between the runs. */
    for (size_t j = 0, at = from; j <= k; j++) {
        size_t end = j < k ? from + runs[j].at : to;

        count(in, at, end, f);
        if (j < k)
            at = end + runs[j].len;
    }
    for (int c = 0; c < 256; c++)
        freq[c] = f[0][c] + f[1][c] + f[2][c] + f[3][c];
    return k;
}

/* Literals p[0..n) onto 'b' with codes 'enc' (a code's bits, its
 * length above bit 16): three a flush, at most 45 bits. */
static void
put_literals(bits *b, const unsigned char *p, size_t n, const uint32_t *enc)
{
    size_t i = 0;

    for (; i + 3 <= n; i += 3) {
        uint32_t e0 = enc[p[i]], e1 = enc[p[i + 1]], e2 = enc[p[i + 2]];
        unsigned l0 = e0 >> 16, l1 = e1 >> 16, l2 = e2 >> 16;
        uint64_t v = (uint64_t)(e0 & 0xFFFF) |
                     (uint64_t)(e1 & 0xFFFF) << l0 |
                     (uint64_t)(e2 & 0xFFFF) << (l0 + l1);

        b->acc |= v << b->n;
        b->n += l0 + l1 + l2;
        flush(b);
    }
    for (; i < n; i++)
        put(b, enc[p[i]] & 0xFFFF, enc[p[i]] >> 16);
}

/* The lengths of both codes as one sequence, run-length coded with
 * code-length symbols 0..18 (§3.2.7): each entry a symbol and the value
 * of its extra bits; how many. */
static int
length_runs(const uint8_t *l, int n, uint8_t (*out)[2])
{
    int k = 0;

    for (int i = 0; i < n;) {
        int v = l[i], same = 1, r;

        while (i + same < n && l[i + same] == v)
            same++;
        i += same;
        r = same;
        if (v == 0) {
            while (r >= 11) {
                int t = r < 138 ? r : 138;

                out[k][0] = 18, out[k++][1] = (uint8_t)(t - 11);
                r -= t;
            }
            if (r >= 3) {
                out[k][0] = 17, out[k++][1] = (uint8_t)(r - 3);
                r = 0;
            }
        } else {
            out[k][0] = (uint8_t)v, out[k++][1] = 0;
            r--;
            while (r >= 3) {
                int t = r < 6 ? r : 6;

                out[k][0] = 16, out[k++][1] = (uint8_t)(t - 3);
                r -= t;
            }
        }
        while (r-- > 0)
            out[k][0] = (uint8_t)v, out[k++][1] = 0;
    }
    return k;
}

static const uint8_t CL_EXTRA[NCL] = { [16] = 2, [17] = 3, [18] = 7 };

/* Block in[from..to) onto 'b', its runs[0..nruns), its literals' and
 * runs' frequencies freq[NLITLEN]. None is the stream's last: an empty
 * block ends it (oc_zhuff_end). */
static void
put_block(bits *b, const unsigned char *in, size_t from, size_t to,
          const run *runs, size_t nruns, uint32_t *freq)
{
    uint32_t clfreq[NCL] = { 0 }, enc[256];
    uint8_t seq[NLITLEN + NDIST], cls[NLITLEN + NDIST][2];
    code lit, cl;
    int nlit = 257, nclen = NCL, ncl;
    uint64_t cost = 3 + 5 + 5 + 4, stored;
    size_t n = to - from;

    freq[END] = 1;
    huffman_lengths(freq, NLITLEN, 15, lit.len);
    for (int s = 0; s < NLITLEN; s++)
        if (lit.len[s] > 0 && s >= nlit)
            nlit = s + 1;
    memcpy(seq, lit.len, (size_t)nlit);
    seq[nlit] = seq[nlit + 1] = 1;              /* distances 1 and 2 */
    ncl = length_runs(seq, nlit + NDIST, cls);
    for (int k = 0; k < ncl; k++)
        clfreq[cls[k][0]]++;
    huffman_lengths(clfreq, NCL, 7, cl.len);
    while (nclen > 4 && cl.len[CL_ORDER[nclen - 1]] == 0)
        nclen--;
    cost += 3 * (uint64_t)nclen;
    for (int k = 0; k < ncl; k++)
        cost += cl.len[cls[k][0]] + CL_EXTRA[cls[k][0]];
    for (int s = 0; s < NLITLEN; s++)
        cost += (uint64_t)freq[s] * lit.len[s];
    for (int i = 0; i < 29; i++)
        cost += (uint64_t)(freq[257 + i]) * (LEN_EXTRA[i] + 1);
    stored = 8 * ((uint64_t)n + 5 * ((n + STORED_MAX - 1) / STORED_MAX) + 1);
    if (cost > stored) {
        for (size_t at = from, k; at < to; at += k) {
            k = to - at < STORED_MAX ? to - at : STORED_MAX;
            put(b, 0, 3);                       /* stored: type 0 */
            align(b);
            put(b, (uint32_t)k | (uint32_t)(~k & 0xFFFF) << 16, 32);
            memcpy(b->p, in + at, k);
            b->p += k;
        }
        return;
    }
    canonical(&lit, nlit);
    canonical(&cl, NCL);
    put(b, 2 << 1, 3);                          /* dynamic codes */
    put(b, (uint32_t)(nlit - 257), 5);
    put(b, NDIST - 1, 5);
    put(b, (uint32_t)(nclen - 4), 4);
    for (int k = 0; k < nclen; k++)
        put(b, cl.len[CL_ORDER[k]], 3);
    for (int k = 0; k < ncl; k++) {
        int s = cls[k][0];

        put(b, cl.bits[s], cl.len[s]);
        put(b, cls[k][1], CL_EXTRA[s]);
    }
    for (int c = 0; c < 256; c++)
        enc[c] = (uint32_t)lit.len[c] << 16 | lit.bits[c];
    for (size_t k = 0, at = 0; k <= nruns; k++) {
        size_t end = k < nruns ? runs[k].at : n;

        put_literals(b, in + from + at, end - at, enc);
        if (k < nruns) {
            unsigned r = runs[k].len, i = len_index(r);

            add(b, lit.bits[257 + i], lit.len[257 + i]);
            add(b, r - LEN_BASE[i], LEN_EXTRA[i]);
            add(b, 0, 1);                       /* distance 1: code 0 */
            flush(b);
            at = end + r;
        }
    }
    put(b, lit.bits[END], lit.len[END]);
}

struct oc_zhuff {
    oc_buf  *out;
    uint64_t acc;               /* bits not yet whole bytes */
    unsigned n;
    uint32_t adler;
    run     *runs;              /* a block's */
};

oc_zhuff *
oc_zhuff_begin(oc_buf *out)
{
    oc_zhuff *z = oc_xcalloc(1, sizeof *z);

    z->out = out;
    z->adler = 1;
    z->runs = oc_xmalloc(BLOCK / MINRUN * sizeof *z->runs);
    oc_buf_put(out, "\x78\x01", 2);   /* deflate, a 32 KiB window; the
                                         fastest; the header's check */
    return z;
}

void
oc_zhuff_put(oc_zhuff *z, const void *data, size_t n)
{
    const unsigned char *in = data;

    z->adler = libdeflate_adler32(z->adler, in, n);
    for (size_t from = 0; from < n;) {
        size_t to = n - from < BLOCK ? n : from + BLOCK;
        uint32_t freq[NLITLEN] = { 0 };
        size_t nruns = runs_of(in, from, to, z->runs, freq);
        bits b;

        /* At most the bytes stored, their blocks' headers, the bits
         * held, and flush's 8 bytes ahead. */
        oc_buf_reserve(z->out, (to - from) + 5 * ((to - from) / STORED_MAX +
                                                  1) + 16);
        b = (bits){ (unsigned char *)z->out->data + z->out->len, z->acc,
                    z->n };
        put_block(&b, in, from, to, z->runs, nruns, freq);
        z->out->len = (size_t)(b.p - (unsigned char *)z->out->data);
        z->acc = b.acc;
        z->n = b.n;
        from = to;
    }
}

void
oc_zhuff_end(oc_zhuff *z)
{
    oc_buf *out = z->out;
    bits b;

    oc_buf_reserve(out, 2 + 4 + 16);
    b = (bits){ (unsigned char *)out->data + out->len, z->acc, z->n };
    put(&b, 1 | 1 << 1, 3);     /* the last block, of the fixed codes, */
    put(&b, 0, 7);              /* empty: their end of block */
    align(&b);
    for (int i = 3; i >= 0; i--)
        *b.p++ = (unsigned char)(z->adler >> (8 * i));
    out->len = (size_t)(b.p - (unsigned char *)out->data);
    out->data[out->len] = '\0';
    free(z->runs);
    free(z);
}

void
oc_zhuff_pack(const void *in, size_t n, oc_buf *out)
{
    oc_zhuff *z = oc_zhuff_begin(out);

    oc_zhuff_put(z, in, n);
    oc_zhuff_end(z);
}
