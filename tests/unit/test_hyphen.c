/* test_hyphen.c - hyphenation points: language tags to dictionaries, the
 * installed en_US (UTF-8) and de_DE (ISO8859-1) patterns, minimums,
 * capitals, soft hyphens, encodings, and small made-up dictionaries whose
 * answers are known exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <hyphen.h>

#include "hyphen-build.h"
#include "hyphenate.h"

/* One cache for the whole group: the German patterns are loaded once. */
static int
group_setup(void **state)
{
    *state = oc_hyphen_cache_new(NULL);
    return 0;
}

static int
group_teardown(void **state)
{
    oc_hyphen_cache_free(*state);
    return 0;
}

static const oc_hyphen_dict *
load(void **state, const char *lang)
{
    const oc_hyphen_dict *d = NULL;
    oc_error err = {0};

    assert_int_equal(oc_hyphen_load(*state, lang, &d, &err), OC_OK);
    return d;
}

/* Hyphenate 'word' and compare the offsets with want[0..n). */
static void
check(const oc_hyphen_dict *d, const oc_hyphen_opts *o, const char *word,
      const int *want, int n)
{
    int got[64];
    int k = oc_hyphen_word(d, o, word, strlen(word), got, 64);

    if (k != n)
        fail_msg("'%s': %d points, expected %d", word, k, n);
    for (int i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("'%s': point %d is %d, expected %d", word, i, got[i],
                     want[i]);
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s);
    size_t b = strlen(suffix);

    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void
test_english_follows_en_us_patterns(void **state)
{
    const oc_hyphen_dict *d = load(state, "en");
    const int hyphenation[] = {2, 6};           /* hy-phen-ation */
    const int typesetting[] = {4, 7};           /* type-set-ting */
    const int extraordinary[] = {2, 5, 7, 9};   /* ex-tra-or-di-nary */
    const int paragraph[] = {4};                /* para-graph */

    assert_non_null(d);
    check(d, NULL, "hyphenation", hyphenation, 2);
    check(d, NULL, "typesetting", typesetting, 2);
    check(d, NULL, "extraordinary", extraordinary, 4);
    check(d, NULL, "paragraph", paragraph, 1);
}

static void
test_language_tags_choose_files(void **state)
{
    const oc_hyphen_dict *en = load(state, "en");

    assert_non_null(en);
    assert_true(ends_with(oc_hyphen_dict_path(en), "/hyph_en_US.dic"));
    assert_ptr_equal(load(state, "en-US"), en);
    assert_ptr_equal(load(state, "EN_us"), en);
    assert_ptr_equal(load(state, "en-Latn-US"), en);
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "en-GB")),
                          "/hyph_en_GB.dic"));
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "de")),
                          "/hyph_de_DE.dic"));
    /* de-AT and de-CH are links to the same file: one dictionary. */
    assert_ptr_equal(load(state, "de-CH"), load(state, "de"));
    assert_ptr_equal(load(state, "de-AT-1996"), load(state, "de"));
}

static void
test_regions_and_scripts_fall_back_by_language(void **state)
{
    const oc_hyphen_dict *fr = load(state, "fr");

    /* Every region of French, and one with no file of its own. */
    assert_non_null(fr);
    assert_ptr_equal(load(state, "fr-CA"), fr);
    assert_ptr_equal(load(state, "FR_be"), fr);
    assert_ptr_equal(load(state, "fr-SN"), fr);
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "pt-BR")),
                          "/hyph_pt_BR.dic"));
    assert_true(load(state, "pt") != load(state, "pt-BR"));
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "pt")),
                          "/hyph_pt_PT.dic"));
    /* Serbian: Cyrillic unless the tag says Latin. */
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "sr")),
                          "/hyph_sr_RS.dic"));
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "sr-Latn")),
                          "/hyph_sr-Latn_RS.dic"));
    assert_ptr_equal(load(state, "SR-latn-rs"), load(state, "sr-Latn"));
    assert_ptr_equal(load(state, "sr-Cyrl"), load(state, "sr"));
    /* Norwegian is Bokmål unless it says Nynorsk. */
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "no")),
                          "/hyph_nb_NO.dic"));
    assert_ptr_equal(load(state, "nb-NO"), load(state, "no"));
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "nn")),
                          "/hyph_nn_NO.dic"));
    /* Several regions installed: the language's own country. */
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "sv")),
                          "/hyph_sv_SE.dic"));
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "es")),
                          "/hyph_es_ES.dic"));
    assert_ptr_equal(load(state, "es-MX"), load(state, "es"));
    /* One file per language, found by name. */
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "ru")),
                          "/hyph_ru_RU.dic"));
    assert_true(ends_with(oc_hyphen_dict_path(load(state, "uk-UA")),
                          "/hyph_uk_UA.dic"));
    assert_non_null(load(state, "cs"));
    assert_non_null(load(state, "pl"));
    assert_non_null(load(state, "el"));
    assert_non_null(load(state, "hu"));
    assert_non_null(load(state, "da"));
    assert_non_null(load(state, "it"));
    assert_non_null(load(state, "nl"));
}

static void
test_russian_and_czech_words(void **state)
{
    /* KOI8-R and ISO8859-2 patterns, UTF-8 offsets (a Cyrillic letter
     * is two bytes): биб-лио-те-ка (Russian, as TeX, may leave two
     * letters after a break), fi-lo-lo-gové (Czech: three). */
    const int biblioteka[] = {6, 12, 16};
    const int filologove[] = {2, 4, 6};

    check(load(state, "ru"), NULL, "библиотека", biblioteka, 3);
    check(load(state, "cs"), NULL, "filologové", filologove, 3);
}

/* Debian's Russian file is TeX's patterns as they are, which libhyphen
 * reads wrong without the prefixes substrings.pl adds: «только» had no
 * point, «вырезает» none, «накормила» one. Completed, they break as TeX
 * breaks them. */
static void
test_russian_patterns_completed_with_their_substrings(void **state)
{
    const oc_hyphen_dict *d = load(state, "ru");
    const int tolko[] = {8};                    /* толь-ко */
    const int vyrezaet[] = {4, 8, 12};          /* вы-ре-за-ет */
    const int nakormila[] = {4, 10, 14};        /* на-кор-ми-ла */
    const int prodershat[] = {6, 12};           /* про-дер-жат */

    check(d, NULL, "только", tolko, 1);
    check(d, NULL, "вырезает", vyrezaet, 3);
    check(d, NULL, "накормила", nakormila, 3);
    check(d, NULL, "продержат", prodershat, 2);
}

static void
test_missing_patterns_reported_once_per_language(void **state)
{
    oc_hyphen_cache *c = oc_hyphen_cache_new(NULL);

    (void)state;
    assert_true(oc_hyphen_first_missing(c, "eu"));
    assert_false(oc_hyphen_first_missing(c, "eu"));
    assert_false(oc_hyphen_first_missing(c, "EU-es"));
    assert_true(oc_hyphen_first_missing(c, "qq-Latn"));
    /* Patterns, or no need of any. */
    const char *fine[] = {"ru", "fr-CA", "zh-Hant", "ja", "ko", "he",
                          "ar", "und", "", "x-private", "not a tag"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
        assert_false(oc_hyphen_first_missing(c, fine[i]));
    assert_false(oc_hyphen_first_missing(c, NULL));
    oc_hyphen_cache_free(c);
}

static void
test_german_words(void **state)
{
    const oc_hyphen_dict *d = load(state, "de");
    const int silbentrennung[] = {3, 6, 10};    /* Sil-ben-tren-nung */
    const int donau[] = {2, 5, 10};             /* Do-nau-dampf-schiff */
    const int schifffahrt[] = {6};              /* Schiff-fahrt */

    assert_non_null(d);
    check(d, NULL, "Silbentrennung", silbentrennung, 3);
    check(d, NULL, "Donaudampfschiff", donau, 3);
    check(d, NULL, "Schifffahrt", schifffahrt, 1);
}

static void
test_german_umlauts_through_latin1_patterns(void **state)
{
    /* hyph_de_DE.dic is ISO8859-1: the UTF-8 word is converted, Ü
     * lowered to ü, and the offsets come back in UTF-8 bytes:
     * Über-grö-ßen-trä-ger (Ü, ö, ß, ä are two bytes each). */
    const oc_hyphen_dict *d = load(state, "de");
    const int want[] = {5, 9, 13, 17};

    check(d, NULL, "\xc3\x9c" "bergr\xc3\xb6\xc3\x9f" "entr\xc3\xa4ger", want, 4);
    /* A character outside Latin-1 cannot be looked up: no points. */
    check(d, NULL, "Silben\xc5\x82trennung", NULL, 0);
}

static void
test_minimums_are_respected(void **state)
{
    const oc_hyphen_dict *d = load(state, "en");
    oc_hyphen_opts o = {0};
    const int computer[] = {3};                 /* com-put-er: not -er */
    const int extra3[] = {5, 7, 9};
    const int hyphenation[] = {2, 6};

    check(d, NULL, "computer", computer, 1);
    /* hyph_en_US.dic says RIGHTHYPHENMIN 3: a floor. */
    o.right_min = 2;
    check(d, &o, "computer", computer, 1);
    o.right_min = 5;                            /* -ation is 5 */
    check(d, &o, "hyphenation", hyphenation, 2);
    o.right_min = 6;
    check(d, &o, "hyphenation", hyphenation, 1);
    o.right_min = 0;
    o.left_min = 3;
    check(d, &o, "extraordinary", extra3, 3);
    o.left_min = 0;
    o.min_letters = 12;                         /* 11 letters: too short */
    check(d, &o, "hyphenation", NULL, 0);
    o.min_letters = 11;
    check(d, &o, "hyphenation", hyphenation, 2);
    /* Fewer than five letters: never. */
    check(d, NULL, "into", NULL, 0);
}

static void
test_capitalised_word_not_hyphenated_by_default(void **state)
{
    const oc_hyphen_dict *en = load(state, "en");
    const oc_hyphen_dict *de = load(state, "de");
    oc_hyphen_opts o = {0};
    const int hyphenation[] = {2, 6};
    const int silbentrennung[] = {3, 6, 10};

    check(en, NULL, "Hyphenation", NULL, 0);
    check(en, NULL, "HYPHENATION", NULL, 0);
    o.capitalized = OC_HYPHEN_CAPS_ALWAYS;
    check(en, &o, "Hyphenation", hyphenation, 2);
    check(en, &o, "HYPHENATION", hyphenation, 2);
    /* German capitalises every noun, so its default is to hyphenate. */
    check(de, NULL, "Silbentrennung", silbentrennung, 3);
    o.capitalized = OC_HYPHEN_CAPS_NEVER;
    check(de, &o, "Silbentrennung", NULL, 0);
}

static void
test_capitalised_points_marked_as_last_resort(void **state)
{
    const oc_hyphen_dict *en = load(state, "en");
    const oc_hyphen_dict *de = load(state, "de");
    oc_hyphen_opts o = {.capitalized = OC_HYPHEN_CAPS_LAST};
    const int hyphenation[] = {2 | OC_HYPHEN_CAPITAL, 6 | OC_HYPHEN_CAPITAL};
    const int plain[] = {2, 6};
    const int silbentrennung[] = {3, 6, 10};

    check(en, &o, "Hyphenation", hyphenation, 2);
    check(en, &o, "hyphenation", plain, 2);
    /* German nouns are capitalised: nothing to mark. */
    check(de, &o, "Silbentrennung", silbentrennung, 3);
}

static void
test_unknown_language_has_no_dictionary(void **state)
{
    const oc_hyphen_dict *d = (const oc_hyphen_dict *)1;
    oc_error err = {0};
    const char *none[] = {"eu", "eu-ES", "und", "", "x-private", "zh-Hant",
                          "ja", "he"};
    int pts[4];

    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        assert_int_equal(oc_hyphen_load(*state, none[i], &d, &err), OC_OK);
        assert_null(d);
    }
    assert_int_equal(oc_hyphen_load(*state, NULL, &d, &err), OC_OK);
    assert_null(d);
    assert_int_equal(err.code, OC_OK);
    assert_int_equal(oc_hyphen_word(NULL, NULL, "hyphenation", 11, pts, 4),
                     0);
}

static void
test_malformed_tag_is_an_error_once(void **state)
{
    const char *bad[] = {"e n", "en--us", "-en", "en-", "123", "en-toolongsubtag"};
    const oc_hyphen_dict *d;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oc_error err = {0};

        assert_int_equal(oc_hyphen_load(*state, bad[i], &d, &err),
                         OC_ERR_INVALID);
        assert_null(d);
        assert_non_null(strstr(err.msg, "not a language tag"));
        /* Remembered: the next request is quietly without patterns. */
        assert_int_equal(oc_hyphen_load(*state, bad[i], &d, &err), OC_OK);
        assert_null(d);
    }
}

static void
test_digits_and_hard_hyphens_left_alone(void **state)
{
    const oc_hyphen_dict *d = load(state, "en");

    check(d, NULL, "solution-focused", NULL, 0);
    check(d, NULL, "hyphen\xe2\x80\x94" "ation", NULL, 0);   /* em dash */
    check(d, NULL, "1990s", NULL, 0);
    check(d, NULL, "hyphenation2", NULL, 0);
    check(d, NULL, "hyphen&ation", NULL, 0);
    check(d, NULL, "hyphe\xff" "nation", NULL, 0);           /* bad UTF-8 */
}

static void
test_punctuation_around_word_is_skipped(void **state)
{
    /* Opening quote U+201C is three bytes: hy-phen-ation shifts by 3. */
    const oc_hyphen_dict *d = load(state, "en");
    const int want[] = {5, 9};

    check(d, NULL, "\xe2\x80\x9chyphenation\xe2\x80\x9d,", want, 2);
    check(d, NULL, "(hyphenation).", (const int[]){3, 7}, 2);
}

static void
test_soft_hyphen_points(void **state)
{
    /* "hy<SHY>phen<SHY>ation": the points fall just after each soft
     * hyphen (U+00AD is C2 AD). */
    const char word[] = "hy\xc2\xad" "phen\xc2\xad" "ation";
    const oc_hyphen_dict *d = load(state, "en");
    int pts[8];

    assert_int_equal(oc_hyphen_soft_points(word, strlen(word), pts, 8), 2);
    assert_int_equal(pts[0], 4);
    assert_int_equal(pts[1], 10);
    assert_int_equal(oc_hyphen_soft_points(word, strlen(word), pts, 1), 1);
    assert_int_equal(pts[0], 4);
    /* Soft hyphens at either end, or doubled, give no empty side. */
    assert_int_equal(oc_hyphen_soft_points("\xc2\xad" "ab\xc2\xad", 6, pts,
                                           8), 0);
    assert_int_equal(oc_hyphen_soft_points("a\xc2\xad\xc2\xad" "b", 6, pts,
                                           8), 1);
    assert_int_equal(pts[0], 5);
    assert_int_equal(oc_hyphen_soft_points("hyphenation", 11, pts, 8), 0);
    /* A word with soft hyphens gets no pattern points: they rule. */
    check(d, NULL, word, NULL, 0);
}

static void
test_max_points_is_respected(void **state)
{
    const oc_hyphen_dict *d = load(state, "en");
    int pts[2] = {-1, -1};

    assert_int_equal(oc_hyphen_word(d, NULL, "extraordinary", 13, pts, 1),
                     1);
    assert_int_equal(pts[0], 2);
    assert_int_equal(pts[1], -1);
}

/* Made-up dictionaries in a temporary folder, for exact answers. */
typedef struct fixture {
    char             dir[64];
    oc_hyphen_cache *cache;
} fixture;

static void
write_file(const char *dir, const char *name, const char *text)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int
setup_fake(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);

    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_hyphen.XXXXXX");
    if (mkdtemp(fx->dir) == NULL) {
        free(fx);
        return -1;
    }
    /* qaa-qtz are private-use language codes. libhyphen itself keeps 2
     * letters on each side unless the dictionary says otherwise. */
#define MINS "LEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n"
    write_file(fx->dir, "hyph_qaa.dic", "UTF-8\n" MINS "1b\n");
    write_file(fx->dir, "hyph_qab_QB.dic", "UTF-8\n" MINS "1a\n1\xcc\x81\n");
    write_file(fx->dir, "hyph_qac.dic", "ISO8859-2\n1\xe8\n");  /* č */
    write_file(fx->dir, "hyph_qad.dic", "NO-SUCH-CHARSET\n1b\n");
    write_file(fx->dir, "hyph_qae.dic", "SHIFT_JIS\n1b\n");
    /* Old German "ck" -> "k-k": a spelling change, and a plain "1e". */
    write_file(fx->dir, "hyph_qaf.dic", "UTF-8\n" MINS "c1k/k=k,1,2\n1e\n");
#undef MINS
    fx->cache = oc_hyphen_cache_new(fx->dir);
    *state = fx;
    return 0;
}

static int
teardown_fake(void **state)
{
    fixture *fx = *state;
    const char *names[] = {"hyph_qaa.dic", "hyph_qab_QB.dic", "hyph_qac.dic",
                           "hyph_qad.dic", "hyph_qae.dic", "hyph_qaf.dic"};
    char path[128];

    oc_hyphen_cache_free(fx->cache);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", fx->dir, names[i]);
        unlink(path);
    }
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static const oc_hyphen_dict *
load_fake(void **state, const char *lang)
{
    fixture *fx = *state;
    const oc_hyphen_dict *d = NULL;
    oc_error err = {0};

    assert_int_equal(oc_hyphen_load(fx->cache, lang, &d, &err), OC_OK);
    assert_non_null(d);
    return d;
}

static void
test_apostrophe_splits_word(void **state)
{
    /* Patterns "1b": a break before every b. "abab'baba": the parts
     * "abab" (points 1, 3) and "baba" (bytes 5..8: a point before its
     * second b at 7, none at its start, next to the apostrophe). */
    const oc_hyphen_dict *d = load_fake(state, "qaa");
    oc_hyphen_opts o = {1, 1, 1, OC_HYPHEN_CAPS_AUTO};
    const int want[] = {1, 3, 7};
    const int curly[] = {1, 3, 9};

    check(d, &o, "abab'baba", want, 3);
    check(d, &o, "abab\xe2\x80\x99" "baba", curly, 3);     /* U+2019 */
    /* Each part is held to the minimums on its own. */
    o.min_letters = 5;
    check(d, &o, "abab'baba", NULL, 0);
}

static void
test_found_by_scan_and_never_split_before_mark(void **state)
{
    /* "qab" has only hyph_qab_QB.dic: found by scanning the folder.
     * Patterns break before every a and before U+0301 (combining
     * acute). "aaa\u0301aa" has characters a a a ◌́ a a at bytes 0 1 2 3
     * 5 6: points before the a's at 1, 2, 5, 6, never before the mark;
     * the mark is no letter for the minimums. */
    const oc_hyphen_dict *d = load_fake(state, "qab");
    oc_hyphen_opts o = {1, 1, 1, OC_HYPHEN_CAPS_AUTO};
    const int want[] = {1, 2, 5, 6};
    const int min2[] = {2, 5};

    assert_true(ends_with(oc_hyphen_dict_path(d), "/hyph_qab_QB.dic"));
    check(d, &o, "aaa\xcc\x81" "aa", want, 4);
    o.left_min = 2;
    o.right_min = 2;
    check(d, &o, "aaa\xcc\x81" "aa", min2, 2);
}

static void
test_iso8859_2_dictionary(void **state)
{
    /* ISO8859-2 byte E8 is č (U+010D): "kočička" breaks before each č;
     * Č (U+010C) is lowered first. Offsets are UTF-8 bytes. */
    const oc_hyphen_dict *d = load_fake(state, "qac");
    oc_hyphen_opts o = {1, 1, 1, OC_HYPHEN_CAPS_ALWAYS};
    const int want[] = {2, 5};

    check(d, &o, "ko\xc4\x8di\xc4\x8d" "ka", want, 2);
    check(d, &o, "KO\xc4\x8cI\xc4\x8c" "KA", want, 2);
    /* ñ is not in ISO8859-2: the word cannot be looked up. */
    check(d, &o, "ko\xc4\x8d\xc3\xb1" "ka", NULL, 0);
}

static void
test_spelling_changes_are_left_out(void **state)
{
    /* libhyphen offers "bac-ken" as "bak-ken" (a replacement) and
     * "back-en"; only the second keeps the letters as they are. */
    const oc_hyphen_dict *d = load_fake(state, "qaf");
    oc_hyphen_opts o = {1, 1, 1, OC_HYPHEN_CAPS_AUTO};
    const int want[] = {4};

    check(d, &o, "backen", want, 1);
}

static void
test_unsupported_encodings_are_refused(void **state)
{
    fixture *fx = *state;
    const char *langs[] = {"qad", "qae"};

    for (size_t i = 0; i < 2; i++) {
        const oc_hyphen_dict *d = NULL;
        oc_error err = {0};

        assert_int_equal(oc_hyphen_load(fx->cache, langs[i], &d, &err),
                         OC_ERR_INVALID);
        assert_null(d);
        assert_non_null(strstr(err.msg, "encoding"));
        assert_true(ends_with(err.file, ".dic"));
        memset(&err, 0, sizeof err);
        assert_int_equal(oc_hyphen_load(fx->cache, langs[i], &d, &err),
                         OC_OK);
        assert_null(d);
    }
}

/* The letters of pattern line l (up to a '/'), in a new string. */
static char *
letters_of(const char *l)
{
    char *w = malloc(strlen(l) + 1), *p = w;

    for (; *l != '\0' && *l != '/' && (unsigned char)*l > ' '; l++)
        if (*l < '0' || *l > '9')
            *p++ = *l;
    *p = '\0';
    return w;
}

/* A pattern file's text without what libhyphen reads wrong, as
 * read_patterns leaves it out: lines too long for its buffer (it reads
 * them in pieces), and of two patterns with the same letters in a level
 * the earlier (it leaks it). */
static char *
clean_patterns(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char buf[4096], **lines = NULL;
    size_t n = 0, cap = 0, size = 0;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, free,
                                             NULL);
    char *text;

    assert_non_null(f);
    while (fgets(buf, sizeof buf, f) != NULL) {
        size_t m = strlen(buf);

        if (n > 0 && m - (buf[m - 1] == '\n') >= MAX_CHARS - 1)
            continue;
        if (n == cap)
            lines = realloc(lines, (cap = cap ? 2 * cap : 1024) *
                            sizeof *lines);
        lines[n++] = strdup(buf);
    }
    fclose(f);
    for (size_t i = n; i-- > 1;) {
        char *key;

        if (strncmp(lines[i], "NEXTLEVEL", 9) == 0) {
            g_hash_table_remove_all(seen);
            continue;
        }
        if (lines[i][0] == '%' || (lines[i][0] >= 'A' && lines[i][0] <= 'Z'))
            continue;
        key = letters_of(lines[i]);
        if (!g_hash_table_add(seen, key))
            lines[i][0] = '\0';
    }
    for (size_t i = 0; i < n; i++)
        size += strlen(lines[i]);
    text = malloc(size + 1);
    *len = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(text + *len, lines[i], strlen(lines[i]));
        *len += strlen(lines[i]);
        free(lines[i]);
    }
    text[*len] = '\0';
    free(lines);
    g_hash_table_destroy(seen);
    return text;
}

static void
free_reps(char **rep, int *pos, int *cut, int n)
{
    if (rep != NULL)
        for (int i = 0; i < n; i++)
            free(rep[i]);
    free(rep);
    free(pos);
    free(cut);
}

/* Whether a and b hyphenate w alike: points, replacements (Hungarian's
 * "ssz" -> "sz-sz") and points under minimums. */
static bool
same_hyphens(HyphenDict *a, HyphenDict *b, const char *w, int n)
{
    char ha[512] = {0}, hb[512] = {0};
    char **ra = NULL, **rb = NULL;
    int *pa = NULL, *pb = NULL, *ca = NULL, *cb = NULL;
    bool same;

    hnj_hyphen_hyphenate2(a, w, n, ha, NULL, &ra, &pa, &ca);
    hnj_hyphen_hyphenate2(b, w, n, hb, NULL, &rb, &pb, &cb);
    same = memcmp(ha, hb, (size_t)n) == 0 && (ra == NULL) == (rb == NULL);
    for (int i = 0; same && ra != NULL && i < n; i++)
        same = (ra[i] == NULL) == (rb[i] == NULL) &&
               (ra[i] == NULL || strcmp(ra[i], rb[i]) == 0) &&
               pa[i] == pb[i] && ca[i] == cb[i];
    free_reps(ra, pa, ca, n);
    free_reps(rb, pb, cb, n);
    ra = rb = NULL;
    pa = pb = ca = cb = NULL;
    memset(ha, 0, sizeof ha);
    memset(hb, 0, sizeof hb);
    hnj_hyphen_hyphenate3(a, w, n, ha, NULL, &ra, &pa, &ca, 2, 3, 2, 2);
    hnj_hyphen_hyphenate3(b, w, n, hb, NULL, &rb, &pb, &cb, 2, 3, 2, 2);
    same = same && memcmp(ha, hb, (size_t)n) == 0;
    free_reps(ra, pa, ca, n);
    free_reps(rb, pb, cb, n);
    return same;
}

/* oc_hyphen_build makes of a file what libhyphen makes of it: German
 * (78,000 patterns, a second level, Latin-1), Hungarian (2,216
 * replacements), Catalan (a second level with replacements, UTF-8),
 * Russian and English. The words are the letters of each pattern (of up
 * to 20,000 of them), alone and between two others'. */
static void
test_automaton_built_as_libhyphen_builds_it(void **state)
{
    static const char *const files[] = {
        "hyph_de_DE.dic", "hyph_hu_HU.dic", "hyph_ca_ES.dic",
        "hyph_ru_RU.dic", "hyph_en_US.dic",
    };

    (void)state;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[256], *text, *save = NULL, **words;
        size_t len, nw = 0, tried = 0, differ = 0;
        HyphenDict *lib, *own;
        FILE *mem;

        snprintf(path, sizeof path, "%s/%s", OC_HYPHEN_DIR, files[f]);
        text = clean_patterns(path, &len);
        assert_non_null(mem = fmemopen(text, len, "r"));
        lib = hnj_hyphen_load_file(mem);
        fclose(mem);
        own = oc_hyphen_build(text, len);
        assert_string_equal(own->cset, lib->cset);
        assert_int_equal(own->num_states, lib->num_states);
        assert_non_null(own->nextlevel);
        assert_int_equal(own->nextlevel->num_states,
                         lib->nextlevel->num_states);
        words = calloc(len / 2 + 1, sizeof *words);
        strtok_r(text, "\n", &save);                 /* the encoding */
        for (char *l = strtok_r(NULL, "\n", &save); l != NULL;
             l = strtok_r(NULL, "\n", &save)) {
            if (l[0] == '%' || (l[0] >= 'A' && l[0] <= 'Z'))
                continue;
            words[nw] = letters_of(l);
            if (words[nw][0] == '.')                /* ".ab", "ab." */
                memmove(words[nw], words[nw] + 1, strlen(words[nw]));
            words[nw][strcspn(words[nw], ".")] = '\0';
            if (strlen(words[nw]) > 1)
                nw++;
            else
                free(words[nw]);
        }
        srand(1);
        for (size_t i = 0; i < nw; i += nw / 20000 + 1) {
            char run[320];

            snprintf(run, sizeof run, "%s%s%s", words[rand() % nw],
                     words[i], words[rand() % nw]);
            differ += !same_hyphens(lib, own, words[i],
                                    (int)strlen(words[i]));
            differ += !same_hyphens(lib, own, run, (int)strlen(run));
            tried += 2;
        }
        assert_true(tried > 1000);
        if (differ != 0)
            fail_msg("%s: %zu of %zu words hyphenated otherwise", files[f],
                     differ, tried);
        hnj_hyphen_free(lib);
        oc_hyphen_build_free(own);
        for (size_t i = 0; i < nw; i++)
            free(words[i]);
        free(words);
        free(text);
    }
}

static void *
run_prime(void *p)
{
    oc_hyphen_prime_run(p, NULL);
    return NULL;
}

/* The points of a few German and English words under dictionary d, as a
 * string ("3,6,10;2,5,10;..."). */
static void
points_of(const oc_hyphen_dict *d, char *out, size_t n)
{
    static const char *const words[] = {
        "Silbentrennung", "Donaudampfschiff", "Schifffahrt", "hyphenation",
        "typesetting", "Wortzwischenraum"
    };
    size_t at = 0;

    out[0] = '\0';
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        int got[64];
        int k = oc_hyphen_word(d, NULL, words[w], strlen(words[w]), got, 64);

        for (int i = 0; i < k; i++)
            at += (size_t)snprintf(out + at, n - at, "%d,", got[i]);
        at += (size_t)snprintf(out + at, n - at, ";");
    }
}

/* A dictionary compiled ahead on another thread is the one the cache
 * would have compiled: the cache that asks for it while it is being
 * compiled waits for it; one cache takes it, the next compiles its own;
 * a cache asking for another language is not given it; a prime for a
 * language without patterns compiles nothing. */
static void
test_primed_dictionary_as_compiled_by_the_cache(void **state)
{
    oc_hyphen_prime *p = oc_hyphen_prime_new("de-AT");
    oc_hyphen_prime *none = oc_hyphen_prime_new("zh");
    oc_hyphen_cache *c1 = oc_hyphen_cache_new(NULL);
    oc_hyphen_cache *c2 = oc_hyphen_cache_new(NULL);
    oc_hyphen_cache *c3 = oc_hyphen_cache_new(NULL);
    const oc_hyphen_dict *d1 = NULL, *d2 = NULL, *d3 = NULL, *z = NULL;
    char want[512], got[512];
    oc_error err = {0};
    pthread_t t;

    points_of(load(state, "de"), want, sizeof want);
    assert_true(strncmp(want, "3,6,10,;2,5,10,;6,;", 19) == 0);
    assert_int_equal(pthread_create(&t, NULL, run_prime, p), 0);
    oc_hyphen_cache_prime(c1, p);
    oc_hyphen_cache_prime(c2, p);
    oc_hyphen_cache_prime(c3, p);
    assert_int_equal(oc_hyphen_load(c3, "en", &d3, &err), OC_OK);
    assert_int_equal(oc_hyphen_load(c1, "de", &d1, &err), OC_OK);
    assert_int_equal(oc_hyphen_load(c2, "de-DE", &d2, &err), OC_OK);
    pthread_join(t, NULL);
    assert_non_null(d1);
    assert_non_null(d2);
    assert_true(d1 != d2);
    points_of(d1, got, sizeof got);
    assert_string_equal(got, want);
    points_of(d2, got, sizeof got);
    assert_string_equal(got, want);
    points_of(load(state, "en"), want, sizeof want);
    points_of(d3, got, sizeof got);
    assert_string_equal(got, want);
    oc_hyphen_prime_run(none, NULL);
    oc_hyphen_cache_prime(c1, none);
    assert_int_equal(oc_hyphen_load(c1, "zh", &z, &err), OC_OK);
    assert_null(z);
    oc_hyphen_cache_free(c1);
    oc_hyphen_cache_free(c2);
    oc_hyphen_cache_free(c3);
    oc_hyphen_prime_free(p);
    oc_hyphen_prime_free(none);
}

/* A prime of several languages compiles each once, in order, for the
 * first cache that asks (a tag resolving to a file compiled before has
 * none of its own); a language the run has not begun is compiled by
 * the cache that asks for it, which does not wait, and the run passes
 * it over; a cancelled prime compiles nothing more. */
static void
test_prime_of_many_languages(void **state)
{
    oc_hyphen_prime *p = oc_hyphen_prime_new("de");
    oc_hyphen_prime *q = oc_hyphen_prime_new("fr");
    oc_hyphen_cache *c1 = oc_hyphen_cache_new(NULL);
    oc_hyphen_cache *c2 = oc_hyphen_cache_new(NULL);
    oc_hyphen_cache *c3 = oc_hyphen_cache_new(NULL);
    const oc_hyphen_dict *d = NULL, *dd = NULL, *e = NULL, *z = NULL;
    char want[512], got[512];
    oc_error err = {0};

    oc_hyphen_prime_add(p, "en");
    oc_hyphen_prime_add(p, "de-DE");        /* the file of "de" */
    oc_hyphen_prime_add(p, "zh");           /* none to compile */
    oc_hyphen_prime_add(p, "de");           /* given before */
    oc_hyphen_prime_run(p, NULL);
    oc_hyphen_cache_prime(c1, p);
    assert_int_equal(oc_hyphen_load(c1, "de", &d, &err), OC_OK);
    assert_int_equal(oc_hyphen_load(c1, "de-DE", &dd, &err), OC_OK);
    assert_int_equal(oc_hyphen_load(c1, "en-US", &e, &err), OC_OK);
    assert_int_equal(oc_hyphen_load(c1, "zh", &z, &err), OC_OK);
    assert_non_null(d);
    assert_ptr_equal(d, dd);
    assert_non_null(e);
    assert_null(z);
    assert_int_equal(oc_hyphen_cache_compiled(c1), 0);
    points_of(d, got, sizeof got);
    points_of(load(state, "de"), want, sizeof want);
    assert_string_equal(got, want);
    /* Taken: the next cache compiles its own. */
    oc_hyphen_cache_prime(c2, p);
    assert_int_equal(oc_hyphen_load(c2, "en", &e, &err), OC_OK);
    assert_int_equal(oc_hyphen_cache_compiled(c2), 1);

    /* A file compiled for one tag and taken by the cache is not
     * compiled again for a later tag of the same file (a second run
     * puts "de-DE" after "de" was taken). */
    {
        oc_hyphen_prime *r = oc_hyphen_prime_new("de");
        oc_hyphen_cache *c4 = oc_hyphen_cache_new(NULL);

        oc_hyphen_cache_prime(c4, r);
        oc_hyphen_prime_run(r, NULL);
        assert_int_equal(oc_hyphen_load(c4, "de", &d, &err), OC_OK);
        oc_hyphen_prime_add(r, "de-DE");
        oc_hyphen_prime_run(r, NULL);
        assert_int_equal(oc_hyphen_prime_compiled(r), 1);
        assert_int_equal(oc_hyphen_load(c4, "de-DE", &dd, &err), OC_OK);
        assert_ptr_equal(d, dd);
        assert_int_equal(oc_hyphen_cache_compiled(c4), 0);
        oc_hyphen_cache_free(c4);
        oc_hyphen_prime_free(r);
    }

    /* Not begun: compiled by the cache, passed over by the run. */
    oc_hyphen_prime_add(q, "de");
    oc_hyphen_prime_add(q, "en");
    oc_hyphen_cache_prime(c3, q);
    assert_int_equal(oc_hyphen_load(c3, "de", &d, &err), OC_OK);
    assert_non_null(d);
    assert_int_equal(oc_hyphen_cache_compiled(c3), 1);
    oc_hyphen_prime_cancel(q);              /* "fr", "en": not begun */
    oc_hyphen_prime_run(q, NULL);
    assert_int_equal(oc_hyphen_load(c3, "en", &e, &err), OC_OK);
    assert_int_equal(oc_hyphen_load(c3, "fr", &e, &err), OC_OK);
    assert_int_equal(oc_hyphen_cache_compiled(c3), 3);
    oc_hyphen_cache_free(c1);
    oc_hyphen_cache_free(c2);
    oc_hyphen_cache_free(c3);
    oc_hyphen_prime_free(p);
    oc_hyphen_prime_free(q);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english_follows_en_us_patterns),
        cmocka_unit_test(test_automaton_built_as_libhyphen_builds_it),
        cmocka_unit_test(test_language_tags_choose_files),
        cmocka_unit_test(test_regions_and_scripts_fall_back_by_language),
        cmocka_unit_test(test_russian_and_czech_words),
        cmocka_unit_test(test_russian_patterns_completed_with_their_substrings),
        cmocka_unit_test(test_missing_patterns_reported_once_per_language),
        cmocka_unit_test(test_capitalised_points_marked_as_last_resort),
        cmocka_unit_test(test_german_words),
        cmocka_unit_test(test_primed_dictionary_as_compiled_by_the_cache),
        cmocka_unit_test(test_prime_of_many_languages),
        cmocka_unit_test(test_german_umlauts_through_latin1_patterns),
        cmocka_unit_test(test_minimums_are_respected),
        cmocka_unit_test(test_capitalised_word_not_hyphenated_by_default),
        cmocka_unit_test(test_unknown_language_has_no_dictionary),
        cmocka_unit_test(test_malformed_tag_is_an_error_once),
        cmocka_unit_test(test_digits_and_hard_hyphens_left_alone),
        cmocka_unit_test(test_punctuation_around_word_is_skipped),
        cmocka_unit_test(test_soft_hyphen_points),
        cmocka_unit_test(test_max_points_is_respected),
        cmocka_unit_test_setup_teardown(test_apostrophe_splits_word,
                                        setup_fake, teardown_fake),
        cmocka_unit_test_setup_teardown(
            test_found_by_scan_and_never_split_before_mark, setup_fake,
            teardown_fake),
        cmocka_unit_test_setup_teardown(test_iso8859_2_dictionary, setup_fake,
                                        teardown_fake),
        cmocka_unit_test_setup_teardown(test_spelling_changes_are_left_out,
                                        setup_fake, teardown_fake),
        cmocka_unit_test_setup_teardown(test_unsupported_encodings_are_refused,
                                        setup_fake, teardown_fake),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
