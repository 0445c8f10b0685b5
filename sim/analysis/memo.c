/* memo.c: the investor memo: which runs it makes (one per question, each
 * through the library function its own command calls, so every figure
 * equals that command's) and the two pages it writes from them. */
#include "memo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/usage.h"
#include "sim/output/doc.h"
#include "sim/output/finance_out.h"
#include "sim/output/format.h"

#define MEMO_TOP 3

static void memo_drivers_run(const scenario *s, const memo_opts *o, memo_result *r)
{
    ts_error_clear(&r->drivers_err);
    if (s->uncertain.ninputs > 0) {
        sobol_run so = { .plan = o->plan, .n = o->sobol_n, .nreps = o->sobol_reps, .boot = 500,
                         .threads = o->threads, .stop = o->stop };
        if (sobol_scenario(s, &so, &r->sobol, &r->drivers_err) == TS_OK)
            r->drivers = MEMO_DRIVERS_SOBOL;
        return;
    }
    /* the parameters tokensim tornado moves without --param */
    tornado_param prm[TORNADO_MAX] = { 0 };
    int n = 0;
    double pct = s->sensitivity.pct;
    if (s->sensitivity.nparams) {
        for (int i = 0; i < s->sensitivity.nparams && n < TORNADO_MAX; i++) {
            const sens_param *sp = &s->sensitivity.params[i];
            prm[n] = (tornado_param){ .relative = !sp->has_range, .low = sp->has_range ? sp->low : 1 - pct / 100,
                                      .high = sp->has_range ? sp->high : 1 + pct / 100 };
            snprintf(prm[n++].path, CHANGE_PATH_LEN, "%s", sp->path);
        }
    } else {
        tornado_params_standard(s, o->plan, pct, prm, &n);
    }
    if (tornado_run(o->file, o->sets, o->nsets, prm, n, o->plan, o->threads, o->stop, &r->tornado,
                    &r->drivers_err) == TS_OK)
        r->drivers = MEMO_DRIVERS_TORNADO;
}

int memo_run(const scenario *s, const memo_opts *o, memo_result *r, ts_error *err)
{
    memset(r, 0, sizeof *r);
    pipeline_opts po = { .threads = o->threads, .stop = o->stop, .version = o->version,
                         .scenario_file = o->file };
    int rc = pipeline_run(s, &po, &r->base, err);
    if (rc)
        return rc;
    ts_error_clear(&r->stress_err);
    rc = stress_run(o->file, o->sets, o->nsets, o->threads, o->stop, &r->stress, &r->stress_err);
    r->stress_ok = rc == TS_OK;
    if (rc == TS_ERR_INTERRUPTED || rc == TS_ERR_RUNTIME)
        goto fail;
    memo_drivers_run(s, o, r);
    rc = r->drivers_err.code;
    if (rc == TS_ERR_INTERRUPTED || rc == TS_ERR_RUNTIME) {
        *err = r->drivers_err;
        memo_free(r);
        return rc;
    }
    return TS_OK;
fail:
    *err = r->stress_err;
    memo_free(r);
    return rc;
}

void memo_free(memo_result *r)
{
    pipeline_free(&r->base);
    if (r->stress_ok)
        stress_free(&r->stress);
    if (r->drivers == MEMO_DRIVERS_SOBOL)
        sobol_result_free(&r->sobol);
    memset(r, 0, sizeof *r);
}

static void memo_base(doc *d, const scenario *s, const summary *sm)
{
    char a[48], b[48], c[48];
    doc_text(d, B_H2, "Base case");
    doc_text(d, B_P, "Gross margin and gross profit over the %d months, means with their 95%% intervals.",
             sm->nmonths);
    block *t = doc_table(d, sm->nplans + 1, 3);
    doc_cell(d, t, 0, 0, "plan");
    doc_cell(d, t, 0, 1, "gross margin");
    doc_cell(d, t, 0, 2, "gross profit");
    for (int p = 0; p < sm->nplans; p++) {
        const ts_stat *m = sum_total(sm, p, TOT_MARGIN), *g = sum_total(sm, p, TOT_GROSS_PROFIT);
        doc_cell(d, t, p + 1, 0, "%s", s->plans[p].name);
        doc_cell(d, t, p + 1, 1, "%.1f%% (%.1f%% to %.1f%%)", m->mean, m->ci_lo, m->ci_hi);
        doc_cell(d, t, p + 1, 2, "%s (%s to %s)", fmt_money(a, sizeof a, g->mean, 0),
                 fmt_money(b, sizeof b, g->ci_lo, 0), fmt_money(c, sizeof c, g->ci_hi, 0));
    }
    doc_text(d, B_H2, "Downside");
    doc_text(d, B_P, "The 5th percentile over the replications: one future in twenty does worse.");
    t = doc_table(d, sm->nplans + 1, 4);
    doc_cell(d, t, 0, 0, "plan");
    doc_cell(d, t, 0, 1, "P5 margin");
    doc_cell(d, t, 0, 2, "P5 gross profit");
    doc_cell(d, t, 0, 3, "chance of a loss");
    for (int p = 0; p < sm->nplans; p++) {
        doc_cell(d, t, p + 1, 0, "%s", s->plans[p].name);
        doc_cell(d, t, p + 1, 1, "%.1f%%", sum_total(sm, p, TOT_MARGIN)->p5);
        doc_cell(d, t, p + 1, 2, "%s", fmt_money(a, sizeof a, sum_total(sm, p, TOT_GROSS_PROFIT)->p5, 0));
        doc_cell(d, t, p + 1, 3, "%.1f%%", 100 * sm->p_margin_below_0[p]);
    }
}

static void memo_sobol(doc *d, const scenario *s, const memo_opts *o, const sobol_result *r)
{
    int order[SOBOL_MAX_INPUTS], k = r->k;
    for (int i = 0; i < k; i++)
        order[i] = i;
    for (int i = 1; i < k; i++)   /* insertion sort: stable, so ties keep the scenario's order */
        for (int j = i; j > 0 && sobol_at(r, SOBOL_MARGIN, order[j])->st > sobol_at(r, SOBOL_MARGIN, order[j - 1])->st;
             j--) {
            int tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    int top = k < MEMO_TOP ? k : MEMO_TOP;
    doc_text(d, B_P,
             "Total Sobol indices of the horizon margin over the scenario's %d uncertain inputs (%d base samples, "
             "%d replications per evaluation, 95%% bootstrap intervals; tokensim sobol with the same settings "
             "gives the same figures): the share of the margin's variance each input accounts for.",
             k, o->sobol_n, o->sobol_reps);
    block *t = doc_table(d, top + 1, 2);
    doc_cell(d, t, 0, 0, "input");
    doc_cell(d, t, 0, 1, "total index");
    for (int i = 0; i < top; i++) {
        const sobol_index *x = sobol_at(r, SOBOL_MARGIN, order[i]);
        doc_cell(d, t, i + 1, 0, "%s", s->uncertain.inputs[order[i]].path);
        doc_cell(d, t, i + 1, 1, "%.3f (%.3f to %.3f)", x->st, x->st_lo, x->st_hi);
    }
}

static void memo_tornado(doc *d, const tornado_result *r)
{
    int top = r->n < MEMO_TOP ? r->n : MEMO_TOP;
    doc_text(d, B_P,
             "No uncertain: section, so the tornado's ranking: each parameter moved low and high alone, the swing "
             "of the mean horizon margin in points with its paired 95%% interval (tokensim tornado).");
    block *t = doc_table(d, top + 1, 2);
    doc_cell(d, t, 0, 0, "parameter");
    doc_cell(d, t, 0, 1, "swing (points)");
    for (int i = 0; i < top; i++) {
        const tornado_row *w = &r->rows[i];
        char label[128];
        tornado_label(w->prm.path, label, sizeof label);
        doc_cell(d, t, i + 1, 0, "%s", label);
        doc_cell(d, t, i + 1, 1, "%.2f (%.2f to %.2f)", w->swing, w->swing_lo, w->swing_hi);
    }
}

static void memo_stress(doc *d, const memo_result *r, int p)
{
    doc_text(d, B_H2, "Stress: the worst shocks");
    if (!r->stress_ok) {
        doc_text(d, B_P, "The stress battery could not run: %s.", r->stress_err.message);
        return;
    }
    const stress_result *x = &r->stress;
    int order[STRESS_MAX_SHOCKS + 1], n = 0;
    for (int k = 1; k < x->nshocks; k++)
        if (x->shocks[k].applicable && stress_at(x, k, p)->ran && isfinite(stress_at(x, k, p)->d_mean))
            order[n++] = k;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && stress_at(x, order[j], p)->d_mean < stress_at(x, order[j - 1], p)->d_mean; j--) {
            int tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    int top = n < MEMO_TOP ? n : MEMO_TOP;
    doc_text(d, B_P,
             "The %d shocks of tokensim stress that cut plan %s's horizon margin most (baseline %.1f%%): the "
             "shocked margin and its change, paired with the baseline, with a 95%% interval.",
             top, x->plan_names[p], stress_at(x, 0, p)->mean);
    block *t = doc_table(d, top + 1, 3);
    doc_cell(d, t, 0, 0, "shock");
    doc_cell(d, t, 0, 1, "margin");
    doc_cell(d, t, 0, 2, "change (points)");
    for (int i = 0; i < top; i++) {
        const stress_row *w = stress_at(x, order[i], p);
        doc_cell(d, t, i + 1, 0, "%s", x->shocks[order[i]].name);
        doc_cell(d, t, i + 1, 1, "%.1f%%", w->mean);
        doc_cell(d, t, i + 1, 2, "%.2f (%.2f to %.2f)", w->d_mean, w->d_lo, w->d_hi);
    }
}

static void memo_assumptions(doc *d, const scenario *s, const memo_result *r)
{
    char law[256];
    if (usage_dist_describe(&s->usage, law, sizeof law) <= 0)
        snprintf(law, sizeof law, "%s", usage_law_get(s->usage.kind)->name);
    doc_text(d, B_H2, "Assumptions");
    block *t = doc_table(d, 8, 2);
    doc_cell(d, t, 0, 0, "assumption");
    doc_cell(d, t, 0, 1, "value");
    doc_cell(d, t, 1, 0, "usage law");
    doc_cell(d, t, 1, 1, "%s", law);
    doc_cell(d, t, 2, 0, "monthly churn");
    doc_cell(d, t, 2, 1, "%.4g%%", 100 * s->customers.churn);
    doc_cell(d, t, 3, 0, "model prices as of");
    doc_cell(d, t, 3, 1, "%s", s->prices.date[0] ? s->prices.date : "not stated");
    doc_cell(d, t, 4, 0, "horizon");
    doc_cell(d, t, 4, 1, "%d months", s->horizon);
    doc_cell(d, t, 5, 0, "replications");
    doc_cell(d, t, 5, 1, "%d", r->base.sm.nreps);
    doc_cell(d, t, 6, 0, "seed");
    doc_cell(d, t, 6, 1, "%llu", (unsigned long long)s->seed);
    doc_cell(d, t, 7, 0, "scenario hash");
    doc_cell(d, t, 7, 1, "%016llx", (unsigned long long)s->hash);
}

int memo_document(const scenario *s, const memo_opts *o, const memo_result *r, const char *dir, ts_error *err)
{
    doc d = { .rich = true };   /* the phone layout: the memo is read on one */
    const summary *sm = &r->base.sm;
    doc_text(&d, B_H1, "Investor memo: %s", s->name);
    doc_text(&d, B_P, "From %s, %d replications, seed %llu, tokensim %s.", o->file ? o->file : s->source, sm->nreps,
             (unsigned long long)s->seed, o->version ? o->version : "");
    memo_base(&d, s, sm);
    doc_text(&d, B_H2, "What drives the margin of plan %s", s->plans[o->plan].name);
    if (r->drivers == MEMO_DRIVERS_SOBOL)
        memo_sobol(&d, s, o, &r->sobol);
    else if (r->drivers == MEMO_DRIVERS_TORNADO)
        memo_tornado(&d, &r->tornado);
    else
        doc_text(&d, B_P, "The drivers could not be ranked: %s.", r->drivers_err.message);
    memo_stress(&d, r, o->plan);
    if (sm->fin) {
        finance_doc(&d, s, sm, false);
    } else {
        doc_text(&d, B_H2, "Unit economics and cash");
        doc_text(&d, B_P, "Not in this scenario: it has no finance: section (acquisition cost, fixed costs, "
                          "starting cash), so there is no lifetime value, payback or runway to show "
                          "(docs/finance.md).");
    }
    memo_assumptions(&d, s, r);
    int rc = doc_write(&d, dir, "memo", err);
    doc_free(&d);
    return rc;
}
