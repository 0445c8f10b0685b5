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

#include "usage.h"

/* Piece k spans the k-th interval between points; piece 0 and the last
 * extend to -inf and +inf. */
static void piece(const usage_dist *u, int k, double *a, double *b, double *lo, double *hi)
{
    int n = u->npoints;
    int i = k < n - 1 ? k : n - 2;
    *b = (u->yq[i + 1] - u->yq[i]) / (u->zq[i + 1] - u->zq[i]);
    *a = u->yq[i] - *b * u->zq[i];
    *lo = k == 0 ? -INFINITY : u->zq[k];
    *hi = k >= n - 2 ? INFINITY : u->zq[k + 1];
}

static double log_at(const usage_dist *u, double z)
{
    int n = u->npoints;
    int k = 0;
    while (k < n - 2 && z > u->zq[k + 1])
        k++;
    double a, b, lo, hi;
    piece(u, k, &a, &b, &lo, &hi);
    return a + b * z;
}

double usage_quantiles_quantile(const usage_dist *u, double p)
{
    return exp(log_at(u, gsl_cdf_ugaussian_Pinv(p)));
}

double usage_quantiles_draw(const gsl_rng *r, const usage_dist *u)
{
    return exp(log_at(u, gsl_ran_ugaussian(r)));
}

/* Integral of exp(a + b z) phi(z) over z in [lo, hi], lo >= from. */
static double partial(const usage_dist *u, double from)
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

double usage_quantiles_mean(const usage_dist *u)
{
    return partial(u, -INFINITY);
}

double usage_quantiles_top_share(const usage_dist *u, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    return partial(u, gsl_cdf_ugaussian_Pinv(1.0 - p)) / partial(u, -INFINITY);
}
