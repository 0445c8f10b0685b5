/* usage.c: dispatch over the usage distributions, their preparation and
 * checks, the report segments, and the monthly interaction counts.
 *
 * The concentration form ("the top p of customers make s of the usage") is
 * solved in closed form into a Pareto or a lognormal with the given mean:
 *   Pareto:    s = p^(1 - 1/a)            =>  a = 1 / (1 - ln s / ln p),
 *              xmin = mean (a - 1) / a
 *   lognormal: s = Phi(sigma - z_(1-p))   =>  sigma = z_(1-p) + Phi^-1(s) */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "randist.h"
#include "usage.h"

static const char *const report_names[4] = { "light", "medium", "heavy", "power" };

static int bad(ts_error *err, const char **what, const char *key, const char *fmt, const char *detail)
{
    *what = key;
    return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, fmt, detail);
}

int usage_dist_prepare(usage_dist *u, const char **what, ts_error *err)
{
    switch (u->kind) {
    case USAGE_CONSTANT:
        break;
    case USAGE_PARETO:
        if (u->cap > 0 && u->cap <= u->xmin) {
            char msg[160];
            snprintf(msg, sizeof msg, "found %g, expected a cap greater than min (%g), or 0 for none", u->cap, u->xmin);
            return bad(err, what, "cap", "%s", msg);
        }
        if (u->cap <= 0 && u->alpha <= 1) {
            char msg[160];
            snprintf(msg, sizeof msg, "found %g with no cap, but a power law with alpha <= 1 has no finite mean: "
                     "raise alpha above 1 or set usage.cap", u->alpha);
            return bad(err, what, "alpha", "%s", msg);
        }
        u->d_alpha = u->alpha;
        u->d_xmin = u->xmin;
        break;
    case USAGE_LOGNORMAL:
        u->d_sigma = u->sigma;
        u->mu = log(u->mean) - u->sigma * u->sigma / 2;
        break;
    case USAGE_SEGMENTS: {
        if (u->nsegments < 1)
            return bad(err, what, "segments", "%s", "expected at least one segment");
        double sum = 0;
        for (int i = 0; i < u->nsegments; i++)
            sum += u->segments[i].share;
        if (fabs(sum - 1.0) > 1e-6) {
            char msg[96];
            snprintf(msg, sizeof msg, "segment shares add up to %g, expected 1", sum);
            return bad(err, what, "segments", "%s", msg);
        }
        break;
    }
    case USAGE_QUANTILES:
        if (u->npoints < 2)
            return bad(err, what, "quantiles", "%s", "expected at least two quantile points");
        for (int i = 0; i < u->npoints; i++) {
            if (i > 0 && u->points[i].p <= u->points[i - 1].p)
                return bad(err, what, "quantiles", "%s", "expected quantile points in increasing order of p");
            if (i > 0 && u->points[i].value <= u->points[i - 1].value)
                return bad(err, what, "quantiles", "%s", "expected values that increase with p");
            u->zq[i] = gsl_cdf_ugaussian_Pinv(u->points[i].p);
            u->yq[i] = log(u->points[i].value);
        }
        break;
    case USAGE_CONCENTRATION:
        if (u->share <= u->top)
            {
            char msg[160];
            snprintf(msg, sizeof msg, "found %g, expected more than top (%g): the heaviest customers make more than "
                     "their head count", u->share, u->top);
            return bad(err, what, "share", "%s", msg);
        }
        if (u->family == FAMILY_PARETO) {
            u->d_alpha = 1.0 / (1.0 - log(u->share) / log(u->top));
            u->d_xmin = u->mean * (u->d_alpha - 1) / u->d_alpha;
        } else {
            u->d_sigma = gsl_cdf_ugaussian_Pinv(1 - u->top) + gsl_cdf_ugaussian_Pinv(u->share);
            u->mu = log(u->mean) - u->d_sigma * u->d_sigma / 2;
        }
        break;
    }
    for (int i = 0; i < 3; i++) {
        if (i > 0 && u->bounds.from[i] <= u->bounds.from[i - 1])
            return bad(err, what, "segment_quantiles", "%s", "expected three increasing probabilities");
        u->report_bounds[i] = usage_dist_quantile(u, u->bounds.from[i]);
    }
    u->drift_threshold = u->drift_from > 0 ? usage_dist_quantile(u, u->drift_from) : 0;
    return TS_OK;
}

static bool is_lognormal(const usage_dist *u)
{
    return u->kind == USAGE_LOGNORMAL || (u->kind == USAGE_CONCENTRATION && u->family == FAMILY_LOGNORMAL);
}

static bool is_pareto(const usage_dist *u)
{
    return u->kind == USAGE_PARETO || (u->kind == USAGE_CONCENTRATION && u->family == FAMILY_PARETO);
}

/* The heaviest segment: where extra power users of a segments law go. */
static int heaviest_segment(const usage_dist *u)
{
    int h = 0;
    for (int i = 1; i < u->nsegments; i++)
        if (u->segments[i].mean > u->segments[h].mean)
            h = i;
    return h;
}

static double base_mean(const usage_dist *u);

/* With extra power users the mean mixes the law's mean m with its tail
 * mean above the power quantile q, m T(1 - q) / (1 - q), T the top share:
 *   mean = (1 - b) m + b m T(1 - q) / (1 - q). */
double usage_dist_mean(const usage_dist *u)
{
    double m = base_mean(u), b = u->power_boost;
    if (b <= 0)
        return m;
    if (u->kind == USAGE_SEGMENTS)
        return (1 - b) * m + b * u->segments[heaviest_segment(u)].mean;
    double s = 1 - u->bounds.from[2];
    return (1 - b) * m + b * m * usage_dist_top_share(u, s) / s;
}

static double base_mean(const usage_dist *u)
{
    if (u->kind == USAGE_CONSTANT)
        return u->value;
    if (is_pareto(u))
        return usage_pareto_mean(u->d_alpha, u->d_xmin, u->kind == USAGE_PARETO ? u->cap : 0);
    if (is_lognormal(u))
        return u->mean;
    if (u->kind == USAGE_SEGMENTS)
        return usage_segments_mean(u);
    return usage_quantiles_mean(u);
}

double usage_dist_quantile(const usage_dist *u, double p)
{
    if (u->kind == USAGE_CONSTANT)
        return u->value;
    if (is_pareto(u))
        return usage_pareto_quantile(u->d_alpha, u->d_xmin, u->kind == USAGE_PARETO ? u->cap : 0, p);
    if (is_lognormal(u))
        return usage_lognormal_quantile(u->mu, u->d_sigma, p);
    if (u->kind == USAGE_SEGMENTS)
        return usage_segments_quantile(u, p);
    return usage_quantiles_quantile(u, p);
}

double usage_dist_top_share(const usage_dist *u, double p)
{
    if (u->kind == USAGE_CONSTANT)
        return p;
    if (is_pareto(u))
        return usage_pareto_top_share(u->d_alpha, u->d_xmin, u->kind == USAGE_PARETO ? u->cap : 0, p);
    if (is_lognormal(u))
        return usage_lognormal_top_share(u->d_sigma, p);
    if (u->kind == USAGE_SEGMENTS)
        return usage_segments_top_share(u, p);
    return usage_quantiles_top_share(u, p);
}

int usage_dist_segment_of(const usage_dist *u, double x)
{
    int s = 0;
    while (s < 3 && x > u->report_bounds[s])
        s++;
    return s;
}

int usage_dist_nsegments(const usage_dist *u)
{
    return u->kind == USAGE_SEGMENTS ? u->nsegments : 4;
}

const char *usage_dist_segment_name(const usage_dist *u, int i)
{
    return u->kind == USAGE_SEGMENTS ? u->segments[i].name : report_names[i];
}

/* Extra power users: with probability b a customer is drawn from the tail
 * above the power quantile q = report_segments.power_from, by inversion,
 * x = Q(q + (1 - q) U). The share above the baseline's power threshold
 * becomes (1 - b)(1 - q) + b, twice 1 - q when b = (1 - q) / q. */
static double power_draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    if (u->kind == USAGE_SEGMENTS) {
        *segment = heaviest_segment(u);
        return u->segments[*segment].mean;
    }
    double q = u->bounds.from[2];
    double x = usage_dist_quantile(u, q + (1 - q) * gsl_rng_uniform_pos(r));
    *segment = usage_dist_segment_of(u, x);
    return x;
}

double usage_dist_draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    double x;
    if (u->power_boost > 0 && gsl_rng_uniform(r) < u->power_boost)
        return power_draw(r, u, segment);
    if (u->kind == USAGE_SEGMENTS) {
        double v = gsl_rng_uniform(r), cum = 0;
        int i = 0;
        for (; i < u->nsegments - 1; i++) {
            cum += u->segments[i].share;
            if (v < cum)
                break;
        }
        *segment = i;
        return u->segments[i].mean;
    }
    if (u->kind == USAGE_CONSTANT)
        x = u->value;
    else if (is_pareto(u))
        x = usage_pareto_draw(r, u->d_alpha, u->d_xmin, u->kind == USAGE_PARETO ? u->cap : 0);
    else if (is_lognormal(u))
        x = usage_lognormal_draw(r, u->mu, u->d_sigma);
    else
        x = usage_quantiles_draw(r, u);
    *segment = usage_dist_segment_of(u, x);
    return x;
}

double usage_dist_draw_at(const gsl_rng *r, const usage_dist *u, double p, int *segment)
{
    if (u->power_boost > 0 && gsl_rng_uniform(r) < u->power_boost)
        return power_draw(r, u, segment);
    p = fmin(fmax(p, 1e-16), 1 - 0x1p-53);
    if (u->kind == USAGE_SEGMENTS) {
        double cum = 0;
        int i = 0;
        for (; i < u->nsegments - 1; i++) {
            cum += u->segments[i].share;
            if (p < cum)
                break;
        }
        *segment = i;
        return u->segments[i].mean;
    }
    double x = usage_dist_quantile(u, p);
    *segment = usage_dist_segment_of(u, x);
    return x;
}

double usage_month_multiplier(const gsl_rng *r, const usage_dist *u)
{
    if (u->counts != COUNTS_GAMMA_POISSON)
        return 1.0;
    return gsl_ran_gamma(r, u->dispersion, 1.0 / u->dispersion);
}

double usage_count_draw(const gsl_rng *r, const usage_dist *u, double rate, double mult, double dt)
{
    double mu = rate * mult * dt;
    if (u->counts == COUNTS_FIXED)
        return mu;
    if (mu <= 0)
        return 0;
    return ts_ran_poisson(r, mu);
}
