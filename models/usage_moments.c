/* usage_moments.c: moments of the intensity over a band of its quantiles,
 * for the variance a usage law gives a replication's demand (the
 * engine's law record, sim/engine/lawvar.c).
 *
 * With X = Q(U), U uniform, and a band (a, b) of probabilities:
 *   M_k(a, b) = E[X^k | a < U < b] = (1 / (b - a)) int_a^b Q(p)^k dp
 *   R(a, b)   = E[Q(1 - U) | a < U < b]        (the mirror customer's mean)
 *   A(a, b)   = E[Q(U) Q(1 - U) | a < U < b]   (an antithetic pair's product)
 * all four from the same evaluations of Q at p and 1 - p.
 * A law whose descriptor gives its band sums (segments, a step function in
 * the order listed, as the draws take them; the constant law) is summed
 * exactly. The other laws are
 * integrated with 8-point Gauss-Legendre; a band that reaches 0 or 1, where
 * Q may grow without bound, is cut into pieces halving toward that end
 * (down to 2^-52 of its width, or of 1 near 1: p is kept in the range the
 * draws use), so a power-law tail is integrated piece by piece where it is
 * smooth. A law whose descriptor says its variance is infinite (an uncapped
 * Pareto tail with alpha <= 2) gets M_2 = INFINITY over a band reaching 1. */
#include <math.h>

#include "usage_moments.h"

/* Gauss-Legendre nodes and weights on [-1, 1], 8 points (Abramowitz and
 * Stegun, table 25.4). */
static const double gl_x[4] = { 0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363 };
static const double gl_w[4] = { 0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763 };

/* Q at p kept inside the range the draws use (usage_dist_draw_at) */
static double quantile(const usage_dist *u, double p)
{
    return usage_dist_quantile(u, fmin(fmax(p, 1e-16), 1 - 0x1p-53));
}

/* The integrals over [a, b] of Q, Q^2, Q(1 - p) and Q(p) Q(1 - p) (the last
 * two only when `mirror`), added to sum[0..4). */
static void gl8(const usage_dist *u, bool mirror, double a, double b, double *sum)
{
    double h = (b - a) / 2, c = (a + b) / 2;
    for (int i = 0; i < 8; i++) {
        double p = c + (i < 4 ? -h : h) * gl_x[i % 4], w = h * gl_w[i % 4];
        double q = quantile(u, p), r = mirror ? quantile(u, 1 - p) : 0;
        sum[0] += w * q;
        sum[1] += w * q * q;
        sum[2] += w * r;
        sum[3] += w * q * r;
    }
}

/* the same, halving toward an end that is 0 or 1 */
static void integrate(const usage_dist *u, bool mirror, double a, double b, double *sum)
{
    bool to0 = a <= 0, to1 = b >= 1;
    if (to0 && to1) {
        integrate(u, mirror, 0, 0.5, sum);
        integrate(u, mirror, 0.5, 1, sum);
        return;
    }
    if (!to0 && !to1) {
        gl8(u, mirror, a, b, sum);
        return;
    }
    double w = b - a;
    for (int j = 1; j <= 52; j++) {
        double inner = w / ldexp(1, j - 1), outer = w / ldexp(1, j);   /* distances from the end */
        if (to1 && inner < 0x1p-52)
            break;                  /* closer to 1 than a double tells apart */
        if (to1)
            gl8(u, mirror, 1 - inner, 1 - outer, sum);
        else
            gl8(u, mirror, outer, inner, sum);
    }
}

void usage_dist_band(const usage_dist *u, double a, double b, bool mirror, double m[4])
{
    double sum[4] = { 0, 0, 0, 0 };
    if (!(b > a)) {
        m[0] = m[1] = m[2] = m[3] = NAN;
        return;
    }
    const usage_law *law = usage_law_of(u);
    if (law->band_sums)
        law->band_sums(u, a, b, sum);       /* exact: the mirror terms come free */
    else
        integrate(u, mirror, a, b, sum);
    for (int i = 0; i < 4; i++)
        m[i] = sum[i] / (b - a);
    if (b >= 1 && law->infinite_variance && law->infinite_variance(u))
        m[1] = INFINITY;
    if (!mirror && !law->band_sums)
        m[2] = m[3] = NAN;
}

double usage_dist_band_moment(const usage_dist *u, int k, double a, double b)
{
    double m[4];
    usage_dist_band(u, a, b, false, m);
    return m[k == 1 ? 0 : 1];
}

double usage_dist_band_mirror(const usage_dist *u, double a, double b)
{
    double m[4];
    usage_dist_band(u, a, b, true, m);
    return m[3];
}
