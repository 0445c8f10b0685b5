/* test_shock.c: shocks in time (models/shock.h).
 *
 * The strength of a shock month by month against the linear ramp worked by
 * hand; "the top X% multiply their usage by k" against the law's closed
 * form: the mean intensity rises by (k - 1) S(X), S the share of usage the
 * heaviest X% hold, S = X^(1 - 1/alpha) for an uncapped Pareto and
 * S = Phi(sigma - z_(1-X)) for a lognormal. The sampled check is on
 * z = (f(x) - 1 - (k - 1) S) x, whose mean is 0, within 4 standard errors
 * of its sample standard deviation. */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <string.h>

#include "models/shock.h"
#include "models/usage_laws.h"
#include "sim/engine/rng.h"

static timed_shock usage_shock(double factor, double top, int start, int ramp, int end)
{
    timed_shock k;
    memset(&k, 0, sizeof k);
    k.type = SHOCK_USAGE, k.factor = factor, k.top = top, k.start = start, k.ramp = ramp, k.end = end;
    k.model_index = -1;
    return k;
}

/* start 3, ramp 4, end 8, factor 3: months 3..6 have 1/4, 2/4, 3/4, 1 of
 * it, so factors 1.5, 2, 2.5, 3; month 9 is back to 1. */
static void test_ramp(void **state)
{
    (void)state;
    timed_shock k = usage_shock(3, 1, 3, 4, 8);
    const double want[] = { 1, 1, 1.5, 2, 2.5, 3, 3, 3, 1, 1 };
    for (int t = 1; t <= 10; t++)
        assert_close(shock_factor(&k, t), want[t - 1], 1e-15);
    /* no ramp: all of it from the start month; no end: to the horizon */
    timed_shock at_once = usage_shock(0.7, 1, 12, 0, 0);
    assert_close(shock_factor(&at_once, 11), 1, 0);
    assert_close(shock_factor(&at_once, 12), 0.7, 1e-15);
    assert_close(shock_factor(&at_once, 600), 0.7, 1e-15);
    /* two shocks on the same customer multiply: 2 x 1.5 in month 5 */
    timed_shock two[2] = { usage_shock(2, 1, 1, 0, 0), usage_shock(3, 1, 3, 4, 0) };
    two[0].threshold = two[1].threshold = -INFINITY;
    assert_close(shock_usage_factor(two, 2, 5, 10), 2 * 2.5, 1e-15);
}

/* Model-price shocks reach every model or the one named, and multiply. */
static void test_model_prices(void **state)
{
    (void)state;
    timed_shock v[2];
    memset(v, 0, sizeof v);
    v[0] = (timed_shock){ .type = SHOCK_MODEL_PRICES, .factor = 1.5, .start = 12, .model_index = -1 };
    v[1] = (timed_shock){ .type = SHOCK_MODEL_PRICES, .factor = 2, .start = 1, .model_index = 1 };
    assert_close(shock_type_factor(v, 2, SHOCK_MODEL_PRICES, 0, 11), 1, 0);
    assert_close(shock_type_factor(v, 2, SHOCK_MODEL_PRICES, 0, 12), 1.5, 1e-15);
    assert_close(shock_type_factor(v, 2, SHOCK_MODEL_PRICES, 1, 12), 3, 1e-15);
    assert_close(shock_type_factor(v, 2, SHOCK_USAGE, 1, 12), 1, 0);
}

/* Draws n intensities; the mean of (f(x) - 1 - (k - 1) S) x must be 0. */
static void check_top(usage_dist *u, double top, double k, double S, uint64_t seed)
{
    ts_error e;
    ts_error_clear(&e);
    const char *what = NULL;
    u->bounds.from[0] = 0.5, u->bounds.from[1] = 0.8, u->bounds.from[2] = 0.95;
    int rc = usage_dist_prepare(u, &what, &e);
    if (rc)
        print_error("prepare failed on %s: %s\n", what, e.message);
    assert_int_equal(rc, TS_OK);
    timed_shock sh = usage_shock(k, top, 1, 0, 0);
    shock_prepare(&sh, u);
    /* the threshold is the law's own (1 - top) quantile */
    assert_close(sh.threshold, usage_dist_quantile(u, 1 - top), 1e-15);
    int n = test_draws(400000), seg;
    gsl_rng *r = ts_rng_create(seed, 0);
    double *z = malloc((size_t)n * sizeof *z);
    for (int i = 0; i < n; i++) {
        double x = usage_dist_draw(r, u, &seg);
        z[i] = (shock_usage_factor(&sh, 1, 1, x) - 1 - (k - 1) * S) * x;
    }
    assert_within_sigma(gsl_stats_mean(z, 1, (size_t)n), 0, gsl_stats_sd(z, 1, (size_t)n) / sqrt(n), 4);
    free(z);
    gsl_rng_free(r);
}

/* Pareto alpha 3 from 10 (finite variance): the top 5% hold
 * 0.05^(2/3) = 0.135720881 of usage; doubling them adds that share. */
static void test_top_pareto(void **state)
{
    (void)state;
    usage_dist u;
    memset(&u, 0, sizeof u);
    u.kind = usage_law_find("pareto");
    usage_pareto_params *p = usage_params(&u);
    p->alpha = 3, p->xmin = 10;
    double S = pow(0.05, 1 - 1 / 3.0);
    assert_close(S, 0.135720881, 1e-8);   /* by hand: exp(ln 0.05 x 2/3) */
    assert_close(usage_dist_top_share(&u, 0.05), S, 1e-12);
    check_top(&u, 0.05, 2, S, 11);
}

/* Lognormal of mean 40, sigma 1: the top 10% hold
 * Phi(1 - 1.2815516) = Phi(-0.2815516) = 0.389144 of usage; times 3. */
static void test_top_lognormal(void **state)
{
    (void)state;
    usage_dist u;
    memset(&u, 0, sizeof u);
    u.kind = usage_law_find("lognormal");
    usage_lognormal_params *p = usage_params(&u);
    p->mean = 40, p->sigma = 1;
    double S = gsl_cdf_ugaussian_P(1 - gsl_cdf_ugaussian_Pinv(0.9));
    assert_close(S, 0.389144, 1e-5);
    check_top(&u, 0.1, 3, S, 12);
}

/* top 1 reaches every customer, however light */
static void test_top_all(void **state)
{
    (void)state;
    usage_dist u;
    memset(&u, 0, sizeof u);
    u.kind = usage_law_find("pareto");
    usage_pareto_params *p = usage_params(&u);
    p->alpha = 3, p->xmin = 10;
    timed_shock sh = usage_shock(2, 1, 1, 0, 0);
    shock_prepare(&sh, &u);
    assert_close(shock_usage_factor(&sh, 1, 1, 10), 2, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ramp),
        cmocka_unit_test(test_model_prices),
        cmocka_unit_test(test_top_pareto),
        cmocka_unit_test(test_top_lognormal),
        cmocka_unit_test(test_top_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
