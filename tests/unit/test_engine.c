/* test_engine.c: the engine against closed forms, and its reproducibility.
 *
 * Closed forms (each checked within 4 standard errors of the mean across
 * replications, the standard error taken from the run itself):
 *  - customers billed in month m (0-based), with N0 at the start, Poisson
 *    arrivals a per month and hazard h = -ln(1 - churn):
 *      N0 e^(-h m) + a (1 - e^(-h m)) / h + a
 *  - interactions of N customers of constant intensity L: N L per month
 *  - inference cost: N L times the expected cost of one interaction
 *  - top-5% share of cost with fixed counts: the Pareto's p^(1 - 1/alpha). */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include <string.h>

#include "sim/engine/engine.h"
#include "sim/engine/stats.h"

static const char *const text =
    "name: engine test\n"
    "horizon_months: 6\n"
    "replications: 40\n"
    "seed: 99\n"
    "prices:\n"
    "  models:\n"
    "    - { name: small, input_per_mtok: 0.25, output_per_mtok: 1.25 }\n"
    "    - { name: big, input_per_mtok: 3, output_per_mtok: 15 }\n"
    "  vector_search_per_call: 0.001\n"
    "customers: { initial: 1000, new_per_month: 50, churn_monthly: 0.05 }\n"
    "usage: { distribution: constant, value: 10 }\n"
    "features:\n"
    "  - name: chat\n"
    "    routes: [ { model: small, share: 0.7 }, { model: big, share: 0.3 } ]\n"
    "    tokens: { system: 1000, output: 300 }\n"
    "    vector_searches: 1\n"
    "  - name: extra\n"
    "    share: 0.25\n"
    "    model: big\n"
    "    tokens: { user: 2000, output: 100 }\n"
    "plans:\n"
    "  - { name: a, price: 10 }\n"
    "  - { name: b, price: 20 }\n";

static scenario s;

static void load_text(const char *t, const char *const *sets, int n)
{
    ts_error e;
    ts_error_clear(&e);
    int rc = scenario_load_string(&s, t, "engine.yaml", sets, n, &e);
    if (rc)
        print_error("%s\n", e.message);
    assert_int_equal(rc, TS_OK);
}

static void load(const char *const *sets, int n)
{
    load_text(text, sets, n);
}

static void run(run_result *r, int threads, int first, int count)
{
    ts_error e;
    ts_error_clear(&e);
    engine_opts o = { threads, first, count, NULL, NULL, NULL };
    assert_int_equal(engine_run(&s, &o, r, &e), TS_OK);
}

/* The engine's text with its plans (and, if given, its usage line)
 * replaced, loaded with `sets`, run over all replications and summarised. */
static void simulate_variant(const char *plans, const char *usage, const char *const *sets, int n, run_result *r,
                             summary *sm)
{
    char t[4096];
    snprintf(t, sizeof t, "%s", text);
    if (usage) {
        const char *from = "usage: { distribution: constant, value: 10 }";
        char *at = strstr(t, from);
        assert_non_null(at);
        char rest[4096];
        snprintf(rest, sizeof rest, "%s", at + strlen(from));
        snprintf(at, sizeof t - (size_t)(at - t), "%s%s", usage, rest);
    }
    if (plans) {
        char *at = strstr(t, "plans:");
        assert_non_null(at);
        snprintf(at, sizeof t - (size_t)(at - t), "%s", plans);
    }
    load_text(t, sets, n);
    run(r, 0, 0, s.replications);
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(summary_build(r, sm, &e), TS_OK);
}

static void test_same_result_for_any_thread_count(void **state)
{
    (void)state;
    load(NULL, 0);
    run_result a, b;
    run(&a, 1, 0, s.replications);
    run(&b, 2, 0, s.replications);
    size_t nm = (size_t)a.nreps * a.nplans * a.nmonths * MET_COUNT;
    size_t ns = (size_t)a.nreps * a.nplans * a.nsegments * SEG_COUNT;
    assert_memory_equal(a.month, b.month, nm * sizeof(double));
    assert_memory_equal(a.seg, b.seg, ns * sizeof(double));
    /* replication 7 alone gives exactly its row of the full run */
    run_result one;
    run(&one, 1, 7, 1);
    assert_memory_equal(one.month, run_month(&a, 7, 0, 0), (size_t)a.nplans * a.nmonths * MET_COUNT * sizeof(double));
    run_result_free(&a);
    run_result_free(&b);
    run_result_free(&one);
}

static void test_customers_follow_arrivals_and_churn(void **state)
{
    (void)state;
    run_result r;
    summary sm;
    simulate_variant(NULL, NULL, NULL, 0, &r, &sm);
    double h = -log(1 - 0.05), a = 50, n0 = 1000;
    for (int m = 0; m < s.horizon; m++) {
        double want = n0 * exp(-h * m) + a * (1 - exp(-h * m)) / h + a;
        const ts_stat *st = sum_month(&sm, 0, m, MET_CUSTOMERS);
        assert_within_sigma(st->mean, want, st->se, 4);
    }
    /* both plans see the same customers; revenue is price x customers */
    for (int m = 0; m < s.horizon; m++) {
        assert_close(sum_month(&sm, 1, m, MET_INTERACTIONS)->mean, sum_month(&sm, 0, m, MET_INTERACTIONS)->mean, 0);
        assert_close(sum_month(&sm, 1, m, MET_REVENUE)->mean, 20 * sum_month(&sm, 0, m, MET_CUSTOMERS)->mean, 1e-12);
    }
    summary_free(&sm);
    run_result_free(&r);
}

static void test_interactions_and_cost(void **state)
{
    (void)state;
    const char *sets[] = { "customers.churn_monthly=0", "customers.new_per_month=0" };
    run_result r;
    summary sm;
    simulate_variant(NULL, NULL, sets, 2, &r, &sm);
    interaction_cost ic = cost_interaction_expected(s.features, s.nfeatures, &s.prices);
    /* hand check of the expected interaction: chat 0.7 x (1000 x 0.25 + 300 x 1.25)/1e6
     * + 0.3 x (1000 x 3 + 300 x 15)/1e6 + 0.001 search, extra 0.25 x (2000 x 3 + 100 x 15)/1e6 */
    double want_ic = 0.7 * 0.000625 + 0.3 * 0.0075 + 0.001 + 0.25 * 0.0075;
    assert_close(ic.total, want_ic, 1e-12);
    for (int m = 0; m < s.horizon; m++) {
        const ts_stat *n = sum_month(&sm, 0, m, MET_INTERACTIONS);
        assert_within_sigma(n->mean, 1000 * 10.0, n->se, 4);
        const ts_stat *c = sum_month(&sm, 0, m, MET_INFERENCE_COST);
        assert_within_sigma(c->mean, 1000 * 10.0 * want_ic, c->se, 4);
        assert_close(sum_month(&sm, 0, m, MET_CUSTOMERS)->mean, 1000, 0);
    }
    summary_free(&sm);
    run_result_free(&r);
}

/* Stratified and antithetic sampling of intensities keep the mean: the
 * interactions of 1,000 Pareto(2.5, 4) customers in a month have the closed
 * form mean 1000 x 2.5 x 4 / 1.5; checked within 4 standard errors (the
 * pair-aware ones under antithetic sampling). The stratified interval must
 * also be narrower than the plain one on the same replications. */
static void test_sampling_keeps_the_mean(void **state)
{
    (void)state;
    const char *usage = "usage: { distribution: pareto, alpha: 2.5, min: 4 }";
    const char *modes[][2] = { { "sampling.intensities=random", "sampling.antithetic=false" },
                               { "sampling.intensities=stratified", "sampling.antithetic=false" },
                               { "sampling.intensities=random", "sampling.antithetic=true" },
                               { "sampling.intensities=stratified", "sampling.antithetic=true" } };
    double want = 1000 * 2.5 * 4 / 1.5, se[4];
    for (int k = 0; k < 4; k++) {
        const char *sets[] = { "customers.churn_monthly=0", "customers.new_per_month=0", "horizon_months=1",
                               "replications=60", modes[k][0], modes[k][1] };
        run_result r;
        summary sm;
        simulate_variant(NULL, usage, sets, 6, &r, &sm);
        assert_int_equal(r.pairs, k >= 2);
        const ts_stat *n = sum_month(&sm, 0, 0, MET_INTERACTIONS);
        assert_within_sigma(n->mean, want, n->se, 4);
        se[k] = n->se;
        summary_free(&sm);
        run_result_free(&r);
    }
    assert_true(se[1] < se[0]);
    assert_true(se[3] < se[0]);
}

/* Replications run in two batches and appended are the replications of one
 * run: each depends only on (seed, index). */
static void test_append_equals_one_run(void **state)
{
    (void)state;
    load(NULL, 0);
    run_result a, b, c;
    run(&a, 0, 0, 10);
    run(&b, 0, 0, 4);
    run(&c, 0, 4, 6);
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(run_result_append(&b, &c, &e), TS_OK);
    assert_int_equal(b.nreps, 10);
    size_t nm = (size_t)10 * a.nplans * a.nmonths * MET_COUNT, ns = (size_t)10 * a.nplans * a.nsegments * SEG_COUNT;
    assert_memory_equal(a.month, b.month, nm * sizeof(double));
    assert_memory_equal(a.seg, b.seg, ns * sizeof(double));
    run_result_free(&a);
    run_result_free(&b);
    run_result_free(&c);
}

static void test_top_share_matches_power_law(void **state)
{
    (void)state;
    const char *sets[] = { "customers.churn_monthly=0", "customers.new_per_month=0", "customers.initial=20000",
                           "horizon_months=1", "replications=20" };
    run_result r;
    summary sm;
    simulate_variant(NULL, "usage: { distribution: pareto, alpha: 3, min: 5, counts: fixed }", sets, 5, &r, &sm);
    const ts_stat *t5 = sum_month(&sm, 0, 0, MET_TOP5);
    assert_within_sigma(t5->mean, 100 * pow(0.05, 1 - 1.0 / 3), t5->se, 4);
    summary_free(&sm);
    run_result_free(&r);
}

/* A hard cap Q on Poisson(L) monthly demand serves E min(N, Q) =
 * sum_(k<Q) P(N > k) interactions per customer; the rest is refused. */
static void test_hard_cap_serves_expected_minimum(void **state)
{
    (void)state;
    const char *sets[] = { "customers.churn_monthly=0", "customers.new_per_month=0", "customers.initial=2000",
                           "horizon_months=2", "replications=20" };
    run_result r;
    summary sm;
    simulate_variant("plans:\n  - { name: a, price: 10 }\n  - { name: q, price: 10, quota: 8, hard_cap: true }\n",
                     NULL, sets, 5, &r, &sm);
    double want = 0;
    for (unsigned k = 0; k < 8; k++)
        want += gsl_cdf_poisson_Q(k, 10);
    /* the cap is reached at the 8th arrival, T ~ Gamma(8, 1/10) months:
     * E[T | T <= 1] = (Q / L) P(Gamma(Q + 1) <= 1) / P(Gamma(Q) <= 1), in 30-day days */
    double day = 30 * (8.0 / 10) * gsl_cdf_gamma_P(1, 9, 0.1) / gsl_cdf_gamma_P(1, 8, 0.1);
    double reach = 100 * gsl_cdf_gamma_P(1, 8, 0.1);
    for (int m = 0; m < s.horizon; m++) {
        const ts_stat *d = sum_month(&sm, 1, m, MET_LIMIT_DAY), *rr = sum_month(&sm, 1, m, MET_LIMIT_REACHED);
        assert_within_sigma(d->mean, day, d->se, 4);
        assert_within_sigma(rr->mean, reach, rr->se, 4);
    }
    for (int m = 0; m < s.horizon; m++) {
        const ts_stat *n = sum_month(&sm, 1, m, MET_INTERACTIONS);
        assert_within_sigma(n->mean / 2000, want, n->se / 2000, 4);
        const ts_stat *ref = sum_month(&sm, 1, m, MET_REFUSED);
        assert_within_sigma(ref->mean / 2000, 10 - want, ref->se / 2000, 4);
        /* the plan without a quota serves the whole demand */
        assert_within_sigma(sum_month(&sm, 0, m, MET_INTERACTIONS)->mean / 2000, 10,
                            sum_month(&sm, 0, m, MET_INTERACTIONS)->se / 2000, 4);
    }
    summary_free(&sm);
    run_result_free(&r);
}

/* Free customers convert with probability c at each month's end: in month
 * m (0-based) a share 1 - (1 - c)^m of the starting customers pays. */
static void test_conversion_follows_geometric_law(void **state)
{
    (void)state;
    const char *sets[] = { "customers.churn_monthly=0", "customers.new_per_month=0", "customers.initial=2000",
                           "horizon_months=4", "replications=20" };
    run_result r;
    summary sm;
    simulate_variant("plans:\n  - { name: a, price: 10 }\n  - { name: f, price: 10, free_tier: true, conversion: 0.2 }\n",
                     NULL, sets, 5, &r, &sm);
    for (int m = 0; m < s.horizon; m++) {
        const ts_stat *free = sum_month(&sm, 1, m, MET_FREE);
        assert_within_sigma(free->mean, 100 * pow(0.8, m), free->se + 1e-9, 4);
        /* revenue is $10 for each paying customer */
        const ts_stat *rev = sum_month(&sm, 1, m, MET_REVENUE);
        assert_within_sigma(rev->mean, 10 * 2000 * (1 - pow(0.8, m)), rev->se + 1e-9, 4);
    }
    summary_free(&sm);
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_result_for_any_thread_count),
        cmocka_unit_test(test_customers_follow_arrivals_and_churn),
        cmocka_unit_test(test_interactions_and_cost),
        cmocka_unit_test(test_top_share_matches_power_law),
        cmocka_unit_test(test_sampling_keeps_the_mean),
        cmocka_unit_test(test_append_equals_one_run),
        cmocka_unit_test(test_hard_cap_serves_expected_minimum),
        cmocka_unit_test(test_conversion_follows_geometric_law),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
