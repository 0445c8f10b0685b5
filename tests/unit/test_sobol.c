/* test_sobol.c: the Sobol estimators (sim/analysis/sobol_est.c) on
 * functions whose indices are known in closed form: the Ishigami function
 * (a = 7, b = 0.1, inputs uniform on [-pi, pi]; Ishigami and Homma 1990,
 * indices from Saltelli et al. 2008, Global Sensitivity Analysis, 4.6:
 * S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437) and a linear
 * additive model f = sum c_i x_i, x_i uniform on [0, 1], whose first-order
 * and total indices both equal the variance shares c_i^2 / sum c_j^2. Each
 * closed-form value must lie in its 95% bootstrap interval; the intervals
 * must also be narrow enough to fail a wrong value. */
#include "testutil.h"

#include <gsl/gsl_errno.h>

#include "sim/analysis/sobol_est.h"

static int ishigami(void *ctx, const double *u, double *y, ts_error *err)
{
    (void)ctx;
    (void)err;
    double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1], x3 = -M_PI + 2 * M_PI * u[2];
    double s2 = sin(x2);
    y[0] = sin(x1) + 7 * s2 * s2 + 0.1 * pow(x3, 4) * sin(x1);
    /* a second output, its negative: indices are the same */
    y[1] = -y[0];
    return 0;
}

static int linear(void *ctx, const double *u, double *y, ts_error *err)
{
    (void)err;
    const double *c = ctx;
    y[0] = c[0] * u[0] + c[1] * u[1] + c[2] * u[2] + c[3] * u[3];
    return 0;
}

static void inside(double v, double lo, double hi, const char *what, int i)
{
    if (!(v >= lo && v <= hi)) {
        print_error("%s of input %d: %.4f not in [%.4f, %.4f]\n", what, i + 1, v, lo, hi);
        fail();
    }
}

static void test_ishigami(void **state)
{
    (void)state;
    const double s1[] = { 0.3139, 0.4424, 0 }, st[] = { 0.5576, 0.4424, 0.2437 };
    sobol_opts o = { .k = 3, .ny = 2, .n = 8192, .boot = 300, .seed = 5, .threads = 2 };
    sobol_result r;
    ts_error err;
    ts_error_clear(&err);
    assert_int_equal(sobol_estimate(ishigami, NULL, &o, &r, &err), TS_OK);
    for (int out = 0; out < 2; out++)
        for (int i = 0; i < 3; i++) {
            const sobol_index *x = sobol_at(&r, out, i);
            inside(s1[i], x->s1_lo, x->s1_hi, "S1", i);
            inside(st[i], x->st_lo, x->st_hi, "ST", i);
            /* narrow enough to tell the inputs apart */
            assert_true(x->s1_hi - x->s1_lo < 0.1 && x->st_hi - x->st_lo < 0.1);
        }
    /* the variance of Ishigami: a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 = 13.8446 */
    assert_within_sigma(r.var[0], 13.8446, 0.02 * 13.8446, 1);
    assert_true(r.nconv >= 2 && r.conv_n[r.nconv - 1] == 8192);
    sobol_result free_me = r;
    sobol_result_free(&free_me);
    /* one thread gives the same figures */
    o.threads = 1;
    sobol_result r1;
    assert_int_equal(sobol_estimate(ishigami, NULL, &o, &r1, &err), TS_OK);
    sobol_result r2;
    o.threads = 2;
    assert_int_equal(sobol_estimate(ishigami, NULL, &o, &r2, &err), TS_OK);
    assert_memory_equal(r1.idx, r2.idx, sizeof *r1.idx * 6);
    sobol_result_free(&r1);
    sobol_result_free(&r2);
}

static void test_linear(void **state)
{
    (void)state;
    const double c[] = { 1, 2, 3, 0.5 };
    double sum = 0;
    for (int i = 0; i < 4; i++)
        sum += c[i] * c[i];
    sobol_opts o = { .k = 4, .ny = 1, .n = 4096, .boot = 300, .seed = 9, .threads = 2 };
    sobol_result r;
    ts_error err;
    ts_error_clear(&err);
    assert_int_equal(sobol_estimate(linear, (void *)c, &o, &r, &err), TS_OK);
    for (int i = 0; i < 4; i++) {
        const sobol_index *x = sobol_at(&r, 0, i);
        inside(c[i] * c[i] / sum, x->s1_lo, x->s1_hi, "S1", i);
        inside(c[i] * c[i] / sum, x->st_lo, x->st_hi, "ST", i);
        assert_true(x->st_hi - x->st_lo < 0.1);
    }
    sobol_result_free(&r);
    o.n = 8;
    assert_int_equal(sobol_estimate(linear, (void *)c, &o, &r, &err), TS_ERR_INPUT);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ishigami),
        cmocka_unit_test(test_linear),
    };
    return cmocka_run_group_tests_name("sobol", tests, NULL, NULL);
}
