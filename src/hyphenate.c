/* hyphenate.c - BCP 47 tag -> libhyphen dictionary; UTF-8 word -> byte
 * offsets of its hyphenation points (Liang's patterns); soft hyphens. */
#include "hyphenate.h"

#include <hyphen.h>    /* libhyphen's: src/ is a quote-only include path */

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "buf.h"
#include "error.h"

#define HNJ_LINE_MAX 99     /* libhyphen skips longer lines, on stderr */

struct oc_hyphen_dict {
    char       *path;       /* the first path it was found under */
    dev_t       dev;        /* the file, whatever links lead to it */
    ino_t       ino;
    HyphenDict *hd;
    int         utf8;
    int         caps;       /* the language capitalises nouns */
    uint32_t    high[128];  /* 8-bit encodings: code point of each byte
                             * 0x80..0xFF, 0 where there is none */
};

typedef struct tag_entry {
    char           *tag;    /* normalised: lower case, '-' */
    oc_hyphen_dict *dict;   /* NULL: no patterns (or they failed) */
} tag_entry;

struct oc_hyphen_cache {
    char            *dir;
    tag_entry       *tags;
    size_t           ntags, tcap;
    oc_hyphen_dict **dicts;
    size_t           ndicts, dcap;
};

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
    for (size_t i = 0; i < c->ndicts; i++) {
        hnj_hyphen_free(c->dicts[i]->hd);
        free(c->dicts[i]->path);
        free(c->dicts[i]);
    }
    for (size_t i = 0; i < c->ntags; i++)
        free(c->tags[i].tag);
    free(c->dicts);
    free(c->tags);
    free(c->dir);
    free(c);
}

const char *
oc_hyphen_dict_path(const oc_hyphen_dict *d)
{
    return d->path;
}

/* Split a tag into its language ("en") and region ("GB", "419"; "" if
 * none). Returns 0 if the tag is malformed. RFC 5646 §2.1: subtags of
 * 1-8 letters or digits; the language first, then optional extended
 * language (3 letters), script (4) and region (2 letters or 3 digits),
 * then variants and singleton-led extensions that do not matter here. */
static int
parse_tag(const char *norm, char lang[4], char region[4])
{
    const char *s = norm;
    int index = 0;

    lang[0] = region[0] = '\0';
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

/* Whether 'path' names a file (reading it may still fail, loudly). */
static int
file_exists(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The first hyph_<lang>_*.dic in 'dir' in name order, or "". */
static void
scan_for_language(const char *dir, const char *lang, char *out, size_t size)
{
    char prefix[16];
    DIR *d = opendir(dir);
    struct dirent *e;

    out[0] = '\0';
    if (d == NULL)
        return;
    snprintf(prefix, sizeof prefix, "hyph_%s_", lang);
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

/* Find the dictionary file for a language: the order in hyphenate.h. */
static int
find_file(const char *dir, const char *lang, const char *region,
          char *path, size_t size)
{
    static const struct {
        const char *lang, *region;
    } preferred[] = {{"en", "US"}, {"de", "DE"}};
    char names[4][32];
    char found[256];
    size_t nnames = 0;

    if (region[0] != '\0')
        snprintf(names[nnames++], sizeof names[0], "hyph_%s_%s.dic", lang,
                 region);
    for (size_t i = 0; i < sizeof preferred / sizeof preferred[0]; i++)
        if (strcmp(lang, preferred[i].lang) == 0)
            snprintf(names[nnames++], sizeof names[0], "hyph_%s_%s.dic",
                     lang, preferred[i].region);
    snprintf(names[nnames++], sizeof names[0], "hyph_%s.dic", lang);
    if (strlen(lang) == 2)
        snprintf(names[nnames++], sizeof names[0], "hyph_%s_%c%c.dic", lang,
                 lang[0] - 'a' + 'A', lang[1] - 'a' + 'A');
    for (size_t i = 0; i < nnames; i++) {
        snprintf(path, size, "%s/%s", dir, names[i]);
        if (file_exists(path))
            return 1;
    }
    scan_for_language(dir, lang, found, sizeof found);
    if (found[0] == '\0')
        return 0;
    snprintf(path, size, "%s/%s", dir, found);
    return file_exists(path);
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

static int
compare_patterns(const void *a, const void *b)
{
    const pattern_line *x = a;
    const pattern_line *y = b;
    size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
    int d;

    if (x->level != y->level)
        return x->level - y->level;
    d = memcmp(x->key, y->key, n);
    if (d != 0)
        return d;
    if (x->keylen != y->keylen)
        return x->keylen < y->keylen ? -1 : 1;
    return x->line < y->line ? 1 : x->line > y->line ? -1 : 0;
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

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strncmp(s, words[i], strlen(words[i])) == 0)
            return 1;
    return 0;
}

/* libhyphen 2.8 leaks the earlier of two patterns with the same letters
 * (the later one replaces it: the German file has 170 such lines, most
 * of them its '#' comments, which libhyphen reads as patterns), and it
 * prints to stderr about lines too long for its buffer, which it skips.
 * So it gets the file without those lines, and builds the same
 * automaton from it. */
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
            drop[line] = 1;             /* libhyphen would skip it */
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
    qsort(pats, npats, sizeof *pats, compare_patterns);
    /* Sorted newest first among equal letters: keep the first of each. */
    for (size_t k = 1; k < npats; k++)
        if (pats[k - 1].level == pats[k].level &&
            pats[k - 1].keylen == pats[k].keylen &&
            memcmp(pats[k - 1].key, pats[k].key, pats[k].keylen) == 0)
            drop[pats[k].line] = 1;
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

static oc_status
load_dict(oc_hyphen_cache *c, const char *path, const char *lang,
          oc_hyphen_dict **out, oc_error *err)
{
    struct stat sb;
    oc_hyphen_dict *d;
    oc_buf clean = {0};
    FILE *f;
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
    d = oc_xcalloc(1, sizeof *d);
    d->path = oc_xstrdup(path);
    d->dev = sb.st_dev;
    d->ino = sb.st_ino;
    if ((st = read_patterns(path, &clean, err)) != OC_OK)
        goto fail;
    f = clean.len ? fmemopen(clean.data, clean.len, "r") : NULL;
    if (f == NULL) {
        st = oc_error_set(err, OC_ERR_IO, path, 0, 0, "%s",
                          clean.len ? strerror(errno) : "empty file");
        goto fail;
    }
    d->hd = hnj_hyphen_load_file(f);
    fclose(f);
    oc_buf_free(&clean);
    if (d->hd == NULL) {
        st = oc_error_set(err, OC_ERR_LIB, path, 0, 0,
                          "libhyphen cannot load these patterns");
        goto fail;
    }
    d->utf8 = d->hd->utf8 != 0;
    /* German and Luxembourgish capitalise every noun. */
    d->caps = strcmp(lang, "de") == 0 || strcmp(lang, "lb") == 0 ||
              strcmp(lang, "gsw") == 0;
    if (!d->utf8 && (st = map_encoding(d, err)) != OC_OK)
        goto fail;
    if (c->ndicts == c->dcap) {
        c->dcap = c->dcap ? 2 * c->dcap : 4;
        c->dicts = oc_xrealloc(c->dicts, c->dcap * sizeof *c->dicts);
    }
    c->dicts[c->ndicts++] = d;
    *out = d;
    return OC_OK;
fail:
    oc_buf_free(&clean);
    if (d->hd != NULL)
        hnj_hyphen_free(d->hd);
    free(d->path);
    free(d);
    return st;
}

static void
remember(oc_hyphen_cache *c, const char *tag, oc_hyphen_dict *d)
{
    if (c->ntags == c->tcap) {
        c->tcap = c->tcap ? 2 * c->tcap : 8;
        c->tags = oc_xrealloc(c->tags, c->tcap * sizeof *c->tags);
    }
    c->tags[c->ntags].tag = oc_xstrdup(tag);
    c->tags[c->ntags].dict = d;
    c->ntags++;
}

oc_status
oc_hyphen_load(oc_hyphen_cache *c, const char *lang,
               const oc_hyphen_dict **out, oc_error *err)
{
    char norm[64];
    char ll[4];
    char region[4];
    char path[PATH_MAX];
    oc_hyphen_dict *d = NULL;
    size_t n;
    oc_status st = OC_OK;

    *out = NULL;
    if (lang == NULL || lang[0] == '\0')
        return OC_OK;
    n = strlen(lang);
    if (n >= sizeof norm)
        return oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                            "language tag '%.40s...' is too long", lang);
    for (size_t i = 0; i <= n; i++) {
        char ch = lang[i];

        norm[i] = ch == '_' ? '-' : (ch >= 'A' && ch <= 'Z')
                                    ? (char)(ch - 'A' + 'a') : ch;
    }
    for (size_t i = 0; i < c->ntags; i++) {
        if (strcmp(c->tags[i].tag, norm) == 0) {
            *out = c->tags[i].dict;
            return OC_OK;
        }
    }
    if (!parse_tag(norm, ll, region)) {
        st = oc_error_set(err, OC_ERR_INVALID, NULL, 0, 0,
                          "'%s' is not a language tag", lang);
    } else if (ll[0] != '\0' && strcmp(ll, "und") != 0 &&
               find_file(c->dir, ll, region, path, sizeof path)) {
        st = load_dict(c, path, ll, &d, err);
    }
    remember(c, norm, d);
    *out = d;
    return st;
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
    int npoints = 0;

    for (int j = s; j < e; j++) {
        before[j - s] = letters;
        letters += !g_unichar_ismark(cps[j]);
    }
    before[e - s] = letters;
    if (letters < o->min_letters)
        return 0;
    caps = o->capitalized == OC_HYPHEN_CAPS_ALWAYS ||
           (o->capitalized == OC_HYPHEN_CAPS_AUTO && d->caps);
    if (!caps && (g_unichar_isupper(cps[s]) || g_unichar_istitle(cps[s])))
        return 0;
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
        points[npoints++] = (int)offs[s + k + 1];
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
    oc_hyphen_opts o = {2, 3, 5, OC_HYPHEN_CAPS_AUTO};
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
