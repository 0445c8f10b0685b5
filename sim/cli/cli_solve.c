/* cli_solve.c: the strategist's solvers on the command line: solve (the
 * value that meets a target margin), quota (budget sizing) and optimize
 * (the most profit within a risk limit). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim/core/fileio.h"
#include "sim/engine/tail.h"
#include "sim/output/csv.h"
#include "sim/output/json.h"
#include "sim/analysis/probe.h"
#include "sim/scenario/scenario.h"
#include "sim/analysis/solve.h"
#include "sim/analysis/optimize.h"
#include "plots/plots.h"

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
    const char *names[2] = { n1, n2 };
    char *texts[2] = { t1, t2 };
    return cli_write_files(dir, names, texts, 2, err);
}

/* ---- solve -------------------------------------------------------------- */

static char *solve_json(const scenario *s, const provenance *pv, const solve_opts *o, const solve_result *r)
{
    cJSON *root = json_document_create();
    json_provenance_add(root, pv);
    cJSON *q = cJSON_AddObjectToObject(root, "solve");
    cJSON_AddStringToObject(q, "plan", s->plans[o->plan].name);
    cJSON_AddStringToObject(q, "path", o->path);
    cJSON_AddStringToObject(q, "statistic", solve_stat_names[o->stat]);
    cJSON_AddNumberToObject(q, "target_margin", o->target);
    cJSON_AddBoolToObject(q, "reached", r->reached);
    json_number_add(q, "value", r->x);
    json_number_add(q, "margin", r->value);
    if (isfinite(r->x_se))
        cJSON_AddNumberToObject(q, "value_se", r->x_se);
    json_number_add(q, "start", r->start);
    cJSON_AddNumberToObject(q, "iterations", r->iterations);
    cJSON_AddNumberToObject(q, "evaluations", r->nevals);
    return json_text_take(root);
}

static char *solve_csv(const solve_opts *o, const solve_result *r)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    csv_text(&w, o->path);
    csv_textf(&w, "margin_%s", solve_stat_names[o->stat]);
    csv_text(&w, "margin_mean");
    csv_text(&w, "margin_se");
    csv_text(&w, "gross_profit_mean");
    csv_row_end(&w);
    for (int i = 0; i < r->nevals; i++) {
        csv_value(&w, r->evals[i].x);
        csv_number(&w, r->evals[i].value);
        csv_number(&w, r->evals[i].mean);
        csv_number(&w, r->evals[i].se);
        csv_number(&w, r->evals[i].profit);
        csv_row_end(&w);
    }
    return csv_finish(&w, NULL);
}

static int solve(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    int p = cli_plan(c, s);
    if (p < 0)
        return TS_EXIT_INPUT;
    char path[CHANGE_PATH_LEN];
    if (c->opt[O_FOR]) {
        snprintf(path, sizeof path, "%s", c->opt[O_FOR]);
    } else {
        const char *key = probe_price_key(&s->plans[p]);
        if (!key)
            return cli_usage_error("plan '%s' has no single price to solve for: name the value with --for, e.g. "
                                   "--for plans.%s.tiers.0.price", s->plans[p].name, s->plans[p].name);
        snprintf(path, sizeof path, "plans.%s.%s", s->plans[p].name, key);
    }
    solve_opts o = { path, p, SOLVE_MEAN, 0, false, 0, 0, c->threads, &stop_flag };
    if (!cli_number(c, O_TARGET, -1000, 99.999, 100 * s->plans[p].target_margin, &o.target))
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
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0)
        return rc;
    cli_catch_signals();
    solve_result r;
    if (solve_run(c->file, c->sets, c->nsets, &o, &r, &err)) {
        outset_abort(&os);
        return cli_outset_fail(outdir, err.code, &err);
    }
    provenance pv = cli_provenance(c, s, s->replications);
    pv.tail = &r.tail;
    char *json = solve_json(s, &pv, &o, &r), *csv = solve_csv(&o, &r);
    rc = cli_outset_end(&os, write_two(os.staging, "solve.csv", csv, "summary.json", json, &err), &err);
    free(csv);
    if (rc == TS_OK && !c->quiet) {
        if (c->json) {
            puts(json);
        } else {
            printf("tokensim %s: %s, plan %s: %s for a %s gross margin of %g%% over the horizon\n"
                   "(%d replications per evaluation, seed %llu, the same random numbers every time)\n\n",
                   TS_VERSION, s->name, s->plans[p].name, path, solve_stat_names[o.stat], o.target, s->replications,
                   (unsigned long long)s->seed);
            cli_tail_warn(&pv);
            printf("%14s %12s %14s %16s\n", "value", "margin", "mean margin", "gross profit $");
            for (int i = 0; i < r.nevals; i++)
                printf("%14.6g %11.3f%% %8.3f +-%.3f %16.0f\n", r.evals[i].x, r.evals[i].value, r.evals[i].mean,
                       r.evals[i].half, r.evals[i].profit);
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
    return rc ? cli_outset_fail(outdir, rc, &err) : TS_EXIT_OK;
}

int cmd_solve(cli *c)
{
    return cli_with_scenario(c, solve);
}

/* ---- quota -------------------------------------------------------------- */

typedef struct quota_model {
    const scenario *s;
    const plan *pl;
    const char *key;         /* the budget's key (plan_type.budget_key) */
    bool limits;             /* the budget is the quota, which its soft limit and hard cap act on */
    double c, c_soft;        /* $ per interaction, and on the soft-limit model */
} quota_model;

/* A customer of intensity u under budget b: its monthly revenue (the
 * type's bill with the budget set) and the margin it leaves, in closed
 * form (seats, minimums and monthly noise left out). */
static double quota_margin(const quota_model *m, double u, double b, double *revenue)
{
    const plan *pl = m->pl;
    plan with = *pl;
    *scenario_plan_number(&with, m->key) = b;
    plan_usage pu = { .interactions = u, .active_fraction = 1, .seats = 1, .tier = -1 };
    double rev = plan_type_of(pl)->bill(&with, &pu, NULL), cost;
    if (!m->limits) {
        cost = m->c * u;
    } else {
        double soft = pl->soft_at > 0 ? pl->soft_at * b : INFINITY;
        double normal = fmin(u, soft), late = pl->soft_at > 0 ? pl->soft_keep * fmax(0, u - soft) : 0;
        if (pl->hard_cap) {
            normal = fmin(normal, b);
            late = fmin(late, fmax(0, b - normal));
        }
        cost = m->c * normal + (pl->soft_at > 0 ? m->c_soft : m->c) * late;
    }
    const other_costs *oc = &m->s->costs;
    *revenue = rev;
    return 100 * (rev * (1 - oc->payment_share) - oc->payment_fixed - oc->infra_per_customer - cost) / rev;
}

/* "flat or hybrid": the types whose budget quota sizes. */
static void budget_types(char *buf, size_t n)
{
    size_t len = 0;
    int count = 0, total = 0;
    for (int k = 0; k < plan_type_count(); k++)
        total += plan_type_at(k)->budget_key != NULL;
    for (int k = 0; k < plan_type_count() && len < n; k++)
        if (plan_type_at(k)->budget_key)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", count++ == 0 ? "" : count == total ? " or " : ", ",
                                    plan_type_at(k)->name);
}


/* What quota found in closed form, for its summary.json. */
typedef struct quota_found {
    double usage_p50, usage_p90, budget, budget_quantile, check_quantile, margin_at_check, target;
    bool meets;
} quota_found;

/* quota's summary.json: what it found, and the plan simulated with the
 * budget (mg, the margin over the horizon; p_below_50). Caller frees. */
static char *quota_json(const provenance *pv, const plan *pl, double cpi, const quota_found *qf, const ts_stat *mg,
                        double p_below_50)
{
    cJSON *root = json_document_create();
    json_provenance_add(root, pv);
    cJSON *q = cJSON_AddObjectToObject(root, "quota");
    cJSON_AddStringToObject(q, "plan", pl->name);
    json_number_add(q, "cost_per_interaction", cpi);
    json_number_add(q, "usage_p50", qf->usage_p50);
    json_number_add(q, "usage_p90", qf->usage_p90);
    json_number_add(q, "budget", qf->budget);
    json_number_add(q, "budget_quantile", qf->budget_quantile);
    json_number_add(q, "check_quantile", qf->check_quantile);
    json_number_add(q, "margin_at_check", qf->margin_at_check);
    json_number_add(q, "target_margin", qf->target);
    cJSON_AddBoolToObject(q, "meets_target", qf->meets);
    json_number_add(q, "simulated_margin_mean", mg->mean);
    json_number_add(q, "simulated_margin_p5", mg->p5);
    json_number_add(q, "simulated_p_margin_below_50", p_below_50);
    return json_text_take(root);
}

/* Longer than the rest: it writes quota.md's five steps in order, each
 * using the numbers of the steps before. */
static int quota(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    int p = cli_plan(c, s);
    if (p < 0)
        return TS_EXIT_INPUT;
    const plan *pl = &s->plans[p];
    const char *key = plan_type_of(pl)->budget_key;
    if (!key || !scenario_plan_number(&s->plans[p], key)) {
        char types[160] = "", msg[400];
        budget_types(types, sizeof types);
        snprintf(msg, sizeof msg, "quota sizes the budget of a %s plan; plan '%s' is %s (use 'tokensim solve --for' "
                 "on its quota or tiers)", types, pl->name, plan_kind_name(pl->kind));
        return cli_usage_error("%s%s", msg, "");
    }
    double at, check, target;
    if (!cli_number(c, O_AT, 0.01, 0.99, 0.8, &at) || !cli_number(c, O_CHECK, 0.01, 0.999, 0.9, &check)
        || !cli_number(c, O_TARGET, -1000, 99.999, 65, &target))
        return TS_EXIT_INPUT;
    quota_model m = { s, pl, key, !strcmp(key, "quota"),
                      cost_interaction_expected(s->features, s->nfeatures, &s->prices).total, 0 };
    if (pl->soft_at > 0) {
        feature fs[COST_MAX_FEATURES];
        memcpy(fs, s->features, sizeof fs);
        for (int i = 0; i < s->nfeatures; i++) {
            fs[i].nroutes = 0;
            fs[i].model_index = pl->soft_model_index;
        }
        m.c_soft = cost_interaction_expected(fs, s->nfeatures, &s->prices).total;
    }
    const usage_dist *u = &s->usage;
    double u50 = usage_dist_quantile(u, 0.5), u90 = usage_dist_quantile(u, 0.9), uc = usage_dist_quantile(u, check);
    double budget = round(usage_dist_quantile(u, at)), rev;
    double mc = quota_margin(&m, uc, budget, &rev);
    const other_costs *oc = &s->costs;
    double need = 1 - oc->payment_share - target / 100;   /* revenue share left for costs at the target */
    char *md = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&md, &len);
    if (!f)
        return TS_EXIT_RUNTIME;
    fprintf(f, "# Budget sizing: %s, plan %s\n\n", s->name, pl->name);
    fprintf(f, "tokensim %s, scenario %s (hash %016llx). Intensities are the usage law's quantiles (closed form); an "
               "interaction costs $%.5f on average.\n\n", TS_VERSION, c->file, (unsigned long long)s->hash, m.c);
    fprintf(f, "1. Usage: median %.1f interactions a month ($%.2f of inference), P90 %.1f ($%.2f).\n", u50, m.c * u50,
            u90, m.c * u90);
    fprintf(f, "2. Margin of a customer at the P%g of usage (%.1f interactions) by budget:\n\n", 100 * check, uc);
    fprintf(f, "| budget at | interactions | customers over it | revenue at P%g $ | margin at P%g |\n|---|---:|---:|---:|---:|\n",
            100 * check, 100 * check);
    const double qs[] = { 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95 };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        double b = round(usage_dist_quantile(u, qs[i])), r2, mg = quota_margin(&m, uc, b, &r2);
        fprintf(f, "| P%g | %.0f | %.0f%% | %.2f | %.1f%% |\n", 100 * qs[i], b, 100 * (1 - qs[i]), r2, mg);
    }
    fprintf(f, "\n3. Budget at the P%g of usage: **%.0f interactions a month** (about %.0f%% of customers above it).\n",
            100 * at, budget, 100 * (1 - at));
    bool meets = mc >= target;
    fprintf(f, "4. At the P%g (%.1f interactions) the margin is %.1f%%: %s the %g%% target.", 100 * check, uc, mc,
            meets ? "it meets" : "it misses", target);
    char advice[400] = "";
    if (!meets && need > 0) {
        double cost_ai = rev * (1 - oc->payment_share) - oc->payment_fixed - oc->infra_per_customer - rev * mc / 100;
        double rev_needed = (cost_ai + oc->payment_fixed + oc->infra_per_customer) / need;
        if (!m.limits && uc > budget)
            snprintf(advice, sizeof advice, " An overage price of $%.4f per interaction (now $%.4f) would meet it.",
                     (rev_needed - pl->price) / (uc - budget), pl->overage);
        else
            snprintf(advice, sizeof advice, " A price of $%.2f (now $%.2f) would meet it%s.", rev_needed, pl->price,
                     m.limits && !pl->hard_cap && pl->soft_at <= 0
                         ? "; without hard_cap or soft_at the budget only warns and costs nothing less" : "");
        fputs(advice, f);
    }
    fputs("\n", f);
    /* 5: the plan simulated with the budget */
    char set[CHANGE_SET_LEN];
    snprintf(set, sizeof set, "plans.%s.%s=%.17g", pl->name, key, budget);
    const char *extra[1] = { set };
    probe pr;
    probe_opts po = { c->threads, &stop_flag, 0, NULL };
    char outdir[4096];
    cli_out_dir(c, "-quota", outdir, sizeof outdir);
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0) {
        fclose(f);
        free(md);
        return rc;
    }
    cli_catch_signals();
    probe_meter_plan(1);
    if (probe_run(&pr, c->file, c->sets, c->nsets, extra, 1, &po, &err)) {
        fclose(f);
        free(md);
        outset_abort(&os);
        return cli_outset_fail(outdir, err.code, &err);
    }
    const ts_stat *mg = sum_total(&pr.sm, p, TOT_MARGIN);
    double reached = 0;
    for (int mo = 0; mo < pr.sm.nmonths; mo++)
        reached += sum_month(&pr.sm, p, mo, MET_LIMIT_REACHED)->mean / pr.sm.nmonths;
    fprintf(f, "5. Simulated with the budget (%s, %d replications, seed %llu): gross margin over the horizon %.2f%% "
               "(95%% CI %.2f..%.2f, P5 %.2f), probability below 50%% %.1f%%",
            set, pr.rr.nreps, (unsigned long long)s->seed, mg->mean, mg->ci_lo, mg->ci_hi, mg->p5,
            100 * pr.sm.p_margin_below_50[p]);
    if (m.limits)
        fprintf(f, ", %.1f%% of customers reach the budget in a month", reached);
    fputs(".\n", f);
    tail_report tail;
    tail_check(pr.s, &pr.rr, &tail);
    provenance pv = cli_provenance(c, s, pr.rr.nreps);
    pv.tail = &tail;
    char w[768];
    if (outputs_tail_warning(&pv, w, sizeof w))
        fprintf(f, "\nWarning: %s.\n", w);
    fclose(f);
    quota_found qf = { u50, u90, budget, at, check, mc, target, meets };
    char *json = quota_json(&pv, pl, m.c, &qf, mg, pr.sm.p_margin_below_50[p]);
    probe_free(&pr);
    rc = cli_outset_end(&os, write_two(os.staging, "quota.md", md, "summary.json", json, &err), &err);
    if (rc == TS_OK && !c->quiet) {
        if (c->json)
            puts(json);
        else
            printf("%s\nwrote %s/quota.md, summary.json\n", md, outdir);
    }
    free(md);
    free(json);
    return rc ? cli_outset_fail(outdir, rc, &err) : TS_EXIT_OK;
}

int cmd_quota(cli *c)
{
    return cli_with_scenario(c, quota);
}

/* ---- optimize ----------------------------------------------------------- */

static int optimize(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    if (scenario_load(s, c->file, c->sets, c->nsets, &err))
        return cli_fail(&err);
    if (!c->opt[O_PLAN] && optimize_plan_required(s, &err))
        return cli_fail(&err);
    int p = cli_plan(c, s);
    if (p < 0)
        return TS_EXIT_INPUT;
    if (c->nvary == 0)
        return cli_usage_error("missing --vary: 'tokensim optimize FILE --vary PATH=LO:HI[:STEP]'%s%s", "", "");
    if (c->nvary > OPT_MAX_AXES)
        return cli_usage_error("too many --vary options: at most 4%s%s", "", "");
    opt_axis ax[OPT_MAX_AXES];
    for (int a = 0; a < c->nvary; a++)
        if (opt_axis_parse(c->vary[a], &ax[a], &err))
            return cli_fail(&err);
    double pts;
    opt_opts o = { p, 0, 0.05, 60, c->threads, &stop_flag };
    if (!cli_number(c, O_RISK_BELOW, -1000, 100, 0, &o.risk_below) || !cli_number(c, O_MAX_RISK, 0, 1, 0.05, &o.max_risk)
        || !cli_number(c, O_POINTS, 4, OPT_MAX_POINTS - 60, 60, &pts))
        return TS_EXIT_INPUT;
    o.points = (int)pts;
    char outdir[4096];
    cli_out_dir(c, "-optimize", outdir, sizeof outdir);
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0)
        return rc;
    cli_catch_signals();
    opt_result r;
    if (optimize_run(c->file, c->sets, c->nsets, ax, c->nvary, &o, &r, &err)) {
        outset_abort(&os);
        return cli_outset_fail(outdir, err.code, &err);
    }
    provenance pv = cli_provenance(c, s, r.nreps);
    pv.tail = &r.tail;
    char *csv = optimize_csv(&r), *json = optimize_json(&r, &o, &pv);
    rc = write_two(os.staging, "optimize.csv", csv, "summary.json", json, &err);
    plot_report prep = { 0 };
    if (rc == TS_OK && !c->no_plots) {
        plot_opts po = cli_plot_options(c, os.staging);
        rc = optimize_plot(&r, &o, &pv, s->name, &po, &prep, &err);
        outset_shown(&os, prep.first_problem, sizeof prep.first_problem);
        if (rc == TS_OK)
            cli_plot_warn(&prep);
    }
    if (rc == TS_OK)
        rc = optimize_document(&r, &o, &pv, s->name, os.staging, prep.rendered > 0, &err);
    rc = cli_outset_end(&os, rc, &err);
    if (rc == TS_OK && !c->quiet) {
        if (c->json) {
            puts(json);
        } else {
            printf("tokensim %s: %s, optimize, %d replications per point, seed %llu\n\n", TS_VERSION, s->name, r.nreps,
                   (unsigned long long)s->seed);
            cli_tail_warn(&pv);
            optimize_print(stdout, &r, &o);
            printf("\nwrote %s/optimize.html, optimize.md, optimize.csv, summary.json%s\n", outdir,
                   prep.rendered ? " and the plot in plots/" : "");
        }
    }
    free(csv);
    free(json);
    return rc ? cli_outset_fail(outdir, rc, &err) : TS_EXIT_OK;
}

int cmd_optimize(cli *c)
{
    return cli_with_scenario(c, optimize);
}
