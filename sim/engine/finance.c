/* finance.c: unit economics and cash, from sums the engine streams.
 *
 * A customer-month adds to its cohort's cell (finance_customer_month);
 * the replication's end turns the cohort table and the month's metrics into
 * LTV, CAC, payback, retention, cash and runway (finance_replication); the
 * summary takes their statistics over replications in index order. The
 * formulas are those of docs/finance.md. */
#include "finance.h"
#include "engine_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const fin_figure_names[FIN_SHOWN] = {
    "mrr", "arr", "net_revenue_retention_pct", "gross_revenue_retention_pct", "arpu", "gross_profit_per_customer",
    "churn_monthly", "ltv", "ltv_closed_form_horizon", "ltv_closed_form", "cac", "ltv_to_cac", "cac_payback_months",
    "cash_end", "burn_last_month", "cash_min", "runway_months", "acquisition_spend"
};
const char *const fin_month_names[FM_COUNT] = { "acquisition_spend", "cash_flow", "cash" };
const char *const cohort_metric_names[CO_COUNT] = { "customers", "revenue", "gross_profit" };
const char *const fin_cohort_names[FC_COUNT] = { "customers", "revenue", "gross_profit", "retention_pct",
                                                 "revenue_retention_pct", "ltv_to_date" };

int finance_window_base(int horizon)
{
    return horizon - 1 > 12 ? horizon - 1 - 12 : 0;
}

double finance_monthly_rate(double annual)
{
    return expm1(log1p(annual) / 12);
}

double finance_acquisition(const finance_cfg *f, double n)
{
    if (f->marketing_budget > 0)
        return f->marketing_budget;
    if (n <= 0)
        return 0;
    double cpa = f->cac_volume > 0 && f->cac_elasticity > 0 ? f->cac * pow(n / f->cac_volume, f->cac_elasticity)
                                                            : f->cac;
    return n * cpa;
}

double finance_ltv_closed(double g, double c, double d, int months)
{
    if (!(c + d > 0))
        return NAN;
    double q = (1 - c) / (1 + d), ltv = g * (1 + d) / (c + d);
    return months > 0 ? ltv * (1 - pow(q, months)) : ltv;
}

/* Customer i's month m under plan p, billed rev with inference cost inf:
 * its cohort's cell, and the retention window's sums. */
void finance_customer_month(workspace *w, const scenario *s, run_result *out, int rep, int m, size_t i, int p,
                            double rev, double inf)
{
    const customer *c = &w->c[i];
    const other_costs *oc = &s->costs;
    double pay = oc->payment_share * rev + (rev > 0 ? oc->payment_fixed : 0);
    int k = (int)c->signup;
    if (k > m)
        k = m;                  /* a float sign-up time rounded up to the month's end */
    double *cell = run_cohort(out, rep, p, k, m);
    cell[CO_CUSTOMERS] += 1;
    cell[CO_REVENUE] += rev;
    cell[CO_PROFIT] += rev - inf - oc->infra_per_customer - pay;
    int b = finance_window_base(s->horizon), e = s->horizon - 1;
    if (b == e)
        return;
    double *fin = run_fin(out, rep, p), *base = &w->fin_base[i * (size_t)s->nplans + p];
    if (m == b) {
        *base = rev;
        fin[FIN_NRR_BASE] += rev;
    } else if (m == e && !isnan(*base)) {
        fin[FIN_NRR_NOW] += rev;
        fin[FIN_GRR_NOW] += fmin(rev, *base);
    }
}

/* The simulated LTV: at each age a, the discounted gross profit of the
 * cohorts old enough to be seen at that age, per sign-up of those cohorts. */
static double simulated_ltv(const run_result *r, int rep, int p, double d)
{
    double ltv = 0, disc = 1;
    int H = r->nmonths;
    for (int a = 0; a < H; a++, disc /= 1 + d) {
        double num = 0, den = 0;
        for (int k = 0; k + a < H; k++) {
            num += run_cohort(r, rep, p, k, k + a)[CO_PROFIT];
            den += run_cohort(r, rep, p, k, k)[CO_CUSTOMERS];
        }
        if (den > 0)
            ltv += num / den * disc;
    }
    return ltv;
}

/* Cash month by month: gross profit less fixed costs and acquisition. */
static void cash_months(const scenario *s, run_result *r, int rep, int p, double *fin)
{
    const finance_cfg *f = &s->finance;
    double cash = f->starting_cash, acq = 0, signups = 0, low = INFINITY, runway = NAN, flow = 0;
    for (int m = 0; m < r->nmonths; m++) {
        const double *mm = run_month(r, rep, p, m);
        double n = mm[MET_NEW] - (m == 0 ? s->customers.initial : 0);
        double *fm = run_fin_month(r, rep, p, m);
        fm[FM_ACQUISITION] = finance_acquisition(f, n);
        flow = mm[MET_GROSS_PROFIT] - f->fixed_costs - fm[FM_ACQUISITION];
        cash += flow;
        fm[FM_CASH_FLOW] = flow;
        fm[FM_CASH] = cash;
        acq += fm[FM_ACQUISITION];
        signups += n;
        low = fmin(low, cash);
        if (cash < 0 && isnan(runway))
            runway = m + 1;
    }
    fin[FIN_ACQUISITION] = acq;
    fin[FIN_CAC] = signups > 0 ? acq / signups : NAN;
    fin[FIN_CASH_END] = cash;
    fin[FIN_BURN] = -flow;
    fin[FIN_MIN_CASH] = low;
    fin[FIN_RUNWAY] = runway;
}

void finance_replication(const scenario *s, run_result *r, int rep)
{
    double d = r->fin_discount, c = s->customers.churn;
    for (int p = 0; p < r->nplans; p++) {
        double *fin = run_fin(r, rep, p);
        double rev = 0, gp = 0, cm = 0, churned = 0;
        for (int m = 0; m < r->nmonths; m++) {
            const double *mm = run_month(r, rep, p, m);
            rev += mm[MET_REVENUE];
            gp += mm[MET_GROSS_PROFIT];
            cm += mm[MET_CUSTOMERS];
            churned += mm[MET_CHURNED];
        }
        double last = run_month(r, rep, p, r->nmonths - 1)[MET_REVENUE];
        fin[FIN_MRR] = last;
        fin[FIN_ARR] = 12 * last;
        fin[FIN_NRR] = fin[FIN_NRR_BASE] > 0 ? 100 * fin[FIN_NRR_NOW] / fin[FIN_NRR_BASE] : NAN;
        fin[FIN_GRR] = fin[FIN_NRR_BASE] > 0 ? 100 * fin[FIN_GRR_NOW] / fin[FIN_NRR_BASE] : NAN;
        double g = cm > 0 ? gp / cm : NAN;
        fin[FIN_ARPU] = cm > 0 ? rev / cm : NAN;
        fin[FIN_MARGIN_PER_CUSTOMER] = g;
        fin[FIN_CHURN] = cm > 0 ? churned / cm : NAN;
        fin[FIN_LTV] = simulated_ltv(r, rep, p, d);
        fin[FIN_LTV_HORIZON] = finance_ltv_closed(g, c, d, r->nmonths);
        fin[FIN_LTV_CLOSED] = finance_ltv_closed(g, c, d, 0);
        cash_months(s, r, rep, p, fin);
        fin[FIN_LTV_CAC] = fin[FIN_CAC] > 0 ? fin[FIN_LTV] / fin[FIN_CAC] : NAN;
        fin[FIN_PAYBACK] = g > 0 && !isnan(fin[FIN_CAC]) ? fin[FIN_CAC] / g : NAN;
    }
}

void finance_summary_free(fin_summary *f)
{
    free(f->fig);
    free(f->month);
    free(f->cohort);
    free(f->cash_out);
    memset(f, 0, sizeof *f);
}

/* The cohort table's statistics of plan p: a cell's value per replication,
 * retention and LTV to date (acc: each replication's discounted gross
 * profit so far) relative to the cohort's sign-ups. */
static void cohort_stats(const run_result *r, fin_summary *out, int p, double *col, double *work, double *acc)
{
    int R = r->nreps, H = r->nmonths;
    for (int k = 0; k < H; k++) {
        memset(acc, 0, (size_t)R * sizeof *acc);
        double disc = 1;
        for (int m = k; m < H; m++, disc /= 1 + r->fin_discount) {
            for (int i = 0; i < R; i++)
                acc[i] += run_cohort(r, i, p, k, m)[CO_PROFIT] * disc;
            for (int j = 0; j < FC_COUNT; j++) {
                for (int i = 0; i < R; i++) {
                    const double *cell = run_cohort(r, i, p, k, m);
                    const double *first = run_cohort(r, i, p, k, k);
                    double n0 = first[CO_CUSTOMERS];
                    if (j < FC_RETENTION)
                        col[i] = cell[j];
                    else if (j == FC_RETENTION)
                        col[i] = n0 > 0 ? 100 * cell[CO_CUSTOMERS] / n0 : NAN;
                    else if (j == FC_REVENUE_RETENTION)
                        col[i] = first[CO_REVENUE] > 0 ? 100 * cell[CO_REVENUE] / first[CO_REVENUE] : NAN;
                    else
                        col[i] = n0 > 0 ? acc[i] / n0 : NAN;
                }
                *fin_coh(out, p, k, m, j) = stat_compute_run(r, col, R, work);
            }
        }
    }
}

int finance_summary_build(const run_result *r, fin_summary *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    int R = r->nreps, H = r->nmonths, P = r->nplans;
    out->nplans = P;
    out->nmonths = H;
    out->fig = calloc((size_t)P * FIN_SHOWN, sizeof *out->fig);
    out->month = calloc((size_t)P * H * FM_COUNT, sizeof *out->month);
    out->cohort = calloc((size_t)P * H * H * FC_COUNT, sizeof *out->cohort);
    out->cash_out = calloc((size_t)P, sizeof *out->cash_out);
    double *col = malloc((size_t)R * sizeof *col), *work = malloc((size_t)R * sizeof *work);
    double *acc = malloc((size_t)R * sizeof *acc);
    if (!out->fig || !out->month || !out->cohort || !out->cash_out || !col || !work || !acc) {
        free(col);
        free(work);
        free(acc);
        finance_summary_free(out);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory summarising unit economics");
    }
    for (int p = 0; p < P; p++) {
        for (int k = 0; k < FIN_SHOWN; k++) {
            for (int i = 0; i < R; i++)
                col[i] = run_fin(r, i, p)[k];
            *fin_fig(out, p, k) = stat_compute_run(r, col, R, work);
        }
        int out_of_cash = 0;
        for (int i = 0; i < R; i++)
            out_of_cash += !isnan(run_fin(r, i, p)[FIN_RUNWAY]);
        out->cash_out[p] = R > 0 ? (double)out_of_cash / R : NAN;
        for (int m = 0; m < H; m++)
            for (int k = 0; k < FM_COUNT; k++) {
                for (int i = 0; i < R; i++)
                    col[i] = run_fin_month(r, i, p, m)[k];
                *fin_mon(out, p, m, k) = stat_compute_run(r, col, R, work);
            }
        cohort_stats(r, out, p, col, work, acc);
    }
    free(col);
    free(work);
    free(acc);
    return TS_OK;
}
