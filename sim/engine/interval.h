/* interval.h: the 95% confidence interval of a mean over replications.
 *
 * The values are one per unit: a replication, or an antithetic pair's mean.
 * Three methods, chosen by what is known (formulas in interval.c):
 *  - law:  the units' own spread, except for the part of it that follows
 *          the customers' demand, whose variance the usage law gives
 *          (lawvar.h); for 5 units or more with a finite law variance;
 *  - hall: Hall's skewness-corrected t, from the units alone; for 5 units
 *          or more without a law record (or with an infinite law variance);
 *  - t:    Student's t, below 5 units.
 * docs/engine.md gives the coverage each reaches on heavy tails. */
#ifndef TS_INTERVAL_H
#define TS_INTERVAL_H

enum interval_method { INTERVAL_T, INTERVAL_HALL, INTERVAL_LAW };

/* Below this many units the interval is Student's t. */
#define INTERVAL_MIN_UNITS 5
extern const char *const interval_method_names[];   /* "t", "hall", "law" */

/* The interval is [mean - below, mean + above], the mean of the units. */
typedef struct ts_interval {
    double mean, below, above;
    double se;               /* the standard error behind the bounds */
    double df;               /* degrees of freedom of the t quantile (INFINITY: normal) */
    double skew;             /* the units' sample skewness, m3 / m2^1.5 */
    int method;              /* enum interval_method */
} ts_interval;

/* Student t from x[0..k), k >= 2 (k < 2: a point, below = above = 0). */
ts_interval interval_t(const double *x, int k);

/* Hall's skewness-corrected t from x[0..k), k >= 3; fewer: interval_t. */
ts_interval interval_hall(const double *x, int k);

/* The law-informed interval from x[0..k) and each unit's demand d[0..k)
 * (D of lawvar.h), given var_d = mean V + Var E, the law's variance of a
 * unit's demand (finite, >= 0); vknown = the part of var_d known exactly
 * (mean V), the rest estimated from `ke` units. k >= 3; fewer: interval_t. */
ts_interval interval_law(const double *x, const double *d, int k, double var_d, double vknown, int ke);

#endif
