/* usage_lognormal.c: the lognormal intensity.
 *
 * ln X ~ N(mu, sigma^2), parameterised in the scenario by its mean:
 *   mu = ln(mean) - sigma^2 / 2
 * Quantile:  Q(p) = exp(mu + sigma z_p),  z_p = Phi^-1(p)
 * Top share: the heaviest fraction p makes
 *   S(p) = 1 - Phi(z_(1-p) - sigma) = Phi(sigma - z_(1-p))
 * of the total (the partial expectation of a lognormal above Q(1-p)). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>

#include "usage_laws.h"

double usage_lognormal_draw(const gsl_rng *r, double mu, double sigma)
{
    return gsl_ran_lognormal(r, mu, sigma);
}

double usage_lognormal_quantile(double mu, double sigma, double p)
{
    return exp(mu + sigma * gsl_cdf_ugaussian_Pinv(p));
}

double usage_lognormal_top_share(double sigma, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    return gsl_cdf_ugaussian_P(sigma - gsl_cdf_ugaussian_Pinv(1.0 - p));
}

/* ---- the law ---- */

typedef usage_lognormal_params params;

static const param_key keys[] = {
    PNUM(params, "mean", mean, 0, 0, PARAM_GT0 | PARAM_NEEDED, "interactions per month", "0", "the mean intensity"),
    PNUM(params, "sigma", sigma, 0, 0, PARAM_POS | PARAM_NEEDED, "-", "0", "standard deviation of log intensity"),
    PARAM_END
};

static int prepare(usage_dist *u, const char **what, ts_error *err)
{
    (void)what;
    (void)err;
    params *p = usage_params(u);
    p->mu = log(p->mean) - p->sigma * p->sigma / 2;
    return TS_OK;
}

static double draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    (void)segment;
    const params *p = usage_params_c(u);
    return usage_lognormal_draw(r, p->mu, p->sigma);
}

static double mean(const usage_dist *u)
{
    return ((const params *)usage_params_c(u))->mean;
}

static double quantile(const usage_dist *u, double q)
{
    const params *p = usage_params_c(u);
    return usage_lognormal_quantile(p->mu, p->sigma, q);
}

static double top_share(const usage_dist *u, double q)
{
    return usage_lognormal_top_share(((const params *)usage_params_c(u))->sigma, q);
}

static int heavier_tail(const usage_dist *u, char *set, size_t n)
{
    return snprintf(set, n, "usage.sigma=%.17g", ((const params *)usage_params_c(u))->sigma + 0.25);
}

static int sensitivity(const usage_dist *u, double f, usage_sens *v, int max)
{
    (void)u;
    if (max < 2)
        return 0;
    v[0] = (usage_sens){ "usage.mean", true, 1 - f, 1 + f };
    v[1] = (usage_sens){ "usage.sigma", true, 1 - f, 1 + f };
    return 2;
}

static int describe(const usage_dist *u, char *buf, size_t n)
{
    const params *p = usage_params_c(u);
    return snprintf(buf, n, "a lognormal, mean %g interactions a month, sigma %g", p->mean, p->sigma);
}

const usage_law usage_law_lognormal = {
    .name = "lognormal",
    .summary = "a lognormal given by its mean and the spread of its logarithm",
    .keys = keys,
    .params_size = sizeof(params),
    .draw = draw,
    .mean = mean,
    .quantile = quantile,
    .top_share = top_share,
    .describe = describe,
    .prepare = prepare,
    .heavier_tail = heavier_tail,
    .sensitivity = sensitivity,
};
