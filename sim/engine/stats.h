/* stats.h: statistics across replications.
 *
 * For every metric: the mean with its standard error and a 95% confidence
 * interval (interval.h: law-informed where the usage law's record applies,
 * else skewness-corrected; Student t below 5 replications or pairs), and
 * the P5, P25, P50, P75 and P95 of the replications' values
 * (the spread a single future run could show). Values that are undefined
 * in a replication (a margin without revenue) are left out and counted. */
#ifndef TS_STATS_H
#define TS_STATS_H

#include "engine.h"
#include "planswitch.h"

typedef struct ts_stat {
    int n;                   /* replications with a defined value */
    double mean, sd, se, ci_lo, ci_hi;
    double p5, p25, p50, p75, p95;
} ts_stat;

enum total_metric {
    TOT_REVENUE, TOT_INFERENCE_COST, TOT_OTHER_COST, TOT_GROSS_PROFIT, TOT_MARGIN,
    TOT_INTERACTIONS, TOT_CUSTOMER_MONTHS, TOT_FINAL_CUSTOMERS, TOT_FINAL_REVENUE, TOT_FINAL_MARGIN,
    TOT_LOSING,              /* % of customer-months that cost more than they paid */
    TOT_COUNT
};

enum segment_stat {
    SX_CUSTOMER_SHARE,       /* % of customer-months */
    SX_INTERACTIONS,         /* per customer-month */
    SX_INFERENCE_COST,       /* $ per customer-month */
    SX_REVENUE,              /* $ per customer-month */
    SX_PROFIT,               /* $ per customer-month, after other costs */
    SX_MARGIN,               /* % of revenue */
    SX_COST_SHARE,           /* % of all inference cost */
    SX_COUNT
};

extern const char *const total_names[TOT_COUNT];
extern const char *const segment_stat_names[SX_COUNT];

typedef struct summary {
    int nplans, nmonths, nsegments, nreps;
    ts_stat *month;             /* [plan][month][MET_COUNT] */
    ts_stat *total;             /* [plan][TOT_COUNT] */
    ts_stat *seg;               /* [plan][segment][SX_COUNT] */
    double *p_margin_below_50;  /* [plan]: share of replications whose horizon margin < 50% */
    double *p_margin_below_0;   /* [plan] */
    /* Plan i minus plan j, replication by replication (common random
     * numbers make these much tighter than the plans' own intervals):
     * [i * nplans + j], horizon gross margin (points) and gross profit ($). */
    ts_stat *pair_margin, *pair_profit;
    /* with levers: the demand's inference cost at each waterfall stage
     * (0: no lever, j: after lever j), per month and over the horizon */
    int nstages;
    ts_stat *lever_month;       /* [month][stage] */
    ts_stat *lever_total;       /* [stage] */
    /* with uncertain inputs: what the run says about them (uncvar.h) */
    struct unc_summary *unc;
    /* with a finance: section, unit economics and cash (finance.h); else NULL */
    struct fin_summary *fin;
    /* the plan-switch analysis (planswitch.h), from plan 0 to plan k + 1:
     * [nswitches]; none with one plan or without the run's snapshot */
    plan_switch *switches;
    int nswitches;
    /* a menu: arrivals who chose no plan, per month then over the horizon
     * ([nmonths]); NULL otherwise */
    ts_stat *declined;
} summary;

static inline ts_stat *sum_month(const summary *s, int p, int m, int k)
{
    return &s->month[((size_t)p * s->nmonths + m) * MET_COUNT + k];
}
static inline ts_stat *sum_total(const summary *s, int p, int k) { return &s->total[(size_t)p * TOT_COUNT + k]; }
static inline ts_stat *sum_seg(const summary *s, int p, int g, int k)
{
    return &s->seg[((size_t)p * s->nsegments + g) * SX_COUNT + k];
}

/* Computes the statistics of x[0..n) (NaNs skipped). Reorders nothing: x
 * is copied into `work` (n doubles). */
ts_stat stat_compute(const double *x, int n, double *work);

/* stat_compute for values that are one per replication of run r: with
 * antithetic pairs the standard error and interval come from pair means. */
ts_stat stat_compute_run(const run_result *r, const double *x, int n, double *work);

/* stat_compute_run with the usage law's record: x[i] depends on replication
 * i's demand in law row `row` (a month, or r->nmonths for the horizon), so
 * the interval is law-informed (interval.h); row -1: without it. */
ts_stat stat_compute_law(const run_result *r, const double *x, int n, int row, double *work);

/* Summarises a run. Returns TS_OK or TS_ERR_RUNTIME (memory). Free with
 * summary_free. */
int summary_build(const run_result *r, summary *out, ts_error *err);
void summary_free(summary *s);

/* The horizon totals of replication `rep`, plan p, into tot[TOT_COUNT]. */
void summary_rep_totals(const run_result *r, int rep, int p, double *tot);

#endif
