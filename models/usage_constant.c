/* usage_constant.c: every customer at one intensity (the textbook's
 * arithmetic, and tests with a hand-worked answer).
 *
 * Mean and every quantile: the value. Top share: S(p) = p. */
#include <stdio.h>

#include "usage_laws.h"

typedef usage_constant_params params;

static const param_key keys[] = {
    PNUM(params, "value", value, 0, 0, PARAM_POS | PARAM_NEEDED, "interactions per month", "0",
         "every customer's intensity"),
    PARAM_END
};

static double value(const usage_dist *u)
{
    return ((const params *)usage_params_c(u))->value;
}

static double draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    (void)r;
    (void)segment;
    return value(u);
}

static double quantile(const usage_dist *u, double p)
{
    (void)p;
    return value(u);
}

static double top_share(const usage_dist *u, double p)
{
    (void)u;
    return p;
}

/* nobody stands out: no power users to add */
static double power_share(const usage_dist *u)
{
    (void)u;
    return 0;
}

static int sensitivity(const usage_dist *u, double f, usage_sens *v, int max)
{
    (void)u;
    if (max < 1)
        return 0;
    v[0] = (usage_sens){ "usage.value", true, 1 - f, 1 + f };
    return 1;
}

static int describe(const usage_dist *u, char *buf, size_t n)
{
    return snprintf(buf, n, "every customer at %g interactions a month", value(u));
}

/* Exact band sums: every customer, and its mirror, at the one value. */
static void band_sums(const usage_dist *d, double a, double b, double *sum)
{
    double v = ((const usage_constant_params *)usage_params_c(d))->value;
    sum[0] += (b - a) * v;
    sum[1] += (b - a) * v * v;
    sum[2] += (b - a) * v;
    sum[3] += (b - a) * v * v;
}

const usage_law usage_law_constant = {
    .name = "constant",
    .band_sums = band_sums,
    .summary = "every customer at the same intensity",
    .keys = keys,
    .params_size = sizeof(params),
    .draw = draw,
    .mean = value,
    .quantile = quantile,
    .top_share = top_share,
    .describe = describe,
    .power_share = power_share,
    .sensitivity = sensitivity,
};
