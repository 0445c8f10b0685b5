/* ran_binomial.c: binomial variates, for splitting a count.
 *
 *   P(K = k) = C(n, k) p^k q^(n-k),  q = 1 - p
 *
 * By symmetry p <= 1/2 (else draw n - Binomial(n, q)).
 * n p < 10: inversion: one uniform, walk the CDF from P(0) = q^n with
 *   P(k+1) = P(k) (n - k) / (k + 1) p / q.
 * n p >= 10: BTRS, transformed rejection with squeeze (W. Hormann, "The
 *   generation of binomial random variates", J. Statist. Comput. Simul. 46,
 *   1993): with s = sqrt(n p q), b = 1.15 + 2.53 s,
 *   a = -0.0873 + 0.0248 b + 0.01 p, c = n p + 0.5, v_r = 0.92 - 4.2 / b,
 *   alpha = (2.83 + 5.1 / b) s, m = floor((n + 1) p),
 *   draw U ~ U(-1/2, 1/2), V ~ U(0,1), u_s = 1/2 - |U|,
 *   k = floor((2a / u_s + b) U + c); reject k outside [0, n]; accept when
 *   u_s >= 0.07 and V <= v_r, else when ln(V alpha / (a / u_s^2 + b)) <=
 *   ln m! + ln (n-m)! - ln k! - ln (n-k)! + (k - m) ln(p / q). */
/* GSL's inline gsl_rng_uniform: a call less per uniform in the inner loop */
#define HAVE_INLINE
#include <math.h>

#include "randist.h"

/* The constants of p alone, without the table of powers. */
static void prepare_core(ts_binomial *b, double p)
{
    b->flip = p > 0.5;
    b->p = b->flip ? 1 - p : p;
    b->q = 1 - b->p;
    b->lq = log1p(-b->p);
    b->s = b->p / b->q;
    b->lpq = b->p > 0 ? log(b->s) : 0;
    b->npow = 0;
}

void ts_binomial_prepare(ts_binomial *b, double p)
{
    prepare_core(b, p);
    for (int n = 0; n < TS_BINOMIAL_POWERS; n++)
        b->qn[n] = exp(n * b->lq);
    b->npow = TS_BINOMIAL_POWERS;
}

static double inversion(const gsl_rng *r, const ts_binomial *bp, double n)
{
    double u = gsl_rng_uniform(r);
    double pk = n < bp->npow ? bp->qn[(int)n] : exp(n * bp->lq), cdf = pk, k = 0;
    while (u > cdf && k < n) {
        pk *= (n - k) / (k + 1) * bp->s;
        k += 1;
        cdf += pk;
        if (pk <= 0 && k > n * bp->p)
            break;          /* the tail underflowed: u sits in rounding error */
    }
    return k;
}

static double btrs(const gsl_rng *r, const ts_binomial *bp, double n)
{
    double p = bp->p;
    double spq = sqrt(n * p * bp->q);
    double b = 1.15 + 2.53 * spq;
    double a = -0.0873 + 0.0248 * b + 0.01 * p;
    double c = n * p + 0.5;
    double vr = 0.92 - 4.2 / b;
    double alpha = (2.83 + 5.1 / b) * spq;
    double m = floor((n + 1) * p);
    double h = -1;          /* ln m! + ln (n-m)!, computed when first needed */
    for (;;) {
        double U = gsl_rng_uniform(r) - 0.5;
        double V = gsl_rng_uniform(r);
        double us = 0.5 - fabs(U);
        double k = floor((2 * a / us + b) * U + c);
        if (k < 0 || k > n)
            continue;
        if (us >= 0.07 && V <= vr)
            return k;
        if (h < 0)
            h = ts_log_factorial(m) + ts_log_factorial(n - m);
        double lv = log(V * alpha / (a / (us * us) + b));
        if (lv <= h - ts_log_factorial(k) - ts_log_factorial(n - k) + (k - m) * bp->lpq)
            return k;
    }
}

double ts_ran_binomial_prepared(const gsl_rng *r, const ts_binomial *b, double n)
{
    if (n <= 0 || b->p <= 0)
        return b->flip ? n : 0;
    double k = n * b->p < 10 ? inversion(r, b, n) : btrs(r, b, n);
    return b->flip ? n - k : k;
}

double ts_ran_binomial(const gsl_rng *r, double p, double n)
{
    if (n <= 0 || p <= 0)
        return 0;
    if (p >= 1)
        return n;
    ts_binomial b;
    prepare_core(&b, p);
    return ts_ran_binomial_prepared(r, &b, n);
}
