/* exercise.h: the textbook's five-step exercise for the product a scenario
 * describes, computed in closed form (no simulation): (1) every AI call
 * with its tokens, model, price and frequency; (2) cost per user per month;
 * (3) interactions, AI cost, price and margin for the light (P25), medium
 * (P50) and heavy (P90) user; (4) each optimisation's effect and the
 * margins recomputed; (5) a pricing recommendation with its numbers.
 *
 * The same figures go to the terminal, to Markdown and to a spreadsheet
 * whose cells hold formulas (exercise_xlsx.c), so a student can change an
 * input and watch the margins move. */
#ifndef TS_EXERCISE_H
#define TS_EXERCISE_H

#include <stdio.h>

#include "sim/scenario/scenario.h"

#define EX_MAX_CALLS (COST_MAX_FEATURES * COST_MAX_ROUTES)

enum ex_lever { EX_ROUTING, EX_PROMPT_CACHE, EX_SEMANTIC_CACHE, EX_BATCHING, EX_OUTPUT, EX_LEVER_COUNT };
enum ex_option { OPT_FLAT, OPT_USAGE, OPT_TIERED, OPT_HYBRID, OPT_OUTCOME, OPT_COUNT };

typedef struct ex_call {
    const feature *f;
    int route;
    const model_price *model;
    double share;            /* of interactions that make these calls */
    double calls;            /* per such interaction */
    double in_tokens, out_tokens;     /* per call */
    double cost_per_call;    /* model tokens only */
    double retrieval;        /* per interaction that uses the feature */
    double per_interaction;  /* contribution to the cost of an average interaction */
    double calls_per_month;  /* of the median (P50) user */
} ex_call;

typedef struct ex_lever_row {
    const char *name;
    double cpi;              /* cost per interaction with this lever alone */
    double saving;           /* share of the baseline cost saved */
    char note[160];          /* why it did nothing, or where routing sends calls */
} ex_lever_row;

typedef struct ex_option_row {
    const char *name;
    char terms[200];         /* the plan in words */
    double revenue[3];       /* per user-month at P25, P50, P90 */
    double margin[3];        /* % */
} ex_option_row;

typedef struct exercise_result {
    const scenario *s;
    const plan *pl;          /* its price may be 0: use `price` below */
    ex_call calls[EX_MAX_CALLS];
    int ncalls;
    double cpi;              /* step 2: cost per average interaction */
    double mean_n;           /* mean interactions per user-month */
    double cost_mean;        /* AI cost of the mean user */
    double p[3];             /* 0.25, 0.5, 0.9 */
    double n[3];             /* interactions at those quantiles */
    double ai[3], other[3], margin[3];      /* step 3, under the plan's price */
    ex_lever_row levers[EX_LEVER_COUNT];
    double cpi_opt;          /* all levers together */
    double ai_opt[3], margin_opt[3];
    double target;           /* the plan's target margin, % */
    double keep;             /* 1 - target - payment share: what costs may take */
    double n_break_even;     /* interactions at which the flat price only covers cost */
    double included;         /* hybrid: included interactions (P75) */
    double tier_quota[3];    /* strictly increasing */
    double tier_price[3];    /* strictly increasing, never under the plan's price */
    double tier_n[3];        /* interactions of each tier's P90 user */
    double tier_margin[3];   /* %, each tier's P90 user at the optimised cost */
    const model_price *route_model;  /* where the routing lever sends calls */
    double price;            /* the plan's flat price, or the one recommended */
    bool price_recommended;  /* the scenario had no price: price is ours */
    double unit_price;       /* usage-based price per interaction */
    ex_option_row options[OPT_COUNT];
    int recommended;         /* enum ex_option */
    char why[800];
} exercise_result;

/* Computes the exercise for plan `p` of s. Returns TS_OK or TS_ERR_INPUT
 * (with err filled) when the numbers cannot be meant, e.g. a target margin
 * plus payment share of 100% or more. */
int exercise_compute(const scenario *s, int p, exercise_result *out, ts_error *err);

/* Writes the five steps as text (markdown = false) or Markdown. */
void exercise_print(FILE *out, const exercise_result *x, bool markdown);

/* Cost of one interaction with the given lever settings (0 = off), from
 * the scenario's features and prices. Exposed for tests. */
double exercise_cpi(const scenario *s, double routing, double prompt_cache, double semantic, double batch,
                    double batch_discount, double output_cut);

/* The share of that cost due to route r of feature f. */
double exercise_call_cpi(const scenario *s, const feature *f, int r, double routing, double prompt_cache,
                         double semantic, double batch, double batch_discount, double output_cut);

/* Writes the figures as JSON (for scripts and tests); caller frees. */
char *exercise_json(const exercise_result *x);

/* Writes the spreadsheet; returns TS_OK or TS_ERR_RUNTIME. */
int exercise_write_xlsx(const char *path, const exercise_result *x, ts_error *err);

#endif
