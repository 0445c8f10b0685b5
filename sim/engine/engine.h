/* engine.h: the discrete-event Monte-Carlo engine.
 *
 * One replication simulates every customer of a scenario over its horizon:
 * sign-ups, churn and month closes are timed events in a queue; between two
 * events that concern a customer, its interactions are drawn as one Poisson
 * (or gamma-Poisson) count and split over features and models with binomial
 * and multinomial draws, so a customer-month costs the same whatever the
 * number of interactions. Each replication has its own random stream from
 * (seed, replication index) and writes its own slot of the result, so the
 * result does not depend on the number of threads.
 *
 * Per replication the engine keeps only per-month and per-segment sums, not
 * customer histories; memory grows with the number of customers. */
#ifndef TS_ENGINE_H
#define TS_ENGINE_H

#include <signal.h>

#include "sim/core/error.h"
#include "sim/scenario/scenario.h"
#include "lawvar.h"

/* Metrics recorded per replication, plan and month. */
enum metric {
    MET_CUSTOMERS,           /* customers billed in the month (signed up at any moment of it) */
    MET_NEW,                 /* sign-ups in the month */
    MET_CHURNED,             /* customers who left in the month */
    MET_INTERACTIONS,
    MET_TOKENS,
    MET_REVENUE,
    MET_MODEL_COST,          /* $ for model tokens */
    MET_RETRIEVAL_COST,      /* $ for embedding, search, reranking */
    MET_INFERENCE_COST,      /* model + retrieval */
    MET_INFRA_COST,
    MET_PAYMENT_COST,
    MET_OTHER_COST,          /* infra + payment processing */
    MET_GROSS_PROFIT,        /* revenue - inference - other */
    MET_MARGIN,              /* gross profit / revenue, in %; NaN without revenue */
    MET_COST_PER_INTERACTION,/* inference cost / interactions */
    MET_COST_PER_CUSTOMER,   /* (inference + other cost) / customers */
    MET_INFERENCE_PER_CUSTOMER,
    MET_REVENUE_PER_CUSTOMER,
    MET_TOKENS_PER_INTERACTION,
    MET_TOP1, MET_TOP5, MET_TOP10, MET_TOP20,   /* % of the month's inference cost */
    MET_LOSING,              /* % of customers whose month cost more than it paid */
    MET_REFUSED,             /* interactions refused by a hard cap */
    MET_WARN75, MET_WARN90,  /* % of customers past 75% and 90% of their quota */
    MET_SOFT,                /* % of customers moved to the soft-limit model */
    MET_CAPPED,              /* % of customers refused at least once */
    MET_FREE,                /* % of customers on the free tier */
    MET_FREE_COST,           /* % of the plan's inference cost made by free customers */
    MET_CONVERTED,           /* free customers who started paying at the month's end */
    MET_BREAKAGE,            /* $ of prepaid credits that expired unused (counted in revenue) */
    MET_TRUEUP,              /* $ billed to make up committed spend (counted in revenue) */
    MET_UPGRADES, MET_DOWNGRADES,   /* tier moves at the month's end */
    MET_PLAN_LOST,           /* customers this plan lost (caps, bill shocks) at the month's end */
    MET_LIMIT_REACHED,       /* % of customers who reached their first limit (soft or hard) */
    MET_LIMIT_DAY,           /* the mean day of the month they reached it (30-day months) */
    MET_TOP20_COST,          /* $ of inference cost of the month's costliest 20% of customers (under this plan) */
    MET_TOP20_REVENUE,       /* $ this plan billed those customers */
    MET_COUNT
};

/* Sums per replication, plan and report segment, over the whole horizon. */
enum seg_metric {
    SEG_CUSTOMER_MONTHS,
    SEG_INTERACTIONS,
    SEG_INFERENCE_COST,
    SEG_OTHER_COST,
    SEG_REVENUE,
    SEG_COUNT
};

extern const char *const metric_names[MET_COUNT];
extern const char *const seg_metric_names[SEG_COUNT];

typedef struct engine_opts {
    int threads;             /* 0: all cores */
    int first;               /* first replication index to run */
    int count;               /* how many, from `first` */
    /* Called after each finished replication, from any thread but one at a
     * time; may be NULL. */
    void (*progress)(void *ctx, int done, int total);
    void *progress_ctx;
    volatile sig_atomic_t *stop;   /* set to non-zero to stop early; may be NULL */
} engine_opts;

typedef struct run_result {
    int first, nreps, nplans, nmonths, nsegments;
    bool pairs;              /* antithetic: replications (2k, 2k+1) are pairs, not independent */
    /* with levers: the demand's inference cost at every stage of the
     * savings waterfall (no lever, then after each lever in order) */
    int nstages;
    double *lever;           /* [rep][month][stage]; NULL without levers */
    double *month;           /* [rep][plan][month][MET_COUNT] */
    /* the usage law's record of each replication (sim/engine/lawvar.h):
     * [rep][month, then the horizon][LAW_COUNT] */
    double *law;
    double *seg;             /* [rep][plan][segment][SEG_COUNT] */
    /* a menu (wtp.plan_choice: menu): arrivals who chose no plan,
     * [rep][month]; NULL otherwise */
    double *declined;
    /* Every customer billed in the last month of the run's first
     * replication: its inference cost, interactions, segment and bill under
     * each plan (for the cost-distribution plots and the plan-switch
     * analysis); NULL when memory was short. */
    double *snapshot;        /* [customer] inference cost */
    double *snap_interactions;   /* [customer] */
    unsigned char *snap_segment; /* [customer] */
    double *snap_bill;       /* [customer][plan] */
    float *snap_wtp;         /* [customer]: its willingness to pay; NULL without a wtp block */
    size_t nsnapshot;
    /* with uncertain inputs (sim/engine/outer.h): each replication's draw
     * of them, [rep][input]; NULL and 0 without */
    double *inputs;
    int ninputs;
    int inner;               /* replications per draw (rows first + i in groups of inner) */
    /* with a finance: section (finance.h), else NULL */
    double *cohort;          /* [rep][plan][cohort][month][CO_COUNT] */
    double *fin;             /* [rep][plan][FIN_COUNT] */
    double *fin_month;       /* [rep][plan][month][FM_COUNT] */
    double fin_discount;     /* the monthly discount rate */
} run_result;

static inline double *run_month(const run_result *r, int rep, int p, int month)
{
    return r->month + (((size_t)rep * r->nplans + p) * r->nmonths + month) * MET_COUNT;
}

static inline double *run_law(const run_result *r, int rep, int row)
{
    return r->law + ((size_t)rep * (r->nmonths + 1) + row) * LAW_COUNT;
}

static inline double *run_seg(const run_result *r, int rep, int p, int seg)
{
    return r->seg + (((size_t)rep * r->nplans + p) * r->nsegments + seg) * SEG_COUNT;
}

/* Runs replications [first, first + count) of `s`. Fills *out, which the
 * caller frees with run_result_free. Returns TS_OK, TS_ERR_RUNTIME (out of
 * memory) or TS_ERR_INTERRUPTED. s must have passed scenario_load. In an
 * MPI job (ranks.h) every rank must make the same calls: each runs its
 * block of the replications and all get every row; the snapshot is rank
 * 0's alone. */
int engine_run(const scenario *s, const engine_opts *o, run_result *out, ts_error *err);

void run_result_free(run_result *r);

/* One accrual of a customer's usage, as the engine draws it: the customer's
 * slot (reused after it leaves; a new signup time marks a new customer),
 * the interval [t0, t1) in months since the start, and the interactions per
 * feature and route. Intervals never cross a month's end. */
typedef struct engine_accrual {
    size_t slot;
    double signup;
    double t0, t1;
    const double (*count)[COST_MAX_ROUTES];    /* [feature][route] */
} engine_accrual;

typedef struct engine_observer {
    /* called for every accrual with interactions, from the replication's
     * thread; must not touch the engine's random streams */
    void (*accrued)(void *ctx, const engine_accrual *a);
    void *ctx;
} engine_observer;

/* engine_run, calling obs for every accrual (for `generate-logs`: run one
 * replication on one thread so that the calls come in order). */
int engine_run_observed(const scenario *s, const engine_opts *o, const engine_observer *obs, run_result *out,
                        ts_error *err);

/* Appends src's replications to dst's (src must start where dst ends, with
 * the same shape); src keeps its memory. Returns TS_OK or TS_ERR_RUNTIME. */
int run_result_append(run_result *dst, const run_result *src, ts_error *err);

/* Share of the total held by the largest fraction p of v[0..n) (in [0,1]).
 * Reorders v. Exposed for tests. */
double engine_top_share(double *v, size_t n, double p);

#endif
