/* corr.c: the Spearman matrix of uncertain inputs: its checks, the nearest
 * valid matrix (Higham, "Computing the nearest correlation matrix", IMA J.
 * Numer. Anal. 22, 2002) and the Iman-Conover reordering (Iman and Conover,
 * "A distribution-free approach to inducing rank correlation among input
 * variables", Commun. Statist. B 11, 1982).
 *
 * Iman-Conover: with S the n x k matrix of scores (each column a random
 * permutation of a_i = Phi^-1(i / (n + 1))), E = corr(S) = F F^T and the
 * target Pearson matrix P = G G^T, the scores T = S F^-T G^T have
 * correlation P exactly; each column of the sample is then sorted into the
 * rank order of its column of T. Normal scores with Pearson correlation p
 * have Spearman correlation (6 / pi) asin(p / 2), hence P = 2 sin(pi C / 6). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>

#include "corr.h"

/* l = the lower Cholesky factor of c (upper part zero); -1 when c is not
 * positive definite. Written out rather than GSL's, which would call the
 * GSL error handler, and that may abort when a library user left it on. */
static int cholesky(const double *c, int k, gsl_matrix *l)
{
    gsl_matrix_set_zero(l);
    for (size_t j = 0; j < (size_t)k; j++) {
        double d = c[j * (size_t)k + j];
        for (size_t t = 0; t < j; t++)
            d -= gsl_matrix_get(l, j, t) * gsl_matrix_get(l, j, t);
        if (!(d > 0))
            return -1;
        double ljj = sqrt(d);
        gsl_matrix_set(l, j, j, ljj);
        for (size_t i = j + 1; i < (size_t)k; i++) {
            double v = c[i * (size_t)k + j];
            for (size_t t = 0; t < j; t++)
                v -= gsl_matrix_get(l, i, t) * gsl_matrix_get(l, j, t);
            gsl_matrix_set(l, i, j, v / ljj);
        }
    }
    return 0;
}

int ts_corr_check(const double *c, int k, char *msg, size_t len)
{
    for (int i = 0; i < k; i++) {
        if (fabs(c[i * k + i] - 1) > 1e-9) {
            snprintf(msg, len, "diagonal entry (%d, %d) is %g, expected 1", i + 1, i + 1, c[i * k + i]);
            return 1;
        }
        for (int j = 0; j < k; j++) {
            if (!(fabs(c[i * k + j]) <= 1)) {
                snprintf(msg, len, "entry (%d, %d) is %g, expected a number in [-1, 1]", i + 1, j + 1, c[i * k + j]);
                return 2;
            }
            if (fabs(c[i * k + j] - c[j * k + i]) > 1e-9) {
                snprintf(msg, len, "entry (%d, %d) is %g but entry (%d, %d) is %g: the matrix is not symmetric",
                         i + 1, j + 1, c[i * k + j], j + 1, i + 1, c[j * k + i]);
                return 3;
            }
        }
    }
    gsl_matrix *l = gsl_matrix_alloc((size_t)k, (size_t)k);
    if (!l) {
        snprintf(msg, len, "out of memory");
        return 5;
    }
    int rc = cholesky(c, k, l);
    gsl_matrix_free(l);
    if (rc) {
        snprintf(msg, len, "the matrix is not positive definite (its Cholesky factorisation fails)");
        return 4;
    }
    return 0;
}

/* x := V max(L, floor) V^T, the projection onto the (floored) PSD cone */
static void project_psd(gsl_matrix *x, double floor, gsl_eigen_symmv_workspace *ws, gsl_vector *ev, gsl_matrix *v)
{
    gsl_matrix *t = gsl_matrix_alloc(x->size1, x->size2);
    if (!t)
        return;
    gsl_matrix_memcpy(t, x);
    gsl_eigen_symmv(t, ev, v, ws);
    size_t k = x->size1;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double s = 0;
            for (size_t e = 0; e < k; e++)
                s += gsl_matrix_get(v, i, e) * fmax(gsl_vector_get(ev, e), floor) * gsl_matrix_get(v, j, e);
            gsl_matrix_set(x, i, j, s);
        }
    gsl_matrix_free(t);
}

int ts_corr_nearest(const double *a, int k, double floor, double *out)
{
    size_t n = (size_t)k;
    gsl_matrix *y = gsl_matrix_alloc(n, n), *r = gsl_matrix_alloc(n, n), *ds = gsl_matrix_calloc(n, n),
               *v = gsl_matrix_alloc(n, n);
    gsl_vector *ev = gsl_vector_alloc(n);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(n);
    int rc = -1;
    if (!y || !r || !ds || !v || !ev || !ws)
        goto done;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            gsl_matrix_set(y, (size_t)i, (size_t)j, (a[i * k + j] + a[j * k + i]) / 2);
    for (int it = 0; it < 500; it++) {
        /* R = Y - dS; X = P_S(R); dS = X - R; Y = P_U(X) */
        gsl_matrix_memcpy(r, y);
        gsl_matrix_sub(r, ds);
        gsl_matrix_memcpy(ds, r);
        project_psd(r, floor, ws, ev, v);
        gsl_matrix_sub(ds, r);
        gsl_matrix_scale(ds, -1);
        double change = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double nv = i == j ? 1 : gsl_matrix_get(r, i, j);
                change = fmax(change, fabs(nv - gsl_matrix_get(y, i, j)));
                gsl_matrix_set(y, i, j, nv);
            }
        if (change < 1e-12)
            break;
    }
    /* the last unit-diagonal step may leave an eigenvalue just below the
     * floor: one more PSD step, then rescale to the unit diagonal */
    project_psd(y, floor, ws, ev, v);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            out[i * n + j] = gsl_matrix_get(y, i, j)
                           / sqrt(gsl_matrix_get(y, i, i) * gsl_matrix_get(y, j, j));
    rc = 0;
done:
    gsl_matrix_free(y);
    gsl_matrix_free(r);
    gsl_matrix_free(ds);
    gsl_matrix_free(v);
    gsl_vector_free(ev);
    if (ws)
        gsl_eigen_symmv_free(ws);
    return rc;
}

/* ranks 0..n-1 of column j of x (n rows of k); ties in index order */
static void column_ranks(const double *x, int n, int k, int j, double *col, size_t *perm, size_t *rank)
{
    for (int i = 0; i < n; i++)
        col[i] = x[(size_t)i * k + j];
    gsl_sort_index(perm, col, 1, (size_t)n);
    for (size_t i = 0; i < (size_t)n; i++)
        rank[perm[i]] = i;
}

int ts_iman_conover(gsl_rng *r, double *x, int n, int k, const double *c)
{
    if (n < 3 || k < 1)
        return -1;
    size_t nn = (size_t)n, kk = (size_t)k;
    double *s = malloc(nn * kk * sizeof *s), *col = malloc(nn * sizeof *col), *sorted = malloc(nn * sizeof *sorted);
    size_t *perm = malloc(nn * sizeof *perm), *rank = malloc(nn * sizeof *rank);
    double *p = calloc(kk * kk, sizeof *p);
    gsl_matrix *f = gsl_matrix_alloc(kk, kk), *g = gsl_matrix_alloc(kk, kk);
    gsl_vector *row = gsl_vector_alloc(kk);
    int rc = -1;
    if (!s || !col || !sorted || !perm || !rank || !p || !f || !g || !row)
        goto done;
    for (int i = 0; i < n; i++)
        col[i] = gsl_cdf_ugaussian_Pinv((i + 1.0) / (n + 1.0));
    for (int j = 0; j < k; j++) {
        gsl_ran_shuffle(r, col, nn, sizeof *col);
        for (int i = 0; i < n; i++)
            s[(size_t)i * kk + (size_t)j] = col[i];
    }
    /* E = corr(S), the scores' own (sampled) correlation */
    double *e = p;
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) {
            double sab = 0, saa = 0, sbb = 0;
            for (int i = 0; i < n; i++) {
                double u = s[(size_t)i * kk + (size_t)a], w = s[(size_t)i * kk + (size_t)b];
                sab += u * w;
                saa += u * u;
                sbb += w * w;
            }
            e[a * k + b] = sab / sqrt(saa * sbb);
        }
    if (cholesky(e, k, f))
        goto done;
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++)
            p[a * k + b] = a == b ? 1 : 2 * sin(M_PI * c[a * k + b] / 6);
    if (cholesky(p, k, g) && cholesky(c, k, g))
        goto done;
    /* each row t^T = G F^-1 s^T (F, G lower triangular) */
    for (int i = 0; i < n; i++) {
        double *si = s + (size_t)i * kk;
        for (int j = 0; j < k; j++)
            gsl_vector_set(row, (size_t)j, si[j]);
        gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, f, row);
        gsl_blas_dtrmv(CblasLower, CblasNoTrans, CblasNonUnit, g, row);
        for (int j = 0; j < k; j++)
            si[j] = gsl_vector_get(row, (size_t)j);
    }
    for (int j = 0; j < k; j++) {
        for (int i = 0; i < n; i++)
            sorted[i] = x[(size_t)i * kk + (size_t)j];
        gsl_sort(sorted, 1, nn);
        column_ranks(s, n, k, j, col, perm, rank);
        for (size_t i = 0; i < nn; i++)
            x[i * kk + (size_t)j] = sorted[rank[i]];
    }
    rc = 0;
done:
    free(s);
    free(col);
    free(sorted);
    free(perm);
    free(rank);
    free(p);
    gsl_matrix_free(f);
    gsl_matrix_free(g);
    gsl_vector_free(row);
    return rc;
}

/* mean ranks 1..n of column j, ties averaged */
static int mean_ranks(const double *x, int n, int k, int j, double *rk)
{
    if (n < 1)
        return -1;
    double *col = malloc((size_t)n * sizeof *col);
    size_t *perm = malloc((size_t)n * sizeof *perm);
    if (!col || !perm) {
        free(col);
        free(perm);
        return -1;
    }
    for (int i = 0; i < n; i++)
        col[i] = x[(size_t)i * (size_t)k + (size_t)j];
    gsl_sort_index(perm, col, 1, (size_t)n);
    for (int a = 0; a < n;) {
        int b = a;
        while (b + 1 < n && col[perm[b + 1]] == col[perm[a]])
            b++;
        for (int t = a; t <= b; t++)
            rk[perm[t]] = (a + b) / 2.0 + 1;
        a = b + 1;
    }
    free(col);
    free(perm);
    return 0;
}

double ts_spearman(const double *x, int n, int k, int i, int j)
{
    double *ri = malloc((size_t)n * sizeof *ri), *rj = malloc((size_t)n * sizeof *rj);
    double rho = NAN;
    if (ri && rj && !mean_ranks(x, n, k, i, ri) && !mean_ranks(x, n, k, j, rj)) {
        double m = (n + 1) / 2.0, sab = 0, saa = 0, sbb = 0;
        for (int t = 0; t < n; t++) {
            sab += (ri[t] - m) * (rj[t] - m);
            saa += (ri[t] - m) * (ri[t] - m);
            sbb += (rj[t] - m) * (rj[t] - m);
        }
        rho = sab / sqrt(saa * sbb);
    }
    free(ri);
    free(rj);
    return rho;
}
