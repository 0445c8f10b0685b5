/* stress_out.c: the stress battery as a table, CSV, JSON, a report and one
 * plot per plan of every shock's margin path against the baseline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plots.h"
#include "sim/output/csv.h"
#include "sim/output/doc.h"
#include "sim/output/json.h"
#include "stress.h"

static const char *recovery(char *buf, size_t n, const stress_row *w)
{
    if (w->recover_month == 0)
        snprintf(buf, n, "never below");
    else if (w->recover_month < 0)
        snprintf(buf, n, "not by the horizon");
    else
        snprintf(buf, n, "month %d", w->recover_month);
    return buf;
}

static const char *band(char *buf, size_t n, const double *a)
{
    if (isnan(a[1]))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.1f/%.1f/%.1f", a[0], a[1], a[2]);
    return buf;
}

/* How many check months fall within the horizon (they ascend): a 12-month
 * scenario gets no month-24 and month-36 columns full of "-". */
static int checks_within(const stress_result *r)
{
    int n = 0;
    while (n < STRESS_NCHECKS && stress_check_months[n] <= r->nmonths)
        n++;
    return n;
}

void stress_print(FILE *out, const stress_result *r)
{
    char b[3][40], rec[40];
    int nc = checks_within(r);
    for (int p = 0; p < r->nplans; p++) {
        fprintf(out, "plan %s (target margin %g%%): gross margin ", r->plan_names[p], r->target[p]);
        if (nc)
            fprintf(out, "P5/P50/P95 in month%s ", nc > 1 ? "s" : "");
        for (int c = 0; c < nc; c++)
            fprintf(out, "%s%d", c == 0 ? "" : c == nc - 1 ? " and " : ", ", stress_check_months[c]);
        fprintf(out, "%sover the horizon\n", nc ? "; " : "");
        fprintf(out, "%-18s", "shock");
        for (int c = 0; c < nc; c++) {
            char h[16];
            snprintf(h, sizeof h, "month %d", stress_check_months[c]);
            fprintf(out, " %17s", h);
        }
        fprintf(out, " %8s %8s %7s %18s %s\n", "margin%", "P(<50%)", "P(<0)", "vs baseline (95%)", "back at target");
        for (int k = 0; k < r->nshocks; k++) {
            const stress_row *w = stress_at(r, k, p);
            if (!w->ran) {
                fprintf(out, "%-18.18s not applicable: %s\n", r->shocks[k].name, r->shocks[k].description);
                continue;
            }
            char d[40];
            if (k == 0)
                snprintf(d, sizeof d, "-");
            else
                snprintf(d, sizeof d, "%+.1f (%+.1f..%+.1f)", w->d_mean, w->d_lo, w->d_hi);
            fprintf(out, "%-18.18s", r->shocks[k].name);
            for (int c = 0; c < nc; c++)
                fprintf(out, " %17s", band(b[c], 40, w->at[c]));
            fprintf(out, " %8.1f %7.1f%% %6.1f%% %18s %s\n", w->mean, 100 * w->p_below_50, 100 * w->p_below_0, d,
                    recovery(rec, sizeof rec, w));
        }
        fputc('\n', out);
    }
}

char *stress_csv(const stress_result *r)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    static const char *const head[] = { "margin_mean", "margin_p5", "margin_p50", "margin_p95", "p_margin_below_50",
                                        "p_margin_below_0", "diff_vs_baseline", "diff_ci_lo", "diff_ci_hi",
                                        "gross_profit_mean", "months_below_target", "recover_month" };
    const int nhead = (int)(sizeof head / sizeof head[0]);
    csv_text(&w, "shock");
    csv_text(&w, "plan");
    csv_text(&w, "applicable");
    int nc = checks_within(r);
    for (int c = 0; c < nc; c++) {
        csv_textf(&w, "m%d_p5", stress_check_months[c]);
        csv_textf(&w, "m%d_p50", stress_check_months[c]);
        csv_textf(&w, "m%d_p95", stress_check_months[c]);
    }
    for (int i = 0; i < nhead; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    for (int k = 0; k < r->nshocks; k++)
        for (int p = 0; p < r->nplans; p++) {
            const stress_row *row = stress_at(r, k, p);
            csv_name(&w, r->shocks[k].name);
            csv_name(&w, r->plan_names[p]);
            csv_int(&w, row->ran);
            if (!row->ran) {
                csv_empty(&w, 3 * nc + nhead);
                csv_row_end(&w);
                continue;
            }
            for (int c = 0; c < nc; c++)
                for (int q = 0; q < 3; q++)
                    csv_number(&w, row->at[c][q]);
            double v[] = { row->mean, row->p5, row->p50, row->p95, row->p_below_50, row->p_below_0, row->d_mean,
                           row->d_lo, row->d_hi, row->profit };
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                csv_number(&w, v[i]);
            csv_int(&w, row->below_months);
            csv_int(&w, row->recover_month);
            csv_row_end(&w);
        }
    return csv_finish(&w, NULL);
}

/* One plan under one shock: the figures at the check months and over the
 * horizon, and its paired difference from the baseline. */
static cJSON *stress_plan_json(const stress_result *r, int k, int p)
{
    const stress_row *w = stress_at(r, k, p);
    cJSON *pj = cJSON_CreateObject();
    cJSON_AddStringToObject(pj, "plan", r->plan_names[p]);
    cJSON *at = cJSON_AddArrayToObject(pj, "months");
    for (int c = 0; c < STRESS_NCHECKS; c++) {
        if (isnan(w->at[c][1]))
            continue;
        cJSON *m = cJSON_CreateObject();
        cJSON_AddItemToArray(at, m);
        cJSON_AddNumberToObject(m, "month", stress_check_months[c]);
        json_number_add(m, "margin_p5", w->at[c][0]);
        json_number_add(m, "margin_p50", w->at[c][1]);
        json_number_add(m, "margin_p95", w->at[c][2]);
    }
    json_number_add(pj, "margin_mean", w->mean);
    json_number_add(pj, "margin_p5", w->p5);
    json_number_add(pj, "margin_p50", w->p50);
    json_number_add(pj, "margin_p95", w->p95);
    json_number_add(pj, "p_margin_below_50", w->p_below_50);
    json_number_add(pj, "p_margin_below_0", w->p_below_0);
    cJSON *d = cJSON_AddObjectToObject(pj, "vs_baseline");
    json_number_add(d, "mean", w->d_mean);
    json_number_add(d, "ci95_lo", w->d_lo);
    json_number_add(d, "ci95_hi", w->d_hi);
    json_number_add(pj, "gross_profit_mean", w->profit);
    cJSON_AddNumberToObject(pj, "months_below_target", w->below_months);
    if (w->recover_month < 0)
        cJSON_AddNullToObject(pj, "recover_month");
    else
        cJSON_AddNumberToObject(pj, "recover_month", w->recover_month);
    return pj;
}

char *stress_json(const stress_result *r, const provenance *pv)
{
    cJSON *root = json_document_create();
    json_provenance_add(root, pv);
    cJSON *shocks = cJSON_AddArrayToObject(root, "stress");
    for (int k = 0; k < r->nshocks; k++) {
        cJSON *sj = cJSON_CreateObject();
        cJSON_AddItemToArray(shocks, sj);
        cJSON_AddStringToObject(sj, "shock", r->shocks[k].name);
        cJSON_AddStringToObject(sj, "description", r->shocks[k].description);
        cJSON_AddBoolToObject(sj, "applicable", r->shocks[k].applicable);
        cJSON *ov = cJSON_AddArrayToObject(sj, "overrides");
        for (int i = 0; i < r->shocks[k].nsets; i++)
            cJSON_AddItemToArray(ov, cJSON_CreateString(r->shocks[k].sets[i]));
        if (r->shocks[k].ntimed > 0) {
            /* shocks in time are no --set: they go under the scenario's `shocks:` */
            cJSON *tv = cJSON_AddArrayToObject(sj, "shocks_in_time");
            for (int i = 0; i < r->shocks[k].ntimed; i++) {
                char buf[200];
                shock_describe(&r->shocks[k].timed[i], buf, sizeof buf);
                cJSON_AddItemToArray(tv, cJSON_CreateString(buf));
            }
        }
        cJSON *plans = cJSON_AddArrayToObject(sj, "plans");
        for (int p = 0; p < r->nplans && r->shocks[k].applicable; p++)
            cJSON_AddItemToArray(plans, stress_plan_json(r, k, p));
        cJSON *paths = cJSON_AddArrayToObject(sj, "mean_margin_by_month");
        for (int p = 0; p < r->nplans && r->shocks[k].applicable; p++) {
            cJSON *a = cJSON_CreateArray();
            for (int mo = 0; mo < r->nmonths; mo++)
                cJSON_AddItemToArray(a, json_number_create(r->paths[((size_t)k * r->nplans + p) * r->nmonths + mo]));
            cJSON_AddItemToArray(paths, a);
        }
    }
    return json_text_take(root);
}

extern const char *const plot_template_stress;

int stress_plots(const stress_result *r, const provenance *pv, const char *title, const plot_opts *o,
                 plot_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    int rc = TS_OK;
    for (int p = 0; p < r->nplans && rc == TS_OK; p++) {
        char *body = NULL, name[64], t[300];
        size_t len = 0;
        FILE *f = open_memstream(&body, &len);
        if (!f)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
        snprintf(t, sizeof t, "%s, plan %s: margin under each shock", title, r->plan_names[p]);
        plots_head(f, "stress battery", pv, t);
        int nl = 0;
        char *names = NULL;
        size_t nlen = 0;
        FILE *nf = open_memstream(&names, &nlen);
        for (int k = 0; nf && k < r->nshocks; k++)
            if (stress_at(r, k, p)->ran)
                fprintf(nf, "%s%s", nl++ ? " " : "", r->shocks[k].name);
        if (nf)
            fclose(nf);
        fputs("line_names = ", f);
        plots_gp_string(f, names ? names : "");
        free(names);
        fprintf(f, "\nnlines = %d\ntarget = %g\n$st << EOD\n", nl, r->target[p]);
        for (int k = 0; k < r->nshocks; k++) {
            if (!stress_at(r, k, p)->ran)
                continue;
            for (int mo = 0; mo < r->nmonths; mo++) {
                double v = r->paths[((size_t)k * r->nplans + p) * r->nmonths + mo];
                if (isfinite(v))
                    fprintf(f, "%d %.6g\n", mo + 1, v);
            }
            fputs("\n\n", f);
        }
        fputs("EOD\n", f);
        fclose(f);
        snprintf(name, sizeof name, "stress_%d", p + 1);
        rc = body ? plots_emit(name, plot_template_stress, body, o, rep, err)
                  : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        free(body);
    }
    return rc;
}

int stress_document(const stress_result *r, const provenance *pv, const char *title, const char *dir, bool plots,
                    ts_error *err)
{
    doc d = { 0 };
    char b[3][40], rec[40];
    doc_text(&d, B_H1, "Stress battery: %s", title);
    doc_text(&d, B_P,
             "tokensim %s, scenario %s (hash %016llx), seed %llu, %d replications per shock. Every shock runs with "
             "the baseline's random numbers, so its difference from the baseline is paired replication by "
             "replication. Margins are gross margins in percent; P5/P50/P95 are across replications.",
             pv->version, pv->scenario_file, (unsigned long long)pv->hash, (unsigned long long)pv->seed,
             pv->replications);
    for (int p = 0; p < r->nplans; p++) {
        doc_text(&d, B_H2, "Plan %s (target margin %g%%)", r->plan_names[p], r->target[p]);
        int nc = checks_within(r), ncol = 1 + nc + 5;
        block *t = doc_table(&d, r->nshocks + 1, ncol);
        doc_cell(&d, t, 0, 0, "shock");
        for (int c = 0; c < nc; c++)
            doc_cell(&d, t, 0, 1 + c, c == 0 ? "month %d P5/P50/P95" : "month %d", stress_check_months[c]);
        const char *head[] = { "horizon margin %", "P(<50%)", "P(<0)", "vs baseline (95% CI)", "back at target" };
        for (int c = 0; c < 5; c++)
            doc_cell(&d, t, 0, 1 + nc + c, "%s", head[c]);
        for (int k = 0; k < r->nshocks; k++) {
            const stress_row *w = stress_at(r, k, p);
            doc_cell(&d, t, k + 1, 0, "%s", r->shocks[k].name);
            if (!w->ran) {
                for (int c = 1; c < ncol; c++)
                    doc_cell(&d, t, k + 1, c, "%s", c == 1 ? "not applicable" : "");
                continue;
            }
            for (int c = 0; c < nc; c++)
                doc_cell(&d, t, k + 1, 1 + c, "%s", band(b[c], 40, w->at[c]));
            doc_cell(&d, t, k + 1, nc + 1, "%.1f", w->mean);
            doc_cell(&d, t, k + 1, nc + 2, "%.1f%%", 100 * w->p_below_50);
            doc_cell(&d, t, k + 1, nc + 3, "%.1f%%", 100 * w->p_below_0);
            if (k == 0)
                doc_cell(&d, t, k + 1, nc + 4, "-");
            else
                doc_cell(&d, t, k + 1, nc + 4, "%+.1f (%+.1f..%+.1f)", w->d_mean, w->d_lo, w->d_hi);
            doc_cell(&d, t, k + 1, nc + 5, "%s", recovery(rec, sizeof rec, w));
        }
        if (plots) {
            char file[64];
            snprintf(file, sizeof file, "plots/stress_%d.png", p + 1);
            doc_image(&d, file, "Mean monthly gross margin under each shock; the baseline is the thick line.");
        }
    }
    doc_text(&d, B_H2, "The shocks");
    block *t = doc_table(&d, r->nshocks, 2);
    doc_cell(&d, t, 0, 0, "shock");
    doc_cell(&d, t, 0, 1, "what it changes");
    for (int k = 1; k < r->nshocks; k++) {
        doc_cell(&d, t, k, 0, "%s", r->shocks[k].name);
        doc_cell(&d, t, k, 1, "%s%s", r->shocks[k].description, r->shocks[k].applicable ? "" : " (not applicable)");
    }
    int rc = doc_write(&d, dir, "stress", err);
    doc_free(&d);
    return rc;
}
