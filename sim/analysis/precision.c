/* precision.c: batches of replications until an interval is narrow enough,
 * and, under a heavy tail, until there are as many as it needs (tail.h). */
#include "precision.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/stats.h"
#include "sim/engine/tail.h"

const char *const precision_stat_names[] = { "mean", "p5", NULL };

double precision_halfwidth(const run_result *r, int p, int stat, double *work)
{
    int n = r->nreps, k = 0;
    double tot[TOT_COUNT], *x = work + n;
    for (int i = 0; i < n; i++) {
        summary_rep_totals(r, i, p, tot);
        x[i] = tot[TOT_MARGIN];
    }
    if (stat == PRECISION_MEAN) {
        ts_stat st = stat_compute_law(r, x, n, r->nmonths, work);
        return st.n > 1 ? fmax(st.ci_hi - st.mean, st.mean - st.ci_lo) : NAN;
    }
    for (int i = 0; i < n; i++)
        if (!isnan(x[i]))
            work[k++] = x[i];
    if (k < 2)
        return NAN;
    gsl_sort(work, 1, (size_t)k);
    double q = 0.05, c = k * q, d = 1.96 * sqrt(k * q * (1 - q));
    int lo = (int)floor(c - d), hi = (int)ceil(c + d);
    lo = lo < 1 ? 1 : lo;
    hi = hi > k ? k : hi;
    return (work[hi - 1] - work[lo - 1]) / 2;
}

static int widest(const run_result *r, int stat, double *work, double *hw)
{
    int worst = 0;
    *hw = -INFINITY;
    for (int p = 0; p < r->nplans; p++) {
        double h = precision_halfwidth(r, p, stat, work);
        if (isnan(h) || h > *hw) {
            *hw = h;
            worst = p;
            if (isnan(h))
                break;
        }
    }
    return worst;
}

int precision_run(const scenario *s, const engine_opts *eo, const precision_opts *o, run_result *out,
                  precision_info *info, ts_error *err)
{
    memset(info, 0, sizeof *info);
    engine_opts b = *eo;
    b.first = 0;
    b.count = s->replications < o->max_reps ? s->replications : o->max_reps;
    int rc = engine_run(s, &b, out, err);
    double *work = NULL;
    while (rc == TS_OK) {
        info->batches++;
        free(work);
        work = malloc(2 * (size_t)out->nreps * sizeof *work);
        if (!work) {
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
            break;
        }
        info->worst_plan = widest(out, o->stat, work, &info->halfwidth);
        /* a heavy tail asks for replications enough to hold its heaviest customers */
        tail_report t;
        tail_check(s, out, &t);
        info->min_reps = t.needed < o->max_reps ? t.needed : o->max_reps;
        info->reached = info->halfwidth <= o->target && out->nreps >= info->min_reps;
        if (info->reached || out->nreps >= o->max_reps)
            break;
        /* double the count, keeping antithetic pairs whole */
        b.first = out->nreps;
        b.count = out->nreps < o->max_reps - out->nreps ? out->nreps : o->max_reps - out->nreps;
        if (s->sampling.antithetic)
            b.count -= b.count % 2;
        if (b.count <= 0)
            break;
        run_result more;
        if ((rc = engine_run(s, &b, &more, err)))
            break;
        rc = run_result_append(out, &more, err);
        run_result_free(&more);
    }
    free(work);
    if (rc)
        run_result_free(out);
    return rc;
}
