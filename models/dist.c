/* dist.c: one uncertain input's law as data: its checks, its support, its
 * quantile and its draw, by kind (the laws themselves are in dist_*.c). */
#include <float.h>
#include <math.h>
#include <stdio.h>

#include "dist.h"

const char *const dist_kind_names[] = { "uniform", "triangular", "pert", "normal", "lognormal", "beta",
                                        "discrete", NULL };

static const char *say(char *msg, size_t len, const char *text, double a, double b, double c)
{
    snprintf(msg, len, text, a, b, c);
    return msg;
}

const char *ts_dist_check(const ts_dist *d, char *msg, size_t len)
{
    bool finite = isfinite(d->min) && isfinite(d->max);
    switch (d->kind) {
    case DIST_UNIFORM:
    case DIST_TRIANGULAR:
    case DIST_PERT:
    case DIST_BETA:
        if (!finite || !(d->min < d->max))
            return say(msg, len, "min %g is not below max %g", d->min, d->max, 0);
        if (d->kind != DIST_UNIFORM && d->kind != DIST_BETA && !(d->mode >= d->min && d->mode <= d->max))
            return say(msg, len, "mode %g is outside [min, max] = [%g, %g]", d->mode, d->min, d->max);
        if (d->kind == DIST_PERT && !(d->lambda > 0))
            return say(msg, len, "lambda %g is not positive", d->lambda, 0, 0);
        if (d->kind == DIST_BETA && !(d->alpha > 0 && d->beta > 0))
            return say(msg, len, "alpha %g and beta %g must both be positive", d->alpha, d->beta, 0);
        return NULL;
    case DIST_NORMAL:
        if (!(d->sd > 0))
            return say(msg, len, "sd %g is not positive", d->sd, 0, 0);
        if (!(d->min < d->max))
            return say(msg, len, "the truncation [%g, %g] is empty", d->min, d->max, 0);
        return NULL;
    case DIST_LOGNORMAL:
        if (!(d->sigma > 0))
            return say(msg, len, "sigma %g is not positive", d->sigma, 0, 0);
        return NULL;
    case DIST_DISCRETE: {
        if (d->n < 1)
            return say(msg, len, "no values: expected 1 to %g of them", DIST_MAX_VALUES, 0, 0);
        double total = 0;
        for (int i = 0; i < d->n; i++) {
            if (!(d->w[i] >= 0))
                return say(msg, len, "weight %g of value %g is negative", d->w[i], d->v[i], 0);
            total += d->w[i];
        }
        if (!(total > 0))
            return say(msg, len, "the weights add up to %g, expected a positive sum", total, 0, 0);
        return NULL;
    }
    }
    return say(msg, len, "unknown law %g", d->kind, 0, 0);
}

void ts_dist_support(const ts_dist *d, double *lo, double *hi)
{
    switch (d->kind) {
    case DIST_LOGNORMAL:
        *lo = DBL_MIN;   /* exp of a finite number: positive */
        *hi = INFINITY;
        return;
    case DIST_DISCRETE:
        *lo = INFINITY;
        *hi = -INFINITY;
        for (int i = 0; i < d->n; i++)
            if (d->w[i] > 0) {
                *lo = fmin(*lo, d->v[i]);
                *hi = fmax(*hi, d->v[i]);
            }
        return;
    default:
        *lo = d->min;
        *hi = d->max;
    }
}

double ts_dist_Pinv(const ts_dist *d, double u)
{
    switch (d->kind) {
    case DIST_UNIFORM:
        return ts_dist_uniform_Pinv(u, d->min, d->max);
    case DIST_TRIANGULAR:
        return ts_dist_triangular_Pinv(u, d->min, d->mode, d->max);
    case DIST_PERT:
        return ts_dist_pert_Pinv(u, d->min, d->mode, d->max, d->lambda);
    case DIST_NORMAL:
        return ts_dist_truncnormal_Pinv(u, d->mean, d->sd, d->min, d->max);
    case DIST_LOGNORMAL:
        return ts_dist_lognormal_Pinv(u, d->mu, d->sigma);
    case DIST_BETA:
        return ts_dist_beta_Pinv(u, d->alpha, d->beta, d->min, d->max);
    default:
        return ts_dist_discrete_Pinv(u, d->v, d->w, (size_t)d->n);
    }
}

double ts_dist_sample(const gsl_rng *r, const ts_dist *d)
{
    return ts_dist_Pinv(d, gsl_rng_uniform_pos(r));
}

void ts_dist_describe(const ts_dist *d, char *buf, size_t len)
{
    switch (d->kind) {
    case DIST_UNIFORM:
        snprintf(buf, len, "uniform(%g, %g)", d->min, d->max);
        return;
    case DIST_TRIANGULAR:
        snprintf(buf, len, "triangular(%g, %g, %g)", d->min, d->mode, d->max);
        return;
    case DIST_PERT:
        if (d->lambda == 4)
            snprintf(buf, len, "pert(%g, %g, %g)", d->min, d->mode, d->max);
        else
            snprintf(buf, len, "pert(%g, %g, %g; lambda %g)", d->min, d->mode, d->max, d->lambda);
        return;
    case DIST_NORMAL:
        snprintf(buf, len, "normal(%g, sd %g) in [%g, %g]", d->mean, d->sd, d->min, d->max);
        return;
    case DIST_LOGNORMAL:
        snprintf(buf, len, "lognormal(mu %g, sigma %g)", d->mu, d->sigma);
        return;
    case DIST_BETA:
        snprintf(buf, len, "beta(%g, %g) on [%g, %g]", d->alpha, d->beta, d->min, d->max);
        return;
    default: {
        size_t n = (size_t)snprintf(buf, len, "discrete(");
        for (int i = 0; i < d->n && n < len; i++)
            n += (size_t)snprintf(buf + n, len - n, "%s%g", i ? " " : "", d->v[i]);
        if (n < len)
            snprintf(buf + n, len - n, ")");
    }
    }
}
