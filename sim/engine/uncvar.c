/* uncvar.c: the statistics of a run's uncertain inputs (uncvar.h): their
 * draws, their rank correlations with the horizon margin, and the law of
 * total variance estimated from groups of replications that share a draw. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "models/corr.h"
#include "stats.h"
#include "uncvar.h"

void unc_summary_free(unc_summary *u)
{
    if (!u)
        return;
    free(u->mean);
    free(u->p5);
    free(u->p95);
    free(u->rank);
    free(u->var_total);
    free(u->var_usage);
    free(u->var_param);
    free(u);
}

double unc_param_share(const unc_summary *u, int p)
{
    if (!u->split)
        return NAN;
    double w = u->var_usage[p], v = u->var_param[p];
    if (!(w + fmax(v, 0) > 0))
        return NAN;
    double share = fmax(v, 0) / (w + fmax(v, 0));
    return share;
}

/* the law of total variance over complete groups of m rows of y */
static void split(unc_summary *u, const run_result *r, const double *y, int p)
{
    int m = u->inner, G = 0;
    double sw = 0, *means = malloc(((size_t)r->nreps / (size_t)(m > 0 ? m : 1) + 1) * sizeof *means);
    if (!means)
        return;
    int start = (r->first + m - 1) / m * m - r->first;   /* first row of a complete group */
    for (int i = start; i + m <= r->nreps; i += m) {
        bool ok = true;
        for (int j = 0; j < m; j++)
            ok = ok && isfinite(y[i + j]);
        if (!ok)
            continue;
        means[G] = gsl_stats_mean(y + i, 1, (size_t)m);
        sw += gsl_stats_variance_m(y + i, 1, (size_t)m, means[G]);
        G++;
    }
    u->ngroups = G;
    if (m >= 2 && G >= 2) {
        double w = sw / G;
        u->var_usage[p] = w;
        u->var_param[p] = gsl_stats_variance(means, 1, (size_t)G) - w / m;
        u->split = true;
    }
    free(means);
}

unc_summary *unc_summary_build(const run_result *r)
{
    int k = r->ninputs, n = r->nreps, np = r->nplans;
    unc_summary *u = calloc(1, sizeof *u);
    double *y = malloc((size_t)n * sizeof *y), *pair = malloc((size_t)n * 2 * sizeof *pair);
    if (!u || !y || !pair)
        goto fail;
    u->ninputs = k;
    u->nplans = np;
    u->inner = r->inner > 0 ? r->inner : 1;
    u->mean = calloc((size_t)k, sizeof(double));
    u->p5 = calloc((size_t)k, sizeof(double));
    u->p95 = calloc((size_t)k, sizeof(double));
    u->rank = calloc((size_t)np * k, sizeof(double));
    u->var_total = calloc((size_t)np, sizeof(double));
    u->var_usage = calloc((size_t)np, sizeof(double));
    u->var_param = calloc((size_t)np, sizeof(double));
    if (!u->mean || !u->p5 || !u->p95 || !u->rank || !u->var_total || !u->var_usage || !u->var_param)
        goto fail;
    for (int j = 0; j < k; j++) {
        for (int i = 0; i < n; i++)
            y[i] = r->inputs[(size_t)i * k + j];
        u->mean[j] = gsl_stats_mean(y, 1, (size_t)n);
        gsl_sort(y, 1, (size_t)n);
        u->p5[j] = gsl_stats_quantile_from_sorted_data(y, 1, (size_t)n, 0.05);
        u->p95[j] = gsl_stats_quantile_from_sorted_data(y, 1, (size_t)n, 0.95);
    }
    for (int p = 0; p < np; p++) {
        double tot[TOT_COUNT], mean = 0, ss = 0;
        int defined = 0;
        for (int i = 0; i < n; i++) {
            summary_rep_totals(r, i, p, tot);
            y[i] = tot[TOT_MARGIN];
            if (isfinite(y[i])) {
                mean += y[i];
                defined++;
            }
        }
        mean /= defined > 0 ? defined : 1;
        for (int i = 0; i < n; i++)
            if (isfinite(y[i]))
                ss += (y[i] - mean) * (y[i] - mean);
        u->var_total[p] = defined >= 2 ? ss / (defined - 1) : NAN;
        for (int j = 0; j < k; j++) {
            int d = 0;
            for (int i = 0; i < n; i++)
                if (isfinite(y[i])) {
                    pair[2 * d] = r->inputs[(size_t)i * k + j];
                    pair[2 * d + 1] = y[i];
                    d++;
                }
            u->rank[(size_t)p * k + j] = d >= 3 ? ts_spearman(pair, d, 2, 0, 1) : NAN;
        }
        split(u, r, y, p);
    }
    free(y);
    free(pair);
    return u;
fail:
    free(y);
    free(pair);
    unc_summary_free(u);
    return NULL;
}
