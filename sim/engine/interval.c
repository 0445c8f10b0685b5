/* interval.c: the interval methods of interval.h.
 *
 * Notation: k units with values x_i, mean m, s^2 = sum (x_i - m)^2 / (k - 1),
 * sample skewness g = m3 / m2^(3/2) with m_j = sum (x_i - m)^j / k.
 *
 * Student t:  m -+ t_(k-1) s / sqrt k.
 *
 * Hall (1992), "On the removal of skewness by transformation", JRSS B 54:
 * T = sqrt k (m - mu) / s has a skewed distribution when the x are skewed;
 * with a = g / (3 sqrt k) and b = g / (6 sqrt k) the monotone cubic
 *   G(T) = T + a T^2 + a^2 T^3 / 3 + b = ((1 + a T)^3 - 1) / (3 a) + b
 * is close to symmetric, so |G(T)| <= t_(k-1) inverts to
 *   mu in [m - (s / sqrt k) G^-1(t), m - (s / sqrt k) G^-1(-t)],
 *   G^-1(y) = (cbrt(1 + 3 a (y - b)) - 1) / a.
 *
 * Law-informed: regress x on the units' demand d (the usage law's record,
 * lawvar.h): x_i = m + beta (d_i - mean d) + e_i, beta by least squares,
 * s_e^2 = sum e_i^2 / (k - 2). Then Var x = beta^2 Var d + Var e, and Var d
 * is taken from the law (var_d) instead of the d's own spread, which under
 * a heavy tail is small exactly when the replications missed the heaviest
 * customers (and the mean with it). With A = beta^2 vknown / k (known),
 * B = beta^2 (var_d - vknown) / k (estimated from ke units) and
 * C = s_e^2 / k (k - 2 degrees of freedom):
 *   se = sqrt(A + B + C),  df = se^4 / (B^2 / (ke - 1) + C^2 / (k - 2))
 * (Welch-Satterthwaite), and the interval m -+ t_df se. */
#include "interval.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

const char *const interval_method_names[] = { "t", "hall", "law", NULL };

/* m, s as gsl_stats_mean and gsl_stats_sd_m compute them (so that a t
 * interval is bit for bit the one tokensim printed before the others) */
static void moments(const double *x, int k, double *m, double *s, double *g)
{
    double mu = gsl_stats_mean(x, 1, (size_t)k), m2 = 0, m3 = 0;
    for (int i = 0; i < k; i++) {
        double d = x[i] - mu;
        m2 += d * d;
        m3 += d * d * d;
    }
    *m = mu;
    *s = k > 1 ? gsl_stats_sd_m(x, 1, (size_t)k, mu) : 0;
    m2 /= k;
    m3 /= k;
    *g = m2 > 0 ? m3 / pow(m2, 1.5) : 0;
}

ts_interval interval_t(const double *x, int k)
{
    ts_interval r = { 0 };
    double s;
    moments(x, k, &r.mean, &s, &r.skew);
    r.method = INTERVAL_T;
    r.se = s / sqrt((double)k);
    r.df = k - 1;
    double t = k > 1 ? gsl_cdf_tdist_Pinv(0.975, k - 1) : 0;
    r.below = r.above = t * r.se;
    return r;
}

ts_interval interval_hall(const double *x, int k)
{
    if (k < 3)
        return interval_t(x, k);
    ts_interval r = interval_t(x, k);
    r.method = INTERVAL_HALL;
    double t = gsl_cdf_tdist_Pinv(0.975, k - 1);
    double a = r.skew / (3 * sqrt(k)), b = r.skew / (6 * sqrt(k));
    if (r.se == 0 || fabs(a) < 1e-12) {
        r.below = (t - b) * r.se, r.above = (t + b) * r.se;   /* G(T) = T + b */
        return r;
    }
    r.below = r.se * (cbrt(1 + 3 * a * (t - b)) - 1) / a;
    r.above = -r.se * (cbrt(1 + 3 * a * (-t - b)) - 1) / a;
    return r;
}

ts_interval interval_law(const double *x, const double *d, int k, double var_d, double vknown, int ke)
{
    if (k < 3)
        return interval_t(x, k);
    ts_interval r = { 0 };
    double s, dm, ds, dg, m;
    moments(x, k, &r.mean, &s, &r.skew);
    moments(d, k, &dm, &ds, &dg);
    m = r.mean;
    double sxd = 0, sdd = 0, see = 0;
    for (int i = 0; i < k; i++) {
        sxd += (x[i] - m) * (d[i] - dm);
        sdd += (d[i] - dm) * (d[i] - dm);
    }
    double beta = sdd > 0 ? sxd / sdd : 0;
    for (int i = 0; i < k; i++) {
        double e = x[i] - m - beta * (d[i] - dm);
        see += e * e;
    }
    double A = beta * beta * vknown / k, B = beta * beta * fmax(0, var_d - vknown) / k, C = see / (k - 2) / k;
    r.method = INTERVAL_LAW;
    r.se = sqrt(A + B + C);
    double den = (ke > 1 ? B * B / (ke - 1) : 0) + C * C / (k - 2);
    r.df = den > 0 ? (A + B + C) * (A + B + C) / den : INFINITY;
    double t = isfinite(r.df) && r.df < 1e7 ? gsl_cdf_tdist_Pinv(0.975, r.df) : gsl_cdf_ugaussian_Pinv(0.975);
    r.below = r.above = t * r.se;
    return r;
}
