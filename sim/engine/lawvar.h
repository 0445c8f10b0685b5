/* lawvar.h: what the usage law says a replication's demand varies by.
 *
 * Under a heavy tail, most of the variance of a replication's figures comes
 * from customers so rare that 20 replications may hold none of them; the
 * replications' own spread then understates it exactly when their mean is
 * low. The law itself knows that variance. For every replication, month
 * and the horizon (row nmonths) the engine records, over its customers i
 * with exposure a_i (months signed up in the period), intensity X_i and
 * month multiplier g_i (1 unless gamma-Poisson):
 *   D = sum a_i X_i g_i       the demand rate the replication drew
 *   E = sum a_i mu_i          its expectation given each customer's cell
 *   V = sum a_i^2 v_i         its variance given the cells and exposures
 *   C = sum a_i^2 c_i         antithetic: the covariance with the mirror customer
 * where a cell is the law (random draws) or the customer's stratum, with
 * mu, v its mean and variance there (models/usage_moments.c) and c the
 * covariance of X(U) and X(1 - U) in it. Given the exposures, customers are
 * independent, so Var D = mean V + Var E (Var E from the replications:
 * exposures are light-tailed). Over the horizon a customer keeps its
 * intensity: its term is v A^2 with A its total exposure, plus
 * (v + mu^2) sum a^2 / k for the months' gamma multipliers (shape k).
 * Antithetic pairs: C = sum a_i^2 c_i stands for sum a_i a'_i c_i (a' the
 * mirror customer's exposure, in the other replication) scaled by
 *   kappa = E[a a'] / E[a^2] = (S1 S1' / (N N')) / ((S2 / N + S2' / N') / 2)
 * from the exposures' sums S1 = sum a, S2 = sum a^2 over the N customers
 * of each member: exact without churn or sign-ups (kappa = 1), and, as
 * partners' exposures are alike, an underestimate of the antithetic
 * covariance otherwise (the side of a wider interval). Usage drift is not
 * followed (exposure is time). */
#ifndef TS_LAWVAR_H
#define TS_LAWVAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/scenario/scenario.h"

enum law_field { LAW_D, LAW_E, LAW_V, LAW_C, LAW_S1, LAW_S2, LAW_N, LAW_COUNT };

/* A customer's cell: mean, variance, antithetic covariance of its intensity. */
typedef struct lawcell {
    float mu, v, c;
} lawcell;

/* The cells of a run, built once before the threads start. */
typedef struct lawtab {
    lawcell all;             /* drawn from the whole law */
    lawcell *first;          /* stratified: the strata of the first block (nfirst of them) */
    lawcell *arrival;        /* ... of the later blocks (arrival_block of them) */
    size_t nfirst, arrival_block;
} lawtab;

/* Builds the cells of s's usage law and sampling. first_block and
 * arrival_block: the engine's block sizes under stratified sampling.
 * Returns 0, or -1 when out of memory. Free with lawtab_free. */
int lawtab_build(lawtab *t, const scenario *s, size_t first_block, size_t arrival_block);
void lawtab_free(lawtab *t);

/* The cell of a customer that took stratum k of a block of `block` strata
 * (block 0: drawn at random). */
lawcell lawtab_cell(const lawtab *t, size_t block, uint32_t k);

#endif
