/* tail.h: is a run's usage heavy-tailed enough that its replications alone
 * cannot be trusted for an interval, and how many would be?
 *
 * Three signs, with documented thresholds (docs/engine.md):
 *  - the heaviest 0.1% of customers make more than TAIL_TOP_SHARE of the
 *    usage (the usage law's own share, so a run that missed them says so
 *    too);
 *  - the replications' horizon margin or inference cost (pair means under
 *    antithetic sampling) has a sample skewness g beyond +-TAIL_SKEW and
 *    beyond three times its standard error under a normal law,
 *    sqrt(6 (k - 2) / ((k + 1) (k + 3))) for k values (so that a few
 *    replications do not raise it by chance);
 *  - the law's variance is infinite (an uncapped power law, alpha <= 2).
 * Replications an interval from their own spread needs: the larger of
 *  - 3 / (N q): half of a customer's intensity variance comes from the
 *    customers above x*, a share q of them; with N customers drawn per
 *    replication, 3 / (N q) replications hold at least one of them with
 *    probability 1 - e^-3 = 95%;
 *  - 25 g^2: the skewness g / sqrt(n) of the mean falls to 0.2. */
#ifndef TS_TAIL_H
#define TS_TAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

#define TAIL_TOP_SHARE 0.05
#define TAIL_SKEW 1.0

typedef struct tail_report {
    double top_share;        /* the heaviest 0.1%'s share of usage, from the law */
    double q_half;           /* q: the share of customers above x* */
    double customers;        /* N: customers drawn per replication (sign-ups, initial ones included) */
    double skew;             /* the largest |g| */
    double skew_limit;       /* beyond which it counts */
    int replications;        /* in the run */
    int needed;              /* replications, at least 1; INT_MAX when the variance is infinite */
    bool infinite;
    bool heavy;
} tail_report;

/* Diagnoses run r of scenario s. Never fails. */
void tail_check(const scenario *s, const run_result *r, tail_report *t);

/* q of the usage law u (0 when its variance is zero, NaN when infinite). */
double tail_half_variance_share(const usage_dist *u);

/* The warning sentence when t->heavy ("heavy tail: ..."), else "". */
void tail_describe(const tail_report *t, char *buf, size_t n);

#endif
