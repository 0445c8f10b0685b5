/* api.c: the public API (include/tokensim.h) over the library's rooms.
 *
 * A ts_scenario keeps its YAML text and its changes, so that a run with
 * other replications or another seed loads the scenario again with those
 * as two more changes: exactly what `tokensim run --replications N --seed S`
 * runs, checks and hashes. A run goes through the CLI's own pipeline
 * (sim/analysis/pipeline.h), and its figures are copied out into a
 * ts_result that owns them, so results and scenarios are freed in any
 * order. Nothing here is shared between objects: no static state. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/analysis/pipeline.h"
#include "sim/core/error.h"
#include "sim/core/fileio.h"
#include "sim/engine/stats.h"
#include "sim/scenario/scenario.h"
/* after the library's error.h: the public copy of ts_error is skipped */
#include "include/tokensim.h"

#ifndef TS_VERSION
#define TS_VERSION "dev"
#endif

struct ts_scenario {
    scenario *s;             /* as loaded, every change applied */
    char *text;              /* the YAML */
    char *name;              /* stands for the file in messages and provenance */
    char **sets;             /* the changes, in order */
    int nsets;
};

struct ts_result {
    int nplans, nmonths, nreps;
    uint64_t seed, hash;
    char (*names)[PLAN_NAME_LEN];
    ts_figures *horizon;     /* [plan] */
    ts_figures *month;       /* [plan][month] */
};

static int oom(ts_error *err)
{
    return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
}

const char *ts_version(void)
{
    return TS_VERSION;
}

/* ---- scenarios ----------------------------------------------------------- */

/* Loads sc's text with its changes and `extra` after them into *out (a new
 * scenario, freed by the caller). */
static int scenario_reload(const ts_scenario *sc, const char *const *extra, int nextra, scenario **out,
                           ts_error *err)
{
    const char **all = malloc((size_t)(sc->nsets + nextra + 1) * sizeof *all);
    scenario *s = scenario_new();
    if (!all || !s) {
        free(all);
        scenario_free(s);
        return oom(err);
    }
    for (int i = 0; i < sc->nsets; i++)
        all[i] = sc->sets[i];
    for (int i = 0; i < nextra; i++)
        all[sc->nsets + i] = extra[i];
    int rc = scenario_load_string(s, sc->text, sc->name, all, sc->nsets + nextra, err);
    free(all);
    if (rc) {
        scenario_free(s);
        return rc;
    }
    *out = s;
    return TS_OK;
}

/* Takes ownership of text; loads it into a new ts_scenario. */
static int scenario_adopt(char *text, const char *name, ts_scenario **out, ts_error *err)
{
    ts_scenario *sc = calloc(1, sizeof *sc);
    char *nm = strdup(name);
    if (!sc || !nm) {
        free(sc);
        free(nm);
        free(text);
        return oom(err);
    }
    sc->text = text;
    sc->name = nm;
    int rc = scenario_reload(sc, NULL, 0, &sc->s, err);
    if (rc) {
        ts_scenario_free(sc);
        return rc;
    }
    *out = sc;
    return TS_OK;
}

int ts_scenario_load_file(const char *path, ts_scenario **out, ts_error *err)
{
    *out = NULL;
    size_t len;
    char *text = ts_file_read(path, &len);
    if (!text) {
        /* the loader words the reason as the command line does */
        scenario *s = scenario_new();
        int rc = s ? scenario_load(s, path, NULL, 0, err) : oom(err);
        scenario_free(s);
        return rc ? rc : ts_error_set(err, TS_ERR_INPUT, path, 0, 0, "cannot read scenario");
    }
    return scenario_adopt(text, path, out, err);
}

int ts_scenario_load_string(const char *text, const char *name, ts_scenario **out, ts_error *err)
{
    *out = NULL;
    char *copy = strdup(text);
    if (!copy)
        return oom(err);
    return scenario_adopt(copy, name ? name : "scenario", out, err);
}

int ts_scenario_set(ts_scenario *sc, const char *change, ts_error *err)
{
    char *c = strdup(change);
    char **sets = c ? realloc(sc->sets, (size_t)(sc->nsets + 1) * sizeof *sets) : NULL;
    if (!sets) {
        free(c);
        return oom(err);
    }
    sc->sets = sets;
    scenario *s;
    const char *extra[1] = { c };
    int rc = scenario_reload(sc, extra, 1, &s, err);
    if (rc) {
        free(c);
        return rc;
    }
    scenario_free(sc->s);
    sc->s = s;
    sc->sets[sc->nsets++] = c;
    return TS_OK;
}

void ts_scenario_free(ts_scenario *sc)
{
    if (!sc)
        return;
    for (int i = 0; i < sc->nsets; i++)
        free(sc->sets[i]);
    free(sc->sets);
    free(sc->text);
    free(sc->name);
    scenario_free(sc->s);
    free(sc);
}

const char *ts_scenario_name(const ts_scenario *sc) { return sc->s->name; }
int ts_scenario_plans(const ts_scenario *sc) { return sc->s->nplans; }
int ts_scenario_months(const ts_scenario *sc) { return sc->s->horizon; }
int ts_scenario_replications(const ts_scenario *sc) { return sc->s->replications; }
uint64_t ts_scenario_seed(const ts_scenario *sc) { return sc->s->seed; }
uint64_t ts_scenario_hash(const ts_scenario *sc) { return sc->s->hash; }

const char *ts_scenario_plan_name(const ts_scenario *sc, int p)
{
    return p >= 0 && p < sc->s->nplans ? sc->s->plans[p].name : NULL;
}

/* ---- runs ---------------------------------------------------------------- */

void ts_run_options_init(ts_run_options *o)
{
    memset(o, 0, sizeof *o);
}

static ts_estimate estimate(const ts_stat *st)
{
    return (ts_estimate){ st->n, st->mean, st->sd, st->se, st->ci_lo, st->ci_hi,
                          st->p5, st->p25, st->p50, st->p75, st->p95 };
}

/* The cost (inference + other) of plan p in every replication, over month
 * m (or the horizon when m < 0), as an estimate. work: 2 x nreps. */
static ts_estimate cost_estimate(const run_result *rr, int p, int m, double *work)
{
    double *x = work + rr->nreps;
    int from = m < 0 ? 0 : m, to = m < 0 ? rr->nmonths : m + 1;
    for (int i = 0; i < rr->nreps; i++) {
        x[i] = 0;
        for (int k = from; k < to; k++) {
            const double *mm = run_month(rr, i, p, k);
            x[i] += mm[MET_INFERENCE_COST] + mm[MET_OTHER_COST];
        }
    }
    ts_stat st = stat_compute_run(rr, x, rr->nreps, work);
    return estimate(&st);
}

/* Copies the figures out of the pipeline's run and summary. */
static int result_fill(ts_result *r, const scenario *s, const pipeline *pl, ts_error *err)
{
    const summary *sm = &pl->sm;
    r->nplans = sm->nplans;
    r->nmonths = sm->nmonths;
    r->nreps = pl->rr.nreps;
    r->seed = s->seed;
    r->hash = s->hash;
    r->names = calloc((size_t)r->nplans, sizeof *r->names);
    r->horizon = calloc((size_t)r->nplans, sizeof *r->horizon);
    r->month = calloc((size_t)r->nplans * r->nmonths, sizeof *r->month);
    double *work = malloc(2 * (size_t)r->nreps * sizeof *work);
    if (!r->names || !r->horizon || !r->month || !work) {
        free(work);
        return oom(err);
    }
    for (int p = 0; p < r->nplans; p++) {
        snprintf(r->names[p], sizeof r->names[p], "%s", s->plans[p].name);
        r->horizon[p] = (ts_figures){ estimate(sum_total(sm, p, TOT_REVENUE)), cost_estimate(&pl->rr, p, -1, work),
                                      estimate(sum_total(sm, p, TOT_INFERENCE_COST)),
                                      estimate(sum_total(sm, p, TOT_OTHER_COST)),
                                      estimate(sum_total(sm, p, TOT_GROSS_PROFIT)),
                                      estimate(sum_total(sm, p, TOT_MARGIN)) };
        for (int m = 0; m < r->nmonths; m++)
            r->month[(size_t)p * r->nmonths + m] = (ts_figures){
                estimate(sum_month(sm, p, m, MET_REVENUE)), cost_estimate(&pl->rr, p, m, work),
                estimate(sum_month(sm, p, m, MET_INFERENCE_COST)), estimate(sum_month(sm, p, m, MET_OTHER_COST)),
                estimate(sum_month(sm, p, m, MET_GROSS_PROFIT)), estimate(sum_month(sm, p, m, MET_MARGIN))
            };
    }
    free(work);
    return TS_OK;
}

/* The scenario a run uses: sc's own, or sc loaded again with the options'
 * replications and seed as two more changes (*owned then to free). */
static int run_scenario(const ts_scenario *sc, const ts_run_options *o, const scenario **s, scenario **owned,
                        ts_error *err)
{
    *owned = NULL;
    *s = sc->s;
    if (o->replications < 0)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "invalid replications option: found %d, expected 0 (the scenario's) or more", o->replications);
    if (o->replications == 0 && !o->seed_set)
        return TS_OK;
    char reps[48], seed[48];
    const char *extra[2];
    int n = 0;
    if (o->replications > 0) {
        snprintf(reps, sizeof reps, "replications=%d", o->replications);
        extra[n++] = reps;
    }
    if (o->seed_set) {
        snprintf(seed, sizeof seed, "seed=%" PRIu64, o->seed);
        extra[n++] = seed;
    }
    int rc = scenario_reload(sc, extra, n, owned, err);
    if (rc == TS_OK)
        *s = *owned;
    return rc;
}

int ts_run(const ts_scenario *sc, const ts_run_options *o, ts_result **out, ts_error *err)
{
    *out = NULL;
    ts_run_options defaults;
    if (!o) {
        ts_run_options_init(&defaults);
        o = &defaults;
    }
    const scenario *s;
    scenario *owned;
    int rc = run_scenario(sc, o, &s, &owned, err);
    if (rc)
        return rc;
    pipeline_opts po = { .threads = o->threads, .precision = { 0, PRECISION_MEAN, 0 }, .progress = o->progress,
                         .progress_ctx = o->progress_ctx, .stop = o->stop, .version = TS_VERSION,
                         .scenario_file = sc->name, .outdir = o->out_dir };
    pipeline pl;
    rc = pipeline_run(s, &po, &pl, err);
    ts_result *r = rc ? NULL : calloc(1, sizeof *r);
    if (rc == TS_OK && !r)
        rc = oom(err);
    if (rc == TS_OK && (rc = result_fill(r, s, &pl, err)))
        ts_result_free(r);
    pipeline_free(&pl);
    scenario_free(owned);
    if (rc == TS_OK)
        *out = r;
    return rc;
}

void ts_result_free(ts_result *r)
{
    if (!r)
        return;
    free(r->names);
    free(r->horizon);
    free(r->month);
    free(r);
}

int ts_result_plans(const ts_result *r) { return r->nplans; }
int ts_result_months(const ts_result *r) { return r->nmonths; }
int ts_result_replications(const ts_result *r) { return r->nreps; }
uint64_t ts_result_seed(const ts_result *r) { return r->seed; }
uint64_t ts_result_hash(const ts_result *r) { return r->hash; }

const char *ts_result_plan_name(const ts_result *r, int p)
{
    return p >= 0 && p < r->nplans ? r->names[p] : NULL;
}

int ts_result_plan(const ts_result *r, int p, ts_figures *out)
{
    if (p < 0 || p >= r->nplans)
        return TS_ERR_INPUT;
    *out = r->horizon[p];
    return TS_OK;
}

int ts_result_month(const ts_result *r, int p, int month, ts_figures *out)
{
    if (p < 0 || p >= r->nplans || month < 0 || month >= r->nmonths)
        return TS_ERR_INPUT;
    *out = r->month[(size_t)p * r->nmonths + month];
    return TS_OK;
}
