/* finance.h: unit economics and cash of a run (docs/finance.md).
 *
 * With a finance: section the engine keeps, per replication and plan, a
 * cohort x month table (customers billed, revenue, gross profit of the
 * customers who signed up in each month) and the sums of net and gross
 * revenue retention over the horizon's last year; at the end of the
 * replication finance_replication turns them, with the month's metrics,
 * into the figures investors read (LTV, CAC, payback, NRR, cash, runway).
 * No customer history is kept. finance_summary_build summarises them over
 * replications in replication order, so the result does not depend on the
 * number of threads. */
#ifndef TS_FINANCE_H
#define TS_FINANCE_H

#include "engine.h"
#include "stats.h"

/* Per cohort (sign-up month) and month. */
enum cohort_metric {
    CO_CUSTOMERS,            /* customers of the cohort billed in the month */
    CO_REVENUE,
    CO_PROFIT,               /* revenue - inference - other costs, before self-hosting's settlement */
    CO_COUNT
};

/* Per replication and plan. */
enum fin_figure {
    FIN_MRR,                 /* revenue of the last month */
    FIN_ARR,                 /* 12 x MRR */
    FIN_NRR,                 /* % net revenue retention over the window */
    FIN_GRR,                 /* % gross revenue retention (no expansion) */
    FIN_ARPU,                /* revenue per customer-month over the horizon */
    FIN_MARGIN_PER_CUSTOMER, /* gross profit per customer-month: m * ARPU */
    FIN_CHURN,               /* observed monthly churn: customers lost / customers at risk */
    FIN_LTV,                 /* simulated: discounted gross profit per sign-up over the horizon's ages */
    FIN_LTV_HORIZON,         /* closed form, truncated at the horizon's months of age */
    FIN_LTV_CLOSED,          /* closed form, m * ARPU * (1 + d) / (c + d) */
    FIN_CAC,                 /* $ per sign-up over the horizon */
    FIN_LTV_CAC,
    FIN_PAYBACK,             /* months: CAC / (m * ARPU) */
    FIN_CASH_END,            /* $ at the horizon */
    FIN_BURN,                /* $ net burn of the last month (negative: cash grows) */
    FIN_MIN_CASH,            /* $ lowest cash over the horizon */
    FIN_RUNWAY,              /* first month whose end finds cash below 0; NaN if none */
    FIN_ACQUISITION,         /* $ spent on acquisition over the horizon */
    /* raw sums of the retention window, kept for the figures above */
    FIN_NRR_BASE, FIN_NRR_NOW, FIN_GRR_NOW,
    FIN_COUNT
};
#define FIN_SHOWN FIN_NRR_BASE   /* figures before this one are reported */

/* Per replication, plan and month. */
enum fin_month {
    FM_ACQUISITION,          /* $ spent on the month's sign-ups */
    FM_CASH_FLOW,            /* gross profit - fixed costs - acquisition */
    FM_CASH,                 /* at the month's end */
    FM_COUNT
};

extern const char *const fin_figure_names[FIN_SHOWN];
extern const char *const fin_month_names[FM_COUNT];
extern const char *const cohort_metric_names[CO_COUNT];

/* The retention window: from month base_month to the last (0-based), a
 * year or the whole horizon when shorter; base_month == last when the
 * horizon is one month (no window). */
int finance_window_base(int horizon);

/* Monthly discount factor d from the annual rate r: (1 + r)^(1/12) - 1. */
double finance_monthly_rate(double annual);

/* The acquisition spend of n sign-ups in a month (the budget when one is
 * set, else n * CPA(n)). */
double finance_acquisition(const finance_cfg *f, double n);

/* Closed-form LTV of a customer who pays g a month, stays with monthly
 * probability 1 - c and is discounted at d a month, over `months` months
 * of age (months <= 0: for ever): g * (1+d)/(c+d) * (1 - ((1-c)/(1+d))^months).
 * NaN when it does not converge. */
double finance_ltv_closed(double g, double c, double d, int months);

static inline double *run_cohort(const run_result *r, int rep, int p, int k, int m)
{
    return r->cohort + ((((size_t)rep * r->nplans + p) * r->nmonths + k) * r->nmonths + m) * CO_COUNT;
}
static inline double *run_fin(const run_result *r, int rep, int p)
{
    return r->fin + ((size_t)rep * r->nplans + p) * FIN_COUNT;
}
static inline double *run_fin_month(const run_result *r, int rep, int p, int m)
{
    return r->fin_month + (((size_t)rep * r->nplans + p) * r->nmonths + m) * FM_COUNT;
}

/* Turns replication rep's cohort table, retention sums and month metrics
 * into its figures (run_fin, run_fin_month). */
void finance_replication(const scenario *s, run_result *r, int rep);

/* The statistics of the finance figures over replications. */
typedef struct fin_summary {
    int nplans, nmonths;
    ts_stat *fig;            /* [plan][FIN_SHOWN] */
    ts_stat *month;          /* [plan][month][FM_COUNT] */
    /* per cohort and month: customers, revenue, gross profit, retention
     * (% of the cohort's sign-ups still billed), revenue retention (% of
     * the cohort's first month's revenue), and LTV to date (discounted
     * gross profit per sign-up up to that month) */
    ts_stat *cohort;         /* [plan][cohort][month][FC_COUNT] */
    double *cash_out;        /* [plan] share of replications whose cash fell below 0 */
} fin_summary;

enum fin_cohort_stat { FC_CUSTOMERS, FC_REVENUE, FC_PROFIT, FC_RETENTION, FC_REVENUE_RETENTION, FC_LTV_TO_DATE,
                       FC_COUNT };
extern const char *const fin_cohort_names[FC_COUNT];

static inline ts_stat *fin_fig(const fin_summary *f, int p, int k) { return &f->fig[(size_t)p * FIN_SHOWN + k]; }
static inline ts_stat *fin_mon(const fin_summary *f, int p, int m, int k)
{
    return &f->month[((size_t)p * f->nmonths + m) * FM_COUNT + k];
}
static inline ts_stat *fin_coh(const fin_summary *f, int p, int k, int m, int j)
{
    return &f->cohort[(((size_t)p * f->nmonths + k) * f->nmonths + m) * FC_COUNT + j];
}

/* Summarises r's finance figures into *out (allocated; free with
 * finance_summary_free). r must carry them (r->fin). Returns TS_OK or
 * TS_ERR_RUNTIME. */
int finance_summary_build(const run_result *r, fin_summary *out, ts_error *err);
void finance_summary_free(fin_summary *f);

#endif
