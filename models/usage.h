/* usage.h: how much each customer uses the product.
 *
 * A customer draws a latent monthly intensity (mean interactions per month)
 * once, at sign-up, from one of the distributions below; its interactions in
 * any stretch of time are then Poisson (or gamma-Poisson) around that
 * intensity. Each distribution lives in its own file (usage_*.c) with its
 * formulas above the code, and offers the same four operations: draw, mean,
 * quantile and top share (the share of all usage made by the heaviest
 * fraction p of customers), the last three in closed form so tests can
 * check the draws against them. */
#ifndef TS_USAGE_H
#define TS_USAGE_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include "sim/core/error.h"

enum usage_kind {
    USAGE_CONSTANT,
    USAGE_PARETO,
    USAGE_LOGNORMAL,
    USAGE_SEGMENTS,
    USAGE_QUANTILES,
    USAGE_CONCENTRATION
};

enum usage_counts {
    COUNTS_POISSON,        /* interactions in dt ~ Poisson(intensity * dt) */
    COUNTS_GAMMA_POISSON,  /* the month's rate is scaled by Gamma(k, 1/k) */
    COUNTS_FIXED           /* exactly intensity * dt: the textbook's arithmetic */
};

enum usage_family { FAMILY_PARETO, FAMILY_LOGNORMAL };

#define USAGE_MAX_SEGMENTS 8
#define USAGE_MAX_POINTS 9
#define USAGE_NAME_LEN 32

typedef struct usage_segment {
    char name[USAGE_NAME_LEN];
    double share;          /* of customers, in [0,1]; shares sum to 1 */
    double mean;           /* interactions per month */
} usage_segment;

typedef struct usage_point {
    double p;              /* probability in (0,1) */
    double value;          /* interactions per month at that quantile */
} usage_point;

typedef struct usage_dist {
    int kind;              /* enum usage_kind */
    /* constant */
    double value;
    /* pareto: density alpha*xmin^alpha / x^(alpha+1) on [xmin, cap] */
    double alpha, xmin, cap;          /* cap 0: none */
    /* lognormal, and lognormal family of concentration */
    double mean, sigma;
    /* segments */
    usage_segment segments[USAGE_MAX_SEGMENTS];
    int nsegments;
    /* quantiles */
    usage_point points[USAGE_MAX_POINTS];
    int npoints;
    /* concentration: the top `top` fraction makes `share` of the usage */
    double top, share;
    int family;                       /* enum usage_family */
    /* monthly counts */
    int counts;                       /* enum usage_counts */
    double dispersion;                /* gamma shape k for COUNTS_GAMMA_POISSON */
    /* stress: a share of extra power users, and growth with tenure */
    double power_boost;               /* share drawn from the tail above bounds.from[2] */
    double drift;                     /* intensity x (1 + drift)^(months since sign-up) */
    double drift_from;                /* only customers above this quantile of intensity drift (0: all) */
    double drift_threshold;           /* that quantile's intensity, derived by usage_dist_prepare */
    /* segment boundaries for reporting, as quantiles of the intensity */
    struct usage_bounds { double from[3]; } bounds;

    /* derived by usage_dist_prepare */
    double mu, d_sigma;               /* lognormal: log-scale location and scale */
    double d_alpha, d_xmin;           /* pareto parameters actually used */
    double zq[USAGE_MAX_POINTS], yq[USAGE_MAX_POINTS];  /* quantiles: normal scores, logs */
    double report_bounds[3];          /* intensity thresholds of the 4 report segments */
} usage_dist;

/* Derives internal parameters and checks consistency. On a bad combination
 * fills err (with no location: the loader adds it) and returns TS_ERR_INPUT.
 * `what` receives the name of the offending key, relative to the usage
 * section. */
int usage_dist_prepare(usage_dist *u, const char **what, ts_error *err);

/* Draws an intensity. *segment receives the report segment 0..3 (light,
 * medium, heavy, power) or, for USAGE_SEGMENTS, the drawn segment index. */
double usage_dist_draw(const gsl_rng *r, const usage_dist *u, int *segment);

/* Draws an intensity by inversion at probability p in (0, 1), Q(p), for
 * stratified and antithetic sampling (extra power users still take a
 * uniform from r). */
double usage_dist_draw_at(const gsl_rng *r, const usage_dist *u, double p, int *segment);

double usage_dist_mean(const usage_dist *u);
double usage_dist_quantile(const usage_dist *u, double p);
double usage_dist_top_share(const usage_dist *u, double p);

/* The report segment (0..3) of an intensity, from report_bounds. */
int usage_dist_segment_of(const usage_dist *u, double intensity);

/* Names of the report segments (light, medium, heavy, power), or the
 * segment names of a USAGE_SEGMENTS distribution. */
int usage_dist_nsegments(const usage_dist *u);
const char *usage_dist_segment_name(const usage_dist *u, int i);

/* Per-family functions, one file each. */
double usage_pareto_draw(const gsl_rng *r, double alpha, double xmin, double cap);
double usage_pareto_mean(double alpha, double xmin, double cap);
double usage_pareto_quantile(double alpha, double xmin, double cap, double p);
double usage_pareto_top_share(double alpha, double xmin, double cap, double p);

double usage_lognormal_draw(const gsl_rng *r, double mu, double sigma);
double usage_lognormal_quantile(double mu, double sigma, double p);
double usage_lognormal_top_share(double sigma, double p);

double usage_quantiles_draw(const gsl_rng *r, const usage_dist *u);
double usage_quantiles_mean(const usage_dist *u);
double usage_quantiles_quantile(const usage_dist *u, double p);
double usage_quantiles_top_share(const usage_dist *u, double p);

double usage_segments_mean(const usage_dist *u);
double usage_segments_quantile(const usage_dist *u, double p);
double usage_segments_top_share(const usage_dist *u, double p);

/* Monthly counts: interactions of a customer of intensity `rate` (per
 * month) over dt months whose month multiplier is `mult` (1 unless
 * gamma-Poisson). Returns a whole number except under COUNTS_FIXED. */
double usage_count_draw(const gsl_rng *r, const usage_dist *u, double rate, double mult, double dt);

/* The month multiplier: 1, or Gamma(k, 1/k) (mean 1, variance 1/k). */
double usage_month_multiplier(const gsl_rng *r, const usage_dist *u);

#endif
