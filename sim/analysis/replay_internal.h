/* replay_internal.h: what replay.c shares with replay_levers.c, private
 * to the two: a logged row as the replay holds it, and the per-request
 * costs under the scenario's levers. */
#ifndef TS_REPLAY_INTERNAL_H
#define TS_REPLAY_INTERNAL_H

#include "replay.h"

typedef struct row {
    uint32_t cust;
    int month, model;            /* model: index in the scenario's prices, -1: not there */
    int feature;                 /* index in the scenario's features, -1: none */
    double time, n, in, out, cached, cost;
} row;

/* The row's model cost on model m: after[0] with no lever, after[k] with
 * the scenario's first k levers applied at their strength in `month` (1 for
 * the log's first calendar month). A request's input tokens are split into
 * system, history, user and context text in the proportions of its feature
 * (so compression and summaries act on the parts they act on in the
 * engine); its cached tokens are read from the prompt cache. Levers of
 * another feature leave the row alone. after has room for s->nlevers + 1. */
void replay_row_costs(const scenario *s, const row *w, int m, int month, double *after);

/* The feature a logged name stands for: by name; the scenario's only
 * feature when it has one and the log names none or another; else -1. */
int replay_feature_of(const scenario *s, const char *name, size_t n);

/* Fills r->seg and r->seg_upper from each customer's revenue and cost per
 * plan over the log (rev, cost: [customer][PLAN_MAX]), its requests and its
 * active months. Returns 0, or -1 when out of memory. */
int replay_segments(replay_report *r, const double *rev, const double *cost, const double *requests,
                    const double *months, size_t nc);

/* replay_out.c: the levers' waterfall, the reconciliation and the segment
 * table, printed after the plan table (nothing for a part with no data). */
void replay_print_more(FILE *f, const replay_report *r, const scenario *s);
/* The same three parts added to replay.json's root. */
void replay_json_more(void *root, const replay_report *r, const scenario *s);

#endif
