/* optimize.c: design of experiments, a penalised simplex, the frontier. */
#include "optimize.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plots.h"
#include "sim/output/csv.h"
#include "sim/output/doc.h"
#include "sim/output/json.h"
#include "probe.h"
#include "sim/engine/rng.h"

int opt_axis_parse(const char *arg, opt_axis *ax, ts_error *err)
{
    memset(ax, 0, sizeof *ax);
    double v[3] = { 0, 0, 0 };
    int nv = change_range_parse(arg, ax->path, v);
    if (nv < 2 || (nv == 3 && !(v[2] > 0)))
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "invalid --vary '%s': expected PATH=LO:HI or PATH=LO:HI:STEP with numbers (a step > 0)",
                            arg);
    ax->lo = v[0], ax->hi = v[1], ax->step = v[2];
    if (!(ax->lo < ax->hi))
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "empty range in --vary '%s': expected LO < HI", arg);
    return TS_OK;
}

typedef struct ctx {
    const char *file;
    char *text;              /* the file's, read once */
    const char *const *sets;
    int nsets;
    const opt_axis *ax;
    int nax;
    const opt_opts *o;
    opt_result *out;
    double *margins;
    ts_error *err;
    int rc;
    int stage;
    double scale;            /* profit units of the penalty */
} ctx;

static const opt_point *eval(ctx *c, const double *x0)
{
    double x[OPT_MAX_AXES];
    for (int a = 0; a < c->nax; a++) {
        x[a] = fmin(fmax(x0[a], c->ax[a].lo), c->ax[a].hi);
        if (c->ax[a].step > 0)
            x[a] = c->ax[a].lo + round((x[a] - c->ax[a].lo) / c->ax[a].step) * c->ax[a].step;
    }
    for (int i = 0; i < c->out->n; i++) {
        bool same = true;
        for (int a = 0; a < c->nax; a++)
            same &= c->out->pts[i].x[a] == x[a];
        if (same)
            return &c->out->pts[i];
    }
    if (c->rc)
        return NULL;
    if (c->out->n == OPT_MAX_POINTS) {
        c->rc = ts_error_set(c->err, TS_ERR_RUNTIME, NULL, 0, 0, "more than %d evaluations", OPT_MAX_POINTS);
        return NULL;
    }
    char buf[OPT_MAX_AXES][CHANGE_SET_LEN];
    const char *extra[OPT_MAX_AXES];
    for (int a = 0; a < c->nax; a++) {
        snprintf(buf[a], sizeof buf[a], "%s=%.12g", c->ax[a].path, x[a]);
        extra[a] = buf[a];
    }
    probe pr;
    probe_opts po = { c->o->threads, c->o->stop, 0, c->text };
    if ((c->rc = probe_run(&pr, c->file, c->sets, c->nsets, extra, c->nax, &po, c->err)))
        return NULL;
    opt_point *p = &c->out->pts[c->out->n++];
    memset(p, 0, sizeof *p);
    memcpy(p->x, x, sizeof x);
    p->stage = c->stage;
    const ts_stat *gp = sum_total(&pr.sm, c->o->plan, TOT_GROSS_PROFIT);
    p->profit = gp->mean;
    p->profit_se = gp->se;
    p->margin = sum_total(&pr.sm, c->o->plan, TOT_MARGIN)->mean;
    int nr = pr.rr.nreps, below = 0;
    c->out->nreps = nr;
    probe_rep_totals(&pr, c->o->plan, TOT_MARGIN, c->margins);
    for (int i = 0; i < nr; i++)
        below += !(c->margins[i] >= c->o->risk_below);   /* no revenue counts as below */
    p->risk = (double)below / nr;
    p->feasible = p->risk <= c->o->max_risk;
    if (!c->out->plan_name[0])
        snprintf(c->out->plan_name, sizeof c->out->plan_name, "%s", pr.s->plans[c->o->plan].name);
    if (c->out->n == 1)
        tail_check(pr.s, &pr.rr, &c->out->tail);
    probe_free(&pr);
    return p;
}

/* The simplex minimises minus the profit plus a penalty for the risk over
 * the limit, in units of the design's best profit. */
static double objective(const gsl_vector *v, void *params)
{
    ctx *c = params;
    double x[OPT_MAX_AXES];
    for (int a = 0; a < c->nax; a++)
        x[a] = gsl_vector_get(v, (size_t)a);
    const opt_point *p = eval(c, x);
    if (!p)
        return GSL_POSINF;
    return -p->profit + c->scale * 100 * fmax(0, p->risk - c->o->max_risk);
}

static void design(ctx *c)
{
    const opt_axis *ax = c->ax;
    long total = 1;
    bool grid = true;
    for (int a = 0; a < c->nax; a++) {
        grid &= ax[a].step > 0;
        if (ax[a].step > 0)
            total *= (long)floor((ax[a].hi - ax[a].lo) / ax[a].step + 1e-9) + 1;
    }
    c->out->grid = grid && total <= c->o->points;
    probe_meter_plan(c->out->grid ? (int)total : c->o->points);
    double x[OPT_MAX_AXES];
    if (c->out->grid) {
        for (long k = 0; k < total && !c->rc; k++) {
            long r = k;
            for (int a = c->nax - 1; a >= 0; a--) {
                long na = (long)floor((ax[a].hi - ax[a].lo) / ax[a].step + 1e-9) + 1;
                x[a] = ax[a].lo + (double)(r % na) * ax[a].step;
                r /= na;
            }
            eval(c, x);
        }
        return;
    }
    /* Latin hypercube: one point in each of n strata of every axis, the
     * strata paired by random permutations, from a stream of its own */
    int n = c->o->points;
    gsl_rng *g = ts_rng_create(0x6f7074696d697a65ULL, 0);
    int *perm = malloc((size_t)n * OPT_MAX_AXES * sizeof *perm);
    if (!g || !perm) {
        c->rc = ts_error_set(c->err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    } else {
        for (int a = 0; a < c->nax; a++) {
            int *pa = perm + a * n;
            for (int i = 0; i < n; i++)
                pa[i] = i;
            for (int i = n - 1; i > 0; i--) {
                int j = (int)gsl_rng_uniform_int(g, (unsigned long)i + 1), t = pa[i];
                pa[i] = pa[j];
                pa[j] = t;
            }
        }
        for (int i = 0; i < n && !c->rc; i++) {
            for (int a = 0; a < c->nax; a++)
                x[a] = ax[a].lo + (ax[a].hi - ax[a].lo) * (perm[a * n + i] + gsl_rng_uniform(g)) / n;
            eval(c, x);
        }
    }
    free(perm);
    if (g)
        gsl_rng_free(g);
}

static void pick(opt_result *r)
{
    r->best = r->least_risky = -1;
    for (int i = 0; i < r->n; i++) {
        opt_point *p = &r->pts[i];
        if (p->feasible && (r->best < 0 || p->profit > r->pts[r->best].profit))
            r->best = i;
        if (r->least_risky < 0 || p->risk < r->pts[r->least_risky].risk
            || (p->risk == r->pts[r->least_risky].risk && p->profit > r->pts[r->least_risky].profit))
            r->least_risky = i;
    }
    /* the frontier: no other point has at most the risk and more profit */
    for (int i = 0; i < r->n; i++) {
        opt_point *p = &r->pts[i];
        p->frontier = true;
        for (int j = 0; j < r->n && p->frontier; j++)
            if (j != i && r->pts[j].risk <= p->risk && r->pts[j].profit > p->profit)
                p->frontier = false;
    }
}

int optimize_run(const char *file, const char *const *sets, int nsets, const opt_axis *ax, int nax, const opt_opts *o,
                 opt_result *out, ts_error *err)
{
    memset(out, 0, sizeof *out);
    out->nax = nax;
    memcpy(out->ax, ax, (size_t)nax * sizeof *ax);
    ctx c = { file, probe_text(file), sets, nsets, ax, nax, o, out, malloc(100000 * sizeof(double)), err, TS_OK, 0,
              1 };
    if (!c.margins) {
        free(c.text);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    }
    design(&c);
    pick(out);
    bool continuous = false;
    for (int a = 0; a < nax; a++)
        continuous |= ax[a].step <= 0;
    if (!c.rc && out->best >= 0 && continuous) {
        out->simplex = true;
        c.stage = 1;
        probe_meter_plan(20);    /* a guess at the simplex's steps; the meter grows past it */
        c.scale = fmax(fabs(out->pts[out->best].profit), 1);
        gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, (size_t)nax);
        gsl_vector *x = gsl_vector_alloc((size_t)nax), *step = gsl_vector_alloc((size_t)nax);
        if (m && x && step) {
            for (int a = 0; a < nax; a++) {
                gsl_vector_set(x, (size_t)a, out->pts[out->best].x[a]);
                gsl_vector_set(step, (size_t)a, (ax[a].hi - ax[a].lo) / 10);
            }
            gsl_multimin_function F = { objective, (size_t)nax, &c };
            gsl_multimin_fminimizer_set(m, &F, x, step);
            for (int it = 0; it < 40 && !c.rc; it++) {
                if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS)
                    break;
                double span = 0;
                for (int a = 0; a < nax; a++)
                    span = fmax(span, (ax[a].hi - ax[a].lo));
                if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), 1e-4 * span) == GSL_SUCCESS)
                    break;
            }
        } else {
            c.rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        }
        gsl_vector_free(x);
        gsl_vector_free(step);
        gsl_multimin_fminimizer_free(m);
        pick(out);
    }
    if (!c.rc)
        probe_meter_finish();
    free(c.margins);
    free(c.text);
    return c.rc;
}

int optimize_plan_required(const scenario *s, ts_error *err)
{
    if (s->nplans <= 1)
        return TS_OK;
    char names[600];
    size_t len = 0;
    names[0] = 0;
    for (int p = 0; p < s->nplans && len < sizeof names; p++)
        len += (size_t)snprintf(names + len, sizeof names - len, "%s'%s'", p ? ", " : "", s->plans[p].name);
    return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                        "optimize needs --plan: the scenario has %d plans (%s)", s->nplans, names);
}

bool optimize_flat(const opt_result *r)
{
    double lo = INFINITY, hi = -INFINITY;
    int n = 0;
    for (int i = 0; i < r->n; i++)
        if (r->pts[i].feasible) {
            lo = fmin(lo, r->pts[i].profit);
            hi = fmax(hi, r->pts[i].profit);
            n++;
        }
    return n > 1 && hi - lo <= 1e-9 * fmax(fabs(hi), 1);
}

/* ---- outputs ------------------------------------------------------------- */

static void point_values(FILE *f, const opt_result *r, const opt_point *p)
{
    for (int a = 0; a < r->nax; a++)
        fprintf(f, "%s%s = %.6g", a ? ", " : "", r->ax[a].path, p->x[a]);
}

void optimize_print(FILE *f, const opt_result *r, const opt_opts *o)
{
    fprintf(f, "plan %s: most expected gross profit with P(margin < %g%%) <= %g; %d points (%s%s)\n\n",
            r->plan_name, o->risk_below, o->max_risk, r->n, r->grid ? "a grid" : "a Latin hypercube",
            r->simplex ? ", then the simplex" : "");
    if (r->best >= 0 && optimize_flat(r)) {
        fprintf(f, "the objective is flat: every point within the limit earns $%.0f; the varied values do not change "
                   "the profit, so no point is best\n", r->pts[r->best].profit);
    } else if (r->best >= 0) {
        const opt_point *b = &r->pts[r->best];
        fputs("best: ", f);
        point_values(f, r, b);
        fprintf(f, "\n      gross profit $%.0f (+-%.0f), margin %.2f%%, P(margin < %g%%) = %.3f\n", b->profit,
                1.96 * b->profit_se, b->margin, o->risk_below, b->risk);
    } else {
        const opt_point *b = &r->pts[r->least_risky];
        fprintf(f, "no point meets P(margin < %g%%) <= %g; the least risky is ", o->risk_below, o->max_risk);
        point_values(f, r, b);
        fprintf(f, "\n      with P = %.3f, gross profit $%.0f, margin %.2f%%\n", b->risk, b->profit, b->margin);
    }
    fprintf(f, "\nthe profit-risk frontier (no other point has less risk and more profit):\n");
    fprintf(f, "%8s %14s %9s  values\n", "risk", "gross profit", "margin%");
    for (int i = 0; i < r->n; i++) {
        const opt_point *p = &r->pts[i];
        if (!p->frontier)
            continue;
        fprintf(f, "%8.3f %14.0f %9.2f  ", p->risk, p->profit, p->margin);
        point_values(f, r, p);
        fputc('\n', f);
    }
}

char *optimize_csv(const opt_result *r)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    for (int a = 0; a < r->nax; a++)
        csv_text(&w, r->ax[a].path);
    static const char *const head[] = { "gross_profit_mean", "gross_profit_se", "margin_mean", "risk", "feasible",
                                        "frontier", "stage" };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    for (int i = 0; i < r->n; i++) {
        const opt_point *p = &r->pts[i];
        for (int a = 0; a < r->nax; a++)
            csv_value(&w, p->x[a]);
        csv_number(&w, p->profit);
        csv_number(&w, p->profit_se);
        csv_number(&w, p->margin);
        csv_number(&w, p->risk);
        csv_int(&w, p->feasible);
        csv_int(&w, p->frontier);
        csv_text(&w, p->stage ? "simplex" : "design");
        csv_row_end(&w);
    }
    return csv_finish(&w, NULL);
}

static cJSON *point_json(const opt_result *r, const opt_point *p)
{
    cJSON *o = cJSON_CreateObject(), *v = cJSON_AddObjectToObject(o, "values");
    for (int a = 0; a < r->nax; a++)
        json_number_add(v, r->ax[a].path, p->x[a]);
    json_number_add(o, "gross_profit_mean", p->profit);
    json_number_add(o, "gross_profit_se", p->profit_se);
    json_number_add(o, "margin_mean", p->margin);
    json_number_add(o, "risk", p->risk);
    return o;
}

char *optimize_json(const opt_result *r, const opt_opts *o, const provenance *pv)
{
    cJSON *root = json_document_create();
    json_provenance_add(root, pv);
    cJSON *q = cJSON_AddObjectToObject(root, "optimize");
    cJSON_AddStringToObject(q, "plan", r->plan_name);
    cJSON_AddNumberToObject(q, "risk_below", o->risk_below);
    cJSON_AddNumberToObject(q, "max_risk", o->max_risk);
    cJSON_AddNumberToObject(q, "evaluations", r->n);
    cJSON_AddBoolToObject(q, "feasible", r->best >= 0);
    cJSON_AddBoolToObject(q, "flat", optimize_flat(r));
    cJSON_AddItemToObject(q, r->best >= 0 ? "best" : "least_risky", point_json(r, &r->pts[r->best >= 0 ? r->best
                                                                                          : r->least_risky]));
    cJSON *fr = cJSON_AddArrayToObject(q, "frontier");
    for (int i = 0; i < r->n; i++)
        if (r->pts[i].frontier)
            cJSON_AddItemToArray(fr, point_json(r, &r->pts[i]));
    return json_text_take(root);
}

extern const char *const plot_template_optimize;

static int by_risk(const void *a, const void *b)
{
    const opt_point *x = *(const opt_point *const *)a, *y = *(const opt_point *const *)b;
    return (x->risk > y->risk) - (x->risk < y->risk);
}

int optimize_plot(const opt_result *r, const opt_opts *o, const provenance *pv, const char *title,
                  const plot_opts *po, plot_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    char *body = NULL, t[300];
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    const opt_point *fr[OPT_MAX_POINTS];
    int nf = 0;
    if (!f)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
    snprintf(t, sizeof t, "%s, plan %s: profit against risk", title, r->plan_name);
    plots_head(f, "optimize", pv, t);
    snprintf(t, sizeof t, "probability that the margin ends below %g%%", o->risk_below);
    fputs("xlabel_text = ", f);
    plots_gp_string(f, t);
    double lo = INFINITY, hi = -INFINITY;
    fprintf(f, "\nmax_risk = %g\n$p << EOD\n", o->max_risk);
    for (int i = 0; i < r->n; i++) {
        fprintf(f, "%.6g %.10g %d\n", r->pts[i].risk, r->pts[i].profit, r->pts[i].feasible);
        lo = fmin(lo, r->pts[i].profit);
        hi = fmax(hi, r->pts[i].profit);
        if (r->pts[i].frontier)
            fr[nf++] = &r->pts[i];
    }
    qsort(fr, (size_t)nf, sizeof fr[0], by_risk);
    fputs("EOD\n$f << EOD\n", f);
    for (int i = 0; i < nf; i++)
        fprintf(f, "%.6g %.10g\n", fr[i]->risk, fr[i]->profit);
    const opt_point *b = &r->pts[r->best >= 0 ? r->best : r->least_risky];
    fprintf(f, "EOD\n$b << EOD\n%.6g %.10g\nEOD\n$lim << EOD\n%g %.10g\n%g %.10g\nEOD\n", b->risk, b->profit,
            o->max_risk, lo, o->max_risk, hi);
    fclose(f);
    int rc = body ? plots_emit("optimize", plot_template_optimize, body, po, rep, err)
                  : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    free(body);
    return rc;
}

int optimize_document(const opt_result *r, const opt_opts *o, const provenance *pv, const char *title, const char *dir,
                      bool plots, ts_error *err)
{
    doc d = { 0 };
    char *best = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&best, &len);
    if (f) {
        const opt_point *b = &r->pts[r->best >= 0 ? r->best : r->least_risky];
        if (r->best >= 0 && optimize_flat(r))
            fputs("The objective is flat: every point within the limit earns the same, so no point is best; "
                  "for instance ", f);
        else if (r->best >= 0)
            fputs("The most expected gross profit within the limit: ", f);
        else
            fprintf(f, "No point keeps P(margin < %g%%) at most %g; the least risky: ", o->risk_below, o->max_risk);
        point_values(f, r, b);
        fprintf(f, ", with $%.0f of gross profit (+-%.0f), a %.2f%% margin and P(margin < %g%%) = %.3f.", b->profit,
                1.96 * b->profit_se, b->margin, o->risk_below, b->risk);
        fclose(f);
    }
    doc_text(&d, B_H1, "Optimisation: %s", title);
    doc_text(&d, B_P,
             "tokensim %s, scenario %s (hash %016llx), seed %llu, %d replications per point, the same random numbers "
             "at every point; plan %s; %d points (%s%s).",
             pv->version, pv->scenario_file, (unsigned long long)pv->hash, (unsigned long long)pv->seed,
             pv->replications, r->plan_name, r->n, r->grid ? "a grid" : "a Latin hypercube",
             r->simplex ? ", then the simplex" : "");
    doc_text(&d, B_P, "%s", best ? best : "");
    if (plots)
        doc_image(&d, "plots/optimize.png", "Every point by its risk and profit, and the frontier.");
    int nf = 0;
    for (int i = 0; i < r->n; i++)
        nf += r->pts[i].frontier;
    doc_text(&d, B_H2, "The profit-risk frontier");
    block *t = doc_table(&d, nf + 1, 4);
    const char *head[] = { "risk", "gross profit $", "margin %", "values" };
    for (int c = 0; c < 4; c++)
        doc_cell(&d, t, 0, c, "%s", head[c]);
    for (int i = 0, row = 1; i < r->n; i++) {
        const opt_point *p = &r->pts[i];
        if (!p->frontier)
            continue;
        char *v = NULL;
        size_t vl = 0;
        FILE *g = open_memstream(&v, &vl);
        if (g) {
            point_values(g, r, p);
            fclose(g);
        }
        doc_cell(&d, t, row, 0, "%.3f", p->risk);
        doc_cell(&d, t, row, 1, "%.0f", p->profit);
        doc_cell(&d, t, row, 2, "%.2f", p->margin);
        doc_cell(&d, t, row, 3, "%s", v ? v : "");
        free(v);
        row++;
    }
    free(best);
    int rc = doc_write(&d, dir, "optimize", err);
    doc_free(&d);
    return rc;
}
