/* dist_normal.c: the normal law N(mu, sd^2) truncated to [lo, hi].
 *
 *   F^-1(u) = mu + sd Phi^-1(Phi(l) + u (Phi(h) - Phi(l))),
 *   l = (lo - mu) / sd, h = (hi - mu) / sd.
 * Far in the upper tail Phi(l) rounds to 1, so there the mirror image is
 * used: F^-1(u) = mu - sd Phi^-1(Q(h) + (1 - u)(Q(l) - Q(h))), Q = 1 - Phi. */
#include <gsl/gsl_cdf.h>

#include "dist.h"

double ts_dist_truncnormal_Pinv(double u, double mu, double sd, double lo, double hi)
{
    double l = (lo - mu) / sd, h = (hi - mu) / sd;
    double x;
    if (l > 0) {
        double ql = gsl_cdf_ugaussian_Q(l), qh = gsl_cdf_ugaussian_Q(h);
        x = mu + sd * gsl_cdf_ugaussian_Qinv(qh + (1 - u) * (ql - qh));
    } else {
        double pl = gsl_cdf_ugaussian_P(l), ph = gsl_cdf_ugaussian_P(h);
        x = mu + sd * gsl_cdf_ugaussian_Pinv(pl + u * (ph - pl));
    }
    /* rounding must not step outside the key's range */
    return x < lo ? lo : x > hi ? hi : x;
}

double ts_ran_truncnormal(const gsl_rng *r, double mu, double sd, double lo, double hi)
{
    return ts_dist_truncnormal_Pinv(gsl_rng_uniform_pos(r), mu, sd, lo, hi);
}
