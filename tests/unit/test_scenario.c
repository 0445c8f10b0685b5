/* test_scenario.c: the loader: defaults, overrides, and each kind of
 * mistake with its exact message and position. */
#include "testutil.h"

#include <string.h>

#include "models/usage_laws.h"
#include "sim/scenario/scenario.h"

static const char *const good =
    "name: t\n"
    "prices:\n"
    "  models:\n"
    "    - { name: sonnet, input_per_mtok: 3, output_per_mtok: 15 }\n"
    "usage: { distribution: pareto, alpha: 2, min: 5 }\n"
    "features:\n"
    "  - name: chat\n"
    "    model: sonnet\n"
    "    tokens: { system: 500, output: 400 }\n"
    "plans:\n"
    "  - { name: pro, price: 20 }\n";

static scenario s;

static int load(const char *text, const char *const *sets, int n, ts_error *e)
{
    ts_error_clear(e);
    return scenario_load_string(&s, text, "t.yaml", sets, n, e);
}

static void expect_error(const char *text, const char *const *sets, int n, const char *want)
{
    ts_error e;
    assert_int_equal(load(text, sets, n, &e), TS_ERR_INPUT);
    char msg[1200];
    ts_error_format(&e, msg, sizeof msg);
    assert_string_equal(msg, want);
}

static void test_defaults_and_values(void **state)
{
    (void)state;
    ts_error e;
    assert_int_equal(load(good, NULL, 0, &e), TS_OK);
    assert_int_equal(s.horizon, 24);
    assert_int_equal(s.replications, 200);
    assert_int_equal(s.customers.initial, 1000);
    assert_close(s.features[0].tokens.system, 500, 0);
    assert_close(s.features[0].share, 1, 0);
    assert_close(s.prices.models[0].cached_input, -1, 0);   /* not given */
    assert_close(s.plans[0].target_margin, 0.5, 0);
    assert_string_equal(plan_kind_name(s.plans[0].kind), "flat");
}

static void test_set_overrides(void **state)
{
    (void)state;
    ts_error e;
    const char *sets[] = { "usage.alpha=1.6", "plans.pro.price=25", "features.0.tokens.user=100",
                           "customers.churn_monthly=0.05", "seed=18446744073709551615" };
    assert_int_equal(load(good, sets, 5, &e), TS_OK);
    assert_close(((const usage_pareto_params *)usage_params_c(&s.usage))->alpha, 1.6, 0);
    assert_close(s.plans[0].price, 25, 0);
    assert_close(s.features[0].tokens.user, 100, 0);
    assert_close(s.customers.churn, 0.05, 0);
    assert_true(s.seed == 18446744073709551615ULL);
    uint64_t h1 = s.hash;
    assert_int_equal(load(good, NULL, 0, &e), TS_OK);
    assert_true(h1 != s.hash);          /* the hash follows the resolved content */
    /* a key written at its default leaves the hash alone (so a key added to
     * tokensim with such a default does not change any scenario's hash);
     * any other value changes it */
    uint64_t h0 = s.hash;
    const char *at_default[] = { "features.0.vector_searches=0", "costs.payment_fixed=0" };
    assert_int_equal(load(good, at_default, 2, &e), TS_OK);
    assert_true(s.hash == h0);
    const char *moved[] = { "features.0.vector_searches=2" };
    assert_int_equal(load(good, moved, 1, &e), TS_OK);
    assert_true(s.hash != h0);
}

static void test_unknown_key_suggests(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s", good);
    char *p = strstr(text, "alpha");
    memcpy(p, "alpah", 5);
    expect_error(text, NULL, 0, "t.yaml:5:32: unknown key 'usage.alpah' (did you mean 'usage.alpha'?)");
    const char *sets[] = { "usage.alpah=2" };
    expect_error(good, sets, 1, "usage.alpah=2: unknown key 'usage.alpah' (did you mean 'usage.alpha'?)");
}

static void test_wrong_values(void **state)
{
    (void)state;
    const char *neg[] = { "prices.models.sonnet.input_per_mtok=-3" };
    expect_error(good, neg, 1,
                 "prices.models.sonnet.input_per_mtok=-3: invalid value for 'prices.models.sonnet.input_per_mtok': "
                 "found '-3', expected a number >= 0");
    const char *prob[] = { "customers.churn_monthly=1.5" };
    expect_error(good, prob, 1,
                 "customers.churn_monthly=1.5: invalid value for 'customers.churn_monthly': found '1.5', expected "
                 "a number in [0, 1)");
    const char *word[] = { "horizon_months=two" };
    expect_error(good, word, 1,
                 "horizon_months=two: invalid value for 'horizon_months': found 'two', expected a whole number in "
                 "[1, 600]");
    const char *en[] = { "usage.distribution=paretto" };
    expect_error(good, en, 1,
                 "usage.distribution=paretto: invalid value for 'usage.distribution': found 'paretto', expected one "
                 "of: constant, pareto, lognormal, segments, quantiles, concentration, empirical (did you mean 'pareto'?)");
}

static void test_cross_checks(void **state)
{
    (void)state;
    const char *alpha[] = { "usage.alpha=0.9" };
    expect_error(good, alpha, 1,
                 "usage.alpha=0.9: invalid value for 'usage.alpha': found 0.9 with no cap, but a power law with "
                 "alpha <= 1 has no finite mean: raise alpha above 1 or set usage.cap");
    const char *capped[] = { "usage.alpha=0.9", "usage.cap=1000" };
    ts_error e;
    assert_int_equal(load(good, capped, 2, &e), TS_OK);
    const char *model[] = { "features.chat.model=sonet" };
    expect_error(good, model, 1,
                 "features.chat.model=sonet: unknown model 'sonet' in 'features.chat.model' (did you mean 'sonnet'?)");
    const char *cache[] = { "features.chat.cached_share=0.5" };
    expect_error(good, cache, 1,
                 "features.chat.cached_share=0.5: feature 'chat' reads 0.5 of its input from cache, but model "
                 "'sonnet' has no 'cached_input_per_mtok' in the price table");
    const char *sigma[] = { "usage.sigma=1" };
    expect_error(good, sigma, 1, "usage.sigma=1: key 'usage.sigma' does not apply to a pareto distribution");
    const char *need[] = { "usage.distribution=lognormal" };
    expect_error(good, need, 1, "usage.distribution=lognormal: missing key 'usage.mean': a lognormal distribution needs it");
}

static void test_yaml_problems(void **state)
{
    (void)state;
    expect_error("name: [unclosed\n", NULL, 0,
                 "t.yaml:2:1: invalid yaml: did not find expected ',' or ']' while parsing a flow sequence");
    expect_error("- a\n- b\n", NULL, 0, "t.yaml:1:1: expected a mapping of scenario keys at the top of the file");
    expect_error("name: a\nname: b\n", NULL, 0, "t.yaml:2:1: duplicate key 'name'");
    /* a billion laughs: refused by the node budget, not expanded */
    const char *bomb =
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    ts_error e;
    assert_int_equal(load(bomb, NULL, 0, &e), TS_ERR_INPUT);
    assert_non_null(strstr(e.message, "document too large"));
}

static void test_missing_file(void **state)
{
    (void)state;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(scenario_load(&s, "/nonexistent/x.yaml", NULL, 0, &e), TS_ERR_INPUT);
    char msg[512];
    ts_error_format(&e, msg, sizeof msg);
    assert_string_equal(msg, "/nonexistent/x.yaml: cannot open scenario: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_values),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_unknown_key_suggests),
        cmocka_unit_test(test_wrong_values),
        cmocka_unit_test(test_cross_checks),
        cmocka_unit_test(test_yaml_problems),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
