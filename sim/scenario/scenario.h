/* scenario.h: a scenario, loaded from YAML and checked.
 *
 * scenario_load reads the file, applies --set overrides, binds every key
 * against the schema (scenario.c), then checks what no single key can show
 * on its own (shares that must add up, model names that must exist, a
 * power law that must have a finite mean). Any problem fills the caller's
 * ts_error with file:line:column and returns TS_ERR_INPUT. */
#ifndef TS_SCENARIO_H
#define TS_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

#include "models/cost.h"
#include "models/demand.h"
#include "models/lever.h"
#include "models/plan.h"
#include "models/usage.h"
#include "change.h"
#include "uncertain.h"
#include "sim/core/error.h"

/* From month `from` (1-based) on, this many sign-ups a month. */
typedef struct arrival_step {
    int from;
    double new_per_month;
} arrival_step;

#define MAX_ARRIVAL_STEPS 60

typedef struct customers_cfg {
    int initial;             /* customers signed up at month 0 */
    double new_per_month;    /* mean arrivals per month (Poisson) */
    arrival_step schedule[MAX_ARRIVAL_STEPS];   /* replaces new_per_month from each step on */
    int nschedule;
    double seats;            /* mean seats per customer (1 + Poisson(seats - 1)) */
    double growth_rate;      /* extra arrivals per month as a share of active customers */
    double churn;            /* monthly probability of leaving */
} customers_cfg;

typedef struct other_costs {
    double infra_per_customer;  /* $ per active customer-month */
    double payment_share;       /* share of revenue taken by payment processing */
    double payment_fixed;       /* $ per paying customer-month */
} other_costs;

/* Assumptions of the textbook exercise (`tokensim exercise`): what each
 * optimisation is taken to do, and what an outcome is. */
typedef struct exercise_cfg {
    double routing_share;       /* share of traffic moved to the cheapest model */
    double prompt_cache_share;  /* share of system-prompt tokens read from the cache */
    double semantic_hit_rate;   /* share of interactions answered from the semantic cache */
    double batch_share;         /* share of interactions that can wait for the batch API */
    double batch_discount;      /* the batch API's discount */
    double output_reduction;    /* share of output tokens cut by length limits */
    double interactions_per_outcome;  /* interactions per billable outcome; 0: none */
} exercise_cfg;

/* Unit economics and cash (docs/finance.md): what acquiring a customer
 * costs, what running the company costs, and how money is discounted. A
 * scenario without a finance: section has enabled == false and runs, and
 * writes, exactly as before. */
typedef struct finance_cfg {
    bool enabled;            /* the scenario has a finance: section */
    double cac;              /* $ per sign-up, at the reference volume */
    double cac_volume;       /* reference sign-ups a month n0; 0: the CPA does not move with volume */
    double cac_elasticity;   /* k of CPA(n) = cac * (n / n0)^k */
    double marketing_budget; /* $ a month; > 0: it buys the month's sign-ups (replaces customers.new_per_month) */
    double fixed_costs;      /* $ a month of operating costs */
    double discount_rate;    /* annual; > -1 */
    double starting_cash;    /* $ at month 0 */
} finance_cfg;

typedef struct scenario {
    char name[96];
    char description[512];
    int horizon;             /* months */
    int replications;
    uint64_t seed;
    price_table prices;
    customers_cfg customers;
    usage_dist usage;
    wtp_cfg wtp;             /* willingness to pay and plan choice; off unless a wtp block is given */
    feature features[COST_MAX_FEATURES];
    int nfeatures;
    other_costs costs;
    plan plans[PLAN_MAX];
    int nplans;
    exercise_cfg exercise;
    stress_cfg stress;
    sensitivity_cfg sensitivity;
    sampling_cfg sampling;
    lever levers[LEVER_MAX];
    int nlevers;
    world world;
    uncertain_cfg uncertain;   /* inputs drawn per replication; none: every value fixed */
    finance_cfg finance;

    /* provenance, filled by scenario_load */
    char source[256];        /* the file */
    uint64_t hash;           /* FNV-1a 64 of the resolved scenario as YAML, keys at their defaults left out */
} scenario;

/* Loads `path`, applies the `nsets` overrides "path=value" in order, and
 * checks the result. Returns TS_OK, or TS_ERR_INPUT / TS_ERR_RUNTIME with
 * err filled. */
int scenario_load(scenario *s, const char *path, const char *const *sets, int nsets, ts_error *err);

/* Same, from YAML text in memory (`name` appears in messages). */
int scenario_load_string(scenario *s, const char *text, const char *name, const char *const *sets,
                         int nsets, ts_error *err);

/* A zeroed scenario on the heap, to load into (70 KB: too big to keep on a
 * thread's stack, and kept off static storage so that every command and
 * library call has its own). NULL when out of memory. Free with
 * scenario_free. */
scenario *scenario_new(void);

/* Frees a scenario from scenario_new; s may be NULL. A scenario owns no
 * other memory, so this is all it needs. */
void scenario_free(scenario *s);

/* Writes the resolved scenario (defaults filled in, overrides applied). */
void scenario_write(FILE *out, const scenario *s);

/* Writes the Markdown reference of every key. */
void scenario_write_reference(FILE *out);

/* The value of numeric plan key `key` (a common key or the plan type's
 * own) in p, for tools that vary one value of a loaded plan in place; NULL
 * when `key` is no number key of plans. */
double *scenario_plan_number(plan *p, const char *key);

#endif
