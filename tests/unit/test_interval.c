/* test_interval.c: the 95% interval methods (interval.c), the usage law's
 * band moments and record (usage_moments.c, lawvar.c), the heavy-tail
 * diagnosis (tail.c) and compare's unpaired interval.
 *
 * Hand-worked sample: x = 1, 2, 3, 4, 10 (mean 4, deviations -3 -2 -1 0 6,
 * sum of squares 50, s^2 = 12.5, se = sqrt(12.5 / 5) = 1.58114); with
 * demand d = 1, 1, 2, 2, 4 (mean 2). Coverage checks follow testutil.h:
 * within 4 binomial standard errors of a closed form. */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <string.h>

#include "models/usage_laws.h"
#include "models/usage_moments.h"
#include "sim/analysis/compare.h"
#include "sim/engine/interval.h"
#include "sim/engine/stats.h"
#include "sim/engine/tail.h"

static const double hx[5] = { 1, 2, 3, 4, 10 }, hd[5] = { 1, 1, 2, 2, 4 };

static void test_t_hand_worked(void **state)
{
    (void)state;
    ts_interval r = interval_t(hx, 5);
    assert_close(r.mean, 4, 1e-15);
    assert_close(r.se, sqrt(12.5 / 5), 1e-15);
    /* t_4 at 0.975 = 2.776445 (tables), times se 1.581139 */
    assert_close(r.below, 2.7764451051977987 * sqrt(2.5), 1e-12);
    assert_close(r.above, r.below, 0);
    assert_int_equal(r.method, INTERVAL_T);
}

static void test_hall_hand_worked(void **state)
{
    (void)state;
    /* m2 = 50/5 = 10, m3 = (-27 - 8 - 1 + 0 + 216)/5 = 36, g = 36 / 10^1.5 = 1.138420;
     * a = g / (3 sqrt 5) = 0.1697056, b = g / (6 sqrt 5) = 0.0848528;
     * below = se (cbrt(1 + 3a(t - b)) - 1)/a = 1.581139 x 1.964097 = 3.105588,
     * above = -se (cbrt(1 + 3a(-t - b)) - 1)/a = 1.581139 x 10.430522 = 16.492060 */
    ts_interval r = interval_hall(hx, 5);
    assert_close(r.skew, 36 / pow(10, 1.5), 1e-12);
    assert_close(r.below, 3.1055883121769727, 1e-9);
    assert_close(r.above, 16.492059666949793, 1e-9);
    assert_int_equal(r.method, INTERVAL_HALL);
    /* a symmetric sample: no skewness, Hall is Student's t */
    const double sym[5] = { 1, 2, 3, 4, 5 };
    ts_interval h = interval_hall(sym, 5), t = interval_t(sym, 5);
    assert_close(h.below, t.below, 1e-12);
    assert_close(h.above, t.above, 1e-12);
}

static void test_law_hand_worked(void **state)
{
    (void)state;
    /* sum (x - 4)(d - 2) = 3 + 2 + 0 + 0 + 12 = 17, sum (d - 2)^2 = 6, beta = 17/6;
     * residuals -1/6, 5/6, -1, 0, 1/3: sum of squares 66/36.
     * var_d = 2 of which 1.5 known: A = (289/36)(1.5)/5, B = (289/36)(0.5)/5,
     * C = (66/36)/3/5; A + B + C = 10/3; df = (10/3)^2 / (B^2/4 + C^2/3) = 66.8971 */
    ts_interval r = interval_law(hx, hd, 5, 2.0, 1.5, 5);
    double A = 289.0 / 36 * 1.5 / 5, B = 289.0 / 36 * 0.5 / 5, C = 66.0 / 36 / 3 / 5;
    assert_close(r.se, sqrt(10.0 / 3), 1e-12);
    assert_close(r.df, (A + B + C) * (A + B + C) / (B * B / 4 + C * C / 3), 1e-12);
    assert_close(r.df, 66.8971417731614, 1e-9);
    assert_close(r.below, gsl_cdf_tdist_Pinv(0.975, r.df) * sqrt(10.0 / 3), 1e-12);
    assert_close(r.above, r.below, 0);
    assert_int_equal(r.method, INTERVAL_LAW);
    /* with the demand's own spread (s_d^2 = 6/4) as its variance, the law
     * interval's variance is the sample's but for the residual's k - 2:
     * se^2 = s^2/k + sum e^2 (1/(k-2) - 1/(k-1)) / k */
    ts_interval own = interval_law(hx, hd, 5, 1.5, 0, 5);
    assert_close(own.se * own.se, 12.5 / 5 + 66.0 / 36 * (1.0 / 3 - 1.0 / 4) / 5, 1e-12);
}

/* Student's t on normal samples covers exactly 95%. */
static void test_t_covers_normal_means(void **state)
{
    (void)state;
    int n = test_draws(40000), cover = 0;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    double x[10];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < 10; j++)
            x[j] = gsl_ran_gaussian(g, 1);
        ts_interval r = interval_t(x, 10);
        cover += r.mean - r.below <= 0 && 0 <= r.mean + r.above;
    }
    assert_within_sigma((double)cover / n, 0.95, sqrt(0.95 * 0.05 / n), 4);
    gsl_rng_free(g);
}

/* The law interval of the mean of k = 20 exponential(1) values whose
 * variance (1) the law gives exactly: x = d, so beta = 1, no residual and
 * the interval is m -+ 1.96 / sqrt 20. Its coverage is exact from the
 * Gamma(20, 1) law of the sum S: P(20 - 1.96 sqrt 20 <= S <= 20 + 1.96 sqrt 20),
 * about 94.6% (the skewness costs a little on one side). */
static void test_law_covers_skewed_means_as_the_gamma_law_says(void **state)
{
    (void)state;
    int n = test_draws(40000), cover = 0, k = 20;
    double z = gsl_cdf_ugaussian_Pinv(0.975), h = z * sqrt(k);
    double want = gsl_cdf_gamma_P(k + h, k, 1) - gsl_cdf_gamma_P(k - h, k, 1);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    double x[20];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++)
            x[j] = gsl_ran_exponential(g, 1);
        ts_interval r = interval_law(x, x, k, 1, 1, k);
        cover += r.mean - r.below <= 1 && 1 <= r.mean + r.above;
    }
    assert_within_sigma((double)cover / n, want, sqrt(want * (1 - want) / n), 4);
    gsl_rng_free(g);
}

/* On small exponential samples Hall's correction comes closer to 95% than
 * Student's t, whose misses all pile up on one side. */
static void test_hall_corrects_skewness(void **state)
{
    (void)state;
    int n = test_draws(40000), ct = 0, ch = 0;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    double x[10];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < 10; j++)
            x[j] = gsl_ran_exponential(g, 1);
        ts_interval t = interval_t(x, 10), h = interval_hall(x, 10);
        ct += t.mean - t.below <= 1 && 1 <= t.mean + t.above;
        ch += h.mean - h.below <= 1 && 1 <= h.mean + h.above;
    }
    double se = sqrt(0.95 * 0.05 / n);
    assert_true(fabs((double)ch / n - 0.95) + 2 * se < fabs((double)ct / n - 0.95));
    gsl_rng_free(g);
}

/* Band moments against the closed forms of Pareto and lognormal partial
 * moments: Pareto(a, m) capped at H, Z = 1 - (m/H)^a,
 *   int_0^p Q^k = m^k (1 - (1 - pZ)^(1 - k/a)) / (Z (1 - k/a));
 * lognormal(mu, s): int_0^p Q^k = e^(k mu + k^2 s^2/2) Phi(z_p - k s), and
 * Q(u) Q(1 - u) = e^(2 mu) for every u. */
static double pareto_g(double k, double p)
{
    double a = 1.5, m = 1, Z = 1 - pow(m / 20000, a), e = 1 - k / a;
    return pow(m, k) * (1 - pow(1 - p * Z, e)) / (Z * e);
}

static usage_dist law(const char *name)
{
    usage_dist u;
    memset(&u, 0, sizeof u);
    u.kind = usage_law_find(name);
    assert_true(u.kind >= 0);
    u.bounds.from[0] = 0.5, u.bounds.from[1] = 0.8, u.bounds.from[2] = 0.95;
    if (!strcmp(name, "pareto")) {
        usage_pareto_params *q = usage_params(&u);
        q->alpha = 1.5, q->xmin = 1, q->cap = 20000;
    } else {
        usage_lognormal_params *q = usage_params(&u);
        q->mean = 30, q->sigma = 2;
    }
    const char *what;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(usage_dist_prepare(&u, &what, &e), TS_OK);
    return u;
}

static void test_band_moments_closed_forms(void **state)
{
    (void)state;
    usage_dist p = law("pareto"), l = law("lognormal");
    double l_mu = ((const usage_lognormal_params *)usage_params_c(&l))->mu;
    const double bands[4][2] = { { 0, 1 }, { 0.2, 0.7 }, { 0.999, 0.9995 }, { 0.9995, 1 } };
    for (int i = 0; i < 4; i++) {
        double a = bands[i][0], b = bands[i][1];
        for (int k = 1; k <= 2; k++) {
            assert_close(usage_dist_band_moment(&p, k, a, b), (pareto_g(k, b) - pareto_g(k, a)) / (b - a), 1e-9);
            double ek = exp(k * l_mu + k * k * 4 / 2.0);
            double ga = a > 0 ? ek * gsl_cdf_ugaussian_P(gsl_cdf_ugaussian_Pinv(a) - 2 * k) : 0;
            double gb = b < 1 ? ek * gsl_cdf_ugaussian_P(gsl_cdf_ugaussian_Pinv(b) - 2 * k) : ek;
            /* the draws stop at p = 1 - 2^-53, so the lognormal's farthest tail is cut: 1e-4 */
            assert_close(usage_dist_band_moment(&l, k, a, b), (gb - ga) / (b - a), 1e-4);
        }
        assert_close(usage_dist_band_mirror(&l, a, b), exp(2 * l_mu), 1e-9);
    }
    /* no cap and alpha <= 2: no finite variance */
    usage_dist u = p;
    ((usage_pareto_params *)usage_params(&u))->cap = 0;
    assert_true(isinf(usage_dist_band_moment(&u, 2, 0, 1)));
    assert_true(isnan(tail_half_variance_share(&u)));
}

/* Uncapped Pareto(3, 1): mu = 3/2, V = 3/4, and the variance above x is
 *   W(x) = int_x^inf (t - mu)^2 3 t^-4 dt = 3/x - 3 mu/x^2 + mu^2/x^3;
 * q = x^-3 at W(x) = V/2, solved here by bisection. */
static void test_half_variance_share(void **state)
{
    (void)state;
    usage_dist u = law("pareto");
    usage_pareto_params *q = usage_params(&u);
    q->alpha = 3, q->cap = 0;
    double mu = 1.5, lo = 1, hi = 1e6;
    for (int i = 0; i < 200; i++) {
        double x = (lo + hi) / 2, w = 3 / x - 3 * mu / (x * x) + mu * mu / (x * x * x);
        if (w > 0.375)
            lo = x;
        else
            hi = x;
    }
    assert_close(tail_half_variance_share(&u), pow(lo, -3), 1e-3);
}

static const char *const base =
    "name: law record\n"
    "horizon_months: 3\n"
    "replications: 4\n"
    "seed: 5\n"
    "prices: { models: [ { name: m, input_per_mtok: 1, output_per_mtok: 1 } ] }\n"
    "customers: { initial: 500, new_per_month: 0, churn_monthly: 0 }\n"
    "usage: { distribution: pareto, alpha: 1.5, min: 1, cap: 20000 }\n"
    "features: [ { name: f, model: m, tokens: { user: 1000000 } } ]\n"
    "plans:\n"
    "  - { name: flat, type: flat, price: 30 }\n"
    "  - { name: twin, type: flat, price: 30, target_margin: 0.8 }\n";

static void simulate(const char *const *sets, int nsets, scenario *s, run_result *r)
{
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(scenario_load_string(s, base, "law.yaml", sets, nsets, &e), TS_OK);
    engine_opts o = { 1, 0, s->replications, NULL, NULL, NULL };
    assert_int_equal(engine_run(s, &o, r, &e), TS_OK);
}

/* 500 customers, no churn: every month, V = 500 v and E = 500 mu (v, mu the
 * law's, closed forms above); over the 3 months each customer's exposure
 * is 3, so V = 500 x 9 v. Stratified: V = sum of the 500 strata's variances. */
static void test_law_record(void **state)
{
    (void)state;
    static scenario s;
    run_result r;
    simulate(NULL, 0, &s, &r);
    double mu = pareto_g(1, 1), v = pareto_g(2, 1) - mu * mu;
    for (int i = 0; i < r.nreps; i++) {
        for (int m = 0; m < 3; m++) {
            assert_close(run_law(&r, i, m)[LAW_V], 500 * v, 1e-6);
            assert_close(run_law(&r, i, m)[LAW_E], 500 * mu, 1e-6);
        }
        assert_close(run_law(&r, i, 3)[LAW_V], 500 * 9 * v, 1e-6);
        assert_close(run_law(&r, i, 3)[LAW_E], 500 * 3 * mu, 1e-6);
    }
    run_result_free(&r);
    const char *strat[] = { "sampling.intensities=stratified" };
    simulate(strat, 1, &s, &r);
    double sum = 0;
    for (int h = 0; h < 500; h++) {
        double a = h / 500.0, b = (h + 1) / 500.0;
        double m1 = (pareto_g(1, b) - pareto_g(1, a)) * 500, m2 = (pareto_g(2, b) - pareto_g(2, a)) * 500;
        sum += m2 - m1 * m1;
    }
    assert_close(run_law(&r, 0, 0)[LAW_V], sum, 1e-4);
    assert_true(sum < 500 * v);
    run_result_free(&r);
}

/* The diagnosis: the Pareto's heaviest 0.1% make, with their threshold
 * x = Q(0.999) = (1 - 0.999 Z)^(-2/3) (about 100),
 *   S = (H^-0.5 - x^-0.5) / (H^-0.5 - 1) = 9.36% of the usage: heavy. */
static void test_tail_warning(void **state)
{
    (void)state;
    static scenario s;
    run_result r;
    const char *sets[] = { "replications=20", "horizon_months=1" };
    simulate(sets, 2, &s, &r);
    tail_report t;
    tail_check(&s, &r, &t);
    double H = pow(20000, -0.5), x = pow(1 - 0.999 * (1 - pow(20000, -1.5)), -2.0 / 3);
    assert_close(t.top_share, (H - pow(x, -0.5)) / (H - 1), 1e-9);
    assert_true(t.heavy);
    assert_int_equal(t.replications, 20);
    assert_true(t.needed >= ceil(3 / (500 * t.q_half)));
    char w[768];
    tail_describe(&t, w, sizeof w);
    assert_non_null(strstr(w, "heavy tail: the heaviest 0.1% of customers make 9.36% of the usage"));
    assert_non_null(strstr(w, "replications (this run has 20)"));
    run_result_free(&r);
    /* capped at twice its minimum, the law has no tail to warn of */
    const char *flat[] = { "replications=20", "horizon_months=1", "usage.cap=2" };
    simulate(flat, 3, &s, &r);
    tail_check(&s, &r, &t);
    assert_false(t.heavy);
    tail_describe(&t, w, sizeof w);
    assert_string_equal(w, "");
    run_result_free(&r);
}

/* Two plans with the same price: their margins are equal in every
 * replication, so the paired difference has no variance; the unpaired
 * interval still has the plans' own widths (it printed [+0.00, +0.00]). */
static void test_compare_unpaired_with_zero_variance(void **state)
{
    (void)state;
    static scenario s;
    run_result r;
    summary sm;
    const char *sets[] = { "replications=10" };
    simulate(sets, 1, &s, &r);
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(summary_build(&r, &sm, &e), TS_OK);
    const ts_stat *d = &sm.pair_margin[1], *a = sum_total(&sm, 0, TOT_MARGIN), *b = sum_total(&sm, 1, TOT_MARGIN);
    assert_true(d->se == 0 && d->ci_lo == d->ci_hi);
    assert_true(a->ci_hi > a->ci_lo);
    double lo, hi;
    compare_unpaired(a, b, &lo, &hi);
    /* equal plans: each side is sqrt 2 times the plan's own */
    assert_close(lo, sqrt(2) * (a->mean - a->ci_lo), 1e-12);
    assert_close(hi, sqrt(2) * (a->ci_hi - a->mean), 1e-12);
    /* hand-worked: a 50 [49, 51], b 50 [48, 52]: sqrt(1 + 4) on both sides */
    ts_stat x = { .mean = 50, .ci_lo = 49, .ci_hi = 51 }, y = { .mean = 50, .ci_lo = 48, .ci_hi = 52 };
    compare_unpaired(&x, &y, &lo, &hi);
    assert_close(lo, sqrt(5), 1e-15);
    assert_close(hi, sqrt(5), 1e-15);
    summary_free(&sm);
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_hand_worked),
        cmocka_unit_test(test_hall_hand_worked),
        cmocka_unit_test(test_law_hand_worked),
        cmocka_unit_test(test_t_covers_normal_means),
        cmocka_unit_test(test_law_covers_skewed_means_as_the_gamma_law_says),
        cmocka_unit_test(test_hall_corrects_skewness),
        cmocka_unit_test(test_band_moments_closed_forms),
        cmocka_unit_test(test_half_variance_share),
        cmocka_unit_test(test_law_record),
        cmocka_unit_test(test_tail_warning),
        cmocka_unit_test(test_compare_unpaired_with_zero_variance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
