/* test_rng.c: per-replication streams are reproducible, distinct, uniform. */
#include "testutil.h"

#include "sim/engine/rng.h"

static void test_same_seed_same_stream(void **state)
{
    (void)state;
    gsl_rng *a = ts_rng_create(42, 5), *b = ts_rng_create(42, 5);
    for (int i = 0; i < 1000; i++)
        assert_true(gsl_rng_get(a) == gsl_rng_get(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_streams_differ(void **state)
{
    (void)state;
    /* Adjacent indices and adjacent seeds give different seeds and streams. */
    assert_true(ts_rng_seed_mix(1, 0) != ts_rng_seed_mix(1, 1));
    assert_true(ts_rng_seed_mix(1, 0) != ts_rng_seed_mix(2, 0));
    assert_true(ts_rng_seed_mix(0, 1) != ts_rng_seed_mix(1, 0));
    gsl_rng *a = ts_rng_create(1, 0), *b = ts_rng_create(1, 1);
    int same = 0;
    for (int i = 0; i < 1000; i++)
        same += gsl_rng_get(a) == gsl_rng_get(b);
    assert_true(same < 3);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Uniform on [0,1): mean 1/2, variance 1/12, so the sample mean has
 * standard error sqrt(1/(12 n)). */
static void test_uniform_mean(void **state)
{
    (void)state;
    int n = test_draws(1000000);
    gsl_rng *r = ts_rng_create(3, 0);
    double sum = 0, lo = 1, hi = 0;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        sum += u;
        lo = fmin(lo, u);
        hi = fmax(hi, u);
    }
    assert_within_sigma(sum / n, 0.5, sqrt(1.0 / (12.0 * n)), 4);
    assert_true(lo >= 0 && hi < 1);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_stream),
        cmocka_unit_test(test_streams_differ),
        cmocka_unit_test(test_uniform_mean),
    };
    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
