/* dist_beta.c: the beta law scaled to [a, b]: X = a + (b - a) Y,
 * Y ~ Beta(alpha, beta) with density y^(alpha-1) (1-y)^(beta-1) / B(alpha, beta).
 *
 *   F^-1(u) = a + (b - a) I^-1_u(alpha, beta)  (GSL's gsl_cdf_beta_Pinv)
 *   mean a + (b - a) alpha / (alpha + beta) */
#include <gsl/gsl_cdf.h>

#include "dist.h"

double ts_dist_beta_Pinv(double u, double alpha, double beta, double a, double b)
{
    double y = gsl_cdf_beta_Pinv(u, alpha, beta);
    y = y < 0 ? 0 : y > 1 ? 1 : y;
    return a + (b - a) * y;
}

double ts_ran_beta_ab(const gsl_rng *r, double alpha, double beta, double a, double b)
{
    return ts_dist_beta_Pinv(gsl_rng_uniform_pos(r), alpha, beta, a, b);
}
