/* cost.h: the price table and the cost of one interaction.
 *
 * A feature is a place in the product that calls a model. A share of all
 * interactions uses it; each such interaction makes `calls` model calls of
 * the feature's token shape, on one model or split across models by route
 * shares, and pays once for its retrieval (embedding, vector search,
 * reranking). Prices are in dollars per million tokens, retrieval prices per
 * call. Costs here are deterministic: randomness is only in how many
 * interactions there are and how they split (the engine's job). */
#ifndef TS_COST_H
#define TS_COST_H

#include <stdbool.h>

#include "token_spread.h"

#define COST_NAME_LEN 48
#define COST_MAX_MODELS 24
#define COST_MAX_FEATURES 16
#define COST_MAX_ROUTES 6

enum model_tier { TIER_UNSET, TIER_SMALL, TIER_MID, TIER_LARGE };

typedef struct model_price {
    char name[COST_NAME_LEN];
    double input;            /* $ per million input tokens */
    double cached_input;     /* $ per million input tokens read from the prompt cache; -1: not offered */
    double cache_write;      /* $ per million tokens written to the cache; -1: at the input price */
    double output;           /* $ per million output tokens */
    double batch_discount;   /* share off every price through the batch API; 0: none */
    /* long context: a request whose input is above long_above tokens pays
     * the long rates on every one of its tokens, as providers bill it */
    double long_above;       /* tokens; 0: no long-context pricing */
    double long_input, long_output, long_cached;   /* $ per million; -1: the normal rate */
    int tier;                /* enum model_tier, for the cost dashboard */
    /* open weights run on our own GPUs: a unit (a GPU or a node) rents for
     * gpu_per_hour and serves gpu_tokens_per_second; 0: not self-hostable */
    double gpu_per_hour, gpu_tokens_per_second;
} model_price;

/* The rates a request of `input_tokens` pays on model m (long context
 * applied): input, cached input (-1: not offered), cache write, output. */
typedef struct model_rates {
    double input, cached, write, output;
} model_rates;
model_rates cost_model_rates(const model_price *m, double input_tokens);

/* The per-token prices token_spread_expect takes for model m, with shares
 * read of the input read from the prompt cache (at the input price where m
 * offers no cached rate) and write written to it, below and above m's
 * long-context threshold. */
token_prices cost_token_prices(const model_price *m, double read, double write);

typedef struct price_table {
    char catalog[128];       /* the catalog the models came from, or "" */
    char date[24];           /* when the prices were read, for provenance */
    model_price models[COST_MAX_MODELS];
    int nmodels;
    double embedding;        /* $ per million tokens embedded */
    double vector_search;    /* $ per vector search */
    double rerank;           /* $ per reranking call */
} price_table;

typedef struct feature_route {
    char model[COST_NAME_LEN];
    double share;            /* of the feature's interactions; shares sum to 1 */
    int model_index;         /* resolved by cost_resolve */
} feature_route;

typedef struct feature_tokens {
    double system, history, user, context, output;
} feature_tokens;

typedef struct feature {
    char name[COST_NAME_LEN];
    double share;            /* of interactions that use this feature, [0,1] */
    double calls;            /* model calls per interaction that uses it */
    feature_tokens tokens;   /* per call */
    double cached_share;     /* of input tokens billed at the cached rate */
    double embedding_tokens; /* per interaction */
    double vector_searches;  /* per interaction */
    double reranks;          /* per interaction */
    /* an agent task: steps calls, each retried with probability retry
     * (1 / (1 - retry) attempts), step i reading i x growth more tokens */
    double agent_steps, agent_retry, agent_growth;
    token_spread spread;     /* how a call's tokens vary around `tokens` (token_spread.h) */
    char model[COST_NAME_LEN];          /* the model, when there are no routes */
    feature_route routes[COST_MAX_ROUTES];
    int nroutes;             /* 0: every call goes to `model` */
    int model_index;         /* of `model`, resolved by cost_feature_resolve */
} feature;

/* Routes seen uniformly: a feature with a plain `model` has one route. */
static inline int feature_route_count(const feature *f) { return f->nroutes ? f->nroutes : 1; }
static inline double feature_route_share(const feature *f, int r) { return f->nroutes ? f->routes[r].share : 1.0; }
static inline int feature_route_model(const feature *f, int r)
{
    return f->nroutes ? f->routes[r].model_index : f->model_index;
}

/* Cost of one interaction of a feature on one route, itemised. */
typedef struct interaction_cost {
    double input;            /* $ of input tokens, all calls */
    double output;           /* $ of output tokens, all calls */
    double retrieval;        /* $ of embedding, search and reranking */
    double total;
    double tokens;           /* input + output tokens, all calls */
} interaction_cost;

/* Index of a model in the table, or -1. */
int cost_model_find(const price_table *pt, const char *name);

/* Resolves model names to indices. Returns false and sets *bad_route (-1 for `model`) when a name is unknown. */
bool cost_feature_resolve(feature *f, const price_table *pt, int *bad_route);

/* The cost of one interaction of f on route r. */
interaction_cost cost_interaction(const feature *f, int r, const price_table *pt);

/* Calls per interaction and input tokens added per call once an agent's
 * steps, retries and growing context are counted (calls x 1 and 0 when the
 * feature is not an agent). */
double cost_agent_calls(const feature *f);
double cost_agent_extra_input(const feature *f);

/* The cost of the same interaction as one single-shot call (no agent). */
interaction_cost cost_single_shot(const feature *f, int r, const price_table *pt);

/* Expected cost and tokens of one product interaction, over features and
 * routes (what an average interaction costs). */
interaction_cost cost_interaction_expected(const feature *fs, int nf, const price_table *pt);

#endif
