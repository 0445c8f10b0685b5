/* engine_internal.h: what the engine's files share: per-customer state,
 * the per-thread workspace, and the steps of a replication that live in
 * different files (engine.c runs the events; month_close.c bills a month).
 * Private to the engine. */
#ifndef TS_ENGINE_INTERNAL_H
#define TS_ENGINE_INTERNAL_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/randist.h"
#include "models/wallet.h"
#include "costplan.h"
#include "engine.h"
#include "eventq.h"
#include "lawvar.h"

enum { EV_CHURN = 1, EV_SIGNUP = 2, EV_MONTH_CLOSE = 3, EV_PLAN_CHANGE = 4 };
enum { ST_FREE = 0, ST_ACTIVE = 1, ST_LEFT = 2 };

/* Per-customer state: what the month so far has cost, nothing more. */
typedef struct customer {
    double intensity;        /* interactions per month */
    double last_t;           /* time usage was accrued up to */
    double active;           /* months of this month the customer was signed up */
    double interactions, tokens, model_cost, retrieval_cost;
    float mult;              /* this month's gamma multiplier (1 for Poisson) */
    float signup;            /* time of sign-up, in months */
    float seats;
    uint8_t segment;
    uint8_t state;
    uint8_t is_new;          /* signed up this month */
    uint8_t plan;            /* the plan it chose in a menu */
    uint32_t next_free;
    float law_mu, law_v, law_c;   /* its cell of the usage law, and its exposure so far (lawvar.h) */
    float law_expo;
    float wtp;               /* willingness to pay, $ a month (0 without a wtp block) */
    float vhaz;              /* a menu: its churn hazard from value (models/demand.h) */
    float leave;             /* a menu: when its live churn event falls (others are stale) */
} customer;

/* A customer's month under a plan with a quota: what it was served and
 * what that cost, which differ from its demand once a limit bites. */
typedef struct qstate {
    double served, refused, tokens, model_cost, retrieval_cost;
    double credits;           /* burned, on credit plans */
    double period_billed;     /* billed so far in the commitment's period */
    plan_hold hold;           /* what the customer holds under the plan (PLAN_KEEPS_TIER) */
    int lost;                 /* gone from this plan (still a customer of the others) */
    double limit_day;         /* day of the month its first limit was reached; -1: not reached */
    double last_bill;         /* the previous month's bill, for bill shocks */
    int paid;                 /* 0 while on the plan's free tier */
} qstate;

/* Everything a thread needs to run replications; reused between them. */
typedef struct workspace {
    gsl_rng *rng;
    gsl_rng *plan_rng[PLAN_MAX];  /* each plan's own draws (outcome counts) */
    double changed_at[PLAN_MAX];  /* when the plan's pricing change happened; INFINITY before */
    evq *q;
    customer *c;
    size_t n, cap;           /* slots used, allocated */
    uint32_t free_head;
    double *scratch;         /* month costs, for top shares */
    double *bills;           /* [customer][1 + 2 plans]: the month's cost, then its cost and bill under
                                each plan, for the costliest 20% */
    size_t scratch_cap;
    /* cost of one interaction per feature and route */
    double cost[COST_MAX_FEATURES][COST_MAX_ROUTES];
    double model[COST_MAX_FEATURES][COST_MAX_ROUTES];
    double tokens[COST_MAX_FEATURES][COST_MAX_ROUTES];
    double route_p[COST_MAX_FEATURES][COST_MAX_ROUTES];
    ts_binomial use[COST_MAX_FEATURES];                     /* feature share */
    /* plans with a quota or a free tier, and their state per customer slot */
    unsigned keeps[PLAN_MAX];             /* plan_keeps of plan p */
    int nq;
    int qplan[PLAN_MAX];                  /* plan index of quota j */
    int qof[PLAN_MAX];                    /* quota index of plan p, or -1 */
    double soft[PLAN_MAX][COST_MAX_FEATURES];  /* model $ per interaction on the soft model */
    double freec[PLAN_MAX][COST_MAX_FEATURES]; /* ... on the free tier's model */
    int softm[PLAN_MAX][COST_MAX_FEATURES], freem[PLAN_MAX][COST_MAX_FEATURES];   /* those models */
    double crate[PLAN_MAX][COST_MAX_FEATURES][COST_MAX_ROUTES];  /* credits per interaction */
    double csoft[PLAN_MAX][COST_MAX_FEATURES], cfree[PLAN_MAX][COST_MAX_FEATURES];
    qstate *qs;                           /* [slot][nq] */
    /* credit wallets that roll over: their lots per customer slot */
    int nwal;
    int walof[PLAN_MAX];                  /* wallet index of plan p, or -1 */
    double *lots;                         /* [slot][nwal][WALLET_MAX_LOTS] */
    ts_binomial route_b[COST_MAX_FEATURES][COST_MAX_ROUTES]; /* route r given not routes < r */
    /* variance reduction: intensities from a stream of their own, shared by
     * an antithetic pair; strata handed out from a shuffled block */
    gsl_rng *irng;
    /* levers and world events: the run's cost plan, the month loaded from
     * it, and this replication's waterfall row [month][stage] */
    const costplan *cp;
    int cp_month;
    double *stage;
    double self_tokens[LEVER_MAX + 1], self_cost[LEVER_MAX + 1];   /* the month's, per stage */
    bool mirror;             /* the second of an antithetic pair: 1 - u */
    uint32_t *perm;          /* the block's strata in random order */
    size_t perm_cap, block, in_block;
    const lawtab *law;       /* the usage law's cells, for the law record */
    const engine_observer *obs;   /* NULL unless engine_run_observed */
    double *fin_base;        /* with finance: [slot][plan] the bill at the retention window's start; NaN: none */
    /* a menu: what one interaction costs and burns on average (the
     * customer's expected bill), and the month's arrivals who chose no plan */
    bool menu;
    bool offered[PLAN_MAX];  /* on the menu: not only another plan's switch_to */
    const plan *plans0;      /* the scenario's plans, to index epi_cr by a plan's address */
    gsl_rng *crn;            /* the expected bills' stream, reseeded per customer */
    double epi_cost, epi_tok, epi_cr[PLAN_MAX];
    double declined;
} workspace;

#define ARRIVAL_BLOCK 256
#define MAX_BLOCK (1u << 20)

#define NO_FREE UINT32_MAX

/* Draws customer c's usage from c->last_t to t and adds its cost. */
void engine_accrue(workspace *w, const scenario *s, customer *c, double t);

/* A menu: the expected cost, tokens and credits of one interaction, from
 * the costs ws_init set (choice.c). */
int engine_choice_prepare(workspace *w, const scenario *s);

/* A menu: customer c (intensity and WTP drawn) arriving at time t picks a
 * plan by its surpluses (models/demand.h), drawing a seed and a uniform
 * from w->rng. Returns the plan's index, with c's intensity answering that
 * plan's marginal price and *bill its expected bill; or -1 for none.
 * Returns 0 or -1 (memory) from prepare. */
int engine_choose_plan(workspace *w, const scenario *s, customer *c, double t, double *bill);

/* A menu: plan p's pricing change at time t reaches its customers (with
 * migrate: all): each one's value hazard is taken again under the new
 * terms and its remaining lifetime redrawn (memoryless, so exact), the
 * old churn event left stale. Returns 0 or -1 (memory). */
int engine_menu_repriced(workspace *w, const scenario *s, int p, double t);

/* Clears c's month so far. */
void engine_month_reset(customer *c);

/* Schedules month m's arrivals at uniform times in [m, m+1). Returns 0 or
 * -1 (memory). */
int engine_schedule_arrivals(workspace *w, const scenario *s, int m, double active_now);

/* Closes month m of replication `rep`: accrues every customer to its end,
 * bills each under every plan, applies the plans' end-of-month moves
 * (tier moves, conversions, losses), and writes the month's metrics.
 * Returns 0 or -1 (memory). */
int engine_month_close(workspace *w, const scenario *s, run_result *out, int rep, int m, double *churned_in_month,
                       double *new_in_month);

/* Adds customer i's month m under plan p (bill rev, inference cost inf)
 * to its cohort's cell and the retention window's sums (finance.c). */
void finance_customer_month(workspace *w, const scenario *s, run_result *out, int rep, int m, size_t i, int p,
                            double rev, double inf);

/* Adds customer c's month (exposure c->active) to the law record's month
 * row and horizon row (lawvar.h); `last`: its last month in the run. */
void lawvar_customer_month(const usage_dist *u, customer *c, double *month, double *horizon, bool last);

#endif
