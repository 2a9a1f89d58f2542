/* hyphenate.c - BCP 47 tag -> libhyphen dictionary; UTF-8 word -> byte
 * offsets of its hyphenation points (Liang's patterns); soft hyphens. */
#include "hyphenate.h"

#include <hyphen.h>    /* libhyphen's: src/ is a quote-only include path */

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>


#include "arena.h"
#include "buf.h"
#include "error.h"
#include "hyphen-build.h"

#define HNJ_LINE_MAX 99     /* longer lines libhyphen reads in pieces */

struct oc_hyphen_dict {
    char       *path;       /* the first path it was found under */
    dev_t       dev;        /* the file, whatever links lead to it */
    ino_t       ino;
    HyphenDict *hd;
    int         utf8;
    int         caps;       /* the language capitalises nouns */
    int         right_min;  /* letters after a break, unless asked */
    uint32_t    high[128];  /* 8-bit encodings: code point of each byte
                             * 0x80..0xFF, 0 where there is none */
};

typedef struct tag_entry {
    char           *tag;    /* normalised: lower case, '-' */
    oc_hyphen_dict *dict;   /* NULL: no patterns (or they failed) */
    char            lang[4];    /* its language subtag ("" if none) */
    int             missing;    /* no file for a hyphenated language */
} tag_entry;

struct oc_hyphen_cache {
    char            *dir;
    tag_entry       *tags;
    size_t           ntags, tcap;
    oc_hyphen_dict **dicts;
    size_t           ndicts, dcap;
    char           (*missed)[4];    /* oc_hyphen_first_missing's */
    size_t           nmissed;
    oc_hyphen_prime *prime;         /* borrowed: a dictionary compiled
                                       ahead, taken when first asked for */
    size_t           ncompiled;     /* dictionaries it compiled itself */
};

/* Dictionaries compiled ahead, on a thread of the caller's: one per
 * language, in the order they were added. */
typedef enum { PRIME_WAITING, PRIME_COMPILING, PRIME_DONE, PRIME_TAKEN }
    prime_state;

typedef struct prime_entry {
    char           *lang;
    char            alias[8];       /* its language as files name it, or
                                       "": none to compile */
    prime_state     state;          /* TAKEN: a cache compiled its own */
    oc_hyphen_dict *dict;           /* when DONE, until a cache takes it;
                                       or NULL */
    bool            compiled;       /* the file below was, taken or not */
    dev_t           dev;
    ino_t           ino;
} prime_entry;

struct oc_hyphen_prime {
    pthread_mutex_t  lock;
    pthread_cond_t   cond;          /* an entry done */
    prime_entry     *e;
    size_t           n, cap;
};

static void
dict_free(oc_hyphen_dict *d)
{
    if (d == NULL)
        return;
    if (d->hd != NULL)
        oc_hyphen_build_free(d->hd);
    free(d->path);
    free(d);
}

oc_hyphen_cache *
oc_hyphen_cache_new(const char *dir)
{
    oc_hyphen_cache *c = oc_xcalloc(1, sizeof *c);

    c->dir = oc_xstrdup(dir ? dir : OC_HYPHEN_DIR);
    return c;
}

void
oc_hyphen_cache_free(oc_hyphen_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->ndicts; i++)
        dict_free(c->dicts[i]);
    for (size_t i = 0; i < c->ntags; i++)
        free(c->tags[i].tag);
    free(c->dicts);
    free(c->tags);
    free(c->missed);
    free(c->dir);
    free(c);
}

const char *
oc_hyphen_dict_path(const oc_hyphen_dict *d)
{
    return d->path;
}

/* Split a tag into its language ("en"), script ("Latn"; "" if none) and
 * region ("GB", "419"; "" if none). Returns 0 if the tag is malformed.
 * RFC 5646 §2.1: subtags of 1-8 letters or digits; the language first,
 * then optional extended language (3 letters), script (4 letters) and
 * region (2 letters or 3 digits), then variants and singleton-led
 * extensions that do not matter here. */
static int
parse_tag(const char *norm, char lang[4], char script[5], char region[4])
{
    const char *s = norm;
    int index = 0;

    lang[0] = script[0] = region[0] = '\0';
    while (*s != '\0') {
        size_t n = strcspn(s, "-");
        int alpha = 1;
        int digit = 1;

        if (n == 0 || n > 8)
            return 0;
        for (size_t i = 0; i < n; i++) {
            int a = s[i] >= 'a' && s[i] <= 'z';
            int d = s[i] >= '0' && s[i] <= '9';

            if (!a && !d)
                return 0;
            alpha &= a;
            digit &= d;
        }
        if (index == 0) {
            if (!alpha)
                return 0;
            if (n < 2)
                return 1;               /* "x-...", "i-...": no language */
            if (n <= 3) {
                memcpy(lang, s, n);
                lang[n] = '\0';
            }
        } else if (n == 1) {
            break;                      /* extensions, private use */
        } else if (n == 4 && alpha && script[0] == '\0' &&
                   region[0] == '\0') {
            memcpy(script, s, 4);       /* "Latn", as the files spell it */
            script[0] = (char)(script[0] - 'a' + 'A');
            script[4] = '\0';
        } else if (region[0] == '\0' && ((n == 2 && alpha) ||
                                         (n == 3 && digit))) {
            for (size_t i = 0; i < n; i++)
                region[i] = (char)(s[i] >= 'a' ? s[i] - 'a' + 'A' : s[i]);
            region[n] = '\0';
        }
        index++;
        s += n;
        if (*s == '-') {
            s++;
            if (*s == '\0')
                return 0;
        }
    }
    return index > 0;
}

/* Deprecated and macro-language codes that name a language with patterns
 * under another code: Norwegian is Bokmål unless it says Nynorsk. */
static const char *
language_alias(const char *lang)
{
    static const char *const alias[][2] = {
        {"no", "nb"}, {"iw", "he"}, {"in", "id"}, {"ji", "yi"}
    };

    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(lang, alias[i][0]) == 0)
            return alias[i][1];
    return lang;
}

/* Languages whose lines break without hyphens: no patterns are missed
 * for them (Chinese, Japanese, Korean, the scripts of South-East Asia
 * that break between words found by dictionary, Arabic, Hebrew), nor for
 * text of no known language ("und", and Pango's "xx" for a run it could
 * give none). */
static int
is_unhyphenated(const char *lang)
{
    static const char *const none[] = {
        "zh", "ja", "ko", "yue", "cmn", "lo", "km", "my", "bo", "dz",
        "ar", "fa", "ur", "ps", "sd", "ug", "ckb", "he", "yi",
        "und", "zxx", "mul", "mis", "xx"
    };

    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        if (strcmp(lang, none[i]) == 0)
            return 1;
    return 0;
}

/* Whether 'path' names a file (reading it may still fail, loudly). */
static int
file_exists(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The first file of 'dir' in name order whose name starts with 'prefix'
 * and ends in ".dic", or "". */
static void
scan_prefix(const char *dir, const char *prefix, char *out, size_t size)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    out[0] = '\0';
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);

        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || n < 4 ||
            strcmp(e->d_name + n - 4, ".dic") != 0)
            continue;
        if (out[0] == '\0' || strcmp(e->d_name, out) < 0)
            snprintf(out, size, "%s", e->d_name);
    }
    closedir(d);
}

/* The region whose patterns a language without one gets, where several
 * are installed and the first in name order would not be the one. */
static const char *
default_region(const char *lang)
{
    static const char *const regions[][2] = {
        {"en", "US"}, {"de", "DE"}, {"es", "ES"}, {"pt", "PT"},
        {"sv", "SE"}, {"sr", "RS"}, {"fr", "FR"}, {"nl", "NL"},
        {"it", "IT"}
    };

    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
        if (strcmp(lang, regions[i][0]) == 0)
            return regions[i][1];
    return "";
}

/* Try dir/name: 1 and the path in 'path' if the file exists. */
static int
try_name(const char *dir, const char *name, char *path, size_t size)
{
    if (name[0] == '\0')
        return 0;
    snprintf(path, size, "%s/%s", dir, name);
    return file_exists(path);
}

/* Files of a script: hyph_ll-Ssss_CC.dic (Serbian Latin) or
 * hyph_ll_Ssss_CC.dic, for the tag's region, the default one, any. */
static int
find_script_file(const char *dir, const char *lang, const char *script,
                 const char *region, char *path, size_t size)
{
    const char *regions[2] = {region, default_region(lang)};
    const char seps[2] = {'-', '_'};
    char name[64];

    for (size_t r = 0; r < 2; r++)
        for (size_t k = 0; k < 2 && regions[r][0] != '\0'; k++) {
            snprintf(name, sizeof name, "hyph_%s%c%s_%s.dic", lang, seps[k],
                     script, regions[r]);
            if (try_name(dir, name, path, size))
                return 1;
        }
    for (size_t k = 0; k < 2; k++) {
        char prefix[32];

        snprintf(prefix, sizeof prefix, "hyph_%s%c%s_", lang, seps[k],
                 script);
        scan_prefix(dir, prefix, name, sizeof name);
        if (try_name(dir, name, path, size))
            return 1;
    }
    return 0;
}

/* Find the dictionary file for a language: the order in hyphenate.h. */
static int
find_file(const char *dir, const char *lang, const char *script,
          const char *region, char *path, size_t size)
{
    const char *def = default_region(lang);
    char names[4][32];
    char prefix[16];
    char found[256];
    size_t nnames = 0;

    if (script[0] != '\0' &&
        find_script_file(dir, lang, script, region, path, size))
        return 1;
    if (region[0] != '\0')
        snprintf(names[nnames++], sizeof names[0], "hyph_%s_%s.dic", lang,
                 region);
    if (def[0] != '\0')
        snprintf(names[nnames++], sizeof names[0], "hyph_%s_%s.dic", lang,
                 def);
    snprintf(names[nnames++], sizeof names[0], "hyph_%s.dic", lang);
    if (strlen(lang) == 2)
        snprintf(names[nnames++], sizeof names[0], "hyph_%s_%c%c.dic", lang,
                 lang[0] - 'a' + 'A', lang[1] - 'a' + 'A');
    for (size_t i = 0; i < nnames; i++)
        if (try_name(dir, names[i], path, size))
            return 1;
    snprintf(prefix, sizeof prefix, "hyph_%s_", lang);
    scan_prefix(dir, prefix, found, sizeof found);
    return try_name(dir, found, path, size);
}

static uint32_t
decode_utf8(const unsigned char *s, size_t n, size_t *len)
{
    uint32_t c;
    size_t k;

    *len = 0;
    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        k = 2;
        c = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        k = 3;
        c = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        k = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    if ((k == 3 && c < 0x800) || (k == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *len = k;
    return c;
}

/* Fill d->high from the dictionary's declared encoding through iconv.
 * Refuses encodings where a byte >= 0x80 does not stand alone (they are
 * multi-byte, and libhyphen's byte positions would not be characters). */
static oc_status
map_encoding(oc_hyphen_dict *d, oc_error *err)
{
    char name[32];
    const char *cset = d->hd->cset;
    iconv_t cd;
    oc_status st = OC_OK;

    if (strncmp(cset, "microsoft-cp", 12) == 0)   /* LibreOffice's name */
        snprintf(name, sizeof name, "CP%s", cset + 12);
    else
        snprintf(name, sizeof name, "%s", cset);
    name[strcspn(name, " \t\r\n")] = '\0';
    cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return oc_error_set(err, OC_ERR_INVALID, d->path, 1, 0,
                            "hyphenation patterns in unsupported encoding "
                            "'%s'", name);
    for (int b = 0x80; b <= 0xff; b++) {
        char in[1] = {(char)b};
        char out[8];
        char *ip = in;
        char *op = out;
        size_t il = 1;
        size_t ol = sizeof out;
        size_t len;

        iconv(cd, NULL, NULL, NULL, NULL);
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
            if (errno == EINVAL) {
                st = oc_error_set(err, OC_ERR_INVALID, d->path, 1, 0,
                                  "hyphenation patterns in multi-byte "
                                  "encoding '%s'", name);
                break;
            }
            continue;                   /* no character for this byte */
        }
        d->high[b - 0x80] = decode_utf8((const unsigned char *)out,
                                        (size_t)(op - out), &len);
    }
    iconv_close(cd);
    return st;
}

/* A pattern line of a dictionary file: where it is, and its letters. */
typedef struct pattern_line {
    size_t      line;   /* index among the file's lines */
    int         level;  /* 0, or 1 after NEXTLEVEL */
    const char *key;    /* its letters (digits removed) */
    size_t      keylen;
} pattern_line;

/* Do two pattern lines have the same level and letters? */
static bool
same_pattern(const pattern_line *x, const pattern_line *y)
{
    return x->level == y->level && x->keylen == y->keylen &&
           memcmp(x->key, y->key, x->keylen) == 0;
}

static size_t
pattern_hash(const pattern_line *p)
{
    size_t h = 2166136261u ^ (size_t)p->level;

    for (size_t i = 0; i < p->keylen; i++)
        h = (h ^ (unsigned char)p->key[i]) * 16777619u;
    return h;
}

/* Of the patterns with the same level and letters, all but the last
 * marked in 'drop' (by line), through a hash table of the last seen. */
static void
drop_repeats(const pattern_line *pats, size_t npats, unsigned char *drop)
{
    size_t cap = 16, mask;
    size_t *slot;

    while (cap < 2 * npats)
        cap *= 2;
    mask = cap - 1;
    slot = oc_xmalloc(cap * sizeof *slot);
    memset(slot, 0xff, cap * sizeof *slot);
    for (size_t k = 0; k < npats; k++) {
        size_t h = pattern_hash(&pats[k]) & mask;

        while (slot[h] != SIZE_MAX && !same_pattern(&pats[slot[h]],
                                                    &pats[k]))
            h = (h + 1) & mask;
        if (slot[h] != SIZE_MAX)
            drop[pats[slot[h]].line] = 1;
        slot[h] = k;
    }
    free(slot);
}

static size_t
line_length(const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);

    return nl ? (size_t)(nl - s) : n;
}

static int
is_keyword_line(const char *s)
{
    static const char *const words[] = {
        "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN",
        "COMPOUNDRIGHTHYPHENMIN", "NOHYPHEN"
    };

    if (s[0] != 'L' && s[0] != 'R' && s[0] != 'C' && s[0] != 'N')
        return 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strncmp(s, words[i], strlen(words[i])) == 0)
            return 1;
    return 0;
}

/* Of two patterns with the same letters libhyphen keeps the later and
 * leaks the earlier (the German file has 170 such lines, most of them
 * its '#' comments, which libhyphen reads as patterns), and it reads a
 * line too long for its buffer as several. 'out' is the file without
 * those lines, which oc_hyphen_build makes the same automaton of. */
static oc_status
read_patterns(const char *path, oc_buf *out, oc_error *err)
{
    oc_buf text = {0};
    char *keys = NULL;
    pattern_line *pats = NULL;
    unsigned char *drop = NULL;
    size_t nlines = 0;
    size_t npats = 0;
    size_t nkey = 0;
    size_t line = 0;
    int level = 0;
    oc_status st;

    if ((st = oc_buf_read_file(&text, path, 0, err)) != OC_OK)
        return st;
    for (size_t i = 0; i < text.len; i++)
        nlines += text.data[i] == '\n';
    nlines++;
    keys = oc_xmalloc(text.len + 1);
    pats = oc_xcalloc(nlines, sizeof *pats);
    drop = oc_xcalloc(nlines, 1);
    for (size_t i = 0; i < text.len; line++) {
        const char *s = text.data + i;
        size_t len = line_length(s, text.len - i);

        i += len + 1;
        if (line == 0)
            continue;                   /* the encoding */
        if (len >= HNJ_LINE_MAX || level > 1) {
            drop[line] = 1;             /* too long for libhyphen */
            continue;
        }
        if (s[0] == '%' || is_keyword_line(s))
            continue;
        if (strncmp(s, "NEXTLEVEL", 9) == 0) {
            if (++level > 1)
                drop[line] = 1;
            continue;
        }
        pats[npats].line = line;
        pats[npats].level = level;
        pats[npats].key = keys + nkey;
        for (size_t k = 0; k < len && (unsigned char)s[k] > ' ' &&
                           s[k] != '/'; k++)
            if (s[k] < '0' || s[k] > '9')
                keys[nkey++] = s[k];
        pats[npats].keylen = (size_t)(keys + nkey - pats[npats].key);
        npats++;
    }
    drop_repeats(pats, npats, drop);
    line = 0;
    for (size_t i = 0; i < text.len; line++) {
        const char *s = text.data + i;
        size_t len = line_length(s, text.len - i);

        i += len + 1;
        if (!drop[line]) {
            oc_buf_put(out, s, len);
            oc_buf_put(out, "\n", 1);
        }
    }
    free(keys);
    free(pats);
    free(drop);
    oc_buf_free(&text);
    return OC_OK;
}

/* ---- patterns completed with their substrings ---- */

/* The patterns of a file in a trie of their letters (bytes, digits taken
 * out), made an Aho-Corasick automaton: each node's failure link (the
 * longest proper suffix of its path that is a path too) and output link
 * (the longest proper suffix that ends a pattern). Node 0 is the root.
 * A node's path is letters[0..len) of the first pattern through it. */
typedef struct pnode {
    int            child, sibling;  /* first child, next sibling: 0 none */
    int            fail, out;       /* out: 0 none */
    size_t         len;
    const char    *letters;
    unsigned char *digits;          /* a pattern ending here: the digit
                                       before each letter and after the
                                       last, [len + 1]; else NULL */
    unsigned char *merged;          /* the completed prefix's, or NULL */
    unsigned char  ch;
} pnode;

typedef struct ptrie {
    pnode *nodes;
    int    n, cap;
    int    root[256];               /* the root's children by byte */
    int   *pats, npats;             /* pattern nodes, first seen first */
    int   *outs, nouts;             /* completed prefixes, likewise */
    oc_arena *a;                    /* the digit arrays */
} ptrie;

static int
ptrie_child(const ptrie *t, int at, unsigned char ch)
{
    if (at == 0)
        return t->root[ch];
    for (int k = t->nodes[at].child; k != 0; k = t->nodes[k].sibling)
        if (t->nodes[k].ch == ch)
            return k;
    return 0;
}

/* The node of letters l[0..len), made with the nodes on its way. */
static int
ptrie_add(ptrie *t, const char *l, size_t len)
{
    int at = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)l[i];
        int next = ptrie_child(t, at, ch);

        if (next == 0) {
            if (t->n == t->cap) {
                t->cap *= 2;
                t->nodes = oc_xrealloc(t->nodes,
                                       (size_t)t->cap * sizeof *t->nodes);
            }
            next = t->n++;
            t->nodes[next] = (pnode){ 0, t->nodes[at].child, 0, 0, i + 1,
                                      l, NULL, NULL, ch };
            t->nodes[at].child = next;
            if (at == 0)
                t->root[ch] = next;
        }
        at = next;
    }
    return at;
}

/* The state after byte ch from 'at', failure links followed. */
static int
ptrie_step(const ptrie *t, int at, unsigned char ch)
{
    int next;

    while ((next = ptrie_child(t, at, ch)) == 0 && at != 0)
        at = t->nodes[at].fail;
    return next;
}

/* Failure and output links, breadth first: a node's come from its
 * parent's. */
static void
ptrie_link(ptrie *t)
{
    int *queue = oc_xmalloc((size_t)t->n * sizeof *queue);
    int head = 0, tail = 0;

    for (int k = t->nodes[0].child; k != 0; k = t->nodes[k].sibling)
        queue[tail++] = k;
    while (head < tail) {
        int u = queue[head++];

        for (int v = t->nodes[u].child; v != 0; v = t->nodes[v].sibling) {
            int f = ptrie_step(t, t->nodes[u].fail, t->nodes[v].ch);

            t->nodes[v].fail = f;
            t->nodes[v].out = t->nodes[f].digits ? f : t->nodes[f].out;
            queue[tail++] = v;
        }
    }
    free(queue);
}

static void
ptrie_free(ptrie *t)
{
    oc_arena_free(t->a);
    free(t->nodes);
    free(t->pats);
    free(t->outs);
}

/* libhyphen's automaton applies, where a pattern ends, only that
 * pattern's digits, not those of the shorter patterns ending there too;
 * so its files are made with substrings.pl, which gives every prefix of
 * a pattern at which another ends the digits of all of them. Some files
 * Debian ships are TeX's patterns as they are (Russian's: «только» had
 * no break, «вырезает» none): 'text' (read_patterns's) gets the prefixes
 * it lacks, computed as substrings.pl does. A file made with it comes
 * out the same; one with replacements ('/') or a second level of
 * patterns (NEXTLEVEL) is left alone. */
static void
complete_substrings(oc_buf *text)
{
    ptrie t;
    oc_buf done = {0};
    char *letters;

    if (text->len == 0 || memchr(text->data, '/', text->len) != NULL ||
        strstr(text->data, "NEXTLEVEL") != NULL)
        return;
    letters = oc_xmalloc(text->len + 1);
    memset(&t, 0, sizeof t);
    t.cap = 1024;
    t.nodes = oc_xcalloc((size_t)t.cap, sizeof *t.nodes);
    t.n = 1;
    t.pats = oc_xmalloc((text->len + 1) * sizeof *t.pats);
    t.a = oc_arena_new();
    /* The patterns, by their letters (a repeated one's digits merged). */
    for (size_t i = 0, nl = 0, line = 0; i < text->len; line++) {
        const char *s = text->data + i;
        size_t len = line_length(s, text->len - i), n = 0;
        unsigned char digit = 0, *dg;
        char *at = letters + nl;
        int node;

        i += len + 1;
        if (line == 0 || is_keyword_line(s)) {
            oc_buf_put(&done, s, len);      /* the encoding, the minimums */
            oc_buf_put(&done, "\n", 1);
            continue;
        }
        while (len > 0 && (unsigned char)s[len - 1] <= ' ')
            len--;
        if (len == 0 || s[0] == '%')
            continue;
        for (size_t k = 0; k < len; k++)
            if (s[k] < '0' || s[k] > '9')
                at[n++] = s[k];
        node = ptrie_add(&t, at, n);
        if (t.nodes[node].digits == NULL) {
            t.nodes[node].digits = oc_arena_alloc(t.a, n + 1);
            t.pats[t.npats++] = node;
        }
        dg = t.nodes[node].digits;
        nl += n;
        n = 0;
        for (size_t k = 0; k < len; k++) {
            if (s[k] >= '0' && s[k] <= '9') {
                digit = (unsigned char)(s[k] - '0');
                continue;
            }
            if (digit > dg[n])
                dg[n] = digit;
            digit = 0;
            n++;
        }
        if (digit > dg[n])
            dg[n] = digit;
    }
    /* Every prefix of a pattern at whose end another pattern ends, with
     * the digits of all that end there (the pattern itself among them):
     * the prefix's node, and the patterns its output links lead to, the
     * longest first. (Patterns are whole characters: a match starts and
     * ends on a character boundary.) */
    ptrie_link(&t);
    t.outs = oc_xmalloc((size_t)t.n * sizeof *t.outs);
    for (int p = 0; p < t.npats; p++) {
        const pnode *whole = &t.nodes[t.pats[p]];
        int at = 0;

        for (size_t e = 1; e <= whole->len; e++) {
            pnode *pre;

            at = ptrie_child(&t, at, (unsigned char)whole->letters[e - 1]);
            pre = &t.nodes[at];
            for (int m = pre->digits ? at : pre->out; m > 0;
                 m = t.nodes[m].out) {
                const pnode *q = &t.nodes[m];
                size_t b = e - q->len;

                if (pre->merged == NULL) {
                    pre->merged = oc_arena_alloc(t.a, e + 1);
                    t.outs[t.nouts++] = at;
                }
                for (size_t d = 0; d <= q->len; d++)
                    if (q->digits[d] > pre->merged[b + d])
                        pre->merged[b + d] = q->digits[d];
            }
        }
    }
    for (int o = 0; o < t.nouts; o++) {
        const pnode *pre = &t.nodes[t.outs[o]];
        char *out;

        oc_buf_reserve(&done, 2 * pre->len + 2);
        out = done.data + done.len;

        for (size_t k = 0; k <= pre->len; k++) {
            if (pre->merged[k] != 0)
                *out++ = (char)('0' + pre->merged[k]);
            if (k < pre->len)
                *out++ = pre->letters[k];
        }
        *out++ = '\n';
        *out = '\0';
        done.len = (size_t)(out - done.data);
    }
    ptrie_free(&t);
    free(letters);
    oc_buf_free(text);
    *text = done;
}

/* The dictionary of file 'path' (stat'ed as 'sb') for language 'lang',
 * compiled; owned by the caller. */
static oc_status
compile_dict(const char *path, const struct stat *sb, const char *lang,
             oc_hyphen_dict **out, oc_error *err)
{
    oc_hyphen_dict *d;
    oc_buf clean = {0};
    oc_status st;

    d = oc_xcalloc(1, sizeof *d);
    d->path = oc_xstrdup(path);
    d->dev = sb->st_dev;
    d->ino = sb->st_ino;
    if ((st = read_patterns(path, &clean, err)) != OC_OK)
        goto fail;
    complete_substrings(&clean);
    if (clean.len == 0) {
        st = oc_error_set(err, OC_ERR_IO, path, 0, 0, "empty file");
        goto fail;
    }
    d->hd = oc_hyphen_build(clean.data, clean.len);
    oc_buf_free(&clean);
    d->utf8 = d->hd->utf8 != 0;
    /* TeX's righthyphenmin for the language (hyph-utf8): 2 for these,
     * whose pattern files do not say, and 3, English's, for the rest. */
    {
        char key[16];

        snprintf(key, sizeof key, " %s ", lang);
        d->right_min = strstr(" be da de hu it lt lv nb nl nn no pl ro ru "
                              "uk ", key) != NULL ? 2 : 3;
    }
    /* German and Luxembourgish capitalise every noun. */
    d->caps = strcmp(lang, "de") == 0 || strcmp(lang, "lb") == 0 ||
              strcmp(lang, "gsw") == 0;
    if (!d->utf8 && (st = map_encoding(d, err)) != OC_OK)
        goto fail;
    *out = d;
    return OC_OK;
fail:
    oc_buf_free(&clean);
    dict_free(d);
    return st;
}

static oc_hyphen_dict *prime_take(oc_hyphen_prime *p, const struct stat *sb,
                                  const char *lang);

static oc_status
load_dict(oc_hyphen_cache *c, const char *path, const char *lang,
          oc_hyphen_dict **out, oc_error *err)
{
    struct stat sb;
    oc_hyphen_dict *d;
    oc_status st;

    if (stat(path, &sb) != 0)
        return oc_error_set(err, OC_ERR_IO, path, 0, 0, "%s",
                            strerror(errno));
    for (size_t i = 0; i < c->ndicts; i++) {
        if (c->dicts[i]->dev == sb.st_dev && c->dicts[i]->ino == sb.st_ino) {
            *out = c->dicts[i];
            return OC_OK;
        }
    }
    if ((d = prime_take(c->prime, &sb, lang)) == NULL) {
        if ((st = compile_dict(path, &sb, lang, &d, err)) != OC_OK)
            return st;
        c->ncompiled++;
    }
    if (c->ndicts == c->dcap) {
        c->dcap = c->dcap ? 2 * c->dcap : 4;
        c->dicts = oc_xrealloc(c->dicts, c->dcap * sizeof *c->dicts);
    }
    c->dicts[c->ndicts++] = d;
    *out = d;
    return OC_OK;
}

static tag_entry *
remember(oc_hyphen_cache *c, const char *tag, oc_hyphen_dict *d)
{
    tag_entry *t;

    if (c->ntags == c->tcap) {
        c->tcap = c->tcap ? 2 * c->tcap : 8;
        c->tags = oc_xrealloc(c->tags, c->tcap * sizeof *c->tags);
    }
    t = &c->tags[c->ntags++];
    memset(t, 0, sizeof *t);
    t->tag = oc_xstrdup(tag);
    t->dict = d;
    return t;
}

/* 'lang' in lower case with '-' for '_', into norm[64]; 0 if too long. */
static int
normalise_tag(const char *lang, char norm[64])
{
    size_t n = strlen(lang);

    if (n >= 64)
        return 0;
    for (size_t i = 0; i <= n; i++) {
        char ch = lang[i];

        norm[i] = ch == '_' ? '-' : (ch >= 'A' && ch <= 'Z')
                                    ? (char)(ch - 'A' + 'a') : ch;
    }
    return 1;
}

static tag_entry *
lookup_tag(oc_hyphen_cache *c, const char *norm)
{
    for (size_t i = 0; i < c->ntags; i++)
        if (strcmp(c->tags[i].tag, norm) == 0)
            return &c->tags[i];
    return NULL;
}

oc_status
oc_hyphen_load(oc_hyphen_cache *c, const char *lang,
               const oc_hyphen_dict **out, oc_error *err)
{
    char norm[64];
    char ll[4];
    char script[5];
    char region[4];
    char path[PATH_MAX];
    const char *alias;
    oc_hyphen_dict *d = NULL;
    tag_entry *t;
    oc_status st = OC_OK;
    int found = 0;

    *out = NULL;
    if (lang == NULL || lang[0] == '\0')
        return OC_OK;
    if (!normalise_tag(lang, norm))
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "language tag '%.40s...' is too long", lang);
    if ((t = lookup_tag(c, norm)) != NULL) {
        *out = t->dict;
        return OC_OK;
    }
    if (!parse_tag(norm, ll, script, region)) {
        st = oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                          "'%s' is not a language tag", lang);
        ll[0] = '\0';
    }
    alias = language_alias(ll);
    if (st == OC_OK && ll[0] != '\0' && !is_unhyphenated(ll) &&
        (found = find_file(c->dir, alias, script, region, path,
                           sizeof path)))
        st = load_dict(c, path, alias, &d, err);
    t = remember(c, norm, d);
    snprintf(t->lang, sizeof t->lang, "%s", alias);
    t->missing = st == OC_OK && !found && ll[0] != '\0' &&
                 !is_unhyphenated(ll);
    *out = d;
    return st;
}

/* ---- a dictionary compiled ahead ---- */

oc_hyphen_prime *
oc_hyphen_prime_new(const char *lang)
{
    oc_hyphen_prime *p = oc_xcalloc(1, sizeof *p);

    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    oc_hyphen_prime_add(p, lang);
    return p;
}

void
oc_hyphen_prime_add(oc_hyphen_prime *p, const char *lang)
{
    char norm[64], ll[4], script[5], region[4];
    prime_entry *e;

    if (lang == NULL || !normalise_tag(lang, norm))
        return;
    pthread_mutex_lock(&p->lock);
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->e[i].lang, norm) == 0) {
            pthread_mutex_unlock(&p->lock);
            return;
        }
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 4;
        p->e = oc_xrealloc(p->e, p->cap * sizeof *p->e);
    }
    e = &p->e[p->n++];
    memset(e, 0, sizeof *e);
    e->lang = oc_xstrdup(norm);
    if (parse_tag(norm, ll, script, region) && ll[0] != '\0' &&
        !is_unhyphenated(ll))
        snprintf(e->alias, sizeof e->alias, "%s", language_alias(ll));
    pthread_mutex_unlock(&p->lock);
}

/* Was file 'sb' compiled for an entry before 'k', whether a cache took
 * its dictionary yet or not (lock held)? */
static bool
compiled_before(const oc_hyphen_prime *p, size_t k, const struct stat *sb)
{
    for (size_t i = 0; i < k; i++)
        if (p->e[i].compiled && p->e[i].dev == sb->st_dev &&
            p->e[i].ino == sb->st_ino)
            return true;
    return false;
}

void
oc_hyphen_prime_run(oc_hyphen_prime *p, const char *dir)
{
    char norm[64], ll[4], script[5], region[4], path[PATH_MAX];

    pthread_mutex_lock(&p->lock);
    for (size_t k = 0; k < p->n; k++) {
        prime_entry *e = &p->e[k];
        oc_hyphen_dict *d = NULL;
        oc_error err = {0};
        struct stat sb;
        bool found;

        if (e->state != PRIME_WAITING)
            continue;
        e->state = PRIME_COMPILING;
        pthread_mutex_unlock(&p->lock);
        /* As oc_hyphen_load finds the file; a failure leaves nothing,
         * for the layout's own load to tell. */
        found = e->alias[0] != '\0' && normalise_tag(e->lang, norm) &&
                parse_tag(norm, ll, script, region) &&
                find_file(dir != NULL ? dir : OC_HYPHEN_DIR, e->alias,
                          script, region, path, sizeof path) &&
                stat(path, &sb) == 0;
        pthread_mutex_lock(&p->lock);
        /* A tag whose file an entry before compiled ("de", then
         * "de-DE") has nothing of its own. */
        found = found && !compiled_before(p, k, &sb);
        pthread_mutex_unlock(&p->lock);
        if (found && compile_dict(path, &sb, e->alias, &d, &err) != OC_OK)
            d = NULL;
        pthread_mutex_lock(&p->lock);
        e = &p->e[k];
        e->dict = d;
        if (d != NULL) {
            e->compiled = true;
            e->dev = sb.st_dev;
            e->ino = sb.st_ino;
        }
        e->state = PRIME_DONE;
        pthread_cond_broadcast(&p->cond);
    }
    pthread_mutex_unlock(&p->lock);
}

size_t
oc_hyphen_prime_compiled(oc_hyphen_prime *p)
{
    size_t n = 0;

    pthread_mutex_lock(&p->lock);
    for (size_t k = 0; k < p->n; k++)
        n += p->e[k].compiled;
    pthread_mutex_unlock(&p->lock);
    return n;
}

void
oc_hyphen_prime_cancel(oc_hyphen_prime *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    for (size_t k = 0; k < p->n; k++)
        if (p->e[k].state == PRIME_WAITING)
            p->e[k].state = PRIME_TAKEN;
    pthread_mutex_unlock(&p->lock);
}

void
oc_hyphen_prime_free(oc_hyphen_prime *p)
{
    if (p == NULL)
        return;
    for (size_t k = 0; k < p->n; k++) {
        dict_free(p->e[k].dict);
        free(p->e[k].lang);
    }
    free(p->e);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->cond);
    free(p);
}

size_t
oc_hyphen_cache_compiled(const oc_hyphen_cache *c)
{
    return c->ncompiled;
}

void
oc_hyphen_cache_prime(oc_hyphen_cache *c, oc_hyphen_prime *p)
{
    c->prime = p;
}

/* The dictionary primed for language 'lang' (as files name it), if it is
 * of file 'sb' and no cache took it yet: the caller's then. One being
 * compiled is waited for; one not begun is left to the caller, which
 * compiles it itself rather than wait for the others before it. */
static oc_hyphen_dict *
prime_take(oc_hyphen_prime *p, const struct stat *sb, const char *lang)
{
    oc_hyphen_dict *d = NULL;

    if (p == NULL)
        return NULL;
    pthread_mutex_lock(&p->lock);
    for (size_t k = 0; k < p->n && d == NULL; k++) {
        if (strcmp(p->e[k].alias, lang) != 0)
            continue;
        if (p->e[k].state == PRIME_WAITING)
            p->e[k].state = PRIME_TAKEN;
        while (p->e[k].state == PRIME_COMPILING)
            pthread_cond_wait(&p->cond, &p->lock);
        if (p->e[k].state == PRIME_DONE && p->e[k].dict != NULL &&
            p->e[k].dict->dev == sb->st_dev &&
            p->e[k].dict->ino == sb->st_ino) {
            d = p->e[k].dict;
            p->e[k].dict = NULL;
        }
    }
    pthread_mutex_unlock(&p->lock);
    return d;
}

bool
oc_hyphen_first_missing(oc_hyphen_cache *c, const char *lang)
{
    char norm[64];
    const oc_hyphen_dict *d;
    oc_error err = {0};
    tag_entry *t;

    if (lang == NULL || !normalise_tag(lang, norm))
        return false;
    if ((t = lookup_tag(c, norm)) == NULL) {
        if (oc_hyphen_load(c, lang, &d, &err) != OC_OK)
            return false;
        t = lookup_tag(c, norm);
    }
    if (t == NULL || !t->missing)
        return false;
    for (size_t i = 0; i < c->nmissed; i++)
        if (strcmp(c->missed[i], t->lang) == 0)
            return false;
    c->missed = oc_xrealloc(c->missed, (c->nmissed + 1) * sizeof *c->missed);
    memcpy(c->missed[c->nmissed++], t->lang, sizeof t->lang);
    return true;
}

/* One run of letters, [s, e) in cps/offs, looked up and filtered. */
static int
hyphenate_part(const oc_hyphen_dict *d, const oc_hyphen_opts *o,
               const uint32_t *cps, const size_t *offs, int s, int e,
               int *points, int max)
{
    char buf[OC_HYPHEN_MAX_WORD * 4 + 1];
    char hyphens[OC_HYPHEN_MAX_WORD * 4 + 5];
    int before[OC_HYPHEN_MAX_WORD + 1];   /* letters before char s + k */
    size_t len = 0;
    char **rep = NULL;
    int *pos = NULL;
    int *cut = NULL;
    int letters = 0;
    int caps;
    int mark = 0;
    int npoints = 0;

    for (int j = s; j < e; j++) {
        before[j - s] = letters;
        letters += !g_unichar_ismark(cps[j]);
    }
    before[e - s] = letters;
    if (letters < o->min_letters)
        return 0;
    caps = o->capitalized == OC_HYPHEN_CAPS_ALWAYS ||
           (o->capitalized != OC_HYPHEN_CAPS_NEVER && d->caps);
    if (!caps && (g_unichar_isupper(cps[s]) || g_unichar_istitle(cps[s]))) {
        if (o->capitalized != OC_HYPHEN_CAPS_LAST)
            return 0;
        mark = OC_HYPHEN_CAPITAL;
    }
    for (int j = s; j < e; j++) {
        gunichar lc = g_unichar_tolower(cps[j]);

        if (d->utf8) {
            len += (size_t)g_unichar_to_utf8(lc, buf + len);
        } else if (lc < 0x80) {
            buf[len++] = (char)lc;
        } else {
            int b = 0;

            while (b < 128 && d->high[b] != lc)
                b++;
            if (b == 128)
                return 0;               /* not in the patterns' alphabet */
            buf[len++] = (char)(0x80 + b);
        }
    }
    buf[len] = '\0';                    /* libhyphen uses strstr on it */
    memset(hyphens, 0, len + 5);
    if (hnj_hyphen_hyphenate2(d->hd, buf, (int)len, hyphens, NULL, &rep,
                              &pos, &cut) != 0)
        goto out;
    /* hyphens[k] odd: a break after character k (UTF-8 dictionaries
     * report per character, 8-bit ones per byte, which is the same). */
    for (int k = 0; k + 1 < e - s && npoints < max; k++) {
        if (!(hyphens[k] & 1) || (rep != NULL && rep[k] != NULL))
            continue;
        if (before[k + 1] < o->left_min ||
            letters - before[k + 1] < o->right_min)
            continue;
        if (g_unichar_ismark(cps[s + k + 1]))
            continue;
        points[npoints++] = (int)offs[s + k + 1] | mark;
    }
out:
    if (rep != NULL) {
        for (size_t i = 0; i < len; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    return npoints;
}

static int
is_apostrophe(uint32_t c)
{
    return c == '\'' || c == 0x2019;
}

static int
is_letter(uint32_t c)
{
    return g_unichar_isalpha(c) || g_unichar_ismark(c);
}

int
oc_hyphen_word(const oc_hyphen_dict *d, const oc_hyphen_opts *opts,
               const char *word, size_t len, int *points, int max)
{
    uint32_t cps[OC_HYPHEN_MAX_WORD];
    size_t offs[OC_HYPHEN_MAX_WORD + 1];
    oc_hyphen_opts o = {2, d != NULL ? d->right_min : 3, 5,
                        OC_HYPHEN_CAPS_AUTO};
    int n = 0;
    int first = -1;
    int last = -1;
    int npoints = 0;
    int s;

    if (d == NULL || word == NULL || max <= 0 || len > INT_MAX)
        return 0;
    if (opts != NULL) {
        o.left_min = opts->left_min > 0 ? opts->left_min : o.left_min;
        o.right_min = opts->right_min > 0 ? opts->right_min : o.right_min;
        o.min_letters = opts->min_letters > 0 ? opts->min_letters
                                              : o.min_letters;
        o.capitalized = opts->capitalized;
    }
    for (size_t i = 0; i < len;) {
        size_t k;
        uint32_t c = decode_utf8((const unsigned char *)word + i, len - i,
                                 &k);
        GUnicodeType t;

        if (k == 0 || n == OC_HYPHEN_MAX_WORD)
            return 0;
        t = g_unichar_type(c);
        if (t == G_UNICODE_DECIMAL_NUMBER || t == G_UNICODE_LETTER_NUMBER ||
            t == G_UNICODE_OTHER_NUMBER || t == G_UNICODE_DASH_PUNCTUATION ||
            c == 0xad)
            return 0;
        if (g_unichar_isalpha(c) || (first >= 0 && g_unichar_ismark(c))) {
            if (first < 0)
                first = n;
            last = n;
        }
        cps[n] = c;
        offs[n] = i;
        n++;
        i += k;
    }
    offs[n] = len;
    if (first < 0)
        return 0;
    /* Inside the word: letters, marks, apostrophes between parts. */
    for (int j = first; j <= last; j++)
        if (!is_letter(cps[j]) && !is_apostrophe(cps[j]))
            return 0;
    s = first;
    for (int j = first; j <= last + 1; j++) {
        if (j <= last && is_letter(cps[j]))
            continue;
        if (j > s)
            npoints += hyphenate_part(d, &o, cps, offs, s, j,
                                      points + npoints, max - npoints);
        s = j + 1;
    }
    return npoints;
}

static int
is_shy(const char *s, size_t i, size_t len)
{
    return i + 1 < len && (unsigned char)s[i] == 0xc2 &&
           (unsigned char)s[i + 1] == 0xad;
}

int
oc_hyphen_soft_points(const char *word, size_t len, int *points, int max)
{
    int n = 0;
    int text_before = 0;
    size_t end = len;                   /* after the last non-SHY byte */

    if (word == NULL || len > INT_MAX)
        return 0;
    while (end >= 2 && is_shy(word, end - 2, len))
        end -= 2;
    for (size_t i = 0; i < end && n < max; i++) {
        if (!is_shy(word, i, len)) {
            text_before = 1;
            continue;
        }
        i++;
        /* One point after a run of soft hyphens, with text both sides. */
        if (text_before && i + 1 < end && !is_shy(word, i + 1, len))
            points[n++] = (int)(i + 1);
    }
    return n;
}
