/* usage.h: how much each customer uses the product.
 *
 * A customer draws a latent monthly intensity (mean interactions per month)
 * once, at sign-up, from a usage law; its interactions in any stretch of
 * time are then Poisson (or gamma-Poisson) around that intensity. Each law
 * is one file, models/usage_<law>.c, holding a usage_law descriptor with
 * its keys and its formulas above the code, plus one line in
 * models/usage_laws.def. Every law offers the same four operations: draw,
 * mean, quantile and top share (the share of all usage made by the
 * heaviest fraction p of customers), the last three in closed form so
 * tests can check the draws against them. */
#ifndef TS_USAGE_H
#define TS_USAGE_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include <stddef.h>

#include "param.h"
#include "sim/core/error.h"

enum usage_counts {
    COUNTS_POISSON,        /* interactions in dt ~ Poisson(intensity * dt) */
    COUNTS_GAMMA_POISSON,  /* the month's rate is scaled by Gamma(k, 1/k) */
    COUNTS_FIXED           /* exactly intensity * dt: the textbook's arithmetic */
};

#define USAGE_PARAM_BYTES 512  /* room for a law's own parameters */
#define USAGE_LAWS_MAX 16

typedef struct usage_dist {
    int kind;              /* first; the law's index in the registry (usage_law_get) */
    /* the law's own parameter struct, bound by the law's keys */
    union { max_align_t align; unsigned char bytes[USAGE_PARAM_BYTES]; } params;
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
    double report_bounds[3];          /* intensity thresholds of the 4 report segments */
} usage_dist;

static inline void *usage_params(usage_dist *u) { return u->params.bytes; }
static inline const void *usage_params_c(const usage_dist *u) { return u->params.bytes; }

/* One parameter a sensitivity analysis moves, as `tokensim tornado` takes
 * it: a key path (`*` for every item), and low and high values, relative
 * (times the value) or absolute. */
typedef struct usage_sens {
    char path[64];
    bool relative;
    double low, high;
} usage_sens;

typedef struct usage_law {
    const char *name;           /* the value of `distribution` */
    const char *summary;        /* one line */
    /* its keys, in the order the resolved scenario writes them, with
     * offsets into its parameter struct (usage_params); PARAM_NEEDED marks
     * those it must be given */
    const param_key *keys;
    size_t params_size;         /* sizeof its parameter struct, at most USAGE_PARAM_BYTES */
    /* an intensity, with r first; a law of named segments sets *segment */
    double (*draw)(const gsl_rng *r, const usage_dist *u, int *segment);
    double (*mean)(const usage_dist *u);
    double (*quantile)(const usage_dist *u, double p);
    double (*top_share)(const usage_dist *u, double p);
    /* the law in words, "pareto, alpha 1.6 from 5 a month"; returns what snprintf returns */
    int (*describe)(const usage_dist *u, char *buf, size_t n);

    /* Optional hooks (NULL: the default said). */
    /* checks across keys and derived parameters; on a bad value fills err
     * (no location) and names the key in *what (default: none) */
    int (*prepare)(usage_dist *u, const char **what, ts_error *err);
    /* named segments instead of the four report segments: their count and
     * names (draw and draw_at then set *segment) */
    int (*nsegments)(const usage_dist *u);
    const char *(*segment_name)(const usage_dist *u, int i);
    /* the intensity at probability p (default: quantile(p)) */
    double (*draw_at)(const usage_dist *u, double p, int *segment);
    /* an extra power user (default: the tail above report_segments.power_from,
     * by inversion), and its mean (default: from the top share) */
    double (*power_draw)(const gsl_rng *r, const usage_dist *u, int *segment);
    double (*power_mean)(const usage_dist *u);
    /* share of customers above the power-user threshold (default: 1 -
     * power_from); 0 when none stands out */
    double (*power_share)(const usage_dist *u);
    /* stress: one --set change giving the law a heavier tail; returns what
     * snprintf returns, 0 when the law has no tail (default) */
    int (*heavier_tail)(const usage_dist *u, char *set, size_t n);
    /* tornado: its parameters moved by a share f either way; returns how many
     * of at most max were written (default: none) */
    int (*sensitivity)(const usage_dist *u, double f, usage_sens *v, int max);
    /* the interval's law record (usage_moments.h): over the band a < U < b,
     * m[0] = E[X], m[1] = E[X^2], m[2] = E[Q(1 - U)], m[3] = E[Q(U) Q(1 - U)],
     * as sums over the band, not yet divided by b - a (default: numerical
     * integration of the quantile, exact enough for smooth laws; a step
     * function such as segments gives its exact sums) */
    void (*band_sums)(const usage_dist *u, double a, double b, double sum[4]);
    /* true when the law's variance is infinite (default: false) */
    bool (*infinite_variance)(const usage_dist *u);
} usage_law;

/* The registry: the built-in laws (usage_laws.def) in their order, then
 * those registered. A usage_dist's `kind` indexes it. */
int usage_law_count(void);
const usage_law *usage_law_get(int kind);
int usage_law_find(const char *name);       /* its index, or -1 */

/* Adds a law for `distribution: law->name`. Register before loading a
 * scenario; not thread-safe. `law` must outlive every use. Returns the new
 * law's index, or -1 with err filled (a name taken, the registry full, a
 * parameter struct over USAGE_PARAM_BYTES, an operation missing). */
int usage_law_register(const usage_law *law, ts_error *err);

/* Counts registrations, so the loader knows when to rebuild its key tables. */
unsigned usage_law_generation(void);

static inline const usage_law *usage_law_of(const usage_dist *u) { return usage_law_get(u->kind); }

/* Whether the law has named segments (reports use them instead of the four
 * by intensity). */
bool usage_dist_named_segments(const usage_dist *u);

/* The law in words. Returns what snprintf returns. */
int usage_dist_describe(const usage_dist *u, char *buf, size_t n);

/* Derives internal parameters and checks consistency. On a bad combination
 * fills err (with no location: the loader adds it) and returns TS_ERR_INPUT.
 * `what` receives the name of the offending key, relative to the usage
 * section. */
int usage_dist_prepare(usage_dist *u, const char **what, ts_error *err);

/* Draws an intensity. *segment receives the report segment 0..3 (light,
 * medium, heavy, power) or, for a law of named segments, the drawn one. */
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
 * segment names of a law that has them. */
int usage_dist_nsegments(const usage_dist *u);
const char *usage_dist_segment_name(const usage_dist *u, int i);

/* The Pareto and lognormal formulas, which the concentration law reuses. */
double usage_pareto_draw(const gsl_rng *r, double alpha, double xmin, double cap);
double usage_pareto_mean(double alpha, double xmin, double cap);
double usage_pareto_quantile(double alpha, double xmin, double cap, double p);
double usage_pareto_top_share(double alpha, double xmin, double cap, double p);

double usage_lognormal_draw(const gsl_rng *r, double mu, double sigma);
double usage_lognormal_quantile(double mu, double sigma, double p);
double usage_lognormal_top_share(double sigma, double p);

/* Monthly counts: interactions of a customer of intensity `rate` (per
 * month) over dt months whose month multiplier is `mult` (1 unless
 * gamma-Poisson). Returns a whole number except under COUNTS_FIXED. */
double usage_count_draw(const gsl_rng *r, const usage_dist *u, double rate, double mult, double dt);

/* The month multiplier: 1, or Gamma(k, 1/k) (mean 1, variance 1/k). */
double usage_month_multiplier(const gsl_rng *r, const usage_dist *u);

#endif
