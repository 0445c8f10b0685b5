/* usage_empirical.c: intensities resampled from the user's own customers
 * (`distribution: empirical`), the semi-parametric resampler of Clauset,
 * Shalizi and Newman (2009, section 4.2).
 *
 * `data` names a file of one monthly intensity per line (the plain file
 * `tokensim fit` reads). Sorted, the n values are x_1 <= ... <= x_n. Without
 * `xmin`, the law is the data's own (a bootstrap): Q(u) = x_ceil(un). With
 * `xmin` and `alpha`, the nt values at or above xmin are replaced by the
 * fitted power-law tail, drawn with probability pt = nt/n, and the nb = n - nt
 * values below it (the body) are resampled uniformly:
 *   Q(u) = x_ceil(un)                          u <= nb/n = 1 - pt
 *        = Qpar((u - (1 - pt)) / pt)            above (usage_pareto.c's
 *   Qpar, survival exponent alpha = CSN's alpha - 1, from xmin, optional cap).
 * Mean: (1 - pt) body mean + pt tail mean; infinite without a cap when
 *   alpha <= 1, refused as the pareto law refuses it.
 * Top share, with C(u) = integral_0^u Q = (S_k + (un - k) x_(k+1)) / n,
 *   k = floor(un), S_k the sum of the k smallest values (exact for the
 *   step function): the top p share is
 *   p <= pt:  pt Mpar Spar(p / pt) / M
 *   p >  pt:  (pt Mpar + C(1 - pt) - C(1 - p)) / M.
 *
 * The values live in a table shared by every copy of the scenario (a
 * usage_dist is copied by value into variants and sweeps), loaded once per
 * path and kept until the process ends; scenarios are loaded from one thread. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileio.h"
#include "usage_laws.h"

#define EMP_PATH_LEN 256

typedef struct emp_table {
    struct emp_table *next;
    char path[EMP_PATH_LEN];
    size_t n;
    double *x;        /* sorted ascending */
    double *sum;      /* sum[k]: the sum of the k smallest, k = 0..n */
} emp_table;

typedef struct emp_params {
    char data[EMP_PATH_LEN];
    double xmin, alpha, cap;          /* xmin 0: no tail, pure bootstrap */
    /* derived by prepare */
    const emp_table *t;
    size_t nbody;                     /* values below xmin */
    double ptail;                     /* (n - nbody) / n */
} emp_params;
_Static_assert(sizeof(emp_params) <= USAGE_PARAM_BYTES, "emp_params must fit usage_dist.params");

typedef emp_params params;

/* reachable from here until exit, so leak checkers do not count them */
static emp_table *tables;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Parses one value per line; blank lines, `#` comments and a first line
 * `value` (a one-column header) are skipped. */
static int parse_values(emp_table *t, char *buf, ts_error *err)
{
    size_t cap = 0, line = 0;
    for (char *s = buf, *next; s && *s; s = next) {
        next = strchr(s, '\n');
        if (next)
            *next++ = '\0';
        line++;
        s[strcspn(s, "\r")] = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#' || (line == 1 && !strcmp(s, "value")))
            continue;
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        while (*end == ' ' || *end == '\t')
            end++;
        if (end == s || *end || errno || !isfinite(v) || v <= 0)
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found '%.40s' at line %zu of %s, expected a positive "
                                "number (one intensity a line)", s, line, t->path);
        if (t->n == cap) {
            cap = cap ? 2 * cap : 256;
            double *grown = realloc(t->x, cap * sizeof *grown);
            if (!grown)
                return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading %s", t->path);
            t->x = grown;
        }
        t->x[t->n++] = v;
    }
    if (t->n == 0)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found no values in %s, expected one intensity a line",
                            t->path);
    return TS_OK;
}

static int table_load(const char *path, const emp_table **out, ts_error *err)
{
    for (const emp_table *t = tables; t; t = t->next)
        if (!strcmp(t->path, path)) {
            *out = t;
            return TS_OK;
        }
    size_t len;
    char *buf = ts_file_read(path, &len);
    if (!buf)
        return ts_file_read_error(path, "usage data", err);
    emp_table *t = calloc(1, sizeof *t);
    int rc = t ? TS_OK : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading %s", path);
    if (rc == TS_OK) {
        memcpy(t->path, path, strnlen(path, sizeof t->path - 1));   /* calloc'd: terminated */
        rc = parse_values(t, buf, err);
    }
    if (rc == TS_OK && !(t->sum = malloc((t->n + 1) * sizeof *t->sum)))
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading %s", path);
    free(buf);
    if (rc != TS_OK) {
        if (t)
            free(t->x);
        free(t);
        return rc;
    }
    qsort(t->x, t->n, sizeof *t->x, cmp_double);
    t->sum[0] = 0;
    for (size_t k = 0; k < t->n; k++)
        t->sum[k + 1] = t->sum[k] + t->x[k];
    t->next = tables;
    tables = t;
    *out = t;
    return TS_OK;
}

static const param_key keys[] = {
    PSTR(params, "data", data, PARAM_NEEDED, "",
         "a file of one intensity (interactions a month) per line, relative to the working folder"),
    PNUM(params, "xmin", xmin, 0, 0, PARAM_POS, "interactions per month", "0",
         "where the fitted power-law tail starts (0: none, resample the data alone)"),
    PNUM(params, "alpha", alpha, 0, 0, PARAM_POS, "-",
         "0", "the tail's survival exponent, fit's alpha - 1 (needs > 1 without a cap)"),
    PNUM(params, "cap", cap, 0, 0, PARAM_POS, "interactions per month", "0", "the tail's largest intensity (0: none)"),
    PARAM_END
};

static int prepare(usage_dist *u, const char **what, ts_error *err)
{
    params *p = usage_params(u);
    if ((p->xmin > 0) != (p->alpha > 0)) {
        *what = p->xmin > 0 ? "xmin" : "alpha";   /* the one given: the error points at it */
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found %s without %s, expected both (a fitted tail) or "
                            "neither (the data alone)", p->xmin > 0 ? "xmin" : "alpha", p->xmin > 0 ? "alpha" : "xmin");
    }
    if (p->xmin > 0 && p->cap > 0 && p->cap <= p->xmin) {
        *what = "cap";
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "found %g, expected a cap greater than xmin (%g), or 0 for none", p->cap, p->xmin);
    }
    if (p->xmin > 0 && p->cap <= 0 && p->alpha <= 1) {
        *what = "alpha";
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found %g with no cap, but a power-law tail with alpha <= 1 "
                            "has no finite mean: raise alpha above 1 or set usage.cap", p->alpha);
    }
    int rc = table_load(p->data, &p->t, err);
    if (rc) {
        *what = "data";
        return rc;
    }
    size_t nb = p->t->n;
    if (p->xmin > 0)
        for (nb = 0; nb < p->t->n && p->t->x[nb] < p->xmin;)
            nb++;
    p->nbody = nb;
    p->ptail = (double)(p->t->n - nb) / (double)p->t->n;
    return TS_OK;
}

/* integral_0^u of the data's step quantile, u in [0, 1] */
static double cum(const emp_table *t, double u)
{
    double un = u * (double)t->n;
    size_t k = (size_t)un;
    if (k >= t->n)
        return t->sum[t->n] / (double)t->n;
    return (t->sum[k] + (un - (double)k) * t->x[k]) / (double)t->n;
}

static double tail_mean(const params *p)
{
    return p->ptail > 0 ? usage_pareto_mean(p->alpha, p->xmin, p->cap) : 0;
}

static double mean(const usage_dist *u)
{
    const params *p = usage_params_c(u);
    return cum(p->t, 1 - p->ptail) + p->ptail * tail_mean(p);
}

static double quantile(const usage_dist *u, double q)
{
    const params *p = usage_params_c(u);
    if (p->nbody == 0 || q > 1 - p->ptail)
        return usage_pareto_quantile(p->alpha, p->xmin, p->cap, fmin((q - (1 - p->ptail)) / p->ptail, 1.0));
    double k = ceil(q * (double)p->t->n);
    size_t i = k < 1 ? 0 : (size_t)k - 1;
    return p->t->x[i < p->nbody ? i : p->nbody - 1];
}

/* One uniform by inversion, so draw and draw_at agree. */
static double draw(const gsl_rng *r, const usage_dist *u, int *segment)
{
    (void)segment;
    return quantile(u, gsl_rng_uniform_pos(r));
}

static double top_share(const usage_dist *u, double q)
{
    const params *p = usage_params_c(u);
    if (q <= 0)
        return 0;
    if (q >= 1)
        return 1;
    double m = mean(u), tm = p->ptail * tail_mean(p);
    if (q <= p->ptail)
        return tm * usage_pareto_top_share(p->alpha, p->xmin, p->cap, q / p->ptail) / m;
    return (tm + cum(p->t, 1 - p->ptail) - cum(p->t, 1 - q)) / m;
}

/* the tail's distance to 1 cut by 20% (or alpha itself with a cap) */
static int heavier_tail(const usage_dist *u, char *set, size_t n)
{
    const params *p = usage_params_c(u);
    if (p->xmin <= 0)
        return 0;
    return snprintf(set, n, "usage.alpha=%.17g", p->cap > 0 ? 0.8 * p->alpha : 1 + 0.8 * (p->alpha - 1));
}

static int describe(const usage_dist *u, char *buf, size_t n)
{
    const params *p = usage_params_c(u);
    size_t nv = p->t ? p->t->n : 0;
    if (p->xmin <= 0)
        return snprintf(buf, n, "resampled from %zu customers in %s", nv, p->data);
    return snprintf(buf, n, "resampled from %zu customers in %s below %g, a power law of alpha %g above it (%.3g%%)",
                    nv, p->data, p->xmin, p->alpha, 100 * p->ptail);
}

/* A fitted tail without a cap has a finite variance only for alpha > 2. */
static bool infinite_variance(const usage_dist *d)
{
    const params *p = usage_params_c(d);
    return p->xmin > 0 && p->cap <= 0 && p->alpha <= 2;
}

const usage_law usage_law_empirical = {
    .name = "empirical",
    .summary = "the user's own customers resampled, with an optional fitted power-law tail",
    .keys = keys,
    .params_size = sizeof(params),
    .draw = draw,
    .mean = mean,
    .quantile = quantile,
    .top_share = top_share,
    .describe = describe,
    .prepare = prepare,
    .heavier_tail = heavier_tail,
    .infinite_variance = infinite_variance,
};
