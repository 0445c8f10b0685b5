/* scenario.c: the scenario schema (every key, its unit, default and range)
 * and the checks that span several keys; the plan keys and their checks are
 * in scenario_plans.c. */
#include "scenario.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "ytree.h"

#include "schema_macros.h"
#include "scenario_check.h"
#include "catalog.h"
#include "variant.h"

/* ---- prices ---- */
static const char *const model_tier_names[] = { "unset", "small", "mid", "large", NULL };

static const keyspec model_keys[] = {
    STR(model_price, "name", name, KF_REQUIRED, NULL, "name that features refer to"),
    NUM(model_price, "input_per_mtok", input, 0, 0, POS | KF_REQUIRED, "$ per million tokens", NULL,
        "price of input tokens"),
    NUM(model_price, "cached_input_per_mtok", cached_input, -1, 0, POS, "$ per million tokens", "-1",
        "price of input tokens read from the prompt cache; -1 means not given"),
    NUM(model_price, "cache_write_per_mtok", cache_write, -1, 0, POS, "$ per million tokens", "-1",
        "price of input tokens written to the prompt cache (a cache miss); -1 means the input price"),
    NUM(model_price, "output_per_mtok", output, 0, 0, POS | KF_REQUIRED, "$ per million tokens", NULL,
        "price of output tokens"),
    NUM(model_price, "batch_discount", batch_discount, 0, 1, KF_MAX_OPEN, "share of the price", "0",
        "what the batch API takes off every price (0.5 for half price); 0: no batch API"),
    NUM(model_price, "long_context_above", long_above, 0, 0, POS, "input tokens", "0",
        "above this many input tokens in a request, the long-context rates apply to all its tokens (0: none)"),
    NUM(model_price, "long_input_per_mtok", long_input, -1, 0, POS, "$ per million tokens", "-1",
        "long-context input price; -1 means the normal one"),
    NUM(model_price, "long_cached_input_per_mtok", long_cached, -1, 0, POS, "$ per million tokens", "-1",
        "long-context cached-input price; -1 means the normal one"),
    NUM(model_price, "long_output_per_mtok", long_output, -1, 0, POS, "$ per million tokens", "-1",
        "long-context output price; -1 means the normal one"),
    ENUM(model_price, "tier", tier, model_tier_names, 0, "unset",
         "small, mid or large, for the cost dashboard's shares of requests by model size"),
    NUM(model_price, "gpu_per_hour", gpu_per_hour, 0, 0, POS, "$ per hour", "0",
        "self-hosting: what one serving unit (a GPU or a node) rents for (0: not self-hostable)"),
    NUM(model_price, "gpu_tokens_per_second", gpu_tokens_per_second, 0, 0, POS, "tokens per second", "0",
        "self-hosting: what one serving unit serves"),
    END
};
/* Optional prices are written back only when set, so that resolved
 * scenarios stay readable. */
static bool model_shows(const char *name, const void *base)
{
    const model_price *m = base;
    if (!strcmp(name, "cache_write_per_mtok"))
        return m->cache_write >= 0;
    if (!strcmp(name, "batch_discount"))
        return m->batch_discount > 0;
    if (!strcmp(name, "tier"))
        return m->tier != TIER_UNSET;
    if (!strncmp(name, "long_", 5))
        return m->long_above > 0;
    if (!strncmp(name, "gpu_", 4))
        return m->gpu_per_hour > 0 || m->gpu_tokens_per_second > 0;
    return true;
}
static const section model_sec = { model_keys, model_shows };

static const keyspec prices_keys[] = {
    STR(price_table, "catalog", catalog, 0, "",
        "a price catalog the program carries (2026-03) or the path of one; its models join prices.models, "
        "whose entries override them by name"),
    STR(price_table, "date", date, 0, "undated", "when these prices were read (shown in every output)"),
    LIST(price_table, "models", models, model_price, nmodels, COST_MAX_MODELS, model_sec, 0,
         "the models features may use"),
    NUM(price_table, "embedding_per_mtok", embedding, 0, 0, POS, "$ per million tokens", "0",
        "price of embedding tokens for retrieval"),
    NUM(price_table, "vector_search_per_call", vector_search, 0, 0, POS, "$ per search", "0",
        "price of one vector-database query"),
    NUM(price_table, "rerank_per_call", rerank, 0, 0, POS, "$ per call", "0", "price of one reranking call"),
    END
};
static const section prices_sec = { prices_keys, NULL };

/* ---- customers ---- */
static const keyspec step_keys[] = {
    INT(arrival_step, "from_month", from, 1, 600, KF_REQUIRED, "month", NULL, "first month of the step (1-based)"),
    NUM(arrival_step, "new_per_month", new_per_month, 0, 1e7, KF_REQUIRED, "customers per month", NULL,
        "mean sign-ups a month from then on"),
    END
};
static const section step_sec = { step_keys, NULL };

static const keyspec customers_keys[] = {
    INT(customers_cfg, "initial", initial, 0, 100000000, 0, "customers", "1000", "customers signed up at the start"),
    NUM(customers_cfg, "new_per_month", new_per_month, 0, 1e7, 0, "customers per month", "0",
        "mean new sign-ups per month (Poisson arrivals)"),
    NUM(customers_cfg, "growth_rate", growth_rate, 0, 10, 0, "share per month", "0",
        "more sign-ups per month, as a share of the customers active at the month's start"),
    NUM(customers_cfg, "churn_monthly", churn, 0, 1, KF_MAX_OPEN, "probability per month", "0",
        "chance that a customer leaves within a month (an exponential lifetime)"),
    LIST(customers_cfg, "schedule", schedule, arrival_step, nschedule, MAX_ARRIVAL_STEPS, step_sec, 0,
         "a month-by-month acquisition plan: steps of sign-ups a month, replacing new_per_month"),
    NUM(customers_cfg, "seats", seats, 1, 1e5, 0, "seats per customer", "1",
        "mean seats of a customer (1 + Poisson(seats - 1)), for per-seat fees"),
    END
};
static const section customers_sec = { customers_keys, NULL };

/* ---- usage ---- */
static const char *const count_kinds[] = { "poisson", "gamma_poisson", "fixed", NULL };

static const keyspec bounds_keys[] = {
    NUM(struct usage_bounds, "medium_from", from[0], 0, 1, KF_MIN_OPEN | KF_MAX_OPEN, "quantile", "0.5",
        "customers above this quantile of intensity are at least medium"),
    NUM(struct usage_bounds, "heavy_from", from[1], 0, 1, KF_MIN_OPEN | KF_MAX_OPEN, "quantile", "0.8",
        "above this quantile, heavy"),
    NUM(struct usage_bounds, "power_from", from[2], 0, 1, KF_MIN_OPEN | KF_MAX_OPEN, "quantile", "0.95",
        "above this quantile, power users"),
    END
};
static const section bounds_sec = { bounds_keys, NULL };

/* The usage keys before and after the law's own (models/usage_<law>.c). */
static const keyspec usage_head[] = {
    ENUM(usage_dist, "distribution", kind, NULL, KF_REQUIRED, NULL,
         "the law of each customer's monthly intensity, drawn at sign-up"),   /* names from the registry */
    END
};

static const keyspec usage_tail[] = {
    ENUM(usage_dist, "counts", counts, count_kinds, 0, "poisson",
         "month-to-month counts around the intensity; fixed gives the textbook's exact arithmetic"),
    NUM(usage_dist, "dispersion", dispersion, 0, 0, GT0, "gamma shape", "5",
         "gamma_poisson: shape k of the monthly multiplier (variance 1/k)"),
    NUM(usage_dist, "power_boost", power_boost, 0, 1, KF_MAX_OPEN, "share of customers", "0",
        "extra power users: this share of customers is drawn from the law's tail above report_segments.power_from"),
    NUM(usage_dist, "drift_monthly", drift, -0.5, 1, 0, "share per month", "0",
        "every customer's intensity grows by this share per month of tenure (negative: shrinks)"),
    NUM(usage_dist, "drift_from", drift_from, 0, 1, KF_MAX_OPEN, "quantile", "0",
        "only customers above this quantile of intensity drift (0.8: heavy users growing heavier; 0: everyone)"),
    MAP(usage_dist, "report_segments", bounds, bounds_sec,
        "where the light/medium/heavy/power report segments start"),
    END
};

static bool usage_shows(const char *name, const void *base)
{
    const usage_dist *u = base;
    if (!strcmp(name, "dispersion"))
        return u->counts == COUNTS_GAMMA_POISSON;
    return true;
}

static variant_set laws;

static const char *law_name(int i)
{
    return usage_law_get(i)->name;
}

static const param_key *law_keys(int i)
{
    return usage_law_get(i)->keys;
}

static const section *usage_variant(const void *base)
{
    const usage_dist *u = base;
    return u->kind >= 0 && u->kind < laws.nkinds ? &laws.sections[u->kind] : NULL;
}

static schema_variant usage_sec = { { usage_head, usage_shows }, usage_variant };

/* ---- willingness to pay: a usage law's keys, read in $ a month ---- */
static const char *const choice_kinds[] = { "all", "menu", NULL };

static const keyspec gg_keys[] = {
    NUM(wtp_gg_point, "price", price, 0, 0, POS | KF_REQUIRED, "$ per month", NULL, "a price asked"),
    NUM(wtp_gg_point, "share", share, 0, 1, KF_REQUIRED, "share of customers", NULL, "the share who would buy at it"),
    END
};
static const section gg_sec = { gg_keys, NULL };

static const keyspec vw_keys[] = {
    NUM(wtp_vw_point, "price", price, 0, 0, POS | KF_REQUIRED, "$ per month", NULL, "a price of the survey"),
    NUM(wtp_vw_point, "too_cheap", too_cheap, 0, 1, KF_REQUIRED, "share", NULL, "share finding it too cheap"),
    NUM(wtp_vw_point, "cheap", cheap, 0, 1, KF_REQUIRED, "share", NULL, "share finding it cheap (a bargain)"),
    NUM(wtp_vw_point, "expensive", expensive, 0, 1, KF_REQUIRED, "share", NULL, "share finding it expensive"),
    NUM(wtp_vw_point, "too_expensive", too_expensive, 0, 1, KF_REQUIRED, "share", NULL,
        "share finding it too expensive"),
    END
};
static const section vw_sec = { vw_keys, NULL };

static const keyspec wtp_head[] = {
    ENUM(wtp_cfg, "distribution", law.kind, NULL, 0, NULL,
         "the law of each customer's monthly willingness to pay, in $ a month, drawn at sign-up (any usage law; "
         "or give a survey's points instead)"),
    LIST(wtp_cfg, "gabor_granger", gg, wtp_gg_point, ngg, WTP_POINTS_MAX, gg_sec, 0,
         "instead of a distribution: a Gabor-Granger survey, the share who would buy at each price (docs/pricing.md)"),
    LIST(wtp_cfg, "van_westendorp", vw, wtp_vw_point, nvw, WTP_POINTS_MAX, vw_sec, 0,
         "instead of a distribution: Van Westendorp's four curves at each price (docs/pricing.md)"),
    END
};

static const keyspec wtp_tail[] = {
    NUM(wtp_cfg, "usage_rank_correlation", rank_correlation, -1, 1, 0, "Spearman rho", "0",
        "rank correlation of the WTP with the customer's usage intensity (a Gaussian copula; 0: independent)"),
    ENUM(wtp_cfg, "plan_choice", choice, choice_kinds, 0, "all",
         "all: every plan bills every customer; menu: each arriving customer picks one plan, or none"),
    NUM(wtp_cfg, "logit_scale", logit_scale, 0, 0, POS, "$", "0",
        "menu: spread of the choice's noise (multinomial logit); 0: the plan of highest surplus always"),
    NUM(wtp_cfg, "usage_elasticity", usage_elasticity, 0, 0, POS, "elasticity", "0",
        "menu: usage falls with the marginal price m as (1 + m / usage_reference_price)^-elasticity (0: never)"),
    NUM(wtp_cfg, "usage_reference_price", usage_reference_price, 0, 0, GT0, "$ per interaction", "0.01",
        "menu: the marginal price at which usage has fallen by the factor 2^-elasticity"),
    NUM(wtp_cfg, "value_churn", value_churn, 0, 1, KF_MAX_OPEN, "probability per month", "0",
        "menu: extra monthly churn at most, reached as the expected bill exceeds the WTP (0: none)"),
    NUM(wtp_cfg, "value_churn_slope", value_churn_slope, 0, 0, GT0, "per unit of bill/WTP", "8",
        "menu: steepness of the logistic in bill/WTP around 1, where half of value_churn applies"),
    NUM(wtp_cfg, "competitor_price", competitor_price, 0, 0, POS, "$ a month", "0",
        "menu: a competitor's monthly price, the outside option: a customer signs up only if a plan's surplus "
        "beats max(0, WTP - competitor_price) (0: no competitor)"),
    END
};

static variant_set wtp_laws;

static const section *wtp_variant(const void *base)
{
    const wtp_cfg *w = base;
    if (w->ngg || w->nvw)
        return NULL;           /* a survey's points, no law's keys */
    return w->law.kind >= 0 && w->law.kind < wtp_laws.nkinds ? &wtp_laws.sections[w->law.kind] : NULL;
}

static bool wtp_shows(const char *name, const void *base)
{
    const wtp_cfg *w = base;
    if (!strcmp(name, "distribution"))
        return !w->ngg && !w->nvw;
    if (!strcmp(name, "gabor_granger"))
        return w->ngg > 0;
    if (!strcmp(name, "van_westendorp"))
        return w->nvw > 0;
    /* what reads back: the menu's keys only in a menu, no noise scale of 0 */
    if (!strcmp(name, "logit_scale"))
        return w->choice == CHOICE_MENU && w->logit_scale > 0;
    if (!strcmp(name, "competitor_price"))
        return w->choice == CHOICE_MENU && w->competitor_price > 0;
    if (!strncmp(name, "usage_e", 7) || !strncmp(name, "usage_ref", 9) || !strncmp(name, "value_churn", 11))
        return w->choice == CHOICE_MENU;
    return true;
}

static schema_variant wtp_sec = { { wtp_head, wtp_shows }, wtp_variant };

/* A usage law's keys count interactions a month; read as a WTP law they
 * count dollars a month. */
static void dollar_units(keyspec *k)
{
    for (; k && k->name; k++) {
        if (k->unit && strstr(k->unit, "interactions"))
            k->unit = "$ per month";
        if (k->sub)
            dollar_units((keyspec *)(uintptr_t)k->sub->keys);   /* the variant set's own copies */
    }
}

static void wtp_units(void)
{
    for (int i = 0; i < wtp_laws.nkinds; i++)
        dollar_units((keyspec *)(uintptr_t)wtp_laws.sections[i].keys);
    dollar_units(wtp_laws.table);
}

/* The key tables built from the registries of usage laws and lever kinds,
 * again when a law or kind was registered since. */
static int refresh_sections(void)
{
    if (!laws.built || laws.generation != usage_law_generation()) {
        if (variant_build(&laws, usage_law_count(), law_name, law_keys, offsetof(usage_dist, params), NULL,
                          usage_head, usage_tail))
            return TS_ERR_RUNTIME;
        laws.generation = usage_law_generation();
        laws.table[0].enums = laws.names;
        usage_sec.sec.keys = laws.table;
        if (variant_build(&wtp_laws, usage_law_count(), law_name, law_keys,
                          offsetof(wtp_cfg, law) + offsetof(usage_dist, params), NULL, wtp_head, wtp_tail))
            return TS_ERR_RUNTIME;
        wtp_laws.table[0].enums = wtp_laws.names;
        wtp_sec.sec.keys = wtp_laws.table;
        wtp_units();
    }
    return scenario_levers_refresh();
}

/* ---- features ---- */
static const keyspec route_keys[] = {
    STR(feature_route, "model", model, KF_REQUIRED, NULL, "a model of the price table"),
    NUM(feature_route, "share", share, 0, 1, KF_REQUIRED, "share of the feature's interactions", NULL,
        "routes of a feature add up to 1"),
    END
};
static const section route_sec = { route_keys, NULL };

static const keyspec tokens_keys[] = {
    NUM(feature_tokens, "system", system, 0, 0, POS, "tokens per call", "0", "system prompt"),
    NUM(feature_tokens, "history", history, 0, 0, POS, "tokens per call", "0", "conversation history"),
    NUM(feature_tokens, "user", user, 0, 0, POS, "tokens per call", "0", "the user's message"),
    NUM(feature_tokens, "context", context, 0, 0, POS, "tokens per call", "0", "retrieved documents and other context"),
    NUM(feature_tokens, "output", output, 0, 0, POS, "tokens per call", "0", "the model's answer"),
    END
};
const section tokens_sec = { tokens_keys, NULL };

static const keyspec spread_keys[] = {
    ENUM(token_spread, "law", law, token_law_names, 0, "fixed",
         "how a call's tokens vary around the feature's tokens: fixed (every call the same), lognormal, or "
         "empirical (the requests of a data file, scaled to the feature's means)"),
    NUM(token_spread, "input_sigma", input_sigma, 0, 4, 0, "-", "0",
        "lognormal: the standard deviation of ln(input tokens of a call); `tokensim fit` reports it"),
    NUM(token_spread, "output_sigma", output_sigma, 0, 4, 0, "-", "0",
        "lognormal: the standard deviation of ln(output tokens of a call)"),
    STR(token_spread, "data", data, 0, "", "empirical: a CSV of requests with a header, one request a line"),
    STR(token_spread, "input_column", input_column, 0, "input_tokens", "empirical: the column of input tokens"),
    STR(token_spread, "output_column", output_column, 0, "output_tokens", "empirical: the column of output tokens"),
    END
};
static const section spread_sec = { spread_keys, NULL };

static const keyspec feature_keys[] = {
    STR(feature, "name", name, KF_REQUIRED, NULL, "feature name"),
    NUM(feature, "share", share, 0, 1, 0, "share of interactions", "1", "share of interactions that use the feature"),
    NUM(feature, "calls_per_interaction", calls, 0, 0, GT0, "calls", "1", "model calls per interaction that uses it"),
    STR(feature, "model", model, 0, "", "the model, when all calls go to one"),
    LIST(feature, "routes", routes, feature_route, nroutes, COST_MAX_ROUTES, route_sec, 0,
         "or: shares of the feature's interactions per model"),
    MAP(feature, "tokens", tokens, tokens_sec, "tokens per call"),
    NUM(feature, "cached_share", cached_share, 0, 1, 0, "share of input tokens", "0",
        "input billed at the model's cached-input price"),
    NUM(feature, "embedding_tokens", embedding_tokens, 0, 0, POS, "tokens per interaction", "0",
        "tokens embedded for retrieval"),
    NUM(feature, "vector_searches", vector_searches, 0, 0, POS, "searches per interaction", "0",
        "vector-database queries"),
    NUM(feature, "reranks", reranks, 0, 0, POS, "calls per interaction", "0", "reranking calls"),
    NUM(feature, "agent_steps", agent_steps, 0, 100, 0, "model calls per task", "0",
        "an agent: planning, tool and synthesis calls per task, each of the feature's tokens (0: not an agent)"),
    NUM(feature, "agent_retry", agent_retry, 0, 1, KF_MAX_OPEN, "probability", "0",
        "an agent: chance that a step fails and is run again"),
    NUM(feature, "agent_context_growth", agent_growth, 0, 0, POS, "tokens per step", "0",
        "an agent: input tokens each step adds to the next (tool results, the plan so far)"),
    MAP(feature, "spread", spread, spread_sec, "how a call's tokens vary from call to call (priced exactly)"),
    NUM(feature, "max_output_tokens", spread.max_output, 0, 0, POS, "tokens per call", "0",
        "a call's output is cut at this many tokens (0: no limit)"),
    END
};
static const section feature_sec = { feature_keys, NULL };

/* ---- other costs (plans: scenario_plans.c) ---- */
static const keyspec costs_keys[] = {
    NUM(other_costs, "infra_per_customer_month", infra_per_customer, 0, 0, POS, "$ per customer-month", "0",
        "servers, databases, support: everything but the model bill"),
    NUM(other_costs, "payment_share", payment_share, 0, 1, 0, "share of revenue", "0",
        "payment processing, as a share of revenue"),
    NUM(other_costs, "payment_fixed", payment_fixed, 0, 0, POS, "$ per paying customer-month", "0",
        "payment processing, fixed part per charge"),
    END
};
static const section costs_sec = { costs_keys, NULL };

/* ---- the exercise's assumptions ---- */
static const keyspec exercise_keys[] = {
    NUM(exercise_cfg, "routing_share", routing_share, 0, 1, 0, "share of interactions", "0.7",
        "model routing: share of traffic moved to the cheapest model of the price table"),
    NUM(exercise_cfg, "prompt_cache_share", prompt_cache_share, 0, 1, 0, "share of system-prompt tokens", "1",
        "prompt caching: system-prompt tokens billed at the cached-input price"),
    NUM(exercise_cfg, "semantic_hit_rate", semantic_hit_rate, 0, 1, KF_MAX_OPEN, "share of interactions", "0.3",
        "semantic caching: interactions answered from the cache, with no model call"),
    NUM(exercise_cfg, "batch_share", batch_share, 0, 1, 0, "share of interactions", "0",
        "batching: interactions that can wait for the batch API"),
    NUM(exercise_cfg, "batch_discount", batch_discount, 0, 1, 0, "share of the model price", "0.5",
        "the batch API's discount"),
    NUM(exercise_cfg, "output_reduction", output_reduction, 0, 1, KF_MAX_OPEN, "share of output tokens", "0.3",
        "output length limits: share of output tokens cut"),
    NUM(exercise_cfg, "interactions_per_outcome", interactions_per_outcome, 0, 0, POS, "interactions", "0",
        "outcome-based pricing: interactions per billable outcome (0: not an option)"),
    END
};
static const section exercise_sec = { exercise_keys, NULL };

/* ---- unit economics and cash (docs/finance.md) ---- */
static const keyspec finance_keys[] = {
    NUM(finance_cfg, "acquisition_cost", cac, 0, 0, POS, "$ per sign-up", "0",
        "cost per acquisition (CPA) at the reference volume; initial customers cost nothing"),
    NUM(finance_cfg, "acquisition_volume", cac_volume, 0, 0, POS, "sign-ups per month", "0",
        "reference volume n0 of CPA(n) = acquisition_cost * (n / n0)^acquisition_elasticity (0: a constant CPA)"),
    NUM(finance_cfg, "acquisition_elasticity", cac_elasticity, 0, 5, 0, "exponent", "0",
        "how fast the CPA rises with the month's sign-ups n"),
    NUM(finance_cfg, "marketing_budget", marketing_budget, 0, 0, POS, "$ per month", "0",
        "a monthly budget that buys the sign-ups n with n * CPA(n) = budget (replaces customers.new_per_month)"),
    NUM(finance_cfg, "fixed_costs", fixed_costs, 0, 0, POS, "$ per month", "0",
        "operating costs that do not scale with customers: salaries, rent, tools"),
    NUM(finance_cfg, "discount_rate", discount_rate, -1, 0, KF_MIN_OPEN | KF_NO_MAX, "per year", "0",
        "annual discount rate r of lifetime value; a month is discounted by (1 + r)^(1/12)"),
    NUM(finance_cfg, "starting_cash", starting_cash, 0, 0, KF_NO_MIN | KF_NO_MAX, "$", "0",
        "cash in the bank at month 0"),
    END
};
static const section finance_sec = { finance_keys, NULL };

/* ---- top ---- */
static const keyspec top_keys[] = {
    STR(scenario, "name", name, 0, "unnamed", "what the scenario models"),
    STR(scenario, "description", description, 0, "", "a sentence or two for readers"),
    INT(scenario, "horizon_months", horizon, 1, 600, 0, "months", "24", "how long to simulate"),
    INT(scenario, "replications", replications, 1, 100000, 0, "runs", "200",
        "independent Monte-Carlo replications"),
    { "seed", K_SEED, offsetof(scenario, seed), 0, 0, 0, 0, NULL, "1", "the root of every random stream",
      NULL, NULL, 0, 0 },
    MAP(scenario, "prices", prices, prices_sec, "the model price table"),
    MAP(scenario, "customers", customers, customers_sec, "acquisition and churn"),
    MAP(scenario, "usage", usage, usage_sec.sec, "how usage is spread over customers"),
    MAP(scenario, "wtp", wtp, wtp_sec.sec, "willingness to pay and plan choice (docs/pricing.md); none: customers never react to price"),
    LIST(scenario, "features", features, feature, nfeatures, COST_MAX_FEATURES, feature_sec, KF_REQUIRED,
         "the product's AI features"),
    MAP(scenario, "costs", costs, costs_sec, "costs other than the model bill"),
    LIST(scenario, "plans", plans, plan, nplans, PLAN_MAX, plan_sec, KF_REQUIRED,
         "pricing plans, each billing the same customers"),
    MAP(scenario, "exercise", exercise, exercise_sec, "assumptions of `tokensim exercise`"),
    MAP(scenario, "stress", stress, stress_sec, "shocks of `tokensim stress`"),
    MAP(scenario, "sensitivity", sensitivity, sensitivity_sec, "parameters of `tokensim tornado`"),
    MAP(scenario, "sampling", sampling, sampling_sec, "how customer intensities are sampled (variance reduction)"),
    LIST(scenario, "levers", levers, lever, nlevers, LEVER_MAX, lever_sec.sec, 0,
         "cost levers, applied in this order, each from its start month"),
    MAP(scenario, "world", world, world_sec, "price changes and feature launches over time"),
    MAP(scenario, "finance", finance, finance_sec, "unit economics and cash: acquisition, fixed costs, discounting"),
    LIST(scenario, "shocks", world.shocks, timed_shock, world.nshocks, TIMED_SHOCK_MAX, timed_shock_sec, 0,
         "shocks in time: usage or model prices times a factor from a month on, ramped in, perhaps ending"),
    MAP(scenario, "uncertain", uncertain, uncertain_sec,
        "uncertain inputs: values drawn from a law once per replication (docs/uncertainty.md)"),
    END
};
/* Scenarios without finance keys, a wtp block or shocks write (and hash)
 * as before those existed. */
static bool top_shows(const char *name, const void *base)
{
    const scenario *s = base;
    if (!strcmp(name, "finance"))
        return s->finance.enabled;
    if (!strcmp(name, "wtp"))
        return s->wtp.on;
    if (!strcmp(name, "shocks"))
        return s->world.nshocks > 0;
    if (!strcmp(name, "uncertain"))
        return s->uncertain.ninputs > 0;
    return true;
}
static const section top_sec = { top_keys, top_shows };

int scenario_key_range(const char *path, double *lo, double *hi, unsigned *flags, bool *integer)
{
    char buf[CHANGE_PATH_LEN], *save;
    snprintf(buf, sizeof buf, "%s", path);
    const section *sec = &top_sec;
    const keyspec *found = NULL;
    for (char *seg = strtok_r(buf, ".", &save); seg; seg = strtok_r(NULL, ".", &save)) {
        if (!sec)
            return -1;
        found = NULL;
        for (const keyspec *k = sec->keys; k->name && !found; k++)
            if (!strcmp(k->name, seg))
                found = k;
        if (!found)
            return -1;
        sec = found->sub;
        /* a list's item, by index or name */
        if (found->type == K_LIST && !strtok_r(NULL, ".", &save))
            return -1;
    }
    if (!found || (found->type != K_NUM && found->type != K_INT))
        return -1;
    *lo = found->flags & KF_NO_MIN ? -INFINITY : found->min;
    *hi = found->flags & KF_NO_MAX ? INFINITY : found->max;
    *flags = found->flags;
    *integer = found->type == K_INT;
    return 0;
}

/* ---- checks across keys ------------------------------------------------- */

#define fail_at scenario_fail_at
#define given scenario_given

int scenario_fail_at(check_ctx *c, const void *field, const void *fallback, const char *fmt, ...)
{
    const schema_loc *l = field ? schema_locs_find(c->locs, field) : NULL;
    if (!l && fallback)
        l = schema_locs_find(c->locs, fallback);
    char msg[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (l)
        return ts_error_set(c->err, TS_ERR_INPUT, l->source, l->line, l->column, "%s", msg);
    return ts_error_set(c->err, TS_ERR_INPUT, c->root->source, 0, 0, "%s", msg);
}

bool scenario_given(check_ctx *c, const void *field)
{
    return schema_locs_find(c->locs, field) != NULL;
}

bool kind_rule_applies(const kind_rule *rules, size_t n, const char *name, unsigned bit)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rules[i].name, name))
            return ((rules[i].needs | rules[i].takes) & bit) != 0;
    return true;
}

int scenario_check_kind_keys(check_ctx *c, const kind_rule *rules, size_t n, unsigned bit,
                             const void *(*field)(const void *base, const char *name), const void *base,
                             const void *anchor, const void *fallback, const char *prefix, const char *kind,
                             const char *noun)
{
    /* missing keys first: after switching the kind they are the news */
    for (size_t i = 0; i < n; i++)
        if ((rules[i].needs & bit) && !given(c, field(base, rules[i].name)))
            return fail_at(c, anchor, fallback, "missing key '%s.%s': a %s %s needs it", prefix, rules[i].name, kind,
                           noun);
    for (size_t i = 0; i < n; i++) {
        const void *f = field(base, rules[i].name);
        if (given(c, f) && !((rules[i].needs | rules[i].takes) & bit))
            return fail_at(c, f, NULL, "key '%s.%s' does not apply to a %s %s", prefix, rules[i].name, kind, noun);
    }
    return TS_OK;
}

static const char *nearest_model(const price_table *pt, const char *name)
{
    const char *best = NULL;
    int bd = 99;
    for (int i = 0; i < pt->nmodels; i++) {
        int d = schema_distance(name, pt->models[i].name);
        if (d < bd) {
            bd = d;
            best = pt->models[i].name;
        }
    }
    return bd <= 3 ? best : NULL;
}

int scenario_check_model(check_ctx *c, const char *name, const void *field, const char *path)
{
    const price_table *pt = &c->s->prices;
    if (cost_model_find(pt, name) >= 0)
        return TS_OK;
    const char *near = nearest_model(pt, name);
    if (near)
        return fail_at(c, field, NULL, "unknown model '%s' in '%s' (did you mean '%s'?)", name, path, near);
    char list[400] = "";
    size_t len = 0;
    for (int i = 0; i < pt->nmodels && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", pt->models[i].name);
    return fail_at(c, field, NULL, "unknown model '%s' in '%s': the price table has %s", name, path, list);
}

/* The field of a usage key a law's preparation names. */
static const void *usage_field(const usage_dist *u, const char *name)
{
    if (name && !strcmp(name, "segment_quantiles"))
        return u->bounds.from;
    return name ? variant_field(&laws, u->kind, usage_params_c(u), name) : NULL;
}

static int check_usage(check_ctx *c, usage_dist *u)
{
    int rc = variant_check_keys(c, &laws, u->kind, usage_params_c(u), ytree_get(c->root, "usage"), NULL, u, "usage",
                                "distribution");
    if (rc)
        return rc;
    if (given(c, &u->dispersion) && u->counts != COUNTS_GAMMA_POISSON)
        return fail_at(c, &u->dispersion, NULL, "key 'usage.dispersion' applies only with counts: gamma_poisson");
    const char *what = NULL;
    ts_error inner;
    ts_error_clear(&inner);
    if (usage_dist_prepare(u, &what, &inner) != TS_OK)
        return fail_at(c, usage_field(u, what), u, "invalid value for 'usage.%s': %s", what, inner.message);
    return TS_OK;
}

/* A marketing budget buys the month's sign-ups: n with n * CPA(n) = B, so
 * n = B / cac with a constant CPA and n0 * (B / (cac * n0))^(1 / (1 + k))
 * with CPA(n) = cac * (n / n0)^k. */
static int check_finance(check_ctx *c, scenario *s)
{
    finance_cfg *f = &s->finance;
    if (f->cac_elasticity > 0 && f->cac_volume <= 0)
        return fail_at(c, &f->cac_elasticity, NULL, "key 'finance.acquisition_elasticity' needs "
                       "'finance.acquisition_volume': expected the reference sign-ups a month n0 > 0");
    if (f->marketing_budget <= 0)
        return TS_OK;
    if (f->cac <= 0)
        return fail_at(c, &f->marketing_budget, NULL, "key 'finance.marketing_budget' needs "
                       "'finance.acquisition_cost': expected a cost per sign-up > 0");
    if (given(c, &s->customers.new_per_month) || s->customers.nschedule > 0)
        return fail_at(c, &f->marketing_budget, NULL, "key 'finance.marketing_budget' buys the sign-ups: expected "
                       "no 'customers.new_per_month' or 'customers.schedule' beside it");
    double b = f->marketing_budget, n0 = f->cac_volume;
    s->customers.new_per_month = n0 > 0 ? n0 * pow(b / (f->cac * n0), 1 / (1 + f->cac_elasticity)) : b / f->cac;
    return TS_OK;
}

static int check_wtp_menu(check_ctx *c, scenario *s);

/* A survey's points: the tabulated law of models/wtp_survey.h, its
 * message placed at the list. */
static int check_wtp_survey(check_ctx *c, scenario *s)
{
    wtp_cfg *w = &s->wtp;
    ts_error inner;
    ts_error_clear(&inner);
    double a[5][WTP_POINTS_MAX];
    int rc;
    if (w->ngg) {
        for (int i = 0; i < w->ngg; i++)
            a[0][i] = w->gg[i].price, a[1][i] = w->gg[i].share;
        rc = wtp_gg_curve(&w->curve, a[0], a[1], w->ngg, NULL, &inner);
    } else {
        for (int i = 0; i < w->nvw; i++) {
            const wtp_vw_point *v = &w->vw[i];
            a[0][i] = v->price, a[1][i] = v->too_cheap, a[2][i] = v->cheap, a[3][i] = v->expensive;
            a[4][i] = v->too_expensive;
        }
        wtp_vw vw;
        rc = wtp_vw_from_curves(&vw, a[0], a[1], a[2], a[3], a[4], w->nvw, NULL, &inner);
        if (rc == TS_OK)
            rc = wtp_vw_curve(&vw, &w->curve, &inner);
    }
    if (rc)
        return fail_at(c, w->ngg ? (const void *)w->gg : (const void *)w->vw, w, "invalid value for 'wtp.%s': %s",
                       w->ngg ? "gabor_granger" : "van_westendorp", inner.message);
    w->tabulated = true;
    return check_wtp_menu(c, s);
}

/* The WTP law is prepared as a usage law (its report segments unused);
 * a menu needs plans to choose between and a positive noise scale. */
static int check_wtp(check_ctx *c, scenario *s)
{
    wtp_cfg *w = &s->wtp;
    if (!w->on)
        return TS_OK;
    int forms = given(c, &w->law.kind) + (w->ngg > 0) + (w->nvw > 0);
    if (forms == 0)
        return fail_at(c, NULL, w, "missing key 'wtp.distribution': expected a usage law (or 'gabor_granger' or "
                                   "'van_westendorp' points)");
    if (forms > 1)
        return fail_at(c, w->ngg ? (const void *)w->gg : (const void *)w->vw, w,
                       "wtp gives %d laws: expected one of 'distribution', 'gabor_granger' and 'van_westendorp'",
                       forms);
    w->rho = demand_copula_rho(w->rank_correlation);
    if (w->ngg || w->nvw)
        return check_wtp_survey(c, s);
    int rc = variant_check_keys(c, &wtp_laws, w->law.kind, usage_params_c(&w->law), ytree_get(c->root, "wtp"), NULL,
                                w, "wtp", "distribution");
    if (rc)
        return rc;
    w->law.bounds = (struct usage_bounds){ { 0.5, 0.8, 0.95 } };
    w->law.counts = COUNTS_FIXED;
    const char *what = NULL;
    ts_error inner;
    ts_error_clear(&inner);
    if (usage_dist_prepare(&w->law, &what, &inner) != TS_OK)
        return fail_at(c, what ? variant_field(&wtp_laws, w->law.kind, usage_params_c(&w->law), what) : NULL, w,
                       "invalid value for 'wtp.%s': %s", what ? what : "distribution", inner.message);
    return check_wtp_menu(c, s);
}

/* What a menu needs: plans to choose between, a positive noise scale, and
 * no menu key without a menu. */
static int check_wtp_menu(check_ctx *c, scenario *s)
{
    wtp_cfg *w = &s->wtp;
    if (given(c, &w->logit_scale) && w->logit_scale <= 0)
        return fail_at(c, &w->logit_scale, NULL,
                       "invalid value for 'wtp.logit_scale': found %g, expected a positive number of $ (leave it "
                       "out for the plan of highest surplus)", w->logit_scale);
    const double *menu_only[] = { &w->usage_elasticity, &w->usage_reference_price, &w->value_churn,
                                  &w->value_churn_slope, &w->logit_scale, &w->competitor_price };
    const char *menu_names[] = { "usage_elasticity", "usage_reference_price", "value_churn", "value_churn_slope",
                                 "logit_scale", "competitor_price" };
    for (int i = 0; i < 6 && w->choice != CHOICE_MENU; i++)
        if (given(c, menu_only[i]))
            return fail_at(c, menu_only[i], NULL,
                           "key 'wtp.%s' applies only with plan_choice: menu (every plan sees every customer "
                           "otherwise)", menu_names[i]);
    /* a plan named by another's switch_to is that plan's future terms, not an offer */
    int offered = s->nplans;
    for (int i = 0; i < s->nplans; i++) {
        bool target = false;
        for (int j = 0; j < s->nplans; j++)
            target = target || s->plans[j].switch_index == i;
        offered -= target;
    }
    if (w->choice == CHOICE_MENU && offered < 2)
        return fail_at(c, &w->choice, NULL,
                       "invalid value for 'wtp.plan_choice': found menu with %d plan%s on offer, expected at least "
                       "two plans to choose between", offered, offered == 1 ? "" : "s");
    return TS_OK;
}

static const void *spread_field(token_spread *t, const char *what)
{
    return !strcmp(what, "input_sigma") ? (const void *)&t->input_sigma
         : !strcmp(what, "output_sigma") ? (const void *)&t->output_sigma : (const void *)t->data;
}

static int check_spread(check_ctx *c, feature *f)
{
    const char *what = "data";
    ts_error inner;
    ts_error_clear(&inner);
    if (token_spread_prepare(&f->spread, &what, &inner) != TS_OK)
        return fail_at(c, spread_field(&f->spread, what), &f->spread, "invalid value for 'features.%s.spread.%s': %s",
                       f->name, what, inner.message);
    if (f->spread.law == TOKEN_LOGNORMAL && !(f->spread.input_sigma > 0 || f->spread.output_sigma > 0))
        return fail_at(c, &f->spread.law, NULL, "invalid value for 'features.%s.spread': found law lognormal with no "
                       "sigma, expected input_sigma or output_sigma above 0", f->name);
    return TS_OK;
}

static int check(check_ctx *c, scenario *s)
{
    int rc;
    for (int i = 1; i < s->customers.nschedule; i++)
        if (s->customers.schedule[i].from <= s->customers.schedule[i - 1].from)
            return fail_at(c, &s->customers.schedule[i].from, NULL,
                           "invalid value for 'customers.schedule.%d.from_month': found %d, expected a month after "
                           "the previous step's (%d)", i, s->customers.schedule[i].from, s->customers.schedule[i - 1].from);
    if (s->prices.nmodels == 0)
        return fail_at(c, s->prices.models, NULL, "empty list 'prices.models': expected at least one model");
    for (int i = 0; i < s->prices.nmodels; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(s->prices.models[i].name, s->prices.models[j].name) == 0)
                return fail_at(c, s->prices.models[i].name, NULL, "duplicate model name '%s' in 'prices.models'",
                               s->prices.models[i].name);
    if (s->nfeatures == 0)
        return fail_at(c, s->features, NULL, "empty list 'features': expected at least one feature");
    for (int i = 0; i < s->nfeatures; i++) {
        feature *f = &s->features[i];
        char path[160];
        for (int j = 0; j < i; j++)
            if (strcmp(f->name, s->features[j].name) == 0)
                return fail_at(c, f->name, NULL, "duplicate feature name '%s'", f->name);
        if (f->model[0] && f->nroutes)
            return fail_at(c, f->routes, NULL, "feature '%s' has both 'model' and 'routes': expected one of them",
                           f->name);
        if (!f->model[0] && !f->nroutes)
            return fail_at(c, f->name, NULL, "missing key 'features.%s.model': expected a model of the price table "
                           "(or 'routes')", f->name);
        if (f->model[0]) {
            snprintf(path, sizeof path, "features.%s.model", f->name);
            if ((rc = scenario_check_model(c, f->model, f->model, path)))
                return rc;
        }
        double sum = 0;
        for (int r = 0; r < f->nroutes; r++) {
            snprintf(path, sizeof path, "features.%s.routes.%d.model", f->name, r);
            if ((rc = scenario_check_model(c, f->routes[r].model, f->routes[r].model, path)))
                return rc;
            sum += f->routes[r].share;
        }
        if (f->nroutes && (sum < 1 - 1e-6 || sum > 1 + 1e-6))
            return fail_at(c, f->routes, NULL, "route shares of feature '%s' add up to %g, expected 1", f->name, sum);
        int bad = 0;
        cost_feature_resolve(f, &s->prices, &bad);
        if ((rc = check_spread(c, f)))
            return rc;
        if (f->cached_share > 0)
            for (int r = 0; r < feature_route_count(f); r++)
                if (s->prices.models[feature_route_model(f, r)].cached_input < 0)
                    return fail_at(c, &f->cached_share, NULL,
                                   "feature '%s' reads %g of its input from cache, but model '%s' has no "
                                   "'cached_input_per_mtok' in the price table",
                                   f->name, f->cached_share, s->prices.models[feature_route_model(f, r)].name);
    }
    if (s->nplans == 0)
        return fail_at(c, s->plans, NULL, "empty list 'plans': expected at least one plan");
    for (int i = 0; i < s->nplans; i++)
        if ((rc = scenario_check_plan(c, &s->plans[i])))
            return rc;
    for (int i = 0; i < s->nplans; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(s->plans[i].name, s->plans[j].name) == 0)
                return fail_at(c, s->plans[i].name, NULL, "duplicate plan name '%s'", s->plans[i].name);
    if ((rc = check_usage(c, &s->usage)))
        return rc;
    if ((rc = check_finance(c, s)))
        return rc;
    if ((rc = check_wtp(c, s)))
        return rc;
    if ((rc = scenario_check_analysis(c, s)))
        return rc;
    return scenario_check_uncertain(c, s);
}

/* ---- loading ------------------------------------------------------------ */

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static int finish(scenario *s, ytnode *root, const char *const *sets, int nsets, ts_error *err)
{
    int rc = TS_OK;
    /* the catalog first (a --set may name it), then every other override,
     * which may then reach the catalog's models by name */
    for (int i = 0; i < nsets && rc == TS_OK; i++)
        if (!strncmp(sets[i], "prices.catalog=", 15))
            rc = ytree_set(root, sets[i], err);
    if (rc == TS_OK) {
        char dir[256] = "";
        const char *slash = strrchr(root->source, '/');
        if (slash)
            snprintf(dir, sizeof dir, "%.*s", (int)(slash - root->source), root->source);
        rc = catalog_merge(root, dir, err);
    }
    for (int i = 0; i < nsets && rc == TS_OK; i++)
        if (strncmp(sets[i], "prices.catalog=", 15))
            rc = ytree_set(root, sets[i], err);
    schema_locs locs = { 0 };
    if (rc == TS_OK)
        rc = scenario_plans_sync(err);
    if (rc == TS_OK && (rc = refresh_sections()))
        ts_error_set(err, rc, NULL, 0, 0, "out of memory building the key tables");
    if (rc == TS_OK) {
        memset(s, 0, sizeof *s);
        rc = schema_bind(&top_sec, s, root, "", &locs, err);
    }
    if (rc == TS_OK) {
        scenario_plans_defaults(s, &locs);
        s->finance.enabled = ytree_get(root, "finance") != NULL;
        s->wtp.on = schema_locs_find(&locs, &s->wtp) != NULL;
        snprintf(s->source, sizeof s->source, "%s", root->source);
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        if (m) {
            schema_write_lean(m, &top_sec, s);
            fclose(m);
            s->hash = fnv1a(buf, len);
            free(buf);
        }
        check_ctx c = { s, &locs, root, err };
        rc = check(&c, s);
    }
    schema_locs_free(&locs);
    ytree_free(root);
    return rc;
}

int scenario_load(scenario *s, const char *path, const char *const *sets, int nsets, ts_error *err)
{
    ytnode *root = ytree_load_file(path, err);
    if (!root)
        return err->code;
    return finish(s, root, sets, nsets, err);
}

int scenario_load_string(scenario *s, const char *text, const char *name, const char *const *sets, int nsets,
                         ts_error *err)
{
    ytnode *root = ytree_load_string(text, strlen(text), name, err);
    if (!root)
        return err->code;
    return finish(s, root, sets, nsets, err);
}

void scenario_write(FILE *out, const scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    scenario_plans_sync(&err);      /* done by the load that made s */
    refresh_sections();
    schema_write(out, &top_sec, s, 0);
}

void scenario_write_reference(FILE *out)
{
    ts_error err;
    ts_error_clear(&err);
    scenario_plans_sync(&err);      /* a type naming unknown keys fails every load, which reports it */
    refresh_sections();
    schema_write_reference(out, &top_sec, "");
}

scenario *scenario_new(void)
{
    return calloc(1, sizeof(scenario));
}

void scenario_free(scenario *s)
{
    free(s);
}
