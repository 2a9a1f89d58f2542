/* convert.c - chapters converted on a second thread (convert.h). Both
 * threads take the next chapter not yet begun, in order: the loader, when
 * the chapter it wants is still being converted, converts the next one
 * instead of waiting. A conversion's warnings are kept in its slot and
 * told when its chapter is taken, so that they come in the order a
 * conversion on one thread gives them. */
#include "convert.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

/* Chapters converted ahead of the one taken, at most: each slot holds
 * one chapter's document until it is taken. */
enum { WINDOW = 3 };

typedef struct said {           /* a warning kept */
    struct said *next;
    char        *file;
    int          line, col;
    char         msg[];
} said;

typedef enum { FREE, BUSY, DONE } slot_state;

typedef struct slot {
    slot_state state;
    size_t     index;           /* the chapter it holds */
    xmlDocPtr  doc;
    oc_status  st;
    bool       unread;
    oc_error   err;
    said      *said, **tail;
} slot;

struct oc_convert {
    const oc_convert_input *in;
    size_t          n;
    size_t          next;       /* the first chapter not begun */
    size_t          taken;      /* the first chapter not taken */
    slot            slots[WINDOW];
    pthread_mutex_t lock;
    pthread_cond_t  cv;         /* a chapter begun, done or taken */
    bool            stop;
    bool            running;
    pthread_t       thread;
};

static void
keep_warning(const char *file, int line, int col, const char *msg,
             void *ctx)
{
    slot *s = ctx;
    size_t len = strlen(msg) + 1;
    said *w = oc_xmalloc(sizeof *w + len);

    w->next = NULL;
    w->file = file != NULL ? oc_xstrdup(file) : NULL;
    w->line = line;
    w->col = col;
    memcpy(w->msg, msg, len);
    *s->tail = w;
    s->tail = &w->next;
}

static void
forget_warnings(slot *s)
{
    for (said *w = s->said, *next; w != NULL; w = next) {
        next = w->next;
        free(w->file);
        free(w);
    }
    s->said = NULL;
    s->tail = &s->said;
}

/* Chapter s->index read and converted into s (no lock held). */
static void
convert(const oc_convert_input *in, slot *s)
{
    oc_diag d = {keep_warning, s, 0};
    oc_diag *prev = oc_diag_enter(&d);
    oc_buf text = {0};

    if (in->skip) {
        s->st = OC_OK;
    } else if (in->text != NULL) {
        s->st = oc_chapter_convert(in->text, in->len, in->file,
                                   in->first_line, in->format, &in->opts,
                                   &s->doc, &s->err);
    } else if ((s->st = oc_buf_read_file(&text, in->file, 0, &s->err)) !=
               OC_OK) {
        s->unread = true;
    } else {
        s->st = oc_chapter_convert(text.data, text.len, in->file, 1,
                                   in->format, &in->opts, &s->doc, &s->err);
    }
    oc_buf_free(&text);
    oc_diag_leave(prev);
}

/* The next chapter's slot, begun (lock held), or NULL when there is none
 * to begin yet. */
static slot *
begin(oc_convert *c)
{
    slot *s;

    if (c->stop || c->next >= c->n || c->next >= c->taken + WINDOW)
        return NULL;
    s = &c->slots[c->next % WINDOW];
    forget_warnings(s);
    *s = (slot){BUSY, c->next++, NULL, OC_OK, false, {0}, NULL, NULL};
    s->tail = &s->said;
    return s;
}

/* Slot s converted, the lock let go meanwhile. */
static void
convert_slot(oc_convert *c, slot *s)
{
    pthread_mutex_unlock(&c->lock);
    convert(&c->in[s->index], s);
    pthread_mutex_lock(&c->lock);
    s->state = DONE;
    pthread_cond_broadcast(&c->cv);
}

static void *
converter(void *arg)
{
    oc_convert *c = arg;

    pthread_mutex_lock(&c->lock);
    while (!c->stop && c->next < c->n) {
        slot *s = begin(c);

        if (s != NULL)
            convert_slot(c, s);
        else
            pthread_cond_wait(&c->cv, &c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

oc_convert *
oc_convert_start(const oc_convert_input *in, size_t n)
{
    oc_convert *c = oc_xcalloc(1, sizeof *c);

    c->in = in;
    c->n = n;
    for (size_t k = 0; k < WINDOW; k++)
        c->slots[k].tail = &c->slots[k].said;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->cv, NULL);
    /* One chapter: nothing to do beside it. */
    c->running = n > 1 &&
                 pthread_create(&c->thread, NULL, converter, c) == 0;
    return c;
}

oc_status
oc_convert_take(oc_convert *c, size_t i, xmlDocPtr *doc, bool *unread,
                oc_error *err)
{
    slot *s = &c->slots[i % WINDOW];
    oc_status st;

    pthread_mutex_lock(&c->lock);
    c->taken = i;
    if (c->next < i)                /* chapters passed over: never begun */
        c->next = i;
    while (s->state != DONE || s->index != i) {
        slot *mine = begin(c);

        if (mine != NULL)
            convert_slot(c, mine);
        else
            pthread_cond_wait(&c->cv, &c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    for (said *w = s->said; w != NULL; w = w->next)
        oc_warn_again(w->file, w->line, w->col, w->msg);
    *doc = s->doc;
    *unread = s->unread;
    st = s->st;
    if (st != OC_OK)
        oc_error_set(err, s->err.code, s->err.file, s->err.line, s->err.col,
                     "%s", s->err.msg);
    pthread_mutex_lock(&c->lock);
    forget_warnings(s);
    s->doc = NULL;
    s->state = FREE;
    c->taken = i + 1;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->lock);
    return st;
}

void
oc_convert_end(oc_convert *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->lock);
    if (c->running)
        pthread_join(c->thread, NULL);
    for (size_t k = 0; k < WINDOW; k++) {
        if (c->slots[k].doc != NULL)
            xmlFreeDoc(c->slots[k].doc);
        forget_warnings(&c->slots[k]);
    }
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->cv);
    free(c);
}
