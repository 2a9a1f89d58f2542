/* css-syntax.c - stylesheet text to rules: tokens per CSS Syntax Level 3
 * §4 (preprocessing, then one token at a time, blocks paired), style
 * rules, at-rules (@media, @page with its margin boxes, @namespace) and
 * declaration lists per §5, with its error recovery: what cannot be used
 * is a warning and is skipped to the end of the declaration, rule or
 * block. Also the string map the module's indexes use. */
#include "css-int.h"

#include <libxml/tree.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

#define MAX_NESTING 32          /* at-rule blocks inside at-rule blocks */

/* ---- string map (open addressing, arena memory) ---- */

static uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#define HASH_SEED 0xcbf29ce484222325ull

void **
oc_css_smap_slot(oc_arena *a, smap *m, const char *key, size_t len,
                 bool create)
{
    uint64_t h = hash_bytes(HASH_SEED, key, len);
    size_t i;

    if (m->cap == 0) {
        if (!create)
            return NULL;
        m->cap = 16;
        m->e = oc_arena_alloc(a, m->cap * sizeof *m->e);
    }
    for (i = h & (m->cap - 1); m->e[i].key; i = (i + 1) & (m->cap - 1))
        if (m->e[i].hash == h && m->e[i].len == len &&
            memcmp(m->e[i].key, key, len) == 0)
            return &m->e[i].val;
    if (!create)
        return NULL;
    if ((m->n + 1) * 2 > m->cap) {
        smap bigger = {oc_arena_alloc(a, m->cap * 2 * sizeof *m->e),
                       m->cap * 2, m->n};

        for (size_t k = 0; k < m->cap; k++) {
            size_t j;

            if (!m->e[k].key)
                continue;
            j = m->e[k].hash & (bigger.cap - 1);
            while (bigger.e[j].key)
                j = (j + 1) & (bigger.cap - 1);
            bigger.e[j] = m->e[k];
        }
        *m = bigger;
        for (i = h & (m->cap - 1); m->e[i].key; i = (i + 1) & (m->cap - 1))
            ;
    }
    m->e[i].key = oc_arena_strndup(a, key, len);
    m->e[i].len = len;
    m->e[i].hash = h;
    m->n++;
    return &m->e[i].val;
}

/* ---- tokens (CSS Syntax 3 §4) ---- */

typedef struct lexer {
    const int32_t *cp;      /* code points after preprocessing; -1 = EOF */
    size_t         n, i;
    int            line, col;
} lexer;

static int32_t
at(const lexer *lx, size_t k)
{
    return lx->i + k < lx->n ? lx->cp[lx->i + k] : -1;
}

static void
adv(lexer *lx)
{
    if (lx->i >= lx->n)
        return;
    if (lx->cp[lx->i] == '\n') {
        lx->line++;
        lx->col = 1;
    } else {
        lx->col++;
    }
    lx->i++;
}

static bool
is_ws(int32_t c)
{
    return c == '\n' || c == '\t' || c == ' ';
}

static bool
is_digit(int32_t c)
{
    return c >= '0' && c <= '9';
}

static bool
is_name_start(int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80;
}

static bool
is_name(int32_t c)
{
    return is_name_start(c) || is_digit(c) || c == '-';
}

static bool
valid_escape(int32_t a, int32_t b)
{
    return a == '\\' && b != '\n';
}

static bool
starts_ident(int32_t a, int32_t b, int32_t c)
{
    if (a == '-')
        return is_name_start(b) || b == '-' || valid_escape(b, c);
    if (a == '\\')
        return valid_escape(a, b);
    return is_name_start(a);
}

static bool
starts_number(int32_t a, int32_t b, int32_t c)
{
    if (a == '+' || a == '-')
        return is_digit(b) || (b == '.' && is_digit(c));
    if (a == '.')
        return is_digit(b);
    return is_digit(a);
}

static void
buf_clear(oc_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void
put_cp(oc_buf *b, uint32_t c)
{
    char u[4];
    size_t n;

    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    oc_buf_put(b, u, n);
}

/* §4.3.7, after the backslash. */
static uint32_t
consume_escape(lexer *lx)
{
    int32_t c = at(lx, 0);
    uint32_t v = 0;

    if (c < 0)
        return 0xFFFD;
    if (hex_val(c) < 0) {
        adv(lx);
        return (uint32_t)c;
    }
    for (int k = 0; k < 6 && hex_val(at(lx, 0)) >= 0; k++) {
        v = v * 16 + (uint32_t)hex_val(at(lx, 0));
        adv(lx);
    }
    if (is_ws(at(lx, 0)))
        adv(lx);
    if (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
        v = 0xFFFD;
    return v;
}

static void
consume_name(lexer *lx, oc_buf *b)
{
    buf_clear(b);
    for (;;) {
        int32_t c = at(lx, 0);

        if (is_name(c)) {
            put_cp(b, (uint32_t)c);
            adv(lx);
        } else if (valid_escape(c, at(lx, 1))) {
            adv(lx);
            put_cp(b, consume_escape(lx));
        } else {
            return;
        }
    }
}

/* §4.3.12 and §4.3.13, without strtod (which follows the locale). */
static double
consume_number(lexer *lx)
{
    double sign = 1, v = 0, scale = 1;
    int e = 0, esign = 1;

    if (at(lx, 0) == '+' || at(lx, 0) == '-') {
        sign = at(lx, 0) == '-' ? -1 : 1;
        adv(lx);
    }
    while (is_digit(at(lx, 0))) {
        v = v * 10 + (at(lx, 0) - '0');
        adv(lx);
    }
    if (at(lx, 0) == '.' && is_digit(at(lx, 1))) {
        adv(lx);
        while (is_digit(at(lx, 0))) {
            scale /= 10;
            v += (at(lx, 0) - '0') * scale;
            adv(lx);
        }
    }
    if ((at(lx, 0) == 'e' || at(lx, 0) == 'E') &&
        (is_digit(at(lx, 1)) ||
         ((at(lx, 1) == '+' || at(lx, 1) == '-') && is_digit(at(lx, 2))))) {
        adv(lx);
        if (at(lx, 0) == '+' || at(lx, 0) == '-') {
            esign = at(lx, 0) == '-' ? -1 : 1;
            adv(lx);
        }
        while (is_digit(at(lx, 0))) {
            if (e < 1000)
                e = e * 10 + (at(lx, 0) - '0');
            adv(lx);
        }
    }
    for (int k = 0; k < e && k < 400 && v != 0 && isfinite(v); k++)
        v = esign > 0 ? v * 10 : v / 10;
    return sign * v;
}

static bool
non_printable(int32_t c)
{
    return (c >= 0 && c <= 8) || c == 0x0B || (c >= 0x0E && c <= 0x1F) ||
           c == 0x7F;
}

/* §4.3.14: what is left of a bad URL. */
static void
consume_bad_url(lexer *lx)
{
    for (;;) {
        int32_t c = at(lx, 0);

        if (c < 0)
            return;
        adv(lx);
        if (c == ')')
            return;
        if (valid_escape(c, at(lx, 0)))
            consume_escape(lx);
    }
}

/* §4.3.6, after "url(". */
static tok_type
consume_url(lexer *lx, oc_buf *b)
{
    buf_clear(b);
    while (is_ws(at(lx, 0)))
        adv(lx);
    for (;;) {
        int32_t c = at(lx, 0);

        if (c < 0)
            return T_URL;
        if (c == ')') {
            adv(lx);
            return T_URL;
        }
        if (is_ws(c)) {
            while (is_ws(at(lx, 0)))
                adv(lx);
            if (at(lx, 0) == ')' || at(lx, 0) < 0) {
                adv(lx);
                return T_URL;
            }
            consume_bad_url(lx);
            return T_BAD_URL;
        }
        if (c == '"' || c == '\'' || c == '(' || non_printable(c)) {
            consume_bad_url(lx);
            return T_BAD_URL;
        }
        if (c == '\\') {
            if (!valid_escape(c, at(lx, 1))) {
                consume_bad_url(lx);
                return T_BAD_URL;
            }
            adv(lx);
            put_cp(b, consume_escape(lx));
            continue;
        }
        put_cp(b, (uint32_t)c);
        adv(lx);
    }
}

/* Decode UTF-8 (invalid sequences become U+FFFD) and preprocess (§3.3):
 * CR LF, CR and FF become LF, NUL becomes U+FFFD. Caller frees. */
static int32_t *
decode_text(const char *text, size_t len, size_t *n)
{
    const unsigned char *s = (const unsigned char *)text;
    int32_t *cp = oc_xmalloc((len + 1) * sizeof *cp);
    size_t i = 0, k = 0;

    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    while (i < len) {
        uint32_t c = s[i], min;
        size_t need;

        if (c < 0x80) {
            i++;
            if (c == '\r') {
                if (i < len && s[i] == '\n')
                    i++;
                c = '\n';
            } else if (c == '\f') {
                c = '\n';
            } else if (c == 0) {
                c = 0xFFFD;
            }
            cp[k++] = (int32_t)c;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, c &= 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, c &= 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, c &= 0x07, min = 0x10000;
        else
            need = 0, min = 0;
        if (need == 0 || i + need >= len) {
            cp[k++] = 0xFFFD;
            i++;
            continue;
        }
        {
            size_t j;

            for (j = 1; j <= need; j++) {
                if ((s[i + j] & 0xC0) != 0x80)
                    break;
                c = (c << 6) | (s[i + j] & 0x3F);
            }
            if (j <= need || c < min || c > 0x10FFFF ||
                (c >= 0xD800 && c <= 0xDFFF)) {
                cp[k++] = 0xFFFD;
                i++;
                continue;
            }
            cp[k++] = (int32_t)c;
            i += need + 1;
        }
    }
    *n = k;
    return cp;
}

/* ---- the parser: warnings, and the tokens in p->t ---- */

static void
pwarn(const parser *p, const tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pwarn(const parser *p, const tok *t, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->fixed_line != 0)
        oc_warn(p->file, p->fixed_line > 0 ? p->fixed_line : 0, 0, "%s",
                msg);
    else
        oc_warn(p->file, t ? t->line : 0, t ? t->col : 0, "%s", msg);
}

static void
push_tok(parser *p, size_t *cap, const tok *t)
{
    if (p->n + 1 >= *cap) {
        *cap = *cap ? *cap * 2 : 256;
        p->t = oc_xrealloc(p->t, *cap * sizeof *p->t);
    }
    p->t[p->n++] = *t;
}

/* The text in b, copied into the arena. */
static const char *
buf_text(parser *p, const oc_buf *b)
{
    return oc_arena_strndup(p->a, b->data ? b->data : "", b->len);
}

/* A HASH or AT token: the '#' or '@' here, then a name. */
static void
prefixed_name(parser *p, lexer *lx, oc_buf *b, tok *t, tok_type type)
{
    adv(lx);
    consume_name(lx, b);
    t->type = type;
    t->s = buf_text(p, b);
}

/* Ident-like token (§4.3.4), the name in b. */
static void
ident_like(parser *p, lexer *lx, oc_buf *b, tok *t)
{
    consume_name(lx, b);
    if (ieq(b->data ? b->data : "", "url") && at(lx, 0) == '(') {
        adv(lx);
        while (is_ws(at(lx, 0)) && is_ws(at(lx, 1)))
            adv(lx);
        if (at(lx, 0) == '"' || at(lx, 0) == '\'' ||
            (is_ws(at(lx, 0)) && (at(lx, 1) == '"' || at(lx, 1) == '\''))) {
            t->type = T_FUNCTION;
            t->s = "url";
            return;
        }
        t->type = consume_url(lx, b);
        t->s = buf_text(p, b);
        return;
    }
    t->s = buf_text(p, b);
    if (at(lx, 0) == '(') {
        adv(lx);
        t->type = T_FUNCTION;
    } else {
        t->type = T_IDENT;
    }
}

static void
string_tok(parser *p, lexer *lx, oc_buf *b, tok *t)
{
    int32_t end = at(lx, 0);

    adv(lx);
    buf_clear(b);
    t->type = T_STRING;
    for (;;) {
        int32_t c = at(lx, 0);

        if (c == end) {
            adv(lx);
            break;
        }
        if (c < 0) {
            pwarn(p, t, "unterminated string");
            break;
        }
        if (c == '\n') {
            pwarn(p, t, "unterminated string");
            t->type = T_BAD_STRING;
            break;
        }
        if (c == '\\') {
            if (at(lx, 1) == '\n') {
                adv(lx);
                adv(lx);
            } else {
                adv(lx);
                if (at(lx, 0) >= 0)
                    put_cp(b, consume_escape(lx));
            }
            continue;
        }
        put_cp(b, (uint32_t)c);
        adv(lx);
    }
    t->s = buf_text(p, b);
}

/* §4.3.2: skip the comment that starts here; one left open runs to the
 * end of the input. */
static void
skip_comment(parser *p, lexer *lx, const tok *t)
{
    adv(lx);
    adv(lx);
    while (!(at(lx, 0) == '*' && at(lx, 1) == '/')) {
        if (at(lx, 0) < 0) {
            pwarn(p, t, "unterminated comment");
            break;
        }
        adv(lx);
    }
    adv(lx);
    adv(lx);
}

/* A number, percentage or dimension (§4.3.3). */
static void
numeric_tok(parser *p, lexer *lx, oc_buf *b, tok *t)
{
    t->num = consume_number(lx);
    if (starts_ident(at(lx, 0), at(lx, 1), at(lx, 2))) {
        consume_name(lx, b);
        t->type = T_DIMENSION;
        t->s = buf_text(p, b);
    } else if (at(lx, 0) == '%') {
        adv(lx);
        t->type = T_PERCENT;
    } else {
        t->type = T_NUMBER;
    }
}

/* A one-character token: punctuation, or a DELIM. */
static void
single_tok(lexer *lx, tok *t)
{
    static const char singles[] = "()[]{},:;";
    static const tok_type types[] = {
        T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_LBRACE,
        T_RBRACE, T_COMMA, T_COLON, T_SEMI
    };
    int32_t c = at(lx, 0);
    const char *s = c < 0x80 ? strchr(singles, (int)c) : NULL;

    adv(lx);
    if (s && c != 0) {
        t->type = types[s - singles];
    } else {
        t->type = T_DELIM;
        t->delim = (uint32_t)c;
    }
}

/* The next token into t (§4.3.1), comments skipped; false at the end of
 * the input. */
static bool
next_tok(parser *p, lexer *lx, oc_buf *b, tok *t)
{
    int32_t c;

    for (;;) {
        memset(t, 0, sizeof *t);
        t->line = lx->line;
        t->col = lx->col;
        if (!(at(lx, 0) == '/' && at(lx, 1) == '*'))
            break;
        skip_comment(p, lx, t);
    }
    if ((c = at(lx, 0)) < 0)
        return false;
    if (is_ws(c)) {
        while (is_ws(at(lx, 0)))
            adv(lx);
        t->type = T_WS;
    } else if (c == '"' || c == '\'') {
        string_tok(p, lx, b, t);
    } else if (c == '#' && (is_name(at(lx, 1)) ||
                            valid_escape(at(lx, 1), at(lx, 2)))) {
        t->id = starts_ident(at(lx, 1), at(lx, 2), at(lx, 3));
        prefixed_name(p, lx, b, t, T_HASH);
    } else if (starts_number(c, at(lx, 1), at(lx, 2))) {
        numeric_tok(p, lx, b, t);
    } else if (c == '-' && at(lx, 1) == '-' && at(lx, 2) == '>') {
        adv(lx);
        adv(lx);
        adv(lx);
        t->type = T_CDC;
    } else if (c == '<' && at(lx, 1) == '!' && at(lx, 2) == '-' &&
               at(lx, 3) == '-') {
        for (int k = 0; k < 4; k++)
            adv(lx);
        t->type = T_CDO;
    } else if (c == '@' && starts_ident(at(lx, 1), at(lx, 2), at(lx, 3))) {
        prefixed_name(p, lx, b, t, T_AT);
    } else if (starts_ident(c, at(lx, 1), at(lx, 2))) {
        ident_like(p, lx, b, t);
    } else {
        single_tok(lx, t);
    }
    return true;
}

/* Pair every opener in p->t with its closer in p->match: a closer of
 * another kind inside a block is an ordinary token (§5.4.8), and an
 * opener left open at the end pairs with EOF. */
static void
pair_blocks(parser *p)
{
    size_t *stack, depth = 0;

    p->match = oc_xmalloc((p->n + 1) * sizeof *p->match);
    stack = oc_xmalloc((p->n + 1) * sizeof *stack);
    for (size_t i = 0; i <= p->n; i++) {
        tok_type ty = p->t[i].type, want;

        p->match[i] = p->n;
        if (ty == T_LPAREN || ty == T_FUNCTION || ty == T_LBRACKET ||
            ty == T_LBRACE) {
            stack[depth++] = i;
            continue;
        }
        if (depth == 0)
            continue;
        switch (p->t[stack[depth - 1]].type) {
        case T_LBRACKET: want = T_RBRACKET; break;
        case T_LBRACE:   want = T_RBRACE; break;
        default:         want = T_RPAREN; break;
        }
        if (ty == want)
            p->match[stack[--depth]] = i;
    }
    free(stack);
}

/* Turn the text into p->t, ending in EOF, and pair its blocks. */
static void
tokenize(parser *p, const char *text, size_t len)
{
    size_t ncp, cap = 0;
    int32_t *cp = decode_text(text, len, &ncp);
    lexer lx = {cp, ncp, 0, 1, 1};
    oc_buf b = {0};
    tok t;

    while (next_tok(p, &lx, &b, &t))
        push_tok(p, &cap, &t);
    push_tok(p, &cap, &t);      /* EOF, where the input ends */
    p->n--;                     /* t[n] is EOF */
    pair_blocks(p);
    oc_buf_free(&b);
    free(cp);
}

/* ---- declarations (§5.4.5) ---- */

enum { CTX_STYLE, CTX_PAGE, CTX_MBOX };  /* where a declaration list is */

void
oc_css_describe(const tok *t, char *buf, size_t size)
{
    switch (t->type) {
    case T_EOF:       snprintf(buf, size, "end of input"); break;
    case T_IDENT:     snprintf(buf, size, "'%.40s'", t->s); break;
    case T_FUNCTION:  snprintf(buf, size, "'%.40s('", t->s); break;
    case T_AT:        snprintf(buf, size, "'@%.40s'", t->s); break;
    case T_HASH:      snprintf(buf, size, "'#%.40s'", t->s); break;
    case T_STRING:
    case T_BAD_STRING: snprintf(buf, size, "a string"); break;
    case T_URL:
    case T_BAD_URL:   snprintf(buf, size, "a url()"); break;
    case T_NUMBER:
    case T_PERCENT:
    case T_DIMENSION: snprintf(buf, size, "a number"); break;
    case T_DELIM:
        if (t->delim >= 0x20 && t->delim < 0x7F)
            snprintf(buf, size, "'%c'", (char)t->delim);
        else
            snprintf(buf, size, "U+%04X", (unsigned)t->delim);
        break;
    default: {
        static const char *names[] = {
            [T_WS] = "white space", [T_CDO] = "'<!--'", [T_CDC] = "'-->'",
            [T_COLON] = "':'", [T_SEMI] = "';'", [T_COMMA] = "','",
            [T_LBRACKET] = "'['", [T_RBRACKET] = "']'", [T_LPAREN] = "'('",
            [T_RPAREN] = "')'", [T_LBRACE] = "'{'", [T_RBRACE] = "'}'",
        };

        snprintf(buf, size, "%s", names[t->type] ? names[t->type] : "?");
    }
    }
}

/* Report property 'name' once per collection. */
static void
warn_once(parser *p, const tok *t, const char *name, const char *fmt)
{
    void **slot = oc_css_smap_slot(p->a, &p->css->warned, name,
                                   strlen(name), true);

    if (*slot)
        return;
    *slot = (void *)1;
    pwarn(p, t, fmt, name);
}

/* The declaration in t[i..end), t[i] its name. */
static void
parse_declaration(parser *p, size_t i, size_t end, int ctx, dvec *out)
{
    const tok *name = &p->t[i];
    char *lname;
    size_t k = skip_ws(p, i + 1, end), vend = end, e;
    bool important = false;
    const prop_def *def;
    size_t before = out->n;
    cur c;

    if (k >= end || p->t[k].type != T_COLON) {
        char what[64];

        oc_css_describe(k < end ? &p->t[k] : &p->t[p->n], what,
                        sizeof what);
        pwarn(p, k < end ? &p->t[k] : name,
              "expected ':' after '%.60s', found %s; declaration ignored",
              name->s, what);
        return;
    }
    lname = lower_dup(p->a, name->s);
    if (strncmp(lname, "--", 2) == 0)
        return;                         /* custom property: unused */
    /* "! important" at the end (§5.4.6) */
    e = vend;
    while (e > k + 1 && p->t[e - 1].type == T_WS)
        e--;
    if (e > k + 1 && p->t[e - 1].type == T_IDENT &&
        ieq(p->t[e - 1].s, "important")) {
        size_t b = e - 1;

        while (b > k + 1 && p->t[b - 1].type == T_WS)
            b--;
        if (b > k + 1 && is_delim(&p->t[b - 1], '!')) {
            important = true;
            vend = b - 1;
        }
    }
    c = (cur){p, k + 1, vend};
    if (at_end(&c)) {
        pwarn(p, name, "empty value for '%s'; declaration ignored", lname);
        return;
    }
    if ((def = oc_css_find_prop(lname)) == NULL) {
        if (!oc_css_is_silent(lname))
            warn_once(p, name, lname,
                      "unsupported property '%s' ignored (reported once)");
        return;
    }
    if (def->prop >= 0 && (oc_css_prop_flags[def->prop] & F_PAGE_ONLY) &&
        ctx != CTX_PAGE) {
        warn_once(p, name, lname, "property '%s' applies in @page only; "
                  "ignored (reported once)");
        return;
    }
    if (def->prop == P_CONTENT && ctx != CTX_MBOX)
        return;                 /* generated content: not rendered */
    if (!oc_css_parse_value(p, def, &c, out)) {
        out->n = before;
        pwarn(p, &p->t[skip_ws(p, k + 1, vend)],
              "invalid value for '%s'; declaration ignored", lname);
        return;
    }
    for (size_t d = before; d < out->n; d++)
        out->d[d].important = important;
}

static const char *mbox_names[OC_MBOX_COUNT] = {
    "top-left-corner", "top-left", "top-center", "top-right",
    "top-right-corner", "right-top", "right-middle", "right-bottom",
    "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left",
    "bottom-left-corner", "left-bottom", "left-middle", "left-top"
};

static void
warn_unclosed(parser *p, size_t brace)
{
    if (p->match[brace] != p->n || p->eof_warned)
        return;
    p->eof_warned = true;
    pwarn(p, &p->t[brace], "'}' missing: the block opened here runs to the "
          "end of the stylesheet");
}

/* Declarations in t[i..end); in @page (ctx CTX_PAGE), margin boxes go
 * to boxes[]. */
static void
parse_decl_list(parser *p, size_t i, size_t end, int ctx, dvec *out,
                dvec *boxes)
{
    while (i < end) {
        const tok *t = &p->t[i];
        size_t j = i;

        if (t->type == T_WS || t->type == T_SEMI) {
            i++;
            continue;
        }
        if (t->type == T_AT) {
            int box = -1;

            j = i + 1;
            while (j < end && p->t[j].type != T_SEMI &&
                   p->t[j].type != T_LBRACE)
                j = next_cv(p, j, end);
            for (int b = 0; ctx == CTX_PAGE && b < OC_MBOX_COUNT; b++)
                if (ieq(t->s, mbox_names[b]))
                    box = b;
            if (box >= 0 && j < end && p->t[j].type == T_LBRACE &&
                skip_ws(p, i + 1, j) == j) {
                size_t bend = p->match[j] < end ? p->match[j] : end;

                warn_unclosed(p, j);
                parse_decl_list(p, j + 1, bend, CTX_MBOX, &boxes[box],
                                NULL);
            } else {
                pwarn(p, t, "unexpected at-rule '@%.60s' in a declaration "
                      "block; ignored", t->s);
            }
            i = j < end ? next_cv(p, j, end) : end;
            continue;
        }
        while (j < end && p->t[j].type != T_SEMI)
            j = next_cv(p, j, end);
        if (t->type == T_IDENT) {
            parse_declaration(p, i, j, ctx, out);
        } else {
            char what[64];

            oc_css_describe(t, what, sizeof what);
            pwarn(p, t, "unexpected %s in a declaration block; skipped to "
                  "the next ';'", what);
        }
        i = j;
    }
}

static void
finish_block(oc_arena *a, dvec *dv, block *b)
{
    b->n = dv->n;
    b->d = NULL;
    if (dv->n)
        b->d = memcpy(oc_arena_alloc(a, dv->n * sizeof *dv->d), dv->d,
                      dv->n * sizeof *dv->d);
    free(dv->d);
    memset(dv, 0, sizeof *dv);
}

/* ---- rules (§5.4.1 to §5.4.4) ---- */

static void parse_rules(parser *p, size_t i, size_t end, bool top);

/* A style rule: selector list t[i..brace), then its block. Returns the
 * index after the rule. */
static size_t
parse_style_rule(parser *p, size_t i, size_t end)
{
    size_t j = i, bend, next, nrules = 0;
    rule rules[64], *rs;
    const char *file;
    sel_error e = {NULL, ""};
    bool bad = false, too_many = false;
    dvec dv = {0};
    block *b;

    while (j < end && p->t[j].type != T_LBRACE)
        j = next_cv(p, j, end);
    if (j >= end) {
        pwarn(p, &p->t[i], "expected '{' after a selector; the rest of the "
              "%s is ignored", p->depth ? "block" : "stylesheet");
        return end;
    }
    warn_unclosed(p, j);
    bend = p->match[j] < end ? p->match[j] : end;
    next = next_cv(p, j, end);
    for (size_t k = i; k < j && !bad;) {
        size_t c = k;
        rule r = {0};
        int rc;

        while (c < j && p->t[c].type != T_COMMA)
            c = next_cv(p, c, j);
        rc = oc_css_parse_selector(p, k, c, &r, &e);
        if (rc == SEL_BAD)
            bad = true;
        else if (rc == SEL_OK && nrules < sizeof rules / sizeof rules[0])
            rules[nrules++] = r;
        else if (rc == SEL_OK)
            too_many = true;
        k = c + 1;
        if (c < j && k >= j) {
            e.at = &p->t[c];
            snprintf(e.msg, sizeof e.msg, "selector list ends with ','");
            bad = true;
        }
    }
    if (bad) {
        pwarn(p, e.at ? e.at : &p->t[i], "%s; rule ignored", e.msg);
        return next;
    }
    if (too_many)
        pwarn(p, &p->t[i], "more than %zu selectors in one rule; the rest "
              "are ignored", sizeof rules / sizeof rules[0]);
    parse_decl_list(p, j + 1, bend, CTX_STYLE, &dv, NULL);
    if (nrules == 0) {
        free(dv.d);
        return next;                    /* pseudo-elements only */
    }
    b = oc_arena_alloc(p->a, sizeof *b);
    finish_block(p->a, &dv, b);
    rs = oc_arena_alloc(p->a, nrules * sizeof *rs);
    file = p->file != NULL ? oc_arena_strdup(p->a, p->file) : NULL;
    for (size_t k = 0; k < nrules; k++) {
        rs[k] = rules[k];
        rs[k].order = p->css->norder;
        rs[k].origin = p->origin;
        rs[k].decls = b;
        rs[k].file = file;
        rs[k].line = p->t[i].line;
        oc_css_index_rule(p->css, &rs[k]);
    }
    p->css->norder++;
    return next;
}

/* One media query (Media Queries 4 §3): the media type must be print or
 * all; media features are not evaluated and make the query false. */
static bool
query_matches(parser *p, size_t i, size_t end)
{
    cur c = {p, i, end};
    const tok *t = take(&c);
    bool neg = false, ok;

    if (t && t->type == T_IDENT && (ieq(t->s, "not") || ieq(t->s, "only"))) {
        neg = ieq(t->s, "not");
        t = take(&c);
    }
    if (t == NULL)
        return false;
    if (t->type == T_IDENT && !ieq(t->s, "and") && !ieq(t->s, "or") &&
        !ieq(t->s, "not") && !ieq(t->s, "only"))
        ok = ieq(t->s, "print") || ieq(t->s, "all");
    else if (t->type == T_LPAREN && !neg)
        ok = false;
    else
        return false;
    while ((t = take(&c)) != NULL) {
        if (t->type != T_IDENT || !ieq(t->s, "and"))
            return false;
        if ((t = take(&c)) == NULL || t->type != T_LPAREN)
            return false;
        ok = false;
    }
    return neg ? !ok : ok;
}

static bool
media_matches(parser *p, size_t i, size_t end)
{
    bool any = false;

    if (skip_ws(p, i, end) >= end)
        return true;
    while (i < end) {
        size_t j = i;

        while (j < end && p->t[j].type != T_COMMA)
            j = next_cv(p, j, end);
        any |= query_matches(p, i, j);
        i = j + 1;
    }
    return any;
}

static void
parse_namespace(parser *p, const tok *at, size_t i, size_t end)
{
    cur c = {p, i, end};
    const tok *t = take(&c);
    const char *prefix = NULL, *uri = NULL;

    if (t && t->type == T_IDENT) {
        prefix = t->s;
        t = take(&c);
    }
    if (t && (t->type == T_STRING || t->type == T_URL)) {
        uri = t->s;
    } else if (t && t->type == T_FUNCTION && ieq(t->s, "url")) {
        cur a = args_of(&c, t);
        const tok *s = take(&a);

        if (s && s->type == T_STRING && at_end(&a))
            uri = s->s;
    }
    if (uri == NULL || !at_end(&c)) {
        pwarn(p, at, "malformed @namespace rule; ignored");
        return;
    }
    if (prefix) {
        ns_decl *d = oc_arena_alloc(p->a, sizeof *d);

        d->prefix = prefix;
        d->uri = uri;
        d->next = p->ns;
        p->ns = d;
    } else {
        p->default_ns = uri;
    }
}

/* @page selectors (CSS Paged Media 3 §3.1) and block. */
static void
parse_page(parser *p, const tok *at, size_t i, size_t end, size_t bi,
           size_t bend)
{
    unsigned need[16];
    uint32_t spec[16];
    size_t nsel = 0;
    dvec dv = {0}, boxes[OC_MBOX_COUNT];
    page_rule pr;

    if (skip_ws(p, i, end) >= end) {
        need[0] = 0;
        spec[0] = 0;
        nsel = 1;
    }
    while (skip_ws(p, i, end) < end) {
        size_t j = i;
        cur c;
        const tok *t;

        while (j < end && p->t[j].type != T_COMMA)
            j = next_cv(p, j, end);
        c = (cur){p, i, j};
        t = peek(&c);
        if (nsel == sizeof need / sizeof need[0] || t == NULL) {
            pwarn(p, at, "malformed @page selector; rule ignored");
            return;
        }
        if (t->type == T_IDENT) {
            pwarn(p, t, "named pages (@page %.60s) are not supported; rule "
                  "ignored", t->s);
            return;
        }
        need[nsel] = 0;
        spec[nsel] = 0;
        for (size_t k = c.i; k < j; k += 2) {
            const tok *n = k + 1 < j ? &p->t[k + 1] : NULL;
            unsigned f;

            if (p->t[k].type != T_COLON || n == NULL ||
                n->type != T_IDENT) {
                if (p->t[k].type == T_WS && skip_ws(p, k, j) == j)
                    break;
                pwarn(p, &p->t[k], "malformed @page selector; rule "
                      "ignored");
                return;
            }
            f = ieq(n->s, "first") ? OC_PAGE_FIRST :
                ieq(n->s, "left") ? OC_PAGE_LEFT :
                ieq(n->s, "right") ? OC_PAGE_RIGHT :
                ieq(n->s, "blank") ? OC_PAGE_BLANK : 0;
            if (f == 0) {
                pwarn(p, n, "unsupported page selector ':%.60s'; rule "
                      "ignored", n->s);
                return;
            }
            need[nsel] |= f;
            bump(&spec[nsel], f & (OC_PAGE_FIRST | OC_PAGE_BLANK) ? 10 : 0);
        }
        nsel++;
        i = j + 1;
    }
    memset(boxes, 0, sizeof boxes);
    memset(&pr, 0, sizeof pr);
    parse_decl_list(p, bi, bend, CTX_PAGE, &dv, boxes);
    finish_block(p->a, &dv, &pr.decls);
    for (int b = 0; b < OC_MBOX_COUNT; b++)
        finish_block(p->a, &boxes[b], &pr.boxes[b]);
    pr.order = p->css->norder++;
    pr.origin = p->origin;
    pr.file = p->file != NULL ? oc_arena_strdup(p->a, p->file) : NULL;
    pr.line = at->line;
    for (size_t k = 0; k < nsel; k++) {
        page_rule *r = oc_arena_alloc(p->a, sizeof *r);
        oc_css *css = p->css;

        *r = pr;
        r->need = need[k];
        r->spec = spec[k];
        if (css->npages == css->pages_cap) {
            size_t cap = css->pages_cap ? css->pages_cap * 2 : 8;

            css->pages = oc_arena_grow(p->a, css->pages, css->pages_cap,
                                       cap, sizeof *css->pages);
            css->pages_cap = cap;
        }
        css->pages[css->npages++] = r;
    }
}

/* An at-rule at t[i]; returns the index after it. */
static size_t
parse_at_rule(parser *p, size_t i, size_t end)
{
    const tok *at = &p->t[i];
    size_t j = i + 1, bend = end, next;
    bool has_block;

    while (j < end && p->t[j].type != T_SEMI && p->t[j].type != T_LBRACE)
        j = next_cv(p, j, end);
    has_block = j < end && p->t[j].type == T_LBRACE;
    next = j < end ? next_cv(p, j, end) : end;
    if (has_block) {
        warn_unclosed(p, j);
        bend = p->match[j] < end ? p->match[j] : end;
    }
    if (ieq(at->s, "media")) {
        if (!has_block)
            pwarn(p, at, "@media without a block; ignored");
        else if (p->depth >= MAX_NESTING)
            pwarn(p, at, "@media nested too deeply; ignored");
        else if (media_matches(p, i + 1, j)) {
            p->depth++;
            parse_rules(p, j + 1, bend, false);
            p->depth--;
        }
    } else if (ieq(at->s, "page")) {
        if (!has_block)
            pwarn(p, at, "@page without a block; ignored");
        else
            parse_page(p, at, i + 1, j, j + 1, bend);
    } else if (ieq(at->s, "namespace")) {
        if (has_block)
            pwarn(p, at, "malformed @namespace rule; ignored");
        else
            parse_namespace(p, at, i + 1, j);
    } else if (ieq(at->s, "import")) {
        pwarn(p, at, "@import is not followed (list the stylesheet in the "
              "manifest instead); ignored");
    } else if (ieq(at->s, "font-face") || ieq(at->s, "charset") ||
               ieq(at->s, "keyframes") || ieq(at->s, "-webkit-keyframes") ||
               ieq(at->s, "-moz-keyframes")) {
        /* fonts are the EPUB's (the PDF engine uses fontconfig); the rest
           has no effect on paper */
    } else {
        pwarn(p, at, "unsupported at-rule '@%.60s' ignored", at->s);
    }
    return next;
}

static void
parse_rules(parser *p, size_t i, size_t end, bool top)
{
    while (i < end) {
        tok_type ty = p->t[i].type;

        if (ty == T_WS || (top && (ty == T_CDO || ty == T_CDC)))
            i++;
        else if (ty == T_AT)
            i = parse_at_rule(p, i, end);
        else
            i = parse_style_rule(p, i, end);
    }
}

static void
parser_init(parser *p, oc_css *css, const char *file, int origin)
{
    static ns_decl xml_ns = {"xml", XML_NS, NULL};
    static ns_decl epub_ns = {"epub", EPUB_NS, &xml_ns};

    memset(p, 0, sizeof *p);
    p->css = css;
    p->a = css->a;
    p->file = file;
    p->origin = origin;
    p->ns = &epub_ns;           /* predeclared, for EPUB stylesheets */
}

void
oc_css_parse_sheet(oc_css *css, const char *text, size_t len,
                   const char *file, int origin)
{
    parser p;

    parser_init(&p, css, file ? oc_arena_strdup(css->a, file) : NULL,
                origin);
    tokenize(&p, text ? text : "", text ? len : 0);
    parse_rules(&p, 0, p.n, true);
    free(p.t);
    free(p.match);
}

const block *
oc_css_style_attr(oc_css *css, xmlNodePtr el, const char *text)
{
    void **slot = oc_css_smap_slot(css->a, &css->style_attrs, text,
                                   strlen(text), true);
    parser p;
    dvec dv = {0};
    block *b;
    long line;

    if (*slot)
        return ((block *)*slot)->n ? *slot : NULL;
    parser_init(&p, css, el->doc ? (const char *)el->doc->URL : NULL,
                ORIGIN_AUTHOR);
    line = xmlGetLineNo(el);
    p.fixed_line = line > 0 && line < 1000000000 ? (int)line : -1;
    tokenize(&p, text, strlen(text));
    parse_decl_list(&p, 0, p.n, CTX_STYLE, &dv, NULL);
    free(p.t);
    free(p.match);
    b = oc_arena_alloc(css->a, sizeof *b);
    finish_block(css->a, &dv, b);
    *slot = b;
    return b->n ? b : NULL;
}

