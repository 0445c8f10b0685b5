/* usage_lognormal.c: the lognormal intensity.
 *
 * ln X ~ N(mu, sigma^2), parameterised in the scenario by its mean:
 *   mu = ln(mean) - sigma^2 / 2
 * Quantile:  Q(p) = exp(mu + sigma z_p),  z_p = Phi^-1(p)
 * Top share: the heaviest fraction p makes
 *   S(p) = 1 - Phi(z_(1-p) - sigma) = Phi(sigma - z_(1-p))
 * of the total (the partial expectation of a lognormal above Q(1-p)). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "usage.h"

double usage_lognormal_draw(const gsl_rng *r, double mu, double sigma)
{
    return gsl_ran_lognormal(r, mu, sigma);
}

double usage_lognormal_quantile(double mu, double sigma, double p)
{
    return exp(mu + sigma * gsl_cdf_ugaussian_Pinv(p));
}

double usage_lognormal_top_share(double sigma, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    return gsl_cdf_ugaussian_P(sigma - gsl_cdf_ugaussian_Pinv(1.0 - p));
}
