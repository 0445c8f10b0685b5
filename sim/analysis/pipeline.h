/* pipeline.h: one run of a scenario, from the engine to the files.
 *
 * The stages, in order: the replications (all of them, one alone, or
 * --precision's doubling batches), their summary, the cost dashboard, the
 * output files (CSV, JSON), the plots and the report (Markdown, HTML).
 * `tokensim run` and `tokensim compare` are this pipeline followed by
 * different terminal tables; the library's ts_run is the same pipeline with
 * or without files. Nothing here prints: the caller shows what came out. */
#ifndef TS_PIPELINE_H
#define TS_PIPELINE_H

#include <signal.h>
#include <stdbool.h>

#include "plots/plots.h"
#include "precision.h"
#include "sim/core/error.h"
#include "sim/engine/engine.h"
#include "sim/engine/tail.h"
#include "sim/engine/stats.h"
#include "sim/output/dashboard.h"
#include "sim/output/report.h"
#include "sim/scenario/scenario.h"

typedef struct pipeline_opts {
    int threads;                 /* 0: one per core */
    int replication;             /* K >= 1: replication K alone, as in the full run; 0: all */
    precision_opts precision;    /* target 0: the scenario's replications, no batches */
    /* as in engine_opts; progress and stop may be NULL */
    void (*progress)(void *ctx, int done, int total);
    void *progress_ctx;
    volatile sig_atomic_t *stop;
    /* what every output says it comes from; both may be NULL */
    const char *version;
    const char *scenario_file;
    const char *outdir;          /* the output folder; NULL: no file written */
    const plot_opts *plots;      /* with outdir: the plots' options; NULL: no plots */
} pipeline_opts;

typedef struct pipeline {
    run_result rr;
    summary sm;
    dashboard db;                /* built once for the terminal, summary.json and the report */
    provenance pv;               /* points into the options' strings and to `tail` */
    tail_report tail;            /* whether the usage is too heavy-tailed for the replications alone */
    precision_info precision;    /* with a precision target: what it reached */
    /* The plots stage ran to its end: `plots` says what was drawn and the
     * first rendering problem (kept after a later stage fails, so that the
     * caller can still warn about it). */
    bool plotted;
    plot_report plots;
} pipeline;

/* Runs s through every stage o asks for. s must have passed scenario_load
 * and must outlive *out (and so must o's strings, which out->pv points
 * to). Returns TS_OK and fills *out, to free with pipeline_free; or an
 * error in err (TS_ERR_INTERRUPTED when o->stop was set during the
 * replications or before the outputs were swapped in, TS_ERR_RUNTIME for
 * memory and files, TS_ERR_INPUT for an outdir that is a file or a folder
 * of other files), with nothing left to free and only out->plotted and
 * out->plots meaningful. With an outdir, the files are written as one set
 * (sim/output/outset.h): the folder is claimed before the replications and
 * replaced whole at the end, so a failure leaves the earlier set intact. */
int pipeline_run(const scenario *s, const pipeline_opts *o, pipeline *out, ts_error *err);

/* Frees what pipeline_run filled; p may be zeroed. */
void pipeline_free(pipeline *p);

#endif
