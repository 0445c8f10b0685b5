/* probe.c: load, run and summarise a scenario under extra overrides. */
#include "probe.h"

#include <stdlib.h>
#include <string.h>

#include "sim/core/fileio.h"

/* Process-wide, as the progress line it feeds is: one command at a time. */
static probe_meter *meter;

void probe_meter_set(probe_meter *m)
{
    meter = m;
}

void probe_meter_plan(int probes)
{
    if (meter)
        meter->total += probes;
}

void probe_meter_finish(void)
{
    if (meter && meter->show) {
        meter->done = meter->total;
        meter->show(meter->ctx, meter->done, meter->total);
    }
}

/* The engine's replication count turned into a fraction of one probe. */
static void on_replication(void *ctx, int done, int total)
{
    probe_meter *m = ctx;
    if (m->show && total > 0 && done < total)
        m->show(m->ctx, m->done + (double)done / total, m->total > m->done ? m->total : m->done + 1);
}

static int add_shocks(scenario *s, const timed_shock *v, int n, ts_error *err)
{
    world *w = &s->world;
    if (w->nshocks + n > TIMED_SHOCK_MAX)
        return ts_error_set(err, TS_ERR_INPUT, s->source, 0, 0, "too many items in 'shocks': found %d, with %d more "
                            "from the stress battery, expected at most %d", w->nshocks, n, TIMED_SHOCK_MAX);
    for (int i = 0; i < n; i++) {
        timed_shock *k = &w->shocks[w->nshocks++];
        *k = v[i];
        shock_prepare(k, &s->usage);
    }
    return TS_OK;
}

int probe_run(probe *pr, const char *file, const char *const *sets, int nsets, const char *const *extra, int nextra,
              const probe_opts *o, ts_error *err)
{
    return probe_run_shocked(pr, file, sets, nsets, extra, nextra, NULL, 0, o, err);
}

int probe_run_shocked(probe *pr, const char *file, const char *const *sets, int nsets, const char *const *extra,
                      int nextra, const timed_shock *v, int n, const probe_opts *o, ts_error *err)
{
    memset(pr, 0, sizeof *pr);
    const char **all = malloc((size_t)(nsets + nextra + 1) * sizeof *all);
    pr->s = malloc(sizeof *pr->s);
    if (!all || !pr->s) {
        free(all);
        free(pr->s);
        pr->s = NULL;
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    }
    for (int i = 0; i < nsets; i++)
        all[i] = sets[i];
    for (int i = 0; i < nextra; i++)
        all[nsets + i] = extra[i];
    int rc = o->text ? scenario_load_string(pr->s, o->text, file, all, nsets + nextra, err)
                     : scenario_load(pr->s, file, all, nsets + nextra, err);
    free(all);
    if (rc == TS_OK && n > 0)
        rc = add_shocks(pr->s, v, n, err);
    if (rc == TS_OK) {
        if (o->replications > 0)
            pr->s->replications = o->replications;
        engine_opts eo = { o->threads, 0, pr->s->replications, meter ? on_replication : NULL, meter, o->stop };
        rc = engine_run(pr->s, &eo, &pr->rr, err);
        if (rc == TS_OK && meter) {
            meter->done++;
            if (meter->show)
                meter->show(meter->ctx, meter->done, meter->total > meter->done ? meter->total : meter->done);
        }
        if (rc == TS_OK && (rc = summary_build(&pr->rr, &pr->sm, err)))
            run_result_free(&pr->rr);
    }
    if (rc) {
        free(pr->s);
        memset(pr, 0, sizeof *pr);
    }
    return rc;
}

char *probe_text(const char *file)
{
    size_t len;
    return ts_file_read(file, &len);
}

void probe_free(probe *pr)
{
    if (!pr->s)
        return;
    summary_free(&pr->sm);
    run_result_free(&pr->rr);
    free(pr->s);
    memset(pr, 0, sizeof *pr);
}

void probe_rep_totals(const probe *pr, int p, int k, double *v)
{
    double tot[TOT_COUNT];
    for (int r = 0; r < pr->rr.nreps; r++) {
        summary_rep_totals(&pr->rr, r, p, tot);
        v[r] = tot[k];
    }
}

int probe_plan_find(const scenario *s, const char *name)
{
    for (int i = 0; i < s->nplans; i++)
        if (!strcmp(s->plans[i].name, name))
            return i;
    return -1;
}

const char *probe_price_key(const plan *pl)
{
    return plan_price_key(pl);
}
