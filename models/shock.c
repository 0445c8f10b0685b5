/* shock.c: the strength of a shock in time and the factors it makes
 * (formulas in shock.h). */
#include "shock.h"

#include <math.h>
#include <stdio.h>

const char *const shock_type_names[] = { "usage", "model_prices", "competitor_price", "wtp", NULL };

void shock_prepare(timed_shock *k, const usage_dist *u)
{
    k->threshold = k->type == SHOCK_USAGE && k->top < 1 ? usage_dist_quantile(u, 1 - k->top) : -INFINITY;
}

double shock_strength(const timed_shock *k, int month)
{
    if (month < k->start || (k->end > 0 && month > k->end))
        return 0;
    if (k->ramp <= 0)
        return 1;
    double w = (double)(month - k->start + 1) / k->ramp;
    return w < 1 ? w : 1;
}

double shock_factor(const timed_shock *k, int month)
{
    return 1 + (k->factor - 1) * shock_strength(k, month);
}

double shock_usage_factor(const timed_shock *v, int n, int month, double intensity)
{
    double f = 1;
    for (int i = 0; i < n; i++)
        if (v[i].type == SHOCK_USAGE && intensity >= v[i].threshold)
            f *= shock_factor(&v[i], month);
    return f;
}

double shock_type_factor(const timed_shock *v, int n, int type, int k, int month)
{
    double f = 1;
    for (int i = 0; i < n; i++)
        if (v[i].type == type && (type != SHOCK_MODEL_PRICES || v[i].model_index < 0 || v[i].model_index == k))
            f *= shock_factor(&v[i], month);
    return f;
}

int shock_describe(const timed_shock *k, char *buf, size_t n)
{
    char who[96] = "", ramp[48] = "", end[32] = "";
    if (k->type == SHOCK_USAGE && k->top < 1)
        snprintf(who, sizeof who, " for the heaviest %g%% of customers", 100 * k->top);
    else if (k->type == SHOCK_MODEL_PRICES && k->model[0])
        snprintf(who, sizeof who, " of %s", k->model);
    if (k->ramp > 1)
        snprintf(ramp, sizeof ramp, ", ramped in over %d months", k->ramp);
    if (k->end > 0)
        snprintf(end, sizeof end, " to month %d", k->end);
    const char *what = k->type == SHOCK_USAGE ? "usage" : k->type == SHOCK_MODEL_PRICES ? "model prices"
                     : k->type == SHOCK_WTP ? "willingness to pay" : "the competitor's price";
    return snprintf(buf, n, "%s%s x%g from month %d%s%s", what, who, k->factor, k->start, end, ramp);
}
