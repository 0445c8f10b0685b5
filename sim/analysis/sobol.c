/* sobol.c: Sobol indices of a scenario's figures over its uncertain inputs
 * (sobol.h): the evaluation callback (a copy of the scenario per point, R
 * replications on the scenario's seed) and the files and table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "plots/plots.h"
#include "sim/engine/outer.h"
#include "sim/engine/stats.h"
#include "sim/output/csv.h"
#include "sim/output/json.h"
#include "sobol.h"

const char *const sobol_output_names[SOBOL_OUTPUTS] = { "horizon_margin_pct", "gross_profit",
                                                        "p5_month_margin_pct" };

typedef struct eval_ctx {
    const scenario *s;
    const char *text;
    const sobol_run *o;
} eval_ctx;

/* the three figures of plan p over r's replications */
static void figures(const run_result *r, int p, double *y)
{
    double tot[TOT_COUNT], margin = 0, profit = 0;
    size_t nm = (size_t)r->nreps * r->nmonths, d = 0;
    double *months = malloc(nm * sizeof *months);
    for (int i = 0; i < r->nreps; i++) {
        summary_rep_totals(r, i, p, tot);
        margin += tot[TOT_MARGIN];
        profit += tot[TOT_GROSS_PROFIT];
        for (int m = 0; months && m < r->nmonths; m++) {
            double v = run_month(r, i, p, m)[MET_MARGIN];
            if (isfinite(v))
                months[d++] = v;
        }
    }
    y[SOBOL_MARGIN] = margin / r->nreps;
    y[SOBOL_PROFIT] = profit / r->nreps;
    y[SOBOL_P5_MONTH_MARGIN] = NAN;
    if (months && d) {
        gsl_sort(months, 1, d);
        y[SOBOL_P5_MONTH_MARGIN] = gsl_stats_quantile_from_sorted_data(months, 1, d, 0.05);
    }
    free(months);
}

static int evaluate(void *ctx, const double *u, double *y, ts_error *err)
{
    const eval_ctx *c = ctx;
    const uncertain_cfg *uc = &c->s->uncertain;
    double x[UNC_MAX_INPUTS];
    for (int i = 0; i < uc->ninputs; i++)
        x[i] = ts_dist_Pinv(&uc->inputs[i].law, u[i]);
    scenario *copy = scenario_new();
    if (!copy)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    int rc = outer_copy(c->s, c->text, x, copy, err);
    if (rc == TS_OK) {
        engine_opts eo = { .threads = 1, .first = 0, .count = c->o->nreps, .stop = c->o->stop };
        run_result rr;
        rc = engine_run_rows(copy, &eo, NULL, true, &rr, err);
        if (rc == TS_OK) {
            figures(&rr, c->o->plan, y);
            run_result_free(&rr);
        }
    }
    scenario_free(copy);
    return rc;
}

int sobol_scenario(const scenario *s, const sobol_run *o, sobol_result *r, ts_error *err)
{
    if (s->uncertain.ninputs < 1)
        return ts_error_set(err, TS_ERR_INPUT, s->source, 0, 0,
                            "no uncertain inputs in the scenario: expected an 'uncertain:' section "
                            "(docs/uncertainty.md)");
    char *text = outer_base_text(s);
    if (!text)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    eval_ctx c = { s, text, o };
    /* a stop flag of sig_atomic_t, read as int by the estimator */
    sobol_opts so = { .k = s->uncertain.ninputs, .ny = SOBOL_OUTPUTS, .n = o->n, .boot = o->boot, .seed = s->seed,
                      .threads = o->threads, .stop = (volatile int *)o->stop };
    int rc = sobol_estimate(evaluate, &c, &so, r, err);
    free(text);
    return rc;
}

char *sobol_csv(const scenario *s, const sobol_result *r)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    const char *head[] = { "output", "input", "n", "s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi" };
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    for (int o = 0; o < r->ny; o++)
        for (int i = 0; i < r->k; i++) {
            const sobol_index *x = sobol_at(r, o, i);
            csv_text(&w, sobol_output_names[o]);
            csv_name(&w, s->uncertain.inputs[i].path);
            csv_int(&w, r->n);
            csv_number(&w, x->s1);
            csv_number(&w, x->s1_lo);
            csv_number(&w, x->s1_hi);
            csv_number(&w, x->st);
            csv_number(&w, x->st_lo);
            csv_number(&w, x->st_hi);
            csv_row_end(&w);
        }
    size_t len;
    return csv_finish(&w, &len);
}

char *sobol_convergence_csv(const scenario *s, const sobol_result *r)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    const char *head[] = { "output", "input", "n", "s1", "st" };
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    size_t kk = (size_t)r->k * r->ny;
    for (int o = 0; o < r->ny; o++)
        for (int i = 0; i < r->k; i++)
            for (int c = 0; c < r->nconv; c++) {
                csv_text(&w, sobol_output_names[o]);
                csv_name(&w, s->uncertain.inputs[i].path);
                csv_int(&w, r->conv_n[c]);
                csv_number(&w, r->conv_s1[c * kk + (size_t)o * r->k + i]);
                csv_number(&w, r->conv_st[c * kk + (size_t)o * r->k + i]);
                csv_row_end(&w);
            }
    size_t len;
    return csv_finish(&w, &len);
}

char *sobol_json(const scenario *s, const sobol_run *o, const sobol_result *r, const provenance *pv)
{
    cJSON *root = json_document_create();
    json_provenance_add(root, pv);
    cJSON_AddStringToObject(root, "scenario", s->name);
    cJSON_AddStringToObject(root, "plan", s->plans[o->plan].name);
    cJSON_AddNumberToObject(root, "base_samples", r->n);
    cJSON_AddNumberToObject(root, "evaluations", (double)r->n * (r->k + 2));
    cJSON_AddNumberToObject(root, "replications_per_evaluation", o->nreps);
    cJSON_AddNumberToObject(root, "bootstrap", o->boot);
    cJSON *outs = cJSON_AddArrayToObject(root, "outputs");
    for (int y = 0; y < r->ny; y++) {
        cJSON *oo = cJSON_CreateObject();
        cJSON_AddStringToObject(oo, "output", sobol_output_names[y]);
        json_number_add(oo, "mean", r->mean[y]);
        json_number_add(oo, "variance", r->var[y]);
        cJSON *ins = cJSON_AddArrayToObject(oo, "inputs");
        for (int i = 0; i < r->k; i++) {
            const sobol_index *x = sobol_at(r, y, i);
            cJSON *in = cJSON_CreateObject();
            cJSON_AddStringToObject(in, "input", s->uncertain.inputs[i].path);
            json_number_add(in, "s1", x->s1);
            json_number_add(in, "s1_lo", x->s1_lo);
            json_number_add(in, "s1_hi", x->s1_hi);
            json_number_add(in, "st", x->st);
            json_number_add(in, "st_lo", x->st_lo);
            json_number_add(in, "st_hi", x->st_hi);
            cJSON_AddItemToArray(ins, in);
        }
        cJSON_AddItemToArray(outs, oo);
    }
    return json_text_take(root);
}

void sobol_print(FILE *out, const scenario *s, const sobol_run *o, const sobol_result *r)
{
    for (int y = 0; y < r->ny; y++) {
        fprintf(out, "%s of plan '%s' (mean %.4g, variance %.4g over the design)\n", sobol_output_names[y],
                s->plans[o->plan].name, r->mean[y], r->var[y]);
        fprintf(out, "  %-34s %7s %17s %7s %17s\n", "input", "S1", "95% interval", "ST", "95% interval");
        for (int i = 0; i < r->k; i++) {
            const sobol_index *x = sobol_at(r, y, i);
            fprintf(out, "  %-34s %7.3f  [%6.3f, %6.3f] %7.3f  [%6.3f, %6.3f]\n", s->uncertain.inputs[i].path, x->s1,
                    x->s1_lo, x->s1_hi, x->st, x->st_lo, x->st_hi);
        }
        fprintf(out, "\n");
    }
}

extern const char *const plot_template_sobol, *const plot_template_sobol_convergence;

static char *bars(const scenario *s, const sobol_run *o, const sobol_result *r, const provenance *pv)
{
    char *body = NULL, t[300];
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f)
        return NULL;
    snprintf(t, sizeof t, "%s, plan %s: what drives the horizon margin's variance (N = %d)", s->name,
             s->plans[o->plan].name, r->n);
    plots_head(f, "sobol", pv, t);
    fprintf(f, "nrows = %d\n$s << EOD\n", r->k);
    for (int i = 0; i < r->k; i++) {
        const sobol_index *x = sobol_at(r, SOBOL_MARGIN, i);
        fprintf(f, "%d %.6g %.6g %.6g %.6g %.6g %.6g ", r->k - i, x->s1, x->s1_lo, x->s1_hi, x->st, x->st_lo,
                x->st_hi);
        plots_gp_datum(f, s->uncertain.inputs[i].path);
        fputc('\n', f);
    }
    fputs("EOD\n", f);
    fclose(f);
    return body;
}

static char *convergence(const scenario *s, const sobol_run *o, const sobol_result *r, const provenance *pv)
{
    char *body = NULL, t[300];
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f)
        return NULL;
    snprintf(t, sizeof t, "%s, plan %s: Sobol indices of the horizon margin as the design grows", s->name,
             s->plans[o->plan].name);
    plots_head(f, "sobol_convergence", pv, t);
    fprintf(f, "ninputs = %d\ninput_names = ", r->k);
    char names[UNC_MAX_INPUTS * (CHANGE_PATH_LEN + 1)] = "";
    for (int i = 0; i < r->k; i++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? " " : "", s->uncertain.inputs[i].path);
    plots_gp_string(f, names);
    fprintf(f, "\n$c << EOD\n");
    size_t kk = (size_t)r->k * r->ny;
    for (int i = 0; i < r->k; i++) {
        for (int c = 0; c < r->nconv; c++)
            fprintf(f, "%d %.6g %.6g\n", r->conv_n[c], r->conv_s1[c * kk + (size_t)SOBOL_MARGIN * r->k + i],
                    r->conv_st[c * kk + (size_t)SOBOL_MARGIN * r->k + i]);
        fprintf(f, "\n\n");
    }
    fputs("EOD\n", f);
    fclose(f);
    return body;
}

int sobol_plot(const scenario *s, const sobol_run *o, const sobol_result *r, const provenance *pv,
               const plot_opts *po, plot_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    char *b = bars(s, o, r, pv), *c = convergence(s, o, r, pv);
    int rc = b && c ? TS_OK : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
    if (rc == TS_OK)
        rc = plots_emit("sobol", plot_template_sobol, b, po, rep, err);
    if (rc == TS_OK)
        rc = plots_emit("sobol_convergence", plot_template_sobol_convergence, c, po, rep, err);
    free(b);
    free(c);
    return rc;
}
