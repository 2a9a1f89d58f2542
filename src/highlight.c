/* highlight.c - code into classed spans: the code is parsed by a
 * tree-sitter grammar and its highlight query names the tokens (keyword,
 * string, function.builtin...). The queries are written general first,
 * particular after ((identifier) @variable, then calls @function): the
 * last pattern that captures a node names it, and a node inside another
 * wins over it. A diff is read line by line. */
#include "highlight.h"

#include <pthread.h>
#include <regex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <tree_sitter/api.h>

#include "buf.h"
#include "error.h"
#include "highlight-int.h"
#include "xhtml.h"

#define MAX_CODE     ((size_t)1 << 20)  /* longer code is set plain */
#define PARSE_MICROS 1000000            /* nor parsed for longer */

const TSLanguage *tree_sitter_bash(void);
const TSLanguage *tree_sitter_c(void);
const TSLanguage *tree_sitter_cpp(void);
const TSLanguage *tree_sitter_css(void);
const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_html(void);
const TSLanguage *tree_sitter_java(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_json(void);
const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_rust(void);
const TSLanguage *tree_sitter_sql(void);
const TSLanguage *tree_sitter_toml(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_xml(void);
const TSLanguage *tree_sitter_yaml(void);

/* The kinds of token, as classes hl-KIND. */
static const char *const kinds[] = {
    "keyword", "string", "comment", "number", "constant", "function",
    "type", "property", "attribute", "tag", "inserted", "deleted", "meta"
};
enum { K_NONE = -1, K_CLAIM = -2 };     /* not captured; captured plain */
enum { K_INSERTED = 10, K_DELETED, K_META };

/* A text predicate of a query pattern (#eq?, #match?, #any-of? and
 * their not- forms); others (#is-not? local, #set!) hold. */
typedef struct pred {
    char      op;           /* 'e' eq, 'm' match, 'a' any-of */
    bool      negate;
    uint32_t  capture;
    int64_t   other;        /* eq?'s second capture, or -1 */
    const char *arg;        /* eq?'s string (in the query) */
    regex_t   re;
    bool      re_ok;
    const char **any;       /* any-of?'s strings */
    uint32_t  nany;
} pred;

typedef struct grammar {
    const char *name;
    const char *words;      /* the language words that name it */
    const TSLanguage *(*language)(void);
    const char *inherits;   /* a grammar whose query comes before its own */
    int         state;      /* 0 unread, 1 ready, -1 unusable, 2 being
                               compiled */
    TSQuery    *query;
    signed char *kind;      /* per capture: a kind, K_CLAIM or K_NONE */
    pred      **preds;      /* per pattern: its predicates... */
    uint32_t   *npreds;     /* ...and their number */
} grammar;

static grammar grammars[] = {
    {"bash", " bash sh shell zsh ksh ", tree_sitter_bash, NULL,
     0, NULL, NULL, NULL, NULL},
    {"c", " c h ", tree_sitter_c, NULL, 0, NULL, NULL, NULL, NULL},
    {"cpp", " cpp c++ cxx cc hpp hxx hh ", tree_sitter_cpp, "c",
     0, NULL, NULL, NULL, NULL},
    {"css", " css ", tree_sitter_css, NULL, 0, NULL, NULL, NULL, NULL},
    {"go", " go golang ", tree_sitter_go, NULL, 0, NULL, NULL, NULL, NULL},
    {"html", " html htm ", tree_sitter_html, NULL,
     0, NULL, NULL, NULL, NULL},
    {"java", " java ", tree_sitter_java, NULL, 0, NULL, NULL, NULL, NULL},
    {"javascript", " javascript js jsx mjs cjs node ",
     tree_sitter_javascript, NULL, 0, NULL, NULL, NULL, NULL},
    {"json", " json jsonc json5 geojson ", tree_sitter_json, NULL,
     0, NULL, NULL, NULL, NULL},
    {"python", " python py python3 py3 ", tree_sitter_python, NULL,
     0, NULL, NULL, NULL, NULL},
    {"rust", " rust rs ", tree_sitter_rust, NULL, 0, NULL, NULL, NULL, NULL},
    {"sql", " sql mysql postgresql postgres psql sqlite plsql ",
     tree_sitter_sql, NULL, 0, NULL, NULL, NULL, NULL},
    {"toml", " toml ", tree_sitter_toml, NULL, 0, NULL, NULL, NULL, NULL},
    {"typescript", " typescript ts mts cts ", tree_sitter_typescript,
     "javascript", 0, NULL, NULL, NULL, NULL},
    {"xml", " xml xhtml svg xsl xslt rss atom ", tree_sitter_xml, NULL,
     0, NULL, NULL, NULL, NULL},
    {"yaml", " yaml yml ", tree_sitter_yaml, NULL, 0, NULL, NULL, NULL,
     NULL},
};

static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_done = PTHREAD_COND_INITIALIZER;

/* The kind a capture name stands for: by its first part ("string" of
 * "string.special"), some by the whole name. */
static int
kind_of(const char *capture)
{
    static const struct {
        const char *name;
        int         kind;
    } by_name[] = {
        {"variable.builtin", 4}, {"function.macro", 0},
        {"keyword", 0}, {"include", 0}, {"conditional", 0}, {"repeat", 0},
        {"exception", 0}, {"storageclass", 0}, {"string", 1},
        {"character", 1}, {"escape", 1}, {"comment", 2}, {"number", 3},
        {"float", 3}, {"constant", 4}, {"boolean", 4}, {"function", 5},
        {"method", 5}, {"constructor", 6}, {"type", 6}, {"module", 6},
        {"namespace", 6}, {"property", 7}, {"field", 7}, {"attribute", 8},
        {"tag", 9},
    };
    size_t n = strcspn(capture, ".");

    if (capture[0] == '_')
        return K_NONE;          /* a query's own helper */
    for (size_t i = 0; i < sizeof by_name / sizeof *by_name; i++) {
        const char *b = by_name[i].name;

        if (strcmp(capture, b) == 0 ||
            (strchr(b, '.') == NULL && strlen(b) == n &&
             strncmp(capture, b, n) == 0))
            return by_name[i].kind;
    }
    return K_CLAIM;             /* variable, punctuation, operator... */
}

/* ---- predicates ---- */

/* A query's regular expression (Rust's syntax) as POSIX ERE: \d, \w, \s
 * and Lua's %d spelt out. */
static bool
compile_regex(regex_t *re, const char *src)
{
    oc_buf b = {0};
    bool in_set = false;
    int rc;

    for (const char *p = src; *p; p++) {
        char c = p[1];

        if ((*p == '\\' || (*p == '%' && c == 'd')) &&
            (c == 'd' || c == 'w' || c == 's')) {
            const char *cls = c == 'd' ? "0-9" : c == 'w' ? "A-Za-z0-9_"
                                                          : " \t\r\n";
            oc_buf_printf(&b, in_set ? "%s" : "[%s]", cls);
            p++;
        } else if (*p == '\\' && in_set && c != '\0') {
            oc_buf_put(&b, ++p, 1);     /* [\.] is [.] in POSIX */
        } else {
            if (*p == '[' && !in_set)
                in_set = true;
            else if (*p == ']' && in_set && p[-1] != '[' &&
                     !(p[-1] == '^' && p[-2] == '['))
                in_set = false;
            oc_buf_put(&b, p, 1);
        }
    }
    rc = regcomp(re, b.data ? b.data : "", REG_EXTENDED | REG_NOSUB);
    oc_buf_free(&b);
    return rc == 0;
}

/* The predicate of 'n' steps at s, into *p; false for one that always
 * holds (or that this file does not read). */
static bool
read_pred(TSQuery *q, const TSQueryPredicateStep *s, uint32_t n, pred *p)
{
    uint32_t len;
    const char *name;

    memset(p, 0, sizeof *p);
    if (n < 3 || s[0].type != TSQueryPredicateStepTypeString ||
        s[1].type != TSQueryPredicateStepTypeCapture)
        return false;
    name = ts_query_string_value_for_id(q, s[0].value_id, &len);
    p->negate = strncmp(name, "not-", 4) == 0;
    if (p->negate)
        name += 4;
    p->capture = s[1].value_id;
    p->other = -1;
    if (strcmp(name, "eq?") == 0) {
        p->op = 'e';
        if (s[2].type == TSQueryPredicateStepTypeCapture)
            p->other = s[2].value_id;
        else
            p->arg = ts_query_string_value_for_id(q, s[2].value_id, &len);
    } else if (strcmp(name, "match?") == 0 &&
               s[2].type == TSQueryPredicateStepTypeString) {
        p->op = 'm';
        p->re_ok = compile_regex(
            &p->re, ts_query_string_value_for_id(q, s[2].value_id, &len));
    } else if (strcmp(name, "any-of?") == 0) {
        p->op = 'a';
        p->any = oc_xcalloc(n, sizeof *p->any);
        for (uint32_t k = 2; k < n; k++)
            if (s[k].type == TSQueryPredicateStepTypeString)
                p->any[p->nany++] = ts_query_string_value_for_id(
                    q, s[k].value_id, &len);
    } else {
        return false;
    }
    return true;
}

static void
read_preds(grammar *g)
{
    uint32_t np = ts_query_pattern_count(g->query);

    g->preds = oc_xcalloc(np ? np : 1, sizeof *g->preds);
    g->npreds = oc_xcalloc(np ? np : 1, sizeof *g->npreds);
    for (uint32_t i = 0; i < np; i++) {
        uint32_t n, start = 0;
        const TSQueryPredicateStep *s =
            ts_query_predicates_for_pattern(g->query, i, &n);

        for (uint32_t k = 0; k < n; k++) {
            if (s[k].type != TSQueryPredicateStepTypeDone)
                continue;
            g->preds[i] = oc_xrealloc(g->preds[i], (g->npreds[i] + 1) *
                                                       sizeof *g->preds[i]);
            if (read_pred(g->query, s + start, k - start,
                          &g->preds[i][g->npreds[i]]))
                g->npreds[i]++;
            start = k + 1;
        }
    }
}

/* Compile g's query (its own and the one it inherits): its state, 1 or
 * -1. Called without the lock, by the one thread that set state 2. */
static int
compile(grammar *g, const char *own)
{
    const char *more = g->inherits ? hl_query_text(g->inherits) : NULL;
    oc_buf text = {0};
    uint32_t off, nc;
    TSQueryError qe;

    oc_buf_printf(&text, "%s\n%s", more ? more : "", own);
    g->query = ts_query_new(g->language(), text.data, (uint32_t)text.len,
                            &off, &qe);
    oc_buf_free(&text);
    if (g->query == NULL)
        return -1;
    nc = ts_query_capture_count(g->query);
    g->kind = oc_xcalloc(nc ? nc : 1, 1);
    for (uint32_t i = 0; i < nc; i++) {
        uint32_t len;

        g->kind[i] = (signed char)kind_of(
            ts_query_capture_name_for_id(g->query, i, &len));
    }
    read_preds(g);
    return 1;
}

/* tree-sitter's calloc, which writes the zeros itself. ts_query_new
 * reads each entry of large tables (a grammar's states by 257) before it
 * writes it: fresh pages from calloc are mapped to the zero page by the
 * read and copied by the write, a second fault that interrupts every
 * core the process runs on (half the page faults of an EPUB build).
 * Written first, a page faults once. */
static void *
zeroed(size_t n, size_t size)
{
    size_t bytes;

    if (__builtin_mul_overflow(n, size, &bytes))
        oc_out_of_memory(SIZE_MAX);
    return memset(oc_xmalloc(bytes ? bytes : 1), 0, bytes);
}

static pthread_once_t allocator_set = PTHREAD_ONCE_INIT;

static void
set_allocator(void)
{
    ts_set_allocator(NULL, zeroed, NULL, NULL);
}

/* Make g's query once; false when it cannot be had. A grammar being
 * compiled (state 2, by the look-ahead or another thread) is waited for;
 * others are not held up meanwhile. */
static bool
ready(grammar *g)
{
    const char *own = hl_query_text(g->name);
    int state;

    pthread_once(&allocator_set, set_allocator);
    pthread_mutex_lock(&ready_lock);
    while (g->state == 2)
        pthread_cond_wait(&ready_done, &ready_lock);
    if (g->state == 0 && own == NULL)
        g->state = -1;
    if (g->state == 0) {
        g->state = 2;
        pthread_mutex_unlock(&ready_lock);
        state = compile(g, own);
        pthread_mutex_lock(&ready_lock);
        g->state = state;
        pthread_cond_broadcast(&ready_done);
    }
    state = g->state;
    pthread_mutex_unlock(&ready_lock);
    return state == 1;
}

/* The text of the node a match captured as 'capture'. */
static bool
captured(const TSQueryMatch *m, uint32_t capture, const char *src,
         const char **s, size_t *n)
{
    for (uint16_t i = 0; i < m->capture_count; i++) {
        if (m->captures[i].index == capture) {
            uint32_t a = ts_node_start_byte(m->captures[i].node);

            *s = src + a;
            *n = ts_node_end_byte(m->captures[i].node) - a;
            return true;
        }
    }
    return false;
}

static bool
holds(const pred *p, const TSQueryMatch *m, const char *src)
{
    const char *s, *o;
    size_t n, on;
    bool yes = false;

    if (!captured(m, p->capture, src, &s, &n))
        return true;
    if (p->op == 'e' && p->other >= 0) {
        yes = captured(m, (uint32_t)p->other, src, &o, &on) && on == n &&
              memcmp(s, o, n) == 0;
    } else if (p->op == 'e') {
        yes = strlen(p->arg) == n && memcmp(s, p->arg, n) == 0;
    } else if (p->op == 'a') {
        for (uint32_t i = 0; i < p->nany && !yes; i++)
            yes = strlen(p->any[i]) == n && memcmp(s, p->any[i], n) == 0;
    } else if (p->re_ok) {
        char *z = oc_xmalloc(n + 1);

        memcpy(z, s, n);
        z[n] = '\0';
        yes = regexec(&p->re, z, 0, NULL, 0) == 0;
        free(z);
    }
    return yes != p->negate;
}

/* ---- painting ---- */

/* Per byte of the code: its kind, and the capture that gave it. */
typedef struct paint {
    signed char *kind;
    uint32_t    *span;      /* length of that capture's node */
    uint32_t    *pattern;   /* its pattern */
} paint;

/* Node [a, b) captured by 'pattern' as 'kind': it takes the bytes no
 * capture has, those of a larger node, and those of the same node that an
 * earlier pattern took. */
static void
paint_node(paint *pt, uint32_t a, uint32_t b, uint32_t pattern, int kind)
{
    uint32_t len = b - a;

    for (uint32_t i = a; i < b; i++) {
        if (pt->kind[i] == K_NONE || len < pt->span[i] ||
            (len == pt->span[i] && pattern >= pt->pattern[i])) {
            pt->kind[i] = (signed char)kind;
            pt->span[i] = len;
            pt->pattern[i] = pattern;
        }
    }
}

/* Append text[a, b) to 'code', in a span of 'kind' unless it has none. */
static void
emit(xmlNodePtr code, const char *text, size_t a, size_t b, int kind)
{
    xmlNodePtr to = code;
    char cls[24];

    if (kind >= 0) {
        to = oc_xhtml_add(code->doc, code, "span", oc_xhtml_line(code));
        snprintf(cls, sizeof cls, "hl-%s", kinds[kind]);
        xmlSetProp(to, BAD_CAST "class", BAD_CAST cls);
    }
    xmlNodeAddContentLen(to, BAD_CAST(text + a), (int)(b - a));
}

static void
emit_all(xmlNodePtr code, const char *text, size_t len,
         const signed char *kind)
{
    size_t start = 0;

    for (size_t i = 1; i <= len; i++)
        if (i == len || (kind[i] < 0 ? -1 : kind[i]) !=
                            (kind[start] < 0 ? -1 : kind[start])) {
            emit(code, text, start, i, kind[start] < 0 ? -1 : kind[start]);
            start = i;
        }
}

/* The captures of g's query on the tree of 'text', painted. */
static void
paint_tree(grammar *g, TSTree *tree, const char *text, paint *pt)
{
    TSQueryCursor *qc = ts_query_cursor_new();
    TSQueryMatch m;

    ts_query_cursor_exec(qc, g->query, ts_tree_root_node(tree));
    while (ts_query_cursor_next_match(qc, &m)) {
        bool ok = true;

        for (uint32_t i = 0; i < g->npreds[m.pattern_index] && ok; i++)
            ok = holds(&g->preds[m.pattern_index][i], &m, text);
        for (uint16_t i = 0; ok && i < m.capture_count; i++) {
            int kind = g->kind[m.captures[i].index];

            if (kind != K_NONE)
                paint_node(pt, ts_node_start_byte(m.captures[i].node),
                           ts_node_end_byte(m.captures[i].node),
                           m.pattern_index, kind);
        }
    }
    ts_query_cursor_delete(qc);
}

static bool
highlight_tree(grammar *g, xmlNodePtr code, const char *text, size_t len)
{
    TSParser *parser = ts_parser_new();
    TSTree *tree = NULL;
    paint pt;

    if (ts_parser_set_language(parser, g->language()))
        ts_parser_set_timeout_micros(parser, PARSE_MICROS);
    tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
    ts_parser_delete(parser);
    if (tree == NULL)
        return false;
    pt.kind = oc_xmalloc(len + 1);
    memset(pt.kind, K_NONE, len + 1);
    pt.span = oc_xcalloc(len + 1, sizeof *pt.span);
    pt.pattern = oc_xcalloc(len + 1, sizeof *pt.pattern);
    paint_tree(g, tree, text, &pt);
    emit_all(code, text, len, pt.kind);
    ts_tree_delete(tree);
    free(pt.kind);
    free(pt.span);
    free(pt.pattern);
    return true;
}

/* A diff, unified or not, by the first characters of its lines. */
static void
highlight_diff(xmlNodePtr code, const char *text, size_t len)
{
    signed char *kind = oc_xmalloc(len + 1);

    for (size_t a = 0, b; a < len; a = b) {
        const char *l = text + a;
        const char *nl = memchr(l, '\n', len - a);
        int k = K_NONE;

        b = nl ? (size_t)(nl - text) + 1 : len;
        if (strncmp(l, "+++", 3) == 0 || strncmp(l, "---", 3) == 0 ||
            *l == '@' || strncmp(l, "diff ", 5) == 0 ||
            strncmp(l, "index ", 6) == 0)
            k = K_META;
        else if (*l == '+' || *l == '>')
            k = K_INSERTED;
        else if (*l == '-' || *l == '<')
            k = K_DELETED;
        memset(kind + a, k, b - a);
    }
    emit_all(code, text, len, kind);
    free(kind);
}

static grammar *
find_grammar(const char *name)
{
    for (size_t i = 0; i < sizeof grammars / sizeof *grammars; i++)
        if (strcmp(grammars[i].name, name) == 0)
            return &grammars[i];
    return NULL;
}

const char *
oc_highlight_grammar(const char *lang)
{
    char word[40];
    size_t n = lang ? strlen(lang) : 0;

    if (n == 0 || n > sizeof word - 3 || strchr(lang, ' ') != NULL)
        return NULL;
    snprintf(word, sizeof word, " %s ", lang);
    for (char *p = word; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    if (strcmp(word, " diff ") == 0 || strcmp(word, " patch ") == 0)
        return "diff";
    for (size_t i = 0; i < sizeof grammars / sizeof *grammars; i++)
        if (strstr(grammars[i].words, word) != NULL)
            return grammars[i].name;
    return NULL;
}

bool
oc_highlight_code(xmlNodePtr code, const char *lang, const char *text,
                  size_t len)
{
    const char *name = oc_highlight_grammar(lang);
    grammar *g = name ? find_grammar(name) : NULL;

    if (name != NULL && len <= MAX_CODE && strcmp(name, "diff") == 0) {
        highlight_diff(code, text, len);
        return true;
    }
    if (g != NULL && len <= MAX_CODE && ready(g) &&
        highlight_tree(g, code, text, len))
        return true;
    xmlNodeAddContentLen(code, BAD_CAST text, (int)len);
    return false;
}

/* ---- the grammars a book will need, made ready ahead ---- */

struct oc_highlight_ahead {
    pthread_t    thread;
    const char *const *paths;   /* the caller's */
    size_t       npaths;
    const char  *text;          /* or a text in memory */
    size_t       len;
    atomic_bool  stop;          /* the book is read: no more files */
};

static bool
stopped(oc_highlight_ahead *a)
{
    return atomic_load_explicit(&a->stop, memory_order_relaxed);
}

/* The fence's language in line 'l' (n bytes) of Markdown, as the
 * converter takes it (its info string's first word, or the first class
 * of a {.lang} attribute block), into word[size]; false when it opens no
 * fence. */
static bool
fence_language(const char *l, size_t n, char *word, size_t size)
{
    size_t i = 0, k = 0, run = 0;
    char mark;

    while (i < n && i < 3 && l[i] == ' ')
        i++;
    if (i >= n || (l[i] != '`' && l[i] != '~'))
        return false;
    mark = l[i];
    while (i < n && l[i] == mark)
        i++, run++;
    if (run < 3)
        return false;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (i < n && l[i] == '{') {
        while (i < n && l[i] != '.' && l[i] != '}')
            i++;
        if (i < n && l[i] == '.')
            i++;
    }
    while (i < n && k + 1 < size && l[i] != ' ' && l[i] != '\t' &&
           l[i] != '{' && l[i] != '}' && l[i] != '\r' && l[i] != '`')
        word[k++] = l[i++];
    word[k] = '\0';
    return k > 0;
}

/* Ready the grammars the fences of Markdown text[0..len) name; a file's
 * reading ('a' not NULL) stops when the book is read. */
static void
ready_fences(oc_highlight_ahead *a, const char *text, size_t len)
{
    for (size_t at = 0; at < len && (a == NULL || !stopped(a));) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        char word[40];
        const char *name;
        grammar *g;

        if (fence_language(text + at, end - at, word, sizeof word) &&
            (name = oc_highlight_grammar(word)) != NULL &&
            (g = find_grammar(name)) != NULL)
            ready(g);
        at = end + 1;
    }
}

static void *
look_ahead(void *arg)
{
    oc_highlight_ahead *a = arg;

    if (a->text != NULL)
        ready_fences(NULL, a->text, a->len);
    for (size_t i = 0; i < a->npaths && !stopped(a); i++) {
        oc_buf text = {0};
        oc_error err = {0};

        if (oc_buf_read_file(&text, a->paths[i], 0, &err) == OC_OK)
            ready_fences(a, (const char *)text.data, text.len);
        oc_buf_free(&text);
    }
    return NULL;
}

oc_highlight_ahead *
oc_highlight_ahead_start(const char *const *paths, size_t npaths,
                         const char *text, size_t len)
{
    oc_highlight_ahead *a = oc_xcalloc(1, sizeof *a);

    a->paths = paths;
    a->npaths = npaths;
    a->text = text;
    a->len = len;
    if (pthread_create(&a->thread, NULL, look_ahead, a) != 0) {
        free(a);
        return NULL;
    }
    return a;
}

bool
oc_highlight_is_ready(const char *lang)
{
    const char *name = oc_highlight_grammar(lang);
    grammar *g = name ? find_grammar(name) : NULL;
    bool yes;

    pthread_mutex_lock(&ready_lock);
    yes = g != NULL && g->state == 1;
    pthread_mutex_unlock(&ready_lock);
    return yes;
}

void
oc_highlight_ahead_end(oc_highlight_ahead *a)
{
    if (a == NULL)
        return;
    atomic_store_explicit(&a->stop, true, memory_order_relaxed);
    pthread_join(a->thread, NULL);
    free(a);
}
