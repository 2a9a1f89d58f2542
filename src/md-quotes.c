/* md-quotes.c - smart quotes by language: cmark-gfm curls straight
 * quotes the English way (“ ” ‘ ’); a chapter in another language gets
 * its own (CLDR's delimiters: « » in French, with a narrow no-break space
 * inside, and in Russian; „ “ in German; 「 」 in Japanese...). */
#include "md-int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"

#define LDQ "\xe2\x80\x9c"      /* “ */
#define RDQ "\xe2\x80\x9d"      /* ” */
#define LSQ "\xe2\x80\x98"      /* ‘ */
#define RSQ "\xe2\x80\x99"      /* ’ */
#define LAQ "\xc2\xab"          /* « */
#define RAQ "\xc2\xbb"          /* » */
#define NNBSP "\xe2\x80\xaf"    /* narrow no-break space */
/* 「 」 『 』, where a ’ between letters is no apostrophe */
#define CORNERS {"\xe3\x80\x8c", "\xe3\x80\x8d", "\xe3\x80\x8e", \
                 "\xe3\x80\x8f", false, true}

static const struct {
    const char *lang;           /* a language subtag, or a whole tag */
    md_quotes   q;
} by_lang[] = {
    {"de-ch", {LAQ, RAQ, "\xe2\x80\xb9", "\xe2\x80\xba", false, false}},
    {"de", {"\xe2\x80\x9e", LDQ, "\xe2\x80\x9a", LSQ, false, false}},
    {"fr", {LAQ, RAQ, LDQ, RDQ, true, false}},
    {"ru", {LAQ, RAQ, "\xe2\x80\x9e", LDQ, false, false}},
    {"uk", {LAQ, RAQ, "\xe2\x80\x9e", LDQ, false, false}},
    {"be", {LAQ, RAQ, "\xe2\x80\x9e", LDQ, false, false}},
    {"es", {LAQ, RAQ, LDQ, RDQ, false, false}},
    {"it", {LAQ, RAQ, LDQ, RDQ, false, false}},
    {"ca", {LAQ, RAQ, LDQ, RDQ, false, false}},
    {"el", {LAQ, RAQ, LDQ, RDQ, false, false}},
    {"pl", {"\xe2\x80\x9e", RDQ, LAQ, RAQ, false, false}},
    {"cs", {"\xe2\x80\x9e", LDQ, "\xe2\x80\x9a", LSQ, false, false}},
    {"sk", {"\xe2\x80\x9e", LDQ, "\xe2\x80\x9a", LSQ, false, false}},
    {"hu", {"\xe2\x80\x9e", RDQ, RAQ, LAQ, false, false}},
    {"sv", {RDQ, RDQ, RSQ, RSQ, false, false}},
    {"fi", {RDQ, RDQ, RSQ, RSQ, false, false}},
    {"nb", {LAQ, RAQ, LSQ, RSQ, false, false}},
    {"nn", {LAQ, RAQ, LSQ, RSQ, false, false}},
    {"no", {LAQ, RAQ, LSQ, RSQ, false, false}},
    {"ja", CORNERS},
    {"zh-hant", CORNERS},
    {"zh-tw", CORNERS},
    {"zh-hk", CORNERS},
};

const md_quotes *
md_quotes_for(const char *lang)
{
    size_t prim;

    if (lang == NULL)
        return NULL;
    prim = strcspn(lang, "-_");
    /* A whole tag first (de-CH, zh-Hant...), then the language. */
    for (int whole = 1; whole >= 0; whole--)
        for (size_t i = 0; i < sizeof by_lang / sizeof *by_lang; i++) {
            const char *l = by_lang[i].lang;
            size_t n = strlen(l);

            if (whole ? strchr(l, '-') != NULL &&
                            strncasecmp(lang, l, n) == 0 &&
                            (lang[n] == '\0' || lang[n] == '-')
                      : strchr(l, '-') == NULL && n == prim &&
                            strncasecmp(lang, l, n) == 0)
                return &by_lang[i].q;
        }
    return NULL;
}

/* A byte that may be part of a word: a letter or digit, or any byte of
 * a character beyond ASCII but General Punctuation's. */
static bool
wordish(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];

    if (c >= 0x80)
        return !(c == 0xE2 && (unsigned char)s[i + 1] == 0x80);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

static bool
spaceish(const char *s, size_t i)
{
    return s[i] == ' ' || s[i] == '\n' || s[i] == '\t' ||
           strncmp(s + i, "\xc2\xa0", 2) == 0 ||
           strncmp(s + i, NNBSP, 3) == 0;
}

/* Does b end with a space (or a no-break one)? */
static bool
ends_in_space(const oc_buf *b)
{
    return (b->len >= 1 && spaceish(b->data, b->len - 1)) ||
           (b->len >= 2 && spaceish(b->data, b->len - 2)) ||
           (b->len >= 3 && spaceish(b->data, b->len - 3));
}

char *
md_quotes_apply(const md_quotes *q, const char *s, const md_aligned *al,
                int *single, int *double_open)
{
    oc_buf b = {0};
    size_t len = strlen(s);
    char same[4] = "";

    oc_buf_put(&b, "", 0);
    for (size_t i = 0; i < len;) {
        bool curly = i + 3 <= len && strncmp(s + i, "\xe2\x80", 2) == 0 &&
                     ((unsigned char)s[i + 2] >= 0x98 &&
                      (unsigned char)s[i + 2] <= 0x9D);
        const char *put = NULL;

        /* Only what cmark-gfm curled: a quote typed curly stays. */
        if (curly && al != NULL && al->len == len &&
            al->src[al->map[i]] != '"' && al->src[al->map[i]] != '\'')
            curly = false;
        if (!curly) {
            oc_buf_put(&b, s + i, 1);
            i++;
            continue;
        }
        /* Pairs by what is open: cmark-gfm cannot tell an opening quote
         * between two letters (彼は"…") from a closing one. */
        switch ((unsigned char)s[i + 2]) {
        case 0x9C:
        case 0x9D:
            if ((unsigned char)s[i + 2] == 0x9C || *double_open == 0) {
                put = q->open2;
                ++*double_open;
            } else {
                put = q->close2;
                --*double_open;
            }
            break;
        case 0x98: put = q->open1; ++*single; break;
        case 0x99:
            if (*single > 0 && (q->no_apostrophe ||
                                !(i > 0 && wordish(s, i - 1) &&
                                  i + 3 < len && wordish(s, i + 3)))) {
                put = q->close1;
                --*single;
            }
            break;
        default: break;
        }
        if (put == NULL) {
            memcpy(same, s + i, 3);
            put = same;
        }
        if (q->spaced && put == q->close2 && b.len > 0 &&
            !ends_in_space(&b))
            oc_buf_puts(&b, NNBSP);
        oc_buf_puts(&b, put);
        i += 3;
        if (q->spaced && put == q->open2 && i < len && !spaceish(s, i))
            oc_buf_puts(&b, NNBSP);
    }
    return b.data;
}
