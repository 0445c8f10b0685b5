/* cli_sobol.c: `tokensim sobol FILE`: the options, the files through the
 * output set, and the table (the estimates are sim/analysis/sobol.c's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/analysis/sobol.h"
#include "cli.h"

const char sobol_help[] =
    "usage: tokensim sobol FILE [options]\n"
    "\n"
    "First-order and total Sobol indices of a plan's horizon gross margin,\n"
    "horizon gross profit and P5 month's margin over the scenario's uncertain\n"
    "inputs (its 'uncertain:' section, taken as independent): the Saltelli\n"
    "design of N base samples from a Sobol sequence, N (k + 2) evaluations of\n"
    "R replications each, the Saltelli (2010) and Jansen estimators and 95%\n"
    "bootstrap intervals. Writes sobol.csv, sobol_convergence.csv and\n"
    "summary.json, plots/sobol and plots/sobol_convergence (docs/uncertainty.md).\n"
    "\n"
    "options: --plan NAME (default: the first), --points N (base samples,\n"
    "default 256), --replications R per evaluation (default: the scenario's,\n"
    "at most 8), --out DIR (default: out/NAME-sobol), --seed S, --threads T,\n"
    "--set PATH=VALUE, --json, --quiet, --no-plots, --pdf\n";

static bool replications_given(const cli *c)
{
    for (int i = 0; i < c->nsets; i++)
        if (!strncmp(c->sets[i], "replications=", 13))
            return true;
    return false;
}

static int sobol(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    int pidx, rc0 = cli_load_plan(c, s, &pidx);
    if (rc0 >= 0)
        return rc0;
    double n;
    if (!cli_number(c, O_POINTS, 16, 1 << 20, 256, &n))
        return TS_EXIT_INPUT;
    sobol_run o = { .plan = pidx, .n = (int)n, .boot = 500, .threads = c->threads, .stop = &stop_flag,
                    .nreps = replications_given(c) || s->replications < 8 ? s->replications : 8 };
    char outdir[4096];
    cli_out_dir(c, "-sobol", outdir, sizeof outdir);
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0)
        return rc;
    cli_catch_signals();
    sobol_result r;
    if (sobol_scenario(s, &o, &r, &err)) {
        outset_abort(&os);
        return cli_outset_fail(outdir, err.code, &err);
    }
    provenance pv = cli_provenance(c, s, o.nreps);
    char *texts[3] = { sobol_csv(s, &r), sobol_convergence_csv(s, &r), sobol_json(s, &o, &r, &pv) };
    const char *names[3] = { "sobol.csv", "sobol_convergence.csv", "summary.json" };
    rc = cli_write_files(os.staging, names, texts, 3, &err);
    plot_report prep = { 0 };
    if (rc == TS_OK && !c->no_plots) {
        plot_opts po = cli_plot_options(c, os.staging);
        rc = sobol_plot(s, &o, &r, &pv, &po, &prep, &err);
        outset_shown(&os, prep.first_problem, sizeof prep.first_problem);
        if (rc == TS_OK)
            cli_plot_warn(&prep);
    }
    rc = cli_outset_end(&os, rc, &err);
    if (rc == TS_OK && !c->quiet) {
        if (c->json) {
            puts(texts[2]);
        } else {
            printf("tokensim %s: %s, Sobol indices over %d uncertain inputs: %d base samples, %d evaluations of %d "
                   "replications, seed %llu\n\n", TS_VERSION, s->name, r.k, r.n, r.n * (r.k + 2), o.nreps,
                   (unsigned long long)s->seed);
            sobol_print(stdout, s, &o, &r);
            printf("wrote %s/sobol.csv, sobol_convergence.csv, summary.json%s\n", outdir,
                   prep.rendered ? " and the plots in plots/" : "");
        }
    }
    for (int i = 0; i < 3; i++)
        free(texts[i]);
    sobol_result_free(&r);
    return rc ? cli_outset_fail(outdir, rc, &err) : TS_EXIT_OK;
}

int cmd_sobol(cli *c)
{
    return cli_with_scenario(c, sobol);
}
