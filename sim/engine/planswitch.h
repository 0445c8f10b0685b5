/* planswitch.h: the plan-switch analysis: what happens to every customer's
 * bill if everyone on the first plan moved to another one.
 *
 * Computed from the run's snapshot (every customer billed in the last month
 * of the first replication, with its bill under each plan), so it describes
 * one month of one future, customer by customer: the spread of the bill
 * change, the shares who pay more, less or the same, the mean change per
 * segment and the three largest rises and falls. The horizon totals of a
 * switch (with intervals) are the summary's paired differences. */
#ifndef TS_PLANSWITCH_H
#define TS_PLANSWITCH_H

#include <stddef.h>

#include "engine.h"

/* One customer's bill under both plans. */
typedef struct switch_mover {
    double interactions, from, to;   /* in the month; $ under the first plan, $ under the other */
    int segment;
} switch_mover;

/* A segment's customers under the switch. */
typedef struct switch_segment {
    double customers;        /* count in the snapshot */
    double interactions;     /* mean per customer */
    double change;           /* mean bill change per customer, $ */
} switch_segment;

typedef struct plan_switch {
    int to;                  /* the plan switched to (from plan 0) */
    size_t customers;        /* customers in the snapshot */
    /* P5, P25, median, P75, P95 of the bill change per customer, $ */
    double q[5];
    /* % of customers whose bill rises, falls (by more than half a cent), or stays */
    double pct_more, pct_less, pct_same;
    switch_segment *seg;     /* [nsegments] */
    int nrises, nfalls;      /* up to 3 each; 0 when no bill changes */
    switch_mover rises[3];   /* largest rise first */
    switch_mover falls[3];   /* largest fall first */
} plan_switch;

/* The switch from plan 0 to each other plan into out[0 .. nplans-2] (the
 * caller's array of r->nplans - 1). Returns 0; 0 with *n = 0 when the run
 * has one plan or no snapshot; -1 when memory ran out (then nothing is left
 * to free). Free with plan_switch_free. */
int plan_switch_build(const run_result *r, plan_switch **out, int *n);
void plan_switch_free(plan_switch *sw, int n);

#endif
