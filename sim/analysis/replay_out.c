/* replay_out.c: what the backtest shows beyond its plan table (replay.h,
 * replay_internal.h): the savings of the scenario's levers on the logged
 * requests, the logged spend reconciled with the recomputed one per model,
 * the customers by segment of usage (terminal, segments CSV, JSON), and
 * the report (report.md and report.html) that holds all of it. */
#include "replay_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/lever.h"
#include "sim/output/csv.h"
#include "sim/output/doc.h"
#include "sim/output/format.h"
#include "sim/output/json.h"

static const char *const seg_names[REPLAY_SEGMENTS] = { "below median", "median to P90", "P90 to P99",
                                                        "top 1%" };

static double pct(double part, double whole)
{
    return whole != 0 ? 100 * part / whole : NAN;
}

static double seg_margin(const replay_segment *g, int p)
{
    return g->revenue[p] > 0 ? pct(g->revenue[p] - g->cost[p], g->revenue[p]) : NAN;
}

static void print_levers(FILE *f, const replay_report *r, const scenario *s)
{
    char a[48], b[48], words[160];
    fprintf(f, "\nthe scenario's levers on the logged requests (model cost %s before any lever)\n",
            fmt_money(a, sizeof a, r->lever_base, 2));
    double prev = r->lever_base;
    for (int k = 0; k < r->nlevers; k++) {
        lever_describe(&s->levers[k], words, sizeof words);
        fprintf(f, "  %-16.16s %14s %7.1f%%  %s\n", s->levers[k].name,
                fmt_money(b, sizeof b, r->lever_after[k] - prev, 2), pct(r->lever_after[k] - prev, r->lever_base),
                words);
        prev = r->lever_after[k];
    }
    fprintf(f, "  %-16s %14s %7.1f%%\n", "after every lever", fmt_money(b, sizeof b, prev, 2),
            pct(prev, r->lever_base));
    fprintf(f, "%-16s %14s %14s %8s\n", "plan", "model cost", "profit", "margin%");
    for (int p = 0; p < r->nplans; p++) {
        const replay_plan *rp = &r->plan[p];
        fprintf(f, "%-16.16s %14s %14s %8.1f\n", s->plans[p].name, fmt_money(a, sizeof a, rp->model_cost_levers, 2),
                fmt_money(b, sizeof b, rp->profit_levers, 2), rp->margin_levers);
    }
}

static void print_recon(FILE *f, const replay_report *r, const scenario *s)
{
    char a[48], b[48];
    fprintf(f, "\nlogged spend against the scenario's prices (%ld rows carry both)\n", r->recon_rows);
    fprintf(f, "%-24s %10s %14s %14s %9s\n", "model", "rows", "logged", "recomputed", "diff%");
    for (int m = 0; m < s->prices.nmodels; m++) {
        const replay_recon *c = &r->recon[m];
        if (c->rows)
            fprintf(f, "%-24.24s %10ld %14s %14s %+9.2f\n", s->prices.models[m].name, c->rows,
                    fmt_money(a, sizeof a, c->logged, 2), fmt_money(b, sizeof b, c->recomputed, 2),
                    pct(c->recomputed - c->logged, c->logged));
    }
}

static void print_segments(FILE *f, const replay_report *r, const scenario *s)
{
    char a[48], b[48];
    fprintf(f, "\nby segment of usage (requests per active month; bill change against '%s')\n", s->plans[0].name);
    fprintf(f, "%-14s %10s %12s  %-16s %14s %8s %14s %7s\n", "segment", "customers", "requests/mo", "plan",
            "revenue", "margin%", "change/cust", "rises%");
    for (int k = 0; k < REPLAY_SEGMENTS; k++) {
        const replay_segment *g = &r->seg[k];
        if (g->customers <= 0)
            continue;
        for (int p = 0; p < r->nplans; p++)
            fprintf(f, "%-14s %10.0f %12.1f  %-16.16s %14s %8.1f %14s %7.1f\n", p ? "" : seg_names[k], g->customers,
                    g->requests, s->plans[p].name, fmt_money(a, sizeof a, g->revenue[p], 2), seg_margin(g, p),
                    fmt_money(b, sizeof b, g->bill_change[p], 2), g->rises[p]);
    }
}

void replay_print_more(FILE *f, const replay_report *r, const scenario *s)
{
    if (r->nlevers > 0)
        print_levers(f, r, s);
    if (r->recon_rows > 0)
        print_recon(f, r, s);
    if (r->customers > 0)
        print_segments(f, r, s);
}

char *replay_segments_csv(const replay_report *r, const scenario *s)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    static const char *const cols[] = { "segment", "requests_per_month_up_to", "customers", "requests_per_month",
                                        "plan", "revenue", "cost", "gross_margin_pct", "bill_change_per_customer",
                                        "bill_rises_pct" };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        csv_text(&w, cols[i]);
    csv_row_end(&w);
    for (int k = 0; k < REPLAY_SEGMENTS; k++) {
        const replay_segment *g = &r->seg[k];
        for (int p = 0; p < r->nplans && g->customers > 0; p++) {
            csv_text(&w, seg_names[k]);
            csv_number(&w, r->seg_upper[k]);
            csv_number(&w, g->customers);
            csv_number(&w, g->requests);
            csv_name(&w, s->plans[p].name);
            const double v[] = { g->revenue[p], g->cost[p], seg_margin(g, p), g->bill_change[p], g->rises[p] };
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                csv_number(&w, v[i]);
            csv_row_end(&w);
        }
    }
    return csv_finish(&w, NULL);
}

void replay_json_more(void *root_, const replay_report *r, const scenario *s)
{
    cJSON *root = root_;
    cJSON *lv = cJSON_AddObjectToObject(root, "levers");
    json_number_add(lv, "model_cost_before", r->lever_base);
    cJSON *steps = cJSON_AddArrayToObject(lv, "steps");
    double prev = r->lever_base;
    for (int k = 0; k < r->nlevers; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "lever", s->levers[k].name);
        json_number_add(o, "model_cost_after", r->lever_after[k]);
        json_number_add(o, "saving", prev - r->lever_after[k]);
        prev = r->lever_after[k];
        cJSON_AddItemToArray(steps, o);
    }
    json_number_add(lv, "model_cost_after", prev);
    cJSON *rc = cJSON_AddArrayToObject(root, "reconciliation");
    for (int m = 0; m < s->prices.nmodels; m++) {
        const replay_recon *c = &r->recon[m];
        if (!c->rows)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "model", s->prices.models[m].name);
        json_number_add(o, "rows", (double)c->rows);
        json_number_add(o, "logged", c->logged);
        json_number_add(o, "recomputed", c->recomputed);
        cJSON_AddItemToArray(rc, o);
    }
    cJSON *sg = cJSON_AddArrayToObject(root, "segments");
    for (int k = 0; k < REPLAY_SEGMENTS; k++) {
        const replay_segment *g = &r->seg[k];
        if (g->customers <= 0)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "segment", seg_names[k]);
        json_number_add(o, "requests_per_month_up_to", r->seg_upper[k]);
        json_number_add(o, "customers", g->customers);
        json_number_add(o, "requests_per_month", g->requests);
        cJSON *plans = cJSON_AddArrayToObject(o, "plans");
        for (int p = 0; p < r->nplans; p++) {
            cJSON *q = cJSON_CreateObject();
            cJSON_AddStringToObject(q, "plan", s->plans[p].name);
            json_number_add(q, "revenue", g->revenue[p]);
            json_number_add(q, "cost", g->cost[p]);
            json_number_add(q, "gross_margin_pct", seg_margin(g, p));
            json_number_add(q, "bill_change_per_customer", g->bill_change[p]);
            json_number_add(q, "bill_rises_pct", g->rises[p]);
            cJSON_AddItemToArray(plans, q);
        }
        cJSON_AddItemToArray(sg, o);
    }
}

/* ---- the report ---- */

static void doc_plans(doc *d, const replay_report *r, const scenario *s)
{
    char a[48];
    block *t = doc_table(d, r->nplans + 1, 8);
    static const char *const head[] = { "plan", "revenue", "model cost", "other cost", "gross profit", "margin",
                                        "margin P5 to P95", "losing customer-months" };
    for (int c = 0; c < 8; c++)
        doc_cell(d, t, 0, c, "%s", head[c]);
    for (int p = 0; p < r->nplans; p++) {
        const replay_plan *rp = &r->plan[p];
        doc_cell(d, t, p + 1, 0, "%s", s->plans[p].name);
        doc_cell(d, t, p + 1, 1, "%s", fmt_money(a, sizeof a, rp->revenue, 2));
        doc_cell(d, t, p + 1, 2, "%s", fmt_money(a, sizeof a, rp->model_cost, 2));
        doc_cell(d, t, p + 1, 3, "%s", fmt_money(a, sizeof a, rp->other_cost, 2));
        doc_cell(d, t, p + 1, 4, "%s", fmt_money(a, sizeof a, rp->profit, 2));
        doc_cell(d, t, p + 1, 5, "%.1f%%", rp->margin);
        if (r->bootstrap)
            doc_cell(d, t, p + 1, 6, "%.1f%% to %.1f%%", rp->margin_lo, rp->margin_hi);
        else
            doc_cell(d, t, p + 1, 6, "-");
        doc_cell(d, t, p + 1, 7, "%.1f%%", rp->losing);
    }
}

/* the plan with the highest margin, and the one with the highest profit */
static void doc_answer(doc *d, const replay_report *r, const scenario *s)
{
    int bm = -1, bp = 0;
    for (int p = 0; p < r->nplans; p++) {
        if (isfinite(r->plan[p].margin) && (bm < 0 || r->plan[p].margin > r->plan[bm].margin))
            bm = p;
        if (r->plan[p].profit > r->plan[bp].profit)
            bp = p;
    }
    char a[48];
    if (bm < 0) {
        doc_text(d, B_P, "No plan earns revenue on this log.");
        return;
    }
    doc_text(d, B_P, "%s has the highest gross margin on the logged requests, %.2f%%%s; %s the highest "
             "gross profit, %s.", s->plans[bm].name, r->plan[bm].margin,
             r->bootstrap ? "" : " (no bootstrap: no interval)", s->plans[bp].name,
             fmt_money(a, sizeof a, r->plan[bp].profit, 2));
    if (r->bootstrap)
        doc_text(d, B_P, "Resampling the customers %d times puts its margin between %.1f%% and %.1f%% (P5 to P95).",
                 r->bootstrap, r->plan[bm].margin_lo, r->plan[bm].margin_hi);
}

static void doc_levers(doc *d, const replay_report *r, const scenario *s)
{
    char a[48], words[160];
    doc_text(d, B_H2, "The scenario's levers on these requests");
    block *t = doc_table(d, r->nlevers + 3, 4);
    doc_cell(d, t, 0, 0, "step");
    doc_cell(d, t, 0, 1, "what it does");
    doc_cell(d, t, 0, 2, "model cost change");
    doc_cell(d, t, 0, 3, "share of the cost before");
    doc_cell(d, t, 1, 0, "before any lever");
    doc_cell(d, t, 1, 1, "-");
    doc_cell(d, t, 1, 2, "%s", fmt_money(a, sizeof a, r->lever_base, 2));
    doc_cell(d, t, 1, 3, "100.0%%");
    double prev = r->lever_base;
    for (int k = 0; k < r->nlevers; k++) {
        lever_describe(&s->levers[k], words, sizeof words);
        doc_cell(d, t, k + 2, 0, "%s", s->levers[k].name);
        doc_cell(d, t, k + 2, 1, "%s", words);
        doc_cell(d, t, k + 2, 2, "%s", fmt_money(a, sizeof a, r->lever_after[k] - prev, 2));
        doc_cell(d, t, k + 2, 3, "%.1f%%", pct(r->lever_after[k] - prev, r->lever_base));
        prev = r->lever_after[k];
    }
    doc_cell(d, t, r->nlevers + 2, 0, "after every lever");
    doc_cell(d, t, r->nlevers + 2, 1, "-");
    doc_cell(d, t, r->nlevers + 2, 2, "%s", fmt_money(a, sizeof a, prev, 2));
    doc_cell(d, t, r->nlevers + 2, 3, "%.1f%%", pct(prev, r->lever_base));
}

static void doc_recon(doc *d, const replay_report *r, const scenario *s)
{
    char a[48];
    int n = 0;
    for (int m = 0; m < s->prices.nmodels; m++)
        n += r->recon[m].rows > 0;
    doc_text(d, B_H2, "Logged spend against the scenario's prices");
    doc_text(d, B_P, "%ld rows carry both a logged spend and a model the scenario prices.", r->recon_rows);
    block *t = doc_table(d, n + 1, 5);
    static const char *const head[] = { "model", "rows", "logged", "recomputed", "difference" };
    for (int c = 0; c < 5; c++)
        doc_cell(d, t, 0, c, "%s", head[c]);
    for (int m = 0, i = 1; m < s->prices.nmodels; m++) {
        const replay_recon *c = &r->recon[m];
        if (!c->rows)
            continue;
        doc_cell(d, t, i, 0, "%s", s->prices.models[m].name);
        doc_cell(d, t, i, 1, "%ld", c->rows);
        doc_cell(d, t, i, 2, "%s", fmt_money(a, sizeof a, c->logged, 2));
        doc_cell(d, t, i, 3, "%s", fmt_money(a, sizeof a, c->recomputed, 2));
        doc_cell(d, t, i++, 4, "%+.2f%%", pct(c->recomputed - c->logged, c->logged));
    }
}

static void doc_segments(doc *d, const replay_report *r, const scenario *s)
{
    char a[48];
    int n = 0;
    for (int k = 0; k < REPLAY_SEGMENTS; k++)
        n += r->seg[k].customers > 0 ? r->nplans : 0;
    doc_text(d, B_H2, "By segment of usage");
    doc_text(d, B_P, "Customers grouped by their requests per active month; bill changes against '%s'.",
             s->plans[0].name);
    block *t = doc_table(d, n + 1, 7);
    static const char *const head[] = { "segment", "customers", "requests a month", "plan", "revenue", "margin",
                                        "bill change per customer" };
    for (int c = 0; c < 7; c++)
        doc_cell(d, t, 0, c, "%s", head[c]);
    for (int k = 0, i = 1; k < REPLAY_SEGMENTS; k++) {
        const replay_segment *g = &r->seg[k];
        for (int p = 0; p < r->nplans && g->customers > 0; p++, i++) {
            doc_cell(d, t, i, 0, "%s", seg_names[k]);
            doc_cell(d, t, i, 1, "%.0f", g->customers);
            doc_cell(d, t, i, 2, "%.1f", g->requests);
            doc_cell(d, t, i, 3, "%s", s->plans[p].name);
            doc_cell(d, t, i, 4, "%s", fmt_money(a, sizeof a, g->revenue[p], 2));
            double m = seg_margin(g, p);
            if (isfinite(m))
                doc_cell(d, t, i, 5, "%.1f%%", m);
            else
                doc_cell(d, t, i, 5, "-");
            doc_cell(d, t, i, 6, "%s", fmt_money(a, sizeof a, g->bill_change[p], 2));
        }
    }
}

int replay_document_write(const char *dir, const replay_report *r, const scenario *s, const char *source,
                          const provenance *pv, ts_error *err)
{
    doc d = { 0 };
    doc_text(&d, B_H1, "Replay: %s under %s", source, s->name);
    doc_answer(&d, r, s);
    doc_text(&d, B_P, "%ld rows read, %ld used: %.10g requests of %zu customers in %zu customer-months "
             "(%s, preset %s). Scenario %s (resolved hash %016llx), seed %llu, tokensim %s.", r->info.rows,
             r->rows_used, r->requests, r->customers, r->customer_months, r->info.format, r->info.preset,
             pv->scenario_file, (unsigned long long)pv->hash, (unsigned long long)pv->seed, pv->version);
    doc_text(&d, B_H2, "Plans on the logged requests");
    doc_plans(&d, r, s);
    if (r->nlevers > 0)
        doc_levers(&d, r, s);
    if (r->recon_rows > 0)
        doc_recon(&d, r, s);
    if (r->customers > 0)
        doc_segments(&d, r, s);
    int rc = doc_write(&d, dir, "report", err);
    doc_free(&d);
    return rc;
}
