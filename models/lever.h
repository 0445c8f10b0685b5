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
#include <stddef.h>

#include "cost.h"
#include "param.h"
#include "shock.h"
#include "sim/core/error.h"

#define LEVER_MAX 12
#define WORLD_MAX_EVENTS 16
#define LEVER_PARAM_BYTES 512   /* room for a kind's own parameters */
#define LEVER_KINDS_MAX 32

typedef struct lever {
    char name[COST_NAME_LEN];   /* first: a message about the whole lever points where its name was written */
    int kind;                   /* its index in the registry of kinds (lever_kind_get) */
    char feature[COST_NAME_LEN];/* the feature it applies to; "": every feature */
    int feature_index;          /* -1: every feature (resolved by the loader) */
    int start_month;            /* 1-based: the first month it works in */
    int ramp_months;            /* months to reach full strength (0: at once) */
    /* the kind's own parameter struct, bound by the kind's keys */
    union { max_align_t align; unsigned char bytes[LEVER_PARAM_BYTES]; } params;
} lever;

static inline void *lever_params(lever *l) { return l->params.bytes; }
static inline const void *lever_params_c(const lever *l) { return l->params.bytes; }

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
    /* the scenario's `shocks:` (shock.h); model-price shocks act through
     * world_price_factor, the others where what they shock is used */
    timed_shock shocks[TIMED_SHOCK_MAX];
    int nshocks;
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
    const token_spread *spread; /* the feature's spread of tokens, NULL when it changes no price */
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

/* Applies lever l at strength phi (nothing when phi <= 0). */
void lever_apply(lever_spec *sp, const lever *l, double phi, const price_table *pt);

/* The lever's strength in month m (1-based). */
double lever_strength(const lever *l, int month);

/* The price factor of model k in month m (deflation, price changes and
 * model-price shocks). */
double world_price_factor(const world *w, int k, int month);

/* What one interaction costs under spec sp in month m. */
lever_cost lever_spec_cost(const lever_spec *sp, const price_table *pt, const world *w, int month);

/* ---- lever kinds ---------------------------------------------------------
 *
 * A kind is one file, models/lever_<kind>.c, holding a lever_kind and its
 * parameter struct, plus one line in models/lever_kinds.def. Everything
 * else (the loader's keys and checks, `tokensim keys`, the cost plan, the
 * waterfall, the stress battery) reads the descriptor. */

/* What a kind's check may ask of the loader: the scenario's models,
 * features and levers, whether a key was written, and where to report. */
typedef struct lever_check {
    const price_table *prices;
    const feature *features;
    int nfeatures;
    const lever *levers;        /* the scenario's levers; the one checked is levers[index] */
    int index;
    void *loader;               /* the loader's own state, passed back to the three below */
    bool (*given)(void *loader, const void *field);
    /* fills the loader's error at where `field` (else `fallback`) was written */
    int (*fail)(void *loader, const void *field, const void *fallback, const char *msg);
    /* checks model `name`, written at `field`, against the price table;
     * the message names `path` and the nearest model */
    int (*model)(void *loader, const char *name, const void *field, const char *path);
} lever_check;

/* --set changes a stress shock makes to one lever ("levers.2.hit_rate=0.45"). */
#define LEVER_SET_LEN 160
typedef struct lever_sets {
    char v[4][LEVER_SET_LEN];
    int n;
} lever_sets;
void lever_sets_add(lever_sets *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef struct lever_kind {
    const char *name;           /* the value of `type` */
    const char *summary;        /* one line: what the lever does */
    /* its keys, in the order the resolved scenario writes them, with
     * offsets into its parameter struct (lever_params); PARAM_NEEDED marks
     * the keys it must be given */
    const param_key *keys;
    size_t params_size;         /* sizeof its parameter struct, at most LEVER_PARAM_BYTES */
    /* the costplan stage: moves spec sp a share phi in (0, 1] of the way to
     * the lever's full effect; runs once per month, feature and route when
     * the plan is built, never per interaction */
    void (*apply)(lever_spec *sp, const lever *l, double phi, const price_table *pt);
    /* its effect in words, without the timing: "route 70% of chat to haiku";
     * returns what snprintf returns */
    int (*describe)(const lever *l, char *buf, size_t n);

    /* Optional hooks (NULL: none). */
    /* checks across keys, resolves model names, derives defaults; returns
     * TS_OK or what c->fail returned */
    int (*check)(lever *l, const lever_check *c);
    /* whether the resolved scenario writes `key` (default: every key) */
    bool (*shows)(const lever *l, const char *key);
    /* $ paid once in the start month (the waterfall's payback month) */
    double (*one_time_cost)(const lever *l);
    /* capacity rented from the start month and settled at each month's
     * close: $ a month and tokens a month it serves (self-hosting) */
    void (*capacity)(const lever *l, double *monthly, double *tokens);
    /* the stress shock "cache hits halved": changes that halve the lever's
     * hits, its keys under `path` ("levers.2") */
    void (*hits_halved)(const lever *l, const char *path, lever_sets *out);
} lever_kind;

/* The registry: the built-in kinds (lever_kinds.def) in their order, then
 * those registered. A lever's `kind` indexes it. */
int lever_kind_count(void);
const lever_kind *lever_kind_get(int kind);
int lever_kind_find(const char *name);      /* its index, or -1 */

/* Adds a kind for levers of `type: k->name`. Register before loading a
 * scenario; not thread-safe. `k` must outlive every use. Returns the new
 * kind's index, or -1 with err filled (a name taken, the registry full, a
 * parameter struct over LEVER_PARAM_BYTES, apply or describe missing). */
int lever_kind_register(const lever_kind *k, ts_error *err);

/* Counts registrations, so the loader knows when to rebuild its key tables. */
unsigned lever_kind_generation(void);

static inline const lever_kind *lever_kind_of(const lever *l) { return lever_kind_get(l->kind); }

/* $ the lever pays once in its start month (0: none). */
double lever_one_time_cost(const lever *l);

/* Whether the lever rents capacity settled at the month's close; if so its
 * $ a month and tokens a month. */
bool lever_capacity(const lever *l, double *monthly, double *tokens);

/* The lever in words with its timing: "route 70% of chat to haiku from
 * month 3, reaching full strength over 2 months". Returns what snprintf
 * returns. */
int lever_describe(const lever *l, char *buf, size_t n);

/* ---- helpers for kinds ---- */

/* "chat", or "every feature". */
const char *lever_feature_words(const lever *l);

/* Moves a share x of the calls on every model other than `to` (only on
 * `from` when from >= 0) to `to`. */
void lever_move_calls(lever_spec *sp, const price_table *pt, double x, int to, int from);

/* c->fail with a formatted message. */
int lever_fail(const lever_check *c, const void *field, const void *fallback, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Resolves the model of key `key` of lever l, written at `field`, into
 * *index (-1 when `name` is ""), checking it against the price table. */
int lever_model_ref(const lever_check *c, const lever *l, const char *key, const char *name, int *index,
                    const void *field);

/* The first model a feature of lever l calls that `lacks` the price it
 * needs, with its feature; NULL when none. */
const model_price *lever_model_lacking(const lever_check *c, const lever *l,
                                       bool (*lacks)(const model_price *m), const feature **f);

#endif
