/* document.c: the report as blocks, rendered to Markdown and to HTML. */
#include "document.h"

#include "doc.h"
#include "waterfall.h"
#include "finance_out.h"
#include "dashboard.h"
#include "menu.h"
#include "format.h"
#include "answer.h"
#include "planswitch_out.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define text doc_text
#define image doc_image
#define table doc_table
#define cell doc_cell

/* ---- content ------------------------------------------------------------ */

/* Each section below appends its blocks to d; none fails loudly (doc.h):
 * an allocation failure marks d and doc_write reports it. */

/* The title, the scenario's own description, and where the figures come
 * from (version, file, hash, seed, replications, price date). */
static void section_title(doc *d, const scenario *s)
{
    text(d, B_H1, "%s", s->name);
    text(d, B_P, "%s", s->description[0] ? s->description : "A tokensim scenario.");
}

static void section_intro(doc *d, const scenario *s, const summary *sm, const provenance *pv)
{
    text(d, B_H2, "How the figures were made");
    text(d, B_P,
         "Simulated by tokensim %s from %s (resolved hash %016llx), seed %llu, %d replication%s of %d months, "
         "model prices of %s. Figures are means across replications unless a spread is given: the 95%% confidence "
         "interval says how precisely the mean is known; P5-P95 says how different one future could be.",
         pv->version, pv->scenario_file, (unsigned long long)pv->hash, (unsigned long long)pv->seed, sm->nreps,
         sm->nreps == 1 ? "" : "s", s->horizon, s->prices.date);
}

/* Key figures: one table of each plan's margin with its interval, spread
 * and risks, one of its money over the horizon. */
static void section_key_figures(doc *d, const scenario *s, const summary *sm)
{
    char a[64];
    text(d, B_H2, "Key figures");
    block *t = table(d, sm->nplans + 1, 7);
    const char *hd[7] = { "plan", "price", "gross margin over the horizon", "95% CI of the mean", "P5-P95",
                          "P(margin < 50%)", "P(margin < 0)" };
    for (int k = 0; k < 7; k++)
        cell(d, t, 0, k, "%s", hd[k]);
    for (int p = 0; p < sm->nplans; p++) {
        const ts_stat *m = sum_total(sm, p, TOT_MARGIN);
        cell(d, t, p + 1, 0, "%s", s->plans[p].name);
        char terms[256];
        plan_describe(&s->plans[p], terms, sizeof terms);
        cell(d, t, p + 1, 1, "%s", terms);
        cell(d, t, p + 1, 2, "%.1f%%", m->mean);
        cell(d, t, p + 1, 3, "%.1f%% to %.1f%%", m->ci_lo, m->ci_hi);
        cell(d, t, p + 1, 4, "%.1f%% to %.1f%%", m->p5, m->p95);
        cell(d, t, p + 1, 5, "%.1f%%", 100 * sm->p_margin_below_50[p]);
        cell(d, t, p + 1, 6, "%.1f%%", 100 * sm->p_margin_below_0[p]);
    }
    t = table(d, sm->nplans + 1, 6);
    const char *hd2[6] = { "plan", "revenue", "inference cost", "other cost", "gross profit",
                           "customers in the last month" };
    for (int k = 0; k < 6; k++)
        cell(d, t, 0, k, "%s", hd2[k]);
    for (int p = 0; p < sm->nplans; p++) {
        cell(d, t, p + 1, 0, "%s", s->plans[p].name);
        cell(d, t, p + 1, 1, "%s", fmt_money(a, sizeof a, sum_total(sm, p, TOT_REVENUE)->mean, 0));
        cell(d, t, p + 1, 2, "%s", fmt_money(a, sizeof a, sum_total(sm, p, TOT_INFERENCE_COST)->mean, 0));
        cell(d, t, p + 1, 3, "%s", fmt_money(a, sizeof a, sum_total(sm, p, TOT_OTHER_COST)->mean, 0));
        cell(d, t, p + 1, 4, "%s", fmt_money(a, sizeof a, sum_total(sm, p, TOT_GROSS_PROFIT)->mean, 0));
        cell(d, t, p + 1, 5, "%s", fmt_number(a, sizeof a, sum_total(sm, p, TOT_FINAL_CUSTOMERS)->mean, 0));
    }
}

/* Plan against plan (only with more than one): the paired differences of
 * every pair, then each plan's losing customer-months and refusals. */
static void section_plan_pairs(doc *d, const scenario *s, const summary *sm, bool plots)
{
    char a[64];
    if (plots && sm->nplans > 1)
        image(d, "plots/plans.png", "Plan against plan: gross margin over the horizon across replications.");
    if (sm->nplans <= 1)
        return;
    text(d, B_P, "Differences between plans, computed replication by replication on the same customers "
                 "(so their intervals are tighter than the plans' own):");
    int np = sm->nplans, rows = 1 + np * (np - 1) / 2, r = 1;
    block *t = table(d, rows, 4);
    const char *hp[4] = { "plans", "gross margin difference", "95% CI", "gross profit difference" };
    for (int k = 0; k < 4; k++)
        cell(d, t, 0, k, "%s", hp[k]);
    for (int i = 0; i < np; i++)
        for (int j = i + 1; j < np; j++, r++) {
            const ts_stat *dm = &sm->pair_margin[i * np + j], *dp = &sm->pair_profit[i * np + j];
            cell(d, t, r, 0, "%s - %s", s->plans[i].name, s->plans[j].name);
            cell(d, t, r, 1, "%+.2f pts", dm->mean);
            cell(d, t, r, 2, "%+.2f to %+.2f", dm->ci_lo, dm->ci_hi);
            cell(d, t, r, 3, "%s", fmt_money(a, sizeof a, dp->mean, 0));
        }
    t = table(d, np + 1, 3);
    cell(d, t, 0, 0, "plan");
    cell(d, t, 0, 1, "customer-months that cost more than they paid");
    cell(d, t, 0, 2, "interactions refused by caps");
    for (int p = 0; p < np; p++) {
        double refused = 0;
        for (int m = 0; m < sm->nmonths; m++)
            refused += sum_month(sm, p, m, MET_REFUSED)->mean;
        cell(d, t, p + 1, 0, "%s", s->plans[p].name);
        cell(d, t, p + 1, 1, "%.1f%%", sum_total(sm, p, TOT_LOSING)->mean);
        cell(d, t, p + 1, 2, "%s", fmt_number(a, sizeof a, refused, 0));
    }
}

/* Plan p month by month (at most about 12 rows: every step-th month and
 * the last), after its two plots; `part` is the plan's name as it appears
 * in the plot files. */
static void section_plan_months(doc *d, const scenario *s, const summary *sm, int p, const char *part, bool plots)
{
    char a[64], b[64], c[64], file[160];
    text(d, B_H2, "Plan %s: month by month", s->plans[p].name);
    if (plots) {
        snprintf(file, sizeof file, "plots/margin_%s.png", part);
        image(d, file, "Gross margin per month: median with P25-P75 and P5-P95 bands.");
        snprintf(file, sizeof file, "plots/revenue_cost_%s.png", part);
        image(d, file, "Revenue against cost, stacked by component.");
    }
    int step = sm->nmonths > 12 ? (sm->nmonths + 11) / 12 : 1;
    int rows = 1;
    for (int m = 0; m < sm->nmonths; m++)
        rows += (m % step == 0 || m == sm->nmonths - 1);
    block *t = table(d, rows, 7);
    const char *hm[7] = { "month", "customers", "revenue", "inference cost", "other cost", "gross margin",
                          "P5-P95" };
    for (int k = 0; k < 7; k++)
        cell(d, t, 0, k, "%s", hm[k]);
    int r = 1;
    for (int m = 0; m < sm->nmonths; m++) {
        if (!(m % step == 0 || m == sm->nmonths - 1))
            continue;
        const ts_stat *mg = sum_month(sm, p, m, MET_MARGIN);
        cell(d, t, r, 0, "%d", m + 1);
        cell(d, t, r, 1, "%s", fmt_number(file, sizeof file, sum_month(sm, p, m, MET_CUSTOMERS)->mean, 0));
        cell(d, t, r, 2, "%s", fmt_money(a, sizeof a, sum_month(sm, p, m, MET_REVENUE)->mean, 0));
        cell(d, t, r, 3, "%s", fmt_money(b, sizeof b, sum_month(sm, p, m, MET_INFERENCE_COST)->mean, 0));
        cell(d, t, r, 4, "%s", fmt_money(c, sizeof c, sum_month(sm, p, m, MET_OTHER_COST)->mean, 0));
        cell(d, t, r, 5, "%.1f%%", mg->mean);
        cell(d, t, r, 6, "%.1f%% to %.1f%%", mg->p5, mg->p95);
        r++;
    }
}

/* Plan p segment by segment: who earns and who costs, then its plot. */
static void section_plan_segments(doc *d, const scenario *s, const summary *sm, int p, const char *part, bool plots)
{
    char a[64], b[64], c[64], file[160];
    text(d, B_H2, "Plan %s: who earns and who costs", s->plans[p].name);
    block *t = table(d, sm->nsegments + 1, 7);
    const char *hs[7] = { "segment", "customers", "interactions", "AI cost", "revenue", "profit", "margin" };
    for (int k = 0; k < 7; k++)
        cell(d, t, 0, k, "%s", hs[k]);
    for (int g = 0; g < sm->nsegments; g++) {
        cell(d, t, g + 1, 0, "%s", usage_dist_segment_name(&s->usage, g));
        cell(d, t, g + 1, 1, "%.1f%%", sum_seg(sm, p, g, SX_CUSTOMER_SHARE)->mean);
        cell(d, t, g + 1, 2, "%s", fmt_number(file, sizeof file, sum_seg(sm, p, g, SX_INTERACTIONS)->mean, 1));
        cell(d, t, g + 1, 3, "%s", fmt_money(a, sizeof a, sum_seg(sm, p, g, SX_INFERENCE_COST)->mean, 2));
        cell(d, t, g + 1, 4, "%s", fmt_money(b, sizeof b, sum_seg(sm, p, g, SX_REVENUE)->mean, 2));
        cell(d, t, g + 1, 5, "%s", fmt_money(c, sizeof c, sum_seg(sm, p, g, SX_PROFIT)->mean, 2));
        if (fmt_segment_margin_shown(sm, p, g))
            cell(d, t, g + 1, 6, "%.1f%%", sum_seg(sm, p, g, SX_MARGIN)->mean);
        else
            cell(d, t, g + 1, 6, "-");
    }
    text(d, B_P, "Per customer-month, over the whole horizon.%s",
         usage_dist_named_segments(&s->usage) ? "" : " Segments by usage intensity: medium from the median, heavy "
                                                "from P80, power users above P95.");
    if (plots && (!sm->declined || fmt_segments_plotted(sm, p))) {   /* as plots_write */
        snprintf(file, sizeof file, "plots/segments_%s.png", part);
        image(d, file, "Gross margin per segment, with the P5-P95 spread across replications.");
    }
}

/* Plan p's two sections. Its plots are named after the plan with every
 * character but letters, digits, - and _ made _, as plots.c names them. */
static void section_plan(doc *d, const scenario *s, const summary *sm, int p, bool plots)
{
    char part[PLAN_NAME_LEN];
    size_t j = 0;
    for (const char *q = s->plans[p].name; *q && j + 1 < sizeof part; q++)
        part[j++] = (strchr("-_", *q) || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')
                     || (*q >= '0' && *q <= '9')) ? *q : '_';
    part[j] = 0;
    section_plan_months(d, s, sm, p, part, plots);
    section_plan_segments(d, s, sm, p, part, plots);
}

/* Where the cost comes from: one interaction's cost, each feature and
 * model's share of it, and how concentrated the first plan's cost is in
 * the last month. */
static void section_costs(doc *d, const scenario *s, const summary *sm, bool plots)
{
    text(d, B_H2, "Where the cost comes from");
    interaction_cost e = cost_interaction_expected(s->features, s->nfeatures, &s->prices);
    char tok[64];
    text(d, B_P, "One interaction costs $%.6f on average (model tokens $%.6f, retrieval $%.6f) for %s tokens.",
         e.total, e.input + e.output, e.retrieval, fmt_number(tok, sizeof tok, e.tokens, 0));
    int nrows = 1;
    for (int f = 0; f < s->nfeatures; f++)
        nrows += feature_route_count(&s->features[f]);
    block *t = table(d, nrows, 6);
    const char *hc[6] = { "feature", "share of interactions", "model", "input tokens", "output tokens",
                          "$ per interaction" };
    for (int k = 0; k < 6; k++)
        cell(d, t, 0, k, "%s", hc[k]);
    int r = 1;
    for (int f = 0; f < s->nfeatures; f++) {
        const feature *ft = &s->features[f];
        for (int q = 0; q < feature_route_count(ft); q++, r++) {
            interaction_cost ic = cost_interaction(ft, q, &s->prices);
            const feature_tokens *tk = &ft->tokens;
            cell(d, t, r, 0, "%s", ft->name);
            cell(d, t, r, 1, "%.1f%%", 100 * ft->share * feature_route_share(ft, q));
            cell(d, t, r, 2, "%s", s->prices.models[feature_route_model(ft, q)].name);
            char a[64];
            cell(d, t, r, 3, "%s",
                 fmt_number(a, sizeof a, ft->calls * (tk->system + tk->history + tk->user + tk->context), 0));
            cell(d, t, r, 4, "%s", fmt_number(a, sizeof a, ft->calls * tk->output, 0));
            cell(d, t, r, 5, "%.6f", ic.total);
        }
    }
    int last = sm->nmonths - 1;
    text(d, B_P,
         "In the last month the heaviest 1%% of customers made %.1f%% of the inference cost, the heaviest 5%% "
         "%.1f%%, 10%% %.1f%% and 20%% %.1f%% (means across replications).",
         sum_month(sm, 0, last, MET_TOP1)->mean, sum_month(sm, 0, last, MET_TOP5)->mean,
         sum_month(sm, 0, last, MET_TOP10)->mean, sum_month(sm, 0, last, MET_TOP20)->mean);
    if (plots) {
        image(d, "plots/cost_ccdf.png", "The long tail of monthly cost per customer, on log-log axes.");
        image(d, "plots/lorenz.png", "The Lorenz curve of cost: how much of the bill the heaviest customers make.");
    }
}

/* How the figures were made, and the files that hold them. */
static void section_method(doc *d)
{
    text(d, B_H2, "Method");
    text(d, B_P,
         "Each replication simulates every customer as a discrete-event process: sign-ups, churn and month "
         "closes are timed events; between them a customer's interactions are one Poisson draw split over "
         "features and models. Gross margin = (revenue - inference cost - other cost) / revenue. The data behind "
         "every figure is in monthly.csv (and metrics.csv, long), segments.csv, replications.csv and summary.json "
         "beside this report.");
}

/* The whole report, in the order a decision needs it. */
static void build(doc *d, const scenario *s, const summary *sm, const dashboard *db, const provenance *pv,
                  bool plots)
{
    section_title(d, s);
    answer_doc(d, s, sm, db, pv);
    section_intro(d, s, sm, pv);
    section_key_figures(d, s, sm);
    menu_doc(d, s, sm, plots);
    section_plan_pairs(d, s, sm, plots);
    planswitch_doc(d, s, sm);
    for (int p = 0; p < sm->nplans; p++)
        section_plan(d, s, sm, p, plots);
    section_costs(d, s, sm, plots);
    waterfall_doc(d, s, sm, plots);
    if (sm->fin)
        finance_doc(d, s, sm, plots);
    if (db)
        dashboard_doc(d, s, db);
    section_method(d);
}

int document_write(const char *dir, const scenario *s, const summary *sm, const dashboard *db, const provenance *pv,
                   bool with_plots, ts_error *err)
{
    doc d = { .rich = true };
    build(&d, s, sm, db, pv, with_plots);
    int rc = doc_write(&d, dir, "report", err);
    doc_free(&d);
    return rc;
}
