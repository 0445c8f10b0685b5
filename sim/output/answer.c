/* answer.c: the report's opening answer and red flags (see answer.h). */
#include "answer.h"

#include "dashboard.h"
#include "format.h"

#include <math.h>
#include <stdio.h>

/* The plan with the highest mean of total metric k, other than `skip`
 * (-1: none); -1 when no plan has a finite mean. */
static int best_plan(const summary *sm, int k, int skip)
{
    int best = -1;
    for (int p = 0; p < sm->nplans; p++) {
        double v = sum_total(sm, p, k)->mean;
        if (p != skip && isfinite(v) && (best < 0 || v > sum_total(sm, best, k)->mean))
            best = p;
    }
    return best;
}

/* "83.9% (95% CI 83.9% to 84.0%)" */
static void margin_words(char *buf, size_t n, const ts_stat *m)
{
    snprintf(buf, n, "%.1f%% (95%% CI %.1f%% to %.1f%%)", m->mean, m->ci_lo, m->ci_hi);
}

static void profit_words(char *buf, size_t n, const ts_stat *g)
{
    char a[64], b[64], c[64];
    snprintf(buf, n, "%s (95%% CI %s to %s)", fmt_money(a, sizeof a, g->mean, 0), fmt_money(b, sizeof b, g->ci_lo, 0),
             fmt_money(c, sizeof c, g->ci_hi, 0));
}

/* The winner on margin (k TOT_MARGIN) or on gross profit, against the
 * runner-up, with the paired difference and whether it is clear of noise. */
static void winner(doc *d, const scenario *s, const summary *sm, int k)
{
    int np = sm->nplans, w = best_plan(sm, k, -1), r = best_plan(sm, k, w);
    if (w < 0 || r < 0)
        return;
    char own[160], a[64], b[64], c[64];
    bool margin = k == TOT_MARGIN;
    const ts_stat *diff = margin ? &sm->pair_margin[w * np + r] : &sm->pair_profit[w * np + r];
    bool clear = diff->ci_lo > 0 || diff->ci_hi < 0;
    if (margin) {
        margin_words(own, sizeof own, sum_total(sm, w, k));
        doc_text(d, B_P, "**On gross margin, %s wins:** %s over the horizon, %.2f points above %s (paired 95%% CI "
                 "%.2f to %.2f points)%s.", s->plans[w].name, own, diff->mean, s->plans[r].name, diff->ci_lo,
                 diff->ci_hi, clear ? "" : ": within the noise, no clear winner");
    } else {
        profit_words(own, sizeof own, sum_total(sm, w, k));
        doc_text(d, B_P, "**On gross profit, %s wins:** %s over the horizon, %s more than %s (paired 95%% CI %s to "
                 "%s)%s.", s->plans[w].name, own, fmt_money(a, sizeof a, diff->mean, 0), s->plans[r].name,
                 fmt_money(b, sizeof b, diff->ci_lo, 0), fmt_money(c, sizeof c, diff->ci_hi, 0),
                 clear ? "" : ": within the noise, no clear winner");
    }
}

/* Plan p's P5 downside: the margin and gross profit one future in twenty
 * falls below. */
static void downside(doc *d, const scenario *s, const summary *sm, int p)
{
    char a[64];
    doc_text(d, B_P, "**Downside of %s:** in the worst 5%% of futures (P5 across replications) its gross margin "
             "is %.1f%% or less and its gross profit %s or less.", s->plans[p].name,
             sum_total(sm, p, TOT_MARGIN)->p5, fmt_money(a, sizeof a, sum_total(sm, p, TOT_GROSS_PROFIT)->p5, 0));
}

/* The red flags, each a paragraph; returns how many. */
static int flags(doc *d, const scenario *s, const summary *sm, const dashboard *db, const provenance *pv)
{
    int n = 0;
    char w[768];
    if (outputs_tail_warning(pv, w, sizeof w))
        n++, doc_text(d, B_P, "Red flag: %s.", w);
    for (int p = 0; p < sm->nplans; p++) {
        const ts_stat *m = sum_total(sm, p, TOT_MARGIN);
        if (m->mean < 0)
            n++, doc_text(d, B_P, "Red flag: plan %s loses money, a gross margin of %.1f%%, below 0 in %.0f%% of "
                          "replications.", s->plans[p].name, m->mean, 100 * sm->p_margin_below_0[p]);
        else if (sm->p_margin_below_0[p] >= ANSWER_P_LOSS)
            n++, doc_text(d, B_P, "Red flag: plan %s's gross margin falls below 0 in %.0f%% of replications.",
                          s->plans[p].name, 100 * sm->p_margin_below_0[p]);
        double losing = sum_total(sm, p, TOT_LOSING)->mean;
        if (losing >= ANSWER_LOSING_PCT)
            n++, doc_text(d, B_P, "Red flag: under plan %s, %.1f%% of customer-months cost more than they paid.",
                          s->plans[p].name, losing);
    }
    double top1 = sm->nmonths > 0 ? sum_month(sm, 0, sm->nmonths - 1, MET_TOP1)->mean : NAN;
    if (isfinite(top1) && top1 >= ANSWER_TOP1_PCT)
        n++, doc_text(d, B_P, "Red flag: power users: the heaviest 1%% of customers make %.1f%% of the last month's "
                      "inference cost.", top1);
    for (int i = 0; db && i < db->nflags; i++)
        n++, doc_text(d, B_P, "Red flag: %s: %s.", db->flags[i].what, db->flags[i].detail);
    return n;
}

void answer_doc(doc *d, const scenario *s, const summary *sm, const dashboard *db, const provenance *pv)
{
    char own[160], g[160];
    doc_text(d, B_H2, "The answer");
    if (sm->nplans > 1) {
        winner(d, s, sm, TOT_MARGIN);
        winner(d, s, sm, TOT_GROSS_PROFIT);
        int wm = best_plan(sm, TOT_MARGIN, -1), wp = best_plan(sm, TOT_GROSS_PROFIT, -1);
        if (wm >= 0)
            downside(d, s, sm, wm);
        if (wp >= 0 && wp != wm)
            downside(d, s, sm, wp);
    } else if (sm->nplans == 1) {
        margin_words(own, sizeof own, sum_total(sm, 0, TOT_MARGIN));
        profit_words(g, sizeof g, sum_total(sm, 0, TOT_GROSS_PROFIT));
        doc_text(d, B_P, "**Plan %s: a gross margin of %s** over the horizon, a gross profit of %s.",
                 s->plans[0].name, own, g);
        downside(d, s, sm, 0);
    }
    if (flags(d, s, sm, db, pv) == 0)
        doc_text(d, B_P, "No red flag.");
}
