/* dist.h: the laws of uncertain scenario inputs (an `uncertain:` section).
 *
 * Each law is a GSL-style pair in its own file: a sampler taking the
 * generator first, and its quantile function (inverse CDF), which Latin
 * hypercube sampling and the Iman-Conover reordering need. Every sampler
 * draws by inversion, one uniform per value, so a stratified uniform gives
 * a stratified value. ts_dist bundles one law and its parameters, checked
 * by ts_dist_check, for the scenario loader and the engine's outer loop. */
#ifndef TS_DIST_H
#define TS_DIST_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>

/* uniform on [a, b], a < b */
double ts_ran_uniform_ab(const gsl_rng *r, double a, double b);
double ts_dist_uniform_Pinv(double u, double a, double b);

/* triangular on [a, b] with mode c, a <= c <= b, a < b */
double ts_ran_triangular(const gsl_rng *r, double a, double c, double b);
double ts_dist_triangular_Pinv(double u, double a, double c, double b);

/* beta-PERT on [a, b] with mode c and shape lambda > 0 (4 classically) */
double ts_ran_pert(const gsl_rng *r, double a, double c, double b, double lambda);
double ts_dist_pert_Pinv(double u, double a, double c, double b, double lambda);

/* normal(mu, sd) truncated to [lo, hi] (either may be infinite), sd > 0 */
double ts_ran_truncnormal(const gsl_rng *r, double mu, double sd, double lo, double hi);
double ts_dist_truncnormal_Pinv(double u, double mu, double sd, double lo, double hi);

/* lognormal: exp of normal(mu, sigma), sigma > 0 */
double ts_ran_lognormal_ms(const gsl_rng *r, double mu, double sigma);
double ts_dist_lognormal_Pinv(double u, double mu, double sigma);

/* beta(alpha, beta) scaled to [a, b], alpha, beta > 0, a < b */
double ts_ran_beta_ab(const gsl_rng *r, double alpha, double beta, double a, double b);
double ts_dist_beta_Pinv(double u, double alpha, double beta, double a, double b);

/* one of v[0..n) with probabilities w[i] / sum(w) (w >= 0, sum > 0) */
double ts_ran_discrete_values(const gsl_rng *r, const double *v, const double *w, size_t n);
double ts_dist_discrete_Pinv(double u, const double *v, const double *w, size_t n);

enum dist_kind {
    DIST_UNIFORM, DIST_TRIANGULAR, DIST_PERT, DIST_NORMAL, DIST_LOGNORMAL, DIST_BETA, DIST_DISCRETE,
    DIST_KIND_COUNT
};

extern const char *const dist_kind_names[];   /* NULL-terminated, by enum dist_kind */

#define DIST_MAX_VALUES 16

typedef struct ts_dist {
    int kind;                /* enum dist_kind */
    double min, max, mode;   /* uniform, triangular, PERT, beta: support; normal: truncation */
    double mean, sd;         /* normal */
    double mu, sigma;        /* lognormal: of the logarithm */
    double alpha, beta;      /* beta */
    double lambda;           /* PERT */
    double v[DIST_MAX_VALUES], w[DIST_MAX_VALUES];   /* discrete */
    int n;
} ts_dist;

/* Checks d's parameters. Returns NULL when they are valid, else a message
 * ("mode 5 is outside [min, max] = [0, 1]") written into msg[0..len). */
const char *ts_dist_check(const ts_dist *d, char *msg, size_t len);

/* The support's ends (may be infinite). d must have passed ts_dist_check. */
void ts_dist_support(const ts_dist *d, double *lo, double *hi);

/* The value at probability u in (0, 1), and a draw (inversion). */
double ts_dist_Pinv(const ts_dist *d, double u);
double ts_dist_sample(const gsl_rng *r, const ts_dist *d);

/* The law in words, as "pert(0.02, 0.03, 0.06)", into buf[0..len). */
void ts_dist_describe(const ts_dist *d, char *buf, size_t len);

#endif
