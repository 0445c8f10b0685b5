/* test_usage.c: every usage distribution against its closed forms.
 *
 * For each: the sample mean within 4 standard errors of the closed-form
 * mean; the empirical CDF at closed-form quantiles within 4 binomial
 * standard errors sqrt(p(1-p)/n) of p; the top-k share within 4 standard
 * errors estimated from independent batches. Monthly counts: Poisson has
 * variance = mean, gamma-Poisson mean + mean^2/k. */
#include "testutil.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <string.h>

#include "models/usage_laws.h"
#include "sim/engine/engine.h"
#include "sim/engine/rng.h"

static usage_dist base(const char *law)
{
    usage_dist u;
    memset(&u, 0, sizeof u);
    u.kind = usage_law_find(law);
    assert_true(u.kind >= 0);
    u.bounds.from[0] = 0.5;
    u.bounds.from[1] = 0.8;
    u.bounds.from[2] = 0.95;
    return u;
}

static void prepare(usage_dist *u)
{
    ts_error e;
    ts_error_clear(&e);
    const char *what = NULL;
    int rc = usage_dist_prepare(u, &what, &e);
    if (rc)
        print_error("prepare failed on %s: %s\n", what, e.message);
    assert_int_equal(rc, TS_OK);
}

/* Checks mean, three quantiles and two top shares of u by sampling. */
static void check_dist(usage_dist *u, double var, uint64_t seed)
{
    int n = test_draws(400000);
    const int batches = 20;
    gsl_rng *r = ts_rng_create(seed, 0);
    double *x = malloc((size_t)n * sizeof *x);
    int seg;
    for (int i = 0; i < n; i++)
        x[i] = usage_dist_draw(r, u, &seg);
    /* mean: closed-form variance when finite, sample variance otherwise */
    double mean = gsl_stats_mean(x, 1, (size_t)n);
    double sd = var > 0 ? sqrt(var) : gsl_stats_sd(x, 1, (size_t)n);
    assert_within_sigma(mean, usage_dist_mean(u), sd / sqrt(n), 4);
    /* quantiles: share of draws at or below Q(p) */
    const double ps[] = { 0.25, 0.5, 0.9 };
    for (int k = 0; k < 3; k++) {
        double q = usage_dist_quantile(u, ps[k]);
        int below = 0;
        for (int i = 0; i < n; i++)
            below += x[i] <= q;
        assert_within_sigma((double)below / n, ps[k], sqrt(ps[k] * (1 - ps[k]) / n), 4);
    }
    /* top shares from batches */
    const double tops[] = { 0.05, 0.2 };
    int bn = n / batches;
    for (int k = 0; k < 2; k++) {
        double b[20];
        for (int j = 0; j < batches; j++)
            b[j] = engine_top_share(x + (size_t)j * bn, (size_t)bn, tops[k]);
        double bm = gsl_stats_mean(b, 1, batches), bs = gsl_stats_sd(b, 1, batches);
        assert_within_sigma(bm, usage_dist_top_share(u, tops[k]), bs / sqrt(batches), 4);
    }
    free(x);
    gsl_rng_free(r);
}

/* Pareto alpha 3, min 10: mean 15, variance a m^2 / ((a-1)^2 (a-2)) = 75. */
static void test_pareto(void **state)
{
    (void)state;
    usage_dist u = base("pareto");
    usage_pareto_params *p = usage_params(&u);
    p->alpha = 3;
    p->xmin = 10;
    prepare(&u);
    assert_close(usage_dist_mean(&u), 15, 1e-12);
    assert_close(usage_dist_quantile(&u, 0.5), 10 * pow(2, 1.0 / 3), 1e-12);
    assert_close(usage_dist_top_share(&u, 0.05), pow(0.05, 2.0 / 3), 1e-12);
    check_dist(&u, 75, 11);
}

/* Heavy Pareto alpha 1.2 with a cap: finite mean by truncation only. */
static void test_pareto_capped(void **state)
{
    (void)state;
    usage_dist u = base("pareto");
    usage_pareto_params *p = usage_params(&u);
    p->alpha = 1.2;
    p->xmin = 5;
    p->cap = 2000;
    prepare(&u);
    /* hand check of the truncated mean: a m^a (H^(1-a) - m^(1-a)) / ((1-a) Z) */
    double z = 1 - pow(5.0 / 2000, 1.2);
    double want = 1.2 * pow(5, 1.2) * (pow(2000, -0.2) - pow(5, -0.2)) / (-0.2 * z);
    assert_close(usage_dist_mean(&u), want, 1e-12);
    assert_close(usage_dist_quantile(&u, 1.0), 2000, 1e-9);
    check_dist(&u, 0, 12);
}

static void test_pareto_without_finite_mean_is_refused(void **state)
{
    (void)state;
    usage_dist u = base("pareto");
    usage_pareto_params *p = usage_params(&u);
    p->alpha = 1.0;
    p->xmin = 5;
    ts_error e;
    ts_error_clear(&e);
    const char *what = NULL;
    assert_int_equal(usage_dist_prepare(&u, &what, &e), TS_ERR_INPUT);
    assert_string_equal(what, "alpha");
}

/* Lognormal mean 40, sigma 1: variance (e^1 - 1) 40^2. */
static void test_lognormal(void **state)
{
    (void)state;
    usage_dist u = base("lognormal");
    usage_lognormal_params *p = usage_params(&u);
    p->mean = 40;
    p->sigma = 1;
    prepare(&u);
    assert_close(usage_dist_quantile(&u, 0.5), 40 * exp(-0.5), 1e-12);
    check_dist(&u, (exp(1.0) - 1) * 1600, 13);
}

/* The exercise's P25/P50/P90 = 30/150/2000: quantiles hold exactly. */
static void test_quantiles(void **state)
{
    (void)state;
    usage_dist u = base("quantiles");
    usage_quantiles_params *p = usage_params(&u);
    p->npoints = 3;
    p->points[0] = (usage_point){ 0.25, 30 };
    p->points[1] = (usage_point){ 0.50, 150 };
    p->points[2] = (usage_point){ 0.90, 2000 };
    prepare(&u);
    assert_close(usage_dist_quantile(&u, 0.25), 30, 1e-9);
    assert_close(usage_dist_quantile(&u, 0.50), 150, 1e-9);
    assert_close(usage_dist_quantile(&u, 0.90), 2000, 1e-9);
    check_dist(&u, 0, 14);

    /* Two points make it a lognormal: same mean as the closed form. */
    usage_dist v = base("quantiles");
    usage_quantiles_params *q = usage_params(&v);
    q->npoints = 2;
    q->points[0] = (usage_point){ 0.5, 20 };
    q->points[1] = (usage_point){ 0.8413447460685429, 20 * M_E };   /* z = 1: sigma 1 */
    prepare(&v);
    assert_close(usage_dist_mean(&v), 20 * exp(0.5), 1e-9);
}

/* The chapter's four segments: mean = sum of share x mean. */
static void test_segments(void **state)
{
    (void)state;
    usage_dist u = base("segments");
    usage_segments_params *p = usage_params(&u);
    p->nsegments = 4;
    p->segments[0] = (usage_segment){ "light", 0.60, 30 };
    p->segments[1] = (usage_segment){ "medium", 0.25, 150 };
    p->segments[2] = (usage_segment){ "heavy", 0.10, 500 };
    p->segments[3] = (usage_segment){ "power", 0.05, 2000 };
    prepare(&u);
    double mean = 0.6 * 30 + 0.25 * 150 + 0.1 * 500 + 0.05 * 2000;   /* 205.5 */
    assert_close(usage_dist_mean(&u), mean, 1e-12);
    /* top 5% are exactly the power users: 100 / 205.5 */
    assert_close(usage_dist_top_share(&u, 0.05), 100 / mean, 1e-12);
    double var = 0.6 * 900 + 0.25 * 22500 + 0.1 * 250000 + 0.05 * 4e6 - mean * mean;
    int n = test_draws(400000);
    gsl_rng *r = ts_rng_create(15, 0);
    double sum = 0;
    int counts[4] = { 0 };
    for (int i = 0; i < n; i++) {
        int g;
        sum += usage_dist_draw(r, &u, &g);
        counts[g]++;
    }
    assert_within_sigma(sum / n, mean, sqrt(var / n), 4);
    assert_within_sigma((double)counts[3] / n, 0.05, sqrt(0.05 * 0.95 / n), 4);
    gsl_rng_free(r);
}

/* "The top 5% make 50% of the calls": the fitted law gives exactly that. */
static void test_concentration(void **state)
{
    (void)state;
    for (int fam = 0; fam < 2; fam++) {
        usage_dist u = base("concentration");
        usage_concentration_params *p = usage_params(&u);
        p->top = 0.05;
        p->share = 0.5;
        p->mean = 40;
        p->family = fam;
        prepare(&u);
        assert_close(usage_dist_top_share(&u, 0.05), 0.5, 1e-9);
        assert_close(usage_dist_mean(&u), 40, 1e-9);
        if (fam == FAMILY_LOGNORMAL)   /* the Pareto here has infinite variance: skip sampling */
            check_dist(&u, (exp(p->sigma * p->sigma) - 1) * 1600, 16);
    }
}

/* Counts over a month: Poisson mean = variance = rate; gamma-Poisson with
 * shape k: variance = rate + rate^2 / k. Fixed: exactly rate * dt. */
static void test_counts(void **state)
{
    (void)state;
    int n = test_draws(200000);
    const double rate = 12;
    for (int kind = 0; kind < 2; kind++) {
        usage_dist u = base("constant");
        u.counts = kind == 0 ? COUNTS_POISSON : COUNTS_GAMMA_POISSON;
        u.dispersion = 4;
        gsl_rng *r = ts_rng_create(17, (uint64_t)kind);
        double *c = malloc((size_t)n * sizeof *c);
        for (int i = 0; i < n; i++) {
            double m = usage_month_multiplier(r, &u);
            c[i] = usage_count_draw(r, &u, rate, m, 1.0);
            assert_true(c[i] == floor(c[i]));
        }
        double mean = gsl_stats_mean(c, 1, (size_t)n);
        double var = gsl_stats_variance_m(c, 1, (size_t)n, mean);
        double m4 = 0;
        for (int i = 0; i < n; i++)
            m4 += pow(c[i] - mean, 4) / n;
        double want_var = kind == 0 ? rate : rate + rate * rate / 4;
        assert_within_sigma(mean, rate, sqrt(want_var / n), 4);
        /* the sample variance has standard error sqrt((m4 - var^2) / n) */
        assert_within_sigma(var, want_var, sqrt((m4 - var * var) / n), 4);
        free(c);
        gsl_rng_free(r);
    }
    usage_dist f = base("constant");
    f.counts = COUNTS_FIXED;
    assert_close(usage_count_draw(NULL, &f, 200, 1, 0.25), 50, 1e-15);
}

/* The top-share routine itself, on a case worked by hand. */
/* Extra power users (usage.power_boost): with b = s / (1 - s) the share of
 * customers above the law's P(1-s) doubles to 2s, and the mean follows the
 * mixture (1 - b) m + b m T(s) / s, T the top share (closed forms). */
static void test_power_boost(void **state)
{
    (void)state;
    usage_dist u = base("lognormal");
    usage_lognormal_params *p = usage_params(&u);
    p->mean = 20;
    p->sigma = 1;
    prepare(&u);
    double s = 1 - u.bounds.from[2], t = usage_dist_quantile(&u, 1 - s), m = usage_dist_mean(&u);
    u.power_boost = s / (1 - s);
    double want_mean = (1 - u.power_boost) * m + u.power_boost * m * usage_dist_top_share(&u, s) / s;
    assert_close(usage_dist_mean(&u), want_mean, 1e-12);
    gsl_rng *r = ts_rng_create(7, 0);
    int n = 400000, above = 0, power = 0;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; i++) {
        int seg;
        double x = usage_dist_draw(r, &u, &seg);
        above += x > t;
        power += seg == 3;
        sum += x;
        sum2 += x * x;
    }
    gsl_rng_free(r);
    assert_within_sigma((double)above / n, 2 * s, sqrt(2 * s * (1 - 2 * s) / n), 4);
    assert_int_equal(above, power);      /* the power segment keeps the baseline's threshold */
    double mean = sum / n, var = sum2 / n - mean * mean;
    assert_within_sigma(mean, want_mean, sqrt(var / n), 4);
}

static void test_top_share_by_hand(void **state)
{
    (void)state;
    double v[10] = { 1, 9, 2, 8, 3, 7, 4, 6, 5, 5 };   /* total 50 */
    assert_close(engine_top_share(v, 10, 0.2), 17.0 / 50, 1e-15);  /* 9 + 8 */
    double w[10] = { 1, 9, 2, 8, 3, 7, 4, 6, 5, 5 };
    assert_close(engine_top_share(w, 10, 0.05), 9.0 / 50, 1e-15);  /* ceil(0.5) = 1 customer */
    double z[4] = { 0, 0, 0, 0 };
    assert_true(isnan(engine_top_share(z, 4, 0.5)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pareto),
        cmocka_unit_test(test_power_boost),
        cmocka_unit_test(test_pareto_capped),
        cmocka_unit_test(test_pareto_without_finite_mean_is_refused),
        cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_concentration),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_top_share_by_hand),
    };
    return cmocka_run_group_tests_name("usage", tests, NULL, NULL);
}
