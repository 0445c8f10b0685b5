/* eventq.h: the timed event queue of one replication.
 *
 * Events come out ordered by (time, kind, sequence): at equal times the
 * lower kind goes first, and among equal kinds the event scheduled first goes
 * first, so ties are broken the same way on every run. Events are referred to
 * by handle; a handle stays valid until its event is popped or cancelled, and
 * a stale handle is recognised (cancelling it returns false). Inside, a heap
 * holds the current whole time unit and a bucket each later unit (eventq.c),
 * which is fast when events spread over many units, as months do. */
#ifndef TS_EVENTQ_H
#define TS_EVENTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t evq_handle;          /* 0 is never a valid handle */

typedef struct evq_event {
    double time;                      /* in months since the start */
    int kind;                         /* lower kinds run first at equal times */
    uint32_t subject;                 /* e.g. a customer slot; opaque here */
    evq_handle handle;
} evq_event;

typedef struct evq evq;

/* Creates an empty queue. Returns NULL when out of memory. Free with evq_destroy. */
evq *evq_create(size_t capacity_hint);
void evq_destroy(evq *q);

/* Removes every pending event; handles given before become stale. */
void evq_clear(evq *q);

/* Schedules an event. Returns its handle, or 0 when out of memory. */
evq_handle evq_event_schedule(evq *q, double time, int kind, uint32_t subject);

/* Cancels a pending event. Returns false if the handle is stale or unknown. */
bool evq_event_cancel(evq *q, evq_handle h);

/* Pops the earliest event into *out. Returns false when the queue is empty. */
bool evq_event_next(evq *q, evq_event *out);

/* Peeks at the earliest event without removing it. */
bool evq_event_peek(const evq *q, evq_event *out);

size_t evq_size(const evq *q);

#endif
