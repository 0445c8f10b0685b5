/* tail.c: the heavy-tail diagnosis of tail.h.
 *
 * The half-variance share q: with mu and V the law's mean and variance,
 *   w(p) = int_p^1 (Q(u) - mu)^2 du = (1 - p) (M2(p,1) - 2 mu M1(p,1) + mu^2)
 * (M_k of models/usage_moments.h) falls from V at p = 0 to 0 at p = 1, as
 * dw/dp = -(Q(p) - mu)^2; q = 1 - p* where w(p*) = V / 2, found by
 * bisection on s = -log2(1 - p), which spreads the tail out. */
#include "tail.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/usage_moments.h"
#include "interval.h"
#include "stats.h"

static double above(const usage_dist *u, double mu, double p)
{
    double m1 = usage_dist_band_moment(u, 1, p, 1), m2 = usage_dist_band_moment(u, 2, p, 1);
    return (1 - p) * fmax(0, m2 - 2 * mu * m1 + mu * mu);
}

double tail_half_variance_share(const usage_dist *u)
{
    double mu = usage_dist_band_moment(u, 1, 0, 1), m2 = usage_dist_band_moment(u, 2, 0, 1);
    if (!isfinite(m2))
        return NAN;
    double v = m2 - mu * mu;
    if (!(v > 1e-12 * m2))
        return 0;
    double lo = 0, hi = 52;   /* s: w(1 - 2^-lo) >= v/2 > w(1 - 2^-hi) */
    for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2;
        if (above(u, mu, 1 - exp2(-mid)) >= v / 2)
            lo = mid;
        else
            hi = mid;
    }
    return exp2(-(lo + hi) / 2);
}

/* The sample skewness of replication totals k of plan p (pair means under
 * antithetic sampling), NaN with fewer than 3. */
static double total_skew(const run_result *r, int p, int k, double *x, int *units)
{
    double tot[TOT_COUNT], prev = NAN;
    int n = 0;
    for (int i = 0; i < r->nreps; i++) {
        summary_rep_totals(r, i, p, tot);
        if (r->pairs && i % 2 == 0) {
            prev = tot[k];
            continue;
        }
        double v = r->pairs ? (prev + tot[k]) / 2 : tot[k];
        if (!isnan(v))
            x[n++] = v;
    }
    *units = n;
    return n >= 3 ? interval_t(x, n).skew : NAN;
}

void tail_check(const scenario *s, const run_result *r, tail_report *t)
{
    *t = (tail_report){ 0 };
    t->top_share = usage_dist_top_share(&s->usage, 0.001);
    t->q_half = tail_half_variance_share(&s->usage);
    t->infinite = isnan(t->q_half);
    for (int m = 0; m < r->nmonths && r->nreps > 0; m++) {
        double sum = 0;
        for (int i = 0; i < r->nreps; i++)
            sum += run_month(r, i, 0, m)[MET_NEW];
        t->customers += sum / r->nreps;
    }
    double *x = malloc((size_t)(r->nreps > 0 ? r->nreps : 1) * sizeof *x);
    int k = 0;
    for (int p = 0; x && p < r->nplans; p++) {
        const int ks[2] = { TOT_MARGIN, TOT_INFERENCE_COST };
        for (int j = 0; j < 2; j++) {
            double g = total_skew(r, p, ks[j], x, &k);
            if (isfinite(g) && fabs(g) > t->skew)
                t->skew = fabs(g);
        }
    }
    free(x);
    t->replications = r->nreps;
    t->skew_limit = k >= 3 ? fmax(TAIL_SKEW, 3 * sqrt(6.0 * (k - 2) / ((k + 1.0) * (k + 3)))) : INFINITY;
    double need = 1;
    if (t->infinite)
        need = INT_MAX;
    else if (t->q_half > 0 && t->customers > 0)
        need = fmax(need, ceil(3 / (t->customers * t->q_half)));
    need = fmax(need, ceil(25 * t->skew * t->skew));
    t->needed = need >= INT_MAX ? INT_MAX : (int)need;
    t->heavy = t->infinite || t->top_share > TAIL_TOP_SHARE || t->skew > t->skew_limit;
}

void tail_describe(const tail_report *t, char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n, "%s", t->heavy ? "heavy tail: " : "");
    const char *and = "";
    if (len < n && t->top_share > TAIL_TOP_SHARE) {
        len += (size_t)snprintf(buf + len, n - len, "the heaviest 0.1%% of customers make %.3g%% of the usage "
                                "(over %g%%)", 100 * t->top_share, 100 * TAIL_TOP_SHARE);
        and = ", and ";
    }
    if (len < n && t->skew > t->skew_limit) {
        len += (size_t)snprintf(buf + len, n - len, "%sthe replications' totals have skewness %.2g (beyond %.2g)", and,
                                t->skew, t->skew_limit);
        and = ", and ";
    }
    if (len >= n || !t->heavy)
        return;
    if (t->infinite)
        snprintf(buf + len, n - len, "%sthe usage law's variance is infinite (a power law without a cap, alpha <= 2): "
                                     "no number of replications makes an interval honest; these intervals come from "
                                     "the replications alone", and);
    else
        snprintf(buf + len, n - len, "; an interval from the replications' own spread needs about %d replications "
                                     "(this run has %d); these intervals take the demand's variance from the usage law",
                 t->needed, t->replications);
}
