/* cli_solve.c: the strategist's solvers on the command line: solve (the
 * value that meets a target margin), quota (budget sizing) and optimize
 * (the most profit within a risk limit). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "probe.h"
#include "scenario.h"
#include "solve.h"

/* The plan named by --plan, or the first; -1 after printing the message. */
static int pick_plan(const cli *c, const scenario *s)
{
    if (!c->opt[O_PLAN])
        return 0;
    int p = probe_plan_find(s, c->opt[O_PLAN]);
    if (p < 0)
        cli_usage_error("unknown plan '%s' for --plan: the scenario's first plan is '%s'", c->opt[O_PLAN],
                        s->plans[0].name);
    return p;
}

static bool parse_range(const char *s, double *lo, double *hi)
{
    char *e1, *e2;
    *lo = strtod(s, &e1);
    if (e1 == s || *e1 != ':')
        return false;
    *hi = strtod(e1 + 1, &e2);
    return e2 != e1 + 1 && !*e2 && isfinite(*lo) && isfinite(*hi) && *lo < *hi;
}

static int write_two(const char *dir, const char *n1, char *t1, const char *n2, char *t2, ts_error *err)
{
    int rc = ts_dir_make(dir, err);
    const char *names[2] = { n1, n2 };
    char *texts[2] = { t1, t2 };
    for (int i = 0; i < 2 && rc == TS_OK; i++) {
        char path[4200];
        if (!texts[i])
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rc = ts_file_write(path, texts[i], strlen(texts[i]), err);
    }
    return rc;
}

/* ---- solve -------------------------------------------------------------- */

static char *solve_json(const scenario *s, const solve_opts *o, const solve_result *r)
{
    cJSON *root = cJSON_CreateObject();
    char hash[20];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)s->hash);
    cJSON *pv = cJSON_AddObjectToObject(root, "provenance");
    cJSON_AddStringToObject(pv, "tokensim", TS_VERSION);
    cJSON_AddStringToObject(pv, "scenario", s->source);
    cJSON_AddStringToObject(pv, "hash", hash);
    cJSON_AddNumberToObject(pv, "seed", (double)s->seed);
    cJSON_AddNumberToObject(pv, "replications", s->replications);
    cJSON *q = cJSON_AddObjectToObject(root, "solve");
    cJSON_AddStringToObject(q, "plan", s->plans[o->plan].name);
    cJSON_AddStringToObject(q, "path", o->path);
    cJSON_AddStringToObject(q, "statistic", solve_stat_names[o->stat]);
    cJSON_AddNumberToObject(q, "target_margin", o->target);
    cJSON_AddBoolToObject(q, "reached", r->reached);
    cJSON_AddNumberToObject(q, "value", r->x);
    if (isfinite(r->value))
        cJSON_AddNumberToObject(q, "margin", r->value);
    else
        cJSON_AddNullToObject(q, "margin");
    if (isfinite(r->x_se))
        cJSON_AddNumberToObject(q, "value_se", r->x_se);
    cJSON_AddNumberToObject(q, "start", r->start);
    cJSON_AddNumberToObject(q, "iterations", r->iterations);
    cJSON_AddNumberToObject(q, "evaluations", r->nevals);
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    return out;
}

static char *solve_csv(const scenario *s, const solve_opts *o, const solve_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "# tokensim %s; scenario %s; hash %016llx; seed %llu; replications %d; every evaluation with the "
               "same random numbers, in the order made\n",
            TS_VERSION, s->source, (unsigned long long)s->hash, (unsigned long long)s->seed, s->replications);
    fprintf(f, "%s,margin_%s,margin_mean,margin_se,gross_profit_mean\n", o->path, solve_stat_names[o->stat]);
    for (int i = 0; i < r->nevals; i++)
        fprintf(f, "%.12g,%.10g,%.10g,%.10g,%.10g\n", r->evals[i].x, r->evals[i].value, r->evals[i].mean,
                r->evals[i].se, r->evals[i].profit);
    fclose(f);
    return buf;
}

int cmd_solve(cli *c)
{
    ts_error err;
    ts_error_clear(&err);
    static scenario s;
    if (scenario_load(&s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    int p = pick_plan(c, &s);
    if (p < 0)
        return TS_EXIT_INPUT;
    char path[CHANGE_PATH_LEN];
    if (c->opt[O_FOR]) {
        snprintf(path, sizeof path, "%s", c->opt[O_FOR]);
    } else {
        const char *key = probe_price_key(&s.plans[p]);
        if (!key)
            return cli_usage_error("plan '%s' has no single price to solve for: name the value with --for, e.g. "
                                   "--for plans.%s.tiers.0.price", s.plans[p].name, s.plans[p].name);
        snprintf(path, sizeof path, "plans.%s.%s", s.plans[p].name, key);
    }
    solve_opts o = { path, p, SOLVE_MEAN, 0, false, 0, 0, c->threads, &stop_flag };
    if (!cli_number(c, O_TARGET, -1000, 99.999, 100 * s.plans[p].target_margin, &o.target))
        return TS_EXIT_INPUT;
    if (c->opt[O_STAT]) {
        int k = 0;
        while (solve_stat_names[k] && strcmp(solve_stat_names[k], c->opt[O_STAT]))
            k++;
        if (!solve_stat_names[k])
            return cli_usage_error("invalid value for --stat: found '%s', expected one of: mean, p5, p50%s",
                                   c->opt[O_STAT], "");
        o.stat = k;
    }
    if (c->opt[O_RANGE]) {
        if (!parse_range(c->opt[O_RANGE], &o.lo, &o.hi))
            return cli_usage_error("invalid value for --range: found '%s', expected LO:HI with LO < HI%s",
                                   c->opt[O_RANGE], "");
        o.has_range = true;
    }
    char outdir[4096];
    cli_out_dir(c, "-solve", outdir, sizeof outdir);
    cli_catch_signals();
    static solve_result r;
    if (solve_run(c->file, c->sets, c->nsets, &o, &r, &err))
        return cli_fail(&err);
    char *json = solve_json(&s, &o, &r);
    int rc = write_two(outdir, "solve.csv", solve_csv(&s, &o, &r), "summary.json", json, &err);
    if (rc == TS_OK && !c->quiet) {
        if (c->json) {
            puts(json);
        } else {
            printf("tokensim %s: %s, plan %s: %s for a %s gross margin of %g%% over the horizon\n"
                   "(%d replications per evaluation, seed %llu, the same random numbers every time)\n\n",
                   TS_VERSION, s.name, s.plans[p].name, path, solve_stat_names[o.stat], o.target, s.replications,
                   (unsigned long long)s.seed);
            printf("%14s %12s %14s %16s\n", "value", "margin", "mean margin", "gross profit $");
            for (int i = 0; i < r.nevals; i++)
                printf("%14.6g %11.3f%% %8.3f +-%.3f %16.0f\n", r.evals[i].x, r.evals[i].value, r.evals[i].mean,
                       1.96 * r.evals[i].se, r.evals[i].profit);
            if (r.reached) {
                printf("\nanswer: %s = %.6g", path, r.x);
                if (isfinite(r.x_se))
                    printf(" (Monte-Carlo uncertainty about +-%.2g)", 1.96 * r.x_se);
                printf("; the scenario has %.6g\n", r.start);
            } else {
                printf("\nno value %s the target: the %s margin reaches at best %.2f%%, at %s = %.6g\n",
                       o.has_range ? "in the range meets" : "meets", solve_stat_names[o.stat], r.value, path, r.x);
            }
            printf("wrote %s/solve.csv, summary.json\n", outdir);
        }
    }
    free(json);
    return rc ? cli_fail(&err) : TS_EXIT_OK;
}
