/* replay.c - a fuzz target run without libFuzzer, as `make check` runs
 * it: each input file as it is, then ROUNDS variants of it made by a
 * seeded mutator (bytes changed, spans cut and repeated, and the tokens
 * the targets' rules are about spliced in), the same on every machine.
 * A breach of a target's rules aborts, as under libFuzzer.
 *
 *     fuzz_TARGET [-n ROUNDS] FILE...
 *
 * Prints one line per file and ends with "N passed, 0 failed": a file
 * whose variants all ran counts as passed (a failure does not return:
 * the input that made it is written to $FUZZ_CRASH, default
 * fuzz-crash-input, and named on standard error). */
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the sanitiser, the CSS reader, the SVG rewriter and the
 * manifest have rules about. */
static const char *tokens[] = {
    "javascript:", "JaVa&#x09;ScRiPt:", "jav&#13;ascript:", "vbscript:",
    "file:///etc/passwd", " fIlE:", "data:text/html,", "data:image/png,",
    "<script>", "</script>", "<svg", "</svg>", " onload=\"x()\"",
    " href=\"", " src=\"", " style=\"", "url(", "\\75 rl(", "@import ",
    "expression(", "image-set(\"", "src(", "var(--a)", "<style>",
    "</style>", "<base href=\"", "<meta http-equiv=refresh content=\"0;url=",
    "<form action=\"", "<iframe", "<xi:include href=\"", " xml:base=\"",
    "<!--", "-->", "<![CDATA[", "]]>", "<!ENTITY x SYSTEM \"", "&#0;",
    "&#x1;", "&amp;", "<a ", "</a>", "<p>", "</p>", "<", ">", "\"", "'",
    "*", "**", "[^1]", "[^1]: ", "[x](", ")", "](", "{", "}", ";", ":",
    "\n", "\n\n", "\t", "#", "%20", "\xc3\xa9", "\xff", "- ", "| a |",
    "```", "chapters: [", "title: ", "---\n",
};

static uint64_t state;

/* The input being run, for the abort handler. */
static const uint8_t *running;
static size_t running_len;
static const char *crash_path;

static void
on_abort(int sig)
{
    int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    static const char msg[] = "replay: the input that failed is in ";

    if (fd >= 0) {
        if (write(fd, running, running_len) < 0)
            running_len = 0;
        close(fd);
    }
    if (write(2, msg, sizeof msg - 1) > 0 &&
        write(2, crash_path, strlen(crash_path)) > 0)
        (void)!write(2, "\n", 1);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Run the target on data[0..len), kept for the abort handler. */
static void
run_one(const uint8_t *data, size_t len)
{
    running = data;
    running_len = len;
    LLVMFuzzerTestOneInput(data, len);
}

static uint64_t
next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* One variant of in[0..len) into *out (malloc'd), its length returned. */
static size_t
mutate(const uint8_t *in, size_t len, uint8_t **out)
{
    size_t cap = len + 4096, n = len;
    uint8_t *b = malloc(cap);
    int ops = 1 + (int)(next() % 4);

    if (b == NULL)
        abort();
    memcpy(b, in, len);
    while (ops-- > 0) {
        size_t at = n ? (size_t)(next() % (n + 1)) : 0;

        switch (next() % 4) {
        case 0:                         /* a byte changed */
            if (at < n)
                b[at] = (uint8_t)next();
            break;
        case 1: {                       /* a token spliced in */
            const char *t = tokens[next() % (sizeof tokens / sizeof *tokens)];
            size_t tl = strlen(t);

            if (n + tl <= cap) {
                memmove(b + at + tl, b + at, n - at);
                memcpy(b + at, t, tl);
                n += tl;
            }
            break;
        }
        case 2: {                       /* a span cut */
            size_t k = (size_t)(next() % 32);

            if (at + k > n)
                k = n - at;
            memmove(b + at, b + at + k, n - at - k);
            n -= k;
            break;
        }
        default: {                      /* a span repeated */
            size_t k = (size_t)(next() % 64);

            if (at + k > n)
                k = n - at;
            if (n + k <= cap) {
                memmove(b + at + k, b + at, n - at);
                n += k;
            }
            break;
        }
        }
    }
    *out = b;
    return n;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    size_t cap = 0;

    *len = 0;
    if (f == NULL)
        return NULL;
    for (size_t k = 1; k > 0; *len += k) {
        if (*len == cap && (b = realloc(b, cap = cap * 2 + 4096)) == NULL)
            abort();
        k = fread(b + *len, 1, cap - *len, f);
    }
    fclose(f);
    return b;
}

int
main(int argc, char **argv)
{
    long rounds = 200;
    int first = 1, passed = 0, failed = 0;

    crash_path = getenv("FUZZ_CRASH") ? getenv("FUZZ_CRASH")
                                      : "fuzz-crash-input";
    signal(SIGABRT, on_abort);
    signal(SIGSEGV, on_abort);
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        rounds = strtol(argv[2], NULL, 10);
        first = 3;
    }
    for (int i = first; i < argc; i++) {
        size_t len;
        uint8_t *data = slurp(argv[i], &len);

        if (data == NULL) {
            printf("FAIL %s: cannot be read\n", argv[i]);
            failed++;
            continue;
        }
        run_one(data, len);
        state = 0x9e3779b97f4a7c15u ^ (uint64_t)i;
        for (long r = 0; r < rounds; r++) {
            uint8_t *v;
            size_t n = mutate(data, len, &v);

            run_one(v, n);
            free(v);
        }
        printf("ok %s and %ld variants\n", argv[i], rounds);
        passed++;
        free(data);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
