/* waterfall.c: the savings waterfall as a table, JSON, a report section and
 * a plot. Stage 0 is the cost with no lever, stage j the cost after lever
 * j; lever j saved stage j-1 minus stage j. (Its plot is drawn with the
 * run's others, in plots.c.) */
#include "waterfall.h"
#include "json.h"
#include "format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


static double month_mean(const summary *sm, int m, int j)
{
    return sm->lever_month[(size_t)m * sm->nstages + j].mean;
}

int waterfall_payback(const scenario *s, const summary *sm, int j)
{
    const lever *l = &s->levers[j - 1];
    double once = lever_one_time_cost(l);
    if (once <= 0)
        return 0;
    double saved = 0;
    for (int m = l->start_month - 1; m < sm->nmonths; m++) {
        saved += month_mean(sm, m, j - 1) - month_mean(sm, m, j);
        if (saved >= once)
            return m + 1;
    }
    return -1;
}

void waterfall_print(FILE *out, const scenario *s, const summary *sm)
{
    const ts_stat *t = sm->lever_total;
    double base = t[0].mean;
    fprintf(out, "savings waterfall: the inference cost of all the interactions asked for, over %d months\n",
            sm->nmonths);
    fprintf(out, "  %-28s %16s %14s %9s  %s\n", "stage", "cost $", "saving $", "of base", "from month");
    fprintf(out, "  %-28s %16.2f %14s %9s\n", "no lever", base, "", "");
    for (int j = 1; j < sm->nstages; j++) {
        const lever *l = &s->levers[j - 1];
        double save = t[j - 1].mean - t[j].mean;
        char from[80];
        snprintf(from, sizeof from, "%d%s", l->start_month, l->ramp_months ? " (ramp)" : "");
        int pb = waterfall_payback(s, sm, j);
        char extra[96] = "";
        if (pb > 0)
            snprintf(extra, sizeof extra, "; pays back its $%.0f in month %d", lever_one_time_cost(l), pb);
        else if (pb < 0)
            snprintf(extra, sizeof extra, "; does not pay back its $%.0f within the horizon", lever_one_time_cost(l));
        fprintf(out, "  - %-26.26s %16.2f %14.2f %8.1f%%  %s (%s)%s\n", l->name, t[j].mean, save,
                base > 0 ? 100 * save / base : 0, from, lever_kind_of(l)->name, extra);
    }
    double after = t[sm->nstages - 1].mean;
    fprintf(out, "  %-28s %16.2f %14.2f %8.1f%%  (95%% CI of the cost %.2f..%.2f)\n\n", "with every lever", after,
            base - after, base > 0 ? 100 * (base - after) / base : 0, t[sm->nstages - 1].ci_lo,
            t[sm->nstages - 1].ci_hi);
}

void waterfall_json(cJSON *root, const scenario *s, const summary *sm)
{
    if (!sm->nstages)
        return;
    cJSON *lv = cJSON_AddObjectToObject(root, "levers");
    cJSON *wf = cJSON_AddArrayToObject(lv, "waterfall");
    for (int j = 0; j < sm->nstages; j++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(wf, o);
        cJSON_AddStringToObject(o, "stage", j ? s->levers[j - 1].name : "no lever");
        if (j) {
            cJSON_AddStringToObject(o, "type", lever_kind_of(&s->levers[j - 1])->name);
            json_number_add(o, "saving", sm->lever_total[j - 1].mean - sm->lever_total[j].mean);
            int pb = waterfall_payback(s, sm, j);
            if (pb > 0)
                cJSON_AddNumberToObject(o, "payback_month", pb);
            else if (pb < 0)
                cJSON_AddNullToObject(o, "payback_month");
        }
        json_number_add(o, "cost", sm->lever_total[j].mean);
        json_number_add(o, "cost_se", sm->lever_total[j].se);
        cJSON *bm = cJSON_AddArrayToObject(o, "cost_by_month");
        for (int m = 0; m < sm->nmonths; m++)
            cJSON_AddItemToArray(bm, json_number_create(month_mean(sm, m, j)));
    }
}

void waterfall_doc(doc *d, const scenario *s, const summary *sm, bool plots)
{
    if (!sm->nstages)
        return;
    doc_text(d, B_H2, "What the levers did");
    doc_text(d, B_P,
             "The inference cost of every interaction customers asked for, over the horizon, with no lever and "
             "after each lever in the order applied. Every stage prices the same simulated interactions, so the "
             "savings add up to the difference exactly.");
    if (plots)
        doc_image(d, "plots/waterfall.png", "The savings waterfall.");
    char a[64];
    block *t = doc_table(d, sm->nstages + 2, 5);
    const char *head[] = { "stage", "type", "from month", "cost $", "saving $" };
    for (int c = 0; c < 5; c++)
        doc_cell(d, t, 0, c, "%s", head[c]);
    doc_cell(d, t, 1, 0, "no lever");
    doc_cell(d, t, 1, 1, "-");
    doc_cell(d, t, 1, 2, "-");
    doc_cell(d, t, 1, 3, "%s", fmt_number(a, sizeof a, sm->lever_total[0].mean, 2));
    doc_cell(d, t, 1, 4, "-");
    for (int j = 1; j < sm->nstages; j++) {
        const lever *l = &s->levers[j - 1];
        doc_cell(d, t, j + 1, 0, "%s", l->name);
        doc_cell(d, t, j + 1, 1, "%s", lever_kind_of(l)->name);
        doc_cell(d, t, j + 1, 2, "%d%s", l->start_month, l->ramp_months ? " (ramp)" : "");
        doc_cell(d, t, j + 1, 3, "%s", fmt_number(a, sizeof a, sm->lever_total[j].mean, 2));
        doc_cell(d, t, j + 1, 4, "%s",
                 fmt_number(a, sizeof a, sm->lever_total[j - 1].mean - sm->lever_total[j].mean, 2));
    }
    double base = sm->lever_total[0].mean, after = sm->lever_total[sm->nstages - 1].mean;
    doc_cell(d, t, sm->nstages + 1, 0, "with every lever");
    doc_cell(d, t, sm->nstages + 1, 1, "-");
    doc_cell(d, t, sm->nstages + 1, 2, "-");
    doc_cell(d, t, sm->nstages + 1, 3, "%s", fmt_number(a, sizeof a, after, 2));
    doc_cell(d, t, sm->nstages + 1, 4, "%s (%.1f%%)", fmt_number(a, sizeof a, base - after, 2),
             base > 0 ? 100 * (base - after) / base : 0);
}
