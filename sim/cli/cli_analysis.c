/* cli_analysis.c: the commands that run a scenario many times to answer
 * an investor's questions: sweep (a grid of values), stress (a battery of
 * shocks) and tornado (one parameter at a time, ranked). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plots.h"
#include "cli.h"
#include "sim/core/fileio.h"
#include "sim/output/json.h"
#include "sim/output/report.h"
#include "sim/scenario/scenario.h"
#include "sim/analysis/stress.h"
#include "sim/analysis/sweep.h"
#include "sim/analysis/tornado.h"
#include "sim/engine/tail.h"
#include "sim/analysis/probe.h"
#include "sim/analysis/precision.h"

static int sweep(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (c->nvary == 0)
        return cli_usage_error("missing --vary: 'tokensim sweep FILE --vary PATH=FROM:TO:STEP'%s%s", "", "");
    if (c->nvary > SWEEP_MAX_AXES)
        return cli_usage_error("too many --vary options: found %s, a sweep varies at most 2 values%s",
                               c->nvary == 3 ? "3" : "more than 3", "");
    sweep_axis ax[SWEEP_MAX_AXES];
    for (int a = 0; a < c->nvary; a++)
        if (sweep_axis_parse(c->vary[a], &ax[a], &err))
            return cli_fail(&err);
    /* the first point, for provenance and the folder */
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    char outdir[4096];
    cli_out_dir(c, "-sweep", outdir, sizeof outdir);
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0)
        return rc;
    cli_catch_signals();
    sweep_result r;
    if (sweep_run(c->file, c->sets, c->nsets, ax, c->nvary, c->threads, &stop_flag, &r, &err)) {
        outset_abort(&os);
        return cli_outset_fail(outdir, err.code, &err);
    }
    provenance pv = cli_provenance(c, s, s->replications);
    pv.tail = &r.tail;
    /* sweep.csv has no comment line: its provenance goes beside it */
    char *texts[2] = { sweep_csv(&r), json_provenance_text(&pv) };
    const char *names[2] = { "sweep.csv", "provenance.json" };
    rc = cli_write_files(os.staging, names, texts, 2, &err);
    free(texts[0]);
    free(texts[1]);
    plot_report prep = { 0 };
    if (rc == TS_OK && !c->no_plots) {
        plot_opts po = cli_plot_options(c, os.staging);
        rc = sweep_plots_write(&r, &pv, s->name, &po, &prep, &err);
        outset_shown(&os, prep.first_problem, sizeof prep.first_problem);
        if (rc == TS_OK)
            cli_plot_warn(&prep);
    }
    rc = cli_outset_end(&os, rc, &err);
    if (rc == TS_OK && !c->quiet && c->json) {
        /* as the other commands' --json: the figures on stdout, no table */
        char *json = sweep_json(&r, &pv);
        if (json)
            puts(json);
        else
            rc = ts_error_set(&err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        free(json);
    } else if (rc == TS_OK && !c->quiet) {
        printf("tokensim %s: %s, sweep of %d point%s, %d replications each, seed %llu\n\n", TS_VERSION, s->name,
               r.nrows / (r.nplans ? r.nplans : 1), r.nrows / (r.nplans ? r.nplans : 1) == 1 ? "" : "s",
               s->replications, (unsigned long long)s->seed);
        cli_tail_warn(&pv);
        sweep_print(stdout, &r);
        printf("\nwrote %s/sweep.csv, provenance.json%s\n", outdir, prep.rendered ? " and the plot in plots/" : "");
    }
    sweep_free(&r);
    return rc ? cli_outset_fail(outdir, rc, &err) : TS_EXIT_OK;
}

int cmd_sweep(cli *c)
{
    return cli_with_scenario(c, sweep);
}

static int stress(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    char outdir[4096];
    cli_out_dir(c, "-stress", outdir, sizeof outdir);
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0)
        return rc;
    cli_catch_signals();
    stress_result r;
    if (stress_run(c->file, c->sets, c->nsets, c->threads, &stop_flag, &r, &err)) {
        outset_abort(&os);
        return cli_outset_fail(outdir, err.code, &err);
    }
    provenance pv = cli_provenance(c, s, r.nreps);
    pv.tail = &r.tail;
    char *texts[2] = { stress_csv(&r), stress_json(&r, &pv) };
    const char *names[2] = { "stress.csv", "summary.json" };
    rc = cli_write_files(os.staging, names, texts, 2, &err);
    plot_report prep = { 0 };
    if (rc == TS_OK && !c->no_plots) {
        plot_opts po = cli_plot_options(c, os.staging);
        rc = stress_plots(&r, &pv, s->name, &po, &prep, &err);
        outset_shown(&os, prep.first_problem, sizeof prep.first_problem);
        if (rc == TS_OK)
            cli_plot_warn(&prep);
    }
    if (rc == TS_OK)
        rc = stress_document(&r, &pv, s->name, os.staging, prep.rendered > 0, &err);
    rc = cli_outset_end(&os, rc, &err);
    if (rc == TS_OK && !c->quiet) {
        if (c->json) {
            puts(texts[1]);
        } else {
            printf("tokensim %s: %s, stress battery of %d shocks, %d replications each, seed %llu\n\n", TS_VERSION,
                   s->name, r.nshocks - 1, r.nreps, (unsigned long long)s->seed);
            cli_tail_warn(&pv);
            stress_print(stdout, &r);
            printf("wrote %s/stress.html, stress.md, stress.csv, summary.json%s\n", outdir,
                   prep.rendered ? " and the plots in plots/" : "");
        }
    }
    free(texts[0]);
    free(texts[1]);
    stress_free(&r);
    return rc ? cli_outset_fail(outdir, rc, &err) : TS_EXIT_OK;
}

int cmd_stress(cli *c)
{
    return cli_with_scenario(c, stress);
}

static int tornado(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    int pidx, rc0 = cli_load_plan(c, s, &pidx);
    if (rc0 >= 0)
        return rc0;
    double pct;
    if (!cli_number(c, O_PCT, 0.001, 99, s->sensitivity.pct, &pct))
        return TS_EXIT_INPUT;
    tornado_param prm[TORNADO_MAX] = { 0 };
    int n = 0;
    if (c->nvary) {
        for (int i = 0; i < c->nvary; i++)
            if (tornado_param_parse(c->vary[i], pct, &prm[n++], &err))
                return cli_fail(&err);
    } else if (s->sensitivity.nparams) {
        for (int i = 0; i < s->sensitivity.nparams; i++) {
            const sens_param *sp = &s->sensitivity.params[i];
            prm[n] = (tornado_param){ .relative = !sp->has_range, .low = sp->has_range ? sp->low : 1 - pct / 100,
                                      .high = sp->has_range ? sp->high : 1 + pct / 100 };
            snprintf(prm[n++].path, CHANGE_PATH_LEN, "%s", sp->path);
        }
    } else {
        tornado_params_standard(s, pidx, pct, prm, &n);
    }
    char outdir[4096];
    cli_out_dir(c, "-tornado", outdir, sizeof outdir);
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0)
        return rc;
    cli_catch_signals();
    tornado_result r;
    if (tornado_run(c->file, c->sets, c->nsets, prm, n, pidx, c->threads, &stop_flag, &r, &err)) {
        outset_abort(&os);
        return cli_outset_fail(outdir, err.code, &err);
    }
    provenance pv = cli_provenance(c, s, r.nreps);
    pv.tail = &r.tail;
    char *texts[2] = { tornado_csv(&r), tornado_json(&r, &pv) };
    const char *names[2] = { "tornado.csv", "summary.json" };
    rc = cli_write_files(os.staging, names, texts, 2, &err);
    plot_report prep = { 0 };
    if (rc == TS_OK && !c->no_plots) {
        plot_opts po = cli_plot_options(c, os.staging);
        rc = tornado_plot(&r, &pv, s->name, &po, &prep, &err);
        outset_shown(&os, prep.first_problem, sizeof prep.first_problem);
        if (rc == TS_OK)
            cli_plot_warn(&prep);
    }
    if (rc == TS_OK)
        rc = tornado_document(&r, &pv, s->name, os.staging, prep.rendered > 0, &err);
    rc = cli_outset_end(&os, rc, &err);
    if (rc == TS_OK && !c->quiet) {
        if (c->json) {
            puts(texts[1]);
        } else {
            printf("tokensim %s: %s, tornado of %d parameters (%s), %d replications per run, seed %llu\n\n",
                   TS_VERSION, s->name, r.n, c->nvary ? "from --param" : s->sensitivity.nparams ? "from the scenario"
                   : "the standard set", r.nreps, (unsigned long long)s->seed);
            cli_tail_warn(&pv);
            tornado_print(stdout, &r);
            printf("\nwrote %s/tornado.html, tornado.md, tornado.csv, summary.json%s\n", outdir,
                   prep.rendered ? " and the plot in plots/" : "");
        }
    }
    free(texts[0]);
    free(texts[1]);
    return rc ? cli_outset_fail(outdir, rc, &err) : TS_EXIT_OK;
}

int cmd_tornado(cli *c)
{
    return cli_with_scenario(c, tornado);
}

/* ---- sampling: what variance reduction buys on this scenario ------------- */

static int sampling(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    static const char *const modes[4][2] = {
        { "sampling.intensities=random", "sampling.antithetic=false" },
        { "sampling.intensities=stratified", "sampling.antithetic=false" },
        { "sampling.intensities=random", "sampling.antithetic=true" },
        { "sampling.intensities=stratified", "sampling.antithetic=true" },
    };
    static const char *const names[4] = { "random", "stratified", "antithetic", "stratified+antithetic" };
    int reps = s->replications + s->replications % 2;   /* antithetic pairs need an even count */
    char rset[40];
    snprintf(rset, sizeof rset, "replications=%d", reps);
    double hw[4][PLAN_MAX], h5[4][PLAN_MAX], mean[4][PLAN_MAX];
    tail_report tail;
    cli_catch_signals();
    char *text = probe_text(c->file);
    probe_meter_plan(4);
    for (int k = 0; k < 4; k++) {
        const char *extra[3] = { modes[k][0], modes[k][1], rset };
        probe pr;
        probe_opts po = { c->threads, &stop_flag, 0, text };
        if (probe_run(&pr, c->file, c->sets, c->nsets, extra, 3, &po, &err)) {
            free(text);
            return err.code == TS_ERR_INTERRUPTED ? cli_interrupted("(nothing written)") : cli_fail(&err);
        }
        double *work = malloc(2 * (size_t)pr.rr.nreps * sizeof *work);
        if (!work) {
            probe_free(&pr);
            free(text);
            return TS_EXIT_RUNTIME;
        }
        if (k == 0)
            tail_check(pr.s, &pr.rr, &tail);
        for (int p = 0; p < s->nplans; p++) {
            hw[k][p] = precision_halfwidth(&pr.rr, p, PRECISION_MEAN, work);
            h5[k][p] = precision_halfwidth(&pr.rr, p, PRECISION_P5, work);
            mean[k][p] = sum_total(&pr.sm, p, TOT_MARGIN)->mean;
        }
        free(work);
        probe_free(&pr);
    }
    free(text);
    if (c->quiet)
        return TS_EXIT_OK;
    printf("tokensim %s: %s, %d replications in each sampling mode, seed %llu\n\n", TS_VERSION, s->name, reps,
           (unsigned long long)s->seed);
    provenance pv = cli_provenance(c, s, reps);
    pv.tail = &tail;
    cli_tail_warn(&pv);
    for (int p = 0; p < s->nplans; p++) {
        printf("plan %s: gross margin over the horizon\n", s->plans[p].name);
        printf("%-22s %9s %14s %14s %22s\n", "sampling", "mean %", "95% CI +-", "P5 CI +-", "worth, in replications");
        for (int k = 0; k < 4; k++) {
            /* an interval r times narrower is worth r^2 times the replications */
            double r = hw[0][p] / hw[k][p];
            printf("%-22s %9.3f %14.4f %14.4f %21.1fx\n", names[k], mean[k][p], hw[k][p], h5[k][p], r * r);
        }
        putchar('\n');
    }
    printf("set sampling.intensities and sampling.antithetic in the scenario to use one; the interval of the P5\n"
           "comes from order statistics, which treat antithetic pairs as independent\n");
    return TS_EXIT_OK;
}

int cmd_sampling(cli *c)
{
    return cli_with_scenario(c, sampling);
}
