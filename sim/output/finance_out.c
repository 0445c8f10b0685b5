/* finance_out.c: unit economics and cash in the terminal, in cohorts.csv
 * and unit_economics.csv, in summary.json and in the report. The figures
 * come from sim/engine/finance.c; their meaning is in docs/finance.md. */
#include "finance_out.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

#include "csv.h"
#include "format.h"
#include "json.h"
#include "sim/engine/finance.h"

/* What the terminal and the report show, in order, with their words and units. */
static const struct {
    int fig;
    const char *label;
    int money;               /* 1: dollars, 0: a plain number */
    int decimals;
} shown[] = {
    { FIN_MRR, "MRR (last month) $", 1, 0 },
    { FIN_ARR, "ARR $", 1, 0 },
    { FIN_NRR, "net revenue retention %", 0, 1 },
    { FIN_GRR, "gross revenue retention %", 0, 1 },
    { FIN_LTV, "LTV (simulated) $", 1, 2 },
    { FIN_LTV_HORIZON, "LTV closed form, horizon $", 1, 2 },
    { FIN_LTV_CLOSED, "LTV closed form, for ever $", 1, 2 },
    { FIN_CAC, "CAC $", 1, 2 },
    { FIN_LTV_CAC, "LTV / CAC", 0, 2 },
    { FIN_PAYBACK, "CAC payback months", 0, 1 },
    { FIN_CASH_END, "cash at the horizon $", 1, 0 },
    { FIN_BURN, "net burn, last month $", 1, 0 },
    { FIN_RUNWAY, "month cash runs out", 0, 0 },
};
enum { NSHOWN = sizeof shown / sizeof shown[0] };

static const char *val(char *buf, size_t n, double v, int money, int decimals)
{
    if (isnan(v))
        return snprintf(buf, n, "-"), buf;
    return money ? fmt_money(buf, n, v, decimals) : fmt_number(buf, n, v, decimals);
}

void finance_print(FILE *out, const scenario *s, const summary *sm, int p)
{
    const fin_summary *f = sm->fin;
    char a[48], b[48], c[48];
    int w = finance_window_base(sm->nmonths);
    fprintf(out, "unit economics (mean, p5..p95; retention from month %d to %d; discount %.4g%% a year)\n", w + 1,
            sm->nmonths, 100 * s->finance.discount_rate);
    for (int i = 0; i < NSHOWN; i++) {
        const ts_stat *st = fin_fig(f, p, shown[i].fig);
        int m = shown[i].money, d = shown[i].decimals;
        if (shown[i].fig == FIN_RUNWAY) {
            fprintf(out, "  %-30s %14s%% of replications", shown[i].label,
                    fmt_number(a, sizeof a, 100 * f->cash_out[p], 1));
            if (st->n > 0)
                fprintf(out, ", at month %s..%s (p5..p95 of those)", val(b, sizeof b, st->p5, 0, 0),
                        val(c, sizeof c, st->p95, 0, 0));
            fputc('\n', out);
            continue;
        }
        fprintf(out, "  %-30s %15s   p5..p95 %s..%s\n", shown[i].label, val(a, sizeof a, st->mean, m, d),
                val(b, sizeof b, st->p5, m, d), val(c, sizeof c, st->p95, m, d));
    }
    fputc('\n', out);
}

static void stat_fields(csv_writer *w, const ts_stat *st)
{
    csv_number(w, st->mean);
    csv_number(w, st->se);
    csv_number(w, st->p5);
    csv_number(w, st->p50);
    csv_number(w, st->p95);
}

char *finance_cohorts_csv(const scenario *s, const summary *sm, size_t *len)
{
    const fin_summary *f = sm->fin;
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    static const char *const head[] = { "plan", "cohort", "month", "age", "metric", "mean", "se", "p5", "p50", "p95" };
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    for (int p = 0; p < f->nplans; p++)
        for (int k = 0; k < f->nmonths; k++)
            for (int m = k; m < f->nmonths; m++)
                for (int j = 0; j < FC_COUNT; j++) {
                    csv_name(&w, s->plans[p].name);
                    csv_int(&w, k + 1);
                    csv_int(&w, m + 1);
                    csv_int(&w, m - k);
                    csv_text(&w, fin_cohort_names[j]);
                    stat_fields(&w, fin_coh(f, p, k, m, j));
                    csv_row_end(&w);
                }
    return csv_finish(&w, len);
}

char *finance_unit_csv(const scenario *s, const summary *sm, size_t *len)
{
    const fin_summary *f = sm->fin;
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    static const char *const head[] = { "plan", "month", "figure", "mean", "se", "p5", "p50", "p95" };
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csv_text(&w, head[i]);
    csv_row_end(&w);
    for (int p = 0; p < f->nplans; p++) {
        for (int k = 0; k < FIN_SHOWN; k++) {
            csv_name(&w, s->plans[p].name);
            csv_empty(&w, 1);
            csv_text(&w, fin_figure_names[k]);
            stat_fields(&w, fin_fig(f, p, k));
            csv_row_end(&w);
        }
        csv_name(&w, s->plans[p].name);
        csv_empty(&w, 1);
        csv_text(&w, "out_of_cash_share");
        csv_number(&w, f->cash_out[p]);
        csv_empty(&w, 4);
        csv_row_end(&w);
        for (int m = 0; m < f->nmonths; m++)
            for (int k = 0; k < FM_COUNT; k++) {
                csv_name(&w, s->plans[p].name);
                csv_int(&w, m + 1);
                csv_text(&w, fin_month_names[k]);
                stat_fields(&w, fin_mon(f, p, m, k));
                csv_row_end(&w);
            }
    }
    return csv_finish(&w, len);
}

static cJSON *json_fig(const ts_stat *st)
{
    cJSON *o = cJSON_CreateObject();
    json_number_add(o, "mean", st->mean);
    json_number_add(o, "se", st->se);
    json_number_add(o, "p5", st->p5);
    json_number_add(o, "p50", st->p50);
    json_number_add(o, "p95", st->p95);
    return o;
}

void finance_json(cJSON *root, const scenario *s, const summary *sm)
{
    const fin_summary *f = sm->fin;
    const finance_cfg *fc = &s->finance;
    cJSON *ue = cJSON_AddObjectToObject(root, "unit_economics");
    json_number_add(ue, "discount_rate_annual", fc->discount_rate);
    json_number_add(ue, "discount_rate_monthly", finance_monthly_rate(fc->discount_rate));
    json_number_add(ue, "retention_from_month", finance_window_base(sm->nmonths) + 1);
    json_number_add(ue, "churn_monthly", s->customers.churn);
    cJSON *plans = cJSON_AddArrayToObject(ue, "plans");
    for (int p = 0; p < f->nplans; p++) {
        cJSON *po = cJSON_CreateObject();
        cJSON_AddStringToObject(po, "name", s->plans[p].name);
        for (int k = 0; k < FIN_SHOWN; k++)
            cJSON_AddItemToObject(po, fin_figure_names[k], json_fig(fin_fig(f, p, k)));
        json_number_add(po, "out_of_cash_share", f->cash_out[p]);
        cJSON *cash = cJSON_AddArrayToObject(po, "cash");
        for (int m = 0; m < f->nmonths; m++)
            cJSON_AddItemToArray(cash, json_fig(fin_mon(f, p, m, FM_CASH)));
        cJSON_AddItemToArray(plans, po);
    }
}

void finance_doc(doc *d, const scenario *s, const summary *sm, bool plots)
{
    const fin_summary *f = sm->fin;
    char a[48], b[48], c[48], file[160];
    doc_text(d, B_H2, "Unit economics and cash");
    doc_text(d, B_P,
             "Lifetime value is the gross profit of a sign-up, discounted at %.4g%% a year, summed over the ages "
             "the horizon shows (simulated from the cohorts), beside the closed form for a constant churn of "
             "%.4g%% a month. Net and gross revenue retention compare month %d with month %d. Formulas in "
             "docs/finance.md; cohorts.csv and unit_economics.csv hold every figure.",
             100 * s->finance.discount_rate, 100 * s->customers.churn, sm->nmonths,
             finance_window_base(sm->nmonths) + 1);
    for (int p = 0; p < f->nplans; p++) {
        doc_text(d, B_P, "Plan %s:", s->plans[p].name);
        block *t = doc_table(d, NSHOWN + 1, 3);
        doc_cell(d, t, 0, 0, "figure");
        doc_cell(d, t, 0, 1, "mean");
        doc_cell(d, t, 0, 2, "P5 to P95");
        for (int i = 0; i < NSHOWN; i++) {
            const ts_stat *st = fin_fig(f, p, shown[i].fig);
            int m = shown[i].money, dd = shown[i].decimals;
            doc_cell(d, t, i + 1, 0, "%s", shown[i].label);
            if (shown[i].fig == FIN_RUNWAY) {
                doc_cell(d, t, i + 1, 1, "%s%% run out", fmt_number(a, sizeof a, 100 * f->cash_out[p], 1));
            } else {
                doc_cell(d, t, i + 1, 1, "%s", val(a, sizeof a, st->mean, m, dd));
            }
            doc_cell(d, t, i + 1, 2, "%s to %s", val(b, sizeof b, st->p5, m, dd), val(c, sizeof c, st->p95, m, dd));
        }
        if (plots) {
            char part[PLAN_NAME_LEN];
            size_t j = 0;
            for (const char *q = s->plans[p].name; *q && j + 1 < sizeof part; q++)
                part[j++] = (strchr("-_", *q) || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')
                             || (*q >= '0' && *q <= '9')) ? *q : '_';
            part[j] = 0;
            snprintf(file, sizeof file, "plots/cohorts_%s.png", part);
            doc_image(d, file, "Revenue by sign-up cohort (mean), stacked: the layer cake.");
            snprintf(file, sizeof file, "plots/cash_%s.png", part);
            doc_image(d, file, "Cash at each month's end: median with its P5-P95 band.");
        }
    }
}
