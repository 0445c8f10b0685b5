/* report.c: terminal tables. Figures are means across replications; margin
 * columns add the 95% confidence interval of the mean and the P5-P95 spread
 * of single replications. */
#include "report.h"
#include "finance_out.h"
#include "format.h"
#include "uncertain_out.h"

#include <math.h>
#include <string.h>

/* 1234567.8 -> "1,234,568" (decimals digits after the point). */
static const char *num(char *buf, size_t n, double v, int decimals)
{
    if (isnan(v)) {
        snprintf(buf, n, "-");
        return buf;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    char *dot = strchr(raw, '.');
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    char out[96];
    size_t j = 0;
    if (v < 0 && strspn(raw, "0.") != strlen(raw))
        out[j++] = '-';
    for (size_t i = 0; i < intlen; i++) {
        out[j++] = raw[i];
        size_t left = intlen - i - 1;
        if (left > 0 && left % 3 == 0)
            out[j++] = ',';
    }
    if (dot) {
        strcpy(out + j, dot);
        j += strlen(dot);
    }
    out[j] = 0;
    snprintf(buf, n, "%s", out);
    return buf;
}

void report_print_costs(FILE *out, const scenario *s)
{
    char b1[32];
    fprintf(out, "cost of one interaction (prices of %s)\n", s->prices.date);
    fprintf(out, "  %-16s %6s %-14s %6s %9s %9s %11s %11s\n", "feature", "share", "model", "calls", "in tok",
            "out tok", "$ model", "$ retrieval");
    for (int f = 0; f < s->nfeatures; f++) {
        const feature *ft = &s->features[f];
        for (int r = 0; r < feature_route_count(ft); r++) {
            interaction_cost c = cost_interaction(ft, r, &s->prices);
            const feature_tokens *t = &ft->tokens;
            double share = ft->share * feature_route_share(ft, r);
            fprintf(out, "  %-16s %5.1f%% %-14s %6g %9s %9s %11.6f %11.6f\n", r == 0 ? ft->name : "",
                    100 * share, s->prices.models[feature_route_model(ft, r)].name, ft->calls,
                    num(b1, sizeof b1, ft->calls * (t->system + t->history + t->user + t->context), 0),
                    num((char[32]){ 0 }, 32, ft->calls * t->output, 0), c.input + c.output, c.retrieval);
        }
    }
    interaction_cost e = cost_interaction_expected(s->features, s->nfeatures, &s->prices);
    fprintf(out, "  expected cost of one interaction: $%.6f (model $%.6f, retrieval $%.6f), %s tokens\n\n",
            e.total, e.input + e.output, e.retrieval, num(b1, sizeof b1, e.tokens, 0));
}

static void print_header(FILE *out, const scenario *s, const summary *sm, const provenance *pv)
{
    fprintf(out, "tokensim %s: %s\n", pv->version, s->name);
    fprintf(out, "scenario %s (resolved hash %016llx), seed %llu, ", pv->scenario_file,
            (unsigned long long)pv->hash, (unsigned long long)pv->seed);
    if (pv->single)
        fprintf(out, "replication %d alone, ", pv->first + 1);
    else
        fprintf(out, "%d replications, ", sm->nreps);
    fprintf(out, "%d months, prices of %s\n", s->horizon, s->prices.date);
    if (s->description[0])
        fprintf(out, "%s\n", s->description);
    char w[768];
    if (outputs_tail_warning(pv, w, sizeof w))
        fprintf(out, "warning: %s\n", w);
    fputc('\n', out);
}

static void print_months(FILE *out, const scenario *s, const summary *sm, int p, bool single)
{
    char c1[32], c2[32], c3[32], c4[32], c5[32], c6[32];
    const plan *pl = &s->plans[p];
    char terms[256];
    plan_describe(pl, terms, sizeof terms);
    fprintf(out, "plan '%s' (%s): %s, target margin %.0f%%\n", pl->name, plan_kind_name(pl->kind), terms,
            100 * pl->target_margin);
    if (single)
        fprintf(out, "%5s %10s %13s %13s %12s %11s %13s %9s\n", "month", "customers", "interactions", "revenue $",
                "inference $", "other $", "gross prof $", "margin %");
    else
        fprintf(out, "%5s %10s %13s %13s %12s %11s %13s %9s  %-16s  %s\n", "month", "customers", "interactions",
                "revenue $", "inference $", "other $", "gross prof $", "margin %", "95% ci of mean", "p5..p95");
    int step = sm->nmonths > 36 ? (sm->nmonths + 35) / 36 : 1;
    for (int m = 0; m < sm->nmonths; m++) {
        if (m % step != 0 && m != sm->nmonths - 1)
            continue;
        const ts_stat *mg = sum_month(sm, p, m, MET_MARGIN);
        fprintf(out, "%5d %10s %13s %13s %12s %11s %13s %9.1f", m + 1,
                num(c1, sizeof c1, sum_month(sm, p, m, MET_CUSTOMERS)->mean, 0),
                num(c2, sizeof c2, sum_month(sm, p, m, MET_INTERACTIONS)->mean, 0),
                num(c3, sizeof c3, sum_month(sm, p, m, MET_REVENUE)->mean, 0),
                num(c4, sizeof c4, sum_month(sm, p, m, MET_INFERENCE_COST)->mean, 0),
                num(c5, sizeof c5, sum_month(sm, p, m, MET_OTHER_COST)->mean, 0),
                num(c6, sizeof c6, sum_month(sm, p, m, MET_GROSS_PROFIT)->mean, 0), mg->mean);
        if (!single)
            fprintf(out, "  [%6.1f, %6.1f]  %.1f..%.1f", mg->ci_lo, mg->ci_hi, mg->p5, mg->p95);
        fputc('\n', out);
    }
    fputc('\n', out);
}

static void print_units(FILE *out, const summary *sm, int p)
{
    fprintf(out, "unit metrics (means)\n");
    fprintf(out, "%5s %14s %14s %14s %14s %12s\n", "month", "$/interaction", "$/customer", "AI $/customer",
            "rev $/cust", "tokens/int");
    int step = sm->nmonths > 12 ? (sm->nmonths + 11) / 12 : 1;
    for (int m = 0; m < sm->nmonths; m++) {
        if ((m + 1) % step != 0 && m != 0 && m != sm->nmonths - 1)
            continue;
        fprintf(out, "%5d %14.6f %14.4f %14.4f %14.2f %12.0f\n", m + 1,
                sum_month(sm, p, m, MET_COST_PER_INTERACTION)->mean, sum_month(sm, p, m, MET_COST_PER_CUSTOMER)->mean,
                sum_month(sm, p, m, MET_INFERENCE_PER_CUSTOMER)->mean,
                sum_month(sm, p, m, MET_REVENUE_PER_CUSTOMER)->mean,
                sum_month(sm, p, m, MET_TOKENS_PER_INTERACTION)->mean);
    }
    fputc('\n', out);
}

static void print_segments(FILE *out, const scenario *s, const summary *sm, int p)
{
    fprintf(out, "segments over the horizon, per customer-month (means)\n");
    fprintf(out, "  %-10s %11s %13s %12s %10s %12s %9s %11s\n", "segment", "customers", "interactions", "AI cost $",
            "revenue $", "profit $", "margin %", "cost share");
    for (int g = 0; g < sm->nsegments; g++) {
        const ts_stat *cs = sum_seg(sm, p, g, SX_CUSTOMER_SHARE);
        if (!(cs->mean > 0))
            continue;
        char mg[32] = "-";
        if (fmt_segment_margin_shown(sm, p, g))
            snprintf(mg, sizeof mg, "%.1f", sum_seg(sm, p, g, SX_MARGIN)->mean);
        fprintf(out, "  %-10s %10.1f%% %13.1f %12.2f %10.2f %+12.2f %9s %10.1f%%\n",
                usage_dist_segment_name(&s->usage, g), cs->mean, sum_seg(sm, p, g, SX_INTERACTIONS)->mean,
                sum_seg(sm, p, g, SX_INFERENCE_COST)->mean, sum_seg(sm, p, g, SX_REVENUE)->mean,
                sum_seg(sm, p, g, SX_PROFIT)->mean, mg, sum_seg(sm, p, g, SX_COST_SHARE)->mean);
    }
    if (!usage_dist_named_segments(&s->usage))
        fprintf(out, "  (segments by intensity: medium from P%g, heavy from P%g, power from P%g)\n",
                100 * s->usage.bounds.from[0], 100 * s->usage.bounds.from[1],
                100 * s->usage.bounds.from[2]);
    fputc('\n', out);
}

static void print_totals(FILE *out, const summary *sm, int p, bool single)
{
    char a[32], b[32], c[32];
    fprintf(out, "horizon totals\n");
    const int keys[] = { TOT_REVENUE, TOT_INFERENCE_COST, TOT_OTHER_COST, TOT_GROSS_PROFIT, TOT_MARGIN };
    const char *labels[] = { "revenue $", "inference cost $", "other cost $", "gross profit $", "gross margin %" };
    for (int i = 0; i < 5; i++) {
        const ts_stat *st = sum_total(sm, p, keys[i]);
        int d = keys[i] == TOT_MARGIN ? 1 : 0;
        fprintf(out, "  %-18s %15s", labels[i], num(a, sizeof a, st->mean, d));
        if (!single)
            fprintf(out, "   95%% ci [%s, %s]   p5..p95 %s..%s", num(b, sizeof b, st->ci_lo, d),
                    num(c, sizeof c, st->ci_hi, d), num((char[32]){ 0 }, 32, st->p5, d),
                    num((char[32]){ 0 }, 32, st->p95, d));
        fputc('\n', out);
    }
    if (!single)
        fprintf(out, "  probability the horizon margin is below 50%%: %.1f%%, below 0: %.1f%%\n",
                100 * sm->p_margin_below_50[p], 100 * sm->p_margin_below_0[p]);
    fputc('\n', out);
}

static void print_concentration(FILE *out, const summary *sm, int p)
{
    int m = sm->nmonths - 1;
    fprintf(out, "share of month %d's inference cost made by the heaviest customers (mean, p5..p95)\n", m + 1);
    const int keys[] = { MET_TOP1, MET_TOP5, MET_TOP10, MET_TOP20 };
    const char *labels[] = { "top 1%", "top 5%", "top 10%", "top 20%" };
    for (int i = 0; i < 4; i++) {
        const ts_stat *st = sum_month(sm, p, m, keys[i]);
        fprintf(out, "  %-8s %5.1f%%  (%.1f..%.1f)\n", labels[i], st->mean, st->p5, st->p95);
    }
    fputc('\n', out);
}

void report_print(FILE *out, const scenario *s, const summary *sm, const provenance *pv)
{
    print_header(out, s, sm, pv);
    report_print_costs(out, s);
    for (int p = 0; p < sm->nplans; p++) {
        print_months(out, s, sm, p, pv->single);
        print_totals(out, sm, p, pv->single);
        if (sm->fin)
            finance_print(out, s, sm, p);
        if (p == 0) {
            print_units(out, sm, p);
            print_concentration(out, sm, p);
        }
        print_segments(out, s, sm, p);
    }
    if (sm->unc)
        uncertain_print(out, s, sm);
}
