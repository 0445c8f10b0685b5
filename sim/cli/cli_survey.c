/* cli_survey.c: `tokensim survey FILE.csv`: reads a Van Westendorp or
 * Gabor-Granger survey (sim/analysis/survey.h), prints its figures, and
 * writes survey.csv, summary.json and the chart into the output folder as
 * one set (sim/output/outset.h). The file is a survey, not a scenario: no
 * --set applies. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "sim/analysis/survey.h"

const char survey_help[] =
    "usage: tokensim survey FILE.csv [options]\n"
    "\n"
    "Reads a price survey and prints its figures. The header tells the kind:\n"
    "  too_cheap, cheap, expensive, too_expensive [, weight]   Van Westendorp\n"
    "      answers, one respondent a row (prices)\n"
    "  price, too_cheap, cheap, expensive, too_expensive       Van Westendorp\n"
    "      curves (shares of respondents at each price)\n"
    "  price, share   or   price, asked, bought               Gabor-Granger\n"
    "Van Westendorp: the points of marginal cheapness and expensiveness, the\n"
    "optimal and indifference price points and the range of acceptable prices;\n"
    "Gabor-Granger: the demand curve (monotone cubic through the points). Both:\n"
    "the WTP law the survey implies and its revenue-maximising price. Writes\n"
    "survey.csv, summary.json and the chart in plots/ to the output folder\n"
    "(docs/pricing.md).\n"
    "\n"
    "options:\n"
    "  --out DIR     output folder (default: out/NAME-survey)\n"
    "  --json        print summary.json instead of the table\n"
    "  --no-plots    no chart\n"
    "  --pdf         also a PDF of the chart\n"
    "  --quiet       print nothing\n";

int cmd_survey(cli *c)
{
    ts_error err;
    ts_error_clear(&err);
    survey_result *r = malloc(sizeof *r);
    if (!r)
        return cli_fail(&(ts_error){ .code = TS_ERR_RUNTIME, .message = "out of memory" });
    if (survey_read(c->file, r, &err)) {
        free(r);
        return cli_fail(&err);
    }
    char outdir[4096];
    cli_out_dir(c, "-survey", outdir, sizeof outdir);
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0) {
        free(r);
        return rc;
    }
    cli_catch_signals();
    char *texts[2] = { survey_csv(r), survey_json(r, c->file, TS_VERSION) };
    const char *names[2] = { "survey.csv", "summary.json" };
    rc = cli_write_files(os.staging, names, texts, 2, &err);
    plot_report prep = { 0 };
    if (rc == TS_OK && !c->no_plots) {
        plot_opts po = cli_plot_options(c, os.staging);
        rc = survey_plots_write(r, c->file, TS_VERSION, &po, &prep, &err);
        outset_shown(&os, prep.first_problem, sizeof prep.first_problem);
        if (rc == TS_OK)
            cli_plot_warn(&prep);
    }
    rc = cli_outset_end(&os, rc, &err);
    if (rc == TS_OK && !c->quiet && c->json) {
        puts(texts[1]);
    } else if (rc == TS_OK && !c->quiet) {
        survey_print(stdout, r, c->file);
        printf("\nwrote %s/survey.csv, summary.json%s\n", outdir, prep.rendered ? " and the chart in plots/" : "");
    }
    free(texts[0]);
    free(texts[1]);
    free(r);
    return rc ? cli_outset_fail(outdir, rc, &err) : TS_EXIT_OK;
}
