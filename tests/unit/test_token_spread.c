/* test_token_spread.c: the expected price of a call under a spread of
 * tokens (models/token_spread.h) against Monte Carlo (lognormal, within 4
 * standard errors), against a brute-force sum over the shipped request trace
 * (empirical, to rounding), and against hand arithmetic (fixed calls, output
 * limits); and the two paths that price a feature (cost_interaction for the
 * reports, lever_spec_cost for the engine) against each other. */
#include "testutil.h"

#include <gsl/gsl_randist.h>
#include <string.h>

#include "models/cost.h"
#include "models/lever.h"
#include "sim/engine/rng.h"

#define TRACE "tests/data/traces/azure_llm_code_2023.csv"

/* Sonnet-like prices with long context above 4,000 input tokens (low
 * enough that the trace, median 1,469, P90 5,186, has requests on both
 * sides): $3 / $15 below, $6 / $22.50 above. */
static model_price long_model(void)
{
    return (model_price){ .name = "m", .input = 3, .cached_input = -1, .cache_write = -1, .output = 15,
                          .long_above = 4000, .long_input = 6, .long_output = 22.5, .long_cached = -1 };
}

/* a call's price by the provider's rule, $ per million */
static double call_price(const model_price *m, double in, double out, double limit)
{
    bool lng = in > m->long_above;
    double o = limit > 0 && out > limit ? limit : out;
    return in * (lng ? m->long_input : m->input) + o * (lng ? m->long_output : m->output);
}

static void test_fixed_and_limit(void **state)
{
    (void)state;
    model_price m = long_model();
    token_prices tp = cost_token_prices(&m, 0, 0);
    token_spread ts = { .law = TOKEN_FIXED, .max_output = 300 };
    /* 3,000 in below the threshold: 3,000 x 3 + min(500, 300) x 15 = 13,500 */
    token_expect e = token_spread_expect(&ts, &tp, 3000, 500);
    assert_close(e.input + e.output, 13500, 1e-15);
    assert_close(e.out_tokens, 300, 1e-15);
    /* 5,000 in above it: the whole request at the long rates, 5,000 x 6 + 300 x 22.5 = 36,750 */
    e = token_spread_expect(&ts, &tp, 5000, 500);
    assert_close(e.input + e.output, 36750, 1e-15);
    assert_false(token_spread_active(&(token_spread){ .law = TOKEN_FIXED }));
    assert_true(token_spread_active(&ts));
}

static void test_lognormal_against_monte_carlo(void **state)
{
    (void)state;
    model_price m = long_model();
    token_prices tp = cost_token_prices(&m, 0, 0);
    token_spread ts = { .law = TOKEN_LOGNORMAL, .input_sigma = 1.0, .output_sigma = 0.8, .max_output = 600 };
    double tin = 2500, tout = 400;
    token_expect e = token_spread_expect(&ts, &tp, tin, tout);
    int n = test_draws(400000);
    gsl_rng *r = ts_rng_create(31, 0);
    double sum = 0, sum2 = 0, outs = 0;
    double mi = log(tin) - 0.5, mo = log(tout) - 0.32;
    for (int k = 0; k < n; k++) {
        double in = gsl_ran_lognormal(r, mi, 1.0), out = gsl_ran_lognormal(r, mo, 0.8);
        double c = call_price(&m, in, out, 600);
        sum += c;
        sum2 += c * c;
        outs += out > 600 ? 600 : out;
    }
    gsl_rng_free(r);
    double mean = sum / n, se = sqrt((sum2 / n - mean * mean) / n);
    assert_within_sigma(e.input + e.output, mean, se, 4);
    /* the spread matters: the mean call alone would pay 2,500 x 3 + 400 x 15 = 13,500 */
    assert_true(fabs(e.input + e.output - 13500) > 10 * se);
    assert_within_sigma(e.out_tokens, outs / n, 400 * 0.9 / sqrt(n), 4);
    /* a vanishing sigma is the fixed call */
    token_spread thin = { .law = TOKEN_LOGNORMAL, .input_sigma = 1e-9, .output_sigma = 1e-9 };
    e = token_spread_expect(&thin, &tp, tin, tout);
    assert_close(e.input + e.output, 13500, 1e-6);
}

/* The trace read by hand: its second and third columns. */
static size_t read_trace(double **x, double **y)
{
    FILE *f = fopen(TRACE, "r");
    assert_non_null(f);
    char line[256];
    size_t n = 0, cap = 16384;
    *x = malloc(cap * sizeof **x);
    *y = malloc(cap * sizeof **y);
    assert_non_null(fgets(line, sizeof line, f));   /* the header */
    while (fgets(line, sizeof line, f)) {
        char *a = strchr(line, ','), *b = a ? strchr(a + 1, ',') : NULL;
        assert_non_null(b);
        assert_true(n < cap);
        (*x)[n] = strtod(a + 1, NULL);
        (*y)[n++] = strtod(b + 1, NULL);
    }
    fclose(f);
    return n;
}

static void test_empirical_against_the_trace(void **state)
{
    (void)state;
    token_spread ts = { .law = TOKEN_EMPIRICAL, .data = TRACE, .input_column = "ContextTokens",
                        .output_column = "GeneratedTokens", .max_output = 20 };
    const char *what = NULL;
    ts_error err;
    ts_error_clear(&err);
    assert_int_equal(token_spread_prepare(&ts, &what, &err), TS_OK);
    double *x, *y;
    size_t n = read_trace(&x, &y);
    assert_int_equal(n, 8819);   /* the trace's requests (docs/data.md) */
    double mx = 0, my = 0;
    for (size_t k = 0; k < n; k++) {
        mx += x[k] / (double)n;
        my += y[k] / (double)n;
    }
    model_price m = long_model();
    token_prices tp = cost_token_prices(&m, 0, 0);
    /* at the trace's own means, and at twice its input (scaled requests) */
    for (int s = 1; s <= 2; s++) {
        double brute = 0;
        for (size_t k = 0; k < n; k++)
            brute += call_price(&m, s * x[k], y[k], 20) / (double)n;
        token_expect e = token_spread_expect(&ts, &tp, s * mx, my);
        assert_close(e.input + e.output, brute, 1e-9);
    }
    free(x);
    free(y);
    /* a column the file does not have */
    token_spread bad = ts;
    snprintf(bad.output_column, sizeof bad.output_column, "completion_tokens");
    ts_error_clear(&err);
    assert_int_equal(token_spread_prepare(&bad, &what, &err), TS_ERR_INPUT);
    assert_string_equal(what, "data");
    assert_non_null(strstr(err.message, "found no column 'completion_tokens' in the header"));
}

/* The reports' path and the engine's path agree on a feature with a spread,
 * with cached input. */
static void test_two_paths_agree(void **state)
{
    (void)state;
    price_table pt;
    memset(&pt, 0, sizeof pt);
    pt.nmodels = 1;
    pt.models[0] = long_model();
    pt.models[0].cached_input = 0.3;
    feature f;
    memset(&f, 0, sizeof f);
    snprintf(f.name, sizeof f.name, "f");
    f.share = 1;
    f.calls = 2;
    f.tokens = (feature_tokens){ .system = 1500, .user = 1000, .output = 400 };
    f.cached_share = 0.4;
    f.spread = (token_spread){ .law = TOKEN_LOGNORMAL, .input_sigma = 1.2, .output_sigma = 0.5, .max_output = 500 };
    interaction_cost ic = cost_interaction(&f, 0, &pt);
    lever_spec sp;
    world w;
    memset(&w, 0, sizeof w);
    lever_spec_init(&sp, &f, 0, 0, &pt, &w, 1);
    lever_cost lc = lever_spec_cost(&sp, &pt, &w, 1);
    assert_close(lc.model, ic.input + ic.output, 1e-12);
    assert_close(lc.tokens, ic.tokens, 1e-12);
    /* and without the spread, both price the mean call as before */
    f.spread = (token_spread){ 0 };
    ic = cost_interaction(&f, 0, &pt);
    lever_spec_init(&sp, &f, 0, 0, &pt, &w, 1);
    lc = lever_spec_cost(&sp, &pt, &w, 1);
    /* 2 calls x (2,500 x (0.6 x 3 + 0.4 x 0.3) + 400 x 15) / 1e6 = 0.0216 */
    assert_close(ic.input + ic.output, 0.0216, 1e-12);
    assert_close(lc.model, 0.0216, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_and_limit),
        cmocka_unit_test(test_lognormal_against_monte_carlo),
        cmocka_unit_test(test_empirical_against_the_trace),
        cmocka_unit_test(test_two_paths_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
