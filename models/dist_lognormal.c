/* dist_lognormal.c: the lognormal law, X = exp(mu + sigma Z), Z ~ N(0, 1).
 *
 *   F^-1(u) = exp(mu + sigma Phi^-1(u))
 *   mean exp(mu + sigma^2 / 2), median exp(mu) */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "dist.h"

double ts_dist_lognormal_Pinv(double u, double mu, double sigma)
{
    return exp(mu + sigma * gsl_cdf_ugaussian_Pinv(u));
}

double ts_ran_lognormal_ms(const gsl_rng *r, double mu, double sigma)
{
    return ts_dist_lognormal_Pinv(gsl_rng_uniform_pos(r), mu, sigma);
}
