/* fit.h: the power-law fit of Clauset, Shalizi and Newman (2009), its
 * alternatives, and the summaries `tokensim fit` reports of usage data.
 *
 * References: A. Clauset, C. R. Shalizi, M. E. J. Newman, "Power-law
 * distributions in empirical data", SIAM Review 51(4):661-703, 2009 (CSN);
 * Q. H. Vuong, "Likelihood ratio tests for model selection and non-nested
 * hypotheses", Econometrica 57(2):307-333, 1989. The formulas are written
 * above the code that computes them (fit.c, fit_alt.c).
 *
 * The power law here is CSN's: density p(x) = (alpha-1)/xmin (x/xmin)^-alpha
 * for x >= xmin (continuous), or p(x) = x^-alpha / zeta(alpha, xmin) on the
 * integers x >= xmin (discrete). tokensim's own usage law `pareto` takes
 * the exponent of the survival function, alpha_tokensim = alpha - 1. */
#ifndef TS_FIT_H
#define TS_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/core/error.h"

/* The smallest tail a candidate xmin may leave: fewer points than this
 * make alpha meaningless (CSN section 3.3 uses the same kind of floor). */
#define FIT_MIN_TAIL 10
/* At most this many candidate xmins are tried, spread evenly over the
 * distinct values (all of them when there are fewer). */
#define FIT_MAX_XMINS 400

typedef struct fit_powerlaw {
    bool discrete;
    double alpha, xmin;
    double se;               /* standard error of alpha */
    double ks;               /* Kolmogorov-Smirnov distance of the tail from the fit */
    size_t n, ntail;         /* sample size; points at or above xmin */
    double loglik;           /* of the tail */
    double p;                /* bootstrap goodness-of-fit p-value; NAN when not run */
    int nboot;
} fit_powerlaw;

/* The alpha that maximises the likelihood of tail[0..n) (all >= xmin),
 * given s = sum of ln tail[i]:
 *   continuous: alpha = 1 + n / (s - n ln xmin)                 (CSN 3.1)
 *   discrete:   argmax -n ln zeta(alpha, xmin) - alpha s        (CSN 3.5)
 * NAN when the tail is degenerate (all values equal to xmin). */
double fit_alpha_mle(bool discrete, size_t n, double s, double xmin);

/* The standard error of alpha at the MLE:
 *   continuous: (alpha - 1) / sqrt(n)                            (CSN 3.2)
 *   discrete:   1 / sqrt(n d2/dalpha2 ln zeta(alpha, xmin))     (CSN 3.6) */
double fit_alpha_se(bool discrete, size_t n, double alpha, double xmin);

/* The log-likelihood of one point x >= xmin under the power law. */
double fit_pl_logpdf(bool discrete, double alpha, double xmin, double x);

/* P(X >= x) under the power law, x >= xmin. */
double fit_pl_ccdf(bool discrete, double alpha, double xmin, double x);

/* The KS distance D = max_x |S(x) - P(x)| between the empirical CDF S of
 * tail[0..n) (sorted ascending, all >= xmin) and the fitted CDF P. */
double fit_ks(bool discrete, const double *tail, size_t n, double alpha, double xmin);

/* Optional trace of the scan: the KS distance at each candidate xmin. */
typedef struct fit_scan {
    double *xmin, *ks, *alpha;
    size_t n;
} fit_scan;

/* Fits x[0..n) (sorted ascending, all > 0; integers when discrete): for
 * each candidate xmin the MLE alpha and its D; keeps the xmin of the
 * smallest D (CSN section 3.3). scan may be NULL; otherwise its arrays are
 * allocated here and freed with fit_scan_free. TS_ERR_INPUT when fewer than
 * FIT_MIN_TAIL distinct-enough points leave no candidate. */
int fit_powerlaw_scan(const double *x, size_t n, bool discrete, fit_powerlaw *out, fit_scan *scan, ts_error *err);
void fit_scan_free(fit_scan *scan);

/* Draws one value from the fitted power law (inversion). */
double fit_pl_draw(bool discrete, double alpha, double xmin, double u);

/* The goodness-of-fit p-value by CSN's semi-parametric bootstrap (section
 * 4.1): nboot synthetic sets of n points, each point drawn with
 * probability ntail/n from the fitted law and otherwise uniformly from the
 * data below xmin; each set is fitted as the data was (xmin scan
 * included), and p is the share of sets whose D is at least the data's.
 * Set k draws from its own stream seeded from (seed, k), so p does not
 * depend on threads (0: OpenMP's default). Fills pl->p and pl->nboot. */
int fit_bootstrap(const double *x, size_t n, fit_powerlaw *pl, int nboot, uint64_t seed, int threads,
                  volatile int *stop, ts_error *err);

/* ---- alternatives (fit_alt.c) ------------------------------------------ */

enum fit_alt_kind { ALT_LOGNORMAL, ALT_EXPONENTIAL, ALT_STRETCHED, ALT_CUTOFF, ALT_COUNT };
extern const char *const fit_alt_names[ALT_COUNT];

typedef struct fit_alt {
    int kind;
    bool ok;                 /* the likelihood was maximised */
    double par[2];           /* lognormal mu, sigma; exponential lambda; stretched lambda, beta;
                                cutoff alpha, lambda */
    double loglik;           /* of the tail */
    double R;                /* log-likelihood ratio, power law minus this law: > 0 favours the power law */
    double z;                /* Vuong's normalised ratio R / (sigma sqrt(n)) */
    double p;                /* p-value: Vuong's two-sided test, or for the nested cutoff the chi-squared test */
} fit_alt;

/* Fits every alternative to tail[0..n) (sorted, >= pl->xmin) by maximum
 * likelihood, truncated at xmin (discrete data: the probability of each
 * integer k is (S(k) - S(k+1)) / S(xmin) for the law's survival S), and
 * compares each with the power law. */
void fit_alternatives(const double *tail, size_t n, const fit_powerlaw *pl, fit_alt out[ALT_COUNT]);

/* P(X >= x | X >= xmin) under an alternative, for plots. */
double fit_alt_ccdf(const fit_alt *a, double xmin, double x);

#endif
