/* precision.h: replications added until the headline figure is known well
 * enough: the 95% interval half-width of every plan's margin over the
 * horizon (its mean, or its P5) at most a target, in percentage points,
 * and at least the replications the usage law's tail needs for an interval
 * from their own spread (tail_check's `needed`, at most max_reps).
 *
 * Replications come in batches that double the count; replication k
 * depends only on (seed, k), so the result is exactly that of one run with
 * the final count, and the count depends only on the scenario and seed,
 * not on the threads. */
#ifndef TS_PRECISION_H
#define TS_PRECISION_H

#include <stdbool.h>

#include "sim/engine/engine.h"
#include "sim/core/error.h"

enum precision_stat { PRECISION_MEAN, PRECISION_P5 };
extern const char *const precision_stat_names[];   /* "mean", "p5", NULL */

typedef struct precision_opts {
    double target;           /* half-width, points */
    int stat;                /* enum precision_stat */
    int max_reps;
} precision_opts;

typedef struct precision_info {
    bool reached;
    double halfwidth;        /* the widest plan's, at the end */
    int worst_plan;
    int batches;
    int min_reps;            /* the tail's minimum, at the end */
} precision_info;

/* The 95% half-width of plan p's horizon margin statistic in run r: for
 * the mean, the wider side of its interval (stats.h: law-informed,
 * pair-aware); for the P5, half the distance between the
 * order statistics that bracket it (binomial ranks np -+ 1.96 sqrt(np(1-p))).
 * `work` holds 2 x nreps doubles. NaN when undefined. */
double precision_halfwidth(const run_result *r, int p, int stat, double *work);

/* Runs s from replication 0 in batches until every plan's half-width is at
 * most o->target or o->max_reps are run. Fills *out like engine_run. */
int precision_run(const scenario *s, const engine_opts *eo, const precision_opts *o, run_result *out,
                  precision_info *info, ts_error *err);

#endif
