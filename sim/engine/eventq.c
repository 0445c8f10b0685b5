/* eventq.c: binary heap with a slot table, so cancel is O(log n).
 *
 * A handle packs (generation << 32 | slot). The slot table maps a slot to
 * the event's current heap position; a slot's generation grows each time it
 * is reused, which makes old handles stale instead of dangerous. */
#include "eventq.h"

#include <stdlib.h>

typedef struct entry {
    double time;
    int kind;
    uint32_t subject;
    uint64_t seq;
    uint32_t slot;
} entry;

typedef struct slotinfo {
    uint32_t generation;
    uint32_t pos;           /* heap index when live, next free slot when free */
    bool live;
} slotinfo;

struct evq {
    entry *heap;
    size_t n, cap;
    slotinfo *slots;
    size_t nslots, slotcap;
    uint32_t free_head;     /* UINT32_MAX when empty */
    uint64_t seq;
};

#define NO_SLOT UINT32_MAX

evq *evq_create(size_t capacity_hint)
{
    evq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->cap = capacity_hint ? capacity_hint : 64;
    q->heap = malloc(q->cap * sizeof *q->heap);
    q->slotcap = q->cap;
    q->slots = malloc(q->slotcap * sizeof *q->slots);
    if (!q->heap || !q->slots) {
        evq_destroy(q);
        return NULL;
    }
    q->free_head = NO_SLOT;
    return q;
}

void evq_destroy(evq *q)
{
    if (!q)
        return;
    free(q->heap);
    free(q->slots);
    free(q);
}

void evq_clear(evq *q)
{
    for (size_t i = 0; i < q->n; i++) {
        slotinfo *s = &q->slots[q->heap[i].slot];
        s->live = false;
        s->generation++;
        s->pos = q->free_head;
        q->free_head = q->heap[i].slot;
    }
    q->n = 0;
}

size_t evq_size(const evq *q) { return q->n; }

static inline bool before(const entry *a, const entry *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->kind != b->kind)
        return a->kind < b->kind;
    return a->seq < b->seq;
}

static inline void place(evq *q, size_t i, entry e)
{
    q->heap[i] = e;
    q->slots[e.slot].pos = (uint32_t)i;
}

static void sift_up(evq *q, size_t i)
{
    entry e = q->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&e, &q->heap[parent]))
            break;
        place(q, i, q->heap[parent]);
        i = parent;
    }
    place(q, i, e);
}

static void sift_down(evq *q, size_t i)
{
    entry e = q->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= q->n)
            break;
        if (c + 1 < q->n && before(&q->heap[c + 1], &q->heap[c]))
            c++;
        if (!before(&q->heap[c], &e))
            break;
        place(q, i, q->heap[c]);
        i = c;
    }
    place(q, i, e);
}

static uint32_t slot_take(evq *q)
{
    if (q->free_head != NO_SLOT) {
        uint32_t s = q->free_head;
        q->free_head = q->slots[s].pos;
        return s;
    }
    if (q->nslots == q->slotcap) {
        size_t nc = q->slotcap * 2;
        slotinfo *ns = realloc(q->slots, nc * sizeof *ns);
        if (!ns)
            return NO_SLOT;
        q->slots = ns;
        q->slotcap = nc;
    }
    q->slots[q->nslots].generation = 1;
    return (uint32_t)q->nslots++;
}

static void slot_release(evq *q, uint32_t s)
{
    q->slots[s].live = false;
    q->slots[s].generation++;
    q->slots[s].pos = q->free_head;
    q->free_head = s;
}

evq_handle evq_event_schedule(evq *q, double time, int kind, uint32_t subject)
{
    if (q->n == q->cap) {
        size_t nc = q->cap * 2;
        entry *nh = realloc(q->heap, nc * sizeof *nh);
        if (!nh)
            return 0;
        q->heap = nh;
        q->cap = nc;
    }
    uint32_t s = slot_take(q);
    if (s == NO_SLOT)
        return 0;
    q->slots[s].live = true;
    entry e = { time, kind, subject, q->seq++, s };
    q->heap[q->n] = e;
    q->slots[s].pos = (uint32_t)q->n;
    q->n++;
    sift_up(q, q->n - 1);
    return ((uint64_t)q->slots[s].generation << 32) | s;
}

static void remove_at(evq *q, size_t i)
{
    uint32_t s = q->heap[i].slot;
    q->n--;
    if (i < q->n) {
        entry last = q->heap[q->n];
        place(q, i, last);
        if (i > 0 && before(&q->heap[i], &q->heap[(i - 1) / 2]))
            sift_up(q, i);
        else
            sift_down(q, i);
    }
    slot_release(q, s);
}

bool evq_event_cancel(evq *q, evq_handle h)
{
    uint32_t s = (uint32_t)(h & 0xffffffffu);
    uint32_t gen = (uint32_t)(h >> 32);
    if (h == 0 || s >= q->nslots || !q->slots[s].live || q->slots[s].generation != gen)
        return false;
    remove_at(q, q->slots[s].pos);
    return true;
}

static void fill(const evq *q, const entry *e, evq_event *out)
{
    out->time = e->time;
    out->kind = e->kind;
    out->subject = e->subject;
    out->handle = ((uint64_t)q->slots[e->slot].generation << 32) | e->slot;
}

bool evq_event_peek(const evq *q, evq_event *out)
{
    if (q->n == 0)
        return false;
    fill(q, &q->heap[0], out);
    return true;
}

bool evq_event_next(evq *q, evq_event *out)
{
    if (q->n == 0)
        return false;
    fill(q, &q->heap[0], out);
    remove_at(q, 0);
    return true;
}
