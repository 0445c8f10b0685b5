/* guard.c: the resource estimate before a run and the finiteness check
 * after it (see guard.h). */
#include "guard.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine_internal.h"
#include "models/wallet.h"

static double memory_limit;

void engine_memory_limit_set(double bytes)
{
    memory_limit = bytes > 0 ? bytes : 0;
}

/* Customers alive at each month's end: last month's, less churn, plus
 * growth on them and the month's sign-ups (the engine's mean path). */
static double peak_path(const customers_cfg *c, int horizon, double initial, double fresh, double growth,
                        double *months)
{
    double n = initial, peak = n, sum = 0;
    for (int m = 0; m < horizon && isfinite(n); m++) {
        double add = fresh;
        for (int i = 0; i < c->nschedule; i++)
            if (c->schedule[i].from <= m + 1)
                add = c->schedule[i].new_per_month;
        sum += n;
        n = n * (1 - c->churn + growth) + add;
        peak = fmax(peak, n);
    }
    if (months)
        *months = isfinite(n) ? sum + n : INFINITY;
    return isfinite(n) ? peak : INFINITY;
}

void engine_estimate_run(const scenario *s, int count, int threads, engine_estimate *e)
{
    const customers_cfg *c = &s->customers;
    memset(e, 0, sizeof *e);
    e->peak_customers = peak_path(c, s->horizon, c->initial, c->new_per_month, c->growth_rate, &e->customer_months);
    /* the driver: the key whose removal shrinks the peak the most */
    double without_growth = peak_path(c, s->horizon, c->initial, c->new_per_month, 0, NULL);
    double without_new = peak_path(c, s->horizon, c->initial, 0, c->growth_rate, NULL);
    if (c->growth_rate > 0 && without_growth * 4 < e->peak_customers)
        e->driver = "customers.growth_rate";
    else if (c->initial >= without_new - c->initial)
        e->driver = without_new >= without_growth - without_new ? "customers.initial" : "customers.new_per_month";
    else
        e->driver = c->nschedule ? "customers.schedule" : "customers.new_per_month";
    /* per live customer: its record, the month's scratch and bills, and
     * per plan a quota state and a wallet; the arrays double as they grow */
    double per = sizeof(customer) + sizeof(double) * (2.0 + 2 * s->nplans);
    for (int p = 0; p < s->nplans; p++) {
        const plan *pl = &s->plans[p];
        unsigned keeps = plan_keeps(pl);
        if (pl->quota > 0 || pl->free_tier || keeps || pl->commit > 0 || pl->shock_churn > 0)
            per += sizeof(qstate);
        if (keeps & PLAN_KEEPS_WALLET)
            per += WALLET_MAX_LOTS * sizeof(double);
    }
    int t = threads > 0 ? threads : omp_get_num_procs();
    if (t > count)
        t = count > 0 ? count : 1;
    double snapshot = e->peak_customers * (double)(3 * sizeof(double) + 1 + sizeof(double) * (size_t)s->nplans);
    double results = (double)count * s->nplans * s->horizon * (MET_COUNT + 8) * sizeof(double);
    if (s->finance.enabled) {
        /* the cohort x month table and the finance rows (finance.h), and each customer's bill a year back */
        results += (double)count * s->nplans * (s->horizon * (s->horizon * 3.0 + 3) + 24) * sizeof(double);
        per += sizeof(double) * (size_t)s->nplans;
    }
    e->bytes = 2 * per * e->peak_customers * t + snapshot + results;
    /* about 0.2 microseconds per customer-month and plan, measured on the
     * textbook scenarios; only an order of magnitude for the message */
    e->seconds = 2e-7 * e->customer_months * fmax(1, s->nplans) * count / t;
}

static void human_bytes(double b, char *buf, size_t n)
{
    const char *unit[] = { "bytes", "KB", "MB", "GB", "TB", "PB" };
    int u = 0;
    while (b >= 1024 && u < 5)
        b /= 1024, u++;
    if (b >= 1e6)
        snprintf(buf, n, "more than a million PB");
    else
        snprintf(buf, n, "about %.3g %s", b, unit[u]);
}

int engine_guard(const scenario *s, int count, int threads, ts_error *err)
{
    engine_estimate e;
    engine_estimate_run(s, count, threads, &e);
    double limit = memory_limit;
    const char *what = "--max-memory";
    if (limit <= 0) {
        long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        limit = pages > 0 && size > 0 ? (double)pages * (double)size : INFINITY;
        what = "this machine's memory";
    }
    if (e.bytes <= limit)
        return TS_OK;
    char need[48], have[48];
    human_bytes(e.bytes, need, sizeof need);
    human_bytes(limit, have, sizeof have);
    return ts_error_set(err, TS_ERR_INPUT, s->source, 0, 0,
                        "run too large: %s of memory for a peak of %.3g live customers over %d months "
                        "(%d replication%s, about %.2g s of computing), over %s allowed by %s; %s drives it: lower it, "
                        "or shorten horizon_months", need, e.peak_customers, s->horizon, count, count == 1 ? "" : "s", e.seconds, have, what,
                        e.driver);
}

/* The keys behind a metric, for the message. */
static const char *feeders(int k)
{
    switch (k) {
    case MET_REVENUE: case MET_GROSS_PROFIT: case MET_MARGIN: case MET_PAYMENT_COST: case MET_OTHER_COST:
    case MET_REVENUE_PER_CUSTOMER: case MET_TOP20_REVENUE: case MET_BREAKAGE: case MET_TRUEUP:
        return "plans.*.price and the plans' other prices (overage, tiers, seats), costs.payment_*";
    case MET_MODEL_COST: case MET_INFERENCE_COST: case MET_COST_PER_INTERACTION: case MET_COST_PER_CUSTOMER:
    case MET_INFERENCE_PER_CUSTOMER: case MET_TOP20_COST:
        return "prices.models.* and features.*.tokens";
    case MET_RETRIEVAL_COST:
        return "prices.embedding_per_mtok, prices.vector_search_per_call and features.*.embedding_tokens";
    case MET_INFRA_COST:
        return "costs.infra_per_customer_month";
    case MET_INTERACTIONS: case MET_TOKENS: case MET_TOKENS_PER_INTERACTION:
        return "usage.* and features.*.tokens";
    default:
        return "customers.* and usage.*";
    }
}

/* Sums must be numbers; ratios may be NaN (no revenue, no interactions). */
static bool nan_allowed(int k)
{
    return k == MET_MARGIN || k == MET_COST_PER_INTERACTION || k == MET_COST_PER_CUSTOMER
           || k == MET_INFERENCE_PER_CUSTOMER || k == MET_REVENUE_PER_CUSTOMER || k == MET_TOKENS_PER_INTERACTION
           || k == MET_LIMIT_DAY || (k >= MET_TOP1 && k <= MET_LOSING) || (k >= MET_WARN75 && k <= MET_FREE_COST)
           || k == MET_LIMIT_REACHED;
}

int engine_results_check(const scenario *s, const run_result *r, ts_error *err)
{
    for (int i = 0; i < r->nreps; i++)
        for (int p = 0; p < r->nplans; p++)
            for (int m = 0; m < r->nmonths; m++)
                for (int k = 0; k < MET_COUNT; k++) {
                    double v = run_month(r, i, p, m)[k];
                    if (isinf(v) || (isnan(v) && !nan_allowed(k)))
                        return ts_error_set(err, TS_ERR_RUNTIME, s->source, 0, 0,
                                            "result not a number: %s is %s in month %d of plan '%s' (replication %d); "
                                            "it comes from %s: check them for extreme values",
                                            metric_names[k], isnan(v) ? "nan" : v > 0 ? "inf" : "-inf", m + 1,
                                            s->plans[p].name, r->first + i + 1, feeders(k));
                }
    return TS_OK;
}
