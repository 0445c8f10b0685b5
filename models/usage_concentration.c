/* usage_concentration.c: usage stated as concentration, "the top p of
 * customers make s of the usage", with a mean intensity.
 *
 * Solved in closed form into a Pareto or a lognormal with the given mean:
 *   Pareto:    s = p^(1 - 1/a)            =>  a = 1 / (1 - ln s / ln p),
 *              xmin = mean (a - 1) / a
 *   lognormal: s = Phi(sigma - z_(1-p))   =>  sigma = z_(1-p) + Phi^-1(s)
 * then drawn, and its mean, quantiles and top shares taken, as that law's. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

#include "usage_laws.h"

typedef usage_concentration_params params;

static const char *const family_names[] = { "pareto", "lognormal", NULL };

static const param_key keys[] = {
    PNUM(params, "mean", mean, 0, 0, PARAM_GT0 | PARAM_NEEDED, "interactions per month", "0", "the mean intensity"),
    PNUM(params, "top", top, 0, 1, PARAM_MIN_OPEN | PARAM_MAX_OPEN | PARAM_NEEDED, "share of customers", "0",
         "the heaviest share of customers..."),
    PNUM(params, "share", share, 0, 1, PARAM_MIN_OPEN | PARAM_MAX_OPEN | PARAM_NEEDED, "share of usage", "0",
         "...and the share of all usage they make"),
    PENUM(params, "family", family, family_names, 0, "pareto", "the shape fitted to top and share"),
    PARAM_END
};

static int prepare(usage_dist *d, const char **what, ts_error *err)
{
    params *u = usage_params(d);
    if (u->share <= u->top) {
        *what = "share";
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found %g, expected more than top (%g): the heaviest "
                            "customers make more than their head count", u->share, u->top);
    }
    if (u->family == FAMILY_PARETO) {
        u->alpha = 1.0 / (1.0 - log(u->share) / log(u->top));
        u->xmin = u->mean * (u->alpha - 1) / u->alpha;
    } else {
        u->sigma = gsl_cdf_ugaussian_Pinv(1 - u->top) + gsl_cdf_ugaussian_Pinv(u->share);
        u->mu = log(u->mean) - u->sigma * u->sigma / 2;
    }
    return TS_OK;
}

static double draw(const gsl_rng *r, const usage_dist *d, int *segment)
{
    (void)segment;
    const params *u = usage_params_c(d);
    if (u->family == FAMILY_PARETO)
        return usage_pareto_draw(r, u->alpha, u->xmin, 0);
    return usage_lognormal_draw(r, u->mu, u->sigma);
}

static double mean(const usage_dist *d)
{
    const params *u = usage_params_c(d);
    return u->family == FAMILY_PARETO ? usage_pareto_mean(u->alpha, u->xmin, 0) : u->mean;
}

static double quantile(const usage_dist *d, double p)
{
    const params *u = usage_params_c(d);
    if (u->family == FAMILY_PARETO)
        return usage_pareto_quantile(u->alpha, u->xmin, 0, p);
    return usage_lognormal_quantile(u->mu, u->sigma, p);
}

static double top_share(const usage_dist *d, double p)
{
    const params *u = usage_params_c(d);
    if (u->family == FAMILY_PARETO)
        return usage_pareto_top_share(u->alpha, u->xmin, 0, p);
    return usage_lognormal_top_share(u->sigma, p);
}

static int heavier_tail(const usage_dist *d, char *set, size_t n)
{
    const params *u = usage_params_c(d);
    return snprintf(set, n, "usage.share=%.17g", u->share + 0.2 * (1 - u->share));
}

/* share stays between top and 1 */
static int sensitivity(const usage_dist *d, double f, usage_sens *v, int max)
{
    const params *u = usage_params_c(d);
    if (max < 2)
        return 0;
    v[0] = (usage_sens){ "usage.mean", true, 1 - f, 1 + f };
    v[1] = (usage_sens){ "usage.share", false, u->share - f * (u->share - u->top), u->share + f * (1 - u->share) };
    return 2;
}

static int describe(const usage_dist *d, char *buf, size_t n)
{
    const params *u = usage_params_c(d);
    return snprintf(buf, n, "the top %g%% of customers make %g%% of the usage (a %s), mean %g interactions a month",
                    100 * u->top, 100 * u->share, family_names[u->family], u->mean);
}

/* A Pareto fit has no cap: its second moment is finite only for alpha > 2. */
static bool infinite_variance(const usage_dist *d)
{
    const params *u = usage_params_c(d);
    return u->family == FAMILY_PARETO && u->alpha <= 2;
}

const usage_law usage_law_concentration = {
    .name = "concentration",
    .summary = "the top share of customers makes a stated share of usage, fitted to a Pareto or a lognormal",
    .keys = keys,
    .params_size = sizeof(params),
    .draw = draw,
    .mean = mean,
    .quantile = quantile,
    .top_share = top_share,
    .describe = describe,
    .prepare = prepare,
    .heavier_tail = heavier_tail,
    .infinite_variance = infinite_variance,
    .sensitivity = sensitivity,
};
