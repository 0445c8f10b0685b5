/* dashboard.h: the monthly cost dashboard an AI product should watch, and
 * the red flags that say its economics are going wrong.
 *
 * Per plan and month: inference cost as a share of revenue, gross margin,
 * the semantic-cache hit rate and the share of input read from the prompt
 * cache, the shares of model calls on small, mid and large models, and what
 * the costliest 20% of customers cost against what they pay. The cache and
 * model shares are expected values from the levers in force that month
 * (interactions weighted by feature and route shares); the rest are
 * simulated means. Red flags: free customers above 10% of the inference
 * bill, cost per customer growing faster than revenue per customer (by
 * more than 5 points from the first quarter of the horizon to the last), an
 * agent task above 5 times a single-shot call, the costliest 20% of
 * customers costing more than they pay. */
#ifndef TS_DASHBOARD_H
#define TS_DASHBOARD_H

#include <stdbool.h>
#include <stdio.h>

#include "doc.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/stats.h"

#define DASH_MAX_FLAGS 32

typedef struct dash_month {
    double inference_pct;    /* of revenue */
    double margin;           /* % */
    double semantic_hit;     /* % of interactions */
    double cache_read;       /* % of input tokens */
    double small, mid, large;/* % of model calls by the model's tier (untiered models in none) */
    double top20_cost, top20_revenue;   /* $ */
} dash_month;

typedef struct dash_flag {
    char what[64];           /* the flag's short name */
    char detail[256];
} dash_flag;

/* An agent feature's task against one single-shot call. */
typedef struct dash_agent {
    int feature;
    double task, single, calls;   /* $ a task, $ a single call, calls a task */
} dash_agent;

typedef struct dashboard {
    int nplans, nmonths;
    dash_agent agents[COST_MAX_FEATURES];
    int nagents;
    dash_month *m;           /* [plan][month] */
    dash_flag flags[DASH_MAX_FLAGS];
    int nflags;
} dashboard;

/* Builds it from a run's summary. Returns 0 or -1 (memory). */
int dashboard_build(dashboard *d, const scenario *s, const summary *sm);
void dashboard_free(dashboard *d);

void dashboard_print(FILE *out, const scenario *s, const dashboard *d);
struct cJSON;
void dashboard_json(struct cJSON *root, const scenario *s, const dashboard *d);
void dashboard_doc(doc *dc, const scenario *s, const dashboard *d);

#endif
