/* test_plots.c: the figures the plots print: the Hill tail exponent
 * (within 4 of its asymptotic standard errors alpha / sqrt(k) on a Pareto
 * sample) and the Gini coefficient (hand-worked cases). */
#include "testutil.h"

#include <stdlib.h>

#include "models/usage.h"
#include "plots/plots.h"
#include "sim/engine/rng.h"

static int desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static void test_hill_recovers_alpha(void **state)
{
    (void)state;
    int n = test_draws(200000);
    double *x = malloc((size_t)n * sizeof *x);
    gsl_rng *r = ts_rng_create(31, 0);
    for (int i = 0; i < n; i++)
        x[i] = usage_pareto_draw(r, 1.5, 10, 0);
    qsort(x, (size_t)n, sizeof *x, desc);
    size_t k = (size_t)n / 10;
    assert_within_sigma(plots_hill_alpha(x, (size_t)n, k), 1.5, 1.5 / sqrt((double)k), 4);
    assert_true(isnan(plots_hill_alpha(x, (size_t)n, (size_t)n)));
    free(x);
    gsl_rng_free(r);
}

static void test_gini_by_hand(void **state)
{
    (void)state;
    double equal[4] = { 2, 2, 2, 2 };
    assert_close(plots_gini(equal, 4), 0, 1e-15);
    /* one customer makes everything: (2*3 - 4 + 1) * 1 / (4 * 1) = 0.75 */
    double one[4] = { 0, 0, 0, 1 };
    assert_close(plots_gini(one, 4), 0.75, 1e-15);
    /* 1, 2, 3: sum (2i - 2) x_i = -2 + 0 + 6 = 4, over 3 * 6: 2/9 */
    double three[3] = { 1, 2, 3 };
    assert_close(plots_gini(three, 3), 2.0 / 9, 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hill_recovers_alpha),
        cmocka_unit_test(test_gini_by_hand),
    };
    return cmocka_run_group_tests_name("plots", tests, NULL, NULL);
}
