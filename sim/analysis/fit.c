/* fit.c: the power law of Clauset, Shalizi and Newman (2009): alpha by
 * maximum likelihood, xmin by the smallest Kolmogorov-Smirnov distance,
 * the standard error of alpha, and the bootstrap goodness-of-fit p-value
 * (fit.h). The formulas, with their numbers in CSN, are above the code. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_zeta.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "fit.h"
#include "sim/engine/rng.h"

/* ln zeta(alpha, q), the Hurwitz zeta sum_(k>=0) (k + q)^-alpha; +inf when
 * GSL cannot evaluate it (alpha <= 1). */
static double ln_hzeta(double alpha, double q)
{
    if (alpha <= 1)
        return INFINITY;
    if (q >= 1000) {
        /* Euler-Maclaurin: zeta(a, q) = q^(1-a)/(a-1) + q^-a/2 + a q^(-a-1)/12
         * - a(a+1)(a+2) q^(-a-3)/720 + ..., the next term smaller by about
         * a^2/q^2 (under 1e-3 times 1e-12 relative here), and far cheaper
         * than the general routine in the KS scan and the draws */
        double r = 1 / q;
        double t = 1 / (alpha - 1) + 0.5 * r + alpha * r * r / 12
                 - alpha * (alpha + 1) * (alpha + 2) * r * r * r * r / 720;
        return (1 - alpha) * log(q) + log(t);
    }
    gsl_sf_result r;
    if (gsl_sf_hzeta_e(alpha, q, &r) != GSL_SUCCESS || !(r.val > 0))
        return INFINITY;
    return log(r.val);
}

typedef struct disc_ll {
    double mean_ln;          /* s / n */
    double xmin;
} disc_ll;

/* The discrete negative log-likelihood per point,
 *   f(alpha) = ln zeta(alpha, xmin) + alpha (1/n) sum ln x_i,
 * convex in alpha (ln zeta is a log-sum-exp of linear functions). */
static double disc_f(double alpha, void *p)
{
    const disc_ll *d = p;
    return ln_hzeta(alpha, d->xmin) + alpha * d->mean_ln;
}

/* Minimises disc_f from CSN's approximation (3.7),
 *   alpha ~ 1 + n / (sum ln(x_i / (xmin - 1/2))),
 * by walking downhill to a bracket, then Brent's method (gsl_min). */
static double alpha_discrete(size_t n, double s, double xmin)
{
    disc_ll d = { s / (double)n, xmin };
    double den = s - (double)n * log(xmin - 0.5);
    double a0 = den > 0 ? 1 + (double)n / den : 2.5;
    const double lo_bound = 1 + 1e-9, hi_bound = 50;
    a0 = a0 < 1.001 ? 1.001 : a0 > hi_bound - 1 ? hi_bound - 1 : a0;
    double h = 0.02 * (a0 - 1) + 1e-3;
    double fa = disc_f(a0, &d);
    double lo = a0 - h < lo_bound ? lo_bound : a0 - h, hi = a0 + h;
    double flo = disc_f(lo, &d), fhi = disc_f(hi, &d);
    for (int it = 0; it < 200 && (flo <= fa || fhi <= fa); it++) {
        if (flo <= fa) {                     /* the minimum lies left of a0 */
            if (lo <= lo_bound)
                return lo_bound;
            hi = a0, fhi = fa;
            a0 = lo, fa = flo;
            h *= 2;
            lo = a0 - h < lo_bound ? lo_bound : a0 - h;
            flo = disc_f(lo, &d);
        } else {
            if (hi >= hi_bound)
                return hi_bound;
            lo = a0, flo = fa;
            a0 = hi, fa = fhi;
            h *= 2;
            hi = a0 + h > hi_bound ? hi_bound : a0 + h;
            fhi = disc_f(hi, &d);
        }
    }
    if (flo <= fa || fhi <= fa)
        return NAN;
    gsl_function F = { disc_f, &d };
    gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!m || gsl_min_fminimizer_set_with_values(m, &F, a0, fa, lo, flo, hi, fhi) != GSL_SUCCESS) {
        gsl_min_fminimizer_free(m);
        return a0;
    }
    for (int it = 0; it < 100; it++) {
        if (gsl_min_fminimizer_iterate(m) != GSL_SUCCESS)
            break;
        double a = gsl_min_fminimizer_x_lower(m), b = gsl_min_fminimizer_x_upper(m);
        if (gsl_min_test_interval(a, b, 1e-10, 0) == GSL_SUCCESS)
            break;
    }
    double best = gsl_min_fminimizer_x_minimum(m);
    gsl_min_fminimizer_free(m);
    return best;
}

double fit_alpha_mle(bool discrete, size_t n, double s, double xmin)
{
    double den = s - (double)n * log(xmin);
    if (n == 0 || !(den > 1e-12 * (double)n))
        return NAN;
    return discrete ? alpha_discrete(n, s, xmin) : 1 + (double)n / den;
}

double fit_alpha_se(bool discrete, size_t n, double alpha, double xmin)
{
    if (!discrete)
        return (alpha - 1) / sqrt((double)n);
    /* the second derivative of ln zeta by a central difference: its
     * truncation error h^2 f''''/12 and rounding 4 eps |f| / h^2 balance
     * near h = 1e-3 */
    double h = 1e-3 * (alpha - 1 < 1 ? alpha - 1 : 1);
    double d2 = (ln_hzeta(alpha + h, xmin) - 2 * ln_hzeta(alpha, xmin) + ln_hzeta(alpha - h, xmin)) / (h * h);
    return d2 > 0 ? 1 / sqrt((double)n * d2) : NAN;
}

double fit_pl_logpdf(bool discrete, double alpha, double xmin, double x)
{
    /* continuous: ln((alpha-1)/xmin) - alpha ln(x/xmin)
     * discrete:   -alpha ln x - ln zeta(alpha, xmin) */
    if (discrete)
        return -alpha * log(x) - ln_hzeta(alpha, xmin);
    return log((alpha - 1) / xmin) - alpha * log(x / xmin);
}

double fit_pl_ccdf(bool discrete, double alpha, double xmin, double x)
{
    /* continuous: (x/xmin)^(1-alpha); discrete: zeta(alpha, x) / zeta(alpha, xmin) */
    if (discrete)
        return exp(ln_hzeta(alpha, x) - ln_hzeta(alpha, xmin));
    return pow(x / xmin, 1 - alpha);
}

/* Continuous: at each run of equal values x_(i..j-1), 0-based in the sorted
 * tail, S jumps from i/n to j/n while P(x) = 1 - (x/xmin)^(1-alpha) is
 * continuous, so D = max over runs of |P - i/n| and |P - j/n|.
 * Discrete: S is flat from one distinct value u to the next, u', while
 * P(k) = P(X <= k) = 1 - zeta(alpha, k+1)/zeta(alpha, xmin) rises, so the
 * largest gap on that stretch is at k = u or k = u' - 1; zeta(alpha, k+1)
 * comes from zeta(alpha, k) - k^-alpha over short stretches and from GSL
 * over long ones. */
double fit_ks(bool discrete, const double *tail, size_t n, double alpha, double xmin)
{
    double D = 0, dn = (double)n;
    if (!discrete) {
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && tail[j] == tail[i])
                j++;
            double P = 1 - pow(tail[i] / xmin, 1 - alpha);
            double a = fabs(P - (double)i / dn), b = fabs(P - (double)j / dn);
            D = a > D ? a : D;
            D = b > D ? b : D;
            i = j;
        }
        return D;
    }
    double lz0 = ln_hzeta(alpha, xmin);
    double z0 = exp(lz0);
    double k = xmin, zk = z0;             /* zk = zeta(alpha, k) */
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && tail[j] == tail[i])
            j++;
        double u = tail[i];
        /* bring zk to zeta(alpha, u): first P(u - 1) = 1 - zeta(alpha, u)/zeta0 */
        if (u - k > 64) {
            zk = exp(ln_hzeta(alpha, u));
        } else {
            for (; k < u; k++)
                zk -= pow(k, -alpha);
        }
        k = u;
        double Pbefore = 1 - zk / z0;       /* P(X <= u - 1), S there is i/n */
        double Pat = 1 - (zk - pow(u, -alpha)) / z0;   /* P(X <= u), S there is j/n */
        double a = fabs(Pbefore - (double)i / dn), b = fabs(Pat - (double)j / dn);
        D = a > D ? a : D;
        D = b > D ? b : D;
        i = j;
    }
    return D;
}

void fit_scan_free(fit_scan *scan)
{
    free(scan->xmin);
    free(scan->ks);
    free(scan->alpha);
    memset(scan, 0, sizeof *scan);
}

int fit_powerlaw_scan(const double *x, size_t n, bool discrete, fit_powerlaw *out, fit_scan *scan, ts_error *err)
{
    memset(out, 0, sizeof *out);
    out->discrete = discrete;
    out->n = n;
    out->p = NAN;
    out->ks = INFINITY;
    /* the starts of the runs of distinct values that leave a tail of at
     * least FIT_MIN_TAIL points, and the suffix sums of ln x */
    size_t *starts = malloc((n + 1) * sizeof *starts);
    double *suffix = malloc((n + 1) * sizeof *suffix);
    if (!starts || !suffix) {
        free(starts);
        free(suffix);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory fitting %zu values", n);
    }
    suffix[n] = 0;
    for (size_t i = n; i-- > 0;)
        suffix[i] = suffix[i + 1] + log(x[i]);
    size_t nstarts = 0;
    for (size_t i = 0; i + FIT_MIN_TAIL <= n; i++)
        if (i == 0 || x[i] != x[i - 1])
            starts[nstarts++] = i;
    size_t step = nstarts > FIT_MAX_XMINS ? (nstarts + FIT_MAX_XMINS - 1) / FIT_MAX_XMINS : 1;
    if (scan) {
        size_t m = nstarts / step + 1;
        scan->xmin = malloc(m * sizeof(double));
        scan->ks = malloc(m * sizeof(double));
        scan->alpha = malloc(m * sizeof(double));
        scan->n = 0;
        if (!scan->xmin || !scan->ks || !scan->alpha)
            scan = NULL;
    }
    for (size_t c = 0; c < nstarts; c += step) {
        size_t i = starts[c], nt = n - i;
        double xmin = x[i];
        double a = fit_alpha_mle(discrete, nt, suffix[i], xmin);
        if (!isfinite(a))
            continue;
        double D = fit_ks(discrete, x + i, nt, a, xmin);
        if (scan) {
            scan->xmin[scan->n] = xmin;
            scan->ks[scan->n] = D;
            scan->alpha[scan->n++] = a;
        }
        if (D < out->ks) {
            out->ks = D;
            out->alpha = a;
            out->xmin = xmin;
            out->ntail = nt;
        }
    }
    if (out->ntail) {
        size_t i = n - out->ntail;
        out->se = fit_alpha_se(discrete, out->ntail, out->alpha, out->xmin);
        out->loglik = discrete ? -(double)out->ntail * ln_hzeta(out->alpha, out->xmin) - out->alpha * suffix[i]
                               : (double)out->ntail * log((out->alpha - 1) / out->xmin)
                                 - out->alpha * (suffix[i] - (double)out->ntail * log(out->xmin));
    }
    free(starts);
    free(suffix);
    if (!out->ntail)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "too few distinct values to fit a power law: %zu values, "
                            "expected at least %d above some xmin, not all equal", n, FIT_MIN_TAIL);
    return TS_OK;
}

double fit_pl_draw(bool discrete, double alpha, double xmin, double u)
{
    /* continuous: x = xmin (1 - u)^(-1/(alpha-1)) (CSN D.4), with u in (0,1)
     * discrete: the smallest x >= xmin with S(x+1) < u, S(x) = P(X >= x),
     * found from CSN's approximation (D.6), x ~ (xmin - 1/2) u^(-1/(alpha-1)) + 1/2,
     * then corrected a step at a time against the exact S */
    if (!discrete)
        return xmin * pow(u, -1 / (alpha - 1));
    double x = floor((xmin - 0.5) * pow(u, -1 / (alpha - 1)) + 0.5);
    if (!(x >= xmin))
        x = xmin;
    if (x > 1e15)
        return x;
    /* S(k) >= u holds for k <= x and fails above: bracket x between lo
     * (S(lo) >= u) and hi (S(hi) < u) by doubling steps, then bisect */
    double lz0 = ln_hzeta(alpha, xmin), lu = log(u);
#define S_GE_U(k) (ln_hzeta(alpha, (k)) - lz0 >= lu)
    double lo, hi, step = 1;
    if (S_GE_U(x)) {
        lo = x, hi = x + 1;
        while (S_GE_U(hi) && hi < 1e15)
            lo = hi, hi += (step *= 2);
    } else {
        hi = x, lo = x - 1;
        while (lo > xmin && !S_GE_U(lo))
            hi = lo, lo -= (step *= 2);
        if (lo < xmin)
            lo = xmin;
    }
    while (hi - lo > 1) {
        double mid = floor((lo + hi) / 2);
        if (S_GE_U(mid))
            lo = mid;
        else
            hi = mid;
    }
#undef S_GE_U
    return lo;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int fit_bootstrap(const double *x, size_t n, fit_powerlaw *pl, int nboot, uint64_t seed, int threads,
                  volatile int *stop, ts_error *err)
{
    pl->nboot = 0;
    pl->p = NAN;
    if (nboot <= 0)
        return TS_OK;
    size_t nbody = n - pl->ntail;
    double ptail = (double)pl->ntail / (double)n;
    int exceed = 0, done = 0, failed = 0;
    if (threads > 0)
        omp_set_num_threads(threads);
#pragma omp parallel reduction(+ : exceed, done, failed)
    {
        double *y = malloc(n * sizeof *y);
        gsl_rng *r = ts_rng_create(seed, 0);
        if (!y || !r)
            failed++;
#pragma omp for schedule(dynamic)
        for (int k = 0; k < nboot; k++) {
            if (!y || !r || (stop && *stop))
                continue;
            ts_rng_reseed(r, seed, (uint64_t)k);
            for (size_t i = 0; i < n; i++) {
                if (nbody == 0 || gsl_rng_uniform(r) < ptail)
                    y[i] = fit_pl_draw(pl->discrete, pl->alpha, pl->xmin, gsl_rng_uniform_pos(r));
                else
                    y[i] = x[gsl_rng_uniform_int(r, nbody)];
            }
            qsort(y, n, sizeof *y, cmp_double);
            fit_powerlaw f;
            ts_error e;
            ts_error_clear(&e);
            if (fit_powerlaw_scan(y, n, pl->discrete, &f, NULL, &e))
                continue;            /* a degenerate set: it does not count */
            exceed += f.ks >= pl->ks;
            done++;
        }
        free(y);
        if (r)
            gsl_rng_free(r);
    }
    if (failed)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory in the bootstrap");
    if (stop && *stop)
        return ts_error_set(err, TS_ERR_INTERRUPTED, NULL, 0, 0, "interrupted");
    pl->nboot = done;
    pl->p = done ? (double)exceed / done : NAN;
    return TS_OK;
}
