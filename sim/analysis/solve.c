/* solve.c: bracketing and Brent's method on the simulated margin. */
#include "solve.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

const char *const solve_stat_names[] = { "mean", "p5", "p50", NULL };

typedef struct ctx {
    const char *file;
    const char *text;        /* the file's, read once */
    const char *const *sets;
    int nsets;
    const solve_opts *o;
    solve_result *out;
    ts_error *err;
    int rc;
} ctx;

/* One evaluation (cached: Brent and the bracket revisit points). */
static const solve_eval *eval(ctx *c, double x)
{
    for (int i = 0; i < c->out->nevals; i++)
        if (c->out->evals[i].x == x)
            return &c->out->evals[i];
    if (c->rc || c->out->nevals == SOLVE_MAX_EVALS) {
        if (!c->rc)
            c->rc = ts_error_set(c->err, TS_ERR_RUNTIME, NULL, 0, 0, "no convergence after %d evaluations",
                                 SOLVE_MAX_EVALS);
        return NULL;
    }
    char set[CHANGE_SET_LEN];
    snprintf(set, sizeof set, "%s=%.17g", c->o->path, x);
    const char *extra[1] = { set };
    probe pr;
    probe_opts po = { c->o->threads, c->o->stop, 0, c->text };
    if ((c->rc = probe_run(&pr, c->file, c->sets, c->nsets, extra, 1, &po, c->err)))
        return NULL;
    const ts_stat *m = sum_total(&pr.sm, c->o->plan, TOT_MARGIN);
    solve_eval *e = &c->out->evals[c->out->nevals++];
    e->x = x;
    e->mean = m->mean;
    e->se = m->se;
    e->value = c->o->stat == SOLVE_P5 ? m->p5 : c->o->stat == SOLVE_P50 ? m->p50 : m->mean;
    if (m->n < pr.rr.nreps)
        e->value = NAN;      /* some replications had no revenue: no margin to speak of */
    e->profit = sum_total(&pr.sm, c->o->plan, TOT_GROSS_PROFIT)->mean;
    e->half = fmax(m->ci_hi - m->mean, m->mean - m->ci_lo);
    if (c->out->nevals == 1)
        tail_check(pr.s, &pr.rr, &c->out->tail);
    probe_free(&pr);
    return e;
}

static double f(double x, void *p)
{
    ctx *c = p;
    const solve_eval *e = eval(c, x);
    return e ? e->value - c->o->target : NAN;
}

static void keep_best(ctx *c)
{
    /* out of reach: the evaluation closest to the target */
    solve_result *r = c->out;
    double bd = INFINITY;
    for (int i = 0; i < r->nevals; i++) {
        double d = fabs(r->evals[i].value - c->o->target);
        if (d < bd) {
            bd = d;
            r->x = r->evals[i].x;
            r->value = r->evals[i].value;
        }
    }
}

/* Finds [lo, hi] where the margin crosses the target: the range given, or
 * around the current value (start) widened toward the target. Leaves the
 * ends and their values in lo, hi, flo, fhi; no crossing when flo * fhi is
 * not <= 0. Errors are left in c->rc. */
static void bracket(ctx *c, double *lo, double *hi, double *flo, double *fhi)
{
    const solve_opts *o = c->o;
    if (o->has_range) {
        *lo = o->lo, *hi = o->hi;
        *flo = f(*lo, c), *fhi = f(*hi, c);
        /* a range without a crossing at its ends may hold the best value inside */
        for (int i = 1; i < 8 && !c->rc && !(*flo * *fhi <= 0); i++)
            f(*lo + (*hi - *lo) * i / 8, c);
        return;
    }
    double x0 = c->out->start > 0 ? c->out->start : 1;
    *lo = x0 / 2, *hi = x0 * 2;
    *flo = f(*lo, c), *fhi = f(*hi, c);
    /* widen toward the end nearer the target until the sign changes;
     * a NaN (no revenue, e.g. a price of 0) counts as far below */
    for (int i = 0; i < 14 && !c->rc && !(*flo * *fhi <= 0); i++) {
        double alo = isnan(*flo) ? INFINITY : fabs(*flo), ahi = isnan(*fhi) ? INFINITY : fabs(*fhi);
        bool up = ahi <= alo;
        if (up) {
            *lo = *hi, *flo = *fhi;
            *hi *= 4;
            *fhi = f(*hi, c);
        } else {
            *hi = *lo, *fhi = *flo;
            *lo /= 4;
            *flo = f(*lo, c);
        }
    }
}

/* Brent's method inside a bracket [lo, hi] with a crossing strictly
 * inside; sets out->x, iterations and reached. */
static int brent(ctx *c, double lo, double hi)
{
    solve_result *out = c->out;
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return ts_error_set(c->err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    gsl_function F = { f, c };
    gsl_root_fsolver_set(s, &F, lo, hi);
    int status = GSL_CONTINUE;
    for (int it = 0; it < 60 && status == GSL_CONTINUE; it++) {
        out->iterations = it + 1;
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS || c->rc)
            break;
        double r = gsl_root_fsolver_root(s);
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 1e-9, 1e-6);
        const solve_eval *e = eval(c, r);
        if (e && fabs(e->value - c->o->target) < 1e-6)
            status = GSL_SUCCESS;
    }
    out->x = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    if (c->rc)
        return c->rc;
    out->reached = status == GSL_SUCCESS;
    if (!out->reached)
        return ts_error_set(c->err, TS_ERR_RUNTIME, NULL, 0, 0, "the root finder did not converge for '%s'",
                            c->o->path);
    return TS_OK;
}

/* The slope from the nearest other evaluation to the answer e: how far the
 * answer moves for one standard error of the margin (out->x_se). */
static void uncertainty(solve_result *out, const solve_eval *e)
{
    const solve_eval *nb = NULL;
    for (int i = 0; i < out->nevals; i++)
        if (out->evals[i].x != out->x && isfinite(out->evals[i].value)
            && (!nb || fabs(out->evals[i].x - out->x) < fabs(nb->x - out->x)))
            nb = &out->evals[i];
    if (nb) {
        double slope = (nb->value - e->value) / (nb->x - e->x);
        if (slope != 0)
            out->x_se = e->se / fabs(slope);
    }
}

static int solve(const char *file, const char *text, const char *const *sets, int nsets, const solve_opts *o,
                 solve_result *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    out->x_se = NAN;
    ctx c = { file, text, sets, nsets, o, out, err, TS_OK };
    /* the current value, where the search starts */
    scenario *s0 = malloc(sizeof *s0);
    if (!s0)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    int rc = scenario_load(s0, file, sets, nsets, err);
    if (rc == TS_OK)
        rc = change_value_get(s0, o->path, &out->start, err);
    free(s0);
    if (rc)
        return rc;
    double lo, hi, flo, fhi;
    bracket(&c, &lo, &hi, &flo, &fhi);
    if (c.rc)
        return c.rc;
    if (!(flo * fhi <= 0)) {
        keep_best(&c);
        return TS_OK;
    }
    if (flo == 0 || fhi == 0) {
        out->reached = true;
        out->x = flo == 0 ? lo : hi;
    } else if ((rc = brent(&c, lo, hi))) {
        return rc;
    }
    const solve_eval *e = eval(&c, out->x);
    if (!e)
        return c.rc;
    out->value = e->value;
    uncertainty(out, e);
    return TS_OK;
}

int solve_run(const char *file, const char *const *sets, int nsets, const solve_opts *o, solve_result *out,
              ts_error *err)
{
    char *text = probe_text(file);
    /* a guess: the bracket and a few secant steps; the meter grows past it */
    probe_meter_plan(8);
    int rc = solve(file, text, sets, nsets, o, out, err);
    probe_meter_finish();
    free(text);
    return rc;
}
