/* usage_moments.h: moments of the intensity over a band of its quantiles
 * (formulas in usage_moments.c), for the variance a usage law gives a
 * replication's demand. Extra power users (power_boost) are not mixed in:
 * the caller does, knowing how its draws take them. */
#ifndef TS_USAGE_MOMENTS_H
#define TS_USAGE_MOMENTS_H

#include <stdbool.h>

#include "usage.h"

/* Over the band a < U < b (0 <= a < b <= 1): m[0] = E[X], m[1] = E[X^2],
 * and with `mirror` m[2] = E[Q(1 - U)], m[3] = E[Q(U) Q(1 - U)] (else NaN),
 * in one pass. u must have passed usage_dist_prepare. m[1] is INFINITY
 * when infinite (an uncapped power law with alpha <= 2); all NaN when
 * b <= a. */
void usage_dist_band(const usage_dist *u, double a, double b, bool mirror, double m[4]);

/* E[X^k | a < U < b] for X = Q(U), k = 1 or 2, 0 <= a < b <= 1; u must have
 * passed usage_dist_prepare. INFINITY when infinite (an uncapped power law
 * with alpha <= k), NaN when b <= a. */
double usage_dist_band_moment(const usage_dist *u, int k, double a, double b);

/* E[Q(U) Q(1 - U) | a < U < b]: the mean product of an antithetic pair
 * whose first member's probability lies in the band. */
double usage_dist_band_mirror(const usage_dist *u, double a, double b);

#endif
