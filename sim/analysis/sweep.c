/* sweep.c: grid axes for `tokensim sweep`. */
#include "sweep.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/output/csv.h"
#include "sim/output/json.h"

int sweep_axis_parse(const char *arg, sweep_axis *ax, ts_error *err)
{
    memset(ax, 0, sizeof *ax);
    double v[3] = { 0, 0, 0 };
    int nv = change_range_parse(arg, ax->path, v);
    if (nv < 0 || !strchr(arg, '='))
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "invalid --vary '%s': expected path=from:to:step, such as plans.pro.price=10:40:5", arg);
    ax->from = v[0], ax->to = v[1], ax->step = v[2];
    if (nv < 2)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "invalid --vary '%s': expected path=from:to:step with numbers, such as "
                            "plans.pro.price=10:40:5", arg);
    if (ax->from == ax->to) {
        ax->n = 1;
        return TS_OK;
    }
    if (ax->step == 0 || (ax->to - ax->from) / ax->step < 0)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "empty range in --vary '%s': a step of %g never goes from %g to %g", arg, ax->step,
                            ax->from, ax->to);
    double count = floor((ax->to - ax->from) / ax->step + 1e-9) + 1;
    if (count > SWEEP_MAX_POINTS)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "too many points in --vary '%s': %.0f, at most %d", arg,
                            count, SWEEP_MAX_POINTS);
    ax->n = (int)count;
    return TS_OK;
}

double sweep_axis_value(const sweep_axis *ax, int i)
{
    double v = ax->from + i * ax->step;
    /* 0.1 + 2 x 0.1 should print as 0.3: round to 12 significant digits */
    char buf[40];
    snprintf(buf, sizeof buf, "%.12g", v);
    return strtod(buf, NULL);
}

/* ---- running the grid ------------------------------------------------------ */

#include "probe.h"

void sweep_free(sweep_result *r)
{
    free(r->rows);
    memset(r, 0, sizeof *r);
}

int sweep_run(const char *file, const char *const *sets, int nsets, const sweep_axis *axes, int naxes, int threads,
              volatile sig_atomic_t *stop, sweep_result *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    if (naxes < 1 || naxes > SWEEP_MAX_AXES)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "a sweep varies 1 or %d values, not %d", SWEEP_MAX_AXES,
                            naxes);
    out->naxes = naxes;
    for (int a = 0; a < naxes; a++)
        out->axis[a] = axes[a];
    int ny = naxes > 1 ? axes[1].n : 1, npts = axes[0].n * ny;
    if (npts > SWEEP_MAX_POINTS)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "too many grid points: %d, at most %d", npts,
                            SWEEP_MAX_POINTS);
    char set[2][260];
    const char *extra[2] = { set[0], set[1] };
    char *text = probe_text(file);
    probe_opts po = { threads, stop, 0, text };
    int rc = TS_OK;
    probe_meter_plan(npts);
    for (int p = 0; p < npts && rc == TS_OK; p++) {
        double v[2] = { sweep_axis_value(&axes[0], p / ny), naxes > 1 ? sweep_axis_value(&axes[1], p % ny) : 0 };
        for (int a = 0; a < naxes; a++)
            snprintf(set[a], sizeof set[a], "%s=%.12g", axes[a].path, v[a]);
        probe pr;
        if ((rc = probe_run(&pr, file, sets, nsets, extra, naxes, &po, err)))
            break;
        const scenario *s = pr.s;
        if (!out->rows) {
            out->nplans = s->nplans;
            out->menu = s->wtp.on && s->wtp.choice == CHOICE_MENU;
            for (int q = 0; q < s->nplans; q++)
                snprintf(out->plan_names[q], PLAN_NAME_LEN, "%s", s->plans[q].name);
            out->rows = calloc((size_t)npts * s->nplans, sizeof *out->rows);
            if (!out->rows) {
                probe_free(&pr);
                rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
                break;
            }
        }
        const summary *sm = &pr.sm;
        for (int q = 0; q < s->nplans && q < out->nplans; q++) {
            sweep_row *row = &out->rows[out->nrows++];
            const ts_stat *m = sum_total(sm, q, TOT_MARGIN);
            *row = (sweep_row){ v[0], v[1], q, m->mean, m->se, m->p5, m->p50, m->p95, sm->p_margin_below_50[q],
                                sm->p_margin_below_0[q], sum_total(sm, q, TOT_REVENUE)->mean,
                                sum_total(sm, q, TOT_GROSS_PROFIT)->mean, m->ci_lo, m->ci_hi,
                                sum_total(sm, q, TOT_FINAL_CUSTOMERS)->mean, sum_total(sm, q, TOT_FINAL_CUSTOMERS)->p5,
                                sum_total(sm, q, TOT_FINAL_CUSTOMERS)->p95 };
        }
        if (p == 0)
            tail_check(s, &pr.rr, &out->tail);
        probe_free(&pr);
    }
    free(text);
    if (rc)
        sweep_free(out);
    return rc;
}

void sweep_print(FILE *out, const sweep_result *r)
{
    size_t nw = 12; /* the plan column fits the longest name: names are never cut */
    for (int p = 0; p < r->nplans; p++)
        if (strlen(r->plan_names[p]) > nw)
            nw = strlen(r->plan_names[p]);
    fprintf(out, "%14.14s", r->axis[0].path);
    if (r->naxes > 1)
        fprintf(out, " %14.14s", r->axis[1].path);
    fprintf(out, " %-*s %9s %8s %17s %9s %8s %14s%s\n", (int)nw, "plan", "margin%", "se", "p5..p95", "P(<50%)", "P(<0)",
            "gross profit $", r->menu ? "      revenue $  customers" : "");
    for (int i = 0; i < r->nrows; i++) {
        const sweep_row *w = &r->rows[i];
        fprintf(out, "%14.6g", w->x);
        if (r->naxes > 1)
            fprintf(out, " %14.6g", w->y);
        fprintf(out, " %-*s %9.2f %8.3f %8.1f..%-8.1f %8.1f%% %7.1f%% %14.0f", (int)nw, r->plan_names[w->plan],
                w->margin_mean, w->margin_se, w->margin_p5, w->margin_p95, 100 * w->p_below_50, 100 * w->p_below_0,
                w->gross_profit);
        if (r->menu)
            fprintf(out, " %14.0f %10.0f", w->revenue, w->customers);
        fputc('\n', out);
    }
}

char *sweep_csv(const sweep_result *r)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    for (int a = 0; a < r->naxes; a++)
        csv_text(&w, r->axis[a].path);
    static const char *const head[] = { "plan", "margin_mean", "margin_se", "margin_p5", "margin_p50", "margin_p95",
                                        "p_margin_below_50", "p_margin_below_0", "revenue_mean", "gross_profit_mean",
                                        "margin_ci_lo", "margin_ci_hi" };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_text(&w, head[i]);
    if (r->menu) {
        csv_text(&w, "customers_mean");
        csv_text(&w, "customers_p5");
        csv_text(&w, "customers_p95");
    }
    csv_row_end(&w);
    for (int i = 0; i < r->nrows; i++) {
        const sweep_row *row = &r->rows[i];
        csv_value(&w, row->x);
        if (r->naxes > 1)
            csv_value(&w, row->y);
        csv_name(&w, r->plan_names[row->plan]);
        double v[] = { row->margin_mean, row->margin_se, row->margin_p5, row->margin_p50, row->margin_p95,
                       row->p_below_50, row->p_below_0, row->revenue, row->gross_profit, row->margin_ci_lo,
                       row->margin_ci_hi };
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            csv_number(&w, v[k]);
        if (r->menu) {
            csv_number(&w, row->customers);
            csv_number(&w, row->customers_p5);
            csv_number(&w, row->customers_p95);
        }
        csv_row_end(&w);
    }
    return csv_finish(&w, NULL);
}

char *sweep_json(const sweep_result *r, const provenance *pv)
{
    cJSON *root = json_document_create();
    json_provenance_add(root, pv);
    cJSON *axes = cJSON_AddArrayToObject(root, "axes");
    for (int a = 0; a < r->naxes; a++) {
        cJSON *ax = cJSON_CreateObject();
        cJSON_AddItemToArray(axes, ax);
        cJSON_AddStringToObject(ax, "path", r->axis[a].path);
        json_number_add(ax, "from", r->axis[a].from);
        json_number_add(ax, "to", r->axis[a].to);
        json_number_add(ax, "step", r->axis[a].step);
        cJSON_AddNumberToObject(ax, "n", r->axis[a].n);
    }
    cJSON *pts = cJSON_AddArrayToObject(root, "points");
    for (int i = 0; i < r->nrows; i++) {
        const sweep_row *row = &r->rows[i];
        cJSON *p = cJSON_CreateObject();
        cJSON_AddItemToArray(pts, p);
        json_number_add(p, "x", row->x);
        if (r->naxes > 1)
            json_number_add(p, "y", row->y);
        cJSON_AddStringToObject(p, "plan", r->plan_names[row->plan]);
        cJSON *m = cJSON_AddObjectToObject(p, "margin");
        json_number_add(m, "mean", row->margin_mean);
        json_number_add(m, "se", row->margin_se);
        json_number_add(m, "p5", row->margin_p5);
        json_number_add(m, "p50", row->margin_p50);
        json_number_add(m, "p95", row->margin_p95);
        json_number_add(p, "p_margin_below_50", row->p_below_50);
        json_number_add(p, "p_margin_below_0", row->p_below_0);
        json_number_add(p, "revenue_mean", row->revenue);
        json_number_add(p, "gross_profit_mean", row->gross_profit);
        if (r->menu) {
            cJSON *cu = cJSON_AddObjectToObject(p, "customers");
            json_number_add(cu, "mean", row->customers);
            json_number_add(cu, "p5", row->customers_p5);
            json_number_add(cu, "p95", row->customers_p95);
        }
    }
    return json_text_take(root);
}
