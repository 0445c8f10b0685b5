/* replay.h: `tokensim replay SOURCE SCENARIO`: the backtest. Logged
 * requests re-priced, in time order, under each plan of a scenario: each
 * customer's bill per calendar month (quotas, soft limits and hard caps
 * applied at the request where the customer crosses them), the model cost
 * at the scenario's prices, revenue, margin, losing customer-months,
 * refused and downgraded requests, the bill change against the first plan,
 * and intervals by bootstrap over customers; then the scenario's levers
 * applied to each logged request, the logged spend reconciled with the
 * recomputed one per model, and the customers by segment of usage. Memory
 * grows with the rows (they are sorted per customer by time). */
#ifndef TS_REPLAY_H
#define TS_REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "models/plan.h"
#include "sim/core/error.h"
#include "sim/data/reader.h"
#include "sim/output/report.h"
#include "sim/scenario/scenario.h"

typedef struct replay_opts {
    const char *path;            /* a file, or NULL with db */
    const char *db, *table, *query;
    data_opts data;
    int bootstrap;               /* customer resamples for the intervals (0: none) */
    uint64_t seed;               /* of the bootstrap and of outcome-based bills */
    bool logged_cost;            /* price requests at the log's own spend, not the scenario's prices */
} replay_opts;

#define REPLAY_TOP 3

typedef struct replay_change {
    char customer[64];
    double change;               /* $ over the log's months, this plan minus the first */
} replay_change;

typedef struct replay_plan {
    double revenue, model_cost, other_cost, profit, margin;   /* margin in %, NaN without revenue */
    double revenue_lo, revenue_hi, margin_lo, margin_hi;      /* P5 and P95 of the bootstrap; NaN without */
    double losing;               /* % of customer-months that cost more than they paid */
    double served, refused, downgraded;   /* requests */
    double bill_change;          /* mean $ per customer against the first plan */
    double rises, falls;         /* % of customers whose bill rises / falls against the first plan */
    replay_change rise[REPLAY_TOP], fall[REPLAY_TOP];
    int nrise, nfall;
    /* with the scenario's levers applied to each request (replay_levers.c);
     * equal to the above when the scenario has none */
    double model_cost_levers, profit_levers, margin_levers;
} replay_plan;

/* Customers grouped by their requests per active month: below the median,
 * the median to P90, P90 to P99, the top 1%. */
#define REPLAY_SEGMENTS 4

typedef struct replay_segment {
    double customers;            /* in the segment (the same under every plan) */
    double requests;             /* per active month, mean over its customers */
    double revenue[PLAN_MAX], cost[PLAN_MAX];   /* $ over the log, model and other costs */
    double bill_change[PLAN_MAX];/* mean $ per customer against the first plan */
    double rises[PLAN_MAX];      /* % of its customers whose bill rises against the first plan */
} replay_segment;

/* Logged spend against the spend recomputed at the scenario's prices, per
 * model, over the rows that carry both. */
typedef struct replay_recon {
    long rows;
    double logged, recomputed;
} replay_recon;

typedef struct replay_report {
    data_info info;
    long rows_used, zero_token, unpriced;   /* unpriced: model not in the scenario's prices and no logged spend */
    double requests;
    size_t customers, customer_months;
    int bootstrap;
    int nplans;
    replay_plan plan[PLAN_MAX];
    replay_segment seg[REPLAY_SEGMENTS];
    double seg_upper[REPLAY_SEGMENTS];  /* requests per active month at each segment's top */
    replay_recon recon[COST_MAX_MODELS];  /* by the scenario's model index */
    long recon_rows;             /* rows with a logged spend and a known model */
    /* levers: the logged requests' model cost before any lever, and after
     * each lever in the scenario's order (the savings waterfall) */
    int nlevers;
    double lever_base, lever_after[LEVER_MAX];
} replay_report;

/* Reads the source and replays it under every plan of s (loaded by
 * scenario_load). Plans that keep state across months (tiers held, credits,
 * wallets) or have a free tier are refused with TS_ERR_INPUT: the log shows
 * usage, not those states. Returns TS_OK, TS_ERR_INPUT (the source, named
 * with its line) or TS_ERR_RUNTIME. */
int replay_run(const scenario *s, const replay_opts *o, replay_report *r, ts_error *err);

/* The report as a table, replay.csv (through the CSV writer) and
 * replay.json texts (caller frees; NULL when out of memory). */
void replay_print(FILE *f, const replay_report *r, const scenario *s, const char *source);
char *replay_csv(const replay_report *r, const scenario *s);
char *replay_json(const replay_report *r, const scenario *s, const provenance *pv);

/* replay_out.c: the segment table as CSV (caller frees; NULL when out of
 * memory), and report.md/report.html written into dir. */
char *replay_segments_csv(const replay_report *r, const scenario *s);
int replay_document_write(const char *dir, const replay_report *r, const scenario *s, const char *source,
                          const provenance *pv, ts_error *err);

#endif
