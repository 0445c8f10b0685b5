/* sobol_est.h: first-order and total Sobol indices of a function of k
 * independent inputs, by the Saltelli sampling scheme, for any callback.
 *
 * With A and B two N x k matrices of points of the unit hypercube (the
 * first k and the next k coordinates of a Sobol sequence of dimension 2k)
 * and A_B^(i) = A with its column i from B, the N (k + 2) evaluations give
 *   S_i  = (1/N) sum_j f(B)_j (f(A_B^(i))_j - f(A)_j) / V   (Saltelli et al. 2010)
 *   ST_i = (1/2N) sum_j (f(A)_j - f(A_B^(i))_j)^2 / V         (Jansen 1999)
 * with V the variance of the 2N values f(A), f(B), and f centred on their
 * mean in the first sum (the same expectation, far less variance when the
 * mean is large against the spread). Intervals: percentile
 * bootstrap over the rows j (the same resampled rows for every index).
 * Evaluations run in parallel and land in their own slots, so the result
 * does not depend on the thread count. */
#ifndef TS_SOBOL_EST_H
#define TS_SOBOL_EST_H

#include <stdint.h>

#include "sim/core/error.h"

/* Evaluates the model at u (k numbers in (0, 1)) into y[0..ny). Called
 * from several threads at once. Returns 0, or non-zero to stop with an
 * error the callback wrote into err (its own thread's). */
typedef int (*sobol_fn)(void *ctx, const double *u, double *y, ts_error *err);

#define SOBOL_MAX_INPUTS 20   /* gsl_qrng_sobol: dimension 2k <= 40 */

typedef struct sobol_opts {
    int k, ny;               /* inputs, outputs */
    int n;                   /* base samples N (rows of A and B), >= 16 */
    int boot;                /* bootstrap resamples (0: no intervals) */
    uint64_t seed;           /* of the bootstrap */
    int threads;             /* 0: all cores */
    volatile int *stop;      /* may be NULL */
} sobol_opts;

typedef struct sobol_index {
    double s1, s1_lo, s1_hi;   /* first order and its 95% bootstrap interval */
    double st, st_lo, st_hi;   /* total */
} sobol_index;

#define SOBOL_MAX_CONV 8

typedef struct sobol_result {
    int k, ny, n;
    sobol_index *idx;        /* [output][input] */
    double *mean, *var;      /* [output]: of f(A), f(B) */
    /* the indices on the first conv_n[c] rows (N/8, N/4, N/2, N...) */
    int nconv, conv_n[SOBOL_MAX_CONV];
    double *conv_s1, *conv_st;   /* [c][output][input] */
} sobol_result;

/* Runs the N (k + 2) evaluations and estimates. Returns TS_OK, the
 * callback's error, TS_ERR_INPUT for bad options, TS_ERR_RUNTIME for
 * memory, or TS_ERR_INTERRUPTED. Free r with sobol_result_free. */
int sobol_estimate(sobol_fn f, void *ctx, const sobol_opts *o, sobol_result *r, ts_error *err);
void sobol_result_free(sobol_result *r);

static inline sobol_index *sobol_at(const sobol_result *r, int out, int in)
{
    return &r->idx[(size_t)out * r->k + in];
}

#endif
