/* test_extend.c: a lever kind and a usage law written outside the library,
 * registered, and used through the real loader and engine.
 *
 * The kind, prompt_trim, cuts a share of each call's input tokens from its
 * start month. The law, uniform, draws intensities evenly between low and
 * high. Both are defined here in full, as docs/extending.md shows.
 *
 * Hand calculations:
 *  - one model at $2 (input) and $10 (output) per million tokens, one call
 *    of 1,000 system + 500 user tokens in and 200 out per interaction:
 *    (1500 x 2 + 200 x 10) / 1e6 = $0.005; with 40% of the input trimmed,
 *    (900 x 2 + 200 x 10) / 1e6 = $0.0038;
 *  - 100 customers at an intensity of exactly 10 a month (uniform with
 *    low = high, fixed counts, no churn, no arrivals): 1,000 interactions a
 *    month, so $5 in month 1 and $3.80 from month 2, the lever's start;
 *  - uniform on [5, 25]: mean 15, variance 20^2 / 12, Q(0.25) = 10, and
 *    the top 20% (above Q(0.8) = 21) make (25^2 - 21^2) / (25^2 - 5^2) =
 *    184 / 600 of the usage. */
#include "testutil.h"

#include <gsl/gsl_statistics_double.h>
#include <string.h>

#include "models/lever.h"
#include "models/usage.h"
#include "sim/engine/engine.h"
#include "sim/engine/rng.h"
#include "sim/engine/stats.h"

/* ---- the lever kind ---- */

typedef struct prompt_trim {
    double cut;                 /* share of input tokens cut */
} prompt_trim;

static const param_key trim_keys[] = {
    PNUM(prompt_trim, "cut", cut, 0, 1, PARAM_MAX_OPEN | PARAM_NEEDED, "share of input tokens", "0",
         "input tokens trimmed from each call"),
    PARAM_END
};

static void trim_apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    (void)pt;
    double x = 1 - phi * ((const prompt_trim *)lever_params_c(l))->cut;
    sp->tokens.system *= x;
    sp->tokens.history *= x;
    sp->tokens.user *= x;
    sp->tokens.context *= x;
}

static int trim_describe(const lever *l, char *buf, size_t n)
{
    return snprintf(buf, n, "trim %g%% of %s's input", 100 * ((const prompt_trim *)lever_params_c(l))->cut,
                    lever_feature_words(l));
}

static const lever_kind trim_kind = {
    .name = "prompt_trim",
    .summary = "a share of each call's input tokens is trimmed",
    .keys = trim_keys,
    .params_size = sizeof(prompt_trim),
    .apply = trim_apply,
    .describe = trim_describe,
};

/* ---- the usage law ---- */

typedef struct uniform {
    double low, high;
} uniform;

static const param_key uniform_keys[] = {
    PNUM(uniform, "low", low, 0, 0, PARAM_POS | PARAM_NEEDED, "interactions per month", "0", "the smallest intensity"),
    PNUM(uniform, "high", high, 0, 0, PARAM_POS | PARAM_NEEDED, "interactions per month", "0", "the largest intensity"),
    PARAM_END
};

static const uniform *U(const usage_dist *u)
{
    return usage_params_c(u);
}

static int uniform_prepare(usage_dist *u, const char **what, ts_error *err)
{
    if (U(u)->high < U(u)->low) {
        *what = "high";
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found %g, expected at least low (%g)", U(u)->high,
                            U(u)->low);
    }
    return TS_OK;
}

static double uniform_draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    (void)segment;
    return U(u)->low + (U(u)->high - U(u)->low) * gsl_rng_uniform(r);
}

static double uniform_mean(const usage_dist *u)
{
    return (U(u)->low + U(u)->high) / 2;
}

static double uniform_quantile(const usage_dist *u, double p)
{
    return U(u)->low + p * (U(u)->high - U(u)->low);
}

/* usage above t = Q(1 - p) over all usage: (high^2 - t^2) / (high^2 - low^2) */
static double uniform_top_share(const usage_dist *u, double p)
{
    double lo = U(u)->low, hi = U(u)->high, t = uniform_quantile(u, 1 - p);
    return hi > lo ? (hi * hi - t * t) / (hi * hi - lo * lo) : p;
}

static int uniform_describe(const usage_dist *u, char *buf, size_t n)
{
    return snprintf(buf, n, "evenly between %g and %g interactions a month", U(u)->low, U(u)->high);
}

static const usage_law uniform_law = {
    .name = "uniform",
    .summary = "intensities spread evenly between two bounds",
    .keys = uniform_keys,
    .params_size = sizeof(uniform),
    .draw = uniform_draw,
    .mean = uniform_mean,
    .quantile = uniform_quantile,
    .top_share = uniform_top_share,
    .describe = uniform_describe,
    .prepare = uniform_prepare,
};

/* ---- the scenario ---- */

static const char *const text =
    "name: extension test\n"
    "horizon_months: 3\n"
    "replications: 3\n"
    "prices:\n"
    "  models:\n"
    "    - { name: m, input_per_mtok: 2, output_per_mtok: 10 }\n"
    "customers: { initial: 100, new_per_month: 0, churn_monthly: 0 }\n"
    "usage: { distribution: uniform, low: 10, high: 10, counts: fixed }\n"
    "features:\n"
    "  - { name: chat, model: m, tokens: { system: 1000, user: 500, output: 200 } }\n"
    "plans:\n"
    "  - { name: p, price: 20 }\n"
    "levers:\n"
    "  - { name: trim, type: prompt_trim, feature: chat, cut: 0.4, start_month: 2 }\n";

static scenario s;

static int load(const char *t, const char *const *sets, int n, ts_error *e)
{
    ts_error_clear(e);
    return scenario_load_string(&s, t, "ext.yaml", sets, n, e);
}

static int register_both(void **state)
{
    (void)state;
    ts_error e;
    ts_error_clear(&e);
    if (lever_kind_register(&trim_kind, &e) < 0 || usage_law_register(&uniform_law, &e) < 0)
        return -1;
    return 0;
}

static void test_registry(void **state)
{
    (void)state;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(lever_kind_find("prompt_trim"), lever_kind_count() - 1);
    assert_int_equal(usage_law_find("uniform"), usage_law_count() - 1);
    /* a name is taken once */
    assert_int_equal(lever_kind_register(&trim_kind, &e), -1);
    assert_string_equal(e.message, "duplicate lever kind 'prompt_trim'");
    ts_error_clear(&e);
    assert_int_equal(usage_law_register(&uniform_law, &e), -1);
    assert_string_equal(e.message, "duplicate usage law 'uniform'");
}

/* Loaded through the real loader, run by the engine: the hand calculation
 * at the top, exactly (fixed counts leave nothing to chance). */
static void test_engine_prices_the_new_kind(void **state)
{
    (void)state;
    ts_error e;
    int rc = load(text, NULL, 0, &e);
    if (rc)
        print_error("%s\n", e.message);
    assert_int_equal(rc, TS_OK);
    assert_string_equal(lever_kind_of(&s.levers[0])->name, "prompt_trim");
    assert_string_equal(usage_law_of(&s.usage)->name, "uniform");
    char words[160];
    lever_describe(&s.levers[0], words, sizeof words);
    assert_string_equal(words, "trim 40% of chat's input from month 2");

    run_result r;
    engine_opts o = { 1, 0, s.replications, NULL, NULL, NULL };
    assert_int_equal(engine_run(&s, &o, &r, &e), TS_OK);
    const double want_cost[3] = { 5.0, 3.8, 3.8 };
    for (int rep = 0; rep < r.nreps; rep++)
        for (int m = 0; m < 3; m++) {
            assert_close(run_month(&r, rep, 0, m)[MET_INTERACTIONS], 1000, 1e-9);
            assert_close(run_month(&r, rep, 0, m)[MET_INFERENCE_COST], want_cost[m], 1e-9);
        }
    /* the waterfall: $5 a month without the lever, the saving from month 2 */
    assert_int_equal(r.nstages, 2);
    for (int m = 0; m < 3; m++) {
        assert_close(r.lever[(size_t)m * 2 + 0], 5.0, 1e-9);
        assert_close(r.lever[(size_t)m * 2 + 1], want_cost[m], 1e-9);
    }
    run_result_free(&r);
}

/* The law's draws against its closed forms, from a scenario the loader read. */
static void test_law_draws_match_closed_forms(void **state)
{
    (void)state;
    ts_error e;
    const char *sets[] = { "usage.low=5", "usage.high=25" };
    assert_int_equal(load(text, sets, 2, &e), TS_OK);
    assert_close(usage_dist_mean(&s.usage), 15, 1e-15);
    assert_close(usage_dist_quantile(&s.usage, 0.25), 10, 1e-15);
    assert_close(usage_dist_top_share(&s.usage, 0.2), 184.0 / 600, 1e-12);
    int n = test_draws(200000), seg;
    double *x = malloc((size_t)n * sizeof *x);
    gsl_rng *g = ts_rng_create(21, 0);
    for (int i = 0; i < n; i++)
        x[i] = usage_dist_draw(g, &s.usage, &seg);
    assert_within_sigma(gsl_stats_mean(x, 1, (size_t)n), 15, 20 / sqrt(12.0) / sqrt(n), 4);
    gsl_rng_free(g);
    free(x);
}

static void expect_error(const char *set, const char *want)
{
    ts_error e;
    assert_int_equal(load(text, &set, 1, &e), TS_ERR_INPUT);
    char msg[1200];
    ts_error_format(&e, msg, sizeof msg);
    assert_string_equal(msg, want);
}

/* The loader's messages and tables cover the new kind and law. */
static void test_loader_knows_them(void **state)
{
    (void)state;
    ts_error e;
    expect_error("levers.trim.share=0.5",
                 "levers.trim.share=0.5: key 'levers.trim.share' does not apply to a prompt_trim lever");
    expect_error("levers.trim.cut=1", "levers.trim.cut=1: invalid value for 'levers.trim.cut': found '1', expected a "
                                      "number in [0, 1)");
    expect_error("usage.high=4", "usage.high=4: invalid value for 'usage.high': found 4, expected at least low (10)");
    expect_error("usage.distribution=pareto",
                 "usage.distribution=pareto: missing key 'usage.alpha': a pareto distribution needs it");
    expect_error("usage.distribution=unifrom", "usage.distribution=unifrom: invalid value for 'usage.distribution': "
                 "found 'unifrom', expected one of: constant, pareto, lognormal, segments, quantiles, concentration, empirical, "
                 "uniform (did you mean 'uniform'?)");

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    scenario_write_reference(f);
    fclose(f);
    assert_non_null(strstr(buf, "| `levers[].cut` | number | share of input tokens | 0 | a number in [0, 1) | "
                                "prompt_trim: input tokens trimmed from each call |"));
    assert_non_null(strstr(buf, "| `usage.low` | number | interactions per month | 0 | a number >= 0 | uniform: "
                                "the smallest intensity |"));
    assert_non_null(strstr(buf, "self_host, split or prompt_trim"));
    free(buf);

    /* the resolved scenario writes the kind's keys after the common ones */
    assert_int_equal(load(text, NULL, 0, &e), TS_OK);
    f = open_memstream(&buf, &len);
    scenario_write(f, &s);
    fclose(f);
    assert_non_null(strstr(buf, "    type: prompt_trim\n    feature: \"chat\"\n    start_month: 2\n"
                                "    ramp_months: 0\n    cut: 0.4\n"));
    assert_non_null(strstr(buf, "  distribution: uniform\n  low: 10\n  high: 10\n  counts: fixed\n"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_engine_prices_the_new_kind),
        cmocka_unit_test(test_law_draws_match_closed_forms),
        cmocka_unit_test(test_loader_knows_them),
    };
    return cmocka_run_group_tests_name("extend", tests, register_both, NULL);
}
