/* test_fit.c: the power-law fit of fit.c and fit_alt.c and the timestamp
 * reader of sim/data, against closed forms, a direct evaluation written
 * here, and their nominal coverage over many seeds. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_zeta.h>
#include <stdint.h>
#include <string.h>

#include "testutil.h"
#include "sim/analysis/fit.h"
#include "sim/data/reader.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Coverage of alpha +- se at the true xmin, continuous Pareto: the share
 * of seeds within one standard error should be 68.3%; over S seeds its
 * own standard error is sqrt(0.683 * 0.317 / S), and 4 of them are allowed. */
static void test_pareto_coverage(void **state)
{
    (void)state;
    int seeds = test_draws(200), n = 2000, hit = 0;
    const double alpha = 2.5, xmin = 1;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *x = malloc(n * sizeof *x);
    for (int s = 0; s < seeds; s++) {
        gsl_rng_set(r, 1000 + s);
        double sl = 0;
        for (int i = 0; i < n; i++) {
            x[i] = gsl_ran_pareto(r, alpha - 1, xmin);   /* density ~ x^-(a+1) with a = alpha - 1 */
            sl += log(x[i]);
        }
        double a = fit_alpha_mle(false, n, sl, xmin), se = fit_alpha_se(false, n, a, xmin);
        hit += fabs(a - alpha) <= se;
    }
    assert_within_sigma((double)hit / seeds, 0.6827, sqrt(0.6827 * 0.3173 / seeds), 4);
    /* the scan finds xmin near the true one on a pure Pareto sample */
    qsort(x, n, sizeof *x, cmp);
    fit_powerlaw pl;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(fit_powerlaw_scan(x, n, false, &pl, NULL, &e), 0);
    assert_true(pl.xmin < 2.0);
    assert_within_sigma(pl.alpha, alpha, pl.se, 4);
    free(x);
    gsl_rng_free(r);
}

/* The alternatives' parameters: lognormal mu (se sigma/sqrt n) and the
 * exponential's lambda (se lambda/sqrt n, the MLE's asymptotic error),
 * fitted above an xmin below every point, so the truncation is void. */
static void test_alternatives_coverage(void **state)
{
    (void)state;
    int seeds = test_draws(100), n = 2000, hit_mu = 0, hit_lambda = 0;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *x = malloc(n * sizeof *x);
    fit_powerlaw pl = { .discrete = false, .alpha = 2, .xmin = 1e-9 };
    fit_alt alt[ALT_COUNT];
    for (int s = 0; s < seeds; s++) {
        gsl_rng_set(r, 5000 + s);
        for (int i = 0; i < n; i++)
            x[i] = gsl_ran_lognormal(r, 1.0, 0.5);
        qsort(x, n, sizeof *x, cmp);
        fit_alternatives(x, n, &pl, alt);
        hit_mu += fabs(alt[ALT_LOGNORMAL].par[0] - 1.0) <= 0.5 / sqrt(n);
        for (int i = 0; i < n; i++)
            x[i] = gsl_ran_exponential(r, 1 / 0.2);        /* lambda 0.2 */
        qsort(x, n, sizeof *x, cmp);
        fit_alternatives(x, n, &pl, alt);
        hit_lambda += fabs(alt[ALT_EXPONENTIAL].par[0] - 0.2) <= 0.2 / sqrt(n);
    }
    assert_within_sigma((double)hit_mu / seeds, 0.6827, sqrt(0.6827 * 0.3173 / seeds), 4);
    assert_within_sigma((double)hit_lambda / seeds, 0.6827, sqrt(0.6827 * 0.3173 / seeds), 4);
    free(x);
    gsl_rng_free(r);
}

/* Vuong's test at large n picks the law the sample came from. */
static void test_vuong(void **state)
{
    (void)state;
    int n = 20000;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    double *x = malloc(n * sizeof *x);
    fit_alt alt[ALT_COUNT];
    /* a Pareto tail: the power law beats the exponential and the lognormal is no better */
    for (int i = 0; i < n; i++)
        x[i] = gsl_ran_pareto(r, 1.5, 1.0);
    qsort(x, n, sizeof *x, cmp);
    double sl = 0;
    for (int i = 0; i < n; i++)
        sl += log(x[i]);
    fit_powerlaw pl = { .discrete = false, .xmin = 1.0, .alpha = fit_alpha_mle(false, n, sl, 1.0), .n = n, .ntail = n };
    fit_alternatives(x, n, &pl, alt);
    assert_true(alt[ALT_EXPONENTIAL].R > 0 && alt[ALT_EXPONENTIAL].p < 0.01);
    assert_false(alt[ALT_LOGNORMAL].R < 0 && alt[ALT_LOGNORMAL].p < 0.01);
    /* a lognormal sample above the same xmin: the lognormal wins */
    for (int i = 0; i < n; i++)
        x[i] = 1.0 + gsl_ran_lognormal(r, 1.0, 0.6);
    qsort(x, n, sizeof *x, cmp);
    sl = 0;
    for (int i = 0; i < n; i++)
        sl += log(x[i]);
    pl.alpha = fit_alpha_mle(false, n, sl, 1.0);
    fit_alternatives(x, n, &pl, alt);
    assert_true(alt[ALT_LOGNORMAL].R < 0 && alt[ALT_LOGNORMAL].p < 0.01);
    free(x);
    gsl_rng_free(r);
}

/* The discrete fit on a hand-made sample against a direct evaluation:
 * for every xmin, alpha maximising L(a) = -n ln zeta(a, xmin) - a sum ln x
 * by a grid of step 1e-4 refined to 1e-7, and D as CSN's plfit.m computes
 * it, at every integer from xmin to the largest value. */
static double direct_ks(const double *t, int n, double a, double xmin)
{
    double z0 = gsl_sf_hzeta(a, xmin), D = 0;
    for (double k = xmin; k <= t[n - 1]; k++) {
        int below = 0;
        for (int i = 0; i < n; i++)
            below += t[i] <= k;
        double P = 1 - gsl_sf_hzeta(a, k + 1) / z0;
        D = fmax(D, fabs((double)below / n - P));
    }
    return D;
}

static double direct_alpha(const double *t, int n, double xmin)
{
    double sl = 0;
    for (int i = 0; i < n; i++)
        sl += log(t[i]);
    double best = 0, bl = -INFINITY;
    for (double step = 1e-2, lo = 1.01, hi = 6; step >= 1e-7; step /= 10) {
        for (double a = lo; a <= hi; a += step) {
            double L = -n * log(gsl_sf_hzeta(a, xmin)) - a * sl;
            if (L > bl)
                bl = L, best = a;
        }
        lo = fmax(1.0001, best - step), hi = best + step;
    }
    return best;
}

static void test_discrete_direct(void **state)
{
    (void)state;
    double x[] = { 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 11, 13, 16, 20, 25, 34, 50,
                   71, 120 };
    int n = (int)(sizeof x / sizeof x[0]);
    double bestD = INFINITY, bx = 0, ba = 0;
    for (int i = 0; i + FIT_MIN_TAIL <= n; i++) {
        if (i && x[i] == x[i - 1])
            continue;
        double a = direct_alpha(x + i, n - i, x[i]), D = direct_ks(x + i, n - i, a, x[i]);
        if (D < bestD)
            bestD = D, bx = x[i], ba = a;
    }
    fit_powerlaw pl;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(fit_powerlaw_scan(x, n, true, &pl, NULL, &e), 0);
    assert_true(pl.xmin == bx);
    assert_within_sigma(pl.alpha, ba, 1e-5, 1);
    assert_within_sigma(pl.ks, bestD, 1e-4, 1);
    int i0 = 0;
    while (x[i0] < pl.xmin)
        i0++;
    assert_within_sigma(pl.ks, direct_ks(x + i0, n - i0, pl.alpha, pl.xmin), 1e-12, 1);
    /* the discrete draw by inversion: X = xmin exactly when u > S(xmin + 1)
     * = 1 - xmin^-a / zeta(a, xmin), and X >= 1000 exactly when
     * u <= S(1000) = zeta(a, 1000) / zeta(a, xmin) */
    double a = 2.2, q = 3, s1 = 1 - pow(q, -a) / gsl_sf_hzeta(a, q), s1000 = gsl_sf_hzeta(a, 1000) / gsl_sf_hzeta(a, q);
    assert_true(fit_pl_draw(true, a, q, s1 * (1 + 1e-9)) == q);
    assert_true(fit_pl_draw(true, a, q, s1 * (1 - 1e-9)) == q + 1);
    assert_true(fit_pl_draw(true, a, q, s1000 * (1 - 1e-9)) >= 1000);
    assert_true(fit_pl_draw(true, a, q, s1000 * (1 + 1e-6)) == 999);
}

/* The bootstrap p-value on samples drawn from the law it tests: roughly
 * uniform, so its mean over seeds is near 1/2 (a cheap check: 20 seeds of
 * 50 sets; the mean of 20 uniforms has standard error 0.065), and the
 * same whatever the number of threads. */
static void test_bootstrap(void **state)
{
    (void)state;
    int seeds = 20, n = 200;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *x = malloc(n * sizeof *x), sum = 0;
    ts_error e;
    ts_error_clear(&e);
    for (int s = 0; s < seeds; s++) {
        gsl_rng_set(r, 900 + s);
        for (int i = 0; i < n; i++)
            x[i] = gsl_ran_pareto(r, 1.2, 1.0);
        qsort(x, n, sizeof *x, cmp);
        fit_powerlaw pl;
        assert_int_equal(fit_powerlaw_scan(x, n, false, &pl, NULL, &e), 0);
        assert_int_equal(fit_bootstrap(x, n, &pl, test_draws(50) < 10 ? 10 : test_draws(50), 11, 0, NULL, &e), 0);
        sum += pl.p;
        if (s == 0) {
            double p1 = pl.p;
            assert_int_equal(fit_bootstrap(x, n, &pl, test_draws(50) < 10 ? 10 : test_draws(50), 11, 1, NULL, &e), 0);
            assert_true(pl.p == p1);
        }
    }
    assert_within_sigma(sum / seeds, 0.5, sqrt(1.0 / 12 / seeds), 4);
    free(x);
    gsl_rng_free(r);
}

/* Timestamps: 2024-05-01 is 19844 days after 1970-01-01 (54 years with 13
 * leap days, then 31 + 29 + 31 + 30 days), so 1714521600 s. */
static void test_time(void **state)
{
    (void)state;
    double t;
    struct { const char *s; double want; } cases[] = {
        { "2024-05-01", 1714521600 },
        { "2024-05-01T00:00:00Z", 1714521600 },
        { "2024-05-01 02:00:00+02:00", 1714521600 },
        { "2024-05-01T02:00:00+0200", 1714521600 },
        { "2024-04-30T20:00:00-04", 1714521600 },
        { "2024-05-01T00:00:00.25", 1714521600.25 },
        { "2024-05-01 00:00:00.5000000", 1714521600.5 },
        { "1714521600", 1714521600 },
        { "2024-05", 1714521600 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(data_time_parse(cases[i].s, strlen(cases[i].s), &t));
        assert_within_sigma(t, cases[i].want, 1e-6, 1);
    }
    const char *bad[] = { "yesterday", "2024-13-01", "2024-05-01T25", "2024-05-01T00:00:00 UTC", "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(data_time_parse(bad[i], strlen(bad[i]), &t));
    /* May 2024 is month (2024 - 1970) * 12 + 4 */
    assert_int_equal(data_month_of(1714521600), 54 * 12 + 4);
    assert_int_equal(data_month_of(1714521600 - 1), 54 * 12 + 3);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_discrete_direct),
        cmocka_unit_test(test_pareto_coverage),
        cmocka_unit_test(test_alternatives_coverage),
        cmocka_unit_test(test_vuong),
        cmocka_unit_test(test_bootstrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
