/* dist_pert.c: the beta-PERT law on [a, b] with mode c and shape lambda.
 *
 *   X = a + (b - a) Y,  Y ~ Beta(alpha, beta),
 *   alpha = 1 + lambda (c - a) / (b - a),  beta = 1 + lambda (b - c) / (b - a)
 *   mean (a + lambda c + b) / (lambda + 2),
 *   variance (mean - a)(b - mean) / (lambda + 3)
 * (lambda = 4 gives the classical PERT of Malcolm et al., 1959). */
#include "dist.h"

static void shapes(double a, double c, double b, double lambda, double *al, double *be)
{
    *al = 1 + lambda * (c - a) / (b - a);
    *be = 1 + lambda * (b - c) / (b - a);
}

double ts_dist_pert_Pinv(double u, double a, double c, double b, double lambda)
{
    double al, be;
    shapes(a, c, b, lambda, &al, &be);
    return ts_dist_beta_Pinv(u, al, be, a, b);
}

double ts_ran_pert(const gsl_rng *r, double a, double c, double b, double lambda)
{
    return ts_dist_pert_Pinv(gsl_rng_uniform_pos(r), a, c, b, lambda);
}
