/* menu.c: a menu's choices shown (menu.h). Per-customer figures are ratios
 * of the horizon's mean sums (interactions, cost, revenue over
 * customer-months), so a plan that drew the heavy users shows them. */
#include "menu.h"

#include <math.h>
#include <string.h>

#include "csv.h"
#include "doc.h"
#include "format.h"

bool menu_empty(const summary *sm)
{
    if (!sm->declined)
        return false;
    for (int p = 0; p < sm->nplans; p++)
        if (sum_total(sm, p, TOT_CUSTOMER_MONTHS)->mean > 0)
            return false;
    return true;
}

/* Arrivals over the horizon (mean): those who signed up and those who did not. */
static double arrivals(const summary *sm)
{
    double n = sm->declined[sm->nmonths].mean;
    for (int m = 0; m < sm->nmonths; m++)
        n += sum_month(sm, 0, m, MET_NEW)->mean;
    return n;
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

void menu_print(FILE *out, const scenario *s, const summary *sm)
{
    if (!sm->declined)
        return;
    double final = 0;
    for (int p = 0; p < sm->nplans; p++)
        final += sum_total(sm, p, TOT_FINAL_CUSTOMERS)->mean;
    fprintf(out, "\nthe menu: what customers chose (means over the horizon, per customer-month)\n");
    fprintf(out, "  %-14s %8s %10s %14s %12s %12s %12s\n", "plan", "share", "customers", "interactions",
            "AI $/cust", "rev $/cust", "profit $/cust");
    for (int p = 0; p < sm->nplans; p++) {
        double cm = sum_total(sm, p, TOT_CUSTOMER_MONTHS)->mean;
        double fc = sum_total(sm, p, TOT_FINAL_CUSTOMERS)->mean;
        char a[32], b[32], c[32], d[32], e[32];
        fprintf(out, "  %-14.14s %7.1f%% %10s %14s %12s %12s %12s\n", s->plans[p].name,
                final > 0 ? 100 * fc / final : 0.0, fmt_number(a, sizeof a, fc, 0),
                fmt_number(b, sizeof b, ratio(sum_total(sm, p, TOT_INTERACTIONS)->mean, cm), 1),
                fmt_money(c, sizeof c, ratio(sum_total(sm, p, TOT_INFERENCE_COST)->mean, cm), 2),
                fmt_money(d, sizeof d, ratio(sum_total(sm, p, TOT_REVENUE)->mean, cm), 2),
                fmt_money(e, sizeof e, ratio(sum_total(sm, p, TOT_GROSS_PROFIT)->mean, cm), 2));
    }
    const ts_stat *no = &sm->declined[sm->nmonths];
    double all = arrivals(sm);
    char a[32], lo[32], hi[32], n[32];
    fprintf(out, "  no plan: %s arrivals chose none (95%% ci [%s, %s]), %.1f%% of %s\n",
            fmt_number(a, sizeof a, no->mean, 0), fmt_number(lo, sizeof lo, no->ci_lo, 0),
            fmt_number(hi, sizeof hi, no->ci_hi, 0), all > 0 ? 100 * no->mean / all : 0.0,
            fmt_number(n, sizeof n, all, 0));
    if (menu_empty(sm))
        fprintf(out, "  warning: no arrival chose any plan (every surplus was below zero): every figure is of zero "
                     "customers\n");
}

static void stat5(csv_writer *w, const ts_stat *st)
{
    csv_number(w, st->mean);
    csv_number(w, st->se);
    csv_number(w, st->p5);
    csv_number(w, st->p50);
    csv_number(w, st->p95);
}

char *menu_csv(const scenario *s, const summary *sm, size_t *len)
{
    csv_writer w;
    if (!sm->declined || !csv_begin(&w))
        return NULL;
    const char *head[] = { "month", "plan", "customers_mean", "customers_se", "customers_p5", "customers_p50",
                           "customers_p95", "share_pct" };
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    for (int m = 0; m < sm->nmonths; m++) {
        double all = 0;
        for (int p = 0; p < sm->nplans; p++)
            all += sum_month(sm, p, m, MET_CUSTOMERS)->mean;
        for (int p = 0; p <= sm->nplans; p++) {
            csv_int(&w, m + 1);
            if (p < sm->nplans) {
                const ts_stat *st = sum_month(sm, p, m, MET_CUSTOMERS);
                csv_name(&w, s->plans[p].name);
                stat5(&w, st);
                csv_number(&w, all > 0 ? 100 * st->mean / all : NAN);
            } else {
                /* arrivals of the month who chose no plan: not customers, no share */
                csv_name(&w, "(no plan)");
                stat5(&w, &sm->declined[m]);
                csv_empty(&w, 1);
            }
            csv_row_end(&w);
        }
    }
    return csv_finish(&w, len);
}

static cJSON *stat_json(const ts_stat *st)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "mean", st->mean);
    cJSON_AddNumberToObject(o, "se", st->se);
    cJSON *ci = cJSON_AddArrayToObject(o, "ci95");
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(st->ci_lo));
    cJSON_AddItemToArray(ci, cJSON_CreateNumber(st->ci_hi));
    return o;
}

void menu_json(cJSON *root, const scenario *s, const summary *sm)
{
    if (!sm->declined)
        return;
    cJSON *mo = cJSON_AddObjectToObject(root, "menu");
    cJSON_AddBoolToObject(mo, "empty", menu_empty(sm));
    cJSON_AddNumberToObject(mo, "arrivals", arrivals(sm));
    cJSON_AddItemToObject(mo, "no_plan", stat_json(&sm->declined[sm->nmonths]));
    cJSON *ps = cJSON_AddArrayToObject(mo, "plans");
    for (int p = 0; p < sm->nplans; p++) {
        cJSON *o = cJSON_CreateObject();
        double cm = sum_total(sm, p, TOT_CUSTOMER_MONTHS)->mean;
        cJSON_AddStringToObject(o, "plan", s->plans[p].name);
        cJSON_AddItemToObject(o, "final_customers", stat_json(sum_total(sm, p, TOT_FINAL_CUSTOMERS)));
        cJSON_AddNumberToObject(o, "customer_months", cm);
        /* cJSON writes NaN as null: a plan nobody chose has no per-customer figure */
        cJSON_AddNumberToObject(o, "interactions_per_customer_month",
                                ratio(sum_total(sm, p, TOT_INTERACTIONS)->mean, cm));
        cJSON_AddNumberToObject(o, "inference_cost_per_customer_month",
                                ratio(sum_total(sm, p, TOT_INFERENCE_COST)->mean, cm));
        cJSON_AddNumberToObject(o, "revenue_per_customer_month", ratio(sum_total(sm, p, TOT_REVENUE)->mean, cm));
        cJSON_AddItemToArray(ps, o);
    }
}

void menu_doc(struct doc *d, const scenario *s, const summary *sm, bool plots)
{
    if (!sm->declined)
        return;
    doc_text(d, B_H2, "What customers chose");
    if (plots) {
        doc_image(d, "plots/plan_mix.png", "The plan mix: customers of each plan per month, stacked, and the "
                                           "arrivals who chose no plan.");
        doc_image(d, "plots/wtp_usage.png", "Willingness to pay against usage, one point per customer of the "
                                            "first replication's last month, log axes.");
    }
    doc_text(d, B_P,
             "Customers chose from the plans as a menu (docs/pricing.md): each plan's figures are those of the "
             "customers who chose it. Per customer-month over the horizon, where a plan that drew the heaviest "
             "users shows them:");
    block *t = doc_table(d, sm->nplans + 1, 7);
    const char *hd[7] = { "plan", "share in the last month", "customers in the last month", "interactions",
                          "inference cost", "revenue", "gross profit" };
    for (int k = 0; k < 7; k++)
        doc_cell(d, t, 0, k, "%s", hd[k]);
    double final = 0;
    for (int p = 0; p < sm->nplans; p++)
        final += sum_total(sm, p, TOT_FINAL_CUSTOMERS)->mean;
    for (int p = 0; p < sm->nplans; p++) {
        double cm = sum_total(sm, p, TOT_CUSTOMER_MONTHS)->mean, fc = sum_total(sm, p, TOT_FINAL_CUSTOMERS)->mean;
        char a[32];
        doc_cell(d, t, p + 1, 0, "%s", s->plans[p].name);
        doc_cell(d, t, p + 1, 1, "%.1f%%", final > 0 ? 100 * fc / final : 0.0);
        doc_cell(d, t, p + 1, 2, "%.0f", fc);
        doc_cell(d, t, p + 1, 3, "%s", fmt_number(a, sizeof a, ratio(sum_total(sm, p, TOT_INTERACTIONS)->mean, cm), 1));
        doc_cell(d, t, p + 1, 4, "%s", fmt_money(a, sizeof a, ratio(sum_total(sm, p, TOT_INFERENCE_COST)->mean, cm), 2));
        doc_cell(d, t, p + 1, 5, "%s", fmt_money(a, sizeof a, ratio(sum_total(sm, p, TOT_REVENUE)->mean, cm), 2));
        doc_cell(d, t, p + 1, 6, "%s", fmt_money(a, sizeof a, ratio(sum_total(sm, p, TOT_GROSS_PROFIT)->mean, cm), 2));
    }
    const ts_stat *no = &sm->declined[sm->nmonths];
    double all = arrivals(sm);
    doc_text(d, B_P, "%.0f arrivals over the horizon chose no plan (95%% CI %.0f to %.0f), %.1f%% of %.0f.%s",
             no->mean, no->ci_lo, no->ci_hi, all > 0 ? 100 * no->mean / all : 0.0, all,
             menu_empty(sm) ? " Warning: no arrival chose any plan; every figure is of zero customers." : "");
}
