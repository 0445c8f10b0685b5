/* outer.c: the outer loop over uncertain inputs (outer.h): one draw of the
 * inputs per replication or group of `inner` replications, each
 * replication simulated on its own copy of the scenario with the draw set,
 * the rows gathered in replication order.
 *
 * Streams: draw g's uniforms come from (seed mixed with g, OUTER_KEY); the
 * Latin hypercube permutations and the Iman-Conover scores from (seed,
 * OUTER_PLAN_KEY). A draw's uniform u for input k is, with Latin hypercube,
 * (perm_k(g) + u) / G over the run's G draws, so each input's draws fall
 * one in each of G equal-probability strata. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <omp.h>

#include "models/corr.h"
#include "engine.h"
#include "engine_internal.h"
#include "guard.h"
#include "outer.h"
#include "ranks.h"
#include "rng.h"

#define OUTER_KEY 0x756e636572746e31ULL        /* "uncertn1" */
#define OUTER_PLAN_KEY 0x756e63706c616e31ULL   /* "uncplan1" */

int outer_ndraws(const scenario *s, int nreps)
{
    int inner = s->uncertain.inner > 0 ? s->uncertain.inner : 1;
    if (nreps < s->replications)
        nreps = s->replications;
    return (nreps + inner - 1) / inner;
}

int outer_draws(const scenario *s, int ndraws, double *x)
{
    const uncertain_cfg *u = &s->uncertain;
    int k = u->ninputs;
    size_t *perm = NULL;
    gsl_rng *strata = ts_rng_create(s->seed, OUTER_PLAN_KEY), *r = ts_rng_create(0, 0);
    int rc = -1;
    if (!strata || !r)
        goto done;
    for (int g = 0; g < ndraws; g++) {
        ts_rng_reseed(r, ts_rng_seed_mix(s->seed, (uint64_t)g), OUTER_KEY);
        for (int i = 0; i < k; i++)
            x[(size_t)g * k + i] = gsl_rng_uniform_pos(r);
    }
    if (u->sampling == UNC_LATIN_HYPERCUBE) {
        if (!(perm = malloc((size_t)ndraws * sizeof *perm)))
            goto done;
        for (int i = 0; i < k; i++) {
            for (int g = 0; g < ndraws; g++)
                perm[g] = (size_t)g;
            gsl_ran_shuffle(strata, perm, (size_t)ndraws, sizeof *perm);
            for (int g = 0; g < ndraws; g++) {
                double *v = &x[(size_t)g * k + i];
                *v = ((double)perm[g] + *v) / ndraws;
            }
        }
    }
    for (size_t j = 0; j < (size_t)ndraws * k; j++)
        x[j] = ts_dist_Pinv(&u->inputs[j % (size_t)k].law, x[j]);
    /* rank correlations need more draws than inputs: with ndraws <= k the
     * scores' own correlation is singular and there is nothing to reorder */
    if (u->correlated && ndraws > k && ndraws >= 3 && k > 1) {
        double c[UNC_MAX_INPUTS * UNC_MAX_INPUTS];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
                c[a * k + b] = u->corr[a][b];
        if (ts_iman_conover(strata, x, ndraws, k, c))
            goto done;
    }
    rc = 0;
done:
    free(perm);
    if (strata)
        gsl_rng_free(strata);
    if (r)
        gsl_rng_free(r);
    return rc;
}

/* The resolved scenario without its uncertain section, as YAML: every
 * replication's copy is loaded from it with the draw's --set texts. */
char *outer_base_text(const scenario *s)
{
    scenario *t = scenario_new();
    if (!t)
        return NULL;
    memcpy(t, s, sizeof *t);
    t->uncertain.ninputs = 0;
    /* what only the analysis commands read; its written form (both ends of
     * a range written as 0) would not load again */
    t->sensitivity.nparams = 0;
    t->stress.nshocks = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m) {
        scenario_write(m, t);
        fclose(m);
    }
    scenario_free(t);
    return buf;
}

int outer_copy(const scenario *s, const char *text, const double *x, scenario *copy, ts_error *err)
{
    char sets[UNC_MAX_INPUTS * UNC_MAX_TARGETS][CHANGE_SET_LEN];
    const char *ptr[UNC_MAX_INPUTS * UNC_MAX_TARGETS];
    int n = unc_sets(&s->uncertain, x, sets, UNC_MAX_INPUTS * UNC_MAX_TARGETS);
    for (int i = 0; i < n; i++)
        ptr[i] = sets[i];
    return scenario_load_string(copy, text, s->source, ptr, n, err);
}

/* Runs replication `index` on the copy of s that draw x makes, into *rr. */
static int run_one(const scenario *s, const char *text, const double *x, const engine_opts *o,
                   const engine_observer *obs, int index, run_result *rr, ts_error *err)
{
    scenario *copy = scenario_new();
    if (!copy)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    int rc = outer_copy(s, text, x, copy, err);
    if (rc) {
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err->message);
        rc = ts_error_set(err, TS_ERR_INPUT, s->source, 0, 0,
                          "the uncertain inputs drawn for replication %d make an invalid scenario: %s", index + 1, why);
    } else {
        engine_opts one = { .threads = 1, .first = index, .count = 1, .stop = o->stop };
        rc = engine_run_rows(copy, &one, obs, true, rr, err);
    }
    scenario_free(copy);
    return rc;
}

/* Moves row results rr[0..n) into out's rows off..off+n. */
static int gather(const scenario *s, const engine_opts *o, run_result *rr, int off, int n, const double *x,
                  run_result *out, ts_error *err)
{
    int k = s->uncertain.ninputs, inner = s->uncertain.inner > 0 ? s->uncertain.inner : 1;
    out->first = o->first;
    out->nreps = o->count;
    out->nplans = s->nplans;
    out->nmonths = s->horizon;
    out->nsegments = usage_dist_nsegments(&s->usage);
    out->pairs = s->sampling.antithetic && o->first % 2 == 0 && o->count % 2 == 0;
    out->nstages = n ? rr[0].nstages : 0;
    out->ninputs = k;
    out->inner = inner;
    size_t mrow = (size_t)s->nplans * s->horizon * MET_COUNT, srow = (size_t)s->nplans * out->nsegments * SEG_COUNT;
    size_t wrow = (size_t)(s->horizon + 1) * LAW_COUNT, lrow = (size_t)s->horizon * out->nstages;
    size_t count = (size_t)o->count;
    out->month = calloc(count * mrow, sizeof(double));
    out->seg = calloc(count * srow, sizeof(double));
    out->law = calloc(count * wrow, sizeof(double));
    out->inputs = calloc(count * (size_t)k, sizeof(double));
    if (lrow && n && rr[0].lever)
        out->lever = calloc(count * lrow, sizeof(double));
    if (!out->month || !out->seg || !out->law || !out->inputs || (lrow && n && rr[0].lever && !out->lever))
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for %d replications", o->count);
    for (int i = 0; i < n; i++) {
        size_t row = (size_t)(off + i);
        memcpy(out->month + row * mrow, rr[i].month, mrow * sizeof(double));
        memcpy(out->seg + row * srow, rr[i].seg, srow * sizeof(double));
        memcpy(out->law + row * wrow, rr[i].law, wrow * sizeof(double));
        if (out->lever && rr[i].lever)
            memcpy(out->lever + row * lrow, rr[i].lever, lrow * sizeof(double));
        memcpy(out->inputs + row * (size_t)k, x + (size_t)((o->first + off + i) / inner) * k, (size_t)k * sizeof(double));
    }
    /* the snapshot is the first replication's, as without uncertain inputs */
    if (n && off == 0) {
        out->snapshot = rr[0].snapshot;
        out->snap_interactions = rr[0].snap_interactions;
        out->snap_segment = rr[0].snap_segment;
        out->snap_bill = rr[0].snap_bill;
        out->nsnapshot = rr[0].nsnapshot;
        rr[0].snapshot = rr[0].snap_interactions = NULL;
        rr[0].snap_segment = NULL;
        rr[0].snap_bill = NULL;
    }
    return TS_OK;
}

int outer_run(const scenario *s, const engine_opts *o, const engine_observer *obs, run_result *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    if (engine_guard(s, o->count, o->threads, err))
        return err->code;
    int k = s->uncertain.ninputs, inner = s->uncertain.inner > 0 ? s->uncertain.inner : 1;
    int ndraws = outer_ndraws(s, o->first + o->count);
    int off, n;
    ranks_block(o->count, ranks_size(), ranks_rank(), &off, &n);
    double *x = malloc((size_t)ndraws * k * sizeof *x);
    char *text = outer_base_text(s);
    run_result *rr = calloc(n > 0 ? (size_t)n : 1, sizeof *rr);
    ts_error *errs = calloc(n > 0 ? (size_t)n : 1, sizeof *errs);
    int rc = TS_OK;
    if (!x || !text || !rr || !errs || outer_draws(s, ndraws, x)) {
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory drawing the uncertain inputs");
        goto done;
    }
    int threads = o->threads > 0 ? o->threads : omp_get_num_procs(), done = 0;
    if (threads > n)
        threads = n > 0 ? n : 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int i = 0; i < n; i++) {
        int index = o->first + off + i;
        ts_error_clear(&errs[i]);
        int r = run_one(s, text, x + (size_t)(index / inner) * k, o, obs, index, &rr[i], &errs[i]);
        errs[i].code = r;
#pragma omp critical(ts_progress)
        {
            done++;
            if (o->progress && r == TS_OK)
                o->progress(o->progress_ctx, done, n);
        }
    }
    /* the first failing row in replication order speaks for the run */
    for (int i = 0; i < n && rc == TS_OK; i++)
        if (errs[i].code) {
            *err = errs[i];
            rc = errs[i].code;
        }
    if (rc == TS_OK)
        rc = gather(s, o, rr, off, n, x, out, err);
done:
    for (int i = 0; i < n && rr; i++)
        run_result_free(&rr[i]);
    free(rr);
    free(errs);
    free(text);
    free(x);
    if (rc)
        run_result_free(out);
    return rc;
}
