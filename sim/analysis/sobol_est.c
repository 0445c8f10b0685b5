/* sobol_est.c: the Saltelli scheme and the Jansen and Saltelli (2010)
 * estimators, with bootstrap intervals and a convergence record
 * (sobol_est.h). Row j of the design is: A_j, then B_j, then A_B^(i)_j for
 * i = 0..k-1, each evaluated once into its own slot of y. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <omp.h>

#include "sim/engine/rng.h"
#include "sobol_est.h"

#define BOOT_KEY 0x736f626f6c626f6fULL   /* "soboboo" */

void sobol_result_free(sobol_result *r)
{
    free(r->idx);
    free(r->mean);
    free(r->var);
    free(r->conv_s1);
    free(r->conv_st);
    memset(r, 0, sizeof *r);
}

/* y of design row j, block b (0: A, 1: B, 2 + i: A_B^(i)), output o */
static inline double yat(const double *y, int k, int ny, int j, int b, int o)
{
    return y[((size_t)j * (k + 2) + b) * ny + o];
}

/* S1 and ST of every (output, input) over rows rows[0..m) */
static void indices(const double *y, int k, int ny, const int *rows, int m, double *s1, double *st, double *mean,
                    double *var)
{
    for (int o = 0; o < ny; o++) {
        double sum = 0, ss = 0;
        for (int t = 0; t < m; t++)
            for (int b = 0; b < 2; b++)
                sum += yat(y, k, ny, rows[t], b, o);
        double mu = sum / (2.0 * m);
        for (int t = 0; t < m; t++)
            for (int b = 0; b < 2; b++) {
                double d = yat(y, k, ny, rows[t], b, o) - mu;
                ss += d * d;
            }
        double v = ss / (2.0 * m - 1);
        if (mean)
            mean[o] = mu;
        if (var)
            var[o] = v;
        for (int i = 0; i < k; i++) {
            double a1 = 0, a2 = 0;
            for (int t = 0; t < m; t++) {
                double fa = yat(y, k, ny, rows[t], 0, o), fb = yat(y, k, ny, rows[t], 1, o);
                double fab = yat(y, k, ny, rows[t], 2 + i, o);
                /* centred: the same expectation, without the variance a
                 * large mean would add (mu (f(A_B) - f(A)) has mean 0) */
                a1 += (fb - mu) * (fab - fa);
                a2 += (fa - fab) * (fa - fab);
            }
            s1[o * k + i] = v > 0 ? a1 / m / v : NAN;
            st[o * k + i] = v > 0 ? a2 / (2.0 * m) / v : NAN;
        }
    }
}

/* percentile bootstrap over rows: the same resampled rows for every index */
static int bootstrap(const double *y, const sobol_opts *o, sobol_result *r)
{
    int k = o->k, ny = o->ny, n = o->n, nb = o->boot, kk = k * ny;
    int *rows = malloc((size_t)n * sizeof *rows);
    double *s1 = malloc((size_t)kk * sizeof *s1), *st = malloc((size_t)kk * sizeof *st);
    double *b1 = malloc((size_t)nb * kk * sizeof *b1), *bt = malloc((size_t)nb * kk * sizeof *bt);
    double *col = malloc((size_t)nb * sizeof *col);
    gsl_rng *g = ts_rng_create(o->seed, BOOT_KEY);
    int rc = -1;
    if (!rows || !s1 || !st || !b1 || !bt || !col || !g)
        goto done;
    for (int b = 0; b < nb; b++) {
        for (int t = 0; t < n; t++)
            rows[t] = (int)gsl_rng_uniform_int(g, (unsigned long)n);
        indices(y, k, ny, rows, n, s1, st, NULL, NULL);
        for (int q = 0; q < kk; q++) {
            b1[(size_t)q * nb + b] = s1[q];
            bt[(size_t)q * nb + b] = st[q];
        }
    }
    for (int q = 0; q < kk; q++) {
        sobol_index *x = &r->idx[q];
        memcpy(col, b1 + (size_t)q * nb, (size_t)nb * sizeof *col);
        gsl_sort(col, 1, (size_t)nb);
        x->s1_lo = col[(int)floor(0.025 * (nb - 1))];
        x->s1_hi = col[(int)ceil(0.975 * (nb - 1))];
        memcpy(col, bt + (size_t)q * nb, (size_t)nb * sizeof *col);
        gsl_sort(col, 1, (size_t)nb);
        x->st_lo = col[(int)floor(0.025 * (nb - 1))];
        x->st_hi = col[(int)ceil(0.975 * (nb - 1))];
    }
    rc = 0;
done:
    free(rows);
    free(s1);
    free(st);
    free(b1);
    free(bt);
    free(col);
    if (g)
        gsl_rng_free(g);
    return rc;
}

/* The design's points: row j of A and B from Sobol point j + 1 (the first,
 * all zeros, would map to the laws' lower ends), A_B^(i) built from them. */
static int design(int k, int n, double *u)
{
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    double p[2 * SOBOL_MAX_INPUTS];
    if (!q)
        return -1;
    gsl_qrng_get(q, p);
    for (int j = 0; j < n; j++) {
        gsl_qrng_get(q, p);
        double *a = u + (size_t)j * (k + 2) * k, *b = a + k;
        memcpy(a, p, (size_t)k * sizeof *a);
        memcpy(b, p + k, (size_t)k * sizeof *b);
        for (int i = 0; i < k; i++) {
            double *ab = a + (size_t)(2 + i) * k;
            memcpy(ab, a, (size_t)k * sizeof *ab);
            ab[i] = b[i];
        }
    }
    gsl_qrng_free(q);
    return 0;
}

static int evaluate(sobol_fn f, void *ctx, const sobol_opts *o, const double *u, double *y, ts_error *err)
{
    size_t npts = (size_t)o->n * (o->k + 2);
    ts_error *errs = calloc(npts, sizeof *errs);
    if (!errs)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %zu evaluations", npts);
    int threads = o->threads > 0 ? o->threads : omp_get_num_procs(), failed = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long p = 0; p < (long)npts; p++) {
        int stop;
#pragma omp atomic read
        stop = failed;
        if (stop || (o->stop && *o->stop))
            continue;
        if (f(ctx, u + (size_t)p * o->k, y + (size_t)p * o->ny, &errs[p])) {
            if (!errs[p].code)
                errs[p].code = TS_ERR_RUNTIME;
#pragma omp atomic write
            failed = 1;
        }
    }
    int rc = TS_OK;
    for (size_t p = 0; p < npts && rc == TS_OK; p++)
        if (errs[p].code) {
            *err = errs[p];
            rc = errs[p].code;
        }
    if (rc == TS_OK && o->stop && *o->stop)
        rc = ts_error_set(err, TS_ERR_INTERRUPTED, NULL, 0, 0, "interrupted");
    free(errs);
    return rc;
}

int sobol_estimate(sobol_fn f, void *ctx, const sobol_opts *o, sobol_result *r, ts_error *err)
{
    memset(r, 0, sizeof *r);
    if (o->k < 1 || o->k > SOBOL_MAX_INPUTS || o->ny < 1 || o->n < 16)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "invalid Sobol design: %d inputs (expected 1 to %d), %d base samples (expected 16 or more)",
                            o->k, SOBOL_MAX_INPUTS, o->n);
    int k = o->k, ny = o->ny, n = o->n, kk = k * ny;
    size_t npts = (size_t)n * (k + 2);
    double *u = malloc(npts * k * sizeof *u), *y = malloc(npts * ny * sizeof *y);
    int *rows = malloc((size_t)n * sizeof *rows);
    double *s1 = malloc((size_t)kk * sizeof *s1), *st = malloc((size_t)kk * sizeof *st);
    r->k = k;
    r->ny = ny;
    r->n = n;
    r->idx = calloc((size_t)kk, sizeof *r->idx);
    r->mean = calloc((size_t)ny, sizeof *r->mean);
    r->var = calloc((size_t)ny, sizeof *r->var);
    r->conv_s1 = calloc((size_t)SOBOL_MAX_CONV * kk, sizeof *r->conv_s1);
    r->conv_st = calloc((size_t)SOBOL_MAX_CONV * kk, sizeof *r->conv_st);
    int rc = TS_OK;
    if (!u || !y || !rows || !s1 || !st || !r->idx || !r->mean || !r->var || !r->conv_s1 || !r->conv_st
        || design(k, n, u)) {
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %zu evaluations", npts);
        goto done;
    }
    if ((rc = evaluate(f, ctx, o, u, y, err)))
        goto done;
    for (int j = 0; j < n; j++)
        rows[j] = j;
    /* convergence: the indices on growing prefixes of the design, N/8 up */
    int m0 = n;
    while (m0 / 2 >= 16 && r->nconv < 3) {
        m0 /= 2;
        r->nconv++;
    }
    int nc = 0;
    for (int m = m0; nc < SOBOL_MAX_CONV; m *= 2) {
        if (m > n)
            m = n;
        r->conv_n[nc] = m;
        indices(y, k, ny, rows, m, r->conv_s1 + (size_t)nc * kk, r->conv_st + (size_t)nc * kk, NULL, NULL);
        nc++;
        if (m == n)
            break;
    }
    r->nconv = nc;
    indices(y, k, ny, rows, n, s1, st, r->mean, r->var);
    for (int q = 0; q < kk; q++) {
        r->idx[q].s1 = s1[q];
        r->idx[q].st = st[q];
        r->idx[q].s1_lo = r->idx[q].s1_hi = s1[q];
        r->idx[q].st_lo = r->idx[q].st_hi = st[q];
    }
    if (o->boot > 1 && bootstrap(y, o, r))
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the bootstrap");
done:
    free(u);
    free(y);
    free(rows);
    free(s1);
    free(st);
    if (rc)
        sobol_result_free(r);
    return rc;
}
