/* test_randist.c: the Poisson and binomial samplers against their exact
 * probability mass functions (GSL's), by a chi-square goodness-of-fit test
 * that fails at p < 1e-4, and their means within 4 standard errors, for
 * parameters on both sides of the inversion/rejection switch. */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <string.h>

#include "models/randist.h"
#include "sim/engine/rng.h"

/* Chi-square over bins k = 0..K with expected count >= 5, tails pooled. */
static double chi2_p(const double *obs_k, int n, double (*pmf)(unsigned, double, double), double a1, double a2,
                     int kmax)
{
    double chi = 0, exp_left = 0, obs_left = 0, cum_p = 0;
    int bins = 0;
    for (int k = 0; k <= kmax; k++) {
        double pk = pmf((unsigned)k, a1, a2);
        cum_p += pk;
        exp_left += n * pk;
        obs_left += obs_k[k];
        if (exp_left >= 5) {
            chi += (obs_left - exp_left) * (obs_left - exp_left) / exp_left;
            bins++;
            exp_left = obs_left = 0;
        }
    }
    double tail_exp = n * (1 - cum_p) + exp_left, tail_obs = obs_left;
    for (int k = kmax + 1; k < 100000; k++)
        tail_obs += obs_k[k];
    if (tail_exp > 0) {
        chi += (tail_obs - tail_exp) * (tail_obs - tail_exp) / tail_exp;
        bins++;
    }
    return gsl_cdf_chisq_Q(chi, bins - 1);
}

static double poisson_pmf(unsigned k, double mu, double unused)
{
    (void)unused;
    return gsl_ran_poisson_pdf(k, mu);
}

static double binomial_pmf(unsigned k, double p, double n)
{
    return gsl_ran_binomial_pdf(k, p, (unsigned)n);
}

static double *counts;

static void test_log_factorial(void **state)
{
    (void)state;
    for (int k = 0; k < 2000; k++)
        assert_close(ts_log_factorial(k), gsl_sf_lnfact((unsigned)k), 1e-12);
}

static void test_poisson(void **state)
{
    (void)state;
    const double mus[] = { 0.3, 3, 9.9, 10, 47.5, 1000, 123456 };
    int n = test_draws(200000);
    counts = calloc(100000 + 1, sizeof *counts);
    for (size_t j = 0; j < sizeof mus / sizeof mus[0]; j++) {
        double mu = mus[j];
        gsl_rng *r = ts_rng_create(21, j);
        memset(counts, 0, (100000 + 1) * sizeof *counts);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double k = ts_ran_poisson(r, mu);
            sum += k;
            if (mu < 10000)
                counts[(int)k]++;
        }
        assert_within_sigma(sum / n, mu, sqrt(mu / n), 4);
        if (mu < 10000) {
            double p = chi2_p(counts, n, poisson_pmf, mu, 0, (int)(mu + 8 * sqrt(mu) + 10));
            if (p < 1e-4)
                print_error("poisson(%g): chi-square p = %g\n", mu, p);
            assert_true(p >= 1e-4);
        }
        gsl_rng_free(r);
    }
    free(counts);
}

static void test_binomial(void **state)
{
    (void)state;
    const double cases[][2] = { { 0.3, 10 }, { 0.05, 150 }, { 0.2, 60 }, { 0.5, 1000 }, { 0.8, 400 },
                                { 0.01, 5000 }, { 0.999, 30 } };
    int n = test_draws(200000);
    counts = calloc(100000 + 1, sizeof *counts);
    for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
        double p = cases[j][0], m = cases[j][1];
        gsl_rng *r = ts_rng_create(22, j);
        memset(counts, 0, (100000 + 1) * sizeof *counts);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double k = ts_ran_binomial(r, p, m);
            assert_true(k >= 0 && k <= m && k == floor(k));
            sum += k;
            counts[(int)k]++;
        }
        assert_within_sigma(sum / n, m * p, sqrt(m * p * (1 - p) / n), 4);
        double pv = chi2_p(counts, n, binomial_pmf, p, m, (int)m);
        if (pv < 1e-4)
            print_error("binomial(%g, %g): chi-square p = %g\n", m, p, pv);
        assert_true(pv >= 1e-4);
        gsl_rng_free(r);
    }
    free(counts);
    gsl_rng *r = ts_rng_create(23, 0);
    assert_true(ts_ran_binomial(r, 0, 50) == 0);
    assert_true(ts_ran_binomial(r, 1, 50) == 50);
    assert_true(ts_ran_binomial(r, 0.5, 0) == 0);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_factorial),
        cmocka_unit_test(test_poisson),
        cmocka_unit_test(test_binomial),
    };
    return cmocka_run_group_tests_name("randist", tests, NULL, NULL);
}
