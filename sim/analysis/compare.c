/* compare.c: the side-by-side tables of `tokensim compare`. */
#include "compare.h"
#include "sim/output/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void compare_terms(const plan *p, char *buf, size_t n)
{
    plan_terms(p, buf, n);
    size_t len = strlen(buf);
    if (len < n && (p->minimum > 0 || p->maximum > 0))
        snprintf(buf + len, n - len, "%s%s", p->minimum > 0 ? ", min" : "", p->maximum > 0 ? ", cap" : "");
}

/* The width of the plan column: 12, or the longest name (names are never cut). */
static int name_width(const scenario *s)
{
    size_t w = 12;
    for (int p = 0; p < s->nplans; p++)
        if (strlen(s->plans[p].name) > w)
            w = strlen(s->plans[p].name);
    return (int)w;
}

/* Text from `col` on, wrapped at word boundaries so that no line passes
 * column 100; continuation lines start at `col` too. */
static void print_wrapped(FILE *out, const char *text, int col)
{
    int width = 100 - col > 20 ? 100 - col : 20, used = 0;
    for (const char *w = text; *w;) {
        while (*w == ' ')
            w++;
        int len = (int)strcspn(w, " ");
        if (!len)
            break;
        if (used && used + 1 + len > width) {
            fprintf(out, "\n%*s", col, "");
            used = 0;
        } else if (used) {
            fputc(' ', out);
            used++;
        }
        fprintf(out, "%.*s", len, w);
        used += len;
        w += len;
    }
    fputc('\n', out);
}

/* Each plan's terms in full, as a pricing page gives them (plan_describe),
 * under the table: a column would cut them. */
static void terms_legend(FILE *out, const scenario *s)
{
    int nw = name_width(s);
    fprintf(out, "terms:\n");
    for (int p = 0; p < s->nplans; p++) {
        char t[512];
        plan_describe(&s->plans[p], t, sizeof t);
        fprintf(out, "  %-*s  ", nw, s->plans[p].name);
        print_wrapped(out, t, nw + 4);
    }
}

static void plans_table(FILE *out, const scenario *s, const summary *sm)
{
    char a[64], b[64], c[64];
    int nw = name_width(s);
    fprintf(out, "%-*s %12s %12s %11s %8s %16s %9s %9s\n", nw, "plan", "revenue $", "inference $", "other $",
            "margin%", "p5..p95", "losing%", "P(<50%)");
    for (int p = 0; p < sm->nplans; p++) {
        const ts_stat *m = sum_total(sm, p, TOT_MARGIN);
        fprintf(out, "%-*s %12s %12s %11s %8.1f %7.1f..%-7.1f %9.1f %8.1f%%\n", nw, s->plans[p].name,
                fmt_number(a, sizeof a, sum_total(sm, p, TOT_REVENUE)->mean, 0),
                fmt_number(b, sizeof b, sum_total(sm, p, TOT_INFERENCE_COST)->mean, 0),
                fmt_number(c, sizeof c, sum_total(sm, p, TOT_OTHER_COST)->mean, 0), m->mean, m->p5, m->p95,
                sum_total(sm, p, TOT_LOSING)->mean, 100 * sm->p_margin_below_50[p]);
    }
    fprintf(out, "(horizon totals, means across replications; losing%%: customer-months that cost more than they "
                 "paid)\n");
    terms_legend(out, s);
    fputc('\n', out);
}

static void segments_table(FILE *out, const scenario *s, const summary *sm)
{
    fprintf(out, "gross margin per segment (%%, per customer-month)\n%-10s", "segment");
    for (int p = 0; p < sm->nplans; p++)
        fprintf(out, " %*s", name_width(s), s->plans[p].name);
    fputc('\n', out);
    for (int g = 0; g < sm->nsegments; g++) {
        fprintf(out, "%-10s", usage_dist_segment_name(&s->usage, g));
        for (int p = 0; p < sm->nplans; p++)
            if (fmt_segment_margin_shown(sm, p, g))
                fprintf(out, " %*.1f", name_width(s), sum_seg(sm, p, g, SX_MARGIN)->mean);
            else
                fprintf(out, " %*s", name_width(s), "-");
        fputc('\n', out);
    }
    fputc('\n', out);
}

/* What the interval of a - b would be had the plans seen different
 * customers: independent estimates, so each side's distance from the mean
 * adds in quadrature, a's lower with b's upper and the other way round
 * (taken from the plans' own intervals, not recovered through the paired
 * difference's standard error, which is 0 when the difference never varies). */
void compare_unpaired(const ts_stat *a, const ts_stat *b, double *below, double *above)
{
    double a_lo = a->mean - a->ci_lo, a_hi = a->ci_hi - a->mean, b_lo = b->mean - b->ci_lo, b_hi = b->ci_hi - b->mean;
    *below = sqrt(a_lo * a_lo + b_hi * b_hi);
    *above = sqrt(a_hi * a_hi + b_lo * b_lo);
}

static void pairs_table(FILE *out, const scenario *s, const summary *sm)
{
    fprintf(out, "differences, replication by replication (the same customers under both plans)\n");
    int pw = 2 * name_width(s) + 3;
    fprintf(out, "%-*s %12s %21s %21s %18s\n", pw, "plans", "margin pts", "95% ci (paired)", "95% ci (unpaired)",
            "gross profit $");
    int np = sm->nplans;
    for (int i = 0; i < np; i++)
        for (int j = i + 1; j < np; j++) {
            const ts_stat *d = &sm->pair_margin[i * np + j], *g = &sm->pair_profit[i * np + j];
            const ts_stat *a = sum_total(sm, i, TOT_MARGIN), *b = sum_total(sm, j, TOT_MARGIN);
            double lo, hi;
            compare_unpaired(a, b, &lo, &hi);
            char name[2 * PLAN_NAME_LEN + 4];
            snprintf(name, sizeof name, "%s - %s", s->plans[i].name, s->plans[j].name);
            fprintf(out, "%-*s %+12.2f    [%+7.2f, %+7.2f]    [%+7.2f, %+7.2f] %+18.0f\n", pw, name, d->mean, d->ci_lo,
                    d->ci_hi, d->mean - lo, d->mean + hi, g->mean);
        }
    fputc('\n', out);
}

/* The switch from the first plan to sw->to, from the summary's plan-switch
 * analysis (sim/engine/planswitch.h). */
static void switch_table(FILE *out, const scenario *s, const summary *sm, const plan_switch *sw)
{
    int np = sm->nplans, to = sw->to;
    fprintf(out, "switching every customer from '%s' to '%s'\n", s->plans[0].name, s->plans[to].name);
    fprintf(out, "  monthly bill change per customer (month %d, replication 1, %zu customers): p5 %+.2f, p25 %+.2f, "
                 "median %+.2f, p75 %+.2f, p95 %+.2f\n",
            s->horizon, sw->customers, sw->q[0], sw->q[1], sw->q[2], sw->q[3], sw->q[4]);
    fprintf(out, "  %.1f%% pay more, %.1f%% pay less, %.1f%% the same\n", sw->pct_more, sw->pct_less, sw->pct_same);
    fprintf(out, "  %-10s %10s %14s %14s\n", "segment", "customers", "interactions", "bill change $");
    for (int g = 0; g < sm->nsegments; g++)
        if (sw->seg[g].customers > 0)
            fprintf(out, "  %-10s %10.0f %14.1f %+14.2f\n", usage_dist_segment_name(&s->usage, g), sw->seg[g].customers,
                    sw->seg[g].interactions, sw->seg[g].change);
    if (sw->nrises == 0) {
        fputs("  (no bill changes: the plans differ in what they serve, not in what they charge)", out);
    } else {
        fprintf(out, "  largest rises:  ");
        for (int i = 0; i < sw->nrises; i++) {
            const switch_mover *m = &sw->rises[i];
            fprintf(out, "%s%.0f interactions (%s) $%.2f -> $%.2f", i ? "; " : "", m->interactions,
                    usage_dist_segment_name(&s->usage, m->segment), m->from, m->to);
        }
        fprintf(out, "\n  largest falls:  ");
        for (int i = 0; i < sw->nfalls; i++) {
            const switch_mover *m = &sw->falls[i];
            fprintf(out, "%s%.0f interactions (%s) $%.2f -> $%.2f", i ? "; " : "", m->interactions,
                    usage_dist_segment_name(&s->usage, m->segment), m->from, m->to);
        }
    }
    const ts_stat *dg = &sm->pair_profit[to * np + 0], *dm = &sm->pair_margin[to * np + 0];
    fprintf(out, "\n  over the horizon: revenue %+.0f, inference cost %+.0f, gross profit %+.0f [%+.0f, %+.0f], "
                 "margin %+.2f pts [%+.2f, %+.2f]\n\n",
            sum_total(sm, to, TOT_REVENUE)->mean - sum_total(sm, 0, TOT_REVENUE)->mean,
            sum_total(sm, to, TOT_INFERENCE_COST)->mean - sum_total(sm, 0, TOT_INFERENCE_COST)->mean, dg->mean,
            dg->ci_lo, dg->ci_hi, dm->mean, dm->ci_lo, dm->ci_hi);
}

void compare_print(FILE *out, const scenario *s, const run_result *r, const summary *sm, const provenance *pv)
{
    (void)r;    /* the plan-switch analysis now comes with the summary */
    fprintf(out, "tokensim %s: %s, %d plans on the same customers\n", pv->version, s->name, sm->nplans);
    fprintf(out, "scenario %s (resolved hash %016llx), seed %llu, %d replications, %d months, prices of %s\n\n",
            pv->scenario_file, (unsigned long long)pv->hash, (unsigned long long)pv->seed, sm->nreps, s->horizon,
            s->prices.date);
    char w[768];
    if (outputs_tail_warning(pv, w, sizeof w))
        fprintf(out, "warning: %s\n\n", w);
    plans_table(out, s, sm);
    segments_table(out, s, sm);
    if (sm->nplans > 1) {
        pairs_table(out, s, sm);
        for (int k = 0; k < sm->nswitches; k++)
            switch_table(out, s, sm, &sm->switches[k]);
    }
}
