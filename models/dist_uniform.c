/* dist_uniform.c: the uniform law on [a, b].
 *
 *   F(x) = (x - a) / (b - a),   F^-1(u) = a + u (b - a)
 *   mean (a + b) / 2, variance (b - a)^2 / 12 */
#include "dist.h"

double ts_dist_uniform_Pinv(double u, double a, double b)
{
    return a + u * (b - a);
}

double ts_ran_uniform_ab(const gsl_rng *r, double a, double b)
{
    return ts_dist_uniform_Pinv(gsl_rng_uniform_pos(r), a, b);
}
