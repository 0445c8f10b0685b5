/* dashboard.c: the monthly cost dashboard and the red flags. */
#include "dashboard.h"
#include "json.h"
#include "report.h"
#include "format.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void flag(dashboard *d, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void flag(dashboard *d, const char *what, const char *fmt, ...)
{
    if (d->nflags == DASH_MAX_FLAGS)
        return;
    dash_flag *f = &d->flags[d->nflags++];
    snprintf(f->what, sizeof f->what, "%s", what);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->detail, sizeof f->detail, fmt, ap);
    va_end(ap);
}

/* Expected shares of month m (1-based) from the levers in force. */
static void expected_mix(const scenario *s, int m, dash_month *o)
{
    double wsum = 0, hit = 0, read = 0, tier[4] = { 0 }, calls = 0;
    for (int f = 0; f < s->nfeatures; f++)
        for (int r = 0; r < feature_route_count(&s->features[f]); r++) {
            double wt = s->features[f].share * feature_route_share(&s->features[f], r);
            lever_spec sp;
            lever_spec_init(&sp, &s->features[f], f, r, &s->prices, &s->world, m);
            for (int j = 0; j < s->nlevers; j++) {
                const lever *l = &s->levers[j];
                if (l->feature_index < 0 || l->feature_index == f)
                    lever_apply(&sp, l, lever_strength(l, m), &s->prices);
            }
            wsum += wt;
            hit += wt * sp.semantic_hit;
            read += wt * sp.cache_read;
            for (int k = 0; k < s->prices.nmodels; k++) {
                double c = wt * (1 - sp.semantic_hit) * sp.calls * sp.w[k];
                tier[s->prices.models[k].tier] += c;
                calls += c;
            }
        }
    o->semantic_hit = wsum > 0 ? 100 * hit / wsum : 0;
    o->cache_read = wsum > 0 ? 100 * read / wsum : 0;
    o->small = calls > 0 ? 100 * tier[TIER_SMALL] / calls : 0;
    o->mid = calls > 0 ? 100 * tier[TIER_MID] / calls : 0;
    o->large = calls > 0 ? 100 * tier[TIER_LARGE] / calls : 0;
}

static double avg(const summary *sm, int p, int k, int from, int to)
{
    double sum = 0;
    int n = 0;
    for (int m = from; m < to; m++) {
        double v = sum_month(sm, p, m, k)->mean;
        if (isfinite(v)) {
            sum += v;
            n++;
        }
    }
    return n ? sum / n : NAN;
}

int dashboard_build(dashboard *d, const scenario *s, const summary *sm)
{
    memset(d, 0, sizeof *d);
    d->nplans = sm->nplans;
    d->nmonths = sm->nmonths;
    d->m = calloc((size_t)d->nplans * d->nmonths, sizeof *d->m);
    if (!d->m)
        return -1;
    dash_month mix;
    for (int m = 0; m < d->nmonths; m++) {
        expected_mix(s, m + 1, &mix);
        for (int p = 0; p < d->nplans; p++) {
            dash_month *o = &d->m[(size_t)p * d->nmonths + m];
            *o = mix;
            double rev = sum_month(sm, p, m, MET_REVENUE)->mean;
            o->inference_pct = rev > 0 ? 100 * sum_month(sm, p, m, MET_INFERENCE_COST)->mean / rev : NAN;
            o->margin = sum_month(sm, p, m, MET_MARGIN)->mean;
            o->top20_cost = sum_month(sm, p, m, MET_TOP20_COST)->mean;
            o->top20_revenue = sum_month(sm, p, m, MET_TOP20_REVENUE)->mean;
        }
    }
    /* red flags */
    for (int p = 0; p < d->nplans; p++) {
        const plan *pl = &s->plans[p];
        if (pl->free_tier) {
            double fc = avg(sm, p, MET_FREE_COST, 0, d->nmonths);
            if (fc > 10)
                flag(d, "free tier over 10% of AI spend", "plan %s: free customers make %.1f%% of its inference "
                     "cost on average (keep it under 10%%)", pl->name, fc);
        }
        if (d->nmonths >= 6) {
            /* growth from the first quarter to the last */
            int q = d->nmonths / 4 > 3 ? 3 : (d->nmonths / 4 > 0 ? d->nmonths / 4 : 1);
            double c0 = avg(sm, p, MET_INFERENCE_PER_CUSTOMER, 0, q), c1 = avg(sm, p, MET_INFERENCE_PER_CUSTOMER,
                                                                              d->nmonths - q, d->nmonths);
            double r0 = avg(sm, p, MET_REVENUE_PER_CUSTOMER, 0, q), r1 = avg(sm, p, MET_REVENUE_PER_CUSTOMER,
                                                                            d->nmonths - q, d->nmonths);
            double gc = c0 > 0 ? c1 / c0 - 1 : NAN, gr = r0 > 0 ? r1 / r0 - 1 : NAN;
            if (isfinite(gc) && isfinite(gr) && gc > gr + 0.05)
                flag(d, "cost per customer outgrows revenue", "plan %s: inference cost per customer %+.1f%% from "
                     "the first months to the last, revenue per customer %+.1f%%", pl->name, 100 * gc, 100 * gr);
        }
        double tc = 0, tr = 0;
        for (int m = 0; m < d->nmonths; m++) {
            tc += d->m[(size_t)p * d->nmonths + m].top20_cost;
            tr += d->m[(size_t)p * d->nmonths + m].top20_revenue;
        }
        if (tc > tr)
            flag(d, "heaviest customers lose money", "plan %s: the costliest 20%% of customers cost $%.0f in "
                 "inference against $%.0f of revenue over the horizon", pl->name, tc, tr);
    }
    for (int f = 0; f < s->nfeatures; f++) {
        const feature *ft = &s->features[f];
        if (ft->agent_steps <= 0)
            continue;
        dash_agent *a = &d->agents[d->nagents++];
        *a = (dash_agent){ f, 0, 0, cost_agent_calls(ft) };
        for (int r = 0; r < feature_route_count(ft); r++) {
            a->task += feature_route_share(ft, r) * cost_interaction(ft, r, &s->prices).total;
            a->single += feature_route_share(ft, r) * cost_single_shot(ft, r, &s->prices).total;
        }
        if (a->single > 0 && a->task > 5 * a->single)
            flag(d, "agent task over 5x a single call", "feature %s: a task costs $%.4f, %.1f times a single-shot "
                 "call ($%.4f)", ft->name, a->task, a->task / a->single, a->single);
    }
    return 0;
}

void dashboard_free(dashboard *d)
{
    free(d->m);
    memset(d, 0, sizeof *d);
}

/* Months shown in tables: all up to 24, then every third and the last. */
static bool shown(int m, int n)
{
    return n <= 24 || m % 3 == 0 || m == n - 1;
}

void dashboard_print(FILE *out, const scenario *s, const dashboard *d)
{
    for (int p = 0; p < d->nplans; p++) {
        fprintf(out, "cost dashboard, plan %s (cache and model shares expected from the levers in force)\n",
                s->plans[p].name);
        fprintf(out, "  %5s %11s %8s %10s %11s %7s %7s %7s %21s\n", "month", "AI % rev", "margin%", "sem. hit%",
                "cache read%", "small%", "mid%", "large%", "top 20%: cost / paid");
        for (int m = 0; m < d->nmonths; m++) {
            if (!shown(m, d->nmonths))
                continue;
            const dash_month *o = &d->m[(size_t)p * d->nmonths + m];
            fprintf(out, "  %5d %11.1f %8.1f %10.1f %11.1f %7.1f %7.1f %7.1f %10.0f / %-10.0f\n", m + 1,
                    o->inference_pct, o->margin, o->semantic_hit, o->cache_read, o->small, o->mid, o->large,
                    o->top20_cost, o->top20_revenue);
        }
        fputc('\n', out);
    }
    for (int i = 0; i < d->nagents; i++) {
        const dash_agent *a = &d->agents[i];
        fprintf(out, "agent feature %s: $%.4f a task (%.2f calls), %.1f times a single-shot call ($%.4f)\n",
                s->features[a->feature].name, a->task, a->calls, a->single > 0 ? a->task / a->single : NAN, a->single);
    }
    if (d->nflags == 0) {
        fprintf(out, "red flags: none\n\n");
        return;
    }
    fprintf(out, "red flags:\n");
    for (int i = 0; i < d->nflags; i++)
        fprintf(out, "  ! %s: %s\n", d->flags[i].what, d->flags[i].detail);
    fputc('\n', out);
}

void dashboard_json(cJSON *root, const scenario *s, const dashboard *d)
{
    cJSON *dj = cJSON_AddObjectToObject(root, "dashboard");
    cJSON *plans = cJSON_AddArrayToObject(dj, "plans");
    for (int p = 0; p < d->nplans; p++) {
        cJSON *pj = cJSON_CreateObject();
        cJSON_AddItemToArray(plans, pj);
        cJSON_AddStringToObject(pj, "plan", s->plans[p].name);
        cJSON *ms = cJSON_AddArrayToObject(pj, "months");
        for (int m = 0; m < d->nmonths; m++) {
            const dash_month *o = &d->m[(size_t)p * d->nmonths + m];
            cJSON *mj = cJSON_CreateObject();
            cJSON_AddItemToArray(ms, mj);
            double v[] = { o->inference_pct, o->margin, o->semantic_hit, o->cache_read, o->small, o->mid, o->large,
                           o->top20_cost, o->top20_revenue };
            const char *k[] = { "inference_pct_of_revenue", "gross_margin_pct", "semantic_cache_hit_pct",
                                "prompt_cache_read_pct", "calls_small_pct", "calls_mid_pct", "calls_large_pct",
                                "top20_inference_cost", "top20_revenue" };
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
                json_number_add(mj, k[i], v[i]);
        }
    }
    cJSON *fl = cJSON_AddArrayToObject(dj, "red_flags");
    for (int i = 0; i < d->nflags; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddItemToArray(fl, f);
        cJSON_AddStringToObject(f, "flag", d->flags[i].what);
        cJSON_AddStringToObject(f, "detail", d->flags[i].detail);
    }
}

void dashboard_doc(doc *dc, const scenario *s, const dashboard *d)
{
    doc_text(dc, B_H2, "Cost dashboard and red flags");
    if (d->nflags == 0)
        doc_text(dc, B_P, "No red flag: free customers under 10%% of the inference bill, cost per customer not "
                          "outgrowing revenue per customer, no agent task above 5 times a single call, the costliest "
                          "20%% of customers paying for themselves.");
    for (int i = 0; i < d->nflags; i++)
        doc_text(dc, B_P, "**Red flag: %s.** %s.", d->flags[i].what, d->flags[i].detail);
    for (int p = 0; p < d->nplans; p++) {
        int rows = 0;
        for (int m = 0; m < d->nmonths; m++)
            rows += shown(m, d->nmonths);
        doc_text(dc, B_P, "Plan %s, month by month (cache and model shares are expected from the levers in force):",
                 s->plans[p].name);
        block *t = doc_table(dc, rows + 1, 8);
        const char *head[] = { "month", "AI % of revenue", "gross margin %", "semantic hits %", "cache reads %",
                               "small / mid / large calls %", "top 20%: cost $", "top 20%: paid $" };
        for (int c = 0; c < 8; c++)
            doc_cell(dc, t, 0, c, "%s", head[c]);
        int r = 1;
        for (int m = 0; m < d->nmonths; m++) {
            if (!shown(m, d->nmonths))
                continue;
            const dash_month *o = &d->m[(size_t)p * d->nmonths + m];
            doc_cell(dc, t, r, 0, "%d", m + 1);
            doc_cell(dc, t, r, 1, "%.1f", o->inference_pct);
            doc_cell(dc, t, r, 2, "%.1f", o->margin);
            doc_cell(dc, t, r, 3, "%.1f", o->semantic_hit);
            doc_cell(dc, t, r, 4, "%.1f", o->cache_read);
            doc_cell(dc, t, r, 5, "%.0f / %.0f / %.0f", o->small, o->mid, o->large);
            char a[64];
            doc_cell(dc, t, r, 6, "%s", fmt_number(a, sizeof a, o->top20_cost, 0));
            doc_cell(dc, t, r, 7, "%s", fmt_number(a, sizeof a, o->top20_revenue, 0));
            r++;
        }
    }
}
