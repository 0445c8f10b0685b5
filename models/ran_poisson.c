/* ran_poisson.c: Poisson variates.
 *
 *   P(K = k) = mu^k e^-mu / k!
 *
 * mu < 10: inversion: one uniform u, walk the CDF with
 *   p_0 = e^-mu, p_(k+1) = p_k mu / (k+1), until it passes u.
 * mu >= 10: PTRS, transformed rejection with squeeze (W. Hormann, "The
 *   transformed rejection method for generating Poisson random variables",
 *   Insurance: Mathematics and Economics 12, 1993): with
 *   b = 0.931 + 2.53 sqrt(mu), a = -0.059 + 0.02483 b,
 *   1/alpha = 1.1239 + 1.1328 / (b - 3.4), v_r = 0.9277 - 3.6224 / (b - 2),
 *   draw U ~ U(-1/2, 1/2), V ~ U(0,1), u_s = 1/2 - |U|,
 *   k = floor((2a / u_s + b) U + mu + 0.43); accept at once when
 *   u_s >= 0.07 and V <= v_r, else when
 *   ln(V / alpha / (a / u_s^2 + b)) <= -mu + k ln mu - ln k!.
 * About 1.1 uniform pairs per draw, whatever mu. */
/* GSL's inline gsl_rng_uniform: a call less per uniform in the inner loop */
#define HAVE_INLINE
#include <math.h>

#include "randist.h"

/* ln k! for k = 0..9 */
static const double small_lf[10] = {
    0.0, 0.0, 0.69314718055994531, 1.7917594692280550, 3.1780538303479458,
    4.7874917427820458, 6.5792512120101012, 8.5251613610654147, 10.604602902745251, 12.801827480081469
};

double ts_log_factorial(double k)
{
    if (k < 10)
        return small_lf[(int)k];
    /* Stirling series for ln Gamma(x), x = k + 1 >= 11: error below 1e-13 */
    double x = k + 1, ix = 1.0 / x, ix2 = ix * ix;
    return (x - 0.5) * log(x) - x + 0.91893853320467274 +
           ix * (1.0 / 12 - ix2 * (1.0 / 360 - ix2 * (1.0 / 1260 - ix2 / 1680)));
}

double ts_ran_poisson(const gsl_rng *r, double mu)
{
    if (mu <= 0)
        return 0;
    if (mu < 10) {
        double u = gsl_rng_uniform(r);
        double p = exp(-mu), cdf = p;
        double k = 0;
        while (u > cdf && k < 1000) {
            k += 1;
            p *= mu / k;
            cdf += p;
        }
        return k;
    }
    double smu = sqrt(mu);
    double b = 0.931 + 2.53 * smu;
    double a = -0.059 + 0.02483 * b;
    double vr = 0.9277 - 3.6224 / (b - 2);
    double lmu = 0, linv_alpha = 0;     /* needed only past the squeeze: computed then */
    for (;;) {
        double U = gsl_rng_uniform(r) - 0.5;
        double V = gsl_rng_uniform(r);
        double us = 0.5 - fabs(U);
        double k = floor((2 * a / us + b) * U + mu + 0.43);
        if (us >= 0.07 && V <= vr)
            return k;
        if (k < 0 || (us < 0.013 && V > us))
            continue;
        if (lmu == 0) {
            lmu = log(mu);
            linv_alpha = log(1.1239 + 1.1328 / (b - 3.4));
        }
        if (log(V) + linv_alpha - log(a / (us * us) + b) <= -mu + k * lmu - ts_log_factorial(k))
            return k;
    }
}
