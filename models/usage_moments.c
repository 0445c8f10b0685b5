/* usage_moments.c: moments of the intensity over a band of its quantiles,
 * for the variance a usage law gives a replication's demand (the
 * engine's law record, sim/engine/lawvar.c).
 *
 * With X = Q(U), U uniform, and a band (a, b) of probabilities:
 *   M_k(a, b) = E[X^k | a < U < b] = (1 / (b - a)) int_a^b Q(p)^k dp
 *   A(a, b)   = E[Q(U) Q(1 - U) | a < U < b]   (an antithetic pair's product)
 * Segments (Q a step function, segments in the order listed, as the draws
 * take them) and the constant law are summed exactly. The other laws are
 * integrated with 8-point Gauss-Legendre; a band that reaches 0 or 1, where
 * Q may grow without bound, is cut into pieces halving toward that end
 * (down to 2^-52 of its width, or of 1 near 1: p is kept in the range the
 * draws use), so a power-law tail is integrated piece by piece where it is
 * smooth. An uncapped Pareto tail with alpha <= k has no
 * finite k-th moment: M_k is then INFINITY. */
#include <math.h>

#include "usage_moments.h"

/* Gauss-Legendre nodes and weights on [-1, 1], 8 points (Abramowitz and
 * Stegun, table 25.4). */
static const double gl_x[4] = { 0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363 };
static const double gl_w[4] = { 0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763 };

enum { F_POWER1 = 1, F_POWER2 = 2, F_MIRROR = 3 };

/* Q at p kept inside the range the draws use (usage_dist_draw_at) */
static double quantile(const usage_dist *u, double p)
{
    return usage_dist_quantile(u, fmin(fmax(p, 1e-16), 1 - 0x1p-53));
}

static double integrand(const usage_dist *u, int f, double p)
{
    double q = quantile(u, p);
    if (f == F_POWER1)
        return q;
    if (f == F_POWER2)
        return q * q;
    return q * quantile(u, 1 - p);
}

static double gl8(const usage_dist *u, int f, double a, double b)
{
    double h = (b - a) / 2, c = (a + b) / 2, sum = 0;
    for (int i = 0; i < 4; i++)
        sum += gl_w[i] * (integrand(u, f, c - h * gl_x[i]) + integrand(u, f, c + h * gl_x[i]));
    return h * sum;
}

/* int_a^b, halving toward an end that is 0 or 1 */
static double integrate(const usage_dist *u, int f, double a, double b)
{
    bool to0 = a <= 0, to1 = b >= 1;
    if (to0 && to1)
        return integrate(u, f, 0, 0.5) + integrate(u, f, 0.5, 1);
    if (!to0 && !to1)
        return gl8(u, f, a, b);
    double w = b - a, sum = 0;
    for (int j = 1; j <= 52; j++) {
        double inner = w / ldexp(1, j - 1), outer = w / ldexp(1, j);   /* distances from the end */
        if (to1 && inner < 0x1p-52)
            break;                  /* closer to 1 than a double tells apart */
        sum += to1 ? gl8(u, f, 1 - inner, 1 - outer) : gl8(u, f, outer, inner);
    }
    return sum;
}

static bool uncapped_pareto(const usage_dist *u)
{
    return (u->kind == USAGE_PARETO && u->cap <= 0) || (u->kind == USAGE_CONCENTRATION && u->family == FAMILY_PARETO);
}

/* Segments: the share of the band each segment holds, in the listed order. */
static double segments_band(const usage_dist *u, int f, double a, double b)
{
    double lo = 0, sum = 0;
    for (int i = 0; i < u->nsegments; i++) {
        double hi = i == u->nsegments - 1 ? 1 : lo + u->segments[i].share;
        double from = fmax(lo, a), to = fmin(hi, b);
        if (to > from) {
            double m = u->segments[i].mean;
            if (f == F_MIRROR) {
                /* the mirror 1 - p of this piece may cross several segments */
                double lo2 = 0;
                for (int j = 0; j < u->nsegments; j++) {
                    double hi2 = j == u->nsegments - 1 ? 1 : lo2 + u->segments[j].share;
                    double f2 = fmax(1 - hi2, from), t2 = fmin(1 - lo2, to);
                    if (t2 > f2)
                        sum += (t2 - f2) * m * u->segments[j].mean;
                    lo2 = hi2;
                }
            } else {
                sum += (to - from) * (f == F_POWER1 ? m : m * m);
            }
        }
        lo = hi;
    }
    return sum;
}

static double band(const usage_dist *u, int f, double a, double b)
{
    if (!(b > a))
        return NAN;
    if (u->kind == USAGE_CONSTANT)
        return f == F_POWER1 ? u->value : u->value * u->value;
    if (u->kind == USAGE_SEGMENTS)
        return segments_band(u, f, a, b) / (b - a);
    if (f != F_MIRROR && b >= 1 && uncapped_pareto(u) && u->d_alpha <= f)
        return INFINITY;
    return integrate(u, f, a, b) / (b - a);
}

double usage_dist_band_moment(const usage_dist *u, int k, double a, double b)
{
    return band(u, k == 1 ? F_POWER1 : F_POWER2, a, b);
}

double usage_dist_band_mirror(const usage_dist *u, double a, double b)
{
    return band(u, F_MIRROR, a, b);
}
