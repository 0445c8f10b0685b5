/* usage.c: the registry of usage laws, what every law shares (preparation
 * of the report segments, extra power users, the monthly interaction
 * counts) and the operations a law does not override. Each law lives in
 * its own file, models/usage_<law>.c. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "randist.h"
#include "usage.h"

static const char *const report_names[4] = { "light", "medium", "heavy", "power" };

/* ---- the registry ---- */

#define USAGE_LAW(id) extern const usage_law usage_law_##id;
#include "usage_laws.def"
#undef USAGE_LAW

static const usage_law *laws[USAGE_LAWS_MAX] = {
#define USAGE_LAW(id) &usage_law_##id,
#include "usage_laws.def"
#undef USAGE_LAW
};
static int nlaws = -1;
static unsigned generation;

int usage_law_count(void)
{
    if (nlaws < 0) {
        nlaws = 0;
        while (nlaws < USAGE_LAWS_MAX && laws[nlaws])
            nlaws++;
    }
    return nlaws;
}

const usage_law *usage_law_get(int kind)
{
    return kind >= 0 && kind < usage_law_count() ? laws[kind] : NULL;
}

int usage_law_find(const char *name)
{
    for (int i = 0; i < usage_law_count(); i++)
        if (!strcmp(laws[i]->name, name))
            return i;
    return -1;
}

int usage_law_register(const usage_law *law, ts_error *err)
{
    if (!law || !law->name || !law->name[0] || !law->keys || !law->draw || !law->mean || !law->quantile
        || !law->top_share || !law->describe) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                     "invalid usage law: expected a name, keys, draw, mean, quantile, top_share and describe");
        return -1;
    }
    if (usage_law_find(law->name) >= 0) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "duplicate usage law '%s'", law->name);
        return -1;
    }
    if (law->params_size > USAGE_PARAM_BYTES) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "usage law '%s' has %zu bytes of parameters, expected at most %d",
                     law->name, law->params_size, USAGE_PARAM_BYTES);
        return -1;
    }
    if (usage_law_count() == USAGE_LAWS_MAX) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "too many usage laws: expected at most %d", USAGE_LAWS_MAX);
        return -1;
    }
    laws[nlaws] = law;
    generation++;
    return nlaws++;
}

unsigned usage_law_generation(void)
{
    return generation;
}

/* ---- what every law shares ---- */

int usage_dist_prepare(usage_dist *u, const char **what, ts_error *err)
{
    const usage_law *law = usage_law_of(u);
    int rc = law->prepare ? law->prepare(u, what, err) : TS_OK;
    if (rc)
        return rc;
    for (int i = 0; i < 3; i++) {
        if (i > 0 && u->bounds.from[i] <= u->bounds.from[i - 1]) {
            *what = "segment_quantiles";
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "expected three increasing probabilities");
        }
        u->report_bounds[i] = usage_dist_quantile(u, u->bounds.from[i]);
    }
    u->drift_threshold = u->drift_from > 0 ? usage_dist_quantile(u, u->drift_from) : 0;
    return TS_OK;
}

/* With extra power users the mean mixes the law's mean m with its tail
 * mean above the power quantile q, m T(1 - q) / (1 - q), T the top share:
 *   mean = (1 - b) m + b m T(1 - q) / (1 - q). */
double usage_dist_mean(const usage_dist *u)
{
    const usage_law *law = usage_law_of(u);
    double m = law->mean(u), b = u->power_boost;
    if (b <= 0)
        return m;
    if (law->power_mean)
        return (1 - b) * m + b * law->power_mean(u);
    double s = 1 - u->bounds.from[2];
    return (1 - b) * m + b * m * usage_dist_top_share(u, s) / s;
}

double usage_dist_quantile(const usage_dist *u, double p)
{
    return usage_law_of(u)->quantile(u, p);
}

double usage_dist_top_share(const usage_dist *u, double p)
{
    return usage_law_of(u)->top_share(u, p);
}

int usage_dist_segment_of(const usage_dist *u, double x)
{
    int s = 0;
    while (s < 3 && x > u->report_bounds[s])
        s++;
    return s;
}

bool usage_dist_named_segments(const usage_dist *u)
{
    return usage_law_of(u)->nsegments != NULL;
}

int usage_dist_nsegments(const usage_dist *u)
{
    const usage_law *law = usage_law_of(u);
    return law->nsegments ? law->nsegments(u) : 4;
}

const char *usage_dist_segment_name(const usage_dist *u, int i)
{
    const usage_law *law = usage_law_of(u);
    return law->segment_name ? law->segment_name(u, i) : report_names[i];
}

int usage_dist_describe(const usage_dist *u, char *buf, size_t n)
{
    return usage_law_of(u)->describe(u, buf, n);
}

/* Extra power users: with probability b a customer is drawn from the tail
 * above the power quantile q = report_segments.power_from, by inversion,
 * x = Q(q + (1 - q) U). The share above the baseline's power threshold
 * becomes (1 - b)(1 - q) + b, twice 1 - q when b = (1 - q) / q. */
static double power_draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    const usage_law *law = usage_law_of(u);
    if (law->power_draw)
        return law->power_draw(r, u, segment);
    double q = u->bounds.from[2];
    double x = usage_dist_quantile(u, q + (1 - q) * gsl_rng_uniform_pos(r));
    *segment = usage_dist_segment_of(u, x);
    return x;
}

double usage_dist_draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    if (u->power_boost > 0 && gsl_rng_uniform(r) < u->power_boost)
        return power_draw(r, u, segment);
    const usage_law *law = usage_law_of(u);
    double x = law->draw(r, u, segment);
    if (!law->nsegments)
        *segment = usage_dist_segment_of(u, x);
    return x;
}

double usage_dist_draw_at(const gsl_rng *r, const usage_dist *u, double p, int *segment)
{
    if (u->power_boost > 0 && gsl_rng_uniform(r) < u->power_boost)
        return power_draw(r, u, segment);
    p = fmin(fmax(p, 1e-16), 1 - 0x1p-53);
    const usage_law *law = usage_law_of(u);
    double x = law->draw_at ? law->draw_at(u, p, segment) : law->quantile(u, p);
    if (!law->nsegments)
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
