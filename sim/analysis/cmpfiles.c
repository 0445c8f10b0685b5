/* cmpfiles.c: several scenario files' plans side by side (cmpfiles.h): the
 * runs, whether two files share their customers, and the differences from
 * the first plan of the first file, paired where they do. */
#include "cmpfiles.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "sim/output/csv.h"
#include "sim/output/json.h"

/* The keys that decide the customers and the engine's draws for them. */
static bool customer_key(const char *k)
{
    static const char *const exact[] = { "seed", "replications", "horizon_months" };
    static const char *const prefix[] = { "customers.", "usage.", "sampling.", "shocks." };
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (!strcmp(k, exact[i]))
            return true;
    for (size_t i = 0; i < sizeof prefix / sizeof prefix[0]; i++)
        if (!strncmp(k, prefix[i], strlen(prefix[i])))
            return true;
    /* a feature's share and its routes' shares: the binomial draws that split interactions */
    size_t n = strlen(k);
    return !strncmp(k, "features.", 9) && n > 6 && !strcmp(k + n - 6, ".share");
}

static void add_why(cmpf_result *r, int f, const char *key)
{
    if (!strncmp(key, "shocks.", 7) || !strcmp(key, "shocks"))
        key = "shocks";     /* a list of items: named once */
    if (r->nwhy[f] == CMPF_MAX_WHY) {
        r->more_why[f] = true;
        return;
    }
    for (int i = 0; i < r->nwhy[f]; i++)
        if (!strcmp(r->why[f][i], key))
            return;
    snprintf(r->why[f][r->nwhy[f]++], RUNDIFF_TEXT, "%.*s", RUNDIFF_TEXT - 1, key);
}

/* Whether file f shares file 0's customers; the keys that differ if not. */
static int pairing(cmpf_result *r, int f, const rundiff_keys *k0)
{
    rundiff_keys kf;
    if (rundiff_scenario_keys(r->pr[f].s, &kf))
        return -1;
    for (int i = 0; i < k0->n; i++)
        if (customer_key(k0->v[i].key)) {
            const char *v = rundiff_key_value(&kf, k0->v[i].key);
            if (!v || strcmp(v, k0->v[i].val))
                add_why(r, f, k0->v[i].key);
        }
    for (int i = 0; i < kf.n; i++)
        if (customer_key(kf.v[i].key) && !rundiff_key_value(k0, kf.v[i].key))
            add_why(r, f, kf.v[i].key);
    r->paired[f] = r->nwhy[f] == 0 && !r->more_why[f];
    rundiff_keys_free(&kf);
    return 0;
}

static void base_name(const char *path, char *buf, size_t n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t len = strlen(b);
    if (len > 5 && !strcmp(b + len - 5, ".yaml"))
        len -= 5;
    else if (len > 4 && !strcmp(b + len - 4, ".yml"))
        len -= 4;
    snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), b);
}

/* Every file's plans, FILE:PLAN where a name is in more than one file. */
static void label_plans(cmpf_result *r)
{
    for (int f = 0; f < r->nfiles; f++)
        for (int p = 0; p < r->pr[f].s->nplans; p++) {
            cmpf_plan *cp = &r->plans[r->nplans++];
            cp->file = f, cp->plan = p;
            const char *name = r->pr[f].s->plans[p].name;
            bool clash = false;
            for (int g = 0; g < r->nfiles && !clash; g++)
                clash = g != f && probe_plan_find(r->pr[g].s, name) >= 0;
            /* built aside: the compiler cannot tell the label from the names it is made of */
            char label[sizeof cp->label];
            if (clash)
                snprintf(label, sizeof label, "%s:%s", r->names[f], name);
            else
                snprintf(label, sizeof label, "%s", name);
            memcpy(cp->label, label, sizeof label);
        }
}

/* Plan k minus the first plan, on metric `tot`: paired replication by
 * replication when their customers are the same. */
static ts_stat paired_diff(const cmpf_result *r, int k, int tot, double *x, double *work)
{
    const cmpf_plan *a = &r->plans[0], *b = &r->plans[k];
    int n = r->pr[0].rr.nreps;
    probe_rep_totals(&r->pr[b->file], b->plan, tot, x);
    probe_rep_totals(&r->pr[a->file], a->plan, tot, work);
    for (int i = 0; i < n; i++)
        x[i] -= work[i];
    return stat_compute_run(&r->pr[0].rr, x, n, work);
}

static int differences(cmpf_result *r)
{
    int n = r->pr[0].rr.nreps;
    double *x = malloc(2 * (size_t)n * sizeof *x);
    if (!x)
        return -1;
    const cmpf_plan *a = &r->plans[0];
    const summary *sa = &r->pr[a->file].sm;
    for (int k = 1; k < r->nplans; k++) {
        const cmpf_plan *b = &r->plans[k];
        const summary *sb = &r->pr[b->file].sm;
        cmpf_diff *d = &r->diffs[k];
        d->paired = b->file == 0 || r->paired[b->file];
        double lo, hi;
        compare_unpaired(sum_total(sb, b->plan, TOT_MARGIN), sum_total(sa, a->plan, TOT_MARGIN), &lo, &hi);
        double dm = sum_total(sb, b->plan, TOT_MARGIN)->mean - sum_total(sa, a->plan, TOT_MARGIN)->mean;
        d->un_lo = dm - lo, d->un_hi = dm + hi;
        compare_unpaired(sum_total(sb, b->plan, TOT_GROSS_PROFIT), sum_total(sa, a->plan, TOT_GROSS_PROFIT), &lo,
                         &hi);
        double dp = sum_total(sb, b->plan, TOT_GROSS_PROFIT)->mean - sum_total(sa, a->plan, TOT_GROSS_PROFIT)->mean;
        d->profit_un_lo = dp - lo, d->profit_un_hi = dp + hi;
        if (d->paired) {
            d->margin = paired_diff(r, k, TOT_MARGIN, x, x + n);
            d->profit = paired_diff(r, k, TOT_GROSS_PROFIT, x, x + n);
            d->revenue = paired_diff(r, k, TOT_REVENUE, x, x + n);
        } else {
            double dr = sum_total(sb, b->plan, TOT_REVENUE)->mean - sum_total(sa, a->plan, TOT_REVENUE)->mean;
            compare_unpaired(sum_total(sb, b->plan, TOT_REVENUE), sum_total(sa, a->plan, TOT_REVENUE), &lo, &hi);
            d->margin = (ts_stat){ .n = n, .mean = dm, .ci_lo = d->un_lo, .ci_hi = d->un_hi };
            d->profit = (ts_stat){ .n = n, .mean = dp, .ci_lo = d->profit_un_lo, .ci_hi = d->profit_un_hi };
            d->revenue = (ts_stat){ .n = n, .mean = dr, .ci_lo = dr - lo, .ci_hi = dr + hi };
        }
    }
    free(x);
    return 0;
}

int cmpf_run(const char *const *files, int nfiles, const char *const *sets, int nsets, int threads,
             volatile sig_atomic_t *stop, cmpf_result *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    if (nfiles < 2 || nfiles > CMPF_MAX_FILES)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "found %d scenario files, expected 2 to %d", nfiles,
                            CMPF_MAX_FILES);
    probe_meter_plan(nfiles);
    probe_opts po = { threads, stop, 0, NULL };
    int rc = TS_OK;
    for (int f = 0; f < nfiles && rc == TS_OK; f++) {
        out->files[f] = files[f];
        base_name(files[f], out->names[f], sizeof out->names[f]);
        if ((rc = probe_run(&out->pr[f], files[f], sets, nsets, NULL, 0, &po, err)) == TS_OK)
            out->nfiles = f + 1;
    }
    if (rc) {
        cmpf_free(out);
        return rc;
    }
    rundiff_keys k0;
    if (rundiff_scenario_keys(out->pr[0].s, &k0)) {
        cmpf_free(out);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    }
    out->paired[0] = true;
    for (int f = 1; f < nfiles && rc == TS_OK; f++)
        rc = pairing(out, f, &k0);
    rundiff_keys_free(&k0);
    if (rc == TS_OK) {
        label_plans(out);
        rc = differences(out);
    }
    if (rc) {
        cmpf_free(out);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    }
    return TS_OK;
}

void cmpf_free(cmpf_result *r)
{
    for (int f = 0; f < r->nfiles; f++)
        probe_free(&r->pr[f]);
    memset(r, 0, sizeof *r);
}

static void why_text(const cmpf_result *r, int f, char *buf, size_t n)
{
    buf[0] = 0;
    for (int i = 0; i < r->nwhy[f]; i++) {
        size_t k = strlen(buf);
        snprintf(buf + k, n - k, "%s%s", i ? ", " : "", r->why[f][i]);
    }
    if (r->more_why[f]) {
        size_t k = strlen(buf);
        snprintf(buf + k, n - k, " and more");
    }
}

void cmpf_print(FILE *out, const cmpf_result *r)
{
    fprintf(out, "compare across %d scenario files\n", r->nfiles);
    for (int f = 0; f < r->nfiles; f++) {
        const probe *p = &r->pr[f];
        fprintf(out, "  %-16s %s: '%s', seed %llu, %d replications, %d months, hash %016llx\n", r->names[f],
                r->files[f], p->s->name, (unsigned long long)p->s->seed, p->rr.nreps, p->s->horizon,
                (unsigned long long)p->s->hash);
        if (f == 0)
            continue;
        if (r->paired[f]) {
            fprintf(out, "  %-16s same customers as %s: differences paired replication by replication\n", "",
                    r->names[0]);
        } else {
            char why[8 * RUNDIFF_TEXT + 16];
            why_text(r, f, why, sizeof why);
            fprintf(out, "  %-16s other customers than %s (%s differ): unpaired intervals\n", "", r->names[0], why);
        }
    }
    fputc('\n', out);
    size_t w = 12;
    for (int k = 0; k < r->nplans; k++)
        if (strlen(r->plans[k].label) > w)
            w = strlen(r->plans[k].label);
    int nw = (int)w;
    fprintf(out, "%-*s %-30s %12s %12s %11s %8s %16s %8s\n", nw, "plan", "terms", "revenue $", "inference $",
            "other $", "margin%", "p5..p95", "P(<50%)");
    for (int k = 0; k < r->nplans; k++) {
        const cmpf_plan *cp = &r->plans[k];
        const summary *sm = &r->pr[cp->file].sm;
        char t[64];
        compare_terms(&r->pr[cp->file].s->plans[cp->plan], t, sizeof t);
        const ts_stat *m = sum_total(sm, cp->plan, TOT_MARGIN);
        fprintf(out, "%-*s %-30.30s %12.0f %12.0f %11.0f %8.1f %7.1f..%-7.1f %7.1f%%\n", nw, cp->label, t,
                sum_total(sm, cp->plan, TOT_REVENUE)->mean, sum_total(sm, cp->plan, TOT_INFERENCE_COST)->mean,
                sum_total(sm, cp->plan, TOT_OTHER_COST)->mean, m->mean, m->p5, m->p95,
                100 * sm->p_margin_below_50[cp->plan]);
    }
    fprintf(out, "(horizon totals, means across replications)\n\n");
    fprintf(out, "differences from %s, each plan minus it\n", r->plans[0].label);
    fprintf(out, "%-*s %-8s %11s %21s %21s %14s %25s %14s\n", nw, "plan", "pairing", "margin pts", "95% ci",
            "95% ci (unpaired)", "gross profit $", "95% ci", "revenue $");
    for (int k = 1; k < r->nplans; k++) {
        const cmpf_diff *d = &r->diffs[k];
        fprintf(out, "%-*s %-8s %+11.2f    [%+7.2f, %+7.2f]    [%+7.2f, %+7.2f] %+14.0f [%+11.0f, %+11.0f] %+14.0f\n",
                nw, r->plans[k].label, d->paired ? "paired" : "unpaired", d->margin.mean, d->margin.ci_lo,
                d->margin.ci_hi, d->un_lo, d->un_hi, d->profit.mean, d->profit.ci_lo, d->profit.ci_hi,
                d->revenue.mean);
    }
    fputc('\n', out);
}

char *cmpf_csv(const cmpf_result *r)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    static const char *const head[] = { "file", "plan", "label", "paired", "revenue_mean", "inference_cost_mean",
                                        "other_cost_mean", "margin_mean", "margin_p5", "margin_p95",
                                        "diff_margin", "diff_margin_ci_lo", "diff_margin_ci_hi",
                                        "diff_margin_unpaired_ci_lo", "diff_margin_unpaired_ci_hi",
                                        "diff_gross_profit", "diff_gross_profit_ci_lo", "diff_gross_profit_ci_hi",
                                        "diff_revenue", "diff_revenue_ci_lo", "diff_revenue_ci_hi" };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    for (int k = 0; k < r->nplans; k++) {
        const cmpf_plan *cp = &r->plans[k];
        const summary *sm = &r->pr[cp->file].sm;
        const cmpf_diff *d = &r->diffs[k];
        csv_name(&w, r->files[cp->file]);
        csv_name(&w, r->pr[cp->file].s->plans[cp->plan].name);
        csv_name(&w, cp->label);
        csv_int(&w, k == 0 || d->paired);
        const ts_stat *m = sum_total(sm, cp->plan, TOT_MARGIN);
        double v[] = { sum_total(sm, cp->plan, TOT_REVENUE)->mean, sum_total(sm, cp->plan, TOT_INFERENCE_COST)->mean,
                       sum_total(sm, cp->plan, TOT_OTHER_COST)->mean, m->mean, m->p5, m->p95 };
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            csv_number(&w, v[i]);
        if (k == 0) {
            csv_empty(&w, 11);
        } else {
            double dv[] = { d->margin.mean, d->margin.ci_lo, d->margin.ci_hi, d->un_lo, d->un_hi, d->profit.mean,
                            d->profit.ci_lo, d->profit.ci_hi, d->revenue.mean, d->revenue.ci_lo, d->revenue.ci_hi };
            for (size_t i = 0; i < sizeof dv / sizeof dv[0]; i++)
                csv_number(&w, dv[i]);
        }
        csv_row_end(&w);
    }
    size_t len;
    return csv_finish(&w, &len);
}

static cJSON *interval(const ts_stat *s)
{
    cJSON *o = cJSON_CreateObject();
    json_number_add(o, "mean", s->mean);
    cJSON *ci = cJSON_AddArrayToObject(o, "ci95");
    cJSON_AddItemToArray(ci, json_number_create(s->ci_lo));
    cJSON_AddItemToArray(ci, json_number_create(s->ci_hi));
    return o;
}

char *cmpf_json(const cmpf_result *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *fs = cJSON_AddArrayToObject(root, "files");
    for (int f = 0; f < r->nfiles; f++) {
        const probe *p = &r->pr[f];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(fs, o);
        char hash[24], seed[24];
        snprintf(hash, sizeof hash, "%016llx", (unsigned long long)p->s->hash);
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)p->s->seed);
        cJSON_AddStringToObject(o, "file", r->files[f]);
        cJSON_AddStringToObject(o, "name", r->names[f]);
        cJSON_AddStringToObject(o, "scenario_hash", hash);
        cJSON_AddStringToObject(o, "seed", seed);
        cJSON_AddNumberToObject(o, "replications", p->rr.nreps);
        cJSON_AddBoolToObject(o, "paired_with_first", r->paired[f]);
        cJSON *why = cJSON_AddArrayToObject(o, "customer_keys_differing");
        for (int i = 0; i < r->nwhy[f]; i++)
            cJSON_AddItemToArray(why, cJSON_CreateString(r->why[f][i]));
    }
    cJSON *ps = cJSON_AddArrayToObject(root, "plans");
    for (int k = 0; k < r->nplans; k++) {
        const cmpf_plan *cp = &r->plans[k];
        const summary *sm = &r->pr[cp->file].sm;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(ps, o);
        cJSON_AddStringToObject(o, "label", cp->label);
        cJSON_AddStringToObject(o, "file", r->files[cp->file]);
        cJSON_AddStringToObject(o, "plan", r->pr[cp->file].s->plans[cp->plan].name);
        cJSON_AddItemToObject(o, "margin_pct", interval(sum_total(sm, cp->plan, TOT_MARGIN)));
        cJSON_AddItemToObject(o, "revenue", interval(sum_total(sm, cp->plan, TOT_REVENUE)));
        cJSON_AddItemToObject(o, "gross_profit", interval(sum_total(sm, cp->plan, TOT_GROSS_PROFIT)));
        if (k == 0)
            continue;
        const cmpf_diff *d = &r->diffs[k];
        cJSON *v = cJSON_AddObjectToObject(o, "vs_first");
        cJSON_AddBoolToObject(v, "paired", d->paired);
        cJSON_AddItemToObject(v, "margin_pts", interval(&d->margin));
        cJSON *un = cJSON_AddArrayToObject(v, "margin_pts_unpaired_ci95");
        cJSON_AddItemToArray(un, json_number_create(d->un_lo));
        cJSON_AddItemToArray(un, json_number_create(d->un_hi));
        cJSON_AddItemToObject(v, "gross_profit", interval(&d->profit));
        cJSON_AddItemToObject(v, "revenue", interval(&d->revenue));
    }
    return json_text_take(root);
}
