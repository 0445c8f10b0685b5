/* test_empirical.c: the empirical usage law (models/usage_empirical.c)
 * against hand calculations on a 10-value data set, its draws against its
 * closed-form mean and quantiles, and its refusals. */
#include "testutil.h"

#include <gsl/gsl_statistics_double.h>
#include <string.h>
#include <unistd.h>

#include "models/usage_laws.h"
#include "sim/engine/engine.h"
#include "sim/engine/rng.h"

/* field offsets of the law's parameters, found through its key rows */
static void set_num(usage_dist *u, const char *key, double v)
{
    const param_key *k = param_find(usage_law_of(u)->keys, key);
    assert_non_null(k);
    memcpy((unsigned char *)usage_params(u) + k->offset, &v, sizeof v);
}

static void set_data(usage_dist *u, const char *path)
{
    const param_key *k = param_find(usage_law_of(u)->keys, "data");
    assert_non_null(k);
    snprintf((char *)usage_params(u) + k->offset, k->size, "%s", path);
}

static char *write_data(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/ts_emp_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static usage_dist base(const char *text, double xmin, double alpha, char *path_out)
{
    usage_dist u;
    memset(&u, 0, sizeof u);
    u.kind = usage_law_find("empirical");
    assert_true(u.kind >= 0);
    u.bounds.from[0] = 0.5;
    u.bounds.from[1] = 0.8;
    u.bounds.from[2] = 0.95;
    char *path = write_data(text);
    strcpy(path_out, path);
    set_data(&u, path);
    set_num(&u, "xmin", xmin);
    set_num(&u, "alpha", alpha);
    return u;
}

static int prepare(usage_dist *u, ts_error *e, const char **what)
{
    ts_error_clear(e);
    *what = NULL;
    return usage_dist_prepare(u, what, e);
}

/* the values 1..10, shuffled, with a comment, a header and a blank line */
static const char *const ten = "value\n7\n3\n# a comment\n10\n1\n5\n\n9\n2\n8\n4\n6\n";

/* Pure bootstrap: Q(u) = x_ceil(10u) of 1..10, mean 55/10, and the top 20%
 * (10 + 9) / 55, the top 25% (10 + 9 + 8/2) / 55 (half of the third value's
 * step), all by hand. */
static void test_bootstrap_by_hand(void **state)
{
    (void)state;
    char path[64];
    usage_dist u = base(ten, 0, 0, path);
    ts_error e;
    const char *what;
    assert_int_equal(prepare(&u, &e, &what), TS_OK);
    assert_close(usage_dist_quantile(&u, 0.25), 3, 1e-12);
    assert_close(usage_dist_quantile(&u, 0.5), 5, 1e-12);
    assert_close(usage_dist_quantile(&u, 0.9), 9, 1e-12);
    assert_close(usage_dist_quantile(&u, 0.91), 10, 1e-12);
    assert_close(usage_dist_quantile(&u, 0.01), 1, 1e-12);
    assert_close(usage_dist_mean(&u), 5.5, 1e-12);
    assert_close(usage_dist_top_share(&u, 0.2), 19.0 / 55, 1e-12);
    assert_close(usage_dist_top_share(&u, 0.25), 23.0 / 55, 1e-12);
    unlink(path);
}

/* Tail above xmin 6 with alpha 2: the body is 1..5 (pt = 1/2), the tail's
 * mean 2 x 6 / (2 - 1) = 12, so the mean is 3/2 + 6 = 7.5;
 * Q(0.3) = x_3 = 3, Q(0.75) = 6 (1 - 0.5)^(-1/2) = 6 sqrt 2;
 * top 10%: pt 12 S(0.2) / 7.5 with S(p) = p^(1 - 1/2);
 * top 60%: (6 + C(0.5) - C(0.4)) / 7.5 = (6 + 15/10 - 10/10) / 7.5. */
static void test_tail_by_hand(void **state)
{
    (void)state;
    char path[64];
    usage_dist u = base(ten, 6, 2, path);
    ts_error e;
    const char *what;
    assert_int_equal(prepare(&u, &e, &what), TS_OK);
    assert_close(usage_dist_mean(&u), 7.5, 1e-12);
    assert_close(usage_dist_quantile(&u, 0.3), 3, 1e-12);
    assert_close(usage_dist_quantile(&u, 0.75), 6 * sqrt(2.0), 1e-12);
    assert_close(usage_dist_top_share(&u, 0.1), 6 * sqrt(0.2) / 7.5, 1e-12);
    assert_close(usage_dist_top_share(&u, 0.6), 6.5 / 7.5, 1e-12);
    assert_close(usage_dist_top_share(&u, 1.0), 1, 1e-12);
    unlink(path);
}

/* Draws against the closed forms: mean within 4 standard errors, the CDF
 * at three quantiles within 4 binomial standard errors (alpha 3: finite
 * variance, the sample's own sd used). */
static void test_draws_match_closed_form(void **state)
{
    (void)state;
    char path[64];
    usage_dist u = base(ten, 6, 3, path);
    ts_error e;
    const char *what;
    assert_int_equal(prepare(&u, &e, &what), TS_OK);
    int n = test_draws(400000), seg;
    double *x = malloc((size_t)n * sizeof *x);
    gsl_rng *r = ts_rng_create(17, 0);
    for (int i = 0; i < n; i++)
        x[i] = usage_dist_draw(r, &u, &seg);
    double sd = gsl_stats_sd(x, 1, (size_t)n);
    /* 0.5 x 3 + 0.5 x 3 x 6 / 2 = 6 by hand */
    assert_close(usage_dist_mean(&u), 6.0, 1e-12);
    assert_within_sigma(gsl_stats_mean(x, 1, (size_t)n), 6.0, sd / sqrt(n), 4);
    const double ps[] = { 0.25, 0.55, 0.9 };
    for (int k = 0; k < 3; k++) {
        double q = usage_dist_quantile(&u, ps[k]);
        int below = 0;
        for (int i = 0; i < n; i++)
            below += x[i] <= q;
        /* 0.25 falls on a step (x_3 = 3 holds exactly 30%): count strictly below too */
        double p = ps[k] == 0.25 ? 0.3 : ps[k];
        assert_within_sigma((double)below / n, p, sqrt(p * (1 - p) / n), 4);
    }
    free(x);
    gsl_rng_free(r);
    unlink(path);
}

static void test_refusals(void **state)
{
    (void)state;
    char path[64];
    ts_error e;
    const char *what;
    usage_dist u = base(ten, 6, 0, path);
    assert_int_equal(prepare(&u, &e, &what), TS_ERR_INPUT);
    assert_string_equal(what, "xmin");
    unlink(path);
    u = base(ten, 6, 0.9, path);
    assert_int_equal(prepare(&u, &e, &what), TS_ERR_INPUT);
    assert_string_equal(what, "alpha");
    assert_non_null(strstr(e.message, "no finite mean"));
    unlink(path);
    u = base("3\n-1\n", 0, 0, path);
    assert_int_equal(prepare(&u, &e, &what), TS_ERR_INPUT);
    assert_string_equal(what, "data");
    assert_non_null(strstr(e.message, "found '-1' at line 2"));
    unlink(path);
    u = base("# nothing\n", 0, 0, path);
    assert_int_equal(prepare(&u, &e, &what), TS_ERR_INPUT);
    assert_non_null(strstr(e.message, "found no values"));
    unlink(path);
    set_data(&u, "/nonexistent/values.txt");
    assert_int_equal(prepare(&u, &e, &what), TS_ERR_INPUT);
    assert_string_equal(what, "data");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootstrap_by_hand),
        cmocka_unit_test(test_tail_by_hand),
        cmocka_unit_test(test_draws_match_closed_form),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
