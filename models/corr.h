/* corr.h: rank correlations among uncertain inputs.
 *
 * A Spearman matrix is checked (symmetric, unit diagonal, entries in
 * [-1, 1], positive definite by Cholesky); when it is not valid, the
 * nearest valid one (Higham's alternating projections) is offered. The
 * Iman-Conover method then reorders independent samples of each input so
 * that their rank correlations approach the matrix, leaving each input's
 * values (its margin) exactly as they were. Matrices are row-major k x k. */
#ifndef TS_CORR_H
#define TS_CORR_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* 0 when c is a valid correlation matrix, else a positive code with the
 * reason in msg[0..len) ("entry (1, 2) is 0.5 but entry (2, 1) is 0.4"). */
int ts_corr_check(const double *c, int k, char *msg, size_t len);

/* The nearest correlation matrix to a (Higham 2002: alternating
 * projections onto the positive semidefinite cone and the unit-diagonal
 * matrices, with Dykstra's correction), a made symmetric first and the
 * result's eigenvalues kept at least `floor` so that it is positive
 * definite. Writes out[k*k]. Returns 0, or -1 when out of memory. */
int ts_corr_nearest(const double *a, int k, double floor, double *out);

/* Reorders the columns of x (n rows of k values, row-major) so that their
 * Spearman correlations approach c (which must pass ts_corr_check): van der
 * Waerden scores, randomly permuted per column with r, are given the
 * Pearson correlations 2 sin(pi c / 6) by Cholesky factors, and each
 * column of x takes the ranks of its column of scores. Returns 0, or -1
 * (out of memory, or n < 3). */
int ts_iman_conover(gsl_rng *r, double *x, int n, int k, const double *c);

/* Spearman rank correlation of columns i and j of x (n rows of k), ties
 * given their mean rank. */
double ts_spearman(const double *x, int n, int k, int i, int j);

#endif
