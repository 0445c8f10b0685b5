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
    "  sweep FILE      run over a grid of one or two scenario values\n"
    "  stress FILE     run a battery of shocks against the baseline\n"
    "  tornado FILE    rank parameters by their effect on the margin\n"
    "  sobol FILE      Sobol indices of the margin over the uncertain inputs\n"
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
    "\n"
    "  tokensim COMMAND --help   options of a command\n"
    "  tokensim --version        the version\n"
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
    "Options: see 'tokensim run --help'.\n";

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


/* Every option, whether it is a flag, and the single-valued slot it fills
 * (-1: handled apart). */
static const struct optdef {
    const char *name;
    bool flag;
    int slot;
} opts[] = {
    { "--out", false, O_OUT }, { "--replications", false, -1 }, { "--seed", false, -1 },
    { "--threads", false, O_THREADS }, { "--set", false, -1 }, { "--replication", false, O_REPLICATION },
    { "--json", true, -1 }, { "--quiet", true, -1 }, { "--no-progress", true, -1 }, { "--no-plots", true, -1 },
    { "--pdf", true, -1 }, { "--plan", false, O_PLAN }, { "--vary", false, -1 }, { "--param", false, -1 },
    { "--target", false, O_TARGET }, { "--stat", false, O_STAT }, { "--for", false, O_FOR },
    { "--range", false, O_RANGE }, { "--pct", false, O_PCT }, { "--at", false, O_AT }, { "--check", false, O_CHECK },
    { "--max-risk", false, O_MAX_RISK }, { "--risk-below", false, O_RISK_BELOW },
    { "--precision", false, O_PRECISION }, { "--max-replications", false, O_MAX_REPLICATIONS },
    { "--points", false, O_POINTS }, { "--max-memory", false, O_MAX_MEMORY },
};
#define NOPTS ((int)(sizeof opts / sizeof opts[0]))

static const struct optdef *find_opt(const char *name)
{
    for (int i = 0; i < NOPTS; i++)
        if (!strcmp(opts[i].name, name))
            return &opts[i];
    return NULL;
}

static bool allowed(const char *list, const char *name)
{
    char key[72];
    snprintf(key, sizeof key, " %s ", name);
    return strstr(list, key) != NULL;
}

/* The nearest option the command takes, for "did you mean". */
static const char *nearest_opt(const char *list, const char *arg)
{
    const char *best = NULL;
    int bd = 99;
    for (int i = 0; i < NOPTS; i++) {
        if (!allowed(list, opts[i].name))
            continue;
        int d = schema_distance(arg, opts[i].name);
        if (d < bd) {
            bd = d;
            best = opts[i].name;
        }
    }
    return bd <= 3 ? best : NULL;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

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
    for (int i = 0; i < NOPTS; i++)
        if (opts[i].slot == o)
            name = opts[i].name;
    if (!*s || *end || !isfinite(v) || v < lo || v > hi) {
        char range[96];
        snprintf(range, sizeof range, "a number in [%g, %g]", lo, hi);
        fprintf(stderr, "tokensim: invalid value for %s: found '%s', expected %s\n(see 'tokensim %s --help')\n",
                name, s, range, c->cmd);
        return false;
    }
    *out = v;
    return true;
}

static void parse_flag(cli *c, const char *name)
{
    if (!strcmp(name, "--json"))
        c->json = true;
    else if (!strcmp(name, "--quiet"))
        c->quiet = true;
    else if (!strcmp(name, "--no-plots"))
        c->no_plots = true;
    else if (!strcmp(name, "--pdf"))
        c->pdf = true;
    else
        c->no_progress = true;
}

/* Stores option `name`'s value. Returns -1 to go on, or an exit status. */
static int parse_value(cli *c, const struct optdef *od, const char *name, const char *val)
{
    long v;
    if (!strcmp(name, "--set")) {
        if (c->nsets == MAX_SETS)
            return cli_usage_error("too many --set options%s%s", "", "");
        c->sets[c->nsets++] = val;
    } else if (!strcmp(name, "--vary") || !strcmp(name, "--param")) {
        if (c->nvary == MAX_MULTI)
            return cli_usage_error("too many %s options%s", name, "");
        c->vary[c->nvary++] = val;
    } else if (!strcmp(name, "--out") && !*val) {
        return cli_usage_error("invalid value for --out: expected a folder%s%s", "", "");
    } else if (!strcmp(name, "--threads")) {
        if (!parse_long(val, 0, 1024, &v))
            return cli_usage_error("invalid value for --threads: found '%s', expected a whole number in [0, 1024]%s",
                               val, "");
        c->threads = (int)v;
    } else if (!strcmp(name, "--replication")) {
        if (!parse_long(val, 1, INT_MAX, &v))
            return cli_usage_error("invalid value for --replication: found '%s', expected a whole number >= 1%s",
                               val, "");
        c->replication = (int)v;
    } else if (od->slot >= 0) {
        c->opt[od->slot] = val;
    } else {
        /* --replications and --seed are overrides of the file's keys */
        const char *key = !strcmp(name, "--seed") ? "seed" : "replications";
        if (c->nowned == 4 || c->nsets == MAX_SETS)
            return cli_usage_error("too many options%s%s", "", "");
        snprintf(c->owned[c->nowned], sizeof c->owned[0], "%s=%s", key, val);
        c->sets[c->nsets++] = c->owned[c->nowned++];
    }
    return -1;
}

/* Parses options after the command; `list` holds the options it takes, each
 * between spaces. Returns -1 to go on, or an exit status. */
static int parse(cli *c, int argc, char **argv, const char *list, bool takes_file)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == 0) {
            if (!takes_file || c->file)
                return cli_usage_error("unexpected argument '%s'%s", a, c->file ? " (one scenario file at a time)" : "");
            c->file = a;
            continue;
        }
        char name[64];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        if (eq && strncmp(a, "--set", 5) != 0) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            val = eq + 1;
        } else if (eq) {
            /* --set=PATH=VALUE */
            snprintf(name, sizeof name, "--set");
            val = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", a);
        }
        const struct optdef *od = find_opt(name);
        if (!od || !allowed(list, name)) {
            const char *near = nearest_opt(list, name);
            if (od)
                return cli_usage_error("option '%s' does not apply to 'tokensim %s'", name, c->cmd);
            if (near)
                return cli_usage_error("unknown option '%s' (did you mean '%s'?)", name, near);
            return cli_usage_error("unknown option '%s'%s", name, "");
        }
        if (od->flag) {
            if (val)
                return cli_usage_error("option '%s' takes no value%s", name, "");
            parse_flag(c, name);
            continue;
        }
        if (!val) {
            if (i + 1 >= argc)
                return cli_usage_error("option '%s' needs a value%s", name, "");
            val = argv[++i];
        }
        int rc = parse_value(c, od, name, val);
        if (rc >= 0)
            return rc;
    }
    if (takes_file && !c->file)
        return cli_usage_error("missing scenario file: 'tokensim %s FILE'%s", c->cmd, "");
    return -1;
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
    if (p->sm.nstages)
        waterfall_print(stdout, s, &p->sm);
    if (p->db.nflags || p->sm.nstages || p->db.nagents)
        dashboard_print(stdout, s, &p->db);
    printf("wrote %s/report.html, report.md, monthly.csv, metrics.csv, segments.csv, replications.csv, summary.json, "
           "provenance.json%s\n",
           outdir, p->rr.inputs ? ", inputs.csv" : "");
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
        printf("%s: valid: '%s', %d feature%s, %d plan%s, %d months, %d replications, hash %016llx\n", c->file,
               s->name, s->nfeatures, s->nfeatures == 1 ? "" : "s", s->nplans, s->nplans == 1 ? "" : "s", s->horizon,
               s->replications, (unsigned long long)s->hash);
    else if (!strcmp(c->cmd, "show")) {
        printf("# resolved by tokensim %s from %s; hash %016llx\n", TS_VERSION, c->file, (unsigned long long)s->hash);
        scenario_write(stdout, s);
    } else
        report_print_costs(stdout, s);
    return TS_EXIT_OK;
}

static int cmd_simple(cli *c)
{
    return cli_with_scenario(c, simple);
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_help, stderr);
        return TS_EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(main_help, stdout);
        return TS_EXIT_OK;
    }
    /* commands with no replications: rank 0 alone does them */
    if (!strcmp(cmd, "catalog"))
        return ranks_rank() > 0 ? TS_EXIT_OK : cmd_catalog(argc, argv);
    if (!strcmp(cmd, "fit"))
        return ranks_rank() > 0 ? TS_EXIT_OK : cmd_fit(argc, argv);
    if (!strcmp(cmd, "replay"))
        return ranks_rank() > 0 ? TS_EXIT_OK : cmd_replay(argc, argv);
    if (!strcmp(cmd, "--version")) {
        printf("tokensim %s\n", TS_VERSION);
        return TS_EXIT_OK;
    }
#define RUN_OPTS " --out --replications --seed --threads --set --replication --json --quiet --no-progress " \
                 "--no-plots --pdf --precision --max-replications --stat --max-memory "
#define GRID_OPTS " --out --replications --seed --threads --set --quiet --no-plots --pdf --json --max-memory "
    static const struct {
        const char *name, *help, *opts;
        int (*fn)(cli *);
    } cmds[] = {
        { "run", run_help, RUN_OPTS, NULL },
        { "compare", compare_help, RUN_OPTS, NULL },
        { "sweep", sweep_help, GRID_OPTS "--vary ", cmd_sweep },
        { "stress", stress_help, GRID_OPTS, cmd_stress },
        { "tornado", tornado_help, GRID_OPTS "--param --pct --plan ", cmd_tornado },
        { "sobol", sobol_help, GRID_OPTS "--plan --points ", cmd_sobol },
        { "solve", solve_help, GRID_OPTS "--plan --for --target --stat --range ", cmd_solve },
        { "quota", quota_help, GRID_OPTS "--plan --at --check --target ", cmd_quota },
        { "optimize", optimize_help, GRID_OPTS "--plan --vary --max-risk --risk-below --points ", cmd_optimize },
        { "sampling", sampling_help, " --replications --seed --threads --set --quiet --max-memory ", cmd_sampling },
        { "exercise", exercise_help, " --out --plan --set --quiet ", cmd_exercise },
        { "validate", validate_help, " --set ", cmd_simple },
        { "show", show_help, " --set ", cmd_simple },
        { "cost", cost_help, " --set ", cmd_simple },
        { "generate-logs", generate_logs_help, " --out --replication --seed --set --quiet ", cmd_generate_logs },
        { "keys", keys_help, " ", NULL },
    };
    int which = -1;
    const int ncmds = (int)(sizeof cmds / sizeof cmds[0]);
    for (int i = 0; i < ncmds; i++)
        if (!strcmp(cmd, cmds[i].name))
            which = i;
    if (which < 0) {
        const char *best = NULL;
        int bd = 99;
        for (int i = 0; i < ncmds; i++) {
            int d = schema_distance(cmd, cmds[i].name);
            if (d < bd) {
                bd = d;
                best = cmds[i].name;
            }
        }
        if (bd <= 2)
            return cli_usage_error("unknown command '%s' (did you mean '%s'?)", cmd, best);
        return cli_usage_error("unknown command '%s'%s", cmd, "");
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(cmds[which].help, stdout);
            return TS_EXIT_OK;
        }
    cli c = { .cmd = cmd };
    bool is_keys = !strcmp(cmd, "keys");
    int rc = parse(&c, argc, argv, cmds[which].opts, !is_keys);
    if (rc >= 0)
        return rc;
    cli_ranks_quiet(&c);
    if (is_keys) {
        scenario_write_reference(stdout);
        return TS_EXIT_OK;
    }
    if (c.opt[O_MAX_MEMORY]) {
        double bytes;
        if (!parse_bytes(c.opt[O_MAX_MEMORY], &bytes))
            return cli_usage_error("invalid value for --max-memory: found '%s', expected a size such as 512M or 4G%s",
                                   c.opt[O_MAX_MEMORY], "");
        engine_memory_limit_set(bytes);
    }
    if (!cmds[which].fn)
        return cli_with_scenario(&c, cmd_run);
    /* commands that simulate many times count their simulations here */
    cli_progress pg;
    cli_progress_init(&pg, "simulation");
    probe_meter_set(cli_progress_wanted(&c) ? &pg.meter : NULL);
    rc = cmds[which].fn(&c);
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
