/* coverage.c: how often tokensim's 95% interval of a mean holds the truth.
 *
 *   coverage FILE METRIC TRUTH SEEDS [--first S] [--compare] [--set key=value]...
 *
 * Runs the scenario FILE with seeds S, S+1, ... (SEEDS of them, S = 1 by
 * default), summarises each run as tokensim does (summary_build) and counts
 * the runs whose interval of METRIC holds TRUTH, the metric's exact
 * expected value (the caller derives it in closed form):
 *   cost   month 1's inference cost under the first plan
 *   total  the horizon's inference cost under the first plan
 *   pair   the first plan's horizon gross profit minus the second's
 * Prints one line: coverage in %, its binomial standard error, the misses
 * with the interval below and above the truth, and the mean width. With
 * --compare, the same for other methods on the same replications (Student
 * t, Hall's skewness-corrected t, bootstrap-t and BCa with 999 resamples),
 * as docs/engine.md reports them. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/interval.h"
#include "sim/engine/stats.h"

enum { C_PRODUCT, C_T, C_HALL, C_BOOTT, C_BCA, C_COUNT };
static const char *const cnames[C_COUNT] = { "tokensim", "t", "hall", "boot-t", "bca" };
#define NBOOT 999

typedef struct tally {
    int cover, below, above;
    double width;
} tally;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Bootstrap-t and BCa (Efron and Tibshirani 1993, ch. 12 and 14) of the
 * mean of y[0..k), for the comparison only. */
static void bootstrap(gsl_rng *g, const double *y, int k, int bca, double *lo, double *hi)
{
    static double ts[NBOOT], ms[NBOOT], yy[4096], jk[4096];
    double m = gsl_stats_mean(y, 1, (size_t)k), se = gsl_stats_sd_m(y, 1, (size_t)k, m) / sqrt(k);
    int nt = 0;
    for (int b = 0; b < NBOOT; b++) {
        for (int i = 0; i < k; i++)
            yy[i] = y[gsl_rng_uniform_int(g, (unsigned long)k)];
        double mb = gsl_stats_mean(yy, 1, (size_t)k), sb = gsl_stats_sd_m(yy, 1, (size_t)k, mb) / sqrt(k);
        ms[b] = mb;
        if (sb > 0)
            ts[nt++] = (mb - m) / sb;
    }
    if (!bca) {
        qsort(ts, (size_t)nt, sizeof *ts, cmp_double);
        *lo = m - se * gsl_stats_quantile_from_sorted_data(ts, 1, (size_t)nt, 0.975);
        *hi = m - se * gsl_stats_quantile_from_sorted_data(ts, 1, (size_t)nt, 0.025);
        return;
    }
    qsort(ms, NBOOT, sizeof *ms, cmp_double);
    int below = 0;
    for (int b = 0; b < NBOOT; b++)
        below += ms[b] < m;
    double z0 = gsl_cdf_ugaussian_Pinv((below + 0.5) / (NBOOT + 1.0)), num = 0, den = 0, jm = 0;
    for (int i = 0; i < k; i++)
        jm += jk[i] = (m * k - y[i]) / (k - 1);
    jm /= k;
    for (int i = 0; i < k; i++) {
        num += pow(jm - jk[i], 3);
        den += pow(jm - jk[i], 2);
    }
    double acc = den > 0 ? num / (6 * pow(den, 1.5)) : 0, z = gsl_cdf_ugaussian_Pinv(0.975);
    *lo = gsl_stats_quantile_from_sorted_data(ms, 1, NBOOT, gsl_cdf_ugaussian_P(z0 + (z0 - z) / (1 - acc * (z0 - z))));
    *hi = gsl_stats_quantile_from_sorted_data(ms, 1, NBOOT, gsl_cdf_ugaussian_P(z0 + (z0 + z) / (1 - acc * (z0 + z))));
}

static double rep_value(const run_result *r, const summary *sm, const char *metric, int i)
{
    double t0[TOT_COUNT], t1[TOT_COUNT];
    (void)sm;
    if (!strcmp(metric, "cost"))
        return run_month(r, i, 0, 0)[MET_INFERENCE_COST];
    summary_rep_totals(r, i, 0, t0);
    if (!strcmp(metric, "total"))
        return t0[TOT_INFERENCE_COST];
    summary_rep_totals(r, i, 1, t1);
    return t0[TOT_GROSS_PROFIT] - t1[TOT_GROSS_PROFIT];
}

static const ts_stat *product_stat(const summary *sm, const char *metric)
{
    if (!strcmp(metric, "cost"))
        return sum_month(sm, 0, 0, MET_INFERENCE_COST);
    if (!strcmp(metric, "total"))
        return sum_total(sm, 0, TOT_INFERENCE_COST);
    return &sm->pair_profit[1];
}

static void count(tally *t, double lo, double hi, double truth)
{
    t->cover += lo <= truth && truth <= hi;
    t->below += hi < truth;
    t->above += lo > truth;
    t->width += hi - lo;
}

/* The comparison methods on the units (pair means under antithetic sampling). */
static void compare_methods(gsl_rng *g, const run_result *r, const char *metric, double truth, tally *t)
{
    int n = r->nreps, k = 0;
    double y[4096];
    for (int i = 0; i + (r->pairs ? 1 : 0) < n && k < 4096; i += r->pairs ? 2 : 1)
        y[k++] = r->pairs ? (rep_value(r, NULL, metric, i) + rep_value(r, NULL, metric, i + 1)) / 2
                          : rep_value(r, NULL, metric, i);
    ts_interval a = interval_t(y, k), b = interval_hall(y, k);
    count(&t[C_T], a.mean - a.below, a.mean + a.above, truth);
    count(&t[C_HALL], b.mean - b.below, b.mean + b.above, truth);
    for (int c = C_BOOTT; c <= C_BCA; c++) {
        double lo, hi;
        bootstrap(g, y, k, c == C_BCA, &lo, &hi);
        count(&t[c], lo, hi, truth);
    }
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: coverage FILE METRIC TRUTH SEEDS [--first S] [--compare] [--set key=value]...\n");
        return 2;
    }
    const char *file = argv[1], *metric = argv[2], *sets[32];
    double truth = atof(argv[3]);
    int seeds = atoi(argv[4]), first = 1, nsets = 0, cmp = 0;
    for (int i = 5; i < argc; i++) {
        if (!strcmp(argv[i], "--first") && i + 1 < argc)
            first = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--compare"))
            cmp = 1;
        else if (!strcmp(argv[i], "--set") && i + 1 < argc && nsets < 32)
            sets[nsets++] = argv[++i];
    }
    if (strcmp(metric, "cost") && strcmp(metric, "total") && strcmp(metric, "pair")) {
        fprintf(stderr, "coverage: unknown metric '%s', expected cost, total or pair\n", metric);
        return 2;
    }
    static scenario s;
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(&s, file, sets, nsets, &err)) {
        fprintf(stderr, "coverage: %s\n", err.message);
        return 1;
    }
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    tally t[C_COUNT];
    memset(t, 0, sizeof t);
    for (int sd = first; sd < first + seeds; sd++) {
        s.seed = (unsigned long long)sd;
        engine_opts o = { 1, 0, s.replications, NULL, NULL, NULL };
        run_result r;
        summary sm;
        if (engine_run(&s, &o, &r, &err) || summary_build(&r, &sm, &err)) {
            fprintf(stderr, "coverage: %s\n", err.message);
            return 1;
        }
        const ts_stat *st = product_stat(&sm, metric);
        count(&t[C_PRODUCT], st->ci_lo, st->ci_hi, truth);
        if (cmp)
            compare_methods(g, &r, metric, truth, t);
        summary_free(&sm);
        run_result_free(&r);
    }
    for (int c = 0; c < (cmp ? C_COUNT : 1); c++) {
        double p = (double)t[c].cover / seeds;
        printf("%-9s %5.1f%% +- %.1f  (%d below, %d above)  width %.4g\n", cnames[c], 100 * p,
               100 * sqrt(p * (1 - p) / seeds), t[c].below, t[c].above, t[c].width / seeds);
    }
    gsl_rng_free(g);
    return 0;
}
