/* main.c: the tokensim command line. The only place that prints messages
 * and chooses exit statuses: 0 success, 1 runtime failure, 2 bad scenario or
 * arguments, 130 interrupted. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/engine/tail.h"
#include "plots/plots.h"
#include "sim/analysis/compare.h"
#include "sim/output/document.h"
#include "sim/analysis/exercise.h"
#include "sim/core/fileio.h"
#include "sim/engine/engine.h"
#include "sim/engine/guard.h"
#include "sim/engine/ranks.h"
#include "sim/core/error.h"
#include "sim/output/menu.h"
#include "sim/output/report.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/schema.h"
#include "sim/engine/stats.h"
#include "cli.h"
#include "sim/analysis/pipeline.h"
#include "sim/analysis/precision.h"
#include "sim/output/waterfall.h"
#include "sim/output/dashboard.h"
#include "cli_help.h"

#ifndef TS_VERSION
#define TS_VERSION "dev"
#endif

volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

void cli_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_fail(const ts_error *e)
{
    char msg[1200];
    ts_error_format(e, msg, sizeof msg);
    cli_progress_clear_drawn();
    fprintf(stderr, "tokensim: %s\n", msg);
    switch (e->code) {
    case TS_ERR_INPUT: return TS_EXIT_INPUT;
    case TS_ERR_INTERRUPTED: return TS_EXIT_INTERRUPTED;
    default: return TS_EXIT_RUNTIME;
    }
}

int cli_usage_error(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "tokensim: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n(see 'tokensim --help')\n");
    return TS_EXIT_INPUT;
}

/* ---- help --------------------------------------------------------------- */

static const char main_help[] =
    "usage: tokensim COMMAND [options]\n"
    "\n"
    "Monte-Carlo simulation of what an AI product earns and what its model calls\n"
    "cost, customer by customer, month by month, with the uncertainty.\n"
    "\n"
    "commands:\n"
    "  run FILE        simulate a scenario: margin table, segments, output files\n"
    "  compare FILE    simulate and put the scenario's plans side by side\n"
    "  compare A B ... the plans of several scenario files side by side\n"
    "  sweep FILE      run over a grid of one or two scenario values\n"
    "  stress FILE     run a battery of shocks against the baseline\n"
    "  tornado FILE    rank parameters by their effect on the margin\n"
    "  sobol FILE      Sobol indices of the margin over the uncertain inputs\n"
    "  memo FILE       a two-page investor memo (memo.md, memo.html)\n"
    "  solve FILE      find the price (or any value) that meets a target margin\n"
    "  quota FILE      size a plan's included usage and check its heavy users\n"
    "  optimize FILE   choose plan values for the most profit within a risk limit\n"
    "  sampling FILE   what stratified and antithetic sampling buy on a scenario\n"
    "  validate FILE   check a scenario without running it\n"
    "  show FILE       print the scenario with every default filled in\n"
    "  cost FILE       print the cost of one interaction, feature by feature\n"
    "  exercise FILE   the textbook's five-step cost model for a product, with\n"
    "                  a spreadsheet of formulas\n"
    "  keys            print the reference of every scenario key (Markdown)\n"
    "  catalog ...     the model price catalogs; import a LiteLLM price file\n"
    "  fit SOURCE      fit the usage law and token laws to your own usage data\n"
    "  generate-logs FILE  the requests of one replication, as a LiteLLM log\n"
    "  replay SOURCE FILE  re-price logged requests under the scenario's plans\n"
    "  diff A.json B.json  what moved between two runs, from their summary.json\n"
    "  survey FILE.csv  Van Westendorp or Gabor-Granger price survey: figures, chart\n"
    "\n"
    "  tokensim help COMMAND     a command's help and options (or COMMAND --help)\n"
    "  tokensim -V, --version    the version\n"
    "  man tokensim              the manual: every command and option (docs/cli.md)\n"
    "\n"
    "exit status: 0 success, 1 runtime failure, 2 bad scenario or arguments,\n"
    "130 interrupted.\n";

static const char run_help[] =
    "usage: tokensim run FILE [options]\n"
    "\n"
    "Simulates the scenario and prints the month-by-month margin table (means,\n"
    "95% confidence interval of the mean margin, P5..P95 across replications),\n"
    "unit metrics, the cost concentration and the segment table; writes\n"
    "report.html (self-contained), report.md, monthly.csv, metrics.csv (the\n"
    "same figures in long form), segments.csv, replications.csv, summary.json\n"
    "and provenance.json to the output folder (docs/outputs.md), and the plots\n"
    "to its plots/ folder.\n"
    "\n"
    "options:\n"
    "  --out DIR           output folder (default: out/NAME, NAME the file's base name)\n"
    "  --replications N    number of replications (overrides the file)\n"
    "  --seed S            root seed of every random stream (overrides the file)\n"
    "  --threads T         worker threads; 0 means one per core (default 0); the\n"
    "                      output is the same for any T\n"
    "  --set PATH=VALUE    override any scenario value, e.g. --set usage.alpha=1.6,\n"
    "                      --set plans.pro.price=25 (list items by name or index);\n"
    "                      may be repeated\n"
    "  --replication K     run replication K (1-based) alone, with exactly the\n"
    "                      figures it has inside the full run; outputs go to\n"
    "                      DIR/replication-K\n"
    "  --json              print summary.json on stdout instead of the tables\n"
    "  --quiet             print nothing on success (files are still written)\n"
    "  --no-progress       no progress line on stderr (shown only on a terminal)\n"
    "  --no-plots          write no plots (by default DIR/plots holds PNG and SVG\n"
    "                      pictures drawn by gnuplot, and the .gp scripts behind them)\n"
    "  --pdf               also draw every plot as PDF\n"
    "  --precision X       add replications (doubling the count) until the 95%\n"
    "                      interval of every plan's margin over the horizon is at\n"
    "                      most +-X points and, under a heavy tail, there are as\n"
    "                      many as the tail needs; the count depends only on the\n"
    "                      scenario and seed, and the result is that of one run of\n"
    "                      that size\n"
    "  --stat mean|p5      with --precision: the mean margin (default) or its P5\n"
    "  --max-replications N  with --precision: stop there (default 10000)\n"
    "  --max-memory SIZE   refuse a run whose estimated memory is above SIZE (such\n"
    "                      as 512M or 4G; default: the machine's physical memory)\n";

static const char compare_help[] =
    "usage: tokensim compare FILE [options]\n"
    "\n"
    "Simulates the scenario like 'run' (same options, same output files) and\n"
    "prints its plans side by side on the same customers: revenue, cost, gross\n"
    "margin with its P5..P95 spread, the share of customer-months that cost more\n"
    "than they paid, margin per segment; for each pair of plans the difference\n"
    "in margin and gross profit with its 95% interval, paired replication by\n"
    "replication (and the wider interval it would have without common random\n"
    "numbers); and for a switch from the first plan to each other, how customers'\n"
    "bills would move, by segment, with the largest rises and falls.\n"
    "Options: see 'tokensim run --help'.\n"
    "\n"
    "usage: tokensim compare A.yaml B.yaml [C.yaml ...] [options]\n"
    "\n"
    "Runs each file (every --set applied to each) and puts all their plans side\n"
    "by side, named FILE:PLAN where a name is in more than one file, with each\n"
    "plan's difference from the first plan of A. Files that agree on the keys\n"
    "that decide the customers (seed, replications, horizon_months, customers,\n"
    "usage, sampling, shocks, the features' shares) run on the same customers\n"
    "and their differences are paired replication by replication; otherwise\n"
    "the keys that differ are named and the interval is unpaired. Writes\n"
    "compare.csv and summary.json to --out (default: out/NAME-compare, NAME\n"
    "A's base name).\n";

static const char validate_help[] =
    "usage: tokensim validate FILE [--set PATH=VALUE]...\n"
    "\n"
    "Checks the scenario: yaml syntax, known keys, types, ranges, model names,\n"
    "shares that must add up to 1. Prints one line and exits 0 when it is\n"
    "valid; prints the first problem as FILE:LINE:COLUMN: message and exits 2\n"
    "when it is not.\n";

static const char show_help[] =
    "usage: tokensim show FILE [--set PATH=VALUE]...\n"
    "\n"
    "Prints the scenario as the simulator sees it, every default filled in and\n"
    "every override applied; its hash is the one printed in every output.\n";

static const char cost_help[] =
    "usage: tokensim cost FILE [--set PATH=VALUE]...\n"
    "\n"
    "Prints the cost of one interaction for each feature and model route, and\n"
    "the expected cost of one interaction, from the price table (no simulation).\n";

static const char exercise_help[] =
    "usage: tokensim exercise FILE [options]\n"
    "\n"
    "Works the textbook's five steps for the product the scenario describes, in\n"
    "closed form: (1) every AI call with its tokens, model, price and frequency;\n"
    "(2) cost per user per month; (3) interactions, AI cost, price and margin of\n"
    "the light (P25), medium (P50) and heavy (P90) user; (4) each optimisation's\n"
    "effect (assumptions under the scenario's 'exercise' key) and the margins\n"
    "recomputed; (5) usage-based, tiered, hybrid and outcome-based prices that meet\n"
    "the plan's target margin, and a recommendation with its numbers.\n"
    "Writes exercise.md, exercise.json and exercise.xlsx (cells hold formulas:\n"
    "change an input and the margins follow) to the output folder.\n"
    "\n"
    "options:\n"
    "  --plan NAME         the flat plan whose price and target to use (default:\n"
    "                      the first flat plan)\n"
    "  --out DIR           output folder (default: out/NAME)\n"
    "  --set PATH=VALUE    override any scenario value; may be repeated\n"
    "  --quiet             print nothing on success\n";

static const char keys_help[] =
    "usage: tokensim keys\n"
    "\n"
    "Prints every scenario key with its type, unit, default, allowed values and\n"
    "meaning, as a Markdown table (the reference in docs/scenarios.md).\n";

/* ---- options ------------------------------------------------------------ */

/* "4G", "512M", "100000K" or bytes: a size > 0. */
static bool parse_bytes(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    const char *units = "KMGT";
    const char *u = *end ? strchr(units, *end) : NULL;
    if (end == s || !isfinite(v) || v <= 0 || (*end && (!u || end[1])))
        return false;
    *out = u ? v * pow(1024, (double)(u - units + 1)) : v;
    return true;
}

bool cli_number(const cli *c, int o, double lo, double hi, double def, double *out)
{
    const char *s = c->opt[o];
    if (!s) {
        *out = def;
        return true;
    }
    char *end;
    double v = strtod(s, &end);
    const char *name = "?";
    const cli_command *cmd = cli_command_find(c->cmd);
    for (const cli_option *op = cmd ? cmd->opts : NULL; op && op->name; op++)
        if (op->type == CT_TEXT && op->at == (size_t)o)
            name = op->name;
    if (!*s || *end || !isfinite(v) || v < lo || v > hi) {
        char range[96];
        snprintf(range, sizeof range, "a number in [%g, %g]", lo, hi);
        fprintf(stderr, "tokensim: invalid value for --%s: found '%s', expected %s\n(see 'tokensim %s --help')\n",
                name, s, range, c->cmd);
        return false;
    }
    *out = v;
    return true;
}

/* ---- progress ----------------------------------------------------------- */

/* The engine counts replications done; the line counts from the one running. */
static void on_progress(void *ctx, int done, int total)
{
    cli_progress_show(ctx, done, total);
}

/* ---- commands ----------------------------------------------------------- */

void cli_out_dir(const cli *c, const char *suffix, char *buf, size_t n)
{
    if (c->opt[O_OUT]) {
        snprintf(buf, n, "%s", c->opt[O_OUT]);
        return;
    }
    cli_default_out(c->file, buf, n);
    size_t l = strlen(buf);
    snprintf(buf + l, n - l, "%s", suffix);
}

void cli_default_out(const char *file, char *buf, size_t n)
{
    if (!strcmp(file, "-"))
        file = "stdin";   /* a scenario on standard input: out/stdin */
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t len = strlen(base);
    if (len > 5 && !strcmp(base + len - 5, ".yaml"))
        len -= 5;
    else if (len > 4 && !strcmp(base + len - 4, ".yml"))
        len -= 4;
    snprintf(buf, n, "out/%.*s", (int)len, base);
}

/* The pipeline's options from the command line: --replication within the
 * scenario's count, --precision with its --stat and --max-replications.
 * Returns -1 to go on, or an exit status after the message. */
static int run_options(const cli *c, const scenario *s, pipeline_opts *o)
{
    if (c->replication > s->replications) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%d", c->replication);
        snprintf(b, sizeof b, "%d", s->replications);
        return cli_usage_error("invalid value for --replication: found %s, expected at most %s (the scenario's "
                           "replications)", a, b);
    }
    *o = (pipeline_opts){ .threads = c->threads, .replication = c->replication, .stop = &stop_flag,
                          .version = TS_VERSION, .scenario_file = c->file,
                          .precision = { 0, PRECISION_MEAN, 10000 } };
    precision_opts *popt = &o->precision;
    if (c->opt[O_PRECISION]) {
        double mx;
        if (c->replication)
            return cli_usage_error("--precision adds replications; it does not combine with --replication%s%s", "", "");
        if (!cli_number(c, O_PRECISION, 1e-6, 100, 1, &popt->target)
            || !cli_number(c, O_MAX_REPLICATIONS, s->replications, 100000, s->replications > 10000 ? s->replications
                           : 10000, &mx))
            return TS_EXIT_INPUT;
        popt->max_reps = (int)mx - (s->sampling.antithetic ? (int)mx % 2 : 0);
        if (c->opt[O_STAT]) {
            int k = 0;
            while (precision_stat_names[k] && strcmp(precision_stat_names[k], c->opt[O_STAT]))
                k++;
            if (!precision_stat_names[k])
                return cli_usage_error("invalid value for --stat: found '%s', expected one of: mean, p5%s",
                                       c->opt[O_STAT], "");
            popt->stat = k;
        }
    } else if (c->opt[O_STAT] || c->opt[O_MAX_REPLICATIONS]) {
        return cli_usage_error("%s goes with --precision%s", c->opt[O_STAT] ? "--stat" : "--max-replications", "");
    }
    return -1;
}

/* What run and compare print on success: summary.json, or the tables
 * (compare's side by side instead of run's margin table) and the files. */
static void run_print(const cli *c, const scenario *s, const pipeline *p, const pipeline_opts *o, const char *outdir)
{
    if (c->json) {
        char *j = outputs_summary_json(s, &p->sm, &p->db, &p->pv);
        if (j) {
            puts(j);
            free(j);
        }
        return;
    }
    const precision_opts *popt = &o->precision;
    if (popt->target > 0) {
        printf("precision: the %s margin's 95%% half-width is %.3g points after %d replications (%s: at most "
               "%g", precision_stat_names[popt->stat], p->precision.halfwidth, p->rr.nreps,
               p->precision.reached ? "reached" : "not reached", popt->target);
        if (p->tail.heavy)
            printf(", and at least %d replications for the heavy tail", p->precision.min_reps);
        printf(")%s\n\n", p->precision.reached ? "" : "; raise --max-replications, or try sampling.intensities: stratified");
    }
    if (!strcmp(c->cmd, "compare"))
        compare_print(stdout, s, &p->rr, &p->sm, &p->pv);
    else
        report_print(stdout, s, &p->sm, &p->pv);
    menu_print(stdout, s, &p->sm);
    if (p->sm.nstages)
        waterfall_print(stdout, s, &p->sm);
    if (p->db.nflags || p->sm.nstages || p->db.nagents)
        dashboard_print(stdout, s, &p->db);
    printf("wrote %s/report.html, report.md, monthly.csv, metrics.csv, segments.csv, replications.csv, summary.json, "
           "provenance.json%s\n",
           outdir, p->sm.fin ? ", cohorts.csv, unit_economics.csv" : "");
    if (p->rr.inputs)
        printf("wrote %s/inputs.csv (each replication's draw of the uncertain inputs)\n", outdir);
    if (p->plots.rendered)
        printf("plots: %d pictures in %s/plots (PNG and SVG, with their gnuplot scripts)\n", p->plots.rendered,
               outdir);
    else if (p->plots.scripts)
        printf("plots: %d gnuplot scripts in %s/plots (not rendered)\n", p->plots.scripts, outdir);
}

/* run and compare: one pipeline (sim/analysis/pipeline.h), then the
 * terminal; compare differs only in its tables. */
static int cmd_run(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    pipeline_opts o;
    int rc = run_options(c, s, &o);
    if (rc >= 0)
        return rc;
    char outdir[4096];
    if (c->opt[O_OUT])
        snprintf(outdir, sizeof outdir, "%s", c->opt[O_OUT]);
    else
        cli_default_out(c->file, outdir, sizeof outdir);
    if (c->replication) {
        size_t l = strlen(outdir);
        snprintf(outdir + l, sizeof outdir - l, "/replication-%d", c->replication);
    }
    o.outdir = outdir;
    plot_opts po = cli_plot_options(c, outdir);
    o.plots = c->no_plots ? NULL : &po;

    cli_catch_signals();
    cli_progress pg;
    cli_progress_init(&pg, "replication");
    bool show_progress = cli_progress_wanted(c);
    o.progress = show_progress ? on_progress : NULL;
    o.progress_ctx = &pg;

    pipeline p;
    rc = pipeline_run(s, &o, &p, &err);
    if (p.plotted)
        cli_plot_warn(&p.plots);
    if (rc == TS_ERR_INTERRUPTED) {
        cli_progress_clear(&pg);
        return cli_interrupted(outdir);
    }
    if (rc)
        return cli_fail(&err);
    if (!c->quiet)
        run_print(c, s, &p, &o, outdir);
    pipeline_free(&p);
    return TS_EXIT_OK;
}

static int exercise(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    /* the exercise starts from a flat price, as the textbook's does: its
     * arithmetic is that of the flat type, so it asks for that type by name */
    int p = -1, flat = plan_type_find("flat");
    for (int i = 0; i < s->nplans && p < 0; i++)
        if (c->opt[O_PLAN] ? !strcmp(s->plans[i].name, c->opt[O_PLAN]) : s->plans[i].kind == flat)
            p = i;
    if (p < 0 && c->opt[O_PLAN])
        return cli_usage_error("unknown plan '%s' for --plan: the scenario's first plan is '%s'", c->opt[O_PLAN],
                           s->plans[0].name);
    if (p < 0)
        return cli_usage_error("the exercise starts from a flat price, and %s has no flat plan%s", c->file, "");
    if (s->plans[p].kind != flat)
        return cli_usage_error("the exercise starts from a flat price: plan '%s' is %s", s->plans[p].name,
                           plan_kind_name(s->plans[p].kind));
    exercise_result x;
    if (exercise_compute(s, p, &x, &err))
        return cli_fail(&err);
    char outdir[4096];
    if (c->opt[O_OUT])
        snprintf(outdir, sizeof outdir, "%s", c->opt[O_OUT]);
    else
        cli_default_out(c->file, outdir, sizeof outdir);
    char *md = NULL, *json = exercise_json(&x), path[4300];
    size_t len = 0;
    FILE *f = open_memstream(&md, &len);
    if (!f || !json) {
        free(json);
        return TS_EXIT_RUNTIME;
    }
    exercise_print(f, &x, true);
    fclose(f);
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0) {
        free(md);
        free(json);
        return rc;
    }
    cli_catch_signals();
    snprintf(path, sizeof path, "%s/exercise.md", os.staging);
    rc = ts_file_write(path, md, len, &err);
    if (rc == TS_OK) {
        snprintf(path, sizeof path, "%s/exercise.json", os.staging);
        rc = ts_file_write(path, json, strlen(json), &err);
    }
    if (rc == TS_OK) {
        snprintf(path, sizeof path, "%s/exercise.xlsx", os.staging);
        rc = exercise_write_xlsx(path, &x, &err);
    }
    rc = cli_outset_end(&os, rc, &err);
    free(md);
    free(json);
    if (rc)
        return cli_outset_fail(outdir, rc, &err);
    if (!c->quiet) {
        exercise_print(stdout, &x, false);
        printf("\nwrote %s/exercise.md, exercise.json, exercise.xlsx\n", outdir);
    }
    return TS_EXIT_OK;
}

static int cmd_exercise(cli *c)
{
    return cli_with_scenario(c, exercise);
}

static int simple(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    if (!strcmp(c->cmd, "validate"))
        printf("%s: valid: '%s', %d feature%s, %d plan%s, %d months, %d replications, hash %016llx\n",
               ts_file_name(c->file), s->name, s->nfeatures, s->nfeatures == 1 ? "" : "s", s->nplans,
               s->nplans == 1 ? "" : "s", s->horizon, s->replications, (unsigned long long)s->hash);
    else if (!strcmp(c->cmd, "show")) {
        printf("# resolved by tokensim %s from %s; hash %016llx\n", TS_VERSION, ts_file_name(c->file),
               (unsigned long long)s->hash);
        scenario_write(stdout, s);
    } else
        report_print_costs(stdout, s);
    return TS_EXIT_OK;
}

static int cmd_simple(cli *c)
{
    return cli_with_scenario(c, simple);
}

static int cmd_keys(cli *c)
{
    (void)c;
    scenario_write_reference(stdout);
    return TS_EXIT_OK;
}

/* ---- the commands and their options -------------------------------------
 * Adding a command: its table of options (the CLI_OPT_* of cli.h, or
 * CLI_OPT_VALUE for one of its own with an O_ slot) and one line in
 * cli_commands; sim/cli/README.md says more. */

#define GRID_OPTS CLI_OPT_OUT, CLI_OPT_REPLICATIONS, CLI_OPT_SEED, CLI_OPT_THREADS, CLI_OPT_SET, CLI_OPT_QUIET, \
                  CLI_OPT_NO_PROGRESS, CLI_OPT_NO_PLOTS, CLI_OPT_PDF, CLI_OPT_JSON, CLI_OPT_MAX_MEMORY
static const cli_option run_opts[] = {
    CLI_OPT_OUT, CLI_OPT_REPLICATIONS, CLI_OPT_SEED, CLI_OPT_THREADS, CLI_OPT_SET, CLI_OPT_REPLICATION, CLI_OPT_JSON,
    CLI_OPT_QUIET, CLI_OPT_NO_PROGRESS, CLI_OPT_NO_PLOTS, CLI_OPT_PDF,
    CLI_OPT_VALUE("precision", O_PRECISION, "X", "add replications until the margin's interval is +-X points"),
    CLI_OPT_VALUE("max-replications", O_MAX_REPLICATIONS, "N", "with --precision: stop there"),
    CLI_OPT_VALUE("stat", O_STAT, "mean|p5", "with --precision: the statistic to pin down"),
    CLI_OPT_MAX_MEMORY, CLI_OPT_END
};
static const cli_option sweep_opts[] = {
    GRID_OPTS, CLI_OPT_MULTI("vary", "PATH=FROM:TO:STEP", "a value to sweep (once or twice)"), CLI_OPT_END
};
static const cli_option stress_opts[] = { GRID_OPTS, CLI_OPT_END };
static const cli_option tornado_opts[] = {
    GRID_OPTS, CLI_OPT_MULTI("param", "PATH[=LO:HI]", "a parameter to swing"),
    CLI_OPT_VALUE("pct", O_PCT, "P", "swing each parameter by P percent"), CLI_OPT_PLAN, CLI_OPT_END
};
static const cli_option sobol_opts[] = {
    GRID_OPTS, CLI_OPT_PLAN, CLI_OPT_VALUE("points", O_POINTS, "N", "base samples of the Saltelli design"), CLI_OPT_END
};
static const cli_option memo_opts[] = {
    CLI_OPT_OUT, CLI_OPT_REPLICATIONS, CLI_OPT_SEED, CLI_OPT_THREADS, CLI_OPT_SET, CLI_OPT_QUIET, CLI_OPT_PLAN,
    CLI_OPT_VALUE("points", O_POINTS, "N", "Sobol base samples"), CLI_OPT_END
};
static const cli_option solve_opts[] = {
    GRID_OPTS, CLI_OPT_PLAN, CLI_OPT_VALUE("for", O_FOR, "PATH", "the value to solve for"),
    CLI_OPT_VALUE("target", O_TARGET, "M", "the margin to meet"),
    CLI_OPT_VALUE("stat", O_STAT, "STAT", "the statistic of the margin to hold to the target"),
    CLI_OPT_VALUE("range", O_RANGE, "LO:HI", "where to search"), CLI_OPT_END
};
static const cli_option quota_opts[] = {
    GRID_OPTS, CLI_OPT_PLAN, CLI_OPT_VALUE("at", O_AT, "P", "the usage percentile the quota covers"),
    CLI_OPT_VALUE("check", O_CHECK, "N", "check a quota of N"),
    CLI_OPT_VALUE("target", O_TARGET, "M", "the margin to meet"), CLI_OPT_END
};
static const cli_option optimize_opts[] = {
    GRID_OPTS, CLI_OPT_PLAN, CLI_OPT_MULTI("vary", "PATH=FROM:TO:STEP", "a plan value to choose"),
    CLI_OPT_VALUE("max-risk", O_MAX_RISK, "P", "the most risk allowed"),
    CLI_OPT_VALUE("risk-below", O_RISK_BELOW, "M", "the margin the risk is of ending below"),
    CLI_OPT_VALUE("points", O_POINTS, "N", "points per value"), CLI_OPT_END
};
static const cli_option sampling_opts[] = {
    CLI_OPT_REPLICATIONS, CLI_OPT_SEED, CLI_OPT_THREADS, CLI_OPT_SET, CLI_OPT_QUIET, CLI_OPT_NO_PROGRESS,
    CLI_OPT_MAX_MEMORY, CLI_OPT_END
};
static const cli_option exercise_opts[] = { CLI_OPT_OUT, CLI_OPT_PLAN, CLI_OPT_SET, CLI_OPT_QUIET, CLI_OPT_END };
static const cli_option set_only_opts[] = { CLI_OPT_SET, CLI_OPT_END };
static const cli_option survey_opts[] = {
    CLI_OPT_OUT, CLI_OPT_JSON, CLI_OPT_QUIET, CLI_OPT_NO_PLOTS, CLI_OPT_PDF, CLI_OPT_END
};
static const cli_option no_opts[] = { CLI_OPT_END };
static const cli_option generate_logs_opts[] = {
    CLI_OPT_OUT, CLI_OPT_REPLICATION, CLI_OPT_SEED, CLI_OPT_SET, CLI_OPT_QUIET, CLI_OPT_END
};
/* fit, replay and catalog parse their own arguments, in long form */
static const cli_option fit_opts[] = {
    CLI_OWN_VALUE("out", 'o', "DIR", "output folder"), CLI_OWN_VALUE("db", 0, "URL", "a database to read"),
    CLI_OWN_VALUE("table", 0, "NAME", "the table to read"), CLI_OWN_VALUE("query", 0, "SQL", "the query to read"),
    CLI_OWN_VALUE("preset", 0, "NAME", "a known log format"), CLI_OWN_VALUE("map", 0, "MAP", "the columns' roles"),
    CLI_OWN_VALUE("bootstrap", 0, "N", "bootstrap resamples"),
    CLI_OWN_VALUE("seed", 's', "S", "seed of the bootstrap"), CLI_OWN_VALUE("threads", 'j', "T", "worker threads"),
    CLI_OWN_VALUE("catalog", 0, "NAME", "the price catalog"), CLI_OWN_FLAG("json", 0, "print JSON on stdout"),
    CLI_OWN_FLAG("emit-scenario", 0, "print the fitted scenario"), CLI_OWN_FLAG("no-plots", 0, "write no plots"),
    CLI_OWN_FLAG("pdf", 0, "also draw every plot as PDF"), CLI_OWN_FLAG("quiet", 'q', "print nothing on success"),
    CLI_OWN_FLAG("discrete", 0, "fit the discrete law"), CLI_OWN_FLAG("continuous", 0, "fit the continuous law"),
    CLI_OPT_END
};
static const cli_option replay_opts[] = {
    CLI_OWN_VALUE("out", 'o', "DIR", "output folder"), CLI_OWN_VALUE("db", 0, "URL", "a database to read"),
    CLI_OWN_VALUE("table", 0, "NAME", "the table to read"), CLI_OWN_VALUE("query", 0, "SQL", "the query to read"),
    CLI_OWN_VALUE("preset", 0, "NAME", "a known log format"), CLI_OWN_VALUE("map", 0, "MAP", "the columns' roles"),
    CLI_OWN_VALUE("bootstrap", 0, "N", "bootstrap resamples"),
    CLI_OWN_VALUE("seed", 's', "S", "seed of the bootstrap"), CLI_OWN_VALUE("set", 'D', "PATH=VALUE",
    "override a scenario value"), CLI_OWN_FLAG("json", 0, "print JSON on stdout"),
    CLI_OWN_FLAG("quiet", 'q', "print nothing on success"),
    CLI_OWN_FLAG("logged-cost", 0, "use the cost the log recorded"), CLI_OPT_END
};
static const cli_option diff_opts[] = {
    CLI_OWN_FLAG("json", 0, "print the difference as JSON instead of tables"), CLI_OPT_END
};
static const cli_option catalog_opts[] = {
    CLI_OWN_VALUE("out", 'o', "FILE", "write the catalog there"),
    CLI_OWN_VALUE("only", 0, "TEXT", "keep models whose name contains TEXT"),
    CLI_OWN_VALUE("date", 0, "DATE", "stamp the catalog"), CLI_OPT_END
};

const cli_command cli_commands[] = {
    { "run", "FILE", run_help, run_opts, NULL, NULL },
    { "compare", "FILE", compare_help, run_opts, NULL, NULL },
    { "sweep", "FILE", sweep_help, sweep_opts, cmd_sweep, NULL },
    { "stress", "FILE", stress_help, stress_opts, cmd_stress, NULL },
    { "tornado", "FILE", tornado_help, tornado_opts, cmd_tornado, NULL },
    { "sobol", "FILE", sobol_help, sobol_opts, cmd_sobol, NULL },
    { "memo", "FILE", memo_help, memo_opts, cmd_memo, NULL },
    { "solve", "FILE", solve_help, solve_opts, cmd_solve, NULL },
    { "quota", "FILE", quota_help, quota_opts, cmd_quota, NULL },
    { "optimize", "FILE", optimize_help, optimize_opts, cmd_optimize, NULL },
    { "sampling", "FILE", sampling_help, sampling_opts, cmd_sampling, NULL },
    { "exercise", "FILE", exercise_help, exercise_opts, cmd_exercise, NULL },
    { "validate", "FILE", validate_help, set_only_opts, cmd_simple, NULL },
    { "show", "FILE", show_help, set_only_opts, cmd_simple, NULL },
    { "cost", "FILE", cost_help, set_only_opts, cmd_simple, NULL },
    { "keys", "", keys_help, no_opts, cmd_keys, NULL },
    { "catalog", "list|show NAME|import FILE", catalog_help, catalog_opts, NULL, cmd_catalog },
    { "fit", "SOURCE", fit_help, fit_opts, NULL, cmd_fit },
    { "generate-logs", "FILE", generate_logs_help, generate_logs_opts, cmd_generate_logs, NULL },
    { "replay", "SOURCE FILE", replay_help, replay_opts, NULL, cmd_replay },
    { "survey", "FILE.csv", survey_help, survey_opts, cmd_survey, NULL },
    { "diff", "SUMMARY_A SUMMARY_B", diff_help, diff_opts, NULL, cmd_diff },
    { NULL, NULL, NULL, NULL, NULL, NULL }
};

/* An unknown command's message, with the nearest name. */
static int unknown_command(const char *name)
{
    const char *best = NULL;
    int bd = 99;
    for (const cli_command *k = cli_commands; k->name; k++) {
        int d = schema_distance(name, k->name);
        if (d < bd) {
            bd = d;
            best = k->name;
        }
    }
    if (bd <= 2)
        return cli_usage_error("unknown command '%s' (did you mean '%s'?)", name, best);
    return cli_usage_error("unknown command '%s'%s", name, "");
}

/* `tokensim help [COMMAND]`, --help, -h, --version, -V and the lists for
 * the completions. Returns -1 when argv[1] is none of them. */
static int dispatch_top(int argc, char **argv)
{
    const char *a = argv[1];
    if (!strcmp(a, "--help") || !strcmp(a, "-h") || (!strcmp(a, "help") && argc == 2)) {
        fputs(main_help, stdout);
        return TS_EXIT_OK;
    }
    if (!strcmp(a, "help")) {
        const cli_command *k = cli_command_find(argv[2]);
        if (!k)
            return unknown_command(argv[2]);
        cli_help_print(stdout, k);
        return TS_EXIT_OK;
    }
    if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
        printf("tokensim %s\n", TS_VERSION);
        return TS_EXIT_OK;
    }
    if (!strcmp(a, "--complete-commands") || !strcmp(a, "--complete-options"))
        return cli_complete(a, argc > 2 ? argv[2] : NULL);
    return -1;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_help, stderr);
        return TS_EXIT_INPUT;
    }
    int rc = dispatch_top(argc, argv);
    if (rc >= 0)
        return rc;
    const cli_command *k = cli_command_find(argv[1]);
    if (!k)
        return unknown_command(argv[1]);
    cli c = { .cmd = k->name };
    if (k->own) {
        /* commands with no replications: rank 0 alone does them */
        char **canon = calloc(cli_canon_size(argc, argv), sizeof *canon);
        int n = 0;
        if (!canon)
            return TS_EXIT_RUNTIME;
        rc = cli_parse(&c, k, argc, argv, canon, &n);
        if (rc < 0)
            rc = ranks_rank() > 0 ? TS_EXIT_OK : k->own(n, canon);
        free(canon);
        return rc;
    }
    rc = cli_parse(&c, k, argc, argv, NULL, NULL);
    if (rc >= 0)
        return rc;
    cli_ranks_quiet(&c);
    if (c.opt[O_MAX_MEMORY]) {
        double bytes;
        if (!parse_bytes(c.opt[O_MAX_MEMORY], &bytes))
            return cli_usage_error("invalid value for --max-memory: found '%s', expected a size such as 512M or 4G%s",
                                   c.opt[O_MAX_MEMORY], "");
        engine_memory_limit_set(bytes);
    }
    if (c.nfiles)
        return cmd_compare_files(&c);
    if (!k->fn)
        return cli_with_scenario(&c, cmd_run);
    /* commands that simulate many times count their simulations here */
    cli_progress pg;
    cli_progress_init(&pg, "simulation");
    probe_meter_set(cli_progress_wanted(&c) ? &pg.meter : NULL);
    rc = k->fn(&c);
    probe_meter_set(NULL);
    cli_progress_clear(&pg);
    return rc;
}

/* What coreutils' close_stdout does: output cut short (a full disk) is a
 * failure with a message; a reader that went away (`| head`) ends the
 * program quietly, as SIGPIPE would have. */
static int close_stdout(int rc)
{
    if (fflush(stdout) == 0 && !ferror(stdout) && fclose(stdout) == 0)
        return rc;
    if (errno == EPIPE) {
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
        return rc ? rc : TS_EXIT_RUNTIME;
    }
    fprintf(stderr, "tokensim: error writing standard output: %s\n", errno ? strerror(errno) : "write error");
    return rc ? rc : TS_EXIT_RUNTIME;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    int rc = cli_ranks_begin(&argc, &argv);
    if (rc == TS_EXIT_OK)
        rc = dispatch(argc, argv);
    cli_ranks_end();
    return close_stdout(rc);
}
