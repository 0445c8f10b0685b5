/* stats.c: from per-replication sums to means, intervals and quantiles.
 * Replications are visited in index order, so the figures do not depend on
 * which thread ran which replication. */
#include "stats.h"
#include "finance.h"
#include "interval.h"
#include "uncvar.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const total_names[TOT_COUNT] = {
    "revenue", "inference_cost", "other_cost", "gross_profit", "gross_margin_pct", "interactions",
    "customer_months", "final_customers", "final_month_revenue", "final_month_margin_pct", "losing_customers_pct"
};

const char *const segment_stat_names[SX_COUNT] = {
    "customer_share_pct", "interactions", "inference_cost", "revenue", "gross_profit", "gross_margin_pct",
    "cost_share_pct"
};

/* The interval of x's mean over k units: t below INTERVAL_MIN_UNITS,
 * else Hall's skewness-corrected t (there is no law record here). */
static void data_interval(ts_stat *s, const double *u, int k)
{
    ts_interval iv = k >= INTERVAL_MIN_UNITS ? interval_hall(u, k) : interval_t(u, k);
    s->ci_lo = s->mean - iv.below;
    s->ci_hi = s->mean + iv.above;
}

ts_stat stat_compute(const double *x, int n, double *work)
{
    ts_stat s;
    memset(&s, 0, sizeof s);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i]))
            work[k++] = x[i];
    s.n = k;
    if (k == 0) {
        s.mean = s.sd = s.se = s.ci_lo = s.ci_hi = s.p5 = s.p25 = s.p50 = s.p75 = s.p95 = NAN;
        return s;
    }
    s.mean = gsl_stats_mean(work, 1, (size_t)k);
    s.sd = k > 1 ? gsl_stats_sd_m(work, 1, (size_t)k, s.mean) : 0;
    s.se = s.sd / sqrt((double)k);
    data_interval(&s, work, k);
    gsl_sort(work, 1, (size_t)k);
    s.p5 = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)k, 0.05);
    s.p25 = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)k, 0.25);
    s.p50 = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)k, 0.50);
    s.p75 = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)k, 0.75);
    s.p95 = gsl_stats_quantile_from_sorted_data(work, 1, (size_t)k, 0.95);
    return s;
}

ts_stat stat_compute_run(const run_result *r, const double *x, int n, double *work)
{
    return stat_compute_law(r, x, n, -1, work);
}

/* An antithetic pair's kappa (lawvar.h): E[a a'] / E[a^2] from the exposures. */
static double law_kappa(const double *a, const double *b)
{
    if (!(a[LAW_N] > 0 && b[LAW_N] > 0 && a[LAW_S2] + b[LAW_S2] > 0))
        return 1;
    double k = (a[LAW_S1] / a[LAW_N]) * (b[LAW_S1] / b[LAW_N]) / ((a[LAW_S2] / a[LAW_N] + b[LAW_S2] / b[LAW_N]) / 2);
    return fmin(1, k);
}

/* The law's variance of a unit's demand in `row` over all n replications
 * (pairs: their means): *known = mean V, returned mean V + Var E. */
static double law_variance(const run_result *r, int n, int row, bool pairs, double *known, int *units)
{
    double sv = 0, se = 0, se2 = 0;
    int k = 0;
    for (int i = 0; i + (pairs ? 1 : 0) < n; i += pairs ? 2 : 1, k++) {
        const double *a = run_law(r, i, row), *b = pairs ? run_law(r, i + 1, row) : a;
        double v = pairs ? (a[LAW_V] + b[LAW_V] + law_kappa(a, b) * (a[LAW_C] + b[LAW_C])) / 4 : a[LAW_V];
        double e = pairs ? (a[LAW_E] + b[LAW_E]) / 2 : a[LAW_E];
        sv += v;
        se += e;
        se2 += e * e;
    }
    *units = k;
    if (k < 2)
        return NAN;
    *known = sv / k;
    double me = se / k, ve = fmax(0, (se2 - k * me * me) / (k - 1));
    return *known + ve;
}

/* Antithetic pairs are not independent: the mean's standard error and
 * interval come from the n/2 pair means (pairs with an undefined member
 * left out), while the quantiles describe single replications as before.
 * With the law's record (row >= 0) the interval is law-informed. */
ts_stat stat_compute_law(const run_result *r, const double *x, int n, int row, double *work)
{
    ts_stat s = stat_compute(x, n, work);
    bool pairs = r->pairs && s.n >= 4;
    double *u = malloc(2 * (size_t)n * sizeof *u), *d = u ? u + n : NULL;
    if (!u || s.n < 2) {
        free(u);
        return s;
    }
    int k = 0;
    for (int i = 0; i + (pairs ? 1 : 0) < n; i += pairs ? 2 : 1) {
        if (isnan(x[i]) || (pairs && isnan(x[i + 1])))
            continue;
        u[k] = pairs ? (x[i] + x[i + 1]) / 2 : x[i];
        if (r->law && row >= 0)
            d[k] = pairs ? (run_law(r, i, row)[LAW_D] + run_law(r, i + 1, row)[LAW_D]) / 2 : run_law(r, i, row)[LAW_D];
        k++;
    }
    if (pairs) {
        if (k < 2) {
            free(u);
            return s;
        }
        double m = gsl_stats_mean(u, 1, (size_t)k);
        s.se = gsl_stats_sd_m(u, 1, (size_t)k, m) / sqrt((double)k);
    }
    double known = 0, var_d = NAN;
    int ke = 0;
    if (r->law && row >= 0 && k >= INTERVAL_MIN_UNITS)
        var_d = law_variance(r, n, row, pairs, &known, &ke);
    ts_interval iv = isfinite(var_d) ? interval_law(u, d, k, var_d, known, ke)
                     : k >= INTERVAL_MIN_UNITS ? interval_hall(u, k) : interval_t(u, k);
    /* the mean is that of the replications (the pair means' may leave some out) */
    s.ci_lo = s.mean - iv.below;
    s.ci_hi = s.mean + iv.above;
    free(u);
    return s;
}

void summary_rep_totals(const run_result *r, int rep, int p, double *tot)
{
    memset(tot, 0, TOT_COUNT * sizeof *tot);
    for (int m = 0; m < r->nmonths; m++) {
        const double *mm = run_month(r, rep, p, m);
        tot[TOT_REVENUE] += mm[MET_REVENUE];
        tot[TOT_INFERENCE_COST] += mm[MET_INFERENCE_COST];
        tot[TOT_OTHER_COST] += mm[MET_OTHER_COST];
        tot[TOT_GROSS_PROFIT] += mm[MET_GROSS_PROFIT];
        tot[TOT_INTERACTIONS] += mm[MET_INTERACTIONS];
        tot[TOT_CUSTOMER_MONTHS] += mm[MET_CUSTOMERS];
        if (!isnan(mm[MET_LOSING]))
            tot[TOT_LOSING] += mm[MET_LOSING] * mm[MET_CUSTOMERS] / 100;
    }
    tot[TOT_LOSING] = tot[TOT_CUSTOMER_MONTHS] > 0 ? 100 * tot[TOT_LOSING] / tot[TOT_CUSTOMER_MONTHS] : NAN;
    tot[TOT_MARGIN] = tot[TOT_REVENUE] > 0 ? 100 * tot[TOT_GROSS_PROFIT] / tot[TOT_REVENUE] : NAN;
    const double *last = run_month(r, rep, p, r->nmonths - 1);
    tot[TOT_FINAL_CUSTOMERS] = last[MET_CUSTOMERS];
    tot[TOT_FINAL_REVENUE] = last[MET_REVENUE];
    tot[TOT_FINAL_MARGIN] = last[MET_MARGIN];
}

static void rep_segments(const run_result *r, int rep, int p, int g, double *sx)
{
    double cm_all = 0, cost_all = 0;
    for (int j = 0; j < r->nsegments; j++) {
        cm_all += run_seg(r, rep, p, j)[SEG_CUSTOMER_MONTHS];
        cost_all += run_seg(r, rep, p, j)[SEG_INFERENCE_COST];
    }
    const double *sg = run_seg(r, rep, p, g);
    double cm = sg[SEG_CUSTOMER_MONTHS];
    double profit = sg[SEG_REVENUE] - sg[SEG_INFERENCE_COST] - sg[SEG_OTHER_COST];
    sx[SX_CUSTOMER_SHARE] = cm_all > 0 ? 100 * cm / cm_all : NAN;
    sx[SX_INTERACTIONS] = cm > 0 ? sg[SEG_INTERACTIONS] / cm : NAN;
    sx[SX_INFERENCE_COST] = cm > 0 ? sg[SEG_INFERENCE_COST] / cm : NAN;
    sx[SX_REVENUE] = cm > 0 ? sg[SEG_REVENUE] / cm : NAN;
    sx[SX_PROFIT] = cm > 0 ? profit / cm : NAN;
    sx[SX_MARGIN] = sg[SEG_REVENUE] > 0 ? 100 * profit / sg[SEG_REVENUE] : NAN;
    sx[SX_COST_SHARE] = cost_all > 0 ? 100 * sg[SEG_INFERENCE_COST] / cost_all : NAN;
}

void summary_free(summary *s)
{
    free(s->month);
    free(s->total);
    free(s->seg);
    free(s->p_margin_below_50);
    free(s->p_margin_below_0);
    free(s->pair_margin);
    free(s->pair_profit);
    free(s->lever_month);
    free(s->lever_total);
    unc_summary_free(s->unc);
    if (s->fin)
        finance_summary_free(s->fin);
    free(s->fin);
    plan_switch_free(s->switches, s->nswitches);
    free(s->declined);
    memset(s, 0, sizeof *s);
}

int summary_build(const run_result *r, summary *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    out->nplans = r->nplans;
    out->nmonths = r->nmonths;
    out->nsegments = r->nsegments;
    out->nreps = r->nreps;
    size_t R = (size_t)r->nreps;
    out->month = calloc((size_t)r->nplans * r->nmonths * MET_COUNT, sizeof(ts_stat));
    out->total = calloc((size_t)r->nplans * TOT_COUNT, sizeof(ts_stat));
    out->seg = calloc((size_t)r->nplans * r->nsegments * SX_COUNT, sizeof(ts_stat));
    out->p_margin_below_50 = calloc((size_t)r->nplans, sizeof(double));
    out->p_margin_below_0 = calloc((size_t)r->nplans, sizeof(double));
    size_t width = (int)TOT_COUNT > (int)SX_COUNT ? (size_t)TOT_COUNT : (size_t)SX_COUNT;
    double *col = malloc(R * width * sizeof(double));
    double *work = malloc(R * sizeof(double));
    double *one = malloc(R * sizeof(double));
    if (!out->month || !out->total || !out->seg || !out->p_margin_below_50 || !out->p_margin_below_0 || !col
        || !work || !one) {
        free(col);
        free(work);
        free(one);
        summary_free(out);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory summarising the run");
    }
    for (int p = 0; p < r->nplans; p++) {
        for (int m = 0; m < r->nmonths; m++)
            for (int k = 0; k < MET_COUNT; k++) {
                for (size_t i = 0; i < R; i++)
                    col[i] = run_month(r, (int)i, p, m)[k];
                *sum_month(out, p, m, k) = stat_compute_law(r, col, (int)R, m, work);
            }
        for (size_t i = 0; i < R; i++)
            summary_rep_totals(r, (int)i, p, col + i * TOT_COUNT);
        int below50 = 0, below0 = 0, defined = 0;
        for (size_t i = 0; i < R; i++) {
            double mg = col[i * TOT_COUNT + TOT_MARGIN];
            if (isnan(mg))
                continue;
            defined++;
            below50 += mg < 50;
            below0 += mg < 0;
        }
        out->p_margin_below_50[p] = defined ? (double)below50 / defined : NAN;
        out->p_margin_below_0[p] = defined ? (double)below0 / defined : NAN;
        for (int k = 0; k < TOT_COUNT; k++) {
            for (size_t i = 0; i < R; i++)
                one[i] = col[i * TOT_COUNT + k];
            *sum_total(out, p, k) = stat_compute_law(r, one, (int)R, r->nmonths, work);
        }
        for (int g = 0; g < r->nsegments; g++) {
            for (size_t i = 0; i < R; i++)
                rep_segments(r, (int)i, p, g, col + i * SX_COUNT);
            for (int k = 0; k < SX_COUNT; k++) {
                for (size_t i = 0; i < R; i++)
                    one[i] = col[i * SX_COUNT + k];
                *sum_seg(out, p, g, k) = stat_compute_law(r, one, (int)R, r->nmonths, work);
            }
        }
    }
    /* paired differences between plans */
    size_t np = (size_t)r->nplans;
    out->pair_margin = calloc(np * np, sizeof(ts_stat));
    out->pair_profit = calloc(np * np, sizeof(ts_stat));
    double *ta = malloc(TOT_COUNT * sizeof(double)), *tb = malloc(TOT_COUNT * sizeof(double));
    double *dm = malloc(R * sizeof(double)), *dp = malloc(R * sizeof(double));
    int ok = out->pair_margin && out->pair_profit && ta && tb && dm && dp;
    for (size_t i = 0; ok && i < np; i++)
        for (size_t j = 0; j < np; j++) {
            for (size_t k = 0; k < R; k++) {
                summary_rep_totals(r, (int)k, (int)i, ta);
                summary_rep_totals(r, (int)k, (int)j, tb);
                dm[k] = ta[TOT_MARGIN] - tb[TOT_MARGIN];
                dp[k] = ta[TOT_GROSS_PROFIT] - tb[TOT_GROSS_PROFIT];
            }
            out->pair_margin[i * np + j] = stat_compute_law(r, dm, (int)R, r->nmonths, work);
            out->pair_profit[i * np + j] = stat_compute_law(r, dp, (int)R, r->nmonths, work);
        }
    if (ok && r->lever) {
        int ns = out->nstages = r->nstages;
        out->lever_month = calloc((size_t)r->nmonths * ns, sizeof(ts_stat));
        out->lever_total = calloc((size_t)ns, sizeof(ts_stat));
        ok = out->lever_month && out->lever_total;
        for (int j = 0; ok && j < ns; j++) {
            for (size_t k = 0; k < R; k++)
                dp[k] = 0;
            for (int m = 0; m < r->nmonths; m++) {
                for (size_t k = 0; k < R; k++) {
                    dm[k] = r->lever[(k * r->nmonths + m) * ns + j];
                    dp[k] += dm[k];
                }
                out->lever_month[(size_t)m * ns + j] = stat_compute_law(r, dm, (int)R, m, work);
            }
            out->lever_total[j] = stat_compute_law(r, dp, (int)R, r->nmonths, work);
        }
    }
    if (ok && plan_switch_build(r, &out->switches, &out->nswitches))
        ok = 0;
    if (ok && r->declined) {
        ok = (out->declined = calloc((size_t)r->nmonths + 1, sizeof(ts_stat))) != NULL;
        for (size_t k = 0; ok && k < R; k++)
            dp[k] = 0;
        for (int m = 0; ok && m < r->nmonths; m++) {
            for (size_t k = 0; k < R; k++) {
                dm[k] = r->declined[k * r->nmonths + m];
                dp[k] += dm[k];
            }
            out->declined[m] = stat_compute_run(r, dm, (int)R, work);
        }
        if (ok)
            out->declined[r->nmonths] = stat_compute_run(r, dp, (int)R, work);
    }
    free(ta);
    free(tb);
    free(dm);
    free(dp);
    free(col);
    free(work);
    free(one);
    if (ok && r->inputs && !(out->unc = unc_summary_build(r)))
        ok = 0;
    if (!ok) {
        summary_free(out);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory summarising the run");
    }
    if (r->fin) {
        if (!(out->fin = calloc(1, sizeof *out->fin))) {
            summary_free(out);
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory summarising the run");
        }
        int rc = finance_summary_build(r, out->fin, err);
        if (rc) {
            summary_free(out);
            return rc;
        }
    }
    return TS_OK;
}
