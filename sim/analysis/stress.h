/* stress.h: a battery of shocks run against a scenario's baseline, what
 * an investor asks first: what breaks this business?
 *
 * The standard battery is built from the scenario itself (a heavier tail
 * of usage in the terms of its own distribution, twice the share of power
 * users, model prices up 50% and down 80%, prompt-cache hits halved, churn
 * doubled, usage that grows with tenure, the heaviest 5% of customers
 * using twice as much, model prices up 50% from month 12); the scenario adds its own shocks
 * under `stress.shocks`. Every shock runs with the baseline's seed, so the
 * difference from the baseline is paired replication by replication. */
#ifndef TS_STRESS_H
#define TS_STRESS_H

#include <signal.h>
#include <stdio.h>

#include "sim/scenario/change.h"
#include "sim/output/report.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/tail.h"

#define STRESS_MAX_SETS 128
#define STRESS_MAX_SHOCKS (SHOCK_MAX + 13)
#define STRESS_MAX_TIMED 2      /* shocks in time a battery row adds to the scenario's `shocks:` */
#define STRESS_NCHECKS 3     /* margins reported at months 12, 24, 36 */

extern const int stress_check_months[STRESS_NCHECKS];

typedef struct stress_shock {
    char name[SHOCK_NAME_LEN];
    char description[200];
    char sets[STRESS_MAX_SETS][CHANGE_SET_LEN];   /* the overrides that make the shock */
    int nsets;
    timed_shock timed[STRESS_MAX_TIMED];          /* shocks in time the row adds (models/shock.h) */
    int ntimed;
    bool applicable;         /* false: the scenario has nothing to shock (no churn, no cache) */
} stress_shock;

/* Builds the battery: the standard shocks (when s->stress.standard) then the
 * scenario's own, into shocks[0..*n) (at most STRESS_MAX_SHOCKS). Returns
 * TS_OK or TS_ERR_INPUT (a change that does not resolve). */
int stress_battery(const scenario *s, stress_shock *shocks, int *n, ts_error *err);

typedef struct stress_row {
    double at[STRESS_NCHECKS][3];   /* monthly margin P5, P50, P95 at the check months; NaN past the horizon */
    double mean, p5, p50, p95;      /* margin over the horizon, % */
    double p_below_50, p_below_0;   /* share of replications whose horizon margin is below */
    double d_mean, d_lo, d_hi;      /* minus the baseline, paired, points, with its 95% interval */
    double profit;                  /* mean gross profit over the horizon, $ */
    int below_months;               /* months whose mean margin is under the plan's target */
    int recover_month;              /* first month from which it stays at or above target; 0 never
                                       below; -1 still below at the horizon */
    bool ran;
} stress_row;

typedef struct stress_result {
    int nshocks;             /* baseline first, then the battery */
    int nplans, nmonths, nreps;
    stress_shock *shocks;    /* [nshocks]; shocks[0] is the baseline */
    char plan_names[PLAN_MAX][PLAN_NAME_LEN];
    double target[PLAN_MAX]; /* each plan's target margin, % */
    stress_row *rows;        /* [shock][plan] */
    double *paths;           /* [shock][plan][month]: mean monthly margin, % */
    tail_report tail;        /* the baseline's heavy-tail diagnosis */
} stress_result;

/* Runs the baseline and every applicable shock. Fills *out (free with
 * stress_free). Returns TS_OK, TS_ERR_INPUT (a shock gives a value the
 * scenario refuses, named with the shock), TS_ERR_RUNTIME or
 * TS_ERR_INTERRUPTED. */
int stress_run(const char *file, const char *const *sets, int nsets, int threads, volatile sig_atomic_t *stop,
               stress_result *out, ts_error *err);
void stress_free(stress_result *r);

static inline stress_row *stress_at(const stress_result *r, int k, int p) { return &r->rows[k * r->nplans + p]; }

/* The results as a terminal table, CSV text and JSON text (caller frees
 * the texts), and as DIR/stress.md and stress.html. */
void stress_print(FILE *out, const stress_result *r);
char *stress_csv(const stress_result *r);
char *stress_json(const stress_result *r, const provenance *pv);
struct plot_opts;
struct plot_report;
int stress_plots(const stress_result *r, const provenance *pv, const char *title, const struct plot_opts *o,
                 struct plot_report *rep, ts_error *err);
int stress_document(const stress_result *r, const provenance *pv, const char *title, const char *dir, bool plots,
                    ts_error *err);

#endif
