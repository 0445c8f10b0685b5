/* usage_pareto.c: the (optionally truncated) Pareto power law.
 *
 * Density on [m, H] (H = cap, or infinity when there is none):
 *   f(x) = a m^a x^-(a+1) / Z,         Z = 1 - (m/H)^a
 * Quantile:  Q(p) = m (1 - p Z)^(-1/a)
 * Mean:      E X = a m^a (H^(1-a) - m^(1-a)) / ((1-a) Z)     (a != 1)
 *                = m ln(H/m) / Z                               (a == 1)
 *            and a m / (a-1) without a cap (finite only for a > 1).
 * Top share: the share of total usage made by the heaviest fraction p, with
 *   t = Q(1-p):  S(p) = (H^(1-a) - t^(1-a)) / (H^(1-a) - m^(1-a))
 *   without a cap S(p) = p^(1 - 1/a)   (a > 1). */
#include <math.h>
#include <stdio.h>

#include "usage_laws.h"

static double trunc_z(double a, double m, double cap)
{
    return cap > 0 ? 1.0 - pow(m / cap, a) : 1.0;
}

double usage_pareto_quantile(double a, double m, double cap, double p)
{
    return m * pow(1.0 - p * trunc_z(a, m, cap), -1.0 / a);
}

double usage_pareto_draw(const gsl_rng *r, double a, double m, double cap)
{
    /* Inverse transform; 1-u keeps u = 0 away from the pole. */
    return usage_pareto_quantile(a, m, cap, 1.0 - gsl_rng_uniform_pos(r));
}

double usage_pareto_mean(double a, double m, double cap)
{
    if (cap <= 0)
        return a > 1 ? a * m / (a - 1) : INFINITY;
    double z = trunc_z(a, m, cap);
    if (fabs(a - 1.0) < 1e-12)
        return m * log(cap / m) / z;
    return a * pow(m, a) * (pow(cap, 1 - a) - pow(m, 1 - a)) / ((1 - a) * z);
}

double usage_pareto_top_share(double a, double m, double cap, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    if (cap <= 0)
        return a > 1 ? pow(p, 1.0 - 1.0 / a) : 1.0;
    double t = usage_pareto_quantile(a, m, cap, 1.0 - p);
    if (fabs(a - 1.0) < 1e-12)
        return log(cap / t) / log(cap / m);
    return (pow(cap, 1 - a) - pow(t, 1 - a)) / (pow(cap, 1 - a) - pow(m, 1 - a));
}

/* ---- the law ---- */

typedef usage_pareto_params params;

static const param_key keys[] = {
    PNUM(params, "alpha", alpha, 0, 0, PARAM_GT0 | PARAM_NEEDED, "-", "0",
         "tail exponent (smaller is heavier; needs > 1 without a cap)"),
    PNUM(params, "min", xmin, 0, 0, PARAM_GT0 | PARAM_NEEDED, "interactions per month", "0", "the smallest intensity"),
    PNUM(params, "cap", cap, 0, 0, PARAM_POS, "interactions per month", "0", "the largest intensity (0: none)"),
    PARAM_END
};

static int prepare(usage_dist *u, const char **what, ts_error *err)
{
    const params *p = usage_params_c(u);
    if (p->cap > 0 && p->cap <= p->xmin) {
        *what = "cap";
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "found %g, expected a cap greater than min (%g), or 0 for none", p->cap, p->xmin);
    }
    if (p->cap <= 0 && p->alpha <= 1) {
        *what = "alpha";
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found %g with no cap, but a power law with alpha <= 1 "
                            "has no finite mean: raise alpha above 1 or set usage.cap", p->alpha);
    }
    return TS_OK;
}

static double draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    (void)segment;
    const params *p = usage_params_c(u);
    return usage_pareto_draw(r, p->alpha, p->xmin, p->cap);
}

static double mean(const usage_dist *u)
{
    const params *p = usage_params_c(u);
    return usage_pareto_mean(p->alpha, p->xmin, p->cap);
}

static double quantile(const usage_dist *u, double q)
{
    const params *p = usage_params_c(u);
    return usage_pareto_quantile(p->alpha, p->xmin, p->cap, q);
}

static double top_share(const usage_dist *u, double q)
{
    const params *p = usage_params_c(u);
    return usage_pareto_top_share(p->alpha, p->xmin, p->cap, q);
}

/* 20% closer to 1 without a cap (the mean stays finite), 20% lower with one */
static int heavier_tail(const usage_dist *u, char *set, size_t n)
{
    const params *p = usage_params_c(u);
    return snprintf(set, n, "usage.alpha=%.17g", p->cap > 0 ? 0.8 * p->alpha : 1 + 0.8 * (p->alpha - 1));
}

/* without a cap alpha must stay above 1: move its distance to 1 */
static int sensitivity(const usage_dist *u, double f, usage_sens *v, int max)
{
    const params *p = usage_params_c(u);
    double lo = 1 - f, hi = 1 + f;
    if (max < 2)
        return 0;
    if (p->cap > 0)
        v[0] = (usage_sens){ "usage.alpha", true, lo, hi };
    else
        v[0] = (usage_sens){ "usage.alpha", false, 1 + (p->alpha - 1) * lo, 1 + (p->alpha - 1) * hi };
    v[1] = (usage_sens){ "usage.min", true, lo, hi };
    return 2;
}

static int describe(const usage_dist *u, char *buf, size_t n)
{
    const params *p = usage_params_c(u);
    if (p->cap > 0)
        return snprintf(buf, n, "a power law, alpha %g, from %g to %g interactions a month", p->alpha, p->xmin,
                        p->cap);
    return snprintf(buf, n, "a power law, alpha %g, from %g interactions a month", p->alpha, p->xmin);
}

/* Without a cap, the second moment is finite only for alpha > 2. */
static bool infinite_variance(const usage_dist *d)
{
    const params *u = usage_params_c(d);
    return u->cap <= 0 && u->alpha <= 2;
}

const usage_law usage_law_pareto = {
    .name = "pareto",
    .summary = "a power law above a smallest intensity, optionally capped",
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
