/* planswitch_out.c: who pays more if every customer of the first plan moved
 * to another, as summary.json members and as a report section. */
#include "planswitch_out.h"

#include "format.h"
#include "json.h"

#include <math.h>
#include <stdio.h>

static cJSON *json_mover(const scenario *s, const switch_mover *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "segment", usage_dist_segment_name(&s->usage, m->segment));
    json_number_add(o, "interactions", m->interactions);
    json_number_add(o, "bill_from", m->from);
    json_number_add(o, "bill_to", m->to);
    return o;
}

static cJSON *json_switch(const scenario *s, const summary *sm, const plan_switch *sw)
{
    static const char *const qn[5] = { "p5", "p25", "p50", "p75", "p95" };
    int np = sm->nplans, to = sw->to;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "from", s->plans[0].name);
    cJSON_AddStringToObject(o, "to", s->plans[to].name);
    cJSON_AddNumberToObject(o, "month", s->horizon);
    cJSON_AddNumberToObject(o, "replication", 1);
    cJSON_AddNumberToObject(o, "customers", (double)sw->customers);
    cJSON *q = cJSON_AddObjectToObject(o, "bill_change");
    for (int k = 0; k < 5; k++)
        json_number_add(q, qn[k], sw->q[k]);
    json_number_add(o, "pct_pay_more", sw->pct_more);
    json_number_add(o, "pct_pay_less", sw->pct_less);
    json_number_add(o, "pct_pay_same", sw->pct_same);
    cJSON *segs = cJSON_AddArrayToObject(o, "segments");
    for (int g = 0; g < sm->nsegments; g++) {
        if (sw->seg[g].customers <= 0)
            continue;
        cJSON *so = cJSON_CreateObject();
        cJSON_AddStringToObject(so, "segment", usage_dist_segment_name(&s->usage, g));
        cJSON_AddNumberToObject(so, "customers", sw->seg[g].customers);
        json_number_add(so, "interactions_mean", sw->seg[g].interactions);
        json_number_add(so, "bill_change_mean", sw->seg[g].change);
        cJSON_AddItemToArray(segs, so);
    }
    cJSON *up = cJSON_AddArrayToObject(o, "largest_rises"), *down = cJSON_AddArrayToObject(o, "largest_falls");
    for (int i = 0; i < sw->nrises; i++)
        cJSON_AddItemToArray(up, json_mover(s, &sw->rises[i]));
    for (int i = 0; i < sw->nfalls; i++)
        cJSON_AddItemToArray(down, json_mover(s, &sw->falls[i]));
    cJSON *h = cJSON_AddObjectToObject(o, "horizon");
    json_number_add(h, "revenue_change", sum_total(sm, to, TOT_REVENUE)->mean - sum_total(sm, 0, TOT_REVENUE)->mean);
    json_number_add(h, "inference_cost_change",
                    sum_total(sm, to, TOT_INFERENCE_COST)->mean - sum_total(sm, 0, TOT_INFERENCE_COST)->mean);
    cJSON_AddItemToObject(h, "gross_profit_difference", json_stat(&sm->pair_profit[to * np + 0]));
    cJSON_AddItemToObject(h, "margin_difference_pts", json_stat(&sm->pair_margin[to * np + 0]));
    return o;
}

void planswitch_json(cJSON *root, const scenario *s, const summary *sm)
{
    if (sm->nswitches == 0)
        return;
    cJSON *a = cJSON_AddArrayToObject(root, "plan_switch");
    for (int k = 0; k < sm->nswitches; k++)
        cJSON_AddItemToArray(a, json_switch(s, sm, &sm->switches[k]));
}

/* Money with its sign always shown: "+$7.72", "-$18.78", "$0.00". */
static const char *signed_money(char *buf, size_t n, double v, int decimals)
{
    char a[48];    /* buf has 64: room for the sign */
    fmt_money(a, sizeof a, v, decimals);
    snprintf(buf, n, "%s%s", v >= 0.5 * pow(10, -decimals) ? "+" : "", a);
    return buf;
}

/* One switch: the spread of the bill change, who moves, the segments, the
 * largest movers and what it does to the horizon's profit and margin. */
static void doc_switch(doc *d, const scenario *s, const summary *sm, const plan_switch *sw)
{
    char a[5][64], b[64], c[64];
    int np = sm->nplans, to = sw->to;
    const ts_stat *dg = &sm->pair_profit[to * np + 0], *dm = &sm->pair_margin[to * np + 0];
    doc_text(d, B_H2, "If every customer switched from %s to %s", s->plans[0].name, s->plans[to].name);
    for (int k = 0; k < 5; k++)
        signed_money(a[k], sizeof a[k], sw->q[k], 2);
    doc_text(d, B_P,
         "In month %d of the first replication (%s customers), %.1f%% would pay more, %.1f%% less and %.1f%% the "
         "same. The monthly bill change per customer: P5 %s, P25 %s, median %s, P75 %s, P95 %s.",
         s->horizon, fmt_number(b, sizeof b, (double)sw->customers, 0), sw->pct_more, sw->pct_less, sw->pct_same,
         a[0], a[1], a[2], a[3], a[4]);
    signed_money(b, sizeof b, dg->mean, 0);
    signed_money(a[0], sizeof a[0], dg->ci_lo, 0);
    signed_money(a[1], sizeof a[1], dg->ci_hi, 0);
    doc_text(d, B_P,
             "Over the horizon the switch changes gross profit by %s (paired 95%% CI %s to %s) and gross margin by "
             "%+.2f points (%+.2f to %+.2f).",
             b, a[0], a[1], dm->mean, dm->ci_lo, dm->ci_hi);
    int rows = 1;
    for (int g = 0; g < sm->nsegments; g++)
        rows += sw->seg[g].customers > 0;
    block *t = doc_table(d, rows, 4);
    const char *hd[4] = { "segment", "customers", "interactions a month", "bill change a month" };
    for (int k = 0; k < 4; k++)
        doc_cell(d, t, 0, k, "%s", hd[k]);
    for (int g = 0, r = 1; g < sm->nsegments; g++) {
        if (sw->seg[g].customers <= 0)
            continue;
        doc_cell(d, t, r, 0, "%s", usage_dist_segment_name(&s->usage, g));
        doc_cell(d, t, r, 1, "%s", fmt_number(b, sizeof b, sw->seg[g].customers, 0));
        doc_cell(d, t, r, 2, "%s", fmt_number(c, sizeof c, sw->seg[g].interactions, 1));
        doc_cell(d, t, r, 3, "%s", signed_money(a[0], sizeof a[0], sw->seg[g].change, 2));
        r++;
    }
    if (sw->nrises == 0) {
        doc_text(d, B_P, "No bill changes: the plans differ in what they serve, not in what they charge.");
        return;
    }
    t = doc_table(d, 1 + sw->nrises + sw->nfalls, 5);
    const char *hm[5] = { "customer", "segment", "interactions a month", "bill now", "bill after" };
    for (int k = 0; k < 5; k++)
        doc_cell(d, t, 0, k, "%s", hm[k]);
    for (int i = 0; i < sw->nrises + sw->nfalls; i++) {
        const switch_mover *m = i < sw->nrises ? &sw->rises[i] : &sw->falls[i - sw->nrises];
        doc_cell(d, t, i + 1, 0, "largest %s %d", i < sw->nrises ? "rise" : "fall",
                 1 + (i < sw->nrises ? i : i - sw->nrises));
        doc_cell(d, t, i + 1, 1, "%s", usage_dist_segment_name(&s->usage, m->segment));
        doc_cell(d, t, i + 1, 2, "%s", fmt_number(b, sizeof b, m->interactions, 0));
        doc_cell(d, t, i + 1, 3, "%s", fmt_money(b, sizeof b, m->from, 2));
        doc_cell(d, t, i + 1, 4, "%s", fmt_money(c, sizeof c, m->to, 2));
    }
}

void planswitch_doc(doc *d, const scenario *s, const summary *sm)
{
    for (int k = 0; k < sm->nswitches; k++)
        doc_switch(d, s, sm, &sm->switches[k]);
}
