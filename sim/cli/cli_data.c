/* cli_data.c: `tokensim fit SOURCE` and `tokensim generate-logs SCENARIO`: reads usage data (a file or a
 * database), fits the usage law and the token laws, prints the table and
 * writes fit.json, usage.yaml, scenario.yaml and the plots. It parses its
 * own options, as `catalog` does: a source is not a scenario. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_help.h"
#include "sim/analysis/fit_data.h"
#include "sim/analysis/fit_out.h"
#include "sim/analysis/genlogs.h"
#include "sim/core/fileio.h"

typedef struct fit_args {
    fit_opts o;
    const char *out, *seed, *boot, *threads;
    bool json, emit, no_plots, pdf, quiet;
} fit_args;

static int parse_number(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end;
    double x = v ? strtod(v, &end) : 0;
    if (!v || end == v || *end || !(x >= lo && x <= hi) || x != (double)(long long)x) {
        char want[64];
        snprintf(want, sizeof want, "a whole number from %.0f to %.0f", lo, hi);
        fprintf(stderr, "tokensim: invalid value for %s: found '%s', expected %s\n(see 'tokensim fit --help')\n",
                opt, v ? v : "", want);
        return TS_EXIT_INPUT;
    }
    *out = x;
    return -1;
}

static int parse_fit(fit_args *a, int argc, char **argv)
{
    a->o.discrete = -1;
    a->o.seed = 1;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char **slot = !strcmp(s, "--out") ? &a->out : !strcmp(s, "--db") ? &a->o.db
                          : !strcmp(s, "--table") ? &a->o.table : !strcmp(s, "--query") ? &a->o.query
                          : !strcmp(s, "--preset") ? &a->o.data.preset : !strcmp(s, "--map") ? &a->o.data.map
                          : !strcmp(s, "--bootstrap") ? &a->boot : !strcmp(s, "--seed") ? &a->seed
                          : !strcmp(s, "--threads") ? &a->threads : !strcmp(s, "--catalog") ? &a->o.catalog : NULL;
        bool *flag = !strcmp(s, "--json") ? &a->json : !strcmp(s, "--emit-scenario") ? &a->emit
                   : !strcmp(s, "--no-plots") ? &a->no_plots : !strcmp(s, "--pdf") ? &a->pdf
                   : !strcmp(s, "--quiet") ? &a->quiet : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return cli_usage_error("option '%s' needs a value%s", s, "");
            *slot = argv[++i];
        } else if (flag) {
            *flag = true;
        } else if (!strcmp(s, "--discrete") || !strcmp(s, "--continuous")) {
            a->o.discrete = s[2] == 'd';
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("unknown option '%s' for 'tokensim fit'%s", s, "");
        } else if (a->o.path) {
            return cli_usage_error("unexpected argument '%s'%s", s, " (one source at a time)");
        } else {
            a->o.path = s;
        }
    }
    if (!a->o.path == !a->o.db)
        return cli_usage_error(a->o.path ? "a file and --db '%s' both name a source%s" : "missing source: 'tokensim "
                               "fit FILE' or 'tokensim fit --db URL --table NAME'%s%s", a->o.db ? a->o.db : "", "");
    if (a->o.db && !a->o.table == !a->o.query)
        return cli_usage_error("--db needs one of --table NAME and --query SQL%s%s", "", "");
    if (!a->o.db && (a->o.table || a->o.query))
        return cli_usage_error("%s goes with --db URL%s", a->o.table ? "--table" : "--query", "");
    double v;
    int rc;
    if (a->boot && (rc = parse_number("--bootstrap", a->boot, 0, 1e6, &v)) >= 0)
        return rc;
    a->o.nboot = a->boot ? (int)v : 0;
    if (a->seed && (rc = parse_number("--seed", a->seed, 0, 9007199254740992.0, &v)) >= 0)
        return rc;
    if (a->seed)
        a->o.seed = (uint64_t)v;
    if (a->threads && (rc = parse_number("--threads", a->threads, 1, 1024, &v)) >= 0)
        return rc;
    a->o.threads = a->threads ? (int)v : 0;
    return -1;
}

/* out/NAME-fit: NAME is the file's base name up to its first dot, or the table. */
static void default_out(const fit_args *a, char *buf, size_t n)
{
    const char *name = a->o.table ? a->o.table : a->o.query ? "query" : a->o.path;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t len = strcspn(base, ".");
    snprintf(buf, n, "out/%.*s-fit", (int)(len ? len : strlen(base)), base);
}

int cmd_fit(int argc, char **argv)
{
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(fit_help, stdout);
            return TS_EXIT_OK;
        }
    fit_args a = { 0 };
    int rc = parse_fit(&a, argc, argv);
    if (rc >= 0)
        return rc;
    cli_catch_signals();
    a.o.stop = (volatile int *)&stop_flag;
    char src_name[300];
    if (a.o.db)
        snprintf(src_name, sizeof src_name, "%s", a.o.table ? a.o.table : "query");
    else
        snprintf(src_name, sizeof src_name, "%s", a.o.path);
    fit_source src = { src_name, TS_VERSION, a.o.seed };
    ts_error err;
    ts_error_clear(&err);
    fit_report r;
    if (fit_run(&a.o, &r, &err)) {
        fit_report_free(&r);
        if (err.code == TS_ERR_INTERRUPTED)
            return cli_interrupted(a.out ? a.out : "out");
        return cli_fail(&err);
    }
    char outdir[4096];
    if (a.out)
        snprintf(outdir, sizeof outdir, "%s", a.out);
    else
        default_out(&a, outdir, sizeof outdir);
    char *texts[3] = { fit_json(&r, &src), fit_scenario_yaml(&r, &src, false), fit_scenario_yaml(&r, &src, true) };
    const char *names[3] = { "fit.json", "usage.yaml", "scenario.yaml" };
    int nfiles = texts[1] ? 3 : 1;
    rc = cli_write_files(outdir, names, texts, nfiles, &err);
    cli c = { .cmd = "fit", .pdf = a.pdf };
    plot_opts po = cli_plot_options(&c, outdir);
    plot_report rep = { 0 };
    if (rc == TS_OK && !a.no_plots)
        rc = fit_plots_write(&r, &src, &po, &rep, &err);
    if (rc == TS_OK) {
        cli_plot_warn(&rep);
        if (a.json)
            puts(texts[0]);
        else if (a.emit && texts[2])
            fputs(texts[2], stdout);
        else if (!a.quiet) {
            fit_print(stdout, &r, &src);
            printf("\nwrote %s/fit.json%s\n", outdir, nfiles == 3 ? ", usage.yaml, scenario.yaml" : "");
            if (rep.rendered)
                printf("plots: %d pictures in %s/plots (PNG and SVG, with their gnuplot scripts)\n", rep.rendered,
                       outdir);
            else if (rep.scripts)
                printf("plots: %d gnuplot scripts in %s/plots (not rendered)\n", rep.scripts, outdir);
        }
    }
    for (int i = 0; i < 3; i++)
        free(texts[i]);
    fit_report_free(&r);
    if (rc)
        return cli_fail(&err);
    return fflush(stdout) ? TS_EXIT_RUNTIME : TS_EXIT_OK;
}

/* ---- generate-logs ---- */

/* prices.date's year and month, or January 2026 */
static void start_month(const scenario *s, genlogs_opts *o)
{
    int y, m;
    if (sscanf(s->prices.date, "%4d-%2d", &y, &m) == 2 && y >= 1970 && y <= 9999 && m >= 1 && m <= 12) {
        o->start_year = y;
        o->start_month = m;
    } else {
        o->start_year = 2026;
        o->start_month = 1;
    }
}

static int generate_logs(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    if (c->replication > s->replications) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%d", c->replication);
        snprintf(b, sizeof b, "%d", s->replications);
        return cli_usage_error("invalid value for --replication: found %s, expected at most %s (the scenario's "
                               "replications)", a, b);
    }
    genlogs_opts o = { .replication = c->replication ? c->replication - 1 : 0 };
    start_month(s, &o);
    char *text;
    size_t len;
    genlogs_summary sum;
    if (genlogs_make(s, &o, &text, &len, &sum, &err))
        return cli_fail(&err);
    const char *out = c->opt[O_OUT];
    int rc = TS_OK;
    if (out)
        rc = ts_file_write(out, text, len, &err);
    else if (fwrite(text, 1, len, stdout) != len)
        rc = ts_error_set(&err, TS_ERR_RUNTIME, NULL, 0, 0, "cannot write the log to standard output");
    free(text);
    if (rc)
        return cli_fail(&err);
    if (out && !c->quiet)
        printf("wrote %s: %zu requests of %zu customers, replication %d, $%.2f at catalog prices "
               "(the engine counted %.10g interactions)\n", out, sum.rows, sum.customers, o.replication + 1,
               sum.spend, sum.interactions);
    return fflush(stdout) ? TS_EXIT_RUNTIME : TS_EXIT_OK;
}

int cmd_generate_logs(cli *c)
{
    return cli_with_scenario(c, generate_logs);
}
