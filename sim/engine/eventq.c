/* eventq.c: a binary heap for the current time unit, one bucket per later
 * unit, a slot table for handles, and lazy cancellation.
 *
 * A replication holds a churn event per customer, months ahead; one heap
 * of them all made every pop a walk through megabytes. Here an event goes
 * to the bucket of its whole time unit (floor(time), a month in the
 * engine) unless that unit is the current one or earlier, when it goes to
 * the heap. When the heap runs dry, the next non-empty bucket is heapified
 * into it. Every heap entry has a time below every bucket's, and the heap
 * orders by (time, kind, sequence) as before, so events come out in
 * exactly the order one heap gives.
 *
 * A handle packs (generation << 32 | slot). The slot table says whether a
 * slot's event is pending; a slot's generation grows each time it is
 * reused, which makes old handles stale instead of dangerous. Cancel only
 * marks the slot: the entry is dropped when it reaches the heap's top or
 * when its bucket is loaded. Between calls the heap's top is a pending
 * event, and the heap is empty only when no event is pending. */
#include "eventq.h"

#include <math.h>
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
    uint32_t next;          /* next free slot when free */
    bool live;              /* pending: scheduled and not cancelled */
} slotinfo;

typedef struct bucket {
    entry *v;
    size_t n, cap;
} bucket;

/* Times from this many units on share the last bucket (the heap orders
 * them when it is loaded). */
#define LAST_BUCKET 65536

struct evq {
    entry *heap;
    size_t n, cap;
    bucket *buckets;        /* [unit], for units after `cur` */
    size_t nbuckets;
    size_t cur;             /* the heap's unit: every pending event of units <= cur is in the heap */
    size_t pending_buckets; /* entries in buckets, cancelled or not */
    slotinfo *slots;
    size_t nslots, slotcap;
    uint32_t free_head;     /* UINT32_MAX when empty */
    uint64_t seq;
    size_t cancelled;       /* entries, in the heap or a bucket, whose event was cancelled */
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
    for (size_t b = 0; b < q->nbuckets; b++)
        free(q->buckets[b].v);
    free(q->buckets);
    free(q->heap);
    free(q->slots);
    free(q);
}

static void slot_release(evq *q, uint32_t s)
{
    q->slots[s].live = false;
    q->slots[s].generation++;
    q->slots[s].next = q->free_head;
    q->free_head = s;
}

void evq_clear(evq *q)
{
    for (size_t i = 0; i < q->n; i++)
        slot_release(q, q->heap[i].slot);
    for (size_t b = 0; b < q->nbuckets; b++) {
        for (size_t i = 0; i < q->buckets[b].n; i++)
            slot_release(q, q->buckets[b].v[i].slot);
        q->buckets[b].n = 0;
    }
    q->n = 0;
    q->cur = 0;
    q->pending_buckets = 0;
    q->cancelled = 0;
}

size_t evq_size(const evq *q) { return q->n + q->pending_buckets - q->cancelled; }

static inline bool before(const entry *a, const entry *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->kind != b->kind)
        return a->kind < b->kind;
    return a->seq < b->seq;
}

/* The unit of a time: floor(time), 0 below 0, LAST_BUCKET from there on
 * (and for NaN); never decreasing in time. */
static size_t unit_of(double time)
{
    if (time < 1)
        return 0;
    if (!(time < LAST_BUCKET))
        return LAST_BUCKET;
    return (size_t)time;
}

static void sift_up(evq *q, size_t i)
{
    entry e = q->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&e, &q->heap[parent]))
            break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = e;
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
        q->heap[i] = q->heap[c];
        i = c;
    }
    q->heap[i] = e;
}

static int heap_reserve(evq *q, size_t n)
{
    if (n <= q->cap)
        return 0;
    size_t nc = q->cap * 2 > n ? q->cap * 2 : n;
    entry *nh = realloc(q->heap, nc * sizeof *nh);
    if (!nh)
        return -1;
    q->heap = nh;
    q->cap = nc;
    return 0;
}

/* Makes the next non-empty bucket the (empty) heap: the bucket's array
 * becomes the heap's and the heap's is freed, so nothing is allocated and
 * memory stays that of the pending events; cancelled entries are dropped,
 * the rest heapified. */
static void load_next(evq *q)
{
    while (q->n == 0 && q->pending_buckets > 0) {
        size_t b = q->cur + 1;
        while (b < q->nbuckets && q->buckets[b].n == 0)
            b++;
        bucket *bk = &q->buckets[b];
        entry *v = bk->v;
        size_t n = bk->n;
        free(q->heap);
        q->heap = v;
        q->cap = bk->cap;
        *bk = (bucket){ 0 };
        q->pending_buckets -= n;
        q->cur = b;
        for (size_t i = 0; i < n; i++) {
            if (q->slots[v[i].slot].live) {
                v[q->n++] = v[i];
            } else {
                q->cancelled--;
                slot_release(q, v[i].slot);
            }
        }
        for (size_t i = q->n / 2; i-- > 0;)
            sift_down(q, i);
    }
}

/* Drops cancelled entries from the top and refills an empty heap, so that
 * the top is the next pending event. */
static void settle(evq *q)
{
    for (;;) {
        /* no slot table lookup (a cache miss) while nothing is cancelled */
        while (q->cancelled > 0 && q->n > 0 && !q->slots[q->heap[0].slot].live) {
            q->cancelled--;
            slot_release(q, q->heap[0].slot);
            q->heap[0] = q->heap[--q->n];
            if (q->n > 0)
                sift_down(q, 0);
        }
        if (q->n > 0 || q->pending_buckets == 0)
            return;
        load_next(q);
    }
}

static uint32_t slot_take(evq *q)
{
    if (q->free_head != NO_SLOT) {
        uint32_t s = q->free_head;
        q->free_head = q->slots[s].next;
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

/* Room for entry e in the bucket of unit u (> cur). Returns 0 or -1. */
static int bucket_push(evq *q, size_t u, entry e)
{
    if (u >= q->nbuckets) {
        size_t nb = q->nbuckets ? q->nbuckets : 64;
        while (nb <= u)
            nb *= 2;
        bucket *nv = realloc(q->buckets, nb * sizeof *nv);
        if (!nv)
            return -1;
        for (size_t b = q->nbuckets; b < nb; b++)
            nv[b] = (bucket){ 0 };
        q->buckets = nv;
        q->nbuckets = nb;
    }
    bucket *bk = &q->buckets[u];
    if (bk->n == bk->cap) {
        size_t nc = bk->cap ? bk->cap * 2 : 256;
        entry *nv = realloc(bk->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        bk->v = nv;
        bk->cap = nc;
    }
    bk->v[bk->n++] = e;
    q->pending_buckets++;
    return 0;
}

evq_handle evq_event_schedule(evq *q, double time, int kind, uint32_t subject)
{
    uint32_t s = slot_take(q);
    if (s == NO_SLOT)
        return 0;
    entry e = { time, kind, subject, q->seq, s };
    size_t u = unit_of(time);
    /* an empty queue starts its heap at this event's unit */
    if (q->n == 0 && q->pending_buckets == 0 && u > q->cur)
        q->cur = u;
    int rc = u <= q->cur ? heap_reserve(q, q->n + 1) : bucket_push(q, u, e);
    if (rc < 0) {
        slot_release(q, s);
        return 0;
    }
    q->seq++;
    q->slots[s].live = true;
    if (u <= q->cur) {
        q->heap[q->n++] = e;
        sift_up(q, q->n - 1);
    }
    return ((uint64_t)q->slots[s].generation << 32) | s;
}

bool evq_event_cancel(evq *q, evq_handle h)
{
    uint32_t s = (uint32_t)(h & 0xffffffffu);
    uint32_t gen = (uint32_t)(h >> 32);
    if (h == 0 || s >= q->nslots || !q->slots[s].live || q->slots[s].generation != gen)
        return false;
    q->slots[s].live = false;
    q->cancelled++;
    settle(q);
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
    slot_release(q, q->heap[0].slot);
    q->heap[0] = q->heap[--q->n];
    if (q->n > 0)
        sift_down(q, 0);
    settle(q);
    return true;
}
