/* usage_quantiles.c: a distribution given by a few quantiles (P25, P50, P90
 * as the textbook exercise states usage).
 *
 * ln X is taken piecewise linear in the normal score z = Phi^-1(p) through
 * the points (z_i, ln q_i), extended beyond the first and last point with
 * the slope of the nearest piece. So the stated quantiles hold exactly, and
 * two points (or collinear ones) give a lognormal. On piece k,
 * ln x = a_k + b_k z for z in [l_k, h_k], and
 *   E X = sum_k exp(a_k + b_k^2/2) (Phi(h_k - b_k) - Phi(l_k - b_k))
 * Top share: the same sum restricted to z > z_(1-p), divided by E X. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>

#include "usage_laws.h"

typedef usage_quantiles_params params;

/* Piece k spans the k-th interval between points; piece 0 and the last
 * extend to -inf and +inf. */
static void piece(const params *u, int k, double *a, double *b, double *lo, double *hi)
{
    int n = u->npoints;
    int i = k < n - 1 ? k : n - 2;
    *b = (u->yq[i + 1] - u->yq[i]) / (u->zq[i + 1] - u->zq[i]);
    *a = u->yq[i] - *b * u->zq[i];
    *lo = k == 0 ? -INFINITY : u->zq[k];
    *hi = k >= n - 2 ? INFINITY : u->zq[k + 1];
}

static double log_at(const params *u, double z)
{
    int n = u->npoints;
    int k = 0;
    while (k < n - 2 && z > u->zq[k + 1])
        k++;
    double a, b, lo, hi;
    piece(u, k, &a, &b, &lo, &hi);
    return a + b * z;
}

static double quantile(const usage_dist *u, double p)
{
    return exp(log_at(usage_params_c(u), gsl_cdf_ugaussian_Pinv(p)));
}

static double draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    (void)segment;
    return exp(log_at(usage_params_c(u), gsl_ran_ugaussian(r)));
}

/* Integral of exp(a + b z) phi(z) over z in [lo, hi], lo >= from. */
static double partial(const params *u, double from)
{
    double sum = 0;
    for (int k = 0; k < u->npoints - 1; k++) {
        double a, b, lo, hi;
        piece(u, k, &a, &b, &lo, &hi);
        if (hi <= from)
            continue;
        if (lo < from)
            lo = from;
        sum += exp(a + b * b / 2) * (gsl_cdf_ugaussian_P(hi - b) - gsl_cdf_ugaussian_P(lo - b));
    }
    return sum;
}

static double mean(const usage_dist *u)
{
    return partial(usage_params_c(u), -INFINITY);
}

static double top_share(const usage_dist *u, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    const params *q = usage_params_c(u);
    return partial(q, gsl_cdf_ugaussian_Pinv(1.0 - p)) / partial(q, -INFINITY);
}

/* ---- the law ---- */

static const param_key point_keys[] = {
    PNUM(usage_point, "p", p, 0, 1, PARAM_MIN_OPEN | PARAM_MAX_OPEN | PARAM_REQUIRED, "probability", NULL,
         "quantile level, e.g. 0.25 for P25"),
    PNUM(usage_point, "value", value, 0, 0, PARAM_GT0 | PARAM_REQUIRED, "interactions per month", NULL,
         "monthly intensity at that quantile"),
    PARAM_END
};

static const param_key keys[] = {
    PLIST(params, "quantiles", points, usage_point, npoints, USAGE_MAX_POINTS, point_keys, PARAM_NEEDED,
          "points (p, value) of the intensity distribution, e.g. P25/P50/P90"),
    PARAM_END
};

static int prepare(usage_dist *d, const char **what, ts_error *err)
{
    params *u = usage_params(d);
    *what = "quantiles";
    if (u->npoints < 2)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "expected at least two quantile points");
    for (int i = 0; i < u->npoints; i++) {
        if (i > 0 && u->points[i].p <= u->points[i - 1].p)
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "expected quantile points in increasing order of p");
        if (i > 0 && u->points[i].value <= u->points[i - 1].value)
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "expected values that increase with p");
        u->zq[i] = gsl_cdf_ugaussian_Pinv(u->points[i].p);
        u->yq[i] = log(u->points[i].value);
    }
    *what = NULL;
    return TS_OK;
}

static int heavier_tail(const usage_dist *d, char *set, size_t n)
{
    const params *u = usage_params_c(d);
    return snprintf(set, n, "usage.quantiles.%d.value=%.17g", u->npoints - 1, 1.5 * u->points[u->npoints - 1].value);
}

static int sensitivity(const usage_dist *d, double f, usage_sens *v, int max)
{
    (void)d;
    if (max < 1)
        return 0;
    v[0] = (usage_sens){ "usage.quantiles.*.value", true, 1 - f, 1 + f };
    return 1;
}

static int describe(const usage_dist *d, char *buf, size_t n)
{
    const params *u = usage_params_c(d);
    int len = snprintf(buf, n, "through the quantiles");
    for (int i = 0; i < u->npoints && len >= 0 && (size_t)len < n; i++)
        len += snprintf(buf + len, n - (size_t)len, "%s P%g = %g", i ? "," : "", 100 * u->points[i].p,
                        u->points[i].value);
    return len;
}

const usage_law usage_law_quantiles = {
    .name = "quantiles",
    .summary = "a distribution through a few stated quantiles (P25, P50, P90)",
    .keys = keys,
    .params_size = sizeof(params),
    .draw = draw,
    .mean = mean,
    .quantile = quantile,
    .top_share = top_share,
    .describe = describe,
    .prepare = prepare,
    .heavier_tail = heavier_tail,
    .sensitivity = sensitivity,
};
