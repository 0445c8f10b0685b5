/* month_close.c: the end of a month. Every customer is accrued to it and
 * billed under every plan in steps (quotas and limits, wallets and credits,
 * the bill, commitments and true-ups, plan-induced losses, metrics), then
 * each plan's meter of it starts a new month (tier moves, conversions);
 * then self-hosting's settlement, the costliest 20% and the month's
 * metrics. What is particular to a plan type comes from its descriptor
 * (models/plan.h): nothing here asks which type a plan is. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "finance.h"
#include "topshare.h"

static void finish_month(double *mm, const other_costs *oc)
{
    (void)oc;
    mm[MET_INFERENCE_COST] = mm[MET_MODEL_COST] + mm[MET_RETRIEVAL_COST];
    mm[MET_OTHER_COST] = mm[MET_INFRA_COST] + mm[MET_PAYMENT_COST];
    mm[MET_GROSS_PROFIT] = mm[MET_REVENUE] - mm[MET_INFERENCE_COST] - mm[MET_OTHER_COST];
    mm[MET_MARGIN] = mm[MET_REVENUE] > 0 ? 100.0 * mm[MET_GROSS_PROFIT] / mm[MET_REVENUE] : NAN;
    double n = mm[MET_INTERACTIONS], k = mm[MET_CUSTOMERS];
    mm[MET_COST_PER_INTERACTION] = n > 0 ? mm[MET_INFERENCE_COST] / n : NAN;
    mm[MET_TOKENS_PER_INTERACTION] = n > 0 ? mm[MET_TOKENS] / n : NAN;
    mm[MET_COST_PER_CUSTOMER] = k > 0 ? (mm[MET_INFERENCE_COST] + mm[MET_OTHER_COST]) / k : NAN;
    mm[MET_INFERENCE_PER_CUSTOMER] = k > 0 ? mm[MET_INFERENCE_COST] / k : NAN;
    mm[MET_REVENUE_PER_CUSTOMER] = k > 0 ? mm[MET_REVENUE] / k : NAN;
}

/* One customer's month under one plan, handed from step to step. */
typedef struct plan_month {
    int p;                   /* the plan's index */
    qstate *q;               /* its meter of the customer, or NULL when it keeps none */
    double *mm;              /* its month's metrics */
    double n, tok, mc, rc;   /* what it served: interactions, tokens, model and retrieval cost */
    double cr;               /* credits burned */
    bool free;               /* the customer is on the plan's free tier */
    plan_usage pu;           /* the month as the bill sees it */
    double expired;          /* credits the wallet let expire; -1: no wallet */
    const plan *bp;          /* the plan whose bill applies (another one after a pricing change) */
    double rev;              /* the bill */
} plan_month;

/* Quotas and limits: what the plan served the customer (its demand, or
 * less once a quota, a free tier or a cap bit) and the quota's metrics.
 * Needs pm->p, q and mm; fills n, tok, mc, rc, cr and free. */
static void limits_step(const scenario *s, const customer *c, plan_month *pm)
{
    const qstate *q = pm->q;
    double *mm = pm->mm;
    pm->n = c->interactions;
    pm->tok = c->tokens;
    pm->mc = c->model_cost;
    pm->rc = c->retrieval_cost;
    pm->cr = 0;
    pm->free = false;
    if (!q)
        return;
    const plan *pl = &s->plans[pm->p];
    pm->n = q->served;
    pm->tok = q->tokens;
    pm->mc = q->model_cost;
    pm->rc = q->retrieval_cost;
    pm->cr = q->credits;
    pm->free = !q->paid;
    mm[MET_REFUSED] += q->refused;
    if (pl->quota > 0 && !pm->free) {
        mm[MET_WARN75] += q->served >= 0.75 * pl->quota;
        mm[MET_WARN90] += q->served >= 0.9 * pl->quota;
        mm[MET_SOFT] += pl->soft_at > 0 && q->served > pl->soft_at * pl->quota;
    }
    mm[MET_CAPPED] += q->refused > 0;
    if (q->limit_day >= 0) {
        mm[MET_LIMIT_REACHED] += 1;
        mm[MET_LIMIT_DAY] += q->limit_day;
    }
}

/* Wallets and credits: the month as the bill sees it and, for a plan whose
 * customers keep a wallet, the wallet's month (packs bought, credits
 * expired) for a paying customer. Needs the limits step; fills pu and
 * expired; moves the customer's lots (slot i). */
static void wallet_step(workspace *w, const scenario *s, const customer *c, size_t i, int m, plan_month *pm)
{
    int tier = pm->q && (w->keeps[pm->p] & PLAN_KEEPS_TIER) ? pm->q->hold.tier : -1;
    pm->pu = (plan_usage){ .interactions = pm->n, .tokens = pm->tok, .inference_cost = pm->mc + pm->rc,
                           .credits = pm->cr, .packs = -1, .active_fraction = c->active, .seats = c->seats,
                           .tier = tier, .month = m };
    pm->expired = -1;
    if (w->walof[pm->p] >= 0 && !pm->free) {
        const plan *pl = &s->plans[pm->p];
        double *lots = &w->lots[(i * (size_t)w->nwal + w->walof[pm->p]) * WALLET_MAX_LOTS];
        pm->pu.packs = plan_type_of(pl)->wallet(pl, lots, pm->cr, &pm->expired);
    }
}

/* The bill: the plan's, or after a pricing change the other plan's (for
 * new customers only, if so); nothing while free. Draws from the plan's
 * own stream. Needs the wallet step; fills bp and rev. */
static void bill_step(workspace *w, const scenario *s, const customer *c, int m, plan_month *pm)
{
    double t = m + 1;
    const plan *bp = &s->plans[pm->p];
    if (bp->switch_index >= 0 && w->changed_at[pm->p] <= t - 1
        && (bp->migrate == MIGRATE_ALL || c->signup >= w->changed_at[pm->p]))
        bp = &s->plans[bp->switch_index];
    pm->bp = bp;
    pm->rev = pm->free ? 0 : plan_bill(bp, &pm->pu, w->plan_rng[pm->p]);
}

/* Commitments and true-ups: at the end of the commitment's period, or
 * when the customer leaves, it pays what its bills fell short of the
 * commitment. Needs the bill step; adds the true-up to rev. */
static void commitment_step(const scenario *s, const customer *c, int m, plan_month *pm)
{
    const plan *pl = &s->plans[pm->p];
    if (!pm->q || pm->free || pl->commit <= 0)
        return;
    qstate *q = pm->q;
    q->period_billed += pm->rev;
    if ((m + 1) % pl->commit_months == 0 || c->state == ST_LEFT) {
        double up = fmax(0, pl->commit - q->period_billed);
        pm->rev += up;
        pm->mm[MET_TRUEUP] += up;
        q->period_billed = 0;
    }
}

/* Plan-induced losses: a bill shock or a cap that bit may cost the plan
 * this customer (the other plans keep it), drawn from the plan's stream.
 * Needs the final bill; remembers it for next month's shock. */
static void losses_step(workspace *w, const scenario *s, const customer *c, plan_month *pm)
{
    qstate *q = pm->q;
    if (!q)
        return;
    const plan *pl = &s->plans[pm->p];
    bool shock = pl->shock_churn > 0 && q->last_bill > 0 && pm->rev > (1 + pl->shock_threshold) * q->last_bill;
    bool bit = pl->cap_churn > 0 && q->refused > 0;
    if (c->state == ST_ACTIVE
        && ((shock && gsl_rng_uniform(w->plan_rng[pm->p]) < pl->shock_churn)
            || (bit && gsl_rng_uniform(w->plan_rng[pm->p]) < pl->cap_churn))) {
        q->lost = 1;
        pm->mm[MET_PLAN_LOST] += 1;
    }
    q->last_bill = pm->rev;
}

/* Metrics: the customer-month added to the plan's month and segment sums,
 * with breakage, free-tier and losing customers; its cost and bill kept in
 * `bill` (and the snapshot, when taken) for the costliest 20%. */
static void metrics_step(const scenario *s, run_result *out, int rep, const customer *c, size_t nb, bool snap,
                         double *bill, const plan_month *pm)
{
    const other_costs *oc = &s->costs;
    double *mm = pm->mm, inf = pm->mc + pm->rc, rev = pm->rev;
    int p = pm->p;
    const plan_type *bt = plan_type_of(pm->bp);
    if (!pm->free && bt->breakage)
        mm[MET_BREAKAGE] += bt->breakage(pm->bp, pm->cr, pm->expired);
    if (pm->free) {
        mm[MET_FREE] += 1;
        mm[MET_FREE_COST] += inf;
    }
    double pay = oc->payment_share * rev + (rev > 0 ? oc->payment_fixed : 0);
    mm[MET_LOSING] += rev - inf - oc->infra_per_customer - pay < 0;
    if (snap)
        out->snap_bill[nb * (size_t)s->nplans + p] = rev;
    bill[1 + 2 * p] = inf;
    bill[2 + 2 * p] = rev;
    mm[MET_CUSTOMERS] += 1;
    mm[MET_INTERACTIONS] += pm->n;
    mm[MET_TOKENS] += pm->tok;
    mm[MET_REVENUE] += rev;
    mm[MET_MODEL_COST] += pm->mc;
    mm[MET_RETRIEVAL_COST] += pm->rc;
    mm[MET_INFRA_COST] += oc->infra_per_customer;
    mm[MET_PAYMENT_COST] += pay;
    double *sg = run_seg(out, rep, p, c->segment);
    sg[SEG_CUSTOMER_MONTHS] += 1;
    sg[SEG_INTERACTIONS] += pm->n;
    sg[SEG_INFERENCE_COST] += inf;
    sg[SEG_OTHER_COST] += oc->infra_per_customer + pay;
    sg[SEG_REVENUE] += rev;
}
/* Bills customer c (slot i, row nb of the month's bills) under every plan
 * but those that lost it: each plan's steps in order. */
static void bill_customer(workspace *w, const scenario *s, run_result *out, int rep, int m, size_t i, size_t nb,
                          bool snap)
{
    customer *c = &w->c[i];
    double *bill = w->bills + nb * (1 + 2 * (size_t)s->nplans);
    memset(bill, 0, (1 + 2 * (size_t)s->nplans) * sizeof *bill);
    bill[0] = c->model_cost + c->retrieval_cost;
    if (snap)   /* a plan that does not bill it (lost it, or not chosen in a menu) bills it 0 */
        memset(&out->snap_bill[nb * (size_t)s->nplans], 0, (size_t)s->nplans * sizeof *out->snap_bill);
    for (int p = 0; p < s->nplans; p++) {
        int j = w->qof[p];
        plan_month pm;              /* each step fills its part (no zeroing: this runs per customer-month) */
        pm.p = p;
        pm.q = j >= 0 ? &w->qs[i * (size_t)w->nq + j] : NULL;
        pm.mm = run_month(out, rep, p, m);
        if ((pm.q && pm.q->lost) || (w->menu && p != c->plan))
            continue;               /* this plan lost the customer (or, in a menu, never had it) */
        limits_step(s, c, &pm);
        wallet_step(w, s, c, i, m, &pm);
        bill_step(w, s, c, m, &pm);
        commitment_step(s, c, m, &pm);
        losses_step(w, s, c, &pm);
        metrics_step(s, out, rep, c, nb, snap, bill, &pm);
        if (out->cohort)
            finance_customer_month(w, s, out, rep, m, i, p, pm.rev, pm.mc + pm.rc);
    }
}

/* A new month for every plan's meter of customer c (slot i): held tiers
 * move, free customers may convert (both drawn from the plan's stream),
 * and the month's sums start again; what lasts across months is kept. */
static void meters_roll(workspace *w, const scenario *s, run_result *out, int rep, int m, size_t i)
{
    const customer *c = &w->c[i];
    for (int j = 0; j < w->nq; j++) {
        qstate *q = &w->qs[i * (size_t)w->nq + j];
        int p = w->qplan[j];
        const plan *pl = &s->plans[p];
        qstate keep = *q;
        if ((w->keeps[p] & PLAN_KEEPS_TIER) && c->state == ST_ACTIVE) {
            int move = plan_type_of(pl)->tier_move(pl, &keep.hold, q->served, w->plan_rng[p]);
            if (move > 0)
                run_month(out, rep, p, m)[MET_UPGRADES] += 1;
            else if (move < 0)
                run_month(out, rep, p, m)[MET_DOWNGRADES] += 1;
        }
        if (!keep.paid && c->state == ST_ACTIVE && pl->conversion > 0
            && gsl_rng_uniform(w->plan_rng[p]) < pl->conversion) {
            keep.paid = 1;
            run_month(out, rep, p, m)[MET_CONVERTED] += 1;
        }
        memset(q, 0, sizeof *q);
        q->limit_day = -1;
        q->paid = keep.paid;
        q->period_billed = keep.period_billed;
        q->hold = keep.hold;
        q->lost = keep.lost;
        q->last_bill = keep.last_bill;
    }
}

/* Self-hosting: the month's GPUs, and the API for the tokens past their
 * capacity, instead of the API for all (as the interactions were priced).
 * Adds the difference to the waterfall's self-hosted stages and returns
 * that of the last stage (what the plans' model cost is off by). */
static double self_hosting_settle(workspace *w, int m)
{
    double self_adjust = 0;
    if (!w->cp || w->cp->self_stage <= 0)
        return 0;
    double gpu = m + 1 >= w->cp->self_start ? w->cp->self_gpu : 0, cap = w->cp->self_capacity;
    for (int j = w->cp->self_stage; j < w->cp->nstages; j++) {
        double d = w->self_tokens[j], spill = d > cap ? (d - cap) / d * w->self_cost[j] : 0;
        double adj = gpu + spill - w->self_cost[j];
        if (w->stage)
            w->stage[(size_t)m * w->cp->nstages + j] += adj;
        if (j == w->cp->nstages - 1)
            self_adjust = adj;
    }
    memset(w->self_tokens, 0, sizeof w->self_tokens);
    memset(w->self_cost, 0, sizeof w->self_cost);
    return self_adjust;
}

/* The costliest 20% of the month's nb customers: the top cost shares into
 * shares[4] (20, 10, 5, 1%), and each plan's cost and revenue of those
 * customers, found by the top-share selection's threshold among the costs
 * kept beside their bills. Reorders w->scratch. */
static void costliest_fifth(workspace *w, const scenario *s, run_result *out, int rep, int m, size_t nb,
                            double shares[4])
{
    static const double ps[4] = { 0.20, 0.10, 0.05, 0.01 };
    size_t k20 = (size_t)ceil(0.2 * (double)nb - 1e-9), taken = 0, row = 1 + 2 * (size_t)s->nplans;
    if (nb > 0)
        top_shares(w->scratch, nb, ps, 4, shares);   /* scratch[0..k20) now holds the largest k20 */
    if (nb == 0 || k20 == 0)
        return;
    double thr = w->scratch[0];
    for (size_t i = 1; i < k20; i++)
        thr = w->scratch[i] < thr ? w->scratch[i] : thr;
    for (int pass = 0; pass < 2; pass++)   /* above the threshold, then ties up to k20 */
        for (size_t i = 0; i < nb && taken < k20; i++) {
            const double *b = w->bills + i * row;
            if (pass == 0 ? b[0] > thr : b[0] == thr) {
                taken++;
                for (int p = 0; p < s->nplans; p++) {
                    double *mm = run_month(out, rep, p, m);
                    mm[MET_TOP20_COST] += b[1 + 2 * p];
                    mm[MET_TOP20_REVENUE] += b[2 + 2 * p];
                }
            }
        }
}

/* The month's metrics of every plan from its sums: counts, shares in
 * percent, the self-hosting settlement, and the derived ratios. */
static void month_metrics(const scenario *s, run_result *out, int rep, int m, const double shares[4],
                          double self_adjust, double churned, double arrived)
{
    for (int p = 0; p < s->nplans; p++) {
        double *mm = run_month(out, rep, p, m);
        mm[MET_NEW] = arrived;
        mm[MET_CHURNED] = churned;
        mm[MET_TOP20] = 100 * shares[0];
        mm[MET_TOP10] = 100 * shares[1];
        mm[MET_TOP5] = 100 * shares[2];
        mm[MET_TOP1] = 100 * shares[3];
        mm[MET_LIMIT_DAY] = mm[MET_LIMIT_REACHED] > 0 ? mm[MET_LIMIT_DAY] / mm[MET_LIMIT_REACHED] : NAN;
        mm[MET_FREE_COST] = mm[MET_MODEL_COST] + mm[MET_RETRIEVAL_COST] > 0
                                ? 100 * mm[MET_FREE_COST] / (mm[MET_MODEL_COST] + mm[MET_RETRIEVAL_COST]) : NAN;
        const int pct[] = { MET_LOSING, MET_WARN75, MET_WARN90, MET_SOFT, MET_CAPPED, MET_FREE, MET_LIMIT_REACHED };
        for (int k = 0; k < 7; k++)
            mm[pct[k]] = mm[MET_CUSTOMERS] > 0 ? 100 * mm[pct[k]] / mm[MET_CUSTOMERS] : NAN;
        mm[MET_MODEL_COST] += self_adjust;
        finish_month(mm, &s->costs);
    }
}

/* Prices and bills every customer's month m, then starts month m+1. */
int engine_month_close(workspace *w, const scenario *s, run_result *out, int rep, int m, double *churned_in_month,
                       double *new_in_month)
{
    double t = m + 1;
    size_t nb = 0;
    double active_next = 0;
    for (int p = 0; p < s->nplans; p++)
        memset(run_month(out, rep, p, m), 0, MET_COUNT * sizeof(double));
    bool snap = rep == 0 && m == s->horizon - 1 && w->n > 0;
    if (snap) {
        out->snapshot = malloc(w->n * sizeof *out->snapshot);
        out->snap_interactions = malloc(w->n * sizeof *out->snap_interactions);
        out->snap_segment = malloc(w->n);
        out->snap_bill = malloc(w->n * (size_t)s->nplans * sizeof *out->snap_bill);
        snap = out->snapshot && out->snap_interactions && out->snap_segment && out->snap_bill;
        if (snap && s->wtp.on)
            out->snap_wtp = malloc(w->n * sizeof *out->snap_wtp);   /* the scatter only: may stay NULL */
    }
    for (size_t i = 0; i < w->n; i++) {
        customer *c = &w->c[i];
        if (c->state == ST_FREE)
            continue;
        if (c->state == ST_ACTIVE)
            engine_accrue(w, s, c, t);
        lawvar_customer_month(&s->usage, c, run_law(out, rep, m), run_law(out, rep, s->horizon),
                              c->state == ST_LEFT || m == s->horizon - 1);
        bill_customer(w, s, out, rep, m, i, nb, snap);
        meters_roll(w, s, out, rep, m, i);
        if (snap) {
            out->snap_interactions[nb] = c->interactions;
            out->snap_segment[nb] = c->segment;
            if (out->snap_wtp)
                out->snap_wtp[nb] = c->wtp;
        }
        w->scratch[nb++] = c->model_cost + c->retrieval_cost;
        if (c->state == ST_LEFT) {
            c->state = ST_FREE;
            c->next_free = w->free_head;
            w->free_head = (uint32_t)i;
        } else {
            engine_month_reset(c);
            c->mult = (float)usage_month_multiplier(w->rng, &s->usage);
            active_next += 1;
        }
    }
    if (snap) {
        memcpy(out->snapshot, w->scratch, nb * sizeof *out->snapshot);
        out->nsnapshot = nb;
    }
    double self_adjust = self_hosting_settle(w, m);
    double shares[4] = { NAN, NAN, NAN, NAN };
    costliest_fifth(w, s, out, rep, m, nb, shares);
    month_metrics(s, out, rep, m, shares, self_adjust, *churned_in_month, *new_in_month);
    *churned_in_month = *new_in_month = 0;
    if (m + 1 < s->horizon)
        return engine_schedule_arrivals(w, s, m + 1, active_next);
    return 0;
}
