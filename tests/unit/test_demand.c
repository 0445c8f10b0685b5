/* test_demand.c: willingness to pay and the menu's choice against closed
 * forms.
 *  - the Gaussian copula with rho = 2 sin(pi rs / 6) gives Spearman rs: the
 *    sample's Fisher z within 4 standard errors, sqrt(1.06 / (n - 3))
 *    (Fieller, Hartley and Pearson 1957, for Spearman's rho);
 *  - choice shares are the softmax of surplus / scale over the plans and
 *    "no plan" at 0 (computed here with exp), and draws follow them within
 *    4 binomial standard errors;
 *  - in a run, customers of equal surpluses split by that softmax, and a
 *    capped cheap plan beside an unlimited one leaves the unlimited plan
 *    exactly the heavy users, usage answers the marginal price and churn
 *    the bill against the WTP (hand calculations in the tests). */
#include "testutil.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <string.h>

#include "models/demand.h"
#include "models/usage_laws.h"
#include "sim/engine/engine.h"
#include "sim/engine/rng.h"
#include "sim/scenario/scenario.h"

static wtp_cfg lognormal_wtp(double rs)
{
    wtp_cfg w;
    memset(&w, 0, sizeof w);
    w.on = true;
    w.law.kind = usage_law_find("lognormal");
    usage_lognormal_params *p = usage_params(&w.law);
    p->mean = 20;
    p->sigma = 0.8;
    w.law.bounds = (struct usage_bounds){ { 0.5, 0.8, 0.95 } };
    const char *what = NULL;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(usage_dist_prepare(&w.law, &what, &e), TS_OK);
    w.rank_correlation = rs;
    w.rho = demand_copula_rho(rs);
    return w;
}

static void test_copula_spearman(void **state)
{
    (void)state;
    const double targets[] = { 0.5, -0.3, 0.9, 0 };
    size_t n = (size_t)test_draws(20000);
    double *u = malloc(n * sizeof *u), *v = malloc(n * sizeof *v), *work = malloc(2 * n * sizeof *work);
    assert_non_null(u);
    assert_non_null(v);
    assert_non_null(work);
    gsl_rng *r = ts_rng_create(7, 1);
    for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
        wtp_cfg w = lognormal_wtp(targets[t]);
        for (size_t i = 0; i < n; i++) {
            u[i] = gsl_rng_uniform_pos(r);
            v[i] = demand_wtp_draw(r, &w, u[i]);
        }
        double rs = gsl_stats_spearman(u, 1, v, 1, n, work);
        assert_within_sigma(atanh(rs), atanh(targets[t]), sqrt(1.06 / ((double)n - 3)), 4);
    }
    gsl_rng_free(r);
    free(u);
    free(v);
    free(work);
}

/* p_k = e^(s_k / scale) / (1 + sum_j e^(s_j / scale)), "none" = 1 / (...) */
static void test_choice_shares_are_softmax(void **state)
{
    (void)state;
    const double s[3] = { 2, 0, -1 };
    double p[4];
    demand_choice_shares(s, 3, 1, p);
    double d = exp(2) + exp(0) + exp(-1) + 1;
    assert_close(p[0], exp(2) / d, 1e-12);
    assert_close(p[1], 1 / d, 1e-12);
    assert_close(p[2], exp(-1) / d, 1e-12);
    assert_close(p[3], 1 / d, 1e-12);
    /* large surpluses: no overflow, the same ratios */
    const double big[2] = { 5000, 4998 };
    demand_choice_shares(big, 2, 1, p);
    assert_close(p[1] / p[0], exp(-2), 1e-9);
    assert_true(p[2] < 1e-300);
    /* scale 0: the highest positive surplus, or none */
    demand_choice_shares(s, 3, 0, p);
    assert_true(p[0] == 1 && p[1] == 0 && p[3] == 0);
    const double neg[2] = { -1, -0.5 };
    demand_choice_shares(neg, 2, 0, p);
    assert_true(p[2] == 1 && p[0] == 0);
    assert_int_equal(demand_choose(neg, 2, 0, 0.3), -1);
}

static void test_choose_follows_shares(void **state)
{
    (void)state;
    const double s[3] = { 4, 3, -2 };
    double p[4];
    demand_choice_shares(s, 3, 2.5, p);
    int n = test_draws(200000);
    double count[4] = { 0 };
    gsl_rng *r = ts_rng_create(11, 2);
    for (int i = 0; i < n; i++) {
        int k = demand_choose(s, 3, 2.5, gsl_rng_uniform(r));
        count[k < 0 ? 3 : k] += 1;
    }
    gsl_rng_free(r);
    for (int k = 0; k < 4; k++)
        assert_within_sigma(count[k] / n, p[k], sqrt(p[k] * (1 - p[k]) / n), 4);
}

static scenario *load(const char *text)
{
    scenario *s = scenario_new();
    assert_non_null(s);
    ts_error e;
    ts_error_clear(&e);
    int rc = scenario_load_string(s, text, "demand.yaml", NULL, 0, &e);
    if (rc)
        print_error("%s\n", e.message);
    assert_int_equal(rc, TS_OK);
    return s;
}

static const char *const head =
    "name: demand test\n"
    "horizon_months: 1\n"
    "replications: 20\n"
    "seed: 5\n"
    "prices:\n"
    "  models:\n"
    "    - { name: m, input_per_mtok: 1, output_per_mtok: 1 }\n"
    "customers: { initial: 4000, new_per_month: 0 }\n"
    "features:\n"
    "  - { name: chat, model: m, tokens: { user: 100, output: 100 } }\n";

/* Every customer: WTP $20, flat plans $10 and $25, scale $5: surpluses 10
 * and -5, so the shares are softmax(2, -1, none 0). */
static void test_menu_run_splits_by_softmax(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", head,
             "usage: { distribution: constant, value: 100 }\n"
             "wtp: { distribution: constant, value: 20, plan_choice: menu, logit_scale: 5 }\n"
             "plans:\n  - { name: a, price: 10 }\n  - { name: b, price: 25 }\n");
    scenario *s = load(text);
    ts_error e;
    ts_error_clear(&e);
    run_result r, r2;
    engine_opts o = { 2, 0, s->replications, NULL, NULL, NULL };
    assert_int_equal(engine_run(s, &o, &r, &e), TS_OK);
    double d = exp(2) + exp(-1) + 1, want[3] = { exp(2) / d, exp(-1) / d, 1 / d }, got[3] = { 0 };
    for (int i = 0; i < r.nreps; i++) {
        got[0] += run_month(&r, i, 0, 0)[MET_CUSTOMERS];
        got[1] += run_month(&r, i, 1, 0)[MET_CUSTOMERS];
        got[2] += r.declined[i];
        /* every plan's row counts the new customers of the whole menu */
        assert_close(run_month(&r, i, 0, 0)[MET_NEW], 4000 - r.declined[i], 1e-12);
    }
    double n = 4000.0 * r.nreps;
    for (int k = 0; k < 3; k++)
        assert_within_sigma(got[k] / n, want[k], sqrt(want[k] * (1 - want[k]) / n), 4);
    /* the same at one thread, byte for byte */
    o.threads = 1;
    assert_int_equal(engine_run(s, &o, &r2, &e), TS_OK);
    assert_memory_equal(r.month, r2.month, (size_t)r.nreps * r.nplans * r.nmonths * MET_COUNT * sizeof(double));
    assert_memory_equal(r.declined, r2.declined, (size_t)r.nreps * r.nmonths * sizeof(double));
    run_result_free(&r);
    run_result_free(&r2);
    scenario_free(s);
}

/* Light users (10 a month) and heavy ones (1,000), WTP $30 each; plan a
 * $10 with a hard cap at 100, plan b $25 unlimited. Light: a gives 30 - 10
 * = 20, b 30 - 25 = 5, so a. Heavy: a serves 100 of 1,000, 3 - 10 = -7, b
 * 5, so b. Plan b's customers are all heavy: 1,000 interactions each. */
static void test_unlimited_draws_heavy_users(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", head,
             "usage:\n  distribution: segments\n  counts: fixed\n  segments:\n"
             "    - { name: light, share: 0.7, mean: 10 }\n    - { name: heavy, share: 0.3, mean: 1000 }\n"
             "wtp: { distribution: constant, value: 30, plan_choice: menu }\n"
             "plans:\n  - { name: a, price: 10, quota: 100, hard_cap: true }\n  - { name: b, price: 25 }\n");
    scenario *s = load(text);
    ts_error e;
    ts_error_clear(&e);
    run_result r;
    engine_opts o = { 2, 0, s->replications, NULL, NULL, NULL };
    assert_int_equal(engine_run(s, &o, &r, &e), TS_OK);
    double light = 0, n = 4000.0 * r.nreps;
    for (int i = 0; i < r.nreps; i++) {
        const double *a = run_month(&r, i, 0, 0), *b = run_month(&r, i, 1, 0);
        assert_close(a[MET_INTERACTIONS], 10 * a[MET_CUSTOMERS], 1e-9);
        assert_close(b[MET_INTERACTIONS], 1000 * b[MET_CUSTOMERS], 1e-9);
        assert_close(a[MET_CUSTOMERS] + b[MET_CUSTOMERS], 4000, 1e-12);
        assert_true(r.declined[i] == 0);
        light += a[MET_CUSTOMERS];
    }
    assert_within_sigma(light / n, 0.7, sqrt(0.7 * 0.3 / n), 4);
    run_result_free(&r);
    scenario_free(s);
}

/* Usage at the marginal price: $0.02 an interaction with reference $0.02
 * and elasticity 1 halves 100 interactions to 100 (1 + 1)^-1 = 50. With
 * WTP $30 the usage plan's surplus is 30 x 50 / 100 - 50 x 0.02 = 14; the
 * $100 flat plan's is -70, so every customer takes the usage plan and uses
 * exactly 50 (fixed counts). */
static void test_usage_answers_marginal_price(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", head,
             "usage: { distribution: constant, value: 100, counts: fixed }\n"
             "wtp: { distribution: constant, value: 30, plan_choice: menu, usage_elasticity: 1,\n"
             "       usage_reference_price: 0.02 }\n"
             "plans:\n  - { name: a, type: usage, unit: interaction, unit_price: 0.02 }\n"
             "  - { name: b, price: 100 }\n");
    scenario *s = load(text);
    ts_error e;
    ts_error_clear(&e);
    run_result r;
    engine_opts o = { 2, 0, 4, NULL, NULL, NULL };
    assert_int_equal(engine_run(s, &o, &r, &e), TS_OK);
    for (int i = 0; i < r.nreps; i++) {
        const double *a = run_month(&r, i, 0, 0);
        assert_close(a[MET_CUSTOMERS], 4000, 1e-12);
        assert_close(a[MET_INTERACTIONS], 50 * 4000, 1e-9);
        assert_close(a[MET_REVENUE], 50 * 0.02 * 4000, 1e-9);
    }
    run_result_free(&r);
    scenario_free(s);
}

/* A competitor's price as the outside option, by hand: WTP $40 against a
 * competitor at $25 leaves "no plan" worth 15, shocked to 0.7 x 25 = 17.5
 * it is worth 22.5; a competitor dearer than the WTP is worth nothing, and
 * without one "no plan" stays at 0. In a run, a constant WTP of $40 and a
 * $20 plan (surplus 20): every customer signs up against a competitor at
 * $25 (20 > 15), none at $15 (20 < 25). */
static void test_competitor_is_the_outside_option(void **state)
{
    (void)state;
    wtp_cfg w = { .competitor_price = 25 };
    assert_close(demand_outside_surplus(&w, 40, 1), 15, 1e-12);
    assert_close(demand_outside_surplus(&w, 40, 0.7), 22.5, 1e-12);
    assert_close(demand_outside_surplus(&w, 20, 1), 0, 0);
    w.competitor_price = 0;
    assert_close(demand_outside_surplus(&w, 40, 1), 0, 0);
    const char *price[] = { "25", "15" };
    const double want[] = { 4000, 0 };
    for (int k = 0; k < 2; k++) {
        char text[2048];
        snprintf(text, sizeof text, "%s%s%s%s", head,
                 "usage: { distribution: constant, value: 100, counts: fixed }\n"
                 "wtp: { distribution: constant, value: 40, plan_choice: menu, competitor_price: ", price[k], " }\n"
                 "plans:\n  - { name: a, price: 20 }\n  - { name: b, price: 1000 }\n");
        scenario *s = load(text);
        ts_error e;
        ts_error_clear(&e);
        run_result r;
        engine_opts o = { 2, 0, 4, NULL, NULL, NULL };
        assert_int_equal(engine_run(s, &o, &r, &e), TS_OK);
        for (int i = 0; i < r.nreps; i++)
            assert_close(run_month(&r, i, 0, 0)[MET_CUSTOMERS], want[k], 1e-12);
        run_result_free(&r);
        scenario_free(s);
    }
}

/* Churn answering value: WTP $20 on a $10 plan, bill / WTP = 0.5, slope 2:
 * L = 1 / (1 + e^(-2 (0.5 - 1))) = 1 / (1 + e), and value_churn 0.4 gives a
 * monthly hazard -ln(1 - 0.4 L), survival 1 - 0.4 / (1 + e) = 0.8924 a
 * month with no other churn. Month 2 bills those still there at its start:
 * 4,000 times that on average, binomial standard error. The $40 plan has
 * negative surplus and is never chosen. */
static void test_churn_answers_value(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", head,
             "usage: { distribution: constant, value: 10 }\n"
             "wtp: { distribution: constant, value: 20, plan_choice: menu, value_churn: 0.4, value_churn_slope: 2 }\n"
             "plans:\n  - { name: a, price: 10 }\n  - { name: b, price: 40 }\n");
    scenario *s = load(text);
    s->horizon = 2;
    ts_error e;
    ts_error_clear(&e);
    run_result r;
    engine_opts o = { 2, 0, s->replications, NULL, NULL, NULL };
    assert_int_equal(engine_run(s, &o, &r, &e), TS_OK);
    double left = 0, n = 4000.0 * r.nreps;
    for (int i = 0; i < r.nreps; i++) {
        assert_close(run_month(&r, i, 0, 0)[MET_CUSTOMERS], 4000, 1e-12);
        assert_true(run_month(&r, i, 1, 0)[MET_CUSTOMERS] == 0);
        left += run_month(&r, i, 0, 1)[MET_CUSTOMERS];
    }
    double q = 1 - 0.4 / (1 + M_E);
    assert_within_sigma(left / n, q, sqrt(q * (1 - q) / n), 4);
    run_result_free(&r);
    scenario_free(s);
}

/* A Gabor-Granger survey as the WTP law: 70% would buy at $10, so on a
 * $10 plan (beside a $100 one nobody buys) 30% of arrivals choose no plan;
 * binomial standard error. */
static void test_survey_law_sets_the_share_who_buy(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s", head,
             "usage: { distribution: constant, value: 10 }\n"
             "wtp:\n  plan_choice: menu\n  usage_rank_correlation: 0.7\n  gabor_granger:\n"
             "    - { price: 5, share: 0.9 }\n    - { price: 10, share: 0.7 }\n    - { price: 40, share: 0.1 }\n"
             "plans:\n  - { name: a, price: 10 }\n  - { name: b, price: 100 }\n");
    scenario *s = load(text);
    ts_error e;
    ts_error_clear(&e);
    run_result r;
    engine_opts o = { 2, 0, s->replications, NULL, NULL, NULL };
    assert_int_equal(engine_run(s, &o, &r, &e), TS_OK);
    double none = 0, n = 4000.0 * r.nreps;
    for (int i = 0; i < r.nreps; i++) {
        none += r.declined[i];
        assert_true(run_month(&r, i, 1, 0)[MET_CUSTOMERS] == 0);
    }
    assert_within_sigma(none / n, 0.3, sqrt(0.3 * 0.7 / n), 4);
    run_result_free(&r);
    scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copula_spearman),
        cmocka_unit_test(test_choice_shares_are_softmax),
        cmocka_unit_test(test_choose_follows_shares),
        cmocka_unit_test(test_menu_run_splits_by_softmax),
        cmocka_unit_test(test_unlimited_draws_heavy_users),
        cmocka_unit_test(test_usage_answers_marginal_price),
        cmocka_unit_test(test_churn_answers_value),
        cmocka_unit_test(test_competitor_is_the_outside_option),
        cmocka_unit_test(test_survey_law_sets_the_share_who_buy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
