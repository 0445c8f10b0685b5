/* lever.h: the cost levers of an AI product and a world whose prices and
 * features change month by month.
 *
 * A lever changes what one interaction of a feature costs: where its calls
 * go (routing, a cascade, a fine-tuned model), what they read and write
 * (prompt caching, compression, history summaries, retrieval instead of
 * whole documents), how they are billed (the batch API), whether they run
 * at all (semantic caching). Each starts at a month and may ramp up over
 * some months; its strength phi in [0, 1] blends the cost without it and
 * with it. Costs stay linear in the number of interactions, so the engine
 * prices a whole interval's count at once, and the saving of each lever in
 * the order applied is exact (the savings waterfall).
 *
 * An interaction's cost is built as a spec: expected calls per model, the
 * tokens of a call, the shares of input read from and written to the
 * prompt cache, the batched share, extra model work, retrieval, and the
 * semantic cache's hit rate and per-query cost. */
#ifndef TS_LEVER_H
#define TS_LEVER_H

#include <stdbool.h>

#include "cost.h"

#define LEVER_MAX 12
#define WORLD_MAX_EVENTS 16

enum lever_kind {
    LEVER_ROUTING, LEVER_CASCADE, LEVER_FINE_TUNE, LEVER_PROMPT_CACHE, LEVER_SEMANTIC_CACHE, LEVER_BATCH,
    LEVER_OUTPUT_LIMIT, LEVER_COMPRESSION, LEVER_HISTORY_SUMMARY, LEVER_RETRIEVAL, LEVER_SELF_HOST, LEVER_SPLIT,
    LEVER_KIND_COUNT
};
extern const char *const lever_kind_names[];

/* Product types with their typical semantic-cache hit rates (the middle of
 * the ranges practitioners report): FAQ and documentation assistants
 * 40-70%, customer support 30-55%, content generation 5-20%, code
 * assistants 15-35%, data analysis 10-25%, personal assistants under 10%. */
enum cache_product { PRODUCT_NONE, PRODUCT_FAQ, PRODUCT_SUPPORT, PRODUCT_CONTENT, PRODUCT_CODE, PRODUCT_ANALYSIS,
                     PRODUCT_PERSONAL, PRODUCT_COUNT };
extern const char *const cache_product_names[];
extern const double cache_product_hit_rate[];

typedef struct lever_share {
    char model[COST_NAME_LEN];
    double share;
    int model_index;
} lever_share;

typedef struct lever {
    char name[COST_NAME_LEN];
    int kind;                   /* enum lever_kind */
    char feature[COST_NAME_LEN];/* the feature it applies to; "": every feature */
    int feature_index;          /* -1: every feature (resolved by the loader) */
    int start_month;            /* 1-based: the first month it works in */
    int ramp_months;            /* months to reach full strength (0: at once) */
    double share;               /* routing, fine_tune: traffic moved; batch: calls batched;
                                   prompt_cache: input tokens cached */
    char to[COST_NAME_LEN];     /* routing, fine_tune: the model; cascade: the first, cheap model */
    int to_index;
    char from[COST_NAME_LEN];   /* routing, fine_tune: move calls only from this model ("": from every other) */
    int from_index;
    double classifier_cost;     /* routing: $ per interaction for the classifier */
    double escalate;            /* cascade: share of calls escalated to the original model */
    double hit_rate;            /* prompt_cache: reads per cached prefix; semantic_cache: answers from cache */
    int product;                /* semantic_cache: a product type whose typical hit rate to use (enum cache_product) */
    double embed_tokens;        /* semantic_cache: tokens embedded per query */
    double lookup_cost;         /* semantic_cache: $ per query for the vector lookup */
    double reduction;           /* output_limit, compression, history_summary: share of tokens cut */
    char summary_model[COST_NAME_LEN]; /* history_summary: the model that writes summaries */
    int summary_index;
    double summary_calls;       /* history_summary: summarising calls per interaction */
    double summary_input, summary_output; /* tokens of a summarising call */
    double context_tokens;      /* retrieval: context tokens per call instead of the feature's */
    double embedding_tokens;    /* retrieval: tokens embedded per interaction */
    double searches;            /* retrieval: vector searches per interaction */
    double one_time_cost;       /* fine_tune: $ paid in its start month */
    lever_share split[COST_MAX_ROUTES]; /* split: the mix every call of the feature goes to (shares sum to 1) */
    int nsplit;
    double gpus;                /* self_host: serving units rented (a GPU or a node each) */
    double gpu_monthly;         /* self_host: $ a month for the GPUs, from the start month
                                   (default: gpus x the model's gpu_per_hour x 720 hours) */
    double capacity_tps;        /* self_host: tokens per second they serve
                                   (default: gpus x the model's gpu_tokens_per_second) */
    double utilization;         /* self_host: share of the month's seconds that capacity is usable */
} lever;

/* Tokens a month of self-hosting serves: tokens per second x the seconds
 * of a 30-day month x the usable share. */
double lever_self_capacity(const lever *l);

/* A provider price change from a month on: every price of one model (or of
 * all) times `factor`. */
typedef struct price_event {
    int month;                  /* 1-based */
    char model[COST_NAME_LEN];  /* "": every model */
    int model_index;            /* -1: every model */
    double factor;
} price_event;

/* A feature launch or growth from a month on: more tokens per call and more
 * calls per interaction (the chapter's feature creep). */
typedef struct feature_event {
    int month;
    char feature[COST_NAME_LEN];/* "": every feature */
    int feature_index;
    feature_tokens tokens;      /* added per call */
    double calls;               /* added per interaction */
} feature_event;

typedef struct world {
    double deflation;           /* yearly fall of every price: x (1 - d)^((month - 1) / 12) */
    price_event prices[WORLD_MAX_EVENTS];
    int nprices;
    feature_event features[WORLD_MAX_EVENTS];
    int nfeatures;
} world;

/* What one interaction of a feature (on one of its base routes) costs. */
typedef struct lever_spec {
    double w[COST_MAX_MODELS];  /* expected calls on each model per call of the feature */
    double calls;               /* calls per interaction */
    feature_tokens tokens;      /* per call */
    double cache_read, cache_write; /* shares of a call's input read from / written to the prompt cache */
    double batch;               /* share of calls through the batch API */
    double extra_model;         /* $ per interaction of other model work (classifier, summaries) */
    double extra_tokens;        /* tokens per interaction of that work */
    double retrieval;           /* $ per interaction */
    double semantic_hit;        /* share of interactions answered by the semantic cache */
    double semantic_cost;       /* $ per interaction for its embedding and lookup */
    double self_w;              /* calls per call of the feature on the self-hosted model */
    int self_model;             /* whose API prices the self-hosted calls pay when they spill over */
} lever_spec;

/* What one interaction costs: model $, retrieval $ and tokens, of which
 * the self-hosted calls' tokens and their price at the API (what they cost
 * if they spill over; the engine settles the month's GPU cost and
 * capacity at its close). */
typedef struct lever_cost {
    double model, retrieval, tokens, self_tokens, self_cost;
} lever_cost;

/* The spec of feature f on base route r, in month m (1-based) of world w
 * (launches applied). */
void lever_spec_init(lever_spec *sp, const feature *f, int fi, int r, const price_table *pt, const world *w,
                     int month);

/* Applies lever l at strength phi. */
void lever_apply(lever_spec *sp, const lever *l, double phi, const price_table *pt);

/* The lever's strength in month m (1-based). */
double lever_strength(const lever *l, int month);

/* The price factor of model k in month m. */
double world_price_factor(const world *w, int k, int month);

/* What one interaction costs under spec sp in month m. */
lever_cost lever_spec_cost(const lever_spec *sp, const price_table *pt, const world *w, int month);

#endif
