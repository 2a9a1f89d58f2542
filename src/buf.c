/* buf.c - growable byte buffer and whole-file I/O. */
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

#define DEFAULT_FILE_LIMIT ((size_t)64 << 20)

void
oc_buf_reserve(oc_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;

    if (need <= b->cap)
        return;
    b->cap = b->cap ? b->cap : 256;
    while (b->cap < need)
        b->cap *= 2;
    b->data = oc_xrealloc(b->data, b->cap);
}

void
oc_buf_put(oc_buf *b, const void *p, size_t n)
{
    oc_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
oc_buf_puts(oc_buf *b, const char *s)
{
    oc_buf_put(b, s, strlen(s));
}

void
oc_buf_printf(oc_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    oc_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
oc_buf_free(oc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

oc_status
oc_buf_read_file(oc_buf *b, const char *path, size_t limit, oc_error *err)
{
    struct stat st;
    oc_status rc = OC_OK;
    int fd;

    if (limit == 0)
        limit = DEFAULT_FILE_LIMIT;
    /* Without blocking, so that a FIFO named as an input cannot hang the
     * build: only a regular file is read. */
    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)) < 0)
        return oc_error_set(err, OC_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int dir = S_ISDIR(st.st_mode);

        close(fd);
        return oc_error_set(err, OC_ERR_IO, path, 0, 0, "cannot read: %s",
                            dir ? "is a directory"
                                : "not a regular file (a FIFO, a device or "
                                  "a socket)");
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        int e = errno;

        close(fd);
        return oc_error_set(err, OC_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(e));
    }
    /* Read straight into the buffer, sized by the file's size (a file
     * that grows meanwhile grows it). */
    b->len = 0;
    oc_buf_reserve(b, (size_t)st.st_size < limit ? (size_t)st.st_size
                                                  : 0);
    for (;;) {
        ssize_t n;

        if (b->cap - b->len < 2)
            oc_buf_reserve(b, 65536);
        n = read(fd, b->data + b->len, b->cap - b->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = oc_error_set(err, OC_ERR_IO, path, 0, 0, "cannot read: %s",
                              strerror(errno));
            break;
        }
        if (n == 0)
            break;
        if (b->len + (size_t)n > limit) {
            rc = oc_error_set(err, OC_ERR_INVALID, path, 0, 0,
                              "file is larger than the limit of %zu bytes",
                              limit);
            break;
        }
        b->len += (size_t)n;
    }
    b->data[b->len] = '\0';
    close(fd);
    return rc;
}

/* The temporary files being written, for the signal handler: a slot
 * per file being written at once (two builds on two threads write at
 * the same time). A slot is claimed (1) and then holds a path (2). */
enum { PENDING_SLOTS = 16 };
static char pending_tmp[PENDING_SLOTS][4200];
static int pending[PENDING_SLOTS];

static void
remove_pending(int sig)
{
    for (int i = 0; i < PENDING_SLOTS; i++)
        if (__atomic_load_n(&pending[i], __ATOMIC_ACQUIRE) == 2)
            unlink(pending_tmp[i]);     /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* A slot for 'tmp', or -1 when all are taken (then a signal may leave
 * that one file behind, nothing worse). */
int
oc_temp_guard(const char *tmp)
{
    for (int i = 0; i < PENDING_SLOTS; i++) {
        int free_slot = 0;

        if (__atomic_compare_exchange_n(&pending[i], &free_slot, 1, 0,
                                        __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED)) {
            snprintf(pending_tmp[i], sizeof pending_tmp[i], "%s", tmp);
            __atomic_store_n(&pending[i], 2, __ATOMIC_RELEASE);
            return i;
        }
    }
    return -1;
}

void
oc_temp_unguard(int slot)
{
    if (slot >= 0)
        __atomic_store_n(&pending[slot], 0, __ATOMIC_RELEASE);
}

void
oc_guard_signals(void)
{
    signal(SIGINT, remove_pending);
    signal(SIGTERM, remove_pending);
    signal(SIGHUP, remove_pending);
}

static oc_status
write_error(const char *path, int e, oc_error *err)
{
    /* Making a file, ENOENT and ENOTDIR are about its folder. */
    if (e == ENOENT || e == ENOTDIR)
        return oc_error_set(err, OC_ERR_IO, path, 0, 0, "cannot write: %s",
                            e == ENOENT ? "its folder does not exist"
                                        : "a part of its path is not a "
                                          "folder");
    return oc_error_set(err, OC_ERR_IO, path, 0, 0, "cannot write: %s",
                        strerror(e));
}

oc_status
oc_outfile_open(oc_outfile *f, const char *path, oc_error *err)
{
    struct stat st;
    int e = 0;

    f->path = path;
    f->fd = -1;
    f->slot = -1;
    if (strlen(path) + 5 > sizeof f->tmp)
        return oc_error_set(err, OC_ERR_IO, path, 0, 0, "path too long");
    snprintf(f->tmp, sizeof f->tmp, "%s.tmp", path);
    f->slot = oc_temp_guard(f->tmp);
    /* Whatever is left at the temporary name is replaced, never written
     * through: a symbolic link there (a manuscript's folder can hold one)
     * would send the output into the file it points to, a hard link would
     * truncate its other name's file. A FIFO is opened as it is. */
    if (lstat(f->tmp, &st) == 0 && !S_ISFIFO(st.st_mode) &&
        unlink(f->tmp) != 0)
        e = errno;
    else if ((f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW,
                           0644)) < 0)
        e = errno;
    if (f->fd < 0) {
        oc_temp_unguard(f->slot);
        f->slot = -1;
        return write_error(path, e, err);
    }
    return OC_OK;
}

oc_status
oc_outfile_write(oc_outfile *f, const void *data, size_t len, oc_error *err)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = write(f->fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return write_error(f->path, n < 0 ? errno : EIO, err);
        p += n;
        len -= (size_t)n;
    }
    return OC_OK;
}

oc_status
oc_outfile_commit(oc_outfile *f, oc_error *err)
{
    int e = 0;

    if (close(f->fd) != 0)
        e = errno;
    f->fd = -1;
    if (e == 0 && rename(f->tmp, f->path) != 0)
        e = errno;
    if (e != 0)
        unlink(f->tmp);
    oc_temp_unguard(f->slot);
    f->slot = -1;
    return e != 0 ? write_error(f->path, e, err) : OC_OK;
}

void
oc_outfile_abort(oc_outfile *f)
{
    if (f->fd >= 0) {
        close(f->fd);
        unlink(f->tmp);
    }
    f->fd = -1;
    oc_temp_unguard(f->slot);
    f->slot = -1;
}

oc_status
oc_write_file_atomic(const char *path, const void *data, size_t len,
                     oc_error *err)
{
    oc_outfile f;
    oc_status st;

    if ((st = oc_outfile_open(&f, path, err)) != OC_OK)
        return st;
    if ((st = oc_outfile_write(&f, data, len, err)) != OC_OK) {
        oc_outfile_abort(&f);
        return st;
    }
    return oc_outfile_commit(&f, err);
}

int
oc_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Length of the UTF-8 sequence at p (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 when it is invalid. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
    size_t len;
    unsigned cp;

    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        len = 2, cp = p[0] & 0x1f;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        len = 3, cp = p[0] & 0x0f;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        len = 4, cp = p[0] & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

oc_status
oc_text_check(const char *text, size_t len, const char *file, int first_line,
              size_t *skip, oc_error *err)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    int line = first_line, col = 1;

    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
        i = 3;
    if (skip != NULL)
        *skip = i;
    while (i < len) {
        size_t n;

        if (p[i] == '\0')
            return oc_error_set(err, OC_ERR_SYNTAX, file, line, col,
                                "NUL byte in text");
        if ((n = utf8_seq(p + i, len - i)) == 0)
            return oc_error_set(err, OC_ERR_SYNTAX, file, line, col,
                                "invalid UTF-8 (byte 0x%02x)", p[i]);
        if (p[i] == '\n')
            line++, col = 1;
        else
            col++;
        i += n;
    }
    return OC_OK;
}
