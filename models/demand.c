/* demand.c: the willingness-to-pay copula and the menu's logit choice
 * (demand.h). */
#include "demand.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

double demand_copula_rho(double rs)
{
    return 2 * sin(M_PI * rs / 6);
}

double demand_wtp_draw(const gsl_rng *r, const wtp_cfg *w, double u_intensity)
{
    double u = fmin(fmax(u_intensity, 1e-16), 1 - 0x1p-53);
    double z1 = gsl_cdf_ugaussian_Pinv(u), z2 = gsl_ran_ugaussian(r);
    double z = w->rho * z1 + sqrt(fmax(0, 1 - w->rho * w->rho)) * z2;
    if (w->tabulated)
        return wtp_curve_quantile(&w->curve, gsl_cdf_ugaussian_P(z));
    int seg = 0;
    return usage_dist_draw_at(r, &w->law, gsl_cdf_ugaussian_P(z), &seg);
}

double demand_outside_surplus(const wtp_cfg *w, double wtp, double factor)
{
    return w->competitor_price > 0 ? fmax(0, wtp - w->competitor_price * factor) : 0;
}

void demand_choice_shares(const double *s, int n, double scale, double *p)
{
    if (scale <= 0) {
        int best = -1;
        for (int k = 0; k < n; k++)
            if (s[k] > 0 && (best < 0 || s[k] > s[best]))
                best = k;
        for (int k = 0; k <= n; k++)
            p[k] = 0;
        p[best < 0 ? n : best] = 1;
        return;
    }
    double top = 0;   /* "no plan" has surplus 0 */
    for (int k = 0; k < n; k++)
        top = fmax(top, s[k] / scale);
    double sum = exp(-top);
    p[n] = sum;
    for (int k = 0; k < n; k++)
        sum += p[k] = exp(s[k] / scale - top);
    for (int k = 0; k <= n; k++)
        p[k] /= sum;
}

int demand_choose(const double *s, int n, double scale, double u)
{
    double p[16 + 1];
    if (n > 16)
        n = 16;
    demand_choice_shares(s, n, scale, p);
    double acc = 0;
    for (int k = 0; k < n; k++)
        if (u < (acc += p[k]))
            return k;
    return -1;
}

double demand_usage_response(const wtp_cfg *w, double x, double m)
{
    if (m <= 0 || w->usage_elasticity <= 0)
        return x;
    return x * pow(1 + m / w->usage_reference_price, -w->usage_elasticity);
}

double demand_value_hazard(const wtp_cfg *w, double bill, double value)
{
    if (w->value_churn <= 0)
        return 0;
    double ratio = value > 0 ? bill / value : bill > 0 ? INFINITY : 0;
    double l = isinf(ratio) ? 1 : 1 / (1 + exp(-w->value_churn_slope * (ratio - 1)));
    return -log1p(-w->value_churn * l);
}
