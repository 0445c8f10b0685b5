/* cli_replay.c: `tokensim replay SOURCE SCENARIO`: the logged requests of
 * SOURCE (a file or a database, read as `fit` reads them) re-priced under
 * each plan of SCENARIO; prints the tables and writes replay.csv,
 * segments.csv, replay.json and the report into one output set. It parses its own options, as `fit` does: it takes a source
 * and a scenario. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_help.h"
#include "sim/analysis/replay.h"

typedef struct replay_args {
    replay_opts o;
    const char *out, *boot, *seed, *scenario_file;
    const char *sets[MAX_SETS];
    int nsets;
    bool json, quiet;
} replay_args;

static int whole(const char *opt, const char *v, double hi, double *out)
{
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end || !(x >= 0 && x <= hi) || x != (double)(long long)x) {
        fprintf(stderr, "tokensim: invalid value for %s: found '%s', expected a whole number from 0 to %.0f\n"
                "(see 'tokensim replay --help')\n", opt, v, hi);
        return TS_EXIT_INPUT;
    }
    *out = x;
    return -1;
}

static int parse_replay(replay_args *a, int argc, char **argv)
{
    a->o.bootstrap = 200;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char **slot = !strcmp(s, "--out") ? &a->out : !strcmp(s, "--db") ? &a->o.db
                          : !strcmp(s, "--table") ? &a->o.table : !strcmp(s, "--query") ? &a->o.query
                          : !strcmp(s, "--preset") ? &a->o.data.preset : !strcmp(s, "--map") ? &a->o.data.map
                          : !strcmp(s, "--bootstrap") ? &a->boot : !strcmp(s, "--seed") ? &a->seed : NULL;
        bool *flag = !strcmp(s, "--json") ? &a->json : !strcmp(s, "--quiet") ? &a->quiet
                   : !strcmp(s, "--logged-cost") ? &a->o.logged_cost : NULL;
        if (slot || !strcmp(s, "--set")) {
            if (i + 1 >= argc)
                return cli_usage_error("option '%s' needs a value%s", s, "");
            if (slot)
                *slot = argv[++i];
            else if (a->nsets < MAX_SETS)
                a->sets[a->nsets++] = argv[++i];
        } else if (flag) {
            *flag = true;
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("unknown option '%s' for 'tokensim replay'%s", s, "");
        } else if (!a->o.path && !a->o.db && !a->scenario_file) {
            a->o.path = s;
        } else if (!a->scenario_file) {
            a->scenario_file = s;
        } else {
            return cli_usage_error("unexpected argument '%s'%s", s, " (a source, then a scenario)");
        }
    }
    /* with --db the one argument is the scenario */
    if (a->o.db && a->o.path && !a->scenario_file) {
        a->scenario_file = a->o.path;
        a->o.path = NULL;
    }
    if (!a->scenario_file || (!a->o.path == !a->o.db))
        return cli_usage_error("missing source or scenario: 'tokensim replay FILE SCENARIO' or 'tokensim replay "
                               "--db URL --table NAME SCENARIO'%s%s", "", "");
    if (a->o.db && !a->o.table == !a->o.query)
        return cli_usage_error("--db needs one of --table NAME and --query SQL%s%s", "", "");
    double v;
    int rc;
    if (a->boot && (rc = whole("--bootstrap", a->boot, 1e6, &v)) >= 0)
        return rc;
    if (a->boot)
        a->o.bootstrap = (int)v;
    if (a->seed && (rc = whole("--seed", a->seed, 9007199254740992.0, &v)) >= 0)
        return rc;
    if (a->seed)
        a->o.seed = (uint64_t)v;
    return -1;
}

static int run_replay(replay_args *a, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, a->scenario_file, a->sets, a->nsets, &err))
        return cli_fail(&err);
    if (!a->seed)
        a->o.seed = s->seed;
    replay_report r;
    if (replay_run(s, &a->o, &r, &err))
        return cli_fail(&err);
    const char *source = a->o.db ? (a->o.table ? a->o.table : "query") : a->o.path;
    char outdir[4096];
    if (a->out)
        snprintf(outdir, sizeof outdir, "%s", a->out);
    else {
        cli_default_out(a->scenario_file, outdir, sizeof outdir);
        size_t len = strlen(outdir);
        snprintf(outdir + len, sizeof outdir - len, "-replay");
    }
    provenance pv = { .version = TS_VERSION, .scenario_file = a->scenario_file, .hash = s->hash, .seed = a->o.seed };
    /* the whole set or the earlier one: written in a staging folder, swapped in */
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0)
        return rc;
    char *texts[3] = { replay_csv(&r, s), replay_json(&r, s, &pv), replay_segments_csv(&r, s) };
    const char *names[3] = { "replay.csv", "replay.json", "segments.csv" };
    rc = cli_write_files(os.staging, names, texts, 3, &err);
    if (rc == TS_OK)
        rc = replay_document_write(os.staging, &r, s, source, &pv, &err);
    rc = cli_outset_end(&os, rc, &err);
    if (rc == TS_OK) {
        if (a->json)
            puts(texts[1]);
        else if (!a->quiet) {
            replay_print(stdout, &r, s, source);
            printf("\nwrote %s/replay.csv, segments.csv, replay.json, report.md, report.html\n", outdir);
        }
    }
    for (int i = 0; i < 3; i++)
        free(texts[i]);
    if (rc)
        return cli_outset_fail(outdir, rc, &err);
    return fflush(stdout) ? TS_EXIT_RUNTIME : TS_EXIT_OK;
}

int cmd_replay(int argc, char **argv)
{
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(replay_help, stdout);
            return TS_EXIT_OK;
        }
    replay_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_replay(&a, argc, argv);
    if (rc >= 0)
        return rc;
    scenario *s = scenario_new();
    if (!s) {
        ts_error err;
        ts_error_clear(&err);
        ts_error_set(&err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the scenario");
        return cli_fail(&err);
    }
    rc = run_replay(&a, s);
    scenario_free(s);
    return rc;
}
