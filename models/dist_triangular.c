/* dist_triangular.c: the triangular law on [a, b] with mode c.
 *
 *   F(x) = (x - a)^2 / ((b - a)(c - a))       for a <= x <= c
 *        = 1 - (b - x)^2 / ((b - a)(b - c))   for c <= x <= b
 *   F^-1(u) = a + sqrt(u (b - a)(c - a))       for u <= Fc = (c - a) / (b - a)
 *           = b - sqrt((1 - u)(b - a)(b - c))  otherwise
 *   mean (a + b + c) / 3,
 *   variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18 */
#include <math.h>

#include "dist.h"

double ts_dist_triangular_Pinv(double u, double a, double c, double b)
{
    double fc = (c - a) / (b - a);
    if (u <= fc)
        return a + sqrt(u * (b - a) * (c - a));
    return b - sqrt((1 - u) * (b - a) * (b - c));
}

double ts_ran_triangular(const gsl_rng *r, double a, double c, double b)
{
    return ts_dist_triangular_Pinv(gsl_rng_uniform_pos(r), a, c, b);
}
