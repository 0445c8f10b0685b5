/* randist.h: the count samplers of the engine's inner loop.
 *
 * A customer-month costs one Poisson draw and a few binomial splits, so
 * these two must take the same time whatever the counts: for large means
 * both use Hormann's transformed rejection with squeeze (PTRS, BTRS), O(1)
 * per draw; for small means, inversion, whose cost is bounded by the mean.
 * The generator comes in explicitly, as in GSL. */
#ifndef TS_RANDIST_H
#define TS_RANDIST_H

#include <gsl/gsl_rng.h>

/* ln(k!) for k >= 0 (table below 10, Stirling series above). */
double ts_log_factorial(double k);

/* Poisson(mu), mu >= 0. */
double ts_ran_poisson(const gsl_rng *r, double mu);

/* Binomial(n, p), n >= 0 whole, p in [0, 1]. */
double ts_ran_binomial(const gsl_rng *r, double p, double n);

/* The same with the constants that depend on p alone computed once, for a
 * split made again and again with one p. */
#define TS_BINOMIAL_POWERS 64
typedef struct ts_binomial {
    double p, q, lq, s, lpq;    /* p <= 1/2 after flipping; ln q; p/q; ln(p/q) */
    int flip;                   /* drew with 1 - p: return n - k */
    /* q^n = exp(n ln q) for n < npow (TS_BINOMIAL_POWERS once prepared, 0
     * for a single draw), the inversion's first term, computed as the
     * inversion would (so the draws do not change) */
    int npow;
    double qn[TS_BINOMIAL_POWERS];
} ts_binomial;

void ts_binomial_prepare(ts_binomial *b, double p);
double ts_ran_binomial_prepared(const gsl_rng *r, const ts_binomial *b, double n);

#endif
