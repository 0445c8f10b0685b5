/* scenario_levers.c: the keys of the cost levers and of the world's price
 * changes and feature launches, and their checks: model and feature names
 * must exist, each lever kind has the keys it needs and no others, a batch
 * lever needs a model with a batch discount, a prompt cache one with a
 * cached-input price. */
#include <string.h>

#include "scenario_check.h"
#include "schema_macros.h"

#define KB(k) KIND_BIT(k)

/* Keys each lever kind needs (must be given) and takes (may be). */
static const kind_rule lever_rules[] = {
    { "share", KB(LEVER_ROUTING) | KB(LEVER_FINE_TUNE) | KB(LEVER_BATCH) | KB(LEVER_PROMPT_CACHE) | KB(LEVER_SELF_HOST),
      0 },
    { "to", KB(LEVER_ROUTING) | KB(LEVER_FINE_TUNE) | KB(LEVER_CASCADE) | KB(LEVER_SELF_HOST), 0 },
    { "from", 0, KB(LEVER_ROUTING) | KB(LEVER_FINE_TUNE) | KB(LEVER_SELF_HOST) },
    { "split", KB(LEVER_SPLIT), 0 },
    { "gpus", 0, KB(LEVER_SELF_HOST) },
    { "gpu_monthly", 0, KB(LEVER_SELF_HOST) },
    { "capacity_tps", 0, KB(LEVER_SELF_HOST) },
    { "utilization", 0, KB(LEVER_SELF_HOST) },
    { "classifier_cost", 0, KB(LEVER_ROUTING) },
    { "escalate", KB(LEVER_CASCADE), 0 },
    { "hit_rate", KB(LEVER_PROMPT_CACHE), KB(LEVER_SEMANTIC_CACHE) },
    { "product", 0, KB(LEVER_SEMANTIC_CACHE) },
    { "embed_tokens", 0, KB(LEVER_SEMANTIC_CACHE) },
    { "lookup_cost", 0, KB(LEVER_SEMANTIC_CACHE) },
    { "reduction", KB(LEVER_OUTPUT_LIMIT) | KB(LEVER_COMPRESSION) | KB(LEVER_HISTORY_SUMMARY), 0 },
    { "summary_model", 0, KB(LEVER_HISTORY_SUMMARY) },
    { "summary_calls", 0, KB(LEVER_HISTORY_SUMMARY) },
    { "summary_input", 0, KB(LEVER_HISTORY_SUMMARY) },
    { "summary_output", 0, KB(LEVER_HISTORY_SUMMARY) },
    { "context_tokens", KB(LEVER_RETRIEVAL), 0 },
    { "embedding_tokens", 0, KB(LEVER_RETRIEVAL) },
    { "searches", 0, KB(LEVER_RETRIEVAL) },
    { "one_time_cost", 0, KB(LEVER_FINE_TUNE) },
};
#define NRULES (sizeof lever_rules / sizeof lever_rules[0])

static bool lever_shows(const char *name, const void *base)
{
    const lever *l = base;
    /* a semantic cache gives its hit rate or its product, never both */
    if (l->kind == LEVER_SEMANTIC_CACHE && !strcmp(name, "hit_rate"))
        return l->product == PRODUCT_NONE;
    if (l->kind == LEVER_SEMANTIC_CACHE && !strcmp(name, "product"))
        return l->product != PRODUCT_NONE;
    return kind_rule_applies(lever_rules, NRULES, name, KB(l->kind));
}

static const keyspec split_keys[] = {
    STR(lever_share, "model", model, KF_REQUIRED, NULL, "a model of the price table"),
    NUM(lever_share, "share", share, 0, 1, KF_REQUIRED, "share of calls", NULL, "its share; the shares add up to 1"),
    END
};
static const section split_sec = { split_keys, NULL };

static const keyspec lever_keys[] = {
    STR(lever, "name", name, 0, "", "lever name, shown in the savings waterfall (default: its type)"),
    ENUM(lever, "type", kind, lever_kind_names, KF_REQUIRED, NULL,
         "routing, cascade, fine_tune, prompt_cache, semantic_cache, batch, output_limit, compression, "
         "history_summary, retrieval, self_host or split"),
    STR(lever, "feature", feature, 0, "", "the feature it applies to (empty: every feature)"),
    INT(lever, "start_month", start_month, 1, 600, 0, "month", "1", "the first month it works in"),
    INT(lever, "ramp_months", ramp_months, 0, 600, 0, "months", "0",
        "months to reach full strength, linearly (0: at once)"),
    NUM(lever, "share", share, 0, 1, 0, "share", "0",
        "routing, fine_tune: share of calls moved; batch: share of calls batched; prompt_cache: share of input cached"),
    STR(lever, "to", to, 0, "", "routing, fine_tune: the model calls move to; cascade: the cheap model tried first"),
    STR(lever, "from", from, 0, "", "routing, fine_tune: move calls only from this model (empty: from every other)"),
    NUM(lever, "classifier_cost", classifier_cost, 0, 0, POS, "$ per interaction", "0",
        "routing: what the classifier costs per interaction"),
    NUM(lever, "escalate", escalate, 0, 1, 0, "share of calls", "0",
        "cascade: calls the cheap model passes on to the original one"),
    NUM(lever, "hit_rate", hit_rate, 0, 1, 0, "share", "0",
        "prompt_cache: cached input read from the cache rather than written; semantic_cache: queries answered "
        "from the cache"),
    ENUM(lever, "product", product, cache_product_names, 0, "none",
         "semantic_cache: the product type whose typical hit rate applies when hit_rate is not given: faq 55%, "
         "support 42.5%, content 12.5%, code 25%, analysis 17.5%, personal 5%"),
    NUM(lever, "embed_tokens", embed_tokens, 0, 0, POS, "tokens per query", "0",
        "semantic_cache: tokens embedded to look a query up"),
    NUM(lever, "lookup_cost", lookup_cost, 0, 0, POS, "$ per query", "0", "semantic_cache: the vector lookup"),
    NUM(lever, "reduction", reduction, 0, 1, KF_MAX_OPEN, "share of tokens", "0",
        "output_limit: output cut; compression: system, user and context cut; history_summary: history cut"),
    STR(lever, "summary_model", summary_model, 0, "", "history_summary: the model that writes summaries"),
    NUM(lever, "summary_calls", summary_calls, 0, 0, POS, "calls per interaction", "0",
        "history_summary: summarising calls per interaction"),
    NUM(lever, "summary_input", summary_input, 0, 0, POS, "tokens", "0", "history_summary: input of a summary call"),
    NUM(lever, "summary_output", summary_output, 0, 0, POS, "tokens", "0",
        "history_summary: output of a summary call"),
    NUM(lever, "context_tokens", context_tokens, 0, 0, POS, "tokens per call", "0",
        "retrieval: context per call once retrieved chunks replace whole documents"),
    NUM(lever, "embedding_tokens", embedding_tokens, 0, 0, POS, "tokens per interaction", "0",
        "retrieval: tokens embedded per interaction"),
    NUM(lever, "searches", searches, 0, 0, POS, "per interaction", "0", "retrieval: vector searches per interaction"),
    NUM(lever, "one_time_cost", one_time_cost, 0, 0, POS, "$", "0",
        "fine_tune: training and setup, paid in the start month (its payback month is reported)"),
    LIST(lever, "split", split, lever_share, nsplit, COST_MAX_ROUTES, split_sec, 0,
         "split: the models every call goes to, with shares adding up to 1 (a classifier's 70/20/10)"),
    NUM(lever, "gpus", gpus, 0, 0, GT0, "units", "1",
        "self_host: serving units rented (GPUs or nodes, as the model's gpu_per_hour counts them)"),
    NUM(lever, "gpu_monthly", gpu_monthly, 0, 0, POS, "$ per month", "0",
        "self_host: what the GPUs cost a month, from the start month, used or not (default: gpus x the model's "
        "gpu_per_hour x 720 hours)"),
    NUM(lever, "capacity_tps", capacity_tps, 0, 0, GT0, "tokens per second", "0",
        "self_host: tokens a second the GPUs serve; the month's demand above that spills over to `to` at its API price"),
    NUM(lever, "utilization", utilization, 0, 1, KF_MIN_OPEN, "share", "1",
        "self_host: share of the month's seconds the capacity is usable (below 1 for daily peaks)"),
    END
};
const section lever_sec = { lever_keys, lever_shows };

static const keyspec price_event_keys[] = {
    INT(price_event, "month", month, 1, 600, KF_REQUIRED, "month", NULL, "the first month at the new prices"),
    STR(price_event, "model", model, 0, "", "the model (empty: every model)"),
    NUM(price_event, "factor", factor, 0, 0, GT0 | KF_REQUIRED, "times", NULL,
        "every price of the model times this (0.5: a 50% cut)"),
    END
};
static const section price_event_sec = { price_event_keys, NULL };

static const keyspec feature_event_keys[] = {
    INT(feature_event, "month", month, 1, 600, KF_REQUIRED, "month", NULL, "the first month with the launch"),
    STR(feature_event, "feature", feature, 0, "", "the feature that grows (empty: every feature)"),
    MAP(feature_event, "tokens", tokens, tokens_sec, "tokens added to each call"),
    NUM(feature_event, "calls", calls, 0, 0, POS, "calls per interaction", "0", "calls added to each interaction"),
    END
};
static const section feature_event_sec = { feature_event_keys, NULL };

static const keyspec world_keys[] = {
    NUM(world, "price_deflation_yearly", deflation, 0, 1, KF_MAX_OPEN, "share per year", "0",
        "every model price falls this much a year, month by month"),
    LIST(world, "price_changes", prices, price_event, nprices, WORLD_MAX_EVENTS, price_event_sec, 0,
         "provider price changes from a month on"),
    LIST(world, "launches", features, feature_event, nfeatures, WORLD_MAX_EVENTS, feature_event_sec, 0,
         "feature launches that add tokens or calls from a month on (feature creep)"),
    END
};
const section world_sec = { world_keys, NULL };

static int feature_ref(check_ctx *c, const scenario *s, const char *name, int *index, const void *field,
                       const char *what)
{
    *index = -1;
    if (!name[0])
        return TS_OK;
    for (int i = 0; i < s->nfeatures; i++)
        if (!strcmp(s->features[i].name, name)) {
            *index = i;
            return TS_OK;
        }
    const char *near = NULL;
    int bd = 4;
    for (int i = 0; i < s->nfeatures; i++) {
        int d = schema_distance(name, s->features[i].name);
        if (d < bd) {
            bd = d;
            near = s->features[i].name;
        }
    }
    if (near)
        return scenario_fail_at(c, field, NULL, "unknown feature '%s' in %s (did you mean '%s'?)", name, what, near);
    return scenario_fail_at(c, field, NULL, "unknown feature '%s' in %s: the scenario's features are %s%s", name,
                            what, s->features[0].name, s->nfeatures > 1 ? " and others" : "");
}

/* A model reference: checked against the price table, its index returned. */
static int model_ref(check_ctx *c, const scenario *s, const char *name, int *index, const void *field,
                     const char *path)
{
    int rc = scenario_check_model(c, name, field, path);
    *index = rc ? -1 : cost_model_find(&s->prices, name);
    return rc;
}

static const void *lever_field(const void *base, const char *name)
{
    const lever *l = base;
    const struct { const char *n; const void *f; } map[] = {
        { "share", &l->share }, { "to", l->to }, { "from", l->from }, { "classifier_cost", &l->classifier_cost },
        { "escalate", &l->escalate }, { "hit_rate", &l->hit_rate }, { "product", &l->product },
        { "embed_tokens", &l->embed_tokens },
        { "lookup_cost", &l->lookup_cost }, { "reduction", &l->reduction }, { "summary_model", l->summary_model },
        { "summary_calls", &l->summary_calls }, { "summary_input", &l->summary_input },
        { "summary_output", &l->summary_output }, { "context_tokens", &l->context_tokens },
        { "embedding_tokens", &l->embedding_tokens }, { "searches", &l->searches },
        { "one_time_cost", &l->one_time_cost }, { "gpu_monthly", &l->gpu_monthly }, { "split", l->split }, { "gpus", &l->gpus },
        { "capacity_tps", &l->capacity_tps }, { "utilization", &l->utilization },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].n, name))
            return map[i].f;
    return NULL;
}

int scenario_check_levers(check_ctx *c, scenario *s)
{
    int rc;
    char what[128];
    for (int i = 0; i < s->nlevers; i++) {
        lever *l = &s->levers[i];
        const char *kind = lever_kind_names[l->kind];
        if (!l->name[0])
            snprintf(l->name, sizeof l->name, "%s", kind);
        for (int j = 0; j < i; j++)
            if (l->kind == LEVER_SELF_HOST && s->levers[j].kind == LEVER_SELF_HOST)
                return scenario_fail_at(c, l, NULL, "a second self-hosting lever '%s': one self-hosted model per "
                                        "scenario", l->name);
        for (int j = 0; j < i; j++)
            if (!strcmp(l->name, s->levers[j].name))
                return scenario_fail_at(c, l, NULL, "duplicate lever name '%s': name each lever of the same type",
                                        l->name);
        char prefix[80];
        snprintf(prefix, sizeof prefix, "levers.%s", l->name);
        if ((rc = scenario_check_kind_keys(c, lever_rules, NRULES, KB(l->kind), lever_field, l, l, NULL, prefix, kind,
                                           "lever")))
            return rc;
        if (l->kind == LEVER_SEMANTIC_CACHE) {
            bool hr = scenario_given(c, &l->hit_rate);
            bool pr = scenario_given(c, &l->product) && l->product != PRODUCT_NONE;
            if (hr == pr)
                return scenario_fail_at(c, hr ? (const void *)&l->product : (const void *)l, NULL,
                                        "semantic-cache lever '%s' needs one of 'hit_rate' and 'product', %s", l->name,
                                        hr ? "not both" : "and has neither");
            if (pr)
                l->hit_rate = cache_product_hit_rate[l->product];
        }
        snprintf(what, sizeof what, "'levers.%s.feature'", l->name);
        if ((rc = feature_ref(c, s, l->feature, &l->feature_index, l->feature, what)))
            return rc;
        l->to_index = -1;
        if (l->to[0]) {
            snprintf(what, sizeof what, "levers.%s.to", l->name);
            if ((rc = model_ref(c, s, l->to, &l->to_index, l->to, what)))
                return rc;
        }
        l->from_index = -1;
        if (l->from[0]) {
            snprintf(what, sizeof what, "levers.%s.from", l->name);
            if ((rc = model_ref(c, s, l->from, &l->from_index, l->from, what)))
                return rc;
        }
        if (l->kind == LEVER_SELF_HOST) {
            /* the GPUs' price and capacity: given, or from the model's entry */
            const model_price *m = &s->prices.models[l->to_index];
            if (!scenario_given(c, &l->gpu_monthly)) {
                if (m->gpu_per_hour <= 0)
                    return scenario_fail_at(c, l, NULL, "self-hosting lever '%s' has no 'gpu_monthly' and model '%s' "
                                            "no 'gpu_per_hour' to derive it from", l->name, m->name);
                l->gpu_monthly = l->gpus * m->gpu_per_hour * 720;
            }
            if (!scenario_given(c, &l->capacity_tps)) {
                if (m->gpu_tokens_per_second <= 0)
                    return scenario_fail_at(c, l, NULL, "self-hosted model '%s' of lever '%s' has no capacity: give "
                                            "'capacity_tps', or 'gpu_tokens_per_second' in its price entry", m->name,
                                            l->name);
                l->capacity_tps = l->gpus * m->gpu_tokens_per_second;
            }
        }
        double sum = 0;
        for (int k = 0; k < l->nsplit; k++) {
            snprintf(what, sizeof what, "levers.%s.split", l->name);
            if ((rc = model_ref(c, s, l->split[k].model, &l->split[k].model_index, l->split[k].model, what)))
                return rc;
            sum += l->split[k].share;
        }
        if (l->kind == LEVER_SPLIT && (sum < 1 - 1e-6 || sum > 1 + 1e-6))
            return scenario_fail_at(c, l->split, NULL, "the shares of lever '%s' add up to %g, expected 1", l->name,
                                    sum);
        l->summary_index = -1;
        if (l->kind == LEVER_HISTORY_SUMMARY && l->summary_calls > 0) {
            if (!l->summary_model[0])
                return scenario_fail_at(c, &l->summary_calls, NULL,
                                        "lever '%s' makes summarising calls but names no 'summary_model'", l->name);
            snprintf(what, sizeof what, "levers.%s.summary_model", l->name);
            if ((rc = model_ref(c, s, l->summary_model, &l->summary_index, l->summary_model, what)))
                return rc;
        } else if (l->kind == LEVER_HISTORY_SUMMARY) {
            l->summary_index = 0;   /* no calls: the price is never used */
        }
        /* the models the lever's features call must support it */
        for (int f = 0; f < s->nfeatures; f++) {
            if (l->feature_index >= 0 && l->feature_index != f)
                continue;
            for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
                const model_price *m = &s->prices.models[feature_route_model(&s->features[f], r)];
                if (l->kind == LEVER_BATCH && m->batch_discount <= 0)
                    return scenario_fail_at(c, l, NULL, "lever '%s' batches calls of feature '%s', but model '%s' "
                                            "has no 'batch_discount'", l->name, s->features[f].name, m->name);
                if (l->kind == LEVER_PROMPT_CACHE && m->cached_input < 0)
                    return scenario_fail_at(c, l, NULL, "lever '%s' caches prompts of feature '%s', but model '%s' "
                                            "has no 'cached_input_per_mtok'", l->name, s->features[f].name, m->name);
            }
        }
    }
    for (int i = 0; i < s->world.nprices; i++) {
        price_event *e = &s->world.prices[i];
        e->model_index = -1;
        if (e->model[0] && (rc = model_ref(c, s, e->model, &e->model_index, e->model, "world.price_changes")))
            return rc;
    }
    for (int i = 0; i < s->world.nfeatures; i++) {
        feature_event *e = &s->world.features[i];
        if ((rc = feature_ref(c, s, e->feature, &e->feature_index, e->feature, "'world.launches'")))
            return rc;
    }
    return TS_OK;
}
