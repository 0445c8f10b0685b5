/* test_dist.c: the laws of uncertain inputs (models/dist_*.c): triangular
 * and PERT draws against their closed-form mean and variance within 4
 * standard errors, quantiles against the laws' own CDFs, truncation and
 * support kept, the discrete law's frequencies. */
#include "testutil.h"

#include <gsl/gsl_cdf.h>

#include "models/dist.h"
#include "sim/engine/rng.h"

/* Sample mean and variance of n draws of f, checked against the closed-form
 * mean m and variance v: the mean's standard error is sqrt(v / n); the
 * sample variance's is sqrt((mu4 - v^2) / n), mu4 the fourth central
 * moment, bounded here by the sample's own. */
static void check_moments(double (*f)(const gsl_rng *, const double *), const double *p, double m, double v)
{
    int n = test_draws(200000);
    double *x = malloc((size_t)n * sizeof *x);
    assert_non_null(x);
    gsl_rng *r = ts_rng_create(42, 7);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += x[i] = f(r, p);
    double mean = sum / n, s2 = 0, s4 = 0;
    for (int i = 0; i < n; i++) {
        double d = x[i] - mean;
        s2 += d * d;
        s4 += d * d * d * d;
    }
    s2 /= n - 1;
    s4 /= n;
    assert_within_sigma(mean, m, sqrt(v / n), 4);
    assert_within_sigma(s2, v, sqrt((s4 - s2 * s2) / n), 4);
    gsl_rng_free(r);
    free(x);
}

static double tri(const gsl_rng *r, const double *p)
{
    return ts_ran_triangular(r, p[0], p[1], p[2]);
}

static double pert(const gsl_rng *r, const double *p)
{
    return ts_ran_pert(r, p[0], p[1], p[2], p[3]);
}

static void test_triangular(void **state)
{
    (void)state;
    const double cases[][3] = { { 0, 0.3, 1 }, { 2, 2, 5 }, { -1, 4, 4 }, { 0.01, 0.03, 0.08 } };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        double a = cases[k][0], c = cases[k][1], b = cases[k][2];
        /* closed form: mean (a+b+c)/3, variance (a^2+b^2+c^2-ab-ac-bc)/18 */
        check_moments(tri, cases[k], (a + b + c) / 3, (a * a + b * b + c * c - a * b - a * c - b * c) / 18);
    }
}

static void test_pert(void **state)
{
    (void)state;
    const double cases[][4] = { { 0, 0.3, 1, 4 }, { 0.02, 0.04, 0.1, 4 }, { 10, 12, 30, 4 }, { 0, 0.5, 1, 2 } };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        double a = cases[k][0], c = cases[k][1], b = cases[k][2], l = cases[k][3];
        /* closed form: mean (a + l c + b)/(l + 2), variance (mean - a)(b - mean)/(l + 3) */
        double m = (a + l * c + b) / (l + 2);
        check_moments(pert, cases[k], m, (m - a) * (b - m) / (l + 3));
    }
}

static void test_quantiles(void **state)
{
    (void)state;
    for (double u = 0.05; u < 1; u += 0.1) {
        /* uniform and triangular by their CDFs written out */
        assert_close(ts_dist_uniform_Pinv(u, 2, 6), 2 + 4 * u, 1e-12);
        double x = ts_dist_triangular_Pinv(u, 0, 0.25, 1);
        double F = x <= 0.25 ? x * x / 0.25 : 1 - (1 - x) * (1 - x) / 0.75;
        assert_close(F, u, 1e-9);
        /* PERT(0, 0.25, 1, 4) is Beta(2, 4) */
        assert_close(gsl_cdf_beta_P(ts_dist_pert_Pinv(u, 0, 0.25, 1, 4), 2, 4), u, 1e-6);
        assert_close(gsl_cdf_lognormal_P(ts_dist_lognormal_Pinv(u, 0.5, 0.3), 0.5, 0.3), u, 1e-9);
        /* truncated normal: F(x) = (Phi(x) - Phi(l)) / (Phi(h) - Phi(l)) */
        double t = ts_dist_truncnormal_Pinv(u, 0, 1, -0.5, 2);
        double Pl = gsl_cdf_ugaussian_P(-0.5), Ph = gsl_cdf_ugaussian_P(2);
        assert_close((gsl_cdf_ugaussian_P(t) - Pl) / (Ph - Pl), u, 1e-9);
        /* far in the upper tail the mirrored form keeps precision */
        double z = ts_dist_truncnormal_Pinv(u, 0, 1, 9, INFINITY);
        assert_true(z >= 9 && z < 11);
        assert_close(gsl_cdf_ugaussian_Q(z) / gsl_cdf_ugaussian_Q(9), 1 - u, 1e-6);
    }
    assert_true(ts_dist_truncnormal_Pinv(1e-300, 0.05, 1, 0, 1) >= 0);
    assert_true(ts_dist_truncnormal_Pinv(1 - 1e-16, 0.05, 1, 0, 1) <= 1);
}

static void test_discrete(void **state)
{
    (void)state;
    const double v[] = { 1, 2, 3 }, w[] = { 1, 0, 3 };
    assert_true(ts_dist_discrete_Pinv(0.2, v, w, 3) == 1);
    assert_true(ts_dist_discrete_Pinv(0.25, v, w, 3) == 1);
    assert_true(ts_dist_discrete_Pinv(0.26, v, w, 3) == 3);
    int n = test_draws(100000), ones = 0;
    gsl_rng *r = ts_rng_create(3, 1);
    for (int i = 0; i < n; i++) {
        double x = ts_ran_discrete_values(r, v, w, 3);
        assert_true(x == 1 || x == 3);
        ones += x == 1;
    }
    /* binomial(n, 1/4): standard error sqrt(p q / n) */
    assert_within_sigma((double)ones / n, 0.25, sqrt(0.25 * 0.75 / n), 4);
    gsl_rng_free(r);
}

static void test_check(void **state)
{
    (void)state;
    char msg[160];
    ts_dist d = { .kind = DIST_PERT, .min = 0, .mode = 2, .max = 1, .lambda = 4 };
    assert_non_null(ts_dist_check(&d, msg, sizeof msg));
    d.mode = 0.5;
    assert_null(ts_dist_check(&d, msg, sizeof msg));
    double lo, hi;
    ts_dist_support(&d, &lo, &hi);
    assert_true(lo == 0 && hi == 1);
    d = (ts_dist){ .kind = DIST_LOGNORMAL, .mu = 0, .sigma = 0 };
    assert_non_null(ts_dist_check(&d, msg, sizeof msg));
    d = (ts_dist){ .kind = DIST_DISCRETE, .n = 2, .v = { 1, 2 }, .w = { 0, 0 } };
    assert_non_null(ts_dist_check(&d, msg, sizeof msg));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_triangular), cmocka_unit_test(test_pert), cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_discrete), cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests_name("dist", tests, NULL, NULL);
}
