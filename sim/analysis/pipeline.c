/* pipeline.c: the stages of a run, in order, each after the last succeeded. */
#include "pipeline.h"

#include <string.h>

#include "sim/output/document.h"
#include "sim/output/outset.h"

/* The replications: all, one alone, or batches until the precision target. */
static int simulate(const scenario *s, const pipeline_opts *o, pipeline *out, ts_error *err)
{
    engine_opts eo = { o->threads, o->replication ? o->replication - 1 : 0, o->replication ? 1 : s->replications,
                       o->progress, o->progress_ctx, o->stop };
    if (o->precision.target > 0)
        return precision_run(s, &eo, &o->precision, &out->rr, &out->precision, err);
    return engine_run(s, &eo, &out->rr, err);
}

/* The files: summary tables and JSON, then the plots, then the report that
 * shows them (only the pictures that were rendered). */
static int write_files(const scenario *s, const pipeline_opts *o, outset *os, pipeline *out, ts_error *err)
{
    int rc = outputs_write(os->staging, s, &out->rr, &out->sm, &out->db, &out->pv, err);
    if (rc == TS_OK && o->plots) {
        plot_opts po = *o->plots;
        po.dir = os->staging;
        rc = plots_write(s, &out->rr, &out->sm, &out->pv, &po, &out->plots, err);
        out->plotted = rc == TS_OK;
        outset_shown(os, out->plots.first_problem, sizeof out->plots.first_problem);
    }
    if (rc == TS_OK)
        rc = document_write(os->staging, s, &out->sm, &out->db, &out->pv, out->plotted && out->plots.rendered > 0,
                            err);
    if (rc == TS_OK)
        rc = outset_commit(os, o->stop, err);
    return rc;
}

int pipeline_run(const scenario *s, const pipeline_opts *o, pipeline *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    /* the folder is claimed first: a file in its place, or another run
     * writing there, stops the command before it simulates */
    outset os = { .lockfd = -1 };
    if (o->outdir && outset_begin(&os, o->outdir, err))
        return err->code;
    int rc = simulate(s, o, out, err);
    if (rc) {
        outset_abort(&os);
        return rc;
    }
    const precision_opts *po = &o->precision;
    out->pv = (provenance){ o->version, o->scenario_file, s->hash, s->seed, out->rr.nreps, out->rr.first,
                            o->replication > 0, po->target, out->precision.halfwidth,
                            precision_stat_names[po->stat], out->precision.reached, NULL };
    tail_check(s, &out->rr, &out->tail);
    out->pv.tail = &out->tail;
    rc = summary_build(&out->rr, &out->sm, err);
    if (rc == TS_OK && dashboard_build(&out->db, s, &out->sm) < 0)
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the dashboard");
    if (rc == TS_OK && o->outdir)
        rc = write_files(s, o, &os, out, err);
    if (rc) {
        outset_abort(&os);
        bool plotted = out->plotted;
        plot_report plots = out->plots;
        pipeline_free(out);
        out->plotted = plotted;
        out->plots = plots;
    }
    return rc;
}

void pipeline_free(pipeline *p)
{
    dashboard_free(&p->db);
    summary_free(&p->sm);
    run_result_free(&p->rr);
    memset(p, 0, sizeof *p);
}
