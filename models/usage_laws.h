/* usage_laws.h: the parameter structs of the built-in usage laws, for
 * tests and programs that build a usage_dist by hand (usage_params(u)
 * points at the struct of u's law). A new law keeps its struct in its own
 * file; it needs no line here. */
#ifndef TS_USAGE_LAWS_H
#define TS_USAGE_LAWS_H

#include "usage.h"

#define USAGE_MAX_SEGMENTS 8
#define USAGE_MAX_POINTS 9
#define USAGE_NAME_LEN 32

/* constant: every customer at one intensity */
typedef struct usage_constant_params {
    double value;
} usage_constant_params;

/* pareto: density alpha xmin^alpha / x^(alpha+1) on [xmin, cap] */
typedef struct usage_pareto_params {
    double alpha, xmin, cap;          /* cap 0: none */
} usage_pareto_params;

/* lognormal, by its mean */
typedef struct usage_lognormal_params {
    double mean, sigma;
    double mu;                        /* derived: log-scale location */
} usage_lognormal_params;

typedef struct usage_segment {
    char name[USAGE_NAME_LEN];
    double share;          /* of customers, in [0,1]; shares sum to 1 */
    double mean;           /* interactions per month */
} usage_segment;

/* segments: named groups with shares and mean intensities */
typedef struct usage_segments_params {
    usage_segment segments[USAGE_MAX_SEGMENTS];
    int nsegments;
} usage_segments_params;

typedef struct usage_point {
    double p;              /* probability in (0,1) */
    double value;          /* interactions per month at that quantile */
} usage_point;

/* quantiles: a few points of the distribution */
typedef struct usage_quantiles_params {
    usage_point points[USAGE_MAX_POINTS];
    int npoints;
    double zq[USAGE_MAX_POINTS], yq[USAGE_MAX_POINTS];  /* derived: normal scores, logs */
} usage_quantiles_params;

enum usage_family { FAMILY_PARETO, FAMILY_LOGNORMAL };

/* concentration: the top `top` fraction makes `share` of the usage, fitted
 * to a Pareto or a lognormal of the given mean */
typedef struct usage_concentration_params {
    double mean, top, share;
    int family;                       /* enum usage_family */
    double alpha, xmin;               /* derived, Pareto */
    double mu, sigma;                 /* derived, lognormal */
} usage_concentration_params;

#endif
