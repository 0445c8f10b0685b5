/* guard.h: what a run will cost before it starts, and whether what it
 * produced is a number.
 *
 * A scenario inside the documented ranges can still ask for more than the
 * machine has (a growth rate of 10 a month compounds to 11^24 customers):
 * engine_guard estimates the peak number of live customers from
 * customers.initial, new_per_month (or the schedule's largest step),
 * growth_rate and churn_monthly over the horizon, and from it the memory
 * and time of the run, and refuses the run when the memory is beyond the
 * machine's physical memory or the limit set with engine_memory_limit_set.
 * engine_results_check refuses results holding an infinity, or a NaN where
 * a sum must be a number (a price of 1e308 overflows revenue). */
#ifndef TS_GUARD_H
#define TS_GUARD_H

#include <stddef.h>

#include "engine.h"
#include "sim/core/error.h"
#include "sim/scenario/scenario.h"

typedef struct engine_estimate {
    double peak_customers;   /* live at once, at the busiest month's end */
    double customer_months;  /* over the horizon, one replication */
    double bytes;            /* memory of the run */
    double seconds;          /* rough time on one core of today's machines */
    const char *driver;      /* the key that drives the peak */
} engine_estimate;

/* Sets the memory a run may use, in bytes; 0 (the default) means the
 * machine's physical memory. Process-wide, like gsl_set_error_handler;
 * set it before running, from one thread. */
void engine_memory_limit_set(double bytes);

/* Estimates the run of `count` replications of s on `threads` threads (0:
 * every core) into *e. */
void engine_estimate_run(const scenario *s, int count, int threads, engine_estimate *e);

/* TS_OK, or TS_ERR_INPUT with the estimate and the key that drives it when
 * the run would need more memory than allowed. */
int engine_guard(const scenario *s, int count, int threads, ts_error *err);

/* TS_OK, or TS_ERR_RUNTIME naming the first metric that is not finite, its
 * plan and month, and the keys that feed it. */
int engine_results_check(const scenario *s, const run_result *r, ts_error *err);

#endif
