/* cli-watch.c - build --watch: build, then wait for an input of the book
 * to change (inotify, on every folder of the book's), let the changes
 * settle, and build again; until SIGINT, SIGTERM or SIGHUP, taken through
 * a signalfd while waiting so that the watch ends cleanly. A failed
 * build leaves the outputs of the last good one (they are only ever
 * replaced whole). */
#define _XOPEN_SOURCE 700       /* realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum {
    MAX_DIRS = 512,             /* folders of the book watched */
    SETTLE_MS = 200             /* quiet time before building again */
};

struct oc_cli_watch {
    int      fd;                /* inotify */
    char    *dirs[MAX_DIRS];    /* real path of each watch, by slot */
    int      wds[MAX_DIRS];
    size_t   ndirs;
    char   **inputs;            /* real paths of the last good book's */
    size_t   ninputs;
    bool     loaded;            /* the last build loaded its book */
    char     root[PATH_MAX];    /* the book's folder, real path */
};

static char *
xstrdup(const char *s)
{
    char *d = strdup(s);

    if (d == NULL)
        abort();
    return d;
}

static void
free_inputs(struct oc_cli_watch *w)
{
    for (size_t i = 0; i < w->ninputs; i++)
        free(w->inputs[i]);
    free(w->inputs);
    w->inputs = NULL;
    w->ninputs = 0;
}

void
oc_cli_watch_inputs(oc_cli *c, const oc_book *b)
{
    struct oc_cli_watch *w = c->watching;
    char real[PATH_MAX];
    size_t n = 0;

    if (w == NULL)
        return;
    w->loaded = b != NULL;
    if (b == NULL)
        return;                 /* the inputs of the last good book stay */
    free_inputs(w);
    while (oc_book_input(b, n) != NULL)
        n++;
    if ((w->inputs = calloc(n + 1, sizeof *w->inputs)) == NULL)
        abort();
    for (size_t i = 0; i < n; i++)
        if (realpath(oc_book_input(b, i), real) != NULL)
            w->inputs[w->ninputs++] = xstrdup(real);
}

/* Watch folder 'dir' (a real path) and those under it, hidden ones
 * apart. */
static void
watch_tree(struct oc_cli_watch *w, const char *dir)
{
    DIR *d;
    struct dirent *e;
    int wd;
    size_t i;

    if (w->ndirs == MAX_DIRS)
        return;
    wd = inotify_add_watch(w->fd, dir, IN_MODIFY | IN_CLOSE_WRITE |
                           IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                           IN_DELETE | IN_ONLYDIR);
    if (wd < 0)
        return;
    for (i = 0; i < w->ndirs && w->wds[i] != wd; i++)
        ;
    if (i == w->ndirs) {
        w->wds[w->ndirs] = wd;
        w->dirs[w->ndirs++] = xstrdup(dir);
    }
    if ((d = opendir(dir)) == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char sub[PATH_MAX];
        struct stat st;

        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            watch_tree(w, sub);
    }
    closedir(d);
}

/* Does a change to 'name' in watched folder 'dir' call for a build? An
 * input of the last good book does (2); when the last build could not
 * load its book, any file does (1) but our own outputs, temporary files
 * and editors' backups. */
static int
matters(const struct oc_cli_watch *w, const oc_cli *c, const char *dir,
        const char *name)
{
    char path[PATH_MAX * 2];
    size_t n = strlen(name);

    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (size_t i = 0; i < w->ninputs; i++)
        if (strcmp(w->inputs[i], path) == 0)
            return 2;
    if (w->loaded || name[0] == '.' || name[n - 1] == '~' ||
        (n > 4 && strcmp(name + n - 4, ".tmp") == 0) ||
        (n > 5 && strcmp(name + n - 5, ".part") == 0) ||
        (n > 4 && strcmp(name + n - 4, ".swp") == 0))
        return 0;
    for (size_t k = 0; k < 2; k++) {
        const char *out = k == 0 ? c->epub : c->pdf;
        const char *ext = k == 0 ? ".epub" : ".pdf";

        /* The default outputs are NAME.epub and NAME.pdf. */
        if ((out == NULL && n > strlen(ext) &&
             strcmp(name + n - strlen(ext), ext) == 0) ||
            (out != NULL && strcmp(strrchr(out, '/') ? strrchr(out, '/') + 1
                                                    : out, name) == 0))
            return 0;
    }
    return 1;
}

/* Read the events waiting; the name of the first that matters goes to
 * 'changed', an input's before any other (*rank says which it holds).
 * Returns whether one did. */
static bool
read_events(struct oc_cli_watch *w, const oc_cli *c, char *changed,
            size_t size, int *rank)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct
                                                      inotify_event))));
    bool any = false;
    ssize_t n;

    while ((n = read(w->fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const void *)p;
            int m;

            p += sizeof *e + e->len;
            for (size_t i = 0; i < w->ndirs && e->len > 0; i++) {
                if (w->wds[i] != e->wd)
                    continue;
                if ((e->mask & IN_ISDIR) && (e->mask & IN_CREATE))
                    any = true;     /* a new folder: watched next round */
                else if ((m = matters(w, c, w->dirs[i], e->name)) > 0) {
                    if (m > *rank)
                        snprintf(changed, size, "%s/%s", w->dirs[i],
                                 e->name);
                    *rank = m > *rank ? m : *rank;
                    any = true;
                }
            }
        }
    }
    return any;
}

/* Wait for a change that matters, then for the changes to settle.
 * Returns 1 for a change, 0 when a signal asked to stop. */
static int
wait_change(struct oc_cli_watch *w, const oc_cli *c, int sfd,
            char *changed, size_t size)
{
    struct pollfd p[2] = {{w->fd, POLLIN, 0}, {sfd, POLLIN, 0}};
    bool seen = false;
    int rank = 0;

    changed[0] = '\0';
    for (;;) {
        int r = poll(p, 2, seen ? SETTLE_MS : -1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || (p[1].revents & POLLIN))
            return 0;
        if (r == 0)
            return 1;           /* settled */
        if (p[0].revents & POLLIN)
            seen |= read_events(w, c, changed, size, &rank);
    }
}

/* The folder of the book: c->book's own when it is one, else its
 * manifest's. */
static void
book_root(const oc_cli *c, char root[PATH_MAX])
{
    struct stat st;
    char dir[PATH_MAX];
    const char *slash = strrchr(c->book, '/');

    if (stat(c->book, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(dir, sizeof dir, "%s", c->book);
    else if (slash != NULL)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - c->book + 1),
                 c->book);
    else
        snprintf(dir, sizeof dir, ".");
    if (realpath(dir, root) == NULL)
        snprintf(root, PATH_MAX, "%s", dir);
}

int
oc_cli_watch(oc_cli *c, int (*build)(oc_cli *c))
{
    struct oc_cli_watch w;
    sigset_t stop, old;
    char changed[PATH_MAX * 2];
    int sfd, rc;

    memset(&w, 0, sizeof w);
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    if ((w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
        (sfd = signalfd(-1, &stop, SFD_CLOEXEC)) < 0) {
        fprintf(stderr, "octavo: cannot watch: %s\n", strerror(errno));
        return 1;
    }
    c->watching = &w;
    book_root(c, w.root);
    rc = build(c);
    oc_cli_say(c, "watching %s for changes (Ctrl-C to stop)", c->book);
    for (;;) {
        /* The signals wait in the signalfd while we do; during a build
         * they end the program as they would any build's (buf.h). */
        sigprocmask(SIG_BLOCK, &stop, &old);
        watch_tree(&w, w.root);
        if (!wait_change(&w, c, sfd, changed, sizeof changed))
            break;
        sigprocmask(SIG_SETMASK, &old, NULL);
        oc_cli_say(c, "%s changed; building again",
                   changed[0] ? changed + strlen(w.root) + 1 : "a folder");
        if ((rc = build(c)) != 0)
            oc_cli_say(c, "the build failed; the outputs are the last "
                       "good build's");
    }
    oc_cli_say(c, "stopped watching");
    free_inputs(&w);
    for (size_t i = 0; i < w.ndirs; i++)
        free(w.dirs[i]);
    close(sfd);
    close(w.fd);
    c->watching = NULL;
    return 0;
}
