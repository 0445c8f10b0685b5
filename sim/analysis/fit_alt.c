/* fit_alt.c: the laws a power-law tail is compared with (CSN section 5):
 * lognormal, exponential, stretched exponential (Weibull) and power law
 * with exponential cutoff, each fitted by maximum likelihood to the same
 * tail x >= xmin, and Vuong's likelihood-ratio test against the power law.
 *
 * Every law is written through its survival function S(x) = P(X >= x) on
 * (0, inf) and its density f; above xmin the truncated law has
 *   continuous: ln p(x) = ln f(x) - ln S(xmin)
 *   discrete:   ln p(k) = ln(S(k) - S(k+1)) - ln S(xmin)
 * (CSN's table 2.1 gives the same normalisations). The laws:
 *   lognormal    ln S = ln(erfc((ln x - mu) / (sigma sqrt 2)) / 2)
 *                ln f = -ln x - ln sigma - ln(2 pi)/2 - (ln x - mu)^2 / (2 sigma^2)
 *   exponential  ln S = -lambda x,  ln f = ln lambda - lambda x
 *   stretched    ln S = -(lambda x)^beta,
 *                ln f = ln beta + beta ln lambda + (beta - 1) ln x - (lambda x)^beta
 *   cutoff       f = x^-alpha e^(-lambda x) (unnormalised),
 *                S = int_x^inf t^-alpha e^(-lambda t) dt = lambda^(alpha-1) Gamma(1 - alpha, lambda x)
 * The likelihood is maximised by GSL's Nelder-Mead simplex (nmsimplex2)
 * over unconstrained parameters (logs of the positive ones), from the
 * moments of the tail.
 *
 * Vuong's test (Vuong 1989; CSN section 5.1): with l_i the difference of
 * the pointwise log-likelihoods, power law minus alternative,
 *   R = sum l_i,  s^2 = (1/n) sum (l_i - R/n)^2,  z = R / (s sqrt n),
 *   p = erfc(|z| / sqrt 2)
 * R > 0 favours the power law, and p says whether the sign can be trusted.
 * The cutoff law contains the power law (lambda = 0), so for it the nested
 * test applies instead: 2 (L_cutoff - L_pl) ~ chi-squared with 1 degree of
 * freedom when the power law is true (CSN section 5.2). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

#include "fit.h"

const char *const fit_alt_names[ALT_COUNT] = { "lognormal", "exponential", "stretched_exponential",
                                               "cutoff_power_law" };

/* ln S(x) of the untruncated law */
static double alt_log_ccdf(int kind, const double *par, double x)
{
    switch (kind) {
    case ALT_LOGNORMAL:
        return gsl_sf_log_erfc((log(x) - par[0]) / (par[1] * M_SQRT2)) - M_LN2;
    case ALT_EXPONENTIAL:
        return -par[0] * x;
    case ALT_STRETCHED:
        return -pow(par[0] * x, par[1]);
    default: {
        gsl_sf_result r;
        if (gsl_sf_gamma_inc_e(1 - par[0], par[1] * x, &r) != GSL_SUCCESS || !(r.val > 0))
            return -INFINITY;
        return log(r.val) + (par[0] - 1) * log(par[1]);
    }
    }
}

/* ln f(x) of the untruncated law (unnormalised for the cutoff law, whose
 * normalisation is S(xmin)) */
static double alt_log_pdf(int kind, const double *par, double x)
{
    switch (kind) {
    case ALT_LOGNORMAL: {
        double z = (log(x) - par[0]) / par[1];
        return -log(x) - log(par[1]) - 0.5 * log(2 * M_PI) - 0.5 * z * z;
    }
    case ALT_EXPONENTIAL:
        return log(par[0]) - par[0] * x;
    case ALT_STRETCHED:
        return log(par[1]) + par[1] * log(par[0]) + (par[1] - 1) * log(x) - pow(par[0] * x, par[1]);
    default:
        return -par[0] * log(x) - par[1] * x;
    }
}

/* ln p(x) above xmin, given ln S(xmin) */
static double alt_log_p(int kind, const double *par, bool discrete, double lsmin, double x)
{
    if (!discrete)
        return alt_log_pdf(kind, par, x) - lsmin;
    double a = alt_log_ccdf(kind, par, x), b = alt_log_ccdf(kind, par, x + 1);
    if (!(b < a))
        return -INFINITY;
    return a + log1p(-exp(b - a)) - lsmin;
}

typedef struct alt_data {
    int kind;
    bool discrete;
    double xmin;
    const double *v, *w;     /* distinct values and their counts */
    size_t m;
} alt_data;

static void params_of(int kind, const double *t, double *par)
{
    switch (kind) {
    case ALT_LOGNORMAL: par[0] = t[0], par[1] = exp(t[1]); break;
    case ALT_EXPONENTIAL: par[0] = exp(t[0]), par[1] = 0; break;
    case ALT_STRETCHED: par[0] = exp(t[0]), par[1] = exp(t[1]); break;
    default: par[0] = t[0], par[1] = exp(t[1]); break;
    }
}

static double loglik(const alt_data *d, const double *par)
{
    double lsmin = alt_log_ccdf(d->kind, par, d->xmin), L = 0;
    if (!isfinite(lsmin))
        return -INFINITY;
    for (size_t j = 0; j < d->m; j++)
        L += d->w[j] * alt_log_p(d->kind, par, d->discrete, lsmin, d->v[j]);
    return L;
}

static double neg_ll(const gsl_vector *t, void *p)
{
    const alt_data *d = p;
    double par[2];
    params_of(d->kind, t->data, par);
    double L = loglik(d, par);
    return isfinite(L) ? -L : 1e300;
}

/* Maximises the likelihood from start t0 (dim 1 or 2); returns the
 * log-likelihood at the best point, with its parameters in par. */
static double maximise(const alt_data *d, const double *t0, int dim, double *par)
{
    gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, (size_t)dim);
    gsl_vector *x = gsl_vector_alloc((size_t)dim), *step = gsl_vector_alloc((size_t)dim);
    double best = -INFINITY;
    if (s && x && step) {
        for (int i = 0; i < dim; i++)
            gsl_vector_set(x, (size_t)i, t0[i]);
        gsl_multimin_function F = { neg_ll, (size_t)dim, (void *)d };
        /* two rounds: a restart around the first optimum guards against a
         * simplex that collapsed early */
        for (int round = 0; round < 2; round++) {
            gsl_vector_set_all(step, round ? 0.1 : 0.5);
            if (gsl_multimin_fminimizer_set(s, &F, x, step) != GSL_SUCCESS)
                break;
            for (int it = 0; it < 4000; it++) {
                if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
                    break;
                if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-9) == GSL_SUCCESS)
                    break;
            }
            gsl_vector_memcpy(x, gsl_multimin_fminimizer_x(s));
        }
        params_of(d->kind, x->data, par);
        best = loglik(d, par);
    }
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(x);
    gsl_vector_free(step);
    return best;
}

static void starting_point(const alt_data *d, const fit_powerlaw *pl, double *t, int *dim)
{
    double n = 0, s = 0, sl = 0, sll = 0;
    for (size_t j = 0; j < d->m; j++) {
        double l = log(d->v[j]);
        n += d->w[j];
        s += d->w[j] * d->v[j];
        sl += d->w[j] * l;
        sll += d->w[j] * l * l;
    }
    double mean = s / n, ml = sl / n, vl = sll / n - ml * ml;
    double excess = mean - d->xmin > 1e-9 * mean ? mean - d->xmin : 1e-3 * mean + 1e-9;
    switch (d->kind) {
    case ALT_LOGNORMAL: t[0] = ml, t[1] = 0.5 * log(vl > 1e-6 ? vl : 1e-6), *dim = 2; break;
    case ALT_EXPONENTIAL: t[0] = -log(excess), *dim = 1; break;
    case ALT_STRETCHED: t[0] = -log(mean), t[1] = log(0.5), *dim = 2; break;
    default: t[0] = isfinite(pl->alpha) ? pl->alpha : 2, t[1] = -log(mean) - log(10.0), *dim = 2; break;
    }
}

void fit_alternatives(const double *tail, size_t n, const fit_powerlaw *pl, fit_alt out[ALT_COUNT])
{
    double *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *w);
    size_t m = 0;
    for (size_t i = 0; v && w && i < n; i++) {
        if (m && v[m - 1] == tail[i]) {
            w[m - 1]++;
        } else {
            v[m] = tail[i];
            w[m++] = 1;
        }
    }
    for (int k = 0; k < ALT_COUNT; k++) {
        fit_alt *a = &out[k];
        *a = (fit_alt){ .kind = k, .loglik = NAN, .R = NAN, .z = NAN, .p = NAN };
        if (!v || !w || n < 2)
            continue;
        alt_data d = { k, pl->discrete, pl->xmin, v, w, m };
        double t[2];
        int dim;
        starting_point(&d, pl, t, &dim);
        a->loglik = maximise(&d, t, dim, a->par);
        a->ok = isfinite(a->loglik);
        if (!a->ok)
            continue;
        /* Vuong: the pointwise differences, weighted by multiplicity */
        double lsmin = alt_log_ccdf(k, a->par, pl->xmin), R = 0, ss = 0;
        for (size_t j = 0; j < m; j++) {
            double l = fit_pl_logpdf(pl->discrete, pl->alpha, pl->xmin, v[j])
                     - alt_log_p(k, a->par, pl->discrete, lsmin, v[j]);
            R += w[j] * l;
            ss += w[j] * l * l;
        }
        double dn = (double)n, var = ss / dn - (R / dn) * (R / dn);
        a->R = R;
        a->z = var > 0 ? R / sqrt(dn * var) : 0;
        if (k == ALT_CUTOFF) {
            double lr = -2 * R;      /* 2 (L_cutoff - L_pl) */
            a->p = lr > 0 ? gsl_cdf_chisq_Q(lr, 1) : 1;
        } else {
            a->p = erfc(fabs(a->z) / M_SQRT2);
        }
    }
    free(v);
    free(w);
}

double fit_alt_ccdf(const fit_alt *a, double xmin, double x)
{
    if (!a->ok)
        return NAN;
    return exp(alt_log_ccdf(a->kind, a->par, x) - alt_log_ccdf(a->kind, a->par, xmin));
}
