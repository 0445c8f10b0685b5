/* cli_common.c: what the commands share on the command line: a scenario
 * of their own, the plan named by --plan, plot options, the provenance of
 * a run, writing several output files, and the messages for interruptions
 * and plots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim/core/fileio.h"
#include "sim/analysis/probe.h"

int cli_with_scenario(cli *c, int (*body)(cli *c, scenario *s))
{
    scenario *s = scenario_new();
    if (!s) {
        ts_error err;
        ts_error_clear(&err);
        ts_error_set(&err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the scenario");
        return cli_fail(&err);
    }
    int rc = body(c, s);
    scenario_free(s);
    return rc;
}

int cli_plan(const cli *c, const scenario *s)
{
    if (!c->opt[O_PLAN])
        return 0;
    int p = probe_plan_find(s, c->opt[O_PLAN]);
    if (p < 0)
        cli_usage_error("unknown plan '%s' for --plan: the scenario's first plan is '%s'", c->opt[O_PLAN],
                        s->plans[0].name);
    return p;
}

int cli_load_plan(const cli *c, scenario *s, int *pidx)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    *pidx = cli_plan(c, s);
    return *pidx < 0 ? TS_EXIT_INPUT : -1;
}

plot_opts cli_plot_options(const cli *c, const char *outdir)
{
    /* TOKENSIM_GNUPLOT names another gnuplot, TOKENSIM_GNUPLOT_TIMEOUT its
     * time limit per plot in seconds (60 by default) */
    const char *to = getenv("TOKENSIM_GNUPLOT_TIMEOUT");
    return (plot_opts){ outdir, true, to ? atoi(to) : 60, getenv("TOKENSIM_GNUPLOT"), c->pdf };
}

void cli_plot_warn(const plot_report *rep)
{
    if (rep->first_problem[0])
        fprintf(stderr, "tokensim: warning: %s\n", rep->first_problem);
}

void cli_tail_warn(const provenance *pv)
{
    char w[768];
    if (outputs_tail_warning(pv, w, sizeof w))
        printf("warning: %s\n\n", w);
}

provenance cli_provenance(const cli *c, const scenario *s, int replications)
{
    return (provenance){ .version = TS_VERSION, .scenario_file = c->file, .hash = s->hash, .seed = s->seed,
                         .replications = replications };
}

int cli_interrupted(const char *outdir)
{
    cli_progress_clear_drawn();
    fprintf(stderr, "tokensim: interrupted; nothing written, earlier outputs in %s are intact\n", outdir);
    return TS_EXIT_INTERRUPTED;
}

int cli_outset_begin(const char *outdir, outset *os)
{
    ts_error err;
    ts_error_clear(&err);
    if (outset_begin(os, outdir, &err))
        return cli_fail(&err);
    return -1;
}

int cli_outset_end(outset *os, int rc, ts_error *err)
{
    if (rc) {
        outset_abort(os);
        return rc;
    }
    return outset_commit(os, &stop_flag, err);
}

int cli_outset_fail(const char *outdir, int rc, const ts_error *err)
{
    return rc == TS_ERR_INTERRUPTED ? cli_interrupted(outdir) : cli_fail(err);
}

int cli_write_files(const char *dir, const char *const *names, char *const *texts, int n, ts_error *err)
{
    int rc = ts_dir_make(dir, err);
    for (int i = 0; i < n && rc == TS_OK; i++) {
        char path[4200];
        if (!texts[i])
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rc = ts_file_write(path, texts[i], strlen(texts[i]), err);
    }
    return rc;
}
