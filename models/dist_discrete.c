/* dist_discrete.c: one of n values v[i] with weights w[i].
 *
 *   P(X = v[i]) = w[i] / W,  W = sum w
 *   F^-1(u) = v[k], k the least index with (w[0] + ... + w[k]) / W >= u
 * Values keep their given order, so a Latin hypercube over u gives each
 * value its share of replications to within one. */
#include "dist.h"

double ts_dist_discrete_Pinv(double u, const double *v, const double *w, size_t n)
{
    double total = 0, cum = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    for (size_t i = 0; i < n; i++) {
        cum += w[i];
        if (u * total <= cum && w[i] > 0)
            return v[i];
    }
    for (size_t i = n; i-- > 0;)
        if (w[i] > 0)
            return v[i];
    return v[0];
}

double ts_ran_discrete_values(const gsl_rng *r, const double *v, const double *w, size_t n)
{
    return ts_dist_discrete_Pinv(gsl_rng_uniform_pos(r), v, w, n);
}
