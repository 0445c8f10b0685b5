/* usage_pareto.c: the (optionally truncated) Pareto power law.
 *
 * Density on [m, H] (H = cap, or infinity when there is none):
 *   f(x) = a m^a x^-(a+1) / Z,         Z = 1 - (m/H)^a
 * Quantile:  Q(p) = m (1 - p Z)^(-1/a)
 * Mean:      E X = a m^a (H^(1-a) - m^(1-a)) / ((1-a) Z)     (a != 1)
 *                = m ln(H/m) / Z                               (a == 1)
 *            and a m / (a-1) without a cap (finite only for a > 1).
 * Top share: the share of total usage made by the heaviest fraction p, with
 *   t = Q(1-p):  S(p) = (H^(1-a) - t^(1-a)) / (H^(1-a) - m^(1-a))
 *   without a cap S(p) = p^(1 - 1/a)   (a > 1). */
#include <math.h>

#include "usage.h"

static double trunc_z(double a, double m, double cap)
{
    return cap > 0 ? 1.0 - pow(m / cap, a) : 1.0;
}

double usage_pareto_quantile(double a, double m, double cap, double p)
{
    return m * pow(1.0 - p * trunc_z(a, m, cap), -1.0 / a);
}

double usage_pareto_draw(const gsl_rng *r, double a, double m, double cap)
{
    /* Inverse transform; 1-u keeps u = 0 away from the pole. */
    return usage_pareto_quantile(a, m, cap, 1.0 - gsl_rng_uniform_pos(r));
}

double usage_pareto_mean(double a, double m, double cap)
{
    if (cap <= 0)
        return a > 1 ? a * m / (a - 1) : INFINITY;
    double z = trunc_z(a, m, cap);
    if (fabs(a - 1.0) < 1e-12)
        return m * log(cap / m) / z;
    return a * pow(m, a) * (pow(cap, 1 - a) - pow(m, 1 - a)) / ((1 - a) * z);
}

double usage_pareto_top_share(double a, double m, double cap, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    if (cap <= 0)
        return a > 1 ? pow(p, 1.0 - 1.0 / a) : 1.0;
    double t = usage_pareto_quantile(a, m, cap, 1.0 - p);
    if (fabs(a - 1.0) < 1e-12)
        return log(cap / t) / log(cap / m);
    return (pow(cap, 1 - a) - pow(t, 1 - a)) / (pow(cap, 1 - a) - pow(m, 1 - a));
}
