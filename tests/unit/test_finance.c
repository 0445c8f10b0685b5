/* test_finance.c: unit economics (sim/engine/finance.c) against hand
 * calculations, and the finance rows' reproducibility.
 *  - the closed-form LTV against its series sum_(a<T) g ((1-c)/(1+d))^a
 *  - the monthly rate of 12.6825% a year is 1% (1.01^12 = 1.126825...)
 *  - CPA(n) = cac (n/n0)^k: 100 sign-ups at cac 50, n0 50, k 1 cost 100 x 100
 *  - a marketing budget buys n with n CPA(n) = B
 *  - split runs appended, and 1 or 2 threads, give the same rows bit for bit */
#include "testutil.h"

#include <string.h>

#include "sim/engine/engine.h"
#include "sim/engine/finance.h"
#include "sim/engine/stats.h"

static const char *const text =
    "name: finance test\n"
    "horizon_months: 8\n"
    "replications: 10\n"
    "seed: 7\n"
    "prices: { models: [ { name: m, input_per_mtok: 3, output_per_mtok: 15 } ] }\n"
    "customers: { initial: 300, new_per_month: 40, churn_monthly: 0.06 }\n"
    "usage: { distribution: lognormal, mean: 30, sigma: 1 }\n"
    "features: [ { name: f, model: m, tokens: { user: 1000, output: 300 } } ]\n"
    "plans:\n"
    "  - { name: a, price: 10 }\n"
    "  - { name: b, type: usage, unit: interaction, unit_price: 0.05 }\n"
    "finance: { acquisition_cost: 40, fixed_costs: 1000, discount_rate: 0.2, starting_cash: 5000 }\n";

static scenario s;

static void load(const char *const *sets, int n)
{
    ts_error e;
    ts_error_clear(&e);
    int rc = scenario_load_string(&s, text, "finance.yaml", sets, n, &e);
    if (rc)
        print_error("%s\n", e.message);
    assert_int_equal(rc, TS_OK);
}

static void run(run_result *r, int threads, int first, int count)
{
    ts_error e;
    ts_error_clear(&e);
    engine_opts o = { threads, first, count, NULL, NULL, NULL };
    assert_int_equal(engine_run(&s, &o, r, &e), TS_OK);
}

static void test_closed_form_is_the_series(void **state)
{
    (void)state;
    double g = 42, c = 0.04, d = 0.01, sum = 0, q = (1 - c) / (1 + d);
    for (int a = 0; a < 36; a++)
        sum += g * pow(q, a);
    assert_true(fabs(finance_ltv_closed(g, c, d, 36) - sum) < 1e-9 * sum);
    for (int a = 36; a < 20000; a++)
        sum += g * pow(q, a);
    assert_true(fabs(finance_ltv_closed(g, c, d, 0) - sum) < 1e-9 * sum);
    assert_true(isnan(finance_ltv_closed(g, 0, 0, 0)));
}

static void test_rates_and_acquisition(void **state)
{
    (void)state;
    assert_true(fabs(finance_monthly_rate(pow(1.01, 12) - 1) - 0.01) < 1e-12);
    finance_cfg f = { .cac = 50 };
    assert_true(fabs(finance_acquisition(&f, 100) - 5000) < 1e-9);
    f.cac_volume = 50;
    f.cac_elasticity = 1;
    assert_true(fabs(finance_acquisition(&f, 100) - 100 * 100) < 1e-9);   /* CPA(100) = 50 x 2 */
    assert_true(finance_acquisition(&f, 0) == 0);
    f.marketing_budget = 7000;
    assert_true(finance_acquisition(&f, 3) == 7000);
    ts_error e;
    ts_error_clear(&e);
    const char *t = "name: b\nprices: { models: [ { name: m, input_per_mtok: 3, output_per_mtok: 15 } ] }\n"
                    "usage: { distribution: constant, value: 5 }\nfeatures: [ { name: f, model: m } ]\n"
                    "plans: [ { name: a, price: 10 } ]\n"
                    "finance: { acquisition_cost: 50, acquisition_volume: 50, acquisition_elasticity: 1, "
                    "marketing_budget: 20000 }\n";
    assert_int_equal(scenario_load_string(&s, t, "budget.yaml", NULL, 0, &e), TS_OK);
    /* n CPA(n) = n x 50 (n / 50) = n^2 = 20000: n = 100 sqrt 2 */
    assert_true(fabs(s.customers.new_per_month - 100 * sqrt(2)) < 1e-9);
}

static void test_rows_do_not_depend_on_threads_or_splits(void **state)
{
    (void)state;
    load(NULL, 0);
    run_result a, b, c, one;
    run(&a, 2, 0, 10);
    run(&one, 1, 0, 10);
    run(&b, 1, 0, 4);
    run(&c, 2, 4, 6);
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(run_result_append(&b, &c, &e), TS_OK);
    size_t nc = (size_t)10 * a.nplans * a.nmonths * a.nmonths * CO_COUNT, nf = (size_t)10 * a.nplans * FIN_COUNT,
           nm = (size_t)10 * a.nplans * a.nmonths * FM_COUNT;
    assert_memory_equal(a.cohort, one.cohort, nc * sizeof(double));
    assert_memory_equal(a.fin, one.fin, nf * sizeof(double));
    assert_memory_equal(a.fin_month, one.fin_month, nm * sizeof(double));
    assert_memory_equal(a.cohort, b.cohort, nc * sizeof(double));
    assert_memory_equal(a.fin, b.fin, nf * sizeof(double));
    assert_memory_equal(a.fin_month, b.fin_month, nm * sizeof(double));
    /* the cohorts add up to the month's customers and revenue, plan by plan */
    for (int p = 0; p < a.nplans; p++)
        for (int m = 0; m < a.nmonths; m++) {
            double n = 0, rev = 0;
            for (int k = 0; k <= m; k++) {
                n += run_cohort(&a, 3, p, k, m)[CO_CUSTOMERS];
                rev += run_cohort(&a, 3, p, k, m)[CO_REVENUE];
            }
            assert_true(n == run_month(&a, 3, p, m)[MET_CUSTOMERS]);
            assert_true(fabs(rev - run_month(&a, 3, p, m)[MET_REVENUE]) <= 1e-9 * (1 + rev));
        }
    summary sm;
    assert_int_equal(summary_build(&a, &sm, &e), TS_OK);
    assert_non_null(sm.fin);
    assert_int_equal(fin_fig(sm.fin, 0, FIN_CAC)->n, 10);
    assert_true(fabs(fin_fig(sm.fin, 0, FIN_CAC)->mean - 40) < 1e-9);
    summary_free(&sm);
    run_result_free(&a);
    run_result_free(&b);
    run_result_free(&c);
    run_result_free(&one);
}

static void test_no_finance_no_rows(void **state)
{
    (void)state;
    ts_error e;
    ts_error_clear(&e);
    const char *t = "name: plain\nreplications: 2\nhorizon_months: 2\n"
                    "prices: { models: [ { name: m, input_per_mtok: 3, output_per_mtok: 15 } ] }\n"
                    "customers: { initial: 10 }\nusage: { distribution: constant, value: 5 }\n"
                    "features: [ { name: f, model: m } ]\n"
                    "plans: [ { name: a, price: 10 } ]\n";
    assert_int_equal(scenario_load_string(&s, t, "plain.yaml", NULL, 0, &e), TS_OK);
    assert_false(s.finance.enabled);
    run_result r;
    run(&r, 1, 0, 2);
    assert_null(r.cohort);
    assert_null(r.fin);
    summary sm;
    assert_int_equal(summary_build(&r, &sm, &e), TS_OK);
    assert_null(sm.fin);
    summary_free(&sm);
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_form_is_the_series),
        cmocka_unit_test(test_rates_and_acquisition),
        cmocka_unit_test(test_rows_do_not_depend_on_threads_or_splits),
        cmocka_unit_test(test_no_finance_no_rows),
    };
    return cmocka_run_group_tests_name("finance", tests, NULL, NULL);
}
