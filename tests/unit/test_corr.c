/* test_corr.c: rank correlations of uncertain inputs (models/corr.c): the
 * matrix checks, Higham's nearest correlation matrix, and Iman-Conover
 * reaching its target Spearman correlations within sampling error while
 * keeping every column's values. */
#include "testutil.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
#include <string.h>

#include "models/corr.h"
#include "models/dist.h"
#include "sim/engine/rng.h"

static void test_check(void **state)
{
    (void)state;
    char msg[200];
    const double ok[] = { 1, 0.5, 0.5, 1 }, asym[] = { 1, 0.5, 0.4, 1 }, diag[] = { 0.9, 0.5, 0.5, 1 };
    /* 0.9 between 1-2 and 2-3 but -0.9 between 1-3: x^T C x < 0 for x = (1, -1, 1) */
    const double notpd[] = { 1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1 };
    assert_int_equal(ts_corr_check(ok, 2, msg, sizeof msg), 0);
    assert_int_equal(ts_corr_check(asym, 2, msg, sizeof msg), 3);
    assert_int_equal(ts_corr_check(diag, 2, msg, sizeof msg), 1);
    assert_int_equal(ts_corr_check(notpd, 3, msg, sizeof msg), 4);
    double near[9];
    assert_int_equal(ts_corr_nearest(notpd, 3, 1e-2, near), 0);
    assert_int_equal(ts_corr_check(near, 3, msg, sizeof msg), 0);
    /* the nearest matrix keeps the signs and the symmetry of the problem:
     * by symmetry of notpd under (1 2 3) -> (3 2 1) with sign flips, its
     * nearest has near[0][1] = near[1][2] = -near[0][2] */
    assert_close(near[1], near[5], 1e-6);
    assert_close(near[1], -near[2], 1e-6);
    assert_true(near[1] > 0 && near[1] < 0.9);
    /* a valid matrix is its own nearest */
    double self[4];
    assert_int_equal(ts_corr_nearest(ok, 2, 1e-6, self), 0);
    for (int i = 0; i < 4; i++)
        assert_close(self[i], ok[i], 1e-6);
}

static void test_iman_conover(void **state)
{
    (void)state;
    int n = test_draws(2000), k = 3;
    const double c[] = { 1, 0.7, -0.4, 0.7, 1, -0.2, -0.4, -0.2, 1 };
    double *x = malloc((size_t)n * k * sizeof *x), *before = malloc((size_t)n * k * sizeof *x);
    assert_non_null(x);
    assert_non_null(before);
    gsl_rng *r = ts_rng_create(11, 5);
    for (int i = 0; i < n; i++) {
        x[i * k + 0] = ts_ran_pert(r, 0.01, 0.03, 0.08, 4);
        x[i * k + 1] = ts_ran_lognormal_ms(r, 0, 0.5);
        x[i * k + 2] = ts_ran_discrete_values(r, (const double[]){ 1, 2, 3 }, (const double[]){ 1, 1, 2 }, 3);
    }
    memcpy(before, x, (size_t)n * k * sizeof *x);
    assert_int_equal(ts_iman_conover(r, x, n, k, c), 0);
    /* margins: each column's sorted values unchanged */
    for (int j = 0; j < k; j++) {
        gsl_sort(before + j, (size_t)k, (size_t)n);
        double *col = malloc((size_t)n * sizeof *col);
        for (int i = 0; i < n; i++)
            col[i] = x[i * k + j];
        gsl_sort(col, 1, (size_t)n);
        for (int i = 0; i < n; i++)
            assert_true(col[i] == before[i * k + j]);
        free(col);
    }
    /* targets: Fisher's z of a Spearman correlation has standard error
     * sqrt(1.06 / (n - 3)) (Fieller, Hartley and Pearson 1957); the
     * discrete column's ties lower its attainable correlation a little,
     * so it is checked at 6 sigma, the continuous pair at 4 */
    for (int a = 0; a < k; a++)
        for (int b = a + 1; b < k; b++) {
            double rho = ts_spearman(x, n, k, a, b), se = sqrt(1.06 / (n - 3));
            assert_within_sigma(atanh(rho), atanh(c[a * k + b]), se, b == 2 ? 6 : 4);
        }
    gsl_rng_free(r);
    free(x);
    free(before);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_iman_conover),
    };
    return cmocka_run_group_tests_name("corr", tests, NULL, NULL);
}
